"""Which messages in a mailbox are the recruiter writing back: pure, headers in, replies out.

A reply is a message from the recruiter's address (or, when only the company's
domain is known, from that domain), received after the interview began, that a
person wrote: automatic answers (out-of-office, auto-responders, mailing lists)
do not count. The sender is judged by the address alone: a display name can say
anything. followup does not judge what the reply says; any answer stops the chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.utils import getaddresses, parsedate_to_datetime

from engine.model import Interview

HEADER_FIELDS = (
    "FROM",
    "DATE",
    "SUBJECT",
    "MESSAGE-ID",
    "AUTO-SUBMITTED",
    "X-AUTOREPLY",
    "X-AUTORESPOND",
    "X-AUTO-RESPONSE-SUPPRESS",
    "PRECEDENCE",
    "LIST-ID",
)
"""The only parts of a message followup asks the server for: never a body."""

AUTO_SUBJECT = re.compile(
    r"^\s*(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response)|"
    r"autoreply|abwesenheit|automatische antwort|réponse automatique|absence|"
    r"respuesta automática|fuera de la oficina|undeliverable|delivery status notification)",
    re.IGNORECASE,
)

FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "fastmail.com",
        "aol.com",
    }
)
"""Domains anyone can have an address at: never taken as a company's own domain."""

MAX_HEADER_BYTES = 64 * 1024
"""Headers beyond this are not read (the server is not trusted either)."""


@dataclass(frozen=True, slots=True)
class Message:
    """What followup knows of one message: its sender, when, its subject, and its ids."""

    uid: int
    sender: str
    """The From address, lower case; empty when there is none or it is not one address."""
    received: datetime
    subject: str
    message_id: str
    automatic: bool


@dataclass(frozen=True, slots=True)
class Watch:
    """An interview whose chain is still running, and whom a reply would come from."""

    interview: Interview
    address: str | None
    domain: str | None

    @property
    def since(self) -> datetime:
        return self.interview.start


@dataclass(frozen=True, slots=True)
class Reply:
    """A message that answers an interview."""

    interview: Interview
    message: Message

    def note(self) -> str:
        """The note kept with the mark: enough to find the message again."""
        when = self.message.received.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        subject = self.message.subject or "(no subject)"
        return f"mail from {self.message.sender} on {when}: {subject} {self.message.message_id}"


def domain_of(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[1].strip().lower().rstrip(".") or None


def watches(interviews: Iterable[Interview], running: set[str]) -> list[Watch]:
    """What to look for: for each interview whose key is in ``running``, the recruiter's
    address, else the company's own domain (never a free-mail domain)."""
    found: list[Watch] = []
    for interview in interviews:
        if interview.key not in running:
            continue
        address = (interview.facts.recruiter_email or "").strip().lower() or None
        domain = domain_of(address)
        if domain in FREE_MAIL:
            domain = None
        if address is None and domain is None:
            continue
        found.append(Watch(interview, address, domain))
    return found


def parse_message(uid: int, header: bytes, internal: datetime | None) -> Message:
    """A message's header block as a ``Message``; anything unreadable leaves a field empty."""
    parsed = message_from_bytes(header[:MAX_HEADER_BYTES], policy=policy.compat32)
    senders = getaddresses([str(value) for value in parsed.get_all("From", [])])
    addresses = [address for _name, address in senders if address]
    sender = addresses[0].strip().lower() if len(addresses) == 1 else ""
    if sender and not _valid(sender):
        sender = ""
    received = internal
    try:
        dated = parsedate_to_datetime(str(parsed.get("Date", "")))
        if dated is not None and dated.tzinfo is not None:
            received = dated if internal is None else min(dated, internal)
    except (TypeError, ValueError, IndexError):
        pass
    subject = _text(parsed.get("Subject"))
    return Message(
        uid=uid,
        sender=sender,
        received=(received or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC),
        subject=subject[:200],
        message_id=_text(parsed.get("Message-ID"))[:300],
        automatic=_automatic(parsed, subject),
    )


def find_replies(watched: Sequence[Watch], messages: Iterable[Message]) -> list[Reply]:
    """Each watched interview's first reply among ``messages``, if any."""
    first: dict[str, Reply] = {}
    ordered = sorted(messages, key=lambda m: (m.received, m.uid))
    for message in ordered:
        if message.automatic or not message.sender:
            continue
        for watch in watched:
            key = watch.interview.key
            if key in first or message.received < watch.since:
                continue
            if _from(watch, message.sender):
                first[key] = Reply(watch.interview, message)
    return [first[w.interview.key] for w in watched if w.interview.key in first]


def _from(watch: Watch, sender: str) -> bool:
    if watch.address is not None and sender == watch.address:
        return True
    domain = domain_of(sender)
    return (
        watch.domain is not None
        and domain is not None
        and (domain == watch.domain or domain.endswith("." + watch.domain))
    )


def _automatic(parsed: object, subject: str) -> bool:
    headers = {k.lower(): str(v).strip().lower() for k, v in parsed.items()}  # type: ignore[attr-defined]
    if headers.get("auto-submitted", "no") not in ("", "no"):
        return True
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return True
    if headers.get("precedence", "") in ("bulk", "auto_reply", "junk", "list"):
        return True
    if "list-id" in headers:
        return True
    return bool(AUTO_SUBJECT.match(subject))


def _text(value: object) -> str:
    """A header as text: encoded words decoded, line breaks and controls gone."""
    if value is None:
        return ""
    from email.header import decode_header, make_header

    try:
        text = str(make_header(decode_header(str(value))))
    except (ValueError, LookupError, UnicodeError):
        text = str(value)
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()


def _valid(address: str) -> bool:
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError):
        return False
    return bool(parsed.username) and "." in parsed.domain


def since_date(watched: Sequence[Watch]) -> datetime | None:
    """The earliest moment any watched interview began (a day early: IMAP dates are days)."""
    if not watched:
        return None
    return min(w.since for w in watched) - timedelta(days=1)
