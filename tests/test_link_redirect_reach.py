"""A link's redirects lead no closer to this machine than the link itself: a calendar server
cannot make followup ask a service on the user's machine or network (blind SSRF)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.errors import EXIT_CODES
from followup.engine.sources.link import LOCAL, LOOPBACK, PUBLIC, reach
from tests.conftest import ROOT
from tests.link_server import LinkServer, Redirect, Served, link_server

CALENDAR = (ROOT / "examples" / "interviews.ics").read_bytes()


def this_machines_address() -> str:
    """An address of this machine that is not loopback (the one its default route uses;
    connecting a UDP socket sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("203.0.113.1", 9))
        address: str = probe.getsockname()[0]
    assert reach(address) != LOOPBACK, "this machine needs a network address for this test"
    return address


@pytest.fixture
def inside() -> Iterator[LinkServer]:
    """A service only this machine can reach, as a router page or a metadata service is."""
    with link_server() as running:
        running.routes["/admin.ics"] = Served(CALENDAR)
        yield running


def plan(link: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["plan", "--from", link, "--now", "2026-11-30T08:00"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_a_link_on_the_network_cannot_redirect_to_this_machine(inside: LinkServer) -> None:
    with link_server(this_machines_address()) as outside:
        outside.routes["/basic.ics"] = Redirect(inside.base + "/admin.ics")
        code, output = plan(outside.base + "/basic.ics")
    assert code == EXIT_CODES["server"], output
    assert "an address on this machine" in output
    assert inside.requests("/admin.ics") == []  # nothing was sent to it


def test_a_link_may_redirect_within_its_own_reach(inside: LinkServer) -> None:
    inside.routes["/basic.ics"] = Redirect(inside.base + "/admin.ics")
    code, output = plan(inside.base + "/basic.ics")  # a link on this machine to this machine
    assert code == 0, output
    with link_server(this_machines_address()) as outside:
        outside.routes["/moved.ics"] = Served(CALENDAR)
        outside.routes["/basic.ics"] = Redirect(outside.base + "/moved.ics")
        code, output = plan(outside.base + "/basic.ics")
    assert code == 0, output


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1", LOOPBACK),
        ("::1", LOOPBACK),
        ("::ffff:127.0.0.1", LOOPBACK),
        ("0.0.0.0", LOOPBACK),
        ("10.1.2.3", LOCAL),
        ("192.168.1.1", LOCAL),
        ("169.254.169.254", LOCAL),
        ("100.64.0.1", LOCAL),
        ("fd00::2", LOCAL),
        ("fe80::1%eth0", LOCAL),
        ("8.8.8.8", PUBLIC),
        ("2606:4700:4700::1111", PUBLIC),
        ("::ffff:8.8.8.8", PUBLIC),
    ],
)
def test_how_far_an_address_is_from_this_machine(address: str, expected: int) -> None:
    assert reach(address) == expected
