//! Whether one whole team can meet a set of due dates, and the least headcount any team needs.
//!
//! The per-role bound ([`super::staff`]) looks at each role on its own, so its minimum team is
//! the sum of per-role minimums. A concrete team couples the roles through the dependencies:
//! backend work that must precede a devops task delays that task's window, which delays the
//! tasks after it, whatever their role. This module tightens every task's window
//! `[earliest start, latest finish)` for one team by energy over dependency sets, to a fixed
//! point, and then asks the same questions as [`CapacityBound::feasible`] on the tightened
//! windows: does a window close, is an energy window overloaded, has a role's LP no solution.
//!
//! **Heads.** Every task `j` before `k` by a chain of finish-to-start links with no lead is
//! finished before `k` starts, and starts no earlier than its own earliest start `ES_j`. So
//! for a role and a day `h`, all of that role's work in the tasks before `k` with `ES_j ≥ h`
//! lies in `[h, start_k)`: `start_k` is at least the first day by which the role's capacity
//! from `h` supplies it. **Tails** are the mirror: the work of tasks after `k` with latest
//! finish `≤ g` lies in `[finish_k, g)`. Each bound holds for every schedule that meets the
//! dates, so the tightened windows do too, and every refutation is a proof.
//!
//! The check is monotone in the team: fewer people of any role mean fewer modes (longer
//! shortest durations, smaller crews), less capacity and so narrower windows. A team that
//! fails proves every smaller team fails, which is what turns "these teams fail" into "no
//! team under N people meets the dates" in [`least_headcount`].

use super::capacity::{CapacityBound, SolverFailed, Windows};
use super::certificate::{self, Certificate};
use super::energetic::{self, Overload};
use super::solver::{self, LpOutcome};
use super::time_indexed::{self, Verdict};
use std::ops::ControlFlow;

/// Most tightening passes (each pass moves some window by at least one day, or stops).
const MAX_PASSES: usize = 50;

/// Why a team cannot meet the due dates.
#[derive(Debug, Clone, PartialEq)]
pub enum Refutation {
    /// After tightening, the activity's window is shorter than its fastest duration.
    WindowClosed {
        /// The activity (graph node).
        node: usize,
        /// Its tightened earliest start.
        start: u32,
        /// Its tightened latest finish.
        finish: i64,
    },
    /// An energy window of a role is overloaded under the tightened windows.
    Energy(Certificate),
    /// A role's window is overloaded by the work each task must do in it with one fixed
    /// crew for consecutive days ([`super::energetic`]).
    FixedCrew(Overload),
    /// A role's LP has no solution under the tightened windows.
    Lp {
        /// The role.
        role: usize,
    },
    /// The time-indexed relaxation of a role (each task started once, in one mode, after
    /// its predecessors) has no solution under the tightened windows
    /// ([`super::time_indexed`]).
    TimeIndexed {
        /// The role.
        role: usize,
    },
    /// A task has no mode (crew) the team can staff.
    Unstaffable,
    /// The windows narrowed by shaving ([`super::shave`]) are refuted by this check.
    Shaved(Box<Refutation>),
}

impl Refutation {
    /// The role the refutation rests on, when there is one.
    pub fn role(&self) -> Option<usize> {
        match self {
            Refutation::WindowClosed { .. } | Refutation::Unstaffable => None,
            Refutation::Energy(c) => c.role,
            Refutation::FixedCrew(o) => Some(o.role),
            Refutation::Lp { role } | Refutation::TimeIndexed { role } => Some(*role),
            Refutation::Shaved(inner) => inner.role(),
        }
    }
}

/// Sets of activities linked by finish-to-start chains without leads, as bit sets.
#[derive(Debug, Clone)]
struct Closure {
    /// `before[k]`: activities that finish before `k` starts.
    before: Vec<Vec<u64>>,
    /// `after[k]`: activities that start after `k` finishes.
    after: Vec<Vec<u64>>,
}

fn words(n: usize) -> usize {
    n.div_ceil(64)
}

fn members(set: &[u64]) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(w, &bits)| {
        (0..64)
            .filter(move |b| bits >> b & 1 == 1)
            .map(move |b| w * 64 + b)
    })
}

impl Closure {
    fn new(bound: &CapacityBound) -> Closure {
        let n = bound.ids.len();
        let mut before = vec![vec![0u64; words(n)]; n];
        for &k in &bound.order {
            for &(p, lag) in &bound.preds[k] {
                if lag < 0 {
                    continue;
                }
                let from = before[p].clone();
                for (x, y) in before[k].iter_mut().zip(from) {
                    *x |= y;
                }
                before[k][p / 64] |= 1 << (p % 64);
            }
        }
        let mut after = vec![vec![0u64; words(n)]; n];
        for k in 0..n {
            for j in members(&before[k]) {
                after[j][k / 64] |= 1 << (k % 64);
            }
        }
        Closure { before, after }
    }
}

