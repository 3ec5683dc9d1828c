//! `format=flowed` (RFC 3676): soft line breaks undone, hard breaks kept.

/// Undo `format=flowed` soft line breaks (RFC 3676).
///
/// A line ending in a space is *flowed*: it joins the next line of the same quote depth. A line
/// without a trailing space ends a paragraph (a hard break the author typed). Space-stuffing
/// (a leading space added before `From `, `>` or a space) is removed; the signature separator
/// `-- ` is never joined. With `delsp` (`DelSp=yes`), the trailing space of a flowed line is
/// deleted when joining, as for languages written without spaces.
///
/// Quoted lines keep their `>` markers (one `> ` per depth, as in the input's depth).
///
/// ```
/// let text = replytrack::reply::unflow("Hello, this is a \r\nlong line.\r\nNew line.", false);
/// assert_eq!(text, "Hello, this is a long line.\nNew line.");
/// ```
pub fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    // The depth of the previous line when it was flowed (so this one joins it).
    let mut open: Option<usize> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let depth = raw.bytes().take_while(|&b| b == b'>').count();
        let rest = raw.get(depth..).unwrap_or_default();
        // Remove space-stuffing.
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        let is_sig_separator = rest == "-- ";
        let flowed = rest.ends_with(' ') && !is_sig_separator;
        let content = if flowed && delsp {
            rest.strip_suffix(' ').unwrap_or(rest)
        } else {
            rest
        };
        if open == Some(depth) && !is_sig_separator {
            out.push_str(content);
        } else {
            if i > 0 {
                out.push('\n');
            }
            push_line_start(&mut out, depth, content);
        }
        open = flowed.then_some(depth);
    }
    out
}

fn push_line_start(out: &mut String, depth: usize, content: &str) {
    for _ in 0..depth {
        out.push('>');
    }
    if depth > 0 && !content.is_empty() {
        out.push(' ');
    }
    out.push_str(content);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_breaks_join_and_hard_breaks_stay() {
        assert_eq!(
            unflow("This is one \nparagraph.\nSecond one.\n\nThird.", false),
            "This is one paragraph.\nSecond one.\n\nThird."
        );
    }

    #[test]
    fn quoted_flowed_lines_join_within_their_depth() {
        assert_eq!(
            unflow(">> deep \n>> line\n> shallow \n> line\nmine", false),
            ">> deep line\n> shallow line\nmine"
        );
    }

    #[test]
    fn signature_separator_is_never_joined() {
        assert_eq!(unflow("Thanks \n-- \nMarie", false), "Thanks \n-- \nMarie");
    }

    #[test]
    fn delsp_removes_the_joining_space() {
        assert_eq!(unflow("日本語の \n文章です。", true), "日本語の文章です。");
    }

    #[test]
    fn space_stuffing_is_removed() {
        assert_eq!(
            unflow(" From here\n >not a quote", false),
            "From here\n>not a quote"
        );
    }
}
