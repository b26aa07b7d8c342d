"""Templates for titles, descriptions and drafted emails, rendered in a sandbox.

Jinja's immutable sandbox keeps a rules file from running code, reading files
or reaching Python internals (``{{ ''.__class__ }}`` is refused). Unknown
variable names are errors, caught when the rules are loaded.

The variables a template sees (all strings, or None when not known):
company, role, recruiter, recruiter_name, recruiter_first_name,
recruiter_email, timeline, status, highlights, fit, note, interview_title,
interview_date, interview_time, location, step_date, step_time, due_date;
for drafts: language, greeting, recruiter_short_name, sender_name, signature,
interview_day, timeline_date. The ``notes`` filter makes Highlights and Fit
into well-formed text (rules.prose).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from rules import prose
from rules.model import Rule, RuleSet

VARIABLES = (
    "company",
    "role",
    "recruiter",
    "recruiter_name",
    "recruiter_first_name",
    "recruiter_email",
    "timeline",
    "status",
    "highlights",
    "fit",
    "note",
    "interview_title",
    "interview_date",
    "interview_time",
    "location",
    "step_date",
    "step_time",
    "due_date",
    "language",
    "greeting",
    "recruiter_short_name",
    "sender_name",
    "signature",
    "interview_day",
    "timeline_date",
)


@pass_context
def _notes(
    context: Context,
    text: str | None,
    lead: str,
    list_lead: str | None = None,
    sentence_ok: bool = False,
) -> str:
    """``{{ highlights | notes('I especially appreciated', 'What stood out for me:') }}``."""
    language = prose.language_of(context.get("language"))
    return prose.notes(
        None if text is None else str(text),
        str(lead),
        None if list_lead is None else str(list_lead),
        language,
        sentence_ok=bool(sentence_ok),
    )


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["notes"] = _notes
    return env


@lru_cache(maxsize=1024)
def compile_template(source: str) -> Template:
    return environment().from_string(source)


def render(source: str, context: dict[str, Any]) -> str:
    """Render one template; plain text (no template syntax) is returned as is."""
    if "{" not in source:
        return source
    return compile_template(source).render(context).strip()


def _template_fields(rule: Rule) -> list[tuple[tuple[str | int, ...], str]]:
    fields: list[tuple[tuple[str | int, ...], str]] = [
        (("title",), rule.title),
        (("description",), rule.description),
    ]
    if rule.email is not None:
        fields += [
            (("email", "to"), rule.email.to),
            (("email", "subject"), rule.email.subject),
            (("email", "body"), rule.email.body),
        ]
    return fields


SAMPLE_KNOWN = {
    "company": "ACME",
    "role": "Backend Engineer",
    "recruiter": "Dana Smith",
    "recruiter_name": "Dana Smith",
    "recruiter_first_name": "Dana",
    "recruiter_email": "dana@acme.example",
    "timeline": "2 weeks",
    "status": "pending",
    "highlights": "the system design discussion",
    "fit": "I have run the kind of platform they are building",
    "note": "",
    "interview_title": "Interview with ACME",
    "interview_date": "Tuesday 1 December",
    "interview_time": "10:00",
    "location": "Video call",
    "step_date": "Wednesday 2 December",
    "step_time": "09:00",
    "due_date": "Friday 4 December",
    "language": "en",
    "greeting": "Dear Dana,",
    "recruiter_short_name": "Dana",
    "sender_name": "Alex Doe",
    "signature": "Alex Doe",
    "interview_day": "1 December",
    "timeline_date": "15 December",
}

SAMPLE_UNKNOWN = {
    **{key: None for key in SAMPLE_KNOWN},
    "status": "pending",
    "interview_title": "Interview",
    "interview_date": "Tuesday 1 December",
    "interview_time": "10:00",
    "step_date": "Wednesday 2 December",
    "step_time": "09:00",
    "language": "en",
    "greeting": "Hello,",
    "interview_day": "1 December",
}


def check_templates(ruleset: RuleSet) -> tuple[tuple[str | int, ...], str] | None:
    """The first template that cannot be rendered, as (location, message); None if all can.

    Each template is rendered with every fact known and with every fact
    unknown, so a template that breaks when the company is missing is found
    now, not on the day the follow-up is due.
    """
    for index, rule in enumerate(ruleset.rules):
        for path, source in _template_fields(rule):
            loc: tuple[str | int, ...] = ("rules", index, *path)
            for sample, facts in ((SAMPLE_KNOWN, "known"), (SAMPLE_UNKNOWN, "unknown")):
                try:
                    render(source, {**sample, "language": ruleset.language})
                except SecurityError as err:
                    return (
                        loc,
                        f"template not allowed: {err} (templates cannot reach Python internals)",
                    )
                except TemplateError as err:
                    what = err.message or type(err).__name__
                    if "is undefined" in what:
                        return (
                            loc,
                            f"template error in {path[-1]}: {what}; available: {', '.join(VARIABLES)}",
                        )
                    return loc, f"template error in {path[-1]} when facts are {facts}: {what}"
                except (TypeError, ValueError, AttributeError, ArithmeticError) as err:
                    return loc, f"template error in {path[-1]} when facts are {facts}: {err}"
    return None
