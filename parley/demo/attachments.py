"""Demo uploads: avatars for a few members (the rest show the generated initials) and a
reply carrying a pasted chart placed inline and a plain-text file listed under it. Written
through the attachments services, as a member's uploads would be."""

from __future__ import annotations

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from parley.attachments import services as attachments
from parley.forums import services
from parley.forums.models import State, Thread
from parley.members.models import Member

AVATARS = {"meridian_k": (31, 111, 139), "ironvale": (120, 72, 40), "sahel_watch": (46, 125, 50)}


def _portrait(colour: tuple[int, int, int]) -> bytes:
    """A head and shoulders on a plain background, 400 x 300 (cropped square on upload)."""
    image = Image.new("RGB", (400, 300), (235, 232, 225))
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 50, 250, 150), fill=(224, 186, 150))
    draw.rounded_rectangle((110, 160, 290, 300), radius=50, fill=colour)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _chart() -> bytes:
    """River level by month: a bar chart as a member would paste from a spreadsheet."""
    image = Image.new("RGB", (640, 360), "white")
    draw = ImageDraw.Draw(image)
    levels = [62, 58, 51, 40, 31, 22, 18, 20, 27, 35, 44, 52]
    for month, level in enumerate(levels):
        x = 40 + month * 48
        draw.rectangle((x, 320 - level * 4, x + 32, 320), fill=(31, 111, 139))
    draw.line((30, 320, 620, 320), fill="black", width=2)
    draw.text((40, 20), "River level at the gauge, % of capacity", fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def add_demo_uploads() -> None:
    members = {m.username: m for m in Member.objects.filter(username__in=[*AVATARS, "sahel_watch"])}
    for username, colour in AVATARS.items():
        if username in members:
            picture = SimpleUploadedFile(f"{username}.jpg", _portrait(colour))
            attachments.set_avatar(member=members[username], upload=picture)
    author = members.get("sahel_watch")
    thread = (
        Thread.objects.filter(state=State.VISIBLE, is_locked=False, title__icontains="water")
        .order_by("pk")
        .first()
        or Thread.objects.filter(state=State.VISIBLE, is_locked=False).order_by("pk").first()
    )
    if author is None or thread is None:
        return
    key = uuid.uuid4().hex
    chart = attachments.upload_attachment(
        member=author, upload=SimpleUploadedFile("river-levels.png", _chart()), form_key=key
    )
    attachments.upload_attachment(
        member=author,
        upload=SimpleUploadedFile(
            "gauge-readings.txt",
            b"Month,Level (% of capacity)\nJan,62\nFeb,58\nMar,51\nApr,40\nMay,31\nJun,22\n",
        ),
        form_key=key,
    )
    services.reply_to_thread(
        author=author,
        thread=thread,
        source=(
            "I plotted the gauge readings the ministry publishes. The summer low is lower "
            f"every year:\n\n[attach={chart.pk}]\n\nThe raw numbers are attached."
        ),
        fmt="bbcode",
        idempotency_key=key,
    )
