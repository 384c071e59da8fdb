"""The scoring system a round agrees before it opens: gates, weighted criteria, scales."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from microcomm.models import Timestamped
from rounds.models import Round


class Scale(models.TextChoices):
    """The scales a criterion can be scored on. Word scales map each word to a number."""

    ZERO_TO_THREE = "0-3", "0 to 3"
    ZERO_TO_FIVE = "0-5", "0 to 5"
    ONE_TO_TEN = "1-10", "1 to 10"
    WORDS = "words", "Words (Not met, Partly met, Met, Met strongly)"


# The points of each scale, lowest first: (value, label). A word scale's words are its labels.
SCALE_POINTS: dict[str, tuple[tuple[int, str], ...]] = {
    Scale.ZERO_TO_THREE: tuple((value, str(value)) for value in range(0, 4)),
    Scale.ZERO_TO_FIVE: tuple((value, str(value)) for value in range(0, 6)),
    Scale.ONE_TO_TEN: tuple((value, str(value)) for value in range(1, 11)),
    Scale.WORDS: ((0, "Not met"), (1, "Partly met"), (2, "Met"), (3, "Met strongly")),
}


class Rubric(Timestamped):
    """A round's agreed scoring system. Editable while the round is a draft, then locked."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="rubric")
    # Pass/fail gates: an application failing one is shown as failed whatever it scores.
    gate_eligibility = models.BooleanField("must pass the eligibility check", default=True)
    gate_due_diligence = models.BooleanField("must have due diligence complete", default=True)
    pass_mark = models.DecimalField(
        "overall pass mark (out of 100)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    preset = models.CharField(max_length=20, blank=True, help_text="The preset it started from.")
    # Bumped by every save, so two people editing at once are told instead of overwritten.
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Scoring for {self.round}"


class Criterion(models.Model):
    """One weighted question the panel scores, on an anchored scale."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    question = models.TextField(max_length=1000)
    weight = models.DecimalField(
        "weight (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    scale = models.CharField(max_length=8, choices=Scale.choices, default=Scale.ZERO_TO_THREE)
    minimum = models.SmallIntegerField("minimum score to be funded", null=True, blank=True)
    # The round priorities it rewards, as the stable priority ids applications store.
    rewards_priorities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.name


class ScalePoint(models.Model):
    """A point of a criterion's scale with the anchor sentence that says what earns it."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="points")
    value = models.SmallIntegerField()
    label = models.CharField(max_length=40)
    anchor = models.CharField(max_length=400)

    class Meta:
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "value"], name="scale_point_once")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.anchor}"
