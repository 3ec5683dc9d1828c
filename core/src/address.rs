//! Reply addresses: format them, parse them leniently, and find our token in an inbound message.
//!
//! An outgoing email's reply address is `{prefix}{sep}{token}@{domain}`, by default
//! `reply+{token}@reply.example.com`. Its `Message-ID` embeds the token too
//! (`<{token}.{random}@{domain}>`), so a reply whose sub-address was dropped on the way can still be
//! matched through `In-Reply-To`/`References`.
//!
//! Parsing is lenient, because the addresses come back through many hands: any letter case, `+`,
//! `-` or `=` as separator, display names (RFC 2047-encoded or quoted, with commas inside), quoted
//! local parts, angle brackets, comments, groups and comma-joined lists. Addresses at other domains
//! and tokens of the wrong shape are ignored, not errors. Only the shape is checked here; the
//! signature is [`TokenAuthority::verify`](crate::token::TokenAuthority::verify)'s job.
//!
//! ```
//! use replytrack::address::{AddressFormat, find_token};
//! use replytrack::token::ReplyToken;
//!
//! let format = AddressFormat::new("reply.example.com")?;
//! let token: ReplyToken = "7k3m9q2x5c8v1b4n".parse().unwrap();
//! assert_eq!(format.address(&token), "reply+7k3m9q2x5c8v1b4n@reply.example.com");
//! let found = find_token("\"Dupont, Marie\" <REPLY+7K3M9Q2X5C8V1B4N@Reply.Example.com>", Some("reply.example.com"));
//! assert_eq!(found, Some(token));
//! # Ok::<(), replytrack::address::AddressError>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::message::InboundMessage;
use crate::message::mailbox::{normalize_domain, scan_address_list};
use crate::token::codec::is_token_char;
use crate::token::{ReplyToken, TOKEN_LEN};

/// Separators accepted between the prefix and the token when parsing.
pub const SEPARATORS: [char; 3] = ['+', '-', '='];

/// Longest header value scanned for addresses; the rest is ignored (a hostile header can't make
/// scanning slow).
pub const MAX_SCAN_BYTES: usize = 64 * 1024;

/// Why an [`AddressFormat`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// The domain is empty or has characters a domain can't have.
    #[error("reply domain {0:?} is not a domain name")]
    BadDomain(String),
    /// The prefix is empty or has characters a local part can't have unquoted.
    #[error("address prefix {0:?} must be 1-32 letters, digits, '.' or '_'")]
    BadPrefix(String),
    /// The separator is not one of `+`, `-`, `=`.
    #[error("separator {0:?} is not one of '+', '-', '='")]
    BadSeparator(char),
}

/// How reply addresses are written for one reply domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressFormat {
    prefix: String,
    separator: char,
    domain: String,
}

impl AddressFormat {
    /// The default format, `reply+{token}@{domain}`.
    ///
    /// # Errors
    /// [`AddressError::BadDomain`].
    pub fn new(domain: &str) -> Result<Self, AddressError> {
        let d = normalize_domain(domain);
        let ok = !d.is_empty()
            && d.len() <= 253
            && d.split('.')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !ok {
            return Err(AddressError::BadDomain(domain.to_string()));
        }
        Ok(Self {
            prefix: "reply".into(),
            separator: '+',
            domain: d,
        })
    }

    /// Use another prefix (default `reply`).
    ///
    /// # Errors
    /// [`AddressError::BadPrefix`].
    pub fn with_prefix(mut self, prefix: &str) -> Result<Self, AddressError> {
        let ok = (1..=32).contains(&prefix.len())
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
        if !ok {
            return Err(AddressError::BadPrefix(prefix.to_string()));
        }
        self.prefix = prefix.to_ascii_lowercase();
        Ok(self)
    }

    /// Use another separator (default `+`; some providers only route `-` or `=`).
    ///
    /// # Errors
    /// [`AddressError::BadSeparator`].
    pub fn with_separator(mut self, sep: char) -> Result<Self, AddressError> {
        if !SEPARATORS.contains(&sep) {
            return Err(AddressError::BadSeparator(sep));
        }
        self.separator = sep;
        Ok(self)
    }

    /// The reply domain, lowercase.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The reply address for a token.
    pub fn address(&self, token: &ReplyToken) -> String {
        format!("{}{}{}@{}", self.prefix, self.separator, token, self.domain)
    }

    /// A fresh `Message-ID` (without angle brackets) that embeds the token:
    /// `{token}.{10 random base32 characters}@{domain}`.
    pub fn message_id(&self, token: &ReplyToken) -> String {
        let mut buf = [0u8; 10];
        getrandom::fill(&mut buf).expect("the OS random source is available");
        let alphabet = b"0123456789abcdefghjkmnpqrstvwxyz";
        let random: String = buf
            .iter()
            .map(|b| char::from(alphabet[usize::from(b & 31)]))
            .collect();
        format!("{token}.{random}@{}", self.domain)
    }

