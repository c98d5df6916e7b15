"""What every sub-command shares: the repository root, the moment it acts as of, usage errors, output.

Sub-command modules import from here, never from each other or from the package's `main`, so the
command-line layer has no import cycle.
"""
from __future__ import annotations

import sys
from pathlib import Path


class UsageError(Exception):
    """Wrong arguments or environment: print the message, exit 2."""


def repository_root(args) -> Path:
    from ..repository import find_root

    return find_root(Path(args.root) if getattr(args, "root", None) else Path.cwd())


def moment(args, option: str = "now"):
    """The moment a command acts as of (`--now`), else the clock."""
    from ..timeutil import parse_now

    value = getattr(args, option, None)
    try:
        return parse_now(value)
    except ValueError:
        raise UsageError(f"--{option} 的值「{value}」无法识别,请写成 2026-03-01、\"2026-03-01 09:30\" "
                         "或带时区的 ISO 8601 时间(如 2026-03-01T09:30:00+08:00、2026-03-01T01:30:00Z)。") from None


def emit(text: str, output: str | None) -> None:
    """Write a report to a file (creating its folder) or to standard output."""
    if output:
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def refuse_public_output(root, output, what: str) -> None:
    """Internal reports (the register, the audit dashboard) are never written into a published site."""
    from pathlib import Path

    output = Path(output)
    target = (output if output.is_absolute() else Path.cwd() / output).resolve()
    for public in (Path(root) / "output", Path(root) / "preview"):
        try:
            target.relative_to(public.resolve())
        except ValueError:
            continue
        raise UsageError(f"{what}是内部资料,不能写入对外发布的目录 {public.name}/:请换一个输出位置。")
