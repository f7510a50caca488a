"""The indices' configuration (rules, contribution point bands), their inputs per company and year, and the
runs, publication and stored results."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.money import format_won
from apps.organizations.models import Organization, SizeClass

from .base import SCORE_FIELD, WEIGHT_FIELD, Effective


class IndexKind(models.TextChoices):
    SGI = "sgi", _("Shared Growth Index")
    WFI = "wfi", _("Win-Win Finance Index")
    DEFENCE = "defence", _("Defence-industry shared growth evaluation")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


# Grades from the best down; a score at or above a grade's cut-off earns it, below the last cut-off is poor.
GRADED = (Grade.EXCELLENT, Grade.GOOD, Grade.FAIR, Grade.AVERAGE)

# The weights each index's rule must name (see apps.evaluations.scoring for how each is used).
RULE_KEYS = {
    IndexKind.SGI: ("survey", "performance", "deductions", "performance_max", "sharing_won_per_point",
                    "sharing_points_max", "comprehensive", "fair_trade"),
    IndexKind.WFI: ("contributed_won", "guarantees_won", "guarantees_count", "partner_smes_reached"),
    IndexKind.DEFENCE: ("cooperation", "technology", "localization", "deductions"),
}
SCALED_KEYS = ("unit", "points", "max")  # a WFI component: points per unit, capped at max


def _decimal(value) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValueError(value) from exc
    if not number.is_finite() or number < 0:
        raise ValueError(value)
    return number


class IndexRule(Effective):
    kind = models.CharField(_("index"), max_length=16, choices=IndexKind.choices)
    version = models.CharField(_("version"), max_length=50, help_text=_("A short name, e.g. 2026 method."))
    weights = models.JSONField(_("weights"), help_text=_("The index's weights, as a JSON object of numbers in "
                                                         "quotes (see the seeded rule)."))
    cutoffs = models.JSONField(_("grade cut-offs"), help_text=_('Lowest score of each grade, e.g. {"excellent": '
                                                                '"90", "good": "80", "fair": "70", "average": '
                                                                '"60"}; below the last is poor.'))
    honour_streak = models.PositiveSmallIntegerField(
        _("consecutive excellent grades for honour"), default=3, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["kind", "valid_from"]
        verbose_name = _("index rule")
        verbose_name_plural = _("index rules")
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="evaluations_rule_start_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="evaluations_rule_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version} ({self.valid_from}–{self.valid_to or '…'})"

    def scope_fields(self) -> tuple[str, ...]:
        return ("kind",)

    def clean(self) -> None:
        errors: dict = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        try:
            self.weight_values()
        except (TypeError, ValueError, KeyError, AttributeError):
            errors["weights"] = _("Give every weight this index needs (%(keys)s) as a non-negative number.") % {
                "keys": ", ".join(RULE_KEYS.get(self.kind, ()))}
        try:
            self.cutoff_values()
        except (TypeError, ValueError, KeyError, AttributeError):
            errors["cutoffs"] = _("Give the lowest score of excellent, good, fair and average, from the highest "
                                  "down.")
        if errors:
            raise ValidationError(errors)

    def weight_values(self) -> dict:
        """The weights as Decimals (a WFI component as {unit, points, max}); raises on a missing or bad one."""
        values = {}
        for key in RULE_KEYS[self.kind]:
            raw = self.weights[key]
            if self.kind == IndexKind.WFI:
                values[key] = {part: _decimal(raw[part]) for part in SCALED_KEYS}
                if values[key]["unit"] <= 0:
                    raise ValueError(key)
            else:
                values[key] = _decimal(raw)
        if self.kind == IndexKind.SGI and values["sharing_won_per_point"] <= 0:
            raise ValueError("sharing_won_per_point")
        return values

    def cutoff_values(self) -> list[tuple[str, Decimal]]:
        """[(grade, lowest score)] from excellent down to average, each strictly below the one before."""
        values = [(grade.value, Decimal(str(self.cutoffs[grade.value]))) for grade in GRADED]
        scores = [score for _, score in values]
        if any(not s.is_finite() for s in scores) or any(a <= b for a, b in zip(scores, scores[1:], strict=False)):
            raise ValueError("cut-offs must fall from excellent to average")
        return values


class ContributionPointBand(Effective):
    """Preferential points for what a company contributed to the funds in the evaluated year: the points of the
    highest band whose minimum it reached."""

    kind = models.CharField(_("index"), max_length=16, choices=IndexKind.choices)
    min_won = models.BigIntegerField(_("from (won)"), validators=[MinValueValidator(1)])
    points = models.DecimalField(_("points"), **WEIGHT_FIELD, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["kind", "valid_from", "min_won"]
        verbose_name = _("contribution point band")
        verbose_name_plural = _("contribution point bands")
        constraints = [
            models.UniqueConstraint(fields=["kind", "min_won", "valid_from"], name="evaluations_band_unique"),
            models.CheckConstraint(condition=Q(min_won__gt=0) & Q(points__gte=0), name="evaluations_band_values"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="evaluations_band_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ≥ {format_won(self.min_won)}: {self.points.normalize():f}"

    def scope_fields(self) -> tuple[str, ...]:
        return ("kind", "min_won")


def _score(limit: int, label: str):
    return models.DecimalField(label, **SCORE_FIELD, validators=[MinValueValidator(0), MaxValueValidator(limit)])


class SgiInput(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sgi_inputs",
                                     verbose_name=_("company"))
    year = models.PositiveSmallIntegerField(_("year"))
    survey_score = _score(80, _("SME perception survey (0–80)"))
    performance_score = _score(20, _("company performance evaluation (0–20)"))
    deductions = _score(12, _("deductions (0–12)"))
    fair_trade_score = _score(100, _("fair-trade agreement evaluation (0–100)"))
    under_investigation = models.BooleanField(_("under investigation"), default=False,
                                              help_text=_("Its grade is deferred."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-year", "organization__name_ko"]
        verbose_name = _("Shared Growth Index input")
        verbose_name_plural = _("Shared Growth Index inputs")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="evaluations_sgi_input_once"),
            models.CheckConstraint(condition=Q(survey_score__gte=0) & Q(survey_score__lte=80)
                                   & Q(performance_score__gte=0) & Q(performance_score__lte=20)
                                   & Q(deductions__gte=0) & Q(deductions__lte=12)
                                   & Q(fair_trade_score__gte=0) & Q(fair_trade_score__lte=100),
                                   name="evaluations_sgi_input_ranges"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name_ko} {self.year}"


class DefenceInput(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="defence_inputs",
                                     limit_choices_to={"size_class": SizeClass.DEFENCE},
                                     verbose_name=_("company"), help_text=_("A defence company."))
    year = models.PositiveSmallIntegerField(_("year"))
    cooperation_score = _score(100, _("partner cooperation (0–100)"))
    technology_score = _score(100, _("technology protection and sharing (0–100)"))
    localization_score = _score(100, _("localisation with SMEs (0–100)"))
    deductions = _score(10, _("deductions (0–10)"))
    under_investigation = models.BooleanField(_("under investigation"), default=False,
                                              help_text=_("Its grade is deferred."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-year", "organization__name_ko"]
        verbose_name = _("defence evaluation input")
        verbose_name_plural = _("defence evaluation inputs")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="evaluations_defence_input_once"),
            models.CheckConstraint(condition=Q(cooperation_score__gte=0) & Q(cooperation_score__lte=100)
                                   & Q(technology_score__gte=0) & Q(technology_score__lte=100)
                                   & Q(localization_score__gte=0) & Q(localization_score__lte=100)
                                   & Q(deductions__gte=0) & Q(deductions__lte=10),
                                   name="evaluations_defence_input_ranges"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name_ko} {self.year}"


# Runs, publication and results


class YearStatus(models.TextChoices):
    OPEN = "open", _("Open (may be recomputed)")
    PUBLISHED = "published", _("Published")


class EvaluationYear(models.Model):
    """Whether an index's results of a year are published. Its row is locked while results are written, so a
    publication and a recomputation never interleave."""

    kind = models.CharField(_("index"), max_length=16, choices=IndexKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=YearStatus.choices, default=YearStatus.OPEN)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by_label = models.CharField(_("published by"), max_length=150, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by_label = models.CharField(_("reopened by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("evaluation year")
        verbose_name_plural = _("evaluation years")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="evaluations_year_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} ({self.get_status_display()})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class EvaluationRun(models.Model):
    kind = models.CharField(_("index"), max_length=16, choices=IndexKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(_("companies"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    error = models.TextField(_("error"), blank=True)
    actor_label = models.CharField(_("requested by"), max_length=150)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.done}/{self.total} ({self.get_status_display()})"


class EvaluationResult(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="evaluation_results",
                                     verbose_name=_("company"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("index"), max_length=16, choices=IndexKind.choices)
    score = models.DecimalField(_("score"), **SCORE_FIELD, null=True, blank=True,
                                help_text=_("Empty when deferred."))
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True,
                             help_text=_("Empty when deferred."))
    deferred = models.BooleanField(_("deferred (under investigation)"), default=False)
    honour = models.BooleanField(_("honour status"), default=False)
    inputs = models.JSONField(_("inputs used"))
    rules = models.JSONField(_("rule versions used"))
    rule = models.ForeignKey(IndexRule, on_delete=models.PROTECT, related_name="results", verbose_name=_("rule"))
    run = models.ForeignKey(EvaluationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="results",
                            verbose_name=_("run"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "kind", "organization__name_ko"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "kind"], name="evaluations_result_once"),
            models.CheckConstraint(condition=(Q(deferred=True) & Q(grade="") & Q(score__isnull=True))
                                   | (Q(deferred=False) & ~Q(grade="") & Q(score__isnull=False)),
                                   name="evaluations_result_graded_or_deferred"),
            models.CheckConstraint(condition=Q(honour=False) | Q(grade="excellent"),
                                   name="evaluations_honour_needs_excellent"),
        ]
        indexes = [models.Index(fields=["kind", "year", "grade"], name="evaluations_result_filter")]

    def __str__(self) -> str:
        return f"{self.organization.name_ko} {self.year} {self.kind}: {self.get_grade_display() or '—'}"
