//! Engine scenarios over a store: the inbox list, the customer link and WhatsApp, run by the
//! engine on each store (memory here, SQLite and PostgreSQL in their crates) with
//! [`scenario_tests!`](crate::scenario_tests).

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use replytrack::address::AddressFormat;
use replytrack::conversation::{
    AccountSettings, Channel, ConversationStatus, DeliveryStatus, Direction, NewCustomer,
};
use replytrack::engine::Engine;
use replytrack::engine::query::{CustomerKey, LinkError, default_label_colour};
use replytrack::engine::whatsapp::{
    WhatsAppDraft, WhatsAppEngineError, WhatsAppIngest, WhatsAppStatusOutcome,
};
use replytrack::inbox::whatsapp::{
    WhatsAppEvents, WindowError, parse_meta_webhook, parse_twilio_webhook,
};
use replytrack::ports::{InboxQuery, InboxTab, Store, TimelineScope};
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

const DOMAIN: &str = "reply.acme.example";

/// An engine for the Acme account over `store`.
///
/// # Panics
/// Never with these constant settings.
pub fn engine(store: Arc<dyn Store>) -> Engine {
    let keys = Keyring::single(
        KeyId::new(0).unwrap_or_else(|| panic!("key id 0 is valid")),
        Secret::from_bytes(&[7; 32]).unwrap_or_else(|e| panic!("{e}")),
    );
    let authority = TokenAuthority::builder(keys)
        .domain(DOMAIN)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let account = AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example")
        .unwrap_or_else(|e| panic!("{e}"));
    Engine::builder(
        authority,
        AddressFormat::new(DOMAIN).unwrap_or_else(|e| panic!("{e}")),
        account,
    )
    .store(store)
    .mailer(Arc::new(MemoryMailer::new()))
    .build()
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Monday 2 March 2026, 09:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn ok<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{what} failed: {e}"))
}

/// A Cloud API webhook with one text message from `phone` (digits) sent at `at`.
fn meta_text(id: &str, phone: &str, name: &str, text: &str, at: DateTime<Utc>) -> WhatsAppEvents {
    let body = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages",
        "value":{{"messaging_product":"whatsapp","metadata":{{"phone_number_id":"555"}},
        "contacts":[{{"profile":{{"name":"{name}"}},"wa_id":"{phone}"}}],
        "messages":[{{"from":"{phone}","id":"{id}","timestamp":"{ts}","type":"text",
        "text":{{"body":"{text}"}}}}]}}}}]}}]}}"#,
        ts = at.timestamp()
    );
    ok("parse_meta_webhook", parse_meta_webhook(body.as_bytes()))
}

/// A Cloud API status callback for our message `id`.
fn meta_status(id: &str, status: &str, at: DateTime<Utc>) -> WhatsAppEvents {
    let body = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages",
        "value":{{"messaging_product":"whatsapp","metadata":{{"phone_number_id":"555"}},
        "statuses":[{{"id":"{id}","status":"{status}","timestamp":"{ts}",
        "recipient_id":"33612345678"}}]}}}}]}}]}}"#,
        ts = at.timestamp()
    );
    ok("parse_meta_webhook", parse_meta_webhook(body.as_bytes()))
}

async fn ingest(e: &Engine, events: &WhatsAppEvents, now: DateTime<Utc>) -> WhatsAppIngest {
    let m = events
        .messages
        .first()
        .unwrap_or_else(|| panic!("the webhook carries a message"));
    ok("ingest_whatsapp", e.ingest_whatsapp(m, now).await)
}

fn stored(
    outcome: WhatsAppIngest,
) -> (
    replytrack::conversation::CustomerId,
    replytrack::conversation::ConversationId,
) {
    match outcome {
        WhatsAppIngest::Stored {
            customer,
            conversation,
            ..
        } => (customer, conversation),
        other => panic!("expected the message stored, got {other:?}"),
    }
}

