"""The event's own people are no company, and an invitation's evidence names the employer and
the address to write to when the title does not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from followup.engine.model import Interview, Verdict
from followup.engine.pipeline import load_rules, read_ics
from followup.engine.read.facts import Organizer, company_from_title, extract_facts, people_names

ME = "noor.haddad@posteo.net"
ME_AS_GUEST = ("Noor Haddad", ME)


def test_the_users_own_name_in_a_title_is_no_company() -> None:
    facts = extract_facts(
        "Noor Haddad | Data Engineer | Onsite",
        None,
        Organizer("Lindqvist Marine", "lindqvist-marine@mail.lever.co"),
        owner_emails=frozenset({ME}),
        attendees=(ME_AS_GUEST, ("Pia Berg", "pia.berg@lindqvistmarine.se")),
    )
    assert facts.company == "Lindqvist Marine"
    assert facts.role == "Data Engineer"


def test_a_guests_first_name_after_with_is_no_company() -> None:
    facts = extract_facts(
        "Chat with Wendell",
        None,
        Organizer("Wendell Ocampo", "wendell.ocampo@saltmarsh.io"),
        owner_emails=frozenset({ME}),
        attendees=(ME_AS_GUEST,),
    )
    assert facts.company == "Saltmarsh"
    assert facts.recruiter_email == "wendell.ocampo@saltmarsh.io"


def test_the_other_side_of_a_pair_title_is_the_company_once_the_user_is_known() -> None:
    names = people_names(None, (ME_AS_GUEST,), frozenset({ME}))
    assert company_from_title("Noor Haddad <> Quillfeather | Data modelling", names)[0] == (
        "Quillfeather"
    )


def test_a_requisition_number_is_no_company() -> None:
    assert company_from_title("Interview Invitation: Analyst (Req 2031-118)")[0] is None
    assert company_from_title("Panel - Data Analyst (R-7730021)")[0] is None


def test_a_lowercase_part_of_a_title_gives_way_to_a_named_company() -> None:
    assert company_from_title("Onsite Kittiwake Labs – block 2: talk with the CTO")[0] == (
        "Kittiwake Labs"
    )


def test_someone_met_after_with_gives_way_to_the_company_of_the_guests_domain() -> None:
    facts = extract_facts(
        "Letztes Gespräch mit der Geschäftsleitung",
        None,
        Organizer("Ute Sommer", "ute.sommer@falkenried-werke.de"),
        owner_emails=frozenset({ME}),
        attendees=(ME_AS_GUEST,),
    )
    assert facts.company == "Falkenried Werke"


def test_a_system_organizer_named_like_the_guests_domain_is_the_company() -> None:
    facts = extract_facts(
        "Interview: Platform Engineer - Noor Haddad",
        "You will meet the platform team.",
        Organizer("Halvard Shipping Group", "halvardshipping@myworkday.com"),
        owner_emails=frozenset({ME}),
        attendees=(ME_AS_GUEST, ("Ines Roth", "ines.roth@halvardshipping.com")),
    )
    assert facts.company == "Halvard Shipping Group"


def test_an_address_at_the_company_in_a_sentence_of_the_notes_is_the_one_to_write_to() -> None:
    notes = (
        "Hello Noor,\n\nyou will speak with Ines Roth (ines.roth@halvardshipping.com).\n"
        "Any questions? Ask Tomas Lind, tomas.lind@halvardshipping.com, from our people team."
    )
    facts = extract_facts(
        "Technical interview - Halvard Shipping",
        notes,
        Organizer("Halvard Shipping", "no-reply@greenhouse.io"),
        owner_emails=frozenset({ME}),
        attendees=(ME_AS_GUEST, ("Ines Roth", "ines.roth@halvardshipping.com")),
    )
    assert facts.recruiter_email == "tomas.lind@halvardshipping.com"


def test_no_address_to_write_to_comes_from_a_system_a_mail_provider_or_the_user() -> None:
    notes = (
        "Reply to scheduling@greenhouse.io, or write from noor.haddad@posteo.net;\n"
        "a friend at tobi.k@gmail.com may join."
    )
    facts = extract_facts(
        "Technical interview - Halvard Shipping",
        notes,
        Organizer("Halvard Shipping", "no-reply@greenhouse.io"),
        owner_emails=frozenset({ME}),
    )
    assert facts.recruiter_email is None


def _calendar(*events: tuple[str, str, str | None, tuple[str, ...]]) -> bytes:
    """A calendar of (title, organizer address, notes, guest addresses) events, a day apart."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN"]
    for index, (title, organizer, notes, guests) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:r{index}@t",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART:202611{10 + index}T100000Z",
            f"DTEND:202611{10 + index}T110000Z",
            f"SUMMARY:{title}",
            f"ORGANIZER;CN=Someone:mailto:{organizer}",
            f"ATTENDEE;CN=Noor Haddad:mailto:{ME}",
            *(f"ATTENDEE:mailto:{guest}" for guest in guests),
        ]
        if notes:
            lines.append(f"DESCRIPTION:{notes}")
        lines.append("END:VEVENT")
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def _read(data: bytes) -> tuple[Interview, ...]:
    rules = load_rules().model_copy(update={"timezone": "Europe/Berlin"})
    return read_ics(data, rules=rules, now=datetime(2026, 11, 1, tzinfo=UTC), owners=[ME]).events


