"""Atomic claims, on small invented articles parsed with the real spaCy pipeline."""

from __future__ import annotations

import pytest

from claimcheck.claims import MIN_CLAIM_WORDS, extract_claims
from claimcheck.models import (
    Article,
    EntityMention,
    Modality,
    Quantity,
    QuantityKind,
    SpeakerKind,
)


def claims_of(nlp, text, *, body_start=0, source="Harbor Gazette", quantities=(), mentions=()):
    article = Article(id="story.txt", text=text, source=source, body_start=body_start)
    doc = nlp(text[body_start:])
    return article, extract_claims(
        article, doc, offset=body_start, quantities=quantities, mentions=mentions
    )


def span_texts(article, claim):
    return [article.text[s.start : s.end] for s in claim.spans]


def find(claims, text):
    """The claim whose standalone text is ``text`` (case-insensitive, no final stop)."""
    wanted = text.lower().rstrip(".")
    matches = [c for c in claims if c.text.lower().rstrip(".") == wanted]
    assert matches, f"no claim {text!r} in {[c.text for c in claims]}"
    return matches[0]


def quantity_at(text, figure, kind=QuantityKind.AGE):
    start = text.index(figure)
    value = float(figure.rstrip("%"))
    return Quantity(figure, start, start + len(figure), value, value, value, kind)


def mention_at(text, name, label="PERSON"):
    start = text.index(name)
    return EntityMention(name, start, start + len(name), label)


# --------------------------------------------------------------------------- splitting


def test_coordinated_clauses_keep_their_subject(nlp):
    article, claims = claims_of(nlp, "Marta Olsen won the council vote and conceded nothing to her critics.")
    assert len(claims) == 2
    first = find(claims, "Marta Olsen won the council vote")
    second = find(claims, "Marta Olsen conceded nothing to her critics")
    assert span_texts(article, first) == ["Marta Olsen won the council vote"]
    assert span_texts(article, second) == ["Marta Olsen", "conceded nothing to her critics"]
    assert first.subject == second.subject == "Marta Olsen"


def test_coordinated_clauses_with_their_own_subjects_are_split_as_written(nlp):
    _, claims = claims_of(nlp, "Olsen served as a harbour pilot and her platform includes cheaper ferries.")
    find(claims, "Olsen served as a harbour pilot")
    find(claims, "Her platform includes cheaper ferries")


def test_a_short_conjunct_is_not_split_into_fragments(nlp):
    _, claims = claims_of(nlp, "Olsen smiled and waved.")
    assert [c.text for c in claims] == ["Olsen smiled and waved."]


def test_list_of_pledges_becomes_one_claim_per_item(nlp):
    text = (
        "Marta Olsen was a teacher in Varnes. Her platform has included pledging to expand "
        "solar output, raising the minimum wage, building new schools and hiring more nurses."
    )
    article, claims = claims_of(nlp, text)
    items = [
        "Her platform has included pledging to expand solar output",
        "Her platform has included raising the minimum wage",
        "Her platform has included building new schools",
        "Her platform has included hiring more nurses",
    ]
    listed = [find(claims, item) for item in items]
    assert all(c.modality is Modality.PLEDGE for c in listed)
    assert span_texts(article, listed[1]) == ["Her platform has included", "raising the minimum wage"]
    assert span_texts(article, listed[3]) == ["Her platform has included", "hiring more nurses."]
    assert len({c.sentence for c in listed}) == 1


def test_list_of_infinitives_shares_the_first_to(nlp):
    article, claims = claims_of(
        nlp, "Tomas Berg has pledged to cut ferry fares, hire 200 nurses and close the old mine."
    )
    find(claims, "Tomas Berg has pledged to cut ferry fares")
    hire = find(claims, "Tomas Berg has pledged to hire 200 nurses")
    find(claims, "Tomas Berg has pledged to close the old mine")
    assert span_texts(article, hire) == ["Tomas Berg has pledged to", "hire 200 nurses"]


def test_semicolon_joined_sentences_are_separate_claims(nlp):
    _, claims = claims_of(nlp, "Olsen leads in the polls; Berg struggles to expand his appeal.")
    find(claims, "Olsen leads in the polls")
    find(claims, "Berg struggles to expand his appeal")


