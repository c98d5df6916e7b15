"""Real Git repositories for the approval tests, built with GitPython in temporary directories.

`ContentRepo(tmp_path)` starts from `tests.repo_factory.make_repo` (site, columns, units yjzfb and
jyj) plus a third unit (wjw) and a small roster, committed on `main` by the portal administrator.
`merge_request(...)` does what a forge does: a branch from main, commits by an author, then a
`--no-ff` merge commit on main whose message carries the given trailers.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import git

from tests.repo_factory import md, make_repo, unit_yaml


@dataclass(frozen=True)
class Who:
    name: str
    email: str

    @property
    def ident(self) -> str:
        return f"{self.name} <{self.email}>"


# Office
WEI = Who("韦晓玲", "weixiaoling@test.gov.cn")  # 市人民政府办公室审核
LU = Who("陆振华", "luzhenhua@test.gov.cn")  # 市人民政府办公室审核
QIN = Who("覃海波", "qinhaibo@test.gov.cn")  # 电子政务中心分管领导
LI = Who("李文涛", "liwentao@test.gov.cn")  # 办公室主要领导
# 市教育局
ZHOU = Who("周静", "zhoujing@jyj.test.gov.cn")  # 科室审核
LIANG = Who("梁秀华", "liangxiuhua@jyj.test.gov.cn")  # 负责领导
# 市卫生健康委
XIE = Who("谢雨晴", "xieyuqing@wjw.test.gov.cn")  # 科室审核
SU = Who("苏明辉", "suminghui@wjw.test.gov.cn")  # 负责领导
# Editors who hold no role
CHEN = Who("陈小编", "chenxb@jyj.test.gov.cn")
HUANG = Who("黄小编", "huangxb@wjw.test.gov.cn")
ADMIN = Who("门户网站管理员", "admin@test.gov.cn")

ROSTER = textwrap.dedent("""\
    people:
      - {id: weixiaoling, name: 韦晓玲, email: weixiaoling@test.gov.cn, gitlab: weixiaoling, github: gh-weixiaoling}
      - {id: luzhenhua, name: 陆振华, email: luzhenhua@test.gov.cn, gitlab: luzhenhua, github: gh-luzhenhua}
      - {id: qinhaibo, name: 覃海波, email: qinhaibo@test.gov.cn, gitlab: qinhaibo, github: gh-qinhaibo}
      - {id: liwentao, name: 李文涛, email: liwentao@test.gov.cn, gitlab: liwentao, github: gh-liwentao}
      - {id: zhoujing, name: 周静, email: zhoujing@jyj.test.gov.cn, gitlab: zhoujing, github: gh-zhoujing}
      - {id: liangxiuhua, name: 梁秀华, email: liangxiuhua@jyj.test.gov.cn, gitlab: liangxiuhua, github: gh-liangxiuhua}
      - {id: xieyuqing, name: 谢雨晴, email: xieyuqing@wjw.test.gov.cn, gitlab: xieyuqing, github: gh-xieyuqing}
      - {id: suminghui, name: 苏明辉, email: suminghui@wjw.test.gov.cn, gitlab: suminghui, github: gh-suminghui}
    office:
      reviewers: [weixiaoling, luzhenhua]
      egov_leader: [qinhaibo]
      principal_leader: [liwentao]
    units:
      yjzfb: {section: [luzhenhua], leader: [liwentao]}
      jyj: {section: [zhoujing], leader: [liangxiuhua]}
      wjw: {section: [xieyuqing], leader: [suminghui]}
    """)

BASE_FILES = {
    "content/governance/roster.yaml": ROSTER,
    "content/units/wjw.yaml": unit_yaml("wjw", "测试市卫生健康委员会", "市直部门", 12347),
}


def news(item_id: str, unit: str, title: str = "测试新闻", **extra) -> str:
    lines = [f"id: {item_id}", f"title: {title}", f"unit: {unit}", "date: 2026-03-01 09:00"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return md("\n".join(lines), "正文。\n")


def policy(item_id: str, unit: str, name_of: str = "本单位") -> str:
    return md(f"""
        id: {item_id}
        title: 测试市某某管理办法
        unit: {unit}
        issued_in_name_of: {name_of}
        doc_type: 其他文件
        index_number: 11450100MB1536210X/2026-00001
        subject: 综合政务
        disclosure_category: regulations
        written: 2026-02-20
        date: 2026-03-01 09:00
        validity: 现行有效
        """, "第一条 为规范管理,制定本办法。\n")


def emergency_response(item_id: str, unit: str, severity: str = "重大") -> str:
    return md(f"""
        id: {item_id}
        title: 关于某某事件的情况通报
        unit: {unit}
        date: 2026-03-01 10:00
        kind: 突发事件信息
        event_time: 2026-03-01 09:10
        first_release: 2026-03-01 10:00
        severity: {severity}
        disclosure_category: emergency
        """, "情况通报。\n")


def trailers(approved=(), reviewed=()) -> str:
    lines = [f"Reviewed-by: {w.ident}" for w in reviewed] + [f"Approved-by: {w.ident}" for w in approved]
    return "\n".join(lines)


class ContentRepo:
    def __init__(self, tmp_path: Path, files: dict | None = None, *, base: bool = True):
        """`base=False`: only `files` (and whatever is already in tmp_path/repo), no test roster."""
        self.root = make_repo(tmp_path, {**(BASE_FILES if base else {}), **(files or {})}, base=base)
        self.repo = git.Repo.init(self.root, initial_branch="main")
        with self.repo.config_writer() as config:
            config.set_value("user", "name", ADMIN.name)
            config.set_value("user", "email", ADMIN.email)
            config.set_value("commit", "gpgsign", "false")
        self.clock = 0
        self.repo.git.add(A=True)
        self._commit("初始化内容仓库", ADMIN)
        self.count = 0

    def _env(self) -> dict:
        self.clock += 1
        stamp = f"2026-03-01T{8 + self.clock // 60:02d}:{self.clock % 60:02d}:00+08:00"
        return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}

    def _commit(self, message: str, author: Who) -> str:
        with self.repo.git.custom_environment(**self._env()):
            self.repo.git.commit("-m", message, f"--author={author.ident}", "--allow-empty")
        return self.repo.head.commit.hexsha

    def write(self, files: dict) -> None:
        for rel, data in files.items():
            path = self.root / rel
            if data is None:
                if path.exists():
                    self.repo.git.rm("-q", rel)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data, encoding="utf-8")
            self.repo.git.add(rel)

    def branch(self, files: dict, author: Who, renames: dict | None = None, name: str | None = None) -> str:
        """A merge-request branch from main with one commit by `author`; returns the branch name."""
        self.count += 1
        name = name or f"mr-{self.count}"
        self.repo.git.checkout("-q", "-b", name, "main")
        for old, new in (renames or {}).items():
            (self.root / new).parent.mkdir(parents=True, exist_ok=True)
            self.repo.git.mv(old, new)
        self.write(files)
        self._commit(f"{author.name} 提交的修改 {name}", author)
        self.repo.git.checkout("-q", "main")
        return name

    def merge(self, branch: str, message_trailers: str = "", merger: Who = ADMIN) -> str:
        # The merge commit template of ci/APPROVALS.md: the trailers come last.
        message = f"Merge branch '{branch}' into 'main'\n\n{branch}\n\nSee merge request !{self.count}\n"
        message += f"\nMerged-by: {merger.ident}\n"
        if message_trailers:
            message += message_trailers + "\n"
        env = self._env()
        env.update({"GIT_COMMITTER_NAME": merger.name, "GIT_COMMITTER_EMAIL": merger.email,
                    "GIT_AUTHOR_NAME": merger.name, "GIT_AUTHOR_EMAIL": merger.email})
        with self.repo.git.custom_environment(**env):
            self.repo.git.merge("--no-ff", "-q", branch, "-m", message)
        return self.repo.head.commit.hexsha

    def merge_request(self, files: dict, author: Who, approved=(), reviewed=(), renames=None) -> str:
        return self.merge(self.branch(files, author, renames), trailers(approved, reviewed))
