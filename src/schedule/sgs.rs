//! Serial schedule-generation scheme (SGS): turns an activity list plus a
//! mode per activity into a schedule, forward (left-justified) or backward
//! (right-justified), and forward-backward improvement (justification,
//! Valls et al. 2005) built from the two.
//!
//! # Complexity
//!
//! One serial pass over `n` activities with `E` precedences and `R` resources costs
//! `O(n + E)` for the earliest starts plus, for each activity `j`, `O(w_j · d_j · r_j)` to
//! place it, where `d_j` is its duration, `r_j ≤ R` the resources its mode uses and `w_j`
//! the candidate start days tried (a clash moves the start past the clashing day, so `w_j`
//! is 1 when the first window fits); the capacity profile costs `O(T · R)` for a makespan
//! of `T` days. Worst case `O(E + n · T · d_max · R)`; with free capacity `O(E + Σ d_j r_j)`.
//! Justification is one backward and one forward pass plus two `O(n log n)` sorts (and an
//! `O((n + E) log n)` topological repair when negative lags break the sorted order).

use super::compiled::Compiled;
use super::driver::{Driver, DriverRecorder, NoRecord, Recorder};
use super::problem::{Problem, ProblemError, Schedule};
use crate::graph::LinkType;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use thiserror::Error;

/// Why a caller-supplied activity list cannot be scheduled.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ListError {
    /// The order or the modes do not have one entry per activity.
    #[error("activity list has {found} entries, expected {expected}")]
    Length {
        /// Activities in the problem.
        expected: usize,
        /// Entries in the list that was given.
        found: usize,
    },
    /// The order is not a permutation: this activity index is repeated or out of range
    /// (so another is missing).
    #[error("activity {0} is missing from the list or repeated")]
    NotPermutation(usize),
    /// A successor comes before its predecessor, so the serial scheme cannot place it.
    #[error("activity {succ} is listed before its predecessor {pred}")]
    Precedence {
        /// The predecessor listed too late.
        pred: usize,
        /// The successor listed too early.
        succ: usize,
    },
    /// A mode index the activity does not have, or one whose demand never fits the
    /// eventual capacity (see [`Problem::mode_fits_eventually`]).
    #[error("activity {activity} has no usable mode {mode}")]
    Mode {
        /// The activity.
        activity: usize,
        /// The mode index given for it.
        mode: usize,
    },
    /// A [`CheckedList`] was replayed on an [`Sgs`] built for another problem.
    #[error("the list was checked against a different problem")]
    ForeignList,
}

/// Which way time runs in the profile: backward passes schedule in mirrored
/// time `T - 1 - day` so the same earliest-fit code right-justifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Forward,
    Mirrored { horizon: u32 },
}

/// Remaining units per day and resource (row-major by day), grown on demand.
#[derive(Clone, Debug)]
struct Profile {
    resources: usize,
    remaining: Vec<i32>,
    days: usize,
    direction: Direction,
}

impl Profile {
    fn new(resources: usize, horizon_hint: u32) -> Self {
        Profile {
            resources,
            remaining: Vec::with_capacity(resources * horizon_hint.min(1 << 16) as usize),
            days: 0,
            direction: Direction::Forward,
        }
    }

    fn reset(&mut self, direction: Direction) {
        self.remaining.clear();
        self.days = 0;
        self.direction = direction;
    }

    fn ensure_days(&mut self, c: &Compiled, days: usize) {
        if days <= self.days {
            return;
        }
        let target = days.max(self.days * 2).max(64);
        let r = self.resources;
        self.remaining.resize(target * r, 0);
        for day in self.days..target {
            let row = &mut self.remaining[day * r..day * r + r];
            match self.direction {
                Direction::Forward => c.fill_capacity(day, row),
                Direction::Mirrored { horizon } if (day as u64) < horizon as u64 => {
                    c.fill_capacity((horizon as usize) - 1 - day, row)
                }
                // Mirrored days at or past the horizon lie before day 0.
                Direction::Mirrored { .. } => row.fill(0),
            }
        }
        self.days = target;
    }

