"""Detector rules, on small hand-built stories (no parser, no model: similarity is faked)."""

from __future__ import annotations

import numpy as np
import pytest

from claimcheck.config import Config
from claimcheck.detect import (
    Story,
    detect_majority_conflicts,
    detect_margin_conflicts,
    detect_numeric_conflicts,
    detect_spelling_variants,
    detect_title_conflicts,
    event_anchors,
    find_discrepancies,
    quantity_holders,
    quantity_measure,
    subject_holder,
    sum_noun,
)
from claimcheck.models import (
    Article,
    Claim,
    DiscrepancyKind,
    Entity,
    EntityMention,
    Modality,
    Quantity,
    QuantityKind,
    Span,
    Speaker,
    Title,
    TitleTense,
)

CONFIG = Config(use_cache=False)


def same(a, b):
    """Every pair of texts counts as saying the same thing."""
    return np.ones(len(a))


def unrelated(a, b):
    return np.zeros(len(a))


class StoryBuilder:
    """Builds articles of one sentence each, with figures and people located by text."""

    def __init__(self):
        self.articles: dict[str, Article] = {}
        self.claims: list[Claim] = []
        self.mentions: dict[str, list[EntityMention]] = {}
        self.entities: dict[str, Entity] = {}

    def person(self, entity_id: str, name: str, *variants: str) -> None:
        self.entities[entity_id] = Entity(entity_id, name, "PERSON", (name, *variants))

    def article(
        self,
        aid: str,
        text: str,
        *,
        people: dict[str, str] = {},  # surface -> entity id
        figures: list[tuple[str, float, float, float, QuantityKind, str]] = (),
        titles: dict[str, tuple[str, str, TitleTense]] = {},  # surface -> (title text, head, tense)
        modality: Modality = Modality.FACT,
        subject: str | None = None,
    ) -> None:
        self.articles[aid] = Article(id=aid, text=text)
        mentions = []
        for surface, eid in people.items():
            start = text.index(surface)
            ts = ()
            if surface in titles:
                t_text, head, tense = titles[surface]
                t_start = text.index(t_text)
                ts = (Title(t_text, t_start, t_start + len(t_text), head, tense, True),)
            mentions.append(EntityMention(surface, start, start + len(surface), "PERSON", ts, eid))
        quantities = []
        for surface, value, low, high, kind, unit in figures:
            start = text.index(surface)
            quantities.append(Quantity(surface, start, start + len(surface), value, low, high, kind, unit))
        self.mentions[aid] = mentions
        self.claims.append(
            Claim(
                id=f"{aid}#0",
                article_id=aid,
                text=text,
                spans=(Span(0, len(text)),),
                sentence=Span(0, len(text)),
                speaker=Speaker(aid),
                modality=modality,
                subject=subject,
                subject_entity=people.get(subject) if subject else None,
                quantities=tuple(quantities),
                entities=tuple(mentions),
            )
        )

    def build(self) -> Story:
        return Story(self.articles, self.claims, list(self.entities.values()), self.mentions)


PCT = QuantityKind.PERCENT
BOTH = {"Ana Ruiz": "p:ruiz", "Per Lund": "p:lund"}


def two_candidates() -> StoryBuilder:
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    b.person("p:lund", "Per Lund")
    return b


def ruiz_figures(sentence_a: str, figure_a: tuple, sentence_b: str, figure_b: tuple) -> StoryBuilder:
    """Two one-sentence articles about Ana Ruiz, each with one share of the vote:
    a figure is (surface, value, low, high)."""
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    for aid, sentence, (surface, value, low, high) in (("a.txt", sentence_a, figure_a), ("b.txt", sentence_b, figure_b)):
        b.article(aid, sentence, people={"Ana Ruiz": "p:ruiz"}, figures=[(surface, value, low, high, PCT, "%")])
    return b


def test_disjoint_shares_for_the_same_person_are_a_numeric_conflict():
    b = ruiz_figures(
        "Ana Ruiz received 54.2% of the vote.", ("54.2%", 54.2, 54.15, 54.25),
        "Ana Ruiz won about 61% of the vote.", ("about 61%", 61, 60, 62),
    )
    found = detect_numeric_conflicts(b.build(), same, CONFIG)
    assert len(found) == 1
    d = found[0]
    assert d.kind == DiscrepancyKind.NUMERIC
    assert {e.file for e in d.evidence} == {"a.txt", "b.txt"}
    assert "54.2%" in d.explanation and "about 61%" in d.explanation
    for e in d.evidence:
        assert b.articles[e.file].text[e.start : e.end] == e.text


