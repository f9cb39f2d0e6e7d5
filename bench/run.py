"""Newsroom-scale benchmark: throughput, scaling, memory and accuracy on a synthetic corpus.

    .venv/bin/python bench/run.py --articles 1000            # the full run (minutes)
    .venv/bin/python bench/run.py --quick                    # 30 articles, smoke test
    .venv/bin/python bench/run.py --articles 300 --sizes 100,300 --json out.json

For the main size it generates ``bench/corpus.py``'s corpus, then runs, each in a fresh
process so that times and peak memory are those of one nightly job:

1. **cold**: the batch pipeline (``claimcheck.batch.run_batch``) on one inbox holding every
   article, with a fresh store and a fresh embedding cache (``Config(cache_dir=...)``);
   when ``claimcheck.batch`` is missing or fails, ``claimcheck.check`` per story folder
   instead (the output says which);
2. **floor**: the same claim texts embedded alone in one batched call with a fresh cache
   (the model loaded first, untimed): the least any pipeline embedding them must spend;
3. **warm**: the same run again on the same store and cache, nothing new.

Then the cold run alone at every ``--sizes`` entry, and the scaling exponent: the slope
of log(total seconds) against log(articles) (``numpy.polyfit``).  Accuracy is scored per
story against the corpus's gold files (``claimcheck.evaluate``), summed over stories and
broken down by planted kind.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGETS = {
    "cold_seconds_1000": 180.0, "total_over_floor": 1.5, "warm_seconds": 5.0, "peak_rss_mb": 2500.0,
    "scaling_exponent": 1.15, "hard_recall": 0.95, "false_alarm_rate": 0.01,
}


# =========================================================================== worker side


def _peak_rss_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(self_kb, child_kb) / 1024.0


class Stopwatch:
    """Seconds per named stage, by wrapping functions (nothing in claimcheck changes)."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def wrap(self, module, name: str, stage: str, after=None):
        original = getattr(module, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                result = original(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - t
                self.calls[stage] += 1
            if after is not None:
                after(result, args, kwargs)
            return result

        setattr(module, name, timed)
        return original


def _light_discrepancy(d) -> dict:
    return {"id": d.id, "kind": d.kind.value, "explanation": d.explanation,
            "evidence": [{"file": e.file, "start": e.start, "end": e.end, "text": e.text} for e in d.evidence]}


def answers_digest(db) -> dict:
    """What the run left in the store, read through the Store API (so a SQLite and a
    PostgreSQL store compare): stories and their articles, claims and discrepancies with
    their ids, sides and scores.  Its sha256 says whether two runs gave the same answers."""
    import hashlib

    from claimcheck.store import Store

    answers = []
    with Store(db) as store:
        for story in store.stories():
            ids = [a.id for a in store.story_articles(story.id)]
            claims = [[c.id, c.text, [[s.start, s.end] for s in c.spans], c.speaker.name, c.modality.value,
                       [[q.text, q.start, q.end, repr(q.low), repr(q.high)] for q in c.quantities]]
                      for c in store.claims(ids)]
            found = [[d.id, d.kind.value, d.severity.value, repr(d.score), d.explanation, d.title, d.status, d.active,
                      [[e.file, e.start, e.end, e.value] for e in d.evidence]]
                     for d in store.story_discrepancies(story.id).values()]
            answers.append([story.id, story.slug, ids, claims, found])
    text = json.dumps(answers, ensure_ascii=False, sort_keys=True)
    return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "stories": len(answers),
            "claims": sum(len(a[3]) for a in answers), "discrepancies": sum(len(a[4]) for a in answers)}


def worker_cold(corpus: Path, work: Path, mode: str, stem: Path, engine: str = "inprocess", workers: int = 2,
                scheduler: str | None = None, db: str | None = None) -> dict:
    """One pipeline run over the corpus; returns the figures as a dict."""
    t_import = time.perf_counter()
    import claimcheck
    import claimcheck.embed
    import claimcheck.nlp
    import claimcheck.pipeline
    from claimcheck.config import Config

    import_seconds = time.perf_counter() - t_import
    config = Config(cache_dir=str(work / "cache"))
    watch = Stopwatch()
    analyses: list[dict] = []  # one per analysed story: article ids, claims, discrepancies, timings

    def keep(report, args, kwargs) -> None:
        analyses.append({
            "articles": [a.id for a in report.articles],
            "claims": [c.text for c in report.claims],
            "discrepancies": [_light_discrepancy(d) for d in report.discrepancies],
            "timings": dict(report.timings),
        })

    watch.wrap(claimcheck.nlp, "load_spacy", "model load")
    watch.wrap(claimcheck.embed, "_load_encoder", "model load")

    used = mode
    note = ""
    files = sorted(p for p in corpus.glob("story-*/*.txt"))
    batch = None
    if mode in ("auto", "batch"):
        try:
            import claimcheck.batch as batch
            from claimcheck.batch import run_batch  # noqa: F401
        except Exception as exc:  # noqa: BLE001
            if mode == "batch":
                raise
            note += f"claimcheck.batch unavailable ({type(exc).__name__}: {exc}); ran claimcheck.check per story. "
            batch = None
    start = time.perf_counter()
    batch_seconds = 0.0
    result_summary = None
    answers = None
    if batch is not None:
        inbox = work / "inbox"
        if not inbox.exists():
            inbox.mkdir(parents=True)
            for f in files:
                shutil.copy2(f, inbox / f.name)
        import claimcheck.story_features

        watch.wrap(claimcheck.story_features, "articles_features", "assign: article_features")
        watch.wrap(batch, "_ingest", "ingest (all)")
        watch.wrap(batch, "_analyse_stories", "analyse (all)")
        watch.wrap(batch, "_write_story_reports", "report")
        watch.wrap(batch, "write_index", "report")
        watch.wrap(claimcheck.pipeline, "analyse", "analyse", after=keep)
        # forked workers read figures, names and claims; their stage timings add up
        # worker seconds, so the wall time of the whole step is taken here
        watch.wrap(claimcheck.pipeline, "_extract_all", "extract+claims (wall)")
        watch.wrap(claimcheck.pipeline, "_finish_in_forks", "align+detect (wall)")
        analyse_many = claimcheck.pipeline.analyse_many

        def kept(*args, **kwargs):  # the batch analyses stories through this generator
            for report in analyse_many(*args, **kwargs):
                if not isinstance(report, Exception):
                    keep(report, args, kwargs)
                yield report

        if engine != "dask":  # the cluster's reports are caught where they are saved
            claimcheck.pipeline.analyse_many = kept
        try:
            if engine == "dask":
                import claimcheck.dask_engine as dask_engine

                # on the cluster: what the coordinator waits for, and the reports it gets back
                watch.wrap(dask_engine.DaskEngine, "__init__", "engine start (cluster, models on workers)")
                watch.wrap(dask_engine.DaskEngine, "features", "assign: article_features")
                watch.wrap(batch, "_save_story", "save",
                           after=lambda r, a, kw: isinstance(a[4], Exception) or keep(a[4], a, kw))
            watch.wrap(batch, "choose_story", "assign: choose story")
            store_at = db or work / "claimcheck.db"
            result = batch.run_batch(inbox, store_at, work / "reports", config=config, engine=engine,
                                     scheduler=scheduler, workers=workers if engine == "dask" and not scheduler else None)
            batch_seconds = time.perf_counter() - start
            answers = answers_digest(store_at)  # the benchmark's own check, not the run's time
            result_summary = result.summary()
            used = "batch"
        except Exception as exc:  # noqa: BLE001
            if mode == "batch":
                raise
            note += f"claimcheck.batch failed ({type(exc).__name__}: {exc}); ran claimcheck.check per story. "
            batch = None
            analyses.clear()
            watch = Stopwatch()
            start = time.perf_counter()
    if batch is None:
        used = "check"
        from claimcheck.report import write_report

        for folder in sorted(corpus.glob("story-*")):
            report = claimcheck.check(folder, config)
            keep(report, (), {})
            t = time.perf_counter()
            write_report(report, work / "reports" / folder.name, formats=("md", "json", "html"))
            watch.seconds["report"] += time.perf_counter() - t
    total = batch_seconds if batch is not None else time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # parse and extraction pools, Dask's worker processes: ended and reaped by now (the
    # pools are joined, the LocalCluster closed with the run), so counted here
    children = resource.getrusage(resource.RUSAGE_CHILDREN)

    embedder = claimcheck.pipeline.get_embedder(config)
    stage = Counter()
    for a in analyses:
        for k, v in a["timings"].items():
            stage[k] += v
    claims = [c for a in analyses for c in a["claims"]]
    stem.with_suffix(".claims.json").write_text(json.dumps(claims))
    stem.with_suffix(".analyses.json").write_text(json.dumps(analyses))
    return {
        "mode": used, "note": note.strip(), "articles": len(files), "seconds": total,
        "import_seconds": import_seconds, "stopwatch": dict(watch.seconds), "calls": dict(watch.calls),
        "pipeline_stages": dict(stage), "claims": len(claims), "unique_claims": len(set(claims)),
        "encoded": embedder.encoded, "peak_rss_mb": _peak_rss_mb(), "batch_summary": result_summary,
        "stories_analysed": len(analyses), "engine": engine, "workers": workers if engine == "dask" else 1,
        "store": "postgresql" if db else "sqlite", "answers": answers,
        "cpu_seconds": usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime,
        "cpu_seconds_coordinator": usage.ru_utime + usage.ru_stime,
        "cpu_seconds_children": children.ru_utime + children.ru_stime, "loadavg_after": os.getloadavg(),
    }


def worker_floor(claims_file: Path, work: Path) -> dict:
    from claimcheck.config import Config
    from claimcheck.embed import Embedder

    texts = json.loads(claims_file.read_text())
    with tempfile.TemporaryDirectory(dir=work) as fresh:
        embedder = Embedder(Config(cache_dir=fresh))
        _ = embedder.model  # load the model first: the floor is the encoding alone
        embedder.encode(["warm up the model once"])
        t = time.perf_counter()
        embedder.encode(texts)
        seconds = time.perf_counter() - t
    return {"seconds": seconds, "texts": len(texts), "encoded": embedder.encoded - 1, "peak_rss_mb": _peak_rss_mb()}


# =========================================================================== accuracy


def score(corpus: Path, analyses: list[dict]) -> dict:
    """Score every story's gold against the discrepancies that cite its files."""
    from claimcheck.evaluate import evaluate, load_gold

    manifest = json.loads((corpus / "manifest.json").read_text())
    by_file: dict[str, list[dict]] = defaultdict(list)
    for a in analyses:
        for d in a["discrepancies"]:
            for f in {e["file"] for e in d["evidence"]}:
                by_file[f].append(d)
    kinds = Counter()
    hits = Counter()
    examples: dict[str, list[dict]] = defaultdict(list)
    report_size = gold_size = 0
    unmatched = 0
    for story in manifest["stories"]:
        gold = load_gold(corpus / story["folder"] / "gold.yaml")
        plant_of = {p["id"]: p for p in story["plants"]}
        seen: dict[str, dict] = {}
        for f in story["files"]:
            for d in by_file.get(f, ()):
                seen.setdefault(d["id"] + "|" + ",".join(sorted({e["file"] for e in d["evidence"]})), d)
        preds = list(seen.values())
        result = evaluate(preds, gold)
        report_size += result.report_size
        unmatched += result.unmatched
        gold_size += len(gold.discrepancies)
        for r in result.item_results:
            plant = plant_of.get(r.id, {})
            kind = f"{r.level}:{plant.get('kind', r.id.split('-')[0])}"
            kinds[kind] += 1
            if r.hit:
                hits[kind] += 1
            bad = (r.level == "hard" and not r.hit) or (r.level == "consistent" and r.hit)
            if bad and len(examples[kind]) < 200:
                item = next(i for i in gold.items if i.id == r.id)
                examples[kind].append({
                    "story": story["folder"], "item": r.id, "why": item.why,
                    "spans": [(s.file, s.quote) for s in item.spans],
                    "predictions": [result.predictions[p].summary for p in r.prediction_ids][:2],
                    "plant": plant,
                })
    hard_total = sum(v for k, v in kinds.items() if k.startswith("hard:"))
    hard_hit = sum(v for k, v in hits.items() if k.startswith("hard:"))
    cons_total = sum(v for k, v in kinds.items() if k.startswith("consistent:"))
    cons_hit = sum(v for k, v in hits.items() if k.startswith("consistent:"))
    return {
        "hard_total": hard_total, "hard_hit": hard_hit,
        "hard_recall": hard_hit / hard_total if hard_total else 1.0,
        "lookalikes": cons_total, "false_alarms": cons_hit,
        "false_alarm_rate": cons_hit / cons_total if cons_total else 0.0,
        "report_size": report_size, "gold_size": gold_size, "unmatched_predictions": unmatched,
        "by_kind": {k: {"items": kinds[k], "hit": hits[k]} for k in sorted(kinds)},
        "examples": examples,
    }


def story_assignment(corpus: Path, analyses: list[dict]) -> dict:
    """How the batch's stories match the corpus's stories (files are named sNNNN-...)."""
    truth = lambda f: f.split("-", 1)[0]  # noqa: E731
    batch_stories = [a["articles"] for a in analyses]
    pure = sum(len({truth(f) for f in arts}) == 1 for arts in batch_stories)
    split = Counter()
    for arts in batch_stories:
        for s in {truth(f) for f in arts}:
            split[s] += 1
    return {"batch_stories": len(batch_stories), "pure": pure,
            "gold_stories": len(split), "gold_stories_split": sum(v > 1 for v in split.values())}


# =========================================================================== orchestration


def run_worker(args: list[str], log: Path, profile: Path | None = None) -> dict:
    """Run one measurement in a fresh process (its own peak RSS, its own model loads).
    With ``profile``, under py-spy (a sampling profiler outside the process, so the
    timings stay close to an unprofiled run) writing collapsed stacks there."""
    out = log.with_suffix(".json")
    cmd = [sys.executable, str(Path(__file__).resolve()), *args, "--result", str(out)]
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if profile is not None and Path(spy).exists():
        cmd = [spy, "record", "--format", "raw", "--rate", "50", "--nonblocking", "--subprocesses", "-o", str(profile), "--", *cmd]
    t = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise SystemExit(f"worker failed ({' '.join(args)}); see {log}:\n{log.read_text()[-3000:]}")
    result = json.loads(out.read_text())
    result["process_seconds"] = time.perf_counter() - t
    return result


def scratch_database(server: str, name: str) -> str:
    """A new database on the PostgreSQL server at ``server`` (its URL names a database
    to connect to, e.g. postgres); returns its URL.  The benchmark drops it afterwards."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def drop_database(server: str, url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {urlsplit(url).path.lstrip('/')} WITH (FORCE)")


def server_cpu_seconds(url: str) -> float | None:
    """CPU seconds the PostgreSQL server at ``url`` has spent so far, when it runs on this
    machine: its postmaster's own and its reaped children's (sessions that ended), plus
    its live children's (from /proc).  None for a server elsewhere."""
    import psycopg

    with psycopg.connect(url) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        try:
            status = Path(f"/proc/{backend}/status").read_text()
        except OSError:
            return None
        postmaster = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
        tick = os.sysconf("SC_CLK_TCK")

        def stat(pid: int) -> list[str]:
            text = Path(f"/proc/{pid}/stat").read_text()
            return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on

        fields = stat(postmaster)
        seconds = sum(int(x) for x in fields[11:15]) / tick  # utime, stime, cutime, cstime
        for child in Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split():
            if int(child) == backend:  # this measuring session
                continue
            try:
                seconds += sum(int(x) for x in stat(int(child))[11:13]) / tick
            except OSError:  # ended meanwhile: now in the postmaster's cutime
                pass
    return seconds


def measure(size: int, seed: int, root: Path, mode: str, full: bool, profile: bool,
            engine_args: list[str] = (), db_server: str | None = None) -> dict:
    from corpus import write_corpus

    base = root / f"n{size}"
    corpus = base / "corpus"
    work = base / "work"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    t = time.perf_counter()
    manifest = write_corpus(corpus, size, seed)
    gen = time.perf_counter() - t
    print(f"[{size}] corpus: {manifest['articles']} articles, {len(manifest['stories'])} stories, "
          f"{manifest['words'] / manifest['articles']:.0f} words/article ({gen:.1f}s to generate)", flush=True)
    cold_args = ["--worker", "cold", "--corpus", str(corpus), "--work", str(work), "--mode", mode, *engine_args]
    db_url = scratch_database(db_server, f"claimcheck_bench_n{size}") if db_server else None
    if db_url:
        cold_args += ["--db", db_url]
    try:
        return _measure(size, base, corpus, work, cold_args, manifest, full, profile, db_url)
    finally:
        if db_url:
            drop_database(db_server, db_url)


def _measure(size: int, base: Path, corpus: Path, work: Path, cold_args: list[str], manifest: dict, full: bool,
             profile: bool, db_url: str | None = None) -> dict:
    load_before = os.getloadavg()
    server_before = server_cpu_seconds(db_url) if db_url else None
    cold = run_worker(cold_args, base / "cold.log", profile=base / "profile.txt" if profile else None)
    cold["loadavg_before"] = load_before
    if server_before is not None:
        cold["server_cpu_seconds"] = server_cpu_seconds(db_url) - server_before
    if profile and (base / "profile.txt").exists():
        summary = summarise_profile(base / "profile.txt")
        (base / "profile-summary.txt").write_text(summary)
        cold["profile_summary"] = summary
    print(f"[{size}] cold run ({cold['mode']}, {cold['engine']}, {cold['store']}): {cold['seconds']:.1f}s"
          + (f"; answers {cold['answers']['sha256'][:16]}" if cold.get("answers") else ""), flush=True)
    out = {"size": size, "corpus_words": manifest["words"], "stories": len(manifest["stories"]), "cold": cold}
    analyses = json.loads((base / "cold.analyses.json").read_text())
    out["accuracy"] = score(corpus, analyses)
    if cold["mode"] == "batch":
        out["assignment"] = story_assignment(corpus, analyses)
    if full:
        out["floor"] = run_worker(["--worker", "floor", "--claims", str(base / "cold.claims.json"), "--work", str(work)],
                                  base / "floor.log")
        print(f"[{size}] embedding floor: {out['floor']['seconds']:.1f}s", flush=True)
        out["warm"] = run_worker(cold_args, base / "warm.log")
        print(f"[{size}] warm re-run: {out['warm']['seconds']:.2f}s", flush=True)
    return out


def summarise_profile(path: Path, top: int = 30) -> str:
    """Inclusive and self seconds per function from py-spy's collapsed stacks."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = [f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0].split("/")[-1] + ")" if " (" in f else f
                  for f in stack.split(";")]
        for f in set(frames):
            inclusive[f] += n
        own[frames[-1]] += n
    rate = 50.0
    lines = [f"samples: {total} ({total / rate:.1f} s at {rate:g} Hz)", "", "inclusive seconds (claimcheck functions):"]
    for f, n in inclusive.most_common():
        if "claimcheck" in f or any(k in f for k in ("batch.py", "pipeline.py", "detect/", "figures.py", "claims.py",
                                                      "entities.py", "quantities.py", "embed.py", "align.py",
                                                      "store/", "ingest.py", "engine.py", "story_features.py")):
            lines.append(f"  {n / rate:8.1f}  {f}")
            if len(lines) > top + 3:
                break
    lines += ["", "self seconds (any function):"]
    for f, n in own.most_common(top):
        lines.append(f"  {n / rate:8.1f}  {f}")
    return "\n".join(lines)


def dask_stage_rows(cold: dict) -> list[tuple[str, float]]:
    """The coordinator's wall seconds by stage; then the workers' seconds (summed over
    workers, so not part of the total), from the reports' own timings."""
    sw, st = cold["stopwatch"], cold["pipeline_stages"]
    start = sw.get("engine start (cluster, models on workers)", 0.0)
    features = sw.get("assign: article_features", 0.0)
    choose = sw.get("assign: choose story", 0.0)
    rows = [
        ("engine start (cluster, models on workers)", start),
        ("ingest (read, hash, store)", sw.get("ingest (all)", 0.0) - features - choose - start),
        ("features on workers (wall, waiting)", features),
        ("story assignment: choose story", choose),
        ("analyse on workers (wall, waiting)", sw.get("analyse (all)", 0.0) - sw.get("save", 0.0)),
        ("store (save claims, discrepancies)", sw.get("save", 0.0)),
        ("report", sw.get("report", 0.0)),
    ]
    rows.append(("other", cold["seconds"] - sum(v for _, v in rows)))
    rows += [(f"  worker seconds: {k}", st.get(k, 0.0))
             for k in ("parse", "extract", "claims", "figures", "context", "embed", "align", "detect")]
    return rows


def stage_rows(cold: dict) -> list[tuple[str, float]]:
    if cold.get("engine") == "dask":
        return dask_stage_rows(cold)
    sw, st = cold["stopwatch"], cold["pipeline_stages"]
    rows = []
    if cold["mode"] == "batch":
        features = sw.get("assign: article_features", 0.0)
        choose = sw.get("assign: choose story", 0.0)
        rows.append(("ingest (read, hash, store)", sw.get("ingest (all)", 0.0) - features - choose))
        rows.append(("story assignment: features (parse+embed lead)", features))
        rows.append(("story assignment: choose story", choose))
    else:
        rows.append(("ingest", st.get("ingest", 0.0)))
    wall = sw.get("extract+claims (wall)")
    worker = st.get("extract", 0.0) + st.get("claims", 0.0) + st.get("figures", 0.0)
    if wall is None:  # one process: the stage timings are wall time
        rows += [("parse", st.get("parse", 0.0)), ("extract figures+names", st.get("extract", 0.0)),
                 ("claims", st.get("claims", 0.0)), ("figures (read for detection)", st.get("figures", 0.0))]
        wall = worker
    else:
        rows += [("parse", st.get("parse", 0.0)),
                 (f"extract+claims+figures (wall; workers {worker:.0f}s)", wall)]
    rows += [("detection contexts, texts to embed", st.get("context", 0.0)), ("embed", st.get("embed", 0.0))]
    finish = sw.get("align+detect (wall)", 0.0)
    if not finish:  # not in workers: the stage timings are wall time
        rows += [("align", st.get("align", 0.0)), ("detect", st.get("detect", 0.0))]
        finish = st.get("align", 0.0) + st.get("detect", 0.0)
    else:
        rows.append((f"align+detect (wall; workers {st.get('align', 0.0) + st.get('detect', 0.0):.0f}s)", finish))
    if cold["mode"] == "batch":
        analysed = st.get("parse", 0.0) + wall + st.get("context", 0.0) + st.get("embed", 0.0) + finish
        rows.append(("store (save claims, discrepancies)", sw.get("analyse (all)", 0.0) - analysed))
    rows.append(("report", sw.get("report", 0.0)))
    rows.append(("other", cold["seconds"] - sum(v for _, v in rows)))
    return rows


def fmt_table(main: dict, scaling: list[tuple[int, float]], exponent: float | None) -> str:
    cold = main["cold"]
    n = cold["articles"]
    lines = []
    add = lines.append
    add(f"claimcheck benchmark: {n} articles, {main['stories']} stories, {main['corpus_words']:,} words "
        f"-- pipeline: {'claimcheck.batch.run_batch (one inbox)' if cold['mode'] == 'batch' else 'claimcheck.check per story folder'}")
    if cold["note"]:
        add(f"  note: {cold['note']}")
    add("")
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    add(f"{'figure':<44}{'value':>14}  target")
    add("-" * 72)
    add(f"{'cold run, end to end (s)':<44}{cold['seconds']:>14.1f}  <= 180 at 1000 {ok(cold['seconds'] <= 180 * n / 1000) if n >= 1000 else ''}")
    add(f"{'  process incl. start-up (s)':<44}{cold['process_seconds']:>14.1f}")
    load = ", ".join(f"{x:.1f}" for x in cold["loadavg_after"])
    before = ", ".join(f"{x:.1f}" for x in cold.get("loadavg_before", ()))
    add(f"{'  CPU seconds of the run (user+sys)':<44}{cold['cpu_seconds']:>14.1f}  (load avg before: {before}; "
        f"after: {load}; other jobs may share the cores)")
    if "cpu_seconds_children" in cold:
        add(f"{'    of which the coordinating process':<44}{cold['cpu_seconds_coordinator']:>14.1f}")
        add(f"{'    of which its workers (parse pools, Dask)':<44}{cold['cpu_seconds_children']:>14.1f}")
    if "server_cpu_seconds" in cold:
        add(f"{'  PostgreSQL server CPU seconds (not above)':<44}{cold['server_cpu_seconds']:>14.1f}")
    add(f"{'articles/min':<44}{n / cold['seconds'] * 60:>14.1f}")
    add(f"{'claims':<44}{cold['claims']:>14,}")
    add(f"{'claims/s':<44}{cold['claims'] / cold['seconds']:>14.1f}")
    add(f"{'texts run through the model':<44}{cold['encoded']:>14,}")
    add(f"{'engine, store':<44}{cold.get('engine', 'inprocess') + ' (' + str(cold.get('workers', 1)) + '), ' + cold.get('store', 'sqlite'):>14}")
    if cold.get("answers"):
        a = cold["answers"]
        add(f"{'answers (stories, claims, discrepancies)':<44}{a['stories']:>4} {a['claims']:>6} {a['discrepancies']:>4}"
            f"  sha256 {a['sha256'][:16]}")
    add("seconds per stage:")
    for name, secs in stage_rows(cold):
        add(f"  {name:<42}{secs:>14.1f}")
    add(f"  {'(model loading, inside the above)':<42}{cold['stopwatch'].get('model load', 0.0):>14.1f}")
    if "floor" in main:
        floor = main["floor"]["seconds"]
        add(f"{'embedding floor (claims alone, 1 call) (s)':<44}{floor:>14.1f}")
        ratio = cold["seconds"] / floor if floor else float("inf")
        add(f"{'total / floor':<44}{ratio:>14.2f}  <= 1.5 {ok(ratio <= 1.5)}")
    add(f"{'peak RSS (MB)':<44}{cold['peak_rss_mb']:>14.0f}  <= 2500 {ok(cold['peak_rss_mb'] <= 2500)}")
    if "warm" in main:
        w = main["warm"]
        add(f"{'warm re-run, nothing new (s)':<44}{w['seconds']:>14.2f}  <= 5 {ok(w['seconds'] <= 5)}")
        add(f"{'  process incl. start-up (s)':<44}{w['process_seconds']:>14.2f}")
        if w["mode"] != "batch":
            add("  (check mode has no store: the warm run re-analyses every story with a warm cache)")
    if "accuracy" in main:
        acc = main["accuracy"]
        add(f"{'hard recall':<44}{acc['hard_hit']:>7}/{acc['hard_total']:<6}  {acc['hard_recall']:.3f} >= 0.95 {ok(acc['hard_recall'] >= 0.95)}")
        add(f"{'false alarms / planted look-alikes':<44}{acc['false_alarms']:>7}/{acc['lookalikes']:<6}  {acc['false_alarm_rate']:.3f} <= 0.01 {ok(acc['false_alarm_rate'] <= 0.01)}")
        add(f"{'report size vs gold size':<44}{acc['report_size']:>7}/{acc['gold_size']:<6}  {acc['report_size'] / max(1, acc['gold_size']):.2f}x "
            f"({acc['unmatched_predictions']} hit no gold item)")
        add("by planted kind (hit / items):")
        for k, v in acc["by_kind"].items():
            add(f"  {k:<42}{v['hit']:>7}/{v['items']:<6}")
    if "assignment" in main:
        a = main["assignment"]
        add(f"{'batch stories (pure) / corpus stories':<44}{a['batch_stories']:>7} ({a['pure']}) / {a['gold_stories']} "
            f"({a['gold_stories_split']} split)")
    if scaling:
        add("scaling (cold, end to end):")
        for size, secs, cpu in scaling:
            add(f"  {size:>6} articles {secs:>10.1f} s  {size / secs * 60:>8.1f} articles/min  (CPU {cpu:.0f} s)")
        if exponent is not None:
            add(f"{'scaling exponent (log-log fit)':<44}{exponent:>14.2f}  <= 1.15 {ok(exponent <= 1.15)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000, help="the main run's size (default 1000)")
    ap.add_argument("--sizes", default="100,300,1000", help="sizes for the scaling fit (comma separated)")
    ap.add_argument("--quick", action="store_true", help="a 30-article smoke run, no scaling")
    ap.add_argument("--seed", type=int, default=7, help="corpus seed")
    ap.add_argument("--json", help="write every figure to this file")
    ap.add_argument("--mode", choices=["auto", "batch", "check"], default="auto",
                    help="auto: the batch pipeline if it works, else claimcheck.check per story")
    ap.add_argument("--profile", action="store_true",
                    help="profile the main cold run with py-spy (pip install py-spy), print the hotspots")
    ap.add_argument("--cold-only", action="store_true",
                    help="main size: the cold run only (no embedding floor, no warm re-run)")
    ap.add_argument("--keep", help="work folder to keep (default: a temporary folder, removed)")
    ap.add_argument("--engine", choices=["inprocess", "dask"], default="inprocess",
                    help="where the batch analyses stories (dask: pip install -e '.[scale]')")
    ap.add_argument("--workers", type=int, default=2, help="with --engine dask: the LocalCluster's worker processes")
    ap.add_argument("--scheduler", help="with --engine dask: a running cluster's scheduler instead of a LocalCluster")
    ap.add_argument("--db", help="a PostgreSQL server, postgresql://USER@HOST:PORT/postgres: each size runs on a "
                                 "scratch database created there (claimcheck_bench_nSIZE) and dropped after; "
                                 "default: a SQLite file in the work folder")
    # worker mode (internal)
    ap.add_argument("--worker", choices=["cold", "floor"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--claims", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        work = Path(args.work)
        if args.worker == "cold":
            result = worker_cold(Path(args.corpus), work, args.mode, Path(args.result), engine=args.engine,
                                 workers=args.workers, scheduler=args.scheduler, db=args.db)
        else:
            result = worker_floor(Path(args.claims), work)
        Path(args.result).write_text(json.dumps(result))
        return 0

    if args.quick:
        args.articles, sizes = 30, []
    else:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="claimcheck-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        engine_args = ["--engine", args.engine, "--workers", str(args.workers)]
        engine_args += ["--scheduler", args.scheduler] if args.scheduler else []
        main_run = measure(args.articles, args.seed, root, args.mode, full=not args.cold_only, profile=args.profile,
                           engine_args=engine_args, db_server=args.db)
        scaling = []
        runs = []
        for size in sizes:
            run = main_run if size == args.articles else measure(size, args.seed, root, args.mode, False, False,
                                                                 engine_args, args.db)
            scaling.append((size, run["cold"]["seconds"], run["cold"]["cpu_seconds"]))
            if run is not main_run:
                runs.append(run)
        exponent = cpu_exponent = None
        if len(scaling) >= 2:
            import numpy as np

            xs = np.log([s for s, _, _ in scaling])
            ys = np.log([t for _, t, _ in scaling])
            exponent = float(np.polyfit(xs, ys, 1)[0])
            cpu_exponent = float(np.polyfit(xs, np.log([c for _, _, c in scaling]), 1)[0])
        print()
        print(fmt_table(main_run, scaling, exponent))
        if cpu_exponent is not None:
            print(f"{'scaling exponent of CPU seconds':<44}{cpu_exponent:>14.2f}")
        if args.json:
            Path(args.json).write_text(json.dumps(
                {"main": main_run, "other_sizes": runs, "scaling": scaling, "scaling_exponent": exponent,
                 "cpu_scaling_exponent": cpu_exponent, "targets": TARGETS},
                indent=1, default=str))
            print(f"\nwrote {args.json}")
        if args.profile and main_run["cold"].get("profile_summary"):
            print("\nprofile of the cold run (py-spy):")
            print(main_run["cold"]["profile_summary"])
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
