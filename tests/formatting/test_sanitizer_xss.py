"""XSS attempts against both formats and against the sanitizer itself."""

from __future__ import annotations

import pytest

from parley.formatting import LinkPreview, cook, sanitize_html

from .htmlcheck import assert_safe, parse

JS_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript&#58;alert(1)",
    "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "java%0ascript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "file:///etc/passwd",
    "//evil.example/x",
    "/\\evil.example/x",
]

COMMON = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<iframe src='https://evil.example'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<style>body{display:none}</style>",
    "<form action='https://evil.example'><input name=x></form>",
    "<a href='javascript:alert(1)'>x</a>",
    "<div style='background:url(javascript:alert(1))'>x</div>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "<!-- <script>alert(1)</script> -->",
    "<<script>script>alert(1)<</script>/script>",
    '"><script>alert(1)</script>',
    "'';!--\"<XSS>=&{()}",
    "<base href='https://evil.example/'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "@bob<script>alert(1)</script>",
]

BBCODE = [
    *(f"[url={u}]x[/url]" for u in JS_URLS),
    *(f'[url="{u}"]x[/url]' for u in JS_URLS),
    *(f"[url]{u}[/url]" for u in JS_URLS),
    *(f"[img]{u}[/img]" for u in JS_URLS),
    *(f'[img caption="c"]{u}[/img]' for u in JS_URLS),
    *(f"[quote url={u} source=s]x[/quote]" for u in JS_URLS),
    "[color=red;background:url(javascript:alert(1))]x[/color]",
    "[color=red]x[/color][color=expression(alert(1))]y[/color]",
    '[color=#fff" onmouseover="alert(1)]x[/color]',
    "[size=999999]x[/size]",
    "[size=10;position:fixed]x[/size]",
    '[url=" onmouseover="alert(1)"]x[/url]',
    '[url=https://example.com" onmouseover="alert(1)]x[/url]',
    "[url=https://example.com/<script>]x[/url]",
    "[url=https://example.com/' onmouseover='alert(1)]x[/url]",
    '[img]https://example.com/a.png" onerror="alert(1)[/img]',
    '[img alt="x\\" onerror=alert(1)"]https://example.com/a.png[/img]',
    '[img caption="<script>alert(1)</script>" credit="<img src=x onerror=alert(1)>"]'
    "https://example.com/a.png[/img]",
    '[quote="<script>alert(1)</script>" post=1]x[/quote]',
    "[quote=\"a' onmouseover='alert(1)\" post=1]x[/quote]",
    '[quote="a&quot; onmouseover=&quot;alert(1)"]x[/quote]',
    '[quote source="<b onclick=alert(1)>x</b>" author="<svg onload=alert(1)>" '
    'date="<script>"]x[/quote]',
    "[spoiler=<img src=x onerror=alert(1)>]x[/spoiler]",
    "[code]<script>alert(1)</script>[/code]",
    '[list=1" onclick="alert(1)][*]x[/list]',
    "[url=https://a.example][url=javascript:alert(1)]x[/url][/url]",
    "[b][i][u]<svg onload=alert(1)>[/b][/i][/u]",
    "[url=mailto:a@b.example?subject=<script>]x[/url]",
]

MARKDOWN = [
    *(f"[x]({u})" for u in JS_URLS),
    *(f"[x](<{u}>)" for u in JS_URLS),
    *(f"![x]({u})" for u in JS_URLS),
    *(f"<{u}>" for u in JS_URLS),
    *(f"[x][r]\n\n[r]: {u}" for u in JS_URLS),
    *(f"[quote url={u} source=s]\nx\n[/quote]" for u in JS_URLS),
    *(f'[img caption="c"]{u}[/img]' for u in JS_URLS),
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](data:image/gif;base64,R0lGODlhAQABAAAAACw=)",
    '[x](javascript:alert(1) "title")',
    '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    "<javascript:alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "| <script>alert(1)</script> | b |\n|---|---|\n| <img src=x onerror=alert(1)> | 2 |",
    '[quote="<script>alert(1)</script>" post=1]\nx\n[/quote]',
    "[quote=\"a' onmouseover='alert(1)\" post=1]\nx\n[/quote]",
    '[img alt="x\\" onerror=alert(1)"]https://example.com/a.png[/img]',
    "**<svg onload=alert(1)>**",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
    "[x](&#x6A;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
]


@pytest.mark.parametrize("src", COMMON + BBCODE)
def test_bbcode_payloads_are_harmless(src: str) -> None:
    assert_safe(cook(src, "bbcode").html)


@pytest.mark.parametrize("src", COMMON + MARKDOWN)
def test_markdown_payloads_are_harmless(src: str) -> None:
    assert_safe(cook(src, "markdown").html)


@pytest.mark.parametrize("url", JS_URLS)
@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_dangerous_urls_never_become_links(url: str, fmt: str) -> None:
    src = f"[url={url}]x[/url]" if fmt == "bbcode" else f"[x]({url})"
    c = cook(src, fmt)
    for a in parse(c.html).tags("a"):
        href = a.attrs.get("href", "")
        # at most a harmless same-origin path (Markdown percent-encodes "/\\" to "/%5C")
        assert href == "" or (href.startswith("/%5C") and url.startswith("/\\")), c.html
    assert c.links == ()


@pytest.mark.parametrize(
    "html",
    [
        *COMMON,
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="  JAVASCRIPT:alert(1)">x</a>',
        '<img src="/static/x.png"><img src="data:image/png;base64,AA"><img src="//x.example/a">',
        '<span style="color:red;background:url(x)">x</span>',
        '<span style="font-size:9999px">x</span>',
        '<span style="position:fixed;top:0">x</span>',
        '<a href="https://example.com" class="mention evil" id="x" target="_blank">x</a>',
        '<div class="link-card" data-x="1" onclick="alert(1)">x</div>',
        '<time datetime="javascript:alert(1)">x</time>',
        '<ol start="1;alert(1)"><li>x</li></ol>',
        '<img src="https://example.com/a.png" loading="eager" onload="alert(1)">',
    ],
)
def test_sanitizer_alone_holds(html: str) -> None:
    out = sanitize_html(html)
    parsed = assert_safe(out)
    for el in parsed.elements:
        assert "id" not in el.attrs and "target" not in el.attrs and "data-x" not in el.attrs
        if el.tag == "time":
            assert "datetime" not in el.attrs
        if el.tag == "ol":
            assert "start" not in el.attrs
        if el.tag == "img":
            assert el.attrs.get("loading", "lazy") == "lazy"
    for cls in ("evil",):
        assert cls not in out


def test_sanitizer_keeps_what_we_emit() -> None:
    html = (
        '<blockquote class="quote article-quote"><div class="quote-body"><p>x</p></div>'
        '<footer>— <cite><a href="https://e.example/a">E</a></cite>, '
        '<time datetime="2026-11-20">20 Nov 2026</time></footer></blockquote>'
        '<p><span style="color: red">r</span> <a class="mention" href="/members/bob/">@bob</a>'
        ' <img src="/media/a.png" alt="a" loading="lazy"></p><ol start="3"><li>x</li></ol>'
    )
    out = sanitize_html(html)
    p = parse(out)
    assert p.with_class("article-quote")
    assert p.with_class("mention")[0].attrs["href"] == "/members/bob/"
    assert p.tags("time")[0].attrs["datetime"] == "2026-11-20"
    assert p.tags("span")[0].attrs["style"].replace(" ", "") == "color:red"
    assert p.tags("img")[0].attrs == {"src": "/media/a.png", "alt": "a", "loading": "lazy"}
    assert p.tags("ol")[0].attrs["start"] == "3"


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>\"'&"


@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_hostile_preview_fields_are_escaped(fmt: str) -> None:
    url = "https://news.example/a"
    preview = LinkPreview(
        url=url,
        title=HOSTILE,
        site_name=HOSTILE,
        section=HOSTILE,
        description=HOSTILE,
        image_url="javascript:alert(1)",
        image_caption=HOSTILE,
        image_credit=HOSTILE,
        author=HOSTILE,
        published=HOSTILE,
        canonical_url="javascript:alert(1)",
    )
    for src in (url, f"see {url} here"):
        html = cook(src, fmt, previews={url: preview}).html
        parsed = assert_safe(html)
        assert not parsed.tags("img")
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_hostile_mention_resolver_urls_are_rejected(fmt: str) -> None:
    c = cook(
        "@bob @eve",
        fmt,
        resolve_mentions=lambda names: {"bob": "javascript:alert(1)", "eve": "/members/eve/"},
    )
    assert_safe(c.html)
    assert c.mentions == ("eve",)


def test_hostile_post_url_is_rejected() -> None:
    c = cook('[quote="a" post=1]x[/quote]', "bbcode", post_url=lambda pid: "javascript:alert(1)")
    assert_safe(c.html)
    assert c.quoted_post_ids == (1,)
