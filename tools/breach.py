"""Art. 33/34 GDPR: is this a personal data breach, whom must you tell, and by when?"""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator

from tools.base import Facts, RuleFile, Trail, Verdict, load_rules, need_more

TOOL = "breach"

DataKind = Literal[
    "contact",
    "customer_history",
    "financial",
    "identity_documents",
    "national_number",
    "credentials",
    "health",
    "special_categories",
    "criminal",
    "location",
    "employment",
    "communications",
    "children",
    "other",
]
RiskLevel = Literal["unlikely", "risk", "high"]
Inform = Literal["required", "recommended", "not_required"]
Summary = Literal["no_breach", "document_only", "notify_authority", "notify_and_inform"]
_ORDER: dict[RiskLevel, int] = {"unlikely": 0, "risk": 1, "high": 2}


class BreachRules(RuleFile):
    """Periods, kind lists and step order of ``rules/breach.yaml``."""

    notification_hours: int
    local_timezone: str
    many_subjects: int
    special_category_kinds: list[str]
    high_risk_kinds: list[str]
    step_order: list[str]


def _rules() -> BreachRules:
    return load_rules(TOOL, BreachRules)


class BreachFacts(Facts):
    """What the breach duties depend on."""

    discovered_at: dt.datetime | None = Field(
        default=None, description="When you became aware of the breach (YYYY-MM-DDTHH:MM, Belgian time)."
    )
    personal_data: bool | None = Field(default=None, description="Were personal data affected at all?")
    data_kinds: list[DataKind] | None = Field(default=None, description="Kinds of personal data affected.")
    subjects_count: int | None = Field(default=None, ge=0, description="Approximate number of people.")
    encrypted: bool | None = Field(
        default=None,
        description="State-of-the-art encryption (or salted password hashes); key not compromised.",
    )
    contained: bool | None = Field(
        default=None, description="Is the leak stopped and the data secured again?"
    )
    special_categories: bool = Field(
        default=False, description="Health, religion, ... data (also implied by data_kinds)."
    )
    availability_only: bool | None = Field(
        default=None,
        description="Established that nobody saw or copied the data: only access to it was lost.",
    )
    backup_restored: bool | None = Field(
        default=None, description="A usable backup exists and the data is or can promptly be restored."
    )
    recipient_trusted: bool | None = Field(
        default=None,
        description="Sent by mistake to a known, trustworthy recipient (e.g. bound by secrecy).",
    )
    publicly_exposed: bool | None = Field(
        default=None, description="Reachable by anyone, e.g. published or indexed by a search engine."
    )
    now: dt.datetime | None = Field(
        default=None, description="Current time, to tell whether 72 h have passed."
    )

    @model_validator(mode="after")
    def _consistent(self) -> BreachFacts:
        # A breach where data was seen or sent elsewhere is not an availability-only breach.
        if self.availability_only and (self.publicly_exposed or self.recipient_trusted):
            raise ValueError("availability_only cannot be true when publicly_exposed or recipient_trusted is")
        return self


class BreachVerdict(Verdict):
    """Whether it is a breach, the risk, and the notification, information and record duties."""

    breach: bool | None = None
    risk_level: RiskLevel | None = None
    notify_authority: bool | None = None
    notify_deadline: dt.datetime | None = None
    deadline_passed: bool | None = None
    inform_individuals: Inform | None = None
    document_internally: bool = True
    immediate_steps: list[str] = Field(default_factory=list)
    high_risk_kinds: list[str] = Field(default_factory=list)
    summary: Summary | None = None


def notify_deadline(discovered_at: dt.datetime, hours: int, local_tz: str) -> dt.datetime:
    """Return the moment ``hours`` elapsed hours after discovery, in the discovery's own time form."""
    tz = ZoneInfo(local_tz)
    aware = discovered_at if discovered_at.tzinfo else discovered_at.replace(tzinfo=tz)
    # Art. 33(1) counts hours from awareness: elapsed time, so compute in UTC.
    due = (aware.astimezone(dt.UTC) + dt.timedelta(hours=hours)).astimezone(aware.tzinfo)
    return due if discovered_at.tzinfo else due.replace(tzinfo=None)


def _as_utc(moment: dt.datetime, local_tz: str) -> dt.datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(local_tz))
    return aware.astimezone(dt.UTC)


def _kinds(facts: BreachFacts) -> set[str]:
    kinds: set[str] = set(facts.data_kinds or [])
    if facts.special_categories:
        kinds.add("special_categories")
    return kinds


