import json
from datetime import datetime
from pathlib import Path

import pytest

from intake_app.domain.times import SHANGHAI

from intake_app.services import keyring
from intake_app.services.desk import Desk

FIXTURES = Path(__file__).parent / "fixtures"
STATION = "130209510000"
STATION_NAME = "唐山市公安局曹妃甸分局滨海派出所"
ADMIN, ADMIN_PASSWORD = "100001", "admin-pass-2026"
FIXED_NOW = datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI)


class Clock:
    """An injected clock that tests move by hand."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# argon2id at its lowest cost: the tests are about slots and flows, not the key derivation.
CHEAP_KDF = keyring.KdfParams(time_cost=1, memory_cost=64, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_key_derivation(monkeypatch):
    monkeypatch.setattr(keyring, "KDF", CHEAP_KDF)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def desk(data_dir, clock):
    desk = Desk.initialise(
        data_dir,
        station_code=STATION,
        station_name=STATION_NAME,
        admin_badge=ADMIN,
        admin_name="张伟",
        password=ADMIN_PASSWORD,
        clock=clock,
    )
    yield desk
    desk.close()


@pytest.fixture
def admin(desk):
    return desk.auth.login(ADMIN, ADMIN_PASSWORD)


@pytest.fixture
def tangshan_cases():
    return json.loads((FIXTURES / "tangshan_cases.json").read_text(encoding="utf-8"))


def desk_key(data_dir: Path, badge: str = ADMIN, password: str = ADMIN_PASSWORD) -> bytes:
    """The database key, unwrapped from an officer's keyring slot (what a login does)."""
    key = keyring.Keyring.load(keyring.Keyring.path_in(data_dir)).unlock_officer(badge, password)
    assert key is not None
    return key


def connect_raw(path: Path, key: bytes | None, **kwargs):
    """A DB-API connection of its own to an encrypted file: someone who holds the key."""
    from intake_app.store import cipher

    return cipher.connect(str(path), key, **kwargs)
