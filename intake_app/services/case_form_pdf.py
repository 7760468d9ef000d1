"""The case registration form (受案登记表) as an A4 PDF, for the station's file.

Every detail of one revision of a case: source, times, receiving officer, reporter and victim
(full ID number and phone: this copy stays at the station), the incident and its narrative, each
transaction, suspect identifiers, evidence files with their SHA-256, what changed in this
revision, the acceptance opinion and the approval to be filled in by hand. Flows over as many
pages as it needs; each page says which case, revision and page it is.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from intake_app.domain.diff import Change
from intake_app.domain.messages import field_label
from intake_app.domain.money import format_yuan_display, parse_yuan
from intake_app.domain.receipt_template import SETTING_FIELD, CaseFormSpec
from intake_app.domain.reference import ReferenceData

from intake_app.services.pdf_fonts import BOLD, REGULAR, FontSet
from intake_app.services.pdf_text import Value, cn_datetime, draw

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
GRID = 0.6
LABEL_GREY = 0.92
SECTION_GREY = 0.82
SEX_WORDS = {"M": "男", "F": "女", "U": "未知"}
MAX_CHANGES = 40
# A ruled table in the body font (the stop-payment sheet uses it too).
GRID_STYLE: tuple[tuple[Any, ...], ...] = (
    ("GRID", (0, 0), (-1, -1), GRID, "black"),
    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
)


@dataclass(frozen=True)
class CaseFormContent:
    record: dict[str, Any]  # IntakeService.record() of the revision printed
    revision_note: str
    changes: Sequence[Change]  # what this revision changed (empty for revision 1)
    newest_revision: int
    unit: Value
    printed_at: str
    printed_by: str
    reprint_mark: str  # "" on the first print of this revision


def _style(name: str, size: float, *, bold: bool = False, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=BOLD if bold else REGULAR,
        fontSize=size,
        leading=size * 1.45,
        alignment=align,
        wordWrap="CJK",
    )


BODY = _style("body", 9.5)
LABEL = _style("label", 9.5, align=1)
SMALL = _style("small", 8)
HEAD = _style("head", 10.5, bold=True)
UNIT = _style("unit", 12, align=1)


class _Title(Flowable):
    """The form's title: bold, centred, letter-spaced."""

    def __init__(self, fonts: FontSet, text: str, size: float = 20) -> None:
        super().__init__()
        self.fonts, self.text, self.size = fonts, text, size
        self.fonts.runs(text, f"{SETTING_FIELD}.case_form.title", bold=True)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.size * 1.6

    def draw(self) -> None:
        draw(
            self.canv,
            self.fonts,
            self.width / 2,
            self.size * 0.4,
            self.text,
            f"{SETTING_FIELD}.case_form.title",
            self.size,
            bold=True,
            align="center",
            spacing=self.size * 0.45,
        )


