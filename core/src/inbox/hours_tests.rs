use super::*;
use chrono_tz::Europe::Paris;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn paris_office() -> Schedule {
    Schedule::builder(Paris)
        .weekdays(t(9, 0), t(18, 0))
        .unwrap()
        .build()
}

#[test]
fn open_on_a_weekday_afternoon_and_closed_at_night_and_on_weekends() {
    let s = paris_office();
    assert!(s.is_open(utc(2026, 3, 4, 13, 0))); // Wednesday 14:00 CET
    assert!(!s.is_open(utc(2026, 3, 4, 17, 0))); // 18:00: closing is exclusive
    assert!(s.is_open(utc(2026, 3, 4, 8, 0))); // 09:00: opening is inclusive
    assert!(!s.is_open(utc(2026, 3, 7, 11, 0))); // Saturday
}

#[test]
fn opening_hours_follow_the_wall_clock_across_the_spring_change() {
    let s = paris_office();
    // Friday 27 March 09:00 is 08:00 UTC (CET); Monday 30 March 09:00 is 07:00 UTC (CEST).
    assert!(s.is_open(utc(2026, 3, 27, 8, 0)));
    assert!(!s.is_open(utc(2026, 3, 30, 6, 30)));
    assert!(s.is_open(utc(2026, 3, 30, 7, 0)));
    assert_eq!(
        s.next_open(utc(2026, 3, 27, 20, 0)),
        Some(utc(2026, 3, 30, 7, 0))
    );
}

#[test]
fn next_open_is_now_when_open_and_skips_a_closed_holiday() {
    let s = Schedule::builder(Paris)
        .weekdays(t(9, 0), t(18, 0))
        .unwrap()
        .holiday(date(2026, 5, 1)) // Friday 1 May
        .build();
    let open = utc(2026, 4, 30, 12, 0);
    assert_eq!(s.next_open(open), Some(open));
    // Thursday 30 April 19:00 CEST → Monday 4 May 09:00 CEST.
    assert_eq!(
        s.next_open(utc(2026, 4, 30, 17, 0)),
        Some(utc(2026, 5, 4, 7, 0))
    );
}

#[test]
fn a_partial_holiday_opens_only_for_its_hours() {
    let s = Schedule::builder(Paris)
        .weekdays(t(9, 0), t(18, 0))
        .unwrap()
        .partial_holiday(date(2026, 12, 24), t(9, 0), t(12, 0))
        .unwrap()
        .build();
    assert!(s.is_open(utc(2026, 12, 24, 10, 0))); // 11:00 CET
    assert!(!s.is_open(utc(2026, 12, 24, 13, 0))); // 14:00 CET
    assert_eq!(
        s.business_duration(utc(2026, 12, 24, 0, 0), utc(2026, 12, 25, 0, 0)),
        Ok(Duration::hours(3))
    );
}

#[test]
fn split_hours_and_overlaps_are_checked() {
    let s = Schedule::builder(Paris)
        .open(Weekday::Mon, t(14, 0), t(18, 0))
        .unwrap()
        .open(Weekday::Mon, t(9, 0), t(12, 0))
        .unwrap()
        .build();
    assert_eq!(s.intervals_on(date(2026, 3, 2)).len(), 2);
    assert!(!s.is_open(utc(2026, 3, 2, 12, 0))); // 13:00 lunch
    let err = Schedule::builder(Paris)
        .open(Weekday::Mon, t(9, 0), t(12, 0))
        .unwrap()
        .open(Weekday::Mon, t(11, 0), t(13, 0))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "opening intervals on Mon overlap: 09:00–12:00 and 11:00–13:00"
    );
    let err = Schedule::builder(Paris)
        .open(Weekday::Tue, t(18, 0), t(9, 0))
        .unwrap_err();
    assert!(matches!(err, HoursError::EmptyInterval { .. }));
}

#[test]
fn midnight_as_an_end_means_until_the_end_of_the_day() {
    let s = Schedule::builder(Paris)
        .open(Weekday::Sat, t(20, 0), t(0, 0))
        .unwrap()
        .build();
    assert!(s.is_open(utc(2026, 3, 7, 22, 30))); // Saturday 23:30 CET
    assert!(!s.is_open(utc(2026, 3, 7, 23, 0))); // Sunday 00:00
}

#[test]
fn business_time_over_a_weekend_counts_only_open_hours() {
    let s = paris_office();
    // Friday 17:00 CET → Monday 10:00 CET: one hour Friday, one hour Monday.
    assert_eq!(
        s.business_duration(utc(2026, 3, 6, 16, 0), utc(2026, 3, 9, 9, 0)),
        Ok(Duration::hours(2))
    );
    assert_eq!(
        s.business_duration(utc(2026, 3, 9, 9, 0), utc(2026, 3, 6, 16, 0)),
        Ok(Duration::zero())
    );
}

#[test]
fn a_night_shift_over_the_autumn_change_is_an_hour_longer() {
    // Open Saturday 00:00–04:00 and Sunday 00:00–04:00; the clocks go back at 03:00 on
    // Sunday 25 October 2026, so Sunday's shift lasts five real hours.
    let s = Schedule::builder(Paris)
        .open(Weekday::Sat, t(0, 0), t(4, 0))
        .unwrap()
        .open(Weekday::Sun, t(0, 0), t(4, 0))
        .unwrap()
        .build();
    let sat = s.business_duration(utc(2026, 10, 23, 12, 0), utc(2026, 10, 24, 12, 0));
    let sun = s.business_duration(utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 12, 0));
    assert_eq!(sat, Ok(Duration::hours(4)));
    assert_eq!(sun, Ok(Duration::hours(5)));
}

#[test]
fn an_opening_inside_the_spring_gap_starts_after_it() {
    // 02:30 does not exist in Paris on 29 March 2026: the opening moves to 03:00 CEST.
    let s = Schedule::builder(Paris)
        .open(Weekday::Sun, t(2, 30), t(5, 0))
        .unwrap()
        .build();
    assert_eq!(
        s.next_open(utc(2026, 3, 28, 12, 0)),
        Some(utc(2026, 3, 29, 1, 0))
    );
    assert_eq!(
        s.business_duration(utc(2026, 3, 28, 12, 0), utc(2026, 3, 30, 0, 0)),
        Ok(Duration::hours(2))
    );
}

#[test]
fn a_schedule_that_never_opens_has_no_next_opening() {
    let s = Schedule::builder(Paris).build();
    assert_eq!(s.next_open(utc(2026, 3, 4, 12, 0)), None);
    let always = Schedule::always_open(Paris);
    assert!(always.is_open(utc(2026, 3, 8, 3, 0)));
    assert_eq!(
        always.business_duration(utc(2026, 3, 1, 0, 0), utc(2026, 3, 8, 0, 0)),
        Ok(Duration::days(7))
    );
}

#[test]
fn instants_at_the_ends_of_time_do_not_panic() {
    let s = paris_office();
    for at in [DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC] {
        let _ = s.is_open(at);
        let _ = s.next_open(at);
        let _ = s.business_duration(at, at);
    }
}

#[test]
fn an_overlong_span_is_refused() {
    let s = paris_office();
    let err = s
        .business_duration(utc(2000, 1, 1, 0, 0), utc(2100, 1, 1, 0, 0))
        .unwrap_err();
    assert!(matches!(err, HoursError::SpanTooLong { .. }));
}
