"""Browser fixtures: Playwright driving Debian's Chromium against the live test server.

Loaded for the whole suite from conftest.py. Where no Chromium is installed (a newcomer's
laptop) browser tests are skipped with a visible notice; CI sets PEERCERT_REQUIRE_BROWSER=1
so a missing browser fails instead.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by
# tests around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("PEERCERT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
SERIOUS = {"serious", "critical"}


def _missing_browser_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"Browser tests skipped: no Chromium at {CHROMIUM} (install Debian's 'chromium' package)."
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing_browser_reason()
    if reason:
        if os.environ.get("PEERCERT_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        print(f"\n*** {reason} ***")  # noqa: T201 - the notice is the point
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Every document tells Python about each Content-Security-Policy violation (a blocked inline
# script or style, a script from elsewhere): a page the CSP breaks fails the test that saw it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__peercertCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber} (${(e.sample || "").slice(0, 60)})`);
});
"""


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page whose relative URLs go to the live test server. It fails the test when
    a Content-Security-Policy violation happens on any page it showed."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-US")
    context.set_default_timeout(10_000)
    violations = []
    context.expose_binding(
        "__peercertCspViolation", lambda source, text: violations.append(f"{source['page'].url}: {text}")
    )
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    tab = context.new_page()
    tab.csp_violations = violations
    yield tab
    if not tab.is_closed():
        tab.evaluate("0")  # lets reports still in flight arrive
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def axe_check():
    """axe_check(page) runs axe-core on the page and fails on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    visited = []

    def check(tab, label: str = ""):
        from playwright.sync_api import Error as PlaywrightError

        tab.wait_for_load_state()
        try:
            results = axe.run(tab)
        except PlaywrightError:
            # A click's navigation replaced the document while axe ran (seen on a busy machine): run it
            # again on the page that arrived.
            tab.wait_for_load_state()
            results = axe.run(tab)
        bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
        visited.append(tab.url)
        assert not bad, f"Accessibility problems on {label or tab.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
        )
        return results

    check.visited = visited
    return check


@pytest.fixture
def sign_in():
    """sign_in(page, email, password) through the real sign-in form."""

    def do(tab, email: str, password: str):
        tab.goto("/sign-in/")
        tab.get_by_label("Email").fill(email)
        tab.get_by_label("Password").fill(password)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_load_state()

    return do
