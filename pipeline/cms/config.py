"""The browser editor's configuration (Decap CMS), generated from schemas/ and the repository.

`gongkai cms config --write` writes it to ci/cms/config.yml; rule GK-CMS-001 fails `gongkai check`
when the committed file is not what this module generates (as GK-OWN-001 does for CODEOWNERS), so the
form can never ask for a key the check does not know, or miss one it requires.

What the form is made of, and why:
- one folder collection per content type (pipeline.content.types), saving each item where
  `gongkai new` would (`content/<folder>/<unit>/<id>.md`, pipeline.content.locations), so CODEOWNERS
  routes a CMS merge request like any other; the unit records and the registers of applications are
  folder collections too; the governance files are one file collection of the office;
- every field from the type's compiled schema: its Chinese title, a hint from the description and
  examples, `required` exactly as the schema says (Decap's own default is "required");
- enums are selects with their Chinese labels (`x-labels`), dates and times the project's formats;
- ids of other items are pickers over the referenced type (pipeline.core.relations), a unit is picked
  among the unit records, a column among the responsibility table's columns;
- attachments go into the folder `gongkai new` names (pipeline.content.locations.attachment_folder);
- the id is never typed: the `gongkai-id` widget follows the convention `gongkai cms build` bakes into
  the admin site (pipeline.content.ids, the same as `gongkai new`) and takes the next number no item
  has. The committed file leaves the conventions out: they follow from the items, and an item of a new
  shape (a unit's first news item written with Git) must not make the file stale and stop the build;
- text that editors type in Chinese goes through the composition-aware widgets (`gongkai-string`,
  `gongkai-text`: Decap's own ones lose pinyin fragments), and files are read and written by the
  `gongkai-frontmatter` / `gongkai-yaml` formats, which keep an edited file's key order and quoting.
Objects the schema leaves open (a report's figures, a dataset's table schema, settings' rule levels)
are edited as YAML text (`gongkai-yaml-text`): the check still validates them.
"""
from __future__ import annotations

import posixpath
import re
from collections import Counter
from typing import TYPE_CHECKING

import yaml

from pipeline.content.ids import NUMBER, fallback_convention, id_convention, id_examples
from pipeline.content.locations import attachment_folder
from pipeline.content.paths import CMS_CONFIG
from pipeline.content.schema import SchemaSet
from pipeline.content.types import CONTENT_TYPES, GOVERNANCE_DIR, GOVERNANCE_FILES, REGISTER_DIR, UNIT_FOLDER
from pipeline.core.relations import ITEM_REFERENCE_KEYS

if TYPE_CHECKING:
    from pipeline.content.repository import Repository

TARGET = CMS_CONFIG  # pipeline.content.paths: where the forge-facing file is committed
COMMAND = "gongkai cms config --write"

# Decap's date formats (dayjs tokens) for the schema's two formats (defs.schema.json date, datetime).
DATE_FORMAT = "YYYY-MM-DD"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"
# Keys whose text is typed in Chinese on one line (Decap's `string` widget keeps pinyin fragments).
MULTILINE_KEYS = {"question", "reply", "functions", "apply", "a", "description", "note", "reason", "summary"}
UNITS_COLLECTION, OFFICE_COLLECTION, REGISTERS_COLLECTION = "units", "office", "applications"

HEADER = f"""\
# 本文件由 `{COMMAND}` 根据 schemas/(各类条目的字段)和 content/governance/settings.yaml(cms:
# 编辑后台连接的代码托管平台)生成,请勿手工修改;字段或设置变化后重新生成并一并提交
# (否则 GK-CMS-001)。浏览器编辑后台(Decap CMS)由 `gongkai cms build --output 目录` 生成。
"""


def backend(settings: dict) -> dict:
    """Decap's backend section from settings.yaml's `cms:` (GitLab with PKCE by default)."""
    cms = settings.get("cms") if isinstance(settings.get("cms"), dict) else {}
    name = cms.get("backend", "gitlab")
    out = {"name": name, "repo": cms.get("repo", "yunjiang/portal-content"), "branch": cms.get("branch", "main")}
    if name == "gitlab":
        out["auth_type"] = "pkce"
        for key in ("base_url", "api_root", "app_id"):
            if cms.get(key):
                out[key] = cms[key]
    else:
        for key in ("base_url", "api_root"):
            if cms.get(key):
                out[key] = cms[key]
    out["commit_messages"] = {
        "create": "新建{{collection}}「{{slug}}」", "update": "修改{{collection}}「{{slug}}」",
        "delete": "删除{{collection}}「{{slug}}」", "uploadMedia": "上传附件 {{path}}",
        "deleteMedia": "删除附件 {{path}}", "openAuthoring": "{{message}}"}
    return out


def generate(repo: "Repository") -> str:
    """The configuration's text, as committed in ci/cms/config.yml."""
    return HEADER + yaml.safe_dump(config(repo, conventions=False), allow_unicode=True, sort_keys=False, width=1000)