class _Form:
    def __init__(
        self, spec: CaseFormSpec, content: CaseFormContent, ref: ReferenceData, fonts: FontSet
    ) -> None:
        self.spec, self.c, self.ref, self.fonts = spec, content, ref, fonts
        self.r = content.record

    def p(self, text: Any, field: str, style: ParagraphStyle = BODY) -> Paragraph:
        return Paragraph(self.fonts.markup("" if text is None else str(text), field), style)

    def label(self, text: str) -> Paragraph:
        return Paragraph(self.fonts.markup(text, "case_form"), LABEL)

    def code(self, list_name: str, value: str) -> str:
        return self.ref.label(list_name, value) if value else ""

    # The main table -----------------------------------------------------------------------

    def person_rows(self, person: dict[str, Any], path: str) -> list[list[Any]]:
        groups = "、".join(self.code("target_groups", g) for g in person.get("groups") or [])
        return [
            [
                self.label("姓名"),
                self.p(person["name"], f"{path}.name"),
                self.label("性别"),
                self.p(SEX_WORDS.get(person["sex"], ""), f"{path}.sex"),
            ],
            [
                self.label("出生日期"),
                self.p(person.get("birth_date") or "", f"{path}.birth_date"),
                self.label("证件类型"),
                self.p(self.code("id_types", person["id_type"]), f"{path}.id_type"),
            ],
            [
                self.label("证件号码"),
                self.p(person["id_number"], f"{path}.id_number"),
                self.label("联系电话"),
                self.p(person["phone"], f"{path}.phone"),
            ],
            [
                self.label("职业/单位"),
                self.p(person["occupation"], f"{path}.occupation"),
                self.label("重点人群"),
                self.p(groups, f"{path}.groups"),
            ],
            [self.label("住址"), self.p(person["address"], f"{path}.address"), "", ""],
        ]

    def main_table(self) -> Table:
        r, c = self.r, self.c
        inc = r["incident"]
        received = r["received_by"]
        loss = sum(parse_yuan(t["amount"]) for t in r["transactions"] if t.get("amount"))
        span_rows: list[int] = []
        section_rows: list[int] = []
        rows: list[list[Any]] = []

        def section(title: str) -> None:
            section_rows.append(len(rows))
            rows.append([self.p(title, "case_form", HEAD), "", "", ""])

        def wide(label: str, value: Any, field: str) -> None:
            span_rows.append(len(rows))
            rows.append([self.label(label), self.p(value, field), "", ""])

        section("受案信息")
        rows.append(
            [
                self.label("案件来源"),
                self.p(self.code("case_sources", r["source"]), "source"),
                self.label("报案时间"),
                self.p(_cn(r["reported_at"]), "reported_at"),
            ]
        )
        rows.append(
            [
                self.label("接报民警"),
                self.p(f"{received['name']}（警号{received['badge']}）", "received_by"),
                self.label("登记时间"),
                self.p(_cn(r["registered_at"]), "registered_at"),
            ]
        )
        wide("接报地点", c.unit.text, c.unit.field)
        section("报案人")
        start = len(rows)
        rows += self.person_rows(r["reporter"], "reporter")
        span_rows.append(start + 4)
        section("受害人")
        if r.get("victim"):
            start = len(rows)
            rows += self.person_rows(r["victim"], "victim")
            span_rows.append(start + 4)
        else:
            wide("受害人", "同报案人", "victim")
        section("简要案情")
        rows.append(
            [
                self.label("诈骗类型"),
                self.p(self.code("fraud_types", inc["fraud_type"]), "incident.fraud_type"),
                self.label("接触方式"),
                self.p(
                    self.code("contact_channels", inc["contact_channel"]),
                    "incident.contact_channel",
                ),
            ]
        )
        period = _cn(inc.get("occurred_from"))
        if inc.get("occurred_to"):
            period += f" 至 {_cn(inc['occurred_to'])}"
        wide("案发时间", period, "incident.occurred_from")
        rows.append(
            [
                self.label("发现时间"),
                self.p(_cn(inc.get("discovered_at")), "incident.discovered_at"),
                self.label("报称损失"),
                self.p(format_yuan_display(loss), "transactions"),
            ]
        )
        wide("案发地点", inc["place"], "incident.place")
        wide("案情经过", inc["narrative"], "incident.narrative")
        style = list(GRID_STYLE)
        for i in range(len(rows)):
            if i in section_rows:
                style += [
                    ("SPAN", (0, i), (-1, i)),
                    ("BACKGROUND", (0, i), (-1, i), _grey(SECTION_GREY)),
                ]
                continue
            style.append(("BACKGROUND", (0, i), (0, i), _grey(LABEL_GREY)))
            if i in span_rows:
                style.append(("SPAN", (1, i), (-1, i)))
            else:
                style.append(("BACKGROUND", (2, i), (2, i), _grey(LABEL_GREY)))
        widths = [62, WIDTH / 2 - 62, 62, WIDTH / 2 - 62]
        return Table(rows, colWidths=widths, style=TableStyle(style), repeatRows=0)

    # The lists ----------------------------------------------------------------------------

    def list_table(
        self, title: str, headers: Sequence[str], widths: Sequence[float], rows: list[list[Any]]
    ) -> Table:
        head = [self.p(title, "case_form", HEAD)] + [""] * (len(headers) - 1)
        header_cells = [self.label(h) for h in headers]
        body = rows or [[self.p("无", "case_form")] + [""] * (len(headers) - 1)]
        style = [
            ("GRID", (0, 0), (-1, -1), GRID, "black"),
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), _grey(SECTION_GREY)),
            ("BACKGROUND", (0, 1), (-1, 1), _grey(LABEL_GREY)),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if not rows:
            style.append(("SPAN", (0, 2), (-1, 2)))
        scale = WIDTH / sum(widths)
        return Table(
            [head, header_cells, *body],
            colWidths=[w * scale for w in widths],
            style=TableStyle(style),
            repeatRows=2,
        )

    def transactions(self) -> Table:
        rows = []
        for i, t in enumerate(self.r["transactions"]):
            f = f"transactions[{i}]"
            amount = format_yuan_display(parse_yuan(t["amount"])) if t.get("amount") else ""
            rows.append(
                [
                    self.p(str(i + 1), f, SMALL),
                    self.p(_cn(t.get("at")), f"{f}.at", SMALL),
                    self.p(amount, f"{f}.amount", SMALL),
                    self.p(self.code("transaction_methods", t["method"]), f"{f}.method", SMALL),
                    self.p(
                        _lines(t["payer_bank"], t["payer_account"]), f"{f}.payer_account", SMALL
                    ),
                    self.p(
                        _lines(t["payee_name"], t["payee_bank"], t["payee_account"]),
                        f"{f}.payee_account",
                        SMALL,
                    ),
                    self.p(t["serial_no"], f"{f}.serial_no", SMALL),
                ]
            )
        return self.list_table(
            "资金交易",
            (
                "序号",
                "时间",
                "金额",
                "方式",
                "付款银行、账号",
                "收款户名、银行、账号",
                "交易流水号",
            ),
            (30, 62, 56, 46, 100, 118, 90),
            rows,
        )

    def identifiers(self) -> Table:
        rows = [
            [
                self.p(
                    self.code("identifier_kinds", item["kind"]), f"identifiers[{i}].kind", SMALL
                ),
                self.p(item["value"], f"identifiers[{i}].value", SMALL),
                self.p(item["note"], f"identifiers[{i}].note", SMALL),
            ]
            for i, item in enumerate(self.r["identifiers"])
        ]
        return self.list_table("嫌疑人线索", ("类别", "内容", "备注"), (60, 160, 260), rows)

    def attachments(self) -> Table:
        rows = [
            [
                self.p(a["name"], f"attachments[{i}].name", SMALL),
                self.p(a["media_type"], f"attachments[{i}].media_type", SMALL),
                self.p(
                    f"{a['size']:,}" if a.get("size") is not None else "",
                    f"attachments[{i}]",
                    SMALL,
                ),
                self.p(a["sha256"], f"attachments[{i}].sha256", SMALL),
            ]
            for i, a in enumerate(self.r["attachments"])
        ]
        return self.list_table(
            "证据附件", ("名称", "类型", "字节", "SHA-256"), (130, 80, 50, 220), rows
        )

    def changes(self) -> Table:
        rows = [
            [
                self.p(field_label(ch.field), "case_form", SMALL),
                self.p(_plain(ch.old), ch.field, SMALL),
                self.p(_plain(ch.new), ch.field, SMALL),
            ]
            for ch in self.c.changes[:MAX_CHANGES]
        ]
        if len(self.c.changes) > MAX_CHANGES:
            more = f"另有{len(self.c.changes) - MAX_CHANGES}处修改，见案件修改历史"
            rows.append([self.p(more, "case_form", SMALL), "", ""])
        note = f"（修改说明：{self.c.revision_note}）" if self.c.revision_note else ""
        return self.list_table(
            f"第{self.r['revision']}版修改内容{note}",
            ("项目", "原内容", "新内容"),
            (110, 185, 185),
            rows,
        )

    def opinion(self) -> Table:
        options = "<br/>".join(
            "□ " + self.fonts.markup(o, f"{SETTING_FIELD}.case_form.opinions")
            for o in self.spec.opinions
        )
        gap = "&nbsp;" * 6
        date = f"{gap * 2}年{gap}月{gap}日"
        sign = f"受案民警（签名）：{gap * 4}{date}"
        approve = f"<br/><br/>办案部门负责人（签名）：{gap * 4}{date}"
        rows = [
            [self.label("受案意见"), Paragraph(f"{options}<br/><br/>{sign}", BODY)],
            [self.label("受案审批"), Paragraph(f"领导意见：{approve}", BODY)],
        ]
        style = [
            ("GRID", (0, 0), (-1, -1), GRID, "black"),
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (0, -1), _grey(LABEL_GREY)),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
        return Table(rows, colWidths=[62, WIDTH - 62], style=TableStyle(style))

    # The whole ----------------------------------------------------------------------------

    def meta_line(self) -> Table:
        r = self.r
        revision = f"第{r['revision']}版"
        if self.c.newest_revision != r["revision"]:
            revision += f"（共{self.c.newest_revision}版）"
        marks = [m for m in (self.c.reprint_mark, "已作废" if r.get("void_reason") else "") if m]
        cells = [
            self.p(f"案件编号：{r['case_no']}", "case_no"),
            Paragraph(
                "　".join(self.fonts.markup(m, "case_form", bold=True) for m in marks),
                _style("marks", 10.5, bold=True, align=1),
            ),
            self.p(revision, "revision", _style("rev", 9.5, align=2)),
        ]
        return Table(
            [cells],
            colWidths=[WIDTH * 0.5, WIDTH * 0.25, WIDTH * 0.25],
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )

    def story(self) -> list[Flowable]:
        r = self.r
        story: list[Flowable] = [
            self.p(self.c.unit.text, self.c.unit.field, UNIT),
            Spacer(1, 2),
            _Title(self.fonts, self.spec.title),
            Spacer(1, 4),
            self.meta_line(),
            Spacer(1, 4),
            self.main_table(),
            Spacer(1, 8),
            self.transactions(),
            Spacer(1, 8),
            self.identifiers(),
            Spacer(1, 8),
            self.attachments(),
            Spacer(1, 8),
        ]
        if r["revision"] > 1:
            story += [self.changes(), Spacer(1, 8)]
        story.append(self.opinion())
        if r.get("void_reason"):
            story += [
                Spacer(1, 6),
                self.p(
                    f"本案已于{_cn(r.get('voided_at'))}作废，原因：{r['void_reason']}",
                    "void_reason",
                    _style("void", 10, bold=True),
                ),
            ]
        story += [
            Spacer(1, 6),
            self.p(
                f"本表依据第{r['revision']}版记录（{_cn(r['revised_at'])}，警号{r['revised_by']}）"
                f"生成；该版记录 SHA-256：{r['sha256']}",
                "sha256",
                SMALL,
            ),
        ]
        return story


