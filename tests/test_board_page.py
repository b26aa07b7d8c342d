"""The board on the feed's page, in headless Chromium at a phone's and a laptop's size,
and the board as CSV at the feed's secret address.

Set FOLLOWUP_UPDATE_SCREENSHOT=1 to write the phone's screenshot to docs/board-phone.png,
and BOARD_SHOTS=FOLDER to keep both screenshots there, to look at them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup.engine.feed.build import render_options
from followup.engine.feed.cache import FeedCache, PipelineInputs
from followup.engine.feed.server import FeedApp, FeedSite
from tests.feed_support import fetch, serving
from tests.test_board import CALENDAR, CLOSED, HOSTILE, OPEN, ok, run, with_answers

ROOT = Path(__file__).parent.parent
JS = ROOT / "tests" / "js"
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TOKEN = "Zq3xVb9LmN4pR7sT2wYk"


def browse(url: str, width: int, height: int, screenshot: Path) -> dict[str, Any]:
    command = ["node", str(JS / "board.mjs"), url, str(width), str(height), str(screenshot)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout)
    return seen


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The board's calendar served as the feed, under a token, planned at Mon 7 Dec 10:00."""
    rules = with_answers(tmp_path)
    inputs = PipelineInputs(
        str(CALENDAR),
        rules,
        render_options("common", calendar_name="Job search", refresh=timedelta(hours=1)),
    )
    cache = FeedCache(inputs, clock=lambda: NOW, wall=lambda: NOW)
    site = FeedSite(
        calendar_name="Job search",
        profile="common",
        refresh=timedelta(hours=1),
        token=TOKEN,
        reach="network",
    )
    with serving(FeedApp(cache, site, clock=lambda: NOW)) as base:
        yield base


SHOTS = Path(os.environ.get("BOARD_SHOTS", "")) if os.environ.get("BOARD_SHOTS") else None


def keep(shot: Path, name: str) -> None:
    if SHOTS is not None:  # to look at them
        shutil.copyfile(shot, SHOTS / name)
    if os.environ.get("FOLLOWUP_UPDATE_SCREENSHOT") and name == "board-phone.png":
        shutil.copyfile(shot, ROOT / "docs" / name)


def test_a_phone_sees_the_board_first_with_what_needs_you_on_the_first_screen(
    served: str, tmp_path: Path
) -> None:
    shot = tmp_path / "phone.png"
    seen = browse(f"{served}/{TOKEN}/", 390, 844, shot)
    keep(shot, "board-phone.png")
    assert seen["httpStatus"] == 200
    assert seen["problems"] == []
    assert [(r["company"], r["stage"]) for r in seen["rows"]] == OPEN
    assert seen["closed"] == len(CLOSED)  # folded away under the open ones
    # The board comes first: right under the title and the status line, before the agenda.
    assert seen["order"][:3] == ["h1", "status", "board"]
    assert seen["boardTop"] < seen["agendaTop"]
    # The check-in due now, the offer and the next round are on the first screen.
    assert [r["onFirstScreen"] for r in seen["rows"][:3]] == [True, True, True]
    cobalt = seen["rows"][0]
    assert cobalt["next"] == "Due since Fri 4 DecCheck in with Cobalt about your application"
    assert cobalt["meta"] == "SRE · Cara Lin · round Tue 24 Nov · last contact 13 days ago"
    assert seen["overlaps"] == []
    assert not seen["overflows"]
    assert seen["smallestText"] >= 11
    assert shot.stat().st_size > 10_000


def test_a_laptop_sees_the_same_board_and_the_charts_without_overlap(
    served: str, tmp_path: Path
) -> None:
    shot = tmp_path / "laptop.png"
    seen = browse(f"{served}/{TOKEN}/", 1280, 800, shot)
    keep(shot, "board-laptop.png")
    assert seen["problems"] == []
    assert [(r["company"], r["stage"]) for r in seen["rows"]] == OPEN
    assert seen["overlaps"] == []
    assert not seen["overflows"]
    assert seen["charts"] == 2
    # The charts say their numbers to a screen reader too (counted by hand in test_board).
    assert seen["chartLabels"][0] == "Applications 15, Interviewed 13, Answered 6, Offers 1"
    assert seen["chartLabels"][1] == (
        "2026-10: 2 rounds, 1 answer; 2026-11: 10 rounds, 3 answers; 2026-12: 2 rounds, 2 answers"
    )
    assert shot.stat().st_size > 10_000


def test_a_company_named_like_a_script_and_a_formula_is_text_on_the_page(
    served: str, tmp_path: Path
) -> None:
    seen = browse(f"{served}/{TOKEN}/", 390, 844, tmp_path / "hostile.png")
    assert HOSTILE in [r["company"] for r in seen["rows"]]
    assert seen["scripts"] == 1, "only the page's own copy script"
    assert seen["bold"] == 0


def test_the_board_is_csv_at_the_feeds_secret_address(served: str) -> None:
    response = fetch(f"{served}/{TOKEN}/board.csv")
    assert response.status == 200
    assert response.header("Content-Type") == "text/csv; charset=utf-8; header=present"
    assert response.header("Content-Disposition") == 'attachment; filename="applications.csv"'
    lines = response.body.decode().split("\r\n")
    assert lines[0].startswith("company,role,stage,rounds,")
    stages = [line.split(",")[2] for line in lines[1:] if line and not line.startswith('"')]
    assert "silent" in stages and "cancelled" in stages  # every application, closed ones too
    assert len([line for line in lines[1:] if line]) == len(OPEN) + len(CLOSED)
    head = fetch(f"{served}/{TOKEN}/board.csv", method="HEAD")
    assert (head.status, head.body) == (200, b"")


def test_the_csv_is_not_found_without_the_token_or_with_a_wrong_one(served: str) -> None:
    for path in ("/board.csv", f"/{TOKEN[:-1]}x/board.csv", f"/{TOKEN}/board.CSV"):
        response = fetch(served + path)
        assert response.status == 404, path
        assert b"Cobalt" not in response.body


def test_the_feeds_csv_is_the_same_as_status_csv_all(served: str, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"  # the served fixture's rules, marks already in place
    cli = ok(run(rules, "status", "--csv", "--all")).stdout_bytes
    assert fetch(f"{served}/{TOKEN}/board.csv").body == cli


def test_the_page_links_the_csv_beside_the_board(served: str) -> None:
    page = fetch(f"{served}/{TOKEN}/").body.decode()
    assert '<a href="board.csv" download>Spreadsheet (CSV)</a>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Pine &amp; Co" in page
