"""Where the files the pipeline ships with are: schemas, the portal theme, the Pelican plugin and settings.

The product keeps them at the top level of the source tree (`schemas/`, `themes/`, `plugins/`,
`pelicanconf.py`); the wheel carries the same files as package data under `pipeline/bundled/`
(pyproject.toml maps them in at build time). `bundled(name)` is the one place that knows both, so an
installed `gongkai` needs no source tree and a source checkout needs no build step.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SOURCE_TREE = Path(__file__).resolve().parent.parent


def bundled(name: str) -> Path:
    """The shipped resource `name` (e.g. "schemas", "themes/portal", "pelicanconf.py")."""
    packaged = Path(str(files("pipeline") / "bundled" / name))
    if packaged.exists():
        return packaged
    return SOURCE_TREE / name


def schema_dir() -> Path:
    return bundled("schemas")


def theme_dir() -> Path:
    return bundled("themes/portal")


def plugin_dir() -> Path:
    return bundled("plugins")


def pelican_settings() -> Path:
    return bundled("pelicanconf.py")
