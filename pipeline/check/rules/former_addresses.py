"""Former addresses (former_urls) stay usable: inside the site, free of any page, claimed once."""
from __future__ import annotations

from pipeline.diagnostics import Severity
from pipeline.check.rules import REPOSITORY, Rule, register


@register
class FormerAddresses(Rule):
    """GK-URL-001/002: every former address becomes a redirect page, so it must be able to be one.

    An item moved from the old CMS keeps its old address as a redirect to the
    new one. The address must be a path on this site; no page of the site may
    have it (an item, a column or unit page, the site map, a feed, the theme's
    or search bundle's folders); and no two items may claim it. The build
    writes exactly the redirects this rule accepts (pipeline.pages.redirects).

    FAIL: `former_urls: ["/../../etc/x.html"]`; two items both listing
          `/art/2025/3/12/art_1234_567.html`; `former_urls: ["/units/jyj/", "/sitemap/"]`;
          a former address equal to another item's address `/policies/zc-1/`.
    PASS: `former_urls: ["/art/2025/3/12/art_1234_567.html"]` on one item.
    """

    codes = {
        "GK-URL-001": "曾用地址不是本站内的有效路径",
        "GK-URL-002": "曾用地址与本站页面、其他条目的地址或曾用地址冲突",
    }

    reach = REPOSITORY  # every page address of the site, every other claim

    def reports_on(self, path, record):
        former = record.meta.get("former_urls") if record is not None else None
        return isinstance(former, list) and bool(former)

    def inputs(self, repo, signatures):
        if not any(self.reports_on(item.path, item) for item in repo.items):
            return "no claims"  # and so no findings
        from pipeline.check.rule_inputs import front_matter

        return front_matter(repo, signatures)  # which pages the site has, and every claim

    def check(self, repo):
        if not any(self.reports_on(item.path, item) for item in repo.items):
            return  # no claim to judge: the site's page list (a catalogue of every page) is not needed
        # Imported here: every check imports the rules, and the page families are most of what this one
        # would import for a repository without former addresses.
        from pipeline.core.site_items import Catalogue
        from pipeline.pages import content_pages, page_names
        from pipeline.pages.redirects import CLAIMED, PAGE, UNSAFE, former_address_claims

        catalogue = Catalogue(repo, repo.now)
        names = page_names(content_pages(catalogue))
        for claim in former_address_claims(catalogue, names):
            item, url = claim.item, claim.url
            if claim.problem == UNSAFE:
                yield item.diagnostic("GK-URL-001", Severity.ERROR,
                                      f"曾用地址「{url}」不是本站内的有效路径:应以 / 开头,不含 ..、?、# 或反斜杠。",
                                      "former_urls", claim.index)
            elif claim.problem == PAGE and claim.other is not None:
                owner = "本条目" if claim.other is item else f"条目「{claim.other.id}」"
                yield item.diagnostic("GK-URL-002", Severity.ERROR,
                                      f"曾用地址「{url}」正是{owner}的现用地址,不能再作跳转。",
                                      "former_urls", claim.index)
            elif claim.problem == PAGE:
                yield item.diagnostic("GK-URL-002", Severity.ERROR,
                                      f"曾用地址「{url}」是本站现有页面(栏目、单位、网站地图、订阅或网站文件)的地址,"
                                      "不能再作跳转:请删除这一项,旧地址由现有页面承接。",
                                      "former_urls", claim.index)
            elif claim.problem == CLAIMED:
                yield item.diagnostic("GK-URL-002", Severity.ERROR,
                                      f"曾用地址「{url}」已由 {claim.other.path} 声明;一个旧地址只能跳转到一个条目。",
                                      "former_urls", claim.index)