def test_rounds_that_share_a_companys_mail_domain_are_one_application() -> None:
    found = _read(
        _calendar(
            ("Technical interview - Quillfeather Maps", "ana.ruiz@quillfeather.com", None, ()),
            ("Presentation", "bo.lind@quillfeather.com", None, ()),
        )
    )
    assert [(iv.summary, iv.facts.company) for iv in found if iv.not_counted is None] == [
        ("Technical interview - Quillfeather Maps", "Quillfeather Maps"),
        ("Presentation", "Quillfeather Maps"),
    ]


def test_a_catch_up_with_a_guest_names_the_guests_company_not_the_meeting() -> None:
    facts = extract_facts(
        "Catch-up with Bo",
        None,
        Organizer("Bo Lind", "bo.lind@quillfeather.com"),
        owner_emails=frozenset({ME}),
        attendees=(ME_AS_GUEST,),
    )
    assert facts.company == "Quillfeather"


def test_a_round_takes_the_fuller_name_another_round_gives() -> None:
    found = _read(
        _calendar(
            ("Phone screen - Kittiwake", "ana.ruiz@kittiwake.io", None, ()),
            ("Final interview - Kittiwake Robotics", "ana.ruiz@kittiwake.io", None, ()),
        )
    )
    assert {iv.facts.company for iv in found} == {"Kittiwake Robotics"}


def test_two_employers_named_in_their_titles_keep_their_names() -> None:
    found = _read(
        _calendar(
            ("Interview - Kittiwake Robotics", "ana.ruiz@kittiwake.io", None, ()),
            ("Interview - Saltmarsh Energy", "tom.ek@saltmarsh.io", None, ()),
        )
    )
    assert sorted(iv.facts.company or "" for iv in found) == [
        "Kittiwake Robotics",
        "Saltmarsh Energy",
    ]


def test_the_people_met_by_their_function_are_no_company_in_any_language() -> None:
    for title in (
        "Final interview with the CTO",
        "Gespräch mit dem Vorstand",
        "Entretien avec la direction",
        "Rozmowa z prezesem zarządu",
        "Colloquio con l'amministratore delegato",
    ):
        assert company_from_title(title)[0] is None, title


def test_meeting_the_team_names_the_company_beside_it_in_any_language() -> None:
    assert company_from_title("Koffie met het team Tidewater Bouw")[0] == "Tidewater Bouw"
    assert company_from_title("Obiad z zespołem Bursztyn Soft")[0] == "Bursztyn Soft"


def test_a_word_left_of_a_talk_gives_way_to_the_company_in_brackets() -> None:
    assert company_from_title("Kurzes Telefonat – Data Engineer (Moorland Energie)")[0] == (
        "Moorland Energie"
    )
    assert company_from_title("Telefonische kennismaking Duinrand Zorg")[0] == "Duinrand Zorg"


