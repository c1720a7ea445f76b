"""Photos of identifiable people: may they be taken and published, on which basis, under which conditions?"""

from __future__ import annotations

from typing import Literal, NamedTuple

from pydantic import Field

from tools.base import Facts, RuleFile, Trail, Verdict, load_rules, need_more

TOOL = "photos"

Setting = Literal["ambient_crowd", "small_group", "posed_group", "targeted_portrait"]
Subject = Literal["employees", "former_employee", "clients", "children", "patients", "public", "suppliers"]
Channel = Literal[
    "intranet",
    "internal_access_badge",
    "website",
    "website_recruitment_page",
    "public_social_media",
    "print_brochure",
]
Origin = Literal["event", "cctv_still", "other"]
Allowed = Literal["yes", "with_notice_and_optout", "with_consent", "no"]
NeededBasis = Literal["legitimate_interest", "consent", "consent_parental", "explicit_consent"]
Basis = Literal["not_personal_data", "none"] | NeededBasis

STRICT_CODES = {"children": "R_CHILDREN", "patients": "R_PATIENTS"}
STAFF = ("employees", "former_employee")


class PhotosRules(RuleFile):
    """Channel lists, strict subjects and condition sets of ``rules/photos.yaml``."""

    internal_channels: list[str]
    channels_without_opt_out: list[str]
    strict_subjects: dict[str, NeededBasis]
    basis_order: list[NeededBasis]
    conditions: dict[str, list[str]]


def _rules() -> PhotosRules:
    return load_rules(TOOL, PhotosRules)


class PhotosFacts(Facts):
    """What the lawfulness of taking and publishing a photo depends on."""

    identifiable: bool | None = Field(default=None, description="Can people in the photo be recognised?")
    setting: Setting | None = None
    subjects: list[Subject] | None = Field(default=None, min_length=1, description="Who is in the photo.")
    channel: Channel | None = Field(default=None, description="Where the photo will be used.")
    prior_notice: bool | None = None
    opt_out_offered: bool | None = None
    consent_obtained: bool | None = None
    employee_refused: bool | None = None
    removal_requested: bool | None = None
    subject_used_opt_out: bool | None = None
    origin: Origin = "event"


class PhotosVerdict(Verdict):
    """Whether the photo may be used, on which basis, and the conditions to respect."""

    allowed: Allowed | None = None
    basis: Basis | None = None
    conditions: list[str] = Field(default_factory=list)
    # Added beyond the contract (optional fields):
    reason_code: str | None = None
    person_specific: bool = False


class _Need(NamedTuple):
    """The basis one group of people in the photo requires, and the rule that says so."""

    basis: NeededBasis
    code: str
    subject: str


def _need(subject: str, facts: PhotosFacts) -> _Need | list[str]:
    """Return the basis ``subject`` requires, or the facts still needed to tell."""
    rules = _rules()
    strict = rules.strict_subjects.get(subject)
    if strict is not None:
        # Children and patients: the strict basis applies in any setting and on any channel.
        return _Need(strict, STRICT_CODES[subject], subject)
    if facts.setting is None:
        return ["setting"]
    if facts.setting == "ambient_crowd":
        # Nobody is singled out: legitimate interest, with notice and an easy opt-out.
        return _Need("legitimate_interest", "R_AMBIENT_CROWD", subject)
    if subject == "employees":
        if facts.channel is None:
            return ["channel"]
        if facts.channel in rules.internal_channels:
            # EDPB 05/2020: staff consent is rarely free; internal use rests on legitimate interest.
            badge = facts.channel in rules.channels_without_opt_out
            return _Need("legitimate_interest", "R_BADGE_PHOTO" if badge else "R_EMPLOYEES_INTERNAL", subject)
        # Public or marketing use of a staff portrait: only genuinely optional consent (GBA 35/2024).
        return _Need("consent", "R_EMPLOYEES_PUBLIC_CONSENT", subject)
    if subject == "former_employee":
        # GBA 35/2024: the employment link is gone, so are contract and legitimate interest.
        return _Need("consent", "R_FORMER_EMPLOYEE", subject)
    # Targeted portrait or small group: consent, and the portrait right (Art. XI.174 CEL).
    return _Need("consent", "R_TARGETED_CONSENT", subject)


def _needs(facts: PhotosFacts) -> tuple[list[_Need], list[str]]:
    """Return each group's required basis and the facts still missing to know them all."""
    if facts.subjects is None:
        return [], ["setting", "subjects"] if facts.setting is None else ["subjects"]
    needs: list[_Need] = []
    missing: list[str] = []
    for subject in dict.fromkeys(facts.subjects):
        need = _need(subject, facts)
        if isinstance(need, list):
            missing += [name for name in need if name not in missing]
        else:
            needs.append(need)
    return needs, missing


def _refusal(facts: PhotosFacts, trail: Trail) -> PhotosVerdict | None:
    """Return a refusal verdict when someone in the photo has said no, else None."""
    rules = _rules()
    fired = [
        (flag, code)
        for flag, code in (
            ("removal_requested", "R_REMOVAL_REQUESTED"),
            ("subject_used_opt_out", "R_OPT_OUT_USED"),
            ("employee_refused", "R_EMPLOYEE_REFUSED"),
        )
        if getattr(facts, flag)
    ]
    if not fired:
        return None
    conditions: list[str] = []
    for flag, code in fired:
        trail.add(code)
        conditions += rules.conditions[flag]
    # The no is for the person who objected: the photo may be used without them (crop, blur).
    return PhotosVerdict(
        **trail.common(
            TOOL,
            allowed="no",
            basis="none",
            conditions=list(dict.fromkeys(conditions)),
            reason_code=fired[0][1],
            person_specific=True,
        )
    )


