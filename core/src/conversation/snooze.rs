//! Snooze presets: 1 h, 2 h, 4 h, tomorrow 09:00, next Monday 09:00, or a custom instant.
//!
//! The hour presets are elapsed time (an hour is 3 600 s whatever the wall clock does). The
//! "09:00" presets are wall-clock times in the agent's or account's time zone, so they stay at
//! 09:00 across a daylight-saving change: snoozing on a Friday in Paris until "next Monday 09:00"
//! over the last weekend of March wakes at 07:00 UTC (CEST), not 08:00 UTC (CET).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use replytrack::conversation::snooze::{SnoozePreset, snooze_until};
//!
//! // Friday 27 March 2026, 15:00 in Paris (14:00 UTC); the clocks go forward on Sunday the 29th.
//! let now = Utc.with_ymd_and_hms(2026, 3, 27, 14, 0, 0).unwrap();
//! let until = snooze_until(SnoozePreset::NextMonday, now, chrono_tz::Europe::Paris)?;
//! assert_eq!(until, Utc.with_ymd_and_hms(2026, 3, 30, 7, 0, 0).unwrap());
//! # Ok::<(), replytrack::conversation::snooze::SnoozeError>(())
//! ```

use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc,
};
/// The IANA time zone type used for snoozes and account settings (re-exported from `chrono-tz`;
/// parse one with `"Europe/Paris".parse::<Tz>()`).
pub use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The local hour the "tomorrow" and "next Monday" presets wake at.
pub const MORNING_HOUR: u32 = 9;

/// How long to snooze.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "preset", rename_all = "snake_case")]
pub enum SnoozePreset {
    /// One hour from now.
    OneHour,
    /// Two hours from now.
    TwoHours,
    /// Four hours from now.
    FourHours,
    /// Tomorrow at 09:00, local time.
    TomorrowMorning,
    /// The next Monday at 09:00, local time (a week ahead when today is Monday).
    NextMonday,
    /// A custom instant.
    Until {
        /// When to wake.
        at: DateTime<Utc>,
    },
}

/// Why a snooze end could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SnoozeError {
    /// A custom instant that is not in the future.
    #[error("snooze end {at} is not after now ({now})")]
    NotInFuture {
        /// The requested end.
        at: DateTime<Utc>,
        /// The time of the request.
        now: DateTime<Utc>,
    },
    /// The date is outside the calendar chrono can represent.
    #[error("snooze end is outside the representable calendar (from {now})")]
    OutOfRange {
        /// The time of the request.
        now: DateTime<Utc>,
    },
}

/// The instant a snooze started at `now` ends, with wall-clock presets read in `tz`.
///
/// # Errors
/// [`SnoozeError::NotInFuture`] for a custom instant that is not after `now`;
/// [`SnoozeError::OutOfRange`] at the edge of the calendar.
pub fn snooze_until(
    preset: SnoozePreset,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<DateTime<Utc>, SnoozeError> {
    let out_of_range = SnoozeError::OutOfRange { now };
    let hours = |h| {
        now.checked_add_signed(Duration::hours(h))
            .ok_or(out_of_range)
    };
    match preset {
        SnoozePreset::OneHour => hours(1),
        SnoozePreset::TwoHours => hours(2),
        SnoozePreset::FourHours => hours(4),
        SnoozePreset::TomorrowMorning => {
            let today = now.with_timezone(&tz).date_naive();
            let day = today.checked_add_days(Days::new(1)).ok_or(out_of_range)?;
            local_morning(day, tz).ok_or(out_of_range)
        }
        SnoozePreset::NextMonday => {
            let today = now.with_timezone(&tz).date_naive();
            let ahead = 7 - u64::from(today.weekday().num_days_from_monday());
            let day = today
                .checked_add_days(Days::new(ahead))
                .ok_or(out_of_range)?;
            local_morning(day, tz).ok_or(out_of_range)
        }
        SnoozePreset::Until { at } => {
            if at <= now {
                Err(SnoozeError::NotInFuture { at, now })
            } else {
                Ok(at)
            }
        }
    }
}

/// 09:00 on `day` in `tz`. When 09:00 happens twice (clocks going back) the first one is taken;
/// when it does not exist (clocks going forward over it) the first instant after the gap is.
fn local_morning(day: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    let morning = day.and_time(NaiveTime::from_hms_opt(MORNING_HOUR, 0, 0)?);
    match tz.from_local_datetime(&morning) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => {
            // A gap is at most a few hours; step forward a quarter hour at a time.
            (1..=24 * 4).find_map(|q| {
                let later = morning + Duration::minutes(15 * q);
                tz.from_local_datetime(&later)
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Paris;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn hour_presets_are_elapsed_time_even_across_the_spring_change() {
        // 01:30 CET on the night the clocks go forward: two hours later is 04:30 CEST.
        let now = utc(2026, 3, 29, 0, 30);
        let until = snooze_until(SnoozePreset::TwoHours, now, Paris).unwrap();
        assert_eq!(until, utc(2026, 3, 29, 2, 30));
        assert_eq!(
            until.with_timezone(&Paris).format("%H:%M").to_string(),
            "04:30"
        );
    }

    #[test]
    fn tomorrow_morning_is_nine_local_after_the_autumn_change() {
        // Saturday 24 October 2026 20:00 CEST; the clocks go back on Sunday the 25th.
        let now = utc(2026, 10, 24, 18, 0);
        let until = snooze_until(SnoozePreset::TomorrowMorning, now, Paris).unwrap();
        assert_eq!(until, utc(2026, 10, 25, 8, 0)); // 09:00 CET
    }

    #[test]
    fn tomorrow_is_the_local_tomorrow_not_the_utc_one() {
        // 23:30 UTC on 3 March is already 4 March 00:30 in Paris: tomorrow is the 5th.
        let now = utc(2026, 3, 3, 23, 30);
        let until = snooze_until(SnoozePreset::TomorrowMorning, now, Paris).unwrap();
        assert_eq!(until, utc(2026, 3, 5, 8, 0));
    }

    #[test]
    fn next_monday_from_a_monday_is_a_week_later() {
        let monday = utc(2026, 3, 2, 10, 0); // Monday 2 March 2026, 11:00 in Paris
        let until = snooze_until(SnoozePreset::NextMonday, monday, Paris).unwrap();
        assert_eq!(until, utc(2026, 3, 9, 8, 0));
    }

    #[test]
    fn next_monday_in_new_york_across_its_march_change() {
        // Friday 6 March 2026 in New York; the clocks go forward on Sunday the 8th.
        let now = utc(2026, 3, 6, 20, 0);
        let until = snooze_until(SnoozePreset::NextMonday, now, New_York).unwrap();
        assert_eq!(until, utc(2026, 3, 9, 13, 0)); // 09:00 EDT
    }

    #[test]
    fn a_custom_instant_must_be_in_the_future() {
        let now = utc(2026, 3, 3, 10, 0);
        let err = snooze_until(SnoozePreset::Until { at: now }, now, Paris).unwrap_err();
        assert!(matches!(err, SnoozeError::NotInFuture { .. }));
        let later = utc(2026, 3, 4, 10, 0);
        assert_eq!(
            snooze_until(SnoozePreset::Until { at: later }, now, Paris),
            Ok(later)
        );
    }
}
