//! MSPDI calendars as the model's: a calendar's working weekdays and exceptions, followed
//! through its base calendars, with recurring exceptions expanded to dates; the calendars that
//! tasks and resources name become `[calendars.<id>]`.

use super::node::{date_of, day_times, standard_week, DayTimes, Node, MAX_BASE_DEPTH};
use crate::interchange::draft::{is_id, slug, CalendarDraft};
use crate::model::{WorkingHours, FIRST_DATE, LAST_DATE};
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;
use std::collections::{BTreeMap, BTreeSet};

/// The longest a single (not recurring) exception may last: longer "exceptions" are recurring
/// patterns written as one period, not holidays.
const MAX_PERIOD_DAYS: usize = 366;

/// How far a recurring exception is followed from its first date (20 years of days); longer
/// patterns are cut there, with a note.
pub(super) const MAX_RECURRENCE_DAYS: i64 = 7305;

/// A calendar's days, followed through its base calendars.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Days {
    /// The name of the calendar the days come from (its own, else its base's when it adds
    /// nothing).
    pub name: String,
    /// Worked weekdays, Monday = 0.
    pub workdays: [bool; 7],
    /// The working times of each weekday, Monday first (empty on a day off).
    pub week: [DayTimes; 7],
    /// Non-working dates on worked weekdays.
    pub holidays: BTreeSet<Date>,
    /// Worked dates on non-working weekdays.
    pub extra_workdays: BTreeSet<Date>,
}

impl Days {
    /// The working minutes of its worked weekdays, when they all have the same.
    pub fn uniform_minutes(&self) -> Option<f64> {
        let mut minutes = self
            .week
            .iter()
            .zip(self.workdays)
            .filter(|(_, w)| *w)
            .map(|(t, _)| minutes_of(t));
        let first = minutes.next().filter(|&m| m > 0.0)?;
        minutes.all(|m| (m - first).abs() < 0.5).then_some(first)
    }

    /// The working hours its worked weekdays share, as the model holds them; when they
    /// differ, the most common weekday's (the first of them on a tie), with a note. `None`
    /// without a worked weekday or when the times are not hours the model holds.
    pub fn hours(&self, label: &str, notes: &mut Vec<String>) -> Option<WorkingHours> {
        let worked: Vec<&DayTimes> = self
            .week
            .iter()
            .zip(self.workdays)
            .filter(|(t, w)| *w && !t.is_empty())
            .map(|(t, _)| t)
            .collect();
        let most = worked.iter().max_by_key(|t| {
            (
                worked.iter().filter(|u| u == t).count(),
                std::cmp::Reverse(worked.iter().position(|u| u == *t)),
            )
        })?;
        let hours = WorkingHours::from_minutes(most);
        if let Some(h) = &hours {
            if worked.iter().any(|t| t != most) {
                notes.push(format!(
                    "{label}: its working days have different hours; the model holds one day's hours for every working day: {h}"
                ));
            }
        }
        hours
    }

    fn same_days(&self, other: &CalendarDraft) -> bool {
        self.workdays == other.workdays
            && self.holidays == other.holidays
            && self.extra_workdays == other.extra_workdays
    }
}

fn minutes_of(times: &DayTimes) -> f64 {
    times.iter().map(|&(f, t)| f64::from(t - f)).sum()
}

/// The file's calendars by UID.
pub(super) struct Resolver<'a> {
    by_uid: BTreeMap<&'a str, &'a Node>,
}

impl<'a> Resolver<'a> {
    pub fn new(project: &'a Node) -> Self {
        let by_uid = project
            .child("Calendars")
            .into_iter()
            .flat_map(|c| c.children("Calendar"))
            .filter_map(|c| Some((c.text_of("UID")?, c)))
            .collect();
        Resolver { by_uid }
    }

