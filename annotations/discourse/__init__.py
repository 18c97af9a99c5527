"""Discourse analysis over coded claims, pure (no ORM): the stance matrix, agreements and disagreements, and the
networks of Leifeld's Discourse Network Analyzer (actor x concept x agreement) with tags as concepts and stances
as agreement.

Who the actor of a claim is depends on `by`, and is decided once, in `attribution`:

- ``by="speaker"``: who holds the view, as DNA codes it: the speaker when there is one, otherwise each of the
  paper's authors. Names are matched case- and space-insensitively, so a quoted "pan guang" and the author
  "Pan Guang" are one actor (shown with the author's spelling).
- every other `by` groups the paper's own voice: ``author`` (each author), ``byline`` (the co-authors
  together, "Su Hao & Li Xin"), ``country`` and ``affiliation`` (of the authors, each distinct one),
  ``paper``, ``year`` and ``decade`` (of the paper). A claim with a `speaker` is a view the paper *reports*
  (a quoted official, a cited scholar): it is counted apart, as a report of those actors, and never as their
  own stance (not in a cell's balance, nor in agreements, disagreements or networks).

A claim counts under the tags it carries itself (not their parent tags), once for each of its actors; the
stance it takes on a tag comes from `stance_on`, the one place that decides it.
"""

from .attribution import (
    AGREEING,
    BY,
    BY_NAMES,
    COUNTING,
    DISAGREEING,
    NETWORKS,
    REPORTS_APART,
    STANCES,
    UNKNOWN,
    Attribution,
    ClaimRow,
    LinkRow,
    Network,
    TagRow,
    actors_of,
    attribution,
    stance_matrix,
    stance_on,
)
from .mapview import LABEL_LENGTH, compact_map, full_map, linked_only
from .networks import author_tag_network, conflict_network, congruence_network, counted_note, network
from .pairs import agreements, claim_pairs, disagreements, opposed, same

__all__ = [
    "AGREEING",
    "BY",
    "BY_NAMES",
    "COUNTING",
    "DISAGREEING",
    "LABEL_LENGTH",
    "NETWORKS",
    "REPORTS_APART",
    "STANCES",
    "UNKNOWN",
    "Attribution",
    "ClaimRow",
    "LinkRow",
    "Network",
    "TagRow",
    "actors_of",
    "agreements",
    "attribution",
    "author_tag_network",
    "claim_pairs",
    "compact_map",
    "conflict_network",
    "congruence_network",
    "counted_note",
    "disagreements",
    "full_map",
    "linked_only",
    "network",
    "opposed",
    "same",
    "stance_matrix",
    "stance_on",
]
