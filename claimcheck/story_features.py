"""What story assignment compares, read from each article on its own: its lead as one
unit vector, its people and organisations, a title.

Reading it (a parse and an embedding per article) is the costly part of assignment and
needs no other article, so it runs where the engine runs it: in this process, or on
Dask workers (``claimcheck.engine``).  Choosing the story from these features stays with
the run that coordinates (``claimcheck.batch.choose_story``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from claimcheck.config import Config
from claimcheck.errors import ClaimcheckError
from claimcheck.models import Article, EntityMention

__all__ = ["ArticleFeatures", "article_features", "articles_features", "features_each"]


@dataclass(frozen=True)
class ArticleFeatures:
    """What story assignment looks at: the article's lead as one unit vector, and its
    people and organisations (folded names -> mentions)."""

    vector: np.ndarray = field(repr=False)
    entities: Mapping[str, int]
    title: str


def article_features(article: Article, config: Config) -> ArticleFeatures:
    """Parse one article and embed its lead (the first ``story_lead_sentences``)."""
    return articles_features([article], config)[0]


def articles_features(articles: Sequence[Article], config: Config) -> list[ArticleFeatures]:
    """``article_features`` for many articles: parsed in one batch (over several
    processes when it pays), every lead embedded in one model call, and the names read
    in forked workers when there are enough articles (``forks.fork_workers``)."""
    from claimcheck.nlp import parse_articles
    from claimcheck.pipeline import get_embedder

    if not articles:
        return []
    bodies = [a.text[a.body_start :] for a in articles]
    # parsed once per process: analysing the story later reuses these Docs
    docs = parse_articles(bodies, config)
    sentences = [[s.text.strip() for s in doc.sents if s.text.strip()] for doc in docs]
    leads = [ss[: max(1, config.story_lead_sentences)] or [body.strip()[:1000]] for ss, body in zip(sentences, bodies, strict=True)]
    vectors = get_embedder(config).encode([s for lead in leads for s in lead])
    names = _names_each(articles, docs, config)

    out = []
    at = 0
    for article, ss, lead, found in zip(articles, sentences, leads, names, strict=True):
        vector = vectors[at : at + len(lead)].mean(axis=0)
        at += len(lead)
        vector = (vector / (np.linalg.norm(vector) or 1.0)).astype(np.float32)
        title = article.title or (ss[0] if ss else article.id)
        out.append(ArticleFeatures(vector=vector, entities=found, title=_shorten(title, 120)))
    return out


def _names_each(articles: Sequence[Article], docs: Sequence, config: Config) -> list[dict[str, int]]:
    """Each article's people and organisations (folded name -> mentions).  In forked
    workers for many articles: the mentions they read come back and are kept on the
    Docs, which analysing the story reads again."""
    from claimcheck.entities import extract_mentions, keep_mentions
    from claimcheck.forks import fork_map, fork_workers

    def read(i: int) -> tuple[tuple[EntityMention, ...], dict[str, int]]:
        mentions = extract_mentions(docs[i], offset=articles[i].body_start)
        return tuple(mentions), _names(articles[i].id, mentions, config)

    processes = fork_workers(len(articles), len(articles), config)
    if processes <= 1:
        return [read(i)[1] for i in range(len(articles))]
    done = fork_map(read, range(len(articles)), processes)
    for article, doc, (mentions, _) in zip(articles, docs, done, strict=True):
        keep_mentions(doc, mentions, offset=article.body_start)
    return [names for _, names in done]


def _names(article_id: str, mentions: Sequence[EntityMention], config: Config) -> dict[str, int]:
    from claimcheck.entities import fold_name, link_entities

    entities, links = link_entities({article_id: mentions}, token_similarity=config.name_token_similarity)
    per_entity = Counter(links.values())
    names: Counter[str] = Counter()
    for entity in entities:
        if entity.label in ("PERSON", "ORG") and (name := fold_name(entity.name)):
            names[name] += per_entity.get(entity.id, 0) or 1
    return dict(names)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"




def features_each(articles: Sequence[Article], config: Config) -> list[ArticleFeatures | Exception]:
    """``articles_features``, or, when that fails, each article's alone: an article that
    breaks parsing or embedding gets its exception, and the others their features."""
    try:
        return list(articles_features(articles, config))
    except ClaimcheckError:  # the models or the store: not one article's fault
        raise
    except Exception:  # noqa: BLE001 - find the article that broke the batch
        pass
    out: list[ArticleFeatures | Exception] = []
    for article in articles:
        try:
            out.append(article_features(article, config))
        except ClaimcheckError:
            raise
        except Exception as exc:  # noqa: BLE001 - that article's problem
            out.append(exc)
    return out