/// The issue's scenario: a free-form reply 25 h after the contact's last message is refused
/// before anything is stored, and a template passes; a free-form reply inside the window
/// passes; a first contact needs a template.
pub async fn whatsapp_free_form_25_hours_after_the_last_inbound_is_refused_and_a_template_passes(
    store: Arc<dyn Store>,
) {
    let e = engine(store.clone());
    let (_, conv) = stored(
        ingest(
            &e,
            &meta_text(
                "wamid.IN1",
                "33612345678",
                "Marie",
                "Bonjour, ma commande ?",
                t0(),
            ),
            t0(),
        )
        .await,
    );
    let inside = t0() + Duration::hours(1);
    ok(
        "a reply inside the window",
        e.compose_whatsapp(conv, WhatsAppDraft::text("Elle part demain."), inside)
            .await,
    );
    let late = t0() + Duration::hours(25);
    let before = ok("messages", store.messages(conv).await).len();
    match e
        .compose_whatsapp(conv, WhatsAppDraft::text("Toujours là ?"), late)
        .await
    {
        Err(WhatsAppEngineError::Window(WindowError::Closed {
            last_inbound_at,
            closed_at,
        })) => {
            assert_eq!(last_inbound_at, t0());
            assert_eq!(closed_at, t0() + Duration::hours(24));
        }
        other => panic!("expected the window to refuse, got {other:?}"),
    }
    assert_eq!(
        ok("messages", store.messages(conv).await).len(),
        before,
        "a refused message is not stored"
    );
    let composed = ok(
        "a template after the window",
        e.compose_whatsapp(
            conv,
            WhatsAppDraft::template("order_update", "fr", vec!["A-1042".into()]),
            late,
        )
        .await,
    );
    assert_eq!(composed.body["type"], "template");
    assert_eq!(composed.body["to"], "33612345678");
    let m = ok("message", store.message(composed.message).await)
        .unwrap_or_else(|| panic!("the template message is stored"));
    assert_eq!(m.direction, Direction::Outbound);
    assert_eq!(m.delivery, Some(DeliveryStatus::Queued));
    let timeline = ok(
        "timeline",
        e.timeline(TimelineScope::Conversation(conv)).await,
    );
    assert_eq!(
        timeline
            .iter()
            .filter(|ev| ev.kind.name() == "whatsapp_composed")
            .count(),
        2
    );

    // A customer who never wrote on WhatsApp: templates only.
    let mut new = NewCustomer::new("paul@example.com").name("Paul");
    new.phone = Some("+44 20 7946 0958".into());
    let paul = ok("add_customer", e.add_customer(new, t0()).await);
    let logged = ok(
        "log",
        e.log_manual_reply(
            paul.id,
            replytrack::engine::ManualReply::from_business("Called, left a message"),
            t0(),
        )
        .await,
    );
    assert!(matches!(
        e.compose_whatsapp(logged.conversation, WhatsAppDraft::text("Hi"), t0())
            .await,
        Err(WhatsAppEngineError::Window(WindowError::FirstContact))
    ));
    ok(
        "a first template",
        e.compose_whatsapp(
            logged.conversation,
            WhatsAppDraft::template("welcome", "en", Vec::new()),
            t0(),
        )
        .await,
    );
}

