"""Benchmark of `gongkai check` on a synthetic repository of 10,000 items (issue 2, "Performance").

    .venv/bin/python bench/check_bench.py [--items 10000] [--runs 3] [--out DIR] [--keep]

1. Generates a repository in bench/out/ (git-ignored): every content type in a
   realistic mix, 20 units, governance data, policies with interpretations in
   several forms, attachments, by-id links, bodies of about 1-3 KB of varied
   Chinese text. The repository is check-clean (warnings allowed): timing a
   repository full of errors would measure the wrong path.
2. Runs `gongkai check` on it in a subprocess, `--runs` times, measuring wall
   time and that process's peak RSS (os.wait4).
3. Loads and checks it once more in this process with the loader wrapped, to
   confirm that every file is parsed once and read once.

Prints a Markdown table row per run (and the header), ready for bench/README.md.
Nothing here is a timed test: `make test` does not run it.
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NOW = "2026-11-25 12:00"
GONGKAI = Path(sys.executable).with_name("gongkai")
COMMAND = [str(GONGKAI)] if GONGKAI.exists() else [sys.executable, "-m", "pipeline.cli"]


def _blank_pdf() -> bytes:
    """A real one-page PDF with nothing on it: the attachment screen opens it and finds nothing."""
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def _tiny_png() -> bytes:
    """A real 2x2 PNG: the image screen decodes it whole."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


BLANK_PDF = _blank_pdf()
TINY_PNG = _tiny_png()

# --- the synthetic city ------------------------------------------------------------------------

UNITS = [
    ("yjzfb", "云江市人民政府办公室", "市人民政府办公室"),
    ("fgw", "云江市发展和改革委员会", "市直部门"), ("jyj", "云江市教育局", "市直部门"),
    ("kjj", "云江市科学技术局", "市直部门"), ("gxj", "云江市工业和信息化局", "市直部门"),
    ("mzj", "云江市民政局", "市直部门"), ("sfj", "云江市司法局", "市直部门"),
    ("czj", "云江市财政局", "市直部门"), ("rsj", "云江市人力资源和社会保障局", "市直部门"),
    ("zrzyj", "云江市自然资源局", "市直部门"), ("sthj", "云江市生态环境局", "市直部门"),
    ("zjj", "云江市住房和城乡建设局", "市直部门"), ("jtj", "云江市交通运输局", "市直部门"),
    ("nyj", "云江市农业农村局", "市直部门"), ("wjw", "云江市卫生健康委员会", "市直部门"),
    ("yjj", "云江市应急管理局", "市直部门"), ("scjg", "云江市市场监督管理局", "市直部门"),
    ("ybj", "云江市医疗保障局", "市直部门"), ("jhq", "云江市江华区人民政府", "县区人民政府"),
    ("byx", "云江市白云县人民政府", "县区人民政府"),
]
UNIT_IDS = [u[0] for u in UNITS]
CATEGORIES = ["regulations", "organization", "planning", "statistics", "licensing", "enforcement", "budget",
              "fees", "procurement", "major-projects", "livelihood", "emergency", "supervision",
              "civil-service", "other"]
SUBJECTS = ["综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "农业、林业、水利", "工业、交通",
            "市场监管、安全生产监管", "城乡建设、环境保护", "科技、教育", "卫生、体育", "劳动、人事、监察",
            "民政、扶贫、救灾"]
THEMES = ["教育", "医疗", "社会保障", "就业", "住房", "交通", "证件办理", "企业开办", "资质认证", "婚育收养",
          "经营纳税", "公用事业"]
INTERPRETATION_FORMS = ["文字", "文字", "文字", "新闻发布会", "媒体解读", "图解", "视频"]

# Sentences are put together from parts, so that no two bodies are alike.
PLACES = ["全市", "江华区", "白云县", "城区各街道", "各乡镇", "市政务服务中心", "各级各部门", "重点园区",
          "沿江片区", "老旧小区", "农村地区", "各中小学校", "各医疗机构", "各类市场主体"]
ACTORS = ["市教育局", "市人力资源和社会保障局", "市住房和城乡建设局", "市卫生健康委员会", "市应急管理局",
          "市市场监督管理局", "市生态环境局", "市交通运输局", "市民政局", "市医疗保障局", "市财政局",
          "市发展和改革委员会", "市农业农村局", "市自然资源局"]
