//! The token's text form (Crockford base32) and its bit layout.
//!
//! 80 bits, big-endian, written as 16 base32 characters:
//!
//! | bits  | field                                           |
//! |-------|-------------------------------------------------|
//! | 4     | key id (0–15)                                   |
//! | 8     | issue day, low 8 bits of days since 1970-01-01  |
//! | 28    | random handle                                   |
//! | 40    | tag: leftmost 5 bytes of HMAC-SHA256            |

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Length of a token's text form.
pub const TOKEN_LEN: usize = 16;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Why a string is not a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MalformedReason {
    /// Not 16 characters.
    Length(usize),
    /// A character outside Crockford base32 (after `i`/`l`→`1`, `o`→`0` folding).
    Character(char),
}

impl fmt::Display for MalformedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length(n) => write!(f, "{n} characters where a token has {TOKEN_LEN}"),
            Self::Character(c) => write!(f, "character {c:?} is not Crockford base32"),
        }
    }
}

/// A key id: 0 to 15 (4 bits in the token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct KeyId(u8);

impl KeyId {
    /// Largest key id.
    pub const MAX: u8 = 15;

    /// A key id, if `id` ≤ 15.
    pub fn new(id: u8) -> Option<Self> {
        (id <= Self::MAX).then_some(Self(id))
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for KeyId {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, Self::Error> {
        Self::new(v).ok_or_else(|| format!("key id {v} is over {}", Self::MAX))
    }
}

impl From<KeyId> for u8 {
    fn from(k: KeyId) -> u8 {
        k.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A reply token in canonical form: its shape is valid; its signature is not yet checked
/// (that is [`TokenAuthority::verify`](super::TokenAuthority::verify)'s job).
///
/// Parsing is case-insensitive and folds Crockford's look-alikes (`i`, `l` → `1`; `o` → `0`);
/// the text form is always the canonical lowercase one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyToken([u8; 10]);

impl ReplyToken {
    pub(crate) fn from_parts(key_id: KeyId, day_low: u8, handle: u32, tag: [u8; 5]) -> Self {
        let mut b = [0u8; 10];
        let handle = handle & 0x0fff_ffff;
        b[0] = (key_id.get() << 4) | (day_low >> 4);
        b[1] = (day_low << 4) | ((handle >> 24) as u8 & 0x0f);
        b[2..5].copy_from_slice(&handle.to_be_bytes()[1..4]);
        b[5..10].copy_from_slice(&tag);
        Self(b)
    }

    /// Parse a token's text form.
    ///
    /// # Errors
    /// [`MalformedReason`] when the text is not 16 base32 characters.
    pub fn parse(text: &str) -> Result<Self, MalformedReason> {
        let n = text.chars().count();
        if n != TOKEN_LEN {
            return Err(MalformedReason::Length(n));
        }
        let mut acc: u128 = 0;
        for c in text.chars() {
            acc = (acc << 5) | u128::from(decode_char(c).ok_or(MalformedReason::Character(c))?);
        }
        let mut b = [0u8; 10];
        b.copy_from_slice(&acc.to_be_bytes()[6..16]);
        Ok(Self(b))
    }

    /// The key id that signed the token.
    pub fn key_id(&self) -> KeyId {
        KeyId(self.0[0] >> 4)
    }

    /// The low 8 bits of the issue day.
    pub fn day_low(&self) -> u8 {
        (self.0[0] << 4) | (self.0[1] >> 4)
    }

    /// The 28-bit random handle.
    pub fn handle(&self) -> u32 {
        (u32::from(self.0[1] & 0x0f) << 24)
            | (u32::from(self.0[2]) << 16)
            | (u32::from(self.0[3]) << 8)
            | u32::from(self.0[4])
    }

    /// The 40-bit tag.
    pub fn tag(&self) -> [u8; 5] {
        let mut t = [0u8; 5];
        t.copy_from_slice(&self.0[5..10]);
        t
    }

    /// The canonical text form in a stack buffer.
    fn encode(&self) -> [u8; TOKEN_LEN] {
        let mut acc = [0u8; 16];
        acc[6..16].copy_from_slice(&self.0);
        let v = u128::from_be_bytes(acc);
        let mut out = [0u8; TOKEN_LEN];
        for (i, slot) in out.iter_mut().enumerate() {
            let shift = 5 * (TOKEN_LEN - 1 - i);
            *slot = ALPHABET[((v >> shift) & 31) as usize];
        }
        out
    }
}

fn decode_char(c: char) -> Option<u8> {
    let c = c.to_ascii_lowercase();
    let c = match c {
        'i' | 'l' => '1',
        'o' => '0',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|p| p as u8)
}

/// Whether `c` can appear in a token's text form (either case, look-alikes included).
pub(crate) fn is_token_char(c: char) -> bool {
    decode_char(c).is_some()
}

impl fmt::Display for ReplyToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let enc = self.encode();
        // The alphabet is ASCII, so this is always valid UTF-8.
        f.write_str(std::str::from_utf8(&enc).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for ReplyToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReplyToken({self})")
    }
}

impl FromStr for ReplyToken {
    type Err = MalformedReason;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for ReplyToken {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReplyToken {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn look_alikes_fold_to_digits() {
        let canonical = ReplyToken::parse("0123456789abcdef").unwrap();
        let folded = ReplyToken::parse("O123456789ABCDEF").unwrap();
        assert_eq!(canonical, folded);
        assert_eq!(
            ReplyToken::parse("il23456789abcdef").unwrap().to_string(),
            "1123456789abcdef"
        );
    }

    #[test]
    fn u_and_punctuation_are_malformed() {
        assert_eq!(
            ReplyToken::parse("u123456789abcdef"),
            Err(MalformedReason::Character('u'))
        );
        assert_eq!(ReplyToken::parse("abc"), Err(MalformedReason::Length(3)));
        assert!(ReplyToken::parse("é123456789abcdef").is_err());
    }

    proptest! {
        #[test]
        fn parts_round_trip(key in 0u8..16, day: u8, handle in 0u32..(1 << 28), tag: [u8; 5]) {
            let t = ReplyToken::from_parts(KeyId::new(key).unwrap(), day, handle, tag);
            prop_assert_eq!(t.key_id().get(), key);
            prop_assert_eq!(t.day_low(), day);
            prop_assert_eq!(t.handle(), handle);
            prop_assert_eq!(t.tag(), tag);
            let text = t.to_string();
            prop_assert_eq!(text.len(), TOKEN_LEN);
            prop_assert_eq!(ReplyToken::parse(&text).unwrap(), t);
            prop_assert_eq!(ReplyToken::parse(&text.to_uppercase()).unwrap(), t);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = ReplyToken::parse(&s);
        }
    }
}
