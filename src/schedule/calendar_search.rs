//! The genetic search of [`super::search()`] on working calendars: the same activity lists,
//! modes, crossovers, mutation, justification and early stop, with a generator
//! (`CalendarSgs`) that places each activity on its own working days
//! ([`super::calendars`] gives the semantics and the plain reference pass).
//!
//! Forward, an activity starts at the first count of its working days that its release, its
//! links (each counted in its own calendar) and the capacity left on the days it works
//! allow. Backward (justification), it finishes at the last count that the schedule's end,
//! its successors' links (counted in theirs) and the capacity allow; the forward pass in the
//! order of those starts then packs the schedule again, kept when it is no longer. With every
//! day of the grid worked by every activity both passes are those of [`super::Sgs`], so the
//! search makes the same schedules as on the plain problem.
//!
//! # Complexity
//!
//! The clock is read through integer tables built once per search, `O(m · H)` for `m`
//! distinct calendars over `H` grid days. One pass over `n` activities, `E` links and `R`
//! resources then has the complexity of a pass of [`super::Sgs`] (measured: about 1.5 times
//! its CPU time): `O(E)` for the links (each a table lookup) plus, per activity `j`, `O(w_j · d_j · r_j)` to place it, where `d_j` is its
//! working days (not the grid days its span covers), `r_j ≤ R` the resources its mode uses and
//! `w_j` the candidate counts tried (a clash moves it past the clashing day in one step);
//! the remaining-capacity profile costs `O(T · R)` for a schedule of `T` grid days. A search
//! of `B` schedules is `O(B)` passes, as in [`super::search()`].

use super::calendars::place;
use super::compiled::{Compiled, CompiledMode};
use super::driver::Driver;
use super::lower_bound::LowerBound;
use super::problem::Problem;
use super::search::{search_with, Decoder, SearchConfig, SearchError, SearchResult, Solution};
use super::sgs::Sgs;
use crate::calendar::GridClock;
use std::sync::Arc;

/// Searches schedules of `problem` on `clock`'s calendars with the genetic search of
/// [`super::search()`] (its budget, time limit, seed, threads, due dates and cancel flag, and
/// the `initial` lists as warm starts), stopping early once a schedule is on time and as
/// short as `bound`. The result's schedule is not checked here: see
/// [`super::calendars::check_on_calendars`].
pub fn search_on_calendars(
    problem: &Problem,
    clock: &Arc<GridClock>,
    config: &SearchConfig,
    initial: &[Solution],
    bound: LowerBound,
) -> Result<SearchResult, SearchError> {
    let decoder = CalendarSgs::new(problem, clock)?;
    search_with(decoder, bound, config, initial)
}

/// Working days of every calendar of a [`GridClock`] in whole grid days, as integer tables:
/// what the passes ask of the clock many times per activity.
#[derive(Debug)]
struct MaskTime {
    /// Table of each activity (activities whose calendars work the same days share one).
    table: Vec<u32>,
    /// Per table: the grid day of its `c`-th working day (0-based), within the horizon.
    days: Vec<Vec<u32>>,
    /// Per table: its working days before grid day `t`, for `t` in `0..=horizon`.
    before: Vec<Vec<u32>>,
    horizon: u32,
    /// The clock the tables were read from, told when a pass reaches past its days.
    clock: Arc<GridClock>,
}

impl MaskTime {
    fn new(clock: &Arc<GridClock>, n: usize) -> Self {
        let horizon = clock.horizon_days() as u32;
        let mut table = Vec::with_capacity(n);
        let mut days: Vec<Vec<u32>> = Vec::new();
        let mut before: Vec<Vec<u32>> = Vec::new();
        let mut of_mask: std::collections::HashMap<usize, u32> = Default::default();
        for j in 0..n {
            let known = of_mask.get(&clock.mask_of(j)).copied();
            let t = known.unwrap_or_else(|| {
                let (worked, counts) = working_days(clock, j, horizon);
                // Two calendars with the same days over the grid are one table.
                let same = before.iter().position(|b| *b == counts);
                let t = same.unwrap_or_else(|| {
                    days.push(worked);
                    before.push(counts);
                    before.len() - 1
                }) as u32;
                of_mask.insert(clock.mask_of(j), t);
                t
            });
            table.push(t);
        }
        MaskTime {
            table,
            days,
            before,
            horizon,
            clock: Arc::clone(clock),
        }
    }

