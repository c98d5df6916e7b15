"""Pelican adapter for the portal: the one generator of a `gongkai build`, writing what pipeline.site plans.

No business rule lives here. `gongkai build` hands a typed `SiteBuild` to the
Pelican instance (`pelican.gongkai_build`); the generator writes its pages with
the theme's templates through Pelican's Jinja environment (pipeline.site.write_pages
deals them out to the cores) and its files, and leaves what it wrote in
`SiteBuild.written`. Any failure is re-raised naming this plugin.
"""
from __future__ import annotations

from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from pipeline.site.write_pages import copy_files, write_pages


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
        output = Path(self.output_path)

        def render(page):
            context = page.context()
            template = self.get_template(page.template.removesuffix(".html"))
            # The template sees the shared context and its page's own, not Pelican's settings.
            return template.render({"page": page, "monitor": build.monitoring_meta(context),
                                    "shell": build.page_shell(page.url, context), **build.common, **context})

        try:
            build.written = write_pages(build.pages, output, render, build.previous, build.markdown_cache,
                                        keep=build.kept, present=build.present)
            build.written.changed |= copy_files(build.files, output, build.previous, build.present)
        except Exception as exc:
            raise PluginError(f"gongkai_portal: 写出页面失败:{exc}") from exc


def get_generators(pelican):
    build = getattr(pelican, "gongkai_build", None)
    if build is None:
        return None  # not a gongkai build: contribute nothing
    return type("BoundPortalGenerator", (PortalGenerator,), {"build": build})


def register():
    signals.get_generators.connect(get_generators)
