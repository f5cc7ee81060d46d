"""The workshop report: every section's figures against the data, the files, anonymity, names, permissions,
background generation and query counts."""

from __future__ import annotations

import io
import re
import time
from datetime import date, timedelta

import docx
import openpyxl
import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from action_plans.models import ActionUpdate, ServiceQuality
from assessments.selectors import instrument_structure
from attendance.models import Attendance, Certificate
from evaluations.models import EvaluationForm, FormQuestion
from live.models import KeyMessages
from reports import document, pdf, selectors, services, spreadsheet, word
from reports.models import ChosenComment, GeneratedReport
from reports.tasks import build_report

from .factories import UserFactory
from .factories_action_plans import action, sdg
from .factories_assessments import agree, build_run
from .factories_evaluations import EvaluationFormFactory, answer_all
from .factories_live import enrol, live_workshop, mark, occurrence_of
from .factories_nominations import CallFactory, NominationFactory

OPEN_COMMENT = "The breakout rooms were the best part."
SECRET_COMMENT = "Only two of us answered this one."


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _session_form(occurrence, **fields):
    return EvaluationFormFactory(
        cohort=occurrence.cohort,
        kind="session",
        occurrence=occurrence,
        title=f"Session {occurrence.session.number} evaluation",
        opens_at=occurrence.ends_at,
        **fields,
    )


def _values(relevance, time_rating, comment=""):
    values = {"relevance": relevance, "time": time_rating, "pace": "About right"}
    if comment:
        values["improve"] = comment
    return values


@pytest.fixture
def facilitator(db):
    return UserFactory(first_name="Felix", last_name="Facilitator")


@pytest.fixture
def world(facilitator):
    """Two groups, two sessions, attendance, certificates, evaluations, a DTCA and action plans with known figures."""
    workshop = live_workshop(sessions=2, facilitator=facilitator)
    group_a, group_b = workshop.cohorts.order_by("name")
    people_a = enrol(group_a, countries=3)  # 6
    people_b = enrol(group_b, countries=2, prefix="q")  # 4
    a1, a2 = occurrence_of(workshop, "Group A", 1), occurrence_of(workshop, "Group A", 2)
    b1, b2 = occurrence_of(workshop, "Group B", 1), occurrence_of(workshop, "Group B", 2)
    mark(a1, people_a)
    mark(a2, people_a[:5])
    mark(a2, people_a[5:], Attendance.Status.ABSENT)
    mark(b1, people_b[:3])
    mark(b1, people_b[3:], Attendance.Status.PARTLY)  # partly does not count by default
    mark(b2, people_b)
    for index, person in enumerate(people_a[:3]):
        Certificate.objects.create(
            participant=person,
            code=f"CODE{index:08d}",
            holder_name=str(person.user),
            workshop_title=workshop.title,
            group_name=group_a.name,
            first_session_on=date(2021, 3, 23),
            last_session_on=date(2021, 3, 30),
            sessions_attended=2,
            revoked_at=timezone.now() if index == 2 else None,  # revoked: not counted
        )
    KeyMessages.objects.create(occurrence=a1, text="Change starts with purpose.\nTry small, learn fast.")

    form_a = _session_form(a1)
    answer_all(
        form_a,
        people_a[:4],
        [_values(5, 4, OPEN_COMMENT), _values(4, 4), _values(4, 2), _values(3, 2)],
    )
    form_b = _session_form(b1)  # anonymous, 2 responses: under the threshold of 3
    answer_all(form_b, people_b[:2], [_values(2, 3, SECRET_COMMENT), _values(4, 3)])
    course_a = EvaluationFormFactory(cohort=group_a, title="Course", opens_at=a2.ends_at)
    answer_all(course_a, people_a[:3], [_values(5, 5), _values(5, 4), _values(2, 3)])

    run = build_run(workshop)
    structure = instrument_structure(run.instrument)
    leadership, strategy, legal = structure.dimensions
    # Group A: two countries agree their assessment; Group B has none.
    agree(run, group_a, people_a[0].country, [5, 5, 5, 3, 3, 1, 1], structure=structure)
    agree(run, group_a, people_a[2].country, [3, 3, 3, 3, 3, 3, 3], structure=structure)

    done = action(people_a[0], leadership, title="Digital ID", status="done")
    action(people_a[0], leadership, title="Open data portal", status="started")
    legal_action = action(people_a[2], legal, title="E-signature law")
    action(people_b[0], strategy, title="Strategy refresh", status="stalled")
    done.sdgs.set([sdg(1), sdg(16)])
    legal_action.sdgs.set([sdg(16)])
    done.qualities.set([ServiceQuality.objects.order_by("order").first()])
    course_end = b2.ends_at
    ActionUpdate.objects.create(
        action=done, status="started", previous_status="not_started", at=course_end + timedelta(days=40)
    )
    ActionUpdate.objects.create(
        action=done, status="done", previous_status="started", at=course_end + timedelta(days=120)
    )
    return {
        "workshop": workshop,
        "group_a": group_a,
        "group_b": group_b,
        "people_a": people_a,
        "people_b": people_b,
        "form_a": form_a,
        "form_b": form_b,
        "dimensions": (leadership, strategy, legal),
    }


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


