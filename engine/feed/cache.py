"""The subscribable feed: what ``followup serve`` hands out, and when it is rebuilt.

A calendar app polls the feed every so often; most polls find nothing new.
So the feed is built once per version of its inputs (the interviews' source,
the rules file, the planning window) and kept, ready-compressed, with its
ETag. A burst of requests costs one build. A build that fails (a source that
cannot be read for a moment, a rules file saved half-way) keeps the last good
feed in service and remembers the error for the page and the log.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from followup.engine.errors import FollowupError
from followup.engine.feed.build import Build, FeedState, agenda_from_plan, day_of, make_feed
from followup.engine.write.render import RenderOptions

if TYPE_CHECKING:
    from followup.engine.sources import Source

log = logging.getLogger("followup.feed")


class FeedInputs(Protocol):
    """Where a feed comes from.

    ``version`` must be cheap (a stat, a ctag): it is asked often. It returns
    a value that changes whenever ``build`` would give a different result, or
    None when the inputs cannot say (then the feed is rebuilt on a timer).
    Both raise ``FollowupError`` for a problem the user can fix.
    """

    def version(self, now: datetime) -> Hashable | None: ...

    def build(self, now: datetime) -> Build: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Unversioned:
    """The version of inputs that cannot tell one: the current slot of the rebuild timer."""

    slot: int


class _Unreadable:
    """The version of inputs that could not be looked at: equal to nothing but itself."""


class FeedCache:
    """Keeps the feed built for the current version of its inputs.

    ``current()`` is what each request calls. It looks at the inputs' version
    at most once per ``check_every``, and never on the request's time: the
    look (and the rebuild, if the inputs changed) runs in a background thread
    while requests are served the feed already built. One look runs at a
    time, so a burst of requests costs one build. Only the very first build,
    with nothing yet to serve, makes requests wait.

    ``clock`` is the planning clock (``--now`` pins it); ``wall`` stamps
    builds for Last-Modified and the page; ``ticker`` paces the checks.
    """

    def __init__(
        self,
        inputs: FeedInputs,
        *,
        clock: Callable[[], datetime] = _utc_now,
        wall: Callable[[], datetime] = _utc_now,
        ticker: Callable[[], float] = time.monotonic,
        check_every: timedelta = timedelta(seconds=1),
        unversioned_every: timedelta = timedelta(minutes=5),
    ) -> None:
        self._inputs = inputs
        self._clock = clock
        self._wall = wall
        self._ticker = ticker
        self._check_every = check_every.total_seconds()
        self._unversioned_every = max(unversioned_every.total_seconds(), 1.0)
        self._lock = threading.Lock()
        """Held while the inputs are looked at and built: one look at a time."""
        self._starting = threading.Lock()
        self._worker: threading.Thread | None = None
        self._stop = threading.Event()
        self._state = FeedState(feed=None)
        self._version: Hashable | None = None
        self._next_check = float("-inf")

    @property
    def state(self) -> FeedState:
        """The state as it is, without looking at the inputs."""
        return self._state

    def current(self) -> FeedState:
        """The feed to serve now; starts a look at the inputs in the background when one is due."""
        if self._state.feed is None:
            with self._lock:  # nothing to serve yet: this request waits for the first build
                if self._state.feed is None:
                    self._check()
            return self._state
        if self._ticker() >= self._next_check:
            self._start_check()
        return self._state

    def refresh(self) -> FeedState:
        """Look at the inputs now, whatever the pace, and rebuild if they changed."""
        with self._lock:
            self._check()
        return self._state

    def settle(self, timeout: float | None = None) -> FeedState:
        """Wait for a look started by ``current()`` to finish; the state after it."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
        return self._state

    def start_polling(self) -> None:
        """Look at the inputs every ``check_every`` in the background, requests or not, so
        that a calendar app's next refresh already finds a change (``stop_polling`` ends it)."""
        stop = self._stop = threading.Event()

        def poll() -> None:
            while not stop.wait(self._check_every):
                self._start_check()

        threading.Thread(target=poll, name="feed-poll", daemon=True).start()

    def stop_polling(self) -> None:
        self._stop.set()

    def _start_check(self) -> None:
        with self._starting:
            if self._worker is not None and self._worker.is_alive():
                return  # a look is under way; its result serves this request's successors
            if self._ticker() < self._next_check:
                return
            self._next_check = self._ticker() + self._check_every
            worker = threading.Thread(
                target=self._check_in_background, name="feed-rebuild", daemon=True
            )
            worker.start()
            self._worker = worker  # only once started: settle() may join it at any moment

    def _check_in_background(self) -> None:
        with self._lock:
            try:
                self._check()
            except Exception as err:  # nobody to raise to: keep the feed, say why
                log.exception("the feed's inputs could not be looked at")
                self._version = _Unreadable()
                self._fail(f"unexpected error ({type(err).__name__}); see the server log")

    def _check(self) -> None:
        now = self._clock()
        self._next_check = self._ticker() + self._check_every
        try:
            version: Hashable | None = self._inputs.version(now)
        except FollowupError as err:
            self._version = _Unreadable()
            self._fail(err.message, failure=err)
            return
        if version is None:
            version = _Unversioned(int(self._ticker() // self._unversioned_every))
        if version == self._version:
            return
        # Remembered before building: a build that fails is not retried for
        # the same inputs, so a burst against a broken rules file costs one try.
        self._version = version
        builds = self._state.builds + 1
        try:
            build = self._inputs.build(now)
        except FollowupError as err:
            self._fail(err.message, builds=builds, failure=err)
            return
        except Exception as err:  # a bug must not take the last good feed down
            log.exception("the feed could not be rebuilt")
            self._fail(
                f"unexpected error ({type(err).__name__}); see the server log", builds=builds
            )
            return
        feed = make_feed(build, built_at=self._wall(), previous=self._state.feed)
        changed = self._state.feed is None or feed.etag != self._state.feed.etag
        self._state = FeedState(feed=feed, builds=builds)
        log.info(
            "feed %s: %d follow-ups",
            "built" if changed else "rebuilt, unchanged",
            len(feed.agenda),
        )
        for warning in build.warnings:
            log.warning("%s", warning)

    def _fail(
        self, message: str, *, builds: int | None = None, failure: FollowupError | None = None
    ) -> None:
        state = self._state
        if state.error != message:
            if state.feed is not None:
                log.warning("feed not updated, still serving the last good one: %s", message)
            else:
                log.error("feed could not be built: %s", message)
        self._state = FeedState(
            feed=state.feed,
            error=message,
            error_at=self._wall(),
            builds=state.builds if builds is None else builds,
            failure=failure,
        )


def file_version(path: Path | None) -> Hashable:
    """A digest of a small file's bytes (a rules file): unlike a modification time, it
    tells two saves apart however close together they come."""
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as err:
        return ("unreadable", err.errno)


@dataclass(frozen=True, slots=True)
class PipelineInputs:
    """The real inputs: an interview source, a rules file, the recorded replies, and the
    render options of a profile. A ``--from`` value is parsed once, here, when it is not a
    ``Source`` already: every look and build asks the same one."""

    source: str | Source
    rules_path: Path | None
    options: RenderOptions
    wall_now: bool = False
    """The clock is pinned to a time of day in the zone of the plan (--now without an offset)."""

    def __post_init__(self) -> None:
        if isinstance(self.source, str):
            from followup.engine.sources import parse

            object.__setattr__(self, "source", parse(self.source))

    @property
    def origin(self) -> Source:
        """The interviews' source, parsed."""
        assert not isinstance(self.source, str)  # parsed in __post_init__
        return self.source

    def version(self, now: datetime) -> Hashable | None:
        from followup.engine.answers import answers_path
        from followup.engine.marks import marks_path

        source = self.origin.version()
        if source is None:
            return None
        # The replies recorded with `followup mark` and the answers recorded with `followup
        # answer` change the plan as much as the rules do.
        recorded = (file_version(marks_path()), file_version(answers_path()))
        return (source, file_version(self.rules_path), *recorded, day_of(now))

    def build(self, now: datetime) -> Build:
        from followup.engine.pipeline import default_window, load_rules, plan_from
        from followup.engine.plan.board import board, steps_of
        from followup.engine.sources.link import FRESH_FOR
        from followup.engine.write.outputs import View, render

        rules = load_rules(self.rules_path)
        # A link was just checked by ``version``: its copy is used without asking again.
        plan = plan_from(
            self.origin,
            rules=rules,
            now=now,
            window=default_window(now),
            fresh_for=FRESH_FOR,
            wall_now=self.wall_now,
        )
        return Build(
            ics=render(plan, "ics", View(options=self.options)),
            agenda=agenda_from_plan(plan),
            timezone=plan.timezone,
            warnings=plan.warnings,
            board=board(plan, steps_of(rules)),
        )
