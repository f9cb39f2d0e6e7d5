"""The pipeline: articles in, a Report out. The CLI and the Python API both call this.

``ingest -> parse (spaCy, once per article) -> quantities + entities -> link entities
across the story -> atomic claims -> embed (cached) -> align -> detect``.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from claimcheck.align import group_claims
from claimcheck.claims import extract_claims
from claimcheck.config import Config
from claimcheck.detect import StoryContext, find_discrepancies, texts_to_embed
from claimcheck.embed import Embedder
from claimcheck.figures import Figure, read_figures
from claimcheck.forks import fork_map, fork_workers, travelling
from claimcheck.entities import (
    extract_mentions,
    fold_name,
    is_person_description,
    link_entities,
    resolve_description,
)
from claimcheck.errors import AnalysisError, ClaimcheckError
from claimcheck.ingest import article_location, load_articles
from claimcheck.models import (
    Article,
    Claim,
    ClaimGroup,
    Discrepancy,
    DiscrepancyKind,
    Entity,
    EntityMention,
    Report,
)
from claimcheck.nlp import parse_articles
from claimcheck.quantities import parse_quantities
from claimcheck.trace import DetectionTrace

ArticleInput = str | os.PathLike[str] | Article


@functools.lru_cache(maxsize=4)
def _embedder(model: str, cache_dir: str, use_cache: bool, batch_size: int, backend: str) -> Embedder:
    return Embedder(
        Config(embedding_model=model, cache_dir=cache_dir, use_cache=use_cache, embedding_batch_size=batch_size,
               embedding_backend=backend)
    )


def get_embedder(config: Config) -> Embedder:
    """One Embedder (and so one loaded model) per process and model choice."""
    return _embedder(
        config.embedding_model, config.cache_dir, config.use_cache, config.embedding_batch_size,
        config.embedding_backend,
    )


def story_date(articles: Sequence[Article]) -> dt.date | None:
    """The date most of a story's articles carry: resolves "March 11" or "35 years ago"
    in articles that carry none themselves."""
    dates = Counter(a.date for a in articles if a.date)
    return max(dates, key=lambda d: (dates[d], d)) if dates else None


class _Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def _subject_entity(claim: Claim, by_variant: dict[str, str]) -> str | None:
    """Link the claim's subject (possibly a resolved pronoun) to an entity."""
    if not claim.subject:
        return None
    subject = fold_name(claim.subject)
    for m in claim.entities:
        if m.entity_id and fold_name(m.text) and fold_name(m.text) in subject:
            return m.entity_id
    return by_variant.get(subject)


def check(
    articles: ArticleInput | Iterable[ArticleInput],
    config: Config | None = None,
    *,
    trace: DetectionTrace | None = None,
) -> Report:
    """Read articles (paths, folders or ``Article`` objects) about one story and report
    where they disagree.  A ``trace`` collects what detection weighed and refused
    (``claimcheck eval --explain``)."""
    config = config or Config()
    if isinstance(articles, (str, os.PathLike, Article)):
        articles = [articles]
    timer = _Timer()
    with timer.stage("ingest"):
        loaded = load_articles(list(articles), config)
    try:
        report = analyse(loaded.articles, config, timer=timer, trace=trace)
    except ClaimcheckError:
        raise
    except Exception as exc:  # noqa: BLE001 - said in words, with the articles it was about
        names = ", ".join(article_location(a) for a in loaded.articles)
        raise AnalysisError(
            f"the analysis of the story failed ({type(exc).__name__}: {exc}); no report was made",
            path=names, hint="report this with the articles; an article that breaks alone is only skipped",
        ) from exc
    report.problems = [*(str(p) for p in loaded.problems), *report.problems]
    report.notes = list(loaded.notes)
    return report


@dataclass
class ClaimsRead:
    """Articles read into atomic claims, not compared: what ``claimcheck claims`` prints."""

    articles: list[Article]
    claims: list[Claim]
    entities: list[Entity]
    problems: list[str]
    notes: list[str]


