"""The scripts the shells run on TAB, and click's answers in the form they read safely.

click's own bash script puts each answer on the command line as it comes
(``COMPREPLY+=($value)``: split, globbed, then inserted unquoted), so a UID
such as ``x$(rm -rf ~)`` offered by TAB would run on Enter; its fish script
cuts a value at its first comma. These classes keep click's protocol and
change only that: bash reads each answer whole (``read -r``, no glob) and
inserts the word followup quoted for it; fish keeps the whole value. Every
answer is formatted by ``cli.completion.format_item``, the same function the
table's answers go through (see cli/completion.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from click.shell_completion import (
    BashComplete,
    CompletionItem,
    FishComplete,
    ShellComplete,
    ZshComplete,
    add_completion_class,
)

from followup.cli.completion import format_item

BASH_SOURCE = """\
%(complete_func)s() {
    local IFS=$'\\n'
    local response completion type value
    local -a answers

    response=$(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD \
%(complete_var)s=bash_complete "$1")
    mapfile -t answers <<< "$response"

    for completion in "${answers[@]}"; do
        IFS=',' read -r type value <<< "$completion"

        if [[ $type == 'dir' ]]; then
            COMPREPLY=()
            compopt -o dirnames
        elif [[ $type == 'file' ]]; then
            COMPREPLY=()
            compopt -o default
        elif [[ $type == 'plain' ]]; then
            COMPREPLY+=("$value")
        fi
    done

    return 0
}

%(complete_func)s_setup() {
    complete -o nosort -F %(complete_func)s %(prog_name)s
}

%(complete_func)s_setup;
"""
"""click's script, reading every answer as one quoted word (followup quotes it)."""

FISH_SOURCE = """\
function %(complete_func)s;
    set -l response (env %(complete_var)s=fish_complete COMP_WORDS=(commandline -cp) \
COMP_CWORD=(commandline -t) %(prog_name)s);

    for completion in $response;
        set -l metadata (string split -m 1 "," -- $completion);

        if test $metadata[1] = "dir";
            __fish_complete_directories $metadata[2];
        else if test $metadata[1] = "file";
            __fish_complete_path $metadata[2];
        else if test $metadata[1] = "plain";
            printf '%%s\\n' $metadata[2];
        end;
    end;
end;

complete --no-files --command %(prog_name)s --arguments \
"(%(complete_func)s)";
"""
"""click's script, keeping a value's commas (fish quotes what it inserts itself)."""


def _line(shell: ShellComplete, item: CompletionItem) -> str:
    line = format_item(shell.name, item.type, str(item.value), item.help)
    return "" if line is None else line


class _Safe(ShellComplete):
    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        lines = (_line(self, item) for item in self.get_completions(args, incomplete))
        return "\n".join(line for line in lines if line)


class Bash(_Safe, BashComplete):
    source_template: ClassVar[str] = BASH_SOURCE


class Zsh(_Safe, ZshComplete):
    pass


class Fish(_Safe, FishComplete):
    source_template: ClassVar[str] = FISH_SOURCE


CLASSES: dict[str, type[ShellComplete]] = {"bash": Bash, "zsh": Zsh, "fish": Fish}


def register(*_: Any) -> None:
    """Make click use these classes for bash, zsh and fish (called before it completes)."""
    for name, cls in CLASSES.items():
        add_completion_class(cls, name)
