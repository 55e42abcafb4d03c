//! Flat, index-based copy of a validated [`Problem`] that the hot loops of
//! schedule generation read without chasing nested vectors.

use super::problem::{Problem, ProblemError};
use crate::graph::LinkType;

/// Compressed rows: `items[offsets[j]..offsets[j + 1]]` belong to row `j`.
#[derive(Clone, Debug)]
pub(crate) struct Rows<T> {
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T> Rows<T> {
    fn from_nested(nested: impl IntoIterator<Item = impl IntoIterator<Item = T>>) -> Self {
        let mut offsets = vec![0u32];
        let mut items = Vec::new();
        for row in nested {
            items.extend(row);
            offsets.push(items.len() as u32);
        }
        Rows { offsets, items }
    }

    #[inline]
    pub(crate) fn row(&self, j: usize) -> &[T] {
        &self.items[self.offsets[j] as usize..self.offsets[j + 1] as usize]
    }
}

/// A [`super::problem::Mode`] with its zero demands dropped.
#[derive(Clone, Debug)]
pub(crate) struct CompiledMode {
    /// Days.
    pub duration: u32,
    /// Only resources with positive demand, as `(resource, units)`.
    pub demand: Vec<(u32, i32)>,
}

/// A validated problem in flat arrays, shared (behind an `Arc`) by every generator clone.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    /// Number of activities.
    pub n: usize,
    /// Number of resources.
    pub resources: usize,
    /// `(pred, lag)` per activity.
    pub preds: Rows<(u32, i32)>,
    /// `(succ, lag)` per activity.
    pub succs: Rows<(u32, i32)>,
    /// The link type of each entry of `preds`, in the same order.
    pub pred_kinds: Rows<LinkType>,
    /// The link type of each entry of `succs`, in the same order.
    pub succ_kinds: Rows<LinkType>,
    /// Every link is finish-to-start: the passes take their fast path.
    pub finish_to_start: bool,
    /// Release day per activity.
    pub release: Vec<u32>,
    /// Every mode of every activity, indexed like the problem's.
    pub modes: Vec<Vec<CompiledMode>>,
    /// Modes the search may pick: those that fit the eventual capacity.
    pub usable_modes: Vec<Vec<usize>>,
    /// Units per day and resource, row-major by day, until capacity stops changing.
    cap_table: Vec<i32>,
    cap_table_days: usize,
    final_caps: Vec<i32>,
    /// With only non-negative finish-to-start lags, start/finish order is always
    /// precedence feasible, which lets justification skip a topological repair.
    pub nonneg_lags: bool,
    /// Activities in a precedence-feasible order.
    pub topo: Vec<usize>,
}

impl Compiled {
    pub(crate) fn new(problem: &Problem) -> Result<Self, ProblemError> {
        problem.validate()?;
        let topo = problem.topological_order()?;
        let resources = problem.resources.len();
        let preds = Rows::from_nested(problem.activities.iter().map(|a| {
            a.preds
                .iter()
                .map(|p| (p.pred as u32, p.lag))
                .collect::<Vec<_>>()
        }));
        let succs = Rows::from_nested(problem.successors().into_iter().map(|row| {
            row.into_iter()
                .map(|(s, lag)| (s as u32, lag))
                .collect::<Vec<_>>()
        }));
        let pred_kinds = Rows::from_nested(
            problem
                .activities
                .iter()
                .map(|a| a.preds.iter().map(|p| p.kind).collect::<Vec<_>>()),
        );
        // In the order `Problem::successors` lists them.
        let mut succ_rows = vec![Vec::new(); problem.activities.len()];
        for a in &problem.activities {
            for p in &a.preds {
                if let Some(row) = succ_rows.get_mut(p.pred) {
                    row.push(p.kind);
                }
            }
        }
        let succ_kinds = Rows::from_nested(succ_rows);
        let finish_to_start = problem
            .activities
            .iter()
            .all(|a| a.preds.iter().all(|p| p.kind == LinkType::FS));
        let modes = problem
            .activities
            .iter()
            .map(|a| a.modes.iter().map(compile_mode).collect())
            .collect();
        let usable_modes = problem.usable_modes();
        let cap_table_days = problem
            .resources
            .iter()
            .map(|r| r.capacity.last_change() as usize + 1)
            .max()
            .unwrap_or(0);
        let cap_table = (0..cap_table_days)
            .flat_map(|day| {
                problem
                    .resources
                    .iter()
                    .map(move |r| clamp_units(r.capacity.units_at(day as u32)))
            })
            .collect();
        let final_caps = problem
            .resources
            .iter()
            .map(|r| clamp_units(r.capacity.final_units()))
            .collect();
        Ok(Compiled {
            n: problem.activities.len(),
            resources,
            preds,
            succs,
            pred_kinds,
            succ_kinds,
            finish_to_start,
            release: problem.activities.iter().map(|a| a.release).collect(),
            modes,
            usable_modes,
            cap_table,
            cap_table_days,
            final_caps,
            nonneg_lags: finish_to_start
                && problem
                    .activities
                    .iter()
                    .all(|a| a.preds.iter().all(|p| p.lag >= 0)),
            topo,
        })
    }

