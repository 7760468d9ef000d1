"""The README stays true: every command and option of the CLI is in its reference."""

import argparse
import re
from pathlib import Path

from intake_app.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMON = {"--data-dir", "--json", "--lang", "--officer", "-h", "--help"}


def leaf_commands(parser=None, path=()):
    parser = parser or build_parser()
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    for name, sub in subs[0].choices.items():
        yield from leaf_commands(sub, (*path, name))


def reference_rows():
    return [line for line in README.splitlines() if line.startswith("| `intake-app ")]


def test_every_command_and_its_options_are_in_the_readme_reference():
    rows = reference_rows()
    missing = []
    for path, parser in leaf_commands():
        command = "intake-app " + " ".join(path)
        row = next(
            (r for r in rows if r.startswith(f"| `{command} ") or r.startswith(f"| `{command}`")),
            None,
        )
        if row is None:
            missing.append(command)
            continue
        for action in parser._actions:
            options = action.option_strings
            if options and not set(options) & COMMON and not any(o in row for o in options):
                missing.append(f"{command} {options[-1]}")
    assert not missing, "not in README's CLI reference: " + ", ".join(missing)


def test_every_command_has_help_and_an_example():
    for path, parser in leaf_commands():
        assert parser.description, path
        assert parser.epilog and parser.epilog.startswith("Example: "), path
        assert "intake-app " + " ".join(path) in parser.epilog, path


def test_readme_names_the_two_commands_and_they_exist():
    commands = re.findall(r"^bash (scripts/\S+)", README, re.MULTILINE)
    assert commands[:2] == ["scripts/start.sh", "scripts/test.sh"]
    for script in commands:
        assert (ROOT / script).is_file(), script
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_documents_linked_from_the_readme_exist():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        assert (ROOT / target).exists(), target


def test_every_window_option_is_in_the_readme():
    parser = build_parser()
    group = next(g for g in parser._action_groups if g.title == "window (no command)")
    missing = [
        a.option_strings[0]
        for a in group._group_actions
        if f"| `{a.option_strings[0]}" not in README
    ]
    assert not missing, missing
