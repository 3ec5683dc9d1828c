//! Raw RFC 5322 bytes: an `.eml` file, a Cloudflare Email Worker's `message.raw`, an IMAP fetch,
//! an SMTP hand-off.

use crate::message::InboundMessage;

use super::error::ProviderError;
use super::{ProviderKind, ProviderOptions, check_payload_size, parse_mime, transport_for};

/// Parse raw MIME. [`TransportInfo::provider`](crate::message::TransportInfo) is `raw` and
/// nothing else is known about the transport; a host that knows the SMTP envelope (an SMTP
/// hand-off, a Cloudflare Worker's `message.from` / `message.to`) sets
/// [`TransportInfo::envelope`](crate::message::TransportInfo) on the result.
///
/// # Errors
/// [`ProviderError::TooLarge`] over [`ProviderLimits::max_payload_bytes`](super::ProviderLimits),
/// or [`ProviderError::Mime`] (field `body`) when the MIME parser refuses the bytes.
pub fn parse_raw(body: &[u8], opts: &ProviderOptions) -> Result<InboundMessage, ProviderError> {
    check_payload_size(body, &opts.limits)?;
    let mut msg = parse_mime(body, "body", opts)?;
    msg.transport = Some(transport_for(ProviderKind::Raw));
    Ok(msg)
}
