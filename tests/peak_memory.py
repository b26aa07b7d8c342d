"""The peak memory of one ``followup`` process, measured so that the test's own size is not in it.

Linux keeps a process's peak RSS across fork and exec: a command started straight
from a pytest process that has grown to 700 MB would report at least that. So the
command is started from a small Python process that forks and execs it, and that
process reports the command's ``wait4`` figure on its own file descriptor.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "followup.cli.main", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
os.write(int(sys.argv[1]), str(usage.ru_maxrss).encode())
sys.exit(os.waitstatus_to_exitcode(status))
"""


def followup_with_peak(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Exit code, standard error and peak memory (kB) of ``followup ARGS`` in a new process."""
    read, write = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(write), *args],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=dict(os.environ),
            pass_fds=(write,),
        )
        os.close(write)
        write = -1
        _, err = process.communicate()
        peak = os.read(read, 64).decode() or "0"
    finally:
        os.close(read)
        if write != -1:
            os.close(write)
    return process.returncode, err.decode(), int(peak)
