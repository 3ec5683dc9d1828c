//! Plain reads: customers by address and external id, messages by RFC id and by conversation,
//! and timelines by conversation and by customer.

use std::collections::BTreeSet;
use std::sync::Arc;

use replytrack::conversation::{
    AddressStatus, Channel, ConversationId, CustomerId, DeliveryStatus, Direction, ExtractedReply,
    FunnelStage, JobId, MessageId, Party, PendingReissue, Priority,
};
use replytrack::message::{Attachment, MessageKind};
use replytrack::ports::{Commit, DedupeKey, Store, TimelineScope, Write};

use crate::fixtures::*;

/// A customer is found by any of their addresses, whatever its case and surrounding spaces.
pub async fn customers_are_found_by_address_in_any_case(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let c = stored_customer(s, "Marie").await;
    let address = c.emails[0].address.clone();
    for asked in [
        address.clone(),
        address.to_uppercase(),
        format!("  {address}\t"),
    ] {
        assert_eq!(
            ok("by email", s.customer_by_email(&asked).await).map(|x| x.id),
            Some(c.id),
            "{asked:?}"
        );
    }
    assert_eq!(
        ok("by email", s.customer_by_email("nobody@example.com").await),
        None
    );
}

/// Our outgoing messages are found by their `Message-ID` (for delivery reports).
pub async fn a_message_is_found_by_its_rfc_message_id(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (c, conv) = stored_conversation(s, "rfc", at(0)).await;
    let mut m = message(c.id, Some(conv.id), None, "x", at(0));
    m.direction = Direction::Outbound;
    let rfc = format!("{}.out@acme.example", unique());
    m.rfc_message_id = Some(rfc.clone());
    apply(
        s,
        Commit {
            messages: vec![Write::Insert(m.clone())],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(
        ok("by rfc", s.message_by_rfc_id(&rfc).await).map(|x| x.id),
        Some(m.id)
    );
    assert_eq!(
        ok("by rfc", s.message_by_rfc_id("other@acme.example").await),
        None
    );
}

/// A conversation's messages come back in the order they were stored, not by their times.
pub async fn a_conversations_messages_come_in_stored_order(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (c, conv) = stored_conversation(s, "thread", at(0)).await;
    let (_, other) = stored_conversation(s, "elsewhere", at(0)).await;
    let times = [50, 10, 30, 20];
    let mut ids = Vec::new();
    for (i, t) in times.into_iter().enumerate() {
        let m = message(c.id, Some(conv.id), None, &format!("m{i}"), at(t));
        ids.push(m.id);
        let noise = message(other.customer, Some(other.id), None, "noise", at(t));
        apply(
            s,
            Commit {
                messages: vec![Write::Insert(m), Write::Insert(noise)],
                ..Commit::default()
            },
        )
        .await;
    }
    let got: Vec<MessageId> = ok("messages", s.messages(conv.id).await)
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(got, ids);
    // A message outside any conversation is stored but in no thread.
    let loose = message(c.id, None, None, "one-off", at(0));
    apply(
        s,
        Commit {
            messages: vec![Write::Insert(loose.clone())],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(read_message(s, loose.id).await.conversation, None);
    assert_eq!(ok("messages", s.messages(conv.id).await).len(), 4);
}

/// Timelines list events in the order they were stored: a conversation's only its own, a
/// customer's all of theirs (with or without a conversation).
pub async fn timelines_keep_the_order_events_were_stored(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (c, first) = stored_conversation(s, "tl", at(0)).await;
    let mut resolved = first.clone();
    resolved.status = replytrack::conversation::ConversationStatus::Resolved;
    let second = conversation(c.id, at(100));
    apply(
        s,
        Commit {
            conversations: vec![
                Write::update(resolved, first.version),
                Write::Insert(second.clone()),
            ],
            ..Commit::default()
        },
    )
    .await;
    let stranger = stored_customer(s, "stranger").await;
    let e1 = event(c.id, Some(first.id), at(30), "1");
    let e2 = event(c.id, None, at(10), "2");
    let e3 = event(c.id, Some(second.id), at(20), "3");
    let e4 = event(c.id, Some(first.id), at(5), "4");
    let noise = event(stranger.id, None, at(1), "noise");
    apply(
        s,
        Commit {
            events: vec![e1.clone(), e2.clone()],
            ..Commit::default()
        },
    )
    .await;
    apply(
        s,
        Commit {
            events: vec![noise, e3.clone(), e4.clone()],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(
        ok("customer", s.timeline(TimelineScope::Customer(c.id)).await),
        vec![e1.clone(), e2, e3.clone(), e4.clone()]
    );
    assert_eq!(
        ok(
            "first",
            s.timeline(TimelineScope::Conversation(first.id)).await
        ),
        vec![e1, e4]
    );
    assert_eq!(
        ok(
            "second",
            s.timeline(TimelineScope::Conversation(second.id)).await
        ),
        vec![e3]
    );
}

/// Every read of an id, address, token or key never stored finds nothing (not an error).
pub async fn reads_of_unknown_records_find_nothing(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let cus = CustomerId::generate(t0());
    let conv = ConversationId::generate(t0());
    assert_eq!(ok("customer", s.customer(cus).await), None);
    assert_eq!(
        ok("by ext", s.customer_by_external_id("nobody").await),
        None
    );
    assert_eq!(ok("conversation", s.conversation(conv).await), None);
    assert_eq!(ok("active", s.active_conversation(cus).await), None);
    assert_eq!(
        ok("message", s.message(MessageId::generate(t0())).await),
        None
    );
    assert!(ok("messages", s.messages(conv).await).is_empty());
    assert_eq!(ok("token", s.token(&token()).await), None);
    assert_eq!(ok("seen", s.seen(&DedupeKey::new("never")).await), None);
    assert!(ok("timeline", s.timeline(TimelineScope::Customer(cus)).await).is_empty());
    assert!(
        ok(
            "timeline",
            s.timeline(TimelineScope::Conversation(conv)).await
        )
        .is_empty()
    );
    assert_eq!(ok("job", s.job(JobId::generate(t0())).await), None);
}

/// Every field of every record survives the store: optional parts set, unicode text, long
/// bodies, sub-second times.
pub async fn records_round_trip_every_field(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let precise = at(0) + chrono::Duration::microseconds(123_456);
    let mut c = customer("Zoë");
    c.external_id = Some(format!("ext-{}", unique()));
    c.phone = Some("+33 6 12 34 56 78".into());
    c.funnel = FunnelStage::Engaged;
    c.emails[0].status = AddressStatus::SoftBounced {
        count: 2,
        last_at: precise,
    };
    c.pending_reissue = Some(PendingReissue {
        token: token(),
        conversation: None,
        at: precise,
    });
    let mut conv = conversation(c.id, precise);
    conv.channel = Channel::Manual;
    conv.subject = Some("Ünïcødé — 件名 🎉".into());
    conv.assignee = Some("léa".into());
    conv.team = Some("sales".into());
    conv.labels = BTreeSet::from(["vip".to_string(), "étiquette".to_string()]);
    conv.priority = Priority::Urgent;
    conv.last_inbound_at = Some(precise);
    conv.waiting_since = Some(precise);
    let mut m = message(
        c.id,
        Some(conv.id),
        Some("Re: 件名"),
        &"long body line\n".repeat(5_000),
        precise,
    );
    m.kind = Some(MessageKind::Reply);
    m.party = Some(Party::Contact);
    m.author = Some("agent".into());
    m.cc = vec!["cc@example.com".into()];
    m.html = Some("<p>hi</p>".into());
    m.reply = Some(ExtractedReply {
        text: "hi".into(),
        quoted: Some("> old".into()),
        signature: Some("-- \nZ".into()),
        lang: Some("fr".into()),
        only_quote: false,
    });
    m.attachments = vec![Attachment {
        filename: Some("devis.pdf".into()),
        content_type: "application/pdf".into(),
        size: 12_345,
        content_id: None,
        inline: false,
        sha256: "ab".repeat(32),
    }];
    m.token = Some(token());
    m.in_reply_to = vec!["a@b".into()];
    m.references = vec!["a@b".into(), "c@d".into()];
    m.delivery = Some(DeliveryStatus::default());
    m.provider_message_id = Some("prov-1".into());
    m.sent_at = Some(precise);
    apply(
        s,
        Commit {
            customers: vec![Write::Insert(c.clone())],
            conversations: vec![Write::Insert(conv.clone())],
            messages: vec![Write::Insert(m.clone())],
            ..Commit::default()
        },
    )
    .await;
    c.version = 1;
    conv.version = 1;
    m.version = 1;
    assert_eq!(read_customer(s, c.id).await, c);
    assert_eq!(read_conversation(s, conv.id).await, conv);
    assert_eq!(read_message(s, m.id).await, m);
}
