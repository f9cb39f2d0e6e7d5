"""Figures in news text, read as the intervals their wording allows.

``parse_quantities`` finds every figure in a sentence or a whole article -- shares,
money, counts, ages, ordinals, years, dates, durations -- and returns one ``Quantity``
per figure with its exact surface (hedge included: "nearly 27%"), its offsets, the
number as stated (``value``) and the inclusive interval ``[low, high]`` the wording
allows.  Two sources disagree on a figure only when their intervals do not overlap,
so the interval is the whole point: too narrow and rounding looks like a conflict,
too wide and real conflicts vanish.  It is regex/rule based on purpose: it runs on
every article, must be fast, and must keep the hedges that NER-style parsers drop.

How a figure becomes an interval
--------------------------------
Every figure has a *unit of significance*, the place value of its last significant
digit, read to at least two significant digits: "27" -> 1, "58.30" -> 0.01, "330,000"
-> 10,000, "1.9 million" -> 100,000, and a figure written with one significant digit
one place finer: "300,000" -> 10,000, "£50m" -> 1m, "$6 billion" -> 100 million,
"100" -> 10 (see ``significant_unit``).  Outlets round their figures, but to what they
write: "£50m" for a fee of £52m or "$2 trillion" for $2.48 trillion is a different
figure, and reading "300,000" as anything from 250,000 to 350,000 would let it agree
with figures that plainly differ.  A whole count never goes below 1 ("five" -> 1).
The hedge then sets the interval; widths come from ``HedgeWidths`` (defaults):

    exact       "27%", "58.30%"       value +/- rounding*u  ("58.30%" -> [58.295, 58.305])
    about       "about 24%"           value +/- about*u     ([23, 25])
    nearly      "nearly 27%"          [value - nearly*u, value]   ([25.5, 27])
    just over   "just over 41%"       [value, value + just_over*u]  ([41, 42.5])
    over        "more than 95%"       [value, inf), a share stops at 100  ([95, 100])
    under       "up to 300,000"       [0, value] (-inf for a negative figure)
    range       "between 20 and 30%"  [20, 30], value the midpoint

No interval of a non-negative figure goes below 0 and no share goes above 100% (unless
the figure itself does).  Postfix hedges count too: "300 or so" (about), "300 or more",
"300-plus", "300+" (over), "300 or fewer" (under).

Debatable readings chosen here
------------------------------
* Vague multiples state a lower bound, so ``value`` is that bound: "dozens" [24, 99],
  "hundreds" [200, 999], "thousands" [2,000, 9,999], "tens of thousands" [20,000,
  99,999], "hundreds of thousands" [200,000, 999,999], "millions" [2e6, 9,999,999];
  "several thousand" [3,000, 9,000], "a few hundred" [200, 500], "several hundred
  thousand" [300,000, 900,000].
* A bare span of time is told in whole units rounded either way, so it reads as
  "about": "four months" [3, 5].  "three decades" is 3 in units of a decade, so 30
  years: [20, 40]; "about three decades" [20, 40] too.  Durations keep their stated
  unit ("18 months" -> unit "months"); decades and centuries become "years".
* Ages are whole completed years, so an unhedged age is exact: "59-year-old",
  "aged 59", "Ruiz, 59," -> [59, 59].  "in his 50s" -> [50, 59].
* A month without a day covers the whole month; ``value`` is its first day.  A
  month and day without a year take the year that puts them nearest the reference
  date; with no reference date the unit is "month-day" and low/high are
  month*100+day (a bare month: month*100+1 .. month*100+31).  A numeric date that
  reads both ways ("03/04/2025") covers both readings.
* "35 years ago" is a rounded duration, so with a reference date it is the YEAR
  [y-1, y+1] (y = ref.year - 35); without one it stays a DURATION, unit "years-ago".
* A simple fraction of a whole ("half of", "a third of") is a share rounded to the
  nearest 5 points: "half of voters" -> [47.5, 52.5], "more than half" -> [50, 100].
* Bare "one" is not a figure ("one of the", "no one"); "one million", "one percent"
  and "one year" are.  Labels ("Article 5", "Route 66", "COVID-19"), times, phone
  numbers, URLs, @handles and #hashtags yield nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum

from claimcheck.config import HedgeWidths
from claimcheck.models import Quantity, QuantityKind

__all__ = [
    "Reading",
    "hedge_interval",
    "hedge_reading",
    "parse_number",
    "parse_quantities",
    "quantity_in_words",
    "significant_unit",
]


class Reading(str, Enum):
    """How a hedge bounds the figure it qualifies."""

    EXACT = "exact"
    ABOUT = "about"
    NEARLY = "nearly"
    JUST_OVER = "just_over"
    OVER = "over"
    UNDER = "under"
    STATED = "stated"  # a term as labelled ("a five-year contract"): only its own rounding


# --------------------------------------------------------------------------- vocabulary

_UNIT_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100,
}
_SCALE_WORDS = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Abbreviated scales; the one-letter ones ("5m", "10k") are only trusted after a currency
# ("£5m"), since on their own they are as often metres or kilometres.
_SCALE_ABBREVIATIONS = {
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9,
    "tn": 1e12, "trn": 1e12,
}
_MONEY_ONLY_SCALES = frozenset({"k", "m", "b"})
_DECADE_WORDS = {
    "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
    "seventies": 70, "eighties": 80, "nineties": 90,
}
_FRACTIONS = {
    "half": 1 / 2, "a half": 1 / 2, "one half": 1 / 2, "a third": 1 / 3, "one third": 1 / 3,
    "a quarter": 1 / 4, "one quarter": 1 / 4, "a fifth": 1 / 5, "one fifth": 1 / 5,
    "two thirds": 2 / 3, "three quarters": 3 / 4, "two fifths": 2 / 5,
    "three fifths": 3 / 5, "four fifths": 4 / 5,
}
# A spoken fraction is a share rounded to the nearest "nice" fraction: read it to 5 points.
_FRACTION_UNIT = 5.0
# (low, high) multipliers of a vague multiple's scale: "thousands" is 2..9.999 thousand.
_VAGUE = {
    "dozens": (24.0, 99.0, 1.0), "scores": (40.0, 99.0, 1.0),
    "hundreds": (2.0, 9.99, 100.0), "thousands": (2.0, 9.999, 1e3),
    "millions": (2.0, 9.999999, 1e6), "billions": (2.0, 9.999999999, 1e9),
}
_VAGUE_QUALIFIERS = {"several": (3.0, 9.0), "a few": (2.0, 5.0), "a couple": (2.0, 3.0)}

_DURATION_UNITS = {
    "second": ("seconds", 1.0), "minute": ("minutes", 1.0), "hour": ("hours", 1.0),
    "day": ("days", 1.0), "week": ("weeks", 1.0), "month": ("months", 1.0),
    "year": ("years", 1.0), "decade": ("years", 10.0), "centurie": ("years", 100.0),
    "century": ("years", 100.0),
}
_DAYS_PER_UNIT = {"days": 1.0, "weeks": 7.0, "months": 30.4375}

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Month names that are also given names or verbs: alone, they need a preposition first.
_AMBIGUOUS_MONTHS = frozenset({"March", "April", "May", "June", "August"})
_DATE_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}

_HEDGE_PHRASES: dict[Reading, tuple[str, ...]] = {
    Reading.ABOUT: (
        "about", "approximately", "approx.", "approx", "around", "roughly", "some",
        "an estimated", "estimated", "circa", "in the region of", "on the order of",
        "in the order of",
    ),
    Reading.NEARLY: (
        "nearly", "almost", "just under", "just shy of", "shy of", "close to", "just below",
        "not quite", "a little under", "a little less than", "slightly under",
        "slightly less than", "slightly below", "just less than", "just short of",
        "approaching",
    ),
    Reading.JUST_OVER: (
        "just over", "just above", "just more than", "slightly more than", "slightly over",
        "slightly above", "a little over", "a little more than", "a bit more than",
        "a bit over", "just north of",
    ),
    Reading.OVER: (
        "over", "more than", "exceeding", "exceeded", "exceeds", "above", "upwards of",
        "at least", "in excess of", "greater than", "north of", "well over", "well above",
        "no fewer than", "no less than", "a minimum of", "topping", "beyond",
    ),
    Reading.UNDER: (
        "under", "less than", "below", "fewer than", "up to", "at most", "no more than",
        "not more than", "as many as", "as much as", "a maximum of", "well under",
        "well below", "lower than", "within",
    ),
}

# Bounds a hedge states but does not include: "more than 95%" is not 95%, "just shy of
# £450m" is not £450m; "at least 94" and "up to 25%" are.
_INCLUSIVE_BOUNDS = frozenset(
    "at least,no fewer than,no less than,a minimum of,up to,at most,no more than,not more than,"
    "as many as,as much as,a maximum of,within".split(",")
)


def stated_bounds_included(q: Quantity) -> tuple[bool, bool]:
    """Whether a figure's interval includes its low and high ends.

    A rounded figure's ends are where rounding would have written another figure, so
    they are open; so is a bound a hedge excludes ("more than", "nearly"); an inclusive
    bound ("at least", "up to") and an exact figure are closed."""
    if q.low == q.high:
        return True, True
    reading = hedge_reading(q.hedge)
    phrase = (q.hedge or "").strip().lower()
    if reading is Reading.OVER or reading is Reading.JUST_OVER:
        return phrase in _INCLUSIVE_BOUNDS or q.hedge == "+", False
    if reading is Reading.UNDER:
        return False, phrase in _INCLUSIVE_BOUNDS
    return False, False


_CURRENCY_CODES = {
    "US$": "USD", "USD": "USD", "$": "USD", "A$": "AUD", "AU$": "AUD", "AUD": "AUD",
    "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD",
    "R$": "BRL", "BRL": "BRL", "MX$": "MXN", "MXN": "MXN", "CLP$": "CLP", "CLP": "CLP",
    "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP", "¥": "JPY", "JPY": "JPY",
    "CNY": "CNY", "RMB": "CNY", "₹": "INR", "INR": "INR", "Rs": "INR", "Rs.": "INR",
    "CHF": "CHF", "₽": "RUB", "RUB": "RUB", "₩": "KRW", "ARS": "ARS", "COP": "COP",
}
# Qualified currency words, most specific first; the fallback is the bare word's code.
_CURRENCY_WORDS = (
    ("canadian", "CAD"), ("australian", "AUD"), ("new zealand", "NZD"), ("hong kong", "HKD"),
    ("singapore", "SGD"), ("chilean", "CLP"), ("mexican", "MXN"), ("argentin", "ARS"),
    ("colombian", "COP"), ("philippine", "PHP"), ("uruguayan", "UYU"), ("cuban", "CUP"),
    ("dollar", "USD"), ("euro", "EUR"), ("pound", "GBP"), ("sterling", "GBP"),
    ("yen", "JPY"), ("yuan", "CNY"), ("renminbi", "CNY"), ("rupee", "INR"),
    ("franc", "CHF"), ("rea", "BRL"), ("ruble", "RUB"), ("rouble", "RUB"), ("peso", "PESO"),
)

# Words that end a measure ("330,000 of whom": no measure) or can never be one.
_MEASURE_STOP = frozenset(
    """a an the and or but nor so yet of in on at to for from with by as than that which
    who whom whose what when where while after before since until per each every all both
    either neither some any no not more most less least fewer much many this these those
    its his her their our your my it they them he she we you i is are was were be been
    being has have had do does did will would shall should can could may might must also
    only just even still already about over under up down out into onto upon across
    around among between through during without within against toward towards via vs
    versus percent cent ago old respectively apiece altogether total overall here there
    then now if""".split()
)
_IRREGULAR_PLURALS = frozenset(
    "people children men women police staff personnel cattle sheep fish deer troops "
    "media data feet teeth mice geese clergy crew".split()
)
_APPOSITIVE_NOT_NAMES = frozenset(
    """In On At By For From Of And But Or So Yet Also However Meanwhile Today Yesterday
    Tomorrow Overall Since Until After Before During Now Then Still Instead Indeed Yes No
    Last Next This That These Those The A An Here There Thus Hence Besides Finally
    Moreover Furthermore Nevertheless Nonetheless Otherwise Similarly Likewise Altogether
    Total Totals Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Chapter Section Article Page""".split()
)
_NUMBER_PREFIXES_OK = frozenset({"mid", "pre", "post", "early", "late", "over", "under", "top"})


# --------------------------------------------------------------------------- patterns


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so "seventeen" is tried before "seven"."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _phrase(text: str) -> str:
    return r"\s+".join(re.escape(w) for w in text.split())


_SP = r"[ \t\u00a0]"
_UNITS_1_9 = _alternation(w for w, v in _UNIT_WORDS.items() if 1 <= v <= 9)
_WORD_BELOW_100 = (
    rf"(?:(?:{_alternation(_TENS_WORDS)})(?:[ \t-](?:{_UNITS_1_9})\b)?|(?:{_alternation(_UNIT_WORDS)}))"
)
_SCALE_AHEAD = rf"(?={_SP}+(?:thousand|million|billion|trillion|dozen)\b)"
_TIME_UNIT_AGO = rf"(?={_SP}+(?:year|decade|century|month|week|day){_SP}+ago\b)"
_WORD_NUMBER = (
    rf"(?:(?:{_UNITS_1_9}|a){_SP}+hundred(?:{_SP}+(?:and{_SP}+)?{_WORD_BELOW_100}\b)?"
    rf"|{_WORD_BELOW_100}"
    rf"|half{_SP}+a(?={_SP}+(?:million|billion|trillion|dozen)\b)"
    rf"|a{_SCALE_AHEAD}|an?{_TIME_UNIT_AGO})"
)
_DOT_THOUSANDS = r"[0-9]{1,3}(?:\.[0-9]{3}){2,}(?![0-9])"
_DIGITS = rf"(?:{_DOT_THOUSANDS}|[0-9]{{1,3}}(?:,[0-9]{{3}})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
_NUM_LEFT = r"(?<![\w.,/@#:\\])"  # not inside a bigger number, word, path or handle
_SCALE = (
    rf"(?P<scale>(?:{_SP}*(?:thousand|million|billion|trillion|dozen)\b)+"
    rf"|{_SP}?(?:{_alternation(_SCALE_ABBREVIATIONS)})(?![\w]))"
)
_ORDINAL_1_9 = _alternation(k for k, v in _ORDINAL_WORDS.items() if v < 10)
_ORDINAL_WORD = (
    rf"(?:(?:{_alternation(_TENS_WORDS)})[ \t-](?:{_ORDINAL_1_9})"
    rf"|{_alternation(_ORDINAL_WORDS)})"
)
_VAGUE_RE_PART = (
    rf"(?:(?:tens|hundreds){_SP}+of{_SP}+(?:thousands|millions|billions)"
    rf"|(?:several|a{_SP}+few|a{_SP}+couple{_SP}+of|a{_SP}+couple){_SP}+(?:hundred(?:{_SP}+thousand)?|thousand|million|billion)"
    rf"|dozens|scores(?={_SP}+of\b)|hundreds|thousands|millions|billions)"
)
_FRACTION_RE_PART = (
    r"(?:(?:a|one)[ \t-](?:half|third|quarter|fifth)|(?:two|three|four)[ \t-](?:thirds|quarters|fifths)|half)"
)

# Every alternative starts a word or a number, so mid-word positions are dropped at once:
# the leading look-behind makes the scan several times faster on long articles.
_ATOM_RE = re.compile(
    r"(?<![^\W\d_])(?:"
    rf"(?P<vague>\b{_VAGUE_RE_PART}\b)"
    rf"|(?P<frac>\b{_FRACTION_RE_PART}\b)(?={_SP}+(?:of|the)\b)"
    rf"|(?P<decade>{_NUM_LEFT}(?:['’]?[0-9]0s|1[89][0-9]0s|20[0-9]0s)\b"
    rf"|\b(?:{_alternation(_DECADE_WORDS)})\b)"
    rf"|(?P<ordnum>{_NUM_LEFT}[0-9]{{1,4}}(?:st|nd|rd|th)\b)"
    rf"|(?P<ordword>\b{_ORDINAL_WORD}\b)"
    rf"|(?:(?<![^\s(\[])(?P<neg>[-−]))?(?P<num>{_NUM_LEFT}{_DIGITS}|\b{_WORD_NUMBER}\b)"
    rf"(?P<half>{_SP}+and{_SP}+a{_SP}+half\b)?{_SCALE}?(?![\w/]|[.,][0-9]))",
    re.IGNORECASE,
)

# Spans that contain digits but no figures.  Checked first; whatever they cover is skipped.
_NOT_FIGURES_RE = re.compile(
    r"(?<![^\W\d_])(?:"  # none starts mid-word: skip those positions at once
    + "|".join(
        (
            r"(?i:https?://|www\.)\S+",
            r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail
            r"(?<![\w@])@\w+",  # @handle
            r"(?<![\w#&])#\w+",  # #hashtag
            r"(?<![\w.-])(?:[\w-]+\.)+(?i:com|org|net|gov|edu|io|co|uk|cl|es|info|news|tv|ly|me"
            r"|de|fr|int|eu|ar|mx|br)\b(?:/\S*)?",  # pic.twitter.com/czSBu8IJOQ
            r"(?<![\w+])\+[0-9][0-9 ().-]{6,}[0-9]",  # +56 2 2345 6789
            r"\(\s*[0-9]{2,4}\s*\)\s*[0-9]{3,4}[ .-][0-9]{3,4}",  # (02) 2345-6789
            r"(?<![\w.,-])[0-9]{3}[.-][0-9]{3}[.-][0-9]{4}(?![\w-])",  # 555-123-4567
            r"(?<![\w.:])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:[ \t]*(?i:[ap]\.?m\.?))?",  # 10:30
            r"(?<![\w.:,])[0-9]{1,2}(?:\.[0-9]{2})?[ \t]*(?i:a\.m\.|p\.m\.|am\b|pm\b)",  # 10 a.m.
        )
    )
    + ")"
)

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH = rf"(?:{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"


def _day(group: str) -> str:
    return rf"(?<![\w.,/:$€£-])(?P<{group}>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![\w%]|[.,][0-9])"


def _year(group: str) -> str:
    return rf"(?P<{group}>1[89][0-9]{{2}}|20[0-9]{{2}}|2100)(?![\w]|[.,][0-9])"


def _month(group: str, names: str = _MONTH) -> str:
    return rf"(?<![A-Za-z])(?P<{group}>{names})(?![A-Za-z])"


_PART = r"(?<![\w-])(?P<{}>(?i:early|mid|late))(?:[ \t]+|-)"
_DATE_RE = re.compile(
    r"(?<![^\W\d_])(?:"
    r"(?P<iso>(?<![\w./-])(?P<iy>1[89][0-9]{2}|20[0-9]{2})-(?P<im>0[1-9]|1[0-2])"
    r"-(?P<id>0[1-9]|[12][0-9]|3[01])(?![\w-]|\.[0-9]))"
    r"|(?P<numeric>(?<![\w./,:-])(?P<na>[0-9]{1,2})(?P<sep>[/.-])(?P<nb>[0-9]{1,2})(?P=sep)"
    r"(?P<ny>[0-9]{4}|(?<=[/-])[0-9]{2})(?![\w/-]|\.[0-9]))"
    rf"|(?P<mdy>{_month('m1')}{_SP}+{_day('d1')},?{_SP}+{_year('y1')})"
    rf"|(?P<dmy>{_day('d2')}{_SP}+(?:of{_SP}+)?{_month('m2')},?{_SP}+{_year('y2')})"
    rf"|(?P<md>{_month('m3')}{_SP}+{_day('d3')})"
    rf"|(?P<dm>{_day('d4')}{_SP}+(?:of{_SP}+)?{_month('m4')})"
    rf"|(?P<my>(?:{_PART.format('p5')})?{_month('m5')},?{_SP}+{_year('y5')})"
    rf"|(?P<mo>(?:{_PART.format('p6')})?{_month('m6', _MONTH_FULL)}))"
)
_MONTH_CONTEXT_RE = re.compile(
    r"(?:(?<![\w-])(?i:in|by|since|until|till|through|throughout|from|during|of|before|after"
    r"|early|mid|late|last|next|this|that|each|every|on|to|between|and|or|end|beginning|start)"
    r"|,)[ \t-]+$"
)


def _hedge_group(reading: Reading) -> str:
    phrases = sorted(_HEDGE_PHRASES[reading], key=len, reverse=True)
    return f"(?P<{reading.name}>{'|'.join(_phrase(p) for p in phrases)})"


_HEDGE_BEFORE_RE = re.compile(
    r"(?<![\w'’-])(?:" + "|".join(_hedge_group(r) for r in _HEDGE_PHRASES) + r")\s+$",
    re.IGNORECASE,
)
_HEDGE_AFTER_RE = re.compile(
    rf"{_SP}+or{_SP}+(?:(?P<ABOUT>so)|(?P<OVER>more)|(?P<UNDER>fewer|less))\b"
    r"|(?P<OVER2>\+(?![0-9])|-plus\b)|(?P<ABOUT2>-odd\b)",
    re.IGNORECASE,
)
_CURRENCY_BEFORE_RE = re.compile(
    r"(?<![A-Za-z])(?P<cur>U\.S\.[ \t]?\$|US[ \t]?\$|[A-Z]{1,3}\$|Rs\.?"
    r"|USD|AUD|CAD|BRL|MXN|CLP|EUR|GBP|JPY|CNY|RMB|INR|CHF|RUB|ARS|COP|[$€£¥₹₽₩])[ \t]?$"
)
_CURRENCY_WORD = (
    r"(?i:(?:US|U\.S\.|American|Canadian|Australian|New\s+Zealand|Hong\s+Kong|Singapore)\s+dollars?"
    r"|dollars?|euros?|(?:British\s+)?pounds(?:\s+sterling)?|sterling"
    r"|(?:Chilean|Mexican|Argentine|Argentinian|Colombian|Philippine|Uruguayan|Cuban)\s+pesos?"
    r"|pesos?|yen|yuan|renminbi|rupees?|(?:Swiss\s+)?francs?|reais|roubles?|rubles?)"
    r"|USD|EUR|GBP|JPY|CNY|CHF|INR|AUD|CAD|CLP|MXN|BRL|ARS|COP"
)
_CURRENCY_AFTER_RE = re.compile(rf"{_SP}+(?P<cur>{_CURRENCY_WORD})\b")
_OF_CURRENCY_RE = re.compile(rf"{_SP}+of{_SP}+(?P<cur>{_CURRENCY_WORD})\b")
_PERCENT_AFTER_RE = re.compile(
    rf"{_SP}?(?P<pct>%|(?i:per{_SP}?cent|percent|pct)\b)"
    rf"|(?:{_SP}|-)(?P<pp>(?i:percentage(?:{_SP}|-)points?|points?|pts)\b)"
    rf"|(?:{_SP}|-)?(?P<bp>(?i:basis(?:{_SP}|-)points?|bps?)\b)"
)
_AGE_AFTER_RE = re.compile(
    rf"(?:{_SP}*-{_SP}*|{_SP}+)(?P<unit>(?i:year|month|week|day))s?(?:{_SP}*-{_SP}*|{_SP}+)(?i:olds?)\b"
    rf"|{_SP}+(?P<unit2>(?i:years)){_SP}+(?i:of{_SP}+age)\b"
)
_AGE_BEFORE_RE = re.compile(
    rf"(?<![\w-])(?i:aged|ages?|(?:at{_SP}+)?(?:the{_SP}+)?age{_SP}+of){_SP}+$"
)
_AGE_DECADE_BEFORE_RE = re.compile(
    rf"(?<![\w-])(?i:in{_SP}+(?:his|her|their)){_SP}+(?:(?P<part>(?i:early|mid|late))(?:{_SP}+|-))?$"
)
_APPOSITIVE_BEFORE_RE = re.compile(r"(?<![\w'’.-])(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]*),[ \t]+$")
_APPOSITIVE_AFTER_RE = re.compile(
    rf"{_SP}*(?:[,;)]|\.(?![0-9])|[—–]|$)|{_SP}+(?:and|who|was|is)\b"
)
_TIME_UNIT = r"(?P<unit>(?i:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century))"
_AGO_AFTER_RE = re.compile(rf"(?:{_SP}+|-){_TIME_UNIT}{_SP}+(?i:ago)\b")
_DURATION_AFTER_RE = re.compile(rf"(?:{_SP}+|{_SP}*-{_SP}*){_TIME_UNIT}\b(?:-(?i:long)\b)?")
_LABEL_BEFORE_RE = re.compile(
    r"(?<![\w-])(?i:no\.|nos\.|number|article|section|chapter|route|highway|interstate|pages?"
    r"|paragraph|room|gate|platform|flight|episode|volume|vol\.|table|figure|fig\.|item"
    r"|proposition|prop\.|amendment|district|ward|precinct|terminal|suite|channel|tier"
    r"|category|grade|level|phase|stage|model|version|clause)[ \t]*$"
)
_BETWEEN_BEFORE_RE = re.compile(rf"(?<![\w-])(?P<w>(?i:between)){_SP}+$")
_FROM_BEFORE_RE = re.compile(rf"(?<![\w-])(?i:from){_SP}+\S*$")
_RANGE_GAP_RE = re.compile(
    rf"(?:{_SP}?(?:%|(?i:per{_SP}?cent|percent)))?{_SP}*(?P<sep>-|–|—|(?i:to|and)){_SP}*"
    r"(?P<cur>U\.S\.[ \t]?\$|US[ \t]?\$|[A-Z]{1,3}\$|[$€£¥₹₽₩])?[ \t]?"
)
_YEAR_CONTEXT_RE = re.compile(
    rf"(?<![\w-])(?i:the|this|that|its|his|her|their|in|since|by|until|till|through|during"
    rf"|before|after|from|of|to|between|and|or)(?:{_SP}+)$|['’]s{_SP}+$"
)
_FRACTION_NOT_AFTER_RE = re.compile(
    rf"(?<![\w-])(?i:first|second|other|latter|former|back|front|top|bottom|lower|upper"
    rf"|northern|southern|eastern|western){_SP}+$"
)
_ORDINAL_IDIOM_BEFORE_RE = re.compile(rf"(?<![\w-])(?i:at){_SP}+$")
_ORDINAL_IDIOM_AFTER_RE = re.compile(
    rf"(?:-hand\b|{_SP}+(?i:of{_SP}+all|and{_SP}+foremost|hand)\b)"
)
_SECOND_AS_TIME_BEFORE_RE = re.compile(rf"(?<![\w-])(?i:a|per|one|each|every|split|the){_SP}+$")
_OF_RE = re.compile(
    rf"{_SP}+(?i:of)(?:{_SP}+(?i:the|all|its|their|his|her|our|these|those|this|that))?(?={_SP})"
)
_MEASURE_WORD_RE = re.compile(r"(?:[ \t\u00a0]+|-)(?P<w>[^\W\d_][\w'’-]*)")


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class _Number:
    value: float
    unit: float  # unit of significance, scale included
    mantissa: float  # the number before its scale word ("5" of "5 million")
    scale: float


def _digits_value(text: str) -> tuple[float, float, str] | None:
    """Value, unit of significance and significant digits of a digit string."""
    if re.fullmatch(_DOT_THOUSANDS, text):
        text = text.replace(".", "")
    cleaned = text.replace(",", "")
    if len(cleaned) > 24:  # not a figure anyone writes; and floats stop being exact
        return None
    if "." in cleaned:
        whole, frac = cleaned.split(".", 1)
        return float(cleaned), 10.0 ** -len(frac), (whole + frac).lstrip("0")
    stripped = cleaned.rstrip("0")
    if not stripped:
        return 0.0, 1.0, "0"
    return float(cleaned), 10.0 ** (len(cleaned) - len(stripped)), stripped.lstrip("0")


def _words_value(text: str) -> float | None:
    """The value of a spelled-out number ("twenty-five", "two hundred and five", "a")."""
    tokens = re.split(r"[\s-]+", text.casefold())
    if tokens[:2] == ["half", "a"]:
        return 0.5  # "half a million"
    total = 0.0
    for token in tokens:
        if token in ("and", ""):
            continue
        if token in ("a", "an"):
            total += 1
        elif token == "hundred":
            total = max(total, 1.0) * 100
        elif token in _UNIT_WORDS:
            total += _UNIT_WORDS[token]
        elif token in _TENS_WORDS:
            total += _TENS_WORDS[token]
        else:
            return None  # a look-alike the case-insensitive regex let through
    return total


def _read_number(num: str, half: bool, scale_text: str) -> _Number | None:
    if num[:1].isdigit():
        parsed = _digits_value(num)
        if parsed is None:
            return None
        mantissa, unit, significant = parsed
    else:
        words = _words_value(num)
        if words is None:
            return None
        mantissa = words
        if words.is_integer():
            _, unit, significant = _digits_value(str(int(words)))  # type: ignore[misc]
        else:
            unit, significant = 0.1, str(words).replace(".", "").lstrip("0")
    if half:
        mantissa, unit, significant = mantissa + 0.5, 0.5, "5"
    scale = unit_scale = 1.0
    for word in re.findall(r"[A-Za-z]+", scale_text):
        key = word.casefold()
        if key == "dozen":  # "a dozen" is twelve, not one unit of twelve
            scale *= 12
        elif key in _SCALE_WORDS:
            scale *= _SCALE_WORDS[key]
            unit_scale *= _SCALE_WORDS[key]
        elif key in _SCALE_ABBREVIATIONS:
            scale *= _SCALE_ABBREVIATIONS[key]
            unit_scale *= _SCALE_ABBREVIATIONS[key]
        else:
            return None
    unit *= unit_scale
    value = mantissa * scale
    # A figure is read to at least two significant digits ("£50m" is 50, not 45 to 55;
    # "$2 trillion" is 1.95 to 2.05 trillion): see the module docstring.  A plain count
    # stays whole ("five" is 4.5 to 5.5, not 4.95 to 5.05).
    if value:
        finer = 10.0 ** (math.floor(math.log10(abs(value))) - 1)
        if scale == 1.0:
            finer = max(finer, 1.0)
        unit = min(unit, max(finer, 10.0 ** -12))
    return _Number(value, unit, mantissa, scale)


def parse_number(text: str) -> float | None:
    """The value of the first number in ``text``: "1.9 million" -> 1_900_000.0,
    "330,000" -> 330000.0, "nine" -> 9.0, "$6 billion" -> 6e9; None if there is none."""
    for m in _ATOM_RE.finditer(text):
        if m.group("num"):
            number = _read_number(m.group("num"), bool(m.group("half")), m.group("scale") or "")
            if number is not None:
                return -number.value if m.group("neg") else number.value
    return None


def significant_unit(number_text: str) -> float:
    """Place value of the last significant digit of a written figure.

    "27" -> 1, "58.30" -> 0.01, "330,000" -> 10,000, "300,000" -> 10,000,
    "1.9 million" -> 100,000, "$6 billion" -> 1e8, "100" -> 10 (a figure is read to at
    least two significant digits; a whole count to at least 1).  Raises ValueError when ``number_text`` holds no number.
    """
    for m in _ATOM_RE.finditer(number_text):
        if m.group("num"):
            number = _read_number(m.group("num"), bool(m.group("half")), m.group("scale") or "")
            if number is not None:
                return number.unit
    raise ValueError(f"no number in {number_text!r}")


def hedge_reading(hedge: str | None) -> Reading:
    """Which reading a hedge phrase gives: "nearly" -> NEARLY, "more than" -> OVER,
    "or more" -> OVER; None or an unknown phrase -> EXACT."""
    phrase = (hedge or "").strip()
    if not phrase:
        return Reading.EXACT
    m = _HEDGE_BEFORE_RE.fullmatch(phrase + " ") or _HEDGE_AFTER_RE.fullmatch(
        " " + phrase if phrase[:1].isalpha() else phrase
    )
    if m is None or m.lastgroup is None:
        return Reading.EXACT
    return Reading[m.lastgroup.rstrip("2")]


def hedge_interval(
    value: float,
    unit: float,
    reading: Reading,
    hedges: HedgeWidths | None = None,
    *,
    ceiling: float = math.inf,
) -> tuple[float, float]:
    """The inclusive interval a figure allows under a hedge (see the module docstring).

    ``ceiling`` is the most the measure can be (100 for a share); it only applies to
    figures at or under it, so "150%" keeps its own bound.
    """
    hedges = hedges or HedgeWidths()

    def width(w: float) -> float:
        return max(0.0, w) * abs(unit)  # a negative width would exclude the figure itself

    if reading is Reading.ABOUT:
        low, high = value - width(hedges.about), value + width(hedges.about)
    elif reading is Reading.NEARLY:
        low, high = value - width(hedges.nearly), value
    elif reading is Reading.JUST_OVER:
        low, high = value, value + width(hedges.just_over)
    elif reading is Reading.OVER:
        low, high = value, math.inf
    elif reading is Reading.UNDER:
        low, high = (0.0 if value >= 0 else -math.inf), value
    else:
        low, high = value - width(hedges.rounding), value + width(hedges.rounding)
    if value >= 0:
        low = max(low, 0.0)
    if value <= ceiling:
        high = min(high, ceiling)
    return low, high


# --------------------------------------------------------------------------- atoms


@dataclass(frozen=True)
class _Atom:
    """A number-like token before it is given a kind."""

    start: int
    end: int
    form: str  # number, range, vague, fraction, ordinal, decade, age-decade; skip (a score)
    value: float
    unit: float = 1.0
    low: float = math.nan  # own bounds, for vague multiples, decades and ranges
    high: float = math.nan
    mantissa: float = math.nan
    scale: float = 1.0
    scale_text: str = ""
    plain: str = ""  # the digits as written when a bare integer ("2021"), else ""
    word: bool = False
    negative: bool = False
    hedge_start: int = -1  # where "between" starts, for a range
    hedge: str | None = None


def _atom(m: re.Match[str]) -> _Atom | None:
    start, end = m.span()
    if m.group("vague"):
        return _vague_atom(m.group("vague"), start, end)
    if m.group("frac"):
        share = _FRACTIONS.get(" ".join(re.split(r"[\s-]+", m.group("frac").casefold())))
        if share is None:
            return None
        return _Atom(start, end, "fraction", share * 100, unit=_FRACTION_UNIT)
    if m.group("decade"):
        text = m.group("decade")
        if text[:1].isdigit() or text[:1] in "'’":
            digits = text.lstrip("'’")[:-1]
            base = float(digits)
            if text[:1] in "'’":
                base += 1900  # "the '90s"
            elif len(digits) == 2:  # "her 50s"
                return _Atom(start, end, "age-decade", base, low=base, high=base + 9)
            return _Atom(start, end, "decade", base, low=base, high=base + 9)
        base = float(_DECADE_WORDS.get(text.casefold(), -1))
        if base < 0:
            return None
        return _Atom(start, end, "age-decade", base, low=base, high=base + 9)
    if m.group("ordnum"):
        return _Atom(start, end, "ordinal", float(m.group("ordnum")[:-2]))
    if m.group("ordword"):
        words = re.split(r"[\s-]+", m.group("ordword").casefold())
        if len(words) == 2:
            tens, ones = _TENS_WORDS.get(words[0]), _ORDINAL_WORDS.get(words[1])
            value = None if tens is None or ones is None else tens + ones
        else:
            value = _ORDINAL_WORDS.get(words[0])
        return None if value is None else _Atom(start, end, "ordinal", float(value))
    num = m.group("num")
    scale_text = m.group("scale") or ""
    number = _read_number(num, bool(m.group("half")), scale_text)
    if number is None or not math.isfinite(number.value):
        return None
    negative = bool(m.group("neg"))
    plain = num if num.isdigit() and not scale_text and not m.group("half") else ""
    return _Atom(
        start,
        end,
        "number",
        -number.value if negative else number.value,
        unit=number.unit,
        mantissa=number.mantissa,
        scale=number.scale,
        scale_text=scale_text.strip().casefold(),
        plain=plain,
        word=not num[:1].isdigit(),
        negative=negative,
    )


def _vague_atom(text: str, start: int, end: int) -> _Atom | None:
    words = re.split(r"\s+", text.casefold())
    if words[0] in ("tens", "hundreds") and len(words) == 3:
        # "tens of thousands" is 20,000..99,999; "hundreds of thousands" 200,000..999,999
        scale = _SCALE_WORDS.get(words[2].removesuffix("s"))
        if scale is None:
            return None
        factor = 10.0 if words[0] == "tens" else 100.0
        low, high = 2 * factor * scale, 10 * factor * scale - 1
        return _Atom(start, end, "vague", low, low=low, high=high)
    if len(words) >= 2:
        if words[-2:] == ["hundred", "thousand"]:  # "several hundred thousand"
            words = [*words[:-2], "hundred"]
            qualifier = " ".join(w for w in words[:-1] if w != "of")
            bounds = _VAGUE_QUALIFIERS.get(qualifier)
            scale = 100_000.0
            if bounds is None:
                return None
            return _Atom(start, end, "vague", bounds[0] * scale, low=bounds[0] * scale, high=bounds[1] * scale)
        qualifier = " ".join(w for w in words[:-1] if w != "of")
        bounds = _VAGUE_QUALIFIERS.get(qualifier)
        scale = _SCALE_WORDS.get(words[-1])
        if bounds is None or scale is None:
            return None
        return _Atom(start, end, "vague", bounds[0] * scale, low=bounds[0] * scale, high=bounds[1] * scale)
    entry = _VAGUE.get(words[0])
    if entry is None:
        return None
    low, high = entry[0] * entry[2], float(math.floor(entry[1] * entry[2]))
    return _Atom(start, end, "vague", low, low=low, high=high)


# --------------------------------------------------------------------------- reading


class _Scan:
    """The text being read, which parts are already taken, and the reading options."""

    def __init__(self, text: str, offset: int, ref: dt.date | None, hedges: HedgeWidths):
        self.text = text
        self.offset = offset
        self.ref = ref
        self.hedges = hedges
        self.taken = bytearray(len(text))
        self.found: list[Quantity] = []

    def is_free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) == -1

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def free_left(self, pos: int, limit: int = 48) -> int:
        """The earliest position within ``limit`` before ``pos`` with nothing taken between."""
        lo = max(0, pos - limit)
        hit = self.taken.rfind(1, lo, pos)
        return lo if hit == -1 else hit + 1

    def free_right(self, pos: int) -> int:
        hit = self.taken.find(1, pos)
        return len(self.text) if hit == -1 else hit

    def emit(
        self,
        start: int,
        end: int,
        kind: QuantityKind,
        value: float,
        low: float,
        high: float,
        unit: str,
        hedge: str | None = None,
        measure: str | None = None,
    ) -> None:
        if not self.is_free(start, end) or not (low <= value <= high):
            return  # never overlap another figure; never emit an interval that misses its value
        self.take(start, end)
        self.found.append(
            Quantity(
                text=self.text[start:end],
                start=self.offset + start,
                end=self.offset + end,
                value=value,
                low=low,
                high=high,
                kind=kind,
                unit=unit,
                hedge=hedge,
                measure=measure,
            )
        )


def parse_quantities(
    text: str,
    *,
    offset: int = 0,
    ref_date: dt.date | None = None,
    hedges: HedgeWidths | None = None,
) -> list[Quantity]:
    """Every figure in ``text``, in order, as a ``Quantity`` with the interval its wording
    allows (see the module docstring).

    ``start``/``end`` are ``offset +`` positions in ``text``, so passing an article slice
    with its start gives article offsets.  ``ref_date`` (the article's date) resolves
    "March 11" to a year and "35 years ago" to a calendar year.  ``hedges`` sets how
    far "about", "nearly" and "just over" reach, and how much an unhedged figure is
    taken to be rounded.
    """
    if isinstance(ref_date, dt.datetime):
        ref_date = ref_date.date()
    scan = _Scan(text, offset, ref_date, hedges or HedgeWidths())
    for m in _NOT_FIGURES_RE.finditer(text):
        scan.take(*m.span())
    _read_dates(scan)
    atoms = [a for a in (_atom(m) for m in _ATOM_RE.finditer(text)) if a is not None]
    atoms = [a for a in atoms if scan.is_free(a.start, a.end)]
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        joined = _join_range(scan, atom, atoms[i + 1]) if i + 1 < len(atoms) else None
        if joined is not None:
            i += 2
            if joined.form == "skip":  # a score ("won 3-1"): two numbers, no figure
                scan.take(joined.start, joined.end)
                continue
            atom = joined
        else:
            i += 1
        _read_atom(scan, atom)
    _read_one_unit_spans(scan)
    return _join_compound_durations(sorted(scan.found, key=lambda q: q.start), text, offset)


# "in less than an hour", "for a week", "within a day": one unit of time after a hedge or
# a preposition of time (a bare "a year" is too often no span: "a year of protests").
_ONE_UNIT_RE = re.compile(r"\b(?:an?|one)\s+(second|minute|hour|day|week|month|year|decade)\b", re.IGNORECASE)
_SPAN_LEAD_RE = re.compile(
    r"\b(?:in|for|within|over|after|than|under|about|nearly|almost|around|roughly|barely)\s+$", re.IGNORECASE
)
_HEDGE_BEFORE_SPAN_RE = re.compile(
    r"(" + "|".join(map(re.escape, sorted({h for hs in _HEDGE_PHRASES.values() for h in hs}, key=len, reverse=True)))
    + r")\s+$",
    re.IGNORECASE,
)


def _read_one_unit_spans(scan: _Scan) -> None:
    text = scan.text
    for m in _ONE_UNIT_RE.finditer(text):
        start, end = m.span()
        before = text[max(0, start - 24) : start]
        if _SPAN_LEAD_RE.search(before) is None or not scan.is_free(start, end):
            continue
        stated, factor = _DURATION_UNITS[m.group(1).lower()]
        hedge_m = _HEDGE_BEFORE_SPAN_RE.search(before)
        span_start = start - (len(before) - hedge_m.start()) if hedge_m else start
        hedge = hedge_m.group(1) if hedge_m and scan.is_free(span_start, start) else None
        if hedge is None:
            span_start = start
        reading = hedge_reading(hedge)
        # a unit as said ("for a week") is that unit, rounded like a stated term
        low, high = hedge_interval(factor, factor, Reading.STATED if reading is Reading.EXACT else reading, scan.hedges)
        scan.emit(span_start, end, QuantityKind.DURATION, factor, low, high, stated, hedge=hedge)


# A larger unit and the next one down, told together: "four years and two months".
_SMALLER_UNIT = {"years": ("months", 12.0), "months": ("days", 30.4375), "weeks": ("days", 7.0),
                 "days": ("hours", 24.0), "hours": ("minutes", 60.0), "minutes": ("seconds", 60.0)}
_COMPOUND_GAP_RE = re.compile(r"\s*(?:,|and|,\s*and)\s*")


def _join_compound_durations(found: list[Quantity], text: str, offset: int) -> list[Quantity]:
    """"four years and two months", "11 years, 3 months": one span of time, in the
    smaller unit (50 months), not two figures that each look like a rival term."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind is QuantityKind.DURATION
            and q.kind is QuantityKind.DURATION
            and prev.hedge is None
            and q.hedge is None
            and _SMALLER_UNIT.get(prev.unit, ("", 0.0))[0] == q.unit
            and _COMPOUND_GAP_RE.fullmatch(text[prev.end - offset : q.start - offset])
        ):
            factor = _SMALLER_UNIT[prev.unit][1]
            value = prev.value * factor + q.value
            rounding = q.high - q.value if q.high > q.value else 0.5
            out[-1] = Quantity(
                text=text[prev.start - offset : q.end - offset], start=prev.start, end=q.end,
                value=value, low=max(0.0, value - rounding), high=value + rounding,
                kind=QuantityKind.DURATION, unit=q.unit,
            )
            continue
        out.append(q)
    return out


