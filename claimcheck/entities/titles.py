"""Title reading: the words before or after a name that say what the person is.

"U.S. Secretary of State Ana Ruiz", "Ana Ruiz, a former congresswoman and lawyer,", "Ana
Ruiz was a minister": each title is read from the parse as a run of words with its head
(the office's head from ``offices.yaml``, or the role noun), its tense (former, current,
future) and whether it names an office.  ``words_of(doc)`` joins hyphenated tokens into
words ("far-right", "President-elect"), which is what titles are read over.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from claimcheck.entities.names import fold_name
from claimcheck.entities.offices import OF_OFFICES, OFFICES, PORTFOLIO_HEADS
from claimcheck.models import TitleTense
from claimcheck.nlp import text_of

#: Roles and labels that are not offices ("lawyer", "candidate", "far-right"): accepted as
#: titles after a name even when they do not look like a role noun by their ending.
ROLE_WORDS = frozenset(
    """candidate nominee contender challenger rival opponent incumbent frontrunner
    front-runner runner-up favourite favorite leader member lawyer attorney activist
    analyst economist journalist editor reporter correspondent student teacher professor
    doctor physician nurse businessman businesswoman entrepreneur founder director
    spokesman spokeswoman spokesperson official adviser advisor aide ally critic supporter
    politician lawmaker legislator author writer veteran father mother son daughter
    brother sister wife husband widow widower dictator populist conservative liberal
    socialist communist libertarian independent centrist moderate winner star player coach
    owner investor banker executive manager head chief envoy diplomat officer soldier
    general colonel farmer worker resident voter citizen native immigrant migrant refugee
    priest bishop cleric engineer scientist researcher architect artist singer actor
    actress musician president-elect heir successor predecessor principal newcomer pastor
    rabbi imam volunteer academic scholar pilot surgeon chef athlete""".split()
)

#: Endings of nouns that name people (lawyer, editor, activist, nominee, chairwoman).
_ROLE_ENDINGS = re.compile(r"(?:er|or|ist|ian|ee|man|woman|person|ate|ive|eur|ant|ent)s?$")
#: Nouns with those endings that name things, seen after "Name, a ..." in news copy.
_NOT_ROLES = frozenset(
    """government statement agreement number matter order power water paper border center
    centre moment comment event percent per cent rate state senate climate debate estimate
    mandate element segment document department movement parliament tenure measure
    other sector factor error mirror""".split()
)

_FORMER_MARKERS = frozenset({"former", "ex", "outgoing", "then", "retired", "onetime", "erstwhile"})
_FUTURE_MARKERS = frozenset({"elect", "incoming", "designate", "future", "would-be", "wouldbe"})
TENSE_MARKERS = _FORMER_MARKERS | _FUTURE_MARKERS
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady"})
#: Words that open a title ("President", "Prime", "Dr"); spaCy sometimes puts them inside
#: a PERSON span, and they end a name ("Ana Ruiz Senator" is not a longer name).
TITLE_WORDS = (
    frozenset(p for p in OFFICES if " " not in p)
    | {"vice", "prime", "chief", "deputy", "lieutenant", "attorney"}
    | HONORIFICS
    | TENSE_MARKERS
)
_DETERMINERS = frozenset({"a", "an", "the"})
APPOSITIVE_OPENERS = frozenset({",", "—", "–", "(", "-"})
#: spaCy types of tokens that never sit inside a title ("Sunday", "27%").
NON_TITLE_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
_MAX_TITLE_WORDS = 6  # a longer run before a name is a sentence, not a title


# --------------------------------------------------------------------------- words


@dataclass(frozen=True, slots=True)
class Word:
    """One or more tokens joined by in-word hyphens ("far-right", "President-elect")."""

    i: int  # first token index
    j: int  # one past the last token index
    start: int  # character offsets in the doc
    end: int
    text: str
    parts: tuple[str, ...]  # folded pieces between hyphens
    pos: str  # part of speech of the last piece
    tag: str
    lemma: str
    ents: frozenset[str]
    hyphenated: bool

    @property
    def norm(self) -> str:
        return "-".join(self.parts)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


_HYPHENS = frozenset({"-", "‐"})


def words_of(doc) -> tuple[list[Word], list[int]]:
    """Words of the doc and, per token, the index of its word: a token that touches a
    hyphen with no space between ("far", "-", "right") joins the word before it.

    Every article's every token passes here (story assignment reads the names of each
    new article), so the tokens' attributes are read as one array (no Token objects),
    each string looked up once per doc, and a word of one token (most words) is built
    without the hyphen handling (1.3x faster than building it the general way)."""
    import numpy
    from spacy.attrs import ENT_TYPE, IDX, IS_SPACE, LEMMA, ORTH, POS, SPACY, TAG

    doc_text = text_of(doc)  # spaCy rebuilds doc.text on every access
    array = doc.to_array([IDX, ORTH, POS, TAG, LEMMA, ENT_TYPE, SPACY, IS_SPACE])
    rows = array.tolist()
    store = doc.vocab.strings
    string = {key: store[key] for key in numpy.unique(array[:, 1:6]).tolist()}  # each string once
    string[0] = ""

    groups: list[list[int]] = []
    prev_text, prev_space = "", True
    for i, (_, orth, _, _, _, _, space, is_space) in enumerate(rows):
        text = string[orth]
        if groups and not prev_space and (text in _HYPHENS or prev_text in _HYPHENS) and not is_space:
            groups[-1].append(i)
        else:
            groups.append([i])
        prev_text, prev_space = text, bool(space)
    words: list[Word] = []
    token_word = [0] * len(rows)
    for gi, toks in enumerate(groups):
        if len(toks) == 1:
            i = toks[0]
            token_word[i] = gi
            start, orth, pos, tag, lemma, ent, _, _ = rows[i]
            text = string[orth]
            folded = fold_name(text)
            words.append(Word(
                i=i, j=i + 1, start=start, end=start + len(text), text=text,
                parts=(folded,) if folded else (), pos=string[pos], tag=string[tag],
                lemma=fold_name(string[lemma]), ents=frozenset((string[ent],)) if ent else _NO_ENTS,
                hyphenated=False,
            ))
            continue
        for i in toks:
            token_word[i] = gi
        pieces = [i for i in toks if string[rows[i][1]] not in _HYPHENS] or toks
        last = rows[pieces[-1]]
        start = rows[toks[0]][0]
        end = rows[toks[-1]][0] + len(string[rows[toks[-1]][1]])
        parts = tuple(p for p in (fold_name(string[rows[i][1]]) for i in pieces) if p)
        words.append(Word(
            i=toks[0], j=toks[-1] + 1, start=start, end=end, text=doc_text[start:end],
            parts=parts, pos=string[last[2]], tag=string[last[3]],
            lemma=fold_name(string[last[4]]) if len(pieces) == 1 else "-".join(parts),
            ents=frozenset(string[rows[i][5]] for i in toks if rows[i][5]), hyphenated=len(pieces) > 1,
        ))
    return words, token_word


_NO_ENTS: frozenset[str] = frozenset()


# --------------------------------------------------------------------------- titles


@dataclass(frozen=True)
class TitleFound:
    """A title found in the doc; character offsets are the doc's (no article offset)."""

    start: int
    end: int
    head: str
    tense: TitleTense
    is_office: bool
    head_start: int  # the words that name the office ("Secretary of State"), so that
    head_end: int  # entity fragments inside them ("State" as ORG) can be dropped

    def retensed(self, tense: TitleTense) -> TitleFound:
        return dataclasses.replace(self, tense=tense)