def config(repo: "Repository", conventions: bool = True) -> dict:
    """The configuration; `conventions`: with the id widget's conventions of the items as they are now
    (the admin site's), else without (the committed file's, which depends on schemas and settings only)."""
    schemas = SchemaSet()
    collections = [_type_collection(repo, schemas, ctype, conventions) for ctype in CONTENT_TYPES]
    collections.append(_units_collection(schemas))
    collections.append(_registers_collection(schemas))
    collections.append(_office_collection(schemas))
    return {
        "locale": "zh_Hans",
        "backend": backend(repo.settings if isinstance(getattr(repo, "settings", None), dict) else {}),
        "publish_mode": "editorial_workflow",
        "media_folder": "content/files",
        "public_folder": "files",
        "show_preview_links": False,
        "search": True,
        # Unicode: attachments keep their Chinese names (附件1.pdf), as the repository's files have them.
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "collections": collections,
    }


# --- collections -----------------------------------------------------------------------------


def _type_collection(repo, schemas: SchemaSet, ctype, conventions: bool = True) -> dict:
    items = [item for item in repo.items if item.type == ctype.name]
    suffixes = Counter(item.path.rsplit(".", 1)[-1] for item in items)
    extension = suffixes.most_common(1)[0][0] if suffixes else "md"
    schema = schemas.compiled(ctype.name)
    fields = _fields(schemas, schema, id_widget=_id_conventions(repo, ctype, items) if conventions else {})
    if extension == "md":
        fields.append({"label": "正文", "name": "body", "widget": "gongkai-text", "required": False,
                       "hint": "正文使用 Markdown;链接到其他条目时,链接地址写成 item: 加条目编号。"})
    folder = attachment_folder("{{fields.unit}}", "{{year}}", "{{fields.id}}")  # type: ignore[arg-type]
    return {
        "name": ctype.folder, "label": ctype.label, "label_singular": ctype.label,
        "folder": f"content/{ctype.folder}", "path": "{{unit}}/{{slug}}", "slug": "{{fields.id}}",
        "create": True, "delete": False, "extension": extension,
        "format": "gongkai-frontmatter" if extension == "md" else "gongkai-yaml",
        "identifier_field": "title", "summary": "{{title}}({{id}})",
        # A repository path, not a site address: Decap reads a leading "/" as "from the repository's root".
        "media_folder": "/" + posixpath.join("content", folder.rstrip("/")), "public_folder": folder.rstrip("/"),
        "fields": fields,
    }


def _units_collection(schemas: SchemaSet) -> dict:
    fields = _fields(schemas, schemas.compiled("unit"))
    return {"name": UNITS_COLLECTION, "label": "责任单位(办公室维护)", "label_singular": "责任单位",
            "folder": f"content/{UNIT_FOLDER}", "slug": "{{fields.id}}", "create": True, "delete": False,
            "extension": "yaml", "format": "gongkai-yaml", "identifier_field": "name", "summary": "{{name}}({{id}})",
            "fields": fields}


def _registers_collection(schemas: SchemaSet) -> dict:
    fields = _fields(schemas, schemas.compiled("applications"))
    return {"name": REGISTERS_COLLECTION, "label": "依申请公开台账(内部,不公开)", "label_singular": "依申请公开台账",
            "folder": f"content/{REGISTER_DIR}", "path": "{{unit}}/{{slug}}", "slug": "{{fields.year}}",
            "create": True, "delete": False, "extension": "yaml", "format": "gongkai-yaml",
            "identifier_field": "year", "summary": "{{unit}} {{year}} 年", "fields": fields}


def _office_collection(schemas: SchemaSet) -> dict:
    files = []
    for name, schema_name in GOVERNANCE_FILES.items():
        schema = schemas.compiled(schema_name)
        files.append({"name": name, "label": schema.get("title", name),
                      "file": f"content/{GOVERNANCE_DIR}/{name}.yaml", "format": "gongkai-yaml",
                      "fields": _fields(schemas, schema)})
    return {"name": OFFICE_COLLECTION, "label": "网站设置(市政府办公室)", "delete": False, "files": files}


def _id_conventions(repo, ctype, items) -> dict:
    """The `gongkai-id` widget's options: the type's convention and each unit's own where it differs."""
    examples = id_examples(items)
    units = sorted(repo.units)
    default = _shape(id_convention(ctype.name, examples, "", units) if examples else fallback_convention(ctype.name))
    own = {}
    for unit in units:
        shape = _shape(id_convention(ctype.name, examples, unit, units)) if examples else default
        if shape != default:
            own[unit] = shape
    return {**default, **({"units": own} if own else {})}


def _shape(convention) -> dict:
    """What the widget needs of a convention: its parts, and the running number's width (a day has none)."""
    return {"parts": list(convention.parts), "width": convention.width if convention.parts[-1] == NUMBER else 0}


# --- fields ----------------------------------------------------------------------------------


def _fields(schemas: SchemaSet, schema: dict, id_widget: dict | None = None) -> list[dict]:
    required = set(schema.get("required", []))
    return [_field(schemas, key, node, key in required, id_widget)
            for key, node in schema.get("properties", {}).items()]


