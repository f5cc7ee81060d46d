"""Anonymous evaluations stay anonymous against an organizer with the admin, the downloads and the database.

Each test plays the organizer trying to pair a response with the person who gave it: by the moment they answered,
by the order rows were stored in, or by reading the comments of a form only one or two people have answered.
"""

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection, models
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluations import selectors, services
from evaluations.models import Answer, Completion, Response

from .factories import ParticipantFactory, UserFactory
from .factories_evaluations import EvaluationFormFactory, answer_all

OPENS = datetime(2031, 3, 1, 8, 0, tzinfo=UTC)
# Moments the organizer knows people were answering (seen in a call, told in a corridor).
MOMENTS = [datetime(2031, 3, 2, 9, 13, tzinfo=UTC), datetime(2031, 3, 5, 16, 47, tzinfo=UTC)]
SECRET_COMMENT = "Only the adviser to the minister would write this"


@pytest.fixture
def facilitator_client(client, programme):
    user = UserFactory()
    programme.facilitators.add(user)
    client.force_login(user)
    return client


def _anonymous_form(programme, **kwargs):
    return EvaluationFormFactory(cohort=programme.cohorts.get(name="Group A"), opens_at=OPENS, **kwargs)


def _answer_at(form, people, moments):
    """Each person answers through the portal's own service at a known moment; returns their Submitted results."""
    results = []
    for index, (person, moment) in enumerate(zip(people, moments, strict=True)):
        with time_machine.travel(moment, tick=False):
            values = {"relevance": 1 + index % 5, "time": 4, "improve": f"Comment number {index}"}
            results.append(services.submit_response(form, person, values))
    return results


# --- no moment is kept -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Response, Answer, Completion])
def test_responses_answers_and_completions_store_no_date_or_time(model):
    moments = [f.name for f in model._meta.get_fields() if isinstance(f, models.DateField | models.DateTimeField)]
    assert moments == []


def test_the_admin_shows_an_organizer_no_moment_of_answering(organizer_client, programme):
    form = _anonymous_form(programme)
    people = [ParticipantFactory(cohort=form.cohort) for _ in MOMENTS]
    _answer_at(form, people, MOMENTS)
    pages = [
        reverse("admin:evaluations_completion_changelist"),
        reverse("admin:evaluations_response_changelist"),
        reverse("admin:evaluations_answer_changelist"),
        *[reverse("admin:evaluations_completion_change", args=[c.pk]) for c in Completion.objects.all()],
        *[reverse("admin:evaluations_response_change", args=[r.pk]) for r in Response.objects.all()],
    ]
    for url in pages:
        response = organizer_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        # The answering happened in March 2031; nothing of it may show (not the year, month, day or time).
        for trace in ("2031", "March", "Mar.", "9:13", "09:13", "16:47", "4:47"):
            assert trace not in page, (url, trace)
    completions = organizer_client.get(reverse("admin:evaluations_completion_changelist")).content.decode()
    assert all(p.user.last_name in completions for p in people)  # who answered is still there, as it should be


def test_rows_are_stored_in_an_order_unrelated_to_who_answered_first(programme):
    form = _anonymous_form(programme)
    people = [ParticipantFactory(cohort=form.cohort) for _ in range(8)]
    moments = [OPENS + timedelta(hours=3 * i + 1) for i in range(8)]
    results = _answer_at(form, people, moments)
    answered_order = [r.response.pk for r in results]

    # What an organizer with a database shell sees: rows in the order the database keeps them.
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM evaluations_response WHERE form_id = %s ORDER BY {position}", [form.pk])
        stored_order = [uuid.UUID(str(row[0])) for row in cursor.fetchall()]
        cursor.execute(f"SELECT response_id FROM evaluations_answer ORDER BY {position}")
        answer_owners = [uuid.UUID(str(row[0])) for row in cursor.fetchall()]
    assert sorted(stored_order) == sorted(answered_order)
    # 8 rows in answering order by chance: 1 in 40,320.
    assert stored_order != answered_order
    last = answered_order[-1]
    assert answer_owners[-3:] != [last] * 3, "the last rows written are the last respondent's answers"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT xmin::text FROM evaluations_response WHERE form_id = %s", [form.pk])
            assert len(cursor.fetchall()) == 1  # one transaction wrote them all: none is the respondent's own

    # Shuffling keeps every answer, and each respondent can still change theirs with the key their browser holds.
    assert Answer.objects.filter(response__form=form).count() == 8 * 3
    first = results[0]
    assert selectors.own_response(form, people[0], first.edit_key).pk == first.response.pk
    assert selectors.response_values(first.response)["improve"] == "Comment number 0"


def test_a_response_listed_in_the_admin_is_ordered_by_its_random_key_not_its_arrival(organizer_client, programme):
    form = _anonymous_form(programme)
    people = [ParticipantFactory(cohort=form.cohort) for _ in range(5)]
    _answer_at(form, people, [OPENS + timedelta(hours=i + 1) for i in range(5)])
    page = organizer_client.get(reverse("admin:evaluations_response_changelist")).content.decode()
    shown = [str(pk)[:8] for pk in sorted(Response.objects.values_list("pk", flat=True), key=str)]
    assert [page.index(short) for short in shown] == sorted(page.index(short) for short in shown)


