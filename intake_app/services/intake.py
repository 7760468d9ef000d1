"""Registering, importing, revising, voiding, finding and exporting cases."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import tempfile
import uuid as uuidlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.domain.caseno import looks_like_case_no, make_case_no, normalize_case_no
from intake_app.domain.diff import Change, diff_records
from intake_app.domain.errors import AuthError, IntakeError, NotFound
from intake_app.domain.identifiers import mask_id
from intake_app.domain.indexing import fts_fields, query_terms, search_terms
from intake_app.domain.interchange import (
    canonical_json,
    case_from_dict,
    case_to_dict,
    content_hash,
    sha256_hex,
)
from intake_app.domain.model import REGISTERED, VOIDED, CaseReport
from intake_app.domain.problems import ERROR, Problem, has_errors
from intake_app.domain.times import SHANGHAI, format_time, parse_time, utc_stamp
from intake_app.domain.validation import validate_case

from intake_app.store import attachments as attachment_rows
from intake_app.store import audit, cases, officers
from intake_app.store import stop_payment as stop_items
from intake_app.store.cases import CaseIndex, CaseRow
from intake_app.store.officers import Officer

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

# Cases without a uuid get one derived from their content, so importing the same file twice
# registers nothing new.
UUID_NAMESPACE = uuidlib.UUID("6f1c2d3e-8a4b-5c6d-9e0f-112233445566")
IMPORT_CHUNK = 500
SEARCH_LIMIT = 50


class ValidationFailed(IntakeError):
    """The report has errors; `problems` lists all of them (warnings included)."""

    def __init__(self, problems: list[Problem]) -> None:
        first = next(p for p in problems if p.severity == ERROR)
        super().__init__(first.code, first.field, **first.params)
        self.problems = problems


@dataclass
class ImportResult:
    index: int
    uuid: str | None = None
    case_no: str | None = None
    created: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.case_no is not None


@dataclass(frozen=True)
class Revision:
    number: int
    created_at: str
    created_by: str
    note: str
    sha256: str
    record: dict[str, Any]
    changes: list[Change]


# What "show full value" uncovers in a case; elsewhere these are masked.
REVEALED_FIELDS = ("id_number", "phone", "accounts", "identifiers")


class IntakeService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    # Checking ------------------------------------------------------------------------------

    def check(self, report: CaseReport) -> list[Problem]:
        return validate_case(report, self.desk.reference, self.desk.bins, self.desk.now())

    def read_record(
        self, value: Any, base_dir: Path | None = None
    ) -> tuple[CaseReport, list[Problem]]:
        """Parse and validate one record, hashing any attachment files it names by path.

        Nothing is stored here: files are copied in only when the record is registered.
        """
        report, problems = case_from_dict(value)
        problems += self._check_attachment_files(report, base_dir)
        if not has_errors(problems):
            problems += self.check(report)
        return report, problems

    def _check_attachment_files(self, report: CaseReport, base_dir: Path | None) -> list[Problem]:
        problems: list[Problem] = []
        for i, att in enumerate(report.attachments):
            try:
                if att.path:
                    source = self._attachment_source(att.path, base_dir, f"attachments[{i}].path")
                    sha, size = self.desk.blobs.hash_file(source, f"attachments[{i}].path")
                    if att.sha256 and att.sha256 != sha:
                        raise IntakeError("attachment_hash_mismatch", f"attachments[{i}].sha256")
                    att.sha256, att.size, att.path = sha, size, str(source)
                    att.name = att.name or source.name
                    att.media_type = att.media_type or (
                        mimetypes.guess_type(att.name)[0] or "application/octet-stream"
                    )
                elif att.sha256 and not attachment_rows.known(self.desk.store.conn, att.sha256):
                    raise IntakeError(
                        "attachment_not_stored", f"attachments[{i}].sha256", value=att.sha256
                    )
            except IntakeError as exc:
                problems.append(Problem(exc.code, exc.field, ERROR, exc.params))
        return problems

    @staticmethod
    def _attachment_source(path: str, base_dir: Path | None, field: str) -> Path:
        """The file an attachment names. In an import file (base_dir given) the path must be
        relative and stay inside the file's folder, so a record cannot pull in other files."""
        if base_dir is None:
            return Path(path).resolve()
        base = base_dir.resolve()
        source = (base / path).resolve()
        if Path(path).is_absolute() or not source.is_relative_to(base):
            raise IntakeError("attachment_path_outside", field, value=path)
        return source

    def _copy_attachment_files(self, conn: Any, report: CaseReport, at: str) -> None:
        """Copy checked files into the attachment store and record them (inside the write)."""
        for i, att in enumerate(report.attachments):
            if att.path:
                self.desk.blobs.put_file(Path(att.path), f"attachments[{i}].path", att.sha256)
                attachment_rows.record(conn, att.sha256, att.size or 0, att.media_type, at)
                att.path = None

    # Registering ---------------------------------------------------------------------------

    def register(
        self, report: CaseReport, officer: Officer, *, base_dir: Path | None = None
    ) -> CaseRow:
        """Check and register one report; raises ValidationFailed when it has errors."""
        problems = self._check_attachment_files(report, base_dir)
        if not has_errors(problems):
            problems += self.check(report)
        if has_errors(problems):
            raise ValidationFailed(problems)
        with _paths_kept_on_failure([report]), self.desk.store.write() as conn:
            result = self._register_checked(conn, report, officer, 0)
        if result.case_no is None:
            raise ValidationFailed(result.problems)
        row = cases.by_uuid(self.desk.store.conn, result.uuid or "")
        assert row is not None
        return row

    def import_records(
        self, records: Iterable[Any], officer: Officer, base_dir: Path | None = None
    ) -> Iterator[ImportResult]:
        """Register every valid record; yield one result per record, in order.

        Valid records are written in chunks, each in one transaction; an invalid record is
        reported and written nowhere. Records already registered (same uuid, same content) are
        reported with their existing case number.
        """
        # Refused records wait in `pending` too, so that results come out in record order.
        pending: list[tuple[int, CaseReport, list[Problem]] | ImportResult] = []
        for index, value in enumerate(records):
            if isinstance(value, _Unreadable):
                pending.append(ImportResult(index, problems=[value.problem]))
                continue
            report, problems = self.read_record(value, base_dir)
            if has_errors(problems):
                pending.append(ImportResult(index, uuid=report.uuid, problems=problems))
                continue
            pending.append((index, report, problems))
            if len(pending) >= IMPORT_CHUNK:
                yield from self._write_chunk(pending, officer)
                pending = []
        if pending:
            yield from self._write_chunk(pending, officer)

    def _write_chunk(
        self, pending: list[tuple[int, CaseReport, list[Problem]] | ImportResult], officer: Officer
    ) -> list[ImportResult]:
        results = []
        with (
            _paths_kept_on_failure(
                [item[1] for item in pending if not isinstance(item, ImportResult)]
            ),
            self.desk.store.write() as conn,
        ):
            for item in pending:
                if isinstance(item, ImportResult):
                    results.append(item)
                    continue
                index, report, problems = item
                result = self._register_checked(conn, report, officer, index)
                result.problems = problems + result.problems
                results.append(result)
        return results

    def _register_checked(
        self, conn: Any, report: CaseReport, officer: Officer, index: int
    ) -> ImportResult:
        digest = content_hash(report)
        if report.uuid is None:
            report.uuid = str(uuidlib.uuid5(UUID_NAMESPACE, f"{self.desk.station_code}:{digest}"))
        existing = cases.by_uuid(conn, report.uuid)
        if existing is not None:
            known = {
                content_hash(case_from_dict(json.loads(rev.data))[0])
                for rev in cases.revisions(conn, existing.id)
            }
            if digest in known:
                return ImportResult(index, existing.uuid, existing.case_no, created=False)
            return ImportResult(
                index,
                report.uuid,
                problems=[Problem("uuid_conflict", "uuid", ERROR, {"value": report.uuid})],
            )
        now = self.desk.now()
        at = utc_stamp(now)
        self._copy_attachment_files(conn, report, at)
        year = now.astimezone(SHANGHAI).year
        case_no = make_case_no(self.desk.station_code, year, cases.next_seq(conn, year))
        data = canonical_json(case_to_dict(report)).decode("utf-8")
        sha = sha256_hex(data.encode())
        summary = self._summary(report, at, officer)
        summary.update(
            uuid=report.uuid,
            case_no=case_no,
            status=REGISTERED,
            revision=1,
            station_code=self.desk.station_code,
            registered_at=at,
            registered_by=officer.badge,
        )
        case_id = cases.insert_case(conn, summary)
        self._store_revision(conn, case_id, case_no, 1, report, data, sha, at, officer, "")
        audit.append(
            conn,
            officer.badge,
            audit.CREATE,
            "case",
            case_no,
            {"uuid": report.uuid, "revision": 1, "sha256": sha},
            at,
        )
        return ImportResult(index, report.uuid, case_no, created=True)

    def _store_revision(
        self,
        conn: Any,
        case_id: int,
        case_no: str,
        number: int,
        report: CaseReport,
        data: str,
        sha: str,
        at: str,
        officer: Officer,
        note: str,
    ) -> None:
        """Revision `number` of a case, its attachments, and the search index made from it."""
        cases.add_revision(conn, case_id, number, data, sha, at, officer.badge, note)
        cases.link_attachments(
            conn, case_id, number, ((a.sha256, a.name) for a in report.attachments)
        )
        cases.write_index(conn, case_id, self._index(report, case_no), replace=number > 1)
        stop_items.sync_case(
            conn, case_id, report.uuid or "", report.transactions, at, new=number == 1
        )

    @staticmethod
    def _summary(report: CaseReport, at: str, officer: Officer) -> dict[str, Any]:
        assert report.reported_at is not None
        return {
            "reported_at": format_time(report.reported_at),
            "reported_utc": utc_stamp(report.reported_at),
            "source": report.source,
            "fraud_type": report.incident.fraud_type,
            "reporter_name": report.reporter.name,
            "reporter_id_masked": mask_id(report.reporter.id_number),
            "total_loss_fen": report.total_loss_fen,
            "updated_at": at,
            "updated_by": officer.badge,
        }

    @staticmethod
    def _index(report: CaseReport, case_no: str) -> CaseIndex:
        names, narrative, identifiers = fts_fields(report)
        return CaseIndex(search_terms(report), names, narrative, f"{case_no} {identifiers}")

    # Changing ------------------------------------------------------------------------------

    def find(self, case_no: str) -> CaseRow:
        normalized = normalize_case_no(case_no)
        row = cases.by_case_no(self.desk.store.conn, normalized)
        if row is None:
            raise NotFound("case_not_found", "case_no", value=case_no)
        return row

    def revise(
        self,
        case_no: str,
        value: Any,
        officer: Officer,
        *,
        note: str = "",
        base_dir: Path | None = None,
    ) -> tuple[CaseRow, bool]:
        """Add a revision with new content. Returns the case and whether anything changed."""
        row = self.find(case_no)
        if row.status == VOIDED:
            raise IntakeError("case_voided", "case_no", value=row.case_no)
        report, problems = self.read_record(value, base_dir)
        if report.uuid not in (None, row.uuid):
            problems.append(Problem("uuid_conflict", "uuid", ERROR, {"value": report.uuid}))
        if has_errors(problems):
            raise ValidationFailed(problems)
        report.uuid = row.uuid
        at = utc_stamp(self.desk.now())
        record = case_to_dict(report)
        data = canonical_json(record).decode("utf-8")
        digest = sha256_hex(data.encode())
        with _paths_kept_on_failure([report]), self.desk.store.write() as conn:
            _still_open(conn, row)  # another desk may have voided it meanwhile
            current = cases.revision(conn, row.id)
            assert current is not None
            if current.sha256 == digest:
                return row, False
            self._copy_attachment_files(conn, report, at)
            number = current.revision + 1
            summary = self._summary(report, at, officer)
            summary["revision"] = number
            cases.update_case(conn, row.id, summary)
            self._store_revision(
                conn, row.id, row.case_no, number, report, data, digest, at, officer, note
            )
            audit.append(
                conn,
                officer.badge,
                audit.REVISE,
                "case",
                row.case_no,
                {"revision": number, "sha256": digest},
                at,
            )
        return self.find(row.case_no), True

    def void(self, case_no: str, reason: str, officer: Officer) -> CaseRow:
        self.desk.auth.require(officer, "supervisor")
        row = self.find(case_no)
        if not (reason or "").strip():
            raise IntakeError("void_reason_required", "reason")
        if len(reason) > 500:
            raise IntakeError("too_long", "reason", length=len(reason), limit=500)
        if row.status == VOIDED:
            raise IntakeError("case_voided", "case_no", value=row.case_no)
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as conn:
            row = _still_open(conn, row)
            cases.update_case(
                conn,
                row.id,
                {
                    "status": VOIDED,
                    "voided_at": at,
                    "voided_by": officer.badge,
                    "void_reason": reason.strip(),
                    "updated_at": at,
                    "updated_by": officer.badge,
                },
            )
            audit.append(
                conn, officer.badge, audit.VOID, "case", row.case_no, {"revision": row.revision}, at
            )
        return self.find(case_no)

    # Reading -------------------------------------------------------------------------------

    def record(self, row: CaseRow, revision: int | None = None) -> dict[str, Any]:
        """The interchange record of a case (newest or a given revision) with the desk's keys."""
        rev = cases.revision(self.desk.store.conn, row.id, revision)
        if rev is None:
            raise NotFound("case_not_found", "revision", value=f"{row.case_no}#{revision}")
        record: dict[str, Any] = json.loads(rev.data)
        officer = officers.get(self.desk.store.conn, row.registered_by)
        record.update(
            {
                "case_no": row.case_no,
                "revision": rev.revision,
                "status": row.status,
                "station_code": row.station_code,
                "station_name": self.desk.station_name,
                "received_by": {
                    "badge": row.registered_by,
                    "name": officer.name if officer else "",
                },
                "registered_at": _local(row.registered_at),
                "revised_at": _local(rev.created_at),
                "revised_by": rev.created_by,
                "sha256": rev.sha256,
            }
        )
        if row.status == VOIDED:
            record.update(
                {"voided_at": _local(row.voided_at or ""), "void_reason": row.void_reason}
            )
        return record

    def show(self, case_no: str) -> dict[str, Any]:
        return self.record(self.find(case_no))

    def reveal(self, case_no: str, officer: Officer, where: str) -> dict[str, Any]:
        """The case with full ID, phone and account numbers: recorded in the audit log (who saw
        which case's numbers, when, and through what). Lists and search results stay masked."""
        row = self.find(case_no)
        self._record_reveal(row.case_no, officer, {"fields": list(REVEALED_FIELDS), "via": where})
        return self.record(row)

    def _record_reveal(self, case_no: str, officer: Officer, detail: dict[str, Any]) -> None:
        with self.desk.store.write() as conn:
            audit.append(
                conn,
                officer.badge,
                audit.REVEAL,
                "case",
                case_no,
                detail,
                utc_stamp(self.desk.now()),
            )

    def open_attachment(self, case_no: str, sha256: str, name: str, officer: Officer) -> Path:
        """A case's evidence file unsealed into the desk's viewing folder, for a viewer program
        (deleted when the desk closes); recorded in the audit log like showing full numbers."""
        row = self.find(case_no)
        data = self.desk.blobs.read(sha256)
        folder = self.desk.viewing_folder() / sha256[:16]
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (Path(name).name or sha256)
        target.write_bytes(data)
        self._record_reveal(
            row.case_no,
            officer,
            {"fields": ["attachment"], "sha256": sha256, "via": "open_attachment"},
        )
        return target

    def history(self, case_no: str) -> list[Revision]:
        row = self.find(case_no)
        revisions = []
        previous: dict[str, Any] = {}
        for rev in cases.revisions(self.desk.store.conn, row.id):
            record = json.loads(rev.data)
            changes = diff_records(previous, record) if previous else []
            revisions.append(
                Revision(
                    rev.revision,
                    _local(rev.created_at),
                    rev.created_by,
                    rev.note,
                    rev.sha256,
                    record,
                    changes,
                )
            )
            previous = record
        return revisions

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[CaseRow]:
        """Find cases by case number, then by exact name, ID number, phone, account or
        identifier, and only when nothing matches exactly, by words or parts of any of them."""
        q = " ".join(query.split())
        if not q:
            return []
        conn = self.desk.store.conn
        hits: list[CaseRow] = []
        if looks_like_case_no(q):
            try:
                row = cases.by_case_no(conn, normalize_case_no(q))
            except IntakeError:
                row = None
            if row is not None:
                hits.append(row)
        ids = cases.ids_by_terms(conn, query_terms(q), limit)
        # An exact hit on a name, ID number, phone, account or identifier is what was meant;
        # words of the narrative and parts of numbers are searched only when there is none.
        if not ids:
            ids = cases.ids_by_text(conn, q, limit)
        seen = {row.id for row in hits}
        unique = [i for i in dict.fromkeys(ids) if i not in seen]
        hits += cases.by_ids(conn, unique[:limit])
        return hits[:limit]

    def export(self, path: Path, officer: Officer, since: str | None = None) -> int:
        """Write every case changed since a time as JSON Lines; returns how many.

        One transaction reads the cases (a consistent snapshot) and records the export in the
        audit log; the file appears under its name only as that transaction's last step, so an
        export that is not in the audit log never reaches the folder.
        """
        if not officer.has_role("supervisor"):
            raise AuthError("export_needs_supervisor", "role", value=officer.badge)
        since_utc = utc_stamp(parse_time(since, "since")) if since else None
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        count = 0
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with self.desk.store.write() as conn:
                with os.fdopen(fd, "wb") as out:
                    for row in list(cases.changed_since(conn, since_utc)):
                        line = json.dumps(self.record(row), ensure_ascii=False).encode() + b"\n"
                        digest.update(line)
                        out.write(line)
                        count += 1
                audit.append(
                    conn,
                    officer.badge,
                    audit.EXPORT,
                    "cases",
                    path.name,
                    {
                        "count": count,
                        "since": since,
                        "sha256": digest.hexdigest(),
                        "encrypted": False,
                    },
                    utc_stamp(self.desk.now()),
                )
                os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return count


