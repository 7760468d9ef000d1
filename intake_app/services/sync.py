"""The station's side of sync (docs/sync-protocol.md): keys, enrollment, batches, acks,
attachments, the USB path and the downward feed.

One batch is open at a time: it is built once (its sequence number and the previous batch's hash
fixed, signed, sealed and stored) and sent again, byte for byte, until an acknowledgement signed
by the center is verified and applied. So a lost answer never makes a second batch, and a USB
export and an HTTP push of the same batch are the same batch to the center.
"""

from __future__ import annotations

import json
import os
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.domain.errors import IntakeError
from intake_app.domain.identifiers import normalize_identifier
from intake_app.domain.interchange import canonical_json
from intake_app.domain.reference import ReferenceData, version_key
from intake_app.domain.sync_messages import SYNC_CATALOG
from intake_app.domain.sync_protocol import (
    CHUNK_BYTES,
    MAX_BATCH_BYTES,
    MAX_BATCH_RECORDS,
    Batch,
    Chunk,
    Envelope,
    Feed,
    Identity,
    PublicKeyFile,
    Record,
    SyncError,
    attachment_status_request,
    feed_request,
    open_feed,
    parse_ack,
    parse_json,
    seal_batch,
    seal_chunk,
    sha256_hex,
)
from intake_app.domain.times import utc_stamp

from intake_app.store import audit
from intake_app.store import sync as rows
from intake_app.store.cipher import is_sealed_secret, open_secret, seal_secret
from intake_app.store.officers import Officer

from intake_app.services.sync_records import KINDS, urgent_case_ids

if TYPE_CHECKING:
    import httpx

    from intake_app.services.desk import Desk

KEY_DIR = "keys"
KEY_FILE = "station.key"
SETTING_URL = "sync_center_url"
SETTING_CENTER_KEY = "sync_center_key"
SETTING_STATE = "sync_state"
SETTING_FEED_AT = "sync_feed_issued_at"
TIMEOUT_S = 30.0
MAX_ROUNDS = 1000  # batches per push: bounded, whatever happens


@dataclass
class PushResult:
    batches: int = 0
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    attachments: int = 0

    def add(self, counts: dict[str, int]) -> None:
        for key, value in counts.items():
            setattr(self, key, getattr(self, key) + value)


@dataclass
class SyncStatus:
    enrolled: bool
    center_url: str
    pending: dict[str, int]
    open_batch: int | None
    acked: dict[str, int]
    attachments_pending: int
    last_attempt: str
    last_success: str
    last_error: dict[str, Any] | None
    watchlist: int
    instructions: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pending_total(self) -> int:
        return sum(self.pending.values())

    def error_text(self, lang: str) -> str:
        if not self.last_error:
            return ""
        return SyncError(self.last_error["code"], **self.last_error.get("params", {})).message(lang)


