"""A feed of a CalDAV calendar: a real Radicale, rebuilt when its sync token moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from followup.engine.feed.build import render_options
from followup.engine.feed.cache import FeedCache, PipelineInputs
from followup.engine.feed.server import FeedApp, FeedSite
from followup.engine.sources import source_version
from tests.caldav_server import CalDAVServer
from tests.feed_support import fetch, fetch_settled, serving
from tests.sync_support import CalendarApp, account, interview

pytest_plugins = ["tests.conftest_caldav"]

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN)


def summaries(body: bytes) -> set[str]:
    return {
        str(c["SUMMARY"]) for c in Calendar.from_ical(body).walk() if c.name in ("VEVENT", "VTODO")
    }


@pytest.fixture
def work(app: CalendarApp, password: str) -> str:
    calendar = app.make_calendar("work")
    app.add(calendar, "acme", interview("acme@x", MONDAY, company="ACME"))
    return calendar


@pytest.fixture
def feed_cache(work: str) -> FeedCache:
    inputs = PipelineInputs(
        account(work),
        None,
        render_options("common", calendar_name="Job search", refresh=timedelta(hours=1)),
    )
    # An hour between timed rebuilds: within a test only a moved sync token can rebuild.
    return FeedCache(
        inputs, clock=lambda: NOW, check_every=timedelta(0), unversioned_every=timedelta(hours=1)
    )


@pytest.fixture
def feed_url(feed_cache: FeedCache) -> Iterator[str]:
    cache = feed_cache
    site = FeedSite(calendar_name="Job search", profile="common", refresh=timedelta(hours=1))
    with serving(FeedApp(cache, site, clock=lambda: NOW)) as base:
        yield base


def test_the_sync_token_of_a_calendar_moves_when_an_interview_is_added(
    app: CalendarApp, work: str
) -> None:
    before = source_version(account(work))
    assert before
    assert source_version(account(work)) == before
    app.add(work, "globex", interview("globex@x", MONDAY + timedelta(days=1), company="Globex"))
    assert source_version(account(work)) not in (None, before)


def test_a_new_interview_on_the_server_reaches_the_feed_after_the_next_request(
    app: CalendarApp, work: str, feed_url: str, feed_cache: FeedCache
) -> None:
    first = fetch(feed_url + "/calendar.ics")
    assert first.status == 200
    assert not any("Globex" in s for s in summaries(first.body))
    assert fetch(feed_url + "/calendar.ics").header("ETag") == first.header("ETag")
    app.add(work, "globex", interview("globex@x", MONDAY + timedelta(days=1), company="Globex"))
    second = fetch_settled(feed_cache, feed_url + "/calendar.ics")
    assert second.header("ETag") != first.header("ETag")
    assert any("Globex" in s for s in summaries(second.body))


def test_a_calendar_server_that_goes_away_keeps_the_last_good_feed(
    radicale: CalDAVServer, work: str, feed_url: str, feed_cache: FeedCache
) -> None:
    good = fetch(feed_url + "/calendar.ics")
    radicale.stop()
    try:
        again = fetch_settled(feed_cache, feed_url + "/calendar.ics")
        page = fetch(feed_url + "/").body.decode()
    finally:
        radicale.start()
    assert again.status == 200
    assert again.body == good.body
    assert "Could not update the calendar" in page
    assert "Still serving the calendar from" in page


def test_a_feed_looking_at_its_calendar_again_asks_for_credentials_once_not_every_time(
    app: CalendarApp, work: str
) -> None:
    assert source_version(account(work))  # the feed's look at the calendar's sync token
    app.server.log.clear()

    for _ in range(3):
        assert source_version(account(work))

    assert len(app.server.log) >= 3
    assert [e.method for e in app.server.log if e.status == 401] == []
