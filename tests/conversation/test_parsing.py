"""Dates, times, counts, years and yes/no answers read from owners' messages (nl, fr, en)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.parsing import (
    find_dates,
    find_month_years,
    find_phrases,
    find_times,
    fold_spaced,
    parse_dates,
    parse_datetime,
    parse_numbers,
    parse_time,
    parse_years,
    parse_yes_no,
)

# Tuesday 10 March 2026.
TODAY = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("vandaag", "nl", [dt.date(2026, 3, 10)]),
        ("Gisteren kreeg ik een mail", "nl", [dt.date(2026, 3, 9)]),
        ("gister", "nl", [dt.date(2026, 3, 9)]),
        ("eergisteren", "nl", [dt.date(2026, 3, 8)]),
        ("aujourd'hui", "fr", [dt.date(2026, 3, 10)]),
        ("Aujourd’hui", "fr", [dt.date(2026, 3, 10)]),
        ("hier", "fr", [dt.date(2026, 3, 9)]),
        ("avant-hier", "fr", [dt.date(2026, 3, 8)]),
        ("today", "en", [dt.date(2026, 3, 10)]),
        ("yesterday", "en", [dt.date(2026, 3, 9)]),
        ("the day before yesterday", "en", [dt.date(2026, 3, 8)]),
        # Dutch "hier" means "here".
        ("Hier staat het adres", "nl", []),
        ("op 4/12 vroeg een klant", "nl", [dt.date(2025, 12, 4)]),
        ("op 4/3", "nl", [dt.date(2026, 3, 4)]),
        ("4/12/2026", "nl", [dt.date(2026, 12, 4)]),
        ("4-12-2025", "nl", [dt.date(2025, 12, 4)]),
        ("04.12.25", "nl", [dt.date(2025, 12, 4)]),
        ("2026-02-01", "en", [dt.date(2026, 2, 1)]),
        ("3 maart", "nl", [dt.date(2026, 3, 3)]),
        ("3 maart 2025", "nl", [dt.date(2025, 3, 3)]),
        ("op 12 december", "nl", [dt.date(2025, 12, 12)]),
        ("le 3 mars", "fr", [dt.date(2026, 3, 3)]),
        ("le 1er février 2026", "fr", [dt.date(2026, 2, 1)]),
        ("le 3 fevrier", "fr", [dt.date(2026, 2, 3)]),
        ("March 3", "en", [dt.date(2026, 3, 3)]),
        ("March 3, 2026", "en", [dt.date(2026, 3, 3)]),
        ("the 3rd of March", "en", [dt.date(2026, 3, 3)]),
        ("3rd March 2024", "en", [dt.date(2024, 3, 3)]),
        ("vorige week maandag", "nl", [dt.date(2026, 3, 2)]),
        ("afgelopen vrijdag", "nl", [dt.date(2026, 3, 6)]),
        ("lundi dernier", "fr", [dt.date(2026, 3, 9)]),
        ("last Monday", "en", [dt.date(2026, 3, 9)]),
        ("3 dagen geleden", "nl", [dt.date(2026, 3, 7)]),
        ("twee weken geleden", "nl", [dt.date(2026, 2, 24)]),
        ("il y a une semaine", "fr", [dt.date(2026, 3, 3)]),
        ("2 days ago", "en", [dt.date(2026, 3, 8)]),
        ("24/7 bereikbaar", "nl", []),
        ("31/2", "nl", []),
        ("gisteren en op 4/12", "nl", [dt.date(2026, 3, 9), dt.date(2025, 12, 4)]),
    ],
)
def test_parse_dates(text: str, lang: str, expected: list[dt.date]) -> None:
    assert parse_dates(text, lang, TODAY) == expected


def test_date_without_year_is_never_in_the_future() -> None:
    for day in range(1, 29):
        for month in range(1, 13):
            if (day, month) == (24, 7):
                continue  # "24/7" means "always", not 24 July
            found = parse_dates(f"{day}/{month}", "nl", TODAY)
            assert found and found[0] <= TODAY


def test_find_dates_positions_refer_to_the_folded_text() -> None:
    text = "Een klant vroeg gisteren, op 4/12, om wissing."
    spaced = fold_spaced(text)
    assert [spaced[s:e] for s, e, _d in find_dates(text, "nl", TODAY)] == ["gisteren", "4/12"]


def test_month_years_skip_full_dates_and_short_words() -> None:
    found = find_month_years("Hij vertrok eind maart 2025; op 3 april kwam Jan langs", "nl", TODAY)
    assert [(y, m) for _s, _e, y, m in found] == [(2025, 3)]
    assert [(y, m) for _s, _e, y, m in find_month_years("depuis juin", "fr", TODAY)] == [(2025, 6)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("gisteren om 16u ontdekt", "nl", dt.datetime(2026, 3, 9, 16, 0)),
        ("vandaag om 14u30", "nl", dt.datetime(2026, 3, 10, 14, 30)),
        ("om 14.30 uur", "nl", dt.datetime(2026, 3, 10, 14, 30)),
        ("vanochtend", "nl", dt.datetime(2026, 3, 10, 9, 0)),
        ("gisteravond", "nl", dt.datetime(2026, 3, 9, 19, 0)),
        ("le 3 mars à 9h", "fr", dt.datetime(2026, 3, 3, 9, 0)),
        ("ce matin vers 10h15", "fr", dt.datetime(2026, 3, 10, 10, 15)),
        ("hier soir", "fr", dt.datetime(2026, 3, 9, 19, 0)),
        ("at 2 pm yesterday", "en", dt.datetime(2026, 3, 9, 14, 0)),
        ("yesterday at 12:15 am", "en", dt.datetime(2026, 3, 9, 0, 15)),
        ("this morning", "en", dt.datetime(2026, 3, 10, 9, 0)),
        # A date without a time: its midnight (a deadline from it is never late).
        ("gisteren", "nl", dt.datetime(2026, 3, 9, 0, 0)),
        ("niets", "nl", None),
    ],
)
def test_parse_datetime(text: str, lang: str, expected: dt.datetime | None) -> None:
    assert parse_datetime(text, lang, TODAY) == expected


def test_parse_datetime_options() -> None:
    assert parse_datetime("gisteren", "nl", TODAY, default_time=None) is None
    assert parse_datetime("om 9u", "nl", TODAY, assume_today=False) is None
    assert parse_time("rond 9 uur", "nl") == dt.time(9, 0)
    assert parse_time("à 21h", "fr") == dt.time(21, 0)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("vier werknemers", "nl", [4]),
        ("vijfentwintig", "nl", [25]),
        ("drieëntwintig", "nl", [23]),
        ("tweehonderdvijftig klanten", "nl", [250]),
        ("een tiental", "nl", [10]),
        ("een 200-tal klanten", "nl", [200]),
        ("honderdtal", "nl", [100]),
        ("ongeveer 50", "nl", [50]),
        ("1.200 klanten", "nl", [1200]),
        ("één klant", "nl", [1]),
        ("een klant", "nl", []),
        ("een", "nl", [1]),
        ("achter de tweede deur", "nl", []),
        ("vingt-cinq", "fr", [25]),
        ("quatre-vingt-dix-neuf", "fr", [99]),
        ("soixante et onze", "fr", [71]),
        ("septante", "fr", [70]),
        ("deux cent mille", "fr", [200000]),
        ("une vingtaine de clients", "fr", [20]),
        ("twenty-five", "en", [25]),
        ("two hundred and fifty", "en", [250]),
        ("a dozen", "en", [12]),
        ("2 or 3", "en", [2, 3]),
        # Dates and clock times are not counts.
        ("200 klanten op 4/12 om 14:30", "nl", [200]),
    ],
)
def test_parse_numbers(text: str, lang: str, expected: list[int]) -> None:
    assert parse_numbers(text, lang) == expected


def test_parse_years() -> None:
    assert parse_years("facturen uit 2021 en 2024") == [2021, 2024]
    assert parse_years("factuur van 3/4/2019, 1.2021 en 1989") == [2019]
    assert parse_years("de facturen van vorig jaar en 2021", dt.date(2026, 3, 1)) == [2025, 2021]
    assert parse_years("les factures de l'année dernière", dt.date(2026, 3, 1)) == [2025]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("ja", "nl", True),
        ("Jawel", "nl", True),
        ("klopt", "nl", True),
        ("ja hoor, via zijn account", "nl", True),
        ("nee", "nl", False),
        ("neen", "nl", False),
        ("ik denk het niet", "nl", False),
        ("zeker niet", "nl", False),
        ("de laptop was niet versleuteld", "nl", False),
        ("ik weet het niet", "nl", None),
        ("geen idee", "nl", None),
        ("misschien", "nl", None),
        ("oui", "fr", True),
        ("tout à fait", "fr", True),
        ("non", "fr", False),
        ("pas du tout", "fr", False),
        ("je ne sais pas", "fr", None),
        ("yes", "en", True),
        ("I think so", "en", True),
        ("no", "en", False),
        ("not encrypted", "en", False),
        ("not sure", "en", None),
        ("encrypted", "en", None),
    ],
)
def test_parse_yes_no(text: str, lang: str, expected: bool | None) -> None:
    assert parse_yes_no(text, lang) is expected


def test_find_phrases_longest_wins_and_prefixes() -> None:
    table = {"onbetaalde factu*": "unpaid", "factu*": "invoice", "facture* impayée*": "unpaid"}
    text = "Twee onbetaalde facturen, een factuur en des factures impayées"
    assert [v for _s, _e, v in find_phrases(text, table)] == ["unpaid", "invoice", "unpaid"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we hebben het om half negen ontdekt", dt.time(8, 30)),
        ("om kwart voor tien", dt.time(9, 45)),
        ("at half past eight", dt.time(8, 30)),
        ("à huit heures et demie", dt.time(8, 30)),
    ],
)
def test_spoken_clock_times(text: str, expected: dt.time) -> None:
    assert [hit[2] for hit in find_times(text)] == [expected]
