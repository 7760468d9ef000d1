"""The JSON Schema of intake-case/1 and the code that reads and writes the format agree.

What the schema accepts the desk reads without errors, what the schema refuses the desk reports,
the desk's output passes the schema, and the documented example imports.
"""

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from intake_app.domain import interchange
from intake_app.domain.identifiers import IDENTIFIER_KINDS
from intake_app.domain.interchange import OUTPUT_KEYS, canonical_json, case_from_dict, case_to_dict
from intake_app.domain.model import CASE_FORMAT, REGISTERED, VOIDED
from intake_app.domain.problems import ERROR, Problem
from intake_app.domain.validation import LIMITS, SEXES, validate_case

from intake_app.services import resources
from intake_app.services.intake import read_records

from tests.conftest import FIXED_NOW, FIXTURES

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "resources" / "schemas" / "intake-case-1.schema.json"
DOC_PATH = ROOT / "docs" / "case-format.md"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
DEFS = SCHEMA["$defs"]


def schema_errors(record: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(record)
    ]


def desk_problems(record: Any) -> list[Problem]:
    """What the desk finds in a record: the reader's problems, then validation's."""
    report, problems = case_from_dict(record)
    if not any(p.severity == ERROR for p in problems):
        problems += validate_case(
            report, resources.bundled_reference(), resources.bins(), FIXED_NOW
        )
    return problems


def fixture_cases() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "tangshan_cases.json").read_text(encoding="utf-8"))


def doc_example() -> dict[str, Any]:
    blocks = re.findall(r"^```json\n(.*?)^```", DOC_PATH.read_text(encoding="utf-8"), re.M | re.S)
    assert len(blocks) == 1, "docs/case-format.md should hold exactly one ```json block"
    return json.loads(blocks[0])


