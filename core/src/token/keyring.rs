//! The keyring: signing keys by id, with signing windows, rotation and retirement.

use chrono::{DateTime, Utc};
use hmac::Hmac;
use sha2::Sha256;

use super::{KeyId, Secret};

/// The purpose label used to derive reply-token keys from a master secret.
pub const REPLY_TOKEN_PURPOSE: &str = "reply-token";

/// One key in a [`Keyring`].
#[derive(Clone)]
pub struct KeyEntry {
    /// The id written into tokens it signs.
    pub id: KeyId,
    /// The key material (redacted in `Debug`).
    pub secret: Secret,
    /// When this key starts signing. Its signing window ends when the next key starts.
    pub active_from: DateTime<Utc>,
    /// When the key was retired: from then on its tokens are refused at once.
    pub retired_at: Option<DateTime<Utc>>,
    /// The HMAC state keyed with `secret`, computed once (saves two SHA-256 blocks per token).
    keyed: Hmac<Sha256>,
}

impl KeyEntry {
    fn new(id: KeyId, secret: Secret, active_from: DateTime<Utc>) -> Self {
        let keyed = secret.mac();
        Self {
            id,
            secret,
            active_from,
            retired_at: None,
            keyed,
        }
    }

    /// A fresh HMAC-SHA256 instance keyed with this key.
    pub(crate) fn mac(&self) -> Hmac<Sha256> {
        self.keyed.clone()
    }
}

impl std::fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyEntry")
            .field("id", &self.id)
            .field("secret", &self.secret)
            .field("active_from", &self.active_from)
            .field("retired_at", &self.retired_at)
            .finish()
    }
}

impl PartialEq for KeyEntry {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.active_from == other.active_from
            && self.retired_at == other.retired_at
            && self.secret == other.secret
    }
}

impl Eq for KeyEntry {}

/// Why a keyring change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    /// Two keys would start signing at the same instant.
    #[error("a key already starts signing at {0}")]
    DuplicateStart(DateTime<Utc>),
    /// No key with that id exists.
    #[error("no key with id {0}")]
    NoSuchKey(KeyId),
}

/// Where a key sits in a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyLookup<'a> {
    /// The key that was signing on that day.
    Found(&'a KeyEntry),
    /// That key was retired.
    Retired,
    /// No key with that id was signing on that day.
    Unknown,
}

/// Several keys by id. The newest key whose `active_from` has passed signs; each key verifies the
/// tokens issued inside its signing window (from its `active_from` to the next key's), for as long
/// as those tokens live. Ids may be reused once the old key's tokens have expired: lookups go by id
/// *and* issue day.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use replytrack::token::{KeyId, Keyring, Secret};
///
/// let master = Secret::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")?;
/// let mut ring = Keyring::new();
/// ring.add_derived(&master, KeyId::new(0).unwrap(), Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap())?;
/// ring.add_derived(&master, KeyId::new(1).unwrap(), Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap())?;
/// let now = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
/// assert_eq!(ring.signing_key(now).unwrap().id, KeyId::new(1).unwrap());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyring {
    /// Sorted by `active_from`.
    keys: Vec<KeyEntry>,
}

impl Keyring {
    /// An empty keyring.
    pub fn new() -> Self {
        Self::default()
    }

    /// A keyring with one key, signing since the Unix epoch.
    pub fn single(id: KeyId, secret: Secret) -> Self {
        Self {
            keys: vec![KeyEntry::new(id, secret, DateTime::<Utc>::UNIX_EPOCH)],
        }
    }

    /// Add a key that starts signing at `active_from`.
    ///
    /// # Errors
    /// [`KeyringError::DuplicateStart`] if another key starts at the same instant.
    pub fn add(
        &mut self,
        id: KeyId,
        secret: Secret,
        active_from: DateTime<Utc>,
    ) -> Result<(), KeyringError> {
        if self.keys.iter().any(|k| k.active_from == active_from) {
            return Err(KeyringError::DuplicateStart(active_from));
        }
        self.keys.push(KeyEntry::new(id, secret, active_from));
        self.keys.sort_by_key(|k| k.active_from);
        Ok(())
    }

    /// Add a key derived from a master secret for reply tokens (see [`Secret::derive`]).
    ///
    /// # Errors
    /// As [`Keyring::add`].
    pub fn add_derived(
        &mut self,
        master: &Secret,
        id: KeyId,
        active_from: DateTime<Utc>,
    ) -> Result<(), KeyringError> {
        self.add(id, master.derive(REPLY_TOKEN_PURPOSE, id), active_from)
    }

    /// Retire every key with this id at `at`: tokens they signed are refused from then on,
    /// whatever their age.
    ///
    /// # Errors
    /// [`KeyringError::NoSuchKey`] when no key has that id.
    pub fn retire(&mut self, id: KeyId, at: DateTime<Utc>) -> Result<(), KeyringError> {
        let mut found = false;
        for k in self.keys.iter_mut().filter(|k| k.id == id) {
            k.retired_at = Some(at);
            found = true;
        }
        if found {
            Ok(())
        } else {
            Err(KeyringError::NoSuchKey(id))
        }
    }

    /// The keys, oldest first.
    pub fn keys(&self) -> &[KeyEntry] {
        &self.keys
    }

    /// The key that signs at `now`: the newest started, not retired.
    pub fn signing_key(&self, now: DateTime<Utc>) -> Option<&KeyEntry> {
        self.keys
            .iter()
            .rev()
            .find(|k| k.active_from <= now && k.retired_at.is_none_or(|r| r > now))
    }

    /// The key with `id` whose signing window contains `issue_day` (days since the epoch).
    /// Windows are compared by whole UTC days, both ends included, so the rollover day belongs
    /// to both keys.
    pub(crate) fn lookup(&self, id: KeyId, issue_day: i64, now: DateTime<Utc>) -> KeyLookup<'_> {
        for (i, k) in self.keys.iter().enumerate() {
            if k.id != id {
                continue;
            }
            let start = day_of(k.active_from);
            let end = self.keys.get(i + 1).map(|next| day_of(next.active_from));
            if issue_day >= start && end.is_none_or(|e| issue_day <= e) {
                if k.retired_at.is_some_and(|r| r <= now) {
                    return KeyLookup::Retired;
                }
                return KeyLookup::Found(k);
            }
        }
        KeyLookup::Unknown
    }
}

/// Days since 1970-01-01 (UTC) of an instant.
pub(crate) fn day_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(86_400)
}
