"""Parsing: once per process, and the same Docs whether one process parses or several."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.config import Config
from claimcheck.nlp import _DocCache, parse_articles, parse_pieces, parse_processes


@pytest.mark.parametrize(
    ("n_texts", "processes", "min_texts", "expected"),
    [
        (100, 1, 0, 1),  # asked for one
        (100, 2, 24, 2),
        (10, 2, 24, 1),  # too few to pay for starting workers
        (1, 4, 0, 1),  # one text is never split
        (3, 8, 0, 3),  # never more workers than texts
    ],
)
def test_parse_processes(n_texts, processes, min_texts, expected):
    assert parse_processes(n_texts, processes, min_texts) == expected


def test_parse_processes_zero_means_every_core(monkeypatch):
    monkeypatch.setattr("claimcheck.nlp._cores", lambda: 2)
    assert parse_processes(100, 0, 24) == 2


def _signature(doc) -> tuple:
    return (
        doc.text,
        [(t.text, t.idx, t.tag_, t.dep_, t.head.i, t.lemma_) for t in doc],
        [(s.start_char, s.end_char) for s in doc.sents],
        [(e.text, e.start_char, e.label_) for e in doc.ents],
    )


def test_worker_processes_give_the_same_docs_as_one_process():
    texts = [
        f"Mayor Ana Ruiz of Port Elwin said on Tuesday that {n} families had left. "
        f"The council, which met in the town hall, voted {n % 7} to 2 against the plan."
        for n in range(6)
    ]
    model = Config().spacy_model
    serial = _DocCache(size=10).parse(model, texts, processes=1)
    parallel = _DocCache(size=10).parse(model, texts, processes=2)
    assert [_signature(d) for d in parallel] == [_signature(d) for d in serial]
    # the tensor is dropped in the workers too, after every component has used it
    assert all(d.tensor.size == 0 for d in serial + parallel)


def test_dropping_the_tensor_keeps_every_annotation():
    from claimcheck.nlp import load_spacy

    model = Config().spacy_model
    nlp = load_spacy(model)
    text = "Finance Minister Ana Ruiz said on Tuesday that the budget would total $19 billion."
    with nlp.select_pipes(disable=["claimcheck_drop_tensor"]):
        full = nlp(text)
    dropped = nlp(text)
    assert full.tensor.size > 0 and dropped.tensor.size == 0
    assert _signature(dropped) == _signature(full)


def test_the_pipeline_multiplies_with_numpys_blas_and_parses_as_blis_did():
    """BLIS falls back to a generic kernel on CPUs its wheel does not know (4.5x slower
    here), so the pipeline's layers use numpy's ops; the annotations stay those of a
    pipeline loaded with thinc's default (BLIS) ops."""
    import spacy

    from claimcheck.nlp import load_spacy

    model = Config().spacy_model
    nlp = load_spacy(model)
    layers = [layer for _, pipe in nlp.pipeline if getattr(pipe, "model", None) for layer in pipe.model.walk()]
    assert layers and not any(getattr(layer.ops, "use_blis", False) for layer in layers if layer.name != "linear")
    reference = spacy.load(model)  # thinc's default ops
    assert any(getattr(layer.ops, "use_blis", False) for layer in reference.get_pipe("tok2vec").model.walk())
    text = (
        "Mayor Ana Ruiz of Port Elwin said on Tuesday that 41 families had left. "
        "The council, which met in the town hall, voted 5 to 2 against the plan, officials said."
    )
    assert _signature(nlp(text)) == _signature(reference(text))


@pytest.mark.parametrize(
    ("sentence", "word", "lemma"),
    [
        ("Hundreds of workers staged a walkout at the port on Monday.", "staged", "stage"),
        ("The clinic ran out of vaccine doses by noon.", "doses", "dose"),
        ("The mayor hopes the bridge will reopen in May.", "hopes", "hope"),
        ("The company was fined 2 million euros.", "fined", "fine"),
    ],
)
def test_verbs_and_nouns_ending_in_e_keep_their_e(sentence, word, lemma):
    """spaCy 3.8.8-3.8.18 lemmatise these as "stag", "dos", "hop", "fin" with the same
    model (and parse 1.6x slower): pyproject.toml keeps spaCy below 3.8.8."""
    from claimcheck.nlp import load_spacy

    doc = load_spacy(Config().spacy_model)(sentence)
    assert [t.lemma_ for t in doc if t.text == word] == [lemma]


def test_parse_articles_uses_the_config(monkeypatch):
    seen = {}

    def fake(texts, model, *, cache_size, processes, min_texts, max_chars):
        seen.update(model=model, cache_size=cache_size, processes=processes, min_texts=min_texts,
                    max_chars=max_chars)
        return []

    monkeypatch.setattr("claimcheck.nlp.parse_texts", fake)
    config = Config(parse_processes=3, parse_parallel_min_texts=5, parse_cache_docs=17, parse_max_chars=9000)
    parse_articles(["a"], config)
    assert seen == {"model": config.spacy_model, "cache_size": 17, "processes": 3, "min_texts": 5,
                    "max_chars": 9000}


# --------------------------------------------------------------------------- long texts, in pieces

