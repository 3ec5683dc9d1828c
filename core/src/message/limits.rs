//! The limits applied while parsing untrusted bytes, and the errors that name them.

/// The deepest nesting [`InboundMessage::parse`](super::InboundMessage::parse) ever walks,
/// whatever [`Limits::max_depth`] says.
///
/// Nested parts and attached messages are walked recursively and the result is a nested value, so
/// an unbounded depth could exhaust the stack. 64 levels fit comfortably in a 2 MiB thread stack;
/// real mail rarely goes past 8.
pub const MAX_DEPTH_CEILING: usize = 64;

/// Limits applied while parsing untrusted bytes.
///
/// Every limit is checked while the input is split, before the bytes of a part are decoded, so a
/// hostile message is refused after linear work. Each refusal is a [`ParseError`] naming the limit.
/// The defaults accept any message a real mail system sends.
///
/// ```
/// use replytrack::message::Limits;
/// let strict = Limits { max_bytes: 1024 * 1024, ..Limits::default() };
/// assert_eq!(strict.max_parts, Limits::default().max_parts);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted message, in bytes (default 25 MiB).
    pub max_bytes: usize,
    /// Most MIME entities in the whole message (default 1000). The message itself, every part,
    /// every multipart container and every part of an attached message count as one each.
    pub max_parts: usize,
    /// Deepest nesting (default 32). The message is at depth 1; each multipart level and each
    /// attached message adds one. Values above [`MAX_DEPTH_CEILING`] act as that ceiling.
    pub max_depth: usize,
    /// Most header fields in the whole message, counting the header sections of every part and
    /// attached message (default 1000).
    pub max_headers: usize,
    /// Longest physical line in a header section, in bytes, line break excluded (default 64 KiB).
    ///
    /// A longer header line is refused with [`ParseError::LineTooLong`]. Body lines are not
    /// limited: real mailers send whole HTML documents or unwrapped base64 on one line, and the
    /// body is split and decoded in linear time whatever its line lengths.
    pub max_line_len: usize,
    /// Largest single header section (the message's, a part's, or an attached message's), in
    /// bytes, folded lines included (default 1 MiB).
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 25 * 1024 * 1024,
            max_parts: 1000,
            max_depth: 32,
            max_headers: 1000,
            max_line_len: 64 * 1024,
            max_header_bytes: 1024 * 1024,
        }
    }
}

impl Limits {
    /// The depth limit actually applied: [`Limits::max_depth`], capped at [`MAX_DEPTH_CEILING`].
    pub fn effective_max_depth(&self) -> usize {
        self.max_depth.min(MAX_DEPTH_CEILING)
    }
}

/// Why raw bytes could not be parsed into a message.
///
/// Byte offsets count from the start of the raw message. Inside an attached message that was
/// itself base64- or quoted-printable-encoded, they count from the start of that decoded message.
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
    /// The bytes do not start with a header section, so they are not an email at all.
    #[error("input is not an email message: {reason}")]
    NotAMessage {
        /// What was wrong (`the input is empty`, `the first line is not a header field`, …).
        reason: &'static str,
    },
    /// More MIME entities than [`Limits::max_parts`].
    #[error("message has at least {count} MIME parts, over the limit of {limit}")]
    TooManyParts {
        /// How many parts were found when parsing stopped (the limit plus one).
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// Nesting deeper than [`Limits::max_depth`].
    #[error("MIME nesting reaches depth {depth} at byte {offset}, over the limit of {limit}")]
    TooDeep {
        /// The depth reached (the limit plus one).
        depth: usize,
        /// The effective limit ([`Limits::effective_max_depth`]).
        limit: usize,
        /// Where the too-deep entity starts.
        offset: usize,
    },
    /// More header fields than [`Limits::max_headers`].
    #[error("message has at least {count} header fields, over the limit of {limit}")]
    TooManyHeaders {
        /// How many fields were found when parsing stopped (the limit plus one).
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A header line longer than [`Limits::max_line_len`].
    #[error("header line at byte {offset} is {len} bytes long, over the limit of {limit}")]
    LineTooLong {
        /// Where the line starts.
        offset: usize,
        /// Its length (at least the limit plus one; counting stops there).
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A header section larger than [`Limits::max_header_bytes`].
    #[error("header section at byte {offset} is over {limit} bytes")]
    HeaderSectionTooLarge {
        /// Where the section starts.
        offset: usize,
        /// The limit.
        limit: usize,
    },
}

/// What a whole parse has used so far, shared by nested parts and attached messages.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    pub parts: usize,
    pub headers: usize,
}

impl Budget {
    /// Count one more MIME entity.
    pub fn add_part(&mut self, limits: &Limits) -> Result<(), ParseError> {
        self.parts += 1;
        if self.parts > limits.max_parts {
            return Err(ParseError::TooManyParts {
                count: self.parts,
                limit: limits.max_parts,
            });
        }
        Ok(())
    }

    /// Count one more header field.
    pub fn add_header(&mut self, limits: &Limits) -> Result<(), ParseError> {
        self.headers += 1;
        if self.headers > limits.max_headers {
            return Err(ParseError::TooManyHeaders {
                count: self.headers,
                limit: limits.max_headers,
            });
        }
        Ok(())
    }
}

/// Refuse an entity nested deeper than the limit.
pub(crate) fn check_depth(depth: usize, offset: usize, limits: &Limits) -> Result<(), ParseError> {
    let limit = limits.effective_max_depth();
    if depth > limit {
        return Err(ParseError::TooDeep {
            depth,
            limit,
            offset,
        });
    }
    Ok(())
}