def test_the_side_of_a_pair_title_beside_the_mark_is_the_company() -> None:
    assert company_from_title("Ola Nordmann <> Fjellbank | Python & Pandas")[0] == "Fjellbank"


def test_a_role_written_in_inclusive_form_is_a_role() -> None:
    assert company_from_title("Échange – Développeur·se backend (Rhône Conseil)") == (
        "Rhône Conseil",
        "Développeur·se backend",
    )


def test_an_address_in_the_notes_tells_the_companys_name_from_a_look_alike_word() -> None:
    from followup.engine.pipeline import matcher_for
    from followup.engine.read.recognise import Event, recognise

    event = Event(
        summary="Kestrel Radio – first call",
        description="Thank you for applying. Questions: ana.ruiz@kestrelradio.com",
        organizer=("Kestrel Radio", "no-reply@smartrecruiters.com"),
        company="Kestrel Radio",
    )
    verdict = recognise(event, words=matcher_for(load_rules()).recognition).verdict
    assert verdict.outcome == "counted"
    assert not verdict.against


def test_a_booking_pages_own_title_in_the_notes_is_weighed_like_the_title() -> None:
    from followup.engine.pipeline import matcher_for
    from followup.engine.read.recognise import Event, recognise

    words = matcher_for(load_rules()).recognition
    for notes in (
        "Event Name: Intro call - Data Engineer\n\nJoin by video.",
        "Nom de l'événement : Premier entretien – Data Engineer",
        "Temat: Rozmowa rekrutacyjna – Data Engineer",
    ):
        event = Event(
            summary="Noor Haddad and Pia Berg",
            description=notes,
            organizer=("Pia Berg", "pia.berg@lindqvistmarine.se"),
            attendees=(ME_AS_GUEST,),
        )
        assert recognise(event, words=words, owners=frozenset({ME})).verdict.outcome != (
            "ignored"
        ), notes


def test_a_colleague_interviewing_a_candidate_with_the_user_is_not_the_users_interview() -> None:
    from followup.engine.pipeline import matcher_for
    from followup.engine.read.recognise import Event, recognise

    work = "noor.haddad@harbourpay.de"
    event = Event(
        summary="Vorstellungsgespräch Praktikum Data – Lea Brandt",
        description="Noor, übernimmst du die technischen Fragen?",
        organizer=("Jens Ott", "jens.ott@harbourpay.de"),
        attendees=(("Noor Haddad", work), ("Lea Brandt", "lea.brandt@uni-mannheim.de")),
    )
    verdict = recognise(
        event, words=matcher_for(load_rules()).recognition, owners=frozenset({ME, work})
    ).verdict
    assert verdict.outcome != "counted"
    assert any("own hiring" in reason for reason in verdict.against)


def test_a_talk_of_a_counted_application_is_counted_on_its_rounds() -> None:
    found = _read(
        _calendar(
            ("Technical interview - Quillfeather Maps", "ana.ruiz@quillfeather.com", None, ()),
            ("Quillfeather Maps – Gespräch", "bo.lind@quillfeather.com", None, ()),
        )
    )
    talk = next(iv for iv in found if iv.summary.endswith("Gespräch"))
    assert talk.not_counted is None
    assert any("like your Quillfeather Maps interviews" in r for r in talk.verdict.reasons)


def test_an_offer_of_a_counted_application_is_not_counted_on_its_rounds() -> None:
    found = _read(
        _calendar(
            ("Technical interview - Quillfeather Maps", "ana.ruiz@quillfeather.com", None, ()),
            ("Offer Quillfeather Maps", "ana.ruiz@quillfeather.com", None, ()),
        )
    )
    offer = next(iv for iv in found if iv.summary.startswith("Offer"))
    assert offer.not_counted is not None


def _verdict(summary: str, notes: str | None, organizer: tuple[str, str]) -> Verdict:
    from followup.engine.pipeline import matcher_for
    from followup.engine.read.recognise import Event, recognise

    event = Event(summary=summary, description=notes, organizer=organizer, attendees=(ME_AS_GUEST,))
    words = matcher_for(load_rules()).recognition
    return recognise(event, words=words, owners=frozenset({ME})).verdict


