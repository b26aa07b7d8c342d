"""`followup draft`: the email of a step, printed or as an .eml file a mail client opens as a draft."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from engine.model import EmailDraft, Facts
from engine.write.draft import eml_bytes
from tests.everyday_support import SEARCH, run

NOW = "2026-12-01T12:00"

THANK_YOU_BODY = (
    "Dear Dana,\n"
    "\n"
    "Thank you for the conversation about the Backend Engineer role at ACME."
    " I enjoyed it and I remain very interested.\n"
    "\n"
    "I especially appreciated the whiteboard session on event sourcing.\n"
    "\n"
    "The role fits me well: I have run event-sourced systems in production for four years.\n"
    "\n"
    "If there is anything else I can send you, I am happy to do so.\n"
    "\n"
    "Best regards\n"
)


def parsed(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_the_thank_you_draft_is_printed_with_the_recruiter_and_the_highlights() -> None:
    result = run("draft", "ACME", "thank-you", "--from", SEARCH, "--now", NOW)
    assert result.code == 0, result.err
    assert result.out == (
        "To: Dana Smith <dana@acme.example>\n"
        "Subject: Thank you – Backend Engineer at ACME\n"
        "\n" + THANK_YOU_BODY
    )
    assert result.err == ""


def test_an_eml_draft_parses_back_with_its_headers_and_utf8_body(tmp_path: Path) -> None:
    target = tmp_path / "thank-you.eml"
    result = run("draft", "ACME", "thank-you", "-o", str(target), "--from", SEARCH, "--now", NOW)
    assert result.code == 0, result.err
    assert result.out == f"Wrote the thank-you draft to {target}; open it in your mail app.\n"
    message = parsed(target)
    assert message["To"] == "Dana Smith <dana@acme.example>"
    assert message["To"].addresses[0].addr_spec == "dana@acme.example"
    assert message["Subject"] == "Thank you – Backend Engineer at ACME"
    assert message["X-Unsent"] == "1"
    assert message["From"] is None
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content() == THANK_YOU_BODY.replace("\n", "\r\n")  # RFC 5322 line ends
    raw = target.read_bytes()
    assert b"\r\nSubject: Thank you =?utf-8?" in raw  # the en dash is encoded, not raw
    assert raw.isascii()


def test_asking_for_the_status_check_finds_the_fallback_window_step() -> None:
    result = run("draft", "Globex", "status-check", "--from", SEARCH, "--now", NOW)
    assert result.code == 0, result.err
    assert result.out == (
        "To: Sam Lee <sam@globex.example>\n"
        "Subject: Following up – Site Reliability Engineer at Globex\n"
        "\n"
        "Dear Sam,\n"
        "\n"
        "I hope you are well. I wanted to ask where things stand with the Site Reliability"
        " Engineer at Globex. I am still very interested and happy to provide anything else"
        " you need.\n"
        "\n"
        "Best regards\n"
    )


def test_a_status_check_stopped_by_a_reply_has_no_draft_and_says_why() -> None:
    result = run("draft", "Initech", "status-check", "--from", SEARCH, "--now", NOW)
    assert result.code == 2
    assert result.err == (
        "followup: status-check is not planned for Phone interview: Initech: its 'unless' holds:"
        " status is replied (the event says Status: heard back – they want references)\n"
        "  hint: `followup explain` shows every step and why\n"
    )


def test_a_step_without_an_email_names_the_steps_that_have_one() -> None:
    result = run("draft", "ACME", "appraise", "--from", SEARCH, "--now", NOW)
    assert result.code == 2
    assert result.err == (
        "followup: appraise has no email to draft; email steps for it: status-check, thank-you\n"
    )


def test_an_unknown_step_names_the_steps_that_have_an_email() -> None:
    result = run("draft", "ACME", "thanks", "--from", SEARCH, "--now", NOW)
    assert result.code == 2
    assert result.err == (
        "followup: no step 'thanks' in the rules; email steps for it: status-check, thank-you\n"
    )


def test_mailto_prints_a_link_that_opens_the_draft_in_a_mail_app() -> None:
    result = run("draft", "ACME", "thank-you", "--mailto", "--from", SEARCH, "--now", NOW)
    assert result.code == 0, result.err
    link = urlsplit(result.out.strip())
    assert (link.scheme, unquote(link.path)) == ("mailto", "dana@acme.example")
    query = parse_qs(link.query)
    assert query["subject"] == ["Thank you – Backend Engineer at ACME"]
    assert query["body"] == [THANK_YOU_BODY.rstrip("\n")]


def test_a_draft_without_a_known_address_has_no_to_line() -> None:
    data = eml_bytes(EmailDraft(to=None, subject="Grüße", body="Hallo,\n\nDanke!"), Facts())
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["To"] is None
    assert message["Subject"] == "Grüße"
    assert isinstance(message, EmailMessage)
    assert message.get_content() == "Hallo,\r\n\r\nDanke!\r\n"


def test_a_draft_to_someone_else_than_the_recruiter_keeps_the_address_as_written() -> None:
    draft = EmailDraft(to="hr@acme.example", subject="Thanks", body="Hello")
    facts = Facts(recruiter_name="Dana Smith", recruiter_email="dana@acme.example")
    message = email.message_from_bytes(eml_bytes(draft, facts), policy=policy.default)
    assert message["To"] == "hr@acme.example"
