//! The inbox around the conversations, as pure functions over values: business hours and
//! auto-replies, message templates, the WhatsApp channel, routing, rules and metrics.
//!
//! Nothing here touches the store or reads the clock: each function takes the records and a
//! `now`, and returns a decision the engine applies.
//!
//! - [`hours`]: a weekly schedule in a time zone with holidays; open or not, next opening,
//!   business time between two instants (correct across daylight-saving changes);
//! - [`auto_reply`]: whether an incoming message gets an out-of-hours auto-reply, and its headers;
//! - [`templates`]: named templates with `{{variables}}` and a language, validated before use;
//! - [`whatsapp`]: Meta Cloud API and Twilio webhooks, the 24-hour window, outbound bodies;
//! - [`routing`]: rules choose a team, then round robin or least loaded choose an agent;
//! - [`rules`]: automations (event + conditions → actions), loop-proof;
//! - [`metrics`]: first response, reply and resolution times, volumes over a period;
//! - [`settings`]: what the host hands the engine (teams, agents, rules, hours, templates, label
//!   colours), and [`host`]: the callbacks it implements (notifications, customer fields).
//!
//! The [`engine`](crate::engine) wires these in: see `docs/inbox.md`.

pub mod auto_reply;
pub mod host;
pub mod hours;
pub mod metrics;
pub mod routing;
pub mod rules;
#[cfg(feature = "scenarios")]
pub mod scenarios;
pub mod settings;
pub mod templates;
pub mod whatsapp;

pub use auto_reply::{
    AutoReplyDecision, AutoReplyHeaders, ComposedAutoReply, SkipReason, compose_auto_reply,
    should_auto_reply,
};
pub use host::{CustomerFields, MemoryNotifier, Notification, Notifier};
pub use hours::{Holiday, HoursError, Interval, Schedule, ScheduleBuilder};
pub use metrics::{ConversationMetrics, MetricsError, Period, Report, Span, conversation_metrics};
pub use routing::{
    AgentState, Availability, Condition, Router, RoutingDecision, RoutingInput, RoutingRule,
    Strategy, Team,
};
pub use rules::{Action, Evaluation, Rule, RuleCondition, RuleEvent, Trigger, evaluate};
pub use settings::{
    AUTO_REPLY_TEMPLATE, AgentConfig, InboxSettings, SettingsError, TeamConfig, default_colour,
};
pub use templates::{Position, Template, TemplateError, TemplateLibrary, Values};
