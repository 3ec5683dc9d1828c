//! Reply addresses: format them, parse them leniently, find our token in a message.

use napi::Env;
use napi_derive::napi;
use replytrack::address as core;

use crate::error::OrThrow;
use crate::message::InboundMessage;
use crate::token::{invalid_setting, token_of};

/// Options of an `AddressFormat`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct AddressFormatOptions {
    /// The local-part prefix (default `reply`): 1-32 letters, digits, `.` or `_`.
    pub prefix: Option<String>,
    /// The separator between prefix and token: `+` (default), `-` or `=`.
    pub separator: Option<String>,
}

/// How reply addresses are written for one reply domain: `{prefix}{separator}{token}@{domain}`.
#[napi]
#[derive(Debug, Clone)]
pub struct AddressFormat {
    inner: core::AddressFormat,
}

#[napi]
impl AddressFormat {
    /// A format for `domain` (default `reply+{token}@{domain}`). Throws `CONFIG_INVALID`
    /// (`bad_domain`, `bad_prefix`, `bad_separator`).
    #[napi(constructor)]
    pub fn new(
        env: Env,
        domain: String,
        options: Option<AddressFormatOptions>,
    ) -> napi::Result<Self> {
        let options = options.unwrap_or_default();
        let mut inner = core::AddressFormat::new(&domain).or_throw(&env)?;
        if let Some(prefix) = options.prefix {
            inner = inner.with_prefix(&prefix).or_throw(&env)?;
        }
        if let Some(separator) = options.separator {
            let mut chars = separator.chars();
            let sep = match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(invalid_setting(
                        "bad_separator",
                        format!("separator {separator:?} is not one of '+', '-', '='"),
                    )
                    .into_error(&env));
                }
            };
            inner = inner.with_separator(sep).or_throw(&env)?;
        }
        Ok(Self { inner })
    }

    /// The reply domain, lowercase.
    #[napi(getter)]
    pub fn domain(&self) -> String {
        self.inner.domain().to_string()
    }

    /// The reply address for a token. Throws `TOKEN_MALFORMED` for a string that is no token.
    #[napi]
    pub fn address(&self, env: Env, token: String) -> napi::Result<String> {
        let token = token_of(&token).or_throw(&env)?;
        Ok(self.inner.address(&token))
    }

    /// A fresh `Message-ID` (without angle brackets) that embeds the token, so a reply whose
    /// sub-address was lost can still be matched through `In-Reply-To`/`References`.
    #[napi]
    pub fn message_id(&self, env: Env, token: String) -> napi::Result<String> {
        let token = token_of(&token).or_throw(&env)?;
        Ok(self.inner.message_id(&token))
    }

    /// The token in a header value (one address or a list) at this domain, or `null`.
    #[napi]
    pub fn find_token(&self, value: String) -> Option<String> {
        self.inner.find_token(&value).map(|t| t.to_string())
    }
}

/// One address of an address list.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct AddressItem {
    /// The display name as written (quotes removed, RFC 2047 words left encoded), if any.
    pub display_name: Option<String>,
    /// The addr-spec, `local@domain`.
    pub address: String,
}

/// What `parseAddress` found in one header value.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct ParsedAddress {
    /// The value as given.
    pub input: String,
    /// The first token found, canonical.
    pub token: Option<String>,
    /// The address it was found in.
    pub address: Option<String>,
    /// Whether a token of valid shape was found (its signature is not checked here).
    pub valid_shape: bool,
}

/// Parse a header value (one address or a list, display names, quotes, groups…) and report the
/// first token in it. With `domain`, only addresses at that domain count.
#[napi]
pub fn parse_address(value: String, domain: Option<String>) -> ParsedAddress {
    let parsed = core::parse_address(&value, domain.as_deref());
    ParsedAddress {
        input: parsed.input,
        token: parsed.token.map(|t| t.to_string()),
        address: parsed.address,
        valid_shape: parsed.valid_shape,
    }
}

