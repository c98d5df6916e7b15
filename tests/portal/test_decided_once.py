"""Business decisions made once in pipeline/core/: every user of a decision says the same thing.

Each test builds a small repository (tests/repo_factory.py, tests/item_samples.py) in a temporary
folder and asks the users of one decision (the built site, the build's copy list, the pages, the
audit, the coverage rule, the yearly report) the same question.
"""
from __future__ import annotations

import pytest

from pipeline.audit.daily import audit
from pipeline.content.repository import load_repository
from pipeline.core.datasets import resources
from pipeline.core.unit_disclosure import covered_by_items
from pipeline.pages.data import dataset_resources
from pipeline.resources import theme_dir
from pipeline.site.build_plan import plan_site
from pipeline.yearly_report.figures import compute
from tests.item_samples import COMPANIONS, sample
from tests.portal.conftest import build, when
from tests.repo_factory import INTERPRETATION, POLICY, make_repo

CSV = "files/jyj/2026/sj-1/xxsl.csv"


def conditional_dataset_repo(tmp_path, *, rule_off: bool):
    """The sample dataset made 有条件开放 while it still names its CSV (what GK-DATA-006 reports)."""
    path, text = sample("dataset")
    text = text.replace("open_condition: 无条件开放",
                        "open_condition: 有条件开放\napply: 向市教育局发展规划科书面申请,10 个工作日内答复。")
    files = {path: text, **COMPANIONS["dataset"]}
    if rule_off:
        files["content/governance/settings.yaml"] = "rules:\n  GK-DATA-006: \"off\"\n"
    return make_repo(tmp_path / "repo", files)


def test_a_conditional_datasets_csv_is_never_published_even_with_gk_data_006_off(tmp_path):
    root = conditional_dataset_repo(tmp_path, rule_off=True)
    site = build(root, tmp_path / "output", "2026-04-01 09:00")
    assert site.result.ok, [d.message for d in site.result.diagnostics]
    # The file at its own address: not there.
    assert not (site.output / CSV).exists()
    assert not any(p.name == "xxsl.csv" for p in site.output.rglob("*"))
    # The page offers no download, no API, no Data Package, and says how to apply.
    page = site.soup("/datasets/sj-1/")
    hrefs = {a.get("href") for a in page.find_all("a")}
    assert not any(h and ("xxsl" in h or "datapackage" in h or "/api/" in h) for h in hrefs)
    assert "申请" in page.get_text()
    assert not any((site.output / "datasets/sj-1").glob("xxsl*"))


def test_the_copy_list_the_dataset_page_and_the_item_agree_on_a_conditional_datasets_files(tmp_path):
    from pipeline.core.files import files_published

    root = conditional_dataset_repo(tmp_path, rule_off=True)
    now = when("2026-04-01 09:00")
    plan = plan_site(load_repository(root, now=now), now, theme_dir())
    copied = {rel for _, rel in plan.files}
    entry = plan.catalogue.entries["sj-1"]
    linked = {r.file for r in dataset_resources(plan.catalogue, entry) if r.file}
    published = {use.rel for use in files_published(entry.item)}
    assert CSV not in copied and linked == set() and CSV not in published
    assert resources(entry.item)[0]["file"] == CSV  # the item still names it: only the site withholds it


def test_an_open_datasets_csv_is_published_and_linked_alike(tmp_path):
    path, text = sample("dataset")
    from pipeline.core.files import files_published

    root = make_repo(tmp_path / "repo", {path: text, **COMPANIONS["dataset"]})
    now = when("2026-04-01 09:00")
    plan = plan_site(load_repository(root, now=now), now, theme_dir())
    entry = plan.catalogue.entries["sj-1"]
    assert {r.file for r in dataset_resources(plan.catalogue, entry)} == {CSV}
    assert CSV in {rel for _, rel in plan.files}
    assert CSV in {use.rel for use in files_published(entry.item)}


def test_with_gk_data_006_on_the_conditional_datasets_csv_stops_the_check(tmp_path):
    from tests.repo_factory import run_check

    codes = [d.code for d in run_check(conditional_dataset_repo(tmp_path, rule_off=False))]
    assert "GK-DATA-006" in codes  # the rule still reports it; the build's copy list never depended on it


# --- when a survey's result is public ----------------------------------------------------------------

def survey_repo(tmp_path):
    """A survey that ended 2026-03-31 whose result, written in advance, is dated 2026-05-10 (after the month)."""
    path, text = sample("survey")
    return make_repo(tmp_path / "repo", {path: text.replace("date: 2026-04-15", "date: 2026-05-10 10:00")})


def survey_findings(root, now: str):
    moment = when(now)
    return [f for f in audit(load_repository(root, now=moment), moment) if f.code == "GK-SURVEY-001"]


