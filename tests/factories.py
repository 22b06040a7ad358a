"""factory-boy factories: each builds a valid object; tests override what they assert on."""

from __future__ import annotations

import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from faker import Faker

from cases.models import (
    Adopter,
    Case,
    Child,
    JourneyEvent,
    JourneyStage,
    Organisation,
    Region,
    Service,
    StaffMember,
    Team,
)

PASSWORD = "qaportal-test"


_FAKER = Faker("en_GB")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")
    kind = Organisation.Kind.COUNCIL


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = Service.Kind.LOOKED_AFTER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    service = factory.SubFactory(ServiceFactory)
    organisation = factory.SelfAttribute("service.organisation")
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffMemberFactory(factory.django.DjangoModelFactory):
    """A practitioner unless told otherwise; the traits make the other roles."""

    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    service = factory.SelfAttribute("team.service")
    role = StaffMember.Role.PRACTITIONER
    tier = StaffMember.Tier.NONE

    class Params:
        team_manager = factory.Trait(role=StaffMember.Role.TEAM_MANAGER, tier=StaffMember.Tier.TEAM)
        service_manager = factory.Trait(
            role=StaffMember.Role.SERVICE_MANAGER, tier=StaffMember.Tier.SERVICE
        )
        qa = factory.Trait(role=StaffMember.Role.QA, tier=StaffMember.Tier.SERVICE)
        senior_leader = factory.Trait(
            role=StaffMember.Role.SENIOR_LEADER, tier=StaffMember.Tier.HEAD_OF_SERVICE
        )
        business_support = factory.Trait(role=StaffMember.Role.BUSINESS_SUPPORT)
        regional_lead = factory.Trait(role=StaffMember.Role.REGIONAL_LEAD)


def _surname() -> str:
    """A double-barrelled surname for a child or adopters, so that no member of staff's
    (single, drawn from the same list) and no word of the interface can contain it: tests
    that prove a name is NOT shown cannot then pass or fail by chance."""
    first = _FAKER.last_name()
    second = _FAKER.last_name()
    while second == first:
        second = _FAKER.last_name()
    return f"{first}-{second}"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"CH{n:06d}")
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.LazyFunction(_surname)
    date_of_birth = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=3000)
    )
    gender = Child.Gender.FEMALE
    ethnicity = Child.Ethnicity.WBRI


class AdopterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adopter

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"AD{n:05d}")
    household_name = factory.LazyFunction(_surname)
    household = Adopter.Household.COUPLE


class CaseFactory(factory.django.DjangoModelFactory):
    """An open child case in a team; pass adopter=... and child=None for an adopter case."""

    class Meta:
        model = Case

    team = factory.SubFactory(TeamFactory)
    service = factory.SelfAttribute("team.service")
    organisation = factory.SelfAttribute("team.organisation")
    child = factory.SubFactory(ChildFactory, organisation=factory.SelfAttribute("..organisation"))
    adopter = None
    allocated_worker = None
    status = Case.Status.OPEN
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    journey_stage = JourneyStage.LOOKED_AFTER


class JourneyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JourneyEvent

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    kind = JourneyEvent.Kind.VISIT
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    recorded_on = factory.SelfAttribute("occurred_on")
    seen = True
    seen_alone = True


# Data quality

from performance.models import (  # noqa: E402
    DataQualityIssue,
    DataQualityNote,
    DataQualityRule,
)


class DataQualityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataQualityRule
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"rule-{n}")
    name = factory.Sequence(lambda n: f"Data-quality rule {n}")
    description = "A record is missing something it should have."
    how_to_fix = "Record what is missing."


class DataQualityIssueFactory(factory.django.DjangoModelFactory):
    """An open issue on an open child case, assigned to the case's allocated worker."""

    class Meta:
        model = DataQualityIssue

    rule = factory.SubFactory(DataQualityRuleFactory)
    case = factory.SubFactory(CaseFactory)
    key = factory.LazyAttribute(lambda issue: f"child:{issue.case.child_id}")
    organisation = factory.SelfAttribute("case.organisation")
    team = factory.SelfAttribute("case.team")
    assigned_to = factory.SelfAttribute("case.allocated_worker")
    status = DataQualityIssue.Status.OPEN
    detail = "Ethnicity is not recorded"
    raised_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))


class DataQualityNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataQualityNote

    issue = factory.SubFactory(DataQualityIssueFactory)
    kind = DataQualityNote.Kind.NOTE
    text = "Spoke to the worker."


# Case-data import

from performance.models import ImportProblem, ImportRun  # noqa: E402

IMPORT_CHILDREN_CSV = b"child_id,given_name,family_name\r\nCH900001,Ada,Example\r\n"


class ImportRunFactory(factory.django.DjangoModelFactory):
    """A children file that business support imported: one child created."""

    class Meta:
        model = ImportRun

    organisation = factory.SubFactory(OrganisationFactory)
    uploaded_by = factory.SubFactory(
        StaffMemberFactory,
        business_support=True,
        team=None,
        service=None,
        organisation=factory.SelfAttribute("..organisation"),
    )
    kind = ImportRun.Kind.CHILDREN
    file_name = "children.csv"
    file = factory.django.FileField(filename="children.csv", data=IMPORT_CHILDREN_CSV)
    sha256 = factory.LazyFunction(lambda: hashlib.sha256(IMPORT_CHILDREN_CSV).hexdigest())
    status = ImportRun.Status.APPLIED
    rows_total = 1
    rows_done = 1
    created_count = 1
    details = factory.LazyFunction(
        lambda: {"children": {"created": 1, "updated": 0, "unchanged": 0}}
    )
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)


class ImportProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportProblem

    run = factory.SubFactory(
        ImportRunFactory, status=ImportRun.Status.FAILED, created_count=0, problem_count=1
    )
    file = "children.csv"
    row = 2
    column = "date_of_birth"
    value = "31/02/2020"
    message = "Enter a real date, like 31/03/2024 or 2024-03-31"


# Practice observations

from observations.models import Observation, ObservationAction, Setting  # noqa: E402


class ObservationFactory(factory.django.DjangoModelFactory):
    """A draft observation of a practitioner by their team manager, at a home visit."""

    class Meta:
        model = Observation

    practitioner = factory.SubFactory(StaffMemberFactory)
    observer = factory.SubFactory(
        StaffMemberFactory,
        team_manager=True,
        team=factory.SelfAttribute("..practitioner.team"),
    )
    organisation = factory.SelfAttribute("observer.organisation")
    setting = Setting.HOME_VISIT
    observed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    status = Observation.Status.DRAFT


class ObservationActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObservationAction

    observation = factory.SubFactory(ObservationFactory)
    organisation = factory.SelfAttribute("observation.organisation")
    description = "Plan direct work with the child"
    owner = factory.SelfAttribute("observation.practitioner")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


# Feedback, themes and "you said, we did".


class FeedbackThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feedback.FeedbackTheme"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class FeedbackFactory(factory.django.DjangoModelFactory):
    """Positive feedback from a parent about a case, received ten days ago."""

    class Meta:
        model = "feedback.Feedback"

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    team = factory.SelfAttribute("case.team")
    service = factory.SelfAttribute("case.service")
    source = "parent"
    channel = "conversation"
    received_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    said = "Our worker listens to us."
    sentiment = "positive"


# Complaints and compliments

from core.dates import add_working_days  # noqa: E402
from feedback.models.complaints import (  # noqa: E402
    Complaint,
    ComplaintAction,
    ComplaintPoint,
    ComplaintStage,
    Compliment,
    PersonType,
)


