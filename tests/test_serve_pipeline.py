"""The feed built by the real planner from real files, served over real HTTP.

Edits to the interviews or the rules reach the feed once the rebuild the next
request starts has finished, under the same UIDs; a rules file saved half-way keeps the last good feed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from followup.engine.feed.build import Profile, render_options
from followup.engine.feed.cache import FeedCache, PipelineInputs
from followup.engine.feed.server import FeedApp, FeedSite
from followup.engine.marks import Mark, record_mark
from followup.engine.write.feedcheck import check_feed
from tests.feed_support import Response, fetch_settled, serving
from tests.test_interop import by_ical_js, by_icalendar, by_vobject

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "interviews.ics"
JS = ROOT / "tests" / "js"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)

RULES = """\
version: 1
name: Feed test policy
timezone: Europe/Berlin
interviews:
  words: [interview]
defaults:
  kind: {kind}
  duration: 15m
rules:
  - id: appraise
    title: "Appraise the {{{{ company or interview_title }}}} interview"
    when: {{ from: end, offset: 45m }}
    duration: 30m
    alarm: {{ before: 0m }}
  - id: thank-you
    title: "Send {{{{ recruiter_first_name or company }}}} a thank-you email"
    when: {{ from: end, offset: 1 day, at: "{thank_you_at}" }}
    alarm: {{ before: 0m }}
    email:
      to: "{{{{ recruiter_email or '' }}}}"
      subject: "Thank you"
      body: "Thank you for the conversation."
"""


def write_rules(path: Path, *, thank_you_at: str = "09:00", kind: str = "event") -> None:
    path.write_text(RULES.format(thank_you_at=thank_you_at, kind=kind), encoding="utf-8")


@dataclass
class Served:
    url: str
    source: Path
    rules: Path
    clock: list[datetime]
    cache: FeedCache

    def feed(self, **headers: str) -> Response:
        """The feed as served once the rebuild an earlier request started has finished."""
        return fetch_settled(self.cache, self.url + "/calendar.ics", headers)

    def page(self) -> str:
        return fetch_settled(self.cache, self.url + "/").body.decode()


def items(body: bytes) -> dict[str, dict[str, object]]:
    """UID -> the parts of each event or to-do a person would notice."""
    found: dict[str, dict[str, object]] = {}
    for component in Calendar.from_ical(body).walk():
        if component.name in ("VEVENT", "VTODO"):
            found[str(component["UID"])] = {
                "kind": component.name,
                "summary": str(component["SUMMARY"]),
                "start": component.decoded("DTSTART"),
                "alarms": len(component.subcomponents),
            }
    return found


@pytest.fixture
def serve_copy(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Serve a copy of the bundled example with a rules file the test may edit."""
    with ExitStack() as stack:

        def start(
            profile: Profile = "common", kind: str = "event", rules_text: str | None = None
        ) -> Served:
            source = tmp_path / "interviews.ics"
            shutil.copyfile(EXAMPLE, source)
            rules = tmp_path / "rules.yaml"
            if rules_text is None:
                write_rules(rules, kind=kind)
            else:
                rules.write_text(rules_text, encoding="utf-8")
            clock = [NOW]
            inputs = PipelineInputs(
                str(source),
                rules,
                render_options(profile, calendar_name="Job search", refresh=timedelta(hours=1)),
            )
            cache = FeedCache(inputs, clock=lambda: clock[0], check_every=timedelta(0))
            site = FeedSite(calendar_name="Job search", profile=profile, refresh=timedelta(hours=1))
            url = stack.enter_context(serving(FeedApp(cache, site, clock=lambda: clock[0])))
            return Served(url, source, rules, clock, cache)

        yield start


def shipped_rules_in_berlin() -> str:
    """The shipped policy as a user's copy would have it: with a timezone set."""
    shipped = (ROOT / "rules" / "default.yaml").read_text(encoding="utf-8")
    return re.sub(r"(?m)^timezone:.*$", "timezone: Europe/Berlin", shipped)


