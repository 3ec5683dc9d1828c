//! `format=flowed` (RFC 3676): soft line breaks undone, hard breaks kept.

/// One output line being assembled from flowed pieces.
struct Open {
    depth: usize,
    text: String,
}

fn emit(out: &mut String, depth: usize, text: &str) {
    for _ in 0..depth {
        out.push('>');
    }
    if depth > 0 && !text.is_empty() {
        out.push(' ');
    }
    out.push_str(text);
    out.push('\n');
}

/// Undo `format=flowed`.
///
/// A line ending in a space continues on the next line of the same quote depth (with `DelSp=yes`
/// that space is removed, as it was added by the sender); the leading stuffing space is removed;
/// the signature separator `-- ` never flows. Quoted lines come out as `>` marks, one space, text.
/// Runs in one pass over the lines.
pub(crate) fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<Open> = None;
    for line in text.lines() {
        let depth = line.bytes().take_while(|&b| b == b'>').count();
        let content = line.get(depth..).unwrap_or_default();
        let content = content.strip_prefix(' ').unwrap_or(content);
        let flowed = content.ends_with(' ') && content != "-- ";
        let piece = if flowed && delsp {
            content.strip_suffix(' ').unwrap_or(content)
        } else {
            content
        };
        let mut current = match open.take() {
            Some(prev) if prev.depth == depth => prev,
            Some(prev) => {
                // A flowed line followed by another quote depth ends there (RFC 3676 §4.5).
                emit(&mut out, prev.depth, &prev.text);
                Open {
                    depth,
                    text: String::new(),
                }
            }
            None => Open {
                depth,
                text: String::new(),
            },
        };
        current.text.push_str(piece);
        if flowed {
            open = Some(current);
        } else {
            emit(&mut out, current.depth, &current.text);
        }
    }
    if let Some(last) = open {
        emit(&mut out, last.depth, &last.text);
    }
    if !text.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_breaks_are_joined_and_hard_breaks_kept() {
        let text = "This is a long \r\nparagraph that \r\nflows.\r\nNew line.\r\n";
        assert_eq!(
            unflow(text, false),
            "This is a long paragraph that flows.\nNew line.\n"
        );
    }

    #[test]
    fn delsp_removes_the_space_before_a_soft_break() {
        assert_eq!(unflow("日本語の \n文章です。", true), "日本語の文章です。");
        assert_eq!(unflow("split wo \nrd", false), "split wo rd");
    }

    #[test]
    fn space_stuffing_is_removed() {
        assert_eq!(
            unflow(" From here\n >not a quote\n", false),
            "From here\n>not a quote\n"
        );
    }

    #[test]
    fn quoted_paragraphs_flow_within_their_depth() {
        let text = ">> deep \n>> quote\n> shallow \n>\nreply";
        assert_eq!(unflow(text, false), ">> deep quote\n> shallow \nreply");
    }

    #[test]
    fn a_flowed_line_before_a_depth_change_ends_its_paragraph() {
        assert_eq!(unflow("> quoted \nreply", false), "> quoted \nreply");
    }

    #[test]
    fn the_signature_separator_does_not_flow() {
        assert_eq!(unflow("Bye\n-- \nMarie", false), "Bye\n-- \nMarie");
    }
}
