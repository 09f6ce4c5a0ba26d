import os, datetime as dt
from assessments.reports.store import report_render, report_html
from assessments.reports import context, rendering
from assessments.models import Department
from tests.report_data import full_draft, complete_with_actions, add_photos
import pytest

@pytest.mark.django_db
def test_dump(employee, assessor, manager):
    a = complete_with_actions(full_draft(employee=employee, assessor=assessor), user=assessor, owner=manager)
    add_photos(a, user=assessor)
    for kind in ("oh", "manager"):
        open(f"/tmp/pdfs/{kind}.pdf", "wb").write(report_render(a, kind))
        open(f"/tmp/pdfs/{kind}.html", "w").write(report_html(a, kind))
    ctx = context.department_context(departments=Department.objects.all(), start=dt.date(2020,1,1), end=dt.date(2030,1,1))
    open("/tmp/pdfs/dept.pdf", "wb").write(rendering.render_pdf("assessments/pdf/department_report.html", ctx))
    open("/tmp/pdfs/dept.html", "w").write(rendering.render_html("assessments/pdf/department_report.html", ctx))

@pytest.mark.django_db
def test_debug(employee, assessor, manager, caplog):
    import logging
    caplog.set_level(logging.DEBUG, logger="weasyprint")
    a = complete_with_actions(full_draft(employee=employee, assessor=assessor), user=assessor, owner=manager)
    html = report_html(a, "oh", pdf=True)
    print([l for l in html.splitlines() if "stylesheet" in l])
    rendering.html_to_pdf(html)
    for r in caplog.records: print("LOG", r.levelname, r.getMessage()[:300])
