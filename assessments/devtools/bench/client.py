"""Virtual users for the load benchmark: assessors and managers driving the app over HTTP.

Each virtual user is a thread with its own signed-in session. Assessors start an
assessment, save its three sections and complete it, again and again; managers load the
dashboard and the assessment list and download manager reports. Every request is timed
and counted per endpoint; an unexpected status or a network error is a failure.
"""

from __future__ import annotations

import random
import re
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import requests

from assessments.devtools.bench.forms import form_fields, pick, post_forms

SECTIONS = ("workstation", "sitting", "worker")
TIMEOUT = 60


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    failures: int = 0
    server_errors: int = 0
    failure_samples: list[str] = field(default_factory=list)
    completed: dict[int, int] = field(default_factory=dict)
    sections: list[tuple[int, str]] = field(default_factory=list)

    def record(self, name: str, seconds: float, ok: bool, status: int | None, note: str) -> None:
        with self.lock:
            self.requests += 1
            self.latencies[name].append(seconds * 1000)
            if status is not None and status >= 500:
                self.server_errors += 1
            if not ok:
                self.failures += 1
                if len(self.failure_samples) < 10:
                    self.failure_samples.append(f"{name}: {note}")

    def summary(self) -> dict[str, Any]:
        lines: dict[str, Any] = {}
        for name in sorted(self.latencies):
            values = sorted(self.latencies[name])
            lines[f"{name}_requests"] = len(values)
            lines[f"{name}_p50_ms"] = round(statistics.median(values), 1)
            lines[f"{name}_p95_ms"] = round(values[max(0, int(len(values) * 0.95) - 1)], 1)
        return lines


class Failed(Exception):
    pass


@dataclass
class Window:
    """The measured period: it starts once every virtual user has signed in."""

    start: float = 0.0
    deadline: float = 0.0


class VirtualUser(threading.Thread):
    def __init__(
        self,
        *,
        base: str,
        username: str,
        password: str,
        stats: Stats,
        window: Window,
        ready: threading.Barrier,
        think: float,
        rng: random.Random,
    ) -> None:
        super().__init__(daemon=True, name=username)
        self.base, self.username, self.password = base, username, password
        self.stats, self.window, self.ready, self.think, self.rng = stats, window, ready, think, rng
        self.session = requests.Session()

    # -- HTTP with timing ------------------------------------------------------------------

    def call(
        self, name: str, method: str, path: str, *, expect: tuple[int, ...] = (200,), **kwargs: Any
    ) -> requests.Response:
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base + path, timeout=TIMEOUT, allow_redirects=False, **kwargs
            )
        except requests.RequestException as error:
            self.stats.record(name, time.perf_counter() - started, False, None, repr(error))
            raise Failed(name) from error
        if method == "GET" and response.headers.get("Content-Type") == "application/pdf":
            _ = response.content  # the whole body counts
        elapsed = time.perf_counter() - started
        ok = response.status_code in expect
        self.stats.record(name, elapsed, ok, response.status_code, f"HTTP {response.status_code}")
        if not ok:
            raise Failed(f"{name}: HTTP {response.status_code}")
        return response

    def csrf(self) -> str:
        return self.session.cookies.get("csrftoken", "")

    def post(
        self, name: str, path: str, data: list[tuple[str, str]], **kw: Any
    ) -> requests.Response:
        data = [(k, v) for k, v in data if k != "csrfmiddlewaretoken"]
        data.append(("csrfmiddlewaretoken", self.csrf()))
        return self.call(name, "POST", path, data=data, **kw)

    def pause(self) -> None:
        if self.think:
            time.sleep(self.rng.uniform(0, 2 * self.think))

    def sign_in(self) -> None:
        self.call("login_form", "GET", "/accounts/login/")
        self.post(
            "login",
            "/accounts/login/",
            [("username", self.username), ("password", self.password)],
            expect=(302,),
        )

    def run(self) -> None:
        try:
            self.sign_in()
        except Failed:
            return
        finally:
            self.ready.wait()  # everyone signed in: the measured window starts
        while time.monotonic() < self.window.deadline:
            try:
                self.step()
            except Failed:
                time.sleep(0.2)
            except Exception as error:  # a bug in the client must not look like a pass
                self.stats.record("client_error", 0, False, None, repr(error))
                time.sleep(0.2)


