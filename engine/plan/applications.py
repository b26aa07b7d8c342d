"""Applications: the rounds of one company, or of one series, taken as one.

Pure. Two interviews are rounds of one application when their companies match
once case and legal form are left out ("Acme", "Acme Corp"), when their
recruiters write from one company's mail domain, or when they are occurrences
of one series (the days of a two-day onsite). The planner supersedes a round's
status check with the next round's; ``followup mark``, ``draft`` and
``explain`` act on a whole application when given its company.
"""

from __future__ import annotations

from collections.abc import Sequence

from followup.engine.model import Interview
from followup.engine.people import company_key, recruiter_domain


def applications(interviews: Sequence[Interview]) -> list[tuple[Interview, ...]]:
    """The interviews grouped into applications: each group in order of start, the
    groups in order of their first round."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        root = key
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[key] != root:  # path halving keeps later finds short
            parent[key], key = root, parent[key]
        return root

    members: list[tuple[Interview, str]] = []
    for interview in interviews:
        keys = [f"u:{interview.uid}"]
        keys += [f"c:{k}" for k in [company_key(interview.facts.company)] if k]
        keys += [f"d:{d}" for d in [recruiter_domain(interview.facts.recruiter_email)] if d]
        for key in keys[1:]:
            parent[find(key)] = find(keys[0])
        members.append((interview, keys[0]))
    groups: dict[str, list[Interview]] = {}
    for interview, key in members:
        groups.setdefault(find(key), []).append(interview)
    ordered = [sorted(group, key=lambda iv: (iv.start, iv.key)) for group in groups.values()]
    ordered.sort(key=lambda group: (group[0].start, group[0].key))
    return [tuple(group) for group in ordered]


def rounds_by_key(interviews: Sequence[Interview]) -> dict[str, tuple[Interview, ...]]:
    """Each interview's application (its own key -> every round, in order of start)."""
    return {iv.key: group for group in applications(interviews) for iv in group}


def application_name(rounds: Sequence[Interview]) -> str:
    """What people call an application: the company of its latest round that names one,
    else the title of its first round."""
    named = [iv.facts.company for iv in rounds if iv.facts.company]
    return named[-1] if named else rounds[0].summary
