//! The status date of an imported file, and work that happened after it.
//!
//! MS Project holds no unstarted work back to a status date: without one in the file it
//! schedules such work where its links and constraints put it, also before actual dates of
//! other tasks. The model's status date is the line between the past and what is left: every
//! actual date lies on or before it, nothing unfinished is scheduled before it. So a file
//! without a status date whose unstarted work starts before its last actual date gets the
//! status date at that work's first start, and the tasks worked after that day are fixed at
//! the dates they were worked (a constraint and a duration that spans them) instead of
//! carrying actual dates the model would have to put in the past.

use super::node::{clock_minutes, date_of, DayTimes};
use crate::interchange::draft::{is_id, CalendarDraft, ModelDraft, TaskDraft};
use crate::model::{ConstraintKind, MAX_DAYS};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// What MS Project stored for one task: its `Start` date and its `Finish` date-time.
pub(super) struct MsDates<'a> {
    /// The task's model id.
    pub id: &'a str,
    /// The day MS Project starts it.
    pub start: Option<Date>,
    /// MS Project's finish, `2006-08-30T08:00:00`.
    pub finish: Option<&'a str>,
}

/// The model's status date: the file's, moved to the last actual date when an actual lies
/// after it. Without one: the last actual date, unless unstarted work starts before it in MS
/// Project; then the first start of such work, and the tasks worked after it are fixed at
/// their dates ([`pin`]), each with a note.
pub(super) fn status_date(
    given: Option<Date>,
    draft: &mut ModelDraft,
    ms: &[MsDates],
    week: &[DayTimes; 7],
    unmapped: &mut Vec<String>,
) -> Option<Date> {
    let last_actual = draft
        .tasks
        .iter()
        .flat_map(|t| [t.dates.actual_start, t.dates.actual_finish])
        .flatten()
        .max();
    let status = match (given, last_actual) {
        (Some(g), Some(a)) if a > g => {
            unmapped.push(format!(
                "the status date {g} is before the last actual date {a}: the status date is {a}"
            ));
            Some(a)
        }
        (Some(g), _) => Some(g),
        (None, None) => None,
        (None, Some(last)) => Some(without_a_status_date(last, draft, ms, week, unmapped)),
    };
    status.filter(|&d| d > draft.start)
}

/// The status date of a file without one whose last actual date is `last`.
fn without_a_status_date(
    last: Date,
    draft: &mut ModelDraft,
    ms: &[MsDates],
    week: &[DayTimes; 7],
    unmapped: &mut Vec<String>,
) -> Date {
    let by_id: BTreeMap<&str, &MsDates> = ms.iter().map(|m| (m.id, m)).collect();
    let first_unstarted = draft
        .tasks
        .iter()
        .filter(|t| t.done < 1.0 && t.dates.actual_start.is_none())
        .filter_map(|t| by_id.get(t.id.as_str())?.start)
        .filter(|&d| d < last)
        .min();
    let Some(first) = first_unstarted else {
        return last;
    };
    let status = first.max(draft.start);
    let worked_after = |t: &TaskDraft| {
        [t.dates.actual_start, t.dates.actual_finish]
            .into_iter()
            .flatten()
            .any(|d| d > status)
    };
    let mut pins = Vec::new();
    for (k, t) in draft.tasks.iter().enumerate() {
        if !worked_after(t) {
            continue;
        }
        let finish = by_id.get(t.id.as_str()).and_then(|m| m.finish);
        match pin(t, draft, status, finish, week) {
            Some(p) => pins.push((k, p)),
            // Not one day may be lost: the old status date keeps every actual date valid.
            None => return last,
        }
    }
    for (k, p) in pins {
        apply(draft, k, p, status, unmapped);
    }
    status
}

/// How a task worked after the status date is held at its dates.
struct Pin {
    constraint: (ConstraintKind, Date),
    /// Working days from the first to the last day it is held to.
    duration: Option<f64>,
    /// A calendar that works the days off among those two, when there are any.
    calendar: Option<CalendarDraft>,
    /// The days it was worked, for the note.
    from: Date,
    to: Option<Date>,
}

/// A task with an actual start after `status` is fixed from it (`must_start_on`) up to its
/// actual finish, else MS Project's finish; one begun before and finished after it keeps its
/// actual start and must finish on its actual finish, what is left running from the status
/// date. The end days that fall on days off of its calendar become working days of a
/// calendar of its own, as they were worked. `None` when its days cannot be counted.
fn pin(
    t: &TaskDraft,
    draft: &ModelDraft,
    status: Date,
    ms_finish: Option<&str>,
    week: &[DayTimes; 7],
) -> Option<Pin> {
    let started_after = t.dates.actual_start.is_some_and(|a| a > status);
    let to = t
        .dates
        .actual_finish
        .or_else(|| ms_finish.and_then(|f| finish_day(f, week, draft)));
    let (from, kind) = match (started_after, t.dates.actual_start) {
        (true, Some(a)) => (a, ConstraintKind::MustStartOn),
        _ => (status, ConstraintKind::MustFinishOn),
    };
    if t.milestone {
        let day = to.unwrap_or(from);
        return Some(Pin {
            constraint: (ConstraintKind::MustFinishOn, day),
            duration: None,
            calendar: None,
            from,
            to,
        });
    }
    let own = task_calendar(t, draft);
    let mut calendar = own.clone();
    let ends = [Some(from).filter(|_| started_after), to]
        .into_iter()
        .flatten();
    for day in ends {
        if !works(&calendar, day) {
            calendar.holidays.remove(&day);
            if !works(&calendar, day) {
                calendar.extra_workdays.insert(day);
            }
        }
    }
    let changed = calendar != own;
    let duration = match to {
        Some(to) if to >= from => Some(working_days(&calendar, from, to)?),
        Some(_) => return None,
        None if kind == ConstraintKind::MustFinishOn => return None,
        None => None,
    };
    let constraint = match kind {
        ConstraintKind::MustStartOn => (kind, from),
        _ => (kind, to?),
    };
    Some(Pin {
        constraint,
        duration,
        calendar: changed.then_some(calendar),
        from,
        to,
    })
}

