"""The sync protocol `intake-sync/1` (docs/sync-protocol.md): keys, signed and sealed envelopes,
batches, acknowledgements and the downward feed, with parsers that only ever raise SyncError.

Cryptography is libsodium through PyNaCl: Ed25519 signatures (station and center), sealed boxes
(X25519 + XSalsa20-Poly1305) to the center's encryption key for batches and attachment chunks,
and to the station's key (its Ed25519 key converted to X25519) for the feed. Nothing here does
I/O; the station (services/sync.py) and the center (center/) share it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from intake_app.domain.interchange import canonical_json

PROTOCOL = "intake-sync/1"
KEY_FORMAT = "intake-sync-key/1"
ENVELOPE_FORMAT = "intake-sync-envelope/1"
BATCH_FORMAT = "intake-sync-batch/1"
ACK_FORMAT = "intake-sync-ack/1"
CHUNK_FORMAT = "intake-sync-chunk/1"
FEED_REQUEST_FORMAT = "intake-sync-feed-request/1"
FEED_FORMAT = "intake-sync-feed/1"
ATTACHMENT_STATUS_FORMAT = "intake-sync-attachment-status/1"
SIGNED_FORMAT = "intake-sync-signed/1"

# Result of one record at the center.
ACCEPTED, DUPLICATE, CONFLICT, REJECTED = "accepted", "duplicate", "conflict", "rejected"
RESULT_STATUSES = (ACCEPTED, DUPLICATE, CONFLICT, REJECTED)

# Record kinds the protocol knows. A new kind (stop-payment outcomes, instruction results,
# prevention events) is added here, to the station's registry (services/sync_records.py) and,
# when the center does more than keep it, to the center's (center/ingest.py).
CASE_REVISION = "case_revision"
CASE_VOID = "case_void"  # a case voided at the station (revision: always 1)
STOP_PAYMENT_OUTCOME = "stop_payment_outcome"  # append-only (revision: always 1)
LEAD = "lead"  # the newest revision of a lead (线索)
PREVENTION_EVENT = "prevention_event"  # the newest revision of a prevention event (宣防)
INSTRUCTION_RESULT = "instruction_result"  # an instruction's outcome (revision: always 1)
RECORD_KINDS: set[str] = {
    CASE_REVISION,
    CASE_VOID,
    STOP_PAYMENT_OUTCOME,
    LEAD,
    PREVENTION_EVENT,
    INSTRUCTION_RESULT,
}

MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 256 * 1024
# A signed station request (feed, attachment status) is taken only this close to the center's
# clock: an old one replayed, or one from a station whose clock is far off, is refused.
REQUEST_WINDOW = timedelta(minutes=30)
MAX_STATUS_HASHES = 10_000
# A request body at most: a full batch, sealed and base64-encoded, with room to spare.
MAX_REQUEST_BYTES = 8 * 1024 * 1024

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_STATION = re.compile(r"^[0-9A-Za-z_-]{1,32}$")


_WHAT_ZH = {
    "batch": "批次",
    "envelope": "批次外层",
    "record": "记录",
    "acknowledgement": "回执",
    "chunk": "附件分块",
    "feed": "下发数据",
    "key": "公钥文件",
    "request": "请求",
}


class SyncError(Exception):
    """A sync message that cannot be accepted. `code` is a key of domain/sync_messages.py."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def message(self, lang: str = "en") -> str:
        from intake_app.domain.messages import render

        params = dict(self.params)
        what = params.get("what")
        if isinstance(what, str) and lang == "zh_CN":
            head, _, rest = what.partition(" ")
            params["what"] = _WHAT_ZH.get(head, head) + (f"第{rest}条" if rest else "")
        return render(self.code, lang, **params)

    def __str__(self) -> str:
        return self.message("en")


# Encoding helpers ----------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise SyncError("sync_malformed", what=what)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise SyncError("sync_malformed", what=what) from None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(*keys: bytes) -> str:
    """What an officer reads aloud to check a key: 40 hex digits of SHA-256, in groups of 4."""
    digest = hashlib.sha256(b"".join(keys)).hexdigest()[:40].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 40, 4))


