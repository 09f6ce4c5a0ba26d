"""Real API responses validate against the published OpenAPI document (jsonschema)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from jsonschema import Draft202012Validator

from assessments.reporting.models import Report
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client) -> dict[str, Any]:
    response = client.get(reverse("api-schema") + "?format=json")
    assert response.status_code == 200
    data = response.json()
    assert data["openapi"].startswith("3.1")
    return data


def _validate(document: dict[str, Any], path: str, method: str, response: Any) -> None:
    operation = document["paths"][path][method]
    declared = operation["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
    assert not errors, (path, method, [f"{list(e.path)}: {e.message}" for e in errors[:5]])


def _calls(completed, action) -> list[tuple[str, str, str]]:
    pk, employee = completed.pk, completed.employee
    return [
        ("/api/v1/sites/", "get", reverse("api-site-list")),
        (
            "/api/v1/sites/{id}/",
            "get",
            reverse("api-site-detail", args=[employee.department.site_id]),
        ),
        ("/api/v1/departments/", "get", reverse("api-department-list")),
        (
            "/api/v1/departments/{id}/",
            "get",
            reverse("api-department-detail", args=[employee.department_id]),
        ),
        ("/api/v1/employees/", "get", reverse("api-employee-list")),
        ("/api/v1/employees/{id}/", "get", reverse("api-employee-detail", args=[employee.pk])),
        (
            "/api/v1/employees/hr/{hr_reference}/",
            "get",
            reverse("api-employee-upsert", args=[employee.hr_reference]),
        ),
        ("/api/v1/assessments/", "get", reverse("api-assessment-list")),
        ("/api/v1/assessments/{id}/", "get", reverse("api-assessment-detail", args=[pk])),
        ("/api/v1/assessments/{id}/results/", "get", reverse("api-assessment-results", args=[pk])),
        ("/api/v1/assessments/{id}/reports/", "get", reverse("api-report-list", args=[pk])),
        ("/api/v1/actions/", "get", reverse("api-action-list")),
        ("/api/v1/actions/{id}/", "get", reverse("api-action-detail", args=[action.pk])),
        (
            "/api/v1/exports/{table}.{fmt}",
            "get",
            reverse("api-export", args=["actions", "json"]),
        ),
        (
            "/api/v1/exports/{table}.{fmt}",
            "get",
            reverse("api-export", args=["assessments", "json"]),
        ),
    ]


@pytest.mark.parametrize("role", ["assessor", "manager"])
def test_real_responses_match_the_published_schema(role, request, document, completed):
    report = Report(assessment=completed, kind="manager", sha256="a" * 64, snapshot_sha256="b" * 64)
    report.file.save("m.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.save()
    client = api_client_for(request.getfixturevalue(role))
    action = completed.actions.first()
    for path, method, url in _calls(completed, action):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        _validate(document, path, method, response)


def test_write_responses_match_the_published_schema(assessor, document, completed, department):
    client = api_client_for(assessor)
    created = client.post(
        reverse("api-employee-list"),
        {
            "hr_reference": "S1",
            "name": "Schema Person",
            "job_title": "x",
            "department": department.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    _validate(document, "/api/v1/employees/", "post", created)
    action = completed.actions.first()
    url = reverse("api-action-detail", args=[action.pk])
    updated = client.patch(
        url,
        {"status": "in_progress"},
        content_type="application/json",
        HTTP_IF_MATCH=client.get(url)["ETag"],
    )
    assert updated.status_code == 200
    _validate(document, "/api/v1/actions/{id}/", "patch", updated)


def test_every_route_is_in_the_schema(document):
    from assessments.api import urls

    documented = set(document["paths"])
    for pattern in urls.urlpatterns:
        if pattern.name in ("api-schema", "api-docs"):
            continue
        route = "/api/v1/" + str(pattern.pattern).replace("<int:", "{").replace(
            "<str:", "{"
        ).replace("<slug:", "{").replace(">", "}")
        route = route.replace("{pk}", "{id}")  # drf-spectacular names a primary key "id"
        assert route in documented, route


def test_the_docs_page_is_served_locally_under_the_sites_csp(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy.split(";")[1]
    assert "<script>" not in html  # no inline script: its start-up code is a file
    script = client.get(reverse("api-docs") + "?script")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
