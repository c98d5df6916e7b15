"""Approvals recorded as Git trailers in a merge commit's message.

GitLab writes one `Approved-by: 姓名 <邮箱>` line per approver when the project's merge commit template
contains `%{approved_by}`, and one `Reviewed-by:` line per reviewer with `%{reviewed_by}` (see
ci/APPROVALS.md). The lines are looked for anywhere in the message, not only in the last paragraph,
because templates often put `See merge request !12` after them.

Trailers carry no time, so a verification from trailers cannot check the order of the steps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .roster import Actor

KEYS = ("Approved-by", "Reviewed-by")
_LINE = re.compile(
    r"^(?P<key>Approved-by|Reviewed-by)[ \t]*:[ \t]*(?P<name>[^<\n]*?)[ \t]*<(?P<email>[^<>\s]+@[^<>\s]+)>[ \t]*$",
    re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Trailer:
    key: str  # normalised: "Approved-by" or "Reviewed-by"
    actor: Actor

    def __str__(self) -> str:
        return f"{self.key}: {self.actor.display}"


def parse_trailers(message: str) -> list[Trailer]:
    out: list[Trailer] = []
    for match in _LINE.finditer(message or ""):
        key = next(k for k in KEYS if k.lower() == match.group("key").lower())
        trailer = Trailer(key, Actor(name=match.group("name").strip(), email=match.group("email").strip()))
        if trailer not in out:
            out.append(trailer)
    return out


def format_trailers(key: str, actors) -> str:
    return "\n".join(f"{key}: {actor.display}" for actor in actors)
