"""The one loader: every file of the content repository is read here, once.

Markdown items carry YAML front matter between `---` lines; data-like items
and governance data are plain YAML. The loader keeps the source line of every
key (as a JSON-pointer-like tuple) so that any later diagnostic, from the
schema check to the audit, can point an editor to `path:line`.

Loading never raises for bad content: a file that cannot be read becomes a
diagnostic and the scan goes on, so cross-item rules still see the rest.
"""
from __future__ import annotations

import marshal
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

import yaml

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.content.categories import canonical_categories

Pointer = tuple  # path of keys/indices into an item's metadata

# Metadata keys rendered as Markdown besides an item's body (a unit page shows its functions).
MARKDOWN_KEYS = {"unit": ("functions",)}


# Codes the loader emits (listed by `gongkai rules`).
LOADER_CODES = {
    "GK-ENC-001": "文件不是 UTF-8 编码(用 gongkai normalize 转换)",
    "GK-YAML-001": "YAML 语法错误",
    "GK-YAML-002": "同一字段重复出现",
    "GK-YAML-003": "Markdown 文件缺少或未结束 YAML 头信息",
    "GK-YAML-004": "文件内容不是字段映射,或字段名不是文字",
    "GK-YAML-005": "使用了 YAML 锚点或别名(& 和 *)",
    "GK-YAML-006": "YAML 嵌套过深",
    "GK-YAML-007": "一个文件中的字段和列表项过多",
    "GK-YAML-008": "一个字段的值过长",
}

# What `gongkai rules CODE` shows for the loader's bounds (settings `limits`), with examples.
LOADER_DOCS = {
    "GK-YAML-005": """不允许 YAML 锚点和别名(& 和 *)。条目从不需要它们,而几行别名就能展开成
上亿个值,拖垮检查所在的 CI 机器。

FAIL::

    a: &a [甲, 乙]
    b: [*a, *a]

PASS::

    a: [甲, 乙]
    b: [甲, 乙, 甲, 乙]""",
    "GK-YAML-006": """YAML 嵌套不超过 limits.yaml_max_depth 层(默认 20)。[ ] 和 { } 的层数在解析前就数好,
再深的括号也只花几毫秒。

FAIL: `extra: [[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]`

PASS: `materials: [{name: 申请表, copies: 1}]`""",
    "GK-YAML-007": """一个文件中的字段和列表项不超过 limits.yaml_max_nodes 个(默认 5000),在建立这些值之前
就从解析事件中数出。

FAIL: 一个头信息里粘贴了三万行 `k1: v` 这样的数据。

PASS: 正常的办事指南(几十到几百项)。""",
    "GK-YAML-008": """一个字段的值不超过 limits.yaml_max_scalar_chars 个字符(默认 100000);长篇内容写在正文中。

FAIL: `summary:` 后面粘贴了整篇文件。

PASS: 一两句话的摘要,正文写在 `---` 之后。""",
}


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same marks, ~5x faster


