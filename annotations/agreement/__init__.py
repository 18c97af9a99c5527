"""Inter-coder agreement, pure (plain data in, plain data out; no ORM): how far independent analysts who coded
the same papers agree on where the claims are, how they are tagged, which stance they take, and how claims
across papers are linked.

Measures, each returned as a `Measure` (the value, or None with the `reason` it is not defined, the number of
`units` it rests on, and a `warning` when they are few):

- `nominal_alpha`: Krippendorff's alpha for nominal data from reliability data (unit -> {coder: value}, values
  may be missing), through the coincidence matrix (Krippendorff 2019, *Content Analysis*, 4th ed., sec. 12.3).
- `cohen_kappa` (two coders, the units both coded), `fleiss_kappa` (any number of coders; Fleiss' formula needs
  the same number of ratings on every unit, so it uses the units every coder coded: complete cases, as
  statsmodels' `fleiss_kappa` assumes), `gwet_ac1` (Gwet 2008/2014, the multi-rater form, which allows missing
  ratings: agreement over the units rated at least twice, category prevalence over all rated units).
- `unitizing_alpha` and `cu_alpha`: the unitizing coefficients of Krippendorff, Mathet, Bouvry & Widlöcher
  (2016), "On the reliability of unitizing textual continua: Further developments", Quality & Quantity 50,
  and Krippendorff (2019, sec. 12.6.4-12.6.5): |u-alpha, the binary distinction between marked matter and the gaps, and
  cu-alpha, the values given to the code points that two coders both marked. Both rest on coincidences of
  lengths (code points) of intersecting segments, with expected coincidences corrected for a unit pairing
  with itself (a unit of length l contributes l**2 such pairs, a gap only l: a gap can be cut anywhere).
- `alpha_u_1995`: Krippendorff's earlier alpha_U (1995, Sociological Methodology 25; 2004, *Content Analysis*,
  2nd ed., sec. 11.6), a distance between unit boundaries; the measure INCEpTION reports (through DKPro
  Statistics). Kept to compare with them and to check our arithmetic against the worked examples published
  with it; the report uses the 2016 family, which behaves as expected with more than two coders.
- `match_units`, `link_alpha`, `pairwise` and `report`: see their docstrings and docs/agreement.md.

Nothing here divides by zero: a measure whose expected disagreement is zero (one category only, fewer than two
coders, nothing marked) is not defined, and says why.
"""

from .claims import STANCE_CATEGORIES, CodedClaim, CodedLink, _link_values, jaccard, link_alpha, match_units, report
from .measures import (
    ALPHA_NAME,
    DISAGREEMENTS_LISTED,
    FEW_UNITS,
    MATCH_JACCARD,
    NO_LINK,
    SYMMETRIC_RELATIONS,
    Measure,
    Reliability,
    coder_matrix,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    kappa,
    nominal_alpha,
    pairwise,
    presence_alpha,
)
from .unitizing import CU_NAME, CuTally, Segments, alpha_u_1995, cu_alpha, cu_measure, cu_tally, unitizing_alpha

__all__ = [
    "ALPHA_NAME",
    "CU_NAME",
    "DISAGREEMENTS_LISTED",
    "FEW_UNITS",
    "MATCH_JACCARD",
    "NO_LINK",
    "STANCE_CATEGORIES",
    "SYMMETRIC_RELATIONS",
    "CodedClaim",
    "CodedLink",
    "CuTally",
    "Measure",
    "Reliability",
    "Segments",
    "_link_values",
    "alpha_u_1995",
    "coder_matrix",
    "cohen_kappa",
    "cu_alpha",
    "cu_measure",
    "cu_tally",
    "fleiss_kappa",
    "gwet_ac1",
    "jaccard",
    "kappa",
    "link_alpha",
    "match_units",
    "nominal_alpha",
    "pairwise",
    "presence_alpha",
    "report",
    "unitizing_alpha",
]
