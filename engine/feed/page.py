"""The feed's web page: your applications, the agenda ahead, the subscription link, how to
subscribe, and the numbers of the search.

A pure function from a view to HTML text, rendered by a Jinja2 template
(``templates/page.html.j2``) with autoescape: every piece of user text is
escaped, so a company called ``<script>`` is shown as text.
The one script (the copy button) is inline and allowed by its hash in the
Content-Security-Policy the server sends, so no other script can run.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import groupby
from typing import Literal
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from followup.engine.feed.build import PROFILES, AgendaEntry, Feed, FeedState, Profile
from followup.engine.plan.board import BoardRow
from followup.engine.plan.stats import KIND_WORDS, Stats, percent, stats


@dataclass(frozen=True, slots=True)
class Links:
    """The subscription link in its two spellings."""

    web: str
    """http:// or https://, for Google, Outlook on the web and Thunderbird."""
    webcal: str
    """webcal://, which opens Apple Calendar or Outlook on a click."""


Reach = Literal["this-computer", "network", "public"]
"""Who can open the feed's address: only this computer (loopback), devices on the same
network (bound to another address), or anyone who has the link (behind --public-url)."""


def reach_of(host: str, public_url: str | None) -> Reach:
    """Who can reach a server bound to ``host``, maybe published at ``public_url``."""
    if public_url:
        return "public"
    loopback = host in ("localhost", "::1") or host.startswith("127.")
    return "this-computer" if loopback else "network"


REACH_NOTES: dict[Reach, tuple[str, str]] = {
    "this-computer": (
        "Only this computer can open this address.",
        "For a phone on the same Wi-Fi, start the server with --host 0.0.0.0 (the links then "
        "carry a secret token). Google Calendar and Outlook.com fetch feeds from their own "
        "servers: they need an address on the internet, through a reverse proxy or a tunnel "
        "and --public-url (see docs/feed.md).",
    ),
    "network": (
        "Devices on your network can open this address; the links carry a secret token.",
        "Google Calendar and Outlook.com fetch feeds from their own servers: they need an "
        "address on the internet, through a reverse proxy or a tunnel and --public-url "
        "(see docs/feed.md).",
    ),
    "public": (
        "Anyone with the link can open this calendar: keep the link to yourself.",
        "The secret token in the link is what keeps it private; delete the token file and "
        "restart to change it (then subscribe again).",
    ),
}


@dataclass(frozen=True, slots=True)
class PageView:
    """Everything the page shows."""

    calendar_name: str
    state: FeedState
    now: datetime
    links: Links
    profile: Profile
    refresh: timedelta
    reach: Reach = "this-computer"
    limit: int = 100


