"""The figures of a workshop report, gathered from the other apps' selectors and models.

``report_data`` reads a fixed number of queries whatever the number of participants, responses or actions:
every section aggregates in the database or reads flat value lists once. Nothing here names a participant
unless ``include_names`` is set, and then only in the participation annex.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from action_plans.models import Action, ActionStatus, ActionUpdate, Sdg, ServiceQuality
from action_plans.selectors import dimensions_for, followup_schedule
from assessments.selectors import group_views, instrument_structure, run_for
from evaluations.models import Answer, FormQuestion, Kind, Response
from evaluations.reports import (
    Bar,
    FormReport,
    RatingStats,
    anonymity_threshold,
    form_reports,
    rating_stats,
    withholds_detail,
    workshop_forms,
)
from live.models import Attendance, Certificate, KeyMessages
from live.selectors import live_settings_for, qualifying_statuses
from nominations.models import Nomination
from nominations.selectors import profiles_of_participants
from participants.models import Participant
from sessions_app.models import AgendaItemSpeaker, Cohort, Session, SessionOccurrence, Workshop

from .models import ChosenComment, ClosingText

STATUS_ORDER = [ActionStatus.NOT_STARTED, ActionStatus.STARTED, ActionStatus.STALLED, ActionStatus.DONE]
NOT_KNOWN = ""  # the key under which participants without a recorded gender or seniority are counted
GENDER_ORDER = [*Nomination.Gender.values, NOT_KNOWN]
SENIORITY_ORDER = [*Nomination.Seniority.values, NOT_KNOWN]


# --------------------------------------------------------------------------- participation


@dataclass
class SessionAttendanceRow:
    number: int
    title: str
    cohort: Cohort
    starts_at: datetime
    present: int = 0
    partly: int = 0
    absent: int = 0
    not_recorded: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.partly + self.absent


@dataclass
class GroupParticipation:
    cohort: Cohort
    enrolled: int
    sessions: int
    attended_all: int
    certificates: int
    gender: Counter = field(default_factory=Counter)  # GENDER_ORDER keys; NOT_KNOWN where not recorded
    seniority: Counter = field(default_factory=Counter)  # SENIORITY_ORDER keys


@dataclass
class AnnexRow:
    name: str
    cohort: str
    country: str
    institution: str
    attended: int
    sessions: int
    certificate: bool


@dataclass
class Participation:
    groups: list[GroupParticipation]
    countries: list[tuple[str, int]]  # alphabetical
    institutions: list[tuple[str, int]]  # most participants first, then alphabetical
    attendance: list[SessionAttendanceRow]
    partly_counts: bool
    annex: list[AnnexRow] | None  # None: names not asked for

    @property
    def enrolled(self) -> int:
        return sum(g.enrolled for g in self.groups)

    @property
    def attended_all(self) -> int:
        return sum(g.attended_all for g in self.groups)

    @property
    def certificates(self) -> int:
        return sum(g.certificates for g in self.groups)

    @property
    def gender(self) -> Counter:
        return sum((g.gender for g in self.groups), Counter())

    @property
    def seniority(self) -> Counter:
        return sum((g.seniority for g in self.groups), Counter())

    @property
    def profiles_known(self) -> bool:
        """Some participant's gender or seniority is recorded."""
        return any(n for key, n in (self.gender + self.seniority).items() if key != NOT_KNOWN)

    @property
    def country_count(self) -> int:
        return len(self.countries)

    @property
    def institution_count(self) -> int:
        return len([name for name, _n in self.institutions if name])


