"""数据开放: dataset downloads, the static JSON API, datapackage.json and the catalogue (DCAT, data.json, CSV).

Every file is built from the live datasets of the catalogue and the tables
`pipeline.core.datasets` reads, so the page, the downloads, the API and the
catalogues list the same datasets with the same values.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import cached_property, partial

from pipeline.core.addresses import (API_DATASETS, DATA, DATA_CATALOG_CSV, DATA_STATISTICS, DATA_CATALOG_JSONLD, DATA_JSON, api_records_url,
                         chart_data_url, datapackage_url, dataset_download_url, unit_url)
from pipeline.core.datasets import TYPE_NAMES, Table, TableError, fields, is_conditional, published_file, read_table, records, resources
from pipeline.core.open_data import EU_FREQUENCY, FREQUENCIES, LICENSES, modified
from pipeline.pages import page as dep
from pipeline.pages.feeds import base_url
from pipeline.pages.page import Page, html_page, text_file

API_PAGE_SIZE = 500
PREVIEW_ROWS = 10
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "Catalog": "dcat:Catalog", "Dataset": "dcat:Dataset", "Distribution": "dcat:Distribution",
    "title": {"@id": "dct:title", "@language": "zh-CN"},
    "description": {"@id": "dct:description", "@language": "zh-CN"},
    "keyword": {"@id": "dcat:keyword", "@language": "zh-CN"},
    "dataset": {"@id": "dcat:dataset", "@type": "@id"},
    "distribution": {"@id": "dcat:distribution", "@type": "@id"},
    "identifier": "dct:identifier", "issued": {"@id": "dct:issued", "@type": "xsd:date"},
    "modified": {"@id": "dct:modified", "@type": "xsd:date"}, "language": "dct:language",
    "publisher": {"@id": "dct:publisher", "@type": "@id"}, "name": {"@id": "foaf:name", "@language": "zh-CN"},
    "license": {"@id": "dct:license", "@type": "@id"}, "accrualPeriodicity": {"@id": "dct:accrualPeriodicity", "@type": "@id"},
    "spatial": "dct:spatial", "theme": {"@id": "dcat:theme", "@language": "zh-CN"},
    "landingPage": {"@id": "dcat:landingPage", "@type": "@id"},
    "accessURL": {"@id": "dcat:accessURL", "@type": "@id"}, "downloadURL": {"@id": "dcat:downloadURL", "@type": "@id"},
    "mediaType": "dcat:mediaType", "format": "dct:format", "conformsTo": {"@id": "dct:conformsTo", "@type": "@id"},
    "contactPoint": {"@id": "dcat:contactPoint", "@type": "@id"}, "fn": "vcard:fn",
    "hasEmail": {"@id": "vcard:hasEmail", "@type": "@id"}, "hasTelephone": "vcard:hasTelephone",
}


@dataclass
class Resource:
    """One resource of a live dataset, as its page and files show it."""

    name: str
    title: str
    description: str
    fields: list[dict]
    file: str | None
    chart: dict | None
    header: list[str]
    rows: list[list[str]]
    dataset_id: str
    source: dict = field(repr=False)  # the resource as the item writes it (schema, primary key)
    table: Table | None = field(repr=False, default=None)

    @cached_property
    def records(self) -> list[dict]:
        """Typed values, computed once for the JSON download, every API page and the chart."""
        return records(self.table, self.source) if self.table is not None else []

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // API_PAGE_SIZE))

    @property
    def downloads(self) -> list[dict]:
        if self.file is None:
            return []
        return [{"label": "CSV(UTF-8)", "url": dataset_download_url(self.dataset_id, self.name, "csv"), "format": "CSV"},
                {"label": "CSV(Excel 中文版可直接打开)", "url": dataset_download_url(self.dataset_id, self.name, "excel"), "format": "CSV"},
                {"label": "JSON", "url": dataset_download_url(self.dataset_id, self.name, "json"), "format": "JSON"}]

    @property
    def api(self) -> str | None:
        return api_records_url(self.dataset_id, self.name) if self.file else None

    @property
    def chart_url(self) -> str | None:
        return chart_data_url(self.dataset_id, self.name) if self.chart and self.file else None


def dataset_resources(catalogue, entry) -> list[Resource]:
    out = []
    for resource in resources(entry.item):
        file = published_file(entry.item, resource)
        header, rows, table = [str(f.get("name")) for f in fields(resource)], [], None
        if file:
            try:
                table = read_table(catalogue.repo.root / "content" / file)
                header, rows = table.header, table.rows
            except (TableError, OSError):
                file = None  # GK-REF-004 or GK-DATA-001 stops the build; listing addresses must not fail
        out.append(Resource(str(resource.get("name")), str(resource.get("title") or resource.get("name")),
                            str(resource.get("description") or ""), fields(resource), file,
                            resource.get("chart") if isinstance(resource.get("chart"), dict) else None,
                            header, rows, entry.id, resource, table))
    return out


def dataset_context(catalogue, entry) -> dict:
    """What the dataset page shows beside the common item fields."""
    meta = entry.meta
    license_ = LICENSES.get(meta.get("license"))
    resources_ = dataset_resources(catalogue, entry)
    return {"resources": resources_, "preview_rows": PREVIEW_ROWS, "license": license_, "type_names": TYPE_NAMES,
            "page_size": API_PAGE_SIZE,
            "modified": modified(entry.item), "conditional": is_conditional(entry.item),
            "datapackage": datapackage_url(entry.id) if any(r.file for r in resources_) else None, "feedback": catalogue.site.get("data_feedback") or {},
            "has_chart": any(r.chart_url for r in resources_)}


def _csv(header, rows, *, excel: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if excel else "") + buffer.getvalue()


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _api_page(catalogue, entry, resource: Resource, number: int) -> str:
    rows = resource.records[(number - 1) * API_PAGE_SIZE:number * API_PAGE_SIZE]
    base = base_url(catalogue.site)
    return _json({"dataset": entry.id, "resource": resource.name, "title": resource.title,
                  "page": number, "pages": resource.pages, "total": resource.count,
                  "next": base + api_records_url(entry.id, resource.name, number + 1) if number < resource.pages else None,
                  "fields": [{k: f[k] for k in ("name", "title", "type", "unit") if k in f} for f in resource.fields],
                  "records": rows})


def _chart(resource: Resource) -> str:
    """The ECharts option for the resource's chart: axis values and series from the records."""
    chart = resource.chart
    rows = resource.records
    for key, value in (chart.get("filter") or {}).items():
        rows = [r for r in rows if str(r.get(key)) == str(value)]
    titles = {f["name"]: f.get("title", f["name"]) + (f"({f['unit']})" if f.get("unit") else "") for f in resource.fields}
    x = [r.get(chart["x"]) for r in rows]
    option = {"title": chart.get("title") or resource.title, "type": chart["type"], "x": x,
              "x_title": titles.get(chart["x"], chart["x"]),
              "series": [{"name": titles.get(y, y), "data": [r.get(y) for r in rows]} for y in chart["y"]]}
    return _json(option)


