"""Error pages in the app's layout, as production serves them (DEBUG off): 400, 403, 404,
413 (a form that sends too much text) and 500, each with the request's reference and
never a stack trace."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.people.models import Employee
from assessments.views.errors import FORM_EXPIRED_MESSAGE
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LAYOUT = '<a class="navbar-brand" href="/">Ergo Assess</a>'


def _branded(response, status: int) -> str:
    assert not settings.DEBUG
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert LAYOUT in html and "Back to the start page" in html
    assert "Traceback" not in html and "Django" not in html
    reference = response["X-Request-ID"]
    assert f"Reference: <code>{reference}</code>" in html
    return html


def test_an_unknown_page_is_a_branded_404(assessor):
    html = _branded(client_for(assessor).get("/no-such-page/"), 404)
    assert "404 Not found" in html
    assert 'href="/actions/"' in html  # the signed-in navigation is there


def test_a_page_outside_your_role_is_a_branded_403(nobody):
    html = _branded(client_for(nobody).get(reverse("dashboard")), 403)
    assert "403 Forbidden" in html


def test_a_form_refused_by_the_csrf_check_is_a_branded_403_saying_what_to_do(assessor):
    client = client_for(assessor)
    client.handler.enforce_csrf_checks = True
    html = _branded(client.post(reverse("employee_create"), {"name": "No Token"}), 403)
    assert str(FORM_EXPIRED_MESSAGE) in html
    assert not Employee.objects.filter(name="No Token").exists()


def test_a_request_the_server_cannot_read_is_a_branded_400(assessor):
    response = client_for(assessor).get(reverse("home"), HTTP_HOST="evil.example")
    html = _branded(response, 400)
    assert "400 Bad request" in html


def test_a_form_with_too_much_text_is_a_branded_413_and_saves_nothing(assessor, department):
    ten_mb = "x" * (10 * 1024 * 1024)
    response = client_for(assessor).post(
        reverse("employee_create"),
        {
            "hr_reference": "E900",
            "name": "Big Paste",
            "job_title": ten_mb,
            "department": department.pk,
            "work_type": "office",
        },
    )
    html = _branded(response, 413)
    assert "413 Too large" in html
    assert "at most 2.5 MB" in html and "each photo at most 10 MB" in html
    assert not Employee.objects.filter(hr_reference="E900").exists()


def test_a_fault_is_a_branded_500_without_the_error(assessor, employee, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("assessments.views.employees.paginate", broken)
    client = client_for(assessor)
    client.raise_request_exception = False
    html = _branded(client.get(reverse("employee_list"), HTTP_X_REQUEST_ID="probe-500"), 500)
    assert "500 Something went wrong" in html
    assert "Reference: <code>probe-500</code>" in html
    assert "secret internal detail" not in html and "RuntimeError" not in html
