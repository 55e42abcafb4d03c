//! Why a milestone's P80 moved: the old version re-simulated with the model changes applied
//! one at a time, in the diff's order ([`super::changes::changes`]), with the same iterations
//! and seed, so each step's P80 move is what that change did to it (the simulation is
//! deterministic for a model and seed). The steps' moves add up, telescoping, to the move from
//! the old P80 to the last step's; what is left to the new version's own P80 (what the diff
//! does not list, such as a calendar or a constraint edited, and the draws of tasks that sit
//! elsewhere in the new file's order) is `unexplained`.
//!
//! A step applies the changes of one item and kind together: a task's work parts, its links,
//! its progress (with its actual start and finish), a task or milestone added or removed, a
//! risk, a role's head count, a list of hires or leaves. Changes that cannot move a simulated
//! date (a name, a due date, actual effort, a phase's progress) are not replayed. A step that
//! leaves a model that does not validate (a task added before the one it follows) is applied
//! with the next. Each step costs one simulation (with a team, one schedule search too), so
//! past `cap` steps the rest are applied together as the last one.

use super::answers::{simulate_version, AnswerError, AnswerSettings, Answers};
use super::changes::Change;
use crate::model::{Model, Program, Scenario};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

/// The most replay steps `plan diff` runs by default.
pub const DEFAULT_CAP: usize = 8;

/// The most replay steps allowed: each is a simulation.
pub const MAX_CAP: usize = 1000;

/// One replay step: the changes applied, and each milestone's P80 after them.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The changes this step applied (several of an item, or, past the cap, every change left).
    pub changes: Vec<Change>,
    /// True when the step applied changes of several items together (past the cap, or because
    /// a model between them does not validate).
    pub together: bool,
    /// P80 per milestone id after the step.
    pub p80: HashMap<String, Date>,
}

/// The replay of a diff's changes on the old version.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// The steps in order.
    pub steps: Vec<Step>,
    /// What the replay did, as the diff reports it.
    pub info: ReplayInfo,
}

/// How the P80 moves were traced, as the diff reports it (`p80_replay`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayInfo {
    /// Simulations run for the replay (one per step; the two sides' own are not counted).
    pub simulations: usize,
    /// The most steps allowed (`--p80-replays`).
    pub cap: usize,
    /// Changes applied together in the last step because of the cap (0: none).
    pub capped_changes: usize,
    /// Why there is no replay, when there is none (no simulation, nothing to replay, roles
    /// that differ between the versions).
    pub skipped: Option<String>,
}

/// True for changes that can move a simulated date.
fn moves_dates(c: &Change) -> bool {
    !matches!(
        c,
        Change::Renamed { .. }
            | Change::Due { .. }
            | Change::ActualEffort { .. }
            | Change::PhaseProgress { .. }
    )
}

/// The item and kind a change applies to: changes with the same key are one step.
fn step_key(c: &Change) -> (std::mem::Discriminant<Change>, Option<&str>) {
    (std::mem::discriminant(c), c.subject())
}

/// The diff's changes that move dates, grouped into steps (consecutive changes of one item and
/// kind), at most `cap`: the rest join the last.
fn group(changes: &[Change], cap: usize) -> (Vec<(Vec<Change>, bool)>, usize) {
    let mut steps: Vec<Vec<Change>> = Vec::new();
    for c in changes.iter().filter(|c| moves_dates(c)) {
        match steps.last_mut() {
            Some(last) if step_key(&last[0]) == step_key(c) => last.push(c.clone()),
            _ => steps.push(vec![c.clone()]),
        }
    }
    let cap = cap.max(1);
    if steps.len() <= cap {
        return (steps.into_iter().map(|s| (s, false)).collect(), 0);
    }
    let rest: Vec<Change> = steps.split_off(cap - 1).concat();
    let capped = rest.len();
    let mut out: Vec<(Vec<Change>, bool)> = steps.into_iter().map(|s| (s, false)).collect();
    out.push((rest, true));
    (out, capped)
}

/// The old version as it stands during the replay.
struct State<'a> {
    model: Model,
    team: Option<Scenario>,
    new: &'a Model,
    new_team: Option<&'a Scenario>,
}

