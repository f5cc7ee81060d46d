"""Programme YAML import: no alias bombs, no oversize files, every field validated as the admin does, and no link
whose scheme is not http(s) ever becomes an href."""

import time
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from common.validators import web_url_or_empty
from sessions_app.models import Cohort, Organization, SessionOccurrence, Workshop
from sessions_app.programme_file import MAX_DOCUMENT_CHARACTERS, ProgrammeError, dump_document, parse_document
from sessions_app.selectors import export_programme
from sessions_app.services import import_programme

from .factories import ParticipantFactory, build_programme

EVIL = "javascript:alert(document.cookie)"


def laughs(levels: int) -> str:
    """The "billion laughs": each level repeats the one before ten times through aliases."""
    text = 'workshop: {slug: x, title: x}\nsessions: []\nl0: &l0 ["lol"]\n'
    for level in range(1, levels + 1):
        text += f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]\n"
    return text


def test_aliases_are_refused_before_they_expand():
    # Four levels already mean 10,000 strings; nine would be a billion (1.58 GB from 550 bytes).
    with pytest.raises(ProgrammeError, match="aliases"):
        parse_document(laughs(4))
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(ProgrammeError, match="aliases"):
        parse_document(laughs(9))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024 and time.monotonic() - started < 2


def test_an_anchor_alone_is_refused_too():
    with pytest.raises(ProgrammeError, match="Line 3"):
        parse_document("workshop: {slug: x}\nsessions: []\nextra: &a {b: 1}\n")


def test_an_oversize_document_is_refused_unread():
    with pytest.raises(ProgrammeError, match="too long"):
        parse_document("workshop: x\n#" + "x" * MAX_DOCUMENT_CHARACTERS)


@pytest.fixture
def document(db):
    workshop = build_programme(sessions=2)
    data = parse_document(dump_document(export_programme(workshop)))
    data["workshop"]["slug"] = "imported"
    return data


def test_a_plain_document_still_imports(document):
    workshop = import_programme(document)
    assert workshop.slug == "imported"


@pytest.mark.parametrize(
    "where",
    [
        lambda d: d["sessions"][0]["occurrences"][0],
        lambda d: d["groups"][0],
    ],
    ids=["occurrence", "group"],
)
def test_a_javascript_meeting_link_is_refused_and_nothing_is_saved(document, where):
    where(document)["meeting_link"] = EVIL
    with pytest.raises(ProgrammeError, match="meeting_link"):
        import_programme(document)
    assert not Workshop.objects.filter(slug="imported").exists()
    assert not SessionOccurrence.objects.filter(meeting_link=EVIL).exists()
    assert not Cohort.objects.filter(meeting_link=EVIL).exists()


def test_an_organization_with_a_javascript_address_is_refused(document):
    document["organizations"] = [{"short_name": "EVIL", "name": "Evil", "url": "data:text/html,<script>1</script>"}]
    with pytest.raises(ProgrammeError, match=r"organizations\[0\]: url"):
        import_programme(document)
    assert not Organization.objects.filter(short_name="EVIL").exists()


def test_an_overlong_title_is_refused_as_the_admin_refuses_it(document):
    document["sessions"][0]["title"] = "x" * 301
    with pytest.raises(ProgrammeError, match=r"sessions\[0\]: title"):
        import_programme(document)


def test_the_model_refuses_a_javascript_link_as_the_admin_would(db):
    cohort = build_programme(sessions=1).cohorts.first()
    cohort.meeting_link = EVIL
    with pytest.raises(ValidationError) as caught:
        cohort.full_clean()
    assert "meeting_link" in caught.value.message_dict


def test_a_stored_javascript_link_never_becomes_the_join_button(client, db):
    """Rows saved before the fix (or by a raw update) keep the bad address; the pages must not link it."""
    workshop = build_programme(sessions=1)
    workshop.is_published = True
    workshop.save()
    cohort = workshop.cohorts.get(name="Group A")
    Cohort.objects.filter(pk=cohort.pk).update(meeting_link=EVIL)
    occurrence = SessionOccurrence.objects.filter(cohort=cohort).first()
    assert occurrence.join_link == ""
    person = ParticipantFactory(cohort=cohort)
    client.force_login(person.user)
    for page in (client.get(occurrence.get_absolute_url()), client.get("/")):
        assert "javascript:" not in page.content.decode()


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("https://meet.example.org/j/1", "https://meet.example.org/j/1"),
        ("http://example.org", "http://example.org"),
        (EVIL, ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,x", ""),
        ("vbscript:msgbox", ""),
        ("ftp://example.org/file", ""),
        ("//evil.example/x", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_only_http_links_are_rendered(stored, shown):
    assert web_url_or_empty(stored) == shown
    rendered = Template("{% load safe_links %}{{ address|web_url }}").render(Context({"address": stored}))
    assert rendered == shown
