//! Address lists, message ids and return paths from header values, in one linear pass each.
//!
//! [`scan_address_list`] is the one address-list scanner of the crate: the message parser, the
//! provider adapters and [`crate::address::split_addresses`] all read addresses through it.

use super::Mailbox;
use super::encoded_word::decode_words;

/// One entry of an address list, as written: what each caller decodes as it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawAddress {
    /// The display name: its words (quoted strings unquoted, backslash escapes undone) joined by
    /// one space, RFC 2047 encoded words still encoded. Empty when there is none, and for an
    /// entry without angle brackets (whose words are its address).
    pub phrase: String,
    /// The address, white space and quotes removed (`"reply+x"@y` → `reply+x@y`), an obsolete
    /// source route (`@relay:`) dropped.
    pub address: String,
    /// The last comment (`m@x.fr (Marie)`), trimmed; empty when there is none.
    pub comment: String,
}

/// What is being read while scanning an address list.
#[derive(Debug, Default)]
struct Entry {
    /// Words outside angle brackets (quoted strings unquoted), joined by one space.
    phrase: String,
    /// An `@` stands in `phrase`.
    phrase_has_at: bool,
    /// `phrase` is one unquoted word: it may be a local-only address (`MAILER-DAEMON`).
    phrase_is_atom: bool,
    /// The `<…>` address, if one was opened.
    angle: Option<String>,
    /// The last comment.
    comment: String,
    /// A blank or comment was seen since the last character of `phrase`.
    space: bool,
}

impl Entry {
    /// Add a character to the phrase, `quoted` when it comes from a quoted string.
    fn push_phrase(&mut self, c: char, quoted: bool) {
        if self.phrase.is_empty() {
            self.phrase_is_atom = !quoted;
        } else if self.space {
            self.phrase.push(' ');
            self.phrase_is_atom = false;
        }
        if quoted {
            self.phrase_is_atom = false;
        }
        self.space = false;
        self.phrase_has_at |= c == '@';
        self.phrase.push(c);
    }

    /// The entry as read, if it holds an address.
    fn finish(self) -> Option<RawAddress> {
        let (address, phrase) = match self.angle {
            Some(angle) => (drop_source_route(&angle).to_string(), self.phrase),
            None if self.phrase_has_at || self.phrase_is_atom => (self.phrase, String::new()),
            None => return None,
        };
        let address: String = address
            .chars()
            .filter(|c| *c != '"' && !c.is_whitespace())
            .collect();
        (!address.is_empty()).then_some(RawAddress {
            phrase,
            address,
            comment: self.comment,
        })
    }
}

/// `@a,@b:user@host` → `user@host`.
fn drop_source_route(angle: &str) -> &str {
    match angle.rsplit_once(':') {
        Some((route, addr)) if route.trim_start().starts_with('@') => addr,
        _ => angle,
    }
}

/// Where the scanner is inside an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Outside quotes and comments.
    Plain,
    /// Inside a quoted string.
    Quoted,
    /// Inside a comment, at this nesting depth.
    Comment(usize),
}

/// Split an address-list header value (unfolded, encoded words not yet decoded) into its entries.
///
/// Groups are flattened (`Team: a@x, b@y;` gives `a@x` and `b@y`), commas inside quotes, comments
/// and angle brackets do not split, comments nest, and an unterminated quote, comment or angle
/// bracket runs to the end of the value. An entry without angle brackets is an address when it
/// holds an `@`, or when it is one unquoted word (a local-only address such as `MAILER-DAEMON`);
/// other entries are dropped. One pass over the characters.
pub(crate) fn scan_address_list(value: &str) -> Vec<RawAddress> {
    let mut out = Vec::new();
    let mut entry = Entry::default();
    let mut state = State::Plain;
    let mut comment = String::new();
    let mut in_angle = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match state {
            State::Comment(depth) => match c {
                '\\' => comment.extend(chars.next()),
                '(' => {
                    comment.push(c);
                    state = State::Comment(depth + 1);
                }
                ')' if depth > 1 => {
                    comment.push(c);
                    state = State::Comment(depth - 1);
                }
                ')' => {
                    entry.comment = comment.trim().to_string();
                    entry.space = true;
                    state = State::Plain;
                }
                c => comment.push(c),
            },
            State::Quoted => {
                let c = match c {
                    '"' => {
                        state = State::Plain;
                        continue;
                    }
                    '\\' => match chars.next() {
                        Some(escaped) => escaped,
                        None => break,
                    },
                    c => c,
                };
                match entry.angle.as_mut() {
                    Some(angle) if in_angle => angle.push(c),
                    _ => entry.push_phrase(c, true),
                }
            }
            State::Plain => match c {
                '"' => state = State::Quoted,
                '(' => {
                    comment.clear();
                    state = State::Comment(1);
                }
                '<' => {
                    entry.angle = Some(String::new());
                    in_angle = true;
                }
                '>' if in_angle => in_angle = false,
                ',' | ';' if !in_angle => out.extend(std::mem::take(&mut entry).finish()),
                ':' if entry.angle.is_none() && !entry.phrase_has_at => {
                    // A group name: `Team: a@x, b@y;`.
                    entry = Entry::default();
                }
                c if c.is_whitespace() => entry.space = true,
                c => match entry.angle.as_mut() {
                    Some(angle) if in_angle => angle.push(c),
                    _ => entry.push_phrase(c, false),
                },
            },
        }
    }
    out.extend(entry.finish());
    out
}

