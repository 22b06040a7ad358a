"""Demo staff survey and health check results, run by `load_demo` (seed 001: the Annual
Staff Survey, and the Annual Health Check led by the Principal Social Worker "for
qualified Social Workers to feedback regarding training, development opportunities";
seed 002, 2.9: use staff surveys and health checks).

Each council gets last year's staff survey and this year's health check, imported as a
CSV file through the same import as a real one, by its QA manager. Most teams have six to
twelve answers; the council's last team has three, so its results are not shown.
Idempotent: a survey already imported is left alone. Seeded: two loads agree.
"""

from __future__ import annotations

import csv
import io
import random
from typing import Any

from django.utils import timezone

from cases.demo import names
from cases.models import Organisation, StaffMember, Team
from cases.roles import Role
from feedback.models import StaffSurvey, SurveyKind
from feedback.staff_voice import survey_import

SEED = "staff-voice"
QUESTIONS = {
    SurveyKind.STAFF_SURVEY: (
        "I am proud to work here",
        "I would recommend this organisation as a place to work",
        "My manager supports me well",
        "I have the time to do my job well",
        "I feel able to raise concerns",
        "Senior leaders listen to staff",
    ),
    SurveyKind.HEALTH_CHECK: (
        "My caseload allows me to do good work with children and families",
        "I get regular, reflective supervision",
        "I can get the training I need",
        "I have development opportunities",
        "I have the equipment and systems I need",
        "I feel supported when work is difficult",
        "I would stay in this organisation for the next two years",
    ),
}
COMMENTS = (
    "",
    "",
    "",
    "More time for direct work with children would help.",
    "Supervision has improved a lot this year.",
    "The new case recording system is slow.",
    "I value the practice forum.",
)
FEW = 3


def load(*, stdout: Any, size: str) -> None:
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for organisation in organisations:
        importer = (
            StaffMember.objects.filter(organisation=organisation, role=Role.QA)
            .select_related("user", "organisation")
            .order_by("pk")
            .first()
        )
        teams = list(Team.objects.filter(organisation=organisation).order_by("name", "pk"))
        if importer is None or not teams:
            continue
        for kind, year in (
            (SurveyKind.STAFF_SURVEY, today.year - 1),
            (SurveyKind.HEALTH_CHECK, today.year),
        ):
            if StaffSurvey.objects.filter(organisation=organisation, kind=kind, year=year).exists():
                continue
            rng = random.Random(f"{SEED}:{organisation.slug}:{kind}:{year}")
            report = survey_import(
                by=importer,
                kind=kind,
                year=year,
                upload=io.BytesIO(_csv(rng, QUESTIONS[kind], teams).encode("utf-8")),
                file_name=f"{kind}-{year}.csv",
            )
            if report.problems:
                raise RuntimeError(f"demo {kind} {year} did not import: {report.problems[:3]}")
            stdout.write(f"{organisation.name}: {report.survey} with {report.rows} responses\n")


def _csv(rng: random.Random, questions: tuple[str, ...], teams: list[Team]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["team", *questions, "comment"])
    for index, team in enumerate(teams):
        people = FEW if index == len(teams) - 1 else rng.randint(6, 12)
        # Each team leans one way, so the teams differ.
        lean = rng.choice((2, 3, 3, 4, 4))
        for _ in range(people):
            answers = [
                "" if rng.random() < 0.04 else str(min(5, max(1, lean + rng.randint(-1, 1))))
                for _ in questions
            ]
            if not any(answers):
                answers[0] = str(lean)
            writer.writerow([team.name, *answers, rng.choice(COMMENTS)])
    return out.getvalue()