    /// Past the horizon every day works (as on the clock), and the clock is told it overran.
    fn overran(&self, j: usize) {
        // The clock records an overrun when asked about a day past its horizon.
        let _ = self.clock.works(j, self.horizon);
    }

    /// Activity `j`'s working days in grid days `[0, t)`.
    #[inline]
    fn before(&self, j: usize, t: u32) -> u32 {
        let b = &self.before[self.table[j] as usize];
        match b.get(t as usize) {
            Some(&count) => count,
            None => {
                self.overran(j);
                b[self.horizon as usize] + (t - self.horizon)
            }
        }
    }

    /// The grid day of activity `j`'s `c`-th working day (0-based).
    #[inline]
    fn day_of(&self, j: usize, c: u32) -> u32 {
        let t = self.table[j] as usize;
        match self.days[t].get(c as usize) {
            Some(&day) => day,
            None => {
                self.overran(j);
                self.horizon + (c - self.before[t][self.horizon as usize])
            }
        }
    }

    /// The grid span `[start, finish)` of activity `j` working `d` days from its count `c`, as
    /// [`super::calendars::span`] gives it.
    #[inline]
    fn span(&self, j: usize, c: u32, d: u32) -> (u32, u32) {
        let finish = if c + d == 0 {
            0
        } else {
            self.day_of(j, c + d - 1) + 1
        };
        let start = if d > 0 { self.day_of(j, c) } else { finish };
        (start, finish)
    }

    /// The first count that starts activity `j` on or after grid day `release` (a zero-length
    /// one placed there may still sit before `release`: [`Self::placed`] holds it at it).
    #[inline]
    fn release_count(&self, j: usize, release: u32, _d: u32) -> u32 {
        self.before(j, release)
    }

    /// The grid span of activity `j` placed at count `c` for `d` days, released on day
    /// `release`: [`Self::span`], except that a zero-length activity, which sits at the end of
    /// the working day before its count, waits for its release when that lies on days off its
    /// calendar (a finished task at the status date), as [`super::calendars::place`] does.
    #[inline]
    fn placed(&self, j: usize, c: u32, d: u32, release: u32) -> (u32, u32) {
        let (s, f) = self.span(j, c, d);
        if d == 0 {
            (s.max(release), f.max(release))
        } else {
            (s, f)
        }
    }

    /// Whether activities `a` and `b` work the same days.
    fn same_days(&self, a: usize, b: usize) -> bool {
        self.table[a] == self.table[b]
    }
}

/// The grid days activity `j` works before `horizon`, and its count before each grid day.
fn working_days(clock: &GridClock, j: usize, horizon: u32) -> (Vec<u32>, Vec<u32>) {
    let mut worked = Vec::new();
    let mut counts = Vec::with_capacity(horizon as usize + 1);
    for day in 0..horizon {
        counts.push(worked.len() as u32);
        if clock.works(j, day) {
            worked.push(day);
        }
    }
    counts.push(worked.len() as u32);
    (worked, counts)
}

/// Remaining units per grid day and resource (row-major by day), grown on demand.
#[derive(Clone, Debug)]
struct Profile {
    resources: usize,
    remaining: Vec<i32>,
    days: usize,
}

impl Profile {
    fn reset(&mut self) {
        self.remaining.clear();
        self.days = 0;
    }

