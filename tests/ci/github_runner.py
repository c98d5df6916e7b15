"""A small runner for the `run:` steps of a GitHub Actions job, for tests on a machine without Docker.

`act`, the usual local runner, needs Docker, which this machine does not have. This runner executes
what the workflow files themselves say, in order: each `run:` step with `bash -eo pipefail` (GitHub's
default shell on Linux), the workflow's, job's and step's `env:` and the `GITHUB_*` variables set,
`${{ … }}` expressions evaluated, `if:` conditions honoured (a failed step skips the rest unless
they say `always()`). The actions it meets are stood in for, each by what it does for these jobs:

- actions/checkout: the workspace already is the clone (with its history);
- actions/setup-python: a fresh virtual environment first on PATH (python and pip, as setup-python
  gives a job), with the machine's Python 3.11;
- actions/setup-node: this machine's Node (20, as the workflows ask);
- actions/upload-artifact: copies `path` (one per line) to <artifacts>/<name>/;
- actions/cache: restores nothing, as on a runner whose cache is empty.

Any other action is an error, so a workflow that starts using one is not silently half-run. The
expression language is the subset these workflows use: contexts (github, env, vars, secrets),
string literals, ==, !=, &&, ||, !, and the functions format(), always(), success(), failure() and
hashFiles().
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass
class StepResult:
    name: str
    outcome: str  # success, failure, skipped
    output: str = ""


@dataclass
class JobResult:
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.outcome != "failure" for s in self.steps)

    def outcome(self, name: str) -> str:
        return next(s.outcome for s in self.steps if s.name == name)

    @property
    def log(self) -> str:
        return "\n".join(f"--- {s.name} [{s.outcome}]\n{s.output}" for s in self.steps)


class Expression:
    """Evaluates `${{ … }}` expressions over the given contexts."""

    TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+)|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
                       r"|(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*))")

    def __init__(self, contexts: dict, workspace: Path, status: dict):
        self.contexts, self.workspace, self.status = contexts, workspace, status

    def substitute(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self._string(self.evaluate(m.group(1))), str(text))

    def condition(self, text) -> bool:
        if text is None:
            return self.status["failed"] is False
        source = str(text).strip()
        if source.startswith("${{") and source.endswith("}}"):
            source = source[3:-2]
        uses_status = re.search(r"\b(always|success|failure|cancelled)\(", source)
        value = bool(self.evaluate(source))
        return value if uses_status else value and not self.status["failed"]

    def evaluate(self, source: str):
        self.tokens = [m for m in self.TOKEN.finditer(source) if m.group(0).strip()]
        self.pos = 0
        value = self._or()
        if self.pos != len(self.tokens):
            raise ValueError(f"cannot evaluate expression: {source!r}")
        return value

    def _peek(self):
        return self.tokens[self.pos].group(0).strip() if self.pos < len(self.tokens) else None

    def _take(self):
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _or(self):
        value = self._and()
        while self._peek() == "||":
            self._take()
            right = self._and()
            value = value or right
        return value

    def _and(self):
        value = self._compare()
        while self._peek() == "&&":
            self._take()
            right = self._compare()
            value = value and right
        return value

    def _compare(self):
        value = self._unary()
        while self._peek() in ("==", "!="):
            op = self._take().group(0).strip()
            right = self._unary()
            equal = self._string(value).lower() == self._string(right).lower()
            value = equal if op == "==" else not equal
        return value

    def _unary(self):
        if self._peek() == "!":
            self._take()
            return not self._unary()
        return self._primary()

    def _primary(self):
        token = self._take()
        if token.group("str") is not None:
            return token.group("str")[1:-1].replace("''", "'")
        if token.group("num") is not None:
            return int(token.group("num"))
        if token.group(0).strip() == "(":
            value = self._or()
            self._take()
            return value
        name = token.group("name")
        if self._peek() == "(":
            self._take()
            args = []
            while self._peek() != ")":
                args.append(self._or())
                if self._peek() == ",":
                    self._take()
            self._take()
            return self._call(name, args)
        return self._lookup(name)

    def _call(self, name: str, args: list):
        if name == "format":
            return re.sub(r"\{(\d+)\}", lambda m: self._string(args[1 + int(m.group(1))]), str(args[0]))
        if name == "always":
            return True
        if name == "success":
            return not self.status["failed"]
        if name == "failure":
            return self.status["failed"]
        if name == "hashFiles":
            return "h" if any(glob.glob(str(self.workspace / pattern)) for pattern in args) else ""
        raise ValueError(f"unsupported function {name}()")

    def _lookup(self, dotted: str):
        if dotted in ("true", "false"):
            return dotted == "true"
        if dotted == "null":
            return None
        value = self.contexts
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    @staticmethod
    def _string(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)


def run_job(workflow: Path, job_name: str, workspace: Path, *, event: dict, github: dict,
            secrets: dict | None = None, variables: dict | None = None, artifacts: Path) -> JobResult:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    job = data["jobs"][job_name]
    tools = workspace.parent / f".runner-{job_name}"
    shutil.rmtree(tools, ignore_errors=True)
    tools.mkdir(parents=True)
    summary, output_file, env_file = tools / "summary.md", tools / "output", tools / "env"
    for path in (summary, output_file, env_file):
        path.write_text("", encoding="utf-8")
    event_path = tools / "event.json"
    event_path.write_text(__import__("json").dumps(event), encoding="utf-8")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "VIRTUAL_ENV"))}
    base_env.pop("GONGKAI_CACHE_DIR", None)  # the test run's own; jobs keep theirs in .cache/gongkai
    base_env.update({
        "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_PATH": str(event_path), "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output_file), "GITHUB_ENV": str(env_file), "RUNNER_TEMP": str(tools),
        "GITHUB_JOB": job_name, "GITHUB_WORKFLOW": str(data.get("name") or workflow.name),
    })
    base_env.update({f"GITHUB_{k.upper()}": str(v) for k, v in github.items() if not isinstance(v, dict)})
    contexts = {"github": {**github, "event": event}, "secrets": secrets or {}, "vars": variables or {},
                "env": {}, "runner": {"os": "Linux", "temp": str(tools)}}
    status = {"failed": False}
    expr = Expression(contexts, workspace, status)
    env = dict(base_env)
    for scope in (data.get("env") or {}, job.get("env") or {}):
        for key, value in scope.items():
            env[key] = expr.substitute(value)
    contexts["env"] = env
    result = JobResult()
    for index, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or f"step {index + 1}"
        if not expr.condition(step.get("if")):
            result.steps.append(StepResult(name, "skipped"))
            continue
        step_env = dict(env)
        for key, value in (step.get("env") or {}).items():
            step_env[key] = expr.substitute(value)
        if "uses" in step:
            outcome, output = _action(step, expr, workspace, tools, env, artifacts)
        else:
            script = expr.substitute(step["run"])
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                  cwd=workspace, env=step_env, capture_output=True, text=True, timeout=900)
            outcome, output = ("success" if done.returncode == 0 else "failure"), done.stdout + done.stderr
            for line in env_file.read_text(encoding="utf-8").splitlines():
                if "=" in line:
                    key, _, value = line.partition("=")
                    env[key] = value
        if outcome == "failure":
            status["failed"] = True
        result.steps.append(StepResult(name, outcome, output))
    return result


def _action(step: dict, expr: Expression, workspace: Path, tools: Path, env: dict, artifacts: Path):
    action = step["uses"].split("@", 1)[0]
    inputs = {k: expr.substitute(v) for k, v in (step.get("with") or {}).items()}
    if action == "actions/checkout":
        return "success", "workspace is the clone"
    if action == "actions/setup-python":
        if inputs.get("python-version") not in ("3.11", None):
            return "failure", f"this runner has Python 3.11, not {inputs['python-version']}"
        target = tools / "python"
        venv.EnvBuilder(with_pip=True).create(target)
        env["PATH"] = f"{target / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["pythonLocation"] = str(target)
        return "success", f"{target} (Python {sys.version.split()[0]})"
    if action == "actions/setup-node":
        found = shutil.which("node", path=env.get("PATH"))
        version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout if found else ""
        wanted = str(inputs.get("node-version") or "")
        ok = bool(found) and version.lstrip("v").split(".")[0] == wanted.split(".")[0]
        return ("success" if ok else "failure"), f"node {version.strip() or 'missing'} (asked for {wanted})"
    if action == "actions/upload-artifact":
        target = artifacts / inputs["name"]
        paths = [line.strip() for line in inputs["path"].splitlines() if line.strip()]
        for rel in paths:
            source = workspace / rel
            if not source.exists():
                return "failure", f"nothing at {rel}"
            if source.is_dir() and len(paths) == 1:
                shutil.copytree(source, target, dirs_exist_ok=True)
            elif source.is_dir():
                shutil.copytree(source, target / rel, dirs_exist_ok=True)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        return "success", f"uploaded {', '.join(paths)} as {inputs['name']}"
    if action == "actions/cache":
        return "success", "cache miss: nothing restored"
    return "failure", f"this runner has no stand-in for {step['uses']}"
