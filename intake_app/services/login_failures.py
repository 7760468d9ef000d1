"""Failed logins: a growing wait after repeated failures, and their audit entries.

A failed login on a locked desk cannot be written to the encrypted audit log, so every failure
is first kept in `login-failures.json` in the data folder (a badge, a time and a reason, nothing
about victims) and moved into the audit log at the next moment the store is open. The same file
counts each badge's failures in a row: after FREE_ATTEMPTS of them, the next attempt must wait
FIRST_DELAY_S seconds, doubling with each further failure up to MAX_DELAY_S. A successful login
clears the badge's count.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from intake_app.domain.errors import AuthError
from intake_app.domain.times import utc_stamp

from intake_app.store import audit

FILENAME = "login-failures.json"
FREE_ATTEMPTS = 3
FIRST_DELAY_S = 5
MAX_DELAY_S = 300


def delay_after(failures: int) -> int:
    """Seconds to wait after `failures` failed logins in a row."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(FIRST_DELAY_S * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_S))


class FailedLogins:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILENAME

    def _load(self) -> dict[str, Any]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(raw, dict):
                return {"pending": list(raw.get("pending", [])), "streak": raw.get("streak", {})}
        except (OSError, ValueError):
            pass
        return {"pending": [], "streak": {}}

    def _save(self, state: dict[str, Any]) -> None:
        if not state["pending"] and not state["streak"]:
            self.path.unlink(missing_ok=True)
            return
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".login-failures-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(state, out, ensure_ascii=False)
        os.replace(tmp, self.path)

    def check_delay(self, badge: str, now: datetime) -> None:
        streak = self._load()["streak"].get(badge)
        if not streak:
            return
        count, last = int(streak[0]), datetime.fromisoformat(streak[1])
        wait = delay_after(count) - (now - last).total_seconds()
        if wait > 0:
            raise AuthError("login_delayed", "password", seconds=int(wait + 0.999), count=count)

    def record(self, badge: str, reason: str, now: datetime) -> None:
        state = self._load()
        state["pending"].append({"badge": badge, "reason": reason, "at": utc_stamp(now)})
        count = int(state["streak"].get(badge, [0, ""])[0]) + 1
        state["streak"][badge] = [count, now.isoformat()]
        self._save(state)

    def flush(self, conn: sqlite3.Connection) -> int:
        """Move the kept failures into the audit log (inside the caller's write transaction)."""
        state = self._load()
        for item in state["pending"]:
            audit.append(
                conn,
                None,
                audit.LOGIN_FAILED,
                "officer",
                str(item["badge"]),
                {"reason": str(item["reason"])},
                str(item["at"]),
            )
        moved = len(state["pending"])
        if moved:
            state["pending"] = []
            self._save(state)
        return moved

    def clear(self, badge: str) -> None:
        state = self._load()
        if state["streak"].pop(badge, None) is not None:
            self._save(state)

    def count(self, badge: str) -> int:
        return int(self._load()["streak"].get(badge, [0, ""])[0])
