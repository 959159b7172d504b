"""The Content-Security-Policy in a real browser: pages still work, and a violation is noticed."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_an_inline_style_is_refused_and_the_page_fixture_reports_it(page):
    page.goto("/")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p id=\"injected\" style=\"color: rgb(255, 0, 0)\">x</p>')"
    )
    page.evaluate("0")
    assert page.locator("#injected").evaluate("e => getComputedStyle(e).color") != "rgb(255, 0, 0)"
    assert any("style-src" in v for v in page.csp_violations), page.csp_violations
    page.csp_violations.clear()  # seen; the fixture would otherwise fail this test at the end


@pytest.mark.django_db(transaction=True)
def test_the_spam_trap_stays_off_screen_without_an_inline_style(page):
    page.goto("/discipline/complaints/new/")
    box = page.locator(".peercert-honeypot").bounding_box()
    assert box is not None and box["x"] + box["width"] < 0


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_under_the_policy(page):
    page.goto("/api/v1/docs")
    page.locator("#swagger-ui .info .title").wait_for()
    assert "PeerCert API" in page.locator("#swagger-ui .info .title").inner_text()
