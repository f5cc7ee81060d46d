import factory

from reminders.models import ReminderRule

from .factories import WorkshopFactory


class ReminderRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderRule

    workshop = factory.SubFactory(WorkshopFactory)
    name = factory.Sequence(lambda n: f"Rule {n}")
    kind = "session_before"
    offset_minutes = -1440
    grace_minutes = 12 * 60
    is_optional = False