class Assessor(VirtualUser):
    def __init__(self, *, employees: list[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.employees = employees

    #: Answers for the items that start unanswered (an assessment completes only when
    #: every item of a section is answered).
    ANSWERS = {
        "workstation-seat_height": "knees_90",
        "workstation-seat_depth": "ok",
        "workstation-armrests": "supported",
        "workstation-back_support": "adequate",
        "workstation-chair_longest_continuous_minutes": "60",
        "workstation-monitor": "eye_level",
        "workstation-monitor_hours_per_day": "6",
        "workstation-monitor_longest_continuous_minutes": "60",
        "workstation-phone": "neutral",
        "workstation-phone_hours_per_day": "0.5",
        "workstation-phone_longest_continuous_minutes": "10",
        "workstation-mouse": "in_line",
        "workstation-mouse_hours_per_day": "5",
        "workstation-mouse_longest_continuous_minutes": "45",
        "workstation-keyboard": "neutral",
        "workstation-keyboard_hours_per_day": "5",
        "workstation-keyboard_longest_continuous_minutes": "45",
        "sitting-hours_worked_per_day": "7.5",
        "sitting-pct_sitting": "70",
        "sitting-pct_standing": "20",
        "sitting-pct_walking": "10",
        "sitting-pct_heavy": "0",
        "sitting-moderate_minutes_per_week": "120",
        "sitting-vigorous_minutes_per_week": "0",
        "sitting-strengthening_days_per_week": "1",
        "worker-episodes_last_12_months": "1",
    }

    def typed(self, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """What the assessor types into the fields that start empty or vary per person,
        and the red-flag questions, each asked and answered "no"."""
        typed = {
            **self.ANSWERS,
            "worker-age_years": str(self.rng.randint(22, 64)),
            "worker-height_cm": str(self.rng.choice([158, 166, 175, 184])),
            "worker-weight_kg": str(self.rng.choice([58, 72, 86, 104])),
            "sitting-longest_sitting_bout_minutes": str(self.rng.choice([30, 60, 90, 150])),
            "workstation-chair_hours_per_day": str(self.rng.choice([4, 6, 7.5])),
        }
        out = []
        for k, v in fields:
            if k.startswith("worker-rf_"):
                v = "no"
            elif k in typed and (v == "" or "bout" in k or "hours" in k):
                v = typed[k]
            out.append((k, v))
        return out

    def step(self) -> None:
        employee = self.rng.choice(self.employees)
        start = self.post("assessment_start", f"/employees/{employee}/assess/", [], expect=(302,))
        path = start.headers["Location"]
        match = re.search(r"/assessments/(\d+)/", path)
        if not match:
            raise Failed(f"assessment_start redirected to {path}")
        pk = int(match.group(1))
        editor = post_forms(self.call("assessment_editor", "GET", path).text)
        for name in SECTIONS:
            self.pause()
            fields = self.typed(pick(editor, action_contains=f"/sections/{name}/"))
            self.post("section_save", f"/assessments/{pk}/sections/{name}/", fields, expect=(302,))
            with self.stats.lock:
                self.stats.sections.append((pk, name))
        self.pause()
        review = self.call("complete_form", "GET", f"/assessments/{pk}/complete/").text
        fields = form_fields(review)
        # Lifting is not part of this visit: the assessor says so, as the page asks.
        if any(k == "statement_lifting_reason" for k, _ in fields):
            fields = [(k, v) for k, v in fields if not k.startswith("statement_lifting")]
            fields += [
                ("statement_lifting", "not_applicable"),
                ("statement_lifting_reason", "No lifting in this role"),
            ]
        kept = sum(1 for k, _ in fields if k.startswith("actions-") and k.endswith("-selected"))
        self.post("complete", f"/assessments/{pk}/complete/", fields, expect=(302,))
        with self.stats.lock:
            self.stats.completed[pk] = kept
        self.pause()


class Manager(VirtualUser):
    def step(self) -> None:
        self.call("dashboard", "GET", "/dashboard/")
        self.pause()
        listing = self.call("assessment_list", "GET", "/assessments/").text
        ids = sorted({int(pk) for pk in re.findall(r'href="/assessments/(\d+)/"', listing)})
        self.pause()
        if ids:
            pk = self.rng.choice(ids)
            self.call("report_pdf", "GET", f"/assessments/{pk}/report/manager.pdf")
        self.pause()


def drive(
    *, base: str, plan: dict[str, Any], duration: float, think: float, seed: int = 7
) -> tuple[Stats, Window]:
    """Sign every virtual user in, then run them all for `duration` seconds."""
    stats = Stats()
    window = Window()
    names = [*plan["assessors"], *plan["managers"]]

    def open_window() -> None:
        window.start = time.monotonic()
        window.deadline = window.start + duration

    ready = threading.Barrier(len(names), action=open_window)
    rng = random.Random(seed)  # noqa: S311 - load pattern, not security
    common: dict[str, Any] = {
        "base": base,
        "password": plan["password"],
        "stats": stats,
        "window": window,
        "ready": ready,
        "think": think,
    }
    users: list[VirtualUser] = [
        Assessor(
            username=name,
            employees=employees,
            rng=random.Random(rng.random()),  # noqa: S311
            **common,
        )
        for name, employees in plan["assessors"].items()
    ]
    users += [
        Manager(username=name, rng=random.Random(rng.random()), **common)  # noqa: S311
        for name in plan["managers"]
    ]
    for user in users:
        user.start()
    for user in users:
        user.join(timeout=duration + 2 * TIMEOUT + 60)
    return stats, window


def baseline(*, base: str, plan: dict[str, Any], repeat: int = 10) -> dict[str, Any]:
    """Dashboard time with no other load: one manager, one request at a time."""
    stats = Stats()
    manager = Manager(
        base=base,
        username=plan["managers"][0],
        password=plan["password"],
        stats=stats,
        window=Window(),
        ready=threading.Barrier(1),
        think=0,
        rng=random.Random(1),  # noqa: S311
    )
    manager.sign_in()
    for _ in range(repeat):
        manager.call("dashboard", "GET", "/dashboard/")
    values = sorted(stats.latencies["dashboard"])
    return {
        "dashboard_unloaded_p50_ms": round(statistics.median(values), 1),
        "dashboard_unloaded_max_ms": round(values[-1], 1),
    }


SERVER_ENDPOINTS = [
    ("GET", re.compile(r"^/dashboard/$"), "dashboard"),
    ("GET", re.compile(r"^/assessments/$"), "assessment_list"),
    ("GET", re.compile(r"^/assessments/\d+/report/manager\.pdf$"), "report_pdf"),
    ("POST", re.compile(r"^/assessments/\d+/sections/\w+/$"), "section_save"),
    ("GET", re.compile(r"^/assessments/\d+/complete/$"), "complete_form"),
    ("POST", re.compile(r"^/assessments/\d+/complete/$"), "complete"),
    ("POST", re.compile(r"^/employees/\d+/assess/$"), "assessment_start"),
    ("GET", re.compile(r"^/assessments/\d+/$"), "assessment_editor"),
]


def server_times(log_lines: list[str], *, since: float, until: float) -> dict[str, Any]:
    """Per-endpoint p50/p95 as the server measured them (its JSON request log), inside the
    measured window: the time spent in the app, without the client's own overhead."""
    import datetime as dt
    import json

    times: dict[str, list[float]] = defaultdict(list)
    for line in log_lines:
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger") != "ergo_site.requests":
            continue
        at = dt.datetime.fromisoformat(entry["time"]).timestamp()
        if not since <= at <= until:
            continue
        for method, pattern, name in SERVER_ENDPOINTS:
            if entry["method"] == method and pattern.match(entry["path"]):
                times[name].append(float(entry["duration_ms"]))
                break
    lines: dict[str, Any] = {}
    for name in sorted(times):
        values = sorted(times[name])
        lines[f"server_{name}_p50_ms"] = round(statistics.median(values), 1)
        lines[f"server_{name}_p95_ms"] = round(values[max(0, int(len(values) * 0.95) - 1)], 1)
    return lines