def participation(workshop: Workshop, cohorts: list[Cohort], *, include_names: bool = False) -> Participation:
    cohort_ids = [c.pk for c in cohorts]
    people = Participant.objects.filter(cohort_id__in=cohort_ids, is_active=True).order_by()
    columns = ["pk", "cohort_id", "country__name", "institution"]
    if include_names:
        columns += ["user__first_name", "user__last_name", "user__email"]
    rows = list(people.values_list(*columns))
    occurrences = list(
        SessionOccurrence.objects.filter(cohort_id__in=cohort_ids)
        .select_related("session")
        .order_by("session__number", "cohort__name")
    )
    occurrences_of = defaultdict(list)
    for occurrence in occurrences:
        occurrences_of[occurrence.cohort_id].append(occurrence.pk)
    records = defaultdict(dict)  # participant -> occurrence -> status
    for participant_id, occurrence_id, status in Attendance.objects.filter(
        occurrence_id__in=[o.pk for o in occurrences], participant__is_active=True
    ).values_list("participant_id", "occurrence_id", "status"):
        records[participant_id][occurrence_id] = status
    certified = set(
        Certificate.objects.filter(participant__cohort_id__in=cohort_ids, revoked_at__isnull=True).values_list(
            "participant_id", flat=True
        )
    )
    settings = live_settings_for(workshop)
    qualifying = set(qualifying_statuses(settings))
    profiles = profiles_of_participants(cohort_ids)  # gender and seniority, as the nominations recorded them

    by_cohort = {c.pk: c for c in cohorts}
    enrolled, attended_all, certificates = Counter(), Counter(), Counter()
    genders, seniorities = defaultdict(Counter), defaultdict(Counter)
    countries, institutions = Counter(), Counter()
    attended_count = {}
    for row in rows:
        pk, cohort_id, country, institution = row[:4]
        enrolled[cohort_id] += 1
        countries[country] += 1
        institutions[" ".join(institution.split())] += 1
        own = occurrences_of[cohort_id]
        attended = sum(1 for o in own if records[pk].get(o) in qualifying)
        attended_count[pk] = attended
        if own and attended == len(own):
            attended_all[cohort_id] += 1
        if pk in certified:
            certificates[cohort_id] += 1
        gender, seniority = profiles.get(pk, (NOT_KNOWN, NOT_KNOWN))
        genders[cohort_id][gender if gender in GENDER_ORDER else NOT_KNOWN] += 1
        seniorities[cohort_id][seniority if seniority in SENIORITY_ORDER else NOT_KNOWN] += 1

    attendance = []
    people_of = Counter(row[1] for row in rows)
    status_counts = defaultdict(Counter)
    for by_occurrence in records.values():
        for occurrence_id, status in by_occurrence.items():
            status_counts[occurrence_id][status] += 1
    for occurrence in occurrences:
        counts = status_counts[occurrence.pk]
        present, partly, absent = counts["present"], counts["partly"], counts["absent"]
        attendance.append(
            SessionAttendanceRow(
                number=occurrence.session.number,
                title=occurrence.session.title,
                cohort=by_cohort[occurrence.cohort_id],
                starts_at=occurrence.starts_at,
                present=present,
                partly=partly,
                absent=absent,
                not_recorded=max(people_of[occurrence.cohort_id] - present - partly - absent, 0),
            )
        )
    annex = None
    if include_names:
        annex = sorted(
            (
                AnnexRow(
                    name=" ".join(part for part in (row[4], row[5]) if part) or row[6],
                    cohort=by_cohort[row[1]].name,
                    country=row[2],
                    institution=row[3],
                    attended=attended_count[row[0]],
                    sessions=len(occurrences_of[row[1]]),
                    certificate=row[0] in certified,
                )
                for row in rows
            ),
            key=lambda a: (a.cohort, a.country.casefold(), a.name.casefold()),
        )
    return Participation(
        groups=[
            GroupParticipation(
                cohort=c,
                enrolled=enrolled[c.pk],
                sessions=len(occurrences_of[c.pk]),
                attended_all=attended_all[c.pk],
                certificates=certificates[c.pk],
                gender=genders[c.pk],
                seniority=seniorities[c.pk],
            )
            for c in cohorts
        ],
        countries=sorted(countries.items(), key=lambda item: item[0].casefold()),
        institutions=sorted(institutions.items(), key=lambda item: (-item[1], item[0].casefold())),
        attendance=attendance,
        partly_counts=settings.partly_counts_for_certificate,
        annex=annex,
    )


# --------------------------------------------------------------------------- the programme as delivered