def test_about_58_percent_and_58_30_percent_are_not_flagged():
    b = ruiz_figures(
        "Ana Ruiz secured approximately 58% of the vote.", ("approximately 58%", 58, 57, 59),
        "Ana Ruiz secured 58.30% of the vote.", ("58.30%", 58.3, 58.295, 58.305),
    )
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


def test_figures_from_different_rounds_are_not_compared():
    b = ruiz_figures(
        "In the first round, Ana Ruiz took nearly 27% of the vote.", ("nearly 27%", 27, 25.5, 27),
        "Ana Ruiz received just over 41% of the vote.", ("just over 41%", 41, 41, 42.5),
    )
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


def test_a_pledge_is_not_compared_with_a_count():
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    b.article("a.txt", "Ana Ruiz pledged to deport 300,000 migrants.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("300,000", 300000, 250000, 350000, QuantityKind.COUNT, "")],
              modality=Modality.PLEDGE)
    b.article("b.txt", "Ana Ruiz said 500,000 migrants live here.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("500,000", 500000, 450000, 550000, QuantityKind.COUNT, "")])
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


def test_figures_about_different_people_are_not_compared():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz received 54% of the vote.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("54%", 54, 53.5, 54.5, PCT, "%")])
    b.article("b.txt", "Per Lund received 46% of the vote.", people={"Per Lund": "p:lund"},
              figures=[("46%", 46, 45.5, 46.5, PCT, "%")])
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


def test_dissimilar_wording_keeps_figures_apart():
    b = ruiz_figures(
        "Ana Ruiz received 54% of the vote.", ("54%", 54, 53.5, 54.5),
        "Ana Ruiz won 61% of the vote.", ("61%", 61, 60.5, 61.5),
    )
    assert detect_numeric_conflicts(b.build(), unrelated, CONFIG) == []


def test_each_figure_belongs_to_the_person_named_before_it():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz took 27% and Per Lund about 24%, while others won 49%.",
              people=BOTH,
              figures=[("27%", 27, 26.5, 27.5, PCT, "%"), ("about 24%", 24, 23, 25, PCT, "%"),
                       ("49%", 49, 48.5, 49.5, PCT, "%")])
    holders = [h.holder for h in quantity_holders(b.claims[0])]
    assert holders == ["p:ruiz", "p:lund", None]


def test_narrowly_won_against_a_three_point_gap_is_shown():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz narrowly won the first round, ahead of Per Lund.",
              people=BOTH)
    b.article("b.txt", "In the first round, Ana Ruiz took nearly 27% and Per Lund about 24%.",
              people=BOTH,
              figures=[("nearly 27%", 27, 25.5, 27, PCT, "%"), ("about 24%", 24, 23, 25, PCT, "%")])
    found = detect_margin_conflicts(b.build(), same, CONFIG)
    assert len(found) == 1
    d = found[0]
    assert d.kind == DiscrepancyKind.QUALITATIVE_VS_NUMERIC
    assert {e.file for e in d.evidence} == {"a.txt", "b.txt"}
    assert "narrowly" in d.explanation and "3" in d.explanation


def test_a_narrow_win_that_is_narrow_is_not_flagged():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz narrowly beat Per Lund.", people=BOTH)
    b.article("b.txt", "Ana Ruiz took 50.4% and Per Lund 49.6%.",
              people=BOTH,
              figures=[("50.4%", 50.4, 50.35, 50.45, PCT, "%"), ("49.6%", 49.6, 49.55, 49.65, PCT, "%")])
    assert detect_margin_conflicts(b.build(), same, CONFIG) == []


def test_a_margin_word_about_another_round_is_not_compared():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz narrowly won the first round against Per Lund.",
              people=BOTH)
    b.article("b.txt", "Ana Ruiz received 58% and Per Lund 42%.",
              people=BOTH,
              figures=[("58%", 58, 57.5, 58.5, PCT, "%"), ("42%", 42, 41.5, 42.5, PCT, "%")])
    assert detect_margin_conflicts(b.build(), same, CONFIG) == []


def test_landslide_against_a_close_result_is_shown():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz won in a landslide over Per Lund.", people=BOTH)
    b.article("b.txt", "Ana Ruiz took 51% and Per Lund 47%.",
              people=BOTH,
              figures=[("51%", 51, 50.5, 51.5, PCT, "%"), ("47%", 47, 46.5, 47.5, PCT, "%")])
    [d] = detect_margin_conflicts(b.build(), same, CONFIG)
    assert "landslide" in d.explanation


