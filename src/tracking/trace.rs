//! Each milestone whose scheduled date moved, traced to the model changes that moved it
//! along the new schedule's driving chain ([`crate::drivers`]); without a team on both sides,
//! each milestone whose CPM date moved, along the new CPM pass's chain of driving links (the
//! predecessor whose link gives exactly each start).
//!
//! The chain runs from the status date through the tasks whose finish fixed the next one's
//! start to the milestone. Each step costs the working days from the previous step's finish
//! to its own: the wait before it starts (a link's lag, a capacity wait) and its own working
//! days. The same steps are measured on the old schedule (an item the old version does not
//! have costs nothing there), so the steps' differences, plus the status date's move, add up
//! to the milestone's move exactly. Each difference is put on the changes of that step's item:
//! its own working days on its estimate, crew or progress (or on a change of the team of its
//! crew's roles when it has none), its wait on its links (or, when a role's capacity held it,
//! on a change of that role's team). What no change on the chain explains is left as
//! `unexplained`: the search settling differently, or changes elsewhere competing for people.
//! Days are counted on the new model's project calendar.

use super::answers::{Answers, Placed};
use super::changes::Change;
use crate::calendar::WorkCalendar;
use crate::drivers::TaskDriver;
use crate::timeline::serialize_date;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;

/// Which part of a step a cause moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CausePart {
    /// The status date moved: every step starts from it.
    StatusDate,
    /// The item is new on the chain: its whole step.
    Added,
    /// The item's own working days.
    Duration,
    /// The wait before the item starts (a link, its lag, a capacity wait).
    Wait,
}

/// Model changes on the driving chain and the working days they moved the milestone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    /// The task or milestone on the chain the changes are about (`null` for the status date).
    pub id: Option<String>,
    /// The part of its step they moved.
    pub part: CausePart,
    /// The changes, as in the diff's `changes`.
    pub changes: Vec<Change>,
    /// Working days they moved the milestone (negative: earlier).
    pub days: i64,
}

/// Which date of a milestone a trace follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TracedDate {
    /// The team's checked schedule (a team on both sides).
    Scheduled,
    /// The critical path with unlimited people (no team on a side).
    Cpm,
}

/// Why a milestone's scheduled (or, without a team, CPM) date moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// The date traced.
    pub date: TracedDate,
    /// It before.
    #[serde(serialize_with = "serialize_date")]
    pub before: Date,
    /// It after.
    #[serde(serialize_with = "serialize_date")]
    pub after: Date,
    /// The new driving chain of the milestone (the schedule's, or the CPM pass's), from the
    /// first task to it.
    pub chain: Vec<String>,
    /// Working days the date moved (negative: earlier).
    pub moved: i64,
    /// The changes on the chain that moved it, in chain order (the status date first).
    pub causes: Vec<Cause>,
    /// Working days of the move no change on the chain explains.
    pub unexplained: i64,
}

/// An item's step in working-day time on one calendar: its finish, and its own working days.
#[derive(Clone, Copy)]
struct Span {
    end: i64,
    days: i64,
}

fn span(cal: &mut WorkCalendar, p: &Placed) -> Span {
    let end = cal.deadline(p.finish);
    let days = if p.works {
        // Working days up to its finish, less those before its start.
        end - before(cal, p.start)
    } else {
        0
    };
    Span { end, days }
}

/// Working days before `date`: the working-day time a step starting on it starts at.
fn before(cal: &mut WorkCalendar, date: Date) -> i64 {
    date.yesterday().map_or(0, |d| cal.deadline(d))
}

/// The changes of one item that move a part of its step.
fn own_changes<'a>(changes: &'a [Change], id: &str, part: CausePart) -> Vec<&'a Change> {
    changes
        .iter()
        .filter(|c| c.subject() == Some(id))
        .filter(|c| match part {
            CausePart::Duration => matches!(c, Change::Work { .. } | Change::Done { .. }),
            CausePart::Wait => matches!(c, Change::Links { .. }),
            CausePart::Added => {
                matches!(c, Change::TaskAdded { .. } | Change::MilestoneAdded { .. })
            }
            CausePart::StatusDate => false,
        })
        .collect()
}

