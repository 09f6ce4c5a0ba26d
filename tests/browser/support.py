"""Helpers for the real-browser tests: signing in, accessibility checks, keyboard focus."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page, expect

from assessments.selfassess.questions import SCREENS
from tests.conftest import PASSWORD

TABLET = {"width": 820, "height": 1180}
TIMEOUT_MS = 30_000
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"

# axe-core rule tags: WCAG 2.x A and AA, plus the best practices that cover landmarks and
# heading order.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Structural rules that fail the check whatever impact axe gives them.
AXE_ALWAYS_FAIL = {
    "heading-order",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-main",
    "page-has-heading-one",
    "region",
    "duplicate-id-aria",
    "label",
}


# htmx logs an aborted request as an error. The live preview forms abort a preview still in
# flight when the next keystroke arrives (hx-sync="this:replace"), so these are expected.
# Failed requests log htmx:responseError / htmx:sendError, which still count.
EXPECTED_CONSOLE = re.compile(r"^htmx:(sendAbort|afterRequest)\b")


# The main pages: name -> (who signs in, the URL from the `main_pages` fixture's data).
PAGES: dict[str, tuple[str | None, Any]] = {
    "sign-in": (None, lambda d: reverse("login")),
    "home": ("assessor", lambda d: reverse("home")),
    "home (manager)": ("manager", lambda d: reverse("home")),
    "employee list": ("assessor", lambda d: reverse("employee_list")),
    "employee detail": ("assessor", lambda d: d["completed"].employee.get_absolute_url()),
    "assessment edit": ("assessor", lambda d: d["draft"].get_absolute_url()),
    "assessment complete": (
        "assessor",
        lambda d: reverse("assessment_complete", args=[d["draft"].pk]),
    ),
    "completed assessment": ("assessor", lambda d: d["completed"].get_absolute_url()),
    "completed assessment (manager)": ("manager", lambda d: d["completed"].get_absolute_url()),
    "dashboard": ("assessor", lambda d: reverse("dashboard")),
    "dashboard (manager)": ("manager", lambda d: reverse("dashboard")),
    "action list": ("assessor", lambda d: reverse("action_list")),
    "API tokens": ("manager", lambda d: reverse("token_list")),
}

#: The pages an employee opens from their emailed link (no account), with the status each
#: answers: a link that cannot be used gets the same plain page whether it is unknown,
#: expired or already used.
LINK_PAGES: dict[str, tuple[int, Any]] = {
    "self-assessment start": (200, lambda d: reverse("selfassess_link", args=[d["token"]])),
    "self-assessment screen": (
        200,
        lambda d: reverse("selfassess_screen", args=[d["token"], SCREENS[0].key]),
    ),
    "self-assessment last screen": (
        200,
        lambda d: reverse("selfassess_screen", args=[d["token"], SCREENS[-1].key]),
    ),
    "link that cannot be used": (404, lambda d: reverse("selfassess_link", args=["not-a-link"])),
    "consent preview": (200, lambda d: reverse("consent_link", args=[d["consent_token"]])),
    "consent link that cannot be used": (
        404,
        lambda d: reverse("consent_link", args=["not-a-link"]),
    ),
}


@dataclass
class Problems:
    """JavaScript errors, CSP violations and failed requests seen by one browser context."""

    messages: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning") and not EXPECTED_CONSOLE.match(message.text):
            self.messages.append(f"console {message.type}: {message.text} ({message.location})")

    def on_page_error(self, error: Any) -> None:
        self.messages.append(f"uncaught exception: {error}")

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self.on_console)
        context.on("weberror", lambda web_error: self.on_page_error(web_error.error))


def new_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    """A fresh context (own cookies and storage) with a tablet viewport."""
    options = {
        "viewport": TABLET,
        "has_touch": True,
        "locale": "en-GB",
        # Bootstrap then skips its fade transitions, so what is checked is the final state.
        "reduced_motion": "reduce",
        **options,
    }
    context = browser.new_context(base_url=base_url, accept_downloads=True, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def sign_in(page: Page, user: User) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Signed in: the main menu (behind its toggle button on a tablet) offers "Sign out".
    expect(page.locator("#nav form button")).to_have_text("Sign out")


def open_menu(page: Page) -> Locator:
    """The main menu, opened first if the screen is narrow enough to fold it away."""
    toggle = page.get_by_role("button", name="Toggle navigation")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("button", name="Sign out")).to_be_visible()
    return menu


# --- Accessibility ------------------------------------------------------------------------


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page (its context must bypass CSP) and return the violations.

    The page is checked at its own width and its full height: what a sticky bar happens to
    cover at one scroll position is not a property of the page (the keyboard test checks
    that focus is never hidden under it).
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    viewport = page.viewport_size or TABLET
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    try:
        result: dict[str, Any] = page.evaluate(AXE_RUN_JS, AXE_TAGS)
    finally:
        page.set_viewport_size(viewport)
    return list(result["violations"])


AXE_RUN_JS = """async (tags) => {
    const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return {violations: r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary)}))};
}"""


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """Serious or critical violations, and any of the structural rules, as readable lines."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical") or v["id"] in AXE_ALWAYS_FAIL
    ]


# --- Keyboard focus -----------------------------------------------------------------------

FOCUS_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    // Centre of the part of the element inside the viewport.
    const x = (Math.max(rect.left, 0) + Math.min(rect.right, innerWidth)) / 2;
    const y = (Math.max(rect.top, 0) + Math.min(rect.bottom, innerHeight)) / 2;
    const top = document.elementFromPoint(x, y);
    const label = el.labels && el.labels.length ? el.labels[0] : null;
    return {
        key: el.id || el.name || (el.tagName + ":" + (el.textContent || "").trim().slice(0, 40)),
        tag: el.tagName.toLowerCase(),
        type: el.type || "",
        role: el.getAttribute("role") || "",
        text: (el.textContent || el.value || "").trim().slice(0, 60),
        checked: !!el.checked,
        selected: el.getAttribute("aria-selected"),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== "none",
        width: rect.width, height: rect.height,
        inViewport: rect.bottom > 0 && rect.top < innerHeight && rect.right > 0
            && rect.left < innerWidth,
        unobscured: !!top && (el.contains(top) || top.contains(el)
            || (label !== null && label.contains(top))),
    };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    """What has keyboard focus, and whether a person can see it."""
    return page.evaluate(FOCUS_JS)  # type: ignore[no-any-return]


def assert_focus_visible(info: dict[str, Any] | None) -> None:
    assert info is not None, "focus was lost to the page body"
    assert info["outline"] or info["shadow"], f"no visible focus indicator on {info}"
    assert info["width"] > 0 and info["height"] > 0, f"focused element has no size: {info}"
    assert info["inViewport"], f"focused element is scrolled out of view: {info}"
    assert info["unobscured"], f"focused element is covered by something else: {info}"
