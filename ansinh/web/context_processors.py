from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.access import USER_MANAGER_ROLES, get_scope
from ansinh.accounts.models import Field

# Navigation by field. A field's entries appear as its capabilities are built.
# URLs are lazy: this module is imported before the URL configuration is loaded.
FIELD_NAV: list[tuple[str, str | Promise, list[tuple[str | Promise, str | Promise]]]] = [
    (Field.POVERTY, _("Poverty reduction"), [
        (_("Households"), reverse_lazy("household-list")),
        (_("Review rounds"), reverse_lazy("round-list")),
        (_("Poverty figures"), reverse_lazy("figures-latest")),
        (_("Figures by province"), reverse_lazy("figures-country")),
        (_("Poverty standards"), reverse_lazy("standard-list")),
    ]),
    (Field.MERITORIOUS, _("Meritorious people"), []),
    (Field.SOCIAL_ASSISTANCE, _("Social assistance"), [
        (_("Care and rehabilitation facilities"), reverse_lazy("facilities-list")),
        (_("Facility residents"), reverse_lazy("facilities-resident-list")),
        (_("Facility occupancy by month"), reverse_lazy("facilities-occupancy")),
    ]),
    (Field.LABOUR, _("Labour and employment"), [
        (_("Job placements"), reverse_lazy("placement-list")),
        (_("Job counselling"), reverse_lazy("counselling-list")),
        (_("Job fairs and sessions"), reverse_lazy("session-list")),
        (_("Training providers"), reverse_lazy("training-provider-list")),
        (_("People in training"), reverse_lazy("enrolment-list")),
        (_("Trained-labour rates"), reverse_lazy("training-rates")),
        (_("Workers abroad"), reverse_lazy("departure-list")),
        (_("Foreign workers"), reverse_lazy("foreign-worker-list")),
        (_("Permits expiring"), reverse_lazy("permit-expiring")),
        (_("Employers"), reverse_lazy("employer-list")),
        (_("Unemployment insurance dossiers"), reverse_lazy("unemployment-list")),
        (_("Unemployment benefit calculator"), reverse_lazy("unemployment-calculator")),
        (_("Unemployment insurance: the law's figures"), reverse_lazy("unemployment-law")),
    ]),
    (Field.CHILDREN, _("Children"), [
        (_("Children in special circumstances"), reverse_lazy("child-list")),
        (_("Child-friendly communes"), reverse_lazy("child-assessment-list")),
    ]),
    (Field.PLANNING, _("General planning"), [
        (_("Dashboard"), reverse_lazy("dashboard")),
        (_("Plans and reports"), reverse_lazy("plan-list")),
        (_("Indicator catalogue"), reverse_lazy("indicator-list")),
        (_("Agencies"), reverse_lazy("agency-list")),
    ]),
]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "demo_mode": settings.DEMO,
        "field_nav": FIELD_NAV,
        "lockout_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
    if user is not None and user.is_authenticated:
        scope = get_scope(user)
        context["scope"] = scope
        context["can_read_audit"] = scope.can_read_audit
        context["can_manage_users"] = bool(scope.roles & USER_MANAGER_ROLES)
        # The people served (ansinh.benefits): for whoever sees some scheme's records.
        from ansinh.benefits.access import schemes_for_user

        context["sees_benefits"] = bool(schemes_for_user(user))
        # The inspectorate (ansinh.care, inspections area): inspectors, leaders, national viewers, administrators.
        from ansinh.care.access_inspections import sees_inspections

        context["sees_inspections"] = sees_inspections(user)
    return context
