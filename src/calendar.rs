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

impl Calendar {
    /// The days worked on every one of `calendars` (a task and the roles it demands), or the
    /// default calendar for none.
    pub fn intersection(calendars: &[&Calendar]) -> Calendar {
        Self::combine(calendars, |works| works.iter().all(|&w| w))
    }

    /// The days worked on any of `calendars` (the grid that every calendar's days lie on), or
    /// the default calendar for none.
    pub fn union(calendars: &[&Calendar]) -> Calendar {
        Self::combine(calendars, |works| works.iter().any(|&w| w))
    }

    /// The calendar whose weekdays and dates are worked when `rule` says so of the
    /// calendars' answers. Only their holidays and extra days can differ from the weekday
    /// rule, so those dates alone are looked at.
    fn combine(calendars: &[&Calendar], rule: impl Fn(&[bool]) -> bool) -> Calendar {
        let Some(first) = calendars.first() else {
            return Calendar::default();
        };
        if calendars.iter().all(|c| c == first) {
            return (*first).clone();
        }
        let mut out = Calendar {
            workdays: [false; 7],
            holidays: BTreeSet::new(),
            extra_workdays: BTreeSet::new(),
        };
        for (w, day) in out.workdays.iter_mut().enumerate() {
            let works: Vec<bool> = calendars.iter().map(|c| c.workdays[w]).collect();
            *day = rule(&works);
        }
        let special: BTreeSet<Date> = calendars
            .iter()
            .flat_map(|c| c.holidays.iter().chain(&c.extra_workdays))
            .copied()
            .collect();
        for date in special {
            let works: Vec<bool> = calendars.iter().map(|c| c.is_workday(date)).collect();
            let by_weekday = out.workdays[weekday_index(date.weekday())];
            match (rule(&works), by_weekday) {
                (true, false) => {
                    out.extra_workdays.insert(date);
                }
                (false, true) => {
                    out.holidays.insert(date);
                }
                _ => {}
            }
        }
        out
    }
}

/// Working time of several calendars over one grid of days (the days any of them works, as
/// day numbers 0, 1, 2, …): for each calendar, which grid days it works and how many it has
/// worked before each. Time `t` is a grid time; a calendar's count at `t` is the working days
/// of that calendar in grid time `[0, t)`, so a task of duration `d` that starts at count `c`
/// ends at count `c + d`. Beyond the days it was built for, and before day 0, every day works
/// (the count grows with the time): [`GridClock::overran`] tells a caller to build it longer.
#[derive(Debug)]
pub struct GridClock {
    /// Per mask: grid day of its j-th working day.
    days: Vec<Vec<u32>>,
    /// Per mask: working days before grid day `d`, for `d` in `0..=horizon`.
    before: Vec<Vec<u32>>,
    /// Per mask: whether grid day `d` is worked.
    works: Vec<Vec<bool>>,
    /// The mask of each node.
    node_mask: Vec<usize>,
    /// Set when a question reached past the built days (shared by the threads of a
    /// simulation, so atomic).
    overran: std::sync::atomic::AtomicBool,
}

impl Clone for GridClock {
    fn clone(&self) -> Self {
        GridClock {
            days: self.days.clone(),
            before: self.before.clone(),
            works: self.works.clone(),
            node_mask: self.node_mask.clone(),
            overran: std::sync::atomic::AtomicBool::new(self.overran()),
        }
    }
}

