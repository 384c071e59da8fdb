"""Fictional demo applications to the Marshbrook rounds, in every state an application can be in.

About thirty applications: the open loneliness round holds drafts at every stage (not
started, in progress, a section completed, over a word limit, ready to submit, filled in by
a link worker and handed over), submitted ones, a withdrawn draft and one a commissioner
reopened; the closed carers' round holds submitted applications with due diligence partly
verified, one whose eligibility a commissioner overrode, a withdrawn one and a draft that
missed the deadline. The scheduled round is not open, so it has none.

Every group also gets a profile (invented contacts with example.org addresses, invented
addresses in the fictional MB postcode area, phone numbers from Ofcom's drama range) so
that eligibility can be checked. No text names a real person or holds a personal identifier.

The services do the work wherever they allow it, so audit events and due diligence rows
are real. Two steps are written with the ORM instead, each with an audit event whose
reason is "demo data": submission (the closed round can no longer take one, and the
service would render a PDF and send an email per application at seed time), and the link
worker's hand-over (the service emails the group's owners; the demo leaves only the
in-app notification).

Idempotent: an application is keyed on its organisation and round and skipped when one
exists; a profile is filled only while it has no postcode.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, BudgetLine, OrganisationProfile
from microcomm.models import Membership, Notification, Organisation, User

DEMO_REASON = "demo data"
COMMISSIONER_EMAIL = "commissioner@example.org"
LINK_WORKER_EMAIL = "linkworker@example.org"
OPEN_ROUND = "loneliness-micro-grants"
CLOSED_ROUND = "carers-breaks-micro-grants"

# Fictional postcode districts per ward, as in rounds.demo.POSTCODE_DISTRICTS.
DISTRICTS = {
    "Abbey Fields": "MB1",
    "Canal Side": "MB2",
    "Hollins Green": "MB3",
    "Kiln Lane": "MB3",
    "Fenwick": "MB4",
    "Mill Bank": "MB5",
    "Stone Cross": "MB6",
    "Whitmore": "MB7",
}
STREETS = ["Station Road", "Chapel Lane", "Wharf Street", "Orchard Way", "Market Place"]
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXY"


@dataclass(frozen=True)
class DemoGroup:
    name: str
    ward: str
    income: int
    year_started: int
    main_contact: tuple[str, str]
    second_contact: tuple[str, str]
    about: str
    host: str = ""


GROUPS = [
    DemoGroup(
        "Abbey Fields Walking Group",
        "Abbey Fields",
        1800,
        2016,
        ("Jo Turner", "applicant@example.org"),
        ("Priya Lund", "priya.lund@example.org"),
        "A free, slow-paced walk around Abbey Fields park every Friday morning, then tea in "
        "the library café. Most walkers are over 60 and many live alone.",
    ),
    DemoGroup(
        "Canal Side Men's Shed",
        "Canal Side",
        6500,
        2018,
        ("Rowan Hale", "both@example.org"),
        ("Declan Frost", "declan.frost@example.org"),
        "A workshop under the railway arches where men of all ages make and mend things "
        "together, two days a week.",
    ),
    DemoGroup(
        "Kiln Lane Knit and Natter",
        "Kiln Lane",
        900,
        2012,
        ("Maureen Ashby", "maureen.ashby@example.org"),
        ("Carol Pennick", "carol.pennick@example.org"),
        "Knitting, crochet and a chat every Wednesday afternoon in the Kiln Lane church hall.",
        host="Hollins Green Community Association",
    ),
    DemoGroup(
        "Stone Cross Allotment Friends",
        "Stone Cross",
        2400,
        2015,
        ("Tomasz Wren", "tomasz.wren@example.org"),
        ("Hilda Okoro", "hilda.okoro@example.org"),
        "Volunteers who look after a shared plot at Stone Cross allotments and welcome "
        "newcomers on Saturday mornings.",
    ),
    DemoGroup(
        "Whitmore Dads and Lads",
        "Whitmore",
        3100,
        2019,
        ("Kwame Doyle", "kwame.doyle@example.org"),
        ("Liam Sutter", "liam.sutter@example.org"),
        "Saturday football and a bacon roll for dads, grandads and the children they look after.",
    ),
    DemoGroup(
        "Fenwick Fridge and Pantry",
        "Fenwick",
        14000,
        2020,
        ("Bea Hollis", "bea.hollis@example.org"),
        ("Anan Price", "anan.price@example.org"),
        "A community fridge and low-cost pantry in Fenwick, open twice a week and run by "
        "volunteers.",
    ),
    DemoGroup(
        "Mill Bank Tea Dance",
        "Mill Bank",
        4200,
        2009,
        ("Edna Marlow", "edna.marlow@example.org"),
        ("Gordon Fielding", "gordon.fielding@example.org"),
        "A fortnightly afternoon tea dance at Mill Bank social club, with live music and a "
        "lift home for those who need one.",
    ),
    DemoGroup(
        "Marshbrook Befriending Network",
        "Abbey Fields",
        48000,
        2011,
        ("Helen Ajayi", "helen.ajayi@example.org"),
        ("Martin Crowe", "martin.crowe@example.org"),
        "Trained volunteers who phone or visit people living alone in the north of "
        "Marshbrook every week.",
    ),
    DemoGroup(
        "Hollins Green Community Association",
        "Hollins Green",
        72000,
        1998,
        ("Dev Sandhu", "dev.sandhu@example.org"),
        ("Fiona Barr", "fiona.barr@example.org"),
        "Runs the Hollins Green community centre, its lunch club and a programme of classes.",
    ),
    DemoGroup(
        "Marshbrook Carers Together",
        "Whitmore",
        86000,
        2007,
        ("Niamh Carter", "niamh.carter@example.org"),
        ("Olu Bakare", "olu.bakare@example.org"),
        "Cafés, advice and peer support for unpaid carers across Marshbrook.",
    ),
    DemoGroup(
        "Fenwick Debt Advice Centre",
        "Fenwick",
        21000,
        2004,
        ("Graham Pike", "graham.pike@example.org"),
        ("Ruth Ellery", "ruth.ellery@example.org"),
        "Gave free debt advice in Fenwick until its drop-in closed; the trustees hope to "
        "start again.",
    ),
    DemoGroup(
        "Marshbrook Mind Matters",
        "Mill Bank",
        64000,
        2013,
        ("Sunita Rao", "sunita.rao@example.org"),
        ("Pete Langley", "pete.langley@example.org"),
        "Peer-led evening groups for people with anxiety and low mood across Marshbrook.",
    ),
    DemoGroup(
        "Canal Side Community Garden",
        "Canal Side",
        38000,
        2014,
        ("Ife Morgan", "ife.morgan@example.org"),
        ("Jack Tolley", "jack.tolley@example.org"),
        "A community garden on old railway land by the canal, with gardening days and "
        "cookery sessions.",
    ),
    DemoGroup(
        "Marshbrook Refugee Welcome",
        "Mill Bank",
        29000,
        2016,
        ("Yusuf Adeyemi", "yusuf.adeyemi@example.org"),
        ("Clare Dunmore", "clare.dunmore@example.org"),
        "A weekly welcome café, English conversation and help getting online for people new "
        "to Marshbrook.",
    ),
    DemoGroup(
        "Green Gym Marshbrook",
        "Kiln Lane",
        18000,
        2017,
        ("Rhys Penrose", "rhys.penrose@example.org"),
        ("Ama Osei", "ama.osei@example.org"),
        "Outdoor conservation sessions that double as a gentle workout, every Sunday morning.",
    ),
    DemoGroup(
        "Stitch and Story CIC",
        "Stone Cross",
        12500,
        2021,
        ("Lena Varga", "lena.varga@example.org"),
        ("Moira Quinn", "moira.quinn@example.org"),
        "Sewing circles where people share stories and make things to keep or give away.",
    ),
    DemoGroup(
        "Digital Buddies CIC",
        "Hollins Green",
        41000,
        2019,
        ("Sanjay Kapadia", "sanjay.kapadia@example.org"),
        ("Erin Walsh", "erin.walsh@example.org"),
        "Volunteer buddies who help people get online, one to one or in small drop-in groups.",
    ),
    DemoGroup(
        "Fenwick Community Kitchen CIC",
        "Fenwick",
        33000,
        2018,
        ("Marta Silva", "marta.silva@example.org"),
        ("Joel Ambrose", "joel.ambrose@example.org"),
        "Cook-and-eat evenings and budget cookery courses in a shared kitchen in Fenwick.",
    ),
    DemoGroup(
        "Marshbrook Arts on Prescription Ltd",
        "Kiln Lane",
        57000,
        2010,
        ("Imogen Hart", "imogen.hart@example.org"),
        ("Tariq Bell", "tariq.bell@example.org"),
        "Ten-week art courses for people referred by link workers and GP practices.",
    ),
    DemoGroup(
        "Mill Bank Youth Trust Ltd",
        "Mill Bank",
        92000,
        2005,
        ("Callum Reid", "callum.reid@example.org"),
        ("Aisha Mensah", "aisha.mensah@example.org"),
        "Youth clubs and detached youth work for 11 to 19 year olds in Mill Bank.",
    ),
    DemoGroup(
        "Whitmore Community Hub Ltd",
        "Whitmore",
        128000,
        2012,
        ("Patrick Nwosu", "patrick.nwosu@example.org"),
        ("Sally Brennan", "sally.brennan@example.org"),
        "Runs the Whitmore hub: a café, advice surgeries and rooms for local groups.",
    ),
    DemoGroup(
        "Marshbrook Community Energy",
        "Kiln Lane",
        45000,
        2015,
        ("Owen Ridley", "owen.ridley@example.org"),
        ("Grace Tan", "grace.tan@example.org"),
        "A community energy society giving free warm-home advice and small energy grants.",
    ),
    DemoGroup(
        "Stone Cross Village Shop Society",
        "Stone Cross",
        95000,
        2008,
        ("Anne Bishop", "anne.bishop@example.org"),
        ("Femi Lawal", "femi.lawal@example.org"),
        "A village shop owned by its members, with a coffee corner that hosts a weekly "
        "coffee morning.",
    ),
    DemoGroup(
        "Fenwick Parish Council",
        "Fenwick",
        60000,
        1974,
        ("Brian Kettle", "brian.kettle@example.org"),
        ("Nadia Farouk", "nadia.farouk@example.org"),
        "The parish council for Fenwick: it looks after the green, the play area and the "
        "village hall.",
    ),
    DemoGroup(
        "Marshbrook Sanctuary Choir",
        "Mill Bank",
        5200,
        2017,
        ("Esther Mwangi", "esther.mwangi@example.org"),
        ("Lewis Garner", "lewis.garner@example.org"),
        "A choir for people seeking sanctuary and their neighbours, meeting on Thursday evenings.",
    ),
]

# Stages an application is taken to.
NOT_STARTED = "not started"
IN_PROGRESS = "in progress"
SECTION_DONE = "one section completed"
OVER_LIMIT = "over a word limit"
READY = "ready to submit"
ASSISTED = "filled in by a link worker"
HANDED_OVER = "handed over by a link worker"
SUBMITTED = "submitted"
REOPENED = "reopened"
WITHDRAWN_DRAFT = "withdrawn draft"
WITHDRAWN = "withdrawn after submitting"
MISSED_DEADLINE = "draft that missed the deadline"
OVERRIDDEN = "submitted after an eligibility override"

SUBMITTING = {SUBMITTED, REOPENED, WITHDRAWN, OVERRIDDEN}
FULL = SUBMITTING | {READY, HANDED_OVER, MISSED_DEADLINE}


@dataclass(frozen=True)
class DemoApplication:
    group: str
    round: str
    stage: str
    activity: str = ""
    who: str = ""
    budget: tuple[tuple[str, str, int], ...] = ()
    # Due diligence checks the commissioner has verified, in checklist order.
    verified: int = 0
    # A member who fills it in instead of the group's main contact (an editor, say).
    member: str = ""


OVER_LIMIT_ACTIVITY = " ".join(
    [
        "We want to open a second welcome café on Tuesday mornings in Canal Side, because "
        "the Saturday café in Mill Bank is full most weeks and people who have just arrived "
        "in Marshbrook tell us that a week is a long time to wait for a friendly face.",
        "The café would run from ten until half past twelve in the function room of the "
        "Canal Side community centre, which has step-free access, a small kitchen and space "
        "for children to play while their parents talk.",
        "Volunteers who have themselves been new to the town would welcome people at the "
        "door, make tea and coffee, and sit with anyone who wants company, in English or in "
        "one of the six other languages our volunteers speak between them.",
        "Each week a different local group would be invited to say hello and explain what "
        "they do, so that people leave knowing about walking groups, choirs, gardens and "
        "sports clubs they could join for free.",
        "We would also keep a table for practising English conversation, with picture cards "
        "and simple games, because many people tell us that talking is the hardest part of "
        "settling in and the thing that makes them feel most alone.",
        "Link workers from the primary care network have said they would refer people to the "
        "café, and the library has offered to bring a box of books and sign people up for "
        "library cards on the first Tuesday of every month.",
        "We would ask everyone who comes to fill in a short, anonymous card every three months "
        "saying how connected they feel, so that we can see whether the café is helping and "
        "change what we do if it is not.",
        "If the café works well we would like to keep it going after the grant by asking the "
        "community centre for a reduced rent and by running a small stall at the summer fair.",
    ]
)

APPLICATIONS = [
    # The open loneliness round: mostly drafts, several submitted.
    DemoApplication(
        "Abbey Fields Walking Group",
        OPEN_ROUND,
        SUBMITTED,
        "Add a second, shorter walk on Tuesday afternoons for people who find the Friday walk "
        "too long, with a volunteer at the back and tea afterwards.",
        "About 25 older people in Abbey Fields who live alone, many referred by link workers.",
        (
            ("Walk leader training for three volunteers", "Training", 300),
            ("Tea and refreshments for a year", "Refreshments", 240),
            ("High-visibility vests and a first aid kit", "Equipment", 160),
        ),
    ),
    DemoApplication(
        "Marshbrook Befriending Network",
        OPEN_ROUND,
        REOPENED,
        "Recruit and train eight new volunteer befrienders so that we can clear our waiting "
        "list in Abbey Fields and Canal Side.",
        "Around 30 people who live alone and are waiting for a befriender.",
        (
            ("Two volunteer training days", "Training", 450),
            ("Background checks for eight volunteers", "Volunteers", 200),
            ("Volunteer travel for home visits", "Travel", 250),
        ),
        member="applicant@example.org",
    ),
    DemoApplication(
        "Canal Side Men's Shed",
        OPEN_ROUND,
        IN_PROGRESS,
        "Open the shed on a third day, Saturday mornings, for men who work during the week "
        "and have told link workers they have no one to talk to at weekends.",
    ),
    DemoApplication(
        "Kiln Lane Knit and Natter",
        OPEN_ROUND,
        HANDED_OVER,
        "Start a second Knit and Natter afternoon at Abbey Fields library for people on our "
        "waiting list, with wool and needles provided.",
        "Up to 15 people, mostly older people living alone, some referred by link workers.",
        (
            ("Wool, needles and hooks", "Materials", 220),
            ("Room hire for a year", "Venue", 360),
            ("Tea and biscuits", "Refreshments", 120),
        ),
    ),
    DemoApplication("Hollins Green Community Association", OPEN_ROUND, NOT_STARTED),
    DemoApplication(
        "Canal Side Community Garden",
        OPEN_ROUND,
        SUBMITTED,
        "Run a monthly 'Grow and Chat' afternoon with a shared meal cooked from the garden's "
        "produce, open to anyone referred by a link worker.",
        "20 people a month, mostly people who live alone near the canal.",
        (
            ("Seeds, compost and hand tools", "Materials", 250),
            ("Food for the shared meals", "Refreshments", 400),
            ("A gazebo for wet days", "Equipment", 180),
        ),
    ),
    DemoApplication(
        "Marshbrook Refugee Welcome",
        OPEN_ROUND,
        OVER_LIMIT,
        OVER_LIMIT_ACTIVITY,
        "About 30 people a week who are new to Marshbrook, many of them families.",
    ),
    DemoApplication(
        "Green Gym Marshbrook",
        OPEN_ROUND,
        SECTION_DONE,
        "A midweek Green Gym session in Abbey Fields park for people who cannot come on "
        "Sundays, finishing with a hot drink in the park café.",
        "12 people a week, many of them recently retired and living alone.",
    ),
    DemoApplication(
        "Stitch and Story CIC",
        OPEN_ROUND,
        READY,
        "A weekly 'Stitch and Tell' circle in Canal Side library where people mend clothes and "
        "share stories over tea.",
        "12 to 15 people who feel lonely, including new parents and older people.",
        (
            ("Servicing two sewing machines and supplies", "Equipment", 300),
            ("Room hire for a year", "Venue", 400),
            ("Tea and cake", "Refreshments", 100),
        ),
    ),
    DemoApplication(
        "Digital Buddies CIC",
        OPEN_ROUND,
        SUBMITTED,
        "Pair volunteers with people who want to video call their families, and lend tablets "
        "to those who have no device.",
        "20 older people in Abbey Fields and Canal Side who rarely see their families.",
        (
            ("Four tablets to lend", "Equipment", 600),
            ("Mobile data for six months", "Running costs", 240),
            ("Volunteer expenses", "Volunteers", 120),
        ),
    ),
    DemoApplication(
        "Marshbrook Arts on Prescription Ltd",
        OPEN_ROUND,
        IN_PROGRESS,
        "A drop-in art afternoon in Canal Side for people who have finished one of our courses "
        "and want to keep meeting the friends they made.",
    ),
    DemoApplication(
        "Mill Bank Youth Trust Ltd",
        OPEN_ROUND,
        WITHDRAWN_DRAFT,
        "An intergenerational games afternoon where young people and older neighbours meet "
        "over board games and tea.",
    ),
    DemoApplication("Marshbrook Community Energy", OPEN_ROUND, NOT_STARTED),
    DemoApplication(
        "Stone Cross Village Shop Society",
        OPEN_ROUND,
        IN_PROGRESS,
        "Run our coffee morning in Abbey Fields as well, using the church hall, with a lift "
        "for people who find the bus difficult.",
    ),
    DemoApplication("Fenwick Parish Council", OPEN_ROUND, NOT_STARTED),
    DemoApplication(
        "Marshbrook Sanctuary Choir",
        OPEN_ROUND,
        SUBMITTED,
        "A monthly open singing session at Abbey Fields community centre, with a shared lunch, "
        "for anyone who feels alone.",
        "Around 40 people, including people seeking sanctuary and older residents.",
        (
            ("Room hire for twelve sessions", "Venue", 420),
            ("Accompanist's fees", "Staff", 300),
            ("Shared lunches", "Refreshments", 250),
        ),
    ),
    DemoApplication(
        "Mill Bank Tea Dance",
        OPEN_ROUND,
        SECTION_DONE,
        "Bring the tea dance to Canal Side twice a year, with a minibus from Abbey Fields for "
        "people who cannot get there alone.",
    ),
    DemoApplication(
        "Fenwick Fridge and Pantry",
        OPEN_ROUND,
        ASSISTED,
        "A 'stay for a cuppa' table at the pantry so that people collecting food can sit and "
        "talk, with volunteers trained to listen and signpost.",
    ),
    DemoApplication(
        "Marshbrook Mind Matters",
        OPEN_ROUND,
        SUBMITTED,
        "A weekly daytime 'walk and talk' peer group in Canal Side for people whose loneliness "
        "is making their mood worse.",
        "12 people at a time, and about 40 over the year.",
        (
            ("Peer facilitator training", "Training", 350),
            ("Venue for wet weeks", "Venue", 300),
            ("Refreshments", "Refreshments", 150),
        ),
    ),
    DemoApplication(
        "Whitmore Dads and Lads",
        OPEN_ROUND,
        IN_PROGRESS,
        "A monthly walking football session in Canal Side for older men who used to play.",
    ),
    DemoApplication(
        "Marshbrook Carers Together",
        OPEN_ROUND,
        SUBMITTED,
        "A monthly Saturday social for carers in Abbey Fields, with a sitting service so that "
        "carers can come along.",
        "15 carers who rarely get out, and the people they care for.",
        (
            ("Sitting service", "Staff", 500),
            ("Room hire", "Venue", 240),
            ("Refreshments", "Refreshments", 160),
        ),
    ),
    # The closed carers' round: submitted, with due diligence under way.
    DemoApplication(
        "Marshbrook Carers Together",
        CLOSED_ROUND,
        SUBMITTED,
        "Start a carers' group in Whitmore, meeting fortnightly at the hub, with a sitting "
        "service so that carers can take a break.",
        "About 20 unpaid carers in Whitmore.",
        (
            ("Sitting service", "Staff", 500),
            ("Room hire", "Venue", 280),
            ("Refreshments", "Refreshments", 120),
        ),
        verified=3,
    ),
    DemoApplication(
        "Whitmore Dads and Lads",
        CLOSED_ROUND,
        SUBMITTED,
        "Three family days out in the summer holidays for young carers and the adults who "
        "look after them.",
        "15 young carers aged 8 to 16 and the adults who look after them.",
        (
            ("Coach hire", "Travel", 450),
            ("Entry tickets", "Activities", 300),
            ("Packed lunches", "Refreshments", 150),
        ),
        verified=1,
    ),
    DemoApplication(
        "Whitmore Community Hub Ltd",
        CLOSED_ROUND,
        OVERRIDDEN,
        "A monthly respite afternoon for carers at the hub: lunch, hand massages and a quiet room.",
        "25 carers a month from Whitmore.",
        (
            ("Therapists' fees", "Staff", 480),
            ("Lunches", "Refreshments", 300),
            ("Publicity in the hub newsletter", "Publicity", 60),
        ),
        verified=2,
    ),
    DemoApplication(
        "Mill Bank Tea Dance",
        CLOSED_ROUND,
        SUBMITTED,
        "A carers' tea dance in Whitmore four times a year, where carers and the people they "
        "look after dance together.",
        "Up to 40 carers and the people they care for.",
        (
            ("Hall hire", "Venue", 320),
            ("Band", "Activities", 400),
            ("Tea and cake", "Refreshments", 180),
        ),
    ),
    DemoApplication(
        "Marshbrook Sanctuary Choir",
        CLOSED_ROUND,
        SUBMITTED,
        "A carers' singing session each month in Whitmore, with volunteers to sit with the "
        "people carers look after.",
        "About 15 carers a month.",
        (
            ("Accompanist's fees", "Staff", 300),
            ("Room hire", "Venue", 200),
            ("Refreshments", "Refreshments", 150),
        ),
        verified=1,
    ),
    DemoApplication(
        "Marshbrook Mind Matters",
        CLOSED_ROUND,
        SUBMITTED,
        "A six-week evening wellbeing course in Whitmore for carers who feel worn down.",
        "Two courses of 10 carers.",
        (
            ("Course facilitator", "Staff", 600),
            ("Room hire", "Venue", 240),
            ("Course materials", "Materials", 100),
        ),
        verified=2,
    ),
    DemoApplication(
        "Stone Cross Allotment Friends",
        CLOSED_ROUND,
        WITHDRAWN,
        "Gardening mornings for carers at the allotments, with a volunteer sitter on hand.",
        "10 carers from Whitmore and Stone Cross.",
        (
            ("Raised beds and tools", "Equipment", 350),
            ("Volunteer sitter expenses", "Volunteers", 150),
        ),
    ),
    DemoApplication(
        "Digital Buddies CIC",
        CLOSED_ROUND,
        SUBMITTED,
        "Weekly drop-ins at the Whitmore hub to help carers manage appointments and "
        "prescriptions online.",
        "30 carers over six months.",
        (
            ("Two laptops for the drop-in", "Equipment", 700),
            ("Volunteer expenses", "Volunteers", 150),
        ),
    ),
    DemoApplication(
        "Fenwick Community Kitchen CIC",
        CLOSED_ROUND,
        MISSED_DEADLINE,
        "Batch-cooking sessions so that carers can take home meals for the week.",
        "12 carers a month.",
        (
            ("Ingredients", "Food", 450),
            ("Containers", "Materials", 150),
        ),
    ),
    DemoApplication(
        "Marshbrook Befriending Network",
        CLOSED_ROUND,
        SUBMITTED,
        "Telephone befriending for carers in Whitmore who cannot leave the house.",
        "20 carers who are at home most of the day.",
        (
            ("Volunteer training", "Training", 300),
            ("Phone costs", "Running costs", 200),
            ("Volunteer coordination", "Staff", 400),
        ),
        member="applicant@example.org",
    ),
]

REOPEN_REASON = (
    "Please split the training cost into the trainer's fee and the room hire, and say how "
    "many of the 30 people waiting live in Canal Side."
)
OVERRIDE_REASON = (
    "The hub's income last year included a one-off building grant of £60,000 that it passed "
    "straight to its landlord for the new roof. Its running income, about £68,000, is within "
    "the round's limit. Agreed with the chair of the fund."
)
VERIFY_NOTES = {
    "governing": "Seen the governing document, signed at the last annual meeting.",
    "registration": "Checked the public register: the entry matches the group's name.",
    "bank_account": "Seen a recent statement in the group's name; no numbers recorded.",
    "safeguarding": "Seen the safeguarding policy, reviewed this year.",
}


# People and profiles -------------------------------------------------------------------


def _user(name: str, email: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _owner(group: DemoGroup, organisation: Organisation) -> User:
    """The group's main contact as its owner; the demo logins keep the roles they have."""
    name, email = group.main_contact
    user = _user(name, email)
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Membership.Role.OWNER}
    )
    return user


