"""`gongkai check --changed-since REV`: exactly the whole check's diagnostics for the files a change reaches.

The generated corpus (bench/check_bench.py at 150 items: policies with interpretations, by-id links,
attachments, reports) is committed in a temporary Git repository; seeded random change sets are applied
to the working tree (some committed on a branch, some not, some untracked); after each, the incremental
check is compared with a whole check made without any cache. The same changes, piled up and with time
moving, hold the cached whole check (`gongkai check`, the build's gate: pipeline.check.cached) equal to it.
"""
from __future__ import annotations

import pickle
import random
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from stdnum.cn import ric

from pipeline.check.cached import check_repository_cached
from pipeline.check.changed import check_changed_since
from pipeline.check.whole import check_repository
from pipeline.cli import main
from pipeline.content.parse_cache import ParseCache
from pipeline.content.repository import content_digest, load_repository
from pipeline.site.build import build_site
from pipeline.timeutil import parse_now

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from check_bench import generate  # noqa: E402

pytestmark = pytest.mark.usefixtures("caches_in_the_repository")  # they read <root>/.cache/gongkai

NOW = parse_now("2026-11-25 12:00")
ID_NUMBER = "11010519900307123" + ric.calc_check_digit("11010519900307123" + "0")  # it skips the last character


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin:/usr/local/bin",
                               "HOME": str(root)}).stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("changed") / "corpus"
    generate(root, 150)
    (root / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "corpus")
    return root


@pytest.fixture(scope="module")
def before(corpus):
    """The whole check of the committed corpus: what the files outside a change's scope must keep saying."""
    return whole_check(corpus)


# Unit coverage (GK-COV-001, a warning on the unit's page) counts every item of the unit: a change of an
# item changes it, but it is reported on the unit, which --changed-since leaves to the whole check on main.
OUTSIDE_SCOPE_CODES = {"GK-COV-001"}


def reset(root: Path) -> None:
    git(root, "checkout", "-q", "-f", "main")
    git(root, "reset", "-q", "--hard", "main")
    git(root, "clean", "-qfd", "--", "content")


def whole_check(root: Path):
    """The reference: a whole check, parsing every file (no cache involved)."""
    return check_repository(load_repository(root, now=NOW, cache=ParseCache(root, use=False)))


# --- random changes -------------------------------------------------------------------------------

def _items(root: Path, folder: str = "") -> list[Path]:
    return sorted(p for p in (root / "content" / folder).rglob("*.md") if "/units/" not in p.as_posix()
                  and "/governance/" not in p.as_posix())


def _edit(path: Path, old: str, new: str, count: int = 1) -> bool:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        return False
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return True


