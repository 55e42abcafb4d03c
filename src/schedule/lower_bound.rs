//! Lower bounds on the makespan: the critical path and, per resource, the energy bound.
//!
//! - **Critical path**: every activity at its shortest mode, precedences, lags and releases,
//!   no resources.
//! - **Energy** (per resource `k`): every activity `j` must do at least
//!   `W_jk = min over modes (duration × units of k)` unit-days of `k`, and it cannot do them
//!   before its earliest start `r_j` nor after `makespan - q_j`, where `q_j` is the longest
//!   dependency tail after its finish. For a set `S` of activities, all of `Σ W_jk` falls in
//!   `[min r_j, makespan - min q_j)`, so the makespan is at least the first day `T` by which the
//!   capacity profile (its steps, not only its final level) has supplied that work from
//!   `min r_j`, plus `min q_j`. The sets tried are the activities with `r_j ≥ r` for every
//!   earliest start `r`, and those with `q_j ≥ q` for every tail `q` (the "work that cannot
//!   start before `r_min`" bound and its mirror).
//!
//! Both count only the modes the search may use (those that fit the eventual capacity, see
//! [`Problem::mode_fits_eventually`]), so they bound every schedule the search and the serial
//! schedule generation can produce; for a problem whose modes all fit, every feasible schedule.
//!
//! # Complexity
//!
//! For `n` activities, `E` precedences, `M` modes in all, `R` resources and `s` capacity steps
//! per resource: `O((n + E) log n + M · R + n log n + n · R · log s)` time (topological order,
//! minimum work per activity, two sorts, one step search per set and resource) and
//! `O(n · R + s · R)` memory.
//!
//! ```
//! use plan::schedule::{lower_bound, Activity, BoundKind, Problem, Resource};
//!
//! // Three independent 4-day jobs that each need the only machine: the critical path is 4
//! // days, the machine needs 12.
//! let problem = Problem {
//!     activities: vec![Activity::single(4, vec![1]); 3],
//!     resources: vec![Resource::constant("machine", 1)],
//!     horizon_hint: 0,
//! };
//! let bound = lower_bound(&problem).unwrap();
//! assert_eq!((bound.value, bound.critical_path), (12, 4));
//! assert_eq!((bound.kind, bound.resource), (BoundKind::Energy, Some(0)));
//! ```

use super::compiled::Compiled;
use super::problem::{Capacity, Precedence, Problem, ProblemError};
use serde::Serialize;

/// Which argument gives the bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundKind {
    /// The dependency chain with each activity at its shortest mode.
    CriticalPath,
    /// The work one resource must supply (see [`LowerBound::resource`]).
    Energy,
}

/// The best makespan bound the module knows, and what it rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LowerBound {
    /// No schedule (with modes that fit the eventual capacity) is shorter.
    pub value: u32,
    /// The critical-path bound alone (`value >= critical_path`).
    pub critical_path: u32,
    /// The argument that gives `value` (the critical path when they tie).
    pub kind: BoundKind,
    /// For [`BoundKind::Energy`], the resource whose work gives the bound.
    pub resource: Option<usize>,
}

/// The best of the critical-path and energy bounds of `problem` (see the module).
pub fn lower_bound(problem: &Problem) -> Result<LowerBound, ProblemError> {
    let c = Compiled::new(problem)?;
    Ok(compute(problem, &c))
}

/// As [`lower_bound`] on an already compiled problem.
pub(crate) fn compute(problem: &Problem, c: &Compiled) -> LowerBound {
    let (starts, tails) = heads_and_tails(c);
    let critical_path = (0..c.n)
        .map(|j| starts[j] + c.shortest_usable_duration(j))
        .max()
        .unwrap_or(0);
    let mut best = LowerBound {
        value: critical_path,
        critical_path,
        kind: BoundKind::CriticalPath,
        resource: None,
    };
    for (k, resource) in problem.resources.iter().enumerate() {
        let work: Vec<u64> = (0..c.n).map(|j| least_work(c, j, k)).collect();
        let supply = Supply::new(&resource.capacity);
        let energy = energy_bound(&work, &starts, &tails, &supply);
        if energy > best.value {
            best = LowerBound {
                value: energy,
                critical_path,
                kind: BoundKind::Energy,
                resource: Some(k),
            };
        }
    }
    best
}

/// Earliest starts (releases, lags, shortest usable modes) and the longest dependency tail
/// after each activity's finish: any schedule has `start ≥ head` and `makespan ≥ finish + tail`.
fn heads_and_tails(c: &Compiled) -> (Vec<u32>, Vec<u32>) {
    let mut heads = vec![0u32; c.n];
    for &j in &c.topo {
        let longest = c.longest_usable_duration(j);
        let links = c.preds.row(j).iter().zip(c.pred_kinds.row(j));
        heads[j] = links.fold(c.release[j], |acc, (&(p, lag), &kind)| {
            let p = p as usize;
            let shortest = c.shortest_usable_duration(p);
            let finish = i64::from(heads[p]) + i64::from(shortest);
            let link = Precedence { pred: p, lag, kind };
            acc.max((finish + link.relaxed_lag(shortest, longest)).max(0) as u32)
        });
    }
    let mut tails = vec![0u32; c.n];
    for &j in c.topo.iter().rev() {
        // Any link type as a finish-to-start one with the predecessor at its longest and the
        // successor at its shortest: the weakest reading, so the tail stays a lower bound.
        let longest = c.longest_usable_duration(j);
        let links = c.succs.row(j).iter().zip(c.succ_kinds.row(j));
        tails[j] = links.fold(0, |acc, (&(s, lag), &kind)| {
            let s = s as usize;
            let shortest = c.shortest_usable_duration(s);
            let link = Precedence { pred: j, lag, kind };
            let through = link.relaxed_lag(longest, shortest) + i64::from(shortest);
            acc.max((through + i64::from(tails[s])).max(0) as u32)
        });
    }
    (heads, tails)
}

