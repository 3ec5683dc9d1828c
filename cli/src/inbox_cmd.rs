//! Reading the inbox back: `timeline`, `conversations`, `insights`, and `customers`.
//!
//! These commands read (or, for `customers add`, write a customer record) without the account's
//! keys: only `--db` is needed.

use std::collections::HashMap;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use replytrack::conversation::{
    Channel, Conversation, ConversationId, Customer, CustomerId, NewCustomer,
};
use replytrack::engine::Insights;
use replytrack::ports::{
    Commit, ConversationCursor, ConversationQuery, Store, TimelineScope, Write, last_activity,
};
use serde_json::{Value, json};

use crate::db::{DbArgs, failed, find_customer, instant_arg, runtime};
use crate::show::{event_json, print_insights, print_table, timeline_rows};
use crate::{CliError, CmdResult, print_json};

/// Largest page `conversations --limit` takes.
pub const MAX_PAGE: usize = 500;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("scope").required(true).args(["customer", "conversation"])))]
pub struct TimelineArgs {
    /// Everything about a customer: an email address or a customer id (`cus_…`).
    #[arg(long, value_name = "EMAIL|ID")]
    customer: Option<String>,
    /// One conversation, by id (`cnv_…`).
    #[arg(long, value_name = "ID")]
    conversation: Option<String>,
    /// Print one JSON object a line per event.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// The conversation filters shared by `conversations` and `insights`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only with this status: open, pending, snoozed or resolved.
    #[arg(long, value_name = "STATUS", value_parser = ["open", "pending", "snoozed", "resolved"])]
    status: Option<String>,
    /// Only assigned to this agent.
    #[arg(long, value_name = "AGENT")]
    assignee: Option<String>,
    /// Only assigned to this team.
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// Only with this label.
    #[arg(long, value_name = "LABEL")]
    label: Option<String>,
    /// Only on this channel: email, whatsapp or manual.
    #[arg(long, value_name = "CHANNEL", value_parser = ["email", "whatsapp", "manual"])]
    channel: Option<String>,
    /// Only a customer's (email address or id).
    #[arg(long, value_name = "EMAIL|ID")]
    customer: Option<String>,
    /// Full-text search: every word in the subject or a message.
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
}

impl FilterArgs {
    async fn query(&self, store: &dyn Store) -> Result<Option<ConversationQuery>, CliError> {
        let customer = match &self.customer {
            None => None,
            Some(key) => match find_customer(store, key).await? {
                Some(c) => Some(c.id),
                // No such customer: nothing matches.
                None => return Ok(None),
            },
        };
        let channel = match &self.channel {
            None => None,
            Some(c) => Some(
                serde_json::from_value::<Channel>(json!(c))
                    .map_err(|e| CliError::Usage(format!("--channel {c:?}: {e}")))?,
            ),
        };
        Ok(Some(ConversationQuery {
            customer,
            status: self.status.clone(),
            assignee: self.assignee.clone(),
            label: self.label.clone(),
            team: self.team.clone(),
            channel,
            text: self.search.clone(),
            ..ConversationQuery::default()
        }))
    }
}

#[derive(Debug, Args)]
pub struct ConversationsArgs {
    #[command(flatten)]
    filters: FilterArgs,
    /// At most this many (1-500).
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u16).range(1..=MAX_PAGE as i64))]
    limit: u16,
    /// Continue after this cursor (printed under the previous page).
    #[arg(long, value_name = "CURSOR")]
    after: Option<String>,
    /// Print one JSON object: `conversations` and `next_cursor`.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Debug, Args)]
pub struct InsightsArgs {
    #[command(flatten)]
    filters: FilterArgs,
    /// Only replies received at or after this time (RFC 3339 or YYYY-MM-DD).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only replies received before this time (RFC 3339 or YYYY-MM-DD).
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// How many pain points to list.
    #[arg(long, value_name = "N", default_value_t = 5)]
    top: usize,
    /// Print the insights as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// Add a customer.
    Add(CustomerAddArgs),
    /// Show a customer and their current conversation.
    Show(CustomerShowArgs),
}

#[derive(Debug, Args)]
pub struct CustomerAddArgs {
    /// Their email address.
    #[arg(value_name = "EMAIL")]
    email: String,
    /// Their name.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Your application's id for them.
    #[arg(long, value_name = "ID")]
    external_id: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Debug, Args)]
