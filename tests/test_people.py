"""The vocabulary of who is a person at the company (engine/people.py, engine/data/senders.toml)."""

from __future__ import annotations

import pytest

from engine.people import domain_of, is_free_mail, is_robot, is_shared_sender, system_for


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