def parse_json(data: bytes | str, what: str) -> dict[str, Any]:
    """A JSON object, or SyncError: never another exception, whatever the bytes."""
    try:
        value = json.loads(data, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise SyncError("sync_malformed", what=what) from None
    if not isinstance(value, dict):
        raise SyncError("sync_malformed", what=what)
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity cannot be hashed canonically


def _field(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise SyncError("sync_field_invalid", what=what, name=key)
    return value


def _format(obj: dict[str, Any], expected: str, what: str) -> None:
    if obj.get("format") != expected:
        raise SyncError("sync_format_unsupported", what=what, expected=expected)


# Keys ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicKeyFile:
    """A public key as handed over for enrollment (intake-app sync key / intake-center key)."""

    role: str  # "station" or "center"
    name: str
    verify_key: bytes
    encryption_key: bytes = b""  # the center's only

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.verify_key, self.encryption_key)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": KEY_FORMAT,
            "role": self.role,
            "name": self.name,
            "public_key": b64(self.verify_key),
            "fingerprint": self.fingerprint,
        }
        if self.encryption_key:
            out["encryption_key"] = b64(self.encryption_key)
        return out

    @classmethod
    def parse(cls, data: bytes | str, role: str) -> PublicKeyFile:
        obj = parse_json(data, "key")
        _format(obj, KEY_FORMAT, "key")
        if obj.get("role") != role:
            raise SyncError("sync_key_wrong_role", expected=role)
        verify = unb64(obj.get("public_key"), "key")
        if len(verify) != 32:
            raise SyncError("sync_field_invalid", what="key", name="public_key")
        enc = b""
        if role == "center":
            enc = unb64(obj.get("encryption_key"), "key")
            if len(enc) != 32:
                raise SyncError("sync_field_invalid", what="key", name="encryption_key")
        name = obj.get("name")
        key = cls(role, name if isinstance(name, str) else "", verify, enc)
        stated = obj.get("fingerprint")
        if stated is not None and stated != key.fingerprint:
            raise SyncError("sync_fingerprint_mismatch")
        return key


@dataclass(frozen=True)
class Identity:
    """A private signing key (and, for the center, an encryption key), from 32-byte seeds."""

    signing_seed: bytes
    encryption_seed: bytes = b""

    @classmethod
    def generate(cls, *, with_encryption: bool = False) -> Identity:
        enc = bytes(PrivateKey.generate()) if with_encryption else b""
        return cls(bytes(SigningKey.generate()), enc)

    @property
    def signing_key(self) -> SigningKey:
        return SigningKey(self.signing_seed)

    @property
    def verify_key(self) -> bytes:
        return bytes(self.signing_key.verify_key)

    @property
    def encryption_public(self) -> bytes:
        return bytes(PrivateKey(self.encryption_seed).public_key) if self.encryption_seed else b""

    def public(self, role: str, name: str) -> PublicKeyFile:
        return PublicKeyFile(role, name, self.verify_key, self.encryption_public)

    def sign(self, payload: bytes) -> bytes:
        """Signature (64 bytes) followed by the payload."""
        return bytes(self.signing_key.sign(payload))

    def unseal(self, sealed: bytes) -> bytes:
        """Open a sealed box addressed to this identity (the center's encryption key, or for a
        station its signing key converted to X25519)."""
        if self.encryption_seed:
            private = PrivateKey(self.encryption_seed)
        else:
            private = self.signing_key.to_curve25519_private_key()
        try:
            return SealedBox(private).decrypt(sealed)
        except CryptoError:
            raise SyncError("sync_cannot_decrypt") from None

    def to_text(self) -> str:
        return json.dumps(
            {"signing_seed": b64(self.signing_seed), "encryption_seed": b64(self.encryption_seed)}
        )

    @classmethod
    def from_text(cls, text: str) -> Identity:
        obj = parse_json(text, "key")
        return cls(unb64(obj.get("signing_seed"), "key"), unb64(obj.get("encryption_seed"), "key"))


