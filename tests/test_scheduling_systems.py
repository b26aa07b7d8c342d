"""Invites booked by applicant-tracking and scheduling systems, as they write them.

Greenhouse, GoodTime, Lever, Ashby, Calendly, Workday, Welcome to the Jungle,
Recruitee and SmartRecruiters send invitations whose organizer is the system
(or a shared "Candidate Calendar"), with the interviewers as attendees or in
the itinerary lines they write ("Interviewers:", "Itinerary", "Event Name:",
"Invitee:"). Through `plan`, `draft` and `explain`: the company, role,
recruiter and interviewers come from the attendees and the text; one thank-you
goes to each interviewer and one to the recruiter, in the invitation's
language; no draft is ever addressed to a system, a shared calendar, a room or
the user.
"""

from __future__ import annotations

import email
import functools
import json
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.engine.model import Interview, Reading
from followup.engine.plan.planner import make_plan
from followup.engine.read.facts import Organizer, extract_facts
from followup.rules.loader import load_rules
from followup.rules.model import RuleSet, Sender
from tests.conftest import ROOT
from tests.everyday_support import run

ROBOTS = (
    "greenhouse",
    "goodtime",
    "lever.co",
    "ashbyhq",
    "calendly",
    "myworkday",
    "welcometothejungle",
    "recruitee",
    "smartrecruiters",
    "calendar.google.com",
    "no-reply",
    "noreply",
    "scheduling",
)
USER = ("alex.doe@gmail.com", "alex@alexdoe.dev")


def event(
    uid: str,
    summary: str,
    description: str,
    organizer: str,
    attendees: list[str],
    start: str = "20261201T100000",
    end: str = "20261201T110000",
) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261125T120000Z",
        f"DTSTART;TZID=Europe/Berlin:{start}",
        f"DTEND;TZID=Europe/Berlin:{end}",
        f"SUMMARY:{summary}",
        f"ORGANIZER;{organizer}",
        *(f"ATTENDEE;{a}" if not a.startswith("mailto:") else f"ATTENDEE:{a}" for a in attendees),
        "DESCRIPTION:" + description.replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;"),
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def calendar(tmp_path: Path, *events: str) -> str:
    path = tmp_path / "invites.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
        + "\r\n".join(events)
        + "\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return str(path)


def drafts(source: str, company: str, tmp_path: Path) -> list[EmailMessage]:
    """The thank-you drafts `followup draft COMPANY thank-you -o` writes, as mail clients read them."""
    target = tmp_path / "thank-you.eml"
    result = run(
        "draft", company, "thank-you", "-o", str(target), "--from", source,
        "--now", "2026-12-02T08:00",
    )  # fmt: skip
    assert result.code == 0, result.err
    files = sorted(tmp_path.glob("thank-you*.eml"))
    assert files, result.out
    messages = []
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        messages.append(message)
    return messages


def to_of(message: EmailMessage) -> str:
    header = message["To"]
    return "" if header is None else str(header)


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def never_a_robot_or_the_user(messages: list[EmailMessage]) -> None:
    for message in messages:
        to = to_of(message).casefold()
        assert not any(robot in to for robot in ROBOTS), to
        assert not any(user in to for user in USER), to
        salutation = body_of(message).split("\n", 1)[0]
        for word in ("Greenhouse", "GoodTime", "Calendar", "Calendly", "Room", "Lever", "Alex"):
            assert word not in salutation, salutation


def explained(source: str, company: str) -> str:
    result = run("explain", company, "--from", source, "--now", "2026-12-02T08:00")
    assert result.code == 0, result.err
    return result.out


def thank_you_step(source: str) -> dict[str, object]:
    result = run("plan", "--json", "--from", source, "--now", "2026-11-30T08:00")
    assert result.code == 0, result.err
    steps = [f for f in json.loads(result.out)["followups"] if f["rule"] == "thank-you"]
    assert len(steps) == 1, steps
    return steps[0]