def _front(path: Path, key: str, value: str) -> None:
    """Set a front-matter key (replacing its line, or adding it after the opening ---)."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{key}:.*$", re.M)
    head, sep, body = text[4:].partition("\n---")
    if pattern.search(head):
        head = pattern.sub(f"{key}: {value}", head, count=1)
    else:
        head = f"{key}: {value}\n" + head
    path.write_text("---\n" + head + sep + body, encoding="utf-8")


def _id_of(path: Path) -> str:
    match = re.search(r"^id: *(\S+)", path.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else path.stem


def change_body(rng, root):
    path = rng.choice(_items(root))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n补充说明:相关工作正在推进。\n")


def add_personal_data(rng, root):
    path = rng.choice(_items(root))
    secret = rng.choice([f"联系电话 1381234{rng.randrange(1000, 9999)}", f"身份证 {ID_NUMBER}"])
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{secret}。\n")


def break_reference(rng, root):
    path = rng.choice(_items(root, "interpretations") or _items(root))
    if not _edit(path, "interprets: [", "interprets: [zc-missing-1, "):
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n见[《不存在的文件》](item:zc-missing-2)。\n")


def duplicate_id(rng, root):
    source = rng.choice(_items(root))
    target = root / "content" / "notices" / source.name if rng.random() < 0.5 else \
        source.with_name(source.stem + "-copy.md")
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)


def delete_referenced(rng, root):
    referenced = [p for p in _items(root, "policies")
                  if any(_id_of(p) in q.read_text(encoding="utf-8") for q in _items(root, "interpretations"))]
    (rng.choice(referenced or _items(root))).unlink()


def rename_or_move(rng, root):
    path = rng.choice(_items(root))
    choice = rng.random()
    if choice < 0.4:  # the file and its id: whoever named it is broken
        new_id = _id_of(path) + "-r"
        _edit(path, f"id: {_id_of(path)}", f"id: {new_id}")
        git(root, "mv", str(path), str(path.with_name(new_id + path.suffix)))
    elif choice < 0.7:  # the file only: the id no longer matches its name
        git(root, "mv", str(path), str(path.with_name(path.stem + "-moved" + path.suffix)))
    else:  # into another folder (another unit's, another type's)
        folder = rng.choice(sorted(p for p in (root / "content" / "news").iterdir() if p.is_dir()) or [path.parent])
        if not (folder / path.name).exists():
            shutil.move(path, folder / path.name)


def add_item(rng, root):
    source = rng.choice(_items(root, "news"))
    new_id = f"xw-new-{rng.randrange(10**6)}"
    text = source.read_text(encoding="utf-8").replace(f"id: {_id_of(source)}", f"id: {new_id}")
    if rng.random() < 0.5:  # one that names an existing policy
        policy = rng.choice(_items(root, "policies"))
        text += f"\n见[《文件》](item:{_id_of(policy)})。\n"
    (source.parent / f"{new_id}.md").write_text(text, encoding="utf-8")


def change_dates(rng, root):
    path = rng.choice(_items(root, rng.choice(["policies", "interpretations", "news", "notices"])))
    _front(path, "date", rng.choice(["2026-02-30", "2027-01-01 09:00", "2020-01-01", "2026-11-25 08:00"]))


def change_policy(rng, root):
    path = rng.choice(_items(root, "policies"))
    if rng.random() < 0.5:
        _front(path, "validity", "已废止")
    else:
        _front(path, "doc_type", "行政规范性文件")


def claim_address(rng, root):
    """A former address: another item's address (GK-URL-002), or a fresh one (a REPOSITORY rule runs)."""
    path, other = rng.sample(_items(root), 2)
    folder = other.relative_to(root / "content").parts[0]
    url = rng.choice([f"/{folder}/{_id_of(other)}/", f"/art/2020/1/{rng.randrange(1000)}.html"])
    _front(path, "former_urls", f'["{url}"]')


def edit_report(rng, root):
    reports = _items(root, "reports")
    if reports:
        _edit(rng.choice(reports), "件数: ", "件数: 9", 1)


def add_unknown_file(rng, root):
    (root / "content" / "news" / f"draft-{rng.randrange(100)}.docx").write_bytes(b"PK\x03\x04")


CHANGES = [change_body, add_personal_data, break_reference, duplicate_id, delete_referenced, rename_or_move,
           add_item, change_dates, change_policy, claim_address, edit_report, add_unknown_file]


@pytest.mark.parametrize("seed", range(24))
def test_changed_since_equals_the_whole_check_on_its_scope(corpus, before, seed):
    rng = random.Random(seed)
    reset(corpus)
    if seed % 3 == 0:  # part of the change committed on a branch, part not
        git(corpus, "checkout", "-q", "-b", f"mr-{seed}")
        rng.choice(CHANGES)(rng, corpus)
        git(corpus, "add", "-A", "content")
        git(corpus, "commit", "-qm", "part of the change", "--allow-empty")
    applied = [rng.choice(CHANGES) for _ in range(rng.randint(1, 3))]
    for change in applied:
        change(rng, corpus)
    changed = {line[3:].split(" -> ")[-1].strip('"') for line in git(corpus, "-c", "core.quotepath=off", "status", "--porcelain", "-uall").splitlines()}
    changed |= set(git(corpus, "diff", "--name-only", "main", "HEAD").split())
    result = check_changed_since(corpus, "main", NOW)
    whole = whole_check(corpus)
    names = [c.__name__ for c in applied]
    assert result.scope is not None, (names, result.note)
    assert result.diagnostics == [d for d in whole if d.path in result.scope], names
    on_changed = [d for d in whole if d.path in changed]
    assert set(on_changed) <= set(result.diagnostics), names
    assert {p for p in changed if (corpus / p).exists() and p.startswith("content/")} <= result.scope, names
    # And the scope is where the change shows: outside it, the whole check says what it said before.
    outside = [d for d in whole if d.path not in result.scope and d.code not in OUTSIDE_SCOPE_CODES]
    assert outside == [d for d in before if d.path not in result.scope and d.code not in OUTSIDE_SCOPE_CODES
                       and d.path not in changed], names


