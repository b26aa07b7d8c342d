"""Who a message is from, as reply detection reads it from the header block alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from followup.engine.mail.replies import parse_message

RECEIVED = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def header(sender: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: me@example.org\r\nSubject: Re: our interview\r\n"
        "Date: Thu, 03 Dec 2026 09:00:00 +0000\r\nMessage-ID: <1@acme.example>\r\n\r\n"
    ).encode()


def test_one_address_is_the_sender_whatever_the_display_name_says() -> None:
    message = parse_message(7, header('"Dana (ACME)" <Dana@Recruit.Example>'), RECEIVED)
    assert message.sender == "dana@recruit.example"


@pytest.mark.parametrize(
    "sender",
    [
        "dana@acme.example, someone@elsewhere.example",
        "someone@elsewhere.example, dana@acme.example",
    ],
)
def test_a_message_from_two_addresses_is_from_no_one_in_particular(sender: str) -> None:
    """Either could have written it: it is no reply from the recruiter, whichever comes first."""
    assert parse_message(7, header(sender), RECEIVED).sender == ""