/// Capacity prefix sums per role: `prefix[r][d]` = person-days of role `r` in `[0, d)`.
fn prefixes(bound: &CapacityBound) -> Vec<Vec<f64>> {
    bound
        .capacity
        .iter()
        .map(|days| {
            let mut p = Vec::with_capacity(days.len() + 1);
            p.push(0.0);
            for &x in days {
                p.push(p.last().copied().unwrap_or(0.0) + x);
            }
            p
        })
        .collect()
}

/// Tolerance when comparing sums of person-days.
const EPS: f64 = 1e-9;

/// First day `t ≥ h` with `prefix[t] − prefix[h] ≥ work`; `None` past the horizon.
fn first_day_supplying(prefix: &[f64], h: u32, work: f64) -> Option<u32> {
    let target = prefix[h as usize] + work - EPS;
    let rest = &prefix[h as usize..];
    let i = rest.partition_point(|&x| x < target);
    (i < rest.len()).then(|| h + i as u32)
}

/// Last day `t ≤ g` with `prefix[g] − prefix[t] ≥ work`; `None` when even `[0, g)` is short.
fn last_day_supplying(prefix: &[f64], g: u32, work: f64) -> Option<u32> {
    let target = prefix[g as usize] - work + EPS;
    let i = prefix[..=g as usize].partition_point(|&x| x <= target);
    i.checked_sub(1).map(|t| t as u32)
}

/// The windows of `deadlines`, tightened by energy over dependency sets until nothing moves.
pub fn tightened_windows(bound: &CapacityBound, deadlines: &[(usize, u32)]) -> Windows {
    let mut w = bound.windows(deadlines);
    Tightener::new(bound).tighten(bound, &mut w);
    w
}

/// What the heads and tails need of one relaxation, built once: the dependency sets, the
/// capacity prefix sums and the successors.
#[derive(Debug, Clone)]
pub(crate) struct Tightener {
    closure: Closure,
    prefix: Vec<Vec<f64>>,
    succs: Vec<Vec<(usize, i32)>>,
}

impl Tightener {
    pub(crate) fn new(bound: &CapacityBound) -> Tightener {
        Tightener {
            closure: Closure::new(bound),
            prefix: prefixes(bound),
            succs: successors(bound),
        }
    }

    /// Tightens `w` by heads and tails until nothing moves (or [`MAX_PASSES`]).
    pub(crate) fn tighten(&self, bound: &CapacityBound, w: &mut Windows) {
        for _ in 0..MAX_PASSES {
            let heads = tighten_heads(bound, &self.closure, &self.prefix, w);
            let tails = tighten_tails(bound, &self.closure, &self.prefix, &self.succs, w);
            if !heads && !tails {
                break;
            }
        }
    }
}

/// Raises earliest starts by the energy of the work before each activity; true if any moved.
fn tighten_heads(
    bound: &CapacityBound,
    closure: &Closure,
    prefix: &[Vec<f64>],
    w: &mut Windows,
) -> bool {
    let horizon = bound.horizon;
    let mut moved = false;
    for &k in &bound.order {
        let mut start = w.start[k];
        for &(p, lag) in &bound.preds[k] {
            let at = i64::from(w.start[p]) + i64::from(bound.min_duration[p]) + i64::from(lag);
            start = start.max(at.clamp(0, i64::from(horizon)) as u32);
        }
        for (r, prefix) in prefix.iter().enumerate() {
            let mut work: Vec<(u32, f64)> = members(&closure.before[k])
                .filter_map(|j| bound.shares[j][r].map(|s| (w.start[j], s.work)))
                .collect();
            work.sort_by_key(|a| std::cmp::Reverse(a.0));
            let mut sum = 0.0;
            for (i, &(h, x)) in work.iter().enumerate() {
                sum += x;
                if work.get(i + 1).is_some_and(|next| next.0 == h) {
                    continue;
                }
                let t = first_day_supplying(prefix, h.min(horizon), sum).unwrap_or(horizon);
                start = start.max(t);
            }
        }
        if start > w.start[k] {
            w.start[k] = start;
            moved = true;
        }
    }
    moved
}

