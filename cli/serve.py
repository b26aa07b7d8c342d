"""``followup serve``: your follow-ups as a calendar feed to subscribe to.

Parses the options, builds the feed once (so a broken source or rules file
stops the start with one message), then serves it with waitress until
Ctrl+C. The HTTP stack is imported only here, when the command runs.
"""

from __future__ import annotations

import errno
import logging
import re
import signal
import socket
import sys
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType

import click

from followup.cli.options import (
    config_option,
    configured_inputs,
    example_now,
    now_option,
    parse_now,
    rules_option,
    source_option,
    text_value,
    verbose_option,
    without_offset,
)
from followup.cli.terminal import echo, terminal_text
from followup.engine.config import Config
from followup.engine.errors import Busy, FollowupError, UsageMistake
from followup.engine.feed.build import DEFAULT_PROFILE, PROFILE_NAMES, PROFILES, Profile
from followup.engine.feed.cache import FeedCache
from followup.engine.sources import Source
from followup.rules.model import RuleSet

DEFAULT_PORT = 8765
DEFAULT_NAME = "Interview follow-ups"
TOKEN_FILE = "feed-token"
MAX_REFRESH = timedelta(days=30)

_SPAN = re.compile(r"^(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?)$")


def parse_refresh(text: str) -> timedelta:
    """'30m', '1h', '1d' or an RFC 5545 duration such as 'PT1H'."""
    from followup.engine.write.feedcheck import parse_duration

    value = text.strip().lower()
    match = _SPAN.match(value)
    try:
        if match:
            amount, unit = int(match.group(1)), match.group(2)[0]
            span = timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: amount})
        else:
            span = parse_duration(value.upper()) or timedelta(0)
    except (OverflowError, ValueError):  # more days than a date can hold, or digits beyond int()
        span = MAX_REFRESH * 2
    if span < timedelta(minutes=1):
        raise click.BadParameter(
            f"{text!r} is not a refresh interval; write 30m, 1h, 1d or PT1H", param_hint="--refresh"
        )
    if span > MAX_REFRESH:
        raise click.BadParameter(
            f"{text!r} is longer than {MAX_REFRESH.days} days; calendar apps would stop "
            "checking the feed",
            param_hint="--refresh",
        )
    return span


POLL = {
    "file": timedelta(seconds=1),
    "stdin": timedelta(seconds=1),
    "caldav": timedelta(seconds=30),
    "link": timedelta(minutes=10),
}
"""How often the source is looked at, by kind (``--poll`` overrides): a stat is free; a
published link changes rarely and belongs to someone else's server."""

_POLL = re.compile(r"^(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)$")


def parse_poll(text: str) -> timedelta:
    """'30s', '10m', '1h'."""
    match = _POLL.match(text.strip().lower())
    span = timedelta(0)
    if match:
        amount, unit = int(match.group(1)), match.group(2)[0]
        if amount <= 10**6:
            span = timedelta(**{{"s": "seconds", "m": "minutes", "h": "hours"}[unit]: amount})
    if not timedelta(seconds=1) <= span <= timedelta(days=1):
        raise click.BadParameter(
            f"{text!r} is not a polling interval; write 30s, 10m or 1h (1s to 24h)",
            param_hint="--poll",
        )
    return span


def token_path() -> Path:
    from followup.engine.config import config_dir

    return config_dir() / TOKEN_FILE


