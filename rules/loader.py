"""Read a rules file: YAML 1.2 with positions, validated by the pydantic model.

Errors name the file, the line and the column, and say what was expected; a
misspelt key gets the closest valid one. Templates are checked here too, by
rendering them once in the sandbox, so a rules file that tries to reach
Python internals fails at load time rather than in the middle of a sync.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.scalarstring import ScalarString

from followup.rules.errors import RulesError
from followup.rules.files import DEFAULT_RULES as DEFAULT_RULES
from followup.rules.files import MAX_RULES_BYTES as MAX_RULES_BYTES
from followup.rules.files import read_rules_text
from followup.rules.files import shipped_rules as shipped_rules
from followup.rules.model import RuleReferenceError, RuleSet


def shipped_policies() -> list[str]:
    return sorted(
        p.name for p in resources.files("followup.rules").iterdir() if p.name.endswith(".yaml")
    )


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load and validate a rules file; ``None`` loads the shipped default policy."""
    text, name = read_rules_text(path)
    return parse_rules(text, name)


def parse_rules(text: str, name: str = "<rules>") -> RuleSet:
    """Parse rules from YAML text; ``name`` is used in error messages."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.Parser = _shallow_parser(yaml.Parser, name)
    try:
        document = yaml.load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = (err.problem or err.context or "invalid YAML").strip()
        if "duplicate key" in str(err):
            problem = "a key appears twice in the same mapping (" + _duplicate_key(err) + ")"
            first = _first_key_line(text, err)
            if first is not None:
                problem += f"; the first is on line {first}"
        raise RulesError(
            f"invalid YAML: {problem}",
            path=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint=_yaml_hint(problem, text, mark.line if mark else None),
        ) from None
    except YAMLError as err:
        raise RulesError(f"invalid YAML: {err}", path=name) from None
    if _expanded_size(document) > MAX_NODES:
        raise RulesError(
            f"the rules expand to more than {MAX_NODES:,} values through YAML aliases (*name)",
            path=name,
            hint="repeat a value with an alias only a few times; for shared settings use 'defaults:'",
        )
    unquoted = _unquoted_template(document, ())
    if unquoted is not None:
        line, column = _position(document, unquoted)
        raise RulesError(
            "a value that starts with '{' is read as a YAML mapping, not as a template",
            path=name,
            line=line,
            column=column,
            hint='put a template in quotes: title: "{{ company }}"',
        )
    if document is None:
        raise RulesError("the rules file is empty; it needs at least a 'rules:' list", path=name)
    if not isinstance(document, dict):
        raise RulesError(
            "expected a mapping with keys such as 'timezone' and 'rules'",
            path=name,
            line=1,
            column=1,
        )
    try:
        ruleset = RuleSet.model_validate(_plain(document))
    except ValidationError as err:
        raise _rules_error(err, document, name) from None
    from followup.rules.templates import template_problems

    found = []
    for problem in template_problems(ruleset):
        line, column = _position(document, problem.loc)
        if problem.line is not None and line is not None:
            # A block scalar (| or >) starts on the line after its key.
            block = isinstance(_node_at(document, problem.loc), ScalarString) and "\n" in str(
                _node_at(document, problem.loc)
            )
            if block or problem.line > 1:
                line = line + problem.line - 1 + (1 if block else 0)
                column = _indent_column(text, line)
        where = _place(document, problem.loc[:2]) if problem.loc[:1] == ("rules",) else ""
        found.append((line, column, f"{where}: {problem.message}" if where else problem.message))
        if len(found) == MAX_PROBLEMS:
            break
    if found:
        line, column, message = found[0]
        for ln, col, msg in found[1:]:
            at = f":{ln}:{col}" if ln and col else f":{ln}" if ln else ""
            message += f"\n{name}{at}: {msg}"
        raise RulesError(message, path=name, line=line, column=column)
    from followup.rules.zones import resolve_zone

    try:
        resolve_zone(ruleset.timezone)
    except ValueError as err:
        line, column = _position(document, ("timezone",))
        raise RulesError(str(err), path=name, line=line, column=column) from None
    if ruleset.holidays is not None:
        from followup.rules.zones import holiday_calendar

        country, subdivision = ruleset.holidays.country, ruleset.holidays.subdivision
        try:
            holiday_calendar(country, None)
        except ValueError as err:
            line, column = _position(document, ("holidays", "country"))
            raise RulesError(str(err), path=name, line=line, column=column) from None
        if subdivision is not None:
            try:
                holiday_calendar(country, subdivision)
            except ValueError:
                line, column = _position(document, ("holidays", "subdivision"))
                raise RulesError(
                    f"no region {subdivision!r} in {country.upper()}'s public holidays; "
                    f"known regions: {', '.join(subdivisions(country)) or 'none'}",
                    path=name,
                    line=line,
                    column=column,
                ) from None
    return ruleset


MAX_PROBLEMS = 50
"""Mistakes reported at once: a file with more is fixed a screenful at a time."""

MAX_DEPTH = 40
"""Rules files nest four or five levels deep; deeper is a mistake or an attack."""

MAX_NODES = 100_000
"""Values after expanding aliases: a real rules file has a few thousand."""


def _shallow_parser(parser: type[Any], name: str) -> type[Any]:
    """``parser`` refusing deep nesting as it goes: the composer builds a node for each
    event it takes, one level of recursion a level of nesting, so a 300-deep ``[[[...`` is
    an error message at the 41st level, not a RecursionError (and the text is parsed once,
    not once to look and once to load)."""
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    class Shallow(parser):  # type: ignore[misc, valid-type]
        depth = 0

        def get_event(self) -> Any:
            event = super().get_event()
            if isinstance(event, CollectionStartEvent):
                self.depth += 1
                if self.depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise RulesError(
                        f"values nest more than {MAX_DEPTH} levels deep",
                        path=name,
                        line=mark.line + 1 if mark else None,
                        column=mark.column + 1 if mark else None,
                    )
            elif isinstance(event, CollectionEndEvent):
                self.depth -= 1
            return event

    return Shallow


def _expanded_size(document: Any) -> int:
    """How many values the document holds once aliases are expanded, counted without
    expanding (each shared node is sized once), so an alias bomb costs nothing to measure."""
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        if not isinstance(node, dict | list):
            return 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a node that contains itself counts once
        children = list(node.keys()) + list(node.values()) if isinstance(node, dict) else node
        total = 1
        for child in children:
            total = min(total + size(child), MAX_NODES + 1)
        sizes[id(node)] = total
        return total

    return size(document)


def _unquoted_template(node: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """Where a mapping has a mapping as its key: ``title: {{ company }}`` unquoted."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, Mapping | list | tuple):
                return loc
            found = _unquoted_template(value, (*loc, str(key)))
            if found is not None:
                return found
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found = _unquoted_template(value, (*loc, index))
            if found is not None:
                return found
    return None


def _indent_column(text: str, line: int) -> int:
    """The column (1-based) where the text of ``line`` (1-based) starts after its indentation."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(here) - len(here.lstrip(" ")) + 1


def _node_at(document: Any, loc: tuple[str | int, ...]) -> Any:
    node = document
    for part in loc:
        node = _child(node, part)
    return node


def _yaml_hint(problem: str, text: str, line: int | None) -> str | None:
    """Advice for the YAML mistakes people make most: tabs and indentation."""
    lines = text.splitlines()
    here = lines[line] if line is not None and 0 <= line < len(lines) else ""
    indent = here[: len(here) - len(here.lstrip())]
    if "\\t" in problem or "\t" in problem or "\t" in indent:
        return "YAML indents with spaces, not tabs: replace the tabs at the start of the line"
    if any(
        words in problem
        for words in (
            "mapping values are not allowed",
            "expected <block end>",
            "could not find expected ':'",
            "did not find expected key",
            "did not find expected '-'",
        )
    ):
        return (
            "check the indentation of this line and the one before: keys of the same "
            "mapping start in the same column, and a value with ': ' in it needs quotes"
        )
    return None


def subdivisions(country: str) -> list[str]:
    """The region codes the holidays package knows for a country (for messages)."""
    import holidays as holidays_lib

    try:
        table = holidays_lib.country_holidays(country.upper())
    except (NotImplementedError, KeyError):
        return []
    return sorted(str(code) for code in getattr(table, "subdivisions", ()))


def _plain(node: Any) -> Any:
    """ruamel's round-trip types as plain dicts, lists and scalars."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def _first_key_line(text: str, err: Any) -> int | None:
    """The line (1-based) of a twice-written key's first time, searched between the start
    of its mapping and the second time, in the second one's column."""
    start, second = err.context_mark, err.problem_mark
    key = _duplicate_key(err).strip("'")
    if start is None or second is None or not key:
        return None
    lines = text.splitlines()
    for number in range(start.line, min(second.line, len(lines))):
        here = lines[number][second.column :]
        if here.startswith((f"{key}:", f"'{key}':", f'"{key}":')):
            return number + 1
    return None


def _duplicate_key(err: Exception) -> str:
    text = str(err)
    marker = 'found duplicate key "'
    if marker in text:
        key = text.split(marker, 1)[1].split('"', 1)[0]
        return f"'{key}'"
    return "see the line named"


def _position(document: Any, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the deepest node of ``loc`` found in the document."""
    node: Any = document
    line: int | None = 1
    column: int | None = 1
    for part in loc:
        try:
            if isinstance(node, dict) and part in node:
                ln, col = _lc(node).key(part)
                line, column = ln + 1, col + 1
                child = node[part]
                if not isinstance(child, dict | list):
                    ln, col = _lc(node).value(part)
                    line, column = ln + 1, col + 1
                node = child
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                ln, col = _lc(node).item(part)
                line, column = ln + 1, col + 1
                node = node[part]
            else:
                break
        except (AttributeError, KeyError, TypeError):
            break
    return line, column


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and part < len(node):
        return node[part]
    return None


def _lc(node: Any) -> Any:
    """ruamel's line/column record of a mapping or sequence."""
    return node.lc


def _key_position(document: Any, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    """Like ``_position`` but for the key itself (an unknown key's own line)."""
    parent_loc, key = loc[:-1], loc[-1]
    node: Any = document
    for part in parent_loc:
        child = _child(node, part)
        if child is None:
            return _position(document, loc)
        node = child
    if isinstance(node, dict) and key in node:
        ln, col = _lc(node).key(key)
        return ln + 1, col + 1
    return _position(document, loc)


def _fields_at(loc: tuple[str | int, ...]) -> list[str]:
    """The valid keys of the model at ``loc`` (for suggestions)."""
    model: type[BaseModel] | None = RuleSet
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return []
        model = _model_in(field.annotation)
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


Problem = tuple[tuple[str | int, ...], str, bool]
"""A mistake as (location in the file, message, whether it points at a key)."""

_TYPE_WORDS = {
    "string_type": "a text",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
}

_MAPPING_EXAMPLES = {
    "when": "{ from: end, offset: 1 day, at: '09:00' }",
    "due": "{ from: end, offset: 3 days, at: '17:00' }",
    "earliest": "{ from: end, offset: 7 days }",
    "latest": "{ from: end, offset: 21 days, at: '09:00' }",
    "if": "{ status: pending }",
    "unless": "{ status: answered }",
    "stop": "{ status: [rejected, withdrawn] }",
    "not": "{ title_contains: final }",
    "alarm": "{ before: 10m }",
    "email": "{ subject: ..., body: ... }",
    "holidays": "{ country: DE, subdivision: BE }",
    "matches": "{ company: '* GmbH' }",
    "sender": "{ name: Alex Doe }",
}


def _describe(error: Any) -> list[Problem]:
    """A pydantic error in the file's own terms: where it is, and what was expected."""
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if isinstance(ctx.get("error"), RuleReferenceError):
        ref: RuleReferenceError = ctx["error"]
        return [(where, message, False) for where, message, _ in ref.problems]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        valid = _fields_at(loc[:-1])
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        allowed = f" (valid keys: {', '.join(valid)})" if valid and not close else ""
        return [(loc, f"unknown key '{key}'{hint}{allowed}", True)]
    if kind == "missing":
        if isinstance(loc[-1], int):
            if loc[-2:-1] in (("hours",), ("all_day_hours",)):
                return [(loc[:-1], "expected two times of day, e.g. ['08:30', '18:00']", False)]
            return [(loc[:-1], f"expected at least {loc[-1] + 1} items", False)]
        return [(loc[:-1], f"missing required key '{loc[-1]}'", False)]
    got = _show(error.get("input"))
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in _TYPE_WORDS:
        wanted = _TYPE_WORDS[kind]
        key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        if wanted.startswith("a mapping") and key in _MAPPING_EXAMPLES:
            wanted = f"a mapping such as {_MAPPING_EXAMPLES[key]}"
        message = f"expected {wanted}, got {got}"
    elif kind.startswith("literal_error") or kind == "enum":
        message = f"{message.replace('Input should be', 'expected')}, got {got}"
    elif kind == "string_too_short":
        message = (
            "must not be empty"
            if ctx.get("min_length") == 1
            else (f"must have at least {ctx.get('min_length')} characters")
        )
    elif kind == "string_too_long":
        message = f"is too long: at most {ctx.get('max_length')} characters"
    elif kind == "too_short":
        count = ctx.get("min_length")
        message = "needs at least one item" if count == 1 else f"needs at least {count} items"
    elif kind == "too_long":
        message = f"has too many items: at most {ctx.get('max_length')}"
    elif kind == "tuple_type" or kind == "too_long_tuple":
        message = "expected two times of day, e.g. ['08:30', '18:00']"
    elif not kind.startswith("value_error") and kind != "assertion_error":
        message = f"{message.replace('Input should be', 'expected')}, got {got}"
    return [(loc, message, False)]


def _merge_unions(problems: list[Problem]) -> list[Problem]:
    """One message per place: a value that fits no member of a union (a text or a list)
    reports the member it was written as, not one line per member."""
    by_loc: dict[tuple[str | int, ...], list[Problem]] = {}
    for problem in problems:
        loc = problem[0]
        # A list member's error ('title_contains.0') belongs to the key when the value
        # written was no list: the key is the place.
        by_loc.setdefault(loc, []).append(problem)
    merged: list[Problem] = []
    for loc, group in by_loc.items():
        specific = [p for p in group if not p[1].startswith("expected ")]
        if specific:
            merged.append(specific[0])
            continue
        if len(group) == 1:
            merged.append(group[0])
            continue
        wanted = [p[1].removeprefix("expected ").rsplit(", got ", 1) for p in group]
        got = wanted[0][1] if len(wanted[0]) > 1 else "?"
        words = list(dict.fromkeys(w[0] for w in wanted))
        merged.append((loc, f"expected {' or '.join(words)}, got {got}", group[0][2]))
    return merged


def _is_union_tag(part: str | int) -> bool:
    return isinstance(part, str) and (
        "[" in part
        or part in {"str", "list[str]", "function-before", "constrained-str", "int", "bool"}
        or part.startswith(("function-", "constrained-", "lax-", "json-or-python"))
    )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _place(document: Any, loc: tuple[str | int, ...]) -> str:
    """Where in the file, in its own words: 'rule thank-you, when.offset'."""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        item = _child(_child(document, "rules"), loc[1])
        rule_id = _child(item, "id") if isinstance(item, dict) else None
        name = f"rule {rule_id}" if isinstance(rule_id, str) else f"rules item {loc[1] + 1}"
        rest = _dotted(loc[2:])
        return f"{name}, {rest}" if rest else name
    return _dotted(loc)


def _dotted(loc: tuple[str | int, ...]) -> str:
    """Keys joined with dots, list items counted from one: 'if.any, item 2, status'."""
    pieces: list[str] = []
    for part in loc:
        if _is_union_tag(part):
            continue
        if isinstance(part, int):
            pieces.append(f", item {part + 1}, ")
        elif pieces and not pieces[-1].endswith(", "):
            pieces.append(f".{part}")
        else:
            pieces.append(str(part))
    return "".join(pieces).removesuffix(", ")


def _rules_error(err: ValidationError, document: Any, name: str) -> RulesError:
    found: list[Problem] = []
    for error in err.errors():
        found.extend(_describe(error))
    problems = []
    for loc, message, at_key in _merge_unions(found):
        line, column = _key_position(document, loc) if at_key else _position(document, loc)
        where = _place(document, loc[:-1] if at_key else loc)
        if "the first is at" in message:
            first = _first_duplicate(document, loc)
            message = message.replace("the first is at", f"the first is on line {first}")
        text = f"{where}: {message}" if where and not message.startswith(where) else message
        problems.append((line or 0, column or 0, text))
    problems = sorted(set(problems), key=lambda p: (p[0], p[1], p[2]))
    line, column, message = problems[0]
    for ln, col, msg in problems[1:]:
        message += f"\n{name}:{ln}:{col}: {msg}" if ln else f"\n{name}: {msg}"
    return RulesError(message, path=name, line=line or None, column=column or None)


def _first_duplicate(document: Any, loc: tuple[str | int, ...]) -> int | None:
    """The line of the first rule with the same id as the one at ``loc``."""
    rules = _child(document, "rules")
    rule_id = _child(_child(rules, loc[1]), "id")
    if not isinstance(rules, list):
        return None
    for index, item in enumerate(rules):
        if isinstance(item, dict) and item.get("id") == rule_id:
            return _position(document, ("rules", index, "id"))[0]
    return None
