"""What facilitators read in evaluation reports: response rates, rating statistics, choice counts, comments.

Every function here reads a fixed number of queries whatever the number of responses: counts and rating
distributions are aggregated by the database, and mean and median are computed from the distribution.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext, ngettext

from participants.models import Participant
from sessions_app.models import Cohort, Workshop

from .models import RATING_MAX, RATING_MIN, Answer, Completion, EvaluationForm, FormQuestion, Kind, Response

PAGE_COMMENT_LIMIT = 300


def anonymity_threshold() -> int:
    """From how many responses on an anonymous form's comments and single responses are shown (at least 1)."""
    return max(int(settings.EVALUATIONS_ANONYMITY_THRESHOLD), 1)


def withholds_detail(form: EvaluationForm, responses: int) -> bool:
    """Whether an anonymous form has too few responses for its comments and rows to be shown without naming
    their author: whoever knows the few people who answered would know who wrote what."""
    return form.is_anonymous and 0 < responses < anonymity_threshold()


def withheld_message() -> str:
    threshold = anonymity_threshold()
    return ngettext(
        "Comments and individual responses of an anonymous form are shown once someone has answered.",
        "Comments and individual responses of an anonymous form are shown once at least %(count)d people have "
        "answered: with fewer, whoever knows who answered could tell who wrote what.",
        threshold,
    ) % {"count": threshold}


def withheld_short() -> str:
    return gettext("Withheld until %(count)d people have answered (anonymity).") % {"count": anonymity_threshold()}


@dataclass
class Bar:
    label: str
    count: int
    percent: float  # of the people who answered the question
    value: int | None = None


@dataclass
class RatingStats:
    count: int
    mean: float | None
    median: float | None
    bars: list[Bar]


def rating_stats(distribution: Mapping[int, int], labels: Sequence[str] | None = None) -> RatingStats:
    """Mean, median and distribution of ratings given as {rating: how many}."""
    labels = list(labels or [])
    counts = {value: int(distribution.get(value, 0)) for value in range(RATING_MIN, RATING_MAX + 1)}
    total = sum(counts.values())
    bars = []
    for value, count in counts.items():
        label = labels[value - RATING_MIN] if len(labels) == RATING_MAX - RATING_MIN + 1 else ""
        bars.append(Bar(label=label, count=count, percent=100 * count / total if total else 0.0, value=value))
    if not total:
        return RatingStats(count=0, mean=None, median=None, bars=bars)
    mean = sum(value * count for value, count in counts.items()) / total
    return RatingStats(count=total, mean=mean, median=_median(counts, total), bars=bars)


