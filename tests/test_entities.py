"""Entity mentions, titles, name comparison and cross-article linking.

Every story here is invented; the spaCy pipeline comes from the session fixture ``nlp``.
"""

from __future__ import annotations

import pytest

from claimcheck.entities import (
    NameRelation,
    compare_names,
    extract_mentions,
    fold_name,
    link_entities,
    name_spelling_variant,
)
from claimcheck.models import EntityMention, TitleTense


def mentions_in(nlp, text: str, **kwargs) -> dict[str, EntityMention]:
    """Mentions by surface text (the last one wins when a name repeats)."""
    found = extract_mentions(nlp(text), **kwargs)
    for m in found:
        assert text[m.start - kwargs.get("offset", 0) : m.end - kwargs.get("offset", 0)] == m.text
    return {m.text: m for m in found}


def titles_of(mention: EntityMention) -> list[tuple[str, str, TitleTense, bool]]:
    return [(t.text, t.head, t.tense, t.is_office) for t in mention.titles]


# --------------------------------------------------------------------------- preceding titles


def test_nationality_prefix_is_part_of_the_title_but_not_of_the_head(nlp):
    found = mentions_in(
        nlp, "Canadian Prime Minister Claire Dubois met U.K. Foreign Secretary Tom Reilly in Ottawa."
    )
    assert titles_of(found["Claire Dubois"]) == [
        ("Canadian Prime Minister", "prime minister", TitleTense.CURRENT, True)
    ]
    # the portfolio ("Foreign") is left out of the head, like "labour" in "labour minister"
    assert titles_of(found["Tom Reilly"]) == [("U.K. Foreign Secretary", "secretary", TitleTense.CURRENT, True)]


def test_secretary_of_state_is_one_office_and_state_is_not_an_organisation(nlp):
    found = mentions_in(nlp, "U.S. Secretary of State Dana Whitfield arrived in Lima.")
    assert titles_of(found["Dana Whitfield"]) == [
        ("U.S. Secretary of State", "secretary of state", TitleTense.CURRENT, True)
    ]
    assert "State" not in found
    assert found["Dana Whitfield"].label == "PERSON"


@pytest.mark.parametrize(
    ("sentence", "name", "title", "head", "tense"),
    [
        ("The plan was criticised by former Prime Minister Anders Holm.", "Anders Holm",
         "former Prime Minister", "prime minister", TitleTense.FORMER),
        ("Outgoing Governor Rita Olsen signed the bill.", "Rita Olsen",
         "Outgoing Governor", "governor", TitleTense.FORMER),
        ("President-elect Tomas Varga will take office in May.", "Tomas Varga",
         "President-elect", "president", TitleTense.FUTURE),
        ("Incoming Mayor Ola Berg promised cheaper buses.", "Ola Berg",
         "Incoming Mayor", "mayor", TitleTense.FUTURE),
        ("Ex-president Carla Mendes and then-senator Rui Costa met.", "Carla Mendes",
         "Ex-president", "president", TitleTense.FORMER),
        ("Ex-president Carla Mendes and then-senator Rui Costa met.", "Rui Costa",
         "then-senator", "senator", TitleTense.FORMER),
    ],
)
def test_tense_markers_before_a_name_set_the_title_tense(nlp, sentence, name, title, head, tense):
    assert titles_of(mentions_in(nlp, sentence)[name]) == [(title, head, tense, True)]


def test_political_labels_are_not_part_of_the_office_head(nlp):
    found = mentions_in(
        nlp, "The bill was backed by libertarian congressman Felix Brandt and centre-right senator Hugo Marin."
    )
    assert titles_of(found["Felix Brandt"]) == [
        ("libertarian congressman", "congress member", TitleTense.CURRENT, True)
    ]
    assert titles_of(found["Hugo Marin"]) == [("centre-right senator", "senator", TitleTense.CURRENT, True)]


def test_congresswoman_and_congressman_share_one_canonical_head(nlp):
    found = mentions_in(nlp, "Congresswoman Dana Whitfield criticised Congressman Paul Dunn.")
    assert found["Dana Whitfield"].titles[0].head == found["Paul Dunn"].titles[0].head == "congress member"


def test_a_role_before_a_name_is_a_title_that_is_not_an_office(nlp):
    found = mentions_in(nlp, "Voters backed far-right challenger Nora Lind in the run-off.")
    assert titles_of(found["Nora Lind"]) == [("far-right challenger", "challenger", TitleTense.CURRENT, False)]


