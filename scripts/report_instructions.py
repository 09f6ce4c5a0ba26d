"""Instructions per rendering of the OH and manager reports and of the one-page floor,
counted by valgrind (callgrind), which does not move with the machine's speed or load.

    DEBUG=1 .venv/bin/python scripts/report_instructions.py [--renders 2]

It seeds the heavy OH report of `bench_reports` in a throwaway database, writes the
reports' HTML and photos to a temporary folder, then runs itself under valgrind: once
rendering each document `--renders` times after a warm-up, once with the warm-up only. The
difference, divided by `--renders`, is one rendering. Takes about two minutes per
document on two cores. docs/performance.md, "PDF reports", has figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("oh", "manager", "floor")


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ergo_site.settings")
    import django

    django.setup()


def _write_documents(folder: Path) -> None:
    """The reports' HTML, with their photos copied into `folder/media`."""
    from django.db import connection
    from django.test.utils import override_settings

    from assessments.devtools.management.commands import bench_reports
    from assessments.reporting.store import report_html

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            command = bench_reports.Command()
            assessor, manager = command._users()
            oh_assessment = command._seed(assessor, manager, 2)[0]
            for kind in ("oh", "manager"):
                html = report_html(oh_assessment, kind, pdf=True)
                html = html.replace(Path(media).as_uri(), (folder / "media").as_uri())
                (folder / f"{kind}.html").write_text(html)
            shutil.copytree(media, folder / "media")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _render(folder: Path, document: str, renders: int) -> None:
    """The child: render a document a warm-up and `renders` times."""
    import weasyprint
    from django.test.utils import override_settings

    from assessments.devtools.management.commands.bench_reports import FLOOR_HTML
    from assessments.reporting import rendering

    override_settings(MEDIA_ROOT=str(folder / "media")).enable()  # the photos' folder

    if document == "floor":

        def once() -> None:
            weasyprint.HTML(string=FLOOR_HTML).write_pdf()

    else:
        html = (folder / f"{document}.html").read_text()

        def once() -> None:
            rendering.html_to_pdf(html)

    for _ in range(renders + 1):
        once()


def _count(folder: Path, document: str, renders: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        str(folder),
        document,
        str(renders),
    ]
    done = subprocess.run(  # noqa: S603 - valgrind on this script, no shell
        command, capture_output=True, text=True, check=True
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(done.stderr[-2000:])
    return int(found.group(1))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _django()
        _render(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=2)
    renders = max(1, parser.parse_args().renders)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    _django()
    with tempfile.TemporaryDirectory(prefix="report-instructions-") as name:
        folder = Path(name)
        _write_documents(folder)
        per_render = {}
        with ThreadPoolExecutor(max_workers=2) as pool:
            for document in DOCUMENTS:
                without, with_renders = pool.map(
                    lambda n, d=document: _count(folder, d, n), (0, renders)
                )
                per_render[document] = (with_renders - without) / renders
    for document in DOCUMENTS:
        print(f"{document}_instructions_per_render: {per_render[document] / 1e6:.1f} M")
    for document in ("oh", "manager"):
        ratio = per_render[document] / per_render["floor"]
        print(f"{document}_instructions_ratio_to_floor: {ratio:.2f}")


if __name__ == "__main__":
    main()