def test_an_interview_whose_notes_name_a_newspaper_is_a_press_interview() -> None:
    verdict = _verdict(
        "Interview – remote work across borders",
        "A reporter from the Harbour Gazette newspaper will call you for a feature.",
        ("Rui Lopes", "rui.lopes@harbourgazette.pt"),
    )
    assert verdict.outcome != "counted"
    assert any("press" in reason for reason in verdict.against)


def test_a_company_named_like_a_newspaper_in_its_own_invitation_is_no_press() -> None:
    verdict = _verdict(
        "Interview – Data Engineer",
        "Thank you for applying to Evening Press Media. Your interview is with our data team.",
        ("Ana Ruiz", "ana.ruiz@eveningpress.com"),
    )
    assert verdict.outcome == "counted"


def test_coffee_with_the_team_is_meeting_the_team_not_networking() -> None:
    verdict = _verdict(
        "Koffie met het team Tidewater Bouw",
        None,
        ("Eva Bos", "eva.bos@tidewaterbouw.nl"),
    )
    assert not verdict.against
    assert verdict.outcome != "ignored"


def test_a_connector_before_an_article_names_who_is_met() -> None:
    assert company_from_title("Onsite Brisa Telecom – part 2: conversa com o Diretor Técnico")[
        0
    ] == ("Brisa Telecom")


def test_the_side_beside_the_mark_wins_even_when_it_reads_like_a_name() -> None:
    names = people_names(None, (ME_AS_GUEST,), frozenset({ME}))
    assert company_from_title("Noor Haddad <> Kelp Labs | SQL & Pandas", names)[0] == "Kelp Labs"


def test_a_round_that_names_no_recruiter_writes_to_the_applications_recruiter() -> None:
    found = _read(
        _calendar(
            (
                "Phone screen - Quillfeather Maps",
                "no-reply@greenhouse.io",
                "Recruiter: Ana Ruiz <ana.ruiz@quillfeather.com>",
                ("bo.lind@quillfeather.com",),
            ),
            (
                "Panel - Quillfeather Maps",
                "no-reply@greenhouse.io",
                "Your interviewers: Bo Lind",
                ("bo.lind@quillfeather.com",),
            ),
        )
    )
    panel = next(iv for iv in found if iv.summary.startswith("Panel"))
    assert panel.facts.recruiter_email == "ana.ruiz@quillfeather.com"
    assert panel.facts.source_of("recruiter_email") == "the other rounds of the application"


def test_the_users_own_address_in_a_booking_is_never_the_one_to_write_to() -> None:
    facts = extract_facts(
        "Noor Haddad and Pia Berg",
        "Invitee: Noor Haddad\nEmail: noor.haddad@posteo.net",
        Organizer("Pia Berg", "pia.berg@lindqvistmarine.se"),
        owner_emails=frozenset({ME}),
        attendees=(ME_AS_GUEST,),
    )
    assert facts.recruiter_email == "pia.berg@lindqvistmarine.se"


def test_the_companys_name_as_the_notes_write_it_is_read_where_its_domain_spells_it() -> None:
    facts = extract_facts(
        "Letztes Gespräch mit der Geschäftsleitung",
        "Vielen Dank für Ihr Interesse an Falkenried Werke GmbH. Wir melden uns.",
        Organizer("Ute Sommer", "ute.sommer@falkenriedwerke.de"),
        owner_emails=frozenset({ME}),
        attendees=(ME_AS_GUEST,),
    )
    assert facts.company == "Falkenried Werke"


def test_capitalised_words_no_domain_spells_are_no_company_name() -> None:
    facts = extract_facts(
        "Letztes Gespräch mit der Geschäftsleitung",
        "Bitte bringen Sie Ihren Ausweis mit. Treffpunkt Empfang Nord.",
        Organizer("Ute Sommer", "ute.sommer@falkenriedwerke.de"),
        owner_emails=frozenset({ME}),
        attendees=(ME_AS_GUEST,),
    )
    assert facts.company == "Falkenriedwerke"