/// Fixes task `k` at its pin, with a note naming its dates.
fn apply(draft: &mut ModelDraft, k: usize, p: Pin, status: Date, unmapped: &mut Vec<String>) {
    let calendar_id = p.calendar.map(|mut c| {
        let wanted = format!("{}_actuals", draft.tasks[k].id);
        let wanted = if is_id(&wanted) {
            wanted
        } else {
            "actuals".into()
        };
        let mut id = wanted.clone();
        let mut n = 2;
        while draft.calendars.iter().any(|c| c.id == id) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
        let base = if c.name.is_empty() {
            "the project calendar".to_string()
        } else {
            format!("\"{}\"", c.name)
        };
        c.name = format!(
            "{base} with the days \"{}\" was worked",
            draft.tasks[k].name
        );
        c.id = id.clone();
        draft.calendars.push(c);
        id
    });
    let t = &mut draft.tasks[k];
    let finished = t.dates.actual_finish.is_some();
    if let Some((old, date)) = t.dates.constraint.replace(p.constraint) {
        unmapped.push(format!(
            "task \"{}\": its constraint {} {date} gives way to the dates it was worked",
            t.name,
            old.key()
        ));
    }
    t.dates.actual_finish = None;
    if p.constraint.0 == ConstraintKind::MustStartOn {
        t.dates.actual_start = None;
    }
    if let Some(days) = p.duration {
        t.duration = days;
    }
    t.done = 0.0;
    let freed = finished && !t.demand.is_empty();
    if finished {
        // Its work is done: held at its dates, it needs no one again.
        t.demand.clear();
    }
    t.status = Some(if finished { "finished" } else { "in progress" }.into());
    let worked = match p.to {
        Some(to) if finished => format!("worked from {} to {to}", p.from),
        Some(to) => format!("under way from {}, MS Project finishes it on {to}", p.from),
        None => format!("under way from {}", p.from),
    };
    let mut held = format!("{} = {}", p.constraint.0.key(), p.constraint.1);
    if let Some(days) = p.duration {
        held.push_str(&format!(", {days} working days"));
    }
    if let Some(id) = &calendar_id {
        held.push_str(&format!(
            ", on calendar \"{id}\" that works its days off among them"
        ));
        t.calendar = Some(id.clone());
    }
    if freed {
        held.push_str(", no demand: its work is done");
    }
    unmapped.push(format!(
        "task \"{}\": {worked}, after unstarted work MS Project starts on {status} (the file has no status date, and MS Project holds no work back to one); the model's status date is {status} and the task is held at its dates ({held}), not as actual dates",
        t.name
    ));
}

/// The days a task works on: its own calendar, else the project's.
fn task_calendar(t: &TaskDraft, draft: &ModelDraft) -> CalendarDraft {
    t.calendar
        .as_ref()
        .and_then(|id| draft.calendars.iter().find(|c| &c.id == id))
        .cloned()
        .unwrap_or_else(|| CalendarDraft {
            id: String::new(),
            name: String::new(),
            workdays: draft.workdays,
            holidays: draft.holidays.clone(),
            extra_workdays: draft.extra_workdays.clone(),
            hours: draft.hours.clone(),
        })
}

fn works(c: &CalendarDraft, d: Date) -> bool {
    let weekday = c.workdays[d.weekday().to_monday_zero_offset() as usize];
    (weekday && !c.holidays.contains(&d)) || c.extra_workdays.contains(&d)
}

/// Working days of `c` from `from` to `to`, both included; `None` beyond the model's limit.
fn working_days(c: &CalendarDraft, from: Date, to: Date) -> Option<f64> {
    let mut n = 0.0;
    let mut d = from;
    // A calendar works at least one weekday: the limit in days bounds the walk.
    for _ in 0..(MAX_DAYS as usize * 7 + 7) {
        if d > to {
            return Some(n);
        }
        if works(c, d) {
            n += 1.0;
        }
        if n > MAX_DAYS {
            return None;
        }
        d = d.tomorrow().ok()?;
    }
    None
}

/// The working day an MS Project finish falls on: a finish at or before the first working
/// minute of its day (`…T08:00:00`), or on a day off, is the end of the working day before
/// it, as no working time lies between the two.
pub(super) fn finish_day(instant: &str, week: &[DayTimes; 7], draft: &ModelDraft) -> Option<Date> {
    let mut day = date_of(instant)?;
    let minutes = instant.get(11..).and_then(clock_minutes).unwrap_or(0.0);
    let working = |d: Date| {
        let w = d.weekday().to_monday_zero_offset() as usize;
        (draft.workdays[w] && !draft.holidays.contains(&d)) || draft.extra_workdays.contains(&d)
    };
    let first = week[day.weekday().to_monday_zero_offset() as usize]
        .iter()
        .map(|&(from, _)| from)
        .min();
    if working(day) && first.is_some_and(|f| minutes > f64::from(f)) {
        return Some(day);
    }
    // A year back at most: a calendar has a working day in every year.
    for _ in 0..366 {
        day = day.yesterday().ok()?;
        if working(day) {
            return Some(day);
        }
    }
    None
}
