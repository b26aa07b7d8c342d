"""Shell completion through click: the scripts, and what TAB offers on each everyday command."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from tests.everyday_support import SEARCH

FROM = f"--from {SEARCH} --now 2026-11-20T08:00"


def complete(words: str, shell: str = "bash") -> list[str]:
    """What the shell gets for the last word of ``words`` (bash: 'type,value' lines)."""
    parts = words.split(" ")
    result = CliRunner().invoke(
        main,
        [],
        prog_name="followup",
        env={
            "_FOLLOWUP_COMPLETE": f"{shell}_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
        },
    )
    assert result.exit_code == 0
    return [line for line in result.output.splitlines() if line]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _followup_completion followup"),
        ("zsh", "#compdef followup"),
        ("fish", "complete --no-files --command followup"),
    ],
)
def test_each_shell_gets_a_completion_script(shell: str, marker: str) -> None:
    result = CliRunner().invoke(
        main, [], prog_name="followup", env={"_FOLLOWUP_COMPLETE": f"{shell}_source"}
    )
    assert result.exit_code == 0
    assert marker in result.output


def test_tab_completes_the_command_names() -> None:
    assert complete("followup dr") == ["plain,draft"]
    assert complete("followup e") == ["plain,explain"]


def test_tab_offers_the_statuses_a_mark_can_record() -> None:
    assert complete("followup mark ACME ") == [
        "plain,pending",
        "plain,replied",
        "plain,offer",
        "plain,rejected",
        "plain,withdrawn",
    ]


def test_tab_offers_the_uids_of_the_interviews_in_the_source_with_their_titles() -> None:
    assert complete(f"followup draft {FROM} Glo") == ["plain,globex-screen@example.com"]
    assert complete(f"followup explain {FROM} ac", shell="zsh") == [
        "plain",
        "acme-onsite@example.com",
        "Interview with ACME – Backend Engineer",
    ]


def test_tab_offers_the_steps_that_draft_an_email() -> None:
    assert complete(f"followup draft {FROM} ACME ") == [
        "plain,thank-you",
        "plain,status-check",
        "plain,status-check-window",
    ]


def test_without_a_source_there_is_nothing_to_offer_and_no_error() -> None:
    assert complete("followup mark ") == []
    assert complete("followup mark --from missing.ics ") == []
