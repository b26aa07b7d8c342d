"""Templates for titles, descriptions and drafted emails, rendered in a bounded sandbox.

Jinja's immutable sandbox keeps a rules file from running code, reading files
or reaching Python internals (``{{ ''.__class__ }}`` is refused). On top of it
every render is bounded, whatever a rules file copied from the web says:

- work: loops and calls share a budget of ``MAX_STEPS`` per render (nested
  ``range`` loops stop there, not after hours);
- size: every string or list made by ``~``, ``+``, ``*``, a filter or a call
  is at most ``MAX_VALUE`` characters or items, checked before the big ones
  are made (``'a' * 10**10``, ``'%999999999d'``, ``center(999999999)``), and
  the output at most ``MAX_OUTPUT`` characters;
- numbers: ``**`` and ``*`` refuse results over ``MAX_BITS`` bits (``9**(9**9)``).

The budget counts steps, not seconds, so the same template gives the same
result (or the same refusal) on every machine. Names a template uses are
checked when the rules are loaded, in every ``{% if %}`` branch; any error a
template still raises when it is written is one message naming the rule.

The variables a template sees (all strings, or None when not known):
company, role, recruiter, recruiter_name, recruiter_first_name,
recruiter_email, recruiter_domain, company_domain, interviewers, timeline,
status, highlights, fit, note, interview_title, interview_date,
interview_time, location, categories, step_date, step_time, due_date;
for drafts: language, greeting, recruiter_short_name, sender_name, signature,
interview_day, timeline_date, role_name (the role shortened to its name, for a
subject line), recipient_email and recipient_name (the recruiter; with
``per_person`` each interviewer in turn), recipients (their short names),
email_count (how many emails a step holds, when more than one) and email_list
(them, one a line). The ``notes`` filter makes Highlights and Fit into
well-formed text (rules.prose).
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    meta,
    nodes,
    pass_context,
)
from jinja2.exceptions import SecurityError
from jinja2.filters import FILTERS
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from followup.rules import compiled, prose
from followup.rules.errors import TemplateRenderError
from followup.rules.model import Rule, RuleSet

VARIABLES = (
    "company",
    "role",
    "recruiter",
    "recruiter_name",
    "recruiter_first_name",
    "recruiter_email",
    "recruiter_domain",
    "company_domain",
    "interviewers",
    "timeline",
    "status",
    "highlights",
    "fit",
    "note",
    "interview_title",
    "interview_date",
    "interview_time",
    "location",
    "categories",
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
    "role_name",
    "recipient_email",
    "recipient_name",
    "recipients",
    "email_count",
    "email_list",
    "capped",
)

MAX_STEPS = 100_000
"""Loop iterations and calls per render."""

MAX_VALUE = 50_000
"""Characters (or items) in any value a template makes."""

MAX_OUTPUT = 50_000
"""Characters a template writes: an email body is a few hundred."""

MAX_BITS = 4096
"""Bits in a number a template computes."""

MAX_WIDTH = 1000
"""A width or precision in a format (``'%5d'``, ``'{:>8}'``) or a filter (``center``)."""

SAFE_STR_METHODS = frozenset(
    [
        "capitalize",
        "casefold",
        "count",
        "endswith",
        "find",
        "format",
        "index",
        "isalnum",
        "isalpha",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "rfind",
        "rindex",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
    ]
)
"""String methods a template may call: none of them makes a string longer than its input."""


class TemplateLimit(SecurityError):
    """A template went over one of the bounds."""


_steps: ContextVar[list[int] | None] = ContextVar("template_steps", default=None)


def _step(count: int = 1) -> None:
    counter = _steps.get()
    if counter is None:  # constant folding at compile time
        return
    counter[0] += count
    if counter[0] > MAX_STEPS:
        raise TemplateLimit(f"the template takes more than {MAX_STEPS:,} steps (loops and calls)")


def _weight(value: Any, limit: int = MAX_VALUE) -> int:
    """The size of a value: characters of strings, items of lists, added up (stops past limit)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple | dict):
        total = len(value)
        items = value.values() if isinstance(value, dict) else value
        for item in items:
            if total > limit:
                break
            total += _weight(item, limit - total)
        return total
    return 1


