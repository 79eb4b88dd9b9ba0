"""Forms of the user pages: they keep what was typed when they answer with errors, and offer only
the roles and units the person managing users may give (accounts.access)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Level, Unit

from .access import grantable_roles, grantable_units
from .models import ROLE_LEVEL, Field, Role, User

ROLE_NEEDS = {
    Level.COUNTRY: _("the whole country"),
    Level.PROVINCE: _("a province"),
    Level.COMMUNE: _("a commune"),
}


def unit_choices(units: Any) -> list[Any]:
    """Grouped choices: the country, the provinces, then each province's communes under its name."""
    rows = list(units.order_by("level", "sort_key", "code").values_list("pk", "name", "code", "level", "parent_id"))
    provinces = {pk: name for pk, name, _code, level, _parent in rows if level == Level.PROVINCE}
    missing = {parent for _pk, _n, _c, level, parent in rows if level == Level.COMMUNE and parent not in provinces}
    if missing:
        provinces.update(Unit.objects.filter(pk__in=missing).values_list("pk", "name"))
    top: list[tuple[int, str]] = []
    communes: dict[int, list[tuple[int, str]]] = {}
    for pk, name, code, level, parent in rows:
        if level == Level.COMMUNE:
            communes.setdefault(parent, []).append((pk, f"{name} ({code})"))
        else:
            top.append((pk, f"{name} ({code})"))
    choices: list[Any] = [("", "---------")]
    if top:
        choices.append((_("Country and provinces"), top))
    listed = [pk for pk, _label in top]
    order = [pk for pk in listed if pk in communes] + [pk for pk in communes if pk not in listed]
    for parent in order:
        choices.append((provinces.get(parent, ""), communes[parent]))
    return choices


class RoleFieldsMixin(forms.Form):
    """Role, unit and field, limited to what the actor may give."""

    role = forms.ChoiceField(label=_("Role"))
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int,
                                  help_text=_("A commune for a commune officer, a province for provincial roles, "
                                              "the whole country for national roles."))
    field = forms.ChoiceField(label=_("Field"), required=False,
                              help_text=_("Only for a provincial officer: the field she works in."))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        roles = [("", "---------"), *((r.value, r.label) for r in grantable_roles(actor))]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        self.fields["unit"].choices = unit_choices(grantable_units(actor))  # type: ignore[attr-defined]
        self.fields["field"].choices = [("", "---------"), *Field.choices]  # type: ignore[attr-defined]
        self.unit_obj: Unit | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, unit_pk, field = data.get("role"), data.get("unit"), data.get("field") or ""
        if role and unit_pk:
            unit = grantable_units(self.actor).filter(pk=unit_pk).first()
            level = ROLE_LEVEL[Role(role)]
            if unit is None:
                self.add_error("unit", _("You may not give a role on this unit."))
            elif unit.level != level:
                self.add_error("unit", _("The role %(role)s is given on %(needs)s.")
                               % {"role": Role(role).label, "needs": ROLE_NEEDS[Level(level)]})
            else:
                self.unit_obj = unit
        if role == Role.PROVINCIAL_OFFICER and not field:
            self.add_error("field", _("A provincial officer needs a field."))
        elif role and role != Role.PROVINCIAL_OFFICER and field:
            self.add_error("field", _("Only a provincial officer has a field."))
        return data


class PasswordChoiceMixin(forms.Form):
    """Either a generated password, shown once, or one typed twice."""

    password_mode = forms.ChoiceField(
        label=_("Password"), widget=forms.RadioSelect, initial="generate",
        choices=[("generate", _("Generate one and show it once")), ("set", _("Set this password"))])
    password1 = forms.CharField(label=_("New password"), required=False, strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validators_help_text_html)
    password2 = forms.CharField(label=_("New password again"), required=False, strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def password_user(self) -> User:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password_mode") != "set":
            data["password1"] = ""
            return data
        first, second = data.get("password1") or "", data.get("password2") or ""
        if not first:
            self.add_error("password1", _("Type the password, or let one be generated."))
        elif first != second:
            self.add_error("password2", _("The two passwords differ."))
        else:
            try:
                validate_password(first, self.password_user())
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or username"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    active = forms.ChoiceField(label=_("Account status"), required=False, choices=[
        ("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))])

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = grantable_units(actor).filter(level__in=[Level.PROVINCE, Level.COMMUNE])
        if len(units.filter(level=Level.PROVINCE)[:2]) > 1:
            units = units.filter(level=Level.PROVINCE)  # an administrator filters by province
        choices = unit_choices(units)
        choices[0] = ("", _("All units"))
        self.fields["unit"].choices = choices  # type: ignore[attr-defined]


class UserCreateForm(PasswordChoiceMixin, RoleFieldsMixin):
    username = forms.CharField(label=_("Username"), max_length=150,
                               help_text=_("Letters, digits and @ . + - _ only; used to log in."))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    field_order = ["username", "full_name", "email", "role", "unit", "field", "password_mode", "password1",
                   "password2"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is already taken."))
        return username

    def password_user(self) -> User:
        return User(username=self.cleaned_data.get("username", ""), full_name=self.cleaned_data.get("full_name", ""),
                    email=self.cleaned_data.get("email", ""))


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class RoleGrantForm(RoleFieldsMixin):
    pass


class PasswordResetForm(PasswordChoiceMixin):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def password_user(self) -> User:
        return self.user


class TokenCreateForm(forms.Form):
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=0, max_value=3650,
                              help_text=_("0: the token never expires."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.API_TOKEN_DAYS


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Old password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label=_("New password"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text=password_validators_help_text_html)
    new_password2 = forms.CharField(label=_("New password again"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", _("The two passwords differ."))
        return data
