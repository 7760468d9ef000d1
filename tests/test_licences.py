"""The list of bundled parts behind Help → About, and the windowed program's missing streams."""

import io
import sys
from email.message import Message

from intake_app.services import licences

from intake_app import window_main


def meta(**fields):
    message = Message()
    for key, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            message[key.replace("_", "-")] = value
    return message


def test_licence_name_prefers_the_expression_then_a_short_field_then_classifiers():
    assert licences.licence_name(meta(License_Expression="MIT", License="ignored")) == "MIT"
    assert licences.licence_name(meta(License="BSD-3-Clause")) == "BSD-3-Clause"
    full_text = "Copyright (c) someone\n\nPermission is hereby granted ..."
    classifier = "License :: OSI Approved :: Apache Software License"
    assert (
        licences.licence_name(meta(License=full_text, Classifier=[classifier, "Topic :: X"]))
        == "Apache Software License"
    )
    assert licences.licence_name(meta(License=full_text)) == "Copyright (c) someone"
    assert licences.licence_name(meta()) == "?"


def test_from_source_the_libraries_are_what_the_desk_needs_to_run():
    needed = licences.runtime_requirements("intake-desk")
    assert {"reportlab", "sqlite-utils", "python-stdnum", "argon2-cffi", "pyside6-essentials"} <= (
        needed
    )
    assert not {"pytest", "ruff", "mypy", "pyinstaller", "hypothesis"} & needed
    listed = {part.name for part in licences.python_libraries()}
    assert "reportlab" in listed and "PySide6-Essentials" not in listed


def test_the_window_program_gets_somewhere_to_write_when_windows_gives_no_streams(monkeypatch):
    seen = {}
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    monkeypatch.setattr(window_main.cli, "run", lambda: seen.update(out=sys.stdout, err=sys.stderr))
    window_main.run()
    assert seen["out"] is not None and seen["out"].writable()
    assert isinstance(seen["err"], io.StringIO)  # a stream that exists is kept
    seen["out"].close()