def verify_signed(signed: bytes, verify_key: bytes) -> bytes:
    """The payload of `signature || payload` if the key signed it, else SyncError."""
    try:
        return bytes(VerifyKey(verify_key).verify(signed))
    except (BadSignatureError, ValueError, TypeError):
        raise SyncError("sync_bad_signature") from None


def seal(data: bytes, recipient_x25519: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(recipient_x25519)).encrypt(data))


def station_box_key(verify_key: bytes) -> bytes:
    """The X25519 public key that goes with a station's Ed25519 key (feed encryption)."""
    return bytes(VerifyKey(verify_key).to_curve25519_public_key())


# Signed documents (acks, feeds, feed requests) ---------------------------------------------


def sign_document(identity: Identity, document: dict[str, Any]) -> bytes:
    """A signed JSON document: {"format": signed, "signed": b64(signature || canonical JSON)}."""
    signed = identity.sign(canonical_json(document))
    return canonical_json({"format": SIGNED_FORMAT, "signed": b64(signed)})


def open_document(data: bytes | str, verify_key: bytes, fmt: str, what: str) -> dict[str, Any]:
    outer = parse_json(data, what)
    _format(outer, SIGNED_FORMAT, what)
    payload = verify_signed(unb64(outer.get("signed"), what), verify_key)
    inner = parse_json(payload, what)
    _format(inner, fmt, what)
    return inner


# Records and batches -------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One record in a batch: kind, uuid, revision, the SHA-256 of its canonical data, data."""

    kind: str
    uuid: str
    revision: int
    sha256: str
    data: dict[str, Any]
    urgent: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "uuid": self.uuid,
            "revision": self.revision,
            "sha256": self.sha256,
            "data": self.data,
        }

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.kind, self.uuid, self.revision)


def record_for(kind: str, uuid: str, revision: int, data: dict[str, Any]) -> Record:
    return Record(kind, uuid, revision, sha256_hex(canonical_json(data)), data)


@dataclass(frozen=True)
class Batch:
    station: str
    seq: int
    prev: str
    created_at: str
    records: list[Record]
    attachments: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": BATCH_FORMAT,
            "station": self.station,
            "seq": self.seq,
            "prev": self.prev,
            "created_at": self.created_at,
            "records": [r.to_dict() for r in self.records],
            "attachments": self.attachments,
        }

    def payload(self) -> bytes:
        return canonical_json(self.to_dict())


def _parse_record(value: Any, index: int) -> Record:
    what = f"record {index + 1}"
    if not isinstance(value, dict):
        raise SyncError("sync_malformed", what=what)
    kind = _field(value, "kind", str, what)
    uuid = _field(value, "uuid", str, what)
    if not _UUID.match(uuid):
        raise SyncError("sync_field_invalid", what=what, name="uuid")
    revision = _field(value, "revision", int, what)
    if revision < 1:
        raise SyncError("sync_field_invalid", what=what, name="revision")
    sha = _field(value, "sha256", str, what)
    data = _field(value, "data", dict, what)
    return Record(kind, uuid, revision, sha, data)


def parse_batch(payload: bytes) -> Batch:
    """The batch inside a verified envelope. Record hashes are checked by the center per record
    (a wrong one is that record's rejection, not the batch's)."""
    obj = parse_json(payload, "batch")
    _format(obj, BATCH_FORMAT, "batch")
    station = _field(obj, "station", str, "batch")
    seq = _field(obj, "seq", int, "batch")
    prev = _field(obj, "prev", str, "batch")
    if seq < 1 or (prev and not _HEX64.match(prev)) or (seq == 1) != (prev == ""):
        raise SyncError("sync_field_invalid", what="batch", name="seq")
    records = _field(obj, "records", list, "batch")
    attachments = _field(obj, "attachments", list, "batch")
    if len(records) > MAX_BATCH_RECORDS:
        raise SyncError("sync_too_large", limit=MAX_BATCH_RECORDS)
    if not all(isinstance(a, str) and _HEX64.match(a) for a in attachments):
        raise SyncError("sync_field_invalid", what="batch", name="attachments")
    return Batch(
        station,
        seq,
        prev,
        str(obj.get("created_at", "")),
        [_parse_record(r, i) for i, r in enumerate(records)],
        list(attachments),
    )