def test_the_scope_reaches_the_items_that_name_a_deleted_policy(corpus):
    reset(corpus)
    interpretation = next(p for p in _items(corpus, "interpretations") if "interprets: [" in p.read_text(encoding="utf-8"))
    policy_id = re.search(r"interprets: \[([^,\]]+)", interpretation.read_text(encoding="utf-8")).group(1).strip()
    policy = next(p for p in _items(corpus, "policies") if _id_of(p) == policy_id)
    policy.unlink()
    result = check_changed_since(corpus, "main", NOW)
    rel = interpretation.relative_to(corpus).as_posix()
    assert rel in result.scope
    assert any(d.code == "GK-REF-001" and d.path == rel for d in result.diagnostics)
    assert result.diagnostics == [d for d in whole_check(corpus) if d.path in result.scope]


def test_a_governance_change_checks_the_whole_repository(corpus, capsys):
    reset(corpus)
    _edit(corpus / "content" / "governance" / "site.yaml", "name:", "name: 改", 1)
    news = _items(corpus, "news")[0]
    with news.open("a", encoding="utf-8") as handle:
        handle.write(f"\n身份证 {ID_NUMBER}\n")
    result = check_changed_since(corpus, "main", NOW)
    assert result.scope is None and "治理数据" in result.note and "整个仓库" in result.note
    assert result.diagnostics == whole_check(corpus)
    code = main(["--root", str(corpus), "check", "--changed-since", "main", "--now", "2026-11-25 12:00"])
    err = capsys.readouterr().err
    assert code == 1 and "改为检查整个仓库" in err and len(err.strip().splitlines()) == 1


def test_stale_and_corrupt_caches_change_nothing(corpus):
    reset(corpus)
    news = _items(corpus, "news")[0]
    reference = whole_check(corpus)
    cached = check_repository(load_repository(corpus, now=NOW))  # fills the cache
    assert cached == reference and any((corpus / ".cache" / "gongkai" / "parse").rglob("*.pickle"))
    # Stale: the file changes after being cached; corrupt: every entry overwritten with garbage.
    with news.open("a", encoding="utf-8") as handle:
        handle.write(f"\n电话 13812345678,身份证 {ID_NUMBER}\n")
    assert check_repository(load_repository(corpus, now=NOW)) == whole_check(corpus) != reference
    for number, entry in enumerate(sorted((corpus / ".cache" / "gongkai").rglob("*.pickle"))):
        entry.write_bytes([b"", b"\x80\x05garbage", pickle.dumps(("wrong key", "not an item"))][number % 3])
    assert check_repository(load_repository(corpus, now=NOW)) == whole_check(corpus)
    result = check_changed_since(corpus, "main", NOW)
    assert result.diagnostics == [d for d in whole_check(corpus) if d.path in result.scope]
    assert {d.code for d in result.diagnostics} >= {"GK-PRIV-001", "GK-PRIV-002"}


def test_a_cache_entry_is_only_read_back_under_its_own_key(corpus, monkeypatch):
    cache = ParseCache(corpus)
    data = _items(corpus, "news")[0].read_bytes()
    from pipeline.content.loader import YamlLimits

    key = cache.key(data, "content/news/a.md", "news", YamlLimits())
    assert key != cache.key(data, "content/news/b.md", "news", YamlLimits())
    assert key != cache.key(data, "content/news/a.md", "news", YamlLimits(max_depth=3))
    assert key != cache.key(data + b" ", "content/news/a.md", "news", YamlLimits())
    monkeypatch.setattr("pipeline.content.parse_cache.code_fingerprint", lambda: "another version of the code")
    assert key != cache.key(data, "content/news/a.md", "news", YamlLimits())