# Greenhouse: the organizer is Greenhouse's robot, the panel are attendees beside a room,
# the candidate and the scheduling address Greenhouse adds to keep in sync.
GREENHOUSE = event(
    "gh-1@greenhouse.io",
    "Interview: Alex Doe - Backend Engineer at Acme Corp",
    "Hi Alex,\n\nThank you for making time to meet with the Acme Corp team for the Backend"
    " Engineer role.\n\nInterviewers: Sam Lee (Engineering Manager), Kim Park (Staff Engineer),"
    " Jo Ortiz (Product Manager)\nRecruiting Coordinator: Dana Smith <dana.smith@acme.com>\n\n"
    "Highlights (Kim): the event-sourcing deep dive\n"
    "Highlights (Jo Ortiz): how product and engineering plan together",
    "CN=Greenhouse:mailto:no-reply@greenhouse.io",
    [
        "CN=Alex Doe;ROLE=REQ-PARTICIPANT:mailto:alex.doe@gmail.com",
        "CN=Sam Lee:mailto:sam.lee@acme.com",
        "CN=Kim Park:mailto:kim.park@acme.com",
        "mailto:jo.ortiz@acme.com",
        "CN=Berlin - Room 4 (6);CUTYPE=ROOM:mailto:c_188@resource.calendar.google.com",
        "mailto:scheduling+ab12cd@greenhouse.io",
    ],
    end="20261201T113000",
)


def test_a_greenhouse_panel_of_three_gets_one_thank_you_each_and_one_for_the_recruiter(
    tmp_path: Path,
) -> None:
    source = calendar(tmp_path, GREENHOUSE)
    step = thank_you_step(source)
    assert step["title"] == "Send 4 thank-you emails (Dana, Sam, Kim and Jo)"
    assert str(step["description"]).endswith(
        "One email each (4):\n- Dana Smith <dana.smith@acme.com>\n- Sam Lee <sam.lee@acme.com>\n"
        "- Kim Park <kim.park@acme.com>\n- Jo Ortiz <jo.ortiz@acme.com>"
    )
    messages = drafts(source, "Acme", tmp_path)
    assert [to_of(m) for m in messages] == [
        "Dana Smith <dana.smith@acme.com>",
        "Sam Lee <sam.lee@acme.com>",
        "Kim Park <kim.park@acme.com>",
        "Jo Ortiz <jo.ortiz@acme.com>",  # named from the address: two parts, letters only
    ]
    bodies = [body_of(m) for m in messages]
    assert [b.split("\n", 1)[0] for b in bodies] == [
        "Dear Dana,",
        "Dear Sam,",
        "Dear Kim,",
        "Dear Jo,",
    ]
    assert "I especially appreciated the event-sourcing deep dive." in bodies[2]
    assert "I especially appreciated how product and engineering plan together." in bodies[3]
    assert "[what stood out for you]" in bodies[1]  # nothing noted for Sam: a gap, not a guess
    assert all(m["Subject"] == "Thank you – Backend Engineer at Acme Corp" for m in messages)
    never_a_robot_or_the_user(messages)
    text = explained(source, "Acme")
    assert "booked by     Greenhouse  (from the event's organizer)" in text
    assert "recruiter     Dana Smith <dana.smith@acme.com>  (from the event's notes)" in text
    assert "Sam Lee <sam.lee@acme.com>, Kim Park <kim.park@acme.com>, Jo Ortiz" in text


def test_the_draft_says_which_gaps_are_left_to_fill(tmp_path: Path) -> None:
    source = calendar(tmp_path, GREENHOUSE)
    result = run("draft", "Acme", "thank-you", "--from", source, "--now", "2026-12-02T08:00")
    assert result.code == 0, result.err
    assert result.out.count("To: ") == 4
    assert "note: 4 emails" in result.err
    assert (
        "note: the draft for Sam Lee has gaps to fill before you send it: "
        "[what stood out for you], [why the role fits you]"
    ) in result.err


def goodtime_session(number: int, start: str, end: str, topic: str, who: str, address: str) -> str:
    return event(
        f"goodtime-{number}@goodtime.io",
        f"Globex Interview - {topic}",
        f"Hi Alex,\n\nHere is your interview itinerary for the Product Manager role at Globex.\n\n"
        f"Itinerary\n{start[9:11]}:{start[11:13]} - {end[9:11]}:{end[11:13]} CET: {topic} with"
        f" {who} (Globex)\n\nYour recruiter: Dana Smith <dana.smith@globex.com>",
        "CN=Globex Candidate Calendar:mailto:globex.com_c0ffee@group.calendar.google.com",
        [
            "CN=Globex Candidate Calendar:mailto:globex.com_c0ffee@group.calendar.google.com",
            "CN=Alex Doe:mailto:alex.doe@gmail.com",
            f"mailto:{address}",
        ],
        start=start,
        end=end,
    )