def _comment_question(form):
    return FormQuestion.objects.get(form=form, key="improve")


# --- the figures, section by section ------------------------------------------------------------------------------


def test_participation_counts_enrolment_attendance_and_valid_certificates(world):
    data = selectors.report_data(world["workshop"])
    p = data.participation
    assert p.enrolled == 10
    assert p.country_count == 3  # the groups share “Country 00” and “Country 01”
    by_group = {g.cohort.name: g for g in p.groups}
    assert (by_group["Group A"].enrolled, by_group["Group A"].attended_all, by_group["Group A"].certificates) == (
        6,
        5,
        2,
    )
    assert (by_group["Group B"].enrolled, by_group["Group B"].attended_all, by_group["Group B"].certificates) == (
        4,
        3,
        0,
    )
    rows = {(a.number, a.cohort.name): a for a in p.attendance}
    assert (rows[(2, "Group A")].present, rows[(2, "Group A")].absent) == (5, 1)
    assert (rows[(1, "Group B")].present, rows[(1, "Group B")].partly, rows[(1, "Group B")].not_recorded) == (3, 1, 0)
    assert p.annex is None


def _nominate(world):
    """Group A: 3 women and 2 men recorded, one nomination with neither, one person enrolled without a nomination.
    Group B: one executive woman; the others have no nomination. A withdrawn person's nomination never counts."""
    call = CallFactory(workshop=world["workshop"])
    a, b = world["people_a"], world["people_b"]
    profiles = [("woman", "junior"), ("woman", "senior"), ("woman", "senior"), ("man", "middle"), ("man", "")]
    for person, (gender, seniority) in zip(a, profiles, strict=False):
        NominationFactory(call=call, country=person.country, participant=person, gender=gender, seniority=seniority)
    NominationFactory(call=call, country=a[5].country, participant=a[5], gender="", seniority="")
    NominationFactory(call=call, country=b[0].country, participant=b[0], gender="woman", seniority="executive")
    gone = enrol(world["group_b"], countries=1, per_country=1, prefix="gone")[0]
    NominationFactory(call=call, country=gone.country, participant=gone, gender="man", seniority="junior")
    gone.is_active = False
    gone.save(update_fields=["is_active"])


