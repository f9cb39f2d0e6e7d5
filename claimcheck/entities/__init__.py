"""People, organisations and places: mentions with titles, and one record per entity.

One module per job:

* ``offices`` — office knowledge from ``claimcheck/data/offices.yaml``: which words name an
  office and which offices one person can hold together;
* ``names`` — name folding and comparison (same, accent-only, short form, spelling variant);
* ``titles`` and ``mentions`` — reading one parsed article: its name mentions and the
  titles attached to them;
* ``linking`` — one ``Entity`` per person, organisation or place across a story.
"""

from claimcheck.entities.linking import is_person_description, link_entities, resolve_description
from claimcheck.entities.mentions import NameWord, extract_mentions, keep_mentions, name_runs
from claimcheck.entities.names import (
    NameRelation,
    SlipRules,
    compare_names,
    fold_name,
    name_spelling_variant,
    word_slip,
)
from claimcheck.entities.offices import OFFICES, offices_compatible
from claimcheck.entities.titles import ROLE_WORDS

__all__ = [
    "OFFICES",
    "ROLE_WORDS",
    "NameRelation",
    "NameWord",
    "SlipRules",
    "compare_names",
    "extract_mentions",
    "keep_mentions",
    "fold_name",
    "is_person_description",
    "link_entities",
    "name_runs",
    "name_spelling_variant",
    "offices_compatible",
    "resolve_description",
    "word_slip",
]
