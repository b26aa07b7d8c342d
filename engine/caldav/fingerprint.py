"""A content fingerprint of a follow-up that ignores what servers and clients churn.

followup stamps the fingerprint of what it wrote on the object itself
(``X-FOLLOWUP-FINGERPRINT``). On the next run, an object whose content still
has that fingerprint is as followup left it; one whose content does not was
changed by someone else (moved, renamed, completed in a calendar app), and
followup leaves it alone.

The fingerprint is keyed (HMAC-SHA256) with a secret kept in the state
folder, so that only this installation can stamp an object as its own: an
object that copies followup's UID scheme and marks and stamps itself with a
fingerprint computed by hand does not verify, and is left alone as someone
else's. Stamps from before the key (plain SHA-256, ``key=b""``) are accepted
once for objects the sync state says followup wrote, and rewritten keyed
(see ``engine.caldav.syncplan``).

Ignored, as vdirsyncer does: DTSTAMP, LAST-MODIFIED, CREATED, SEQUENCE and
the like, which servers and clients rewrite without a change of meaning;
the VTIMEZONE blocks (servers replace them with their own); the text layout
(line folding, escaping, parameter order). Times are compared as instants,
so a server that rewrites a TZID to an equivalent zone changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from icalendar import Calendar, Component

FINGERPRINT_PROP = "X-FOLLOWUP-FINGERPRINT"
RULE_PROP = "X-FOLLOWUP-RULE"

IGNORED_PROPS = frozenset(
    {
        "DTSTAMP",
        "LAST-MODIFIED",
        "CREATED",
        "SEQUENCE",
        "PRODID",
        "METHOD",
        "CALSCALE",
        "VERSION",
        FINGERPRINT_PROP,
        # Clients bookkeeping that says nothing about the content.
        "X-MOZ-GENERATION",
        "X-APPLE-SORT-ORDER",
    }
)
IGNORED_COMPONENTS = frozenset({"VTIMEZONE"})
ITEM_COMPONENTS = ("VEVENT", "VTODO")


def _value_text(value: object) -> str:
    """One property value, normalised: an aware time as its UTC instant, else its iCalendar text."""
    moment = getattr(value, "dt", None)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    to_ical = getattr(value, "to_ical", None)
    if to_ical is not None:
        raw = to_ical()
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return str(value)


def _params_text(value: object) -> str:
    params = getattr(value, "params", None) or {}
    kept = sorted((str(k).upper(), str(v)) for k, v in params.items() if str(k).upper() != "TZID")
    return ";".join(f"{k}={v}" for k, v in kept)


def _lines(component: Component) -> list[str]:
    """The component as sorted canonical lines, subcomponents nested and sorted too."""
    lines: list[str] = []
    for name, value in component.property_items(recursive=False):
        if name in ("BEGIN", "END") or name in IGNORED_PROPS:
            continue
        values = value if isinstance(value, list) else [value]
        for single in values:
            lines.append(f"{name};{_params_text(single)}:{_value_text(single)}")
    lines.sort()
    children = sorted(
        (child.name, "\n".join(_lines(child)))
        for child in component.subcomponents
        if child.name not in IGNORED_COMPONENTS
    )
    lines += [f"BEGIN:{name}\n{text}\nEND:{name}" for name, text in children]
    return lines


def fingerprint(calendar: Calendar, key: bytes = b"") -> str:
    """The fingerprint of a calendar object's items (its VEVENTs and VTODOs), keyed with
    ``key`` (empty: the unkeyed fingerprint of older versions)."""
    digest = hmac.new(key, digestmod=hashlib.sha256) if key else hashlib.sha256()
    items = [c for c in calendar.subcomponents if c.name in ITEM_COMPONENTS]
    for text in sorted(f"{c.name}\n" + "\n".join(_lines(c)) for c in items):
        digest.update(text.encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def main_item(calendar: Calendar) -> Component | None:
    """The object's VEVENT or VTODO (a follow-up object has exactly one)."""
    for component in calendar.subcomponents:
        if component.name in ITEM_COMPONENTS:
            return component
    return None


def stamp(calendar: Calendar, key: bytes = b"") -> str:
    """Store the object's own fingerprint on its item, and return it."""
    value = fingerprint(calendar, key)
    item = main_item(calendar)
    if item is None:
        raise ValueError("a follow-up object needs a VEVENT or a VTODO")
    item.pop(FINGERPRINT_PROP, None)
    item.add(FINGERPRINT_PROP, value)
    return value


def stamped(calendar: Calendar) -> str | None:
    """The fingerprint followup stored on the object when it wrote it, if any."""
    item = main_item(calendar)
    if item is None:
        return None
    value = item.get(FINGERPRINT_PROP)
    return str(value) if value is not None else None
