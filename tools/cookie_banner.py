"""ePrivacy Art. 5(3) and Belgian law: audit a website's cookie banner."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.base import Facts, RuleFile, Trail, Verdict, load_rules, need_more

TOOL = "cookie_banner"

Category = Literal["analytics", "marketing", "functional", "social_media"]
Priority = Literal["high", "medium", "low"]
PRIORITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}

# The two ways a banner can pretend a visitor agreed (EDPB Guidelines 05/2020).
IMPLIED_FACTS = ("consent_by_scrolling", "close_button_counts_as_consent")
# Facts whose single "bad" value is a violation on its own.
BAD_WHEN_TRUE = {
    "pre_ticked_boxes": "PRE_TICKED",
    "deceptive_design": "DECEPTIVE_DESIGN",
    "legitimate_interest_claims": "LEGIT_INTEREST_NONESSENTIAL",
    "cookie_wall": "COOKIE_WALL",
    "trackers_fire_after_reject": "REJECT_NOT_RESPECTED",
}
BAD_WHEN_FALSE = {
    "withdrawal_mechanism": "NO_EASY_WITHDRAWAL",
    "purposes_listed": "MISSING_PURPOSES",
    "vendors_listed": "MISSING_THIRD_PARTIES",
}


class ViolationRule(BaseModel):
    """How urgent a violation is and which fix removes it."""

    priority: Priority
    fix: str


class Precedent(BaseModel):
    """A Belgian enforcement decision on cookie banners, with the codes it concerned."""

    decision: str
    party: str
    codes: list[str]


class CookieBannerRules(RuleFile):
    """Categories, violations and precedents of ``rules/cookie_banner.yaml``."""

    non_essential_categories: list[Category]
    violations: dict[str, ViolationRule]
    precedents: list[Precedent]


def _rules() -> CookieBannerRules:
    return load_rules(TOOL, CookieBannerRules)


class CookieBannerFacts(Facts):
    """What is known about the website's cookies and its banner (None = not known yet)."""

    uses_non_essential_cookies: bool | None = Field(
        default=None, description="Anything beyond strictly necessary cookies (analytics, ads, …)."
    )
    reject_button_first_layer: bool | None = Field(
        default=None, description="A 'reject all' button on the first layer, as prominent as 'accept all'."
    )
    reject_as_link_only: bool | None = Field(
        default=None, description="Refusing is offered only as a text link, not as a button."
    )
    pre_ticked_boxes: bool | None = None
    cookies_before_consent: list[Category] | None = Field(
        default=None, description="Categories set before the visitor chose; [] means none."
    )
    deceptive_design: bool | None = Field(
        default=None, description="Colours, contrast or wording that push towards 'accept'."
    )
    withdrawal_mechanism: bool | None = Field(
        default=None, description="A permanent, easy way to change or withdraw consent later."
    )
    legitimate_interest_claims: bool | None = Field(
        default=None, description="The banner relies on 'legitimate interest' for non-essential cookies."
    )
    purposes_listed: bool | None = None
    vendors_listed: bool | None = None
    cookie_wall: bool | None = Field(
        default=None, description="The site cannot be used without accepting cookies."
    )
    consent_by_scrolling: bool | None = None
    close_button_counts_as_consent: bool | None = None
    non_essential_labelled_essential: bool | None = None
    trackers_fire_after_reject: bool | None = None
    functional_strictly_necessary: bool = Field(
        default=False,
        description=(
            "True only when every cookie the site calls 'functional' is strictly necessary for a"
            " service the visitor asked for (cart, login, language); otherwise they need consent."
        ),
    )


class Finding(BaseModel):
    """One violation, how urgent it is, its fix and its legal sources."""

    code: str
    fix: str
    priority: Priority
    citations: list[str]


class CookieBannerVerdict(Verdict):
    """Whether the banner is lawful and, if not, what to fix first."""

    compliant: bool | None = None
    violations: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    consent_required: bool | None = None
    non_essential_before_consent: list[Category] = Field(default_factory=list)
    precedents: list[str] = Field(default_factory=list)


def _early(facts: CookieBannerFacts, rules: CookieBannerRules) -> list[Category]:
    """Return the non-essential categories set before consent, in the rule file's order."""
    categories = set(rules.non_essential_categories)
    if facts.functional_strictly_necessary:
        # Art. 5(3) exempts storage strictly necessary for a service the user asked for.
        categories.discard("functional")
    seen = set(facts.cookies_before_consent or [])
    return [c for c in rules.non_essential_categories if c in categories and c in seen]


def _evidence(facts: CookieBannerFacts, early: list[Category]) -> bool:
    """Return True when other facts show non-essential cookies are in use."""
    return bool(early) or True in (
        facts.trackers_fire_after_reject,
        facts.non_essential_labelled_essential,
        facts.legitimate_interest_claims,
    )


def _consent_required(facts: CookieBannerFacts, early: list[Category]) -> bool | None:
    """Decide whether consent is needed at all: only strictly necessary cookies are exempt."""
    if facts.uses_non_essential_cookies is True or _evidence(facts, early):
        return True
    return facts.uses_non_essential_cookies