    fn ensure(&mut self, c: &Compiled, days: usize) {
        if days <= self.days {
            return;
        }
        let target = days.max(self.days * 2).max(64);
        let r = self.resources;
        self.remaining.resize(target * r, 0);
        for day in self.days..target {
            c.fill_capacity(day, &mut self.remaining[day * r..day * r + r]);
        }
        self.days = target;
    }

    /// Whether `demand` fits on grid day `day`, which the profile has reached.
    #[inline]
    fn fits(&self, day: u32, demand: &[(u32, i32)]) -> bool {
        let row = &self.remaining[day as usize * self.resources..];
        demand.iter().all(|&(k, q)| row[k as usize] >= q)
    }

    /// The first count at or after `count` from which activity `j` finds `demand` free on
    /// each of its next `d` working days. A window is read from its last day, so a clash
    /// moves the count past it in one step.
    fn earliest_fit(
        &mut self,
        c: &Compiled,
        time: &MaskTime,
        j: usize,
        mut count: u32,
        mode: &CompiledMode,
    ) -> u32 {
        let d = mode.duration;
        if d == 0 || mode.demand.is_empty() {
            return count;
        }
        'window: loop {
            let (_, finish) = time.span(j, count, d);
            self.ensure(c, finish as usize);
            for i in (count..count + d).rev() {
                if !self.fits(time.day_of(j, i), &mode.demand) {
                    count = i + 1;
                    continue 'window;
                }
            }
            return count;
        }
    }

    /// The last count at most `latest` and at least `earliest` from which activity `j`
    /// finds `demand` free on each of its next `d` working days; `None` when there is none.
    /// A window is read from its first day, so a clash moves the finish before it in one step.
    fn latest_fit(
        &mut self,
        c: &Compiled,
        time: &MaskTime,
        j: usize,
        (earliest, mut latest): (i64, i64),
        mode: &CompiledMode,
    ) -> Option<u32> {
        let d = mode.duration;
        'window: loop {
            if latest < earliest {
                return None;
            }
            let count = latest as u32;
            if d == 0 || mode.demand.is_empty() {
                return Some(count);
            }
            let (_, finish) = time.span(j, count, d);
            self.ensure(c, finish as usize);
            for i in count..count + d {
                if !self.fits(time.day_of(j, i), &mode.demand) {
                    // Finish no later than the clashing day: `i - d` working days before it.
                    latest = i64::from(i) - i64::from(d);
                    continue 'window;
                }
            }
            return Some(count);
        }
    }

    /// Takes `demand` on each of activity `j`'s `d` working days from its count `count`.
    fn occupy(&mut self, time: &MaskTime, j: usize, count: u32, mode: &CompiledMode) {
        if mode.demand.is_empty() {
            return;
        }
        let r = self.resources;
        for i in count..count + mode.duration {
            let day = time.day_of(j, i) as usize;
            let row = &mut self.remaining[day * r..day * r + r];
            for &(k, q) in &mode.demand {
                row[k as usize] -= q;
            }
        }
    }
}

/// The serial schedule-generation scheme on working calendars, as a [`Decoder`] of the
/// genetic search: forward and backward passes, justification from them, and the drivers of
/// a schedule from the plain reference pass ([`place`]), which makes the same starts.
#[derive(Clone, Debug)]
pub(crate) struct CalendarSgs {
    /// The plain generator: the compiled problem, list checks and justification's sorts.
    plain: Sgs,
    /// The problem as given, for the reference pass that records drivers.
    problem: Arc<Problem>,
    time: Arc<MaskTime>,
    /// Every schedule's start order keeps the links (see [`start_order_keeps_links`]).
    start_order_feasible: bool,
    profile: Profile,
    /// Finish grid day of every activity placed in the current pass.
    finish: Vec<u32>,
    /// Justification's sort key of each activity by its finish.
    finish_key: Vec<u64>,
    back_order: Vec<usize>,
    back_starts: Vec<u32>,
    fwd_order: Vec<usize>,
    fwd_starts: Vec<u32>,
}

