"""The demo shows a real DTCA: most participants submitted, some countries agreed, the demo participant mid-way."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from assessments import demo as dtca_demo
from assessments import selectors
from assessments.models import Answer, CountryAnswer, CountryAssessment, IndividualAssessment, Status
from participants.models import Participant, User


def answer_digest():
    return sorted(
        Answer.objects.values_list(
            "assessment__participant__user__email", "statement__text", "score", "dont_know", "confidence", "note"
        )
    )


def test_the_demo_loads_the_assessment_once_and_the_same_every_time(demo, settings):
    counts = (IndividualAssessment.objects.count(), Answer.objects.count(), CountryAnswer.objects.count())
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()  # a second load leaves the demo as it is
    assert (IndividualAssessment.objects.count(), Answer.objects.count(), CountryAnswer.objects.count()) == counts

    digest = answer_digest()
    CountryAssessment.objects.all().delete()
    IndividualAssessment.objects.all().delete()
    dtca_demo.load(demo)
    assert answer_digest() == digest  # seeded: the same numbers on every machine


def test_the_demo_has_submissions_agreed_countries_and_a_draft_for_the_demo_participant(demo):
    run = demo.assessment_run
    structure = selectors.instrument_structure(run.instrument)
    submitted = IndividualAssessment.objects.filter(run=run, status=Status.SUBMITTED).count()
    assert 30 <= submitted < Participant.objects.count()
    agreed = CountryAssessment.objects.filter(run=run, status=Status.SUBMITTED)
    assert agreed.count() >= 4
    for country_assessment in agreed:
        assert country_assessment.answers.count() == structure.statement_count
    assert IndividualAssessment.objects.filter(is_late=True).exists()

    mine = IndividualAssessment.objects.get(participant__user__email="participant@demo.test")
    assert mine.status == Status.DRAFT
    assert 0 < mine.answers.count() < structure.statement_count


def test_the_demo_facilitator_sees_every_country_of_group_a_with_scores(demo, client):
    client.force_login(User.objects.get(email="facilitator@demo.test"))
    group_a = demo.cohorts.get(name="Group A")
    page = client.get(reverse("dtca:facilitator", args=[group_a.pk])).content.decode()
    for participant in group_a.participants.select_related("country"):
        assert f'<th scope="row">{participant.country.name}</th>' in page
    assert page.count('badge text-bg-success">agreed') >= 2
    assert "no submissions yet" not in page


def test_the_demo_participant_continues_where_she_left_off(demo, client):
    client.force_login(User.objects.get(email="participant@demo.test"))
    page = client.get(reverse("dtca:home")).content.decode()
    assert "Draft" in page and f'href="{reverse("dtca:page", args=[3])}">Continue' in page
    assert "Devon Clarke" in page  # her teammate, who has submitted