PARAGRAPH = ("Mayor Ana Ruiz of Port Elwin said on Tuesday that 41 families had left. "
             "The council voted 5 to 2 against the plan.\n\n")


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\r\t\u00a0\u2028é")), max_size=400),
       st.integers(min_value=1, max_value=60))
def test_pieces_cover_the_text_exactly_and_none_is_too_long(text, max_chars):
    pieces = parse_pieces(text, max_chars)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= max_chars for p in pieces) or pieces == [""]


def test_a_long_text_is_cut_at_paragraphs_first_then_sentences():
    assert parse_pieces(PARAGRAPH * 3, len(PARAGRAPH) + 10) == [PARAGRAPH] * 3
    one_line = PARAGRAPH.replace("\n\n", " ") * 2
    first_sentence = one_line[: one_line.index("had left. ") + len("had left. ")]
    assert parse_pieces(one_line, len(first_sentence) + 5)[0] == first_sentence


def test_a_text_parsed_in_pieces_keeps_exact_offsets_sentences_and_names():
    text = PARAGRAPH * 4
    (doc,) = _DocCache(size=2).parse(Config().spacy_model, [text], max_chars=len(PARAGRAPH) + 1)
    whole = _DocCache(size=2).parse(Config().spacy_model, [text])[0]
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert [(e.text, e.start_char) for e in doc.ents] == [(e.text, e.start_char) for e in whole.ents]
    assert len(list(doc.sents)) == 8 and doc.has_annotation("DEP")


def test_a_text_over_spacys_limit_is_parsed_in_pieces():
    text = "Mayor Ana Ruiz said 41 families had left." + " " * 1_200_000 + "The council voted 5 to 2."
    (doc,) = _DocCache(size=2).parse(Config().spacy_model, [text], max_chars=100_000)
    assert doc.text == text
    council = next(t for t in doc if t.text == "council")
    assert text[council.idx : council.idx + len("council")] == "council" and council.idx > 1_200_000
    assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)
    assert any(e.start_char > 1_200_000 for e in doc.ents)


def test_the_fast_lookups_agree_with_spacys_own(nlp):
    from claimcheck.nlp import sentence_of, text_of, tokens_between

    doc = nlp("The council approved £85m on Tuesday. Nine people died  in the fire.\n\nA third one (here).")
    assert text_of(doc) == doc.text
    assert all((sentence_of(t).start, sentence_of(t).end) == (t.sent.start, t.sent.end) for t in doc)
    for start in range(len(doc.text)):
        for end in range(start + 1, len(doc.text) + 1):
            span = doc.char_span(start, end, alignment_mode="expand")
            assert [t.i for t in tokens_between(doc, start, end)] == [t.i for t in span or ()]


def test_a_parses_lookups_are_kept_while_it_lives_and_freed_with_it(nlp):
    """Computed once per parse however many parses are read in turns (a fixed number
    kept made a 300-article run compute them 853 times), and gone with the parse."""
    import gc

    from claimcheck import nlp as nlp_module

    docs = [nlp(f"Mayor number {i} spoke on Monday. The vote was {i} to 2.") for i in range(150)]
    first = [nlp_module._lookups(d) for d in docs]
    assert all(nlp_module._lookups(d) is found for d, found in zip(docs, first, strict=True))
    assert all(nlp_module.text_of(d) == d.text for d in docs)
    before = len(nlp_module._LOOKUPS)
    del docs, first
    gc.collect()
    assert len(nlp_module._LOOKUPS) <= before - 150


@pytest.mark.parametrize(("lower", "lemma"), [(True, True), (True, False), (False, True)])
def test_tokens_spelt_picks_what_the_token_objects_would(lower, lemma):
    from claimcheck.nlp import load_spacy, tokens_spelt

    doc = load_spacy(Config().spacy_model)(
        "The council Approved the plan; the mayor approves it, and the Senate rejected "
        "the Northern route.\n\nVoters were approving, then rejecting, the north-eastern bypass.")
    words = frozenset({"approve", "approved", "reject", "north", "northern", "senate"})
    expected = [t.i for t in doc if (lower and t.lower_ in words) or (lemma and t.lemma_.lower() in words)]
    assert tokens_spelt(doc, words, lower=lower, lemma=lemma) == expected
    assert expected  # the sentence holds such words under every setting
    assert tokens_spelt(doc, frozenset()) == [] and tokens_spelt(load_spacy(Config().spacy_model)(""), words) == []


_SPELT_TEXT = ("Ministers Approved the Budget on Monday; the Senate rejects it, rejecting "
               "North-Eastern routes and the mayors' pleas.\n\nIt wasn't approved.")


@given(st.sets(st.sampled_from(sorted({w for t in _SPELT_TEXT.replace("\n", " ").split()
                                       for w in (t.lower().strip(".;,"), t.strip(".;,"))}
                                      | {"approve", "reject", "minister", "plea", "be", "not"}))))
def test_tokens_spelt_agrees_with_the_tokens_for_any_words(words):
    from claimcheck.nlp import load_spacy, tokens_spelt

    doc = load_spacy(Config().spacy_model)(_SPELT_TEXT)
    expected = [t.i for t in doc if t.lower_ in words or t.lemma_.lower() in words]
    assert tokens_spelt(doc, frozenset(words)) == expected
