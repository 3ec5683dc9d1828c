//! The checks a commit must pass before the memory store writes anything, made as a database
//! makes them: write by write, in the commit's order.

use std::collections::HashMap;

use super::State;
use crate::conversation::{ConversationId, Customer, CustomerId};
use crate::ports::{Commit, Conflict, StoreError, Write};

fn version_check(
    entity: &'static str,
    id: String,
    stored: Option<u64>,
    expected: u64,
) -> Result<(), StoreError> {
    match stored {
        None => Err(StoreError::NotFound { entity, id }),
        Some(found) if found != expected => Err(Conflict::Version {
            entity,
            id,
            expected,
            found,
        }
        .into()),
        Some(_) => Ok(()),
    }
}

impl State {
    /// Check everything a commit needs, without writing.
    pub(super) fn check(&self, c: &Commit) -> Result<(), StoreError> {
        // Addresses and external ids, staged over this commit's customer writes in order: a
        // write releases what the customer held before and claims what it holds now.
        let mut emails: HashMap<&str, Option<CustomerId>> = HashMap::new();
        let mut externals: HashMap<&str, Option<CustomerId>> = HashMap::new();
        let mut written: HashMap<CustomerId, &Customer> = HashMap::new();
        for w in &c.customers {
            let r = w.record();
            match w {
                Write::Insert(_) => {
                    if self.customers.contains_key(&r.id) || written.contains_key(&r.id) {
                        return Err(Conflict::IdTaken {
                            entity: "customer",
                            id: r.id.to_string(),
                        }
                        .into());
                    }
                }
                Write::Update {
                    expected_version, ..
                } => version_check(
                    "customer",
                    r.id.to_string(),
                    self.customers.get(&r.id).map(|x| x.version),
                    *expected_version,
                )?,
            }
            if let Some(old) = written.get(&r.id).copied().or(self.customers.get(&r.id)) {
                for e in &old.emails {
                    emails.insert(&e.address, None);
                }
                if let Some(ext) = &old.external_id {
                    externals.insert(ext, None);
                }
            }
            for e in &r.emails {
                let owner = match emails.get(e.address.as_str()) {
                    Some(staged) => *staged,
                    None => self.by_email.get(&e.address).copied(),
                };
                if let Some(owner) = owner
                    && owner != r.id
                {
                    return Err(Conflict::EmailTaken {
                        address: e.address.clone(),
                        customer: owner,
                    }
                    .into());
                }
                emails.insert(&e.address, Some(r.id));
            }
            if let Some(ext) = &r.external_id {
                let owner = match externals.get(ext.as_str()) {
                    Some(staged) => *staged,
                    None => self.by_external.get(ext).copied(),
                };
                if let Some(owner) = owner
                    && owner != r.id
                {
                    return Err(Conflict::ExternalIdTaken {
                        external_id: ext.clone(),
                        customer: owner,
                    }
                    .into());
                }
                externals.insert(ext, Some(r.id));
            }
            written.insert(r.id, r);
        }
        // The one-active-conversation rule, staged over this commit's writes in order.
        let mut staged: HashMap<CustomerId, Option<ConversationId>> = HashMap::new();
        for w in &c.conversations {
            let r = w.record();
            match w {
                Write::Insert(_) => {
                    if self.conversations.contains_key(&r.id) {
                        return Err(Conflict::IdTaken {
                            entity: "conversation",
                            id: r.id.to_string(),
                        }
                        .into());
                    }
                }
                Write::Update {
                    expected_version, ..
                } => version_check(
                    "conversation",
                    r.id.to_string(),
                    self.conversations.get(&r.id).map(|x| x.version),
                    *expected_version,
                )?,
            }
            let current = staged
                .get(&r.customer)
                .copied()
                .unwrap_or_else(|| self.active.get(&r.customer).copied());
            if r.status.is_active() {
                if let Some(existing) = current
                    && existing != r.id
                {
                    return Err(Conflict::ActiveConversation {
                        customer: r.customer,
                        existing,
                    }
                    .into());
                }
                staged.insert(r.customer, Some(r.id));
            } else if current == Some(r.id) {
                staged.insert(r.customer, None);
            }
        }
        for w in &c.messages {
            let r = w.record();
            match w {
                Write::Insert(_) => {
                    if self.messages.contains_key(&r.id) {
                        return Err(Conflict::IdTaken {
                            entity: "message",
                            id: r.id.to_string(),
                        }
                        .into());
                    }
                }
                Write::Update {
                    expected_version, ..
                } => version_check(
                    "message",
                    r.id.to_string(),
                    self.messages.get(&r.id).map(|x| x.version),
                    *expected_version,
                )?,
            }
        }
        for t in &c.tokens {
            if self.tokens.contains_key(&t.token) {
                return Err(Conflict::TokenTaken(t.token).into());
            }
        }
        for j in &c.jobs {
            if self.jobs.contains_key(&j.id) {
                return Err(Conflict::IdTaken {
                    entity: "job",
                    id: j.id.to_string(),
                }
                .into());
            }
        }
        Ok(())
    }
}
