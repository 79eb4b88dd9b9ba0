"""The same person twice: in the register (two communes, spelling variants, a missing or mistyped
citizen ID), and so on two programmes' lists.

- `LinkageModel`: a trained record-linkage model (Splink: the m and u probabilities of each
  comparison level and the prior), trained on a sample and frozen; the runs use the active one.
- `DedupRun`: one run over a unit's people (exact citizen ID first, then probabilistic linkage
  on DuckDB, or Spark for the country), with its counts.
- `DuplicatePair`: a possible duplicate, a review item. An officer confirms it (the records are
  merged, or linked as one person kept in two registers) or dismisses it; a pair once decided is
  never raised again (one row per pair, ever).

Personal data (Decree 13/2023/NĐ-CP): pairs name people; every query goes through
`ansinh.dedup.access`, every decision through the services (audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Engine(models.TextChoices):
    DUCKDB = "duckdb", _("DuckDB (on this server)")
    SPARK = "spark", _("Spark (a cluster)")


class LinkageModel(models.Model):
    engine = models.CharField(_("trained on"), max_length=8, choices=Engine.choices, default=Engine.DUCKDB)
    params = models.JSONField(_("trained values"), help_text="Splink's model (settings with m, u and the prior).")
    records = models.PositiveIntegerField(_("records trained on"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    trained_at = models.DateTimeField(auto_now_add=True)
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-trained_at", "-pk"]
        verbose_name = _("linkage model")
        verbose_name_plural = _("linkage models")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class DedupRun(models.Model):
    unit = models.ForeignKey("geo.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    engine = models.CharField(_("engine"), max_length=8, choices=Engine.choices, default=Engine.DUCKDB)
    model = models.ForeignKey(LinkageModel, verbose_name=_("model"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="runs")
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.RUNNING)
    people = models.PositiveIntegerField(_("people compared"), default=0)
    comparisons = models.BigIntegerField(_("pairs compared"), default=0)
    found_exact = models.PositiveIntegerField(_("same citizen ID"), default=0)
    found_linkage = models.PositiveIntegerField(_("found by linkage"), default=0)
    new_pairs = models.PositiveIntegerField(_("new review items"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("duplicate search")
        verbose_name_plural = _("duplicate searches")


class Method(models.TextChoices):
    CITIZEN_ID = "citizen_id", _("same citizen ID")
    LINKAGE = "linkage", _("similar name, birth date and place")
    ENTRY = "entry", _("warned when entered")


class PairStatus(models.TextChoices):
    OPEN = "open", _("to review")
    MERGED = "merged", _("same person: merged")
    LINKED = "linked", _("same person: linked")
    DISMISSED = "dismissed", _("different people")


class DuplicatePair(models.Model):
    """Two members who may be one person; `left_id < right_id`, one row per pair ever."""

    left = models.ForeignKey("households.Member", verbose_name=_("first record"), on_delete=models.CASCADE,
                             related_name="+")
    right = models.ForeignKey("households.Member", verbose_name=_("second record"), on_delete=models.CASCADE,
                              related_name="+")
    method = models.CharField(_("found by"), max_length=12, choices=Method.choices)
    probability = models.FloatField(_("match probability"))
    evidence = models.JSONField(_("comparison"), default=dict, blank=True,
                                help_text="Per comparison, the level reached; pages show it in words.")
    run = models.ForeignKey(DedupRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs")
    status = models.CharField(_("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    kept = models.ForeignKey("households.Member", verbose_name=_("record kept"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             help_text="For a merged pair, the record that stays; the other left its household.")
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-probability", "pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="dedup_one_row_per_pair"),
            models.CheckConstraint(condition=Q(left__lt=F("right")), name="dedup_pair_ordered"),
        ]
        indexes = [
            models.Index(fields=["status", "-probability"], name="dedup_pair_status"),
            models.Index(fields=["right"], name="dedup_pair_right"),
        ]

    def __str__(self) -> str:
        return f"{self.left_id}~{self.right_id} ({self.status})"
