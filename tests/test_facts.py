"""Facts about an interview from its description, organizer and title."""

from __future__ import annotations

import pytest

from followup.engine.read.facts import Organizer, company_from_title, extract_facts, parse_recruiter


@pytest.mark.parametrize(
    ("title", "company", "role"),
    [
        ("Interview with ACME", "ACME", None),
        ("ACME interview", "ACME", None),
        ("Interview at ACME", "ACME", None),
        ("Interview: ACME – Backend Engineer", "ACME", "Backend Engineer"),
        ("Onsite interview — ACME (round 2)", "ACME", None),
        ("ACME Technical Interview", "ACME", None),
        ("Interview for Backend Engineer at ACME", "ACME", "Backend Engineer"),
        ("Backend Engineer interview with ACME", "ACME", "Backend Engineer"),
        ("Interview with ACME for Senior Backend Engineer", "ACME", "Senior Backend Engineer"),
        ("Interview with Jane Doe from ACME", "ACME", None),
        ("ACME - Backend Engineer interview", "ACME", "Backend Engineer"),
        ("Interview | Globex | Staff SRE", "Globex", "Staff SRE"),
        ("2nd round interview at Initech", "Initech", None),
        ("Final round interview with ACME Corp.", "ACME Corp", None),
        ("Interview loop: Fabrikam", "Fabrikam", None),
        ("ACME: phone screen", "ACME", None),
        ("Interview (Tyrell)", "Tyrell", None),
        ("Stark Industries take-home interview", "Stark Industries", None),
        (
            "Invitation: Interview with ACME @ Tue Dec 1, 2026 10am - 11am (CET) (me@example.com)",
            "ACME",
            None,
        ),
    ],
)
def test_the_company_is_read_from_common_titles(title: str, company: str, role: str | None) -> None:
    assert company_from_title(title) == (company, role)


@pytest.mark.parametrize(
    "title",
    [
        "Interview",
        "Phone interview",
        "Final round interview",
        "Interview (round 2)",
        "Interview (Zoom)",
        "Mock interview prep",
        "Lunch",
        "interview - 2",
    ],
)
def test_titles_that_name_no_company_give_none_never_the_word_interview(title: str) -> None:
    assert company_from_title(title) == (None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jane Doe <jane@acme.example>", ("Jane Doe", "jane@acme.example")),
        ("jane@acme.example", (None, "jane@acme.example")),
        ("Jane Doe", ("Jane Doe", None)),
        ("Jane Doe (jane@acme.example)", ("Jane Doe", "jane@acme.example")),
        ("Jane Doe, mailto:jane@acme.example", ("Jane Doe", "jane@acme.example")),
    ],
)
def test_a_recruiter_line_gives_a_name_an_email_or_both(
    value: str, expected: tuple[str | None, str | None]
) -> None:
    assert parse_recruiter(value) == expected


def test_description_keys_are_case_insensitive_and_have_aliases() -> None:
    facts = extract_facts(
        "Call",
        "COMPANY: ACME\nposition: SRE\nRecruiter-Email: jane@acme.example\n"
        "Decision by: December 10\nSTATUS: offer\nWhy: the team\nNotes: ask about on-call",
    )
    assert (facts.company, facts.role, facts.recruiter_email) == (
        "ACME",
        "SRE",
        "jane@acme.example",
    )
    assert (facts.timeline, facts.status, facts.fit, facts.note) == (
        "December 10",
        "offer",
        "the team",
        "ask about on-call",
    )
    assert facts.recruiter_name is None


def test_bulleted_and_bold_keys_are_read() -> None:
    facts = extract_facts("Interview", "- **Company:** ACME\n• Role: SRE\n* Timeline: 3 weeks")
    assert (facts.company, facts.role, facts.timeline) == ("ACME", "SRE", "3 weeks")


def test_a_key_without_a_value_takes_the_lines_below_it_up_to_a_blank_line() -> None:
    facts = extract_facts(
        "Interview", "Highlights:\n- shipped X\n- cut costs\n\nJoin: https://meet.example/abc"
    )
    assert facts.highlights == "- shipped X\n- cut costs"
    assert facts.note is None


def test_the_first_line_for_a_fact_wins() -> None:
    facts = extract_facts("Interview", "Company: ACME\nCompany: Globex")
    assert facts.company == "ACME"


def test_html_descriptions_are_read_as_text() -> None:
    facts = extract_facts(
        "Interview", "<p>Company: ACME&amp;Co</p><ul><li>Role: SRE</li></ul>Timeline: 2 weeks<br>"
    )
    assert (facts.company, facts.role, facts.timeline) == ("ACME&Co", "SRE", "2 weeks")


def test_the_organizer_is_the_recruiter_when_the_description_names_none() -> None:
    facts = extract_facts("Interview with ACME", None, Organizer("Jane Doe", "jane@acme.example"))
    assert (facts.recruiter_name, facts.recruiter_email) == ("Jane Doe", "jane@acme.example")
    assert facts.sources == (
        ("recruiter_name", "ORGANIZER"),
        ("recruiter_email", "ORGANIZER"),
        ("company", "SUMMARY"),
    )


def test_the_organizer_fills_in_the_email_of_the_recruiter_it_names() -> None:
    facts = extract_facts(
        "Interview", "Recruiter: Jane Doe", Organizer("jane doe", "jane@acme.example")
    )
    assert (facts.recruiter_name, facts.recruiter_email) == ("Jane Doe", "jane@acme.example")
    assert facts.source_of("recruiter_name") == "DESCRIPTION"
    assert facts.source_of("recruiter_email") == "ORGANIZER"


def test_an_organizer_who_is_someone_else_than_the_named_recruiter_is_ignored() -> None:
    facts = extract_facts(
        "Interview", "Recruiter: Tom Becker", Organizer("Jane Doe", "jane@acme.example")
    )
    assert (facts.recruiter_name, facts.recruiter_email) == ("Tom Becker", None)


def test_the_calendar_owner_as_organizer_is_not_the_recruiter() -> None:
    facts = extract_facts(
        "Interview with ACME",
        None,
        Organizer(None, "Me@Example.com"),
        owner_emails=frozenset({"me@example.com"}),
    )
    assert (facts.recruiter_name, facts.recruiter_email) == (None, None)


def test_a_company_in_the_description_beats_the_title() -> None:
    facts = extract_facts("Interview with Jane", "Company: ACME")
    assert facts.company == "ACME"
    assert facts.source_of("company") == "DESCRIPTION"


def test_the_recruiters_name_in_the_title_is_not_taken_for_the_company() -> None:
    facts = extract_facts("Interview with Jane Doe", "Recruiter: Jane Doe")
    assert facts.company is None


def test_missing_facts_are_none() -> None:
    facts = extract_facts("Interview", None)
    assert facts == type(facts)()
