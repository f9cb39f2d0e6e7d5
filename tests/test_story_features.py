"""What story assignment reads from each article: the same whether names are read in
this process or in forked workers."""

from __future__ import annotations

import os

from claimcheck.config import Config
from claimcheck.ingest import load_articles


def test_names_read_in_forked_workers_are_those_read_here_and_stay_on_the_parse(fixtures_dir, monkeypatch, tmp_path):
    from claimcheck import story_features
    from claimcheck.entities import extract_mentions, mentions
    from claimcheck.nlp import parse_articles

    articles = load_articles([fixtures_dir / "plant_closure", fixtures_dir / "mayoral_race"]).articles
    serial = story_features.articles_features(articles, Config(parse_processes=1))

    read = mentions._extract_mentions

    def noting_the_process(doc, offset):
        (tmp_path / str(os.getpid())).touch()
        return read(doc, offset)

    monkeypatch.setattr(mentions, "_extract_mentions", noting_the_process)
    config = Config(parse_processes=2, parse_parallel_min_texts=0)
    docs = parse_articles([a.text[a.body_start :] for a in articles], config)
    for doc in docs:  # the serial run kept its mentions on these cached parses: read them again
        doc.user_data.clear()
    forked = story_features.articles_features(articles, config)

    assert str(os.getpid()) not in {p.name for p in tmp_path.iterdir()} and any(tmp_path.iterdir())
    assert [(f.entities, f.title) for f in forked] == [(f.entities, f.title) for f in serial]
    assert any(f.entities for f in forked)
    # what the workers read is kept on the parse: analysing the story does not read it again
    for article, doc in zip(articles, docs, strict=True):
        assert extract_mentions(doc, offset=article.body_start) == read(doc, article.body_start)
    assert str(os.getpid()) not in {p.name for p in tmp_path.iterdir()}
