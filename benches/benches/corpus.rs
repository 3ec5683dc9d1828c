//! Throughput over the email corpus: parse + classify + scan + extract, the pure half of ingest.
use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use replytrack::address::{ScanOptions, scan};
use replytrack::message::{ClassifyOptions, InboundMessage, Limits, MessageKind, classify};
use replytrack::reply::extract;

fn eml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            eml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "eml") {
            out.push(p);
        }
    }
}

fn load() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
    let mut files = Vec::new();
    eml_files(&root, &mut files);
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn pipeline(raw: &[u8], limits: &Limits, own: &ClassifyOptions, scan_opts: &ScanOptions) -> usize {
    let Ok(msg) = InboundMessage::parse(raw, limits) else {
        return 0;
    };
    let class = classify(&msg, own);
    let token = scan(&msg, scan_opts);
    let text_len = if class.kind == MessageKind::Reply {
        extract(&msg).text.len()
    } else {
        0
    };
    text_len + usize::from(token.is_some())
}

fn corpus(c: &mut Criterion) {
    let all = load();
    assert!(!all.is_empty(), "the corpus is in tests/corpus");
    let limits = Limits::default();
    let own = ClassifyOptions {
        own_domains: vec!["example.com".into()],
        own_addresses: vec!["noreply@example.com".into()],
    };
    let scan_opts = ScanOptions {
        domain: "reply.example.com".into(),
    };
    let bytes: usize = all.iter().map(Vec::len).sum();

    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Elements(all.len() as u64));
    g.bench_function("messages", |b| {
        b.iter(|| {
            all.iter()
                .map(|m| pipeline(black_box(m), &limits, &own, &scan_opts))
                .sum::<usize>()
        })
    });
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("bytes", |b| {
        b.iter(|| {
            all.iter()
                .map(|m| pipeline(black_box(m), &limits, &own, &scan_opts))
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