def test_two_current_offices_for_one_person_are_a_conflict():
    b = StoryBuilder()
    b.person("p:okafor", "Grace Okafor")
    b.article("a.txt", "Senator Grace Okafor praised the deal.", people={"Grace Okafor": "p:okafor"},
              titles={"Grace Okafor": ("Senator", "senator", TitleTense.CURRENT)})
    b.article("b.txt", "Foreign Minister Grace Okafor praised the deal.", people={"Grace Okafor": "p:okafor"},
              titles={"Grace Okafor": ("Foreign Minister", "foreign minister", TitleTense.CURRENT)})
    [d] = detect_title_conflicts(b.build(), CONFIG)
    assert d.kind == DiscrepancyKind.ENTITY_ATTRIBUTE
    assert {e.value for e in d.evidence} == {"Senator", "Foreign Minister"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("President", "president", TitleTense.CURRENT), ("Outgoing President", "president", TitleTense.FORMER)),
        (("Senator", "senator", TitleTense.CURRENT), ("former Governor", "governor", TitleTense.FORMER)),
        (("Secretary", "secretary", TitleTense.CURRENT), ("Secretary of State", "secretary of state", TitleTense.CURRENT)),
        (("Chief Executive", "chief executive", TitleTense.CURRENT), ("Chairwoman", "chair", TitleTense.CURRENT)),
        (("MP", "member of parliament", TitleTense.CURRENT), ("Home Secretary", "secretary", TitleTense.CURRENT)),
    ],
)
def test_compatible_or_past_offices_are_not_a_conflict(first, second):
    b = StoryBuilder()
    b.person("p:okafor", "Grace Okafor")
    b.article("a.txt", f"{first[0]} Grace Okafor spoke.", people={"Grace Okafor": "p:okafor"},
              titles={"Grace Okafor": first})
    b.article("b.txt", f"{second[0]} Grace Okafor spoke.", people={"Grace Okafor": "p:okafor"},
              titles={"Grace Okafor": second})
    assert detect_title_conflicts(b.build(), CONFIG) == []


def test_a_misspelt_first_name_is_flagged_but_an_accent_is_not():
    b = StoryBuilder()
    b.person("p:nunez", "Jeremiah Núñez", "Jeremiah Nunez", "Jeremia Núñez")
    b.article("a.txt", "Jeremiah Núñez won.", people={"Jeremiah Núñez": "p:nunez"})
    b.article("b.txt", "Jeremiah Nunez won.", people={"Jeremiah Nunez": "p:nunez"})
    b.article("c.txt", "Jeremia Núñez won.", people={"Jeremia Núñez": "p:nunez"})
    found = detect_spelling_variants(b.build(), CONFIG)
    assert len(found) >= 1
    assert all(d.kind == DiscrepancyKind.NAME_SPELLING for d in found)
    assert all("c.txt" in {e.file for e in d.evidence} for d in found)
    assert not any({e.value for e in d.evidence} == {"Jeremiah Núñez", "Jeremiah Nunez"} for d in found)


def test_discrepancy_ids_are_stable_across_runs():
    def run():
        b = StoryBuilder()
        b.person("p:ruiz", "Ana Ruiz")
        b.article("a.txt", "Ana Ruiz received 54.2% of the vote.", people={"Ana Ruiz": "p:ruiz"},
                  figures=[("54.2%", 54.2, 54.15, 54.25, PCT, "%")])
        b.article("b.txt", "Ana Ruiz won about 61% of the vote.", people={"Ana Ruiz": "p:ruiz"},
                  figures=[("about 61%", 61, 60, 62, PCT, "%")])
        return [d.id for d in find_discrepancies(b.build(), same, CONFIG)]

    assert run() == run() != []


@pytest.mark.parametrize(
    ("text", "anchors"),
    [
        ("In the first round, she took 27%.", {"ordinal:1"}),
        ("She narrowly secured victory in the initial voting.", {"ordinal:1"}),
        ("Ahead of the December run-off, polls tightened.", {"ordinal:runoff"}),
        ("She won 54% of the vote in the second round.", {"ordinal:runoff"}),
        ("The toll rose to 351 on the second day.", {"ordinal:2"}),
        ("This is his third time running.", set()),
        ("She received 41% of the vote.", set()),
    ],
)
def test_event_anchors(text, anchors):
    assert event_anchors(text) == anchors


@pytest.mark.parametrize(
    ("after", "measure"),
    [(" of the vote, while", "vote"), (" of ballots counted", "ballot"), (", with all", None), (" jobs", "job"),
     (" spending plan for 2027", "budget"), (" spending cuts", "spending")],
)
def test_quantity_measure_reads_the_noun_after_the_figure(after, measure):
    q = Quantity("5%", 0, 2, 5, 4.5, 5.5, PCT, "%")
    assert quantity_measure(q, after) == measure


