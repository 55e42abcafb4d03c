//! Working-day calendar: maps working-day numbers (day 0 = the project start) to dates and back.

use jiff::civil::{Date, Weekday};
use std::collections::BTreeSet;

/// English weekday names, Monday first (the index used by [`Calendar::workdays`]).
pub const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Which weekdays are worked and which dates are holidays.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// Worked weekdays, indexed Monday = 0 … Sunday = 6.
    pub workdays: [bool; 7],
    /// Dates that are not worked even when their weekday is.
    pub holidays: BTreeSet<Date>,
    /// Dates that are worked even when their weekday is not (a Saturday before a launch).
    pub extra_workdays: BTreeSet<Date>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            workdays: [true, true, true, true, true, false, false],
            holidays: BTreeSet::new(),
            extra_workdays: BTreeSet::new(),
        }
    }
}

/// Monday-based index of a weekday, 0..7.
fn weekday_index(w: Weekday) -> usize {
    w.to_monday_zero_offset() as usize
}

impl Calendar {
    /// True when people work on `date`.
    pub fn is_workday(&self, date: Date) -> bool {
        self.extra_workdays.contains(&date)
            || (self.workdays[weekday_index(date.weekday())] && !self.holidays.contains(&date))
    }

    /// True when at least one weekday is worked, so working days exist without end. Extra
    /// working days alone do not count: after the last of them nothing could be scheduled.
    pub fn has_workdays(&self) -> bool {
        self.workdays.iter().any(|&w| w)
    }
}

/// A calendar anchored at a start date: working day `n` is the n-th worked date on or after the start.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    calendar: Calendar,
    /// Dates of working days 0, 1, 2, … computed so far (extended on demand).
    days: Vec<Date>,
    /// True once `days` reaches the last working day before the calendar's end.
    exhausted: bool,
}

impl WorkCalendar {
    /// Anchors `calendar` at `start`. Day 0 is the first working day on or after `start`.
    pub fn new(calendar: Calendar, start: Date) -> Self {
        let mut cal = WorkCalendar {
            calendar,
            days: Vec::new(),
            exhausted: false,
        };
        if cal.calendar.has_workdays() {
            let mut d = start;
            while !cal.calendar.is_workday(d) {
                match d.tomorrow() {
                    Ok(next) => d = next,
                    // Holidays cover every working day up to the calendar's end.
                    Err(_) => break,
                }
            }
            cal.days.push(d);
        }
        cal
    }

    /// The calendar this is anchored on.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Computes dates up to working day `day`, or up to the last working day before the end of
    /// the calendar ([`Date::MAX`]) when `day` lies beyond it.
    fn extend_to(&mut self, day: usize) {
        if self.exhausted {
            return;
        }
        let Some(&last) = self.days.last() else {
            self.exhausted = true;
            return;
        };
        let mut d = last;
        while self.days.len() <= day {
            loop {
                match d.tomorrow() {
                    Ok(next) => d = next,
                    Err(_) => {
                        self.exhausted = true;
                        return;
                    }
                }
                if self.calendar.is_workday(d) {
                    break;
                }
            }
            self.days.push(d);
        }
    }

    /// The date of working day `day` (0-based). Days beyond the calendar's end (9999-12-31)
    /// give its last working day: model files are limited to dates and durations that stay far
    /// inside it, so only extreme simulated delays reach it.
    pub fn date_of(&mut self, day: usize) -> Date {
        self.extend_to(day);
        match self.days.get(day).or(self.days.last()) {
            Some(&d) => d,
            None => Date::MAX,
        }
    }

    /// The date work starting at time `t` (working days, fractional) begins on.
    pub fn start_date(&mut self, t: f64) -> Date {
        self.date_of(t.max(0.0).floor() as usize)
    }

    /// The date work finishing at time `t` ends on: the last working day it occupies.
    /// Time 0 (nothing left to do) is the start date itself.
    pub fn finish_date(&mut self, t: f64) -> Date {
        let day = (t.max(0.0) - 1e-9).ceil() as i64 - 1;
        self.date_of(day.max(0) as usize)
    }

    /// The deadline that `date` sets, in working-day time: work must finish by the end of the
    /// last working day on or before `date`. Dates before the start give 0 or less.
    pub fn deadline(&mut self, date: Date) -> i64 {
        let Some(&first) = self.days.first() else {
            return 0;
        };
        if date < first {
            // Work due on the last working day before the start is due at time 0.
            let Ok(after) = date.tomorrow() else { return 0 };
            return -(self.workdays_between(after, first) as i64);
        }
        // Working days up to and including `date`: the index of the first working day after it.
        let mut n = 0usize;
        loop {
            self.extend_to(n);
            match self.days.get(n) {
                Some(&d) if d <= date => n += 1,
                _ => return n as i64,
            }
        }
    }

