"""Invented names for the demo region: places, people and households.

Every place name here is made up; none is a real council or agency.
"""

from __future__ import annotations

import random
import re

REGION_NAME = "Thornvale Region"
REGION_SLUG = "thornvale"

# (name, slug, reference prefix). The first council is the demo logins' council.
COUNCILS = (
    ("Kestrelford City Council", "kestrelford", "KF"),
    ("Marrowby Borough Council", "marrowby", "MB"),
    ("Wexhollow County Council", "wexhollow", "WX"),
)
AGENCY = ("Adopt Thornvale", "adopt-thornvale", "AT")
# More councils for a region of many organisations (`load_demo --councils N`, to show the
# nightly jobs spread over workers): fictional places, each with a two-letter prefix.
MORE_COUNCILS = (
    ("Ashcombe", "AC"),
    ("Brindleton", "BT"),
    ("Carrowmere", "CM"),
    ("Dunhallow", "DH"),
    ("Elmsworth", "EW"),
    ("Fernlow", "FL"),
    ("Greystead", "GS"),
    ("Holloway Vale", "HV"),
    ("Ivybridge Moor", "IM"),
    ("Juniper Cross", "JC"),
    ("Kingsmere", "KM"),
    ("Larkhaven", "LH"),
    ("Millbrook", "ML"),
    ("Northcote", "NC"),
    ("Oakhurst", "OH"),
    ("Pennington", "PN"),
    ("Quarrydale", "QD"),
    ("Ravensholme", "RH"),
    ("Stonebridge", "SB"),
    ("Thistlewood", "TW"),
)

E_MAIL_DOMAIN = "{slug}.example"

# Names one app's demo data gives and another's looks up: two demo logins, and the code
# of the audit tool that the thematic reviews' dip samples use.
QA_MANAGER_LOGIN = "qa.manager"
TEAM_MANAGER_LOGIN = "team.manager"
SENIOR_LEADER_LOGIN = "senior.leader"
DIP_SAMPLE_TOOL = "thematic-dip-sample"

