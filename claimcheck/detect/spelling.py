"""One name, two spellings, in different outlets.

Names are read from every run of capitalised name words the parse gives
(``claimcheck.entities.name_runs``), not only from what the small model labels PERSON:
its labels miss invented and foreign names ("Dev Ramanthan") and names inside a party's
name ("Sarah Wagenknecht Union").  Three ways one name shows two spellings:

* **A name of two or more words** written by two sources with at least one word the same
  in the same place and every other word a slip of a letter or two ("Hendrik Vossberg" /
  "Hendrick Vosberg", "Franois Bayrou" / "François Bayrou"), or the same sounds written
  with other letters ("Alexander" / "Aleksandar"; ``claimcheck.entities.word_slip``).
* **One word** written alone that is one letter off a word of a person's full name the
  story gives ("Writz" against "Florian Wirtz", "the Gonclaves family" against "Kaylee
  Goncalves"): both words rare in English (wordfreq), so that "Austria" and "Australia"
  stay two countries.  Places written alone are left out: "Boulapé" / "Bulape" is as
  often two transliterations as a slip.
* **One office, two names that sound alike** word for word: "Paris prosecutor Laura
  Becco" against "Paris prosecutor Laure Beccuau" (the office read with the mention).

Guards: accents alone never count (names are compared folded: "Vučić" / "Vucic"); short
forms ("Xi") are no spelling; the rarer spelling must be one source's only, since a slip
is one outlet's and two spellings each written by several outlets are two names (two
people who share a surname, "Hans" and "Hanna"); two common English words are two words.

A card gathers the slips of one name (every rarer spelling, one side each) and one use
of the common spelling by another source, the one whose claim is closest to the
first rarer one's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.entities import NameWord, SlipRules, fold_name, name_runs, name_spelling_variant, word_slip
from claimcheck.entities.names import sounds_alike, word_zipf
from claimcheck.models import Discrepancy, DiscrepancyKind, Evidence, Severity, Span, TitleTense

NAME = "spelling"
_MAX_WINDOW = 4  # words: a longer run is a headline or a list, and its names are shorter windows
_MIN_ONE_WORD = 5  # letters of a one-word name compared on its own ("Wirtz", "Goncalves")
# a one-word name has no other word to vouch for it: one letter extra, missing, wrong or
# swapped only ("Writz" / "Wirtz"; "Vucevic" / "Vucic" are two people)
_ONE_WORD_MAX_EDITS = 1

Form = tuple[str, ...]  # a written name, folded word by word
Window = tuple[NameWord, ...]


@dataclass(frozen=True)
class _Slip:
    """One name written ``rare`` by one source and ``common`` by others."""

    rare: Form
    common: Form

    @property
    def words(self) -> frozenset[tuple[str, str]]:
        return frozenset((x, y) for x, y in zip(self.rare, self.common) if x != y)


class _Uses:
    """Every written name of the story (windows of the name runs), by folded form and
    article, in reading order."""

    def __init__(self) -> None:
        self.by_form: dict[Form, dict[str, list[Window]]] = defaultdict(lambda: defaultdict(list))

    def add(self, article_id: str, window: Window) -> None:
        self.by_form[tuple(w.form for w in window)][article_id].append(window)

    def sources(self, form: Form) -> set[str]:
        return set(self.by_form.get(form, {}))


def _read_uses(ctx: StoryContext) -> _Uses:
    uses = _Uses()
    for article_id in sorted(ctx.articles):
        found = ctx.doc_of(article_id)
        if found is None:
            continue
        doc, offset = found
        for run in name_runs(doc, offset=offset):
            for n in range(1, min(len(run), _MAX_WINDOW) + 1):
                for i in range(len(run) - n + 1):
                    uses.add(article_id, run[i : i + n])
    return uses


def _oriented(ctx: StoryContext, uses: _Uses, a: Form, b: Form) -> _Slip | None:
    """The slip between two forms, the rarer first, when the rarer is one source's only
    and another source writes the other."""
    sa, sb = uses.sources(a), uses.sources(b)
    rare, common = (a, b) if (len(sa), a) <= (len(sb), b) else (b, a)
    rare_sources, common_sources = uses.sources(rare), uses.sources(common)
    if len(rare_sources) != 1 or not common_sources - rare_sources:
        if ctx.tracing:
            spans = [
                (aid, w[0][0].start, w[0][-1].end) for f in (a, b) for aid, w in sorted(uses.by_form[f].items())
            ]
            ctx.refuse(NAME, "several sources", spans, f"“{' '.join(rare)}” and “{' '.join(common)}” are each "
                       "written by several sources (or by one source only): two names, not a slip")
        return None
    return _Slip(rare, common)


def _multi_word_slips(ctx: StoryContext, uses: _Uses, rules: SlipRules) -> list[_Slip]:
    """Names of two or more words that differ by slips; compares only forms that share a
    word in the same place or the initials of every word (a slip seldom hits an initial)."""
    index: dict[tuple, list[Form]] = defaultdict(list)
    forms = [f for f in uses.by_form if len(f) >= 2]
    for f in forms:
        for key in _index_keys(f):
            index[key].append(f)
    found = []
    for f in forms:
        partners = {g for key in _index_keys(f) for g in index[key] if g > f}
        for g in sorted(partners):
            if name_spelling_variant(f, g, rules):
                slip = _oriented(ctx, uses, f, g)
                if slip is not None:
                    found.append(slip)
    return found


def _index_keys(f: Form) -> list[tuple]:
    return [(len(f), i, word) for i, word in enumerate(f)] + [(len(f), "".join(w[:1] for w in f))]


def _one_word_slips(ctx: StoryContext, uses: _Uses, rules: SlipRules, rare_zipf: float) -> list[_Slip]:
    """A rare one-word name one source writes alone, a slip of a rare word of a person's
    full name that two or more other sources write.  People only: a place written alone
    in two ways is as often two transliterations ("Boulapé" / "Bulape") as a slip."""
    one_word = SlipRules(rules.min_similarity, _ONE_WORD_MAX_EDITS, rules.sound_similarity, rules.common_zipf)
    in_full_names = {w for f in uses.by_form if len(f) >= 2 for w in f}
    people_words = {
        w
        for e in ctx.entities
        if e.label == "PERSON"
        for v in e.variants
        if len(words := fold_name(v).split()) >= 2
        for w in words
    }
    common_words = [
        (f[0],) for f in uses.by_form
        if len(f) == 1 and f[0] in people_words and len(uses.sources(f)) >= 2
        and len(f[0]) >= _MIN_ONE_WORD and word_zipf(f[0]) < rare_zipf
    ]
    found = []
    for f in uses.by_form:
        if len(f) != 1 or len(f[0]) < _MIN_ONE_WORD or len(uses.sources(f)) != 1 or word_zipf(f[0]) >= rare_zipf:
            continue
        if f[0] in in_full_names:
            continue  # part of a longer name ("Milos Vucevic" is not "Vucic"): compared as that
        for g in common_words:
            if abs(len(f[0]) - len(g[0])) <= one_word.max_edits and word_slip(f[0], g[0], one_word):
                slip = _oriented(ctx, uses, f, g)
                if slip is not None:
                    found.append(slip)
    return found


def _word_windows(text: str, start: int) -> Window:
    return tuple(
        NameWord(fold_name(m.group()), start + m.start(), start + m.end(), m.group())
        for m in re.finditer(r"\S+", text)
    )


def _same_office_slips(ctx: StoryContext, uses: _Uses, rules: SlipRules) -> list[_Slip]:
    """Two names given one office by two sources that sound alike word for word."""
    holders: dict[str, dict[Form, set[str]]] = defaultdict(lambda: defaultdict(set))
    for article_id, mentions in ctx.mentions.items():
        for m in mentions:
            heads = {t.head for t in m.titles if t.is_office and t.tense is TitleTense.CURRENT}
            window = _word_windows(m.text, m.start)
            form = tuple(w.form for w in window)
            if len(form) < 2 or not heads:
                continue
            if form not in uses.by_form or article_id not in uses.by_form[form]:
                uses.add(article_id, window)
            for head in heads:
                holders[head][form].add(article_id)
    found = []
    for forms in holders.values():
        for f in forms:
            for g in forms:
                if g > f and len(f) == len(g) and _sound_alike_names(f, g, rules):
                    slip = _oriented(ctx, uses, f, g)
                    if slip is not None:
                        found.append(slip)
    return found


def _sound_alike_names(a: Form, b: Form, rules: SlipRules) -> bool:
    """Every word different, alike when spoken and ``sound_similarity`` alike by letters:
    a whole name written down by ear.  One word changed by sound with the others the same
    is a romanization ("King Mohammed VI" / "King Muhammad VI"), not a slip; and one office
    makes one person, so "Laura" / "Laure" is no pair of two people here."""
    pairs = [(x, y) for x, y in zip(a, b) if x != y]
    return len(pairs) == len(a) and all(
        min(len(x), len(y)) >= 3
        and x.isalpha() and y.isalpha()
        and sounds_alike(x, y)
        and fuzz.ratio(x, y) >= rules.sound_similarity
        and min(word_zipf(x), word_zipf(y)) < rules.common_zipf
        for x, y in pairs
    )


def _cards(slips: Iterable[_Slip]) -> list[list[_Slip]]:
    """Slips of one name together: those that share a word, rare or right ("Writz" and
    "Florian Wurtz" are both Wirtz), the shortest name that shows each slip kept."""
    unique: dict[frozenset, _Slip] = {}
    for slip in sorted(slips, key=lambda s: (len(s.rare), s.rare, s.common)):
        unique.setdefault(slip.words, slip)
    cards: list[tuple[set[str], list[_Slip]]] = []
    for slip in unique.values():
        words = {w for pair in slip.words for w in pair}
        joined = [c for c in cards if c[0] & words]
        merged = (words.union(*(c[0] for c in joined)), [s for c in joined for s in c[1]] + [slip])
        cards = [c for c in cards if not c[0] & words] + [merged]
    return [c[1] for c in cards]


def _first_use(ctx: StoryContext, windows: Sequence[Window], article_id: str):
    """The first window with a claim around it, and that claim."""
    for window in windows:
        claim = ctx.claim_at(article_id, window[0].start)
        if claim is not None:
            return window, claim
    return None


def _side(ctx: StoryContext, window: Window, claim, differing: set[str]) -> Evidence:
    span = Span(window[0].start, window[-1].end)
    marks = [Span(w.start, w.end) for w in window if w.form in differing] or [span]
    return ctx.span_evidence(claim, span, value=ctx.text(claim.article_id, span.start, span.end), highlights=marks)


# the common spelling is shown from this many sources at most (written exactly alike)
_COMMON_SOURCES_SHOWN = 3


def _card(ctx: StoryContext, uses: _Uses, card: Sequence[_Slip]) -> Discrepancy | None:
    """One side per spelling of the name: the first use of each rarer one, and the use of
    the spelling most sources write, by another source, whose claim is closest to the
    first rarer one's (the same thing said with the other spelling)."""
    forms = {f for s in card for f in (s.rare, s.common)}
    main = max(forms, key=lambda f: (len(uses.sources(f)), len(f), f))
    differing = {w for s in card for pair in s.words for w in pair}
    evidence: list[Evidence] = []
    for form in sorted(forms - {main}, key=lambda f: (len(f), f)):
        if len(uses.sources(form)) != 1:
            continue
        (article_id, windows), = uses.by_form[form].items()
        if any(e.file == article_id and set(fold_name(e.value).split()) >= set(form) for e in evidence):
            continue
        first = _first_use(ctx, windows, article_id)
        if first is not None and not any(_overlap(e, first[0]) for e in evidence):
            evidence.append(_side(ctx, *first, differing))
    if not evidence:
        return None
    rare_files = {e.file for e in evidence}
    candidates = [
        (window, claim)
        for article_id, windows in sorted(uses.by_form[main].items())
        if article_id not in rare_files
        for window in windows
        if (claim := ctx.claim_at(article_id, window[0].start)) is not None
    ]
    if not candidates:
        return None
    # claims were embedded when they were grouped: their vectors come from the cache
    texts = [ctx.claim(evidence[0].claim_id).text]
    texts += sorted({c.text for _, c in candidates} - set(texts))
    vectors = ctx.vectors(texts)
    closeness = dict(zip(texts, vectors @ vectors[0]))
    ranked = sorted(range(len(candidates)), key=lambda k: (-float(closeness[candidates[k][1].text]), k))
    best = ranked[0]
    evidence.append(_side(ctx, *candidates[best], differing))
    rare_count = len(evidence) - 1
    # a second source of the common spelling, written exactly alike ("A writes X; B and C
    # write Y"): an accent or a hyphen of difference would make two spellings of one side
    shown = evidence[-1]
    seen = {shown.file}
    for k in ranked[1:]:
        side = _side(ctx, *candidates[k], differing)
        if side.file not in seen and side.value == shown.value:
            evidence.append(side)
            seen.add(side.file)
            if len(seen) > _COMMON_SOURCES_SHOWN - 1:
                break

    common_sources = len(uses.sources(main))
    rare_text = "”, “".join(e.value for e in evidence[:rare_count])
    return Discrepancy(
        # from the spellings alone, not which is rarer: a new source keeps the card's id
        id=stable_id(DiscrepancyKind.NAME_SPELLING, *sorted({"/".join(sorted(p)) for s in card for p in s.words})),
        kind=DiscrepancyKind.NAME_SPELLING,
        severity=Severity.MEDIUM,
        score=0.5 + 0.1 * min(common_sources, 4),
        explanation=(
            f"“{rare_text}” ({', '.join(e.file for e in evidence[:rare_count])}) vs “{shown.value}” "
            f"({common_sources} source{'s' if common_sources != 1 else ''}): one name, two spellings"
        ),
        evidence=tuple(evidence),
        subject=shown.value,
    )


def _overlap(e: Evidence, window: Window) -> bool:
    return e.start < window[-1].end and window[0].start < e.end


@register_detector(NAME, kinds=[DiscrepancyKind.NAME_SPELLING], label="Spelling of a name")
def detect_spelling_variants(ctx: StoryContext) -> list[Discrepancy]:
    """One name, two spellings: a slip of a letter or two in a name of several words, in a
    rare one-word name, or two names of one office that sound alike."""
    cfg = ctx.config
    rules = SlipRules(
        min_similarity=cfg.spelling_min_similarity,
        max_edits=cfg.spelling_max_edits,
        sound_similarity=cfg.spelling_sound_similarity,
        common_zipf=cfg.spelling_common_zipf,
    )
    uses = _read_uses(ctx)
    slips = _multi_word_slips(ctx, uses, rules)
    slips += _one_word_slips(ctx, uses, rules, cfg.spelling_rare_zipf)
    slips += _same_office_slips(ctx, uses, rules)
    out = []
    for card in _cards(slips):
        found = _card(ctx, uses, card)
        if found is not None:
            out.append(found)
    return out