# --------------------------------------------------------------------------- ranges


def _join_range(scan: _Scan, a: _Atom, b: _Atom) -> _Atom | None:
    """"20-30%", "$5-7 million", "18 to 24 months", "between 20 and 30" as one range."""
    if a.form != "number" or b.form != "number" or a.negative or b.negative:
        return None
    text = scan.text
    gap = _RANGE_GAP_RE.fullmatch(text, a.end, b.start)
    if gap is None:
        return None
    sep = gap.group("sep").casefold()
    left = scan.free_left(a.start, 24)
    cur = _CURRENCY_BEFORE_RE.search(text, left, a.start)
    head = cur.start() if cur else a.start
    between = _BETWEEN_BEFORE_RE.search(text, left, head)
    if sep == "and" and between is None:
        return None
    if sep == "to" and _FROM_BEFORE_RE.search(text, left, head):
        return None  # "rose from 20 to 30": a change between two figures, not a range
    low, high = a.value, b.value
    if not a.scale_text and b.scale_text and a.scale == 1 and a.value <= b.mantissa:
        low = a.value * b.scale  # "$5-7 million": the scale is shared
    if low < high:
        return _Atom(
            a.start,
            b.end,
            "range",
            (low + high) / 2,
            low=low,
            high=high,
            scale_text=b.scale_text,
            plain=a.plain if a.plain and b.plain else "",
            hedge_start=between.start() if between else -1,
            hedge=between.group("w") if between else None,
        )
    if sep in ("-", "–", "—"):
        if len(a.plain) == 4 and len(b.plain) == 2 and _is_year(a.value):
            second = float(a.plain[:2] + b.plain)  # "2020-21"
            if second > a.value:
                middle = (a.value + second) / 2
                return _Atom(a.start, b.end, "range", middle, low=a.value, high=second, plain=a.plain)
        return _Atom(a.start, b.end, "skip", 0.0)
    return None


