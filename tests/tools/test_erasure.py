"""The erasure tool decides as its case table says, and behaves as a shop owner would expect."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from tools import erasure
from tools.erasure import ErasureFacts, assess
from tools.explain import explain

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "erasure.yaml").read_text())


def test_invalid_facts_name_the_field() -> None:
    with pytest.raises(ValidationError) as err:
        ErasureFacts.model_validate({"request_date": "next week", "colour": "red"})
    assert {e["loc"][0] for e in err.value.errors()} == {"request_date", "colour"}


def test_unknown_item_type_names_the_item_field() -> None:
    with pytest.raises(ValidationError) as err:
        ErasureFacts.model_validate({"data": [{"id": "x", "type": "fax_archive"}]})
    assert err.value.errors()[0]["loc"] == ("data", 0, "type")


def test_recipient_holding_an_unknown_item_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        ErasureFacts.model_validate(
            {
                "data": [{"id": "shop", "type": "webshop_account"}],
                "recipients": [{"id": "r", "holds": ["nl"]}],
            }
        )
    assert err.value.errors()[0]["loc"] == ("recipients",)
    assert "nl" in str(err.value)


def test_repeated_item_ids_are_refused() -> None:
    with pytest.raises(ValidationError) as err:
        ErasureFacts.model_validate(
            {"data": [{"id": "a", "type": "crm_record"}, {"id": "a", "type": "support_history"}]}
        )
    assert err.value.errors()[0]["loc"] == ("data",)


def test_retention_ends_the_day_after_until() -> None:
    facts = {
        "request_date": "2028-12-01",
        "identity_verified": True,
        "data": [{"id": "inv", "type": "invoice", "year": 2021}],
    }
    on_last_day = assess(ErasureFacts.model_validate({**facts, "today": "2028-12-31"}))
    day_after = assess(ErasureFacts.model_validate({**facts, "today": "2029-01-01"}))
    assert [r.item for r in on_last_day.retain] == ["inv"] and on_last_day.erase == []
    assert day_after.erase == ["inv"] and day_after.retain == []


def test_today_defaults_to_the_current_date() -> None:
    facts = {"request_date": "2026-01-05", "identity_verified": True, "data": []}
    verdict = assess(ErasureFacts.model_validate(facts))
    assert verdict.assessed_on == dt.date.today()


def test_marketing_objection_is_asked_only_when_marketing_data_is_held() -> None:
    base = {"request_date": "2026-10-05", "today": "2026-10-06", "identity_verified": True}
    shop_only = assess(
        ErasureFacts.model_validate({**base, "data": [{"id": "s", "type": "webshop_account"}]})
    )
    with_list = assess(
        ErasureFacts.model_validate({**base, "data": [{"id": "n", "type": "newsletter_subscription"}]})
    )
    assert shop_only.outcome == "decided"
    assert with_list.missing_facts == ["also_objects_to_marketing"]


def test_explanation_names_the_deadline_and_the_complaint_right() -> None:
    verdict = assess(ErasureFacts.model_validate(CASES[0]["facts"]))
    text = explain(verdict, "en")
    assert "10 December 2026" in text
    assert "Data Protection Authority" in text
    assert "GDPR Art. 19" in text


@pytest.mark.parametrize(
    ("case_id", "code"),
    [
        ("request-31-january-month-end-and-weekend", "R_DEADLINE_MONTH_END"),
        ("request-31-january-month-end-and-weekend", "R_DEADLINE_NEXT_WORKING_DAY"),
        ("identity-in-doubt", "R_IDENTITY_DOUBT"),
        ("old-invoice-past-retention", "R_TAX_RETENTION_EXPIRED"),
        ("former-employee-recent", "R_PAYROLL_FISCAL_PERIOD"),
        ("former-employee-recent", "R_MADE_PUBLIC"),
        ("former-employee-long-gone", "R_EMPLOYMENT_CLAIMS_TIME_BARRED"),
        ("cctv-without-incident-too-old", "R_CCTV_KEPT_TOO_LONG"),
        ("note-example-customer-newsletter-webshop-invoices", "R_MARKETING_SUPPRESSION"),
        ("note-example-without-marketing-objection", "R_ERASE_CONSENT_WITHDRAWN"),
        ("overdue-request", "R_DEADLINE_PASSED"),
        ("nothing-held", "R_NOTHING_HELD"),
    ],
)
def test_the_trail_says_why(case_id: str, code: str) -> None:
    case = next(c for c in CASES if c["id"] == case_id)
    codes = [r.code for r in assess(ErasureFacts.model_validate(case["facts"])).reasons]
    assert code in codes


@pytest.mark.parametrize(
    ("case_id", "code"),
    [
        ("cctv-without-incident-recent", "R_CCTV_KEPT_TOO_LONG"),
        ("note-example-without-marketing-objection", "R_MARKETING_SUPPRESSION"),
        ("deadline-on-national-day-21-july", "R_DEADLINE_MONTH_END"),
        ("note-example-customer-newsletter-webshop-invoices", "R_DEADLINE_NEXT_WORKING_DAY"),
    ],
)
def test_the_trail_says_nothing_that_did_not_apply(case_id: str, code: str) -> None:
    case = next(c for c in CASES if c["id"] == case_id)
    codes = [r.code for r in assess(ErasureFacts.model_validate(case["facts"])).reasons]
    assert code not in codes


def test_payroll_keeps_only_the_social_period_when_the_fiscal_one_is_switched_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = erasure._rules().model_copy(update={"payroll_fiscal_period_applies": False})
    monkeypatch.setattr(erasure, "_rules", lambda: rules)
    facts = {
        "request_date": "2026-11-16",
        "today": "2026-11-18",
        "identity_verified": True,
        "data": [{"id": "payroll", "type": "payroll_records", "year": 2024}],
    }
    verdict = assess(ErasureFacts.model_validate(facts))
    assert [(r.item, r.until) for r in verdict.retain] == [("payroll", dt.date(2029, 12, 31))]