LOOP = [
    goodtime_session(1, "20261201T090000", "20261201T094500", "Product Sense", "Sam Lee",
                     "sam.lee@globex.com"),
    goodtime_session(2, "20261201T100000", "20261201T104500", "Analytics", "Kim Park",
                     "kpark@globex.com"),
    goodtime_session(3, "20261201T110000", "20261201T114500", "Execution", "Jo Ortiz",
                     "jo.ortiz@globex.com"),
    goodtime_session(4, "20261201T130000", "20261201T134500", "Leadership", "Lee Chen",
                     "lee.chen@globex.com"),
]  # fmt: skip


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_goodtime_loop_of_four_sessions_gets_one_step_after_the_last_with_an_email_each(
    tmp_path: Path,
) -> None:
    source = calendar(tmp_path, *LOOP)
    step = thank_you_step(source)
    assert step["title"] == "Send 5 thank-you emails (Dana, Sam, Kim, Jo and Lee)"
    assert step["start"] == "2026-12-02T09:00:00+01:00"
    messages = drafts(source, "Leadership", tmp_path)
    assert [to_of(m) for m in messages] == [
        "Dana Smith <dana.smith@globex.com>",
        "Sam Lee <sam.lee@globex.com>",
        "Kim Park <kpark@globex.com>",  # the itinerary names the one "kpark@" is
        "Jo Ortiz <jo.ortiz@globex.com>",
        "Lee Chen <lee.chen@globex.com>",
    ]
    assert all(m["Subject"] == "Thank you – Product Manager at Globex" for m in messages)
    never_a_robot_or_the_user(messages)
    first = explained(source, "Product Sense")
    assert "thank-you: not planned: one thank-you for the day's sessions, after the last: " in first
    assert "Globex Interview - Leadership at 13:00" in first
    assert "booked by     Globex Candidate Calendar  (from the event's organizer)" in first


LEVER = event(
    "lever-7@hire.lever.co",
    "Initech: Onsite Interview - Alex Doe",
    "You're invited to interview with Initech for the Data Engineer position.\n\nInterviewers:\n"
    "- Priya Nair, Engineering Manager\n- Tom Baker, Senior Data Engineer\n\n"
    "Reply to this email with any questions.",
    "CN=Initech Talent Team:mailto:no-reply@hire.lever.co",
    ["CN=Priya Nair:mailto:priya.nair@initech.com", "mailto:tbaker@initech.com",
     "CN=Alex Doe:mailto:alex@alexdoe.dev"],
)  # fmt: skip
ASHBY = event(
    "ashby-3@ashbyhq.com",
    "Technical Interview with Hooli",
    "Hi Alex,\n\nYour Technical Interview at Hooli is confirmed.\n\nPosition: Staff Engineer\n"
    "Interviewers\nGavin Belson - CEO\nRichard Hendricks - Engineer\n",
    "CN=Ashby:mailto:no-reply@ashbyhq.com",
    ["CN=Gavin Belson:mailto:gavin@hooli.com", "mailto:richard.hendricks@hooli.com",
     "mailto:x7@hooli.com"],
)  # fmt: skip
CALENDLY = event(
    "calendly-9@calendly.com",
    "Interview between Dana Smith and Alex Doe",
    "Event Name: Interview with Umbrella Corp – Backend Engineer\n\nLocation: Zoom\n\n"
    "Invitee: Alex Doe\nInvitee Email: alex@alexdoe.dev\n\nNeed to make changes to this event?\n"
    "Cancel: https://calendly.com/cancellations/abc\n"
    "Reschedule: https://calendly.com/reschedulings/abc\n\nPowered by Calendly.com",
    "CN=Calendly:mailto:notifications@calendly.com",
    ["CN=Dana Smith:mailto:dana@umbrella.com", "CN=Alex Doe:mailto:alex@alexdoe.dev"],
)


def test_a_lever_invite_names_its_interviewers_and_matches_tbaker_to_tom_baker(
    tmp_path: Path,
) -> None:
    source = calendar(tmp_path, LEVER)
    messages = drafts(source, "Initech", tmp_path)
    assert [to_of(m) for m in messages] == [
        "Priya Nair <priya.nair@initech.com>",
        "Tom Baker <tbaker@initech.com>",
    ]
    assert [body_of(m).split("\n", 1)[0] for m in messages] == ["Dear Priya,", "Dear Tom,"]
    never_a_robot_or_the_user(messages)
    text = explained(source, "Initech")
    assert "role          Data Engineer" in text
    assert "booked by     Lever" in text


