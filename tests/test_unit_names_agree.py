"""A unit is named the same way on its pages, in the audit report, the yearly report and the approval plan:
its `name`, else its `short_name`, else its id (pipeline.content.repository.unit_name)."""
from __future__ import annotations

import git

from pipeline.approvals.changes import TreeSnapshot
from pipeline.audit.checks import Context
from pipeline.core.workdays import WorkCalendar
from pipeline.cli.audit import _unit_names
from pipeline.content.repository import load_repository
from pipeline.core.site_items import Catalogue
from pipeline.pages.units import _unit_context
from pipeline.timeutil import parse_now
from pipeline.yearly_report.figures import _unit_name as report_unit_name
from tests.repo_factory import make_repo, unit_yaml

NOW = parse_now("2026-11-26 09:00")


def _units(tmp_path):
    full = unit_yaml("jyj", "云江市教育局")
    short_only = unit_yaml("wsj", "云江市卫生健康委员会").replace("name: 云江市卫生健康委员会", "short_name: 市卫健委")
    nameless = unit_yaml("mzj", "云江市民政局").replace("name: 云江市民政局\n", "")
    assert "short_name: 市卫健委" in short_only and "云江市民政局" not in nameless
    return make_repo(tmp_path, {"content/units/jyj.yaml": full, "content/units/wsj.yaml": short_only,
                                "content/units/mzj.yaml": nameless, "content/units/bad.yaml": "name: [unclosed\n"})


def test_page_audit_yearly_report_and_approvals_name_a_unit_alike(tmp_path):
    root = _units(tmp_path)
    repo = load_repository(root, now=NOW)
    repository = git.Repo.init(root)
    repository.git.add(A=True)
    repository.index.commit("units")
    snapshot = TreeSnapshot(repository.head.commit)  # what approvals read: the commit's Git objects
    catalogue = Catalogue(repo, NOW)
    audit = Context(repo, NOW, WorkCalendar())
    expected = {"jyj": "云江市教育局", "wsj": "市卫健委", "mzj": "mzj", "bad": "bad"}
    for uid, name in expected.items():
        assert catalogue.unit_info(uid).name == name  # every page that names the unit
        assert audit.unit_name(uid) == name  # the audit's findings
        assert report_unit_name(repo, (uid,)) == name  # the yearly report
        assert snapshot.unit_name(uid) == name  # the approval plan and verification
        if uid in repo.units:
            assert _unit_context(catalogue, uid)["title"] == name  # the unit's own page
            assert _unit_names(repo)[uid] == name  # the audit report's sections
    assert "bad" not in repo.units  # unreadable: named by its id everywhere