def _profile(group: DemoGroup, organisation: Organisation, owner: User, index: int) -> None:
    from applications.services.organisations import organisation_profile_update

    profile = OrganisationProfile.objects.filter(organisation=organisation).first()
    if profile is not None and profile.postcode:
        return
    letters = POSTCODE_LETTERS[index % 19] + POSTCODE_LETTERS[(index * 7 + 3) % 19]
    organisation_profile_update(
        organisation=organisation,
        changes={
            "description": group.about,
            "address_line_1": f"{index + 3} {STREETS[index % len(STREETS)]}",
            "address_line_2": group.ward,
            "town": "Marshbrook",
            "postcode": f"{DISTRICTS[group.ward]} {index % 9 + 1}{letters}",
            "annual_income": Decimal(group.income),
            "year_started": group.year_started,
            "main_contact_name": group.main_contact[0],
            "main_contact_email": group.main_contact[1],
            # Ofcom keeps 07700 900000 to 900999 for drama: never a real number.
            "main_contact_phone": f"07700 900{100 + 2 * index:03d}",
            "second_contact_name": group.second_contact[0],
            "second_contact_email": group.second_contact[1],
            "second_contact_phone": f"07700 900{101 + 2 * index:03d}",
            "second_contact_unrelated": True,
            "has_bank_account": not group.host,
            "host_organisation_name": group.host,
            "bank_account_name": "" if group.host else organisation.name,
        },
        actor=owner,
    )


