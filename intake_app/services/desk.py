"""The composition root of a station desk: one data folder, its store and its services.

desk = Desk.open(data_dir)            # an initialised folder
officer = desk.auth.login("100001", password)
desk.intake.register(report, officer)
"""

from __future__ import annotations

import json
import secrets
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
from intake_app.store.db import DB_FILENAME, Store
from intake_app.store.officers import Officer

from intake_app.services import resources
from intake_app.services.audit_trail import AuditService
from intake_app.services.auth import AuthService
from intake_app.services.backups import BackupService
from intake_app.services.drafts import DraftService
from intake_app.services.intake import IntakeService
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
DEFAULT_IDLE_LOCK_MINUTES = 10
MAX_IDLE_LOCK_MINUTES = 240


class Desk:
    def __init__(
        self,
        data_dir: Path,
        store: Store,
        *,
        clock: Clock = shanghai_now,
        bins: BinTable | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.store = store
        self.clock = clock
        self.bins = bins if bins is not None else resources.bins()
        max_bytes = int(store.setting("attachment_max_bytes", str(DEFAULT_MAX_BYTES)) or 0)
        self.blobs = BlobStore(data_dir / "attachments", max_bytes)
        self.reference = self._reference()
        self.auth = AuthService(self)
        self.intake = IntakeService(self)
        self.backups = BackupService(self)
        self.drafts = DraftService(self)
        self.audit = AuditService(self)
        self.stop_payment = StopPaymentService(self)

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
        with Store.open(path, create=False, migrate=False) as store:
            try:
                return store.setting("station_code") is not None
            except Exception:
                return False

    @classmethod
    def open(cls, data_dir: Path, *, clock: Clock = shanghai_now, auto_backup: bool = True) -> Desk:
        path = cls.db_path(data_dir)
        if not path.exists():
            raise IntakeError("not_initialised", value=str(data_dir))
        store = Store.open(path, create=False)
        if store.setting("station_code") is None:
            store.close()
            raise IntakeError("not_initialised", value=str(data_dir))
        desk = cls(data_dir, store, clock=clock)
        if auto_backup:
            desk.backups.auto()
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
        """Set up an empty data folder: the station and its first admin officer."""
        station_code = station_code.strip()
        if not STATION_CODE.match(station_code):
            raise IntakeError("station_code_invalid", "station_code", value=station_code)
        if not station_name.strip():
            raise IntakeError("required", "station_name")
        if cls.is_initialised(data_dir):
            raise IntakeError("already_initialised", value=str(data_dir))
        AuthService.check_new_officer(admin_badge, admin_name, "admin", password)
        data_dir.mkdir(parents=True, exist_ok=True)
        store = Store.open(cls.db_path(data_dir))
        desk = cls(data_dir, store, clock=clock)
        at = utc_stamp(clock())
        with store.write() as conn:
            for key, value in (
                ("station_code", station_code),
                ("station_name", station_name.strip()),
                # Signs the verification codes printed on receipts; never leaves the station.
                ("station_secret", secrets.token_hex(32)),
                ("created_at", at),
            ):
                conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (key, value))
            desk.auth.add_first_admin(conn, admin_badge, admin_name, password, at)
            audit.append(
                conn,
                admin_badge,
                audit.INIT,
                "station",
                station_code,
                {"station_name": station_name.strip()},
                at,
            )
        desk.sync.identity()  # the station's signing key, for sync with the city center
        return desk

    # Station facts -------------------------------------------------------------------------

    @property
    def station_code(self) -> str:
        return self.store.setting("station_code") or ""

    @property
    def station_name(self) -> str:
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

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
