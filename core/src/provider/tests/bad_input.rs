//! Bad input: each defect gives a typed error that names the field or the limit.

use super::*;
use crate::provider::{
    ProviderError, ProviderLimits, parse_mailgun, parse_postmark, parse_sendgrid,
};

fn form(fields: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in fields {
        out.extend_from_slice(b"--b\r\nContent-Disposition: form-data; name=\"");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\"\r\n\r\n");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--b--\r\n");
    out
}

const CT: &str = "multipart/form-data; boundary=b";

fn sendgrid_err(fields: &[(&str, &[u8])]) -> ProviderError {
    parse_sendgrid(&form(fields), Some(CT), &opts()).expect_err("refused")
}

#[test]
fn sendgrid_without_headers_or_email_names_the_missing_field() {
    let err = sendgrid_err(&[("text", b"hi")]);
    assert!(matches!(&err, ProviderError::MissingField { field } if field == "headers"));
}

#[test]
fn invalid_json_names_its_field() {
    let err = sendgrid_err(&[("headers", b"Subject: x"), ("envelope", b"{\"to\": [")]);
    assert!(matches!(&err, ProviderError::InvalidJson { field: Some(f), .. } if f == "envelope"));
    assert!(
        err.to_string()
            .starts_with("invalid JSON in field `envelope`")
    );
    let err = sendgrid_err(&[("headers", b"Subject: x"), ("charsets", b"nope")]);
    assert!(matches!(&err, ProviderError::InvalidJson { field: Some(f), .. } if f == "charsets"));
    let err = sendgrid_err(&[("headers", b"Subject: x"), ("attachment-info", b"[")]);
    assert!(
        matches!(&err, ProviderError::InvalidJson { field: Some(f), .. } if f == "attachment-info")
    );
    let err = parse_postmark(b"{\"From\": ", &opts()).expect_err("truncated JSON");
    assert!(matches!(
        &err,
        ProviderError::InvalidJson { field: None, .. }
    ));
    assert!(err.to_string().starts_with("invalid JSON in payload"));
}

#[test]
fn an_envelope_of_the_wrong_shape_names_the_json_path() {
    let err = sendgrid_err(&[("headers", b"Subject: x"), ("envelope", b"{\"to\": [1]}")]);
    assert!(matches!(&err, ProviderError::WrongType { field, .. } if field == "envelope.to[0]"));
}

#[test]
fn an_unknown_charset_names_the_field_and_the_charset() {
    let err = sendgrid_err(&[
        ("headers", b"Subject: x"),
        ("charsets", b"{\"text\": \"x-klingon\"}"),
        ("text", b"Qapla'"),
    ]);
    assert!(matches!(
        &err,
        ProviderError::BadCharset { field, charset } if field == "text" && charset == "x-klingon"
    ));
    assert_eq!(
        err.to_string(),
        "field `text` is declared in unknown charset `x-klingon`"
    );
}

#[test]
fn a_truncated_multipart_names_the_unfinished_part() {
    let cut = SENDGRID_PARSED.len() / 2;
    let err =
        parse_sendgrid(&SENDGRID_PARSED[..cut], Some(SENDGRID_CT), &opts()).expect_err("truncated");
    assert!(matches!(err, ProviderError::TruncatedMultipart { part } if part > 1));
    let no_close = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b";
    let err = parse_sendgrid(no_close, Some(CT), &opts()).expect_err("no closing delimiter");
    assert!(matches!(err, ProviderError::TruncatedMultipart { part: 2 }));
}

#[test]
fn boundary_problems_are_named() {
    let err = parse_sendgrid(SENDGRID_PARSED, Some("multipart/form-data"), &opts())
        .expect_err("no boundary");
    assert!(matches!(err, ProviderError::MissingBoundary));
    let err = parse_sendgrid(
        SENDGRID_PARSED,
        Some("multipart/form-data; boundary=zzz"),
        &opts(),
    )
    .expect_err("wrong boundary");
    assert!(matches!(err, ProviderError::BadBoundary { boundary } if boundary == "zzz"));
    let err = parse_sendgrid(b"{}", Some("application/json"), &opts()).expect_err("not a form");
    assert!(matches!(err, ProviderError::UnsupportedContentType { .. }));
}

#[test]
fn a_part_without_a_name_is_malformed() {
    let body = b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n";
    let err = parse_sendgrid(body, Some(CT), &opts()).expect_err("no name");
    assert!(matches!(err, ProviderError::MalformedPart { part: 1, .. }));
}

fn limited(edit: impl FnOnce(&mut ProviderLimits)) -> crate::provider::ProviderOptions {
    let mut o = opts();
    edit(&mut o.limits);
    o
}

#[test]
fn oversized_payloads_and_fields_name_the_limit() {
    let o = limited(|l| l.max_payload_bytes = 1_000);
    for kind in ProviderKind::ALL {
        let err =
            parse_provider(kind, SENDGRID_PARSED, Some(SENDGRID_CT), &o).expect_err("too big");
        assert!(
            matches!(err, ProviderError::TooLarge { size, limit: 1_000 } if size == SENDGRID_PARSED.len()),
            "{kind}"
        );
    }
    let o = limited(|l| l.max_field_bytes = 100);
    let err = parse_sendgrid(SENDGRID_PARSED, Some(SENDGRID_CT), &o).expect_err("field too big");
    assert!(
        matches!(&err, ProviderError::FieldTooLarge { field, limit: 100, .. } if field == "headers")
    );
    assert!(err.to_string().contains("max_field_bytes"));
    let o = limited(|l| l.max_fields = 5);
    let err = parse_mailgun(MAILGUN_URLENCODED, Some(URLENCODED_CT), &o).expect_err("fields");
    assert!(matches!(err, ProviderError::TooManyFields { limit: 5 }));
    let err = parse_sendgrid(SENDGRID_PARSED, Some(SENDGRID_CT), &o).expect_err("fields");
    assert!(matches!(err, ProviderError::TooManyFields { limit: 5 }));
}

#[test]
fn too_many_attachments_or_headers_name_the_limit() {
    let o = limited(|l| l.max_attachments = 1);
    let err = parse_sendgrid(SENDGRID_PARSED, Some(SENDGRID_CT), &o).expect_err("attachments");
    assert!(matches!(
        err,
        ProviderError::TooManyAttachments { count: 2, limit: 1 }
    ));
    let o = limited(|l| l.max_headers = 3);
    let err = parse_mailgun(MAILGUN_MULTIPART, Some(MAILGUN_CT), &o).expect_err("headers");
    assert!(
        matches!(&err, ProviderError::TooManyHeaders { field, limit: 3 } if field == "message-headers")
    );
    let err = parse_postmark(POSTMARK, &o).expect_err("headers");
    assert!(matches!(&err, ProviderError::TooManyHeaders { field, .. } if field == "Headers"));
}

#[test]
fn json_payload_that_is_not_an_object_is_refused() {
    let err = parse_postmark(b"[1, 2]", &opts()).expect_err("array");
    assert!(matches!(
        err,
        ProviderError::WrongType {
            expected: "an object",
            ..
        }
    ));
}
