//! Walking a message's entity tree: text and HTML bodies, attachments, attached messages and
//! delivery-status reports.
//!
//! The walk recurses once per nesting level, which [`super::limits::MAX_DEPTH_CEILING`] bounds.

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use super::charset;
use super::flowed::unflow;
use super::limits::{Budget, Limits, ParseError};
use super::mailbox::parse_content_id;
use super::mime::{Entity, Tree};
use super::parse::parse_message;
use super::transfer::{self, TransferEncoding};
use super::{Attachment, InboundMessage};

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    /// Decoded text/plain bodies, in order.
    pub text: Vec<String>,
    /// Decoded text/html bodies, in order.
    pub html: Vec<String>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// Attached messages (`message/rfc822`, `text/rfc822-headers`).
    pub attached: Vec<InboundMessage>,
    /// `message/delivery-status` texts.
    pub delivery_status: Vec<String>,
}

impl Collected {
    fn absorb_all_but_bodies(&mut self, other: Collected) {
        self.attachments.extend(other.attachments);
        self.attached.extend(other.attached);
        self.delivery_status.extend(other.delivery_status);
    }
}

/// How a part is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// As content.
    Content,
    /// As a resource of a `multipart/related` root (an inline image, a stylesheet).
    Resource,
}

/// Walks one message's tree.
pub(crate) struct Walker<'a> {
    buf: &'a [u8],
    base_offset: usize,
    tree: &'a Tree,
    limits: &'a Limits,
    budget: &'a mut Budget,
    /// Notes on lossy or lenient decoding.
    pub warnings: Vec<String>,
}

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The Content-IDs referenced as `cid:…` URLs in an HTML body (one pass).
fn cid_references(html: &str) -> HashSet<&str> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(at) = rest.find("cid:") {
        let after = rest.get(at + 4..).unwrap_or_default();
        let end = after
            .find(|c: char| c.is_whitespace() || "\"'()<>".contains(c))
            .unwrap_or(after.len());
        ids.insert(after.get(..end).unwrap_or_default());
        rest = after.get(end..).unwrap_or_default();
    }
    ids
}

/// Finish a message whose bodies and attachments are in place, whoever built it (the MIME parser
/// or a provider adapter's parsed mode): when the text body is missing or blank and there is
/// HTML, the text is the HTML converted by [`crate::html::html_to_text`] and
/// [`InboundMessage::text_from_html`] is set; attachments whose Content-ID the HTML references
/// (`cid:…`) are marked inline.
pub(crate) fn finish_bodies(msg: &mut InboundMessage) {
    let Some(html) = msg.html_body.as_deref() else {
        return;
    };
    if msg.text_body.as_deref().is_none_or(|t| t.trim().is_empty()) {
        msg.text_body = Some(crate::html::html_to_text(html));
        msg.text_from_html = true;
    }
    let referenced = cid_references(html);
    for attachment in &mut msg.attachments {
        if attachment
            .content_id
            .as_deref()
            .is_some_and(|cid| referenced.contains(cid))
        {
            attachment.inline = true;
        }
    }
}

