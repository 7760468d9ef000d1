"""Encrypting the plain store of an earlier version, at the first login after the upgrade.

1. The plain database is copied to backups/pre-encryption-<time>.db (nothing is lost if the
   PC stops at any later step: the next start finds the plain database and begins again).
2. `sqlcipher_export` writes an encrypted copy under a new random key; every table's row count
   is compared with the plain one.
3. The keyring is written (the officer who logged in, and a recovery key shown once), then the
   encrypted copy replaces the plain file.
4. Attachment files are sealed under keyed names; every plain backup (the one of step 1 too)
   is encrypted with the same key. Plain copies are overwritten before they are deleted.

A keyring beside a plain database means steps 1-3 were interrupted: Desk.open starts over.
The marker file `.encrypting` means step 4 was: the next unlock finishes it.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.domain.errors import IntakeError
from intake_app.domain.times import utc_stamp

from intake_app.store import audit, cipher
from intake_app.store.attachments import BlobStore
from intake_app.store.cipher import BlobCipher, is_plain_sqlite
from intake_app.store.db import Store

from intake_app.services.backups import put_keyring_beside
from intake_app.services.desk import ENCRYPTING_MARKER as MARKER
from intake_app.services.keyring import Keyring, new_database_key, new_recovery_key

if TYPE_CHECKING:
    from intake_app.services.desk import Desk


def table_counts(conn: Any) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}


def export_encrypted(source: Any, target: Path, key: bytes) -> dict[str, int]:
    """Write an encrypted copy of an open plain connection; returns its checked row counts."""
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    expected = table_counts(source)
    cipher.attach(source, str(target), "encrypted", key)
    try:
        source.execute("SELECT sqlcipher_export('encrypted')")
    finally:
        source.execute("DETACH DATABASE encrypted")
    with closing(cipher.connect(str(target), key)) as check:
        got = table_counts(check)
    if got != expected:
        target.unlink(missing_ok=True)
        raise IntakeError("encryption_failed", value=str(target), detail=f"{expected} != {got}")
    return got


def shred(path: Path) -> None:
    """Overwrite a plain file before deleting it (best effort: an SSD may keep old blocks)."""
    try:
        size = path.stat().st_size
        with path.open("r+b") as f:
            f.write(b"\0" * size)
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)


def _encrypt_file(path: Path, key: bytes) -> None:
    staged = path.with_name(f".{path.name}.encrypting")
    with closing(cipher.connect(str(path), None, isolation_level=None)) as plain:
        export_encrypted(plain, staged, key)
    plain_copy = path.with_name(f".{path.name}.plain")
    os.replace(path, plain_copy)
    os.replace(staged, path)
    shred(plain_copy)


def encrypt_plain_store(desk: Desk, badge: str, password: str) -> None:
    """Encrypt a plain data folder; the officer `badge` (checked by the caller) gets a slot."""
    data_dir = desk.data_dir
    db_path = desk.db_path(data_dir)
    stamp = desk.now().strftime("%Y%m%d-%H%M%S")
    backups = data_dir / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    safety = backups / f"pre-encryption-{stamp}.db"
    staged = data_dir / f".{db_path.name}.encrypting"
    key, recovery = new_database_key(), new_recovery_key()
    with closing(cipher.connect(str(db_path), None, isolation_level=None)) as plain:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with closing(cipher.connect(str(safety), None)) as copy:
            plain.backup(copy)
        counts = export_encrypted(plain, staged, key)
        station = plain.execute(
            "SELECT key, value FROM settings WHERE key IN ('station_code', 'station_name')"
        ).fetchall()
        others = [
            r[0]
            for r in plain.execute(
                "SELECT badge FROM officers WHERE active = 1 AND badge != ?", (badge,)
            )
        ]
    names = dict(station)
    ring = Keyring(
        Keyring.path_in(data_dir), names.get("station_code", ""), names.get("station_name", "")
    )
    ring.set_officer(badge, password, key)
    ring.set_recovery(recovery, key)
    ring.pending = others
    (data_dir / MARKER).touch()
    ring.save()
    for leftover in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        leftover.unlink(missing_ok=True)
    plain_copy = data_dir / f".{db_path.name}.plain"
    os.replace(db_path, plain_copy)
    os.replace(staged, db_path)
    shred(plain_copy)
    sealed, converted = finish_encryption(data_dir, key)
    with Store.open(db_path, key=key, create=False) as store, store.write() as conn:
        audit.append(
            conn,
            badge,
            audit.ENCRYPT,
            "database",
            db_path.name,
            {
                "cases": counts.get("cases", 0),
                "attachments": sealed,
                "backups": converted,
                "safety_copy": safety.name,
            },
            utc_stamp(desk.now()),
        )
    desk.keyring = ring
    desk.recovery_key = recovery


def finish_encryption(data_dir: Path, key: bytes) -> tuple[int, int]:
    """Seal plain attachments and encrypt plain backups; (attachments, backups) done."""
    sealed = _seal_attachments(data_dir / "attachments", key)
    converted = 0
    for backup in sorted((data_dir / "backups").glob("*.db")):
        if is_plain_sqlite(backup):
            _encrypt_file(backup, key)
            put_keyring_beside(Keyring.path_in(data_dir), backup)
            converted += 1
    (data_dir / MARKER).unlink(missing_ok=True)
    return sealed, converted


def _seal_attachments(root: Path, key: bytes) -> int:
    if not root.is_dir():
        return 0
    store = BlobStore(root, cipher=BlobCipher(key))
    sealed = 0
    for path in sorted(root.glob("??/*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != path.name:
            continue  # sealed already (its name is a keyed hash, its content not in clear)
        store.put_bytes(path.name, data)
        store.read(path.name)  # sealed and readable before the plain file goes
        shred(path)
        sealed += 1
    return sealed
