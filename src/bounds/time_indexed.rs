//! A time-indexed relaxation of one role: every task of the role starts on one working day in
//! one mode and keeps that mode's crew for its consecutive days, after its predecessors finish.
//!
//! The per-role LP ([`super::capacity`]) and the energy windows let a task's work spread over
//! its window at any crew up to its largest, and they see no precedence inside a window: two
//! tasks of one chain may share the same days. Here, for role `r`, each of its tasks `j` and
//! each mode `m` that fits `j`'s window `[ES, LF)` get a column `z[j, m, t]` for every start day
//! `t` in `[ES, LF − d_m]`: the fraction of `j` started in mode `m` on or before `t`
//! (non-decreasing in `t`). The rows:
//! - each task starts once: `Σ_m z[j, m, LF − d_m] = 1`;
//! - capacity of each working day `t`: `Σ_{j, m} c_m · (z[j, m, t] − z[j, m, t − d_m]) ≤
//!   supply(t)`, the fraction of `j` running on day `t` in mode `m` times its crew;
//! - precedence, disaggregated, for each finish-to-start chain `i → k` through tasks without
//!   the role (their fastest durations and the lags add up to a delay `δ`): `k` started by `t`
//!   means `i` finished by `t − δ`, so `Σ_m z[k, m, t] ≤ Σ_m z[i, m, t − δ − d_m]`.
//!
//! Every schedule that meets the dates, with this role's team, gives a 0/1 solution (its own
//! starts and modes; tasks without the role take at least their fastest durations), so when
//! the LP has none, no schedule meets the dates: the check is a proof, as sound as the windows
//! it starts from. Modes another mode dominates for the role (no longer, no larger crew) are
//! dropped: the dominating one fits wherever the dominated one does.
//!
//! # Complexity
//!
//! One column per task, mode and start day in its window, so `Σ_j Σ_m (LF_j − d_m − ES_j + 1)`
//! columns and as many monotonicity rows, one capacity row per working day of the windows
//! (left out where the role's people cannot be short), and one precedence row per chain and
//! start day of its successor; every row has at most `2 ×` (modes of a task) nonzeros but the
//! capacity rows. Solved by simplex (microlp by default) within the bound's time limit; a
//! relaxation above [`MAX_COLUMNS`] columns is not built (no conclusion).

use super::capacity::{CapacityBound, Windows};
use super::solver::{self, Lp, LpOutcome, Row};

/// Most start columns one role's relaxation may have; above it the check says nothing (a
/// larger LP takes microlp more than a few seconds).
pub const MAX_COLUMNS: usize = 4_000;

/// Seconds the solver may take on one role's relaxation; past it the check says nothing.
pub const TIME_LIMIT: f64 = 5.0;

/// Tolerance on the capacity rows: a schedule's usage equals the supply exactly on full days.
const SLACK: f64 = 1e-7;

/// What the time-indexed relaxation says about one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The LP has no solution: no schedule with this team meets the dates.
    Refuted,
    /// The LP has a solution: no conclusion.
    Allowed,
    /// The relaxation would have more than the column limit (the count): not built.
    TooLarge(usize),
    /// The solver did not finish within [`TIME_LIMIT`]: no conclusion.
    Unfinished,
}

/// One mode of one task of the role: its start days `[first, last]`, duration and crew, and
/// the index of its column for `first`.
#[derive(Debug, Clone, Copy)]
struct Mode {
    first: u32,
    last: u32,
    duration: u32,
    crew: f64,
    column: usize,
}

impl Mode {
    /// The column of "started by day `t`", `None` when it is 0 (before the first start).
    fn by(&self, t: i64) -> Option<usize> {
        if t < i64::from(self.first) {
            return None;
        }
        let t = t.min(i64::from(self.last)) as u32;
        Some(self.column + (t - self.first) as usize)
    }
}

/// The role's tasks (graph node and its modes) and each node's index among them.
struct RoleTasks {
    tasks: Vec<(usize, Vec<Mode>)>,
    index: Vec<Option<usize>>,
    columns: usize,
}

