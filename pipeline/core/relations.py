"""Relations between items, computed once and shared by rules and the build."""
from __future__ import annotations

from collections import defaultdict

from pipeline.timeutil import parse_when


def interpretations_by_policy(repo) -> dict[str, list]:
    out = defaultdict(list)
    for item in repo.of_type("interpretation"):
        refs = item.meta.get("interprets")
        if isinstance(refs, list):
            for ref in refs:
                if isinstance(ref, str):
                    out[ref].append(item)
    return dict(out)


def published_no_later(first, second) -> bool:
    """True when `first` is not after `second`; a date without a time compares by day."""
    a, b = parse_when(first), parse_when(second)
    if a is None or b is None:
        return True  # unparseable dates are reported elsewhere
    if len(str(first).strip()) <= 10 or len(str(second).strip()) <= 10:
        return a.date() <= b.date()
    return a <= b
