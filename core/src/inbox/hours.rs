//! Business hours: a weekly schedule in a time zone, with holidays (closed all day, or open for
//! part of it).
//!
//! Opening times are local wall-clock times, so "09:00–18:00" stays 09:00–18:00 across a
//! daylight-saving change. When a local time does not exist (the clocks jump over it) the first
//! instant after the gap is used; when it happens twice (the clocks go back) an opening takes
//! the first one and a closing the second, so the business is never open for less than it says.
//!
//! ```
//! use chrono::{NaiveTime, TimeZone, Utc, Weekday};
//! use replytrack::inbox::hours::Schedule;
//!
//! let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
//! let six = NaiveTime::from_hms_opt(18, 0, 0).unwrap();
//! let schedule = Schedule::builder(chrono_tz::Europe::Paris)
//!     .weekdays(nine, six)?
//!     .build();
//! // Friday 6 March 2026, 22:00 in Paris (21:00 UTC): closed until Monday 09:00 (08:00 UTC).
//! let friday_night = Utc.with_ymd_and_hms(2026, 3, 6, 21, 0, 0).unwrap();
//! assert!(!schedule.is_open(friday_night));
//! assert_eq!(
//!     schedule.next_open(friday_night),
//!     Some(Utc.with_ymd_and_hms(2026, 3, 9, 8, 0, 0).unwrap())
//! );
//! # Ok::<(), replytrack::inbox::hours::HoursError>(())
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono::{LocalResult, Offset, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Minutes in a day: an interval ending at this minute ends at midnight.
const DAY_MINUTES: u16 = 24 * 60;
/// How far [`Schedule::next_open`] looks ahead, in days, before concluding it never opens.
pub const LOOKAHEAD_DAYS: u64 = 2 * 366;
/// The longest span [`Schedule::business_duration`] measures, in days.
pub const MAX_SPAN_DAYS: i64 = 20 * 366;
/// At most this many opening intervals per day (weekday or holiday).
pub const MAX_INTERVALS_PER_DAY: usize = 8;

/// Why a schedule could not be built or a duration measured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    /// An interval whose end is not after its start (use midnight as the end for "until the end
    /// of the day").
    #[error("opening interval {start}–{end} on {day} does not end after it starts")]
    EmptyInterval {
        /// The weekday or date the interval was given for.
        day: String,
        /// Its start.
        start: NaiveTime,
        /// Its end.
        end: NaiveTime,
    },
    /// Two intervals of the same day overlap.
    #[error("opening intervals on {day} overlap: {first} and {second}")]
    Overlap {
        /// The weekday or date.
        day: String,
        /// The earlier interval, `HH:MM–HH:MM`.
        first: String,
        /// The interval that overlaps it.
        second: String,
    },
    /// More than [`MAX_INTERVALS_PER_DAY`] intervals on one day.
    #[error("{day} has more than {MAX_INTERVALS_PER_DAY} opening intervals")]
    TooManyIntervals {
        /// The weekday or date.
        day: String,
    },
    /// A span longer than [`MAX_SPAN_DAYS`].
    #[error("cannot measure business time over {days} days (limit {MAX_SPAN_DAYS})")]
    SpanTooLong {
        /// The span asked for, in days.
        days: i64,
    },
}

/// One opening interval of a day, in local minutes since midnight: `[start, end)`, where an end
/// of 1440 is midnight at the end of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Interval {
    start: u16,
    end: u16,
}

impl Interval {
    /// `[start, end)` in local time; an `end` of 00:00 means midnight at the end of the day.
    /// Seconds are ignored (opening times are to the minute).
    ///
    /// # Errors
    /// [`HoursError::EmptyInterval`] when it does not end after it starts.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<Self, HoursError> {
        Self::for_day(start, end, "this day")
    }

    fn for_day(start: NaiveTime, end: NaiveTime, day: &str) -> Result<Self, HoursError> {
        let minutes = |t: NaiveTime| (t.hour() * 60 + t.minute()) as u16;
        let s = minutes(start);
        let e = match minutes(end) {
            0 => DAY_MINUTES,
            m => m,
        };
        if e <= s {
            return Err(HoursError::EmptyInterval {
                day: day.to_string(),
                start,
                end,
            });
        }
        Ok(Self { start: s, end: e })
    }

    /// The start, in minutes after local midnight.
    pub fn start_minute(&self) -> u16 {
        self.start
    }

    /// The end, in minutes after local midnight (1440 for midnight at the end of the day).
    pub fn end_minute(&self) -> u16 {
        self.end
    }
}