class SyncService:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        # Set from another thread (the window quitting): a push stops between requests.
        self.cancel = threading.Event()

    # Keys and enrollment -------------------------------------------------------------------

    @property
    def key_path(self) -> Path:
        return self.desk.data_dir / KEY_DIR / KEY_FILE

    @property
    def public_key_path(self) -> Path:
        return self.key_path.with_suffix(".pub")

    def identity(self) -> Identity:
        """The station's signing key, made on first need (at `init` for new stations).

        The key file is sealed under the store's key (store/cipher.py), so it needs an unlocked
        desk; a plain key file of an earlier version is sealed the first time it is read."""
        path = self.key_path
        db_key = self.desk.key
        if path.exists():
            raw = path.read_bytes()
            if is_sealed_secret(raw):
                return Identity.from_text(open_secret(db_key, raw, str(path)).decode("utf-8"))
            identity = Identity.from_text(raw.decode("utf-8"))
        else:
            identity = Identity.generate()
        self._write_identity(identity, db_key)
        return identity

    def _write_identity(self, identity: Identity, db_key: bytes) -> None:
        path = self.key_path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(seal_secret(db_key, identity.to_text().encode("utf-8")))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        # The public half in clear, so `sync key` works while the desk is locked.
        public = self._public(identity)
        self.public_key_path.write_text(json.dumps(public.to_dict()), encoding="utf-8")

    def _public(self, identity: Identity) -> PublicKeyFile:
        return identity.public("station", f"{self.desk.station_code} {self.desk.station_name}")

    def public_key(self) -> PublicKeyFile:
        if self.desk.locked and self.key_path.exists() and self.public_key_path.exists():
            return PublicKeyFile.parse(self.public_key_path.read_text(encoding="utf-8"), "station")
        return self._public(self.identity())

    def enroll(self, center_url: str, center_key: str, actor: Officer) -> PublicKeyFile:
        self.desk.auth.require(actor, "admin")
        url = center_url.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise IntakeError("sync_url_invalid", "center_url", value=center_url)
        key = PublicKeyFile.parse(center_key, "center")
        self.identity()
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as conn:
            self.desk.store.set_setting(SETTING_URL, url)
            self.desk.store.set_setting(SETTING_CENTER_KEY, json.dumps(key.to_dict()))
            audit.append(
                conn,
                actor.badge,
                audit.SETTING,
                "sync",
                "center",
                {"url": url, "fingerprint": key.fingerprint},
                at,
            )
        return key

    def center_key(self) -> PublicKeyFile:
        text = self.desk.store.setting(SETTING_CENTER_KEY)
        if not text:
            raise SyncError("sync_not_enrolled")
        return PublicKeyFile.parse(text, "center")

    @property
    def center_url(self) -> str:
        return self.desk.store.setting(SETTING_URL) or ""

    # Batches -------------------------------------------------------------------------------

    def _collect(self) -> tuple[list[Record], list[str]]:
        conn = self.desk.store.conn
        urgent = urgent_case_ids(self.desk, self.desk.now())
        picked: list[tuple[Record, list[str]]] = []
        for kind in KINDS:
            picked += kind.unsent(conn, MAX_BATCH_RECORDS, urgent)
        picked.sort(key=lambda item: not item[0].urgent)  # stable: urgent first
        records: list[Record] = []
        attachments: list[str] = []
        size = 0
        for record, hashes in picked[:MAX_BATCH_RECORDS]:
            size += len(canonical_json(record.data)) + 200
            if records and size > MAX_BATCH_BYTES:
                break
            records.append(record)
            attachments += [h for h in hashes if h not in attachments]
        return records, attachments

    def open_batch(self) -> rows.BatchRow | None:
        """The batch waiting for an acknowledgement, or a new one of unsent records."""
        conn = self.desk.store.conn
        current = rows.open_batch(conn)
        if current is not None:
            return current
        center = self.center_key()
        records, attachments = self._collect()
        if not records:
            return None
        identity = self.identity()
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as wconn:
            current = rows.open_batch(wconn)  # another process may have built it meanwhile
            if current is not None:
                return current
            last = rows.last_batch(wconn)
            seq = last.seq + 1 if last else 1
            batch = Batch(
                self.desk.station_code, seq, last.sha256 if last else "", at, records, attachments
            )
            envelope = seal_batch(batch, identity, center.encryption_key)
            rows.add_batch(
                wconn,
                seq,
                sha256_hex(batch.payload()),
                batch.prev,
                at,
                envelope.to_bytes(),
                [(r.kind, r.uuid, r.revision, r.sha256) for r in records],
            )
        return rows.open_batch(conn)

    def apply_ack(self, data: bytes, via: str) -> dict[str, int]:
        """Verify the center's signed answer and mark the batch's records acknowledged."""
        ack = parse_ack(data, self.center_key().verify_key)
        conn = self.desk.store.conn
        batch = rows.batch(conn, ack.seq)
        if (
            ack.station != self.desk.station_code
            or batch is None
            or batch.sha256 != ack.batch_sha256
        ):
            raise SyncError("sync_ack_mismatch", station=ack.station, seq=ack.seq)
        if batch.acked_at is not None:
            raise SyncError("sync_ack_already", seq=ack.seq)
        sent = rows.batch_records(conn, ack.seq)
        answered = {(r.kind, r.uuid, r.revision): r for r in ack.results}
        if set(answered) != set(sent) or any(
            answered[key].sha256 != sha for key, sha in sent.items()
        ):
            raise SyncError("sync_ack_mismatch", station=ack.station, seq=ack.seq)
        at = utc_stamp(self.desk.now())
        counts: dict[str, int] = {}
        for r in ack.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        with self.desk.store.write() as wconn:
            current = rows.batch(wconn, ack.seq)
            if current is not None and current.acked_at is not None:
                # Another process (the window's background sync) applied it meanwhile.
                raise SyncError("sync_ack_already", seq=ack.seq)
            rows.mark_acked(
                wconn,
                ack.seq,
                data,
                at,
                via,
                [(r.kind, r.uuid, r.revision, r.sha256, r.status, r.reason) for r in ack.results],
            )
            rows.want_attachments(wconn, ack.missing_attachments, at)
            audit.append(
                wconn,
                None,
                audit.SYNC,
                "sync_batch",
                str(ack.seq),
                {"via": via, "records": len(ack.results), **counts},
                at,
            )
        return counts

    # HTTP ----------------------------------------------------------------------------------

    def client(self) -> httpx.Client:
        import httpx

        if not self.center_url:
            raise SyncError("sync_not_enrolled")
        return httpx.Client(base_url=self.center_url, timeout=TIMEOUT_S)

    def push(self, client: httpx.Client | None = None) -> PushResult:
        """Send every unsent record and attachment; the state is noted for `status`."""
        return self._noted(lambda c: self._push(c), client)

    def pull(self, client: httpx.Client | None = None) -> Feed:
        return self._noted(lambda c: self._pull(c), client)

    def _noted(self, work: Any, client: httpx.Client | None) -> Any:
        import httpx

        own = client is None
        state = self._state()
        state["last_attempt"] = utc_stamp(self.desk.now())
        try:
            use = client if client is not None else self.client()
            try:
                result = work(use)
            finally:
                if own:
                    use.close()
        except httpx.HTTPError as exc:
            code = (
                "sync_center_timeout"
                if isinstance(exc, httpx.TimeoutException)
                else "sync_center_unreachable"
            )
            error = SyncError(code, url=self.center_url)
            self._save_state(state, error)
            raise error from exc
        except SyncError as exc:
            self._save_state(state, exc)
            raise
        state["last_success"] = state["last_attempt"]
        self._save_state(state, None)
        return result

    def _post(self, client: httpx.Client, path: str, body: bytes) -> bytes:
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        if response.status_code == 200:
            return response.content
        raise _refusal(response.content)

    def _push(self, client: httpx.Client) -> PushResult:
        result = PushResult()
        for _ in range(MAX_ROUNDS):
            if self.cancel.is_set():
                return result
            batch = self.open_batch()
            if batch is None:
                break
            try:
                ack = self._post(client, "/v1/batches", batch.envelope)
            except _Replayed as replay:
                ack = replay.ack
            try:
                result.add(self.apply_ack(ack, "http"))
            except SyncError as exc:
                if exc.code != "sync_ack_already":
                    raise
                continue  # another process of this desk applied the same answer meanwhile
            result.batches += 1
        result.attachments = self._upload_attachments(client)
        return result

    def _upload_attachments(self, client: httpx.Client) -> int:
        hashes = rows.pending_attachments(self.desk.store.conn)
        if not hashes:
            return 0
        identity = self.identity()
        center = self.center_key()
        station = self.desk.station_code
        request = attachment_status_request(identity, station, utc_stamp(self.desk.now()), hashes)
        have = parse_json(self._post(client, "/v1/attachments/status", request), "request")
        done = 0
        for sha in hashes:
            if self.cancel.is_set():
                break
            # Done only when the center has it all: its status showed the full size, or it
            # answered `complete` to the last chunk. A file missing here stays pending.
            if not self.desk.blobs.has(sha):
                continue
            offset = have.get(sha)
            offset = offset if isinstance(offset, int) and offset > 0 else 0
            content = self.desk.blobs.read(sha)  # unsealed, checked against its hash
            complete = offset >= len(content)
            if not complete:
                answer: dict[str, Any] = {}
                for chunk in self._chunks(sha, offset, content):
                    if self.cancel.is_set():
                        return done
                    sealed = seal_chunk(chunk, identity, center.encryption_key)
                    answer = parse_json(self._post(client, "/v1/attachments", sealed), "chunk")
                complete = answer.get("complete") is True
            if complete:
                with self.desk.store.write() as conn:
                    rows.attachment_done(conn, sha, utc_stamp(self.desk.now()))
                done += 1
        return done

    def _chunks(self, sha: str, offset: int = 0, content: bytes | None = None) -> Iterator[Chunk]:
        """The file in chunks from `offset`: unsealed from the attachment store (each chunk
        is sealed again to the center by the caller)."""
        if content is None:
            content = self.desk.blobs.read(sha)
        total = len(content)
        while True:
            data = content[offset : offset + CHUNK_BYTES]
            yield Chunk(self.desk.station_code, sha, offset, total, data)
            offset += len(data)
            if offset >= total:
                return

    # USB -----------------------------------------------------------------------------------

    def export(self, folder: Path, actor: Officer) -> tuple[Path, int, int] | None:
        """Write the open batch and every attachment it refers to into one file in `folder`:
        (the file, records, attachments), or None when nothing waits."""
        batch = self.open_batch()
        if batch is None:
            return None
        identity = self.identity()
        center = self.center_key()
        envelope = Envelope.parse(batch.envelope)
        hashes = _batch_attachments(self.desk, batch)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.desk.station_code}-{envelope.seq:06d}.sync"
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as out:
            out.write(batch.envelope + b"\n")
            for sha in hashes:
                if self.desk.blobs.has(sha):
                    for chunk in self._chunks(sha):
                        out.write(seal_chunk(chunk, identity, center.encryption_key) + b"\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        with self.desk.store.write() as conn:
            audit.append(
                conn,
                actor.badge,
                audit.EXPORT,
                "sync_batch",
                str(envelope.seq),
                {"file": path.name, "records": batch.records, "attachments": len(hashes)},
                utc_stamp(self.desk.now()),
            )
        return path, batch.records, len(hashes)

    def import_ack(self, path: Path) -> dict[str, int]:
        try:
            data = path.read_bytes()
        except OSError:
            raise IntakeError("file_unreadable", "file", value=str(path), detail="") from None
        counts = self.apply_ack(data.strip(), "usb")
        ack = parse_ack(data.strip(), self.center_key().verify_key)
        if not ack.missing_attachments:
            with self.desk.store.write() as conn:
                for sha in _batch_attachments(self.desk, rows.batch(conn, ack.seq)):
                    rows.attachment_done(conn, sha, utc_stamp(self.desk.now()))
        return counts

    # Feed ----------------------------------------------------------------------------------

    def _pull(self, client: httpx.Client) -> Feed:
        request = feed_request(self.identity(), self.desk.station_code, utc_stamp(self.desk.now()))
        return self.apply_feed(self._post(client, "/v1/feed", request))

    def apply_feed(self, data: bytes) -> Feed:
        feed = open_feed(data, self.identity(), self.center_key().verify_key)
        if feed.station != self.desk.station_code:
            raise SyncError("sync_feed_wrong_station", station=feed.station)
        previous = self.desk.store.setting(SETTING_FEED_AT) or ""
        if feed.issued_at < previous:
            raise SyncError("sync_feed_stale")
        reference = None
        if feed.reference is not None:
            try:
                reference = ReferenceData.from_dict(feed.reference)
            except (KeyError, TypeError, ValueError, AttributeError):
                raise SyncError("sync_field_invalid", what="feed", name="reference") from None
            self.desk.reload_reference()  # another process of this desk may have installed one
            if version_key(reference.version) <= version_key(self.desk.reference.version):
                reference = None  # only a newer edition than the one in use is installed
        at = utc_stamp(self.desk.now())
        with self.desk.store.write() as conn:
            rows.replace_watchlist(
                conn,
                [
                    (w.kind, normalize_identifier(w.kind, w.value), w.cases, w.stations, w.reason)
                    for w in feed.watchlist
                ],
            )
            rows.add_instructions(
                conn,
                [
                    (i.id, i.kind, i.text, i.deadline, i.issued_at, json.dumps(i.subject))
                    for i in feed.instructions
                ],
                at,
            )
            if reference is not None:
                self.desk.store.set_setting("reference_data", json.dumps(feed.reference))
            self.desk.store.set_setting(SETTING_FEED_AT, feed.issued_at)
            audit.append(
                conn,
                None,
                audit.SYNC,
                "sync_feed",
                feed.issued_at,
                {
                    "watchlist": len(feed.watchlist),
                    "instructions": len(feed.instructions),
                    "reference": reference.version if reference else None,
                },
                at,
            )
        if reference is not None:
            self.desk.reload_reference()
        return feed

    def watch_hit(self, kind: str, value: str) -> tuple[int, int] | None:
        """(cases, stations) in the city for an identifier on the center's watchlist."""
        normalized = normalize_identifier(kind, value)
        if not normalized:
            return None
        hit = rows.watch_hit(self.desk.store.conn, kind, normalized)
        return (hit[0], hit[1]) if hit else None

    def instructions(self) -> list[dict[str, Any]]:
        return [dict(r) for r in rows.instructions(self.desk.store.conn)]

    # Status --------------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        return json.loads(self.desk.store.setting(SETTING_STATE) or "{}")

    def _save_state(self, state: dict[str, Any], error: SyncError | None) -> None:
        state["last_error"] = (
            {"code": error.code, "params": _plain(error.params), "at": state["last_attempt"]}
            if error
            else None
        )
        self.desk.store.set_setting(SETTING_STATE, json.dumps(state, ensure_ascii=False))

    def status(self) -> SyncStatus:
        conn = self.desk.store.conn
        state = self._state()
        current = rows.open_batch(conn)
        return SyncStatus(
            enrolled=bool(self.desk.store.setting(SETTING_CENTER_KEY)),
            center_url=self.center_url,
            pending={k.name: k.count(conn) for k in KINDS},
            open_batch=current.seq if current else None,
            acked=rows.acked_counts(conn),
            attachments_pending=len(rows.pending_attachments(conn)),
            last_attempt=state.get("last_attempt", ""),
            last_success=state.get("last_success", ""),
            last_error=state.get("last_error"),
            watchlist=rows.watchlist_size(conn),
            instructions=len(rows.instructions(conn)),
        )


class _Replayed(SyncError):
    def __init__(self, ack: bytes) -> None:
        super().__init__("sync_replayed", seq="")
        self.ack = ack


def _refusal(body: bytes) -> SyncError:
    """The center's error answer as a SyncError (a replay carries the original ack)."""
    try:
        obj = parse_json(body, "request")
    except SyncError:
        return SyncError("sync_center_refused", detail=body[:200].decode("utf-8", "replace"))
    code = obj.get("error")
    if code == "sync_replayed" and isinstance(obj.get("ack"), str):
        return _Replayed(obj["ack"].encode("utf-8"))
    raw = obj.get("params")
    params = _plain({str(k): v for k, v in raw.items()}) if isinstance(raw, dict) else {}
    if isinstance(code, str) and code in SYNC_CATALOG and _renders(code, params):
        return SyncError(code, **params)
    # A code this station does not know (a newer center), or words it cannot fill in: the
    # center's own text.
    message = obj.get("message")
    detail = message if isinstance(message, str) and message.strip() else str(code)
    return SyncError("sync_center_refused", detail=detail[:200])


def _renders(code: str, params: dict[str, Any]) -> bool:
    """Whether the catalog's sentences for `code` have every value they name."""
    names = {"field"}  # filled in by the renderer
    return all(
        name is None or name in params or name in names
        for template in SYNC_CATALOG[code]
        for _text, name, _spec, _conv in string.Formatter().parse(template)
    )


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, (str, int, float)) and not isinstance(v, bool) else str(v)
        for k, v in params.items()
        if k != "code"  # SyncError's own
    }


def _batch_attachments(desk: Desk, batch: rows.BatchRow | None) -> list[str]:
    return rows.batch_attachments(desk.store.conn, batch.seq) if batch else []
