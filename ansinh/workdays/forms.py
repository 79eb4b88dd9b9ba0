from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Unit

from .models import CalendarDay


def _province_label(unit: Unit) -> str:
    return f"{unit.code} {unit.name}"


class CalendarDayForm(forms.ModelForm):
    """A decision's fields; the province list holds only the provinces the user may change, and
    the empty choice (the whole country) only for an administrator."""

    day = forms.DateField(label=_("Date"), input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    class Meta:
        model = CalendarDay
        fields = ["day", "kind", "province", "reason", "legal_basis", "provisional"]

    def __init__(self, *args: Any, provinces: Any, national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["province"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = provinces.order_by("code")
        field.required = not national
        field.empty_label = _("The whole country") if national else None
        field.label_from_instance = _province_label  # type: ignore[method-assign,assignment]