@dataclass
class Delivery:
    cohort: Cohort
    starts_at: datetime
    ends_at: datetime
    key_messages: list[str]  # as recorded at the end of the occurrence; empty when none were


@dataclass
class DeliveredSession:
    number: int
    title: str
    objectives: list[str]
    speakers: list[str]
    planned_messages: list[str]
    deliveries: list[Delivery]

    @property
    def recorded_messages(self) -> list[str]:
        seen, messages = set(), []
        for delivery in self.deliveries:
            for message in delivery.key_messages:
                if message not in seen:
                    seen.add(message)
                    messages.append(message)
        return messages

    @property
    def key_messages(self) -> list[str]:
        return self.recorded_messages or self.planned_messages


def programme(workshop: Workshop, cohorts: list[Cohort]) -> list[DeliveredSession]:
    cohort_ids = [c.pk for c in cohorts]
    by_cohort = {c.pk: c for c in cohorts}
    sessions = list(Session.objects.filter(workshop=workshop).order_by("number"))
    occurrences = list(
        SessionOccurrence.objects.filter(session__workshop=workshop, cohort_id__in=cohort_ids).order_by(
            "starts_at", "cohort__name"
        )
    )
    messages = dict(
        KeyMessages.objects.filter(occurrence_id__in=[o.pk for o in occurrences]).values_list("occurrence_id", "text")
    )
    speakers = defaultdict(list)
    for role in (
        AgendaItemSpeaker.objects.filter(item__session__workshop=workshop, role=AgendaItemSpeaker.Role.SPEAKER)
        .select_related("speaker", "organization", "item")
        .order_by("item__offset_minutes", "order", "pk")
    ):
        label = role.label
        if label not in speakers[role.item.session_id]:
            speakers[role.item.session_id].append(label)
    deliveries = defaultdict(list)
    for occurrence in occurrences:
        text = messages.get(occurrence.pk, "")
        deliveries[occurrence.session_id].append(
            Delivery(
                cohort=by_cohort[occurrence.cohort_id],
                starts_at=occurrence.starts_at,
                ends_at=occurrence.ends_at,
                key_messages=[line.strip() for line in text.splitlines() if line.strip()],
            )
        )
    return [
        DeliveredSession(
            number=s.number,
            title=s.title,
            objectives=s.objective_list,
            speakers=speakers[s.pk],
            planned_messages=s.key_message_list,
            deliveries=deliveries[s.pk],
        )
        for s in sessions
    ]


# --------------------------------------------------------------------------- DTCA


@dataclass
class DimensionProfile:
    name: str
    mean: float | None
    minimum: float | None
    maximum: float | None
    spread: float | None
    countries: int
    dont_know_share: float | None


@dataclass
class GroupProfile:
    cohort: Cohort
    countries: int  # country teams with results
    teams: int  # country teams in the group
    agreed: int  # teams whose scores are an agreed country assessment
    dimensions: list[DimensionProfile]
    most_agreement: str | None
    most_difference: str | None


@dataclass
class Dtca:
    instrument: str
    scale_max: int
    groups: list[GroupProfile]

    @property
    def dimension_names(self) -> list[str]:
        return [d.name for d in self.groups[0].dimensions] if self.groups else []


def dtca(workshop: Workshop, cohorts: list[Cohort]) -> Dtca | None:
    """Each group's profile (the mean of its countries per dimension, with the range) and where its countries agree
    and differ most. A self-assessment: countries are never ranked, and no country's scores are shown."""
    run = run_for(workshop)
    if run is None:
        return None
    structure = instrument_structure(run.instrument)
    groups = []
    for view in group_views(run, structure, cohorts):
        groups.append(
            GroupProfile(
                cohort=view.cohort,
                countries=len(view.with_results),
                teams=len(view.countries),
                agreed=sum(1 for c in view.countries if c.source == "agreed"),
                dimensions=[
                    DimensionProfile(
                        name=s.dimension.name,
                        mean=s.mean,
                        minimum=s.minimum,
                        maximum=s.maximum,
                        spread=s.spread,
                        countries=s.countries,
                        dont_know_share=s.dont_know_share,
                    )
                    for s in view.stats
                ],
                most_agreement=view.most_agreement.dimension.name
                if view.most_agreement and view.most_agreement.spread is not None
                else None,
                most_difference=view.most_difference.dimension.name if view.most_difference else None,
            )
        )
    return Dtca(instrument=str(run.instrument.name), scale_max=5, groups=groups)


