//! Section 5 of the demo: the analysis worker and the insights over what it stored.

use chrono::{DateTime, Utc};
use replytrack::analysis::schema::WireValues;
use replytrack::analysis::{Analysis, ProductInterest, ResponseType};
use replytrack::conversation::Customer;
use replytrack::engine::{Engine, EngineError};
use replytrack::ports::ConversationQuery;
use serde_json::{Value, json};

use super::print_table;

/// Run the analysis worker (the engine's analyzer: the offline heuristic one in the demo), then
/// read back each analysed reply and the insights over all of them.
pub async fn section(
    engine: &Engine,
    customers: &[Customer],
    now: DateTime<Utc>,
) -> Result<Value, EngineError> {
    let run = engine.run_analysis(100, now).await?;
    let mut analysed = Vec::new();
    for c in customers {
        let Some(conv) = engine.store().active_conversation(c.id).await? else {
            continue;
        };
        for m in engine.store().messages(conv.id).await? {
            if let Some(a) = &m.analysis {
                analysed.push(json!({
                    "customer": c.name,
                    "message": m.id.to_string(),
                    "summary": summary(a),
                    "analysis": a,
                }));
            }
        }
    }
    let insights = engine.insights(&ConversationQuery::default(), 5).await?;
    Ok(json!({
        "analyzer": engine.analyzer().name(),
        "run": {
            "analysed": run.analysed,
            "skipped": run.skipped,
            "failed": run.failed,
            "dead_lettered": run.dead_lettered,
        },
        "replies": analysed,
        "insights": insights,
    }))
}

/// One line on an analysis: response type, sentiment, interest, score, volume, references.
pub fn summary(a: &Analysis) -> String {
    let mut parts = vec![
        a.response_type.wire_name().to_string(),
        format!("sentiment {}", a.sentiment.wire_name()),
        format!("interest {}", a.product_interest.wire_name()),
        format!("score {}/5", a.opportunity_score),
    ];
    if let Some(v) = &a.monthly_volume {
        parts.push(format!("volume {} {}/month", v.value, v.unit));
    }
    if !a.references.is_empty() {
        let refs: Vec<String> = a
            .references
            .iter()
            .map(|r| format!("{} {}", r.kind.wire_name(), r.id))
            .collect();
        parts.push(format!("refs {}", refs.join(", ")));
    }
    parts.join(" · ")
}

/// Print section 5.
pub fn print(analysis: &Value) {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let n = |v: &Value| v.as_u64().unwrap_or(0).to_string();
    println!();
    println!(
        "5. Each stored reply is analysed in the background ({} analyzer, offline)",
        s(&analysis["analyzer"])
    );
    println!();
    let rows: Vec<Vec<String>> = analysis["replies"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| vec![s(&r["customer"]), s(&r["summary"])])
                .collect()
        })
        .unwrap_or_default();
    print_table(&["customer", "analysis"], &rows);
    for r in analysis["replies"].as_array().into_iter().flatten() {
        let a = &r["analysis"];
        let list = |key: &str| -> Vec<String> {
            a[key]
                .as_array()
                .map(|v| v.iter().map(s).collect())
                .unwrap_or_default()
        };
        println!();
        println!("   {}:", s(&r["customer"]));
        for i in list("key_insights") {
            println!("     · {i}");
        }
        for p in list("pain_points") {
            println!("     ! {p}");
        }
        for act in list("recommended_actions") {
            println!("     → {act}");
        }
    }
    let i = &analysis["insights"];
    println!();
    println!(
        "   Insights over {} analysed replies:",
        i["analysed"].as_u64().unwrap_or(0)
    );
    // In schema order (`standard` … `needs_attention`, `none` … `very_interested`).
    let counts = |v: &Value, order: &[&str]| -> String {
        order
            .iter()
            .map(|k| format!("{k} {}", n(&v[*k])))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "     response types     {}",
        counts(&i["by_response_type"], &names::<ResponseType>())
    );
    println!(
        "     opportunity score  {} on average",
        i["average_opportunity_score"]
            .as_f64()
            .map(|f| format!("{f:.1}/5"))
            .unwrap_or_else(|| "none".to_string())
    );
    println!(
        "     product interest   {}",
        counts(&i["product_interest"], &names::<ProductInterest>())
    );
    println!("     follow-ups needed  {}", n(&i["follow_ups_needed"]));
    let pains: Vec<String> = i["top_pain_points"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| format!("{} (×{})", s(&p["text"]), n(&p["count"])))
                .collect()
        })
        .unwrap_or_default();
    println!(
        "     top pain points    {}",
        if pains.is_empty() {
            "none".to_string()
        } else {
            pains.join("; ")
        }
    );
}

/// The wire names of an enum's values, in schema order.
fn names<T: WireValues>() -> Vec<&'static str> {
    T::VALUES.iter().map(|(k, _)| *k).collect()
}
