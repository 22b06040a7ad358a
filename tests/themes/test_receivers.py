"""Themes listens to performance: a focused audit an alert proposes becomes a proposed theme
in the planner, through `performance.signals.focused_audit_proposed` (performance must
not import themes)."""

from __future__ import annotations

import pytest

from performance.signals import focused_audit_proposed
from tests.factories import StaffMemberFactory
from themes.models import ThematicReview

pytestmark = pytest.mark.django_db


def test_a_focused_audit_proposal_becomes_a_proposed_theme():
    qa = StaffMemberFactory(qa=True)
    responses = focused_audit_proposed.send(
        sender=object,
        proposal=None,
        organisation=qa.organisation,
        proposed_by=qa,
        title="Focused audit: Re-referrals",
        question="Re-referrals rose. What is happening in the cases behind this figure?",
        source_detail="Re-referrals, April 2026",
    )
    theme = ThematicReview.objects.get()
    assert (theme.title, theme.source, theme.status, theme.proposed_by) == (
        "Focused audit: Re-referrals",
        ThematicReview.Source.INDICATOR,
        ThematicReview.Status.PROPOSED,
        qa,
    )
    assert theme.source_detail == "Re-referrals, April 2026"
    assert [response for _receiver, response in responses] == [theme.get_absolute_url()]


def test_without_a_listener_a_proposal_is_sent_to_no_one():
    qa = StaffMemberFactory(qa=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(focused_audit_proposed, "receivers", [])
        patch.setattr(focused_audit_proposed, "sender_receivers_cache", {})
        responses = focused_audit_proposed.send(
            sender=object,
            proposal=None,
            organisation=qa.organisation,
            proposed_by=qa,
            title="t",
            question="q",
            source_detail="",
        )
    assert responses == []
    assert not ThematicReview.objects.exists()
