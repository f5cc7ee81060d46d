"""The one place a download is made safe: spreadsheet-safe CSV cells, CSV streaming, attachment headers.

Every CSV export in the portal writes its cells through :func:`spreadsheet_safe` (via :func:`csv_lines` or
:func:`csv_text`), so a cell someone typed as ``=1+2`` or ``@SUM(...)`` is shown as text and never run as a
formula (OWASP "CSV injection"). XLSX exports keep what people typed as string cells (:func:`xlsx_text`), with
no apostrophe: a string cell is never a formula, and Excel's 32,767-character cell limit is respected.
Moments are real date cells (:func:`xlsx_moment`: the wall time in the workshop's reference zone, the zone named
in the column header by :func:`zone_header`), rates are fractions shown as percentages (:func:`xlsx_rate`), and
counts are integers, so a spreadsheet can sort, filter and sum them.
"""

from __future__ import annotations

import contextlib
import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet runs a cell as a formula when its first character (after any leading whitespace, for some
# programs) is one of these; tab and carriage return also start a formula in some importers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel refuses (or truncates) a cell longer than this.
XLSX_CELL_LIMIT = 32_767
TRUNCATION_MARK = " […]"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"  # a moment in an XLSX cell, wall time in the zone its header names
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"  # a rate stored as a fraction (0.85) and shown as 85%
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with a byte-order mark


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet shows as text and never runs: an apostrophe before anything formula-like.

    Leading spaces do not hide a formula (`` =1+2`` is run by some programs), so they are looked through.
    Numbers and other non-text values are returned unchanged.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_value(value):
    """A CSV cell: a moment as ``YYYY-MM-DD HH:MM`` (wall time, its zone in the header), the rest spreadsheet-safe."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return spreadsheet_safe(value)


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable], *, bom: bool = True) -> Iterator[str]:
    """The CSV file line by line, every cell (header included) through :func:`csv_value`."""
    writer = csv.writer(_Echo())
    first = writer.writerow([csv_value(v) for v in header])
    yield (BOM + first) if bom else first
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


def csv_text(header: Iterable, rows: Iterable[Iterable], *, bom: bool = False, lineterminator: str = "\r\n") -> str:
    """The whole CSV as one string (for small files shown in a page as well as downloaded)."""
    text = "".join(csv_lines(header, rows, bom=bom))
    return text.replace("\r\n", lineterminator) if lineterminator != "\r\n" else text


def printable(value: str) -> str:
    """Without the control characters that XLSX and PDF cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def xlsx_text(value):
    """A text for an XLSX cell: what was typed, without the characters XLSX cannot hold, within Excel's limit."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    if len(value) > XLSX_CELL_LIMIT:
        value = value[: XLSX_CELL_LIMIT - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return value


def xlsx_moment(moment, tz):
    """An aware moment as the naive wall time in ``tz`` (XLSX has no zones), to the second; None stays None."""
    if moment is None:
        return None
    return moment.astimezone(tz).replace(tzinfo=None, microsecond=0)


def zone_header(title: str, workshop) -> str:
    """A column header for moments: the title and the reference zone its wall times are in."""
    return f"{title} ({workshop.reference_timezone_label})"


def xlsx_cell(sheet, value, **style):
    """A write-only cell; a text is always a string cell (never a formula), exactly as typed.

    A datetime must be naive (see :func:`xlsx_moment`) and gets :data:`DATETIME_FORMAT` (a date
    :data:`DATE_FORMAT`) unless ``number_format`` is given.
    """
    value = xlsx_text(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        raise ValueError("XLSX holds no zone: pass the moment through xlsx_moment() first")
    if isinstance(value, date) and "number_format" not in style:
        style["number_format"] = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    for name, attribute in style.items():
        setattr(cell, name, attribute)
    return cell


def xlsx_rate(sheet, fraction, **style):
    """A rate as a number (0.85) shown as a percentage (85%); None is an empty cell."""
    return xlsx_cell(sheet, fraction, number_format=PERCENT_FORMAT, **style)


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _ascii_fallback(filename: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = _UNSAFE_NAME.sub("-", ascii_name).strip("-.") or "download"
    return ascii_name[:150]


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """An RFC 6266 Content-Disposition value: a plain ASCII ``filename`` and the exact ``filename*`` (UTF-8)."""
    filename = "".join(ch for ch in filename if ch.isprintable() and ch not in '"\\/') or "download"
    kind = "inline" if inline else "attachment"
    fallback = _ascii_fallback(filename)
    if fallback == filename:
        return f'{kind}; filename="{filename}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment(response: HttpResponse | StreamingHttpResponse, filename: str, *, inline: bool = False):
    """Mark ``response`` as a download named ``filename`` and return it."""
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def zip_response(filename: str, archive) -> StreamingHttpResponse:
    """A zip download streamed from ``archive`` (a zipstream, or an open file), sized when the archive knows it."""
    response = StreamingHttpResponse(archive, content_type="application/zip")
    # A zip built while it streams, or an open file, has no size in advance.
    with contextlib.suppress(TypeError, RuntimeError):
        response["Content-Length"] = str(len(archive))
    return attachment(response, filename)


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A streamed, spreadsheet-safe CSV download (UTF-8 with a byte-order mark)."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    return attachment(response, filename)
