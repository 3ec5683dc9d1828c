//! The line model extraction works on: each line's text as shown, its text without quote
//! markers, its quote depth, and the HTML quote container that starts at it.

use std::borrow::Cow;

use crate::html::{HtmlLine, QuoteContainer, push_prefixed};

/// Deepest quote nesting counted from `>` markers; deeper markers are read as text.
const MAX_MARKER_DEPTH: usize = 1024;

/// One line of a body.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// The line as the reader sees it (with its `>` markers), without trailing whitespace.
    pub raw: Cow<'a, str>,
    /// The line without quote markers and without surrounding whitespace.
    pub content: &'a str,
    /// Quote depth: the number of `>` markers (text) or enclosing blockquotes (HTML).
    pub depth: usize,
    /// The HTML quote container that starts here, if any.
    pub container: Option<QuoteContainer>,
}

impl Line<'_> {
    /// Whether the line has no text.
    pub(crate) fn is_blank(&self) -> bool {
        self.content.is_empty()
    }

    /// Whether the line is part of a quote.
    pub(crate) fn is_quoted(&self) -> bool {
        self.depth > 0
    }
}

/// Normalise line endings: CRLF and lone CR become LF.
pub(crate) fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Split a `>`-quoted line into its depth and content: `> > text` and `>> text` are depth 2.
pub(crate) fn split_quote(line: &str) -> (usize, &str) {
    let mut depth = 0;
    let mut rest = line.trim_start_matches([' ', '\t']);
    while depth < MAX_MARKER_DEPTH {
        let Some(after) = rest.strip_prefix('>') else {
            break;
        };
        depth += 1;
        rest = after;
        // One space may follow each marker; more spaces before another marker are tolerated.
        let trimmed = rest.trim_start_matches(' ');
        if trimmed.starts_with('>') || depth == MAX_MARKER_DEPTH {
            rest = trimmed;
        } else {
            rest = rest.strip_prefix(' ').unwrap_or(rest);
        }
    }
    (depth, rest.trim())
}

/// Lines of a plain-text body (already newline-normalised).
pub(crate) fn from_text(text: &str) -> Vec<Line<'_>> {
    text.split('\n')
        .map(|raw| {
            let raw = raw.trim_end();
            let (depth, content) = split_quote(raw);
            Line {
                raw: Cow::Borrowed(raw),
                content,
                depth,
                container: None,
            }
        })
        .collect()
}

/// Lines of an HTML body, from its structured rendering.
pub(crate) fn from_html(lines: &[HtmlLine]) -> Vec<Line<'_>> {
    lines
        .iter()
        .map(|l| {
            let raw = if l.depth == 0 {
                Cow::Borrowed(l.text.as_str())
            } else {
                let mut s = String::with_capacity(l.text.len() + 2 * l.depth.min(64));
                push_prefixed(&mut s, l.depth, &l.text);
                Cow::Owned(s)
            };
            Line {
                raw,
                content: l.text.trim(),
                depth: l.depth,
                container: l.container,
            }
        })
        .collect()
}

/// Join lines as text: one per line, the whole trimmed of blank lines and whitespace at both ends.
pub(crate) fn join<'a, 'b: 'a>(lines: impl IntoIterator<Item = &'a Line<'b>>) -> String {
    let mut out = String::new();
    for line in lines {
        if !out.is_empty() || !line.raw.trim().is_empty() {
            if out.is_empty() {
                out.push_str(line.raw.trim_start());
            } else {
                out.push('\n');
                out.push_str(&line.raw);
            }
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_markers_give_the_depth() {
        assert_eq!(split_quote("> a"), (1, "a"));
        assert_eq!(split_quote(">> a"), (2, "a"));
        assert_eq!(split_quote("> > a"), (2, "a"));
        assert_eq!(split_quote(">"), (1, ""));
        assert_eq!(split_quote("a > b"), (0, "a > b"));
    }

    #[test]
    fn very_deep_markers_stop_counting_without_failing() {
        let line = ">".repeat(10_000) + " x";
        let (depth, content) = split_quote(&line);
        assert_eq!(depth, MAX_MARKER_DEPTH);
        assert!(content.ends_with('x'));
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
    }
}