def read_claims(articles: ArticleInput | Iterable[ArticleInput], config: Config | None = None) -> ClaimsRead:
    """Read articles (paths, folders or ``Article`` objects) into claims with their figures,
    names, speaker and modality.  Only the parser loads: claims are not embedded, grouped or
    compared, so no sentence encoder is needed."""
    config = config or Config()
    if isinstance(articles, (str, os.PathLike, Article)):
        articles = [articles]
    loaded = load_articles(list(articles), config)
    extracted = _extract(loaded.articles, config, _Timer())
    return ClaimsRead(articles=list(extracted.articles), claims=extracted.claims, entities=extracted.entities,
                      problems=[*(str(p) for p in loaded.problems), *extracted.problems], notes=list(loaded.notes))


def analyse(
    articles: Sequence[Article],
    config: Config | None = None,
    *,
    timer: _Timer | None = None,
    trace: DetectionTrace | None = None,
) -> Report:
    """Run every stage after ingest on one story's articles."""
    config = config or Config()
    timer = timer or _Timer()
    return _finish(_extract(articles, config, timer), config, timer, trace)


def analyse_many(
    stories: Iterable[Sequence[Article]], config: Config | None = None
) -> Iterator[Report | Exception]:
    """``analyse`` for many stories, yielding each story's report (or the exception
    that stopped it) in order; one story's failure does not stop the others.

    The model work is shared: the articles of a chunk of stories (at most
    ``parse_cache_docs`` articles, so their parses stay cached) are parsed in one
    batch, over several processes when it pays, and the claims of the whole chunk
    are embedded in one call.  A night of hundreds of small stories then costs little
    more than parsing and embedding its text once.
    """
    config = config or Config()
    chunk: list[Sequence[Article]] = []
    size = 0
    for articles in stories:
        if chunk and size + len(articles) > config.parse_cache_docs:
            yield from _analyse_chunk(chunk, config)
            chunk, size = [], 0
        chunk.append(articles)
        size += len(articles)
    if chunk:
        yield from _analyse_chunk(chunk, config)


def _analyse_chunk(stories: Sequence[Sequence[Article]], config: Config) -> Iterator[Report | Exception]:
    timers = [_Timer() for _ in stories]
    with timers[0].stage("parse"):  # fills the cache each story's _extract reads from
        parse_articles([a.text[a.body_start :] for articles in stories for a in articles], config)
    extracted = _extract_all(stories, timers, config)
    # the claims, and every text the detectors will embed (figures' clauses, dates'
    # and outcomes' clauses, quotes): one call for the chunk, sorted by length inside, so
    # each story's own encodes are then lookups
    contexts: list[StoryContext | Exception] = []
    texts: list[str] = []
    for e, timer in zip(extracted, timers, strict=True):
        if isinstance(e, Exception):
            contexts.append(e)
            continue
        try:
            with timer.stage("context"):
                ctx = _context(e, config)
                texts += [c.text for c in e.claims]
                texts += texts_to_embed(ctx)
        except Exception as exc:  # noqa: BLE001
            contexts.append(exc)
            continue
        contexts.append(ctx)
    if texts:
        with timers[0].stage("embed"):
            get_embedder(config).encode(texts)
    yield from _finish_all(extracted, contexts, timers, config)


def _finish_all(
    extracted: Sequence[_Extracted | Exception], contexts: Sequence[StoryContext | Exception],
    timers: Sequence[_Timer], config: Config,
) -> Iterator[Report | Exception]:
    """``_finish`` for every story of a chunk, in order: in forked workers when
    extraction used them (they inherit the chunk's parses and vectors; the reports
    travel back), else here.  Grouping and detection are pure Python, one core each."""
    done = _finish_in_forks(extracted, contexts, timers, config)
    for i, (e, ctx) in enumerate(zip(extracted, contexts, strict=True)):
        if isinstance(e, Exception) or isinstance(ctx, Exception):
            yield e if isinstance(e, Exception) else ctx
        else:
            yield done[i] if i in done else _finish_one(extracted[i], ctx, timers[i], config)


def _finish_one(extracted: _Extracted, ctx: StoryContext, timer: _Timer, config: Config) -> Report | Exception:
    try:
        return _finish(extracted, config, timer, ctx=ctx)
    except Exception as exc:  # noqa: BLE001 - handed to the caller, story by story
        return exc


