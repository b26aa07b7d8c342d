"""Reading a calendar from a link over real HTTP: conditional re-reads, gzip, redirects, limits."""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.engine.errors import ServerError, SourceError
from followup.engine.sources.link import Limits, LinkAuth, origin, read_link, shown
from tests.link_server import Bomb, Drip, Endless, LinkServer, Redirect, Served, link_server

ROOT = Path(__file__).resolve().parent.parent
CALENDAR = (ROOT / "examples" / "interviews.ics").read_bytes()
SECRET = "/calendar/ical/alice%40example.com/private-8f14e45fceea167a5a36dedd4bea2543/basic.ics"


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def test_an_unchanged_link_costs_one_conditional_request_answered_304(server: LinkServer) -> None:
    server.routes[SECRET] = Served(CALENDAR)
    first = read_link(server.base + SECRET, fresh_for=0)
    again = read_link(server.base + SECRET, fresh_for=0)

    assert first.data == again.data == CALENDAR
    assert (first.status, again.status) == (200, 304)
    assert first.version == again.version
    seen = server.requests(SECRET)
    assert len(seen) == 2
    assert "if-none-match" not in seen[0].headers
    assert seen[1].headers["if-none-match"] == server.routes[SECRET].etag  # type: ignore[union-attr]
    assert seen[1].headers["if-modified-since"].endswith("GMT")


def test_a_changed_calendar_is_read_again_with_a_new_version(server: LinkServer) -> None:
    route = Served(CALENDAR)
    server.routes[SECRET] = route
    first = read_link(server.base + SECRET, fresh_for=0)
    route.change(CALENDAR.replace(b"ACME", b"Umbrella"))
    second = read_link(server.base + SECRET, fresh_for=0)

    assert second.status == 200
    assert b"Umbrella" in second.data
    assert second.version != first.version


def test_a_server_without_etags_is_asked_with_if_modified_since(server: LinkServer) -> None:
    server.routes[SECRET] = Served(CALENDAR)
    read_link(server.base + SECRET, fresh_for=0)
    # Forget the ETag in the kept copy, as a server that never sent one would leave it.
    from followup.engine.folders import cache_dir

    meta = next((cache_dir() / "links").glob("*.json"))
    meta.write_text(meta.read_text().replace('"etag": "', '"etag_was": "'))
    again = read_link(server.base + SECRET, fresh_for=0)
    assert again.status == 304
    assert "if-none-match" not in server.requests(SECRET)[-1].headers


def test_a_gzipped_answer_is_unpacked(server: LinkServer) -> None:
    server.routes[SECRET] = Served(CALENDAR)
    copy = read_link(server.base + SECRET, fresh_for=0)
    assert server.requests(SECRET)[0].headers["accept-encoding"] == "gzip"
    assert copy.data == CALENDAR
    assert len(gzip.compress(CALENDAR)) < len(CALENDAR)


def test_webcal_is_read_over_http(server: LinkServer) -> None:
    server.routes[SECRET] = Served(CALENDAR)
    copy = read_link(server.base.replace("http://", "webcal://") + SECRET, fresh_for=0)
    assert copy.data == CALENDAR


def test_a_redirect_on_the_same_host_is_followed_with_the_password(server: LinkServer) -> None:
    server.routes["/old.ics"] = Redirect(SECRET, status=301)
    server.routes[SECRET] = Served(CALENDAR)
    auth = LinkAuth("alice", "pw", origin(server.base))
    copy = read_link(server.base + "/old.ics", auth=auth, fresh_for=0)
    assert copy.data == CALENDAR
    assert server.requests(SECRET)[0].headers["authorization"].startswith("Basic ")


def test_the_password_is_never_sent_to_another_host_after_a_redirect(server: LinkServer) -> None:
    with link_server() as other:
        other.routes[SECRET] = Served(CALENDAR)
        server.routes["/private.ics"] = Redirect(other.base + SECRET)
        auth = LinkAuth("alice", "pw", origin(server.base))
        copy = read_link(server.base + "/private.ics", auth=auth, fresh_for=0)
        assert copy.data == CALENDAR
        assert "authorization" in server.requests("/private.ics")[0].headers
        assert "authorization" not in other.requests(SECRET)[0].headers


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://127.0.0.1/cal.ics", "javascript:x"]
)
def test_a_redirect_to_anything_but_http_is_refused(server: LinkServer, target: str) -> None:
    server.routes["/cal.ics"] = Redirect(target)
    with pytest.raises(SourceError) as caught:
        read_link(server.base + "/cal.ics", fresh_for=0)
    assert "not a web address" in caught.value.message
    assert caught.value.hint == "followup follows links only to http:// and https://"


def test_endless_redirects_stop(server: LinkServer) -> None:
    server.routes["/a.ics"] = Redirect("/b.ics")
    server.routes["/b.ics"] = Redirect("/a.ics")
    with pytest.raises(ServerError, match="redirected more than 5 times"):
        read_link(server.base + "/a.ics", fresh_for=0)
    assert len(server.seen) == 6


