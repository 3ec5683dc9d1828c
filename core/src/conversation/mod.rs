//! The conversation domain: customers, conversations, messages, timeline events, the job queue's
//! records, and the pure state machines that move them.
//!
//! Each lifecycle is an enum plus one `transition` function returning the new state and what
//! changed, or a typed error naming the state and the refused event:
//!
//! - [`status`]: conversation status `open / pending / snoozed { until } / resolved`;
//! - [`snooze`]: snooze presets in a time zone, correct across DST changes;
//! - [`delivery`]: message delivery `queued → sent → delivered → read`, or `failed`;
//! - [`token`]: the reply-token lifecycle `active → expired → reissued`;
//! - [`funnel`]: the customer funnel `new → contacted → replied → engaged → converted`, with
//!   `bounced` and `unsubscribed` terminal.
//!
//! Nothing here does I/O or reads the clock; the [`engine`](crate::engine) drives these over the
//! [`ports`](crate::ports).

pub mod account;
pub mod customer;
pub mod delivery;
pub mod event;
pub mod funnel;
pub mod ids;
pub mod jobs;
pub mod record;
pub mod snooze;
pub mod status;
pub mod token;

pub use account::{AccountSettings, AnalysisSettings, DEFAULT_LANGUAGE, HIGH_VALUE_LABEL};
pub use customer::{
    AddressCheckError, AddressStatus, Customer, CustomerEmail, NewCustomer, PendingReissue,
    normalize_email,
};
pub use delivery::{DeliveryEvent, DeliveryStatus};
pub use event::{EventKind, QuarantineReason, TimelineEvent};
pub use funnel::{FunnelEvent, FunnelStage};
pub use ids::{ConversationId, CustomerId, EventId, IdError, JobId, MessageId};
pub use jobs::{Job, JobKind, JobState, NewJob, RetryPolicy};
pub use record::{
    Channel, Conversation, Direction, ExtractedReply, Message, OpenedBy, Party, Priority,
    TokenRecord, preview,
};
pub use snooze::{SnoozePreset, Tz, snooze_until};
pub use status::{ConversationStatus, StatusEvent};
