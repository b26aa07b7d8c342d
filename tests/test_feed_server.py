"""The feed over real HTTP: a waitress server on a free loopback port, a plain client."""

from __future__ import annotations

import gzip
import http.client
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from followup.engine.errors import RulesError
from followup.engine.feed.server import (
    FeedApp,
    accepts_gzip,
    etag_matches,
    load_or_create_token,
    needs_token,
)
from tests.feed_support import (
    NOW,
    ControlledInputs,
    cache_for,
    fetch,
    fetch_settled,
    serving,
    site,
)

TOKEN = "s3cret-token-for-tests-only"


@pytest.fixture
def inputs() -> ControlledInputs:
    return ControlledInputs()


@pytest.fixture
def base(inputs: ControlledInputs) -> Iterator[str]:
    app = FeedApp(cache_for(inputs), site(), clock=lambda: NOW)
    with serving(app) as url:
        yield url


def test_the_feed_is_served_as_utf8_text_calendar_with_validators(base: str) -> None:
    response = fetch(base + "/calendar.ics")
    assert response.status == 200
    assert response.header("Content-Type") == "text/calendar; charset=utf-8"
    assert response.body.startswith(b"BEGIN:VCALENDAR\r\n")
    etag = response.header("ETag")
    assert etag is not None and etag.startswith('"') and not etag.startswith("W/")
    assert response.header("Last-Modified")
    assert response.header("Content-Length") == str(len(response.body))
    assert response.header("Content-Encoding") is None


def test_a_client_sending_no_accept_header_at_all_gets_the_feed(base: str) -> None:
    # fetch() sends only Host: no Accept, no Accept-Encoding, no User-Agent, like Google.
    response = fetch(base + "/calendar.ics")
    assert response.status == 200
    assert b"Thank Acme" in response.body


def test_a_second_request_with_the_etag_gets_304_and_no_body(base: str) -> None:
    first = fetch(base + "/calendar.ics")
    etag = first.header("ETag")
    assert etag is not None
    second = fetch(base + "/calendar.ics", headers={"If-None-Match": etag})
    assert second.status == 304
    assert second.body == b""
    assert second.header("ETag") == etag


def test_if_modified_since_the_last_change_gets_304(base: str) -> None:
    first = fetch(base + "/calendar.ics")
    modified = first.header("Last-Modified")
    assert modified is not None
    assert fetch(base + "/calendar.ics", headers={"If-Modified-Since": modified}).status == 304
    earlier = format_datetime(NOW - timedelta(days=400), usegmt=True)
    assert fetch(base + "/calendar.ics", headers={"If-Modified-Since": earlier}).status == 200


def test_a_stale_etag_gets_the_new_feed(inputs: ControlledInputs) -> None:
    cache = cache_for(inputs)
    with serving(FeedApp(cache, site(), clock=lambda: NOW)) as base:
        etag = fetch(base + "/calendar.ics").header("ETag")
        assert etag is not None
        inputs.change(b="Thank Globex")
        response = fetch_settled(cache, base + "/calendar.ics", {"If-None-Match": etag})
    assert response.status == 200
    assert b"Thank Globex" in response.body
    assert response.header("ETag") != etag


