"""Numbers in query strings: only ASCII digits of a sane size count ("²" and "٣" are digits to Python's
str.isdigit, and int() refuses the first; a 30-digit id overflows SQLite). None of them may be a 500."""

import pytest

from annotations.parsing import whole_number
from tests.factories import AuthorFactory, PaperFactory

pytestmark = pytest.mark.django_db

ODD = ["²", "٣", "1²", "99999999999999999999999999999", "-1", "", " 3", "3.0"]


@pytest.mark.parametrize("text", ODD)
def test_odd_digits_are_not_whole_numbers(text):
    assert whole_number(text) is None


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("42", 42), ("007", 7)])
def test_ascii_digits_are(text, value):
    assert whole_number(text) == value


def test_a_maximum_bounds_the_value():
    assert whole_number("500", maximum=500) == 500
    assert whole_number("501", maximum=500) is None


@pytest.mark.parametrize("author", ODD[:4])
def test_papers_page_filters_by_odd_author_values_without_failing(client, reader, author):
    PaperFactory(slug="masuda-2010", authors=[AuthorFactory(name="Masayuki Masuda")])
    client.force_login(reader)
    response = client.get("/papers/", {"author": author})
    assert response.status_code == 200
    assert b"masuda-2010" not in response.content


@pytest.mark.parametrize("start", ["²", "99999999999999999999999999999"])
def test_reader_fragment_ignores_a_range_that_is_not_numbers(client, reader, start):
    PaperFactory(slug="masuda-2010")
    client.force_login(reader)
    response = client.get("/papers/masuda-2010/text/", {"start": start, "end": "3"})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_compare_refuses_an_odd_limit_with_a_400(api, reader):
    response = api.as_user(reader).get("/api/v1/compare/", {"limit": "²"})
    assert response.status_code == 400
    assert "limit" in response.json()


def test_w3c_export_refuses_an_odd_page_with_a_400(api, reader):
    response = api.as_user(reader).get("/api/v1/export/w3c.jsonld", {"page": "²"})
    assert response.status_code == 400
    assert "page" in response.json()
