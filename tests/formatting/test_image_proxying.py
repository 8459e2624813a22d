"""cook(proxy_images=True): remote images are never hot-linked. Pure, no database."""

from __future__ import annotations

from parley.formatting import cook

REMOTE = "https://photos.test/ship.jpg"
LOCAL = "/media/proxied/ab/abcdef.webp"


def test_remote_image_without_a_copy_is_a_link_labelled_with_its_alt_text() -> None:
    cooked = cook(f"![A ship at anchor]({REMOTE})", "markdown", proxy_images=True)
    assert '<a class="image-link" href="https://photos.test/ship.jpg"' in cooked.html
    assert ">A ship at anchor</a>" in cooked.html
    assert "<img" not in cooked.html
    assert cooked.images == (REMOTE,)


def test_remote_image_without_alt_text_is_labelled_with_its_url() -> None:
    cooked = cook(f"[img]{REMOTE}[/img]", "bbcode", proxy_images=True)
    assert f">{REMOTE}</a>" in cooked.html and "<img" not in cooked.html


def test_remote_image_with_a_copy_shows_the_copy() -> None:
    cooked = cook(f"[img]{REMOTE}[/img]", "bbcode", proxy_images=True, images={REMOTE: LOCAL})
    assert f'<img src="{LOCAL}"' in cooked.html and "photos.test" not in cooked.html


def test_figure_keeps_caption_and_credit_while_the_image_is_a_link() -> None:
    source = f'[img caption="Dawn" credit="Photo: R. Vale"]{REMOTE}[/img]'
    cooked = cook(source, "bbcode", proxy_images=True)
    assert '<figure><a class="image-link"' in cooked.html
    assert "<figcaption>Dawn" in cooked.html and "Photo: R. Vale" in cooked.html


def test_each_remote_image_is_listed_once_in_order() -> None:
    other = "https://photos.test/port.png"
    cooked = cook(
        f"[img]{REMOTE}[/img] [img]{other}[/img] [img]{REMOTE}[/img]", "bbcode", proxy_images=True
    )
    assert cooked.images == (REMOTE, other)


def test_image_inside_a_link_becomes_text_not_a_nested_link() -> None:
    cooked = cook(f"[![Ship]({REMOTE})](https://news.test/a)", "markdown", proxy_images=True)
    assert cooked.html.count("<a ") == 1 and ">Ship</a>" in cooked.html


def test_local_images_are_left_alone() -> None:
    cooked = cook("[img]/media/demo/photo.webp[/img]", "bbcode", proxy_images=True)
    assert '<img src="/media/demo/photo.webp"' in cooked.html and cooked.images == ()


def test_without_proxying_remote_images_are_unchanged() -> None:
    cooked = cook(f"[img]{REMOTE}[/img]", "bbcode")
    assert f'<img src="{REMOTE}"' in cooked.html and cooked.images == ()