    /// The calendar `uid` and its base calendars, own first; empty for an unknown UID.
    fn chain(&self, uid: &str) -> Vec<&'a Node> {
        let mut chain: Vec<&Node> = Vec::new();
        let mut next = self.by_uid.get(uid).copied();
        while let Some(cal) = next {
            if chain.len() == MAX_BASE_DEPTH || chain.iter().any(|c| std::ptr::eq(*c, cal)) {
                break;
            }
            chain.push(cal);
            next = match cal.text_of("BaseCalendarUID") {
                Some(base) if base != "-1" && !cal.flag("IsBaseCalendar") => {
                    self.by_uid.get(base).copied()
                }
                _ => None,
            };
        }
        chain
    }

    /// The days of calendar `uid`; notes on what is not carried over name it as `label`
    /// ("calendar" for the project's, else `calendar "Night Shift"`) and compare partial
    /// days with `day_minutes`. `None` for an unknown UID.
    pub fn days(
        &self,
        uid: &str,
        day_minutes: Option<f64>,
        label: Option<&str>,
        notes: &mut Vec<String>,
    ) -> Option<Days> {
        let chain = self.chain(uid);
        let own = *chain.first()?;
        let source = chain
            .iter()
            .find(|c| defines_something(c))
            .copied()
            .unwrap_or(own);
        let name = source
            .text_of("Name")
            .or_else(|| own.text_of("Name"))
            .unwrap_or(uid)
            .to_string();
        let label = label.map_or_else(|| format!("calendar \"{name}\""), str::to_string);
        let mut week: [Option<(bool, DayTimes)>; 7] = Default::default();
        for cal in &chain {
            for day in weekdays(cal) {
                let Some(t @ 1..=7) = day.number("DayType").map(|d| d as usize) else {
                    continue;
                };
                // MSPDI counts from Sunday = 1; the model from Monday = 0.
                week[(t + 5) % 7].get_or_insert_with(|| (day.flag("DayWorking"), day_times(day)));
            }
            if cal
                .child("WorkWeeks")
                .is_some_and(|w| w.child("WorkWeek").is_some())
            {
                notes.push(format!(
                    "{label}: its work weeks (WorkWeeks, other hours for a period) are not imported"
                ));
            }
        }
        let standard = standard_week();
        let mut workdays = [false; 7];
        let mut times: [DayTimes; 7] = Default::default();
        for d in 0..7 {
            let (working, t) = week[d]
                .take()
                .unwrap_or_else(|| (d < 5, standard[d].clone()));
            workdays[d] = working;
            times[d] = if working { t } else { Vec::new() };
        }
        let nights = count_night_shifts_on_their_first_day(&mut workdays, &mut times);
        if nights {
            notes.push(format!(
                "{label}: its shifts run past midnight; each counts on the day it starts"
            ));
        }
        let day_minutes = day_minutes.or_else(|| {
            Days {
                name: String::new(),
                workdays,
                week: times.clone(),
                holidays: BTreeSet::new(),
                extra_workdays: BTreeSet::new(),
            }
            .uniform_minutes()
        });
        // Base calendars first: a calendar's own exceptions override its base's.
        let mut dates: BTreeMap<Date, bool> = BTreeMap::new();
        for cal in chain.iter().rev() {
            let mut off = Vec::new();
            let mut worked = Vec::new();
            for (ex, name) in exceptions(cal) {
                let what = format!("{label} exception \"{name}\"");
                let Some(found) = exception_dates(ex, &what, notes) else {
                    continue;
                };
                let (working, minutes, usual) = if nights {
                    own_part_of_a_night(ex, &times)
                } else {
                    (ex.flag("DayWorking"), minutes_of(&day_times(ex)), false)
                };
                if working
                    && !usual
                    && minutes > 0.0
                    && day_minutes.is_some_and(|m| (minutes - m).abs() >= 0.5)
                {
                    notes.push(format!(
                        "{what}: {} working hours a day are imported as whole working days",
                        minutes / 60.0
                    ));
                }
                if working {
                    worked.extend(found);
                } else {
                    off.extend(found);
                }
            }
            // A date both off and worked in one calendar: the working exception is the
            // more specific one.
            dates.extend(off.into_iter().map(|d| (d, false)));
            dates.extend(worked.into_iter().map(|d| (d, true)));
        }
        let weekday_works = |d: &Date| workdays[d.weekday().to_monday_zero_offset() as usize];
        let holidays = dates
            .iter()
            .filter(|&(d, &w)| !w && weekday_works(d))
            .map(|(d, _)| *d)
            .collect();
        let extra_workdays = dates
            .iter()
            .filter(|&(d, &w)| w && !weekday_works(d))
            .map(|(d, _)| *d)
            .collect();
        Some(Days {
            name,
            workdays,
            week: times,
            holidays,
            extra_workdays,
        })
    }
}

