"""The composition root of a station desk: one data folder, its store and its services.

desk = Desk.open(data_dir)            # an initialised folder, still locked: only the keyring
officer = desk.auth.login("100001", password)   # unwraps the key, opens the encrypted store
desk.intake.register(report, officer)

A second connection (a worker thread's desk) opens with the key of an unlocked desk:
`desk.second()`. Nothing of the store can be read while the desk is locked.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from intake_app.domain.bins import BinTable
from intake_app.domain.caseno import STATION_CODE
from intake_app.domain.errors import IntakeError
from intake_app.domain.reference import ReferenceData, version_key
from intake_app.domain.times import now as shanghai_now
from intake_app.domain.times import utc_stamp

from intake_app.store import audit, cases
from intake_app.store import officers as officer_rows
from intake_app.store.attachments import DEFAULT_MAX_BYTES, BlobStore
from intake_app.store.cipher import BlobCipher, is_plain_sqlite
from intake_app.store.db import DB_FILENAME, Store
from intake_app.store.officers import Officer

from intake_app.services import resources
from intake_app.services.audit_trail import AuditService
from intake_app.services.auth import AuthService
from intake_app.services.backups import BackupService
from intake_app.services.drafts import DraftService
from intake_app.services.intake import IntakeService
from intake_app.services.keyring import Keyring, new_database_key, new_recovery_key
from intake_app.services.stop_payment import StopPaymentService

if TYPE_CHECKING:
    from intake_app.services.documents import DocumentService
    from intake_app.services.instructions import InstructionService
    from intake_app.services.matching import MatchService
    from intake_app.services.monthly_report import MonthlyReportService
    from intake_app.services.outreach import OutreachService
    from intake_app.services.statistics import StatisticsService
    from intake_app.services.sync import SyncService

Clock = Callable[[], datetime]
ENCRYPTING_MARKER = ".encrypting"  # services/encryption.py: sealing attachments is unfinished
DEFAULT_IDLE_LOCK_MINUTES = 10
MAX_IDLE_LOCK_MINUTES = 240


class Desk:
    def __init__(
        self,
        data_dir: Path,
        store: Store | None,
        *,
        clock: Clock = shanghai_now,
        bins: BinTable | None = None,
        keyring: Keyring | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.clock = clock
        self.bins = bins if bins is not None else resources.bins()
        # None for a plain store of an earlier version (encrypted at the first login).
        self.keyring = keyring
        self.auto_backup = False
        # Shown once, then forgotten: set by initialise() and by the migration of a plain store.
        self.recovery_key: str | None = None
        self._store: Store | None = None
        self._viewing: Path | None = None
        self.auth = AuthService(self)
        self.intake = IntakeService(self)
        self.backups = BackupService(self)
        self.drafts = DraftService(self)
        self.audit = AuditService(self)
        self.stop_payment = StopPaymentService(self)
        if store is not None:
            self._attach(store)

    def _attach(self, store: Store) -> None:
        self._store = store
        max_bytes = int(store.setting("attachment_max_bytes", str(DEFAULT_MAX_BYTES)) or 0)
        cipher = BlobCipher(store.key) if store.key is not None else None
        self.blobs = BlobStore(self.data_dir / "attachments", max_bytes, cipher)
        self.reference = self._reference()

    @property
    def store(self) -> Store:
        if self._store is None:
            raise IntakeError("store_locked", value=str(self.data_dir))
        return self._store

    @property
    def locked(self) -> bool:
        return self._store is None

    @property
    def key(self) -> bytes:
        key = self.store.key
        if key is None:
            raise IntakeError("store_locked", value=str(self.data_dir))
        return key

    def unlock(self, key: bytes) -> None:
        """Open the encrypted store with a key from the keyring (auth.login calls this)."""
        if self._store is not None:
            return
        store = Store.open(self.db_path(self.data_dir), key=key, create=False)
        if store.setting("station_code") is None:
            store.close()
            raise IntakeError("not_initialised", value=str(self.data_dir))
        self._attach(store)
        if (self.data_dir / ENCRYPTING_MARKER).exists():
            from intake_app.services.encryption import finish_encryption

            finish_encryption(self.data_dir, key)
        if self.auto_backup:
            self.backups.auto()

    def second(self) -> Desk:
        """Another unlocked desk on this folder, for another thread (open and close it there)."""
        desk = Desk(self.data_dir, None, clock=self.clock, bins=self.bins, keyring=self.keyring)
        desk.unlock(self.key)
        return desk

    @cached_property
    def documents(self) -> DocumentService:
        """Receipts and registration forms (reportlab is imported on first use)."""
        from intake_app.services.documents import DocumentService

        return DocumentService(self)

    # The dashboard (issue 7): statistics, leads and prevention, seized lists, monthly report.

    @cached_property
    def statistics(self) -> StatisticsService:
        from intake_app.services.statistics import StatisticsService

        return StatisticsService(self)

    @cached_property
    def outreach(self) -> OutreachService:
        from intake_app.services.outreach import OutreachService

        return OutreachService(self)

    @cached_property
    def matching(self) -> MatchService:
        from intake_app.services.matching import MatchService

        return MatchService(self)

    @cached_property
    def monthly_report(self) -> MonthlyReportService:
        from intake_app.services.monthly_report import MonthlyReportService

        return MonthlyReportService(self)

    @cached_property
    def instructions(self) -> InstructionService:
        """The center's instructions: acknowledged, outcomes recorded (synced up)."""
        from intake_app.services.instructions import InstructionService

        return InstructionService(self)

    @cached_property
    def sync(self) -> SyncService:
        """Sync with the city center (PyNaCl is imported on first use)."""
        from intake_app.services.sync import SyncService

        return SyncService(self)

    # Opening -------------------------------------------------------------------------------

    @staticmethod
    def db_path(data_dir: Path) -> Path:
        return data_dir / DB_FILENAME

    @classmethod
    def is_initialised(cls, data_dir: Path) -> bool:
        path = cls.db_path(data_dir)
        if not path.exists():
            return False
        if Keyring.exists(data_dir) and not is_plain_sqlite(path):
            return bool(Keyring.load(Keyring.path_in(data_dir)).station_code)
        if not is_plain_sqlite(path):
            # Neither a plain database of an earlier version nor one with its keyring: never
            # offer to set up a station over it.
            raise IntakeError("database_corrupt", value=str(path), detail="no keyring")
        with Store.open(path, key=None, create=False, migrate=False) as store:
            try:
                return store.setting("station_code") is not None
            except Exception:
                return False

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        clock: Clock = shanghai_now,
        auto_backup: bool = True,
        key: bytes | None = None,
    ) -> Desk:
        """A locked desk on an initialised folder (unlocked at once when `key` is given)."""
        path = cls.db_path(data_dir)
        if not path.exists():
            raise IntakeError("not_initialised", value=str(data_dir))
        keyring = None
        if Keyring.exists(data_dir) and not is_plain_sqlite(path):
            keyring = Keyring.load(Keyring.path_in(data_dir))
        elif not cls.is_initialised(data_dir):
            raise IntakeError("not_initialised", value=str(data_dir))
        desk = cls(data_dir, None, clock=clock, keyring=keyring)
        desk.auto_backup = auto_backup
        if key is not None:
            desk.unlock(key)
        return desk

    @classmethod
    def initialise(
        cls,
        data_dir: Path,
        *,
        station_code: str,
        station_name: str,
        admin_badge: str,
        admin_name: str,
        password: str,
        clock: Clock = shanghai_now,
    ) -> Desk:
        """Set up an empty data folder: the keyring, the station and its first admin officer.

        The desk comes back unlocked, with `recovery_key` set: show it once, then forget it.
        """
        station_code = station_code.strip()
        if not STATION_CODE.match(station_code):
            raise IntakeError("station_code_invalid", "station_code", value=station_code)
        if not station_name.strip():
            raise IntakeError("required", "station_name")
        if cls.is_initialised(data_dir) or cls.db_path(data_dir).exists():
            raise IntakeError("already_initialised", value=str(data_dir))
        AuthService.check_new_officer(admin_badge, admin_name, "admin", password)
        data_dir.mkdir(parents=True, exist_ok=True)
        key, recovery = new_database_key(), new_recovery_key()
        keyring = Keyring(Keyring.path_in(data_dir), station_code, station_name.strip())
        keyring.set_officer(admin_badge, password, key)
        keyring.set_recovery(recovery, key)
        keyring.save()
        try:
            store = Store.open(cls.db_path(data_dir), key=key)
            desk = cls(data_dir, store, clock=clock, keyring=keyring)
            at = utc_stamp(clock())
            with store.write() as conn:
                for name, value in (
                    ("station_code", station_code),
                    ("station_name", station_name.strip()),
                    # Signs the verification codes printed on receipts; never leaves the station.
                    ("station_secret", secrets.token_hex(32)),
                    ("created_at", at),
                ):
                    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (name, value))
                desk.auth.add_first_admin(conn, admin_badge, admin_name, password, at)
                audit.append(
                    conn,
                    admin_badge,
                    audit.INIT,
                    "station",
                    station_code,
                    {"station_name": station_name.strip(), "encrypted": True},
                    at,
                )
            desk.sync.identity()  # the station's signing key, for sync with the city center
        except BaseException:
            for leftover in (keyring.path, *_db_files(cls.db_path(data_dir))):
                leftover.unlink(missing_ok=True)
            raise
        desk.recovery_key = recovery
        return desk

    # Station facts -------------------------------------------------------------------------

    @property
    def station_code(self) -> str:
        if self._store is None and self.keyring is not None:
            return self.keyring.station_code
        return self.store.setting("station_code") or ""

    @property
    def station_name(self) -> str:
        """Readable while locked too (the keyring keeps it for the login screen)."""
        if self._store is None:
            if self.keyring is not None:
                return self.keyring.station_name
            with Store.open(self.db_path(self.data_dir), key=None, migrate=False) as plain:
                return plain.setting("station_name") or ""
        return self.store.setting("station_name") or ""

    def _reference(self) -> ReferenceData:
        """The newer of the bundled dictionary and one installed from the city center."""
        bundled = resources.bundled_reference()
        stored = self.store.setting("reference_data")
        if stored:
            installed = ReferenceData.from_dict(json.loads(stored))
            if version_key(installed.version) > version_key(bundled.version):
                return installed
        return bundled

    def reload_reference(self) -> bool:
        """Take up reference data installed meanwhile (by sync); True if the edition changed."""
        before = self.reference.version
        self.reference = self._reference()
        return self.reference.version != before

    def now(self) -> datetime:
        return self.clock()

    @property
    def idle_lock_minutes(self) -> int:
        """Minutes without input before the window locks (0: never)."""
        return int(self.store.setting("idle_lock_minutes", str(DEFAULT_IDLE_LOCK_MINUTES)) or 0)

    def set_idle_lock_minutes(self, actor: Officer, minutes: int) -> None:
        self.auth.require(actor, "admin")
        if not 0 <= minutes <= MAX_IDLE_LOCK_MINUTES:
            raise IntakeError(
                "out_of_range",
                "idle_lock_minutes",
                value=minutes,
                low=0,
                high=MAX_IDLE_LOCK_MINUTES,
            )
        at = utc_stamp(self.now())
        with self.store.write() as conn:
            self.store.set_setting("idle_lock_minutes", str(minutes))
            audit.append(
                conn,
                actor.badge,
                audit.SETTING,
                "setting",
                "idle_lock_minutes",
                {"value": minutes},
                at,
            )

    def counts(self) -> dict[str, int]:
        """What the desk holds, for the status line."""
        return {
            "cases": cases.count(self.store.conn),
            "voided": cases.count(self.store.conn, where="status = ?", params=("voided",)),
            "officers": officer_rows.count(self.store.conn),
        }

    def viewing_folder(self) -> Path:
        """A private temporary folder for evidence files opened in a viewer; gone at close()."""
        if self._viewing is None:
            self._viewing = Path(tempfile.mkdtemp(prefix="intake-view-"))
        return self._viewing

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        if self._viewing is not None:
            shutil.rmtree(self._viewing, ignore_errors=True)
            self._viewing = None

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _db_files(path: Path) -> tuple[Path, ...]:
    return (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
