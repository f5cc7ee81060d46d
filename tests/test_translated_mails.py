"""Mails print content (session and task titles, the workshop's title) in the recipient's language where the
programme carries a translation, and the original otherwise."""

from datetime import UTC, datetime, timedelta

import pytest

from reminders.services import dispatch_due_reminders, install_default_rules
from sessions_app.models import SessionOccurrence

from .factories import CountryFactory, ParticipantFactory, build_programme

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def translated_programme(db):
    workshop = build_programme(sessions=2, tasks_per_session=0, groups=("Group A",))
    workshop.language = "en"
    workshop.translations = {"fr": {"title": "Atelier sur la transformation numérique"}}
    workshop.save(update_fields=["language", "translations"])
    session = workshop.sessions.get(number=2)
    session.title = "Digital Government Strategies"
    session.translations = {"fr": {"title": "Stratégies de gouvernement numérique"}}
    session.save(update_fields=["title", "translations"])
    cohort = workshop.cohorts.get()
    french, english = ParticipantFactory.create_batch(2, cohort=cohort, country=CountryFactory())
    french.user.language = "fr"
    french.user.save(update_fields=["language"])
    cohort.participants.update(joined_at=LONG_AGO)
    install_default_rules(workshop)
    occurrence = SessionOccurrence.objects.get(cohort=cohort, session=session)
    return {"french": french, "english": english, "starts": occurrence.starts_at}


def test_a_french_participant_s_session_reminder_shows_the_french_session_title(
    translated_programme, time_machine, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.LANGUAGE_CODE = "en"  # the worker's own language stays English
    time_machine.move_to(translated_programme["starts"] - timedelta(days=1) + timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    french = by_recipient[translated_programme["french"].user.email]
    english = by_recipient[translated_programme["english"].user.email]

    assert "Stratégies de gouvernement numérique" in french.subject
    assert "Stratégies de gouvernement numérique" in french.body
    assert "Atelier sur la transformation numérique" in french.body
    assert "Stratégies de gouvernement numérique" in french.alternatives[0][0]
    assert "Digital Government Strategies" not in french.body

    assert "Digital Government Strategies" in english.subject
    assert "Digital Government Strategies" in english.body
    assert "Stratégies" not in english.body