# --------------------------------------------------------------------------- titles after the name


def test_appositive_with_former_office_and_profession_gives_two_titles(nlp):
    found = mentions_in(nlp, "Marta Keller, a former congresswoman and conservative lawyer, announced her bid.")
    assert titles_of(found["Marta Keller"]) == [
        ("former congresswoman", "congress member", TitleTense.FORMER, True),
        ("conservative lawyer", "lawyer", TitleTense.CURRENT, False),
    ]


def test_former_applies_only_to_its_own_conjunct(nlp):
    found = mentions_in(
        nlp, "Pavel Novak, the ruling alliance's nominee and former finance minister, conceded on Sunday."
    )
    assert titles_of(found["Pavel Novak"]) == [
        ("nominee", "nominee", TitleTense.CURRENT, False),
        ("former finance minister", "minister", TitleTense.FORMER, True),
    ]


def test_an_age_between_name_and_appositive_is_skipped(nlp):
    found = mentions_in(nlp, '"We are tired," said Ola Berg, 31, an engineering student.')
    assert titles_of(found["Ola Berg"]) == [
        ("engineering student", "engineering student", TitleTense.CURRENT, False)
    ]


def test_president_name_of_country_keeps_the_office_only(nlp):
    found = mentions_in(nlp, "President Ines Varela of Uruguay welcomed the result.")
    assert titles_of(found["Ines Varela"]) == [("President", "president", TitleTense.CURRENT, True)]


def test_minister_of_a_portfolio_after_a_name_is_a_minister(nlp):
    found = mentions_in(nlp, "Lena Ortiz, Minister of Finance, resigned on Friday.")
    assert titles_of(found["Lena Ortiz"]) == [("Minister of Finance", "minister", TitleTense.CURRENT, True)]


def test_past_tense_copula_makes_the_office_former(nlp):
    found = mentions_in(nlp, "Oskar Lind was a minister in the previous cabinet.")
    assert titles_of(found["Oskar Lind"]) == [("minister", "minister", TitleTense.FORMER, True)]


def test_a_list_of_names_is_not_read_as_appositive_titles(nlp):
    found = mentions_in(nlp, "The rebels, Lena Ortiz, Bo Kim and Ana Sousa, voted no.")
    assert all(not m.titles for m in found.values())


def test_an_appositive_that_is_not_a_role_gives_no_title(nlp):
    found = mentions_in(nlp, "Lena Ortiz, part of the ruling coalition, voted no.")
    assert found["Lena Ortiz"].titles == ()


# --------------------------------------------------------------------------- mentions


def test_offsets_point_at_the_name_without_possessive_and_include_the_offset(nlp):
    text = "Lena Ortiz won the vote. Critics warn Ortiz's plan will fail."
    found = extract_mentions(nlp(text), offset=100)
    bare = [m for m in found if m.text == "Ortiz"]
    assert len(bare) == 1
    assert (bare[0].start, bare[0].end) == (100 + text.index("Ortiz's"), 100 + text.index("Ortiz's") + 5)


def test_a_surname_spacy_tags_org_is_a_person_when_the_article_names_them_in_full(nlp):
    # the small model tags the bare surname in this sentence ORG
    text = "Tobias Lindqvist won the vote. Analysts say Lindqvist's agenda faces limits."
    found = mentions_in(nlp, text)
    assert found["Lindqvist"].label == "PERSON"


def test_a_surname_spacy_leaves_untagged_is_still_a_mention(nlp):
    text = "Farida Osei won the vote. The result gave a boost to Osei, the polls said."
    starts = [m.start for m in extract_mentions(nlp(text)) if m.text == "Osei"]
    assert text.rindex("Osei") in starts


def test_an_age_after_a_name_makes_it_a_person_and_its_full_form_too(nlp):
    # the small model tags all three names here ORG
    text = (
        "Marit Sandvik has been elected mayor of Port Serin after a bitter campaign.\n"
        "Sandvik received 54.2% of the vote.\n"
        "Sandvik, 47, is a former school principal who has never held office."
    )
    found = extract_mentions(nlp(text))
    assert [(m.text, m.label) for m in found if "Sandvik" in m.text] == [
        ("Marit Sandvik", "PERSON"), ("Sandvik", "PERSON"), ("Sandvik", "PERSON")
    ]
    assert titles_of(found[-1]) == [
        ("former school principal", "school principal", TitleTense.FORMER, False)
    ]


