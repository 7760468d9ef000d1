"""The keyring: the database key, wrapped once per officer and once for the recovery key.

`keyring.json` sits beside the database. In clear it holds only what opening needs and nothing
about victims: the station's code and name (for the login screen), and per slot a badge, a salt,
the argon2id parameters and the wrapped key. A slot's key-encryption key is argon2id(password,
salt); the database key is sealed under it with XSalsa20-Poly1305 (PyNaCl's SecretBox), so a
wrong password fails the authentication tag and nothing else is tried.

Any officer's slot opens the store; changing a password re-wraps only that slot; removing an
officer removes the slot. The recovery slot is wrapped with a random recovery key shown once at
set-up, for the station head to keep on paper.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.secret
from argon2.low_level import Type, hash_secret_raw

from intake_app.domain.errors import AuthError, IntakeError

from intake_app.store.cipher import KEY_BYTES

FILENAME = "keyring.json"
FORMAT = "intake-keyring/1"
RECOVERY = "recovery"


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost: RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes)."""

    time_cost: int = 3
    memory_cost: int = 64 * 1024  # KiB
    parallelism: int = 4

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "time_cost": self.time_cost,
            "memory_cost": self.memory_cost,
            "parallelism": self.parallelism,
        }


# New slots use these; tests make them cheap. Each slot keeps the parameters it was made with.
KDF = KdfParams()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _kek(secret: str, salt: bytes, params: dict[str, Any]) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=int(params["time_cost"]),
        memory_cost=int(params["memory_cost"]),
        parallelism=int(params["parallelism"]),
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def wrap(secret: str, db_key: bytes, params: KdfParams | None = None) -> dict[str, Any]:
    """A slot: the database key sealed under argon2id(secret, fresh salt)."""
    kdf = (params or KDF).as_dict()
    salt = secrets.token_bytes(16)
    box = nacl.secret.SecretBox(_kek(secret, salt, kdf))
    return {"salt": _b64(salt), "kdf": kdf, "wrapped": _b64(bytes(box.encrypt(db_key)))}


def unwrap(secret: str, slot: dict[str, Any]) -> bytes | None:
    """The database key, or None when the secret is wrong (or the slot was altered)."""
    try:
        kek = _kek(secret, _unb64(slot["salt"]), slot["kdf"])
        key = bytes(nacl.secret.SecretBox(kek).decrypt(_unb64(slot["wrapped"])))
    except (nacl.exceptions.CryptoError, KeyError, ValueError, TypeError):
        return None
    return key if len(key) == KEY_BYTES else None


def new_recovery_key() -> str:
    """160 random bits as 8 groups of 5 letters and digits (no 0/O, 1/I/L), for paper."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    chars = "".join(secrets.choice(alphabet) for _ in range(40))
    return "-".join(chars[i : i + 5] for i in range(0, 40, 5))


def normalise_recovery_key(text: str) -> str:
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


@dataclass
class Keyring:
    path: Path
    station_code: str = ""
    station_name: str = ""
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Badges of officers from before the encryption who have not logged in since (no slot yet).
    pending: list[str] = field(default_factory=list)

    @staticmethod
    def path_in(data_dir: Path) -> Path:
        return data_dir / FILENAME

    @classmethod
    def exists(cls, data_dir: Path) -> bool:
        return cls.path_in(data_dir).is_file()

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                raise ValueError(f"format {raw.get('format')!r}")
            return cls(
                path,
                str(raw.get("station_code", "")),
                str(raw.get("station_name", "")),
                {str(k): dict(v) for k, v in raw["slots"].items()},
                [str(b) for b in raw.get("pending", [])],
            )
        except FileNotFoundError:
            raise IntakeError("keyring_missing", value=str(path)) from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IntakeError("keyring_invalid", value=str(path), detail=str(exc)) from exc

    def save(self) -> None:
        """Write to a temporary file, then rename: a power cut leaves the old or the new one."""
        body = {
            "format": FORMAT,
            "station_code": self.station_code,
            "station_name": self.station_name,
            "slots": dict(sorted(self.slots.items())),
            "pending": sorted(self.pending),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".keyring-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(body, out, ensure_ascii=False, indent=2)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def reload(self) -> None:
        """Read the file again (another process may have changed a slot)."""
        fresh = Keyring.load(self.path)
        self.station_code, self.station_name = fresh.station_code, fresh.station_name
        self.slots, self.pending = fresh.slots, fresh.pending

    # Slots ---------------------------------------------------------------------------------

    @staticmethod
    def officer_slot(badge: str) -> str:
        return f"officer:{badge}"

    def has_officer(self, badge: str) -> bool:
        return self.officer_slot(badge) in self.slots

    def badges(self) -> list[str]:
        prefix = self.officer_slot("")
        return sorted(k.removeprefix(prefix) for k in self.slots if k.startswith(prefix))

    def set_officer(self, badge: str, password: str, db_key: bytes) -> None:
        self.slots[self.officer_slot(badge)] = wrap(password, db_key)
        if badge in self.pending:
            self.pending.remove(badge)

    def remove_officer(self, badge: str) -> bool:
        if badge in self.pending:
            self.pending.remove(badge)
        return self.slots.pop(self.officer_slot(badge), None) is not None

    def set_recovery(self, recovery_key: str, db_key: bytes) -> None:
        self.slots[RECOVERY] = wrap(normalise_recovery_key(recovery_key), db_key)

    def unlock_officer(self, badge: str, password: str) -> bytes | None:
        slot = self.slots.get(self.officer_slot(badge))
        return unwrap(password, slot) if slot is not None else None

    def unlock_recovery(self, recovery_key: str) -> bytes:
        slot = self.slots.get(RECOVERY)
        key = unwrap(normalise_recovery_key(recovery_key), slot) if slot else None
        if key is None:
            raise AuthError("recovery_key_wrong", "recovery_key")
        return key


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


__all__ = ["KDF", "KdfParams", "Keyring", "new_database_key", "new_recovery_key"]