/// Modes of `node` that fit its window and need role `r`, without dominated ones; `None` when
/// a mode that fits needs none of the role (the task is then a delay for this role only).
fn role_modes(
    bound: &CapacityBound,
    r: usize,
    node: usize,
    es: u32,
    lf: u32,
) -> Option<Vec<(u32, f64)>> {
    let fits: Vec<(u32, f64)> = bound.modes[node]
        .iter()
        .filter(|m| m.duration > 0 && es + m.duration <= lf)
        .map(|m| (m.duration, m.crew[r]))
        .collect();
    if fits.is_empty() || fits.iter().any(|&(_, c)| c <= 0.0) {
        return None;
    }
    let mut kept: Vec<(u32, f64)> = Vec::new();
    for &(d, c) in &fits {
        let dominated = fits
            .iter()
            .any(|&(d2, c2)| d2 <= d && c2 <= c && (d2, c2) != (d, c));
        if !dominated && !kept.contains(&(d, c)) {
            kept.push((d, c));
        }
    }
    Some(kept)
}

fn role_tasks(bound: &CapacityBound, w: &Windows, r: usize) -> RoleTasks {
    let mut tasks = Vec::new();
    let mut index = vec![None; bound.ids.len()];
    let mut columns = 0;
    for (node, finish) in w.finish.iter().enumerate() {
        let Some(f) = *finish else { continue };
        if bound.shares[node][r].is_none() || f < 0 {
            continue;
        }
        let (es, lf) = (w.start[node], f as u32);
        let Some(shapes) = role_modes(bound, r, node, es, lf) else {
            continue;
        };
        let modes = shapes
            .into_iter()
            .map(|(duration, crew)| {
                let mode = Mode {
                    first: es,
                    last: lf - duration,
                    duration,
                    crew,
                    column: columns,
                };
                columns += (mode.last - mode.first + 1) as usize;
                mode
            })
            .collect();
        index[node] = Some(tasks.len());
        tasks.push((node, modes));
    }
    RoleTasks {
        tasks,
        index,
        columns,
    }
}

/// Finish-to-start chains between the role's tasks through tasks without it: `(i, k, δ)`,
/// `k` starts at least `δ` working days after `i` finishes (the longest such chain).
fn chains(bound: &CapacityBound, role: &RoleTasks) -> Vec<(usize, usize, i64)> {
    let n = bound.ids.len();
    let mut succs = vec![Vec::new(); n];
    for (k, preds) in bound.preds.iter().enumerate() {
        for &(p, lag) in preds {
            succs[p].push((k, i64::from(lag)));
        }
    }
    let position: Vec<usize> = {
        let mut pos = vec![0; n];
        for (i, &v) in bound.order.iter().enumerate() {
            pos[v] = i;
        }
        pos
    };
    let mut out = Vec::new();
    for (i, &(from, _)) in role.tasks.iter().enumerate() {
        let mut delay: Vec<Option<i64>> = vec![None; n];
        for &(s, lag) in &succs[from] {
            delay[s] = Some(delay[s].map_or(lag, |x: i64| x.max(lag)));
        }
        for &v in &bound.order[position[from] + 1..] {
            let Some(dv) = delay[v] else { continue };
            if let Some(k) = role.index[v] {
                out.push((i, k, dv));
                continue;
            }
            let through = dv + i64::from(bound.min_duration[v]);
            for &(s, lag) in &succs[v] {
                let at = through + lag;
                delay[s] = Some(delay[s].map_or(at, |x: i64| x.max(at)));
            }
        }
    }
    out
}

/// Adds `coef · z` for each column in `cols` to `terms`, merging repeated columns.
fn add_terms(terms: &mut Vec<(usize, f64)>, cols: impl IntoIterator<Item = (usize, f64)>) {
    for (c, x) in cols {
        match terms.iter_mut().find(|t| t.0 == c) {
            Some(t) => t.1 += x,
            None => terms.push((c, x)),
        }
    }
}

