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
use crate::calendar::{Calendar, WorkCalendar};
use crate::drivers::TaskDriver;
use crate::model::Model;
use crate::timeline::serialize_date;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
    /// Working days they moved the milestone (negative: earlier); `null` where they cannot be
    /// told apart from the search's choice of another crew for the task (`crew`), whose days
    /// then count as unexplained.
    pub days: Option<i64>,
    /// The task's crew before and after, when the search gave it another one.
    pub crew: Option<CrewChange>,
    /// With another crew the changes do not explain (`crew`): the working days the other
    /// crew moved the task's own days, counted as unexplained (`days` is then what the
    /// changes moved the task run by its old crew); `null` otherwise.
    pub crew_days: Option<i64>,
}

/// A task's crew in the old and the new schedule, when the search gave it another one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrewChange {
    /// People per role id before.
    pub before: BTreeMap<String, u32>,
    /// People per role id after.
    pub after: BTreeMap<String, u32>,
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
    /// True when the new model has role or task calendars (a task's own days are then among
    /// what can leave days unexplained); not serialized.
    #[serde(skip)]
    pub own_calendars: bool,
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
            CausePart::Duration => {
                matches!(
                    c,
                    Change::Work { .. } | Change::Done { .. } | Change::TaskCalendar { .. }
                ) || matches!(c, Change::Actual { part, .. } if part == "actual_finish")
            }
            CausePart::Wait => {
                matches!(c, Change::Links { .. } | Change::Constraint { .. })
                    || matches!(c, Change::Actual { part, .. } if part == "actual_start")
            }
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

/// What a task works on: the roles its work names and the calendars its days come from
/// (`None`: the project calendar, on which every step is counted).
#[derive(Debug, Clone, Default)]
pub struct Uses {
    /// Role ids.
    pub roles: Vec<String>,
    /// Calendar ids, `None` for the project calendar.
    pub calendars: Vec<Option<String>>,
}

/// What each task of `model` works on, by id.
pub fn uses(model: &Model) -> HashMap<String, Uses> {
    model
        .tasks
        .iter()
        .map(|t| {
            let roles: Vec<String> = Model::task_roles(t)
                .into_iter()
                .filter_map(|r| model.roles.get(r).map(|x| x.id.clone()))
                .collect();
            let mut calendars = vec![None, t.calendar.as_ref().map(|c| c.id.clone())];
            for r in Model::task_roles(t) {
                if let Some(c) = model.roles.get(r).and_then(|x| x.calendar.as_ref()) {
                    calendars.push(Some(c.id.clone()));
                }
            }
            calendars.dedup();
            (t.id.clone(), Uses { roles, calendars })
        })
        .collect()
}

/// Changes of the calendars an item works on: the calendars themselves, its roles' choice of
/// calendar, and its own.
fn calendar_changes<'a>(changes: &'a [Change], id: &str, uses: &Uses) -> Vec<&'a Change> {
    changes
        .iter()
        .filter(|c| match c {
            Change::Calendar { id: cal, .. } => uses.calendars.contains(cal),
            Change::RoleCalendar { role, .. } => uses.roles.contains(role),
            Change::TaskCalendar { id: task, .. } => task == id,
            _ => false,
        })
        .collect()
}

fn cause(id: &str, part: CausePart, changes: Vec<&Change>, days: i64) -> Option<Cause> {
    (!changes.is_empty()).then(|| Cause {
        id: Some(id.to_string()),
        part,
        changes: changes.into_iter().cloned().collect(),
        days: Some(days),
        crew: None,
        crew_days: None,
    })
}

/// Working days of `cal` (the project calendar) from `start` to the day a task that works
/// on `work` finishes `days` of its own working days started then.
fn counted(cal: &mut WorkCalendar, work: &Calendar, start: Date, days: u32) -> Option<i64> {
    if days == 0 {
        return Some(0);
    }
    let (mut date, mut left) = (start, days);
    // A calendar has working days (the model checks it); the bound is for safety.
    for _ in 0..crate::model::MAX_DAYS as usize * 8 {
        if work.is_workday(date) {
            left -= 1;
            if left == 0 {
                return Some(cal.deadline(date) - before(cal, start));
            }
        }
        date = date.tomorrow().ok()?;
    }
    None
}

