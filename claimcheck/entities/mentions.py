"""Mention reading: the people, organisations and places one parsed article names.

``extract_mentions(doc)`` returns PERSON / ORG / GPE / NORP mentions with exact character
offsets, and for people the titles attached to them (read by ``titles``).

The small spaCy model's entity *labels* are unreliable on names (a surname alone is often
ORG or LOC, a nationality inside "U.S. Senator X" comes out GPE), so labels are never
trusted alone: a token that appears inside a multi-word PERSON mention is a person
wherever it appears, a capitalised name right after an office word is a person, and the
label of a surface form is decided by majority over the article.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claimcheck.entities.names import NAME_PARTICLES, fold_name
from claimcheck.entities.offices import OFFICES
from claimcheck.entities.titles import (
    APPOSITIVE_OPENERS,
    HONORIFICS,
    NON_TITLE_ENTS,
    ROLE_WORDS,
    TITLE_WORDS,
    TitleFound,
    Word,
    following_titles,
    preceding_title,
    words_of,
)
from claimcheck.models import EntityMention, Title
from claimcheck.nlp import text_of

#: Words that cannot open a name after an office word: the office's own words ("Secretary
#: General"), roles ("Deputy Leader") and title words.
_NOT_NAME_START = frozenset(w for p in OFFICES for w in p.split()) | ROLE_WORDS | TITLE_WORDS
#: Words that make a capitalised run a place, building, body or event, not a person:
#: "President Street", "Queen Elizabeth Hospital", "Premier League", "Justice Department".
_NOT_PERSON_WORDS = frozenset(
    """street st road rd avenue ave boulevard lane drive way square place plaza bridge park
    gardens hall house office building tower centre center station airport port harbour
    harbor hospital clinic school college university institute academy museum library
    hotel stadium arena church cathedral chapel palace castle court courts party council
    committee commission department ministry agency bureau service authority foundation
    fund trust bank group company corporation corp inc ltd llc plc holdings partners
    capital league cup trophy prize award medal day week island islands county district
    province state city town village lake river mountain valley bay beach coast island
    memorial monument highway act bill law treaty""".split()
)
#: Honorifics that announce a person's name ("Mr", "Dr", "Sir"); "Miss" also names
#: pageants ("Miss Universe"), so it is left out.
_NAME_HONORIFICS = HONORIFICS - {"miss"}
_MAX_NAME_WORDS = 4  # a longer capitalised run is a headline or a title, not a name

_WANTED_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC")  # LOC kept only if it turns out a person
_OUTPUT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


# --------------------------------------------------------------------------- mentions


@dataclass
class _Candidate:
    start: int  # token indices, end exclusive
    end: int
    label: str
    in_heading: bool = False  # the spaCy span began on a heading line
    titles: list[TitleFound] = field(default_factory=list)


def _heading_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of lines that read like section headings ("Context And Stakes"):
    short, Title Case, no closing punctuation.  spaCy glues these to the next line's
    first word and tags the lot as a name."""
    ranges = []
    for line in re.finditer(r"[^\n]+", text):
        body = line.group().strip()
        words = [w for w in body.split() if w[:1].isalpha()]
        if not 2 <= len(words) <= 14 or body[-1] in ".!?\"”»:;,)":
            continue
        if sum(w[0].isupper() for w in words) / len(words) >= 0.6:
            ranges.append((line.start(), line.end()))
    return ranges


