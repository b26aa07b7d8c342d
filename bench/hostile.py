"""The worst input of each kind next to a normal input of the same size: time and peak memory.

An invite is written by whoever sent it and a rules file may come from the
web, so followup must stay linear in the size of what it reads. For every
kind of hostile input known (titles, notes, recurrence rules, time zones,
YAML, templates, rules values, nested config, big files, ZIP directories, a
gzip bomb behind a link, TAB on hostile UIDs), this builds the
worst case and an everyday input of the same size, runs the command a user
would run on each in its own process (``followup plan``, ``followup check``,
a TAB as bash asks for it; a link is served from this process on 127.0.0.1),
and prints the time, the peak memory (``wait4``'s rusage of that process) and
the ratios worst/normal. The IMAP cases run ``followup mail`` against the
misbehaving server of tests/imap_faults.py (one byte every half second, in
IMAP or already in TLS; a 400 MB literal, streamed in full; endless lines) next
to the same server answering honestly; the link cases serve a gzip bomb, a
calendar one byte every half second, a stalled answer and a redirect loop from
a server on 127.0.0.1.

Each case also names the bound that must stop it (docs/security.md, "Limits")
and the words of the message that bound gives: a worst input that ends any
other way (another message, exit 0, more time or memory than its bound allows)
is printed as FAIL, and the bench exits non-zero. With --rounds N each input
runs N times and the table shows the median, with the spread (lowest-highest)
of the worst input below it; the verdict on time and memory is the median's,
a wrong ending in any round fails the case.

Goal: linear in size, so ratios near 1, and no case over 2 s (beyond the
start-up of a process, measured first and printed) or 500 MB; a case that
can only end at a deadline has that deadline added to its goal. A traceback
is printed as FAIL.
A case over the goal is printed as such (``OVER``), not hidden; a process is
stopped after --timeout seconds and its address space is capped at 1 GB so
a bomb cannot take the machine down.

    python bench/hostile.py [--timeout 10] [--rounds 3] [--only title,notes]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import os
import resource
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NOW = "2026-11-30T08:00"
MAIL_DEADLINE = 5.0
"""The `[mail] deadline` of the IMAP cases: the slow server can only end there."""
LINK_DEADLINE = 120.0
"""engine/sources/link.py ``Limits.deadline``: a link that sends slowly ends there."""
LINK_TIMEOUT = 30.0
"""engine/sources/link.py ``Limits.timeout``: a link that stops sending ends there."""
GOAL_SECONDS = 2.0
GOAL_MB = 500.0
ADDRESS_SPACE = 1 << 30  # 1 GB: a bomb fails fast instead of swapping a shared machine


# -- inputs --------------------------------------------------------------------------------


def calendar(*events: str, zones: str = "") -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n"
        + zones
        + "".join(events)
        + "END:VCALENDAR\r\n"
    ).encode()


def event(
    uid: str = "i@x",
    summary: str = "Interview with ACME",
    description: str = "Company: ACME",
    extra: str = "",
    start: str = "DTSTART:20261125T100000Z\r\nDTEND:20261125T110000Z\r\n",
) -> str:
    def fold(line: str) -> str:
        return "\r\n ".join(line[i : i + 70] for i in range(0, len(line), 70)) + "\r\n"

    return (
        "BEGIN:VEVENT\r\n"
        + fold(f"UID:{uid}")
        + "DTSTAMP:20261101T000000Z\r\n"
        + start
        + fold("SUMMARY:" + summary.replace("\\", "\\\\").replace("\n", "\\n"))
        + fold("DESCRIPTION:" + description.replace("\\", "\\\\").replace("\n", "\\n"))
        + extra
        + "END:VEVENT\r\n"
    )


def pad(text: str, size: int, filler: str = "word ") -> str:
    """``text`` made ``size`` characters long with everyday words."""
    return (text + filler * (size // len(filler) + 1))[:size]


def rules_with(rule: str, top: str = "") -> str:
    return (
        "version: 1\ntimezone: Europe/Berlin\n"
        + top
        + "rules:\n"
        + rule
        + ("" if rule.endswith("\n") else "\n")
    )


NORMAL_RULE = (
    "  - id: thank-you\n    title: 'Thank {{ company }}'\n    when: { from: end, offset: 1 day }\n"
)


def template_rule(expression: str) -> str:
    return f'  - id: t\n    title: "{expression}"\n    when: {{ from: end, offset: 1 day }}\n'


def same_size_rules(text: str) -> str:
    """An everyday rules file as long as ``text``: the normal rule and a comment to pad."""
    base = rules_with(NORMAL_RULE)
    return base + "#" + "x" * max(0, len(text) - len(base) - 2) + "\n"


YAML_BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)}]\n"
        for i in range(9)
    )
    + rules_with(NORMAL_RULE)
)

SECONDLY_ZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:My Zone\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
)
YEARLY_ZONE = SECONDLY_ZONE.replace("FREQ=SECONDLY", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
ZONED = "DTSTART;TZID=My Zone:20261125T100000\r\nDTEND;TZID=My Zone:20261125T110000\r\n"


def even_out(normal: bytes, size: int, command: str) -> bytes:
    """``normal`` grown to ``size`` bytes with inert padding: an X- property or a comment."""
    missing = size - len(normal)
    if missing <= 0:
        return normal
    if command != "plan":
        return normal + b"#" + b"x" * max(0, missing - 2) + b"\n"
    cut = normal.index(b"END:VEVENT\r\n")
    # a folded line of n characters takes n + 3 bytes per 70 (CRLF and a space) + CRLF
    extra = max(1, (missing - 2) * 70 // 73 - 6)
    while extra > 1:
        text = "X-PAD:" + "x" * extra
        line = ("\r\n ".join(text[i : i + 70] for i in range(0, len(text), 70)) + "\r\n").encode()
        if len(line) <= missing:
            return normal[:cut] + line + normal[cut:]
        extra -= 1
    return normal


@dataclass(frozen=True)
class Case:
    """One kind of hostile input: its worst case and an everyday input of the same size."""

    name: str
    what: str
    command: str  # "plan" (the input is a calendar) or "check" (a rules file) or "config"
    worst: Callable[[], bytes]
    normal: Callable[[], bytes]
    fault: str = ""
    """For "mail": what the IMAP server does wrong in the worst run (tests/imap_faults.py)."""
    allowed: float = 0.0
    """Seconds the case may take beyond the goal: a deadline it can only end at."""
    bound: str = ""
    """The documented bound that stops the worst input (docs/security.md, "Limits")."""
    expect: str = ""
    """Words of the message that bound gives: the worst run must end with it."""
    megabytes: float = GOAL_MB
    """Peak memory the worst run may reach: the goal, or less where the bound is memory."""
    serve: str = "gzip"
    """For "plan-link": how the link server sends (gzip, slow, stall, loop)."""


def title_case(size: int) -> Case:
    worst = "interview " + " " * (size - 11) + "x"
    return Case(
        "title",
        f"a {size}-character title of spaces",
        "plan",
        lambda: calendar(event(summary=worst)),
        lambda: calendar(event(summary=pad("Interview with ACME ", size))),
    )


def notes_case(size: int) -> Case:
    worst = "<b>" + "<" * (size - 3)
    normal = pad("<b>Company: ACME</b><br>", size, "Notes about the role, <i>fit</i>. ")
    return Case(
        "notes-html",
        f"{size // 1000} KB of '<' after an HTML tag",
        "plan",
        lambda: calendar(event(description=worst)),
        lambda: calendar(event(description=normal)),
    )


def rrule_case(freq: str) -> Case:
    rule = f"RRULE:FREQ={freq}\r\n"
    return Case(
        f"rrule-{freq.split(';')[0].lower()}",
        f"an interview series FREQ={freq}",
        "plan",
        lambda: calendar(event(extra=rule)),
        lambda: calendar(
            event(extra=pad("RRULE:FREQ=WEEKLY;COUNT=4", len(rule) - 2, ";").rstrip(";") + "\r\n")
        ),
    )


NOTES = b"DESCRIPTION:" + b"notes " * 80 + b"\r\n"
DEEPER = (
    b"BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Interview\r\n" + NOTES + b"BEGIN:VALARM\r\nEND:VEVNT\r\n"
)
"""An event that leaves its VALARM open and closes nothing: read as written, every event
after it would be inside it (followup reads 100 such ENDs, then refuses the file)."""
CLOSED = b"BEGIN:VEVENT\r\nUID:y\r\nSUMMARY:Meeting\r\n" + NOTES + b"END:VEVENT\r\n"
"""The same size of plain, well-formed events."""


def zip_entry(name: bytes, extra: bytes = b"") -> bytes:
    """One central directory entry, as a hostile archive is written: no file behind it."""
    head = struct.pack(
        "<4s6H3I5HII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(name), len(extra), 0, 0, 0,
        0, 0,
    )  # fmt: skip
    return head + name + extra


def zip_of_directory(directory: bytes, count: int) -> bytes:
    """A first file's header, the directory, a ZIP64 end record (for counts over 65,535)."""
    first = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 1, 0) + b"a"
    record = struct.pack(
        "<4sQ2H2I4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), 0
    )
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, len(first) + len(directory), 1)
    end = struct.pack(
        "<4s4H2IH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(directory), len(first), 0
    )
    return first + directory + record + locator + end


