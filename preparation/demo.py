"""Demo content: designated teams for Session 4 and some preparation already handed in."""

from datetime import timedelta

from django.utils import timezone

from participants.models import Participant, Team, TeamMembership
from sessions_app.models import PreparationTask, SessionOccurrence
from sessions_app.selectors import occurrences_by_number

from . import services
from .models import Submission

TEAMS_PER_GROUP = 3
DEMO_PARTICIPANT = "participant@demo.test"
OUTLINE = (
    "SDG 16 (peace, justice and strong institutions): a single online window for birth and death registration "
    "would make a legal identity reachable for everyone, including people far from a registry office."
)


def load(workshop) -> str | None:
    teams = _designated_teams(workshop)
    handed_in = _submissions(workshop)
    return f"{teams} designated teams, {handed_in} demo submissions"


def _designated_teams(workshop) -> int:
    session = workshop.sessions.filter(tasks__performed_by=PreparationTask.PerformedBy.DESIGNATED_TEAM).first()
    count = 0
    for cohort in workshop.cohorts.all():
        people = list(
            Participant.objects.filter(cohort=cohort, is_active=True)
            .select_related("country", "user")
            .order_by("country__name", "user__last_name")
        )
        for index in range(TEAMS_PER_GROUP):
            team, created = Team.objects.get_or_create(
                cohort=cohort, name=f"Innovation Lab team {index + 1}", defaults={"session": session}
            )
            count += 1
            if created:
                # Every other person goes round the teams, so each team mixes countries.
                for member in people[index::TEAMS_PER_GROUP]:
                    TeamMembership.objects.get_or_create(team=team, participant=member)
    return count


def _submissions(workshop) -> int:
    first = workshop.sessions.filter(number=1).first()
    if first is None:
        return 0
    reading = first.tasks.filter(deliverable=PreparationTask.Deliverable.NONE, is_optional=False).first()
    outline = first.tasks.filter(deliverable=PreparationTask.Deliverable.TEXT).first()
    created = 0
    for cohort in workshop.cohorts.all():
        by_number = occurrences_by_number(SessionOccurrence.objects.filter(cohort=cohort).select_related("session"))
        people = list(
            Participant.objects.filter(cohort=cohort, is_active=True)
            .exclude(user__email=DEMO_PARTICIPANT)
            .order_by("country__name", "user__last_name")
        )
        for index, person in enumerate(people[:12]):
            for task, kwargs in ((reading, {}), (outline, {"text": OUTLINE})):
                if task is None or (task == outline and index >= 5):
                    continue
                if Submission.objects.filter(task=task, participant=person).exists():
                    continue
                due = task.due_at(by_number)
                moment = due - timedelta(days=2, hours=index) if due else None
                if moment is not None and moment > timezone.now():
                    continue  # a demo shifted into the future has no work handed in yet
                services.submit(task, person, now=moment, **kwargs)
                created += 1
    return created