def _tense(words: Sequence[Word]) -> TitleTense:
    parts = {p for w in words for p in w.parts} | {w.norm for w in words}
    if parts & _FORMER_MARKERS:
        return TitleTense.FORMER
    if parts & _FUTURE_MARKERS:
        return TitleTense.FUTURE
    return TitleTense.CURRENT


def _content_parts(words: Sequence[Word]) -> list[tuple[str, int]]:
    """(piece, word position) for every piece that is not a tense marker."""
    out = []
    for k, w in enumerate(words):
        if w.norm not in TENSE_MARKERS:
            out.extend((p, k) for p in w.parts if p not in TENSE_MARKERS)
    return out


def _match_office(parts: Sequence[str]) -> tuple[str, int] | None:
    """The longest office phrase that ends ``parts``: (canonical head, phrase length)."""
    for n in range(min(4, len(parts)), 0, -1):
        phrase = " ".join(parts[-n:])
        if phrase in OFFICES:
            return OFFICES[phrase], n
    return None


def _looks_like_role(word: Word) -> bool:
    lemma = word.lemma or word.norm
    if lemma in ROLE_WORDS or word.norm in ROLE_WORDS or lemma in OFFICES:
        return True
    return bool(_ROLE_ENDINGS.search(lemma)) and lemma not in _NOT_ROLES and word.norm not in _NOT_ROLES


