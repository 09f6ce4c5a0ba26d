"""Photo uploads: only real images within the size and pixel limits are kept; they are
re-encoded without EXIF (so without GPS position), stored under random names and served
only through the permission-checked views."""

from __future__ import annotations

import io
import os
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from assessments.records.forms import PHOTO_TOO_MANY_PIXELS_MESSAGE, PHOTO_UNREADABLE_MESSAGE
from assessments.records.models import Photo
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _jpeg(width: int = 64, height: int = 48, **save: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "orange").save(buffer, format="JPEG", **save)
    return buffer.getvalue()


def _gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Robin's phone"
    exif[ExifTags.Base.Orientation] = 6  # taken rotated: stored upright after re-encoding
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    data = _jpeg(80, 40, exif=exif)
    with Image.open(io.BytesIO(data)) as check:  # the fixture really carries GPS
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _upload(client: Any, assessment: Any, name: str, data: bytes, ctype: str = "image/jpeg"):
    return client.post(
        reverse("photo_upload", args=[assessment.pk]),
        {
            "image": SimpleUploadedFile(name, data, content_type=ctype),
            "section": "workstation",
            "caption": "Desk",
        },
    )


def _stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "photos"
    return list(root.glob("*")) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.jpg", b"These are my notes, not a photo.\n" * 20),
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("drawing.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("report.jpg", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"),
        ("truncated.jpg", _jpeg()[:200]),
        ("empty.jpg", b""),
        ("bomb.png", _png_header_only(30000, 30000)),
    ],
)
def test_files_that_are_not_readable_photos_are_refused(assessor, draft, settings, name, data):
    response = _upload(client_for(assessor), draft, name, data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "is-invalid" in text and "Photo not added" in text
    assert (
        "Upload a valid image" in text
        or str(PHOTO_UNREADABLE_MESSAGE) in text
        or "The submitted file is empty" in text
        or "too many pixels" in text
    )
    assert not Photo.objects.exists()
    assert _stored_files(settings) == []


def test_photos_over_the_size_limit_are_refused(assessor, draft, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > settings.PHOTO_MAX_BYTES
    response = _upload(client_for(assessor), draft, "big.png", buffer.getvalue(), "image/png")
    assert response.status_code == 422
    assert "the limit is 1 MB" in response.content.decode()
    assert not Photo.objects.exists()


def test_photos_with_too_many_pixels_are_refused(assessor, draft, settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    response = _upload(client_for(assessor), draft, "wide.jpg", _jpeg(200, 101))
    assert response.status_code == 422
    assert "The photo has too many pixels." in response.content.decode()
    assert not Photo.objects.exists()


def test_a_huge_photo_is_refused_for_its_pixels_with_the_limit(assessor, draft, settings):
    settings.PHOTO_MAX_PIXELS = 40_000_000
    response = _upload(
        client_for(assessor), draft, "huge.png", _png_header_only(20000, 20000), "image/png"
    )
    assert response.status_code == 422
    error = re.search(r'id="id_image_error">([^<]*)<', response.content.decode()).group(1)
    assert error == str(PHOTO_TOO_MANY_PIXELS_MESSAGE).format(limit="40")
    assert "The limit is 40 megapixels" in error and "not a photo" not in error
    assert not Photo.objects.exists()


def test_the_photo_field_says_the_limits(assessor, draft, settings):
    settings.PHOTO_MAX_BYTES = 8 * 1024 * 1024
    settings.PHOTO_MAX_PIXELS = 24_000_000
    html = client_for(assessor).get(reverse("assessment_detail", args=[draft.pk])).text
    help_text = '<div class="form-text" id="id_image_help">A photo of up to 8 MB and 24 megapixels.'
    assert help_text in html
    assert 'aria-describedby="id_image_help"' in html


def test_the_evidence_photo_field_says_the_limits(assessor, completed, settings):
    settings.PHOTO_MAX_PIXELS = 24_000_000
    action = completed.actions.order_by("pk").first()
    html = client_for(assessor).get(reverse("action_complete", args=[action.pk])).text
    assert "A photo of up to 10 MB and 24 megapixels." in html


def test_exif_and_gps_are_stripped_and_the_photo_stored_upright(assessor, draft, settings):
    response = _upload(client_for(assessor), draft, "robin-at-home.jpg", _gps_jpeg())
    assert response.status_code == 302
    photo = Photo.objects.get()
    raw = Path(photo.image.path).read_bytes()
    assert b"Exif" not in raw and b"PhoneMaker" not in raw and b"Robin" not in raw
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert stored.size == (40, 80)  # orientation 6 applied, then dropped
    assert (photo.width, photo.height) == (40, 80)


def test_photos_are_stored_under_random_names(assessor, draft):
    client = client_for(assessor)
    _upload(client, draft, "robin-patel-desk.jpg", _jpeg())
    _upload(client, draft, "robin-patel-desk.jpg", _jpeg())
    names = [p.image.name for p in Photo.objects.all()]
    assert len(set(names)) == 2
    for name in names:
        assert re.fullmatch(r"photos/[0-9a-f]{32}\.jpg", name), name
        assert "robin" not in name


def test_photos_are_served_only_through_the_permission_check(
    assessor, manager, other_manager, draft, settings
):
    _upload(client_for(assessor), draft, "desk.jpg", _jpeg())
    photo = Photo.objects.get()
    direct = settings.MEDIA_URL + photo.image.name
    assert client_for(assessor).get(direct).status_code == 404
    assert client_for(assessor).get("/media/" + photo.image.name).status_code == 404
    served = client_for(assessor).get(reverse("photo_file", args=[photo.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["Cache-Control"].startswith("private")
    assert served["X-Content-Type-Options"] == "nosniff"
    anonymous = client_for(None).get(reverse("photo_file", args=[photo.pk]))
    assert anonymous.status_code == 302
    # A draft's photos are not a manager's to see, in or out of their department.
    assert client_for(manager).get(reverse("photo_file", args=[photo.pk])).status_code == 404
    assert client_for(other_manager).get(reverse("photo_thumb", args=[photo.pk])).status_code == 404