# --- downloads -------------------------------------------------------------------------------------------------------


def _csv(client, form):
    text = b"".join(client.get(reverse("evaluations:report_csv", args=[form.pk])).streaming_content).decode()
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(client, form):
    response = client.get(reverse("evaluations:report_xlsx", args=[form.pk]))
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _pdf_text(client, name, pk):
    pdf = PdfReader(io.BytesIO(client.get(reverse(name, args=[pk])).content))
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


def test_downloads_of_an_anonymous_form_carry_no_day_or_moment(facilitator_client, programme):
    form = _anonymous_form(programme)
    people = [ParticipantFactory(cohort=form.cohort) for _ in range(3)]
    _answer_at(form, people, [*MOMENTS, datetime(2031, 3, 9, 7, 5, tzinfo=UTC)])
    rows = _csv(facilitator_client, form)
    assert rows[0][0] == "Response" and rows[0][1].startswith("1. ")
    assert len(rows) == 4
    cells = [cell for row in rows for cell in row]
    assert not any("2031" in cell for cell in cells)
    book = _xlsx(facilitator_client, form)
    response_cells = [cell for row in book["Responses"].iter_rows(values_only=True) for cell in row]
    assert not any(isinstance(cell, datetime | date) or "2031-03-0" in str(cell) for cell in response_cells)
    assert "2031-03-0" not in _pdf_text(facilitator_client, "evaluations:report_pdf", form.pk)


# --- the threshold ---------------------------------------------------------------------------------------------------


def _answered_by(form, count, comment=SECRET_COMMENT):
    people = [ParticipantFactory(cohort=form.cohort) for _ in range(count)]
    values = [{"relevance": 5, "time": 4, "improve": comment}] + [{"relevance": 4, "time": 4}] * (count - 1)
    answer_all(form, people, values)
    return people


def _everything_a_facilitator_can_read(client, form, workshop):
    rows = _csv(client, form)
    book = _xlsx(client, form)
    return {
        "report page": client.get(reverse("evaluations:report", args=[form.pk])).content.decode(),
        "workshop page": client.get(reverse("evaluations:reports", args=[workshop.pk])).content.decode(),
        "comparison": client.get(reverse("evaluations:compare_course", args=[workshop.pk])).content.decode(),
        "csv": "\n".join(",".join(row) for row in rows),
        "xlsx": "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
        ),
        "pdf": _pdf_text(client, "evaluations:report_pdf", form.pk),
        "workshop pdf": _pdf_text(client, "evaluations:reports_pdf", workshop.pk),
    }


def test_comments_and_rows_of_an_anonymous_form_wait_for_three_responses(facilitator_client, programme):
    form = _anonymous_form(programme)
    _answered_by(form, 2)
    seen = _everything_a_facilitator_can_read(facilitator_client, form, programme)
    for where, text in seen.items():
        assert SECRET_COMMENT not in text, where
    for where in ("report page", "csv", "xlsx", "pdf", "workshop pdf"):
        assert "once at least 3 people have answered" in seen[where], where
    rows = _csv(facilitator_client, form)
    assert len(rows) == 2 and "once at least 3 people" in rows[1][0]  # no response row, only why
    # The figures stay whole and correct: two ratings, 5 and 4.
    assert "Mean <strong>4.50</strong>" in seen["report page"]
    summary = list(_xlsx(facilitator_client, form)["Summary"].iter_rows(values_only=True))
    relevance = next(row for row in summary if row[0] == "The session was relevant to my work.")
    assert list(relevance[1:9]) == [2, 4.5, 4.5, 0, 0, 0, 1, 1]

    _answered_by(form, 1, comment="A third voice")
    seen = _everything_a_facilitator_can_read(facilitator_client, form, programme)
    for where in ("report page", "csv", "xlsx", "pdf", "workshop pdf"):
        assert SECRET_COMMENT in seen[where], where
        assert "once at least 3 people" not in seen[where], where
    assert len(_csv(facilitator_client, form)) == 4


def test_the_threshold_is_a_setting(facilitator_client, programme, settings):
    settings.EVALUATIONS_ANONYMITY_THRESHOLD = 5
    form = _anonymous_form(programme)
    _answered_by(form, 4)
    seen = _everything_a_facilitator_can_read(facilitator_client, form, programme)
    assert SECRET_COMMENT not in seen["csv"] and SECRET_COMMENT not in seen["report page"]
    assert "once at least 5 people have answered" in seen["report page"]


def test_a_named_form_shows_its_single_response(facilitator_client, programme):
    form = _anonymous_form(programme, is_anonymous=False)
    _answered_by(form, 1)
    seen = _everything_a_facilitator_can_read(facilitator_client, form, programme)
    assert SECRET_COMMENT in seen["csv"] and SECRET_COMMENT in seen["report page"]
