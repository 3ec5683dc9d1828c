use chrono::{Duration, TimeZone};
use proptest::prelude::*;

use super::*;

fn t(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, s).unwrap()
}

fn secret(n: u8) -> Secret {
    Secret::from_bytes(&[n; 32]).unwrap()
}

fn authority() -> TokenAuthority {
    TokenAuthority::builder(Keyring::single(KeyId::new(3).unwrap(), secret(1)))
        .domain("reply.example.com")
        .build()
        .unwrap()
}

#[test]
fn issued_token_verifies_and_reports_its_dates() {
    let a = authority();
    let now = t(2026, 3, 3, 10, 12, 0);
    let issued = a.issue(now).unwrap();
    assert_eq!(issued.token.to_string().len(), 16);
    assert_eq!(issued.issued_at, t(2026, 3, 3, 0, 0, 0));
    assert_eq!(issued.expires_at, t(2026, 6, 1, 0, 0, 0));
    let v = a.verify(&issued.token.to_string(), now).unwrap();
    assert_eq!(v.issued_at, issued.issued_at);
    assert_eq!(v.expires_at, issued.expires_at);
    assert_eq!(v.key_id, KeyId::new(3).unwrap());
}

#[test]
fn every_email_gets_a_new_token() {
    let a = authority();
    let now = t(2026, 3, 3, 10, 12, 0);
    let tokens: std::collections::HashSet<_> =
        (0..1000).map(|_| a.issue(now).unwrap().token).collect();
    // 28 random bits: 1000 draws collide with odds ~0.2%; the store catches the rest.
    assert!(tokens.len() >= 998);
}

#[test]
fn expiry_boundary_is_exact_to_the_second() {
    let a = authority();
    let issued = a.issue(t(2026, 3, 3, 0, 0, 0)).unwrap();
    let tok = issued.token.to_string();
    let ttl = Duration::days(90);
    assert!(
        a.verify(&tok, issued.issued_at + ttl - Duration::seconds(1))
            .is_ok()
    );
    assert!(a.verify(&tok, issued.issued_at + ttl).is_ok());
    match a.verify(&tok, issued.issued_at + ttl + Duration::seconds(1)) {
        Err(TokenError::Expired {
            issued: i,
            expired_at,
            ttl_days,
            authentic,
        }) => {
            assert_eq!(i, issued.issued_at);
            assert_eq!(expired_at, issued.expires_at);
            assert_eq!(ttl_days, 90);
            assert!(authentic);
        }
        other => panic!("expected Expired, got {other:?}"),
    }
}

#[test]
fn expired_message_names_the_issue_day_and_ttl() {
    let a = authority();
    let issued = a.issue(t(2026, 1, 2, 9, 0, 0)).unwrap();
    let err = a
        .verify(&issued.token.to_string(), t(2026, 6, 1, 0, 0, 0))
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("token is expired: issued 2026-01-02, ttl 90 days")
    );
    assert_eq!(err.reason(), "expired");
}

#[test]
fn configurable_ttl_is_honoured() {
    let a = TokenAuthority::builder(Keyring::single(KeyId::new(0).unwrap(), secret(1)))
        .ttl_days(7)
        .build()
        .unwrap();
    let issued = a.issue(t(2026, 3, 3, 0, 0, 0)).unwrap();
    assert!(
        a.verify(&issued.token.to_string(), t(2026, 3, 10, 0, 0, 0))
            .is_ok()
    );
    assert!(matches!(
        a.verify(&issued.token.to_string(), t(2026, 3, 10, 0, 0, 1)),
        Err(TokenError::Expired { .. })
    ));
}

#[test]
fn ttl_out_of_range_is_refused_at_build() {
    let ring = Keyring::single(KeyId::new(0).unwrap(), secret(1));
    assert_eq!(
        TokenAuthority::builder(ring.clone())
            .ttl_days(0)
            .build()
            .unwrap_err(),
        AuthorityError::BadTtl(0)
    );
    assert_eq!(
        TokenAuthority::builder(ring.clone())
            .ttl_days(300)
            .build()
            .unwrap_err(),
        AuthorityError::BadTtl(300)
    );
    assert!(matches!(
        TokenAuthority::builder(ring).domain("not a domain").build(),
        Err(AuthorityError::BadDomain(_))
    ));
}

