"""Recognition from evidence: which events are interviews, which are asked about, and why."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from followup.engine.model import ANSWERED_YES, Interview, Window
from followup.engine.pipeline import load_rules, matcher_for
from followup.engine.plan.timeline import parse_timeline
from followup.engine.plan.timing import WorkCalendar
from followup.engine.read.facts import extract_facts
from followup.engine.read.reader import Matcher, read_calendar, read_ics

HOME = ZoneInfo("Europe/Amsterdam")
WINDOW = Window(datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))
RULES = matcher_for(load_rules())


def event(
    uid: str,
    summary: str,
    *,
    day: int = 10,
    description: str | None = None,
    organizer: str | None = None,
    attendees: tuple[str, ...] = (),
    extra: tuple[str, ...] = (),
) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261101T090000Z",
        f"DTSTART;TZID=Europe/Amsterdam:202611{day:02d}T100000",
        f"DTEND;TZID=Europe/Amsterdam:202611{day:02d}T110000",
        f"SUMMARY:{summary}",
    ]
    if description is not None:
        lines.append("DESCRIPTION:" + description.replace("\n", "\\n"))
    if organizer is not None:
        lines.append(f"ORGANIZER:mailto:{organizer}")
    lines += [f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{a}" for a in attendees]
    lines += [*extra, "END:VEVENT"]
    return "\r\n".join(lines)


def calendar(*events: str, header: tuple[str, ...] = ()) -> bytes:
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *header, *events]
    return ("\r\n".join([*parts, "END:VCALENDAR"]) + "\r\n").encode()


def read(
    data: bytes,
    *,
    matcher: Matcher = RULES,
    owners: frozenset[str] = frozenset(),
    answers: dict[str, bool] | None = None,
) -> dict[str, Interview]:
    found = read_ics(
        data, matcher=matcher, home=HOME, window=WINDOW, owners=owners, answers=answers or {}
    )
    return {iv.summary: iv for iv in found.events}


def one(summary: str, **kwargs: object) -> Interview | None:
    """The verdict on a calendar of one event (None: not listed at all)."""
    data = calendar(event("one@test", summary, **kwargs))  # type: ignore[arg-type]
    return read(data).get(summary)


def outcome(found: Interview | None) -> str:
    return "dropped" if found is None else found.verdict.outcome


@pytest.mark.parametrize(
    "title",
    [
        "Kennismakingsgesprek Vlietland Bouw",
        "Tweede ronde bij Vlietland Bouw",
        "Entretien avec Lumière Conseil",
        "Vorstellungsgespräch bei Stadtwerke Bonn",
        "Entrevista de trabajo - Grupo Solano",
        "Colloquio presso Fincantieri",
        "Entrevista na Sonae - segunda fase",
        "Rozmowa kwalifikacyjna w Allegro",
        "Coding screen - Globex",
        "Talent acquisition call - Initech",
        "Meet the team - Contoso",
        "Stage three - Northwind",
        "People team call - Fabrikam",
    ],
)
def test_an_interview_titled_in_any_of_eight_languages_is_counted(title: str) -> None:
    found = one(title)
    assert outcome(found) == "counted"
    assert found is not None and found.not_counted is None and found.verdict.reasons


@pytest.mark.parametrize(
    "title",
    [
        "Sollicitatiegesprek voorbereiden met Sanne",
        "Mock interview with a coach",
        "Interviewing skills workshop at the job centre",
        "Podcast interview about remote work",
        "Préparation entretien Lumière",
        "Entretien chaudière",
        "Entretien annuel avec ma manager",
        "Simulacro de entrevista",
        "Próbna rozmowa kwalifikacyjna",
        "Health screening",
        "Final round of golf",
        "Offer call with Initech",
        "Dentist",
        "Lunch with Alex",
    ],
)
def test_a_look_alike_in_any_language_is_not_counted(title: str) -> None:
    assert outcome(one(title)) in ("ignored", "dropped")


def test_an_event_the_rules_words_match_but_the_evidence_rules_out_is_listed_with_why() -> None:
    found = one("Interview: candidate Jane Doe for the backend role")
    assert found is not None and found.verdict.outcome == "ignored"
    assert found.not_counted is not None and "'candidate'" in found.not_counted
    assert found.verdict.against


def test_a_look_alike_whose_notes_speak_of_an_application_is_listed_with_why() -> None:
    found = one(
        "Interview prep",
        description="Recruiter: Sam Lee <sam.lee@initech.com>\nThey decide next week.",
    )
    assert found is not None and found.verdict.outcome in ("ignored", "asked")
    assert found.not_counted is not None and "'prep'" in found.not_counted


def test_an_exclusion_inside_the_company_name_does_not_keep_the_interview_out() -> None:
    found = one("Interview at Northwind Health")
    assert outcome(found) == "counted"
    assert found is not None and found.facts.company == "Northwind Health"
    assert outcome(one("Health screening")) in ("ignored", "dropped")


def test_a_conversation_with_a_contact_line_at_the_company_is_counted() -> None:
    found = one(
        "Gesprek met Anna van Rijnstad Logistiek",
        description="Ansprechperson: Anna Bakker <anna.bakker@rijnstad-logistiek.nl>",
    )
    assert outcome(found) == "counted"
    assert found is not None and found.facts.company == "Rijnstad Logistiek"
    assert any("Ansprechperson line" in reason for reason in found.verdict.reasons)


def test_a_stage_word_alone_is_asked_with_the_question_and_the_fix() -> None:
    found = one("Presentation")
    assert outcome(found) == "asked"
    assert found is not None and found.not_counted is not None
    assert found.not_counted.startswith("is this an interview?")
    assert found.verdict.fix is not None and "interviews: words" in found.verdict.fix


def test_an_invite_from_an_applicant_tracking_system_needs_no_interview_word() -> None:
    found = one("Conversation with Jane (Acme)", organizer="no-reply@greenhouse.io")
    assert outcome(found) == "counted"
    assert found is not None
    assert any("Greenhouse" in reason for reason in found.verdict.reasons)


def test_a_haircut_booked_through_a_general_scheduler_is_not_listed() -> None:
    assert one("Haircut with Sam", organizer="notifications@calendly.com") is None


def test_a_debrief_the_user_organizes_at_work_is_not_an_interview() -> None:
    data = calendar(
        event(
            "debrief@test",
            "Interview debrief: Jane Doe",
            organizer="lee.chen@contoso.com",
            attendees=("sam.park@contoso.com", "lee.chen@contoso.com"),
        )
    )
    found = read(data, owners=frozenset({"lee.chen@contoso.com"}))["Interview debrief: Jane Doe"]
    assert found.verdict.outcome == "ignored"
    assert found.not_counted is not None and "your own hiring" in found.not_counted


def test_a_candidate_the_user_invites_from_work_is_asked_about() -> None:
    data = calendar(
        event(
            "candidate@test",
            "Interview - Jane Doe",
            organizer="lee.chen@contoso.com",
            attendees=("jane.doe@gmail.com",),
        )
    )
    found = read(data, owners=frozenset({"lee.chen@contoso.com"}))["Interview - Jane Doe"]
    assert found.verdict.outcome == "asked"
    assert any("you organize it" in reason for reason in found.verdict.reasons)


def test_the_calendars_owner_is_known_without_a_setting() -> None:
    data = calendar(
        event(
            "mine@test",
            "Hiring committee: backend role",
            organizer="lee.chen@contoso.com",
            attendees=("sam.park@contoso.com",),
        ),
        header=("X-WR-CALNAME:lee.chen@contoso.com",),
    )
    found = read(data).get("Hiring committee: backend role")
    assert found is None or found.verdict.outcome == "ignored"


def test_an_answer_yes_counts_an_event_the_evidence_would_ignore() -> None:
    data = calendar(event("lunch@test", "Lunch with Alex"))
    assert read(data) == {}
    found = read(data, answers={"lunch@test": True})["Lunch with Alex"]
    assert found.not_counted is None
    assert found.verdict.outcome == "counted" and found.verdict.answered
    assert found.verdict.reasons == (ANSWERED_YES,)


def test_an_answer_no_keeps_an_interview_out_and_says_so() -> None:
    data = calendar(event("initech@test", "Interview with Initech"))
    found = read(data, answers={"initech@test": False})["Interview with Initech"]
    assert found.verdict.outcome == "ignored" and found.verdict.answered
    assert found.not_counted is not None and "your answer" in found.not_counted


def test_an_answer_for_a_series_answers_every_day() -> None:
    data = calendar(event("days@test", "Visit", extra=("RRULE:FREQ=DAILY;COUNT=2",)))
    found = read_ics(data, matcher=RULES, home=HOME, window=WINDOW, answers={"days@test": True})
    assert [iv.verdict.outcome for iv in found.events] == ["counted", "counted"]


def test_a_word_the_user_added_counts_whatever_else_the_title_says() -> None:
    rules = load_rules()
    words = [*rules.interviews.words, "debrief"]
    mine = matcher_for(
        rules.model_copy(
            update={"interviews": rules.interviews.model_copy(update={"words": words})}
        )
    )
    data = calendar(event("d@test", "Debrief with the recruiter"))
    found = read(data, matcher=mine)["Debrief with the recruiter"]
    assert found.verdict.outcome == "counted"
    assert "a word you added to your rules" in found.verdict.reasons[0]


def test_an_asked_round_of_a_company_with_a_counted_round_is_counted() -> None:
    notes = "Company: Initech\nWe will let you know by Friday."
    alone = calendar(event("second@test", "Initech / Jane Doe", day=17, description=notes))
    assert read(alone)["Initech / Jane Doe"].verdict.outcome == "asked"
    data = calendar(
        event("first@test", "Interview with Initech", day=10),
        event("second@test", "Initech / Jane Doe", day=17, description=notes),
    )
    found = read(data)["Initech / Jane Doe"]
    assert found.verdict.outcome == "counted" and found.not_counted is None
    assert "you interview with Initech in other rounds" in found.verdict.reasons


def test_an_event_naming_a_company_you_interview_with_is_asked_about() -> None:
    data = calendar(
        event("first@test", "Interview with Initech", day=10),
        event("second@test", "Chat with Initech", day=17),
    )
    found = read(data)["Chat with Initech"]
    assert found.verdict.outcome == "asked"
    assert found.not_counted is not None and "Initech" in found.not_counted


def test_an_event_naming_a_company_you_interview_with_and_nothing_else_is_asked_about() -> None:
    data = calendar(
        event("first@test", "Interview with Initech", day=10),
        event("second@test", "Initech", day=17),
    )
    found = read(data)["Initech"]
    assert found.not_counted is not None and "Initech" in found.not_counted


def test_the_cheap_scan_keeps_an_event_whose_evidence_is_only_in_its_notes() -> None:
    data = calendar(
        event(
            "notes@test",
            "Gesprek",
            description="Contactpersoon: Eva de Graaf <eva@vlietlandbouw.nl>\n"
            "We laten je binnen tien dagen weten of je door bent.",
        )
    )
    scanned = read_ics(data, matcher=RULES, home=HOME, window=WINDOW)
    parsed = read_calendar(Calendar.from_ical(data), matcher=RULES, home=HOME, window=WINDOW)
    assert [iv.key for iv in scanned.events] == ["notes@test"]
    assert [iv.key for iv in parsed.events if iv.not_counted is None] == [
        iv.key for iv in scanned.events if iv.not_counted is None
    ]


def test_every_counted_interview_says_why_in_words() -> None:
    found = one("Vorstellungsgespräch bei Stadtwerke Bonn")
    assert found is not None
    assert found.verdict.reasons[0].startswith("its title has 'vorstellungsgespräch'")


def test_a_booking_page_meeting_that_names_a_job_is_not_dropped() -> None:
    found = one(
        "Sam Reyes and Kim Obi",
        description="Event Name: 45 Minute Intro - Data Analyst\nInvitee: Sam Reyes\n"
        "Powered by Calendly.com",
        organizer="kim@bluefernpictures.com",
        attendees=("sam.reyes@fastmail.com",),
    )
    assert outcome(found) in ("counted", "asked")
    assert found is not None and any("booking names a job" in r for r in found.verdict.reasons)
    plain = one(
        "Sam Reyes and Kim Obi",
        description="Event Name: 45 Minute Meeting\nPowered by Calendly.com",
        organizer="kim@bluefernpictures.com",
    )
    assert outcome(plain) in ("ignored", "dropped")


@pytest.mark.parametrize(
    "notes",
    [
        "Dopo il primo colloquio ti invitiamo a un aperitivo con il team.",
        "After your first interview we would like you to meet a few of us over drinks.",
        "Na het eerste sollicitatiegesprek nodigen we je uit voor een borrel.",
    ],
)
def test_notes_that_speak_of_an_interview_make_an_event_from_a_company_asked(notes: str) -> None:
    found = one(
        "Drinks with the studio – Ortica Design",
        description=notes,
        organizer="lena@orticadesign.it",
        attendees=("me@fastmail.com",),
    )
    assert outcome(found) in ("counted", "asked")
    assert found is not None and any("speak of an interview" in r for r in found.verdict.reasons)


def test_an_exclusion_the_organizers_domain_spells_with_its_neighbour_is_the_company() -> None:
    found = one(
        "Probetag bei Aarberg Health",
        description="Zum Abschluss ein Abschlussgespräch mit dem Teamleiter.",
        organizer="jana@aarberghealth.ch",
        attendees=("me@gmail.com",),
    )
    assert outcome(found) in ("counted", "asked")
    assert found is not None and not any("exclusions" in r for r in found.verdict.against)
    assert outcome(one("Health check", organizer="desk@citypractice.ch")) in ("ignored", "dropped")


@pytest.mark.parametrize(
    ("notes", "last_day"),
    [
        # closing the process, talking again, settling: the recruiter's timeline too
        ("We hope to wrap up our search within two weeks.", date(2026, 12, 15)),
        ("Contiamo di chiudere la selezione entro 10 giorni.", date(2026, 12, 11)),
        ("Voltamos a falar consigo na próxima semana.", date(2026, 12, 11)),
        ("Lo resolveremos antes del 18 de diciembre.", date(2026, 12, 18)),
        ("We willen de procedure binnen drie weken afronden.", date(2026, 12, 22)),
    ],
)
def test_a_sentence_about_closing_the_process_is_the_timeline(notes: str, last_day: date) -> None:
    facts = extract_facts("Interview", f"Thanks for your time.\n{notes}")
    assert facts.timeline == notes
    end = datetime(2026, 12, 1, 11, 0, tzinfo=HOME)  # a Tuesday
    timeline = parse_timeline(facts.timeline, end, HOME, WorkCalendar(frozenset(range(5))))
    assert timeline is not None
    assert (timeline.deadline.astimezone(HOME) - timedelta(microseconds=1)).date() == last_day


def test_a_look_alike_word_in_a_name_that_nothing_introduces_is_the_events_kind() -> None:
    assert outcome(one("Final round - darts club ladder")) != "counted"
    assert outcome(one("Final round - office quiz night")) != "counted"
    found = one("Interview at Eastgate Quiz Labs")
    assert outcome(found) == "counted"


@pytest.mark.parametrize(
    "title",
    [
        "Proefgesprek met Joost (Duits)",
        "Probegespräch mit meiner Mentorin",
        "Interview mit Funkhaus Ost",
    ],
)
def test_practice_talks_and_broadcasters_in_compounds_are_not_counted(title: str) -> None:
    assert outcome(one(title)) != "counted"


def test_a_look_alike_word_that_its_domain_spells_with_its_neighbour_is_the_company() -> None:
    found = one(
        "Entrevista técnica – Onda Media",
        description="Obrigado pela sua candidatura.",
        organizer="rh@ondamedia.pt",
        attendees=("me@gmail.com",),
    )
    assert outcome(found) == "counted"
    press = one("Interview – Onda Media", organizer="desk@radiocentral.pt")
    assert outcome(press) != "counted"


@pytest.mark.parametrize(
    "title",
    [
        "Revisione del portfolio – Studio Ginepro",
        "Spotkanie z przyszłym przełożonym – Orzeł Dane",
        "Business case: analisi dei costi – Ginepro",
    ],
)
def test_portfolio_reviews_and_meeting_the_future_manager_are_rounds(title: str) -> None:
    assert outcome(one(title, organizer="hr@ginepro.it")) in ("counted", "asked")
    assert outcome(one(title, organizer="hr@ginepro.it", attendees=("me@gmail.com",))) != "dropped"
