//! Terminal output shared by the commands: aligned tables, and one-line descriptions of timeline
//! events and analyses.

use replytrack::analysis::Analysis;
use replytrack::analysis::schema::WireValues;
use replytrack::conversation::EventKind;

/// Print rows under a header, columns padded to their widest cell.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{:<w$}", c, w = widths.get(i).copied().unwrap_or(0)))
            .collect();
        println!("   {}", parts.join("  ").trim_end());
    };
    line(header.to_vec());
    line(
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// A few words on a timeline event, for a table cell.
pub fn event_detail(kind: &EventKind) -> String {
    match kind {
        EventKind::ConversationOpened { source, .. } => {
            format!("opened by {source:?}").to_lowercase()
        }
        EventKind::EmailSent { subject, .. } => subject.clone().unwrap_or_default(),
        EventKind::ReplyReceived { text, lang, .. } => format!(
            "[{}] {}",
            lang.as_deref().unwrap_or("?"),
            replytrack::conversation::preview(text)
        ),
        EventKind::AutoReplyReceived { subject, .. } => subject.clone().unwrap_or_default(),
        EventKind::BounceReceived {
            addresses,
            hard,
            status,
            ..
        } => format!(
            "{} bounce {} {}",
            if *hard { "hard" } else { "soft" },
            addresses.join(", "),
            status.as_deref().unwrap_or("")
        ),
        EventKind::StatusChanged { from, to, .. } => format!("{} → {to}", from.name()),
        EventKind::FunnelChanged { from, to, .. } => format!("{from} → {to}"),
        EventKind::DeliveryChanged { from, to } => format!("{from} → {to}"),
        EventKind::ReplyForwarded { to } => format!("to {to}"),
        EventKind::ReplyQuarantined { reason } => reason.to_string(),
        EventKind::ExpiredReplyRefused { token, .. } => format!("token {token}"),
        EventKind::TokenReissued { previous, token } => format!("{previous} → {token}"),
        EventKind::AnalysisCompleted { analysis, .. } => analysis_summary(analysis),
        EventKind::AnalysisFailed { error, .. } => error.clone(),
        EventKind::NoteAdded { text, .. } => text.lines().next().unwrap_or("").to_string(),
        EventKind::Labelled { label, added } => {
            format!("{}{label}", if *added { "+" } else { "-" })
        }
        EventKind::PriorityChanged { priority } => format!("{priority:?}").to_lowercase(),
        _ => String::new(),
    }
}

/// One line on an analysis: response type, sentiment, interest, score, volume, references.
pub fn analysis_summary(a: &Analysis) -> String {
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

/// A timeline event as JSON: the stored event, plus its `type` name and a `detail` line.
pub fn event_json(e: &replytrack::conversation::TimelineEvent) -> serde_json::Value {
    let mut v = serde_json::to_value(e).unwrap_or_default();
    v["type"] = serde_json::json!(e.kind.name());
    v["detail"] = serde_json::json!(event_detail(&e.kind));
    v
}

/// Table rows for timeline events given as JSON (`at`, `type`, `detail`): minute, event, detail
/// (cut to 100 characters).
pub fn timeline_rows(events: &serde_json::Value) -> Vec<Vec<String>> {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    events
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    let at = e["at"].as_str().unwrap_or("");
                    vec![
                        at.get(..16).unwrap_or(at).replace('T', " "),
                        s(&e["type"]),
                        s(&e["detail"]).chars().take(100).collect(),
                    ]
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The wire names of an enum's values, in schema order.
pub fn names<T: WireValues>() -> Vec<&'static str> {
    T::VALUES.iter().map(|(k, _)| *k).collect()
}

/// Print the insights dashboard (an [`Insights`](replytrack::engine::Insights) as JSON).
pub fn print_insights(i: &serde_json::Value) {
    use replytrack::analysis::{ProductInterest, ResponseType, Sentiment};
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let n = |v: &serde_json::Value| v.as_u64().unwrap_or(0).to_string();
    println!(
        "   Insights over {} analysed replies:",
        i["analysed"].as_u64().unwrap_or(0)
    );
    // In schema order (`standard` … `needs_attention`, `none` … `very_interested`).
    let counts = |v: &serde_json::Value, order: &[&str]| -> String {
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
        "     sentiment          {}",
        counts(&i["by_sentiment"], &names::<Sentiment>())
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
                .map(|p| {
                    let text: String = s(&p["text"]).chars().take(100).collect();
                    format!("{text} (×{})", n(&p["count"]))
                })
                .collect()
        })
        .unwrap_or_default();
    if pains.is_empty() {
        println!("     top pain points    none");
    }
    for (k, p) in pains.iter().enumerate() {
        let label = if k == 0 { "top pain points" } else { "" };
        println!("     {label:<17}  {p}");
    }
}
