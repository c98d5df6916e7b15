"""GK-WORD-002: placeholder text never reaches the site."""
from __future__ import annotations

from pipeline.authoring.new_item import BODY_HINT
from tests.repo_factory import NEWS, make_repo, run_check
from tests.test_cli import gongkai

NEWS_PATH = "content/news/xw-1.md"


def found(tmp_path, text, settings=None):
    files = {NEWS_PATH: text}
    if settings:
        files["content/governance/settings.yaml"] = settings
    return sorted((d.line, d.col) for d in run_check(make_repo(tmp_path, files)) if d.code == "GK-WORD-002")


def test_real_text_and_masks_pass(tmp_path):
    text = NEWS.replace("教育局召开会议。", "市民张××来信,身份证号 4501XXXXXXXXXX1234 已打码。")
    assert found(tmp_path, text) == []


def test_a_latin_marker_inside_a_longer_word_is_not_a_placeholder(tmp_path):
    text = NEWS.replace("教育局召开会议。", "数据见 sj-jyj-xxxs 和 todos 清单;另见 XXX 项目。")
    assert found(tmp_path, text) == [(7, 31)]  # only the XXX standing alone


def test_markers_are_errors_in_titles_and_bodies(tmp_path):
    text = NEWS.replace("title: 测试新闻", "title: 关于XXX的通知").replace("教育局召开会议。", "联系电话:待补充。todo")
    assert found(tmp_path, text) == [(3, 10), (7, 6), (7, 10)]


def test_the_template_body_of_gongkai_new_is_an_error(tmp_path):
    assert found(tmp_path, NEWS.replace("教育局召开会议。", BODY_HINT)) == [(7, 1)]


def test_the_marker_list_is_configurable(tmp_path):
    text = NEWS.replace("教育局召开会议。", "详见附件(暂缺)。")
    assert found(tmp_path, text) == []
    assert found(tmp_path, text, "placeholders:\n  markers: [暂缺]\n") == [(7, 6)]


def test_a_fresh_gongkai_new_item_fails_the_check_until_written(tmp_path):
    root = make_repo(tmp_path)
    assert gongkai("--root", root, "new", "news", "--unit", "jyj", "--title", "测试新闻").returncode == 0
    result = gongkai("--root", root, "check")
    assert result.returncode == 1 and "GK-WORD-002" in result.stdout