    /// The token in a header value (an address or a list of them), if one of its addresses is at
    /// this domain and carries a token-shaped local part.
    pub fn find_token(&self, value: &str) -> Option<ReplyToken> {
        find_token(value, Some(&self.domain))
    }
}

/// One address of an address list, as split by [`split_addresses`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressItem {
    /// The display name as written (quotes removed, RFC 2047 words left encoded), if any.
    pub display_name: Option<String>,
    /// The addr-spec, `local@domain`, with a quoted local part unquoted.
    pub address: String,
}

/// What [`parse_address`] found in one header value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedAddress {
    /// The value as given.
    pub input: String,
    /// The first token found, canonical.
    pub token: Option<ReplyToken>,
    /// The address it was found in.
    pub address: Option<String>,
    /// Whether a token of valid shape was found (its signature is not checked here).
    pub valid_shape: bool,
}

/// Parse a header value (one address or a list) and report the first token in it.
/// With `domain`, only addresses at that domain count; without, any domain does.
pub fn parse_address(value: &str, domain: Option<&str>) -> ParsedAddress {
    let found = split_addresses(value)
        .into_iter()
        .find_map(|item| token_in_addr_spec(&item.address, domain).map(|t| (t, item.address)));
    ParsedAddress {
        input: value.to_string(),
        valid_shape: found.is_some(),
        token: found.as_ref().map(|(t, _)| *t),
        address: found.map(|(_, a)| a),
    }
}

/// The first token in a header value (one address or a list).
pub fn find_token(value: &str, domain: Option<&str>) -> Option<ReplyToken> {
    split_addresses(value)
        .iter()
        .find_map(|item| token_in_addr_spec(&item.address, domain))
}

/// The token in one addr-spec: the local part's last 16 characters after a separator (or the whole
/// local part), at `domain` when given.
pub fn token_in_addr_spec(addr: &str, domain: Option<&str>) -> Option<ReplyToken> {
    let (local, dom) = addr.rsplit_once('@')?;
    if let Some(want) = domain
        && normalize_domain(dom) != normalize_domain(want)
    {
        return None;
    }
    let local = local.trim().trim_matches('"');
    let candidate = match local.rfind(SEPARATORS) {
        Some(pos) => local.get(pos + 1..)?,
        None => local,
    };
    token_of_exact_shape(candidate)
}

/// The token embedded in one of our Message-IDs (`<{token}.{random}@{domain}>`).
pub fn token_in_message_id(id: &str, domain: &str) -> Option<ReplyToken> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, dom) = id.rsplit_once('@')?;
    if normalize_domain(dom) != normalize_domain(domain) {
        return None;
    }
    let head = local.split('.').next()?;
    token_of_exact_shape(head)
}

fn token_of_exact_shape(s: &str) -> Option<ReplyToken> {
    if s.len() != TOKEN_LEN || !s.chars().all(is_token_char) {
        return None;
    }
    ReplyToken::parse(s).ok()
}

/// Split an address-list header value into addresses: commas inside quotes, comments and angle
/// brackets don't split; group names (`team: a@x, b@y;`) and comments are dropped; quoted local
/// parts are unquoted and obsolete source routes (`<@relay:a@x>`) dropped. Only entries whose
/// address holds an `@` are returned. Linear time; at most [`MAX_SCAN_BYTES`] are read.
pub fn split_addresses(value: &str) -> Vec<AddressItem> {
    let value = truncate_at_char_boundary(value, MAX_SCAN_BYTES);
    scan_address_list(value)
        .into_iter()
        .filter(|entry| entry.address.contains('@'))
        .map(|entry| {
            let name = entry.phrase.trim();
            AddressItem {
                display_name: (!name.is_empty()).then(|| name.to_string()),
                address: entry.address,
            }
        })
        .collect()
}

fn truncate_at_char_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

/// Where in a message a reply token was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// An SMTP envelope recipient (`RCPT TO`) reported by the transport.
    Envelope,
    /// The provider's mailbox hash (Postmark `MailboxHash`, the text after `+`).
    MailboxHash,
    /// `Delivered-To`.
    DeliveredTo,
    /// `X-Original-To`.
    XOriginalTo,
    /// `X-Forwarded-To`.
    XForwardedTo,
    /// `Envelope-To`.
    EnvelopeTo,
    /// `To`.
    To,
    /// `Cc`.
    Cc,
    /// `In-Reply-To` or `References` (a Message-ID we minted embeds the token).
    References,
    /// The original message attached to a bounce.
    BouncedOriginal,
}