impl std::fmt::Display for Interval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:02}:{:02}–{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

/// A holiday: closed all day, or open only during the given intervals (a half day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Holiday {
    /// Closed all day.
    Closed,
    /// Open only during these intervals (sorted, not overlapping).
    Partial {
        /// The opening intervals of that day.
        open: Vec<Interval>,
    },
}

/// A weekly schedule in a time zone, with holidays. Build one with [`Schedule::builder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    tz: Tz,
    /// Monday first; each day's intervals sorted and disjoint.
    week: [Vec<Interval>; 7],
    holidays: BTreeMap<NaiveDate, Holiday>,
}

/// Builds a [`Schedule`]; every day starts closed.
#[derive(Debug, Clone)]
pub struct ScheduleBuilder {
    schedule: Schedule,
}

fn insert_sorted(
    day: &mut Vec<Interval>,
    add: Interval,
    label: impl Fn() -> String,
) -> Result<(), HoursError> {
    if day.len() >= MAX_INTERVALS_PER_DAY {
        return Err(HoursError::TooManyIntervals { day: label() });
    }
    let pos = day.partition_point(|i| i.start < add.start);
    let clash = |other: &Interval| other.start < add.end && add.start < other.end;
    for neighbour in [pos.checked_sub(1), Some(pos)].into_iter().flatten() {
        if let Some(other) = day.get(neighbour).filter(|o| clash(o)) {
            let (first, second) = if other.start <= add.start {
                (*other, add)
            } else {
                (add, *other)
            };
            return Err(HoursError::Overlap {
                day: label(),
                first: first.to_string(),
                second: second.to_string(),
            });
        }
    }
    day.insert(pos, add);
    Ok(())
}

impl ScheduleBuilder {
    /// Open on `day` from `start` to `end` (local; an end of 00:00 is midnight). May be called
    /// several times per day for split hours (09:00–12:00 and 14:00–18:00).
    ///
    /// # Errors
    /// [`HoursError`] for an empty interval, an overlap, or too many intervals.
    pub fn open(
        mut self,
        day: Weekday,
        start: NaiveTime,
        end: NaiveTime,
    ) -> Result<Self, HoursError> {
        let interval = Interval::for_day(start, end, &day.to_string())?;
        let slot = &mut self.schedule.week[day.num_days_from_monday() as usize];
        insert_sorted(slot, interval, || day.to_string())?;
        Ok(self)
    }

    /// Open Monday to Friday from `start` to `end`.
    ///
    /// # Errors
    /// As [`ScheduleBuilder::open`].
    pub fn weekdays(self, start: NaiveTime, end: NaiveTime) -> Result<Self, HoursError> {
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .try_fold(self, |b, d| b.open(d, start, end))
    }

    /// Closed all day on `date` (local).
    pub fn holiday(mut self, date: NaiveDate) -> Self {
        self.schedule.holidays.insert(date, Holiday::Closed);
        self
    }

    /// On `date`, open only from `start` to `end` (a half day); call again to add intervals.
    ///
    /// # Errors
    /// [`HoursError`] for an empty interval, an overlap, or too many intervals.
    pub fn partial_holiday(
        mut self,
        date: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
    ) -> Result<Self, HoursError> {
        let interval = Interval::for_day(start, end, &date.to_string())?;
        let entry = self
            .schedule
            .holidays
            .entry(date)
            .or_insert(Holiday::Partial { open: Vec::new() });
        if let Holiday::Closed = entry {
            *entry = Holiday::Partial { open: Vec::new() };
        }
        if let Holiday::Partial { open } = entry {
            insert_sorted(open, interval, || date.to_string())?;
        }
        Ok(self)
    }

    /// The schedule.
    pub fn build(self) -> Schedule {
        self.schedule
    }
}

