//! Why a milestone's P80 moved, by **replay**: the old version re-simulated with the diff's
//! changes applied ([`super::changes::changes`]), with the same iterations and seed (the
//! simulation is deterministic for a model and seed), so the P80 after a set of changes is
//! what those changes did to it.
//!
//! Two readings come out of the same re-simulations (a set of changes is simulated once):
//! - **in turn** ([`Replay::steps`]): the changes applied one at a time in the diff's order;
//!   each step's P80 move is that change's, given the changes before it.
//! - **shares** ([`Replay::shares`]): each change's Shapley value, its P80 move averaged over
//!   several orders of applying the changes (every order when that costs no more simulations
//!   than the orders asked for; else the canonical order, its reverse and seeded shuffles of
//!   it). The canonical order sorts the changes by what they are about, not by where the diff
//!   lists them, so listing the same changes in another order gives the same shares.
//!
//! Either way the moves add up, telescoping, to the move from the old P80 to that of the old
//! version with every change applied; what is left to the new version's own P80 (what the
//! diff does not list, and the draws of tasks that sit elsewhere in the new file's order) is
//! `unexplained`.
//!
//! A step applies the changes of one item and kind together: a task's work parts, its links,
//! its progress (with its actual start and finish), a task or milestone added or removed, a
//! risk, a role's head count, a list of hires or leaves. Changes that cannot move a simulated
//! date (a name, a due date, actual effort, a phase's progress) are not replayed. A step that
//! leaves a model that does not validate (a link to a task not added yet) is applied with the
//! next. A set of changes is always applied in the diff's order to a fresh copy of the old
//! version (an added task goes where the new file has it among the tasks present), so the
//! model it gives depends on the set only. Each set costs one simulation (with a team, one
//! schedule search too), so past `cap` steps the rest are applied together as the last one.

use super::answers::{simulate_version, AnswerError, AnswerSettings, Answers};
use super::changes::Change;
use crate::model::{Model, Program, Scenario};
use crate::simulate::SimConfig;
use jiff::civil::Date;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

/// The most replay steps `plan diff` runs by default.
pub const DEFAULT_CAP: usize = 8;

/// The most replay steps allowed: each is a simulation.
pub const MAX_CAP: usize = 1000;

/// The orders the shares average over by default (`--p80-orders`).
pub const DEFAULT_ORDERS: usize = 4;

/// The most orders allowed: each costs up to one simulation per step.
pub const MAX_ORDERS: usize = 100;

/// Up to this many steps, the shares average over every order (the exact Shapley value) when
/// the sets that takes cost no more simulations than the orders asked for.
const EXACT_STEPS: usize = 7;

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

/// Changes the shares treat as one: those of one item and kind (past the cap, every change
/// left).
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The changes.
    pub changes: Vec<Change>,
    /// True when they are of several items (past the cap).
    pub together: bool,
}

/// One step of an order the shares average over.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderStep {
    /// The units applied ([`Shares::units`] indices): several when the model after the first
    /// of them did not validate; their move is shared equally.
    pub units: Vec<usize>,
    /// The P80s after it ([`Shares::states`] index).
    pub state: usize,
}

/// The orders the shares average over, with the P80s each step reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Shares {
    /// The units, in canonical order.
    pub units: Vec<Unit>,
    /// Each order's steps; every order applies every unit once.
    pub orders: Vec<Vec<OrderStep>>,
    /// P80 per milestone id, per simulated set of changes.
    pub states: Vec<HashMap<String, Date>>,
    /// True when `orders` are every order of the units (the exact Shapley value).
    pub exact: bool,
}

/// The replay of a diff's changes on the old version.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// The steps in the diff's order.
    pub steps: Vec<Step>,
    /// The orders the order-independent shares average over (`None` when there is no replay).
    pub shares: Option<Shares>,
    /// What the replay did, as the diff reports it.
    pub info: ReplayInfo,
}

