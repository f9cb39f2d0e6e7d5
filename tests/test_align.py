"""Alignment: equivalent claims from different outlets form one group."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.align import claims_compatible, group_claims
from claimcheck.config import Config
from claimcheck.models import Claim, EntityMention, Quantity, QuantityKind, Span, Speaker
from claimcheck.pipeline import get_embedder


def claim(cid: str, article: str, text: str, people=(), figures=()) -> Claim:
    mentions = tuple(EntityMention(p, 0, len(p), "PERSON", (), f"person:{p.lower()}") for p in people)
    qs = tuple(Quantity(f, 0, len(f), 1, 0, 2, QuantityKind.PERCENT, "%") for f in figures)
    return Claim(cid, article, text, (Span(0, len(text)),), Span(0, len(text)), Speaker(article),
                 entities=mentions, quantities=qs)


def vectors(claims):
    return get_embedder(Config()).encode([c.text for c in claims])


def test_paraphrases_from_two_outlets_form_one_group_and_the_rest_stay_single():
    claims = [
        claim("a#0", "a", "The mayor resigned on Friday after the audit."),
        claim("b#0", "b", "After the audit, the mayor stepped down on Friday."),
        claim("b#1", "b", "Wheat prices rose sharply in the spring."),
    ]
    groups = group_claims(claims, vectors(claims), Config())
    assert [set(g.claim_ids) for g in groups] == [{"a#0", "b#0"}, {"b#1"}]
    assert groups[1].single_source


def test_two_claims_of_one_article_never_share_a_group():
    claims = [
        claim("a#0", "a", "The mayor resigned on Friday."),
        claim("a#1", "a", "The mayor resigned on Friday, the council said."),
        claim("b#0", "b", "On Friday the mayor resigned."),
    ]
    groups = group_claims(claims, vectors(claims), Config())
    for g in groups:
        assert len(g.article_ids) == len(set(g.article_ids))


def test_the_same_wording_about_different_people_is_not_the_same_claim():
    a = claim("a#0", "a", "Ruiz won the vote.", people=["Ruiz"])
    b = claim("b#0", "b", "Lund won the vote.", people=["Lund"])
    assert not claims_compatible(a, b)
    groups = group_claims([a, b], vectors([a, b]), Config(group_similarity=0.0))
    assert len(groups) == 2


def test_group_ids_are_stable():
    claims = [claim("a#0", "a", "The mayor resigned."), claim("b#0", "b", "The mayor quit.")]
    v = vectors(claims)
    assert [g.id for g in group_claims(claims, v)] == [g.id for g in group_claims(claims, v)]


def test_no_claims_no_groups():
    assert group_claims([], np.zeros((0, 384))) == []


@given(
    n=st.integers(min_value=1, max_value=40),
    top_k=st.integers(min_value=1, max_value=8),
    chunk=st.integers(min_value=1, max_value=50),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    duplicates=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_nearest_neighbours_are_the_most_similar_rows_in_any_chunking(n, top_k, chunk, seed, duplicates):
    from claimcheck.align import nearest_neighbours

    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, 6)).astype(np.float32)
    if duplicates and n > 3:  # equal cosines
        vectors[n - 1] = vectors[0]
        vectors[n // 2] = vectors[0] * 3
    found = nearest_neighbours(vectors, top_k, chunk=chunk)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = unit @ unit.T
    k = min(top_k + 1, n)
    for i, row in enumerate(found):
        picked = [j for j, _ in row]
        assert i not in picked and len(set(picked)) == len(picked) and len(picked) in (k - 1, k)
        assert all(abs(s - scores[i, j]) < 1e-5 for j, s in row)
        assert all(a[1] >= b[1] - 1e-6 for a, b in zip(row, row[1:], strict=False))  # most similar first
        if row:  # nothing left out is more similar than what was kept
            left_out = [scores[i, j] for j in range(n) if j != i and j not in picked]
            assert all(s <= row[-1][1] + 1e-6 for s in left_out)
