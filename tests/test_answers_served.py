"""An open question and its answer where followup's output goes elsewhere: the sync report
against a real Radicale, and the feed page through the real feed server."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from markupsafe import escape  # the page is escaped by markupsafe (Jinja2 autoescape)

from followup.cli.main import main
from followup.engine.answers import Answer, record_answers
from followup.engine.feed.build import render_options
from followup.engine.feed.cache import FeedCache, PipelineInputs
from followup.engine.feed.server import FeedApp, FeedSite
from tests.feed_support import fetch_settled, serving
from tests.sync_support import CalendarApp, account, interview
from tests.test_applications import calendar, event
from tests.test_serve_pipeline import shipped_rules_in_berlin

pytest_plugins = ["tests.conftest_caldav"]

BERLIN = ZoneInfo("Europe/Berlin")

JANE = event(
    "jane@x",
    "20261124T090000Z",
    "Chat with Jane <b>&amp;</b>",
    "DESCRIPTION:Company: Globex",
)


def sync(*args: str) -> Result:
    result = CliRunner().invoke(main, ["sync", "--now", "2026-12-01T08:00", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.machine_zone("Europe/Berlin")
def test_sync_reports_the_question_and_an_answer_brings_the_follow_ups(
    app: CalendarApp, password: str
) -> None:
    work, target = app.make_calendar("work"), app.make_calendar("followups")
    app.add(work, "acme", interview("acme@x", datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)))
    app.add(work, "jane", calendar(JANE))
    first = sync("--from", account(work), "--to", account(target))
    assert first.exit_code == 0, first.output
    assert (
        "warning: Chat with Jane <b>&amp;</b>: not counted as an interview "
        "(Tue 24 Nov 2026 10:00): its notes have a Company line"
    ) in first.output
    assert "answer with `followup answer jane@x interview` (or not-interview)" in first.output
    before = set(app.followups(target))

    answered = CliRunner().invoke(
        main,
        ["answer", "jane@x", "interview", "--from", account(work), "--now", "2026-12-01T08:00"],
    )
    assert answered.exit_code == 0, answered.output
    second = sync("--from", account(work), "--to", account(target))
    assert second.exit_code == 0, second.output
    assert "not counted as an interview" not in second.output
    added = set(app.followups(target)) - before
    assert any(uid.endswith("-thank-you@followup") for uid in added)
    assert "  created  Send Globex a thank-you email" in second.output


def test_the_feed_page_asks_with_the_command_escaped_and_an_answer_updates_it(
    tmp_path: Path,
) -> None:
    source = tmp_path / "calendar.ics"
    acme = event("acme@x", "20261123T090000Z", "Interview with ACME")
    source.write_bytes(calendar(acme, JANE.replace("UID:jane@x", "UID:<i>jane</i>@x")))
    rules = tmp_path / "rules.yaml"
    rules.write_text(shipped_rules_in_berlin(), encoding="utf-8")
    clock = [datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)]
    options = render_options("common", calendar_name="Job search", refresh=timedelta(hours=1))
    cache = FeedCache(
        PipelineInputs(str(source), rules, options),
        clock=lambda: clock[0],
        check_every=timedelta(0),
    )
    site = FeedSite(calendar_name="Job search", profile="common", refresh=timedelta(hours=1))
    with serving(FeedApp(cache, site, clock=lambda: clock[0])) as url:
        page = fetch_settled(cache, url + "/").body.decode()
        assert "<i>jane</i>" not in page and "<b>&amp;</b>" not in page
        command = "followup answer '<i>jane</i>@x' interview"
        assert escape(f"answer with `{command}` (or not-interview)") in page
        assert escape("Chat with Jane <b>&amp;</b>: not counted") in page
        feed = fetch_settled(cache, url + "/calendar.ics").body
        assert b"X-FOLLOWUP-INTERVIEW:<i>jane</i>@x" not in feed

        record_answers([Answer("<i>jane</i>@x", True)])
        page = fetch_settled(cache, url + "/").body.decode()
        assert "not counted as an interview" not in page
        feed = fetch_settled(cache, url + "/calendar.ics").body
        assert b"X-FOLLOWUP-INTERVIEW:<i>jane</i>@x" in feed