def test_the_content_index_makes_entries_only_for_bytes_it_has_not_seen(corpus, monkeypatch):
    from pipeline.check import content_index

    reset(corpus)
    index = corpus / ".cache" / "gongkai" / "index.pickle"
    index.unlink(missing_ok=True)  # not the entries earlier tests' changes left
    check_changed_since(corpus, "main", NOW)  # every file of main indexed, and only these
    made = []
    entry_for = content_index.entry_for
    monkeypatch.setattr(content_index, "entry_for", lambda cf, parsed: made.append(cf.rel) or entry_for(cf, parsed))
    news = _items(corpus, "news")[0]
    with news.open("a", encoding="utf-8") as handle:
        handle.write(f"\n身份证 {ID_NUMBER}\n")
    rel = news.relative_to(corpus).as_posix()
    stored = index.read_bytes()
    result = check_changed_since(corpus, "main", NOW)
    assert made == [rel]  # its new bytes; its bytes in main and every other file come from the index
    assert result.diagnostics == [d for d in whole_check(corpus) if d.path in result.scope]
    # One new entry among hundreds is made again by the next run rather than the whole index written now;
    # a change of more files is written, and the next run makes none.
    assert index.read_bytes() == stored
    made.clear()
    assert check_changed_since(corpus, "main", NOW).diagnostics == result.diagnostics and made == [rel]
    for other in _items(corpus, "news")[1:20]:
        _edit(other, "title: ", "title: 改")
    check_changed_since(corpus, "main", NOW)
    assert index.read_bytes() != stored
    made.clear()
    check_changed_since(corpus, "main", NOW)
    assert made == []
    # Under other code, or unreadable, the index is made again, and the result is the same.
    result = check_changed_since(corpus, "main", NOW)
    for spoil in (lambda: monkeypatch.setattr(content_index, "code_fingerprint", lambda: "other code"),
                  lambda: index.write_bytes(b"\x80\x05garbage")):
        check_changed_since(corpus, "main", NOW)
        spoil()
        made.clear()
        again = check_changed_since(corpus, "main", NOW)
        assert len(made) > 100 and again.diagnostics == result.diagnostics


def test_the_code_fingerprint_covers_every_module_of_the_package(monkeypatch):
    """The index entries and kept findings are made by code in pipeline/core and pipeline/check too."""
    import pipeline
    from pipeline.content import parse_cache

    read = set()
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.add(self.resolve()) or read_bytes(self))
    parse_cache.code_fingerprint.__wrapped__()
    package = Path(pipeline.__file__).resolve().parent
    assert set(package.rglob("*.py")) <= read


