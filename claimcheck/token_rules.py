"""spaCy's attribute ruler and rule lemmatiser, with the same answers, from tables.

The attribute ruler
-------------------

The small English pipeline's ``attribute_ruler`` sets each token's coarse part of speech,
morphology and some lemmas from 179 token rules (its tag map, and exceptions such as
"n't" or an auxiliary "have").  spaCy runs them through its ``Matcher``, which tries every
rule at every token: 1.5-2.0 s for 100 benchmark articles (66,912 tokens), a seventh of
the whole parse, in each parse worker.

Every one of those rules is a fixed run of one or two tokens, each token tested on its
tag, lower-case form, dependency label or being white space, by equality, a list or a
regular expression.  Which tests a token passes is then a function of those four values:
it is computed once per distinct combination (lower-case forms no rule names share one
entry) and looked up afterwards.  A rule of any other shape (a quantifier, another
attribute) still goes through a ``Matcher`` of its own.  Rules apply in the original's
order, so a later rule wins where two set the same attribute, as in spaCy's
``AttributeRuler.set_annotations``.

The lemmatiser
--------------
spaCy's rule lemmatiser calls Python code for every token (0.34-0.73 s per 100 benchmark
articles), and its cache leaves out the commonest case: a base form (a singular noun, an
infinitive) is checked again each time, reading the token's morphology into a dict.  Its
answer depends on the token's form, part of speech and morphology only (the key of its
own cache), so it is asked once per key and the lemma looked up afterwards.

Tests compare every token's annotations with spaCy's own components.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["TableAttributeRuler", "TableLemmatizer", "replace_attribute_ruler", "replace_lemmatizer"]

#: the token attributes a rule may test to be read from the table, in the table key's order
_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_LOWER = _KEYS.index("LOWER")
#: the key a lower-case form takes when no rule names it and no rule's expression finds it
_OTHER = -1
#: table entries kept before the table starts again (a bound; a night has a few thousand)
_TABLE_LIMIT = 200_000

Test = Callable[[int], bool]


def _test(key: str, value: Any, strings) -> tuple[Test, frozenset[int], re.Pattern | None] | None:
    """(a function telling whether a token's value for ``key`` meets one pattern value as
    spaCy's Matcher reads it, the hashes the value names, its regular expression); None
    if the value is not one of the forms handled here.  Values are compared as string
    hashes (0/1 for IS_SPACE), as the Matcher does."""
    if key == "IS_SPACE":
        if not isinstance(value, bool):
            return None
        want = int(value)
        return (lambda v: v == want), frozenset({0, 1}), None
    if isinstance(value, str):
        h = strings.add(value)
        return (lambda v: v == h), frozenset({h}), None
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            hashes = frozenset(strings.add(a) for a in arg)
            if op == "IN":
                return (lambda v: v in hashes), hashes, None
            return (lambda v: v not in hashes), hashes, None
        if op == "REGEX" and isinstance(arg, str):
            pattern = re.compile(arg)
            return (lambda v: v != _OTHER and pattern.search(strings[v]) is not None), frozenset(), pattern
    return None


def _token_tests(pattern: list[dict], strings) -> list[list[tuple[int, Test]]] | None:
    """Each token of ``pattern`` as (position in the table key, test) pairs, or None when
    the pattern has a quantifier or tests something else (it then goes to the Matcher)."""
    tokens = []
    for spec in pattern:
        tests = []
        for key, value in spec.items():
            found = _test(key, value, strings) if key in _KEYS else None
            if found is None:
                return None
            tests.append((_KEYS.index(key), found[0]))
        tokens.append(tests)
    return tokens or None


class _Component:
    """A pipeline component that reads one Doc at a time (a subclass's ``__call__``)."""

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)  # type: ignore[operator]


def _put_in_place(nlp, name: str, factory: str, make) -> None:
    """Replace the pipeline's component ``name`` by what ``make(nlp, name, replaced)``
    builds from it, registered as ``factory`` and named ``<name>_table``."""
    from spacy.language import Language

    if not Language.has_factory(factory):
        Language.factory(factory, func=make)
    nlp.add_pipe(factory, name=f"{name}_table", after=name, config={"replaced": name})
    nlp.remove_pipe(name)


class TableAttributeRuler(_Component):
    """Does to a Doc what ``ruler`` (a spaCy ``AttributeRuler``) does, faster."""

    def __init__(self, ruler, name: str | None = None):
        from spacy.matcher import Matcher

        strings = ruler.vocab.strings
        self.name = name or ruler.name
        self.vocab = ruler.vocab
        self._attrs: list[Mapping] = list(ruler.attrs)  # rule id -> normalised attributes
        # (rule id, per-token tests, which token the rule sets) of the table's rules
        self._rules: list[tuple[int, list[list[tuple[int, Test]]], int]] = []
        self._named_lowers: set[int] = set()
        self._lower_patterns: list[re.Pattern] = []
        self._matcher = Matcher(self.vocab, validate=False)
        self._matcher_rules = 0
        for rule_id, index in enumerate(ruler.indices):
            _, patterns = ruler.matcher.get(str(rule_id))
            leftover = []
            for pattern in patterns:
                tokens = _token_tests(pattern, strings)
                target = index if index >= 0 else len(pattern) + index
                if tokens is None or not 0 <= target < len(pattern):
                    leftover.append(pattern)  # the Matcher, and spaCy's own error if any
                    continue
                self._rules.append((rule_id, tokens, target))
                for spec in pattern:
                    if "LOWER" in spec:
                        _, named, regex = _test("LOWER", spec["LOWER"], strings)
                        self._named_lowers |= named
                        if regex is not None:
                            self._lower_patterns.append(regex)
            if leftover:
                self._matcher.add(str(rule_id), leftover)
                self._matcher_rules += 1
        self._indices = list(ruler.indices)
        # the rules that set a token's attributes from that token alone
        self._single = [(r, tokens[0]) for r, tokens, _ in self._rules if len(tokens) == 1]
        # (rule, its tokens' tests, target) of rules over several tokens
        self._runs = [(r, tokens, target) for r, tokens, target in self._rules if len(tokens) > 1]
        self._lower_key: dict[int, int] = {}
        self._table: dict[tuple[int, ...], tuple[tuple[int, ...], dict, tuple]] = {}

    def _key_lower(self, lower: int) -> int:
        """A lower-case form as the table sees it: itself when a rule names it or one of
        the rules' expressions finds it, else ``_OTHER``."""
        found = self._lower_key.get(lower)
        if found is None:
            keep = lower in self._named_lowers or any(
                p.search(self.vocab.strings[lower]) for p in self._lower_patterns) if lower else True
            found = self._lower_key[lower] = lower if keep else _OTHER
            if len(self._lower_key) > _TABLE_LIMIT:
                self._lower_key.clear()
        return found

    def _entry(self, key: tuple[int, ...]) -> tuple[tuple[int, ...], dict, tuple]:
        """(ids of the one-token rules a token with these values meets, in order; their
        attributes merged, a later rule winning; the (run, token) places of the rules
        over several tokens whose test at that token it passes)."""
        ids = tuple(sorted({r for r, tests in self._single if all(test(key[at]) for at, test in tests)}))
        places = tuple((n, k) for n, (_, tokens, _) in enumerate(self._runs)
                       for k, tests in enumerate(tokens) if all(test(key[at]) for at, test in tests))
        return ids, self._merged(ids), places

    def _merged(self, ids) -> dict:
        merged: dict = {}
        for rule_id in ids:
            merged.update(self._attrs[rule_id])
        return merged

    def __call__(self, doc):
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        n = len(doc)
        if n == 0:
            return doc
        table = self._table
        if len(table) > _TABLE_LIMIT:
            table.clear()
        entries = []
        key_lower = self._lower_key
        for row in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist():
            lower = key_lower.get(row[_LOWER])
            row[_LOWER] = self._key_lower(row[_LOWER]) if lower is None else lower
            key = tuple(row)
            entry = table.get(key)
            if entry is None:
                entry = table[key] = self._entry(key)
            entries.append(entry)
        extra = self._run_matches(doc, entries)
        for i, (ids, attrs, _) in enumerate(entries):
            if i in extra:
                attrs = self._merged(sorted({*ids, *extra[i]}))
            if attrs:
                set_token_attrs(doc[i], attrs)
        return doc

    def _run_matches(self, doc, entries) -> dict[int, list[int]]:
        """Token -> ids of the rules over several tokens (or left to the Matcher) that set it."""
        extra: dict[int, list[int]] = {}
        if self._runs:
            n = len(entries)
            for start, (_, _, places) in enumerate(entries):
                for run, k in places:
                    if k:
                        continue
                    rule_id, tokens, target = self._runs[run]
                    end = start + len(tokens)
                    if end <= n and all((run, j) in entries[start + j][2] for j in range(1, len(tokens))):
                        extra.setdefault(start + target, []).append(rule_id)
        if self._matcher_rules:
            for match_id, start, end in self._matcher(doc, allow_missing=True, as_spans=False):
                rule_id = int(self.vocab.strings[match_id])
                index = self._indices[rule_id]
                at = (start if index >= 0 else end) + index
                if not start <= at < end:
                    raise ValueError(f"attribute rule {rule_id} sets token {index} of a {end - start}-token match")
                extra.setdefault(at, []).append(rule_id)
        return extra


def _make_ruler(nlp, name: str, replaced: str):
    return TableAttributeRuler(nlp.get_pipe(replaced), name)


def replace_attribute_ruler(nlp, name: str = "attribute_ruler") -> bool:
    """Put a ``TableAttributeRuler`` in the place of the pipeline's attribute ruler
    ``name`` (which is removed); False, and nothing changed, when there is none."""
    from spacy.pipeline import AttributeRuler

    if name not in nlp.pipe_names or not isinstance(nlp.get_pipe(name), AttributeRuler):
        return False
    _put_in_place(nlp, name, "claimcheck_table_attribute_ruler", _make_ruler)
    return True


class TableLemmatizer(_Component):
    """Does to a Doc what ``lemmatizer`` (spaCy's rule ``Lemmatizer``) does, asking it
    once per (form, part of speech, morphology)."""

    def __init__(self, lemmatizer, name: str | None = None):
        self.lemmatizer = lemmatizer
        self.name = name or lemmatizer.name
        self.vocab = lemmatizer.vocab
        self._table: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS
        from spacy.errors import Errors

        lemmatizer = self.lemmatizer
        if not lemmatizer._validated:
            lemmatizer._validate_tables(Errors.E1004)
        try:
            table = self._table
            if len(table) > _TABLE_LIMIT:
                table.clear()
            rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
            lemmas = rows[:, 3].copy()
            overwrite = lemmatizer.overwrite
            for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
                if lemma and not overwrite:
                    continue
                key = (orth, pos, morph)
                found = table.get(key)
                if found is None:
                    found = table[key] = self.vocab.strings.add(lemmatizer.lemmatize(doc[i])[0])
                lemmas[i] = found
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
            return doc
        except Exception as exc:  # noqa: BLE001 - spaCy's component hands errors to its handler
            return lemmatizer.get_error_handler()(self.name, self, [doc], exc)


def _make_lemmatizer(nlp, name: str, replaced: str):
    return TableLemmatizer(nlp.get_pipe(replaced), name)


def _rule_lemmatizer(component) -> bool:
    """Whether ``component`` is spaCy's rule lemmatiser, whose answer depends on a
    token's form, part of speech and morphology alone."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    kind = type(component)
    return (isinstance(component, Lemmatizer) and getattr(component, "mode", None) == "rule"
            and kind.rule_lemmatize is Lemmatizer.rule_lemmatize
            and kind.is_base_form in (Lemmatizer.is_base_form, EnglishLemmatizer.is_base_form))


def replace_lemmatizer(nlp, name: str = "lemmatizer") -> bool:
    """Put a ``TableLemmatizer`` in the place of the pipeline's rule lemmatiser ``name``
    (which it keeps, to ask); False, and nothing changed, when there is none."""
    if name not in nlp.pipe_names or not _rule_lemmatizer(nlp.get_pipe(name)):
        return False
    _put_in_place(nlp, name, "claimcheck_table_lemmatizer", _make_lemmatizer)
    return True
