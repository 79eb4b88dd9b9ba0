"""A person's labour history, as her page in the register shows it: every record of the five person
registries (placements, counselling, enrolments, workers abroad, unemployment dossiers) that the
user may read (`labour.access`), newest first.

`people_labour_history(user, people)` reads them for several people at once (a household's
members: one query per registry, whatever their number); `person_labour_history(user, person)`
for one. A registry the user reads nothing of is not queried.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from ansinh.households.models import Member

from . import access
from .placements import employer_text

# The main destinations of Vietnamese workers, for when the countries module is not installed.
_COUNTRIES = {"TW": "Đài Loan", "JP": "Nhật Bản", "KR": "Hàn Quốc", "CN": "Trung Quốc", "DE": "Đức",
              "MY": "Malaysia", "SG": "Singapore", "SA": "Ả Rập Xê Út", "RO": "Rumani", "HU": "Hungary",
              "AU": "Úc", "RU": "Nga", "MO": "Ma Cao", "QA": "Ca-ta", "LA": "Lào", "KH": "Campuchia"}


@dataclass(frozen=True)
class HistoryItem:
    date: dt.date | None
    kind: str  # what the record is, in the interface language
    text: str
    url: str  # "" when the record has no page the user may open
    person_id: int = 0


def country_name(code: str) -> str:
    try:
        from .countries import country_name as name  # the workers-abroad registry's list
    except ImportError:
        return _COUNTRIES.get(code.upper(), _("abroad"))
    found = name(code)
    return found if found and found != code else _COUNTRIES.get(code.upper(), _("abroad"))


def _url(name: str, *args: Any, query: dict[str, Any] | None = None) -> str:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def people_labour_history(user: Any, people: Iterable[Member]) -> dict[int, list[HistoryItem]]:
    """Person id → her history, newest first (only the records `user` may read)."""
    ids = sorted({p.pk for p in people})
    out: dict[int, list[HistoryItem]] = defaultdict(list)
    if not ids or not access.reads_labour(user):
        return {}
    for p in access.placements_for_user(user).filter(person_id__in=ids).select_related("employer"):
        employer = employer_text(p)
        text = p.get_channel_display() + (f" — {employer}" if employer else "") + \
            (f" ({_('new job')})" if p.new_job else "")
        out[p.person_id].append(HistoryItem(p.placed_on, _("Job placement"), text,
                                            _url("placement-detail", p.pk), p.person_id))
    for c in access.counselling_for_user(user).filter(person_id__in=ids).select_related("session"):
        text = c.get_topic_display() + (f" — {c.session.title}" if c.session else "") + \
            (f" ({_('receiving unemployment benefit')})" if c.on_unemployment_benefit else "")
        out[c.person_id].append(HistoryItem(c.counselled_on, _("Job counselling"), text,
                                            _url("counselling-list", query={"person": c.person_id}), c.person_id))
    for e in access.enrolments_for_user(user).filter(person_id__in=ids).select_related("course__provider",
                                                                                        "course__level"):
        course = e.course
        text = f"{course.occupation} — {course.level.name}, {course.provider.name} ({e.get_status_display()})"
        if e.certificate_number:
            text += f", {_('certificate')} {e.certificate_number}"
        out[e.person_id].append(HistoryItem(e.enrolled_on, _("Vocational training"), text,
                                            _url("course-detail", course.pk), e.person_id))
    for d in access.departures_for_user(user).filter(person_id__in=ids):
        text = country_name(d.destination) + (f" — {d.job}" if d.job else "") + \
            (f", {d.enterprise}" if d.enterprise else "") + f" ({d.get_status_display()})"
        out[d.person_id].append(HistoryItem(d.departed_on, _("Work abroad"), text,
                                            _url("departure-detail", d.pk), d.person_id))
    for u in access.unemployment_for_user(user).filter(person_id__in=ids):
        text = f"{u.employer_name} ({u.get_state_display()})"
        if u.monthly_amount and u.benefit_months:
            text += " — " + _("%(months)s months") % {"months": u.benefit_months}
        out[u.person_id].append(HistoryItem(u.received_on, _("Unemployment insurance"), text,
                                            _url("unemployment-detail", u.pk), u.person_id))
    for items in out.values():
        items.sort(key=lambda item: (item.date or dt.date.min), reverse=True)
    return dict(out)


def person_labour_history(user: Any, person: Member) -> list[HistoryItem]:
    """Her records in the five person registries the user may read, newest first."""
    return people_labour_history(user, [person]).get(person.pk, [])


__all__ = ["HistoryItem", "people_labour_history", "person_labour_history"]
