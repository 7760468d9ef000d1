"""`intake-app sync ...` in fresh processes against a real `intake-center serve`, and the USB
path end to end through both command lines."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ADMIN, STATION
from tests.test_cli import data, failed, init_station, intake, ok
from tests.test_sync_e2e import served  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow


def center_cli(*args, folder):
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    return subprocess.run(
        [sys.executable, "-m", "intake_app.center.cli", *args, "--data-dir", str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def enrolled(tmp_path, served):  # noqa: F811
    center, url, _ = served
    folder = tmp_path / "station"
    ok(init_station(folder))
    key = data(ok(intake("sync", "key", "--json", data_dir=folder)))
    assert set(key) >= {"public_key", "fingerprint"}
    ok(intake("sync", "key", "-o", str(tmp_path / "station.pub"), data_dir=folder))
    ok(
        center_cli(
            "station",
            "add",
            "--code",
            STATION,
            "--name",
            "滨海派出所",
            "--public-key",
            str(tmp_path / "station.pub"),
            folder=center.data_dir,
        )
    )
    ok(center_cli("key", "-o", str(tmp_path / "center.pub"), folder=center.data_dir))
    shown = ok(
        intake(
            "sync",
            "enroll",
            "--center-url",
            url,
            "--center-key",
            str(tmp_path / "center.pub"),
            "--officer",
            "100001",
            "--lang",
            "en",
            data_dir=folder,
        )
    )
    assert center.public_key().fingerprint in shown.stdout
    records = tmp_path / "cases.json"
    from tests.test_cli import RECORDS

    records.write_text(json.dumps(RECORDS[:3], ensure_ascii=False), encoding="utf-8")
    ok(intake("case", "import", str(records), "--officer", "100001", data_dir=folder))
    return center, folder


def test_push_pull_status(enrolled):
    center, folder = enrolled
    status = data(ok(intake("sync", "status", "--officer", ADMIN, "--json", data_dir=folder)))
    assert status["pending_total"] == 3 and status["last_error"] is None
    pushed = data(ok(intake("sync", "push", "--officer", ADMIN, "--json", data_dir=folder)))
    assert pushed["accepted"] == 3 and pushed["batches"] == 1
    assert len(center.cases()) == 3
    center.instruct(STATION, "dissuade", "立即前往银行劝阻", "2026-12-01T10:30:00+08:00")
    pulled = data(ok(intake("sync", "pull", "--officer", ADMIN, "--json", data_dir=folder)))
    assert pulled["instructions"][0]["text"] == "立即前往银行劝阻"
    words = ok(intake("sync", "status", "--officer", ADMIN, "--lang", "en", data_dir=folder)).stdout
    assert "Waiting to send 0 records" in words and "instructions 1" in words


def test_usb_path_through_both_command_lines(enrolled, tmp_path):
    center, folder = enrolled
    usb = tmp_path / "usb"
    out = data(
        ok(
            intake(
                "sync", "export", "--to", str(usb), "--officer", "100001", "--json", data_dir=folder
            )
        )
    )
    assert out["records"] == 3
    imported = json.loads(
        ok(center_cli("import", out["path"], "--json", folder=center.data_dir)).stdout
    )
    assert imported["results"] == {"accepted": 3}
    applied = data(
        ok(
            intake(
                "sync", "import-ack", "--officer", ADMIN, imported["ack"], "--json", data_dir=folder
            )
        )
    )
    assert applied["accepted"] == 3
    again = failed(
        intake(
            "sync",
            "import-ack",
            "--officer",
            ADMIN,
            imported["ack"],
            "--lang",
            "en",
            data_dir=folder,
        )
    )
    assert "already acknowledged" in again
    # A push afterwards sends nothing new.
    pushed = data(ok(intake("sync", "push", "--officer", ADMIN, "--json", data_dir=folder)))
    assert pushed["batches"] == 0 and len(center.cases()) == 3


def test_a_station_set_up_before_sync_gets_its_key_on_first_need(tmp_path):
    folder = tmp_path / "old"
    ok(init_station(folder))
    (folder / "keys" / "station.key").unlink()
    locked = intake("sync", "key", "--json", "--lang", "en", data_dir=folder)
    assert "encrypted and locked" in failed(locked)  # making the key needs the store's key
    first = data(ok(intake("sync", "key", "--json", "--officer", ADMIN, data_dir=folder)))
    second = data(ok(intake("sync", "key", "--json", data_dir=folder)))  # its public half
    assert first == second
    assert oct((folder / "keys" / "station.key").stat().st_mode & 0o777) == "0o600"
    not_enrolled = failed(
        intake("sync", "push", "--officer", ADMIN, "--lang", "en", data_dir=folder)
    )
    assert "sync enroll" in not_enrolled
