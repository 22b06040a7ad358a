"""The code sets of the DfE children looked after return (SSDA903), as published in the
DfE's guide to the collection, which of them each collection year uses, and how its
placement codes map to our placement types.

A collection year is named here by the year it starts in: 2024 is 2024-25, the return
for 1 April 2024 to 31 March 2025.
"""

from __future__ import annotations

import datetime

from cases.models import JourneyEvent

PlacementType = JourneyEvent.PlacementType

# Every code any year uses; YEARS below says which years use the ones that changed.
SEX = (
    ("1", "Male"),
    ("2", "Female"),
    ("M", "Male"),
    ("F", "Female"),
    ("U", "Not known"),
)

RNE = (
    ("S", "Started to be looked after"),
    ("L", "Change of legal status only"),
    ("P", "Change of placement and carer(s) only"),
    ("T", "Change of placement (but same carer(s)) only"),
    ("B", "Change of legal status and placement and carer(s) at the same time"),
    ("U", "Change of legal status and change of placement (but same carer(s)) at the same time"),
)
# Reasons for a new episode that start a new placement (all but L, legal status only).
NEW_PLACEMENT = frozenset({"S", "P", "T", "B", "U"})
STARTED = "S"

CIN = (
    ("N1", "Abuse or neglect"),
    ("N2", "Child's disability"),
    ("N3", "Parental illness or disability"),
    ("N4", "Family in acute stress"),
    ("N5", "Family dysfunction"),
    ("N6", "Socially unacceptable behaviour"),
    ("N7", "Low income"),
    ("N8", "Absent parenting"),
)

PLACE = (
    ("U1", "Foster placement with relative(s) or friend(s): long term fostering"),
    (
        "U2",
        "Foster placement with relative(s) or friend(s) who is/are also approved "
        "adopter(s): fostering for adoption or concurrent planning",
    ),
    (
        "U3",
        "Foster placement with relative(s) or friend(s): not long term or fostering for adoption",
    ),
    ("U4", "Foster placement with other foster carer(s): long term fostering"),
    (
        "U5",
        "Foster placement with other foster carer(s) who is/are also approved "
        "adopter(s): fostering for adoption or concurrent planning",
    ),
    ("U6", "Foster placement with other foster carer(s): not long term or fostering for adoption"),
    ("A3", "Placed for adoption with parental consent with current foster carer(s)"),
    ("A4", "Placed for adoption with parental consent not with current foster carer(s)"),
    ("A5", "Placed for adoption with placement order with current foster carer(s)"),
    ("A6", "Placed for adoption with placement order not with current foster carer(s)"),
    ("H5", "Semi-independent living accommodation not subject to children's homes regulations"),
    ("K1", "Secure children's home"),
    ("K2", "Children's home subject to Children's Homes Regulations"),
    ("K3", "Registered supported accommodation"),
    ("P1", "Placed with own parent(s) or other person(s) with parental responsibility"),
    ("P2", "Independent living, for example in a flat, lodgings, bedsit or B&B"),
    ("P3", "Residential employment"),
    ("R1", "Residential care home"),
    ("R2", "NHS or health trust establishment providing medical or nursing care"),
    ("R3", "Family centre or mother and baby unit"),
    ("R5", "Young offender institution or prison"),
    ("S1", "Residential school, except where dual-registered as a children's home"),
    ("T0", "All types of temporary move"),
    ("T1", "Temporary period in hospital"),
    ("T2", "Temporary absence of the child on holiday"),
    ("T3", "Temporary accommodation while the normal foster carer(s) is/are on holiday"),
    ("T4", "Temporary accommodation of seven days or less, not covered by T1 to T3"),
    ("Z1", "Other placement"),
    # 2025-26 replaced Z1 with four codes; the DfE guide for that year gives their meanings.
    ("Z11", "Other placement (Z11)"),
    ("Z12", "Other placement (Z12)"),
    ("Z13", "Other placement (Z13)"),
    ("Z14", "Other placement (Z14)"),
)

PLACEMENT_TYPES = {
    **dict.fromkeys(("U1", "U2", "U3"), PlacementType.KINSHIP),
    **dict.fromkeys(("U4", "U5", "U6"), PlacementType.FOSTER),
    **dict.fromkeys(("A3", "A4", "A5", "A6"), PlacementType.ADOPTION),
    **dict.fromkeys(("K1", "K2", "R1"), PlacementType.RESIDENTIAL),
    "P1": PlacementType.PARENTS,
    **dict.fromkeys(("H5", "K3", "P2"), PlacementType.INDEPENDENT),
}
ADOPTION_PLACEMENTS = frozenset({"A3", "A4", "A5", "A6"})


def placement_type(place: str) -> str:
    return PLACEMENT_TYPES.get(place, PlacementType.OTHER)


PLACE_PROVIDER = (
    ("PR0", "Parent(s) or other person(s) with parental responsibility"),
    ("PR1", "Own provision by the local authority"),
    ("PR2", "Other local authority provision"),
    ("PR3", "Other public provision"),
    ("PR4", "Private provision"),
    ("PR5", "Voluntary or third sector provision"),
)

