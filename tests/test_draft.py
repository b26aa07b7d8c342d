"""`followup draft`: the email of a step, printed or as an .eml file a mail client opens as a draft."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from followup.engine.model import MAILTO_NOTE, MAILTO_NOTES, EmailDraft, Facts
from followup.engine.write.draft import eml_bytes
from tests.conftest import ROOT
from tests.everyday_support import EVERYDAY, SEARCH, run

NOW = "2026-12-01T12:00"

THANK_YOU_BODY = (
    "Dear Dana,\n"
    "\n"
    "Thank you for the opportunity to interview for the Backend Engineer role at ACME"
    " on Tuesday 1 December. I enjoyed our conversation, and I remain very interested in"
    " the role.\n"
    "\n"
    "I especially appreciated the whiteboard session on event sourcing.\n"
    "\n"
    "The role fits both what I want to do next and what I can bring: I have run"
    " event-sourced systems in production for four years.\n"
    "\n"
    "If there is anything else I can send you, such as references or work samples,"
    " I am happy to do so. I look forward to hearing from you.\n"
    "\n"
    "Best regards\n"
)

UNSIGNED = (
    "note: the draft is not signed; `followup init --name` (or 'sender: {name: ...}'"
    " in your rules) puts your name under it.\n"
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
    assert result.err == UNSIGNED


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
        "Subject: Following up on my application – Site Reliability Engineer at Globex\n"
        "\n"
        "Dear Sam,\n"
        "\n"
        "I hope you are well. I am writing about our conversation on Thursday 26 November"
        " about the Site Reliability Engineer role at Globex. Could you tell me at what stage"
        " the process is?\n"
        "\n"
        "I remain very interested in the role and am happy to provide anything else you need."
        " I look forward to hearing from you.\n"
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


GERMAN = str(EVERYDAY / "drafts-de.ics")
GERMAN_RULES = str(ROOT / "rules" / "default.de.yaml")


def test_draft_refuses_to_replace_an_existing_file_and_force_replaces_it(tmp_path: Path) -> None:
    target = tmp_path / "thank-you.eml"
    target.write_text("my own edits")
    args = ("draft", "ACME", "thank-you", "-o", str(target), "--from", SEARCH, "--now", NOW)
    refused = run(*args)
    assert refused.code == 7
    assert refused.err.startswith(
        f"followup: {target} exists; it is not replaced\n  hint: add --force to replace it\n"
    )
    assert target.read_text() == "my own edits"
    forced = run(*args, "--force")
    assert forced.code == 0, forced.err
    assert parsed(target)["To"] == "Dana Smith <dana@acme.example>"


def test_draft_never_writes_through_a_link_that_is_already_there(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not a draft")
    link = tmp_path / "thank-you.eml"
    link.symlink_to(elsewhere)
    result = run("draft", "ACME", "thank-you", "-o", str(link), "--from", SEARCH, "--now", NOW)
    assert result.code == 7
    assert elsewhere.read_text() == "not a draft"


def test_draft_never_creates_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "drafts" / "thank-you.eml"
    result = run("draft", "ACME", "thank-you", "-o", str(target), "--from", SEARCH, "--now", NOW)
    assert result.code == 7
    assert "is not a folder that exists; followup does not create folders" in result.err
    assert not (tmp_path / "drafts").exists()


def test_a_german_eml_draft_has_one_recipient_the_right_one_and_a_utf8_subject(
    tmp_path: Path,
) -> None:
    for step, subject in (
        ("thank-you", "Vielen Dank – Backend-Entwicklerin bei Initech"),
        ("status-check", "Nachfrage zu meiner Bewerbung – Backend-Entwicklerin bei Initech"),
    ):
        target = tmp_path / f"{step}.eml"
        result = run(
            "draft", "Initech", step, "-o", str(target), "--from", GERMAN,
            "--rules", GERMAN_RULES, "--now", "2026-12-14T08:00",
        )  # fmt: skip
        assert result.code == 0, result.err
        message = parsed(target)
        assert [a.addr_spec for a in message["To"].addresses] == ["berger@initech.example"]
        assert message["To"].addresses[0].display_name == "Frau Berger"
        assert message["Subject"] == subject
        assert message["X-Unsent"] == "1" and message["From"] is None
        assert message.get_content().startswith("Sehr geehrte Frau Berger,\r\n\r\n")
        assert target.read_bytes().isascii()  # headers encoded, body in quoted-printable or base64


def test_a_mailto_link_stays_within_2000_characters_and_says_it_was_shortened(
    tmp_path: Path,
) -> None:
    notes = "\\n".join(f"- point {n}: the whiteboard session on event sourcing" for n in range(60))
    calendar = tmp_path / "long.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:long@example.com\r\nDTSTAMP:20261125T120000Z\r\n"
        "DTSTART;TZID=Europe/Berlin:20261201T100000\r\n"
        "DTEND;TZID=Europe/Berlin:20261201T110000\r\nSUMMARY:Interview with ACME\r\n"
        f"DESCRIPTION:Recruiter: Dana <dana@acme.example>\\nHighlights:\\n{notes}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    full = run("draft", "ACME", "thank-you", "--from", str(calendar), "--now", NOW)
    result = run("draft", "ACME", "thank-you", "--mailto", "--from", str(calendar), "--now", NOW)
    assert result.code == 0, result.err
    link = result.out.strip()
    assert len(link) <= 2000 < len(EmailDraft("dana@acme.example", "s", full.out).mailto(10**6))
    body = parse_qs(urlsplit(link).query)["body"][0]
    kept, note = body.rsplit("\n\n", 1)
    assert note == MAILTO_NOTE
    assert full.out.split("\n\n", 2)[2].startswith(kept.split("\n\n", 1)[1])


def test_a_shortened_german_link_says_so_in_german_and_every_link_fits() -> None:
    paragraphs = [f"Absatz {n}: " + "Größe " * 40 for n in range(30)]
    draft = EmailDraft("berger@initech.example", "Vielen Dank", "\n\n".join(paragraphs), "de")
    for limit in (300, 800, 2000):
        link = draft.mailto(limit)
        assert len(link) <= limit
        body = parse_qs(urlsplit(link).query)["body"][0]
        assert body.endswith(MAILTO_NOTES["de"])
        kept = body[: -len(MAILTO_NOTES["de"])].rstrip("\n")
        assert draft.body.startswith(kept)  # whole paragraphs from the start, then the note
    assert draft.mailto(60) == "mailto:berger@initech.example?subject=Vielen%20Dank"
    assert draft.mailto(40) == "mailto:berger@initech.example"  # the address is never cut
