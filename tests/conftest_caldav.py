"""Fixtures for the sync tests: a real CalDAV server per test, the user's calendar app.

Register with ``pytest_plugins = ["tests.conftest_caldav"]`` in a test module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.caldav_server import PASSWORD, CalDAVServer, Kind
from tests.sync_support import CalendarApp


def _running(kind: Kind, tmp_path: Path) -> Iterator[CalDAVServer]:
    server = CalDAVServer(kind, tmp_path / kind)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[CalDAVServer]:
    """A real Radicale with fresh storage on a free port, stopped after the test."""
    yield from _running("radicale", tmp_path)


@pytest.fixture(params=["radicale", "xandikos"])
def any_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CalDAVServer]:
    """Each server implementation in turn: they differ in what they answer."""
    yield from _running(request.param, tmp_path)


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FOLLOWUP_PASSWORD", PASSWORD)
    return PASSWORD


@pytest.fixture
def app(radicale: CalDAVServer) -> CalendarApp:
    return CalendarApp(radicale)