ACTIONS = ["持续推进", "全面落实", "统筹开展", "进一步规范", "加快实施", "深入推进", "组织开展", "稳步推进",
           "着力完善", "认真做好", "扎实推进", "集中开展"]
OBJECTS = ["义务教育招生入学工作", "城镇老旧小区改造", "就业创业补贴发放", "城乡居民医疗保险参保缴费",
           "安全生产隐患排查治理", "农村人居环境整治", "企业开办全程网办", "住房公积金提取便民服务",
           "最低生活保障动态管理", "道路交通安全综合治理", "重点排污单位监督检查", "食品安全抽检监测",
           "公共法律服务体系建设", "基层医疗卫生服务能力提升", "高标准农田建设", "政务服务事项标准化"]
PURPOSES = ["切实保障群众合法权益", "不断提升群众获得感和满意度", "持续优化营商环境", "推动高质量发展",
            "守牢安全发展底线", "提高行政效能", "促进社会公平正义", "确保各项任务按期完成",
            "让群众办事更加方便快捷", "巩固拓展已有工作成果"]
DETAILS = ["截至目前,已完成年度目标任务的{p}%。", "共受理相关事项{n}件,按期办结率{p}%。",
           "累计投入资金{n}万元,惠及群众{m}人次。", "共组织检查{n}次,发现并整改问题{m}个。",
           "下一步,将建立健全长效机制,定期通报工作进展。", "有关单位要明确责任分工,按照时间节点抓好落实。",
           "群众可通过12345政务服务便民热线反映意见建议。", "具体办理流程可登录一体化政务服务平台查询。"]
