"""Which pages a reader reaches from the home page by following links: what the portal tests ask of
a built site (the product's link check asks only that every link leads somewhere)."""
from __future__ import annotations

from collections import deque
from pathlib import Path

from pipeline.site.internal_links import SiteIndex, is_internal


def reachable_pages(output: Path, start: str = "index.html") -> set[str]:
    """HTML pages (relative to output/) reached by following internal links from `start`."""
    index = SiteIndex(Path(output))
    seen = {start}
    queue = deque([start])
    while queue:
        rel = queue.popleft()
        references, _ = index.page(rel)
        for ref in references:
            if ref.asset or not is_internal(ref.url):
                continue
            target, _ = index.resolve(rel, ref.url)
            if not index.is_file(target) or not target.endswith(".html"):
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen
