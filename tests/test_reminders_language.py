"""Reminder mails are written by the worker in each recipient's language, not the worker's (the site's)."""

from datetime import UTC, datetime, timedelta

import pytest

from reminders.services import dispatch_due_reminders, install_default_rules
from sessions_app.models import SessionOccurrence

from .factories import CountryFactory, ParticipantFactory, build_programme
from .factories_assessments import add_assessment_task, build_run

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def english_workshop(db):
    workshop = build_programme(sessions=2, tasks_per_session=0, groups=("Group A",))
    workshop.language = "en"
    workshop.save(update_fields=["language"])
    cohort = workshop.cohorts.get()
    haiti = CountryFactory()
    french, english = ParticipantFactory.create_batch(2, cohort=cohort, country=haiti)
    french.user.language = "fr"
    french.user.save(update_fields=["language"])
    cohort.participants.update(joined_at=LONG_AGO)
    add_assessment_task(workshop)  # due 4 days before Session 2
    build_run(workshop)
    install_default_rules(workshop)
    session_two = SessionOccurrence.objects.get(cohort=cohort, session__number=2)
    return {"french": french, "english": english, "due": session_two.starts_at - timedelta(days=4)}


def test_a_french_participant_gets_the_dtca_reminder_in_french_and_an_english_one_in_english(
    english_workshop, time_machine, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "en"  # the worker's own language stays English throughout
    time_machine.move_to(english_workshop["due"] - timedelta(days=7) + timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    french = by_recipient[english_workshop["french"].user.email]
    english = by_recipient[english_workshop["english"].user.email]

    assert french.subject.startswith("Rappel : l’évaluation des capacités de transformation numérique est à rendre le ")
    assert "Veuillez remplir et envoyer votre évaluation des capacités" in french.body
    assert "Ouvrir l’évaluation :" in french.body
    html = french.alternatives[0][0]
    assert '<html lang="fr"' in html and "Ouvrir l’évaluation" in html
    # The due moment comes from the one moment helper, in French too (day and month names).
    assert "Date limite :" in french.body
    assert not any(day in french.body for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"))

    assert english.subject.startswith("Reminder: the Digital Transformation Capability Assessment is due")
    assert "Please complete and submit your Digital Transformation Capability Assessment" in english.body
    assert '<html lang="en"' in english.alternatives[0][0]
