"""Facts about an interview, read from the event's own text.

People write ``Key: value`` lines into an event's description ("Company:
ACME", "Recruiter: Jane Doe <jane@acme.example>", "Timeline: 2 weeks");
invitations carry an ORGANIZER; titles name the company ("Interview with
ACME", "ACME interview"). This module turns those into ``Facts`` and records
where each fact came from. Timeline and status stay as written: the planner
reads them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.errors import MessageError
from email.headerregistry import Address

from engine.model import Facts

# Description keys (compared after casefolding and collapsing - _ and spaces)
# and the fact each one sets. The first line for a fact wins.
KEYS: dict[str, str] = {
    "company": "company",
    "employer": "company",
    "role": "role",
    "position": "role",
    "title": "role",
    "job": "role",
    "job title": "role",
    "recruiter": "recruiter",
    "recruiter name": "recruiter",
    "contact": "recruiter",
    "recruiter email": "recruiter_email",
    "recruiter e mail": "recruiter_email",
    "recruiter mail": "recruiter_email",
    "email": "recruiter_email",
    "e mail": "recruiter_email",
    "timeline": "timeline",
    "decision": "timeline",
    "decision by": "timeline",
    "expected decision": "timeline",
    "status": "status",
    "highlights": "highlights",
    "highlight": "highlights",
    "fit": "fit",
    "why": "fit",
    "why this role": "fit",
    "why this company": "fit",
    "note": "note",
    "notes": "note",
}

_KEY_LINE = re.compile(
    r"^\s*(?:[-*•·>]+\s*)?(?:\*\*|__)?([A-Za-z][A-Za-z _-]{0,30}?)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$"
)
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# What ends an address written in running text: spaces, brackets of every script, quotes.
_ADDRESS_STOPS = frozenset(" \t\r\n<>‹›«»()[]{},;:\"'`|")
_HTML_BREAK = re.compile(r"<\s*(?:br\s*/?|/p|/div|/li|li|p|div)\b[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]+>")
# Only these mark a description as HTML: "Jane <jane@acme.example>" is not.
_HTML_HINT = re.compile(
    r"</?(?:br|p|div|span|b|i|a|ul|ol|li|strong|em|u|font|html|body)\b[^>]*>", re.IGNORECASE
)

# Words that describe the kind of interview, not who it is with.
_KIND = (
    r"(?:phone|video|zoom|teams|virtual|remote|on-?site|on site|in-?person|in person|"
    r"technical|tech|coding|system design|design|behaviou?ral|culture(?: fit)?|final|"
    r"first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|next|initial|intro(?:ductory)?|"
    r"follow-?up|hr|recruiter|hiring manager|manager|team|panel|group|case|screening|"
    r"job|take-?home|mock|google meet|webex|hangouts|skype|round(?: \d+)?|loop|the|an|a|my|our|\d+(?:st|nd|rd|th)? round)"
)
_WORD = r"(?:interview|screening|screen)(?:\s+(?:loop|call|day|session|slot|round(?:\s*\d+)?))?"
_SEP = r"\s*(?:[:|–—]|\s-\s|\s@\s)\s*"
_PREFIX = re.compile(
    r"^(?:(?:re|fwd?|aw|wg|invitation|updated invitation|canceled|cancelled|"
    r"canceled event|cancelled event|declined|accepted|tentative|reminder)\s*:\s*)+",
    re.IGNORECASE,
)
_INVITE_SUFFIX = re.compile(r"\s+@\s+\w{3}\s.*$")  # Google: "... @ Tue Dec 1, 2026 10am - 11am"
_TRAILER = re.compile(
    r"(?:\s*(?:[-–—|,:#]\s*)?(?:\((?:[^)]*)\)|\[(?:[^\]]*)\]|round\s*\d+|part\s*\d+|"
    r"\d+(?:st|nd|rd|th)\s+round|#\d+))+\s*$",
    re.IGNORECASE,
)
_TITLE_PATTERNS = [
    # "Interview for Backend Engineer at ACME"
    re.compile(
        rf"^(?:{_KIND}\s+)*{_WORD}\s+for\s+(?:the\s+|an?\s+)?(?P<role>.+?)\s+(?:at|with|@)\s+(?P<co>.+)$",
        re.IGNORECASE,
    ),
    # "Interview with ACME", "Onsite interview at ACME for Backend Engineer",
    # "Backend Engineer interview with ACME", "Interview with Jane Doe from ACME"
    re.compile(
        rf"^(?:(?P<role>.+?)\s+)?(?:{_KIND}\s+)*{_WORD}\s+(?:with|at|@)\s+"
        rf"(?:(?P<person>.+?)\s+(?:from|of|at)\s+)?(?P<co>.+?)"
        rf"(?:\s+(?:for|as)\s+(?:the\s+|an?\s+)?(?P<role2>.+))?$",
        re.IGNORECASE,
    ),
    # "Interview: ACME – Backend Engineer", "Onsite interview — ACME"
    re.compile(
        rf"^(?:{_KIND}\s+)*{_WORD}{_SEP}(?P<co>.+?)(?:{_SEP}(?P<role>.+))?$",
        re.IGNORECASE,
    ),
    # "ACME interview", "ACME: phone screen", "ACME - Backend Engineer interview",
    # "ACME interview for Backend Engineer"
    re.compile(
        rf"^(?P<co>.+?)(?:{_SEP}(?P<role>.+?))?(?:{_SEP}|\s+)(?:{_KIND}\s+)*{_WORD}"
        rf"(?:\s+(?:for|as)\s+(?:the\s+|an?\s+)?(?P<role2>.+))?$",
        re.IGNORECASE,
    ),
]
_ONLY_KIND = re.compile(rf"^(?:{_KIND}|{_WORD}|\d+|\s|[-–—:|,.&+/#])*$", re.IGNORECASE)
_BRACKETED = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")


@dataclass(frozen=True, slots=True)
class Organizer:
    """The ORGANIZER of an event: its CN parameter and its mailto address."""

    name: str | None
    email: str | None


def one_address(text: str | None) -> str | None:
    """The one valid email address ``text`` is, or None: never a piece of it, never two.

    Python's address parser (email.headerregistry) must read the whole text
    as one addr-spec; the result must also be plain ASCII with a dotted
    domain (an international domain is turned into its ASCII form), because
    a non-ASCII local part cannot be written into a draft's To: line.
    """
    if not text:
        return None
    value = text.strip()
    if value[:7].casefold() == "mailto:":
        value = value[7:]
    if not value or len(value) > 254 or not value.isprintable() or value.count("@") != 1:
        return None
    try:
        parsed = Address(addr_spec=value)
        domain = parsed.domain.encode("idna").decode("ascii")
    except (ValueError, IndexError, UnicodeError, MessageError):
        return None
    address = f"{parsed.username}@{domain}"
    return address if _ADDRESS.fullmatch(address) else None


def recruiter_parts(value: str) -> tuple[str | None, str | None, str | None]:
    """(name, email, problem) from "Jane Doe <jane@acme.example>", an address or a name.

    The address is the whole run of characters around the "@", so
    "María ‹maría@acme.example>" is never cut down to "a@acme.example"; an
    address that is not valid, or a second address, gives no email and a
    problem to warn about.
    """
    at = value.find("@")
    if at < 0:
        name = _clean_person(value)
        return name, None, None
    start, stop = at, at + 1
    # An address is at most 254 characters: a longer run is not one (and is not scanned on).
    while start > 0 and value[start - 1] not in _ADDRESS_STOPS and at - start <= 254:
        start -= 1
    while stop < len(value) and value[stop] not in _ADDRESS_STOPS and stop - at <= 254:
        stop += 1
    token = value[start:stop]
    if token[:7].casefold() == "mailto:":
        token = token[7:]
    name = _clean_person(value[:start] + value[stop:])
    if "@" in value[stop:]:
        return None, None, f"{_shown(value)} names more than one address; none is used"
    email = one_address(token)
    if email is None:
        return name, None, f"{_shown(token)} is not a valid email address; it is not used"
    return name, email, None


def parse_recruiter(value: str) -> tuple[str | None, str | None]:
    """Split "Jane Doe <jane@acme.example>", "jane@acme.example" or "Jane Doe" into (name, email)."""
    name, email, _ = recruiter_parts(value)
    return name, email


def _clean_person(text: str) -> str | None:
    text = re.sub(r"mailto:", "", text, flags=re.IGNORECASE)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    name = " ".join(text.split()).strip(" <>‹›«»()[]{},;:\"'-–—|").strip()
    return name or None


def _shown(text: str) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def description_lines(description: str) -> list[str]:
    """The description's lines, with any HTML (Google writes some) reduced to text."""
    if "<" in description and _HTML_HINT.search(description):
        description = _HTML_BREAK.sub("\n", description)
        description = html.unescape(_HTML_TAG.sub("", description))
    return description.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _normal_key(key: str) -> str:
    return " ".join(re.sub(r"[-_]", " ", key).split()).casefold()


