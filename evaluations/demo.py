"""Demo evaluations: the forms of the demo workshop, and seeded, plausible answers for the sessions that are over.

The answers are generated from a fixed seed per form, so every `load_demo` gives the same reports. Facilitators
then see real charts: Group A and Group B differ a little, time management and the platform start weak and get
better over the five weeks, and people write the kind of comments such workshops receive.
"""

from __future__ import annotations

import random

from django.utils import timezone

from participants.models import Participant

from . import services
from .models import Completion, EvaluationForm, Kind, Response
from .templates_file import load_default_templates

DEMO_PARTICIPANT = "participant@demo.test"

# Mean rating of each session question in Session 1, and how it moves per later session.
SESSION_PROFILE = {
    "relevance": (4.3, 0.05),
    "presentations": (4.0, 0.05),
    "activities": (3.6, 0.12),
    "time-management": (3.2, 0.15),
    "platform": (3.4, 0.15),
}
COURSE_PROFILE = {"objectives-met": 4.3, "will-apply": 4.4, "overall": 4.3}
GROUP_SHIFT = {"Group A": 0.1, "Group B": -0.1}
USEFUL_PARTS = {
    "Presentations": 0.6,
    "Videos and case studies": 0.4,
    "Breakout-room activity": 0.5,
    "Plenary discussion": 0.3,
    "Preparation materials": 0.25,
}
RECOMMEND = {"Yes, definitely": 55, "Probably": 30, "Not sure": 10, "Probably not": 4, "No": 1}

MOST_USEFUL = [
    "Hearing how other small island states approached the same problem.",
    "The case studies — very close to what we face in our ministry.",
    "The breakout room: we compared how our countries handle citizen registration.",
    "The framework the speaker presented; I will share it with my team.",
    "Practical examples of redesigning a service around the citizen.",
    "Learning what did not work elsewhere and why.",
    "Time to exchange with peers from the region.",
    "The short videos, which I could show to my director.",
    "The discussion on data sharing between agencies.",
    "Concrete steps to start small and show results quickly.",
]
IMPROVE = [
    "More time in the breakout rooms; ten minutes was too short to get going.",
    "Please share the slides before the session.",
    "Fewer slides, more discussion.",
    "My connection dropped twice; a dial-in number would help.",
    "Start on time, we lost some minutes at the beginning.",
    "Name a rapporteur for each breakout room in advance.",
    "Send the readings a little earlier, the week was busy.",
    "Subtitles or a transcript for the videos.",
    "Nothing, it was very well organized.",
    "A short summary e-mail after each session with the key points.",
]
COURSE_COMMENTS = [
    "Very useful workshop. A follow-up session in six months to share progress would be welcome.",
    "Please keep the country teams together for a follow-up on our action plan.",
    "Excellent speakers. The sessions were long for an online format; two shorter sessions a week might work better.",
    "I would like access to the recordings and materials after the workshop.",
    "The exchange with other CARICOM countries was the most valuable part.",
    "Thank you to the organizers — well run, and on time after the first week.",
    "More examples from the Caribbean itself, fewer from large countries.",
]


def _rating(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.75))))


def _session_values(rng: random.Random, number: int, shift: float) -> dict:
    values: dict[str, object] = {
        key: _rating(rng, base + step * (number - 1) + shift) for key, (base, step) in SESSION_PROFILE.items()
    }
    if rng.random() < 0.8:
        values["useful-parts"] = [option for option, p in USEFUL_PARTS.items() if rng.random() < p]
    if rng.random() < 0.45:
        values["most-useful"] = rng.choice(MOST_USEFUL)
    if rng.random() < 0.35:
        values["improve"] = rng.choice(IMPROVE)
    return values


def _course_values(rng: random.Random, shift: float) -> dict:
    values: dict[str, object] = {key: _rating(rng, mean + shift) for key, mean in COURSE_PROFILE.items()}
    values["recommend"] = rng.choices(list(RECOMMEND), weights=list(RECOMMEND.values()))[0]
    if rng.random() < 0.5:
        values["comments"] = rng.choice(COURSE_COMMENTS)
    return values


def _answer_form(form: EvaluationForm, participants: list[Participant]) -> int:
    rng = random.Random(f"{form.cohort.workshop.slug}|{form.cohort.name}|{form.title}")
    number = form.session_number
    shift = GROUP_SHIFT.get(form.cohort.name, 0.0)
    share = 0.85 if number is None else 0.95 - 0.04 * (number - 1)  # fewer answer as weeks go by
    entries = []
    for participant in participants:
        is_demo_participant = participant.user.email == DEMO_PARTICIPANT
        # The demo participant has left the last evaluations unanswered, so they can see the difference.
        if is_demo_participant and (number is None or number >= 4):
            continue
        if not is_demo_participant and rng.random() > share:
            continue
        values = _course_values(rng, shift) if form.kind == Kind.COURSE else _session_values(rng, number, shift)
        rng.expovariate(0.6)  # drawn (once the answer's day) so the seeded answers stay what they were
        entries.append((participant, values))
    return services.record_responses(form, entries)


def load(workshop) -> str | None:
    load_default_templates()
    result = services.ensure_forms(workshop)
    now = timezone.now()
    forms = list(
        EvaluationForm.objects.filter(cohort__workshop=workshop).select_related(
            "cohort__workshop", "occurrence__session"
        )
    )
    # After `load_demo --shift-to` a form may lie in the future again: its demo answers would make no sense.
    future = [f.pk for f in forms if f.opens_at > now]
    Completion.objects.filter(form_id__in=future).delete()
    Response.objects.filter(form_id__in=future).delete()

    answered = set(Completion.objects.filter(form__in=forms).values_list("form_id", flat=True).distinct())
    participants_by_cohort: dict[int, list[Participant]] = {}
    for participant in Participant.objects.filter(cohort__workshop=workshop, is_active=True).select_related("user"):
        participants_by_cohort.setdefault(participant.cohort_id, []).append(participant)
    stored = 0
    for form in forms:
        if form.opens_at > now or form.pk in answered:
            continue
        stored += _answer_form(form, sorted(participants_by_cohort.get(form.cohort_id, []), key=lambda p: p.pk))
    total = Response.objects.filter(form__in=forms).count()
    return f"{len(forms)} evaluation forms ({len(result.created)} new), {stored} demo responses added, {total} in all"