def _still_open(conn: Any, row: CaseRow) -> CaseRow:
    """The case as it is now, inside the write; refuses a case voided since it was read."""
    current = cases.by_ids(conn, [row.id])[0]
    if current.status == VOIDED:
        raise IntakeError("case_voided", "case_no", value=current.case_no)
    return current


@contextmanager
def _paths_kept_on_failure(reports: list[CaseReport]) -> Iterator[None]:
    """Registering clears each attachment's file path once the file is copied in; if the write
    then rolls back, put the paths back so the same reports can be registered again."""
    saved = [(att, att.path) for report in reports for att in report.attachments]
    try:
        yield
    except BaseException:
        for att, path in saved:
            att.path = path
        raise


def _local(stamp: str) -> str:
    """A stored UTC stamp as Asia/Shanghai ISO time."""
    if not stamp:
        return ""
    return format_time(parse_time(stamp, "at").astimezone(SHANGHAI))


@dataclass(frozen=True)
class _Unreadable:
    problem: Problem


def read_records(path: Path) -> Iterator[Any]:
    """Records from a JSON object, a JSON array or JSON Lines. Bad lines yield _Unreadable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IntakeError("file_unreadable", "file", value=str(path), detail=str(exc)) from exc
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IntakeError("json_invalid", "file", line=exc.lineno, detail=exc.msg) from exc
        yield from data
        return
    try:
        yield json.loads(text)
        return
    except json.JSONDecodeError:
        pass
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            yield _Unreadable(
                Problem("json_invalid", "", ERROR, {"line": number, "detail": exc.msg})
            )
