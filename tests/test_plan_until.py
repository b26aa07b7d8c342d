"""`followup plan --until`: every follow-up ahead, grouped by interview, as if no answer ever comes."""

from __future__ import annotations

import json

import pytest

from tests.everyday_support import SEARCH, run

NOW = "2026-11-27T08:00"
FOOTER = (
    "Times in Europe/Berlin. The path if no answer comes; "
    "`followup mark INTERVIEW replied` stops a chain.\n"
)


def timeline(*args: str) -> str:
    result = run("plan", "--from", SEARCH, "--now", NOW, *args)
    assert result.code == 0, result.err
    return result.out


@pytest.mark.machine_zone("Europe/Berlin")
def test_the_full_silent_timeline_runs_from_the_interview_to_moving_on() -> None:
    # Hooli's chain ran to its end weeks ago: left out. Initech's stopped at a reply: kept.
    assert timeline("--until", "2027-01-31") == (
        "Phone interview: Initech (Wed 18 Nov 2026 15:00)\n"
        "  Wed 18 Nov 2026 14:30  Prepare your questions for Initech (past)\n"
        "  Wed 18 Nov 2026 16:15  Appraise the Initech interview (past)\n"
        "  Thu 19 Nov 2026 09:00  Send Priya a thank-you email (past)\n"
        "  then nothing more: the status is replied"
        " (the event says Status: heard back – they want references)\n"
        "\n"
        "Globex interview (Thu 26 Nov 2026 18:00)\n"
        "  Thu 26 Nov 2026 17:30  Prepare your questions for Globex (past)\n"
        "  Thu 26 Nov 2026 19:45  Appraise the Globex interview (past)\n"
        "  Fri 27 Nov 2026 09:00  Send Sam a thank-you email\n"
        "  Mon 07 Dec 2026 09:00 .. Thu 10 Dec 2026 09:00"
        "  Check in with Globex about your application\n"
        "  Mon 14 Dec 2026 09:00  Move on from Globex\n"
        "\n"
        "Interview with ACME – Backend Engineer (Tue 01 Dec 2026 10:00)\n"
        "  Tue 01 Dec 2026 09:30  Prepare your questions for ACME\n"
        "  Tue 01 Dec 2026 11:45  Appraise the ACME interview\n"
        "  Wed 02 Dec 2026 09:00  Send Dana a thank-you email\n"
        "  Wed 16 Dec 2026 09:00  Check in with ACME about your application\n"
        "  Wed 23 Dec 2026 09:00  Move on from ACME\n"
        "\n"
        "Not shown: 1 interview whose steps are all done.\n" + FOOTER
    )


def test_steps_after_the_date_are_counted_not_shown() -> None:
    out = timeline("--until", "2026-12-02")
    assert (
        "  Wed 02 Dec 2026 09:00  Send Dana a thank-you email\n  ... and 2 more steps later\n"
    ) in out
    assert "  Mon 07 Dec 2026 09:00" not in out
    assert "  ... and 2 more steps later\n" in out.split("Interview with ACME")[0]


@pytest.mark.machine_zone("Europe/Berlin")
def test_the_until_date_counts_to_the_end_of_that_day() -> None:
    out = timeline("--until", "2026-12-16")
    assert "  Wed 16 Dec 2026 09:00  Check in with ACME about your application\n" in out
    assert "Move on from ACME" not in out


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_reply_in_the_event_ends_the_chain_and_the_timeline_says_why() -> None:
    out = run("plan", "--from", SEARCH, "--now", "2026-11-18T08:00", "--until", "2027-01-31").out
    assert out.split("\n\n")[0] == (
        "Phone interview: Initech (Wed 18 Nov 2026 15:00)\n"
        "  Wed 18 Nov 2026 14:30  Prepare your questions for Initech\n"
        "  Wed 18 Nov 2026 16:15  Appraise the Initech interview\n"
        "  Thu 19 Nov 2026 09:00  Send Priya a thank-you email\n"
        "  then nothing more: the status is replied"
        " (the event says Status: heard back – they want references)"
    )


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_mark_ends_the_chain_in_the_timeline() -> None:
    assert run("mark", "Globex", "rejected", "--from", SEARCH, "--now", NOW).code == 0
    out = timeline("--until", "2027-01-31")
    assert out.split("\n\n")[1] == (
        "Globex interview (Thu 26 Nov 2026 18:00)\n"
        "  Thu 26 Nov 2026 17:30  Prepare your questions for Globex (past)\n"
        "  Thu 26 Nov 2026 19:45  Appraise the Globex interview (past)\n"
        "  Fri 27 Nov 2026 09:00  Send Sam a thank-you email\n"
        "  then nothing more: the status is rejected (recorded with `followup mark`)"
    )


def test_until_with_json_gives_the_same_steps_to_scripts() -> None:
    data = json.loads(timeline("--until", "2026-12-02", "--json"))
    acme = [f["rule"] for f in data["followups"] if f["interview"]["company"] == "ACME"]
    assert acme == ["prepare", "appraise", "thank-you"]


def test_an_until_that_is_not_a_date_is_refused_with_an_example() -> None:
    result = run("plan", "--from", SEARCH, "--until", "next month")
    assert result.code == 2
    assert (
        "Invalid value for --until: 'next month' is neither a date (2026-10-01), today, "
        "tomorrow, nor a span ('6 weeks')" in result.err
    )


@pytest.mark.machine_zone("Europe/Berlin")
@pytest.mark.parametrize(
    ("until", "last", "hidden"),
    [
        ("today", "Tue 01 Dec 2026 11:45", "Wed 02 Dec 2026 09:00"),
        ("tomorrow", "Wed 02 Dec 2026 09:00", "Check in with"),
        ("2 days", "Wed 02 Dec 2026 09:00", "Check in with"),
        ("2026-12-02", "Wed 02 Dec 2026 09:00", "Check in with"),
    ],
)
def test_until_takes_a_date_a_day_word_or_a_span(until: str, last: str, hidden: str) -> None:
    result = run("plan", "--from", SEARCH, "--now", "2026-12-01T08:00", "--until", until)
    assert result.code == 0, result.err
    assert f"  {last}  " in result.out
    later = result.out.split("Interview with ACME", 1)[1]
    assert hidden not in later


def test_since_takes_today_and_leaves_out_earlier_interviews() -> None:
    result = run("plan", "--from", SEARCH, "--now", "2026-12-01T08:00", "--since", "today")
    assert result.code == 0, result.err
    assert "Globex" not in result.out and "ACME" in result.out