impl CalendarSgs {
    /// The generator of `problem` on `clock`'s calendars.
    pub(crate) fn new(
        problem: &Problem,
        clock: &Arc<GridClock>,
    ) -> Result<Self, super::problem::ProblemError> {
        let plain = Sgs::new(problem)?;
        let n = plain.c.n;
        let time = MaskTime::new(clock, n);
        let start_order_feasible = start_order_keeps_links(&plain.c, &time);
        Ok(CalendarSgs {
            profile: Profile {
                resources: plain.c.resources,
                remaining: Vec::new(),
                days: 0,
            },
            plain,
            problem: Arc::new(problem.clone()),
            time: Arc::new(time),
            start_order_feasible,
            finish: vec![0; n],
            finish_key: vec![0; n],
            back_order: Vec::with_capacity(n),
            back_starts: vec![0; n],
            fwd_order: Vec::with_capacity(n),
            fwd_starts: vec![0; n],
        })
    }

    /// The first count of activity `j` that its release and its predecessors' links allow.
    fn earliest_count(&self, j: usize, d: u32, starts: &[u32]) -> u32 {
        let c = &self.plain.c;
        let time = &self.time;
        let links = c.preds.row(j).iter().zip(c.pred_kinds.row(j));
        links.fold(
            time.release_count(j, c.release[j], d),
            |count, (&(p, lag), &kind)| {
                let p = p as usize;
                let anchor = if kind.from_start() {
                    starts[p]
                } else {
                    self.finish[p]
                };
                let end = if kind.to_finish() { i64::from(d) } else { 0 };
                let asked = i64::from(time.before(j, anchor)) + i64::from(lag) - end;
                count.max(asked.max(0) as u32)
            },
        )
    }

    /// The last count of activity `j` (of `d` working days) that the end `horizon` and its
    /// successors' links allow, or `None` when a link asks for a time before day 0. A link
    /// `j → s` of lag `l` counts in `s`'s calendar: `s`'s count at its own end of the link, less
    /// `l`, is the most `s` may count at `j`'s end of it.
    fn latest_count(&self, j: usize, d: u32, horizon: u32) -> Option<i64> {
        let c = &self.plain.c;
        let time = &self.time;
        let starts = &self.back_starts;
        let mut latest = i64::from(time.before(j, horizon)) - i64::from(d);
        for (&(s, lag), &kind) in c.succs.row(j).iter().zip(c.succ_kinds.row(j)) {
            let s = s as usize;
            let anchor = if kind.to_finish() {
                self.finish[s]
            } else {
                starts[s]
            };
            let most = i64::from(time.before(s, anchor)) - i64::from(lag);
            if most < 0 {
                return None;
            }
            if most >= i64::from(time.before(s, horizon)) {
                // Past the end: the end's limit is the tighter one.
                continue;
            }
            // The latest grid time at which `s` has counted no more than `most`.
            let at = time.day_of(s, most as u32);
            let limit = match (kind.from_start(), d > 0) {
                (false, _) => i64::from(time.before(j, at)) - i64::from(d),
                (true, true) => i64::from(time.before(j, at + 1)) - 1,
                (true, false) => i64::from(time.before(j, at)),
            };
            latest = latest.min(limit);
        }
        Some(latest)
    }

    /// Right-justifies against `horizon`: `order` lists successors first, each activity
    /// finishes as late as its successors and the capacity allow. Writes the starts into
    /// `self.back_starts`; false when some activity would start before its release.
    fn backward(&mut self, order: &[usize], modes: &[usize], horizon: u32) -> bool {
        let c = Arc::clone(&self.plain.c);
        self.profile.reset();
        self.profile.ensure(&c, horizon as usize);
        for &j in order {
            let mode = c.mode(j, modes[j]);
            let earliest = i64::from(self.time.release_count(j, c.release[j], mode.duration));
            let Some(latest) = self.latest_count(j, mode.duration, horizon) else {
                return false;
            };
            let time = &self.time;
            let window = (earliest, latest);
            let Some(count) = self.profile.latest_fit(&c, time, j, window, mode) else {
                return false;
            };
            self.profile.occupy(time, j, count, mode);
            (self.back_starts[j], self.finish[j]) =
                time.placed(j, count, mode.duration, c.release[j]);
        }
        true
    }

