"""The shared case model: who works where, the children and adopters, and their journeys.

Every record belongs to exactly one organisation. Querysets of case data are scoped with
`visible_to(user)` (see cases/querysets.py); nothing else decides who sees what.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.querysets import (
    AccessLogQuerySet,
    AdopterQuerySet,
    CaseQuerySet,
    ChildQuerySet,
    FamilyLinkQuerySet,
    JourneyEventQuerySet,
    ServiceQuerySet,
    StaffMemberQuerySet,
    TeamQuerySet,
)
from cases.roles import Role


class Region(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        TRUST = "trust", "Children's trust"
        ADOPTION_AGENCY = "raa", "Regional adoption agency"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Kind(models.TextChoices):
        FRONT_DOOR = "front_door", "Front door"
        ASSESSMENT = "assessment", "Assessment"
        CHILD_IN_NEED = "child_in_need", "Child in need"
        CHILD_PROTECTION = "child_protection", "Child protection"
        LOOKED_AFTER = "looked_after", "Children looked after"
        CARE_LEAVERS = "care_leavers", "Care leavers"
        EARLY_HELP = "early_help", "Early help"
        ADOPTION_RECRUITMENT = "adoption_recruitment", "Adoption recruitment and assessment"
        FAMILY_FINDING = "family_finding", "Family finding"
        ADOPTION_SUPPORT = "adoption_support", "Adoption support"

    ADOPTION_KINDS = (Kind.ADOPTION_RECRUITMENT, Kind.FAMILY_FINDING, Kind.ADOPTION_SUPPORT)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=32, choices=Kind.choices)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="service_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=160)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="team_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('cases:case_list')}?team={self.pk}"


class StaffMember(models.Model):
    """The person behind a login: their role decides what they may see and do."""

    Role = Role

    class Tier(models.IntegerChoices):
        NONE = 0, "Not a manager"
        TEAM = 1, "Team manager"
        SERVICE = 2, "Service manager"
        HEAD_OF_SERVICE = 3, "Head of service"
        DIRECTOR = 4, "Director"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=32, choices=Role.choices)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.NONE)
    job_title = models.CharField(max_length=120, blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.TEAM_MANAGER) | Q(team__isnull=False),
                name="team_manager_has_team",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.SERVICE_MANAGER) | Q(service__isnull=False),
                name="service_manager_has_service",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.PRACTITIONER) | Q(team__isnull=False),
                name="practitioner_has_team",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @staticmethod
    def name_columns(prefix: str = "") -> tuple[str, ...]:
        """The columns `display_name` reads, for a query (`.only()`) that shows a member of
        staff's name and no more: through `prefix` (e.g. "auditor__")."""
        return tuple(f"{prefix}user__{name}" for name in ("first_name", "last_name", "username"))

    @property
    def is_manager(self) -> bool:
        return self.tier >= self.Tier.TEAM


