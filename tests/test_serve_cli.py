"""``followup serve`` as a user runs it: a real process on a free loopback port."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.feed_support import fetch
from tests.test_serve_pipeline import EXAMPLE, ROOT, write_rules

NOW = "2026-12-01T08:00"


@dataclass
class Running:
    process: subprocess.Popen[str]
    lines: list[str]

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def link(self, prefix: str) -> str:
        match = re.search(rf"{prefix}\s+(\S+)", self.output)
        assert match is not None, self.output
        return match.group(1)


def environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["FOLLOWUP_CONFIG_DIR"] = str(tmp_path / "config" / "followup")
    env["FOLLOWUP_DATA_DIR"] = str(tmp_path / "data")
    env.pop("FOLLOWUP_FROM", None)
    env.pop("FOLLOWUP_RULES", None)
    return env


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "followup.cli.main", "serve", *args],
        cwd=ROOT,
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )


@contextmanager
def started(tmp_path: Path, *args: str) -> Iterator[Running]:
    """Start the server; wait (bounded) for the line saying where it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "followup.cli.main", "serve", "--port", "0", *args],
        cwd=ROOT,
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    arrived: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            arrived.put(line.rstrip("\n"))
        arrived.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 30
        while not lines or not lines[-1].startswith("Listening on "):
            line = arrived.get(timeout=max(deadline - time.monotonic(), 0.01))
            assert line is not None, "the server stopped:\n" + "\n".join(lines)
            lines.append(line)
        yield Running(process, lines)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        reader.join(timeout=30)
        while (rest := arrived.get_nowait() if not arrived.empty() else None) is not None:
            lines.append(rest)


def test_serve_prints_the_page_and_subscription_links_and_serves_them(tmp_path: Path) -> None:
    with started(tmp_path, "--from", str(EXAMPLE), "--now", NOW) as server:
        page = server.link("Page:")
        web = server.lines[
            server.lines.index(next(x for x in server.lines if "webcal://" in x)) + 1
        ]
        web = web.strip()
        assert page.startswith("http://127.0.0.1:")
        assert server.link("Subscribe:") == "webcal://" + web.removeprefix("http://")
        feed = fetch(web)
        assert feed.status == 200
        assert feed.header("Content-Type") == "text/calendar; charset=utf-8"
        assert b"BEGIN:VEVENT" in feed.body
        assert fetch(page).status == 200
        assert fetch(web, headers={"If-None-Match": feed.header("ETag") or ""}).status == 304
        assert "Made a secret token" not in server.output


def test_sigterm_stops_the_server_cleanly(tmp_path: Path) -> None:
    with started(tmp_path, "--from", str(EXAMPLE), "--now", NOW) as server:
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
    assert "Stopped." in server.output
    assert server.process.stderr is not None
    assert "Traceback" not in server.process.stderr.read()


def test_private_links_carry_a_token_made_on_first_start_and_kept(tmp_path: Path) -> None:
    with started(tmp_path, "--from", str(EXAMPLE), "--now", NOW, "--private") as server:
        assert "Made a secret token for your links" in server.output
        page = server.link("Page:")
        token = page.rstrip("/").rsplit("/", 1)[1]
        assert len(token) >= 32
        base = page.removesuffix(f"{token}/").rstrip("/")
        assert fetch(f"{base}/{token}/calendar.ics").status == 200
        assert fetch(f"{base}/calendar.ics").status == 404
        assert fetch(f"{base}/{token[:-2]}xx/calendar.ics").status == 404
        assert fetch(f"{base}/").status == 404
    stored = (tmp_path / "config" / "followup" / "feed-token").read_text().strip()
    assert stored == token
    with started(tmp_path, "--from", str(EXAMPLE), "--now", NOW, "--private") as again:
        assert "Made a secret token" not in again.output
        assert token in again.link("Page:")


def test_check_passes_for_the_bundled_example_in_every_profile(tmp_path: Path) -> None:
    for profile in ("common", "google", "apple", "outlook", "thunderbird"):
        done = run(tmp_path, "--from", str(EXAMPLE), "--now", NOW, "--check", "--profile", profile)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"Feed for profile {profile}: ")
        assert "ok: every TZID has a VTIMEZONE" in done.stdout