def test_won_a_majority_against_a_share_under_half_is_flagged():
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    b.article("a.txt", "Ana Ruiz won an outright majority in the vote.", people={"Ana Ruiz": "p:ruiz"},
              subject="Ana Ruiz")
    b.article("b.txt", "Ana Ruiz received 44% of the vote.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("44%", 44, 43.5, 44.5, PCT, "%")])
    [d] = detect_majority_conflicts(b.build(), same, CONFIG)
    assert d.kind == DiscrepancyKind.QUALITATIVE_VS_NUMERIC
    assert {e.value for e in d.evidence} == {"won an outright majority", "44%"}


@pytest.mark.parametrize(
    ("sentence", "share"),
    [
        ("Neither Ana Ruiz nor her rival secured the majority required to win.", 44),
        ("Ana Ruiz won a majority of the vote.", 52.5),
    ],
)
def test_a_denied_or_true_majority_is_not_flagged(sentence, share):
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    b.article("a.txt", sentence, people={"Ana Ruiz": "p:ruiz"}, subject="Ana Ruiz")
    b.article("b.txt", f"Ana Ruiz received {share}% of the vote.", people={"Ana Ruiz": "p:ruiz"},
              figures=[(f"{share}%", share, share - 0.05, share + 0.05, PCT, "%")])
    assert detect_majority_conflicts(b.build(), same, CONFIG) == []


def test_dead_and_injured_are_different_counts():
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    count = QuantityKind.COUNT
    b.article("a.txt", "Ana Ruiz said 200 people were killed in the quake.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("200", 200, 150, 250, count, "")])
    b.article("b.txt", "Ana Ruiz said 4,488 people were injured in the quake.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("4,488", 4488, 4487.5, 4488.5, count, "")])
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


def test_an_ordinal_before_a_share_does_not_steal_its_holder():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz led the first round with 33.4% of the vote, ahead of Per Lund on 27%.",
              people=BOTH, figures=[("first", 1, 1, 1, QuantityKind.ORDINAL, "ordinal"),
                                    ("33.4%", 33.4, 33.35, 33.45, PCT, "%"), ("27%", 27, 26.5, 27.5, PCT, "%")])
    holders = [(h.quantity.text, h.holder) for h in quantity_holders(b.claims[0])]
    assert holders[1:] == [("33.4%", "p:ruiz"), ("27%", "p:lund")]


# --------------------------------------------------------------------------- figures with no named holder

COUNT = QuantityKind.COUNT


def alike(value: float):
    """Every pair of frames is this similar."""
    return lambda a, b: np.full(len(a), value)


def count(surface: str, value: float, width: float = 0.5) -> tuple:
    return (surface, value, value - width, value + width, COUNT, "")


def story_of(*sentences: tuple, modality: Modality = Modality.FACT) -> StoryBuilder:
    """One article per (sentence, figures[, subject[, modality]]), naming no one."""
    b = StoryBuilder()
    for n, (sentence, figures, *rest) in enumerate(sentences):
        subject = rest[0] if rest else None
        b.article(f"{'abcdef'[n]}.txt", sentence, figures=figures, subject=subject,
                  modality=rest[1] if len(rest) > 1 else modality)
    return b


def test_death_tolls_that_name_no_one_are_compared_as_the_storys():
    b = story_of(
        ("678 people died in the earthquake.", [count("678", 678)]),
        ("Some 1,100 people had been killed.", [count("Some 1,100", 1100, 100)]),
    )
    [d] = detect_numeric_conflicts(b.build(), same, CONFIG)
    assert {e.file for e in d.evidence} == {"a.txt", "b.txt"}
    assert d.subject == "people (dead)" and d.explanation.startswith("Death toll: ")
    assert d.title == "Death toll: 678 vs Some 1,100"


def test_a_figure_with_no_holder_joins_the_only_holder_of_its_measure():
    b = StoryBuilder()
    b.person("p:lima", "Lima")
    b.article("a.txt", "In Lima, the earthquake killed 678 people.", people={"Lima": "p:lima"},
              figures=[count("678", 678)])
    b.article("b.txt", "Some 1,100 people had been killed.", figures=[count("Some 1,100", 1100, 100)])
    [d] = detect_numeric_conflicts(b.build(), same, CONFIG)
    assert d.subject == "Lima" and {e.file for e in d.evidence} == {"a.txt", "b.txt"}


def test_a_share_with_no_holder_is_not_pinned_on_one_of_two_candidates():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz took 54% of the vote and Per Lund 46% of the vote.", people=BOTH,
              figures=[("54%", 54, 53.5, 54.5, PCT, "%"), ("46%", 46, 45.5, 46.5, PCT, "%")])
    b.article("b.txt", "The runner-up took 41% of the vote.", figures=[("41%", 41, 40.5, 41.5, PCT, "%")])
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


def test_an_article_with_two_values_of_a_measure_leaves_it_unowned():
    # the toll before and after: neither is "the" figure, so nothing is compared with them
    b = story_of(
        ("By Monday 120 people had died, and 300 people had died by Friday.",
         [count("120", 120), count("300", 300)]),
        ("Some 1,100 people had died.", [count("Some 1,100", 1100, 100)]),
    )
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


def test_a_bare_count_with_no_holder_is_not_compared():
    b = story_of(
        ("The council approved the plan by 59 votes to 13.", [count("13", 13)]),
        ("The plan passed by 40 votes to 20.", [count("20", 20)]),
    )
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


def test_figures_with_no_holder_need_more_alike_wording():
    sentences = (
        ("678 people died in the earthquake.", [count("678", 678)]),
        ("The earthquake killed some 1,100 people.", [count("some 1,100", 1100, 100)]),
    )
    between = (CONFIG.numeric_context_similarity + CONFIG.numeric_story_similarity) / 2
    assert detect_numeric_conflicts(story_of(*sentences).build(), alike(between), CONFIG) == []
    assert len(detect_numeric_conflicts(story_of(*sentences).build(), alike(0.99), CONFIG)) == 1


def test_homes_destroyed_and_homes_damaged_are_different_counts():
    b = story_of(
        ("500 homes were destroyed.", [count("500", 500)]),
        ("2,000 homes were damaged.", [count("2,000", 2000)]),
    )
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


@pytest.mark.parametrize(
    ("subject", "holder"),
    [
        ("Acme Textiles", "name:acme textiles"),
        ("the Acme Group", "name:acme group"),
        ("Rescuers", None),  # one capitalised word opening a sentence: any noun
        ("Residents of Lima", None),
        ("The company", None),
        ("it", None),
    ],
)
def test_a_capitalised_subject_the_tagger_missed_is_a_holder(subject, holder):
    b = story_of((f"{subject} is cutting 1,303 jobs.", [count("1,303", 1303)], subject))
    assert subject_holder(b.claims[0]) == holder


def test_an_untagged_organisation_subject_holds_its_figures():
    b = story_of(
        ("Acme Textiles is cutting 1,303 jobs.", [count("1,303", 1303)], "Acme Textiles"),
        ("Acme Textiles is cutting 1,900 jobs.", [count("1,900", 1900)], "Acme Textiles"),
        ("Borg Foods is cutting 2,500 jobs.", [count("2,500", 2500)], "Borg Foods"),
    )
    # between the story threshold and the plain one: only a named holder passes
    between = (CONFIG.numeric_context_similarity + CONFIG.numeric_story_similarity) / 2
    [d] = detect_numeric_conflicts(b.build(), alike(between), CONFIG)
    assert d.subject == "Acme Textiles" and {e.file for e in d.evidence} == {"a.txt", "b.txt"}


def test_a_plain_future_is_compared_with_what_is_under_way():
    b = story_of(
        ("Acme Textiles is cutting 1,303 jobs.", [count("1,303", 1303)], "Acme Textiles", Modality.FACT),
        ("Acme Textiles will cut 1,900 jobs.", [count("1,900", 1900)], "Acme Textiles", Modality.PREDICTION),
    )
    assert len(detect_numeric_conflicts(b.build(), same, CONFIG)) == 1
    between = (CONFIG.numeric_context_similarity + CONFIG.numeric_modality_similarity) / 2
    assert detect_numeric_conflicts(b.build(), alike(between), CONFIG) == []


@pytest.mark.parametrize("future", ["could cut", "is expected to cut", "plans to cut", "promised to cut"])
def test_a_possible_or_promised_figure_is_not_compared_with_a_fact(future):
    b = story_of(
        ("Acme Textiles is cutting 1,303 jobs.", [count("1,303", 1303)], "Acme Textiles", Modality.FACT),
        (f"Acme Textiles {future} 1,900 jobs.", [count("1,900", 1900)], "Acme Textiles", Modality.PREDICTION),
    )
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []


def test_workers_laid_off_and_jobs_cut_are_one_count_but_jobs_created_are_not():
    laid_off = ("Acme Textiles will lay off 2,936 workers.", [count("2,936", 2936)], "Acme Textiles")
    cut = ("Acme Textiles will cut 1,840 jobs.", [count("1,840", 1840)], "Acme Textiles")
    created = ("Acme Textiles will create 1,840 jobs.", [count("1,840", 1840)], "Acme Textiles")
    assert len(detect_numeric_conflicts(story_of(laid_off, cut).build(), same, CONFIG)) == 1
    assert detect_numeric_conflicts(story_of(laid_off, created).build(), same, CONFIG) == []


def organisations(*articles: tuple[str, str, str]) -> Story:
    """One-sentence articles, each naming one organisation: (article id, sentence, name).
    Organisations are linked by exact name, so each spelling is its own ORG entity."""
    b = StoryBuilder()
    for aid, sentence, name in articles:
        eid = "org:" + name.lower().replace(" ", "-")
        b.entities[eid] = Entity(eid, name, "ORG", (name,))
        b.article(aid, sentence, people={name: eid})
    return b.build()


def test_an_organisation_misspelt_by_one_outlet_is_flagged():
    story = organisations(
        ("a.txt", "Northfield Credit Union cut its rates.", "Northfield Credit Union"),
        ("b.txt", "Northfield Credit Union cut rates again.", "Northfield Credit Union"),
        ("c.txt", "Northfeld Credit Union cut its rates.", "Northfeld Credit Union"),
    )
    [d] = detect_spelling_variants(story, CONFIG)
    assert d.kind == DiscrepancyKind.NAME_SPELLING
    assert {e.file for e in d.evidence} == {"a.txt", "b.txt", "c.txt"}
    assert d.explanation.startswith("“Northfeld Credit Union” (c.txt) vs “Northfield Credit Union” (2 sources)")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Labour Party", "Labor Party"),  # both correct, in different countries
        ("Ministry of Finance", "Ministry of Defence"),  # two organisations
    ],
)
def test_regional_spellings_and_two_organisations_are_not_flagged(first, second):
    story = organisations(
        ("a.txt", f"The {first} said no.", first),
        ("b.txt", f"The {second} said no.", second),
    )
    assert detect_spelling_variants(story, CONFIG) == []


