"""Everyday commands: explain, mark, draft, init. Parse options, call the engine, format."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from click.shell_completion import CompletionItem

from followup.cli.options import (
    Job,
    config_option,
    job_options,
    json_option,
    make_job,
    text_value,
    verbose_option,
)
from followup.cli.terminal import echo, warn
from followup.engine.marks import STATUSES
from followup.engine.model import Interview, Plan, Reading
from followup.engine.write.text import json_text

T = TypeVar("T")


def read_interviews(job: Job) -> Reading:
    """What is in the job's source, as the calendar and your answers have it (no marks
    applied)."""
    from followup.engine.pipeline import interviews_from

    return interviews_from(
        job.require_source(), rules=job.rules, now=job.now, window=job.window, marks=False
    )


def shown(path: Path) -> str:
    """A path as people read it: under the home folder as ~/..."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def planned(job: Job, reading: Reading) -> Plan:
    from followup.cli.verbose import log_plan
    from followup.engine.marks import apply_marks_if_any
    from followup.engine.pipeline import make_plan

    result = make_plan(job.rules, apply_marks_if_any(reading), job.planning_now(reading))
    log_plan(result)
    return result


# --------------------------------------------------------------- completion ----


def _quietly(produce: Callable[[], list[T]]) -> list[T]:
    """Completion must never fail loudly: a broken source just offers nothing."""
    try:
        return produce()
    except Exception:
        return []


