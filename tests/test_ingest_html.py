"""HTML pages as saved from a browser: the article's main text, title, date and outlet
are read by trafilatura, and offsets index the extracted text the report quotes
(issue 13, item 8).  Every page here is invented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.errors import EmptyArticleError, InputError
from claimcheck.ingest import load_articles, read_article_file

PARAGRAPHS = [
    "Islebridge Ferries will cut four of its nine Saltmere routes from July, the company said on Tuesday, "
    "blaming a 14% rise in fuel costs.",
    'Chief executive Tomas Quillan said about 120 crew jobs would go. "We have held on for as long as we '
    'could," he said.',
    "Councillor Maren Dusk called the decision a blow to island families who rely on the crossings to reach "
    "schools and hospitals.",
    "The operator carried 1.2 million passengers last year, according to its annual report.",
]

# Boilerplate of the kind a browser saves with the article, all in plain <div>s: a cookie
# notice, a menu, a share bar, a newsletter box, related stories, reader comments, a
# "most read" list and a footer.
SAVED_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Ferry operator cuts Saltmere routes | The Fenwick Observer</title>
<meta property="og:site_name" content="The Fenwick Observer">
<meta property="og:title" content="Ferry operator cuts Saltmere routes">
<meta property="article:published_time" content="2031-05-06T07:30:00+00:00">
<link rel="canonical" href="https://www.fenwick-observer.example/news/ferry-routes">
<script>window.dataLayer = [{{"tracker": "TRACKER-7"}}];</script>
<style>.x {{ color: red }}</style>
</head><body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience. Accept all
cookies or manage your preferences.</p><button>Accept</button></div>
<div class="site-header"><div class="logo">The Fenwick Observer</div>
<div class="menu"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></div></div>
<div class="main-column">
<h1>Ferry operator cuts Saltmere routes</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share by email</a></div>
<div class="article-body">
<p>{PARAGRAPHS[0]}</p>
<p>{PARAGRAPHS[1].replace('"', "&quot;")}</p>
<div class="newsletter-signup"><p>Sign up to our morning briefing, delivered free to your inbox every
day.</p><form><input name="email"></form></div>
<p>{PARAGRAPHS[2]}</p>
<p>{PARAGRAPHS[3]}</p>
</div>
<div class="related-stories"><h3>Related stories</h3><ul><li><a href="/a">Harbour fees to rise next
spring</a></li><li><a href="/b">Lighthouse keepers return to Saltmere</a></li></ul></div>
<div id="comments" class="comments"><h3>Comments (2)</h3><div class="comment"><p>Disgraceful decision,
says a reader who has travelled on the ferry for thirty years.</p></div></div>
</div>
<div class="sidebar"><h3>Most read</h3><ol><li><a href="/c">Storm warning for the coast this
weekend</a></li><li><a href="/d">Fishing quotas cut again</a></li></ol></div>
<div class="site-footer">© 2031 Fenwick Observer Ltd. All rights reserved. Privacy policy · Terms</div>
</body></html>
"""

BOILERPLATE = ("cookies", "Home", "Share on", "Sign up", "Related stories", "Harbour fees", "Comments",
               "Disgraceful", "Most read", "Storm warning", "All rights reserved", "TRACKER", "color")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_page_saved_from_a_browser_keeps_only_the_article(tmp_path):
    (page,) = read_article_file(write(tmp_path, "ferry.html", SAVED_PAGE))
    assert page.text == "\n\n".join(PARAGRAPHS)
    for furniture in BOILERPLATE:
        assert furniture not in page.text


def test_a_saved_page_gives_its_title_date_outlet_and_address(tmp_path):
    (page,) = read_article_file(write(tmp_path, "ferry.html", SAVED_PAGE))
    assert page.title == "Ferry operator cuts Saltmere routes"
    assert page.date == dt.date(2031, 5, 6)
    assert page.source == "The Fenwick Observer"
    assert page.url == "https://www.fenwick-observer.example/news/ferry-routes"
    assert page.body_start == 0 and page.path == str(tmp_path / "ferry.html")


def test_a_page_with_no_metadata_is_named_by_its_file(tmp_path):
    (page,) = read_article_file(write(tmp_path, "bare.html", f"<html><body><p>{PARAGRAPHS[3]}</p></body></html>"))
    assert page.text == PARAGRAPHS[3]
    assert page.source == "bare.html" and page.date is None


HOSTILE_PAGE = """<html><head><title>Quay <script>alert('title')</script></title>
<script>document.write('INJECTED')</script><noscript>Enable scripts</noscript></head>
<body onload="alert('body')">
<nav><a href="javascript:alert('nav')">Menu</a></nav>
<article>
<p onclick="alert('p')">The quay reopened after 3 weeks of repairs, the harbour master said.</p>
<iframe src="https://ads.example/frame">Advert</iframe>
<svg onload="alert('svg')"><text>SVG TEXT</text></svg>
<template><p>Template text never shown</p></template>
<p>A reader wrote &lt;script&gt;alert(1)&lt;/script&gt; under the story, and <b>it stayed as text.</b>
<p>An unclosed paragraph <i>with an unclosed italic
</article>
</body></html>
"""


def test_hostile_markup_leaves_only_text_and_escaped_tags_stay_literal(tmp_path):
    (page,) = read_article_file(write(tmp_path, "hostile.html", HOSTILE_PAGE))
    assert "The quay reopened after 3 weeks of repairs, the harbour master said." in page.text
    # an escaped tag in the article is the article's text: the report escapes it again
    assert "A reader wrote <script>alert(1)</script> under the story, and it stayed as text." in page.text
    for code in ("INJECTED", "alert('", "javascript:", "Menu", "Advert", "SVG TEXT", "Template text",
                 "Enable scripts", "onload", "onclick"):
        assert code not in page.text


def test_a_page_of_page_furniture_only_is_rejected_by_name(tmp_path):
    shell = write(tmp_path, "shell.html",
                  "<html><body><nav><a href='/'>Home</a> | <a href='/n'>News</a></nav>"
                  "<script>track()</script><style>p{}</style></body></html>")
    result = load_articles([shell])
    assert result.articles == []
    [problem] = result.problems
    assert problem.code == EmptyArticleError.code and "shell.html" in problem.message
    with pytest.raises(EmptyArticleError):
        read_article_file(shell)


# Random markup: tags (some unclosed, some void, some never article text), attributes,
# entities and text.  The extractor must give an article or a coded input error, nothing else.
_TAGS = ["p", "div", "span", "b", "i", "a", "h1", "h2", "ul", "li", "table", "tr", "td", "br", "script",
         "style", "nav", "footer", "aside", "form", "iframe", "svg", "pre", "article", "main", "section"]
_WORDS = st.sampled_from(["The", "harbour", "board", "said", "412", "ships", "docked", "on", "Monday,",
                          "&amp;", "&lt;b&gt;", "&nbsp;", "—", "café", "€45", "million.", "\n", "  "])
_TEXT = st.lists(_WORDS, min_size=0, max_size=12).map(" ".join)
_OPEN = st.builds(lambda t, attr: f"<{t}{attr}>", st.sampled_from(_TAGS),
                  st.sampled_from(["", ' class="x"', ' onclick="alert(1)"', ' style="color:red"', " hidden"]))
_CLOSE = st.sampled_from(_TAGS).map(lambda t: f"</{t}>")
_MARKUP = st.lists(st.one_of(_OPEN, _CLOSE, _TEXT, st.just("<!-- a comment -->"), st.just("<?xml version='1.0'?>")),
                   min_size=0, max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_MARKUP, wrapped=st.booleans())
def test_any_markup_gives_an_article_or_an_input_error(tmp_path, body, wrapped):
    markup = f"<html><head><title>T</title></head><body>{body}</body></html>" if wrapped else body
    path = write(tmp_path, "soup.html", markup)
    try:
        (page,) = read_article_file(path)
    except InputError:
        return
    assert page.text.strip() and page.body_start == 0
    assert "\n\n\n" not in page.text
    assert all(block == block.strip() and block for block in page.text.split("\n\n"))
    assert "alert(1)" not in page.text and "color:red" not in page.text


# --------------------------------------------------------------------------- offsets, end to end

GOVERNOR_PAGE = """<html><head><title>Bridge opens</title><meta property="og:site_name" content="Daily Ledger">
<meta property="article:published_time" content="2031-04-02"></head><body>
<div class="menu"><a href="/">Home</a> <a href="/news">News</a></div>
<div class="story"><h1>Bridge opens</h1>
<p>Governor Ama Mensah opened the new bridge on Tuesday.</p>
<p>The bridge cost 240 million dollars and took four years to build.</p></div>
<div class="footer">© 2031 Daily Ledger</div></body></html>
"""
# The "most read" box names her by an office no article gives her: read as article text, it
# would be one more office in the conflict.
SENATOR_PAGE = """<html><head><title>Senator opens bridge</title><meta property="og:site_name" content="Herald">
</head><body><div class="cookie-notice">We use cookies on this site.</div>
<div class="content"><p>Senator Ama Mensah opened the new bridge on Tuesday.</p>
<p>Officials said the bridge cost about 240 million dollars.</p></div>
<div class="sidebar most-read"><h3>Most read</h3><ul><li><a href="/x">President Ama Mensah visits the
harbour</a></li><li><a href="/y">Ferry fares rise</a></li></ul></div></body></html>
"""


def test_the_report_quotes_the_extracted_text_at_the_offsets_it_gives(tmp_path):
    import claimcheck

    paths = [write(tmp_path, "ledger.html", GOVERNOR_PAGE), write(tmp_path, "herald.html", SENATOR_PAGE)]
    report = claimcheck.check(paths)
    texts = {a.id: a.text for a in report.articles}
    assert all("Most read" not in t and "cookies" not in t and "Home" not in t for t in texts.values())
    [d] = report.discrepancies
    assert {e.value for e in d.evidence} == {"Governor", "Senator"}
    for e in d.evidence:
        assert texts[e.file][e.start:e.end] == e.text
    for c in report.claims:
        assert all(0 <= s.start <= s.end <= len(texts[c.article_id]) for s in c.spans)
    assert {a.source for a in report.articles} == {"Daily Ledger", "Herald"}