@click.command()
@source_option
@rules_option
@now_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback puts a secret token in the links.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--profile",
    type=click.Choice(PROFILE_NAMES),
    default=DEFAULT_PROFILE,
    show_default=True,
    help="The calendar app you subscribe from: google and outlook get events only, apple and "
    "thunderbird also to-dos and alarms; common suits every app (events, no alarms).",
)
@click.option(
    "--name",
    "calendar_name",
    default=DEFAULT_NAME,
    show_default=True,
    help="The calendar's name in your calendar app.",
    callback=text_value,
)
@click.option(
    "--refresh",
    "refresh_text",
    default="1h",
    show_default=True,
    metavar="INTERVAL",
    help="How often calendar apps are asked to check for changes: 30m, 1h, 1d.",
)
@click.option(
    "--poll",
    "poll_text",
    metavar="INTERVAL",
    help="How often to look for changes in the interviews' source: 30s, 10m, 1h. Default: "
    "every second for a file, 30s for a CalDAV calendar, 10m for a link (a published calendar "
    "lags the calendar app by minutes or more anyway; an unchanged link costs one small "
    "request answered 'not modified').",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address people reach this server at, when a proxy or tunnel puts it online "
    "(https://cal.example.org). Adds the secret token to the links.",
)
@click.option(
    "--private",
    is_flag=True,
    help="Put the secret token in the links even on loopback.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Build the feed once, check it as a calendar app would, and exit (4 on problems: "
    "a calendar apps cannot read).",
)
@config_option
@verbose_option
def serve(
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    host: str,
    port: int,
    profile: Profile,
    calendar_name: str,
    refresh_text: str,
    poll_text: str | None,
    public_url: str | None,
    private: bool,
    check: bool,
) -> None:
    """Serve your follow-ups as a calendar feed that calendar apps subscribe to.

    The feed is rebuilt when the interviews or the rules file change (and once
    a day as the planning window moves), so your calendar app picks up the
    change on its next refresh. Open the page it prints for the link and for
    how to subscribe from Apple Calendar, Google Calendar, Outlook or Thunderbird.

    The interviews may come from a calendar's secret address, read again
    when it changes. Where to find it (it is a secret: anyone who has it can
    read your calendar, so followup never prints it in full):

    \b
      Google Calendar  Settings > your calendar > Integrate calendar >
                       "Secret address in iCal format"
      Outlook.com      Settings > Calendar > Shared calendars > Publish a
                       calendar > "ICS" link
      iCloud           Calendar app > share icon next to the calendar >
                       Public Calendar > Copy Link (webcal://...)

    Keep it off the command line with a [links.NAME] table in the config file
    (url = "...", and username with password_env, password_command or keyring
    for a private one), then use --from @NAME.

    \b
    Examples:
      followup serve --from example
      followup serve --from calendar.ics --profile apple --refresh 30m
      followup serve --from @google --poll 15m
      followup serve --from calendar.ics --check
    """
    from followup.engine.feed.build import render_options
    from followup.engine.feed.cache import PipelineInputs
    from followup.engine.pipeline import load_rules
    from followup.engine.sources import parse

    configured = configured_inputs(source, rules_path)
    source, rules_path = configured.source, configured.rules_path
    if not source:
        raise click.UsageError("say where your interviews are: --from calendar.ics")
    if source == "-":
        raise click.BadParameter(
            "the feed re-reads its source when it changes; give a file or a calendar URL",
            param_hint="--from",
        )
    refresh = parse_refresh(refresh_text)
    origin = parse(source, configured.config)  # once: the feed, the page and the mail take it
    poll = parse_poll(poll_text) if poll_text else POLL[origin.kind]
    rules = load_rules(rules_path)
    if configured.example and not now_text:
        now_text = example_now()
    clock = _clock(now_text, rules.timezone)
    if public_url is not None and not re.match(r"^https?://[^/\s]+", public_url):
        raise click.BadParameter(
            "give a full address such as https://cal.example.org", param_hint="--public-url"
        )

    wall = without_offset(now_text)
    inputs = PipelineInputs(
        origin,
        rules_path,
        render_options(profile, calendar_name=calendar_name, refresh=refresh),
        wall_now=wall,
    )
    log_handler = _log_to_stderr()
    # While starting, a problem is reported once, as the command's error; only a
    # traceback (a bug) goes to the log.
    log_handler.addFilter(_only_tracebacks)
    cache = FeedCache(
        inputs,
        clock=clock,
        # A file costs a stat to look at; a calendar server or a link a request.
        check_every=poll,
        unversioned_every=min(refresh, timedelta(minutes=5)),
    )
    state = cache.refresh()
    if state.feed is None:
        raise state.failure or FollowupError(state.error or "the feed could not be built")
    log_handler.removeFilter(_only_tracebacks)

    if check:
        _check(state.feed.ics, profile)
        return
    _serve(
        cache,
        source=origin,
        host=host,
        port=port,
        profile=profile,
        calendar_name=calendar_name,
        refresh=refresh,
        public_url=public_url,
        private=private,
        clock=_in_zone_of_feed(clock, cache) if wall else clock,
        mail=MailWatch(rules, origin.settings()),
    )


@dataclass(frozen=True)
class MailWatch:
    """What the server needs to look for replies while it runs ([mail] check = true)."""

    rules: RuleSet
    config: Config


def _clock(now_text: str | None, zone_name: str) -> Callable[[], datetime]:
    if now_text:
        fixed = parse_now(now_text, zone_name)
        return lambda: fixed
    from followup.rules.zones import resolve_zone

    zone = resolve_zone(zone_name)
    return lambda: datetime.now(zone)


def _in_zone_of_feed(clock: Callable[[], datetime], cache: FeedCache) -> Callable[[], datetime]:
    """A --now without an offset for the page and the mail watch: that time of day in the
    zone the feed was planned in, as the feed's own plan reads it."""
    from zoneinfo import ZoneInfo

    from followup.engine.pipeline import in_zone_of_plan

    def now() -> datetime:
        feed = cache.state.feed
        moment = clock()
        return in_zone_of_plan(moment, ZoneInfo(feed.timezone), wall=True) if feed else moment

    return now


class FeedProblems(FollowupError):
    """``serve --check`` found a feed calendar apps cannot read: the exit code of a calendar
    that cannot be read (1 is kept for what nobody expected)."""

    exit_code = 4


