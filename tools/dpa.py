"""Art. 4, 26 and 28 GDPR: a service provider's role, and whether a processor agreement is needed."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.base import Facts, RuleFile, Trail, Verdict, load_rules, need_more

TOOL = "dpa"

ProviderType = Literal[
    "accountant",
    "statutory_auditor",
    "payroll_bureau",
    "saas_crm",
    "saas_other",
    "web_hosting",
    "it_managed_services",
    "it_hardware_repair",
    "software_vendor_on_premises",
    "email_marketing_service",
    "marketing_agency",
    "marketing_partner",
    "web_designer",
    "cleaning_company",
    "electricity_supplier",
    "bank",
    "lawyer",
    "courier",
    "peppol_access_point",
    "other",
]
Access = Literal["none", "incidental", "core", "own_relationship"]
Role = Literal["processor", "controller", "joint_controller", "none"]
TypicalRole = Literal["processor", "controller", "joint_controller", "none", "depends"]
OtherMeasure = Literal["confidentiality_clause", "art26_arrangement"]

# The booleans that settle the role once the provider has core access to the data.
ROLE_FACTS = ("decides_purposes", "own_legal_obligations", "jointly_determines", "uses_data_for_own_purposes")


class ProviderDefault(BaseModel):
    """What a provider type usually does: the expectation behind the question, never the verdict."""

    access: Access | Literal["unknown"]
    role: TypicalRole


class ChecklistEntry(BaseModel):
    """One item a processor agreement must cover, with its GDPR and model-clause references."""

    code: str
    gdpr: str
    scc: str


class DpaRules(RuleFile):
    """Provider expectations and the processor-agreement checklist of ``rules/dpa.yaml``."""

    provider_defaults: dict[str, ProviderDefault]
    role_per_service_types: list[str]
    checklist: list[ChecklistEntry] = Field(min_length=1)


def _rules() -> DpaRules:
    return load_rules(TOOL, DpaRules)


class DpaFacts(Facts):
    """What a provider's role depends on, for one service it delivers."""

    provider_type: ProviderType | None = Field(default=None, description="Kind of provider.")
    service: str | None = Field(default=None, description="What the provider does (descriptive only).")
    personal_data_access: Access | None = Field(
        default=None, description="How the provider comes into contact with personal data."
    )
    decides_purposes: bool | None = None
    own_legal_obligations: bool | None = None
    uses_data_for_own_purposes: bool | None = None
    jointly_determines: bool | None = None
    data_outside_eea: bool | None = None


class DpaVerdict(Verdict):
    """The provider's role, whether an Art. 28 agreement is needed, and what it must contain."""

    role: Role | None = None
    dpa_required: bool | None = None
    other_measure: OtherMeasure | None = None
    transfer_safeguards_required: bool | None = None
    checklist: list[str] = Field(default_factory=list)
    # Added beyond the contract (optional fields):
    reason_code: str | None = None
    controller_for_own_purposes: bool = False
    checklist_refs: list[ChecklistEntry] = Field(default_factory=list)
    typical_role: TypicalRole | None = None


def _typical_role(facts: DpaFacts) -> TypicalRole | None:
    if facts.provider_type is None:
        return None
    default = _rules().provider_defaults.get(facts.provider_type)
    return default.role if default else None


def _missing(facts: DpaFacts) -> list[str]:
    """Return the unknown facts the role still depends on, for the path the known facts allow."""
    access = facts.personal_data_access
    if access is None:
        # Nothing else matters until we know whether the provider touches the data at all.
        return ["personal_data_access"]
    if access != "core":
        # none / incidental / own relationship settle the role without the role booleans.
        return []
    if facts.own_legal_obligations is True or facts.jointly_determines is True:
        # Own statutory duties (auditor, bank, lawyer) or a joint decision settle it alone.
        return []
    if facts.decides_purposes is True:
        # Controller either way; only "alone or together with the client" is still open.
        return [] if facts.jointly_determines is not None else ["jointly_determines"]
    return [name for name in ROLE_FACTS if getattr(facts, name) is None]