    /// Working days in the half-open range [from, to).
    fn workdays_between(&self, from: Date, to: Date) -> usize {
        let mut n = 0;
        let mut d = from;
        while d < to {
            if self.calendar.is_workday(d) {
                n += 1;
            }
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn cal() -> WorkCalendar {
        let mut c = Calendar::default();
        c.holidays.insert(date(2025, 11, 27));
        WorkCalendar::new(c, date(2025, 9, 15))
    }

    #[test]
    fn day_zero_is_the_start_and_weekends_are_skipped() {
        let mut c = cal();
        assert_eq!(c.date_of(0), date(2025, 9, 15)); // Monday
        assert_eq!(c.date_of(4), date(2025, 9, 19)); // Friday
        assert_eq!(c.date_of(5), date(2025, 9, 22)); // next Monday
    }

    #[test]
    fn a_start_on_a_weekend_moves_to_monday() {
        let mut c = WorkCalendar::new(Calendar::default(), date(2025, 9, 13));
        assert_eq!(c.date_of(0), date(2025, 9, 15));
    }

    #[test]
    fn holidays_are_skipped() {
        let mut c = cal();
        // 2025-11-26 is a Wednesday, 27 is the holiday, 28 is Friday.
        let wed = (0..100)
            .find(|&d| c.date_of(d) == date(2025, 11, 26))
            .unwrap();
        assert_eq!(c.date_of(wed + 1), date(2025, 11, 28));
    }

    #[test]
    fn finish_date_is_the_last_day_worked() {
        let mut c = cal();
        assert_eq!(c.finish_date(5.0), date(2025, 9, 19));
        assert_eq!(c.finish_date(4.5), date(2025, 9, 19));
        assert_eq!(c.finish_date(0.0), date(2025, 9, 15));
        assert_eq!(c.start_date(5.0), date(2025, 9, 22));
    }

    #[test]
    fn days_past_the_end_of_the_calendar_give_its_last_working_day() {
        let mut c = WorkCalendar::new(Calendar::default(), date(9999, 12, 20));
        // 9999-12-31 is a Friday.
        assert_eq!(c.date_of(3_000_000), date(9999, 12, 31));
        assert_eq!(c.finish_date(1e300), date(9999, 12, 31));
        assert_eq!(c.deadline(date(9999, 12, 31)), 10);
    }

    #[test]
    fn a_start_on_the_last_day_does_not_overflow() {
        let mut c = WorkCalendar::new(Calendar::default(), Date::MAX);
        assert_eq!(c.date_of(10), Date::MAX);
        let sat = Calendar {
            workdays: [false, false, false, false, false, true, false],
            ..Calendar::default()
        };
        let mut c = WorkCalendar::new(sat, Date::MAX);
        assert_eq!(c.date_of(0), Date::MAX);
    }

    #[test]
    fn an_extra_workday_is_worked_although_its_weekday_is_not() {
        let mut c = Calendar::default();
        // Saturday 20 September 2025 is worked: Friday 19 is day 4, Saturday day 5.
        c.extra_workdays.insert(date(2025, 9, 20));
        let mut c = WorkCalendar::new(c, date(2025, 9, 15));
        assert_eq!(c.date_of(4), date(2025, 9, 19));
        assert_eq!(c.date_of(5), date(2025, 9, 20));
        assert_eq!(c.date_of(6), date(2025, 9, 22));
        assert_eq!(c.deadline(date(2025, 9, 21)), 6);
    }

    #[test]
    fn a_start_on_an_extra_workday_is_day_zero() {
        let mut c = Calendar::default();
        c.extra_workdays.insert(date(2025, 9, 13));
        let mut c = WorkCalendar::new(c, date(2025, 9, 13));
        assert_eq!(c.date_of(0), date(2025, 9, 13));
        assert_eq!(c.date_of(1), date(2025, 9, 15));
    }

    #[test]
    fn deadline_counts_working_days_up_to_and_including_the_date() {
        let mut c = cal();
        assert_eq!(c.deadline(date(2025, 9, 19)), 5);
        assert_eq!(c.deadline(date(2025, 9, 21)), 5); // Sunday: same as Friday
        assert_eq!(c.deadline(date(2025, 9, 12)), 0); // the Friday before the start
        assert_eq!(c.deadline(date(2025, 9, 11)), -1); // the Thursday before
    }
}
