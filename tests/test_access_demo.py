"""The URL walk again, on the demo data: every URL with an argument, filled from demo
objects, tried by the demo logins that must not see them."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from cases.models import Case, Child, StaffMember
from tests.test_access import OBJECT_URLS

pytestmark = pytest.mark.django_db

# Who must be refused, and who must be let in, for each kind of demo object.
OUTSIDERS = {
    "child": ("other.manager", "regional.lead"),
    "adopter": ("qa.manager", "team.manager", "practitioner", "other.manager", "regional.lead"),
}
CHILD_INSIDERS = ("practitioner", "team.manager", "qa.manager", "senior.leader", "business.support")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[dict[str, object]]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        practitioner = StaffMember.objects.get(user__username="practitioner")
        child_case = Case.objects.filter(allocated_worker=practitioner, child__isnull=False)
        adopter_case = (
            Case.objects.filter(adopter__isnull=False, allocated_worker__isnull=False)
            .select_related("adopter", "allocated_worker__user")
            .order_by("pk")
            .first()
        )
        yield {
            "adopter_worker": adopter_case.allocated_worker.user.username,
            "child": Child.objects.get(pk=child_case.values_list("child", flat=True)[0]),
            "adopter": adopter_case.adopter,
        }
        transaction.set_rollback(True)


def _resolve(name: str, args: list[str], demo: dict[str, object]) -> tuple[str, str]:
    kinds = {"child_pk": "child", "adopter_pk": "adopter"}
    unknown = [arg for arg in args if arg not in kinds]
    assert not unknown, f"teach {__file__} which demo object fills {unknown}"
    kwargs = {arg: demo[kinds[arg]].pk for arg in args}
    return reverse(name, kwargs=kwargs), kinds[args[0]]


@pytest.mark.parametrize(("name", "args"), OBJECT_URLS)
def test_demo_logins_out_of_scope_are_refused(client, demo, name, args):
    url, kind = _resolve(name, args, demo)
    for username in OUTSIDERS[kind]:
        client.force_login(StaffMember.objects.get(user__username=username).user)
        status = client.get(url).status_code
        assert status in (403, 404), f"{username} got {status} at {url}"


@pytest.mark.parametrize(("name", "args"), OBJECT_URLS)
def test_demo_logins_in_scope_are_let_in(client, demo, name, args):
    url, kind = _resolve(name, args, demo)
    insiders = CHILD_INSIDERS if kind == "child" else (demo["adopter_worker"],)
    for username in insiders:
        client.force_login(StaffMember.objects.get(user__username=username).user)
        assert client.get(url).status_code == 200, f"{username} was refused {url}"
