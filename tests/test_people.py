"""The vocabulary of who is a person at the company (engine/people.py, engine/data/senders.toml)."""

from __future__ import annotations

import pytest

from followup.engine.people import (
    booked_by,
    company_of_calendar,
    domain_of,
    is_free_mail,
    is_person,
    is_robot,
    is_shared_sender,
    is_team,
    name_from_address,
    reads_as_person,
    senders,
    system_for,
)


@pytest.mark.parametrize(
    ("address", "system"),
    [
        ("no-reply@greenhouse.io", "Greenhouse"),
        ("notifications@us.greenhouse-mail.io", "Greenhouse"),
        ("no-reply@hire.lever.co", "Lever"),
        ("scheduling@ashbyhq.com", "Ashby"),
        ("acme@myworkday.com", "Workday"),
        ("notifications@calendly.com", "Calendly"),
        ("JANE@GOODTIME.IO", "GoodTime"),
    ],
)
def test_a_scheduling_system_is_known_by_its_domain(address: str, system: str) -> None:
    assert system_for(address) == system


@pytest.mark.parametrize(
    "address",
    ["jane@acme.com", "jane@notgreenhouse.io", "jane@greenhouse.io.evil.net", "jane", "", None],
)
def test_a_company_address_is_no_system(address: str | None) -> None:
    assert system_for(address) is None


def test_every_listed_domain_and_its_subdomains_belong_to_the_first_system_listing_it() -> None:
    listed = senders().systems
    for _, domains in listed:
        for domain in domains:
            first = next(n for n, ds in listed if domain in ds)
            assert system_for(f"jane@{domain}") == first
            assert system_for(f"jane@eu.mail.{domain}.") == first
            assert system_for(f"jane@{domain}.evil.example") is None  # no subdomain of it


def test_free_mail_is_known_by_address_or_domain() -> None:
    assert is_free_mail("sam@gmail.com")
    assert is_free_mail("GMX.de")
    assert is_free_mail("x@example.com")
    assert not is_free_mail("sam@globex.com")
    assert not is_free_mail(None)


@pytest.mark.parametrize(
    ("name", "address"),
    [
        (None, "no-reply@globex.com"),
        (None, "noreply-recruiting@globex.com"),
        ("Globex Candidate Calendar", "candidates@globex.com"),
        ("Interview Room 4", "room4@globex.com"),
        ("Besprechungsraum Berlin", "raum.berlin@kessler.de"),
        ("Greenhouse Scheduler", "x@globex.com"),
    ],
)
def test_robots_shared_calendars_and_rooms_are_no_person(name: str | None, address: str) -> None:
    assert is_robot(name, address)


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("Sam Lee", "sam.lee@globex.com"),
        ("Anna Kalendarová", "anna@acme.cz"),
        (None, "jo@acme.com"),
    ],
)
def test_people_are_no_robots(name: str | None, address: str) -> None:
    assert not is_robot(name, address)


def test_shared_senders_are_providers_and_systems() -> None:
    assert is_shared_sender("a@gmail.com")
    assert is_shared_sender("no-reply@greenhouse.io")
    assert not is_shared_sender("sam@globex.com")
    assert domain_of("Sam@Globex.COM.") == "globex.com"


@pytest.mark.parametrize(
    ("name", "address"),
    [
        (None, "scheduling+ab12cd@greenhouse.io"),
        ("Globex Candidate Calendar", "globex.com_c0ffee@group.calendar.google.com"),
        (None, "c_188@resource.calendar.google.com"),
        ("Berlin - Room 4 (6)", "c_188@resource.calendar.google.com"),
    ],
)
def test_tagged_robots_google_shared_calendars_and_rooms_are_no_person(
    name: str | None, address: str
) -> None:
    assert is_robot(name, address)
    assert not is_person(name, address)


@pytest.mark.parametrize(
    "name", ["Globex Recruiting", "Acme Talent Team", "Kessler Personalabteilung"]
)
def test_a_teams_mailbox_is_no_person(name: str) -> None:
    assert is_team(name)
    assert not is_person(name, "jobs@globex.com")
    assert not reads_as_person(name)


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("sam.lee@globex.com", "Sam Lee"),
        ("ANNA_BERGER@kessler.de", "Anna Berger"),
        ("jo@globex.com", None),  # one part: maybe a first name, maybe not
        ("sl2@globex.com", None),  # digits
        ("sam.j.lee@globex.com", None),  # three parts
        ("s.lee@globex.com", None),  # an initial is not a name
        ("info@globex.com", None),
        (None, None),
    ],
)
def test_a_name_is_read_from_an_address_only_when_that_is_safe(
    address: str | None, name: str | None
) -> None:
    assert name_from_address(address) == name


@pytest.mark.parametrize(
    ("name", "address", "system"),
    [
        ("Greenhouse", "no-reply@greenhouse.io", "Greenhouse"),
        (None, "notifications@calendly.com", "Calendly"),
        ("Acme", "acme@myworkday.com", "Workday"),
        ("Initech Talent Team", "no-reply@hire.lever.co", "Lever"),
        ("Dana Smith via Greenhouse", "no-reply@greenhouse.io", "Greenhouse"),
        ("Globex Candidate Calendar", "globex@group.calendar.google.com", "Globex Candidate Calendar"),
    ],
)  # fmt: skip
def test_an_invite_sent_in_no_persons_name_is_booked_by_its_system_or_calendar(
    name: str | None, address: str, system: str
) -> None:
    assert booked_by(name, address) == system


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("Sam Lee", "sam.lee@greenhouse.io"),  # a Greenhouse employee interviewing you
        ("Kim Park", "kim_park@lever.co"),
        ("Dana Smith", "dana@acme.com"),
    ],
)
def test_a_person_at_a_scheduling_company_is_a_person(name: str, address: str) -> None:
    assert booked_by(name, address) is None
    assert is_person(name, address)


@pytest.mark.parametrize(
    ("name", "company"),
    [
        ("Globex Candidate Calendar", "Globex"),
        ("Acme Recruiting", "Acme"),
        ("Interview Room 4", None),
        ("Calendar", None),
        ("Sam Lee", None),  # no calendar word: not a calendar's name
    ],
)
def test_a_shared_calendar_is_named_after_its_company(name: str, company: str | None) -> None:
    assert company_of_calendar(name) == company


def test_a_shared_calendars_domain_ties_no_interview_to_a_company() -> None:
    assert is_shared_sender("globex@group.calendar.google.com")
    assert not is_shared_sender("sam@calendar-shop.com")