/// The UTC instant of a local date and minute; `latest` picks the second of two (clocks going
/// back), and a minute inside a gap (clocks going forward) moves to the first instant after it.
fn local_instant(tz: Tz, date: NaiveDate, minute: u16, latest: bool) -> Option<DateTime<Utc>> {
    let (date, minute) = if minute >= DAY_MINUTES {
        (date.checked_add_days(Days::new(1))?, 0)
    } else {
        (date, minute)
    };
    let base = date
        .and_time(NaiveTime::MIN)
        .checked_add_signed(Duration::minutes(i64::from(minute)))?;
    match tz.from_local_datetime(&base) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, second) => {
            Some(if latest { second } else { first }.with_timezone(&Utc))
        }
        // A gap is at most a few hours; look minute by minute for its end.
        LocalResult::None => (1..=24 * 60).find_map(|m| {
            let later = base.checked_add_signed(Duration::minutes(m))?;
            tz.from_local_datetime(&later)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        }),
    }
}

impl Schedule {
    /// A builder for a schedule in `tz`, closed every day until told otherwise.
    pub fn builder(tz: Tz) -> ScheduleBuilder {
        ScheduleBuilder {
            schedule: Schedule {
                tz,
                week: Default::default(),
                holidays: BTreeMap::new(),
            },
        }
    }

    /// A schedule that is always open (no auto-replies, business time = calendar time).
    pub fn always_open(tz: Tz) -> Self {
        let all = Interval {
            start: 0,
            end: DAY_MINUTES,
        };
        Schedule {
            tz,
            week: std::array::from_fn(|_| vec![all]),
            holidays: BTreeMap::new(),
        }
    }

    /// The time zone.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// The local date of an instant in the schedule's zone.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        // `with_timezone` panics at the ends of chrono's range; add the offset checked instead.
        let utc = at.naive_utc();
        let offset = self.tz.offset_from_utc_datetime(&utc).fix();
        utc.checked_add_offset(offset).unwrap_or(utc).date()
    }

    /// The opening intervals that apply on a local date (the holiday's, else the weekday's).
    pub fn intervals_on(&self, date: NaiveDate) -> &[Interval] {
        match self.holidays.get(&date) {
            Some(Holiday::Closed) => &[],
            Some(Holiday::Partial { open }) => open,
            None => self
                .week
                .get(date.weekday().num_days_from_monday() as usize)
                .map_or(&[], Vec::as_slice),
        }
    }

    /// The open periods of a local date as UTC instants `[start, end)`, in order.
    fn periods_on(&self, date: NaiveDate) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> {
        self.intervals_on(date).iter().filter_map(move |i| {
            let start = local_instant(self.tz, date, i.start, false)?;
            let end = local_instant(self.tz, date, i.end, true)?;
            (end > start).then_some((start, end))
        })
    }

    /// Whether the business is open at `at`.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let date = self.local_date(at);
        [date.pred_opt(), Some(date)]
            .into_iter()
            .flatten()
            .flat_map(|d| self.periods_on(d))
            .any(|(start, end)| start <= at && at < end)
    }

    /// The first instant at or after `at` when the business is open: `at` itself when open
    /// now. `None` when it does not open within [`LOOKAHEAD_DAYS`].
    pub fn next_open(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let first = self.local_date(at).pred_opt()?;
        (0..=LOOKAHEAD_DAYS + 1)
            .filter_map(|n| first.checked_add_days(Days::new(n)))
            .flat_map(|d| self.periods_on(d))
            .find(|(_, end)| *end > at)
            .map(|(start, _)| start.max(at))
    }

    /// Open time between `from` and `to` (zero when `to` is not after `from`): the business-hours
    /// length of a wait, for metrics.
    ///
    /// # Errors
    /// [`HoursError::SpanTooLong`] over [`MAX_SPAN_DAYS`].
    pub fn business_duration(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Duration, HoursError> {
        if to <= from {
            return Ok(Duration::zero());
        }
        let days = (to - from).num_days();
        if days > MAX_SPAN_DAYS {
            return Err(HoursError::SpanTooLong { days });
        }
        let (Some(first), last) = (self.local_date(from).pred_opt(), self.local_date(to)) else {
            return Ok(Duration::zero());
        };
        let mut total = Duration::zero();
        let mut date = first;
        while date <= last {
            for (start, end) in self.periods_on(date) {
                let (s, e) = (start.max(from), end.min(to));
                if e > s {
                    total += e - s;
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        Ok(total)
    }
}

#[cfg(test)]
#[path = "hours_tests.rs"]
mod tests;
