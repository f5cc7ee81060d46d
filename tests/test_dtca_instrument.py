"""The questionnaire is data: the shipped default, instrument files, versions frozen once answered."""

import re
from dataclasses import replace
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments import selectors, services
from assessments.instrument_file import (
    DEFAULT_INSTRUMENT_FILE,
    InstrumentFileError,
    parse_instrument,
    read_instrument_file,
)
from assessments.models import Answer, AssessmentRun, IndividualAssessment, Instrument, Statement

from .factories_assessments import answer, build_instrument, build_run, team

SIX = ["Leadership", "Strategy", "Governance", "Legal", "Technology", "Professional and Workforce Development"]


@pytest.fixture
def default(db):
    return Instrument.objects.get(key="dtca", version=1)


def test_a_fresh_install_has_the_default_instrument_from_the_migrations(default):
    structure = selectors.instrument_structure(default)
    assert [d.name for d in structure.dimensions] == SIX
    assert all(4 <= len(d.statement_list) <= 6 for d in structure.dimensions)
    assert default.adapted_from.startswith(
        "Adapted from the UN DESA Digital Government Capability Assessment framework"
    )
    assert [level.value for level in structure.scale] == [1, 2, 3, 4, 5]
    assert structure.scale[0].label == "Not in place"
    assert structure.scale[-1].label == "Fully in place and sustained"
    assert default.dont_know_label == "Don't know"
    assert structure.statements[0].label == "Leadership 1"


def test_load_instrument_twice_changes_nothing(default):
    out = StringIO()
    call_command("load_instrument", stdout=out)
    assert "Already up to date" in out.getvalue()
    assert Instrument.objects.count() == 1
    assert Statement.objects.filter(dimension__instrument=default).count() == 30


def test_an_unanswered_version_is_updated_from_the_file_in_place(default):
    spec = read_instrument_file(DEFAULT_INSTRUMENT_FILE)
    first = spec.dimensions[0]
    changed = replace(
        spec, dimensions=(replace(first, statements=(*first.statements, "A new one.")), *spec.dimensions[1:])
    )
    instrument, was_changed = services.load_instrument(changed)
    assert was_changed and instrument.pk == default.pk
    assert Statement.objects.filter(dimension__instrument=default, text="A new one.").exists()


def test_an_answered_version_is_never_rewritten_and_the_message_says_to_raise_the_version(programme, default):
    run = AssessmentRun.objects.create(workshop=programme, instrument=default)
    [participant] = team(programme.cohorts.first(), size=1)
    answer(run, participant, [3])
    spec = read_instrument_file(DEFAULT_INSTRUMENT_FILE)
    edited = replace(spec, name="A better name")
    with pytest.raises(InstrumentFileError, match="Raise “version” in the file"):
        services.load_instrument(edited)
    assert services.load_instrument(spec) == (default, False)  # the same content is fine

    newer, changed = services.load_instrument(replace(edited, version=2))
    assert changed and newer.version == 2 and newer.previous_version == default
    default.refresh_from_db()
    assert default.name != "A better name"
    run.refresh_from_db()
    assert run.instrument == default  # the workshop keeps the version it was answered on


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("- not a mapping", "must be a mapping"),
        ("key: x\nname: X\nscale: []\ndimensions: []", "scale: give each level from 1 to 5"),
        (
            "key: x\nname: X\nscale: [{value: 1, label: a}, {value: 2, label: b}, {value: 3, label: c},"
            " {value: 4, label: d}, {value: 9, label: e}]\ndimensions: []",
            "scale[4]: “value” must be a whole number from 1 to 5",
        ),
        (
            "key: x\nname: X\nscale: [{value: 1, label: a}, {value: 2, label: b}, {value: 3, label: c},"
            " {value: 4, label: d}, {value: 5, label: e}]\n"
            "dimensions: [{name: A, statements: [one]}, {name: a, statements: [two]}]",
            "dimensions[1]: the dimension “a” appears twice",
        ),
        (
            "key: x\nname: X\nscale: [{value: 1, label: a}, {value: 2, label: b}, {value: 3, label: c},"
            " {value: 4, label: d}, {value: 5, label: e}]\n"
            "dimensions: [{name: A, statements: [one, '']}]",
            "dimensions[0].statements[1]: a statement must be non-empty text",
        ),
        ("version: 0\nkey: x\nname: X", "“version” must be a whole number from 1"),
    ],
)
def test_a_bad_instrument_file_is_refused_with_the_place_of_the_problem(document, message):
    with pytest.raises(InstrumentFileError, match=re.escape(message)):
        parse_instrument(document)


