"""Belgian calendar arithmetic: Easter, public holidays, working days and the GDPR month rule."""

from __future__ import annotations

import datetime as dt

import pytest

from tools.calendar import add_months, belgian_public_holidays, easter, is_working_day, next_working_day

D = dt.date


@pytest.mark.parametrize(
    ("year", "sunday"),
    [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28))],
)
def test_easter(year: int, sunday: dt.date) -> None:
    assert easter(year) == sunday


def test_ten_public_holidays_of_2026() -> None:
    assert belgian_public_holidays(2026) == {
        D(2026, 1, 1),
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 1),
        D(2026, 5, 14),  # Ascension
        D(2026, 5, 25),  # Whit Monday
        D(2026, 7, 21),
        D(2026, 8, 15),
        D(2026, 11, 1),
        D(2026, 11, 11),
        D(2026, 12, 25),
    }


def test_holidays_returned_are_a_copy() -> None:
    belgian_public_holidays(2026).clear()
    assert len(belgian_public_holidays(2026)) == 10


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 5, 14), False),  # Ascension, a Thursday
        (D(2026, 7, 21), False),  # National Day, a Tuesday
        (D(2026, 2, 28), False),  # Saturday
        (D(2026, 3, 1), False),  # Sunday
        (D(2026, 3, 2), True),
        (D(2026, 12, 24), True),  # Christmas Eve is not a legal holiday
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 7, 21), D(2026, 7, 22)),  # holiday on a Tuesday
        (D(2026, 2, 28), D(2026, 3, 2)),  # Saturday
        (D(2027, 12, 25), D(2027, 12, 27)),  # Christmas on a Saturday
        (D(2028, 4, 30), D(2028, 5, 2)),  # Sunday followed by 1 May
        (D(2026, 3, 2), D(2026, 3, 2)),  # a working day is itself
    ],
)
def test_next_working_day(day: dt.date, expected: dt.date) -> None:
    assert next_working_day(day) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 2, 28), 1, D(2026, 3, 28)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected
