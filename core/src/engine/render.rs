//! RFC 5322 output for outgoing email and forwards, built with `mail-builder`.

use chrono::{DateTime, Utc};
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId as MidHeader;
use mail_builder::headers::raw::Raw;

/// The header on every message replytrack sends, holding our id of that message. The MIME
/// classifier recognises our own mail echoed back by it (own-loop detection); it is
/// [`crate::message::REPLYTRACK_ID_HEADER`].
pub const ID_HEADER: &str = crate::message::REPLYTRACK_ID_HEADER;
/// The loop guard on forwards: its value is the reply domain. An inbound message carrying it
/// with our domain is our own forward coming back, and is dropped.
pub const LOOP_HEADER: &str = "X-Replytrack-Loop";
/// The conversation a message belongs to, for the owner's mail filters.
pub const CONVERSATION_HEADER: &str = "X-Replytrack-Conversation";
/// RFC 3834: set to `auto-generated` on forwards, so auto-responders do not answer them.
pub const AUTO_SUBMITTED_HEADER: &str = "Auto-Submitted";

/// Why an outgoing message could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Writing the RFC 5322 bytes failed.
    #[error("could not write the RFC 5322 message: {0}")]
    Write(#[from] std::io::Error),
}

/// One mailbox to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    pub name: Option<String>,
    pub address: String,
}

impl Person {
    pub fn new(name: Option<&str>, address: &str) -> Self {
        Self {
            name: name.map(one_line).filter(|n| !n.is_empty()),
            address: one_line(address),
        }
    }

    fn header(&self) -> Address<'_> {
        Address::new_address(self.name.as_deref(), self.address.as_str())
    }
}

/// What goes into one outgoing message.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    pub from: Person,
    pub to: Vec<Person>,
    pub cc: Vec<Person>,
    pub reply_to: Person,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub date: DateTime<Utc>,
    /// Extra headers (name, value); values are written as given, so they must be our own.
    pub headers: Vec<(&'static str, String)>,
}

/// Collapse a header value to one line (no CR or LF can reach a header).
pub(crate) fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn address_list(people: &[Person]) -> Address<'_> {
    if let [one] = people {
        one.header()
    } else {
        Address::new_list(people.iter().map(Person::header).collect())
    }
}

/// Write the message.
pub(crate) fn render(parts: &Parts) -> Result<Vec<u8>, RenderError> {
    let mut b = MessageBuilder::new()
        .from(parts.from.header())
        .to(address_list(&parts.to))
        .reply_to(parts.reply_to.header())
        .subject(one_line(&parts.subject))
        .message_id(MidHeader::new(parts.message_id.as_str()))
        .date(Date::new(parts.date.timestamp()));
    if !parts.cc.is_empty() {
        b = b.cc(address_list(&parts.cc));
    }
    if let Some(irt) = &parts.in_reply_to {
        b = b.in_reply_to(MidHeader::new(irt.as_str()));
    }
    if !parts.references.is_empty() {
        b = b.references(MidHeader::new_list(
            parts.references.iter().map(String::as_str),
        ));
    }
    for (name, value) in &parts.headers {
        b = b.header(*name, Raw::new(one_line(value)));
    }
    b = b.text_body(parts.text.as_str());
    if let Some(html) = &parts.html {
        b = b.html_body(html.as_str());
    }
    Ok(b.write_to_vec()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_newline_in_the_subject_cannot_inject_a_header() {
        let parts = Parts {
            from: Person::new(Some("Acme"), "hello@acme.example"),
            to: vec![Person::new(
                Some("Marie\r\nBcc: x@evil.example"),
                "marie@example.fr",
            )],
            cc: Vec::new(),
            reply_to: Person::new(None, "reply+abc@reply.acme.example"),
            subject: "Hello\r\nBcc: victim@evil.example".into(),
            text: "Body".into(),
            html: None,
            message_id: "abc.def@reply.acme.example".into(),
            in_reply_to: None,
            references: Vec::new(),
            date: Utc
                .with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
                .single()
                .unwrap_or_default(),
            headers: vec![(ID_HEADER, "msg_1\r\nX-Evil: 1".into())],
        };
        let raw = String::from_utf8(render(&parts).unwrap()).unwrap();
        assert!(!raw.lines().any(|l| l.starts_with("Bcc:")), "{raw}");
        assert!(!raw.lines().any(|l| l.starts_with("X-Evil")), "{raw}");
        assert!(
            raw.contains("Message-ID: <abc.def@reply.acme.example>"),
            "{raw}"
        );
    }
}
