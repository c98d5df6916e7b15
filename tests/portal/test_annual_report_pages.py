"""The yearly report on the site: its tables as accessible HTML tables, each computed figure linked to
the items it counts; the register of applications nowhere in the output (issue 13)."""
from __future__ import annotations

import gzip

import yaml

REPORT = "/reports/ndbg-2025/"
BASIS = REPORT + "basis/"


def front_matter(site, rel):
    text = (site.root / rel).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def table(site, key):
    return site.soup(REPORT).find("table", id=f"table-{key}")


def row_cells(tbl, label):
    row = next(tr for tr in tbl.find("tbody").find_all("tr") if tr.th.get_text(strip=True) == label)
    return row.find_all("td")


def test_tables_show_the_published_figures_with_captions_and_headers(demo):
    figures = front_matter(demo, "content/reports/spj/ndbg-2025.md")["figures"]
    documents = table(demo, "p2-documents")
    assert documents.caption.get_text(strip=True) == "第二十条第(一)项"
    assert [th["scope"] for th in documents.thead.find_all("th")] == ["col"] * 4
    cells = [td.get_text(strip=True).replace("(查看计算依据)", "") for td in row_cells(documents, "行政规范性文件")]
    assert cells == [str(v) for v in figures["主动公开"]["行政规范性文件"].values()]
    fees = row_cells(table(demo, "p2-decisions-3"), "行政事业性收费")
    assert fees[0].get_text(strip=True) == str(figures["主动公开"]["行政事业性收费"]["本年收费金额(万元)"])
    p3 = table(demo, "p3")
    assert p3.thead.find("th", colspan="5").get_text(strip=True) == "法人或其他组织"
    assert p3.thead.find("th", colspan="5")["scope"] == "colgroup"
    new = row_cells(p3, "一、本年新收政府信息公开申请数量")
    assert [td.get_text(strip=True) for td in new] == [str(v) for v in figures["依申请公开"]["本年新收"].values()]
    tables = demo.soup(REPORT).select("table.report-table")
    assert len(tables) >= 6, f"the report page shows only {len(tables)} tables"
    for tbl in tables:
        region = tbl.find_parent("div")
        assert "table-scroll" in region["class"] and region["tabindex"] == "0" and region["role"] == "region"


def test_computed_figures_link_to_the_items_they_count_and_the_others_do_not(demo):
    documents = table(demo, "p2-documents")
    links = [td.a["href"] for td in row_cells(documents, "规章")]
    assert all(href.startswith(BASIS + "#p2-documents-r1-c") for href in links) and len(links) == 3
    basis = demo.soup(BASIS)
    for href in links:
        assert basis.find(id=href.split("#")[1]) is not None, href
    issued = basis.find(id="p2-documents-r1-c1")
    assert "云江市扬尘污染防治管理办法" in issued.get_text() and issued.find("a")["href"] == "/policies/yjzf-ling-5/"
    assert row_cells(table(demo, "p2-decisions-1"), "行政许可")[0].a is None  # reported by the unit, not computed
    assert all(td.a is None for tr in table(demo, "p3").tbody.find_all("tr") for td in tr.find_all("td"))
    assert "依申请公开登记台账" in demo.soup(REPORT).find("section", class_="report-tables").get_text()
    assert basis.find(id="register") is not None


def test_the_text_parts_come_around_the_tables_in_the_formats_order(demo):
    article = demo.soup(REPORT).find("article")
    headings = [h.get_text(strip=True) for h in article.find_all("h2") if "visually-hidden" not in (h.get("class") or [])]
    assert headings == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def test_the_register_of_applications_is_nowhere_in_the_output(demo):
    assert (demo.root / "content/applications/yjzf/2025.yaml").is_file()
    assert not [p for p in demo.output.rglob("*") if "applications" in p.relative_to(demo.output).as_posix()]
    files = demo.all_text()
    assert len(files) >= 500, f"the demo site has only {len(files)} files to search"
    for rel, text in files.items():
        assert "YJZF-2025-" not in text and "YJZFB-2024-" not in text, rel


def test_the_register_of_applications_is_not_in_the_search_index(demo):
    fragments = list((demo.output / "pagefind").rglob("*.pf_fragment"))
    assert len(fragments) > 100
    texts = [gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in fragments]
    assert any("收到和处理政府信息公开申请情况" in t for t in texts)  # the report's tables are indexed
    assert not [f.name for f, t in zip(fragments, texts) if "YJZF-2025-" in t or "YJZFB-2025-" in t]