/// The LP of role `r` under windows `w`, or the column count when it is above `max_columns`.
fn build(bound: &CapacityBound, w: &Windows, r: usize, max_columns: usize) -> Result<Lp, usize> {
    let role = role_tasks(bound, w, r);
    if role.columns > max_columns {
        return Err(role.columns);
    }
    let mut lp = Lp::default();
    for _ in 0..role.columns {
        lp.var(0.0, 1.0, false, 0.0);
    }
    let ge = |terms: Vec<(usize, f64)>, lower: f64| Row {
        terms,
        lower,
        upper: f64::INFINITY,
    };
    for (_, modes) in &role.tasks {
        for m in modes {
            for c in m.column + 1..=m.column + (m.last - m.first) as usize {
                lp.rows.push(ge(vec![(c, 1.0), (c - 1, -1.0)], 0.0));
            }
        }
        let once = modes.iter().filter_map(|m| m.by(i64::from(m.last)));
        lp.rows.push(Row {
            terms: once.map(|c| (c, 1.0)).collect(),
            lower: 1.0,
            upper: 1.0,
        });
    }
    capacity_rows(bound, &role, r, &mut lp);
    for (i, k, delay) in chains(bound, &role) {
        let (before, after) = (&role.tasks[i].1, &role.tasks[k].1);
        let first = after.iter().map(|m| m.first).min().unwrap_or(0);
        let last = after.iter().map(|m| m.last).max().unwrap_or(0);
        for t in first..=last {
            let t = i64::from(t);
            if before
                .iter()
                .all(|m| t - delay - i64::from(m.duration) >= i64::from(m.last))
            {
                continue; // `i` is surely finished: the row holds for every solution.
            }
            let mut terms = Vec::new();
            add_terms(
                &mut terms,
                after.iter().filter_map(|m| m.by(t)).map(|c| (c, 1.0)),
            );
            let done = before
                .iter()
                .filter_map(|m| m.by(t - delay - i64::from(m.duration)));
            add_terms(&mut terms, done.map(|c| (c, -1.0)));
            lp.rows.push(Row {
                terms,
                lower: f64::NEG_INFINITY,
                upper: 0.0,
            });
        }
    }
    Ok(lp)
}

/// One capacity row per working day on which the role's tasks could need more than it has.
fn capacity_rows(bound: &CapacityBound, role: &RoleTasks, r: usize, lp: &mut Lp) {
    let end = role
        .tasks
        .iter()
        .flat_map(|(_, ms)| ms.iter().map(|m| m.last + m.duration))
        .max()
        .unwrap_or(0)
        .min(bound.horizon);
    let begin = role
        .tasks
        .iter()
        .flat_map(|(_, ms)| ms.iter().map(|m| m.first))
        .min()
        .unwrap_or(0);
    for t in begin..end {
        let running: Vec<&Mode> = role
            .tasks
            .iter()
            .flat_map(|(_, ms)| ms.iter())
            .filter(|m| m.first <= t && t < m.last + m.duration)
            .collect();
        let most: f64 = role
            .tasks
            .iter()
            .map(|(_, ms)| {
                ms.iter()
                    .filter(|m| m.first <= t && t < m.last + m.duration)
                    .map(|m| m.crew)
                    .fold(0.0, f64::max)
            })
            .sum();
        let supply = bound.capacity[r][t as usize];
        if most <= supply + SLACK {
            continue;
        }
        let mut terms = Vec::new();
        for m in running {
            let t = i64::from(t);
            add_terms(&mut terms, m.by(t).map(|c| (c, m.crew)));
            add_terms(
                &mut terms,
                m.by(t - i64::from(m.duration)).map(|c| (c, -m.crew)),
            );
        }
        terms.retain(|x| x.1 != 0.0);
        lp.rows.push(Row {
            terms,
            lower: f64::NEG_INFINITY,
            upper: supply + SLACK,
        });
    }
}

/// The number of start columns role `r`'s relaxation has under windows `w`.
pub fn columns(bound: &CapacityBound, w: &Windows, r: usize) -> usize {
    role_tasks(bound, w, r).columns
}

/// Whether the time-indexed relaxation of role `r` under windows `w` proves the dates
/// impossible, with at most `max_columns` start columns. A solver that does not finish is
/// no conclusion, never an error: the check only ever adds proofs to the cheaper ones.
pub fn check(bound: &CapacityBound, w: &Windows, r: usize, max_columns: usize) -> Verdict {
    check_within(bound, w, r, max_columns, TIME_LIMIT.min(bound.time_limit))
}

/// [`check`] with the solver given `seconds`.
pub fn check_within(
    bound: &CapacityBound,
    w: &Windows,
    r: usize,
    max_columns: usize,
    seconds: f64,
) -> Verdict {
    if w.finish
        .iter()
        .flatten()
        .any(|&f| f < 0 || f > i64::from(bound.horizon))
    {
        return Verdict::Allowed;
    }
    let lp = match build(bound, w, r, max_columns) {
        Ok(lp) => lp,
        Err(n) => return Verdict::TooLarge(n),
    };
    match solver::solve(&lp, seconds) {
        LpOutcome::Optimal(_) => Verdict::Allowed,
        LpOutcome::Infeasible => Verdict::Refuted,
        LpOutcome::Unknown(_) => Verdict::Unfinished,
    }
}