def test_two_organisation_spellings_in_one_article_are_two_organisations():
    b = StoryBuilder()
    for name in ("Braxley Mining Company", "Barxley Mining Company"):
        eid = "org:" + name.lower().replace(" ", "-")
        b.entities[eid] = Entity(eid, name, "ORG", (name,))
    b.article("a.txt", "Braxley Mining Company bought Barxley Mining Company.",
              people={"Braxley Mining Company": "org:braxley-mining-company",
                      "Barxley Mining Company": "org:barxley-mining-company"})
    b.article("b.txt", "Braxley Mining Company grew.", people={"Braxley Mining Company": "org:braxley-mining-company"})
    assert detect_spelling_variants(b.build(), CONFIG) == []


def test_a_persons_misspelt_name_inside_an_organisation_span_is_told_once():
    b = StoryBuilder()
    b.person("p:tecking", "Conrad Tecking", "Conrad Thecking")
    for name in ("Albion for Tecking", "Albion for Thecking"):
        eid = "org:" + name.lower().replace(" ", "-")
        b.entities[eid] = Entity(eid, name, "ORG", (name,))
    b.article("a.txt", "Albion for Tecking: Conrad Tecking signed.",
              people={"Albion for Tecking": "org:albion-for-tecking", "Conrad Tecking": "p:tecking"})
    b.article("b.txt", "Albion for Thecking: Conrad Thecking signed.",
              people={"Albion for Thecking": "org:albion-for-thecking", "Conrad Thecking": "p:tecking"})
    [d] = detect_spelling_variants(b.build(), CONFIG)
    assert d.subject == "Conrad Tecking"


