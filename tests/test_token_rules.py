"""The table attribute ruler gives every token the annotations spaCy's own gives it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.config import Config
from claimcheck.token_rules import (
    _OTHER,
    TableAttributeRuler,
    TableLemmatizer,
    replace_attribute_ruler,
    replace_lemmatizer,
)


def _tokens(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.dep_, t.pos_, str(t.morph), t.lemma_) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    """(spaCy's pipeline as shipped, the project's pipeline)."""
    import spacy

    from claimcheck.nlp import load_spacy

    model = Config().spacy_model
    return spacy.load(model), load_spacy(model)


def test_the_projects_pipeline_looks_its_rules_up_in_a_table(pipelines):
    from spacy.pipeline import AttributeRuler, Lemmatizer

    shipped, ours = pipelines
    assert any(isinstance(p, AttributeRuler) for _, p in shipped.pipeline)
    assert not any(isinstance(p, AttributeRuler | Lemmatizer) for _, p in ours.pipeline)
    lemmatizer = next(p for _, p in ours.pipeline if isinstance(p, TableLemmatizer))
    table = next(p for _, p in ours.pipeline if isinstance(p, TableAttributeRuler))
    # every rule of the small English pipeline is one the table reads
    assert table._matcher_rules == 0 and table._runs and table._single
    # it sits where the ruler sat: after the parser, before the lemmatiser that reads its output
    names = ours.pipe_names
    assert names.index("parser") < names.index(table.name) < names.index(lemmatizer.name) < names.index("ner")


@pytest.mark.parametrize(
    "text",
    [
        # contractions and spoken forms the rules handle over two tokens
        "Y'all ain't gonna like it, and we gotta leave, so let's go now.",
        "He said he had nothin' to add and wouldn't've known anyway.",
        # an expletive "there" with the verb after it; "not" and "n't"
        "There are two bridges, but there is not one road and it isn't open.",
        # pronouns as objects, auxiliaries, main-verb "do" and "have"
        "They told me, gave it to you, and I am sure they did what they had promised.",
        "Do it! What did he do? That is that, whichever way they vote.",
        # white space tokens, subordinate conjunctions
        "If it rains  ,  the match stops.\n\nWhile   the council met, whether or not it agreed.",
    ],
)
def test_every_token_gets_spacys_annotations(pipelines, text):
    shipped, ours = pipelines
    assert _tokens(ours(text)) == _tokens(shipped(text))


_WORDS = [
    "the", "council", "ai", "n't", "gon", "na", "got", "ta", "let", "'s", "y'", "all",
    "nothin'", "there", "is", "are", "was", "i", "me", "you", "it", "do", "did", "have",
    "had", "'ve", "not", "be", "am", "'m", "that", "which", "if", "while", "voted", "7",
    "to", "6", ",", ".", "  ", "\n", "Mayor", "Ruiz", "said", "approved", "budget", "$",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=18))
def test_any_run_of_words_gets_spacys_annotations(pipelines, words):
    shipped, ours = pipelines
    text = " ".join(words)
    assert _tokens(ours(text)) == _tokens(shipped(text))


# ---------------------------------------------------------------- the table's own rules


def _ruler(rules):
    """A blank English pipeline with an attribute ruler of ``rules`` ((patterns, attrs, index))."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    for patterns, attrs, index in rules:
        ruler.add(patterns=patterns, attrs=attrs, index=index)
    return nlp, ruler


def _doc(nlp, words, tags=None, deps=None):
    from spacy.tokens import Doc

    heads = list(range(len(words))) if deps else None
    return Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=heads)


def _both(nlp, ruler, words, tags=None, deps=None) -> tuple[list, list]:
    expected = ruler(_doc(nlp, words, tags, deps))
    got = TableAttributeRuler(ruler)(_doc(nlp, words, tags, deps))
    return _tokens(got), _tokens(expected)


