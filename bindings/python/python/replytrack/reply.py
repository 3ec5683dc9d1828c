"""Reply extraction: the new text of a reply, without quoted history or signature.

Mirrors the Rust module ``replytrack::reply``.
"""

from replytrack._native import Reply, extract_reply, strip_html, strip_text

__all__ = ["Reply", "extract_reply", "strip_html", "strip_text"]