impl State<'_> {
    fn new_task(&self, id: &str) -> Option<&crate::model::Task> {
        self.new.tasks.iter().find(|t| t.id == id)
    }

    fn task_mut(&mut self, id: &str) -> Option<&mut crate::model::Task> {
        self.model.tasks.iter_mut().find(|t| t.id == id)
    }

    /// Applies one change to the model and team.
    fn apply(&mut self, change: &Change) {
        match change {
            Change::StatusDate { .. } => {
                self.model.project.start = self.new.project.start;
                self.model.project.status_date = self.new.project.status_date;
                self.model.project.status_location = self.new.project.status_location;
            }
            Change::TaskAdded { id, .. } => {
                if let Some(t) = self.new_task(id).cloned() {
                    self.model.tasks.push(t);
                }
            }
            Change::TaskRemoved { id, .. } => {
                self.model.tasks.retain(|t| t.id != *id);
                for r in &mut self.model.risks {
                    r.tasks.retain(|t| t != id);
                }
            }
            Change::Work { id, .. } => {
                if let Some(n) = self.new_task(id).cloned() {
                    if let Some(t) = self.task_mut(id) {
                        t.work = n.work;
                        t.remaining = n.remaining;
                    }
                }
            }
            Change::Links { id, .. } => self.apply_links(id),
            Change::Done { id, .. } => {
                if let Some(n) = self.new_task(id).cloned() {
                    if let Some(t) = self.task_mut(id) {
                        t.done = n.done;
                        t.actual_start = n.actual_start;
                        t.actual_finish = n.actual_finish;
                    }
                }
            }
            Change::MilestoneAdded { id, .. } => {
                if let Some(m) = self.new.milestones.iter().find(|m| m.id == *id) {
                    self.model.milestones.push(m.clone());
                }
            }
            Change::MilestoneRemoved { id, .. } => self.model.milestones.retain(|m| m.id != *id),
            Change::Risk { id, .. } => {
                let now = self.new.risks.iter().find(|r| r.id == *id).cloned();
                let at = self.model.risks.iter().position(|r| r.id == *id);
                match (at, now) {
                    (Some(k), Some(r)) => self.model.risks[k] = r,
                    (Some(k), None) => {
                        self.model.risks.remove(k);
                    }
                    (None, Some(r)) => self.model.risks.push(r),
                    (None, None) => {}
                }
            }
            Change::Team { role, after, .. } => {
                let k = self.model.roles.iter().position(|r| r.id == *role);
                if let (Some(k), Some(team)) = (k, self.team.as_mut()) {
                    if let Some(n) = team.team.get_mut(k) {
                        *n = *after;
                    }
                }
            }
            Change::Staffing { what, .. } => {
                if let (Some(team), Some(new)) = (self.team.as_mut(), self.new_team) {
                    match what.as_str() {
                        "hires" => team.hires = new.hires.clone(),
                        "leaves" => team.leaves = new.leaves.clone(),
                        "part-timers" => team.part_time = new.part_time.clone(),
                        _ => team.absences = new.absences.clone(),
                    }
                }
            }
            Change::Renamed { .. }
            | Change::Due { .. }
            | Change::ActualEffort { .. }
            | Change::PhaseProgress { .. } => {}
        }
    }

    fn apply_links(&mut self, id: &str) {
        if let Some(n) = self.new_task(id).map(|t| t.after.clone()) {
            if let Some(t) = self.task_mut(id) {
                t.after = n;
            }
        } else if let Some(n) = self.new.milestones.iter().find(|m| m.id == id) {
            let after = n.after.clone();
            if let Some(m) = self.model.milestones.iter_mut().find(|m| m.id == id) {
                m.after = after;
            }
        }
    }
}

/// True when both versions have the same roles in the same order: the replay moves work
/// (which names roles by position) from the new model into the old.
fn same_roles(old: &Model, new: &Model) -> bool {
    old.roles.len() == new.roles.len()
        && old.roles.iter().zip(&new.roles).all(|(a, b)| a.id == b.id)
}

fn p80s(result: &crate::simulate::SimResult) -> HashMap<String, Date> {
    result
        .milestones
        .iter()
        .map(|m| (m.id.clone(), m.dates[1]))
        .collect()
}

