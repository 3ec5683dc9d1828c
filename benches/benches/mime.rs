//! Benchmarks: MIME parsing and classification, on a typical reply and on pathological inputs.
//!
//! Every input is generated here. The pathological ones must finish and stay linear: a 1 MB
//! single line, 100 000 quote lines, 10 000 nested `>`, a 5 MB message, and 200 nested
//! multiparts (refused at the depth limit) next to the deepest nesting the parser accepts.
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use replytrack::message::{
    ClassifyOptions, InboundMessage, Limits, MAX_DEPTH_CEILING, ParseError, classify,
};

const HEADERS: &str = "Return-Path: <marie.dupont@example.fr>
Delivered-To: reply+a1b2c3d4e5f6@reply.example.com
Received: from mail-wr1-f54.google.com (mail-wr1-f54.google.com [209.85.221.54])
 by mx.reply.example.com (Postfix) with ESMTPS id 4Z1x2y3z4w
 for <reply+a1b2c3d4e5f6@reply.example.com>; Mon,  3 Mar 2025 10:12:31 +0000 (UTC)
Received: by mail-wr1-f54.google.com with SMTP id ffacd0b85a97d-390e3b3d3f4so1234567f8f.1
 for <reply+a1b2c3d4e5f6@reply.example.com>; Mon, 03 Mar 2025 02:12:30 -0800 (PST)
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.fr; s=20230601; t=1741003950;
 h=to:subject:message-id:date:from:in-reply-to:references:mime-version;
 bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
 b=Qm9uam91ciwgY2VjaSBuJ2VzdCBwYXMgdW5lIHZyYWllIHNpZ25hdHVyZSwganVzdGUgZHUgcmVtcGxpc3NhZ2U=
ARC-Seal: i=1; a=rsa-sha256; t=1741003951; cv=none; d=reply.example.com; s=arc-20240605;
 b=ZXhhbXBsZSBhcmMgc2VhbCB2YWx1ZSwgbm90IGEgcmVhbCBzaWduYXR1cmUsIG9ubHkgZmlsbGVyIHRleHQgZm9y
 IHRoZSBiZW5jaG1hcmsgc28gdGhhdCB0aGUgaGVhZGVyIHNlY3Rpb24gaGFzIGEgcmVhbGlzdGljIHNpemU=
ARC-Authentication-Results: i=1; mx.reply.example.com;
 dkim=pass header.i=@example.fr header.s=20230601 header.b=Qm9uam91;
 spf=pass (reply.example.com: domain of marie.dupont@example.fr designates 209.85.221.54
 as permitted sender) smtp.mailfrom=marie.dupont@example.fr;
 dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.fr
Authentication-Results: mx.reply.example.com;
 dkim=pass header.i=@example.fr header.s=20230601 header.b=Qm9uam91;
 spf=pass (reply.example.com: domain of marie.dupont@example.fr designates 209.85.221.54
 as permitted sender) smtp.mailfrom=marie.dupont@example.fr;
 dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.fr
X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=1e100.net; s=20230601;
 t=1741003950; x=1741608750; h=to:subject:message-id:date:from:in-reply-to:references;
 bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
 b=ZmlsbGVyIHRleHQgZm9yIHRoZSBiZW5jaG1hcmssIG5vdCBhIHJlYWwgc2lnbmF0dXJl
X-Gm-Message-State: AOJu0YwExampleExampleExampleExampleExampleExampleExample12
X-Google-Smtp-Source: AGHT+IExampleExampleExampleExampleExampleExampleExampleExample==
MIME-Version: 1.0
References: <out-1@app.example.com> <out-2@app.example.com>
In-Reply-To: <out-2@app.example.com>
From: =?UTF-8?Q?Marie_Dupr=C3=A9?= <marie.dupont@example.fr>
Date: Mon, 3 Mar 2025 11:12:18 +0100
Message-ID: <CAFx8=abcdefghijklmnop+qrstuvwxyz0123456789@mail.gmail.com>
Subject: Re: Votre devis pour l'abonnement annuel
To: Support Example <reply+a1b2c3d4e5f6@reply.example.com>
Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3d4e5f6a7b8\"
";

const PLAIN: &str = "Bonjour,

Merci pour le devis. Nous aimerions passer \u{e0} l'abonnement annuel pour 25 postes,
mais pourriez-vous confirmer que la remise de 15 % s'applique aussi aux postes
ajout\u{e9}s en cours d'ann\u{e9}e ? Nous aurions aussi besoin d'une facture au nom de
notre filiale belge.

Bien cordialement,
Marie Dupont
Responsable achats

Le lun. 3 mars 2025 \u{e0} 09:58, Support Example <reply+a1b2c3d4e5f6@reply.example.com> a \u{e9}crit :
> Bonjour Marie,
>
> Veuillez trouver ci-joint le devis pour l'abonnement annuel. Le tarif
> comprend l'assistance prioritaire et la formation de vos \u{e9}quipes.
>
> N'h\u{e9}sitez pas \u{e0} revenir vers nous pour toute question.
>
> Cordialement,
> L'\u{e9}quipe Example
";