def test_gender_and_seniority_come_from_the_nominations_and_count_the_unknown(world):
    _nominate(world)
    p = selectors.report_data(world["workshop"]).participation
    by_group = {g.cohort.name: g for g in p.groups}
    a, b = by_group["Group A"], by_group["Group B"]
    assert (a.gender["woman"], a.gender["man"], a.gender["other"], a.gender[""]) == (3, 2, 0, 1)
    assert (a.seniority["junior"], a.seniority["middle"], a.seniority["senior"], a.seniority[""]) == (1, 1, 2, 2)
    assert (b.gender["woman"], b.gender[""]) == (1, 3) and b.seniority["executive"] == 1
    assert sum(a.gender.values()) == a.enrolled and sum(b.seniority.values()) == b.enrolled  # everyone once
    assert (p.gender["woman"], p.gender["man"], p.gender[""]) == (4, 2, 4)
    assert (p.seniority["senior"], p.seniority["executive"], p.seniority[""]) == (2, 1, 5)

    built = document.build(selectors.report_data(world["workshop"]))
    gender = next(b for b in built.blocks if isinstance(b, document.Table) and b.headers[0] == "Gender")
    assert gender.headers == ["Gender", "Group A", "Group B", "Total", "Share"]
    assert gender.rows[0] == ["Woman", 3, 1, 4, "40%"]
    assert gender.rows[-1] == ["Not known", 1, 3, 4, "40%"]
    seniority = next(b for b in built.blocks if isinstance(b, document.Table) and b.headers[0] == "Seniority")
    assert [row[0] for row in seniority.rows][-1] == "Not known" and seniority.rows[-1][1:4] == [2, 3, 5]

    text = " ".join(_pdf_text(pdf.render(built)).split())
    assert "Gender and seniority" in text and "Woman 3 1 4 40%" in text
    opened = docx.Document(io.BytesIO(word.render(built)))
    table = next(t for t in opened.tables if t.rows[0].cells[0].text == "Seniority")
    assert [c.text for c in table.rows[-1].cells] == ["Not known", "2", "3", "5", "50%"]
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.render(selectors.report_data(world["workshop"]))))
    rows = {r[:3]: r[4] for r in book["Gender and seniority"].iter_rows(min_row=2, values_only=True)}
    assert rows[("Group A", "Gender", "woman")] == 3 and rows[("All groups", "Gender", "not_known")] == 4
    assert rows[("Group B", "Seniority", "executive")] == 1 and rows[("All groups", "Seniority", "not_known")] == 5


def test_a_group_report_counts_that_groups_gender_and_seniority_alone(world, facilitator_client):
    _nominate(world)
    data = selectors.report_data(world["workshop"], world["group_b"])
    assert (data.participation.gender["woman"], data.participation.gender[""]) == (1, 3)
    page = facilitator_client.get(reverse("reports:group", args=[world["workshop"].pk, world["group_b"].pk]))
    assert (
        "Gender and seniority" in page.content.decode()
        and "Executive (head of a unit or above)" in page.content.decode()
    )


def test_without_nominations_the_report_says_gender_and_seniority_are_not_known(world):
    built = document.build(selectors.report_data(world["workshop"]))
    notes = [b.text for b in built.blocks if isinstance(b, document.Para)]
    assert "No nomination of these participants recorded a gender or a seniority." in notes
    assert not any(isinstance(b, document.Table) and b.headers[0] == "Gender" for b in built.blocks)


def test_partly_present_counts_when_the_workshop_says_so(world):
    from attendance.models import LiveSettings

    LiveSettings.objects.create(workshop=world["workshop"], partly_counts_for_certificate=True)
    data = selectors.report_data(world["workshop"], world["group_b"])
    assert data.participation.groups[0].attended_all == 4


def test_programme_lists_each_groups_dates_speakers_and_the_recorded_key_messages(world):
    sessions = selectors.report_data(world["workshop"]).programme
    assert [s.number for s in sessions] == [1, 2]
    first = sessions[0]
    assert [d.cohort.name for d in first.deliveries] == ["Group A", "Group B"]
    assert first.deliveries[0].starts_at == occurrence_of(world["workshop"], "Group A", 1).starts_at
    assert first.speakers == ["Mr. Dimis Michaelides"]
    assert first.key_messages == ["Change starts with purpose.", "Try small, learn fast."]


