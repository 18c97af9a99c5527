"""The project's ranking learned from its judgements: once enough claims are judged, suggestions use weights
fitted on them (in a background thread in the web process), never before."""

import numpy as np
import pytest

from annotations.models import Link
from annotations.suggest import Reranker
from suggestions import indexing, learning
from tests.factories import AuthorFactory, ClaimFactory, LinkFactory, PaperFactory, TagFactory

SENTENCES_A = [
    "The SCO is not an alliance against anyone.",
    "Joint exercises fight the three evils every year.",
    "Energy cooperation binds Central Asia to China.",
    "Drug trafficking from Afghanistan worries every member.",
]
SENTENCES_B = [
    "Beijing says the organisation is no alliance against a third party.",
    "Every year the members train together against terrorism, separatism and extremism.",
    "Pipelines tie the Central Asian states to the Chinese market.",
    "Narcotics from Afghanistan are a shared worry of the members.",
    "Trade in the region keeps growing.",
]


@pytest.fixture(autouse=True)
def fresh_process():
    indexing.forget_project_indexes()
    learning.forget_models()
    yield
    indexing.forget_project_indexes()
    learning.forget_models()


@pytest.fixture
def judged(db, analyst):
    a = PaperFactory(slug="a-xu", authors=[AuthorFactory(name="Xu")], text=" ".join(SENTENCES_A))
    b = PaperFactory(slug="b-yu", authors=[AuthorFactory(name="Yu")], text=" ".join(SENTENCES_B))
    tag = TagFactory(slug="security")
    claims = []
    for sa, sb in zip(SENTENCES_A, SENTENCES_B, strict=False):
        start_a, start_b = a.text.index(sa), b.text.index(sb)
        mine = ClaimFactory(paper=a, at=(start_a, start_a + len(sa)), created_by=analyst, statement=sa, tags=[tag])
        theirs = ClaimFactory(paper=b, at=(start_b, start_b + len(sb)), created_by=analyst, statement=sb, tags=[tag])
        LinkFactory(source=theirs, target=mine, relation=Link.Relation.SUPPORTS, created_by=analyst)
        claims.append(mine)
    return claims


def test_judged_claims_train_the_ranking(api, analyst, judged):
    response = api.as_user(analyst).get(f"/api/v1/claims/{judged[0].pk}/suggestions/")
    assert response.status_code == 200
    fitted = list(learning._FITTED.values())
    assert len(fitted) == 1
    assert fitted[0].claims >= learning.MIN_CLAIMS
    assert not np.allclose(fitted[0].reranker.weights, Reranker().weights)


def test_too_few_judged_claims_keep_the_default_weights(api, analyst, judged):
    Link.objects.exclude(target=judged[0]).delete()  # one link: its two ends are judged, fewer than needed
    api.as_user(analyst).get(f"/api/v1/claims/{judged[0].pk}/suggestions/")
    assert learning._FITTED == {}


def test_in_the_web_process_the_fit_runs_in_a_thread(api, analyst, judged, settings, monkeypatch):
    settings.SUGGEST_IN_BACKGROUND = True
    started = []

    class Thread:
        def __init__(self, target, **kwargs):
            self.target = target

        def start(self):
            started.append(self.target)

    monkeypatch.setattr(learning.threading, "Thread", Thread)
    api.as_user(analyst)
    assert api.get(f"/api/v1/claims/{judged[0].pk}/suggestions/").status_code == 200  # the defaults meanwhile
    assert len(started) == 1
    assert learning._FITTED == {}
    started[0]()  # the thread's work
    assert len(learning._FITTED) == 1
    assert api.get(f"/api/v1/claims/{judged[0].pk}/suggestions/").status_code == 200
    assert len(started) == 1  # fitted once for this state of the knowledge