def _special(kinds: set[str]) -> bool:
    return bool(kinds & set(_rules().special_category_kinds))


def _trusted_and_contained(facts: BreachFacts) -> bool:
    # EDPB 01/2021 case 09: a trustworthy recipient who has deleted the data makes harm unlikely.
    return bool(facts.recipient_trusted) and facts.contained is True


def _availability_in_play(facts: BreachFacts) -> bool:
    # Encryption protects confidentiality, not availability: a stolen encrypted laptop still
    # takes its data with it, so whether a backup exists decides the remaining risk.
    return facts.availability_only is True or (facts.encrypted is True and not _trusted_and_contained(facts))


def _plain_risk_possible(facts: BreachFacts) -> bool:
    """Return whether only the head count can still decide whether to inform people."""
    if facts.availability_only or facts.encrypted is not False or facts.data_kinds is None:
        return False
    if _trusted_and_contained(facts) or facts.publicly_exposed:
        return False
    return not _kinds(facts) & set(_rules().high_risk_kinds)


def _risk_unlikely_already(facts: BreachFacts) -> bool:
    """Return whether the known facts already make the risk unlikely (no notification)."""
    if _trusted_and_contained(facts):
        return True
    if facts.backup_restored is not True or facts.data_kinds is None or _special(_kinds(facts)):
        return False
    return facts.availability_only is True or facts.encrypted is True


def _missing(facts: BreachFacts) -> list[str]:
    if facts.personal_data is None:
        # Nothing else matters until we know personal data are involved at all.
        return ["personal_data"]
    if facts.personal_data is False:
        return []
    missing = []
    if facts.discovered_at is None and not _risk_unlikely_already(facts):
        missing.append("discovered_at")
    if facts.data_kinds is None:
        missing.append("data_kinds")
    if facts.contained is None:
        missing.append("contained")
    if facts.encrypted is None and not facts.availability_only and not _trusted_and_contained(facts):
        missing.append("encrypted")
    if facts.backup_restored is None and _availability_in_play(facts):
        missing.append("backup_restored")
    if facts.subjects_count is None and _plain_risk_possible(facts):
        missing.append("subjects_count")
    return missing


def _availability_risk(facts: BreachFacts, kinds: set[str], trail: Trail) -> RiskLevel:
    special = _special(kinds)
    if facts.backup_restored:
        trail.add("BACKUP_RESTORED")
        if special:
            # EDPB 01/2021 case 03: even restored, unavailable health data can harm people.
            trail.add("SENSITIVE_DATA_UNAVAILABLE")
            return "risk"
        return "unlikely"
    trail.add("NO_BACKUP")
    if special:
        trail.add("SENSITIVE_DATA_UNAVAILABLE")
        return "high"
    return "risk"


def _confidentiality_risk(facts: BreachFacts, kinds: set[str], trail: Trail) -> RiskLevel:
    if facts.encrypted:
        trail.add("ENCRYPTED_KEY_SAFE")
        return "unlikely"
    if _trusted_and_contained(facts):
        trail.add("TRUSTED_RECIPIENT_CONTAINED")
        return "unlikely"
    if facts.availability_only is None and not (facts.publicly_exposed or facts.recipient_trusted):
        # EDPB 01/2021 §19: unless shown otherwise, assume the data may have been read or copied.
        trail.add("CONFIDENTIALITY_NOT_EXCLUDED")
    risk: RiskLevel = "risk"
    if kinds & set(_rules().high_risk_kinds):
        trail.add("HIGH_RISK_DATA")
        risk = "high"
    if facts.publicly_exposed:
        trail.add("PUBLICLY_EXPOSED")
    if risk == "risk" and not facts.publicly_exposed:
        trail.add("ORDINARY_DATA")
    return risk


def _risks(facts: BreachFacts, kinds: set[str], trail: Trail) -> tuple[RiskLevel, RiskLevel]:
    """Return the confidentiality and the availability risk (``unlikely`` when not in play)."""
    confidentiality: RiskLevel = "unlikely"
    availability: RiskLevel = "unlikely"
    if facts.availability_only:
        trail.add("AVAILABILITY_ONLY")
    else:
        confidentiality = _confidentiality_risk(facts, kinds, trail)
    if _availability_in_play(facts):
        availability = _availability_risk(facts, kinds, trail)
    return confidentiality, availability


