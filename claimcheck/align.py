"""Align claims across sources: equivalent claims from different outlets form one group.

Each claim looks only at its ``group_top_k`` nearest neighbours (sentence-transformers'
``semantic_search``), so the work grows with claims x k, not claims squared.  Candidate
edges are merged strongest first (single linkage, like Kruskal's algorithm) under two
constraints that keep groups meaningful for comparison:

* a group holds at most one claim per article (two claims of one outlet are never "the
  same claim from two sources");
* claims that both carry figures must share a kind of figure, and claims that both name
  people must share one of them: similar wording about different people is not the
  same claim.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from claimcheck.config import Config
from claimcheck.models import Claim, ClaimGroup


def nearest_neighbours(embeddings: np.ndarray, top_k: int, chunk: int = 1024) -> list[list[tuple[int, float]]]:
    """For each row, the ``top_k + 1`` most similar rows as (index, cosine) without the
    row itself, most similar first (equal cosines: lower index first).  Rows are
    compared ``chunk`` at a time, so memory stays ``chunk`` x rows."""
    n = len(embeddings)
    if n == 0:
        return []
    vectors = np.ascontiguousarray(embeddings, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1.0, norms)
    k = min(top_k + 1, n)
    out: list[list[tuple[int, float]]] = []
    for start in range(0, n, chunk):
        scores = vectors[start : start + chunk] @ vectors.T
        for offset, row in enumerate(scores):
            i = start + offset
            if k < n:  # every row tied with the k-th best, so ties are cut by index below
                best = np.flatnonzero(row >= row[np.argpartition(-row, k - 1)[k - 1]])
            else:
                best = np.arange(n)
            best = best[np.lexsort((best, -row[best]))][:k]  # by cosine, then index
            out.append([(int(j), float(row[j])) for j in best if j != i])
    return out


def _people(claim: Claim) -> set[str]:
    return {m.entity_id for m in claim.entities if m.label == "PERSON" and m.entity_id}


def _figure_types(claim: Claim) -> set[tuple[str, str]]:
    return {(q.kind.value, q.unit) for q in claim.quantities}


def claims_compatible(a: Claim, b: Claim) -> bool:
    """Whether two similar claims may be the same claim (see the module docstring)."""
    fa, fb = _figure_types(a), _figure_types(b)
    if fa and fb and not fa & fb:
        return False
    pa, pb = _people(a), _people(b)
    return not (pa and pb and not pa & pb)


class _Clusters:
    """Union-find that refuses merges putting two claims of one article together."""

    def __init__(self, articles: Sequence[str]):
        self.parent = list(range(len(articles)))
        self.members: dict[int, set[str]] = {i: {a} for i, a in enumerate(articles)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def try_union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj or self.members[ri] & self.members[rj]:
            return False
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri] |= self.members.pop(rj)
        return True


def group_claims(
    claims: Sequence[Claim], embeddings: np.ndarray, config: Config | None = None
) -> list[ClaimGroup]:
    """Cluster claims into groups; a claim no other source makes is its own group."""
    config = config or Config()
    if not claims:
        return []
    neighbours = nearest_neighbours(embeddings, config.group_top_k)
    # neighbour lists are asymmetric: an edge found from either end counts once
    scores: dict[tuple[int, int], float] = {}
    for i, row in enumerate(neighbours):
        for j, score in row:
            key = (min(i, j), max(i, j))
            if score < config.group_similarity or key in scores:
                continue
            a, b = claims[key[0]], claims[key[1]]
            if a.article_id != b.article_id and claims_compatible(a, b):
                scores[key] = score
    edges = [(score, i, j) for (i, j), score in scores.items()]
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))

    clusters = _Clusters([c.article_id for c in claims])
    for _score, i, j in edges:
        clusters.try_union(i, j)

    by_root: dict[int, list[int]] = {}
    for i in range(len(claims)):
        by_root.setdefault(clusters.find(i), []).append(i)
    ordered = sorted(by_root.values(), key=lambda idx: (-len(idx), idx[0]))
    groups = []
    for members in ordered:
        member_claims = [claims[i] for i in members]
        # the member closest to the group's centroid labels it
        centroid = embeddings[members].mean(axis=0)
        label_claim = member_claims[int(np.argmax(embeddings[members] @ centroid))]
        ids = tuple(c.id for c in member_claims)
        digest = hashlib.sha1("\n".join(sorted(ids)).encode()).hexdigest()[:10]
        groups.append(
            ClaimGroup(
                id=f"g-{digest}",
                claim_ids=ids,
                article_ids=tuple(c.article_id for c in member_claims),
                label=label_claim.text,
            )
        )
    return groups
