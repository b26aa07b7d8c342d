"""Addresses and password commands that cannot be used: one clear message and the documented
exit code, never a traceback, whether typed, in the config file or sent by a server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.engine.config import config_path
from followup.engine.errors import EXIT_CODES
from tests.conftest import ROOT
from tests.link_server import LinkServer, Redirect, link_server

NOW = "2026-11-30T08:00"
LONG_LABEL = "a" * 300


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def followup(*args: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "followup.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stderr


@pytest.mark.parametrize(
    ("location", "says"),
    [
        ("http://127.0.0.1:99999/basic.ics", "the port is not a number from 1 to 65535"),
        ("http://[::1/basic.ics", "redirected to an address that is not a URL"),
        (f"http://{LONG_LABEL}.example/basic.ics", "the host name is not valid"),
        ("http://exa%20mple.example/basic.ics", "characters no host name has"),
    ],
)
def test_a_redirect_to_an_address_that_cannot_be_asked_is_one_message(
    server: LinkServer, location: str, says: str
) -> None:
    server.routes["/basic.ics"] = Redirect(location)
    code, err = followup("plan", "--from", server.base + "/basic.ics", "--now", NOW)
    assert code == EXIT_CODES["server"], err
    assert err.startswith("followup: ") and says in err
    assert len(err.splitlines()) == 2  # the message and its hint


@pytest.mark.parametrize(
    ("link", "says"),
    [
        (f"https://{LONG_LABEL}.example/basic.ics", "the host name is not valid"),
        ("https://bad host.example/basic.ics", "characters no host name has"),
    ],
)
def test_a_typed_link_with_a_host_that_is_no_host_is_one_message(link: str, says: str) -> None:
    code, err = followup("plan", "--from", link, "--now", NOW)
    assert code == EXIT_CODES["source"], err
    assert says in err


def test_a_link_with_a_non_ascii_host_is_asked_by_its_idna_name() -> None:
    code, err = followup("plan", "--from", "http://bücher.例え.invalid/basic.ics", "--now", NOW)
    assert code == EXIT_CODES["server"], err
    assert "unknown host" in err  # asked as xn--bcher-kva.xn--r8jz45g.invalid


@pytest.mark.parametrize("command", ["/", "   ", '"', "\t"])
def test_a_password_command_that_cannot_run_is_a_config_message(
    server: LinkServer, command: str, tmp_path: Path
) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    quoted = command.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(
        f'[links.work]\nurl = "{server.base}/private.ics"\nusername = "me"\n'
        f'password_command = "{quoted}"\n',
        encoding="utf-8",
    )
    code, err = followup("plan", "--from", "@work", "--now", NOW)
    assert code == EXIT_CODES["usage"], err
    assert "password_command" in err or "password command" in err
    assert not server.seen  # no request without the password it needs
