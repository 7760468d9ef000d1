"""Officers and logins. Passwords are hashed with argon2id; every login attempt is audited."""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from intake_app.domain.errors import AuthError, IntakeError
from intake_app.domain.times import utc_stamp

from intake_app.store import audit, officers
from intake_app.store.officers import ROLES, Officer

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

MIN_PASSWORD = 8
_BADGE = re.compile(r"^\d{4,12}$", re.ASCII)
_hasher = PasswordHasher()
# Compared against when the badge is unknown, so a wrong badge costs the same time as a
# wrong password and does not reveal which badges exist.
# A hash of a random, forgotten password with argon2-cffi's default parameters (those of
# _hasher): verifying against it costs what verifying a real officer's hash costs, without
# hashing anything when a process starts.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$EVR2Hr0X4S6IWbv38HHJtQ"
    "$bU8LIJMLvSQatFtPA97253SjsGpZCYL3/Bntr7W6iAA"
)


class AuthService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    @staticmethod
    def check_new_officer(badge: str, name: str, role: str, password: str) -> None:
        if not _BADGE.match(badge or ""):
            raise IntakeError("badge_invalid", "badge", value=badge)
        if not (name or "").strip():
            raise IntakeError("required", "name")
        if len(name) > 50:
            raise IntakeError("too_long", "name", length=len(name), limit=50)
        if role not in ROLES:
            raise IntakeError("role_invalid", "role", value=role)
        if len(password or "") < MIN_PASSWORD:
            raise IntakeError("password_too_short", "password", limit=MIN_PASSWORD)

    def add_first_admin(
        self, conn: sqlite3.Connection, badge: str, name: str, password: str, at: str
    ) -> None:
        officers.add(conn, badge, name.strip(), "admin", _hasher.hash(password), at, None)
        audit.append(conn, badge, audit.OFFICER_ADD, "officer", badge, {"role": "admin"}, at)

    def login(self, badge: str, password: str) -> Officer:
        store = self.desk.store
        stored = officers.password_hash(store.conn, badge)
        ok = False
        try:
            ok = _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        officer = officers.get(store.conn, badge) if ok else None
        at = utc_stamp(self.desk.now())
        with store.write() as conn:
            if officer is None or not officer.active:
                audit.append(
                    conn,
                    None,
                    audit.LOGIN_FAILED,
                    "officer",
                    badge,
                    {"reason": "inactive" if officer else "credentials"},
                    at,
                )
            else:
                audit.append(conn, badge, audit.LOGIN, "officer", badge, {}, at)
                if stored and _hasher.check_needs_rehash(stored):
                    officers.set_password_hash(conn, badge, _hasher.hash(password))
        if officer is None:
            raise AuthError("login_failed", "password")
        if not officer.active:
            raise AuthError("officer_inactive", "badge", value=badge)
        return officer

    def logout(self, officer: Officer, reason: str = "logout") -> None:
        """Record the end of a session ("logout", or "idle_lock" when the screen locked itself)."""
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as conn:
            audit.append(
                conn, officer.badge, audit.LOGOUT, "officer", officer.badge, {"reason": reason}, at
            )

    @staticmethod
    def require(officer: Officer, role: str) -> None:
        if not officer.has_role(role):
            raise AuthError("permission_denied", "role", value=officer.badge, role=role)

    def add_officer(
        self, actor: Officer, badge: str, name: str, role: str, password: str
    ) -> Officer:
        self.require(actor, "admin")
        self.check_new_officer(badge, name, role, password)
        at = utc_stamp(self.desk.now())
        hashed = _hasher.hash(password)
        with self.desk.store.write() as conn:
            if officers.get(conn, badge) is not None:
                raise IntakeError("officer_exists", "badge", value=badge)
            officers.add(conn, badge, name.strip(), role, hashed, at, actor.badge)
            audit.append(conn, actor.badge, audit.OFFICER_ADD, "officer", badge, {"role": role}, at)
        found = officers.get(self.desk.store.conn, badge)
        assert found is not None
        return found

    def change_password(self, actor: Officer, badge: str, new_password: str) -> None:
        if actor.badge != badge:
            self.require(actor, "admin")
        if len(new_password or "") < MIN_PASSWORD:
            raise IntakeError("password_too_short", "password", limit=MIN_PASSWORD)
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as conn:
            if officers.get(conn, badge) is None:
                raise IntakeError("login_failed", "badge")
            officers.set_password_hash(conn, badge, _hasher.hash(new_password))
            audit.append(conn, actor.badge, audit.PASSWORD_CHANGE, "officer", badge, {}, at)

    def list_officers(self) -> list[Officer]:
        return officers.all_officers(self.desk.store.conn)


__all__ = ["AuthService", "Officer"]
