import pytest
from tests.browser.conftest import sign_in, new_context
from django.urls import reverse

pytestmark = pytest.mark.browser

def test_scratch(browser, live_server, assessor, draft, completed):
    for name, vp in [("portrait", {"width": 820, "height": 1180}), ("landscape", {"width": 1180, "height": 820})]:
        ctx = new_context(browser, live_server, has_touch=True)
        page = ctx.new_page()
        page.set_viewport_size(vp)
        sign_in(page, assessor)
        print(page.evaluate("matchMedia('(pointer: coarse)').matches"))
        page.goto(reverse("assessment_detail", args=[draft.pk]))
        page.screenshot(path=f"/tmp/shots/{name}-edit.png")
        page.get_by_role("tab", name="Lifting").click()
        page.wait_for_timeout(400)
        page.screenshot(path=f"/tmp/shots/{name}-lifting.png")
        page.locator("#results-panel").scroll_into_view_if_needed()
        page.screenshot(path=f"/tmp/shots/{name}-results.png")
        page.goto(reverse("assessment_detail", args=[completed.pk]))
        page.screenshot(path=f"/tmp/shots/{name}-completed.png", full_page=True)
        page.goto(reverse("assessment_complete", args=[draft.pk]))
        page.screenshot(path=f"/tmp/shots/{name}-complete.png")
        ctx.close()
