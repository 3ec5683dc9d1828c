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

/// Undo `format=flowed` soft line breaks (RFC 3676).
///
/// A line ending in a space is *flowed*: it joins the next line of the same quote depth. A line
/// without a trailing space ends a paragraph (a hard break the author typed), and so does a change
/// of quote depth (RFC 3676 §4.5). Space-stuffing (a leading space added before `From `, `>` or a
/// space) is removed; the signature separator `-- ` is never joined, to the line before it or to
/// the line after it. With `delsp` (`DelSp=yes`), the trailing space of a flowed line is deleted
/// when joining, as for languages written without spaces.
///
/// Quoted lines come out as their `>` marks, one space, and the text. Line ends become `\n`; the
/// text ends with a line break when the input did. Runs in one pass over the lines.
///
/// ```
/// let text = replytrack::reply::unflow("Hello, this is a \r\nlong line.\r\nNew line.", false);
/// assert_eq!(text, "Hello, this is a long line.\nNew line.");
/// ```
pub fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<Open> = None;
    for line in text.lines() {
        let depth = line.bytes().take_while(|&b| b == b'>').count();
        let content = line.get(depth..).unwrap_or_default();
        let content = content.strip_prefix(' ').unwrap_or(content);
        let is_separator = content == "-- ";
        let flowed = content.ends_with(' ') && !is_separator;
        let piece = if flowed && delsp {
            content.strip_suffix(' ').unwrap_or(content)
        } else {
            content
        };
        let mut current = match open.take() {
            Some(prev) if prev.depth == depth && !is_separator => prev,
            Some(prev) => {
                // A flowed line followed by another quote depth (RFC 3676 §4.5), or by the
                // signature separator, ends there.
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

    #[test]
    fn a_flowed_line_is_not_joined_to_the_signature_separator() {
        assert_eq!(unflow("Thanks \n-- \nMarie", false), "Thanks \n-- \nMarie");
    }

    #[test]
    fn quoted_flowed_lines_join_within_each_depth() {
        assert_eq!(
            unflow(">> deep \n>> line\n> shallow \n> line\nmine", false),
            ">> deep line\n> shallow line\nmine"
        );
    }

    #[test]
    fn blank_lines_between_paragraphs_are_kept() {
        assert_eq!(
            unflow("This is one \nparagraph.\nSecond one.\n\nThird.", false),
            "This is one paragraph.\nSecond one.\n\nThird."
        );
    }

    #[test]
    fn a_final_flowed_line_keeps_the_final_line_break() {
        assert_eq!(unflow("Bye \n", false), "Bye \n");
        assert_eq!(unflow("Bye \n", true), "Bye\n");
    }
}