def test_gapped_comparison_stays_one_claim(nlp):
    text = "In the first round, Olsen took nearly 31% of the vote and Berg about 22%."
    _, claims = claims_of(nlp, text)
    assert [c.text for c in claims] == [text]


def test_two_item_noun_list_is_not_split(nlp):
    _, claims = claims_of(nlp, "The campaign was dominated by housing and water prices.")
    assert len(claims) == 1


def test_appositive_age_becomes_its_own_claim_with_the_quantity(nlp):
    text = "Marta Olsen, 61, leader of the Coastal Party, has built her campaign around water prices."
    age = quantity_at(text, "61")
    person = mention_at(text, "Marta Olsen")
    party = mention_at(text, "the Coastal Party", "ORG")
    article, claims = claims_of(nlp, text, quantities=[age], mentions=[person, party])
    main = find(claims, "Marta Olsen has built her campaign around water prices")
    aged = find(claims, "Marta Olsen is 61")
    leader = find(claims, "Marta Olsen is leader of the Coastal Party")
    assert len(claims) == 3
    assert aged.quantities == (age,) and main.quantities == () and leader.quantities == ()
    assert span_texts(article, aged) == ["Marta Olsen", "61"]
    assert span_texts(article, main) == ["Marta Olsen", "has built her campaign around water prices."]
    assert party in leader.entities and party not in main.entities
    assert all(person in c.entities for c in claims)
    assert aged.subject == "Marta Olsen"


def test_title_appositive_becomes_an_is_claim(nlp):
    _, claims = claims_of(nlp, "Berg, a centrist candidate, secured 52% of the vote.")
    find(claims, "Berg is a centrist candidate")
    find(claims, "Berg secured 52% of the vote")


def test_appositive_without_a_comma_is_left_alone(nlp):
    _, claims = claims_of(nlp, "The race pits centrist challenger Tomas Berg against the mayor.")
    assert len(claims) == 1


def test_a_date_set_beside_a_weekday_stays_in_its_claim(nlp):
    # "Wednesday is September 17" is no claim: the date says when the decision came
    text = "The board decided to cut the levy on Wednesday (September 17), its chair said."
    start = text.index("September 17")
    date = Quantity("September 17", start, start + 12, 0.0, 0.0, 0.0, QuantityKind.DATE)
    _, claims = claims_of(nlp, text, quantities=[date])
    assert len(claims) == 1
    assert claims[0].quantities == (date,)


def test_who_clause_becomes_its_own_claim(nlp):
    _, claims = claims_of(nlp, "Berg, who ran for mayor twice, focused his campaign on ferry fares.")
    find(claims, "Berg ran for mayor twice")
    find(claims, "Berg focused his campaign on ferry fares")


# --------------------------------------------------------------------------- subjects


def test_pronoun_subject_is_resolved_to_previous_person(nlp):
    text = "Tomas Berg won the regional election on Sunday. He promised to lower ferry fares."
    article, claims = claims_of(nlp, text)
    claim = find(claims, "Tomas Berg promised to lower ferry fares")
    assert claim.subject == "Tomas Berg"
    assert span_texts(article, claim) == ["He promised to lower ferry fares."]  # spans unchanged


def test_pronoun_is_resolved_through_a_chain_of_sentences(nlp):
    text = "Tomas Berg won the vote. He thanked his staff. He promised to lower ferry fares."
    _, claims = claims_of(nlp, text)
    find(claims, "Tomas Berg promised to lower ferry fares")


def test_pronoun_without_a_recent_person_subject_is_left_alone(nlp):
    text = (
        "Tomas Berg won the vote. The harbour was quiet on Monday. Ferries ran late all week. "
        "He promised to lower ferry fares."
    )
    _, claims = claims_of(nlp, text)
    claim = find(claims, "He promised to lower ferry fares")
    assert claim.subject == "He"


def test_subject_is_the_subject_surface_text(nlp):
    _, claims = claims_of(nlp, "The regional government approved the ferry budget.")
    assert claims[0].subject == "The regional government"


