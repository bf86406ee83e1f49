"""Photos of reported problems: checked, located and stripped before they are stored.

Pillow reads the file to prove it is an image of an allowed type (the name and the
browser's content type prove nothing), reads the camera's GPS position, then saves a fresh
JPEG with no metadata at all: EXIF can carry the reporter's home position, the camera's
serial number and the time the photo was taken.
"""

import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
MAX_BYTES = 10 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Photos are scaled down to fit this, which also drops detail nobody needs.
MAX_SIDE = 2000
# Refuse decompression bombs well before Pillow's own limit.
MAX_PIXELS = 50_000_000


class PhotoError(ValueError):
    """The upload is not a photo that can be accepted; the message says why."""


@dataclass(frozen=True)
class ProcessedPhoto:
    content: ContentFile
    width: int
    height: int
    latitude: Decimal | None
    longitude: Decimal | None


def _degrees(value, ref) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if ref in ("S", "W", b"S", b"W"):
        result = -result
    return Decimal(str(result)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def exif_location(image: Image.Image) -> tuple[Decimal | None, Decimal | None]:
    """The (latitude, longitude) the camera recorded, or (None, None)."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # malformed EXIF must never stop a report being made
        return None, None
    if not gps:
        return None, None
    latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    longitude = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    if latitude is None or longitude is None:
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def photo_process(upload: UploadedFile) -> ProcessedPhoto:
    """Check one uploaded photo and return it re-encoded without metadata."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise PhotoError(f"“{upload.name}” is larger than 10 MB: choose a smaller photo.")
    data = upload.read()
    if len(data) > MAX_BYTES:
        raise PhotoError(f"“{upload.name}” is larger than 10 MB: choose a smaller photo.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise PhotoError(f"“{upload.name}” must be a JPG, PNG or WEBP photo.")
        if image.width * image.height > MAX_PIXELS:
            raise PhotoError(f"“{upload.name}” has too many pixels: choose a smaller photo.")
        latitude, longitude = exif_location(image)
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        # A new image written without exif= or icc_profile=: no metadata survives.
        image.save(out, format="JPEG", quality=85, optimize=True)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise PhotoError(
            f"“{upload.name}” is not a photo: choose a JPG, PNG or WEBP file."
        ) from None
    return ProcessedPhoto(
        content=ContentFile(out.getvalue(), name="photo.jpg"),
        width=image.width,
        height=image.height,
        latitude=latitude,
        longitude=longitude,
    )


def photos_from_form(form) -> list[ProcessedPhoto]:
    """Each photo a form was given (its `photo_uploads()`), processed; a file that is not
    a photo is an error on its own field."""
    photos = []
    for name, upload in form.photo_uploads():
        try:
            photos.append(photo_process(upload))
        except PhotoError as exc:
            form.add_error(name, str(exc))
    return photos
