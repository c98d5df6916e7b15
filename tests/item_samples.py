"""One valid item of every content type, for tests that need a clean starting point.

Each sample passes `gongkai check` on the minimal repository of
`tests.repo_factory.make_repo` (units jyj and yjzfb). Tests take a sample and
break exactly one thing in it, so the diagnostic they assert is the only one.
Line numbers in the comments are those of the written file (line 1 is `---`).
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

from pipeline.yearly_report.draft import figures_yaml
from pipeline.yearly_report.tables import tables
from tests.repo_factory import INTERPRETATION, NEWS, POLICY, md


def zero_figures() -> dict:
    """A report's `figures` with every cell 0: what the content of a repository without documents computes."""
    schema = json.loads((Path(__file__).parents[1] / "schemas" / "applications.schema.json").read_text(encoding="utf-8"))
    out: dict = {}
    for table in tables(schema["x-applicants"], schema["x-outcomes"], schema["x-results"]):
        for _, cells in table.rows:
            for part, row, column in cells:
                out.setdefault(part, {}).setdefault(row, {})[column] = 0
    return out


# Every sample: path in the repository -> text.
SAMPLES = {
    "policy": ("content/policies/zc-1.md", POLICY),
    "interpretation": ("content/interpretations/jd-zc-1.md", INTERPRETATION),
    "news": ("content/news/xw-1.md", NEWS),
    "notice": ("content/notices/tz-1.md", md("""
        id: tz-1
        title: 关于2026年春季学期开学安排的通知
        unit: jyj
        date: 2026-02-20 10:00
        disclosure_category: livelihood
        valid_until: 2026-03-31
        """, "各中小学校:春季学期于 3 月 2 日开学。\n")),
    "response": ("content/responses/hy-1.md", md("""
        id: hy-1
        title: 关于某校食堂食品安全事件的情况通报
        unit: jyj
        date: 2026-03-05 10:00
        kind: 突发事件信息
        disclosure_category: emergency
        event_time: 2026-03-05 08:30
        first_release: 2026-03-05 09:20
        severity: 一般
        """, "3 月 5 日上午,我市某校发生一起疑似食物中毒事件,目前学生均已得到妥善救治。\n")),
    "service": ("content/services/bs-1.md", md("""
        id: bs-1
        title: 义务教育阶段转学申请
        unit: jyj
        date: 2026-03-01
        disclosure_category: licensing
        basis:
          - 《中华人民共和国义务教育法》第十二条
        conditions:
          - 适龄儿童少年因户籍或居住地变动需要转学
        materials:
          - name: 转学申请表
            basis: 《测试市中小学学籍管理办法》
            format: 原件
            copies: 1
            signature: 监护人签字
        location: 测试市政务服务中心二楼教育窗口
        agency: 测试市教育局
        fees: 不收费
        hours: 工作日 9:00-17:00
        phone: 0771-5612346
        process:
          - 提交申请
          - 审核
          - 办结
        audience: [个人]
        theme: 教育
        online_url: https://zwfw.test.gov.cn/item/1
        """, "办理转学请先与转入学校联系。\n")),
    "letter": ("content/letters/xj-1.md", md("""
        id: xj-1
        title: 咨询小学入学报名时间
        unit: jyj
        kind: 咨询
        received: 2026-03-02 09:00
        question: 请问今年小学一年级什么时候报名?
        public: true
        reply: 今年小学一年级报名时间为 6 月 1 日至 6 月 10 日。
        reply_unit: jyj
        replied: 2026-03-03 16:00
        """, "")),
    "survey": ("content/surveys/dc-1.md", md("""
        id: dc-1
        title: 关于义务教育课后服务的意见征集
        unit: jyj
        date: 2026-03-01
        start: 2026-03-01
        end: 2026-03-31
        result:
          date: 2026-04-15
          summary: 共收到意见 120 条,采纳 35 条。
        """, "欢迎社会各界提出意见建议。\n")),
    "interview": ("content/interviews/ft-1.md", md("""
        id: ft-1
        title: 教育局局长谈义务教育招生
        unit: jyj
        date: 2026-03-10 15:00
        guests:
          - name: 张三
            role: 测试市教育局局长
        """, "主持人:各位网友大家好。\n")),
    "page": ("content/pages/ym-1.md", md("""
        id: ym-1
        title: 政府信息公开指南
        unit: yjzfb
        date: 2026-01-01
        page_kind: 公开指南
        """, "本指南说明如何获取政府信息。\n")),
    "report": ("content/reports/ndbg-2025.md", md(textwrap.dedent("""
        id: ndbg-2025
        title: 测试市教育局2025年政府信息公开工作年度报告
        unit: jyj
        date: 2026-01-20
        year: 2025
        """) + figures_yaml(zero_figures()), "## 一、总体情况\n\n本年度工作情况。\n\n## 五、存在的主要问题及改进情况\n\n问题和改进。\n")),
    "dataset": ("content/datasets/sj-1.md", md("""
        id: sj-1
        title: 测试市各级学校数和在校学生数
        unit: jyj
        date: 2026-03-20 10:00
        modified: 2026-03-20
        summary: 2023年以来各学段学校数和在校学生数。
        disclosure_category: statistics
        keywords: [学校, 在校学生]
        theme: 教育文化
        license: CC-BY-4.0
        frequency: 每年
        temporal: {start: "2023", end: "2025"}
        spatial: 测试市
        open_condition: 无条件开放
        contact: {name: 市教育局发展规划科, phone: 0771-5612000}
        resources:
          - name: xxsl
            title: 各学段学校数和在校学生数
            file: files/jyj/2026/sj-1/xxsl.csv
            schema:
              fields:
                - {name: year, title: 年份, type: integer, constraints: {required: true}}
                - {name: level, title: 学段, type: string, constraints: {required: true}}
                - {name: schools, title: 学校数, type: integer, unit: 所, constraints: {minimum: 0}}
                - {name: pupils, title: 在校学生数, type: integer, unit: 人, constraints: {minimum: 0}}
              primaryKey: [year, level]
            chart: {type: bar, x: year, y: [pupils], filter: {level: 小学}, title: 小学在校学生数}
        """, "按学年初统计,含民办学校。\n")),
}

# Files an item needs beside itself (a dataset's CSV resources).
COMPANIONS = {
    "dataset": {"content/files/jyj/2026/sj-1/xxsl.csv":
                "year,level,schools,pupils\n2024,小学,120,98000\n2024,初中,52,46000\n2025,小学,118,96500\n"},
}


def sample(type_name: str) -> tuple[str, str]:
    """(path, text) of the valid sample of `type_name`."""
    return SAMPLES[type_name]


def all_samples() -> dict[str, str]:
    """Every sample as files for make_repo (the policy's interpretation included)."""
    files = {path: text for path, text in SAMPLES.values()}
    for companions in COMPANIONS.values():
        files.update(companions)
    return files


def line_no(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the `occurrence`-th line containing `needle`.

    Tests state where a diagnostic must point by the text it must point at,
    so that a fixture edit cannot silently shift an expected line.
    """
    hits = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    if len(hits) < occurrence:
        raise AssertionError(f"{needle!r} not in fixture")
    return hits[occurrence - 1]
