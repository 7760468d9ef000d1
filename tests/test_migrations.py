"""The schema upgrades in place: a database made by the first migration opens in today's desk."""

import sqlite3

import pytest
from sqlite_utils import Database

from intake_app.domain.errors import IntakeError

from intake_app.store import cipher
from intake_app.store.db import Store
from intake_app.store.migrations import migrations

KEY = bytes(range(32))


def first_schema_database(path):
    """A database exactly as the first release created it, with a draft in it."""
    conn = sqlite3.connect(path)
    migrations.apply(Database(conn), stop_before="m002_draft_lifecycle")
    conn.execute(
        "INSERT INTO officers (badge, name, role, password_hash, created_at) "
        "VALUES ('100001', '张伟', 'admin', 'x', '2026-01-01T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO drafts (uuid, officer, data, updated_at) "
        "VALUES ('d-1', '100001', '{\"reporter\": {\"name\": \"王芳\"}}', '2026-01-02T03:04:05Z')"
    )
    conn.commit()
    conn.close()


def test_a_first_schema_database_is_upgraded_and_keeps_its_data(tmp_path):
    path = tmp_path / "desk.db"
    first_schema_database(path)

    with Store.open(path, key=None) as store:
        assert store.schema_version() == [m.name for m in migrations._migrations]
        row = store.one("SELECT status, created_at, data FROM drafts WHERE uuid = 'd-1'")
        assert tuple(row) == ("open", "2026-01-02T03:04:05Z", '{"reporter": {"name": "王芳"}}')
        with pytest.raises(cipher.IntegrityError):
            store.conn.execute("UPDATE drafts SET status = 'lost' WHERE uuid = 'd-1'")


def test_migrating_again_changes_nothing(tmp_path):
    path = tmp_path / "desk.db"
    Store.open(path, key=KEY).close()
    with Store.open(path, key=KEY) as store:
        before = store.all("SELECT name, applied_at FROM _sqlite_migrations ORDER BY id")
        schema = store.all("SELECT sql FROM sqlite_master ORDER BY name")
        store.migrate()
        assert store.all("SELECT name, applied_at FROM _sqlite_migrations ORDER BY id") == before
        assert store.all("SELECT sql FROM sqlite_master ORDER BY name") == schema


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path):
    path = tmp_path / "desk.db"
    Store.open(path, key=KEY).close()
    conn = cipher.connect(str(path), KEY)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('intake_desk', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()

    with pytest.raises(IntakeError) as caught:
        Store.open(path, key=KEY)
    assert caught.value.code == "schema_too_new"
    assert "m999_future" in caught.value.message("en")


def test_a_file_that_is_not_a_database_is_named_in_the_error(tmp_path):
    path = tmp_path / "desk.db"
    path.write_bytes(b"this is a receipt, not a database" * 100)
    with pytest.raises(IntakeError) as caught:
        Store.open(path, key=None)
    assert caught.value.code == "database_corrupt"
    assert str(path) in caught.value.message("zh_CN")


def test_the_light_list_of_migration_names_matches_the_migrations():
    from intake_app.store.schema import MIGRATION_NAMES

    assert list(MIGRATION_NAMES) == [m.name for m in migrations._migrations]


def test_opening_an_up_to_date_database_does_not_import_sqlite_utils(tmp_path):
    import subprocess
    import sys

    Store.open(tmp_path / "desk.db", key=KEY).close()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from intake_app.store.db import Store\n"
        f"Store.open(Path({str(tmp_path / 'desk.db')!r}), key={KEY!r}).close()\n"
        "print('sqlite_utils' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