/// Least unit-days of resource `k` over the usable modes of activity `j`.
fn least_work(c: &Compiled, j: usize, k: usize) -> u64 {
    c.usable_modes[j]
        .iter()
        .map(|&m| {
            let mode = c.mode(j, m);
            let units = mode
                .demand
                .iter()
                .find(|&&(r, _)| r as usize == k)
                .map_or(0, |&(_, q)| q.max(0) as u64);
            u64::from(mode.duration) * units
        })
        .min()
        .unwrap_or(0)
}

/// The best energy bound of one resource over the head- and tail-threshold sets.
fn energy_bound(work: &[u64], heads: &[u32], tails: &[u32], supply: &Supply) -> u32 {
    let needing: Vec<usize> = (0..work.len()).filter(|&j| work[j] > 0).collect();
    let by_head = sorted_desc(&needing, heads);
    let by_tail = sorted_desc(&needing, tails);
    threshold_sets(&by_head, work, heads, tails, supply)
        .max(threshold_sets(&by_tail, work, heads, tails, supply))
}

fn sorted_desc(items: &[usize], key: &[u32]) -> Vec<usize> {
    let mut sorted = items.to_vec();
    sorted.sort_by_key(|&j| std::cmp::Reverse(key[j]));
    sorted
}

/// The bound of every prefix of `order` (taken whole at each change of key, but any prefix is
/// a valid set, so every prefix is tried).
fn threshold_sets(
    order: &[usize],
    work: &[u64],
    heads: &[u32],
    tails: &[u32],
    supply: &Supply,
) -> u32 {
    let (mut total, mut head, mut tail) = (0u64, u32::MAX, u32::MAX);
    let mut best = 0;
    for &j in order {
        total += work[j];
        head = head.min(heads[j]);
        tail = tail.min(tails[j]);
        if let Some(end) = supply.end(head, total) {
            best = best.max(end.saturating_add(tail));
        }
    }
    best
}

/// Cumulative supply of a capacity profile: units summed over days.
struct Supply {
    /// `(day, units, supply before day)` per step.
    steps: Vec<(u32, u64, u64)>,
}

impl Supply {
    fn new(capacity: &Capacity) -> Self {
        let mut steps = Vec::with_capacity(capacity.steps().len());
        let mut before = 0u64;
        let mut previous: Option<(u32, u64)> = None;
        for &(day, units) in capacity.steps() {
            if let Some((d, u)) = previous {
                before += u64::from(day - d) * u;
            }
            steps.push((day, u64::from(units), before));
            previous = Some((day, u64::from(units)));
        }
        Supply { steps }
    }

    /// Units supplied on days `0..day`.
    fn before(&self, day: u32) -> u64 {
        let after = self.steps.partition_point(|&(d, _, _)| d <= day);
        match after.checked_sub(1).map(|i| self.steps[i]) {
            Some((d, u, before)) => before + u64::from(day - d) * u,
            None => 0,
        }
    }

    /// The first day `T ≥ from` with `work` units supplied on days `from..T`, or `None` when
    /// the profile never supplies that much.
    fn end(&self, from: u32, work: u64) -> Option<u32> {
        let target = self.before(from).checked_add(work)?;
        // The last step whose start has not yet supplied the target.
        let i = self
            .steps
            .partition_point(|&(_, _, before)| before < target)
            .checked_sub(1)?;
        let (day, units, before) = self.steps[i];
        if units == 0 {
            return None;
        }
        let days = (target - before).div_ceil(units);
        let end = u64::from(day) + days;
        u32::try_from(end.max(u64::from(from))).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supply_follows_the_steps() {
        let cap = Capacity::from_steps(vec![(0, 2), (3, 0), (5, 1)]).unwrap();
        let s = Supply::new(&cap);
        assert_eq!(s.before(0), 0);
        assert_eq!(s.before(3), 6);
        assert_eq!(s.before(5), 6);
        assert_eq!(s.before(7), 8);
        assert_eq!(s.end(0, 6), Some(3));
        assert_eq!(s.end(0, 7), Some(6));
        assert_eq!(s.end(1, 1), Some(2));
        assert_eq!(s.end(3, 1), Some(6));
        assert_eq!(s.end(4, 0), Some(4));
        let none = Supply::new(&Capacity::from_steps(vec![(0, 2), (3, 0)]).unwrap());
        assert_eq!(none.end(0, 7), None);
    }
}