def test_a_server_sending_one_byte_every_half_second_is_cut_off_at_the_deadline(
    server: LinkServer,
) -> None:
    # A fault on purpose: the server drips the calendar; every single read is quick,
    # so only the deadline on the whole exchange stops it.
    server.routes[SECRET] = Drip(CALENDAR, every=0.5)
    with pytest.raises(ServerError) as caught:
        read_link(server.base + SECRET, limits=Limits(timeout=5, deadline=1.5), fresh_for=0)
    assert caught.value.message == (
        f"{shown(server.base + SECRET)} did not send the calendar within 1.5 s"
    )


def test_a_server_dripping_its_headers_is_cut_off_at_the_deadline(server: LinkServer) -> None:
    # A fault on purpose: even the status line and headers come one byte at a time.
    server.routes[SECRET] = Drip(CALENDAR, every=0.5, in_headers=True)
    with pytest.raises(ServerError, match=r"did not send the calendar within 1\.5 s"):
        read_link(server.base + SECRET, limits=Limits(timeout=5, deadline=1.5), fresh_for=0)


def test_a_200_mb_answer_is_refused_by_its_length_before_reading(server: LinkServer) -> None:
    # A fault on purpose: the server claims 200 MB and would send them.
    server.routes[SECRET] = Endless(declared=200 * 2**20)
    with pytest.raises(SourceError) as caught:
        read_link(server.base + SECRET, fresh_for=0)
    assert "is more than the 50 MB followup reads" in caught.value.message


def test_an_endless_answer_without_a_length_is_cut_at_the_cap(server: LinkServer) -> None:
    # A fault on purpose: no Content-Length, and the body never ends.
    server.routes[SECRET] = Endless()
    with pytest.raises(SourceError, match="is more than the 1 MB followup reads"):
        read_link(server.base + SECRET, limits=Limits(max_bytes=2**20), fresh_for=0)


def test_a_gzip_bomb_is_refused_without_unpacking_it(server: LinkServer) -> None:
    # A fault on purpose: 200 KB of gzip that would unpack to 200 MB of zeros.
    server.routes[SECRET] = Bomb(size=200 * 2**20)
    with pytest.raises(SourceError) as caught:
        read_link(server.base + SECRET, fresh_for=0)
    assert caught.value.message.endswith("is more than the 50 MB followup reads once unpacked")

    # Unpacked in bounded steps: under a 1 MB cap, reading the 200 MB bomb never holds more
    # than a few MB (inflating one 64 KB piece of it whole would take 64 MB).
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="is more than the 1 MB followup reads once unpacked"):
            read_link(server.base + SECRET, limits=Limits(max_bytes=2**20), fresh_for=0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, peak


def test_a_web_page_is_not_taken_for_a_calendar(server: LinkServer) -> None:
    server.routes["/cal.ics"] = Served(b"<html><body>Sign in</body></html>", "text/html")
    with pytest.raises(SourceError, match="is not a calendar: it answered with a web page"):
        read_link(server.base + "/cal.ics", fresh_for=0)


@pytest.mark.parametrize(
    ("status", "words"),
    [(404, "there is no calendar at"), (401, "refused to give the calendar (HTTP 401)")],
)
def test_a_refusal_is_one_message(server: LinkServer, status: int, words: str) -> None:
    server.routes[SECRET] = Served(CALENDAR, status=status)
    with pytest.raises(ServerError) as caught:
        read_link(server.base + SECRET, fresh_for=0)
    assert words in caught.value.message
    assert "private-8f14e45f" not in caught.value.message


def test_an_unreachable_link_says_so() -> None:
    from tests.caldav_server import free_port

    with pytest.raises(ServerError, match="connection refused"):
        read_link(f"http://127.0.0.1:{free_port()}/basic.ics", fresh_for=0)


def test_the_secret_part_of_a_link_is_masked() -> None:
    google = "https://calendar.google.com" + SECRET
    assert shown(google) == "https://calendar.google.com/…/basic.ics"
    icloud = "webcal://p52-caldav.icloud.com/published/2/MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3"
    assert shown(icloud) == "webcal://p52-caldav.icloud.com/…/"
    assert shown("https://example.com/cal.ics?token=abc") == "https://example.com/cal.ics"


def test_a_validator_with_a_line_break_is_not_sent_back(server: LinkServer) -> None:
    # A fault on purpose: an ETag folded over two lines, which would inject a header if echoed.
    server.routes[SECRET] = Served(CALENDAR, raw_etag='"a"\r\n X-Injected: 1')
    read_link(server.base + SECRET, fresh_for=0)
    again = read_link(server.base + SECRET, fresh_for=0)
    assert again.data == CALENDAR
    sent = server.requests(SECRET)[-1].headers
    assert "if-none-match" not in sent and "x-injected" not in sent
    assert "if-modified-since" in sent, "the date, a clean validator, is still used"
