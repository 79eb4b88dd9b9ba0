"""`ansinh bench_load`: the load test of `ansinh bench` (Locust against gunicorn, over loopback).

`ansinh bench` calls `measure` after its other figures; `ansinh bench_load` alone runs the same
(on a new SQLite file, or on the PostgreSQL server of ANSINH_BENCH_DATABASE_URL). Per size, on a
fresh database: 1. the demo province (`demo setup`, `demo generate`, `demo rounds`, `demo plans`
of province 86, seed 1, year 2025); 2. `bench_load run`, which starts gunicorn with production
settings (ANSINH_DEBUG off, a throwaway secret key, demo mode for the demo users, cookies
allowed over http on loopback, static files collected once and served by whitenoise) on
127.0.0.1 and a free port, drives it with Locust (`ansinh.web.bench_locust`, in a process of its
own) and stops it whatever happens; then 3. the goals of issue 15, met or not.

Users: the demo commune officer (`xa`, Xã Trà Cú) and the demo provincial officer of the poverty
field (`giamngheo`), each logged in through the login page and reading, in turn, the main pages
(`PAGES`). Stages (`STAGES`): one user of each role alone, one request after another (what one
officer sees: the server has nothing else to do); 10 and 50 users, half of each role, with a
think time of 4–6 s between two requests (how officers work); then closed-loop throughput (no
think time) with 4 and 10 users. The ramp-up, the logins and a warm-up (`WARM_UP`) are not measured.

Environment: ANSINH_BENCH_LOAD=0 skips it; ANSINH_BENCH_LOAD_HOUSEHOLDS (default 300000) is the
province's size; ANSINH_BENCH_LOAD_SMALL (default 20000; 0: none) the size at which the commune
officer alone is measured again, to show her pages do not depend on the province's size;
ANSINH_BENCH_LOAD_SECONDS measures every stage that many seconds instead of its own (10: a quick
run); ANSINH_BENCH_LOAD_WORKERS the gunicorn workers (default 4).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

Say = Callable[[str], None]

COMMUNE, PROVINCE = "commune", "province"
ROLES = {COMMUNE: "xa", PROVINCE: "giamngheo"}  # the demo users (`ansinh demo setup`)
YEAR = 2025
# (name, path); {household}: one of the user's households at random; {round}, {plan}, {name}: see `targets`.
PAGES = [
    ("home", "/"),
    ("household list", "/households/"),
    ("list by status", "/households/?status=poor"),
    ("name search", "/households/?q={name}"),
    ("household page", "/households/{household}/"),
    ("round figures", "/households/rounds/{round}/figures/"),
    ("plan results", "/plans/{plan}/results"),
    ("dashboard", "/plans/dashboard"),
    ("API list", "/api/v1/households/?page_size=50"),
]
THINK = [4, 6]  # seconds between two requests of one officer
MAX_REQUESTS = 20_000  # per stage, whatever its time


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    users: dict[str, int]
    think: list[int] | None
    seconds: int


STAGES = [
    Stage("one-commune", "1 user: the commune officer alone, one request after another", {COMMUNE: 1}, None, 45),
    Stage("one-province", "1 user: the provincial officer alone, one request after another", {PROVINCE: 1}, None, 45),
    Stage("think-10", "10 users (5 + 5), think time 4–6 s", {COMMUNE: 5, PROVINCE: 5}, THINK, 60),
    Stage("think-50", "50 users (25 + 25), think time 4–6 s", {COMMUNE: 25, PROVINCE: 25}, THINK, 90),
    Stage("closed-4", "closed loop, 4 users (2 + 2), no think time", {COMMUNE: 2, PROVINCE: 2}, None, 45),
    Stage("closed-10", "closed loop, 10 users (5 + 5), no think time", {COMMUNE: 5, PROVINCE: 5}, None, 45),
]
# Not measured: each gunicorn worker compiles the templates and fills its caches on its first
# requests, which would otherwise be the slowest of the first stage (it lasts until every page has
# answered, at least 10 s).
WARM_UP = Stage("warm-up", "warm-up (not measured), 4 users (2 + 2), no think time",
                {COMMUNE: 2, PROVINCE: 2}, None, 10)
SMOKE = Stage("smoke", "2 users (1 + 1), no think time", {COMMUNE: 1, PROVINCE: 1}, None, 5)  # the test's
STAGE_SETS = {"full": [stage.key for stage in STAGES], "commune": ["one-commune"], "smoke": ["smoke"]}
LABELS = {COMMUNE: "commune", PROVINCE: "province"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").replace("_", "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"{name}: cần một số nguyên, không phải {value!r}.") from None


def enabled() -> bool:
    return os.environ.get("ANSINH_BENCH_LOAD", "1").strip().lower() not in {"0", "false", "no", "off"}


def production_env(env: dict[str, str], *, database_url: str, static_root: Path, var_dir: Path) -> dict[str, str]:
    """The environment of the server under load: production settings (ANSINH_DEBUG off), with a
    throwaway secret key, demo mode (the demo users log in only then), http cookies (loopback has
    no TLS) and no HSTS."""
    from ansinh.geo.management.commands.bench import BENCH_SECRET

    dropped = {"ANSINH_DEBUG", "ANSINH_TESTING", "DJANGO_SETTINGS_MODULE"}
    return {**{k: v for k, v in env.items() if k not in dropped},
            "DJANGO_SETTINGS_MODULE": "ansinh.settings", "ANSINH_DEBUG": "0", "ANSINH_DEMO": "1",
            "ANSINH_SECRET_KEY": BENCH_SECRET, "ANSINH_ALLOWED_HOSTS": "127.0.0.1",
            "ANSINH_SECURE_COOKIES": "0", "ANSINH_HSTS_SECONDS": "0", "ANSINH_DATABASE_URL": database_url,
            "ANSINH_STATIC_ROOT": str(static_root), "ANSINH_VAR_DIR": str(var_dir)}


def collect_static(env: dict[str, str], static_root: Path) -> None:
    """The static files as production serves them (hashed and compressed, for whitenoise)."""
    env = production_env(env, database_url=env.get("ANSINH_DATABASE_URL", ""), static_root=static_root,
                         var_dir=static_root.parent / "var")
    run([sys.executable, "-m", "ansinh.cli", "collectstatic", "--no-input", "-v0"], env)


def run(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise CommandError(f"`{' '.join(args[2:])}` failed:\n{proc.stdout}")
    return proc.stdout


# --- The orchestration: per size, a fresh database, the demo province, then `bench_load run` ------


def measure(say: Say, env: dict[str, str], url: str, tmp: Path) -> None:
    """The load test at ANSINH_BENCH_LOAD_HOUSEHOLDS (every stage) and ANSINH_BENCH_LOAD_SMALL (the
    commune officer alone), each on a fresh database on the server of `url`; then the goals."""
    from ansinh.geo.management.commands.bench import fresh_database

    if not enabled():
        say("load test: skipped (ANSINH_BENCH_LOAD=0)")
        return
    missing = [name for name in ("locust", "gunicorn") if importlib.util.find_spec(name) is None]
    if missing:
        say(f"load test: skipped ({' and '.join(missing)} not installed: pip install -e '.[bench]', "
            "as `make bench` does)")
        return
    big = env_int("ANSINH_BENCH_LOAD_HOUSEHOLDS", 300_000)
    small = env_int("ANSINH_BENCH_LOAD_SMALL", 20_000)
    if big < 100 or (small and small < 100):
        raise CommandError("ANSINH_BENCH_LOAD_HOUSEHOLDS, ANSINH_BENCH_LOAD_SMALL: từ 100 hộ trở lên (SMALL=0: bỏ qua).")
    static_root = tmp / "load-static"
    started = time.perf_counter()
    collect_static(env, static_root)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    say(f"load test (Locust against gunicorn, {env_int('ANSINH_BENCH_LOAD_WORKERS', 4)} workers, 127.0.0.1; "
        f"{os.cpu_count()} CPUs, load average {load}; static files collected in "
        f"{time.perf_counter() - started:.0f} s):")
    results: dict[int, dict[str, Any]] = {}
    for households, stages in ((big, "full"), (small, "commune")):
        if not households or households in results:
            continue
        with fresh_database(url, tmp, f"ansinh_bench_load_{households}") as db_url:
            env_n = {**env, "ANSINH_DATABASE_URL": db_url}
            started = time.perf_counter()
            setup(env_n, households)
            say(f"{households:,} households, province 86, fresh database (migrate, map, demo users, province, "
                f"rounds and plans: {time.perf_counter() - started:.0f} s); stages: {stages}")
            results[households] = run_streamed(
                ["bench_load", "run", "--stages", stages, "--static-root", str(static_root)], env_n, say)
    for line in goals(results, big, small if small != big else 0):
        say(line)


def setup(env: dict[str, str], households: int) -> None:
    """The demo province of `households` households on an empty database (as `make demo` makes it)."""
    from ansinh.geo.management.commands.bench import run_child

    env = {key: value for key, value in env.items() if key != "ANSINH_DEBUG"}
    demo = {**env, "ANSINH_DEMO": "1"}
    run_child(["migrate", "--no-input", "-v0", "--skip-checks"], env)
    run_child(["geo", "--skip-checks", "load"], env)
    run_child(["demo", "setup"], demo)
    run_child(["demo", "generate", "--province", "86", "--households", str(households), "--seed", "1",
               "--year", str(YEAR)], demo)
    run_child(["demo", "rounds", "--province", "86", "--year", str(YEAR)], demo)
    run_child(["demo", "plans", "--province", "86"], demo)


def run_streamed(args: list[str], env: dict[str, str], say: Say) -> dict[str, Any]:
    """Runs `ansinh ARGS`, shows its lines as they come (indented), returns its `bench-data:`."""
    proc = subprocess.Popen([sys.executable, "-m", "ansinh.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    data: dict[str, Any] = {}
    lines = []
    for line in proc.stdout:
        line = line.rstrip("\n")
        if line.startswith("bench-data: "):
            data = json.loads(line.removeprefix("bench-data: "))
        else:
            lines.append(line)
            say(f"  {line}")
    if proc.wait() != 0 or not data:
        raise CommandError(f"`ansinh {' '.join(args)}` failed (exit {proc.returncode}); its output is above.")
    return data


def goals(results: dict[int, dict[str, Any]], big: int, small: int) -> list[str]:
    """Issue 15's goals, met or not, from the stages' figures."""
    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = []
    stages = {stage["key"]: stage for stage in results[big]["stages"]}
    if "think-50" in stages:
        rows = stages["think-50"]["rows"]
        worst = max(rows, key=lambda row: row["p95"])
        lines.append(f"goal: every main page p95 ≤ 300 ms at 50 users with think time, {big:,} households: "
                     f"{verdict(worst['p95'] <= 300)} (slowest {worst['page']}: p95 {worst['p95']:,} ms)")
    alone = [row for key in ("one-commune", "one-province") if key in stages for row in stages[key]["rows"]]
    if alone:
        worst = max(alone, key=lambda row: row["p95"])
        lines.append(f"goal: every main page p95 ≤ 150 ms for one user: {verdict(worst['p95'] <= 150)} "
                     f"(slowest {worst['page']}: p95 {worst['p95']:,} ms)")
        status = [row for row in alone if row["page"].endswith("· list by status")]
        lines.append("goal: the list by status ≤ 150 ms for one user: "
                     f"{verdict(all(row['p95'] <= 150 for row in status))} ("
                     + "; ".join(f"{row['page']}: median {row['median']:,} ms, p95 {row['p95']:,} ms"
                                 for row in status) + ")")
    if small and small in results:
        mine = {row["page"]: row for row in stages["one-commune"]["rows"]}
        theirs = {row["page"]: row for stage in results[small]["stages"] if stage["key"] == "one-commune"
                  for row in stage["rows"]}
        ratios = {page: mine[page]["median"] / max(theirs[page]["median"], 1) for page in mine if page in theirs}
        worst_page = max(ratios, key=lambda page: ratios[page]) if ratios else ""
        lines.append(
            f"goal: a commune officer's pages, {small:,} vs {big:,} households, within ×1.5 (median of each page): "
            f"{verdict(bool(ratios) and max(ratios.values()) <= 1.5)} (largest ×{ratios.get(worst_page, 0):.2f}, "
            f"{worst_page}: {theirs[worst_page]['median'] if worst_page else 0:,} → "
            f"{mine[worst_page]['median'] if worst_page else 0:,} ms)")
        for page, ratio in ratios.items():
            lines.append(f"  {page:<30} {theirs[page]['median']:>6,} → {mine[page]['median']:>6,} ms  ×{ratio:.2f}")
    errors = sum(stage["total"]["errors"] + stage["login_errors"] for data in results.values()
                 for stage in data["stages"])
    requests = sum(stage["total"]["requests"] for data in results.values() for stage in data["stages"])
    lines.append(f"goal: no errors or timeouts: {verdict(errors == 0)} ({errors:,} of {requests:,} requests)")
    return lines


# --- `bench_load run`: one database, already set up -----------------------------------------------


def targets() -> dict[str, dict[str, Any]]:
    """Per role: the demo user, her pages with their ids filled in, and 1,000 of her households."""
    from ansinh.accounts.models import User
    from ansinh.accounts.passwords import DEMO_PASSWORD
    from ansinh.geo.models import Edition, Level, Unit
    from ansinh.households.access import households_for_user
    from ansinh.plans.demo import DEMO_NUMBER
    from ansinh.plans.models import Plan
    from ansinh.poverty.models import ReviewRound

    province = Unit.objects.filter(edition=Edition.CURRENT, level=Level.PROVINCE, code="86").first()
    round_ = ReviewRound.objects.filter(unit=province, year=YEAR).order_by("-pk").first()
    plans = Plan.objects.filter(unit=province, year=YEAR)
    plan = plans.filter(number=DEMO_NUMBER).first() or plans.order_by("-pk").first()
    if province is None or round_ is None or plan is None:
        raise CommandError("bench_load run: cần tỉnh mẫu 86 với đợt rà soát và kế hoạch năm 2025 "
                           "(`ansinh demo generate`, `demo rounds`, `demo plans`).")
    made = {}
    for role, username in ROLES.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"bench_load run: chưa có người dùng mẫu {username} (`ansinh demo setup`).")
        households = households_for_user(user)
        ids = list(households.order_by("?").values_list("pk", flat=True)[:1000])
        common = (households.exclude(head_name="").values("head_name").annotate(n=Count("pk"))
                  .order_by("-n", "head_name").first())
        if not ids or common is None:
            raise CommandError(f"bench_load run: {username} không thấy hộ nào (`ansinh demo generate`).")
        fill = {"{round}": str(round_.pk), "{plan}": str(plan.pk), "{name}": quote(common["head_name"])}
        pages = []
        for name, path in PAGES:
            for key, value in fill.items():
                path = path.replace(key, value)
            pages.append([name, path])
        made[role] = {"label": LABELS[role], "username": username, "password": DEMO_PASSWORD, "pages": pages,
                      "households": ids, "name": common["head_name"], "in_scope": households.count()}
    return made


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, log: Path) -> Iterator[str]:
    """gunicorn on 127.0.0.1 and a free port, answering when this yields its address; stopped (its
    process group: the master and its workers) on the way out, whatever happened."""
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ansinh.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "30", "--graceful-timeout", "5", "--error-logfile", "-"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        address = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise CommandError(f"gunicorn stopped (exit {proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{address}/accounts/login/", timeout=10) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise CommandError(f"gunicorn did not answer within 90 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield address
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """gunicorn's master and workers (the process group it leads): a graceful stop, then a kill."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:  # already gone
        proc.wait()