    /// Justification's second half: left-justifies in the order of the backward starts
    /// (`self.back_order`, `self.back_starts`) and adopts the result unless it is longer.
    fn forward_from_backward(
        &mut self,
        order: &mut Vec<usize>,
        modes: &[usize],
        starts: &mut [u32],
        makespan: u32,
    ) -> (u32, u64) {
        let back_order = std::mem::take(&mut self.back_order);
        let mut fwd_order = std::mem::take(&mut self.fwd_order);
        let back_starts = &self.back_starts;
        // Earlier start first; among equal starts, placed later backward first.
        self.plain
            .sorted_feasible(&back_order, &mut fwd_order, false, |j, pos| {
                (u64::from(back_starts[j]) << 32) | u64::from(u32::MAX - pos as u32)
            });
        let mut fwd_starts = std::mem::take(&mut self.fwd_starts);
        let new_makespan = self.forward(&fwd_order, modes, &mut fwd_starts);
        let result = if new_makespan <= makespan {
            std::mem::swap(order, &mut fwd_order);
            starts.copy_from_slice(&fwd_starts);
            (new_makespan, 2)
        } else {
            (makespan, 2)
        };
        self.back_order = back_order;
        self.fwd_order = fwd_order;
        self.fwd_starts = fwd_starts;
        result
    }
}

/// Whether the start order of every schedule keeps the links, as peak crossover needs: with
/// finish-to-start links of non-negative lags a successor of some working days starts once
/// its predecessor has finished, but a zero-length one sits at the end of its own last working
/// day, which can lie before a predecessor on another calendar has started.
fn start_order_keeps_links(c: &Compiled, time: &MaskTime) -> bool {
    c.nonneg_lags
        && (0..c.n).all(|j| {
            let instant = c.usable_modes[j]
                .iter()
                .any(|&m| c.mode(j, m).duration == 0);
            !instant
                || c.preds
                    .row(j)
                    .iter()
                    .all(|&(p, _)| time.same_days(p as usize, j))
        })
}

impl Decoder for CalendarSgs {
    fn plain(&self) -> &Sgs {
        &self.plain
    }

    fn forward(&mut self, order: &[usize], modes: &[usize], starts: &mut [u32]) -> u32 {
        let c = Arc::clone(&self.plain.c);
        self.profile.reset();
        let mut makespan = 0;
        for &j in order {
            let mode = c.mode(j, modes[j]);
            let earliest = self.earliest_count(j, mode.duration, starts);
            let time = &self.time;
            let count = self.profile.earliest_fit(&c, time, j, earliest, mode);
            self.profile.occupy(time, j, count, mode);
            let (start, finish) = time.placed(j, count, mode.duration, c.release[j]);
            (starts[j], self.finish[j]) = (start, finish);
            makespan = makespan.max(finish);
        }
        makespan
    }

    fn justify(
        &mut self,
        order: &mut Vec<usize>,
        modes: &[usize],
        starts: &mut [u32],
        makespan: u32,
    ) -> (u32, u64) {
        let mut back_order = std::mem::take(&mut self.back_order);
        let mut finish_key = std::mem::take(&mut self.finish_key);
        // Later finish first; among equal finishes, later in the list first.
        for (pos, &j) in order.iter().enumerate() {
            let finish = self.finish(j, modes[j], starts[j]);
            finish_key[j] = (u64::from(u32::MAX - finish) << 32) | u64::from(u32::MAX - pos as u32);
        }
        self.plain
            .sorted_feasible(order, &mut back_order, true, |j, _| finish_key[j]);
        self.finish_key = finish_key;
        let placed = self.backward(&back_order, modes, makespan);
        self.back_order = back_order;
        if !placed {
            return (makespan, 1);
        }
        self.forward_from_backward(order, modes, starts, makespan)
    }

