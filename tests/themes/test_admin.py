"""Thematic reviews in the admin (superusers only): the list and a record open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_superuser_opens_thematic_reviews_in_the_admin(client, scenario):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:themes_thematicreview_changelist")).status_code == 200
    url = reverse("admin:themes_thematicreview_change", args=[scenario.theme.pk])
    assert client.get(url).status_code == 200
