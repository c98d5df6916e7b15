"""Former addresses (former_urls) stay usable: inside the site and claimed once."""
from __future__ import annotations

from ..build.urls import UnsafeURL, item_url, output_name
from ..diagnostics import Severity
from . import Rule, register


@register
class FormerAddresses(Rule):
    """GK-URL-001/002: every former address becomes a redirect page, so it must be one.

    An item moved from the old CMS keeps its old address as a redirect to the
    new one. The address must be a path on this site, and no two items (nor
    an item's current address) may claim it: one of the redirects would
    silently be lost.

    FAIL: `former_urls: ["/../../etc/x.html"]`; two items both listing
          `/art/2025/3/12/art_1234_567.html`; a former address equal to
          another item's current address `/policies/zc-1/`.
    PASS: `former_urls: ["/art/2025/3/12/art_1234_567.html"]` on one item.
    """

    codes = {
        "GK-URL-001": "曾用地址不是本站内的有效路径",
        "GK-URL-002": "曾用地址与其他条目的地址或曾用地址冲突",
    }

    def check(self, repo):
        current = {output_name(item_url(item)): item for item in repo.items}
        claimed: dict[str, object] = {}
        for item in repo.items:
            former = item.meta.get("former_urls")
            if not isinstance(former, list):
                continue
            for index, url in enumerate(former):
                if not isinstance(url, str):
                    continue
                try:
                    name = output_name(url)
                except UnsafeURL:
                    yield item.diagnostic("GK-URL-001", Severity.ERROR,
                                          f"曾用地址「{url}」不是本站内的有效路径:应以 / 开头,不含 ..、?、# 或反斜杠。",
                                          "former_urls", index)
                    continue
                owner = current.get(name)
                if owner is not None:
                    yield item.diagnostic("GK-URL-002", Severity.ERROR,
                                          f"曾用地址「{url}」正是{'本条目' if owner is item else f'条目「{owner.id}」'}的现用地址,不能再作跳转。",
                                          "former_urls", index)
                elif name in claimed and claimed[name] is not item:
                    other = claimed[name]
                    yield item.diagnostic("GK-URL-002", Severity.ERROR,
                                          f"曾用地址「{url}」已由 {other.path} 声明;一个旧地址只能跳转到一个条目。",
                                          "former_urls", index)
                else:
                    claimed[name] = item
