use proptest::prelude::*;

use super::*;
use crate::message::{Envelope, Mailbox, TransportInfo};

const TOKEN: &str = "7k3m9q2x5c8v1b4n";
const DOMAIN: &str = "reply.example.com";

fn tok() -> ReplyToken {
    TOKEN.parse().unwrap()
}

fn opts() -> ScanOptions {
    ScanOptions {
        domain: DOMAIN.into(),
    }
}

#[test]
fn formats_the_default_reply_address() {
    let f = AddressFormat::new("Reply.Example.com.").unwrap();
    assert_eq!(
        f.address(&tok()),
        "reply+7k3m9q2x5c8v1b4n@reply.example.com"
    );
    let f = f.with_prefix("r").unwrap().with_separator('=').unwrap();
    assert_eq!(f.address(&tok()), "r=7k3m9q2x5c8v1b4n@reply.example.com");
    assert!(AddressFormat::new("bad domain").is_err());
    assert!(
        AddressFormat::new(DOMAIN)
            .unwrap()
            .with_separator('#')
            .is_err()
    );
}

#[test]
fn message_id_embeds_the_token_and_is_recovered() {
    let f = AddressFormat::new(DOMAIN).unwrap();
    let id = f.message_id(&tok());
    assert!(id.starts_with("7k3m9q2x5c8v1b4n."));
    assert!(id.ends_with("@reply.example.com"));
    assert_ne!(id, f.message_id(&tok()), "each Message-ID is unique");
    assert_eq!(token_in_message_id(&format!("<{id}>"), DOMAIN), Some(tok()));
    assert_eq!(
        token_in_message_id(&format!("<{id}>"), "other.example"),
        None
    );
}

#[test]
fn parses_leniently() {
    let cases = [
        "reply+7k3m9q2x5c8v1b4n@reply.example.com",
        "REPLY+7K3M9Q2X5C8V1B4N@REPLY.EXAMPLE.COM",
        "reply-7k3m9q2x5c8v1b4n@reply.example.com",
        "reply=7k3m9q2x5c8v1b4n@reply.example.com",
        "<reply+7k3m9q2x5c8v1b4n@reply.example.com>",
        "Marie Dupont <reply+7k3m9q2x5c8v1b4n@reply.example.com>",
        "\"Dupont, Marie\" <reply+7k3m9q2x5c8v1b4n@reply.example.com>",
        "=?UTF-8?Q?Fran=C3=A7ois_M=C3=BCller?= <reply+7k3m9q2x5c8v1b4n@reply.example.com>",
        "\"reply+7k3m9q2x5c8v1b4n\"@reply.example.com",
        "someone@else.example, Support (via app) <reply+7k3m9q2x5c8v1b4n@reply.example.com>",
        "team: a@x.example, reply+7k3m9q2x5c8v1b4n@reply.example.com;",
        "reply+7k3m9q2x5c8v1b4n@reply.example.com (Acme replies)",
        "Acme\r\n <reply+7k3m9q2x5c8v1b4n@reply.example.com>",
    ];
    for c in cases {
        let p = parse_address(c, Some(DOMAIN));
        assert_eq!(p.token, Some(tok()), "{c}");
        assert!(p.valid_shape, "{c}");
    }
}

#[test]
fn other_domains_and_wrong_shapes_are_ignored() {
    for c in [
        "reply+7k3m9q2x5c8v1b4n@example.com",
        "reply+7k3m9q2x5c8v1b4@reply.example.com",
        "reply+7k3m9q2x5c8v1b4nn@reply.example.com",
        "reply+7k3m9q2x5c8v1b4u@reply.example.com",
        "marie@example.fr",
        "",
        "not an address at all",
        "\"reply+7k3m9q2x5c8v1b4n@reply.example.com\" <marie@example.fr>",
    ] {
        let p = parse_address(c, Some(DOMAIN));
        assert_eq!(p.token, None, "{c}");
        assert!(!p.valid_shape);
    }
    // Without a domain, any domain counts.
    assert_eq!(
        find_token("reply+7k3m9q2x5c8v1b4n@example.com", None),
        Some(tok())
    );
}

#[test]
fn display_names_are_split_from_addresses() {
    let items = split_addresses("\"Dupont, Marie\" <m@x.fr>, j@y.es, Ana <a@z.br>");
    let addrs: Vec<_> = items.iter().map(|i| i.address.as_str()).collect();
    assert_eq!(addrs, ["m@x.fr", "j@y.es", "a@z.br"]);
    assert_eq!(items[0].display_name.as_deref(), Some("Dupont, Marie"));
}

