"""Every site address comes from pipeline/core/addresses.py: no template and no other module spells one.

Change an address there and the whole site follows; a link written by hand in a template or a page
family would keep pointing at the old place (and the internal link check would only notice when the
old place happens to be gone).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from pipeline.core import addresses
from pipeline.resources import theme_dir

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
TEMPLATES = theme_dir() / "templates"

# A site-absolute address in an attribute (href="/…", src='/…', action, content), or a Jinja string
# literal that starts with "/" ('/search/', "/theme/…"). `//host` (protocol-relative) and `/` followed by
# `{{` are the template asking, not spelling.
TEMPLATE_ADDRESS = re.compile(
    r"""\b(?:href|src|action|content|poster|data-url)\s*=\s*["']/(?![/{])"""
    r"""|\{[{%][^}]*?["']/[^"'\s]*["'][^}]*?[}%]\}""")

# A string constant in Python that has the shape of a site address: "/xxx/", "/xxx/yyy.json", "/".
# Strings that have that shape but are not addresses of this site, each with the reason.
# (module, string) -> why it is not an address of the portal; (module, None): every string of the module.
NOT_SITE_ADDRESSES = {
    ("approvals/forge_api.py", None): "paths of the forge's REST API (GitLab, GitHub), not of the portal",
    ("audit/notify.py", "/api/v4"): "the prefix of GitLab's REST API, cut off a configured forge address",
    ("approvals/codeowners.py", "/content/"): "a CODEOWNERS pattern (a repository folder), not a site address",
    ("pages/redirects.py", "/index.html"): "the file a static server answers a folder address with (every form of a "
                                           "former address a server accepts); not a page of its own",
    ("site/internal_links.py", "/index.html"): "resolving a folder link to the file on disk, as a static server does",
    ("content/attachment_text.py", "/Resources"): "a PDF page's dictionary key (a PDF name object), read with pypdf",
    ("content/attachment_text.py", "/XObject"): "a PDF resource dictionary's key: whether a page holds images",
}
# "/xxx/", "/xxx/yyy.json", also as an f-string ("/columns/{}/"), whose placeholders are read as {}.
PYTHON_ADDRESS = re.compile(r"^/[A-Za-z_{][\w.{}-]*(?:/[\w.{}-]*)*$")


def template_addresses_spelled(text: str) -> list[str]:
    return [m.group(0) for m in TEMPLATE_ADDRESS.finditer(text)]


def python_addresses_spelled(source: str) -> list[str]:
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings and id(node) not in in_fstrings:
            text = node.value
        else:
            continue
        if PYTHON_ADDRESS.match(text):
            found.append(text)
    return found


def test_no_template_spells_an_address():
    spelled = {path.name: found for path in sorted(TEMPLATES.glob("*.html"))
               if (found := template_addresses_spelled(path.read_text(encoding="utf-8")))}
    assert spelled == {}, "templates must ask pipeline.core.addresses (addresses.NAME, theme_url(...)): " \
                          f"{spelled}"


def test_the_template_scan_catches_an_address():
    # The forms a hand-written address takes in a template, and the asking forms it must leave alone.
    assert template_addresses_spelled('<a href="/sitemap/">网站地图</a>')
    assert template_addresses_spelled("<img src='/theme/images/icp.svg'>")
    assert template_addresses_spelled('<form action="/search/" method="get">')
    assert template_addresses_spelled('<a href="/">首页</a>')
    assert template_addresses_spelled("{% if page.url != '/search/' %}")
    assert template_addresses_spelled("{{ url('/policies/') }}")
    assert template_addresses_spelled('<a href="{{ addresses.home }}">首页</a>') == []
    assert template_addresses_spelled("<script src=\"{{ theme_url('js/a11y.js') }}\"></script>") == []
    assert template_addresses_spelled('<a href="//example.org/">x</a>') == []
    assert template_addresses_spelled('<a href="#main">跳到主要内容</a>') == []


def test_no_module_outside_addresses_spells_an_address():
    spelled = {}
    for path in sorted(PIPELINE.rglob("*.py")):
        rel = path.relative_to(PIPELINE).as_posix()
        if rel == "core/addresses.py":
            continue
        found = [s for s in python_addresses_spelled(path.read_text(encoding="utf-8"))
                 if (rel, s) not in NOT_SITE_ADDRESSES and (rel, None) not in NOT_SITE_ADDRESSES]
        if found:
            spelled[rel] = found
    assert spelled == {}, f"site addresses belong in pipeline/core/addresses.py: {spelled}"


def test_the_python_scan_catches_an_address():
    assert python_addresses_spelled('ACCESSIBILITY = "/wza/"') == ["/wza/"]
    assert python_addresses_spelled('BLOCKS = (("政策文件", ("zcwj",), "/policies/"),)') == ["/policies/"]
    assert python_addresses_spelled('x = "/_server/nginx-redirects.conf"') == ["/_server/nginx-redirects.conf"]
    assert python_addresses_spelled('def column_url(c):\n    return f"/columns/{c}/"') == ["/columns/{}/"]
    assert python_addresses_spelled('p = f"content/{GOVERNANCE_DIR}/settings{suffix}"') == []
    # Docstrings may show addresses as examples; path arithmetic is not an address.
    assert python_addresses_spelled('def f():\n    """`former_urls: ["/units/jyj/"]`"""\n    return a.split("/")') == []


def test_every_allowed_exception_still_exists():
    for rel, text in NOT_SITE_ADDRESSES:
        if text is None:
            assert python_addresses_spelled((PIPELINE / rel).read_text(encoding="utf-8")), rel
            continue
        assert text in python_addresses_spelled((PIPELINE / rel).read_text(encoding="utf-8")), (rel, text)


def test_templates_are_given_every_fixed_address_and_the_theme_assets():
    from pipeline.core.addresses import template_addresses, theme_asset_url

    given = template_addresses()
    assert given["search"] == addresses.SEARCH and given["accessibility"] == addresses.ACCESSIBILITY
    assert theme_asset_url("css/portal.css") == f"/{addresses.THEME_STATIC}/css/portal.css"
    # Every theme asset a template asks for exists in the theme.
    asked = set()
    for path in TEMPLATES.glob("*.html"):
        asked |= set(re.findall(r"theme_url\('([^']+)'\)", path.read_text(encoding="utf-8")))
        for name in re.findall(r"addresses\.(\w+)", path.read_text(encoding="utf-8")):
            assert name in given, f"{path.name} asks for addresses.{name}, which pipeline.core.addresses does not give"
    # vendor/ is copied in by the build (pipeline/site/vendor.py) from node_modules.
    missing = {rel for rel in asked if not rel.startswith("vendor/") and not (theme_dir() / "static" / rel).is_file()}
    assert asked and not missing, missing


def test_column_of_reads_what_column_url_writes():
    assert addresses.column_of(addresses.column_url("zcjd")) == "zcjd"
    assert addresses.column_of(addresses.listing_page_url(addresses.column_url("zcjd"), 3)) == "zcjd"
    assert addresses.column_of(addresses.POLICY_LIBRARY) is None