def test_the_feed_is_gzipped_for_clients_that_accept_it(base: str) -> None:
    plain = fetch(base + "/calendar.ics")
    zipped = fetch(base + "/calendar.ics", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.header("Content-Encoding") == "gzip"
    assert zipped.header("Vary") == "Accept-Encoding"
    assert gzip.decompress(zipped.body) == plain.body
    assert zipped.header("ETag") != plain.header("ETag")
    refused = fetch(base + "/calendar.ics", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert refused.header("Content-Encoding") is None


def test_the_gzip_etag_revalidates_too(base: str) -> None:
    zipped = fetch(base + "/calendar.ics", headers={"Accept-Encoding": "gzip"})
    etag = zipped.header("ETag")
    assert etag is not None
    again = fetch(
        base + "/calendar.ics", headers={"Accept-Encoding": "gzip", "If-None-Match": etag}
    )
    assert again.status == 304


def test_head_gives_the_headers_of_get_without_the_body(base: str) -> None:
    get = fetch(base + "/calendar.ics")
    head = fetch(base + "/calendar.ics", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
        assert head.header(name) == get.header(name)


def test_a_burst_of_requests_after_a_change_costs_one_build(
    base: str, inputs: ControlledInputs
) -> None:
    fetch(base + "/calendar.ics")
    inputs.change(b="Thank Globex")
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: fetch(base + "/calendar.ics"), range(40)))
    assert {r.status for r in responses} == {200}
    assert inputs.builds == 2


def test_a_broken_rules_file_keeps_serving_the_last_good_feed_and_the_page_says_why(
    inputs: ControlledInputs,
) -> None:
    cache = cache_for(inputs)
    with serving(FeedApp(cache, site(), clock=lambda: NOW)) as base:
        good = fetch(base + "/calendar.ics")
        inputs.current_version = 2
        inputs.failure = RulesError("a rule needs an id", path="rules.yaml", line=12, column=5)
        # the look that finds the broken file runs after the answer: wait for it, so that
        # the page is asked for once it has failed (on a loaded machine it may finish late)
        again = fetch_settled(cache, base + "/calendar.ics")
        page = fetch(base + "/").body.decode()
    assert again.status == 200
    assert again.body == good.body
    assert "Could not update the calendar" in page
    assert "rules.yaml:12:5: a rule needs an id" in page


def test_post_is_refused_with_405(base: str) -> None:
    response = fetch(base + "/calendar.ics", method="POST")
    assert response.status == 405
    assert response.header("Allow") == "GET, HEAD"


def test_other_methods_are_refused(base: str) -> None:
    for method in ("PUT", "DELETE", "OPTIONS", "PROPFIND", "TRACE"):
        assert fetch(base + "/calendar.ics", method=method).status == 405


def test_a_request_with_a_body_is_refused(base: str) -> None:
    response = fetch(base + "/calendar.ics", method="POST", body=b"BEGIN:VCALENDAR")
    assert response.status == 413
    get_with_body = fetch(base + "/calendar.ics", method="GET", body=b"x" * 10)
    assert get_with_body.status == 413


def test_no_path_reaches_the_file_system(base: str) -> None:
    for path in (
        "/../pyproject.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/calendar.ics/../../etc/passwd",
        "/etc/passwd",
        "/tests/",
        "/calendar.ics/",
        "/index.html",
    ):
        response = fetch(base + path)
        assert response.status == 404, path
        assert b"root:" not in response.body


def test_errors_come_without_tracebacks(base: str) -> None:
    response = fetch(base + "/nowhere")
    assert response.body == b"Not found.\n"
    assert response.header("Server") == "followup"


def test_a_query_string_does_not_change_the_feed(base: str) -> None:
    plain = fetch(base + "/calendar.ics")
    busted = fetch(base + "/calendar.ics?nocache=12345")
    assert busted.body == plain.body


@pytest.fixture
def private_base(inputs: ControlledInputs) -> Iterator[str]:
    app = FeedApp(cache_for(inputs), site(token=TOKEN), clock=lambda: NOW)
    with serving(app) as url:
        yield url


def test_with_a_token_the_feed_and_page_live_under_it(private_base: str) -> None:
    assert fetch(f"{private_base}/{TOKEN}/calendar.ics").status == 200
    page = fetch(f"{private_base}/{TOKEN}/")
    assert page.status == 200
    assert f"/{TOKEN}/calendar.ics" in page.body.decode()


def test_a_wrong_or_missing_token_gets_404_not_403(private_base: str) -> None:
    for path in (
        "/calendar.ics",
        "/",
        f"/{TOKEN[:-1]}/calendar.ics",
        f"/{TOKEN}x/calendar.ics",
        f"/x{TOKEN}/",
        f"/{TOKEN.upper()}/calendar.ics",
    ):
        response = fetch(private_base + path)
        assert response.status == 404, path
        assert response.body == b"Not found.\n"


def test_a_wrong_token_gets_404_whatever_the_method(private_base: str) -> None:
    assert fetch(private_base + "/calendar.ics", method="POST").status == 404
    assert fetch(private_base + "/wrong/calendar.ics", method="DELETE").status == 404


def test_the_token_without_a_slash_is_redirected_to_the_page(private_base: str) -> None:
    response = fetch(f"{private_base}/{TOKEN}")
    assert response.status == 308
    assert response.header("Location") == f"/{TOKEN}/"


def test_the_token_is_made_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "config" / "feed-token"
    token, created = load_or_create_token(path)
    assert created
    assert len(token) >= 32
    assert path.stat().st_mode & 0o777 == 0o600
    again, created_again = load_or_create_token(path)
    assert (again, created_again) == (token, False)


def test_a_damaged_token_file_gets_a_new_token(tmp_path: Path) -> None:
    path = tmp_path / "feed-token"
    path.write_text("short\n")
    token, created = load_or_create_token(path)
    assert created and token != "short"


def test_only_loopback_addresses_go_without_a_token() -> None:
    assert not needs_token("127.0.0.1")
    assert not needs_token("127.0.0.2")
    assert not needs_token("::1")
    assert not needs_token("localhost")
    assert needs_token("0.0.0.0")
    assert needs_token("::")
    assert needs_token("192.168.1.20")
    assert needs_token("myhost.local")


def test_accept_encoding_is_read_with_its_weights() -> None:
    assert accepts_gzip("gzip")
    assert accepts_gzip("deflate, gzip;q=0.5")
    assert accepts_gzip("*")
    assert not accepts_gzip(None)
    assert not accepts_gzip("")
    assert not accepts_gzip("identity")
    assert not accepts_gzip("gzip;q=0")
    assert not accepts_gzip("*;q=0")
    assert not accepts_gzip("gzip;q=0, *")


def test_if_none_match_lists_and_stars_match() -> None:
    assert etag_matches('"a", "b"', '"b"')
    assert etag_matches('W/"b"', '"b"')
    assert etag_matches("*", '"b"')
    assert not etag_matches('"c"', '"b"')
    assert not etag_matches("b", '"b"')


def test_the_server_answers_on_the_loopback_port_it_reports(inputs: ControlledInputs) -> None:
    app = FeedApp(cache_for(inputs), site(), clock=lambda: NOW)
    with serving(app) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5):
            pass
        assert host == "127.0.0.1"