def test_the_command_reports_a_bad_file_clearly(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("key: x\nname: X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="scale"):
        call_command("load_instrument", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_instrument", str(tmp_path / "missing.yaml"), stdout=StringIO())


def test_a_new_version_is_an_editable_copy_of_an_answered_one(programme):
    run = build_run(programme)
    [participant] = team(programme.cohorts.first(), size=1)
    answer(run, participant, [2])
    original = selectors.instrument_structure(run.instrument)
    copy = services.new_version(run.instrument)
    copied = selectors.instrument_structure(copy)
    assert copy.version == run.instrument.version + 1 and copy.key == run.instrument.key
    assert [(s.label, s.text) for s in copied.statements] == [(s.label, s.text) for s in original.statements]
    assert [level.label for level in copied.scale] == [level.label for level in original.scale]
    assert not copy.has_answers() and run.instrument.has_answers()
    copied.statements[0].text = "Reworded."
    copied.statements[0].full_clean()  # the copy may change
    original.statements[0].text = "Reworded."
    with pytest.raises(ValidationError, match="already has answers"):
        original.statements[0].full_clean()


def test_the_admin_shows_an_answered_instrument_read_only_and_offers_a_new_version(organizer_client, programme):
    run = build_run(programme)
    [participant] = team(programme.cohorts.first(), size=1)
    answer(run, participant, [2])
    instrument = run.instrument
    change_url = reverse("admin:assessments_instrument_change", args=[instrument.pk])
    page = organizer_client.get(change_url).content.decode()
    assert "Frozen" in page and "Make a new version" in page
    assert 'name="_save"' not in page
    assert organizer_client.post(change_url, {"name": "Changed"}).status_code == 403
    statement = Statement.objects.filter(dimension__instrument=instrument).first()
    statement_url = reverse("admin:assessments_statement_change", args=[statement.pk])
    assert organizer_client.post(statement_url, {"text": "Changed"}).status_code == 403

    response = organizer_client.post(reverse("admin:assessments_instrument_new_version", args=[instrument.pk]))
    copy = Instrument.objects.get(key=instrument.key, version=instrument.version + 1)
    assert response["Location"] == reverse("admin:assessments_instrument_change", args=[copy.pk])
    page = organizer_client.get(response["Location"]).content.decode()
    assert 'name="_save"' in page and "Editable" in page
    assert (
        organizer_client.get(reverse("admin:assessments_instrument_new_version", args=[instrument.pk])).status_code
        == 405
    )


def test_an_unanswered_instrument_can_be_edited_in_the_admin(organizer_client):
    instrument = build_instrument()
    statement = Statement.objects.filter(dimension__instrument=instrument).first()
    url = reverse("admin:assessments_statement_change", args=[statement.pk])
    response = organizer_client.post(url, {"dimension": statement.dimension_id, "order": 1, "text": "Clearer wording."})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.text == "Clearer wording."


def test_a_workshops_instrument_cannot_change_once_someone_has_answered(programme):
    run = build_run(programme)
    other = build_instrument()
    run.instrument = other
    run.full_clean()  # nobody has answered yet
    run.save()
    [participant] = team(programme.cohorts.first(), size=1)
    answer(run, participant, [2])
    run.instrument = build_instrument()
    with pytest.raises(ValidationError, match="incomparable"):
        run.full_clean()


def test_the_database_refuses_impossible_answers(programme):
    run = build_run(programme)
    [participant] = team(programme.cohorts.first(), size=1)
    assessment = IndividualAssessment.objects.create(run=run, participant=participant)
    statement = Statement.objects.filter(dimension__instrument=run.instrument).first()
    for fields in ({"score": 6}, {"score": 3, "dont_know": True}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Answer.objects.create(assessment=assessment, statement=statement, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndividualAssessment.objects.filter(pk=assessment.pk).update(status="submitted")
    with pytest.raises(IntegrityError), transaction.atomic():
        IndividualAssessment.objects.filter(pk=assessment.pk).update(is_late=True)
    IndividualAssessment.objects.filter(pk=assessment.pk).update(status="submitted", submitted_at=timezone.now())
