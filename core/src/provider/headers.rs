//! Header blocks handed over by providers (SendGrid's `headers` field), read by the MIME parser's
//! header reader. Header lists (Mailgun's `message-headers`, Postmark's `Headers`) become
//! [`Field`]s directly; [`crate::message::fields`] turns either into message fields.

use crate::message::ParseError;
use crate::message::header::{Field, split_block};

use super::error::ProviderError;

/// Split a raw header block (SendGrid's `headers` field) into fields, with the MIME parser's
/// header reader in its lenient block mode; what it had to skip is noted in `warnings`.
///
/// # Errors
/// [`ProviderError::TooManyHeaders`] past `max_headers`.
pub(crate) fn parse_header_block(
    block: &str,
    field: &'static str,
    max_headers: usize,
    warnings: &mut Vec<String>,
) -> Result<Vec<Field>, ProviderError> {
    let section = split_block(block.as_bytes(), max_headers).map_err(|source| match source {
        ParseError::TooManyHeaders { .. } => ProviderError::TooManyHeaders {
            field: field.to_string(),
            limit: max_headers,
        },
        source => ProviderError::Mime { field, source },
    })?;
    warnings.extend(
        section
            .notes
            .into_iter()
            .map(|note| format!("field `{field}`: {note}")),
    );
    Ok(section.fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Mailbox;
    use crate::message::fields::message_from_fields;

    const BLOCK: &str = "Received: from mx.example.fr\r\n\tby mx.sendgrid.net; Tue, 3 Mar 2026 09:00:00 +0000\r\n\
Message-ID: <CAF=abc@mail.example.fr>\r\n\
In-Reply-To: <out-1@product.example>\r\n\
References: <out-0@product.example>\r\n <out-1@product.example>\r\n\
From: =?UTF-8?Q?Marie_Dupont?= <marie@example.fr>\r\n\
To: reply+tok@reply.example.com\r\n\
Delivered-To: reply+tok@reply.example.com\r\n\
Return-Path: <marie@example.fr>\r\n\
Date: Tue, 3 Mar 2026 10:00:00 +0100 (CET)\r\n\
Subject: =?UTF-8?B?UsOpcG9uc2U=?=\r\n\r\nbody is not a header: x\r\n";

    #[test]
    fn sendgrid_style_header_block_fills_the_message() {
        let mut warnings = Vec::new();
        let headers = parse_header_block(BLOCK, "headers", 100, &mut warnings).expect("parses");
        let msg = message_from_fields(&headers);
        assert_eq!(msg.message_id.as_deref(), Some("CAF=abc@mail.example.fr"));
        assert_eq!(msg.in_reply_to, vec!["out-1@product.example"]);
        assert_eq!(
            msg.references,
            vec!["out-0@product.example", "out-1@product.example"]
        );
        assert_eq!(
            msg.from,
            Some(Mailbox::with_name("Marie Dupont", "marie@example.fr"))
        );
        assert_eq!(msg.delivered_to, vec!["reply+tok@reply.example.com"]);
        assert_eq!(msg.return_path.as_deref(), Some("marie@example.fr"));
        assert_eq!(msg.subject.as_deref(), Some("Réponse"));
        assert_eq!(
            msg.date.map(|d| d.to_rfc3339()),
            Some("2026-03-03T09:00:00+00:00".to_string())
        );
        assert_eq!(msg.header("subject"), Some("Réponse"));
        assert_eq!(msg.headers.len(), 10);
        assert!(msg.warnings.is_empty(), "{:?}", msg.warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn header_count_is_limited() {
        let block = "X-A: 1\n".repeat(11);
        assert!(matches!(
            parse_header_block(&block, "headers", 10, &mut Vec::new()),
            Err(ProviderError::TooManyHeaders { limit: 10, .. })
        ));
    }

    #[test]
    fn stray_lines_in_a_block_are_skipped_with_a_note() {
        let mut warnings = Vec::new();
        let headers = parse_header_block(
            "\r\nFrom sender Tue Mar  3 09:00:00 2026\r\nSubject: hi\r\nnot a header\r\nTo: a@b.c\r\n",
            "headers",
            10,
            &mut warnings,
        )
        .expect("parses");
        let names: Vec<&str> = headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["Subject", "To"]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("`headers`"));
    }
}
