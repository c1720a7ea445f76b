"""Art. 30 GDPR: must a record of processing activities be kept, and for what?"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tools.base import Facts, RuleFile, Trail, Verdict, load_rules, need_more

TOOL = "register"

ProcessingKind = Literal[
    "newsletter",
    "crm",
    "customer_database",
    "invoicing",
    "payroll",
    "hr_records",
    "recruitment",
    "cctv",
    "health_data",
    "criminal_data",
    "christmas_cards",
    "event_registration",
    "one_off_survey",
    "vehicle_geolocation",
    "hosting_client_data",
    "webshop_orders",
    "website_analytics",
    "appointments",
    "loyalty_program",
    "supplier_contacts",
    "other",
]
Frequency = Literal["regular", "occasional", "unknown", "none"]
TRIGGER_ORDER = (
    "R_250_PLUS",
    "R_SPECIAL_CATEGORIES",
    "R_CRIMINAL_DATA",
    "R_RISK",
    "R_NOT_OCCASIONAL",
    "R_TYPICALLY_REGULAR",
    "R_FREQUENCY_UNKNOWN",
)


class RegisterRules(RuleFile):
    """Thresholds and kind lists of ``rules/register.yaml``."""

    employee_threshold: int
    special_category_kinds: list[str]
    criminal_kinds: list[str]
    risk_kinds: list[str]
    typically_regular_kinds: list[str]
    typically_occasional_kinds: list[str]


def _rules() -> RegisterRules:
    return load_rules(TOOL, RegisterRules)


class RegisterFacts(Facts):
    """What the register duty depends on."""

    employees: int | None = Field(default=None, ge=0, description="Number of staff (headcount).")
    role: Literal["controller", "processor"] = "controller"
    processing: list[ProcessingKind] | None = Field(default=None, description="Kinds of processing.")
    frequency: Frequency | None = None
    special_categories: bool = False
    criminal_data: bool = False


class RegisterVerdict(Verdict):
    """Whether a record is required, why, and for which activities."""

    required: bool | Literal["likely"] | None = None
    reason_code: str | None = None
    additional_codes: list[str] = Field(default_factory=list)
    scope: Literal["all_activities", "triggering_activities"] | None = None
    camera_law_register: bool = False
    record_article: str | None = None
    triggering_activities: list[str] = Field(default_factory=list)


def _missing(facts: RegisterFacts, regular: set[str], occasional: set[str]) -> list[str]:
    if facts.frequency == "none" or facts.processing == []:
        return []
    missing = []
    if facts.processing is None:
        missing.append("processing")
    if facts.employees is None:
        missing.append("employees")
    kinds: set[str] = set(facts.processing or [])
    rules = _rules()
    # Frequency only matters when nothing else already decides and the kinds do not say it:
    # special-category, criminal or risky processing removes the Art. 30(5) derogation anyway.
    decided_anyway = (
        facts.special_categories
        or facts.criminal_data
        or bool(kinds & set(rules.special_category_kinds + rules.criminal_kinds + rules.risk_kinds))
        or (facts.employees or 0) >= rules.employee_threshold
    )
    all_occasional = bool(kinds) and kinds <= occasional
    if (
        facts.frequency is None
        and facts.processing is not None
        and not (bool(kinds & regular) or all_occasional or decided_anyway)
    ):
        missing.append("frequency")
    return missing


def _triggers(facts: RegisterFacts, kinds: set[str]) -> list[str]:
    rules = _rules()
    regular = set(rules.typically_regular_kinds)
    occasional = set(rules.typically_occasional_kinds)
    fired = []
    if (facts.employees or 0) >= rules.employee_threshold:
        fired.append("R_250_PLUS")
    if facts.special_categories or kinds & set(rules.special_category_kinds):
        fired.append("R_SPECIAL_CATEGORIES")
    if facts.criminal_data or kinds & set(rules.criminal_kinds):
        fired.append("R_CRIMINAL_DATA")
    if kinds & set(rules.risk_kinds):
        fired.append("R_RISK")
    if facts.frequency == "regular":
        fired.append("R_NOT_OCCASIONAL")
    elif facts.frequency in (None, "unknown"):
        if kinds & regular:
            fired.append("R_TYPICALLY_REGULAR")
        elif not (kinds and kinds <= occasional):
            # Art. 30(5) is an exception to a duty: when in doubt, the duty applies.
            fired.append("R_FREQUENCY_UNKNOWN")
    return fired


def _triggering_activities(facts: RegisterFacts, kinds: set[str], fired: list[str]) -> list[str]:
    rules = _rules()
    if "R_250_PLUS" in fired or "R_NOT_OCCASIONAL" in fired or "R_FREQUENCY_UNKNOWN" in fired:
        return sorted(kinds)
    picked = set()
    if "R_SPECIAL_CATEGORIES" in fired:
        picked |= kinds & set(rules.special_category_kinds)
    if "R_CRIMINAL_DATA" in fired:
        picked |= kinds & set(rules.criminal_kinds)
    if "R_RISK" in fired:
        picked |= kinds & set(rules.risk_kinds)
    if "R_TYPICALLY_REGULAR" in fired:
        picked |= kinds & set(rules.typically_regular_kinds)
    return sorted(picked)


def assess(facts: RegisterFacts) -> RegisterVerdict:
    """Decide whether an Art. 30 record must be kept."""
    rules = _rules()
    regular = set(rules.typically_regular_kinds)
    occasional = set(rules.typically_occasional_kinds)
    missing = _missing(facts, regular, occasional)
    if missing:
        return RegisterVerdict(**need_more(TOOL, rules, missing))
    kinds: set[str] = set(facts.processing or [])
    trail = Trail(rules)
    camera = "cctv" in kinds
    if facts.frequency == "none" or not kinds:
        trail.add("R_NO_PERSONAL_DATA")
        return RegisterVerdict(**trail.common(TOOL, required=False, reason_code="R_NO_PERSONAL_DATA"))
    fired = _triggers(facts, kinds)
    for code in fired:
        trail.add(code)
    if camera:
        # Camera Law Art. 7: a separate image-processing register, whatever the company size.
        trail.add("R_CAMERA_LAW_REGISTER")
    if not fired:
        trail.add("R_OCCASIONAL_LOW_RISK")
        return RegisterVerdict(
            **trail.common(
                TOOL, required=False, reason_code="R_OCCASIONAL_LOW_RISK", camera_law_register=camera
            )
        )
    processor = facts.role == "processor"
    trail.add("R_PROCESSOR_RECORD" if processor else "R_CONTROLLER_RECORD")
    soft = {"R_TYPICALLY_REGULAR", "R_FREQUENCY_UNKNOWN"}
    required: bool | Literal["likely"] = "likely" if set(fired) <= soft else True
    return RegisterVerdict(
        **trail.common(
            TOOL,
            required=required,
            reason_code=fired[0],
            additional_codes=fired[1:],
            scope="all_activities" if "R_250_PLUS" in fired else "triggering_activities",
            camera_law_register=camera,
            record_article="GDPR Art. 30(2)" if processor else "GDPR Art. 30(1)",
            triggering_activities=_triggering_activities(facts, kinds, fired),
        )
    )
