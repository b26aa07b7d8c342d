"""Who is a person at the company, and who is not: mail providers, scheduling systems, robots.

One vocabulary for every part of followup that asks it (recognising interviews,
choosing whom a draft is for, counting a mail as a reply). The lists are data, in
engine/data/senders.toml; this module only reads them. Pure: no I/O but reading
that packaged file once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
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


@cache
def senders() -> Senders:
    """The lists in engine/data/senders.toml."""
    text = resources.files("engine").joinpath("data/senders.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Senders(
        free_mail=frozenset(d.casefold() for d in data["free_mail"]),
        placeholder=frozenset(d.casefold() for d in data["placeholder"]),
        systems=tuple(
            (str(s["name"]), tuple(d.casefold() for d in s["domains"])) for s in data["system"]
        ),
        robot_local_parts=frozenset(p.casefold() for p in data["robots"]["local_parts"]),
        robot_name_words=tuple(w.casefold() for w in data["robots"]["name_words"]),
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
    for name, domains in senders().systems:
        if any(_within(domain, parent) for parent in domains):
            return name
    return None


def is_robot(name: str | None, address: str | None) -> bool:
    """Whether a display name or an address is a robot, a shared calendar or a room
    ("no-reply@…", "Globex Candidate Calendar", "Interview Room 4")."""
    known = senders()
    if address and "@" in address:
        local = address.rsplit("@", 1)[0].strip().casefold()
        if local in known.robot_local_parts or local.startswith(("noreply", "no-reply")):
            return True
    if name:
        folded = " ".join(name.casefold().split())
        words = set(folded.replace("-", " ").split())
        for word in known.robot_name_words:
            if (" " in word or "-" in word) and word in folded:
                return True
            if word in words:
                return True
    return False


def is_shared_sender(address: str | None) -> bool:
    """Whether many companies send from this address's domain (a mail provider or a
    scheduling system): such a domain ties no interview to a company."""
    return is_free_mail(address) or system_for(address) is not None