    /// Earliest `t >= earliest`, `t <= latest`, at which `demand` fits on every
    /// day of `[t, t + duration)`. Scanning each window from its end lets a
    /// clash skip the start past it in one step.
    #[inline]
    fn earliest_fit(
        &mut self,
        c: &Compiled,
        earliest: u32,
        latest: u32,
        duration: u32,
        demand: &[(u32, i32)],
    ) -> Option<u32> {
        if duration == 0 || demand.is_empty() {
            return (earliest <= latest).then_some(earliest);
        }
        let r = self.resources;
        let mut t = earliest;
        'window: loop {
            if t > latest {
                return None;
            }
            let end = t as usize + duration as usize;
            self.ensure_days(c, end);
            for day in (t as usize..end).rev() {
                let row = &self.remaining[day * r..day * r + r];
                if demand.iter().any(|&(k, q)| row[k as usize] < q) {
                    t = day as u32 + 1;
                    continue 'window;
                }
            }
            return Some(t);
        }
    }

    /// Remaining units of every resource on `day`, which `earliest_fit` has already reached.
    fn row(&self, day: usize) -> &[i32] {
        &self.remaining[day * self.resources..(day + 1) * self.resources]
    }

    #[inline]
    fn occupy(&mut self, start: u32, duration: u32, demand: &[(u32, i32)]) {
        if demand.is_empty() {
            // Nothing to take, and `earliest_fit` did not grow the profile.
            return;
        }
        let r = self.resources;
        for day in start as usize..(start + duration) as usize {
            let row = &mut self.remaining[day * r..day * r + r];
            for &(k, q) in demand {
                row[k as usize] -= q;
            }
        }
    }
}

/// Result code of a generation pass that could not place an activity
/// (only possible in mirrored time, where day 0 is a hard wall).
pub(crate) const UNPLACEABLE: u32 = u32::MAX;

/// Distinguishes generators of different problems, so a [`CheckedList`]
/// cannot be replayed against a problem it was not checked for.
static NEXT_PROBLEM_ID: AtomicU64 = AtomicU64::new(0);

/// An activity list and modes verified against one [`Sgs`] (and its clones):
/// a precedence-feasible permutation with a usable mode per activity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedList {
    order: Vec<usize>,
    modes: Vec<usize>,
    problem_id: u64,
}

impl CheckedList {
    /// The activities in scheduling order (every predecessor before its successors).
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The mode index of each activity, indexed by activity (not by list position).
    pub fn modes(&self) -> &[usize] {
        &self.modes
    }
}

/// Reusable schedule generator for one problem; keeps its buffers between
/// calls so the search allocates nothing per schedule. Costs per pass: see the module's
/// complexity.
///
/// # Example
///
/// Two jobs on the one unit of `r` with no link between them: the list decides which goes
/// first, and each starts as early as the unit is free.
///
/// ```
/// use plan::schedule::{Activity, Problem, Resource, Sgs};
///
/// let problem = Problem {
///     activities: vec![Activity::single(3, vec![1]), Activity::single(2, vec![1])],
///     resources: vec![Resource::constant("r", 1)],
///     horizon_hint: 0,
/// };
/// let mut sgs = Sgs::new(&problem).unwrap();
/// assert_eq!(sgs.schedule(&[0, 1], &[0, 0]).unwrap().starts, [0, 3]);
/// assert_eq!(sgs.schedule(&[1, 0], &[0, 0]).unwrap().starts, [2, 0]);
/// ```
#[derive(Clone, Debug)]
pub struct Sgs {
    pub(crate) c: Arc<Compiled>,
    problem_id: u64,
    profile: Profile,
    keys: Vec<u64>,
    position: Vec<u32>,
    /// Finish of every placed activity in the current pass (mirrored time
    /// for backward passes): saves looking durations up through the modes.
    finish: Vec<u32>,
    back_order: Vec<usize>,
    back_starts: Vec<u32>,
    fwd_order: Vec<usize>,
    fwd_starts: Vec<u32>,
}

impl Sgs {
    /// Validates `problem` (see [`Problem::validate`]) and compiles it into the flat form
    /// the passes read; the problem is not borrowed afterwards.
    pub fn new(problem: &Problem) -> Result<Self, ProblemError> {
        let c = Arc::new(Compiled::new(problem)?);
        let n = c.n;
        Ok(Sgs {
            profile: Profile::new(c.resources, problem.horizon_hint),
            c,
            problem_id: NEXT_PROBLEM_ID.fetch_add(1, Ordering::Relaxed),
            keys: vec![0; n],
            position: vec![0; n],
            finish: vec![0; n],
            back_order: Vec::with_capacity(n),
            back_starts: vec![0; n],
            fwd_order: Vec::with_capacity(n),
            fwd_starts: vec![0; n],
        })
    }

