"""Each year's decisions about days off, as data: the Tết days and the day next to 2/9 the Prime
Minister fixes (Labour Code 2019, Art. 112.3), swapped days, make-up working Saturdays and extra
days off, nationally or for one province, each with its legal basis. The statutory holidays are
not stored: `ansinh.lib.workdays` computes them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Unit
from ansinh.lib import workdays


class DayKind(models.TextChoices):
    TET = workdays.TET, _("Lunar New Year (Tết) day")
    NATIONAL_DAY = workdays.NATIONAL_DAY, _("Day next to National Day (2/9)")
    DAY_OFF = workdays.DAY_OFF, _("Day off (swapped or extra)")
    WORKING_DAY = workdays.WORKING_DAY, _("Make-up working day")


class CalendarDayQuerySet(models.QuerySet["CalendarDay"]):
    def national(self) -> CalendarDayQuerySet:
        return self.filter(province__isnull=True)

    def for_province(self, province: Unit | None) -> CalendarDayQuerySet:
        """The national days and, with a province, that province's own."""
        if province is None:
            return self.national()
        return self.filter(Q(province__isnull=True) | Q(province=province))


class CalendarDay(models.Model):
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    province = models.ForeignKey(
        Unit, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Empty: the whole country."),
    )
    reason = models.CharField(_("reason"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("The decision's text or number is not yet confirmed."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.UniqueConstraint(fields=["day"], condition=Q(province__isnull=True), name="workdays_one_national_day"),
            models.UniqueConstraint(fields=["day", "province"], condition=Q(province__isnull=False),
                                    name="workdays_one_province_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"

    def decision(self) -> workdays.Decision:
        return workdays.Decision(self.day, self.kind, self.reason, self.legal_basis, self.provisional)