#[test]
fn token_for_another_domain_is_forged() {
    let a = authority();
    let b = TokenAuthority::builder(Keyring::single(KeyId::new(3).unwrap(), secret(1)))
        .domain("reply.other.example")
        .build()
        .unwrap();
    let now = t(2026, 3, 3, 10, 0, 0);
    let tok = a.issue(now).unwrap().token.to_string();
    assert_eq!(b.verify(&tok, now).unwrap_err(), TokenError::Forged);
}

#[test]
fn unknown_key_is_refused_before_the_tag_is_checked() {
    let a = authority();
    let now = t(2026, 3, 3, 10, 0, 0);
    let other = TokenAuthority::builder(Keyring::single(KeyId::new(9).unwrap(), secret(1)))
        .build()
        .unwrap();
    let tok = other.issue(now).unwrap().token.to_string();
    assert!(matches!(
        a.verify(&tok, now),
        Err(TokenError::UnknownKey { .. })
    ));
}

#[test]
fn rotation_keeps_old_tokens_valid_until_their_ttl() {
    let master = secret(42);
    let mut ring = Keyring::new();
    ring.add_derived(&master, KeyId::new(0).unwrap(), t(2026, 1, 1, 0, 0, 0))
        .unwrap();
    let a = TokenAuthority::builder(ring.clone()).build().unwrap();
    let old = a.issue(t(2026, 2, 1, 12, 0, 0)).unwrap();
    assert_eq!(old.key_id.get(), 0);

    ring.add_derived(&master, KeyId::new(1).unwrap(), t(2026, 3, 1, 0, 0, 0))
        .unwrap();
    let a = TokenAuthority::builder(ring).build().unwrap();
    let new = a.issue(t(2026, 3, 5, 0, 0, 0)).unwrap();
    assert_eq!(new.key_id.get(), 1, "the newest key signs");
    // The old key still verifies what it signed inside its window, until the TTL runs out.
    assert!(
        a.verify(&old.token.to_string(), t(2026, 4, 20, 0, 0, 0))
            .is_ok()
    );
    assert!(matches!(
        a.verify(&old.token.to_string(), t(2026, 5, 3, 0, 0, 0)),
        Err(TokenError::Expired { .. })
    ));
    assert!(
        a.verify(&new.token.to_string(), t(2026, 4, 20, 0, 0, 0))
            .is_ok()
    );
}

#[test]
fn retiring_a_key_revokes_its_tokens_at_once() {
    let mut ring = Keyring::new();
    ring.add(KeyId::new(0).unwrap(), secret(1), t(2026, 1, 1, 0, 0, 0))
        .unwrap();
    ring.add(KeyId::new(1).unwrap(), secret(2), t(2026, 2, 1, 0, 0, 0))
        .unwrap();
    let a = TokenAuthority::builder(ring.clone()).build().unwrap();
    let old = a.issue_with_handle(t(2026, 1, 15, 0, 0, 0), 77).unwrap();
    assert!(
        a.verify(&old.token.to_string(), t(2026, 2, 10, 0, 0, 0))
            .is_ok()
    );
    ring.retire(KeyId::new(0).unwrap(), t(2026, 2, 9, 0, 0, 0))
        .unwrap();
    let a = TokenAuthority::builder(ring).build().unwrap();
    assert_eq!(
        a.verify(&old.token.to_string(), t(2026, 2, 10, 0, 0, 0))
            .unwrap_err(),
        TokenError::KeyRetired {
            key_id: KeyId::new(0).unwrap()
        }
    );
}

#[test]
fn a_key_id_can_be_reused_after_its_window() {
    let mut ring = Keyring::new();
    ring.add(KeyId::new(5).unwrap(), secret(1), t(2025, 1, 1, 0, 0, 0))
        .unwrap();
    ring.add(KeyId::new(6).unwrap(), secret(2), t(2025, 6, 1, 0, 0, 0))
        .unwrap();
    ring.add(KeyId::new(5).unwrap(), secret(3), t(2026, 1, 1, 0, 0, 0))
        .unwrap();
    let a = TokenAuthority::builder(ring).build().unwrap();
    let now = t(2026, 2, 1, 0, 0, 0);
    let tok = a.issue(now).unwrap();
    assert_eq!(tok.key_id.get(), 5);
    assert!(a.verify(&tok.token.to_string(), now).is_ok());
}