    /// Number of activities in the problem, the length every list must have.
    pub fn activity_count(&self) -> usize {
        self.c.n
    }

    /// Checks that `order` is a precedence-feasible permutation and every
    /// mode is usable; the fast paths assume it.
    pub fn validate_list(&self, order: &[usize], modes: &[usize]) -> Result<(), ListError> {
        let n = self.c.n;
        for (found, expected) in [(order.len(), n), (modes.len(), n)] {
            if found != expected {
                return Err(ListError::Length { expected, found });
            }
        }
        let mut position = vec![usize::MAX; n];
        for (i, &j) in order.iter().enumerate() {
            match position.get_mut(j) {
                Some(p) if *p == usize::MAX => *p = i,
                _ => return Err(ListError::NotPermutation(j)),
            }
        }
        for succ in 0..n {
            for &(pred, _) in self.c.preds.row(succ) {
                if position[pred as usize] > position[succ] {
                    return Err(ListError::Precedence {
                        pred: pred as usize,
                        succ,
                    });
                }
            }
        }
        match (0..n).find(|&j| !self.c.is_usable_mode(j, modes[j])) {
            Some(activity) => Err(ListError::Mode {
                activity,
                mode: modes[activity],
            }),
            None => Ok(()),
        }
    }

    /// Validates once so [`Sgs::forward`] can run repeatedly without checks.
    pub fn check_list(
        &self,
        order: Vec<usize>,
        modes: Vec<usize>,
    ) -> Result<CheckedList, ListError> {
        self.validate_list(&order, &modes)?;
        Ok(CheckedList {
            order,
            modes,
            problem_id: self.problem_id,
        })
    }

    /// Forward serial SGS on a checked list, writing the start days into
    /// `starts` (resized to fit); returns the makespan.
    pub fn forward(&mut self, list: &CheckedList, starts: &mut Vec<u32>) -> Result<u32, ListError> {
        if list.problem_id != self.problem_id {
            return Err(ListError::ForeignList);
        }
        starts.resize(self.c.n, 0);
        Ok(self.forward_unchecked(&list.order, &list.modes, starts))
    }

    /// Forward serial SGS on a validated list.
    pub fn schedule(&mut self, order: &[usize], modes: &[usize]) -> Result<Schedule, ListError> {
        self.validate_list(order, modes)?;
        let mut starts = vec![0; self.c.n];
        self.forward_unchecked(order, modes, &mut starts);
        Ok(Schedule {
            starts,
            modes: modes.to_vec(),
        })
    }

    /// Forward pass then justification; returns the improved schedule and
    /// its list (a list that regenerates exactly that schedule).
    pub fn schedule_justified(
        &mut self,
        order: &[usize],
        modes: &[usize],
    ) -> Result<(Schedule, Vec<usize>), ListError> {
        self.validate_list(order, modes)?;
        let mut starts = vec![0; self.c.n];
        let mut order = order.to_vec();
        let makespan = self.forward_unchecked(&order, modes, &mut starts);
        self.justify(&mut order, modes, &mut starts, makespan);
        Ok((
            Schedule {
                starts,
                modes: modes.to_vec(),
            },
            order,
        ))
    }

    /// Serial SGS, left-justified: each activity in list order at the
    /// earliest day its predecessors (with lags), release and the remaining
    /// capacity allow. `order` must be valid (see [`Sgs::validate_list`]).
    /// Returns the makespan.
    pub(crate) fn forward_unchecked(
        &mut self,
        order: &[usize],
        modes: &[usize],
        starts: &mut [u32],
    ) -> u32 {
        self.forward_pass(order, modes, starts, &mut NoRecord)
    }

    /// [`Sgs::forward_unchecked`] that also records why each activity starts when it does
    /// (see [`super::driver`]); the same pass, so the same starts.
    pub(crate) fn forward_recorded(
        &mut self,
        order: &[usize],
        modes: &[usize],
        starts: &mut [u32],
    ) -> (u32, Vec<Driver>) {
        let mut recorder = DriverRecorder::new(self.c.n);
        let makespan = self.forward_pass(order, modes, starts, &mut recorder);
        (makespan, recorder.into_drivers(&self.c, modes, starts))
    }

