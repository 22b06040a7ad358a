import datetime

from hypothesis import given
from hypothesis import strategies as st

from core.months import add_months, month_end, month_ends_to, month_start

d = datetime.date.fromisoformat
days = st.dates(min_value=d("1990-01-01"), max_value=d("2100-12-31"))


def test_the_end_of_a_month_knows_leap_years():
    assert month_end(d("2028-02-10")) == d("2028-02-29")
    assert month_end(d("2027-02-10")) == d("2027-02-28")
    assert month_end(d("2026-12-31")) == d("2026-12-31")


def test_months_on_keep_the_day_within_the_month():
    assert add_months(d("2027-01-31"), 1) == d("2027-02-28")
    assert add_months(d("2028-03-31"), -1) == d("2028-02-29")
    assert add_months(d("2026-12-15"), 1) == d("2027-01-15")
    assert add_months(d("2027-01-01"), -1) == d("2026-12-01")


@given(days, st.integers(min_value=-240, max_value=240))
def test_months_on_and_back_from_the_first_return_to_it(day, months):
    first = month_start(day)
    assert add_months(add_months(first, months), -months) == first
    assert add_months(first, months).day == 1


def test_month_ends_run_oldest_first_and_finish_today():
    assert month_ends_to(d("2027-01-01"), 3) == [d("2026-11-30"), d("2026-12-31"), d("2027-01-01")]
    assert month_ends_to(d("2028-03-01"), 2) == [d("2028-02-29"), d("2028-03-01")]