impl TokenSource {
    /// The stable snake_case name (`delivered_to`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Envelope => "envelope",
            Self::MailboxHash => "mailbox_hash",
            Self::DeliveredTo => "delivered_to",
            Self::XOriginalTo => "x_original_to",
            Self::XForwardedTo => "x_forwarded_to",
            Self::EnvelopeTo => "envelope_to",
            Self::To => "to",
            Self::Cc => "cc",
            Self::References => "references",
            Self::BouncedOriginal => "bounced_original",
        }
    }
}

/// A token found in a message, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenMatch {
    /// The token in canonical (lowercase) form; its shape is valid, its signature not yet checked.
    pub token: String,
    /// Where it was found.
    pub source: TokenSource,
}

/// What scanning needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOptions {
    /// The reply domain (`reply.example.com`); addresses at other domains are ignored.
    pub domain: String,
}

/// Find our token in a message: envelope recipients → provider mailbox hash → `Delivered-To`,
/// `X-Original-To`, `X-Forwarded-To`, `Envelope-To` → `To` → `Cc` → `In-Reply-To`/`References`
/// → the original attached to a bounce. The first hit wins.
pub fn scan(msg: &InboundMessage, opts: &ScanOptions) -> Option<TokenMatch> {
    scan_all(msg, opts).into_iter().next()
}

/// Every token-shaped candidate in scan order, without duplicates. A caller that verifies tokens
/// can try them in turn (a message can carry an old reply address in Cc and a new one in To).
pub fn scan_all(msg: &InboundMessage, opts: &ScanOptions) -> Vec<TokenMatch> {
    let mut found: Vec<TokenMatch> = Vec::new();
    let mut add = |token: ReplyToken, source: TokenSource| {
        let token = token.to_string();
        if !found.iter().any(|m| m.token == token) {
            found.push(TokenMatch { token, source });
        }
    };
    scan_into(msg, &opts.domain, &mut add, None);
    for original in &msg.attached_messages {
        scan_into(
            original,
            &opts.domain,
            &mut add,
            Some(TokenSource::BouncedOriginal),
        );
    }
    found
}

fn scan_into(
    msg: &InboundMessage,
    domain: &str,
    add: &mut impl FnMut(ReplyToken, TokenSource),
    forced: Option<TokenSource>,
) {
    let src = |s: TokenSource| forced.unwrap_or(s);
    if let Some(env) = msg.transport.as_ref().and_then(|t| t.envelope.as_ref()) {
        scan_values(&strs(&env.rcpt_to), domain, src(TokenSource::Envelope), add);
    }
    if let Some(hash) = msg
        .transport
        .as_ref()
        .and_then(|t| t.mailbox_hash.as_deref())
        && let Some(t) = token_of_exact_shape(hash.trim())
    {
        add(t, src(TokenSource::MailboxHash));
    }
    for (values, source) in [
        (&msg.delivered_to, TokenSource::DeliveredTo),
        (&msg.x_original_to, TokenSource::XOriginalTo),
        (&msg.x_forwarded_to, TokenSource::XForwardedTo),
        (&msg.envelope_to, TokenSource::EnvelopeTo),
    ] {
        scan_values(&strs(values), domain, src(source), add);
    }
    scan_values(&boxes(&msg.to), domain, src(TokenSource::To), add);
    scan_values(&boxes(&msg.cc), domain, src(TokenSource::Cc), add);
    if forced.is_some() {
        // Our own outgoing email, attached to a bounce: its Reply-To and Message-ID carry the token.
        scan_values(
            &boxes(&msg.reply_to),
            domain,
            TokenSource::BouncedOriginal,
            add,
        );
        if let Some(t) = msg
            .message_id
            .as_deref()
            .and_then(|id| token_in_message_id(id, domain))
        {
            add(t, TokenSource::BouncedOriginal);
        }
    }
    for id in msg.in_reply_to.iter().chain(&msg.references) {
        // Exchange joins References with commas; a parser may hand us the joined value.
        for part in id.split([',', ' ', '\t']) {
            if let Some(t) = token_in_message_id(part, domain) {
                add(t, src(TokenSource::References));
            }
        }
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn boxes(v: &[crate::message::Mailbox]) -> Vec<&str> {
    v.iter().map(|m| m.address.as_str()).collect()
}

fn scan_values(
    values: &[&str],
    domain: &str,
    source: TokenSource,
    add: &mut impl FnMut(ReplyToken, TokenSource),
) {
    for v in values {
        for item in split_addresses(v) {
            if let Some(t) = token_in_addr_spec(&item.address, Some(domain)) {
                add(t, source);
            }
        }
    }
}

#[cfg(test)]
mod tests;