def _is_year(value: float) -> bool:
    return 1800 <= value <= 2100 and value.is_integer()


# --------------------------------------------------------------------------- figures


def _read_atom(scan: _Scan, atom: _Atom) -> None:
    if atom.form == "ordinal":
        _read_ordinal(scan, atom)
    elif atom.form in ("decade", "age-decade"):
        _read_decade(scan, atom)
    else:
        _read_figure(scan, atom)


def _read_ordinal(scan: _Scan, atom: _Atom) -> None:
    text = scan.text
    word = text[atom.start : atom.end].casefold()
    left = scan.free_left(atom.start)
    if word == "first" and (
        _ORDINAL_IDIOM_BEFORE_RE.search(text, left, atom.start)
        or _ORDINAL_IDIOM_AFTER_RE.match(text, atom.end)
    ):
        return  # "at first", "first of all", "first-hand": not a position in a sequence
    if word == "second" and not _MEASURE_WORD_RE.match(text, atom.end):
        if _SECOND_AS_TIME_BEFORE_RE.search(text, left, atom.start):
            return  # "a split second", "per second"
    measure = _measure(text, atom.end, of="forbid", max_words=2)
    v = atom.value
    scan.emit(atom.start, atom.end, QuantityKind.ORDINAL, v, v, v, "ordinal", measure=measure)