def _finish_in_forks(
    extracted: Sequence[_Extracted | Exception], contexts: Sequence[StoryContext | Exception],
    timers: Sequence[_Timer], config: Config,
) -> dict[int, Report | Exception]:
    """The finished stories of a chunk by position, from forked workers; empty when the
    chunk is too small for workers (``forks.fork_workers``) and ``_finish_all`` finishes them here."""
    todo = [i for i, (e, ctx) in enumerate(zip(extracted, contexts, strict=True))
            if not isinstance(e, Exception) and not isinstance(ctx, Exception)]
    n_articles = sum(len(extracted[i].articles) for i in todo)  # type: ignore[union-attr]
    processes = fork_workers(n_articles, len(todo), config)
    if processes <= 1:
        return {}
    results = _in_forks(lambda i: _finish_one(extracted[i], contexts[i], timers[i], config),  # type: ignore[arg-type]
                        todo, processes, timers)
    return dict(zip(todo, results, strict=True))  # type: ignore[arg-type]


def _extract_one(articles: Sequence[Article], config: Config, timer: _Timer) -> _Extracted | Exception:
    try:
        return _extract(articles, config, timer)
    except Exception as exc:  # noqa: BLE001 - handed to the caller, story by story
        return exc


def _in_forks(work: Callable[[int], object], items: Sequence[int], processes: int,
              timers: Sequence[_Timer]) -> list[object]:
    """``work(i)`` for each of ``items`` over ``processes`` forked workers, in order.
    The seconds each item's stages took in a child (on its ``timers[i]``) are added to
    this process's ``timers[i]``.  Only results and seconds travel back."""

    def timed(i: int) -> tuple[object, dict[str, float]]:
        before = dict(timers[i].seconds)
        result = travelling(work(i))
        return result, {k: v - before.get(k, 0.0) for k, v in timers[i].seconds.items()}

    done = fork_map(timed, items, processes)
    for i, (_, seconds) in zip(items, done, strict=True):
        for stage, spent in seconds.items():
            timers[i].seconds[stage] = timers[i].seconds.get(stage, 0.0) + spent
    return [result for result, _ in done]


def _extract_all(
    stories: Sequence[Sequence[Article]], timers: Sequence[_Timer], config: Config
) -> list[_Extracted | Exception]:
    """``_extract`` for every story, over ``parse_processes`` forked workers when the
    chunk has enough articles (``parse_parallel_min_texts``) and the platform forks.

    Workers are forked after parsing, so they find every Doc in the parse cache they
    inherit; only the extracted claims travel back.  Reading figures, names and claims is
    pure Python, one core per process: this is what keeps the second core busy.
    """
    processes = fork_workers(sum(len(s) for s in stories), len(stories), config)
    if processes <= 1:
        return [_extract_one(articles, config, timer) for articles, timer in zip(stories, timers, strict=True)]
    return _in_forks(  # type: ignore[return-value]
        lambda i: _extract_one(stories[i], config, timers[i]), range(len(stories)), processes, timers)


@dataclass(frozen=True)
class _Extracted:
    """A story after the CPU stages: its claims, entities and mentions, and the articles
    left out because reading them failed (``problems``, one line each)."""

    articles: Sequence[Article]
    claims: list[Claim]
    entities: list[Entity]
    mentions: dict[str, list[EntityMention]]
    figures: list[Figure] = field(default_factory=list)
    problems: tuple[str, ...] = ()


def _article_failed(article: Article, stage: str, exc: BaseException) -> str:
    return (f"{article_location(article)}: could not be analysed ({stage}: {type(exc).__name__}: {exc}); "
            "it was left out and the other articles were checked")


