"""The report as a sequence of blocks (headings, paragraphs, tables, charts) that the PDF and DOCX writers both
render, so the two files always say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common import timefmt
from nominations.models import Nomination

from .selectors import GENDER_ORDER, NOT_KNOWN, SENIORITY_ORDER, STATUS_ORDER, ReportData

NOT_A_BENCHMARK = gettext_lazy(
    "Not a benchmark. The DTCA is a self-assessment to find gaps and where to act. Countries are listed "
    "alphabetically and are never ranked; this report shows each group's profile, not any country's scores."
)


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: a section (in the contents), 2: a subsection


@dataclass
class Para:
    text: str
    style: str = "body"  # body, note, quote


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    headers: list[str]
    rows: list[list]
    widths: list[float] | None = None  # shares of the width
    numeric_from: int = 1  # columns from this index are right-aligned


@dataclass
class Chart:
    """A chart the PDF draws (reports.pdf.chart_drawing) and the DOCX shows as a picture of the same drawing, each
    followed by ``table`` (the same figures) where the chart has one; the page shows the table."""

    kind: str  # "stacked", "bars", "profile", "lines"
    data: dict
    table: Table | None = None
    caption: str = ""


@dataclass
class PageBreak:
    pass


@dataclass
class Document:
    title: str
    subtitle: str
    scope: str
    period: str
    made: str
    organizers: list[str]
    blocks: list = field(default_factory=list)

    def add(self, *blocks):
        self.blocks.extend(blocks)

    @property
    def sections(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading) and b.level == 1]


def moment(value: datetime | None, workshop) -> str:
    """A moment in the workshop's reference zone, with its label: a document every partner reads alike."""
    if value is None:
        return "—"
    return timefmt.reference_text(value, workshop, date="day_year")


def day(value: datetime | None, workshop) -> str:
    if value is None:
        return "—"
    return timefmt.date_text(value, "full_day_year", zone=workshop.tz)


def number(value: float | None, places: int = 2) -> str | None:
    """A mean or a score with a fixed number of decimals, in the reader's language ("4.00", "3.70" line up);
    the XLSX keeps the numbers themselves."""
    return None if value is None else formats.number_format(round(value, places), places)  # it would cut, not round


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def build(data: ReportData) -> Document:
    workshop = data.workshop
    first, last = data.period
    document = Document(
        title=workshop.title,
        subtitle=workshop.subtitle,
        scope=data.scope_label,
        period=f"{day(first, workshop)} – {day(last, workshop)}" if first else _("Not scheduled"),
        made=moment(data.made_at, workshop),
        organizers=[o.name for o in workshop.organizers.all()],
    )
    _participation(document, data)
    _programme(document, data)
    _dtca(document, data)
    _evaluations(document, data)
    _actions(document, data)
    _closing(document, data)
    if data.include_names and data.participation.annex is not None:
        _annex(document, data)
    return document


