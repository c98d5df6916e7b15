"""Pelican settings for the portal.

Pelican's own readers and generators are switched off: items are read only by
pipeline.content.loader (one loader for check, build and audit) and the
`gongkai_portal` plugin writes the pages of the `SiteBuild` that `gongkai build`
hands it (pipeline.site.build_plan) with the theme (pipeline.site.write_pages). Paths are filled in
by `gongkai build`; the wheel ships this file as pipeline/bundled/pelicanconf.py.
"""
SITENAME = "云江市人民政府门户网站"
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"

PLUGINS = ["gongkai_portal"]

# No Pelican reader, article, page, author, tag or archive output.
READERS = {"md": None, "markdown": None, "mkd": None, "mdown": None, "html": None, "htm": None, "rst": None}
ARTICLE_PATHS = []
PAGE_PATHS = []
DIRECT_TEMPLATES = []
PAGINATED_TEMPLATES = {}
ARTICLE_SAVE_AS = ""
PAGE_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Attachments and media are served from /files/ exactly as kept in content/files/, but only those
# that published pages use: the gongkai_portal plugin copies them (an attachment of a scheduled or
# withdrawn item must not be reachable before or after its page is).
STATIC_PATHS = []
STATIC_EXCLUDES = []
THEME_STATIC_DIR = "theme"
THEME_STATIC_PATHS = ["static"]

DELETE_OUTPUT_DIRECTORY = False  # gongkai build writes into a fresh directory and swaps it in
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
OUTPUT_SOURCES = False
RELATIVE_URLS = False
TYPOGRIFY = False
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