class ComplaintFactory(factory.django.DjangoModelFactory):
    """An open complaint from a parent about a case in a team, received ten days ago, at
    stage 1 with one point of complaint."""

    class Meta:
        model = Complaint
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    team = factory.SelfAttribute("case.team")
    service = factory.SelfAttribute("case.service")
    reference = factory.Sequence(lambda n: f"CMP-T-{n:05d}")
    received_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    complainant_type = PersonType.PARENT
    summary = "Nobody returned my calls."

    @factory.post_generation
    def stage_one(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        ComplaintStage.objects.create(
            organisation=self.organisation,
            complaint=self,
            stage=1,
            started_on=self.received_on,
            due_on=add_working_days(self.received_on, 10),
        )
        ComplaintPoint.objects.create(
            organisation=self.organisation, complaint=self, number=1, text="Calls not returned."
        )


class ComplaintActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintAction

    complaint = factory.SubFactory(ComplaintFactory)
    organisation = factory.SelfAttribute("complaint.organisation")
    description = "Name a contact for every family"
    owner = factory.SubFactory(
        StaffMemberFactory, team=factory.SelfAttribute("..complaint.team"), team_manager=True
    )
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class ComplimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compliment

    worker = factory.SubFactory(StaffMemberFactory)
    organisation = factory.SelfAttribute("worker.organisation")
    team = factory.SelfAttribute("worker.team")
    service = factory.SelfAttribute("worker.service")
    received_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    from_type = PersonType.PARENT
    what_they_said = "She listened to us."


# Adoption panel evaluations

from feedback.models import PanelEvaluation, PanelItem, PanelMeeting  # noqa: E402


class PanelMemberFactory(StaffMemberFactory):
    """An adoption panel member: of an organisation, in no team."""

    team = None
    service = None
    organisation = factory.SubFactory(OrganisationFactory)
    role = StaffMember.Role.PANEL_MEMBER


class PanelMeetingFactory(factory.django.DjangoModelFactory):
    """A meeting ten days ago, chaired by a panel member of its organisation."""

    class Meta:
        model = PanelMeeting
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    chair = factory.SubFactory(
        PanelMemberFactory, organisation=factory.SelfAttribute("..organisation")
    )
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)


class PanelItemFactory(factory.django.DjangoModelFactory):
    """An adopter household's approval, presented by the case's worker; not yet sent."""

    class Meta:
        model = PanelItem

    meeting = factory.SubFactory(PanelMeetingFactory)
    organisation = factory.SelfAttribute("meeting.organisation")
    case = factory.SubFactory(
        CaseFactory,
        team__service__organisation=factory.SelfAttribute("....meeting.organisation"),
        team__service__kind=Service.Kind.ADOPTION_RECRUITMENT,
        child=None,
        adopter=factory.SubFactory(
            AdopterFactory, organisation=factory.SelfAttribute("..organisation")
        ),
        journey_stage=JourneyStage.STAGE_TWO,
    )
    kind = PanelItem.Kind.APPROVAL
    social_worker = factory.SubFactory(
        StaffMemberFactory, team=factory.SelfAttribute("..case.team")
    )
    team_manager = factory.SubFactory(
        StaffMemberFactory, team=factory.SelfAttribute("..case.team"), team_manager=True
    )


class PanelEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelEvaluation

    item = factory.SubFactory(PanelItemFactory)
    organisation = factory.SelfAttribute("item.organisation")
    member = factory.SelfAttribute("item.meeting.chair")
    report = 3
    presentation = 3
    analysis = 3
    comments = ""


# Dispute resolution (feedback/models/disputes.py).


class IndependentChairFactory(StaffMemberFactory):
    """An independent reviewing officer (or child protection chair)."""

    role = StaffMember.Role.INDEPENDENT_REVIEWER


class ChallengeFactory(factory.django.DjangoModelFactory):
    """An open informal challenge about a looked-after child's case, with its stage (due
    five working days after it was raised), by a chair of the case's organisation."""

    class Meta:
        model = "feedback.Challenge"
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    raised_by = factory.SubFactory(
        IndependentChairFactory, team=factory.SelfAttribute("..case.team")
    )
    raised_on = factory.LazyFunction(timezone.localdate)
    description = "The care plan has not been updated since the last review."
    stage = "informal"
    due_on = factory.LazyAttribute(lambda o: _working_days_on(o.raised_on, 5))

    @factory.post_generation
    def with_stage(self, create, extracted, **kwargs):
        if not create:
            return
        from feedback.models import ChallengeStage, ChallengeThemeTag

        ChallengeStage.objects.create(
            organisation=self.organisation,
            challenge=self,
            stage=self.stage,
            raised_on=self.raised_on,
            due_on=self.due_on,
        )
        ChallengeThemeTag.objects.create(
            organisation=self.organisation, challenge=self, theme="care_plan"
        )


