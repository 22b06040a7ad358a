"""The four-point grading scale Ofsted uses, which audits and observations both grade on
(DESIGN.md, "Grades"). It lives here, below the feature apps, so each of them can grade
without importing the other; reports speak of "good or better" versus "not yet good"."""

from __future__ import annotations

from django.db import models


class Grade(models.TextChoices):
    """The four-point scale Ofsted uses."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)
# The GOV.UK tag colour of each grade, by its label (as pages show the grade given).
GRADE_COLOURS = {
    Grade.OUTSTANDING.label: "green",
    Grade.GOOD.label: "turquoise",
    Grade.REQUIRES_IMPROVEMENT.label: "orange",
    Grade.INADEQUATE.label: "red",
}