/// Changes of the team of these roles (head counts; hires, leaves, part-timers and absences
/// name no role in the diff, so any of them counts).
fn team_changes<'a>(changes: &'a [Change], roles: &[&str]) -> Vec<&'a Change> {
    changes
        .iter()
        .filter(|c| match c {
            Change::Team { role, .. } => roles.contains(&role.as_str()),
            Change::Staffing { .. } => true,
            _ => false,
        })
        .collect()
}

fn cause(id: &str, part: CausePart, changes: Vec<&Change>, days: i64) -> Option<Cause> {
    (!changes.is_empty()).then(|| Cause {
        id: Some(id.to_string()),
        part,
        changes: changes.into_iter().cloned().collect(),
        days,
    })
}

/// The causes of one step's difference: `step` is its working days new minus old, `days` its
/// own working days new minus old.
fn step_causes(changes: &[Change], p: &Placed, step: i64, days: i64) -> Vec<Cause> {
    let roles: Vec<&str> = p.crew_roles.iter().map(String::as_str).collect();
    let mut own = own_changes(changes, &p.id, CausePart::Duration);
    if own.is_empty() && days != 0 {
        own = team_changes(changes, &roles);
    }
    let mut wait = own_changes(changes, &p.id, CausePart::Wait);
    if let TaskDriver::Capacity { role, .. } = &p.driver {
        if wait.is_empty() {
            wait = team_changes(changes, &[role.as_str()]);
        }
    }
    [
        cause(&p.id, CausePart::Duration, own, days),
        cause(&p.id, CausePart::Wait, wait, step - days),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Why milestone `id`'s date moved from `old` to `new`, along `new`'s driving chain: the
/// scheduled date with a team on both sides, else the CPM date; `None` when the date did not
/// move or has no chain (the CPM pass of a model with role and task calendars). `cal` is the
/// new model's project calendar.
pub fn trace(
    cal: &mut WorkCalendar,
    changes: &[Change],
    old: &Answers,
    new: &Answers,
    id: &str,
) -> Option<Trace> {
    let (date, old_placed, new_placed) = if old.placed.is_empty() || new.placed.is_empty() {
        (TracedDate::Cpm, &old.cpm_placed, &new.cpm_placed)
    } else {
        (TracedDate::Scheduled, &old.placed, &new.placed)
    };
    let new_items: HashMap<&str, &Placed> = new_placed.iter().map(|p| (p.id.as_str(), p)).collect();
    let old_items: HashMap<&str, &Placed> = old_placed.iter().map(|p| (p.id.as_str(), p)).collect();
    let (before_m, after_m) = (*old_items.get(id)?, *new_items.get(id)?);
    if before_m.finish == after_m.finish || after_m.chain.is_empty() {
        return None;
    }
    let (new_status, old_status) = (before(cal, new.status_date), before(cal, old.status_date));
    let mut causes: Vec<Cause> = changes
        .iter()
        .filter(|c| matches!(c, Change::StatusDate { .. }))
        .map(|c| Cause {
            id: None,
            part: CausePart::StatusDate,
            changes: vec![c.clone()],
            days: new_status - old_status,
        })
        .collect();
    let (mut new_end, mut old_end) = (new_status, old_status);
    for item in &after_m.chain {
        let Some(p) = new_items.get(item.as_str()) else {
            continue;
        };
        let now = span(cal, p);
        let step = now.end - new_end;
        new_end = now.end;
        match old_items.get(item.as_str()) {
            Some(o) => {
                let then = span(cal, o);
                let step_then = then.end - old_end;
                old_end = then.end;
                causes.extend(step_causes(
                    changes,
                    p,
                    step - step_then,
                    now.days - then.days,
                ));
            }
            // New on the chain: its whole step is new (the old chain went straight on).
            None => causes.extend(cause(
                item,
                CausePart::Added,
                own_changes(changes, item, CausePart::Added),
                step,
            )),
        }
    }
    let moved = cal.deadline(after_m.finish) - cal.deadline(before_m.finish);
    let traced: i64 = causes.iter().map(|c| c.days).sum();
    Some(Trace {
        date,
        before: before_m.finish,
        after: after_m.finish,
        chain: after_m.chain.clone(),
        moved,
        causes,
        unexplained: moved - traced,
    })
}
