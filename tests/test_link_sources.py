"""Interviews from where people keep calendars: a secret .ics address, webcal://, a ZIP export,
and a CalDAV server's own calendar read as a link; every command, the feed and sync."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from followup.engine.errors import SourceError
from followup.engine.feed.build import render_options
from followup.engine.feed.cache import FeedCache, PipelineInputs
from followup.engine.feed.server import FeedApp, FeedSite
from followup.engine.pipeline import read_source
from followup.engine.sources import source_kind
from tests.caldav_server import PASSWORD, USER, CalDAVServer
from tests.conftest import DATA, default_rules
from tests.everyday_support import run
from tests.feed_support import fetch, fetch_settled, serving
from tests.link_server import LinkServer, Served, link_server
from tests.sync_support import NOW, CalendarApp, account, counts, interview, sync

pytest_plugins = ["tests.conftest_caldav"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "interviews.ics").read_bytes()
GOOGLE = (DATA / "google_export.ics").read_bytes()
SECRET = "/calendar/ical/alice%40example.com/private-8f14e45fceea167a5a36dedd4bea2543/basic.ics"
NOW_TEXT = "2026-12-01T08:00"


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def companies(source: str) -> list[str]:
    rules = default_rules()
    return sorted({i.facts.company or "" for i in read_source(source, rules=rules, now=NOW).events})


def write_config(text: str) -> None:
    from followup.engine.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- ZIP exports -----------------------------------------------------------------------------


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_google_export_zip_is_read_as_all_the_calendars_in_it(tmp_path: Path) -> None:
    export = tmp_path / "alice@gmail.com.ical.zip"
    export.write_bytes(
        zip_of(
            {"alice@gmail.com.ics": GOOGLE, "Job search_abc@group.calendar.google.com.ics": EXAMPLE}
        )
    )
    each = sorted(
        set(companies(str(DATA / "google_export.ics"))) | set(companies(_file(tmp_path, EXAMPLE)))
    )
    assert companies(str(export)) == each
    assert len(each) > 3


def test_an_event_in_two_calendars_of_an_export_is_one_interview(tmp_path: Path) -> None:
    export = tmp_path / "export.zip"
    export.write_bytes(zip_of({"mine.ics": EXAMPLE, "shared.ics": EXAMPLE}))
    rules = default_rules()
    once = read_source(_file(tmp_path, EXAMPLE), rules=rules, now=NOW)
    assert read_source(str(export), rules=rules, now=NOW) == once


def test_a_zip_that_is_not_a_calendar_export_says_what_it_holds(tmp_path: Path) -> None:
    export = tmp_path / "photos.zip"
    export.write_bytes(zip_of({"beach.jpg": b"\xff\xd8\xff", "notes.txt": b"hello"}))
    result = run("plan", "--from", str(export), "--now", NOW_TEXT)
    assert result.code == 4
    assert result.err.startswith(
        f"followup: {export}: no calendars (.ics files) in the archive; it holds beach.jpg, "
        "notes.txt\n"
    )


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    # A fault on purpose: 60 MB of one repeated line packs into a few tens of KB.
    line = b"DESCRIPTION:" + b"x" * 60 + b"\r\n"
    bomb = b"BEGIN:VCALENDAR\r\n" + line * (60 * 2**20 // len(line)) + b"END:VCALENDAR\r\n"
    export = tmp_path / "bomb.zip"
    export.write_bytes(zip_of({"cal.ics": bomb}))
    assert export.stat().st_size < 2**20
    result = run("plan", "--from", str(export), "--now", NOW_TEXT)
    assert result.code == 4
    assert "more than 50 MB of calendars once unpacked" in result.err


def test_a_zip_whose_sizes_lie_is_cut_at_the_cap(tmp_path: Path) -> None:
    from followup.engine.sources.archive import calendars_in_zip

    data = zip_of({"cal.ics": EXAMPLE})
    # Claim a tiny size in the central directory; what is read is counted, not what is claimed.
    with pytest.raises(SourceError, match="once unpacked"):
        calendars_in_zip(data, "x.zip", max_bytes=len(EXAMPLE) // 2)


@pytest.mark.parametrize("name", ["../../.bashrc.ics", "/etc/cron.d/x.ics", "C:/x.ics"])
def test_a_zip_with_a_path_outside_the_archive_is_refused(tmp_path: Path, name: str) -> None:
    export = tmp_path / "tricky.zip"
    export.write_bytes(zip_of({name: EXAMPLE}))
    result = run("plan", "--from", str(export), "--now", NOW_TEXT)
    assert result.code == 4
    assert "outside the archive's folder" in result.err


def test_a_zip_with_too_many_files_is_refused(tmp_path: Path) -> None:
    export = tmp_path / "many.zip"
    export.write_bytes(zip_of({f"{n}.ics": b"" for n in range(1001)}))
    result = run("plan", "--from", str(export), "--now", NOW_TEXT)
    assert result.code == 4
    assert "1001 files in the archive; followup reads at most 1000" in result.err


def _file(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "one.ics"
    path.write_bytes(data)
    return str(path)


# -- links on the command line ---------------------------------------------------------------


def test_plan_reads_a_secret_address_and_never_prints_it(server: LinkServer) -> None:
    server.routes[SECRET] = Served(EXAMPLE)
    link = server.base + SECRET
    result = run("plan", "--from", link, "--now", NOW_TEXT, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["followups"]
    assert run("plan", "--from", "webcal" + link[4:], "--now", NOW_TEXT).code == 0


def test_a_broken_link_is_one_message_with_the_secret_masked(server: LinkServer) -> None:
    link = server.base + SECRET
    result = run("ics", "--from", link, "--now", NOW_TEXT)
    assert result.code == 5
    assert result.err.startswith(
        f"followup: there is no calendar at http://127.0.0.1:{link.split(':')[2].split('/')[0]}"
        "/…/basic.ics (HTTP 404)\n"
    )
    assert "private-8f14e45f" not in result.out + result.err


def test_an_address_without_ics_that_serves_a_calendar_is_read_as_a_link(
    server: LinkServer, tmp_path: Path
) -> None:
    server.routes["/calendars/work"] = Served(EXAMPLE)
    link = server.base + "/calendars/work"
    assert source_kind(link) == "caldav", "nothing in the address says what it is"
    assert companies(link) == companies(_file(tmp_path, EXAMPLE))
    methods = [s.headers.get("method", "GET") for s in server.requests("/calendars/work")]
    assert methods == ["REPORT", "GET"], "asked as CalDAV first; not DAV, so one GET decides"
    # Known now: the next read goes straight to a conditional GET.
    assert source_kind(link) == "link"
    before = len(server.seen)
    read_source(link, rules=default_rules(), now=NOW)
    assert len(server.seen) - before <= 1


def test_an_address_that_is_neither_a_calendar_nor_caldav_says_what_it_found(
    server: LinkServer,
) -> None:
    server.routes["/welcome"] = Served(b"<html><body>Welcome</body></html>", "text/html")
    result = run("plan", "--from", server.base + "/welcome", "--now", NOW_TEXT)
    assert result.code == 4
    first = result.err.splitlines()[0]
    assert "is neither a calendar file nor a CalDAV calendar" in first
    assert "answered HTTP 405" in first and "GET answered HTTP 200 with text/html" in first


def test_radicales_own_get_of_a_calendar_serves_as_a_private_link(
    app: CalendarApp, radicale: CalDAVServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = app.make_calendar("work")
    app.add(work, "acme", interview("acme@x", NOW + timedelta(days=1), company="ACME"))
    monkeypatch.setenv("WORK_LINK_PASSWORD", PASSWORD)
    write_config(
        "[links.work]\n"
        f'url = "{work.replace("http://", "webcal://")}"\n'
        f'username = "{USER}"\n'
        'password_env = "WORK_LINK_PASSWORD"\n'
    )
    assert source_kind("@work") == "link"
    result = run("plan", "--from", "@work", "--now", NOW_TEXT, "--json")
    assert result.code == 0, result.err
    assert {f["interview"]["company"] for f in json.loads(result.out)["followups"]} == {"ACME"}
    gets = [e for e in radicale.log if e.method == "GET"]
    assert [e.status for e in gets] == [200]
    assert PASSWORD not in result.out + result.err


def test_a_private_link_without_a_password_says_where_to_put_one(
    app: CalendarApp, radicale: CalDAVServer
) -> None:
    work = app.make_calendar("work")
    result = run("plan", "--from", work.replace("http://", "webcal://"), "--now", NOW_TEXT)
    assert result.code == 5
    assert "refused to give the calendar (HTTP 401)" in result.err
    assert "[links] table" in result.err


def test_init_takes_a_link_keeps_it_in_the_config_and_does_not_print_it(
    server: LinkServer,
) -> None:
    from followup.engine.config import config_path, load_config

    link = server.base + SECRET
    result = run("init", "--yes", "--from", link)
    assert result.code == 0, result.err
    assert "private-8f14e45f" not in result.out + result.err
    assert "followup serve" in result.out
    assert load_config().sync.from_ == link
    assert config_path().stat().st_mode & 0o077 == 0, "the file holding a secret is yours alone"
    server.routes[SECRET] = Served(EXAMPLE)
    assert run("plan", "--now", NOW_TEXT).code == 0


# -- the feed --------------------------------------------------------------------------------


def feed_of(source: str) -> tuple[FeedCache, FeedApp]:
    inputs = PipelineInputs(
        source,
        None,
        render_options("common", calendar_name="Job search", refresh=timedelta(hours=1)),
    )
    cache = FeedCache(inputs, clock=lambda: NOW, check_every=timedelta(0))
    site = FeedSite(calendar_name="Job search", profile="common", refresh=timedelta(hours=1))
    return cache, FeedApp(cache, site, clock=lambda: NOW)


def test_the_feed_from_a_link_rebuilds_after_the_upstream_changes_and_not_before(
    server: LinkServer,
) -> None:
    route = Served(EXAMPLE)
    server.routes[SECRET] = route
    cache, app = feed_of(server.base + SECRET)
    with serving(app) as base:
        first = fetch(base + "/calendar.ics")
        assert first.status == 200
        assert cache.state.builds == 1
        for _ in range(3):
            assert fetch_settled(cache, base + "/calendar.ics").header("ETag") == first.header(
                "ETag"
            )
        assert cache.state.builds == 1, "an unchanged link is not rebuilt"
        looks = server.requests(SECRET)
        assert [s.status for s in looks[1:]] == [304] * (len(looks) - 1)
        assert len(looks) >= 4
        route.change(EXAMPLE.replace(b"ACME", b"Umbrella"))
        after = fetch_settled(cache, base + "/calendar.ics")
        assert after.header("ETag") != first.header("ETag")
        assert b"Umbrella" in after.body
        assert cache.state.builds == 2
        statuses = [s.status for s in server.requests(SECRET)]
        assert statuses.count(200) == 2 and set(statuses) == {200, 304}


def test_an_upstream_outage_keeps_the_last_good_feed_and_the_page_says_so(
    server: LinkServer,
) -> None:
    route = Served(EXAMPLE)
    server.routes[SECRET] = route
    cache, app = feed_of(server.base + SECRET)
    with serving(app) as base:
        good = fetch(base + "/calendar.ics")
        route.status = 503  # a fault on purpose: the calendar's host is down
        again = fetch_settled(cache, base + "/calendar.ics")
        page = fetch(base + "/").body.decode()
        assert again.body == good.body
        assert "Could not update the calendar" in page
        assert "answered HTTP 503" in page
        assert "/…/basic.ics" in page and "private-8f14e45f" not in page
        route.status = 200
        fetch_settled(cache, base + "/calendar.ics")
        assert "Could not update the calendar" not in fetch(base + "/").body.decode()


def test_serve_prints_a_link_source_masked(server: LinkServer, tmp_path: Path) -> None:
    from tests.test_serve_cli import started

    server.routes[SECRET] = Served(EXAMPLE)
    with started(tmp_path, "--from", server.base + SECRET, "--now", NOW_TEXT) as running:
        feed = fetch(running.link("Page:") + "calendar.ics")
        assert feed.status == 200 and b"BEGIN:VEVENT" in feed.body
    assert f"from {server.base}/…/basic.ics (profile" in running.output
    assert "private-8f14e45f" not in running.output


def test_serve_refuses_a_poll_interval_it_cannot_use(tmp_path: Path) -> None:
    from tests.test_serve_cli import run as serve

    result = serve(tmp_path, "--from", str(DATA / "google_export.ics"), "--poll", "9999999999h")
    assert result.returncode == 2
    assert "is not a polling interval" in result.stderr
    assert "Traceback" not in result.stderr


# -- sync ------------------------------------------------------------------------------------


def test_sync_reads_interviews_from_a_link_and_writes_follow_ups_to_caldav(
    server: LinkServer, app: CalendarApp, password: str
) -> None:
    server.routes[SECRET] = Served(EXAMPLE)
    target = app.make_calendar("followups")
    link = server.base.replace("http://", "webcal://") + SECRET
    report = sync(link, target)
    assert report.interviews > 0
    created, updated, removed, _, failed = counts(report)
    assert created == report.followups > 0 and (updated, removed, failed) == (0, 0, 0)
    assert len(app.followups(target)) == created
    again = sync(link, target)
    assert counts(again)[:3] == (0, 0, 0)
    assert server.requests(SECRET)[-1].status == 304


def test_help_and_readme_say_where_the_secret_address_is_and_that_it_is_a_secret() -> None:
    from tests.everyday_support import run as followup

    helps = followup("serve", "--help").out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (helps, readme):
        for words in ("Secret address in iCal format", "Outlook.com", "iCloud", "Publish a"):
            assert words in " ".join(text.split()), words
    assert "it is a secret" in " ".join(helps.split())
    assert "The link is a secret" in readme
    assert "secret or public address" in " ".join(followup("plan", "--help").out.split())


def test_sync_from_an_address_that_turns_out_to_be_a_calendar_file(
    server: LinkServer, app: CalendarApp, password: str
) -> None:
    server.routes["/shared/work"] = Served(EXAMPLE)
    target = app.make_calendar("followups")
    report = sync(server.base + "/shared/work", target)
    assert report.followups > 0 and counts(report)[0] == report.followups
    seen = [(s.headers.get("method", "GET"), s.status) for s in server.requests("/shared/work")]
    # Asked as CalDAV once; then read, and read again (unchanged) as the link it turned out to be.
    assert seen == [("PROPFIND", 405), ("GET", 200), ("GET", 304)]
    again = sync(server.base + "/shared/work", target)
    assert counts(again)[:3] == (0, 0, 0)
    assert [s.status for s in server.requests("/shared/work")[3:]] == [304]


def test_a_zip_export_behind_a_link_is_read_as_its_calendars(
    server: LinkServer, tmp_path: Path
) -> None:
    server.routes["/export.zip"] = Served(
        zip_of({"a.ics": GOOGLE, "b.ics": EXAMPLE}), "application/zip"
    )
    export = tmp_path / "export.zip"
    export.write_bytes(zip_of({"a.ics": GOOGLE, "b.ics": EXAMPLE}))
    assert companies(server.base + "/export.zip") == companies(str(export))


def test_sync_finds_a_link_in_the_config_file_it_is_given(
    server: LinkServer, app: CalendarApp, password: str, tmp_path: Path
) -> None:
    server.routes[SECRET] = Served(EXAMPLE)
    target = app.make_calendar("followups")
    config = tmp_path / "elsewhere.toml"
    config.write_text(f'[links.google]\nurl = "{server.base + SECRET}"\n', encoding="utf-8")
    result = run(
        "sync",
        "--config",
        str(config),
        "--from",
        "@google",
        "--to",
        account(target),
        "--now",
        NOW_TEXT,
    )
    assert result.code == 0, result.err
    assert "private-8f14e45f" not in result.out + result.err
    assert app.followups(target)


def test_an_address_with_nothing_behind_it_is_one_message_with_the_path_masked(
    server: LinkServer,
) -> None:
    result = run("plan", "--from", server.base + "/published/2/MTIzNDU2Nzg5MDEy", "--now", NOW_TEXT)
    assert result.code == 5
    assert result.err.startswith(f"followup: there is no calendar at {server.base}/…/ (HTTP 404)\n")
    assert "MTIzNDU2" not in result.err