# --------------------------------------------------------------------------- speakers


def test_claims_default_to_the_outlet(nlp):
    _, claims = claims_of(nlp, "The council approved the budget on Monday.", source="Valley Courier")
    assert claims[0].speaker.name == "Valley Courier"
    assert claims[0].speaker.kind is SpeakerKind.OUTLET


def test_quoted_speech_belongs_to_the_person_who_said_it(nlp):
    text = (
        "Tomas Berg conceded on Monday.\n"
        "“The harbour deserves better leaders,” Berg said while leaving the hall. "
        "“We knocked on every single door.”"
    )
    _, claims = claims_of(nlp, text)
    quoted = find(claims, "The harbour deserves better leaders")
    continued = find(claims, "We knocked on every single door")
    for claim in (quoted, continued):
        assert claim.speaker.name == "Tomas Berg" or claim.speaker.name == "Berg"
        assert claim.speaker.kind is SpeakerKind.PERSON
    assert quoted.modality is Modality.OPINION  # evaluative words in someone's speech
    frame = find(claims, "Berg said while leaving the hall")
    assert frame.speaker.kind is SpeakerKind.OUTLET


def test_reported_speech_with_said_that_and_a_pronoun_speaker(nlp):
    text = "Lena Ortiz toured the bridge on Friday. She said that the bridge would reopen in May."
    _, claims = claims_of(nlp, text)
    claim = find(claims, "The bridge would reopen in May")
    assert claim.speaker.name == "Lena Ortiz"
    assert claim.speaker.kind is SpeakerKind.PERSON
    assert claim.modality is Modality.PREDICTION


def test_told_outlet_that_gives_the_speaker_and_their_pronoun(nlp):
    text = "Lena Ortiz told the Valley Courier that she would resign if the plant closed."
    _, claims = claims_of(nlp, text)
    claim = find(claims, "Lena Ortiz would resign if the plant closed")
    assert claim.speaker.name == "Lena Ortiz"
    assert claim.modality is Modality.PLEDGE


def test_reporter_line_ending_in_a_quote(nlp):
    text = (
        'Dana Whitfield, the Gazette\'s harbour reporter, writing from Varnes: "Most fishermen '
        'here want the old mayor back, and they say so loudly."'
    )
    _, claims = claims_of(nlp, text)
    quoted = [c for c in claims if "fishermen" in c.text]
    assert quoted and all(c.speaker.name == "Dana Whitfield" for c in quoted)
    find(claims, "Dana Whitfield is the Gazette's harbour reporter")


def test_according_to_gives_the_speaker(nlp):
    text = "According to the election office, turnout reached 64% on Sunday."
    article, claims = claims_of(nlp, text)
    assert len(claims) == 1
    claim = claims[0]
    assert claim.text == "Turnout reached 64% on Sunday."
    assert claim.speaker.name == "the election office"
    assert claim.speaker.kind is SpeakerKind.PERSON
    assert span_texts(article, claim) == ["turnout reached 64% on Sunday."]


def test_according_to_in_mid_sentence(nlp):
    text = "Turnout, according to Lena Ortiz, was the highest in a decade."
    _, claims = claims_of(nlp, text)
    assert [c.speaker.name for c in claims] == ["Lena Ortiz"]
    assert claims[0].text == "Turnout was the highest in a decade."


def test_as_x_reported_gives_the_speaker(nlp):
    _, claims = claims_of(nlp, "As the Varnes Herald reported, the ferry strike ended on Tuesday.")
    assert [(c.text, c.speaker.name) for c in claims] == [
        ("The ferry strike ended on Tuesday.", "the Varnes Herald")
    ]


