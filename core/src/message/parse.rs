//! Raw MIME → [`InboundMessage`]. (Stub: replaced by the MIME work.)

use super::InboundMessage;

/// Limits applied while parsing untrusted bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted message, in bytes.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 25 * 1024 * 1024,
        }
    }
}

/// Why raw bytes could not be parsed into a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The message is larger than [`Limits::max_bytes`].
    #[error("message is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The message size.
        size: usize,
        /// The limit.
        limit: usize,
    },
}

impl InboundMessage {
    /// Parse raw RFC 5322 bytes.
    ///
    /// # Errors
    /// A [`ParseError`] naming the limit or defect that stopped parsing.
    pub fn parse(raw: &[u8], limits: &Limits) -> Result<Self, ParseError> {
        if raw.len() > limits.max_bytes {
            return Err(ParseError::TooLarge {
                size: raw.len(),
                limit: limits.max_bytes,
            });
        }
        Ok(Self::default())
    }
}
