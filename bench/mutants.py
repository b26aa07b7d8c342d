"""Would the tests notice? Small plausible bugs in the code that guards users' data.

Each mutant below is one small change a person could make by mistake (a flipped
comparison, a dropped guard, a branch that answers the other way) in the modules that
decide what is written to a calendar, which interview is read, when a step is planned
and whether a reply stops a chain. Each is applied on its own in a temporary copy of
the tree, the tests that import the mutated module (and the few named in EXERCISED,
which drive it through the command line) are run there, and the mutant counts as
caught when they fail (or run past --timeout). It prints one line per mutant and
caught/total at the end; a survivor is a test to write, or an equivalent change to
list in README.md ("Working on followup").

    .venv/bin/python bench/mutants.py            every mutant, two at a time
    .venv/bin/python bench/mutants.py -j 1 quiet  only those whose name has "quiet"

About 15 minutes on two cores. Not part of CI: it runs the same tests fifty times.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    """The file, from the top of the tree."""
    old: str
    """Text found exactly once in the file..."""
    new: str
    """...and what it becomes."""


M = Mutant
MUTANTS = [
    # -- engine/caldav/syncplan.py: what is written to the user's calendar --------------------
    M("syncplan: a follow-up the user edited is overwritten", "engine/caldav/syncplan.py",
      "    if item.changed_by_user and state.adopted.get(uid) != item.fingerprint:\n",
      "    if False:\n"),
    M("syncplan: an adopted follow-up stays adopted after the user edits it",
      "engine/caldav/syncplan.py",
      "state.adopted.get(uid) != item.fingerprint:", "uid not in state.adopted:"),
    M("syncplan: a follow-up the user deleted comes back", "engine/caldav/syncplan.py",
      "        if uid in state.dismissed:\n", "        if False:\n"),
    M("syncplan: follow-ups outside the window read are removed", "engine/caldav/syncplan.py",
      "    return scope.since <= item.interview_start < scope.until",
      "    return item.interview_start < scope.until"),
    M("syncplan: a run may empty the calendar", "engine/caldav/syncplan.py",
      "    if not remaining:\n        raise RefusedRemoval", "    if False:\n        raise RefusedRemoval"),
    M("syncplan: the flood guard takes either bound", "engine/caldav/syncplan.py",
      "if created > MANY_CREATES and created > 10 * held:",
      "if created > MANY_CREATES or created > 10 * held:"),
    M("syncplan: a second copy the user changed is deleted", "engine/caldav/syncplan.py",
      "        if extra.changed_by_user:\n", "        if False:\n"),
    M("syncplan: a changed plan is not written", "engine/caldav/syncplan.py",
      "    if want.fingerprint != item.stamped:\n        actions.append(Update",
      "    if want.fingerprint == item.stamped:\n        actions.append(Update"),
    M("syncplan: a follow-up deleted in the calendar app is not remembered",
      "engine/caldav/syncplan.py",
      "        for uid in state.known.keys() - known.keys():\n",
      "        for uid in state.known.keys() & set():\n"),
    # -- engine/caldav/quiet.py: a timer's run answered without a full sync ------------------
    M("quiet: a note without its seal is followed", "engine/caldav/quiet.py",
      "    if key is None or not isinstance(seal, str):\n        return None\n"
      "    if not hmac.compare_digest(seal, _seal(key, data)):",
      "    if key is None:\n        return None\n"
      "    if isinstance(seal, str) and not hmac.compare_digest(seal, _seal(key, data)):"),
    M("quiet: an unreadable 207 is nothing changed", "engine/caldav/quiet.py",
      "    except ValueError:\n        return False\n    path =",
      "    except ValueError:\n        return True\n    path ="),
    M("quiet: an answer without a sync token is nothing changed", "engine/caldav/quiet.py",
      "    return token == watched.token", "    return token is None or token == watched.token"),
    M("quiet: no answer is nothing changed", "engine/caldav/quiet.py",
      "    except (OSError, http.client.HTTPException, ValueError):\n        return False",
      "    except (OSError, http.client.HTTPException, ValueError):\n        return True"),
    M("quiet: a new day answers as the day before", "engine/caldav/quiet.py",
      "    if day_in(note.timezone) != note.day:\n", "    if False:\n"),
    M("quiet: edited local files are not looked at", "engine/caldav/quiet.py",
      "    if note is None or inputs_digest(invocation, note.files) != note.inputs:",
      "    if note is None:"),
    # -- engine/mail/: whether a reply stops a chain ------------------------------------------
    M("mail: a free-mail domain is taken as the company's", "engine/mail/replies.py",
      "        if is_free_mail(domain) or shared_system:\n", "        if shared_system:\n"),
    M("mail: a mailing-list message counts as a reply", "engine/mail/replies.py",
      '    if "list-id" in headers or "list-unsubscribe" in headers:\n        return True\n', ""),
    M("mail: a look-alike domain matches by its ending", "engine/mail/replies.py",
      "within(domain, watch.domain)", "domain.endswith(watch.domain)"),
    M("mail: a rebuilt mailbox (new UIDVALIDITY) is searched from the old place",
      "engine/mail/check.py",
      "    fresh = saved is None or saved[0] != folder.uidvalidity",
      "    fresh = saved is None"),
    M("mail: an automatic answer counts as a reply", "engine/mail/replies.py",
      "        if message.automatic or not message.sender:", "        if not message.sender:"),
    M("mail: mail from before the interview counts as a reply", "engine/mail/replies.py",
      "if key in first or message.received < watch.since:", "if key in first:"),
    M("mail: a message from several senders is from the first", "engine/mail/replies.py",
      "if len(addresses) == 1 else", "if addresses else"),
    # -- engine/read/reader.py: which interview is read ---------------------------------------
    M("reader: a cancelled event is not cancelled", "engine/read/reader.py",
      'cancelled=_text(occurrence.get("STATUS")).strip().upper() == "CANCELLED",',
      "cancelled=False,"),
    M("reader: of two copies of a UID in a file the first wins", "engine/read/reader.py",
      "key=lambda item: (_revision(item[1][0]), -item[0]))", "key=lambda item: -item[0])"),
    M("reader: DTSTAMP does not tell copies apart", "engine/read/reader.py",
      'return sequence, _stamp(event, "LAST-MODIFIED"), _stamp(event, "DTSTAMP")',
      'return sequence, _stamp(event, "LAST-MODIFIED"), _EARLIEST'),
    M("reader: of two CalDAV objects with one UID the first wins", "engine/read/reader.py",
      "owner[uid] = order if mine > theirs else known", "owner[uid] = known"),
    M("reader: a display name's offset is ignored", "engine/read/reader.py",
      "            if _standard_offset(key) == offset:\n", "            if True:\n"),
    M("reader: a US display name's offset is ignored", "engine/read/reader.py",
      "        return named if _standard_offset(named) == offset else None", "        return named"),
    M("reader: one occurrence fewer than the cap", "engine/read/reader.py",
      "            if count > MAX_PER_SERIES:", "            if count >= MAX_PER_SERIES:"),
    M("reader: COUNT bounds a series whatever its day filters", "engine/read/reader.py",
      "and not any(rule.get(p) for p in _DAY_FILTERS):", ":"),
    M("reader: interviews before the window are read", "engine/read/reader.py",
      "            if since <= interview.start < until:", "            if interview.start < until:"),
    # -- engine/plan/planner.py: which follow-ups are planned ---------------------------------
    M("planner: a cancelled round supersedes the one before", "engine/plan/planner.py",
      "    return rounds_by_key([iv for iv in interviews if not iv.cancelled])",
      "    return rounds_by_key(list(interviews))"),
    M("planner: a cancelled interview gets follow-ups", "engine/plan/planner.py",
      "        if interview.cancelled:\n            decisions.extend(",
      "        if False:\n            decisions.extend("),
    M("planner: every rule is superseded by a next round", "engine/plan/planner.py",
      "    if rule.superseded_by_next_round and known.next_round is not None:",
      "    if known.next_round is not None:"),
    M("planner: a rule's unless works the other way", "engine/plan/planner.py",
      "        if holds:\n            return skip(f\"its 'unless' holds",
      "        if not holds:\n            return skip(f\"its 'unless' holds"),
    M("planner: a status condition works the other way", "engine/plan/planner.py",
      "    return bool(kinds & set(_words(wanted))), f\"status is {known.status}\"",
      "    return not (kinds & set(_words(wanted))), f\"status is {known.status}\""),
    M("planner: the policy's stop is ignored", "engine/plan/planner.py",
      "            if stops:\n", "            if False:\n"),
    # -- engine/plan/timing.py: when a step is planned ----------------------------------------
    M("timing: hours are added on the wall clock", "engine/plan/timing.py",
      "    return (moment.astimezone(UTC) + delta).astimezone(zone)",
      "    return (moment + delta).astimezone(zone)"),
    M("timing: business days always count forward", "engine/plan/timing.py",
      "step = 1 if offset.business_days > 0 else -1", "step = 1"),
    M("timing: 'next 09:00' may be in the past", "engine/plan/timing.py",
      "        if candidate < result:", "        if candidate > result:"),
    M("timing: a step at the end of the hours moves to the next day", "engine/plan/timing.py",
      "    if clock > last:", "    if clock >= last:"),
    M("timing: holidays are working days", "engine/plan/timing.py",
      "        if self.holiday is not None:", "        if False:"),
    # -- engine/atomic.py: files written safely -----------------------------------------
    M("atomic: a failed write leaves its temporary file", "engine/atomic.py",
      "        with contextlib.suppress(OSError):\n            os.unlink(tmp)",
      "        with contextlib.suppress(OSError):\n            pass"),
    M("atomic: a rewritten file loses its permissions", "engine/atomic.py",
      "        elif target.exists():\n", "        elif False:\n"),
    M("atomic: a new file may write into one made a moment ago", "engine/atomic.py",
      "os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC", "os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC"),
    M("atomic: a link is replaced, not the file it points to", "engine/atomic.py",
      "    if not given.is_symlink():\n        return given", "    if True:\n        return given"),
    # -- engine/write/render.py: what the follow-up objects say -------------------------------
    M("render: follow-ups make you look busy", "engine/write/render.py",
      'item.add("transp", "TRANSPARENT")', 'item.add("transp", "OPAQUE")'),
    M("render: control characters reach the calendar", "engine/write/render.py",
      '    return value.replace("\\r\\n", "\\n").translate(_CONTROLS)',
      '    return value.replace("\\r\\n", "\\n")'),
    M("render: an all-day todo may be due the day it starts", "engine/write/render.py",
      "        if followup.all_day and due <= start:", "        if followup.all_day and due < start:"),
    M("render: --no-alarms is ignored", "engine/write/render.py",
      "    if options.alarms and followup.alarm_before is not None:",
      "    if followup.alarm_before is not None:"),
]  # fmt: skip

EXERCISED = {
    "engine/caldav/syncplan.py": ["test_sync_roundtrip.py", "test_sync_lost_state.py",
                                  "test_caldav_hostile.py"],
    "engine/mail/replies.py": ["test_mail.py", "test_mail_replies.py"],
    "engine/mail/check.py": ["test_mail.py", "test_mail_replies.py"],
    "engine/plan/planner.py": ["test_followups.py", "test_explain.py"],
    "engine/plan/timing.py": ["test_followups.py", "test_explain.py"],
    "engine/write/render.py": ["test_cli_core.py"],
}  # fmt: skip
"""Tests that drive a module through the command line or a helper without importing it."""


SLOW = ("pytest_plugins", "subprocess", "_server", "CliRunner")
"""Words of a test file that starts servers, processes or whole commands."""


def tests_for(path: str) -> list[str]:
    """The test files that import the module at ``path``, and those EXERCISED names; pure
    ones before those that start servers or processes, smaller before larger (with -x a
    mutant is most often caught by a quick file)."""
    module = path.removesuffix(".py").replace("/", ".")
    package, _, name = module.rpartition(".")
    imports = re.compile(
        rf"\b{re.escape(module)}\b|from {re.escape(package)} import [^\n]*\b{name}\b"
    )
    tests = ROOT / "tests"
    found = {p for p in tests.glob("test_*.py") if imports.search(p.read_text("utf-8"))}
    found |= {tests / name for name in EXERCISED.get(path, [])}
    found.discard(tests / "test_layout.py")  # reads the source, runs none of it
    ordered = sorted(
        found, key=lambda p: (any(w in p.read_text("utf-8") for w in SLOW), p.stat().st_size)
    )
    return [p.name for p in ordered]


def copy_tree(into: Path) -> None:
    """The tree as git knows it (new files included, ignored ones not)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)


