import pytest
from tests.browser.conftest import sign_in
from django.urls import reverse

pytestmark = pytest.mark.browser

def test_scratch(page, live_server, assessor, draft, completed, problems):
    import asyncio
    sign_in(page, assessor)
    for name, url in [("home", "/"), ("employees", reverse("employee_list")),
                      ("edit", reverse("assessment_detail", args=[draft.pk]) if False else None)]:
        if url is None: continue
        page.goto(url)
        page.screenshot(path=f"/tmp/shots/{name}.png", full_page=True)
    print(problems.messages)
