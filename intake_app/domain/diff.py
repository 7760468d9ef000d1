"""What changed between two revisions of a record, field by field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


def diff_records(old: Any, new: Any, path: str = "") -> list[Change]:
    """Changes from `old` to `new` as (field path, old value, new value), leaves only."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[Change] = []
        for key in sorted(set(old) | set(new)):
            sub = f"{path}.{key}" if path else key
            changes += diff_records(old.get(key), new.get(key), sub)
        return changes
    if isinstance(old, list) and isinstance(new, list):
        changes = []
        for i in range(max(len(old), len(new))):
            changes += diff_records(
                old[i] if i < len(old) else None, new[i] if i < len(new) else None, f"{path}[{i}]"
            )
        return changes
    return [] if old == new else [Change(path, old, new)]
