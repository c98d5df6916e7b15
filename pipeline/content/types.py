"""The content types: one folder under content/ and one schema under schemas/ each."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentType:
    name: str  # schema file is schemas/<name>.schema.json
    folder: str  # content/<folder>/; also the first segment of its URLs
    label: str  # Chinese name shown to editors and citizens
    column: str  # default column (栏目) id in the responsibility table
    id_prefix: str  # used by `gongkai new` for fresh ids


CONTENT_TYPES = (
    ContentType("policy", "policies", "政策文件", "zcwj", "zc"),
    ContentType("interpretation", "interpretations", "政策解读", "zcjd", "jd"),
    ContentType("news", "news", "要闻动态", "ywdt", "xw"),
    ContentType("notice", "notices", "通知公告", "tzgg", "tz"),
    ContentType("response", "responses", "回应关切", "hygq", "hy"),
    ContentType("service", "services", "办事指南", "bsfw", "bs"),
    ContentType("letter", "letters", "政民互动信件", "zxts", "xj"),
    ContentType("survey", "surveys", "调查征集", "dczj", "dc"),
    ContentType("interview", "interviews", "在线访谈", "zxft", "ft"),
    ContentType("page", "pages", "栏目页面", "zfxxgk", "ym"),
    ContentType("report", "reports", "年度报告", "ndbg", "ndbg"),
    ContentType("dataset", "datasets", "开放数据", "sjkf", "sj"),
)

TYPES = {t.name: t for t in CONTENT_TYPES}

# The body `gongkai new` writes: a hint to replace, never to publish (rule GK-WORD-002 refuses it).
BODY_HINT = "（在此写正文,使用 Markdown。链接到其他条目时,链接地址写成 item: 加条目编号。）"
TEMPLATE_TEXTS = (BODY_HINT,)
TYPES_BY_FOLDER = {t.folder: t for t in CONTENT_TYPES}

UNIT_FOLDER = "units"
GOVERNANCE_DIR = "governance"
ASSET_DIR = "files"
# The register of applications for disclosure (依申请公开台账): content/applications/<unit>/<year>.yaml.
# Internal records for the yearly report, validated like everything else and never published.
REGISTER_DIR = "applications"

# Governance files: name under content/governance/ -> schema name.
GOVERNANCE_FILES = {"columns": "columns", "site": "site", "wording": "wording", "settings": "settings", "roster": "roster"}
REQUIRED_GOVERNANCE = ("columns", "site")
