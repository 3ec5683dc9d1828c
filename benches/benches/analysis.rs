//! Benchmarks: heuristic analysis per reply, prompt building, output repair.
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use replytrack::analysis::{AnalysisContext, HeuristicAnalyzer, PromptBuilder, parse_analysis};

const REPLIES: &[&str] = &[
    "Hi Sarah, thanks for the update. We'd like to upgrade to the Business plan for our whole team (about 40 people). Can you send over the contract this week?",
    "Bonjour, la commande n° 2024-117 n'est toujours pas arrivée. C'est la troisième fois que je relance et personne ne répond. C'est inadmissible.",
    "Enviamos unos 3 mil pedidos al mes y buscamos automatizar las notificaciones. ¿Podemos agendar una demo?",
    "Die Rechnung Nr. 88412 enthält einen falschen Betrag. Können Sie uns bitte eine korrigierte Rechnung schicken?",
];

const GOOD: &str = r#"{"schema_version":1,"response_type":"high_value","key_insights":["Wants pricing"],"sentiment":"positive","urgency":"medium","opportunity_score":4,"follow_up_needed":true,"product_interest":"interested","action_items":["Send pricing"],"product_usage":null,"monthly_volume":{"raw":"20k emails a month","value":20000,"unit":"emails","period":"month"},"pain_points":[],"references":[{"kind":"order","id":"A-1042"}],"suggested_labels":["pricing"],"recommended_actions":["Send pricing"],"lang":"en"}"#;

const SLOPPY: &str = r#"Sure, here you go:
```json
{ response_type: 'Haute Valeur', key_insights: ['Veut un devis',], sentiment: 'Positivo', urgency: "Alta",
  opportunity_score: "4/5", follow_up_needed: "oui", product_interest: "Muy interesado", action_items: [],
  product_usage: null, monthly_volume: null, pain_points: [], references: [{kind: "Facture", id: "n° FA-2291"}],
  suggested_labels: [], recommended_actions: [], lang: "Français", // done
}
```"#;

fn heuristic(c: &mut Criterion) {
    let analyzer = HeuristicAnalyzer::new();
    let ctx = AnalysisContext::default();
    // Compile the lexicons and regexes once, outside the measurement.
    black_box(analyzer.analyze_text("warm up", &ctx));
    c.bench_function("analysis_heuristic_per_reply", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) % REPLIES.len();
            black_box(analyzer.analyze_text(black_box(REPLIES[i]), &ctx))
        })
    });
}

fn prompt(c: &mut Criterion) {
    let builder = PromptBuilder::new();
    let ctx = AnalysisContext {
        subject: Some("Your trial ends soon".into()),
        customer_name: Some("Ana".into()),
        customer_status: Some("trial".into()),
        account_lang: Some("fr".into()),
        reply_lang: None,
    };
    c.bench_function("analysis_prompt_build", |b| {
        b.iter(|| black_box(builder.build(black_box(REPLIES[0]), &ctx)))
    });
}

fn repair(c: &mut Criterion) {
    c.bench_function("analysis_repair_strict_json", |b| {
        b.iter(|| black_box(parse_analysis(black_box(GOOD))))
    });
    c.bench_function("analysis_repair_sloppy_fenced", |b| {
        b.iter(|| black_box(parse_analysis(black_box(SLOPPY))))
    });
}

criterion_group!(benches, heuristic, prompt, repair);
criterion_main!(benches);
