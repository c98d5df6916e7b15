"""数据开放 on the demo portal: what a citizen, a spreadsheet user and a data-portal harvester get.

The catalogues (`/data/data.json`, `/data/catalog.jsonld`, `/data/catalog.csv`), each
dataset's `datapackage.json`, the downloads and the static API are read back from the
built site and compared with the dataset files in content/, read here with plain YAML
and `csv`, not through pipeline.core.datasets.

The conftest's `FOLDERS` has no `datasets` entry, so `demo.in_state()` does not list
datasets. `live_datasets` reads them with the conftest's own `read_meta` and
`ContentItem` (same date and withdrawal rules) instead.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from rdflib import Graph, Literal, Namespace, URIRef
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from .conftest import DEMO_NOW, ContentItem, build, read_meta
from .test_demo_portal import section, text

POD_SCHEMAS = Path(__file__).resolve().parents[1] / "vendor" / "pod-non-federal-v1.1"
POD_CATALOG = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
CONDITIONAL = "有条件开放"
PREVIEW_ROWS = 10
# The licence pages the catalogue's SPDX identifiers stand for.
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODC-By-1.0": "https://opendatacommons.org/licenses/by/1-0/",
}
# 12345 letter kinds and the hotline dataset's columns.
KIND_COLUMNS = {"咨询": "consultation", "求助": "help", "建议": "suggestion", "投诉": "complaint", "举报": "report"}
HOTLINE = "sj-rxzx-xjtj"
# Plain namespaces (rdflib's DefinedNamespace objects warn when pytest inspects the module).
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CATALOGUE_FILES = ("/data/catalog.jsonld", "/data/data.json", "/data/catalog.csv", "/api/v1/datasets.json")


# --- reading the content and the built site -------------------------------------------------------


def dataset_items(site) -> dict[str, ContentItem]:
    items = {}
    for path in sorted((site.root / "content" / "datasets").rglob("*.md")):
        meta, body = read_meta(path)
        items[meta["id"]] = ContentItem(meta["id"], "dataset", "datasets", meta, body)
    return items


def live_datasets(site) -> dict[str, ContentItem]:
    return {i: item for i, item in dataset_items(site).items() if item.state(site.now) == "published"}


def conditional(item: ContentItem) -> bool:
    return item.meta.get("open_condition") == CONDITIONAL


def file_resources(item: ContentItem) -> list[dict]:
    """The resources that publish a data file (none for a conditional dataset)."""
    return [r for r in item.meta.get("resources", []) if r.get("file")]


def source_rows(site, resource: dict) -> list[list[str]]:
    """The resource's CSV in content/, header first."""
    text = (site.root / "content" / resource["file"]).read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def base(site) -> str:
    return "https://" + site.site_config["domain"]


def built(site, path: str) -> Path:
    """The output file for a site path (/x/ means /x/index.html)."""
    rel = path.lstrip("/")
    if not rel or rel.endswith("/"):
        rel += "index.html"
    return site.output / rel


def local(site, url: str) -> Path:
    """The output file an absolute URL of the site stands for."""
    assert url.startswith(base(site) + "/"), f"{url} is not an address of {base(site)}"
    return built(site, url[len(base(site)):])


def read_json(site, path: str):
    return json.loads(built(site, path).read_text(encoding="utf-8"))


def expected_downloads(site, item: ContentItem) -> set[str]:
    return {f"{base(site)}/datasets/{item.id}/{r['name']}{suffix}"
            for r in file_resources(item) for suffix in (".csv", "-excel.csv", ".json")}


def typed(value, cell: str, field: dict, where: str) -> None:
    """A JSON value is the CSV cell read as its Table Schema type."""
    kind = field["type"]
    where = f"{where}: {cell!r} ({kind}) became {value!r} ({type(value).__name__})"
    if cell == "":
        assert value is None, where
    elif kind in ("integer", "year"):
        assert type(value) is int and value == int(cell), where
    elif kind == "number":
        assert type(value) in (int, float) and value == float(cell), where
    elif kind == "boolean":
        assert type(value) is bool and value == (cell.lower() in ("true", "1")), where
    else:  # string, date, yearmonth: the text as written
        assert value == cell, where