    fn finish(&self, j: usize, mode: usize, start: u32) -> u32 {
        let d = self.plain.c.mode(j, mode).duration;
        if d == 0 {
            return start;
        }
        self.time.span(j, self.time.before(j, start), d).1
    }

    fn forward_recorded(
        &mut self,
        order: &[usize],
        modes: &[usize],
        starts: &mut [u32],
    ) -> (u32, Vec<Driver>) {
        let clock = &self.time.clock;
        let (placed, finish, drivers) = place(&self.problem, clock, order, modes, true);
        starts.copy_from_slice(&placed);
        (finish.into_iter().max().unwrap_or(0), drivers)
    }

    fn start_order(&mut self, order: &[usize], starts: &[u32]) -> Vec<usize> {
        let mut sorted = Vec::with_capacity(order.len());
        self.plain
            .sorted_feasible(order, &mut sorted, false, |j, pos| {
                (u64::from(starts[j]) << 32) | pos as u64
            });
        sorted
    }

    fn start_order_is_feasible(&self) -> bool {
        self.start_order_feasible
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::LinkType;
    use crate::schedule::calendars::check_on_calendars;
    use crate::schedule::problem::{Activity, Mode, Resource, Schedule};
    use crate::schedule::psplib::parse_sm;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Grid days the test clocks are built for: far past any schedule of the test problems.
    const DAYS: usize = 600;

    /// A small network (deterministic pseudo-random) with every link type, leads, zero-length
    /// activities, two modes for some, on two resources of 2 units.
    fn linked_problem(rng: &mut Xoshiro256PlusPlus) -> Problem {
        let n = rng.random_range(2..10);
        let activities = (0..n)
            .map(|j| {
                let mut modes = vec![Mode {
                    duration: rng.random_range(0..5),
                    demand: vec![rng.random_range(0..3), rng.random_range(0..2)],
                }];
                if rng.random_bool(0.3) {
                    modes.push(Mode {
                        duration: rng.random_range(1..7),
                        demand: vec![rng.random_range(0..2), 0],
                    });
                }
                let mut a = Activity {
                    modes,
                    ..Activity::single(0, vec![0, 0])
                };
                a.release = if rng.random_bool(0.2) {
                    rng.random_range(0..6)
                } else {
                    0
                };
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
            resources: vec![Resource::constant("r", 2), Resource::constant("s", 1)],
            horizon_hint: 0,
        }
    }

    /// Up to three calendars with random working days (each works at least one day a week),
    /// one of them given to each activity.
    fn random_clock(n: usize, rng: &mut Xoshiro256PlusPlus) -> Arc<GridClock> {
        let masks: Vec<Vec<bool>> = (0..rng.random_range(1..4))
            .map(|_| {
                let week: Vec<bool> = (0..7).map(|d| d == 0 || rng.random_bool(0.6)).collect();
                (0..DAYS)
                    .map(|day| week[day % 7] && (day % 31 != 5 || rng.random_bool(0.5)))
                    .collect()
            })
            .collect();
        let node_mask = (0..n).map(|_| rng.random_range(0..masks.len())).collect();
        Arc::new(GridClock::from_masks(masks, node_mask))
    }

    fn every_day_clock(n: usize) -> Arc<GridClock> {
        Arc::new(GridClock::from_masks(vec![vec![true; DAYS]], vec![0; n]))
    }

    /// A random precedence-feasible list with random usable modes.
    fn random_list(sgs: &Sgs, rng: &mut Xoshiro256PlusPlus) -> (Vec<usize>, Vec<usize>) {
        let c = &sgs.c;
        let mut missing: Vec<usize> = (0..c.n).map(|j| c.preds.row(j).len()).collect();
        let mut ready: Vec<usize> = (0..c.n).filter(|&j| missing[j] == 0).collect();
        let mut order = Vec::with_capacity(c.n);
        while !ready.is_empty() {
            let j = ready.swap_remove(rng.random_range(0..ready.len()));
            order.push(j);
            for &(s, _) in c.succs.row(j) {
                missing[s as usize] -= 1;
                if missing[s as usize] == 0 {
                    ready.push(s as usize);
                }
            }
        }
        let modes = c
            .usable_modes
            .iter()
            .map(|ms| ms[rng.random_range(0..ms.len())])
            .collect();
        (order, modes)
    }

    #[test]
    fn the_fast_pass_makes_the_starts_of_the_reference_pass() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        for case in 0..500 {
            let problem = linked_problem(&mut rng);
            let clock = random_clock(problem.activities.len(), &mut rng);
            let mut sgs = CalendarSgs::new(&problem, &clock).unwrap();
            let (order, modes) = random_list(&sgs.plain, &mut rng);
            let mut starts = vec![0; order.len()];
            let makespan = sgs.forward(&order, &modes, &mut starts);
            let (reference, finish, _) = place(&problem, &clock, &order, &modes, false);
            assert_eq!(starts, reference, "case {case}");
            assert_eq!(makespan, finish.into_iter().max().unwrap_or(0));
            assert!(!clock.overran(), "case {case} reached past the clock");
        }
    }

    /// With every grid day worked by every activity the calendar passes are the plain ones:
    /// forward, and justification with its backward pass, list and count of passes.
    #[test]
    fn on_a_grid_every_activity_works_the_passes_are_those_of_the_plain_generator() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(8);
        let mut problems: Vec<Problem> = (0..300).map(|_| linked_problem(&mut rng)).collect();
        for text in [
            include_str!("../../tests/data/psplib/j301_1.sm"),
            include_str!("../../tests/data/psplib/j601_1.sm"),
        ] {
            problems.push(parse_sm(text).unwrap());
        }
        for (case, problem) in problems.iter().enumerate() {
            let clock = every_day_clock(problem.activities.len());
            let mut on_calendars = CalendarSgs::new(problem, &clock).unwrap();
            let mut plain = Sgs::new(problem).unwrap();
            for _ in 0..5 {
                let (order, modes) = random_list(&plain, &mut rng);
                let n = order.len();
                let (mut a, mut b) = (vec![0; n], vec![0; n]);
                let ma = Decoder::forward(&mut on_calendars, &order, &modes, &mut a);
                let mb = Decoder::forward(&mut plain, &order, &modes, &mut b);
                assert_eq!((ma, &a), (mb, &b), "case {case}: forward");
                let (mut oa, mut ob) = (order.clone(), order.clone());
                let ja = Decoder::justify(&mut on_calendars, &mut oa, &modes, &mut a, ma);
                let jb = Decoder::justify(&mut plain, &mut ob, &modes, &mut b, mb);
                assert_eq!((ja, &oa, &a), (jb, &ob, &b), "case {case}: justified");
            }
        }
    }