fn base() -> InboundMessage {
    InboundMessage {
        from: Some(Mailbox::new("marie@example.fr")),
        to: vec![Mailbox::new("support@example.com")],
        ..InboundMessage::default()
    }
}

#[test]
fn scan_prefers_envelope_over_headers() {
    let other = "0123456789abcdef";
    let mut m = base();
    m.to = vec![Mailbox::new(format!("reply+{other}@{DOMAIN}"))];
    m.transport = Some(TransportInfo {
        envelope: Some(Envelope {
            mail_from: None,
            rcpt_to: vec![format!("reply+{TOKEN}@{DOMAIN}")],
        }),
        ..TransportInfo::default()
    });
    let found = scan(&m, &opts()).unwrap();
    assert_eq!(found.token, TOKEN);
    assert_eq!(found.source, TokenSource::Envelope);
    assert_eq!(scan_all(&m, &opts()).len(), 2);
}

#[test]
fn scan_order_delivered_to_then_to_then_cc() {
    let mut m = base();
    m.cc = vec![Mailbox::new(format!("reply+{TOKEN}@{DOMAIN}"))];
    assert_eq!(scan(&m, &opts()).unwrap().source, TokenSource::Cc);
    m.to.push(Mailbox::new(format!(
        "REPLY+{}@{DOMAIN}",
        TOKEN.to_uppercase()
    )));
    assert_eq!(scan(&m, &opts()).unwrap().source, TokenSource::To);
    m.x_original_to = vec![format!("reply+{TOKEN}@{DOMAIN}")];
    assert_eq!(scan(&m, &opts()).unwrap().source, TokenSource::XOriginalTo);
    m.delivered_to = vec![format!("reply+{TOKEN}@{DOMAIN}")];
    assert_eq!(scan(&m, &opts()).unwrap().source, TokenSource::DeliveredTo);
}

#[test]
fn references_recover_a_lost_sub_address() {
    let mut m = base();
    m.references = vec![
        "CAF=abc@mail.gmail.com".into(),
        format!("{TOKEN}.a1b2c3d4e5@{DOMAIN}, other@x.example"),
    ];
    let found = scan(&m, &opts()).unwrap();
    assert_eq!(found.source, TokenSource::References);
    assert_eq!(found.token, TOKEN);
}

#[test]
fn postmark_mailbox_hash_is_a_source() {
    let mut m = base();
    m.transport = Some(TransportInfo {
        mailbox_hash: Some(TOKEN.to_uppercase()),
        ..TransportInfo::default()
    });
    assert_eq!(scan(&m, &opts()).unwrap().source, TokenSource::MailboxHash);
}

#[test]
fn bounced_original_carries_the_token_in_reply_to_or_message_id() {
    let mut original = InboundMessage {
        from: Some(Mailbox::new("hello@example.com")),
        to: vec![Mailbox::new("gone@customer.example")],
        message_id: Some(format!("{TOKEN}.zzzzzzzzzz@{DOMAIN}")),
        ..InboundMessage::default()
    };
    let mut bounce = base();
    bounce.attached_messages = vec![original.clone()];
    let found = scan(&bounce, &opts()).unwrap();
    assert_eq!(found.source, TokenSource::BouncedOriginal);
    original.message_id = None;
    original.reply_to = vec![Mailbox::new(format!("reply+{TOKEN}@{DOMAIN}"))];
    bounce.attached_messages = vec![original];
    assert_eq!(
        scan(&bounce, &opts()).unwrap().source,
        TokenSource::BouncedOriginal
    );
}

#[test]
fn no_token_anywhere_is_none() {
    assert_eq!(scan(&base(), &opts()), None);
}

proptest! {
    #[test]
    fn split_and_parse_never_panic(s in "\\PC{0,200}") {
        let _ = split_addresses(&s);
        let _ = parse_address(&s, Some(DOMAIN));
        let _ = token_in_message_id(&s, DOMAIN);
    }

    #[test]
    fn token_survives_any_wrapping(name in "[a-zA-Z ,.]{0,20}", upper: bool, sep in 0usize..3) {
        let t = if upper { TOKEN.to_uppercase() } else { TOKEN.to_string() };
        let value = format!("\"{name}\" <reply{}{t}@{DOMAIN}>", SEPARATORS[sep]);
        prop_assert_eq!(find_token(&value, Some(DOMAIN)), Some(tok()));
    }
}
