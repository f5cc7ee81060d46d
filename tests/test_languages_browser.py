"""The main pages in a real browser, in French, Spanish and a right-to-left language, at 1366 and 390 px: the
right ``lang`` and ``dir``, headings in the language, and nothing wider than the window (French and Spanish run
about 30 % longer than English)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings

from participants.models import Participant
from sessions_app.models import SessionOccurrence

from .shared_demo import load_demo_into

pytestmark = pytest.mark.browser

ROOT = Path(django_settings.BASE_DIR)
WIDTHS = (1366, 390)
DEMO_PARTICIPANT = "participant@demo.test"
FRENCH_PARTICIPANT = "participant-fr@demo.test"  # French by her own profile (load_demo)

#: What a French or Spanish page must show (base template, session page).
EXPECTED = {
    "fr": {"sign_out": "Se déconnecter", "agenda": "Ordre du jour", "objectives": "Objectifs"},
    "es": {"sign_out": "Cerrar sesión", "agenda": "Orden del día", "objectives": "Objetivos"},
}
#: The English heading of the DTCA page's first step, which a translated page no longer shows.
ENGLISH_DTCA_STEP = "Your assessment"


def _catalogues(folder: Path, extra: dict[str, polib.POFile] | None = None) -> Path:
    """The shipped catalogues compiled under ``folder``, plus ``extra`` languages."""
    for code, _name in django_settings.LANGUAGES:
        source = ROOT / "locale" / code / "LC_MESSAGES" / "django.po"
        if not source.exists():
            continue
        catalogue = polib.pofile(str(source))
        target = folder / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        catalogue.save_as_mofile(str(target / "django.mo"))
    for code, catalogue in (extra or {}).items():
        target = folder / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        catalogue.save_as_mofile(str(target / "django.mo"))
    return folder


def _load_demo(settings):
    settings.DEBUG = True
    load_demo_into(settings.PRIVATE_MEDIA_ROOT.parent)  # a copy of this worker's first load, when it can be
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]


def _sign_in(page, live_server, settings, email=DEMO_PARTICIPANT):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _main_pages(live_server, email=DEMO_PARTICIPANT) -> dict[str, str]:
    participation = Participant.objects.select_related("cohort").get(user__email=email)
    occurrence = SessionOccurrence.objects.filter(cohort=participation.cohort).order_by("starts_at").first()
    return {
        "home": f"{live_server.url}/",
        "session": f"{live_server.url}{occurrence.get_absolute_url()}",
        "dtca": f"{live_server.url}/dtca/",
    }


def _overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def _too_wide(page) -> list[str]:
    """The innermost elements reaching past the window's right edge, to say what to fix."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.firstElementChild)
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}: `
                + (e.textContent || "").trim().slice(0, 40))"""
    )


def _set_language(code: str):
    from participants.models import User

    User.objects.filter(email=DEMO_PARTICIPANT).update(language=code)


def test_a_right_to_left_language_turns_the_main_pages_around_without_overflow(
    live_server, settings, browser, tmp_path
):
    # A test-only Arabic catalogue with one message: enough for Django to offer the language, which is all the
    # base template needs for dir="rtl" and Bootstrap's RTL stylesheet.
    arabic = polib.POFile()
    arabic.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "ar",
        "Plural-Forms": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 ? 4 : 5;",
    }
    arabic.append(polib.POEntry(msgid="Sign out", msgstr="تسجيل الخروج"))
    settings.LANGUAGES = [*django_settings.LANGUAGES, ("ar", "العربية")]
    settings.LOCALE_PATHS = [_catalogues(tmp_path / "locale", {"ar": arabic})]
    _load_demo(settings)
    _set_language("ar")

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _sign_in(page, live_server, settings)
    for name, url in _main_pages(live_server).items():
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            html = page.locator("html")
            assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl"), name
            sheets = page.evaluate("[...document.styleSheets].map(s => s.href || '')")
            assert any(s.endswith("bootstrap.rtl.min.css") for s in sheets), (name, sheets)
            assert not any(s.endswith("bootstrap.min.css") for s in sheets), (name, sheets)
            assert "تسجيل الخروج" in page.locator("nav").first.text_content(), name
            assert _overflow(page) == 0, f"{name} at {width}px is {_overflow(page)}px too wide"
            page.screenshot(path=str(settings.VAR_DIR / f"rtl-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_participant_walks_home_session_and_dtca_in_their_language(
    live_server, settings, browser, tmp_path, language
):
    settings.LOCALE_PATHS = [_catalogues(tmp_path / "locale")]
    _load_demo(settings)
    _set_language(language)
    expected = EXPECTED[language]

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _sign_in(page, live_server, settings)
    pages = _main_pages(live_server)
    for name, url in pages.items():
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            html = page.locator("html")
            assert (html.get_attribute("lang"), html.get_attribute("dir")) == (language, "ltr"), name
            assert expected["sign_out"] in page.locator("nav").first.text_content(), name
            too_wide = _overflow(page)
            assert too_wide == 0, f"{name} in {language} at {width}px is {too_wide}px too wide: {_too_wide(page)}"
            if name == "session":
                headings = page.locator("main h2").all_text_contents()
                assert expected["agenda"] in headings and expected["objectives"] in headings, headings
            if name == "dtca":
                heading = page.locator("#step-individual h2").text_content()
                assert ENGLISH_DTCA_STEP not in heading, heading
            page.screenshot(path=str(settings.VAR_DIR / f"{language}-{name}-{width}.png"), full_page=True)


def test_the_french_demo_participant_sees_pages_and_programme_in_french_by_her_own_setting(
    live_server, settings, browser, tmp_path
):
    # participant-fr@demo.test has French in her profile (load_demo): no language is set by the test.
    settings.LOCALE_PATHS = [_catalogues(tmp_path / "locale")]
    _load_demo(settings)
    expected = EXPECTED["fr"]
    pages = _main_pages(live_server, FRENCH_PARTICIPANT)
    session = Participant.objects.get(user__email=FRENCH_PARTICIPANT).cohort.occurrences.order_by("starts_at")
    session = session.select_related("session").first().session
    french_title = session.translations["fr"]["title"]

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _sign_in(page, live_server, settings, FRENCH_PARTICIPANT)
    for name, url in pages.items():
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            html = page.locator("html")
            assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("fr", "ltr"), name
            assert expected["sign_out"] in page.locator("nav").first.text_content(), name
            too_wide = _overflow(page)
            assert too_wide == 0, f"{name} in fr at {width}px is {too_wide}px too wide: {_too_wide(page)}"
            if name == "session":
                heading = page.locator("main h1").first.text_content()
                assert french_title in heading and session.title not in heading, heading
                headings = page.locator("main h2").all_text_contents()
                assert expected["agenda"] in headings and expected["objectives"] in headings, headings
            page.screenshot(path=str(settings.VAR_DIR / f"fr-own-{name}-{width}.png"), full_page=True)