def _in_ranges(pos: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _trim(doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article, prefix ("pro-" of "pro-Trump") or punctuation, and a
    trailing possessive: offsets then point at the name itself."""
    while start < end:
        t = doc[start]
        glued_prefix = t.is_lower and start + 1 < end and doc[start + 1].text in "-‐" and not t.whitespace_
        if t.is_punct or t.is_space or t.pos_ == "DET" or glued_prefix or t.text in "-‐":
            start += 1
        else:
            break
    while end > start:
        t = doc[end - 1]
        if t.is_punct or t.is_space or t.tag_ == "POS" or t.text in {"'s", "’s", "'", "’"}:
            end -= 1
        else:
            break
    return start, end


def _split_span(doc, start: int, end: int) -> list[tuple[int, int]]:
    """Split an entity span at line breaks and inner possessives ("Norland's Labour Party")."""
    pieces, cur = [], start
    for k in range(start, end):
        t = doc[k]
        if t.is_space or "\n" in t.text or (t.tag_ == "POS" and k < end - 1):
            pieces.append((cur, k))
            cur = k + 1
    pieces.append((cur, end))
    out = []
    for a, b in pieces:
        a, b = _trim(doc, a, b)
        if b > a and any(ch.isalpha() for ch in doc[a:b].text):
            out.append((a, b))
    return out


def _strip_leading_titles(doc, start: int, end: int, *, keep: int) -> int:
    """"President Ana Ruiz" tagged as one span: the name starts after the title, and
    at least ``keep`` tokens stay (an ORG keeps two: "Chief Executive Partners")."""
    k = start
    while end - (k + 1) >= keep and doc[k].text[:1].isupper() and fold_name(doc[k].text) in TITLE_WORDS:
        k += 1
    return k


def _is_name_token(tok) -> bool:
    return tok.is_alpha and tok.text[:1].isupper()


def _name_tokens(doc, c: _Candidate) -> list[str]:
    return [fold_name(doc[k].text) for k in range(c.start, c.end) if _is_name_token(doc[k])]


def _looks_named(doc, a: int, b: int) -> bool:
    """A proper name, not a common noun that opens a line ("Crime dominates ...")."""
    return any(
        doc[k].text[:1].isupper() and (doc[k].pos_ == "PROPN" or not doc[k].is_sent_start)
        for k in range(a, b)
    )


def _spacy_candidates(doc, headings: Sequence[tuple[int, int]]) -> list[_Candidate]:
    cands = []
    for ent in doc.ents:
        if ent.label_ not in _WANTED_LABELS:
            continue
        in_heading = _in_ranges(ent.start_char, headings)
        for a, b in _split_span(doc, ent.start, ent.end):
            if ent.label_ in {"PERSON", "ORG"} and not _looks_named(doc, a, b):
                continue
            if ent.label_ in {"PERSON", "ORG", "NORP"}:
                a = _strip_leading_titles(doc, a, b, keep=1 if ent.label_ == "PERSON" else 2)
            label = ent.label_
            # "Augustin" tagged NORP with "Moreau" left out: extend over capitalised names
            if label in {"PERSON", "NORP"} and all(doc[k].pos_ == "PROPN" for k in range(a, b)):
                grown = b
                while (
                    grown < len(doc)
                    and doc[grown - 1].whitespace_ == " "
                    and doc[grown].pos_ == "PROPN"
                    and _is_name_token(doc[grown])
                    and not doc[grown].ent_type_
                    and fold_name(doc[grown].text) not in TITLE_WORDS
                ):
                    grown += 1
                if grown > b:
                    b, label = grown, "PERSON"
            cands.append(_Candidate(a, b, label, in_heading))
    return cands


def _has_age_appositive(words: Sequence[Word], k: int) -> bool:
    """ "Name, 47," or "Name (47)": only people have ages."""
    if k + 3 >= len(words) or words[k + 1].text not in {",", "("} or words[k + 3].text not in {",", ")"}:
        return False
    age = words[k + 2].text
    return age.isdigit() and 0 < int(age) < 120


def _has_person_evidence(
    doc, c: _Candidate, words: Sequence[Word], token_word: Sequence[int], person_words: set[int]
) -> bool:
    """An office right before or after the name, or an age after it."""
    if not _is_whole_words(c, words, token_word) or doc[c.start].pos_ != "PROPN":
        return False
    first, last = token_word[c.start], token_word[c.end - 1]
    before = preceding_title(words, first, person_words)
    if before and before.is_office:
        return True
    # "In Lima, a former minister said": a phrase fronting the sentence is no appositive
    if first > 0 and words[first - 1].pos == "ADP":
        return False
    if _has_age_appositive(words, last):
        return True
    return c.label != "GPE" and any(t.is_office for t in following_titles(words, last, person_words))


def _person_name_sets(doc, cands: Iterable[_Candidate]) -> tuple[set[str], set[str]]:
    """(every token, surname tokens) of the multi-word PERSON mentions."""
    tokens: set[str] = set()
    surnames: set[str] = set()
    for c in cands:
        if c.label != "PERSON":
            continue
        names = [t for t in _name_tokens(doc, c) if t not in NAME_PARTICLES]
        if len(names) >= 2:
            tokens.update(names)
            surnames.update(names[1:])
    return tokens, surnames


def is_person_form(folded: Sequence[str], tokens: set[str], surnames: set[str]) -> bool:
    return bool(folded) and set(folded) <= tokens and bool(set(folded) & surnames)


def _untagged_name_runs(doc, taken: set[int], tokens: set[str], surnames: set[str]) -> list[_Candidate]:
    """Capitalised runs spaCy left untagged that are made of this article's person names
    ("Ruiz" alone, after "Ana María Ruiz" was tagged once)."""
    found, k = [], 0
    while k < len(doc):
        t = doc[k]
        usable = (
            k not in taken
            and _is_name_token(t)
            and fold_name(t.text) in tokens
            and (t.pos_ == "PROPN" or not t.is_sent_start)
        )
        if not usable:
            k += 1
            continue
        end = k + 1
        while (
            end < len(doc)
            and end not in taken
            and _is_name_token(doc[end])
            and fold_name(doc[end].text) in tokens
        ):
            end += 1
        if {fold_name(doc[n].text) for n in range(k, end)} & surnames:
            start = k
            # an untagged given name in front ("Ilse" of "Ilse Kramm") is part of the name
            while start > 0 and k - start < 2 and _is_given_name_slot(doc, start - 1, taken):
                start -= 1
            found.append(_Candidate(start, end, "PERSON"))
        k = end
    return found


def _is_given_name_slot(doc, k: int, taken: set[int]) -> bool:
    t = doc[k]
    return (
        k not in taken
        and t.pos_ == "PROPN"
        and _is_name_token(t)
        and t.ent_type_ in {"", "PERSON"}
        and fold_name(t.text) not in TITLE_WORDS
        and t.whitespace_ == " "
    )


def _is_name_word(w: Word) -> bool:
    """A capitalised proper noun that can be part of a person's name ("Pérez-Soto")."""
    return (
        w.capitalised
        and w.pos == "PROPN"
        and bool(w.parts)
        and all(p.isalpha() for p in w.parts)
        and "\n" not in w.text
        and not w.ents & NON_TITLE_ENTS
        and w.norm not in TITLE_WORDS
    )


def _is_name_link(w: Word) -> bool:
    """A lowercase particle ("de", "van") or an initial ("F."): inside a name only."""
    return (w.norm in NAME_PARTICLES and not w.capitalised) or (
        len(w.text) == 2 and w.text[0].isupper() and w.text[1] == "."
    )


def _spaced(doc, words: Sequence[Word], k: int) -> bool:
    """Word ``k`` is followed by one space on the same line (no punctuation between)."""
    return doc[words[k].j - 1].whitespace_ == " "


def _misread_given_name(doc, words: Sequence[Word], k: int) -> bool:
    """A given name the tagger does not know is often read as a verb or a common noun
    ("Beatrix" of "Beatrix Hale, the mayor, ..."): a capitalised word of those kinds right
    before a proper noun may open a name (adverbs and the like never do: "Meanwhile")."""
    w = words[k]
    return (
        w.capitalised
        and w.text.isalpha()
        and w.pos in {"VERB", "NOUN", "ADJ"}
        and not w.ents & NON_TITLE_ENTS
        and k + 1 < len(words)
        and _spaced(doc, words, k)
        and _is_name_word(words[k + 1])
    )


def _name_run(doc, words: Sequence[Word], k: int) -> int:
    """One past the last word of the name starting at word ``k`` ("Ana de la Ruiz", "John
    F. Kennedy"); ``k`` when no name starts there."""
    if words[k].norm in _NOT_NAME_START or not (
        _is_name_word(words[k]) or _misread_given_name(doc, words, k)
    ):
        return k
    end = k + 1
    while end < len(words) and _spaced(doc, words, end - 1):
        j = end
        while j < len(words) and _is_name_link(words[j]) and _spaced(doc, words, j):
            j += 1
        if j < len(words) and _is_name_word(words[j]):
            end = j + 1
        else:
            break
    return end


def _titled_by_office(doc, words: Sequence[Word], k: int, blocked: set[int]) -> bool:
    """A capitalised office ("Governor", "Prime Minister", "Secretary of State") or an
    honorific ("Dr", "Sir") right before word ``k``: what follows is a person's name."""
    if k == 0 or not words[k - 1].capitalised or not _spaced(doc, words, k - 1):
        return False
    if words[k - 1].norm in _NAME_HONORIFICS:
        return True
    before = preceding_title(words, k, blocked)
    return before is not None and before.is_office and before.head_end == words[k - 1].end


def _titled_name_runs(
    doc, cands: list[_Candidate], words: Sequence[Word], token_word: Sequence[int],
    headings: Sequence[tuple[int, int]],
) -> list[_Candidate]:
    """Names that an office makes people, whatever spaCy tagged: "Governor Lavinia
    Hart" (often left untagged, or tagged ORG, or half tagged GPE) and "Lavinia Hart,
    the mayor of Eastford,".  The small model misses invented and foreign names next to
    titles, and those are exactly the mentions that carry an office.

    A run is kept only when it is plainly a name: capitalised proper nouns, at most
    ``_MAX_NAME_WORDS``, no place or institution word ("President Street", "Premier
    League"), outside headings, and not cut across by a longer spaCy entity.  spaCy's
    tokens inside the run give way to one PERSON candidate; a run spaCy tagged whole as
    a place keeps its label unless an office word stands right before it, and a run
    holding a PERSON span is left to spaCy (whose span grows over the untagged rest)."""
    by_token: dict[int, _Candidate] = {k: c for c in cands for k in range(c.start, c.end)}
    person_words = _word_set(cands, token_word, lambda c: c.label == "PERSON")
    replaced: set[int] = set()  # ids of candidates that a run replaces
    added: list[_Candidate] = []
    k = 0
    while k < len(words):
        first, end = k, _name_run(doc, words, k)
        k = max(end, k + 1)
        if end == first:
            continue
        if "NORP" in words[first].ents and end - first >= 3:
            first += 1  # "Republican Ana Ruiz": a party or nationality before a full name
        run = words[first:end]
        a, b = run[0].i, run[-1].j
        if (
            sum(_is_name_word(w) for w in run) > _MAX_NAME_WORDS
            or any(p in _NOT_PERSON_WORDS for w in run for p in w.parts)
            or _in_ranges(run[0].start, headings)
        ):
            continue
        inside = {id(c): c for t in range(a, b) if (c := by_token.get(t)) is not None}
        if any(c.start < a or c.end > b or c.label == "PERSON" for c in inside.values()):
            continue  # a longer entity runs through it ("Senator Hotel Group"), or spaCy saw the person
        blocked = person_words - set(range(first, end))
        before = _titled_by_office(doc, words, first, blocked)
        after = False
        if not before and len(run) >= 2 and end < len(words) and words[end].text in APPOSITIVE_OPENERS:
            fronted = first > 0 and words[first - 1].pos == "ADP"  # "In Lima, the minister ..."
            after = not fronted and any(t.is_office for t in following_titles(words, end - 1, blocked))
        if not (before or after):
            continue
        whole = [c for c in inside.values() if c.start == a and c.end == b]
        if whole and not before and whole[0].label in {"GPE", "LOC"}:
            continue
        replaced.update(inside)
        added.append(_Candidate(a, b, "PERSON"))
    return [c for c in cands if id(c) not in replaced] + added


def _is_full_name_of(doc, c: _Candidate, surnames: set[str]) -> bool:
    """ "Helena Ortiz" tagged ORG where "Ortiz" is known to be a person: two or three
    capitalised words ending in that surname."""
    if not 2 <= c.end - c.start <= 3 or not all(_is_name_token(doc[k]) for k in range(c.start, c.end)):
        return False
    return fold_name(doc[c.end - 1].text) in surnames


def _span_form(doc, c: _Candidate) -> str:
    return fold_name(doc[c.start : c.end].text)


def _harmonise_labels(doc, cands: list[_Candidate], tokens: set[str], surnames: set[str]) -> None:
    """One label per surface form within the article: names of people are PERSON
    everywhere; other forms take the article's majority label ("Norland" once PERSON)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cands:
        votes[_span_form(doc, c)][c.label] += 1
    for c in cands:
        names = _name_tokens(doc, c)
        if c.label != "PERSON" and (
            is_person_form(names, tokens, surnames) or _is_full_name_of(doc, c, surnames)
        ):
            c.label = "PERSON"
            continue
        if c.label == "PERSON" and len(names) >= 2:
            continue  # a full name stays a person even if spaCy disagrees elsewhere
        counts = votes[_span_form(doc, c)]
        best, n = counts.most_common(1)[0]
        if n > counts[c.label]:
            c.label = best


def extract_mentions(doc, *, offset: int = 0) -> list[EntityMention]:
    """PERSON, ORG, GPE and NORP mentions of one parsed article, with titles for people.

    ``offset`` is added to every position (pass the body start when ``doc`` was parsed
    from the article body rather than the whole file).  The mentions are kept on the
    Doc: a batch run reads them to file the article under a story, and again, from the
    same cached Doc, when it analyses the story.
    """
    key = ("claimcheck.mentions", offset)
    if key not in doc.user_data:
        doc.user_data[key] = tuple(_extract_mentions(doc, offset))
    return list(doc.user_data[key])


def keep_mentions(doc, mentions: Sequence[EntityMention], *, offset: int = 0) -> None:
    """Keep on ``doc`` the mentions ``extract_mentions(doc, offset=offset)`` gave in
    another process (a forked worker), so this process reads them from it too."""
    doc.user_data["claimcheck.mentions", offset] = tuple(mentions)


def _extract_mentions(doc, offset: int) -> list[EntityMention]:
    words, token_word = words_of(doc)
    doc_text = text_of(doc)  # spaCy rebuilds doc.text on every access
    headings = _heading_ranges(doc_text)

    cands = _spacy_candidates(doc, headings)
    # Headings glued to the next line come out as names ("Context", "Upcoming Tenure",
    # "Sentiment\nCrime"): from those spans keep only what the article names elsewhere.
    known = {t for c in cands if not c.in_heading for t in _name_tokens(doc, c)}
    cands = [c for c in cands if not c.in_heading or _known(_name_tokens(doc, c), known)]
    cands = _titled_name_runs(doc, cands, words, token_word, headings)

    # A name next to an office or with an age is a person, whatever spaCy called it
    # ("Congresswoman Lena Ortiz", "Lena Ortiz, a former senator,", "Ortiz, 47,").
    person_words = _word_set(cands, token_word, lambda c: c.label == "PERSON")
    evidenced = [c for c in cands if _has_person_evidence(doc, c, words, token_word, person_words)]
    for c in evidenced:
        c.label = "PERSON"

    tokens, surnames = _person_name_sets(doc, cands)
    for c in evidenced:  # "Ortiz, 47," makes "Ortiz" a surname even with no full name tagged
        names = _name_tokens(doc, c)
        if len(names) == 1:
            tokens.update(names)
            surnames.update(names)
    taken = {k for c in cands for k in range(c.start, c.end)}
    cands += _untagged_name_runs(doc, taken, tokens, surnames)
    _harmonise_labels(doc, cands, tokens, surnames)
    cands = sorted((c for c in cands if c.label in _OUTPUT_LABELS), key=lambda c: c.start)

    person_words = _word_set(cands, token_word, lambda c: c.label == "PERSON")
    office_spans: list[tuple[int, int]] = []
    for c in cands:
        if c.label != "PERSON" or not _is_whole_words(c, words, token_word):
            continue
        first, last = token_word[c.start], token_word[c.end - 1]
        blocked = person_words - set(range(first, last + 1))
        before = preceding_title(words, first, blocked)
        c.titles = ([before] if before else []) + following_titles(words, last, blocked)
        office_spans += [(t.head_start, t.head_end) for t in c.titles if t.is_office]

    mentions = []
    for c in cands:
        s, e = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text)
        # "State" of "Secretary of State" is part of a title, not an organisation
        if c.label in {"ORG", "PERSON"} and any(a <= s and e <= b for a, b in office_spans):
            continue
        titles = tuple(
            Title(
                text=doc_text[t.start : t.end],
                start=t.start + offset,
                end=t.end + offset,
                head=t.head,
                tense=t.tense,
                is_office=t.is_office,
            )
            for t in c.titles
        )
        mentions.append(EntityMention(doc_text[s:e], s + offset, e + offset, c.label, titles))
    return mentions


def _known(names: Sequence[str], known: set[str]) -> bool:
    return bool(names) and set(names) <= known


def _is_whole_words(c: _Candidate, words: Sequence[Word], token_word: Sequence[int]) -> bool:
    """False for a name glued inside a hyphenated word ("pro-Trump"): no titles there."""
    return words[token_word[c.start]].i == c.start and words[token_word[c.end - 1]].j == c.end


def _word_set(cands: Iterable[_Candidate], token_word: Sequence[int], keep) -> set[int]:
    return {token_word[k] for c in cands if keep(c) for k in range(c.start, c.end)}



# --------------------------------------------------------------------------- every written name


@dataclass(frozen=True)
class NameWord:
    """One word of a written name: its folded form and where it stands (article offsets)."""

    form: str  # folded: "vucic" for "Vučić"
    start: int
    end: int
    text: str


#: Parts of speech a capitalised word of a name never has ("The", "In", "He", "And").
_NOT_NAME_POS = frozenset({"DET", "ADP", "PRON", "CCONJ", "SCONJ", "AUX", "PART", "NUM", "PUNCT", "SPACE", "SYM"})


def _is_run_word(tok, sentence_starts: set[int]) -> bool:
    """A capitalised word that can be part of a written name, whatever spaCy labelled it:
    a proper noun, an entity word, or any capitalised noun-like word inside a sentence.
    Office, role and title words ("Prime", "Minister", "Coach", "Dr") and dates are not
    name words."""
    text = tok.text
    if not (tok.is_alpha and text[:1].isupper()) or tok.pos_ in _NOT_NAME_POS or tok.ent_type_ in NON_TITLE_ENTS:
        return False
    form = fold_name(text)
    if form in TITLE_WORDS or form in OFFICES or form in ROLE_WORDS:
        return False
    return tok.pos_ == "PROPN" or bool(tok.ent_type_) or tok.i not in sentence_starts


def name_runs(doc, *, offset: int = 0) -> list[tuple[NameWord, ...]]:
    """Every run of capitalised name words in one parsed article, read from the parse and
    not from the entity labels: "Sarah Wagenknecht Union" in a party's name the model left
    untagged, "Dev Ramanthan" read as no person, "Gonclaves" of "the Gonclaves family".
    A run ends at punctuation, a line break, a lowercase word or a title word, so "Prime
    Minister Ana Ruiz" gives the run "Ana Ruiz".  Kept on the Doc like the mentions."""
    key = ("claimcheck.name_runs", offset)
    if key not in doc.user_data:
        runs: list[tuple[NameWord, ...]] = []
        current: list[NameWord] = []
        starts = {s.start for s in doc.sents}  # Token.is_sent_start rescans the doc on every call
        for tok in doc:
            name_word = _is_run_word(tok, starts)
            joined = bool(current) and doc[tok.i - 1].whitespace_ == " "  # no comma or line break between
            if current and not (joined and name_word):
                runs.append(tuple(current))
                current = []
            if name_word:
                start = tok.idx + offset
                current.append(NameWord(fold_name(tok.text), start, start + len(tok.text), tok.text))
        if current:
            runs.append(tuple(current))
        doc.user_data[key] = tuple(runs)
    return list(doc.user_data[key])