def _sized(value: Any) -> Any:
    if isinstance(value, str | list | tuple | dict) and _weight(value) > MAX_VALUE:
        raise TemplateLimit(f"the template makes a value longer than {MAX_VALUE:,} characters")
    return value


def _width(number: Any) -> None:
    if isinstance(number, int) and abs(number) > MAX_WIDTH:
        raise TemplateLimit(f"a width of {number:,} is over the limit of {MAX_WIDTH}")


_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*([0-9]*|\*)(?:\.([0-9]*|\*))?")


def _check_printf(spec: str) -> None:
    """Widths in a '%' format: numbers at most MAX_WIDTH, no '*' (a width taken from the data)."""
    for match in _PRINTF.finditer(spec):
        for part in match.groups():
            if part == "*":
                raise TemplateLimit("a '*' width in a format is not allowed; write the number")
            if part and (len(part) > 4 or int(part) > MAX_WIDTH):
                raise TemplateLimit(f"a width of {part} is over the limit of {MAX_WIDTH}")


_DIGITS = re.compile(r"[0-9]+")


def _check_format(text: str) -> None:
    """Widths in a str.format string, nested fields included."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError as err:
        raise TemplateLimit(f"a format string cannot be read: {err}") from None
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise TemplateLimit("a width taken from the data in a format is not allowed")
        for digits in _DIGITS.findall(spec):
            if len(digits) > 4 or int(digits) > MAX_WIDTH:
                raise TemplateLimit(f"a width of {digits} is over the limit of {MAX_WIDTH}")


def _bounded_range(*args: int) -> Iterator[int]:
    for number in args:
        if not isinstance(number, int):
            raise TypeError("range() takes whole numbers")
    numbers = range(*args)
    if len(numbers) > MAX_STEPS:
        raise TemplateLimit(f"range() of more than {MAX_STEPS:,} numbers")
    return iter(numbers)


def _loop_budget(iterable: Any) -> Iterator[Any]:
    """What a ``{% for %}`` loops over, one budget step per item."""
    for item in iterable:
        _step()
        yield item


def _filter(name: str, check: Callable[..., None]) -> Callable[..., Any]:
    original = FILTERS[name]

    def bounded(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return _sized(original(*args, **kwargs))

    bounded.__name__ = original.__name__
    for attribute in ("jinja_pass_arg",):
        if hasattr(original, attribute):
            setattr(bounded, attribute, getattr(original, attribute))
    return bounded


def _check_center(value: Any, width: Any = 80, *_: Any, **__: Any) -> None:
    _width(width)


def _check_indent(value: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    if isinstance(width, str):
        if len(width) > MAX_WIDTH:
            raise TemplateLimit(f"an indent of {len(width):,} characters is over {MAX_WIDTH}")
    else:
        _width(width)


def _check_format_filter(value: Any, *_: Any, **__: Any) -> None:
    if isinstance(value, str):
        _check_printf(value)
        _check_format(value)


def _check_replace(_ctx: Any, value: Any, old: Any, new: Any, count: Any = None) -> None:
    text, old_text, new_text = str(value), str(old), str(new)
    times = len(text) + 1 if old_text == "" else text.count(old_text)
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    if len(text) + times * max(0, len(new_text) - len(old_text)) > MAX_VALUE:
        raise TemplateLimit(f"replace() would make more than {MAX_VALUE:,} characters")


def _check_join(_ctx: Any, value: Any, d: Any = "", attribute: Any = None) -> None:
    if isinstance(value, str | list | tuple | dict):
        items = len(value)
        if _weight(value) + items * len(str(d)) > MAX_VALUE:
            raise TemplateLimit(f"join() would make more than {MAX_VALUE:,} characters")


def _check_wordwrap(_env: Any, value: Any, width: Any = 79, *_: Any, **__: Any) -> None:
    _width(width)


class _Bounds(NodeTransformer):
    """Rewrite a parsed template so loops and joined strings go through the bounds."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(
            nodes.Name("_loop_budget", "load"), [node.iter], [], None, None, lineno=node.lineno
        )
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(nodes.Name("_sized", "load"), [node], [], None, None, lineno=node.lineno)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with every operation that can grow without bound checked first."""

    intercepted_binops = frozenset(["**", "*", "%", "+", "//", "/"])
    intercepted_unops = frozenset()

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        bounded = _Bounds().visit(tree)
        assert isinstance(bounded, nodes.Template)
        return bounded

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr not in SAFE_STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _check_format(str(value.__self__))

        def bounded(*args: Any, **kwargs: Any) -> str:
            return str(_sized(wrapped(*args, **kwargs)))

        return bounded

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _is_number(left) and _is_number(right):
            if abs(right) > 1 and abs(left) > 1:
                bits = max(1, int(abs(left)).bit_length())
                if right > 0 and bits * right > MAX_BITS:
                    raise TemplateLimit(f"a number of more than {MAX_BITS} bits")
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and _weight(seq) * max(times, 0) > MAX_VALUE
                ):
                    raise TemplateLimit(
                        f"the template makes a value longer than {MAX_VALUE:,} characters"
                    )
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_BITS
            ):
                raise TemplateLimit(f"a number of more than {MAX_BITS} bits")
        elif operator == "%" and isinstance(left, str):
            _check_printf(left)
        return _sized(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _step()
        for value in (*args, *kwargs.values()):
            _sized(value)
        return _sized(super().call(__context, __obj, *args, **kwargs))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
def environment() -> BoundedEnvironment:
    env = BoundedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Deterministic output: no random filter, no lorem ipsum; batch and slice pad
    # lists to any length they are asked for.
    for name in ("random", "batch", "slice", "urlize"):
        env.filters.pop(name, None)
    env.globals.pop("lipsum", None)
    env.filters["center"] = _filter("center", _check_center)
    env.filters["indent"] = _filter("indent", _check_indent)
    env.filters["format"] = _filter("format", _check_format_filter)
    env.filters["replace"] = _filter("replace", _check_replace)
    env.filters["join"] = _filter("join", _check_join)
    env.filters["wordwrap"] = _filter("wordwrap", _check_wordwrap)
    env.globals["range"] = _bounded_range
    env.globals["_loop_budget"] = _loop_budget
    env.globals["_sized"] = _sized
    env.filters["notes"] = _notes
    return env


_QUOTED = re.compile(r"'([^']{1,80})'")
_NO_ATTRIBUTE = re.compile(r"^'([A-Za-z_]{1,40}) object' has no attribute '([^']{1,80})'$")
_KINDS = {
    "str": "a text",
    "int": "a number",
    "float": "a number",
    "list": "a list",
    "tuple": "a list",
    "dict": "a mapping",
    "NoneType": "an empty value",
    "bool": "true or false",
}


def _undefined_words(message: str) -> str:
    """Jinja's 'str object has no attribute x' as the rules speak: a text has no 'x'."""
    found = _NO_ATTRIBUTE.match(message)
    if found:
        kind = _KINDS.get(found.group(1), "this value")
        return f"{kind} has no '{found.group(2)}'"
    return message or "it cannot be written out"


