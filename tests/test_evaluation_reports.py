"""Facilitators' evaluation reports: statistics, who may read them, downloads, and their cost in queries."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from common import timefmt
from evaluations import reports, selectors, services
from evaluations.models import EvaluationForm
from evaluations.urls import urlpatterns as evaluation_urls
from sessions_app.models import SessionOccurrence

from .factories import CohortFactory, ParticipantFactory, UserFactory, WorkshopFactory, build_programme
from .factories_evaluations import EvaluationFormFactory, answer_all

FORMULA = '=HYPERLINK("http://evil.example","click")'
KNOWN_ANSWERS = [
    {"relevance": 1, "time": 4, "parts": ["Presentations"], "pace": "Too slow", "improve": "More breaks"},
    {"relevance": 2, "time": 4, "parts": ["Presentations", "Breakout rooms"], "pace": "About right"},
    {"relevance": 2, "time": 5, "parts": [], "improve": FORMULA},
    {"relevance": 3, "time": 5, "parts": ["Breakout rooms"], "pace": "About right"},
    {
        "relevance": 5,
        "time": 5,
        "parts": ["Plenary", "Presentations"],
        "pace": "About right",
        "improve": "<b>Less</b> & more",
    },
    {"relevance": 5, "time": 1},
]


@pytest.fixture
def facilitator(programme):
    user = UserFactory(first_name="Felix", last_name="Facilitator")
    programme.facilitators.add(user)
    return user


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def answered_form(programme):
    """A form of Group A with the six known responses: 8 participants, 6 answered, one of those left since."""
    cohort = programme.cohorts.get(name="Group A")
    form = EvaluationFormFactory(cohort=cohort, title="Course evaluation")
    people = [
        ParticipantFactory(cohort=cohort, user=UserFactory(first_name="Zebedee", last_name=f"Quartermaine{i}"))
        for i in range(8)
    ]
    answer_all(form, people[:6], KNOWN_ANSWERS)
    people[0].is_active = False
    people[0].save()
    return form


# --- statistics --------------------------------------------------------------------------------------------------


def test_mean_median_and_distribution_of_known_ratings():
    stats = reports.rating_stats({1: 1, 2: 2, 3: 1, 5: 2}, ["Bad", "Poor", "Fair", "Good", "Great"])
    assert stats.count == 6
    assert stats.mean == pytest.approx(3.0)
    assert stats.median == 2.5  # ratings 1 2 2 3 5 5: between the third and the fourth
    assert [(bar.value, bar.label, bar.count) for bar in stats.bars] == [
        (1, "Bad", 1),
        (2, "Poor", 2),
        (3, "Fair", 1),
        (4, "Good", 0),
        (5, "Great", 2),
    ]
    assert [round(bar.percent, 1) for bar in stats.bars] == [16.7, 33.3, 16.7, 0.0, 33.3]
    odd = reports.rating_stats({4: 2, 5: 1})
    assert (odd.mean, odd.median) == (pytest.approx(13 / 3), 4.0)
    empty = reports.rating_stats({})
    assert (empty.count, empty.mean, empty.median) == (0, None, None)


def test_form_report_on_known_answers(answered_form):
    report = reports.form_report(answered_form)
    assert (report.invited, report.answered, report.responses) == (7, 5, 6)
    assert report.rate == pytest.approx(100 * 5 / 7)
    relevance = report.question("relevance").rating
    assert (relevance.count, relevance.mean, relevance.median) == (6, pytest.approx(3.0), 2.5)
    assert [bar.count for bar in relevance.bars] == [1, 2, 1, 0, 2]
    time = report.question("time").rating
    assert (time.mean, time.median) == (pytest.approx(4.0), 4.5)
    parts = report.question("parts")
    assert parts.answered == 4
    assert [(bar.label, bar.count, bar.percent) for bar in parts.choices] == [
        ("Presentations", 3, 75.0),
        ("Breakout rooms", 2, 50.0),
        ("Plenary", 1, 25.0),
    ]
    pace = report.question("pace")
    assert [(bar.label, bar.count) for bar in pace.choices] == [("Too slow", 1), ("About right", 3), ("Too fast", 0)]
    improve = report.question("improve")
    assert improve.comments_total == 3
    assert sorted(improve.comments) == sorted(["More breaks", FORMULA, "<b>Less</b> & more"])


def test_report_page_shows_rate_statistics_bars_and_every_comment(facilitator_client, answered_form):
    page = facilitator_client.get(reverse("evaluations:report", args=[answered_form.pk])).content.decode()
    assert "71%" in page and "5 of 7 active participants answered" in page
    assert "Mean <strong>3.00</strong> · median <strong>2.5</strong> · 6 answers" in page
    assert 'style="width: 33.3%"' in page  # the bar of the two 5s
    assert "More breaks" in page and "&lt;b&gt;Less&lt;/b&gt; &amp; more" in page
    assert "Presentations" in page and "3 (75%)" in page


def test_workshop_report_shows_the_trend_over_sessions_and_the_groups_side_by_side(facilitator_client, programme):
    services.ensure_forms(programme)
    group_a, group_b = programme.cohorts.get(name="Group A"), programme.cohorts.get(name="Group B")
    people_a = [ParticipantFactory(cohort=group_a) for _ in range(2)]
    people_b = [ParticipantFactory(cohort=group_b) for _ in range(2)]

    def values(rating):
        keys = ["relevance", "presentations", "activities", "time-management", "platform"]
        return dict.fromkeys(keys, rating)

    for number, rating in ((1, 3), (2, 4)):
        form = EvaluationForm.objects.get(cohort=group_a, occurrence__session__number=number)
        answer_all(form, people_a, [values(rating), values(rating)])
    answer_all(EvaluationForm.objects.get(cohort=group_b, occurrence__session__number=1), people_b, [values(5)] * 2)
    course_a = selectors.course_form_for(group_a)
    answer_all(course_a, people_a[:1], [{"objectives-met": 4, "will-apply": 5, "recommend": "Probably", "overall": 4}])

    report = reports.workshop_report(programme)
    relevance = next(line for line in report.trend if line.key == "relevance")
    assert relevance.means[group_a.pk] == [3.0, 4.0, None, None, None]
    assert relevance.means[group_b.pk] == [5.0, None, None, None, None]
    overall = next(row for row in report.course_rows if row.key == "overall")
    assert overall.by_cohort[0].rating.mean == 4.0 and overall.by_cohort[1].rating.count == 0

    page = facilitator_client.get(reverse("evaluations:reports", args=[programme.pk])).content.decode()
    assert '<svg class="trend-chart"' in page and "Group A, S2: 4.00" in page
    assert "2/0" not in page and "2/2 (100%)" in page
    compare = facilitator_client.get(reverse("evaluations:compare_session", args=[programme.pk, 1])).content.decode()
    assert compare.index("Group A") < compare.index("Group B")
    assert "Mean <strong>3.00</strong>" in compare and "Mean <strong>5.00</strong>" in compare


def test_facilitate_page_links_each_group_to_the_reports(facilitator_client, programme):
    page = facilitator_client.get(reverse("sessions:facilitate")).content.decode()
    cohort = programme.cohorts.get(name="Group B")
    assert f"{reverse('evaluations:reports', args=[programme.pk])}#group-{cohort.pk}" in page


def test_facilitator_opens_a_form_early_and_participants_can_answer(facilitator_client, programme):
    services.ensure_forms(programme)
    cohort = programme.cohorts.get(name="Group A")
    form = selectors.course_form_for(cohort)
    assert form.status() == "closed"  # the 2021 programme is long over: reopening works the same way
    upcoming = EvaluationFormFactory(
        cohort=CohortFactory(workshop=programme), opens_at=timezone.now() + timedelta(days=3)
    )
    response = facilitator_client.post(reverse("evaluations:open_now", args=[upcoming.pk]), follow=True)
    assert "is open for" in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.status() == "open" and not upcoming.follows_schedule
    member = ParticipantFactory(cohort=upcoming.cohort)
    client = Client()
    client.force_login(member.user)
    answers = {"relevance": "5", "time": "4"}
    assert client.post(reverse("evaluations:form", args=[upcoming.pk]), answers).status_code == 302


# --- who may read reports ----------------------------------------------------------------------------------------

REPORT_PATTERNS = [p for p in evaluation_urls if isinstance(p, URLPattern) and str(p.pattern).startswith("facilitate/")]


def report_urls(workshop, form):
    urls = []
    for pattern in REPORT_PATTERNS:
        kwargs = {}
        for name in pattern.pattern.converters:
            kwargs[name] = {"workshop_pk": workshop.pk, "pk": form.pk, "number": 1}[name]
        urls.append(reverse(f"evaluations:{pattern.name}", kwargs=kwargs))
    return urls


def test_every_report_address_is_covered():
    names = {f"evaluations:{p.name}" for p in REPORT_PATTERNS}
    assert {"evaluations:reports", "evaluations:report", "evaluations:report_csv", "evaluations:report_xlsx"} <= names
    assert {"evaluations:report_pdf", "evaluations:reports_pdf", "evaluations:open_now"} <= names
    assert len(names) == 10


def test_a_participant_gets_404_on_every_report_url(client, programme):
    services.ensure_forms(programme)
    member = ParticipantFactory(cohort=programme.cohorts.get(name="Group A"))
    form = selectors.course_form_for(member.cohort)
    answer_all(form, [member], [{"objectives-met": 4, "will-apply": 4, "recommend": "No", "overall": 4}])
    client.force_login(member.user)
    for url in report_urls(programme, form):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url).status_code in (403, 404), url
    form.refresh_from_db()
    assert form.follows_schedule  # the "open now" post changed nothing


def test_facilitators_of_another_workshop_and_strangers_cannot_read_reports(client, programme):
    services.ensure_forms(programme)
    form = EvaluationForm.objects.filter(cohort__workshop=programme).first()
    urls = report_urls(programme, form)
    for url in urls:
        assert client.get(url).status_code == 302  # signed out: to the sign-in page
    elsewhere = WorkshopFactory()
    stranger = UserFactory()
    elsewhere.facilitators.add(stranger)
    client.force_login(stranger)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_organizers_read_every_report(organizer_client, answered_form):
    assert organizer_client.get(reverse("evaluations:report", args=[answered_form.pk])).status_code == 200


# --- downloads ---------------------------------------------------------------------------------------------------


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_has_one_row_per_response_with_readable_headers_in_form_order(facilitator_client, answered_form):
    response = facilitator_client.get(reverse("evaluations:report_csv", args=[answered_form.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="' in response["Content-Disposition"]
        and "course-group-a-evaluation-en.csv" in (response["Content-Disposition"])
    )
    rows = read_csv(response)
    assert rows[0] == [
        "Response",
        "1. The session was relevant to my work. (1–5)",
        "2. Time management (1–5)",
        "3. Which parts helped you most? (options chosen)",
        "4. The pace was",
        "5. What should we improve?",
    ]
    body = rows[1:]
    assert len(body) == 6
    assert sorted(row[1] for row in body) == ["1", "2", "2", "3", "5", "5"]
    assert "Presentations; Plenary" in [row[3] for row in body]  # options in the form's order


def test_csv_cells_cannot_run_as_spreadsheet_formulas(facilitator_client, answered_form):
    rows = read_csv(facilitator_client.get(reverse("evaluations:report_csv", args=[answered_form.pk])))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_xlsx_reads_back_with_openpyxl(facilitator_client, answered_form):
    response = facilitator_client.get(reverse("evaluations:report_xlsx", args=[answered_form.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Summary", "Responses", "Comments"]
    summary = list(book["Summary"].iter_rows(values_only=True))
    relevance = next(row for row in summary if row[0] == "The session was relevant to my work.")
    assert list(relevance[1:9]) == [6, 3.0, 2.5, 1, 2, 1, 0, 2]
    facts = {row[0].value: row[1] for row in book["Summary"].iter_rows(max_col=2) if row[0].value}
    # The rate is a number shown as a percentage, the counts integers, the moments real dates in the reference zone.
    rate = facts["Response rate"]
    assert rate.value == pytest.approx(5 / 7, abs=1e-4) and rate.number_format == "0%"
    assert facts["Invited (active participants)"].value == 7 and facts["Answered"].value == 5
    zone = answered_form.cohort.workshop.reference_timezone_label
    opens, closes = facts[f"Opens ({zone})"], facts[f"Closes ({zone})"]
    assert opens.is_date and closes.is_date and opens.number_format == "yyyy-mm-dd hh:mm"
    tz = answered_form.cohort.workshop.tz
    assert opens.value == answered_form.opens_at.astimezone(tz).replace(tzinfo=None, microsecond=0)
    responses = list(book["Responses"].iter_rows(values_only=True))
    assert responses[0][1] == "1. The session was relevant to my work. (1–5)"
    assert len(responses) == 7
    formula_cells = [cell for row in book["Responses"].iter_rows() for cell in row if cell.value == FORMULA]
    assert formula_cells and all(cell.data_type == "s" for cell in formula_cells)  # text, never a formula
    comments = list(book["Comments"].iter_rows(values_only=True))
    assert len(comments) == 4


def test_pdf_report_has_pages_and_names_the_session(facilitator_client, programme):
    services.ensure_forms(programme)
    occurrence = SessionOccurrence.objects.select_related("session").get(cohort__name="Group A", session__number=2)
    occurrence.session.title = "Digital Government & Capability <Assessment>"
    occurrence.session.save()
    form = selectors.form_for_occurrence(occurrence)
    form.title = f"Session 2: {occurrence.session.title}"
    form.save()
    people = [ParticipantFactory(cohort=occurrence.cohort) for _ in range(3)]
    base = {"relevance": 4, "presentations": 5, "activities": 3, "time-management": 4, "platform": 2}
    answer_all(
        form,
        people,
        [
            {**base, "improve": "More <i>breaks</i> & water"},
            base,
            {**base, "useful-parts": ["Videos and case studies"]},
        ],
    )
    response = facilitator_client.get(reverse("evaluations:report_pdf", args=[form.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) >= 1
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Digital Government & Capability <Assessment>" in text
    assert "Mean 4.00 · median 4 · 3 answers" in text
    assert "More <i>breaks</i> & water" in text


def test_downloads_without_responses_are_valid_files_that_say_so(facilitator_client, programme):
    form = EvaluationFormFactory(cohort=programme.cohorts.get(name="Group A"))
    rows = read_csv(facilitator_client.get(reverse("evaluations:report_csv", args=[form.pk])))
    assert rows[1] == ["No responses yet."]
    response = facilitator_client.get(reverse("evaluations:report_xlsx", args=[form.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert ("No responses yet.",) in [row[:1] for row in book["Summary"].iter_rows(values_only=True)]
    assert list(book["Responses"].iter_rows(values_only=True))[1][0] == "No responses yet."
    pdf = PdfReader(io.BytesIO(facilitator_client.get(reverse("evaluations:report_pdf", args=[form.pk])).content))
    assert "No responses yet." in pdf.pages[0].extract_text()
    workshop_pdf = facilitator_client.get(reverse("evaluations:reports_pdf", args=[programme.pk])).content
    assert "No responses yet." in PdfReader(io.BytesIO(workshop_pdf)).pages[0].extract_text()


def test_anonymous_exports_hold_no_names_emails_or_times(facilitator_client, answered_form):
    people = [c.participant for c in answered_form.completions.select_related("participant__user")]
    secrets = {p.user.email for p in people} | {p.user.last_name for p in people} | {"Zebedee"}
    csv_text = b"".join(
        facilitator_client.get(reverse("evaluations:report_csv", args=[answered_form.pk])).streaming_content
    ).decode()
    xlsx = load_workbook(
        io.BytesIO(
            b"".join(
                facilitator_client.get(reverse("evaluations:report_xlsx", args=[answered_form.pk])).streaming_content
            )
        )
    )
    xlsx_text = " ".join(
        str(v) for sheet in xlsx for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    )
    pdf = PdfReader(
        io.BytesIO(facilitator_client.get(reverse("evaluations:report_pdf", args=[answered_form.pk])).content)
    )
    pdf_text = " ".join(page.extract_text() for page in pdf.pages)
    for text in (csv_text, xlsx_text, pdf_text):
        assert not any(secret in text for secret in secrets)
    header = next(csv.reader(io.StringIO(csv_text[1:])))
    assert header[1].startswith("1. ") and not any("date" in column.lower() for column in header)
    cells = [cell for row in xlsx["Responses"].iter_rows(values_only=True) for cell in row]
    assert not any(isinstance(cell, datetime | date) for cell in cells)


def test_named_exports_say_who_answered(facilitator_client, programme):
    cohort = programme.cohorts.get(name="Group A")
    form = EvaluationFormFactory(cohort=cohort, is_anonymous=False)
    person = ParticipantFactory(cohort=cohort, user=UserFactory(first_name="Ada", last_name="Lovelace"))
    answer_all(form, [person], [{"relevance": 5, "time": 5}])
    rows = read_csv(facilitator_client.get(reverse("evaluations:report_csv", args=[form.pk])))
    assert rows[0][:4] == ["Response", "Name", "E-mail", "Country"]
    assert rows[1][1:4] == ["Ada Lovelace", person.user.email, person.country.name]


def test_workshop_overview_workbook_has_rates_means_and_course(facilitator_client, answered_form, programme):
    response = facilitator_client.get(reverse("evaluations:reports_xlsx", args=[programme.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Response rates", "Means by session", "Course"]
    course = list(book["Course"].iter_rows(values_only=True))
    assert course[1][0] == "The session was relevant to my work." and course[1][1].startswith("mean 3.00, median 2.5")


# --- cost: a fixed number of queries whatever the size ----------------------------------------------------------


def _noise(responses: int):
    """Another run's form holding many responses: reports of other forms must not read them."""
    other = build_programme(sessions=1, items_per_session=0, tasks_per_session=0, groups=("Group X",))
    form = EvaluationFormFactory(cohort=other.cohorts.get())
    answer_all(form, [None] * responses, [{"relevance": 3, "time": 4, "improve": "x"}] * responses)


