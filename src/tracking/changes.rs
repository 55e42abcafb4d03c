//! What changed between two versions of a model (and of its team): tasks and milestones
//! added, removed or renamed, estimates, links, progress, due dates, the status date, risks
//! and the team. Items are matched by id.

use crate::calendar::Calendar;
use crate::model::{DateConstraint, Dependency, Estimate, LinkType, Model, Scenario, Task, Work};
use crate::timeline::serialize_date;
use crate::timeline::serialize_opt_date;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An amount of work or people, as a change shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Amount {
    /// A three-point estimate in working days or person-days.
    Estimate {
        /// Optimistic.
        optimistic: f64,
        /// Most likely.
        likely: f64,
        /// Pessimistic.
        pessimistic: f64,
    },
    /// A head count.
    People(u32),
    /// Working days (a task's `remaining`).
    Days(f64),
    /// Fewest and most people at once.
    Crew {
        /// Fewest.
        min: u32,
        /// Most.
        max: u32,
    },
}

impl From<Estimate> for Amount {
    fn from(e: Estimate) -> Self {
        Amount::Estimate {
            optimistic: e.optimistic,
            likely: e.likely,
            pessimistic: e.pessimistic,
        }
    }
}

/// One change between two versions of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The status date (`project.status_date`, else `project.start`) moved.
    StatusDate {
        /// Before.
        #[serde(serialize_with = "serialize_date")]
        before: Date,
        /// After.
        #[serde(serialize_with = "serialize_date")]
        after: Date,
    },
    /// A task that is new.
    TaskAdded {
        /// Task id.
        id: String,
        /// Its name.
        name: String,
    },
    /// A task that is gone.
    TaskRemoved {
        /// Task id.
        id: String,
        /// Its name.
        name: String,
    },
    /// A task or milestone whose name changed (same id).
    Renamed {
        /// Id.
        id: String,
        /// Name before.
        before: String,
        /// Name after.
        after: String,
    },
    /// A part of a task's work changed: `part` is `duration`, `demand.ROLE`, `effort.ROLE`
    /// or `crew.ROLE`; `null` means the part is absent on that side.
    Work {
        /// Task id.
        id: String,
        /// Which part.
        part: String,
        /// Before.
        before: Option<Amount>,
        /// After.
        after: Option<Amount>,
    },
    /// A task's or milestone's predecessors changed.
    Links {
        /// Task or milestone id.
        id: String,
        /// Predecessors now that were not before.
        added: Vec<String>,
        /// Predecessors before that are not now.
        removed: Vec<String>,
        /// Predecessors whose lag changed: (id, before, after).
        lags: Vec<(String, f64, f64)>,
        /// Predecessors whose link type changed: (id, before, after), e.g. `["A", "FS", "SS"]`.
        types: Vec<(String, LinkType, LinkType)>,
    },
    /// A task's fraction done changed.
    Done {
        /// Task id.
        id: String,
        /// Before, 0..=1.
        before: f64,
        /// After, 0..=1.
        after: f64,
    },
    /// A task's reported `actual_effort` changed.
    ActualEffort {
        /// Task id.
        id: String,
        /// Person-days spent before (`null`: not reported).
        before: Option<f64>,
        /// Person-days spent after.
        after: Option<f64>,
    },
    /// A phase's reported progress changed.
    PhaseProgress {
        /// Phase id.
        id: String,
        /// Before.
        before: Option<f64>,
        /// After.
        after: Option<f64>,
    },
    /// A milestone that is new.
    MilestoneAdded {
        /// Milestone id.
        id: String,
        /// Its name.
        name: String,
    },
    /// A milestone that is gone.
    MilestoneRemoved {
        /// Milestone id.
        id: String,
        /// Its name.
        name: String,
    },
    /// A milestone's due date changed.
    Due {
        /// Milestone id.
        id: String,
        /// Before.
        #[serde(serialize_with = "serialize_opt_date")]
        before: Option<Date>,
        /// After.
        #[serde(serialize_with = "serialize_opt_date")]
        after: Option<Date>,
    },
    /// A risk added, removed, or with a new probability or delay.
    Risk {
        /// Risk id.
        id: String,
        /// Probability before (`null`: absent).
        before: Option<f64>,
        /// Probability after (`null`: absent).
        after: Option<f64>,
        /// Delay before.
        delay_before: Option<Amount>,
        /// Delay after.
        delay_after: Option<Amount>,
        /// Tasks it now delays that it did not.
        tasks_added: Vec<String>,
        /// Tasks it delayed that it no longer does.
        tasks_removed: Vec<String>,
    },
    /// The team's head count of a role changed.
    Team {
        /// Role id.
        role: String,
        /// Before.
        before: u32,
        /// After.
        after: u32,
    },
    /// A task's or milestone's date constraint (`start_no_earlier`, `must_finish_on`, ...)
    /// set, removed or changed.
    Constraint {
        /// Task or milestone id.
        id: String,
        /// Before (`null`: none).
        before: Option<ConstraintValue>,
        /// After.
        after: Option<ConstraintValue>,
    },
    /// A task's or milestone's `deadline` set, removed or moved (it never moves a date).
    Deadline {
        /// Task or milestone id.
        id: String,
        /// Before.
        #[serde(serialize_with = "serialize_opt_date")]
        before: Option<Date>,
        /// After.
        #[serde(serialize_with = "serialize_opt_date")]
        after: Option<Date>,
    },
    /// A task's `actual_start` or `actual_finish` recorded, removed or moved.
    Actual {
        /// Task id.
        id: String,
        /// `actual_start` or `actual_finish`.
        part: String,
        /// Before.
        #[serde(serialize_with = "serialize_opt_date")]
        before: Option<Date>,
        /// After.
        #[serde(serialize_with = "serialize_opt_date")]
        after: Option<Date>,
    },
    /// The working days of the project calendar (`[calendar]`, `id` `null`) or of a named
    /// one (`[calendars.ID]`) changed, or a named one was added or removed.
    Calendar {
        /// The named calendar's id; `null` for the project calendar.
        id: Option<String>,
        /// Worked weekdays before (`Mon`...); `null`: the calendar is not there.
        workdays_before: Option<Vec<String>>,
        /// Worked weekdays after; `null`: the calendar is not there.
        workdays_after: Option<Vec<String>>,
        /// Holidays now that were not before.
        holidays_added: Vec<String>,
        /// Holidays before that are not now.
        holidays_removed: Vec<String>,
        /// Extra working days now that were not before.
        extra_workdays_added: Vec<String>,
        /// Extra working days before that are not now.
        extra_workdays_removed: Vec<String>,
    },
    /// The calendar a task names (`calendar = "ID"`) changed; `null` is the project's.
    TaskCalendar {
        /// Task id.
        id: String,
        /// Before.
        before: Option<String>,
        /// After.
        after: Option<String>,
    },
    /// The calendar a role names changed; `null` is the project's.
    RoleCalendar {
        /// Role id.
        role: String,
        /// Before.
        before: Option<String>,
        /// After.
        after: Option<String>,
    },
    /// A role that is new (its tasks' work names it).
    RoleAdded {
        /// Role id.
        role: String,
        /// Its name.
        name: String,
    },
    /// A role that is gone.
    RoleRemoved {
        /// Role id.
        role: String,
        /// Its name.
        name: String,
    },
    /// A role's cost per person-day changed (it moves no date).
    RoleCost {
        /// Role id.
        role: String,
        /// Before.
        before: Option<f64>,
        /// After.
        after: Option<f64>,
    },
    /// The scenario's hires or leaves changed (summarised as counts).
    Staffing {
        /// `hires` or `leaves`.
        what: String,
        /// Entries before.
        before: usize,
        /// Entries after.
        after: usize,
    },
}