    /// Forward serial SGS on a validated list, with the driver of every activity (see
    /// [`super::driver`]).
    pub fn schedule_with_drivers(
        &mut self,
        order: &[usize],
        modes: &[usize],
    ) -> Result<(Schedule, Vec<Driver>), ListError> {
        self.validate_list(order, modes)?;
        let mut starts = vec![0; self.c.n];
        let (_, drivers) = self.forward_recorded(order, modes, &mut starts);
        let modes = modes.to_vec();
        Ok((Schedule { starts, modes }, drivers))
    }

    #[inline(always)]
    fn forward_pass<R: Recorder>(
        &mut self,
        order: &[usize],
        modes: &[usize],
        starts: &mut [u32],
        recorder: &mut R,
    ) -> u32 {
        let c = &self.c;
        let finish = &mut self.finish;
        self.profile.reset(Direction::Forward);
        let mut makespan = 0;
        for &j in order {
            let mode = c.mode(j, modes[j]);
            let earliest = if c.finish_to_start {
                c.preds.row(j).iter().fold(c.release[j], |acc, &(p, lag)| {
                    acc.max(lagged(finish[p as usize], lag))
                })
            } else {
                let kinds = c.pred_kinds.row(j);
                c.preds
                    .row(j)
                    .iter()
                    .zip(kinds)
                    .fold(c.release[j], |acc, (&(p, lag), &kind)| {
                        let p = p as usize;
                        acc.max(linked(kind, starts[p], finish[p], lag, mode.duration))
                    })
            };
            let Some(start) = self.profile.earliest_fit(
                c,
                earliest,
                u32::MAX - mode.duration,
                mode.duration,
                &mode.demand,
            ) else {
                return UNPLACEABLE;
            };
            starts[j] = start;
            if R::RECORDS {
                let waited = (start > earliest).then(|| self.profile.row(start as usize - 1));
                recorder.placed(c, modes, starts, j, waited);
            }
            self.profile.occupy(start, mode.duration, &mode.demand);
            finish[j] = start + mode.duration;
            makespan = makespan.max(finish[j]);
        }
        makespan
    }

    /// Serial SGS, right-justified against `horizon`: `order` must list
    /// successors before predecessors. Each activity finishes as late as its
    /// successors and the capacity allow. Writes real start days; returns
    /// false if some activity would have to start before day 0 or its release.
    fn backward(
        &mut self,
        order: &[usize],
        modes: &[usize],
        horizon: u32,
        starts: &mut [u32],
    ) -> bool {
        let c = &self.c;
        // In mirrored time `horizon - finish(j)` is j's start.
        let mirrored_finish = &mut self.finish;
        self.profile.reset(Direction::Mirrored { horizon });
        for &j in order {
            let mode = c.mode(j, modes[j]);
            let earliest = if c.finish_to_start {
                c.succs.row(j).iter().fold(0, |acc, &(s, lag)| {
                    acc.max(lagged(mirrored_finish[s as usize], lag))
                })
            } else {
                // Backwards in time a link `j -> s` is a link `s -> j` of the mirrored type.
                let kinds = c.succ_kinds.row(j);
                c.succs
                    .row(j)
                    .iter()
                    .zip(kinds)
                    .fold(0, |acc, (&(s, lag), &kind)| {
                        let s = s as usize;
                        let finish = mirrored_finish[s];
                        let start = finish - c.mode(s, modes[s]).duration;
                        acc.max(linked(kind.mirrored(), start, finish, lag, mode.duration))
                    })
            };
            let Some(latest) = horizon.checked_sub(c.release[j] + mode.duration) else {
                return false;
            };
            let Some(start) =
                self.profile
                    .earliest_fit(c, earliest, latest, mode.duration, &mode.demand)
            else {
                return false;
            };
            self.profile.occupy(start, mode.duration, &mode.demand);
            mirrored_finish[j] = start + mode.duration;
            starts[j] = horizon - start - mode.duration;
        }
        true
    }

