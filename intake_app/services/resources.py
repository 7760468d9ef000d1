"""Finding the files the desk ships with: reference data, the BIN table, schemas, fonts."""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path

from intake_app.domain.bins import BinTable
from intake_app.domain.reference import ReferenceData


def resource_dir() -> Path:
    override = os.environ.get("INTAKE_RESOURCES_DIR")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


def form_path(name: str) -> Path:
    """A Qt Designer form from forms/ (next to resources/, in the repository or the bundle)."""
    return resource_dir().parent / "forms" / name


@lru_cache(maxsize=1)
def bundled_reference() -> ReferenceData:
    data = json.loads(resource("reference", "reference.json").read_text(encoding="utf-8"))
    return ReferenceData.from_dict(data)


@lru_cache(maxsize=1)
def bins() -> BinTable:
    folder = resource("bank-bin")
    return BinTable.from_csv_text(
        (folder / "bin.csv").read_text(encoding="utf-8"),
        (folder / "name.csv").read_text(encoding="utf-8"),
    )
