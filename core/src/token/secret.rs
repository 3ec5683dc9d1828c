//! Secret key material: redacted in `Debug`, compared in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::KeyId;

/// Secret key material (16 to 64 bytes). `Debug` prints `Secret(<redacted>)`; equality is
/// constant-time.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

/// Why bytes were not accepted as a [`Secret`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Too short or too long.
    #[error("secret is {len} bytes; it must be 16 to 64 bytes (32 recommended)")]
    BadLength {
        /// The length that was given.
        len: usize,
    },
    /// The hex form had a non-hex character or an odd length (the secret itself is not echoed).
    #[error("secret is not valid hex: expected an even number of 0-9a-f characters")]
    BadHex,
}

impl Secret {
    /// Smallest accepted secret, in bytes.
    pub const MIN_LEN: usize = 16;
    /// Largest accepted secret, in bytes.
    pub const MAX_LEN: usize = 64;

    /// Wrap raw bytes.
    ///
    /// # Errors
    /// [`SecretError::BadLength`] outside 16..=64 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SecretError> {
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&bytes.len()) {
            return Err(SecretError::BadLength { len: bytes.len() });
        }
        Ok(Self(bytes.to_vec()))
    }

    /// Parse a hex string (surrounding whitespace ignored).
    ///
    /// # Errors
    /// [`SecretError::BadHex`] or [`SecretError::BadLength`].
    pub fn from_hex(hex_str: &str) -> Result<Self, SecretError> {
        let bytes = hex::decode(hex_str.trim()).map_err(|_| SecretError::BadHex)?;
        Self::from_bytes(&bytes)
    }

    /// A fresh random 32-byte secret from the operating system.
    ///
    /// # Panics
    /// Only if the operating system has no random source, which no supported platform lacks.
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; 32];
        getrandom::fill(&mut bytes).expect("the OS random source is available");
        Self(bytes)
    }

    /// Derive a per-purpose subkey from this master secret: HMAC-SHA256 over a domain-separated
    /// label, the purpose and the key id. Different purposes or ids give unrelated keys.
    pub fn derive(&self, purpose: &str, id: KeyId) -> Secret {
        let mut mac = self.mac();
        mac.update(b"replytrack/subkey/v1\0");
        mac.update(&(purpose.len() as u64).to_be_bytes());
        mac.update(purpose.as_bytes());
        mac.update(&[id.get()]);
        Secret(mac.finalize().into_bytes().to_vec())
    }

    /// The raw bytes. Handle with care: never log them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    pub(crate) fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC accepts any key length")
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && bool::from(self.0.ct_eq(&other.0))
    }
}

impl Eq for Secret {}

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort: overwrite before the allocation is released.
        for b in self.0.iter_mut() {
            // A volatile-free wipe can be elided, but it costs nothing to try.
            *b = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_bytes() {
        let s = Secret::from_hex("00112233445566778899aabbccddeeff").unwrap();
        let shown = format!("{s:?}");
        assert_eq!(shown, "Secret(<redacted>)");
        assert!(!shown.contains("0011"));
    }

    #[test]
    fn bad_hex_error_does_not_echo_the_input() {
        let err = Secret::from_hex("zz112233445566778899aabbccddeeff").unwrap_err();
        assert!(!err.to_string().contains("zz11"));
    }

    #[test]
    fn short_secrets_are_refused() {
        assert_eq!(
            Secret::from_bytes(&[1; 8]),
            Err(SecretError::BadLength { len: 8 })
        );
    }

    #[test]
    fn subkeys_differ_by_purpose_and_id() {
        let master = Secret::from_bytes(&[7; 32]).unwrap();
        let a = master.derive("reply-token", KeyId::new(1).unwrap());
        let b = master.derive("reply-token", KeyId::new(2).unwrap());
        let c = master.derive("message-id", KeyId::new(1).unwrap());
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, master.derive("reply-token", KeyId::new(1).unwrap()));
    }
}