def export_zip(size: int) -> bytes:
    """An everyday export of ``size`` bytes: the example calendar and a photo stored beside."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("interviews.ics", (ROOT / "examples" / "interviews.ics").read_bytes())
        photo = max(0, size - 2 * 1024)
        archive.writestr("photo.jpg", os.urandom(photo), compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def zip_bomb(size: int) -> bytes:
    """A ZIP of one calendar that unpacks to ``size`` bytes: a calendar's start, then
    blank lines (written a megabyte at a time, deflated to about 1 MB)."""
    buffer = io.BytesIO()
    block = b"\r\n" * 2**19
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("interviews.ics", "w", force_zip64=True) as member,
    ):
        member.write(b"BEGIN:VCALENDAR\r\n")
        for _ in range(size // len(block)):
            member.write(block)
    return buffer.getvalue()


def gzip_bomb(size: int) -> bytes:
    squeeze = __import__("zlib").compressobj(9, 8, 16 + 15)
    block = bytes(2**20)
    return b"".join(
        [*(squeeze.compress(block) for _ in range(size // len(block))), squeeze.flush()]
    )


TAB_TITLE = "Interview with ACME $(touch /tmp/x) `id` \x1b]52;c;eA==\x07"


def tab_calendar(uid: str, count: int) -> bytes:
    return calendar(*(event(uid=f"{uid}{n}", summary=TAB_TITLE) for n in range(count)))


def cases() -> list[Case]:
    deep_yaml = "[" * 300 + "]" * 300 + "\n"
    deep_toml = "[sync]\nfrom = " + "[" * 5000 + "]" * 5000 + "\n"
    big = 20 * 1024 * 1024
    templates = {
        "template-power": "{{ 9**(9**9) }}",
        "template-repeat": "{{ 'a'*10**10 }}",
        "template-range": "{% for i in range(10**5) %}{% for j in range(10**5) %}x{% endfor %}{% endfor %}",
        "template-width": "{{ '%999999999s' % 'x' }}",
        "template-zero": "{{ 1 // (company|length - company|length) }}",
    }
    found = [
        title_case(1400),
        notes_case(60_000),
        rrule_case("SECONDLY"),
        rrule_case("MINUTELY"),
        rrule_case("HOURLY"),
        rrule_case("DAILY;INTERVAL=0"),
        Case(
            "vtimezone-secondly",
            "a VTIMEZONE whose rule is FREQ=SECONDLY",
            "plan",
            lambda: calendar(event(start=ZONED), zones=SECONDLY_ZONE),
            lambda: calendar(event(start=ZONED), zones=YEARLY_ZONE),
        ),
        Case(
            "vevent-in-vevent",
            "a VEVENT inside a VEVENT",
            "plan",
            lambda: calendar(event(extra=event(uid="inner@x"))),
            lambda: calendar(event(), event(uid="second@x")),
        ),
        Case(
            "tzid-slashes",
            "a TZID of 2,000 slashes",
            "plan",
            lambda: calendar(event(start=ZONED.replace("My Zone", "/" * 2000))),
            lambda: calendar(event(start=ZONED.replace("My Zone", "Europe/Berlin"))),
        ),
        Case(
            "organizer-cn",
            "a line break in ORGANIZER's CN",
            "plan",
            lambda: calendar(event(extra='ORGANIZER;CN="Eve\\nBcc: x":mailto:eve@x.example\r\n')),
            lambda: calendar(event(extra='ORGANIZER;CN="Eve Bcc xy":mailto:eve@x.example\r\n')),
        ),
        Case(
            "big-file",
            "20 MB in one event's notes",
            "plan",
            lambda: calendar(event(description=pad("Company: ACME\n", big, "notes "))),
            lambda: calendar(
                *(
                    event(uid=f"e{n}@x", summary=f"Meeting {n}", description=pad("", 300))
                    for n in range(big // 520)
                )
            ),
        ),
        Case(
            "misspelt-ends",
            "20 MB of events that leave a VALARM open and close with END:VEVNT",
            "plan",
            lambda: b"BEGIN:VCALENDAR\r\n" + (DEEPER * (big // len(DEEPER))) + b"END:VCALENDAR\r\n",
            lambda: b"BEGIN:VCALENDAR\r\n" + (CLOSED * (big // len(CLOSED))) + b"END:VCALENDAR\r\n",
        ),
        Case(
            "yaml-aliases",
            f"a {len(YAML_BOMB)}-byte YAML alias bomb",
            "check",
            lambda: YAML_BOMB.encode(),
            lambda: same_size_rules(YAML_BOMB).encode(),
        ),
        Case(
            "yaml-nesting",
            "YAML flow lists nested 300 deep",
            "check",
            lambda: (rules_with(NORMAL_RULE) + "x-deep: " + deep_yaml).encode(),
            lambda: same_size_rules(rules_with(NORMAL_RULE) + "x-deep: " + deep_yaml).encode(),
        ),
        Case(
            "workdays-empty",
            "workdays: [] in the rules",
            "plan-rules",
            lambda: (
                rules_with(NORMAL_RULE, "workdays: []\n")
                .replace("offset: 1 day", "offset: 1 business day")
                .encode()
            ),
            lambda: (
                rules_with(NORMAL_RULE, "workdays: [mon]\n")
                .replace("offset: 1 day", "offset: 1 business day")
                .encode()
            ),
        ),
        Case(
            "offset-huge",
            "an offset of 10^12 days",
            "plan-rules",
            lambda: rules_with(NORMAL_RULE.replace("1 day", "1000000000000 days")).encode(),
            lambda: same_size_rules(
                rules_with(NORMAL_RULE.replace("1 day", "1000000000000 days"))
            ).encode(),
        ),
        Case(
            "toml-nesting",
            "config.toml nested 5,000 deep",
            "config",
            lambda: deep_toml.encode(),
            lambda: ("[sync]\nname = '" + "x" * (len(deep_toml) - 22) + "'\n").encode(),
        ),
    ]
    found += [
        Case(
            "zip-entries",
            "a ZIP whose directory lists 980,000 entries",
            "plan-zip",
            lambda: zip_of_directory(zip_entry(b"a.ics") * 980_000, 980_000),
            lambda: export_zip(980_000 * 51),
            bound="1,000 members, counted from the end record (archive.py MAX_MEMBERS)",
            expect="980000 files in the archive; followup reads at most 1000",
        ),
        Case(
            "zip-extra",
            "a ZIP of 750 entries with 64 KB extra fields each",
            "plan-zip",
            lambda: zip_of_directory(zip_entry(b"a.ics", b"\x99\x99\x00\x00" * 16_383) * 750, 750),
            lambda: export_zip(750 * 65_590),
            bound="a directory of 4 MB (archive.py MAX_DIRECTORY)",
            expect="the archive's list of files takes",
        ),
        Case(
            "zip-bomb",
            "a ZIP whose one calendar unpacks to 1 GB (1 MB deflated)",
            "plan-zip",
            lambda: zip_bomb(2**30),
            lambda: export_zip(1_100_000),
            bound="50 MB unpacked, counted as read (reader.py MAX_BYTES)",
            expect="more than 50 MB of calendars once unpacked",
            megabytes=300.0,
        ),
        Case(
            "link-gzip-bomb",
            "a link that sends 1 GB of zeros gzipped (1 MB)",
            "plan-link",
            lambda: gzip_bomb(2**30),
            lambda: gzip.compress((ROOT / "examples" / "interviews.ics").read_bytes()),
            bound="50 MB decompressed, streamed (link.py Limits.max_bytes)",
            expect="is more than the 50 MB followup reads",
            megabytes=300.0,
        ),
        Case(
            "link-slow",
            "a link that sends its calendar one byte every half second",
            "plan-link",
            lambda: (ROOT / "examples" / "interviews.ics").read_bytes(),
            lambda: (ROOT / "examples" / "interviews.ics").read_bytes(),
            allowed=LINK_DEADLINE,
            bound="120 s for the whole read (link.py Limits.deadline)",
            expect=f"did not send the calendar within {LINK_DEADLINE:g} s",
            serve="slow",
        ),
        Case(
            "link-stall",
            "a link that sends its headers, then nothing",
            "plan-link",
            lambda: (ROOT / "examples" / "interviews.ics").read_bytes(),
            lambda: (ROOT / "examples" / "interviews.ics").read_bytes(),
            allowed=LINK_TIMEOUT,
            bound="30 s with nothing sent (link.py Limits.timeout)",
            expect="no answer within the timeout",
            serve="stall",
        ),
        Case(
            "link-redirect-loop",
            "a link that redirects to itself for ever",
            "plan-link",
            lambda: (ROOT / "examples" / "interviews.ics").read_bytes(),
            lambda: (ROOT / "examples" / "interviews.ics").read_bytes(),
            bound="5 redirects (link.py MAX_REDIRECTS)",
            expect="redirected more than 5 times",
            serve="loop",
        ),
        Case(
            "tab-hostile-uids",
            "TAB on 300 interviews whose UIDs and titles are shell syntax",
            "tab",
            lambda: tab_calendar("x$(touch /tmp/x);'\"`id`|&*", 300),
            lambda: tab_calendar("interview-uid-000000000-", 300),
            bound="quoted for bash, no control characters (completion.py format_item)",
        ),
    ]
    mail_calendar = calendar(
        event(
            uid="acme@x",
            description="Company: ACME\nRecruiter: Dana Smith <dana@acme.example>",
        )
    )
    found += [
        Case(
            "imap-slow",
            "an IMAP server sending one byte every half second",
            "mail",
            lambda: mail_calendar,
            lambda: mail_calendar,
            fault="dribble",
            allowed=MAIL_DEADLINE,
            bound="the [mail] deadline for the whole session (config.py MAIL_DEADLINE)",
            expect=f"took more than {MAIL_DEADLINE:g} s for the mail check",
        ),
        Case(
            "imap-slow-tls",
            "an IMAP server sending its TLS handshake one byte every half second",
            "mail",
            lambda: mail_calendar,
            lambda: mail_calendar,
            fault="dribble-tls",
            allowed=MAIL_DEADLINE,
            bound="the [mail] deadline, the handshake included (config.py MAIL_DEADLINE)",
            expect=f"took more than {MAIL_DEADLINE:g} s for the mail check",
        ),
        Case(
            "imap-literal",
            "an IMAP server answering a FETCH of headers with a 400 MB literal",
            "mail",
            lambda: mail_calendar,
            lambda: mail_calendar,
            fault="huge-literal",
            bound="a literal of 1 MB, refused from its size (imap.py MAX_LITERAL)",
            expect="where followup asked for a message's",
            megabytes=150.0,
        ),
        Case(
            "imap-endless",
            "an IMAP server answering with endless untagged lines",
            "mail",
            lambda: mail_calendar,
            lambda: mail_calendar,
            fault="long-answer",
            allowed=MAIL_DEADLINE,  # 64 MB of short lines take seconds to arrive and read
            bound="64 MB in one answer (imap.py MAX_ANSWER), within the [mail] deadline",
            expect="MB in one answer",
            megabytes=300.0,
        ),
    ]
    for name, expression in templates.items():
        found.append(
            Case(
                name,
                f"the template {expression[:40]}",
                "plan-rules",
                lambda e=expression: rules_with(template_rule(e)).encode(),  # type: ignore[misc]
                lambda e=expression: same_size_rules(rules_with(template_rule(e))).encode(),  # type: ignore[misc]
            )
        )
    return found


# -- running -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    megabytes: float
    code: int | None  # None: stopped at the timeout
    last_line: str
    said: str = ""
    """All it wrote to standard error."""


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def measure(argv: list[str], env: dict[str, str], timeout: float) -> Run:
    """Run ``argv`` in its own process: wall time, its peak RSS from wait4, its exit code."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=_cap_memory,
            start_new_session=True,
        )
        code: int | None = None
        usage = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _, _, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        proc.returncode = code if code is not None else -9
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    said = " ".join(line.strip() for line in lines)
    last = next((line for line in reversed(lines) if line.startswith("followup:")), "")
    return Run(seconds, usage.ru_maxrss / 1024, code, (last or (lines or [""])[-1])[:90], said)


