//! The inbox scenarios of `replytrack::inbox::scenarios` on PostgreSQL: routing, the
//! out-of-hours auto-reply, automation rules and metrics, each in a scratch schema.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use replytrack::inbox::scenarios::{self, ScenarioError};
use replytrack::ports::Store;
use replytrack_postgres::testing::ScratchSchema;

type Scenario =
    fn(Arc<dyn Store>) -> Pin<Box<dyn Future<Output = Result<(), ScenarioError>> + Send>>;

/// Run `scenario` on a store in a fresh schema (skipped with a notice outside CI when the server
/// is unreachable; a failure under `CI=true`).
async fn on_postgres(label: &str, scenario: Scenario) {
    let Some(db) = ScratchSchema::new(label).await else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(db.store().clone());
    if let Err(e) = scenario(store).await {
        panic!("{label}: {e}");
    }
    drop(db); // the schema goes with it
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_robin_skips_an_offline_agent_and_a_full_one() {
    on_postgres("inbox_rr", |s| {
        Box::pin(scenarios::round_robin_skips_an_offline_agent_and_a_full_one(s))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_friday_night_message_gets_one_auto_reply() {
    on_postgres("inbox_auto", |s| {
        Box::pin(scenarios::a_friday_night_message_gets_one_auto_reply(s))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_urgent_label_reassigns_and_notifies_and_rules_cannot_loop() {
    on_postgres("inbox_rules", |s| {
        Box::pin(scenarios::an_urgent_label_reassigns_and_notifies_and_rules_cannot_loop(s))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_over_a_seeded_week() {
    on_postgres("inbox_metrics", |s| {
        Box::pin(scenarios::metrics_over_a_seeded_week(s))
    })
    .await;
}
