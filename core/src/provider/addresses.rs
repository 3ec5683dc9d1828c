//! Address lists (`"Dupont, Marie" <marie@example.fr>, bob@example.com`) and message-id lists,
//! read from header values in one pass.

use crate::message::Mailbox;

use super::rfc2047;

/// Parse an RFC 5322 address list: display names (quoted or not, RFC 2047 encoded or not),
/// angle addresses, bare addresses with an optional `(Name)` comment, and groups
/// (`team: a@x, b@y;`, whose members are returned). Entries without an address are skipped.
pub(crate) fn parse_address_list(raw: &str) -> Vec<Mailbox> {
    let mut out = Vec::new();
    let mut item = Item::default();
    let mut in_quote = false;
    let mut escaped = false;
    let mut comment_depth = 0usize;
    let mut in_angle = false;
    for c in raw.chars() {
        if escaped {
            escaped = false;
            item.push(c, in_angle, comment_depth > 0);
            continue;
        }
        if comment_depth > 0 {
            match c {
                '\\' => escaped = true,
                '(' => comment_depth += 1,
                ')' => comment_depth -= 1,
                _ => item.push(c, false, true),
            }
            continue;
        }
        if in_quote {
            match c {
                '\\' => escaped = true,
                '"' => in_quote = false,
                _ => item.push(c, in_angle, false),
            }
            continue;
        }
        match c {
            '"' => in_quote = true,
            '(' => comment_depth = 1,
            '<' if !in_angle => {
                in_angle = true;
                item.has_angle = true;
            }
            '>' if in_angle => in_angle = false,
            ',' | ';' if !in_angle => {
                item.finish(&mut out);
                item = Item::default();
            }
            ':' if !in_angle => {
                // A group name: what came before is not a mailbox.
                item = Item::default();
            }
            _ => item.push(c, in_angle, false),
        }
    }
    item.finish(&mut out);
    out
}

#[derive(Default)]
struct Item {
    display: String,
    angle: String,
    comment: String,
    has_angle: bool,
}

impl Item {
    fn push(&mut self, c: char, in_angle: bool, in_comment: bool) {
        if in_comment {
            self.comment.push(c);
        } else if in_angle {
            self.angle.push(c);
        } else {
            self.display.push(c);
        }
    }

    fn finish(self, out: &mut Vec<Mailbox>) {
        let (address, name) = if self.has_angle {
            // Drop an obsolete source route (`<@relay:user@host>`).
            let addr = self
                .angle
                .rsplit(':')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            (addr, collapse(&self.display))
        } else {
            let addr = self.display.trim().to_string();
            (addr, collapse(&self.comment))
        };
        if address.is_empty() || address.chars().any(char::is_whitespace) {
            return;
        }
        let name = rfc2047::decode(&name).trim().to_string();
        out.push(Mailbox {
            name: (!name.is_empty()).then_some(name),
            address,
        });
    }
}

/// Collapse runs of whitespace to one space and trim.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ids of a `Message-ID`, `In-Reply-To` or `References` value, without angle brackets.
/// Values that carry no `<…>` at all are split on whitespace and commas instead.
pub(crate) fn parse_msg_ids(raw: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = raw;
    let mut saw_angle = false;
    while let Some(open) = rest.find('<') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('>') else { break };
        saw_angle = true;
        let id = after.get(..close).unwrap_or("").trim();
        if !id.is_empty() && !id.chars().any(char::is_whitespace) {
            ids.push(id.to_string());
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    if !saw_angle {
        ids.extend(
            raw.split(|c: char| c.is_whitespace() || c == ',')
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        );
    }
    ids
}

/// `Return-Path`: the address without angle brackets; `""` for the null path `<>`.
pub(crate) fn parse_return_path(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if let Some(open) = trimmed.find('<') {
        let after = trimmed.get(open + 1..).unwrap_or("");
        let inner = after
            .find('>')
            .map_or(after, |i| after.get(..i).unwrap_or(""));
        return Some(inner.trim().to_string());
    }
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// The bare addresses of an address-list header (`Delivered-To`, `X-Original-To`, …).
pub(crate) fn parse_plain_addresses(raw: &str) -> Vec<String> {
    parse_address_list(raw)
        .into_iter()
        .map(|m| m.address)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_with_commas_stay_one_mailbox() {
        let list = parse_address_list(r#""Dupont, Marie" <marie@example.fr>, bob@example.com"#);
        assert_eq!(
            list,
            vec![
                Mailbox::with_name("Dupont, Marie", "marie@example.fr"),
                Mailbox::new("bob@example.com"),
            ]
        );
    }

    #[test]
    fn encoded_names_comments_and_groups_are_understood() {
        let list = parse_address_list(
            "=?utf-8?q?J=C3=BCrgen?= <j@example.de>, ann@example.com (Ann Lee), team: x@y.z, w@y.z;",
        );
        assert_eq!(
            list,
            vec![
                Mailbox::with_name("Jürgen", "j@example.de"),
                Mailbox::with_name("Ann Lee", "ann@example.com"),
                Mailbox::new("x@y.z"),
                Mailbox::new("w@y.z"),
            ]
        );
        assert!(parse_address_list("undisclosed-recipients:;").is_empty());
    }

    #[test]
    fn message_ids_lose_their_brackets() {
        assert_eq!(parse_msg_ids("<a@b> <c@d>"), vec!["a@b", "c@d"]);
        assert_eq!(parse_msg_ids("a@b, c@d"), vec!["a@b", "c@d"]);
        assert_eq!(parse_return_path("<>"), Some(String::new()));
        assert_eq!(parse_return_path("<bounce@x.y>"), Some("bounce@x.y".into()));
    }
}
