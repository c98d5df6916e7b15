"""The paths outside content/ that matter are defined once (pipeline.content.paths) and every user agrees:
the changed check scans them for changes, its scope checks a checker change whole and a CODEOWNERS change
with GK-OWN-001, approvals write CODEOWNERS there and route a change to it to the city tier."""
from __future__ import annotations

from pipeline.approvals.codeowners import TARGETS
from pipeline.approvals.tiers import load_policy
from pipeline.check.git_changes import OUTSIDE_CONTENT
from pipeline.check.scope import CODEOWNERS, fallback_reason
from pipeline.cms.config import TARGET as CMS_TARGET
from pipeline.content.paths import CHECKER_FILES, CHECKER_FOLDERS, CMS_CONFIG, CODEOWNERS_FILES, outside_role


def test_the_changed_check_and_approvals_use_the_one_list():
    assert set(TARGETS.values()) == set(CODEOWNERS) == set(CODEOWNERS_FILES.values())
    assert set(OUTSIDE_CONTENT) == {*CHECKER_FOLDERS, *CHECKER_FILES, *CODEOWNERS_FILES.values(), CMS_CONFIG}
    assert CMS_TARGET == CMS_CONFIG  # GK-CMS-001 checks the file the changed check scans


def test_a_change_to_the_editor_configuration_is_checked_whole():
    # generated from the schemas, the settings and every type's ids: GK-CMS-001 needs the whole repository
    assert outside_role(CMS_CONFIG) == "cms" and "编辑后台" in fallback_reason({CMS_CONFIG})
    assert outside_role("ci/cms/other.yml") is None


def test_a_change_to_the_checker_is_checked_whole_and_codeowners_is_not():
    for path in [f"{folder}/x.py" for folder in CHECKER_FOLDERS] + list(CHECKER_FILES):
        assert outside_role(path) == "checker" and fallback_reason({path}), path
    for path in CODEOWNERS_FILES.values():
        assert outside_role(path) == "codeowners" and fallback_reason({path}) is None
    assert outside_role("README.md") is None and fallback_reason({"README.md"}) is None
    assert outside_role("pipelines/x.py") is None  # a folder whose name merely starts like one


def test_approvals_route_every_codeowners_file_to_the_city():
    policy = load_policy()
    for path in CODEOWNERS_FILES.values():
        need = policy.need_for_path(path)
        assert need is not None and need.tier_id == "city", path
