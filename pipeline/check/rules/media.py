"""Images are published as a reader sees them, or not at all: they open, and an SVG cannot act."""
from __future__ import annotations

from pipeline.core.published_copy import RASTER_TYPES, SVG_TYPE, extension, screen
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.check.rules import ITEM, Rule, register


@register
class Media(Rule):
    """GK-MEDIA-001..002: every image under content/files/ is screened as the build would publish it
    (`core.published_copy`, the build's own function): the published copy carries no EXIF, GPS, XMP or
    text chunks and is turned as its EXIF orientation says — which needs an image that can be read.

    GK-MEDIA-001 — an image that cannot be decoded whole (truncated, damaged, not what its extension
    says) or claims more than 60 million pixels (a decompression bomb).
    FAIL: files/2026/xw-2026-0301/现场.jpg cut off half-way by a failed upload;
          a 20 KB PNG that declares 100000×100000 pixels.
    PASS: the same photo exported again (its GPS and EXIF are removed on publication, not refused).

    GK-MEDIA-002 — an SVG that could run script, act on the reader or load from another host: <script>,
    <foreignObject>, <iframe>, <embed>, <object>, event attributes (onclick, onload …), links to other
    hosts or javascript:/data: documents, <use> of another file, url() or @import in styles pointing
    outside the file, entity declarations. The message names the element and its line.
    FAIL: `<svg …><script>alert(1)</script></svg>`; `<rect onclick="go()"/>`;
          `<use href="https://example.com/icons.svg#a"/>`; `<rect style="fill:url(http://x/p.png)"/>`.
    PASS: `<svg …><title>图解</title><rect fill="url(#gradient)"/><use href="#icon"/></svg>`.
    """

    codes = {
        "GK-MEDIA-001": "图片无法读取(已损坏、不完整或像素过多),不能发布",
        "GK-MEDIA-002": "SVG 含有脚本、事件或外部引用,不能发布",
    }

    reach = ITEM

    def check(self, repo):
        for cf in repo.files:
            if cf.kind != "asset" or cf.path.is_symlink():
                continue
            ext = extension(cf.rel)
            if ext not in RASTER_TYPES and ext != SVG_TYPE:
                continue
            try:
                data = cf.path.read_bytes()
            except OSError:
                continue  # an unreadable file is the loader's and the path rule's finding
            code = "GK-MEDIA-002" if ext == SVG_TYPE else "GK-MEDIA-001"
            for problem in screen(cf.rel, data):
                yield Diagnostic(cf.rel, problem.line, 0, code, Severity.ERROR, f"{problem.message}。网站不会发布这个文件。")