def _field(schemas: SchemaSet, key: str, node: dict, required: bool, id_widget=None) -> dict:
    node = _flat(node)
    out = {"label": node.get("title") or key, "name": key, "required": required}
    hint = _hint(node)
    if hint:
        out["hint"] = hint
    out.update(_widget(schemas, key, node, id_widget))
    if out.get("widget") == "datetime" and required:
        out["default"] = "{{now}}"  # now, as `gongkai new` writes
    if out.get("widget") == "object" and not required:
        # Decap validates an object's fields even when the object is left out: an optional object's keys
        # (a withdrawal's date and reason) are required only once it is filled in, which the check says.
        for sub in out["fields"]:
            sub["required"] = False
            if sub.get("widget") == "datetime":
                sub["default"] = ""
    return out


def _flat(node: dict) -> dict:
    """A node whose `allOf` only adds annotations to one definition, merged (the compiled schema's clash form)."""
    if "allOf" in node and len(node["allOf"]) == 1 and "type" not in node:
        return {**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}}
    return node


def _widget(schemas: SchemaSet, key: str, node: dict, id_widget) -> dict:
    kind = node.get("type")
    defs = schemas.defs
    if key == "id" and id_widget is not None:
        return {"widget": "gongkai-id", **({"convention": id_widget} if id_widget else {})}
    if key in ("unit", "reply_unit"):
        return _relation_to_units()
    if key == "column":
        return {"widget": "relation", "collection": OFFICE_COLLECTION, "file": "columns",
                "value_field": "columns.*.id", "search_fields": ["columns.*.name", "columns.*.id"],
                "display_fields": ["columns.*.name"]}
    if key in ITEM_REFERENCE_KEYS:
        return _relation_to_items(ITEM_REFERENCE_KEYS[key], multiple=kind == "array")
    if key == "covers":
        return {**_relation_to_units(), "multiple": True}
    if "enum" in node:
        return _select(node)
    if kind == "array":
        items = _flat(node.get("items", {}))
        if "enum" in items:
            return {**_select(items), "multiple": True}
        if items.get("type") == "object" and items.get("properties"):
            return {"widget": "list", "fields": _fields(schemas, items), "collapsed": False, "default": [],
                    "summary": "{{fields." + next(iter(items["properties"])) + "}}",
                    **({"min": node["minItems"]} if node.get("minItems") else {})}
        if items.get("type") == "string":
            return {"widget": "list", "default": [], "field": {"label": node.get("title") or key, "name": "value",
                                                "widget": "gongkai-string"},
                    **({"min": node["minItems"]} if node.get("minItems") else {})}
        return {"widget": "gongkai-yaml-text"}
    if kind == "object":
        if node.get("properties") and not isinstance(node.get("additionalProperties"), dict):
            return {"widget": "object", "collapsed": False, "fields": _fields(schemas, node)}
        return {"widget": "gongkai-yaml-text"}
    if kind == "boolean":
        return {"widget": "boolean"}  # left out unless ticked: `public: false` is a decision, not a default
    if kind == "integer" or kind == ["integer", "null"]:
        return {"widget": "number", "value_type": "int"}
    pattern = node.get("pattern")
    if pattern == defs["date"]["pattern"]:
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False,
                "picker_utc": False, "default": ""}
    if pattern == defs["datetime"]["pattern"]:
        return {"widget": "datetime", "format": DATETIME_FORMAT, "date_format": DATE_FORMAT, "time_format": "HH:mm",
                "picker_utc": False, "default": ""}
    if key == "file":
        return {"widget": "file", "choose_url": False}
    if key in MULTILINE_KEYS:
        return {"widget": "gongkai-text"}
    return {"widget": "gongkai-string"}


def _relation_to_units() -> dict:
    return {"widget": "relation", "collection": UNITS_COLLECTION, "value_field": "id",
            "search_fields": ["name", "short_name", "id"], "display_fields": ["{{name}}({{id}})"]}


def _relation_to_items(type_name: str, multiple: bool) -> dict:
    folder = next(t.folder for t in CONTENT_TYPES if t.name == type_name)
    return {"widget": "relation", "collection": folder, "value_field": "id", "search_fields": ["title", "id", "doc_number"],
            "display_fields": ["{{title}}({{id}})"], "multiple": multiple, "options_length": 50}


def _select(node: dict) -> dict:
    labels = node.get("x-labels") or {}
    options = [{"label": labels.get(value, str(value)), "value": value} for value in node["enum"]]
    return {"widget": "select", "options": options}


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _hint(node: dict) -> str:
    """The schema's description when it is written for editors (in Chinese), and an example."""
    parts = []
    description = node.get("description")
    if isinstance(description, str) and len(_CJK.findall(description)) * 2 > len(re.findall(r"[A-Za-z]", description)):
        parts.append(description.strip())
    examples = node.get("examples")
    if isinstance(examples, list) and examples and isinstance(examples[0], (str, int)) and str(examples[0]).strip():
        parts.append(f"例如:{examples[0]}")
    pattern = node.get("pattern")
    if pattern and "[0-9]{4}-[0-9]{2}-[0-9]{2}" in pattern and not examples:
        parts.append("格式 2026-03-01" if pattern.endswith("$") and "(" not in pattern else "格式 2026-03-01 09:30")
    return ";".join(parts)