def test_an_untagged_full_name_is_found_from_its_tagged_surname(nlp):
    text = (
        "Ilse Kramm has been elected mayor of Port Serin after a bitter campaign.\n"
        "Kramm received 54.2% of the vote.\n"
        "Kramm, 47, is a former school principal."
    )
    found = mentions_in(nlp, text)
    assert found["Ilse Kramm"].label == "PERSON"
    assert found["Ilse Kramm"].start == 0


def test_an_organisation_that_starts_with_a_title_word_keeps_its_name(nlp):
    found = mentions_in(nlp, "General Motors and Former President Ana Ruiz met in Detroit.")
    assert found["General Motors"].label == "ORG"
    assert titles_of(found["Ana Ruiz"]) == [("Former President", "president", TitleTense.FORMER, True)]


def test_a_heading_glued_to_the_next_line_does_not_become_a_name(nlp):
    text = (
        "Farida Osei won the vote on Sunday.\n"
        "Background And Context\n"
        "Osei has led the party since 2019."
    )
    found = extract_mentions(nlp(text))
    assert {m.text for m in found if m.label == "PERSON"} == {"Farida Osei", "Osei"}
    assert all("Background" not in m.text and "Context" not in m.text for m in found)


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("Ana Ruiz", "Ana Ruiz", NameRelation.SAME),
        ("Ana  Ruiz", "ana ruiz", NameRelation.SAME),
        ("Ruiz's", "Ruiz", NameRelation.SAME),
        ("José Pérez", "Jose Perez", NameRelation.ACCENT_VARIANT),
        ("Tomasz Wiśniewski", "Tomasz Wisniewski", NameRelation.ACCENT_VARIANT),
        ("Ana María Ruiz", "Ana María Ruiz Tagle", NameRelation.EXTENDED),
        ("Jose Luis Ortega", "José Luis Ortega Vidal", NameRelation.EXTENDED),
        ("Ana Ruiz", "Ana María Ruiz", NameRelation.EXTENDED),
        ("Ruiz", "Ana María Ruiz", NameRelation.SHORT_FORM),
        ("Ruiz", "Ana María Ruiz Tagle", NameRelation.SHORT_FORM),  # the first of two surnames
        ("Perez", "José Pérez", NameRelation.SHORT_FORM),
        ("Ana", "Ana María Ruiz", NameRelation.DIFFERENT),  # a first name alone is no short form
        ("Xi", "Xi Jinping", NameRelation.SHORT_FORM),  # the family name first
        ("Jeanette Smith", "Jeannette Smith", NameRelation.SPELLING_VARIANT),
        ("Mohammad Ali", "Mohammed Ali", NameRelation.SPELLING_VARIANT),
        ("Lena Ortiz", "Lena Ortis", NameRelation.SPELLING_VARIANT),
        ("Michael Ruiz", "Ana María Ruiz", NameRelation.DIFFERENT),
        ("Eva Ruiz", "Ana Ruiz", NameRelation.DIFFERENT),
        ("Daniel Ruiz", "Daniela Ruiz", NameRelation.DIFFERENT),  # similar letters, not one person
        ("Mario Rossi", "Maria Rossi", NameRelation.DIFFERENT),
        ("Maria Lopez", "Mario Lopes", NameRelation.DIFFERENT),  # nothing shared exactly
        ("Ana Ruiz", "Bo Kim", NameRelation.DIFFERENT),
    ],
)
def test_compare_names(a, b, relation):
    assert compare_names(a, b) is relation
    assert compare_names(b, a) is relation


def test_fold_name_strips_accents_case_punctuation_and_possessive():
    assert fold_name("  José  Pérez-Soto’s ") == "jose perez soto"


def test_token_similarity_threshold_is_respected():
    assert compare_names("Jon Berg", "John Berg") is NameRelation.SPELLING_VARIANT
    assert compare_names("Jon Berg", "John Berg", token_similarity=95.0) is NameRelation.DIFFERENT


# --------------------------------------------------------------------------- linking a story

STORY = {
    "gazette.txt": (
        "Governor José Luis Ortega Vidal won a second term in Jalisco on Sunday. "
        "Ortega Vidal took 52% of the vote. His rival, Mariela Fonseca, conceded. "
        "Ortega's brother, Ramón Ortega, ran his campaign."
    ),
    "courier.txt": (
        "Jose Luis Ortega has been re-elected. Ortega thanked voters. "
        "Mariella Fonseca, a former senator, said she would not challenge the result."
    ),
    "wire.txt": (
        "Supporters cheered Ortega's victory in Guadalajara. Mariela Fonseca called Ortega "
        "to concede, and Ramón Ortega said the family was proud."
    ),
}