/// How the P80 moves were traced, as the diff reports it (`p80_replay`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayInfo {
    /// Simulations run for the replay in the diff's order (one per step; the two sides' own
    /// are not counted).
    pub simulations: usize,
    /// The most steps allowed (`--p80-replays`).
    pub cap: usize,
    /// Changes applied together in the last step because of the cap (0: none).
    pub capped_changes: usize,
    /// Why there is no replay, when there is none (no simulation, nothing to replay, roles
    /// that differ between the versions).
    pub skipped: Option<String>,
    /// Orders the shares average over (`--p80-orders`; every order when `exact`).
    pub orders: usize,
    /// True when the shares average over every order of the steps: the exact Shapley value.
    pub exact: bool,
    /// Simulations run for the shares beyond those of the replay in the diff's order (a set
    /// of changes both reach is simulated once).
    pub share_simulations: usize,
}

/// True for changes that can move a simulated date (the replay applies them).
pub fn moves_dates(c: &Change) -> bool {
    !matches!(
        c,
        Change::Renamed { .. }
            | Change::Due { .. }
            | Change::ActualEffort { .. }
            | Change::PhaseProgress { .. }
            | Change::Deadline { .. }
            | Change::RoleCost { .. }
            | Change::RoleAdded { .. }
            | Change::RoleRemoved { .. }
    )
}

/// The item and kind a change applies to: changes with the same key are one step.
fn step_key(c: &Change) -> (std::mem::Discriminant<Change>, Option<&str>) {
    (std::mem::discriminant(c), c.subject())
}

/// The diff's changes that move dates (indices into `changes`), grouped into steps
/// (consecutive changes of one item and kind), at most `cap`: the rest join the last.
fn group(changes: &[Change], cap: usize) -> (Vec<(Vec<usize>, bool)>, usize) {
    let mut steps: Vec<Vec<usize>> = Vec::new();
    for (i, c) in changes.iter().enumerate().filter(|(_, c)| moves_dates(c)) {
        match steps.last_mut() {
            Some(last) if step_key(&changes[last[0]]) == step_key(c) => last.push(i),
            _ => steps.push(vec![i]),
        }
    }
    capped(steps, cap)
}

/// `steps` with those past `cap - 1` joined as the last, and how many changes that joined.
fn capped(mut steps: Vec<Vec<usize>>, cap: usize) -> (Vec<(Vec<usize>, bool)>, usize) {
    let cap = cap.max(1);
    if steps.len() <= cap {
        return (steps.into_iter().map(|s| (s, false)).collect(), 0);
    }
    let rest: Vec<usize> = steps.split_off(cap - 1).concat();
    let capped = rest.len();
    let mut out: Vec<(Vec<usize>, bool)> = steps.into_iter().map(|s| (s, false)).collect();
    out.push((rest, true));
    (out, capped)
}

/// What sorts a change in the canonical order: its item, then what it says. The diff's own
/// order follows the new file's order; this one does not.
fn canonical_key(c: &Change) -> (String, String) {
    let text = serde_json::to_string(c).unwrap_or_default();
    (c.subject().unwrap_or_default().to_string(), text)
}

/// The changes that move dates grouped by item and kind wherever the diff lists them, in
/// canonical order, at most `cap` units: the rest join the last.
fn units(changes: &[Change], cap: usize) -> Vec<(Vec<usize>, bool)> {
    let mut by_key: Vec<Vec<usize>> = Vec::new();
    for (i, c) in changes.iter().enumerate().filter(|(_, c)| moves_dates(c)) {
        match by_key
            .iter_mut()
            .find(|u| step_key(&changes[u[0]]) == step_key(c))
        {
            Some(u) => u.push(i),
            None => by_key.push(vec![i]),
        }
    }
    let key = |i: &usize| canonical_key(&changes[*i]);
    for u in &mut by_key {
        u.sort_by_key(key);
    }
    by_key.sort_by_cached_key(|u| u.iter().map(key).collect::<Vec<_>>());
    capped(by_key, cap).0
}

/// The orders of `n` units the shares average over, and whether they are every order: every
/// order when `n` is small and the sets that takes cost no more simulations than `orders`
/// orders would; else the canonical order, its reverse and seeded shuffles, `orders` in all.
fn pick_orders(n: usize, orders: usize, seed: u64) -> (Vec<Vec<usize>>, bool) {
    let forward: Vec<usize> = (0..n).collect();
    let sets = (1usize << n.min(EXACT_STEPS)).saturating_sub(2);
    if n <= EXACT_STEPS && sets <= orders * n.saturating_sub(1) {
        return (permutations(&forward), true);
    }
    let mut out = vec![forward.clone()];
    if orders > 1 {
        out.push(forward.iter().rev().copied().collect());
    }
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x5348_4150_4c45_5921);
    while out.len() < orders {
        let mut o = forward.clone();
        o.shuffle(&mut rng);
        out.push(o);
    }
    (out, false)
}

