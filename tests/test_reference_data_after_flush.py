"""Reference data the migrations load (SDGs, default evaluation templates, the DTCA instrument, role groups) is
there again after a flush: every test that commits ends with one, and an operator's `flush` must not leave a
portal without its instrument or its SDG list."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from action_plans.models import Sdg
from assessments.models import Instrument
from evaluations.models import EvaluationTemplate


@pytest.mark.django_db(transaction=True)
def test_reference_data_is_loaded_again_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert Sdg.objects.count() == 17
    assert EvaluationTemplate.objects.exists()
    assert Instrument.objects.exists()
    assert Group.objects.filter(name="participant").exists()