def test_social_media_post_belongs_to_its_poster(nlp):
    text = (
        "Crowds gathered in Varnes on Sunday night.\n\n"
        "🚨BREAKING: Thousands of residents fill the harbour square to cheer the new mayor\n\n"
        "The count is finally over. pic.twitter.com/Ab12Cd34 — Harbour Watch (@harbourwatch) March 3, 2026\n\n"
        "Officials confirmed the result on Monday."
    )
    article, claims = claims_of(nlp, text)
    post = [c for c in claims if c.speaker.kind is SpeakerKind.SOCIAL_POST]
    assert {c.speaker.name for c in post} == {"Harbour Watch (@harbourwatch)"}
    assert any("Thousands of residents fill the harbour square" in c.text for c in post)
    assert any(c.text == "The count is finally over." for c in post)
    for claim in claims:  # markers, links and signatures are not claim text
        said = " ".join(span_texts(article, claim))
        assert "pic.twitter" not in said and "@harbourwatch" not in said and "BREAKING" not in said
    assert find(claims, "Officials confirmed the result on Monday").speaker.kind is SpeakerKind.OUTLET
    assert find(claims, "Crowds gathered in Varnes on Sunday night").speaker.kind is SpeakerKind.OUTLET


def test_post_without_signature_is_an_anonymous_social_post(nlp):
    text = "🚨 BREAKING: The mayor of Varnes has resigned\n\nThe council meets on Friday."
    _, claims = claims_of(nlp, text)
    post = find(claims, "The mayor of Varnes has resigned")
    assert post.speaker.name == "social media post"
    assert post.speaker.kind is SpeakerKind.SOCIAL_POST
    assert find(claims, "The council meets on Friday").speaker.kind is SpeakerKind.OUTLET


# --------------------------------------------------------------------------- modality


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Lena Ortiz promised to build a new bridge.", Modality.PLEDGE),
        ("Lena Ortiz has proposed a tax on cruise ships.", Modality.PLEDGE),
        ("Lena Ortiz wants to close the old mine.", Modality.PLEDGE),
        ("Lena Ortiz will cut property taxes.", Modality.PLEDGE),
        ("The bridge is expected to open in 2027.", Modality.PREDICTION),
        ("Turnout could exceed 60% this year.", Modality.PREDICTION),
        ("Polls show Ortiz with a clear lead.", Modality.PREDICTION),
        ("Ortiz is scheduled to take office on January 8.", Modality.PREDICTION),
        ("Ortiz is set to take office on January 8.", Modality.PREDICTION),
        ("Ortiz will become the first mayor from the island.", Modality.PREDICTION),
        ("Ortiz is perceived by many as a moderate.", Modality.OPINION),
        ("Ortiz has criticised the port authority.", Modality.OPINION),
        ("The council approved the budget on Monday.", Modality.FACT),
    ],
)
def test_pledge_and_prediction_modality(nlp, sentence, modality):
    _, claims = claims_of(nlp, sentence)
    assert [c.modality for c in claims] == [modality]


def test_a_warning_is_an_opinion_of_the_one_who_warns(nlp):
    _, claims = claims_of(nlp, "Critics warn the new port could ruin the fishing grounds.")
    assert len(claims) == 1
    assert claims[0].speaker.name == "Critics"
    assert claims[0].modality is Modality.OPINION


# --------------------------------------------------------------------------- offsets


def test_spans_point_into_original_text_with_offset(nlp):
    text = "date 2025-01-02 Marta Olsen won the council vote and conceded nothing to her critics."
    body_start = len("date 2025-01-02 ")
    person = mention_at(text, "Marta Olsen")
    article, claims = claims_of(nlp, text, body_start=body_start, mentions=[person])
    assert span_texts(article, claims[0]) == ["Marta Olsen won the council vote"]
    assert span_texts(article, claims[1]) == ["Marta Olsen", "conceded nothing to her critics"]
    assert article.text[claims[0].sentence.start : claims[0].sentence.end] == text[body_start:]
    assert all(person in c.entities for c in claims)


def test_ids_are_numbered_in_text_order(nlp):
    text = "Olsen won the vote. Berg, a centrist candidate, conceded. The council met on Monday."
    _, claims = claims_of(nlp, text)
    assert [c.id for c in claims] == [f"story.txt#{n}" for n in range(len(claims))]
    starts = [c.start for c in claims]
    assert starts == sorted(starts)
    assert all(c.article_id == "story.txt" for c in claims)


