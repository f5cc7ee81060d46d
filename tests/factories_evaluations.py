"""Builders for evaluation tests: forms with known questions, and answers stored in bulk."""

from datetime import timedelta

import factory
from django.utils import timezone

from evaluations import services
from evaluations.models import EvaluationForm, FormQuestion

from .factories import CohortFactory

QUESTIONS = [
    {"key": "relevance", "text": "The session was relevant to my work.", "kind": "rating", "section_title": "Session"},
    {"key": "time", "text": "Time management", "kind": "rating", "section_title": "Session"},
    {
        "key": "parts",
        "text": "Which parts helped you most?",
        "kind": "multiple",
        "required": False,
        "choices": ["Presentations", "Breakout rooms", "Plenary"],
        "section_title": "Session",
    },
    {
        "key": "pace",
        "text": "The pace was",
        "kind": "single",
        "required": False,
        "choices": ["Too slow", "About right", "Too fast"],
        "section_title": "Session",
    },
    {"key": "improve", "text": "What should we improve?", "kind": "text", "required": False, "section_title": "Notes"},
]


class EvaluationFormFactory(factory.django.DjangoModelFactory):
    """A course form by default (no occurrence needed); pass kind="session" with an occurrence for a session form."""

    class Meta:
        model = EvaluationForm
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    kind = "course"
    title = factory.Sequence(lambda n: f"Course evaluation {n}")
    is_anonymous = True
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    open_days = 14

    @factory.post_generation
    def questions(form, create, extracted, **kwargs):
        rows = QUESTIONS if extracted is None else extracted
        FormQuestion.objects.bulk_create(
            FormQuestion(
                form=form,
                order=index,
                key=row["key"],
                text=row["text"],
                kind=row["kind"],
                required=row.get("required", True),
                choices=row.get("choices", []),
                section_title=row.get("section_title", ""),
                translations=row.get("translations", {}),
            )
            for index, row in enumerate(rows)
        )


def answer_all(form, participants, values_list):
    """Store one response per participant (None: a response with no completion), values from values_list."""
    return services.record_responses(form, list(zip(participants, values_list, strict=True)))