def _read_decade(scan: _Scan, atom: _Atom) -> None:
    text = scan.text
    if atom.form == "decade":  # "the 1990s", "the '80s"
        scan.emit(atom.start, atom.end, QuantityKind.YEAR, atom.value, atom.low, atom.high, "year")
        return
    context = _AGE_DECADE_BEFORE_RE.search(text, scan.free_left(atom.start), atom.start)
    if context is None:
        return  # "temperatures in the 50s": not worth guessing
    low, high, start, hedge = atom.low, atom.high, atom.start, None
    if context.group("part"):
        part = context.group("part").casefold()
        low, high = {"early": (low, low + 3), "mid": (low + 3, low + 6), "late": (low + 6, high)}[part]
        start, hedge = context.start("part"), context.group("part")
    scan.emit(start, atom.end, QuantityKind.AGE, low, low, high, "years", hedge=hedge)


def _read_figure(scan: _Scan, atom: _Atom) -> None:
    """A plain number, range, fraction or vague multiple: its kind comes from the words
    around it, tried from the most to the least specific."""
    if atom.form == "number" and _is_label_or_code(scan, atom):
        return
    text = scan.text
    start, end, currency = _currency(scan, atom)
    hedge_start, hedge, reading = _leading_hedge(scan, atom, start)
    right = scan.free_right(end)

    if currency is not None:
        _emit_amount(scan, atom, hedge_start, end, QuantityKind.MONEY, currency, reading, hedge)
        return
    if atom.scale_text in _MONEY_ONLY_SCALES:
        return  # "a 100m sprint", "a 10k run"
    if atom.form == "fraction":
        if not _FRACTION_NOT_AFTER_RE.search(text, max(0, start - 16), start):
            # not "the first half of 2024" or "the other half": a part, not a share
            _emit_amount(scan, atom, hedge_start, end, QuantityKind.PERCENT, "%", reading, hedge)
        return
    if atom.form == "vague":
        measure = _measure(text, end, of="optional")
        scan.emit(start, end, QuantityKind.COUNT, atom.value, atom.low, atom.high, "", measure=measure)
        return

    if pct := _PERCENT_AFTER_RE.match(text, end, right):
        if pct.group("bp"):  # basis points are hundredths of a point
            atom = _scaled(atom, 0.01)
        unit = "%" if pct.group("pct") else "pp"
        _emit_amount(scan, atom, hedge_start, pct.end(), QuantityKind.PERCENT, unit, reading, hedge)
    elif age := _AGE_AFTER_RE.match(text, end, right):
        unit = (age.group("unit") or age.group("unit2")).casefold().removesuffix("s") + "s"
        _emit_age(scan, atom, hedge_start, age.end(), unit, reading, hedge)
    elif ago := _AGO_AFTER_RE.match(text, end, right):
        _emit_ago(scan, atom, hedge_start, ago.end(), ago.group("unit"), reading, hedge)
    elif duration := _DURATION_AFTER_RE.match(text, end, right):
        stated, factor = _DURATION_UNITS[duration.group("unit").casefold().removesuffix("s")]
        amount = _scaled(atom, factor)
        if reading is Reading.EXACT and "-" in duration.group(0):
            # "a five-year contract", "a 12-hour shift": a term as labelled, not a span
            # told in round units, so it keeps the rounding of its own digits
            reading = Reading.STATED
        _emit_amount(scan, amount, hedge_start, duration.end(), QuantityKind.DURATION, stated, reading, hedge)
    elif aged := _AGE_BEFORE_RE.search(text, scan.free_left(hedge_start), hedge_start):
        _emit_age(scan, atom, aged.start(), end, "years", reading, hedge)
    elif hedge is None and _is_appositive_age(scan, atom):
        _emit_age(scan, atom, start, end, "years", reading, None)
    elif hedge is None and not _HEDGE_AFTER_RE.match(text, end, right) and _reads_as_year(scan, atom):
        low, high = (atom.low, atom.high) if atom.form == "range" else (atom.value, atom.value)
        scan.emit(start, end, QuantityKind.YEAR, atom.value, low, high, "year")
    elif not (atom.word and atom.value == 1 and atom.scale == 1):  # "one of the", "no one"
        _emit_amount(scan, atom, hedge_start, end, QuantityKind.COUNT, "", reading, hedge)


