"""The files we take: their columns, what each holds and the codes it may use.

The same definitions check uploads, make the blank templates and write the guide, so
the three cannot disagree. Our own files (children, cases, journey events) have
lower-case headings; the SSDA903 files keep the DfE's published upper-case names.
Headings are matched without regard to case or surrounding spaces.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from cases.models import CHILD_STAGES, Child, JourneyEvent, JourneyStage
from performance.services.imports import codes
from performance.services.imports.columns import (
    DATE_EXAMPLE,
    Column,
    Dates,
    code,
    text,
    yes_no,
)

ID_LENGTH = 40
SOURCE_REF_LENGTH = 80
# The events file's columns after event_id, in the order of plan.EVENT_FIELDS.
EVENT_COLUMNS = [
    "case_id",
    "kind",
    "occurred_on",
    "recorded_on",
    "seen",
    "seen_alone",
    "placement_type",
    "outcome",
]


@dataclass(frozen=True)
class Layout:
    key: str
    title: str
    columns: tuple[Column, ...]
    intro: str = ""

    @property
    def template_name(self) -> str:
        return f"{self.key.replace('_', '-')}.csv"

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required(self) -> list[str]:
        return [column.name for column in self.columns if column.required]


def _date(name: str, label: str, dates: Dates, *, required: bool, hint: str) -> Column:
    return Column(name, label, dates, required=required, hint=f"{hint} For example {DATE_EXAMPLE}.")


def _choices(pairs: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(key, key) for key, _ in pairs]


def children(dates: Dates) -> Layout:
    genders = tuple((value, str(label)) for value, label in Child.Gender.choices)
    ethnicities = tuple((value, str(label)) for value, label in Child.Ethnicity.choices)
    statuses = tuple((value, str(label)) for value, label in Child.LegalStatus.choices)
    return Layout(
        "children",
        "Children",
        (
            Column(
                "child_id",
                "the child ID",
                text(ID_LENGTH),
                required=True,
                hint="The child's ID in your case management system. A child already "
                "in the portal with this ID is updated.",
            ),
            Column(
                "given_name",
                "the given name",
                text(80),
                required=True,
                hint="The child's first name.",
            ),
            Column(
                "family_name",
                "the family name",
                text(80),
                required=True,
                hint="The child's last name.",
            ),
            _date(
                "date_of_birth",
                "the date of birth",
                dates,
                required=False,
                hint="Leave empty if not known.",
            ),
            Column(
                "gender",
                "the gender",
                code(_choices(genders), "gender", upper=False),
                hint="Leave empty for 'unknown'.",
                codes=genders,
            ),
            Column(
                "ethnicity",
                "the ethnicity",
                code(_choices(ethnicities), "ethnicity"),
                hint="The DfE census code.",
                codes=ethnicities,
            ),
            Column(
                "legal_status",
                "the legal status",
                code(_choices(statuses), "legal status"),
                hint="The SSDA903 legal status code, if the child is looked after.",
                codes=statuses,
            ),
        ),
        intro="One row a child. Import children before their cases.",
    )


def cases(dates: Dates) -> Layout:
    stages = tuple((str(value), str(JourneyStage(value).label)) for value in CHILD_STAGES)
    return Layout(
        "cases",
        "Cases",
        (
            Column(
                "case_id",
                "the case ID",
                text(SOURCE_REF_LENGTH),
                required=True,
                hint="The case's ID in your case management system. Re-importing a case "
                "with the same ID updates it.",
            ),
            Column(
                "child_id",
                "the child ID",
                text(ID_LENGTH),
                required=True,
                hint="The ID of a child already in the portal (import children first).",
            ),
            Column(
                "team",
                "the team",
                text(160),
                required=True,
                hint="The name of one of your organisation's teams, exactly as the portal "
                "shows it. The case joins that team and its service.",
            ),
            _date("opened_on", "the date the case opened", dates, required=True, hint=""),
            _date(
                "closed_on",
                "the date the case closed",
                dates,
                required=False,
                hint="Leave empty while the case is open.",
            ),
            Column(
                "journey_stage",
                "the journey stage",
                code(_choices(stages), "journey stage", upper=False),
                required=True,
                hint="Where the child is in their journey.",
                codes=stages,
            ),
            Column(
                "worker",
                "the allocated worker",
                text(150),
                hint="The allocated worker, a member of your staff: their name as the "
                "portal shows it (like Priya Shah), or their staff reference from the list "
                "of staff below. Leave empty for an unallocated case; leave the column out "
                "to keep each case's worker as it is.",
            ),
        ),
        intro="One row a case of a child. Import cases before their journey events.",
    )


def events(dates: Dates) -> Layout:
    kinds = tuple((value, str(label)) for value, label in JourneyEvent.Kind.choices)
    placements = tuple((value, str(label)) for value, label in JourneyEvent.PlacementType.choices)
    return Layout(
        "events",
        "Journey events",
        (
            Column(
                "event_id",
                "the event ID",
                text(SOURCE_REF_LENGTH),
                required=True,
                hint="The event's ID in your case management system. Re-importing an "
                "event with the same ID updates it.",
            ),
            Column(
                "case_id",
                "the case ID",
                text(SOURCE_REF_LENGTH),
                required=True,
                hint="The case_id of a case already imported.",
            ),
            Column(
                "kind",
                "the kind of event",
                code(_choices(kinds), "event kind", upper=False),
                required=True,
                hint="What happened.",
                codes=kinds,
            ),
            _date("occurred_on", "the date it happened", dates, required=True, hint=""),
            _date(
                "recorded_on",
                "the date it was recorded",
                dates,
                required=True,
                hint="On or after the date it happened.",
            ),
            Column(
                "seen",
                "whether the child was seen",
                yes_no,
                hint="Visits: yes or no. Leave empty when not recorded.",
            ),
            Column(
                "seen_alone",
                "whether the child was seen alone",
                yes_no,
                hint="Visits: yes or no. Yes only when seen is yes.",
            ),
            Column(
                "placement_type",
                "the placement type",
                code(_choices(placements), "placement type", upper=False),
                hint="Placements only.",
                codes=placements,
            ),
            Column("outcome", "the outcome", text(120), hint="A short outcome, if any."),
        ),
        intro="One row an event on a case.",
    )


def ssda903_header(dates: Dates) -> Layout:
    ethnicities = tuple((value, str(label)) for value, label in Child.Ethnicity.choices)
    return Layout(
        "ssda903_header",
        "SSDA903 header",
        (
            Column(
                "CHILD",
                "the child ID (CHILD)",
                text(ID_LENGTH),
                required=True,
                hint="The child's ID. A child already in the portal with this ID is "
                "updated; a new child is named 'Child <CHILD>' until their names are "
                "imported with the children template.",
            ),
            Column(
                "SEX",
                "the sex (SEX)",
                code(_choices(codes.SEX), "SEX"),
                required=True,
                codes=codes.with_years("SEX", codes.SEX),
                hint="1 or 2 up to 2023-24; M, F or U from 2024-25.",
            ),
            _date("DOB", "the date of birth (DOB)", dates, required=True, hint=""),
            Column(
                "ETHNIC",
                "the ethnicity (ETHNIC)",
                code(_choices(ethnicities), "ETHNIC"),
                required=True,
                codes=ethnicities,
            ),
            Column(
                "UPN",
                "the unique pupil number (UPN)",
                text(13),
                hint="Checked for length only; not stored.",
            ),
            Column(
                "MOTHER",
                "whether the child is a mother (MOTHER)",
                code(_choices(codes.MOTHER), "MOTHER"),
                codes=codes.MOTHER,
                hint="Not stored.",
            ),
            _date(
                "MC_DOB",
                "the date of birth of the child's child (MC_DOB)",
                dates,
                required=False,
                hint="Not stored.",
            ),
        ),
        intro="The header file of the return: one row a child.",
    )


def ssda903_episodes(dates: Dates) -> Layout:
    statuses = tuple((value, str(label)) for value, label in Child.LegalStatus.choices)
    return Layout(
        "ssda903_episodes",
        "SSDA903 episodes",
        (
            Column(
                "CHILD",
                "the child ID (CHILD)",
                text(ID_LENGTH),
                required=True,
                hint="A child in the header file, or already in the portal.",
            ),
            _date("DECOM", "the date the episode started (DECOM)", dates, required=True, hint=""),
            Column(
                "RNE",
                "the reason for the new episode (RNE)",
                code(_choices(codes.RNE), "RNE"),
                required=True,
                codes=codes.RNE,
                hint="S starts a period of care; P, T, B and U start a new placement.",
            ),
            Column(
                "LS",
                "the legal status (LS)",
                code(_choices(statuses), "LS"),
                required=True,
                codes=statuses,
                hint="The child's legal status is set from their latest episode.",
            ),
            Column(
                "CIN",
                "the category of need (CIN)",
                code(_choices(codes.CIN), "CIN"),
                codes=codes.CIN,
                hint="Checked; not stored.",
            ),
            Column(
                "PLACE",
                "the placement type (PLACE)",
                code(_choices(codes.PLACE), "PLACE"),
                required=True,
                codes=codes.with_years("PLACE", codes.PLACE),
                hint="Gives the placement type of the placement started; A3 to A6 are "
                "placements for adoption. Some codes are for some collection years only.",
            ),
            Column(
                "PLACE_PROVIDER",
                "the placement provider (PLACE_PROVIDER)",
                code(_choices(codes.PLACE_PROVIDER), "PLACE_PROVIDER"),
                codes=codes.PLACE_PROVIDER,
                hint="Checked; not stored.",
            ),
            _date(
                "DEC",
                "the date the episode ceased (DEC)",
                dates,
                required=False,
                hint="Empty while the episode is open.",
            ),
            Column(
                "REC",
                "the reason the episode ceased (REC)",
                code(_choices(codes.REC), "REC"),
                codes=codes.with_years("REC", codes.REC),
                hint="Needed with DEC. X1: a new episode starts the same day; any other "
                "code ends the period of care. E11 and E12 are adoption orders.",
            ),
            Column(
                "REASON_PLACE_CHANGE",
                "the reason for the placement change (REASON_PLACE_CHANGE)",
                code(_choices(codes.REASON_PLACE_CHANGE), "REASON_PLACE_CHANGE"),
                codes=codes.REASON_PLACE_CHANGE,
                hint="Kept as the outcome of the placement that ended.",
            ),
            Column("HOME_POST", "the home postcode (HOME_POST)", text(10), hint="Not stored."),
            Column("PL_POST", "the placement postcode (PL_POST)", text(10), hint="Not stored."),
            Column("URN", "the placement's Ofsted URN (URN)", text(10), hint="Not stored."),
        ),
        intro="The episodes file of the return: one row an episode of care.",
    )


LAYOUTS: dict[str, Callable[[Dates], Layout]] = {
    "children": children,
    "cases": cases,
    "events": events,
    "ssda903_header": ssda903_header,
    "ssda903_episodes": ssda903_episodes,
}


def all_layouts(today: datetime.date) -> list[Layout]:
    dates = Dates(today)
    return [make(dates) for make in LAYOUTS.values()]


def template_csv(key: str) -> str:
    """A blank template: the heading row of the file, ending in a line break."""
    layout = LAYOUTS[key](Dates(datetime.date.max))
    return ",".join(layout.names) + "\r\n"