def test_dtca_shows_each_groups_profile_and_agreement_never_a_ranking(world):
    dtca = selectors.report_data(world["workshop"]).dtca
    group_a = next(g for g in dtca.groups if g.cohort.name == "Group A")
    profile = {d.name: (d.mean, d.minimum, d.maximum, d.spread) for d in group_a.dimensions}
    assert profile["Leadership"] == (4.0, 3.0, 5.0, 2.0)
    assert profile["Strategy"] == (3.0, 3.0, 3.0, 0.0)
    assert profile["Legal"] == (2.0, 1.0, 3.0, 2.0)
    assert group_a.most_agreement == "Strategy"
    assert (group_a.countries, group_a.agreed) == (2, 2)
    group_b = next(g for g in dtca.groups if g.cohort.name == "Group B")
    assert group_b.countries == 0
    built = document.build(selectors.report_data(world["workshop"]))
    text = " ".join(b.text for b in built.blocks if isinstance(b, document.Para))
    assert "Not a benchmark" in text and "never ranked" in text


def test_evaluations_give_rates_and_means_per_question_across_sessions_and_the_course(world):
    e = selectors.report_data(world["workshop"]).evaluations
    rates = {(r.label, r.cohort.name): r for r in e.rates}
    assert (rates[("Session 1", "Group A")].answered, rates[("Session 1", "Group A")].invited) == (4, 6)
    assert rates[("Session 1", "Group B")].rate == 50.0
    relevance = next(q for q in e.questions if q.key == "relevance")
    # Both groups' answers pooled: 5, 4, 4, 3 and 2, 4.
    assert relevance.stats(1).mean == pytest.approx(22 / 6)
    assert [b.count for b in relevance.stats(1).bars] == [0, 1, 1, 3, 1]
    course = {q.key: q for q in e.course}
    assert course["relevance"].rating.mean == pytest.approx(4.0)
    assert {b.label: b.count for b in course["pace"].choices}["About right"] == 3


def test_actions_by_dimension_sdg_quality_and_status_at_each_follow_up(world):
    a = selectors.report_data(world["workshop"]).actions
    assert a.total == 4 and a.teams == 3
    dims = {row.label: row for row in a.by_dimension}
    assert (dims["Leadership"].total, dims["Leadership"].count("done"), dims["Leadership"].count("started")) == (
        2,
        1,
        1,
    )
    assert dims["Legal"].count("not_started") == 1
    assert dict((n, c) for n, _name, c in a.by_sdg) == {1: 1, 16: 2}
    assert sum(n for _name, n in a.by_quality) == 1
    columns = {c.months: c for c in a.followups}
    # The done action: not started at the end of the course, started after 40 days, done after 120.
    assert columns[None].counts["done"] == 0 and columns[None].counts["not_started"] == 2
    assert columns[3].counts["done"] == 0 and columns[3].counts["started"] == 2  # 3 months: ~90 days
    assert columns[6].counts["done"] == 1 and columns[6].counts["started"] == 1
    assert columns[0].counts["done"] == 1
    assert a.done_at_course_end == 0 and a.done_now == 1


def test_a_group_report_counts_that_group_alone(world):
    data = selectors.report_data(world["workshop"], world["group_b"])
    assert data.participation.enrolled == 4
    assert {r.cohort.name for r in data.evaluations.rates} == {"Group B"}
    assert data.actions.total == 1
    assert [g.cohort.name for g in data.dtca.groups] == ["Group B"]


# --- anonymity and names ------------------------------------------------------------------------------------------


def test_a_form_under_the_anonymity_threshold_shows_no_comments_even_if_chosen(world, facilitator):
    workshop = world["workshop"]
    with pytest.raises(Exception, match="too few responses"):
        services.choose_comment(workshop, _comment_question(world["form_b"]).pk, SECRET_COMMENT, facilitator)
    # Even one stored behind the service's back (e.g. before the form lost responses) stays out.
    ChosenComment.objects.create(question=_comment_question(world["form_b"]), text=SECRET_COMMENT)
    data = selectors.report_data(workshop)
    assert all(c.text != SECRET_COMMENT for c in data.evaluations.comments)
    assert data.evaluations.withheld_forms == 1
    built = document.build(data)
    assert SECRET_COMMENT not in _pdf_text(pdf.render(built))
    assert SECRET_COMMENT not in "\n".join(p.text for p in docx.Document(io.BytesIO(word.render(built))).paragraphs)
    rows = selectors.choosable_comments(workshop, selectors.scope_cohorts(workshop, None))
    assert [r["text"] for r in rows] == [OPEN_COMMENT]


