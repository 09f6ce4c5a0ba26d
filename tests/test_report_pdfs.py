"""The PDFs themselves: downloads and permissions, text and pages, storage, and the fetcher."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import socket
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.people.models import Department
from assessments.records import services
from assessments.records.models import Assessment
from assessments.records.snapshot import snapshot_digest
from assessments.reporting import context, rendering
from assessments.reporting.models import Report
from tests.conftest import client_for
from tests.report_data import add_photos, complete_with_actions, full_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(employee: Any, assessor: Any, manager: Any) -> Assessment:
    """Three lifting tasks, ten actions and two photos: the page budget's worst case."""
    assessment = complete_with_actions(
        full_draft(employee=employee, assessor=assessor), user=assessor, owner=manager
    )
    add_photos(assessment, user=assessor)
    return assessment


def _user(request: Any, role: str) -> Any:
    if role == "anonymous":
        return None
    return request.getfixturevalue("admin_user" if role == "admin" else role)


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces as single spaces."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _assert_pdf(response: Any, filename: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF-")
    return body


# --- One smoke test per PDF URL ----------------------------------------------------------

OH_PDF = {"assessor": 200, "admin": 200, "manager": 403, "other_manager": 404, "nobody": 403}
MANAGER_PDF = {"assessor": 200, "admin": 200, "manager": 200, "other_manager": 404, "nobody": 403}


@pytest.mark.parametrize("role", ["anonymous", *OH_PDF])
def test_oh_report_pdf_downloads_for_oh_staff_only(role, completed, request):
    response = client_for(_user(request, role)).get(
        reverse("report_pdf", args=[completed.pk, "oh"])
    )
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == OH_PDF[role]
    if response.status_code == 200:
        day = completed.assessed_on.isoformat()
        _assert_pdf(response, f"oh-report-robin-patel-{day}-r1.pdf")


@pytest.mark.parametrize("role", ["anonymous", *MANAGER_PDF])
def test_manager_report_pdf_downloads_for_the_department_manager_and_oh(role, completed, request):
    response = client_for(_user(request, role)).get(
        reverse("report_pdf", args=[completed.pk, "manager"])
    )
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == MANAGER_PDF[role]
    if response.status_code == 200:
        day = completed.assessed_on.isoformat()
        _assert_pdf(response, f"manager-report-robin-patel-{day}-r1.pdf")


def _department_query(department: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "departments": [department.pk],
        "start": (today - dt.timedelta(days=90)).isoformat(),
        "end": today.isoformat(),
    }


@pytest.mark.parametrize(
    "role,status",
    [
        ("manager", 200),
        ("assessor", 200),
        ("admin", 200),
        ("other_manager", "form"),  # Customer Service is not among their choices
        ("nobody", 403),
        ("anonymous", 302),
    ],
)
def test_department_report_pdf_for_departments_the_user_may_see(
    role, status, completed, department, request
):
    response = client_for(_user(request, role)).get(
        reverse("department_report"), _department_query(department)
    )
    if status == "form":
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert b"Select a valid choice" in response.content
        return
    assert response.status_code == status
    if status == 200:
        end = timezone.localdate().isoformat()
        body = _assert_pdf(response, f"department-report-customer-service-{end}.pdf")
        assert "Robin Patel" in _text(body)


# --- Text and pages ----------------------------------------------------------------------


def test_oh_report_pdf_holds_the_key_facts_and_its_snapshot_digest(full, assessor):
    response = client_for(assessor).get(reverse("report_pdf", args=[full.pk, "oh"]))
    text = _text(b"".join(response.streaming_content))
    lifting = full.results["lifting"]
    for fact in [
        "Occupational health report",
        "Robin Patel",
        "Very high",
        f"Composite lifting index (CLI) {lifting['composite_lifting_index']:.2f}",
        "Urgent clinical review",
        f"BMI {full.results['worker']['bmi']:.1f}",
        "It is not itself a validated instrument",
        snapshot_digest(full.inputs, full.results),
        f"EA-{full.pk:06d}-R1",
    ]:
        assert fact in text, fact
    assert "Page 1 of" in text


def test_manager_report_pdf_has_no_health_detail(full, manager):
    response = client_for(manager).get(reverse("report_pdf", args=[full.pk, "manager"]))
    text = _text(b"".join(response.streaming_content))
    assert "Manager report" in text and "Clinical review advised" in text
    for word in ["BMI", f"{full.results['worker']['bmi']:.1f}", "Yellow", "night pain", "7/10"]:
        assert word not in text


def test_oh_report_with_three_lifting_tasks_and_ten_actions_fits_in_four_pages(full):
    from assessments.reporting.store import report_render

    assert len(full.results["lifting"]["tasks"]) == 3
    assert full.actions.count() == 10
    pdf = report_render(full, "oh")
    pages = _pages(pdf)
    assert pages <= 4
    assert f"Page {pages} of {pages}" in _text(pdf)


# --- Stored, immutable reports -----------------------------------------------------------