#[test]
fn no_key_yet_means_no_issue() {
    let mut ring = Keyring::new();
    ring.add(KeyId::new(0).unwrap(), secret(1), t(2027, 1, 1, 0, 0, 0))
        .unwrap();
    let a = TokenAuthority::builder(ring).build().unwrap();
    assert!(matches!(
        a.issue(t(2026, 1, 1, 0, 0, 0)),
        Err(AuthorityError::NoSigningKey(_))
    ));
}

#[test]
fn token_from_tomorrow_beyond_the_skew_is_not_yet_valid() {
    let a = authority();
    let issued = a.issue(t(2026, 3, 4, 0, 10, 0)).unwrap();
    // Our clock says 23:59:00 the day before: within 5 minutes of skew the token is accepted.
    assert!(
        a.verify(&issued.token.to_string(), t(2026, 3, 3, 23, 59, 0))
            .is_ok()
    );
    // Twelve hours earlier it is not.
    assert!(matches!(
        a.verify(&issued.token.to_string(), t(2026, 3, 3, 12, 0, 0)),
        Err(TokenError::NotYetValid { .. })
    ));
}

#[test]
fn day_wraparound_token_older_than_256_days_is_refused() {
    let a = authority();
    let issued = a.issue(t(2025, 1, 10, 8, 0, 0)).unwrap();
    // 256 days later the low 8 bits of the day are the same again.
    let later = issued.issued_at + Duration::days(256) + Duration::hours(3);
    match a.verify(&issued.token.to_string(), later) {
        Err(TokenError::Expired {
            issued: i,
            authentic,
            ..
        }) => {
            assert_eq!(i, issued.issued_at, "the real issue day is recovered");
            assert!(authentic);
        }
        other => panic!("expected Expired, got {other:?}"),
    }
    for extra in [300, 512, 600] {
        assert!(
            a.verify(
                &issued.token.to_string(),
                issued.issued_at + Duration::days(extra)
            )
            .is_err()
        );
    }
}

#[test]
fn forged_expired_token_is_flagged_not_authentic() {
    let a = authority();
    let issued = a.issue(t(2026, 1, 1, 0, 0, 0)).unwrap();
    let mut text: Vec<char> = issued.token.to_string().chars().collect();
    text[15] = if text[15] == 'a' { 'b' } else { 'a' };
    let forged: String = text.into_iter().collect();
    match a.verify(&forged, t(2026, 6, 1, 0, 0, 0)) {
        Err(TokenError::Expired { authentic, .. }) => assert!(!authentic),
        other => panic!("expected Expired, got {other:?}"),
    }
}

#[test]
fn malformed_input_is_refused() {
    let a = authority();
    let now = t(2026, 3, 3, 0, 0, 0);
    for bad in [
        "",
        "short",
        "0123456789abcdefg",
        "0123456789abcdeu",
        "0123456789abcde!",
    ] {
        assert!(
            matches!(a.verify(bad, now), Err(TokenError::Malformed(_))),
            "{bad}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trip_in_any_case(secs in 1_600_000_000i64..1_900_000_000, handle: u32, mask: u16) {
        let a = authority();
        let now = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
        let issued = a.issue_with_handle(now, handle).unwrap();
        let text: String = issued.token.to_string().chars().enumerate()
            .map(|(i, c)| if mask & (1 << i) != 0 { c.to_ascii_uppercase() } else { c })
            .collect();
        let v = a.verify(&text, now).unwrap();
        prop_assert_eq!(v.token, issued.token);
        prop_assert_eq!(v.token.to_string(), issued.token.to_string());
    }

    #[test]
    fn any_single_changed_character_is_refused(
        secs in 1_600_000_000i64..1_900_000_000, handle: u32, pos in 0usize..16, repl in 0usize..32
    ) {
        let a = authority();
        let now = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
        let issued = a.issue_with_handle(now, handle).unwrap();
        let mut chars: Vec<char> = issued.token.to_string().chars().collect();
        let new = char::from(b"0123456789abcdefghjkmnpqrstvwxyz"[repl]);
        prop_assume!(chars[pos] != new);
        chars[pos] = new;
        let changed: String = chars.into_iter().collect();
        prop_assert!(a.verify(&changed, now).is_err());
    }

    #[test]
    fn verify_never_panics(s in "\\PC{0,32}", secs in 0i64..4_000_000_000) {
        let a = authority();
        let now = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
        let _ = a.verify(&s, now);
    }
}
