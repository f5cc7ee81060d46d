"""Downloads: a country's action plan as PDF (reportlab) and Excel, and every plan of a group or workshop."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from common import pdf_fonts, timefmt
from common.exports import xlsx_cell, xlsx_moment, zone_header

PDF_HISTORY = 20  # progress updates shown per action in the plan PDF
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Headers are in the language of the person downloading (one language per file, chosen at download).
ACTION_COLUMNS = [
    "#",
    gettext_lazy("Action"),
    gettext_lazy("DTCA dimension"),
    gettext_lazy("SDGs"),
    gettext_lazy("NDP priority"),
    gettext_lazy("Public-service quality"),
    gettext_lazy("Owner (institution)"),
    gettext_lazy("First step"),
    gettext_lazy("Time frame"),
    gettext_lazy("Obstacles"),
    gettext_lazy("How to overcome them"),
    gettext_lazy("Status"),
    gettext_lazy("Progress note"),
    gettext_lazy("Last changed by"),
]
INK = colors.HexColor("#1b2a41")
MUTED = colors.HexColor("#5c6773")
RULE = colors.HexColor("#d0d7de")
HEAD = colors.HexColor("#e9eef5")


def _when(moment, workshop) -> str:
    """A moment of the plan in the workshop's reference zone (a document shared by the whole team)."""
    return timefmt.reference_text(moment, workshop, date="day_year")


def action_columns(workshop) -> list[str]:
    """The action columns; the last is a real date cell, its wall time in the workshop's reference zone."""
    return [*(str(column) for column in ACTION_COLUMNS), zone_header(_("Last changed"), workshop)]


def _sdgs(action_or_priority) -> str:
    return ", ".join(f"{s.number} {s.short_name}" for s in action_or_priority.sdgs.all())


def action_values(action, workshop) -> list:
    return [
        getattr(action, "number", ""),
        action.title,
        action.dimension.name,
        _sdgs(action),
        action.priority.title if action.priority_id else "",
        ", ".join(q.name for q in action.qualities.all()),
        action.owner,
        action.first_step,
        action.get_time_frame_display(),
        action.obstacles,
        action.overcoming,
        action.get_status_display(),
        action.progress_note,
        str(action.updated_by.user) if action.updated_by_id else "",
        xlsx_moment(action.updated_at, workshop.tz),
    ]


# --------------------------------------------------------------------------- Excel


