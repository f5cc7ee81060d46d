"""The admin speaks the organizer's language: every model and field of the portal's apps has a label marked for
translation, shipped in French and Spanish (the completeness test checks the catalogues)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from participants.models import User

# The portal's own apps: those whose code is in the project's folder (not in the virtualenv's site-packages).
PORTAL_APPS = [
    app.label
    for app in apps.get_app_configs()
    if Path(app.path).is_relative_to(settings.BASE_DIR)
    and not Path(app.path).is_relative_to(settings.BASE_DIR / ".venv")
]


def portal_models():
    return [model for label in PORTAL_APPS for model in apps.get_app_config(label).get_models()]


def test_the_check_sees_every_app_of_the_portal():
    assert {"sessions_app", "participants", "live", "evaluations", "reminders", "assessments"} <= set(PORTAL_APPS)
    assert len(portal_models()) > 60


@pytest.mark.parametrize("label", PORTAL_APPS)
def test_every_model_and_field_has_a_translatable_label(label):
    unmarked = []
    for model in apps.get_app_config(label).get_models():
        for name in ("verbose_name", "verbose_name_plural"):
            if not isinstance(getattr(model._meta, name), Promise):
                unmarked.append(f"{model.__name__}.Meta.{name}")
        for field in model._meta.get_fields():
            if field.concrete and not field.auto_created and not isinstance(field.verbose_name, Promise):
                if model is User and field.name in {f.name for f in User.__mro__[1]._meta.get_fields()}:
                    continue  # Django's own fields, labelled (and translated) by Django
                unmarked.append(f"{model.__name__}.{field.name}")
    assert unmarked == []


def test_a_french_organizer_reads_the_admin_labels_in_french():
    from reminders.models import Delivery
    from sessions_app.models import Session

    with translation.override("fr"):
        assert (str(Session._meta.verbose_name), str(Session._meta.verbose_name_plural)) == ("séance", "séances")
        assert str(Delivery._meta.verbose_name) != "delivery"
        assert str(Session._meta.get_field("title").verbose_name) == "titre"
