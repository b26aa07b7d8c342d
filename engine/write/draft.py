"""A drafted email as a real email: an .eml file that mail clients open as a draft.

Built with Python's email package, so headers are encoded properly (a
subject with an en dash or an umlaut survives any client), the body is
UTF-8, and the recruiter is the To: address with their name. ``X-Unsent: 1``
makes Outlook, Thunderbird and Apple Mail open the file as a message to
edit and send, not as a received one. There is no From: line: the client
fills in the user's own address.
"""

from __future__ import annotations

from collections.abc import Sequence
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage

from followup.engine.errors import UsageMistake
from followup.engine.model import EmailDraft, Facts, FollowUp, Interview, Plan
from followup.engine.people import one_address
from followup.engine.plan.explain import explain

EML_POLICY = policy.default.clone(linesep="\r\n")
"""RFC 5322 line endings for files; every client reads them."""


def recipient(draft: EmailDraft, facts: Facts) -> Address | None:
    """The To: value: one validated address, with the recruiter's name when it is theirs.

    Anything that is not exactly one valid address (two addresses, a header
    trick, a non-ASCII local part) gives None: no To: line rather than a
    wrong one.
    """
    address = one_address(draft.to)
    if address is None:
        return None
    local, _, domain = address.rpartition("@")
    name = draft.to_name or ""
    known = one_address(facts.recruiter_email)
    if not name and facts.recruiter_name and known and known.casefold() == address.casefold():
        name = facts.recruiter_name
    name = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    return Address(display_name=name, username=local, domain=domain)


def recipient_problem(draft: EmailDraft) -> str | None:
    """Why a draft that names a recipient has no To: line, or None."""
    if draft.to and one_address(draft.to) is None:
        return f"{draft.to!r} is not one valid email address; the draft has no To: line"
    return None


def email_message(draft: EmailDraft, facts: Facts) -> EmailMessage:
    """The draft as a message: To (if known), Subject, X-Unsent, a UTF-8 text body."""
    message = EmailMessage(policy=EML_POLICY)
    to = recipient(draft, facts)
    if to is not None:
        message["To"] = to
    message["Subject"] = draft.subject
    message["X-Unsent"] = "1"
    body = draft.body.strip() + "\n"
    message.set_content(body, charset="utf-8")
    return message


def eml_bytes(draft: EmailDraft, facts: Facts) -> bytes:
    """The bytes of an .eml file for the draft."""
    return email_message(draft, facts).as_bytes()


def draft_text(draft: EmailDraft, facts: Facts) -> str:
    """The draft as people read it in a terminal: To, Subject, a blank line, the body."""
    to = recipient(draft, facts)
    lines = [f"To: {to}" if to is not None else "To: (no address known)"]
    lines += [f"Subject: {draft.subject}", "", draft.body.strip()]
    return "\n".join(lines) + "\n"


def email_step(plan: Plan, interview: Interview, step: str) -> FollowUp:
    """The follow-up of rule ``step`` for ``interview``, with its email; an error says why not.

    A rule replaced by its fallback answers to either name ("status-check"
    finds the status-check-window step when no timeline was given).
    """
    found = explain(plan, [interview])
    outcomes = found[0].outcomes if found else ()
    email_steps = sorted(
        {o.decision.rule_id for o in outcomes if o.followup is not None and o.followup.email}
    )
    offer = f"; email steps for it: {', '.join(email_steps)}" if email_steps else ""
    named = [o for o in outcomes if step in (o.decision.rule_id, o.fallback_of)]
    planned = [o.followup for o in named if o.followup is not None]
    if not named:
        raise NoDraft(f"no step {step!r} in the rules{offer}")
    if not planned:
        last = named[-1]
        raise NoDraft(
            f"{step} is not planned for {interview.summary}: {last.reason}",
            hint="`followup explain` shows every step and why",
        )
    followup = planned[0]
    if followup.email is None:
        raise NoDraft(f"{followup.rule_id} has no email to draft{offer}")
    return followup


class NoDraft(UsageMistake):
    """The step named has no draft for this interview."""


def application_step(plan: Plan, rounds: Sequence[Interview], step: str) -> FollowUp:
    """The step of an application: that of its latest round that has begun and has it
    planned (a thank-you for the round just held; the status check, which follows the
    last round), else of its first round ahead; the latest round's error otherwise."""
    begun = [iv for iv in rounds if iv.start <= plan.now]
    ahead = [iv for iv in rounds if iv.start > plan.now]
    problem: NoDraft | None = None
    for interview in [*reversed(begun), *ahead]:
        try:
            return email_step(plan, interview, step)
        except NoDraft as err:
            problem = problem or err
    assert problem is not None  # an application has a round
    raise problem
