"""Approvals recorded as Git trailers in a merge commit's message.

GitLab writes one `Approved-by: 姓名 <邮箱>` line per approver when the project's merge commit template
contains `%{approved_by}`, and one `Reviewed-by:` line per reviewer with `%{reviewed_by}` (see
ci/APPROVALS.md, which puts them at the very end of the template).

Only the trailer area at the end of the message counts: the run of `Key: value` lines (blank lines
allowed between them, since GitLab may leave one where an empty variable was) after the last line
that is not a trailer, such as `See merge request !12`. An `Approved-by:` line an author typed into
the merge request's description or a commit message, higher up in the merge commit's message, is
ignored.

Trailers carry no time, so a verification from trailers cannot check the order of the steps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.approvals.roster import Actor

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


_TRAILER_FORM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*[ \t]*:[ \t]*\S")


def trailer_area(message: str) -> str:
    """The trailing lines of `message` that are trailers (or blank), in order."""
    lines = (message or "").replace("\r\n", "\n").split("\n")
    area: list[str] = []
    for line in reversed(lines):
        if not line.strip() or _TRAILER_FORM.match(line):
            area.append(line)
        else:
            break
    return "\n".join(reversed(area))


def parse_trailers(message: str) -> list[Trailer]:
    out: list[Trailer] = []
    for match in _LINE.finditer(trailer_area(message)):
        key = next(k for k in KEYS if k.lower() == match.group("key").lower())
        trailer = Trailer(key, Actor(name=match.group("name").strip(), email=match.group("email").strip()))
        if trailer not in out:
            out.append(trailer)
    return out