/// An inbound message finds or creates the customer by phone (named after the profile), opens a
/// WhatsApp conversation, keeps media as attachments, and is stored once however often it is
/// delivered; the inbox shows it.
pub async fn whatsapp_messages_find_the_customer_by_phone_and_are_stored_once(
    store: Arc<dyn Store>,
) {
    let e = engine(store.clone());
    let first = meta_text("wamid.A", "33612345678", "Marie", "Bonjour", t0());
    let outcome = ingest(&e, &first, t0()).await;
    let WhatsAppIngest::Stored {
        customer,
        conversation,
        new_customer,
        opened,
        message,
    } = outcome
    else {
        panic!("expected the message stored, got {outcome:?}");
    };
    assert!(new_customer && opened);
    let c = ok(
        "customer_by_phone",
        store.customer_by_phone("+33 6 12 34 56 78").await,
    )
    .unwrap_or_else(|| panic!("the customer is found by phone"));
    assert_eq!(c.id, customer);
    assert_eq!(c.name.as_deref(), Some("Marie"));
    let conv = ok("conversation", store.conversation(conversation).await)
        .unwrap_or_else(|| panic!("the conversation is stored"));
    assert_eq!(conv.channel, Channel::Whatsapp);
    assert_eq!(conv.status, ConversationStatus::Open);

    assert_eq!(
        ingest(&e, &first, t0() + Duration::minutes(1)).await,
        WhatsAppIngest::Duplicate {
            existing: Some(message)
        }
    );
    // Twilio, same contact, a picture: same customer, same conversation.
    let form = "MessageSid=MM1&AccountSid=AC1&From=whatsapp%3A%2B33612345678&To=whatsapp%3A%2B14155238886\
                &Body=&NumMedia=1&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm%2FME1\
                &MediaContentType0=image%2Fjpeg&ProfileName=Marie";
    let events = ok(
        "parse_twilio_webhook",
        parse_twilio_webhook(form.as_bytes()),
    );
    let later = t0() + Duration::minutes(5);
    let WhatsAppIngest::Stored {
        customer: again,
        conversation: same,
        new_customer,
        opened,
        message: picture,
    } = ingest(&e, &events, later).await
    else {
        panic!("expected the picture stored");
    };
    assert_eq!(
        (again, same, new_customer, opened),
        (customer, conversation, false, false)
    );
    let m = ok("message", store.message(picture).await)
        .unwrap_or_else(|| panic!("the picture is stored"));
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].content_type, "image/jpeg");
    assert_eq!(
        m.attachments[0].content_id.as_deref(),
        Some("https://api.twilio.com/m/ME1")
    );
    assert_eq!(m.preview, "[image]");
    assert_eq!(ok("messages", store.messages(conversation).await).len(), 2);

    let page = ok(
        "inbox",
        e.inbox(InboxQuery {
            channel: Some(Channel::Whatsapp),
            ..InboxQuery::default()
        })
        .await,
    );
    assert_eq!(page.rows.len(), 1);
    let row = &page.rows[0];
    assert_eq!(row.customer, customer);
    assert_eq!(row.contact_name.as_deref(), Some("Marie"));
    assert_eq!(row.contact.as_deref(), Some("+33612345678"));
    assert!(row.waiting);
    let last = row
        .last_message
        .as_ref()
        .unwrap_or_else(|| panic!("a last message"));
    assert_eq!((last.id, last.direction), (picture, Direction::Inbound));
}

/// Delivery callbacks move an outgoing message forward once the host reported its provider id;
/// repeated and late callbacks change nothing; an unknown id is reported as such.
pub async fn whatsapp_delivery_callbacks_move_the_status_forward(store: Arc<dyn Store>) {
    let e = engine(store.clone());
    let (_, conv) = stored(
        ingest(
            &e,
            &meta_text("wamid.Q", "33612345678", "Marie", "Hello?", t0()),
            t0(),
        )
        .await,
    );
    let now = t0() + Duration::minutes(2);
    let composed = ok(
        "compose",
        e.compose_whatsapp(conv, WhatsAppDraft::text("Hi Marie!"), now)
            .await,
    );
    assert_eq!(
        ok(
            "sent",
            e.whatsapp_sent(composed.message, "wamid.OUT", now).await
        ),
        WhatsAppStatusOutcome::Updated {
            message: composed.message,
            from: DeliveryStatus::Queued,
            to: DeliveryStatus::Sent
        }
    );
    let status =
        |name: &str, minutes: i64| meta_status("wamid.OUT", name, now + Duration::minutes(minutes));
    let apply = |events: WhatsAppEvents| {
        let e = e.clone();
        async move {
            let s = events
                .statuses
                .first()
                .cloned()
                .unwrap_or_else(|| panic!("a status"));
            ok("whatsapp_status", e.whatsapp_status(&s, now).await)
        }
    };
    assert!(matches!(
        apply(status("delivered", 1)).await,
        WhatsAppStatusOutcome::Updated {
            to: DeliveryStatus::Delivered,
            ..
        }
    ));
    assert!(matches!(
        apply(status("read", 2)).await,
        WhatsAppStatusOutcome::Updated {
            to: DeliveryStatus::Read,
            ..
        }
    ));
    assert_eq!(
        apply(status("delivered", 3)).await,
        WhatsAppStatusOutcome::Unchanged {
            message: composed.message
        }
    );
    assert_eq!(
        apply(meta_status("wamid.NOPE", "read", now)).await,
        WhatsAppStatusOutcome::Unknown
    );
    let m =
        ok("message", store.message(composed.message).await).unwrap_or_else(|| panic!("stored"));
    assert_eq!(m.delivery, Some(DeliveryStatus::Read));
    assert_eq!(m.provider_message_id.as_deref(), Some("wamid.OUT"));
}

