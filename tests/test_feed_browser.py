"""The feed's page in a real browser: headless Chromium, the size of a phone.

Set FOLLOWUP_UPDATE_SCREENSHOT=1 to write the screenshot to docs/feed.png.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from followup.engine.feed.build import render_options
from followup.engine.feed.cache import FeedCache, PipelineInputs
from followup.engine.feed.server import FeedApp, FeedSite
from tests.feed_support import serving
from tests.test_board_page import browse as board_view
from tests.test_serve_pipeline import (
    EXAMPLE,
    JS,
    NOW,
    ROOT,
    shipped_rules_in_berlin,
    write_rules,
)


def browse(url: str, screenshot: Path | None = None) -> dict[str, Any]:
    command = ["node", str(JS / "page.mjs"), url]
    if screenshot is not None:
        command.append(str(screenshot))
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout)
    return seen


def serve_source(source: Path, rules: Path) -> Iterator[str]:
    inputs = PipelineInputs(
        str(source),
        rules,
        render_options("common", calendar_name="Job search", refresh=timedelta(hours=1)),
    )
    # Planned and stamped at the same pinned moment, so the page reads the same every run.
    cache = FeedCache(inputs, clock=lambda: NOW, wall=lambda: NOW)
    site = FeedSite(calendar_name="Job search", profile="common", refresh=timedelta(hours=1))
    with serving(FeedApp(cache, site, clock=lambda: NOW)) as base:
        yield base


@pytest.fixture
def example_page(tmp_path: Path) -> Iterator[str]:
    rules = tmp_path / "rules.yaml"
    write_rules(rules)
    yield from serve_source(EXAMPLE, rules)


def test_the_page_shows_the_bundled_examples_agenda_by_day(example_page: str) -> None:
    seen = browse(example_page + "/")
    assert seen["httpStatus"] == 200
    assert seen["problems"] == []
    assert seen["heading"] == "Job search"
    assert seen["status"].startswith("Updated Tue 1 Dec 08:00 · 10 follow-ups")
    assert seen["error"] is None
    assert seen["days"][:3] == [
        "Today · Tuesday 1 December",
        "Tomorrow · Wednesday 2 December",
        "Thursday 3 December",
    ]
    first = seen["items"][0]
    assert first == {
        "time": "11:45",
        "company": "ACME",
        "step": "Appraise the ACME interview",
        "mailto": None,
    }
    thanks = seen["items"][1]
    assert thanks["time"] == "09:00"
    assert thanks["step"] == "Send Dana a thank-you email"
    assert thanks["mailto"].startswith("mailto:dana.smith@acme.example?subject=Thank%20you")
    # The past (Globex on 26 November) is not on the agenda.
    assert all(item["company"] != "Globex" for item in seen["items"])
    assert seen["clients"] == ["Apple Calendar", "Google Calendar", "Outlook", "Thunderbird"]
    assert not seen["overflows"], "nothing may scroll sideways on a phone"


def test_a_phone_sees_who_can_open_the_page_and_how_to_subscribe_right_after_the_board(
    example_page: str, tmp_path: Path
) -> None:
    seen = browse(example_page + "/")
    assert seen["problems"] == []
    assert seen["reach"].startswith("Only this computer can open this address.")
    assert "--host 0.0.0.0" in seen["reach"] and "--public-url" in seen["reach"]
    # The applications come first (tests/test_board_page.py); then who can open the page,
    # the subscribe button and the apps, all before the agenda.
    order = board_view(example_page + "/", 390, 844, tmp_path / "phone.png")["order"]
    parts = ["board", "reach", "card", "clients card"]
    assert [order.index(part) for part in parts] == sorted(order.index(part) for part in parts)


def test_the_page_for_the_shipped_rules_fits_a_phone_screen(tmp_path: Path) -> None:
    rules = tmp_path / "default.yaml"
    rules.write_text(shipped_rules_in_berlin(), encoding="utf-8")
    shot = tmp_path / "feed.png"
    for base in serve_source(EXAMPLE, rules):
        seen = browse(base + "/", shot)
    assert seen["problems"] == []
    assert seen["error"] is None
    assert seen["days"][0] == "Today · Tuesday 1 December"
    assert len(seen["days"]) >= 5
    assert any(item["mailto"] for item in seen["items"])
    assert not seen["overflows"], "nothing may scroll sideways on a phone"
    assert shot.stat().st_size > 10_000
    if os.environ.get("FOLLOWUP_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, ROOT / "docs" / "feed.png")


def test_the_copy_button_puts_the_subscription_link_on_the_clipboard(example_page: str) -> None:
    seen = browse(example_page + "/")
    port = example_page.rsplit(":", 1)[1]
    assert seen["subscribe"] == f"webcal://127.0.0.1:{port}/calendar.ics"
    assert seen["links"] == {
        "webcal-link": f"webcal://127.0.0.1:{port}/calendar.ics",
        "web-link": f"http://127.0.0.1:{port}/calendar.ics",
    }
    assert seen["copyButtons"] == 2
    assert seen["buttonAfter"] == "Copied"
    assert seen["copied"] == f"http://127.0.0.1:{port}/calendar.ics"


def test_a_company_named_script_is_shown_as_text_in_the_browser(tmp_path: Path) -> None:
    source = tmp_path / "interviews.ics"
    source.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:x@example\r\nDTSTAMP:20261201T070000Z\r\n"
        b"DTSTART:20261201T090000Z\r\nDTEND:20261201T100000Z\r\n"
        b"SUMMARY:Interview\r\n"
        b"DESCRIPTION:Company: <script>alert('hi')</script><img src=x onerror=alert(1)>\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    rules = tmp_path / "rules.yaml"
    write_rules(rules)
    for base in serve_source(source, rules):
        seen = browse(base + "/")
    assert seen["problems"] == []
    assert seen["scripts"] == 1, "only the page's own copy script"
    assert seen["items"][0]["company"] == "<script>alert('hi')</script><img src=x onerror=alert(1)>"