def test_quantities_attach_only_inside_claim_spans(nlp):
    text = "Olsen received 54.2% of the vote and Berg conceded shortly before midnight."
    share = quantity_at(text, "54.2%", QuantityKind.PERCENT)
    _, claims = claims_of(nlp, text, quantities=[share])
    assert find(claims, "Olsen received 54.2% of the vote").quantities == (share,)
    assert find(claims, "Berg conceded shortly before midnight").quantities == ()


# --------------------------------------------------------------------------- coverage

STORY = """Olsen Wins Varnes Mayoral Race
Marta Olsen has been elected mayor of Varnes after a long campaign over ferry fares.
Olsen received 54.2% of the vote, according to the city election office.
Her rival, Tomas Berg, took roughly 45% and conceded shortly before midnight.

Results And Reactions
Berg, 52, is a former harbour pilot who has never held office. He said that the result was fair.
“We will keep fighting for the islands,” Berg told supporters. “This is not the end.”
Olsen will be sworn in on January 8. She has promised to freeze fares and to build a new pier.
"""


def test_headline_lines_are_not_claims(nlp):
    article, claims = claims_of(nlp, STORY)
    for headline in ("Olsen Wins Varnes Mayoral Race", "Results And Reactions"):
        start = STORY.index(headline)
        end = start + len(headline)
        assert not any(s.start < end and start < s.end for c in claims for s in c.spans), headline
    # the line after a headline keeps its own subject even if the parser ran the two together
    find(claims, "Berg is 52")


def test_line_after_a_headline_keeps_its_subject(nlp):
    text = "Promises And Risks\nTomas Berg has pledged to cut ferry fares, hire 200 nurses and close the old mine."
    _, claims = claims_of(nlp, text)
    assert [c.text for c in claims] == [
        "Tomas Berg has pledged to cut ferry fares",
        "Tomas Berg has pledged to hire 200 nurses",
        "Tomas Berg has pledged to close the old mine.",
    ]
    assert all(c.subject == "Tomas Berg" for c in claims)


def test_every_sentence_is_covered(nlp):
    article, claims = claims_of(nlp, STORY)
    sentences = [
        "Marta Olsen has been elected mayor",
        "Olsen received 54.2% of the vote",
        "Her rival, Tomas Berg, took roughly 45%",
        "Berg, 52, is a former harbour pilot",
        "He said that the result was fair",
        "We will keep fighting for the islands",
        "This is not the end",
        "Olsen will be sworn in on January 8",
        "She has promised to freeze fares",
    ]
    for sentence in sentences:
        start = STORY.index(sentence)
        assert any(c.sentence.start <= start < c.sentence.end for c in claims), sentence
    for claim in claims:
        assert all(claim.sentence.start <= s.start <= s.end <= claim.sentence.end for s in claim.spans)
        assert all(article.text[s.start : s.end] == article.text[s.start : s.end].strip() for s in claim.spans)


def test_claims_are_never_fragments(nlp):
    _, claims = claims_of(nlp, STORY)
    assert all(len(c.text.split()) >= MIN_CLAIM_WORDS for c in claims)


def test_whitespace_only_article_has_no_claims(nlp):
    assert claims_of(nlp, "  \n\n \t\n")[1] == []


def test_grouping_a_long_chain_of_heads_walks_each_token_once():
    """A line of machine text can parse as one chain of a thousand heads: finding each
    token's root must not cost the chain's length squared."""
    from claimcheck.claims import _components, _root_of

    class Chain:  # token i's head is i + 1; the last token heads itself
        def __init__(self, n):
            self.n, self.calls = n, 0

        def head(self, i):
            self.calls += 1
            return min(i + 1, self.n - 1)

    n = 3000
    chain, tokens = Chain(n), frozenset(range(n))
    assert _components(chain, tokens) == {n - 1: tokens}
    assert chain.calls <= 4 * n
    split = frozenset(range(n)) - {1500}  # two components: the chain cut in two
    assert {root: len(m) for root, m in _components(Chain(n), split).items()} == {1499: 1500, n - 1: 1499}
    assert _root_of(Chain(50), 0, frozenset(range(50))) == 49  # the same roots as one walk each