def test_a_later_rule_wins_where_two_set_one_attribute():
    nlp, ruler = _ruler([
        ([[{"TAG": "NN"}]], {"POS": "NOUN", "LEMMA": "thing"}, 0),
        ([[{"TAG": "NN", "LOWER": {"IN": ["vote", "poll"]}}]], {"POS": "VERB"}, 0),
        ([[{"TAG": "NN", "LOWER": "poll"}]], {"POS": "PROPN"}, 0),
    ])
    got, expected = _both(nlp, ruler, ["Vote", "poll", "table"], tags=["NN", "NN", "NN"])
    assert got == expected
    assert [(pos, lemma) for *_, pos, _, lemma in got] == [("VERB", "thing"), ("PROPN", "thing"), ("NOUN", "thing")]


def test_rules_over_two_tokens_set_the_token_they_name():
    nlp, ruler = _ruler([
        ([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"}, 0),
        ([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, -1),
        ([[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]], {"POS": "VERB"}, 1),
    ])
    words = ["gon", "na", "gon", "there", "are", "na"]
    deps = ["dep", "dep", "dep", "expl", "ROOT", "dep"]
    got, expected = _both(nlp, ruler, words, deps=deps)
    assert got == expected
    assert [lemma for *_, lemma in got][:3] == ["go", "to", ""] and got[4][3] == "VERB"


def test_a_rule_with_a_quantifier_is_left_to_spacys_matcher():
    nlp, ruler = _ruler([
        ([[{"LOWER": "very", "OP": "+"}, {"LOWER": "big"}]], {"LEMMA": "large"}, -1),
        ([[{"IS_SPACE": True}]], {"POS": "SPACE"}, 0),
    ])
    table = TableAttributeRuler(ruler)
    assert table._matcher_rules == 1 and len(table._single) == 1
    got, expected = _both(nlp, ruler, ["a", "very", "very", "big", "\n", "big"])
    assert got == expected and got[3][5] == "large" and got[5][5] == "" and got[4][3] == "SPACE"


def test_lower_case_forms_no_rule_names_share_one_entry():
    nlp, ruler = _ruler([
        ([[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], {"LEMMA": "nothing"}, 0),
        ([[{"LOWER": {"NOT_IN": ["a", "the"]}}]], {"POS": "X"}, 0),
    ])
    words = ["Nothin'", "a", "bridge", "river", "the"]
    got, expected = _both(nlp, ruler, words)
    assert got == expected
    assert [(pos, lemma) for *_, pos, _, lemma in got] == [
        ("X", "nothing"), ("", ""), ("X", ""), ("X", ""), ("", "")]
    table = TableAttributeRuler(ruler)
    table(_doc(nlp, words))
    assert table._lower_key[nlp.vocab.strings["bridge"]] == table._lower_key[nlp.vocab.strings["river"]] == _OTHER
    assert table._lower_key[nlp.vocab.strings["nothin'"]] != _OTHER


def test_a_pipeline_without_an_attribute_ruler_is_left_alone():
    import spacy

    nlp = spacy.blank("en")
    assert replace_attribute_ruler(nlp) is False and nlp.pipe_names == []


# ---------------------------------------------------------------- the lemmatiser's table


def test_the_lemmatiser_is_asked_once_per_form_part_of_speech_and_morphology(pipelines, monkeypatch):
    shipped, ours = pipelines
    table = next(p for _, p in ours.pipeline if isinstance(p, TableLemmatizer))
    table._table.clear()
    asked = []
    lemmatize = table.lemmatizer.lemmatize
    monkeypatch.setattr(table.lemmatizer, "lemmatize", lambda token: asked.append(token.text) or lemmatize(token))
    text = "The council voted. The council votes again, and the councils voted twice; it didn't vote."
    assert _tokens(ours(text)) == _tokens(shipped(text))
    # each (form, part of speech, morphology) once: "council" and "voted" repeat, "n't"
    # took its lemma ("not") from the attribute ruler and was not asked at all
    assert sorted(asked) == sorted(set(asked)) and asked.count("council") == 1 and "n't" not in asked
    assert {"councils", "votes", "vote"} <= set(asked)


def test_a_lemmatiser_that_does_not_work_by_rule_is_left_alone():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert replace_lemmatizer(nlp) is False and nlp.pipe_names == ["lemmatizer"]