def _self_misclassified(facts: CookieBannerFacts, early: list[Category]) -> bool:
    """Return True when the owner calls the site 'strictly necessary only' yet the facts say otherwise."""
    return facts.uses_non_essential_cookies is False and _evidence(facts, early)


def _needed(name: str, facts: CookieBannerFacts, early: list[Category]) -> bool:
    """Return True when fact ``name`` is unknown and its answer can change the violations."""
    if getattr(facts, name) is not None:
        return False
    if name == "reject_button_first_layer":
        # "Reject only as a link" already settles that there is no reject button.
        return facts.reject_as_link_only is not True
    if name == "reject_as_link_only":
        # With a proper reject button, how else refusing is offered does not matter.
        return facts.reject_button_first_layer is not True
    if name in IMPLIED_FACTS:
        # One form of implied consent is enough for IMPLIED_CONSENT.
        return not any(getattr(facts, other) is True for other in IMPLIED_FACTS)
    if name == "non_essential_labelled_essential":
        return not _self_misclassified(facts, early)
    return True


CHECK_FACTS = (
    "reject_button_first_layer",
    "reject_as_link_only",
    "pre_ticked_boxes",
    "cookies_before_consent",
    "deceptive_design",
    "withdrawal_mechanism",
    "legitimate_interest_claims",
    "purposes_listed",
    "vendors_listed",
    "cookie_wall",
    "consent_by_scrolling",
    "close_button_counts_as_consent",
    "non_essential_labelled_essential",
    "trackers_fire_after_reject",
)


def _missing(facts: CookieBannerFacts, early: list[Category]) -> list[str]:
    """List the unknown facts the verdict still depends on."""
    required = _consent_required(facts, early)
    if required is None:
        # Only strictly necessary cookies → nothing else to check; so ask this first.
        return ["uses_non_essential_cookies"]
    if not required:
        return []
    return [name for name in CHECK_FACTS if _needed(name, facts, early)]


def _violations(facts: CookieBannerFacts, early: list[Category]) -> set[str]:
    """Return the violation codes the (complete) facts show."""
    found: set[str] = set()
    if facts.reject_button_first_layer is not True:
        # EDPB taskforce, GBA 131/2024: refusing must be one click on the first layer.
        found.add("REJECT_LINK_ONLY" if facts.reject_as_link_only else "NO_REJECT_FIRST_LAYER")
    if early:
        # Art. 5(3): consent comes before storage; analytics have no Belgian exemption.
        found.add("COOKIES_BEFORE_CONSENT")
    found |= {code for name, code in BAD_WHEN_TRUE.items() if getattr(facts, name) is True}
    found |= {code for name, code in BAD_WHEN_FALSE.items() if getattr(facts, name) is False}
    if any(getattr(facts, name) is True for name in IMPLIED_FACTS):
        # Art. 4(11): consent needs a clear affirmative act; silence or scrolling is not one.
        found.add("IMPLIED_CONSENT")
    if facts.non_essential_labelled_essential or _self_misclassified(facts, early):
        found.add("MISCLASSIFIED_ESSENTIAL")
    return found


def _findings(codes: set[str], rules: CookieBannerRules) -> list[Finding]:
    """Turn violation codes into findings, most urgent first, then in rule-file order."""
    order = list(rules.violations)
    ranked = sorted(codes, key=lambda c: (PRIORITY_RANK[rules.violations[c].priority], order.index(c)))
    return [
        Finding(
            code=code,
            fix=rules.violations[code].fix,
            priority=rules.violations[code].priority,
            citations=rules.citations[code],
        )
        for code in ranked
    ]


def assess(facts: CookieBannerFacts) -> CookieBannerVerdict:
    """Audit the cookie banner and list each violation with its fix."""
    rules = _rules()
    early = _early(facts, rules)
    missing = _missing(facts, early)
    if missing:
        return CookieBannerVerdict(**need_more(TOOL, rules, missing))
    trail = Trail(rules)
    if not _consent_required(facts, early):
        trail.add("ONLY_STRICTLY_NECESSARY")
        return CookieBannerVerdict(**trail.common(TOOL, compliant=True, consent_required=False))
    trail.add("CONSENT_REQUIRED")
    if "analytics" in early:
        # Belgium, unlike NL and FR, has no exemption for audience measurement.
        trail.add("NO_ANALYTICS_EXEMPTION_BE")
    findings = _findings(_violations(facts, early), rules)
    for finding in findings:
        trail.add(finding.code)
    if not findings:
        trail.add("NO_VIOLATIONS")
    # Art. 7(1): the controller must be able to demonstrate consent.
    trail.add("PROOF_OF_CONSENT")
    codes = {f.code for f in findings}
    precedents = [p.decision for p in rules.precedents if codes & set(p.codes)]
    return CookieBannerVerdict(
        **trail.common(
            TOOL,
            compliant=not findings,
            violations=[f.code for f in findings],
            findings=findings,
            consent_required=True,
            non_essential_before_consent=early,
            precedents=precedents,
        )
    )