def _working_days_on(day: datetime.date, days: int) -> datetime.date:
    from core.dates import add_working_days

    return add_working_days(day, days)


# Questionnaires raised by journey events

from feedback.models import Questionnaire  # noqa: E402


class AdopterCaseFactory(CaseFactory):
    """An adopter household's case in an adoption recruitment team, allocated to a worker
    of that team."""

    team = factory.SubFactory(TeamFactory, service__kind=Service.Kind.ADOPTION_RECRUITMENT)
    child = None
    adopter = factory.SubFactory(
        AdopterFactory, organisation=factory.SelfAttribute("..organisation")
    )
    allocated_worker = factory.SubFactory(StaffMemberFactory, team=factory.SelfAttribute("..team"))
    journey_stage = JourneyStage.STAGE_TWO


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    """An exit questionnaire waiting for an answer, raised by its case's adoption order
    (made directly: the event is written without signals, as the import writes them)."""

    class Meta:
        model = Questionnaire

    case = factory.SubFactory(AdopterCaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    kind = Questionnaire.Kind.EXIT
    event = factory.LazyAttribute(
        lambda o: JourneyEvent.objects.bulk_create(
            [
                JourneyEvent(
                    organisation=o.case.organisation,
                    case=o.case,
                    kind=JourneyEvent.Kind.ADOPTION_ORDER,
                    occurred_on=timezone.localdate() - datetime.timedelta(days=5),
                    recorded_on=timezone.localdate() - datetime.timedelta(days=5),
                )
            ]
        )[0]
    )
    raised_on = factory.LazyFunction(timezone.localdate)


# ---------------------------------------------------------------------------------------
# The board (governance): graded audits, made directly (the board counts what is stored).


class AuditToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "audits.AuditTool"

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"tool-{n}")
    name = factory.Sequence(lambda n: f"Practice review {n}")
    status = "published"
    audit_types = factory.LazyFunction(lambda: ["regular"])


class GradedAuditFactory(factory.django.DjangoModelFactory):
    """A submitted audit of a case, graded good; pass submitted_at and overall_grade."""

    class Meta:
        model = "audits.Audit"

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    tool = factory.SubFactory(
        AuditToolFactory, organisation=factory.SelfAttribute("..organisation")
    )
    auditor = factory.SubFactory(
        StaffMemberFactory, team_manager=True, team=factory.SelfAttribute("..case.team")
    )
    due_on = factory.LazyFunction(timezone.localdate)
    status = "submitted"
    overall_grade = "good"
    submitted_at = factory.LazyFunction(timezone.now)
    # What submitting keeps on the audit: the service and team it counts for.
    service = factory.SelfAttribute("case.service")
    team = factory.SelfAttribute("case.team")


# --- Governance: the board's process changes (branch spc) ---

from governance.models import ProcessChange  # noqa: E402


class ProcessChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessChange

    organisation = factory.SubFactory(OrganisationFactory)
    measure = "visits-on-time"
    changed_on = datetime.date(2025, 4, 1)
    reason = "A new front door."


# --- Reports: monthly and quarterly (branch builders-mq) ---
# Each dates what it makes explicitly (a month, a day): the report tests freeze time
# after fixtures run.


class RotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "rota.Rota"

    organisation = factory.SubFactory(OrganisationFactory)
    starts_on = datetime.date(2026, 4, 1)
    ends_on = datetime.date(2027, 3, 31)


