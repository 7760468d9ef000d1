"""Stations and a center in temporary folders, wired together, for the sync tests."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # Starlette 1.x suggests another HTTP client package for its test client; httpx works.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from intake_app.services.desk import Desk
from intake_app.services.sample_data import generate_cases

from intake_app.center.app import create_app
from intake_app.center.service import Center
from tests.conftest import ADMIN, ADMIN_PASSWORD, FIXED_NOW, Clock

CENTER_URL = "http://center.test"


@dataclass
class Station:
    desk: Desk
    code: str

    @property
    def admin(self):
        return self.desk.auth.login(ADMIN, ADMIN_PASSWORD)


def make_center(path: Path, name: str = "唐山市反诈中心") -> Center:
    center = Center.initialise(path, name)
    center.clock = Clock(FIXED_NOW)  # the stations' clock: their signed requests are recent
    return center


def make_station(path: Path, center: Center, code: str, *, url: str = CENTER_URL) -> Station:
    desk = Desk.initialise(
        path,
        station_code=code,
        station_name=f"派出所{code[-4:]}",
        admin_badge=ADMIN,
        admin_name="张伟",
        password=ADMIN_PASSWORD,
        clock=Clock(FIXED_NOW),
    )
    center.add_station(code, f"派出所{code[-4:]}", json.dumps(desk.sync.public_key().to_dict()))
    station = Station(desk, code)
    desk.sync.enroll(url, json.dumps(center.public_key().to_dict()), station.admin)
    return station


def register_cases(
    station: Station, n: int, *, seed: int = 1, attachments_dir: Path | None = None
) -> list[str]:
    """n sample cases; with attachments_dir, each gets one small evidence file of its own."""
    records = list(generate_cases(n, seed=seed, now=FIXED_NOW))
    if attachments_dir is not None:
        attachments_dir.mkdir(parents=True, exist_ok=True)
        for i, record in enumerate(records):
            name = f"s{seed}-{i}.txt"
            (attachments_dir / name).write_bytes(f"evidence {seed} {i} ".encode() * (1 + i % 50))
            record["attachments"] = [{"name": name, "media_type": "text/plain", "path": name}]
    results = list(
        station.desk.intake.import_records(records, station.admin, base_dir=attachments_dir)
    )
    assert all(r.case_no for r in results), [r.problems for r in results if not r.case_no][:1]
    return [r.case_no for r in results if r.case_no]


def client_for(center: Center) -> TestClient:
    return TestClient(create_app(center), base_url=CENTER_URL)


# Fixtures for tests of one station and a center (import them by these names; tests then ask
# for `center`, `station` and `client`).
STATION_CODE = "130209510000"


@pytest.fixture(name="center")
def center_fixture(tmp_path):
    center = make_center(tmp_path / "center")
    yield center
    center.close()


@pytest.fixture(name="station")
def station_fixture(tmp_path, center):
    station = make_station(tmp_path / "s1", center, STATION_CODE)
    yield station
    station.desk.close()


@pytest.fixture(name="client")
def client_fixture(center):
    with client_for(center) as client:
        yield client