class _Link(BaseHTTPRequestHandler):
    """Serves the bytes of the case at any path: gzip-encoded, one byte every half second
    (slow), headers and then nothing (stall), or a redirect to itself (loop)."""

    body = b""
    mode = "gzip"

    def do_GET(self) -> None:
        if self.mode == "loop":
            self.send_response(302)
            self.send_header("Location", f"{self.path}x")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        if self.mode == "gzip":
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # followup hung up: as it should
            if self.mode == "gzip" or self.mode == "normal":
                self.wfile.write(self.body)
            elif self.mode == "slow":
                for byte in self.body[: int(2 * (LINK_DEADLINE + 30))]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.5)
            else:  # stall: the headers only, then silence for longer than followup waits
                self.wfile.flush()
                time.sleep(LINK_TIMEOUT + 30)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(data: bytes, mode: str = "gzip") -> ThreadingHTTPServer:
    handler = type("Link", (_Link,), {"body": data, "mode": mode})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def run_case(case: Case, data: bytes, folder: Path, timeout: float, *, worst: bool = False) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"FOLLOWUP_{name}_DIR"] = str(folder / name.lower())
    (folder / "config").mkdir(exist_ok=True)
    example = str(ROOT / "examples" / "interviews.ics")
    followup = [sys.executable, "-m", "followup.cli.main"]
    if case.command == "plan":
        path = folder / "calendar.ics"
        path.write_bytes(data)
        argv = [*followup, "plan", "--from", str(path), "--now", NOW]
    elif case.command == "check":
        path = folder / "rules.yaml"
        path.write_bytes(data)
        argv = [*followup, "check", str(path)]
    elif case.command == "mail":
        return run_mail(case, data, folder, env, timeout, worst=worst)
    elif case.command == "plan-rules":
        path = folder / "rules.yaml"
        path.write_bytes(data)
        argv = [*followup, "plan", "--from", example, "--rules", str(path), "--now", NOW]
    elif case.command == "plan-zip":
        path = folder / "export.zip"
        path.write_bytes(data)
        argv = [*followup, "plan", "--from", str(path), "--now", NOW]
    elif case.command == "plan-link":
        plain = case.serve != "gzip"
        httpd = serve(data, case.serve if worst or not plain else "normal")
        try:
            link = f"http://127.0.0.1:{httpd.server_address[1]}/basic.ics"
            return measure([*followup, "plan", "--from", link, "--now", NOW], env, timeout)
        finally:
            httpd.shutdown()
            httpd.server_close()
    elif case.command == "tab":
        path = folder / "calendar.ics"
        path.write_bytes(data)
        words = f"followup explain --from {path} --now 2026-11-20 "
        env.update(_FOLLOWUP_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD="6")
        script = Path(sys.executable).with_name("followup")
        argv = [str(script)] if script.exists() else followup
    else:
        (folder / "config" / "config.toml").write_bytes(data)
        argv = [*followup, "plan", "--from", example, "--now", NOW]
    return measure(argv, env, timeout)