def test_a_broken_rules_file_stops_the_start_with_one_message(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    write_rules(rules)
    rules.write_text(rules.read_text().replace("version: 1", "version: [1"))
    done = run(tmp_path, "--from", str(EXAMPLE), "--rules", str(rules))
    assert done.returncode == 3
    assert done.stderr.startswith(f"followup: {rules}:")
    assert "Traceback" not in done.stderr


def test_a_missing_source_stops_the_start_with_one_message(tmp_path: Path) -> None:
    done = run(tmp_path, "--from", str(tmp_path / "nowhere.ics"), "--now", NOW)
    assert done.returncode == 4
    assert done.stderr.count("nowhere.ics: no such file") == 1, "said once"
    assert "Traceback" not in done.stderr


def test_standard_input_is_refused_because_the_feed_rereads_its_source(tmp_path: Path) -> None:
    done = run(tmp_path, "--from", "-")
    assert done.returncode == 2
    assert "re-reads its source" in done.stderr


def test_a_port_in_use_is_one_message_with_a_hint(tmp_path: Path) -> None:
    with started(tmp_path, "--from", str(EXAMPLE), "--now", NOW) as server:
        port = server.link("Listening on").rstrip(".").rsplit(":", 1)[1]
        done = run(tmp_path, "--from", str(EXAMPLE), "--now", NOW, "--port", port)
    assert done.returncode == 8
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "--port 0" in done.stderr


def test_refresh_accepts_minutes_hours_days_and_rfc_durations(tmp_path: Path) -> None:
    done = run(tmp_path, "--from", str(EXAMPLE), "--now", NOW, "--check", "--refresh", "30m")
    assert "refresh every 30 minutes" in done.stdout
    done = run(tmp_path, "--from", str(EXAMPLE), "--now", NOW, "--check", "--refresh", "PT2H")
    assert "refresh every 2 hours" in done.stdout
    done = run(tmp_path, "--from", str(EXAMPLE), "--check", "--refresh", "soon")
    assert done.returncode == 2
    assert "30m, 1h, 1d or PT1H" in done.stderr


def test_a_public_url_puts_the_token_in_the_printed_links(tmp_path: Path) -> None:
    args = ("--from", str(EXAMPLE), "--now", NOW, "--public-url", "https://cal.example.org/")
    with started(tmp_path, *args) as server:
        page = server.link("Page:")
        assert re.fullmatch(r"https://cal\.example\.org/[A-Za-z0-9_-]{32}/", page), page
        assert server.link("Subscribe:") == f"webcal://{page.removeprefix('https://')}calendar.ics"


def test_a_rules_file_broken_while_serving_is_logged_and_shown_and_the_feed_stays(
    tmp_path: Path,
) -> None:
    rules = tmp_path / "rules.yaml"
    write_rules(rules)
    with started(tmp_path, "--from", str(EXAMPLE), "--rules", str(rules), "--now", NOW) as server:
        page_url = server.link("Page:")
        good = fetch(page_url + "calendar.ics")
        rules.write_text(rules.read_text().replace("rules:", "rules: [", 1))
        # The server looks at its inputs at most once a second: poll, with a deadline.
        deadline = time.monotonic() + 15
        while "Could not update the calendar" not in fetch(page_url).body.decode():
            assert time.monotonic() < deadline, "the page never showed the error"
            time.sleep(0.1)
        assert fetch(page_url + "calendar.ics").body == good.body
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
        assert server.process.stderr is not None
        log = server.process.stderr.read()
    assert "feed not updated, still serving the last good one: " in log
    assert f"{rules}:" in log
    assert "Traceback" not in log


def test_check_of_a_feed_apps_cannot_read_exits_4_not_the_code_of_the_unexpected() -> None:
    from followup.cli.serve import _check
    from followup.engine.errors import EXIT_CODES, FollowupError

    broken = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    with pytest.raises(FollowupError) as caught:
        _check(broken, "common")
    assert caught.value.exit_code == 4 == EXIT_CODES["source"]
    assert "calendar apps would trip over" in caught.value.message


@pytest.mark.machine_zone("UTC")
def test_serve_reads_now_without_an_offset_where_the_plan_is_made(tmp_path: Path) -> None:
    # timezone: local on a computer set to UTC plans in the interviews' zone (Berlin):
    # 23:30 is Berlin's 23:30 on Sunday 6 December, so Monday's follow-ups are tomorrow's
    # on the page, and the feed is stamped 22:30 UTC.
    search = str(ROOT / "tests" / "data" / "everyday" / "search.ics")
    with started(tmp_path, "--from", search, "--now", "2026-12-06T23:30") as server:
        page = server.link("Page:")
        feed = fetch(page + "calendar.ics").body
        shown = fetch(page).body.decode()
    assert b"DTSTAMP:20261206T223000Z" in feed
    assert "<h3>Tomorrow · Monday 7 December</h3>" in shown
