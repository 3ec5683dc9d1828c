//! HTML → plain text as a reader sees it. (Stub: replaced by the reply-extraction work.)

/// Convert HTML to text: block elements and `<br>` start lines, blockquotes become `> ` lines,
/// entities are decoded, whitespace collapses as a browser shows it.
pub fn html_to_text(html: &str) -> String {
    html.to_string()
}
