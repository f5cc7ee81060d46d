"""Markup every portal page carries for keyboard and screen-reader users, checked without a browser.

(The axe-core crawl in test_accessibility.py commits its demo for a live server, so these rolled-back tests
live in a file of their own; see tests/shared_demo.py.)
"""


def test_every_portal_page_has_a_skip_link_a_main_landmark_and_a_favicon(participant_client, settings):
    page = participant_client.get("/profile/").content.decode()
    assert page.index('class="skip-link" href="#main"') < page.index("<nav")
    assert '<main id="main"' in page
    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert (settings.BASE_DIR / "static" / "favicon.svg").read_text().startswith("<svg")


def test_the_calendar_address_has_a_copy_button_without_inline_script(participant_client):
    page = participant_client.get("/profile/").content.decode()
    assert 'data-copy-target="#feed-url"' in page and 'id="feed-url"' in page
    assert "/static/js/copy.js" in page
    assert "onclick=" not in page and "<script>" not in page
