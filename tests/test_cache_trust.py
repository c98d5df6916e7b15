"""Caches are only read when the content did not bring them: unpickling a parse can run code, and a cached
conversion goes onto pages unsanitised. A `.cache/` tracked by Git (a merge request can force-add one)
turns every cache of the repository off; an untracked one, as builds and CI leave it, is used."""
from __future__ import annotations

import pickle
import subprocess

import pytest

from pipeline.content.parse_cache import ParseCache, trusted
from pipeline.content.repository import load_repository
from tests.repo_factory import make_repo, md

pytestmark = pytest.mark.usefixtures("caches_in_the_repository")  # it reads <root>/.cache/gongkai


def git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def test_a_committed_cache_is_not_trusted_and_an_untracked_one_is(tmp_path, monkeypatch):
    monkeypatch.delenv("GONGKAI_NO_CACHE", raising=False)
    root = make_repo(tmp_path, {"content/news/jyj/xw-2026-0001.md": md("id: xw-2026-0001\ntitle: 开学通知")})
    git(root, "init", "-q")
    git(root, "add", "content")
    git(root, "commit", "-q", "-m", "content")
    load_repository(root)  # writes the parse cache
    assert trusted(root) and ParseCache(root).use
    assert list((root / ".cache" / "gongkai" / "parse").rglob("*.pickle"))

    class Boom:  # what a hostile pickle would run on loading
        def __reduce__(self):
            return (exec, ("open(%r, 'w').write('ran')" % str(tmp_path / "ran"),))

    for entry in (root / ".cache" / "gongkai" / "parse").rglob("*.pickle"):
        entry.write_bytes(pickle.dumps(Boom()))
    git(root, "add", "-f", ".cache")
    git(root, "commit", "-q", "-m", "a cache arrives with the content")
    assert not trusted(root) and not ParseCache(root).use
    repo = load_repository(root)
    assert not (tmp_path / "ran").exists(), "a committed cache was unpickled"
    assert [i.id for i in repo.items] == ["xw-2026-0001"]