def _form_with(cohort, size):
    form = EvaluationFormFactory(cohort=cohort)
    people = [ParticipantFactory(cohort=cohort) for _ in range(size)]
    answer_all(form, people, [KNOWN_ANSWERS[i % len(KNOWN_ANSWERS)] for i in range(size)])
    return form


def _count(client, url, streaming=False):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    ("name", "streaming", "limit"),
    [
        ("evaluations:report", False, 16),
        ("evaluations:report_xlsx", True, 14),
        ("evaluations:report_csv", True, 10),
        ("evaluations:report_pdf", False, 14),
    ],
)
def test_report_and_downloads_take_the_same_queries_for_5_or_40_responses(
    facilitator_client, programme, django_assert_max_num_queries, name, streaming, limit
):
    _noise(3000)
    small = _form_with(programme.cohorts.get(name="Group A"), 5)
    large = _form_with(programme.cohorts.get(name="Group B"), 40)
    facilitator_client.get(reverse("sessions:facilitate"))  # a session's first page also looks up who is signed in
    counts = []
    for form in (small, large):
        with django_assert_max_num_queries(limit):
            counts.append(_count(facilitator_client, reverse(name, args=[form.pk]), streaming))
    assert counts[0] == counts[1]


def test_the_workshop_page_takes_the_same_queries_for_few_or_many_responses(
    facilitator_client, django_assert_max_num_queries
):
    counts = []
    for size in (6, 20):  # 3 or 10 responses per form: both past the anonymity threshold, so comments are read
        workshop = build_programme(sessions=5, items_per_session=0, tasks_per_session=0)
        facilitator = UserFactory()
        workshop.facilitators.add(facilitator)
        services.ensure_forms(workshop)
        for form in EvaluationForm.objects.filter(cohort__workshop=workshop).select_related("cohort"):
            people = [ParticipantFactory(cohort=form.cohort) for _ in range(size // 2)]
            values = {"relevance": 4, "presentations": 4, "activities": 4, "time-management": 4, "platform": 4}
            values |= {"objectives-met": 4, "will-apply": 4, "recommend": "No", "overall": 4, "improve": "x"}
            answer_all(form, people, [values] * len(people))
        facilitator_client.force_login(facilitator)
        with django_assert_max_num_queries(20):
            counts.append(_count(facilitator_client, reverse("evaluations:reports", args=[workshop.pk])))
    assert counts[0] == counts[1]


def test_the_workshop_xlsx_keeps_counts_and_rates_as_numbers(facilitator_client, programme, answered_form):
    response = facilitator_client.get(reverse("evaluations:reports_xlsx", args=[programme.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["Response rates"].iter_rows())
    header = [cell.value for cell in rows[1]]
    assert header[1:4] == ["Group A answered", "Group A invited", "Group A rate"]
    line = next(row for row in rows if row[1].value == 5)
    answered, invited, rate = line[1], line[2], line[3]
    assert (answered.value, invited.value) == (5, 7) and answered.data_type == "n"
    assert rate.value == pytest.approx(5 / 7, abs=1e-4) and rate.number_format == "0%"


class _TextRuns:
    """Where pypdf draws each text run of a page: (text, x, y)."""

    def __init__(self):
        self.runs = []

    def __call__(self, text, cm, tm, font_dict, font_size):
        if text.strip():
            self.runs.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], font_size * tm[0]))


def test_the_pdf_footer_never_draws_the_printed_date_over_the_page_number(facilitator_client, programme):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    workshop_title = "A very long workshop title about digital government and capability " * 3
    programme.title = workshop_title.strip()
    programme.save()
    cohort = programme.cohorts.get(name="Group A")
    cohort.name = "Group A with a long name that goes on"
    cohort.save()
    form = EvaluationFormFactory(cohort=cohort)
    pdf = PdfReader(io.BytesIO(facilitator_client.get(reverse("evaluations:report_pdf", args=[form.pk])).content))
    runs = _TextRuns()
    pdf.pages[0].extract_text(visitor_text=runs)
    footer = [run for run in runs.runs if run[2] < 40]  # the footer line sits 10 mm from the bottom
    printed = next(run for run in footer if "printed" in run[0])
    page = next(run for run in footer if run[0] == "Page 1")
    assert printed[2] == pytest.approx(page[2])  # one line
    printed_right = printed[1] + stringWidth(printed[0], "Helvetica", 8)
    assert printed_right < page[1]  # the left text ends before the page number begins
    # The date is localised by the one moment helper (day without a leading zero, month names per language).
    assert printed[0].endswith(f"printed {timefmt.date_text(timezone.now(), 'day_year')}") and "…" in printed[0]