def check(mutant: Mutant) -> None:
    """Fail now, before any run, if a mutant no longer matches its file exactly once."""
    text = (ROOT / mutant.path).read_text(encoding="utf-8")
    if text.count(mutant.old) != 1:
        raise SystemExit(f"{mutant.name}: the text to change is in {mutant.path} "
                         f"{text.count(mutant.old)} times, not once")  # fmt: skip


def run(mutant: Mutant, tree: Path, timeout: float) -> tuple[str, float]:
    """'caught', 'caught (timeout)' or 'survived', and the seconds it took."""
    target = tree / mutant.path
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
             *(f"tests/{t}" for t in tests_for(mutant.path))],
            cwd=tree, capture_output=True, timeout=timeout, check=False,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )  # fmt: skip
        verdict = "survived" if done.returncode == 0 else "caught"
        if done.returncode not in (0, 1):
            verdict = f"caught (pytest exit {done.returncode})"
    except subprocess.TimeoutExpired:
        verdict = "caught (timeout)"
    finally:
        target.write_text(original, encoding="utf-8")
    return verdict, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="run only mutants whose name has one of these")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="mutants at a time (2)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per mutant (600)")
    options = parser.parse_args()
    chosen = [m for m in MUTANTS if not options.only or any(w in m.name for w in options.only)]
    for mutant in chosen:
        check(mutant)
    with tempfile.TemporaryDirectory(prefix="followup-mutants-") as scratch:
        trees: Queue[Path] = Queue()
        for n in range(max(1, options.jobs)):
            tree = Path(scratch) / f"tree{n}"
            copy_tree(tree)
            trees.put(tree)

        def one(mutant: Mutant) -> tuple[Mutant, str, float]:
            tree = trees.get()
            try:
                return (mutant, *run(mutant, tree, options.timeout))
            finally:
                trees.put(tree)

        caught = 0
        survivors: list[str] = []
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            for mutant, verdict, seconds in pool.map(one, chosen):
                caught += verdict.startswith("caught")
                if verdict == "survived":
                    survivors.append(mutant.name)
                print(f"{verdict:<17} {seconds:6.1f} s  {mutant.name}", flush=True)
    print(f"\ncaught {caught}/{len(chosen)}")
    for name in survivors:
        print(f"  survived: {name}")


if __name__ == "__main__":
    main()
