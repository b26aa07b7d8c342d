"""A [links] entry's password goes only to the link it was written for: the same scheme,
host and port, and a path at or below the entry's on a ``/``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.config import Config, link_entry, within
from tests.conftest import ROOT
from tests.link_server import LinkServer, Served, link_server

CALENDAR = (ROOT / "examples" / "interviews.ics").read_bytes()
PASSWORD = "link-secret-5e1"


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        for path in ("/private/basic.ics", "/private-other/basic.ics", "/basic.ics"):
            running.routes[path] = Served(CALENDAR)
        yield running


def configure(entry_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from followup.engine.config import config_path

    monkeypatch.setenv("WORK_LINK_PASSWORD", PASSWORD)
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[links.work]\nurl = "{entry_url}"\nusername = "me"\n'
        'password_env = "WORK_LINK_PASSWORD"\n',
        encoding="utf-8",
    )


def authorized(server: LinkServer, path: str) -> list[bool]:
    return ["authorization" in {k.lower() for k in seen.headers} for seen in server.requests(path)]


def plan(link: str) -> None:
    result = CliRunner().invoke(main, ["plan", "--from", link, "--now", "2026-11-30T08:00"])
    assert result.exit_code == 0, result.output


def test_the_password_goes_to_the_link_below_the_entrys_address(
    server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(server.base + "/private", monkeypatch)
    plan(server.base + "/private/basic.ics")
    assert authorized(server, "/private/basic.ics") == [True]


def test_a_path_that_only_starts_like_the_entrys_gets_no_password(
    server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(server.base + "/private", monkeypatch)
    plan(server.base + "/private-other/basic.ics")
    assert authorized(server, "/private-other/basic.ics") == [False]


def test_another_port_of_the_same_host_gets_no_password(
    server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure("http://127.0.0.1", monkeypatch)  # port 80; the server is on another
    plan(server.base + "/basic.ics")
    assert authorized(server, "/basic.ics") == [False]


@pytest.mark.parametrize(
    ("link", "matched"),
    [
        ("https://cloud.example.com/cal/basic.ics", True),
        ("https://CLOUD.example.com:443/cal/basic.ics", True),
        ("webcals://cloud.example.com/cal/basic.ics", True),
        ("https://cloud.example.com.evil.net/cal/basic.ics", False),
        ("https://cloud.example.com@evil.net/cal/basic.ics", False),
        ("https://cloud.example.com:8443/cal/basic.ics", False),
        ("http://cloud.example.com/cal/basic.ics", False),
        ("https://cloud.example.comx/cal/basic.ics", False),
        ("https://evil.net/https://cloud.example.com/cal/basic.ics", False),
        ("https://[::1/cal/basic.ics", False),
    ],
)
def test_a_link_matches_an_entry_by_scheme_host_and_port(link: str, matched: bool) -> None:
    config = Config.model_validate({"links": {"work": {"url": "https://cloud.example.com"}}})
    assert (link_entry(link, config) is not None) is matched


def test_the_path_matches_on_a_segment_boundary() -> None:
    assert within("https://h.example/a/b", "https://h.example/a/b/basic.ics")
    assert within("https://h.example/a/b/", "https://h.example/a/b/basic.ics")
    assert within("https://h.example/a/b", "https://h.example/a/b")
    assert not within("https://h.example/a/b", "https://h.example/a/bc/basic.ics")
    assert not within("https://h.example/a/b", "https://h.example/a/basic.ics")
