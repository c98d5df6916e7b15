"""Pelican adapter for the portal: subscribes to signals, writes what pipeline.site plans.

No business rule lives here. `gongkai build` hands a typed `SiteBuild` to the
Pelican instance (`pelican.gongkai_build`); the generator writes its pages
with Pelican's writer and theme. Any failure is re-raised naming this plugin.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from pipeline.addresses import output_name


class PluginError(RuntimeError):
    pass


class PortalGenerator(Generator):
    """Writes every page of a pipeline.site.build_plan.SiteBuild."""

    build = None  # set on the subclass made for one build (see get_generators)

    def generate_context(self):
        if self.build is None:
            raise PluginError("gongkai_portal: 没有收到构建计划(请用 gongkai build 构建)")

    def generate_output(self, writer):
        build = self.build
        try:
            for page in build.pages:
                target = Path(self.output_path) / output_name(page.url)
                if page.template is None:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(page.text(), encoding="utf-8")
                    continue
                context = page.context()
                template = self.get_template(page.template.removesuffix(".html"))
                # The template sees the shared context and its page's own, not Pelican's settings.
                writer.write_file(output_name(page.url), template, {}, page=page,
                                  monitor=build.monitoring_meta(context), **{**build.common, **context})
            for source, rel in build.files:
                target = Path(self.output_path) / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
            build.pages_written = sum(1 for page in build.pages if page.template is not None)
        except Exception as exc:
            raise PluginError(f"gongkai_portal: 写出页面失败:{exc}") from exc


def get_generators(pelican):
    build = getattr(pelican, "gongkai_build", None)
    if build is None:
        return None  # not a gongkai build: contribute nothing
    return type("BoundPortalGenerator", (PortalGenerator,), {"build": build})


def register():
    signals.get_generators.connect(get_generators)
