"""The law's pages: the tables in force on a chosen date (read by everyone signed in), and the
forms that add a base level, add or change an amount rule, add a province's top-up (administrators
for national rows, `access.may_edit_national_rules`; a province's officers of the scheme's field
for the province's own rows, `access.may_edit_province_rules`; 403 otherwise). Every change goes
through `law_services` (checked, audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ansinh.accounts.access import request_user
from ansinh.accounts.audit import Actor

from . import law_services
from .access import may_edit_national_rules, may_edit_province_rules
from .access_law import law_editable_provinces
from .forms_law import AmountRuleForm, BaseLevelForm, TopUpForm
from .law import BASE_LABELS, PROVISIONAL_NOTE, NotInForce, RuleBook
from .models import AmountRule, BaseKind, BaseLevel, Category, Scheme, TopUp

SCHEME_TITLES = {
    Scheme.SOCIAL_ASSISTANCE: gettext_lazy("Monthly social assistance — Decree 20/2021/NĐ-CP as amended"),
    Scheme.SOCIAL_PENSION: gettext_lazy("Social pension — Law 41/2024/QH15, Decree 176/2025/NĐ-CP"),
    Scheme.MERITORIOUS: gettext_lazy("People with meritorious service — Ordinance 02/2020/UBTVQH14, "
                                     "Decree 75/2021/NĐ-CP as amended"),
}
SCHEME_BASES = {
    Scheme.SOCIAL_ASSISTANCE: (BaseKind.SA_BASE,),
    Scheme.SOCIAL_PENSION: (BaseKind.SOCIAL_PENSION,),
    Scheme.MERITORIOUS: (BaseKind.MERIT_BASE, BaseKind.BASE_SALARY),
}


def _date_param(request: HttpRequest) -> tuple[dt.date, str]:
    """?on=YYYY-MM-DD (default today) and an error text when it could not be read."""
    raw = request.GET.get("on", "").strip()
    today = timezone.localdate()
    if not raw:
        return today, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return today, _("The date could not be read (YYYY-MM-DD): today's tables are shown.")


@login_required
def benefit_rules(request: HttpRequest) -> HttpResponse:
    """Per scheme: the base levels (every row, the one in force marked), the categories in force
    with their rules in force on the date, the provinces' top-ups in force."""
    user = request_user(request)
    on, date_error = _date_param(request)
    book = RuleBook.load(on)
    national = may_edit_national_rules(user)
    all_bases = list(BaseLevel.objects.select_related("province").order_by("kind", "province__code", "valid_from"))
    top_ups = list(TopUp.objects.select_related("province", "category").filter(valid_from__lte=on)
                   .exclude(valid_to__lt=on).order_by("province__code", "category__code"))
    schemes = []
    for scheme in Scheme:
        bases = []
        for kind in SCHEME_BASES[scheme]:
            try:
                current = book.base(kind, on).id
            except NotInForce:
                current = None
            for row in all_bases:
                if row.kind == kind:
                    row.kind_label = BASE_LABELS[kind]  # type: ignore[attr-defined]
                    bases.append((row, row.pk == current))
        categories = []
        for cat in book.categories_on(on, scheme=scheme):
            unit = "năm" if cat.uses_years else "con"
            rules = [(rule, rule.describe(unit)) for rule in book.rules_on(cat.code, on)]
            categories.append((cat, rules))
        schemes.append({
            "scheme": scheme, "label": SCHEME_TITLES[scheme], "bases": bases, "categories": categories,
            "top_ups": [top for top in top_ups if top.category.scheme == scheme],
        })
    context = {
        "on": on, "date_error": date_error, "schemes": schemes, "national": national,
        "provincial": national or law_editable_provinces(user).exists(),
        "provisional_note": PROVISIONAL_NOTE, "base_labels": BASE_LABELS,
    }
    return render(request, "benefits/law/rules.html", context, status=400 if date_error else 200)


def _apply_errors(form: Form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _back(on: dt.date | None = None) -> str:
    return reverse("benefit-rules") + (f"?on={on.isoformat()}" if on else "")


@login_required
@require_http_methods(["GET", "POST"])
def benefit_base_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    national = may_edit_national_rules(user)
    provinces = law_editable_provinces(user)
    if not national and not provinces.exists():
        raise PermissionDenied
    form = BaseLevelForm(request.POST or None, provinces=provinces, national=national)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        province = data["province"]
        scheme = law_services.base_kind_scheme(data["kind"])
        allowed = national if province is None else (scheme is not None
                                                     and may_edit_province_rules(user, province, scheme))
        if not allowed:
            raise PermissionDenied
        try:
            row = law_services.base_level_create(
                actor=Actor.from_request(request), kind=data["kind"], province=province, amount=data["amount"],
                valid_from=data["valid_from"], decided_on=data["decided_on"], legal_basis=data["legal_basis"],
                provisional=data["provisional"], note=data["note"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(row.valid_from))
    return render(request, "benefits/law/form.html", {"form": form, "title": _("Add a base level")},
                  status=400 if form.errors else 200)


RULE_KEYS = ["valid_from", "valid_to", "age_from", "age_to", "rate_from", "rate_to", "count_from", "count_to",
             "flag", "method", "base", "coefficient", "amount", "per_unit", "legal_basis", "provisional"]


@login_required
@require_http_methods(["GET", "POST"])
def benefit_rule_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not may_edit_national_rules(user):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    code = request.GET.get("category", "")
    if code:
        initial["category"] = Category.objects.filter(code=code).first()
    form = AmountRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = law_services.amount_rule_create(
                actor=Actor.from_request(request), category=data["category"],
                close_previous=data["close_previous"], **{key: data[key] for key in RULE_KEYS})
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(rule.valid_from))
    return render(request, "benefits/law/form.html", {"form": form, "title": _("Add an amount rule")},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def benefit_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    rule = get_object_or_404(AmountRule.objects.select_related("category"), pk=pk)
    if not may_edit_national_rules(user):
        raise PermissionDenied
    initial = {key: getattr(rule, key) for key in RULE_KEYS}
    form = AmountRuleForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = law_services.amount_rule_update(actor=Actor.from_request(request), rule=rule,
                                                    **{key: data[key] for key in RULE_KEYS})
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(saved.valid_from))
    title = _("Change an amount rule") + f" — {rule.category.code}"
    return render(request, "benefits/law/form.html", {"form": form, "title": title, "rule": rule},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def benefit_topup_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    provinces = law_editable_provinces(user)
    if not provinces.exists():
        raise PermissionDenied
    form = TopUpForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not may_edit_province_rules(user, data["province"], data["category"].scheme):
            raise PermissionDenied
        try:
            row = law_services.top_up_create(
                actor=Actor.from_request(request), province=data["province"], category=data["category"],
                amount=data["amount"], valid_from=data["valid_from"], valid_to=data["valid_to"],
                legal_basis=data["legal_basis"], provisional=data["provisional"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(row.valid_from))
    return render(request, "benefits/law/form.html", {"form": form, "title": _("Add a province's top-up")},
                  status=400 if form.errors else 200)
