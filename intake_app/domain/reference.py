"""Versioned reference data: fraud types, case sources, target groups, ID types and more.

Loaded from a JSON document (bundled in resources/reference, later updated by the city center);
never hard-coded, since the lists change between editions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REFERENCE_FORMAT = "intake-reference/1"
LISTS = (
    "fraud_types",
    "case_sources",
    "target_groups",
    "id_types",
    "contact_channels",
    "transaction_methods",
    "identifier_kinds",
)
_LIST_NAMES = {
    "fraud_types": ("诈骗类型", "fraud types"),
    "case_sources": ("案件来源", "case sources"),
    "target_groups": ("重点人群", "target groups"),
    "id_types": ("证件类型", "ID types"),
    "contact_channels": ("联系方式", "contact channels"),
    "transaction_methods": ("支付方式", "payment methods"),
    "identifier_kinds": ("线索类别", "identifier kinds"),
    "prevention_kinds": ("宣防形式", "kinds of prevention event"),
}


@dataclass(frozen=True)
class Entry:
    code: str
    labels: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str = "zh_CN") -> str:
        return self.labels.get(lang) or self.labels.get("zh_CN") or self.code


def version_key(version: str) -> tuple[int, ...]:
    """Editions compare by their dotted numbers: "2026.10" is newer than "2026.9"."""
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


@dataclass(frozen=True)
class ReferenceData:
    version: str
    lists: dict[str, tuple[Entry, ...]]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReferenceData:
        if data.get("format") != REFERENCE_FORMAT:
            raise ValueError(f"reference data must have format {REFERENCE_FORMAT!r}")
        lists: dict[str, tuple[Entry, ...]] = {}
        for name in LISTS:
            entries = []
            for item in data.get(name, []):
                labels = {k: v for k, v in item.items() if k in ("zh_CN", "en")}
                entries.append(Entry(item["code"], labels, dict(item.get("description", {}))))
            if not entries:
                raise ValueError(f"reference data has no {name}")
            lists[name] = tuple(entries)
        return cls(version=str(data["version"]), lists=lists)

    def entries(self, list_name: str) -> tuple[Entry, ...]:
        return self.lists[list_name]

    def codes(self, list_name: str) -> frozenset[str]:
        return frozenset(e.code for e in self.lists[list_name])

    def has(self, list_name: str, code: str) -> bool:
        return any(e.code == code for e in self.lists[list_name])

    def label(self, list_name: str, code: str, lang: str = "zh_CN") -> str:
        for entry in self.lists[list_name]:
            if entry.code == code:
                return entry.label(lang)
        return code


def list_name_label(list_name: str, lang: str = "zh_CN") -> str:
    pair = _LIST_NAMES.get(list_name, (list_name, list_name))
    return pair[0] if lang == "zh_CN" else pair[1]
