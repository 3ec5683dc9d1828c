//! After a unique index refused a commit: which record is in the way.
//!
//! Runs on the same connection after the rollback, reading committed rows, and walks the commit
//! in the order the contract checks it (customers, conversations with the one-active rule staged
//! over the commit's own writes, messages, tokens, jobs, events). `None` means nothing is in the
//! way any more: the other writer rolled back, and the commit is worth retrying.

use std::collections::HashMap;

use deadpool_postgres::Object;
use replytrack::conversation::{ConversationId, Customer, CustomerId};
use replytrack::ports::{Commit, Conflict, StoreError, Write};
use uuid::Uuid;

use crate::codec::{AsUuid, db_version, text, version};
use crate::error::backend;

async fn one_uuid(client: &Object, sql: &str, key: &str) -> Result<Option<Uuid>, StoreError> {
    let stmt = client
        .prepare_cached(sql)
        .await
        .map_err(backend("prepare"))?;
    let row = client
        .query_opt(&stmt, &[&key])
        .await
        .map_err(backend("look up a conflicting record"))?;
    row.map(|r| r.try_get::<_, Uuid>(0))
        .transpose()
        .map_err(backend("look up a conflicting record"))
}

async fn exists(client: &Object, sql: &str, id: Uuid) -> Result<Option<i64>, StoreError> {
    let stmt = client
        .prepare_cached(sql)
        .await
        .map_err(backend("prepare"))?;
    let row = client
        .query_opt(&stmt, &[&id])
        .await
        .map_err(backend("look up a conflicting record"))?;
    row.map(|r| r.try_get::<_, i64>(0))
        .transpose()
        .map_err(backend("look up a conflicting record"))
}

/// Insert of an existing id, or update at a stale version.
fn id_or_version<T>(
    w: &Write<T>,
    entity: &'static str,
    shown: String,
    stored: Option<i64>,
) -> Option<StoreError> {
    match (w, stored) {
        (Write::Insert(_), Some(_)) => Some(Conflict::IdTaken { entity, id: shown }.into()),
        (Write::Update { .. }, None) => Some(StoreError::NotFound { entity, id: shown }),
        (
            Write::Update {
                expected_version, ..
            },
            Some(found),
        ) if found != db_version(*expected_version) => Some(
            Conflict::Version {
                entity,
                id: shown,
                expected: *expected_version,
                found: version(found),
            }
            .into(),
        ),
        _ => None,
    }
}

/// The addresses and external id a stored customer holds.
async fn held_by(client: &Object, id: Uuid) -> Result<(Vec<String>, Option<String>), StoreError> {
    let stmt = client
        .prepare_cached("SELECT address FROM customer_emails WHERE customer_id = $1")
        .await
        .map_err(backend("prepare"))?;
    let rows = client
        .query(&stmt, &[&id])
        .await
        .map_err(backend("read a customer's addresses"))?;
    let emails = rows
        .iter()
        .map(|r| r.try_get::<_, String>(0))
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend("read a customer's addresses"))?;
    let stmt = client
        .prepare_cached("SELECT external_id FROM customers WHERE id = $1")
        .await
        .map_err(backend("prepare"))?;
    let external = client
        .query_opt(&stmt, &[&id])
        .await
        .map_err(backend("read a customer's external id"))?
        .map(|r| r.try_get::<_, Option<String>>(0))
        .transpose()
        .map_err(backend("read a customer's external id"))?
        .flatten();
    Ok((emails, external))
}