def _participation(doc: Document, data: ReportData):
    p = data.participation
    doc.add(Heading(_("Participation")))
    # Each count gets its own plural (one sentence with five numbers cannot agree with all of them).
    countries = ngettext("%(count)d country", "%(count)d countries", p.country_count) % {"count": p.country_count}
    institutions = ngettext("%(count)d institution", "%(count)d institutions", p.institution_count) % {
        "count": p.institution_count
    }
    took_part = ngettext(
        "%(enrolled)d participant from %(countries)s and %(institutions)s took part.",
        "%(enrolled)d participants from %(countries)s and %(institutions)s took part.",
        p.enrolled,
    ) % {"enrolled": p.enrolled, "countries": countries, "institutions": institutions}
    attended = ngettext(
        "%(all)d attended every session;",
        "%(all)d attended every session;",
        p.attended_all,
    ) % {"all": p.attended_all}
    certified = ngettext(
        "%(certificates)d received a certificate of participation.",
        "%(certificates)d received a certificate of participation.",
        p.certificates,
    ) % {"certificates": p.certificates}
    doc.add(Para(f"{took_part} {attended} {certified}"))
    doc.add(
        Table(
            [_("Group"), _("Enrolled"), _("Sessions"), _("Attended every session"), _("Certificates issued")],
            [[g.cohort.name, g.enrolled, g.sessions, g.attended_all, g.certificates] for g in p.groups]
            + ([[_("Total"), p.enrolled, "", p.attended_all, p.certificates]] if len(p.groups) > 1 else []),
            widths=[0.32, 0.17, 0.17, 0.17, 0.17],
        )
    )
    rule = _("present or partly present") if p.partly_counts else _("present")
    doc.add(
        Para(
            _("“Attended every session” counts participants recorded as %(rule)s at each of their group's sessions.")
            % {"rule": rule},
            "note",
        )
    )
    doc.add(Heading(_("Attendance by session"), 2))
    rows = [
        [_("Session %(number)d") % {"number": a.number}, a.cohort.name, a.present, a.partly, a.absent, a.not_recorded]
        for a in p.attendance
    ]
    table = Table(
        [_("Session"), _("Group"), _("Present"), _("Partly"), _("Absent"), _("Not recorded")],
        rows,
        widths=[0.2, 0.2, 0.15, 0.15, 0.15, 0.15],
        numeric_from=2,
    )
    doc.add(
        Chart(
            "stacked",
            {
                "labels": [
                    _("S%(number)d · %(group)s") % {"number": a.number, "group": a.cohort.name} for a in p.attendance
                ],
                "series": [_("Present"), _("Partly"), _("Absent"), _("Not recorded")],
                "values": [[a.present, a.partly, a.absent, a.not_recorded] for a in p.attendance],
            },
            table=table,
            caption=_("Attendance at each session, by group"),
        )
    )
    doc.add(Heading(_("Countries and institutions"), 2))
    doc.add(Table([_("Country"), _("Participants")], [[name, n] for name, n in p.countries], widths=[0.7, 0.3]))
    institutions = [[name or _("Not given"), n] for name, n in p.institutions[:25]]
    doc.add(Table([_("Institution"), _("Participants")], institutions, widths=[0.8, 0.2]))
    if len(p.institutions) > 25:
        doc.add(Para(_("The 25 institutions with most participants; the figures file lists them all."), "note"))
    _profiles(doc, p)


def _profile_table(p, heading: str, attribute: str, order: list[str], labels: dict[str, str]) -> Table:
    """One row per category (``NOT_KNOWN`` last, as “Not known”), one column per group, then the total and its
    share: every participant is counted once, whether or not their nomination recorded it."""
    several = len(p.groups) > 1
    total = getattr(p, attribute)
    rows = []
    for key in order:
        counts = [getattr(g, attribute).get(key, 0) for g in p.groups]
        rows.append(
            [
                labels[key] if key != NOT_KNOWN else _("Not known"),
                *counts,
                *([total.get(key, 0)] if several else []),
                percent(total.get(key, 0), p.enrolled),
            ]
        )
    columns = len(p.groups) + (2 if several else 1)
    return Table(
        [heading, *[g.cohort.name for g in p.groups], *([_("Total")] if several else []), _("Share")],
        rows,
        widths=[0.4, *[0.6 / columns] * columns],
    )


def _profiles(doc: Document, p):
    doc.add(Heading(_("Gender and seniority"), 2))
    doc.add(
        Para(
            _(
                "As recorded in the participants' nominations, where known. “Not known” counts participants whose "
                "nomination left it blank and those enrolled without a nomination."
            ),
            "note",
        )
    )
    if not p.profiles_known:
        doc.add(Para(_("No nomination of these participants recorded a gender or a seniority."), "note"))
        return
    doc.add(_profile_table(p, _("Gender"), "gender", GENDER_ORDER, {k: str(v) for k, v in Nomination.Gender.choices}))
    doc.add(
        _profile_table(
            p, _("Seniority"), "seniority", SENIORITY_ORDER, {k: str(v) for k, v in Nomination.Seniority.choices}
        )
    )


def _programme(doc: Document, data: ReportData):
    workshop = data.workshop
    doc.add(Heading(_("The programme as delivered")))
    for session in data.programme:
        doc.add(Heading(_("Session %(number)d: %(title)s") % {"number": session.number, "title": session.title}, 2))
        if session.deliveries:
            doc.add(
                Table(
                    [_("Group"), _("Starts"), _("Ends")],
                    [
                        [d.cohort.name, moment(d.starts_at, workshop), moment(d.ends_at, workshop)]
                        for d in session.deliveries
                    ],
                    widths=[0.3, 0.35, 0.35],
                    numeric_from=9,
                )
            )
        if session.speakers:
            doc.add(Para(_("Speakers: %(names)s") % {"names": ", ".join(session.speakers)}))
        if session.key_messages:
            recorded = bool(session.recorded_messages)
            doc.add(
                Para(
                    _("Key messages (recorded at the session):") if recorded else _("Key messages (as planned):"),
                    "body",
                ),
                Bullets(session.key_messages),
            )


