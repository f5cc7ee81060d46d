"""What keeps the admin's lists cheap with a hundred workshops stored.

Filters on a related object list their choices in one query. Django's related-field filter lists every object of
the related model by its ``str()``; a group is named with its workshop (“Group A · caribbean-2021”), a participant
with their country and group, and so on: one more query per choice, so a changelist filtered by group ran one query
per group ever created. This filter, registered ahead of Django's for the models below, fetches what their names
need with the choices.
"""

from django.contrib import admin
from django.db.models import ForeignKey, IntegerField, Subquery

# What each model's str() reads from related objects.
LABEL_RELATED = {
    "sessions_app.cohort": ["workshop"],
    "sessions_app.sessionoccurrence": ["session__workshop", "cohort"],
    "sessions_app.preparationtask": ["session"],
    "participants.participant": ["user", "country", "cohort"],
    "participants.team": ["cohort"],
    "evaluations.evaluationform": ["cohort"],
    "assessments.assessmentrun": ["instrument", "workshop"],
    "live.poll": ["session"],
}


def _needs_related(field) -> bool:
    return isinstance(field, ForeignKey) and field.remote_field.model._meta.label_lower in LABEL_RELATED


class RelatedWithLabelsFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        related = field.remote_field.model
        choices = related._default_manager.complex_filter(field.get_limit_choices_to()).select_related(
            *LABEL_RELATED[related._meta.label_lower]
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            choices = choices.order_by(*ordering)
        return [(choice.pk, str(choice)) for choice in choices]


admin.FieldListFilter.register(_needs_related, RelatedWithLabelsFilter, take_priority=True)


class SubqueryCount(Subquery):
    """The number of rows of a correlated queryset, e.g. a run's submitted assessments, as a column.

    A ``Count()`` over a join groups every row of the big table before the page's 100 rows are picked; this counts
    for the rows on the page only (an index on the foreign key does the rest).
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()
