"""The feed's web page: the agenda ahead, the subscription link, and how to subscribe.

A pure function from a view to HTML text, rendered by a Jinja2 template with
autoescape: every piece of user text is escaped, so a company called
``<script>`` is shown as text.
The one script (the copy button) is inline and allowed by its hash in the
Content-Security-Policy the server sends, so no other script can run.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import groupby
from typing import Literal
from zoneinfo import ZoneInfo

from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup

from engine.feed.build import PROFILES, AgendaEntry, FeedState, Profile


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


PAGE_TEMPLATE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{ name }}</title><style>{{ style }}</style></head><body><main>
<h1>{{ name }}</h1>
{% if feed %}
<p class="status">Updated <time datetime="{{ feed.built_at.isoformat() }}">{{ built }}</time> · {{ feed.agenda|length }} {{ "follow-up" if feed.agenda|length == 1 else "follow-ups" }}</p>
{% if feed.warnings %}
<details class="warnings"><summary>{{ feed.warnings|length }} {{ "note" if feed.warnings|length == 1 else "notes" }} about your calendar</summary><ul>{% for warning in feed.warnings %}<li>{{ warning }}</li>{% endfor %}</ul></details>
{% endif %}
{% endif %}
{% if error is not none %}
<div class="error" role="alert"><strong>Could not update the calendar:</strong> {{ error }}.{% if feed %} Still serving the calendar from {{ built }}.{% else %} There is no calendar to serve yet.{% endif %}</div>
{% endif %}
<section class="reach" aria-label="Who can open this page"><p>{{ reach[0] }}</p>
<p>{{ reach[1] }}</p></section>
<section class="card" aria-label="Subscribe">
<a class="subscribe" href="{{ links.webcal }}">Subscribe in your calendar app</a>
{% for field, label, url in [("webcal-link", "webcal link", links.webcal), ("web-link", "web link", links.web)] %}
<div class="link"><input id="{{ field }}" aria-label="{{ label }}" readonly value="{{ url }}"><button type="button" data-copy="{{ field }}" hidden>Copy</button></div>
{% endfor %}
</section>
<h2>How to subscribe</h2><div class="clients card">
{% for client, first, second in clients %}
<details><summary>{{ client }}</summary><p>{{ first }}<br>{{ second }}</p></details>
{% endfor %}
</div>
{% if not alarms %}
<p class="status">This feed has no reminders: Google Calendar and Outlook drop the reminders of subscribed calendars. Your calendar app's own notifications for this calendar still work.</p>
{% endif %}
<h2>Coming up</h2>
{% if not feed %}
<p class="empty">Nothing to show until the calendar can be built.</p>
{% elif not days %}
<p class="empty">No follow-ups ahead. New interviews in your calendar show up here after the next refresh.</p>
{% else %}
{% for day in days %}
<section class="day"><h3>{{ day.label }}</h3>
<ul class="items card">
{% for item in day.items %}
<li class="item{{ " past" if item.past else "" }}"><span class="time">{{ item.when }}</span><div><span class="company">{{ item.company }}</span>{% if item.todo %}<span class="tag">to-do</span>{% endif %}{% if item.past %}<span class="tag">past</span>{% endif %}<span class="step">{{ item.step }}</span>{% if item.mailto %}<a class="mail" href="{{ item.mailto }}">Write the email</a>{% endif %}</div></li>
{% endfor %}
</ul></section>
{% endfor %}
{% if more %}
<p class="more">And {{ more }} more in your calendar app.</p>
{% endif %}
{% endif %}
<footer>Profile {{ profile }}: {{ about }}. Calendar apps are asked to refresh every {{ refresh }}.{% if zone %} Times in {{ zone }}.{% endif %}</footer>
</main><script>{{ script }}</script></body></html>
"""
"""The page, in Jinja2 with autoescape: every value is escaped unless it is the page's own
style or script (Markup). Each line of the template is a line of the page."""


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


@cache
def _template() -> Template:
    environment = Environment(
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.from_string(PAGE_TEMPLATE)


def render_page(view: PageView) -> str:
    """The page as HTML text."""
    feed = view.state.feed
    zone = _zone(feed.timezone if feed else None)
    days, more = _agenda(view, zone) if feed is not None else ((), 0)
    return _template().render(
        name=view.calendar_name,
        style=Markup(STYLE),
        script=Markup(COPY_SCRIPT),
        feed=feed,
        built=_stamp(feed.built_at, zone) if feed is not None else None,
        error=view.state.error,
        reach=REACH_NOTES[view.reach],
        links=view.links,
        clients=CLIENTS,
        alarms=PROFILES[view.profile].alarms,
        days=days,
        more=more,
        profile=view.profile,
        about=PROFILES[view.profile].about,
        refresh=duration_words(view.refresh),
        zone=feed.timezone if feed is not None else None,
    )


def _agenda(view: PageView, zone: ZoneInfo) -> tuple[tuple[AgendaDay, ...], int]:
    """The days ahead with their follow-ups (at most ``view.limit``), and how many more."""
    assert view.state.feed is not None
    today = view.now.astimezone(zone).date()
    ahead = [e for e in view.state.feed.agenda if _day(e, zone) >= today]
    shown = ahead[: view.limit]
    days = tuple(
        AgendaDay(
            _day_label(day, today),
            tuple(_item(entry, zone, past=entry.end < view.now) for entry in entries),
        )
        for day, entries in groupby(shown, key=lambda e: _day(e, zone))
    )
    return days, len(ahead) - len(shown)


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