/// `\r\n` → `\n`.
fn normalise_newlines(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

impl<'a> Walker<'a> {
    /// A walker over `tree`, whose buffer `buf` starts at `base_offset` of the raw input.
    pub fn new(
        buf: &'a [u8],
        base_offset: usize,
        tree: &'a Tree,
        limits: &'a Limits,
        budget: &'a mut Budget,
    ) -> Self {
        Self {
            buf,
            base_offset,
            tree,
            limits,
            budget,
            warnings: Vec::new(),
        }
    }

    /// Walk the whole message.
    pub fn collect(mut self) -> Result<(Collected, Vec<String>), ParseError> {
        let mut out = Collected::default();
        self.walk(0, Role::Content, &mut out)?;
        Ok((out, self.warnings))
    }

    fn walk(&mut self, index: usize, role: Role, out: &mut Collected) -> Result<(), ParseError> {
        let tree = self.tree;
        let Some(entity) = tree.entities.get(index) else {
            return Ok(());
        };
        if entity.ctype.main != "multipart" {
            return self.leaf(entity, role, out);
        }
        match entity.ctype.sub.as_str() {
            "alternative" => self.alternative(entity, role, out),
            "related" => {
                let start = entity.ctype.param("start").and_then(parse_content_id);
                let root = start
                    .and_then(|id| {
                        entity.children.iter().copied().find(|&c| {
                            tree.entities.get(c).and_then(|e| e.content_id.as_deref())
                                == Some(id.as_str())
                        })
                    })
                    .or_else(|| entity.children.first().copied());
                for &child in &entity.children {
                    let child_role = if Some(child) == root {
                        role
                    } else {
                        Role::Resource
                    };
                    self.walk(child, child_role, out)?;
                }
                Ok(())
            }
            _ => {
                for &child in &entity.children {
                    self.walk(child, role, out)?;
                }
                Ok(())
            }
        }
    }

    /// `multipart/alternative`: the text of the first alternative that has text, the HTML of the
    /// last that has HTML, and the attachments of all.
    fn alternative(
        &mut self,
        entity: &Entity,
        role: Role,
        out: &mut Collected,
    ) -> Result<(), ParseError> {
        let mut alternatives = Vec::with_capacity(entity.children.len());
        for &child in &entity.children {
            let mut found = Collected::default();
            self.walk(child, role, &mut found)?;
            alternatives.push(found);
        }
        let text_from = alternatives.iter().position(|a| !a.text.is_empty());
        let html_from = alternatives.iter().rposition(|a| !a.html.is_empty());
        for (i, mut found) in alternatives.into_iter().enumerate() {
            if Some(i) == text_from {
                out.text.append(&mut found.text);
            }
            if Some(i) == html_from {
                out.html.append(&mut found.html);
            }
            out.absorb_all_but_bodies(found);
        }
        Ok(())
    }

    fn leaf(&mut self, entity: &Entity, role: Role, out: &mut Collected) -> Result<(), ParseError> {
        let raw = self.buf.get(entity.body.clone()).unwrap_or_default();
        let (bytes, note) = transfer::decode(raw, entity.encoding);
        if let Some(note) = note {
            self.warnings.push(format!("{}: {note}", entity.label()));
        }
        let disposition = entity.disposition.as_ref();
        let is_attachment = disposition.is_some_and(|d| d.kind == "attachment");
        let filename = disposition
            .and_then(|d| d.param("filename"))
            .or_else(|| entity.ctype.param("name"))
            .map(str::to_string);
        let ctype = &entity.ctype;
        match (ctype.main.as_str(), ctype.sub.as_str()) {
            ("message", "rfc822" | "global") => {
                self.attached_message(entity, &bytes, out)?;
                out.attachments
                    .push(attachment(entity, filename, role, &bytes));
            }
            ("text", "rfc822-headers") | ("message", "global-headers") => {
                self.attached_message(entity, &bytes, out)?;
            }
            ("message", "delivery-status" | "global-delivery-status") => {
                let text = self.text(entity, &bytes);
                out.delivery_status.push(text);
            }
            ("text", sub @ ("plain" | "html"))
                if role == Role::Content && !is_attachment && filename.is_none() =>
            {
                if bytes.is_empty() {
                    return Ok(());
                }
                let text = self.text(entity, &bytes);
                if sub == "html" {
                    out.html.push(text);
                } else {
                    out.text.push(text);
                }
            }
            _ => out
                .attachments
                .push(attachment(entity, filename, role, &bytes)),
        }
        Ok(())
    }

    /// Decode a text part: charset, newlines, and `format=flowed` for text/plain.
    fn text(&mut self, entity: &Entity, bytes: &[u8]) -> String {
        let label = entity.ctype.param("charset").or_else(|| {
            // RFC 6533: the global report types are UTF-8.
            (entity.ctype.main == "message").then_some("utf-8")
        });
        let decoded = charset::decode(bytes, label);
        if let Some(note) = decoded.note {
            self.warnings.push(format!("{}: {note}", entity.label()));
        }
        let text = normalise_newlines(decoded.text);
        let flowed = entity
            .ctype
            .param("format")
            .is_some_and(|f| f.eq_ignore_ascii_case("flowed"));
        if entity.ctype.is("text", "plain") && flowed {
            let delsp = entity
                .ctype
                .param("delsp")
                .is_some_and(|d| d.eq_ignore_ascii_case("yes"));
            unflow(&text, delsp)
        } else {
            text
        }
    }

    /// Parse an attached message (or header block) with the same limits and budget.
    fn attached_message(
        &mut self,
        entity: &Entity,
        bytes: &[u8],
        out: &mut Collected,
    ) -> Result<(), ParseError> {
        // Offsets inside a transfer-decoded message count from its own start.
        let base = if entity.encoding == TransferEncoding::Identity {
            self.base_offset + entity.body.start
        } else {
            0
        };
        match parse_message(bytes, base, entity.depth + 1, self.limits, self.budget) {
            Ok(message) => {
                let label = entity.label();
                self.warnings.extend(
                    message
                        .warnings
                        .iter()
                        .map(|w| format!("attached message in {label}: {w}")),
                );
                out.attached.push(message);
                Ok(())
            }
            Err(ParseError::NotAMessage { reason }) => {
                self.warnings.push(format!(
                    "{}: attached message not readable ({reason})",
                    entity.label()
                ));
                Ok(())
            }
            Err(err) => Err(err),
        }
    }
}

fn attachment(entity: &Entity, filename: Option<String>, role: Role, bytes: &[u8]) -> Attachment {
    let inline = role == Role::Resource
        || entity
            .disposition
            .as_ref()
            .is_some_and(|d| d.kind == "inline");
    Attachment {
        filename,
        content_type: entity.ctype.mime(),
        size: bytes.len() as u64,
        content_id: entity.content_id.clone(),
        inline,
        sha256: sha256_hex(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cid(cid: &str) -> Attachment {
        Attachment {
            content_id: Some(cid.to_string()),
            ..Attachment::default()
        }
    }

    #[test]
    fn only_attachments_the_html_references_by_their_whole_cid_are_inline() {
        let mut msg = InboundMessage {
            html_body: Some("<p>Hi</p><img src=\"cid:logo@x.example\">".to_string()),
            attachments: vec![with_cid("logo@x.example"), with_cid("logo@x")],
            ..InboundMessage::default()
        };
        finish_bodies(&mut msg);
        assert!(msg.attachments[0].inline);
        assert!(
            !msg.attachments[1].inline,
            "a prefix of a cid is another cid"
        );
        assert!(msg.text_from_html);
        assert_eq!(msg.text_body.as_deref().map(str::trim), Some("Hi"));
    }

    #[test]
    fn a_text_body_with_words_is_kept_beside_the_html() {
        let mut msg = InboundMessage {
            text_body: Some("Hello".to_string()),
            html_body: Some("<p>Bonjour</p>".to_string()),
            ..InboundMessage::default()
        };
        finish_bodies(&mut msg);
        assert_eq!(msg.text_body.as_deref(), Some("Hello"));
        assert!(!msg.text_from_html);
    }
}