class Child(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Not known"

    class Ethnicity(models.TextChoices):
        # The DfE children-in-need and looked-after census codes.
        WBRI = "WBRI", "White British"
        WIRI = "WIRI", "White Irish"
        WIRT = "WIRT", "Traveller of Irish heritage"
        WOTH = "WOTH", "Any other White background"
        WROM = "WROM", "Gypsy/Roma"
        MWBC = "MWBC", "White and Black Caribbean"
        MWBA = "MWBA", "White and Black African"
        MWAS = "MWAS", "White and Asian"
        MOTH = "MOTH", "Any other mixed background"
        AIND = "AIND", "Indian"
        APKN = "APKN", "Pakistani"
        ABAN = "ABAN", "Bangladeshi"
        AOTH = "AOTH", "Any other Asian background"
        BCRB = "BCRB", "Caribbean"
        BAFR = "BAFR", "African"
        BOTH = "BOTH", "Any other Black background"
        CHNE = "CHNE", "Chinese"
        OOTH = "OOTH", "Any other ethnic group"
        REFU = "REFU", "Refused"
        NOBT = "NOBT", "Information not yet obtained"

    class LegalStatus(models.TextChoices):
        # SSDA903 legal status codes.
        C1 = "C1", "Interim care order"
        C2 = "C2", "Full care order"
        D1 = "D1", "Freeing order granted"
        E1 = "E1", "Placement order granted"
        J1 = "J1", "Remanded to local authority accommodation"
        J2 = "J2", "Placed under PACE"
        J3 = "J3", "Sentenced to CYPA 1969 supervision order with residence requirement"
        L1 = "L1", "Under police protection and in local authority accommodation"
        L2 = "L2", "Emergency protection order"
        L3 = "L3", "Under child assessment order and in local authority accommodation"
        V2 = "V2", "Single period of accommodation under section 20"
        V3 = "V3", "Accommodated under an agreed series of short-term breaks"
        V4 = "V4", "Accommodated under an agreed series of short-term breaks (individual)"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="children"
    )
    reference = models.CharField("child ID", max_length=40)
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices, blank=True)

    objects = ChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="child_reference_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.reference})"

    def get_absolute_url(self) -> str:
        return reverse("cases:child_detail", kwargs={"child_pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())


class Adopter(models.Model):
    """A prospective or approved adoptive household."""

    class Household(models.TextChoices):
        SINGLE = "single", "Single adopter"
        COUPLE = "couple", "Couple"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="adopters"
    )
    reference = models.CharField("adopter ID", max_length=40)
    household_name = models.CharField(max_length=160)
    household = models.CharField(max_length=16, choices=Household.choices)

    objects = AdopterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["household_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                name="adopter_reference_unique_in_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_name} ({self.reference})"

    def get_absolute_url(self) -> str:
        return reverse("cases:adopter_detail", kwargs={"adopter_pk": self.pk})


class JourneyStage(models.TextChoices):
    # The child's journey, from the front door to adoption or leaving care.
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    LOOKED_AFTER = "looked_after", "Looked after"
    EARLY_TRACKING = "early_tracking", "Adoption early tracking"
    PLACEMENT_ORDER = "placement_order", "Placement order"
    LINKED = "linked", "Linked"
    MATCHED = "matched", "Matched"
    PLACED = "placed", "Placed for adoption"
    ADOPTED = "adopted", "Adopted"
    CARE_LEAVER = "care_leaver", "Care leaver"
    # The adopter's journey, from enquiry to placement and support.
    ENQUIRY = "enquiry", "Enquiry"
    STAGE_ONE = "stage_one", "Stage one"
    STAGE_TWO = "stage_two", "Stage two"
    APPROVED = "approved", "Approved, waiting"
    ADOPTION_SUPPORT = "adoption_support", "Adoption support"
    CLOSED = "closed", "Closed"


CHILD_STAGES = (
    JourneyStage.REFERRAL,
    JourneyStage.ASSESSMENT,
    JourneyStage.CHILD_IN_NEED,
    JourneyStage.CHILD_PROTECTION,
    JourneyStage.LOOKED_AFTER,
    JourneyStage.EARLY_TRACKING,
    JourneyStage.PLACEMENT_ORDER,
    JourneyStage.LINKED,
    JourneyStage.MATCHED,
    JourneyStage.PLACED,
    JourneyStage.ADOPTED,
    JourneyStage.CARE_LEAVER,
    JourneyStage.CLOSED,
)
ADOPTER_STAGES = (
    JourneyStage.ENQUIRY,
    JourneyStage.STAGE_ONE,
    JourneyStage.STAGE_TWO,
    JourneyStage.APPROVED,
    JourneyStage.LINKED,
    JourneyStage.MATCHED,
    JourneyStage.PLACED,
    JourneyStage.ADOPTED,
    JourneyStage.ADOPTION_SUPPORT,
    JourneyStage.CLOSED,
)


# Days allowed between statutory visits, by service. Local policy, here in one place:
# children looked after every six weeks, child protection every ten working days
# (taken as 14 calendar days), children in need every four weeks.
VISIT_INTERVAL_DAYS = {
    Service.Kind.LOOKED_AFTER: 42,
    Service.Kind.CHILD_PROTECTION: 14,
    Service.Kind.CHILD_IN_NEED: 28,
}


class Case(models.Model):
    """An involvement with one subject: exactly one of a child or an adopter household."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    adopter = models.ForeignKey(
        Adopter, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    allocated_worker = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    journey_stage = models.CharField(max_length=24, choices=JourneyStage.choices)
    # The case's ID in the system it was imported from (performance case-data import):
    # re-importing a file finds the case by it. Empty for cases entered here.
    source_ref = models.CharField("source reference", max_length=80, blank=True)

    # Kept by `cases.services.visit_dates_refresh` whenever the case or its visits change
    # (a save, an import, the demo): the last visit, and for an open case in a visiting
    # service the day its next visit is due, so the pages that list visits due read them
    # off an index instead of finding every case's last visit on each request.
    last_visit_on = models.DateField(null=True, blank=True, editable=False)
    next_visit_due_on = models.DateField(null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_visit_on", "next_visit_due_on"])

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(child__isnull=False, adopter__isnull=True)
                    | Q(child__isnull=True, adopter__isnull=False)
                ),
                name="case_has_exactly_one_subject",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="open", closed_on__isnull=True)
                    | Q(status="closed", closed_on__isnull=False)
                ),
                name="case_closed_iff_closed_on",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_it_opens",
            ),
            # Also the index the import looks cases up by.
            models.UniqueConstraint(
                fields=["organisation", "source_ref"],
                condition=~Q(source_ref=""),
                name="case_source_ref_unique_in_organisation",
            ),
        ]
        indexes = [
            # Open cases by service, and the unallocated ones (every manager's home page),
            # and the regional lead's counts of each organisation's open cases: counted
            # from the index alone, in the service's order.
            models.Index(
                fields=[
                    "organisation",
                    "status",
                    "service",
                    "allocated_worker",
                    "journey_stage",
                    "child",
                    "adopter",
                ],
                name="case_org_status_summary",
            ),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["service", "status"]),
            models.Index(fields=["allocated_worker", "status"]),
            # The case list's default order (newest first), for an organisation-wide
            # reader and for a team: a page is read off the index, not sorted from all.
            models.Index(fields=["organisation", "-opened_on", "-id"], name="case_org_newest"),
            models.Index(fields=["team", "-opened_on", "-id"], name="case_team_newest"),
            # Visits due, for each reader's scope: organisation, service, team, worker.
            models.Index(fields=["organisation", "next_visit_due_on"], name="case_org_visit_due"),
            models.Index(fields=["service", "next_visit_due_on"], name="case_service_visit_due"),
            models.Index(fields=["team", "next_visit_due_on"], name="case_team_visit_due"),
            models.Index(
                fields=["allocated_worker", "next_visit_due_on"], name="case_worker_visit_due"
            ),
            # A case's service and team by its id, from the index alone: figures that split
            # audits or other records by their case's service or team join to the cases for
            # those two columns only. Without it PostgreSQL hashed every case of the council
            # for them: the board's audit grades by service read all 26,848 cases of the
            # large demo to place 1,880 audits, 12 ms, and 5 ms with this index. (On SQLite
            # the id is the row's own key, so it finds a case's row directly either way.)
            models.Index(fields=["id", "service", "team"], name="case_id_service_team"),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}: {self.subject}"

    def get_absolute_url(self) -> str:
        return f"{self.subject.get_absolute_url()}#case-{self.pk}"

    @property
    def subject(self) -> Child | Adopter:
        return self.child if self.child_id else self.adopter


class JourneyEvent(models.Model):
    """Something that happened on a case, with when it happened and when it was recorded."""

    class Kind(models.TextChoices):
        # The child's journey.
        REFERRAL = "referral", "Referral"
        ASSESSMENT_STARTED = "assessment_started", "Assessment started"
        ASSESSMENT_COMPLETED = "assessment_completed", "Assessment completed"
        STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
        S47_STARTED = "s47_started", "Section 47 enquiry started"
        S47_COMPLETED = "s47_completed", "Section 47 enquiry completed"
        ICPC = "icpc", "Initial child protection conference"
        CP_PLAN_STARTED = "cp_plan_started", "Child protection plan started"
        CP_PLAN_ENDED = "cp_plan_ended", "Child protection plan ended"
        CIN_PLAN_STARTED = "cin_plan_started", "Child in need plan started"
        BECAME_LOOKED_AFTER = "became_looked_after", "Became looked after"
        PLACEMENT_STARTED = "placement_started", "Placement started"
        PLACEMENT_ENDED = "placement_ended", "Placement ended"
        CEASED_LOOKED_AFTER = "ceased_looked_after", "Ceased to be looked after"
        CARE_PROCEEDINGS_ISSUED = "care_proceedings_issued", "Care proceedings issued"
        CARE_PROCEEDINGS_CONCLUDED = "care_proceedings_concluded", "Care proceedings concluded"
        MISSING_EPISODE = "missing_episode", "Missing from home or care"
        EARLY_TRACKING = "early_tracking", "Referred for adoption early tracking"
        SHOULD_BE_PLACED = "should_be_placed", "Agency decision: should be placed for adoption"
        PLACEMENT_ORDER = "placement_order", "Placement order granted"
        # The adopter's journey.
        ENQUIRY = "enquiry", "Enquiry"
        STAGE_ONE_STARTED = "stage_one_started", "Stage one started"
        STAGE_ONE_COMPLETED = "stage_one_completed", "Stage one completed"
        STAGE_TWO_STARTED = "stage_two_started", "Stage two started"
        STAGE_TWO_COMPLETED = "stage_two_completed", "Stage two completed"
        PANEL = "panel", "Adoption panel"
        APPROVAL = "approval", "Agency decision: approved as adopter"
        WITHDRAWN = "withdrawn", "Withdrew from assessment"
        # Both journeys.
        LINKED = "linked", "Linked"
        MATCHED = "matched", "Matched"
        PLACED_FOR_ADOPTION = "placed_for_adoption", "Placed for adoption"
        ADOPTION_ORDER = "adoption_order", "Adoption order granted"
        VISIT = "visit", "Visit"
        REVIEW = "review", "Review"
        SUPERVISION = "supervision", "Case supervision"
        CASE_CLOSED = "case_closed", "Case closed"

    class PlacementType(models.TextChoices):
        FOSTER = "foster", "Foster care"
        KINSHIP = "kinship", "Family and friends (kinship) care"
        RESIDENTIAL = "residential", "Children's home"
        ADOPTION = "adoption", "Placed for adoption"
        PARENTS = "parents", "Placed with parents"
        INDEPENDENT = "independent", "Independent living"
        OTHER = "other", "Other placement"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="journey_events"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    occurred_on = models.DateField()
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_events",
    )
    # Visits: was the child seen, and seen alone? Left empty when not recorded.
    seen = models.BooleanField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    placement_type = models.CharField(max_length=16, choices=PlacementType.choices, blank=True)
    outcome = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True)
    # The event's ID in the system it was imported from (see Case.source_ref).
    source_ref = models.CharField("source reference", max_length=80, blank=True)

    objects = JourneyEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recorded_on__gte=models.F("occurred_on")),
                name="event_recorded_on_or_after_it_occurred",
            ),
            models.CheckConstraint(
                condition=~Q(seen_alone=True) | Q(seen=True),
                name="event_seen_alone_implies_seen",
            ),
            # Also the index the import looks events up by.
            models.UniqueConstraint(
                fields=["organisation", "source_ref"],
                condition=~Q(source_ref=""),
                name="event_source_ref_unique_in_organisation",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "occurred_on"]),
            models.Index(fields=["organisation", "kind", "occurred_on"]),
            # Each case's last visit (visits due on the home pages and the case list).
            models.Index(fields=["case", "kind", "-occurred_on"], name="event_case_last_of_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return f"{self.case.subject.get_absolute_url()}#event-{self.pk}"

    @property
    def days_to_record(self) -> int:
        return (self.recorded_on - self.occurred_on).days


class FamilyLink(models.Model):
    """A one-use link that a child, parent or adopter opens without an account, on a phone,
    to answer one form about their case: feedback, a questionnaire, the family's part of a
    practice review. What the form is and where its answers go is the purpose an app
    registered (`core.registry.link_purposes`); `target_id` names the record the answers
    belong to (a questionnaire, an audit) where the purpose needs one.

    Only a digest of the token is kept: the link itself is shown once, to the member of
    staff who made it. It works until it is used, expires or is withdrawn, and the page it
    opens shows nothing of the record."""

    class Audience(models.TextChoices):
        CHILD = "child", "A child or young person (simpler words and a face scale)"
        ADULT = "adult", "A parent, carer or adopter"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="family_links"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="family_links")
    purpose = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.ADULT)
    # Who it is for, in the staff's words ("Mum", "Jo (14)"): shown to staff only.
    recipient = models.CharField(max_length=80, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = FamilyLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "purpose", "target_id"])]

    def __str__(self) -> str:
        return f"One-use link {self.pk} ({self.purpose}) for case {self.case_id}"

    @property
    def status(self) -> str:
        if self.used_at:
            return "Used"
        if self.withdrawn_at:
            return "Withdrawn"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Waiting for an answer"

    @property
    def is_open(self) -> bool:
        return self.status == "Waiting for an answer"


class AccessLog(models.Model):
    """One response that showed or downloaded children's or adopters' details: who, what
    (the children and adopters in it, and how) and when. Written only by AccessLogMiddleware
    (cases/access.py), one entry per response and organisation of the records shown."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        SEARCHED = "searched", "Searched"
        DOWNLOADED = "downloaded", "Downloaded"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="access_logs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_logs"
    )
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.VIEWED)
    children = models.ManyToManyField(Child, blank=True, related_name="access_logs")
    adopters = models.ManyToManyField(Adopter, blank=True, related_name="access_logs")
    path = models.CharField(max_length=300)
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-viewed_at"])]

    def __str__(self) -> str:
        action = self.get_action_display().lower()
        return f"{self.user} {action} {self.path} at {self.viewed_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message to one person, shown in the header count and on their notifications page,
    and sent by e-mail. `key` makes sending idempotent: one notification per key and person
    (for example "audit:12:reminder:2026-11-22": one reminder per audit per day)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        ESCALATION = "escalation", "Escalation"
        ASSIGNMENT = "assignment", "New work"
        INFORMATION = "information", "Information"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="notifications"
    )
    recipient = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject
