"""robots.txt, noindex and access control: which sensitive web paths are exposed, and what first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from tools.base import Facts, RuleFile, Trail, Verdict, load_rules, need_more

TOOL = "web_exposure"

Priority = Literal["high", "medium", "low"]
Risk = Literal["none", "low", "medium", "high"]
PRIORITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}


class FindingRule(BaseModel):
    """How urgent a finding is and which actions answer it, in order."""

    priority: Priority
    priority_if_login: Priority | None = None
    actions: list[str]


class WebExposureRules(RuleFile):
    """Findings, action order and robots.txt word list of ``rules/web_exposure.yaml``."""

    findings: dict[str, FindingRule]
    action_order: list[str]
    notify_within_hours: int
    sensitive_words: list[str]
    harmless_patterns: list[str]


def _rules() -> WebExposureRules:
    return load_rules(TOOL, WebExposureRules)


class PathFacts(Facts):
    """One sensitive path or file on the website (None = not known yet)."""

    path: str = Field(min_length=1, description="URL path such as /exports/klanten.pdf, or a full URL.")
    requires_login: bool | None = None
    noindex: bool | None = Field(default=None, description="The page or file carries a noindex directive.")
    contains_personal_data: bool | None = None
    publicly_indexed: bool | None = Field(
        default=None, description="The path shows up in a search engine's results."
    )


class WebExposureFacts(Facts):
    """The site's robots.txt and its sensitive paths."""

    robots_txt: str | None = Field(default=None, description="Text of /robots.txt; '' when there is none.")
    paths: list[PathFacts] | None = None


class Finding(BaseModel):
    """One exposure problem on one path, how urgent it is and its legal sources."""

    code: str
    path: str
    priority: Priority
    citations: list[str]
    robots_rule: str | None = None
    blocked_for: list[str] = Field(default_factory=list)


class WebExposureVerdict(Verdict):
    """What is exposed, how bad it is, and the ordered action plan."""

    findings: list[Finding] = Field(default_factory=list)
    codes: list[str] = Field(default_factory=list, description="Distinct finding codes, most urgent first.")
    actions: list[str] = Field(default_factory=list)
    breach_suspected: bool | None = None
    risk: Risk | None = None
    notify_within_hours: int | None = None
    robots_disallow: list[str] = Field(default_factory=list)
    missing_path_facts: dict[str, list[str]] = Field(default_factory=dict)


# --- robots.txt (RFC 9309) ---------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One allow/disallow line of a robots.txt group."""

    agents: tuple[str, ...]
    allow: bool
    pattern: str

    @property
    def line(self) -> str:
        """Return the line as written in robots.txt."""
        return f"{'Allow' if self.allow else 'Disallow'}: {self.pattern}"

    @property
    def literal_prefix(self) -> str:
        """Return the part of the pattern before any wildcard: what it discloses."""
        return re.split(r"[*$]", self.pattern, maxsplit=1)[0]

    def matches(self, path: str) -> bool:
        """Return True when the pattern matches ``path`` (RFC 9309 §2.2.3: '*' and '$')."""
        body = self.pattern[:-1] if self.pattern.endswith("$") else self.pattern
        regex = ".*".join(re.escape(part) for part in body.split("*"))
        return re.match(regex + (r"\Z" if self.pattern.endswith("$") else ""), path) is not None


def parse_robots(text: str) -> list[Rule]:
    """Parse robots.txt into rules, each tagged with the user agents of its group."""
    rules: list[Rule] = []
    agents: list[str] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            # §2.1: a user-agent line after rules starts a new group.
            agents = [value.lower()] if in_rules else [*agents, value.lower()]
            in_rules = False
        elif key in ("allow", "disallow") and agents:
            in_rules = True
            if value:  # §2.2.2: an empty Disallow allows everything; it is no rule.
                rules.append(Rule(tuple(agents), key == "allow", value))
    return rules


def _blocked_for(rules: list[Rule], path: str) -> list[str]:
    """Return the user agents for which ``path`` is disallowed (longest match, allow wins ties)."""
    agents = sorted({a for r in rules for a in r.agents})
    blocked = []
    for agent in agents:
        matching = [r for r in rules if agent in r.agents and r.matches(path)]
        if not matching:
            continue
        best = max(matching, key=lambda r: (len(r.pattern), r.allow))
        if not best.allow:
            blocked.append(agent)
    return blocked


def _revealing_rule(rules: list[Rule], path: str) -> Rule | None:
    """Return the first robots.txt line that names this path (or a folder of it)."""
    for rule in rules:
        if len(rule.literal_prefix) > 1 and rule.matches(path):
            return rule
    return None


def _normalise(path: str) -> str:
    """Return the URL path (with query) of ``path``, which may be a full URL."""
    if "://" in path:
        parts = urlsplit(path)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith("/") else f"/{path}"


# --- deciding ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RobotsView:
    """What robots.txt says about one path (nothing while robots.txt is unknown)."""

    blocked_for: tuple[str, ...] = ()
    revealing: Rule | None = None


def _view(rules: list[Rule] | None, path: str) -> RobotsView:
    if rules is None:
        return RobotsView()
    norm = _normalise(path)
    return RobotsView(tuple(_blocked_for(rules, norm)), _revealing_rule(rules, norm))


