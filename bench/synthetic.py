"""A synthetic content repository of N items for benchmarks.

The mix follows the demo portal (news and letters most numerous, every
policy that must be interpreted has an interpretation). Governance data and
units are copied from the demo so that every reference resolves and the
check is clean: a benchmark of a failing repository measures the wrong path.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SENTENCES = [
    "为进一步优化营商环境,市行政审批局推行企业开办全程网办,营业执照、公章刻制、涉税事项一次办结。",
    "市住房公积金管理中心调整缴存基数上限,职工可通过网上服务大厅办理提取和转移接续。",
    "各县区要落实义务教育招生入学政策,坚持免试就近入学,保障随迁子女平等接受教育。",
    "城乡居民医疗保险集中缴费期内,参保人可通过税务、银行等多种渠道缴纳下一年度保费。",
    "市应急管理局组织开展安全生产大检查,重点排查危险化学品、建筑施工和道路运输领域隐患。",
    "就业创业补贴实行告知承诺制,符合条件的高校毕业生可申领一次性创业补贴和社会保险补贴。",
    "最低生活保障标准动态调整,城市低保和农村低保资金按月足额发放到户。",
    "市生态环境局公布重点排污单位名录,接受社会监督,推动企业落实污染防治主体责任。",
]
UNITS = ["fgw", "jyj", "rsj", "zjj", "gjj", "scjg", "spj", "wjw", "yjj", "czj", "jtj", "mzj", "ybj", "sthj"]
THEMES = ["教育", "医疗", "社会保障", "就业", "住房", "交通", "证件办理", "企业开办", "资质认证", "婚育收养", "经营纳税", "公用事业"]


def _body(rng: random.Random, paragraphs: int) -> str:
    return "\n\n".join("".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 5))) for _ in range(paragraphs)) + "\n"


def _day(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d} {rng.randint(8, 17):02d}:{rng.choice(['00', '30'])}"


def generate(root: Path, count: int, seed: int = 2026) -> Path:
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    shutil.copytree(REPO / "content" / "governance", content / "governance")
    shutil.copytree(REPO / "content" / "units", content / "units")
    (content / "governance" / "roster.yaml").unlink(missing_ok=True)  # approvals are not benchmarked here
    written = 0
    n = 0
    while written < count:
        n += 1
        unit = rng.choice(UNITS)
        date = _day(rng)
        kind = n % 10
        if kind in (0, 1) and written + 2 <= count:
            pid = f"zc-b-{n}"
            _write(content / "policies" / f"{pid}.md", f"""---
id: {pid}
title: 云江市关于第{n}项工作的实施办法
unit: {unit}
issued_in_name_of: 本单位
doc_type: 行政规范性文件
doc_number: 云规〔2026〕{n}号
index_number: 11450100MB1536210X/2026-{n % 100000:05d}
subject: 综合政务
disclosure_category: regulations
written: 2025-12-20
date: {date}
validity: 现行有效
---
{_body(rng, 6)}""")
            _write(content / "interpretations" / f"jd-{pid}.md", f"""---
id: jd-{pid}
title: 《云江市关于第{n}项工作的实施办法》政策解读
unit: {unit}
date: {date}
interprets: [{pid}]
form: 文字
---
一、起草背景

{_body(rng, 3)}
详见[原文](item:{pid})。
""")
            written += 2
        elif kind in (2, 3, 4):
            _write(content / "news" / f"xw-b-{n}.md", f"""---
id: xw-b-{n}
title: 第{n}期工作动态
unit: {unit}
column: bmdt
date: {date}
---
{_body(rng, 4)}""")
            written += 1
        elif kind in (5, 6):
            _write(content / "letters" / f"xj-b-{n}.yaml", f"""id: xj-b-{n}
title: 关于第{n}号问题的咨询
unit: rxzx
kind: 咨询
received: 2026-03-02 10:00
question: |
  {rng.choice(SENTENCES)}请问具体如何办理?
reply: |
  您好,{rng.choice(SENTENCES)}
reply_unit: {unit}
replied: 2026-03-03 16:00
public: true
""")
            written += 1
        elif kind == 7:
            _write(content / "notices" / f"tz-b-{n}.md", f"""---
id: tz-b-{n}
title: 关于第{n}项事项的通告
unit: {unit}
date: {date}
disclosure_category: other
---
{_body(rng, 3)}""")
            written += 1
        else:
            _write(content / "services" / f"bs-b-{n}.yaml", f"""id: bs-b-{n}
title: 第{n}项服务事项办理
unit: spj
date: {date}
disclosure_category: licensing
basis: ["《中华人民共和国行政许可法》第二十九条"]
conditions: ["申请人具有完全民事行为能力"]
materials:
  - name: 居民身份证
    basis: 《居民身份证法》
    format: 原件
    copies: 1
    signature: 无需签章
location: 云江市政务服务中心一楼综合窗口
agency: 云江市行政审批局
fees: 不收费
hours: 工作日 9:00-12:00, 13:30-17:00
phone: 0771-5612345
process: [申请, 受理, 审查, 决定, 送达]
audience: [个人]
theme: {rng.choice(THEMES)}
""")
            written += 1
    return root


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    import sys

    out = generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10000)
    print(out)
