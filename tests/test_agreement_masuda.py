"""The closing figure: the agreement of two analysts who coded masuda-2010 independently (one person playing both,
with deliberately different judgement: see the fixture's "about"), computed through the stored claims and the API,
and pinned so that a change to the measures or the selector that moves them is seen."""

import json

import pytest

from tests.conftest import Api
from tests.masuda_codings import store_masuda_codings

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db):
    world = store_masuda_codings()
    response = Api().as_user(world["owner"]).get("/api/v1/agreement/?analysts=ann,bo&paper=masuda-2010")
    assert response.status_code == 200
    return response.json()


def figure(data, key):
    return data[key]["value"], data[key]["units"]


def test_masuda_2010_coded_twice(report):
    found = {key: figure(report, key) for key in (
        "unitizing_alpha", "cu_alpha", "tag_alpha", "tag_kappa", "tag_ac1", "stance_alpha", "stance_kappa",
        "stance_ac1", "link_alpha",
    )}  # fmt: skip
    print(json.dumps({"units": report["units"], **found, "disagreements": report["disagreements_total"]}))
    # 14 claims each: 9 passages matched (Jaccard >= 0.5), 10 claims unmatched (5 of ann's whole sentences
    # against bo's clauses, and the reverse, and one claim each the other did not make).
    assert report["units"] == {"matched": 9, "unmatched": 10, "by_all": 9}
    assert found == {
        "unitizing_alpha": (0.6943, 28),  # over the whole paper: most of its text neither marked
        "cu_alpha": (0.2571, 26),
        "tag_alpha": (0.2555, 9),
        "tag_kappa": (0.2286, 9),
        "tag_ac1": (0.2806, 9),
        "stance_alpha": (0.0, 7),  # 6 of 7 shared-tag stances agree, nearly all "affirms": alpha and kappa see
        "stance_kappa": (0.0, 7),  # nothing beyond chance,
        "stance_ac1": (0.8285, 7),  # AC1 does
        "link_alpha": (-0.25, 3),
    }
    assert report["disagreements_total"] == 19
    assert all(report[key]["warning"] for key in ("tag_alpha", "stance_alpha", "link_alpha"))  # under 10 units