# Filling in ----------------------------------------------------------------------------


def _questions(round: Any) -> dict[str, Any]:
    """The round's questions by their preset key ("group_name", "activity", ...)."""
    from rounds.form_presets import preset_for_tier
    from rounds.models import Question

    keys = {
        question["label"]: question["key"]
        for section in preset_for_tier(round.tier)
        for question in section["questions"]
    }
    return {
        keys[question.label]: question
        for question in Question.objects.filter(section__round=round)
        if question.label in keys
    }


def _fill(application: Application, spec: DemoApplication, *, actor: User, index: int) -> None:
    """Answer, budget and mark sections as far as the stage goes, through the services."""
    from applications.services.applying import BudgetRow, answers_save, section_mark
    from applications.services.applying import budget_save as save_budget
    from rounds.selectors.form_builder import round_priority_labels

    if spec.stage == NOT_STARTED:
        return
    round = application.round
    questions = _questions(round)
    sections = list(round.sections.order_by("order", "id"))
    group = next(g for g in GROUPS if g.name == spec.group)
    values: dict[str, Any] = {
        "group_name": group.name,
        "group_about": group.about,
        "activity": spec.activity,
    }
    if spec.stage != IN_PROGRESS and spec.stage not in (ASSISTED, WITHDRAWN_DRAFT):
        values["beneficiaries"] = spec.who
        if "places" in questions:  # a "where will it happen" question: locality ids
            places = list(round.eligible_localities.order_by("name", "id"))
            values["places"] = sorted(place.pk for place in places[: 1 + index % 2])
    if spec.stage in FULL or spec.stage == OVER_LIMIT:
        labels = round_priority_labels(round=round)
        values["priorities"] = labels[: 1 + index % 2]
        starts_on = round.grants_start_on + datetime.timedelta(days=7 * (index % 4))
        values["starts_on"] = starts_on.isoformat()
    answers_save(
        application=application,
        values={questions[key].pk: value for key, value in values.items() if value},
        versions={},
        actor=actor,
    )
    if spec.budget:
        save_budget(
            application=application,
            rows=[
                BudgetRow(BudgetLine.Kind.COST, item, category, Decimal(amount))
                for item, category, amount in spec.budget
            ],
            actor=actor,
        )
    if spec.stage in (SECTION_DONE, OVER_LIMIT) or spec.stage in FULL:
        section_mark(application=application, section=sections[0], completed=True, actor=actor)
    if spec.stage in FULL:
        for section in sections[1:]:
            section_mark(application=application, section=section, completed=True, actor=actor)