def api_records(site, first_url: str) -> tuple[list[dict], list[dict]]:
    """Follow `next` from the first API page, returning (pages, records)."""
    pages, records, url, seen = [], [], first_url, set()
    while url is not None:
        assert url not in seen, f"the API pages loop back to {url}"
        seen.add(url)
        page = json.loads(local(site, url).read_text(encoding="utf-8"))
        pages.append(page)
        records += page["records"]
        url = page["next"]
    return pages, records


def check_api_chain(site, item: ContentItem, resource: dict, listed: dict) -> list[dict]:
    rows = source_rows(site, resource)
    pages, records = api_records(site, listed["records"])
    where = f"{item.id}/{resource['name']}"
    assert listed["records"] == f"{base(site)}/api/v1/datasets/{item.id}/{resource['name']}/1.json"
    assert [p["page"] for p in pages] == list(range(1, len(pages) + 1)), f"{where}: pages out of order"
    assert {p["pages"] for p in pages} == {len(pages)} and listed["pages"] == len(pages), \
        f"{where}: `pages` says {sorted({p['pages'] for p in pages})}, but {len(pages)} pages chain"
    assert pages[-1]["next"] is None
    assert {p["total"] for p in pages} == {len(rows) - 1} and listed["total"] == len(rows) - 1, \
        f"{where}: `total` says {sorted({p['total'] for p in pages})} (index {listed['total']}), the CSV has {len(rows) - 1} rows"
    assert len(records) == len(rows) - 1, f"{where}: the API holds {len(records)} records, the CSV {len(rows) - 1} rows"
    download = json.loads(built(site, f"/datasets/{item.id}/{resource['name']}.json").read_text(encoding="utf-8"))
    assert records == download, f"{where}: the API records differ from the JSON download"
    names = [f["name"] for f in resource["schema"]["fields"]]
    assert all([f["name"] for f in p["fields"]] == names for p in pages), f"{where}: API fields differ from the schema"
    return pages


# --- data.json (Project Open Data / DCAT-US 1.1) --------------------------------------------------


def pod_validator() -> Draft4Validator:
    resources = []
    for path in sorted(POD_SCHEMAS.glob("*.json")):
        resource = Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT4)
        resources.append((resource.id().rstrip("#"), resource))  # draft-04 ids end in an empty fragment
    registry = Registry().with_resources(resources)
    checker = FormatChecker()

    # jsonschema only checks "uri" with rfc3987/rfc3986-validator installed; neither is, so check it here.
    @checker.checks("uri")
    def absolute_uri(value) -> bool:
        return not isinstance(value, str) or re.fullmatch(
            r"[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", value) is not None

    return Draft4Validator(registry.contents(POD_CATALOG), registry=registry, format_checker=checker)


def describe_errors(errors) -> str:
    lines = []
    for error in errors:
        lines.append(f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.validator}: {error.message[:200]}")
        for sub in error.context:  # the branches of anyOf/oneOf (e.g. distribution: array | null)
            if sub.validator != "type":
                lines.append(f"    {'/'.join(map(str, sub.absolute_path))}: {sub.validator}: {sub.message[:160]}")
    return "\n".join(lines)


def test_the_pod_validator_rejects_a_broken_catalogue(demo):
    """The vendored schemas are really applied (refs resolve, formats are checked)."""
    doc = read_json(demo, "/data/data.json")
    broken = json.loads(json.dumps(doc))
    dataset = next(d for d in broken["dataset"] if d.get("distribution"))
    del dataset["publisher"]
    dataset["distribution"][0]["downloadURL"] = "not a uri"
    dataset["contactPoint"]["hasEmail"] = "someone@example.org"  # not mailto:
    paths = {"/".join(map(str, e.absolute_path)) for e in pod_validator().iter_errors(broken)}
    index = broken["dataset"].index(dataset)
    assert f"dataset/{index}" in paths  # publisher missing
    assert f"dataset/{index}/distribution" in paths  # the anyOf around the distribution list
    assert f"dataset/{index}/contactPoint/hasEmail" in paths


