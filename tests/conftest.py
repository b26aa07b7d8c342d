"""Shared test helpers: rules in a fixed timezone, real files, an isolated home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.rules.loader import parse_rules, shipped_rules
from followup.rules.model import RuleSet

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def default_rules(zone: str = "Europe/Berlin", policy: str = "default.yaml") -> RuleSet:
    """A shipped policy with its timezone set, as a user's copy would have it."""
    text, name = shipped_rules(policy)
    assert "timezone: local" in text
    return parse_rules(text.replace("timezone: local", f"timezone: {zone}"), name)


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


MACHINE_ZONE = os.environ.get("FOLLOWUP_TEST_TZ") or "Europe/Berlin"
"""This machine's zone (TZ) for every test; CI runs the suite once more in another
(FOLLOWUP_TEST_TZ=America/Los_Angeles), so that code which takes the machine's zone where
it should take the rules' (or UTC) fails here. A test whose expected times are this
machine's local times, through the shipped rules' ``timezone: local``, says in which zone
they are written with ``@pytest.mark.machine_zone("Europe/Berlin")``."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "machine_zone(name): the machine's zone (TZ) the test's expected local times are in",
    )


FAR_FUTURE = os.environ.get("FOLLOWUP_TEST_CLOCK")
"""A wall-clock time to run the whole suite at (CI sets it years ahead)."""


@pytest.fixture(autouse=True, scope="session")
def far_future_clock() -> Iterator[None]:
    """With FOLLOWUP_TEST_CLOCK=2031-06-15T12:00, every test runs with the wall clock moved
    there, ticking on, so a test that depends on today's date fails now rather than on the
    day it would. time-machine moves time.time, datetime.now and date.today in this process;
    monotonic clocks and timed waits are untouched (libfaketime moves those too, and then a
    wait that must run out never does). Processes a test starts keep the real clock."""
    if not FAR_FUTURE:
        yield
        return
    import time_machine

    with time_machine.travel(datetime.fromisoformat(FAR_FUTURE), tick=True):
        yield


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Path]:
    """Keep every test away from the real config, data and state directories."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("FOLLOWUP_DATA_DIR", str(home / "data" / "followup"))
    monkeypatch.setenv("FOLLOWUP_CONFIG_DIR", str(home / "config" / "followup"))
    monkeypatch.delenv("FOLLOWUP_FROM", raising=False)
    monkeypatch.delenv("FOLLOWUP_RULES", raising=False)
    for proxy in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):  # the tests' own only
        monkeypatch.delenv(proxy, raising=False)
        monkeypatch.delenv(proxy.lower(), raising=False)
    monkeypatch.delenv("FOLLOWUP_CONFIG", raising=False)
    marker = request.node.get_closest_marker("machine_zone")
    monkeypatch.setenv("TZ", str(marker.args[0]) if marker else MACHINE_ZONE)
    yield home
