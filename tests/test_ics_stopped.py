"""Steps a mark stopped stay in `followup ics` as cancelled, so a re-import removes or strikes them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

from tests.everyday_support import SEARCH, run

NOW = "2026-12-03T10:00"
KHAL = Path(sys.executable).with_name("khal")


def ics(*args: str, now: str = NOW) -> str:
    result = run("ics", "--from", SEARCH, "--now", now, *args)
    assert result.code == 0, result.err
    return result.out


def mark(status: str, company: str = "ACME") -> None:
    result = run("mark", company, status, "--from", SEARCH, "--now", NOW)
    assert result.code == 0, result.err


def items(text: str) -> dict[str, dict[str, str]]:
    """The items of a calendar by title: UID, STATUS, SEQUENCE, and whether it rings."""
    found: dict[str, dict[str, str]] = {}
    for item in Calendar.from_ical(text).walk():
        if item.name in ("VEVENT", "VTODO"):
            found[str(item["SUMMARY"])] = {
                "uid": str(item["UID"]),
                "status": str(item.get("STATUS", "")),
                "sequence": str(item.get("SEQUENCE", "")),
                "alarm": str(any(sub.name == "VALARM" for sub in item.subcomponents)),
            }
    return found


def test_a_stopped_step_keeps_its_uid_and_is_cancelled_with_a_higher_sequence() -> None:
    before = items(ics())
    check_in = before["Check in with ACME about your application"]
    assert check_in["sequence"] == ""  # SEQUENCE 0: never changed
    mark("replied")
    after = items(ics())
    assert "Check in with ACME about your application" not in after
    cancelled = after["Cancelled (they replied): Check in with ACME about your application"]
    assert cancelled["uid"] == check_in["uid"]
    assert cancelled["status"] == "CANCELLED"
    assert int(cancelled["sequence"]) > 0
    assert cancelled["alarm"] == "False"
    assert after["Cancelled (they replied): Move on from ACME"]["status"] == "CANCELLED"
    # every other step is as it was
    stopped = {"Check in with ACME about your application", "Move on from ACME"}
    assert {t: v for t, v in after.items() if not t.startswith("Cancelled")} == {
        t: v for t, v in before.items() if t not in stopped
    }


def test_the_cancelled_steps_are_the_same_bytes_on_every_run() -> None:
    mark("rejected")
    first = ics()
    assert "SUMMARY:Cancelled (they said no): Move on from ACME" in first
    assert ics() == first


def test_a_stopped_step_whose_time_has_passed_is_left_out() -> None:
    mark("replied")
    # the check-in was due on 16 December, moving on on the 23rd
    later = items(ics(now="2026-12-20T10:00"))
    assert not any("Check in with ACME" in title for title in later)
    assert "Cancelled (they replied): Move on from ACME" in later


def test_undoing_the_mark_brings_the_steps_back_as_they_were() -> None:
    before = ics()
    mark("replied")
    assert "STATUS:CANCELLED" in ics()
    mark("pending")
    assert ics() == before


def test_the_written_file_counts_the_stopped_steps(tmp_path: Path) -> None:
    mark("replied")
    result = run("ics", "--from", SEARCH, "--now", NOW, "-o", str(tmp_path / "f.ics"))
    assert result.code == 0, result.err
    assert "(and 2 stopped, as cancelled)" in result.err


# ------------------------------------------------------- a real importing app ----


def khal(config: Path, *args: str) -> str:
    done = subprocess.run(
        [str(KHAL), "-c", str(config), *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_khal_strikes_the_stopped_steps_when_the_new_file_is_imported(tmp_path: Path) -> None:
    (tmp_path / "calendar").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        "[calendars]\n[[followups]]\n"
        f"path = {tmp_path / 'calendar'}\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )

    def listed() -> list[str]:
        shown = khal(
            config,
            "list",
            "--format",
            "{cancelled}{title}",
            "--day-format",
            "",
            "2026-12-03",
            "60d",
        )
        return sorted(line for line in shown.splitlines() if line.strip())

    first = tmp_path / "first.ics"
    first.write_text(ics())
    khal(config, "import", "--batch", str(first))
    before = listed()
    assert "Check in with ACME about your application" in before
    assert "Move on from ACME" in before

    mark("replied")
    second = tmp_path / "second.ics"
    second.write_text(ics())
    khal(config, "import", "--batch", str(second))
    after = listed()
    assert "Check in with ACME about your application" not in after
    assert "Move on from ACME" not in after
    assert "CANCELLED Cancelled (they replied): Check in with ACME about your application" in after
    assert "CANCELLED Cancelled (they replied): Move on from ACME" in after
    assert len(after) == len(before)  # updated in place by UID, nothing duplicated