def _dtca(doc: Document, data: ReportData):
    doc.add(Heading(_("Digital Transformation Capability Assessment")))
    doc.add(Para(str(NOT_A_BENCHMARK), "note"))
    dtca = data.dtca
    if dtca is None or not dtca.groups:
        doc.add(Para(_("This workshop has no capability assessment.")))
        return
    doc.add(
        Para(
            _(
                "Instrument: %(name)s. Scores run from 1 to 5. A group's profile is the mean of its country teams' "
                "scores per dimension (a team's agreed assessment, or the mean of its members' submissions); the "
                "range shows how far its countries differ."
            )
            % {"name": dtca.instrument}
        )
    )
    for group in dtca.groups:
        doc.add(Heading(_("%(group)s: group profile") % {"group": group.cohort.name}, 2))
        if not group.countries:
            doc.add(Para(_("No country team of this group has submitted yet.")))
            continue
        doc.add(
            Para(
                _("%(with)d of %(teams)d country teams have results (%(agreed)d agreed a country assessment).")
                % {"with": group.countries, "teams": group.teams, "agreed": group.agreed}
            )
        )
        table = Table(
            [_("Dimension"), _("Group mean"), _("Lowest"), _("Highest"), _("Range")],
            [
                [d.name, number(d.mean), number(d.minimum), number(d.maximum), number(d.spread)]
                for d in group.dimensions
            ],
            widths=[0.4, 0.15, 0.15, 0.15, 0.15],
        )
        doc.add(
            Chart(
                "profile",
                {
                    "labels": [d.name for d in group.dimensions],
                    "means": [d.mean for d in group.dimensions],
                    "mins": [d.minimum for d in group.dimensions],
                    "maxs": [d.maximum for d in group.dimensions],
                    "scale": dtca.scale_max,
                },
                table=table,
                caption=_("Group mean per dimension (bar) and the range across its countries (line)"),
            )
        )
        summary = []
        if group.most_agreement:
            summary.append(_("Countries agree most on %(name)s.") % {"name": group.most_agreement})
        if group.most_difference:
            summary.append(_("They differ most on %(name)s.") % {"name": group.most_difference})
        if summary:
            doc.add(Para(" ".join(summary)))