# --------------------------------------------------------------------------- evaluations


@dataclass
class FormRate:
    label: str
    cohort: Cohort
    invited: int
    answered: int
    responses: int
    mean: float | None
    anonymous: bool
    withheld: bool

    @property
    def rate(self) -> float | None:
        return 100 * self.answered / self.invited if self.invited else None


@dataclass
class QuestionAcross:
    """One rating question through the sessions: the groups' answers pooled per session."""

    key: str
    text: str
    by_session: dict[int, RatingStats]

    def stats(self, number: int) -> RatingStats | None:
        return self.by_session.get(number)


@dataclass
class CourseQuestion:
    key: str
    text: str
    kind: str
    rating: RatingStats | None = None
    choices: list[Bar] = field(default_factory=list)
    answered: int = 0


@dataclass
class Comment:
    form: str
    cohort: str
    question: str
    text: str


@dataclass
class Evaluations:
    rates: list[FormRate]
    session_numbers: list[int]
    session_titles: dict[int, str]
    questions: list[QuestionAcross]
    session_means: dict[int, float | None]  # every rating of the session, all questions and groups
    course: list[CourseQuestion]
    course_mean: float | None
    comments: list[Comment]
    threshold: int
    withheld_forms: int  # anonymous forms whose comments stay hidden (too few responses)

    @property
    def has_responses(self) -> bool:
        return any(r.responses for r in self.rates)


def _pooled(stats: list[RatingStats], labels) -> RatingStats:
    distribution = Counter()
    for s in stats:
        for bar in s.bars:
            distribution[bar.value] += bar.count
    return rating_stats(distribution, labels)


def evaluations(workshop: Workshop, cohorts: list[Cohort]) -> Evaluations:
    cohort_ids = {c.pk for c in cohorts}
    forms = [f for f in workshop_forms(workshop) if f.cohort_id in cohort_ids]
    reports: list[FormReport] = form_reports(forms, comment_limit=0)
    reports.sort(key=lambda r: (r.form.kind == Kind.COURSE, r.form.session_number or 0, r.form.cohort.name))
    rates = []
    titles: dict[int, str] = {}
    per_question: dict[str, dict[int, list]] = {}
    texts: dict[str, str] = {}
    labels: dict[str, list[str]] = {}
    session_stats: dict[int, list[RatingStats]] = defaultdict(list)
    course: dict[str, CourseQuestion] = {}
    course_stats: dict[str, list[RatingStats]] = defaultdict(list)
    course_all: list[RatingStats] = []
    for report in reports:
        form = report.form
        number = form.session_number
        label = _("Session %(number)d") % {"number": number} if number else _("Course")
        rates.append(
            FormRate(
                label=label,
                cohort=form.cohort,
                invited=report.invited,
                answered=report.answered,
                responses=report.responses,
                mean=report.overall_mean,
                anonymous=form.is_anonymous,
                withheld=report.detail_withheld,
            )
        )
        if number:
            titles[number] = form.occurrence.session.title
            for q in report.rating_questions:
                per_question.setdefault(q.question.key, defaultdict(list))[number].append(q.rating)
                texts.setdefault(q.question.key, q.question.text)
                labels.setdefault(q.question.key, q.question.labels)
                session_stats[number].append(q.rating)
        else:
            for q in report.questions:
                row = course.setdefault(
                    q.question.key, CourseQuestion(q.question.key, q.question.text, q.question.kind)
                )
                if q.rating is not None:
                    course_stats[q.question.key].append(q.rating)
                    labels.setdefault(("course", q.question.key), q.question.labels)
                    course_all.append(q.rating)
                elif q.question.is_choice:
                    merged = {bar.label: bar for bar in row.choices}
                    for bar in q.choices:
                        if bar.label in merged:
                            merged[bar.label].count += bar.count
                        else:
                            merged[bar.label] = Bar(bar.label, bar.count, 0.0)
                    row.choices = list(merged.values())
                    row.answered += q.answered
                else:
                    row.answered += q.answered
    for key, stats in course_stats.items():
        course[key].rating = _pooled(stats, labels[("course", key)])
        course[key].answered = course[key].rating.count
    for row in course.values():
        for bar in row.choices:
            bar.percent = 100 * bar.count / row.answered if row.answered else 0.0
    numbers = sorted(titles)
    questions = [
        QuestionAcross(
            key=key,
            text=texts[key],
            by_session={n: _pooled(stats, labels[key]) for n, stats in by_number.items()},
        )
        for key, by_number in per_question.items()
    ]
    session_means = {n: _pooled(session_stats[n], None).mean for n in numbers}
    course_pooled = _pooled(course_all, None) if course_all else None
    return Evaluations(
        rates=rates,
        session_numbers=numbers,
        session_titles=titles,
        questions=questions,
        session_means=session_means,
        course=list(course.values()),
        course_mean=course_pooled.mean if course_pooled else None,
        comments=chosen_comments(reports),
        threshold=anonymity_threshold(),
        withheld_forms=sum(1 for r in reports if r.detail_withheld),
    )