pub struct CustomerShowArgs {
    /// An email address or a customer id.
    #[arg(value_name = "EMAIL|ID")]
    customer: String,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// `replytrack timeline`.
pub fn run_timeline(args: &TimelineArgs) -> CmdResult {
    runtime()?.block_on(async {
        let (_, store) = args.db.open().await?;
        let (scope, title) = if let Some(key) = &args.customer {
            let c = find_customer(store.as_ref(), key)
                .await?
                .ok_or_else(|| CliError::Failed(anyhow::anyhow!("no customer {key}")))?;
            (TimelineScope::Customer(c.id), c.display())
        } else {
            let raw = args.conversation.as_deref().unwrap_or("");
            let id: ConversationId = raw
                .trim()
                .parse()
                .map_err(|e| CliError::Usage(format!("--conversation {raw:?}: {e}")))?;
            let conv = store
                .conversation(id)
                .await
                .map_err(failed)?
                .ok_or_else(|| CliError::Failed(anyhow::anyhow!("no conversation {id}")))?;
            (
                TimelineScope::Conversation(id),
                format!("conversation {id} ({})", conv.status),
            )
        };
        let events = store.timeline(scope).await.map_err(failed)?;
        let events: Vec<Value> = events.iter().map(event_json).collect();
        if args.json {
            events.iter().for_each(print_json);
        } else {
            println!("{title}");
            println!();
            print_table(
                &["at (UTC)", "event", "detail"],
                &timeline_rows(&Value::Array(events)),
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// A cursor as text: the activity instant and the conversation id.
fn cursor_text(c: &ConversationCursor) -> String {
    format!(
        "{}~{}",
        c.activity
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        c.id
    )
}

fn parse_cursor(s: &str) -> Result<ConversationCursor, CliError> {
    let bad = |why: String| CliError::Usage(format!("--after {s:?} is not a cursor: {why}"));
    let (at, id) = s
        .trim()
        .split_once('~')
        .ok_or_else(|| bad("expected TIME~ID".into()))?;
    let activity = DateTime::parse_from_rfc3339(at)
        .map_err(|e| bad(e.to_string()))?
        .with_timezone(&Utc);
    let id: ConversationId = id.parse().map_err(|e| bad(format!("{e}")))?;
    Ok(ConversationCursor { activity, id })
}

/// Customers by id, read once each.
async fn customers_of(
    store: &dyn Store,
    convs: &[Conversation],
) -> Result<HashMap<CustomerId, Customer>, CliError> {
    let mut out = HashMap::new();
    for c in convs {
        if out.contains_key(&c.customer) {
            continue;
        }
        if let Some(cust) = store.customer(c.customer).await.map_err(failed)? {
            out.insert(c.customer, cust);
        }
    }
    Ok(out)
}

/// `replytrack conversations`.
pub fn run_conversations(args: &ConversationsArgs) -> CmdResult {
    let after = args.after.as_deref().map(parse_cursor).transpose()?;
    runtime()?.block_on(async {
        let (_, store) = args.db.open().await?;
        let convs = match args.filters.query(store.as_ref()).await? {
            None => Vec::new(),
            Some(mut q) => {
                q.limit = usize::from(args.limit);
                q.after = after;
                store.conversations(&q).await.map_err(failed)?
            }
        };
        let next = (convs.len() >= usize::from(args.limit))
            .then(|| {
                convs
                    .last()
                    .map(|c| cursor_text(&ConversationCursor::of(c)))
            })
            .flatten();
        let customers = customers_of(store.as_ref(), &convs).await?;
        let email = |id: &CustomerId| {
            customers
                .get(id)
                .map(Customer::display)
                .unwrap_or_else(|| id.to_string())
        };
        if args.json {
            let list: Vec<Value> = convs
                .iter()
                .map(|c| {
                    let mut v = serde_json::to_value(c).unwrap_or_default();
                    v["status_name"] = json!(c.status.name());
                    v["last_activity"] = json!(last_activity(c));
                    v["customer_display"] = json!(email(&c.customer));
                    v
                })
                .collect();
            print_json(&json!({ "conversations": list, "next_cursor": next }));
        } else {
            let rows: Vec<Vec<String>> = convs
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        email(&c.customer),
                        c.status.name().to_string(),
                        c.subject
                            .clone()
                            .unwrap_or_default()
                            .chars()
                            .take(40)
                            .collect(),
                        c.labels.iter().cloned().collect::<Vec<_>>().join(","),
                        c.assignee.clone().unwrap_or_default(),
                        last_activity(c).format("%Y-%m-%d %H:%M").to_string(),
                    ]
                })
                .collect();
            print_table(
                &[
                    "conversation",
                    "customer",
                    "status",
                    "subject",
                    "labels",
                    "assignee",
                    "last activity (UTC)",
                ],
                &rows,
            );
            println!();
            match &next {
                Some(n) => println!("   {} shown; next page: --after {n}", convs.len()),
                None => println!("   {} shown; no more", convs.len()),
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `replytrack insights`.
pub fn run_insights(args: &InsightsArgs) -> CmdResult {
    let since = args
        .since
        .as_deref()
        .map(|s| instant_arg("--since", s))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|s| instant_arg("--until", s))
        .transpose()?;
    runtime()?.block_on(async {
        let (_, store) = args.db.open().await?;
        let mut analyses = Vec::new();
        let mut conversations = 0usize;
        if let Some(mut q) = args.filters.query(store.as_ref()).await? {
            q.limit = MAX_PAGE;
            loop {
                let page = store.conversations(&q).await.map_err(failed)?;
                for conv in &page {
                    conversations += 1;
                    for m in store.messages(conv.id).await.map_err(failed)? {
                        let in_range = since.is_none_or(|s| m.created_at >= s)
                            && until.is_none_or(|u| m.created_at < u);
                        if in_range {
                            analyses.extend(m.analysis);
                        }
                    }
                }
                match page.last() {
                    Some(last) if page.len() >= MAX_PAGE => {
                        q.after = Some(ConversationCursor::of(last));
                    }
                    _ => break,
                }
            }
        }
        let insights = Insights::from_analyses(&analyses, args.top);
        let mut v = serde_json::to_value(&insights).map_err(failed)?;
        v["conversations"] = json!(conversations);
        v["since"] = json!(since);
        v["until"] = json!(until);
        if args.json {
            print_json(&v);
        } else {
            let range = match (since, until) {
                (None, None) => "all time".to_string(),
                (s, u) => format!(
                    "{} to {}",
                    s.map_or("the start".to_string(), |s| s.to_rfc3339()),
                    u.map_or("now".to_string(), |u| u.to_rfc3339())
                ),
            };
            println!("Insights: {conversations} conversations, {range}");
            println!();
            print_insights(&v);
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn customer_json(c: &Customer) -> Value {
    let mut v = serde_json::to_value(c).unwrap_or_default();
    v["display"] = json!(c.display());
    v["funnel_name"] = json!(c.funnel.name());
    v
}

/// `replytrack customers add|show`.
pub fn run_customers(cmd: &CustomersCommand) -> CmdResult {
    match cmd {
        CustomersCommand::Add(args) => runtime()?.block_on(async {
            let mut new = NewCustomer::new(args.email.clone());
            if let Some(n) = &args.name {
                new = new.name(n.clone());
            }
            if let Some(x) = &args.external_id {
                new = new.external_id(x.clone());
            }
            let mut customer = new
                .build(Utc::now())
                .map_err(|e| CliError::Usage(e.to_string()))?;
            let (_, store) = args.db.open().await?;
            store
                .commit(Commit {
                    customers: vec![Write::Insert(customer.clone())],
                    ..Commit::default()
                })
                .await
                .map_err(failed)?;
            customer.version = 1;
            if args.json {
                print_json(&customer_json(&customer));
            } else {
                println!("added {} as {}", customer.display(), customer.id);
            }
            Ok(ExitCode::SUCCESS)
        }),
        CustomersCommand::Show(args) => runtime()?.block_on(async {
            let (_, store) = args.db.open().await?;
            let Some(c) = find_customer(store.as_ref(), &args.customer).await? else {
                return Err(CliError::Failed(anyhow::anyhow!(
                    "no customer {}",
                    args.customer
                )));
            };
            let current = store.active_conversation(c.id).await.map_err(failed)?;
            if args.json {
                let mut v = customer_json(&c);
                v["current_conversation"] = json!(current.map(|c| c.id.to_string()));
                print_json(&v);
            } else {
                let rows = vec![
                    vec!["id".to_string(), c.id.to_string()],
                    vec!["name".to_string(), c.name.clone().unwrap_or_default()],
                    vec![
                        "emails".to_string(),
                        c.emails
                            .iter()
                            .map(|e| e.address.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ],
                    vec!["funnel".to_string(), c.funnel.name().to_string()],
                    vec![
                        "conversation".to_string(),
                        current
                            .map(|cv| format!("{} ({})", cv.id, cv.status))
                            .unwrap_or_else(|| "none".to_string()),
                    ],
                    vec!["since".to_string(), c.created_at.to_rfc3339()],
                ];
                print_table(&["field", "value"], &rows);
            }
            Ok(ExitCode::SUCCESS)
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn cursors_round_trip_and_bad_ones_are_usage_errors() {
        let c = ConversationCursor {
            activity: DateTime::parse_from_rfc3339("2026-03-03T10:00:00.123456Z")
                .unwrap()
                .with_timezone(&Utc),
            id: ConversationId::generate(Utc::now()),
        };
        let text = cursor_text(&c);
        assert_eq!(parse_cursor(&text).unwrap(), c);
        for bad in ["", "2026-03-03", "x~cnv_1", "2026-03-03T10:00:00Z~nope"] {
            assert!(
                matches!(parse_cursor(bad), Err(CliError::Usage(_))),
                "{bad}"
            );
        }
    }
}
