"""factory_boy factories and a builder for a whole programme."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory

from participants.models import Country, Participant, User
from sessions_app.models import (
    AgendaItem,
    AgendaItemSpeaker,
    Cohort,
    Organization,
    PreparationTask,
    Resource,
    Session,
    SessionOccurrence,
    Speaker,
    Workshop,
)

ECT = ZoneInfo("America/Port_of_Spain")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pass-word-123")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Country {n:03d}")
    timezone = "America/Port_of_Spain"
    caricom_member = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["short_name"]

    short_name = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.LazyAttribute(lambda o: f"Organization {o.short_name}")


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    slug = factory.Sequence(lambda n: f"workshop-{n}")
    title = factory.Sequence(lambda n: f"Digital Government Workshop {n}")
    platform = "WebEx"
    reference_timezone = "America/Port_of_Spain"
    reference_timezone_label = "ECT"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    workshop = factory.SubFactory(WorkshopFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    capacity = 20
    meeting_link = "https://meet.example.org/room"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    workshop = factory.SubFactory(WorkshopFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda s: f"Session {s.number} title")
    objectives = "Learn\nApply"


class OccurrenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionOccurrence

    session = factory.SubFactory(SessionFactory)
    cohort = factory.SubFactory(CohortFactory, workshop=factory.SelfAttribute("..session.workshop"))
    starts_at = datetime(2021, 2, 23, 10, 0, tzinfo=ECT)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=135))


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    key = factory.Sequence(lambda n: f"speaker-{n}")
    honorific = "Ms."
    name = factory.Faker("name")
    position = "Senior Advisor"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    offset_minutes = factory.Sequence(lambda n: n * 10 % 130)
    duration_minutes = 10
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreparationTask

    session = factory.SubFactory(SessionFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    instructions = "Read and take notes."


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    country = factory.SubFactory(CountryFactory)
    institution = "Ministry of Public Service"
    position = "Director"


def build_programme(*, sessions=5, items_per_session=4, tasks_per_session=2, groups=("Group A", "Group B")):
    """A workshop like the Caribbean one: weekly sessions at 10:00 ECT, each group a day apart."""
    workshop = WorkshopFactory()
    cohorts = [CohortFactory(workshop=workshop, name=name) for name in groups]
    speaker = SpeakerFactory()
    first = datetime(2021, 2, 23, 10, 0, tzinfo=ECT)
    for number in range(1, sessions + 1):
        session = SessionFactory(workshop=workshop, number=number)
        for index, cohort in enumerate(cohorts):
            start = first + timedelta(weeks=number - 1, days=index)
            OccurrenceFactory(session=session, cohort=cohort, starts_at=start)
        for i in range(items_per_session):
            item = AgendaItemFactory(session=session, offset_minutes=i * 20, duration_minutes=20)
            AgendaItemSpeaker.objects.create(item=item, speaker=speaker, role="speaker")
        for i in range(tasks_per_session):
            task = TaskFactory(session=session, order=i)
            Resource.objects.create(task=task, title="A reading", url="https://example.org/r", pages="1-5")
    return workshop