/// Through the engine: rows carry label colours and the waiting and unread markers
/// (`mark_read` clears unread until the contact writes again), pages end with no cursor, a
/// conversation links to a customer found by email, and a customer's history spans channels.
pub async fn inbox_rows_markers_and_the_customer_link(store: Arc<dyn Store>) {
    let e = engine(store.clone());
    let (wa_customer, wa_conv) = stored(
        ingest(
            &e,
            &meta_text("wamid.H1", "33612345678", "Marie", "Bonjour", t0()),
            t0(),
        )
        .await,
    );
    let mut marie = NewCustomer::new("marie@example.fr").name("Marie Dupont");
    marie.phone = None;
    let marie = ok("add_customer", e.add_customer(marie, t0()).await);
    let logged = ok(
        "log",
        e.log_manual_reply(
            marie.id,
            replytrack::engine::ManualReply::from_contact("Called about the invoice"),
            t0() + Duration::minutes(1),
        )
        .await,
    );
    ok(
        "resolve",
        e.resolve(logged.conversation, t0() + Duration::minutes(2))
            .await,
    );
    ok(
        "label",
        e.label(wa_conv, "vip", true, t0() + Duration::minutes(3))
            .await,
    );

    let mine = InboxQuery {
        reader: Some("ana".into()),
        ..InboxQuery::default()
    };
    let page = ok("inbox", e.inbox(mine.clone()).await);
    assert_eq!(page.rows.len(), 2);
    assert_eq!(page.next_cursor, None);
    let wa = page
        .rows
        .iter()
        .find(|r| r.conversation == wa_conv)
        .unwrap_or_else(|| panic!("the WhatsApp row"));
    assert!(wa.waiting && wa.unread);
    assert_eq!(wa.labels.len(), 1);
    assert_eq!(
        wa.labels[0].colour.as_deref(),
        Some(default_label_colour("vip"))
    );
    ok(
        "mark_read",
        e.mark_read(wa_conv, "ana", t0() + Duration::minutes(4))
            .await,
    );
    let page = ok("inbox", e.inbox(mine.clone()).await);
    let wa = page
        .rows
        .iter()
        .find(|r| r.conversation == wa_conv)
        .unwrap_or_else(|| panic!("the WhatsApp row"));
    assert!(wa.waiting && !wa.unread, "read, still unanswered");
    stored(
        ingest(
            &e,
            &meta_text(
                "wamid.H2",
                "33612345678",
                "Marie",
                "Still there?",
                t0() + Duration::minutes(5),
            ),
            t0() + Duration::minutes(5),
        )
        .await,
    );
    let page = ok("inbox", e.inbox(mine).await);
    assert!(page.rows[0].unread, "the contact wrote after the mark");
    assert_eq!(page.rows[0].conversation, wa_conv);

    let one = ok(
        "inbox",
        e.inbox(InboxQuery {
            limit: 1,
            tab: InboxTab::All,
            ..InboxQuery::default()
        })
        .await,
    );
    assert_eq!(one.rows.len(), 1);
    let rest = ok(
        "inbox",
        e.inbox(InboxQuery {
            limit: 1,
            after: one.next_cursor,
            ..InboxQuery::default()
        })
        .await,
    );
    assert_eq!(rest.rows.len(), 1);
    assert_eq!(rest.next_cursor, None);
    assert_ne!(rest.rows[0].conversation, one.rows[0].conversation);

    // The WhatsApp conversation belongs to the customer found by email.
    let linked = ok(
        "link_customer",
        e.link_customer(wa_conv, CustomerKey::Email("Marie@Example.fr".into()))
            .await,
    );
    assert_eq!((linked.customer, linked.previous), (marie.id, wa_customer));
    assert_eq!(linked.messages_moved, 2);
    let history = ok("customer_history", e.customer_history(marie.id).await);
    let channels: Vec<Channel> = history.iter().map(|r| r.channel).collect();
    assert_eq!(channels, vec![Channel::Whatsapp, Channel::Manual]);
    assert!(history.iter().all(|r| r.customer == marie.id));
    assert!(matches!(
        e.link_customer(wa_conv, CustomerKey::Phone("+1 999 000 0000".into()))
            .await,
        Err(LinkError::NoCustomer(_))
    ));
    assert!(matches!(
        e.link_customer(wa_conv, CustomerKey::Email("nope".into()))
            .await,
        Err(LinkError::BadKey(_))
    ));
}