def test_cli_reports_with_any_format_and_the_exit_code_of_the_check(corpus, capsys, tmp_path):
    reset(corpus)
    news = _items(corpus, "news")[0]
    with news.open("a", encoding="utf-8") as handle:
        handle.write("\n电话 13812345678\n")
    out = tmp_path / "report.json"
    code = main(["--root", str(corpus), "check", "--changed-since", "main", "--now", "2026-11-25 12:00",
                 "--format", "json", "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "只检查这些文件" in err
    assert "GK-PRIV-002" in out.read_text(encoding="utf-8")
    reset(corpus)
    assert main(["--root", str(corpus), "check", "--changed-since", "main", "--now", "2026-11-25 12:00"]) == 0
    assert "检查了 0 个文件" in capsys.readouterr().out


@pytest.mark.parametrize("rev", ["no-such-branch", "0123456789abcdef0123456789abcdef01234567", "main~999", ""])
def test_a_bad_revision_is_a_clear_usage_error(corpus, capsys, rev):
    code = main(["--root", str(corpus), "check", "--changed-since", rev])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "--changed-since" in err
    assert re.search(r"[\u4e00-\u9fff]", err)


def test_outside_git_is_a_clear_usage_error(tmp_path, capsys):
    (tmp_path / "content").mkdir()
    code = main(["--root", str(tmp_path), "check", "--changed-since", "HEAD"])
    err = capsys.readouterr().err
    assert code == 2 and "Git" in err and "Traceback" not in err


def test_the_other_interpretations_of_a_policy_are_in_scope(corpus):
    """GK-REL-002 goes to every interpretation of a policy when none is on time: making the last
    punctual one late reaches the others, which neither name it nor are named by it."""
    reset(corpus)
    first = next(p for p in _items(corpus, "interpretations") if "interprets: [" in p.read_text(encoding="utf-8"))
    git(corpus, "checkout", "-q", "-b", "late-interpretations")
    second = first.with_name(first.stem + "-2.md")  # a second interpretation, published late
    second.write_text(first.read_text(encoding="utf-8").replace(f"id: {first.stem}", f"id: {second.stem}"),
                      encoding="utf-8")
    _front(second, "date", "2026-11-20")
    git(corpus, "add", "-A", "content")
    git(corpus, "commit", "-qm", "a late interpretation beside a punctual one")
    _front(first, "date", "2026-11-20")
    others = [second]
    result = check_changed_since(corpus, "late-interpretations", NOW)
    sibling = others[0].relative_to(corpus).as_posix()
    assert sibling in result.scope
    assert any(d.code == "GK-REL-002" and d.path == sibling for d in result.diagnostics)
    assert result.diagnostics == [d for d in whole_check(corpus) if d.path in result.scope]


# --- the whole check, cached (gongkai check and the build's gate) -------------------------------------

def uncached_whole_check(root: Path, now):
    return check_repository(load_repository(root, now=now, cache=ParseCache(root, use=False)))


@pytest.fixture
def edited(corpus, tmp_path):
    """A copy of the corpus with its own Git history and cache, edited step after step."""
    root = tmp_path / "edited"
    shutil.copytree(corpus, root, ignore=shutil.ignore_patterns(".cache"))
    return root


def withdraw_this_afternoon(rng, root):
    """Personal data in an item withdrawn at 14:00 on the check's day: screened before, only its notice after."""
    path = rng.choice(_items(root, rng.choice(["news", "notices"])))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n身份证 {ID_NUMBER}。\n")
    _front(path, "withdrawn", '{date: "2026-11-25 14:00", reason: 内容有误}')


def break_or_mend_yaml(rng, root):
    """A file that cannot be read, or one read again: while it is unreadable, the findings it would cause
    elsewhere wait (check.whole.without_cascades)."""
    broken = [p for p in _items(root) if p.read_text(encoding="utf-8").startswith("---\ntitle: [")]
    if broken and rng.random() < 0.5:
        path = rng.choice(broken)
        path.write_text(path.read_text(encoding="utf-8").replace("---\ntitle: [没有闭合\n", "---\n", 1), encoding="utf-8")
    else:
        path = rng.choice(_items(root))
        path.write_text("---\ntitle: [没有闭合\n" + path.read_text(encoding="utf-8")[4:], encoding="utf-8")


def name_another_item(rng, root):
    path, other = rng.sample(_items(root), 2)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n见[《文件》](item:{other.stem})。\n")


CACHED_CHANGES = [*CHANGES, withdraw_this_afternoon, break_or_mend_yaml, name_another_item]


@pytest.mark.parametrize("seed", range(6))
def test_the_cached_whole_check_equals_an_uncached_one_after_every_edit(edited, seed):
    """Edits pile up, time moves (items come due or are withdrawn), and after each step the check that
    reuses the last one's findings says exactly what a whole check from nothing says."""
    rng = random.Random(1000 + seed)
    last = uncached_whole_check(edited, NOW)
    assert check_repository_cached(load_repository(edited, now=NOW)) == last
    assert (edited / ".cache" / "gongkai" / "check.pickle").is_file()
    differed = 0
    for step in range(6):
        applied = [rng.choice(CACHED_CHANGES) for _ in range(rng.randint(1, 2))]
        for change in applied:
            change(rng, edited)
        # Hours within the check's day (statuses change, today does not) as well as other days.
        now = NOW + rng.choice([timedelta(0), timedelta(hours=5), timedelta(hours=-3), timedelta(days=40),
                                timedelta(days=-200)])
        expected = uncached_whole_check(edited, now)
        assert check_repository_cached(load_repository(edited, now=now)) == expected, (step, [c.__name__ for c in applied])
        differed += expected != last
        last = expected
    assert differed  # what the check says changed, so reused findings were put to the test


def test_the_build_gate_gives_the_whole_checks_diagnostics_from_the_cache(edited, tmp_path):
    check_repository_cached(load_repository(edited, now=NOW))  # an earlier check's findings are kept
    news = _items(edited, "news")[0]
    rel = news.relative_to(edited).as_posix()
    with news.open("a", encoding="utf-8") as handle:
        handle.write(f"\n身份证 {ID_NUMBER}\n")
    result = build_site(load_repository(edited, now=NOW), tmp_path / "output", NOW)
    assert result.diagnostics == uncached_whole_check(edited, NOW)
    assert any(d.code == "GK-PRIV-001" and d.path == rel for d in result.diagnostics)
    assert not (tmp_path / "output").exists()  # an error stops the build before anything is written
    # The gate started from the kept findings and keeps its own: the edited file's, under its new bytes.
    state = pickle.loads((edited / ".cache" / "gongkai" / "check.pickle").read_bytes())
    assert state["signatures"][rel][2] == content_digest(news.read_bytes())
    assert any(d.code == "GK-PRIV-001" for d in state["local"][rel])


def test_a_corrupt_or_foreign_check_cache_is_ignored(edited):
    state = edited / ".cache" / "gongkai" / "check.pickle"
    reference = uncached_whole_check(edited, NOW)
    assert check_repository_cached(load_repository(edited, now=NOW)) == reference
    news = _items(edited, "news")[0]
    with news.open("a", encoding="utf-8") as handle:
        handle.write("\n电话 13812345678\n")
    expected = uncached_whole_check(edited, NOW)
    for garbage in (b"", b"\x80\x05garbage", pickle.dumps({"key": "another", "local": {}}),
                    pickle.dumps({"key": None, "signatures": {}, "entries": {}, "local": {"x": "not findings"}})):
        state.write_bytes(garbage)
        assert check_repository_cached(load_repository(edited, now=NOW)) == expected != reference


def test_two_checks_at_once_share_the_cache_safely(edited):
    """Two processes writing the check's cache together: each answers fully, and the cache they leave is whole."""
    news = _items(edited, "news")[0]
    with news.open("a", encoding="utf-8") as handle:
        handle.write("\n电话 13812345678\n")
    command = [sys.executable, "-m", "pipeline.cli", "--root", str(edited), "check", "--now", "2026-11-25 12:00",
               "--format", "json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [1, 1]
    assert outputs[0][0] == outputs[1][0] and b"GK-PRIV-002" in outputs[0][0]
    assert pickle.loads((edited / ".cache" / "gongkai" / "check.pickle").read_bytes())["local"]
    assert check_repository_cached(load_repository(edited, now=NOW)) == uncached_whole_check(edited, NOW)


def test_a_reference_to_a_file_that_cannot_be_read_is_not_reported_by_the_cached_check(edited):
    """The file's own error is the one to fix (check.whole.without_cascades), also when only the reference is new."""
    broken, naming = _items(edited, "policies")[0], _items(edited, "news")[0]
    broken.write_text("---\ntitle: [没有闭合\n---\n正文\n", encoding="utf-8")
    assert check_repository_cached(load_repository(edited, now=NOW)) == uncached_whole_check(edited, NOW)
    with naming.open("a", encoding="utf-8") as handle:
        handle.write(f"\n见[《文件》](item:{broken.stem})。\n")
    expected = uncached_whole_check(edited, NOW)
    assert not any(d.path == naming.relative_to(edited).as_posix() and d.code.startswith("GK-REF") for d in expected)
    assert check_repository_cached(load_repository(edited, now=NOW)) == expected


def test_an_attachment_is_read_again_only_when_its_size_times_or_inode_changed(edited, monkeypatch):
    """The cached check hashes the files the loader does not read (attachments) once, and again only when
    their stat changed, as Git's index does: an attachment rewritten with personal data is screened even
    when its modification time is put back (its change time moves), one untouched is not read."""
    import os
    import time

    import pipeline.check.cached as cached

    news = _items(edited, "news")[0]
    with news.open("a", encoding="utf-8") as handle:
        handle.write("\n名单见[附件](files/名单.csv)。\n")
    table = edited / "content" / "files" / "名单.csv"
    table.write_text("姓名,证件号码\n张三,暂无证件号码\n", encoding="utf-8")  # as long as an id number
    hour_ago = time.time() - 3600
    for path in (edited / "content").rglob("*"):
        if path.is_file():
            os.utime(path, (hour_ago, hour_ago))
    read = []
    real = cached.file_digest
    monkeypatch.setattr(cached, "file_digest", lambda path: read.append(path.name) or real(path))
    monkeypatch.setattr(cached, "RACY_NS", 50_000_000)  # this disk's clock ticks far finer than 2 s
    time.sleep(0.1)  # the times utime just set (the change time is now) are older than a hash taken now
    assert check_repository_cached(load_repository(edited, now=NOW)) == uncached_whole_check(edited, NOW)
    assert "名单.csv" in read
    read.clear()
    assert check_repository_cached(load_repository(edited, now=NOW)) == uncached_whole_check(edited, NOW)
    assert read == []
    table.write_text(f"姓名,证件号码\n张三,{ID_NUMBER}\n", encoding="utf-8")
    os.utime(table, (hour_ago, hour_ago))
    expected = uncached_whole_check(edited, NOW)
    assert any(d.code == "GK-FILE-001" for d in expected)
    read.clear()
    assert check_repository_cached(load_repository(edited, now=NOW)) == expected
    assert read == ["名单.csv"]