def _inform(
    facts: BreachFacts, kinds: set[str], confidentiality: RiskLevel, availability: RiskLevel, trail: Trail
) -> Inform:
    """Decide the Art. 34 duty to tell the people concerned."""
    if "high" in (confidentiality, availability):
        trail.add("INFORM_REQUIRED")
        return "required"
    # Not high: Art. 34(1) does not oblige, but telling people lets them guard against misuse
    # (phishing after a public leak, many people reached) or plan around lost health data.
    recommended = False
    if confidentiality == "risk":
        if (facts.subjects_count or 0) >= _rules().many_subjects:
            trail.add("MANY_SUBJECTS")
            recommended = True
        recommended = recommended or bool(facts.publicly_exposed)
    if availability == "risk" and _special(kinds):
        recommended = True
    if recommended:
        trail.add("INFORM_RECOMMENDED")
        return "recommended"
    trail.add("INFORM_NOT_REQUIRED")
    return "not_required"


def _steps(facts: BreachFacts, kinds: set[str], notify: bool, inform: Inform) -> list[str]:
    steps = {"PRESERVE_EVIDENCE", "ASSESS", "DOCUMENT"}
    if facts.contained is False:
        steps.add("CONTAIN")
    if "credentials" in kinds:
        steps.add("CHANGE_PASSWORDS")
    if facts.publicly_exposed:
        steps.add("REMOVE_FROM_SEARCH")
    if facts.recipient_trusted and facts.contained is False:
        steps.add("REQUEST_DELETION")
    if _availability_in_play(facts) and facts.backup_restored:
        steps.add("RESTORE_FROM_BACKUP")
    if notify:
        steps.add("NOTIFY_GBA")
    if inform != "not_required":
        steps.add("INFORM_PEOPLE")
    return [step for step in _rules().step_order if step in steps]


def _no_breach(trail: Trail) -> BreachVerdict:
    trail.add("NO_PERSONAL_DATA")
    # Art. 5(2): record why the incident was not a personal data breach.
    trail.add("DOCUMENT_ASSESSMENT")
    return BreachVerdict(
        **trail.common(
            TOOL,
            breach=False,
            notify_authority=False,
            inform_individuals="not_required",
            immediate_steps=["DOCUMENT"],
            summary="no_breach",
        )
    )


def _deadline_fields(facts: BreachFacts, trail: Trail) -> tuple[dt.datetime | None, bool | None]:
    rules = _rules()
    if facts.discovered_at is None:
        return None, None
    due = notify_deadline(facts.discovered_at, rules.notification_hours, rules.local_timezone)
    if facts.now is None:
        return due, None
    passed = _as_utc(facts.now, rules.local_timezone) > _as_utc(due, rules.local_timezone)
    if passed:
        # Art. 33(1): a late notification must give the reasons for the delay.
        trail.add("NOTIFY_LATE")
    return due, passed


def assess(facts: BreachFacts) -> BreachVerdict:
    """Decide the notification, information and record duties for a security incident."""
    rules = _rules()
    missing = _missing(facts)
    if missing:
        return BreachVerdict(**need_more(TOOL, rules, missing))
    trail = Trail(rules)
    if not facts.personal_data:
        return _no_breach(trail)
    trail.add("PERSONAL_DATA_BREACH")
    kinds = _kinds(facts)
    confidentiality, availability = _risks(facts, kinds, trail)
    risk = max(confidentiality, availability, key=_ORDER.__getitem__)
    notify = risk != "unlikely"
    due: dt.datetime | None = None
    passed: bool | None = None
    if notify:
        trail.add("NOTIFY_WITHIN_72H")
        if facts.contained is False:
            trail.add("NOTIFY_IN_PHASES")
        due, passed = _deadline_fields(facts, trail)
    else:
        trail.add("RISK_UNLIKELY")
    inform = _inform(facts, kinds, confidentiality, availability, trail)
    trail.add("DOCUMENT_INTERNALLY")
    summary: Summary = (
        "notify_and_inform" if inform == "required" else "notify_authority" if notify else "document_only"
    )
    return BreachVerdict(
        **trail.common(
            TOOL,
            breach=True,
            risk_level=risk,
            notify_authority=notify,
            notify_deadline=due,
            deadline_passed=passed,
            inform_individuals=inform,
            immediate_steps=_steps(facts, kinds, notify, inform),
            high_risk_kinds=sorted(kinds & set(rules.high_risk_kinds)),
            summary=summary,
        )
    )