HEADINGS = ["一、总体要求", "二、主要任务", "三、保障措施", "四、工作要求", "五、其他事项"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
GIVEN = ["建国", "秀英", "志强", "丽华", "海燕", "文涛", "晓明", "春梅", "国栋", "雪琴", "立新", "小燕"]


class Writer:
    """Generates the items with a seeded random source (the same repository every run)."""

    def __init__(self, root: Path, seed: int = 2026):
        self.root = root
        self.content = root / "content"
        self.rng = random.Random(seed)
        self.items = Counter()
        self.policies: list[str] = []

    # text ---------------------------------------------------------------------------------
    def sentence(self) -> str:
        r = self.rng
        text = f"{r.choice(PLACES)}{r.choice(ACTIONS)}{r.choice(OBJECTS)},{r.choice(PURPOSES)}。"
        if r.random() < 0.5:
            text += r.choice(DETAILS).format(p=r.randint(60, 99), n=r.randint(12, 980), m=r.randint(100, 9000))
        if r.random() < 0.3:
            text = f"{r.choice(ACTORS)}" + text
        return text

    def body(self, low: int = 1000, high: int = 3000, links: list[str] = ()) -> str:
        target = self.rng.randint(low, high)
        parts, size = [], 0
        heading = 0
        while size < target:
            if self.rng.random() < 0.2 and heading < len(HEADINGS):
                paragraph = f"## {HEADINGS[heading]}"
                heading += 1
            else:
                paragraph = "".join(self.sentence() for _ in range(self.rng.randint(2, 4)))
            parts.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 2
        for target_id in links:
            parts.append(f"详见[相关文件](item:{target_id})。")
        return "\n\n".join(parts) + "\n"

    def title(self, prefix: str = "", suffix: str = "") -> str:
        return f"{prefix}{self.rng.choice(PLACES)}{self.rng.choice(OBJECTS)}{suffix}"

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def when(self, year: int | None = None) -> tuple[str, str]:
        """A (date, 'date time') pair in 2025-01 .. 2026-10."""
        r = self.rng
        year = year or r.choice([2025, 2026])
        day = f"{year}-{r.randint(1, 10):02d}-{r.randint(1, 28):02d}"
        return day, f"{day} {r.randint(8, 17):02d}:{r.choice(['00', '15', '30', '45'])}"

    # files --------------------------------------------------------------------------------
    def write(self, folder: str, name: str, text: str) -> None:
        path = self.content / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def item(self, type_name: str, folder: str, item_id: str, front: str, body: str = "") -> None:
        self.write(folder, f"{item_id}.md", f"---\nid: {item_id}\n{front.strip()}\n---\n{body}")
        self.items[type_name] += 1

    # governance ---------------------------------------------------------------------------
    def governance(self) -> None:
        self.write("governance", "site.yaml", """\
name: 云江市人民政府门户网站(基准测试)
domain: bench.yunjiang.gov.cn
site_id_code: "4501000099"
host_unit: yjzfb
icp: 桂ICP备00000099号
police_record: 桂公网安备 45010202000099号
contact:
  phone: 0771-5550000
  email: web@bench.yunjiang.gov.cn
  address: 云江市民主路 1 号
""")
        columns = [("ywdt", "要闻动态", "news"), ("tzgg", "通知公告", "notice"), ("zcwj", "政策文件", "policy"),
                   ("zcjd", "政策解读", "interpretation"), ("hygq", "回应关切", "response"),
                   ("bsfw", "办事服务", "service"), ("zxts", "咨询投诉", "letter"), ("dczj", "调查征集", "survey"),
                   ("zxft", "在线访谈", "interview"), ("zfxxgk", "政府信息公开", "page"), ("ndbg", "年度报告", "report")]
        lines = ["columns:"]
        for cid, name, type_name in columns:
            lines += [f"  - id: {cid}", f"    name: {name}", f"    units: [{', '.join(UNIT_IDS)}]",
                      "    cadence_days: 30", f"    types: [{type_name}]"]
        self.write("governance", "columns.yaml", "\n".join(lines) + "\n")
        self.write("governance", "wording.yaml", "entries:\n  - wrong: 政府信息公开条列\n    right: 政府信息公开条例\n"
                                                 "  - wrong: 国务院办公厅厅\n    right: 国务院办公厅\n")
        for index, (uid, name, kind) in enumerate(UNITS):
            exempt = self.rng.sample(CATEGORIES[2:], 4)
            na = "\n".join(f"  - category: {c}\n    reason: 本单位不承担该类信息的公开职责,由主管部门统一发布。" for c in exempt)
            self.write("units", f"{uid}.yaml", f"""\
id: {uid}
name: {name}
kind: {kind}
functions: 负责{self.rng.choice(OBJECTS)}和{self.rng.choice(OBJECTS)}等工作。
leader: 主要负责人 {self.person()}
contact:
  address: 云江市江华区民主路 {index + 1} 号
  phone: 0771-56{index + 10:02d}{index + 100:03d}
  hours: 工作日 8:30-12:00,14:30-17:30
not_applicable:
{na}
""")

    # items --------------------------------------------------------------------------------
    def policy(self, n: int) -> int:
        r = self.rng
        unit = r.choice(UNIT_IDS[1:])
        pid = f"zc-{n:05d}"
        doc_type = r.choice(["行政规范性文件", "行政规范性文件", "规章", "其他文件", "其他文件"])
        day, moment = self.when()
        written = f"{day[:8]}01"
        attachment = ""
        if n % 10 == 0:
            rel = f"files/bench/{pid}/附件1.pdf"
            (self.content / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.content / rel).write_bytes(BLANK_PDF)
            attachment = f"attachments:\n  - title: 附件1 相关事项清单\n    file: {rel}\n"
        self.item("policy", "policies", pid, f"""
title: {self.title("云江市", "管理办法")}
unit: {unit}
issued_in_name_of: {"市人民政府" if doc_type == "规章" else "本单位"}
doc_type: {doc_type}
doc_number: 云{unit}规〔{day[:4]}〕{n}号
index_number: 11450100MB1536210X/{day[:4]}-{n:05d}
subject: {r.choice(SUBJECTS)}
disclosure_category: {r.choice(["regulations", "regulations", "livelihood", "planning", "fees"])}
written: {written}
date: {moment}
validity: 现行有效
summary: {self.sentence()}
{attachment}""", self.body(2000, 3000))
        self.policies.append(pid)
        written_items = 1
        if doc_type != "其他文件":
            form = r.choice(INTERPRETATION_FORMS)
            extra = ""
            if form in ("图解", "视频"):
                ext = "png" if form == "图解" else "mp4"
                rel = f"files/bench/jd-{pid}/解读.{ext}"
                (self.content / rel).parent.mkdir(parents=True, exist_ok=True)
                (self.content / rel).write_bytes(TINY_PNG if ext == "png" else b"\x00bench media\n")
                extra = f"media:\n  - file: {rel}\n    description: {self.sentence()}\n"
            elif form == "媒体解读":
                extra = "media_name: 云江日报\n"
            self.item("interpretation", "interpretations", f"jd-{pid}", f"""
title: 《{pid}》政策解读
unit: {unit}
date: {moment}
interprets: [{pid}]
form: {form}
{extra}""", self.body(1000, 2500, links=[pid]))
            written_items += 1
        return written_items

    def news(self, n: int) -> None:
        _, moment = self.when()
        links = [self.rng.choice(self.policies)] if self.policies and self.rng.random() < 0.2 else []
        self.item("news", "news", f"xw-{n:05d}", f"""
title: {self.title(self.rng.choice(ACTORS))}
unit: {self.rng.choice(UNIT_IDS)}
date: {moment}
column: ywdt
""", self.body(links=links))

    def notice(self, n: int) -> None:
        day, moment = self.when()
        self.item("notice", "notices", f"tz-{n:05d}", f"""
title: 关于{self.rng.choice(OBJECTS)}的通知
unit: {self.rng.choice(UNIT_IDS)}
date: {moment}
disclosure_category: {self.rng.choice(CATEGORIES)}
""", self.body())

    def letter(self, n: int) -> None:
        r = self.rng
        day, moment = self.when(2026)
        replied = f"{day} 17:30"
        public = r.random() < 0.8
        text = f"""id: xj-{n:05d}
title: 关于{r.choice(OBJECTS)}的{r.choice(["咨询", "建议", "求助"])}
unit: {r.choice(UNIT_IDS)}
kind: {r.choice(["咨询", "求助", "建议", "投诉", "举报"])}
received: {moment if moment < replied else day + " 08:00"}
question: |
  {self.sentence()}{self.sentence()}请问相关政策如何执行?
reply: |
  您好!{self.sentence()}{self.sentence()}感谢您的来信。
reply_unit: {r.choice(UNIT_IDS)}
replied: {replied}
public: {"true" if public else "false"}
"""
        self.write("letters", f"xj-{n:05d}.yaml", text)
        self.items["letter"] += 1

    def service(self, n: int) -> None:
        r = self.rng
        related = f"related_policies: [{r.choice(self.policies)}]\n" if self.policies else ""
        self.item("service", "services", f"bs-{n:05d}", f"""
title: {r.choice(OBJECTS)}办理
unit: {r.choice(UNIT_IDS)}
date: {self.when()[0]}
disclosure_category: licensing
basis:
  - 《中华人民共和国行政许可法》第二十九条
  - 《云江市政务服务管理办法》第十二条
conditions:
  - 申请人具有完全民事行为能力
  - {self.sentence()}
materials:
  - name: 居民身份证
    basis: 《中华人民共和国居民身份证法》
    format: 原件
    copies: 1
    signature: 无需签章
  - name: 申请表
    basis: 《云江市政务服务管理办法》
    format: 原件
    copies: 2
    signature: 申请人签字
location: 云江市政务服务中心{r.randint(1, 4)}楼综合窗口
agency: {r.choice(ACTORS)}
fees: 不收费
hours: 工作日 9:00-12:00,13:30-17:00
phone: 0771-56{r.randint(10000, 99999)}
process: [申请, 受理, 审查, 决定, 送达]
audience: [{r.choice(["个人", "法人"])}]
theme: {r.choice(THEMES)}
online_url: https://zwfw.yunjiang.gov.cn/item/{n}
{related}""", self.body(1000, 2000))

    def response(self, n: int) -> None:
        r = self.rng
        day, _ = self.when()
        kind = r.choice(["回应关切", "辟谣", "突发事件信息"])
        extra = ""
        if kind != "辟谣":
            extra = f"event_time: {day} 06:10\n"
        if kind == "突发事件信息":
            extra += f"first_release: {day} 06:55\nseverity: {r.choice(['一般', '较大', '重大'])}\n"
        self.item("response", "responses", f"hy-{n:05d}", f"""
title: 关于{r.choice(OBJECTS)}有关情况的{"通报" if kind == "突发事件信息" else "回应"}
unit: {r.choice(UNIT_IDS)}
date: {day} 07:00
kind: {kind}
disclosure_category: {"emergency" if kind == "突发事件信息" else "livelihood"}
{extra}""", self.body())

    def survey(self, n: int) -> None:
        r = self.rng
        year = r.choice([2025, 2026])
        month = r.randint(1, 8)
        result = ""
        if r.random() < 0.6:
            result = f"result:\n  date: {year}-{month + 2:02d}-15\n  summary: 共收到意见建议{r.randint(20, 300)}条,采纳{r.randint(5, 19)}条。\n"
        self.item("survey", "surveys", f"dc-{n:05d}", f"""
title: 关于{r.choice(OBJECTS)}的意见征集
unit: {r.choice(UNIT_IDS)}
date: {year}-{month:02d}-01
start: {year}-{month:02d}-01
end: {year}-{month + 1:02d}-01
{result}""", self.body())

    def interview(self, n: int) -> None:
        _, moment = self.when()
        self.item("interview", "interviews", f"ft-{n:05d}", f"""
title: 局长谈{self.rng.choice(OBJECTS)}
unit: {self.rng.choice(UNIT_IDS)}
date: {moment}
guests:
  - name: {self.person()}
    role: {self.rng.choice(ACTORS)}负责人
  - name: {self.person()}
    role: {self.rng.choice(ACTORS)}科长
""", self.body(2000, 3000))

    def page(self, n: int) -> None:
        self.item("page", "pages", f"ym-{n:05d}", f"""
title: {self.rng.choice(ACTORS)}政府信息公开指南
unit: {self.rng.choice(UNIT_IDS)}
date: {self.when()[0]}
page_kind: {self.rng.choice(["公开指南", "公开制度", "机构职能", "其他"])}
""", self.body())

    def report(self, n: int) -> None:
        # One report per unit and year (GK-RPT-003): the units in turn, then the year before.
        index = self.items["report"]
        unit, year = UNIT_IDS[index % len(UNIT_IDS)], 2025 - index // len(UNIT_IDS)
        if year < 2000:  # the schema's first report year: past it (about 90,000 items) the share goes to news
            self.news(n)
            return
        self.item("report", "reports", f"ndbg-{n:05d}", f"""
title: {self.rng.choice(ACTORS)}{year}年政府信息公开工作年度报告
unit: {unit}
date: {year + 1}-01-{self.rng.randint(10, 31):02d}
year: {year}
""", self.body(2000, 3000))


# Share of each type in the generated repository (policies bring their interpretations).
MIX = [("news", 30), ("letter", 20), ("notice", 12), ("policy", 9), ("service", 9), ("response", 4),
       ("survey", 3), ("interview", 2), ("page", 1), ("report", 1)]


def generate(root: Path, count: int) -> Counter:
    if root.exists():
        shutil.rmtree(root)
    writer = Writer(root)
    writer.governance()
    kinds = [name for name, weight in MIX for _ in range(weight)]
    n = 0
    while sum(writer.items.values()) < count:
        n += 1
        kind = writer.rng.choice(kinds)
        if kind == "policy" and sum(writer.items.values()) + 2 > count:
            kind = "news"
        getattr(writer, kind)(n)
    fill_reports(root)
    return writer.items


def fill_reports(root: Path) -> None:
    """Give each yearly report the tables the content computes, as `gongkai report annual --write` would."""
    from pipeline.yearly_report.figures import compute, report_scope
    from pipeline.yearly_report.draft import layout_for, replace_figures
    from pipeline.yearly_report.tables import draft_figures
    from pipeline.content.repository import load_repository

    repo = load_repository(root)
    layout = layout_for(repo)
    for item in repo.items:
        if item.type == "report":
            figures = draft_figures(compute(repo, item.meta["year"], report_scope(item)), layout)
            for rows in figures.values():  # what the unit reports from its own systems
                for cells in rows.values():
                    for column, value in cells.items():
                        cells[column] = 0 if value == "待填写" else value
            path = root / item.path
            path.write_text(replace_figures(path.read_text(encoding="utf-8"), figures), encoding="utf-8")


# --- measuring ---------------------------------------------------------------------------------

def check_summary(root: Path) -> tuple[int, str]:
    """Exit code and the last line (the summary) of `gongkai check`'s text report."""
    proc = subprocess.run([*COMMAND, "--root", str(root), "check", "--now", NOW], capture_output=True)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-3000:])
    lines = proc.stdout.decode("utf-8", "replace").strip().splitlines() or [""]
    return proc.returncode, lines[-1]


def measure(args: list[str]) -> tuple[float, float, int]:
    """Run a command in a child process: (seconds, its own peak RSS in MiB via os.wait4, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run_check(root: Path) -> tuple[float, float, int]:
    return measure([*COMMAND, "--root", str(root), "check", "--now", NOW])


def parse_once(root: Path) -> dict:
    """Load and check in this process, counting parses and reads of every file under content/."""
    sys.path.insert(0, str(REPO))
    import builtins

    import pipeline.content.loader as content_module
    import pipeline.content.repository as repository_module
    from pipeline.check.whole import check_repository

    content_dir = str((root / "content").resolve())
    parses: Counter = Counter()
    reads: Counter = Counter()
    real_parse = repository_module.parse_item
    real_open = io.open

    def counting_parse(data, rel, type_name):
        parses[rel] += 1
        return real_parse(data, rel, type_name)

    def counting_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and "r" in mode and "+" not in mode:
            path = os.path.abspath(os.fspath(file))
            if path.startswith(content_dir + os.sep):
                reads[path] += 1
        return real_open(file, mode, *args, **kwargs)

    repository_module.parse_item = counting_parse
    content_module.parse_item = counting_parse
    io.open = builtins.open = counting_open
    try:
        from datetime import datetime

        from pipeline.timeutil import TZ

        repo = repository_module.load_repository(root, now=datetime(2026, 11, 25, 12, tzinfo=TZ))
        diagnostics = check_repository(repo)
    finally:
        repository_module.parse_item = real_parse
        content_module.parse_item = real_parse
        io.open = builtins.open = real_open
    parsed_files = [cf.rel for cf in repo.files if cf.kind in ("item", "unit", "governance")]
    return {
        "parseable files": len(parsed_files),
        "parsed": sum(parses.values()),
        "parsed more than once": sorted(rel for rel, n in parses.items() if n > 1),
        "never parsed": sorted(rel for rel in parsed_files if parses[rel] == 0),
        "files read": len(reads),
        "read more than once": sorted(path for path, n in reads.items() if n > 1),
        "errors": sum(d.severity.value == "error" for d in diagnostics),
        "warnings": sum(d.severity.value == "warning" for d in diagnostics),
        "codes": Counter(d.code for d in diagnostics),
    }


def machine() -> str:
    from importlib.metadata import version

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    packages = ", ".join(f"{name} {version(name)}" for name in ("gongkai", "jsonschema", "PyYAML", "python-stdnum", "Markdown"))
    return (f"{os.cpu_count()} CPU ({cpu}), {memory:.1f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {packages}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "check-bench")
    parser.add_argument("--keep", action="store_true", help="keep the generated repository")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    mix = generate(args.out, args.items)
    files = sum(1 for p in (args.out / "content").rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in (args.out / "content").rglob("*") if p.is_file())
    bodies = [p.stat().st_size for p in (args.out / "content").rglob("*.md")]
    print(f"Generated {sum(mix.values())} items ({', '.join(f'{k} {v}' for k, v in mix.most_common())}); "
          f"{files} files, {size / 2**20:.1f} MiB, median .md file {statistics.median(bodies) / 1024:.1f} KiB "
          f"in {time.perf_counter() - started:.1f} s -> {args.out}")
    print(f"Machine: {machine()}\n")

    print("| items | files | run | wall time | peak RSS | exit | result |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    times, peaks = [], []
    for run in range(1, args.runs + 1):
        seconds, rss, code = run_check(args.out)
        times.append(seconds)
        peaks.append(rss)
        print(f"| {sum(mix.values())} | {files} | {run} | {seconds:.2f} s | {rss:.0f} MiB | {code} | |", flush=True)
    code, last = check_summary(args.out)
    print(f"| {sum(mix.values())} | {files} | summary | median {statistics.median(times):.2f} s | "
          f"max {max(peaks):.0f} MiB | {code} | {last} |")

    once = parse_once(args.out)
    print()
    print(f"Parse once: {once['parsed']} parses for {once['parseable files']} item/unit/governance files; "
          f"{len(once['parsed more than once'])} parsed more than once, {len(once['never parsed'])} never parsed; "
          f"{once['files read']} files opened for reading, {len(once['read more than once'])} more than once. "
          f"In-process check: {once['errors']} errors, {once['warnings']} warnings {dict(once['codes'])}.")
    if not args.keep:
        shutil.rmtree(args.out, ignore_errors=True)
    ok = (not once["parsed more than once"] and not once["read more than once"] and not once["never parsed"]
          and once["errors"] == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