/// A shift that runs past midnight (23:00 to 00:00, then 00:00 to 08:00 the next day) is
/// one day's work: the morning hours (ending by noon) of a day whose previous day works up
/// to midnight belong to that previous day, and a day with nothing else is no working day.
/// True when some hours moved.
fn count_night_shifts_on_their_first_day(
    workdays: &mut [bool; 7],
    times: &mut [DayTimes; 7],
) -> bool {
    const MIDNIGHT: u32 = 1440;
    const NOON: u32 = 720;
    let moves: Vec<(usize, usize, DayTimes)> = (0..7)
        .filter_map(|d| {
            let prev = (d + 6) % 7;
            let chained = times[prev].iter().any(|&(_, to)| to == MIDNIGHT)
                && times[d].iter().any(|&(from, _)| from == 0);
            let morning: DayTimes = times[d]
                .iter()
                .copied()
                .filter(|&(_, to)| to <= NOON)
                .collect();
            (chained && !morning.is_empty()).then_some((d, prev, morning))
        })
        .collect();
    for (d, prev, morning) in &moves {
        times[*d].retain(|p| !morning.contains(p));
        // Later than midnight on the day the shift starts.
        let carried = morning.iter().map(|&(f, t)| (f + MIDNIGHT, t + MIDNIGHT));
        times[*prev].extend(carried);
    }
    for (d, _, _) in &moves {
        if times[*d].is_empty() {
            workdays[*d] = false;
        }
    }
    !moves.is_empty()
}

/// An exception on a calendar whose shifts run past midnight: its morning hours (ending by
/// noon) are the end of the night before, so the date itself works only when it has hours
/// later than those (a holiday of a night shift still has the morning of the night before,
/// as `plan export` and MS Project write it). Returns whether it works, its own minutes, and
/// whether they are the evening hours of a usual working day (nothing to note).
fn own_part_of_a_night(ex: &Node, week: &[DayTimes; 7]) -> (bool, f64, bool) {
    const NOON: u32 = 720;
    let own: DayTimes = day_times(ex)
        .into_iter()
        .filter(|&(_, to)| to > NOON)
        .collect();
    let usual = week.iter().any(|day| {
        let evening: DayTimes = day
            .iter()
            .copied()
            .filter(|&(from, _)| from < 1440)
            .collect();
        !evening.is_empty() && evening == own
    });
    (
        ex.flag("DayWorking") && !own.is_empty(),
        minutes_of(&own),
        usual,
    )
}

/// True when a calendar has weekdays or exceptions of its own (a resource's calendar often
/// has neither: its days are its base calendar's).
fn defines_something(cal: &Node) -> bool {
    weekdays(cal).next().is_some() || exceptions(cal).next().is_some()
}

fn weekdays<'n>(cal: &'n Node) -> impl Iterator<Item = &'n Node> + 'n {
    cal.child("WeekDays")
        .into_iter()
        .flat_map(|w| w.children("WeekDay"))
}

