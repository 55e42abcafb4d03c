//! Scheduling on working calendars: each activity works only on the grid days its mask of a
//! [`GridClock`] works, its duration counts those days, the lags into it count in its
//! calendar, and it holds its crew only on the days it works (a role whose calendar is off
//! inside the span is free there for nobody, and busy for nobody either).
//!
//! This module holds the semantics in their plainest form: [`place`], a serial pass over one
//! list through the clock's own lookups, which also records why each activity starts when it
//! does, and [`check_on_calendars`], which counts working days one by one. The search that
//! uses them is [`super::calendar_search`]: the genetic search of [`super::search()`] with a
//! generator on integer tables that makes the same starts as [`place`]. Without calendars
//! nothing here runs, so the plain path keeps its speed.
//!
//! # Complexity
//!
//! One [`place`] costs `O(E + Σ w_j · s_j · R)` for `n` activities, `E` links, spans of `s_j`
//! grid days, `w_j` candidate starts and `R` resources, plus, when recording, `O(Σ s_j · R)`
//! for who holds each resource on each day (the holders of every wait are read from it).

use super::checker::Violation;
use super::driver::{CapacityWait, Driver};
use super::problem::{Problem, Schedule};
use crate::calendar::GridClock;

/// The grid span `[start, finish)` of activity `j`, `d` working days long, that starts at its
/// count `c` (its `c`-th working day).
pub fn span(clock: &GridClock, j: usize, c: u32, d: u32) -> (u32, u32) {
    let finish = clock.finish_at(j, f64::from(c) + f64::from(d));
    let start = if d > 0 {
        clock.start_at(j, f64::from(c))
    } else {
        finish
    };
    (start.max(0.0) as u32, finish.max(0.0) as u32)
}

/// The first count of activity `j` (of `d` working days) that starts it on or after grid day
/// `release`. A zero-length activity sits at the end of the working day before its count, which
/// lies before `release` when the days just before it are not worked: it takes the next count.
pub fn release_count(clock: &GridClock, j: usize, release: u32, d: u32) -> u32 {
    let c = whole(clock.count(j, f64::from(release)));
    if d == 0 && span(clock, j, c, 0).1 < release {
        c + 1
    } else {
        c
    }
}

/// The first whole count at or after `c` (a hair above a whole number counts as it).
fn whole(c: f64) -> u32 {
    (c - 1e-9).ceil().max(0.0) as u32
}

/// Remaining units per grid day and resource, grown on demand.
struct Remaining<'a> {
    problem: &'a Problem,
    units: Vec<i64>,
    days: usize,
}

impl<'a> Remaining<'a> {
    fn new(problem: &'a Problem) -> Self {
        Remaining {
            problem,
            units: Vec::new(),
            days: 0,
        }
    }

    fn ensure(&mut self, days: usize) {
        let r = self.problem.resources.len();
        if days <= self.days {
            return;
        }
        let target = days.max(self.days * 2).max(64);
        self.units.reserve((target - self.days) * r);
        for day in self.days..target {
            for res in &self.problem.resources {
                self.units
                    .push(i64::from(res.capacity.units_at(day as u32)));
            }
        }
        self.days = target;
    }

    fn free(&self, day: u32, k: usize) -> i64 {
        self.units[day as usize * self.problem.resources.len() + k]
    }

    fn take(&mut self, day: u32, k: usize, q: u32) {
        let r = self.problem.resources.len();
        self.units[day as usize * r + k] -= i64::from(q);
    }
}