# Writes the services cannot make at seed time ------------------------------------------


def _start_late(round: Any, organisation: Organisation, actor: User) -> Application:
    """A draft of a round that has closed, as application_start made it while it was open."""
    from microcomm.audit import audit_record

    application = Application.objects.create(
        round=round, organisation=organisation, created_by=actor
    )
    audit_record(
        actor=actor,
        verb="application.start",
        target=application,
        to_state=application.status,
        reason=DEMO_REASON,
        detail={"assisted": False},
    )
    return application


@transaction.atomic
def _submit(application: Application, *, actor: User, at: datetime.datetime) -> Application:
    """Submit as application_submit does, at a moment while the round was open, with no PDF.

    The same checks, the same reference counter and the same due diligence checklist; the
    PDF copy and its email are left out, so seeding sends nothing.
    """
    from applications.due_diligence import due_diligence_create
    from applications.services.applying import (
        ApplicationNotReady,
        _next_reference,
        application_problems,
        eligibility_run,
    )
    from microcomm.audit import audit_record

    eligibility = eligibility_run(application=application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    problems = application_problems(application=application)
    if not eligibility["eligible"] and not application.eligibility_override_reason:
        problems.extend(eligibility["reasons"])
    if problems:
        raise ApplicationNotReady(problems)
    if not application.reference:
        application.reference = _next_reference(at)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = at
    application.submitted_by = actor
    application.declaration_accepted_at = at
    application.save()
    due_diligence_create(application=application)
    audit_record(
        actor=actor,
        verb="application.submit",
        target=application,
        from_state=Application.Status.DRAFT,
        to_state=Application.Status.SUBMITTED,
        reason=DEMO_REASON,
        detail={"reference": application.reference, "submission": 1, "at": at.isoformat()},
    )
    return application


def _hand_over(application: Application, *, actor: User) -> None:
    """What application_hand_over does, with the in-app notice but no email."""
    from microcomm.audit import audit_record

    now = timezone.now()
    Application.objects.filter(pk=application.pk).update(handed_over_at=now, updated_at=now)
    application.refresh_from_db()
    link = reverse("applications:application-detail", args=[application.pk])
    owners = Membership.objects.filter(
        organisation=application.organisation, role=Membership.Role.OWNER
    ).select_related("user")
    for membership in owners:
        context = {"application": application, "assistant": actor, "user": membership.user}
        Notification.objects.create(
            user=membership.user,
            subject=f"Your application to {application.round} is ready for you to check",
            body=render_to_string("email/application_handed_over.txt", context),
            link=link,
        )
    audit_record(actor=actor, verb="application.hand_over", target=application, reason=DEMO_REASON)


# Putting it together -------------------------------------------------------------------


def _moments(round: Any, index: int) -> tuple[datetime.datetime, datetime.datetime]:
    """When the application was started and last worked on (or submitted), while open."""
    end = min(timezone.now(), round.closes_at) - datetime.timedelta(hours=1)
    span = end - round.opens_at
    started = round.opens_at + span * (((index * 7) % 10 + 1) / 25)
    started += datetime.timedelta(minutes=37 * index)  # no two at the same moment
    return min(started, end), min(started + span * 0.5, end)


def _seed_application(
    spec: DemoApplication,
    *,
    index: int,
    rounds: dict[str, Any],
    organisations: dict[str, Organisation],
    owners: dict[str, User],
    commissioner: User,
    link_worker: User,
) -> None:
    from applications.services.applying import (
        application_reopen,
        application_start,
        application_withdraw,
    )
    from applications.services.assessing import due_diligence_verify, eligibility_override

    round = rounds[spec.round]
    organisation = organisations[spec.group]
    if Application.objects.filter(round=round, organisation=organisation).exists():
        return
    member = User.objects.get(email=spec.member) if spec.member else owners[spec.group]
    started, finished = _moments(round, index)
    assisted = spec.stage in (ASSISTED, HANDED_OVER)
    if round.status_at() == round.Status.OPEN:
        application = application_start(
            round=round,
            organisation=organisation,
            actor=link_worker if assisted else member,
            assisted=assisted,
        )
    else:
        application = _start_late(round, organisation, member)
    _fill(application, spec, actor=link_worker if assisted else member, index=index)

    if spec.stage == HANDED_OVER:
        _hand_over(application, actor=link_worker)
    if spec.stage == OVERRIDDEN:
        from applications.services.applying import eligibility_run

        eligibility_run(application=application)
        eligibility_override(application=application, reason=OVERRIDE_REASON, actor=commissioner)
    if spec.stage in SUBMITTING:
        application = _submit(application, actor=member, at=finished)
        for item in application.due_diligence.all()[: spec.verified]:
            due_diligence_verify(
                item=item, verified=True, note=VERIFY_NOTES[item.code], actor=commissioner
            )
    if spec.stage == REOPENED:
        application_reopen(application=application, reason=REOPEN_REASON, actor=commissioner)
    if spec.stage in (WITHDRAWN, WITHDRAWN_DRAFT):
        application_withdraw(application=application, actor=member)

    times: dict[str, Any] = {"created_at": started}
    if spec.stage not in (REOPENED, WITHDRAWN, WITHDRAWN_DRAFT, HANDED_OVER):
        times["updated_at"] = finished if spec.stage != NOT_STARTED else started
    Application.objects.filter(pk=application.pk).update(**times)


@transaction.atomic
def demo_seed_applications() -> None:
    """Add the demo profiles and applications; running it twice keeps one copy."""
    from rounds.models import Round

    commissioner = User.objects.filter(email=COMMISSIONER_EMAIL).first()
    link_worker = User.objects.filter(email=LINK_WORKER_EMAIL).first()
    rounds = {r.slug: r for r in Round.objects.filter(slug__in=(OPEN_ROUND, CLOSED_ROUND))}
    if commissioner is None or link_worker is None or len(rounds) != 2:
        return  # the core or the rounds demo has not been seeded
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[g.name for g in GROUPS])
    }
    owners: dict[str, User] = {}
    for index, group in enumerate(GROUPS):
        organisation = organisations.get(group.name)
        if organisation is None:
            continue
        owners[group.name] = _owner(group, organisation)
        _profile(group, organisation, owners[group.name], index)
    # References are issued in the order the applications were submitted.
    ordered = sorted(
        enumerate(APPLICATIONS), key=lambda pair: _moments(rounds[pair[1].round], pair[0])[1]
    )
    for index, spec in ordered:
        if spec.group not in organisations:
            continue
        _seed_application(
            spec,
            index=index,
            rounds=rounds,
            organisations=organisations,
            owners=owners,
            commissioner=commissioner,
            link_worker=link_worker,
        )