/// A calendar's exceptions with their names: MS Project 2007's `Exceptions/Exception` and
/// 2003's `WeekDay` of day type 0.
fn exceptions<'n>(cal: &'n Node) -> impl Iterator<Item = (&'n Node, String)> + 'n {
    let old = weekdays(cal)
        .filter(|d| d.number("DayType") == Some(0.0))
        .map(|d| (d, "(day type 0)".to_string()));
    let new = cal
        .child("Exceptions")
        .into_iter()
        .flat_map(|e| e.children("Exception"))
        .map(|e| (e, e.text_of("Name").unwrap_or("unnamed").to_string()));
    old.chain(new)
}

/// The dates an exception covers: every day of its `TimePeriod` (a year at most), or for a
/// recurring one (MSPDI's `Type` with `Occurrences`, `Period`, `DaysOfWeek`, `MonthDay`,
/// `MonthItem`, `MonthPosition`, `Month`) the dates of its pattern in that period. `None`,
/// with a note, when it has no readable period or an unknown pattern.
pub(super) fn exception_dates(ex: &Node, what: &str, notes: &mut Vec<String>) -> Option<Vec<Date>> {
    let period = ex.child("TimePeriod");
    let from = period.and_then(|p| p.text_of("FromDate")).and_then(date_of);
    let to = period.and_then(|p| p.text_of("ToDate")).and_then(date_of);
    let (Some(from), Some(to)) = (from, to) else {
        notes.push(format!(
            "{what}: no dates (TimePeriod FromDate/ToDate) to import"
        ));
        return None;
    };
    let kind = ex.number("Type").map_or(1, |t| t as i64);
    let occurrences = ex.number("Occurrences").unwrap_or(1.0);
    if matches!(kind, 1 | 7) && occurrences <= 1.0 && ex.number("Period").unwrap_or(1.0) <= 1.0 {
        return Some(days_between(from, to, MAX_PERIOD_DAYS));
    }
    let Some(pattern) = Pattern::of(ex, kind, from) else {
        notes.push(format!(
            "{what}: a recurring exception of unknown type {kind} is not imported"
        ));
        return None;
    };
    let limit = if occurrences >= 1.0 {
        occurrences.min(f64::from(u32::MAX)) as usize
    } else {
        usize::MAX
    };
    let span = (to - from).get_days() as i64;
    if span > MAX_RECURRENCE_DAYS {
        notes.push(format!(
            "{what}: it recurs from {from} to {to}; its dates are imported for the first 20 years"
        ));
    }
    let found: Vec<Date> = days_between(from, to, MAX_RECURRENCE_DAYS as usize + 1)
        .into_iter()
        .filter(|&d| pattern.matches(d))
        .take(limit)
        .collect();
    Some(found)
}

/// Every day from `from` to `to`, at most `max` of them, within the model's dates.
fn days_between(from: Date, to: Date, max: usize) -> Vec<Date> {
    let mut dates = Vec::new();
    let mut d = from;
    for _ in 0..max {
        if d > to || d > LAST_DATE {
            break;
        }
        if d >= FIRST_DATE {
            dates.push(d);
        }
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    dates
}

/// A recurring exception's pattern, as MS Project (and MPXJ) read the MSPDI codes.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    /// Every `every` days from the first date.
    Daily { first: Date, every: i64 },
    /// The weekdays of the mask (Sunday = bit 0) every `every` weeks (weeks from Sunday).
    Weekly { first: Date, mask: u32, every: i64 },
    /// Day `day` of every `every` months.
    Monthly { first: Date, day: i8, every: i32 },
    /// The `nth` (1-4, or 5 for the last) `weekday` of every `every` months.
    MonthlyNth {
        first: Date,
        nth: i8,
        weekday: Weekday,
        every: i32,
    },
    /// Day `day` of month `month` every year.
    Yearly { month: i8, day: i8 },
    /// The `nth` `weekday` of month `month` every year.
    YearlyNth {
        month: i8,
        nth: i8,
        weekday: Weekday,
    },
}

impl Pattern {
    fn of(ex: &Node, kind: i64, first: Date) -> Option<Self> {
        let int = |name: &str| ex.number(name).map(|v| v as i64);
        let every = int("Period").unwrap_or(1).max(1);
        // MonthItem 3 = Sunday … 9 = Saturday; MonthPosition 0 = first … 4 = last.
        let weekday = || -> Option<Weekday> {
            let item = int("MonthItem")?;
            (3..=9)
                .contains(&item)
                .then(|| Weekday::from_sunday_zero_offset((item - 3) as i8).ok())?
        };
        let nth = || {
            int("MonthPosition")
                .filter(|p| (0..=4).contains(p))
                .map(|p| p as i8 + 1)
        };
        let month = || {
            int("Month")
                .filter(|m| (0..=11).contains(m))
                .map(|m| m as i8 + 1)
        };
        let day = || {
            int("MonthDay")
                .filter(|d| (1..=31).contains(d))
                .map(|d| d as i8)
        };
        let every_months = every.min(1200) as i32;
        Some(match kind {
            1 | 7 => Pattern::Daily { first, every },
            6 => Pattern::Weekly {
                first,
                mask: int("DaysOfWeek").filter(|m| (1..128).contains(m))? as u32,
                every,
            },
            4 => Pattern::Monthly {
                first,
                day: day()?,
                every: every_months,
            },
            5 => Pattern::MonthlyNth {
                first,
                nth: nth()?,
                weekday: weekday()?,
                every: every_months,
            },
            2 => Pattern::Yearly {
                month: month()?,
                day: day()?,
            },
            3 => Pattern::YearlyNth {
                month: month()?,
                nth: nth()?,
                weekday: weekday()?,
            },
            _ => return None,
        })
    }

    fn matches(self, d: Date) -> bool {
        let months_since = |first: Date| {
            (i32::from(d.year()) - i32::from(first.year())) * 12 + i32::from(d.month())
                - i32::from(first.month())
        };
        match self {
            Pattern::Daily { first, every } => (d - first).get_days() as i64 % every == 0,
            Pattern::Weekly { first, mask, every } => {
                let sunday = |x: Date| {
                    x.checked_sub(i64::from(x.weekday().to_sunday_zero_offset()).days())
                        .unwrap_or(x)
                };
                let weeks = (sunday(d) - sunday(first)).get_days() as i64 / 7;
                mask & (1 << d.weekday().to_sunday_zero_offset()) != 0 && weeks % every == 0
            }
            Pattern::Monthly { first, day, every } => {
                months_since(first) % every == 0 && nth_day(d, day)
            }
            Pattern::MonthlyNth {
                first,
                nth,
                weekday,
                every,
            } => months_since(first) % every == 0 && nth_weekday(d, nth, weekday),
            Pattern::Yearly { month, day } => d.month() == month && nth_day(d, day),
            Pattern::YearlyNth {
                month,
                nth,
                weekday,
            } => d.month() == month && nth_weekday(d, nth, weekday),
        }
    }
}

/// Day `day` of `d`'s month, or its last day when the month is shorter (the 31st of every
/// month falls on 30 April), as MS Project places it.
fn nth_day(d: Date, day: i8) -> bool {
    d.day() == day.min(d.days_in_month())
}

/// `d` is the `nth` (5: the last) `weekday` of its month.
fn nth_weekday(d: Date, nth: i8, weekday: Weekday) -> bool {
    if d.weekday() != weekday {
        return false;
    }
    if nth == 5 {
        return d.day() + 7 > d.days_in_month();
    }
    (d.day() - 1) / 7 + 1 == nth
}

/// The named calendars tasks and resources refer to, made once per UID: a calendar that
/// works on the project calendar's days is no calendar of its own (`None`), and calendars
/// with the same days share one id.
pub(super) struct Named<'a> {
    resolver: Resolver<'a>,
    project: CalendarDraft,
    project_minutes: f64,
    by_uid: BTreeMap<String, Option<String>>,
    /// The calendars made, in the order they were first named.
    pub drafts: Vec<CalendarDraft>,
    /// Working minutes of a day of each calendar made, when its days all have the same.
    pub minutes: BTreeMap<String, f64>,
}

