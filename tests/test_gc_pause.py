"""The analyses pause the cyclic garbage collector while they build their rows, and always give it back."""

import gc

import pytest

from annotations.gc_pause import collector_paused


def test_the_collector_is_paused_inside_and_given_back_after_an_error_too():
    seen = []

    def fail_inside():
        with collector_paused():
            with collector_paused():  # nested: the outer pause still holds after the inner one
                pass
            seen.append(gc.isenabled())
            raise RuntimeError

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        fail_inside()
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_someone_else_disabled_stays_disabled():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("url", ["/api/v1/map/", "/api/v1/compare/", "/api/v1/map/?relation=nonsense"])
def test_the_analyses_answer_with_the_collector_running_again(api, reader, url):
    response = api.as_user(reader).get(url)
    assert response.status_code in (200, 400)
    assert response.json()
    assert gc.isenabled()
