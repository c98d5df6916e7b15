"""How long the attachment screen (GK-FILE-*) takes: N mixed attachments, a cold check and a warm one.

Generates a small repository (tests/repo_factory.py's base) with N/4 policies, each attaching one xlsx,
one docx, one PDF and one zip, all clean; then times `gongkai check` in its own process (wall time and
peak memory, GNU time): cold (no cache: every attachment read), warm (the content-hash cache holds them all), and `--changed-since HEAD` after one
attachment changed (a merge request's check).

    .venv/bin/python bench/attachments_bench.py [N ...]      (default: 40 1000)
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.attachment_samples import docx, pdf, xlsx, zipped  # noqa: E402
from tests.repo_factory import POLICY, make_repo  # noqa: E402


def corpus(folder: Path, n: int) -> Path:
    files = {}
    for k in range(max(1, n // 4)):
        rel = f"files/2026/zc-{k}"
        rows = {f"A{r}": f"第{r}户" for r in range(1, 200)} | {f"B{r}": f"4501********{r:04d}" for r in range(1, 200)}
        attached = {f"{rel}/名单.xlsx": xlsx({"名单": rows}), f"{rel}/通知.docx": docx([f"第 {p} 段。" for p in range(50)]),
                    f"{rel}/公示.pdf": pdf([f"Page {p}" for p in range(10)]),
                    f"{rel}/材料.zip": zipped({"说明.txt": "材料清单。".encode(), "表.csv": "项目,金额\n收入,-12.5\n".encode()})}
        files.update({f"content/{path}": data for path, data in attached.items()})
        lines = "".join(f"\n  - title: 附件{i}\n    file: {path}" for i, path in enumerate(attached, 1))
        files[f"content/policies/zc-{k}.md"] = (POLICY.replace("id: zc-1", f"id: zc-{k}")
                                                .replace("2026〕1号", f"2026〕{k + 1}号")
                                                .replace("2026-00001", f"2026-{k + 1:05d}")
                                                .replace("validity: 现行有效", "validity: 现行有效\nattachments:" + lines))
    return make_repo(folder, files)


def timed(repo: Path, env: dict, *args: str) -> tuple[float, float, int]:
    """Wall seconds and peak resident MiB of one `gongkai check` process (GNU time), and its exit code."""
    done = subprocess.run(["/usr/bin/time", "-f", "%e %M", str(ROOT / ".venv/bin/gongkai"), "check", *args],
                          cwd=repo, env=env, capture_output=True, text=True)
    seconds, kib = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kib) / 1024, done.returncode


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
                   check=True, capture_output=True)


def main(sizes: list[int]) -> None:
    import os

    print("| attachments | cold check | warm check | one attachment changed, `--changed-since` |")
    print("|---:|---:|---:|---:|")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            repo = corpus(Path(tmp), n)
            git(repo, "init", "-q", "-b", "main")
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", "corpus")
            env = {k: v for k, v in os.environ.items() if k not in ("GONGKAI_NO_CACHE", "GONGKAI_CACHE_DIR")}
            cold = timed(repo, env)
            warm = timed(repo, env)
            changed = repo / "content/files/2026/zc-0/通知.docx"
            changed.write_bytes(docx(["第 1 段,改过。", *(f"第 {p} 段。" for p in range(2, 50))]))
            one = timed(repo, env, "--changed-since", "HEAD")
            cells = " | ".join(f"{s:.2f} s, {m:.0f} MiB" for s, m, _ in (cold, warm, one))
            print(f"| {n} | {cells} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [40, 1000])