def run_mail(
    case: Case, data: bytes, folder: Path, env: dict[str, str], timeout: float, *, worst: bool
) -> Run:
    """``followup mail`` against tests/imap_faults.py's server, faulty in the worst run."""
    from tests.imap_faults import faulty_imap

    path = folder / "calendar.ics"
    path.write_bytes(data)
    env["MAIL_PASSWORD"] = "bench"
    fault = case.fault if worst else "none"
    size = 400_000_000
    with faulty_imap(fault, literal_size=size, literal_sent=size) as server:  # type: ignore[arg-type]
        (folder / "config" / "config.toml").write_text(
            f'[mail]\nhost = "localhost"\nport = {server.port}\nusername = "jo"\n'
            f'password_env = "MAIL_PASSWORD"\nca_file = "{server.cert}"\ntimeout = 10\n'
            f"deadline = {MAIL_DEADLINE:g}\n"
        )
        argv = [
            sys.executable,
            "-m",
            "followup.cli.main",
            "mail",
            "--from",
            str(path),
            "--now",
            NOW,
        ]
        return measure(argv, env, timeout)


def verdict(worst: Run, normal: Run, startup: float, case: Case) -> str:
    """OVER when the worst input takes 2 s more than start-up (and any deadline it must wait
    for) or more memory than its bound (500 MB unless the bound is memory); FAIL on a
    traceback, or when the worst input is not stopped by its bound's message."""
    if worst.code is None:
        return "OVER (stopped)"
    if worst.code == 1 and not worst.last_line.startswith(("followup:", "Error:", "  hint:")):
        return "FAIL (traceback)"
    if case.expect and (worst.code == 0 or case.expect not in worst.said):
        return "FAIL (not its bound's message)"
    if worst.seconds - startup > GOAL_SECONDS + case.allowed or worst.megabytes > case.megabytes:
        return "OVER"
    if normal.seconds - startup > GOAL_SECONDS:
        return "ok (the normal input is slow too)"
    return "ok"


