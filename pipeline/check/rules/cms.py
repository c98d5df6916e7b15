"""The browser editor's configuration: the form editors fill in must be what the schemas say."""
from __future__ import annotations

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.check.rules import Rule, register


@register
class CmsConfigUpToDate(Rule):
    """GK-CMS-001: a committed ci/cms/config.yml is exactly what `gongkai cms config` generates.

    The browser editor's form (Decap CMS) is generated from schemas/ and the `cms:` section of
    content/governance/settings.yaml (the id conventions, which follow from the items, are baked into
    the admin site by `gongkai cms build`, never into this file: an item of a new id shape does not make
    it stale and so cannot stop a build). A schema that gains a required
    key, a new enum value or a changed setting changes it; a stale form would let editors save items
    the check refuses, or hide a field they must fill. A repository without the file is not checked.

    FAIL: news.schema.json now requires `summary`, ci/cms/config.yml still has it optional.
    PASS: after `gongkai cms config --write` the file is committed with the schema change.
    """

    codes = {"GK-CMS-001": "提交的浏览器编辑后台配置与 schema 和设置不一致(请重新生成)"}

    totals = frozenset({"GK-CMS-001"})

    def reports_on(self, path, record):
        from pipeline.cms.config import TARGET

        return path == TARGET

    def check(self, repo):
        from pipeline.cms.config import COMMAND, TARGET, generate
        from pipeline.content.generated_files import stale_line

        path = repo.root / TARGET
        if not path.is_file():
            return
        line = stale_line(path, generate(repo))
        if line is None:
            return
        yield Diagnostic(TARGET, line, 0, "GK-CMS-001", Severity.ERROR,
                         f"{TARGET} 与 schemas/、content/governance/settings.yaml 的 cms 设置不一致"
                         f"(第 {line} 行起):编辑后台会按旧的表单保存条目。请运行 `{COMMAND}` 并把生成的文件一并提交。")
