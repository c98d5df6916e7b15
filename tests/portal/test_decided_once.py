"""Business decisions made once in pipeline/core/: every user of a decision says the same thing.

Each test builds a small repository (tests/repo_factory.py, tests/item_samples.py) in a temporary
folder and asks the users of one decision (the built site, the build's copy list, the pages, the
audit, the coverage rule, the yearly report) the same question.
"""
from __future__ import annotations

from pipeline.content.repository import load_repository
from pipeline.core.datasets import resources
from pipeline.pages.data import dataset_resources
from pipeline.site.build_plan import plan_site
from tests.item_samples import COMPANIONS, sample
from tests.portal.conftest import build, when
from tests.repo_factory import make_repo

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
    plan = plan_site(load_repository(root, now=now), now)
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
    plan = plan_site(load_repository(root, now=now), now)
    entry = plan.catalogue.entries["sj-1"]
    assert {r.file for r in dataset_resources(plan.catalogue, entry)} == {CSV}
    assert CSV in {rel for _, rel in plan.files}
    assert CSV in {use.rel for use in files_published(entry.item)}


def test_with_gk_data_006_on_the_conditional_datasets_csv_stops_the_check(tmp_path):
    from tests.repo_factory import run_check

    codes = [d.code for d in run_check(conditional_dataset_repo(tmp_path, rule_off=False))]
    assert "GK-DATA-006" in codes  # the rule still reports it; the build's copy list never depended on it
