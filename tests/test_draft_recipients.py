"""A draft goes to one validated address or to none, with a warning; never to a piece of one.

An invitation is written by whoever sent it: an ORGANIZER such as
``mailto:eve@x.example>, Bcc <evil@x.example>`` must not add a recipient, and
an address the draft cannot carry (``maría@acme.example``) must not be cut
into another mailbox (``a@acme.example``). Checked with Python's own email
parser, and with hypothesis over generated addresses and notes.
"""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.engine.model import EmailDraft, Facts
from followup.engine.people import one_address
from followup.engine.read.facts import Organizer, extract_facts, recruiter_parts
from followup.engine.write.draft import eml_bytes, recipient
from followup.rules.prose import notes
from tests.conftest import ROOT
from tests.everyday_support import SEARCH, run

TRICK = "eve@x.example>, Bcc <evil@x.example>"


def to_addresses(data: bytes) -> list[str]:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    header = message["To"]
    return [] if header is None else [a.addr_spec for a in header.addresses]


def calendar(tmp_path: Path, organizer: str, description: str = "Company: ACME") -> Path:
    path = tmp_path / "calendar.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:trick@example.com\r\nDTSTAMP:20261125T120000Z\r\n"
        "DTSTART;TZID=Europe/Berlin:20261201T100000\r\n"
        "DTEND;TZID=Europe/Berlin:20261201T110000\r\n"
        "SUMMARY:Interview with ACME\r\n"
        f"DESCRIPTION:{description}\r\n"
        f"{organizer}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return path


def test_an_organizer_that_smuggles_a_second_recipient_gives_no_to_line_and_a_warning(
    tmp_path: Path,
) -> None:
    ics = calendar(tmp_path, f'ORGANIZER;CN="Eve":mailto:{TRICK}')
    target = tmp_path / "thank-you.eml"
    result = run(
        "draft", "ACME", "thank-you", "-o", str(target), "--from", str(ics),
        "--now", "2026-12-02T08:00",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert to_addresses(target.read_bytes()) == []
    assert "ORGANIZER: 'eve@x.example>, Bcc <evil@x.example>' is not one valid email address" in (
        result.err
    )
    assert b"evil" not in target.read_bytes()


def test_a_non_ascii_address_is_not_cut_into_another_mailbox(tmp_path: Path) -> None:
    ics = calendar(tmp_path, "", "Company: ACME\\nRecruiter: María López ‹maría@acme.example>")
    result = run("draft", "ACME", "thank-you", "--from", str(ics), "--now", "2026-12-02T08:00")
    assert result.code == 0, result.err
    assert result.out.startswith("To: (no address known)\n")
    assert "a@acme.example" not in result.out
    assert "'maría@acme.example' is not a valid email address; it is not used" in result.err


def test_the_recruiter_line_keeps_a_name_and_its_one_address() -> None:
    assert recruiter_parts("María López <maria@acme.example>") == (
        "María López",
        "maria@acme.example",
        None,
    )
    assert recruiter_parts("Dana <dana@acme.example>, boss@acme.example")[1] is None
    facts = extract_facts("Interview", None, Organizer("Eve\nBcc: x", TRICK))
    assert facts.recruiter_email is None
    assert facts.recruiter_name == "Eve Bcc: x"
    assert len(facts.warnings) == 1


# Local parts and domains hypothesis combines with the characters attackers use.
ATOM = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.-_+", min_size=1, max_size=12)
NASTY = st.lists(
    st.sampled_from([*"<>,;:\"' \t\r\n()[]@\\áíñ‹›«»", "Bcc", "mailto:"]), max_size=6
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_an_accepted_address_is_the_whole_text_and_parses_as_exactly_one(text: str) -> None:
    address = one_address(text)
    if address is None:
        return
    bare = text.strip()
    bare = bare[7:] if bare[:7].casefold() == "mailto:" else bare
    assert address.split("@")[0] == bare.split("@")[0]  # never a piece of the local part
    data = eml_bytes(EmailDraft(to=address, subject="s", body="b"), Facts())
    assert to_addresses(data) == [address]


@settings(max_examples=300, deadline=None)
@given(ATOM, ATOM, NASTY, NASTY)
def test_a_recruiter_line_gives_one_address_that_was_written_whole_or_none(
    local: str, domain: str, before: str, after: str
) -> None:
    line = f"Dana{before}{local}@{domain}.example{after}"
    name, found, problem = recruiter_parts(line)
    if found is None:
        assert problem is not None or line.count("@") != 1
        return
    assert problem is None and line.count("@") == 1
    assert found == one_address(found)
    # What was found is all that stood around the "@": no letter of it was left behind.
    user, host = found.split("@")
    host = host.encode("ascii").decode("idna").casefold()  # as written, an international one too
    folded = line.casefold()  # domains compare without case
    start, end = line.index(user + "@"), folded.index("@" + host) + len(host) + 1
    assert start == 0 or not (line[start - 1].isalnum() or line[start - 1] in ".-_+")
    assert end == len(line) or not (line[end].isalnum() or line[end] in ".-_+")
    draft = EmailDraft(to=found, subject="s", body="b")
    facts = Facts(recruiter_name=name, recruiter_email=found)
    assert to_addresses(eml_bytes(draft, facts)) == [found]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_any_name_and_to_give_at_most_one_recipient(name: str, to: str) -> None:
    facts = Facts(recruiter_name=name or None, recruiter_email=one_address(to))
    draft = EmailDraft(to=to or None, subject="Grüße – ✓", body="Hallo")
    data = eml_bytes(draft, facts)
    found = to_addresses(data)
    assert len(found) <= 1
    if found:
        assert found == [one_address(to)]
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["Subject"] == "Grüße – ✓"
    chosen = recipient(draft, facts)
    assert (chosen is None) == (found == [])


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["en", "de"]))
def test_notes_of_any_shape_become_text_without_doubled_periods_or_capitals_mid_sentence(
    text: str, language: str
) -> None:
    lead = "I especially appreciated" if language == "en" else "Besonders geschätzt habe ich"
    out = notes(text, lead, "What stood out:", language)  # type: ignore[arg-type]
    if not out:
        return
    assert ".." not in out
    if out.startswith(lead + " "):
        rest = out[len(lead) + 1 :]
        assert "\n" not in rest and rest.endswith(".")
        assert not rest[:1].isupper()
    else:
        head, *items = out.split("\n")
        assert head == "What stood out:" and items
        assert all(item.startswith("- ") and item[2:].strip() for item in items)


def test_a_rules_template_that_writes_two_recipients_gives_none_and_a_warning(
    tmp_path: Path,
) -> None:
    shipped = (ROOT / "rules" / "default.yaml").read_text(encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        shipped.replace(
            "to: \"{{ recipient_email or '' }}\"",
            "to: \"{{ recruiter_email ~ ', boss@acme.example' }}\"",
            1,
        ),
        encoding="utf-8",
    )
    result = run(
        "plan", "--json", "--from", SEARCH, "--rules", str(rules), "--now", "2026-12-01T12:00"
    )
    assert result.code == 0, result.err
    assert (
        "Interview with ACME – Backend Engineer: thank-you: the email's recipient"
        " 'dana@acme.example, boss@acme.example' is not one valid email address;"
        " the draft has no To: line"
    ) in result.out
