"""Companies from titles whatever the language, and the scan that never loses evidence."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from followup.engine.model import ANSWERED_YES, Window
from followup.engine.pipeline import load_rules, matcher_for, owners_for, read_ics
from followup.engine.read.facts import company_from_title
from followup.engine.read.reader import read_calendar
from followup.engine.read.reader import read_ics as reader_read_ics


@pytest.mark.parametrize(
    ("title", "company"),
    [
        ("Interview with Initech (moved)", "Initech"),
        ("Virtual onsite (3 parts)", None),
        ("Coding screen: Globex (rescheduled)", "Globex"),
        ("Interview (part 2 of 3) - Hooli", "Hooli"),
        ("Vorstellungsgespräch (verschoben) - Stadtwerke Bonn", "Stadtwerke Bonn"),
        ("Tweede ronde bij Vlietland Bouw", "Vlietland Bouw"),
        ("tweede ronde Vlietland Bouw", "Vlietland Bouw"),
        ("Gesprek met Anna van Rijnstad Logistiek", "Rijnstad Logistiek"),
        ("Kennismakingsgesprek Vlietland Bouw", "Vlietland Bouw"),
        ("Entretien avec Lumière Conseil", "Lumière Conseil"),
        ("Rozmowa kwalifikacyjna w Allegro", "Allegro"),
        ("Colloquio presso Fincantieri", "Fincantieri"),
        ("Entrevista na Sonae - 2ª fase", "Sonae"),
        ("Prueba técnica en directo – Banco Meridiano", "Banco Meridiano"),
        ("Portfolio review - Fabrikam", "Fabrikam"),
        ("People team call - Initech", "Initech"),
        ("HM interview - Adventure Works", "Adventure Works"),
        ("Intro: Oliver Hughes / Fathom Bank", "Fathom Bank"),
        ("Live coding – Vistula Games", "Vistula Games"),
        ("Colloquio finale con il fondatore – Ferretti Design", "Ferretti Design"),
        ("Recruitee: Interview for Customer Success Manager – Tulip Software", "Tulip Software"),
        ("30 Minute Meeting between Maya Chen and Dana Wu", None),
    ],
)
def test_a_title_gives_its_company_in_any_language(title: str, company: str | None) -> None:
    assert company_from_title(title)[0] == company


def test_van_before_one_word_is_part_of_a_persons_name() -> None:
    assert company_from_title("Sollicitatiegesprek met Jan van Dijk")[0] != "Dijk"


def test_the_users_addresses_come_from_the_rules() -> None:
    rules = load_rules()
    mine = rules.model_copy(
        update={"interviews": rules.interviews.model_copy(update={"me": ["Lee.Chen@Contoso.com"]})}
    )
    assert owners_for(mine, ["me@example.org"]) == {"lee.chen@contoso.com", "me@example.org"}


def test_the_pipeline_passes_answers_and_addresses_to_the_reader() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\n"
        b"DTSTAMP:20261101T000000Z\r\nDTSTART:20261110T100000Z\r\nSUMMARY:Coffee\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    now = datetime(2026, 11, 20, tzinfo=UTC)
    rules = load_rules().model_copy(update={"timezone": "Europe/Berlin"})
    assert read_ics(data, rules=rules, now=now).events == ()
    found = read_ics(data, rules=rules, now=now, answers={"a@t": True})
    assert [iv.verdict.reasons for iv in found.events] == [(ANSWERED_YES,)]


TITLES = st.sampled_from(
    [
        "Gesprek",
        "Call with Sam",
        "Presentation",
        "Interview prep",
        "Kennismakingsgesprek Vlietland Bouw",
        "Interview at Northwind Health",
        "Health screening",
        "Lunch",
        "Debrief: Jane Doe",
        "Finale pubquiz",
    ]
)
NOTES = st.sampled_from(
    [
        None,
        "Contactpersoon: Eva <eva@vlietlandbouw.nl>",
        "Recruiter: <b>Sam</b> sam@initech.com",
        "We will let you know by Friday.",
        "Agenda and notes for the meeting.",
        "Company: Northwind Health",
        "Your interviewers: Ana, Bo",
    ]
)
ORGANIZERS = st.sampled_from(
    [None, "no-reply@greenhouse.io", "talent@fathombank.com", "lee@contoso.com", "x@gmail.com"]
)
ATTENDEES = st.sampled_from([None, "jane.doe@gmail.com", "sam@initech.com", "recruiting@acme.io"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TITLES, NOTES, ORGANIZERS, ATTENDEES), min_size=1, max_size=6))
def test_the_cheap_scan_keeps_every_event_its_evidence_counts(
    events: list[tuple[str, str | None, str | None, str | None]],
) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN", "X-WR-CALNAME:lee@contoso.com"]
    for index, (title, notes, organizer, attendee) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:e{index}@t",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART:202611{10 + index}T100000Z",
            f"SUMMARY:{title}",
        ]
        if notes:
            lines.append("DESCRIPTION:" + notes.replace(",", "\\,"))
        if organizer:
            lines.append(f"ORGANIZER;CN=Someone:mailto:{organizer}")
        if attendee:
            lines.append(f"ATTENDEE;CN=Guest:mailto:{attendee}")
        lines.append("END:VEVENT")
    data = ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()
    matcher = matcher_for(load_rules())
    home = ZoneInfo("Europe/Berlin")
    window = Window(datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    scanned = reader_read_ics(data, matcher=matcher, home=home, window=window)
    parsed = read_calendar(Calendar.from_ical(data), matcher=matcher, home=home, window=window)
    assert [iv.key for iv in scanned.events if iv.not_counted is None] == [
        iv.key for iv in parsed.interviews
    ]


@pytest.mark.parametrize(
    ("title", "company"),
    [
        # an informal conversation word, or the drink it is held over, opens the title
        ("Charla informal – Olivar Datos", "Olivar Datos"),
        ("Chiacchierata con Sara – Lanterna Labs", "Lanterna Labs"),
        ("Aperitivo con il team – Lanterna Labs", "Lanterna Labs"),
        ("Borrel met het team – Duinwater Bouw", "Duinwater Bouw"),
        # an ordinal or the word for the application is not the company
        ("Zweites Gespräch – Auwald Systeme", "Auwald Systeme"),
        ("Candidatura Serra Verde: dia de entrevistas", "Serra Verde"),
    ],
)
def test_conversation_meal_ordinal_and_application_words_are_not_the_company(
    title: str, company: str
) -> None:
    assert company_from_title(title)[0] == company


@pytest.mark.parametrize(
    "title",
    [
        "Appel découverte – Analyste Données (télétravail)",
        "Rozmowa wstępna – Specjalistka ds. płac",
        "Colloquio – Sviluppatore backend",
        "Videollamada – Consultora SAP (en remoto)",
    ],
)
def test_a_job_in_any_language_is_the_role_and_no_company_is_made_up(title: str) -> None:
    company, role = company_from_title(title)
    assert company is None
    assert role is not None and role in title


@pytest.mark.parametrize(
    "title",
    [
        "Hélène Faure et Marc Brun",
        "Lucía Gil y Pablo Sanz",
        "Jonas Weber und Mia Roth",
        "Anna Nowak i Piotr Zieliński",
    ],
)
def test_two_peoples_names_joined_in_any_language_are_no_company(title: str) -> None:
    assert company_from_title(title)[0] is None


def test_a_company_named_with_and_is_still_read() -> None:
    assert company_from_title("Interview - Procter and Gamble")[0] == "Procter and Gamble"