/// The first rule the commit breaks against what is stored now, if any.
pub(crate) async fn diagnose(
    client: &Object,
    c: &Commit,
) -> Result<Option<StoreError>, StoreError> {
    // Addresses and external ids staged over the commit's customer writes, in order: a write
    // releases what the customer held before and claims what it holds now.
    let mut emails: HashMap<String, Option<Uuid>> = HashMap::new();
    let mut externals: HashMap<String, Option<Uuid>> = HashMap::new();
    let mut written: HashMap<CustomerId, &Customer> = HashMap::new();
    for w in &c.customers {
        let r = w.record();
        let id = r.id.uuid();
        let stored = exists(client, "SELECT version FROM customers WHERE id = $1", id).await?;
        if matches!(w, Write::Insert(_)) && written.contains_key(&r.id) {
            return Ok(Some(
                Conflict::IdTaken {
                    entity: "customer",
                    id: r.id.to_string(),
                }
                .into(),
            ));
        }
        if let Some(e) = id_or_version(w, "customer", r.id.to_string(), stored) {
            return Ok(Some(e));
        }
        let (old_emails, old_external) = match written.get(&r.id) {
            Some(old) => (
                old.emails
                    .iter()
                    .map(|e| text(&e.address).into_owned())
                    .collect(),
                old.external_id.as_deref().map(|x| text(x).into_owned()),
            ),
            None => held_by(client, id).await?,
        };
        for a in old_emails {
            emails.insert(a, None);
        }
        if let Some(x) = old_external {
            externals.insert(x, None);
        }
        for e in &r.emails {
            let key = text(&e.address).into_owned();
            let owner = match emails.get(&key) {
                Some(staged) => *staged,
                None => {
                    one_uuid(
                        client,
                        "SELECT customer_id FROM customer_emails WHERE address = $1",
                        &key,
                    )
                    .await?
                }
            };
            if let Some(owner) = owner
                && owner != id
            {
                return Ok(Some(
                    Conflict::EmailTaken {
                        address: e.address.clone(),
                        customer: CustomerId::from_u128(owner.as_u128()),
                    }
                    .into(),
                ));
            }
            emails.insert(key, Some(id));
        }
        if let Some(ext) = &r.external_id {
            let key = text(ext).into_owned();
            let owner = match externals.get(&key) {
                Some(staged) => *staged,
                None => {
                    one_uuid(
                        client,
                        "SELECT id FROM customers WHERE external_id = $1",
                        &key,
                    )
                    .await?
                }
            };
            if let Some(owner) = owner
                && owner != id
            {
                return Ok(Some(
                    Conflict::ExternalIdTaken {
                        external_id: ext.clone(),
                        customer: CustomerId::from_u128(owner.as_u128()),
                    }
                    .into(),
                ));
            }
            externals.insert(key, Some(id));
        }
        written.insert(r.id, r);
    }
    let mut staged: HashMap<CustomerId, Option<ConversationId>> = HashMap::new();
    for w in &c.conversations {
        let r = w.record();
        let stored = exists(
            client,
            "SELECT version FROM conversations WHERE id = $1",
            r.id.uuid(),
        )
        .await?;
        if let Some(e) = id_or_version(w, "conversation", r.id.to_string(), stored) {
            return Ok(Some(e));
        }
        let current = match staged.get(&r.customer) {
            Some(s) => *s,
            None => {
                let stmt = client
                    .prepare_cached(
                        "SELECT id FROM conversations WHERE customer_id = $1 AND status <> 'resolved'",
                    )
                    .await
                    .map_err(backend("prepare"))?;
                let row = client
                    .query_opt(&stmt, &[&r.customer.uuid()])
                    .await
                    .map_err(backend("look up the active conversation"))?;
                row.map(|row| row.try_get::<_, Uuid>(0))
                    .transpose()
                    .map_err(backend("look up the active conversation"))?
                    .map(|u| ConversationId::from_u128(u.as_u128()))
            }
        };
        if r.status.is_active() {
            if let Some(existing) = current
                && existing != r.id
            {
                return Ok(Some(
                    Conflict::ActiveConversation {
                        customer: r.customer,
                        existing,
                    }
                    .into(),
                ));
            }
            staged.insert(r.customer, Some(r.id));
        } else if current == Some(r.id) {
            staged.insert(r.customer, None);
        } else {
            staged.insert(r.customer, current);
        }
    }
    for w in &c.messages {
        let r = w.record();
        let stored = exists(
            client,
            "SELECT version FROM messages WHERE id = $1",
            r.id.uuid(),
        )
        .await?;
        if let Some(e) = id_or_version(w, "message", r.id.to_string(), stored) {
            return Ok(Some(e));
        }
    }
    for t in &c.tokens {
        let stmt = client
            .prepare_cached("SELECT 1 FROM tokens WHERE token = $1")
            .await
            .map_err(backend("prepare"))?;
        let row = client
            .query_opt(&stmt, &[&t.token.to_string()])
            .await
            .map_err(backend("look up a token"))?;
        if row.is_some() {
            return Ok(Some(Conflict::TokenTaken(t.token).into()));
        }
    }
    for j in &c.jobs {
        if exists(
            client,
            "SELECT 1::bigint FROM jobs WHERE id = $1",
            j.id.uuid(),
        )
        .await?
        .is_some()
        {
            return Ok(Some(
                Conflict::IdTaken {
                    entity: "job",
                    id: j.id.to_string(),
                }
                .into(),
            ));
        }
    }
    for e in &c.events {
        if exists(
            client,
            "SELECT 1::bigint FROM events WHERE id = $1",
            e.id.uuid(),
        )
        .await?
        .is_some()
        {
            return Ok(Some(
                Conflict::IdTaken {
                    entity: "event",
                    id: e.id.to_string(),
                }
                .into(),
            ));
        }
    }
    Ok(None)
}