def _evaluations(doc: Document, data: ReportData):
    e = data.evaluations
    doc.add(Heading(_("Evaluations")))
    if not e.rates:
        doc.add(Para(_("No evaluation forms yet.")))
        return
    doc.add(
        Para(
            _(
                "Ratings run from 1 (very poor) to 5 (excellent). Response rate: participants who answered, of the "
                "group's active participants."
            )
        )
    )
    doc.add(Heading(_("Response rates"), 2))
    doc.add(
        Table(
            [_("Form"), _("Group"), _("Invited"), _("Answered"), _("Rate"), _("Mean rating")],
            [
                [r.label, r.cohort.name, r.invited, r.answered, percent(r.answered, r.invited), number(r.mean)]
                for r in e.rates
            ],
            widths=[0.2, 0.2, 0.15, 0.15, 0.15, 0.15],
            numeric_from=2,
        )
    )
    if e.session_numbers:
        doc.add(Heading(_("Sessions 1 to %(last)d") % {"last": e.session_numbers[-1]}, 2))
        table = Table(
            [_("Question"), *[_("S%(number)d") % {"number": n} for n in e.session_numbers]],
            [
                [q.text, *[number(q.stats(n).mean) if q.stats(n) else None for n in e.session_numbers]]
                for q in e.questions
            ]
            + [[_("All rating questions"), *[number(e.session_means[n]) for n in e.session_numbers]]],
            widths=[0.5, *[0.5 / len(e.session_numbers)] * len(e.session_numbers)],
        )
        doc.add(
            Chart(
                "lines",
                {
                    "x": [_("S%(number)d") % {"number": n} for n in e.session_numbers],
                    "series": [
                        (q.text, [q.stats(n).mean if q.stats(n) else None for n in e.session_numbers])
                        for q in e.questions
                    ],
                },
                table=table,
                caption=_("Mean rating per question, session by session (all groups)"),
            )
        )
        for n in e.session_numbers:
            questions = [q for q in e.questions if q.stats(n)]
            if not questions:
                continue
            doc.add(Heading(_("Session %(number)d: %(title)s") % {"number": n, "title": e.session_titles[n]}, 2))
            doc.add(_distribution(questions, n))
    if e.course:
        doc.add(Heading(_("The course evaluation"), 2))
        if e.course_mean is not None:
            doc.add(Para(_("Mean of every rating given on the course forms: %(mean).2f.") % {"mean": e.course_mean}))
        ratings = [q for q in e.course if q.rating is not None and q.rating.count]
        if ratings:
            doc.add(_course_distribution(ratings))
        for q in e.course:
            if q.choices:
                table = Table(
                    [q.text, _("Answers"), _("Share")],
                    [[b.label, b.count, f"{b.percent:.0f}%"] for b in q.choices],
                    widths=[0.6, 0.2, 0.2],
                )
                doc.add(
                    Chart(
                        "bars",
                        {"labels": [b.label for b in q.choices], "values": [b.count for b in q.choices]},
                        table=table,
                        caption=q.text,
                    )
                )
    doc.add(Heading(_("Comments"), 2))
    if e.comments:
        doc.add(Para(_("A selection of participants' comments, chosen by the organizers."), "note"))
        for comment in e.comments:
            doc.add(
                Para(f"“{comment.text}”", "quote"),
                Para(f"{comment.form} · {comment.cohort} · {comment.question}", "note"),
            )
    else:
        doc.add(Para(_("No comments were chosen for this report."), "note"))
    if e.withheld_forms:
        doc.add(
            Para(
                ngettext(
                    "%(forms)d anonymous form has fewer than %(count)d responses: its comments stay out of the report.",
                    "%(forms)d anonymous forms have fewer than %(count)d responses: their comments stay out of the "
                    "report.",
                    e.withheld_forms,
                )
                % {"forms": e.withheld_forms, "count": e.threshold},
                "note",
            )
        )


def _distribution(questions, n) -> Chart:
    labels = [str(v) for v in range(1, 6)]
    table = Table(
        [_("Question"), *labels, _("Answers"), _("Mean")],
        [[q.text, *[b.count for b in q.stats(n).bars], q.stats(n).count, number(q.stats(n).mean)] for q in questions],
        widths=[0.38, 0.08, 0.08, 0.08, 0.08, 0.08, 0.12, 0.1],
    )
    return Chart(
        "stacked",
        {
            "labels": [q.text for q in questions],
            "series": labels,
            "values": [[b.count for b in q.stats(n).bars] for q in questions],
            "scale": True,
        },
        table=table,
        caption=_("How many gave each rating, 1 (very poor) to 5 (excellent)"),
    )


def _course_distribution(questions) -> Chart:
    labels = [str(v) for v in range(1, 6)]
    table = Table(
        [_("Question"), *labels, _("Answers"), _("Mean")],
        [[q.text, *[b.count for b in q.rating.bars], q.rating.count, number(q.rating.mean)] for q in questions],
        widths=[0.38, 0.08, 0.08, 0.08, 0.08, 0.08, 0.12, 0.1],
    )
    return Chart(
        "stacked",
        {
            "labels": [q.text for q in questions],
            "series": labels,
            "values": [[b.count for b in q.rating.bars] for q in questions],
            "scale": True,
        },
        table=table,
        caption=_("How many gave each rating, 1 (very poor) to 5 (excellent)"),
    )


