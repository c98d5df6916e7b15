"""The CI definitions in this repository parse, and every `gongkai` command they run exists."""
from __future__ import annotations

import contextlib
import io
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from pipeline.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
GITLAB_CI = ROOT / ".gitlab-ci.yml"
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
SEPARATORS = {"||", "&&", ";", "|", ">", ">>", "<", "&", "(", ")"}
PLACEHOLDERS = {"--now": "2026-03-01 09:30", "--mr": "5", "--forge-api": "gitlab"}
# Unquoted variables the pipeline sets to options or to nothing: the check job's SCOPE is empty on the main
# branch (the command as written without it) and `--changed-since=<base>` on a merge request (checked here).
OPTION_LISTS = {"$SCOPE": ["--changed-since=x"]}


def gitlab_scripts() -> list[str]:
    data = yaml.safe_load(GITLAB_CI.read_text(encoding="utf-8"))
    lines = []
    for name, job in data.items():
        if isinstance(job, dict):
            for key in ("before_script", "script", "after_script"):
                for line in job.get(key) or []:  # GitLab flattens nested lists (YAML anchors)
                    lines += [str(part) for part in line] if isinstance(line, list) else [str(line)]
    return lines


def workflow_scripts(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [step["run"] for job in data["jobs"].values() for step in job["steps"] if "run" in step]


def gongkai_commands(scripts: list[str]) -> list[list[str]]:
    """Each `gongkai ...` invocation as argv, with shell variables replaced by plausible values."""
    out = []
    for script in scripts:
        for line in script.splitlines():
            if "gongkai " not in line or line.lstrip().startswith("#"):
                continue
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            tokens = list(lexer)
            command: list[str] | None = None
            for token in tokens + [";"]:
                if token in SEPARATORS:
                    if command:
                        out.append(command)
                    command = None
                elif command is not None:
                    if token in OPTION_LISTS:
                        command.extend(OPTION_LISTS[token])
                        continue
                    if "$" in token:
                        token = PLACEHOLDERS.get(command[-1] if command else "", "x")
                    command.append(token)
                elif token == "gongkai":
                    command = []
    return out


def help_subcommands() -> set[str]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), pytest.raises(SystemExit):
        main(["--help"])
    return set(re.findall(r"^    ([a-z-]+)\s", buffer.getvalue(), re.M))


def test_gitlab_ci_parses_and_has_the_jobs():
    data = yaml.safe_load(GITLAB_CI.read_text(encoding="utf-8"))
    assert {"check", "approval-plan", "preview", "verify-approvals", "build", "publish", "register"} <= set(data)
    assert set(data["publish"]["needs"]) == {"verify-approvals", "build"}  # no publishing without approvals
    assert data["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "preview/" in data["preview"]["artifacts"]["paths"]


@pytest.mark.parametrize("source", ["gitlab", *[p.name for p in WORKFLOWS], "pre-commit"])
def test_every_gongkai_command_exists(source):
    if source == "gitlab":
        scripts = gitlab_scripts()
    elif source == "pre-commit":
        scripts = [hook["entry"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))]
    else:
        scripts = workflow_scripts(ROOT / ".github/workflows" / source)
    commands = gongkai_commands(scripts)
    assert commands, f"{source} runs no gongkai command"
    listed = help_subcommands()
    parser = build_parser()
    for argv in commands:
        assert argv[0] in listed, f"{source}: gongkai {argv[0]} is not in `gongkai --help`"
        try:
            with contextlib.redirect_stderr(io.StringIO()) as err:
                parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"{source}: `gongkai {' '.join(argv)}` is not a valid command: {err.getvalue()}")


def test_the_pipelines_verify_before_they_publish():
    scripts = "\n".join(gitlab_scripts())
    assert "gongkai approvals verify" in scripts and "gongkai build" in scripts
    publish = workflow_scripts(ROOT / ".github/workflows/publish.yml")
    verify_at = next(i for i, s in enumerate(publish) if "approvals verify" in s)
    publish_at = next(i for i, s in enumerate(publish) if "ci/publish.sh" in s)
    assert verify_at < publish_at


def test_helper_scripts_are_valid():
    for script in ("ci/post_comment.py", "ci/pr_body_trailers.py"):
        compile((ROOT / script).read_text(encoding="utf-8"), script, "exec")
    subprocess.run(["sh", "-n", str(ROOT / "ci/publish.sh")], check=True)
    assert (ROOT / "ci/README.md").is_file() and (ROOT / "ci/APPROVALS.md").is_file()
