"""The move of QARules, Rota and RotaSlot from audits to rota keeps every row: rows created
before the move are read back through the rota app's models after it, with their history,
their links to audits and their content types."""

import datetime

import pytest

from tests.audits.test_migrations import _world

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audits", "0006_thematic_reviews_move_to_themes"), ("rota", None)]
AFTER = [("audits", "0007_rota_moves_to_rota")]
MOVED = ("qarules", "historicalqarules", "rota", "rotaslot", "historicalrotaslot")


def test_qa_rules_rotas_and_slots_keep_their_rows(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    case, tool, team_manager, _practitioner, _service_manager = _world(old)
    model = old.apps.get_model
    rules = model("audits", "QARules").objects.create(
        organisation_id=case.organisation_id, quota_period="quarter", quota=5, reminder_days=3
    )
    model("audits", "HistoricalQARules").objects.create(
        id=rules.pk,
        organisation_id=case.organisation_id,
        quota_period="month",
        quota=1,
        reminder_days=7,
        escalation_days=14,
        updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        history_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        history_type="+",
    )
    rota = model("audits", "Rota").objects.create(
        organisation_id=case.organisation_id,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    audit = model("audits", "Audit").objects.create(
        organisation_id=case.organisation_id,
        case=case,
        tool=tool,
        auditor=team_manager,
        due_on=datetime.date(2026, 1, 31),
    )
    slot = model("audits", "RotaSlot").objects.create(
        rota=rota,
        organisation_id=case.organisation_id,
        manager=team_manager,
        month=datetime.date(2026, 1, 1),
        activity="practice_review",
        case=case,
        status="open",
        audit=audit,
    )
    model("audits", "HistoricalRotaSlot").objects.create(
        id=slot.pk,
        rota_id=rota.pk,
        organisation_id=case.organisation_id,
        manager_id=team_manager.pk,
        month=datetime.date(2026, 1, 1),
        activity="practice_review",
        status="planned",
        history_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        history_type="+",
    )
    content_types = model("contenttypes", "ContentType").objects
    kept = {name: content_types.create(app_label="audits", model=name).pk for name in MOVED}

    new = migrator.apply_tested_migration(AFTER)
    model = new.apps.get_model
    moved_rules = model("rota", "QARules").objects.get(pk=rules.pk)
    assert (moved_rules.quota_period, moved_rules.quota, moved_rules.reminder_days) == (
        "quarter",
        5,
        3,
    )
    assert model("rota", "HistoricalQARules").objects.get().quota_period == "month"
    moved_rota = model("rota", "Rota").objects.get(pk=rota.pk)
    assert moved_rota.ends_on == datetime.date(2026, 12, 31)
    moved_slot = moved_rota.slots.get()
    assert (moved_slot.pk, moved_slot.status, moved_slot.audit_id) == (slot.pk, "open", audit.pk)
    assert model("audits", "Audit").objects.get(pk=audit.pk).rota_slot.pk == slot.pk
    assert model("rota", "HistoricalRotaSlot").objects.get().status == "planned"
    content_types = model("contenttypes", "ContentType").objects
    assert {ct.pk: ct.app_label for ct in content_types.filter(model__in=MOVED)} == {
        pk: "rota" for pk in kept.values()
    }


def test_the_move_of_the_rota_reverses(migrator):
    new = migrator.apply_initial_migration(AFTER)
    content_types = new.apps.get_model("contenttypes", "ContentType").objects
    content_type = content_types.create(app_label="rota", model="rotaslot")
    old = migrator.apply_tested_migration(BEFORE)
    content_types = old.apps.get_model("contenttypes", "ContentType").objects
    assert content_types.get(pk=content_type.pk).app_label == "audits"
    assert old.apps.get_model("audits", "RotaSlot").objects.count() == 0
