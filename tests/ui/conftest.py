"""Qt tests run offscreen with the bundled font and the language under test."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from argon2 import PasswordHasher

from intake_app.services import auth

OFFICER, OFFICER_PASSWORD = "200002", "officer-pass-2026"
SUPERVISOR, SUPERVISOR_PASSWORD = "200003", "super-pass-2026"


@pytest.fixture(scope="session")
def qapp_args():
    return ["intake-app-tests"]


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """These tests are about the window, not password hashing."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture(autouse=True)
def recovery_keys_shown(monkeypatch):
    """The recovery-key dialog is modal: record what it would show instead."""
    from intake_app.ui import login

    shown: list[str] = []
    monkeypatch.setattr(login, "run_recovery_key_dialog", lambda key, parent: shown.append(key))
    return shown


@pytest.fixture(autouse=True)
def _fonts(qapp):
    from intake_app.ui.fonts import register_fonts

    register_fonts(qapp)
    yield


@pytest.fixture
def officer(desk, admin):
    desk.auth.add_officer(admin, OFFICER, "李娜", "officer", OFFICER_PASSWORD)
    return desk.auth.login(OFFICER, OFFICER_PASSWORD)


@pytest.fixture
def supervisor(desk, admin):
    desk.auth.add_officer(admin, SUPERVISOR, "王磊", "supervisor", SUPERVISOR_PASSWORD)
    return desk.auth.login(SUPERVISOR, SUPERVISOR_PASSWORD)


@pytest.fixture
def session(desk, officer, qapp):
    from intake_app.ui.session import Session

    return Session(desk, officer, "en")


@pytest.fixture
def zh_session(desk, officer, qapp):
    from intake_app.ui.i18n import install_translation
    from intake_app.ui.session import Session

    install_translation(qapp, "zh_CN")
    yield Session(desk, officer, "zh_CN")
    install_translation(qapp, "en")