class _Loader(_BASE_LOADER):
    """SafeLoader that keeps dates as the strings the editor typed.

    PyYAML turns 2026-03-01 into a date object; the schemas validate strings,
    and a string keeps "2026-03-01 09:30" and "2026-03-01" distinguishable.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class TextField:
    """A piece of published text with what is needed to find a line inside it."""

    pointer: Pointer
    text: str
    line: int
    block: bool  # a body or a YAML block scalar: one source line per text line

    def line_at(self, offset: int) -> int:
        if not self.block:
            return self.line
        return self.line + self.text.count("\n", 0, offset)


@dataclass
class Item:
    """One content item or governance record, as parsed from its file."""

    id: str
    type: str
    path: str  # repository-relative, forward slashes
    meta: dict
    body: str = ""
    body_line: int = 0
    key_lines: dict = field(default_factory=dict)  # Pointer -> line of the key (or list entry)
    value_lines: dict = field(default_factory=dict)  # Pointer -> (line of value, is_block)
    first_line: int = 1
    # Source lines of the metadata (the file up to the end of its front matter): what a finding's
    # column is looked up in, so that no rule reads a source file again.
    meta_lines: tuple = ()

    # Pickled (the parse cache), the two line maps are one marshalled string, read back the first time
    # either is asked for: they are most of an item's objects and a build or a check reads few of them
    # (the lines of findings and of attachments), while loading 50,000 items unpickled them all (0.7 s).
    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k != "_text_fields"}  # made again on demand
        if "key_lines" in state:
            state["_lines"] = marshal.dumps((state.pop("key_lines"), state.pop("value_lines")))
        return state

    def __getattr__(self, name: str):
        lines = self.__dict__.get("_lines")
        if name in ("key_lines", "value_lines") and lines is not None:
            self.key_lines, self.value_lines = marshal.loads(lines)
            del self.__dict__["_lines"]
            return self.__dict__[name]
        raise AttributeError(name)

    def line_of(self, *pointer) -> int:
        """Line of the deepest key of `pointer` that exists, else the item's first line."""
        pointer = tuple(pointer)
        while pointer:
            if pointer in self.key_lines:
                return self.key_lines[pointer]
            pointer = pointer[:-1]
        return self.first_line

    def get(self, key, default=None):
        return self.meta.get(key, default)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.meta.get("name") or self.id)

    def diagnostic(self, code: str, severity: Severity, message: str, *pointer, line: int | None = None) -> Diagnostic:
        return Diagnostic(self.path, line if line is not None else self.line_of(*pointer), 0, code, severity, message)

    def text_fields(self) -> Iterator[TextField]:
        """Every string an item publishes: the body and each string in its metadata."""
        return iter(self._text_fields)

    @cached_property
    def _text_fields(self) -> tuple[TextField, ...]:
        # Seven screens walk every item's texts: walking the metadata once per item, not once per screen,
        # was a sixth of the whole check (a loaded item is never changed).
        body = (TextField(("body",), self.body, self.body_line, True),) if self.body.strip() else ()
        return (*body, *self._strings(self.meta, ()))

    def markdown_fields(self) -> Iterator[TextField]:
        """The texts of this record that the site renders as Markdown: the body, or a unit's `functions`."""
        if self.body.strip():
            yield TextField(("body",), self.body, self.body_line, True)
        for key in MARKDOWN_KEYS.get(self.type, ()):
            value = self.meta.get(key)
            if isinstance(value, str) and value.strip():
                line, block = self.value_lines.get((key,), (self.line_of(key), False))
                yield TextField((key,), value, line, block)

    def _strings(self, value, pointer) -> Iterator[TextField]:
        if isinstance(value, str):
            line, block = self.value_lines.get(pointer, (self.line_of(*pointer), False))
            yield TextField(pointer, value, line, block)
        elif isinstance(value, dict):
            for key, sub in value.items():
                yield from self._strings(sub, pointer + (key,))
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                yield from self._strings(sub, pointer + (index,))


class LoadError(Exception):
    """Bad content in one file; carries the diagnostic that explains it."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def decode_utf8(data: bytes, rel: str) -> str:
    """UTF-8 (with or without BOM, LF or CRLF) only; anything else is reported, never guessed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LoadError(Diagnostic(
            rel, line, 0, "GK-ENC-001", Severity.ERROR,
            "文件不是 UTF-8 编码(可能是在 Windows 上按 GBK/GB18030 保存的)。"
            f"请运行 `gongkai normalize {rel}` 转换为 UTF-8 后重新提交。",
        )) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- YAML with line numbers --------------------------------------------------

@dataclass(frozen=True)
class YamlLimits:
    """What one file's YAML may cost (settings `limits`): editors' items never come near these."""

    max_depth: int = 20  # nesting of mappings and lists
    max_nodes: int = 5000  # keys, list entries and values in one file
    max_scalar_chars: int = 100_000  # one text value (a body is not YAML and has only the file limit)

    @classmethod
    def from_settings(cls, settings: dict | None) -> "YamlLimits":
        limits = settings.get("limits") if isinstance(settings, dict) else None
        limits = limits if isinstance(limits, dict) else {}
        values = {}
        for name, key in (("max_depth", "yaml_max_depth"), ("max_nodes", "yaml_max_nodes"),
                          ("max_scalar_chars", "yaml_max_scalar_chars")):
            value = limits.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                values[name] = value
        return cls(**values)


_BRACKETS = re.compile(r"[^\[\]{}]+")


