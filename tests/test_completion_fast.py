"""TAB answered from the table (cli/completion.py) prints what click prints, byte for byte.

Click's own answer is computed in the same process through click's ShellComplete
classes, and in real processes through a ``followup`` script on ``cli.main:main``
beside one on the entry point pyproject.toml installs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from click.shell_completion import (
    _resolve_context,
    _resolve_incomplete,
    split_arg_string,
)
from hypothesis import given
from hypothesis import strategies as st

from followup.cli import completion_table
from followup.cli.completion import answer
from followup.cli.completion import split_arg_string as split_words
from followup.cli.completion_data import TREE
from followup.cli.main import COMMANDS, main
from followup.cli.shells import CLASSES as SAFE_CLASSES
from tests.conftest import ROOT
from tests.everyday_support import SEARCH

CLI = str(ROOT / "cli")
SHELLS = ("bash", "zsh", "fish")
EXAMPLE = str(ROOT / "examples" / "interviews.ics")


# ------------------------------------------------------------ the cases ----


def commands() -> dict[str, list[click.Parameter]]:
    """Each command's parameters as click sees them on TAB."""
    ctx = main.make_context("followup", [], resilient_parsing=True)
    found = {"": main.get_params(ctx)}
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None
        with command.make_context(name, [], parent=ctx, resilient_parsing=True) as sub:
            found[name] = command.get_params(sub)
    return found


ODD = [
    "followup ",
    "followup p",
    "followup pl",
    "followup plan",
    "followup PL",
    "followup x",
    "followup _",
    "followup +",
    "followup café",
    "followup -",
    "followup --",
    "followup --h",
    "followup --version ",
    "followup --version=",
    "followup =",
    "followup -- ",
    "followup -- pl",
    "followup ''",
    "followup 'pl",
    'followup "pl',
    "followup pl\\",
    "followup\tpl",
    "followup plan --from 'my interviews.ics' --",
    'followup plan --from "a b" --n',
    "followup plan --from a\\ b -",
    "followup plan --now '2026-12-01",
    "followup plan --from café.ics --n",
    "followup plan --from ü\u00a0x.ics --",
    "followup plan --nosuch -",
    "followup plan --nosuch ",
    "followup plan -x -",
    "followup plan -hx -",
    "followup plan --json=1 -",
    "followup plan --json --json -",
    "followup plan --rules a.yaml --rules b.yaml --",
    "followup plan --from --now -",
    "followup plan --from -- -",
    "followup plan -- --",
    "followup plan -- ",
    "followup plan - -",
    "followup plan --from=x --",
    "followup plan --from= --",
    "followup ics -oout.ics -",
    "followup ics -ho -",
    "followup ics -o",
    "followup ics -o=",
    "followup ics --as=E",
    "followup ics --as TODO",
    "followup init -yh -",
    "followup init -y --kind e",
    "followup serve --profile ",
    "followup serve --port 80 --p",
    "followup sync --as=ev",
    "followup sync --timeout=1 --dry-run --",
    "followup mark acme ",
    "followup mark acme O",
    "followup mark acme of",
    "followup mark acme offer ",
    "followup mark acme offer -",
    "followup mark acme offer --n",
    "followup mark --note 'a b' acme r",
    "followup mark --note= acme ",
    "followup mark -- acme ",
    "followup mark acme -- -",
    "followup mark acme bogus ",
    "followup draft acme thank-you -",
    "followup draft acme thank-you --f",
    "followup check ",
    "followup check r",
    "followup check rules.yaml ",
    "followup check rules.yaml --j",
    "followup check -- -r",
    "followup explain acme --",
]


def cases() -> list[str]:
    """Command lines up to the cursor: the odd ones above, and for every command its
    option prefixes, each option's value, after flags, after ``--``."""
    lines = list(ODD)
    for name, params in commands().items():
        if not name:
            continue
        start = f"followup {name} "
        lines += [start, start + "-", start + "--", start + "x", start + "--x=1 -"]
        for param in params:
            if not isinstance(param, click.Option):
                continue
            for opt in (*param.opts, *param.secondary_opts):
                lines += [start + opt[:3], start + opt, start + opt + " -"]
                if param.is_flag:
                    lines += [start + opt + "=1 -", start + opt + " " + opt[:2]]
                    continue
                lines += [
                    start + opt + " ",
                    start + opt + " a",
                    start + opt + "=",
                    start + opt + "=a",
                    start + opt + " a --",
                    start + opt + " a " + opt + " ",
                    start + "-- " + opt + " ",
                ]
                if isinstance(param.type, click.Choice):
                    for choice in param.type.choices:
                        text = str(choice)
                        lines += [start + opt + " " + text[:1], start + opt + " " + text.upper()]
    return lines


