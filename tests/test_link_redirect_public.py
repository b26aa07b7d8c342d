"""A link on the internet cannot redirect followup to a private or loopback address: tested
with real servers on a public, a private and the loopback address.

Offline, no host name resolves to a public address, so the test makes a network of
its own: a new network namespace (``unshare --net``, as root, as CI runs the
tests) whose loopback interface also holds the public address 1.2.3.4 and the
private address 10.99.0.1. Nothing leaves that namespace; inside it, a link
server on 1.2.3.4 is on the internet as far as followup can tell (the address
of the connected socket is what it checks), and one on 10.99.0.1 is on your own
network, as a router page is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from followup.engine.errors import EXIT_CODES
from followup.engine.sources.link import LOCAL, PUBLIC, reach
from tests.conftest import ROOT

PUBLIC_ADDRESS = "1.2.3.4"
OTHER_PUBLIC = "1.2.3.5"
PRIVATE_ADDRESS = "10.99.0.1"

INSIDE = """
import json, subprocess, sys
for address in sys.argv[1:]:
    subprocess.run(["ip", "addr", "add", address + "/32", "dev", "lo"], check=True)
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

from click.testing import CliRunner
from followup.cli.main import main
from tests.conftest import ROOT
from tests.link_server import Redirect, Served, link_server

calendar = (ROOT / "examples" / "interviews.ics").read_bytes()
public_ip, other_public, private_ip = sys.argv[1:]
found = {}
with link_server(public_ip) as public, link_server(other_public) as elsewhere, \\
        link_server(private_ip) as private, link_server() as loopback:
    for server in (elsewhere, private, loopback):
        server.routes["/admin.ics"] = Served(calendar)
    cases = {
        "public-to-private": (public, private),
        "public-to-loopback": (public, loopback),
        "public-to-public": (public, elsewhere),
        "private-to-loopback": (private, loopback),
    }
    for name, (start, target) in cases.items():
        start.routes[f"/{name}.ics"] = Redirect(target.base + "/admin.ics")
        before = len(target.requests("/admin.ics"))
        result = CliRunner().invoke(
            main, ["plan", "--from", f"{start.base}/{name}.ics", "--now", "2026-11-30T08:00"]
        )
        found[name] = {
            "code": result.exit_code,
            "output": result.output,
            "crashed": result.exception is not None
            and not isinstance(result.exception, SystemExit),
            "asked": len(target.requests("/admin.ics")) - before,
        }
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def redirects() -> dict[str, dict[str, object]]:
    """Each redirect tried inside the namespace: exit code, output, requests the target got."""
    assert os.getuid() == 0, "this test makes a network namespace: run it as root, as CI does"
    done = subprocess.run(
        ["unshare", "--net", sys.executable, "-c", INSIDE, PUBLIC_ADDRESS, OTHER_PUBLIC,
         PRIVATE_ADDRESS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found: dict[str, dict[str, object]] = json.loads(done.stdout.splitlines()[-1])
    return found


def test_the_addresses_of_the_test_network_are_what_they_stand_for() -> None:
    assert reach(PUBLIC_ADDRESS) == reach(OTHER_PUBLIC) == PUBLIC
    assert reach(PRIVATE_ADDRESS) == LOCAL


@pytest.mark.parametrize(
    ("case", "where"),
    [
        ("public-to-private", "your own network"),
        ("public-to-loopback", "this machine"),
        ("private-to-loopback", "this machine"),
    ],
)
def test_a_redirect_closer_to_this_machine_than_the_link_is_refused_before_a_byte_is_sent(
    redirects: dict[str, dict[str, object]], case: str, where: str
) -> None:
    found = redirects[case]
    assert not found["crashed"]
    assert found["code"] == EXIT_CODES["server"], found["output"]
    output = str(found["output"])
    assert output.count("followup:") == 1
    assert f"an address on {where}; followup follows a link's redirects only as far" in output
    assert found["asked"] == 0  # the private or loopback server never heard from followup


def test_a_public_link_may_redirect_to_another_public_address(
    redirects: dict[str, dict[str, object]],
) -> None:
    found = redirects["public-to-public"]
    assert found["code"] == 0, found["output"]
    assert found["asked"] == 1