def _flow_too_deep(text: str, limit: int) -> bool:
    """Whether flow collections ([…], {…}) may nest deeper than `limit`, read without parsing.

    libyaml's composer recurses in C: a few hundred thousand nested brackets crash the process, so
    they are counted before parsing. Brackets inside quotes count too; they only make this stricter.
    """
    if text.count("[") + text.count("{") <= limit:
        return False  # nearly every item: too few brackets to nest that deep
    depth = 0
    for char in _BRACKETS.sub("", text):
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif depth:
            depth -= 1
    return False


def parse_yaml(text: str, rel: str, line_offset: int = 0, limits: YamlLimits | None = None):
    """Parse one YAML document; return (data, key_lines, value_lines).

    `line_offset` is the number of source lines before `text` (front matter
    starts after the opening `---`). Parsing is bounded (`YamlLimits`): anchors
    and aliases, deep nesting, too many entries and overlong values are
    diagnostics, found before anything is expanded, so one hostile file costs
    a fraction of a second and a few MB.
    """
    limits = limits or YamlLimits()

    def refuse(code: str, line: int, message: str) -> LoadError:
        return LoadError(Diagnostic(rel, line, 0, code, Severity.ERROR, message))

    if _flow_too_deep(text, limits.max_depth):
        raise refuse("GK-YAML-006", line_offset + 1,
                     f"YAML 嵌套超过 {limits.max_depth} 层([ ] 或 {{ }} 套得太深),不是正常的条目内容。请检查是否误粘贴了数据。")
    if text.count("\n") + text.count(",") > limits.max_nodes:
        _count_nodes(text, rel, line_offset, limits)  # before building thousands of nodes
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, {}
        key_lines: dict = {}
        value_lines: dict = {}
        _walk(node, key_lines, value_lines, line_offset, rel, limits)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        line, col, message = _yaml_syntax(exc, text)
        raise LoadError(Diagnostic(rel, line + 1 + line_offset, col + 1, "GK-YAML-001", Severity.ERROR,
                                   f"YAML 语法错误:{message}")) from None
    except yaml.YAMLError:
        raise LoadError(Diagnostic(rel, line_offset + 1, 0, "GK-YAML-001", Severity.ERROR,
                                   "YAML 语法错误:请检查缩进(只用空格)、冒号后的空格和引号是否成对。")) from None
    except (RecursionError, MemoryError):
        # The bounds above should make this unreachable; if not, the file is still only a diagnostic.
        raise refuse("GK-YAML-006", line_offset + 1, "YAML 结构过深或过大,无法读取。请检查是否误粘贴了数据。") from None
    finally:
        loader.dispose()
    return data, key_lines, value_lines