def test_the_bundled_example_is_served_as_a_feed_that_clients_parsers_read_whole(
    serve_copy: Callable[..., Served], tmp_path: Path
) -> None:
    served = serve_copy()
    response = served.feed()
    assert response.status == 200
    # Thunderbird's parser (ical.js) and vobject read every item, at the same instants.
    saved = tmp_path / "feed.ics"
    saved.write_bytes(response.body)
    items_read = by_icalendar(response.body)
    assert len(items_read) == 10
    assert by_ical_js(saved) == items_read
    assert by_vobject(response.body) == items_read
    result = check_feed(response.body)
    assert result.ok, result.findings
    assert result.findings == ()
    assert result.events == 10
    assert result.timezones == ("Europe/Berlin",)
    assert b"X-WR-CALNAME:Job search\r\n" in response.body
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.body
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in response.body


def test_an_edited_interview_changes_the_feed_under_the_same_uids(
    serve_copy: Callable[..., Served],
) -> None:
    served = serve_copy()
    before = served.feed()
    old = items(before.body)
    # The ACME interview moves a day later, as a calendar app would save it.
    text = served.source.read_text(encoding="utf-8")
    moved = text.replace("DTSTART:20261201T090000Z", "DTSTART:20261202T090000Z").replace(
        "DTEND:20261201T100000Z", "DTEND:20261202T100000Z"
    )
    assert moved != text
    served.source.write_text(moved, encoding="utf-8")
    after = served.feed(**{"If-None-Match": before.header("ETag") or ""})
    assert after.status == 200
    new = items(after.body)
    assert new.keys() == old.keys()
    changed = [uid for uid in new if new[uid]["start"] != old[uid]["start"]]
    assert len(changed) == 2
    assert all(new[uid]["start"] - old[uid]["start"] == timedelta(days=1) for uid in changed)  # type: ignore[operator]


def test_a_new_interview_adds_follow_ups_and_keeps_the_others(
    serve_copy: Callable[..., Served],
) -> None:
    served = serve_copy()
    old = items(served.feed().body)
    event = (
        "BEGIN:VEVENT\r\nUID:new-one@example\r\nDTSTAMP:20261201T070000Z\r\n"
        "DTSTART:20261204T100000Z\r\nDTEND:20261204T110000Z\r\n"
        "SUMMARY:Interview with Umbrella\r\nEND:VEVENT\r\nEND:VCALENDAR"
    )
    text = served.source.read_text(encoding="utf-8")
    served.source.write_text(text.replace("END:VCALENDAR", event), encoding="utf-8")
    new = items(served.feed().body)
    assert old.keys() < new.keys()
    added = [str(new[uid]["summary"]) for uid in new.keys() - old.keys()]
    assert sorted(added) == ["Appraise the Umbrella interview", "Send Umbrella a thank-you email"]


def test_an_edited_rules_file_changes_the_feed_under_the_same_uids(
    serve_copy: Callable[..., Served],
) -> None:
    served = serve_copy()
    old = items(served.feed().body)
    write_rules(served.rules, thank_you_at="10:30")
    new = items(served.feed().body)
    assert new.keys() == old.keys()
    moved = {uid for uid in new if new[uid]["start"] != old[uid]["start"]}
    assert moved == {uid for uid in new if "thank-you" in uid}
    assert all(new[uid]["start"].strftime("%H:%M") == "10:30" for uid in moved)  # type: ignore[attr-defined]


def test_a_rules_file_saved_half_way_keeps_the_last_good_feed_and_the_page_says_so(
    serve_copy: Callable[..., Served],
) -> None:
    served = serve_copy()
    good = served.feed()
    text = served.rules.read_text(encoding="utf-8")
    served.rules.write_text(
        text[: text.index("    when: { from: end, offset: 45m }")] + "    when: {"
    )
    again = served.feed()
    assert again.status == 200
    assert again.body == good.body
    assert again.header("ETag") == good.header("ETag")
    page = served.page()
    assert "Could not update the calendar" in page
    assert "rules.yaml:" in page
    write_rules(served.rules, thank_you_at="10:00")
    fixed = served.feed()
    assert fixed.header("ETag") != good.header("ETag")
    assert "Could not update the calendar" not in served.page()