def test_an_ashby_attendee_with_no_safe_name_is_greeted_neutrally(tmp_path: Path) -> None:
    source = calendar(tmp_path, ASHBY)
    messages = drafts(source, "Hooli", tmp_path)
    assert [to_of(m) for m in messages] == [
        "Gavin Belson <gavin@hooli.com>",
        "Richard Hendricks <richard.hendricks@hooli.com>",
        "x7@hooli.com",
    ]
    assert [body_of(m).split("\n", 1)[0] for m in messages] == [
        "Dear Gavin,",
        "Dear Richard,",
        "Hello,",  # "x7@" says no name: no guess
    ]
    assert messages[0]["Subject"] == "Thank you – Staff Engineer at Hooli"
    never_a_robot_or_the_user(messages)


def test_a_calendly_booking_takes_the_company_from_its_event_name_and_never_the_invitee(
    tmp_path: Path,
) -> None:
    source = calendar(tmp_path, CALENDLY)
    step = thank_you_step(source)
    assert step["title"] == "Send Dana a thank-you email"
    messages = drafts(source, "Umbrella", tmp_path)
    assert [to_of(m) for m in messages] == ["Dana Smith <dana@umbrella.com>"]
    assert messages[0]["Subject"] == "Thank you – Backend Engineer at Umbrella Corp"
    never_a_robot_or_the_user(messages)
    text = explained(source, "Umbrella")
    assert "company       Umbrella Corp  (DESCRIPTION: Event Name)" in text


WORKDAY = event(
    "wd-5@myworkday.com",
    "Vorstellungsgespräch – Projektmanager (m/w/d)",
    "Sehr geehrter Herr Doe,\n\nwir freuen uns, Sie zu einem Vorstellungsgespräch für die Stelle"
    " als Projektmanager bei der Kessler AG einzuladen.\n\nIhre Gesprächspartner: Frau Anna Berger"
    " (Teamleitung), Herr Jonas Brandt (Personal)\n\nMit freundlichen Grüßen\nIhr Recruiting-Team",
    "CN=Kessler AG:mailto:kessler@myworkday.com",
    ["CN=Anna Berger:mailto:anna.berger@kessler.de", "mailto:jonas.brandt@kessler.de",
     "CN=Alex Doe:mailto:alex.doe@gmail.com"],
)  # fmt: skip
JUNGLE = event(
    "wttj-2@welcometothejungle.com",
    "Entretien avec Aperture – Chef de projet",
    "Bonjour Alex,\n\nNous avons le plaisir de vous inviter à un entretien pour le poste de Chef"
    " de projet chez Aperture.\n\nVos interlocuteurs : Mme Claire Dubois (Directrice produit),"
    " M. Hugo Martin (CTO)\n\nÀ très bientôt,\nL’équipe Aperture",
    "CN=Welcome to the Jungle:mailto:no-reply@welcometothejungle.com",
    ["CN=Claire Dubois:mailto:claire.dubois@aperture.fr", "mailto:hugo.martin@aperture.fr"],
)
RECRUITEE = event(
    "recruitee-4@recruitee.com",
    "Globex – Interview",
    "Beste Alex,\n\nWe nodigen je graag uit voor een gesprek bij Globex.\n\nFunctie: Data"
    " Analist\nGesprekspartners: Mevrouw Eva de Vries, De heer Bram Jansen\n\n"
    "Met vriendelijke groet,\nHet team van Globex",
    "CN=Recruitee:mailto:no-reply@recruitee.com",
    ["CN=Eva de Vries:mailto:eva.devries@globex.nl", "mailto:bram.jansen@globex.nl"],
)
SMARTRECRUITERS = event(
    "sr-8@smartrecruiters.com",
    "Entrevista: Ingeniera de datos – Initech",
    "Hola Alex,\n\nGracias por tu interés en el puesto de Ingeniera de datos en Initech. Te"
    " confirmamos la entrevista con nuestro equipo.\n\nEntrevistadores: Sra. Lucía Gómez, Sr."
    " Pablo Ruiz\n\nUn saludo,\nEl equipo de Initech",
    "CN=SmartRecruiters:mailto:no-reply@smartrecruiters.com",
    ["CN=Lucía Gómez:mailto:lucia.gomez@initech.es", "mailto:pablo.ruiz@initech.es"],
)


