//! Identifier newtypes.
//!
//! Every id is 128 bits: a 48-bit millisecond timestamp (the `now` the engine was given) followed
//! by 80 random bits, so ids sort roughly by creation time (good for database index locality) and
//! never collide in practice. The text form is a short type prefix, an underscore and 26 lowercase
//! Crockford base32 characters (`cnv_01jq3v6k8m0000000000000000`); parsing accepts any case.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const ID_CHARS: usize = 26;

/// Why a text could not be read as an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The text does not start with the expected `prefix_`.
    #[error("id {text:?} does not start with \"{expected}_\"")]
    Prefix {
        /// The text given (cut to 64 characters).
        text: String,
        /// The prefix this id type uses.
        expected: &'static str,
    },
    /// The part after the prefix is not 26 base32 characters.
    #[error("id {text:?} must have 26 base32 characters after the prefix")]
    Body {
        /// The text given (cut to 64 characters).
        text: String,
    },
}

fn cut(text: &str) -> String {
    text.chars().take(64).collect()
}

fn random_bits(now: DateTime<Utc>) -> u128 {
    let mut buf = [0u8; 10];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    let mut acc = [0u8; 16];
    acc[6..16].copy_from_slice(&buf);
    let millis = u128::from(u64::try_from(now.timestamp_millis()).unwrap_or(0)) & ((1 << 48) - 1);
    (millis << 80) | u128::from_be_bytes(acc)
}

fn encode(value: u128) -> [u8; ID_CHARS] {
    let mut out = [0u8; ID_CHARS];
    for (i, slot) in out.iter_mut().enumerate() {
        let shift = 5 * (ID_CHARS - 1 - i);
        // 26 * 5 = 130 bits: the first character only holds the top 3 bits.
        let v = (value >> shift) & 31;
        *slot = ALPHABET[v as usize];
    }
    out
}

fn decode(body: &str) -> Option<u128> {
    if body.len() != ID_CHARS {
        return None;
    }
    let mut acc: u128 = 0;
    for (i, c) in body.chars().enumerate() {
        let c = c.to_ascii_lowercase();
        let v = ALPHABET.iter().position(|&a| char::from(a) == c)? as u128;
        if i == 0 && v > 7 {
            return None;
        }
        acc = (acc << 5) | v;
    }
    Some(acc)
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u128);

        impl $name {
            /// The text prefix of this id type.
            pub const PREFIX: &'static str = $prefix;

            /// A fresh id: `now`'s milliseconds, then 80 random bits.
            pub fn generate(now: DateTime<Utc>) -> Self {
                Self(random_bits(now))
            }

            /// An id from its 128-bit value (as a store keeps it).
            pub const fn from_u128(value: u128) -> Self {
                Self(value)
            }

            /// The 128-bit value.
            pub const fn as_u128(self) -> u128 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let body = encode(self.0);
                f.write_str($prefix)?;
                f.write_str("_")?;
                f.write_str(std::str::from_utf8(&body).map_err(|_| fmt::Error)?)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                let body = s
                    .strip_prefix($prefix)
                    .and_then(|rest| rest.strip_prefix('_'))
                    .ok_or_else(|| IdError::Prefix { text: cut(s), expected: $prefix })?;
                decode(body).map(Self).ok_or_else(|| IdError::Body { text: cut(s) })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

id_type!(
    /// A customer (contact).
    CustomerId,
    "cus"
);
id_type!(
    /// A conversation.
    ConversationId,
    "cnv"
);
id_type!(
    /// A stored message (outbound, inbound, manual log or note).
    MessageId,
    "msg"
);
id_type!(
    /// A timeline event.
    EventId,
    "evt"
);
id_type!(
    /// A job in the durable queue.
    JobId,
    "job"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_print_with_their_prefix_and_parse_back() {
        let now = DateTime::<Utc>::from_timestamp(1_772_532_000, 0).unwrap_or_default();
        let id = ConversationId::generate(now);
        let text = id.to_string();
        assert!(text.starts_with("cnv_"));
        assert_eq!(text.len(), 4 + ID_CHARS);
        assert_eq!(text.parse::<ConversationId>(), Ok(id));
        assert_eq!(
            text.to_uppercase()
                .replace("CNV", "cnv")
                .parse::<ConversationId>(),
            Ok(id)
        );
        assert!(matches!(
            text.parse::<CustomerId>(),
            Err(IdError::Prefix { .. })
        ));
    }

    #[test]
    fn later_ids_sort_after_earlier_ones() {
        let a = DateTime::<Utc>::from_timestamp(1_772_532_000, 0).unwrap_or_default();
        let b = a + chrono::Duration::milliseconds(1);
        assert!(MessageId::generate(a) < MessageId::generate(b));
    }

    proptest! {
        #[test]
        fn any_value_round_trips(v: u128) {
            let id = JobId::from_u128(v);
            prop_assert_eq!(id.to_string().parse::<JobId>(), Ok(id));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}") {
            let _ = s.parse::<EventId>();
        }
    }
}