/// Every order of `items`, the first one first.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (k, &first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(k);
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
}

/// The old version as it stands during the replay.
struct State<'a> {
    model: Model,
    team: Option<Scenario>,
    new: &'a Model,
    new_team: Option<&'a Scenario>,
}

/// Sets field `$field` of the task or milestone `$id` to what the new version has (tasks and
/// milestones share one id space, so at most one of them is `$id`).
macro_rules! copy_from_new {
    ($state:expr, $id:expr, $field:ident) => {{
        let id: &str = $id;
        if let Some(n) = $state.new.tasks.iter().find(|t| t.id == id) {
            let value = n.$field.clone();
            if let Some(t) = $state.task_mut(id) {
                t.$field = value;
            }
        } else if let Some(n) = $state.new.milestones.iter().find(|m| m.id == id) {
            let value = n.$field.clone();
            if let Some(m) = $state.model.milestones.iter_mut().find(|m| m.id == id) {
                m.$field = value;
            }
        }
    }};
}

impl State<'_> {
    fn new_task(&self, id: &str) -> Option<&crate::model::Task> {
        self.new.tasks.iter().find(|t| t.id == id)
    }

    /// Where an added task goes: see [`place`].
    fn place_of(&self, id: &str) -> usize {
        place(&self.model.tasks, &self.new.tasks, id, |t| &t.id)
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
                    let at = self.place_of(id);
                    self.model.tasks.insert(at, t);
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
            Change::Links { id, .. } => copy_from_new!(self, id, after),
            Change::Done { id, .. } => {
                if let Some(n) = self.new_task(id).cloned() {
                    if let Some(t) = self.task_mut(id) {
                        t.done = n.done;
                    }
                }
            }
            Change::Actual { id, part, .. } => {
                if let Some(n) = self.new_task(id).cloned() {
                    if let Some(t) = self.task_mut(id) {
                        if part == "actual_start" {
                            t.actual_start = n.actual_start;
                        } else {
                            t.actual_finish = n.actual_finish;
                        }
                    }
                }
            }
            Change::TaskCalendar { id, .. } => {
                if let Some(n) = self.new_task(id).cloned() {
                    if let Some(t) = self.task_mut(id) {
                        t.calendar = n.calendar;
                    }
                }
            }
            Change::Constraint { id, .. } => copy_from_new!(self, id, constraint),
            Change::Calendar { id, .. } => self.apply_calendar(id.as_deref()),
            Change::RoleCalendar { role, .. } => {
                let now = self.new.roles.iter().find(|r| r.id == *role);
                let now = now.and_then(|r| r.calendar.clone());
                if let Some(r) = self.model.roles.iter_mut().find(|r| r.id == *role) {
                    r.calendar = now;
                }
            }
            Change::MilestoneAdded { id, .. } => {
                if let Some(m) = self.new.milestones.iter().find(|m| m.id == *id) {
                    let at = place(&self.model.milestones, &self.new.milestones, id, |m| &m.id);
                    self.model.milestones.insert(at, m.clone());
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
                    (None, Some(r)) => {
                        let at = place(&self.model.risks, &self.new.risks, id, |r| &r.id);
                        self.model.risks.insert(at, r);
                    }
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
            | Change::PhaseProgress { .. }
            | Change::Deadline { .. }
            | Change::RoleCost { .. }
            | Change::RoleAdded { .. }
            | Change::RoleRemoved { .. } => {}
        }
    }

    /// The project calendar (`None`) or a named one as the new version has it (added,
    /// changed or removed).
    fn apply_calendar(&mut self, id: Option<&str>) {
        let Some(id) = id else {
            self.model.calendar = self.new.calendar.clone();
            return;
        };
        let now = self.new.calendars.iter().find(|c| c.id == id).cloned();
        let at = self.model.calendars.iter().position(|c| c.id == id);
        match (at, now) {
            (Some(k), Some(c)) => self.model.calendars[k] = c,
            (Some(k), None) => {
                self.model.calendars.remove(k);
            }
            (None, Some(c)) => self.model.calendars.push(c),
            (None, None) => {}
        }
    }
}