    /// Backward serial SGS for a time-invariant problem ([`Compiled::is_time_invariant`]):
    /// `order` lists successors before predecessors; the right-justified schedule is shifted
    /// to start on day 0. Writes the starts and returns the makespan, or [`UNPLACEABLE`].
    pub(crate) fn backward_shifted(
        &mut self,
        order: &[usize],
        modes: &[usize],
        horizon: u32,
        starts: &mut [u32],
    ) -> u32 {
        if !self.backward(order, modes, horizon, starts) {
            return UNPLACEABLE;
        }
        let first = starts.iter().copied().min().unwrap_or(0);
        let mut makespan = 0;
        for (j, start) in starts.iter_mut().enumerate() {
            *start -= first;
            makespan = makespan.max(*start + self.c.mode(j, modes[j]).duration);
        }
        makespan
    }

    /// Forward-backward improvement: right-justify the schedule in order of
    /// decreasing finish, then left-justify it in order of increasing start.
    /// Never makes the schedule worse: the result is kept only if its
    /// makespan is no larger. Returns (makespan, generation passes used).
    pub(crate) fn justify(
        &mut self,
        order: &mut Vec<usize>,
        modes: &[usize],
        starts: &mut [u32],
        makespan: u32,
    ) -> (u32, u64) {
        if makespan == UNPLACEABLE {
            return (makespan, 0);
        }
        // Later finish first; among equal finishes, later in the list first.
        for (pos, &j) in order.iter().enumerate() {
            let finish = starts[j] + self.c.mode(j, modes[j]).duration;
            self.keys[j] = (u64::from(u32::MAX - finish) << 32) | u64::from(u32::MAX - pos as u32);
        }
        let mut back_order = std::mem::take(&mut self.back_order);
        let mut back_starts = std::mem::take(&mut self.back_starts);
        self.sort_by_keys(order, &mut back_order, true);
        let placed = self.backward(&back_order, modes, makespan, &mut back_starts);
        let result = if placed {
            self.forward_from_backward(&back_order, &back_starts, order, modes, starts, makespan)
        } else {
            (makespan, 1)
        };
        self.back_order = back_order;
        self.back_starts = back_starts;
        result
    }

    /// Second half of justification: left-justify in order of the
    /// right-justified starts; adopt the result unless it is longer.
    fn forward_from_backward(
        &mut self,
        back_order: &[usize],
        back_starts: &[u32],
        order: &mut Vec<usize>,
        modes: &[usize],
        starts: &mut [u32],
        makespan: u32,
    ) -> (u32, u64) {
        // Earlier start first; among equal starts, placed later backward first.
        for (pos, &j) in back_order.iter().enumerate() {
            self.keys[j] = (u64::from(back_starts[j]) << 32) | u64::from(u32::MAX - pos as u32);
        }
        let mut fwd_order = std::mem::take(&mut self.fwd_order);
        let mut fwd_starts = std::mem::take(&mut self.fwd_starts);
        self.sort_by_keys(back_order, &mut fwd_order, false);
        let new_makespan = self.forward_unchecked(&fwd_order, modes, &mut fwd_starts);
        let result = if new_makespan <= makespan {
            std::mem::swap(order, &mut fwd_order);
            starts.copy_from_slice(&fwd_starts);
            (new_makespan, 2)
        } else {
            (makespan, 2)
        };
        self.fwd_order = fwd_order;
        self.fwd_starts = fwd_starts;
        result
    }

    /// The activities by start day (list position breaking ties), a list
    /// that regenerates `starts` or, with more capacity, something no later.
    pub(crate) fn start_order(&mut self, order: &[usize], starts: &[u32]) -> Vec<usize> {
        for (pos, &j) in order.iter().enumerate() {
            self.keys[j] = (u64::from(starts[j]) << 32) | pos as u64;
        }
        let mut sorted = Vec::with_capacity(order.len());
        self.sort_by_keys(order, &mut sorted, false);
        sorted
    }

    /// `from` sorted into `to` by `key(activity, position in from)` and always repaired to a
    /// precedence-feasible order (successors first when `reversed`): justification's sorts
    /// for generators whose start and finish orders may break links, such as those on
    /// calendars ([`super::calendars`]).
    pub(crate) fn sorted_feasible(
        &mut self,
        from: &[usize],
        to: &mut Vec<usize>,
        reversed: bool,
        key: impl Fn(usize, usize) -> u64,
    ) {
        for (pos, &j) in from.iter().enumerate() {
            self.keys[j] = key(j, pos);
        }
        to.clear();
        to.extend_from_slice(from);
        let keys = &self.keys;
        to.sort_unstable_by_key(|&j| keys[j]);
        if !self.is_feasible(to, reversed) {
            self.priority_topological(to, reversed);
        }
    }

