"""Write cli/completion_data.py, the table TAB is answered from, from the click commands.

    python -m followup.cli.completion_table          rewrite the table after changing a command
    python -m followup.cli.completion_table --check  exit 1 if the table is out of step

Each command's parameters are read from click's own objects in the context
click builds on TAB. A command with something the table cannot describe
exactly (a subgroup, options taking several values or an optional value,
unknown option prefixes, deprecated parameters, shared parameter names)
is written as ``None``: click answers every TAB on it. A parameter whose
completion is computed (``shell_complete=``, a custom type) is marked
``click``: TAB on it goes to click as well.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from followup.cli.completion import Command, Completes, Param, Tree

DATA = Path(__file__).with_name("completion_data.py")
COMMAND = "python -m followup.cli.completion_table"

HEADER = f'''"""What TAB offers for each command, read from the click commands: see cli/completion.py.

Written by `{COMMAND}`; do not edit by hand (a test fails when it is out of step).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from followup.cli.completion import Tree

TREE: Tree = '''


def build() -> Tree:
    """The table for the commands as they are now."""
    from followup.cli.main import COMMANDS
    from followup.cli.main import main as group

    ctx = group.make_context("followup", [], resilient_parsing=True)
    main_params = describe(group, ctx, top=True)
    if main_params is None:
        raise SystemExit("the followup group itself has parameters the table cannot describe")
    commands: dict[str, Command] = {}
    for name, target in COMMANDS.items():
        module = target.split(":")[0]
        package, _, stem = module.rpartition(".")
        command = group.get_command(ctx, name)
        if package != "followup.cli" or command is None:
            raise SystemExit(f"{name}: {target} is not a command in a module of cli/")
        with command.make_context(name, [], parent=ctx, resilient_parsing=True) as sub:
            commands[name] = {"module": stem, "params": describe(command, sub, top=False)}
    return {"main": main_params, "commands": commands}


def describe(command: click.Command, ctx: click.Context, *, top: bool) -> tuple[Param, ...] | None:
    """A command's parameters in click's order (``get_params``, --help last), or None."""
    if (isinstance(command, click.Group) and not top) or ctx.token_normalize_func is not None:
        return None
    if ctx.ignore_unknown_options or (not top and not ctx.allow_interspersed_args):
        return None
    params = command.get_params(ctx)
    if len({p.name for p in params}) != len(params):
        return None
    described: list[Param] = []
    for param in params:
        if param.deprecated or param.name is None or param.nargs != 1:
            return None
        if isinstance(param, click.Option):
            if any(opt[:1] != "-" for opt in (*param.opts, *param.secondary_opts)):
                return None
            if param._flag_needs_value:
                return None
        choices: tuple[str, ...] = ()
        case_sensitive = True
        kind = completion_kind(param)
        if kind == "choice":
            assert isinstance(param.type, click.Choice)
            choices = tuple(param.type.normalize_choice(c, ctx) for c in param.type.choices)
            case_sensitive = param.type.case_sensitive
        option = isinstance(param, click.Option)
        described.append(
            {
                "name": param.name,
                "argument": not option,
                "opts": tuple(param.opts) if option else (),
                "secondary_opts": tuple(param.secondary_opts) if option else (),
                "help": param.help if isinstance(param, click.Option) else None,
                "hidden": param.hidden if isinstance(param, click.Option) else False,
                "multiple": param.multiple,
                "takes_value": isinstance(param, click.Option)
                and not (param.is_flag or param.count),
                "complete": kind,
                "choices": choices,
                "case_sensitive": case_sensitive,
            }
        )
    return tuple(described)


def completion_kind(param: click.Parameter) -> Completes:
    """What ``param.shell_complete`` returns, as far as a table can say it."""
    if param._custom_shell_complete is not None:
        return "click"
    method = type(param.type).shell_complete
    if method is click.ParamType.shell_complete:
        return "nothing"
    if method is click.Choice.shell_complete:
        return "choice"
    if method is click.Path.shell_complete:
        assert isinstance(param.type, click.Path)
        return "dir" if param.type.dir_okay and not param.type.file_okay else "file"
    if method is click.File.shell_complete:
        return "file"
    return "click"


def render(tree: Tree) -> str:
    """The module's text, formatted as ``ruff format`` leaves it."""
    return HEADER + _literal(tree, 0) + "\n"


def _literal(value: object, indent: int) -> str:
    inner = " " * (indent + 4)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        body = "".join(
            f"{inner}{_string(k)}: {_literal(v, indent + 4)},\n" for k, v in value.items()
        )
        return "{\n" + body + " " * indent + "}" if value else "{}"
    if isinstance(value, tuple):
        if not value:
            return "()"
        if len(value) == 1 and isinstance(value[0], str):
            return f"({_string(value[0])},)"  # ruff keeps a one-tuple on one line
        body = "".join(f"{inner}{_literal(v, indent + 4)},\n" for v in value)
        return "(\n" + body + " " * indent + ")"
    if value is None or isinstance(value, bool | int):
        return repr(value)
    raise TypeError(f"no literal for {value!r}")


def _string(text: str) -> str:
    """A string literal in the quotes ruff prefers: double, unless single needs fewer escapes."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = []
    for char in text:
        if char == "\\" or char == quote:
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(repr(char)[1:-1])
    return quote + "".join(out) + quote


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Only say whether it is current.")
    args = parser.parse_args(argv)
    text = render(build())
    current = DATA.read_text(encoding="utf-8") if DATA.exists() else ""
    if args.check:
        if text != current:
            print(f"{DATA.name} is out of step with the commands: run `{COMMAND}`")
            return 1
        return 0
    if text != current:
        DATA.write_text(text, encoding="utf-8")
        print(f"wrote {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
