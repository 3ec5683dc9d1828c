//! Address lists, message ids and return paths from header values, in one linear pass each.

use super::Mailbox;
use super::encoded_word::decode_words;

/// What is being read while scanning an address list.
#[derive(Debug, Default)]
struct Current {
    /// Display-name words (quoted strings unquoted), or a bare addr-spec.
    phrase: String,
    /// The `<…>` address, if one was seen.
    angle: Option<String>,
    /// The last comment, used as a name when there is no phrase (`m@x.fr (Marie)`).
    comment: String,
    /// A blank was seen since the last word.
    space: bool,
}

impl Current {
    fn push_word(&mut self, word: &str) {
        if self.space && !self.phrase.is_empty() {
            self.phrase.push(' ');
        }
        self.space = false;
        self.phrase.push_str(word);
    }

    fn push_char(&mut self, c: char) {
        if self.space && !self.phrase.is_empty() {
            self.phrase.push(' ');
        }
        self.space = false;
        self.phrase.push(c);
    }

    fn finish(&mut self, out: &mut Vec<Mailbox>, notes: &mut Vec<String>) {
        let current = std::mem::take(self);
        let (address, name) = match current.angle {
            Some(angle) => (angle, current.phrase),
            None if current.phrase.contains('@') => (current.phrase, String::new()),
            None => return,
        };
        let address: String = address.split_whitespace().collect();
        if address.is_empty() {
            return;
        }
        let name = if name.trim().is_empty() {
            current.comment
        } else {
            name
        };
        let decoded = decode_words(name.trim());
        if let Some(note) = decoded.note {
            notes.push(note);
        }
        let name = decoded.text.trim().to_string();
        out.push(Mailbox {
            name: (!name.is_empty()).then_some(name),
            address,
        });
    }
}

/// Read a quoted string after its opening `"`; backslash escapes the next character.
fn quoted(chars: &mut impl Iterator<Item = char>) -> String {
    let mut text = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => text.extend(chars.next()),
            c => text.push(c),
        }
    }
    text
}

/// Read a comment after its opening `(`; comments nest.
fn comment(chars: &mut impl Iterator<Item = char>) -> String {
    let mut text = String::new();
    let mut depth = 1usize;
    while let Some(c) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            '\\' => {
                text.extend(chars.next());
                continue;
            }
            _ => {}
        }
        text.push(c);
    }
    text.trim().to_string()
}

/// Read an angle address after its `<`, dropping an obsolete source route (`@a,@b:`).
fn angle(chars: &mut impl Iterator<Item = char>) -> String {
    let mut text = String::new();
    for c in chars.by_ref() {
        if c == '>' {
            break;
        }
        text.push(c);
    }
    match text.rsplit_once(':') {
        Some((route, addr)) if route.trim_start().starts_with('@') => addr.trim().to_string(),
        _ => text.trim().to_string(),
    }
}

/// Parse an address-list header value (unfolded, encoded words not yet decoded).
///
/// Groups are flattened, display names are RFC 2047 decoded, and entries without an address are
/// dropped. Returns the mailboxes and any charset notes from the names.
pub(crate) fn parse_mailboxes(value: &str) -> (Vec<Mailbox>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut current = Current::default();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let word = quoted(&mut chars);
                current.push_word(&word);
            }
            '(' => {
                current.comment = comment(&mut chars);
                current.space = true;
            }
            '<' => current.angle = Some(angle(&mut chars)),
            ',' | ';' => current.finish(&mut out, &mut notes),
            ':' if current.angle.is_none() => {
                // A group name: `Team: a@x, b@y;`.
                current = Current::default();
            }
            c if c.is_whitespace() => current.space = true,
            c => current.push_char(c),
        }
    }
    current.finish(&mut out, &mut notes);
    (out, notes)
}

/// The addresses of an address-like header (`Delivered-To`, `Envelope-To`, …): those of the
/// address list, or the bare value when it does not parse as one.
pub(crate) fn parse_address_values(value: &str) -> Vec<String> {
    let (mailboxes, _) = parse_mailboxes(value);
    if !mailboxes.is_empty() {
        return mailboxes.into_iter().map(|m| m.address).collect();
    }
    let bare = value
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    if bare.is_empty() || bare.contains(char::is_whitespace) {
        Vec::new()
    } else {
        vec![bare.to_string()]
    }
}