GIRLS = (
    "Amelia",
    "Ava",
    "Isla",
    "Lily",
    "Freya",
    "Poppy",
    "Ella",
    "Evie",
    "Grace",
    "Ruby",
    "Sophia",
    "Chloe",
    "Maya",
    "Layla",
    "Aisha",
    "Zara",
    "Hana",
    "Amara",
    "Niamh",
    "Erin",
    "Millie",
    "Daisy",
    "Phoebe",
    "Scarlett",
    "Willow",
    "Imogen",
    "Jessica",
    "Holly",
    "Leah",
    "Mia",
    "Esme",
    "Rosie",
    "Nia",
    "Fatima",
    "Maryam",
    "Priya",
    "Keira",
    "Tilly",
    "Lacey",
    "Summer",
    "Harper",
    "Skye",
    "Bethany",
    "Courtney",
    "Jasmine",
    "Kayla",
    "Megan",
    "Paige",
)
BOYS = (
    "Oliver",
    "George",
    "Harry",
    "Noah",
    "Jack",
    "Leo",
    "Oscar",
    "Charlie",
    "Alfie",
    "Jacob",
    "Freddie",
    "Thomas",
    "Archie",
    "Joshua",
    "Ethan",
    "Mason",
    "Logan",
    "Kai",
    "Riley",
    "Tyler",
    "Callum",
    "Kieran",
    "Connor",
    "Liam",
    "Dylan",
    "Jayden",
    "Ibrahim",
    "Yusuf",
    "Adam",
    "Zain",
    "Omar",
    "Arjun",
    "Kofi",
    "Tobi",
    "Mohammed",
    "Ryan",
    "Bailey",
    "Reece",
    "Lewis",
    "Jamie",
    "Owen",
    "Rhys",
    "Finley",
    "Harvey",
    "Louie",
    "Ronnie",
    "Tommy",
    "Max",
)
ADULTS = (
    "Sarah",
    "Emma",
    "Claire",
    "Rachel",
    "Helen",
    "Joanne",
    "Kate",
    "Laura",
    "Nicola",
    "Victoria",
    "Gemma",
    "Amy",
    "Rebecca",
    "Hannah",
    "Lucy",
    "Natalie",
    "Anita",
    "Sunita",
    "Yvonne",
    "Bernadette",
    "Olu",
    "Funmi",
    "Shabana",
    "Deborah",
    "Fiona",
    "Jane",
    "Alison",
    "Mark",
    "Paul",
    "David",
    "Andrew",
    "Richard",
    "Simon",
    "Stephen",
    "Peter",
    "Neil",
    "Gary",
    "Martin",
    "Ian",
    "Kevin",
    "Darren",
    "Craig",
    "Tariq",
    "Imran",
    "Samuel",
    "Matthew",
    "Chris",
    "Jonathan",
    "Gavin",
    "Kwame",
    "Dev",
    "Rohan",
    "Tomasz",
    "Marek",
    "Liz",
)
FAMILY_NAMES = (
    "Ashdown",
    "Barraclough",
    "Bellamy",
    "Birtwhistle",
    "Blackmore",
    "Bramley",
    "Brocklehurst",
    "Calder",
    "Carrick",
    "Chadwick",
    "Clegg",
    "Cotterill",
    "Crabtree",
    "Dacre",
    "Dunmore",
    "Eastwood",
    "Entwistle",
    "Farrow",
    "Fenwick",
    "Garside",
    "Gilmour",
    "Goodall",
    "Hartley",
    "Haworth",
    "Holroyd",
    "Horsfall",
    "Illingworth",
    "Jessop",
    "Kershaw",
    "Lambert",
    "Ledger",
    "Lomax",
    "Marsden",
    "Metcalfe",
    "Moorhouse",
    "Nuttall",
    "Ormerod",
    "Pickles",
    "Pilling",
    "Quarmby",
    "Ramsden",
    "Rushworth",
    "Shackleton",
    "Sowerby",
    "Stansfield",
    "Sutcliffe",
    "Thackray",
    "Tordoff",
    "Varley",
    "Wadsworth",
    "Whiteley",
    "Womersley",
    "Yeadon",
    "Ahmed",
    "Akhtar",
    "Begum",
    "Hussain",
    "Khan",
    "Patel",
    "Mistry",
    "Chauhan",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Boateng",
    "Campbell",
    "Clarke",
    "Francis",
    "Nowak",
    "Kowalski",
    "Murphy",
    "Byrne",
    "O'Neill",
    "Doherty",
    "Evans",
    "Hughes",
    "Price",
    "Wong",
    "Chen",
    "Ali",
    "Rahman",
)

# Job titles by role and tier.
JOB_TITLES = {
    ("practitioner", 0): "Social worker",
    ("team_manager", 1): "Team manager",
    ("service_manager", 2): "Service manager",
    ("senior_leader", 3): "Head of service",
    ("senior_leader", 4): "Director of children's services",
    ("qa", 2): "Quality assurance manager",
    ("business_support", 0): "Business support officer",
    ("independent_reviewer", 0): "Independent reviewing officer",
    ("panel_member", 0): "Adoption panel member",
    ("decision_maker", 3): "Agency decision maker",
    ("regional_lead", 3): "Regional quality lead",
}


def child_name(rng: random.Random, gender: str) -> tuple[str, str]:
    if gender == "female":
        given = rng.choice(GIRLS)
    elif gender == "male":
        given = rng.choice(BOYS)
    else:
        given = rng.choice(GIRLS + BOYS)
    return given, rng.choice(FAMILY_NAMES)


def adult_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(ADULTS), rng.choice(FAMILY_NAMES)


def household_name(rng: random.Random, couple: bool) -> str:
    first, family = adult_name(rng)
    if not couple:
        return f"{first} {family}"
    partner, partner_family = adult_name(rng)
    if rng.random() < 0.5 or partner_family == family:
        return f"{first} and {partner} {family}"
    return f"{first} {family} and {partner} {partner_family}"


def username_for(first: str, last: str) -> str:
    return re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
