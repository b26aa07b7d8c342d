"""The ``followup`` program as the shell starts it.

A TAB (``_FOLLOWUP_COMPLETE=bash_complete`` and the like) is answered from
the table in cli/completion_data.py before click is imported; anything the
table cannot answer exactly, and every other run, goes to ``cli.main``
unchanged.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    reply = _tab_reply()
    if reply is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(reply)
        sys.stdout.buffer.flush()
        sys.exit(0)
    from followup.cli.main import main as followup

    followup()


def _tab_reply() -> bytes | None:
    """What to print for a completion request, or None to let click handle the run."""
    # The variable click reads: _{PROG}_COMPLETE after the program's file name
    # (click.utils._detect_program_name; run as ``python -m`` click names it otherwise).
    main_module = sys.modules.get("__main__")
    if getattr(main_module, "__package__", None) not in (None, "") or not sys.argv:
        return None
    program = os.path.basename(sys.argv[0]).replace("-", "_").replace(".", "_")
    request = os.environ.get(f"_{program}_COMPLETE".upper())
    if not request or not hasattr(sys.stdout, "buffer"):
        return None
    from followup.cli.completion import answer
    from followup.cli.completion_data import TREE

    return answer(TREE, request, os.environ, os.path.dirname(os.path.abspath(__file__)))