@dataclass(frozen=True)
class Envelope:
    """What travels: the station code and sequence in clear, the signed batch sealed inside."""

    station: str
    seq: int
    sealed: bytes

    def to_bytes(self) -> bytes:
        return canonical_json(
            {
                "format": ENVELOPE_FORMAT,
                "station": self.station,
                "seq": self.seq,
                "sealed": b64(self.sealed),
            }
        )

    @classmethod
    def parse(cls, data: bytes | str) -> Envelope:
        obj = parse_json(data, "envelope")
        _format(obj, ENVELOPE_FORMAT, "envelope")
        station = _field(obj, "station", str, "envelope")
        if not _STATION.match(station):
            raise SyncError("sync_field_invalid", what="envelope", name="station")
        seq = _field(obj, "seq", int, "envelope")
        return cls(station, seq, unb64(obj.get("sealed"), "envelope"))


def seal_batch(batch: Batch, identity: Identity, center_encryption_key: bytes) -> Envelope:
    sealed = seal(identity.sign(batch.payload()), center_encryption_key)
    return Envelope(batch.station, batch.seq, sealed)


def open_envelope(envelope: Envelope, center: Identity, station_key: bytes) -> tuple[Batch, str]:
    """Decrypt, verify the station's signature, parse: (batch, SHA-256 of its payload)."""
    signed = center.unseal(envelope.sealed)
    payload = verify_signed(signed, station_key)
    batch = parse_batch(payload)
    if batch.station != envelope.station or batch.seq != envelope.seq:
        raise SyncError("sync_envelope_mismatch")
    return batch, sha256_hex(payload)


# Acknowledgements ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordResult:
    kind: str
    uuid: str
    revision: int
    sha256: str
    status: str
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "uuid": self.uuid,
            "revision": self.revision,
            "sha256": self.sha256,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Ack:
    station: str
    seq: int
    batch_sha256: str
    results: list[RecordResult]
    missing_attachments: list[str]
    at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": ACK_FORMAT,
            "station": self.station,
            "seq": self.seq,
            "batch_sha256": self.batch_sha256,
            "results": [r.to_dict() for r in self.results],
            "missing_attachments": self.missing_attachments,
            "at": self.at,
        }


def parse_ack(data: bytes | str, center_key: bytes) -> Ack:
    obj = open_document(data, center_key, ACK_FORMAT, "acknowledgement")
    what = "acknowledgement"
    results = []
    for value in _field(obj, "results", list, what):
        if not isinstance(value, dict):
            raise SyncError("sync_malformed", what=what)
        status = _field(value, "status", str, what)
        if status not in RESULT_STATUSES:
            raise SyncError("sync_field_invalid", what=what, name="status")
        results.append(
            RecordResult(
                _field(value, "kind", str, what),
                _field(value, "uuid", str, what),
                _field(value, "revision", int, what),
                _field(value, "sha256", str, what),
                status,
                str(value.get("reason", "")),
            )
        )
    missing = _field(obj, "missing_attachments", list, what)
    return Ack(
        _field(obj, "station", str, what),
        _field(obj, "seq", int, what),
        _field(obj, "batch_sha256", str, what),
        results,
        [m for m in missing if isinstance(m, str)],
        str(obj.get("at", "")),
    )


# Attachment chunks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    station: str
    sha256: str
    offset: int
    total: int
    data: bytes

    def header(self) -> bytes:
        return canonical_json(
            {
                "format": CHUNK_FORMAT,
                "station": self.station,
                "sha256": self.sha256,
                "offset": self.offset,
                "total": self.total,
                "length": len(self.data),
            }
        )