/// A date constraint as a change shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstraintValue {
    /// Its model key (`start_no_earlier`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Its date.
    #[serde(serialize_with = "serialize_date")]
    pub date: Date,
}

impl From<&DateConstraint> for ConstraintValue {
    fn from(c: &DateConstraint) -> Self {
        ConstraintValue {
            kind: c.kind.key().to_string(),
            date: c.date,
        }
    }
}

impl Change {
    /// The id of the task, milestone, phase, risk, role or calendar the change is about
    /// (`None` for the status date, the team's staffing and the project calendar).
    pub fn subject(&self) -> Option<&str> {
        match self {
            Change::StatusDate { .. } | Change::Staffing { .. } => None,
            Change::Calendar { id, .. } => id.as_deref(),
            Change::Constraint { id, .. }
            | Change::Deadline { id, .. }
            | Change::Actual { id, .. }
            | Change::TaskCalendar { id, .. } => Some(id),
            Change::RoleCalendar { role, .. }
            | Change::RoleAdded { role, .. }
            | Change::RoleRemoved { role, .. }
            | Change::RoleCost { role, .. } => Some(role),
            Change::TaskAdded { id, .. }
            | Change::TaskRemoved { id, .. }
            | Change::Renamed { id, .. }
            | Change::Work { id, .. }
            | Change::Links { id, .. }
            | Change::Done { id, .. }
            | Change::ActualEffort { id, .. }
            | Change::PhaseProgress { id, .. }
            | Change::MilestoneAdded { id, .. }
            | Change::MilestoneRemoved { id, .. }
            | Change::Due { id, .. }
            | Change::Risk { id, .. } => Some(id),
            Change::Team { role, .. } => Some(role),
        }
    }
}