def render_case_form(
    spec: CaseFormSpec, content: CaseFormContent, ref: ReferenceData, fonts: FontSet
) -> bytes:
    form = _Form(spec, content, ref, fonts)
    story = form.story()
    record = content.record
    header = f"{spec.title}　{record['case_no']}　第{record['revision']}版"
    footer = f"打印：{content.printed_at}　{content.printed_by}"
    fonts.runs(header, f"{SETTING_FIELD}.case_form.title")
    fonts.runs(footer, "printed_by")
    return build_a4(
        story,
        fonts,
        header,
        footer,
        title=f"{spec.title} {record['case_no']} 第{record['revision']}版",
        author=content.unit.text,
        subject=record["case_no"],
    )


def build_a4(
    story: list[Flowable],
    fonts: FontSet,
    header: str,
    footer: str,
    *,
    title: str,
    author: str,
    subject: str,
) -> bytes:
    """Lay out a story on numbered A4 pages with a running header and footer (also used by
    the stop-payment sheet)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator="Fraud Intake Desk",
        invariant=1,
        initialFontName=REGULAR,
    )
    doc.build(story, canvasmaker=_numbered(fonts, header, footer))
    return buf.getvalue()


def _numbered(fonts: FontSet, header: str, footer: str) -> type[Canvas]:
    """A canvas that, once every page is laid out, writes "第 i 页 共 n 页" and the running
    header and footer on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                size = 7.5
                if number > 1:
                    draw(self, fonts, MARGIN, A4[1] - MARGIN + 8, header, "case_form", size)
                draw(self, fonts, MARGIN, MARGIN - 14, footer, "printed_by", size)
                draw(
                    self,
                    fonts,
                    A4[0] - MARGIN,
                    MARGIN - 14,
                    f"第 {number} 页 共 {total} 页",
                    "case_form",
                    size,
                    align="right",
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def _grey(level: float) -> Color:
    return Color(level, level, level)


_cn = cn_datetime


def _lines(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _plain(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