/// The causes of one step's difference: `step` is its working days new minus old, `days` its
/// own working days new minus old; `old` is the item in the old schedule, `uses` what it
/// works on.
fn step_causes(
    cal: &mut WorkCalendar,
    changes: &[Change],
    (p, old): (&Placed, &Placed),
    uses: &Uses,
    step: i64,
    days: i64,
) -> Vec<Cause> {
    let roles: Vec<&str> = p
        .crew
        .keys()
        .chain(old.crew.keys())
        .map(String::as_str)
        .collect();
    let mut own = own_changes(changes, &p.id, CausePart::Duration);
    let team = team_changes(changes, &roles);
    // Another crew changes a task's days whatever its estimate or progress did: the days are
    // the changes' only when the crew stayed, or when a team change is among them.
    let crew = (p.crew != old.crew).then(|| CrewChange {
        before: old.crew.clone(),
        after: p.crew.clone(),
    });
    if own.is_empty() && days != 0 {
        own = team;
        own.extend(calendar_changes(changes, &p.id, uses));
    } else if crew.is_some() {
        own.extend(team);
    }
    let explained = crew.is_none()
        || own
            .iter()
            .any(|c| matches!(c, Change::Team { .. } | Change::Staffing { .. }));
    // With another crew, the changes' own days are those of the task run by its old crew,
    // now against then; the rest of its days are the crew's, unexplained.
    // On a model with calendars a crew's days are the task's own, placed from its start and
    // counted on the project calendar as every step is.
    let mut with_old_crew = || {
        let (now, then) = (p.days_with(&old.crew)?, old.days_with(&old.crew)?);
        match (&p.work_days, &old.work_days) {
            (Some(n), Some(o)) => {
                Some(counted(cal, n, p.start, now)? - counted(cal, o, old.start, then)?)
            }
            _ => Some(i64::from(now) - i64::from(then)),
        }
    };
    let duration = cause(&p.id, CausePart::Duration, own, days).map(|c| {
        let own_days = if explained { c.days } else { with_old_crew() };
        Cause {
            days: own_days,
            crew_days: crew
                .as_ref()
                .filter(|_| !explained)
                .and_then(|_| Some(days - own_days?)),
            crew: crew.clone(),
            ..c
        }
    });
    let mut wait = own_changes(changes, &p.id, CausePart::Wait);
    if let TaskDriver::Capacity { role, .. } = &p.driver {
        if wait.is_empty() {
            wait = team_changes(changes, &[role.as_str()]);
        }
    }
    if wait.is_empty() && step != days {
        wait = calendar_changes(changes, &p.id, uses);
    }
    [duration, cause(&p.id, CausePart::Wait, wait, step - days)]
        .into_iter()
        .flatten()
        .collect()
}

/// Why milestone `id`'s date moved from `old` to `new`, along `new`'s driving chain: the
/// scheduled date with a team on both sides, else the CPM date; `None` when the date did not
/// move or has no chain. `cal` is the new model's project calendar.
pub fn trace(
    cal: &mut WorkCalendar,
    changes: &[Change],
    (old, new): (&Answers, &Answers),
    uses: &HashMap<String, Uses>,
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
            days: Some(new_status - old_status),
            crew: None,
            crew_days: None,
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
                let none = Uses {
                    roles: Vec::new(),
                    calendars: vec![None],
                };
                causes.extend(step_causes(
                    cal,
                    changes,
                    (p, o),
                    uses.get(item).unwrap_or(&none),
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
    let traced: i64 = causes.iter().filter_map(|c| c.days).sum();
    Some(Trace {
        date,
        before: before_m.finish,
        after: after_m.finish,
        chain: after_m.chain.clone(),
        moved,
        causes,
        unexplained: moved - traced,
        own_calendars: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn placed(crew: u32, days: i8) -> Placed {
        Placed {
            id: "T".into(),
            start: date(2025, 9, 15),
            finish: date(2025, 9, 15 + days),
            works: true,
            driver: TaskDriver::StatusDate,
            crew: BTreeMap::from([("dev".to_string(), crew)]),
            chain: Vec::new(),
            crew_days: Vec::new(),
            work_days: None,
        }
    }

    fn causes(changes: &[Change], now: &Placed, then: &Placed, step: i64, days: i64) -> Vec<Cause> {
        let mut cal = WorkCalendar::new(Calendar::default(), date(2025, 9, 15));
        step_causes(&mut cal, changes, (now, then), &Uses::default(), step, days)
    }

    /// `p` able to run with 1 or 2 developers, taking these days.
    fn with_crews(p: Placed, one: u32, two: u32) -> Placed {
        let dev = |n| BTreeMap::from([("dev".to_string(), n)]);
        Placed {
            crew_days: vec![(dev(1), one), (dev(2), two)],
            ..p
        }
    }

    fn progress() -> Change {
        Change::Done {
            id: "T".into(),
            before: 0.0,
            after: 0.5,
        }
    }

    #[test]
    fn progress_gets_the_days_only_when_the_crew_stayed() {
        let same = causes(&[progress()], &placed(2, 1), &placed(2, 3), -2, -2);
        assert_eq!(same.len(), 1);
        assert_eq!((same[0].days, same[0].crew.is_none()), (Some(-2), true));
        let other = causes(&[progress()], &placed(1, 3), &placed(2, 3), 0, 0);
        assert_eq!(other[0].days, None, "{other:?}");
        let crew = other[0].crew.as_ref().unwrap();
        assert_eq!((crew.before["dev"], crew.after["dev"]), (2, 1));
        // A smaller team explains the smaller crew: the days are the changes'.
        let team = Change::Team {
            role: "dev".into(),
            before: 2,
            after: 1,
        };
        let fewer = causes(&[progress(), team], &placed(1, 3), &placed(2, 3), 2, 2);
        assert_eq!(fewer[0].days, Some(2));
        assert_eq!(fewer[0].changes.len(), 2);
    }

    #[test]
    fn with_another_crew_progress_gets_the_days_its_old_crew_saved() {
        // Half done, the task would take 2 days with its old 2 developers instead of 4; the
        // search gave it 1 developer, who takes 4: its days stay, 2 saved, 2 lost to the crew.
        let now = with_crews(placed(1, 4), 4, 2);
        let then = with_crews(placed(2, 4), 8, 4);
        let c = causes(&[progress()], &now, &then, 0, 0);
        assert_eq!((c[0].days, c[0].crew_days), (Some(-2), Some(2)), "{c:?}");
        assert!(c[0].crew.is_some());
    }
}