def test_a_survey_result_dated_later_is_not_shown_until_its_date_and_the_audit_agrees(tmp_path):
    root = survey_repo(tmp_path)
    before = build(root, tmp_path / "before", "2026-05-05 09:00")
    assert before.result.ok, [d.message for d in before.result.diagnostics]
    page = before.soup("/surveys/dc-1/")
    assert page.find(class_="result") is None and "共收到意见" not in page.get_text()
    assert page.find(class_="survey-state").get_text() == "已结束,结果整理中"
    assert "结果已公布" not in before.soup("/hudong/").get_text()
    assert "共收到意见" not in "".join(before.all_text().values())  # nor in a listing, feed or search record
    (finding,) = survey_findings(root, "2026-05-05 09:00")
    assert "至今未公布" in finding.message  # the audit, too, sees no result yet

    after = build(root, tmp_path / "after", "2026-05-10 10:00")
    page = after.soup("/surveys/dc-1/")
    assert "共收到意见 120 条" in page.find(class_="result").get_text()
    assert page.find(class_="survey-state").get_text() == "已结束,结果已公布"
    assert "已结束,结果已公布" in after.soup("/hudong/").get_text()
    (finding,) = survey_findings(root, "2026-05-10 10:00")
    assert "2026-05-10 才公布" in finding.message  # published from that moment on, late


def declared_moments(root, now: str) -> dict:
    from pipeline.core.site_items import Catalogue
    from pipeline.pages.site_pages import site_pages

    moment = when(now)
    return {p.url: p.changes_at for p in site_pages(Catalogue(load_repository(root, now=moment), moment))}


def test_a_survey_page_declares_the_moment_its_result_comes_out(tmp_path):
    moments = declared_moments(survey_repo(tmp_path), "2026-05-05 09:00")
    assert moments["/surveys/dc-1/"] == moments["/hudong/"] == when("2026-05-10 10:00")
    assert moments["/policies/"] is None  # nothing in the library changes by time alone


def shown_by_time(item, at):
    """What the site shows of `item` at `at` that time alone can change (status, survey state and result,
    validity), asked of the deciding functions themselves."""
    from pipeline.core import policy_validity, publication

    return (publication.status(item, at), publication.survey_state(item, at) if item.type == "survey" else None,
            publication.survey_result(item, at), policy_validity.validity_on(item, at.date()))


def moment_of(item, at):
    from pipeline.core import policy_validity, publication

    moments = [publication.next_change(item, at), policy_validity.next_change(item, at)]
    return min((m for m in moments if m is not None), default=None)


TIMED = {  # item, and the moments it changes at, in order, from 2026-01-01 on
    "scheduled, then withdrawn": (
        ("news", {"date": "2026-05-01 09:00", "withdrawn": {"date": "2026-06-01 10:00", "reason": "过时"}}),
        ["2026-05-01 09:00", "2026-06-01 10:00"]),
    "withdrawn before its date: one change": (
        ("news", {"date": "2026-05-01 09:00", "withdrawn": {"date": "2026-04-15 10:00", "reason": "撤销"}}),
        ["2026-05-01 09:00"]),
    "survey opens, closes after its end day, result later": (
        ("survey", {"date": "2026-02-20 09:00", "start": "2026-03-01", "end": "2026-03-31",
                    "result": {"date": "2026-04-10 10:00", "summary": "共收到意见 120 条。"}}),
        ["2026-02-20 09:00", "2026-03-01 00:00", "2026-04-01 00:00", "2026-04-10 10:00"]),
    "repealed, then its term would end: only the repeal shows": (
        ("policy", {"date": "2025-03-01 09:00", "validity": "已废止", "validity_date": "2026-03-01",
                    "expires": "2027-12-31"}),
        ["2026-03-01 00:00"]),
    "a fixed term": (("policy", {"date": "2025-03-01 09:00", "validity": "现行有效", "expires": "2026-06-30"}),
                     ["2026-07-01 00:00"]),
}


@pytest.mark.parametrize("name", TIMED)
def test_an_items_next_moment_is_the_first_instant_what_the_site_shows_of_it_changes(name):
    """From each moment to the next, hour by hour, the deciding functions say the same; at the moment, not."""
    from datetime import timedelta

    from pipeline.content.loader import Item

    (kind, meta), expected = TIMED[name]
    item = Item(id="x-1", type=kind, path=f"content/{kind}/x-1.md", meta={"title": "标题", **meta})
    now, seen = when("2026-01-01 00:00"), []
    while (moment := moment_of(item, now)) is not None:
        assert moment > now
        step = now + timedelta(hours=1)
        while step < moment:
            assert shown_by_time(item, step) == shown_by_time(item, now), (name, step)
            step += timedelta(hours=1)
        assert shown_by_time(item, moment) != shown_by_time(item, moment - timedelta(minutes=1)), (name, moment)
        seen.append(moment)
        now = moment
    assert seen == [when(t) for t in expected]
    assert shown_by_time(item, now) == shown_by_time(item, now + timedelta(days=3650))  # nothing after the last


# --- whether a policy is in force ------------------------------------------------------------------