/// Lowers latest finishes by the energy of the work after each activity; true if any moved.
fn tighten_tails(
    bound: &CapacityBound,
    closure: &Closure,
    prefix: &[Vec<f64>],
    succs: &[Vec<(usize, i32)>],
    w: &mut Windows,
) -> bool {
    let mut moved = false;
    for &k in bound.order.iter().rev() {
        let mut finish = w.finish[k];
        for &(s, lag) in &succs[k] {
            let Some(fs) = w.finish[s] else { continue };
            let at = fs - i64::from(bound.min_duration[s]) - i64::from(lag);
            finish = Some(finish.map_or(at, |f| f.min(at)));
        }
        for (r, prefix) in prefix.iter().enumerate() {
            let mut work: Vec<(i64, f64)> = members(&closure.after[k])
                .filter_map(|j| Some((w.finish[j]?, bound.shares[j][r]?.work)))
                .collect();
            work.sort_by_key(|a| a.0);
            let mut sum = 0.0;
            for (i, &(g, x)) in work.iter().enumerate() {
                sum += x;
                if work.get(i + 1).is_some_and(|next| next.0 == g) {
                    continue;
                }
                let at = if g < 0 {
                    -1
                } else {
                    let g = (g as u32).min(bound.horizon);
                    last_day_supplying(prefix, g, sum).map_or(-1, i64::from)
                };
                finish = Some(finish.map_or(at, |f| f.min(at)));
            }
        }
        if finish != w.finish[k] {
            w.finish[k] = finish;
            moved = true;
        }
    }
    moved
}

/// Finish-to-start successors with their lags.
fn successors(bound: &CapacityBound) -> Vec<Vec<(usize, i32)>> {
    let mut out = vec![Vec::new(); bound.ids.len()];
    for (k, preds) in bound.preds.iter().enumerate() {
        for &(p, lag) in preds {
            out[p].push((k, lag));
        }
    }
    out
}

/// Why the relaxation of this team (its modes and capacity are `bound`'s) cannot meet
/// `deadlines`, or `None` when it cannot tell.
pub fn refute(
    bound: &CapacityBound,
    deadlines: &[(usize, u32)],
) -> Result<Option<Refutation>, SolverFailed> {
    refute_within(bound, &tightened_windows(bound, deadlines))
}

/// [`refute`], then, when it cannot tell, the time-indexed relaxation of each role in
/// `roles` (seconds per role on FANZ, where the rest takes milliseconds).
pub fn refute_deep(
    bound: &CapacityBound,
    deadlines: &[(usize, u32)],
    roles: &[usize],
) -> Result<Option<Refutation>, SolverFailed> {
    let w = tightened_windows(bound, deadlines);
    if let Some(why) = refute_within(bound, &w)? {
        return Ok(Some(why));
    }
    for &role in roles {
        let verdict = time_indexed::check(bound, &w, role, time_indexed::MAX_COLUMNS);
        if verdict == Verdict::Refuted {
            return Ok(Some(Refutation::TimeIndexed { role }));
        }
    }
    Ok(None)
}

/// The arithmetic checks every refutation starts with, on windows already tightened: a
/// closed window, then (when every window fits the horizon) an overloaded energy window.
/// `Break` carries their answer (`None`: a window passes the horizon, so nothing can be
/// proven); `Continue` leaves the decision to the costlier checks.
pub(crate) fn arithmetic_refutation(
    bound: &CapacityBound,
    w: &Windows,
) -> ControlFlow<Option<Refutation>> {
    if let Some(node) = bound.precedence_conflict(w) {
        return ControlFlow::Break(Some(Refutation::WindowClosed {
            node,
            start: w.start[node],
            finish: w.finish[node].unwrap_or(0),
        }));
    }
    if w.finish
        .iter()
        .flatten()
        .any(|&f| f > i64::from(bound.horizon))
    {
        return ControlFlow::Break(None);
    }
    match certificate::find(bound, w) {
        Some(c) => ControlFlow::Break(Some(Refutation::Energy(c))),
        None => ControlFlow::Continue(()),
    }
}

/// The checks of [`refute`] on windows already tightened.
fn refute_within(bound: &CapacityBound, w: &Windows) -> Result<Option<Refutation>, SolverFailed> {
    if let ControlFlow::Break(answer) = arithmetic_refutation(bound, w) {
        return Ok(answer);
    }
    for r in 0..bound.roles.len() {
        match solver::solve(&bound.role_lp(w, r), bound.time_limit) {
            LpOutcome::Optimal(_) => {}
            LpOutcome::Infeasible => return Ok(Some(Refutation::Lp { role: r })),
            LpOutcome::Unknown(why) => return Err(SolverFailed(why)),
        }
    }
    Ok(energetic::find(bound, w).map(Refutation::FixedCrew))
}

/// Every team of exactly `total` people with at least `floor[r]` and at most `caps[r]` of each
/// role, in a fixed order (lexicographic on the roles, most of the first role first).
pub fn teams_of_size(floor: &[u32], caps: &[Option<u32>], total: u32) -> Vec<Vec<u32>> {
    let base: u32 = floor.iter().sum();
    let Some(extra) = total.checked_sub(base) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut team = floor.to_vec();
    spread(&mut team, 0, extra, floor, &mut out);
    out.retain(|t| {
        t.iter()
            .zip(caps)
            .all(|(&n, cap)| cap.is_none_or(|c| n <= c))
    });
    out
}

