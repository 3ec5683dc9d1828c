//! The form parser on its own: line endings, quoting, look-alike boundaries, urlencoding.

use std::borrow::Cow;

use proptest::prelude::*;

use super::*;
use crate::provider::multipart::parse_form;

fn parse<'a>(body: &'a [u8], ct: &str) -> crate::provider::multipart::Form<'a> {
    parse_form(body, Some(ct), &opts().limits).expect("form parses")
}

#[test]
fn lf_only_line_endings_and_a_preamble_are_accepted() {
    let body =
        b"preamble text\n--b\nContent-Disposition: form-data; name=\"a\"\n\nline1\nline2\n--b--\n";
    let form = parse(body, "multipart/form-data; boundary=b");
    assert_eq!(form.bytes("a"), Some(&b"line1\nline2"[..]));
}

#[test]
fn a_boundary_look_alike_inside_content_is_not_a_delimiter() {
    let body =
        b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bogus\r\ny\r\n--b--\r\n";
    let form = parse(body, "multipart/form-data; boundary=b");
    assert_eq!(form.bytes("a"), Some(&b"x\r\n--bogus\r\ny"[..]));
}

#[test]
fn quoted_and_extended_filenames_are_decoded() {
    let body = "--b\r\nContent-Disposition: form-data; name=\"f1\"; filename=\"say \\\"hi\\\".txt\"\r\n\
Content-Type: text/plain; charset=iso-8859-1\r\n\r\nx\r\n\
--b\r\nContent-Disposition: form-data; name=\"f2\"; filename=\"euro.txt\"; filename*=UTF-8''%E2%82%AC.txt\r\n\r\ny\r\n--b--\r\n";
    let form = parse(body.as_bytes(), "multipart/form-data; boundary=\"b\"");
    let f1 = form.get("f1").expect("f1");
    assert_eq!(f1.filename.as_deref(), Some("say \"hi\".txt"));
    assert_eq!(f1.charset(), Some("iso-8859-1"));
    assert_eq!(
        form.get("f2").and_then(|p| p.filename.as_deref()),
        Some("€.txt")
    );
}

#[test]
fn urlencoded_pluses_and_escapes_are_decoded_and_bad_escapes_kept() {
    let form = parse(
        b"a=hello+world&b=%C3%A9t%C3%A9&c=100%&d&&e=%zz",
        "application/x-www-form-urlencoded",
    );
    assert_eq!(form.bytes("a"), Some(&b"hello world"[..]));
    assert_eq!(form.bytes("b"), Some("été".as_bytes()));
    assert_eq!(form.bytes("c"), Some(&b"100%"[..]));
    assert_eq!(form.bytes("d"), Some(&b""[..]));
    assert_eq!(form.bytes("e"), Some(&b"%zz"[..]));
}

#[test]
fn an_empty_part_and_the_first_of_duplicate_names_are_kept() {
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nsecond\r\n--b--";
    let form = parse(body, "multipart/form-data; boundary=b");
    assert_eq!(form.parts.len(), 2);
    assert_eq!(form.bytes("a"), Some(&b""[..]));
}

#[test]
fn many_look_alike_boundaries_parse_in_linear_time() {
    // Each line starts like the delimiter but is not one; a quadratic search would crawl.
    let mut body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n".to_vec();
    body.extend(b"\n--bx".repeat(200_000));
    body.extend(b"\r\n--b--\r\n");
    let form = parse(&body, "multipart/form-data; boundary=b");
    assert_eq!(form.bytes("a").map(<[u8]>::len), Some(5 * 200_000));
}

fn build(fields: &[(String, Vec<u8>)], boundary: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in fields {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

proptest! {
    #[test]
    fn multipart_fields_round_trip(
        fields in prop::collection::vec(("[a-z][a-z0-9_-]{0,12}", prop::collection::vec(any::<u8>(), 0..200)), 1..8)
    ) {
        // The boundary never occurs in the values: it contains a byte they cannot hold here.
        let boundary = "----replytrack-proptest-\u{7f}";
        let fields: Vec<(String, Vec<u8>)> = fields
            .into_iter()
            .map(|(n, v)| (n, v.into_iter().map(|b| if b == 0x7f { b'x' } else { b }).collect()))
            .collect();
        let body = build(&fields, boundary);
        let form = parse_form(&body, Some(&format!("multipart/form-data; boundary=\"{boundary}\"")), &opts().limits)
            .expect("well-formed body parses");
        prop_assert_eq!(form.parts.len(), fields.len());
        for (part, (name, value)) in form.parts.iter().zip(&fields) {
            prop_assert_eq!(&part.name, name);
            prop_assert_eq!(&part.data, &Cow::Borrowed(value.as_slice()));
        }
    }
}