def expiring_policy_repo(tmp_path):
    """A 现行有效 normative document of 2024 with a fixed term to 2025-12-31, and its interpretation."""
    policy = (POLICY.replace("written: 2026-02-20", "written: 2024-02-20").replace("date: 2026-03-01", "date: 2024-03-01")
              .replace("〔2026〕", "〔2024〕").replace("/2026-", "/2024-")
              .replace("validity: 现行有效", "validity: 现行有效\nexpires: 2025-12-31"))
    interpretation = INTERPRETATION.replace("date: 2026-03-01", "date: 2024-03-01")
    return make_repo(tmp_path / "repo", {"content/policies/zc-1.md": policy,
                                         "content/interpretations/jd-zc-1.md": interpretation})


def validity_seen(site) -> dict:
    """What every user of the decision says about zc-1 on the day the site was built for."""
    page = site.soup("/policies/zc-1/")
    library = site.soup("/policies/")
    facet = {a.get_text() for a in library.select("nav.facets a")}
    filters = {s["data-pagefind-filter"] for s in page.select("[data-pagefind-filter]")}
    repo = load_repository(site.root, now=site.now)
    day = site.now.date()
    return {
        "row": page.select_one("td.validity").get_text(),
        "notice": page.find(class_="validity-notice") is not None,
        "library column": library.select_one("td[data-label=有效性]").get_text(),
        "facet": sorted(f for f in facet if f.startswith(("现行有效", "失效"))),
        "search filter": sorted(f for f in filters if f.startswith("有效性")),
        "coverage": "regulations" in covered_by_items(repo, site.now, 30).get("jyj", set()),
        "report in force": compute(repo, day.year, "jyj").documents["行政规范性文件"]["in_force"].value,
    }


@pytest.mark.parametrize("now, expected", [
    ("2025-12-31 18:00", {"row": "现行有效", "notice": False, "library column": "现行有效", "facet": ["现行有效(1)"],
                          "search filter": ["有效性:现行有效"], "coverage": True, "report in force": 1}),
    # The year after its term: 失效 on the page, in the library and its facet, in search, for coverage and the report.
    ("2026-12-31 18:00", {"row": "失效", "notice": True, "library column": "失效", "facet": ["失效(1)"],
                          "search filter": ["有效性:失效"], "coverage": False, "report in force": 0}),
])
def test_a_policy_past_its_expiry_is_expired_on_every_page_and_figure(tmp_path, now, expected):
    site = build(expiring_policy_repo(tmp_path), tmp_path / "output", now)
    assert site.result.ok, [d.message for d in site.result.diagnostics]
    assert validity_seen(site) == expected


def test_the_day_after_expiry_the_page_and_coverage_agree_and_pages_depend_on_now(tmp_path):
    from pipeline.core.policy_validity import in_force_on, validity_on
    from pipeline.core.site_items import Catalogue
    from pipeline.pages.site_pages import site_pages

    root = expiring_policy_repo(tmp_path)
    for now, label in (("2025-12-31 23:59", "现行有效"), ("2026-01-01 00:00", "失效")):
        moment = when(now)
        repo = load_repository(root, now=moment)
        catalogue = Catalogue(repo, moment)
        entry = catalogue.entries["zc-1"]
        assert entry.validity == label == validity_on(repo.by_id["zc-1"], moment.date())
        assert entry.in_force == in_force_on(repo.by_id["zc-1"], moment.date()) == (label == "现行有效")
        pages = {p.url: p for p in site_pages(catalogue)}
        # Until the day after its term the policy's pages declare that day; from then on nothing changes by time.
        declared = when("2026-01-01 00:00") if label == "现行有效" else None
        assert pages["/policies/zc-1/"].changes_at == pages["/policies/"].changes_at == declared
        assert pages["/interpretations/jd-zc-1/"].changes_at == declared  # it names the policy


@pytest.mark.parametrize("make, now, urls", [
    (survey_repo, "2026-05-05 09:00", ["/surveys/dc-1/", "/hudong/"]),
    (expiring_policy_repo, "2025-06-01 12:00", ["/policies/zc-1/", "/policies/"]),
], ids=["survey result", "policy term"])
def test_a_pages_declared_moment_is_the_first_instant_its_bytes_change(tmp_path, make, now, urls):
    """Built at `now`, a minute before the declared moment and at it: the pages stay as they were until the
    moment and differ at it, so a build that keeps them until then serves what a full build would."""
    from datetime import timedelta

    root = make(tmp_path)
    moment = declared_moments(root, now)[urls[0]]
    assert moment is not None and all(declared_moments(root, now)[u] == moment for u in urls)
    fmt = "%Y-%m-%d %H:%M"
    sites = {label: build(root, tmp_path / label, at) for label, at in (
        ("now", now), ("before", (moment - timedelta(minutes=1)).strftime(fmt)), ("at", moment.strftime(fmt)))}
    assert all(site.result.ok for site in sites.values())
    def page(label, url):
        return (sites[label].output / url.lstrip("/") / "index.html").read_bytes()

    for url in urls:
        assert page("now", url) == page("before", url) != page("at", url), url
