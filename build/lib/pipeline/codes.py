"""Every diagnostic code the pipeline can emit, with its one-line description (`gongkai rules`).

Each emitter declares its own codes beside the code that emits them: the loader, the schema check,
governance data, the rule registry (via pipeline.check) and the build's link check.
"""
from __future__ import annotations

from .check import check_codes
from .site.linkcheck import CODES as LINK_CODES


def all_codes() -> dict[str, str]:
    codes = {**check_codes(), **{code: f"{text}(构建时检查)" for code, text in LINK_CODES.items()}}
    return dict(sorted(codes.items()))
