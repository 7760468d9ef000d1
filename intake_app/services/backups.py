"""Backups with SQLite's online backup API: consistent while the desk is in use.

`backup(path)` copies the live database page by page into a file encrypted with the same key
(SQLCipher), and writes the keyring beside it (`<file>.keyring`: wrapped keys only), so the
backup opens on a new PC with an officer's password or the recovery key; `auto()` keeps a daily
copy in <data>/backups and only the newest N; `restore(path)` checks a backup, keeps a safety
copy of the current database and copies the backup into place. Attachments are sealed files
stored once under <data>/attachments and are never rewritten, so a copy of that folder (any
time) goes with any database backup.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from intake_app.domain.errors import IntakeError
from intake_app.domain.times import utc_stamp

from intake_app.store import audit, cases, cipher
from intake_app.store.db import DB_FILENAME, Store
from intake_app.store.officers import Officer
from intake_app.store.schema import MIGRATION_NAMES

from intake_app.services.keyring import Keyring

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

DEFAULT_KEEP = 7
AUTO_PREFIX = "auto-"


def keyring_beside(path: Path) -> Path:
    return path.with_name(path.name + ".keyring")


def put_keyring_beside(keyring_path: Path, backup: Path) -> None:
    """The keyring beside an encrypted backup: restoring it on another PC needs it."""
    shutil.copyfile(keyring_path, keyring_beside(backup))


def _copy_database(source: Any, target_path: Path, key: bytes | None) -> str:
    """Online-backup `source` into a new file at `target_path` encrypted with `key`;
    returns the file's SHA-256."""
    target_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target_path.parent, prefix=f".{target_path.name}.")
    os.close(fd)
    try:
        target = cipher.connect(tmp, key)
        try:
            # Every page's HMAC first (about a second per GB), so a page changed on the PC is
            # found at the daily backup at the latest, and never copied into a backup.
            if key is not None and source.execute("PRAGMA cipher_integrity_check").fetchall():
                raise IntakeError("database_tampered", value=source_path(source))
            source.backup(target, pages=1024)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        os.replace(tmp, target_path)
    except cipher.DatabaseError as exc:
        raise IntakeError("database_tampered", value=str(source_path(source))) from exc
    finally:
        for leftover in (tmp, f"{tmp}-wal", f"{tmp}-shm", f"{tmp}-journal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return hashlib.sha256(target_path.read_bytes()).hexdigest()


def source_path(conn: Any) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row else ""


def _read_only(path: Path, key: bytes | None) -> Any:
    """Open a file read-only.

    The path is percent-escaped: SQLite's URI parser would take a "#" or "?" in a file name
    ("备份 #2.db") as the start of a fragment or query and open (and create) another file.
    The authority stays empty, so Windows drive (C:/...) and UNC (//server/...) paths work too.
    """
    location = path.resolve().as_posix()
    if not location.startswith("/"):
        location = "/" + location
    return cipher.connect(f"file://{quote(location, safe='/:')}?mode=ro", key, uri=True)


def check_backup(path: Path, key: bytes | None) -> str:
    """Refuse anything that is not a sound desk database under `key`; returns its station code."""
    if not path.is_file():
        raise IntakeError("backup_invalid", "file", value=str(path), detail="no such file")
    if key is not None and cipher.is_plain_sqlite(path):
        raise IntakeError("backup_invalid", "file", value=str(path), detail="not encrypted")
    try:
        conn = _read_only(path, key)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise IntakeError("backup_invalid", "file", value=str(path), detail=result)
            names = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
            station = conn.execute(
                "SELECT value FROM settings WHERE key = 'station_code'"
            ).fetchone()
        finally:
            conn.close()
    except cipher.DatabaseError as exc:
        detail = str(exc)
        if "not a database" in detail:
            detail = "not a desk database, or encrypted with another station's key"
        raise IntakeError("backup_invalid", "file", value=str(path), detail=detail) from exc
    if names - set(MIGRATION_NAMES):
        raise IntakeError(
            "schema_too_new", "file", value=", ".join(sorted(names - set(MIGRATION_NAMES)))
        )
    if station is None:
        raise IntakeError("backup_invalid", "file", value=str(path), detail="no station")
    return str(station[0])


class BackupService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    @property
    def folder(self) -> Path:
        return self.desk.data_dir / "backups"

    def backup(self, path: Path, officer: Officer | None) -> str:
        store = self.desk.store
        digest = _copy_database(store.conn, path, store.key)
        if self.desk.keyring is not None:
            put_keyring_beside(self.desk.keyring.path, path)
        with self.desk.store.write() as conn:
            audit.append(
                conn,
                officer.badge if officer else None,
                audit.BACKUP,
                "database",
                path.name,
                {"sha256": digest},
                utc_stamp(self.desk.now()),
            )
        return digest

    def auto(self) -> Path | None:
        """Make today's backup if the newest is a day old or more; keep the newest N."""
        keep = int(self.desk.store.setting("backup_keep", str(DEFAULT_KEEP)) or 0)
        if keep <= 0:
            return None
        existing = sorted(self.folder.glob(f"{AUTO_PREFIX}*.db"))
        now = self.desk.now()
        stamp = now.strftime("%Y%m%d-%H%M%S")
        if existing:
            newest = existing[-1].stem.removeprefix(AUTO_PREFIX)
            cutoff = (now - timedelta(days=1)).strftime("%Y%m%d-%H%M%S")
            if newest > cutoff:
                return None
        path = self.folder / f"{AUTO_PREFIX}{stamp}.db"
        self.backup(path, None)
        for old in sorted(self.folder.glob(f"{AUTO_PREFIX}*.db"))[:-keep]:
            old.unlink()
            keyring_beside(old).unlink(missing_ok=True)
        return path

    def restore(self, path: Path, officer: Officer) -> Path:
        """Replace the database with a backup; the current one is kept as a safety copy."""
        self.desk.auth.require(officer, "admin")
        key = self.desk.key
        station = check_backup(path, key)
        if station != self.desk.station_code:
            raise IntakeError(
                "backup_invalid", "file", value=str(path), detail=f"it belongs to station {station}"
            )
        stamp = self.desk.now().strftime("%Y%m%d-%H%M%S")
        safety = self.folder / f"pre-restore-{stamp}.db"
        _copy_database(self.desk.store.conn, safety, key)
        # Numbers issued since the backup are printed on receipts already: never issue them again.
        issued = cases.counters(self.desk.store.conn)
        # Prepare a copy of the backup completely (schema, counters, the audit entry), then
        # swap it in with one backup-API step: the live database is never half restored.
        staged = self.folder / f".staged-restore-{stamp}.db"
        try:
            with (
                closing(_read_only(path, key)) as source,
                closing(cipher.connect(str(staged), key)) as target,
            ):
                source.backup(target)
            with Store.open(staged, key=key, create=False) as prepared, prepared.write() as conn:
                cases.keep_counters_at_least(conn, issued)
                audit.append(
                    conn,
                    officer.badge,
                    audit.RESTORE,
                    "database",
                    path.name,
                    {"safety_copy": safety.name},
                    utc_stamp(self.desk.now()),
                )
            restore_into(staged, self.desk.store.conn, key)
        finally:
            for leftover in (staged, Path(f"{staged}-wal"), Path(f"{staged}-shm")):
                leftover.unlink(missing_ok=True)
        return safety


def restore_into(path: Path, target: Any, key: bytes | None) -> None:
    source = _read_only(path, key)
    try:
        source.backup(target)
    finally:
        source.close()


def restore_fresh(path: Path, data_dir: Path, badge: str, password: str) -> None:
    """Restore into a data folder that has no database yet (a new PC after a disaster).

    The backup's keyring (beside it) comes along; an officer's password from it, or the
    recovery key, opens the backup.
    """
    ring_path = keyring_beside(path)
    ring = Keyring.load(ring_path)
    key = ring.unlock_officer(badge, password)
    if key is None:
        try:
            key = ring.unlock_recovery(password)
        except IntakeError:
            raise IntakeError("backup_key_wrong", "password", value=str(path)) from None
    check_backup(path, key)
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = data_dir / DB_FILENAME
    target = cipher.connect(str(db_path), key)
    try:
        restore_into(path, target, key)
        target.execute("PRAGMA journal_mode = WAL")
    finally:
        target.close()
    shutil.copyfile(ring_path, Keyring.path_in(data_dir))