    /// Sorts `from` into `to` by `self.keys`, then repairs precedence
    /// feasibility (forward, or reversed for backward lists) if negative lags
    /// could have broken it.
    fn sort_by_keys(&mut self, from: &[usize], to: &mut Vec<usize>, reversed: bool) {
        to.clear();
        to.extend_from_slice(from);
        let keys = &self.keys;
        to.sort_unstable_by_key(|&j| keys[j]);
        if !self.c.nonneg_lags && !self.is_feasible(to, reversed) {
            self.priority_topological(to, reversed);
        }
    }

    fn is_feasible(&mut self, order: &[usize], reversed: bool) -> bool {
        for (i, &j) in order.iter().enumerate() {
            self.position[j] = i as u32;
        }
        (0..self.c.n).all(|j| {
            self.c.preds.row(j).iter().all(|&(p, _)| {
                let (first, second) = if reversed {
                    (j, p as usize)
                } else {
                    (p as usize, j)
                };
                self.position[first] < self.position[second]
            })
        })
    }

    /// Kahn's algorithm choosing the smallest key among ready activities.
    fn priority_topological(&self, order: &mut Vec<usize>, reversed: bool) {
        use std::cmp::Reverse;
        let c = &self.c;
        let before = |j: usize| {
            if reversed {
                c.succs.row(j)
            } else {
                c.preds.row(j)
            }
        };
        let after = |j: usize| {
            if reversed {
                c.preds.row(j)
            } else {
                c.succs.row(j)
            }
        };
        let mut missing: Vec<usize> = (0..c.n).map(|j| before(j).len()).collect();
        let mut ready: std::collections::BinaryHeap<Reverse<(u64, usize)>> = (0..c.n)
            .filter(|&j| missing[j] == 0)
            .map(|j| Reverse((self.keys[j], j)))
            .collect();
        order.clear();
        while let Some(Reverse((_, j))) = ready.pop() {
            order.push(j);
            for &(s, _) in after(j) {
                let s = s as usize;
                missing[s] -= 1;
                if missing[s] == 0 {
                    ready.push(Reverse((self.keys[s], s)));
                }
            }
        }
    }
}

/// `finish + lag`, floored at day 0.
#[inline]
fn lagged(finish: u32, lag: i32) -> u32 {
    (i64::from(finish) + i64::from(lag)).max(0) as u32
}