def test_a_look_alike_word_of_another_language_written_with_other_accents_is_no_look_alike() -> (
    None
):
    verdict = _verdict(
        "Revisión del caso práctico – Alba Datos",
        "Gracias por tu candidatura. Te daremos una respuesta el viernes.",
        ("Eva Gil", "eva.gil@albadatos.es"),
    )
    assert not verdict.against
    assert verdict.outcome == "counted"


def test_a_look_alike_word_written_without_accents_still_weighs_against() -> None:
    verdict = _verdict(
        "Préparation entretien Maison Verte",
        None,
        ("Luc Roy", "luc.roy@gmail.com"),
    )
    assert verdict.against


def test_the_review_of_a_test_names_no_company_in_any_language() -> None:
    for title in ("Revisión de la prueba técnica", "Revisão do teste prático", "Omówienie zadania"):
        assert company_from_title(title)[0] is None, title


def test_a_catch_up_from_the_recruiters_domain_stays_listed_but_a_named_talk_is_a_round() -> None:
    found = _read(
        _calendar(
            ("Technical interview - Quillfeather Maps", "ana.ruiz@quillfeather.com", None, ()),
            ("Catch-up", "ana.ruiz@quillfeather.com", None, ()),
            ("Noor Haddad <> Quillfeather Maps", "bo.lind@quillfeather.com", None, ()),
        )
    )
    by_title = {iv.summary: iv for iv in found}
    assert by_title["Catch-up"].not_counted is not None
    assert by_title["Noor Haddad <> Quillfeather Maps"].not_counted is None


def test_an_address_written_in_the_notes_brings_the_name_written_before_it() -> None:
    facts = extract_facts(
        "Portfolio review - Quillfeather Press",
        "Questions? Write to Emily Carter (emily.carter@quillfeather.example) any time.",
        None,
        owner_emails=frozenset({ME}),
    )
    assert facts.recruiter_email == "emily.carter@quillfeather.example"
    assert facts.recruiter_name == "Emily Carter"
    plain = extract_facts(
        "Portfolio review - Quillfeather Press",
        "Questions? Write to careers-team: emily.carter@quillfeather.example",
        None,
        owner_emails=frozenset({ME}),
    )
    assert plain.recruiter_email == "emily.carter@quillfeather.example"
    assert plain.recruiter_name is None  # no person's name stands before it


@pytest.mark.parametrize(
    "line",
    [
        "Any questions, please contact Ellie Dawson, People Partner: ellie.dawson@coralpress.example",
        "Any questions? Contact Ellie Dawson, Talent Partner: ellie.dawson@coralpress.example",
        "Questions: Ellie Dawson – Recruiter – ellie.dawson@coralpress.example",
        "Recruiter: Ellie Dawson <ellie.dawson@coralpress.example>",
        "Ellie Dawson | HR | ellie.dawson@coralpress.example",
    ],
)
def test_the_name_before_an_address_leaves_out_the_role_and_the_contact_word(line: str) -> None:
    facts = extract_facts("Interview - Coral Press", line, None, owner_emails=frozenset({ME}))
    assert facts.recruiter_email == "ellie.dawson@coralpress.example"
    assert facts.recruiter_name == "Ellie Dawson"


def test_a_company_sending_through_a_scheduling_system_is_no_recruiter() -> None:
    """ "Coral Press via Workable" names the company: the contact in the notes is the one to
    write to; "Dana Smith via Greenhouse" is still the recruiter."""
    notes = (
        "Any questions, please contact Ellie Dawson, People Partner: ellie.dawson@coralpress.co.uk"
    )
    facts = extract_facts(
        "Meet the team – Senior Product Manager",
        notes,
        Organizer("Coral Press via Workable", "noreply@workable.com"),
        owner_emails=frozenset({ME}),
    )
    assert (facts.company, facts.recruiter_name) == ("Coral Press", "Ellie Dawson")
    assert facts.recruiter_email == "ellie.dawson@coralpress.co.uk"
    person = extract_facts(
        "Meet the team – Senior Product Manager",
        "See you soon.",
        Organizer("Dana Smith via Workable", "noreply@workable.com"),
        owner_emails=frozenset({ME}),
        attendees=(("Dana Smith", "dana@smith-partners.example"),),  # her name spells it in part
    )
    assert person.recruiter_name == "Dana Smith"