def _datapackage(catalogue, entry, resources_: list[Resource]) -> str:
    meta, base = entry.meta, base_url(catalogue.site)
    license_ = LICENSES.get(meta.get("license"))
    package = {"name": entry.id, "title": entry.title, "description": meta.get("summary", ""),
               "homepage": base + entry.url, "keywords": meta.get("keywords", []),
               "created": entry.when.isoformat(), "version": str(modified(entry.item) or ""),
               "licenses": [{"name": meta.get("license"), "path": license_.url, "title": license_.title}] if license_ else [],
               "contributors": [{"title": entry.unit.name, "role": "publisher"}],
               "resources": []}
    for r in resources_:
        if not r.file:
            continue
        schema = {"fields": r.fields}
        for key in ("primaryKey", "missingValues"):
            if key in (r.source.get("schema") or {}):
                schema[key] = r.source["schema"][key]
        package["resources"].append({"name": r.name, "title": r.title, "path": f"{r.name}.csv", "format": "csv",
                                     "mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource",
                                     "schema": schema})
    return _json(package)


def _distributions(catalogue, entry, resources_):
    base = base_url(catalogue.site)
    for r in resources_:
        for download in r.downloads:
            media = "text/csv" if download["format"] == "CSV" else "application/json"
            yield r, download, base + download["url"], media