# --- the schema itself ------------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def _property_schemas(node: Any, path: str = "") -> list[tuple[str, Any]]:
    found = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            found.append((f"{path}/{name}", sub))
        for key, sub in node.items():
            found += _property_schemas(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            found += _property_schemas(sub, f"{path}/{i}")
    return found


def test_every_property_and_definition_has_a_description():
    properties = _property_schemas(SCHEMA)
    assert len(properties) > 60
    missing = [path for path, sub in properties if not sub.get("description")]
    missing += [f"$defs/{name}" for name, sub in DEFS.items() if not sub.get("description")]
    assert not missing


@pytest.mark.parametrize(
    ("schema", "keys"),
    [
        (SCHEMA, interchange.CASE_KEYS + OUTPUT_KEYS),
        (DEFS["person"], interchange.PERSON_KEYS),
        (DEFS["incident"], interchange.INCIDENT_KEYS),
        (DEFS["transaction"], interchange.TRANSACTION_KEYS),
        (DEFS["identifier"], interchange.IDENTIFIER_KEYS),
        (DEFS["attachment"], interchange.ATTACHMENT_KEYS),
    ],
    ids=["record", "person", "incident", "transaction", "identifier", "attachment"],
)
def test_the_schema_knows_exactly_the_keys_the_reader_knows(schema, keys):
    assert set(schema["properties"]) == set(keys)
    assert schema["additionalProperties"] is False


def test_output_only_keys_are_marked_read_only():
    for key in OUTPUT_KEYS:
        assert SCHEMA["properties"][key]["readOnly"] is True, key
        assert key not in SCHEMA["required"]
    assert DEFS["attachment"]["properties"]["path"]["writeOnly"] is True


def test_the_enumerations_equal_the_code_and_reference_data():
    ref = resources.bundled_reference()
    props = SCHEMA["properties"]
    assert props["format"]["const"] == CASE_FORMAT
    assert DEFS["person"]["properties"]["sex"]["enum"] == list(SEXES)
    kinds = DEFS["identifier"]["properties"]["kind"]["enum"]
    assert kinds == list(IDENTIFIER_KINDS)
    assert kinds == [e.code for e in ref.entries("identifier_kinds")]
    channels = DEFS["incident"]["properties"]["contact_channel"]["enum"]
    assert channels == [e.code for e in ref.entries("contact_channels")]
    methods = DEFS["transaction"]["properties"]["method"]["enum"]
    assert methods == [e.code for e in ref.entries("transaction_methods")]
    assert props["status"]["enum"] == [REGISTERED, VOIDED]


def test_reference_codes_that_change_between_editions_are_not_enumerated():
    code = {"$ref": "#/$defs/code"}
    assert SCHEMA["properties"]["source"]["$ref"] == code["$ref"]
    assert DEFS["incident"]["properties"]["fraud_type"]["$ref"] == code["$ref"]
    assert DEFS["person"]["properties"]["groups"]["items"] == code
    assert "enum" not in DEFS["person"]["properties"]["id_type"]
    assert "enum" not in DEFS["code"]
    # A code from a newer edition passes the schema (the desk checks it against its edition).
    record = fixture_cases()[0]
    record["incident"]["fraud_type"] = "deepfake_video_call"
    record["reporter"]["groups"] = ["delivery_riders"]
    assert not schema_errors(record)


@pytest.mark.parametrize(
    ("definition", "field", "limit"),
    [
        ("person", "name", "name"),
        ("person", "occupation", "name"),
        ("person", "address", "address"),
        ("person", "id_number", "id_number"),
        ("person", "phone", "phone"),
        ("incident", "place", "place"),
        ("incident", "narrative", "narrative"),
        ("transaction", "payer_bank", "bank"),
        ("transaction", "payee_bank", "bank"),
        ("transaction", "payer_account", "account"),
        ("transaction", "payee_account", "account"),
        ("transaction", "payee_name", "payee_name"),
        ("transaction", "serial_no", "serial_no"),
        ("identifier", "value", "identifier_value"),
        ("identifier", "note", "note"),
        ("attachment", "name", "attachment_name"),
        ("attachment", "media_type", "media_type"),
    ],
)
def test_length_limits_equal_the_validators(definition, field, limit):
    assert DEFS[definition]["properties"][field]["maxLength"] == LIMITS[limit]


def test_list_limits_equal_the_validators():
    for key in ("transactions", "identifiers", "attachments"):
        assert SCHEMA["properties"][key]["maxItems"] == LIMITS[key]


# --- records the desk reads and writes ------------------------------------------------------


@pytest.mark.parametrize("index", range(6))
def test_the_fixture_records_validate(index):
    record = fixture_cases()[index]
    assert not schema_errors(record)
    assert not [p for p in desk_problems(record) if p.severity == ERROR]


@pytest.mark.parametrize("index", range(6))
def test_serialized_fixtures_validate(index):
    report, problems = case_from_dict(fixture_cases()[index])
    assert not problems
    assert not schema_errors(case_to_dict(report))


def test_records_the_desk_shows_and_exports_validate(desk, admin, tangshan_cases, tmp_path):
    results = list(desk.intake.import_records(tangshan_cases, admin))
    assert [r.created for r in results] == [True] * 6
    case_nos = [r.case_no for r in results]
    revised = copy.deepcopy(tangshan_cases[0])
    revised["incident"]["narrative"] += "（补充：已联系银行止付。）"
    desk.intake.revise(case_nos[0], revised, admin, note="补充止付情况")
    desk.intake.void(case_nos[1], "重复报案", admin)

    shown = [desk.intake.show(no) for no in case_nos]
    path = tmp_path / "cases.jsonl"
    assert desk.intake.export(path, admin) == 6
    exported = list(read_records(path))
    assert exported == shown
    for record in exported:
        assert not schema_errors(record), record["case_no"]
        assert set(OUTPUT_KEYS) - set(record) <= {"voided_at", "void_reason"}
        # The published way to check a record: canonical JSON without the desk's keys.
        core = {k: v for k, v in record.items() if k not in OUTPUT_KEYS}
        assert interchange.sha256_hex(canonical_json(core)) == record["sha256"]
        # An exported record reads back without a single problem.
        assert case_from_dict(record)[1] == []
    assert shown[0]["revision"] == 2
    assert shown[1]["status"] == VOIDED and shown[1]["void_reason"] == "重复报案"
    assert {r["status"] for r in shown[2:]} == {REGISTERED}


def test_the_sha256_recipe_in_the_docs_matches_the_desk(desk, admin, tangshan_cases):
    source = DOC_PATH.read_text(encoding="utf-8")
    recipe = re.search(r"^```python\n(.*?)^```", source, re.M | re.S)
    assert recipe is not None
    namespace: dict[str, Any] = {}
    exec(recipe.group(1), namespace)
    assert namespace["OUTPUT_KEYS"] == set(OUTPUT_KEYS)
    (result,) = desk.intake.import_records(tangshan_cases[:1], admin)
    record = desk.intake.show(result.case_no)
    assert namespace["revision_sha256"](record) == record["sha256"]


# --- wrong shapes: the schema refuses them and the desk reports them --------------------------


def _set(path: str, value: Any):
    """A change to a record: set the value at a path like "transactions.0.amount"."""

    def change(record: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = record
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def _drop(path: str):
    def change(record: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = record
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return change


WRONG = [
    ("amount as an integer", _set("transactions.0.amount", 1500), "amount_not_text"),
    ("amount as a float", _set("transactions.0.amount", 1500.0), "amount_not_text"),
    ("amount with 3 decimals", _set("transactions.0.amount", "1500.001"), "amount_decimals"),
    ("amount zero", _set("transactions.0.amount", "0.00"), "amount_not_positive"),
    ("amount negative", _set("transactions.0.amount", "-1500.00"), "amount_not_positive"),
    ("amount too large", _set("transactions.0.amount", "1000000000000.00"), "amount_too_large"),
    ("amount missing", _drop("transactions.0.amount"), "required"),
    ("time without offset", _set("reported_at", "2026-11-21T09:20:00"), "time_no_offset"),
    ("date as a time", _set("incident.occurred_from", "2026-11-21"), "time_no_offset"),
    ("time in words", _set("transactions.0.at", "11月21日凌晨"), "time_format"),
    ("time as a number", _set("reported_at", 1795224000), "time_format"),
    ("reported_at missing", _drop("reported_at"), "required"),
    ("bad sex", _set("reporter.sex", "男"), "sex_invalid"),
    ("lowercase sex", _set("reporter.sex", "m"), "sex_invalid"),
    ("bad birth date", _set("reporter.birth_date", "1979/04/16"), "date_format"),
    ("bad uuid", _set("uuid", "case-0001"), "uuid_invalid"),
    ("other format", _set("format", "intake-case/2"), "format_unsupported"),
    ("misspelt key", _set("transactions.0.ammount", "1.00"), "unknown_field"),
    ("reporter not an object", _set("reporter", "张志刚"), "not_an_object"),
    ("transactions not a list", _set("transactions", {}), "not_a_list"),
    ("group not a string", _set("reporter.groups", [1]), "not_a_string"),
    ("empty group", _set("reporter.groups", [""]), "required"),
    ("reporter without name", _drop("reporter.name"), "required"),
    ("blank reporter phone", _set("reporter.phone", "  "), "required"),
    ("victim without name", _set("victim", {"sex": "F"}), "required"),
    ("blank narrative", _set("incident.narrative", " "), "required"),
    ("narrative too long", _set("incident.narrative", "案" * 5001), "too_long"),
    ("no source", _set("source", ""), "required"),
    ("no fraud type", _drop("incident.fraud_type"), "required"),
    ("unknown channel", _set("incident.contact_channel", "douyin"), "unknown_code"),
    ("unknown method", _set("transactions.0.method", "paypal"), "unknown_code"),
    ("unknown kind", _set("identifiers.0.kind", "weibo"), "unknown_code"),
    ("blank identifier", _set("identifiers.0.value", ""), "required"),
    ("too many identifiers", _set("identifiers", [{"kind": "qq", "value": "1"}] * 201), "too_long"),
    (
        "attachment without hash or path",
        _set("attachments", [{"name": "转账截图.jpg"}]),
        "required",
    ),
    (
        "attachment hash not hex",
        _set("attachments", [{"name": "转账截图.jpg", "sha256": "abc123"}]),
        "attachment_hash_mismatch",
    ),
]


@pytest.mark.parametrize(("change", "code"), [w[1:] for w in WRONG], ids=[w[0] for w in WRONG])
def test_wrong_records_are_refused_by_the_schema_and_reported_by_the_desk(change, code):
    record = fixture_cases()[0]
    assert not schema_errors(record)
    assert not desk_problems(record)
    change(record)
    assert schema_errors(record)
    assert code in {p.code for p in desk_problems(record)}


RIGHT = [
    ("format left out", _drop("format")),
    ("uuid left out", _drop("uuid")),
    ("uuid null", _set("uuid", None)),
    ("uuid empty", _set("uuid", "")),
    ("uuid uppercase", _set("uuid", "5B0E7C1A-3D42-4F6E-9A8B-1C2D3E4F5A60")),
    ("victim left out", _drop("victim")),
    ("lists left out", lambda r: [r.pop(k) for k in ("transactions", "identifiers")]),
    ("times in UTC", _set("reported_at", "2026-11-21T01:20:00Z")),
    ("time without seconds", _set("reported_at", "2026-11-21T09:20+08:00")),
    ("time with a fraction", _set("reported_at", "2026-11-21T09:20:00.250+08:00")),
    ("optional time null", _set("incident.occurred_to", None)),
    ("optional time empty", _set("incident.discovered_at", "")),
    ("optional time left out", _drop("incident.discovered_at")),
    ("birth date null", _set("reporter.birth_date", None)),
    ("birth date empty", _set("reporter.birth_date", "")),
    ("sex left out", _drop("reporter.sex")),
    ("id type left out", _drop("reporter.id_type")),
    ("amount without decimals", _set("transactions.0.amount", "1500")),
    ("amount with one decimal", _set("transactions.0.amount", "1500.5")),
    ("smallest amount", _set("transactions.0.amount", "0.01")),
    ("optional texts left out", _drop("transactions.0.serial_no")),
    ("note left out", _drop("identifiers.0.note")),
    ("victim", _set("victim", {"name": "张小红", "sex": "F", "groups": ["students"]})),
    ("output-only keys", _set("case_no", "130209510000-2026-000042-7")),
]


@pytest.mark.parametrize("change", [r[1] for r in RIGHT], ids=[r[0] for r in RIGHT])
def test_records_the_schema_accepts_the_desk_reads_without_errors(change):
    record = fixture_cases()[0]
    change(record)
    assert not schema_errors(record)
    problems = desk_problems(record)
    assert not [(p.code, p.field) for p in problems if p.severity == ERROR]


def test_an_attachment_given_by_path_alone_passes_the_schema():
    record = fixture_cases()[0]
    record["attachments"] = [{"path": "evidence/回执.jpg"}]
    assert not schema_errors(record)
    record["attachments"] = [{"path": ""}]
    assert schema_errors(record)


# --- the documentation ------------------------------------------------------------------------


def test_the_documented_example_validates_and_imports_cleanly():
    example = doc_example()
    assert not schema_errors(example)
    assert desk_problems(example) == []
    report, _ = case_from_dict(example)
    assert report.total_loss_fen == 150000
    assert [a.path for a in report.attachments] == [
        "evidence/短信记录截图.jpg",
        "evidence/银行交易明细.pdf",
    ]


def test_the_documented_example_imports_with_its_files(desk, admin, tmp_path):
    example = doc_example()
    for attachment in example["attachments"]:
        file = tmp_path / attachment["path"]
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(attachment["name"].encode("utf-8") * 100)
    source = tmp_path / "case.json"
    source.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")

    (result,) = desk.intake.import_records(read_records(source), admin, source.parent)
    assert result.created and not result.problems
    record = desk.intake.show(result.case_no)
    assert not schema_errors(record)
    assert record["uuid"] == example["uuid"]
    for stored, given in zip(record["attachments"], example["attachments"], strict=True):
        assert "path" not in stored
        assert stored["name"] == given["name"]
        assert re.fullmatch(r"[0-9a-f]{64}", stored["sha256"])
        assert stored["size"] == (tmp_path / given["path"]).stat().st_size

    # Importing the same file again registers nothing new.
    (again,) = desk.intake.import_records(read_records(source), admin, source.parent)
    assert (again.case_no, again.created) == (result.case_no, False)


def test_the_docs_list_every_bundled_reference_code():
    text = DOC_PATH.read_text(encoding="utf-8")
    ref = resources.bundled_reference()
    assert f"version {ref.version}" in text
    for list_name, entries in ref.lists.items():
        section = text.split(f"### `{list_name}`", 1)
        assert len(section) == 2, list_name
        table = section[1].split("\n### ", 1)[0]
        rows = re.findall(r"^\| `([a-z0-9_]+)` \| (.+?) \| (.+?) \|$", table, re.M)
        assert [(code, zh, en) for code, zh, en in rows] == [
            (e.code, e.label("zh_CN"), e.label("en")) for e in entries
        ], list_name


def test_the_docs_name_every_field_and_output_key():
    text = DOC_PATH.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_0-9]+)` \|", text, re.M))
    keys = (
        interchange.CASE_KEYS
        + OUTPUT_KEYS
        + interchange.PERSON_KEYS
        + interchange.INCIDENT_KEYS
        + interchange.TRANSACTION_KEYS
        + interchange.IDENTIFIER_KEYS
        + interchange.ATTACHMENT_KEYS
    )
    assert set(keys) <= documented
    assert "resources/schemas/intake-case-1.schema.json" in text
    assert "resources/reference/reference.json" in text
