"""Every table of the main pages, for every role, at 1366 px (a common office screen): it fits,
or it scrolls in its own box with its first column held in view; headings never overflow their
cells (printed on top of each other) and no cell shows one word per line.

Uses the browser fixtures of conftest.py (Debian's /usr/bin/chromium). `live_server` runs on a
transactional database emptied after each test, so the map, the standards and the catalogue are
loaded again when missing; the data are those the other tests build: households of Trà Cú
classified in a provincial round, and a provincial plan split among communes with forms sent.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import BROWSER_TIMEOUT_MS, browser_log_in

PASSWORD = "correct-horse-battery"
WIDTH, HEIGHT = 1366, 768

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page's tables must satisfy, as problems found (an empty list: none).
CHECK = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push(`the page is ${root.scrollWidth} px wide`);
  for (const table of document.querySelectorAll('main table')) {
    if (!table.getClientRects().length) continue;  // not shown (a closed <details>)
    const name = table.dataset.testid || table.className || 'table';
    let box = table.parentElement;
    while (box && box !== document.body && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    if (box && box !== document.body) {
      if (box.scrollWidth > box.clientWidth + 1) {
        const loose = [...table.rows].find(row => row.cells.length && getComputedStyle(row.cells[0]).position !== 'sticky');
        if (loose) problems.push(`${name}: scrolls (${box.scrollWidth} > ${box.clientWidth} px) without a sticky first column`);
      }
    } else if (table.getBoundingClientRect().right > table.parentElement.getBoundingClientRect().right + 1) {
      problems.push(`${name}: wider than its container, and no box scrolls it`);
    }
    for (const th of table.querySelectorAll('thead th')) {
      if (th.scrollWidth > th.clientWidth + 1) problems.push(`${name}: the heading "${th.innerText.trim().slice(0, 50)}" overflows its cell`);
    }
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = node.textContent.trim().split(/\\s+/).filter(Boolean);
      if (words.length < 3) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size >= words.length) problems.push(`${name}: "${node.textContent.trim().slice(0, 50)}" is one word per line`);
    }
  }
  return problems;
}"""


@pytest.fixture
def demo(live_server):  # type: ignore[no-untyped-def]
    """One person per role, Trà Cú's households classified in Vĩnh Long's round, and a plan of
    Vĩnh Long split among communes, with forms in several states."""
    from types import SimpleNamespace

    from ansinh.accounts.services import unit_for_role, user_create
    from ansinh.geo.loader import load_official_map
    from ansinh.geo.models import Edition, Unit
    from ansinh.poverty import services as poverty
    from ansinh.poverty.models import IncomeScoringTable, PovertyStandard, StandardIndicator
    from ansinh.poverty.standards_data import load_standards
    from ansinh.poverty.tests.test_round_views import YEAR, make_household
    from ansinh.plans import services
    from ansinh.plans.catalogue_data import load_catalogue
    from ansinh.plans.models import Indicator
    from ansinh.plans.tests.test_reporting_views import communes, make_plan

    if not Unit.objects.exists():
        load_official_map()
    if not PovertyStandard.objects.exists():
        load_standards(PovertyStandard, StandardIndicator, IncomeScoringTable)
    if not Indicator.objects.exists():
        load_catalogue(Indicator)

    def unit(code: str) -> Unit:
        return Unit.objects.get(edition=Edition.CURRENT, code=code)

    people = SimpleNamespace(**{name: user_create(username=name, password=PASSWORD, role=role,
                                                  unit=unit_for_role(role=role, code=code), field=field)
                                for name, role, code, field in [
                                    ("lan", "commune_officer", "29461", ""),
                                    ("minh", "provincial_officer", "86", "poverty"),
                                    ("bao", "provincial_leader", "86", ""),
                                    ("duc", "national_viewer", None, ""),
                                    ("tung", "admin", None, "")]})
    units = SimpleNamespace(vinh_long=unit("86"), tra_cu=unit("29461"))
    household = make_household(people.lan, units.tra_cu, "TC-1")
    make_household(people.lan, units.tra_cu, "TC-2", income=3_500_000, khmer=False)
    review = poverty.review_round_open(actor=people.minh, unit=units.vinh_long, year=YEAR)
    poverty.review_round_run(round=review, actor=people.minh)
    plan = make_plan(units)
    others = communes(units, 6)
    long_names = Indicator.objects.filter(code__in=["overseas_workers", "unemployment_amount"])
    services.targets_replace(actor=None, plan=plan, rows=[
        *(services.TargetRow(t.indicator, t.unit, t.period, t.breakdown, t.value) for t in plan.targets.all()),
        *(services.TargetRow(indicator, commune, str(plan.year), "", Decimal(10 + i))
          for indicator in long_names for i, commune in enumerate([units.tra_cu, *others])),
        *(services.TargetRow(indicator, units.vinh_long, str(plan.year), "", Decimal(500)) for indicator in long_names),
    ])
    form = services.submission_open(actor=people.lan, plan=plan, unit=units.tra_cu, period=f"{plan.year}-Q1")
    services.submission_save(actor=people.lan, submission=form, values={("jobs_created", ""): Decimal(25)})
    services.submission_submit(actor=people.lan, submission=form)
    return SimpleNamespace(people=people, household=household, review=review, plan=plan, form=form)


def pages_of(demo, role: str) -> list[str]:  # type: ignore[no-untyped-def]
    plan, review = demo.plan, demo.review
    reporting = [f"/plans/{plan.pk}/", f"/plans/{plan.pk}/submissions?period={plan.year}-Q1",
                 f"/plans/{plan.pk}/results?period={plan.year}-Q1", "/plans/dashboard",
                 f"/plans/submissions/{demo.form.pk}/"]
    poverty = [f"/households/rounds/{review.pk}/", f"/households/rounds/{review.pk}/figures/"]
    return {
        "lan": ["/", "/households/", f"/households/{demo.household.pk}/", *poverty, *reporting],
        "minh": ["/households/", f"/households/{demo.household.pk}/", *poverty, "/households/standards/",
                 "/plans/", "/plans/indicators/", *reporting],
        "bao": [*poverty, *reporting],
        "duc": ["/plans/dashboard", "/plans/", "/households/standards/"],
        "tung": ["/plans/indicators/", "/households/standards/", f"/plans/{plan.pk}/"],
    }[role]


def test_it_fits_every_table_at_1366_px_or_holds_its_first_column(demo, browser, live_server):  # type: ignore[no-untyped-def]
    problems: list[str] = []
    for role in ("lan", "minh", "bao", "duc", "tung"):
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                      viewport={"width": WIDTH, "height": HEIGHT})
        context.set_default_timeout(BROWSER_TIMEOUT_MS)
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
        page = context.new_page()
        browser_log_in(page, role, PASSWORD)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for path in pages_of(demo, role):
            response = page.goto(path)
            assert response is not None and response.status == 200, (role, path, response and response.status)
            problems += [f"{role} {path}: {problem}" for problem in page.evaluate(CHECK)]
        context.close()
    assert problems == [], "\n".join(problems)
