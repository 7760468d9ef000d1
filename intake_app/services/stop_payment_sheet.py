"""The emergency stop-payment request sheet (紧急止付申请表) as an A4 PDF.

One section per payee bank, listing what the bank checks before it stops an account (payee
account name, account number, amount, transaction time, serial number); the victim's details
and paying account; a short case summary; the requesting unit and officer and the time of the
request; room for the bank's answer. The same fonts and page furniture as the registration
form (case_form_pdf.py): the embedded font with its fallbacks, page numbers, running header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from intake_app.domain.money import format_yuan_display

from intake_app.services.case_form_pdf import (
    BODY,
    GRID_STYLE,
    HEAD,
    LABEL,
    LABEL_GREY,
    SECTION_GREY,
    SMALL,
    UNIT,
    WIDTH,
    _grey,
    _style,
    _Title,
    build_a4,
)
from intake_app.services.pdf_fonts import FontSet
from intake_app.services.pdf_text import Value, cn_datetime

if TYPE_CHECKING:
    from intake_app.services.stop_payment import QueueEntry

TITLE = "紧急止付申请表"
UNKNOWN_BANK = "收款银行未识别（请按账号核实开户行）"
SUMMARY_LIMIT = 300
BANK_CHECKS = (
    "请贵行（机构）依据《关于建立电信网络新型违法犯罪涉案账户紧急止付和快速冻结机制的通知》"
    "（银发〔2016〕86号），核对收款户名、账号、金额和交易时间，一致的立即止付48小时，"
    "并将止付结果反馈申请单位。"
)


@dataclass(frozen=True)
class SheetContent:
    record: dict[str, Any]  # IntakeService.record() of the newest revision
    unit: Value
    officer_name: str
    officer_badge: str
    requested_at: datetime
    sections: Sequence[tuple[str, Sequence[QueueEntry]]]  # (payee bank, its items)


class _Sheet:
    def __init__(self, content: SheetContent, fonts: FontSet) -> None:
        self.c, self.fonts, self.r = content, fonts, content.record

    def p(self, text: Any, field: str, style: Any = BODY) -> Paragraph:
        return Paragraph(self.fonts.markup("" if text is None else str(text), field), style)

    def label(self, text: str) -> Paragraph:
        return Paragraph(self.fonts.markup(text, "stop_payment"), LABEL)

    def grid(self, data: list[list[Any]], widths: Sequence[float], extra: list[Any]) -> Table:
        scale = WIDTH / sum(widths)
        style = [*GRID_STYLE, *extra]
        return Table(data, colWidths=[w * scale for w in widths], style=TableStyle(style))

    def victim(self) -> Table:
        r = self.r
        person = r.get("victim") or r["reporter"]
        path = "victim" if r.get("victim") else "reporter"
        payers = []
        for t in r["transactions"]:
            account = " ".join(x for x in (t.get("payer_bank"), t.get("payer_account")) if x)
            if account and account not in payers:
                payers.append(account)
        rows = [
            [self.p("受害人信息", "stop_payment", HEAD), "", "", ""],
            [
                self.label("姓名"),
                self.p(person["name"], f"{path}.name"),
                self.label("证件号码"),
                self.p(person.get("id_number") or "", f"{path}.id_number"),
            ],
            [
                self.label("联系电话"),
                self.p(person.get("phone") or "", f"{path}.phone"),
                self.label("报案时间"),
                self.p(cn_datetime(r.get("reported_at")), "reported_at"),
            ],
            [
                self.label("付款账户"),
                self.p("\n".join(payers) or "（未填写）", "transactions"),
                "",
                "",
            ],
            [self.label("简要案情"), self.p(_summary(r), "incident.narrative"), "", ""],
        ]
        return self.grid(
            rows,
            (70, 160, 70, 190),
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), _grey(SECTION_GREY)),
                ("BACKGROUND", (0, 1), (0, -1), _grey(LABEL_GREY)),
                ("BACKGROUND", (2, 1), (2, 2), _grey(LABEL_GREY)),
                ("SPAN", (1, 3), (-1, 3)),
                ("SPAN", (1, 4), (-1, 4)),
            ],
        )

    def bank_section(self, bank: str, entries: Sequence[QueueEntry]) -> Flowable:
        total = sum(e.item.amount_fen for e in entries)
        title = (
            f"收款银行：{bank or UNKNOWN_BANK}"
            f"　（{len(entries)}笔，合计{format_yuan_display(total)}）"
        )
        headers = ("事项号", "收款户名", "收款账号", "转账金额", "交易时间", "交易流水号")
        data: list[list[Any]] = [
            [self.p(title, "payee_bank", HEAD)] + [""] * (len(headers) - 1),
            [self.label(h) for h in headers],
        ]
        for e in entries:
            item = e.item
            f = f"transactions[{item.tx_index}]"
            data.append(
                [
                    self.p(item.id, "item", SMALL),
                    self.p(item.payee_name, f"{f}.payee_name", SMALL),
                    self.p(item.payee_account, f"{f}.payee_account", SMALL),
                    self.p(format_yuan_display(item.amount_fen), f"{f}.amount", SMALL),
                    self.p(cn_datetime(item.transfer_at), f"{f}.at", SMALL),
                    self.p(item.serial_no or "（无）", f"{f}.serial_no", SMALL),
                ]
            )
        data.append([self.p(BANK_CHECKS, "stop_payment", SMALL)] + [""] * (len(headers) - 1))
        data.append(
            [
                self.p(
                    "银行反馈：□ 已止付　□ 不符　□ 已转出　金额：　　　　经办人：　　　　时间：",
                    "stop_payment",
                    SMALL,
                )
            ]
            + [""] * (len(headers) - 1)
        )
        table = self.grid(
            data,
            (46, 78, 128, 68, 86, 114),
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), _grey(SECTION_GREY)),
                ("BACKGROUND", (0, 1), (-1, 1), _grey(LABEL_GREY)),
                ("SPAN", (0, -2), (-1, -2)),
                ("SPAN", (0, -1), (-1, -1)),
            ],
        )
        table.repeatRows = 2
        return table

    def requester(self) -> Table:
        c = self.c
        rows = [
            [
                self.label("申请单位"),
                self.p(c.unit.text, c.unit.field),
                self.label("申请民警"),
                self.p(f"{c.officer_name}（警号{c.officer_badge}）", "printed_by"),
            ],
            [
                self.label("申请时间"),
                self.p(cn_datetime(c.requested_at.isoformat()), "requested_at"),
                self.label("单位负责人"),
                self.p("", "stop_payment"),
            ],
        ]
        return self.grid(
            rows,
            (70, 190, 70, 160),
            [
                ("BACKGROUND", (0, 0), (0, -1), _grey(LABEL_GREY)),
                ("BACKGROUND", (2, 0), (2, -1), _grey(LABEL_GREY)),
            ],
        )

    def story(self) -> list[Flowable]:
        r, c = self.r, self.c
        meta = (
            f"案件编号：{r['case_no']}　申请时间：{cn_datetime(c.requested_at.isoformat())}"
            f"　共{sum(len(e) for _b, e in c.sections)}笔、{len(c.sections)}家银行"
        )
        story: list[Flowable] = [
            self.p(c.unit.text, c.unit.field, UNIT),
            Spacer(1, 2),
            _Title(self.fonts, TITLE),
            Spacer(1, 4),
            self.p(meta, "case_no", _style("meta", 9)),
            Spacer(1, 6),
            self.victim(),
            Spacer(1, 8),
        ]
        for bank, entries in c.sections:
            story += [self.bank_section(bank, entries), Spacer(1, 8)]
        story.append(KeepTogether([self.requester()]))
        return story


def render_sheet(content: SheetContent, fonts: FontSet) -> bytes:
    sheet = _Sheet(content, fonts)
    story = sheet.story()
    case_no = content.record["case_no"]
    header = f"{TITLE}　{case_no}"
    footer = (
        f"申请：{cn_datetime(content.requested_at.isoformat())}　"
        f"{content.officer_name}（警号{content.officer_badge}）"
    )
    fonts.runs(footer, "printed_by")
    return build_a4(
        story,
        fonts,
        header,
        footer,
        title=f"{TITLE} {case_no}",
        author=content.unit.text,
        subject=case_no,
    )


def _summary(record: dict[str, Any]) -> str:
    text = " ".join((record.get("incident") or {}).get("narrative", "").split())
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1] + "…"
