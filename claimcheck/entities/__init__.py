"""People, organisations and places: mentions with titles, and one record per entity.

One module per job:

* ``offices`` — office knowledge from ``claimcheck/data/offices.yaml``: which words name an
  office and which offices one person can hold together;
* ``names`` — name folding and comparison (same, accent-only, short form, spelling variant);
* ``titles`` and ``mentions`` — reading one parsed article: its name mentions and the
  titles attached to them;
* ``linking`` — one ``Entity`` per person, organisation or place across a story.
"""

from claimcheck.entities.linking import (
    entity_spelling_variants,
    is_person_description,
    link_entities,
    resolve_description,
)
from claimcheck.entities.mentions import extract_mentions
from claimcheck.entities.names import NameRelation, compare_names, fold_name, organisation_spelling_variant
from claimcheck.entities.offices import OFFICES, offices_compatible
from claimcheck.entities.titles import ROLE_WORDS

__all__ = [
    "OFFICES",
    "ROLE_WORDS",
    "NameRelation",
    "compare_names",
    "entity_spelling_variants",
    "extract_mentions",
    "fold_name",
    "is_person_description",
    "link_entities",
    "offices_compatible",
    "organisation_spelling_variant",
    "resolve_description",
]
