//! A schedule's drivers ([`crate::schedule::driver`]) in the model's terms: what fixed each
//! task's and milestone's start (a link to a named predecessor, the status date, a date
//! constraint, the calendar, or a role's capacity with the tasks holding it), and the
//! driving chain of each milestone back to the status date.
//!
//! The scheduling core knows release days, not dates: a release on the status date's day
//! ([`status_day`]) is the status date, a later release is a date constraint. On role and task
//! calendars a start the link or release allowed earlier, deferred over days off the task's
//! calendar (its own, the project's, and its roles'), is driven by the calendar.

use crate::calendar::WorkCalendar;
use crate::graph::LinkType;
use crate::program::ProgramProblem;
use crate::resources::UNITS_PER_PERSON;
use crate::schedule::{driving_chain, Driver, Schedule};
use jiff::civil::Date;
use serde::Serialize;

/// The working day of the status date, counted from the project start: day 0 unless the
/// model's `[project] status_date` is later. A release on it is the status date; a later
/// release is a date constraint.
pub fn status_day(pp: &ProgramProblem) -> u32 {
    crate::program::status_day(&pp.windows)
}

/// What fixed a task's or milestone's start, as `plan schedule --format json` spells it
/// (`kind` is `link`, `constraint`, `status_date`, `calendar` or `capacity`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskDriver {
    /// A link from a predecessor gives exactly the start.
    Link {
        /// The predecessor's id.
        predecessor: String,
        /// The link's type (`FS`, `SS`, `FF`, `SF`).
        link_type: LinkType,
        /// The link's lag in working days (rounded up as the scheduler counts it).
        lag: i32,
    },
    /// A date before which it may not start, and nothing later binds.
    Constraint {
        /// The constraint's working day.
        day: u32,
        /// Its date.
        #[serde(serialize_with = "date_text")]
        date: Date,
    },
    /// Nothing binds: it starts on the status date.
    StatusDate,
    /// Its link, the status date or a date constraint (`deferred`) allowed an earlier start,
    /// on `from`, but the task's calendar (its own or the project's, and its roles') works
    /// none of the days from `from` to its start: it starts on its next working day.
    Calendar {
        /// What allowed the earlier start: a `link`, `status_date` or `constraint` driver.
        deferred: Box<TaskDriver>,
        /// The first day it could have started but for its calendar.
        #[serde(serialize_with = "date_text")]
        from: Date,
    },
    /// A role had fewer people free on the day before the start than the task needs.
    Capacity {
        /// The role's id.
        role: String,
        /// People of the role free on `day` (left by the holders).
        free: f64,
        /// People the task needs.
        demand: f64,
        /// The day before the start, the last day it could not start.
        #[serde(serialize_with = "date_text")]
        day: Date,
        /// The tasks holding the role that day.
        holders: Vec<String>,
        /// The holder whose finish let it start; absent when people joined the role that
        /// day (a hire) instead.
        freed_by: Option<String>,
    },
}

impl TaskDriver {
    /// The `kind` as JSON spells it.
    pub fn kind(&self) -> &'static str {
        match self {
            TaskDriver::Link { .. } => "link",
            TaskDriver::Constraint { .. } => "constraint",
            TaskDriver::StatusDate => "status_date",
            TaskDriver::Calendar { .. } => "calendar",
            TaskDriver::Capacity { .. } => "capacity",
        }
    }
}

/// The drivers of a schedule of `pp` in the model's terms, one per graph node (tasks, then
/// milestones).
pub fn task_drivers(
    pp: &ProgramProblem,
    drivers: &[Driver],
    cal: &mut WorkCalendar,
) -> Vec<TaskDriver> {
    let id = |j: usize| pp.graph.ids.get(j).cloned().unwrap_or_default();
    let people = |units: f64| units / f64::from(UNITS_PER_PERSON);
    let status = status_day(pp);
    let word = |driver: &Driver, cal: &mut WorkCalendar| match driver {
        Driver::Link { pred, kind, lag } => TaskDriver::Link {
            predecessor: id(*pred),
            link_type: *kind,
            lag: *lag,
        },
        Driver::Release { day } if *day == status => TaskDriver::StatusDate,
        Driver::Release { day } => TaskDriver::Constraint {
            day: *day,
            date: cal.start_date(f64::from(*day)),
        },
        Driver::Capacity(wait) => TaskDriver::Capacity {
            role: pp
                .problem
                .resources
                .get(wait.resource)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            free: people(wait.free as f64),
            demand: people(f64::from(wait.demand)),
            day: cal.start_date(f64::from(wait.day)),
            holders: wait.holders.iter().map(|&h| id(h)).collect(),
            freed_by: wait.freed_by.map(id),
        },
        // Recorded only over a link or a release: the words of those, one level deep.
        Driver::Calendar { .. } => TaskDriver::StatusDate,
    };
    drivers
        .iter()
        .take(pp.nodes)
        .map(|driver| match driver {
            Driver::Calendar { day, deferred } => TaskDriver::Calendar {
                deferred: Box::new(word(deferred, cal)),
                from: cal.start_date(f64::from(*day)),
            },
            other => word(other, cal),
        })
        .collect()
}

/// The driving chain of node `node` as node indices, from the first task (driven by the
/// status date, a constraint or a capacity step) to `node`: the resource-aware critical path
/// of this schedule.
pub fn chain_to(drivers: &[Driver], node: usize) -> Vec<usize> {
    let mut chain = driving_chain(drivers, node);
    chain.reverse();
    chain
}

/// The days each step of a chain (in order, from the first task) costs: the first step from the
/// status date to its finish, every later one from the previous step's finish to its own. The
/// steps add up to the last one's finish.
pub fn step_days(pp: &ProgramProblem, schedule: &Schedule, chain: &[usize]) -> Vec<i64> {
    let finish = |j: usize| i64::from(pp.finish_of(schedule, j).unwrap_or(0));
    let mut previous = i64::from(status_day(pp));
    chain
        .iter()
        .map(|&j| {
            let days = finish(j) - previous;
            previous = finish(j);
            days
        })
        .collect()
}

/// A date as `YYYY-MM-DD`, as `timeline::serialize_date` writes it (the timeline imports this
/// file, so it cannot be imported from there).
fn date_text<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}
