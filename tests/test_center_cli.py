"""`intake-center`: every command is in the README with its options, has help and an example,
and the commands work together (in process)."""

import argparse
import json
from pathlib import Path

from intake_app.center.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMON = {"--data-dir", "--json", "--lang", "-h", "--help"}


def leaves(parser=None, path=()):
    parser = parser or build_parser()
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    for name, sub in subs[0].choices.items():
        yield from leaves(sub, (*path, name))


def test_every_center_command_and_option_is_in_the_readme():
    rows = [line for line in README.splitlines() if line.startswith("| `intake-center ")]
    missing = []
    for path, parser in leaves():
        command = "intake-center " + " ".join(path)
        row = next((r for r in rows if r.startswith((f"| `{command} ", f"| `{command}`"))), None)
        if row is None:
            missing.append(command)
            continue
        assert parser.epilog.startswith("Example: intake-center "), command
        for action in parser._actions:
            options = action.option_strings
            if options and not set(options) & COMMON and not any(o in row for o in options):
                missing.append(f"{command} {options[-1]}")
    assert not missing, missing


def test_the_commands_work_together(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("INTAKE_LANG", "en")
    folder = str(tmp_path / "c")
    assert main(["init", "--name", "唐山市反诈中心", "--data-dir", folder]) == 0
    assert main(["init", "--name", "again", "--data-dir", folder]) == 1
    assert "already set up" in capsys.readouterr().err
    monkeypatch.setenv("INTAKE_CENTER_DATA_DIR", folder)
    from intake_app.domain.sync_protocol import Identity

    station_key = tmp_path / "station.pub"
    station_key.write_text(json.dumps(Identity.generate().public("station", "x").to_dict()))
    args = ["station", "add", "--code", "130209510000", "--name", "滨海", "--public-key"]
    assert main([*args, str(station_key)]) == 0
    assert main([*args, str(station_key)]) == 1
    assert "already registered" in capsys.readouterr().err
    center_key = tmp_path / "center.pub"
    assert main(["key", "-o", str(center_key)]) == 0
    assert json.loads(center_key.read_text())["role"] == "center"
    assert main(["station", "add", "--code", "2", "--name", "n", "--public-key", str(center_key)])
    assert "not a station key" in capsys.readouterr().err
    assert (
        main(
            [
                "instruct",
                "--station",
                "130209510000",
                "--kind",
                "verify_lead",
                "--text",
                "核查开平账号买卖线索",
                "--deadline",
                "2026-12-01T10:00:00+08:00",
            ]
        )
        == 0
    )
    assert main(["instruct", "--station", "999", "--kind", "dissuade", "--text", "x"]) == 1
    assert (
        main(
            [
                "instruct",
                "--station",
                "130209510000",
                "--kind",
                "dissuade",
                "--text",
                "x",
                "--deadline",
                "tomorrow",
            ]
        )
        == 1
    )
    assert main(["watch", "add", "--kind", "phone", "--value", "+86 139 1234 5678"]) == 0
    capsys.readouterr()
    assert main(["cases", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["links", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["station", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["code"] == "130209510000"
    bad = tmp_path / "bad.sync"
    bad.write_text("not a batch")
    assert main(["import", str(bad)]) == 1
    assert "damaged or incomplete" in capsys.readouterr().err