REC = (
    ("X1", "Episode ceases, and a new episode begins on the same day, for any reason"),
    ("E11", "Adopted: application for an adoption order unopposed"),
    ("E12", "Adopted: consent dispensed with by the court"),
    ("E2", "Died"),
    ("E3", "Care taken over by another local authority in the UK"),
    (
        "E4A",
        "Returned home to live with parent(s), relative(s) or other person(s) with "
        "parental responsibility as part of the care planning process",
    ),
    (
        "E4B",
        "Returned home to live with parent(s), relative(s) or other person(s) with "
        "parental responsibility, not as part of the care planning process",
    ),
    (
        "E13",
        "Left care to live with parent(s), relative(s) or other person(s) with no "
        "parental responsibility",
    ),
    ("E41", "Residence order or child arrangements order granted"),
    ("E43", "Special guardianship order made to former foster carers (before 2016)"),
    (
        "E44",
        "Special guardianship order made to carers other than former foster carers (before 2016)",
    ),
    (
        "E45",
        "Special guardianship order made to former foster carer(s) who are relatives or friends",
    ),
    (
        "E46",
        "Special guardianship order made to former foster carer(s) other than relatives or friends",
    ),
    (
        "E47",
        "Special guardianship order made to carer(s), other than former foster "
        "carer(s), who are relatives or friends",
    ),
    (
        "E48",
        "Special guardianship order made to carer(s), other than former foster "
        "carer(s), other than relatives or friends",
    ),
    ("E5", "Moved into independent living with supportive accommodation"),
    ("E6", "Moved into independent living with no formalised support"),
    ("E7", "Transferred to residential care funded by adult social care services"),
    ("E8", "Period of being looked after ceased for any other reason"),
    ("E9", "Sentenced to custody"),
    ("E14", "Accommodation on remand ended"),
    ("E15", "Age assessment determined the child is aged 18 or over"),
    ("E16", "Child moved abroad"),
    ("E17", "Aged 18 or over and remained with current carers (including staying put)"),
)
CONTINUES = "X1"
ADOPTED = frozenset({"E11", "E12"})
PLACEMENT_ORDER = "E1"  # LS: placement order granted

REASON_PLACE_CHANGE = (
    ("CARPL", "Change to or implementation of the care plan"),
    ("CLOSE", "Resignation or closure of provision"),
    ("ALLEG", "Allegation (section 47)"),
    ("STAND", "Standards of care concern"),
    ("APPRR", "Approval removed"),
    ("CREQB", "Carer(s) requested the placement end because of the child's behaviour"),
    ("CREQO", "Carer(s) requested the placement end for another reason"),
    ("CHILD", "Child requested the placement end"),
    ("LAREQ", "Responsible or area authority requested the placement end"),
    ("PLACE", "Change in the status of the placement only"),
    ("CUSTOD", "Custody arrangement"),
    ("OTHER", "Other"),
)

MOTHER = (("1", "The child is a mother"), ("0", "The child is not a mother"))


# Which collection years use a code, where that has changed: (column, code) -> (first
# year, last year), None for open-ended. Codes not listed are used in every year.
# Source: the code lists of the DfE SSDA903 validation rules by year, as the open-source
# validator csc-validator-be-903 (rule sets lac2022_23 to lac2026_27) encodes them:
# rule 101 (SEX), 146 (PLACE) and 149 (REC). Two judgements of ours: K3 is taken from
# 2023-24, when supported accommodation became registered (the validator's own year
# comparisons accept H5 turning into K3 from then, though its 2023-24 list omits K3);
# E43 and E44 are for orders made before 2016 and no list from 2022-23 accepts them.
YEARS: dict[tuple[str, str], tuple[int | None, int | None]] = {
    ("SEX", "1"): (None, 2023),
    ("SEX", "2"): (None, 2023),
    ("SEX", "M"): (2024, None),
    ("SEX", "F"): (2024, None),
    ("SEX", "U"): (2024, None),
    ("PLACE", "K3"): (2023, None),
    ("PLACE", "H5"): (None, 2024),
    ("PLACE", "P2"): (None, 2024),
    ("PLACE", "Z1"): (None, 2024),
    ("PLACE", "Z11"): (2025, None),
    ("PLACE", "Z12"): (2025, None),
    ("PLACE", "Z13"): (2025, None),
    ("PLACE", "Z14"): (2025, None),
    ("REC", "E43"): (None, 2015),
    ("REC", "E44"): (None, 2015),
}
# What replaced a withdrawn code, or what an earlier year used instead of a new one.
INSTEAD = {
    ("SEX", "1"): "M",
    ("SEX", "2"): "F",
    ("SEX", "M"): "1",
    ("SEX", "F"): "2",
    ("PLACE", "H5"): "K3",
    ("PLACE", "Z1"): "Z11, Z12, Z13 or Z14",
    **dict.fromkeys((("PLACE", f"Z1{n}") for n in range(1, 5)), "Z1"),
}


def year_of(day: datetime.date) -> int:
    """The collection year a day falls in (1 April to 31 March)."""
    return day.year if day.month >= 4 else day.year - 1


def year_name(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def year_start(year: int) -> datetime.date:
    return datetime.date(year, 4, 1)


def year_end(year: int) -> datetime.date:
    return datetime.date(year + 1, 3, 31)


def in_use(column: str, code: str, year: int) -> bool:
    first, last = YEARS.get((column, code), (None, None))
    return (first is None or year >= first) and (last is None or year <= last)


def years_note(column: str, code: str) -> str:
    """When a code is used, for the guide and messages: "from 2024-25", "up to 2023-24"."""
    first, last = YEARS.get((column, code), (None, None))
    if first is not None and last is not None:
        return f"{year_name(first)} to {year_name(last)}"
    if first is not None:
        return f"from {year_name(first)}"
    if last is not None:
        return f"up to {year_name(last)}"
    return ""


def with_years(column: str, pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """(code, meaning) with the years of the codes that changed, for the guide."""
    noted = []
    for code, meaning in pairs:
        note = years_note(column, code)
        noted.append((code, f"{meaning} ({note})" if note else meaning))
    return tuple(noted)
