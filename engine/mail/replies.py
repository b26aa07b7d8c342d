"""Which messages in a mailbox are the recruiter writing back: pure, headers in, replies out.

A reply is a message from the recruiter's address (or, when only the company's
domain is known, from that domain), received after the interview began, that a
person wrote: automatic answers (out-of-office, auto-responders, mailing lists)
do not count. The sender is judged by the address alone: a display name can say
anything, and so can From: a message counts only when the mail provider's
checks say the address is the sender's (``authres``); others are listed as
unverified. A shared sender (a mail provider, an applicant-tracking system)
never speaks for one company. followup does not judge what the reply says; any
answer stops the chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.utils import getaddresses, parsedate_to_datetime

from followup.engine.mail.authres import SenderCheck, check_sender, within
from followup.engine.model import Interview
from followup.engine.people import is_free_mail, is_robot, system_for

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
    "LIST-UNSUBSCRIBE",
    "AUTHENTICATION-RESULTS",
    "ARC-AUTHENTICATION-RESULTS",
)
"""The only parts of a message followup asks the server for: never a body."""

AUTO_SUBJECT = re.compile(
    r"^\s*(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response)|"
    r"autoreply|abwesenheit|automatische antwort|réponse automatique|absence|"
    r"respuesta automática|fuera de la oficina|undeliverable|delivery status notification)",
    re.IGNORECASE,
)

MAX_HEADER_BYTES = 64 * 1024
"""Headers beyond this are not read (the server is not trusted either)."""


NOT_READ = SenderCheck("unchecked", "not read")


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
    check: SenderCheck = NOT_READ
    """What the mail provider found when it checked the sender (SPF, DKIM, DMARC)."""
    cut: bool = False
    """Its headers were longer than MAX_HEADER_BYTES: only the first were read."""

    @property
    def verified(self) -> bool:
        return self.check.verdict == "verified"


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

    @property
    def verified(self) -> bool:
        """Whether the provider's checks say the sender is who From says."""
        return self.message.verified

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
    address and the company's own domain. A free-mail domain is no company's (only the
    exact address counts), and an applicant-tracking system's domain is every company's:
    only a personal address there counts, never its no-reply."""
    found: list[Watch] = []
    for interview in interviews:
        if interview.key not in running:
            continue
        address = (interview.facts.recruiter_email or "").strip().lower() or None
        domain = domain_of(address)
        shared_system = system_for(address) is not None
        if is_free_mail(domain) or shared_system:
            domain = None
        if shared_system and is_robot(None, address):
            address = None
        if address is None and domain is None:
            continue
        found.append(Watch(interview, address, domain))
    return found


def parse_message(
    uid: int, header: bytes, internal: datetime | None, *, authserv_id: str | None = None
) -> Message:
    """A message's header block as a ``Message``; anything unreadable leaves a field empty.
    ``authserv_id`` names the provider whose Authentication-Results are believed."""
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
        cut=len(header) >= MAX_HEADER_BYTES,
        check=check_sender(
            domain_of(sender) or "",
            _unfolded(parsed.get_all("Authentication-Results", [])),
            _unfolded(parsed.get_all("ARC-Authentication-Results", [])),
            authserv_id=authserv_id,
        ),
    )


def _unfolded(values: Sequence[object]) -> list[str]:
    return [" ".join(str(v).split()) for v in values]


def find_replies(watched: Sequence[Watch], messages: Iterable[Message]) -> list[Reply]:
    """Each watched interview's first verified reply among ``messages``; for an interview
    with none, its first unverified one (to be listed, never recorded)."""
    first: dict[str, Reply] = {}
    ordered = sorted(messages, key=lambda m: (not m.verified, m.received, m.uid))
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
    # On a label boundary: careers.acme.com is ACME's, notacme.com and acme.com.evil.net not.
    return watch.domain is not None and domain is not None and within(domain, watch.domain)


def _automatic(parsed: object, subject: str) -> bool:
    headers = {k.lower(): str(v).strip().lower() for k, v in parsed.items()}  # type: ignore[attr-defined]
    if headers.get("auto-submitted", "no") not in ("", "no"):
        return True
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return True
    if headers.get("precedence", "") in ("bulk", "auto_reply", "junk", "list"):
        return True
    if "list-id" in headers or "list-unsubscribe" in headers:
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