class RotaSlotFactory(factory.django.DjangoModelFactory):
    """A practice review slot of a team manager, open, in October 2026."""

    class Meta:
        model = "rota.RotaSlot"

    manager = factory.SubFactory(StaffMemberFactory, team_manager=True)
    organisation = factory.SelfAttribute("manager.organisation")
    rota = factory.SubFactory(RotaFactory, organisation=factory.SelfAttribute("..organisation"))
    month = datetime.date(2026, 10, 1)
    activity = "practice_review"
    status = "open"


class ThematicReviewFactory(factory.django.DjangoModelFactory):
    """A thematic review scheduled for October 2026."""

    class Meta:
        model = "themes.ThematicReview"

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Spotlight {n}")
    question = "Are plans specific?"
    status = "scheduled"
    month = datetime.date(2026, 10, 1)


class ThemeAuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "themes.ThemeAudit"

    theme = factory.SubFactory(ThematicReviewFactory)
    audit = factory.SubFactory(GradedAuditFactory)  # pass one of the theme's organisation


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Priority"

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    position = factory.Sequence(lambda n: n)


class PlanActionFactory(factory.django.DjangoModelFactory):
    """An action of the plan's own, not started, raised on 1 October 2026, due by the end
    of the year: under `priority` (then of its organisation) or, without one, of
    `organisation`."""

    class Meta:
        model = "governance.PlanAction"

    priority = None
    organisation = factory.LazyAttribute(
        lambda o: o.priority.organisation if o.priority is not None else OrganisationFactory()
    )
    title = factory.Sequence(lambda n: f"Action {n}")
    source = "plan"
    status = "not_started"
    raised_on = datetime.date(2026, 10, 1)
    due_on = datetime.date(2026, 12, 31)


class ExternalReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.ExternalReview"

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "inspection"
    title = factory.Sequence(lambda n: f"Inspection {n}")
    reported_on = datetime.date(2026, 12, 1)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    """An organisation-level value of an indicator for October 2026."""

    class Meta:
        model = "performance.IndicatorValue"

    organisation = factory.SubFactory(OrganisationFactory)
    indicator = "visits-in-timescale"
    level = "organisation"
    month = datetime.date(2026, 10, 1)
    numerator = 8
    denominator = 10
    value = 80.0


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "performance.Target"

    organisation = factory.SubFactory(OrganisationFactory)
    indicator = "visits-in-timescale"
    value = 90.0
    starts_on = datetime.date(2025, 4, 1)


# --- Governance: scheduled reports (branch reports) ---

from governance.models import Report  # noqa: E402


class ReportFactory(factory.django.DjangoModelFactory):
    """A generated draft report whose content the tests' fixture builder made
    (tests/governance/report_builder_fixture.py); `status`, `period_*` may be overridden."""

    class Meta:
        model = Report

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "quarterly"
    period_start = datetime.date(2026, 10, 1)
    period_end = datetime.date(2026, 12, 31)
    period_label = "October to December 2026"
    status = Report.Status.DRAFT
    generated_at = factory.LazyFunction(timezone.now)
    progress_done = 2
    progress_total = 2

    @factory.lazy_attribute
    def content(self) -> dict:
        from governance.report_content import Period
        from tests.governance.report_builder_fixture import build

        period = Period(start=self.period_start, end=self.period_end, label=self.period_label)
        return build(self.organisation, period).to_json()


# --- Governance: boards and meetings, learning briefs (branch boards) ---

from governance.models import Board, LearningBrief, Meeting  # noqa: E402


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Practice Improvement Board {n}")
    kind = Board.Kind.PRACTICE_IMPROVEMENT
    frequency = Board.Frequency.FORTNIGHTLY


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned meeting; pass `date` where the calendar matters."""

    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    organisation = factory.SelfAttribute("board.organisation")
    date = datetime.date(2027, 3, 10)
    place = "Room 2"


class LearningBriefFactory(factory.django.DjangoModelFactory):
    """A draft brief for the whole organisation, every part written."""

    class Meta:
        model = LearningBrief

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Seven minutes on plans {n}")
    found = "Plans did not say what would change."
    matters = "Children need plans they recognise."
    good_looks_like = "Plans written with the family."
    questions = "Which of your plans would the child recognise?"
