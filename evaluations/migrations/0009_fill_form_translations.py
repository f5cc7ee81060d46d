"""Existing forms get their title and introduction in every configured language (issue #16).

The rule is the one ``evaluations.services.form_texts`` applies to new forms, written here with the historical
models so later changes to the app do not change what this migration did:

- a title the portal made (“Session 3: Listening” or “Course evaluation”, in English, as forms used to be made)
  is written in the workshop's language and, as a translation, in each other language, the session's title
  translated where the session has a translation; a title an organizer changed is left as it is;
- an introduction still the template's is written in the workshop's language where the template has it in
  that language, and its translations are the template's in each other language.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

TITLE_MAX = 300


def _codes():
    return [code for code, _name in settings.LANGUAGES]


def _made_title(form, language):
    with translation.override(language):
        if form.kind == "session" and form.occurrence_id:
            session = form.occurrence.session
            title = ((session.translations or {}).get(language) or {}).get("title") or session.title
            return (gettext("Session %(number)s: %(title)s") % {"number": session.number, "title": title})[:TITLE_MAX]
        return gettext("Course evaluation")


def _english_title(form):
    """The title as the portal made it before forms were translated."""
    if form.kind == "session" and form.occurrence_id:
        session = form.occurrence.session
        return f"Session {session.number}: {session.title}"
    return "Course evaluation"


def _template_intro(template, language):
    if language == settings.LANGUAGE_CODE:
        return template.intro or ""
    return ((template.translations or {}).get(language) or {}).get("intro") or ""


def fill(apps, schema_editor):
    EvaluationForm = apps.get_model("evaluations", "EvaluationForm")
    codes = _codes()
    forms = EvaluationForm.objects.select_related("cohort__workshop", "occurrence__session", "template")
    for form in forms.order_by("pk").iterator(chunk_size=200):
        workshop = form.cohort.workshop
        source = workshop.language if workshop.language in codes else settings.LANGUAGE_CODE
        made_title = form.title == _english_title(form)
        template = form.template
        template_intro = template is not None and bool(form.intro) and form.intro == template.intro
        if not (made_title or template_intro):
            continue
        if made_title:
            form.title = _made_title(form, source)
        if template_intro:
            form.intro = _template_intro(template, source) or form.intro
        translations = {language: dict(texts) for language, texts in (form.translations or {}).items()}
        for language in codes:
            if language == source:
                continue
            entry = translations.setdefault(language, {})
            if made_title:
                entry.setdefault("title", _made_title(form, language))
            intro = _template_intro(template, language) if template_intro else ""
            if intro:
                entry.setdefault("intro", intro)
        form.translations = {language: texts for language, texts in translations.items() if texts}
        form.save(update_fields=["title", "intro", "translations"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0008_form_translations"),
        ("sessions_app", "0007_content_translations"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
