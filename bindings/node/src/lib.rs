//! Node.js bindings for replytrack: the npm package `replytrack`, built with napi-rs.
//!
//! The JavaScript API mirrors the Rust crate module by module, with JavaScript naming
//! (camelCase), `Buffer | string` inputs, `Date` values, plain typed objects for data and classes
//! for things that hold secrets or state. Every error carries a stable `code` (see
//! [`error::ErrorCode`]). CPU-heavy calls have `…Async` twins that run on the libuv thread pool
//! and return Promises. `index.d.ts` is generated from this crate by `napi build`.
//!
//! | module | JavaScript |
//! | --- | --- |
//! | [`token`] | `Secret`, `Keyring`, `TokenAuthority`, `parseToken` |
//! | [`address`] | `AddressFormat`, `parseAddress`, `findToken`, `splitAddresses`, `tokenInMessageId`, `scanToken`, `scanTokens` |
//! | [`parse`], [`message`] | `parseEmail`, `parseEmailAsync`, the `InboundMessage` shape |
//! | [`classify`] | `classify` |
//! | [`reply`] | `extractReply`, `extractReplyAsync`, `stripText`, `stripHtml`, `htmlToText`, `htmlToTextAsync` |
//! | [`ses`] | `parseSesDelivery`, `verifySesDelivery`, `snsSigningCertUrl` |
//! | [`webhook`] | `MailgunVerifier`, `BasicAuth`, `checkBasicAuth` |
//!
//! | [`engine`] | `Engine` (store-backed, every call a Promise), `analyze`, `analysisJsonSchema`, `buildPrompt`, `repairAnalysis` |
#![warn(missing_docs)]

pub mod address;
pub mod classify;
pub mod engine;
pub mod error;
pub mod message;
pub mod parse;
pub mod reply;
pub mod ses;
pub mod token;
pub mod webhook;

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{BufferSlice, Either};
use napi::{JsDate, Status};

/// A JavaScript `Date` as a UTC instant. An Invalid Date (`new Date('x')`) is refused with
/// `InvalidArg`, where napi's own conversion would silently read it as 1970-01-01.
pub(crate) fn instant(date: &JsDate<'_>) -> napi::Result<DateTime<Utc>> {
    let millis = date.value_of()?;
    if !millis.is_finite() {
        return Err(napi::Error::new(
            Status::InvalidArg,
            "expected a valid Date, got an Invalid Date".to_string(),
        ));
    }
    // A finite Date value is within ±8.64e15 ms, so the cast is exact.
    DateTime::from_timestamp_millis(millis as i64).ok_or_else(|| {
        napi::Error::new(
            Status::InvalidArg,
            format!("Date {millis} ms is out of range"),
        )
    })
}

/// `now` as given, or the system clock: the Rust core never reads the clock, the binding does it
/// at the edge so JavaScript callers can leave `now` out.
pub(crate) fn now_or_clock(now: Option<JsDate<'_>>) -> napi::Result<DateTime<Utc>> {
    match now {
        Some(date) => instant(&date),
        None => Ok(Utc::now()),
    }
}

/// Bytes or text, as JavaScript hands them over (a string is read as its UTF-8 bytes).
pub(crate) fn bytes_of<'a>(data: &'a Either<BufferSlice<'_>, String>) -> &'a [u8] {
    match data {
        Either::A(buffer) => buffer,
        Either::B(text) => text.as_bytes(),
    }
}
