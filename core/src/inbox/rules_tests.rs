use super::*;
use chrono::TimeZone;
use chrono_tz::Europe::Paris;

use crate::conversation::{CustomerId, OpenedBy};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 10, 0, 0).unwrap()
}

fn conv() -> Conversation {
    Conversation::new(
        CustomerId::generate(now()),
        Channel::Email,
        OpenedBy::Contact,
        None,
        now(),
    )
}

fn add(label: &str) -> Action {
    Action::AddLabel {
        label: label.into(),
    }
}

fn run(rules: &[Rule], event: RuleEvent) -> Evaluation {
    evaluate(rules, &event, &conv(), now(), Paris)
}

#[test]
fn a_rule_that_adds_a_label_that_triggers_itself_runs_once() {
    // On any label, add "touched": adding it fires LabelAdded again, which matches the rule again.
    let rule = Rule::new("tag everything", Trigger::LabelAdded)
        .then(add("touched"))
        .then(Action::Notify {
            target: "ops".into(),
            message: "labelled".into(),
        });
    let out = run(
        &[rule],
        RuleEvent::LabelAdded {
            label: "new".into(),
        },
    );
    assert_eq!(out.actions.len(), 2);
    assert_eq!(out.suppressed, vec!["tag everything".to_string()]);
    assert!(!out.truncated);
}

#[test]
fn two_rules_feeding_each_other_stop_after_each_ran_once() {
    let ping = Rule::new("ping", Trigger::LabelAdded)
        .when_label("a")
        .then(add("b"));
    let pong = Rule::new("pong", Trigger::LabelAdded)
        .when_label("b")
        .then(Action::RemoveLabel { label: "a".into() })
        .then(add("a"));
    let out = run(&[ping, pong], RuleEvent::LabelAdded { label: "a".into() });
    let names: Vec<&str> = out.actions.iter().map(|a| a.rule.as_str()).collect();
    assert_eq!(names, ["ping", "pong", "pong"]);
    assert_eq!(out.suppressed, vec!["ping".to_string()]);
}

#[test]
fn labelling_urgent_reassigns_to_a_senior_and_notifies_a_manager() {
    let rule = Rule::new("urgent", Trigger::LabelAdded)
        .when_label("urgent")
        .then(Action::Assign {
            agent: Some("senior".into()),
            team: Some("tier2".into()),
        })
        .then(Action::SetPriority {
            priority: Priority::Urgent,
        })
        .then(Action::Notify {
            target: "manager".into(),
            message: "urgent conversation".into(),
        });
    let out = run(
        std::slice::from_ref(&rule),
        RuleEvent::LabelAdded {
            label: "urgent".into(),
        },
    );
    let after = out.conversation.unwrap();
    assert_eq!(after.assignee.as_deref(), Some("senior"));
    assert_eq!(after.priority, Priority::Urgent);
    assert_eq!(out.actions.len(), 3);
    // Another label does not fire it.
    assert!(
        run(
            &[rule],
            RuleEvent::LabelAdded {
                label: "vip".into()
            }
        )
        .actions
        .is_empty()
    );
}

#[test]
fn a_status_action_fires_status_rules_and_refusals_are_reported() {
    let resolve = Rule::new("resolve thanks", Trigger::MessageReceived)
        .when(RuleCondition::Keywords {
            any: vec!["merci, c'est réglé".into()],
        })
        .then(Action::SetStatus {
            status: TargetStatus::Resolved,
        })
        .then(Action::SetStatus {
            status: TargetStatus::Pending,
        });
    let on_resolved = Rule::new("note resolved", Trigger::StatusChanged)
        .when(RuleCondition::Status {
            status: "resolved".into(),
        })
        .then(Action::AddNote {
            text: "resolved by rule".into(),
        });
    let out = run(
        &[resolve, on_resolved],
        RuleEvent::MessageReceived {
            text: "Merci, c'est réglé !".into(),
        },
    );
    let names: Vec<&str> = out.actions.iter().map(|a| a.rule.as_str()).collect();
    assert_eq!(names, ["resolve thanks", "note resolved"]);
    assert_eq!(out.refused.len(), 1);
    assert!(
        out.refused[0]
            .to_string()
            .starts_with("rule \"resolve thanks\": a conversation that is resolved")
    );
}

#[test]
fn snooze_uses_the_time_zone_and_analysis_conditions_match_the_event() {
    let rule = Rule::new("park standard", Trigger::AnalysisCompleted)
        .when(RuleCondition::ResponseType {
            response_type: ResponseType::Standard,
        })
        .when(RuleCondition::Unassigned)
        .then(Action::Snooze {
            preset: SnoozePreset::TomorrowMorning,
        });
    let out = run(
        std::slice::from_ref(&rule),
        RuleEvent::AnalysisCompleted {
            response_type: ResponseType::Standard,
        },
    );
    assert_eq!(
        out.conversation.map(|c| c.status),
        Some(ConversationStatus::Snoozed {
            until: Utc.with_ymd_and_hms(2026, 3, 5, 8, 0, 0).unwrap()
        })
    );
    let out = run(
        &[rule],
        RuleEvent::AnalysisCompleted {
            response_type: ResponseType::HighValue,
        },
    );
    assert!(out.actions.is_empty());
}

#[test]
fn disabled_rules_and_other_triggers_do_nothing() {
    let mut rule = Rule::new("welcome", Trigger::ConversationOpened).then(add("new"));
    assert_eq!(
        run(&[rule.clone()], RuleEvent::ConversationOpened)
            .actions
            .len(),
        1
    );
    assert!(
        run(
            std::slice::from_ref(&rule),
            RuleEvent::MessageReceived { text: "x".into() }
        )
        .actions
        .is_empty()
    );
    rule.enabled = false;
    assert!(
        run(&[rule], RuleEvent::ConversationOpened)
            .actions
            .is_empty()
    );
}

#[test]
fn long_chains_stop_at_the_depth_limit() {
    // Ten distinct rules, each adding the label that fires the next.
    let rules: Vec<Rule> = (0..10)
        .map(|i| {
            Rule::new(format!("step {i}"), Trigger::LabelAdded)
                .when_label(format!("l{i}"))
                .then(add(&format!("l{}", i + 1)))
        })
        .collect();
    let out = run(&rules, RuleEvent::LabelAdded { label: "l0".into() });
    assert!(out.truncated);
    assert_eq!(out.actions.len(), MAX_DEPTH + 1);
}