def _office_in(words: Sequence[Word], *, after_name: bool) -> tuple[str, int, int] | None:
    """(canonical head, first word, last word) of the office the words end with."""
    content = _content_parts(words)
    parts = [p for p, _ in content]
    found = _match_office(parts)
    if found is not None:
        head, n = found
        return head, content[len(content) - n][1], content[-1][1]
    if after_name and "of" in parts:
        # "Minister of Finance": a portfolio office is named before its "of"
        cut = len(parts) - 1 - parts[::-1].index("of")
        found = _match_office(parts[:cut])
        if found and found[0] in PORTFOLIO_HEADS:
            return found[0], content[cut - found[1]][1], len(words) - 1
    return None


def _classify_title(words: Sequence[Word], *, after_name: bool) -> TitleFound | None:
    """Read a bounded run of words ("former U.S. Secretary of State") as one title.

    Before a name any lowercase noun or label is a title ("rival", "far-right"); after a
    name ("Name, a ...") the head must look like a role, because appositives also carry
    things ("Name, part of the coalition")."""
    if not words or not _content_parts(words):
        return None
    tense = _tense(words)
    office = _office_in(words, after_name=after_name)
    if office is not None:
        head, first, last = office
        return _title(words, head, True, tense, words[first], words[last])
    last = words[-1]
    if last.norm in TENSE_MARKERS:
        return None
    if last.capitalised and not (last.lemma in ROLE_WORDS or last.norm in ROLE_WORDS):
        return None  # a capitalised word that is no known title belongs to a name or an org
    if after_name and not _looks_like_role(last):
        return None
    if not after_name and last.pos not in {"NOUN", "ADJ", "PROPN"} and not last.hyphenated:
        return None
    if last.hyphenated or last.pos != "NOUN":
        if not after_name:
            # a bare label ("far-right Ana Ruiz") is only its adjectives, never the
            # nouns before it ("the run-off pits far-right Ana Ruiz")
            k = len(words) - 1
            while k > 0 and (words[k - 1].pos == "ADJ" or words[k - 1].norm in TENSE_MARKERS):
                k -= 1
            words = words[k:]
        return _title(words, last.norm, False, tense, last, last)
    # a compound role keeps its noun modifiers: "engineering student"
    k = len(words) - 1
    while k > 0 and _is_plain_noun(words[k - 1]):
        k -= 1
    head = " ".join([w.norm for w in words[k:-1]] + [last.lemma or last.norm])
    return _title(words, head, False, tense, words[k], last)


def _is_plain_noun(w: Word) -> bool:
    return w.pos == "NOUN" and not w.capitalised and not w.hyphenated


def _title(
    words: Sequence[Word], head: str, office: bool, tense: TitleTense, first: Word, last: Word
) -> TitleFound:
    return TitleFound(words[0].start, words[-1].end, head, tense, office, first.start, last.end)


def _can_precede_as_title(w: Word) -> bool:
    if w.ents & NON_TITLE_ENTS or "\n" in w.text or w.tag == "POS":
        return False
    if w.norm in TENSE_MARKERS or w.norm == "of":
        return True
    if w.pos in {"NOUN", "PROPN", "ADJ"}:
        return True
    return w.hyphenated and all(p.isalpha() for p in w.parts)


def preceding_title(words: Sequence[Word], k: int, blocked: set[int]) -> TitleFound | None:
    """The title right before the name starting at word ``k``: "U.S. Secretary of State"."""
    run: list[Word] = []
    j = k - 1
    while j >= 0 and len(run) < _MAX_TITLE_WORDS and j not in blocked and _can_precede_as_title(words[j]):
        run.append(words[j])
        j -= 1
    run.reverse()
    # "of" belongs to a title only inside an office phrase ("Secretary of State"); a
    # stray "of" ("the era of Ana Ruiz") ends the title
    office = _office_in(run, after_name=False)
    inside = set(range(office[1], office[2] + 1)) if office else set()
    stray = [i for i, w in enumerate(run) if w.norm == "of" and i not in inside]
    if stray:
        run = run[max(stray) + 1 :]
    return _classify_title(run, after_name=False)