def chosen_comments(reports: list[FormReport]) -> list[Comment]:
    """The comments organizers chose, only where the form's anonymity rules show comments at all, and only while
    the comment is still one of the form's answers (two queries)."""
    shown = {r.form.pk: r for r in reports if not withholds_detail(r.form, r.responses)}
    chosen = list(
        ChosenComment.objects.filter(question__form_id__in=list(shown)).select_related("question").order_by("pk")
    )
    if not chosen:
        return []
    present = set(
        Answer.objects.filter(
            question_id__in={c.question_id for c in chosen}, text__in={c.text for c in chosen}
        ).values_list("question_id", "text")
    )
    order = {r.form.pk: index for index, r in enumerate(reports)}
    comments = []
    for choice in sorted(chosen, key=lambda c: (order[c.question.form_id], c.question.order, c.pk)):
        if (choice.question_id, choice.text) not in present:
            continue
        form = shown[choice.question.form_id].form
        number = form.session_number
        comments.append(
            Comment(
                form=_("Session %(number)d") % {"number": number} if number else _("Course"),
                cohort=form.cohort.name,
                question=choice.question.text,
                text=choice.text,
            )
        )
    return comments


def choosable_comments(workshop: Workshop, cohorts: list[Cohort], *, limit: int = 400):
    """The comments an organizer may pick from: free-text answers of forms whose anonymity rules show comments,
    with whether each is already chosen. Bounded by ``limit`` per page."""
    cohort_ids = [c.pk for c in cohorts]
    forms = [f for f in workshop_forms(workshop) if f.cohort_id in cohort_ids]
    responses = dict(
        Response.objects.filter(form__in=forms)
        .values("form_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("form_id", "n")
    )
    allowed = [f for f in forms if not withholds_detail(f, responses.get(f.pk, 0))]
    by_pk = {f.pk: f for f in allowed}
    chosen = set(ChosenComment.objects.filter(question__form__in=allowed).values_list("question_id", "text"))
    rows = []
    for question_id, form_id, question_text, text, count in (
        Answer.objects.filter(question__form__in=allowed, question__kind="text")
        .exclude(text="")
        .values("question_id", "question__form_id", "question__text", "text")
        .annotate(n=Count("id"))
        .order_by(
            "question__form__cohort__name",
            "-question__form__kind",
            "question__form__occurrence__starts_at",
            "question__order",
            "text",
        )
        .values_list("question_id", "question__form_id", "question__text", "text", "n")[:limit]
    ):
        rows.append(
            {
                "question_id": question_id,
                "form": by_pk[form_id],
                "question": question_text,
                "text": text,
                "count": count,  # the same words from several people are listed once
                "chosen": (question_id, text) in chosen,
            }
        )
    return rows


# --------------------------------------------------------------------------- action plans


@dataclass
class StatusCounts:
    label: str
    counts: Counter

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(s, 0) for s in STATUS_ORDER]