def seal_chunk(chunk: Chunk, identity: Identity, center_encryption_key: bytes) -> bytes:
    header = chunk.header()
    signed = identity.sign(len(header).to_bytes(4, "big") + header + chunk.data)
    return canonical_json(
        {
            "format": CHUNK_FORMAT,
            "station": chunk.station,
            "sealed": b64(seal(signed, center_encryption_key)),
        }
    )


def chunk_station(data: bytes | str) -> tuple[str, bytes]:
    obj = parse_json(data, "chunk")
    _format(obj, CHUNK_FORMAT, "chunk")
    return _field(obj, "station", str, "chunk"), unb64(obj.get("sealed"), "chunk")


def open_chunk(sealed: bytes, station: str, center: Identity, station_key: bytes) -> Chunk:
    body = verify_signed(center.unseal(sealed), station_key)
    size = int.from_bytes(body[:4], "big")
    header = parse_json(body[4 : 4 + size], "chunk")
    data = body[4 + size :]
    _format(header, CHUNK_FORMAT, "chunk")
    sha = _field(header, "sha256", str, "chunk")
    offset = _field(header, "offset", int, "chunk")
    total = _field(header, "total", int, "chunk")
    if (
        header.get("station") != station
        or not _HEX64.match(sha)
        or header.get("length") != len(data)
        or offset < 0
        or offset + len(data) > total
    ):
        raise SyncError("sync_field_invalid", what="chunk", name="header")
    return Chunk(station, sha, offset, total, data)


# The downward feed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchEntry:
    kind: str
    value: str
    cases: int
    stations: int
    reason: str  # "linked" (seen at 2+ stations) or "flagged" (by the center)


@dataclass(frozen=True)
class Instruction:
    id: str
    kind: str  # "dissuade" or "verify_lead"
    text: str
    deadline: str
    issued_at: str
    # What the center knows of the person or lead: name, phone, identifiers [{kind, value}].
    subject: dict[str, Any] = field(default_factory=dict)


INSTRUCTION_KINDS = ("dissuade", "verify_lead")


@dataclass(frozen=True)
class Feed:
    station: str
    issued_at: str
    watchlist: list[WatchEntry]
    instructions: list[Instruction]
    reference: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FEED_FORMAT,
            "station": self.station,
            "issued_at": self.issued_at,
            "watchlist": [vars(w) for w in self.watchlist],
            "instructions": [vars(i) for i in self.instructions],
            "reference": self.reference,
        }


def seal_feed(feed: Feed, center: Identity, station_verify_key: bytes) -> bytes:
    signed = sign_document(center, feed.to_dict())
    return canonical_json(
        {"format": FEED_FORMAT, "sealed": b64(seal(signed, station_box_key(station_verify_key)))}
    )


def instruction_subject(value: Any, what: str = "feed") -> dict[str, Any]:
    """An instruction's subject, checked: {name, phone, identifiers: [{kind, value}]}, each
    part optional (instructions without one are valid)."""
    if not isinstance(value, dict):
        raise SyncError("sync_field_invalid", what=what, name="subject")
    out: dict[str, Any] = {}
    for key in ("name", "phone"):
        if key in value:
            out[key] = _field(value, key, str, what)
    identifiers = value.get("identifiers", [])
    if not isinstance(identifiers, list) or not all(
        isinstance(x, dict) and isinstance(x.get("kind"), str) and isinstance(x.get("value"), str)
        for x in identifiers
    ):
        raise SyncError("sync_field_invalid", what=what, name="subject.identifiers")
    if identifiers:
        out["identifiers"] = [{"kind": x["kind"], "value": x["value"]} for x in identifiers]
    return out