fn typical_reply() -> String {
    let html: String = PLAIN
        .lines()
        .map(|l| match l.strip_prefix('>') {
            Some(q) => format!("<blockquote class=\"gmail_quote\">{q}</blockquote>\n"),
            None => format!("<div dir=\"ltr\">{l}<br></div>\n"),
        })
        .collect();
    let mut raw = HEADERS.to_string();
    raw.push_str("\n--000000000000a1b2c3d4e5f6a7b8\n");
    raw.push_str("Content-Type: text/plain; charset=\"UTF-8\"\n");
    raw.push_str("Content-Transfer-Encoding: quoted-printable\n\n");
    for line in PLAIN.lines() {
        for ch in line.chars() {
            if ch.is_ascii() && ch != '=' {
                raw.push(ch);
            } else {
                let mut buf = [0u8; 4];
                for b in ch.encode_utf8(&mut buf).bytes() {
                    raw.push_str(&format!("={b:02X}"));
                }
            }
        }
        raw.push('\n');
    }
    raw.push_str("\n--000000000000a1b2c3d4e5f6a7b8\n");
    raw.push_str("Content-Type: text/html; charset=\"UTF-8\"\n\n");
    raw.push_str(&html);
    raw.push_str("\n--000000000000a1b2c3d4e5f6a7b8--\n");
    raw.replace('\n', "\r\n")
}

fn simple(headers: &str, body: &str) -> String {
    format!(
        "From: a@example.com\r\nTo: reply+t@reply.example.com\r\nSubject: x\r\n{headers}\r\n{body}"
    )
}

fn one_mb_line() -> String {
    simple("", &"word ".repeat(200_000))
}

fn quote_lines() -> String {
    simple(
        "",
        &"> a quoted line of an old conversation\r\n".repeat(100_000),
    )
}

fn nested_quotes() -> String {
    let line = format!("{} deep \r\n", ">".repeat(10_000));
    simple(
        "Content-Type: text/plain; format=flowed\r\n",
        &line.repeat(20),
    )
}

/// A 900 KB folded subject of `=?AB?q? ` words that never close: the pattern that makes
/// mail-parser 0.11's header parsers quadratic.
fn hostile_encoded_words() -> String {
    let mut subject = String::new();
    while subject.len() < 900 * 1024 {
        subject.push_str(&"=?AB?q? ".repeat(100));
        subject.push_str("\r\n ");
    }
    format!("From: a@example.com\r\nSubject: {subject}\r\n\r\nbody\r\n")
}

fn five_mb_message() -> String {
    let mut raw = simple(
        "Content-Type: multipart/mixed; boundary=big\r\n",
        "--big\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--big\r\n\
         Content-Type: application/octet-stream; name=data.bin\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n",
    );
    let line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n";
    while raw.len() < 5 * 1024 * 1024 {
        raw.push_str(line);
    }
    raw.push_str("--big--\r\n");
    raw
}

fn nested_multiparts(levels: usize) -> String {
    let mut raw = String::from("From: a@example.com\r\n");
    for i in 0..levels {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"n{i}\"\r\n\r\n--n{i}\r\n"
        ));
    }
    raw.push_str("Content-Type: text/plain\r\n\r\ninnermost\r\n");
    for i in (0..levels).rev() {
        raw.push_str(&format!("--n{i}--\r\n"));
    }
    raw
}

fn parse_and_classify(raw: &[u8], limits: &Limits, opts: &ClassifyOptions) -> bool {
    match InboundMessage::parse(raw, limits) {
        Ok(msg) => black_box(classify(&msg, opts)).mailing_list,
        Err(err) => black_box(err) == ParseError::NotAMessage { reason: "" },
    }
}

fn bench_mime(c: &mut Criterion) {
    let opts = ClassifyOptions {
        own_domains: vec!["app.example.com".into()],
        own_addresses: vec!["support@reply.example.com".into()],
    };
    let limits = Limits::default();
    let deep_limits = Limits {
        max_depth: MAX_DEPTH_CEILING,
        ..Limits::default()
    };

    let typical = typical_reply();
    let check =
        InboundMessage::parse(typical.as_bytes(), &limits).expect("the typical reply parses");
    assert!(check.text_body.is_some() && check.html_body.is_some());
    assert_eq!(
        classify(&check, &opts).kind,
        replytrack::message::MessageKind::Reply
    );
    let mut group = c.benchmark_group("mime");
    group.throughput(Throughput::Bytes(typical.len() as u64));
    group.bench_function("typical_reply_5kb", |b| {
        b.iter(|| parse_and_classify(black_box(typical.as_bytes()), &limits, &opts))
    });
    group.finish();

    let cases: Vec<(&str, String, &Limits)> = vec![
        ("single_line_1mb", one_mb_line(), &limits),
        ("quote_lines_100k", quote_lines(), &limits),
        ("nested_quotes_10k", nested_quotes(), &limits),
        ("message_5mb", five_mb_message(), &limits),
        (
            "encoded_word_retries_900kb",
            hostile_encoded_words(),
            &limits,
        ),
        (
            "nested_multiparts_200_refused",
            nested_multiparts(200),
            &limits,
        ),
        (
            "nested_multiparts_63_parsed",
            nested_multiparts(MAX_DEPTH_CEILING - 1),
            &deep_limits,
        ),
    ];
    let mut group = c.benchmark_group("mime_pathological");
    group.sample_size(10);
    for (name, raw, limits) in &cases {
        group.throughput(Throughput::Bytes(raw.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| parse_and_classify(black_box(raw.as_bytes()), limits, &opts))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_mime);
criterion_main!(benches);