def _yaml_syntax(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """(line, column, message) of a YAML syntax error, at the line the editor got wrong, in Chinese.

    PyYAML often notices a fault on the line after it (a key without a colon is found when the next
    line begins) and says so in English; its `context_mark` points at where the faulty construct began.
    """
    lines = text.split("\n")
    problem = exc.problem or ""
    context = exc.context or ""
    mark, context_mark = exc.problem_mark, exc.context_mark

    def at(m):
        return (m.line, m.column) if m is not None else (0, 0)

    def quote(index: int) -> str:
        source = lines[index].strip() if 0 <= index < len(lines) else ""
        return f"「{source[:60]}{'…' if len(source) > 60 else ''}」" if source else "这一行"

    line, col = at(mark)
    tabbed = next((i for i, source in enumerate(lines[:line + 1]) if "\t" in source[:len(source) - len(source.lstrip())]), None)
    if tabbed is not None or "tab character" in problem:
        line = tabbed if tabbed is not None else line
        return line, 0, f"{quote(line)}用了制表符(Tab)缩进:YAML 只能用空格缩进,请把 Tab 换成空格。"
    if "could not find expected ':'" in problem and context_mark is not None:
        line, col = at(context_mark)
        source = lines[line].strip() if line < len(lines) else ""
        if "：" in source:
            fixed = source.replace("：", ": ", 1).replace(":  ", ": ", 1)
            return line, col, f"{quote(line)}用了中文冒号「：」:字段名后要写英文冒号和一个空格,如「{fixed}」。"
        if re.match(r"^[^\s:]+:\S", source):
            fixed = source.replace(":", ": ", 1)
            return line, col, f"{quote(line)}的冒号后缺少空格:字段名后要写英文冒号和一个空格,如「{fixed}」。"
        key, _, rest = source.partition(" ")
        fixed = f"{key}: {rest.strip()}" if rest.strip() else f"{key}: 值"
        return line, col, f"{quote(line)}缺少冒号:字段名后要写英文冒号和一个空格,如「{fixed}」。"
    if "mapping values are not allowed" in problem:
        source = lines[line] if line < len(lines) else ""
        before = source[:col]
        if ": " in before or before.rstrip().endswith(":"):
            key = before.split(":", 1)[0].strip()
            value = source.split(":", 1)[1].strip() if ":" in source else ""
            return line, col, (f"{quote(line)}的值中有「: 」(冒号加空格),会被当作又一个字段:"
                               f"请给整个值加上引号,如「{key}: \"{value}\"」。")
        return line, col, f"{quote(line)}的缩进不对:它比上一行缩进得多,但上一行不是可以展开的字段。请与上一行的字段左对齐。"
    if "end of stream" in problem and "quoted scalar" in context and context_mark is not None:
        line, col = at(context_mark)
        return line, col, f"{quote(line)}中的引号没有配对:请在值的末尾补上引号,或去掉开头的引号。"
    if "expected '-' indicator" in problem:
        return line, col, f"{quote(line)}的缩进与上面的列表项不一致:同一项的各字段要左对齐。"
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        bracket = "]" if "]" in problem else "}"
        if context_mark is not None:
            line, col = at(context_mark)
        return line, col, f"{quote(line)}的括号没有配对:请补上「{bracket}」,或把值写成不带括号的文字。"
    if "did not find expected key" in problem:
        source = lines[line] if line < len(lines) else ""
        if source[:col].count('"') >= 2 or source[:col].count("'") >= 2:
            return line, col, f"{quote(line)}在引号结束后还有文字:请把整个值放在一对引号之内。"
        return line, col, f"{quote(line)}的缩进不对:同一级的字段要左对齐,列表项「- 」要比所属字段多缩进两个空格。"
    if "undefined alias" in problem or "cannot start any token" in problem or "unknown escape" in problem:
        source = lines[line] if line < len(lines) else ""
        char = source[col:col + 1] if col < len(source) else ""
        if "unknown escape" in problem:
            return line, col, f"{quote(line)}的双引号中有反斜杠「\\」:请写成「\\\\」,或改用单引号。"
        key, _, value = source.partition(":")
        return line, col, (f"{quote(line)}的值以「{char}」开头,YAML 会把它当作特殊符号:"
                           f"请给值加上引号,如「{key.strip()}: \"{value.strip()}\"」。")
    return line, col, f"{quote(line)}有 YAML 语法错误:请检查缩进(只用空格)、冒号后的空格和引号是否成对。"


def _count_nodes(text: str, rel: str, offset: int, limits: YamlLimits) -> None:
    """Refuse a document with more entries than the limit, reading parser events only as far as the limit."""
    loader = _Loader(text)
    count = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                count += 1
                if count > 2 * limits.max_nodes:  # keys are scalar events too
                    raise LoadError(Diagnostic(
                        rel, event.start_mark.line + 1 + offset, 0, "GK-YAML-007", Severity.ERROR,
                        f"文件中的字段和列表项超过 {limits.max_nodes} 个,不是正常的条目内容。"
                        "请拆分,或检查是否误粘贴了数据。"))
    except yaml.YAMLError:
        return  # the real parse reports it with its position
    finally:
        loader.dispose()


def _walk(root, key_lines, value_lines, offset, rel, limits: YamlLimits):
    """Record the line of every key and value, checking the bounds; iterative, so depth cannot overflow."""
    seen_nodes: set[int] = set()
    count = 0
    stack = [(root, (), 0, root.start_mark.line + 1 + offset)]
    while stack:
        node, pointer, depth, at = stack.pop()
        if id(node) in seen_nodes:
            # The composer hands an alias back as the anchored node itself: a node met twice is an alias.
            raise LoadError(Diagnostic(
                rel, at, 0, "GK-YAML-005", Severity.ERROR,
                "不允许使用 YAML 锚点和别名(& 和 *):每个字段请直接写出它的值。"))
        seen_nodes.add(id(node))
        count += 1
        if count > limits.max_nodes:
            raise LoadError(Diagnostic(
                rel, at, 0, "GK-YAML-007", Severity.ERROR,
                f"文件中的字段和列表项超过 {limits.max_nodes} 个,不是正常的条目内容。请拆分,或检查是否误粘贴了数据。"))
        if depth > limits.max_depth:
            raise LoadError(Diagnostic(
                rel, at, 0, "GK-YAML-006", Severity.ERROR,
                f"YAML 嵌套超过 {limits.max_depth} 层,不是正常的条目内容。请检查缩进。"))
        if isinstance(node, yaml.MappingNode):
            seen = {}
            children = []
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1 + offset
                if not isinstance(key_node, yaml.ScalarNode):
                    raise LoadError(Diagnostic(rel, line, key_node.start_mark.column + 1, "GK-YAML-004",
                                               Severity.ERROR, "字段名必须是简单的文字,不能是列表或映射。"))
                key = key_node.value
                if key in seen:
                    raise LoadError(Diagnostic(
                        rel, line, key_node.start_mark.column + 1, "GK-YAML-002", Severity.ERROR,
                        f"字段「{key}」重复出现(第 {seen[key]} 行已有)。同一字段只能写一次。",
                    ))
                seen[key] = line
                key_lines[pointer + (key,)] = line
                children.append((value_node, pointer + (key,), depth + 1, line))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            children = []
            for index, child in enumerate(node.value):
                line = child.start_mark.line + 1 + offset
                key_lines[pointer + (index,)] = line
                # An alias's own position is lost in composition: a problem is reported at the list's line.
                children.append((child, pointer + (index,), depth + 1, at))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.ScalarNode):
            if len(node.value) > limits.max_scalar_chars:
                raise LoadError(Diagnostic(
                    rel, at, 0, "GK-YAML-008", Severity.ERROR,
                    f"一个字段的值有 {len(node.value)} 个字符,超过上限 {limits.max_scalar_chars}。"
                    "长篇内容请写在正文中,或检查是否误粘贴了数据。"))
            block = node.style in ("|", ">")
            # A block scalar's text starts on the line after its indicator.
            value_lines[pointer] = (node.start_mark.line + 1 + offset + (1 if block else 0), block)


