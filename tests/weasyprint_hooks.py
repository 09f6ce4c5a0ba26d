"""Rendering without the reports' WeasyPrint hooks, for tests that compare with WeasyPrint."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from assessments.reporting import rendering


@contextlib.contextmanager
def hooks_removed() -> Iterator[None]:
    """Within this block WeasyPrint runs as published; afterwards every hook is back."""
    rendering.uninstall_weasyprint_hooks()
    try:
        yield
    finally:
        assert rendering.install_weasyprint_hooks()