def read_description(description: str | None) -> dict[str, str]:
    """``Key: value`` lines of a description, by fact name.

    A key with nothing after the colon takes the following lines, up to a
    blank line or the next known key (for bulleted highlights or notes).
    """
    found: dict[str, str] = {}
    if not description:
        return found
    pending: str | None = None
    collected: list[str] = []

    def finish() -> None:
        if pending is not None and collected and pending not in found:
            found[pending] = "\n".join(collected)

    for raw in description_lines(description):
        match = _KEY_LINE.match(raw)
        fact = KEYS.get(_normal_key(match.group(1))) if match else None
        if match is not None and fact is not None:
            finish()
            pending, collected = None, []
            value = match.group(2).strip().strip("*_").strip()
            if value:
                found.setdefault(fact, value)
            else:
                pending = fact
        elif pending is not None:
            if raw.strip():
                collected.append(raw.strip())
            else:
                finish()
                pending, collected = None, []
    finish()
    return found


def _clean_name(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip().strip("\"'“”‘’").strip(" .,;:!-–—|").strip()
    if not text or _ONLY_KIND.match(text):
        return None
    return text


def company_from_title(title: str) -> tuple[str | None, str | None]:
    """(company, role) from a title like "Interview with ACME" or "ACME interview".

    None where the title does not say; never the word "interview" itself.
    """
    text = _PREFIX.sub("", title.strip())
    text = _INVITE_SUFFIX.sub("", text)
    text = _TRAILER.sub("", text).strip()
    for pattern in _TITLE_PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        company = _clean_name(groups.get("co"))
        role = _clean_name(groups.get("role2") or groups.get("role"))
        if company is not None:
            return company, role
    if _ONLY_KIND.match(text):
        # "Interview (Tyrell)": the title says nothing else, the brackets may.
        for match in _BRACKETED.finditer(title):
            company = _clean_name(match.group(1) or match.group(2))
            if company is not None:
                return company, None
    return None, None


def extract_facts(
    summary: str,
    description: str | None,
    organizer: Organizer | None = None,
    *,
    owner_emails: frozenset[str] = frozenset(),
) -> Facts:
    """Facts from an event: DESCRIPTION lines first, then ORGANIZER, then the title.

    The organizer stands in for the recruiter only when the description
    names none (or names the same person or address); an organizer whose
    address is in ``owner_emails`` (the calendar's owner) is not a recruiter.
    """
    lines = read_description(description)
    values: dict[str, str] = {}
    sources: list[tuple[str, str]] = []

    def put(fact: str, value: str | None, where: str) -> None:
        if value and fact not in values:
            values[fact] = value
            sources.append((fact, where))

    for fact in ("company", "role"):
        put(fact, lines.get(fact), "DESCRIPTION")
    problems: list[str] = []
    name, email, problem = (
        recruiter_parts(lines["recruiter"]) if "recruiter" in lines else (None, None, None)
    )
    put("recruiter_name", name, "DESCRIPTION")
    put("recruiter_email", email, "DESCRIPTION")
    if problem:
        problems.append(f"Recruiter line: {problem}")
    if "recruiter_email" in lines:
        _, email, problem = recruiter_parts(lines["recruiter_email"])
        put("recruiter_email", email, "DESCRIPTION")
        if problem:
            problems.append(f"Recruiter email line: {problem}")
    for fact in ("timeline", "status", "highlights", "fit", "note"):
        put(fact, lines.get(fact), "DESCRIPTION")

    if organizer is not None:
        checked = one_address(organizer.email)
        if organizer.email and checked is None:
            problems.append(
                f"ORGANIZER: {_shown(organizer.email)} is not one valid email address;"
                " it is not used"
            )
        organizer = Organizer(_clean_person(organizer.name or ""), checked)
    if organizer is not None and (organizer.email or "").casefold() not in owner_emails:
        known_name = values.get("recruiter_name")
        known_email = values.get("recruiter_email")
        same_person = (
            (known_name is None and known_email is None)
            or (
                known_name is not None
                and organizer.name is not None
                and known_name.casefold() == organizer.name.casefold()
            )
            or (
                known_email is not None
                and organizer.email is not None
                and known_email.casefold() == organizer.email.casefold()
            )
        )
        if same_person:
            put("recruiter_name", organizer.name, "ORGANIZER")
            put("recruiter_email", organizer.email, "ORGANIZER")

    company, role = company_from_title(summary)
    if company is not None and company.casefold() != values.get("recruiter_name", "").casefold():
        put("company", company, "SUMMARY")
    put("role", role, "SUMMARY")

    return Facts(
        company=values.get("company"),
        role=values.get("role"),
        recruiter_name=values.get("recruiter_name"),
        recruiter_email=values.get("recruiter_email"),
        timeline=values.get("timeline"),
        status=values.get("status"),
        highlights=values.get("highlights"),
        fit=values.get("fit"),
        note=values.get("note"),
        sources=tuple(sources),
        warnings=tuple(problems),
    )
