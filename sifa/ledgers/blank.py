"""The downloadable import template: Chinese headers (required ones in red),
one example row (the importer recognises and skips it), drop-down lists for
coded columns, text format for ID numbers and phones (so Excel keeps every
digit), and a 填写说明 sheet describing every column."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from sifa.kit.ledger import Ledger

from . import xlsx

TEMPLATE_ROWS = 2000  # rows prepared with drop-downs and text format


def build_template(ledger: Ledger) -> bytes:
    cols = ledger.import_columns()
    wb = Workbook()
    ws = wb.active
    ws.title = ledger.sheet_name
    lists = wb.create_sheet("选项")
    lists.sheet_state = "hidden"
    for i, c in enumerate(cols, start=1):
        letter = get_column_letter(i)
        head = ws.cell(row=1, column=i)
        xlsx.set_value(head, c.header)
        xlsx.styled_header(head, required=c.required)
        head.comment = Comment(("必填。" if c.required else "选填。") + (c.note or ""), "sifa")
        ex = ws.cell(row=2, column=i)
        xlsx.set_value(ex, c.example or None)
        ex.font = Font(italic=True, color="808080")
        ws.column_dimensions[letter].width = max(c.width, len(c.header) * 2 + 2)
        if c.party and c.party[1] in ("id_number", "phone"):
            for r in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=r, column=i).number_format = "@"
        if c.choices:
            for r, label in enumerate(c.choices, start=1):
                xlsx.set_value(lists.cell(row=r, column=i), label)
            ref = f"{quote_sheetname('选项')}!${letter}$1:${letter}${len(c.choices)}"
            dv = DataValidation(type="list", formula1=ref, allow_blank=not c.required, showErrorMessage=True)
            dv.error, dv.errorTitle = "请从下拉列表中选择。", c.header
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("填写说明")
    for i, h in enumerate(["列名", "是否必填", "填写要求", "可选值", "示例"], start=1):
        cell = guide.cell(row=1, column=i)
        xlsx.set_value(cell, h)
        xlsx.styled_header(cell)
    for r, c in enumerate(cols, start=2):
        for i, v in enumerate([c.header, "必填" if c.required else "选填", c.note, "、".join(c.choices), c.example], start=1):
            cell = guide.cell(row=r, column=i)
            xlsx.set_value(cell, v)
            cell.alignment = xlsx.WRAP
    tips = [
        "第1行为列名，请勿修改；第2行灰色斜体为示例，可保留（导入时自动忽略）或删除。",
        "列的顺序可以调整，多余的列会被忽略；红色列名为必填列。",
        "一次导入全部成功或全部不写入：任何一行有错误，都不会写入任何数据，并列出每处错误所在的行、列和原因。",
        "也可以导入 CSV 文件（UTF-8 或 GB18030 编码），列名与本模板相同。",
    ]
    start = len(cols) + 3
    for k, t in enumerate(tips):
        xlsx.set_value(guide.cell(row=start + k, column=1), f"{k + 1}. {t}")
    for letter, w in zip("ABCDE", (20, 10, 40, 50, 22), strict=True):
        guide.column_dimensions[letter].width = w
    return xlsx.to_bytes(wb)
