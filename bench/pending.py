"""Benches whose endpoints are being built in other branches. TODO: each is filled in by the later round.

They print as "not measured yet" rather than a number: a figure here must come from a real run.
"""

from .common import Row

PENDING = {
    "map": "TODO(map/compare branch): /api/v1/map/ and /api/v1/compare/ on 10,000 claims and 30,000 links.",
}


def make(name: str):
    def run(options) -> list[Row]:
        return [Row(name, "not measured yet", "-", "", PENDING[name])]

    return run
