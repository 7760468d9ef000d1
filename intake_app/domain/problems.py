"""Validation results: what is wrong, where, how bad, in words for both languages."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from intake_app.domain.messages import render

ERROR = "error"  # blocks saving
WARNING = "warning"  # shown, does not block
INFO = "info"  # a suggestion (e.g. the payee bank guessed from the card number)


@dataclass(frozen=True)
class Problem:
    code: str
    field: str
    severity: str = ERROR
    params: dict[str, Any] = dataclasses.field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str = "zh_CN") -> str:
        return render(self.code, lang, field=self.field, **self.params)

    def as_dict(self, lang: str = "zh_CN") -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "severity": self.severity,
            "message": self.message(lang),
        }


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)