def complete_interview(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """UIDs of the interviews in --from (or $FOLLOWUP_FROM), with their titles as help."""

    def produce() -> list[CompletionItem]:
        from followup.engine.sources import reach

        source = ctx.params.get("source") or os.environ.get("FOLLOWUP_FROM")
        if not source or reach(source) != "file":
            return []  # no reading standard input or asking a server for a password on TAB
        job = make_job(source, ctx.params.get("rules_path"), ctx.params.get("now_text"))
        wanted = incomplete.casefold()
        return [
            CompletionItem(iv.key, help=iv.summary)
            for iv in read_interviews(job).interviews
            if iv.key.casefold().startswith(wanted) or wanted in iv.summary.casefold()
        ]

    return _quietly(produce)


def complete_step(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The rules that draft an email, from --rules or the shipped policy."""

    def produce() -> list[CompletionItem]:
        from followup.engine.pipeline import load_rules

        rules = load_rules(ctx.params.get("rules_path") or os.environ.get("FOLLOWUP_RULES"))
        return [
            CompletionItem(rule.id, help=rule.title)
            for rule in rules.rules
            if rule.email is not None and rule.id.startswith(incomplete)
        ]

    return _quietly(produce)


# ------------------------------------------------------------------ explain ----


@click.command(short_help="Say why each follow-up is where it is, step by step.")
@click.argument("interview", required=False, shell_complete=complete_interview)
@job_options
@json_option
def explain(
    interview: str | None,
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
    as_json: bool,
) -> None:
    """Say why each follow-up is where it is, and why a step is not planned.

    For every rule and interview: whether it made a follow-up, which
    condition or missing fact decided, and how its time was computed (from
    the interview's end or the recruiter's timeline, the offset, the
    morning hour, weekends and holidays skipped, the timezone). INTERVIEW is
    a UID or a part of the title or company (every interview that matches);
    without it, every interview.

    \b
    Examples:
      followup explain --from calendar.ics
      followup explain ACME --from calendar.ics --now 2026-12-01T08:00
      followup explain 7f3c2a10acme@google.com --from calendar.ics --json
    """
    from followup.engine.plan.explain import explain as explain_plan
    from followup.engine.plan.explain import explanation_data, explanation_text
    from followup.engine.plan.lookup import find_interview, matching_interviews, with_applications
    from followup.engine.questions import answer_command

    job = make_job(source, rules_path, now_text, since_text)
    plan = planned(job, read_interviews(job))
    chosen = None
    missed = plan.near_misses
    ignored = tuple(iv for iv in plan.ignored if iv.verdict.answered)
    if interview is not None:
        chosen = with_applications(plan.interviews, matching_interviews(plan.interviews, interview))
        missed = tuple(matching_interviews(plan.near_misses, interview)) if not chosen else ()
        ignored = tuple(matching_interviews(ignored, interview)) if not chosen else ()
        if not chosen and not missed and not ignored:
            chosen = [find_interview(plan.interviews, interview)]
    explanations = explain_plan(plan, chosen)
    if as_json:
        data = explanation_data(plan, explanations)
        data["not_counted"] = [
            {
                "uid": iv.key,
                "title": iv.summary,
                "start": iv.start.isoformat(),
                "why": iv.not_counted or "; ".join(iv.verdict.reasons),
                "answer": answer_command(iv.uid),
            }
            for iv in missed
        ]
        data["ignored"] = [
            {
                "uid": iv.key,
                "title": iv.summary,
                "start": iv.start.isoformat(),
                "why": "; ".join(iv.verdict.reasons),
            }
            for iv in ignored
        ]
        click.echo(json_text(data), nl=False)
    else:
        echo(explanation_text(plan, explanations, missed, ignored), nl=False)
    warn(plan.warnings)  # events skipped or read with a guess, as every command shows them


# --------------------------------------------------------------------- mark ----


@click.command(short_help="Record the recruiter's answer; that chain of follow-ups stops.")
@click.argument("interview", shell_complete=complete_interview)
@click.argument("status", metavar="STATUS", type=click.Choice(STATUSES, case_sensitive=False))
@click.option(
    "--note", metavar="TEXT", help="What they said, kept with the mark.", callback=text_value
)
@job_options
def mark(
    interview: str,
    status: str,
    note: str | None,
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
) -> None:
    """Record the recruiter's answer, so that interview's chain of follow-ups stops.

    STATUS is replied, offer, rejected or withdrawn; pending undoes the mark.
    The calendar event is not touched: the mark is kept in marks.toml in
    your data folder (one line an interview, safe to edit) and every command
    (plan, ics, sync, serve) reads it as the interview's status. INTERVIEW is
    a company, a part of a title or a UID: every round of that application is
    marked (replied: the rounds that have begun), every day of a series too.

    \b
    Examples:
      followup mark ACME replied --note "Second round on the 10th" --from calendar.ics
      followup mark ACME pending --from calendar.ics     (undo)
    """
    from followup.engine.marks import apply_marks, load_marks, marks_for, marks_path, record_marks
    from followup.engine.pipeline import make_plan
    from followup.engine.plan.applications import application_name
    from followup.engine.plan.lookup import find_application

    job = make_job(source, rules_path, now_text, since_text)
    reading = read_interviews(job)
    rounds = find_application(reading.interviews, interview)
    path = marks_path()
    recorded = load_marks(path)
    kind = next(known for known in STATUSES if known == status.lower())
    named = {iv.key for iv in rounds if interview.strip() in (iv.key, iv.uid)}
    now = job.planning_now(reading)
    marks = marks_for(rounds, kind, note, now.date(), now, named)
    single = len(rounds) == 1
    name = rounds[0].summary if single else application_name(rounds)
    if kind == "pending" and not any(m.key in recorded for m in marks):
        echo(f"{name} has no mark; nothing changed.")
        return
    before = make_plan(job.rules, apply_marks(reading, recorded), now)
    record_marks(marks, path)
    after = make_plan(job.rules, apply_marks(reading, load_marks(path)), now)
    marked = {m.key for m in marks if m.status != "pending"}
    if kind == "pending":
        echo(
            f"Unmarked {name}: {'its calendar event decides' if single else 'its events decide'} again."
        )
    elif single:
        echo(f"Marked {name} as {kind}.")
    else:
        from followup.rules.zones import resolve_zone

        zone = resolve_zone(after.timezone)
        echo(f"Marked {name} as {kind}, {len(rounds)} rounds:")
        for iv in rounds:
            left = "" if {iv.key, iv.uid} & marked else "  (not marked: it is still ahead)"
            echo(f"  {iv.start.astimezone(zone):%a %d %b %Y %H:%M}  {iv.summary}{left}")
    echo(f"  recorded in {shown(path)}")
    echo(_changes(before, after, rounds), nl=False)


def _changes(before: Plan, after: Plan, rounds: tuple[Interview, ...]) -> str:
    """The follow-ups of an application's ``rounds`` that a mark removed or brought back."""
    keys = {iv.key for iv in rounds}

    def steps(plan: Plan) -> dict[str, str]:
        return {
            f.uid: f"{f.start:%a %d %b %Y %H:%M}  {f.title}"
            for f in plan.followups
            if f.interview.key in keys
        }

    old, new = steps(before), steps(after)
    lines = [f"  no longer planned: {old[uid]}" for uid in old if uid not in new]
    lines += [f"  now planned:       {new[uid]}" for uid in new if uid not in old]
    if not lines:
        lines = ["  no follow-up changed"]
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------- draft ----


@click.command(short_help="Write a step's email for you: the thank-you, the status check.")
@click.argument("interview", shell_complete=complete_interview)
@click.argument("step", shell_complete=complete_step)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write an .eml file that your mail app opens as a draft to edit and send.",
)
@click.option("--force", is_flag=True, help="Replace the -o file if it exists (without it, never).")
@click.option(
    "--mailto",
    is_flag=True,
    help="Print a mailto: link instead of the text (shortened to 2,000 characters if needed).",
)
@job_options
def draft(
    interview: str,
    step: str,
    output: Path | None,
    force: bool,
    mailto: bool,
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
) -> None:
    """Write the email of a step for you: the thank-you, or the status check.

    The draft uses what the interview's event says: the recruiter
    ("Recruiter: Dana Smith <dana@acme.example>"), the role, and the
    highlights you noted after the interview ("Highlights: ..."). STEP is a
    rule id such as thank-you or status-check. INTERVIEW is a company, a part
    of a title or a UID: the step of that application's latest round that has
    begun and has it (the status check follows the last round). -o never
    replaces a file without --force and never creates folders.

    \b
    Examples:
      followup draft ACME thank-you --from calendar.ics
      followup draft ACME thank-you --from calendar.ics -o thank-you.eml
      xdg-open "$(followup draft ACME status-check --from calendar.ics --mailto)"
    """
    from followup.engine.plan.lookup import chosen_rounds, find_application
    from followup.engine.write.draft import (
        application_step,
        draft_text,
        eml_bytes,
        recipient_problem,
    )

    job = make_job(source, rules_path, now_text, since_text)
    plan = planned(job, read_interviews(job))
    rounds = chosen_rounds(interview, find_application(plan.interviews, interview))
    followup = application_step(plan, rounds, step)
    assert followup.email is not None  # application_step guarantees it
    facts = followup.interview.facts
    emails = followup.emails
    if mailto:
        for email in emails:
            echo(email.mailto())
    elif output is None:
        echo("\n".join(draft_text(email, facts) for email in emails), nl=False)
    else:
        from followup.engine.atomic import write_new

        for index, email in enumerate(emails, start=1):
            path = _numbered(output, index, len(emails))
            write_new(path, eml_bytes(email, facts), replace=force)
            who = f" ({email.to_name or email.to or 'no address known'})" if len(emails) > 1 else ""
            echo(f"Wrote the {followup.rule_id} draft{who} to {path}; open it in your mail app.")
    if len(emails) > 1:
        click.echo(
            f"note: {len(emails)} emails: one to each interviewer"
            + (
                " and one to the recruiter"
                if any(e.to and e.to == facts.recruiter_email for e in emails)
                else ""
            )
            + "; send each on its own.",
            err=True,
        )
    for warning in facts.warnings:
        echo(f"warning: {warning}", err=True)
    for email in emails:
        who = f" for {email.to_name}" if email.to_name and len(emails) > 1 else ""
        problem = recipient_problem(email)
        if problem:
            echo(f"warning: {problem}", err=True)
        if email.gaps:
            echo(  # the name is the invite's: made safe for the terminal
                f"note: the draft{who} has gaps to fill before you send it: "
                + ", ".join(email.gaps)
                + " (or note them in the event, as 'Highlights: ...' and 'Fit: ...')",
                err=True,
            )
    if not any(email.to for email in emails):
        click.echo(
            "note: no recruiter address is known; add a line such as "
            "'Recruiter: Dana Smith <dana@acme.example>' to the interview's notes.",
            err=True,
        )
    if job.rules.sender.name is None and job.rules.sender.signature is None:
        click.echo(
            "note: the draft is not signed; `followup init --name` (or 'sender: {name: ...}' "
            "in your rules) puts your name under it.",
            err=True,
        )


# --------------------------------------------------------------------- init ----


def _answer(
    given: str | None,
    question: str,
    default: str,
    parse: Callable[[str], T],
    ask: bool,
    option: str,
) -> T:
    """An answer from its option, else the default (--yes), else a question."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as err:
            raise click.BadParameter(str(err)) from None

    if given is not None:
        try:
            return parse(given)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint=option) from None
    if not ask:
        return parse(default)
    value: T = click.prompt(
        question, default=default, value_proc=convert, show_default=bool(default)
    )
    return value


@click.command(short_help="Set up your rules and config from a few questions.")
@click.option(
    "-y", "--yes", is_flag=True, help="Ask nothing: take the defaults, keep existing files."
)
@click.option("--timezone", metavar="ZONE", help="Your IANA timezone, e.g. Europe/Berlin.")
@click.option("--workdays", metavar="DAYS", help="Your working days, e.g. mon-fri or sun-thu.")
@click.option(
    "--holidays", metavar="CODE", help="Public holidays to skip: DE, DE-BY, US-CA, or none."
)
@click.option(
    "--kind", type=click.Choice(["events", "todos"]), help="Follow-ups as events or todos."
)
@click.option(
    "--from",
    "source",
    metavar="SOURCE",
    help="Where your interviews are: an .ics file, a calendar's secret address "
    "(https://.../basic.ics, webcal://...; see followup serve --help) or a CalDAV URL.",
)
@click.option(
    "--policy",
    type=click.Choice(["default", "business-days"]),
    default="default",
    show_default=True,
    help="The shipped policy to start from.",
)
@click.option(
    "--language",
    type=click.Choice(["en", "de", "fr", "nl", "es"]),
    help="The language of your drafts and steps: en (English), de (German), fr (French), "
    "nl (Dutch) or es (Spanish).",
)
@click.option(
    "--name",
    "sender_name",
    metavar="NAME",
    help="Your name, to sign the drafts.",
    callback=text_value,
)
@click.option(
    "--signature",
    metavar="TEXT",
    help="The lines under the closing (default: your name).",
    callback=text_value,
)
@config_option
@verbose_option
def init(
    yes: bool,
    timezone: str | None,
    workdays: str | None,
    holidays: str | None,
    kind: str | None,
    source: str | None,
    policy: str,
    language: str | None,
    sender_name: str | None,
    signature: str | None,
) -> None:
    """Set followup up: your rules and a config file, from a few questions.

    Writes rules.yaml (a commented copy of the policy, with your timezone,
    working days, holidays, kind of item, the language of your drafts and
    the name they are signed with) and config.toml (where your
    interviews are) to your config folder, then prints the next command to
    run. An existing file is only replaced when you say so (the old one is
    kept as .bak); with --yes nothing is asked and existing files stay.

    \b
    Examples:
      followup init
      followup init --yes --timezone Europe/Berlin --holidays DE-BE --from ~/job-search.ics
      followup init --yes --language de --name "Alex Doe"
    """
    from followup.engine.config import config_path
    from followup.engine.init import (
        Setup,
        guess_country,
        parse_holidays,
        parse_kind,
        parse_workdays,
        policy_file,
        setup_files,
    )
    from followup.engine.sources import reach, source_kind
    from followup.rules.zones import local_zone_name, resolve_zone

    def zone(text: str) -> str:
        resolve_zone(text)
        return resolve_zone(text).key

    ask = not yes
    directory = config_path().parent  # where --config puts it, else the config folder
    if ask:
        click.echo(f"Setting up followup in {shown(directory)}. Press Enter to take the [default].")
    zone_name = _answer(timezone, "Your timezone", local_zone_name(), zone, ask, "--timezone")
    days = _answer(workdays, "Your working days", "mon-fri", parse_workdays, ask, "--workdays")
    country, region = _answer(
        holidays,
        "Public holidays to skip (a country code like DE or US-CA, or none)",
        guess_country() or "none",
        parse_holidays,
        ask,
        "--holidays",
    )
    item_kind = _answer(kind, "Follow-ups as events or todos", "events", parse_kind, ask, "--kind")
    where = _answer(
        source,
        "Where are your interviews? (an .ics file or link, or a CalDAV calendar URL; "
        "Enter to skip)",
        "",
        interview_source,
        ask,
        "--from",
    )
    tongue = _answer(
        language,
        "Language of your drafts and steps (en, de, fr, nl or es; an invitation written in "
        "another of them gets its drafts in that one)",
        "en",
        _language,
        ask,
        "--language",
    )
    try:
        policy_name = policy_file(policy, tongue)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--language") from None
    name = _answer(
        sender_name, "Your name, to sign the drafts (Enter to skip)", "", str.strip, ask, "--name"
    )
    sign = _answer(
        signature,
        "Your signature under the closing (Enter for just your name)",
        "",
        str.strip,
        ask and bool(name),
        "--signature",
    )
    mail_host = _answer(
        None,
        "Your mail server, to notice when a recruiter replies (IMAP, e.g. imap.gmail.com; "
        "Enter to skip)",
        "",
        str.strip,
        ask,
        "",
    )
    mail_user = (
        _answer(None, "Your user name there (often your email address)", "", str.strip, ask, "")
        if mail_host
        else ""
    )
    setup = Setup(
        zone_name,
        days,
        country,
        region,
        item_kind,
        where or None,
        policy_name,
        sender_name=name or None,
        signature=sign or None,
        mail_host=mail_host or None,
        mail_user=mail_user or None,
    )
    for path, text in setup_files(setup, directory, config_path().name):
        click.echo(_write_setup_file(path, text, ask))
    if where and (ask or reach(where) != "remote"):
        _first_review(where, ask)
    click.echo("")
    click.echo("Next, see your follow-ups:")
    # The config file holds where the interviews are and the rules: nothing to repeat.
    click.echo("  followup plan" if where else "  followup plan --from YOUR-CALENDAR.ics")
    if where and source_kind(where) == "link":
        click.echo("Then subscribe to them from your calendar app:")
        click.echo("  followup serve")
        return
    if where and reach(where) == "remote":
        click.echo("Then put them in your calendar (see what would change first):")
        click.echo("  followup sync --dry-run")


def _first_review(where: str, ask: bool) -> None:
    """Ask about the events of the new user's calendar that may be interviews (with --yes,
    say how many there are); a calendar that cannot be read now is only a note."""
    from followup.cli.review import ask_questions
    from followup.engine.errors import FollowupError

    try:
        job = make_job(where, None, None)
        plan = planned(job, read_interviews(job))
    except (FollowupError, click.ClickException) as err:
        message = err.message if isinstance(err, FollowupError) else err.format_message()
        echo(f"note: your calendar could not be read yet ({message}); `followup review` asks later")
        return
    count = len(plan.near_misses)
    if not count:
        return
    click.echo("")
    if ask:
        ask_questions(job, plan)
    else:
        echo(
            f"{count} event{'s' if count != 1 else ''} in your calendar may be "
            f"{'interviews' if count != 1 else 'an interview'}: `followup review` asks about them."
        )


def interview_source(text: str) -> str:
    """Where the interviews are, as the config file keeps it: a link or calendar as given,
    a file as an absolute path (so it works from any folder), checked to exist."""
    value = text.strip()
    if not value or value.startswith("@") or "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    if not path.is_file():
        raise ValueError(f"there is no file {value!r}; give the path of your calendar's .ics file")
    return str(path)


def _numbered(path: Path, index: int, count: int) -> Path:
    """The file of a step's ``index``-th email (from 1): the path itself for a step with one
    email, else thank-you-1.eml, thank-you-2.eml, ..."""
    if count <= 1:
        return path
    return path.with_name(f"{path.stem}-{index}{path.suffix or '.eml'}")


def _language(text: str) -> str:
    value = text.strip().lower()
    words = {
        "en": "en", "english": "en",
        "de": "de", "deutsch": "de", "german": "de",
        "fr": "fr", "français": "fr", "francais": "fr", "french": "fr",
        "nl": "nl", "nederlands": "nl", "dutch": "nl",
        "es": "es", "español": "es", "espanol": "es", "spanish": "es",
    }  # fmt: skip
    if value not in words:
        raise ValueError(
            "answer 'en' (English), 'de' (German), 'fr' (French), 'nl' (Dutch) or 'es' (Spanish)"
        )
    return words[value]


def _write_setup_file(path: Path, text: str, ask: bool) -> str:
    """Write one file of ``init``; an existing different file is replaced only when the user agrees."""
    from followup.engine.atomic import write_atomic

    data = text.encode("utf-8")
    if path.is_file():  # a FIFO or device there is written through (or refused), never read
        old = path.read_bytes()
        if old == data:
            return f"unchanged {shown(path)}"
        backup = path.with_name(path.name + ".bak")
        if not ask or not click.confirm(
            f"{shown(path)} exists and differs. Replace it (the old one is kept as {backup.name})?",
            default=False,
        ):
            return f"kept      {shown(path)} (yours; not replaced)"
        write_atomic(backup, old)
        write_atomic(path, data)
        return f"replaced  {shown(path)} (the old one is {backup.name})"
    write_atomic(path, data)
    return f"wrote     {shown(path)}"