_NO_FILTER = re.compile(r"^No (filter|test) named '([^']{1,80})'\.?")


_TOKENS = {"end of statement block": "%}", "end of print statement": "}}"}
_OPEN_BLOCK = re.compile(
    r"^(?:Unexpected end of template|Encountered unknown tag '(\w{1,40})')\. Jinja was looking "
    r"for the following tags: [^.]{1,200}\. The innermost block that needs to be closed is "
    r"'(\w{1,40})'\.$"
)
_UNKNOWN_TAG = re.compile(r"^Encountered unknown tag '(\w{1,40})'\.$")
_NO_VALUE = re.compile(r"^Expected an expression, got '([a-z ]{1,40})'$")
_ENDS_EARLY = re.compile(r"^unexpected end of template, expected '([a-z ]{1,40})'\.$")
_BAD_CHAR = re.compile(r"^unexpected char (.{1,8}) at \d+$")


def _syntax_words(message: str) -> str:
    """Jinja's syntax errors in the terms of the template as written: which tag is open,
    what is missing before which mark; an unknown filter gets the closest one there is."""
    if found := _OPEN_BLOCK.match(message):
        tag, block = found.groups()
        if tag is None:
            return f"the template ends inside its {{% {block} %}}: close it with {{% end{block} %}}"
        return f"{{% {tag} %}} where the open {{% {block} %}} needs {{% end{block} %}}"
    if found := _UNKNOWN_TAG.match(message):
        tag = found.group(1)
        if tag.startswith("end") and len(tag) > 3:
            return f"{{% {tag} %}} with no {{% {tag[3:]} %}} open before it"
        return f"{{% {tag} %}} is no tag a template knows"
    if found := _NO_VALUE.match(message):
        mark = _TOKENS.get(found.group(1), found.group(1))
        return f"a value is missing before '{mark}'"
    if found := _ENDS_EARLY.match(message):
        mark = _TOKENS.get(found.group(1), found.group(1))
        return f"the template ends before its '{mark}'"
    if found := _BAD_CHAR.match(message):
        return f"a character it cannot read here: {found.group(1)} (is a quote left open?)"
    found = _NO_FILTER.match(message)
    if not found:
        return message
    kind, name = found.groups()
    known = environment().filters if kind == "filter" else environment().tests
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"no {kind} named '{name}'" + (f"; did you mean '{close[0]}'?" if close else "")


