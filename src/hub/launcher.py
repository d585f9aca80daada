"""The `hub` command as a process: `hub.cli.main` without the costs that only a short run can skip.

`hub check` runs on every pull request and before every build. At thousands of entries much of
a warm run went to the cycle collector and to the interpreter's teardown: the modules and the
kept results make about a million objects that live until the end; the collector walked them
again and again (0.1–0.2 s), then the interpreter freed them one by one on the way out (0.2 s).
So the collector waits while the modules load (here) and while `hub check` works (in hub.cli),
and the process ends as soon as its output is flushed. Tests call `hub.cli.main` itself: there
the collector is paused only inside check, and restored after.
"""

from __future__ import annotations

import os
import sys

from hub.core.collector import collector_paused

with collector_paused():  # importing makes objects that live to the end of the process
    from hub.cli import main as run


def main() -> None:
    try:
        code = run()
    except SystemExit as stop:  # argparse's --help and usage errors
        if stop.code is not None and not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
        code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # every file the commands write is closed by then (written in `with` blocks)
