//! A mailer that keeps what it is given, and can be told to fail.

use std::sync::Mutex;

use async_trait::async_trait;

use crate::ports::{Mailer, MailerError, OutgoingEmail, SendReceipt};

/// Why [`MemoryMailer`] refused a send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemoryMailerError {
    /// It was told to fail ([`MemoryMailer::fail_next`]).
    #[error("the memory mailer was told to fail ({remaining} more failures queued)")]
    Injected {
        /// Failures still queued after this one.
        remaining: u32,
    },
    /// A thread panicked while holding its lock.
    #[error("the memory mailer's lock is poisoned: a thread panicked while sending")]
    Poisoned,
}

/// A [`Mailer`] that records every email in memory. [`MemoryMailer::fail_next`] makes the next
/// sends fail temporarily, to exercise retries.
#[derive(Debug, Default)]
pub struct MemoryMailer {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    sent: Vec<OutgoingEmail>,
    failures: u32,
    permanent: bool,
}

impl MemoryMailer {
    /// An empty mailer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The emails sent so far.
    pub fn sent(&self) -> Vec<OutgoingEmail> {
        self.inner
            .lock()
            .map(|g| g.sent.clone())
            .unwrap_or_default()
    }

    /// Make the next `n` sends fail with a temporary error.
    pub fn fail_next(&self, n: u32) {
        if let Ok(mut g) = self.inner.lock() {
            g.failures = n;
            g.permanent = false;
        }
    }

    /// Make the next `n` sends fail with a permanent error.
    pub fn fail_next_permanently(&self, n: u32) {
        if let Ok(mut g) = self.inner.lock() {
            g.failures = n;
            g.permanent = true;
        }
    }
}

#[async_trait]
impl Mailer for MemoryMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<SendReceipt, MailerError> {
        let mut g = self
            .inner
            .lock()
            .map_err(|_| MailerError::Temporary(Box::new(MemoryMailerError::Poisoned)))?;
        if g.failures > 0 {
            g.failures -= 1;
            let e = Box::new(MemoryMailerError::Injected {
                remaining: g.failures,
            });
            return Err(if g.permanent {
                MailerError::Permanent(e)
            } else {
                MailerError::Temporary(e)
            });
        }
        g.sent.push(email.clone());
        Ok(SendReceipt {
            provider_message_id: Some(format!("memory-{}", g.sent.len())),
        })
    }
}
