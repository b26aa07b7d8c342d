"""The feed's page: an agenda by day, the subscription link, every user text escaped."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from followup.engine.errors import SourceError
from followup.engine.feed.build import AgendaEntry, Build, FeedState, make_feed
from followup.engine.feed.page import SCRIPT_HASH, Links, PageView, Reach, reach_of, render_page
from followup.engine.feed.server import FeedApp
from followup.engine.plan.board import BoardRow
from tests.feed_support import NOW, ControlledInputs, cache_for, fetch, serving, site

BERLIN = ZoneInfo("Europe/Berlin")
LINKS = Links(
    web="http://127.0.0.1:8080/calendar.ics", webcal="webcal://127.0.0.1:8080/calendar.ics"
)


def entry(company: str, step: str, start: datetime, **kwargs: object) -> AgendaEntry:
    values: dict[str, object] = {
        "uid": f"{company}-{step}@followup",
        "start": start,
        "end": start + timedelta(minutes=30),
        "all_day": False,
        "kind": "event",
        "company": company,
        "step": step,
    }
    values.update(kwargs)
    return AgendaEntry(**values)  # type: ignore[arg-type]


def page(*entries: AgendaEntry, error: str | None = None, now: datetime = NOW) -> str:
    build = Build(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", tuple(entries), "Europe/Berlin")
    feed = make_feed(build, built_at=NOW, previous=None)
    view = PageView(
        calendar_name="Interview follow-ups",
        state=FeedState(feed=feed, error=error, error_at=NOW if error else None),
        now=now,
        links=LINKS,
        profile="common",
        refresh=timedelta(hours=1),
    )
    return render_page(view)


def test_a_company_named_script_is_shown_as_text() -> None:
    html = page(entry("<script>alert(1)</script>", "Thank <b>them</b>", NOW + timedelta(hours=2)))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Thank &lt;b&gt;them&lt;/b&gt;" in html
    # The only script on the page is the copy button's own.
    assert html.count("<script>") == 1


def test_a_mailto_link_cannot_break_out_of_its_attribute() -> None:
    mailto = 'mailto:x@example.com?subject=a"><img src=x onerror=alert(1)>'
    html = page(entry("Acme", "Thank-you email", NOW + timedelta(hours=2), mailto=mailto))
    assert "<img" not in html
    assert 'href="mailto:x@example.com?subject=a&#34;&gt;&lt;img' in html  # markupsafe's spelling


def test_follow_ups_are_grouped_by_day_in_time_order() -> None:
    tomorrow = NOW + timedelta(days=1)
    html = page(
        entry("Acme", "Ask for the timeline", NOW + timedelta(hours=1)),
        entry("Globex", "Appraise the interview", NOW + timedelta(hours=3)),
        entry("Acme", "Thank-you email", tomorrow),
    )
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert headings == ["Today · Tuesday 1 December", "Tomorrow · Wednesday 2 December"]
    assert html.index("Ask for the timeline") < html.index("Appraise the interview")
    assert html.index("Appraise the interview") < html.index("Thank-you email")


def test_times_are_shown_in_the_rules_timezone() -> None:
    html = page(entry("Acme", "Ask for the timeline", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)))
    assert '<span class="time">10:00</span>' in html


def test_all_day_steps_and_todos_are_marked() -> None:
    html = page(
        entry(
            "Acme",
            "Status check",
            datetime(2026, 12, 3, tzinfo=BERLIN),
            all_day=True,
            kind="todo",
        )
    )
    assert "All day" in html
    assert '<span class="tag">to-do</span>' in html


def test_past_days_are_left_out() -> None:
    html = page(
        entry("Acme", "Old step", NOW - timedelta(days=2)),
        entry("Globex", "Next step", NOW + timedelta(days=2)),
    )
    assert "Old step" not in html
    assert "Next step" in html


def test_an_empty_agenda_says_what_to_expect() -> None:
    assert "No follow-ups ahead" in page()


def test_the_page_shows_both_links_and_a_copy_button() -> None:
    html = page()
    assert 'href="webcal://127.0.0.1:8080/calendar.ics"' in html
    assert 'value="http://127.0.0.1:8080/calendar.ics"' in html
    assert 'data-copy="web-link"' in html


def test_the_page_tells_each_calendar_app_how_to_subscribe_in_two_lines() -> None:
    html = page()
    for client in ("Apple Calendar", "Google Calendar", "Outlook", "Thunderbird"):
        match = re.search(rf"<details><summary>{client}</summary><p>(.*?)</p></details>", html)
        assert match is not None, client
        assert match.group(1).count("<br>") == 1


def test_a_build_error_is_shown_with_the_time_of_the_feed_still_served() -> None:
    html = page(error="interviews.ics: permission denied")
    assert 'role="alert"' in html
    assert "interviews.ics: permission denied" in html
    assert "Still serving the calendar from Tue 1 Dec 09:00" in html


def test_a_long_agenda_is_cut_with_a_count_of_the_rest() -> None:
    entries = [entry("Acme", f"Step {n}", NOW + timedelta(hours=n)) for n in range(1, 131)]
    html = page(*entries)
    assert "And 30 more in your calendar app." in html


def test_the_page_is_served_with_a_policy_that_allows_only_its_own_script() -> None:
    inputs = ControlledInputs(items={"x@followup": "Thank <script>alert(1)</script>"})
    with serving(FeedApp(cache_for(inputs), site(), clock=lambda: NOW)) as base:
        response = fetch(base + "/")
    assert response.status == 200
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    policy = response.header("Content-Security-Policy")
    assert policy is not None and SCRIPT_HASH in policy and "default-src 'none'" in policy
    body = response.body.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


def test_the_page_links_use_the_address_the_reader_came_by() -> None:
    inputs = ControlledInputs()
    with serving(FeedApp(cache_for(inputs), site(), clock=lambda: NOW)) as base:
        port = base.rsplit(":", 1)[1]
        mine = fetch(base + "/", headers={"Host": f"laptop.local:{port}"}).body.decode()
        odd = fetch(base + "/", headers={"Host": 'evil"><x'}).body.decode()
    assert f"webcal://laptop.local:{port}/calendar.ics" in mine
    assert "evil" not in odd


def test_a_public_url_replaces_the_request_address_in_the_links() -> None:
    inputs = ControlledInputs()
    app = FeedApp(
        cache_for(inputs), site(public_url="https://cal.example.org/jobs", token="t" * 32)
    )
    with serving(app) as base:
        body = fetch(f"{base}/{'t' * 32}/").body.decode()
    assert f"https://cal.example.org/jobs/{'t' * 32}/calendar.ics" in body
    assert f"webcal://cal.example.org/jobs/{'t' * 32}/calendar.ics" in body


def test_the_page_before_any_good_build_explains_the_error() -> None:
    inputs = ControlledInputs(failure=SourceError("interviews.ics: no such file"))
    with serving(FeedApp(cache_for(inputs), site(), clock=lambda: NOW)) as base:
        feed = fetch(base + "/calendar.ics")
        body = fetch(base + "/").body.decode()
    assert feed.status == 503
    assert "interviews.ics: no such file" in body
    assert "There is no calendar to serve yet" in body


def test_steps_of_today_that_have_passed_are_marked_past() -> None:
    html = page(
        entry("Acme", "Ask for their timeline", NOW - timedelta(hours=2)),
        entry("Acme", "Appraise the interview", NOW + timedelta(hours=1)),
    )
    done = re.search(r'<li class="item past">.*?</li>', html)
    assert done is not None and "Ask for their timeline" in done.group(0)
    assert '<span class="tag">past</span>' in done.group(0)
    ahead = re.search(r'<li class="item">.*?</li>', html)
    assert ahead is not None and "Appraise the interview" in ahead.group(0)
    assert "past" not in ahead.group(0)


@pytest.mark.parametrize(
    ("host", "public_url", "reach", "words"),
    [
        ("127.0.0.1", None, "this-computer", "Only this computer"),
        ("::1", None, "this-computer", "Only this computer"),
        ("0.0.0.0", None, "network", "Devices on your network"),
        ("192.0.2.10", None, "network", "Devices on your network"),
        ("127.0.0.1", "https://cal.example.org", "public", "Anyone with the link"),
    ],
)
def test_the_page_says_who_can_open_it_before_the_agenda(
    host: str, public_url: str | None, reach: Reach, words: str
) -> None:
    assert reach_of(host, public_url) == reach
    build = Build(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", (), "Europe/Berlin")
    view = PageView(
        calendar_name="Interview follow-ups",
        state=FeedState(feed=make_feed(build, built_at=NOW, previous=None)),
        now=NOW,
        links=LINKS,
        profile="common",
        refresh=timedelta(hours=1),
        reach=reach,
    )
    html = render_page(view)
    assert words in html
    assert html.index(words) < html.index("How to subscribe") < html.index("Coming up")


def test_a_feed_without_reminders_says_so() -> None:
    assert "This feed has no reminders" in page()


class Outline(HTMLParser):
    """The elements and attributes of a page, and its text, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.text: list[str] = []
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(name for name, _ in attrs)))
        self.values.extend(value for _, value in attrs if value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def board_row(company: str, people: str) -> BoardRow:
    return BoardRow(
        key=f"{company}@x",
        company=company,
        role=people,
        rounds=(date(2026, 11, 20),),
        ahead=(),
        latest=None,
        recruiter=people,
        stage="waiting",
        stage_since=date(2026, 11, 20),
        last_contact=date(2026, 11, 20),
        days_since_contact=11,
        next_step=f"Check in with {company}",
        next_at=NOW + timedelta(days=2),
        next_all_day=False,
        first_day=date(2026, 11, 20),
    )


def outline_of(text: str) -> Outline:
    """The page with ``text`` in every place that shows text from a calendar or a server."""
    agenda = (entry(text, text, NOW + timedelta(hours=2), mailto=f"mailto:x@x?subject={text}"),)
    build = Build(b"", agenda, "Europe/Berlin", warnings=(text,), board=(board_row(text, text),))
    view = PageView(
        calendar_name=text,
        state=FeedState(feed=make_feed(build, built_at=NOW, previous=None), error=text),
        now=NOW,
        links=LINKS,
        profile="common",
        refresh=timedelta(hours=1),
    )
    outline = Outline()
    outline.feed(render_page(view))
    outline.close()
    return outline


@pytest.mark.parametrize(
    "hostile",
    [
        '"><script>alert(1)</script>',
        "' onmouseover='alert(1)",
        "</title><b>bold</b><!--",
        "Acme\u202e moc.evil\u2066 \u2069 & <i>",
        "Acme\x00\x07\x1b[2J\x7f\x9b\u2028 &amp; &#60;",
    ],
)
def test_hostile_text_in_every_place_is_shown_as_the_same_text(hostile: str) -> None:
    # The page with hostile text has the same elements and attributes as with plain text,
    # and a parser reads the text back as it was written: quotes, bidi controls, control
    # characters and character references all stay text.
    plain, shown = outline_of("Acme"), outline_of(hostile)
    assert shown.tags == plain.tags
    text = "".join(shown.text)
    assert text.count(hostile) >= 6  # title, heading, note, error, board, agenda
    assert f"mailto:x@x?subject={hostile}" in shown.values
