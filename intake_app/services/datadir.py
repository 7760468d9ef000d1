"""Where a station keeps its data: `--data-dir`, else INTAKE_DATA_DIR, else the OS's folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "intake-desk"
ENV = "INTAKE_DATA_DIR"


def resolve(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
