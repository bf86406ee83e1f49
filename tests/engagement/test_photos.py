import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from engagement.photos import PhotoError, photo_process


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (54.0, 31.0, 25.0), 3: "W", 4: (1.0, 33.0, 34.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_process_reads_the_location_then_strips_all_metadata():
    # when
    photo = photo_process(SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg"))
    # then
    assert float(photo.latitude) == pytest.approx(54.523611, abs=1e-5)
    assert float(photo.longitude) == pytest.approx(-1.559444, abs=1e-5)
    stored = Image.open(io.BytesIO(photo.content.read()))
    assert dict(stored.getexif()) == {}
    assert (photo.width, photo.height) == (40, 30)


def test_photo_process_refuses_a_file_that_is_not_an_image():
    with pytest.raises(PhotoError, match="not a photo"):
        photo_process(SimpleUploadedFile("p.jpg", b"%PDF-1.4 not an image", "image/jpeg"))


def test_photo_process_refuses_a_type_that_is_not_allowed():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, format="GIF")
    with pytest.raises(PhotoError, match="JPG, PNG or WEBP"):
        photo_process(SimpleUploadedFile("p.gif", out.getvalue(), "image/gif"))


def test_photo_process_refuses_a_file_over_10_mb():
    big = SimpleUploadedFile("p.jpg", b"0" * (10 * 1024 * 1024 + 1), "image/jpeg")
    with pytest.raises(PhotoError, match="10 MB"):
        photo_process(big)
