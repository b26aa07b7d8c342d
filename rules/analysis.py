"""What a rules file does, read without a calendar: chains of fallbacks, and rules that
can never plan a step.

``followup check`` reports both, and the planner runs chains the same way, so what
check says about a rule is what the planner does with it.
"""

from __future__ import annotations

from typing import Any, get_args

from followup.rules.model import Condition, Rule, RuleSet
from followup.rules.statuses import ANSWERED, StatusKind

_ALL: frozenset[str] = frozenset(get_args(StatusKind))


def chain_of(rules: RuleSet, rule: Rule) -> list[Rule]:
    """``rule`` and the fallbacks it hands over to, in order (the loader refuses cycles)."""
    chain = [rule]
    while chain[-1].fallback is not None and len(chain) <= len(rules.rules):
        nxt = rules.rule(chain[-1].fallback)
        if nxt in chain:
            break
        chain.append(nxt)
    return chain


def chain_heads(rules: RuleSet) -> dict[str, tuple[str, ...]]:
    """For each rule, the rules that run on their own whose chain holds it."""
    fallbacks = rules.fallback_ids()
    heads: dict[str, list[str]] = {}
    for rule in rules.rules:
        if rule.id in fallbacks:
            continue
        for member in chain_of(rules, rule):
            heads.setdefault(member.id, []).append(rule.id)
    return {key: tuple(value) for key, value in heads.items()}


def fallback_notes(rules: RuleSet) -> list[str]:
    """One line per fallback-only rule: which chains hand over to it, in their order."""
    heads = chain_heads(rules)
    notes = []
    for rule in rules.rules:
        if rule.id not in rules.fallback_ids():
            continue
        named_by = ", ".join(o.id for o in rules.rules if o.fallback == rule.id)
        chains = [
            " -> ".join(r.id for r in chain_of(rules, rules.rule(head)))
            for head in heads.get(rule.id, ())
        ]
        long = [chain for chain in chains if chain.count("->") > 1]
        via = f" (chain: {'; '.join(long)})" if long else ""
        notes.append(f"{rule.id} runs only as the fallback of {named_by}, not on its own{via}")
    return notes


def _statuses(values: Any) -> frozenset[str]:
    words = (values,) if isinstance(values, str) else tuple(values)
    kinds: set[str] = set()
    for word in words:
        kinds |= ANSWERED if word == "answered" else {word}
    return frozenset(kinds)


def _simple(condition: Condition | None) -> dict[str, Any]:
    """The keys of a condition that hold on their own (any and not aside), as written."""
    if condition is None:
        return {}
    return {key: value for key, value in condition.given() if key not in ("any", "not")}


def _covers(outer: dict[str, Any], inner: dict[str, Any]) -> bool:
    """Whether ``inner`` holds whenever ``outer`` does: each key of inner is in outer with
    the same value (statuses: a subset)."""
    if not inner:
        return False
    for key, value in inner.items():
        if key not in outer:
            return False
        if key == "status":
            if not _statuses(outer[key]) <= _statuses(value):
                return False
        elif outer[key] != value:
            return False
    return True


def _whole(condition: Condition | None) -> dict[str, Any]:
    """The keys of a condition that is nothing but them; {} when it also has any or not
    (which narrow it: then it cannot be said to hold whenever its simple keys do)."""
    if condition is None or any(key in ("any", "not") for key, _ in condition.given()):
        return {}
    return _simple(condition)


def _condition_problem(rules: RuleSet, rule: Rule) -> str | None:
    when_if = _simple(rules.if_of(rule))
    unless = _whole(rules.unless_of(rule))
    stop = _whole(rules.stop)
    allowed = set(_statuses(when_if["status"])) if "status" in when_if else set(_ALL)
    for name, other in (("its 'unless'", unless), ("the file's 'stop'", stop)):
        if set(other) == {"status"}:
            allowed -= _statuses(other["status"])
            if not allowed:
                asked = when_if.get("status", "any status")
                return f"{name} ({_show(other)}) holds for every status its 'if' allows ({asked})"
        elif _covers(when_if, other):
            return f"{name} ({_show(other)}) holds whenever its 'if' ({_show(when_if)}) does"
    if rule.when.from_ == "timeline" and when_if.get("timeline") == "unknown":
        return "it counts from the timeline, but its 'if' asks for no timeline"
    if rule.when.from_ == "timeline" and unless.get("timeline") == "known":
        rest = {key: value for key, value in unless.items() if key != "timeline"}
        if not rest or _covers(when_if, rest):  # the unless's other keys hold as well
            return "it counts from the timeline, but its 'unless' drops it when one is known"
    return None


def _show(condition: dict[str, Any]) -> str:
    return "{ " + ", ".join(f"{key}: {value}" for key, value in condition.items()) + " }"


def never_planned(rules: RuleSet) -> dict[str, str]:
    """Rules that can plan no step for any interview, each with the reason.

    A rule whose conditions contradict each other (or the file's ``stop``), one that
    counts from a rule that never plans, and one whose due counts from such a rule.
    """
    found: dict[str, str] = {}
    for rule in rules.rules:
        problem = _condition_problem(rules, rule)
        if problem:
            found[rule.id] = problem
    # Anchors on rules that never plan: repeated until nothing changes (bounded by the file).
    for _ in range(len(rules.rules)):
        changed = False
        for rule in rules.rules:
            if rule.id in found:
                continue
            for key, ref in rule.references():
                if key == "fallback" or key.split(".")[1] != "from" or ref not in found:
                    continue
                if ref in _reachable_by_fallback(rules, found):
                    continue
                found[rule.id] = f"its {key} names {ref}, which never plans a step"
                changed = True
                break
        if not changed:
            break
    return found


def _reachable_by_fallback(rules: RuleSet, found: dict[str, str]) -> set[str]:
    """Rules that plan nothing themselves but whose chain may: the anchor of a rule that
    names them is whichever of the chain planned, so naming them is not a dead end."""
    reach: set[str] = set()
    fallbacks = rules.fallback_ids()
    for rule in rules.rules:
        if rule.id in fallbacks:
            continue
        chain = chain_of(rules, rule)
        if any(member.id not in found for member in chain[1:]):
            reach.add(rule.id)
    return reach
