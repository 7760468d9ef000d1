"""Printed documents: the receipt (受案回执) and the case registration form (受案登记表).

    pdf = desk.documents.receipt_pdf(case_no, officer)               # first print
    pdf = desk.documents.receipt_pdf(case_no, officer, reprint=True) # 补打（第N次）
    pdf = desk.documents.case_form_pdf(case_no, officer, revision=2)
    DocumentService.write(path, pdf)
    printed = desk.documents.print_receipt(case_no, officer)         # the PDF and its facts
    printed = desk.documents.render_receipt(case_no, officer)        # made, not yet logged
    desk.documents.record(printed, officer, how="printer")           # ...logged once printed

Every print is an audit entry (print, or reprint when the document was printed before) with
the document, the revision and the SHA-256 of the PDF; the reprint number printed on the paper
is the number of earlier prints in the log. The window renders first and records the entry
only once the paper came out of the printer or the PDF was saved (a cancelled preview is no
print); print_receipt and print_case_form do both at once. A receipt printed before is
printed again only as a reprint (`reprint=True`): a second receipt handed out must be a
deliberate act. The form is for the station's file: a later print of the same revision is
marked as a reprint by itself.

The wording, phone numbers, copies and fields come from the receipt template
(domain/receipt_template.py): the bundled one, or the one the station installed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_app.domain.errors import IntakeError
from intake_app.domain.identifiers import mask_id, mask_phone
from intake_app.domain.model import VOIDED
from intake_app.domain.money import format_yuan_display, parse_yuan
from intake_app.domain.receipt_template import (
    SETTING_FIELD,
    TEXTS,
    ReceiptTemplate,
    template_from_json,
)
from intake_app.domain.times import parse_time, utc_stamp
from intake_app.domain.verification import check_verification, qr_payload, verification_code

from intake_app.store import audit
from intake_app.store.officers import Officer

from intake_app.services.pdf_fonts import FontSet
from intake_app.services.pdf_text import Value, cn_date, cn_datetime
from intake_app.services.receipt_pdf import ReceiptContent, render_receipt
from intake_app.services.resources import resource

if TYPE_CHECKING:
    from intake_app.services.desk import Desk

RECEIPT = "receipt"
CASE_FORM = "case_form"
TEMPLATE_FILE = ("templates", "receipt-zh_CN.json")
SEX_WORDS = {"M": "男", "F": "女", "U": "未知"}


@dataclass(frozen=True)
class Printed:
    """A printed document: the PDF and what the audit entry says about it."""

    document: str  # "receipt" or "case_form"
    case_no: str
    revision: int
    reprint: int  # 0 on the first print, else the number of earlier prints
    sha256: str
    pdf: bytes
    template: str | None = None  # the receipt template's version


class DocumentService:
    def __init__(self, desk: Desk, *, fonts: FontSet | None = None) -> None:
        self.desk = desk
        self._fonts = fonts
        self._template_cache: tuple[str, ReceiptTemplate] | None = None

    @property
    def fonts(self) -> FontSet:
        """The bundled fonts, then fonts in DATA/fonts, then the system's (made on first use)."""
        if self._fonts is None:
            self._fonts = FontSet([self.desk.data_dir / "fonts"])
        return self._fonts

    # The template ----------------------------------------------------------------------------

    @staticmethod
    def bundled_template_json() -> str:
        return resource(*TEMPLATE_FILE).read_text(encoding="utf-8")

    def template(self) -> ReceiptTemplate:
        """The installed template, else the bundled one."""
        text = self.desk.store.setting(SETTING_FIELD) or self.bundled_template_json()
        if self._template_cache is None or self._template_cache[0] != text:
            self._template_cache = (text, template_from_json(text))
        return self._template_cache[1]

    def template_installed(self) -> bool:
        return bool(self.desk.store.setting(SETTING_FIELD))

    def install_template(self, officer: Officer, text: str | None) -> ReceiptTemplate:
        """Check and install a template (JSON text), or go back to the bundled one (None).
        Admin only; a bad template raises IntakeError naming the key and changes nothing."""
        self.desk.auth.require(officer, "admin")
        template = template_from_json(text if text is not None else self.bundled_template_json())
        stored = template.to_json() if text is not None else ""
        with self.desk.store.write() as conn:
            self.desk.store.set_setting(SETTING_FIELD, stored)
            audit.append(
                conn,
                officer.badge,
                audit.SETTING,
                "setting",
                SETTING_FIELD,
                {
                    "version": template.version,
                    "bundled": text is None,
                    "sha256": hashlib.sha256(stored.encode()).hexdigest(),
                },
                utc_stamp(self.desk.now()),
            )
        return template

    # Verification codes ----------------------------------------------------------------------

    def _secret(self) -> str:
        secret = self.desk.store.setting("station_secret")
        if not secret:
            raise IntakeError("station_secret_missing", "station_secret")
        return secret

    def verification_code(self, case_no: str) -> str:
        row = self.desk.intake.find(case_no)
        return verification_code(self._secret(), row.case_no, row.uuid)

    def check_verification(self, case_no: str, code: str) -> bool:
        """Whether a code read from a receipt (over the phone, or from its QR) belongs to the
        case; False for an unknown case too."""
        try:
            row = self.desk.intake.find(case_no)
        except IntakeError:
            return False
        return check_verification(self._secret(), row.case_no, row.uuid, code)

    # Printing ----------------------------------------------------------------------------------

    def print_count(
        self, case_no: str, document: str = RECEIPT, revision: int | None = None
    ) -> int:
        """How many times a document of a case was printed so far."""
        row = self.desk.intake.find(case_no)
        return audit.count_prints(self.desk.store.conn, row.case_no, document, revision)

    def receipt_pdf(self, case_no: str, officer: Officer, *, reprint: bool = False) -> bytes:
        """The receipt of a case as PDF bytes (see print_receipt)."""
        return self.print_receipt(case_no, officer, reprint=reprint).pdf

    def case_form_pdf(self, case_no: str, officer: Officer, revision: int | None = None) -> bytes:
        """The registration form of a case as PDF bytes (see print_case_form)."""
        return self.print_case_form(case_no, officer, revision).pdf

    def print_receipt(self, case_no: str, officer: Officer, *, reprint: bool = False) -> Printed:
        """The receipt of a case, recorded in the audit log as printed (render_receipt, then
        record)."""
        printed = self.render_receipt(case_no, officer, reprint=reprint)
        self.record(printed, officer)
        return printed

    def print_case_form(
        self, case_no: str, officer: Officer, revision: int | None = None
    ) -> Printed:
        """The registration form of a case, recorded in the audit log as printed
        (render_case_form, then record)."""
        printed = self.render_case_form(case_no, officer, revision)
        self.record(printed, officer)
        return printed

    def render_receipt(self, case_no: str, officer: Officer, *, reprint: bool = False) -> Printed:
        """The receipt of a case, not yet in the audit log: call record once it is printed.

        IntakeError "receipt_already_printed" when it was printed before and reprint is False;
        "receipt_not_printed" for a reprint of a receipt never printed; "receipt_case_voided";
        "char_not_in_font" naming the field when no font can print a character.
        """
        row = self.desk.intake.find(case_no)
        if row.status == VOIDED:
            raise IntakeError("receipt_case_voided", "case_no", value=row.case_no)
        record = self.desk.intake.record(row)
        template = self.template()
        count = audit.count_prints(self.desk.store.conn, row.case_no, RECEIPT)
        if count and not reprint:
            raise IntakeError("receipt_already_printed", "case_no", value=row.case_no, count=count)
        if reprint and not count:
            raise IntakeError("receipt_not_printed", "case_no", value=row.case_no)
        content = self._receipt_content(record, template, officer, count)
        pdf = render_receipt(template, content, self.fonts)
        return self._printed(
            RECEIPT, row.case_no, record["revision"], count, pdf, template=template.version
        )

    def render_case_form(
        self, case_no: str, officer: Officer, revision: int | None = None
    ) -> Printed:
        """The registration form of a case (newest revision, or the one asked for), not yet
        in the audit log: call record once it is printed. A later print of the same revision
        is a reprint."""
        row = self.desk.intake.find(case_no)
        record = self.desk.intake.record(row, revision)
        number = int(record["revision"])
        history = self.desk.intake.history(row.case_no)
        rev = next(r for r in history if r.number == number)
        template = self.template()
        # platypus, which lays out the form, is imported only when a form is printed.
        from intake_app.services.case_form_pdf import CaseFormContent, render_case_form

        count = audit.count_prints(self.desk.store.conn, row.case_no, CASE_FORM, number)
        content = CaseFormContent(
            record=record,
            revision_note=rev.note,
            changes=rev.changes,
            newest_revision=row.revision,
            unit=self._unit(template),
            printed_at=cn_datetime(self.desk.now().isoformat()),
            printed_by=f"{officer.name}（警号{officer.badge}）",
            reprint_mark=template.fill("reprint_mark", {"n": count}) if count else "",
        )
        pdf = render_case_form(template.case_form, content, self.desk.reference, self.fonts)
        return self._printed(CASE_FORM, row.case_no, number, count, pdf)

    def record(self, printed: Printed, officer: Officer, how: str | None = None) -> None:
        """Write the audit entry of a rendered document once it was printed ("printer") or
        saved as a file ("file"): print, or reprint when it was printed before."""
        if how not in (None, "printer", "file"):
            raise ValueError(f"how must be 'printer' or 'file', not {how!r}")
        extra: dict[str, Any] = {}
        if printed.template is not None:
            extra["template"] = printed.template
        if how is not None:
            extra["how"] = how
        with self.desk.store.write() as conn:
            audit.append(
                conn,
                officer.badge,
                audit.REPRINT if printed.reprint else audit.PRINT,
                "case",
                printed.case_no,
                {
                    "document": printed.document,
                    "revision": printed.revision,
                    "sha256": printed.sha256,
                    "reprint": printed.reprint,
                    **extra,
                },
                utc_stamp(self.desk.now()),
            )

    @staticmethod
    def _printed(
        document: str,
        case_no: str,
        revision: int,
        count: int,
        pdf: bytes,
        template: str | None = None,
    ) -> Printed:
        digest = hashlib.sha256(pdf).hexdigest()
        return Printed(document, case_no, revision, count, digest, pdf, template)

    @staticmethod
    def write(path: Path, data: bytes) -> None:
        """Write a file atomically: a reader sees the old file or the whole new one."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def make_printed(
        self, document: str, case_no: str, revision: int, count: int, pdf: bytes
    ) -> Printed:
        """A document made by another service (the stop-payment sheet), to record like these."""
        return self._printed(document, case_no, revision, count, pdf)

    def unit_value(self) -> Value:
        """The requesting or accepting unit as the template names it."""
        return self._unit(self.template())

    # Content -----------------------------------------------------------------------------------

    def _unit(self, template: ReceiptTemplate) -> Value:
        text = template.fill(
            "unit_name",
            {"station_name": self.desk.station_name, "station_code": self.desk.station_code},
        )
        return Value(text, "station_name")

    def _receipt_content(
        self, record: dict[str, Any], template: ReceiptTemplate, officer: Officer, count: int
    ) -> ReceiptContent:
        ref = self.desk.reference
        reporter = record["reporter"]
        case_no = record["case_no"]
        code = verification_code(self._secret(), case_no, record["uuid"])
        fraud_type = ref.label("fraud_types", record["incident"]["fraud_type"])
        subject = template.fill("subject", {"fraud_type": fraud_type})
        unit = self._unit(template)
        received = record["received_by"]
        id_number = reporter["id_number"] or ""
        if id_number and reporter["id_type"] != "resident_id":
            id_label = ref.label("id_types", reporter["id_type"])
        else:
            id_label = ""
        loss = sum(parse_yuan(t["amount"]) for t in record["transactions"] if t.get("amount"))
        values = {
            "case_no": Value(case_no, "case_no"),
            "reporter_name": Value(reporter["name"], "reporter.name"),
            "reporter_sex": Value(SEX_WORDS.get(reporter["sex"], ""), "reporter.sex"),
            "reporter_id": Value(_joined(id_label, id_number), "reporter.id_number"),
            "reporter_phone": Value(reporter["phone"], "reporter.phone"),
            "reported_at": Value(cn_datetime(record["reported_at"]), "reported_at"),
            "subject": Value(subject, "incident.fraud_type"),
            "total_loss": Value(format_yuan_display(loss), "transactions"),
            "unit": unit,
            "officer": Value(f"{received['name']}（警号{received['badge']}）", "received_by"),
            "registered_at": Value(cn_datetime(record["registered_at"]), "registered_at"),
            "printed_by": Value(f"{officer.name}（警号{officer.badge}）", "printed_by"),
            "verification_code": Value(code, "verification_code"),
        }
        masked = {
            "reporter_id": Value(
                _joined(id_label, mask_id(id_number)) if id_number else "", "reporter.id_number"
            ),
            "reporter_phone": Value(
                mask_phone(reporter["phone"]) if reporter["phone"] else "", "reporter.phone"
            ),
        }
        # Check every value against the fonts under its own field first, so that a name the
        # fonts cannot print is named as the name, not as the template text that holds it.
        for value in (*values.values(), *masked.values()):
            self.fonts.runs(value.text, value.field)
        reported = parse_time(record["reported_at"], "reported_at")
        placeholders = {
            "station_name": self.desk.station_name,
            "station_code": self.desk.station_code,
            "unit": unit.text,
            "case_no": case_no,
            "reporter_name": reporter["name"],
            "reported_at": values["reported_at"].text,
            "reported_date": cn_date(reported),
            "subject": subject,
            "fraud_type": fraud_type,
            "officer_name": received["name"],
            "officer_badge": received["badge"],
            "contact_phone": template.contact_phone,
            "oversight_phone": template.oversight_phone,
            "verification_code": code,
        }
        texts = {
            key: Value(template.fill(f"texts.{key}", placeholders), f"{SETTING_FIELD}.texts.{key}")
            for key in TEXTS
        }
        return ReceiptContent(
            case_no=case_no,
            qr_payload=qr_payload(case_no, code),
            unit=unit,
            printed_date=cn_date(self.desk.now()),
            reprint_mark=template.fill("reprint_mark", {"n": count}) if count else "",
            values=values,
            masked=masked,
            texts=texts,
        )


def _joined(*parts: str) -> str:
    return " ".join(p for p in parts if p)