@pytest.mark.parametrize(
    ("invite", "company", "recipients", "salutations", "subject", "phrase"),
    [
        (
            WORKDAY, "Kessler",
            ["Anna Berger <anna.berger@kessler.de>", "Jonas Brandt <jonas.brandt@kessler.de>"],
            ["Sehr geehrte Frau Anna Berger,", "Sehr geehrter Herr Jonas Brandt,"],
            "Vielen Dank – Projektmanager bei Kessler AG",
            "vielen Dank für die Gelegenheit zum Gespräch am 1. Dezember",
        ),
        (
            JUNGLE, "Aperture",
            ["Claire Dubois <claire.dubois@aperture.fr>", "Hugo Martin <hugo.martin@aperture.fr>"],
            ["Madame,", "Monsieur,"],
            "Merci – Chef de projet chez Aperture",
            "Je vous remercie pour l’entretien du mardi 1er décembre",
        ),
        (
            RECRUITEE, "Globex",
            ["Eva de Vries <eva.devries@globex.nl>", "Bram Jansen <bram.jansen@globex.nl>"],
            ["Geachte mevrouw Eva de Vries,", "Geachte heer Bram Jansen,"],
            "Hartelijk dank – Data Analist bij Globex",
            "Hartelijk dank voor het gesprek op dinsdag 1 december",
        ),
        (
            SMARTRECRUITERS, "Initech",
            ["Lucía Gómez <lucia.gomez@initech.es>", "Pablo Ruiz <pablo.ruiz@initech.es>"],
            ["Estimada Sra. Lucía Gómez:", "Estimado Sr. Pablo Ruiz:"],
            "Gracias – Ingeniera de datos en Initech",
            "Muchas gracias por la entrevista del martes 1 de diciembre",
        ),
    ],
    ids=["Workday in German", "Welcome to the Jungle in French", "Recruitee in Dutch",
         "SmartRecruiters in Spanish"],
)  # fmt: skip
def test_an_invitation_in_another_language_gets_its_thank_yous_in_that_language(
    tmp_path: Path,
    invite: str,
    company: str,
    recipients: list[str],
    salutations: list[str],
    subject: str,
    phrase: str,
) -> None:
    source = calendar(tmp_path, invite)
    messages = drafts(source, company, tmp_path)
    assert [to_of(m) for m in messages] == recipients
    assert [body_of(m).split("\n", 1)[0] for m in messages] == salutations
    for message in messages:
        assert message["Subject"] == subject
        assert phrase in body_of(message)
    never_a_robot_or_the_user(messages)


def test_a_scheduled_by_line_naming_the_system_is_not_the_recruiter_and_says_so(
    tmp_path: Path,
) -> None:
    invite = event(
        "gh-2@greenhouse.io",
        "Interview with Acme Corp",
        "Scheduled by: Greenhouse <no-reply@greenhouse.io>\nInterviewers: Sam Lee, Kim Park",
        "CN=Greenhouse:mailto:no-reply@greenhouse.io",
        ["CN=Sam Lee:mailto:sam.lee@acme.com", "CN=Kim Park:mailto:kim.park@acme.com"],
    )
    source = calendar(tmp_path, invite)
    result = run("draft", "Acme", "thank-you", "--from", source, "--now", "2026-12-02T08:00")
    assert result.code == 0, result.err
    assert "'no-reply@greenhouse.io' is Greenhouse's, not a person's; it is not the recruiter" in (
        result.err
    )
    never_a_robot_or_the_user(drafts(source, "Acme", tmp_path))


# Who may stand on an invitation: people at the company, and all that is no person.
PEOPLE_THERE = [
    ("Sam Lee", "sam.lee@acme.com"),
    (None, "kim.park@acme.com"),
    ("Jo Ortiz", "jortiz@acme.com"),
    ("Lee Chen", "lee.chen@greenhouse.io"),  # a Greenhouse employee is a person
]
NO_PERSON = [
    ("Greenhouse", "no-reply@greenhouse.io"),
    (None, "scheduling+a1b2@greenhouse.io"),
    ("Acme Candidate Calendar", "acme.com_c0ffee@group.calendar.google.com"),
    ("Interview Room 4", "c_188@resource.calendar.google.com"),
    ("Calendly", "notifications@calendly.com"),
    ("Acme", "acme@myworkday.com"),
    ("Acme Recruiting", "recruiting@acme.com"),
    (None, "noreply@acme.com"),
]
THE_USER = [("Alex Doe", "alex.doe@gmail.com"), ("Alex Doe", "alex@alexdoe.dev")]
ORGANIZERS = [*NO_PERSON[:6], ("Dana Smith", "dana.smith@acme.com"), THE_USER[1]]


