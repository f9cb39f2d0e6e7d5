"""A reproducible synthetic newsroom corpus with planted disagreements and look-alikes.

    python bench/corpus.py --articles 1000 --seed 7 --out /tmp/corpus

writes ``OUT/story-XXXX/<file>.txt`` (a ``Title:``/``Source:``/``Date:`` header block, then
about 30 sentences / 600 words), ``OUT/story-XXXX/gold.yaml`` (the format of
``shared/eval/README.md``: quotes are exact substrings of the files) and
``OUT/manifest.json``.  File names are unique across the corpus (``s0001-harbor-gazette.txt``)
so every article can also go into one inbox for ``claimcheck batch``.

Every story is one invented event (an election, a plant closure, a disaster, a football
transfer, a budget) told by 3-6 outlets.  The outlets state one fact sheet in different
words: templates, synonyms, sentence order, hedges and rounding that still agree
("approximately 58%" / "58.3%") by the corpus's own reading of hedges (``HEDGES``, written
from how outlets use them, not from claimcheck's settings).  Then some stories get
*planted disagreements* (gold ``hard``):

* ``numeric``        a figure outside every other outlet's hedge (54.2% vs about 61%);
* ``office``         one person given another office in one outlet (Governor vs Senator);
* ``spelling``       a first or last name misspelled in one outlet (Whitfield / Whitfeld);
* ``narrow``         "narrowly won the first round" against first-round figures that are not
                     narrow (31% vs 24%);

and *planted look-alikes* (gold ``consistent``): hedged figures that agree (``hedge``), an
age said two ways (``age``), "March 11" vs "March 11, 2026" in dated articles (``date``),
accents present or not (``accent``; ``accent-nd`` for letters Unicode does not decompose,
"Łukasz"/"Lukasz"), a second surname added (``surname``) and, in elections whose first
round really was close, "narrowly" with figures that agree (``narrow-ok``).

Stories are generated from ``(seed, story index)`` alone, so the first stories of a
1,000-article corpus are the stories of a 100-article one (only the last story's outlet
count may differ).  The manifest records, per planted item, which template each side
used (``form``: ``plain`` phrasings like the test fixtures, ``hard`` ones that name the
holder after the figure, use a synonym measure, or another event word).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# =========================================================================== vocabulary

FIRST_M = """Marcus Tomasz Leo Victor Elliot Simon Arthur Felix Rupert Conrad Julian Oscar Hugo
Gideon Silas Edmund Bernard Desmond Lionel Ambrose Casimir Roland Tobias Anselm Dorian
Magnus Ivo Laurent Matthias Quentin Reuben Stellan Valentin Wendell Alistair Benedikt
Cornelius Emmerich Fabian Gustav Horatio Ignatius Jasper Konrad Leopold Malcolm Nikolai
Octavian Percival Raymond Sebastian Theodor Ulrich Vincent Warrick Xavier Yannick""".split()
FIRST_F = """Helena Dana Ingrid Miriam Rosalind Beatrix Cordelia Edith Flora Greta Harriet
Imogen Judith Katrin Lavinia Marguerite Noemi Ottilie Petra Rowena Sabine Theresa Ursula
Vivienne Wilhelmina Yvonne Adela Brigitte Clarissa Delphine Eleanor Francesca Gwendolyn
Henrietta Isolde Josephine Leonora Mathilde Nadine Ophelia Philippa Renata Seraphina
Tamsin Valeria Winifred Zelda Annika Solveig Marisol""".split()
# (accented, plain): accent variants that fold to the same name
ACCENT_FIRST = [("José", "Jose"), ("Inés", "Ines"), ("Ramón", "Ramon"), ("Sofía", "Sofia"),
                ("Andrés", "Andres"), ("Lucía", "Lucia"), ("Joaquín", "Joaquin"), ("Raúl", "Raul"),
                ("Héctor", "Hector"), ("Mónica", "Monica"), ("Verónica", "Veronica"),
                ("Agustín", "Agustin"), ("Inés", "Ines"), ("Renée", "Renee"), ("Zoë", "Zoe")]
ACCENT_LAST = [("Calderón", "Calderon"), ("Núñez", "Nunez"), ("Muñoz", "Munoz"), ("Peña", "Pena"),
               ("Ibáñez", "Ibanez"), ("Gómez", "Gomez"), ("Pérez", "Perez"), ("Sánchez", "Sanchez"),
               ("Martínez", "Martinez"), ("Jiménez", "Jimenez"), ("Álvarez", "Alvarez"),
               ("Dvořák", "Dvorak"), ("Kovač", "Kovac"), ("Müller", "Muller"), ("Brontë", "Bronte"),
               ("Fernández", "Fernandez"), ("Domínguez", "Dominguez"), ("Valdés", "Valdes")]
# letters that Unicode does not decompose: "Ł" is not "L" + a mark
ACCENT_ND = [("Łukasz", "Lukasz", "first"), ("Søren", "Soren", "first"), ("Bjørn", "Bjorn", "first"),
             ("Wałęsa", "Walesa", "last"), ("Møller", "Moller", "last"), ("Strauß", "Strauss", "last")]
SECOND_SURNAMES = """Rist Tagle Soto Vidal Ferrer Lagos Rojas Vega Ortiz Silva Correa Barros
Montes Prieto Fuentes Salas Navarro Cabrera Molina Reyes""".split()

ONSETS = "Br Wh H M D Gr Th V K St L R C F W N P S Tr Bl Ch Sh Dr Gl Pr Fl Cr Sp".split()
VOWELS = "a e i o u ai ea ou".split()
CODAS = "nd lt rr st lm rk ff ll ng rn x ck m n r s t".split()
SURNAME_ENDS = """field ton ley ford wick man more by dale son ward holm stead bury cott worth
ridge er ing ow ett ell ard""".split()
TOWN_ENDS = "ville mouth ford burg haven field bridge wick stead port dale more lin stow".split()
TOWN_PREFIX = ["", "", "", "", "Port ", "North ", "East ", "Lake ", "Upper "]
REGION_ENDS = ["shire", "ia", "land", "ova", "ara"]

OUTLETS = """Harbor Gazette|Valley Courier|Metro Wire|Northern Post|Business Daily|Evening Ledger|
Coastal Herald|Capital Tribune|Morning Star|Western Sentinel|Daily Record|City Observer|
Plains Chronicle|River Times|National Dispatch|Lakeside Journal|Southern Examiner|Frontier Press|
Highland Mercury|Independent Review|Union Bulletin|Weekly Standard|Citizen Voice|Globe Monitor|
Pacific Register|Atlantic Sun|Central Bugle|Summit News|Harbour Telegraph|Market Watchman""".replace("\n", "").split("|")

COMPANY_ENDS = ["Energy", "Steel", "Motors", "Foods", "Textiles", "Logistics", "Pharmaceuticals",
                "Paper", "Glass", "Chemicals", "Electronics", "Cement"]
PRODUCTS = {"Energy": "turbine", "Steel": "rolling", "Motors": "assembly", "Foods": "processing",
            "Textiles": "weaving", "Logistics": "distribution", "Pharmaceuticals": "tablet",
            "Paper": "paper", "Glass": "glass", "Chemicals": "chemical", "Electronics": "circuit-board",
            "Cement": "cement"}
CLUB_FORMS = ["{t} United", "{t} Rovers", "Athletic {t}", "{t} City", "FC {t}", "{t} Wanderers",
              "Sporting {t}", "{t} Albion"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


# =========================================================================== figures


# How outlets hedge a figure.  This table is the corpus's own, written from how news copy
# uses these words; it is deliberately NOT claimcheck's hedge table (``Config.hedges``,
# the README's interval table): a corpus whose hedges mean what the tool assumes they
# mean can only catch the tool failing to parse them, never the tool being wrong about
# what an outlet meant.
#
# A hedged figure is the true value rounded to a step an outlet would choose (1, 2 or 5
# times a power of ten, coarse enough to read as round) in the hedge's direction.
# ``reach`` is how far the true value may lie from the stated number, as a fraction of
# the stated number, for an editor to let the wording pass; ``low``/``high`` of a stated
# figure are that reach around it, so two outlets agree when those ranges meet.


@dataclass(frozen=True)
class HedgeUse:
    words: tuple[str, ...]
    side: str  # where the true value lies: "either" side, "below" or "above" the stated number
    reach: float  # fraction of the stated number; math.inf: a floor with no ceiling


HEDGES: dict[str, HedgeUse] = {
    # "about 1,300" for 1,262 or 1,340, "roughly 60%" for 58.4%: a figure rounded for the
    # reader, up or down.  Past a twentieth copy desks ask for a closer round number.
    "about": HedgeUse(("about", "approximately", "roughly", "around", "some", "an estimated"), "either", 0.05),
    # "nearly 60%" for 57.6%, "almost 2,000" for 1,930: the next round number above the
    # figure; "nearly 2,000" for 1,700 reads as inflating it.
    "nearly": HedgeUse(("nearly", "almost", "close to", "just under"), "below", 0.06),
    # "just over 41%" for 41.3%, "slightly more than $30 million" for $30.6 million: a
    # small overshoot of a round number; "just" keeps it within a few percent.
    "just_over": HedgeUse(("just over", "slightly more than", "a little over", "just above"), "above", 0.03),
    # "more than 1,000" for 1,303, "over 50%" for 57%: a round floor, often well below the
    # figure (a headline threshold), with no ceiling.
    "over": HedgeUse(("more than", "over", "upwards of"), "above", math.inf),
}
# An unhedged figure reads as exact to its last printed digit: "58.3%" is 58.25-58.35,
# "1,303" is 1,302.5-1,303.5 (``Figure.state`` with "exact").
EXACT = "exact"
_STEP_MULTIPLES = (1, 2, 5)


def round_steps(x: float, finest: float) -> list[float]:
    """Steps an outlet might round ``x`` to: 1, 2 or 5 times a power of ten, no finer
    than ``finest`` and coarse enough that the figure reads as round (at most a tenth of
    it), coarsest first."""
    steps = [m * 10.0**e for e in range(-2, 12) for m in _STEP_MULTIPLES]
    fitting = sorted((s for s in steps if finest - 1e-12 <= s <= x / 10), reverse=True)
    return fitting or [finest]


@dataclass(frozen=True)
class Stated:
    """A figure as one outlet words it."""

    text: str
    low: float
    high: float
    hedge: str


@dataclass(frozen=True)
class Figure:
    """A true value and how to write it: ``kind`` share|count|money."""

    value: float
    kind: str
    decimals: int = 0  # of the exact form
    scale: float = 1.0  # money: 1e6 (million) or 1e9 (billion)
    currency: str = "$"

    def _fmt_number(self, x: float, decimals: int) -> str:
        if self.kind == "count":
            return f"{int(round(x)):,}"
        return f"{x:.{decimals}f}"

    def _surface(self, number: str, word: str, rng: random.Random) -> str:
        prefix = f"{word} " if word else ""
        if self.kind == "share":
            suffix = rng.choice(["%", "%", "%", " percent", " per cent"])
            return f"{prefix}{number}{suffix}"
        if self.kind == "money":
            name = "million" if self.scale == 1e6 else "billion"
            return f"{prefix}{self.currency}{number} {name}"
        return f"{prefix}{number}"

    def state(self, hedge: str, rng: random.Random, value: float | None = None) -> Stated | None:
        """Word the figure with ``hedge`` (a key of ``HEDGES``, or ``EXACT``) the way an
        outlet would for ``value`` (the true value unless given); None when that hedge
        does not fit it (no round number close enough on the hedge's side)."""
        v = self.value if value is None else value
        share = self.kind == "share"
        x = v / self.scale
        if hedge == EXACT:
            number = self._fmt_number(x, self.decimals)
            half = 0.5 if self.kind == "count" else 0.5 * 10.0**-self.decimals
            low, high = (float(number.replace(",", "")) - half) * self.scale, (float(number.replace(",", "")) + half) * self.scale
            return Stated(self._surface(number, "", rng), low, high, hedge)
        use = HEDGES[hedge]
        finest = 10.0 if self.kind == "count" else (1.0 if share else 0.1)
        # outlets mostly round to two significant digits, sometimes coarser
        step = rng.choice(round_steps(x, finest)[:3])
        r = {"either": round(x / step) * step, "below": math.ceil(x / step) * step,
             "above": math.floor(x / step) * step}[use.side]
        if r <= 0 or (use.side != "either" and abs(r - x) < 1e-9):
            return None  # "nearly 40%" for exactly 40% is not a hedge
        if abs(r - x) > use.reach * r:
            return None
        low = r * (1 - use.reach) if use.side in ("either", "below") else r
        high = r * (1 + use.reach) if use.side in ("either", "above") else r
        if math.isinf(high) and share:
            high = 100.0
        number = self._fmt_number(r, 0 if step >= 1 else 1)
        word = rng.choice(use.words)
        return Stated(self._surface(number, word, rng), low * self.scale, high * self.scale, hedge)


def overlaps(a: Stated, b: Stated) -> bool:
    return a.low <= b.high + 1e-9 and b.low <= a.high + 1e-9


# =========================================================================== people and places


@dataclass
class Person:
    key: str
    first: str
    last: str
    first_plain: str | None = None  # the unaccented spelling, when the name has accents
    last_plain: str | None = None
    office: str | None = None  # "Governor": an office (prefix form)
    office_of: str = ""  # "of Norland": for the appositive form
    role: str | None = None  # "chief executive": not an office
    role_prefix: bool = True  # "chief executive Dana Whitfield" reads well
    age: int | None = None

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


class Names:
    """Invented names, unique over one corpus (no two people share a full name, no two
    people of one story share a first name or have look-alike surnames)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used_full: set[str] = set()
        self.used_places: set[str] = set()

    def syllable_name(self, ends: list[str]) -> str:
        r = self.rng
        while True:
            name = (r.choice(ONSETS) + r.choice(VOWELS) + r.choice(CODAS) + r.choice(ends)).capitalize()
            if not re.search(r"(.)\1\1", name):
                return name

    def surname(self) -> str:
        return self.syllable_name(SURNAME_ENDS)

    def place(self) -> str:
        for _ in range(1000):
            name = self.rng.choice(TOWN_PREFIX) + self.syllable_name(TOWN_ENDS)
            if name not in self.used_places:
                self.used_places.add(name)
                return name
        raise RuntimeError("out of place names")

    def region(self) -> str:
        for _ in range(1000):
            r = self.rng
            name = (r.choice(ONSETS) + r.choice(VOWELS) + r.choice(CODAS)).capitalize() + r.choice(REGION_ENDS)
            if name not in self.used_places:
                self.used_places.add(name)
                return name
        raise RuntimeError("out of region names")


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.ratio(a.lower(), b.lower()) >= 70


class Cast:
    """The people of one story."""

    def __init__(self, names: Names, rng: random.Random):
        self.names = names
        self.rng = rng
        self.people: dict[str, Person] = {}

    def _ok(self, first: str, last: str) -> bool:
        if f"{first} {last}" in self.names.used_full:
            return False
        for p in self.people.values():
            if p.first == first or _similar(p.last, last) or _similar(p.first, first):
                return False
        return True

    def add(self, key: str, *, accent: str | None = None, **kw) -> Person:
        r = self.rng
        for _ in range(500):
            first_plain = last_plain = None
            first = r.choice(FIRST_M + FIRST_F)
            last = self.names.surname()
            if accent == "first":
                first, first_plain = r.choice(ACCENT_FIRST)
            elif accent == "last":
                last, last_plain = r.choice(ACCENT_LAST)
            elif accent == "nd":
                a, plain, which = r.choice(ACCENT_ND)
                if which == "first":
                    first, first_plain = a, plain
                else:
                    last, last_plain = a, plain
            if self._ok(first, last):
                p = Person(key, first, last, first_plain, last_plain, **kw)
                self.people[key] = p
                self.names.used_full.add(p.full)
                return p
        raise RuntimeError("out of names")


def misspell(name: str, rng: random.Random) -> str:
    """One plausible slip: an interior letter dropped, doubled or two swapped; the result
    stays similar (rapidfuzz ratio >= 85) and keeps first and last letter."""
    from rapidfuzz import fuzz

    for _ in range(100):
        i = rng.randrange(1, len(name) - 2)
        how = rng.choice(["drop", "double", "swap"])
        if how == "drop":
            out = name[:i] + name[i + 1 :]
        elif how == "double":
            out = name[: i + 1] + name[i] + name[i + 1 :]
        else:
            out = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if out != name and fuzz.ratio(out.lower(), name.lower()) >= 85 and out[-1] == name[-1]:
            return out
    raise RuntimeError(f"cannot misspell {name}")


# =========================================================================== rendering

_TOKEN = re.compile(r"\[\[|\]\]|\{(\w+)(?:\.(\w+))?\}")


@dataclass
class OutletView:
    """How one outlet writes the story's people: spellings, offices, forms of address."""

    source: str
    first: dict[str, str] = field(default_factory=dict)
    last: dict[str, str] = field(default_factory=dict)
    extra_surname: dict[str, str] = field(default_factory=dict)
    office: dict[str, str] = field(default_factory=dict)
    appositive: set[str] = field(default_factory=set)  # people introduced "Name, the X of Y,"


@dataclass
class Sentence:
    template: str
    values: dict[str, str]
    fact: str | None = None  # a fact key, for the manifest
    form: str = "plain"
    template_id: str = ""


class ArticleWriter:
    """Renders sentences in order, introducing each person by full name (and title) the
    first time, by surname after; records where every marked quote landed."""

    def __init__(self, cast: Cast, view: OutletView):
        self.cast = cast
        self.view = view
        self.parts: list[str] = []
        self.pos = 0
        self.mentioned: set[str] = set()
        self.spans: dict[str, list[tuple[int, int]]] = {}  # tag -> [(start, end)] (body offsets)

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def _mark(self, tag: str, start: int, end: int) -> None:
        self.spans.setdefault(tag, []).append((start, end))

    def name_parts(self, key: str) -> tuple[str, str]:
        p = self.cast.people[key]
        first = self.view.first.get(key, p.first)
        last = self.view.last.get(key, p.last)
        return first, last

    def person(self, key: str, form: str | None, at_start: bool, before_punct: bool) -> None:
        """A person as this outlet names them: full name (with title or role) the first
        time, surname after.  An appositive closes with a comma unless punctuation follows."""
        p = self.cast.people[key]
        first, last = self.name_parts(key)
        if key in self.mentioned and form != "full":
            start = self.pos
            self._emit(last)
            self._mark(f"surname:{key}", start, self.pos)
            return
        self.mentioned.add(key)
        full = f"{first} {last}"
        if key in self.view.extra_surname:
            full += f" {self.view.extra_surname[key]}"
        office = self.view.office.get(key, p.office)
        close = "" if before_punct else ","
        title_start = self.pos
        if office and key not in self.view.appositive:
            self._emit(f"{office} ")
            name_start = self.pos
            self._emit(full)
            self._mark(f"name:{key}", name_start, self.pos)
            self._mark(f"title:{key}", title_start, self.pos)
        elif office:
            name_start = self.pos
            self._emit(full)
            self._mark(f"name:{key}", name_start, self.pos)
            self._emit(f", the {office.lower()} {p.office_of}".rstrip())
            self._mark(f"title:{key}", name_start, self.pos)
            self._emit(close)
        elif p.role and p.role_prefix:
            role = p.role[0].upper() + p.role[1:] if at_start else p.role
            self._emit(f"{role} ")
            name_start = self.pos
            self._emit(full)
            self._mark(f"name:{key}", name_start, self.pos)
        else:
            name_start = self.pos
            self._emit(full)
            self._mark(f"name:{key}", name_start, self.pos)
            if p.role:
                self._emit(f", {p.role}{close}")

    def sentence(self, s: Sentence) -> None:
        start_len = self.pos
        open_marks: list[tuple[str, int]] = []
        i = 0
        t = s.template
        for m in _TOKEN.finditer(t):
            self._emit(t[i : m.start()])
            i = m.end()
            tok = m.group(0)
            if tok == "[[":
                open_marks.append((f"fact:{s.fact}", self.pos))
            elif tok == "]]":
                tag, at = open_marks.pop()
                self._mark(tag, at, self.pos)
            else:
                name, attr = m.group(1), m.group(2)
                if name in self.cast.people:
                    rest = t[m.end() :].lstrip("]")
                    self.person(name, attr, at_start=self.pos == start_len,
                                before_punct=rest[:1] in (".", ",", ";", ":", "!", "?", "'"))
                else:
                    value = s.values[name] if attr is None else s.values[f"{name}.{attr}"]
                    if self.pos == start_len:  # "About 680 people died", not "about 680 ..."
                        value = value[:1].upper() + value[1:]
                    self._emit(value)
        self._emit(t[i:])
        assert not open_marks, t

    def text(self) -> str:
        return "".join(self.parts)



# =========================================================================== topics

GENERIC_FILLER = [
    "Residents of {town} gathered outside the town hall on the evening of the announcement.",
    "Local shopkeepers said they had been following the news on the radio all afternoon.",
    "The mood in the centre of {town} was subdued, with few people on the streets after dark.",
    "Community groups said they would hold a public meeting later in the week to discuss the consequences.",
    "Several residents told reporters they had expected the news for some time but were still surprised.",
    "The story dominated conversation in cafes and bars across {region} throughout the day.",
    "Officials declined to answer further questions and said a fuller statement would follow.",
    "Opposition figures accused the authorities of having ignored warnings for years.",
    "Commentators in the regional press said the events would shape politics in {region} for a long time.",
    "Schools in {town} stayed open, although some parents kept their children at home.",
    "Church leaders in {town} offered prayers and called for calm and unity.",
    "Trade associations in {region} said they were studying the details before commenting.",
    "The regional broadcaster interrupted its evening programmes to carry the news live.",
    "Many of those interviewed said they felt the people of {town} had been let down before.",
    "Analysts cautioned that it was too early to draw firm conclusions about what happens next.",
    "Social media in {region} filled with messages of support and criticism in roughly equal measure.",
    "Local historians noted that {town} has weathered difficult periods in the past.",
    "A spokesperson for the regional government said ministers were following developments.",
    "Police said there had been no incidents and that the day had passed peacefully.",
    "The local newspaper printed a special edition with the story across its front page.",
    "Volunteers set up tables in the main square to hand out information to residents.",
    "Business owners in the old town said trade had been quiet all week.",
    "The regional assembly is expected to debate the matter when it reconvenes.",
    "Some residents said they would wait to see what practical changes followed before passing judgement.",
    "Older residents recalled how the town had changed since the port and the railway declined.",
]

TOPIC_FILLER = {
    "election": [
        "Campaign volunteers packed up posters and banners in the hours after the result.",
        "Both campaigns had focused on {issue}, which polls showed was the main concern of voters.",
        "Long queues formed outside several polling stations in the morning.",
        "Election observers said the vote had been orderly and that they had seen no serious irregularities.",
        "{W.last} spent the final week of the campaign knocking on doors in the outer districts.",
        "{R.last} had campaigned on a promise to restore trust in local institutions.",
        "The campaign was marked by sharp televised debates and accusations on both sides.",
        "Supporters of {W.last} celebrated late into the night at a hotel in the city centre.",
        "{R.last} thanked campaign staff and supporters in a brief speech.",
        "Analysts said the result reflected frustration with the outgoing administration.",
        "Youth groups had run registration drives for months before the vote.",
        "The election commission thanked poll workers for their long hours.",
    ],
    "closure": [
        "Workers leaving the afternoon shift said they had learned the news from their phones.",
        "Union representatives said they would seek urgent talks with management.",
        "Suppliers in {region} fear the closure will ripple through the local economy.",
        "The plant has been the largest private employer in {town} for decades.",
        "Management blamed high energy prices and falling orders from abroad.",
        "Some employees have worked at the site for their entire careers.",
        "The company said production would move to its other sites over the coming months.",
        "Local politicians called on the company to reconsider and to talk to potential buyers.",
        "Retraining programmes will be offered to affected staff, the company said.",
        "Economists said the closure was part of a wider decline of heavy industry in the region.",
        "A small group of workers staged a protest at the factory gates.",
        "The company said it would work with the authorities on the future of the site.",
    ],
    "disaster": [
        "Rescue teams worked through the night, searching collapsed buildings with sniffer dogs.",
        "Roads into the worst-hit districts were blocked by debris and landslides.",
        "Field hospitals were set up in school gyms and sports halls.",
        "Aftershocks rattled the area throughout the following day, frightening residents.",
        "Aid agencies appealed for blankets, clean water and tents.",
        "Electricity was cut in large parts of {region} and engineers worked to restore power.",
        "Neighbouring countries offered to send rescue specialists and equipment.",
        "Survivors described being woken by a deafening roar before walls began to crack.",
        "Many families spent the night outdoors, afraid to return to damaged homes.",
        "Engineers began inspecting bridges and dams for structural damage.",
        "Mobile phone networks were overloaded as people tried to reach relatives.",
        "Schools across {region} were closed until further notice.",
    ],
    "transfer": [
        "Supporters gathered outside the training ground in the hope of seeing the new signing.",
        "The deal had been in negotiation for several weeks, according to people close to the talks.",
        "The player is known for his work rate and his passing range in midfield.",
        "Fans of the selling club expressed disappointment on social media.",
        "Pundits said the signing strengthened a squad that had struggled with injuries.",
        "The club is expected to make further signings before the window closes.",
        "The player thanked the fans of his former club in a farewell message.",
        "The move ends months of speculation about the midfielder's future.",
        "Scouts from several clubs had watched the player throughout the season.",
        "The club said the player would wear a new shirt number next season.",
        "Season ticket holders welcomed the news, according to the supporters' trust.",
        "The signing was confirmed with a video on the club's social media channels.",
    ],
    "budget": [
        "Opposition members walked out of the chamber during the final debate.",
        "Public sector unions said the budget did not do enough for low-paid workers.",
        "Business groups welcomed plans to simplify the tax code.",
        "The budget debate lasted late into the night.",
        "Economists said the spending plans relied on optimistic growth assumptions.",
        "Teachers' unions said the increase for schools would not cover rising costs.",
        "The plan includes new money for roads, bridges and public transport.",
        "Critics said the budget favoured urban areas over the countryside.",
        "Local councils will receive their allocations in the coming weeks.",
        "Ratings agencies are expected to comment on the plan in the coming days.",
        "Pension groups said they would study the fine print before responding.",
        "The finance committee held hearings for three weeks before the vote.",
    ],
}

# clauses that lengthen a filler sentence (no figures, no margin words, no offices)
TAILS = [
    ", according to people who spoke to reporters on condition of anonymity",
    ", as officials in {region} scrambled to respond to the news",
    ", several people in {town} told this newspaper on the day",
    ", in scenes that were broadcast across the region",
    ", although few were willing to be quoted by name",
    ", a pattern familiar to anyone who has followed local affairs in recent years",
    ", while others said they would reserve judgement until more was known",
    ", in a town where most families know each other",
    ", and the subject is likely to come up again in the months ahead",
    ", with some comparing the mood to earlier turning points in the town's history",
]

ISSUES = ["housing costs", "public transport", "crime", "water shortages", "the cost of living",
          "unemployment", "hospital waiting lists", "corruption"]
PROFESSIONS = ["school principal", "doctor", "lawyer", "businessman", "engineer", "journalist", "professor"]


@dataclass
class Fact:
    """One fact of the story, with the ways to word it.  ``templates`` are
    ``(id, form, text)``; ``{v}`` is the figure as the outlet states it."""

    key: str
    templates: list[tuple[str, str, str]]
    figure: Figure | None = None
    kind: str = "text"  # text | figure | date | age | standing
    core: bool = False  # every outlet states it


class StoryBuilder:
    """One story: its fact sheet, its outlets, its planted items and the rendered files."""

    def __init__(self, index: int, seed: int, n_outlets: int, names: Names):
        self.index = index
        self.rng = random.Random(f"claimcheck-bench-{seed}-{index}")
        self.names = names
        self.n_outlets = n_outlets
        self.cast = Cast(names, self.rng)
        self.values: dict[str, str] = {}
        self.facts: list[Fact] = []
        self.filler: list[str] = []
        self.hard: list[dict] = []
        self.consistent: list[dict] = []
        self.slug = f"s{index + 1:04d}"

    # -- shared helpers -------------------------------------------------------------

    def fact(self, key: str, templates: list[tuple[str, str, str]], **kw) -> Fact:
        f = Fact(key, templates, **kw)
        self.facts.append(f)
        return f

    def date_values(self, base: dt.date) -> None:
        self.date = base

    # -- topics ---------------------------------------------------------------------

    def build(self) -> None:
        r = self.rng
        self.topic = r.choice(["election", "closure", "disaster", "transfer", "budget"])
        self.values["town"] = self.names.place()
        self.values["region"] = self.names.region()
        start = dt.date(2026, 1, 20)
        self.date = start + dt.timedelta(days=r.randrange(0, 290))
        getattr(self, f"_build_{self.topic}")()
        self.filler = GENERIC_FILLER + TOPIC_FILLER[self.topic]

    def _side_people(self, role_a: str, role_b: str) -> None:
        """Two people for look-alikes: H1 with an accented name, H2 who may gain a
        second surname in one outlet."""
        r = self.rng
        accent = "nd" if r.random() < 0.15 else r.choice(["first", "last"])
        self.cast.add("H1", accent=accent, role=role_a, role_prefix=False)
        self.cast.add("H2", role=role_b, role_prefix=False)

    def _build_election(self) -> None:
        r = self.rng
        v = self.values
        level = r.choice(["mayor", "governor"])
        place = v["town"] if level == "mayor" else v["region"]
        v["office"] = f"{level} of {place}"
        v["issue"] = r.choice(ISSUES)
        v["profession"] = r.choice(PROFESSIONS)
        v["a_profession"] = ("an " if v["profession"][0] in "aeiou" else "a ") + v["profession"]
        v["level"] = "city" if level == "mayor" else "region"
        self.cast.add("W", age=r.randint(38, 66))
        self.cast.add("R")
        self.cast.add("T")
        endorser_office = "Governor" if level == "mayor" else r.choice(["Senator", "President"])
        self.cast.add("E", office=endorser_office, office_of=f"of {v['region']}" if endorser_office == "Governor" else "")
        self._side_people(f"a political scientist at the University of {v['town']}", "who ran the winning campaign")
        w = round(r.uniform(51.5, 58.9), 1)
        v["w_share"] = w
        self.narrow_plant = r.random() < 0.55
        close_first_round = not self.narrow_plant and r.random() < 0.5
        a = round(r.uniform(27, 34), 1)
        gap = round(r.uniform(0.4, 1.4), 1) if close_first_round else round(r.uniform(5.5, 9.5), 1)
        b = round(a - gap, 1)
        c = round(r.uniform(12, min(20, b - 3)), 1)
        self.first_round = (Figure(a, "share", 1), Figure(b, "share", 1))
        self.close_first_round = close_first_round
        runoff = r.choice(["run-off", "runoff"])
        v["runoff"] = runoff

        self.fact("lead", [
            ("lead1", "plain", "{W} has been elected {office}, beating {R} after a bitter campaign over {issue}."),
            ("lead2", "plain", "Voters have chosen {W} over {R} as the next {office}, ending a bitter campaign over {issue}."),
            ("lead3", "plain", "{W} won the race for {office} on Sunday, defeating {R} in the {runoff}."),
        ], core=True)
        self.fact("w_share", [
            ("w1", "plain", "{W.last} [[received {v} of the vote]] in the {runoff}, according to the election office."),
            ("w2", "plain", "{W.last} [[won {v} of the vote]] in Sunday's {runoff}."),
            ("w3", "plain", "In the {runoff}, {W.last} [[took {v} of the vote]], the election office said."),
            ("w4", "plain", "Official results show {W.last} [[secured {v} of the vote]] in the {runoff}."),
            ("w5", "hard", "[[With {v} of the vote]] in the {runoff}, {W.last} finished well ahead of {R.last}."),
            ("w6", "hard", "{W.last} [[won {v} of the vote]] in the second round."),
        ], figure=Figure(w, "share", 1), kind="figure", core=True)
        self.fact("r_share", [
            ("r1", "plain", "{R.last} [[received {v} of the vote]] in the {runoff} and conceded shortly before midnight."),
            ("r2", "plain", "The runner-up, {R}, [[took {v} of the vote]] in the {runoff}."),
            ("r3", "plain", "{R.last}, a two-term city councillor, [[won {v} of the vote]] in the {runoff}."),
            ("r4", "hard", "The {runoff} left {R.last} [[with {v} of the vote]]."),
        ], figure=Figure(round(100 - w, 1), "share", 1), kind="figure")
        self.fact("first_round", [
            ("f1", "plain", "In the first round, [[{W.last} took {a} of the vote and {R.last} {b}]]."),
            ("f2", "plain", "[[{W.last} led the first round with {a} of the vote, ahead of {R.last} on {b}]]."),
            ("f3", "plain", "The first round ended with [[{W.last} on {a} of the vote and {R.last} on {b}]]."),
        ], kind="standing")
        self.fact("first_round_words", [
            ("n0", "plain", "{W.last} led the first round, ahead of {R.last}, before the two met again in the {runoff}."),
        ], kind="text")
        self.fact("third", [
            ("t1", "plain", "{T} was eliminated after the first round."),
            ("t2", "plain", "{T}, who finished third in the first round, endorsed {W.last} for the {runoff}."),
        ])
        self.fact("age", [
            ("a1", "plain", "{W.last}, [[{age}, is a former {profession}]] who has never held elected office."),
            ("a2", "plain", "[[The {age}-year-old former {profession}]] has never held elected office."),
            ("a3", "plain", "{W.last}, [[who is {age}, worked as {a_profession}]] before entering politics."),
        ], kind="age")
        self.fact("sworn", [
            ("d1", "plain", "{W.last} [[will be sworn in on {d}]]."),
            ("d2", "plain", "{W.last} is set to [[take office on {d}]]."),
            ("d3", "plain", "The new {level_word} [[will be inaugurated on {d}]]."),
        ], kind="date")
        v["level_word"] = level
        self.event_date = self.date + dt.timedelta(days=r.randrange(25, 70))
        self.fact("pledge", [
            ("p1", "plain", "{W.last} has promised to build {homes} affordable homes and to freeze local taxes for two years."),
            ("p2", "plain", "{W.last} has pledged to build thousands of affordable homes and to freeze local taxes."),
        ])
        v["homes"] = f"{r.randrange(20, 60) * 100:,}"
        self.fact("endorse", [
            ("e1", "plain", "{E} congratulated {W.last} and said the {level} would support the new administration."),
            ("e2", "plain", "{E} called the result historic and promised to work with {W.last}."),
            ("e3", "plain", "Among the first to congratulate {W.last} was {E}, who praised a clean campaign."),
        ], core=True)
        self.fact("h1", [
            ("h1a", "plain", "{H1} said the result reflected deep anger over {issue}."),
            ("h1b", "plain", "According to {H1}, turnout among young voters was unusually high."),
        ], core=True)
        self.fact("h2", [
            ("h2a", "plain", "{H2} said the team had knocked on doors in every district of {town}."),
            ("h2b", "plain", "\"We never stopped listening,\" said {H2}."),
        ], core=True)
        self.fact("quote", [
            ("q1", "plain", "\"Tonight {town} chose hope over fear,\" {W.last} told cheering supporters."),
            ("q2", "plain", "\"This victory belongs to every family that struggles to pay the rent,\" {W.last} said."),
        ])
        self.values["v_level"] = "city" if level == "mayor" else "region"

    def _build_closure(self) -> None:
        r = self.rng
        v = self.values
        base = self.names.syllable_name(["ix", "on", "ex", "ara", "or", "ia", "um"])
        end = r.choice(COMPANY_ENDS)
        v["co"] = f"{base} {end}"
        v["cos"] = base
        v["product"] = PRODUCTS[end]
        v["weekday"] = WEEKDAYS[self.date.weekday()]
        self.cast.add("C", role="chief executive", age=r.randint(45, 64))
        self.cast.add("M", office="Mayor", office_of=f"of {v['town']}")
        self.cast.add("U", role=f"who leads the plant's largest union", role_prefix=False)
        self._side_people("an economist who studies the region's industry", "a spokesperson for the company")
        jobs = r.randrange(600, 2400)
        if r.random() < 0.5:
            jobs = round(jobs, -1)
        drop = round(r.uniform(3.2, 14.8), 1)
        fund = r.randrange(20, 95)
        staff = r.randrange(2200, 9800)
        v["opened"] = str(r.randrange(1962, 2004))
        self.fact("lead", [
            ("lead1", "plain", "{co} will close its {product} plant in {town}, the company said on {weekday}."),
            ("lead2", "plain", "{co} is shutting its {town} {product} factory, ending decades of production in the town."),
            ("lead3", "plain", "{co} announced on {weekday} that its {product} plant in {town} will close."),
        ], core=True)
        self.fact("jobs", [
            ("j1", "plain", "{co} [[will cut {v} jobs]] when the plant closes."),
            ("j2", "hard", "The company [[is cutting {v} jobs]] at the site, {cos} said."),
            ("j3", "hard", "{cos} said it [[would cut {v} jobs]] in {town}."),
            ("j4", "plain", "{co} is [[cutting {v} jobs]] as part of the closure."),
            ("j5", "hard", "[[{v} jobs will be lost]] when {co} closes the plant."),
            ("j6", "hard", "{co} [[will lay off {v} workers]] when the plant closes."),
        ], figure=Figure(jobs, "count"), kind="figure", core=True)
        self.fact("shares", [
            ("s1", "plain", "{cos} shares [[fell {v}]] after the announcement."),
            ("s2", "plain", "{cos} shares [[dropped {v}]] in early trading."),
            ("s3", "plain", "Shares in {cos} [[lost {v}]] of their value on the news."),
        ], figure=Figure(drop, "share", 1), kind="figure")
        self.fact("staff", [
            ("st1", "plain", "{co} [[employs {v} people]] at its other sites."),
            ("st2", "plain", "{cos} will keep [[{v} employees]] at its other plants."),
        ], figure=Figure(staff, "count"), kind="figure")
        self.fact("fund", [
            ("fu1", "plain", "{cos} [[set aside {v}]] for severance payments and retraining."),
            ("fu2", "plain", "The company [[has put aside {v}]] for redundancy payments, {cos} said."),
        ], figure=Figure(fund * 1e6, "money", 0, 1e6, r.choice(["$", "€", "£"])), kind="figure")
        self.fact("ceo", [
            ("c1", "plain", "{C} said the decision was painful but necessary."),
            ("c2", "plain", "{C} said the plant had lost money for several years."),
            ("c3", "plain", "\"This is the hardest decision I have had to make,\" said {C}."),
        ], core=True)
        self.fact("age", [
            ("a1", "plain", "{C.last}, [[{age}, has led the company]] since the pandemic."),
            ("a2", "plain", "[[The {age}-year-old chief executive]] has led the company since the pandemic."),
        ], kind="age")
        self.fact("closedate", [
            ("d1", "plain", "Production [[will end on {d}]], the company said."),
            ("d2", "plain", "The plant [[will close on {d}]]."),
            ("d3", "plain", "The last shift [[is scheduled for {d}]]."),
        ], kind="date")
        self.event_date = self.date + dt.timedelta(days=r.randrange(20, 80))
        self.fact("opened", [
            ("o1", "plain", "The plant opened in {opened} and once employed many more people."),
            ("o2", "plain", "The factory has operated in {town} since {opened}."),
        ])
        self.fact("mayor", [
            ("m1", "plain", "{M} called the closure a blow to the town."),
            ("m2", "plain", "{M} said the town would fight for every worker."),
            ("m3", "plain", "{M} said {town} would ask the region for emergency help."),
        ], core=True)
        self.fact("union", [
            ("u1", "plain", "{U} said members felt betrayed."),
            ("u2", "plain", "{U} said workers would demand guarantees on pensions."),
        ])
        self.fact("h1", [
            ("h1a", "plain", "{H1} said the closure would hit suppliers across {region}."),
            ("h1b", "plain", "According to {H1}, the town depends heavily on the plant."),
        ], core=True)
        self.fact("h2", [
            ("h2a", "plain", "{H2} said the company regretted the impact on the town."),
            ("h2b", "plain", "\"We will treat every employee fairly,\" said {H2}."),
        ], core=True)

    def _build_disaster(self) -> None:
        r = self.rng
        v = self.values
        v["quake"] = r.choice(["earthquake", "quake"])
        mag = round(r.uniform(5.8, 7.9), 1)
        v["mag"] = f"{mag}"
        self.cast.add("G", office="Governor", office_of=f"of {v['region']}")
        self.cast.add("M", office="Mayor", office_of=f"of {v['town']}")
        self.cast.add("S", role="a seismologist at the national observatory", role_prefix=False)
        self._side_people("a rescue coordinator with the Red Cross", "a doctor at the regional hospital")
        deaths = r.randrange(40, 900)
        injured = r.randrange(400, 4800)
        displaced = r.randrange(8000, 60000)
        damage = round(r.uniform(0.4, 4.8), 1)
        self.event_date = self.date - dt.timedelta(days=r.randrange(0, 2))
        self.fact("lead", [
            ("lead1", "plain", "A magnitude {mag} {quake} struck {region} on {d0}, flattening buildings in {town} and nearby villages."),
            ("lead2", "plain", "A powerful {quake} of magnitude {mag} hit {region}, causing widespread damage in {town}."),
            ("lead3", "plain", "Rescuers in {region} searched for survivors after a magnitude {mag} {quake} struck the area."),
        ], core=True)
        self.fact("deaths", [
            ("k1", "plain", "In {region}, the {quake} [[killed {v} people]], officials said."),
            ("k2", "plain", "Authorities in {region} said [[{v} people had died]]."),
            ("k3", "plain", "The death toll in {region} [[rose to {v}]] on the second day, officials said."),
            ("k4", "plain", "Officials in {region} said [[{v} people were killed]] in the {quake}."),
            ("k5", "hard", "[[{v} people died]] in the {quake}, officials in {region} said."),
            ("k6", "hard", "{G.last} said [[{v} people had been killed]]."),
        ], figure=Figure(deaths, "count"), kind="figure", core=True)
        self.fact("injured", [
            ("i1", "plain", "In {region}, [[{v} people were injured]], the health ministry said."),
            ("i2", "plain", "The {quake} [[injured {v} people]] in {region}, according to the health ministry."),
        ], figure=Figure(injured, "count"), kind="figure")
        self.fact("displaced", [
            ("x1", "plain", "In {region}, [[{v} people were left homeless]]."),
            ("x2", "plain", "The authorities in {region} said [[{v} people had been displaced]]."),
        ], figure=Figure(displaced, "count"), kind="figure")
        self.fact("damage", [
            ("g1", "plain", "{G.last} said the damage in {region} [[could reach {v}]]."),
            ("g2", "plain", "The government of {region} [[estimated damage at {v}]]."),
        ], figure=Figure(damage * 1e9, "money", 1, 1e9), kind="figure")
        self.fact("struck", [
            ("d1", "plain", "The {quake} [[struck on {d}]] shortly after dawn."),
            ("d2", "plain", "The {quake} [[hit on {d}]], when most people were still asleep."),
        ], kind="date")
        self.fact("governor", [
            ("gv1", "plain", "{G} declared a state of emergency across {region}."),
            ("gv2", "plain", "{G} said the region would need months to recover."),
            ("gv3", "plain", "{G} visited the worst-hit districts and promised help to rebuild."),
        ], core=True)
        self.fact("mayor", [
            ("m1", "plain", "{M} said entire streets had been reduced to rubble."),
            ("m2", "plain", "{M} appealed for volunteers to help clear debris."),
        ])
        self.fact("seismo", [
            ("sm1", "plain", "{S} said more aftershocks were likely in the coming days."),
            ("sm2", "plain", "According to {S}, the fault had been quiet for decades."),
        ])
        self.fact("h1", [
            ("h1a", "plain", "{H1} said teams were still reaching remote villages."),
            ("h1b", "plain", "According to {H1}, the priority was shelter before nightfall."),
        ], core=True)
        self.fact("h2", [
            ("h2a", "plain", "{H2} said the hospital was treating patients in the car park."),
            ("h2b", "plain", "\"We have not slept since the first tremor,\" said {H2}."),
        ], core=True)
        self.fact("age", [("a0", "plain", "")], kind="skip")

    def _build_transfer(self) -> None:
        r = self.rng
        v = self.values
        buyer_town, seller_town = self.names.place(), self.names.place()
        forms = r.sample(CLUB_FORMS, 2)
        v["buyer"] = forms[0].format(t=buyer_town)
        v["seller"] = forms[1].format(t=seller_town)
        v["weekday"] = WEEKDAYS[self.date.weekday()]
        v["position"] = r.choice(["midfielder", "striker", "defender", "winger"])
        self.cast.add("P", age=r.randint(19, 29))
        self.cast.add("Mg", role="manager")
        self.cast.add("CP", role=f"the president of {v['seller']}", role_prefix=False)
        self.cast.add("M", office="Mayor", office_of=f"of {buyer_town}")
        self._side_people("the player's agent", "a former captain of the club")
        fee = round(r.uniform(12, 95), 1)
        v["years"] = NUMBER_WORDS[r.randint(3, 6)]
        v["goals"] = str(r.randint(4, 25))
        self.fact("lead", [
            ("lead1", "plain", "{buyer} have signed {position} {P} from {seller}, the club said on {weekday}."),
            ("lead2", "plain", "{P} has completed a move from {seller} to {buyer}."),
            ("lead3", "plain", "{buyer} confirmed on {weekday} the signing of {P} from {seller}."),
        ], core=True)
        self.fact("fee", [
            ("fe1", "plain", "{buyer} [[have agreed a fee of {v}]] with {seller} for {P.last}."),
            ("fe2", "plain", "{buyer} [[will pay {v}]] for {P.last}, the club said."),
            ("fe3", "plain", "{buyer} [[paid {v}]] to sign the {position}."),
            ("fe4", "hard", "The fee for {P.last} [[was {v}]], according to {buyer}."),
            ("fe5", "hard", "[[The {v} deal]] makes {P.last} the most expensive signing in {buyer}'s history."),
        ], figure=Figure(fee * 1e6, "money", 1, 1e6, r.choice(["£", "€"])), kind="figure", core=True)
        self.fact("contract", [
            ("ct1", "plain", "{P.last} signed a {years}-year contract."),
            ("ct2", "plain", "The {position} has agreed a {years}-year deal with the club."),
        ])
        self.fact("goals", [
            ("go1", "plain", "{P.last} scored {goals} goals for {seller} last season."),
        ])
        self.fact("age", [
            ("a1", "plain", "{P.last}, [[{age}, came through the youth academy]] at {seller}."),
            ("a2", "plain", "[[The {age}-year-old came through the youth academy]] at {seller}."),
            ("a3", "plain", "{P.last}, [[aged {age}, came through the youth academy]] at {seller}."),
        ], kind="age")
        self.fact("medical", [
            ("d1", "plain", "{P.last} [[passed a medical on {d}]]."),
            ("d2", "plain", "The player [[completed his medical on {d}]]."),
        ], kind="date")
        self.event_date = self.date - dt.timedelta(days=r.randrange(1, 4))
        self.fact("manager", [
            ("mg1", "plain", "{Mg} said the player would add energy to the squad."),
            ("mg2", "plain", "{Mg} said he had followed the player for two seasons."),
        ], core=True)
        self.fact("president", [
            ("cp1", "plain", "{CP} said the club had received several offers for the player."),
            ("cp2", "plain", "{CP} thanked the player for his years at the club."),
        ])
        self.fact("mayor", [
            ("m1", "plain", "{M} welcomed the player at a reception at the town hall."),
            ("m2", "plain", "{M} said the signing was good news for the town."),
        ], core=True)
        self.fact("h1", [
            ("h1a", "plain", "{H1} said the player had always dreamed of the move."),
            ("h1b", "plain", "According to {H1}, talks lasted several weeks."),
        ], core=True)
        self.fact("h2", [
            ("h2a", "plain", "{H2} said the club had found the player it needed."),
            ("h2b", "plain", "\"He will be a leader in this dressing room,\" said {H2}."),
        ], core=True)

    def _build_budget(self) -> None:
        r = self.rng
        v = self.values
        self.cast.add("F", office="Finance Minister", office_of=f"of {v['region']}")
        self.cast.add("Gv", office="Governor", office_of=f"of {v['region']}")
        self.cast.add("O", role="the leader of the opposition", role_prefix=False)
        self._side_people("an economist at the University of " + v["town"], "who chairs the teachers' union")
        total = round(r.uniform(4.2, 38.9), 1)
        edu = round(r.uniform(14.2, 31.8), 1)
        deficit = round(r.uniform(0.3, 2.9), 1)
        yes = r.randint(30, 60)
        v["yes"], v["no"] = str(yes), str(r.randint(10, yes - 8))
        v["year"] = str(self.date.year + 1)
        self.fact("lead", [
            ("lead1", "plain", "Lawmakers in {region} have approved the {year} budget after weeks of debate."),
            ("lead2", "plain", "The {region} assembly passed the {year} budget, a plan that raises spending on schools."),
            ("lead3", "plain", "{region} has a new budget for {year} after the assembly approved the spending plan."),
        ], core=True)
        self.fact("total", [
            ("b1", "plain", "{F} [[presented a budget of {v}]] for {year}."),
            ("b2", "plain", "{F.last} said the budget [[would total {v}]]."),
            ("b3", "plain", "{F} [[unveiled a {v} spending plan]] for {year}."),
            ("b4", "hard", "The {region} budget [[totals {v}]], the finance ministry said."),
        ], figure=Figure(total * 1e9, "money", 1, 1e9), kind="figure", core=True)
        self.fact("education", [
            ("ed1", "plain", "{F.last} said education [[would receive {v} of the budget]]."),
            ("ed2", "plain", "Schools [[will get {v} of all spending]], {F.last} said."),
        ], figure=Figure(edu, "share", 1), kind="figure")
        self.fact("deficit", [
            ("df1", "plain", "{F.last} [[expects a deficit of {v}]] next year."),
            ("df2", "plain", "{F.last} said the deficit [[would be {v}]]."),
        ], figure=Figure(deficit * 1e9, "money", 1, 1e9), kind="figure")
        self.fact("vote", [
            ("vt1", "plain", "The assembly approved the plan by {yes} votes to {no}."),
            ("vt2", "plain", "The budget passed by {yes} votes to {no}."),
        ])
        self.fact("voted", [
            ("d1", "plain", "The final vote [[took place on {d}]]."),
            ("d2", "plain", "The assembly [[voted on {d}]] after a long debate."),
        ], kind="date")
        self.event_date = self.date - dt.timedelta(days=r.randrange(0, 3))
        self.fact("governor", [
            ("gv1", "plain", "{Gv} said the budget protected the most vulnerable."),
            ("gv2", "plain", "{Gv} is expected to sign the budget into law within days."),
        ], core=True)
        self.fact("finance", [
            ("fm1", "plain", "{F} said the plan balanced discipline with investment."),
            ("fm2", "plain", "\"This is a budget for families,\" said {F}."),
        ], core=True)
        self.fact("opp", [
            ("op1", "plain", "{O} said the plan would push up taxes for the middle class."),
            ("op2", "plain", "{O} called the budget a missed opportunity."),
        ])
        self.fact("h1", [
            ("h1a", "plain", "{H1} said the growth forecasts looked optimistic."),
            ("h1b", "plain", "According to {H1}, the plan leaves little room for surprises."),
        ], core=True)
        self.fact("h2", [
            ("h2a", "plain", "{H2} said the increase for schools was welcome but overdue."),
            ("h2b", "plain", "\"Teachers have waited too long,\" said {H2}."),
        ], core=True)
        self.fact("age", [("a0", "plain", "")], kind="skip")

    # -- planting -------------------------------------------------------------------

    def plan(self) -> None:
        """Decide which outlet says what, and the planted items."""
        r = self.rng
        n = self.n_outlets
        sources = r.sample(OUTLETS, n)
        self.views = [OutletView(s) for s in sources]
        self.files = [f"{self.slug}-{re.sub(r'[^a-z]+', '-', s.lower()).strip('-')}.txt" for s in sources]
        self.dates = [self.date + dt.timedelta(days=r.choice([0, 0, 0, 1])) for _ in range(n)]
        # which facts each outlet states
        self.states: list[set[str]] = []
        for _ in range(n):
            self.states.append({f.key for f in self.facts if f.core or r.random() < 0.75})
        for f in self.facts:  # every optional fact is stated by at least two outlets
            having = [i for i in range(n) if f.key in self.states[i]]
            while len(having) < 2:
                i = r.randrange(n)
                self.states[i].add(f.key)
                having = [i for i in range(n) if f.key in self.states[i]]
        self.plants: list[str] = []
        people_with_office = [k for k, p in self.cast.people.items() if p.office]
        named_main = [k for k in self.cast.people if k not in ("H1", "H2")]

        # figures -----------------------------------------------------------------
        self.stated: dict[str, list[Stated | None]] = {}
        figure_facts = [f for f in self.facts if f.kind == "figure"]
        numeric_plant = figure_facts[0].key if r.random() < 0.8 else None
        for f in figure_facts:
            stated: list[Stated | None] = [None] * n
            outlets = [i for i in range(n) if f.key in self.states[i]]
            if f.key == numeric_plant:
                odd = r.choice(outlets)
                for i in outlets:
                    if i != odd:
                        stated[i] = self._state(f.figure, [EXACT, EXACT, "about", "nearly", "just_over"])
                stated[odd] = self._conflicting(f.figure, [stated[i] for i in outlets if i != odd])
                if stated[odd] is None:  # no clean conflict possible: plant nothing
                    stated[odd] = self._state(f.figure, [EXACT])
                else:
                    self.plants.append(f"numeric:{f.key}:{odd}")
            else:
                for i in outlets:
                    stated[i] = self._state(f.figure, [EXACT, EXACT, "about", "nearly", "just_over", "over"])
            self.stated[f.key] = stated

        # people ------------------------------------------------------------------
        if people_with_office and r.random() < 0.6:
            key = r.choice(people_with_office)
            outlets = self._outlets_naming(key)
            if len(outlets) >= 2:
                odd = r.choice(outlets)
                current = self.cast.people[key].office
                swap = {"Governor": ["Senator", "Mayor"], "Senator": ["Governor"], "Mayor": ["Governor", "Senator"],
                        "President": ["Senator", "Governor"], "Finance Minister": ["Governor", "Senator"]}[current]
                self.views[odd].office[key] = r.choice(swap)
                self.plants.append(f"office:{key}:{odd}")
        if r.random() < 0.6:
            swapped = {p.split(":")[1] for p in self.plants if p.startswith("office:")}
            key = r.choice([k for k in named_main if self._outlets_naming(k) and k not in swapped])
            outlets = self._outlets_naming(key)
            if len(outlets) >= 2:
                odd = r.choice(outlets)
                p = self.cast.people[key]
                which = "first" if len(p.first) >= 5 and r.random() < 0.4 else "last"
                if which == "first":
                    self.views[odd].first[key] = misspell(p.first, r)
                else:
                    self.views[odd].last[key] = misspell(p.last, r)
                self.plants.append(f"spelling:{key}:{odd}")
        for view in self.views:
            for key, p in self.cast.people.items():
                if p.office and r.random() < 0.3:
                    view.appositive.add(key)
        # look-alikes: accents, second surname
        h1 = self.cast.people["H1"]
        h1_outlets = self._outlets_naming("H1")
        plain = r.sample(h1_outlets, max(1, len(h1_outlets) // 2))
        for i in plain:
            if h1.first_plain:
                self.views[i].first["H1"] = h1.first_plain
            if h1.last_plain:
                self.views[i].last["H1"] = h1.last_plain
        h2_outlets = self._outlets_naming("H2")
        self.surname_plant = None
        if r.random() < 0.6 and len(h2_outlets) >= 2:
            odd = r.choice(h2_outlets)
            self.views[odd].extra_surname["H2"] = r.choice(SECOND_SURNAMES)
            self.surname_plant = odd

        # narrow ------------------------------------------------------------------
        self.narrow_outlets: list[int] = []
        if self.topic == "election":
            fr = [i for i in range(n) if "first_round" in self.states[i]]
            if self.narrow_plant or self.close_first_round:
                words = [i for i in range(n) if "first_round_words" in self.states[i] and i not in fr]
                if not words:
                    i = ([i for i in range(n) if i not in fr] or fr[-1:])[0]
                    self.states[i].discard("first_round")
                    self.states[i].add("first_round_words")
                    words = [i]
                    fr = [x for x in fr if x != i]
                if not fr:
                    j = next(i for i in range(n) if i not in words)
                    self.states[j].add("first_round")
                    fr = [j]
                self.narrow_outlets = [w for w in words if r.random() < 0.7] or words[:1]
                if self.narrow_plant:
                    self.plants.append("narrow:first_round:" + ",".join(map(str, self.narrow_outlets)))
            self.first_round_outlets = [i for i in range(n) if "first_round" in self.states[i]]
            self.states_fr = {i: (self._state(self.first_round[0], [EXACT, EXACT, "about", "nearly"]),
                                  self._state(self.first_round[1], [EXACT, EXACT, "about", "just_over"]))
                              for i in self.first_round_outlets}

    def _state(self, fig: Figure, hedges: list[str]) -> Stated:
        for _ in range(20):
            s = fig.state(self.rng.choice(hedges), self.rng)
            if s is not None:
                return s
        return fig.state(EXACT, self.rng)

    def _conflicting(self, fig: Figure, others: list[Stated | None]) -> Stated | None:
        """A wording of another value, outside every other outlet's interval."""
        r = self.rng
        for _ in range(50):
            if fig.kind == "share":
                other = fig.value + r.choice([-1, 1]) * r.uniform(5.5, 9.5)
                if not 5 < other < 95:
                    continue
            else:
                other = fig.value * r.choice([r.uniform(1.35, 1.7), r.uniform(0.5, 0.72)])
            alt = Figure(other, fig.kind, fig.decimals, fig.scale, fig.currency)
            s = alt.state(r.choice(["about", EXACT, EXACT]), r)
            if s and all(o is None or not overlaps(s, o) for o in others):
                return s
        return None

    def _outlets_naming(self, key: str) -> list[int]:
        facts_naming = {f.key for f in self.facts if any(f"{{{key}" in t for _, _, t in f.templates)}
        return [i for i in range(self.n_outlets) if self.states[i] & facts_naming]

    # -- writing --------------------------------------------------------------------

    def _date_text(self, d: dt.date, with_year: bool) -> str:
        return f"{MONTHS[d.month - 1]} {d.day}" + (f", {d.year}" if with_year else "")

    def write(self) -> tuple[dict[str, str], dict]:
        r = self.rng
        n = self.n_outlets
        texts: dict[str, str] = {}
        marks: list[dict[str, list[tuple[int, int]]]] = []
        used: list[dict[str, str]] = []  # per outlet: fact -> template id
        date_with_year = [r.random() < 0.5 for _ in range(n)]
        if n >= 2 and len(set(date_with_year)) == 1:
            date_with_year[r.randrange(n)] = not date_with_year[0]
        for i in range(n):
            view = self.views[i]
            writer = ArticleWriter(self.cast, view)
            sentences: list[Sentence] = []
            chosen: dict[str, str] = {}
            for f in self.facts:
                if f.key not in self.states[i] or f.kind == "skip":
                    continue
                tid, form, template = self._pick(f, i)
                chosen[f.key] = f"{tid}:{form}"
                values = dict(self.values)
                for key, p in self.cast.people.items():
                    if p.age:
                        values["age"] = str(p.age)
                if f.kind == "figure":
                    st = self.stated[f.key][i]
                    values["v"] = st.text
                elif f.kind == "standing":
                    a, b = self.states_fr[i]
                    values["a"], values["b"] = a.text, b.text
                elif f.kind == "date":
                    values["d"] = self._date_text(self.event_date, date_with_year[i])
                if "d0" in template:
                    values["d0"] = WEEKDAYS[self.event_date.weekday()]
                sentences.append(Sentence(template, values, f.key, form, tid))
            lead = sentences[0]
            body = sentences[1:]
            k = r.randint(18, 22)
            filler = []
            for t in r.sample(self.filler, k):
                if t.endswith(".") and not t.endswith('."') and r.random() < 0.8:
                    t = t[:-1] + r.choice(TAILS) + "."
                filler.append(Sentence(t, self.values, None, "filler"))
            body = body + filler
            r.shuffle(body)
            ordered = [lead] + body
            header = []
            if r.random() < 0.5:
                header.append(f"Title: {self._title()}")
            header += [f"Source: {view.source}", f"Date: {self.dates[i].isoformat()}", "", ""]
            head = "\n".join(header)
            para_breaks = set()
            j = 1
            while j < len(ordered):
                j += r.randint(1, 3)
                para_breaks.add(j)
            for j, s in enumerate(ordered):
                if j:
                    writer._emit("\n" if j in para_breaks else " ")
                writer.sentence(s)
            writer._emit("\n")
            body_text = writer.text()
            texts[self.files[i]] = head + body_text
            marks.append({t: [(a + len(head), b + len(head)) for a, b in sp] for t, sp in writer.spans.items()})
            used.append(chosen)
        gold, plants = self._gold(texts, marks, used)
        return texts, {"gold": gold, "plants": plants}

    def _pick(self, f: Fact, i: int) -> tuple[str, str, str]:
        r = self.rng
        if f.key == "first_round_words":
            if i in self.narrow_outlets:
                return r.choice([
                    ("n1", "plain", "{W.last} [[narrowly won the first round]], ahead of {R.last}."),
                    ("n2", "plain", "In the first round, {W.last} [[narrowly beat {R.last}]]."),
                    ("n3", "plain", "{W.last} [[narrowly led the first round]], followed by {R.last}."),
                    ("n4", "hard", "{W.last} [[edged out {R.last} in the first round]]."),
                ])
            return f.templates[0]
        plain = [t for t in f.templates if t[1] == "plain"]
        hard = [t for t in f.templates if t[1] != "plain"]
        pool = hard if hard and r.random() < 0.25 else plain
        return r.choice(pool)

    def _title(self) -> str:
        v, people = self.values, self.cast.people
        if self.topic == "election":
            return f"{people['W'].last} wins race for {v['office']}"
        if self.topic == "closure":
            return f"{v['co']} to close {v['town']} plant"
        if self.topic == "disaster":
            return f"Deadly {v['quake']} hits {v['region']}"
        if self.topic == "transfer":
            return f"{people['P'].last} joins {v['buyer']}"
        return f"{v['region']} approves {v['year']} budget"

    # -- gold -----------------------------------------------------------------------

    def _gold(self, texts: dict[str, str], marks: list[dict], used: list[dict]) -> tuple[dict, list[dict]]:
        files = self.files
        n = self.n_outlets

        def quote(i: int, tag: str) -> dict | None:
            spans = marks[i].get(tag)
            if not spans:
                return None
            a, b = spans[0]
            return {"file": files[i], "quote": texts[files[i]][a:b]}

        hard: list[dict] = []
        consistent: list[dict] = []
        plants: list[dict] = []

        def add(section: list, kind: str, item_id: str, why: str, spans: list, gold_kind: str | None, **info):
            if gold_kind and spans[0] is None:  # the planted side must be quotable
                raise AssertionError(f"{self.slug} {item_id}: no quote in the planted outlet")
            spans = [s for s in spans if s]
            if len({s["file"] for s in spans}) < 2:
                return
            item = {"id": item_id}
            if gold_kind:
                item.update(level="hard", kind=gold_kind)
            item["why"] = why
            item["spans"] = spans
            section.append(item)
            plants.append({"id": item_id, "kind": kind, "level": "hard" if gold_kind else "consistent", **info})

        planted_numeric = None
        for p in self.plants:
            what, key, odd_s = p.split(":")
            if what == "numeric":
                odd = int(odd_s)
                planted_numeric = key
                others = [i for i in range(n) if i != odd and self.stated[key][i] is not None]
                why = (f"{self.stated[key][odd].text} ({files[odd]}) against "
                       + ", ".join(sorted({self.stated[key][i].text for i in others})))
                add(hard, "numeric", f"numeric-{key}", why,
                    [quote(odd, f"fact:{key}")] + [quote(i, f"fact:{key}") for i in others], "numeric",
                    forms={files[i]: used[i].get(key) for i in [odd] + others})
            elif what == "office":
                odd = int(odd_s)
                p_ = self.cast.people[key]
                others = [i for i in self._outlets_naming(key) if i != odd]
                add(hard, "office", f"office-{key}",
                    f"{self.views[odd].office[key]} in one source, {p_.office} in the others",
                    [quote(odd, f"title:{key}")] + [quote(i, f"title:{key}") for i in others], "entity_attribute",
                    appositive={files[i]: key in self.views[i].appositive for i in [odd] + others})
            elif what == "spelling":
                odd = int(odd_s)
                others = [i for i in self._outlets_naming(key) if i != odd]
                first, last = self.views[odd].first.get(key), self.views[odd].last.get(key)
                p_ = self.cast.people[key]
                why = f"{first or last} against {p_.first if first else p_.last}"
                add(hard, "spelling", f"spelling-{key}", why,
                    [quote(odd, f"name:{key}")] + [quote(i, f"name:{key}") for i in others], "name_spelling",
                    which="first" if first else "last")
            elif what == "narrow":
                outs = [int(x) for x in odd_s.split(",")]
                a, b = self.first_round
                add(hard, "narrow", "narrow-first-round",
                    f"'narrowly' against first-round figures {a.value}% vs {b.value}%",
                    [quote(i, "fact:first_round_words") for i in outs]
                    + [quote(i, "fact:first_round") for i in self.first_round_outlets], "qualitative_vs_numeric",
                    forms={files[i]: used[i].get("first_round_words") for i in outs})
        # narrow words that agree with close figures
        if self.topic == "election" and self.close_first_round and self.narrow_outlets:
            add(consistent, "narrow-ok", "narrow-ok-first-round", "'narrowly' and a first round within 1.5 points",
                [quote(i, "fact:first_round_words") for i in self.narrow_outlets]
                + [quote(i, "fact:first_round") for i in self.first_round_outlets], None)
        # hedged figures that agree
        for f in self.facts:
            if f.kind == "figure" and f.key != planted_numeric:
                outs = [i for i in range(n) if self.stated[f.key][i] is not None]
                if len({self.stated[f.key][i].text for i in outs}) >= 2:
                    add(consistent, "hedge", f"hedge-{f.key}",
                        " / ".join(dict.fromkeys(self.stated[f.key][i].text for i in outs)) + ": the intervals overlap",
                        [quote(i, f"fact:{f.key}") for i in outs], None,
                        hedges=[self.stated[f.key][i].hedge for i in outs])
            if f.kind == "standing":
                outs = self.first_round_outlets
                if len({(self.states_fr[i][0].text, self.states_fr[i][1].text) for i in outs}) >= 2:
                    add(consistent, "hedge", "hedge-first-round", "first-round figures worded differently, agreeing",
                        [quote(i, "fact:first_round") for i in outs], None)
            if f.kind == "age":
                outs = [i for i in range(n) if f.key in self.states[i]]
                if len({used[i][f.key] for i in outs}) >= 2:
                    add(consistent, "age", "age", "the same age said two ways",
                        [quote(i, "fact:age") for i in outs], None)
            if f.kind == "date":
                outs = [i for i in range(n) if f.key in self.states[i]]
                add(consistent, "date", f"date-{f.key}",
                    f"{self._date_text(self.event_date, False)} in a dated article is {self._date_text(self.event_date, True)}",
                    [quote(i, f"fact:{f.key}") for i in outs], None)
        h1 = self.cast.people["H1"]
        outs = self._outlets_naming("H1")
        if len({self.views[i].first.get("H1", h1.first) + self.views[i].last.get("H1", h1.last) for i in outs}) >= 2:
            nd = any(c in h1.full for c in "ŁłøØßæ") or any(x[0] in h1.full for x in ACCENT_ND)
            add(consistent, "accent-nd" if nd else "accent", "accent-H1", "accents do not make another spelling",
                [quote(i, "name:H1") for i in outs], None)
        if self.surname_plant is not None:
            outs = self._outlets_naming("H2")
            add(consistent, "surname", "surname-H2", "a second surname added is the same person",
                [quote(i, "name:H2") for i in outs], None)
        gold = {"story": f"{self.slug}-{self.topic}", "articles": list(files),
                "discrepancies": hard, "consistent": consistent}
        return gold, plants



# =========================================================================== the corpus


def story_sizes(n_articles: int, seed: int) -> list[int]:
    """Outlets per story (3-6), summing to exactly ``n_articles`` (>= 3)."""
    if n_articles < 3:
        raise ValueError("need at least 3 articles")
    sizes: list[int] = []
    i = 0
    while sum(sizes) < n_articles:
        sizes.append(random.Random(f"claimcheck-bench-size-{seed}-{i}").randint(3, 6))
        i += 1
    over = sum(sizes) - n_articles
    while over > 0:  # shrink the last stories, never below 3
        for j in range(len(sizes) - 1, -1, -1):
            if over and sizes[j] > 3:
                sizes[j] -= 1
                over -= 1
        if over and all(s == 3 for s in sizes):
            sizes.pop()
            over -= 3
            if over < 0:
                sizes[-1] -= over  # grows the last story (<= 6 since over >= -2)
                over = 0
    return sizes


def generate(n_articles: int, seed: int = 7):
    """Yield (slug, {file: text}, gold dict, plants, topic) per story."""
    names = Names(random.Random(f"claimcheck-bench-names-{seed}"))
    for index, size in enumerate(story_sizes(n_articles, seed)):
        s = StoryBuilder(index, seed, size, names)
        s.build()
        s.plan()
        texts, info = s.write()
        yield s.slug, texts, info["gold"], info["plants"], s.topic


def write_corpus(out: str | Path, n_articles: int, seed: int = 7) -> dict:
    """Write the corpus under ``out`` (replacing it) and return the manifest."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    manifest = {"seed": seed, "articles": 0, "words": 0, "sentences_approx": 0, "stories": []}
    for slug, texts, gold, plants, topic in generate(n_articles, seed):
        folder = out / f"story-{slug[1:]}"
        folder.mkdir()
        words = 0
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
            words += len(text.split())
            manifest["sentences_approx"] += len(re.findall(r"[.!?][\"”]?(?:\s|$)", text))
        (folder / "gold.yaml").write_text(
            "# Generated by bench/corpus.py: planted disagreements (hard) and look-alikes (consistent).\n"
            + yaml.safe_dump(gold, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
        manifest["articles"] += len(texts)
        manifest["words"] += words
        manifest["stories"].append({"slug": slug, "folder": folder.name, "topic": topic,
                                    "files": list(texts), "plants": plants})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100, help="number of articles (>= 3)")
    ap.add_argument("--seed", type=int, default=7, help="the corpus is a function of this and --articles")
    ap.add_argument("--out", required=True, help="folder to write (replaced if it exists)")
    args = ap.parse_args(argv)
    m = write_corpus(args.out, args.articles, args.seed)
    hard = sum(p["level"] == "hard" for s in m["stories"] for p in s["plants"])
    cons = sum(p["level"] == "consistent" for s in m["stories"] for p in s["plants"])
    print(f"{m['articles']} articles in {len(m['stories'])} stories, {m['words']:,} words "
          f"({m['words'] / m['articles']:.0f}/article); {hard} planted disagreements, {cons} look-alikes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