def _catalog_jsonld(catalogue, datasets) -> str:
    base = base_url(catalogue.site)
    graph = []
    for entry, resources_ in datasets:
        meta = entry.meta
        license_ = LICENSES.get(meta.get("license"))
        frequency = FREQUENCIES.get(meta.get("frequency"))
        node = {"@id": base + entry.url, "@type": "Dataset", "identifier": entry.id, "title": entry.title,
                "description": meta.get("summary", ""), "keyword": meta.get("keywords", []), "theme": meta.get("theme"),
                "issued": entry.day, "modified": str(modified(entry.item) or entry.day), "language": "zh-CN",
                "landingPage": base + entry.url, "spatial": meta.get("spatial", ""),
                "publisher": {"@id": base + unit_url(entry.unit.id), "@type": "foaf:Organization", "name": entry.unit.name},
                "contactPoint": _vcard(meta.get("contact") or {}),
                "distribution": [{"@id": url, "@type": "Distribution", "title": f"{r.title}({d['label']})",
                                  "downloadURL": url, "accessURL": base + entry.url, "mediaType": media,
                                  "format": d["format"]} for r, d, url, media in _distributions(catalogue, entry, resources_)]}
        if license_:
            node["license"] = license_.url
        if frequency:
            node["accrualPeriodicity"] = EU_FREQUENCY + frequency.eu
        graph.append(node)
    catalog = {"@context": DCAT_CONTEXT, "@id": base + DATA, "@type": "Catalog",
               "title": f"{catalogue.site.get('name', '')}开放数据目录", "description": "本网站开放的政府数据集。",
               "language": "zh-CN", "publisher": {"@id": base + "/", "@type": "foaf:Organization",
                                                  "name": catalogue.site.get("name", "")},
               "dataset": graph}
    return _json(catalog)


def _vcard(contact: dict) -> dict:
    card = {"@type": "vcard:Organization", "fn": contact.get("name", "")}
    if contact.get("email"):
        card["hasEmail"] = f"mailto:{contact['email']}"
    if contact.get("phone"):
        card["hasTelephone"] = contact["phone"]
    return card


def _data_json(catalogue, datasets) -> str:
    base = base_url(catalogue.site)
    out = []
    for entry, resources_ in datasets:
        meta = entry.meta
        contact = meta.get("contact") or {}
        license_ = LICENSES.get(meta.get("license"))
        frequency = FREQUENCIES.get(meta.get("frequency"))
        record = {"@type": "dcat:Dataset", "identifier": base + entry.url, "title": entry.title,
                  "description": meta.get("summary") or entry.title, "keyword": meta.get("keywords", []),
                  "issued": entry.day, "modified": str(modified(entry.item) or entry.day),
                  "publisher": {"@type": "org:Organization", "name": entry.unit.name},
                  "contactPoint": {"@type": "vcard:Contact", "fn": contact.get("name", entry.unit.name),
                                   **({"hasEmail": f"mailto:{contact['email']}"} if contact.get("email") else {})},
                  "accessLevel": "restricted public" if is_conditional(entry.item) else "public",
                  "landingPage": base + entry.url, "language": ["zh-CN"], "theme": [meta.get("theme")],
                  "spatial": meta.get("spatial", ""),
                  "distribution": [{"@type": "dcat:Distribution", "title": f"{r.title}({d['label']})",
                                    "downloadURL": url, "mediaType": media, "format": d["format"]}
                                   for r, d, url, media in _distributions(catalogue, entry, resources_)]}
        if license_:
            record["license"] = license_.url
        if frequency and frequency.iso:
            record["accrualPeriodicity"] = frequency.iso
        temporal = meta.get("temporal")
        if isinstance(temporal, dict) and temporal.get("start") and temporal.get("end"):
            record["temporal"] = f"{temporal['start']}/{temporal['end']}"
        if not record["distribution"]:
            del record["distribution"]
        if is_conditional(entry.item) and isinstance(meta.get("apply"), str):
            record["rights"] = f"{meta.get('open_condition')}:{meta['apply']}"[:255]  # DCAT-US: how to get access
        out.append(record)
    return _json({"@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld", "@type": "dcat:Catalog",
                  "conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "describedBy":
                  "https://project-open-data.cio.gov/v1.1/schema/catalog.json", "dataset": out})


