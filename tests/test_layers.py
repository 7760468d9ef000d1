"""The layer arrows: domain <- store <- services <- ui and center; only ui imports PySide6."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "intake_app"
# What each layer may import from the project.
ALLOWED = {
    "domain": {"domain"},
    "store": {"domain", "store"},
    "services": {"domain", "store", "services"},
    "center": {"domain", "store", "services", "center"},
    "ui": {"domain", "store", "services", "ui"},
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_layers_import_only_downwards():
    bad = []
    for layer, allowed in ALLOWED.items():
        for path in (PACKAGE / layer).rglob("*.py") if (PACKAGE / layer).exists() else []:
            for name in _imports(path):
                parts = name.split(".")
                if (
                    parts[0] == "intake_app"
                    and len(parts) > 1
                    and parts[1] in ALLOWED
                    and parts[1] not in allowed
                ):
                    bad.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not bad, "\n".join(bad)


def test_only_ui_imports_qt_and_ui_writes_no_sql():
    bad = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        in_ui = rel.parts[0] == "ui"
        for name in _imports(path):
            if name.split(".")[0] in ("PySide6", "pyqtgraph") and not in_ui:
                bad.append(f"{rel} imports {name}")
            if (in_ui and name in ("sqlite3", "sqlite_utils")) or (
                in_ui and name.startswith("intake_app.store")
            ):
                bad.append(f"{rel} reaches the store directly: {name}")
    assert not bad, "\n".join(bad)


def test_the_product_does_not_read_the_shared_folder():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "shared/data" not in text, path
