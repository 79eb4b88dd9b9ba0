"""Managing users in the UI (administrators; provincial leaders for their province's users), and
changing one's own password. Scope comes from accounts.access; changes go through the audited
services; a refused change answers with its reason, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ansinh.lib.vietnamese import fold

from . import services
from .access import (
    can_grant_role,
    can_manage_users,
    check_role_grant,
    get_role_for_user,
    get_token_for_user,
    get_user_for_user,
    grantable_units,
    managed_users_for_user,
    request_user,
    user_directory_for_user,
    users_under_unit,
)
from .audit import Actor
from .forms import (
    PasswordChangeForm,
    PasswordResetForm,
    RoleGrantForm,
    TokenCreateForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from .models import ApiToken, RoleAssignment, User
from .passwords import generate_password

PAGE_SIZE = 50


def _manager(request: HttpRequest) -> User:
    actor = request_user(request)
    if not can_manage_users(actor):
        raise PermissionDenied
    return actor


def _posted(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to (even when empty: an empty POST shows its errors)."""
    return request.POST if request.method == "POST" else None


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _shown_once(request: HttpRequest, *, user: User, title: str, secret: str, note: str) -> HttpResponse:
    """A password or token shown once, in the answer to the POST that made it (never stored,
    never cached)."""
    response = render(request, "accounts/secret_once.html",
                      {"subject": user, "title": title, "secret": secret, "note": note})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """Users the manager sees: search by name or username (accent-insensitive), role, unit, status."""
    actor = _manager(request)
    form = UserFilterForm(request.GET or None, actor=actor)
    users = user_directory_for_user(actor)
    if form.is_valid():
        data = form.cleaned_data
        for word in fold(data["q"] or "").split():
            users = users.filter(search_name__contains=word)
        if data["role"]:
            users = users.filter(pk__in=RoleAssignment.objects.filter(role=data["role"]).values("user_id"))
        if data["unit"]:
            unit = grantable_units(actor).filter(pk=data["unit"]).first()
            if unit is not None:
                users = users_under_unit(users, unit)
        if data["active"]:
            users = users.filter(is_active=data["active"] == "1")
    users = users.order_by("username").prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("unit").order_by("pk")))
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    managed = set(managed_users_for_user(actor).filter(pk__in=[u.pk for u in page.object_list])
                  .values_list("pk", flat=True))
    return render(request, "accounts/user_list.html", {"form": form, "page": page, "managed": managed})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    form = UserCreateForm(_posted(request), actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assert form.unit_obj is not None
        check_role_grant(actor, role=data["role"], unit=form.unit_obj)
        password = data["password1"] or generate_password()
        try:
            user = services.user_create(
                username=data["username"], password=password, role=data["role"], unit=form.unit_obj,
                field=data["field"] or "", full_name=data["full_name"], email=data["email"] or "",
                actor=Actor.from_request(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if data["password1"]:
                messages.success(request, _("User %(user)s created.") % {"user": user.username})
                return redirect("user-detail", pk=user.pk)
            return _shown_once(request, user=user, title=_("User %(user)s created") % {"user": user.username},
                               secret=password, note=_("Give this password to the user; it is not shown again."))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_form.html", {"form": form}, status=status)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    user = get_user_for_user(actor, pk)
    can_change = managed_users_for_user(actor).filter(pk=user.pk).exists()
    roles = list(RoleAssignment.objects.filter(user=user).select_related("unit").order_by("pk"))
    revocable = {a.pk for a in roles if can_change and can_grant_role(actor, role=a.role, unit=a.unit)}
    now = timezone.now()
    tokens = [(token, token.state(now)) for token in ApiToken.objects.filter(user=user)]
    return render(request, "accounts/user_detail.html", {
        "subject": user, "roles": roles, "revocable": revocable, "tokens": tokens,
        "can_change": can_change, "is_self": user.pk == actor.pk,
        "token_form": TokenCreateForm(),
    })


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    user = get_user_for_user(actor, pk, change=True)
    form = UserEditForm(_posted(request), initial={"full_name": user.full_name, "email": user.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=user, full_name=form.cleaned_data["full_name"],
                                 email=form.cleaned_data["email"] or "", actor=Actor.from_request(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("user-detail", pk=user.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/user_edit.html", {"form": form, "subject": user}, status=status)


@login_required
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    user = get_user_for_user(actor, pk, change=True)
    form = RoleGrantForm(_posted(request), actor=actor)
    if request.method == "POST" and form.is_valid():
        assert form.unit_obj is not None
        check_role_grant(actor, role=form.cleaned_data["role"], unit=form.unit_obj)
        try:
            services.role_grant(user=user, role=form.cleaned_data["role"], unit=form.unit_obj,
                                field=form.cleaned_data["field"] or "", actor=Actor.from_request(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Role given."))
            return redirect("user-detail", pk=user.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/role_form.html", {"form": form, "subject": user}, status=status)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    actor = _manager(request)
    user = get_user_for_user(actor, pk, change=True)
    assignment = get_role_for_user(actor, user, role_pk)
    try:
        services.role_revoke(assignment=assignment, actor=Actor.from_request(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Role taken away."))
    return redirect("user-detail", pk=user.pk)


@login_required
@never_cache
def password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    user = get_user_for_user(actor, pk, change=True)
    if user.pk == actor.pk:  # one's own password is changed with the old one, not reset
        return redirect("password-change")
    form = PasswordResetForm(_posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            password = services.user_password_reset(user=user, actor=Actor.from_request(request),
                                                    password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            if form.cleaned_data["password1"]:
                messages.success(request, _("Password of %(user)s changed.") % {"user": user.username})
                return redirect("user-detail", pk=user.pk)
            return _shown_once(request, user=user,
                               title=_("New password of %(user)s") % {"user": user.username}, secret=password,
                               note=_("Give this password to the user; it is not shown again."))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_reset.html", {"form": form, "subject": user}, status=status)


@login_required
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    user = get_user_for_user(actor, pk, change=True)
    try:
        services.user_deactivate(user=user, actor=Actor.from_request(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(user)s can no longer log in.") % {"user": user.username})
    return redirect("user-detail", pk=user.pk)


@login_required
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    user = get_user_for_user(actor, pk, change=True)
    try:
        services.user_reactivate(user=user, actor=Actor.from_request(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(user)s can log in again.") % {"user": user.username})
    return redirect("user-detail", pk=user.pk)


@login_required
@never_cache
def token_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    user = get_user_for_user(actor, pk, change=True)
    form = TokenCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            secret = services.token_create(user=user, actor=Actor.from_request(request),
                                           days=form.cleaned_data["days"])
        except ValidationError as error:
            form.add_error("days", error)
        else:
            return _shown_once(request, user=user, title=_("New API token of %(user)s") % {"user": user.username},
                               secret=secret,
                               note=_("Copy this token now; it is not shown again. Send it as "
                                      "“Authorization: Bearer …”."))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/token_form.html", {"form": form, "subject": user}, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    actor = _manager(request)
    user = get_user_for_user(actor, pk, change=True)
    token = get_token_for_user(actor, user, token_pk)
    try:
        services.token_revoke(token=token, actor=Actor.from_request(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("user-detail", pk=user.pk)


@login_required
@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    """Everyone changes her own password: the old one, the new one twice."""
    user = request_user(request)
    form = PasswordChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(user=user, old_password=form.cleaned_data["old_password"],
                                          new_password=form.cleaned_data["new_password1"], actor=Actor.from_request(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            update_session_auth_hash(request, user)  # stay logged in here; other sessions end
            messages.success(request, _("Your password was changed."))
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)