/// Places the activities in `order` (every predecessor first), each in its mode from `modes`,
/// at the earliest count its release day, links and the capacity left on its working days
/// allow. Returns start and finish grid days and the drivers (a wait for a resource is
/// recorded as such only when `record` is set: its holders are found after the pass, from
/// who holds each resource on each day).
pub fn place(
    problem: &Problem,
    clock: &GridClock,
    order: &[usize],
    modes: &[usize],
    record: bool,
) -> (Vec<u32>, Vec<u32>, Vec<Driver>) {
    let n = problem.activities.len();
    let mut starts = vec![0u32; n];
    let mut finish = vec![0u32; n];
    let mut drivers = vec![Driver::Release { day: 0 }; n];
    // Each activity that waited for a resource: (activity, last day it could not fit, resource).
    let mut waits: Vec<(usize, u32, usize)> = Vec::new();
    let mut remaining = Remaining::new(problem);
    for &j in order {
        let activity = &problem.activities[j];
        let mode = &activity.modes[modes[j]];
        let d = mode.duration;
        let mut c = release_count(clock, j, activity.release, d);
        let mut driver = Driver::Release {
            day: activity.release,
        };
        for p in &activity.preds {
            let asked = p.kind.earliest_start(
                clock.count(j, f64::from(starts[p.pred])),
                clock.count(j, f64::from(finish[p.pred])),
                f64::from(p.lag),
                f64::from(d),
            );
            let asked = whole(asked);
            if asked > c {
                c = asked;
                driver = Driver::Link {
                    pred: p.pred,
                    kind: p.kind,
                    lag: p.lag,
                };
            }
        }
        let busy = d > 0 && mode.demand.iter().any(|&q| q > 0);
        let mut waited = None;
        let (s, f) = loop {
            let (s, f) = span(clock, j, c, d);
            if !busy {
                break (s, f);
            }
            remaining.ensure(f as usize);
            let clash = (s..f)
                .rev()
                .filter(|&day| clock.works(j, day))
                .find_map(|day| {
                    mode.demand
                        .iter()
                        .enumerate()
                        .find(|&(k, &q)| q > 0 && remaining.free(day, k) < i64::from(q))
                        .map(|(k, &q)| (day, k, q))
                });
            let Some((day, k, q)) = clash else {
                break (s, f);
            };
            waited = Some((day, k, q));
            c = whole(clock.count(j, f64::from(day) + 1.0)).max(c + 1);
        };
        (starts[j], finish[j]) = (s, f);
        if let (true, Some((day, k, _))) = (record, waited) {
            waits.push((j, day, k));
        }
        if busy {
            for day in (s..f).filter(|&day| clock.works(j, day)) {
                for (k, &q) in mode.demand.iter().enumerate() {
                    remaining.take(day, k, q);
                }
            }
        }
        drivers[j] = driver;
    }
    if !waits.is_empty() {
        let held = Held::of(problem, clock, order, modes, &starts, &finish);
        for (j, day, k) in waits {
            let q = problem.activities[j].modes[modes[j]].demand[k];
            drivers[j] = Driver::Capacity(held.wait(problem, modes, &finish, (j, day, k), q));
        }
    }
    (starts, finish, drivers)
}

/// Who holds each resource on each grid day of a schedule, in placement order: the
/// activities working that day with a demand on it. Built once after a pass, in
/// `O(Σ s_j · R)` for spans of `s_j` grid days, so that finding the holders of every wait
/// does not scan the activities placed before each.
struct Held {
    /// Per resource and grid day (row-major by day), the holders in placement order.
    holders: Vec<Vec<usize>>,
    resources: usize,
    /// Place of each activity in the list.
    position: Vec<usize>,
}

impl Held {
    fn of(
        problem: &Problem,
        clock: &GridClock,
        order: &[usize],
        modes: &[usize],
        starts: &[u32],
        finish: &[u32],
    ) -> Self {
        let resources = problem.resources.len();
        let days = finish.iter().copied().max().unwrap_or(0) as usize;
        let mut holders = vec![Vec::new(); days * resources];
        let mut position = vec![0; order.len()];
        for (pos, &h) in order.iter().enumerate() {
            position[h] = pos;
            let demand = &problem.activities[h].modes[modes[h]].demand;
            for day in (starts[h]..finish[h]).filter(|&day| clock.works(h, day)) {
                for (k, _) in demand.iter().enumerate().filter(|&(_, &q)| q > 0) {
                    holders[day as usize * resources + k].push(h);
                }
            }
        }
        Held {
            holders,
            resources,
            position,
        }
    }

    /// The wait of activity `j` for `q` units of resource `k` on grid day `day`: the activities
    /// placed before it that held `k` that day, the units they left free, and the one that
    /// finished last.
    fn wait(
        &self,
        problem: &Problem,
        modes: &[usize],
        finish: &[u32],
        (j, day, k): (usize, u32, usize),
        q: u32,
    ) -> CapacityWait {
        let holders: Vec<usize> = self.holders[day as usize * self.resources + k]
            .iter()
            .copied()
            .filter(|&h| self.position[h] < self.position[j])
            .collect();
        let taken: i64 = holders
            .iter()
            .map(|&h| i64::from(problem.activities[h].modes[modes[h]].demand[k]))
            .sum();
        let free = i64::from(problem.resources[k].capacity.units_at(day)) - taken;
        let freed_by = holders.iter().copied().max_by_key(|&h| finish[h]);
        CapacityWait {
            resource: k,
            day,
            free,
            demand: q,
            holders,
            freed_by,
        }
    }
}