# --- items -------------------------------------------------------------------

FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(text: str, rel: str):
    """Return (yaml_text, yaml_line_offset, body, body_first_line)."""
    if not text.startswith("---"):
        raise LoadError(Diagnostic(rel, 1, 0, "GK-YAML-003", Severity.ERROR,
                                   "Markdown 文件必须以 YAML 头信息开头:第一行写 `---`,写完字段后再写一行 `---`。"))
    first_newline = text.find("\n")
    if first_newline < 0 or text[:first_newline].strip() != "---":
        raise LoadError(Diagnostic(rel, 1, 0, "GK-YAML-003", Severity.ERROR,
                                   "第一行只能是 `---`(YAML 头信息的开始)。"))
    end = FRONT_MATTER_END.search(text, first_newline + 1)
    if not end:
        raise LoadError(Diagnostic(rel, 1, 0, "GK-YAML-003", Severity.ERROR,
                                   "YAML 头信息没有结束:请在字段之后单独写一行 `---`。"))
    yaml_text = text[first_newline + 1:end.start()]
    body_start = end.end() + 1
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    return yaml_text, 1, text[body_start:], body_line


def parse_item(data: bytes, rel: str, type_name: str, limits: YamlLimits | None = None) -> Item:
    """Parse the bytes of one item file. Raises LoadError for unreadable content."""
    text = decode_utf8(data, rel)
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if rel.endswith(".md"):
        yaml_text, offset, body, body_line = split_front_matter(text, rel)
        first_line = 2
    else:
        yaml_text, offset, body, body_line = text, 0, "", 0
        first_line = 1
    meta, key_lines, value_lines = parse_yaml(yaml_text, rel, offset, limits)
    meta_lines = tuple(text[:len(text) - len(body)].split("\n")) if body else tuple(text.split("\n"))
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise LoadError(Diagnostic(rel, first_line, 0, "GK-YAML-004", Severity.ERROR,
                                   "文件内容应是「字段: 值」的形式(YAML 映射),不能是列表或单个值。"))
    canonical_categories(meta, type_name)
    item_id = meta.get("id") if isinstance(meta.get("id"), str) else stem
    return Item(id=item_id, type=type_name, path=rel, meta=meta, body=body, body_line=body_line,
                key_lines=key_lines, value_lines=value_lines, first_line=first_line, meta_lines=meta_lines)