/// Where an item added to `present` goes: right after the nearest item before it in `new`
/// that `present` has (first when none), so the order (which the draws follow) does not
/// depend on the order items were added in.
fn place<T>(present: &[T], new: &[T], id: &str, key: impl Fn(&T) -> &String) -> usize {
    let Some(k) = new.iter().position(|t| key(t) == id) else {
        return present.len();
    };
    new[..k]
        .iter()
        .rev()
        .find_map(|before| present.iter().position(|t| key(t) == key(before)))
        .map_or(0, |p| p + 1)
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
        shares: None,
        info: ReplayInfo {
            simulations: 0,
            cap,
            capped_changes: 0,
            skipped: Some(why.to_string()),
            orders: 0,
            exact: false,
            share_simulations: 0,
        },
    }
}

/// Simulates sets of the diff's changes applied to the old version, each set once.
struct Sets<'a> {
    old: (&'a Model, Option<&'a Scenario>),
    new: (&'a Model, Option<&'a Scenario>),
    changes: &'a [Change],
    config: &'a SimConfig,
    cancel: &'a AtomicBool,
    /// Sorted change indices to their P80s' index in `states` (`None`: does not validate).
    seen: HashMap<Vec<usize>, Option<usize>>,
    states: Vec<HashMap<String, Date>>,
    simulations: usize,
}

impl Sets<'_> {
    /// The P80s of the old version with the changes `set` applied (in the diff's order),
    /// as an index into `states`; `None` when that model does not validate.
    fn p80(&mut self, set: &[usize]) -> Result<Option<usize>, AnswerError> {
        let mut key = set.to_vec();
        key.sort_unstable();
        key.dedup();
        if let Some(&seen) = self.seen.get(&key) {
            return Ok(seen);
        }
        let mut state = State {
            model: self.old.0.clone(),
            team: self.old.1.cloned(),
            new: self.new.0,
            new_team: self.new.1,
        };
        for &i in &key {
            state.apply(&self.changes[i]);
        }
        let at = match Program::new(state.model) {
            Ok(program) => {
                let result = simulate_version(
                    &program.model,
                    state.team.as_ref(),
                    self.config,
                    self.cancel,
                )?;
                self.simulations += 1;
                self.states.push(p80s(&result));
                Some(self.states.len() - 1)
            }
            Err(_) => None,
        };
        self.seen.insert(key, at);
        Ok(at)
    }
}

/// The replay in the diff's order: `groups` applied in turn, a step whose model does not
/// validate waiting for the next, and a last one that never validates closed by `closing`.
fn in_turn(
    sets: &mut Sets,
    groups: Vec<(Vec<usize>, bool)>,
    closing: &HashMap<String, Date>,
) -> Result<Vec<Step>, AnswerError> {
    let (mut steps, mut applied, mut pending, mut together) =
        (Vec::new(), Vec::new(), Vec::new(), false);
    for (group, capped) in groups {
        applied.extend(&group);
        together |= capped || !pending.is_empty();
        pending.extend(group);
        let Some(at) = sets.p80(&applied)? else {
            continue;
        };
        steps.push(Step {
            changes: pending.drain(..).map(|i| sets.changes[i].clone()).collect(),
            together: std::mem::take(&mut together),
            p80: sets.states[at].clone(),
        });
    }
    if !pending.is_empty() {
        steps.push(Step {
            changes: pending.iter().map(|&i| sets.changes[i].clone()).collect(),
            together: true,
            p80: closing.clone(),
        });
    }
    Ok(steps)
}

/// The orders the shares average over, walked: `closing` (an index into `sets.states`)
/// closes an order whose last model does not validate.
fn walk_orders(
    sets: &mut Sets,
    units: &[(Vec<usize>, bool)],
    orders: &[Vec<usize>],
    closing: usize,
) -> Result<Vec<Vec<OrderStep>>, AnswerError> {
    let mut out = Vec::with_capacity(orders.len());
    for order in orders {
        let (mut steps, mut applied, mut pending) = (Vec::new(), Vec::new(), Vec::new());
        for &u in order {
            applied.extend(&units[u].0);
            pending.push(u);
            if let Some(state) = sets.p80(&applied)? {
                steps.push(OrderStep {
                    units: std::mem::take(&mut pending),
                    state,
                });
            }
        }
        if !pending.is_empty() {
            steps.push(OrderStep {
                units: pending,
                state: closing,
            });
        }
        out.push(steps);
    }
    Ok(out)
}

/// Replays `changes` (old to new, as [`super::changes::changes`] gives them) on the old
/// version, re-simulating with `settings`' simulation: in the diff's order, at most `cap`
/// steps, and for the shares in `orders` orders of at most `cap` units. `new_answers` closes
/// a last step whose model does not validate (its changes are then measured against the new
/// version itself). Runs on the current rayon pool; `cancel` stops it.
#[allow(clippy::too_many_arguments)]
pub fn replay(
    old: (&Model, Option<&Scenario>),
    new: (&Model, Option<&Scenario>),
    changes: &[Change],
    settings: &AnswerSettings,
    new_answers: &Answers,
    cap: usize,
    orders: usize,
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
    let closing: HashMap<String, Date> = new_answers
        .milestones
        .iter()
        .filter_map(|m| Some((m.id.clone(), m.p80?)))
        .collect();
    let mut sets = Sets {
        old,
        new,
        changes,
        config,
        cancel,
        seen: HashMap::new(),
        states: Vec::new(),
        simulations: 0,
    };
    let steps = in_turn(&mut sets, groups, &closing)?;
    let simulations = sets.simulations;
    let units = units(changes, cap);
    let (order_list, exact) = pick_orders(units.len(), orders.max(1), config.seed);
    sets.states.push(closing);
    let closing = sets.states.len() - 1;
    let walked = walk_orders(&mut sets, &units, &order_list, closing)?;
    let shares = Shares {
        units: units
            .iter()
            .map(|(u, together)| Unit {
                changes: u.iter().map(|&i| changes[i].clone()).collect(),
                together: *together,
            })
            .collect(),
        orders: walked,
        states: std::mem::take(&mut sets.states),
        exact,
    };
    Ok(Replay {
        steps,
        info: ReplayInfo {
            simulations,
            cap,
            capped_changes,
            skipped: None,
            orders: shares.orders.len(),
            exact,
            share_simulations: sets.simulations - simulations,
        },
        shares: Some(shares),
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
        assert_eq!((steps[1].0.clone(), capped), (vec![3], 0));
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

    #[test]
    fn units_are_in_canonical_order_whatever_order_the_diff_lists_them_in() {
        let changes = [
            done("B"),
            work("A", "effort.dev"),
            done("A"),
            work("A", "crew.dev"),
        ];
        let by = |c: &[Change]| -> Vec<Vec<Change>> {
            units(c, 8)
                .iter()
                .map(|(u, _)| u.iter().map(|&i| c[i].clone()).collect())
                .collect()
        };
        let mut reversed = changes.to_vec();
        reversed.reverse();
        assert_eq!(by(&changes), by(&reversed));
        assert_eq!(by(&changes).len(), 3, "{:?}", by(&changes));
        assert_eq!(by(&changes)[1].len(), 2, "A's work parts are one unit");
        // Past the cap the last units in canonical order are one, whatever the listing.
        let capped = |c: &[Change]| units(c, 2);
        assert_eq!(capped(&changes).len(), 2);
        assert!(capped(&changes)[1].1);
        let first = |c: &[Change]| c[capped(c)[0].0[0]].clone();
        assert_eq!(first(&changes), first(&reversed));
    }

    #[test]
    fn few_steps_average_over_every_order_and_more_over_seeded_few() {
        let (all, exact) = pick_orders(3, 4, 1);
        assert!(exact);
        assert_eq!(all.len(), 6);
        let (some, exact) = pick_orders(6, 4, 1);
        assert!(!exact);
        assert_eq!(some.len(), 4);
        assert_eq!(some[0], [0, 1, 2, 3, 4, 5]);
        assert_eq!(some[1], [5, 4, 3, 2, 1, 0]);
        assert_eq!(some, pick_orders(6, 4, 1).0, "seeded: the same every run");
        for o in &some {
            let mut s = o.clone();
            s.sort_unstable();
            assert_eq!(s, [0, 1, 2, 3, 4, 5]);
        }
    }
}