impl<'a> Named<'a> {
    pub fn new(project: &'a Node, days: CalendarDraft, project_minutes: f64) -> Self {
        Named {
            resolver: Resolver::new(project),
            project: days,
            project_minutes,
            by_uid: BTreeMap::new(),
            drafts: Vec::new(),
            minutes: BTreeMap::new(),
        }
    }

    /// The id of the calendar `uid` (as a task's or resource's `CalendarUID`), or `None` for
    /// none (-1), an unknown one, or one on the project calendar's days.
    pub fn id_of(&mut self, uid: Option<&str>, notes: &mut Vec<String>) -> Option<String> {
        let uid = uid.filter(|u| *u != "-1")?;
        if let Some(known) = self.by_uid.get(uid) {
            return known.clone();
        }
        let id = self.make(uid, notes);
        self.by_uid.insert(uid.to_string(), id.clone());
        id
    }

    /// The id of a calendar that works every day with no holidays, the calendar elapsed time
    /// runs on: a file's own when it has one, else `elapsed`, made once.
    pub fn every_day(&mut self) -> String {
        let every_day = CalendarDraft {
            id: String::new(),
            name: "Elapsed time: every day, round the clock".into(),
            workdays: [true; 7],
            holidays: BTreeSet::new(),
            extra_workdays: BTreeSet::new(),
            hours: WorkingHours::from_minutes(&[(0, 1440)]),
        };
        let same = |c: &CalendarDraft| {
            c.workdays == every_day.workdays && c.holidays.is_empty() && c.extra_workdays.is_empty()
        };
        if let Some(c) = self.drafts.iter().find(|c| same(c)) {
            return c.id.clone();
        }
        let mut id = "elapsed".to_string();
        let mut k = 2;
        while self.drafts.iter().any(|c| c.id == id) {
            id = format!("elapsed-{k}");
            k += 1;
        }
        self.minutes.insert(id.clone(), 1440.0);
        self.drafts.push(CalendarDraft {
            id: id.clone(),
            ..every_day
        });
        id
    }