/// Parse an address-list header value (unfolded, encoded words not yet decoded) into mailboxes.
///
/// Entries are read by [`scan_address_list`]; display names are RFC 2047 decoded, and an entry
/// without one takes its comment as its name (`m@x.fr (Marie)`). Returns the mailboxes and any
/// charset notes from the names.
pub(crate) fn parse_mailboxes(value: &str) -> (Vec<Mailbox>, Vec<String>) {
    let mut notes = Vec::new();
    let mailboxes = scan_address_list(value)
        .into_iter()
        .map(|entry| {
            let name = if entry.phrase.trim().is_empty() {
                entry.comment
            } else {
                entry.phrase
            };
            let decoded = decode_words(name.trim());
            notes.extend(decoded.note);
            let name = decoded.text.trim().to_string();
            Mailbox {
                name: (!name.is_empty()).then_some(name),
                address: entry.address,
            }
        })
        .collect();
    (mailboxes, notes)
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

/// A domain as compared: trimmed, lowercase, without a trailing `.` (the DNS root) or a `>` left
/// from angle brackets.
pub(crate) fn normalize_domain(domain: &str) -> String {
    domain
        .trim()
        .trim_end_matches(['.', '>'])
        .trim_end()
        .to_ascii_lowercase()
}

/// The domain of an address or message id, normalised by [`normalize_domain`]; `None` when there
/// is no `@` or nothing after it.
pub(crate) fn domain_of(address: &str) -> Option<String> {
    let (_, domain) = address.rsplit_once('@')?;
    let domain = normalize_domain(domain);
    (!domain.is_empty()).then_some(domain)
}

/// A `Content-ID` value (or a `multipart/related` `start` parameter) without its angle brackets:
/// the first id in it.
pub(crate) fn parse_content_id(value: &str) -> Option<String> {
    parse_ids(value).into_iter().next()
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
    fn a_lone_unquoted_word_is_a_local_only_address_but_a_bare_name_is_not() {
        assert_eq!(
            addresses("MAILER-DAEMON (Mail Delivery System)"),
            vec![(Some("Mail Delivery System".into()), "MAILER-DAEMON".into())]
        );
        assert!(addresses("\"Marie\"").is_empty());
        assert!(addresses("Marie Dupont").is_empty());
    }

    #[test]
    fn quoted_local_parts_and_comments_inside_angle_brackets_are_read() {
        assert_eq!(
            addresses(r#"Acme <"reply+abc"@r.example (replies)>, <m (x) @y.fr>"#),
            vec![
                (Some("Acme".into()), "reply+abc@r.example".into()),
                (Some("x".into()), "m@y.fr".into()),
            ]
        );
    }

    #[test]
    fn nested_comments_and_unterminated_brackets_are_read() {
        assert_eq!(
            addresses("m@x.fr (Marie (work)), Ann <a@y.fr"),
            vec![
                (Some("Marie (work)".into()), "m@x.fr".into()),
                (Some("Ann".into()), "a@y.fr".into()),
            ]
        );
        assert_eq!(
            addresses("\"Dupont, Marie <m@x.fr>"),
            vec![(None, "Dupont,Marie<m@x.fr>".into())]
        );
    }

    #[test]
    fn colons_after_an_address_are_not_group_names_and_scan_once() {
        assert_eq!(addresses("a@x: b@y"), vec![(None, "a@x:b@y".into())]);
        let hostile = format!("{}@{}", "x".repeat(40_000), ":".repeat(40_000));
        assert_eq!(scan_address_list(&hostile).len(), 1);
    }

    #[test]
    fn domains_are_compared_lowercase_without_root_dot_or_bracket() {
        assert_eq!(
            normalize_domain(" Reply.Example.COM. "),
            "reply.example.com"
        );
        assert_eq!(
            domain_of("<id@Mail.Example.fr>").as_deref(),
            Some("mail.example.fr")
        );
        assert_eq!(domain_of("nobody@"), None);
        assert_eq!(domain_of("no-at-sign"), None);
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
