"""The code sets of the DfE children looked after return (SSDA903), as published in the
DfE's guide to the collection, and how its placement codes map to our placement types."""

from __future__ import annotations

from cases.models import JourneyEvent

PlacementType = JourneyEvent.PlacementType

SEX = (("1", "Male"), ("2", "Female"))

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