def _actions(doc: Document, data: ReportData):
    a = data.actions
    doc.add(Heading(_("Action plans")))
    if not a.total:
        doc.add(Para(_("No country team has written an action yet.")))
        return
    doc.add(
        Para(
            _(
                "%(teams)d country teams wrote %(total)d actions. Today %(done)d are done "
                "(%(done_end)d at the end of the course)."
            )
            % {"teams": a.teams, "total": a.total, "done": a.done_now, "done_end": a.done_at_course_end}
        )
    )
    status_labels = [label for _value, label in a.statuses]
    doc.add(Heading(_("Actions by DTCA dimension"), 2))
    table = Table(
        [_("Dimension"), *status_labels, _("Total")],
        [[row.label, *row.cells, row.total] for row in a.by_dimension],
        widths=[0.4, 0.12, 0.12, 0.12, 0.12, 0.12],
    )
    doc.add(
        Chart(
            "stacked",
            {
                "labels": [row.label for row in a.by_dimension],
                "series": status_labels,
                "values": [row.cells for row in a.by_dimension],
                "status": True,
            },
            table=table,
            caption=_("Actions per dimension they strengthen, by status today"),
        )
    )
    doc.add(Heading(_("Actions by SDG"), 2))
    if a.by_sdg:
        sdg_table = Table(
            [_("SDG"), _("Actions")], [[f"{n}. {name}", count] for n, name, count in a.by_sdg], widths=[0.8, 0.2]
        )
        doc.add(
            Chart(
                "bars",
                {"labels": [f"{n}. {name}" for n, name, _c in a.by_sdg], "values": [c for *_r, c in a.by_sdg]},
                table=sdg_table,
                caption=_("Actions per SDG they serve (an action may serve several)"),
            )
        )
    else:
        doc.add(Para(_("No action names an SDG."), "note"))
    doc.add(Heading(_("Actions by public-service quality"), 2))
    quality_table = Table([_("Quality"), _("Actions")], [[name, n] for name, n in a.by_quality], widths=[0.8, 0.2])
    doc.add(
        Chart(
            "bars",
            {"labels": [name for name, _n in a.by_quality], "values": [n for _name, n in a.by_quality]},
            table=quality_table,
            caption=_("Actions per quality of public service they improve"),
        )
    )
    doc.add(Heading(_("Progress at each follow-up"), 2))
    doc.add(
        Para(
            _(
                "The status of every action at the end of the course and at each follow-up after it, from the teams' "
                "progress updates. Follow-ups not reached yet are marked “not yet”; produce the report again after "
                "them to show the progress."
            )
        )
    )
    rows = []
    for column in a.followups:
        if column.reached:
            rows.append([column.label, *[column.counts.get(s, 0) for s in STATUS_ORDER], sum(column.counts.values())])
        else:
            rows.append([column.label, *[_("not yet")] * (len(STATUS_ORDER) + 1)])
    doc.add(Table([_("Moment"), *status_labels, _("Total")], rows, widths=[0.3, 0.14, 0.14, 0.14, 0.14, 0.14]))
    reached = [c for c in a.followups if c.reached]
    doc.add(
        Chart(
            "stacked",
            {
                "labels": [c.label for c in reached],
                "series": status_labels,
                "values": [[c.counts.get(s, 0) for s in STATUS_ORDER] for c in reached],
                "status": True,
            },
            caption=_("Actions by status at each follow-up"),
        )
    )
    doc.add(Heading(_("Country teams"), 2))
    doc.add(Para(_("Alphabetical within each group; plans differ in scope, so this is not a ranking."), "note"))
    doc.add(
        Table(
            [_("Group"), _("Country"), *status_labels, _("Total")],
            [[group, country, *counts.cells, counts.total] for group, country, counts in a.by_team],
            widths=[0.16, 0.24, 0.12, 0.12, 0.12, 0.12, 0.12],
            numeric_from=2,
        )
    )


def _closing(doc: Document, data: ReportData):
    doc.add(Heading(_("Conclusions")))
    if data.closing:
        for paragraph in data.closing:
            doc.add(Para(paragraph))
    else:
        doc.add(Para(_("The organizers have not written the closing section yet."), "note"))


def _annex(doc: Document, data: ReportData):
    doc.add(PageBreak(), Heading(_("Annex: participants")))
    doc.add(
        Para(_("Included at the organizers' request. Sessions attended count those recorded as qualifying."), "note")
    )
    doc.add(
        Table(
            [_("Name"), _("Group"), _("Country"), _("Institution"), _("Sessions attended"), _("Certificate")],
            [
                [
                    r.name,
                    r.cohort,
                    r.country,
                    r.institution,
                    f"{r.attended}/{r.sessions}",
                    _("yes") if r.certificate else _("no"),
                ]
                for r in data.participation.annex
            ],
            widths=[0.2, 0.1, 0.15, 0.27, 0.14, 0.14],
            numeric_from=4,
        )
    )
