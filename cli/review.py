"""Is this an interview? ``answer`` records the answer for one event; ``review`` asks about
each open question in turn. Parse options, call the engine, format; the prompt lives here."""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem

from followup.cli.everyday import planned, read_interviews, shown
from followup.cli.options import Job, job_options, json_option, make_job, text_value
from followup.cli.terminal import echo, one_line
from followup.engine.model import Interview, Plan, Reading
from followup.engine.questions import ANSWERS, rules_fix
from followup.engine.write.text import json_text


def _raw(job: Job) -> Reading:
    """The events as the evidence alone decides them (no answers applied)."""
    from followup.engine.pipeline import read_source

    return read_source(job.require_source(), rules=job.rules, now=job.now, window=job.window)


def complete_question(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """UIDs of the events followup asks about in --from (or $FOLLOWUP_FROM), titles as help."""
    import os

    from followup.engine.sources import reach

    try:
        source = ctx.params.get("source") or os.environ.get("FOLLOWUP_FROM")
        if not source or reach(source) != "file":
            return []  # no reading standard input or asking a server for a password on TAB
        job = make_job(source, ctx.params.get("rules_path"), ctx.params.get("now_text"))
        return [
            CompletionItem(iv.uid, help=iv.summary)
            for iv in read_interviews(job).asked
            if iv.uid.startswith(incomplete)
        ]
    except Exception:  # completion must never fail loudly
        return []


@click.command(short_help="Say whether an event is an interview; followup remembers.")
@click.argument("uid", metavar="UID", shell_complete=complete_question, callback=text_value)
@click.argument("answer", metavar="ANSWER", type=click.Choice(ANSWERS, case_sensitive=False))
@job_options
def answer(
    uid: str,
    answer: str,
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
) -> None:
    """Say whether the event UID is an interview: ANSWER is interview or not-interview.

    When an event may be part of an application but its title says too little,
    followup asks (plan, ics, explain, sync and the feed page list the
    question with this command). The answer is kept by UID in answers.toml in
    your data folder (one line an event, safe to edit) and wins over what the
    event suggests on every later run. forget takes an answer back. With no
    calendar known (no --from, no config file) the answer is recorded as
    given, unchecked.

    \b
    Examples:
      followup answer 7f3c2a10coffee@google.com interview --from calendar.ics
      followup answer 7f3c2a10coffee@google.com not-interview --from calendar.ics
      followup answer 7f3c2a10coffee@google.com forget --from calendar.ics
    """
    from followup.engine.answers import Answer, answers_path, load_answers, record_answers
    from followup.engine.plan.lookup import find_event
    from followup.rules.zones import resolve_zone

    job = make_job(source, rules_path, now_text, since_text)
    path = answers_path()
    if job.source is None:  # the command a page or a warning showed, run as shown
        _answer_unchecked(uid, answer.lower(), job, path)
        return
    raw = _raw(job)
    before = {key: given.interview for key, given in load_answers(path).items()}
    event = find_event(raw.events, uid, before)
    kind = answer.lower()
    if kind == "forget":
        if event.uid not in before:
            echo(f"{event.summary} has no answer; nothing changed.")
            return
        record_answers([], [event.uid], path)
        echo(f"Took back your answer for {event.summary}: its evidence decides again.")
    else:
        yes = kind == "interview"
        today = job.planning_now(raw).date()
        record_answers([Answer(event.uid, yes, event.summary, today)], (), path)
        said = "an interview" if yes else "not an interview"
        when = event.start.astimezone(resolve_zone(job.rules.timezone))
        echo(f"Answered: {event.summary} ({when:%a %d %b %Y %H:%M}) is {said}.")
    after = {key: given.interview for key, given in load_answers(path).items()}
    echo(f"  recorded in {shown(path)}")
    echo(_changes(job, raw, before, after, event), nl=False)


def _answer_unchecked(uid: str, kind: str, job: Job, path: Path) -> None:
    """Record an answer for ``uid`` with no calendar to check it against."""
    from followup.engine.answers import Answer, load_answers, record_answers

    if kind == "forget":
        if uid not in load_answers(path):
            echo(f"{uid} has no answer; nothing changed.")
            return
        record_answers([], [uid], path)
        echo(f"Took back your answer for {uid}: its evidence decides again.")
    else:
        yes = kind == "interview"
        record_answers([Answer(uid, yes, None, job.now.date())], (), path)
        echo(f"Answered: the event {uid} is {'an interview' if yes else 'not an interview'}.")
    echo(f"  recorded in {shown(path)}")
    echo("  not checked against a calendar: give --from to see what it changes")


def _changes(
    job: Job,
    raw: Reading,
    before: dict[str, bool],
    after: dict[str, bool],
    event: Interview,
) -> str:
    """The follow-ups an answer brought or took away, and the line that would let the
    rules decide without asking."""
    from followup.engine.answers import apply_answers

    def steps(plan: Plan) -> dict[str, str]:
        return {
            f.uid: f"{f.start:%a %d %b %Y %H:%M}  {f.title}"
            for f in plan.followups
            if f.interview.uid == event.uid
        }

    old = steps(planned(job, apply_answers(raw, before)))
    now = planned(job, apply_answers(raw, after))
    new = steps(now)
    lines = [f"  no longer planned: {old[uid]}" for uid in old if uid not in new]
    lines += [f"  now planned:       {new[uid]}" for uid in new if uid not in old]
    if not lines:
        lines = ["  no follow-up changed"]
    counted = next((iv for iv in now.interviews if iv.uid == event.uid), None)
    if counted is not None and counted.verdict.answered and counted.verdict.fix:
        lines.append(f"  {rules_fix(counted.verdict.fix)}")
    return "\n".join(lines) + "\n"


@click.command(
    short_help="Answer, one at a time, whether the events followup asks about are interviews."
)
@job_options
@json_option
def review(
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
    as_json: bool,
) -> None:
    """Go through the events followup is not sure about, one at a time.

    For each: its title, date and the evidence, then "is it an interview?":
    y counts it, n never counts it, s skips it (it is asked again next time).
    Each answer is recorded at once, as `followup answer` does. --json lists
    the open questions, each with the command that answers it, and asks nothing.

    \b
    Examples:
      followup review --from calendar.ics
      followup review --from calendar.ics --json
    """
    from followup.engine.questions import question_data

    job = make_job(source, rules_path, now_text, since_text)
    plan = planned(job, read_interviews(job))
    if as_json:
        data = {"questions": [question_data(iv, plan.timezone) for iv in plan.near_misses]}
        click.echo(json_text(data), nl=False)
        return
    ask_questions(job, plan)


def ask_questions(job: Job, plan: Plan) -> None:
    """Ask about each of the plan's open questions and record the answers as they come."""
    from followup.engine.answers import Answer, answers_path, record_answers
    from followup.engine.questions import evidence
    from followup.rules.zones import resolve_zone

    questions = plan.near_misses
    if not questions:
        echo("No open questions: every event followup found is counted or left out.")
        return
    zone = resolve_zone(plan.timezone)
    path = answers_path()
    counts = {"yes": 0, "no": 0, "skipped": 0}
    fixes: list[str] = []
    echo(
        f"{len(questions)} event{'s' if len(questions) != 1 else ''} may be "
        f"{'interviews' if len(questions) != 1 else 'an interview'}. "
        "For each: y (an interview), n (not one) or s (skip, ask again later)."
    )
    for number, iv in enumerate(questions, start=1):
        echo("")
        echo(f"{number} of {len(questions)}: {one_line(iv.summary)}")
        uid = iv.key if iv.key.isprintable() else repr(iv.key)  # one line, as stored
        echo(f"  {iv.start.astimezone(zone):%a %d %b %Y %H:%M}, UID {uid}")
        for line in evidence(iv):
            echo(f"  {one_line(line)}")
        try:
            reply = click.prompt(
                "Is it an interview? [y/n/s]",
                type=click.Choice(["y", "n", "s", "yes", "no", "skip"], case_sensitive=False),
                show_choices=False,
            )
        except click.Abort:
            echo("")
            break
        choice = reply[0].lower()
        if choice == "s":
            counts["skipped"] += 1
            continue
        yes = choice == "y"
        record_answers([Answer(iv.uid, yes, iv.summary, plan.now.date())], (), path)
        counts["yes" if yes else "no"] += 1
        if yes and iv.verdict.fix:
            fixes.append(iv.verdict.fix)
    answered = counts["yes"] + counts["no"]
    left = len(questions) - answered
    echo("")
    echo(
        f"Answered {answered}: {counts['yes']} counted as interviews, {counts['no']} left out"
        + (f"; recorded in {shown(path)}" if answered else "")
        + "."
    )
    if left:
        echo(f"{left} still open: `followup review` asks again.")
    for fix in dict.fromkeys(fixes):
        echo(rules_fix(fix))
