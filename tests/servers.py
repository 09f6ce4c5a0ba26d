"""Waiting for a server the tests started to answer.

A server process is slow to answer its first request on a slow or busy machine: the
listening socket refuses connections at first, and once it accepts them the first
request may take seconds while the application loads. Both are waited out, up to a
deadline generous enough for a machine four times slower than the project's two-core
one (which starts gunicorn in about 5 s).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Mapping

import requests

#: Longest wait for a server to start answering.
START_SECONDS = 240
#: Longest wait for one readiness request (the first loads the application).
REQUEST_SECONDS = 10


def wait_until_answering(
    url: str,
    *,
    process: subprocess.Popen[bytes] | None = None,
    headers: Mapping[str, str] | None = None,
    output: Callable[[], str] = lambda: "",
    seconds: float = START_SECONDS,
    request_seconds: float = REQUEST_SECONDS,
) -> requests.Response:
    """GET `url` until it answers (any status), retrying refused connections and requests
    that time out. Fails with the server's `output` if it exits or the deadline passes."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return requests.get(url, headers=dict(headers or {}), timeout=request_seconds)
        except requests.RequestException as error:
            if process is not None and process.poll() is not None:
                raise AssertionError(f"the server exited:\n{output()}") from error
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"{url} did not answer within {seconds:.0f} s ({error!r}):\n{output()}"
                ) from error
            time.sleep(0.3)
