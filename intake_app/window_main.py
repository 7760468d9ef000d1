"""`intake-desk`: the desk's window as a program of its own.

The same as `intake-app` with no command (every window option works), made for a start menu
entry: in the Windows bundle it is built without a console window, so it has no standard
output or error, and it writes what it would print to nowhere rather than failing on it.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from intake_app import cli


def run() -> NoReturn:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # a windowed program on Windows has neither
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    cli.run()


if __name__ == "__main__":
    run()
