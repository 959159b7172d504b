"""Writing a report's tables to CSV, XLSX and PDF so that the same data always gives the same bytes.

Nothing in a file says when it was made: XLSX metadata dates and the zip entries' dates are fixed, the
PDF is written in ReportLab's invariant mode (no creation date, a fixed document id), and every table
arrives already in a stable order (each report sorts its rows by their keys).
"""

import datetime
import io
import re
import zipfile
from decimal import Decimal

from peercert.core import csvexport

# The date every XLSX says it was created and modified: the start of the zip format's epoch.
FIXED_MOMENT = datetime.datetime(1980, 1, 1, 0, 0, 0)
CREATOR = "PeerCert"


def cell(value):
    """A value as a file holds it: dates in ISO form, money with two decimals, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return value


def to_csv(tables) -> bytes:
    """Every table one after the other: a line naming the table, its header, its rows, a blank line."""
    rows: list[list] = []
    for table in tables:
        rows.append(["table", table.spec.name])
        rows.append([field.name for field in table.spec.fields])
        rows.extend([cell(v) for v in row] for row in table.rows)
        rows.append([])
    return csvexport.csv_text(rows).encode("utf-8")


# openpyxl stamps the save time into the workbook's core properties whatever they were set to.
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _normalized_zip(data: bytes) -> bytes:
    """The same zip with every entry's date fixed, in the order written, and the workbook's "modified"
    property fixed (openpyxl stamps the clock into both)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_MOMENT.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(
                    rb"\g<1>" + FIXED_MOMENT.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content
                )
            target.writestr(fixed, content)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return None
    return csvexport.safe_cell(value) if isinstance(value, str) else value


def to_xlsx(tables, *, title: str) -> bytes:
    """One sheet per table, its header bold and frozen; metadata dates fixed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.spec.name[:31])
        sheet.append([field.name for field in table.spec.fields])
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
    props = workbook.properties
    props.creator = CREATOR
    props.lastModifiedBy = CREATOR
    props.title = title
    props.created = FIXED_MOMENT
    props.modified = FIXED_MOMENT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalized_zip(buffer.getvalue())


def to_pdf(*, title: str, subtitle: str, sections) -> bytes:
    """A PDF from sections: each (heading, paragraphs, tables, charts), written in invariant mode.

    tables: TableData to draw as tables; charts: ChartSpec(title, categories, series {name: values}).
    """
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=title,
        author=CREATOR,
        creator=CREATOR,
        producer=CREATOR,
        subject=subtitle,
        invariant=1,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
    )
    story = [Paragraph(title, styles["Title"]), Paragraph(subtitle, styles["Normal"]), Spacer(1, 12)]
    palette = [colors.HexColor("#005ea2"), colors.HexColor("#e5a000"), colors.HexColor("#00a91c")]
    for section in sections:
        story.append(Paragraph(section.heading, styles["Heading2"]))
        for text in section.paragraphs:
            story.append(Paragraph(text, styles["Normal"]))
        for chart in section.charts:
            if not chart.categories:
                # Nothing to draw (ReportLab cannot scale an empty axis): say so instead.
                story.append(Paragraph(f"{chart.title}: no data for this period.", styles["Normal"]))
                continue
            drawing = Drawing(460, 230)
            drawing.add(String(0, 215, chart.title, fontName="Helvetica-Bold", fontSize=10))
            bars = VerticalBarChart()
            bars.x, bars.y, bars.width, bars.height = 40, 50, 400, 150
            bars.data = [tuple(float(v or 0) for v in values) for values in chart.series.values()]
            bars.categoryAxis.categoryNames = [str(c) for c in chart.categories]
            bars.categoryAxis.labels.angle = 45 if len(chart.categories) > 6 else 0
            bars.categoryAxis.labels.boxAnchor = "ne" if len(chart.categories) > 6 else "n"
            bars.categoryAxis.labels.fontSize = 7
            bars.valueAxis.valueMin = 0
            for index in range(len(bars.data)):
                bars.bars[index].fillColor = palette[index % len(palette)]
            drawing.add(bars)
            legend = Legend()
            legend.x, legend.y = 300, 225
            legend.fontSize = 8
            legend.columnMaximum = 1
            legend.colorNamePairs = [(palette[i % len(palette)], name) for i, name in enumerate(chart.series)]
            drawing.add(legend)
            story.extend([Spacer(1, 6), drawing, Spacer(1, 6)])
        for table in section.tables:
            data = [[field.name for field in table.spec.fields]] + [[str(cell(v)) for v in row] for row in table.rows]
            grid = Table(data, repeatRows=1, hAlign="LEFT")
            grid.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
                        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7),
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe1e2")),
                    ]
                )
            )
            story.append(
                KeepTogether([Paragraph(table.spec.title, styles["Heading4"]), grid]) if len(data) < 30 else grid
            )
            story.append(Spacer(1, 8))
    document.build(story)
    return buffer.getvalue()
