"""The move of ThematicReview from audits to themes keeps every row: themes created before
the move are read back through the themes app's model after it, with their history, their
audits' link and their content type."""

import datetime

import pytest

from tests.audits.test_migrations import _world

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audits", "0005_oversight_not_by_the_auditor"), ("themes", None)]
AFTER = [("audits", "0006_thematic_reviews_move_to_themes")]


def test_thematic_reviews_and_their_history_keep_their_rows(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    case, tool, team_manager, _practitioner, _service_manager = _world(old)
    theme = old.apps.get_model("audits", "ThematicReview").objects.create(
        organisation_id=case.organisation_id,
        title="Chronologies",
        question="Are chronologies up to date?",
        status="scheduled",
        month=datetime.date(2026, 3, 1),
        tool=tool,
        proposed_by=team_manager,
    )
    old.apps.get_model("audits", "HistoricalThematicReview").objects.create(
        id=theme.pk,
        organisation_id=case.organisation_id,
        title="Chronologies",
        question="Are chronologies up to date?",
        status="proposed",
        history_date=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
        history_type="+",
    )
    audit = old.apps.get_model("audits", "Audit").objects.create(
        organisation_id=case.organisation_id,
        case=case,
        tool=tool,
        auditor=team_manager,
        due_on=datetime.date(2026, 3, 31),
        audit_type="thematic",
        thematic_review=theme,
    )
    content_types = old.apps.get_model("contenttypes", "ContentType").objects
    content_type = content_types.create(app_label="audits", model="thematicreview")

    new = migrator.apply_tested_migration(AFTER)
    moved = new.apps.get_model("themes", "ThematicReview").objects.get(pk=theme.pk)
    assert (moved.title, moved.status, moved.tool_id) == ("Chronologies", "scheduled", tool.pk)
    history = new.apps.get_model("themes", "HistoricalThematicReview").objects.get()
    assert (history.id, history.status) == (theme.pk, "proposed")
    linked = new.apps.get_model("audits", "Audit").objects.get(pk=audit.pk)
    assert linked.thematic_review_id == theme.pk
    assert list(moved.audits.values_list("pk", flat=True)) == [audit.pk]
    content_types = new.apps.get_model("contenttypes", "ContentType").objects
    assert content_types.get(pk=content_type.pk).app_label == "themes"


def test_the_move_of_thematic_reviews_reverses(migrator):
    new = migrator.apply_initial_migration(AFTER)
    content_types = new.apps.get_model("contenttypes", "ContentType").objects
    content_type = content_types.create(app_label="themes", model="thematicreview")
    old = migrator.apply_tested_migration(BEFORE)
    content_types = old.apps.get_model("contenttypes", "ContentType").objects
    assert content_types.get(pk=content_type.pk).app_label == "audits"
    assert old.apps.get_model("audits", "ThematicReview").objects.count() == 0


# The link from an audit to its thematic review moves from the audit's column to the
# themes app's ThemeAudit.
LINK_BEFORE = [
    ("audits", "0007_rota_moves_to_rota"),
    ("themes", "0001_thematic_reviews_from_audits"),
]
LINK_AFTER = [
    ("audits", "0008_audit_thematic_review_moves_to_themes"),
    ("themes", "0003_thematicreview_audits"),
]


def _theme_and_audits(state, count):
    case, tool, team_manager, _practitioner, _service_manager = _world(state)
    theme = state.apps.get_model("themes", "ThematicReview").objects.create(
        organisation_id=case.organisation_id,
        title="Chronologies",
        question="Are chronologies up to date?",
        status="scheduled",
        month=datetime.date(2026, 3, 1),
        tool=tool,
    )
    audits = [
        state.apps.get_model("audits", "Audit").objects.create(
            organisation_id=case.organisation_id,
            case=case,
            tool=tool,
            auditor=team_manager,
            due_on=datetime.date(2026, 3, 31),
            audit_type="thematic",
            theme="Chronologies",
        )
        for _ in range(count)
    ]
    return theme, audits


def test_every_audit_keeps_its_thematic_review_when_the_link_moves_to_themes(migrator):
    old = migrator.apply_initial_migration(LINK_BEFORE)
    theme, (first, second, unlinked) = _theme_and_audits(old, 3)
    other = old.apps.get_model("themes", "ThematicReview").objects.create(
        organisation_id=theme.organisation_id, title="Neglect", question="Is neglect seen?"
    )
    audits = old.apps.get_model("audits", "Audit").objects
    audits.filter(pk=first.pk).update(thematic_review=theme)
    audits.filter(pk=second.pk).update(thematic_review=other)

    new = migrator.apply_tested_migration(LINK_AFTER)
    links = new.apps.get_model("themes", "ThemeAudit").objects
    assert set(links.values_list("audit_id", "theme_id")) == {
        (first.pk, theme.pk),
        (second.pk, other.pk),
    }
    themes = new.apps.get_model("themes", "ThematicReview").objects
    assert list(themes.get(pk=theme.pk).audits.values_list("pk", flat=True)) == [first.pk]
    assert new.apps.get_model("audits", "Audit").objects.filter(pk=unlinked.pk).exists()
    audit_fields = {f.name for f in new.apps.get_model("audits", "Audit")._meta.get_fields()}
    assert "thematic_review" not in audit_fields


def test_the_move_of_the_audits_link_reverses(migrator):
    new = migrator.apply_initial_migration(LINK_AFTER)
    theme, (linked, unlinked) = _theme_and_audits(new, 2)
    new.apps.get_model("themes", "ThemeAudit").objects.create(theme=theme, audit=linked)

    old = migrator.apply_tested_migration(LINK_BEFORE)
    audits = old.apps.get_model("audits", "Audit").objects
    assert audits.get(pk=linked.pk).thematic_review_id == theme.pk
    assert audits.get(pk=unlinked.pk).thematic_review_id is None
