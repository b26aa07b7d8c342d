"""The mail check: find recruiters' replies and record them as marks, with a checkpoint.

A run asks the server a handful of questions, not one per message: per folder,
one EXAMINE; one SEARCH for interviews not looked for before (by sender, since
the earliest of them began); one SEARCH for messages that arrived since the
last run (by UID, which the folder's UIDVALIDITY keeps comparable); one FETCH
of the matches' headers. With nothing new, a run is an EXAMINE and no more.

A reply is recorded exactly as ``followup mark INTERVIEW replied`` would, with a
note naming the message, when the mail provider's checks say the sender is who
From says (``authres``). A message that fails them, or carries none, is listed
as unverified and recorded only by hand; its interview stays uncovered, so the
next run finds and lists it again until it is accepted or a verified reply
comes. The message ids applied are remembered per interview, so after
``followup mark INTERVIEW pending`` the same message does not mark the
interview again; a newer message does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from followup.engine.config import MailSettings
from followup.engine.mail.imap import MailSession, connect
from followup.engine.mail.replies import Message, Reply, Watch, find_replies, since_date, watches
from followup.engine.marks import Mark, record_mark
from followup.engine.model import Interview
from followup.engine.plan.timeline import status_kind

VERSION = 1
SEARCH_TERMS = 50
"""Senders in one SEARCH; more interviews than this take more SEARCHes."""


@dataclass
class Checkpoint:
    folders: dict[str, tuple[int, int]] = field(default_factory=dict)
    """folder -> (UIDVALIDITY, the highest UID looked at)."""
    covered: set[str] = field(default_factory=set)
    """Interviews whose older messages were searched already."""
    applied: dict[str, list[str]] = field(default_factory=dict)
    """interview key -> Message-IDs already recorded as its reply."""


@dataclass(frozen=True)
class MailReport:
    replies: tuple[Reply, ...]
    """Replies found and recorded (or that would be, with --dry-run)."""
    already: tuple[Reply, ...]
    """Replies found again that were recorded before (and maybe undone by the user)."""
    unverified: tuple[Reply, ...]
    """Messages from the recruiter's address or domain that the provider's checks do not
    vouch for (failed, or none): listed, not recorded."""
    watched: int
    """Interviews whose chain is running and whose recruiter's address or domain is known."""
    unknown: tuple[Interview, ...]
    """Running interviews that cannot be matched: no recruiter email in the event, or only
    a scheduling system's shared no-reply."""
    commands: int
    dry_run: bool
    cut: int = 0
    """Messages looked at whose headers were longer than followup reads (only the first
    MAX_HEADER_BYTES of them were read)."""


def state_path(settings: MailSettings) -> Path:
    from followup.engine.folders import state_dir

    key = hashlib.sha256(f"{settings.host}\0{settings.username}".encode()).hexdigest()[:24]
    return state_dir() / "mail" / f"{key}.json"


def running(interview: Interview, now: datetime) -> bool:
    """Is this interview's chain still going: it happened, and no answer is recorded?"""
    return (
        not interview.cancelled
        and interview.start <= now
        and status_kind(interview.facts.status)[0] == "pending"
    )