def _is_label_or_code(scan: _Scan, atom: _Atom) -> bool:
    """"Article 5", "Route 66", "COVID-19", "F-16": names with a number in them."""
    text, start = scan.text, atom.start
    if _LABEL_BEFORE_RE.search(text, max(scan.free_left(start), start - 16), start):
        return True
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        prefix = re.search(r"[^\W\d_]+$", text[max(0, start - 12) : start - 1])
        return not prefix or prefix.group(0).casefold() not in _NUMBER_PREFIXES_OK  # "mid-2020"
    return False


def _currency(scan: _Scan, atom: _Atom) -> tuple[int, int, str | None]:
    """Where a sum starts and ends once its currency is included ("$6", "US$ 2.5m",
    "6 billion dollars", "millions of dollars"), and the currency code."""
    text, start, end = scan.text, atom.start, atom.end
    right = scan.free_right(end)
    if atom.form == "vague":
        of = _OF_CURRENCY_RE.match(text, end, right)
        return (start, of.end(), _currency_code(of.group("cur"))) if of else (start, end, None)
    if atom.form not in ("number", "range"):
        return start, end, None
    before = _CURRENCY_BEFORE_RE.search(text, max(scan.free_left(start), start - 8), start)
    if before:
        return before.start(), end, _currency_code(before.group("cur"))
    after = _CURRENCY_AFTER_RE.match(text, end, right)
    if after:
        return start, after.end(), _currency_code(after.group("cur"))
    return start, end, None


