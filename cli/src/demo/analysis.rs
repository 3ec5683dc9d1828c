//! Sections 5 and 7 of the demo: the analysis worker and the insights over what it stored.

use chrono::{DateTime, Utc};
use replytrack::conversation::Customer;
use replytrack::engine::{Engine, EngineError};
use replytrack::ports::ConversationQuery;
use serde_json::{Value, json};

use crate::show::{analysis_summary, print_insights, print_table};

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
                    "summary": analysis_summary(a),
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

/// Print section 5.
pub fn print(analysis: &Value) {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
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
}

/// Print section 7: the insights dashboard.
pub fn print_dashboard(insights: &Value) {
    println!();
    println!("7. The insights dashboard");
    println!();
    print_insights(insights);
}
