"""The receipt template: the wording, numbers, copies and fields of the printed documents.

Forms change between editions, so none of this is code: the desk ships a template
(resources/templates/receipt-zh_CN.json) and a station can install its own. This module reads
and checks one (every error names the key), and fills its texts. See docs/receipt-template.md.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intake_app.domain.errors import IntakeError

TEMPLATE_FORMAT = "intake-receipt-template/1"
SETTING_FIELD = "receipt_template"
MAX_COPIES = 2  # what one A4 page holds
MAX_TEXT = 400
# An empty value in a text is printed as a line to fill in by hand.
BLANK = "__________"

# What a copy can list as rows of its table.
FIELDS = (
    "case_no",
    "reporter_name",
    "reporter_sex",
    "reporter_id",
    "reporter_phone",
    "reported_at",
    "subject",
    "total_loss",
    "unit",
    "officer",
    "registered_at",
    "printed_by",
    "verification_code",
)
# What a copy can print as paragraphs below its table.
TEXTS = ("body", "follow_up", "oversight", "warning_96110", "warning")
# The placeholders each text may use.
CASE_PLACEHOLDERS = (
    "station_name",
    "station_code",
    "unit",
    "case_no",
    "reporter_name",
    "reported_at",
    "reported_date",
    "subject",
    "fraud_type",
    "officer_name",
    "officer_badge",
    "contact_phone",
    "oversight_phone",
    "verification_code",
)
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "unit_name": ("station_name", "station_code"),
    "subject": ("fraud_type",),
    "reprint_mark": ("n",),
    **{f"texts.{key}": CASE_PLACEHOLDERS for key in TEXTS},
}
_TOP_KEYS = (
    "format",
    "version",
    "name",
    "title",
    "unit_name",
    "subject",
    "contact_phone",
    "oversight_phone",
    "reprint_mark",
    "cut_line",
    "texts",
    "labels",
    "copies",
    "case_form",
)
_COPY_KEYS = ("label", "fields", "texts", "mask_id_number", "mask_phone", "codes", "signatures")
_FORM_KEYS = ("title", "opinions")
_EXPECTED = {
    "text": ("文本", "text"),
    "nonempty": ("非空文本", "non-empty text"),
    "bool": ("true 或 false", "true or false"),
    "object": ("对象（JSON object）", "a JSON object"),
    "list": ("列表", "a list"),
    "copies": (f"1到{MAX_COPIES}联的列表", f"a list of 1 to {MAX_COPIES} copies"),
    "format": (f"“{TEMPLATE_FORMAT}”", f'"{TEMPLATE_FORMAT}"'),
    "short": (f"不超过{MAX_TEXT}个字符的文本", f"text of at most {MAX_TEXT} characters"),
}


@dataclass(frozen=True)
class CopySpec:
    """One copy on the page (报案人联, 存根联 ...): its rows, texts and what it masks."""

    label: str
    fields: tuple[str, ...]
    texts: tuple[str, ...]
    mask_id_number: bool
    mask_phone: bool
    codes: bool
    signatures: tuple[str, ...]


@dataclass(frozen=True)
class CaseFormSpec:
    title: str
    opinions: tuple[str, ...]


@dataclass(frozen=True)
class ReceiptTemplate:
    version: str
    name: str
    title: str
    unit_name: str
    subject: str
    contact_phone: str
    oversight_phone: str
    reprint_mark: str
    cut_line: str
    texts: Mapping[str, str]
    labels: Mapping[str, str]
    copies: tuple[CopySpec, ...]
    case_form: CaseFormSpec
    raw: Mapping[str, Any]

    def fill(self, key: str, values: Mapping[str, object]) -> str:
        """A text of the template ("unit_name", "texts.follow_up" ...) with its placeholders
        filled; an empty value becomes a blank line to write on."""
        text = self.texts[key[6:]] if key.startswith("texts.") else getattr(self, key)
        return fill(text, values)

    def to_json(self) -> str:
        return json.dumps(self.raw, ensure_ascii=False, indent=2) + "\n"


def fill(text: str, values: Mapping[str, object]) -> str:
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            value = str(values.get(name, "") or "")
            out.append(value if value.strip() else BLANK)
    return "".join(out)


class _Reader:
    def __init__(self) -> None:
        self.field = SETTING_FIELD

    def fail(self, code: str, key: str, **params: Any) -> IntakeError:
        return IntakeError(code, self.field, key=key, **params)

    def expected(self, key: str, kind: str) -> IntakeError:
        zh, en = _EXPECTED[kind]
        return self.fail("template_value_invalid", key, expected_zh=zh, expected=en)

    def obj(self, value: Any, key: str, known: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.expected(key, "object")
        for name in value:
            if name not in known:
                raise self.fail("template_key_unknown", _join(key, name))
        for name in known:
            if name not in value:
                raise self.fail("template_key_missing", _join(key, name))
        return value

    def text(self, value: Any, key: str, *, required: bool = True) -> str:
        if not isinstance(value, str):
            raise self.expected(key, "text")
        if required and not value.strip():
            raise self.expected(key, "nonempty")
        if len(value) > MAX_TEXT:
            raise self.expected(key, "short")
        allowed = PLACEHOLDERS.get(key)
        try:
            parsed = list(string.Formatter().parse(value))
        except ValueError:
            raise self.fail("template_braces", key) from None
        for _literal, name, spec, conv in parsed:
            if name is None:
                continue
            if allowed is None or name not in allowed or spec or conv:
                raise self.fail(
                    "template_placeholder_unknown",
                    key,
                    name=name,
                    allowed=", ".join(f"{{{n}}}" for n in allowed or ()) or "-",
                )
        return value

    def flag(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.expected(key, "bool")
        return value

    def texts(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.expected(key, "list")
        return tuple(self.text(item, f"{key}[{i}]") for i, item in enumerate(value))

    def names(self, value: Any, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.expected(key, "list")
        for i, item in enumerate(value):
            if item not in allowed:
                raise self.fail(
                    "template_name_unknown",
                    f"{key}[{i}]",
                    value=str(item),
                    allowed=", ".join(allowed),
                )
        return tuple(value)


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def template_from_json(text: str) -> ReceiptTemplate:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IntakeError(
            "template_json_invalid", SETTING_FIELD, line=exc.lineno, detail=exc.msg
        ) from exc
    return template_from_dict(data)


def template_from_dict(data: Any) -> ReceiptTemplate:
    """Check a template; the first problem raises IntakeError naming its key."""
    r = _Reader()
    top = r.obj(data, "", _TOP_KEYS)
    if top["format"] != TEMPLATE_FORMAT:
        raise r.expected("format", "format")
    texts_in = r.obj(top["texts"], "texts", TEXTS)
    texts = {k: r.text(texts_in[k], f"texts.{k}", required=False) for k in TEXTS}
    labels_in = top["labels"]
    if not isinstance(labels_in, dict):
        raise r.expected("labels", "object")
    for name in labels_in:
        if name not in FIELDS:
            raise r.fail("template_key_unknown", f"labels.{name}")
    labels = {k: r.text(v, f"labels.{k}") for k, v in labels_in.items()}
    copies_in = top["copies"]
    if not isinstance(copies_in, list) or not 1 <= len(copies_in) <= MAX_COPIES:
        raise r.expected("copies", "copies")
    copies = []
    for i, item in enumerate(copies_in):
        key = f"copies[{i}]"
        c = r.obj(item, key, _COPY_KEYS)
        fields = r.names(c["fields"], f"{key}.fields", FIELDS)
        for name in fields:
            if name not in labels:
                raise r.fail("template_key_missing", f"labels.{name}")
        copies.append(
            CopySpec(
                label=r.text(c["label"], f"{key}.label"),
                fields=fields,
                texts=r.names(c["texts"], f"{key}.texts", TEXTS),
                mask_id_number=r.flag(c["mask_id_number"], f"{key}.mask_id_number"),
                mask_phone=r.flag(c["mask_phone"], f"{key}.mask_phone"),
                codes=r.flag(c["codes"], f"{key}.codes"),
                signatures=r.texts(c["signatures"], f"{key}.signatures"),
            )
        )
    form = r.obj(top["case_form"], "case_form", _FORM_KEYS)
    return ReceiptTemplate(
        version=r.text(top["version"], "version"),
        name=r.text(top["name"], "name"),
        title=r.text(top["title"], "title"),
        unit_name=r.text(top["unit_name"], "unit_name"),
        subject=r.text(top["subject"], "subject"),
        contact_phone=r.text(top["contact_phone"], "contact_phone", required=False),
        oversight_phone=r.text(top["oversight_phone"], "oversight_phone", required=False),
        reprint_mark=r.text(top["reprint_mark"], "reprint_mark"),
        cut_line=r.text(top["cut_line"], "cut_line", required=False),
        texts=texts,
        labels=labels,
        copies=tuple(copies),
        case_form=CaseFormSpec(
            title=r.text(form["title"], "case_form.title"),
            opinions=r.texts(form["opinions"], "case_form.opinions"),
        ),
        raw=data,
    )
