"""How many examples the slow property tests draw: their full count locally, where Hypothesis explores with new
examples each run (and keeps the failures it finds in .hypothesis/), and at most CI_EXAMPLES under CI, where the
"ci" profile (conftest.py) derandomizes them into one fixed sample. Each of these tests draws small cases (a few
claims, links, edits), which a hundred fixed examples cover as well as three hundred; CI time goes to the
suite's breadth instead."""

import os

CI_EXAMPLES = 100


def examples(count: int) -> int:
    return min(count, CI_EXAMPLES) if os.environ.get("CI") else count
