"""What bytes a published file has: images without hidden data, SVG only when it is inert.

A photograph straight from a phone carries where and when it was taken (EXIF GPS), the device,
sometimes a thumbnail of the uncropped picture; a PNG from an editing tool carries text chunks;
an SVG is a document that can run script. Readers see the pixels, so the site publishes the pixels
and nothing else, and publishes an SVG only when nothing in it can act or reach another host.

`published_bytes(rel, data)` is the one decision: the build's copy step writes what it returns
(and compares that with the live file, so unchanged files are still linked), and the check's media
rule (`check.rules.media`) refuses, with the same functions, what it would refuse to publish.

Rasters are cleaned at the byte level, by a whitelist of the container's parts (JPEG segments,
PNG chunks, WebP chunks, GIF blocks): the compressed pixels are copied untouched, so nothing is
re-encoded and the result is the same bytes for the same source. Only an image whose EXIF says
it must be turned (orientation 2–8) is decoded, turned (`ImageOps.exif_transpose`) and encoded
again, a JPEG with its own quantisation tables and subsampling (Pillow's quality "keep") — a
reader's browser turns it the same way, and the turned pixels must not need the tag any more.
"""
from __future__ import annotations

import io
import re
import struct
import warnings
from dataclasses import dataclass

RASTER_TYPES = frozenset({"jpg", "jpeg", "png", "gif", "webp"})
SVG_TYPE = "svg"
# Far above any photo a portal shows (a 50-megapixel camera), far below what exhausts a runner's memory
# when decoded: a small file that claims more pixels is a decompression bomb.
MAX_PIXELS = 60_000_000