@pytest.fixture(scope="module")
def linked(nlp):
    mentions = {aid: extract_mentions(nlp(text)) for aid, text in STORY.items()}
    entities, links = link_entities(mentions)
    return mentions, {e.id: e for e in entities}, links


def entity_at(linked, article_id: str, start: int, name: str) -> str:
    mentions, _, links = linked
    m = next(m for m in mentions[article_id] if m.start == start and m.text == name)
    return links[article_id, m.start, m.end]


def test_accent_variant_and_extra_surname_merge_into_one_person(linked):
    _, entities, _ = linked
    ortega = entities["person:jose-luis-ortega-vidal"]
    assert ortega.name == "José Luis Ortega Vidal"
    assert set(ortega.variants) == {"José Luis Ortega Vidal", "Jose Luis Ortega", "Ortega Vidal", "Ortega"}
    assert ortega.article_ids == ("gazette.txt", "courier.txt", "wire.txt")


def test_misspelt_first_name_merges_into_one_person(linked):
    _, entities, _ = linked
    fonseca = entities["person:mariela-fonseca"]
    assert set(fonseca.variants) == {"Mariela Fonseca", "Mariella Fonseca"}


def test_a_name_tagged_org_next_to_an_office_is_a_person_with_that_title(linked):
    mentions, _, _ = linked
    mariella = next(m for m in mentions["courier.txt"] if m.text == "Mariella Fonseca")
    assert mariella.label == "PERSON"
    assert titles_of(mariella) == [("former senator", "senator", TitleTense.FORMER, True)]


def test_a_bare_surname_links_to_the_person_named_before_it(linked):
    text = STORY["courier.txt"]
    bare = entity_at(linked, "courier.txt", text.index("Ortega thanked"), "Ortega")
    assert bare == "person:jose-luis-ortega-vidal"


def test_a_bare_surname_before_any_full_name_links_to_the_storys_main_bearer(linked):
    # in wire.txt only the brother is named in full, and after the bare surname
    text = STORY["wire.txt"]
    bare = entity_at(linked, "wire.txt", text.index("Ortega"), "Ortega")
    assert bare == "person:jose-luis-ortega-vidal"


def test_a_relative_with_the_same_surname_stays_a_separate_person(linked):
    _, entities, links = linked
    ramon = entities["person:ramon-ortega"]
    assert ramon.variants == ("Ramón Ortega",)
    assert ramon.article_ids == ("gazette.txt", "wire.txt")
    text = STORY["wire.txt"]
    assert entity_at(linked, "wire.txt", text.index("Ramón"), "Ramón Ortega") == "person:ramon-ortega"


def test_every_mention_is_linked_and_places_stay_places(linked):
    mentions, entities, links = linked
    for aid, ms in mentions.items():
        for m in ms:
            assert (aid, m.start, m.end) in links
    assert entities["gpe:jalisco"].label == "GPE"


def em(text: str, start: int, label: str) -> EntityMention:
    return EntityMention(text=text, start=start, end=start + len(text), label=label)


def test_a_surname_tagged_org_in_another_article_still_links_to_the_person():
    mentions = {
        "a.txt": [em("Nadia Korhonen", 0, "PERSON"), em("Korhonen", 40, "PERSON")],
        "b.txt": [em("Korhonen's", 10, "ORG"), em("Helsinki", 30, "GPE")],
    }
    entities, links = link_entities(mentions)
    by_id = {e.id: e for e in entities}
    assert links["b.txt", 10, 20] == "person:nadia-korhonen"
    assert by_id["person:nadia-korhonen"].label == "PERSON"
    assert by_id["person:nadia-korhonen"].article_ids == ("a.txt", "b.txt")


def test_a_bare_surname_shared_by_two_people_goes_to_the_one_mentioned_most_in_the_article():
    mentions = {
        "a.txt": [
            em("Eva Lund", 0, "PERSON"),
            em("Oskar Lund", 20, "PERSON"),
            em("Oskar Lund", 40, "PERSON"),
            em("Lund", 60, "PERSON"),
        ],
        "b.txt": [em("Eva Lund", 0, "PERSON"), em("Eva Lund", 20, "PERSON"), em("Lund", 40, "PERSON")],
    }
    entities, links = link_entities(mentions)
    assert {e.id for e in entities} == {"person:eva-lund", "person:oskar-lund"}
    assert links["a.txt", 60, 64] == "person:oskar-lund"
    assert links["b.txt", 40, 44] == "person:eva-lund"


def test_canonical_name_is_the_most_frequent_full_form():
    mentions = {
        "a.txt": [em("Ana Ruiz", 0, "PERSON")],
        "b.txt": [em("Ana María Ruiz", 0, "PERSON"), em("Ana María Ruiz", 30, "PERSON")],
        "c.txt": [em("Ruiz", 0, "PERSON"), em("Ruiz", 10, "PERSON"), em("Ruiz", 20, "PERSON")],
    }
    entities, _ = link_entities(mentions)
    assert [(e.id, e.name) for e in entities] == [("person:ana-maria-ruiz", "Ana María Ruiz")]


def test_a_shorter_name_does_not_chain_two_sisters_into_one_person():
    mentions = {
        "a.txt": [em("Ana María Ruiz", 0, "PERSON"), em("Ana Ruiz", 30, "PERSON")],
        "b.txt": [em("Ana Lucía Ruiz", 0, "PERSON")],
    }
    entities, links = link_entities(mentions)
    assert sorted(e.name for e in entities) == ["Ana Lucía Ruiz", "Ana María Ruiz"]
    assert links["a.txt", 30, 38] == "person:ana-maria-ruiz"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Nikolai Møller", "Nikolai Moller"), ("Łukasz Wróbel", "Lukasz Wrobel"), ("Jens Weiß", "Jens Weiss")],
)
def test_letters_without_a_decomposition_are_accent_variants_not_spellings(a, b):
    assert compare_names(a, b) == NameRelation.ACCENT_VARIANT


# --------------------------------------------------------------------------- names an office announces


def parsed_with_ents(nlp, text: str, ents: tuple[tuple[str, str], ...] = ()):
    """Parse ``text``, then replace spaCy's entities with ``ents`` ((surface, label) pairs):
    the small model's misses on invented names depend on the context around them, so the
    tests state the miss instead of hoping to reproduce it."""
    from spacy.tokens import Span as SpacySpan

    doc = nlp(text)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = [SpacySpan(doc, s.start, s.end, label=s.label_) for s in spans]
    return doc


def person_mentions(doc) -> dict[str, list[str]]:
    return {m.text: [t.head for t in m.titles] for m in extract_mentions(doc) if m.label == "PERSON"}


@pytest.mark.parametrize(
    ("text", "ents", "name", "head"),
    [
        ("Governor Ottilie Brannock called the closure a blow to the town.", (), "Ottilie Brannock", "governor"),
        ("Mayor Hadrian Quellby welcomed the team.", (("Hadrian", "GPE"),), "Hadrian Quellby", "mayor"),
        ("Senator Hadrian Quellby welcomed the team.", (("Hadrian Quellby", "ORG"),), "Hadrian Quellby", "senator"),
        ("Prime Minister Tobias de Wrenfield said the plan was sound.", (), "Tobias de Wrenfield", "prime minister"),
        ("Secretary General Anton Verhoef arrived in Geneva.", (), "Anton Verhoef", "secretary general"),
        ("Beatrix Quellmore, the mayor of Eastbrook, appealed for calm.", (), "Beatrix Quellmore", "mayor"),
        ("Beatrix Quellmore, the mayor of Eastbrook, appealed for calm.", (("Beatrix", "GPE"),),
         "Beatrix Quellmore", "mayor"),
    ],
)
def test_a_name_next_to_an_office_is_a_person_whatever_the_tagger_said(nlp, text, ents, name, head):
    found = person_mentions(parsed_with_ents(nlp, text, ents))
    assert found == {name: [head]}


@pytest.mark.parametrize(
    "text",
    [
        "Residents gathered on President Street after the storm.",
        "The Governor's Office declined to comment.",
        "Fans of the Premier League club gathered outside.",
        "The Justice Department opened an inquiry.",
        "The vote that Governor Monday Tuesday called was delayed.",
        "In Port Hallam, the mayor said the harbour was damaged.",
        "Northfield Rovers, the club's owner, would sell the striker.",
        "Gregor Vance Street, the mayor said, would be renamed.",
    ],
)
def test_an_office_word_before_a_place_body_or_date_makes_no_person(nlp, text):
    doc = parsed_with_ents(nlp, text)
    for k, tok in enumerate(doc):  # the days of the week are dates, as spaCy tags them
        if tok.text in {"Monday", "Tuesday"}:
            from spacy.tokens import Span as SpacySpan

            doc.ents = [*doc.ents, SpacySpan(doc, k, k + 1, label="DATE")]
    assert person_mentions(doc) == {}


