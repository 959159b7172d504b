"""Issue 17, point 5: staff with many destinations reach every menu link by keyboard, and each link is
inside the viewport when it has focus, at phone (390 px) and desktop (1280 px) widths; axe on each."""

import pytest

from peercert.accounts.demo import DEMO_PASSWORD
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.web.navigation import entries_for

ROLES = [
    Role.PROGRAM_MANAGER,
    Role.SYSTEM_ADMINISTRATOR,
    Role.DHCS_ANALYST,
    Role.COUNTY_BILLING_SUPERVISOR,
    Role.PROGRAM_REVIEWER,
]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

FOCUSED = """() => {
  const e = document.activeElement;
  const r = e.getBoundingClientRect();
  return {
    href: e.getAttribute('href'),
    inMenu: !!e.closest('nav.usa-nav .usa-nav__primary'),
    group: e.classList.contains('usa-accordion__button') && !!e.closest('nav.usa-nav'),
    expanded: e.getAttribute('aria-expanded'),
    menuButton: e.classList.contains('usa-menu-btn'),
    end: e.id === 'language-select' || !!e.closest('main'),
    box: [r.left, r.top, r.right, r.bottom],
    viewport: [window.innerWidth, window.innerHeight],
    label: (e.innerText || '').trim(),
  };
}"""


def _tab_through_menu(page, narrow: bool) -> set[str]:
    """Tab from the top of the page to the end of the menu, opening the menu (on a phone) and each
    group on the way; fail if a focused menu link is outside the viewport. Return the links reached."""
    reached: set[str] = set()
    opened_menu = False
    page.locator("body").focus()
    for _ in range(200):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now["end"]:
            break
        if now["menuButton"] and narrow and not opened_menu:
            page.keyboard.press("Enter")
            opened_menu = True
            # The menu slides in from the right: wait until it has arrived.
            page.wait_for_function(
                "() => { const r = document.querySelector('nav.usa-nav').getBoundingClientRect();"
                " return r.left >= 0 && r.right <= window.innerWidth + 0.5; }"
            )
            continue
        if now["group"] and now["expanded"] == "false":
            page.keyboard.press("Enter")
            now = page.evaluate(FOCUSED)
        if now["inMenu"]:
            left, top, right, bottom = now["box"]
            width, height = now["viewport"]
            assert left >= 0 and top >= 0 and right <= width and bottom <= height, (
                f"'{now['label']}' is outside the {width}x{height} viewport when focused: {now['box']}"
            )
            if now["href"]:
                reached.add(now["href"])
    return reached


@pytest.mark.django_db(transaction=True)
def test_staff_reach_every_menu_link_by_keyboard_inside_the_viewport(page, axe_check, sign_in):
    for role in ROLES:
        user = user_with_role(role, email=f"{role}@nav.peercert.example")
        user.set_password(DEMO_PASSWORD)
        user.save()
        expected = {entry["url"] for entry in entries_for(user)}
        assert len(expected) >= 8, f"{role} has only {len(expected)} destinations; the test needs a long menu"
        page.context.clear_cookies()
        sign_in(page, user.email, DEMO_PASSWORD)
        for name, size in SIZES.items():
            page.set_viewport_size(size)
            page.goto("/")
            # A long menu is grouped: fewer top-level items than destinations.
            top_level = page.locator("nav.usa-nav .usa-nav__primary > li").count()
            assert top_level < len(expected), f"{role} at {name}: the menu is not grouped"
            reached = _tab_through_menu(page, narrow=name == "phone")
            assert reached == expected, f"{role} at {name}: not reached by keyboard: {expected - reached}"
            axe_check(page, f"home of {role} at {name}, menu open")


CONTROL_HEIGHTS = """() => [...document.querySelectorAll(
  'main input:not([type=hidden]):not(.peercert-honeypot input), main select, main textarea, main button,'
  + ' main .usa-checkbox__label, header button, header select, header a.usa-nav__link')]
  .filter(e => e.offsetParent !== null && !e.closest('.peercert-honeypot'))
  .map(e => ({name: e.name || e.id || e.innerText.trim(), height: e.getBoundingClientRect().height}))"""


@pytest.mark.django_db(transaction=True)
def test_the_register_form_is_styled_and_every_control_is_44_px_tall(page, axe_check):
    for size in SIZES.values():
        page.set_viewport_size(size)
        page.goto("/register/")
        controls = page.evaluate(CONTROL_HEIGHTS)
        assert len(controls) >= 8, controls
        short = [c for c in controls if c["height"] < 44]
        assert not short, f"controls under 44 px at {size['width']} px: {short}"
        assert page.locator("main input.usa-input").count() >= 5  # USWDS-styled, not bare browser boxes
        axe_check(page, f"register at {size['width']} px")
