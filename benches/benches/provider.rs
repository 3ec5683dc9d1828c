//! Benchmarks: provider adapters, as overhead on top of raw MIME parsing.
//!
//! `raw_mime_baseline` is `InboundMessage::parse` on the reply every raw-mode fixture carries; each
//! adapter row parses its provider's payload for that same reply (raw modes) or builds the message
//! from the provider's fields (parsed modes). Signature checks are measured on their own.
use std::hint::black_box;

use chrono::DateTime;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use replytrack::message::InboundMessage;
use replytrack::provider::{
    Freshness, InMemoryReplayGuard, MailgunSignature, MailgunSigningKey, ProviderOptions,
    SnsExpectations, SnsMessage, parse_mailgun, parse_postmark, parse_raw, parse_sendgrid,
    parse_ses,
};

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../core/src/provider/testdata/", $name))
    };
}

const REPLY: &[u8] = fixture!("reply.eml");
const SENDGRID_PARSED: &[u8] = fixture!("sendgrid_parsed.multipart");
const SENDGRID_RAW: &[u8] = fixture!("sendgrid_raw.multipart");
const SENDGRID_CT: &str = "multipart/form-data; boundary=xYzZY";
const MAILGUN_MULTIPART: &[u8] = fixture!("mailgun_forward.multipart");
const MAILGUN_URLENCODED: &[u8] = fixture!("mailgun_forward.urlencoded");
const MAILGUN_MIME: &[u8] = fixture!("mailgun_mime.multipart");
const MAILGUN_CT: &str = "multipart/form-data; boundary=mg-7d1a9c";
const POSTMARK: &[u8] = fixture!("postmark_inbound.json");
const SES_V1: &[u8] = fixture!("ses_sns_base64_v1.json");
const SES_V2: &[u8] = fixture!("ses_sns_utf8_v2.json");
const SNS_CERT: &[u8] = fixture!("sns-test-cert.pem");
const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:replytrack-inbound";

/// A SendGrid parsed-mode payload with one attachment of `size` bytes.
fn sendgrid_with_attachment(size: usize) -> Vec<u8> {
    let mut body = Vec::with_capacity(size + 1024);
    body.extend_from_slice(
        b"--xYzZY\r\nContent-Disposition: form-data; name=\"headers\"\r\n\r\n\
Message-ID: <a@b>\r\nSubject: big\r\n\r\n\
--xYzZY\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nSee attached.\r\n\
--xYzZY\r\nContent-Disposition: form-data; name=\"attachment1\"; filename=\"big.bin\"\r\n\
Content-Type: application/octet-stream\r\n\r\n",
    );
    body.extend((0..size).map(|i| (i % 251) as u8));
    body.extend_from_slice(b"\r\n--xYzZY--\r\n");
    body
}

fn adapters(c: &mut Criterion) {
    let opts = ProviderOptions::default();
    let mut group = c.benchmark_group("provider");
    group.bench_function("raw_mime_baseline", |b| {
        b.iter(|| InboundMessage::parse(black_box(REPLY), &opts.mime))
    });
    group.bench_function("raw", |b| b.iter(|| parse_raw(black_box(REPLY), &opts)));
    group.bench_function("sendgrid_raw_mode", |b| {
        b.iter(|| parse_sendgrid(black_box(SENDGRID_RAW), Some(SENDGRID_CT), &opts))
    });
    group.bench_function("sendgrid_parsed_mode", |b| {
        b.iter(|| parse_sendgrid(black_box(SENDGRID_PARSED), Some(SENDGRID_CT), &opts))
    });
    group.bench_function("mailgun_body_mime", |b| {
        b.iter(|| parse_mailgun(black_box(MAILGUN_MIME), Some(MAILGUN_CT), &opts))
    });
    group.bench_function("mailgun_forward_multipart", |b| {
        b.iter(|| parse_mailgun(black_box(MAILGUN_MULTIPART), Some(MAILGUN_CT), &opts))
    });
    group.bench_function("mailgun_forward_urlencoded", |b| {
        b.iter(|| {
            parse_mailgun(
                black_box(MAILGUN_URLENCODED),
                Some("application/x-www-form-urlencoded"),
                &opts,
            )
        })
    });
    group.bench_function("postmark", |b| {
        b.iter(|| parse_postmark(black_box(POSTMARK), &opts))
    });
    group.bench_function("ses_sns_base64", |b| {
        b.iter(|| parse_ses(black_box(SES_V1), &opts))
    });
    group.finish();

    let big = sendgrid_with_attachment(4 * 1024 * 1024);
    let mut group = c.benchmark_group("provider_throughput");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.sample_size(20);
    group.bench_function("sendgrid_parsed_4mib_attachment", |b| {
        b.iter(|| parse_sendgrid(black_box(&big), Some(SENDGRID_CT), &opts))
    });
    group.finish();
}

fn signatures(c: &mut Criterion) {
    let opts = ProviderOptions::default();
    let now = DateTime::from_timestamp(1_796_115_610, 0).unwrap_or_default();
    let mut group = c.benchmark_group("provider_signature");
    for (name, body) in [("sns_v1_sha1_rsa", SES_V1), ("sns_v2_sha256_rsa", SES_V2)] {
        let Ok(sns) = SnsMessage::parse(body, &opts.limits) else {
            continue;
        };
        let expect = SnsExpectations::new(TOPIC, now);
        group.bench_function(name, |b| {
            b.iter(|| sns.verify(black_box(SNS_CERT), &expect))
        });
    }
    if let Ok(sig) = MailgunSignature::from_form(MAILGUN_MULTIPART, Some(MAILGUN_CT), &opts.limits)
    {
        let key = MailgunSigningKey::new("key-3ax6xnjp29jd6fds4gc373sgvjxteol0");
        let fresh = Freshness::default();
        group.bench_function("mailgun_hmac_with_replay_guard", |b| {
            b.iter(|| {
                // A new guard each time, so the token is never a replay.
                let mut guard = InMemoryReplayGuard::default();
                sig.verify(&key, now, &fresh, &mut guard)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, adapters, signatures);
criterion_main!(benches);
