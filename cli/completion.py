"""TAB answered from a table of the commands, without importing click.

A shell calls ``followup`` at every TAB; importing click and the command
modules costs more than starting Python. ``cli/completion_data.py`` (written
by ``python -m followup.cli.completion_table`` from the click commands) holds what a
TAB needs: the commands, each command's options with their help, which take a
value, which complete a file name, the choices of a Choice. ``answer`` runs
the steps of click's own completion (``click.shell_completion``: split the
words, parse them the way click's parser does with ``resilient_parsing``, find
the option, argument or command being completed, format for the shell) on that
table and returns the bytes click would print, or None when only click can
answer: an argument that completes from the calendar, a command or a word the
table does not know, anything odd. Tests compare both answers byte for byte.

Imports only what Python has loaded at start (and shlex for quoted words).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Literal, TypedDict

    Completes = Literal["nothing", "file", "dir", "choice", "click"]
    """What TAB offers for a value: nothing, the shell's file or folder names, the
    choices, or whatever click's code finds (the table hands those over)."""

    class Param(TypedDict):
        """An option or argument as completion sees it."""

        name: str
        argument: bool
        opts: tuple[str, ...]
        secondary_opts: tuple[str, ...]
        help: str | None
        hidden: bool
        multiple: bool
        takes_value: bool
        complete: Completes
        choices: tuple[str, ...]
        case_sensitive: bool

    class Command(TypedDict):
        module: str
        """Its module's file name in cli/ (a command whose file is missing is not listed)."""
        params: tuple[Param, ...] | None
        """None: click answers every TAB on this command."""

    class Tree(TypedDict):
        main: tuple[Param, ...]
        commands: dict[str, Command]

    Item = tuple[str, str, str | None]
    """(type, value, help) as click's CompletionItem has them."""


SHELLS = {"bash_complete": "bash", "zsh_complete": "zsh", "fish_complete": "fish"}
"""The completion requests answered here; every other one (``*_source``,
powershell, unknown shells) goes to click."""


class HandOver(Exception):
    """Only click can answer this TAB exactly."""


class _ParseStop(Exception):
    """click's parser raised a usage error: with resilient parsing it stops there."""


def answer(tree: Tree, request: str, environ: Mapping[str, str], folder: str) -> bytes | None:
    """What click prints for the completion ``request`` (e.g. ``bash_complete``), or None
    to let click answer. ``folder`` is where the command modules are (cli/)."""
    shell = SHELLS.get(request)
    if shell is None:
        return None
    for command in tree["commands"].values():
        if not os.path.isfile(os.path.join(folder, command["module"] + ".py")):
            return None  # click lists only the commands present in this copy
    try:
        items = _complete(tree, *_completion_args(shell, environ))
        lines = [line for line in (_format(shell, item) for item in items) if line is not None]
        return ("\n".join(lines)).encode() + b"\n"
    except (HandOver, KeyError, ValueError, IndexError, UnicodeError):
        return None