def check_mail(
    settings: MailSettings, interviews: Sequence[Interview], now: datetime, *, dry_run: bool
) -> MailReport:
    """Look for replies to the running interviews; record them unless ``dry_run``."""
    keys = {iv.key for iv in interviews if running(iv, now)}
    watched = watches(interviews, keys)
    matched = {w.interview.key for w in watched}
    unknown = tuple(iv for iv in interviews if iv.key in keys and iv.key not in matched)
    checkpoint = load_checkpoint(state_path(settings))
    found: list[Reply] = []
    cut = 0
    with connect(settings) as session:
        for folder in settings.folders:
            messages = _search_folder(session, folder, watched, checkpoint)
            found += find_replies(watched, messages)
            cut += sum(1 for m in messages if m.cut)
        commands = session.commands
    first: dict[str, Reply] = {}
    for reply in sorted(found, key=lambda r: (not r.verified, r.message.received, r.message.uid)):
        first.setdefault(reply.interview.key, reply)
    verified = [r for r in first.values() if r.verified]
    unverified = [r for r in first.values() if not r.verified]
    new = [r for r in verified if r.message.message_id not in _applied(checkpoint, r)]
    again = [r for r in verified if r not in new]
    # Unverified ones are looked for again next time: they stay listed until dealt with.
    checkpoint.covered = (checkpoint.covered | matched) - {r.interview.key for r in unverified}
    if not dry_run:
        for reply in new:
            record_mark(
                Mark(
                    key=reply.interview.key,
                    status="replied",
                    note=reply.note(),
                    interview=reply.interview.summary,
                    marked=now.date(),
                )
            )
            checkpoint.applied.setdefault(reply.interview.key, []).append(reply.message.message_id)
        save_checkpoint(state_path(settings), checkpoint)
    return MailReport(
        replies=tuple(new),
        already=tuple(again),
        unverified=tuple(unverified),
        watched=len(watched),
        unknown=unknown,
        commands=commands,
        dry_run=dry_run,
        cut=cut,
    )


def _applied(checkpoint: Checkpoint, reply: Reply) -> list[str]:
    return checkpoint.applied.get(reply.interview.key, [])


def _search_folder(
    session: MailSession, name: str, watched: Sequence[Watch], checkpoint: Checkpoint
) -> list[Message]:
    """The headers of the folder's messages that may be replies (and the checkpoint moved on)."""
    folder = session.examine(name)
    saved = checkpoint.folders.get(name)
    fresh = saved is None or saved[0] != folder.uidvalidity
    last_seen = 0 if fresh or saved is None else saved[1]
    older = [w for w in watched if fresh or w.interview.key not in checkpoint.covered]
    known = [w for w in watched if w not in older]
    uids: set[int] = set()
    for start in range(0, len(older), SEARCH_TERMS):
        group = older[start : start + SEARCH_TERMS]
        uids.update(session.search(_criteria(group)))
    if known and folder.uidnext > last_seen + 1:
        # "n:*" always names the newest message, even one older than n: filter.
        uids.update(u for u in session.search(["UID", f"{last_seen + 1}:*"]) if u > last_seen)
    checkpoint.folders[name] = (folder.uidvalidity, max(folder.uidnext - 1, last_seen))
    if not uids:
        return []
    return session.headers(sorted(uids))


def _criteria(group: Sequence[Watch]) -> list[Any]:
    """SINCE the earliest start, FROM any of the senders (IMAP's OR is prefix, binary)."""
    # The domain finds the recruiter and their colleagues; the exact address is for free mail.
    senders = sorted({w.domain or w.address or "" for w in group} - {""})
    terms: list[Any] = []
    for index, sender in enumerate(senders):
        if index < len(senders) - 1:
            terms.append("OR")
        terms += ["FROM", sender]
    since = since_date(group)
    return (["SINCE", since.date()] if since is not None else []) + terms


def load_checkpoint(path: Path) -> Checkpoint:
    """The checkpoint, or an empty one when the file is missing or unreadable (a full
    search then, nothing worse)."""
    from followup.engine.folders import read_json_object

    data = read_json_object(path)
    if data is None or data.get("version") != VERSION:
        return Checkpoint()
    try:
        return Checkpoint(
            folders={
                str(k): (int(v[0]), int(v[1])) for k, v in dict(data.get("folders", {})).items()
            },
            covered={str(k) for k in data.get("covered", [])},
            applied={str(k): [str(m) for m in v] for k, v in dict(data.get("applied", {})).items()},
        )
    except (ValueError, TypeError, IndexError, AttributeError):
        return Checkpoint()


def save_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    from followup.engine.folders import write_own  # never through a link planted at its name

    data = {
        "version": VERSION,
        "folders": {k: list(v) for k, v in sorted(checkpoint.folders.items())},
        "covered": sorted(checkpoint.covered),
        "applied": {k: v for k, v in sorted(checkpoint.applied.items())},
    }
    write_own(path, json.dumps(data, sort_keys=True).encode())