def _leading_hedge(scan: _Scan, atom: _Atom, start: int) -> tuple[int, str | None, Reading]:
    """The hedge in front ("nearly", "more than"); a range's own "between"."""
    if atom.form == "range":
        if atom.hedge_start >= 0:
            return atom.hedge_start, atom.hedge, Reading.EXACT
        return start, None, Reading.EXACT
    if atom.form == "vague":  # "thousands" is already a bound
        return start, None, Reading.EXACT
    m = _HEDGE_BEFORE_RE.search(scan.text, scan.free_left(start), start)
    if m is None or m.lastgroup is None:
        return start, None, Reading.EXACT
    return m.start(), m.group(m.lastgroup), Reading[m.lastgroup]


def _scaled(atom: _Atom, factor: float) -> _Atom:
    """The same figure in another unit ("three decades" -> 30 years)."""
    return replace(
        atom,
        value=atom.value * factor,
        unit=atom.unit * factor,
        low=atom.low * factor,
        high=atom.high * factor,
    )


def _emit_amount(
    scan: _Scan,
    atom: _Atom,
    start: int,
    end: int,
    kind: QuantityKind,
    unit: str,
    reading: Reading,
    hedge: str | None,
) -> None:
    """A share, sum, count or duration: hedge, postfix hedge, interval and measure."""
    text = scan.text
    if hedge is None and atom.form not in ("range", "vague"):
        postfix = _HEDGE_AFTER_RE.match(text, end, scan.free_right(end))
        if postfix and postfix.lastgroup:
            reading = Reading[postfix.lastgroup.rstrip("2")]
            hedge = postfix.group(0).strip()
            end = postfix.end()
    ceiling = 100.0 if kind is QuantityKind.PERCENT else math.inf
    if atom.form in ("range", "vague"):
        low, high = atom.low, atom.high
    elif kind is QuantityKind.DURATION and reading is Reading.EXACT:
        # "protests have gone on for four months" after four and a half: spans of time are
        # told in whole units, rounded either way, so a bare one reads as "about"
        low, high = hedge_interval(atom.value, atom.unit, Reading.ABOUT, scan.hedges, ceiling=ceiling)
    else:
        low, high = hedge_interval(atom.value, atom.unit, reading, scan.hedges, ceiling=ceiling)
    measure = None
    tail = _HEDGE_AFTER_RE.match(text, end)  # "some 300 or so protesters": measure after it
    if tail:
        end_of_figure, end = end, tail.end()
    else:
        end_of_figure = end
    if kind is QuantityKind.COUNT:
        measure = _measure(text, end, of="optional" if atom.scale_text or atom.word else "forbid")
    elif kind is QuantityKind.PERCENT:
        measure = _measure(text, end, of="require")
    scan.emit(start, end_of_figure, kind, atom.value, low, high, unit, hedge=hedge, measure=measure)