def test_data_json_is_a_valid_dcat_us_catalogue(demo):
    doc = read_json(demo, "/data/data.json")
    errors = sorted(pod_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    assert not errors, f"data.json breaks DCAT-US 1.1 (non-federal) in {len(errors)} place(s):\n{describe_errors(errors)}"


def test_data_json_lists_exactly_the_live_datasets_with_their_downloads(demo):
    live = live_datasets(demo)
    assert len(live) >= 5 and any(conditional(i) for i in live.values())
    entries = {d["identifier"]: d for d in read_json(demo, "/data/data.json")["dataset"]}
    expected = {f"{base(demo)}/datasets/{i}/" for i in live}
    assert set(entries) == expected, f"data.json lists {sorted(entries)}, the live datasets are {sorted(expected)}"
    for item in live.values():
        entry = entries[f"{base(demo)}/datasets/{item.id}/"]
        assert entry["title"] == item.meta["title"]
        assert entry["landingPage"] == f"{base(demo)}/datasets/{item.id}/"
        assert entry["license"] == LICENCE_URLS[item.meta["license"]]
        distributions = entry.get("distribution") or []
        if conditional(item):
            assert entry["accessLevel"] == "restricted public", item.id
            assert distributions == [], f"{item.id} is {CONDITIONAL} but data.json offers downloads"
            continue
        assert entry["accessLevel"] == "public", item.id
        urls = [d["downloadURL"] for d in distributions]
        assert len(urls) == 3 * len(file_resources(item)) and set(urls) == expected_downloads(demo, item), item.id
        for d in distributions:
            assert local(demo, d["downloadURL"]).is_file(), f"{item.id}: {d['downloadURL']} is not in the site"
            assert d["mediaType"] == ("application/json" if d["downloadURL"].endswith(".json") else "text/csv")


# --- catalog.jsonld (DCAT) ------------------------------------------------------------------------


def test_catalog_jsonld_is_a_dcat_graph_of_the_live_datasets(demo):
    graph = Graph().parse(data=built(demo, "/data/catalog.jsonld").read_text(encoding="utf-8"), format="json-ld")
    catalogues = list(graph.subjects(RDF_TYPE, DCAT["Catalog"]))
    assert len(catalogues) == 1, f"expected one dcat:Catalog, found {catalogues}"
    catalogue = catalogues[0]
    live = live_datasets(demo)
    uris = {URIRef(f"{base(demo)}/datasets/{i}/"): item for i, item in live.items()}
    assert len(uris) >= 5, f"the demo has only {len(uris)} live datasets"
    assert set(graph.subjects(RDF_TYPE, DCAT["Dataset"])) == set(uris)
    assert set(graph.objects(catalogue, DCAT["dataset"])) == set(uris)
    for uri, item in uris.items():
        titles = {str(t) for t in graph.objects(uri, DCTERMS["title"]) if isinstance(t, Literal)}
        assert titles == {item.meta["title"]}, f"{item.id}: dct:title {titles}"
        assert URIRef(LICENCE_URLS[item.meta["license"]]) in set(graph.objects(uri, DCTERMS["license"])), item.id
        distributions = list(graph.objects(uri, DCAT["distribution"]))
        downloads = set()
        for distribution in distributions:
            assert (distribution, RDF_TYPE, DCAT["Distribution"]) in graph, f"{item.id}: {distribution} is no dcat:Distribution"
            urls = list(graph.objects(distribution, DCAT["downloadURL"]))
            assert len(urls) == 1 and isinstance(urls[0], URIRef), f"{item.id}: {distribution} downloadURL {urls}"
            assert local(demo, str(urls[0])).is_file(), f"{item.id}: {urls[0]} is not in the site"
            downloads.add(str(urls[0]))
        assert len(distributions) == 3 * len(file_resources(item)) and downloads == expected_downloads(demo, item), item.id


def test_catalog_csv_lists_the_live_datasets_for_excel(demo):
    data = built(demo, "/data/catalog.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "the catalogue CSV is for Excel: it needs a UTF-8 BOM"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    live = live_datasets(demo)
    assert len(live) >= 5, f"the demo has only {len(live)} live datasets"
    assert sorted(r["编号"] for r in rows) == sorted(live)
    for row in rows:
        item = live[row["编号"]]
        assert row["名称"] == item.meta["title"] and row["开放条件"] == item.meta["open_condition"]
        assert set(row["下载地址"].split()) == expected_downloads(demo, item)


# --- datapackage.json (Frictionless) --------------------------------------------------------------


def frictionless_report(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", str(path)],
                          check=False, capture_output=True, text=True, cwd=path.parent, timeout=120)
    assert done.stdout.strip(), f"frictionless printed no report for {path} (exit {done.returncode}): {done.stderr}"
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def live(demo):
    return live_datasets(demo)


def test_every_datapackage_passes_frictionless_validation(demo, live):
    checked = 0
    for item in live.values():
        path = built(demo, f"/datasets/{item.id}/datapackage.json")
        if conditional(item) and not path.is_file():
            continue  # nothing to package: a conditional dataset may publish none
        assert path.is_file(), f"{item.id} has no datapackage.json"
        checked += 1
        report = frictionless_report(path)
        problems = [f"{t.get('name')}: {e.get('type')} {e.get('message')}" for t in report["tasks"] for e in t["errors"]]
        problems += [f"{e.get('type')} {e.get('message')}" for e in report["errors"]]
        assert report["valid"], f"{item.id}/datapackage.json fails frictionless:\n" + "\n".join(problems)
        # It validated the data files themselves, all rows of them (not only the descriptor).
        rows = {t["name"]: t["stats"]["rows"] for t in report["tasks"]}
        assert rows == {r["name"]: len(source_rows(demo, r)) - 1 for r in file_resources(item)}, item.id
    assert checked >= 4


def test_every_datapackage_describes_at_least_one_resource(demo, live):
    """Data Package spec: `resources` is REQUIRED, "with at least one resource" (frictionless 5 does not check it)."""
    published = [i for i in live if built(demo, f"/datasets/{i}/datapackage.json").is_file()]
    assert len(published) >= 4
    empty = [i for i in published if not read_json(demo, f"/datasets/{i}/datapackage.json").get("resources")]
    assert not empty, f"datapackage.json with no resources (not a valid Data Package): {empty}"


# --- downloads ------------------------------------------------------------------------------------


def each_file_resource(site):
    for item in live_datasets(site).values():
        for resource in file_resources(item):
            yield item, resource


def test_utf8_csv_download_has_the_rows_of_the_source_file(demo):
    count = 0
    for item, resource in each_file_resource(demo):
        data = built(demo, f"/datasets/{item.id}/{resource['name']}.csv").read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), f"{item.id}: the plain UTF-8 CSV should have no BOM"
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert rows == source_rows(demo, resource), f"{item.id}/{resource['name']}.csv differs from {resource['file']}"
        count += 1
    assert count >= 4


def test_excel_csv_download_has_a_bom_crlf_and_the_same_rows(demo):
    resources = list(each_file_resource(demo))
    assert len(resources) >= 4, f"the demo has only {len(resources)} dataset files"
    for item, resource in resources:
        data = built(demo, f"/datasets/{item.id}/{resource['name']}-excel.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), f"{item.id}: the Excel CSV does not start with a UTF-8 BOM"
        text_ = data.decode("utf-8")[1:]
        outside_quotes = re.sub(r'"(?:[^"]|"")*"', "", text_)  # a line break inside a quoted cell is a value
        assert "\n" not in outside_quotes.replace("\r\n", ""), f"{item.id}: the Excel CSV has bare LF line ends"
        assert text_.endswith("\r\n")
        rows = list(csv.reader(io.StringIO(text_, newline="")))
        assert rows == source_rows(demo, resource), f"{item.id}/{resource['name']}-excel.csv differs from the source"


def test_json_download_has_every_row_with_typed_values(demo):
    numbers = 0
    for item, resource in each_file_resource(demo):
        header, *rows = source_rows(demo, resource)
        records = json.loads(built(demo, f"/datasets/{item.id}/{resource['name']}.json").read_text(encoding="utf-8"))
        assert isinstance(records, list) and len(records) == len(rows), f"{item.id}: {len(records)} records, {len(rows)} rows"
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        for n, (record, row) in enumerate(zip(records, rows), start=2):
            assert list(record) == header, f"{item.id} line {n}: keys {list(record)}"
            for name, cell in zip(header, row):
                typed(record[name], cell, fields[name], f"{item.id} line {n} {name}")
                numbers += fields[name]["type"] == "integer"
    assert numbers > 0, "the demo should have integer columns to check"


def test_api_pages_hold_every_record_and_chain_to_the_last(demo):
    live = live_datasets(demo)
    index = {d["id"]: d for d in read_json(demo, "/api/v1/datasets.json")["datasets"]}
    assert len(live) >= 5, f"the demo has only {len(live)} live datasets"
    assert set(index) == set(live)
    for item in live.values():
        listed = {r["name"]: r for r in index[item.id]["resources"]}
        assert set(listed) == {r["name"] for r in file_resources(item)}, item.id
        for resource in file_resources(item):
            check_api_chain(demo, item, resource, listed[resource["name"]])
    conditional_ids = [i for i, item in live.items() if conditional(item)]
    assert conditional_ids, "the demo should have a conditional dataset"
    for dataset_id in conditional_ids:
        assert not built(demo, f"/api/v1/datasets/{dataset_id}/").exists(), f"{dataset_id} is {CONDITIONAL}: no API"


# A copy of the demo with one more dataset: 1201 rows (three API pages), and cells with a comma,
# a quote and a line break, which the CSV downloads must carry through.
PAGED_ID = "sj-tjj-fycs"
PAGED_ROWS = 1201
PAGED_MD = """---
id: sj-tjj-fycs
title: 云江市统计局接口分页测试数据
unit: tjj
date: 2026-05-01 10:00
summary: 用于检查接口分页和下载文件的数据集,共1201行。
keywords:
  - 测试
theme: 经济建设
license: CC0-1.0
frequency: 不定期
open_condition: 无条件开放
contact:
  name: 市统计局综合科
  phone: 0771-5614106
  email: tjj@yunjiang.gov.cn
resources:
  - name: rows
    title: 分页测试表
    file: files/tjj/2026/sj-tjj-fycs/rows.csv
    schema:
      fields:
        - name: n
          title: 序号
          type: integer
          constraints:
            required: true
            unique: true
        - name: label
          title: 名称
          type: string
      primaryKey: [n]
---
本数据集只用于测试。
"""


def paged_label(n: int) -> str:
    return {7: "含,逗号", 8: '含"引号"', 9: "两行\n文字"}.get(n, f"第{n}行")


@pytest.fixture(scope="module")
def paged(demo_root, tmp_path_factory):
    root = tmp_path_factory.mktemp("paged")
    shutil.copytree(demo_root / "content", root / "content")
    (root / "content/datasets/tjj/sj-tjj-fycs.md").write_text(PAGED_MD, encoding="utf-8")
    folder = root / "content/files/tjj/2026/sj-tjj-fycs"
    folder.mkdir(parents=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["n", "label"]] + [[n, paged_label(n)] for n in range(1, PAGED_ROWS + 1)])
    (folder / "rows.csv").write_text(buffer.getvalue(), encoding="utf-8")
    site = build(root, tmp_path_factory.mktemp("paged-out") / "output", DEMO_NOW)
    errors = [f"{d.location} {d.code} {d.message}" for d in site.result.diagnostics if d.severity.value == "error"]
    assert site.result.ok, "the demo with a 1201-row dataset must build: " + "; ".join(errors)
    return site


def test_api_of_a_long_table_is_paged_and_chained(paged):
    item = live_datasets(paged)[PAGED_ID]
    resource = file_resources(item)[0]
    listed = next(d for d in read_json(paged, "/api/v1/datasets.json")["datasets"] if d["id"] == PAGED_ID)["resources"][0]
    pages = check_api_chain(paged, item, resource, listed)
    sizes = [len(p["records"]) for p in pages]
    assert len(pages) > 1 and len(set(sizes[:-1])) == 1 and 0 < sizes[-1] <= sizes[0], f"page sizes {sizes}"
    records = [r for p in pages for r in p["records"]]
    assert [r["n"] for r in records] == list(range(1, PAGED_ROWS + 1))
    assert all(p["next"] == f"{base(paged)}/api/v1/datasets/{PAGED_ID}/rows/{p['page'] + 1}.json" for p in pages[:-1])


def test_downloads_carry_commas_quotes_and_line_breaks(paged):
    item = live_datasets(paged)[PAGED_ID]
    resource = file_resources(item)[0]
    expected = source_rows(paged, resource)
    assert expected[9][1] == "两行\n文字"
    plain = built(paged, f"/datasets/{PAGED_ID}/rows.csv").read_bytes().decode("utf-8")
    assert list(csv.reader(io.StringIO(plain, newline=""))) == expected
    excel = built(paged, f"/datasets/{PAGED_ID}/rows-excel.csv").read_bytes().decode("utf-8")
    assert excel.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(excel[1:], newline=""))) == expected
    records = json.loads(built(paged, f"/datasets/{PAGED_ID}/rows.json").read_text(encoding="utf-8"))
    assert [r["label"] for r in records[6:9]] == ["含,逗号", '含"引号"', "两行\n文字"]


