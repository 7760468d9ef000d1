"""The city center: registered stations, batch ingest, attachments, links and the feed.

`Center.open(data_dir)` is the composition root for the HTTP service and the CLI alike. Every
refusal is a `Refusal` (an HTTP status and a SyncError code), raised before anything is written;
a batch is ingested in one transaction together with the advance of its station's sequence.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from intake_app.domain.errors import IntakeError
from intake_app.domain.sync_protocol import (
    ATTACHMENT_STATUS_FORMAT,
    FEED_REQUEST_FORMAT,
    INSTRUCTION_KINDS,
    Ack,
    Chunk,
    Envelope,
    Feed,
    Identity,
    Instruction,
    PublicKeyFile,
    SyncError,
    WatchEntry,
    chunk_station,
    instruction_subject,
    open_chunk,
    open_envelope,
    open_station_request,
    request_station,
    seal_feed,
    sign_document,
    status_hashes,
)
from intake_app.domain.times import format_time, parse_time, utc_stamp

from intake_app.center import ingest, station_records
from intake_app.center.store import DB_FILENAME, CenterStore

KEY_FILE = "center.key"


@dataclass
class Refusal(Exception):
    """A request the center refuses: HTTP status, the error, and for a replay the old ack."""

    status: int
    error: SyncError
    ack: bytes | None = None

    def body(self, lang: str = "en") -> dict[str, Any]:
        out: dict[str, Any] = {
            "error": self.error.code,
            "params": self.error.params,
            "message": self.error.message(lang),
        }
        if self.ack is not None:
            out["ack"] = self.ack.decode("utf-8")
        return out


def _now() -> str:
    return utc_stamp(datetime.now(UTC))


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Center:
    def __init__(self, data_dir: Path, store: CenterStore, identity: Identity) -> None:
        self.data_dir = data_dir
        # The clock signed station requests must be close to (tests set a fixed one).
        self.clock: Callable[[], datetime] = _utc_now
        self.store = store
        self.identity = identity
        self.blob_dir = data_dir / "attachments"
        self._station_keys: dict[str, bytes] = {}
        self.ingest_seconds = 0.0  # time spent ingesting batches (bench/bench_sync.py)

    # Opening -------------------------------------------------------------------------------

    @classmethod
    def initialise(cls, data_dir: Path, name: str) -> Center:
        """Set up the database, then the key file (last, in one rename): all or nothing, so a
        failure leaves a folder that `init` can set up again."""
        if not name.strip():
            raise IntakeError("required", "name")
        key_path, db_path = data_dir / KEY_FILE, data_dir / DB_FILENAME
        if key_path.exists() or db_path.exists():
            raise IntakeError("center_already_initialised", value=str(data_dir))
        data_dir.mkdir(parents=True, exist_ok=True)
        identity = Identity.generate(with_encryption=True)
        tmp_key = key_path.with_suffix(".tmp")
        store: CenterStore | None = None
        try:
            store = CenterStore(db_path)
            with store.write() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES ('name', ?)",
                    (name.strip(),),
                )
            tmp_key.unlink(missing_ok=True)
            _write_private(tmp_key, identity.to_text())
            os.replace(tmp_key, key_path)
            return cls(data_dir, store, identity)
        except BaseException:
            if store is not None:
                store.close()
            for path in (
                tmp_key,
                db_path,
                *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm")),
            ):
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
            raise

    @classmethod
    def open(cls, data_dir: Path) -> Center:
        key = data_dir / KEY_FILE
        if not key.exists() or not (data_dir / DB_FILENAME).exists():
            raise IntakeError("center_not_initialised", value=str(data_dir))
        identity = Identity.from_text(key.read_text(encoding="utf-8"))
        return cls(data_dir, CenterStore(data_dir / DB_FILENAME), identity)

    def close(self) -> None:
        self.store.close()

    @property
    def name(self) -> str:
        return self.store.setting("name") or ""

    def public_key(self) -> PublicKeyFile:
        return self.identity.public("center", self.name)

    # Stations ------------------------------------------------------------------------------

    def add_station(self, code: str, name: str, key_text: str) -> PublicKeyFile:
        key = PublicKeyFile.parse(key_text, "station")
        code = code.strip()
        if not code or len(code) > 32 or not code.replace("-", "").replace("_", "").isalnum():
            raise IntakeError("station_code_invalid", "station_code", value=code)
        if not name.strip():
            raise IntakeError("required", "station_name")
        with self.store.write() as conn:
            if conn.execute("SELECT 1 FROM stations WHERE code = ?", (code,)).fetchone():
                raise IntakeError("station_exists", value=code)
            conn.execute(
                "INSERT INTO stations (code, name, public_key, fingerprint, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (code, name.strip(), key.verify_key, key.fingerprint, _now()),
            )
        return key

    def stations(self) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.store.all(
                "SELECT code, name, fingerprint, added_at, last_seq FROM stations ORDER BY code"
            )
        ]

    def _station_key(self, code: str) -> bytes:
        key = self._station_keys.get(code)
        if key is None:
            row = self.store.one("SELECT public_key FROM stations WHERE code = ?", (code,))
            if row is None:
                raise Refusal(403, SyncError("sync_unknown_station", station=code))
            key = bytes(row[0])
            self._station_keys[code] = key
        return key

    def _station_request(self, body: bytes, fmt: str) -> tuple[str, dict[str, Any]]:
        """(station, request) of a request signed by a registered station, naming it, recent."""
        try:
            code = request_station(body)
            key = self._station_key(code)
            return code, open_station_request(body, code, key, fmt, self.clock())
        except SyncError as exc:
            raise Refusal(400, exc) from None

    # Batches -------------------------------------------------------------------------------

    def receive_batch(self, body: bytes, via: str = "http") -> bytes:
        """Verify, check the sequence, ingest; the signed acknowledgement. Refusal otherwise."""
        import time

        started = time.perf_counter()
        try:
            envelope = Envelope.parse(body)
            key = self._station_key(envelope.station)
            batch, digest = open_envelope(envelope, self.identity, key)
        except SyncError as exc:
            raise Refusal(400, exc) from None
        at = _now()
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT last_seq, last_hash FROM stations WHERE code = ?", (batch.station,)
            ).fetchone()
            last_seq, last_hash = int(row[0]), str(row[1])
            if batch.seq <= last_seq:
                old = conn.execute(
                    "SELECT sha256, ack FROM batches WHERE station = ? AND seq = ?",
                    (batch.station, batch.seq),
                ).fetchone()
                if old is not None and old[0] == digest:
                    raise Refusal(409, SyncError("sync_replayed", seq=batch.seq), bytes(old[1]))
                raise Refusal(
                    409, SyncError("sync_out_of_order", seq=batch.seq, expected=last_seq + 1)
                )
            if batch.seq != last_seq + 1 or batch.prev != last_hash:
                raise Refusal(
                    409, SyncError("sync_out_of_order", seq=batch.seq, expected=last_seq + 1)
                )
            results = ingest.ingest_records(conn, batch.station, batch.seq, batch.records, at)
            missing = ingest.missing_attachments(conn, batch.attachments)
            ack = Ack(batch.station, batch.seq, digest, results, missing, at)
            signed = sign_document(self.identity, ack.to_dict())
            conn.execute(
                "INSERT INTO batches (station, seq, sha256, received_at, via, records, ack) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (batch.station, batch.seq, digest, at, via, len(batch.records), signed),
            )
            conn.execute(
                "UPDATE stations SET last_seq = ?, last_hash = ? WHERE code = ?",
                (batch.seq, digest, batch.station),
            )
        self.ingest_seconds += time.perf_counter() - started
        return signed

    # Attachments ---------------------------------------------------------------------------

    def _partial(self, sha: str) -> Path:
        return self.blob_dir / ".partial" / sha

    def blob_path(self, sha: str) -> Path:
        return self.blob_dir / sha[:2] / sha

    def attachment_status(self, body: bytes) -> dict[str, int]:
        """For each hash asked about: bytes already received (the size once complete). The
        request is signed by a registered station and recent; every hash is a SHA-256."""
        _code, inner = self._station_request(body, ATTACHMENT_STATUS_FORMAT)
        try:
            hashes = status_hashes(inner)
        except SyncError as exc:
            raise Refusal(400, exc) from None
        out: dict[str, int] = {}
        for sha in hashes:
            if self.blob_path(sha).exists():
                out[sha] = self.blob_path(sha).stat().st_size
            else:
                partial = self._partial(sha)
                out[sha] = partial.stat().st_size if partial.exists() else 0
        return out

    def _open_chunk(self, body: bytes) -> Chunk:
        try:
            station, sealed = chunk_station(body)
            return open_chunk(sealed, station, self.identity, self._station_key(station))
        except SyncError as exc:
            raise Refusal(400, exc) from None

    def receive_chunk(self, body: bytes) -> dict[str, Any]:
        return self._store_chunk(self._open_chunk(body))

    def _store_chunk(self, chunk: Chunk) -> dict[str, Any]:
        with self.store.lock:
            final = self.blob_path(chunk.sha256)
            if final.exists():
                return {"sha256": chunk.sha256, "received": chunk.total, "complete": True}
            partial = self._partial(chunk.sha256)
            partial.parent.mkdir(parents=True, exist_ok=True)
            have = partial.stat().st_size if partial.exists() else 0
            if chunk.offset > have:
                raise Refusal(
                    409, SyncError("sync_chunk_offset", sha256=chunk.sha256[:12], have=have)
                )
            with partial.open("r+b" if partial.exists() else "wb") as out:
                out.seek(chunk.offset)
                out.write(chunk.data)
                out.truncate(max(have, chunk.offset + len(chunk.data)))
            received = partial.stat().st_size
            complete = received >= chunk.total
            if complete:
                if _file_sha256(partial) != chunk.sha256:
                    partial.unlink()
                    raise Refusal(
                        400, SyncError("sync_attachment_mismatch", sha256=chunk.sha256[:12])
                    )
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(partial, final)
            with self.store.write() as conn:
                conn.execute(
                    "INSERT INTO attachments (sha256, size, received, complete, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET "
                    "received = excluded.received, complete = excluded.complete, "
                    "updated_at = excluded.updated_at",
                    (chunk.sha256, chunk.total, received, int(complete), _now()),
                )
        return {"sha256": chunk.sha256, "received": received, "complete": complete}

    # USB -----------------------------------------------------------------------------------

    def import_file(self, path: Path) -> tuple[bytes, Path]:
        """Ingest a station's export file (batch, then attachment chunks); write and return
        the signed acknowledgement file beside it."""
        try:
            lines = path.read_bytes().splitlines()
        except OSError:
            raise IntakeError("file_unreadable", "file", value=str(path), detail="") from None
        if not lines:
            raise Refusal(400, SyncError("sync_malformed", what="batch"))
        # Everything is opened and verified before anything is kept, so a truncated or altered
        # file changes nothing.
        try:
            envelope = Envelope.parse(lines[0])
            open_envelope(envelope, self.identity, self._station_key(envelope.station))
        except SyncError as exc:
            raise Refusal(400, exc) from None
        chunks = [self._open_chunk(line) for line in lines[1:] if line.strip()]
        # Chunks first: the batch's answer then says which attachments are still missing.
        for chunk in chunks:
            self._store_chunk(chunk)
        try:
            ack = self.receive_batch(lines[0], via="usb")
        except Refusal as refusal:
            if refusal.ack is None:
                raise
            ack = refusal.ack  # imported before (or pushed over HTTP): the same answer again
        out = path.with_suffix(".ack")
        out.write_bytes(ack + b"\n")
        return ack, out

    # Reading -------------------------------------------------------------------------------

    def cases(self) -> list[dict[str, Any]]:
        incomplete = ingest.incomplete_cases(self.store.conn, self.store.lock)
        return [
            {**dict(r), "complete": r["uuid"] not in incomplete}
            for r in self.store.all(
                "SELECT uuid, station, case_no, revision, status, sha256, reported_at, "
                "fraud_type, received_at FROM cases ORDER BY station, case_no"
            )
        ]

    def stop_payment(self) -> list[dict[str, Any]]:
        """Money stopped, frozen and returned per case, from the stations' outcomes."""
        with self.store.lock:
            return station_records.stop_payment(self.store.conn)

    def instructions(self) -> list[dict[str, Any]]:
        """Every instruction with the station's result (None while it has not come up)."""
        out = []
        for r in self.store.all(
            "SELECT i.id, i.station, i.kind, i.text, i.deadline, i.issued_at, i.subject, "
            "r.outcome, r.at AS outcome_at, r.officer, r.note, r.received_at "
            "FROM instructions i LEFT JOIN instruction_results r ON r.instruction_id = i.id "
            "ORDER BY i.issued_at DESC, i.id"
        ):
            row = dict(r)
            result = {k: row.pop(k) for k in ("outcome", "outcome_at", "officer", "note")}
            received = row.pop("received_at")
            row["subject"] = json.loads(row["subject"])
            row["result"] = {**result, "received_at": received} if result["outcome"] else None
            out.append(row)
        return out

    def outreach(self) -> list[dict[str, Any]]:
        """The newest revision of every lead and prevention event received."""
        return [
            dict(r)
            for r in self.store.all(
                "SELECT uuid, kind, station, revision, day, summary, received_at FROM outreach "
                "ORDER BY station, kind, day, uuid"
            )
        ]

    def links(self, min_cases: int = 2) -> list[dict[str, Any]]:
        return ingest.links(self.store.conn, self.store.lock, min_cases)

    def quarantine(self) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.store.all(
                "SELECT id, kind, uuid, revision, sha256, existing_sha256, station, seq, "
                "received_at FROM quarantine ORDER BY id"
            )
        ]

    # Instructions, watchlist and the feed -------------------------------------------------

    def instruct(
        self,
        station: str,
        kind: str,
        text: str,
        deadline: str = "",
        subject: dict[str, Any] | None = None,
    ) -> str:
        """A new instruction for a station; `subject` is what the center knows of the person
        or lead ({name, phone, identifiers: [{kind, value}]}), for the station's report form."""
        if kind not in INSTRUCTION_KINDS:
            raise IntakeError(
                "unknown_code",
                "kind",
                value=kind,
                list_name="指令类型",
                list_name_en="instruction kinds",
            )
        if not text.strip():
            raise IntakeError("required", "text")
        if deadline:
            # Without an offset the time is China's (+08:00), and it is stored with its offset
            # so the station shows the same moment.
            deadline = format_time(parse_time(deadline, "deadline"))
        if self.store.one("SELECT 1 FROM stations WHERE code = ?", (station,)) is None:
            raise IntakeError("sync_unknown_station", station=station)
        known = instruction_subject(subject or {}, "instruction")
        ident = str(uuidlib.uuid4())
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO instructions (id, station, kind, text, deadline, issued_at, subject) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ident, station, kind, text.strip(), deadline, _now(), json.dumps(known)),
            )
        return ident

    def watch_add(self, kind: str, value: str) -> str:
        from intake_app.domain.identifiers import IDENTIFIER_KINDS, normalize_identifier
        from intake_app.domain.reference import list_name_label

        if kind not in IDENTIFIER_KINDS:
            raise IntakeError(
                "unknown_code",
                "kind",
                value=kind,
                list_name=list_name_label("identifier_kinds", "zh_CN"),
                list_name_en=list_name_label("identifier_kinds", "en"),
            )
        normalized = normalize_identifier(kind, value)
        if not normalized:
            raise IntakeError("required", "value")
        with self.store.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO watch (kind, value, added_at) VALUES (?, ?, ?)",
                (kind, normalized, _now()),
            )
        return normalized

    def set_reference(self, reference: dict[str, Any]) -> None:
        with self.store.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('reference', ?)",
                (json.dumps(reference, ensure_ascii=False),),
            )

    def feed(self, body: bytes) -> bytes:
        """The signed feed for the station that signed the request, sealed to its key."""
        code, _inner = self._station_request(body, FEED_REQUEST_FORMAT)
        key = self._station_key(code)
        watch = [WatchEntry(**w) for w in ingest.watchlist(self.store.conn, self.store.lock)]
        instructions = [
            Instruction(
                r["id"],
                r["kind"],
                r["text"],
                r["deadline"],
                r["issued_at"],
                json.loads(r["subject"]),
            )
            for r in self.store.all(
                "SELECT id, kind, text, deadline, issued_at, subject FROM instructions "
                "WHERE station = ? "
                "ORDER BY issued_at",
                (code,),
            )
        ]
        reference_text = self.store.setting("reference")
        feed = Feed(
            code,
            _now(),
            watch,
            instructions,
            json.loads(reference_text) if reference_text else None,
        )
        return seal_feed(feed, self.identity, key)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
