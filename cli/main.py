"""The ``followup`` command: a lazy click group and the one place errors become messages.

Subcommands live in their own modules and are imported only when run, so
``followup plan`` never pays for the CalDAV or HTTP stacks.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
from typing import IO, TYPE_CHECKING, Any

import click

from followup.cli.options import config_option, verbose_option
from followup.cli.terminal import echo
from followup.engine.errors import EXIT_CODES, FollowupError

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

# name -> "module:attribute"; the order is the order in --help.
COMMANDS: dict[str, str] = {
    "plan": "followup.cli.core:plan",
    "ics": "followup.cli.core:ics",
    "check": "followup.cli.core:check",
    "schema": "followup.cli.core:schema",
    "explain": "followup.cli.everyday:explain",
    "mark": "followup.cli.everyday:mark",
    "status": "followup.cli.status:status",
    "stats": "followup.cli.status:stats",
    "draft": "followup.cli.everyday:draft",
    "answer": "followup.cli.review:answer",
    "review": "followup.cli.review:review",
    "init": "followup.cli.everyday:init",
    "serve": "followup.cli.serve:serve",
    "sync": "followup.cli.sync:sync",
    "mail": "followup.cli.mail:mail",
}


class UserError(click.ClickException):
    """A FollowupError as click shows it: one message, a hint, an exit code."""

    def __init__(self, error: FollowupError) -> None:
        super().__init__(error.message)
        self.exit_code = error.exit_code  # type: ignore[misc]  # click declares it on the class
        self.hint = error.hint

    def show(self, file: IO[Any] | None = None) -> None:
        echo(f"followup: {self.format_message()}", err=True)
        if self.hint:
            echo(f"  hint: {self.hint}", err=True)


class FollowupGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def _load(self, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name == module_name:  # that command is not built in this copy
                return None
            raise
        command = getattr(module, attr, None)
        return command if isinstance(command, click.Command) else None

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Command names on TAB without importing every command (serve and sync would
        bring in the HTTP and CalDAV stacks at each keystroke)."""
        from click.shell_completion import CompletionItem

        names = [
            CompletionItem(name)
            for name, target in COMMANDS.items()
            if name.startswith(incomplete) and _present(target.split(":")[0])
        ]
        return names + click.Command.shell_complete(self, ctx, incomplete)

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        """TAB answers quoted for their shell (cli/shells.py), not click's raw ones.

        Only a TAB (the variable click reads, named as click names it) loads them."""
        name = prog_name.replace("-", "_").replace(".", "_")
        if not os.environ.get(complete_var or f"_{name}_COMPLETE".upper()):
            return
        from followup.cli.shells import register

        register()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if ctx.resilient_parsing:  # TAB after an unknown command: nothing to say, no traceback
            return super().resolve_command(ctx, args)
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, list(COMMANDS), n=2, cutoff=0.6)
            if close:
                ctx.fail(
                    f"no command {name!r}; did you mean {' or '.join(repr(c) for c in close)}?"
                )
            ctx.fail(f"no command {name!r}; the commands are: {', '.join(COMMANDS)}")
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Each run starts quiet, with the default config file, whatever ran before it in
        this process (a test runner, a shell's completion)."""
        from followup.cli.verbose import turn_off
        from followup.engine.folders import choose_config

        choose_config(None)
        turn_off()
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FollowupError as err:
            raise UserError(err) from None


def _present(module_name: str) -> bool:
    """Whether a command's module is in this copy, found without running it."""
    return importlib.util.find_spec(module_name) is not None


EPILOG = "Exit codes: " + ", ".join(f"{code} {name}" for name, code in EXIT_CODES.items()) + "."


@click.group(
    cls=FollowupGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.version_option(package_name="followup")
@config_option
@verbose_option
def main() -> None:
    """Plan the follow-ups after each job interview in your calendar.

    followup reads your interviews from an .ics file or a CalDAV calendar,
    applies the rules in a YAML file (rules/default.yaml unless you give
    --rules), and delivers the follow-ups: ask for the recruiter's timeline,
    appraise the interview, send a thank-you the next morning, check in once
    their timeline has passed, and know when to move on.

    \b
    Start here:
      followup plan --from example
      followup ics  --from example -o followups.ics
    """


if __name__ == "__main__":
    main()
