"""Decode, check and re-encode an uploaded image (CPU-bound: call off the event loop).

Only JPEG, PNG and WebP are accepted, decided by decoding the bytes, never by a
file name or a Content-Type. The image is re-encoded from its pixels, so
metadata (EXIF with GPS, comments, ICC, XMP) and anything appended to the file
(an HTML or zip payload of a polyglot) is dropped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from contract.vocabulary import IMAGE_TYPES
from support.coded_errors import StatusError

# Pillow's format name → the content type, for the types the contract accepts
FORMATS = {content_type.split("/")[1].upper(): content_type for content_type in IMAGE_TYPES}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMBNAIL_SIZE = (320, 320)
THUMBNAIL_CONTENT_TYPE = "image/webp"


class ImageRejected(StatusError):
    """The bytes are not an acceptable image; ``code`` and ``status`` describe why."""


@dataclass(frozen=True)
class ProcessedImage:
    """A clean re-encoded image and its thumbnail."""

    content_type: str
    width: int
    height: int
    data: bytes
    thumbnail: bytes


def configure_pillow() -> None:
    """Make Pillow refuse decompression bombs above :data:`MAX_PIXELS`."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=list(FORMATS))


def _decode(data: bytes) -> Image.Image:
    """Verify the file, then decode it fully from a fresh parse."""
    with _open(data) as probe:
        if probe.width * probe.height > MAX_PIXELS:
            raise Image.DecompressionBombError("too many pixels")
        probe.verify()
    image = _open(data)
    if image.width * image.height > MAX_PIXELS:
        raise Image.DecompressionBombError("too many pixels")
    image.load()
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=88, optimize=False)
    elif fmt == "PNG":
        image.save(out, "PNG")
    else:
        image.save(out, "WEBP", quality=85)
    return out.getvalue()


def _clean_pixels(image: Image.Image, fmt: str) -> Image.Image:
    """The pixels only, upright (EXIF orientation applied), in a mode ``fmt`` can store."""
    upright = ImageOps.exif_transpose(image) or image
    if fmt == "JPEG":
        mode = "L" if upright.mode in ("L", "1") else "RGB"
    elif upright.mode in ("1", "L", "LA", "P", "RGB", "RGBA") and fmt == "PNG":
        mode = upright.mode
    else:
        mode = "RGBA" if "A" in upright.getbands() or "transparency" in upright.info else "RGB"
    clean = upright.convert(mode) if upright.mode != mode else upright.copy()
    transparency = upright.info.get("transparency") if mode == upright.mode else None
    clean.info = {} if transparency is None else {"transparency": transparency}
    return clean


def process_image(data: bytes) -> ProcessedImage:
    """Check ``data`` by decoding it and re-encode it without metadata.

    Raises:
        ImageRejected: 413 when larger than 10 MB or a decompression bomb,
            415 when not JPEG/PNG/WebP, 422 when corrupt or truncated.
    """
    if len(data) > MAX_BYTES:
        raise ImageRejected(413, "file_too_large", "Images may be at most 10 MB.")
    if not data:
        raise ImageRejected(422, "empty_file", "The file is empty.")
    configure_pillow()
    try:
        image = _decode(data)
        fmt = image.format
        with image:
            clean = _clean_pixels(image, fmt)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(413, "image_too_large", f"Images may have at most {MAX_PIXELS} pixels.") from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected(415, "unsupported_image", "Only JPEG, PNG and WebP images are accepted.") from exc
    except Exception as exc:  # decoders raise many kinds of errors on hostile input
        raise ImageRejected(422, "corrupt_image", "The image could not be decoded.") from exc
    with clean:
        thumb = clean.copy()
        thumb.thumbnail(THUMBNAIL_SIZE)
        if thumb.mode not in ("RGB", "RGBA"):
            thumb = thumb.convert("RGBA" if "A" in thumb.getbands() else "RGB")
        out = io.BytesIO()
        thumb.save(out, "WEBP", quality=80)
        return ProcessedImage(
            content_type=FORMATS[fmt],
            width=clean.width,
            height=clean.height,
            data=_encode(clean, fmt),
            thumbnail=out.getvalue(),
        )
