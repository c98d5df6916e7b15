"""The names a disclosure category may be written with (code, full or short label), and the code they mean."""
from __future__ import annotations

import json
from functools import lru_cache

from pipeline.resources import schema_dir


def category_names(definition: dict) -> dict[str, str]:
    """Code, full label and short label of each disclosure category -> the code (defs.schema.json)."""
    names = {code: code for code in definition["enum"]}
    for labels in (definition.get("x-labels", {}), definition.get("x-short-labels", {})):
        names.update({label: code for code, label in labels.items()})
    return names


@lru_cache(maxsize=1)
def _category_names() -> dict[str, str]:
    defs = json.loads((schema_dir() / "defs.schema.json").read_text(encoding="utf-8"))
    return category_names(defs["$defs"]["disclosure_category"])


def canonical_categories(meta: dict, type_name: str) -> None:
    """Write every disclosure category as its code, whichever of its names the editor used.

    Editors may write 规章和规范性文件 (or the full name of Article 12) where the schema's code is
    `regulations`; done once here, where every file is read, so check, build and audit all see the
    code. A name that is no category stays as written, for the schema check to explain.
    """
    names = _category_names()

    def fix(mapping, key):
        value = mapping.get(key)
        if isinstance(value, str) and value in names:
            mapping[key] = names[value]

    fix(meta, "disclosure_category")
    if type_name == "unit":
        for key in ("not_applicable", "published_elsewhere"):
            entries = meta.get(key)
            for entry in entries if isinstance(entries, list) else ():
                if isinstance(entry, dict):
                    fix(entry, "category")
