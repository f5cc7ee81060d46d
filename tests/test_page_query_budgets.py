"""The participant pages not covered by their own feature's budget test: within 15 queries, the same number at two
data sizes (the other pages' budgets live with their features: home, schedule and session page, My preparation,
action plan, DTCA group)."""

import pytest
from django.urls import reverse

from tests.factories import ParticipantFactory, build_programme
from tests.factories_assessments import add_assessment_task, answer, build_instrument, build_run
from tests.factories_evaluations import QUESTIONS, EvaluationFormFactory

BUDGET = 15


def test_the_dtca_page_runs_the_same_queries_for_a_small_and_a_large_questionnaire(
    client, db, django_assert_max_num_queries
):
    counts = []
    for size in (2, 12):
        workshop = build_programme(sessions=2)
        group = workshop.cohorts.get(name="Group A")
        run = build_run(workshop, build_instrument(dimensions=(("Leadership", size), ("Strategy", size))))
        add_assessment_task(workshop)
        me = ParticipantFactory(cohort=group)
        answer(run, me, [3] * size)  # a draft with the first dimension answered
        for _ in range(size):
            answer(run, ParticipantFactory(cohort=group, country=me.country), [4] * (2 * size), submit=True)
        client.force_login(me.user)
        client.get(reverse("dtca:page", args=[1]))  # the first visit fills the session's memory and the cache
        with django_assert_max_num_queries(BUDGET) as captured:
            page = client.get(reverse("dtca:page", args=[1])).content.decode()
        assert page.count("statement number") >= size
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_evaluation_form_runs_the_same_queries_for_few_and_many_questions(
    client, db, django_assert_max_num_queries
):
    counts = []
    for size in (1, 8):
        workshop = build_programme(sessions=2)
        group = workshop.cohorts.get(name="Group A")
        me = ParticipantFactory(cohort=group)
        questions = [dict(row, key=f"{row['key']}-{n}") for n in range(size) for row in QUESTIONS]
        form = EvaluationFormFactory(cohort=group, questions=questions, is_anonymous=False)
        client.force_login(me.user)
        client.get(reverse("evaluations:form", args=[form.pk]))
        with django_assert_max_num_queries(BUDGET) as captured:
            response = client.get(reverse("evaluations:form", args=[form.pk]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "name", ["sessions:schedule", "preparation:mine", "evaluations:list", "dtca:home", "participants:profile"]
)
def test_every_participant_page_stays_within_the_budget(client, db, django_assert_max_num_queries, name):
    workshop = build_programme(sessions=4, tasks_per_session=3)
    me = ParticipantFactory(cohort=workshop.cohorts.get(name="Group A"))
    client.force_login(me.user)
    client.get(reverse(name))
    with django_assert_max_num_queries(BUDGET):
        assert client.get(reverse(name)).status_code in (200, 302)