def _failure_words(err: Exception) -> str:
    """What a template did wrong, in its own terms rather than Python's."""
    if isinstance(err, ZeroDivisionError):
        return "it divides by zero"
    if isinstance(err, OverflowError):
        return "a number in it grows too large"
    if isinstance(err, TypeError):
        return (
            "it uses a value the wrong way (a number where a text is needed, or a filter "
            "with arguments it does not take)"
        )
    if isinstance(err, KeyError | IndexError):
        return "it asks for an item that is not there"
    if isinstance(err, ValueError):
        return "it gives a filter a value the filter cannot use"
    return "it cannot be written out"


GLOBALS = frozenset({"range", "dict", "cycler", "joiner", "namespace", "_loop_budget", "_sized"})


@lru_cache(maxsize=1024)
def compile_template(source: str) -> Template:
    """The template, from code compiled before when there is some (as ``from_string``
    would make it; see rules.compiled)."""
    env = environment()
    code = compiled.code_for(source)
    if code is None:
        code = env.compile(source)
        compiled.keep(source, code)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def template_sources(ruleset: RuleSet) -> list[str]:
    """The rules' templates (fields with template syntax), each once, in the rules' order."""
    found = (source for rule in ruleset.rules for _, source in _template_fields(rule))
    return list(dict.fromkeys(source for source in found if "{" in source))


def render(source: str, context: dict[str, Any]) -> str:
    """Render one template within the bounds; plain text (no template syntax) is returned as is.

    Any failure is a TemplateRenderError saying what went wrong, never a traceback.
    """
    if "{" not in source:
        return source
    token = _steps.set([0])
    try:
        parts: list[str] = []
        length = 0
        for part in compile_template(source).generate(context):
            length += len(part)
            if length > MAX_OUTPUT:
                raise TemplateLimit(f"the template writes more than {MAX_OUTPUT:,} characters")
            parts.append(part)
        return "".join(parts).strip()
    except TemplateLimit as err:
        raise TemplateRenderError(f"over a limit: {err}") from None
    except SecurityError as err:
        reached = _QUOTED.search(str(err))
        what = f"'{reached.group(1)}'" if reached else "a part of Python"
        raise TemplateRenderError(
            f"not allowed: it reaches for {what} (templates cannot reach Python internals; "
            "use filters)"
        ) from None
    except TemplateError as err:
        raise TemplateRenderError(_undefined_words(err.message or "")) from None
    except RecursionError:
        raise TemplateRenderError("a macro calls itself too deeply") from None
    except MemoryError:
        raise TemplateRenderError("the template needs too much memory") from None
    except Exception as err:  # a template is code: any error in it is the rule's
        raise TemplateRenderError(_failure_words(err)) from None
    finally:
        _steps.reset(token)


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
    "recruiter_domain": "acme.example",
    "company_domain": "acme.example",
    "interviewers": "Lee Chen",
    "timeline": "2 weeks",
    "status": "pending",
    "highlights": "the system design discussion",
    "fit": "I have run the kind of platform they are building",
    "note": "",
    "interview_title": "Interview with ACME",
    "interview_date": "Tuesday 1 December",
    "interview_time": "10:00",
    "location": "Video call",
    "categories": "interview",
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
    "role_name": "Backend Engineer",
    "recipient_email": "dana@acme.example",
    "recipient_name": "Dana Smith",
    "recipients": "Lee and Dana",
    "email_count": "2",
    "email_list": "One email each (2):\n- Lee Chen <lee@acme.example>\n- Dana Smith",
    "capped": "latest",
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


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """A template that cannot work: where in the rules, what, and its line in the template."""

    loc: tuple[str | int, ...]
    message: str
    line: int | None = None