    fn make(&mut self, uid: &str, notes: &mut Vec<String>) -> Option<String> {
        let days = self.resolver.days(uid, None, None, notes)?;
        let as_project = CalendarDraft {
            id: String::new(),
            ..self.project.clone()
        };
        // Other hours on the project's days are a calendar of its own too (a night shift):
        // scheduling counts the same days, and the export writes its hours.
        let mut scratch = Vec::new();
        let label = format!("calendar \"{}\"", days.name);
        let hours = days
            .hours(&label, &mut scratch)
            .filter(|h| *h != self.project.hours.clone().unwrap_or_default());
        if days.same_days(&as_project) && hours.is_none() {
            return None;
        }
        if let Some(same) = self
            .drafts
            .iter()
            .find(|c| days.same_days(c) && c.hours == hours)
        {
            return Some(same.id.clone());
        }
        notes.extend(scratch);
        // A calendar `plan export` wrote is named after its id: keep it.
        let wanted = if is_id(&days.name) {
            days.name.clone()
        } else {
            slug(&days.name)
        };
        let mut id = wanted.clone();
        let mut k = 2;
        while self.drafts.iter().any(|c| c.id == id) {
            id = format!("{wanted}-{k}");
            k += 1;
        }
        match days.uniform_minutes() {
            Some(m) => {
                self.minutes.insert(id.clone(), m);
            }
            None if days.workdays.contains(&true) => notes.push(format!(
                "calendar \"{}\": its working days have different hours; the model counts whole days, of {} hours for durations on it",
                days.name,
                self.project_minutes / 60.0
            )),
            None => {}
        }
        self.drafts.push(CalendarDraft {
            id: id.clone(),
            name: days.name,
            workdays: days.workdays,
            holidays: days.holidays,
            extra_workdays: days.extra_workdays,
            hours,
        });
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn dates_of(pattern: Pattern, from: Date, to: Date) -> Vec<String> {
        days_between(from, to, 10_000)
            .into_iter()
            .filter(|&d| pattern.matches(d))
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn the_last_friday_of_each_month_and_the_fourth_thursday_of_november() {
        let last_friday = Pattern::MonthlyNth {
            first: date(2025, 9, 1),
            nth: 5,
            weekday: Weekday::Friday,
            every: 1,
        };
        assert_eq!(
            dates_of(last_friday, date(2025, 9, 1), date(2025, 12, 31)),
            ["2025-09-26", "2025-10-31", "2025-11-28", "2025-12-26"]
        );
        let thanksgiving = Pattern::YearlyNth {
            month: 11,
            nth: 4,
            weekday: Weekday::Thursday,
        };
        assert_eq!(
            dates_of(thanksgiving, date(2025, 1, 1), date(2026, 12, 31)),
            ["2025-11-27", "2026-11-26"]
        );
    }

    #[test]
    fn every_other_week_and_the_31st_of_short_months() {
        // Mondays and Fridays every second week from Wednesday 3 September 2025.
        let fortnightly = Pattern::Weekly {
            first: date(2025, 9, 3),
            mask: 0b10_0010,
            every: 2,
        };
        assert_eq!(
            dates_of(fortnightly, date(2025, 9, 3), date(2025, 9, 30)),
            ["2025-09-05", "2025-09-15", "2025-09-19", "2025-09-29"]
        );
        let month_end = Pattern::Monthly {
            first: date(2026, 1, 1),
            day: 31,
            every: 1,
        };
        assert_eq!(
            dates_of(month_end, date(2026, 1, 1), date(2026, 4, 30)),
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
        );
    }
}
