"""Pelican adapter for the portal: subscribes to signals, calls into pipeline.build.

No business rule lives here. Any failure is re-raised naming this plugin.
"""
from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from pipeline.build import outputs
from pipeline.build.site import SiteModel
from pipeline.build.urls import output_name


class PluginError(RuntimeError):
    pass


class PortalGenerator(Generator):
    """Writes every page of pipeline.build.site.SiteModel with Pelican's writer and theme."""

    def generate_context(self):
        try:
            self.model = SiteModel(self.settings["GONGKAI_REPOSITORY"], self.settings["GONGKAI_NOW"])
            self.pages = self.model.pages()
        except Exception as exc:  # pragma: no cover - names the plugin, keeps the cause
            raise PluginError(f"gongkai_portal: 计算网站页面失败:{exc}") from exc

    def generate_output(self, writer):
        try:
            common = outputs.common_context(self.model)
            for page in self.pages:
                template = self.get_template(page.template.removesuffix(".html"))
                writer.write_file(output_name(page.url), template, self.context, page=page,
                                  monitor=self.model.monitoring_meta(page), **{**common, **page.context})
            for name, text in outputs.extra_files(self.model).items():
                outputs.write_text(self.output_path, name, text)
            outputs.copy_files(self.model, self.output_path)
            self.settings["GONGKAI_PAGES_WRITTEN"] = [len(self.pages)]
        except Exception as exc:
            raise PluginError(f"gongkai_portal: 写出页面失败:{exc}") from exc


def get_generators(pelican):
    return PortalGenerator


def register():
    signals.get_generators.connect(get_generators)