def environments(shell: str) -> Iterator[dict[str, str]]:
    """The variables each shell's script sets, for every case; bash and zsh also with
    the cursor on an earlier word."""
    request = {"_FOLLOWUP_COMPLETE": f"{shell}_complete"}
    for line in cases():
        if shell == "fish":  # the line up to the cursor, and the word at the cursor as typed
            current = "" if line[-1:].isspace() else line.split(" ")[-1]
            yield {**request, "COMP_WORDS": line, "COMP_CWORD": current}
            continue
        last = len(split_arg_string(line)) - (0 if line[-1:].isspace() else 1)
        for cword in sorted({last, 1, 2}):
            if cword <= last:
                yield {**request, "COMP_WORDS": line, "COMP_CWORD": str(cword)}


# ----------------------------------------------------------- the answers ----


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def clicks_answer(env: dict[str, str]) -> tuple[bytes, bool]:
    """What click prints for this TAB, and whether the table may leave it to click: the
    word at the cursor completes through code (a ``shell_complete=`` reading the
    calendar), or an option comes before the command. Click failing on a TAB fails the test."""
    shell = env["_FOLLOWUP_COMPLETE"].partition("_")[0]
    comp_class = SAFE_CLASSES[shell]  # what followup registers with click before a TAB
    comp = comp_class(main, {}, "followup", "_FOLLOWUP_COMPLETE")
    with environment(env):
        printed = comp.complete().encode() + b"\n"
        args, incomplete = comp.get_completion_args()
        ctx = _resolve_context(main, {}, "followup", args)
        before_command = bool(args) and args[0] not in COMMANDS
        target, _ = _resolve_incomplete(ctx, args, incomplete)
    computed = isinstance(target, click.Parameter) and target._custom_shell_complete is not None
    return printed, computed or before_command


@pytest.mark.parametrize("shell", SHELLS)
def test_tab_from_the_table_prints_what_click_prints_for_every_command(shell: str) -> None:
    wrong, not_answered, answered = [], [], 0
    tabs = list(environments(shell))
    for env in tabs:
        fast = answer(TREE, env["_FOLLOWUP_COMPLETE"], env, CLI)
        slow, for_click = clicks_answer(env)
        if fast is not None:
            answered += 1
            if fast != slow:
                wrong.append((env["COMP_WORDS"], env["COMP_CWORD"], fast, slow))
        elif not for_click:
            not_answered.append((env["COMP_WORDS"], env["COMP_CWORD"]))
    assert wrong == []
    assert not_answered == []
    assert answered > 0.95 * len(tabs) > 900  # the rest: an interview, a step, an option first


@given(st.text(alphabet=st.sampled_from(list(" \t\r\n\x0b\x0c\xa0\u2003ab-=#'\"\\é"))))
def test_words_are_split_as_click_splits_them(line: str) -> None:
    assert split_words(line) == split_arg_string(line)