fn skipped(cap: usize, why: &str) -> Replay {
    Replay {
        steps: Vec::new(),
        info: ReplayInfo {
            simulations: 0,
            cap,
            capped_changes: 0,
            skipped: Some(why.to_string()),
        },
    }
}

/// Replays `changes` (old to new, as [`super::changes::changes`] gives them) on the old
/// version, re-simulating after each step with `settings`' simulation, at most `cap` steps.
/// `new_answers` closes a last step whose model does not validate (its changes are then
/// measured against the new version itself). Runs on the current rayon pool; `cancel` stops
/// it.
pub fn replay(
    old: (&Model, Option<&Scenario>),
    new: (&Model, Option<&Scenario>),
    changes: &[Change],
    settings: &AnswerSettings,
    new_answers: &Answers,
    cap: usize,
    cancel: &AtomicBool,
) -> Result<Replay, AnswerError> {
    let Some(config) = &settings.simulation else {
        return Ok(skipped(cap, "no simulation"));
    };
    if cap == 0 {
        return Ok(skipped(cap, "--p80-replays 0"));
    }
    if !same_roles(old.0, new.0) {
        return Ok(skipped(
            cap,
            "the two versions have different roles (ids or order)",
        ));
    }
    let (groups, capped_changes) = group(changes, cap);
    if groups.is_empty() {
        return Ok(skipped(cap, "no change that moves a simulated date"));
    }
    let mut state = State {
        model: old.0.clone(),
        team: old.1.cloned(),
        new: new.0,
        new_team: new.1,
    };
    let (mut steps, mut pending, mut together) = (Vec::new(), Vec::new(), false);
    let mut simulations = 0;
    for (changes, capped) in groups {
        for c in &changes {
            state.apply(c);
        }
        together |= capped || !pending.is_empty();
        pending.extend(changes);
        // A model between two steps that does not validate waits for the next step.
        let Ok(program) = Program::new(state.model.clone()) else {
            continue;
        };
        let result = simulate_version(&program.model, state.team.as_ref(), config, cancel)?;
        simulations += 1;
        steps.push(Step {
            changes: std::mem::take(&mut pending),
            together: std::mem::take(&mut together),
            p80: p80s(&result),
        });
    }
    if !pending.is_empty() {
        let p80 = new_answers
            .milestones
            .iter()
            .filter_map(|m| Some((m.id.clone(), m.p80?)))
            .collect();
        steps.push(Step {
            changes: pending,
            together: true,
            p80,
        });
    }
    Ok(Replay {
        steps,
        info: ReplayInfo {
            simulations,
            cap,
            capped_changes,
            skipped: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(id: &str) -> Change {
        Change::Done {
            id: id.into(),
            before: 0.0,
            after: 0.5,
        }
    }

    fn work(id: &str, part: &str) -> Change {
        Change::Work {
            id: id.into(),
            part: part.into(),
            before: None,
            after: None,
        }
    }

    #[test]
    fn a_tasks_work_parts_are_one_step_and_names_are_not_replayed() {
        let rename = Change::Renamed {
            id: "A".into(),
            before: "a".into(),
            after: "b".into(),
        };
        let changes = [
            rename,
            work("A", "effort.dev"),
            work("A", "crew.dev"),
            done("A"),
        ];
        let (steps, capped) = group(&changes, 8);
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert_eq!(steps[0].0.len(), 2);
        assert_eq!((steps[1].0.clone(), capped), (vec![done("A")], 0));
    }

    #[test]
    fn past_the_cap_the_rest_are_applied_together_as_the_last_step() {
        let changes: Vec<Change> = ["A", "B", "C", "D", "E"]
            .iter()
            .map(|id| done(id))
            .collect();
        let (steps, capped) = group(&changes, 3);
        assert_eq!(steps.len(), 3);
        assert_eq!(steps[2].0.len(), 3);
        assert!(steps[2].1 && !steps[1].1);
        assert_eq!(capped, 3);
        let (steps, capped) = group(&changes, 5);
        assert_eq!((steps.len(), capped), (5, 0));
        assert!(steps.iter().all(|s| !s.1));
    }
}
