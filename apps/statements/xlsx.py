"""The statements as an XLSX workbook (openpyxl): one sheet per statement, figures in the reader's unit."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import Notes, Statement
from .units import ROUNDING_NOTE, Unit

NUMBER_FORMAT = "#,##0;-#,##0"


def _sheet(workbook: Workbook, statement: Statement, unit: Unit) -> None:
    sheet = workbook.create_sheet(statement.title_ko)
    bold = Font(bold=True)
    sheet.append([f"{statement.title_ko} ({statement.title_en})"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([statement.scope.name_ko, statement.scope.name_en])
    sheet.append(["기간 / Period", str(statement.period), "전기 / Prior period", str(statement.prior_period)])
    sheet.append(["단위 / Unit", f"{unit.label_ko} ({unit.label_en})"])
    sheet.append([])
    sheet.append(["과목", "Item", f"당기 {statement.period.date_to:%Y}", f"전기 {statement.prior_period.date_to:%Y}"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in statement.rows:
        if row.is_heading:
            sheet.append([row.label_ko, row.label_en])
            sheet.cell(sheet.max_row, 1).font = bold
            continue
        sheet.append([row.label_ko, row.label_en, unit.of(row.amount), unit.of(row.prior)])
        for column in (3, 4):
            sheet.cell(sheet.max_row, column).number_format = NUMBER_FORMAT
        if row.kind in ("subtotal", "total"):
            for column in range(1, 5):
                sheet.cell(sheet.max_row, column).font = bold
    sheet.append([])
    for check in statement.checks:
        sheet.append([check.label_ko, check.label_en, "OK" if check.ok else "NOT OK"])
    for ko, en in statement.notes:
        sheet.append([ko])
        sheet.append([en])
    sheet.append([str(ROUNDING_NOTE)])
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 44
    sheet.column_dimensions["C"].width = 22
    sheet.column_dimensions["D"].width = 22


def _notes_sheet(workbook: Workbook, notes: Notes) -> None:
    sheet = workbook.create_sheet("주석")
    sheet.append(["주석 (Notes)"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["마감된 회계연도", "Fiscal years closed"])
    for fund in notes.closed_years:
        sheet.append([fund.name_ko, fund.name_en, ", ".join(str(y) for y in fund.years) or "-"])
    sheet.append([])
    sheet.append(["계정", "Account", "현금흐름 구분", "Cash-flow activity"])
    for row in notes.classification:
        sheet.append([f"{row.code} {row.name_ko}", row.name_en, row.activity_ko, row.activity_en])
    sheet.append([])
    sheet.append([str(ROUNDING_NOTE)])
    for column, width in zip("ABCD", (36, 44, 22, 22), strict=True):
        sheet.column_dimensions[column].width = width


def workbook_bytes(statements: list[Statement], unit: Unit, notes: Notes | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for statement in statements:
        _sheet(workbook, statement, unit)
    if notes is not None:
        _notes_sheet(workbook, notes)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