def median_run(runs: list[Run]) -> Run:
    """The median time and memory of a case's runs (the last run's exit and words)."""
    return replace(
        runs[-1],
        seconds=statistics.median(r.seconds for r in runs),
        megabytes=statistics.median(r.megabytes for r in runs),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds before a run is stopped"
    )
    parser.add_argument("--rounds", type=int, default=1, help="runs of each input (median)")
    parser.add_argument("--only", default="", help="comma-separated case names")
    args = parser.parse_args()
    rounds = max(1, args.rounds)
    chosen = [c for c in cases() if not args.only or c.name in args.only.split(",")]
    print(f"goal: no case over {GOAL_SECONDS:g} s or {GOAL_MB:g} MB; ratios worst/normal near 1")
    print(
        f"{'case':<20} {'size':>11} {'normal s':>9} {'worst s':>9} {'ratio':>7} "
        f"{'normal MB':>10} {'worst MB':>9} {'ratio':>6}  verdict"
    )
    with tempfile.TemporaryDirectory() as folder:
        empty = Case("startup", "", "plan", lambda: calendar(), lambda: calendar())
        startup = min(
            run_case(empty, calendar(), Path(folder), args.timeout).seconds for _ in range(3)
        )
    print(f"start-up (plan on an empty calendar): {startup:.2f} s, counted out of the goal")
    over = 0
    for case in chosen:
        worst_data = case.worst()
        normal_data = even_out(case.normal(), len(worst_data), case.command)
        normals: list[Run] = []
        worsts: list[Run] = []
        verdicts: list[str] = []
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
                normals.append(run_case(case, normal_data, Path(a), args.timeout))
                wait = args.timeout + case.allowed
                worsts.append(run_case(case, worst_data, Path(b), wait, worst=True))
            verdicts.append(verdict(worsts[-1], normals[-1], startup, case))
        normal, worst = median_run(normals), median_run(worsts)
        # A wrong ending in any round fails the case; time and memory are the medians'.
        failed = [v for v in verdicts if v.startswith("FAIL") or v == "OVER (stopped)"]
        median = verdict(worst, normal, startup, case)
        failed += [median] if median.startswith("OVER") else []
        shown = failed[0] if failed else median
        over += bool(failed)
        stopped = any(r.code is None for r in worsts)
        worst_s = f">{args.timeout:8.0f}" if stopped else f"{worst.seconds:9.2f}"
        ratio = f"{'>' if stopped else ''}{worst.seconds / normal.seconds:.1f}"
        print(
            f"{case.name:<20} {len(worst_data):>11,} {normal.seconds:9.2f} {worst_s} "
            f"{ratio:>7} {normal.megabytes:10.0f} "
            f"{worst.megabytes:9.0f} {worst.megabytes / normal.megabytes:6.1f}  {shown}"
        )
        if rounds > 1:
            print(
                f"{'':<20} worst over {rounds} rounds: "
                f"{min(r.seconds for r in worsts):.2f}-{max(r.seconds for r in worsts):.2f} s, "
                f"{min(r.megabytes for r in worsts):.0f}-{max(r.megabytes for r in worsts):.0f} MB"
            )
        print(f"{'':<20} {case.what}; worst said: {worst.last_line or '(nothing)'}")
        if case.bound:
            limit = f"{case.megabytes:g} MB" + (
                f", {GOAL_SECONDS + case.allowed:g} s beyond start-up" if case.allowed else ""
            )
            print(f"{'':<20} bound: {case.bound}; within {limit}")
        if len(worst_data) != len(normal_data):
            print(f"{'':<20} (normal input: {len(normal_data):,} bytes)")
    print(f"{over} of {len(chosen)} cases over the goal or their bound, or failing.")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