def _parse_each(articles: Sequence[Article], config: Config, problems: list[str]) -> tuple[list[Article], list]:
    """The articles' Docs, parsed together; when that fails, one at a time, leaving out
    (and naming in ``problems``) each article whose text breaks the parser."""
    bodies = [a.text[a.body_start :] for a in articles]
    try:
        return list(articles), parse_articles(bodies, config)
    except ClaimcheckError:  # the model cannot load: no article can be parsed
        raise
    except Exception:  # noqa: BLE001 - one text broke the batch: find which
        pass
    kept, docs = [], []
    for article, body in zip(articles, bodies, strict=True):
        try:
            docs.append(parse_articles([body], config)[0])
        except ClaimcheckError:
            raise
        except Exception as exc:  # noqa: BLE001 - this article's problem, not the story's
            problems.append(_article_failed(article, "parsing", exc))
            continue
        kept.append(article)
    return kept, docs


def _extract(articles: Sequence[Article], config: Config, timer: _Timer) -> _Extracted:
    """Parse, read figures and names, link entities across the story, cut claims.

    An article whose parse, figures, names or claims fail is left out with a problem
    naming it; a failure of the story as a whole (linking names across it) is raised."""
    reference = story_date(articles)
    problems: list[str] = []

    with timer.stage("parse"):
        articles, docs = _parse_each(articles, config, problems)

    mentions: dict[str, list[EntityMention]] = {}
    quantities = {}
    with timer.stage("extract"):
        for article, doc in zip(articles, docs, strict=True):
            body = article.text[article.body_start :]
            try:
                quantities[article.id] = parse_quantities(
                    body, offset=article.body_start, ref_date=article.date or reference, hedges=config.hedges
                )
                mentions[article.id] = extract_mentions(doc, offset=article.body_start)
            except Exception as exc:  # noqa: BLE001 - this article's problem, not the story's
                problems.append(_article_failed(article, "reading figures and names", exc))
                mentions.pop(article.id, None)
    kept = [(a, d) for a, d in zip(articles, docs, strict=True) if a.id in mentions]

    while True:  # once, unless an article's claims fail: then again without it
        with timer.stage("extract"):
            entities, links = link_entities(
                {a.id: mentions[a.id] for a, _ in kept}, token_similarity=config.name_token_similarity)
            linked = {a.id: _link(a.id, mentions[a.id], links, entities) for a, _ in kept}
        with timer.stage("claims"):
            by_variant = _variant_index(entities)
            claims: list[Claim] = []
            broken = None
            for article, doc in kept:
                try:
                    found = list(extract_claims(article, doc, offset=article.body_start,
                                                quantities=quantities[article.id],
                                                mentions=linked[article.id], config=config))
                except Exception as exc:  # noqa: BLE001 - this article's problem, not the story's
                    broken = (article, exc)
                    break
                claims += [replace(c, subject_entity=_subject_entity(c, by_variant)) for c in found]
            if broken is not None:
                problems.append(_article_failed(broken[0], "cutting claims", broken[1]))
                kept = [(a, d) for a, d in kept if a.id != broken[0].id]
                continue
            kept_articles = [a for a, _ in kept]
            claims = _resolve_descriptions(kept_articles, claims, linked)
        with timer.stage("figures"):
            by_article: dict[str, list[Claim]] = {}
            for claim in claims:
                by_article.setdefault(claim.article_id, []).append(claim)
            figures: list[Figure] = []
            for article, doc in kept:
                figures.extend(read_figures(by_article.get(article.id, []), doc, offset=article.body_start,
                                            date=article.date or reference))
        return _Extracted(articles=kept_articles, claims=claims, entities=list(entities), mentions=linked,
                          figures=figures, problems=tuple(problems))


def _context(extracted: _Extracted, config: Config, trace: DetectionTrace | None = None) -> StoryContext:
    """A story's context for detection, before its claims are grouped."""
    articles = extracted.articles
    docs = parse_articles([a.text[a.body_start :] for a in articles], config)  # cached parses
    return StoryContext(
        articles={a.id: a for a in articles},
        claims=extracted.claims,
        entities=extracted.entities,
        mentions=extracted.mentions,
        figures=extracted.figures,
        docs={a.id: d for a, d in zip(articles, docs, strict=True)},
        embed=get_embedder(config).encode,
        config=config,
        trace=trace,
    )