def test_stopping_the_server_ends_its_threads_and_open_connections(
    inputs: ControlledInputs,
) -> None:
    before = {thread.ident for thread in threading.enumerate()}
    app = FeedApp(cache_for(inputs), site(), clock=lambda: NOW)
    with serving(app) as url:
        host, port = url.removeprefix("http://").split(":")
        idle = http.client.HTTPConnection(host, int(port), timeout=10)
        idle.request("GET", "/calendar.ics")
        assert idle.getresponse().read()
        # The connection stays open (keep-alive) while the server stops.
    left = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
    assert left == []
    idle.request("GET", "/calendar.ics")
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        idle.getresponse()
    idle.close()


def test_requests_that_overlap_a_slow_rebuild_are_answered_at_once_and_cost_one_build(
    inputs: ControlledInputs,
) -> None:
    cache = cache_for(inputs)
    with serving(FeedApp(cache, site(), clock=lambda: NOW)) as base:
        old = fetch(base + "/calendar.ics")
        inputs.change(b="Thank Globex")
        # The source turns slow: the rebuild the next request starts is held open until
        # every request below has been answered, so none of them can have waited for it.
        inputs.gate = threading.Event()
        inputs.started.clear()
        together = threading.Barrier(12)

        def client() -> bytes:
            together.wait(timeout=10)
            return fetch(base + "/calendar.ics").body

        with ThreadPoolExecutor(max_workers=12) as pool:
            answered = [f.result(timeout=30) for f in [pool.submit(client) for _ in range(12)]]
        assert inputs.started.wait(timeout=10), "a request started the rebuild"
        assert answered == [old.body] * 12
        inputs.gate.set()
        cache.settle(timeout=10)
        assert inputs.builds == 2, "a burst costs one build"
        assert b"Thank Globex" in fetch(base + "/calendar.ics").body
        assert inputs.builds == 2