# --------------------------------------------------------------------------- sums named by a noun

MONEY = QuantityKind.MONEY


def usd(surface: str, billions: float, width: float = 0.05) -> tuple:
    return (surface, billions * 1e9, (billions - width) * 1e9, (billions + width) * 1e9, MONEY, "USD")


@pytest.mark.parametrize(
    ("sentence", "figure", "subject", "noun"),
    [
        ("Ana Ruiz presented a budget of $32 billion for 2027.", "$32 billion", "Ana Ruiz", "budget"),
        ("The budget would total about $19 billion.", "about $19 billion", "The budget", "budget"),
        ("The fee for Ana Ruiz was £66 million, the club said.", "£66 million", "The fee for Ana Ruiz", "fee"),
        # the parse missed the subject ("totals" read as a noun): the word before the verb
        ("The Norland budget totals $19 billion.", "$19 billion", None, "budget"),
        ("The deficit has reached $4 billion.", "$4 billion", "The deficit", "deficit"),
        ("It spent a total of $3 billion.", "$3 billion", "It", None),
        ("Acme paid $3 million to sign him.", "$3 million", "Acme", None),
        ("The budget includes $2 billion for schools.", "$2 billion", "The budget", None),
    ],
)
def test_sum_noun_is_the_noun_a_sum_is_the_amount_of(sentence, figure, subject, noun):
    b = StoryBuilder()
    b.article("a.txt", sentence, figures=[usd(figure, 1)], subject=subject)
    claim = b.claims[0]
    assert sum_noun(claim, claim.quantities[0], sentence) == noun