def _finish(
    extracted: _Extracted, config: Config, timer: _Timer, trace: DetectionTrace | None = None,
    ctx: StoryContext | None = None,
) -> Report:
    """Embed the claims, group them across sources, find the discrepancies.  ``ctx``, when
    given, is the story's context built ahead (its detectors' texts already embedded)."""
    articles, claims, entities = extracted.articles, extracted.claims, extracted.entities
    if ctx is None:
        with timer.stage("context"):
            ctx = _context(extracted, config, trace)
    with timer.stage("embed"):
        embedder = get_embedder(config)
        vectors = embedder.encode([c.text for c in claims]) if claims else None
        ahead = texts_to_embed(ctx)
        if ahead:  # the same batch for the texts the detectors will embed
            embedder.encode(ahead)

    with timer.stage("align"):
        groups = group_claims(claims, vectors, config) if claims else []

    with timer.stage("detect"):
        ctx.groups = groups
        ctx.__dict__.pop("group_of", None)  # a cached lookup made before the groups were known
        discrepancies = _with_groups(find_discrepancies(ctx), groups)

    return Report(
        articles=list(articles),
        claims=claims,
        groups=groups,
        entities=list(entities),
        discrepancies=discrepancies,
        comparisons=list(ctx.comparisons),
        problems=list(extracted.problems),
        config=config.to_dict(),
        created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        timings=dict(timer.seconds),
    )


def _with_groups(discrepancies: Sequence[Discrepancy], groups: Sequence[ClaimGroup]) -> list[Discrepancy]:
    """Name the claim group a discrepancy is about: the group holding two or more of its
    evidence claims (a spelling spread over unrelated sentences has none)."""
    group_of = {cid: g.id for g in groups for cid in g.claim_ids}
    out = []
    for d in discrepancies:
        if d.kind == DiscrepancyKind.NAME_SPELLING:  # about a name, wherever it stands
            out.append(d)
            continue
        counts = Counter(group_of.get(e.claim_id) for e in d.evidence if e.claim_id in group_of)
        best = counts.most_common(1)
        out.append(replace(d, group_id=best[0][0]) if best and best[0][1] >= 2 else d)
    return out


def _link(
    article_id: str, mentions: Sequence[EntityMention], links: dict, entities: Sequence[Entity]
) -> list[EntityMention]:
    """Attach entity ids, and the story-level label: a surname the parser tagged ORG in
    one sentence is still the person the rest of the story names."""
    label = {e.id: e.label for e in entities}
    out = []
    for m in mentions:
        eid = links.get((article_id, m.start, m.end))
        out.append(replace(m, entity_id=eid, label=label.get(eid, m.label)))
    return out


def _resolve_descriptions(
    articles: Sequence[Article], claims: Sequence[Claim], mentions: dict[str, list[EntityMention]]
) -> list[Claim]:
    """Link subjects like "the 59-year-old politician" to the person they describe, and
    record them as mentions so figures in the claim get that person as holder."""
    by_id = {a.id: a for a in articles}
    salience = {
        aid: [e for e, _ in Counter(m.entity_id for m in ms if m.label == "PERSON" and m.entity_id).most_common()]
        for aid, ms in mentions.items()
    }
    out = []
    for claim in claims:
        if claim.subject_entity is None and claim.subject and is_person_description(claim.subject):
            sentence = claim.sentence
            named = {
                m.entity_id for m in mentions.get(claim.article_id, ()) if sentence.start <= m.start < sentence.end
            }
            person = resolve_description(salience.get(claim.article_id, []), named)
            start = by_id[claim.article_id].text.find(claim.subject, sentence.start, sentence.end)
            if person and start >= 0:
                mention = EntityMention(claim.subject, start, start + len(claim.subject), "PERSON", (), person)
                entities = tuple(sorted((*claim.entities, mention), key=lambda m: m.start))
                claim = replace(claim, subject_entity=person, entities=entities)
        out.append(claim)
    return out


def _variant_index(entities: Sequence[Entity]) -> dict[str, str]:
    index: dict[str, str] = {}
    for e in sorted(entities, key=lambda e: e.label != "PERSON"):
        for v in (e.name, *e.variants):
            index.setdefault(fold_name(v), e.id)
    return index