def _download(user: Any, assessment: Assessment, kind: str) -> tuple[bytes, str]:
    response = client_for(user).get(reverse("report_pdf", args=[assessment.pk, kind]))
    assert response.status_code == 200
    return b"".join(response.streaming_content), response["X-Report-SHA256"]


def test_stored_report_is_byte_identical_on_every_download(completed, assessor):
    first, digest = _download(assessor, completed, "oh")
    second, _ = _download(assessor, completed, "oh")
    assert first == second
    assert hashlib.sha256(first).hexdigest() == digest
    report = Report.objects.get(assessment=completed, kind="oh")
    assert report.sha256 == digest
    assert report.file.read() == first
    assert report.snapshot_sha256 == snapshot_digest(completed.inputs, completed.results)
    assert report.created_by == assessor


def test_stored_report_is_unchanged_after_the_scoring_code_changes(
    completed, assessor, manager, monkeypatch
):
    before = {kind: _download(assessor, completed, kind)[0] for kind in ("oh", "manager")}

    def new_model(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("reports must not re-score a completed assessment")

    from assessments.scoring import assessment as scoring_assessment
    from assessments.scoring import strain

    monkeypatch.setattr(scoring_assessment, "assess", new_model)
    monkeypatch.setattr(services, "assess", new_model)
    monkeypatch.setattr(strain, "evaluate", new_model)
    monkeypatch.setattr(strain, "MODEL_VERSION", "2.0")
    monkeypatch.setattr(strain, "WEIGHTS", dict.fromkeys(strain.WEIGHTS, 1))
    # The report wording changes too: a fresh rendering would now differ.
    monkeypatch.setattr(context, "DISCLAIMER", "A different model, a different statement.")
    assert _download(assessor, completed, "oh")[0] == before["oh"]
    assert _download(manager, completed, "manager")[0] == before["manager"]


def test_completing_stores_both_reports_and_an_amendment_adds_new_ones_keeping_the_old(
    employee, assessor, django_capture_on_commit_callbacks
):
    draft = full_draft(employee=employee, assessor=assessor)
    with django_capture_on_commit_callbacks(execute=True):
        first = complete_with_actions(draft, user=assessor, store_reports=True)
    old = {r.kind: (r.pk, r.sha256, r.file.read()) for r in first.reports.all()}
    assert set(old) == {"oh", "manager"}

    amendment = services.assessment_amend(assessment=first, user=assessor, reason="Typo")
    with django_capture_on_commit_callbacks(execute=True):
        second = complete_with_actions(amendment, user=assessor, store_reports=True)

    assert {r.kind for r in second.reports.all()} == {"oh", "manager"}
    assert Report.objects.count() == 4
    for report in Report.objects.filter(assessment=first):
        pk, sha, data = old[report.kind]
        assert report.pk == pk and report.sha256 == sha
        assert report.file.read() == data
    new_oh = second.reports.get(kind="oh")
    assert new_oh.sha256 != old["oh"][1]
    assert f"EA-{second.pk:06d}-R2" in _text(new_oh.file.read())


def test_reports_are_not_rendered_from_a_draft(draft):
    from assessments.reporting.store import report_store

    with pytest.raises(ValueError):
        report_store(assessment=draft, kind="oh")


# --- The renderer: one stylesheet per thread, fonts and compression ---------------------


def _in_another_thread(work: Any) -> Any:
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    thread.join()
    return result[0]


def test_the_print_stylesheet_is_parsed_once_per_thread():
    sheet, fonts = rendering.print_stylesheet()
    assert rendering.print_stylesheet() == (sheet, fonts)
    other_sheet, other_fonts = _in_another_thread(rendering.print_stylesheet)
    assert other_sheet is not sheet and other_fonts is not fonts


def test_a_report_renders_to_the_same_bytes_with_a_fresh_or_a_reused_stylesheet(full):
    from assessments.reporting.store import report_html

    html = report_html(full, "oh", pdf=True)
    assert "print.css" not in html  # the renderer applies the print stylesheet itself
    fresh = _in_another_thread(lambda: rendering.html_to_pdf(html))
    reused = rendering.html_to_pdf(html)
    assert rendering.html_to_pdf(html) == reused == fresh


def test_pdf_embeds_the_bundled_fonts_and_compresses_its_streams(full):
    from assessments.reporting.store import report_render

    reader = PdfReader(io.BytesIO(report_render(full, "oh")))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
        assert page["/Contents"].get_object()["/Filter"] == "/FlateDecode"
    assert fonts == {"Report-Sans", "Report-Sans-Bold"}  # the @font-face fonts of print.css


def _report_htmls(full: Assessment, department: Any) -> dict[str, str]:
    from assessments.reporting.store import report_html

    today = timezone.localdate()
    ctx = context.department_context(
        departments=Department.objects.filter(pk=department.pk),
        start=today - dt.timedelta(days=365),
        end=today,
    )
    return {
        "oh": report_html(full, "oh", pdf=True),
        "manager": report_html(full, "manager", pdf=True),
        "department": rendering.render_html(
            "assessments/pdf/department_report.html", {**ctx, "pdf": True}
        ),
    }


def test_reports_render_the_same_with_the_report_defaults_as_with_weasyprints(full, department):
    """REPORT_HTML_DEFAULTS stand in for WeasyPrint's stylesheet for all of HTML: same PDF."""
    from weasyprint import HTML

    sheet, fonts = rendering.print_stylesheet()
    base = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    for kind, html in _report_htmls(full, department).items():
        weasyprints = HTML(string=html, base_url=base, url_fetcher=rendering.LocalFetcher())
        expected = weasyprints.write_pdf(
            stylesheets=[sheet], font_config=fonts, finisher=rendering._compress_streams
        )
        assert rendering.html_to_pdf(html) == expected, kind


class _Elements(HTMLParser):
    """The elements of an HTML document, leaving out what is inside inline SVG."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()
        self.svg_depth = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if self.svg_depth == 0:
            self.found.add(tag)
        if tag == "svg":
            self.svg_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.svg_depth -= 1


def test_print_templates_use_only_elements_the_report_defaults_style(full, department):
    for kind, html in _report_htmls(full, department).items():
        parser = _Elements()
        parser.feed(html)
        assert parser.found <= rendering.REPORT_ELEMENTS, (
            kind,
            parser.found - rendering.REPORT_ELEMENTS,
        )


def test_the_report_defaults_style_every_margin_box_the_print_stylesheet_fills():
    """A margin box the print stylesheet fills has WeasyPrint's default rule in
    REPORT_HTML_DEFAULTS (the PDFs are compared with WeasyPrint's stylesheet above)."""
    import re

    print_css = (Path(settings.BASE_DIR) / "static" / rendering.PRINT_STYLESHEET).read_text()
    margin_box = re.compile(r"@((?:top|bottom|left|right)-[a-z-]+)\s*\{")
    filled = set(margin_box.findall(print_css))
    assert filled == rendering.REPORT_MARGIN_BOXES
    assert set(margin_box.findall(rendering.REPORT_HTML_DEFAULTS)) == filled


# --- Photos and the URL fetcher ----------------------------------------------------------


def test_an_unreadable_photo_renders_as_a_labelled_placeholder(completed, assessor):
    corrupt, missing = add_photos(completed, user=assessor)
    Path(corrupt.image.path).write_bytes(b"not an image at all")
    Path(missing.image.path).unlink()

    html = client_for(assessor).get(reverse("report_preview", args=[completed.pk, "oh"]))
    assert html.content.decode().count(context.PHOTO_UNAVAILABLE) == 2
    assert "Desk from the left" in html.content.decode()  # the caption is kept
    pdf, _ = _download(assessor, completed, "oh")
    assert "Photo unavailable" in _text(pdf)


def test_fetcher_refuses_http_and_https():
    fetcher = rendering.LocalFetcher()
    for url in ["http://example.org/print.css", "https://example.org/logo.png"]:
        with pytest.raises(ValueError, match="local files only"):
            fetcher.fetch(url)


def test_fetcher_refuses_files_outside_static_and_media(tmp_path):
    fetcher = rendering.LocalFetcher()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    escape = (Path(settings.BASE_DIR) / "static" / ".." / "ergo_site" / "settings.py").as_posix()
    for url in [outside.as_uri(), "file:///etc/passwd", f"file://{escape}"]:
        with pytest.raises(ValueError, match="outside the static and media folders"):
            fetcher.fetch(url)


def test_fetcher_refuses_a_folder_whose_name_only_begins_like_the_media_folder(tmp_path, settings):
    media = tmp_path / "media"
    beside = tmp_path / "media-private"
    beside.mkdir()
    (beside / "photo.jpg").write_bytes(b"not for reports")
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "photo.jpg").write_bytes(b"a report's photo")
    settings.MEDIA_ROOT = str(media)
    fetcher = rendering.LocalFetcher()
    assert fetcher.fetch((media / "photos" / "photo.jpg").as_uri()).read() == b"a report's photo"
    with pytest.raises(ValueError, match="outside the static and media folders"):
        fetcher.fetch((beside / "photo.jpg").as_uri())
    settings.MEDIA_ROOT = str(beside)  # the folders are those configured at each fetch
    assert fetcher.fetch((beside / "photo.jpg").as_uri()).read() == b"not for reports"


def test_fetcher_serves_static_files_with_their_type():
    response = rendering.LocalFetcher().fetch(rendering.static_path("css/print.css"))
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_rendering_never_opens_a_network_connection(monkeypatch):
    attempts: list[Any] = []

    def record(self: Any, address: Any) -> None:
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", record)
    html = (
        '<link rel="stylesheet" href="http://example.org/x.css">'
        '<img src="https://example.org/a.png"><p>Hello</p>'
    )
    pdf = rendering.html_to_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert attempts == []


def test_fetcher_serves_inline_data():
    response = rendering.LocalFetcher().fetch("data:text/css,p%7Bcolor:red%7D")
    assert response.content_type == "text/css"
    assert response.read() == b"p{color:red}"