    /// Writes the capacity of every resource on `day` into `row`.
    #[inline]
    pub(crate) fn fill_capacity(&self, day: usize, row: &mut [i32]) {
        if day < self.cap_table_days {
            let r = self.resources;
            row.copy_from_slice(&self.cap_table[day * r..day * r + r]);
        } else {
            row.copy_from_slice(&self.final_caps);
        }
    }

    #[inline]
    pub(crate) fn mode(&self, j: usize, m: usize) -> &CompiledMode {
        &self.modes[j][m]
    }

    pub(crate) fn final_capacity(&self, resource: usize) -> i32 {
        self.final_caps[resource]
    }

    pub(crate) fn is_usable_mode(&self, j: usize, m: usize) -> bool {
        self.usable_modes.get(j).is_some_and(|ms| ms.contains(&m))
    }

    pub(crate) fn longest_usable_duration(&self, j: usize) -> u32 {
        self.usable_modes[j]
            .iter()
            .map(|&m| self.modes[j][m].duration)
            .max()
            .unwrap_or(0)
    }

    /// Capacity never changes, nothing has a release day and every link is finish-to-start
    /// with a non-negative lag: a schedule can then be shifted in time and mirrored (run
    /// backward) without changing what is feasible.
    pub(crate) fn is_time_invariant(&self) -> bool {
        let r = self.resources;
        self.nonneg_lags
            && self.release.iter().all(|&d| d == 0)
            && self
                .cap_table
                .chunks(r.max(1))
                .all(|row| row == self.final_caps)
    }

    /// A day no serial pass of a time-invariant problem finishes after: every activity in
    /// its longest mode, one after another, with every lag (saturating at `u32::MAX / 2`).
    pub(crate) fn serial_horizon(&self) -> u32 {
        let work: u64 = (0..self.n)
            .map(|j| u64::from(self.longest_usable_duration(j)))
            .sum();
        let lags: u64 = (0..self.n)
            .flat_map(|j| self.preds.row(j))
            .map(|&(_, lag)| lag.max(0) as u64)
            .sum();
        (work + lags).min(u64::from(u32::MAX / 2)) as u32
    }

    pub(crate) fn shortest_usable_duration(&self, j: usize) -> u32 {
        self.usable_modes[j]
            .iter()
            .map(|&m| self.modes[j][m].duration)
            .min()
            .unwrap_or(0)
    }
}

fn compile_mode(mode: &super::problem::Mode) -> CompiledMode {
    CompiledMode {
        duration: mode.duration,
        demand: mode
            .demand
            .iter()
            .enumerate()
            .filter(|&(_, &q)| q > 0)
            .map(|(k, &q)| (k as u32, clamp_units(q)))
            .collect(),
    }
}

/// The profile counts in `i32`; no real capacity comes near the limit.
fn clamp_units(units: u32) -> i32 {
    units.min(i32::MAX as u32 / 2) as i32
}
