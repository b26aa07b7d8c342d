"""The event's own people are no company, and an invitation's evidence names the employer and
the address to write to when the title does not."""

from __future__ import annotations

from engine.read.facts import Organizer, company_from_title, extract_facts, people_names

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
