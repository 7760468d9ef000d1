"""Officers and logins; every login attempt is audited.

A login on a locked desk unwraps the database key from the officer's keyring slot (argon2id of
the password, services/keyring.py) and opens the encrypted store; on an unlocked desk the slot
is checked the same way. An officer who has no slot yet (after the migration of a plain store)
is checked against the argon2id hash in the store, and gets a slot. After FREE_ATTEMPTS failed
logins of a badge in a row, each next attempt waits longer (login_failures.py).
"""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from intake_app.domain.errors import AuthError, IntakeError
from intake_app.domain.times import utc_stamp

from intake_app.store import audit, officers
from intake_app.store.cipher import DatabaseError
from intake_app.store.officers import ROLES, Officer

from intake_app.services.keyring import Keyring
from intake_app.services.login_failures import FailedLogins

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

    @property
    def failures(self) -> FailedLogins:
        return FailedLogins(self.desk.data_dir)

    def login(self, badge: str, password: str) -> Officer:
        """Check the officer (unlocking the store first if the desk is locked)."""
        desk = self.desk
        failures = self.failures
        failures.check_delay(badge, desk.now())
        if desk.keyring is None:
            # A plain store of an earlier version: check the officer there, then encrypt it.
            from intake_app.services.encryption import encrypt_plain_store

            if not self._check_plain(badge, password):
                return self._fail(badge, "credentials")
            encrypt_plain_store(desk, badge, password)
        ring = desk.keyring
        assert ring is not None
        ring.reload()
        key = ring.unlock_officer(badge, password)
        new_slot = False
        if key is None:
            if ring.has_officer(badge):
                return self._fail(badge, "credentials")
            if desk.locked:
                if badge not in ring.pending:
                    return self._fail(badge, "credentials")
                # An officer from before the encryption: in the store, but without a key yet.
                failures.record(badge, "no_key", desk.now())
                raise AuthError("no_key_slot", "badge", value=badge)
            stored = officers.password_hash(desk.store.conn, badge)
            if not _verify(stored, password):
                return self._fail(badge, "credentials")
            new_slot = True
        elif desk.locked:
            desk.unlock(key)
        elif key != desk.key:
            return self._fail(badge, "credentials")
        store = desk.store
        try:
            officer = officers.get(store.conn, badge)
            at = utc_stamp(desk.now())
            if officer is None or not officer.active:
                return self._fail(badge, "inactive" if officer else "credentials")
            with store.write() as conn:
                failures.flush(conn)
                audit.append(conn, badge, audit.LOGIN, "officer", badge, {}, at)
                if new_slot:
                    self._set_slot(badge, password)
                    officers.set_password_hash(conn, badge, _hasher.hash(password))
        except DatabaseError as exc:
            # Each page carries an HMAC: a page changed on disk fails here, not silently.
            raise IntakeError("database_tampered", value=str(store.path)) from exc
        failures.clear(badge)
        return officer

    def _check_plain(self, badge: str, password: str) -> bool:
        from intake_app.store.db import Store

        with Store.open(self.desk.db_path(self.desk.data_dir), key=None, migrate=False) as plain:
            officer = officers.get(plain.conn, badge)
            ok = _verify(officers.password_hash(plain.conn, badge), password)
        return ok and officer is not None and officer.active

    def _fail(self, badge: str, reason: str) -> Officer:
        """Record a failed login (in the audit log now, or at the next unlock) and refuse it."""
        desk = self.desk
        self.failures.record(badge, reason, desk.now())
        if not desk.locked:
            with desk.store.write() as conn:
                self.failures.flush(conn)
        if reason == "inactive":
            raise AuthError("officer_inactive", "badge", value=badge)
        raise AuthError("login_failed", "password")

    def _set_slot(self, badge: str, password: str) -> None:
        """Wrap the key for an officer. Call inside a write transaction (it serialises
        keyring changes between processes)."""
        ring = self.desk.keyring
        assert ring is not None
        ring.reload()
        ring.set_officer(badge, password, self.desk.key)
        ring.save()
        self._follow_in_backups(badge)

    def _follow_in_backups(self, badge: str) -> None:
        """Give the keyrings beside the backups in the data folder this officer's slot as the
        live keyring now has it (or none): they wrap the same database key, so an old password
        or a removed officer's slot there would still open the store. Copies taken elsewhere
        (a USB stick) cannot be reached; they keep the slots they were made with."""
        ring = self.desk.keyring
        assert ring is not None
        slot = ring.officer_slot(badge)
        for path in sorted(self.desk.backups.folder.glob("*.keyring")):
            copy = Keyring.load(path)
            if slot not in copy.slots and badge not in copy.pending:
                continue
            if slot in ring.slots:
                copy.slots[slot] = dict(ring.slots[slot])
            else:
                copy.remove_officer(badge)
            copy.save()

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
            self._set_slot(badge, password)
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
            # Only this officer's slot is wrapped again; the database key stays the same.
            self._set_slot(badge, new_password)

    def remove_officer(self, actor: Officer, badge: str) -> None:
        """Disable an officer and delete their keyring slot (their cases and history stay)."""
        self.require(actor, "admin")
        if badge == actor.badge:
            raise IntakeError("officer_remove_self", "badge", value=badge)
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as conn:
            target = officers.get(conn, badge)
            if target is None or not target.active:
                raise IntakeError("officer_unknown", "badge", value=badge)
            officers.set_active(conn, badge, False)
            audit.append(conn, actor.badge, audit.OFFICER_REMOVE, "officer", badge, {}, at)
            ring = self.desk.keyring
            assert ring is not None
            ring.reload()
            ring.remove_officer(badge)
            ring.save()
            self._follow_in_backups(badge)

    def recover(self, recovery_key: str, badge: str, new_password: str) -> Officer:
        """Unlock with the station's recovery key and give an administrator a new password."""
        if len(new_password or "") < MIN_PASSWORD:
            raise IntakeError("password_too_short", "password", limit=MIN_PASSWORD)
        desk = self.desk
        ring = desk.keyring
        if ring is None:
            raise IntakeError("store_not_encrypted", value=str(desk.data_dir))
        ring.reload()
        key = ring.unlock_recovery(recovery_key)
        desk.unlock(key)
        officer = officers.get(desk.store.conn, badge)
        if officer is None or not officer.active or not officer.has_role("admin"):
            raise IntakeError("recovery_needs_admin", "badge", value=badge)
        at = utc_stamp(desk.now())
        with desk.store.write() as conn:
            self.failures.flush(conn)
            officers.set_password_hash(conn, badge, _hasher.hash(new_password))
            audit.append(
                conn,
                badge,
                audit.PASSWORD_CHANGE,
                "officer",
                badge,
                {"via": "recovery_key"},
                at,
            )
            self._set_slot(badge, new_password)
        self.failures.clear(badge)
        return officer

    def list_officers(self) -> list[Officer]:
        return officers.all_officers(self.desk.store.conn)


def _verify(stored: str | None, password: str) -> bool:
    """Check a password against an officer's argon2id hash (a dummy one for unknown badges)."""
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


__all__ = ["AuthService", "Officer"]
