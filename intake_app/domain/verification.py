"""The verification code printed on a receipt, and the QR payload that carries it.

A receipt carries the case number and a short code derived from the case and the station's
secret (settings `station_secret`, made at set-up, never printed or exported). When someone
later phones or comes in with a receipt, the desk recomputes the code: only a receipt the
station printed has one that checks out, so a forged or mistyped receipt shows.

    code    = the first 8 characters of base32(HMAC-SHA256(secret, "case_no|uuid")), as "ABCD-EFGH"
    payload = "INTAKE1:<case_no>:<code>"   (the text of the QR code)

The payload uses only QR's alphanumeric characters (digits, capitals, "-" and ":"), which makes
the QR code smaller, and so easier to scan from a creased receipt, than arbitrary text would.

40 bits are plenty: the code is checked by the station, which sees every attempt, not offline.
The code is the same on every copy and every reprint of a case's receipt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata

from intake_app.domain.errors import IntakeError

QR_PREFIX = "INTAKE1"
CODE_LENGTH = 8
# Base32 has no 0, 1, 8 or 9; what is read out or typed as one of these meant the letter.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def verification_code(secret: str, case_no: str, uuid: str) -> str:
    """The code of a case, e.g. "K7QF-2MXA"."""
    if not secret:
        raise ValueError("the station secret is empty")
    mac = hmac.new(secret.encode(), f"{case_no}|{uuid}".encode(), hashlib.sha256).digest()
    text = base64.b32encode(mac).decode("ascii")[:CODE_LENGTH]
    return f"{text[:4]}-{text[4:]}"


def normalize_code(value: str) -> str:
    """A code as typed or read over the phone: any case, spaces or dashes, 0 for O."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    text = "".join(ch for ch in text if ch.isalnum()).translate(_LOOKALIKES)
    return f"{text[:4]}-{text[4:]}" if len(text) == CODE_LENGTH else text


def check_verification(secret: str, case_no: str, uuid: str, code: str) -> bool:
    """Whether a code belongs to the case (constant-time compare)."""
    expected = verification_code(secret, case_no, uuid)
    return hmac.compare_digest(expected.encode(), normalize_code(code).encode())


def qr_payload(case_no: str, code: str) -> str:
    return f"{QR_PREFIX}:{case_no}:{code}"


def parse_qr_payload(text: str) -> tuple[str, str]:
    """(case_no, code) from a scanned QR text; IntakeError "qr_payload_invalid" otherwise."""
    parts = (text or "").strip().split(":")
    if len(parts) != 3 or parts[0] != QR_PREFIX or not parts[1] or not parts[2]:
        raise IntakeError("qr_payload_invalid", "qr", value=(text or "")[:80])
    return parts[1], normalize_code(parts[2])