impl GridClock {
    /// A clock from explicit masks (`masks[k][d]`: calendar `k` works grid day `d`; every day
    /// past the end of a mask works) and each node's mask.
    pub fn from_masks(masks: Vec<Vec<bool>>, node_mask: Vec<usize>) -> Self {
        let mut days = Vec::with_capacity(masks.len());
        let mut before = Vec::with_capacity(masks.len());
        for mask in &masks {
            let mut count = 0u32;
            let mut b = Vec::with_capacity(mask.len() + 1);
            let mut d = Vec::new();
            for (day, &w) in mask.iter().enumerate() {
                b.push(count);
                if w {
                    d.push(day as u32);
                    count += 1;
                }
            }
            b.push(count);
            days.push(d);
            before.push(b);
        }
        GridClock {
            days,
            before,
            works: masks,
            node_mask,
            overran: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// A clock over the first `horizon` working days of `grid`, one mask per calendar.
    pub fn from_calendars(
        grid: &mut WorkCalendar,
        calendars: &[Calendar],
        node_mask: Vec<usize>,
        horizon: usize,
    ) -> Self {
        let dates: Vec<Date> = (0..horizon).map(|d| grid.date_of(d)).collect();
        let masks = calendars
            .iter()
            .map(|c| dates.iter().map(|&d| c.is_workday(d)).collect())
            .collect();
        Self::from_masks(masks, node_mask)
    }

    /// The same clock for nodes renumbered: node `k` of the result is node `order[k]`.
    pub fn reordered(&self, order: &[usize]) -> GridClock {
        let mut clock = self.clone();
        clock.node_mask = order.iter().map(|&n| self.node_mask[n]).collect();
        clock
    }

    /// True when some answer lay past the days the clock was built for.
    pub fn overran(&self) -> bool {
        self.overran.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The index of node `i`'s mask: nodes with the same index work the same days.
    pub fn mask_of(&self, i: usize) -> usize {
        self.node_mask[i]
    }

    /// The grid days the clock was built for.
    pub fn horizon_days(&self) -> usize {
        self.works.first().map_or(0, Vec::len)
    }

    fn horizon(&self, k: usize) -> usize {
        self.works[k].len()
    }

    /// Node `i`'s working time in grid time `[0, t)`.
    pub fn count(&self, i: usize, t: f64) -> f64 {
        let k = self.node_mask[i];
        if t <= 0.0 {
            return t;
        }
        let h = self.horizon(k);
        let day = floor_positive(t);
        if day >= h as f64 {
            self.overran
                .store(true, std::sync::atomic::Ordering::Relaxed);
            return f64::from(self.before[k][h]) + (t - h as f64);
        }
        let d = day as usize;
        let partial = if self.works[k][d] { t - day } else { 0.0 };
        f64::from(self.before[k][d]) + partial
    }

    /// True when node `i` works grid day `day` (every day past the days the clock was built
    /// for works, and the clock records that it overran).
    pub fn works(&self, i: usize, day: u32) -> bool {
        let k = self.node_mask[i];
        match self.works[k].get(day as usize) {
            Some(&w) => w,
            None => {
                self.overran
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                true
            }
        }
    }

    /// The grid time of the working day that holds count `c`: the beginning of its working
    /// day for a whole `c` (the latest time with that count: work starts there).
    pub fn start_at(&self, i: usize, c: f64) -> f64 {
        if c < 0.0 {
            return c;
        }
        let j = floor_positive(c);
        self.day_of(i, j) + (c - j)
    }

    /// The earliest grid time at which node `i` has worked `c`: the end of its last working
    /// day for a whole `c` (work finishes there).
    pub fn finish_at(&self, i: usize, c: f64) -> f64 {
        if c <= 0.0 {
            return c;
        }
        let j = ceil_positive(c) - 1.0;
        self.day_of(i, j) + (c - j)
    }

    /// The grid day of node `i`'s `j`-th working day (0-based).
    fn day_of(&self, i: usize, j: f64) -> f64 {
        let k = self.node_mask[i];
        let days = &self.days[k];
        if j < days.len() as f64 {
            return f64::from(days[j as usize]);
        }
        self.overran
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let h = self.horizon(k) as f64;
        h + (j - f64::from(self.before[k][self.horizon(k)]))
    }
}

/// `x.floor()` for `0 <= x < 2^53`, by truncation: without SSE4.1 `f64::floor` is a call into
/// libm, and the calendar passes ask it several times per link.
#[inline]
fn floor_positive(x: f64) -> f64 {
    (x as u64) as f64
}

/// `x.ceil()` for `0 <= x < 2^53` (see [`floor_positive`]).
#[inline]
fn ceil_positive(x: f64) -> f64 {
    let t = floor_positive(x);
    if t < x {
        t + 1.0
    } else {
        t
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
    fn union_and_intersection_work_the_days_any_and_every_calendar_works() {
        let mut offshore = Calendar {
            workdays: [true, true, true, true, false, false, true],
            ..Calendar::default()
        };
        offshore.holidays.insert(date(2025, 10, 6)); // a Monday
        offshore.extra_workdays.insert(date(2025, 10, 10)); // a Friday
        let project = Calendar::default();
        let both = Calendar::intersection(&[&project, &offshore]);
        let any = Calendar::union(&[&project, &offshore]);
        let days = (0..14).map(|n| {
            date(2025, 10, 5)
                .checked_add(jiff::Span::new().days(n))
                .unwrap()
        });
        for d in days {
            assert_eq!(
                both.is_workday(d),
                project.is_workday(d) && offshore.is_workday(d),
                "{d}"
            );
            assert_eq!(
                any.is_workday(d),
                project.is_workday(d) || offshore.is_workday(d),
                "{d}"
            );
        }
        assert_eq!(Calendar::union(&[&project, &project]), project);
    }

    #[test]
    fn a_clock_counts_each_calendars_working_days_over_the_grid() {
        // Grid days 0..7; mask 0 works every day, mask 1 days 0, 1 and 4.
        let masks = vec![
            vec![true; 7],
            vec![true, true, false, false, true, false, false],
        ];
        let clock = GridClock::from_masks(masks, vec![0, 1]);
        assert_eq!(clock.count(1, 3.0), 2.0);
        assert_eq!(clock.count(1, 4.5), 2.5);
        // Two days of work end on the end of day 1; the third starts on day 4.
        assert_eq!(clock.finish_at(1, 2.0), 2.0);
        assert_eq!(clock.start_at(1, 2.0), 4.0);
        assert_eq!(clock.finish_at(1, 3.0), 5.0);
        assert!(!clock.overran());
        // Past the days it was built for every day works, and the clock says so.
        assert_eq!(clock.start_at(1, 5.0), 9.0);
        assert!(clock.overran());
        assert_eq!(clock.count(0, 3.25), 3.25);
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
