//! Two server instances on one PostgreSQL database (`DATABASE_URL`, a scratch schema each run):
//! a delivery that reaches both is stored once.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::*;
use replytrack::ports::Store;
use replytrack_postgres::testing::ScratchSchema;
use replytrack_server::{WebhookResponse, Webhooks, WorkerConfig, Workers};
use reqwest::StatusCode;

async fn post_raw(
    http: &reqwest::Client,
    url: String,
    eml: Vec<u8>,
) -> (StatusCode, WebhookResponse) {
    let response = http
        .post(url)
        .header("content-type", "message/rfc822")
        .body(eml)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_store_one_copy_of_a_duplicate_delivery() {
    let Some(scratch) = ScratchSchema::new("server_two_instances").await else {
        return; // unreachable outside CI: ScratchSchema printed SKIPPED
    };
    let first: Arc<dyn Store> = Arc::new(scratch.store().clone());
    let second: Arc<dyn Store> = Arc::new(scratch.another_instance(|b| b).await.unwrap());
    let engine_a = engine(first);
    let engine_b = engine(second);
    let sent = send_to_customer(&engine_a).await;
    let a = Server::start(Webhooks::builder(engine_a.clone())).await;
    let b = Server::start(Webhooks::builder(engine_b.clone())).await;
    // Both instances run workers too: each job goes to one of them.
    let workers_a = Workers::spawn(engine_a.clone(), WorkerConfig::default());
    let workers_b = Workers::spawn(engine_b.clone(), WorkerConfig::default());

    let http = reqwest::Client::new();
    for round in 0..5 {
        let eml = reply_eml(
            &sent.reply_address,
            &format!("both-{round}@example.fr"),
            &format!("Réponse numéro {round}, oui merci."),
        );
        let ((sa, ra), (sb, rb)) = tokio::join!(
            post_raw(&http, a.url("/inbound/raw"), eml.clone()),
            post_raw(&http, b.url("/inbound/raw"), eml),
        );
        assert_eq!((sa, sb), (StatusCode::OK, StatusCode::OK), "{ra:?} {rb:?}");
        let mut outcomes = [ra.outcome.as_str(), rb.outcome.as_str()];
        outcomes.sort_unstable();
        assert_eq!(
            outcomes,
            ["duplicate", "stored"],
            "round {round}: {ra:?} {rb:?}"
        );
        let stored = if ra.outcome == "stored" { &ra } else { &rb };
        let duplicate = if ra.outcome == "stored" { &rb } else { &ra };
        assert_eq!(
            duplicate.message, stored.message,
            "the duplicate names the stored copy"
        );
    }
    // Each instance sees the same timeline: five replies, one copy each.
    for engine in [&engine_a, &engine_b] {
        let kinds = timeline_kinds(engine, sent.customer).await;
        let replies = kinds.iter().filter(|k| *k == "reply_received").count();
        assert_eq!(replies, 5, "{kinds:?}");
    }
    workers_a.shutdown().await;
    workers_b.shutdown().await;
}