/// The parts of a task's work by name, each with its amount.
fn work_parts(model: &Model, task: &Task) -> BTreeMap<String, Amount> {
    let role = |r: usize| {
        model
            .roles
            .get(r)
            .map_or("?", |x| x.id.as_str())
            .to_string()
    };
    let mut parts = BTreeMap::new();
    if let Some(r) = task.remaining {
        parts.insert("remaining".to_string(), Amount::Days(r));
    }
    match &task.work {
        Work::Fixed { duration, demand } => {
            parts.insert("duration".to_string(), Amount::from(*duration));
            for &(r, n) in demand {
                parts.insert(format!("demand.{}", role(r)), Amount::People(n));
            }
        }
        Work::Effort(efforts) => {
            for e in efforts {
                parts.insert(format!("effort.{}", role(e.role)), Amount::from(e.effort));
                let (min, max) = e.crew;
                parts.insert(format!("crew.{}", role(e.role)), Amount::Crew { min, max });
            }
        }
    }
    parts
}

fn work_changes(old: &Model, o: &Task, new: &Model, n: &Task, out: &mut Vec<Change>) {
    let (before, after) = (work_parts(old, o), work_parts(new, n));
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for part in names {
        let (b, a) = (before.get(part), after.get(part));
        if b != a {
            out.push(Change::Work {
                id: n.id.clone(),
                part: part.clone(),
                before: b.cloned(),
                after: a.cloned(),
            });
        }
    }
}

fn link_changes(id: &str, old: &[Dependency], new: &[Dependency]) -> Option<Change> {
    let lag = |deps: &[Dependency]| -> BTreeMap<String, f64> {
        deps.iter().map(|d| (d.id.clone(), d.lag)).collect()
    };
    let (before, after) = (lag(old), lag(new));
    let added: Vec<String> = after
        .keys()
        .filter(|k| !before.contains_key(*k))
        .cloned()
        .collect();
    let removed: Vec<String> = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    let lags: Vec<(String, f64, f64)> = after
        .iter()
        .filter_map(|(k, &a)| match before.get(k) {
            Some(&b) if b != a => Some((k.clone(), b, a)),
            _ => None,
        })
        .collect();
    let kind = |deps: &[Dependency]| -> BTreeMap<String, LinkType> {
        deps.iter().map(|d| (d.id.clone(), d.kind)).collect()
    };
    let (kinds_before, kinds_after) = (kind(old), kind(new));
    let types: Vec<(String, LinkType, LinkType)> = kinds_after
        .iter()
        .filter_map(|(k, &a)| match kinds_before.get(k) {
            Some(&b) if b != a => Some((k.clone(), b, a)),
            _ => None,
        })
        .collect();
    (!added.is_empty() || !removed.is_empty() || !lags.is_empty() || !types.is_empty()).then(|| {
        Change::Links {
            id: id.to_string(),
            added,
            removed,
            lags,
            types,
        }
    })
}