def test_an_emptied_or_missing_source_keeps_the_last_good_feed(
    serve_copy: Callable[..., Served],
) -> None:
    served = serve_copy()
    good = served.feed()
    served.source.write_bytes(b"")
    assert served.feed().body == good.body
    assert "the file is empty" in served.page()
    served.source.unlink()
    assert served.feed().body == good.body
    assert "no such file" in served.page()
    shutil.copyfile(EXAMPLE, served.source)
    assert served.feed().status == 200
    assert "Could not update the calendar" not in served.page()


def test_a_recorded_reply_takes_the_status_check_and_move_on_out_of_the_feed(
    serve_copy: Callable[..., Served],
) -> None:
    served = serve_copy(rules_text=shipped_rules_in_berlin())
    before = items(served.feed().body)
    acme = {str(item["summary"]) for item in before.values() if "ACME" in str(item["summary"])}
    assert "Check in with ACME about your application" in acme
    record_mark(Mark(key="7f3c2a10acme@google.com", status="replied"))
    after = items(served.feed().body)
    gone = {str(before[uid]["summary"]) for uid in before.keys() - after.keys()}
    assert gone == {"Check in with ACME about your application", "Move on from ACME"}
    assert after.keys() < before.keys()


def test_the_feed_is_rebuilt_when_the_clock_crosses_into_a_new_day(
    serve_copy: Callable[..., Served],
) -> None:
    served = serve_copy()
    first = served.feed()
    served.clock[0] = NOW + timedelta(hours=3)
    assert served.feed().header("ETag") == first.header("ETag"), "same day, same feed"
    served.clock[0] = NOW + timedelta(days=1)
    assert served.feed().header("ETag") != first.header("ETag")


def test_the_google_profile_sends_events_without_alarms(
    serve_copy: Callable[..., Served],
) -> None:
    found = items(serve_copy(profile="google", kind="todo").feed().body)
    assert {item["kind"] for item in found.values()} == {"VEVENT"}
    assert all(item["alarms"] == 0 for item in found.values())


def test_the_apple_profile_keeps_todos_and_alarms(serve_copy: Callable[..., Served]) -> None:
    found = items(serve_copy(profile="apple", kind="todo").feed().body)
    assert {item["kind"] for item in found.values()} == {"VTODO"}
    assert all(item["alarms"] == 1 for item in found.values())


def test_the_common_profile_sends_events_without_alarms(
    serve_copy: Callable[..., Served],
) -> None:
    found = items(serve_copy(kind="todo").feed().body)
    assert {item["kind"] for item in found.values()} == {"VEVENT"}
    assert all(item["alarms"] == 0 for item in found.values())


def ical_js(where: str) -> dict[str, dict[str, str]]:
    done = subprocess.run(
        ["node", str(JS / "instants.mjs"), where],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    parsed: dict[str, dict[str, str]] = json.loads(done.stdout)
    return parsed


def utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.mark.parametrize("profile", ["common", "apple"])
def test_ical_js_reads_the_served_feed_at_the_same_instants_as_icalendar(
    serve_copy: Callable[..., Served], profile: Profile
) -> None:
    served = serve_copy(profile=profile, kind="todo")
    seen = ical_js(served.url + "/calendar.ics")
    calendar = Calendar.from_ical(served.feed().body)
    expected: dict[str, dict[str, str]] = {}
    for component in calendar.walk():
        if component.name == "VEVENT":
            expected[str(component["UID"])] = {
                "start": utc(component.decoded("DTSTART")),
                "end": utc(component.decoded("DTEND")),
            }
        elif component.name == "VTODO":
            entry = {"start": utc(component.decoded("DTSTART"))}
            if "DUE" in component:
                entry["due"] = utc(component.decoded("DUE"))
            expected[str(component["UID"])] = entry
    assert seen == expected
    assert len(seen) == 10