def _path_missing(p: PathFacts, robots: RobotsView) -> list[str]:
    """List the unknown flags of ``p`` whose answer can change a finding."""
    pd, login, indexed = p.contains_personal_data, p.requires_login, p.publicly_indexed
    missing = []
    # Personal data matters for NO_ACCESS_CONTROL (unless behind login) and for
    # INDEXED_PERSONAL_DATA (a search engine cannot crawl past a login unless shown otherwise).
    if pd is None and (login is not True or indexed is True):
        missing.append("contains_personal_data")
    blocked_noindex = bool(robots.blocked_for) and p.noindex is not False
    if login is None and (pd is not False or blocked_noindex):
        missing.append("requires_login")
    if indexed is None and login is not True and pd is not False:
        missing.append("publicly_indexed")
    # noindex only matters once robots.txt is known to block the path (asked after robots_txt),
    # and not for personal data: that needs a login whatever the noindex says.
    if p.noindex is None and robots.blocked_for and login is not True and pd is not True:
        missing.append("noindex")
    return missing


def _path_findings(p: PathFacts, robots: RobotsView, rules: WebExposureRules) -> list[Finding]:
    """Return the findings for one path with complete facts."""
    found: list[tuple[str, Rule | None]] = []
    if p.contains_personal_data and p.publicly_indexed:
        # Art. 4(12): disclosure to anyone searching is a personal data breach.
        found.append(("INDEXED_PERSONAL_DATA", None))
    if p.contains_personal_data and p.requires_login is False:
        # Art. 32(1): confidentiality needs access control; robots.txt and noindex are not that.
        found.append(("NO_ACCESS_CONTROL", None))
    if robots.blocked_for and p.noindex and not (p.requires_login or p.contains_personal_data):
        # RFC 9309: a blocked URL is never fetched, so the noindex on it is never read. Moot
        # behind a login, and for personal data, where only access control will do.
        found.append(("ROBOTS_BLOCKS_NOINDEX", None))
    if robots.revealing is not None:
        # RFC 9309 §3: robots.txt is public; listing a path advertises it.
        found.append(("ROBOTS_REVEALS_PATH", robots.revealing))
    return [_finding(code, p.path, p.requires_login is True, rule, robots, rules) for code, rule in found]


def _finding(
    code: str, path: str, login: bool, rule: Rule | None, robots: RobotsView, rules: WebExposureRules
) -> Finding:
    spec = rules.findings[code]
    priority = spec.priority_if_login if login and spec.priority_if_login else spec.priority
    blocked = list(robots.blocked_for) if code == "ROBOTS_BLOCKS_NOINDEX" else []
    return Finding(
        code=code,
        path=path,
        priority=priority,
        citations=rules.citations[code],
        robots_rule=rule.line if rule else None,
        blocked_for=blocked,
    )


def _robots_only_findings(robots: list[Rule], covered: set[str], rules: WebExposureRules) -> list[Finding]:
    """Flag robots.txt lines that name sensitive-looking paths nobody described yet."""
    findings = []
    for rule in robots:
        prefix = rule.literal_prefix.lower()
        harmless = any(prefix.startswith(h) for h in rules.harmless_patterns)
        if len(prefix) <= 1 or rule.line in covered or harmless:
            continue
        if any(word in prefix for word in rules.sensitive_words):
            findings.append(
                Finding(
                    code="ROBOTS_REVEALS_PATH",
                    path=rule.pattern,
                    priority="low",
                    citations=rules.citations["ROBOTS_REVEALS_PATH"],
                    robots_rule=rule.line,
                )
            )
    return findings


def _actions(findings: list[Finding], rules: WebExposureRules) -> list[str]:
    """Return the action plan: every action the findings call for, in the rule file's order."""
    wanted = {a for f in findings for a in rules.findings[f.code].actions}
    return [a for a in rules.action_order if a in wanted]


def _risk(findings: list[Finding]) -> Risk:
    if not findings:
        return "none"
    best = min(findings, key=lambda f: PRIORITY_RANK[f.priority])
    return best.priority


def _missing(facts: WebExposureFacts, robots: list[Rule] | None) -> tuple[list[str], dict[str, list[str]]]:
    missing: list[str] = []
    per_path: dict[str, list[str]] = {}
    if facts.paths is None:
        missing.append("paths")
    if facts.robots_txt is None:
        missing.append("robots_txt")
    for i, p in enumerate(facts.paths or []):
        flags = _path_missing(p, _view(robots, p.path))
        if flags:
            per_path[p.path] = flags
            missing += [f"paths[{i}].{flag}" for flag in flags]
    return missing, per_path


def assess(facts: WebExposureFacts) -> WebExposureVerdict:
    """Find exposed sensitive paths and order what to do about them."""
    rules = _rules()
    robots = parse_robots(facts.robots_txt) if facts.robots_txt is not None else None
    missing, per_path = _missing(facts, robots)
    if missing:
        return WebExposureVerdict(**need_more(TOOL, rules, missing), missing_path_facts=per_path)
    robots = robots or []  # known here: _missing asks for robots_txt when it is None
    findings: list[Finding] = []
    for p in facts.paths or []:
        findings += _path_findings(p, _view(robots, p.path), rules)
    covered = {f.robots_rule for f in findings if f.robots_rule}
    findings += _robots_only_findings(robots, covered, rules)
    order = list(rules.findings)
    findings.sort(key=lambda f: (PRIORITY_RANK[f.priority], order.index(f.code)))
    codes = list(dict.fromkeys(f.code for f in findings))
    trail = Trail(rules)
    for code in codes:
        trail.add(code)
    if not findings:
        trail.add("NO_EXPOSURE_FOUND")
    breach = any(f.code == "INDEXED_PERSONAL_DATA" for f in findings)
    return WebExposureVerdict(
        **trail.common(
            TOOL,
            findings=findings,
            codes=codes,
            actions=_actions(findings, rules),
            breach_suspected=breach,
            risk=_risk(findings),
            # Art. 33(1): 72 hours from awareness, unless unlikely to result in a risk.
            notify_within_hours=rules.notify_within_hours if breach else None,
            robots_disallow=[r.pattern for r in robots if not r.allow],
        )
    )