def open_feed(data: bytes | str, station: Identity, center_key: bytes) -> Feed:
    outer = parse_json(data, "feed")
    _format(outer, FEED_FORMAT, "feed")
    signed = station.unseal(unb64(outer.get("sealed"), "feed"))
    obj = open_document(signed, center_key, FEED_FORMAT, "feed")
    what = "feed"
    watch = []
    for w in _field(obj, "watchlist", list, what):
        if not isinstance(w, dict):
            raise SyncError("sync_malformed", what=what)
        watch.append(
            WatchEntry(
                _field(w, "kind", str, what),
                _field(w, "value", str, what),
                _field(w, "cases", int, what),
                _field(w, "stations", int, what),
                _field(w, "reason", str, what),
            )
        )
    instructions = []
    for i in _field(obj, "instructions", list, what):
        if not isinstance(i, dict):
            raise SyncError("sync_malformed", what=what)
        kind = _field(i, "kind", str, what)
        if kind not in INSTRUCTION_KINDS:
            raise SyncError("sync_field_invalid", what=what, name="kind")
        instructions.append(
            Instruction(
                _field(i, "id", str, what),
                kind,
                _field(i, "text", str, what),
                _field(i, "deadline", str, what),
                _field(i, "issued_at", str, what),
                instruction_subject(i.get("subject") or {}, what),
            )
        )
    reference = obj.get("reference")
    if reference is not None and not isinstance(reference, dict):
        raise SyncError("sync_field_invalid", what=what, name="reference")
    return Feed(
        _field(obj, "station", str, what),
        _field(obj, "issued_at", str, what),
        watch,
        instructions,
        reference,
    )


def feed_request(identity: Identity, station: str, at: str) -> bytes:
    return sign_document(identity, {"format": FEED_REQUEST_FORMAT, "station": station, "at": at})


# Signed station requests (feed, attachment status) -------------------------------------------


def request_station(data: bytes | str) -> str:
    """The station named inside a signed request, read before its signature is checked (to
    find the key that checks it); the signature and the rest are checked by
    `open_station_request`."""
    outer = parse_json(data, "request")
    signed = unb64(outer.get("signed"), "request")
    station = parse_json(signed[64:], "request").get("station")
    if not isinstance(station, str) or not _STATION.match(station):
        raise SyncError("sync_field_invalid", what="request", name="station")
    return station


def open_station_request(
    data: bytes | str, station: str, station_key: bytes, fmt: str, now: datetime
) -> dict[str, Any]:
    """A request signed by `station`'s key, naming that station, made within REQUEST_WINDOW
    of `now` (the center's clock); SyncError otherwise."""
    inner = open_document(data, station_key, fmt, "request")
    if inner.get("station") != station:
        raise SyncError("sync_field_invalid", what="request", name="station")
    at = _field(inner, "at", str, "request")
    try:
        made = datetime.fromisoformat(at.replace("Z", "+00:00"))
        off = abs(made - now) if made.tzinfo is not None else None
    except (ValueError, OverflowError):
        raise SyncError("sync_field_invalid", what="request", name="at") from None
    if off is None:
        raise SyncError("sync_field_invalid", what="request", name="at")
    if off > REQUEST_WINDOW:
        raise SyncError(
            "sync_request_stale", at=at, minutes=int(REQUEST_WINDOW.total_seconds() // 60)
        )
    return inner


def attachment_status_request(
    identity: Identity, station: str, at: str, hashes: list[str]
) -> bytes:
    return sign_document(
        identity,
        {"format": ATTACHMENT_STATUS_FORMAT, "station": station, "at": at, "hashes": hashes},
    )


def status_hashes(inner: dict[str, Any]) -> list[str]:
    """The hashes of an opened attachment status request: SHA-256 in lowercase hex only."""
    hashes = _field(inner, "hashes", list, "request")
    if len(hashes) > MAX_STATUS_HASHES:
        raise SyncError("sync_too_large", limit=MAX_STATUS_HASHES)
    for index, sha in enumerate(hashes):
        if not isinstance(sha, str) or not _HEX64.match(sha):
            raise SyncError("sync_field_invalid", what="request", name=f"hashes[{index}]")
    return list(hashes)
