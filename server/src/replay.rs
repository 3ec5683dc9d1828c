//! The Mailgun replay guard of one process: tokens remembered until their signature expires, and
//! forgotten again when the delivery they came with was answered 5xx (Mailgun's retry resends
//! the same signature and must not be taken for a replay).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use replytrack::provider::ReplayGuard;

/// Tokens seen, with when they stop mattering.
#[derive(Debug)]
pub(crate) struct ReplayCache {
    seen: HashMap<String, DateTime<Utc>>,
    capacity: usize,
}

impl ReplayCache {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            seen: HashMap::new(),
            capacity: capacity.max(1),
        }
    }

    /// Forget a token (its delivery failed and will be retried).
    pub(crate) fn forget(&mut self, token: &str) {
        self.seen.remove(token);
    }

    fn make_room(&mut self, now: DateTime<Utc>) {
        if self.seen.len() < self.capacity {
            return;
        }
        self.seen.retain(|_, expires| *expires >= now);
        while self.seen.len() >= self.capacity {
            let Some(first) = self
                .seen
                .iter()
                .min_by_key(|(_, expires)| **expires)
                .map(|(t, _)| t.clone())
            else {
                break;
            };
            self.seen.remove(&first);
        }
    }
}

/// `check_and_remember` with the current time, so expired tokens can be dropped.
pub(crate) struct At<'a> {
    pub(crate) cache: &'a mut ReplayCache,
    pub(crate) now: DateTime<Utc>,
}

impl ReplayGuard for At<'_> {
    fn check_and_remember(&mut self, token: &str, expires: DateTime<Utc>) -> bool {
        if let Some(until) = self.cache.seen.get(token)
            && *until >= self.now
        {
            return false;
        }
        self.cache.make_room(self.now);
        self.cache.seen.insert(token.to_string(), expires);
        true
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn a_token_is_refused_twice_until_forgotten_or_expired() {
        let now = Utc::now();
        let mut cache = ReplayCache::new(2);
        let later = now + TimeDelta::hours(1);
        assert!(
            At {
                cache: &mut cache,
                now
            }
            .check_and_remember("a", later)
        );
        assert!(
            !At {
                cache: &mut cache,
                now
            }
            .check_and_remember("a", later)
        );
        cache.forget("a");
        assert!(
            At {
                cache: &mut cache,
                now
            }
            .check_and_remember("a", later)
        );
        let after = later + TimeDelta::seconds(1);
        assert!(
            At {
                cache: &mut cache,
                now: after
            }
            .check_and_remember("a", after)
        );
    }

    #[test]
    fn capacity_drops_the_token_expiring_first() {
        let now = Utc::now();
        let mut cache = ReplayCache::new(2);
        let mut at = At {
            cache: &mut cache,
            now,
        };
        assert!(at.check_and_remember("soon", now + TimeDelta::minutes(1)));
        assert!(at.check_and_remember("late", now + TimeDelta::hours(1)));
        assert!(at.check_and_remember("third", now + TimeDelta::hours(2)));
        assert_eq!(cache.seen.len(), 2);
        assert!(!cache.seen.contains_key("soon"));
    }
}
