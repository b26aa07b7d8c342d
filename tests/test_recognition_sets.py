"""The labelled calendars under tests/data/recognition/ are well formed.

Each set (dev/, heldout-*/) holds NAME.ics with NAME.yaml beside it; every
VEVENT has exactly one label and every label names a VEVENT; the classes,
kinds and languages are those of tests/data/recognition/README.md. This reads
only the files, never followup's own reading, so that a broken set fails here
and not as a strange figure in bench/facts.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).parent / "data" / "recognition"
SETS = sorted(
    p for p in ROOT.iterdir() if p.is_dir() and (p.name == "dev" or p.name.startswith("heldout-"))
)
CALENDARS = sorted(ics for s in SETS for ics in s.glob("*.ics"))

INTERVIEW_KINDS = {
    "screen", "technical", "hiring-manager", "panel", "onsite",
    "case-study", "culture", "final", "other-interview",
}  # fmt: skip
LOOK_ALIKE_KINDS = {
    "prep", "mock", "training", "hiring-own", "press", "informational", "offer",
    "onboarding", "review", "medical", "service", "social", "other",
}  # fmt: skip
LANGUAGES = {"en", "de", "fr", "nl", "es", "it", "pt", "pl"}
SOURCES = {
    "google", "outlook-desktop", "outlook-web", "icloud", "fastmail", "proton", "thunderbird",
    "greenhouse", "lever", "ashby", "workday", "goodtime", "calendly", "smartrecruiters",
    "icims", "teamtailor", "personio", "recruitee", "workable",
}  # fmt: skip
INTERVIEW_KEYS = ("company", "write_to", "timeline")
DEV_EVENTS_AT_LEAST = 230
DEV_EVENTS_PER_LANGUAGE_AT_LEAST = 15

Key = tuple[str, str | None]


def recurrence_key(value: Any) -> str | None:
    """RECURRENCE-ID as the labels write it: UTC with Z, a bare date, or local time as written."""
    if value is None:
        return None
    moment = value.dt
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            return moment.strftime("%Y%m%dT%H%M%S")
        return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return str(moment.strftime("%Y%m%d"))


@cache
def vevent_keys(ics: Path) -> list[Key]:
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    return [
        (str(event.get("UID")), recurrence_key(event.get("RECURRENCE-ID")))
        for event in calendar.walk("VEVENT")
    ]


@cache
def labels(ics: Path) -> dict[str, Any]:
    loaded = YAML(typ="safe", pure=True).load(ics.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{ics.with_suffix('.yaml').name}: not a mapping"
    return loaded


def label_key(entry: dict[str, Any]) -> Key:
    rid = entry.get("recurrence_id")
    return (str(entry["uid"]), None if rid is None else str(rid))


def test_there_is_a_development_set() -> None:
    assert ROOT / "dev" in SETS
    assert any(ics.parent.name == "dev" for ics in CALENDARS)


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_every_calendar_has_its_labels_and_every_labels_file_its_calendar(folder: Path) -> None:
    calendars = {p.stem for p in folder.glob("*.ics")}
    label_files = {p.stem for p in folder.glob("*.yaml")}
    assert calendars == label_files, f"unpaired in {folder.name}: {sorted(calendars ^ label_files)}"


@pytest.mark.parametrize("ics", CALENDARS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_vevent_has_one_label_and_every_label_one_vevent(ics: Path) -> None:
    events = vevent_keys(ics)
    assert events, f"{ics.name}: no VEVENT"
    repeated = [k for k, n in Counter(events).items() if n > 1]
    assert not repeated, f"{ics.name}: the same UID and RECURRENCE-ID twice: {repeated}"
    entries = labels(ics)["events"]
    labelled = [label_key(e) for e in entries]
    twice = [k for k, n in Counter(labelled).items() if n > 1]
    assert not twice, f"{ics.with_suffix('.yaml').name}: labelled twice: {twice}"
    assert not set(events) - set(labelled), (
        f"unlabelled: {sorted(set(events) - set(labelled), key=str)}"
    )
    assert not set(labelled) - set(events), (
        f"no such VEVENT: {sorted(set(labelled) - set(events), key=str)}"
    )


@pytest.mark.parametrize("ics", CALENDARS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_calendar_header_names_a_source_owner_zone_and_language(ics: Path) -> None:
    header = labels(ics)["calendar"]
    assert header["source"] in SOURCES
    assert header["owner"] and all("@" in str(a) for a in header["owner"])
    ZoneInfo(str(header["zone"]))
    assert header["language"] in LANGUAGES


@pytest.mark.parametrize("ics", CALENDARS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_label_takes_the_readmes_values(ics: Path) -> None:
    for entry in labels(ics)["events"]:
        where = f"{ics.with_suffix('.yaml').name} {entry.get('uid')}"
        assert entry["language"] in LANGUAGES, where
        if entry["class"] == "interview":
            assert entry["kind"] in INTERVIEW_KINDS, where
            missing = [k for k in INTERVIEW_KEYS if k not in entry]
            assert not missing, f"{where}: no {missing}"
            timeline = entry["timeline"]
            if timeline is not None and not isinstance(timeline, dt.date):
                dt.date.fromisoformat(str(timeline))
            write_to = entry["write_to"]
            assert write_to is None or "@" in str(write_to), where
        else:
            assert entry["class"] == "look-alike", where
            assert entry["kind"] in LOOK_ALIKE_KINDS, where


def test_the_development_set_is_large_enough_in_every_language() -> None:
    entries = [e for ics in CALENDARS if ics.parent.name == "dev" for e in labels(ics)["events"]]
    assert len(entries) >= DEV_EVENTS_AT_LEAST
    per_language = Counter(str(e["language"]) for e in entries)
    short = {
        lang: per_language[lang]
        for lang in LANGUAGES
        if per_language[lang] < DEV_EVENTS_PER_LANGUAGE_AT_LEAST
    }
    assert not short, f"fewer than {DEV_EVENTS_PER_LANGUAGE_AT_LEAST} events: {short}"


@cache
def _bench_facts() -> Any:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "bench_facts", ROOT.parents[2] / "bench" / "facts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_facts"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("label", "read", "right"),
    [
        ("Vlietland Bouw", "Vlietland Bouw B.V.", True),
        ("Studio Kreska", "studio kreska sp. z o.o.", True),
        ("Lazio Radio", "Lazio Radio S.p.A.", True),
        ("Acme", "Acme, Inc.", True),
        ("Northwind Health", "Northwind", False),
        ("Globex", "Globex Candidate Calendar", False),
        ("AB", "AB", True),
    ],
)
def test_bench_compares_companies_with_the_legal_form_dropped_and_nothing_else(
    label: str, read: str, right: bool
) -> None:
    company = _bench_facts()._company
    assert (company(label) == company(read)) is right
