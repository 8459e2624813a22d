"""Pure functions that cook a post's source (BBCode or Markdown) into safe HTML.

No ORM, no network. `cook()` parses either format into one intermediate tree (nodes.py),
renders it with one renderer (render.py) and cleans the result with one allow-list
(sanitize.py).
"""

from .cook import MAX_SOURCE_CHARS, clean_source, cook
from .datatypes import RENDER_VERSION, AttachmentRef, Cooked, Format, LinkPreview, LinkRef
from .pastes import find_pasted_paragraphs, quoted_share
from .plaintext import html_to_text
from .sanitize import sanitize_html

__all__ = [
    "MAX_SOURCE_CHARS",
    "RENDER_VERSION",
    "AttachmentRef",
    "Cooked",
    "Format",
    "LinkPreview",
    "LinkRef",
    "clean_source",
    "cook",
    "find_pasted_paragraphs",
    "html_to_text",
    "quoted_share",
    "sanitize_html",
]
