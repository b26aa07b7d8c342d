"""Run other readers' test calendars through followup's reader and through
icalendar + recurring-ical-events, and compare the occurrence instants.

Every event is taken as an interview. Each file is read by each side in its
own subprocess with a time bound, so a hang is a finding, not a stuck run.

Usage: ``python tests/corpus/compare.py [--cache DIR] [--timeout S] [--json OUT]``
(run ``tests/corpus/fetch.py`` first). Prints: files read, files refused and
why (grouped), disagreements, the slowest files per megabyte.

Both sides read the same window and place floating times and dates the same
way: in the calendar's X-WR-TIMEZONE when it names a zone (floating times
only), else in ``HOME``. An instant is an occurrence's start in UTC.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import select
import subprocess
import sys
import time
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from fetch import default_cache  # noqa: E402

HOME = "Europe/Berlin"
SINCE = datetime(1970, 1, 1, tzinfo=UTC)
UNTIL = datetime(2040, 1, 1, tzinfo=UTC)
TIMEOUT = 30.0
BIG = 100_000  # bytes: below this, seconds per megabyte measure start-up costs, not the reading


# --- the two sides, each run in a child process ---------------------------------------------


def _followup(data: bytes, name: str) -> dict[str, Any]:
    from followup.engine.model import Window
    from followup.engine.read import reader

    class Everything(reader.Matcher):
        def matches(self, summary: str, categories: Any) -> bool:
            return True

        def may_match_raw(self, summaries: Any, categories: Any) -> bool:
            return True

    window = Window(since=SINCE, until=UNTIL)
    home = zoneinfo.ZoneInfo(HOME)
    started = time.process_time()
    reading = reader.read_ics(data, matcher=Everything(), home=home, window=window, name=name)
    seconds = time.process_time() - started
    return {
        "instants": [[i.uid, _utc(i.start)] for i in reading.events],
        "warnings": [*reading.warnings, *reading.quiet],
        "seconds": seconds,
    }


def _reference(data: bytes, name: str) -> dict[str, Any]:
    import recurring_ical_events
    from icalendar import Calendar

    started = time.process_time()
    calendars = Calendar.from_ical(data, multiple=True)
    home = zoneinfo.ZoneInfo(HOME)
    instants: list[list[str]] = []
    for calendar in calendars:
        floating = home
        wr = calendar.get("X-WR-TIMEZONE")
        if wr is not None:
            with contextlib.suppress(ValueError, zoneinfo.ZoneInfoNotFoundError):
                floating = zoneinfo.ZoneInfo(str(wr).strip())
        # Two days either side: dates and floating times are placed after expansion.
        margin = timedelta(days=2)
        for event in recurring_ical_events.of(calendar).between(SINCE - margin, UNTIL + margin):
            start = event.get("DTSTART")
            if start is None:
                continue
            value = start.dt
            if not isinstance(value, datetime):
                value = datetime(value.year, value.month, value.day, tzinfo=home)
            elif value.tzinfo is None:
                value = value.replace(tzinfo=floating)
            if SINCE <= value < UNTIL:
                instants.append([str(event.get("UID", "")), _utc(value)])
    return {"instants": instants, "warnings": [], "seconds": time.process_time() - started}


def _utc(value: datetime | date) -> str:
    assert isinstance(value, datetime)
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def read_one(side: str, path: str) -> dict[str, Any]:
    """Read one file with one side: the result, or how it gave up."""
    data = Path(path).read_bytes()
    started = time.process_time()
    try:
        result = (_followup if side == "followup" else _reference)(data, Path(path).name)
        result["status"] = "read"
    except Exception as error:  # the point is to see every way a side gives up
        from followup.engine.errors import FollowupError

        kind = "refused" if isinstance(error, FollowupError) else "traceback"
        message = f"{type(error).__name__}: {error}"
        result = {"status": kind, "message": message, "seconds": time.process_time() - started}
    return result


def serve(side: str) -> None:
    """Child process: read the file named on each line of stdin, answer one JSON line each."""
    for line in sys.stdin:
        print(json.dumps(read_one(side, line.rstrip("\n"))), flush=True)


class Reader:
    """One side in a child process, fed a file at a time; a file that takes longer than
    the time bound is reported as a timeout and the child is started again."""

    def __init__(self, side: str, timeout: float) -> None:
        self.side = side
        self.timeout = timeout
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self.process is None:
            self.process = subprocess.Popen(
                [sys.executable, __file__, "--serve", self.side],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                cwd=ROOT,
            )
        return self.process

    def read(self, path: Path) -> dict[str, Any]:
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(f"{path}\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], self.timeout)
        answer = process.stdout.readline() if ready else ""
        if not answer:
            self.close()
            if not ready:
                return {
                    "status": "timeout",
                    "message": f"no answer in {self.timeout:.0f} s",
                    "seconds": self.timeout,
                }
            return {"status": "traceback", "message": "the reader process died"}
        result: dict[str, Any] = json.loads(answer)
        return result

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


# --- comparing ------------------------------------------------------------------------------

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBERS = re.compile(r"\d+")


def reason(message: str) -> str:
    """A refusal message without its file name, line numbers and quoted values: a group key."""
    text = message.split(": ", 1)[1] if ": " in message else message
    text = re.sub(r"^[^ ]*\.ics(:\d+)?: ", "", text)
    text = _QUOTED.sub("'…'", text)
    text = _NUMBERS.sub("N", text)
    return text[:110]


@dataclass
class Verdict:
    file: str
    bytes: int
    followup: dict[str, Any]
    reference: dict[str, Any]
    differences: list[str] = field(default_factory=list)

    explained: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.differences


def compare(file: str, size: int, ours: dict[str, Any], theirs: dict[str, Any]) -> Verdict:
    verdict = Verdict(file, size, ours, theirs)
    if ours["status"] != "read" or theirs["status"] != "read":
        return verdict
    capped = any("repeats more than" in w or "only the first" in w for w in ours["warnings"])
    mine: dict[str, Counter[str]] = defaultdict(Counter)
    other: dict[str, Counter[str]] = defaultdict(Counter)
    for uid, instant in ours["instants"]:
        mine[uid][instant] += 1
    for uid, instant in theirs["instants"]:
        other[uid][instant] += 1
    guessed_zone = any("unknown time zone" in w for w in ours["warnings"])
    # Events without a UID: followup derives one; compare them together, by instant.
    anonymous = other.pop("", Counter[str]())
    derived = Counter[str]()
    for uid in set(mine) - set(other):
        derived.update(mine.pop(uid))
    if derived != anonymous and guessed_zone:
        verdict.explained.append("(no UID): unknown TZID")
    else:
        if derived - anonymous:
            verdict.differences.append(
                f"(no UID): only followup has {sorted(derived - anonymous)[:3]}"
            )
        if anonymous - derived and not capped:
            verdict.differences.append(
                f"(no UID): followup lacks {sorted(anonymous - derived)[:3]}"
            )
    for uid in sorted(other):
        have, want = mine.get(uid, Counter()), other[uid]
        if have == want:
            continue
        chosen = any(f"share UID {uid!r}" in w for w in ours["warnings"])
        if chosen or guessed_zone:
            # Said so in a warning: of duplicated events the highest SEQUENCE is read; a TZID
            # without VTIMEZONE is read in the rules' zone (icalendar reads it as UTC).
            why = "duplicate UID" if chosen else "unknown TZID"
            verdict.explained.append(f"{uid}: {why}")
            continue
        extra, missing = have - want, want - have
        if extra:
            verdict.differences.append(f"{uid}: only followup has {sorted(extra)[:3]}")
        elif missing and not have and any(uid in w for w in ours["warnings"]):
            continue  # skipped, and said so
        elif missing and not capped:
            verdict.differences.append(
                f"{uid}: followup lacks {len(missing)}, e.g. {sorted(missing)[:3]}"
            )
    return verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--timeout", type=float, default=TIMEOUT)
    parser.add_argument("--json", type=Path, help="write every verdict here")
    parser.add_argument("--only", help="files whose path contains this text")
    parser.add_argument("--serve", metavar="SIDE", help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help="only report the verdicts saved by --json")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if args.report:
        saved = json.loads(args.report.read_text())
        print(
            report([compare(v["file"], v["bytes"], v["followup"], v["reference"]) for v in saved])
        )
        return
    verdicts = run(args.cache, args.timeout, args.only)
    print(report(verdicts))
    if args.json:
        args.json.write_text(
            json.dumps([v.__dict__ for v in verdicts], indent=1, default=str) + "\n"
        )


def run(cache: Path, timeout: float = TIMEOUT, only: str | None = None) -> list[Verdict]:
    """Every file of the manifest read by both sides and compared."""
    manifest = json.loads((cache / "manifest.json").read_text())
    ours, theirs = Reader("followup", timeout), Reader("reference", timeout)
    verdicts: list[Verdict] = []
    try:
        for entry in manifest["files"]:
            if only and only not in entry["file"]:
                continue
            path = cache / entry["file"]
            verdicts.append(
                compare(entry["file"], entry["bytes"], ours.read(path), theirs.read(path))
            )
    finally:
        ours.close()
        theirs.close()
    return verdicts


def report(verdicts: list[Verdict]) -> str:
    lines = [f"files: {len(verdicts)}"]
    read = [v for v in verdicts if v.followup["status"] == "read"]
    lines.append(f"read by followup: {len(read)}")
    for status in ("refused", "traceback", "timeout"):
        group = [v for v in verdicts if v.followup["status"] == status]
        if not group:
            continue
        lines.append(f"{status} by followup: {len(group)}")
        reasons = Counter(reason(v.followup["message"]) for v in group)
        for text, count in reasons.most_common():
            example = next(v.file for v in group if reason(v.followup["message"]) == text)
            lines.append(f"  {count:4}  {text}  (e.g. {example})")
    also = [
        v for v in verdicts if v.followup["status"] != "read" and v.reference["status"] == "read"
    ]
    lines.append(f"refused by followup, read by the reference: {len(also)}")
    unread = Counter(v.reference["status"] for v in verdicts if v.reference["status"] != "read")
    lines.append(f"not read by the reference: {dict(unread) or 0}")
    warned = [v for v in read if v.followup["warnings"]]
    lines.append(f"read with warnings: {len(warned)}")
    both = [v for v in read if v.reference["status"] == "read"]
    disagreements = [v for v in both if not v.agrees]
    explained = [v for v in both if v.agrees and v.explained]
    lines.append(
        f"read by both: {len(both)}; disagreements: {len(disagreements)}; "
        f"differences followup warned about: {len(explained)}"
    )
    for v in explained:
        lines.append(
            f"  {v.file}: {', '.join(sorted(set(e.split(': ', 1)[1] for e in v.explained)))}"
        )
    for v in disagreements:
        lines.append(f"  {v.file}: {len(v.differences)} series differ, e.g. {v.differences[0]}")
    timed = sorted(
        (v.followup["seconds"] / (v.bytes / 1e6), v.file, v)
        for v in verdicts
        if "seconds" in v.followup and v.bytes >= BIG
    )
    lines.append(
        f"slowest per MB, of the {len(timed)} files of {BIG // 1000} kB or more (CPU seconds of the read):"
    )
    for per_mb, _, v in reversed(timed[-3:]):
        lines.append(
            f"  {per_mb:7.2f} s/MB  {v.followup['seconds']:.3f} s  {v.bytes / 1e6:.3f} MB  {v.file}"
        )
    slowest = max(
        (v for v in verdicts if "seconds" in v.followup),
        key=lambda v: v.followup["seconds"],
        default=None,
    )
    if slowest is not None:
        lines.append(
            f"slowest file: {slowest.followup['seconds']:.2f} s, {slowest.bytes / 1e6:.3f} MB, {slowest.file}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
