"""The feed is built once per version of its inputs, and a failed build never takes it down."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from followup.engine.errors import RulesError, SourceError
from followup.engine.feed.build import Build, make_feed
from followup.engine.feed.cache import FeedCache
from tests.feed_support import NOW, ControlledInputs, cache_for, calendar_bytes, looked


def test_the_first_request_builds_the_feed_and_later_ones_reuse_it() -> None:
    inputs = ControlledInputs()
    cache = cache_for(inputs)
    first = looked(cache)
    for _ in range(5):
        assert looked(cache).feed is first.feed
    assert inputs.builds == 1
    assert first.feed is not None and first.error is None


def test_a_new_version_of_the_inputs_rebuilds_the_feed_with_a_new_etag() -> None:
    inputs = ControlledInputs()
    cache = cache_for(inputs)
    before = looked(cache).feed
    inputs.change(b="Thank Globex")
    after = looked(cache).feed
    assert before is not None and after is not None
    assert after.etag != before.etag
    assert b"Thank Globex" in after.ics
    assert inputs.builds == 2


def test_a_burst_of_requests_during_a_rebuild_costs_one_build() -> None:
    inputs = ControlledInputs()
    cache = cache_for(inputs)
    old = looked(cache).feed
    inputs.change(b="Thank Globex")
    inputs.gate = threading.Event()
    inputs.started.clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        # The first request starts the rebuild, which is held open; every request,
        # the first included, is answered with the feed already built.
        burst = [pool.submit(cache.current) for _ in range(20)]
        served = [future.result(timeout=10).feed for future in burst]
        assert inputs.started.wait(timeout=10)
        inputs.gate.set()
    new = cache.settle(timeout=10).feed
    assert all(feed is old for feed in served)
    assert new is not None and new is not old
    assert inputs.builds == 2
    assert cache.current().feed is new


def test_checks_are_paced_so_a_busy_server_does_not_stat_the_inputs_per_request() -> None:
    inputs = ControlledInputs()
    ticks = [0.0]
    cache = FeedCache(
        inputs, clock=lambda: NOW, ticker=lambda: ticks[0], check_every=timedelta(seconds=1)
    )
    looked(cache)
    inputs.change(b="Thank Globex")
    looked(cache)
    assert inputs.builds == 1, "a change within the pace waits for the next look"
    ticks[0] = 1.0
    looked(cache)
    assert inputs.builds == 2


def test_a_broken_rules_file_keeps_the_last_good_feed_and_remembers_the_error() -> None:
    inputs = ControlledInputs()
    cache = cache_for(inputs)
    good = looked(cache).feed
    inputs.current_version = 2
    inputs.failure = RulesError("expected a mapping", path="rules.yaml", line=3, column=1)
    state = looked(cache)
    assert state.feed is good
    assert state.error == "rules.yaml:3:1: expected a mapping"
    assert state.error_at is not None


def test_a_failed_build_is_not_retried_until_the_inputs_change_again() -> None:
    inputs = ControlledInputs()
    cache = cache_for(inputs)
    looked(cache)
    inputs.current_version = 2
    inputs.failure = RulesError("half-saved", path="rules.yaml")
    for _ in range(10):
        looked(cache)
    assert inputs.builds == 2
    inputs.failure = None
    inputs.change(b="Thank Globex")
    state = looked(cache)
    assert state.error is None
    assert state.feed is not None and b"Thank Globex" in state.feed.ics
    assert inputs.builds == 3


def test_inputs_that_cannot_be_looked_at_keep_the_last_good_feed() -> None:
    inputs = ControlledInputs()
    cache = cache_for(inputs)
    good = looked(cache).feed
    inputs.version_failure = SourceError("interviews.ics: no such file")
    state = looked(cache)
    assert state.feed is good
    assert state.error == "interviews.ics: no such file"
    inputs.version_failure = None
    state = looked(cache)
    assert state.error is None


def test_an_unexpected_exception_in_a_build_keeps_the_last_good_feed() -> None:
    inputs = ControlledInputs()
    cache = cache_for(inputs)
    good = looked(cache).feed
    inputs.current_version = 2
    # No real planner raises this on purpose; a ZeroDivisionError stands in for a bug.
    inputs.failure = ZeroDivisionError("division by zero")
    state = looked(cache)
    assert state.feed is good
    assert state.error is not None and "ZeroDivisionError" in state.error


def test_inputs_without_a_version_are_rebuilt_on_a_timer() -> None:
    inputs = ControlledInputs(current_version=None)
    ticks = [0.0]
    cache = FeedCache(
        inputs,
        clock=lambda: NOW,
        ticker=lambda: ticks[0],
        check_every=timedelta(0),
        unversioned_every=timedelta(minutes=5),
    )
    looked(cache)
    ticks[0] = 299.0
    looked(cache)
    assert inputs.builds == 1
    ticks[0] = 300.0
    looked(cache)
    assert inputs.builds == 2


def test_a_rebuild_with_the_same_bytes_keeps_the_etag_and_last_modified() -> None:
    build = Build(calendar_bytes({"a@followup": "Thank Acme"}), (), "UTC")
    first = make_feed(build, built_at=NOW, previous=None)
    again = make_feed(build, built_at=NOW + timedelta(hours=2), previous=first)
    assert (again.etag, again.last_modified) == (first.etag, first.last_modified)
    assert again.built_at == NOW + timedelta(hours=2)


def test_last_modified_moves_on_even_when_two_changes_share_a_second() -> None:
    at = datetime(2026, 12, 1, 8, 0, 0, 100, tzinfo=UTC)
    first = make_feed(Build(calendar_bytes({"a@f": "A"}), (), "UTC"), built_at=at, previous=None)
    second = make_feed(
        Build(calendar_bytes({"b@f": "B"}), (), "UTC"),
        built_at=at + timedelta(milliseconds=300),
        previous=first,
    )
    assert second.last_modified > first.last_modified


def test_the_gzip_body_is_the_same_bytes_every_time() -> None:
    build = Build(calendar_bytes({"a@followup": "Thank Acme"}), (), "UTC")
    one = make_feed(build, built_at=NOW, previous=None)
    two = make_feed(build, built_at=NOW + timedelta(days=1), previous=None)
    assert one.ics_gzip == two.ics_gzip
    assert one.gzip_etag != one.etag


def test_polling_rebuilds_a_changed_feed_before_anyone_asks_for_it() -> None:
    inputs = ControlledInputs()
    cache = FeedCache(inputs, clock=lambda: NOW, check_every=timedelta(milliseconds=20))
    first = cache.refresh().feed
    cache.start_polling()
    try:
        inputs.change(b="Thank Globex")
        for _ in range(500):  # bounded: at most 10 s, however slow the machine
            feed = cache.state.feed
            if feed is not first:
                break
            threading.Event().wait(0.02)
    finally:
        cache.stop_polling()
    cache.settle(timeout=10)
    feed = cache.state.feed
    assert feed is not None and b"Thank Globex" in feed.ics
    assert inputs.builds == 2