/// A page of the largest size still says whether another page follows: 501 conversations give a
/// full page of 500 with a cursor, then one row without.
pub async fn a_full_page_of_the_largest_size_has_a_next_cursor(store: Arc<dyn Store>) {
    use replytrack::conversation::{Conversation, OpenedBy};
    use replytrack::ports::{Commit, MAX_INBOX_PAGE, Write};

    let e = engine(store.clone());
    let mut commit = Commit::default();
    for i in 0..=MAX_INBOX_PAGE {
        let c = ok(
            "customer",
            NewCustomer::new(format!("page{i}@example.com")).build(t0()),
        );
        let at = t0() + Duration::seconds(i64::try_from(i).unwrap_or(0));
        let conv = Conversation::new(c.id, Channel::Email, OpenedBy::Contact, None, at);
        commit.customers.push(Write::Insert(c));
        commit.conversations.push(Write::Insert(conv));
    }
    ok("seed", store.commit(commit).await);
    let first = ok(
        "inbox",
        e.inbox(InboxQuery {
            limit: 10_000,
            ..InboxQuery::default()
        })
        .await,
    );
    assert_eq!(first.rows.len(), MAX_INBOX_PAGE);
    assert!(first.next_cursor.is_some());
    let last = ok(
        "inbox",
        e.inbox(InboxQuery {
            limit: 10_000,
            after: first.next_cursor,
            ..InboxQuery::default()
        })
        .await,
    );
    assert_eq!(last.rows.len(), 1);
    assert_eq!(last.next_cursor, None);
}

/// Expand to one `#[test]` per engine scenario, each on a fresh store from the factory (as
/// [`conformance_tests!`](crate::conformance_tests), including its `or_skip:` form).
#[macro_export]
macro_rules! scenario_tests {
    (or_skip: $make:expr) => {
        $crate::scenario_tests!(@list run_case_or_skip, $make);
    };
    ($make:expr) => {
        $crate::scenario_tests!(@list run_case, $make);
    };
    (@list $run:ident, $make:expr) => {
        $crate::scenario_tests!(@each $run, $make;
            whatsapp_free_form_25_hours_after_the_last_inbound_is_refused_and_a_template_passes,
            whatsapp_messages_find_the_customer_by_phone_and_are_stored_once,
            whatsapp_delivery_callbacks_move_the_status_forward,
            inbox_rows_markers_and_the_customer_link,
            a_full_page_of_the_largest_size_has_a_next_cursor,
        );
    };
    (@each $run:ident, $make:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::$run($make, $crate::scenarios::$name);
            }
        )*
    };
}
