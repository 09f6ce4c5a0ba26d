"""Storing and serving workstation and task photos.

Uploads are re-encoded with Pillow, which drops EXIF (including GPS position) and any
trailing payload, and are stored under random names outside the static and public
paths. They are served only through a permission-checked view.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from assessments.records.models import Assessment, Photo

MAX_SIDE = 2400
THUMB_SIDE = 320
#: Image formats accepted from cameras and phones; anything else Pillow can read is refused.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")  # JPEG covers MPO
Image.init()  # register every format plugin, so `formats=PHOTO_FORMATS` can name them


class UnreadablePhoto(ValueError):
    """The upload looked like an image but could not be decoded in full."""


def _reencode(upload: Any, max_side: int) -> bytes:
    upload.seek(0)
    with Image.open(upload, formats=PHOTO_FORMATS) as original:
        image = ImageOps.exif_transpose(original)
        image = image.convert("RGB")
        image.thumbnail((max_side, max_side))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_store(
    *,
    assessment: Assessment,
    upload: Any,
    section: str,
    caption: str,
    user: Any,
    action: Any = None,
) -> Photo:
    photo = Photo(
        assessment=assessment, section=section, caption=caption, uploaded_by=user, action=action
    )
    try:
        data = _reencode(upload, MAX_SIDE)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UnreadablePhoto(str(exc)) from exc
    photo.image.save("photo.jpg", ContentFile(data), save=False)
    photo.full_clean()
    photo.save()
    return photo


def thumbnail_bytes(photo: Photo) -> bytes:
    with photo.image.open("rb") as handle:
        return _reencode(handle, THUMB_SIDE)