/// The earliest start a link of type `kind` allows an activity of `duration` days, from its
/// predecessor's `start` and `finish`, floored at day 0.
#[inline]
fn linked(kind: LinkType, start: u32, finish: u32, lag: i32, duration: u32) -> u32 {
    let anchor = if kind.from_start() { start } else { finish };
    let end = if kind.to_finish() { duration } else { 0 };
    (i64::from(anchor) + i64::from(lag) - i64::from(end)).max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::checker::check;
    use crate::schedule::problem::{Activity, Capacity, Resource};

    /// A small network with every link type and leads (deterministic pseudo-random), one
    /// resource of 2 units, demands of 0 to 2.
    fn linked_problem(seed: u64) -> Problem {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let n = rng.random_range(2..9);
        let activities = (0..n)
            .map(|j| {
                let mut a = Activity::single(rng.random_range(0..5), vec![rng.random_range(0..3)]);
                for p in 0..j {
                    if rng.random_bool(0.4) {
                        let kind = LinkType::ALL[rng.random_range(0..4)];
                        a = a.linked(p, kind, rng.random_range(-3..4));
                    }
                }
                a
            })
            .collect();
        Problem {
            activities,
            resources: vec![Resource::constant("r", 2)],
            horizon_hint: 0,
        }
    }

    /// The backward pass reads each link mirrored (SS as FF, FF as SS): the right-justified
    /// schedule it builds must itself satisfy every link, or justification would only be
    /// saved by its fallback.
    #[test]
    fn the_backward_pass_honours_every_link_type_mirrored() {
        let mut placed = 0;
        for seed in 0..400 {
            let problem = linked_problem(seed);
            let mut sgs = Sgs::new(&problem).unwrap();
            let order = problem.topological_order().unwrap();
            let modes = vec![0; order.len()];
            let forward = sgs.schedule(&order, &modes).unwrap();
            let horizon = forward.makespan(&problem) + 3;
            let reversed: Vec<usize> = order.iter().rev().copied().collect();
            let mut starts = vec![0; order.len()];
            if sgs.backward(&reversed, &modes, horizon, &mut starts) {
                placed += 1;
                let backward = Schedule {
                    starts,
                    modes: modes.clone(),
                };
                let violations = check(&problem, &backward);
                assert!(violations.is_empty(), "seed {seed}: {violations:?}");
                assert!(backward.makespan(&problem) <= horizon);
            }
        }
        assert!(
            placed > 300,
            "only {placed} backward passes placed everything"
        );
    }

    fn chain_problem() -> Problem {
        // Two parallel 3-day jobs needing 2 of 3 units, then a milestone.
        Problem {
            activities: vec![
                Activity::single(3, vec![2]),
                Activity::single(3, vec![2]),
                Activity::single(0, vec![0]).after(0, 0).after(1, 0),
            ],
            resources: vec![Resource::constant("r", 3)],
            horizon_hint: 0,
        }
    }

    #[test]
    fn resource_conflict_serialises_jobs() {
        let problem = chain_problem();
        let mut sgs = Sgs::new(&problem).unwrap();
        let schedule = sgs.schedule(&[0, 1, 2], &[0, 0, 0]).unwrap();
        assert_eq!(schedule.starts, vec![0, 3, 6]);
        assert!(check(&problem, &schedule).is_empty());
    }

    #[test]
    fn time_varying_capacity_delays_start() {
        let mut problem = chain_problem();
        problem.resources[0].capacity = Capacity::from_steps(vec![(0, 1), (5, 4)]).unwrap();
        let mut sgs = Sgs::new(&problem).unwrap();
        let schedule = sgs.schedule(&[0, 1, 2], &[0, 0, 0]).unwrap();
        assert_eq!(schedule.starts, vec![5, 5, 8]);
        assert!(check(&problem, &schedule).is_empty());
    }

    #[test]
    fn invalid_lists_are_rejected() {
        let problem = chain_problem();
        let mut sgs = Sgs::new(&problem).unwrap();
        assert!(matches!(
            sgs.schedule(&[2, 0, 1], &[0, 0, 0]),
            Err(ListError::Precedence { .. })
        ));
        assert!(matches!(
            sgs.schedule(&[0, 0, 2], &[0, 0, 0]),
            Err(ListError::NotPermutation(0))
        ));
        assert!(matches!(
            sgs.schedule(&[0, 1, 2], &[0, 1, 0]),
            Err(ListError::Mode { .. })
        ));
        assert!(matches!(
            sgs.schedule(&[0, 1], &[0, 0]),
            Err(ListError::Length { .. })
        ));
    }

    #[test]
    fn checked_lists_only_run_on_their_own_problem() {
        let problem = chain_problem();
        let sgs = Sgs::new(&problem).unwrap();
        let mut other = Sgs::new(&problem).unwrap();
        let list = sgs.check_list(vec![1, 0, 2], vec![0; 3]).unwrap();
        let mut starts = Vec::new();
        assert_eq!(sgs.clone().forward(&list, &mut starts), Ok(6));
        assert_eq!(starts, vec![3, 0, 6]);
        assert_eq!(
            other.forward(&list, &mut starts),
            Err(ListError::ForeignList)
        );
        assert!(sgs.check_list(vec![2, 1, 0], vec![0; 3]).is_err());
    }

    #[test]
    fn justification_closes_a_gap() {
        // 0 (long, 1 unit) and 1 -> 2; a bad list puts 3 (2 units) first,
        // delaying the chain; justification packs it better.
        let problem = Problem {
            activities: vec![
                Activity::single(4, vec![1]),
                Activity::single(1, vec![1]),
                Activity::single(1, vec![1]).after(1, 0),
                Activity::single(2, vec![2]),
            ],
            resources: vec![Resource::constant("r", 2)],
            horizon_hint: 0,
        };
        let mut sgs = Sgs::new(&problem).unwrap();
        let plain = sgs.schedule(&[3, 0, 1, 2], &[0; 4]).unwrap();
        let (justified, order) = sgs.schedule_justified(&[3, 0, 1, 2], &[0; 4]).unwrap();
        assert!(check(&problem, &justified).is_empty());
        assert!(justified.makespan(&problem) <= plain.makespan(&problem));
        assert_eq!(sgs.schedule(&order, &[0; 4]).unwrap(), justified);
    }
}