def check_templates(ruleset: RuleSet) -> TemplateProblem | None:
    """The first template that cannot work, or None if all can."""
    return next(template_problems(ruleset), None)


def template_problems(ruleset: RuleSet) -> Iterator[TemplateProblem]:
    """Every template that cannot work, one problem each, in the order of the file.

    Each template is read and every name it uses, in every branch, must be a
    variable a template sees; then it is rendered with every fact known and
    with every fact unknown, so a template that breaks when the company is
    missing is found now, not on the day the follow-up is due.
    """
    for index, rule in enumerate(ruleset.rules):
        for path, source in _template_fields(rule):
            loc: tuple[str | int, ...] = ("rules", index, *path)
            problem = _static_problem(source, path[-1])
            if problem is not None:
                message, line = problem
                yield TemplateProblem(loc, message, line)
                continue
            for sample, facts in ((SAMPLE_KNOWN, "known"), (SAMPLE_UNKNOWN, "unknown")):
                try:
                    render(source, {**sample, "language": ruleset.language})
                except TemplateRenderError as err:
                    if err.message.startswith("not allowed: "):
                        detail = err.message.removeprefix("not allowed: ")
                        yield TemplateProblem(loc, f"template not allowed in {path[-1]}: {detail}")
                    else:
                        yield TemplateProblem(
                            loc,
                            f"template error in {path[-1]} when facts are {facts}: {err.message}",
                        )
                    break


def _static_problem(source: str, field: str | int) -> tuple[str, int | None] | None:
    """A syntax error, an unknown filter, or a name no template sees, with its template line."""
    if "{" not in source:
        return None
    try:
        tree = environment().parse(source)
        if compiled.code_for(source) is None:  # one reading serves the code and the names
            compiled.keep(source, environment().compile(tree))
        compile_template(source)
    except TemplateSyntaxError as err:
        return f"template error in {field}: {_syntax_words(err.message or '')}", err.lineno
    except TemplateError as err:
        return f"template error in {field}: {err.message or type(err).__name__}", None
    # A name set with {% set %} in a branch counts as the template's own; whether it is
    # set on every path the render with known and unknown facts finds out.
    assigned = {
        node.name
        for node in _names(tree.find_all((nodes.Assign, nodes.AssignBlock)))
        if node.ctx == "store"
    }
    unknown = meta.find_undeclared_variables(tree) - set(VARIABLES) - GLOBALS - assigned
    if not unknown:
        return None
    name = sorted(unknown)[0]
    line = min(
        (node.lineno for node in _names(tree.find_all(nodes.Name)) if node.name == name),
        default=None,
    )
    close = difflib.get_close_matches(name, VARIABLES, n=1, cutoff=0.6)
    if close:
        return f"template error in {field}: '{name}' is undefined; did you mean '{close[0]}'?", line
    return (
        f"template error in {field}: '{name}' is undefined; available: {', '.join(VARIABLES)}",
        line,
    )


def _names(found: Iterable[nodes.Node]) -> Iterator[nodes.Name]:
    for node in found:
        if isinstance(node, nodes.Name):
            yield node
        elif isinstance(node, nodes.Assign | nodes.AssignBlock):
            yield from _names(node.target.find_all(nodes.Name))
            if isinstance(node.target, nodes.Name):
                yield node.target