@dataclass
class FollowupColumn:
    months: int | None  # None: the end of the course; 0: today
    label: str
    reached: bool
    counts: Counter


@dataclass
class ActionPlans:
    total: int
    teams: int
    by_dimension: list[StatusCounts]
    by_sdg: list[tuple[int, str, int]]
    by_quality: list[tuple[str, int]]
    by_team: list[tuple[str, str, StatusCounts]]  # group, country (alphabetical, never ranked)
    followups: list[FollowupColumn]
    statuses: list[tuple[str, str]]

    @property
    def done_at_course_end(self) -> int:
        return self.followups[0].counts.get(ActionStatus.DONE, 0) if self.followups else 0

    @property
    def done_now(self) -> int:
        return self.followups[-1].counts.get(ActionStatus.DONE, 0) if self.followups else 0


def status_at(current: str, updates: list[tuple[datetime, str, str]], moment: datetime) -> str:
    """An action's status at a moment, from its progress updates (oldest first: at, status, previous status)."""
    before = [u for u in updates if u[0] <= moment]
    if before:
        return before[-1][1]
    if updates:
        return updates[0][2] or ActionStatus.NOT_STARTED
    return current


def action_plans(workshop: Workshop, cohorts: list[Cohort], now: datetime | None = None) -> ActionPlans:
    now = now or timezone.now()
    cohort_ids = [c.pk for c in cohorts]
    by_cohort = {c.pk: c for c in cohorts}
    actions = list(
        Action.objects.filter(plan__cohort_id__in=cohort_ids)
        .order_by()
        .values_list("pk", "plan__cohort_id", "plan__country__name", "dimension_id", "dimension__name", "status")
    )
    [row[0] for row in actions]
    sdg_counts = Counter(
        Action.sdgs.through.objects.filter(action__plan__cohort_id__in=cohort_ids).values_list("sdg_id", flat=True)
    )
    quality_counts = Counter(
        Action.qualities.through.objects.filter(action__plan__cohort_id__in=cohort_ids).values_list(
            "servicequality_id", flat=True
        )
    )
    updates = defaultdict(list)
    for action_id, at, status, previous in (
        ActionUpdate.objects.filter(action__plan__cohort_id__in=cohort_ids)
        .order_by("at", "pk")
        .values_list("action_id", "at", "status", "previous_status")
    ):
        updates[action_id].append((at, status, previous))

    dimension_names = {d.pk: d.name for d in dimensions_for(workshop)}
    by_dimension = defaultdict(Counter)
    by_team = defaultdict(Counter)
    for _pk, cohort_id, country, dimension_id, dimension_name, status in actions:
        dimension_names.setdefault(dimension_id, dimension_name)
        by_dimension[dimension_id][status] += 1
        by_team[(cohort_id, country)][status] += 1

    schedule = [m for m in followup_schedule(workshop) if m.cohort_id in by_cohort]
    ends = {m.cohort_id: m.course_ended_at for m in schedule}
    months = sorted({m.months for m in schedule})
    moments = {(m.cohort_id, m.months): m.at for m in schedule}
    columns = [FollowupColumn(None, _("End of the course"), bool(ends) and max(ends.values()) <= now, Counter())]
    for n in months:
        reached = any(at <= now for (c, m), at in moments.items() if m == n)
        columns.append(FollowupColumn(n, _("%(months)d months") % {"months": n}, reached, Counter()))
    columns.append(FollowupColumn(0, _("Today"), True, Counter()))
    for pk, cohort_id, _country, _dimension_id, _name, status in actions:
        history = updates.get(pk, [])
        for column in columns:
            if column.months == 0:
                column.counts[status] += 1
                continue
            moment = ends.get(cohort_id) if column.months is None else moments.get((cohort_id, column.months))
            if moment is None or moment > now:
                continue
            column.counts[status_at(status, history, moment)] += 1
    sdgs = {s.pk: s for s in Sdg.objects.filter(pk__in=list(sdg_counts))}
    qualities = {q.pk: q for q in ServiceQuality.objects.all()}
    return ActionPlans(
        total=len(actions),
        teams=len(by_team),
        by_dimension=[StatusCounts(dimension_names[pk], by_dimension[pk]) for pk in dimension_names],
        by_sdg=sorted(
            ((sdgs[pk].number, sdgs[pk].short_name, n) for pk, n in sdg_counts.items() if pk in sdgs),
            key=lambda row: row[0],
        ),
        by_quality=[
            (q.name, quality_counts.get(pk, 0)) for pk, q in sorted(qualities.items(), key=lambda i: i[1].order)
        ],
        by_team=[
            (by_cohort[cohort_id].name, country, StatusCounts(country, counts))
            for (cohort_id, country), counts in sorted(
                by_team.items(), key=lambda item: (by_cohort[item[0][0]].name, item[0][1].casefold())
            )
        ],
        followups=columns,
        statuses=[(s.value, str(s.label)) for s in STATUS_ORDER],  # in the language of the file
    )