def test_preview_of_a_long_table_shows_ten_rows_and_the_total(paged):
    table = paged.soup(f"/datasets/{PAGED_ID}/").select_one("table.preview")
    assert len(table.tbody.find_all("tr")) == PREVIEW_ROWS
    assert f"共 {PAGED_ROWS} 行" in text(table.caption)


# --- the 12345 hotline dataset agrees with the letters --------------------------------------------


def month_range(start: str, end: str) -> list[str]:
    year, month = map(int, start.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def test_hotline_dataset_counts_every_letter_by_month_and_kind(demo):
    item = dataset_items(demo)[HOTLINE]
    cutoff = item.meta["modified"][:10]  # the data are "截至" their last update
    counts: Counter = Counter()
    letters = 0
    for path in sorted((demo.root / "content" / "letters").rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".md"):
            continue
        meta, _ = read_meta(path)  # public or not: every letter received counts
        if meta["received"][:10] <= cutoff:
            counts[(meta["received"][:7], meta["kind"])] += 1
            letters += 1
    assert letters >= 20 and {kind for _, kind in counts} == set(KIND_COLUMNS)

    resource = item.meta["resources"][0]
    data = built(demo, f"/datasets/{HOTLINE}/{resource['name']}.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    months = [row["month"] for row in rows]
    assert months == month_range(item.meta["temporal"]["start"], item.meta["temporal"]["end"])
    assert {month for month, _ in counts} <= set(months), "letters received in months the table does not cover"
    wrong = []
    for row in rows:
        expected = {column: counts[(row["month"], kind)] for kind, column in KIND_COLUMNS.items()}
        got = {column: int(row[column]) for column in KIND_COLUMNS.values()}
        if got != expected or int(row["total"]) != sum(expected.values()):
            wrong.append(f"{row['month']}: table {got} total {row['total']}, letters {expected}")
    assert not wrong, "the hotline dataset disagrees with the letters:\n" + "\n".join(wrong)
    assert sum(int(row["total"]) for row in rows) == letters


# --- the dataset page -----------------------------------------------------------------------------


def meta_cells(soup) -> dict:
    table = soup.select_one("table.dataset-meta")
    assert table is not None, "no metadata table"
    return {text(th): th.find_next_sibling("td") for th in table.find_all("th")}


def test_dataset_page_shows_condition_frequency_and_licence(demo, live):
    assert len(live) >= 5, f"the demo has only {len(live)} live datasets"
    for item in live.values():
        cells = meta_cells(demo.soup(f"/datasets/{item.id}/"))
        assert text(cells["开放条件"]) == item.meta["open_condition"], item.id
        assert text(cells["更新频率"]) == item.meta["frequency"], item.id
        link = cells["开放许可"].find("a", href=True)
        assert link is not None and link["href"] == LICENCE_URLS[item.meta["license"]], f"{item.id}: licence link {link}"
        assert text(link), item.id


def test_preview_table_shows_at_most_ten_rows_of_the_data_and_the_total(demo, live):
    checked = 0
    for item in live.values():
        soup = demo.soup(f"/datasets/{item.id}/")
        for resource in file_resources(item):
            header, *rows = source_rows(demo, resource)
            table = soup.select_one(f"table.preview#preview-{resource['name']}")
            assert table is not None, f"{item.id}: no preview table for {resource['name']}"
            body = [[text(td) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]
            assert len(body) == min(PREVIEW_ROWS, len(rows)), f"{item.id}: {len(body)} preview rows"
            assert body == [[" ".join(c.split()) for c in row] for row in rows[:PREVIEW_ROWS]], item.id
            assert table.caption is not None and f"共 {len(rows)} 行" in text(table.caption), text(table.caption)
            assert len(table.thead.find_all("th")) == len(header)
            checked += 1
    assert checked >= 4


def test_every_download_link_on_a_dataset_page_resolves(demo, live):
    assert len(live) >= 5, f"the demo has only {len(live)} live datasets"
    for item in live.values():
        article = demo.soup(f"/datasets/{item.id}/").find("article")
        hrefs = [a["href"] for a in article.find_all("a", href=True) if a["href"].startswith("/")]
        missing = [h for h in hrefs if not built(demo, h.split("#")[0]).is_file()]
        assert not missing, f"{item.id} links to files the site does not have: {missing}"
        downloads = {base(demo) + a["href"] for a in article.select("a[download]")}
        assert downloads == expected_downloads(demo, item), f"{item.id}: download links {sorted(downloads)}"
        for resource in file_resources(item):
            api = f"/api/v1/datasets/{item.id}/{resource['name']}/1.json"
            assert api in hrefs, f"{item.id}: the page does not link its API {api}"


def test_conditional_dataset_page_explains_how_to_apply_and_offers_no_download(demo, live):
    items = [item for item in live.values() if conditional(item)]
    assert items, "the demo should have a conditional dataset"
    for item in items:
        soup = demo.soup(f"/datasets/{item.id}/")
        apply = section(soup, "申请方式")
        assert apply is not None, f"{item.id} has no 申请方式 section"
        assert " ".join(item.meta["apply"].split()) in text(apply)
        article = soup.find("article")
        assert not article.select("a[download], ul.downloads, table.preview, figure.chart"), item.id
        data_links = [a["href"] for a in article.find_all("a", href=True)
                      if a["href"].startswith("/api/") or re.search(r"\.(csv|json)$", a["href"])
                      and not a["href"].endswith("/datapackage.json")]
        assert not data_links, f"{item.id} is {CONDITIONAL} but links data files: {data_links}"
        folder = built(demo, f"/datasets/{item.id}/").parent
        files = sorted(p.name for p in folder.iterdir() if p.suffix in (".csv", ".json") and p.name != "datapackage.json")
        assert not files, f"{item.id} is {CONDITIONAL} but the site publishes {files}"


# --- the 数据开放 section page ----------------------------------------------------------------------


def test_data_section_links_every_live_dataset_and_the_catalogues(demo, live):
    main = demo.soup("/data/").find("main") or demo.soup("/data/")
    hrefs = {a["href"] for a in main.find_all("a", href=True)}
    dataset_links = {h for h in hrefs if h.startswith("/datasets/")}
    assert dataset_links == {f"/datasets/{i}/" for i in live}
    for path in CATALOGUE_FILES:
        assert path in hrefs, f"/data/ does not link {path}"
    missing = [h for h in hrefs if h.startswith("/") and not built(demo, h).is_file()]
    assert not missing, f"/data/ links pages the site does not have: {missing}"