/// Message ids from `Message-ID`, `In-Reply-To` or `References`, without angle brackets.
///
/// Ids in `<…>` are taken wherever they are, so the comma-joined form Exchange writes
/// (`<a@x>,<b@y>`) reads like the standard one. A value with no `<…>` at all is split on blanks
/// and commas.
pub(crate) fn parse_ids(value: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('>') else {
            break;
        };
        let id: String = after
            .get(..close)
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if !id.is_empty() {
            ids.push(id);
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    if ids.is_empty() {
        ids = value
            .split(|c: char| c.is_whitespace() || c == ',')
            .map(|t| t.trim_matches(|c| c == '<' || c == '>'))
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
    }
    ids
}

/// A `Return-Path` value: the address without angle brackets, `Some("")` for the null path `<>`.
pub(crate) fn parse_return_path(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(open) = value.find('<') {
        let after = value.get(open + 1..).unwrap_or_default();
        let inner = after.split('>').next().unwrap_or_default();
        let address = match inner.rsplit_once(':') {
            Some((route, addr)) if route.trim_start().starts_with('@') => addr,
            _ => inner,
        };
        return Some(address.split_whitespace().collect());
    }
    value.split_whitespace().next().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(value: &str) -> Vec<(Option<String>, String)> {
        parse_mailboxes(value)
            .0
            .into_iter()
            .map(|m| (m.name, m.address))
            .collect()
    }

    #[test]
    fn names_quotes_comments_and_bare_addresses_are_read() {
        assert_eq!(
            addresses(r#""Dupont, Marie" <marie@example.fr>, bob@x.org (Bob B.), <c@y>"#),
            vec![
                (Some("Dupont, Marie".into()), "marie@example.fr".into()),
                (Some("Bob B.".into()), "bob@x.org".into()),
                (None, "c@y".into()),
            ]
        );
    }

    #[test]
    fn groups_are_flattened_and_empty_groups_dropped() {
        assert_eq!(
            addresses("Team: a@x, \"B\" <b@y>;, undisclosed-recipients:;"),
            vec![(None, "a@x".into()), (Some("B".into()), "b@y".into())]
        );
    }

    #[test]
    fn encoded_display_names_are_decoded_even_inside_quotes() {
        assert_eq!(
            addresses("=?UTF-8?Q?Ren=C3=A9e?= <r@x.fr>, \"=?utf-8?b?0JjQstCw0L0=?=\" <i@x.ru>"),
            vec![
                (Some("Renée".into()), "r@x.fr".into()),
                (Some("Иван".into()), "i@x.ru".into()),
            ]
        );
    }

    #[test]
    fn escaped_quotes_and_source_routes_are_handled() {
        assert_eq!(
            addresses(r#""say \"hi\"" <@relay.example:m@x.org>"#),
            vec![(Some("say \"hi\"".into()), "m@x.org".into())]
        );
    }

    #[test]
    fn ids_are_read_in_standard_exchange_and_bare_forms() {
        assert_eq!(parse_ids(" <a@x>\n <b@y> "), vec!["a@x", "b@y"]);
        assert_eq!(parse_ids("<a@x>,<b@y>"), vec!["a@x", "b@y"]);
        assert_eq!(parse_ids("a@x, b@y"), vec!["a@x", "b@y"]);
        assert!(parse_ids("   ").is_empty());
    }

    #[test]
    fn return_path_null_and_plain_forms() {
        assert_eq!(parse_return_path("<>"), Some(String::new()));
        assert_eq!(parse_return_path(" < > "), Some(String::new()));
        assert_eq!(
            parse_return_path("<bounce@x.org>"),
            Some("bounce@x.org".into())
        );
        assert_eq!(
            parse_return_path("bounce@x.org"),
            Some("bounce@x.org".into())
        );
        assert_eq!(parse_return_path(""), None);
    }

    #[test]
    fn address_values_fall_back_to_the_bare_value() {
        assert_eq!(
            parse_address_values("<reply+abc@r.example>"),
            vec!["reply+abc@r.example"]
        );
        assert_eq!(parse_address_values("postmaster"), vec!["postmaster"]);
    }
}