def test_a_chosen_comment_appears_where_the_form_shows_comments(world, facilitator_client):
    workshop = world["workshop"]
    question = _comment_question(world["form_a"])
    response = facilitator_client.post(
        reverse("reports:comments", args=[workshop.pk]), {"question": question.pk, "text": OPEN_COMMENT, "chosen": "on"}
    )
    assert response.status_code == 302
    data = selectors.report_data(workshop)
    assert [c.text for c in data.evaluations.comments] == [OPEN_COMMENT]
    assert OPEN_COMMENT in _pdf_text(pdf.render(document.build(data))).replace("\n", " ")


def test_a_chosen_text_that_is_not_an_answer_is_refused(world, facilitator_client):
    workshop = world["workshop"]
    question = _comment_question(world["form_a"])
    facilitator_client.post(
        reverse("reports:comments", args=[workshop.pk]),
        {"question": question.pk, "text": "Invented praise", "chosen": "on"},
    )
    assert not ChosenComment.objects.exists()


def test_the_default_report_names_no_one_and_the_ticked_annex_does(world):
    workshop = world["workshop"]
    someone = world["people_a"][0].user
    # Names no report word contains (a generated "Le" was found in "Learning").
    someone.first_name, someone.last_name = "Xoe", "Quist"
    someone.save(update_fields=["first_name", "last_name"])
    plain = selectors.report_data(workshop)
    text = _pdf_text(pdf.render(document.build(plain)))
    assert someone.first_name not in text and someone.last_name not in text
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.render(plain)))
    assert "Annex participants" not in book.sheetnames
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row]
    assert not any(someone.first_name in c for c in cells)

    named = selectors.report_data(workshop, include_names=True)
    text = _pdf_text(pdf.render(document.build(named)))
    annex = text[text.rindex("Annex: participants") :]
    assert f"{someone.first_name} {someone.last_name}" in annex
    assert f"{someone.first_name} {someone.last_name}" not in text[: text.rindex("Annex: participants")]


# --- the files ----------------------------------------------------------------------------------------------------


def test_the_pdf_opens_with_a_cover_contents_every_section_and_page_numbers(world):
    content = pdf.render(document.build(selectors.report_data(world["workshop"])))
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 7
    assert "WORKSHOP REPORT" in reader.pages[0].extract_text()
    assert "Contents" in reader.pages[1].extract_text()
    text = _pdf_text(content)
    for section in (
        "Participation",
        "The programme as delivered",
        "Digital Transformation Capability Assessment",
        "Evaluations",
        "Action plans",
        "Conclusions",
    ):
        assert section in text
    for number in range(2, len(reader.pages) + 1):  # every page after the cover carries its number
        assert str(number) in reader.pages[number - 1].extract_text().splitlines(), number
    assert "1" not in reader.pages[0].extract_text().splitlines()
    assert reader.outline, "the PDF has bookmarks for its sections"