def table(stage: dict[str, Any]) -> list[str]:
    """One stage's figures per page, aligned."""
    lines = [f"{'page':<32} {'requests':>8} {'errors':>6} {'median':>7} {'p95':>7} {'p99':>7} {'req/s':>6}"]
    for row in stage["rows"]:
        lines.append(f"{row['page']:<32} {row['requests']:>8,} {row['errors']:>6,} {row['median']:>4,} ms "
                     f"{row['p95']:>4,} ms {row['p99']:>4,} ms {row['rps']:>6.2f}")
    total = stage["total"]
    lines.append(f"{'all pages':<32} {total['requests']:>8,} {total['errors']:>6,} {'':>7} {'':>7} {'':>7} "
                 f"{total['rps']:>6.2f}")
    return lines


class Command(BaseCommand):
    help = "Load test (Locust against gunicorn on 127.0.0.1): the main pages as a commune and a provincial officer."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        run_ = sub.add_parser("run", help="One run against the database of ANSINH_DATABASE_URL, already set up "
                                          "(the demo province 86 with its 2025 round and plan, the demo users).")
        run_.add_argument("--stages", choices=sorted(STAGE_SETS), default="full")
        run_.add_argument("--seconds", type=int, default=env_int("ANSINH_BENCH_LOAD_SECONDS", 0),
                          help="Measure every stage this many seconds (default: each stage's own, 45–90 s).")
        run_.add_argument("--workers", type=int, default=env_int("ANSINH_BENCH_LOAD_WORKERS", 4))
        run_.add_argument("--static-root", required=True, help="Static files collected for production.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") != "run":
            self.orchestrate()
            return
        if options["workers"] < 1 or options["seconds"] < 0:
            raise CommandError("--workers từ 1 trở lên, --seconds không âm.")
        self.run(stages=options["stages"], seconds=options["seconds"], workers=options["workers"],
                 static_root=Path(options["static_root"]))

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def orchestrate(self) -> None:
        with tempfile.TemporaryDirectory(prefix="ansinh-bench-load-") as tmp:
            url = os.environ.get("ANSINH_BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            self.say(f"database: {url.split(':', 1)[0]}")
            measure(self.say, dict(os.environ), url, Path(tmp))

    def run(self, *, stages: str, seconds: int, workers: int, static_root: Path) -> None:
        from django.conf import settings

        roles = targets()
        for role in roles.values():
            self.say(f"{role['label']} officer {role['username']}: {role['in_scope']:,} households in scope; "
                     f"name searched: {role['name']}")
        chosen = [stage for stage in [*STAGES, SMOKE] if stage.key in STAGE_SETS[stages]]
        if stages != "smoke":
            chosen.insert(0, WARM_UP)
        with tempfile.TemporaryDirectory(prefix="ansinh-load-") as tmp_name:
            tmp = Path(tmp_name)
            url = os.environ.get("ANSINH_DATABASE_URL") or settings.DATABASE_URL
            env = production_env(dict(os.environ), database_url=url, static_root=static_root, var_dir=tmp / "var")
            with gunicorn(env, workers=workers, log=tmp / "gunicorn.log") as address:
                config: dict[str, Any] = {"host": address, "roles": roles, "spawn_rate": 5, "stages": [
                    {"key": stage.key, "name": stage.name, "users": stage.users, "think": stage.think,
                     "seconds": seconds or stage.seconds, "max_requests": MAX_REQUESTS,
                     "every_page": stage in (SMOKE, WARM_UP), "last": stage is chosen[-1]} for stage in chosen]}
                (tmp / "config.json").write_text(json.dumps(config))
                self.say(f"gunicorn: {workers} workers at {address}; Locust: {len(chosen)} stages")
                locust_env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
                # Locust's own lines (a stage starts, its requests and errors) show as they come.
                proc = subprocess.Popen(
                    [sys.executable, "-m", "ansinh.web.bench_locust", str(tmp / "config.json"), str(tmp / "result.json")],
                    env=locust_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                assert proc.stdout is not None
                said = []
                for line in proc.stdout:
                    said.append(line.rstrip())
                    self.say(f"  locust: {said[-1]}")
                if proc.wait() != 0 or not (tmp / "result.json").exists():
                    raise CommandError(f"Locust failed (exit {proc.returncode}):\n" + "\n".join(said[-60:]))
                server_log = (tmp / "gunicorn.log").read_text()
            result = json.loads((tmp / "result.json").read_text())
        for stage, spec in zip(result["stages"], config["stages"], strict=True):
            stage["key"] = spec["key"]
        for stage in result["stages"]:
            if stage["key"] == WARM_UP.key:  # no table; its errors count in the goals
                self.say(f"{stage['name']}: {stage['total']['requests']:,} requests, "
                         f"{stage['total']['errors'] + stage['login_errors']:,} errors")
                continue
            load = " / ".join(f"{x:.1f}" for x in stage["load"])
            self.say(f"{stage['name']}: {stage['seconds']:.0f} s measured (load average at its end {load})")
            self.say("\n".join(f"  {line}" for line in table(stage)))
            for problem in stage["login_problems"] + stage["problems"]:
                self.say(f"  error: {problem}")
        if any(stage["total"]["errors"] or stage["login_errors"] for stage in result["stages"]):
            errors = [line for line in server_log.splitlines() if "Error" in line or "WORKER TIMEOUT" in line]
            if errors:
                self.say("  server log (last errors):\n" + "\n".join(f"    {line}" for line in errors[-10:]))
        self.say("bench-data: " + json.dumps({"stages": result["stages"]}))
