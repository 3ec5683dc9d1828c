//! The inbox: snoozes that wake at the right instant, resolve and reopen, manual logs, notes,
//! assignment and labels, and one current conversation per contact.

mod engine_support;

use engine_support::*;
use replytrack::conversation::{ConversationStatus, EventKind, Party, Priority, SnoozePreset};
use replytrack::engine::{EngineError, IngestOutcome, ManualReply};
use replytrack::ports::{Conflict, StoreError, TimelineScope};

#[test]
fn snoozing_until_next_monday_in_paris_across_the_dst_change_wakes_at_nine_local() {
    let w = world(); // the account is on Europe/Paris time
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    // Friday 27 March 2026, 15:00 in Paris. The clocks go forward on Sunday the 29th.
    let friday = at(2026, 3, 27, 14, 0);
    let sent = w.write_to(&marie, "Votre devis", friday);
    let conv = sent.conversation.unwrap();
    let c = run(w
        .engine
        .snooze(conv, SnoozePreset::NextMonday, None, friday))
    .unwrap();
    // Monday 30 March 09:00 CEST is 07:00 UTC, not 08:00 UTC.
    let monday_nine = at(2026, 3, 30, 7, 0);
    assert_eq!(c.status, ConversationStatus::Snoozed { until: monday_nine });

    let just_before = at(2026, 3, 30, 6, 59);
    assert!(run(w.engine.wake_snoozed(just_before)).unwrap().is_empty());
    assert_eq!(run(w.engine.wake_snoozed(monday_nine)).unwrap(), [conv]);
    let c = run(w.engine.conversation(conv)).unwrap().unwrap();
    assert_eq!(c.status, ConversationStatus::Open);
    // Waking twice does nothing more.
    assert!(run(w.engine.wake_snoozed(monday_nine)).unwrap().is_empty());
    let last = run(w.engine.timeline(TimelineScope::Conversation(conv)))
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        last.kind,
        EventKind::StatusChanged {
            from: ConversationStatus::Snoozed { until: monday_nine },
            to: ConversationStatus::Open,
            cause: "wake".into()
        }
    );
}

#[test]
fn an_agent_in_new_york_snoozes_in_their_own_time_zone() {
    let w = world();
    let sarah = w.customer("Sarah Jones", "sarah@jonesandco.co.uk");
    let now = at(2026, 3, 6, 20, 0); // Friday 15:00 in New York
    let conv = w.write_to(&sarah, "Demo", now).conversation.unwrap();
    let c = run(w.engine.snooze(
        conv,
        SnoozePreset::TomorrowMorning,
        Some(chrono_tz::America::New_York),
        now,
    ))
    .unwrap();
    assert_eq!(
        c.status,
        ConversationStatus::Snoozed {
            until: at(2026, 3, 7, 14, 0)
        }
    );
}

#[test]
fn a_reply_wakes_a_snoozed_conversation_early() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre devis", monday_morning());
    let conv = sent.conversation.unwrap();
    run(w
        .engine
        .snooze(conv, SnoozePreset::FourHours, None, monday_morning()))
    .unwrap();
    let msg = reply_to(
        &sent,
        ("Marie Dupont", "marie@boulangerie-dupont.fr"),
        "w@x.fr",
        "Finalement oui !",
    );
    let IngestOutcome::Stored(s) = run(w.engine.ingest(msg, at(2026, 3, 3, 11, 0))).unwrap() else {
        panic!("stored");
    };
    assert!(s.reopened);
    assert_eq!(
        run(w.engine.conversation(conv)).unwrap().unwrap().status,
        ConversationStatus::Open
    );
}