def split_arg_string(string: str) -> list[str]:
    """Words as click splits COMP_WORDS (``click.shell_completion.split_arg_string``)."""
    if not any(c in string for c in "'\"\\"):
        return _split_plain(string)
    import shlex

    lex = shlex.shlex(string, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        out.extend(lex)
    except ValueError:
        out.append(lex.token)  # an unclosed quote: the partial word as typed
    return out


def _split_plain(string: str) -> list[str]:
    """shlex's split (posix, whitespace_split, no comments) of words without quotes
    or backslashes: runs of anything but space, tab, CR and LF."""
    words: list[str] = []
    word: list[str] = []
    for char in string:
        if char in " \t\r\n":
            if word:
                words.append("".join(word))
                word = []
        else:
            word.append(char)
    if word:
        words.append("".join(word))
    return words


def _completion_args(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str]:
    """The complete words after the program name, and the word being completed."""
    cwords = split_arg_string(environ["COMP_WORDS"])
    if shell == "fish":
        incomplete = environ["COMP_CWORD"]
        if incomplete:
            incomplete = split_arg_string(incomplete)[0]
        args = cwords[1:]
        if incomplete and args and args[-1] == incomplete:
            args.pop()
        return args, incomplete
    cword = int(environ["COMP_CWORD"])
    args = cwords[1:cword]
    try:
        incomplete = cwords[cword]
    except IndexError:
        incomplete = ""
    return args, incomplete


def _complete(tree: Tree, args: list[str], incomplete: str) -> list[Item]:
    """click's ``ShellComplete.get_completions`` for followup's command tree."""
    commands: list[str] | None = None
    if not args:
        params, given = tree["main"], set[str]()
        commands = list(tree["commands"])
    else:
        command = tree["commands"].get(args[0])
        if command is None or command["params"] is None:
            raise HandOver  # an option before the command, an unknown command, a group
        params = command["params"]
        given = _given(params, args[1:])

    # click.shell_completion._resolve_incomplete
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete[:1] == "-":
        name, _, incomplete = incomplete.partition("=")
        args.append(name)
    if "--" not in args and incomplete[:1] == "-":
        return _command_items(params, given, commands, incomplete)
    last = args[-1] if args else ""
    for param in params:
        if param["takes_value"] and last[:1] == "-" and last in param["opts"]:
            return _param_items(param, incomplete)
    for param in params:
        if param["argument"] and param["name"] not in given:
            return _param_items(param, incomplete)
    return _command_items(params, given, commands, incomplete)


def _command_items(
    params: tuple[Param, ...], given: set[str], commands: list[str] | None, incomplete: str
) -> list[Item]:
    """``FollowupGroup.shell_complete`` at the top, ``Command.shell_complete`` below."""
    items: list[Item] = []
    if commands is not None:
        items = [("plain", name, None) for name in commands if name.startswith(incomplete)]
    if incomplete and not incomplete[0].isalnum():
        for param in params:
            if param["argument"] or param["hidden"]:
                continue
            if not param["multiple"] and param["name"] in given:
                continue  # given already on the line
            names = (*param["opts"], *param["secondary_opts"])
            items += [("plain", n, param["help"]) for n in names if n.startswith(incomplete)]
    return items


def _param_items(param: Param, incomplete: str) -> list[Item]:
    """``Parameter.shell_complete``: the type's completions (Choice, Path, nothing)."""
    kind = param["complete"]
    if kind == "click":
        raise HandOver
    if kind in ("file", "dir"):
        return [(kind, incomplete, None)]
    if kind == "choice":
        if param["case_sensitive"]:
            return [("plain", c, None) for c in param["choices"] if c.startswith(incomplete)]
        lowered = incomplete.lower()
        return [("plain", c, None) for c in param["choices"] if c.lower().startswith(lowered)]
    return []


def _given(params: tuple[Param, ...], tokens: list[str]) -> set[str]:
    """The parameters click's parser fills from ``tokens`` (their source is the command
    line): options as matched, then the positional words to the arguments in order.
    A usage error stops the parse where it is and leaves the arguments unfilled."""
    long_opts: dict[str, Param] = {}
    short_opts: dict[str, Param] = {}
    for param in params:
        if param["argument"]:
            continue
        for opt in (*param["opts"], *param["secondary_opts"]):
            # as click's _split_opt has it: "-x" is short; "--x", "-xy" and "--xy" are long
            if len(opt) == 2 and opt[1] != opt[0]:
                short_opts[opt] = param
            else:
                long_opts[opt] = param
    given: set[str] = set()
    largs: list[str] = []
    rargs = list(tokens)

    def record(param: Param) -> None:
        if param["takes_value"]:
            if not rargs:
                raise _ParseStop  # "Option requires an argument."
            rargs.pop(0)
        given.add(param["name"])

    try:
        while rargs:
            arg = rargs.pop(0)
            if arg == "--":
                break
            if arg[:1] != "-" or len(arg) == 1:
                largs.append(arg)
                continue
            long_opt, equals, value = arg.partition("=")
            matched = long_opts.get(long_opt)
            if matched is not None:
                if equals and not matched["takes_value"]:
                    raise _ParseStop  # "Option does not take a value."
                if equals:
                    rargs.insert(0, value)
                record(matched)
            elif arg[:2] == "--":
                raise _ParseStop  # "No such option."
            else:
                for index, char in enumerate(arg[1:], start=2):
                    found = short_opts.get(arg[0] + char)
                    if found is None:
                        raise _ParseStop
                    if found["takes_value"] and index < len(arg):
                        rargs.insert(0, arg[index:])  # -ofile: the rest is the value
                        record(found)
                        break
                    record(found)
    except _ParseStop:
        return given
    positional = largs + rargs
    arguments = [param for param in params if param["argument"]]
    given.update(param["name"] for param in arguments[: len(positional)])
    return given


def _format(shell: str, item: Item) -> str | None:
    """One answer line for the shell's script (see cli/shells.py, which click uses too)."""
    return format_item(shell, *item)


# ------------------------------------------------------- safe answers ----
#
# A UID or a title is written by whoever sent the invite, and the shell puts what TAB
# answers on its command line. So every answer is made safe here, for both paths:
# a value with a control character (a line break would also end the answer's line) is
# not offered; bash inserts the value as followup sends it, so it is sent quoted as a
# shell word; zsh and fish quote what they insert themselves and get it plain; help
# texts lose their control characters (a listing is printed to the terminal).

_PLAIN_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:./_-")
"""Characters that mean nothing to bash in a word (not at its start: ``~``, ``#``)."""

_CONTROL = frozenset(
    chr(code)
    for code in (
        *range(0x00, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x2028,
        0x2029,
    )
)
"""C0, DEL and C1 controls, line and paragraph separators, bidi overrides and isolates."""


def offered(value: str) -> bool:
    """Whether a value can be offered at all: no control character in it."""
    return not any(char in _CONTROL for char in value)


def bash_word(value: str) -> str:
    """``value`` as one bash word that means exactly ``value`` (as ``shlex.quote``)."""
    if value and all(char in _PLAIN_WORD for char in value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def shown_help(text: str) -> str:
    """A help text as one line with no control character (each shown as U+FFFD)."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return "".join("\ufffd" if char in _CONTROL else char for char in text)


def format_item(shell: str, kind: str, value: str, help_text: str | None) -> str | None:
    """The line(s) the shell's script reads for one answer, or None when it is not
    offered; ``kind`` is click's item type (plain, file, dir)."""
    if not offered(value):
        return None
    shown = shown_help(help_text) if help_text else None
    if shell == "bash":
        return f"{kind},{bash_word(value) if kind == 'plain' else value}"
    if shell == "zsh":
        described = shown or "_"
        if described != "_":
            value = value.replace(":", r"\:")
        return f"{kind}\n{value}\n{described}"
    if shown:
        return f"{kind},{value}\t{shown}"
    return f"{kind},{value}"