def _np_word_ok(w: Word) -> bool:
    if "\n" in w.text or w.pos in {"PUNCT", "CCONJ", "ADP", "PRON", "AUX", "DET", "SPACE", "SCONJ", "PART"}:
        return w.hyphenated and all(p.isalnum() for p in w.parts)
    if w.pos == "VERB":
        return w.tag in {"VBG", "VBN"} or w.hyphenated
    return w.pos in {"NOUN", "PROPN", "ADJ", "NUM", "ADV", "X"} or w.hyphenated


def _read_of_phrase(words: Sequence[Word], idx: list[int], j: int) -> int | None:
    """At an "of" after a title noun: how far an office phrase runs ("Secretary of State",
    "Minister of Finance"), or None when the "of" ends the title."""
    if not idx:
        return None
    head = words[idx[-1]].norm
    for phrase in OF_OFFICES:
        k = phrase.index("of")
        if phrase[k - 1] != head:
            continue
        tail = phrase[k:]
        if j + len(tail) <= len(words) and [words[j + n].norm for n in range(len(tail))] == tail:
            return j + len(tail)
    if head in PORTFOLIO_HEADS:
        n = j + 1
        while n < len(words) and n - j <= 3 and words[n].pos in {"NOUN", "PROPN"}:
            n += 1
        return n if n > j + 1 else None
    return None


def _read_noun_phrases(words: Sequence[Word], j: int, blocked: set[int]) -> list[list[int]]:
    """Noun phrases joined by "and" from word ``j``: "a former congresswoman and
    conservative lawyer" -> [[former, congresswoman], [conservative, lawyer]].
    Empty when a name turns up (then it was a list of people, not an appositive)."""
    phrases: list[list[int]] = []
    n = len(words)
    while j < n:
        while j < n and words[j].norm in _DETERMINERS | {"his", "her", "their", "its"}:
            j += 1
        idx: list[int] = []
        while j < n:
            w = words[j]
            if j in blocked:
                return []
            if w.tag == "POS":  # "the coalition's nominee": the title starts after the owner
                idx, j = [], j + 1
                continue
            if w.norm == "of":
                stop = _read_of_phrase(words, idx, j)
                if stop is None:
                    break
                idx.extend(range(j, stop))
                j = stop
                continue
            if not _np_word_ok(w):
                break
            idx.append(j)
            j += 1
        if idx:
            phrases.append(idx)
        if j < n and words[j].norm == "and" and idx:
            j += 1
            continue
        break
    return phrases


def following_titles(words: Sequence[Word], k: int, blocked: set[int]) -> list[TitleFound]:
    """Titles after the name ending at word ``k``: an appositive ("Name, 47, a former
    minister and lawyer,") or a copula ("Name is a lawyer", "Name was a minister")."""
    n = len(words)
    j = k + 1
    copula_tense: TitleTense | None = None
    if j < n and words[j].text in APPOSITIVE_OPENERS:
        j += 1
        if j + 1 < n and words[j].pos == "NUM" and words[j + 1].text == ",":
            j += 2  # an age: "Name, 47, ..."
        if j < n and words[j].norm in {"is", "was"}:
            copula_tense = TitleTense.FORMER if words[j].norm == "was" else TitleTense.CURRENT
            j += 1
    elif j < n and words[j].norm in {"is", "was"}:
        copula_tense = TitleTense.FORMER if words[j].norm == "was" else TitleTense.CURRENT
        j += 1
    else:
        return []
    if copula_tense is not None and not (j < n and words[j].norm in {"a", "an"}):
        return []  # "Name is expected to...", "Name was the first ...": not a role
    found = []
    for idx in _read_noun_phrases(words, j, blocked):
        t = _classify_title([words[i] for i in idx], after_name=True)
        if t is None:
            continue
        if copula_tense is TitleTense.FORMER and t.tense is TitleTense.CURRENT:
            t = t.retensed(TitleTense.FORMER)  # "Name was a minister"
        found.append(t)
    return found