#[test]
fn resolving_twice_is_refused_with_the_state_and_the_event() {
    let w = world();
    let max = w.customer("Max Müller", "max@mueller-gmbh.de");
    let conv = w
        .write_to(&max, "Angebot", monday_morning())
        .conversation
        .unwrap();
    let c = run(w.engine.resolve(conv, at(2026, 3, 3, 12, 0))).unwrap();
    assert_eq!(c.resolved_at, Some(at(2026, 3, 3, 12, 0)));
    let err = run(w.engine.resolve(conv, at(2026, 3, 3, 12, 1))).unwrap_err();
    assert!(matches!(err, EngineError::Status(_)));
    assert_eq!(
        err.to_string(),
        "a conversation that is resolved cannot take the event `resolve`: it is already resolved"
    );
    run(w.engine.reopen(conv, at(2026, 3, 3, 12, 2))).unwrap();
}

#[test]
fn a_contact_has_one_current_conversation_at_most() {
    let w = world();
    let max = w.customer("Max Müller", "max@mueller-gmbh.de");
    let first = w
        .write_to(&max, "Angebot", monday_morning())
        .conversation
        .unwrap();
    // Starting another one while the first is open continues the first.
    let again = w
        .write_to(&max, "Noch ein Thema", monday_morning())
        .conversation
        .unwrap();
    assert_eq!(again, first);
    // Once resolved, a new one can start; reopening the old one is then refused by the store.
    run(w.engine.resolve(first, at(2026, 3, 3, 12, 0))).unwrap();
    let second = w
        .write_to(&max, "Neues Thema", at(2026, 3, 4, 9, 0))
        .conversation
        .unwrap();
    assert_ne!(second, first);
    let err = run(w.engine.reopen(first, at(2026, 3, 4, 10, 0))).unwrap_err();
    assert!(
        matches!(
            err,
            EngineError::Store(StoreError::Conflict(Conflict::ActiveConversation { existing, .. }))
                if existing == second
        ),
        "{err}"
    );
}

#[test]
fn a_phone_call_logged_by_hand_opens_a_conversation_and_a_note_stays_private() {
    let w = world();
    let juan = w.customer("Juan García", "juan@ferreteria-garcia.es");
    let logged = run(w.engine.log_manual_reply(
        juan.id,
        ManualReply::from_contact("Llamó para pedir una demo el jueves.").author("Lucía"),
        monday_morning(),
    ))
    .unwrap();
    assert!(logged.opened);
    let conv = logged.conversation;
    run(w.engine.add_note(
        conv,
        Some("Lucía".into()),
        "Cliente grande, priorizar.",
        monday_morning(),
    ))
    .unwrap();
    run(w.engine.assign(
        conv,
        Some("lucia".into()),
        Some("ventas".into()),
        monday_morning(),
    ))
    .unwrap();
    run(w.engine.label(conv, "demo", true, monday_morning())).unwrap();
    run(w.engine.label(conv, "demo", true, monday_morning())).unwrap(); // no second event
    run(w
        .engine
        .set_priority(conv, Priority::High, monday_morning()))
    .unwrap();
    run(w.engine.log_manual_reply(
        juan.id,
        ManualReply::from_business("Demo confirmada para el jueves 10:00."),
        at(2026, 3, 3, 11, 0),
    ))
    .unwrap();

    let c = run(w.engine.conversation(conv)).unwrap().unwrap();
    assert_eq!(c.status, ConversationStatus::Pending);
    assert_eq!(c.assignee.as_deref(), Some("lucia"));
    assert!(c.labels.contains("demo"));
    assert_eq!(c.first_response_at, Some(at(2026, 3, 3, 11, 0)));
    let kinds: Vec<&str> = run(w.engine.timeline(TimelineScope::Conversation(conv)))
        .unwrap()
        .iter()
        .map(|e| e.kind.name())
        .collect();
    assert_eq!(
        kinds,
        [
            "conversation_opened",
            "manual_reply_logged",
            "note_added",
            "assigned",
            "labelled",
            "priority_changed",
            "status_changed",
            "manual_reply_logged"
        ]
    );
    let timeline = run(w.engine.timeline(TimelineScope::Customer(juan.id))).unwrap();
    assert!(timeline.iter().any(|e| matches!(
        &e.kind,
        EventKind::ManualReplyLogged {
            party: Party::Contact,
            ..
        }
    )));
}