# --------------------------------------------------------------------------- the whole report


@dataclass
class ReportData:
    workshop: Workshop
    cohorts: list[Cohort]
    scope: Cohort | None  # one group, or None for the whole workshop
    made_at: datetime
    participation: Participation
    programme: list[DeliveredSession]
    dtca: Dtca | None
    evaluations: Evaluations
    actions: ActionPlans
    closing: list[str]
    include_names: bool

    @property
    def title(self) -> str:
        return self.workshop.title

    @property
    def scope_label(self) -> str:
        if self.scope is not None:
            return self.scope.name
        return _("All groups (%(groups)s)") % {"groups": ", ".join(c.name for c in self.cohorts)}

    @property
    def period(self) -> tuple[datetime | None, datetime | None]:
        starts = [d.starts_at for s in self.programme for d in s.deliveries]
        ends = [d.ends_at for s in self.programme for d in s.deliveries]
        return (min(starts) if starts else None, max(ends) if ends else None)


def scope_cohorts(workshop: Workshop, cohort: Cohort | None) -> list[Cohort]:
    if cohort is not None:
        return [cohort]
    return list(Cohort.objects.filter(workshop=workshop).order_by("name"))


def report_data(
    workshop: Workshop, cohort: Cohort | None = None, *, include_names: bool = False, progress=None
) -> ReportData:
    """Every section's figures. ``progress(percent)`` is called between sections when given."""
    step = progress or (lambda percent: None)
    cohorts = scope_cohorts(workshop, cohort)
    people = participation(workshop, cohorts, include_names=include_names)
    step(10)
    delivered = programme(workshop, cohorts)
    step(15)
    assessment = dtca(workshop, cohorts)
    step(25)
    evaluation = evaluations(workshop, cohorts)
    step(45)
    plans = action_plans(workshop, cohorts)
    step(55)
    closing = ClosingText.objects.filter(workshop=workshop).first()
    return ReportData(
        workshop=workshop,
        cohorts=cohorts,
        scope=cohort,
        made_at=timezone.now(),
        participation=people,
        programme=delivered,
        dtca=assessment,
        evaluations=evaluation,
        actions=plans,
        closing=closing.paragraphs if closing else [],
        include_names=include_names,
    )


def generated_reports(workshop: Workshop, cohort: Cohort | None):
    from .models import GeneratedReport

    found = {r.format: r for r in GeneratedReport.objects.filter(workshop=workshop, cohort=cohort)}
    return [(fmt, label, found.get(fmt)) for fmt, label in GeneratedReport.Format.choices]


def comment_is_choosable(question: FormQuestion, text: str) -> bool:
    """A comment may be chosen when it is an answer to the question and the form shows comments (anonymity)."""
    form = question.form
    responses = Response.objects.filter(form=form).count()
    if withholds_detail(form, responses):
        return False
    return Answer.objects.filter(question=question, text=text).exists()