def _median(counts: Mapping[int, int], total: int) -> float:
    def nth(position: int) -> int:  # the value at a 1-based position in the sorted ratings
        seen = 0
        for value in sorted(counts):
            seen += counts[value]
            if seen >= position:
                return value
        raise ValueError(position)

    if total % 2:
        return float(nth(total // 2 + 1))
    return (nth(total // 2) + nth(total // 2 + 1)) / 2


@dataclass
class QuestionReport:
    question: FormQuestion
    answered: int = 0  # people who answered this question
    rating: RatingStats | None = None
    choices: list[Bar] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    comments_total: int = 0
    withheld: bool = False  # an anonymous form with too few responses: comments are not shown

    @property
    def withheld_message(self) -> str:
        return withheld_message()

    @property
    def comments_cut(self) -> bool:
        return len(self.comments) < self.comments_total


@dataclass
class FormReport:
    form: EvaluationForm
    invited: int
    answered: int  # invited participants who answered
    responses: int  # responses stored (can include people no longer active)
    questions: list[QuestionReport]

    @property
    def rate(self) -> float | None:
        return 100 * self.answered / self.invited if self.invited else None

    @property
    def detail_withheld(self) -> bool:
        return withholds_detail(self.form, self.responses)

    @property
    def withheld_message(self) -> str:
        return withheld_message()

    @property
    def rating_questions(self) -> list[QuestionReport]:
        return [q for q in self.questions if q.rating is not None]

    @property
    def overall_mean(self) -> float | None:
        """The mean of every rating given on the form, all rating questions together."""
        total = sum(q.rating.count for q in self.rating_questions)
        if not total:
            return None
        return sum(q.rating.mean * q.rating.count for q in self.rating_questions if q.rating.count) / total

    def question(self, key: str) -> QuestionReport | None:
        return next((q for q in self.questions if q.question.key == key), None)

    @property
    def sections(self) -> list[tuple[str, list[QuestionReport]]]:
        grouped: list[tuple[str, list[QuestionReport]]] = []
        for question in self.questions:
            if not grouped or grouped[-1][0] != question.question.section_title:
                grouped.append((question.question.section_title, []))
            grouped[-1][1].append(question)
        return grouped


def invited_counts(cohort_ids: set[int]) -> dict[int, int]:
    """Invited = the active participants of the group."""
    rows = (
        Participant.objects.filter(cohort_id__in=cohort_ids, is_active=True)
        .values("cohort_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["cohort_id"]: row["n"] for row in rows}


def form_reports(forms: Sequence[EvaluationForm], *, comment_limit: int | None = None) -> list[FormReport]:
    """Reports of several forms with a fixed number of queries.

    ``comment_limit``: how many comments per question to read (None: all of them; 0: none, counts only).
    """
    forms = list(forms)
    if not forms:
        return []
    form_ids = [form.pk for form in forms]
    questions = list(FormQuestion.objects.filter(form_id__in=form_ids).order_by("form_id", "order", "pk"))
    invited = invited_counts({form.cohort_id for form in forms})
    answered = dict(
        Completion.objects.filter(form_id__in=form_ids, participant__is_active=True)
        .values("form_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("form_id", "n")
    )
    responses = dict(
        Response.objects.filter(form_id__in=form_ids)
        .values("form_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("form_id", "n")
    )
    counts: dict[int, dict] = defaultdict(lambda: {"ratings": {}, "choices": {}, "texts": 0})
    for row in (
        Answer.objects.filter(question__form_id__in=form_ids)
        .values("question_id", "rating", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        bucket = counts[row["question_id"]]
        if row["rating"] is not None:
            bucket["ratings"][row["rating"]] = row["n"]
        elif row["choice"]:
            bucket["choices"][row["choice"]] = row["n"]
        else:
            bucket["texts"] += row["n"]
    multiple_ids = [q.pk for q in questions if q.kind == "multiple"]
    respondents = {}
    if multiple_ids:
        respondents = dict(
            Answer.objects.filter(question_id__in=multiple_ids)
            .values("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
            .values_list("question_id", "n")
        )
    withheld = {form.pk for form in forms if withholds_detail(form, responses.get(form.pk, 0))}
    comments = _comments([q.pk for q in questions if q.is_text and q.form_id not in withheld], comment_limit)

    by_form: dict[int, list[QuestionReport]] = defaultdict(list)
    for question in questions:
        bucket = counts[question.pk]
        report = QuestionReport(question=question)
        if question.is_rating:
            report.rating = rating_stats(bucket["ratings"], question.labels)
            report.answered = report.rating.count
        elif question.is_choice:
            chosen = bucket["choices"]
            report.answered = respondents.get(question.pk, 0) if question.kind == "multiple" else sum(chosen.values())
            # The options in the form's order, then anything answered that is no longer an option.
            labels = list(question.choices) + [c for c in sorted(chosen) if c not in question.choices]
            report.choices = [
                Bar(label=label, count=chosen.get(label, 0), percent=_percent(chosen.get(label, 0), report.answered))
                for label in labels
            ]
        else:
            report.comments_total = report.answered = bucket["texts"]
            report.comments = comments.get(question.pk, [])
            report.withheld = question.form_id in withheld and report.comments_total > 0
        by_form[question.form_id].append(report)
    return [
        FormReport(
            form=form,
            invited=invited.get(form.cohort_id, 0),
            answered=answered.get(form.pk, 0),
            responses=responses.get(form.pk, 0),
            questions=by_form.get(form.pk, []),
        )
        for form in forms
    ]


def _percent(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def _comments(question_ids: list[int], limit: int | None) -> dict[int, list[str]]:
    if not question_ids or limit == 0:
        return {}
    answers = Answer.objects.filter(question_id__in=question_ids)
    if limit is not None:
        # At most `limit` per question, in one query. Ordered by the random key: no order of arrival shows.
        answers = answers.annotate(
            position=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").asc())
        ).filter(position__lte=limit)
    result: dict[int, list[str]] = defaultdict(list)
    for question_id, text in answers.order_by("question_id", "id").values_list("question_id", "text"):
        result[question_id].append(text)
    return result


def iter_comments(form: EvaluationForm, chunk_size: int = 2000):
    """Every comment of a form as (question text, comment), in form order, read as a stream."""
    return (
        Answer.objects.filter(question__form=form, question__kind="text")
        .order_by("question__order", "question_id", "id")
        .values_list("question__text", "text")
        .iterator(chunk_size=chunk_size)
    )


def form_for_report(pk: int) -> EvaluationForm | None:
    return (
        EvaluationForm.objects.select_related("cohort__workshop", "occurrence__session", "occurrence__cohort")
        .filter(pk=pk)
        .first()
    )


def form_report(form: EvaluationForm, *, comment_limit: int | None = PAGE_COMMENT_LIMIT) -> FormReport:
    return form_reports([form], comment_limit=comment_limit)[0]


# --- a workshop's evaluations together ---------------------------------------------------------------------------


@dataclass
class TrendLine:
    key: str
    text: str
    # per group, the mean for each session number (None where there is nothing yet)
    means: dict[int, list[float | None]]


@dataclass
class ComparisonRow:
    """One question of a session (or of the course) with each group's result side by side."""

    key: str
    text: str
    kind: str
    by_cohort: list[QuestionReport | None]
    cohorts: list[Cohort]

    @property
    def cells(self) -> list[tuple[Cohort, QuestionReport | None]]:
        return list(zip(self.cohorts, self.by_cohort, strict=True))


@dataclass
class RateRow:
    label: str
    title: str
    session_number: int | None  # None: the course
    cells: list[FormReport | None]


@dataclass
class WorkshopReport:
    workshop: Workshop
    cohorts: list[Cohort]
    session_numbers: list[int]
    session_titles: dict[int, str]
    session_forms: dict[tuple[int, int], FormReport]  # (session number, cohort id)
    course_forms: dict[int, FormReport]  # cohort id
    trend: list[TrendLine]
    overall_trend: dict[int, list[float | None]]
    course_rows: list[ComparisonRow]

    @property
    def reports(self) -> list[FormReport]:
        return [*self.session_forms.values(), *self.course_forms.values()]

    @cached_property
    def rate_rows(self) -> list[RateRow]:
        """Response rates: one row per session and one for the course, a cell per group."""
        rows = [
            RateRow(
                gettext("Session %(number)s") % {"number": number},
                self.session_titles[number],
                number,
                [self.session_forms.get((number, c.pk)) for c in self.cohorts],
            )
            for number in self.session_numbers
        ]
        if self.course_forms:
            rows.append(
                RateRow(
                    gettext("Course"),
                    gettext("The whole course"),
                    None,
                    [self.course_forms.get(c.pk) for c in self.cohorts],
                )
            )
        return rows

    @property
    def has_responses(self) -> bool:
        return any(report.responses for report in self.reports)


def workshop_forms(workshop: Workshop) -> list[EvaluationForm]:
    return list(
        EvaluationForm.objects.filter(cohort__workshop=workshop)
        .select_related("cohort__workshop", "occurrence__session", "occurrence__cohort")
        .order_by("cohort__name", "-kind", "occurrence__session__number")
    )


def workshop_report(workshop: Workshop, *, comment_limit: int | None = 0) -> WorkshopReport:
    """Every form of a workshop: rates, the trend over the sessions per group, and the course side by side."""
    forms = workshop_forms(workshop)
    reports = form_reports(forms, comment_limit=comment_limit)
    cohorts = sorted({form.cohort_id: form.cohort for form in forms}.values(), key=lambda c: c.name)
    session_forms = {(r.form.session_number, r.form.cohort_id): r for r in reports if r.form.kind == Kind.SESSION}
    course_forms = {r.form.cohort_id: r for r in reports if r.form.kind == Kind.COURSE}
    titles = {r.form.session_number: r.form.occurrence.session.title for r in session_forms.values()}
    numbers = sorted(titles)

    # Rating questions are matched across sessions by key, in the order they first appear.
    questions: dict[str, str] = {}
    for number in numbers:
        for cohort in cohorts:
            report = session_forms.get((number, cohort.pk))
            for q in report.rating_questions if report else []:
                questions.setdefault(q.question.key, q.question.text)
    trend = []
    for key, text in questions.items():
        means = {}
        for cohort in cohorts:
            row = []
            for number in numbers:
                report = session_forms.get((number, cohort.pk))
                question = report.question(key) if report else None
                row.append(question.rating.mean if question and question.rating else None)
            means[cohort.pk] = row
        trend.append(TrendLine(key=key, text=text, means=means))
    overall = {
        cohort.pk: [
            session_forms[(n, cohort.pk)].overall_mean if (n, cohort.pk) in session_forms else None for n in numbers
        ]
        for cohort in cohorts
    }
    course_rows = comparison_rows([course_forms.get(c.pk) for c in cohorts], cohorts)
    return WorkshopReport(
        workshop=workshop,
        cohorts=cohorts,
        session_numbers=numbers,
        session_titles=titles,
        session_forms=session_forms,
        course_forms=course_forms,
        trend=trend,
        overall_trend=overall,
        course_rows=course_rows,
    )


def comparison_rows(reports: Sequence[FormReport | None], cohorts: Sequence[Cohort]) -> list[ComparisonRow]:
    """Line up the questions of several groups' forms by key, each group's result in its own column."""
    rows: dict[str, ComparisonRow] = {}
    for index, report in enumerate(reports):
        for question in report.questions if report else []:
            q = question.question
            row = rows.setdefault(q.key, ComparisonRow(q.key, q.text, q.kind, [None] * len(reports), list(cohorts)))
            row.by_cohort[index] = question
    return list(rows.values())


@dataclass
class Comparison:
    workshop: Workshop
    title: str
    cohorts: list[Cohort]
    reports: list[FormReport | None]
    rows: list[ComparisonRow]


def compare_groups(workshop: Workshop, session_number: int | None) -> Comparison | None:
    """One session's forms (or the course forms, with ``None``) of every group, question by question."""
    forms = EvaluationForm.objects.filter(cohort__workshop=workshop).select_related(
        "cohort__workshop", "occurrence__session", "occurrence__cohort"
    )
    if session_number is None:
        forms = forms.filter(kind=Kind.COURSE)
        title = gettext("Course evaluation")
    else:
        forms = forms.filter(kind=Kind.SESSION, occurrence__session__number=session_number)
    forms = sorted(forms, key=lambda f: f.cohort.name)
    if not forms:
        return None
    if session_number is not None:
        session = forms[0].occurrence.session
        title = gettext("Session %(number)s: %(title)s") % {"number": session.number, "title": session.title}
    reports = form_reports(forms, comment_limit=PAGE_COMMENT_LIMIT)
    cohorts = [f.cohort for f in forms]
    return Comparison(
        workshop=workshop,
        title=title,
        cohorts=cohorts,
        reports=reports,
        rows=comparison_rows(reports, cohorts),
    )
