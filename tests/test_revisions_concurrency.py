"""A claim created while a revision is being made lands on the new text, never on the replaced one."""

import threading

import pytest
from django.db import connection, connections

from annotations import reanchoring, services
from annotations.models import Claim, Paper
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_claim_created_during_a_revision_waits_for_it_and_lands_on_the_new_text(moderator, analyst, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    paper = PaperFactory(slug="racing", text="The SCO is not an alliance.\n")
    stale = Paper.objects.get(pk=paper.pk)  # what the API read before the revision committed
    inside, release = threading.Event(), threading.Event()
    original = reanchoring.reanchor

    def slow_reanchor(*args, **kwargs):
        inside.set()
        release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(reanchoring, "reanchor", slow_reanchor)
    errors = []

    def revise():
        try:
            services.paper_revise(paper=paper, by=moderator, text="Preface.\nThe SCO is not an alliance.\n")
        except Exception as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    def create():
        try:
            services.claim_create(created_by=analyst, paper=stale, target={"start": 0, "end": 8}, statement="x")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    reviser = threading.Thread(target=revise)
    reviser.start()
    assert inside.wait(10)
    creator = threading.Thread(target=create)
    creator.start()
    creator.join(0.5)
    assert creator.is_alive(), "claim_create must wait for the revision's lock on the paper"
    release.set()
    reviser.join(10)
    creator.join(10)
    assert not errors
    claim = Claim.objects.get(paper=paper)
    assert claim.exact == "Preface."