def _emit_age(
    scan: _Scan, atom: _Atom, start: int, end: int, unit: str, reading: Reading, hedge: str | None
) -> None:
    if atom.form == "range":
        low, high = atom.low, atom.high
    elif reading is Reading.EXACT and atom.value.is_integer():
        low = high = atom.value  # ages are whole completed years: nothing was rounded
    else:
        low, high = hedge_interval(atom.value, max(atom.unit, 1.0), reading, scan.hedges)
    scan.emit(start, end, QuantityKind.AGE, atom.value, low, high, unit, hedge=hedge)


def _emit_ago(
    scan: _Scan, atom: _Atom, start: int, end: int, unit_word: str, reading: Reading, hedge: str | None
) -> None:
    """"35 years ago": a year (or a date) once the article's date is known."""
    stated, factor = _DURATION_UNITS[unit_word.casefold().removesuffix("s")]
    amount = _scaled(atom, factor)
    if amount.form == "range":
        d_low, d_high = amount.low, amount.high
    else:
        d_low, d_high = hedge_interval(amount.value, amount.unit, reading, scan.hedges)
    ref = scan.ref
    if ref is None or stated not in ("years", *_DAYS_PER_UNIT):  # "3 hours ago": no day to name
        unit = f"{stated}-ago"
        scan.emit(start, end, QuantityKind.DURATION, amount.value, d_low, d_high, unit, hedge=hedge)
        return
    if stated == "years":
        year = ref.year - amount.value
        low = -math.inf if math.isinf(d_high) else ref.year - math.ceil(d_high)
        high = ref.year - math.floor(d_low)
        scan.emit(start, end, QuantityKind.YEAR, year, low, high, "year", hedge=hedge)
        return
    days = _DAYS_PER_UNIT[stated]
    try:
        value = (ref - dt.timedelta(days=round(amount.value * days))).toordinal()
        high = (ref - dt.timedelta(days=math.floor(d_low * days))).toordinal()
        if math.isinf(d_high):
            low = -math.inf
        else:
            low = (ref - dt.timedelta(days=math.ceil(d_high * days))).toordinal()
    except (OverflowError, ValueError):
        return  # before year 1: not a date
    scan.emit(start, end, QuantityKind.DATE, float(value), float(low), float(high), "date", hedge=hedge)


def _is_appositive_age(scan: _Scan, atom: _Atom) -> bool:
    """"Ana María Ruiz, 59, leader of ...": a name, a comma, an age, then a break."""
    if not atom.plain or len(atom.plain) > 3 or not 1 <= atom.value <= 120:
        return False
    text = scan.text
    before = _APPOSITIVE_BEFORE_RE.search(text, scan.free_left(atom.start), atom.start)
    if before is None or before.group("name").rstrip(".") in _APPOSITIVE_NOT_NAMES:
        return False
    return _APPOSITIVE_AFTER_RE.match(text, atom.end) is not None


def _reads_as_year(scan: _Scan, atom: _Atom) -> bool:
    if atom.form == "range":
        return len(atom.plain) == 4 and _is_year(atom.low) and _is_year(atom.high)
    if len(atom.plain) != 4 or not _is_year(atom.value):
        return False
    text = scan.text
    # "2000 people" is a count; "the 2021 elections" and "in 2000 people ..." stay years
    if _YEAR_CONTEXT_RE.search(text, scan.free_left(atom.start, 16), atom.start):
        return True
    nxt = _MEASURE_WORD_RE.match(text, atom.end)
    return not (nxt and _is_plural(nxt.group("w").casefold()))


def _currency_code(symbol: str) -> str:
    compact = re.sub(r"\s+", "", symbol).replace("U.S.", "US")
    if compact in _CURRENCY_CODES:
        return _CURRENCY_CODES[compact]
    if compact.isupper() and compact.isalpha():
        return compact
    words = " ".join(symbol.casefold().split())
    for key, code in _CURRENCY_WORDS:
        if key in words:
            return code
    return compact  # an unknown "XY$": keep it as written, so it only matches itself


# --------------------------------------------------------------------------- measures


def _is_plural(word: str) -> bool:
    if word in _IRREGULAR_PLURALS:
        return True
    return len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s"))


def _measure(text: str, pos: int, *, of: str, max_words: int = 3) -> str | None:
    """The noun phrase a figure counts: "300,000 undocumented migrants" -> "undocumented
    migrants".  ``of`` says whether "of the" may ("thousands of Norlanders"), must ("27% of
    the vote") or may not ("330,000 of whom") come first."""
    of_match = _OF_RE.match(text, pos)
    if of_match and of != "forbid":
        pos = of_match.end()
    elif of == "require":
        return None
    words: list[str] = []
    while len(words) < max_words:
        m = _MEASURE_WORD_RE.match(text, pos)
        if m is None:
            break
        word = m.group("w").strip("-'’")
        folded = word.casefold()
        if not word or folded in _MEASURE_STOP or (folded.endswith("ly") and len(folded) > 4):
            break
        if words and word[0].isupper():
            break  # a name starts: the noun phrase has ended
        words.append(word)
        pos = m.end()
        if _is_plural(folded) or m.group(0).startswith("-"):
            break  # the head noun; or a compound modifier: "a two-term mayor" counts terms
    # a trailing participle is the verb, not the noun: "12 died", "ballots counted"
    while words and words[-1].casefold().endswith(("ed", "ing")):
        words.pop()
    return " ".join(words) or None


# --------------------------------------------------------------------------- dates


# (value, low, high, unit, hedge) of a date phrase
_DateReading = tuple[float, float, float, str, str | None]


def _read_dates(scan: _Scan) -> None:
    text = scan.text
    for m in _DATE_RE.finditer(text):
        if not scan.is_free(*m.span()):
            continue
        if m.group("mo"):
            name = m.group("m6")
            if name in _AMBIGUOUS_MONTHS and not m.group("p6"):
                if not _MONTH_CONTEXT_RE.search(text, max(0, m.start() - 16), m.start()):
                    continue  # "May" the verb, "June" the name
        reading = _date_reading(m, scan.ref)
        if reading is None:
            scan.take(*m.span())  # "February 30, 2025": a date, but not a real one
            continue
        value, low, high, unit, hedge = reading
        scan.emit(m.start(), m.end(), QuantityKind.DATE, value, low, high, unit, hedge=hedge)


