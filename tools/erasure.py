"""Art. 17 GDPR: what to erase, what to keep and until when, by which date, and whom to tell.

Missing facts are named like the facts themselves: a top-level fact by its field name
(``request_date``, ``identity_verified``, ``data``, ``employment_end``,
``also_objects_to_marketing``) and a fact of one data item as ``data[<id>].<field>``, for
example ``data[inv-2024].year`` or ``data[cam-1].incident``. Only the facts that decide are
asked:

- every request: ``request_date`` (the deadline runs from receipt), ``identity_verified``
  (Art. 12(6)) and ``data`` (what is held about the person);
- ``invoice``: ``data[<id>].year`` (which retention rule applies and whether it has ended);
- ``payroll_records``: ``data[<id>].year`` (the latest year the records cover), unless
  ``employment_end`` gives it;
- ``personnel_file``: ``employment_end`` (claims are time-barred one year later);
- ``cctv_footage``: ``data[<id>].incident``, and ``data[<id>].recorded`` unless the footage
  shows an incident (footage past the one-month limit is flagged);
- ``correspondence_unpaid_invoice`` and ``contract``: ``data[<id>].dispute_open`` (true while
  a claim or dispute about it is open, e.g. the invoice is still unpaid or contested);
- any marketing item: ``also_objects_to_marketing`` (decides the suppression entry).

Never asked: ``complex`` and ``multiple_requests`` (false unless the business says so: the
extension is the business's own call), ``consent_withdrawn`` (it only names the Art. 17(1)(b)
ground), ``subject`` and ``last_delivery`` (accepted; no rule in force turns on them), ``today``
(defaults to the current date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from tools.base import Facts, RuleFile, Trail, Verdict, load_rules, need_more
from tools.calendar import add_months, next_working_day

TOOL = "erasure"

ItemType = Literal[
    "newsletter_subscription",
    "marketing_profile",
    "webshop_account",
    "crm_record",
    "support_history",
    "order_history_without_invoice",
    "invoice",
    "correspondence_unpaid_invoice",
    "contract",
    "payroll_records",
    "personnel_file",
    "recruitment_cv",
    "website_team_photo",
    "internal_chat_account",
    "cctv_footage",
    "custom_audience_upload",
    "event_registration",
    "customer_testimonial_photo_website",
    "customer_testimonial_photo_instagram",
    "other",
]
RetainReason = Literal[
    "LEGAL_OBLIGATION_TAX_VAT",
    "LEGAL_OBLIGATION_SOCIAL_TAX",
    "LEGAL_CLAIMS",
    "CCTV_EVIDENCE",
    "DIRECT_MARKETING_SUPPRESSION",
]
UntilEvent = Literal["DISPUTE_CLOSED", "INCIDENT_CLOSED", "WHILE_MARKETING_ACTIVE"]
Status = Literal["ready", "verify_identity_first"]


class ErasureRules(RuleFile):
    """Periods and item-type lists of ``rules/erasure.yaml``."""

    deadline_months: int
    extended_deadline_months: int
    tax_long_period_from_year: int
    tax_long_period_years: int
    tax_short_period_years: int
    social_documents_years: int
    payroll_fiscal_period_applies: bool
    employment_claims_months: int
    cctv_max_retention_months: int
    marketing_types: list[str]
    consent_types: list[str]
    published_types: list[str]
    dispute_types: list[str]


def _rules() -> ErasureRules:
    return load_rules(TOOL, ErasureRules)


class DataItem(Facts):
    """One piece of data held about the person, with the facts its retention turns on."""

    id: str = Field(min_length=1, description="A name for the item, unique in the request.")
    type: ItemType
    year: int | None = Field(default=None, ge=1900, le=2200, description="Year of the document.")
    recorded: dt.date | None = Field(default=None, description="Date the footage was recorded.")
    incident: bool | None = Field(default=None, description="Footage shows an offence, damage or nuisance.")
    dispute_open: bool | None = Field(default=None, description="A claim or dispute about it is open.")
    last_delivery: dt.date | None = None


class Recipient(Facts):
    """A party the data was disclosed to (processor or other recipient) and what it holds."""

    id: str = Field(min_length=1)
    holds: list[str] = Field(default_factory=list, description="Ids of the data items it holds.")


class ErasureFacts(Facts):
    """What the handling of an erasure request depends on."""

    request_date: dt.date | None = Field(default=None, description="Date the request was received.")
    today: dt.date | None = Field(default=None, description="Date of assessment (default: today).")
    identity_verified: bool | None = Field(
        default=None, description="False when there is reasonable doubt about who asks (Art. 12(6))."
    )
    complex: bool = False
    multiple_requests: bool = False
    data: list[DataItem] | None = None
    recipients: list[Recipient] = Field(default_factory=list)
    consent_withdrawn: bool | None = None
    also_objects_to_marketing: bool | None = None
    subject: Literal["customer", "former_employee", "applicant", "other"] | None = None
    employment_end: dt.date | None = None

    @field_validator("data")
    @classmethod
    def _unique_ids(cls, items: list[DataItem] | None) -> list[DataItem] | None:
        ids = [item.id for item in items or []]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"item ids must be unique; repeated: {', '.join(repeated)}")
        return items

    @field_validator("recipients")
    @classmethod
    def _holds_known_items(cls, recipients: list[Recipient], info: ValidationInfo) -> list[Recipient]:
        items: list[DataItem] | None = info.data.get("data")
        if items is None:
            return recipients
        known = {item.id for item in items}
        unknown = sorted({i for r in recipients for i in r.holds} - known)
        if unknown:
            raise ValueError(f"recipients hold items that are not in data: {', '.join(unknown)}")
        return recipients


class Retention(BaseModel):
    """An item kept despite the request: why, and until which date or event."""

    item: str
    reason: RetainReason
    until: dt.date | UntilEvent


class ErasurePlan(BaseModel):
    """What to erase and keep, and whom to tell (held back until identity is confirmed)."""

    erase: list[str] = Field(default_factory=list)
    retain: list[Retention] = Field(default_factory=list)
    notify_recipients: list[str] = Field(default_factory=list)
    must_explain_retention_and_complaint_right: bool = False
    made_public: list[str] = Field(default_factory=list)


class ErasureVerdict(Verdict):
    """The plan for an erasure request, its deadlines and the recipients to inform."""

    status: Status | None = None
    erase: list[str] = Field(default_factory=list)
    retain: list[Retention] = Field(default_factory=list)
    deadline_date: dt.date | None = None
    deadline_days: int | None = Field(default=None, description="Days from receipt to deadline_date.")
    deadline_date_latest: dt.date | None = None
    extension_possible: bool | None = None
    extended_deadline_date: dt.date | None = None
    extended_deadline_date_latest: dt.date | None = None
    notify_recipients: list[str] = Field(default_factory=list)
    must_explain_retention_and_complaint_right: bool | None = None
    made_public: list[str] = Field(default_factory=list, description="Erased items that were published.")
    after_verification: ErasurePlan | None = None
    assessed_on: dt.date | None = Field(default=None, description="The 'today' the verdict used.")
    days_left: int | None = Field(default=None, description="Days from today to deadline_date_latest.")
    overdue: bool | None = Field(default=None, description="Today is past deadline_date_latest.")


@dataclass(frozen=True)
class _Context:
    today: dt.date
    employment_end: dt.date | None
    objects_to_marketing: bool
    consent_withdrawn: bool
    rules: ErasureRules


@dataclass
class _Decision:
    retain: Retention | None = None
    codes: list[str] = field(default_factory=list)


def _fire(trail: Trail, *codes: str) -> None:
    for code in codes:
        if code not in {reason.code for reason in trail.reasons}:
            trail.add(code)


def _item_missing(item: DataItem, facts: ErasureFacts, rules: ErasureRules) -> list[str]:
    name = f"data[{item.id}]"
    has_personnel_file = any(i.type == "personnel_file" for i in facts.data or [])
    if item.type == "invoice" and item.year is None:
        return [f"{name}.year"]
    if item.type == "payroll_records" and item.year is None and facts.employment_end is None:
        # The employment end date, once asked for the personnel file, gives the last payroll year.
        return [] if has_personnel_file else [f"{name}.year"]
    if item.type in rules.dispute_types and item.dispute_open is None:
        return [f"{name}.dispute_open"]
    if item.type == "cctv_footage":
        missing = [f"{name}.incident"] if item.incident is None else []
        if item.incident is not True and item.recorded is None:
            missing.append(f"{name}.recorded")
        return missing
    return []


def _missing(facts: ErasureFacts, rules: ErasureRules) -> list[str]:
    missing = [
        name
        for name, value in (
            ("request_date", facts.request_date),
            ("identity_verified", facts.identity_verified),
            ("data", facts.data),
        )
        if value is None
    ]
    if facts.data is None:
        return missing
    types = {item.type for item in facts.data}
    if "personnel_file" in types and facts.employment_end is None:
        missing.append("employment_end")
    if types & set(rules.marketing_types) and facts.also_objects_to_marketing is None:
        missing.append("also_objects_to_marketing")
    for item in facts.data:
        missing += _item_missing(item, facts, rules)
    return missing


def _end_of_year(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _tax_retention_end(year: int, rules: ErasureRules) -> dt.date:
    # Income Tax Code Art. 315 / VAT Code Art. 60 (Law of 20 November 2022): 10 years from
    # year 2022; before that the 7 years of the accounting law (Code of Economic Law Art. III.86).
    long = year >= rules.tax_long_period_from_year
    years = rules.tax_long_period_years if long else rules.tax_short_period_years
    return _end_of_year(year + years)


def _erased(item: DataItem, ctx: _Context, *codes: str) -> _Decision:
    fired = [*codes, "R_ERASE"]
    rules = ctx.rules
    if ctx.consent_withdrawn and item.type in rules.consent_types:
        fired.append("R_ERASE_CONSENT_WITHDRAWN")
    if ctx.objects_to_marketing and item.type in rules.marketing_types:
        fired.append("R_ERASE_MARKETING_OBJECTION")
    if item.type in rules.published_types:
        fired.append("R_MADE_PUBLIC")
    if item.type == "other":
        fired.append("R_ERASE_OTHER_CHECK")
    return _Decision(codes=fired)


def _kept(item: DataItem, reason: RetainReason, until: dt.date | UntilEvent, *codes: str) -> _Decision:
    return _Decision(retain=Retention(item=item.id, reason=reason, until=until), codes=list(codes))


def _invoice(item: DataItem, year: int, ctx: _Context) -> _Decision:
    until = _tax_retention_end(year, ctx.rules)
    if until < ctx.today:
        # The legal obligation has ended, so Art. 17(3)(b) no longer covers the document.
        return _erased(item, ctx, "R_TAX_RETENTION_EXPIRED")
    return _kept(item, "LEGAL_OBLIGATION_TAX_VAT", until, "R_RETAIN_TAX_VAT")


def _payroll(item: DataItem, year: int, ctx: _Context) -> _Decision:
    rules = ctx.rules
    social_until = _end_of_year(year + rules.social_documents_years)
    fiscal_until = _tax_retention_end(year, rules) if rules.payroll_fiscal_period_applies else social_until
    until = max(social_until, fiscal_until)
    if until < ctx.today:
        return _erased(item, ctx, "R_SOCIAL_RETENTION_EXPIRED")
    codes = ["R_RETAIN_SOCIAL_TAX"]
    if fiscal_until > social_until:
        # Contested: payroll records are also tax evidence for wage costs; the longer fiscal
        # period is applied (rule file: payroll_fiscal_period_applies).
        codes.append("R_PAYROLL_FISCAL_PERIOD")
    return _kept(item, "LEGAL_OBLIGATION_SOCIAL_TAX", until, *codes)


def _personnel_file(item: DataItem, employment_end: dt.date, ctx: _Context) -> _Decision:
    # Law of 3 July 1978 Art. 15: contract claims are time-barred one year after the end.
    until = add_months(employment_end, ctx.rules.employment_claims_months)
    if until < ctx.today:
        return _erased(item, ctx, "R_EMPLOYMENT_CLAIMS_TIME_BARRED")
    return _kept(item, "LEGAL_CLAIMS", until, "R_RETAIN_EMPLOYMENT_CLAIMS")


def _cctv(item: DataItem, ctx: _Context) -> _Decision:
    if item.incident:
        # Camera Law: footage that is evidence of an offence, damage or nuisance is kept
        # until the incident is closed; Art. 17(3)(e) covers it.
        return _kept(item, "CCTV_EVIDENCE", "INCIDENT_CLOSED", "R_RETAIN_CCTV_EVIDENCE")
    recorded = item.recorded
    too_old = recorded is not None and add_months(recorded, ctx.rules.cctv_max_retention_months) < ctx.today
    return _erased(item, ctx, *(["R_CCTV_KEPT_TOO_LONG"] if too_old else []))


def _decide(item: DataItem, ctx: _Context) -> _Decision:
    if item.type == "invoice" and item.year is not None:
        return _invoice(item, item.year, ctx)
    if item.type == "payroll_records":
        year = item.year or (ctx.employment_end.year if ctx.employment_end else None)
        if year is not None:
            return _payroll(item, year, ctx)
    if item.type == "personnel_file" and ctx.employment_end is not None:
        return _personnel_file(item, ctx.employment_end, ctx)
    if item.type in ctx.rules.dispute_types and item.dispute_open:
        # Art. 17(3)(e): kept to establish or defend the claim while the dispute is open.
        return _kept(item, "LEGAL_CLAIMS", "DISPUTE_CLOSED", "R_RETAIN_DISPUTE")
    if item.type == "cctv_footage":
        return _cctv(item, ctx)
    return _erased(item, ctx)


def _suppression(items: list[DataItem], ctx: _Context) -> Retention | None:
    # Art. 21(3): after an objection the data may no longer be used for direct marketing; a
    # minimal suppression entry (common practice) stops the person being re-added later.
    if not ctx.objects_to_marketing:
        return None
    for kind in ctx.rules.marketing_types:
        carrier = next((item for item in items if item.type == kind), None)
        if carrier is not None:
            return Retention(
                item=carrier.id, reason="DIRECT_MARKETING_SUPPRESSION", until="WHILE_MARKETING_ACTIVE"
            )
    return None


def _plan(facts: ErasureFacts, items: list[DataItem], ctx: _Context, trail: Trail) -> ErasurePlan:
    if not items:
        _fire(trail, "R_NOTHING_HELD")
        return ErasurePlan()
    erase: list[str] = []
    retain: list[Retention] = []
    for item in items:
        decision = _decide(item, ctx)
        _fire(trail, *decision.codes)
        if decision.retain is None:
            erase.append(item.id)
        else:
            retain.append(decision.retain)
    suppression = _suppression(items, ctx)
    if suppression is not None:
        retain.append(suppression)
        _fire(trail, "R_MARKETING_SUPPRESSION")
    erased = set(erase)
    # Art. 19: every recipient holding erased data is told to erase it too.
    notify = [r.id for r in facts.recipients if erased & set(r.holds)]
    if notify:
        _fire(trail, "R_NOTIFY_RECIPIENTS")
    if retain:
        _fire(trail, "R_EXPLAIN_RETENTION_AND_COMPLAINT")
    published = set(ctx.rules.published_types)
    return ErasurePlan(
        erase=erase,
        retain=retain,
        notify_recipients=notify,
        must_explain_retention_and_complaint_right=bool(retain),
        made_public=[item.id for item in items if item.id in erased and item.type in published],
    )


@dataclass(frozen=True)
class _Deadlines:
    deadline: dt.date
    latest: dt.date
    extended: dt.date | None
    extended_latest: dt.date | None


def _deadlines(request_date: dt.date, extension: bool, rules: ErasureRules, trail: Trail) -> _Deadlines:
    # Art. 12(3): one month from receipt, same calendar day or the month's last day;
    # Regulation 1182/71 Art. 3(4): a period ending on a non-working day ends the next working day.
    deadline = add_months(request_date, rules.deadline_months)
    latest = next_working_day(deadline)
    _fire(trail, "R_REQUEST_DEADLINE")
    if deadline.day < request_date.day:
        _fire(trail, "R_DEADLINE_MONTH_END")
    if latest != deadline:
        _fire(trail, "R_DEADLINE_NEXT_WORKING_DAY")
    if not extension:
        return _Deadlines(deadline, latest, None, None)
    # Art. 12(3): two further months for complex or numerous requests, announced with
    # reasons within the first month.
    _fire(trail, "R_EXTENSION_POSSIBLE")
    extended = add_months(request_date, rules.extended_deadline_months)
    return _Deadlines(deadline, latest, extended, next_working_day(extended))


def assess(facts: ErasureFacts) -> ErasureVerdict:
    """Decide how to handle an Art. 17 erasure request."""
    rules = _rules()
    missing = _missing(facts, rules)
    if missing or facts.request_date is None or facts.data is None:
        return ErasureVerdict(**need_more(TOOL, rules, missing))
    today = facts.today or dt.date.today()
    trail = Trail(rules)
    doubt = facts.identity_verified is False
    if doubt:
        # Art. 12(6): with reasonable doubt about identity, ask for what confirms it first.
        _fire(trail, "R_IDENTITY_DOUBT")
    extension = facts.complex or facts.multiple_requests
    dates = _deadlines(facts.request_date, extension, rules, trail)
    if today > dates.latest:
        _fire(trail, "R_DEADLINE_PASSED")
    ctx = _Context(
        today=today,
        employment_end=facts.employment_end,
        objects_to_marketing=bool(facts.also_objects_to_marketing),
        consent_withdrawn=bool(facts.consent_withdrawn),
        rules=rules,
    )
    plan = _plan(facts, facts.data, ctx, trail)
    shown = ErasurePlan() if doubt else plan
    return ErasureVerdict(
        **trail.common(
            TOOL,
            status="verify_identity_first" if doubt else "ready",
            erase=shown.erase,
            retain=shown.retain,
            notify_recipients=shown.notify_recipients,
            must_explain_retention_and_complaint_right=shown.must_explain_retention_and_complaint_right,
            made_public=shown.made_public,
            after_verification=plan if doubt else None,
            deadline_date=dates.deadline,
            deadline_days=(dates.deadline - facts.request_date).days,
            deadline_date_latest=dates.latest,
            extension_possible=extension,
            extended_deadline_date=dates.extended,
            extended_deadline_date_latest=dates.extended_latest,
            assessed_on=today,
            days_left=(dates.latest - today).days,
            overdue=today > dates.latest,
        )
    )