fn task_changes(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let before: BTreeMap<&str, &Task> = old.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let now: BTreeSet<&str> = new.tasks.iter().map(|t| t.id.as_str()).collect();
    for t in &old.tasks {
        if !now.contains(t.id.as_str()) {
            out.push(Change::TaskRemoved {
                id: t.id.clone(),
                name: t.name.clone(),
            });
        }
    }
    for n in &new.tasks {
        let Some(o) = before.get(n.id.as_str()) else {
            out.push(Change::TaskAdded {
                id: n.id.clone(),
                name: n.name.clone(),
            });
            continue;
        };
        if o.name != n.name {
            out.push(Change::Renamed {
                id: n.id.clone(),
                before: o.name.clone(),
                after: n.name.clone(),
            });
        }
        work_changes(old, o, new, n, out);
        out.extend(link_changes(&n.id, &o.after, &n.after));
        if o.done != n.done {
            out.push(Change::Done {
                id: n.id.clone(),
                before: o.done,
                after: n.done,
            });
        }
        if o.actual_effort != n.actual_effort {
            out.push(Change::ActualEffort {
                id: n.id.clone(),
                before: o.actual_effort,
                after: n.actual_effort,
            });
        }
        for (part, b, a) in [
            ("actual_start", &o.actual_start, &n.actual_start),
            ("actual_finish", &o.actual_finish, &n.actual_finish),
        ] {
            let (b, a) = (b.as_ref().map(|d| d.date), a.as_ref().map(|d| d.date));
            if b != a {
                out.push(Change::Actual {
                    id: n.id.clone(),
                    part: part.to_string(),
                    before: b,
                    after: a,
                });
            }
        }
        let cal = |t: &Task| t.calendar.as_ref().map(|c| c.id.clone());
        if cal(o) != cal(n) {
            out.push(Change::TaskCalendar {
                id: n.id.clone(),
                before: cal(o),
                after: cal(n),
            });
        }
        dated_changes(
            &n.id,
            (&o.constraint, &o.deadline),
            (&n.constraint, &n.deadline),
            out,
        );
    }
}

/// A task's or milestone's constraint and deadline changes.
fn dated_changes(
    id: &str,
    old: (&Option<DateConstraint>, &Option<crate::model::Deadline>),
    new: (&Option<DateConstraint>, &Option<crate::model::Deadline>),
    out: &mut Vec<Change>,
) {
    let (before, after) = (
        old.0.as_ref().map(ConstraintValue::from),
        new.0.as_ref().map(ConstraintValue::from),
    );
    if before != after {
        out.push(Change::Constraint {
            id: id.to_string(),
            before,
            after,
        });
    }
    let (before, after) = (
        old.1.as_ref().map(|d| d.date),
        new.1.as_ref().map(|d| d.date),
    );
    if before != after {
        out.push(Change::Deadline {
            id: id.to_string(),
            before,
            after,
        });
    }
}

fn milestone_changes(old: &Model, new: &Model, out: &mut Vec<Change>) {
    for o in &old.milestones {
        if !new.milestones.iter().any(|n| n.id == o.id) {
            out.push(Change::MilestoneRemoved {
                id: o.id.clone(),
                name: o.name.clone(),
            });
        }
    }
    for n in &new.milestones {
        let Some(o) = old.milestones.iter().find(|o| o.id == n.id) else {
            out.push(Change::MilestoneAdded {
                id: n.id.clone(),
                name: n.name.clone(),
            });
            continue;
        };
        if o.name != n.name {
            out.push(Change::Renamed {
                id: n.id.clone(),
                before: o.name.clone(),
                after: n.name.clone(),
            });
        }
        if o.due != n.due {
            out.push(Change::Due {
                id: n.id.clone(),
                before: o.due,
                after: n.due,
            });
        }
        out.extend(link_changes(&n.id, &o.after, &n.after));
        dated_changes(
            &n.id,
            (&o.constraint, &o.deadline),
            (&n.constraint, &n.deadline),
            out,
        );
    }
}