/// Checks a schedule on `clock`'s calendars against `problem` by counting working days one by
/// one (not through the clock's lookups the pass uses): each activity starts on or after its
/// release, works its mode's duration from its start, meets every link in its own working
/// days, and no resource is over capacity on a day; the finish of each activity is the day
/// after its last working day. Empty when the schedule is sound.
pub fn check_on_calendars(
    problem: &Problem,
    clock: &GridClock,
    schedule: &Schedule,
) -> Vec<Violation> {
    let n = problem.activities.len();
    if schedule.starts.len() != n || schedule.modes.len() != n {
        return vec![Violation::Shape {
            activities: n,
            starts: schedule.starts.len(),
            modes: schedule.modes.len(),
        }];
    }
    let mut out = Vec::new();
    let mut finish = vec![0u32; n];
    for (j, activity) in problem.activities.iter().enumerate() {
        let Some(mode) = activity.modes.get(schedule.modes[j]) else {
            out.push(Violation::UnknownMode {
                activity: j,
                mode: schedule.modes[j],
            });
            return out;
        };
        finish[j] = walked_finish(clock, j, schedule.starts[j], mode.duration);
        if schedule.starts[j] < activity.release {
            out.push(Violation::BeforeRelease {
                activity: j,
                start: schedule.starts[j],
                release: activity.release,
            });
        }
    }
    // Working days before each grid day, per mask, counted one day at a time.
    let horizon = finish.iter().copied().max().unwrap_or(0) as usize + 1;
    let mut prefix: std::collections::HashMap<usize, Vec<u32>> = std::collections::HashMap::new();
    for j in 0..n {
        prefix.entry(clock.mask_of(j)).or_insert_with(|| {
            let mut before = Vec::with_capacity(horizon + 1);
            let mut worked = 0;
            for day in 0..=horizon as u32 {
                before.push(worked);
                worked += u32::from(clock.works(j, day));
            }
            before
        });
    }
    let count = |j: usize, t: u32| i64::from(prefix[&clock.mask_of(j)][t as usize]);
    for (j, activity) in problem.activities.iter().enumerate() {
        let d = activity.modes[schedule.modes[j]].duration;
        for p in &activity.preds {
            let anchor = if p.kind.from_start() {
                count(j, schedule.starts[p.pred])
            } else {
                count(j, finish[p.pred])
            };
            let end = if p.kind.to_finish() { i64::from(d) } else { 0 };
            let earliest = anchor + i64::from(p.lag) - end;
            let own = count(j, schedule.starts[j]);
            if own < earliest {
                out.push(Violation::Precedence {
                    pred: p.pred,
                    succ: j,
                    kind: p.kind,
                    lag: p.lag,
                    earliest,
                    start: own as u32,
                });
            }
        }
    }
    let days = finish.iter().copied().max().unwrap_or(0);
    for (k, resource) in problem.resources.iter().enumerate() {
        let mut used = vec![0u64; days as usize];
        for (j, activity) in problem.activities.iter().enumerate() {
            let q = activity.modes[schedule.modes[j]].demand[k];
            for day in (schedule.starts[j]..finish[j]).filter(|&day| clock.works(j, day)) {
                used[day as usize] += u64::from(q);
            }
        }
        for (day, &demand) in used.iter().enumerate() {
            let capacity = resource.capacity.units_at(day as u32);
            if demand > u64::from(capacity) {
                out.push(Violation::Overload {
                    resource: k,
                    day: day as u32,
                    demand,
                    capacity,
                });
            }
        }
    }
    out
}

/// The day after the `d`-th working day of `j` from `start` on (`start` itself for `d` = 0).
fn walked_finish(clock: &GridClock, j: usize, start: u32, d: u32) -> u32 {
    let mut left = d;
    let mut day = start;
    while left > 0 {
        if clock.works(j, day) {
            left -= 1;
        }
        day += 1;
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Activity, Resource};

    #[test]
    fn work_holds_its_crew_only_on_its_working_days() {
        // Grid days 0..10. Activity 0 works days 0, 1, 4, 5 (2 days off at 2, 3); activity 1
        // works every day. One unit: activity 1 (2 days) fits into 0's days off.
        let masks = vec![
            vec![true, true, false, false, true, true, true, true, true, true],
            vec![true; 10],
        ];
        let clock = GridClock::from_masks(masks, vec![0, 1]);
        let problem = Problem {
            activities: vec![Activity::single(4, vec![1]), Activity::single(2, vec![1])],
            resources: vec![Resource::constant("r", 1)],
            horizon_hint: 0,
        };
        let (starts, finish, _) = place(&problem, &clock, &[0, 1], &[0, 0], true);
        assert_eq!((starts[0], finish[0]), (0, 6));
        assert_eq!((starts[1], finish[1]), (2, 4));
        let schedule = Schedule {
            starts,
            modes: vec![0, 0],
        };
        assert!(check_on_calendars(&problem, &clock, &schedule).is_empty());
        // One day later activity 1 works day 4, which activity 0 works too.
        let mut late = schedule.clone();
        late.starts[1] = 3;
        let found = check_on_calendars(&problem, &clock, &late);
        assert!(
            matches!(found[..], [Violation::Overload { day: 4, .. }]),
            "{found:?}"
        );
    }

    #[test]
    fn a_lag_counts_in_the_successors_calendar() {
        // The successor works even days only: finish-to-start with 1 day of lag after the
        // predecessor's finish at day 2 skips its working day 2 and starts on day 4.
        let masks = vec![vec![true; 12], (0..12).map(|d| d % 2 == 0).collect()];
        let clock = GridClock::from_masks(masks, vec![0, 1]);
        let problem = Problem {
            activities: vec![
                Activity::single(2, vec![]),
                Activity::single(1, vec![]).after(0, 1),
            ],
            resources: vec![],
            horizon_hint: 0,
        };
        let (starts, finish, _) = place(&problem, &clock, &[0, 1], &[0, 0], true);
        assert_eq!((starts[1], finish[1]), (4, 5));
    }
}
