"""Paths stay inside the repository, files are bounded, content folders hold only content."""
from __future__ import annotations

import os

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.core.files import files_used, unsafe_reason
from pipeline.content.types import ASSET_DIR, GOVERNANCE_FILES, TYPES_BY_FOLDER, UNIT_FOLDER
from pipeline.check.rules import ITEM, Rule, register


@register
class Paths(Rule):
    """GK-PATH-001..004: every department is an untrusted author.

    FAIL: `file: ../../etc/passwd`; a symlink content/files/x -> /etc; a 30 MB
          attachment; content/news/draft.docx; content/files/run.exe.
    PASS: `file: files/2026/附件1.pdf` with that file present and small.
    """

    codes = {
        "GK-PATH-001": "路径指向仓库之外(.. 、绝对路径、指向外部的符号链接)",
        "GK-PATH-002": "文件超过大小限制",
        "GK-PATH-003": "内容目录中有无法识别的文件",
        "GK-PATH-004": "附件类型不允许",
    }

    reach = ITEM

    def check(self, repo):
        limits = repo.settings["limits"]
        root = repo.root
        content = (root / "content").resolve()
        allowed_ext = set(limits["asset_extensions"])
        for cf in repo.files:
            if cf.path.is_symlink():
                target = os.path.realpath(cf.path)
                if not target.startswith(str(content) + os.sep):
                    yield Diagnostic(cf.rel, 0, 0, "GK-PATH-001", Severity.ERROR,
                                     "这是指向仓库之外的符号链接,不允许。请把文件本身放进 content/files/。")
                    continue
            if cf.kind == "symlink":
                continue
            if cf.kind in ("unknown",):
                yield Diagnostic(cf.rel, 0, 0, "GK-PATH-003", Severity.ERROR, self._unknown_message(cf.rel))
                continue
            try:
                size = cf.path.stat().st_size
            except OSError:
                continue
            limit = limits["asset_max_bytes"] if cf.kind == "asset" else limits["item_max_bytes"]
            if size > limit:
                yield Diagnostic(cf.rel, 0, 0, "GK-PATH-002", Severity.ERROR,
                                 f"文件大小 {size / 1048576:.1f} MB,超过限制 {limit / 1048576:.1f} MB。请压缩或拆分后再提交。")
            if cf.kind == "asset":
                ext = cf.path.suffix.lower().lstrip(".")
                if ext not in allowed_ext:
                    yield Diagnostic(cf.rel, 0, 0, "GK-PATH-004", Severity.ERROR,
                                     f"不允许上传 .{ext or '(无扩展名)'} 文件。允许的类型:{'、'.join(sorted(allowed_ext))}。")
        for item in [*repo.items, *repo.units.values()]:
            for use in files_used(item):
                reason = unsafe_reason(use.written)
                if reason:
                    yield item.diagnostic("GK-PATH-001", Severity.ERROR,
                                          f"文件路径「{use.written}」{reason}。请写成 content/ 之下的路径,如 files/2026/附件1.pdf。", line=use.line)

    @staticmethod
    def _unknown_message(rel: str) -> str:
        parts = rel.split("/")
        folders = sorted([*TYPES_BY_FOLDER, UNIT_FOLDER, "governance", ASSET_DIR])
        if len(parts) == 2:
            return f"content/ 下不应直接放文件。条目放在类型目录中:{'、'.join(folders)}。"
        folder = parts[1]
        if folder == "governance":
            return f"治理数据目录只识别 {'、'.join(f'{n}.yaml' for n in GOVERNANCE_FILES)}。"
        if folder in TYPES_BY_FOLDER or folder == UNIT_FOLDER:
            return "条目目录只接受 .md(Markdown + YAML 头信息)和 .yaml 文件;附件请放到 content/files/。"
        return f"未知目录「{folder}」。可用目录:{'、'.join(folders)}。"
