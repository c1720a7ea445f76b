"""Vendor continuity: can you get your data back if your SaaS vendor stops or goes bankrupt?"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tools.base import Facts, RuleFile, Trail, Verdict, load_rules, need_more

TOOL = "vendor_exit"

ExportFormat = Literal["csv", "xlsx", "json", "xml", "sql", "pdf_only", "proprietary", "none"]
DataLocation = Literal["eea", "outside_eea", "unknown"]
RiskLevel = Literal["low", "medium", "high", "critical"]


class VendorExitRules(RuleFile):
    """Formats, gap order and severities, and action priorities of ``rules/vendor_exit.yaml``."""

    open_formats: list[str]
    gap_order: list[str]
    high_gaps: list[str]
    low_gaps: list[str]
    gap_actions: dict[str, str]
    preventive_actions: list[str]
    action_order: list[str]


def _rules() -> VendorExitRules:
    return load_rules(TOOL, VendorExitRules)


class VendorExitFacts(Facts):
    """What the continuity of one SaaS or software vendor depends on."""

    export_formats: list[ExportFormat] | None = Field(
        default=None, description="Formats in which you can export all your data yourself."
    )
    own_backups: bool | None = Field(default=None, description="Do you keep your own regular backups?")
    backup_open_format: bool | None = Field(
        default=None, description="Are those backups readable without the vendor's software?"
    )
    critical: bool | None = Field(default=None, description="Would the business stop without this software?")
    escrow: bool | None = Field(default=None, description="Is there an escrow agreement (source code, data)?")
    data_location: DataLocation | None = Field(default=None, description="Where the data are stored.")
    transfer_safeguards: bool | None = Field(
        default=None, description="Adequacy decision (e.g. EU-US Data Privacy Framework) or SCCs in place."
    )
    return_or_delete_clause: bool | None = Field(
        default=None, description="Does the processor agreement say the data are returned at the end?"
    )
    data_act_switching_terms: bool | None = Field(
        default=None, description="Does the contract set out the Data Act switching terms?"
    )
    vendor_in_difficulty: bool | None = Field(
        default=None, description="Has the vendor announced bankruptcy, closure or the end of the service?"
    )
    personal_data: bool = Field(
        default=True, description="Does the vendor hold personal data for you (customers, staff)?"
    )


class VendorExitVerdict(Verdict):
    """Risk level, gaps in the exit arrangements and the actions to take, most urgent first."""

    risk_level: RiskLevel | None = None
    gaps: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    portability_note: bool = False
    possible_availability_breach: bool = False


def _missing(facts: VendorExitFacts) -> list[str]:
    missing = []
    if facts.export_formats is None:
        missing.append("export_formats")
    if facts.own_backups is None:
        missing.append("own_backups")
    if facts.own_backups and facts.backup_open_format is None:
        missing.append("backup_open_format")
    if facts.critical is None:
        missing.append("critical")
    # Escrow is only a gap for software the business cannot do without.
    if facts.critical and facts.escrow is None:
        missing.append("escrow")
    if facts.personal_data:
        # Location, transfers and the Art. 28(3)(g) clause only concern personal data.
        if facts.data_location is None:
            missing.append("data_location")
        if facts.data_location == "outside_eea" and facts.transfer_safeguards is None:
            missing.append("transfer_safeguards")
        if facts.return_or_delete_clause is None:
            missing.append("return_or_delete_clause")
    if facts.data_act_switching_terms is None:
        missing.append("data_act_switching_terms")
    if facts.vendor_in_difficulty is None:
        missing.append("vendor_in_difficulty")
    return missing


def _open_export(facts: VendorExitFacts) -> bool:
    return bool(set(facts.export_formats or []) & set(_rules().open_formats))


def _usable_copy(facts: VendorExitFacts) -> bool:
    # A backup only the vendor's software can read is no copy once the vendor is gone.
    return bool(facts.own_backups and facts.backup_open_format)


def _gaps(facts: VendorExitFacts) -> list[str]:
    """Return the gaps in the exit arrangements, most urgent first."""
    gaps = set()
    if not _open_export(facts):
        gaps.add("NO_OPEN_EXPORT")
    if not facts.own_backups:
        gaps.add("NO_OWN_BACKUP")
    elif not facts.backup_open_format:
        gaps.add("BACKUP_NOT_OPEN_FORMAT")
    if facts.critical and not facts.escrow:
        gaps.add("NO_ESCROW_CRITICAL")
    if facts.personal_data:
        if facts.data_location == "unknown":
            gaps.add("DATA_LOCATION_UNKNOWN")
        elif facts.data_location == "outside_eea" and not facts.transfer_safeguards:
            # Art. 44-46: no transfer outside the EEA without adequacy or appropriate safeguards.
            gaps.add("TRANSFER_WITHOUT_SAFEGUARDS")
        if not facts.return_or_delete_clause:
            gaps.add("NO_RETURN_DELETE_CLAUSE")
    if not facts.data_act_switching_terms:
        gaps.add("NO_DATA_ACT_TERMS")
    return [gap for gap in _rules().gap_order if gap in gaps]


def _risk_level(facts: VendorExitFacts, gaps: list[str]) -> RiskLevel:
    """Grade how exposed the business is if the vendor disappears."""
    rules = _rules()
    copy, export = _usable_copy(facts), _open_export(facts)
    serious = bool(set(gaps) & set(rules.high_gaps))
    if facts.vendor_in_difficulty:
        if not copy and not export:
            return "critical"
        return "high" if not copy or serious else "medium"
    if (not copy and not export) or serious or (facts.critical and not copy):
        return "high"
    return "medium" if set(gaps) - set(rules.low_gaps) else "low"


def _actions(facts: VendorExitFacts, gaps: list[str], breach: bool) -> list[str]:
    """Return the actions to take, in priority order."""
    rules = _rules()
    actions = {rules.gap_actions[gap] for gap in gaps}
    if facts.vendor_in_difficulty:
        # Contract fixes come too late for this vendor: they go into the next contract instead.
        if actions & set(rules.preventive_actions):
            actions -= set(rules.preventive_actions)
            actions.add("NEXT_VENDOR_TERMS")
        actions |= {"CONTACT_TRUSTEE", "START_SWITCHING"}
        if _open_export(facts):
            actions.add("EXPORT_ALL_DATA_NOW")
    else:
        actions.add("WRITE_EXIT_PLAN")
    if breach:
        actions.add("ASSESS_AVAILABILITY_BREACH")
    if facts.own_backups:
        actions.add("TEST_RESTORE")
    return [action for action in rules.action_order if action in actions]


def assess(facts: VendorExitFacts) -> VendorExitVerdict:
    """Grade the exit risk of one vendor and list its gaps and the actions to close them."""
    rules = _rules()
    missing = _missing(facts)
    if missing:
        return VendorExitVerdict(**need_more(TOOL, rules, missing))
    trail = Trail(rules)
    gaps = _gaps(facts)
    for gap in gaps:
        trail.add(gap)
    if facts.personal_data and facts.data_location == "outside_eea" and facts.transfer_safeguards:
        trail.add("TRANSFER_COVERED")
    if not gaps:
        trail.add("NO_GAPS")
    if facts.own_backups:
        trail.add("TEST_BACKUPS")
    if facts.vendor_in_difficulty:
        trail.add("VENDOR_IN_DIFFICULTY")
    # Art. 4(12): losing access to personal data is itself a breach (of availability).
    breach = bool(facts.personal_data and facts.vendor_in_difficulty and not _usable_copy(facts))
    if breach:
        trail.add("AVAILABILITY_BREACH")
    trail.add("DATA_ACT_SWITCHING")
    # Art. 20 gives individuals, not businesses, a portability right: say so, the guide blurs it.
    trail.add("ART20_INDIVIDUALS_ONLY")
    return VendorExitVerdict(
        **trail.common(
            TOOL,
            risk_level=_risk_level(facts, gaps),
            gaps=gaps,
            actions=_actions(facts, gaps, breach),
            portability_note=True,
            possible_availability_breach=breach,
        )
    )