def test_the_docx_opens_with_the_same_sections_and_tables(world):
    built = document.build(selectors.report_data(world["workshop"]))
    opened = docx.Document(io.BytesIO(word.render(built)))
    headings = [p.text for p in opened.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Contents", *built.sections]
    assert len(opened.tables) >= 10
    first_table = next(t for t in opened.tables if t.rows[0].cells[0].text == "Group")
    assert [c.text for c in first_table.rows[1].cells][:2] == ["Group A", "6"]


def _pictures(opened):
    """(alt text, image) of every picture of a Word document, in order."""
    found = []
    for shape in opened.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = Image.open(io.BytesIO(opened.part.related_parts[blip.embed].blob))
        found.append((shape._inline.docPr.get("descr"), image))
    return found


def test_the_docx_draws_each_chart_as_a_picture_with_alt_text_and_keeps_its_table(world):
    built = document.build(selectors.report_data(world["workshop"]))
    charts = [b for b in built.blocks if isinstance(b, document.Chart) and b.data.get("labels", b.data.get("x"))]
    opened = docx.Document(io.BytesIO(word.render(built)))
    pictures = _pictures(opened)
    assert len(pictures) == len(charts) >= 5
    for (alt, image), chart in zip(pictures, charts, strict=True):
        assert alt.startswith(chart.caption) and "figures are in the table" in alt
        assert image.width > 600
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert len(colours) > 20, "not a blank picture"  # bars, text and smoothing give many shades
        inked = sum(n for n, rgb in colours if rgb != (255, 255, 255))
        assert inked > image.width * image.height * 0.02
    # The attendance chart's figures follow it as a table, as on the page.
    body = opened.element.body
    picture_at = next(i for i, el in enumerate(body) if el.xpath(".//pic:pic"))
    table = next(el for el in list(body)[picture_at:] if el.tag.endswith("}tbl"))
    assert "Present" in "".join(table.itertext())


def test_the_pdf_declares_only_the_fonts_it_draws_with(world):
    content = pdf.render(document.build(selectors.report_data(world["workshop"])))
    declared, used = {}, set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for key, font in page["/Resources"]["/Font"].items():
            declared[key] = str(font.get_object()["/BaseFont"])
        stream = page.get_contents().get_data().decode("latin-1")
        used |= set(re.findall(r"(/F[\w+]+)\s+[\d.]+\s+Tf", stream))
    assert set(declared) == used, {declared[key] for key in set(declared) - used}
    assert not any("Helvetica" in name or "Times" in name for name in declared.values())


def test_the_xlsx_holds_numbers_as_numbers_and_moments_as_dates(world):
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.render(selectors.report_data(world["workshop"]))))
    attendance = list(book["Attendance"].iter_rows(min_row=2, values_only=True))
    assert attendance[0][0] == 1 and attendance[0][1] == "Group A"
    assert attendance[0][2].year == 2021 and attendance[0][2].hour == 10  # 10:00 in the reference zone
    rates = list(book["Evaluation rates"].iter_rows(min_row=2, values_only=True))
    assert rates[0][2:6] == (6, 4, 4, pytest.approx(4 / 6))
    dims = {row[0]: row for row in book["Actions by dimension"].iter_rows(min_row=2, values_only=True)}
    assert dims["Leadership"][-1] == 2


def test_a_formula_someone_typed_is_written_as_a_text_cell(world, facilitator):
    from .factories import ParticipantFactory

    ParticipantFactory(cohort=world["group_a"], institution='=HYPERLINK("http://evil")')
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.render(selectors.report_data(world["workshop"]))))
    cells = {row[0].value: row[0] for row in book["Institutions"].iter_rows(min_row=2)}
    assert cells['=HYPERLINK("http://evil")'].data_type == "s"  # kept as typed, a text cell: never run


# --- pages, permissions and the background job ---------------------------------------------------------------------


def _urls(world, report=None):
    workshop, group = world["workshop"], world["group_a"]
    urls = [
        reverse("reports:workshop", args=[workshop.pk]),
        reverse("reports:group", args=[workshop.pk, group.pk]),
        reverse("reports:comments", args=[workshop.pk]),
    ]
    if report is not None:
        urls += [reverse("reports:status", args=[report.pk]), reverse("reports:download", args=[report.pk])]
    return urls


def _made_report(world, facilitator, django_capture_on_commit_callbacks, fmt="pdf", include_names=False):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(world["workshop"], None, fmt, include_names=include_names, user=facilitator)
    report.refresh_from_db()
    return report


def test_participants_and_other_facilitators_get_404_everywhere(
    world, client, facilitator, django_capture_on_commit_callbacks
):
    report = _made_report(world, facilitator, django_capture_on_commit_callbacks)
    outsider = UserFactory()
    live_workshop(facilitator=outsider)
    for user in (world["people_a"][0].user, outsider):
        client.force_login(user)
        for url in _urls(world, report):
            assert client.get(url).status_code == 404, url
        posts = [
            reverse("reports:generate", args=[world["workshop"].pk]),
            reverse("reports:closing", args=[world["workshop"].pk]),
        ]
        for url in posts:
            assert client.post(url, {"format": "pdf", "text": "Hijacked"}).status_code == 404
    assert not GeneratedReport.objects.exclude(pk=report.pk).exists()
    client.logout()
    assert client.get(_urls(world)[0]).status_code == 302


