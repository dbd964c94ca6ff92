"""Images and documents for a page, checked before they are kept.

An image must be what it claims to be: Pillow must read it as a JPEG, PNG, WebP or GIF whose
format matches its name's ending, no larger than `HEMMA_INFO_MAX_IMAGE_BYTES` nor (as
pixels) a decompression bomb. It is then turned upright by its orientation tag, scaled down
to `HEMMA_INFO_IMAGE_PIXELS` on its longer side, and written anew without any metadata (no
camera, place or time of the photo is kept). A document must be a PDF (its first bytes say so),
no larger than `HEMMA_INFO_MAX_DOCUMENT_BYTES`. Anything else is refused with a translated
error that names the file; nothing is stored.
"""

import io
import os
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from hemma.audit.services import audit_record
from hemma.information.models import Page, Upload, new_key

# Pillow's format → (the endings a file of it may have, the format written, its type, ending).
_IMAGES: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "JPEG": ((".jpg", ".jpeg"), "JPEG", "image/jpeg", "jpg"),
    "PNG": ((".png",), "PNG", "image/png", "png"),
    "WEBP": ((".webp",), "WEBP", "image/webp", "webp"),
    # A GIF is written as a PNG: one frame, no palette tricks, no metadata.
    "GIF": ((".gif",), "PNG", "image/png", "png"),
}
# The most pixels an image may have before it is read (a "decompression bomb" is refused).
MAX_PIXELS = 60_000_000


def _clean_name(name: str, fallback: str) -> str:
    """A file name safe to send back in a download: its last part, letters, digits, dots,
    dashes and underscores only."""
    ascii_name = (
        unicodedata.normalize("NFKD", os.path.basename(name or ""))
        .encode("ascii", "ignore")
        .decode()
    )
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip(".-")
    return cleaned[:120] or fallback


def _refuse(name: str, message: str) -> ValidationError:
    return ValidationError(
        _("%(file)s: %(problem)s")
        % {"file": os.path.basename(name or "") or "?", "problem": message},
        code="upload",
    )


def image_read(file) -> tuple[bytes, str, str, int, int]:
    """The image in `file` checked, upright, scaled and without metadata: (bytes, Pillow's
    format written, content type, width, height). Raises ValidationError."""
    name = getattr(file, "name", "") or ""
    size = getattr(file, "size", None)
    limit = settings.HEMMA_INFO_MAX_IMAGE_BYTES
    if size is not None and size > limit:
        raise _refuse(name, _("the image is larger than %(size)s MB.") % {"size": limit // 2**20})
    data = file.read(limit + 1)
    if len(data) > limit:
        raise _refuse(name, _("the image is larger than %(size)s MB.") % {"size": limit // 2**20})
    ending = os.path.splitext(name)[1].lower()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            found = probe.format or ""
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(name, _("the image has too many pixels."))
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(
            name, _("this is not an image Hemma can read (JPEG, PNG, WebP or GIF).")
        ) from None
    if found not in _IMAGES:
        raise _refuse(name, _("images must be JPEG, PNG, WebP or GIF."))
    endings, written, content_type, _ending = _IMAGES[found]
    if ending not in endings:
        raise _refuse(
            name,
            _("the file is named as another kind of file than it is (it is a %(format)s image).")
            % {"format": found},
        )
    with Image.open(io.BytesIO(data)) as opened:
        image: Image.Image = ImageOps.exif_transpose(opened) or opened
        if written == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif written != "JPEG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        pixels = settings.HEMMA_INFO_IMAGE_PIXELS
        image.thumbnail((pixels, pixels))
        out = io.BytesIO()
        # Written anew, only the pixels: no EXIF, XMP, ICC or text chunks.
        options = {"quality": 85, "optimize": True} if written in ("JPEG", "WEBP") else {}
        image.save(out, format=written, **options)
        return out.getvalue(), written, content_type, image.width, image.height


def document_read(file) -> bytes:
    """The PDF in `file`, checked. Raises ValidationError."""
    name = getattr(file, "name", "") or ""
    limit = settings.HEMMA_INFO_MAX_DOCUMENT_BYTES
    data = file.read(limit + 1)
    if len(data) > limit:
        raise _refuse(name, _("the file is larger than %(size)s MB.") % {"size": limit // 2**20})
    if not data.startswith(b"%PDF-") or os.path.splitext(name)[1].lower() != ".pdf":
        raise _refuse(name, _("documents must be PDF files."))
    return data


@transaction.atomic
def image_store(*, actor, page: Page, file) -> Upload:
    """Keep an image for `page` (checked, upright, scaled, without metadata)."""
    data, written, content_type, width, height = image_read(file)
    ending = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[written]
    key = new_key()
    stem = os.path.splitext(_clean_name(getattr(file, "name", ""), "image"))[0]
    upload = Upload(
        page=page,
        key=key,
        kind=Upload.Kind.IMAGE,
        name=f"{stem}.{ending}",
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    upload.file.save(f"{key}.{ending}", ContentFile(data), save=False)
    upload.save()
    audit_record(actor=actor, verb="create", target=upload, changes={"name": (None, upload.name)})
    return upload


@transaction.atomic
def document_store(*, actor, page: Page, file) -> Upload:
    """Keep a PDF for `page`."""
    data = document_read(file)
    key = new_key()
    upload = Upload(
        page=page,
        key=key,
        kind=Upload.Kind.DOCUMENT,
        name=_clean_name(getattr(file, "name", ""), "document.pdf"),
        content_type="application/pdf",
        size=len(data),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    upload.file.save(f"{key}.pdf", ContentFile(data), save=False)
    upload.save()
    audit_record(actor=actor, verb="create", target=upload, changes={"name": (None, upload.name)})
    return upload
