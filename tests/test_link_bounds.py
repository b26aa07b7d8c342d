"""A link's answer is unpacked within a bound, and one user's kept copy never serves another."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from followup.engine.config import config_path
from tests.conftest import ROOT
from tests.link_server import Bomb, LinkServer, Served, link_server
from tests.peak_memory import followup_with_peak

CALENDAR = (ROOT / "examples" / "interviews.ics").read_bytes()
NOW = "2026-11-30T08:00"


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def followup(*args: str) -> tuple[int, str, int]:
    """Exit code, standard error and peak memory (kB) of a new ``followup`` process."""
    return followup_with_peak(list(args), ROOT)


def test_a_gzip_bomb_behind_a_link_is_refused_without_being_unpacked(server: LinkServer) -> None:
    server.routes["/bomb.ics"] = Bomb(512 * 2**20)  # 512 MB of zeros in half a MB
    code, err, peak = followup("plan", "--from", server.base + "/bomb.ics", "--now", NOW)
    assert code == 4, err
    assert "is more than the 50 MB followup reads once unpacked" in err
    # kB: the 50 MB read, Python, and at most one 64 KB step of the bomb unpacked past
    # the cap (150-200 MB as memory happens to be laid out); never the 512 MB.
    assert peak < 300_000, peak


def configure(username: str, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("WORK_LINK_PASSWORD", "pw")
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[links.work]\nurl = "{url}"\nusername = "{username}"\n'
        'password_env = "WORK_LINK_PASSWORD"\n',
        encoding="utf-8",
    )


def test_a_copy_kept_for_one_user_name_is_never_used_for_another(
    server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/private/basic.ics"] = Served(CALENDAR)
    url = server.base + "/private/basic.ics"
    configure("alice", monkeypatch, url)
    assert followup("plan", "--from", "@work", "--now", NOW)[0] == 0
    assert followup("plan", "--from", "@work", "--now", NOW)[0] == 0
    configure("bob", monkeypatch, url)
    assert followup("plan", "--from", "@work", "--now", NOW)[0] == 0
    asked = [seen.headers for seen in server.requests("/private/basic.ics")]
    conditional = ["if-none-match" in {k.lower() for k in headers} for headers in asked]
    # alice's second run asks whether her copy is current; bob's first run asks afresh.
    assert conditional == [False, True, False]
