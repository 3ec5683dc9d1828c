//! Why a provider payload could not be turned into a message.

use crate::message::ParseError;

use super::sns::SnsError;

/// Why a webhook payload could not be turned into an [`InboundMessage`](crate::message::InboundMessage).
///
/// Every variant names the field or the limit at fault, so the host can log it next to the raw
/// payload it keeps for its dead-letter store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProviderError {
    /// The whole payload is larger than [`ProviderLimits::max_payload_bytes`](super::ProviderLimits).
    #[error("payload is {size} bytes, over the limit of {limit} bytes (max_payload_bytes)")]
    TooLarge {
        /// The payload size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// One field is larger than [`ProviderLimits::max_field_bytes`](super::ProviderLimits).
    #[error("field `{field}` is {size} bytes, over the limit of {limit} bytes (max_field_bytes)")]
    FieldTooLarge {
        /// The field name.
        field: String,
        /// The field size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The payload has more fields than [`ProviderLimits::max_fields`](super::ProviderLimits).
    #[error("payload has more than {limit} fields (max_fields)")]
    TooManyFields {
        /// The limit.
        limit: usize,
    },
    /// The payload carries more attachments than
    /// [`ProviderLimits::max_attachments`](super::ProviderLimits).
    #[error("payload has {count} attachments, over the limit of {limit} (max_attachments)")]
    TooManyAttachments {
        /// How many attachments were seen when the limit was crossed.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A header block has more headers than [`ProviderLimits::max_headers`](super::ProviderLimits).
    #[error("field `{field}` has more than {limit} headers (max_headers)")]
    TooManyHeaders {
        /// The field holding the header block.
        field: String,
        /// The limit.
        limit: usize,
    },
    /// A field the provider always sends is absent.
    #[error("required field `{field}` is missing")]
    MissingField {
        /// The field name (a JSON path such as `mail.messageId` for nested fields).
        field: String,
    },
    /// A field (or the whole payload, when `field` is `None`) is not valid JSON.
    #[error("invalid JSON in {}: {message}", field_or_payload(.field.as_deref()))]
    InvalidJson {
        /// The field holding the JSON, or `None` for the payload itself.
        field: Option<String>,
        /// What the JSON parser said, with line and column.
        message: String,
    },
    /// A JSON field has the wrong type.
    #[error("field `{field}` should be {expected}")]
    WrongType {
        /// The field (JSON path).
        field: String,
        /// What was expected (`a string`, `a list of strings`, …).
        expected: &'static str,
    },
    /// A field's value is malformed (bad base64, an unknown enumeration value, …).
    #[error("field `{field}` is invalid: {reason}")]
    InvalidField {
        /// The field (form name or JSON path).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A field is declared in a charset we do not know.
    #[error("field `{field}` is declared in unknown charset `{charset}`")]
    BadCharset {
        /// The field name.
        field: String,
        /// The charset label as given (at most 64 characters of it).
        charset: String,
    },
    /// The request's `Content-Type` is neither `multipart/form-data` nor
    /// `application/x-www-form-urlencoded` (or `application/json` where JSON is expected).
    #[error("unsupported content type `{content_type}`")]
    UnsupportedContentType {
        /// The content type as given (at most 128 characters of it).
        content_type: String,
    },
    /// A `multipart/form-data` content type without a `boundary` parameter.
    #[error("multipart content type has no boundary parameter")]
    MissingBoundary,
    /// The multipart boundary is empty, too long (over 200 bytes) or never occurs in the body.
    #[error("multipart boundary `{boundary}` is invalid or never occurs in the body")]
    BadBoundary {
        /// The boundary (at most 200 bytes of it).
        boundary: String,
    },
    /// The multipart body ends before its closing boundary.
    #[error("multipart body is truncated: it ends inside part {part} without a closing boundary")]
    TruncatedMultipart {
        /// The 1-based index of the unfinished part.
        part: usize,
    },
    /// A multipart part is malformed.
    #[error("multipart part {part} is malformed: {reason}")]
    MalformedPart {
        /// The 1-based index of the part.
        part: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The raw MIME carried in a field could not be parsed.
    #[error("raw MIME in field `{field}` could not be parsed: {source}")]
    Mime {
        /// The field that held the MIME (`email`, `body-mime`, `content`, or `body` for raw input).
        field: &'static str,
        /// What the MIME parser said.
        #[source]
        source: ParseError,
    },
    /// An SNS message is a subscription (un)confirmation, not a notification carrying mail.
    /// Use [`parse_ses`](super::ses::parse_ses) to get what the host must confirm.
    #[error("SNS message is a {message_type}, not a Notification carrying mail")]
    NotANotification {
        /// The SNS `Type`.
        message_type: String,
    },
    /// An SES notification of a type other than `Received` (a bounce or complaint feed, say).
    #[error("SES notificationType is `{notification_type}`, expected `Received`")]
    UnsupportedNotification {
        /// The `notificationType` as given (at most 64 characters of it).
        notification_type: String,
    },
    /// The SES receipt action does not include the message (`S3`, `Lambda`, …): only the `SNS`
    /// action puts the raw MIME in `content`.
    #[error(
        "SES notification has no `content`: receipt action `{action}` does not include the message (use the SNS action)"
    )]
    SesWithoutContent {
        /// The receipt action type.
        action: String,
    },
    /// The SNS signature did not verify.
    #[error("SNS message failed verification: {0}")]
    Sns(#[from] SnsError),
}

fn field_or_payload(field: Option<&str>) -> String {
    match field {
        Some(f) => format!("field `{f}`"),
        None => "payload".to_string(),
    }
}

/// Cut untrusted text kept in an error message to at most `max` characters.
pub(crate) fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The name given to [`ProviderKind::from_str`](super::ProviderKind) is not a provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider `{given}`: expected raw, sendgrid, mailgun, postmark or ses")]
pub struct UnknownProvider {
    /// The name as given (at most 64 characters of it).
    pub given: String,
}
