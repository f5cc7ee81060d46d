"""Downloads for organizers: the nominations, the selection and the summary per country, as CSV or XLSX.

Every text cell is spreadsheet-safe: a name or motivation typed as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from common.exports import attachment, csv_text, xlsx_cell

from . import selectors
from .models import Call, Nomination

TABLES = ("nominations", "selection", "summary")


def _nomination_rows(call: Call, *, selection: bool):
    nominations = Nomination.objects.filter(call=call).select_related("country", "proposed_cohort", "nominated_by")
    if selection:
        nominations = nominations.filter(status=Nomination.Status.ACCEPTED)
    else:
        nominations = nominations.exclude(status=Nomination.Status.UNCONFIRMED)
    for n in nominations.order_by("country__name", "rank", "last_name").iterator(chunk_size=1000):
        row = [
            n.country.code,
            n.country.name,
            n.first_name,
            n.last_name,
            n.email,
            n.institution,
            n.position,
            n.get_seniority_display() if n.seniority else "",
            n.get_gender_display() if n.gender else "",
        ]
        if selection:
            row.append(n.proposed_cohort.name if n.proposed_cohort else "")
            row.append(_("yes") if n.participant_id else _("no"))
        else:
            row += [n.rank or "", n.get_source_display(), n.get_status_display(), n.decision_note, n.motivation]
        yield row


def table(call: Call, what: str) -> tuple[list[str], object]:
    person = [
        _("Country code"),
        _("Country"),
        _("First name"),
        _("Last name"),
        _("E-mail"),
        _("Institution"),
        _("Position"),
        _("Seniority"),
        _("Gender"),
    ]
    if what == "nominations":
        return [*person, _("Rank"), _("Source"), _("Status"), _("Note"), _("Motivation")], _nomination_rows(
            call, selection=False
        )
    if what == "selection":
        return [*person, _("Group"), _("Enrolled")], _nomination_rows(call, selection=True)
    header = [
        _("Country"),
        _("Nominated"),
        _("Accepted"),
        _("Waitlisted"),
        _("Declined"),
        _("Withdrawn"),
        _("Women"),
        _("Men"),
        _("Other or not given"),
    ]
    rows = (
        [
            r["country"].name,
            r["nominated"],
            r["accepted"],
            r["waitlisted"],
            r["declined"],
            r["withdrawn"],
            r["women"],
            r["men"],
            r["other_or_not_given"],
        ]
        for r in selectors.summary(call)
    )
    return header, rows


def response(call: Call, what: str, fmt: str) -> HttpResponse:
    header, rows = table(call, what)
    name = f"{call.workshop.slug}-{what}-{timezone.now():%Y%m%d}.{fmt}"
    if fmt == "csv":
        result = HttpResponse(csv_text(header, rows, bom=True), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(what[:31])
        sheet.append([xlsx_cell(sheet, cell) for cell in header])
        for row in rows:
            sheet.append([xlsx_cell(sheet, cell) for cell in row])
        data = io.BytesIO()
        book.save(data)
        result = HttpResponse(
            data.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    return attachment(result, name)
