//! Faults inside a transaction, injected on the writer connection itself.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use replytrack::address::AddressFormat;
use replytrack::conversation::{AccountSettings, NewCustomer};
use replytrack::engine::{Engine, EngineError, IngestOutcome, OutboundDraft};
use replytrack::message::{InboundMessage, Mailbox};
use replytrack::ports::{DedupeKey, Store, StoreError};
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

use crate::{SqliteError, SqliteStore};

fn engine(store: Arc<SqliteStore>) -> Engine {
    let secret = Secret::from_bytes(&[9; 32]).unwrap_or_else(|e| panic!("{e}"));
    let key = KeyId::new(1).unwrap_or_else(|| panic!("key id"));
    let authority = TokenAuthority::builder(Keyring::single(key, secret))
        .domain("reply.acme.example")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let account = AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example")
        .unwrap_or_else(|e| panic!("{e}"));
    Engine::builder(
        authority,
        AddressFormat::new("reply.acme.example").unwrap_or_else(|e| panic!("{e}")),
        account,
    )
    .store(store)
    .mailer(Arc::new(MemoryMailer::new()))
    .build()
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The writer's connection is cut off after the ingest has written its conversation and
/// message but before its timeline events (a temporary trigger on the writer connection aborts
/// the first event insert): the ingest fails with a typed store error, nothing of it is stored,
/// and once the fault is gone the same ingest is stored whole.
#[test]
fn an_ingest_cut_off_mid_transaction_leaves_nothing_and_its_retry_is_stored() {
    futures::executor::block_on(async {
        let now = Utc
            .with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
            .single()
            .unwrap_or_default();
        let store = Arc::new(SqliteStore::open_in_memory().unwrap_or_else(|e| panic!("{e}")));
        let e = engine(store.clone());
        let marie = e
            .add_customer(NewCustomer::new("marie@example.fr"), now)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let (email, _) = e
            .send(
                marie.id,
                OutboundDraft::new("Essai", "Bonjour").start_conversation(),
                now,
            )
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let reply = InboundMessage {
            message_id: Some("cut@example.fr".into()),
            from: Some(Mailbox::new("marie@example.fr")),
            to: vec![Mailbox::new(email.reply_address.clone())],
            text_body: Some("Oui !".into()),
            ..InboundMessage::default()
        };
        let before = store.stats().await.unwrap_or_else(|err| panic!("{err}"));

        store
            .workers
            .write(|c| {
                c.execute_batch(
                    "CREATE TEMP TRIGGER cut_off BEFORE INSERT ON main.events
                     BEGIN SELECT RAISE(ABORT, 'simulated loss of the connection'); END;",
                )
                .map_err(|err| SqliteError::sql("installing the fault")(err).into())
            })
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let failed = e.ingest(reply.clone(), now).await;
        let Err(EngineError::Store(StoreError::Backend(source))) = failed else {
            panic!("expected a backend error, got {failed:?}");
        };
        assert!(
            matches!(
                source.downcast_ref::<SqliteError>(),
                Some(SqliteError::Sql { .. })
            ),
            "{source}"
        );
        assert_eq!(
            store.stats().await.unwrap_or_else(|err| panic!("{err}")),
            before
        );
        assert_eq!(
            store
                .seen(&DedupeKey::new("mid:cut@example.fr"))
                .await
                .unwrap_or_else(|err| panic!("{err}")),
            None
        );

        store
            .workers
            .write(|c| {
                c.execute_batch("DROP TRIGGER temp.cut_off")
                    .map_err(|err| SqliteError::sql("removing the fault")(err).into())
            })
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let retried = e.ingest(reply, now).await;
        assert!(
            matches!(retried, Ok(IngestOutcome::Stored(_))),
            "{retried:?}"
        );
        let after = store.stats().await.unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(after.messages, before.messages + 1);
        assert_eq!(after.dedupe_keys, before.dedupe_keys + 1);
        assert!(after.events > before.events);
    });
}