def _check(ics: bytes, profile: Profile) -> None:
    from followup.engine.feed.page import duration_words
    from followup.engine.write.feedcheck import check_feed

    result = check_feed(ics)
    zones = ", ".join(result.timezones) or "none"
    refresh = duration_words(result.refresh) if result.refresh else "not set"
    click.echo(
        f"Feed for profile {profile}: {result.events} events, {result.todos} to-dos, "
        f"time zones: {zones}, refresh every {refresh}."
    )
    for finding in result.findings:
        echo(f"  {finding}")
    if not result.ok:
        errors = sum(1 for f in result.findings if f.level == "error")
        raise FeedProblems(
            f"the feed has {errors} problem{'s' if errors != 1 else ''} calendar apps would trip "
            "over"
        )
    click.echo(
        "ok: every TZID has a VTIMEZONE, CRLF line endings, lines folded at 75 octets, "
        "all-day ends exclusive, refresh hints present, UIDs unique."
    )


def _serve(
    cache: FeedCache,
    *,
    source: Source,
    host: str,
    port: int,
    profile: Profile,
    calendar_name: str,
    refresh: timedelta,
    public_url: str | None,
    private: bool,
    clock: Callable[[], datetime],
    mail: MailWatch | None = None,
) -> None:
    from followup.engine.feed.page import REACH_NOTES, reach_of
    from followup.engine.feed.server import (
        FeedApp,
        FeedServer,
        FeedSite,
        accepted_hosts,
        load_or_create_token,
        needs_token,
        protect_token_file,
    )

    token: str | None = None
    if private or public_url is not None or needs_token(host):
        path = token_path()
        protected = protect_token_file(path)
        if protected is not None:
            click.echo(f"warning: {protected}", err=True)
        token, created = load_or_create_token(path)
        if created:
            click.echo(f"Made a secret token for your links, kept in {path}.")
            click.echo("Delete that file to change the links (then subscribe again).")

    site = FeedSite(
        calendar_name=calendar_name,
        profile=profile,
        refresh=refresh,
        token=token,
        public_url=public_url.rstrip("/") if public_url else None,
        reach=reach_of(host, public_url),
        hosts=accepted_hosts(host, token, public_url),
    )
    app = FeedApp(cache, site, clock=clock)
    try:
        server = FeedServer(app, host=host, port=port)
    except OSError as err:
        kind = Busy if err.errno == errno.EADDRINUSE else UsageMistake
        raise kind(
            f"cannot listen on {host}:{port}: {err.strerror or err}",
            hint="pick another --port, or --port 0 for a free one",
        ) from None

    def stop(signum: int, frame: FrameType | None) -> None:
        # Not in the handler itself: it interrupts the server's loop, which may be holding
        # the lock that close() takes.
        threading.Thread(target=server.close, name="followup-stop", daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    shown_host = socket.gethostname() if server.host in ("0.0.0.0", "::") else server.host
    shown_host = f"[{shown_host}]" if ":" in shown_host else shown_host
    base = site.public_url or f"http://{shown_host}:{server.port}"
    prefix = f"/{token}/" if token else "/"
    feed = cache.state.feed
    count = len(feed.agenda) if feed else 0
    click.echo(
        f"Serving {count} follow-up{'s' if count != 1 else ''} from {source.shown} "
        f"(profile {profile}: {PROFILES[profile].about})."
    )
    click.echo(f"  Page:       {base}{prefix}")
    click.echo(f"  Subscribe:  webcal://{base.split('://', 1)[1]}{prefix}calendar.ics")
    click.echo(f"              {base}{prefix}calendar.ics")
    for line in REACH_NOTES[site.reach]:
        click.echo(textwrap.fill(line, width=88))
    click.echo(f"Listening on {server.url}. Ctrl+C stops the server.")
    sys.stdout.flush()

    stop_mail = threading.Event()
    if mail is not None:
        from followup.cli.mail import watch_mail

        watch_mail(source, mail.rules, clock, mail.config, stop_mail)
    cache.start_polling()
    try:
        server.run()
    except KeyboardInterrupt:
        server.close()
    finally:
        stop_mail.set()
        cache.stop_polling()
    click.echo("Stopped.")


def _log_to_stderr() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeFormatter("%(asctime)s %(message)s", "%H:%M:%S"))
    feed_log = logging.getLogger("followup.feed")
    feed_log.addHandler(handler)
    feed_log.setLevel(logging.INFO)
    feed_log.propagate = False
    # A few requests waiting for a thread is normal for a feed; not worth a line each.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    return handler


class SafeFormatter(logging.Formatter):
    """Log lines may quote an event's text: made safe for the terminal like every output."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_text(super().format(record))


def _only_tracebacks(record: logging.LogRecord) -> bool:
    return record.exc_info is not None
