"""Every diagnostic code the pipeline can emit, with its one-line description (`gongkai rules`).

Each emitter declares its own codes beside the code that emits them: the loader, the schema check,
governance data, the rule registry (via pipeline.check.whole) and the build's link check.
"""
from __future__ import annotations

import inspect

from pipeline.approvals import authority
from pipeline.audit.checks import CHECKS as AUDIT_CHECKS
from pipeline.audit.checks import audit_codes
from pipeline.audit.links import CODES as EXTERNAL_LINK_CODES
from pipeline.check.whole import check_codes
from pipeline.content.loader import LOADER_DOCS
from pipeline.check.rules import load_rules
from pipeline.site.internal_links import CODES as LINK_CODES


def all_codes() -> dict[str, str]:
    codes = {**check_codes(), **{code: f"{text}(构建时检查)" for code, text in LINK_CODES.items()},
             **{code: f"{text}(每日读网)" for code, text in audit_codes().items()},
             **{code: f"{text}(链接检查)" for code, text in EXTERNAL_LINK_CODES.items()},
             **{code: f"{text}(合并请求审批计划)" for code, text in authority.CODES.items()}}
    return dict(sorted(codes.items()))


def code_documentation(code: str) -> str | None:
    """The documentation of a code, with its failing and passing examples: the rule's docstring."""
    for rule in [*load_rules(), *AUDIT_CHECKS]:
        if code in rule.codes and rule.__doc__:
            return inspect.cleandoc(rule.__doc__)
    if code in authority.CODES:
        return inspect.cleandoc(authority.__doc__)
    return LOADER_DOCS.get(code)
