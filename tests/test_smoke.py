def test_analyst_creates_a_claim(api, analyst, paper, tag):
    r = api.as_user(analyst).post(
        "/api/v1/claims/",
        {
            "paper": paper.slug,
            "target": {"exact": "not an alliance"},
            "statement": "Not an alliance.",
            "tags": [tag.slug],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["target"] == {
        "start": 11,
        "end": 26,
        "exact": "not an alliance",
        "prefix": "The SCO is ",
        "suffix": ". It fights the three evils.\n\nTh",
    }
    assert body["status"] == "pending"