fn phase_changes(old: &Model, new: &Model, out: &mut Vec<Change>) {
    for n in &new.phases {
        let before = old
            .phases
            .iter()
            .find(|o| o.id == n.id)
            .and_then(|o| o.progress);
        if before != n.progress {
            out.push(Change::PhaseProgress {
                id: n.id.clone(),
                before,
                after: n.progress,
            });
        }
    }
}

fn risk_changes(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let ids: BTreeSet<&str> = old
        .risks
        .iter()
        .chain(&new.risks)
        .map(|r| r.id.as_str())
        .collect();
    for id in ids {
        let o = old.risks.iter().find(|r| r.id == id);
        let n = new.risks.iter().find(|r| r.id == id);
        let (before, after) = (o.map(|r| r.probability), n.map(|r| r.probability));
        let (delay_before, delay_after) = (o.map(|r| r.delay.into()), n.map(|r| r.delay.into()));
        let tasks = |r: Option<&crate::model::Risk>| -> BTreeSet<String> {
            r.map(|r| r.tasks.iter().cloned().collect())
                .unwrap_or_default()
        };
        let (tasks_before, tasks_after) = (tasks(o), tasks(n));
        let tasks_added: Vec<String> = tasks_after.difference(&tasks_before).cloned().collect();
        let tasks_removed: Vec<String> = tasks_before.difference(&tasks_after).cloned().collect();
        let retargeted = o.is_some() && n.is_some() && tasks_before != tasks_after;
        if before != after || delay_before != delay_after || retargeted {
            out.push(Change::Risk {
                id: id.to_string(),
                before,
                after,
                delay_before,
                delay_after,
                tasks_added,
                tasks_removed,
            });
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn workdays(c: &Calendar) -> Vec<String> {
    WEEKDAYS
        .iter()
        .zip(c.workdays)
        .filter(|(_, on)| *on)
        .map(|(d, _)| d.to_string())
        .collect()
}

fn dates(set: impl Iterator<Item = Date>) -> Vec<String> {
    set.map(|d| d.to_string()).collect()
}

/// The change of one calendar (`None` on a side: not there), if it changed.
fn calendar_change(
    id: Option<&str>,
    old: Option<&Calendar>,
    new: Option<&Calendar>,
) -> Option<Change> {
    if old == new {
        return None;
    }
    let none = BTreeSet::new();
    let (ho, hn) = (
        old.map_or(&none, |c| &c.holidays),
        new.map_or(&none, |c| &c.holidays),
    );
    let (eo, en) = (
        old.map_or(&none, |c| &c.extra_workdays),
        new.map_or(&none, |c| &c.extra_workdays),
    );
    Some(Change::Calendar {
        id: id.map(str::to_string),
        workdays_before: old.map(workdays),
        workdays_after: new.map(workdays),
        holidays_added: dates(hn.difference(ho).copied()),
        holidays_removed: dates(ho.difference(hn).copied()),
        extra_workdays_added: dates(en.difference(eo).copied()),
        extra_workdays_removed: dates(eo.difference(en).copied()),
    })
}

fn calendar_changes(old: &Model, new: &Model, out: &mut Vec<Change>) {
    out.extend(calendar_change(
        None,
        Some(&old.calendar),
        Some(&new.calendar),
    ));
    let named = |m: &Model, id: &str| {
        m.calendars
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.calendar.clone())
    };
    let ids: BTreeSet<&str> = old
        .calendars
        .iter()
        .chain(&new.calendars)
        .map(|c| c.id.as_str())
        .collect();
    for id in ids {
        let (o, n) = (named(old, id), named(new, id));
        out.extend(calendar_change(Some(id), o.as_ref(), n.as_ref()));
    }
}

fn role_changes(old: &Model, new: &Model, out: &mut Vec<Change>) {
    for o in &old.roles {
        if !new.roles.iter().any(|n| n.id == o.id) {
            out.push(Change::RoleRemoved {
                role: o.id.clone(),
                name: o.name.clone(),
            });
        }
    }
    for n in &new.roles {
        let Some(o) = old.roles.iter().find(|o| o.id == n.id) else {
            out.push(Change::RoleAdded {
                role: n.id.clone(),
                name: n.name.clone(),
            });
            continue;
        };
        let cal = |r: &crate::model::Role| r.calendar.as_ref().map(|c| c.id.clone());
        if cal(o) != cal(n) {
            out.push(Change::RoleCalendar {
                role: n.id.clone(),
                before: cal(o),
                after: cal(n),
            });
        }
        if o.cost != n.cost {
            out.push(Change::RoleCost {
                role: n.id.clone(),
                before: o.cost,
                after: n.cost,
            });
        }
    }
}

/// The team's head count per role id.
fn headcount(model: &Model, scenario: &Scenario) -> BTreeMap<String, u32> {
    model
        .roles
        .iter()
        .zip(&scenario.team)
        .map(|(r, &n)| (r.id.clone(), n))
        .collect()
}

fn team_changes(old: (&Model, &Scenario), new: (&Model, &Scenario), out: &mut Vec<Change>) {
    let (before, after) = (headcount(old.0, old.1), headcount(new.0, new.1));
    let roles: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for role in roles {
        let (b, a) = (
            before.get(role).copied().unwrap_or(0),
            after.get(role).copied().unwrap_or(0),
        );
        if b != a {
            out.push(Change::Team {
                role: role.clone(),
                before: b,
                after: a,
            });
        }
    }
    let role = |m: &Model, r: usize| m.roles[r].id.clone();
    let hire = |m: &Model, h: &crate::model::scenario::Hire| {
        (role(m, h.role), h.count, h.start, h.ramp_up, h.availability)
    };
    let leave = |m: &Model, l: &crate::model::scenario::Leave| (role(m, l.role), l.count, l.date);
    let part = |m: &Model, p: &crate::model::scenario::PartTime| {
        (role(m, p.role), p.count, p.availability, p.from, p.until)
    };
    let absence = |m: &Model, a: &crate::model::scenario::Absence| {
        (role(m, a.role), a.count, a.availability, a.from, a.until)
    };
    let counts = [
        ("hires", old.1.hires.len(), new.1.hires.len()),
        ("leaves", old.1.leaves.len(), new.1.leaves.len()),
        ("part-timers", old.1.part_time.len(), new.1.part_time.len()),
        ("absences", old.1.absences.len(), new.1.absences.len()),
    ];
    let unchanged = [
        same_changes(old.0, &old.1.hires, new.0, &new.1.hires, hire),
        same_changes(old.0, &old.1.leaves, new.0, &new.1.leaves, leave),
        same_changes(old.0, &old.1.part_time, new.0, &new.1.part_time, part),
        same_changes(old.0, &old.1.absences, new.0, &new.1.absences, absence),
    ];
    for ((what, before, after), same) in counts.into_iter().zip(unchanged) {
        if !same {
            out.push(Change::Staffing {
                what: what.to_string(),
                before,
                after,
            });
        }
    }
}

/// Every change from `old` to `new`, in a fixed order: status date, calendars, roles, tasks
/// (removed, then in the new model's order), milestones, phases, risks, then the team when
/// both sides have one.
pub fn changes(
    old: &Model,
    old_team: Option<&Scenario>,
    new: &Model,
    new_team: Option<&Scenario>,
) -> Vec<Change> {
    let mut out = Vec::new();
    let (before, after) = (super::status_date(old), super::status_date(new));
    if before != after {
        out.push(Change::StatusDate { before, after });
    }
    calendar_changes(old, new, &mut out);
    role_changes(old, new, &mut out);
    task_changes(old, new, &mut out);
    milestone_changes(old, new, &mut out);
    phase_changes(old, new, &mut out);
    risk_changes(old, new, &mut out);
    if let (Some(o), Some(n)) = (old_team, new_team) {
        team_changes((old, o), (new, n), &mut out);
    }
    out
}

/// True when two lists of team changes say the same thing, each item read with its own model
/// (role indices may differ between the two versions; `key` names the role).
fn same_changes<T, K: PartialEq>(
    old_model: &Model,
    old: &[T],
    new_model: &Model,
    new: &[T],
    key: impl Fn(&Model, &T) -> K,
) -> bool {
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(o, n)| key(old_model, o) == key(new_model, n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_model, parse_scenario};
    use std::path::Path;

    const TEXT: &str = r#"
[project]
name = "Tiny"
start = 2025-09-15
[roles.dev]
[[task]]
id = "A"
name = "Alpha"
duration = 3
demand = { dev = 1 }
[[task]]
id = "B"
after = ["A"]
effort = { dev = [4, 6, 9] }
crew = { dev = [1, 2] }
[[milestone]]
id = "M"
after = ["B"]
due = 2025-10-01
[[risk]]
id = "R"
probability = 0.2
delay = 2
tasks = ["B"]
"#;

    fn model(text: &str) -> Model {
        parse_model(text, Path::new("t.toml")).unwrap()
    }

    #[test]
    fn the_same_model_has_no_changes() {
        let m = model(TEXT);
        assert_eq!(changes(&m, None, &m, None), []);
    }

    #[test]
    fn renames_lags_crews_risks_and_the_status_date_are_changes() {
        let new = TEXT
            .replace("name = \"Alpha\"", "name = \"First\"")
            .replace("after = [\"A\"]", "after = [{ id = \"A\", lag = 2 }]")
            .replace("crew = { dev = [1, 2] }", "crew = { dev = [1, 3] }")
            .replace("probability = 0.2", "probability = 0.5")
            .replace("start = 2025-09-15", "start = 2025-09-22");
        let found = changes(&model(TEXT), None, &model(&new), None);
        let expected = vec![
            Change::StatusDate {
                before: jiff::civil::date(2025, 9, 15),
                after: jiff::civil::date(2025, 9, 22),
            },
            Change::Renamed {
                id: "A".into(),
                before: "Alpha".into(),
                after: "First".into(),
            },
            Change::Work {
                id: "B".into(),
                part: "crew.dev".into(),
                before: Some(Amount::Crew { min: 1, max: 2 }),
                after: Some(Amount::Crew { min: 1, max: 3 }),
            },
            Change::Links {
                id: "B".into(),
                added: vec![],
                removed: vec![],
                lags: vec![("A".into(), 0.0, 2.0)],
                types: vec![],
            },
            Change::Risk {
                id: "R".into(),
                before: Some(0.2),
                after: Some(0.5),
                delay_before: Some(Amount::from(Estimate::fixed(2.0))),
                delay_after: Some(Amount::from(Estimate::fixed(2.0))),
                tasks_added: vec![],
                tasks_removed: vec![],
            },
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn the_team_is_compared_only_when_both_sides_have_one() {
        let m = model(TEXT);
        let team = |n: u32| {
            let text = format!("name = \"t\"\n[team]\ndev = {n}\n");
            parse_scenario(&text, Path::new("s.toml"), &m).unwrap()
        };
        let (two, three) = (team(2), team(3));
        assert_eq!(changes(&m, Some(&two), &m, None), []);
        assert_eq!(
            changes(&m, Some(&two), &m, Some(&three)),
            [Change::Team {
                role: "dev".into(),
                before: 2,
                after: 3
            }]
        );
    }

    #[test]
    fn a_part_timers_availability_and_an_absence_are_staffing_changes() {
        let m = model(TEXT);
        let team = |extra: &str| {
            let text = format!("name = \"t\"\n[team]\ndev = 2\n{extra}");
            parse_scenario(&text, Path::new("s.toml"), &m).unwrap()
        };
        let part = |a: f64| format!("[[part_time]]\nrole = \"dev\"\navailability = {a}\n");
        let away = "[[absence]]\nrole = \"dev\"\nfrom = 2025-12-22\nuntil = 2026-01-02\n";
        let staffing = |what: &str, before, after| Change::Staffing {
            what: what.into(),
            before,
            after,
        };
        let (half, more) = (team(&part(0.5)), team(&part(0.6)));
        assert_eq!(changes(&m, Some(&half), &m, Some(&half)), []);
        assert_eq!(
            changes(&m, Some(&half), &m, Some(&more)),
            [staffing("part-timers", 1, 1)]
        );
        assert_eq!(
            changes(&m, Some(&team("")), &m, Some(&team(away))),
            [staffing("absences", 0, 1)]
        );
    }
}