@functools.cache
def default_rules() -> RuleSet:
    return load_rules(ROOT / "rules" / "default.yaml").model_copy(
        update={"timezone": "Europe/Berlin", "sender": Sender(name="Alex Doe")}
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PEOPLE_THERE + NO_PERSON + THE_USER), max_size=10, unique=True),
    st.sampled_from(ORGANIZERS),
    st.sampled_from(["", "Interviewers: Sam Lee, Kim Park", "Invitee: Alex Doe",
                     "Highlights (Sam): the case study", "Recruiter: Dana Smith"]),
)  # fmt: skip
def test_no_draft_is_ever_addressed_to_a_system_a_shared_calendar_a_room_or_the_user(
    attendees: list[tuple[str | None, str]], organizer: tuple[str | None, str], notes: str
) -> None:
    owner = frozenset({"alex@alexdoe.dev"})
    facts = extract_facts(
        "Interview with Acme", notes, Organizer(*organizer), owner_emails=owner,
        attendees=tuple(attendees),
    )  # fmt: skip
    start = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    interview = Interview(
        uid="acme@example.com", recurrence_id=None, summary="Interview with Acme", start=start,
        end=start + timedelta(hours=1), facts=facts, attendees=tuple(attendees),
    )  # fmt: skip
    plan = make_plan(default_rules(), Reading(interviews=(interview,)), start - timedelta(days=1))
    wrong = {address for _, address in NO_PERSON + THE_USER}
    for followup in plan.followups:
        for draft in followup.emails:
            assert draft.to not in wrong, (draft.to, attendees, organizer, notes)
            salutation = draft.body.split("\n", 1)[0]
            for word in ("Greenhouse", "Calendar", "Room", "Calendly", "Recruiting", "Alex"):
                assert word not in salutation, (salutation, attendees, organizer)
    assert all(p.email not in wrong for p in facts.interviewers)


def test_an_onsite_loop_in_one_invite_names_each_interviewer_from_its_itinerary(
    tmp_path: Path,
) -> None:
    invite = event(
        "goodtime-onsite@goodtime.io",
        "Onsite Interview - Globex",
        "Hi Alex,\n\nHere is your onsite itinerary for the Product Manager role at Globex.\n\n"
        "Interview Schedule\n"
        "9:00 AM - 9:45 AM CET: Product Sense with Sam Lee (Group PM)\n"
        "10:00 AM - 10:45 AM CET: Analytics with Kim Park (Data Scientist)\n"
        "11:00 AM - 11:45 AM CET | Execution | Jo Ortiz (Engineering Manager)\n"
        "1:00 PM - 1:45 PM CET: Leadership - Lee Chen, VP Product\n\n"
        "Highlights (Kim Park): the activation metrics case",
        "CN=Globex Candidate Calendar:mailto:globex.com_c0ffee@group.calendar.google.com",
        ["CN=Alex Doe:mailto:alex.doe@gmail.com", "mailto:sam.lee@globex.com"],
        start="20261201T090000",
        end="20261201T134500",
    )
    source = calendar(tmp_path, invite)
    step = thank_you_step(source)
    assert step["title"] == "Send 4 thank-you emails (Sam, Kim, Jo and Lee)"
    result = run("draft", "Globex", "thank-you", "--from", source, "--now", "2026-12-02T08:00")
    assert result.code == 0, result.err
    assert result.out.count("To: Sam Lee <sam.lee@globex.com>\n") == 1  # the attendee's address
    assert result.out.count("To: (no address known)\n") == 3  # named by the itinerary alone
    for greeting in ("Dear Sam,", "Dear Kim,", "Dear Jo,", "Dear Lee,"):
        assert f"\n{greeting}\n" in result.out
    assert "I especially appreciated the activation metrics case." in result.out
    text = explained(source, "Globex")
    assert "DESCRIPTION: Schedule" in text