def _date_reading(
    m: re.Match[str], ref: dt.date | None
) -> _DateReading | None:
    """(value, low, high, unit, hedge) of one date match; None if no such day exists."""
    g = m.group
    if g("iso"):
        return _day_reading(int(g("iy")), int(g("im")), int(g("id")))
    if g("numeric"):
        return _numeric_date_reading(int(g("na")), int(g("nb")), g("ny"))
    for month_g, day_g, year_g in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if g(month_g):
            return _day_reading(int(g(year_g)), _month_number(g(month_g)), int(g(day_g)))
    for month_g, day_g in (("m3", "d3"), ("m4", "d4")):
        if g(month_g):
            return _month_day_reading(_month_number(g(month_g)), int(g(day_g)), ref)
    if g("m5"):
        return _month_reading(_month_number(g("m5")), int(g("y5")), g("p5"))
    return _month_reading(_month_number(g("m6")), _nearest_month_year(_month_number(g("m6")), ref), g("p6"))


def _month_number(name: str) -> int:
    return _MONTHS[name.rstrip(".").casefold()]


def _day_reading(year: int, month: int, day: int) -> _DateReading | None:
    try:
        ordinal = float(dt.date(year, month, day).toordinal())
    except ValueError:
        return None
    return ordinal, ordinal, ordinal, "date", None


def _numeric_date_reading(a: int, b: int, year_text: str) -> _DateReading | None:
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year <= 68 else 1900
    days = []
    for month, day in ((b, a), (a, b)):  # day-first, then month-first
        try:
            days.append(dt.date(year, month, day).toordinal())
        except ValueError:
            continue
    if not days:
        return None
    # "03/04/2025" is 3 April or 4 March depending on the outlet: allow both
    return float(min(days)), float(min(days)), float(max(days)), "date", None


def _month_day_reading(month: int, day: int, ref: dt.date | None) -> _DateReading | None:
    if day > calendar.monthrange(2000, month)[1]:  # 2000 is a leap year: Feb 29 exists
        return None
    if ref is None:
        code = float(month * 100 + day)
        return code, code, code, "month-day", None
    best: dt.date | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - ref).days) < abs((best - ref).days):
            best = candidate
    if best is None:
        return None
    ordinal = float(best.toordinal())
    return ordinal, ordinal, ordinal, "date", None


def _nearest_month_year(month: int, ref: dt.date | None) -> int | None:
    """The year that puts a bare month nearest the reference date ("in December")."""
    if ref is None:
        return None
    best_year, best_distance = None, math.inf
    for year in (ref.year - 1, ref.year, ref.year + 1):
        if not 1 <= year <= 9999:
            continue
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        distance = 0 if first <= ref <= last else min(abs((first - ref).days), abs((last - ref).days))
        if distance < best_distance:
            best_year, best_distance = year, distance
    return best_year


def _month_reading(
    month: int, year: int | None, part: str | None
) -> _DateReading:
    first_day, last_day = _DATE_PARTS.get(part.casefold(), (1, 31)) if part else (1, 31)
    if year is None:
        low, high = float(month * 100 + first_day), float(month * 100 + last_day)
        return low, low, high, "month-day", part
    last_day = min(last_day, calendar.monthrange(year, month)[1])
    low = float(dt.date(year, month, first_day).toordinal())
    high = float(dt.date(year, month, last_day).toordinal())
    return low, low, high, "date", part


# --------------------------------------------------------------------------- in words

#: Scale words for reading a large figure's interval back: 31,500,000 is "31.5 million".
_SCALES_IN_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _currency_symbols() -> dict[str, str]:
    """ISO code -> the shortest symbol written for it ("$", "€", "C$"); codes with no
    short symbol ("CLP$" is the code again) are written after the figure."""
    symbols: dict[str, str] = {}
    for written, code in _CURRENCY_CODES.items():
        if written.rstrip(".").isalpha() or len(written) > 3:
            continue
        if code not in symbols or len(written) < len(symbols[code]):
            symbols[code] = written
    return symbols


_CURRENCY_SYMBOLS = _currency_symbols()


def _number_in_words(x: float) -> str:
    """A bound as a reader writes it: grouped thousands, no float noise (58.295, not
    58.294999999999995)."""
    text = f"{x:,.10g}"
    if "e" in text:  # beyond 10 significant digits: write it out whole
        text = f"{x:,.0f}"
    return "0" if text == "-0" else text


def _date_in_words(day: dt.date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _days_in_words(low: dt.date, high: dt.date) -> str:
    if low == high:
        return _date_in_words(low)
    if (low.year, low.month) == (high.year, high.month):
        return f"{low.day}–{high.day} {calendar.month_name[low.month]} {low.year}"
    if low.year == high.year:
        return f"{low.day} {calendar.month_name[low.month]} – {_date_in_words(high)}"
    return f"{_date_in_words(low)} – {_date_in_words(high)}"


def _month_days_in_words(low: int, high: int) -> str | None:
    (m1, d1), (m2, d2) = divmod(low, 100), divmod(high, 100)
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    if (m1, d1) == (m2, d2):
        days = f"{d1} {calendar.month_name[m1]}"
    elif m1 == m2:
        days = f"{d1}–{d2} {calendar.month_name[m1]}"
    else:
        days = f"{d1} {calendar.month_name[m1]} – {d2} {calendar.month_name[m2]}"
    return f"{days}, year not given"


def _amount_in_words(q: Quantity, low: float, high: float | None) -> str:
    """``low``–``high`` (or just ``low`` when ``high`` is None) with the figure's unit and
    one scale word for both: "44–46 million", "€31.5–32.5 million", "25.5–27%"."""
    finite = [abs(x) for x in (low, high, q.value) if x is not None and math.isfinite(x)]
    scale, scale_word = next(((s, w) for s, w in _SCALES_IN_WORDS if max(finite, default=0) >= s), (1.0, ""))
    numbers = _number_in_words(low / scale)
    if high is not None:
        numbers += f"–{_number_in_words(high / scale)}"
    if scale_word:
        numbers += f" {scale_word}"
    if q.kind == QuantityKind.MONEY:
        symbol = _CURRENCY_SYMBOLS.get(q.unit)
        return f"{symbol}{numbers}" if symbol else f"{numbers} {q.unit}".rstrip()
    if q.unit == "%":
        return f"{numbers}%"
    if q.unit == "pp":
        return f"{numbers} percentage points"
    if q.unit.endswith("-ago"):
        return f"{numbers} {q.unit.removesuffix('-ago')} ago"
    if q.kind in (QuantityKind.AGE, QuantityKind.DURATION) and q.unit:
        return f"{numbers} {q.unit}"
    return numbers


def _reading_in_words(q: Quantity) -> str | None:
    """The interval a figure allows, in words; None when there are no words for it."""
    low, high = q.low, q.high
    if math.isnan(low) or math.isnan(high):
        return None
    if q.kind == QuantityKind.DATE:
        if q.unit == "date":
            return _days_in_words(dt.date.fromordinal(int(low)), dt.date.fromordinal(int(high)))
        return _month_days_in_words(int(low), int(high))
    if q.kind == QuantityKind.YEAR:
        return f"{int(low)}" if low == high else f"{int(low)}–{int(high)}"
    if q.kind == QuantityKind.ORDINAL or (math.isinf(low) and math.isinf(high)):
        return None  # "third" is 3, and a figure that allows anything has nothing to add
    if math.isinf(high) or (  # "more than 95%": a share stops at 100
        q.kind == QuantityKind.PERCENT and q.unit == "%" and high == 100 and low == q.value < 100 and q.hedge
    ):
        return f"{_amount_in_words(q, low, None)} or more"
    if math.isinf(low) or (low == 0 and high == q.value > 0 and q.hedge):
        return f"{_amount_in_words(q, high, None)} or less"
    if low == high:
        return f"exactly {_amount_in_words(q, low, None)}"
    return _amount_in_words(q, low, high)


def quantity_in_words(q: Quantity) -> str:
    """A figure as written and the interval it allows, in words for a card's details line.

    "about 45 million" -> "about 45 million, so 44–46 million"; "nearly 27%" -> "nearly
    27%, so 25.5–27%"; "more than 95%" -> "more than 95%, so 95% or more"; "58.30%" ->
    "58.30%, so 58.295–58.305%"; "March 11" (in an article of 2026) -> "March 11, so 11
    March 2026".  A figure whose reading says nothing more ("2026") comes back as written.
    """
    stated = " ".join(q.text.split())
    reading = _reading_in_words(q)
    if not reading or reading.casefold() == stated.casefold():
        return stated
    return f"{stated}, so {reading}"