fn spread(team: &mut [u32], r: usize, left: u32, floor: &[u32], out: &mut Vec<Vec<u32>>) {
    if r + 1 == team.len() {
        team[r] = floor[r] + left;
        out.push(team.to_vec());
        return;
    }
    for k in (0..=left).rev() {
        team[r] = floor[r] + k;
        spread(team, r + 1, left - k, floor, out);
    }
}

/// What [`least_headcount`] found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Headcount {
    /// No team with fewer people meets the dates (proven).
    pub proven_min: u32,
    /// The fewest people of each role that the proof starts from (each proven on its own).
    pub per_role: Vec<u32>,
    /// The teams of `proven_min` people the relaxation does not refute, cheapest first: the
    /// candidates a search should try.
    pub candidates: Vec<Vec<u32>>,
    /// Teams of `proven_min − 1` people (each with every role's minimum) and why each fails;
    /// together with the per-role minimums they prove the bound.
    pub refuted: Vec<(Vec<u32>, Refutation)>,
    /// Whether the enumeration stopped at its limit before finding a team it cannot refute.
    pub truncated: bool,
}

/// The least total headcount of any team with at least `floor[r]` of each role (within
/// `caps`) that the team check does not refute, trying sizes from `Σ floor` up to `upto` (a size known to
/// work) and at most `limit` teams. `check(team)` refutes a team or not.
pub fn least_headcount<E>(
    floor: &[u32],
    caps: &[Option<u32>],
    upto: u32,
    limit: usize,
    mut check: impl FnMut(&[u32]) -> Result<Option<Refutation>, E>,
) -> Result<Headcount, E> {
    let mut tried = 0;
    let mut refuted_below = Vec::new();
    let base: u32 = floor.iter().sum();
    for total in base..=upto {
        let mut refuted = Vec::new();
        let mut candidates = Vec::new();
        for team in teams_of_size(floor, caps, total) {
            if tried >= limit {
                return Ok(Headcount {
                    proven_min: total,
                    per_role: floor.to_vec(),
                    candidates: Vec::new(),
                    refuted: refuted_below,
                    truncated: true,
                });
            }
            tried += 1;
            match check(&team)? {
                Some(why) => refuted.push((team, why)),
                None => candidates.push(team),
            }
        }
        if !candidates.is_empty() {
            return Ok(Headcount {
                proven_min: total,
                per_role: floor.to_vec(),
                candidates,
                refuted: refuted_below,
                truncated: false,
            });
        }
        refuted_below = refuted;
    }
    Ok(Headcount {
        proven_min: upto,
        per_role: floor.to_vec(),
        candidates: Vec::new(),
        refuted: refuted_below,
        truncated: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_of_a_size_cover_every_split_above_the_floor_once() {
        let teams = teams_of_size(&[1, 0, 2], &[None; 3], 5);
        assert_eq!(teams.len(), 6);
        assert!(teams.iter().all(|t| t.iter().sum::<u32>() == 5));
        assert!(teams.iter().all(|t| t[0] >= 1 && t[2] >= 2));
        let mut unique = teams.clone();
        unique.dedup();
        assert_eq!(unique.len(), 6);
        assert!(teams_of_size(&[3, 3], &[None; 2], 5).is_empty());
        assert_eq!(
            teams_of_size(&[1, 0, 2], &[Some(1), None, None], 5).len(),
            3
        );
    }

    #[test]
    fn supply_days_are_found_from_either_side() {
        let prefix = [0.0, 2.0, 4.0, 6.0, 8.0];
        assert_eq!(first_day_supplying(&prefix, 0, 3.0), Some(2));
        assert_eq!(first_day_supplying(&prefix, 1, 4.0), Some(3));
        assert_eq!(first_day_supplying(&prefix, 1, 7.0), None);
        assert_eq!(last_day_supplying(&prefix, 4, 3.0), Some(2));
        assert_eq!(last_day_supplying(&prefix, 4, 8.0), Some(0));
        assert_eq!(last_day_supplying(&prefix, 4, 9.0), None);
    }

    #[test]
    fn the_least_headcount_is_the_first_size_with_a_team_not_refuted() {
        // A team works when it has 3 of role 0 or 4 in all with at least 2 of role 1.
        let works = |t: &[u32]| t[0] >= 3 || (t[0] + t[1] >= 4 && t[1] >= 2);
        let h = least_headcount(&[1, 1], &[None; 2], 10, 100, |t| {
            Ok::<_, ()>((!works(t)).then_some(Refutation::Lp { role: 0 }))
        })
        .unwrap();
        assert_eq!(h.proven_min, 4);
        assert_eq!(h.candidates, vec![vec![3, 1], vec![2, 2], vec![1, 3]]);
        assert_eq!(h.refuted.len(), 2, "every team of 3: {:?}", h.refuted);
    }
}
