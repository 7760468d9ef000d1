"""The names of the schema migrations, without importing sqlite-utils.

Opening an up-to-date database only compares these names with the applied ones, so a process
that starts for one command does not import sqlite-utils (and numpy, which it loads when
present). tests/test_migrations.py checks this list against migrations.py.
"""

from __future__ import annotations

import sqlite3

MIGRATION_SET = "intake_desk"
MIGRATION_NAMES = (
    "m001_initial",
    "m002_draft_lifecycle",
    "m003_case_list_indexes",
    "m004_case_terms_by_case",
    "m005_case_list_type_status_index",
    "m006_stop_payment",
    "m007_sync",
    "m008_dashboard",
    "m010_instruction_results",
    "m011_stop_item_keys",
)


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """The migrations of our set applied to this database, in the order they were applied."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        (MIGRATION_SET,),
    ).fetchall()
    return [r[0] for r in rows]
