"""Two copies of the desk (two OS processes) writing to one data folder at the same time."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from intake_app.domain.caseno import parse_case_no

from intake_app.store import audit

# Run in each child: open the desk, log in, say "ready", wait for "go" on stdin, then register
# cases one by one (one transaction each) and import a batch (one transaction), and print the
# case numbers it got.
CHILD = r"""
import json, sys
from datetime import datetime
from pathlib import Path

from intake_app.domain.interchange import case_from_dict
from intake_app.domain.times import SHANGHAI
from intake_app.services.desk import Desk

data_dir, records_file = Path(sys.argv[1]), Path(sys.argv[2])
work = json.loads(records_file.read_text(encoding="utf-8"))
now = datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI)
with Desk.open(data_dir, clock=lambda: now, auto_backup=False) as desk:
    officer = desk.auth.login("100001", "admin-pass-2026")
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    numbers = {}
    for record in work["one_by_one"]:
        row = desk.intake.register(case_from_dict(record)[0], officer)
        numbers[row.uuid] = row.case_no
    for result in desk.intake.import_records(work["batch"], officer):
        assert result.ok, [p.code for p in result.problems]
        numbers[result.uuid] = result.case_no
print(json.dumps(numbers))
"""


def variants(cases: list[dict[str, Any]], tag: str, count: int) -> list[dict[str, Any]]:
    """Distinct, valid cases made from the fixtures: a new uuid and a note in the narrative."""
    out = []
    for i in range(count):
        record = copy.deepcopy(cases[i % len(cases)])
        record["uuid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tag}/{i}"))
        record["incident"]["narrative"] += f"（{tag}第{i}份）"
        out.append(record)
    return out


def test_two_processes_importing_at_once_lose_nothing(desk, tangshan_cases, tmp_path):
    # The same batch file imported on both PCs at once must still give one case per record.
    shared = variants(tangshan_cases, "shared", 6)
    for record in shared[:3]:
        del record["uuid"]  # uuid derived from content, identical in both processes
    work = {
        "a": {"one_by_one": variants(tangshan_cases, "a", 15), "batch": shared},
        "b": {"one_by_one": variants(tangshan_cases, "b", 15), "batch": shared},
    }
    children = []
    for name, job in work.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        children.append(
            subprocess.Popen(
                [sys.executable, "-c", CHILD, str(desk.data_dir), str(path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=Path(__file__).parent.parent,
            )
        )
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr
    for child in children:  # both start writing together
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        outputs.append(json.loads(out))
    got_a, got_b = outputs

    rows = desk.store.all("SELECT uuid, case_no FROM cases ORDER BY id")
    stored = {r["uuid"]: r["case_no"] for r in rows}
    assert len(rows) == 15 + 15 + 6
    # Every case each process registered is there, under the number it was given.
    for got in (got_a, got_b):
        assert all(stored[u] == number for u, number in got.items())
    assert set(got_a) | set(got_b) == set(stored)
    shared_uuids = {u for u in got_a if u in got_b}
    assert len(shared_uuids) == 6
    assert all(got_a[u] == got_b[u] for u in shared_uuids)
    # Numbers are unique and consecutive within the year, each with a valid check digit.
    numbers = [parse_case_no(number) for number in stored.values()]
    assert {(n.station_code, n.year) for n in numbers} == {(desk.station_code, 2026)}
    assert sorted(n.seq for n in numbers) == list(range(1, len(rows) + 1))
    assert desk.store.one("SELECT last_seq FROM case_counters WHERE year = 2026")[0] == len(rows)
    # One revision per case, one "create" per case, and an unbroken audit chain.
    assert desk.store.one("SELECT count(*) FROM case_revisions")[0] == len(rows)
    result = audit.verify(desk.store.conn)
    assert result.ok, result.findings
    actions = Counter(r[0] for r in desk.store.all("SELECT action FROM audit_log"))
    assert actions["create"] == len(rows)
    assert actions["login"] == 2
