//! Benchmarks: reply extraction on typical replies in several languages and clients, HTML
//! conversion, and the pathological inputs (a 1 MB single line, 100 000 quote lines, 10 000
//! nested `>` and nested blockquotes) that must stay linear.
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use replytrack::html::html_to_text;
use replytrack::reply::{extract_html, extract_text};

/// Typical plain-text replies: one per client and language.
const TYPICAL_TEXT: &[&str] = &[
    "Yes, Tuesday works for us.\n\nBest regards,\nPaul Martin\nHead of Sales | ACME Inc.\n+1 555 010 2030\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie Dupont <marie@example.fr> wrote:\n> Hi Paul,\n>\n> Could we meet on Tuesday to go over the quote?\n>\n> Thanks,\n> Marie\n",
    "Bonjour,\n\nC'est parfait, merci pour votre retour rapide.\n\nCordialement,\nMarie Dupont\n\nEnvoyé de mon iPhone\n\nLe lun. 3 mars 2025 à 10:12, Paul <paul@example.com> a écrit :\n> Bonjour Marie,\n> Voici le devis demandé.\n> Paul\n",
    "Hola Juan,\n\nGracias, lo reviso mañana.\n\nSaludos,\nAna\n\nEl lun, 3 mar 2025 a las 10:12, Juan (<j@example.es>) escribió:\n> Te envío el contrato.\n",
    "Oi Paulo,\n\nObrigado, recebi o arquivo.\n\nAtenciosamente,\nAna Souza\n\nEm seg., 3 de mar. de 2025 às 10:12, Paulo <p@example.br> escreveu:\n> Segue o arquivo.\n",
    "Hallo Max,\n\ndanke, passt so.\n\nMit freundlichen Grüßen\nPaul Martin\n\nVon: Max Mustermann <max@example.de>\nGesendet: Montag, 3. März 2025 10:12\nAn: Paul Martin <paul@example.com>\nBetreff: Bestellung 1234\n\nHallo Paul,\nanbei die Bestellung.\n",
    "Hoi Jan,\n\nPrima, tot dinsdag.\n\nMet vriendelijke groet,\nPiet\n\nOp ma 3 mrt 2025 om 10:12 schreef Jan de Vries <jan@example.nl>:\n> Zullen we dinsdag afspreken?\n",
    "Здравствуйте!\n\nСпасибо, договор получил.\n\nС уважением,\nИван\n\nпн, 3 мар. 2025 г. в 10:12, Paul <paul@example.com>:\n> Высылаю договор.\n",
    "On Mon, Mar 3, 2025 at 10:12 AM Marie <m@example.fr> wrote:\n> 1. Size?\nM\n> 2. Colour?\nBlue\n> 3. Anything else?\nNo, thanks.\n>\n> Marie\n",
];

/// Typical HTML replies: Gmail, Outlook on the web, Apple Mail.
const TYPICAL_HTML: &[&str] = &[
    r#"<div dir="ltr"><div>Yes, Tuesday works.</div><div><br></div><div>Paul</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Mar 3, 2025 at 10:12 AM Marie &lt;<a href="mailto:m@example.fr">m@example.fr</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div dir="ltr">Could we meet on Tuesday?<div><br></div><div>Marie</div></div></blockquote></div>"#,
    r#"<html><head><style>p{margin:0}</style></head><body><div style="font-family:Calibri">Bien reçu, merci.</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri" style="font-size:11pt"><b>De&nbsp;:</b> Marie Dupont &lt;marie@example.fr&gt;<br><b>Envoyé&nbsp;:</b> lundi 3 mars 2025 10:12<br><b>À&nbsp;:</b> Paul<br><b>Objet&nbsp;:</b> Commande</font></div><div>Bonjour Paul, voici la commande.</div></body></html>"#,
    r#"<html><body dir="auto"><div dir="ltr">Parfait, merci !</div><div dir="ltr"><br><blockquote type="cite">Le 3 mars 2025 à 10:12, Marie Dupont &lt;marie@example.fr&gt; a écrit&nbsp;:<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">Bonjour, c'est bon pour mardi ?</div></blockquote></body></html>"#,
];

fn typical(c: &mut Criterion) {
    let mut group = c.benchmark_group("reply_typical");
    let text_bytes: usize = TYPICAL_TEXT.iter().map(|s| s.len()).sum();
    group.throughput(Throughput::Elements(TYPICAL_TEXT.len() as u64));
    group.bench_function("extract_text_8_replies", |b| {
        b.iter(|| {
            for s in TYPICAL_TEXT {
                black_box(extract_text(black_box(s)));
            }
        })
    });
    group.throughput(Throughput::Elements(TYPICAL_HTML.len() as u64));
    group.bench_function("extract_html_3_replies", |b| {
        b.iter(|| {
            for s in TYPICAL_HTML {
                black_box(extract_html(black_box(s)));
            }
        })
    });
    group.throughput(Throughput::Bytes(text_bytes as u64));
    group.bench_function("html_to_text_3_bodies", |b| {
        b.iter(|| {
            for s in TYPICAL_HTML {
                black_box(html_to_text(black_box(s)));
            }
        })
    });
    group.finish();
}

fn pathological(c: &mut Criterion) {
    let mut group = c.benchmark_group("reply_pathological");
    group.sample_size(10);

    let one_line = "word ".repeat(200_000) + "wrote:";
    group.throughput(Throughput::Bytes(one_line.len() as u64));
    group.bench_function("text_1mb_single_line", |b| {
        b.iter(|| black_box(extract_text(black_box(&one_line))))
    });

    let mut many = String::from("Top.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n");
    for i in 0..100_000 {
        many.push_str(&format!("> quoted line number {i}\n"));
    }
    group.throughput(Throughput::Bytes(many.len() as u64));
    group.bench_function("text_100k_quote_lines", |b| {
        b.iter(|| black_box(extract_text(black_box(&many))))
    });

    let mut interleaved = String::from("On Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n");
    for i in 0..50_000 {
        interleaved.push_str(&format!("> question {i}\nanswer {i}\n"));
    }
    group.throughput(Throughput::Bytes(interleaved.len() as u64));
    group.bench_function("text_50k_inline_answers", |b| {
        b.iter(|| black_box(extract_text(black_box(&interleaved))))
    });

    let nested_markers = ">".repeat(10_000) + " deep\n";
    let nested_text = nested_markers.repeat(100);
    group.throughput(Throughput::Bytes(nested_text.len() as u64));
    group.bench_function("text_10k_nested_markers_x100", |b| {
        b.iter(|| black_box(extract_text(black_box(&nested_text))))
    });

    let nested_html =
        "<blockquote>".repeat(10_000) + "deep<br>line" + &"</blockquote>".repeat(10_000);
    group.throughput(Throughput::Bytes(nested_html.len() as u64));
    group.bench_function("html_10k_nested_blockquotes", |b| {
        b.iter(|| black_box(extract_html(black_box(&nested_html))))
    });

    let unclosed = "<div><span>".repeat(50_000) + &"</p></b>".repeat(50_000);
    group.throughput(Throughput::Bytes(unclosed.len() as u64));
    group.bench_function("html_100k_unclosed_and_stray_tags", |b| {
        b.iter(|| black_box(extract_html(black_box(&unclosed))))
    });

    let colons = "Marie <m@x.fr> 2025:\n".repeat(50_000);
    group.throughput(Throughput::Bytes(colons.len() as u64));
    group.bench_function("text_50k_attribution_like_lines", |b| {
        b.iter(|| black_box(extract_text(black_box(&colons))))
    });
    group.finish();
}

criterion_group!(benches, typical, pathological);
criterion_main!(benches);
