"""Roster files: a forged XLSX dimension or a flood of rows stops at the limit while reading; a CSV that mixes
encodings is refused with the lines to fix, never decoded into "JosÃ©"."""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from participants.roster import MAX_LINES, MAX_ROWS, RosterFileError, read_roster_file

HEADER = ["email", "first_name", "last_name", "country", "group"]
MB = 1024 * 1024


def xlsx(rows, *, dimension: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    # Rewrite the sheet's declared dimension, as a hostile or broken program would write it.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
                assert count == 1
            out.writestr(info, data)
    return target.getvalue()


def person(number: int) -> list[str]:
    return [f"p{number}@example.org", "Pat", f"Person {number}", "JM", "Group A"]


def read_measured(name, data):
    tracemalloc.start()
    started = time.monotonic()
    try:
        return read_roster_file(name, data)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 20 * MB, f"peak {peak / MB:.0f} MB"
        assert time.monotonic() - started < 10


def test_a_forged_dimension_with_too_many_rows_stops_at_the_limit_in_bounded_memory():
    """Each row was padded to the 16,384 columns the dimension claims and all rows were built before counting."""
    data = xlsx([person(n) for n in range(MAX_ROWS + 500)], dimension="A1:XFD1048576")
    with pytest.raises(RosterFileError, match=f"more than {MAX_ROWS:,} participants"):
        read_measured("roster.xlsx", data)


def test_a_forged_dimension_on_a_small_roster_reads_only_the_stored_rows():
    data = xlsx([person(1), person(2)], dimension="A1:XFD1048576")
    rows = read_measured("roster.xlsx", data)
    assert [row.email for row in rows] == ["p1@example.org", "p2@example.org"]


def test_reading_stops_at_the_row_limit():
    data = xlsx([person(n) for n in range(MAX_ROWS + 50)])
    with pytest.raises(RosterFileError, match=f"more than {MAX_ROWS:,} participants"):
        read_roster_file("roster.xlsx", data)


def test_a_flood_of_empty_lines_is_refused():
    text = ",".join(HEADER) + "\n" + ",,,,\n" * (MAX_LINES + 5) + ",".join(person(1)) + "\n"
    with pytest.raises(RosterFileError, match="more than"):
        read_roster_file("roster.csv", text.encode())


def test_the_row_limit_itself_is_accepted():
    text = ",".join(HEADER) + "\n" + "".join(",".join(person(n)) + "\n" for n in range(MAX_ROWS))
    assert len(read_roster_file("roster.csv", text.encode())) == MAX_ROWS


def test_a_csv_mixing_utf8_and_cp1252_names_the_lines_that_do_not_decode():
    data = (
        b"email,first_name,last_name,country,group\n"
        + "jose@example.org,José,Pérez,JM,Group A\n".encode()
        + "ana@example.org,Ana,Müller,JM,Group A\n".encode("cp1252")
        + b"bob@example.org,Bob,Smith,JM,Group A\n"
    )
    with pytest.raises(RosterFileError, match=r"line\(s\) 3 are not UTF-8"):
        read_roster_file("roster.csv", data)


def test_a_csv_saved_entirely_in_cp1252_is_still_read():
    data = "email,first_name,last_name,country,group\nana@example.org,Ana,Müller,JM,Group A\n".encode("cp1252")
    (row,) = read_roster_file("roster.csv", data)
    assert row.values["last_name"] == "Müller"


def test_a_utf8_csv_with_a_byte_order_mark_is_read():
    data = "\ufeffemail,first_name,last_name,country,group\njose@example.org,José,Pérez,JM,Group A\n".encode()
    (row,) = read_roster_file("roster.csv", data)
    assert row.full_name == "José Pérez"
