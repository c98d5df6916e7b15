"""No import cycle among the pipeline's modules, counting imports inside functions too.

A cycle hidden behind a function-level import is still a cycle: the two modules cannot be understood,
tested or moved apart. The graph is read from the source with `ast`, so the test sees every import
statement, wherever it stands.
"""
from __future__ import annotations

import ast
from pathlib import Path

CODE_DIR = Path(__file__).resolve().parents[1]
ROOTS = {"pipeline": CODE_DIR / "pipeline", "gongkai_portal": CODE_DIR / "plugins" / "gongkai_portal"}


def modules() -> dict[str, Path]:
    out = {}
    for top, folder in ROOTS.items():
        for path in folder.rglob("*.py"):
            parts = [top, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from x import y` imports the module x.y when there is one, else names of x.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_is_read_from_every_module():
    known = modules()
    graph = {name: imports(name, path, set(known)) for name, path in known.items()}
    assert "pipeline.check.cached" in graph["pipeline.cli"]  # a function-level import is an edge
    assert "pipeline.site.write_pages" in graph["gongkai_portal"]  # the plugin is read too


def test_no_import_cycle():
    known = modules()
    graph = {name: imports(name, path, set(known)) for name, path in known.items()}
    assert cycles(graph) == []


def test_a_cycle_would_be_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# The flow of ARCHITECTURE.md, lowest first: a module may import its own layer and the ones below it,
# never one above (the loader knows nothing of rules, the check nothing of the site, the core nothing
# of the audit). The plugin is the site's adapter to Pelican.
LAYERS = (
    ("foundation", ("pipeline", "pipeline.diagnostics", "pipeline.timeutil", "pipeline.resources")),
    ("content", ("pipeline.content",)),
    ("core", ("pipeline.core",)),
    ("yearly_report", ("pipeline.yearly_report",)),
    ("pages", ("pipeline.pages",)),
    ("approvals", ("pipeline.approvals",)),
    ("cms", ("pipeline.cms",)),
    ("check", ("pipeline.check",)),
    ("site", ("pipeline.site", "gongkai_portal")),
    ("audit", ("pipeline.audit",)),
    ("authoring", ("pipeline.authoring",)),
    ("reporters", ("pipeline.reporters",)),
    ("cli", ("pipeline.cli",)),
)


def layer_of(module: str) -> int | None:
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or (prefix != "pipeline" and module.startswith(prefix + ".")):
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), rank)
    return best[1] if best else None


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, targets in graph.items() for b in targets if layer_of(b) > layer_of(a))


def test_every_module_belongs_to_a_layer():
    assert [name for name in modules() if layer_of(name) is None] == []


def test_layers_point_one_way():
    known = modules()
    graph = {name: imports(name, path, set(known)) for name, path in known.items()}
    assert upward_imports(graph) == []


def test_an_upward_import_would_be_found():
    graph = {"pipeline.core.addresses": {"pipeline.content.loader"}, "pipeline.content.loader": {"pipeline.check.whole"}}
    assert upward_imports(graph) == [("pipeline.content.loader", "pipeline.check.whole")]


def test_the_architecture_map_matches_the_folders():
    """ARCHITECTURE.md's layout lists every package of pipeline/ and nothing that is not there."""
    text = (CODE_DIR / "ARCHITECTURE.md").read_text(encoding="utf-8")
    layout = text.split("## Layout", 1)[1].split("```")[1]
    named = {line.split()[0].rstrip("/") for line in layout.splitlines() if line.startswith("  ") and line.split()[0].endswith("/")}
    on_disk = {p.parent.relative_to(CODE_DIR / "pipeline").as_posix()
               for p in (CODE_DIR / "pipeline").rglob("__init__.py")} - {"."}
    assert named == on_disk
    # and the layers are those packages, in the order the map gives
    packages = [prefix.split(".", 1)[1] for _, prefixes in LAYERS[1:] for prefix in prefixes if prefix.startswith("pipeline.")]
    assert [p for p in (line.split()[0].rstrip("/") for line in layout.splitlines() if line.startswith("  ") and "/" in line.split()[0])
            if "/" not in p] == packages


def resolve(dotted: str):
    """The object `pipeline.<dotted>` names (a module, or an attribute path inside one), else None."""
    import importlib

    parts = f"pipeline.{dotted}".split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name, None)
            if found is None:
                return None
        return found
    return None


def test_every_decision_in_the_architecture_table_names_a_real_function():
    """"Where does each decision live" stays true: the function column names something the package has."""
    text = (CODE_DIR / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("## Each decision and where it lives", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| ") and not line.startswith("| decision")]
    named = [cells[2].split("`")[1] for cells in rows if "`" in cells[2]]
    assert len(named) >= 40, "the table lost its rows"
    assert [name for name in named if resolve(name) is None] == []
    assert resolve("core.no_such_module.decide") is None