def test_a_spaced_place_spacy_tagged_whole_keeps_its_label_before_an_appositive(nlp):
    doc = parsed_with_ents(nlp, "Upper Hallam, the mayor of Eastbrook said, was flooded.", (("Upper Hallam", "GPE"),))
    assert person_mentions(doc) == {}
    doc = parsed_with_ents(nlp, "Mayor Upper Hallam said the town was flooded.", (("Upper Hallam", "GPE"),))
    assert person_mentions(doc) == {"Upper Hallam": ["mayor"]}


def test_a_given_name_misread_as_a_verb_at_a_sentence_start_stays_in_the_name(nlp):
    doc = parsed_with_ents(nlp, "Beatrix Quellmore, the mayor of Eastbrook, appealed for calm.")
    doc[0].pos_ = "VERB"  # what the small model does with some unknown given names
    assert person_mentions(doc) == {"Beatrix Quellmore": ["mayor"]}
    # an adverb opening the sentence is not part of the name after it
    doc = parsed_with_ents(nlp, "Meanwhile Beatrix Quellmore, the mayor of Eastbrook, appealed for calm.")
    assert person_mentions(doc) == {"Beatrix Quellmore": ["mayor"]}


# --------------------------------------------------------------------------- organisation spellings


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Northfield Credit Union", "Northfeld Credit Union"),  # a missing letter
        ("Edwin Harrowgate", "Eddwin Harrowgate"),  # a doubled letter (a person tagged ORG)
        ("Braxley Mining Company", "Barxley Mining Company"),  # two letters swapped
    ],
)
def test_a_slip_of_one_letter_in_an_organisation_name_is_a_spelling_variant(a, b):
    assert name_spelling_variant(fold_name(a).split(), fold_name(b).split())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Labour Party", "Labor Party"),  # British / American
        ("Centre Party", "Center Party"),
        ("Ministry of Defence", "Ministry of Defense"),
        ("National Party", "Nationals Party"),  # an inflection
        ("Ministry of Finance", "Ministry of Defence"),  # two ministries
        ("Renovación Nacional", "Revolución Nacional"),  # alike, but more than a slip
        ("Bank of Chile", "Bank of China"),
        ("Partido Republicano", "Partido Republicana"),  # a gendered pair
        ("Northfield", "Northfeld"),  # one word: too little to go on
        ("Northfield Rovers", "Southfield Movers"),  # three letters over the name
    ],
)
def test_correct_alternatives_and_other_organisations_are_not_spelling_variants(a, b):
    assert not name_spelling_variant(fold_name(a).split(), fold_name(b).split())


def test_a_party_word_before_a_full_name_is_not_part_of_the_name(nlp):
    doc = parsed_with_ents(nlp, "Chilean Hadrian Quellby, a senator from Ohio, voted no.", (("Chilean", "NORP"),))
    doc[0].pos_ = "ADJ"  # a nationality adjective, the name after it left untagged
    assert person_mentions(doc) == {"Hadrian Quellby": ["senator"]}
    # a given name tagged NORP is still the start of a two-word name
    doc = parsed_with_ents(nlp, "Mayor Augustin Quellby voted no.", (("Augustin", "NORP"),))
    assert person_mentions(doc) == {"Augustin Quellby": ["mayor"]}


def test_mentions_are_read_once_per_doc_and_offset(nlp, monkeypatch):
    import claimcheck.entities.mentions as entities

    doc = nlp("Finance Minister Ana Ruiz met Per Lund in Port Elwin on Monday.")
    first = extract_mentions(doc, offset=10)
    kept = list(first)
    assert any(m.text == "Ana Ruiz" for m in kept)
    first.clear()  # what a caller does with its list does not reach the kept mentions
    calls = []
    monkeypatch.setattr(entities, "_extract_mentions", lambda d, o: calls.append(o) or [])
    again = extract_mentions(doc, offset=10)
    assert calls == [] and again == kept
    assert extract_mentions(doc, offset=0) == [] and calls == [0]  # another offset is read anew
