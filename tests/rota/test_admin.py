"""The rota's models in the admin (superusers only): each list and record opens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["qarules", "rota", "rotaslot"])
def test_a_superuser_opens_the_rota_models_in_the_admin(client, scenario, model):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    objects = {"qarules": None, "rota": scenario.rota, "rotaslot": scenario.slot}
    assert client.get(reverse(f"admin:rota_{model}_changelist")).status_code == 200
    if objects[model] is not None:
        url = reverse(f"admin:rota_{model}_change", args=[objects[model].pk])
        assert client.get(url).status_code == 200