    /// The backward pass reads every link type backwards, each lag in its successor's
    /// calendar: the right-justified schedule it builds must itself pass the calendar check,
    /// and justification must keep the forward schedule's soundness and never lengthen it.
    #[test]
    fn the_backward_pass_and_justification_keep_every_link_on_calendars() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(13);
        let mut placed = 0;
        for case in 0..500 {
            let problem = linked_problem(&mut rng);
            let clock = random_clock(problem.activities.len(), &mut rng);
            let mut sgs = CalendarSgs::new(&problem, &clock).unwrap();
            let (order, modes) = random_list(&sgs.plain, &mut rng);
            let n = order.len();
            let mut starts = vec![0; n];
            let makespan = sgs.forward(&order, &modes, &mut starts);
            let horizon = makespan + 3;
            let mut reversed = order.clone();
            reversed.reverse();
            if sgs.backward(&reversed, &modes, horizon) {
                placed += 1;
                let backward = Schedule {
                    starts: sgs.back_starts.clone(),
                    modes: modes.clone(),
                };
                let found = check_on_calendars(&problem, &clock, &backward);
                assert!(found.is_empty(), "case {case}: {found:?}");
                assert!(sgs.finish.iter().all(|&f| f <= horizon), "case {case}");
            }
            let mut justified_order = order.clone();
            let (justified, _) = sgs.justify(&mut justified_order, &modes, &mut starts, makespan);
            assert!(justified <= makespan, "case {case}");
            let schedule = Schedule {
                starts: starts.clone(),
                modes: modes.clone(),
            };
            let found = check_on_calendars(&problem, &clock, &schedule);
            assert!(found.is_empty(), "case {case}: {found:?}");
            let mut again = vec![0; n];
            sgs.forward(&justified_order, &modes, &mut again);
            assert_eq!(
                again, starts,
                "case {case}: the list regenerates its schedule"
            );
        }
        assert!(
            placed > 300,
            "only {placed} backward passes placed everything"
        );
    }

    /// A capacity driver names, by a scan of the activities placed before the one that waited,
    /// every one working the day it waited with a demand on the resource, and the units left.
    #[test]
    fn a_capacity_driver_names_every_holder_placed_before_on_its_day() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
        let mut waits = 0;
        for case in 0..400 {
            let problem = linked_problem(&mut rng);
            let clock = random_clock(problem.activities.len(), &mut rng);
            let sgs = CalendarSgs::new(&problem, &clock).unwrap();
            let (order, modes) = random_list(&sgs.plain, &mut rng);
            let (starts, finish, drivers) = place(&problem, &clock, &order, &modes, true);
            for (pos, &j) in order.iter().enumerate() {
                let Driver::Capacity(wait) = &drivers[j] else {
                    continue;
                };
                waits += 1;
                let (k, day) = (wait.resource, wait.day);
                let demand = |h: usize| problem.activities[h].modes[modes[h]].demand[k];
                let holders: Vec<usize> = order[..pos]
                    .iter()
                    .copied()
                    .filter(|&h| demand(h) > 0 && starts[h] <= day && day < finish[h])
                    .filter(|&h| clock.works(h, day))
                    .collect();
                assert_eq!(wait.holders, holders, "case {case}");
                let taken: u32 = holders.iter().map(|&h| demand(h)).sum();
                let capacity = problem.resources[k].capacity.units_at(day);
                assert_eq!(wait.free, i64::from(capacity) - i64::from(taken));
                assert!(wait.free < i64::from(wait.demand), "case {case}");
            }
        }
        assert!(waits > 100, "only {waits} waits");
    }

    #[test]
    fn a_seed_gives_the_same_schedule_on_one_thread_or_sixteen() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(21);
        let problem = parse_sm(include_str!("../../tests/data/psplib/j3013_1.sm")).unwrap();
        let clock = random_clock(problem.activities.len(), &mut rng);
        let bound = LowerBound {
            value: 0,
            critical_path: 0,
            kind: crate::schedule::BoundKind::CriticalPath,
            resource: None,
        };
        let config = SearchConfig {
            schedules: 3000,
            seed: 4,
            due_dates: vec![(10, 12), (20, 30)],
            ..SearchConfig::default()
        };
        let run = |threads: usize, parallel: bool| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let config = SearchConfig {
                parallel,
                ..config.clone()
            };
            pool.install(|| search_on_calendars(&problem, &clock, &config, &[], bound.clone()))
                .unwrap()
        };
        let one = run(1, true);
        for other in [run(16, true), run(2, false)] {
            assert_eq!(other.schedule, one.schedule);
            assert_eq!(other.solution, one.solution);
            assert_eq!(other.schedules, one.schedules);
        }
        assert!(check_on_calendars(&problem, &clock, &one.schedule).is_empty());
    }
}