/// The first token in a header value (one address or a list), or `null`. With `domain`, only
/// addresses at that domain count.
#[napi]
pub fn find_token(value: String, domain: Option<String>) -> Option<String> {
    core::find_token(&value, domain.as_deref()).map(|t| t.to_string())
}

/// Split an address-list header value into addresses (commas in quotes and comments don't split;
/// groups and comments are dropped).
#[napi]
pub fn split_addresses(value: String) -> Vec<AddressItem> {
    core::split_addresses(&value)
        .into_iter()
        .map(|item| AddressItem {
            display_name: item.display_name,
            address: item.address,
        })
        .collect()
}

/// The token embedded in one of our Message-IDs (`<{token}.{random}@{domain}>`), or `null`.
#[napi]
pub fn token_in_message_id(id: String, domain: String) -> Option<String> {
    core::token_in_message_id(&id, &domain).map(|t| t.to_string())
}

/// Where in a message a reply token was found.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// An SMTP envelope recipient (`RCPT TO`) reported by the transport.
    #[napi(value = "envelope")]
    Envelope,
    /// The provider's mailbox hash (Postmark `MailboxHash`).
    #[napi(value = "mailbox_hash")]
    MailboxHash,
    /// `Delivered-To`.
    #[napi(value = "delivered_to")]
    DeliveredTo,
    /// `X-Original-To`.
    #[napi(value = "x_original_to")]
    XOriginalTo,
    /// `X-Forwarded-To`.
    #[napi(value = "x_forwarded_to")]
    XForwardedTo,
    /// `Envelope-To`.
    #[napi(value = "envelope_to")]
    EnvelopeTo,
    /// `To`.
    #[napi(value = "to")]
    To,
    /// `Cc`.
    #[napi(value = "cc")]
    Cc,
    /// `In-Reply-To` or `References` (a Message-ID we minted embeds the token).
    #[napi(value = "references")]
    References,
    /// The original message attached to a bounce.
    #[napi(value = "bounced_original")]
    BouncedOriginal,
}

impl From<core::TokenSource> for TokenSource {
    fn from(s: core::TokenSource) -> Self {
        match s {
            core::TokenSource::Envelope => Self::Envelope,
            core::TokenSource::MailboxHash => Self::MailboxHash,
            core::TokenSource::DeliveredTo => Self::DeliveredTo,
            core::TokenSource::XOriginalTo => Self::XOriginalTo,
            core::TokenSource::XForwardedTo => Self::XForwardedTo,
            core::TokenSource::EnvelopeTo => Self::EnvelopeTo,
            core::TokenSource::To => Self::To,
            core::TokenSource::Cc => Self::Cc,
            core::TokenSource::References => Self::References,
            core::TokenSource::BouncedOriginal => Self::BouncedOriginal,
        }
    }
}

/// A token found in a message, and where.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct TokenMatch {
    /// The token, canonical; its shape is valid, its signature not yet checked.
    pub token: String,
    /// Where it was found.
    pub source: TokenSource,
}

fn scan_options(domain: String) -> core::ScanOptions {
    core::ScanOptions { domain }
}

/// Find our token in a message: envelope recipients, the provider's mailbox hash,
/// `Delivered-To` and friends, `To`, `Cc`, `In-Reply-To`/`References`, then the original attached
/// to a bounce. The first hit wins; `null` when there is none. Verify it with
/// `TokenAuthority.verify`.
#[napi]
pub fn scan_token(message: InboundMessage, domain: String) -> Option<TokenMatch> {
    let msg = message.into_core();
    core::scan(&msg, &scan_options(domain)).map(match_of)
}

/// Every token-shaped candidate in scan order, without duplicates (a message can carry an old
/// reply address in `Cc` and the current one in `To`: verify them in turn).
#[napi]
pub fn scan_tokens(message: InboundMessage, domain: String) -> Vec<TokenMatch> {
    let msg = message.into_core();
    core::scan_all(&msg, &scan_options(domain))
        .into_iter()
        .map(match_of)
        .collect()
}

fn match_of(m: core::TokenMatch) -> TokenMatch {
    TokenMatch {
        token: m.token,
        source: m.source.into(),
    }
}