def test_a_group_of_another_workshop_is_not_found(world, facilitator_client):
    other = live_workshop()
    url = reverse("reports:group", args=[world["workshop"].pk, other.cohorts.first().pk])
    assert facilitator_client.get(url).status_code == 404


def test_the_page_shows_every_section_and_the_facilitate_page_links_to_it(world, facilitator_client):
    page = facilitator_client.get(reverse("reports:workshop", args=[world["workshop"].pk])).content.decode()
    for section in ("Participation", "The programme as delivered", "Evaluations", "Action plans", "Conclusions"):
        assert section in page
    assert "Felix" not in page.split("report-body", 1)[1].split("closing-heading")[0]
    facilitate = facilitator_client.get(reverse("sessions:facilitate")).content.decode()
    assert reverse("reports:workshop", args=[world["workshop"].pk]) in facilitate


def test_generating_runs_once_in_the_background_and_keeps_the_file_with_its_date(
    world, facilitator_client, django_capture_on_commit_callbacks
):
    workshop = world["workshop"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        facilitator_client.post(reverse("reports:generate", args=[workshop.pk]), {"format": "docx"})
    report = GeneratedReport.objects.get()
    assert report.status == "queued" and len(callbacks) == 1  # enqueued only once the request commits
    status = facilitator_client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert 'hx-trigger="every' in status  # the page polls while it is being made
    callbacks[0]()
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100 and report.generated_at is not None
    assert build_report.run(report.pk, str(report.job)) is False  # delivered twice: made once
    status = facilitator_client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "hx-trigger" not in status and "Download" in status
    response = facilitator_client.get(reverse("reports:download", args=[report.pk]))
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    docx.Document(io.BytesIO(b"".join(response.streaming_content)))


def test_asking_twice_while_it_is_being_made_starts_one_job_unless_the_first_was_lost(
    world, facilitator, django_capture_on_commit_callbacks, time_machine
):
    workshop = world["workshop"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.request_report(workshop, None, "pdf", include_names=False, user=facilitator)
        again = services.request_report(workshop, None, "pdf", include_names=False, user=facilitator)
    assert len(callbacks) == 1 and again.job == first.job
    time_machine.move_to(timezone.now() + services.STALE_AFTER + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        later = services.request_report(workshop, None, "pdf", include_names=False, user=facilitator)
    assert len(callbacks) == 1 and later.job != first.job
    assert build_report.run(first.pk, str(first.job)) is False  # the lost job, delivered late, makes nothing


def test_the_comment_list_shows_each_text_once_and_only_where_anonymity_allows(world, facilitator_client):
    answer_all(world["form_a"], enrol(world["group_a"], countries=1, prefix="same"), [_values(4, 4, OPEN_COMMENT)] * 2)
    page = facilitator_client.get(reverse("reports:comments", args=[world["workshop"].pk])).content.decode()
    assert page.count(OPEN_COMMENT) == 2  # the text shown once, plus its hidden form field
    assert "3 people" in page
    assert SECRET_COMMENT not in page


def test_making_it_again_replaces_the_previous_file(world, facilitator, django_capture_on_commit_callbacks):
    first = _made_report(world, facilitator, django_capture_on_commit_callbacks, fmt="xlsx")
    old_name = first.file.name
    second = _made_report(world, facilitator, django_capture_on_commit_callbacks, fmt="xlsx", include_names=True)
    assert second.pk == first.pk and second.file_has_names
    assert GeneratedReport.objects.count() == 1
    if old_name != second.file.name:
        assert not second.file.storage.exists(old_name)


def test_the_closing_text_is_saved_and_too_long_a_text_is_refused_and_kept(world, facilitator_client):
    url = reverse("reports:closing", args=[world["workshop"].pk])
    facilitator_client.post(url, {"text": "We thank the partners.\n\nNext run in 2022."})
    data = selectors.report_data(world["workshop"])
    assert data.closing == ["We thank the partners.", "Next run in 2022."]
    long_text = "x" * 10_001
    response = facilitator_client.post(url, {"text": long_text})
    assert response.status_code == 400
    assert long_text in response.content.decode()
    assert selectors.report_data(world["workshop"]).closing == ["We thank the partners.", "Next run in 2022."]


# --- queries and time ---------------------------------------------------------------------------------------------


def _count_queries(workshop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        data = selectors.report_data(workshop, include_names=True)
        spreadsheet.render(data)
    return len(captured)


def _page_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_data(world, facilitator_client, django_assert_max_num_queries):
    workshop = world["workshop"]
    small = _count_queries(workshop)
    url = reverse("reports:workshop", args=[workshop.pk])
    page_small = _page_queries(facilitator_client, url)
    group_a = world["group_a"]
    more = enrol(group_a, countries=6, prefix="extra")
    mark(occurrence_of(workshop, "Group A", 1), more)
    answer_all(world["form_a"], more, [_values(3, 3, f"Comment {i}") for i in range(len(more))])
    for person in more[::2]:
        action(person, world["dimensions"][1], title=f"Action of {person.pk}")
    with django_assert_max_num_queries(small):
        data = selectors.report_data(workshop, include_names=True)
        spreadsheet.render(data)
    assert data.participation.enrolled == 22
    with django_assert_max_num_queries(page_small):
        facilitator_client.get(url)


def test_the_demo_report_is_made_in_under_five_seconds(demo):
    started = time.perf_counter()
    content = services.produce(demo, None, "pdf")
    elapsed = time.perf_counter() - started
    assert elapsed < 5, elapsed
    assert len(PdfReader(io.BytesIO(content)).pages) > 10
    # The first pages rendered to pictures, as the README shows them: a blue cover band, then the contents.
    rendered = pypdfium2.PdfDocument(content)
    cover, contents = (rendered[index].render(scale=0.5).to_pil().convert("RGB") for index in (0, 1))
    width, height = cover.size
    assert cover.getpixel((width // 2, height // 20)) == (11, 92, 171)  # ACCENT #0b5cab
    assert cover.getpixel((width // 2, height * 3 // 4)) == (255, 255, 255)
    inked = sum(n for n, rgb in contents.getcolors(maxcolors=1_000_000) if rgb != (255, 255, 255))
    assert inked > width * height * 0.01, "the contents page shows text"


def test_evaluation_forms_of_another_workshop_never_count(world):
    other = live_workshop()
    people = enrol(other.cohorts.first(), countries=1, prefix="other")
    form = _session_form(occurrence_of(other, other.cohorts.first().name, 1))
    answer_all(form, people, [_values(1, 1), _values(1, 1)])
    e = selectors.report_data(world["workshop"]).evaluations
    assert sum(r.responses for r in e.rates) == 4 + 2 + 3
    assert EvaluationForm.objects.count() == 4


def test_a_workshop_with_nothing_yet_still_makes_every_file(db):
    from .factories import WorkshopFactory

    bare = WorkshopFactory()
    for fmt in ("pdf", "docx", "xlsx"):
        assert services.produce(bare, None, fmt)
    text = _pdf_text(services.produce(bare, None, "pdf"))
    assert "No evaluation forms yet." in text and "no capability assessment" in text


def test_forms_runs_and_plans_without_answers_yet_still_make_every_file(db):
    workshop = live_workshop(sessions=2)
    enrol(workshop.cohorts.first(), countries=1, prefix="quiet")
    _session_form(occurrence_of(workshop, "Group A", 1))
    build_run(workshop)
    for fmt in ("pdf", "docx", "xlsx"):
        assert services.produce(workshop, None, fmt)
    rates = selectors.report_data(workshop).evaluations.rates
    assert [(r.answered, r.invited, r.rate) for r in rates] == [(0, 2, 0.0)]