def _core_role(facts: DpaFacts, trail: Trail) -> tuple[Role, str]:
    """Decide the role of a provider with core access to the client's personal data."""
    if facts.own_legal_obligations:
        # Art. 4(7): a provider acting on its own statutory duties (statutory audit, bank,
        # lawyer) decides why it processes; it is its own controller, not the client's processor.
        trail.add("R_OWN_LEGAL_OBLIGATIONS")
        return "controller", "R_OWN_LEGAL_OBLIGATIONS"
    if facts.jointly_determines:
        # Art. 26(1): two parties deciding purposes and means together are joint controllers.
        trail.add("R_JOINT_CONTROLLERS")
        return "joint_controller", "R_JOINT_CONTROLLERS"
    if facts.decides_purposes:
        trail.add("R_DECIDES_PURPOSES")
        return "controller", "R_DECIDES_PURPOSES"
    # Art. 4(8): processing on the client's behalf and on its instructions.
    trail.add("R_PROCESSOR")
    return "processor", "R_PROCESSOR"


def _transfers(facts: DpaFacts, trail: Trail) -> bool:
    """Return whether Chapter V safeguards are needed for data the client hands over."""
    if facts.personal_data_access != "core":
        # No data handed over by the client (none, incidental, or collected by the provider itself).
        return False
    if facts.data_outside_eea is None:
        # Optional fact: the role stands without it, but the location must still be checked.
        trail.add("R_CHECK_DATA_LOCATION")
        return False
    if facts.data_outside_eea:
        # Art. 44: a transfer outside the EEA needs an adequacy decision (Art. 45, e.g. the
        # EU-US Data Privacy Framework for certified US companies) or safeguards such as the
        # Commission's standard contractual clauses (Art. 46(2)(c)).
        trail.add("R_TRANSFER_SAFEGUARDS")
        return True
    return False


def assess(facts: DpaFacts) -> DpaVerdict:
    """Decide the provider's role and whether an Art. 28 processor agreement is needed."""
    rules = _rules()
    typical = _typical_role(facts)
    missing = _missing(facts)
    if missing:
        return DpaVerdict(**need_more(TOOL, rules, missing), typical_role=typical)
    trail = Trail(rules)
    if facts.provider_type in rules.role_per_service_types:
        # EDPB 07/2020: an accountant's role depends on the service; views differ (contested).
        trail.add("R_ROLE_PER_SERVICE")
    access = facts.personal_data_access
    other_measure: OtherMeasure | None = None
    own_purposes = False
    role: Role
    if access == "none":
        trail.add("R_NO_PERSONAL_DATA_ACCESS")
        role, code = "none", "R_NO_PERSONAL_DATA_ACCESS"
    elif access == "incidental":
        # Not a processor: the service is not aimed at the data (EDPB 07/2020). Art. 32(1):
        # the client still keeps its data confidential, hence a confidentiality clause.
        trail.add("R_INCIDENTAL_ACCESS")
        role, code, other_measure = "none", "R_INCIDENTAL_ACCESS", "confidentiality_clause"
    elif access == "own_relationship" and not facts.jointly_determines:
        # The provider holds the data under its own contract with the people concerned.
        trail.add("R_OWN_RELATIONSHIP")
        role, code = "controller", "R_OWN_RELATIONSHIP"
    elif access == "own_relationship":
        trail.add("R_JOINT_CONTROLLERS")
        role, code = "joint_controller", "R_JOINT_CONTROLLERS"
    else:
        role, code = _core_role(facts, trail)
        if role == "processor" and facts.uses_data_for_own_purposes:
            # Art. 28(10): a processor that determines purposes of its own becomes the
            # controller for that processing; the agreement still covers the rest.
            trail.add("R_OWN_PURPOSES_CONTROLLER")
            own_purposes = True
    if role == "joint_controller":
        # Art. 26(1): an arrangement setting out each party's duties, not an Art. 28 contract.
        other_measure = "art26_arrangement"
    checklist: list[ChecklistEntry] = []
    if role == "processor":
        trail.add("R_SCC_MODEL")
        checklist = list(rules.checklist)
    transfer = _transfers(facts, trail)
    return DpaVerdict(
        **trail.common(
            TOOL,
            role=role,
            dpa_required=role == "processor",
            other_measure=other_measure,
            transfer_safeguards_required=transfer,
            checklist=[entry.code for entry in checklist],
            checklist_refs=checklist,
            reason_code=code,
            controller_for_own_purposes=own_purposes,
            typical_role=typical,
        )
    )
