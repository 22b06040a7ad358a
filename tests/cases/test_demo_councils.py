"""More councils in the demo region (`load_demo --councils N`): each its own names and
references, and nothing of the named region changes (names, logins, loading order)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.demo.spec import region_spec
from cases.demo.staff import people_for


def test_further_councils_come_last_and_leave_every_earlier_login_as_it_was():
    for large in (False, True):
        named = region_spec(large=large)
        many = region_spec(large=large, councils=20)
        assert len(named) == 4
        assert len(many) == 21
        assert [o.slug for o in many[:4]] == [o.slug for o in named]
        assert len({o.slug for o in many}) == len({o.prefix for o in many}) == 21
        assert all(o.kind == "council" and o.children for o in many[4:])
        before, after = people_for(named), people_for(many)
        assert {key: after[key] for key in before} == before
        usernames = [person.username for person in after.values()]
        assert len(usernames) == len(set(usernames))


@pytest.mark.parametrize("councils", ["2", "24"])
def test_the_number_of_councils_is_checked(councils):
    with pytest.raises(CommandError, match="between 3 and 23"):
        call_command("load_demo", "--councils", councils, stdout=StringIO())