def test_a_guest_the_notes_name_beside_a_recruiting_role_is_the_one_to_write_to() -> None:
    guests = (
        ("Ines Vidal", "ines.vidal@corvomaps.com"),
        ("Tomas Berg", "tomas.berg@corvomaps.com"),
        ("Lea Park", "lea.park@fastmail.com"),
    )
    facts = extract_facts(
        "Lea Park - Design Interview",
        "Your interview with Tomas Berg and Ines Vidal, Talent Acquisition at Corvo Maps, "
        "is booked.",
        Organizer("Corvo Hiring", "hiring@corvomaps.com"),
        owner_emails=frozenset({"lea.park@fastmail.com"}),
        attendees=guests,
    )
    assert facts.recruiter_email == "ines.vidal@corvomaps.com"
    plain = extract_facts(
        "Lea Park - Design Interview",
        "Your interview with Tomas Berg, who leads design.",
        Organizer("Corvo Hiring", "hiring@corvomaps.com"),
        owner_emails=frozenset({"lea.park@fastmail.com"}),
        attendees=guests,
    )
    assert plain.recruiter_email != "tomas.berg@corvomaps.com"


def test_the_one_interviewer_is_the_contact_only_when_no_one_else_at_the_company_writes() -> None:
    guests = (("Lea Park", "lea.park@fastmail.com"), ("Omar Diaz", "omar.diaz@corvomaps.com"))
    user = frozenset({"lea.park@fastmail.com"})
    notes = "Interviewer: Omar Diaz, Staff Engineer\nA live coding exercise."
    sent_by_recruiter = extract_facts(
        "Corvo Maps – Coding",
        notes,
        Organizer("Rita Sousa", "rita.sousa@corvomaps.com"),
        owner_emails=user,
        attendees=guests,
    )
    assert sent_by_recruiter.recruiter_email == "rita.sousa@corvomaps.com"
    coordinator = extract_facts(
        "Corvo Maps – Coding",
        f"{notes}\nTo move it, write to your coordinator at nina.holt@corvomaps.com",
        Organizer("Corvo Scheduling", "scheduling@corvomaps.goodtime.io"),
        owner_emails=user,
        attendees=guests,
    )
    assert coordinator.recruiter_email == "nina.holt@corvomaps.com"
    alone = extract_facts(
        "Corvo Maps – Coding",
        notes,
        Organizer("Corvo Scheduling", "scheduling@corvomaps.goodtime.io"),
        owner_emails=user,
        attendees=guests,
    )
    assert alone.recruiter_email == "omar.diaz@corvomaps.com"


@pytest.mark.parametrize(
    "title",
    ["Noor / Dr. Ana Ruiz", "Noor Haddad and Ana Ruiz", "Noor & Ana Ruiz"],
)
def test_a_meeting_of_two_people_from_a_counted_recruiters_domain_is_a_round(title: str) -> None:
    found = _read(
        _calendar(
            ("Technical interview - Quillfeather Maps", "ana.ruiz@quillfeather.com", None, ()),
            (title, "ana.ruiz@quillfeather.com", None, ()),
        )
    )
    pair = next(iv for iv in found if iv.summary == title)
    assert pair.verdict.outcome == "counted"
    assert pair.facts.company == "Quillfeather Maps"


def test_a_contract_signing_from_a_counted_recruiters_domain_is_not_a_round() -> None:
    found = _read(
        _calendar(
            ("Technical interview - Quillfeather Maps", "ana.ruiz@quillfeather.com", None, ()),
            ("Contract signing Quillfeather", "ana.ruiz@quillfeather.com", None, ()),
        )
    )
    assert all(iv.verdict.outcome != "counted" for iv in found if iv.summary.startswith("Contract"))