COPY_SCRIPT = """
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (err) {
      field.select();
      document.execCommand("copy");
    }
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy"; }, 2000);
  });
}
"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(COPY_SCRIPT.encode()).digest()).decode()
"""The copy script's hash, for the page's Content-Security-Policy."""

CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src '{SCRIPT_HASH}'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

STYLE = """
:root { color-scheme: light dark; --fg: #1d2433; --muted: #5d6778; --line: #e3e6ec;
  --card: #ffffff; --bg: #f5f6f8; --accent: #2454d6; --warn-bg: #fff4e5; --warn: #8a4b00; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8ebf1; --muted: #a3acbb; --line: #2c3340; --card: #1a1f29;
    --bg: #11151c; --accent: #8fb0ff; --warn-bg: #3a2a12; --warn: #ffd08a; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 42rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.05rem; margin: 1.75rem 0 .5rem; }
.status { color: var(--muted); margin: 0 0 1rem; font-size: .95rem; }
.error { background: var(--warn-bg); color: var(--warn); border-radius: .5rem;
  padding: .75rem 1rem; margin: 0 0 1rem; overflow-wrap: anywhere; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .75rem;
  padding: .9rem 1rem; }
.subscribe { display: inline-block; background: var(--accent); color: var(--card);
  text-decoration: none; font-weight: 600; padding: .55rem 1rem; border-radius: .5rem; }
.link { display: flex; gap: .5rem; margin-top: .6rem; }
.link input { flex: 1; min-width: 0; font: .85rem ui-monospace, SFMono-Regular, Menlo, monospace;
  padding: .45rem .5rem; border: 1px solid var(--line); border-radius: .4rem;
  background: var(--bg); color: var(--fg); }
.link button { font: inherit; font-size: .9rem; padding: .4rem .8rem; border-radius: .4rem;
  border: 1px solid var(--accent); background: transparent; color: var(--accent); cursor: pointer;
  min-width: 5.5rem; }
.day { margin-top: 1.25rem; }
.day h3 { font-size: .95rem; color: var(--muted); margin: 0 0 .4rem; font-weight: 600; }
.items { list-style: none; margin: 0; padding: 0 1rem; }
.item { display: grid; grid-template-columns: 4rem 1fr; gap: .6rem; padding: .6rem 0;
  border-top: 1px solid var(--line); }
.item:first-child { border-top: 0; }
.time { color: var(--muted); font-variant-numeric: tabular-nums; font-size: .95rem; }
.company { font-weight: 600; overflow-wrap: anywhere; }
.step { display: block; overflow-wrap: anywhere; }
.tag { font-size: .75rem; color: var(--muted); border: 1px solid var(--line);
  border-radius: 1rem; padding: 0 .45rem; margin-left: .3rem; white-space: nowrap; }
.mail { display: inline-block; margin-top: .2rem; color: var(--accent); font-size: .95rem; }
.more, .empty { color: var(--muted); }
.clients { display: grid; gap: .75rem; }
.clients p { margin: 0; font-size: .95rem; }
.clients strong { display: block; }
footer { color: var(--muted); font-size: .85rem; margin-top: 2rem; }
.reach { border-left: .25rem solid var(--accent); padding: .1rem 0 .1rem .75rem; margin: 0 0 1rem;
  font-size: .95rem; }
.reach p { margin: 0; }
.reach p + p { color: var(--muted); margin-top: .25rem; }
.clients details { border-top: 1px solid var(--line); padding: .45rem 0; }
.clients details:first-of-type { border-top: 0; }
.clients summary { cursor: pointer; font-weight: 600; }
.clients details p { margin: .35rem 0 0; }
.item.past .company, .item.past .step, .item.past .time { color: var(--muted); }
.item.past .step { text-decoration: line-through; }
.apps { list-style: none; margin: 0; padding: 0 1rem; }
.app { padding: .6rem 0; border-top: 1px solid var(--line); }
.app:first-child { border-top: 0; }
.app-head { display: flex; justify-content: space-between; align-items: baseline; gap: .5rem; }
.app-head .company { min-width: 0; }
.stage { flex: none; font-size: .8rem; border-radius: 1rem; padding: 0 .5rem;
  border: 1px solid var(--line); color: var(--muted); white-space: nowrap; }
.stage.now { background: var(--accent); border-color: var(--accent); color: var(--card);
  font-weight: 600; }
.app-next { overflow-wrap: anywhere; }
.app-next time { font-weight: 600; margin-right: .35rem; font-variant-numeric: tabular-nums; }
.app-meta { color: var(--muted); font-size: .85rem; overflow-wrap: anywhere; }
.board-links { display: flex; justify-content: space-between; gap: .5rem; margin: 0 0 .5rem;
  color: var(--muted); font-size: .95rem; }
.board-links a { color: var(--accent); }
.closed-apps { margin-top: .6rem; }
.closed-apps summary { cursor: pointer; color: var(--muted); }
.closed-apps .apps { margin-top: .4rem; }
.chart { display: block; width: 100%; max-width: 26rem; height: auto; margin: .25rem 0 .75rem; }
.chart text { fill: var(--fg); font: 12px system-ui, sans-serif; }
.chart .bar { fill: var(--accent); }
.chart .bar2 { fill: var(--muted); }
.numbers p { margin: .35rem 0 0; font-size: .95rem; }
"""

CLIENTS: tuple[tuple[str, str, str], ...] = (
    (
        "Apple Calendar",
        "Mac: File › New Calendar Subscription, paste the webcal link.",
        "iPhone: Settings › Calendar › Accounts › Add Account › Other › Add Subscribed Calendar.",
    ),
    (
        "Google Calendar",
        "calendar.google.com: Other calendars › + › From URL, paste the web link.",
        "Google fetches from the internet, so the link must be public; updates can take a day.",
    ),
    (
        "Outlook",
        "Outlook on the web: Add calendar › Subscribe from web, paste the web link.",
        "Outlook for Windows: Add Calendar › From Internet; it refreshes every few hours.",
    ),
    (
        "Thunderbird",
        "New Calendar › On the Network, paste the web link, no user name needed.",
        "Start the server with --profile thunderbird to get to-dos and alarms too.",
    ),
)


TEMPLATE = "page.html.j2"
"""The page's Jinja2 template, in ``engine/feed/templates``: the markup, with every value
escaped by autoescape. The values it shows are worked out below, in Python."""


@dataclass(frozen=True, slots=True)
class StatusLine:
    built_at: str
    built: str
    count: int
    warnings: tuple[str, ...]


NOW_STAGES = frozenset({"check-in due", "offer"})
"""Stages that ask something of the user now: shown as a filled chip."""


@dataclass(frozen=True, slots=True)
class NextStep:
    day: str
    label: str
    step: str


@dataclass(frozen=True, slots=True)
class Application:
    """One row of the board as the page shows it."""

    company: str
    stage: str
    now: bool
    next: NextStep | None
    meta: str


@dataclass(frozen=True, slots=True)
class Applications:
    open: tuple[Application, ...]
    closed: tuple[Application, ...]


@dataclass(frozen=True, slots=True)
class DayItem:
    """One follow-up as the agenda shows it."""

    when: str
    company: str
    step: str
    mailto: str | None
    todo: bool
    past: bool


@dataclass(frozen=True, slots=True)
class AgendaDay:
    label: str
    items: tuple[DayItem, ...]


@dataclass(frozen=True, slots=True)
class Agenda:
    days: tuple[AgendaDay, ...]
    more: int
    """How many follow-ups ahead are past ``PageView.limit``."""


@dataclass(frozen=True, slots=True)
class FunnelBar:
    name: str
    text_y: int
    bar_y: int
    width: int
    value_x: int
    value: str


@dataclass(frozen=True, slots=True)
class Funnel:
    height: int
    label: str
    bars: tuple[FunnelBar, ...]


@dataclass(frozen=True, slots=True)
class MonthBar:
    css: str
    x: int
    y: int
    width: int
    height: int
    text_y: int
    count: int


@dataclass(frozen=True, slots=True)
class MonthColumn:
    x: int
    month: str
    bars: tuple[MonthBar, ...]


@dataclass(frozen=True, slots=True)
class MonthChart:
    label: str
    columns: tuple[MonthColumn, ...]


@dataclass(frozen=True, slots=True)
class Numbers:
    funnel: Funnel
    waits: str
    silent: str
    months: MonthChart | None


@cache
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("followup.engine.feed", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    return environment.get_template(TEMPLATE)


def render_page(view: PageView) -> str:
    """The page as HTML text."""
    feed = view.state.feed
    zone = _zone(feed.timezone if feed else None)
    today = view.now.astimezone(zone).date()
    about = PROFILES[view.profile].about
    return _template().render(
        name=view.calendar_name,
        style=Markup(STYLE),
        script=Markup(COPY_SCRIPT),
        status=_status(feed, zone) if feed is not None else None,
        error=view.state.error,
        board=_board(feed.board, zone, today) if feed is not None and feed.board else None,
        reach=REACH_NOTES[view.reach],
        links=view.links,
        clients=CLIENTS,
        alarms=PROFILES[view.profile].alarms,
        agenda=_agenda(view, zone, today) if feed is not None else None,
        numbers=_numbers(stats(feed.board)) if feed is not None and feed.board else None,
        profile=view.profile,
        about=about,
        refresh=duration_words(view.refresh),
        zone=feed.timezone if feed is not None else None,
    )


def _status(feed: Feed, zone: ZoneInfo) -> StatusLine:
    # The warnings are the lines `followup plan` prints: events not counted, zones guessed,
    # dates unclear.
    return StatusLine(
        feed.built_at.isoformat(), _stamp(feed.built_at, zone), len(feed.agenda), feed.warnings
    )


def _board(rows: Sequence[BoardRow], zone: ZoneInfo, today: date) -> Applications:
    """The applications, what needs you first: open ones listed, closed ones folded away."""
    return Applications(
        open=tuple(_application(row, zone, today) for row in rows if not row.closed),
        closed=tuple(_application(row, zone, today) for row in rows if row.closed),
    )


def _application(row: BoardRow, zone: ZoneInfo, today: date) -> Application:
    next_step = None
    if row.next_at is not None:
        day = row.next_at.date() if row.next_all_day else row.next_at.astimezone(zone).date()
        label = _relative_day(day, today)
        if day < today:  # a step still open (a check-in's window): due since then
            label = f"Due since {label}"
        next_step = NextStep(day.isoformat(), label, row.next_step or "")
    meta = [part for part in (row.role, row.recruiter) if part]
    if row.rounds:
        days = ", ".join(f"{d:%a} {d.day} {d:%b}" for d in row.rounds)
        meta.append(f"{'round' if len(row.rounds) == 1 else 'rounds'} {days}")
    if row.ahead:
        meta.append(f"next round {_relative_day(row.ahead[0], today)}")
    if row.days_since_contact is not None:
        days_ago = row.days_since_contact
        meta.append(
            "last contact today"
            if days_ago == 0
            else f"last contact {days_ago} {'day' if days_ago == 1 else 'days'} ago"
        )
    if row.stage == "silent" and row.stage_since is not None:
        meta.append(f"silent since {row.stage_since:%a} {row.stage_since.day} {row.stage_since:%b}")
    return Application(row.company, row.stage, row.stage in NOW_STAGES, next_step, " · ".join(meta))


def _relative_day(day: date, today: date) -> str:
    if day == today:
        return "Today"
    if day == today + timedelta(days=1):
        return "Tomorrow"
    label = f"{day:%a} {day.day} {day:%b}"
    return label if day.year == today.year else f"{label} {day.year}"


def _numbers(numbers: Stats) -> Numbers:
    """The numbers of the search: a bar for each step from application to offer, the
    waits, who went silent, and rounds and answers by month."""
    waits = ", ".join(
        f"{KIND_WORDS[w.kind]} {w.median_days:g} days"
        for w in numbers.waits
        if w.median_days is not None
    )
    silent = ", ".join(f"{company} (since {day})" for company, day in numbers.silent)
    months = _by_month(numbers) if numbers.months else None
    return Numbers(_funnel(numbers), waits, silent, months)


def _funnel(numbers: Stats) -> Funnel:
    steps = (
        ("Applications", numbers.applications, ""),
        ("Interviewed", numbers.interviewed, percent(numbers.interview_rate)),
        ("Answered", numbers.answered, percent(numbers.answer_rate)),
        ("Offers", numbers.offers, percent(numbers.offer_rate)),
    )
    top = max(numbers.applications, 1)
    bars = []
    for index, (name, count, rate) in enumerate(steps):
        y = index * 26
        width = max(round(170 * count / top), 1)
        value = f"{count} ({rate})" if rate else str(count)
        bars.append(FunnelBar(name, y + 16, y + 4, width, 92 + width + 6, value))
    label = ", ".join(f"{name} {count}" for name, count, _ in steps)
    return Funnel(len(steps) * 26, label, tuple(bars))


def _by_month(numbers: Stats) -> MonthChart:
    months = numbers.months[-12:]
    top = max(max(m.rounds, m.answers) for m in months) or 1
    step = 300 // max(len(months), 1)
    label = "; ".join(
        f"{m.month}: {_count(m.rounds, 'round')}, {_count(m.answers, 'answer')}" for m in months
    )
    columns = []
    for index, month in enumerate(months):
        x = 10 + index * step
        bars = []
        for offset, count, css in ((0, month.rounds, "bar"), (1, month.answers, "bar2")):
            height = round(70 * count / top)  # room above the tallest bar for its number
            bar_x = x + offset * (step // 3)
            bars.append(
                MonthBar(css, bar_x, 92 - height, max(step // 3 - 2, 2), height, 88 - height, count)
            )
        columns.append(MonthColumn(x, month.month, tuple(bars)))
    return MonthChart(label, tuple(columns))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _agenda(view: PageView, zone: ZoneInfo, today: date) -> Agenda:
    """The days ahead with their follow-ups (at most ``view.limit``), and how many more."""
    assert view.state.feed is not None
    ahead = [e for e in view.state.feed.agenda if _day(e, zone) >= today]
    shown = ahead[: view.limit]
    days = tuple(
        AgendaDay(
            _day_label(day, today),
            tuple(_item(entry, zone, past=entry.end < view.now) for entry in entries),
        )
        for day, entries in groupby(shown, key=lambda e: _day(e, zone))
    )
    return Agenda(days, len(ahead) - len(shown))


def _item(entry: AgendaEntry, zone: ZoneInfo, *, past: bool) -> DayItem:
    when = "All day" if entry.all_day else entry.start.astimezone(zone).strftime("%H:%M")
    return DayItem(when, entry.company, entry.step, entry.mailto, entry.kind == "todo", past)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _day(entry: AgendaEntry, zone: ZoneInfo) -> date:
    # All-day follow-ups keep their own date; timed ones fall on the local day.
    return entry.start.date() if entry.all_day else entry.start.astimezone(zone).date()


def _day_label(day: date, today: date) -> str:
    label = f"{day:%A} {day.day} {day:%B}"
    if day.year != today.year:
        label += f" {day.year}"
    if day == today:
        return f"Today · {label}"
    if day == today + timedelta(days=1):
        return f"Tomorrow · {label}"
    return label


def _stamp(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def duration_words(span: timedelta) -> str:
    """'hour', '30 minutes', '2 days': a span as it reads after 'every'."""
    minutes = int(span.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return "day" if days == 1 else f"{days} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "hour" if hours == 1 else f"{hours} hours"
    return "minute" if minutes == 1 else f"{minutes} minutes"