def _legitimate_interest(facts: PhotosFacts, needs: list[_Need], trail: Trail) -> PhotosVerdict:
    """Decide a photo that may rest on legitimate interest (Art. 6(1)(f))."""
    rules = _rules()
    no_opt_out = facts.setting != "ambient_crowd" and facts.channel in rules.channels_without_opt_out
    if facts.setting == "ambient_crowd":
        key = "legitimate_interest_event" if facts.origin == "event" else "legitimate_interest_other"
    else:
        key = "legitimate_interest_badge" if no_opt_out else "legitimate_interest_staff"
    conditions = rules.conditions[key]
    code = needs[0].code
    staff = any(n.subject in STAFF for n in needs)
    if facts.consent_obtained and not staff:
        # Everyone agreed (e.g. on the registration form): consent covers it, no opt-out needed.
        trail.add("R_CONSENT_COVERS_CROWD")
        return PhotosVerdict(
            **trail.common(
                TOOL,
                allowed="yes",
                basis="consent",
                conditions=rules.conditions["consent"],
                reason_code="R_CONSENT_COVERS_CROWD",
            )
        )
    # Art. 13(1): people are told beforehand; Art. 21(1): they can object, made easy by an opt-out.
    needed = ["prior_notice"] if no_opt_out else ["prior_notice", "opt_out_offered"]
    values = {name: getattr(facts, name) for name in needed}
    if False not in values.values() and None in values.values():
        return PhotosVerdict(**need_more(TOOL, rules, [n for n, v in values.items() if v is None]))
    in_place = all(values.values())
    if no_opt_out:
        trail.add("R_NOTICE_IN_PLACE" if in_place else "R_NOTICE_MISSING")
    else:
        trail.add("R_NOTICE_OPTOUT_IN_PLACE" if in_place else "R_NOTICE_OPTOUT_MISSING")
    return PhotosVerdict(
        **trail.common(
            TOOL,
            allowed="yes" if in_place else "with_notice_and_optout",
            basis="legitimate_interest",
            conditions=conditions,
            reason_code=code,
        )
    )


def _consent(facts: PhotosFacts, needs: list[_Need], basis: NeededBasis, trail: Trail) -> PhotosVerdict:
    """Decide a photo that needs some form of consent."""
    rules = _rules()
    if facts.consent_obtained is None:
        return PhotosVerdict(**need_more(TOOL, rules, ["consent_obtained"]))
    conditions = list(rules.conditions["consent"])
    codes = {n.code for n in needs}
    if "R_EMPLOYEES_PUBLIC_CONSENT" in codes:
        conditions += rules.conditions["employees"]
    for subject in STRICT_CODES:
        if any(n.subject == subject for n in needs):
            conditions += rules.conditions[subject]
    trail.add("R_CONSENT_IN_PLACE" if facts.consent_obtained else "R_CONSENT_MISSING")
    return PhotosVerdict(
        **trail.common(
            TOOL,
            allowed="yes" if facts.consent_obtained else "with_consent",
            basis=basis,
            conditions=list(dict.fromkeys(conditions)),
            reason_code=needs[0].code,
        )
    )


def assess(facts: PhotosFacts) -> PhotosVerdict:
    """Decide whether the photo may be taken and published, on which basis, and how."""
    rules = _rules()
    if facts.identifiable is None:
        # Whether anyone can be recognised decides whether the GDPR applies at all.
        return PhotosVerdict(**need_more(TOOL, rules, ["identifiable"]))
    trail = Trail(rules)
    if not facts.identifiable:
        # Art. 4(1): nobody identifiable, no personal data.
        trail.add("R_NOT_IDENTIFIABLE")
        return PhotosVerdict(
            **trail.common(TOOL, allowed="yes", basis="not_personal_data", reason_code="R_NOT_IDENTIFIABLE")
        )
    if facts.origin == "cctv_still":
        # Art. 5(1)(b) and the Camera Law: surveillance images serve security, not publication.
        trail.add("R_CCTV_STILL")
        return PhotosVerdict(
            **trail.common(
                TOOL,
                allowed="no",
                basis="none",
                conditions=rules.conditions["cctv_still"],
                reason_code="R_CCTV_STILL",
            )
        )
    refused = _refusal(facts, trail)
    if refused is not None:
        return refused
    needs, missing = _needs(facts)
    if missing:
        return PhotosVerdict(**need_more(TOOL, rules, missing))
    order = rules.basis_order
    # The most demanding group sets the basis for the whole photo; list it first.
    needs.sort(key=lambda n: order.index(n.basis), reverse=True)
    basis = needs[0].basis
    for code in dict.fromkeys(n.code for n in needs):
        trail.add(code)
    if basis == "legitimate_interest":
        return _legitimate_interest(facts, needs, trail)
    return _consent(facts, needs, basis, trail)