def test_a_word_completed_from_the_calendar_is_left_to_click() -> None:
    for words, cword in [("followup mark ", "2"), ("followup draft acme ", "3")]:
        env = {"_FOLLOWUP_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
        assert answer(TREE, "bash_complete", env, CLI) is None


def test_requests_other_than_completing_a_word_are_left_to_click() -> None:
    env = {"COMP_WORDS": "followup pl", "COMP_CWORD": "1"}
    for request in ["bash_source", "zsh_source", "powershell_complete", "tcsh_complete", "bash"]:
        assert answer(TREE, request, env, CLI) is None


def test_a_copy_without_a_commands_module_is_left_to_click(tmp_path: Path) -> None:
    env = {"COMP_WORDS": "followup pl", "COMP_CWORD": "1"}
    assert answer(TREE, "bash_complete", env, CLI) == b"plain,plan\n"
    assert answer(TREE, "bash_complete", env, str(tmp_path)) is None


def test_the_table_is_in_step_with_the_commands() -> None:
    written = completion_table.DATA.read_text(encoding="utf-8")
    assert completion_table.render(completion_table.build()) == written, (
        f"cli/completion_data.py is out of step with the commands: run `{completion_table.COMMAND}`"
    )


def test_the_check_says_what_to_run_when_the_table_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "completion_data.py"
    stale.write_text(completion_table.DATA.read_text().replace('"--json",', '"--jsn",'))
    monkeypatch.setattr(completion_table, "DATA", stale)
    assert completion_table.main(["--check"]) == 1
    assert "run `python -m followup.cli.completion_table`" in capsys.readouterr().out
    assert completion_table.main([]) == 0
    assert completion_table.main(["--check"]) == 0


# ------------------------------------------------------ real processes ----


def script(folder: Path, target: str) -> list[str]:
    """A ``followup`` program on ``module:function``, as pip writes one."""
    module, function = target.split(":")
    folder.mkdir()
    path = folder / "followup"
    path.write_text(
        "import re\nimport sys\n"
        f"from {module} import {function}\n"
        "if __name__ == '__main__':\n"
        "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        f"    sys.exit({function}())\n"
    )
    return [sys.executable, str(path)]


@pytest.fixture(scope="module")
def programs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str]]:
    """The program pyproject.toml installs, and one on click's ``cli.main:main``."""
    installed = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    folder = tmp_path_factory.mktemp("programs")
    return script(folder / "fast", installed["followup"]), script(
        folder / "click", "followup.cli.main:main"
    )


def ran(argv: list[str], *args: str, **env: str) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [*argv, *args],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


def tab(shell: str, words: str, cword: str | None = None) -> dict[str, str]:
    if cword is None:
        cword = str(len(words.split(" ")) - 1) if shell != "fish" else words.split(" ")[-1]
    return {"_FOLLOWUP_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": cword}


PROCESS_CASES = [
    *[tab("bash", f"followup {name} -") for name in COMMANDS],
    *[tab(shell, "followup pl") for shell in SHELLS],
    *[tab(shell, "followup plan --") for shell in SHELLS],
    tab("zsh", "followup ics --as "),
    tab("fish", "followup ics -o out"),
    tab("bash", "followup mark acme O"),
    tab("zsh", "followup check "),
    tab("bash", "followup plan -- -"),
    tab("zsh", "followup plan --json", "1"),
    tab("bash", "followup nosuch -"),
]


@pytest.mark.parametrize(
    "env", PROCESS_CASES, ids=[f"{e['COMP_WORDS']}|{e['COMP_CWORD']}" for e in PROCESS_CASES]
)
def test_the_installed_program_answers_tab_as_click_does(
    programs: tuple[list[str], list[str]], env: dict[str, str]
) -> None:
    fast, slow = programs
    assert ran(fast, **env) == ran(slow, **env)


def test_tab_on_an_interview_still_reads_the_calendar_through_click(
    programs: tuple[list[str], list[str]],
) -> None:
    fast, slow = programs
    env = tab("zsh", f"followup mark --from {SEARCH} ac")
    code, out, err = ran(fast, **env)
    assert (code, out, err) == ran(slow, **env)
    assert b"acme-onsite@example.com" in out


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--help"], {}),
        (["--version"], {}),
        (["plan", "--from", EXAMPLE, "--now", "2026-11-30T08:00"], {}),
        (["nosuch"], {}),
        ([], {"_FOLLOWUP_COMPLETE": "bash_source"}),
        ([], {"_FOLLOWUP_COMPLETE": "fish_source"}),
    ],
    ids=["help", "version", "plan", "unknown command", "bash script", "fish script"],
)
def test_the_installed_program_runs_every_command_as_before(
    programs: tuple[list[str], list[str]], args: list[str], env: dict[str, str]
) -> None:
    fast, slow = programs
    assert ran(fast, *args, **env) == ran(slow, *args, **env)


def test_tab_after_an_unknown_command_prints_no_traceback(
    programs: tuple[list[str], list[str]],
) -> None:
    fast, _ = programs
    code, out, err = ran(fast, **tab("bash", "followup nosuch -"))
    assert (code, err) == (0, b"")
    assert out == (
        b"plain,--version\nplain,--config\nplain,-v\nplain,--verbose\nplain,-h\nplain,--help\n"
    )