def _row(sheet, values, *, bold=False):
    cells = []
    for value in values:
        # What people typed stays a string cell exactly as typed: never a formula, no apostrophe added.
        cell = xlsx_cell(sheet, value)
        if isinstance(value, str):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_xlsx(context: dict) -> bytes:
    workshop, cohort, country = context["workshop"], context["cohort"], context["country"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Actions"))
    sheet.freeze_panes = "C2"
    for letter, width in zip(
        "ABCDEFGHIJKLMNO", (4, 40, 22, 28, 30, 26, 28, 36, 16, 36, 36, 12, 36, 22, 20), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    _row(sheet, action_columns(workshop), bold=True)
    for action in context["actions"]:
        _row(sheet, action_values(action, workshop))
    priorities = workbook.create_sheet(_("NDP priorities"))
    for letter, width in zip("ABCD", (4, 40, 30, 60), strict=True):
        priorities.column_dimensions[letter].width = width
    _row(
        priorities,
        ["#", _("Priority"), _("SDGs it serves"), _("How innovation and digital transformation help")],
        bold=True,
    )
    for number, priority in enumerate(context["priorities"], start=1):
        _row(priorities, [number, priority.title, _sdgs(priority), priority.digital_contribution])
    about = workbook.create_sheet(_("About"))
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 80
    for key, value in [
        (_("Workshop"), workshop.title),
        (_("Group"), cohort.name),
        (_("Country"), country.name),
        (_("Team"), ", ".join(str(m.user) for m in context["members"])),
        (zone_header(_("Downloaded"), workshop), xlsx_moment(timezone.now(), workshop.tz)),
        (_("Follow-up"), _schedule_text(context.get("schedule") or [], workshop)),
    ]:
        _row(about, [key, value])
    return _save(workbook)


def plans_xlsx(workshop, groups) -> bytes:
    """Every action of the given groups' plans, and the count of actions per dimension by country."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Actions"))
    sheet.freeze_panes = "D2"
    _row(sheet, [_("Group"), _("Country"), *action_columns(workshop)], bold=True)
    for group in groups:
        for row in group.countries:
            for action in row.actions:
                _row(sheet, [group.cohort.name, row.country.name, *action_values(action, workshop)])
    counts = workbook.create_sheet(_("Actions per dimension"))
    for group in groups:
        _row(counts, [_("Group"), _("Country"), *[d.name for d in group.dimensions], _("Total")], bold=True)
        for row in group.countries:
            _row(counts, [group.cohort.name, row.country.name, *row.by_dimension, len(row.actions)])
        totals = group.totals_by_dimension
        _row(counts, [group.cohort.name, _("All countries"), *totals, sum(totals)], bold=True)
        _row(counts, [])
    about = workbook.create_sheet(_("About"))
    _row(about, [_("Workshop"), workshop.title])
    _row(about, [_("Groups"), ", ".join(group.cohort.name for group in groups)])
    _row(about, [zone_header(_("Downloaded"), workshop), xlsx_moment(timezone.now(), workshop.tz)])
    return _save(workbook)


def _schedule_text(schedule, workshop) -> str:
    return "; ".join(
        ngettext("%(months)s month: %(date)s", "%(months)s months: %(date)s", m.months)
        % {"months": m.months, "date": timefmt.date_text(m.at, "full_day_year", zone=workshop.tz)}
        for m in schedule
    )


# --------------------------------------------------------------------------- PDF


def _styles():
    base = pdf_fonts.stylesheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], alignment=TA_LEFT, textColor=INK, fontSize=20),
        "meta": ParagraphStyle("meta", parent=base["Normal"], textColor=MUTED, fontSize=9, leading=12),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], textColor=INK, spaceBefore=10),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], textColor=INK, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", parent=base["Normal"], fontSize=9.5, leading=12.5),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontSize=8.5, leading=10.5),
        "label": ParagraphStyle("label", parent=base["Normal"], fontSize=8.5, leading=10.5, textColor=MUTED),
    }


def _p(text, style) -> Paragraph:
    """A paragraph of user text: markup characters escaped, line breaks kept."""
    return pdf_fonts.TextParagraph(str(text or ""), style)


def _grid(rows, widths, *, header=False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.SANS),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD))
    table.setStyle(TableStyle(style))
    return table


def plan_pdf(context: dict) -> bytes:
    workshop, cohort, country = context["workshop"], context["cohort"], context["country"]
    styles = _styles()
    buffer = io.BytesIO()
    title = _("Action plan · %(country)s · %(group)s") % {"country": country.name, "group": cohort.name}
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        initialFontName=pdf_fonts.SANS,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=title,
        author=", ".join(str(m.user) for m in context["members"]) or "Workshop Portal",
        subject=workshop.title,
    )
    width = A4[0] - 3.6 * cm
    story = [
        _p(title, styles["title"]),
        _p(workshop.title, styles["body"]),
        Spacer(1, 4),
        _p(
            _("Team: %(members)s") % {"members": ", ".join(str(m.user) for m in context["members"]) or "—"},
            styles["meta"],
        ),
        _p(_("Downloaded %(when)s") % {"when": _when(timezone.now(), workshop)}, styles["meta"]),
    ]
    plan = context["plan"]
    if plan is not None and plan.updated_at:
        when = _when(plan.updated_at, workshop)
        if plan.updated_by_id:
            line = _("Last changed %(when)s by %(who)s") % {"when": when, "who": plan.updated_by.user}
        else:
            line = _("Last changed %(when)s") % {"when": when}
        story.append(_p(line, styles["meta"]))

    actions = context["actions"]
    statuses = ", ".join(f"{count} {label.lower()}" for _, label, count, _ in context["statuses"] if count)
    story += [
        _p(_("Actions (%(count)s)") % {"count": len(actions)}, styles["h2"]),
        _p(statuses or _("No actions yet."), styles["body"]),
    ]
    if actions:
        rows = [[_p(h, styles["label"]) for h in ("#", _("Action"), _("Dimension"), _("Time frame"), _("Status"))]]
        for action in actions:
            rows.append(
                [
                    _p(action.number, styles["cell"]),
                    _p(action.title, styles["cell"]),
                    _p(action.dimension.name, styles["cell"]),
                    _p(action.get_time_frame_display(), styles["cell"]),
                    _p(action.get_status_display(), styles["cell"]),
                ]
            )
        story += [Spacer(1, 4), _grid(rows, [0.8 * cm, width - 10.3 * cm, 4 * cm, 3 * cm, 2.5 * cm], header=True)]

    if context["priorities"]:
        story.append(_p(_("Our National Development Plan priorities"), styles["h2"]))
        for number, priority in enumerate(context["priorities"], start=1):
            story.append(
                KeepTogether(
                    [
                        _p(f"{number}. {priority.title}", styles["h3"]),
                        _p(_("SDGs: %(sdgs)s") % {"sdgs": _sdgs(priority)}, styles["meta"]),
                        _p(priority.digital_contribution, styles["body"]),
                    ]
                )
            )

    if actions:
        story.append(_p(_("The actions in detail"), styles["h2"]))
    for action in actions:
        fields = [
            (_("DTCA dimension"), action.dimension.name),
            (_("SDGs"), _sdgs(action)),
            (_("NDP priority"), action.priority.title if action.priority_id else ""),
            (_("Public-service quality"), ", ".join(q.name for q in action.qualities.all())),
            (_("Owner (institution)"), action.owner),
            (_("First step"), action.first_step),
            (_("Time frame"), action.get_time_frame_display()),
            (_("Obstacles"), action.obstacles),
            (_("How to overcome them"), action.overcoming),
            (_("Status"), action.get_status_display()),
            (_("Progress note"), action.progress_note),
        ]
        rows = [[_p(label, styles["label"]), _p(value or "—", styles["cell"])] for label, value in fields]
        # The newest updates only: a plan's PDF stays a readable document however often a team saves.
        history = list(action.updates.all())
        hidden = max(len(history) - PDF_HISTORY, 0)
        history = history[:PDF_HISTORY]
        # One table row per update: a row never grows taller than a page (each note is bounded), so the
        # document can always break between them.
        entries = [
            f"{timefmt.date_text(update.at, 'day_year', zone=workshop.tz)} · {update.get_status_display()}"
            + (f" · {update.by.user}" if update.by_id else "")
            + (f": {update.note}" if update.note else "")
            for update in history
        ]
        if hidden:
            entries.append(
                ngettext(
                    "… and %(count)s earlier update (see the plan page).",
                    "… and %(count)s earlier updates (see the plan page).",
                    hidden,
                )
                % {"count": hidden}
            )
        for index, entry in enumerate(entries):
            label = _p(_("Progress history") if index == 0 else "", styles["label"])
            rows.append([label, _p(entry, styles["cell"])])
        changed = ""
        if action.updated_by_id:
            changed = _("Last changed by %(who)s, %(when)s") % {
                "who": action.updated_by.user,
                "when": _when(action.updated_at, workshop),
            }
            if action.last_change:
                changed += f" ({action.last_change_display})"
        story.append(
            KeepTogether(
                [
                    _p(f"{action.number}. {action.title}", styles["h3"]),
                    _grid(rows, [4 * cm, width - 4 * cm]),
                    _p(changed, styles["meta"]),
                ]
            )
        )
    schedule = context.get("schedule") or []
    if schedule:
        story += [
            _p(_("Follow-up"), styles["h2"]),
            _p(
                _("The portal reminds the team to update each action's status and note progress: %(schedule)s.")
                % {"schedule": _schedule_text(schedule, workshop)},
                styles["body"],
            ),
        ]

    def page_footer(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(MUTED)
        pdf_fonts.draw(canvas, 1.8 * cm, 1 * cm, title, 8)
        canvas.setFont(pdf_fonts.SANS, 8)
        canvas.drawRightString(A4[0] - 1.8 * cm, 1 * cm, _("Page %(number)d") % {"number": doc.page})
        canvas.restoreState()

    document.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
    return buffer.getvalue()
