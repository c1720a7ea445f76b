"""Belgian calendar arithmetic for legal deadlines: Easter, public holidays, working days, months.

Month arithmetic follows the GDPR month rule (Art. 12(3) read with Regulation (EEC, Euratom)
No 1182/71 Art. 3(2)(c)): a period of n months ends on the same calendar day n months later,
or on the last day of that month when the day does not exist there (31 January + 1 month =
28 or 29 February). Art. 3(4) of the same Regulation moves a period that ends on a Saturday,
Sunday or public holiday to the next working day; the public holidays are the ten Belgian
legal holidays (Law of 4 January 1974 and its royal decree). A holiday that falls on a Sunday
gives employees a replacement day, but that day is not a public holiday for deadlines.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

# Fixed-date Belgian legal holidays as (month, day).
_FIXED_HOLIDAYS = (
    (1, 1),  # New Year's Day
    (5, 1),  # Labour Day
    (7, 21),  # National Day
    (8, 15),  # Assumption
    (11, 1),  # All Saints' Day
    (11, 11),  # Armistice Day
    (12, 25),  # Christmas Day
)
# Movable Belgian legal holidays as days after Easter Sunday.
_EASTER_OFFSETS = (
    1,  # Easter Monday
    39,  # Ascension Day (a Thursday)
    50,  # Whit Monday
)
_SATURDAY = 5


def easter(year: int) -> dt.date:
    """Return Easter Sunday of ``year`` (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def _holidays(year: int) -> frozenset[dt.date]:
    sunday = easter(year)
    fixed = {dt.date(year, month, day) for month, day in _FIXED_HOLIDAYS}
    movable = {sunday + dt.timedelta(days=offset) for offset in _EASTER_OFFSETS}
    return frozenset(fixed | movable)


def belgian_public_holidays(year: int) -> set[dt.date]:
    """Return the ten Belgian legal public holidays of ``year``."""
    return set(_holidays(year))


def is_working_day(day: dt.date) -> bool:
    """Return whether ``day`` is a Belgian working day (Monday to Friday, not a public holiday)."""
    return day.weekday() < _SATURDAY and day not in _holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """Return ``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def days_in_month(year: int, month: int) -> int:
    """Return the number of days in ``month`` of ``year``."""
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - dt.timedelta(days=1)).day


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same calendar day ``months`` later, or that month's last day if it has none."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return dt.date(year, month, min(day.day, days_in_month(year, month)))