def budget_story(*, second_holder: str = "Norland", second_label: str = "GPE") -> StoryBuilder:
    """A minister presents the budget, a place holds it, a third sentence names no one."""
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    b.entities["e:two"] = Entity("e:two", second_holder, second_label, (second_holder,))
    b.article("a.txt", "Ana Ruiz presented a budget of $32 billion for 2027.", people={"Ana Ruiz": "p:ruiz"},
              figures=[usd("$32 billion", 32)], subject="Ana Ruiz")
    b.article("b.txt", f"The {second_holder} budget totals $19.1 billion.", people={second_holder: "e:two"},
              figures=[usd("$19.1 billion", 19.1)])
    b.article("c.txt", "The budget would total $19.1 billion.", figures=[usd("$19.1 billion", 19.1)],
              subject="The budget", modality=Modality.PREDICTION)
    return b


@pytest.mark.parametrize("label", ["GPE", "PERSON"])  # a small tagger reads many one-word places as people
def test_one_budget_presented_by_a_minister_and_held_by_a_country_is_compared(label):
    [d] = detect_numeric_conflicts(budget_story(second_label=label).build(), same, CONFIG)
    assert {e.file for e in d.evidence} == {"a.txt", "b.txt", "c.txt"}
    assert d.subject == "budget" and "$32 billion" in d.explanation


def test_two_places_budgets_are_not_one_budget():
    b = budget_story()
    b.entities["g:sudland"] = Entity("g:sudland", "Sudland", "GPE", ("Sudland",))
    b.articles.pop("a.txt")
    b.claims = [c for c in b.claims if c.article_id != "a.txt"]
    b.article("a.txt", "The Sudland budget totals $32 billion.", people={"Sudland": "g:sudland"},
              figures=[usd("$32 billion", 32)])
    found = detect_numeric_conflicts(b.build(), same, CONFIG)
    assert all("$32 billion" not in d.explanation for d in found)


def test_an_article_giving_two_budgets_keeps_them_apart():
    b = budget_story()
    b.article("d.txt", "Last year's budget of $12 billion grew to a budget of $19.1 billion.",
              figures=[usd("$12 billion", 12), usd("$19.1 billion", 19.1)])
    found = detect_numeric_conflicts(b.build(), same, CONFIG)
    assert all("$32 billion" not in d.explanation for d in found)


def test_sums_dated_to_different_years_are_not_compared():
    b = StoryBuilder()
    b.article("a.txt", "The government presented a budget of $32 billion for 2027.",
              figures=[usd("$32 billion", 32), ("2027", 2027, 2027, 2027, QuantityKind.YEAR, "")])
    b.article("b.txt", "The government presented a budget of $19 billion for 2026.",
              figures=[usd("$19 billion", 19), ("2026", 2026, 2026, 2026, QuantityKind.YEAR, "")])
    assert detect_numeric_conflicts(b.build(), same, CONFIG) == []
    b.articles.pop("b.txt")
    b.claims.pop()
    b.article("b.txt", "The budget would total $19 billion.", figures=[usd("$19 billion", 19)], subject="The budget")
    assert len(detect_numeric_conflicts(b.build(), same, CONFIG)) == 1  # dated on one side only


def test_sums_of_one_noun_need_only_related_wording():
    below = CONFIG.numeric_sum_similarity - 0.05
    assert detect_numeric_conflicts(budget_story().build(), alike(below), CONFIG) == []
    assert len(detect_numeric_conflicts(budget_story().build(), alike(CONFIG.numeric_sum_similarity), CONFIG)) == 1


def transfer_story() -> StoryBuilder:
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    b.entities["o:acme"] = Entity("o:acme", "FC Acme", "ORG", ("FC Acme",))
    b.article("a.txt", "FC Acme have agreed a fee of some €48 million for Ana Ruiz.",
              people={"FC Acme": "o:acme", "Ana Ruiz": "p:ruiz"}, figures=[eur("some €48 million", 48, 1)], subject="FC Acme")
    b.article("b.txt", "The fee for Ana Ruiz was €48.1 million.", people={"Ana Ruiz": "p:ruiz"},
              figures=[eur("€48.1 million", 48.1)], subject="The fee for Ana Ruiz")
    b.article("c.txt", "FC Acme paid around €72 million to sign the midfielder.", people={"FC Acme": "o:acme"},
              figures=[eur("around €72 million", 72, 1)], subject="FC Acme")
    return b


def eur(surface: str, millions: float, width: float = 0.05) -> tuple:
    return (surface, millions * 1e6, (millions - width) * 1e6, (millions + width) * 1e6, MONEY, "EUR")


def test_a_sum_with_no_noun_joins_the_one_sum_its_holder_holds():
    [d] = detect_numeric_conflicts(transfer_story().build(), same, CONFIG)
    assert {e.file for e in d.evidence} == {"a.txt", "b.txt", "c.txt"} and d.subject == "fee"


def test_a_holder_paying_two_sums_in_one_article_keeps_the_sum_with_no_noun_out():
    b = transfer_story()
    b.article("d.txt", "FC Acme paid €72 million for a striker and agreed a fee of €48 million for Ana Ruiz.",
              people={"FC Acme": "o:acme", "Ana Ruiz": "p:ruiz"},
              figures=[eur("€72 million", 72), eur("€48 million", 48)], subject="FC Acme")
    found = detect_numeric_conflicts(b.build(), same, CONFIG)
    assert all("€72 million" not in d.explanation for d in found)


# --------------------------------------------------------------------------- cards (issue 13, item 3)


def test_a_numeric_card_is_titled_in_words_and_each_side_has_its_value_in_words():
    b = ruiz_figures(
        "Ana Ruiz received 54.2% of the vote.", ("54.2%", 54.2, 54.15, 54.25),
        "Ana Ruiz won about 61% of the vote.", ("about 61%", 61, 60, 62),
    )
    [d] = detect_numeric_conflicts(b.build(), same, CONFIG)
    assert d.title == "Ana Ruiz's share of the vote: 54.2% vs about 61%"
    assert [e.detail for e in d.evidence] == ["54.2%, so 54.15–54.25%", "about 61%, so 60–62%"]
    assert "[" not in d.explanation and "about 61%, so 60–62% (b.txt)" in d.explanation


def test_job_cuts_and_a_budget_are_titled_by_what_they_count():
    cuts = story_of(
        ("Acme Textiles is cutting 1,303 jobs.", [count("1,303", 1303)], "Acme Textiles"),
        ("Acme Textiles is cutting 1,900 jobs.", [count("1,900", 1900)], "Acme Textiles"),
    )
    [d] = detect_numeric_conflicts(cuts.build(), same, CONFIG)
    assert d.title == "Job cuts (Acme Textiles): 1,303 vs 1,900"
    [d] = detect_numeric_conflicts(budget_story().build(), same, CONFIG)
    assert d.title == "Budget: $19.1 billion vs $32 billion"  # each value once
    assert all(e.detail.startswith(e.value + ", so $") for e in d.evidence)


def test_margin_and_majority_cards_are_titled_in_words():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz narrowly won the first round, ahead of Per Lund.", people=BOTH)
    b.article("b.txt", "In the first round, Ana Ruiz took nearly 27% and Per Lund about 24%.", people=BOTH,
              figures=[("nearly 27%", 27, 25.5, 27, PCT, "%"), ("about 24%", 24, 23, 25, PCT, "%")])
    [d] = detect_margin_conflicts(b.build(), same, CONFIG)
    assert d.title == "Margin between Ana Ruiz and Per Lund: “narrowly” vs nearly 27% to about 24%"
    assert d.evidence[0].detail == ("Ana Ruiz nearly 27%, so 25.5–27%; Per Lund about 24%, so 23–25%: "
                                    "a gap of 0.5–4 points")

    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    b.article("a.txt", "Ana Ruiz won an outright majority in the vote.", people={"Ana Ruiz": "p:ruiz"},
              subject="Ana Ruiz")
    b.article("b.txt", "Ana Ruiz received 44% of the vote.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("44%", 44, 43.5, 44.5, PCT, "%")])
    [d] = detect_majority_conflicts(b.build(), same, CONFIG)
    assert d.title == "Majority for Ana Ruiz: “won an outright majority” vs 44%"
    assert [e.detail for e in d.evidence] == ["", "44%, so 43.5–44.5%"]
    assert "[" not in d.explanation
