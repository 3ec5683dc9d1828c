//! The inbox around the conversations, as pure functions over values: business hours and
//! auto-replies, message templates, the WhatsApp channel, routing, rules and metrics.
//!
//! Nothing here touches the store or reads the clock: each function takes the records and a
//! `now`, and returns a decision the engine applies.

pub mod auto_reply;
pub mod hours;
pub mod metrics;
pub mod routing;
pub mod rules;
pub mod templates;
pub mod whatsapp;

pub use auto_reply::{AutoReplyDecision, AutoReplyHeaders, SkipReason, should_auto_reply};
pub use hours::{Holiday, HoursError, Interval, Schedule, ScheduleBuilder};
pub use routing::{
    AgentState, Availability, Condition, Router, RoutingDecision, RoutingInput, RoutingRule,
    Strategy, Team,
};
pub use templates::{Position, Template, TemplateError, TemplateLibrary, Values};