def _catalog_csv(catalogue, datasets) -> str:
    base = base_url(catalogue.site)
    header = ["编号", "名称", "提供单位", "数据主题", "开放条件", "更新频率", "发布日期", "更新日期", "开放许可", "关键词", "网址", "下载地址"]
    rows = []
    for entry, resources_ in datasets:
        meta = entry.meta
        urls = " ".join(url for _, _, url, _ in _distributions(catalogue, entry, resources_))
        rows.append([entry.id, entry.title, entry.unit.name, meta.get("theme", ""), meta.get("open_condition", ""),
                     meta.get("frequency", ""), entry.day, str(modified(entry.item) or ""), meta.get("license", ""),
                     "、".join(meta.get("keywords", [])), base + entry.url, urls])
    return _csv(header, rows, excel=True)


def _api_index(catalogue, datasets) -> str:
    base = base_url(catalogue.site)
    return _json({"datasets": [{"id": e.id, "title": e.title, "unit": e.unit.name, "page": base + e.url,
                                "resources": [{"name": r.name, "title": r.title, "total": r.count, "pages": r.pages,
                                               "records": base + r.api} for r in rs if r.api]}
                               for e, rs in datasets]})


def _section(catalogue, datasets) -> dict:
    themes: dict[str, list] = {}
    for entry, _ in datasets:
        themes.setdefault(entry.meta.get("theme", "其他"), []).append(entry)
    return {"title": "数据开放", "themes": sorted(themes.items()), "count": len(datasets), "statistics": DATA_STATISTICS,
            "catalogues": [("DCAT 目录(JSON-LD)", DATA_CATALOG_JSONLD), ("data.json(Project Open Data 1.1)", DATA_JSON),
                           ("目录表(CSV)", DATA_CATALOG_CSV), ("接口索引(JSON)", API_DATASETS)],
            "api_example": api_records_url("{编号}", "{资源名}", 1), "page_size": API_PAGE_SIZE}


def data_pages(catalogue) -> list[Page]:
    entries = catalogue.listed_of("dataset")
    datasets = [(e, dataset_resources(catalogue, e)) for e in entries]
    files = {e.id: {dep.file(r.file) for r in rs if r.file} for e, rs in datasets}
    every = dep.shown(entries) | {dep.listing("datasets", dep.ids(entries))} | set().union(*files.values())
    statistical = [e for e in entries if e.meta.get("disclosure_category") == "statistics"]
    pages = [html_page(DATA, "data.html", partial(_section, catalogue, datasets), every),
             html_page(DATA_STATISTICS, "listing.html",
                       partial(dict, {"title": "统计数据", "entries": statistical, "pager": None,
                                      "parent": {"name": "数据开放", "url": DATA}}),
                       dep.shown(statistical) | {dep.listing("datasets:statistics", dep.ids(statistical))}),
             text_file(DATA_CATALOG_JSONLD, partial(_catalog_jsonld, catalogue, datasets), every),
             text_file(DATA_JSON, partial(_data_json, catalogue, datasets), every),
             text_file(DATA_CATALOG_CSV, partial(_catalog_csv, catalogue, datasets), every),
             text_file(API_DATASETS, partial(_api_index, catalogue, datasets), every)]
    for entry, resources_ in datasets:
        own = {dep.item(entry.id)} | files[entry.id]
        if any(r.file for r in resources_):  # a Data Package needs at least one resource: none for a conditional one
            pages.append(text_file(datapackage_url(entry.id), partial(_datapackage, catalogue, entry, resources_), own))
        for r in resources_:
            if not r.file:
                continue
            pages += [text_file(dataset_download_url(entry.id, r.name, "csv"), partial(_csv, r.header, r.rows), own),
                      text_file(dataset_download_url(entry.id, r.name, "excel"),
                                partial(_csv, r.header, r.rows, excel=True), own),
                      text_file(dataset_download_url(entry.id, r.name, "json"),
                                partial(lambda res: _json(res.records), r), own)]
            pages += [text_file(api_records_url(entry.id, r.name, n), partial(_api_page, catalogue, entry, r, n), own)
                      for n in range(1, r.pages + 1)]
            if r.chart_url:
                pages.append(text_file(r.chart_url, partial(_chart, r), own))
    return pages
