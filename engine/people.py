"""Who is a person at the company, and who is not: mail providers, scheduling systems, robots.

One vocabulary for every part of followup that asks it (recognising interviews,
choosing whom a draft is for, counting a mail as a reply). The lists are data, in
engine/data/senders.toml; this module only reads them. Pure: no I/O but reading
that packaged file once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from email.errors import MessageError
from email.headerregistry import Address
from functools import cache, lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Senders:
    """The packaged lists, read once."""

    free_mail: frozenset[str]
    placeholder: frozenset[str]
    systems: tuple[tuple[str, tuple[str, ...]], ...]
    """(name, mail domains) of each applicant-tracking or scheduling system."""
    robot_local_parts: frozenset[str]
    robot_name_words: tuple[str, ...]
    shared_calendar_domains: tuple[str, ...] = ()
    """Domains that only shared calendars and rooms send from (Google's group calendars)."""
    team_words: tuple[str, ...] = ()
    """Words of a team's name ("Globex Recruiting"): a mailbox, not a person."""


@cache
def senders() -> Senders:
    """The lists in engine/data/senders.toml."""
    text = (
        resources.files("followup.engine").joinpath("data/senders.toml").read_text(encoding="utf-8")
    )
    data = tomllib.loads(text)
    return Senders(
        free_mail=frozenset(d.casefold() for d in data["free_mail"]),
        placeholder=frozenset(d.casefold() for d in data["placeholder"]),
        systems=tuple(
            (str(s["name"]), tuple(d.casefold() for d in s["domains"])) for s in data["system"]
        ),
        robot_local_parts=frozenset(p.casefold() for p in data["robots"]["local_parts"]),
        robot_name_words=tuple(w.casefold() for w in data["robots"]["name_words"]),
        shared_calendar_domains=tuple(
            d.casefold() for d in data["robots"]["shared_calendar_domains"]
        ),
        team_words=tuple(w.casefold() for w in data["robots"]["team_words"]),
    )


def domain_of(address: str | None) -> str | None:
    """The mail domain of an address, lower case, without a trailing dot (None without one)."""
    if not address or "@" not in address:
        return None
    domain = address.rsplit("@", 1)[1].strip().casefold().rstrip(".")
    return domain or None


def _within(domain: str, parent: str) -> bool:
    return domain == parent or domain.endswith("." + parent)


def is_free_mail(address_or_domain: str | None) -> bool:
    """Whether a personal mail provider (gmail.com and the like) or a placeholder sends it."""
    if not address_or_domain:
        return False
    domain = domain_of(address_or_domain) if "@" in address_or_domain else address_or_domain
    domain = (domain or "").casefold().rstrip(".")
    known = senders()
    return domain in known.free_mail or domain in known.placeholder


def system_for(address: str | None) -> str | None:
    """The applicant-tracking or scheduling system an address belongs to, by its domain
    (a subdomain counts: "us.greenhouse-mail.io" is Greenhouse), or None."""
    domain = domain_of(address)
    if domain is None:
        return None
    # The domain and each parent of it (a.b.c, b.c, c), looked up in the table: the
    # system listed first among those that match, as a walk of the list finds it.
    first = _system_domains()
    found = first.get(domain)
    at = domain.find(".")
    while at >= 0:
        listed = first.get(domain[at + 1 :])
        if listed is not None and (found is None or listed < found):
            found = listed
        at = domain.find(".", at + 1)
    return None if found is None else senders().systems[found][0]


@cache
def _system_domains() -> dict[str, int]:
    """Each system's mail domain, with the place in the list of the first system that has it."""
    first: dict[str, int] = {}
    for index, (_, domains) in enumerate(senders().systems):
        for parent in domains:
            first.setdefault(parent, index)
    return first


def _has_word(name: str, vocabulary: tuple[str, ...]) -> bool:
    """Whether a display name holds one of the words (or phrases) of a list."""
    folded = " ".join(name.casefold().split())
    words = set(folded.replace("-", " ").replace("_", " ").split())
    for word in vocabulary:
        if (" " in word or "-" in word) and word in folded:
            return True
        if word in words:
            return True
    return False


def is_robot(name: str | None, address: str | None) -> bool:
    """Whether a display name or an address is a robot, a shared calendar or a room
    ("no-reply@…", "scheduling+a1b2@…", "Globex Candidate Calendar", "Interview Room 4")."""
    known = senders()
    if address and "@" in address:
        local = address.rsplit("@", 1)[0].strip().casefold()
        tagless = local.split("+", 1)[0]  # "scheduling+a1b2c3@": the tag names no one
        if (
            local in known.robot_local_parts
            or tagless in known.robot_local_parts
            or local.startswith(("noreply", "no-reply"))
        ):
            return True
        domain = domain_of(address) or ""
        if any(_within(domain, parent) for parent in known.shared_calendar_domains):
            return True
    return bool(name) and _has_word(name or "", known.robot_name_words)


def is_team(name: str | None) -> bool:
    """Whether a display name is a team's ("Globex Recruiting", "Acme Talent Team"), not a
    person's: such a mailbox is greeted by no name."""
    return bool(name) and _has_word(name or "", senders().team_words)


def name_from_address(address: str | None) -> str | None:
    """A person's name read from an address, only where that is safe: two parts of letters
    ("sam.lee@" -> "Sam Lee", "anna_berger@" -> "Anna Berger"); else None ("jo@", "sl2@",
    "sam.j.lee@", "info@")."""
    if not address or "@" not in address:
        return None
    local = address.rsplit("@", 1)[0].strip()
    for separator in "._":
        parts = local.split(separator)
        if len(parts) == 2 and all(
            len(part) >= 2 and part.isascii() and part.isalpha() for part in parts
        ):
            return " ".join(part[:1].upper() + part[1:].lower() for part in parts)
    return None


def reads_as_person(name: str | None) -> bool:
    """Whether a display name reads as a person's: one to four words that each start with a
    letter, none of them a robot's, a room's or a team's word."""
    if not name:
        return False
    words = name.split()
    return (
        1 <= len(words) <= 4
        and all(word[:1].isalpha() for word in words)
        and not _has_word(name, senders().robot_name_words)
        and not is_team(name)
    )


def booked_by(name: str | None, address: str | None) -> str | None:
    """The system or shared calendar an invite was sent from in no person's name, or None.

    A scheduling system's address is a system ("Greenhouse <no-reply@greenhouse.io>",
    "Acme <acme@myworkday.com>") unless a person's name and address stand on it: a
    Greenhouse employee ("Sam Lee <sam.lee@greenhouse.io>") interviews you as a person.
    A shared calendar, a room or a robot at any domain is named by its display name.
    """
    system = system_for(address)
    if system is not None:
        local = (address or "").rsplit("@", 1)[0]
        folded = " ".join((name or "").casefold().split())
        personal = (
            reads_as_person(name)
            and system.casefold() not in folded
            and not is_robot(None, address)
            and (name_from_address(address) is not None or "." in local or "_" in local)
        )
        return None if personal else system
    if is_robot(name, address) or is_team(name):
        return " ".join((name or "").split()) or (address or "").strip() or "a shared calendar"
    return None


def is_person(name: str | None, address: str | None) -> bool:
    """Whether an organizer or attendee is a person one can write to by name: not a
    system, a shared calendar, a room, a robot or a team's mailbox."""
    return booked_by(name, address) is None


def company_of_calendar(name: str | None) -> str | None:
    """The company a shared calendar is named after ("Globex Candidate Calendar" -> "Globex",
    "Acme Recruiting" -> "Acme"), or None when no other words are left."""
    if not name:
        return None
    known = senders()
    vocabulary = {*known.robot_name_words, *known.team_words}
    words = name.replace("-", " ").split()
    for phrase in (p.split() for p in vocabulary if " " in p):
        # "Harrow & Lyle Talent Acquisition": a team's name of several words
        for at in range(len(words) - len(phrase), -1, -1):
            if [w.casefold() for w in words[at : at + len(phrase)]] == phrase:
                del words[at : at + len(phrase)]
    kept = [word for word in words if word.casefold().strip(".,:;()[]") not in vocabulary]
    while kept and kept[-1] in ("&", "+", "and", "-", "–"):
        kept.pop()
    if (
        not kept
        or len([word for word in kept if word not in ("&", "+")]) > 3
        or kept == name.split()
        or any(ch.isdigit() for word in kept for ch in word)
    ):
        return None  # "Interview Room 4" names no company
    return " ".join(kept).strip(" .,:;-") or None


def is_shared_sender(address: str | None) -> bool:
    """Whether many companies send from this address's domain (a mail provider, a
    scheduling system, a shared calendar's): such a domain ties no interview to a company."""
    if is_free_mail(address) or system_for(address) is not None:
        return True
    domain = domain_of(address) if address and "@" in address else (address or "").casefold()
    return any(_within(domain or "", parent) for parent in senders().shared_calendar_domains)


# --- addresses, names and companies, as every stage compares them --------------------------


def _words(text: str) -> frozenset[str]:
    """The words of a text, one per whitespace-separated run: word lists stay readable."""
    return frozenset(text.split())


_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


@lru_cache(maxsize=4096)  # by its one input: an address is read for every follow-up
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


# Forms of address a name may start with: one person is "Frau Anna Berger" and "Anna Berger".
_FORMS_OF_ADDRESS = _words("""frau herr ms ms. mrs mrs. mr mr. miss mx mx. mme mme. madame m.
    monsieur mevrouw mevr. mw. dhr. heer de sra. sr. sra sr señora señor srta.""")


def name_key(name: str | None) -> str:
    """A name for telling people apart: case and a leading form of address left out
    ("Frau Anna Berger" and "anna berger" are one person)."""
    words = (name or "").casefold().split()
    while len(words) > 1 and words[0] in _FORMS_OF_ADDRESS:
        words.pop(0)
    return " ".join(words)


COMPANY_FORMS = _words(
    "inc corp corporation ltd llc gmbh ag se sa plc co kg company limited bv oy ab srl sas sarl"
)
"""Legal forms left out when rounds are matched by company: "Acme" and "Acme Corp" are one."""


def company_key(name: str | None) -> str | None:
    """A company name for matching rounds: case, punctuation and a legal form left out."""
    if not name:
        return None
    words = name.casefold().replace(",", " ").replace(".", " ").split()
    while len(words) > 1 and words[-1] in COMPANY_FORMS:
        words.pop()
    return " ".join(words) or None


def recruiter_domain(email: str | None) -> str | None:
    """The mail domain of a recruiter's address, unless many companies share it (a mail
    provider or a scheduling system: engine.people)."""
    domain = domain_of(email)
    return None if domain is None or is_shared_sender(email) else domain
