"""Typed errors raised by the lower layers; only the UI and CLI turn them into words."""

from __future__ import annotations

from typing import Any


class IntakeError(Exception):
    """An error with a stable code, the field it concerns and parameters for the message."""

    def __init__(self, code: str, field: str = "", **params: Any) -> None:
        super().__init__(code, field, params)
        self.code = code
        self.field = field
        self.params = params

    def message(self, lang: str = "zh_CN") -> str:
        from intake_app.domain.messages import render

        return render(self.code, lang, field=self.field, **self.params)

    def __str__(self) -> str:
        return self.message("en")


class NotFound(IntakeError):
    """The thing asked for does not exist."""


class Conflict(IntakeError):
    """The write would contradict what is already stored."""


class AuthError(IntakeError):
    """Login failed or the officer may not do this."""
