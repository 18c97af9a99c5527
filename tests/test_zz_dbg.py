import json
import pytest
from tests.exchange_world import build_world
pytestmark = pytest.mark.django_db
def test_dbg(api, analyst, moderator):
    build_world(analyst=analyst, moderator=moderator)
    d = json.loads(b"".join(api.as_user(moderator).get("/api/v1/export/claims.json").streaming_content))
    print("FIRST", d["claims"][0]["tags"], d["claims"][0].get("codings"), d["claims"][0]["statement"])
