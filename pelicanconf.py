"""Pelican settings for the portal: only what a run with nothing of Pelican's own to read or write needs.

`gongkai build` runs Pelican with this file (paths filled in) and hands the plugin the `SiteBuild` to
write (pipeline.site.build_plan): the `gongkai_portal` generator writes every page with the theme and
every file the site serves (attachments, media, the theme's static files), linking unchanged bytes from
the live site. Items are read only by pipeline.content.loader, so Pelican reads nothing: no article,
page or static path, no direct template, no feed. Every other setting keeps Pelican's default, which
writes nothing when there is nothing read. The wheel ships this file as pipeline/bundled/pelicanconf.py.
"""
PLUGINS = ["gongkai_portal"]

ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []
THEME_STATIC_PATHS = []  # the theme's files go with the site's others (copied unless unchanged)
DIRECT_TEMPLATES = []  # index, tags, categories, authors, archives: the portal's pages are its own
FEED_ALL_ATOM = None  # written even with no article

# Pelican's defaults (trim_blocks, lstrip_blocks) are kept; escaping, off by its default, is not optional.
JINJA_ENVIRONMENT = {"autoescape": True}
