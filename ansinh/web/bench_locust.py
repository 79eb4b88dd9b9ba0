"""The Locust side of `ansinh bench_load`: officers who log in and read the main pages.

Run as `python -m ansinh.web.bench_locust CONFIG.json RESULT.json` by `bench_load run`, in a
process of its own: Locust monkey-patches the standard library with gevent when it is imported,
which must not happen inside a Django process. Nothing here imports Django.

CONFIG (written by `bench_load run`): the server's address, and per role the demo user, her
pages (a path, or a path with `{household}`, filled with one of her households at random) and the
stages: how many users of each role, the think time between two requests ([low, high] seconds,
or none: closed loop), how long to measure and at most how many requests.

Each stage: 1. start its users (each logs in through the login page, with the CSRF token, like
a browser); 2. wait until every user has logged in, then reset the statistics, so that neither
the ramp-up nor the logins count; 3. measure for the stage's time (or until its request cap);
4. stop the users. Every answer other than 2xx is an error: a redirect to the login page too.
RESULT: per stage, per page: requests, errors, median, p95, p99 (ms) and requests/s.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from typing import Any

import gevent
from locust import HttpUser, between, constant, task
from locust.env import Environment

REQUEST_TIMEOUT = 60  # seconds; gunicorn's own worker timeout (30 s) answers first
LOGIN_TIMEOUT = 120  # seconds for every user of a stage to have logged in
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Officer(HttpUser):
    """One officer of a role (set on the subclasses `bench_locust` makes per stage)."""

    abstract = True
    role: str = ""
    label: str = ""
    username: str = ""
    password: str = ""
    pages: list[tuple[str, str]] = []
    households: list[int] = []
    logged_in: list[int] = [0]  # shared by every user of a stage: how many have logged in

    def on_start(self) -> None:
        self.turn = random.randrange(len(self.pages))
        try:
            self.log_in()
        finally:
            self.logged_in[0] += 1

    def log_in(self) -> None:
        answer = self.client.get("/accounts/login/", name=f"{self.label} · login page", timeout=REQUEST_TIMEOUT)
        token = CSRF.search(answer.text)
        with self.client.post(
            "/accounts/login/", name=f"{self.label} · login", allow_redirects=False, catch_response=True,
            timeout=REQUEST_TIMEOUT,
            data={"username": self.username, "password": self.password, "next": "/",
                  "csrfmiddlewaretoken": token.group(1) if token else ""},
        ) as response:
            if response.status_code != 302 or "/accounts/login/" in response.headers.get("Location", ""):
                response.failure(f"login refused for {self.username} (HTTP {response.status_code})")

    @task
    def next_page(self) -> None:
        """The pages in turn (from a random first one), so each gets its share of requests."""
        name, path = self.pages[self.turn % len(self.pages)]
        self.turn += 1
        if "{household}" in path:
            path = path.replace("{household}", str(random.choice(self.households)))
        with self.client.get(path, name=f"{self.label} · {name}", allow_redirects=False, catch_response=True,
                             timeout=REQUEST_TIMEOUT) as response:
            if response.status_code == 0:  # no answer: the client's timeout, or the connection dropped
                response.failure(f"no answer within {REQUEST_TIMEOUT} s" if "timed out" in str(response.error)
                                 else f"no answer: {type(response.error).__name__}")
            elif not 200 <= response.status_code < 300:
                where = response.headers.get("Location", "")
                response.failure(f"HTTP {response.status_code}" + (f" to {where}" if where else ""))


def user_classes(config: dict[str, Any], stage: dict[str, Any]) -> list[tuple[type[Officer], int]]:
    think = stage["think"]
    wait = between(think[0], think[1]) if think else constant(0)
    made = []
    for role, count in stage["users"].items():
        if not count:
            continue
        spec = config["roles"][role]
        cls = type(f"Officer_{role}", (Officer,), {
            "abstract": False, "role": role, "label": spec["label"], "username": spec["username"],
            "password": spec["password"], "pages": [tuple(page) for page in spec["pages"]],
            "households": spec["households"], "wait_time": wait, "logged_in": [0], "fixed_count": count,
        })
        made.append((cls, count))
    return made


def run_stage(config: dict[str, Any], stage: dict[str, Any]) -> dict[str, Any]:
    classes = user_classes(config, stage)
    total = sum(count for _, count in classes)
    env = Environment(user_classes=[cls for cls, _ in classes], host=config["host"])
    runner = env.create_local_runner()
    say(f"{stage['name']}: starting {total} users")
    runner.start(total, spawn_rate=config.get("spawn_rate", 5))
    deadline = time.monotonic() + LOGIN_TIMEOUT
    while sum(cls.logged_in[0] for cls, _ in classes) < total and time.monotonic() < deadline:
        gevent.sleep(0.2)
    logged_in = sum(cls.logged_in[0] for cls, _ in classes)
    login_errors = sum(entry.num_failures for entry in env.stats.entries.values())
    login_problems = [f"{e.name}: {e.error} ({e.occurrences}×)" for e in env.stats.errors.values()]
    env.stats.reset_all()
    started = time.monotonic()
    while env.stats.total.num_requests < stage["max_requests"] and (
            time.monotonic() - started < stage["seconds"]
            # a smoke test's stage lasts until every page has answered once (at most 5 times its time)
            or (stage.get("every_page") and time.monotonic() - started < 5 * stage["seconds"]
                and not all(env.stats.get(f"{cls.label} · {page}", "GET").num_requests
                            for cls, _ in classes for page, _path in cls.pages))):
        gevent.sleep(0.25)
    elapsed = time.monotonic() - started
    runner.stop()
    runner.quit()
    if not stage.get("last"):
        gevent.sleep(3)  # what the server still had queued, answered to nobody, stays out of the next stage
    rows = []
    for cls, _ in classes:  # every page of the stage's roles, in the order of the config, measured or not
        for page, _path in cls.pages:
            entry = env.stats.get(f"{cls.label} · {page}", "GET")
            rows.append({
                "page": entry.name, "requests": entry.num_requests, "errors": entry.num_failures,
                "median": round(entry.median_response_time or 0), "p95": entry.get_response_time_percentile(0.95),
                "p99": entry.get_response_time_percentile(0.99), "max": round(entry.max_response_time or 0),
                "rps": entry.num_requests / elapsed if elapsed else 0.0,
            })
    problems = [f"{e.name}: {e.error} ({e.occurrences}×)" for e in env.stats.errors.values()]
    say(f"{stage['name']}: {env.stats.total.num_requests} requests in {elapsed:.0f} s, "
        f"{env.stats.total.num_failures} errors")
    return {"name": stage["name"], "users": stage["users"], "think": stage["think"], "seconds": elapsed,
            "load": os.getloadavg(),  # at the end of the stage: the machine may be shared
            "logged_in": logged_in, "login_errors": login_errors, "login_problems": login_problems[:5],
            "rows": rows, "problems": problems[:10],
            "total": {"requests": env.stats.total.num_requests, "errors": env.stats.total.num_failures,
                      "rps": env.stats.total.num_requests / elapsed if elapsed else 0.0}}


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        say("usage: python -m ansinh.web.bench_locust CONFIG.json RESULT.json")
        return 2
    with open(argv[0], encoding="utf-8") as file:
        config = json.load(file)
    stages = [run_stage(config, stage) for stage in config["stages"]]
    with open(argv[1], "w", encoding="utf-8") as file:
        json.dump({"stages": stages}, file)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