class Refused(ValueError):
    """The file cannot be published as it is; `problems` say why, each with its line (0: the whole file)."""

    def __init__(self, problems: list["Problem"]):
        super().__init__(";".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def extension(rel: str) -> str:
    return rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""


def is_transformed(rel: str) -> bool:
    """Whether the published copy of `rel` is decided here (else it is the source's bytes, streamed)."""
    return extension(rel) in RASTER_TYPES or extension(rel) == SVG_TYPE


def published_bytes(rel: str, data: bytes) -> bytes:
    """The bytes the site publishes for the file `rel` whose source bytes are `data`; `Refused` when
    it must not be published (a corrupt image, an SVG that can act)."""
    ext = extension(rel)
    if ext == SVG_TYPE:
        problems = svg_problems(data)
        if problems:
            raise Refused(problems)
        return data
    if ext in RASTER_TYPES:
        return _clean_raster(ext, data)
    return data


def screen(rel: str, data: bytes) -> list[Problem]:
    """Why `rel` cannot be published, as the check reports it; [] when `published_bytes` accepts it.
    A raster is also decoded whole, so a truncated or corrupt one is found before the build."""
    ext = extension(rel)
    if ext not in RASTER_TYPES and ext != SVG_TYPE:
        return []
    try:
        published_bytes(rel, data)
    except Refused as refused:
        return refused.problems
    if ext in RASTER_TYPES:
        try:
            image = _open(data)
            image.load()
        except Refused as refused:
            return refused.problems
        except Exception as exc:  # Pillow's errors for damaged data are of many kinds
            return [Problem(0, f"图片已损坏或不完整,无法显示({type(exc).__name__})。请重新导出后再提交")]
    return []


# ---------------------------------------------------------------- rasters

def _open(data: bytes):
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise Refused([Problem(0, _too_big())]) from None
        except Exception as exc:
            raise Refused([Problem(0, f"无法识别为图片,可能已损坏或扩展名不对({type(exc).__name__})")]) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise Refused([Problem(0, _too_big(width, height))])
    return image


def _too_big(width: int | None = None, height: int | None = None) -> str:
    size = f"{width}×{height} 像素" if width else "像素数"
    return f"图片{size}超过上限 {MAX_PIXELS // 1_000_000} 百万像素(可能是解压炸弹)。请缩小后再提交"


def _clean_raster(ext: str, data: bytes) -> bytes:
    image = _open(data)
    orientation = _orientation(image)
    if orientation not in (None, 1):
        data = _turn(image, ext)
    try:
        if ext in ("jpg", "jpeg"):
            return _clean_jpeg(data)
        if ext == "png":
            return _clean_png(data)
        if ext == "webp":
            return _clean_webp(data)
        return _clean_gif(data)
    except Refused:
        raise
    except (IndexError, ValueError, struct.error):  # bytes.index found no marker, a length ran past the end
        raise Refused([Problem(0, "图片的文件结构已损坏(读到了文件末尾之外)。请重新导出后再提交")]) from None


def _orientation(image) -> int | None:
    try:
        return image.getexif().get(0x0112)
    except Exception:  # an unreadable EXIF block is dropped with the rest
        return None


def _turn(image, ext: str) -> bytes:
    """The image turned as its EXIF orientation says, encoded again (then cleaned like any other)."""
    from PIL import ImageOps, JpegImagePlugin

    if getattr(image, "n_frames", 1) > 1:
        raise Refused([Problem(0, "动画图片带有旋转标记(EXIF 方向),无法按读者看到的方向发布。请导出为不带方向标记的图片")])
    try:
        turned = ImageOps.exif_transpose(image)
    except Exception as exc:
        raise Refused([Problem(0, f"图片已损坏或不完整,无法显示({type(exc).__name__})。请重新导出后再提交")]) from None
    keep = {k: image.info[k] for k in ("icc_profile", "transparency") if k in image.info}
    turned.info = {}  # nothing of the source's metadata (comments, EXIF, XMP) is written again
    out = io.BytesIO()
    if ext in ("jpg", "jpeg"):
        options = {"qtables": image.quantization} if getattr(image, "quantization", None) else {"quality": 95}
        sampling = JpegImagePlugin.get_sampling(image)
        if sampling != -1:
            options["subsampling"] = sampling
        turned.save(out, "JPEG", **options, **({"icc_profile": keep["icc_profile"]} if "icc_profile" in keep else {}))
    elif ext == "webp":
        turned.save(out, "WEBP", lossless=True, exact=True, method=4,
                    **({"icc_profile": keep["icc_profile"]} if "icc_profile" in keep else {}))
    else:
        turned.save(out, "PNG" if ext == "png" else "GIF", **keep)
    return out.getvalue()


# JPEG: the markers a decoder needs. APP0 (JFIF), APP2 only as an ICC profile (colour), APP14 Adobe
# (colour transform); APP1 (EXIF, XMP), the other APPn (IPTC, maker data, MPF) and COM are dropped.
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _clean_jpeg(data: bytes) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise Refused([Problem(0, "不是有效的 JPEG 文件(文件头不对)。请检查扩展名或重新导出")])
    out = bytearray(b"\xff\xd8")
    pos = 2
    while True:
        # between segments a marker may be preceded by fill bytes 0xFF
        if data[pos] != 0xFF:
            raise Refused([Problem(0, "JPEG 文件结构已损坏。请重新导出后再提交")])
        while data[pos] == 0xFF:
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI: whatever follows (a second image, a phone's depth map) is not the picture
            out += b"\xff\xd9"
            return bytes(out)
        if marker in _JPEG_STANDALONE:
            out += bytes((0xFF, marker))
            continue
        (length,) = struct.unpack(">H", data[pos:pos + 2])
        if length < 2 or pos + length > len(data):
            raise Refused([Problem(0, "JPEG 文件结构已损坏(段长度越界)。请重新导出后再提交")])
        segment = data[pos:pos + length]
        body = segment[2:]
        pos += length
        keep = (marker == 0xE0 and body.startswith(b"JFIF\0")) or (marker == 0xE2 and body.startswith(b"ICC_PROFILE\0")) \
            or (marker == 0xEE and body.startswith(b"Adobe")) or not (0xE0 <= marker <= 0xEF or marker == 0xFE)
        if keep:
            out += bytes((0xFF, marker)) + segment
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            end = pos
            while True:
                end = data.index(b"\xff", end)
                following = data[end + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    end += 1 if following == 0xFF else 2
                    continue
                break
            out += data[pos:end]
            pos = end


# PNG: the chunks that make or colour the picture (and animate it); text, EXIF, time and private chunks go.
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP",
             b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _clean_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise Refused([Problem(0, "不是有效的 PNG 文件(文件头不对)。请检查扩展名或重新导出")])
    out = bytearray(_PNG_SIGNATURE)
    pos = len(_PNG_SIGNATURE)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise Refused([Problem(0, "PNG 文件结构已损坏(数据块长度越界)。请重新导出后再提交")])
        if kind in _PNG_KEEP:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            break
    return bytes(out)


# WebP (RIFF): EXIF and XMP chunks go, and the flags in VP8X that announce them.
def _clean_webp(data: bytes) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise Refused([Problem(0, "不是有效的 WebP 文件(文件头不对)。请检查扩展名或重新导出")])
    chunks = bytearray()
    pos = 12
    end_of_riff = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    while pos + 8 <= end_of_riff:
        kind = data[pos:pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4:pos + 8])
        end = pos + 8 + size + (size & 1)
        if end > len(data):
            raise Refused([Problem(0, "WebP 文件结构已损坏(数据块长度越界)。请重新导出后再提交")])
        chunk = bytearray(data[pos:end])
        if kind == b"VP8X":
            chunk[8] &= ~0x0C & 0xFF  # EXIF (0x08) and XMP (0x04) flags
        if kind not in (b"EXIF", b"XMP "):
            chunks += chunk
        pos = end
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WEBP" + bytes(chunks)


# GIF: header, colour tables, graphic control and image blocks, and the looping extension; comments,
# plain text and other applications' extensions (XMP) go.
def _clean_gif(data: bytes) -> bytes:
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise Refused([Problem(0, "不是有效的 GIF 文件(文件头不对)。请检查扩展名或重新导出")])
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    out = bytearray(data[:pos])
    while True:
        block = data[pos]
        if block == 0x3B:
            out.append(0x3B)
            return bytes(out)
        if block == 0x2C:
            local = data[pos + 9]
            start = pos
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1  # + LZW minimum code size
            pos = _gif_sub_blocks(data, pos)
            out += data[start:pos]
        elif block == 0x21:
            label = data[pos + 1]
            start = pos
            keep = label == 0xF9 or (label == 0xFF and data[pos + 3:pos + 14] in (b"NETSCAPE2.0", b"ANIMEXTS1.0"))
            pos = _gif_sub_blocks(data, pos + 2)
            if keep:
                out += data[start:pos]
        else:
            raise Refused([Problem(0, "GIF 文件结构已损坏。请重新导出后再提交")])


def _gif_sub_blocks(data: bytes, pos: int) -> int:
    while True:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


# ---------------------------------------------------------------- SVG

_ACTIVE_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener", "audio", "video"}
_ANIMATIONS = {"animate", "set", "animateMotion", "animateTransform", "animateColor"}
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_RASTER_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);", re.I)


def svg_problems(data: bytes) -> list[Problem]:
    """What in an SVG could run script, act on the reader or reach another host; [] when it is inert.

    Parsed without a network, without entities and without a DTD: what the SVG may refer to is
    only itself (`#id`) and, for an image, a file beside it on the site or embedded raster data."""
    from lxml import etree

    if b"<!ENTITY" in data or b"<!entity" in data:
        return [Problem(_line_of(data, b"<!"), "SVG 中声明了实体(<!ENTITY>),不允许。请重新导出为普通 SVG")]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [Problem(exc.lineno or 0, f"SVG 不是格式正确的 XML:{exc.msg}")]
    problems: list[Problem] = []
    if etree.QName(root).localname != "svg":
        problems.append(Problem(root.sourceline or 0, f"根元素是 <{etree.QName(root).localname}>,不是 <svg>"))
    for node in root.iter():
        line = node.sourceline or 0
        if isinstance(node, etree._ProcessingInstruction):
            problems.append(Problem(line, f"SVG 中有处理指令 <?{node.target} …?>,可能引用外部样式,不允许"))
            continue
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        if name in _ACTIVE_ELEMENTS:
            problems.append(Problem(line, f"SVG 中有 <{name}> 元素,可以运行脚本或嵌入其他内容,不允许"))
            continue
        if name in _ANIMATIONS:
            target = (node.get("attributeName") or "").lower()
            if target.endswith("href") or target.startswith("on"):
                problems.append(Problem(line, f"<{name}> 修改了「{target}」属性,可以把链接变成脚本,不允许"))
        for attribute, value in node.attrib.items():
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                problems.append(Problem(line, f"<{name}> 有事件属性「{local}」(点击、加载时运行脚本),不允许"))
            elif local == "href":
                reason = _href_problem(name, value.strip())
                if reason:
                    problems.append(Problem(line, f"<{name}> 的链接「{_short(value)}」{reason}"))
            else:
                problems += [Problem(line, f"<{name}> 的属性「{local}」{r}") for r in _css_problems(value)]
        if name == "style":
            problems += [Problem(line, f"<style> {r}") for r in _css_problems(node.text or "")]
    return problems


def _href_problem(element: str, href: str) -> str | None:
    if href.startswith("#"):
        return None
    if element == "use":
        return "引用了其他文件;<use> 只能引用本文件中的元素(#编号)"
    lowered = re.sub(r"[\s\x00-\x1f]", "", href).lower()
    if _RASTER_DATA.match(lowered):
        return None
    if ":" in lowered.split("/", 1)[0] or lowered.startswith("//"):
        return "指向其他网站或是脚本、嵌入文档(javascript:、data:),不允许;请改为本站文件或删去"
    return None  # a file of the site, beside the SVG


def _css_problems(text: str) -> list[str]:
    out = []
    if "@import" in text.lower():
        out.append("用 @import 引入外部样式,不允许")
    for match in _URL.finditer(text):
        target = match.group(2).strip()
        if not target.startswith("#"):
            out.append(f"用 url({_short(target)}) 引用了外部资源;只能引用本文件中的元素(#编号)")
    return out


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def _line_of(data: bytes, needle: bytes) -> int:
    index = data.find(needle)
    return data.count(b"\n", 0, index) + 1 if index >= 0 else 0
