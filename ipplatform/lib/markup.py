"""Safe markup: Markdown rendered on the server and sanitised with nh3 (no scripts, styles, event handlers or
javascript: links), so editors work offline with a plain textarea."""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "hr",
}
MAX_SOURCE = 200_000


def render(text: str) -> str:
    """HTML for a Markdown source (the first 200,000 characters), safe to insert into a page."""
    html = markdown.markdown((text or "")[:MAX_SOURCE], extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plain(text: str, limit: int = 120) -> str:
    """Plain text of a Markdown source, shortened to `limit` characters (summaries, RSS descriptions)."""
    stripped = nh3.clean(markdown.markdown((text or "")[:MAX_SOURCE]), tags=set())
    stripped = " ".join(stripped.split())
    return stripped[:limit] + ("…" if len(stripped) > limit else "")
