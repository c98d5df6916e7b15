"""The roster: who may review and approve what (content/governance/roster.yaml).

A `Roster` answers two questions: which people hold a role (`holders("unit.section", "jyj")`), and
which person an identity seen in Git or on a forge is (`identify(Actor(...))`). People are matched by
e-mail first (what Git trailers and commits carry), then by forge username (what the APIs return),
then by exact name when exactly one person has it.

`roster_diagnostics` reports what the schema cannot see: a role held by nobody in `people`, a unit
that does not exist, a unit with no section reviewer or leader, a section reviewer who is also the
unit's only leader (then no change of that unit can ever be approved by two different people).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from pipeline.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from pipeline.content.loader import Item
    from pipeline.content.repository import Repository

ROSTER_PATH = "content/governance/roster.yaml"

ROLE_LABELS = {
    "office.reviewers": "市人民政府办公室审核",
    "office.egov_leader": "电子政务中心分管领导",
    "office.principal_leader": "办公室主要领导",
    "unit.section": "科室审核",
    "unit.leader": "负责领导",
    "office.editors": "网站编辑",
    "unit.editors": "信息员",
}


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str
    gitlab: str = ""
    github: str = ""
    unit: str = ""
    post: str = ""

    @property
    def display(self) -> str:
        return f"{self.name} <{self.email}>"

    def username(self, forge: str) -> str:
        return self.gitlab if forge == "gitlab" else self.github


@dataclass(frozen=True)
class Actor:
    """Somebody seen in Git or on a forge: an author, a trailer, an API user."""

    name: str = ""
    email: str = ""
    username: str = ""  # forge username, when the identity comes from an API
    forge: str = ""

    @property
    def display(self) -> str:
        if self.email:
            return f"{self.name} <{self.email}>" if self.name else f"<{self.email}>"
        if self.username:
            return f"{self.name}(@{self.username})" if self.name else f"@{self.username}"
        return self.name or "?"


@dataclass
class Roster:
    people: dict[str, Person] = field(default_factory=dict)
    office: dict[str, list[str]] = field(default_factory=dict)  # role -> person ids
    units: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # unit -> role -> ids

    @classmethod
    def from_meta(cls, meta) -> "Roster":
        """Build from the parsed YAML; tolerant of bad shapes (the schema reports them)."""
        roster = cls()
        meta = meta if isinstance(meta, dict) else {}
        for entry in _list(meta.get("people")):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            roster.people.setdefault(entry["id"], Person(
                id=entry["id"], name=str(entry.get("name") or entry["id"]), email=str(entry.get("email") or ""),
                gitlab=str(entry.get("gitlab") or ""), github=str(entry.get("github") or ""),
                unit=str(entry.get("unit") or ""), post=str(entry.get("post") or "")))
        office = meta.get("office") if isinstance(meta.get("office"), dict) else {}
        for role in ("reviewers", "egov_leader", "principal_leader", "editors"):
            roster.office[role] = _ids(office.get(role))
        units = meta.get("units") if isinstance(meta.get("units"), dict) else {}
        for unit, roles in units.items():
            roles = roles if isinstance(roles, dict) else {}
            roster.units[str(unit)] = {"section": _ids(roles.get("section")), "leader": _ids(roles.get("leader")),
                                       "editors": _ids(roles.get("editors"))}
        return roster

    @classmethod
    def from_repository(cls, repo: "Repository") -> "Roster | None":
        item = repo.governance.get("roster")
        return cls.from_meta(item.meta) if item is not None else None

    # --- roles ---------------------------------------------------------------

    def holders(self, role: str, unit: str | None = None) -> list[Person]:
        """People holding `role` ("office.reviewers", "unit.section", ...), in roster order."""
        scope, _, name = role.partition(".")
        if scope == "office":
            ids = self.office.get(name, [])
        elif scope == "unit":
            ids = self.units.get(unit or "", {}).get(name, [])
        else:
            ids = []
        return [self.people[i] for i in ids if i in self.people]

    def has_unit(self, unit: str) -> bool:
        return unit in self.units

    # --- identities ------------------------------------------------------------

    def identify(self, actor: Actor) -> Person | None:
        if actor.email:
            email = actor.email.strip().lower()
            for person in self.people.values():
                if person.email.lower() == email:
                    return person
        if actor.username:
            wanted = actor.username.lower()
            for person in self.people.values():
                names = [person.username(actor.forge)] if actor.forge else [person.gitlab, person.github]
                if wanted in {n.lower() for n in names if n}:
                    return person
        if actor.name:
            named = [p for p in self.people.values() if p.name == actor.name.strip()]
            if len(named) == 1 and not actor.email:
                return named[0]
        return None

    def describe(self, actor: Actor) -> str:
        person = self.identify(actor)
        return person.display if person else actor.display


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _ids(value) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def roster_diagnostics(repo: "Repository") -> Iterable[Diagnostic]:
    """Cross-references of the roster the schema cannot check (GK-OWN-002)."""
    item: Item | None = repo.governance.get("roster")
    if item is None:
        return
    roster = Roster.from_meta(item.meta)
    meta = item.meta if isinstance(item.meta, dict) else {}

    def diag(message, *pointer):
        return item.diagnostic("GK-OWN-002", Severity.ERROR, message, *pointer)

    seen_emails: dict[str, str] = {}
    for index, entry in enumerate(_list(meta.get("people"))):
        if not isinstance(entry, dict):
            continue
        email = str(entry.get("email") or "").lower()
        if email and email in seen_emails and seen_emails[email] != entry.get("id"):
            yield diag(f"邮箱 {entry.get('email')} 同时属于「{seen_emails[email]}」和「{entry.get('id')}」:"
                       "审批记录按邮箱识别人员,邮箱必须一人一个。", "people", index, "email")
        seen_emails.setdefault(email, entry.get("id"))
        unit = entry.get("unit")
        if isinstance(unit, str) and unit not in repo.units:
            yield diag(f"人员「{entry.get('id')}」的所在单位「{unit}」不存在(content/units/ 下没有 {unit}.yaml)。",
                       "people", index, "unit")
    ids_seen: set[str] = set()
    for index, entry in enumerate(_list(meta.get("people"))):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            if entry["id"] in ids_seen:
                yield diag(f"人员编号「{entry['id']}」重复。", "people", index, "id")
            ids_seen.add(entry["id"])

    for role, ids in roster.office.items():
        for pos, pid in enumerate(ids):
            if pid not in roster.people:
                yield diag(f"{ROLE_LABELS['office.' + role]}中的「{pid}」不在 people 名单中。", "office", role, pos)
    for unit, roles in roster.units.items():
        if unit not in repo.units:
            yield diag(f"名册列出的单位「{unit}」不存在(content/units/ 下没有 {unit}.yaml)。", "units", unit)
        for role, ids in roles.items():
            for pos, pid in enumerate(ids):
                if pid not in roster.people:
                    yield diag(f"单位「{unit}」的{ROLE_LABELS['unit.' + role]}「{pid}」不在 people 名单中。",
                               "units", unit, role, pos)
        if roles["section"] and set(roles["leader"]) <= set(roles["section"]) and roles["leader"]:
            yield diag(f"单位「{unit}」的负责领导同时是科室审核人,且没有其他负责领导:审核和审批必须由两个不同的人完成。",
                       "units", unit, "leader")
    for unit in sorted(repo.units):
        if unit not in roster.units:
            yield item.diagnostic("GK-OWN-002", Severity.ERROR,
                                  f"名册中没有单位「{unit}」的科室审核人和负责领导:该单位的信息无人可以审批。"
                                  f"请在 units 下增加 {unit}。", "units")
