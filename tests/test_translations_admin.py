"""The admin edits translations side by side: each translatable field, then its French and Spanish boxes on the
same line; saving stores them checked; nobody types JSON."""

from django.urls import reverse

from action_plans.models import GovernancePrinciple, Sdg
from sessions_app.models import Workshop

from .factories import build_programme


def test_the_session_change_page_puts_each_language_next_to_the_original(organizer_client, db):
    session = build_programme(sessions=1).sessions.get()
    page = organizer_client.get(reverse("admin:sessions_app_session_change", args=[session.pk])).content.decode()
    title, french, spanish = (page.find(f'name="{name}"') for name in ("title", "title__fr", "title__es"))
    assert 0 < title < french < spanish
    assert page.find('name="objectives"') < page.find('name="objectives__fr"')
    assert 'name="title__en"' not in page  # the workshop's own language is the original
    assert 'name="translations"' not in page  # no JSON box
    assert ">Title (Français):<" in page  # labelled like the original's box, capital first


def test_a_french_organizer_reads_the_boxes_labels_in_french(organizer_client, db):
    session = build_programme(sessions=1).sessions.get()
    organizer_client.cookies["django_language"] = "fr"
    url = reverse("admin:sessions_app_session_change", args=[session.pk])
    page = organizer_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'for="id_title__fr">Titre (Français)' in page


def _form_data(page_url, client):
    """The change form's current values, as the browser would send them back."""
    response = client.get(page_url)
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for index, inline_form in enumerate(formset.formset.initial_forms):
            for name in inline_form.fields:
                value = inline_form.initial.get(name)
                if value is not None:
                    data[f"{formset.formset.prefix}-{index}-{name}"] = getattr(value, "pk", value)
    return data


def test_saving_the_side_by_side_boxes_stores_the_translations(organizer_client, db):
    principle = GovernancePrinciple.objects.get(name="Competence")
    url = reverse("admin:action_plans_governanceprinciple_change", args=[principle.pk])
    data = _form_data(url, organizer_client)
    assert data["name__fr"] == "Compétence"  # the shipped translation fills its box
    data.update({"description__fr": "Des institutions compétentes.", "name__es": ""})
    response = organizer_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert GovernancePrinciple.objects.get(pk=principle.pk).translations == {
        "fr": {"name": "Compétence", "description": "Des institutions compétentes."}
    }


def test_a_translation_longer_than_the_original_allows_is_refused(organizer_client, db):
    goal = Sdg.objects.get(number=1)
    url = reverse("admin:action_plans_sdg_change", args=[goal.pk])
    data = _form_data(url, organizer_client)
    data["short_name__fr"] = "x" * 81
    response = organizer_client.post(url, data)
    assert response.status_code == 200
    assert Sdg.objects.get(pk=goal.pk).translations["fr"]["short_name"] == "Pas de pauvreté"


def test_a_workshops_additional_languages_are_ticked_not_typed(organizer_client, db):
    workshop = build_programme(sessions=1)
    page = organizer_client.get(reverse("admin:sessions_app_workshop_change", args=[workshop.pk])).content.decode()
    assert 'type="checkbox" name="additional_languages" value="fr"' in page
    assert Workshop.objects.get(pk=workshop.pk).additional_languages == []
