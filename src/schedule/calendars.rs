//! The serial schedule-generation scheme on working calendars: each activity works only on
//! the grid days its mask of a [`GridClock`] works, its duration counts those days, the lags
//! into it count in its calendar, and it holds its crew only on the days it works (a role whose
//! calendar is off inside the span is free there for nobody, and busy for nobody either).
//!
//! A separate, plain pass rather than a mode of [`super::Sgs`]: without calendars nothing here
//! runs, so the fast path keeps its speed. The search is a sampling of random
//! precedence-feasible lists and mode choices (the first one is the topological order at the
//! fastest modes), kept best by tardiness on the due dates, then by the latest finish.
//!
//! # Complexity
//!
//! One pass costs `O(E + Σ w_j · s_j · r_j)` for `n` activities, `E` links, spans of `s_j`
//! grid days, `w_j` candidate starts and `r_j` resources per activity.

use super::checker::Violation;
use super::driver::{CapacityWait, Driver};
use super::problem::{Problem, ProblemError, Schedule};
use super::search::SearchConfig;
use crate::calendar::GridClock;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Most schedules one calendar search generates, whatever the budget asks: each pass walks
/// every working day of every activity.
pub const MAX_CALENDAR_SCHEDULES: u64 = 2_000;

/// A schedule on working calendars: start and finish grid days (the finish is one past the
/// last day worked), the modes, and why each activity starts when it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarSchedule {
    /// Start grid day and mode of every activity.
    pub schedule: Schedule,
    /// Finish grid day of every activity: the day after its last working day (its start for a
    /// zero-length activity, which sits at the end of the working day before).
    pub finish: Vec<u32>,
    /// The activities in the order they were placed.
    pub order: Vec<usize>,
    /// What set each start ([`Driver`]), indexed like the activities.
    pub drivers: Vec<Driver>,
    /// Schedules generated to find it.
    pub schedules: u64,
}

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

/// The first whole count at or after `c` (a hair above a whole number counts as it).
fn whole(c: f64) -> u32 {
    (c - 1e-9).ceil().max(0.0) as u32
}

/// What set an activity's start in a [`place_pass`], before the holders of a resource it
/// waited for are listed ([`Driver`] is this with the holders).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// Its release day: no link asked for later and nothing kept it waiting.
    Release,
    /// Its link `preds[i]` (the first asking for the most, even when that is the release
    /// day) gives exactly this start.
    Link(usize),
    /// It waited for a resource (see the fields).
    Waited {
        /// The resource.
        resource: usize,
        /// The last grid day it could not fit.
        day: u32,
        /// Units of the resource left free that day by the activities placed before it.
        free: i64,
        /// Units it needs on each of its working days.
        demand: u32,
    },
}

/// The buffers of [`place_pass`], reused from pass to pass (a pass then allocates nothing
/// once they are grown); after a pass, `starts`, `finish` and `why` hold its result, indexed
/// like the activities.
#[derive(Clone, Debug, Default)]
pub struct Pass {
    /// Start grid day of every activity.
    pub starts: Vec<u32>,
    /// Finish grid day of every activity (the day after its last working day).
    pub finish: Vec<u32>,
    /// What set each start.
    pub why: Vec<Why>,
    /// Units left per grid day and resource, for the days this pass has reached.
    remaining: Vec<i64>,
    days: usize,
    /// Capacity per grid day and resource, computed once and copied into `remaining`.
    template: Vec<i64>,
    template_days: usize,
}

impl Pass {
    /// Makes days `0..days` available, refilled from the capacity template.
    fn ensure(&mut self, problem: &Problem, days: usize) {
        if days <= self.days {
            return;
        }
        let r = problem.resources.len();
        let target = days.max(self.days * 2).max(64);
        if target > self.template_days {
            self.template.reserve((target - self.template_days) * r);
            for day in self.template_days..target {
                for res in &problem.resources {
                    self.template
                        .push(i64::from(res.capacity.units_at(day as u32)));
                }
            }
            self.template_days = target;
        }
        let (from, to) = (self.days * r, target * r);
        self.remaining.resize(to, 0);
        self.remaining[from..to].copy_from_slice(&self.template[from..to]);
        self.days = target;
    }

    fn free(&self, r: usize, day: u32, k: usize) -> i64 {
        self.remaining[day as usize * r + k]
    }
}

/// Places the activities in `order` (every predecessor first), each in its mode from `modes`
/// lasting `duration(j)` working days (the mode's own in a search, a sampled one in a
/// simulation), at the earliest count its release day, links and the capacity left on its
/// working days allow; it holds its demand only on the days it works. The result is in
/// `pass` ([`Pass::starts`], [`Pass::finish`], [`Pass::why`]).
pub fn place_pass(
    problem: &Problem,
    clock: &GridClock,
    order: &[usize],
    modes: &[usize],
    duration: impl Fn(usize) -> u32,
    pass: &mut Pass,
) {
    let n = problem.activities.len();
    let r = problem.resources.len();
    for v in [&mut pass.starts, &mut pass.finish] {
        v.clear();
        v.resize(n, 0);
    }
    pass.why.clear();
    pass.why.resize(n, Why::Release);
    pass.days = 0;
    for &j in order {
        let activity = &problem.activities[j];
        let mode = &activity.modes[modes[j]];
        let d = duration(j);
        let mut c = whole(clock.count(j, f64::from(activity.release)));
        let mut why = Why::Release;
        for (i, p) in activity.preds.iter().enumerate() {
            let asked = p.kind.earliest_start(
                clock.count(j, f64::from(pass.starts[p.pred])),
                clock.count(j, f64::from(pass.finish[p.pred])),
                f64::from(p.lag),
                f64::from(d),
            );
            // The first link asking for the latest start drives it, as in the core's SGS:
            // a link asking for the release day itself too, but not one asking for a day
            // before the grid's first (a lead), which only the clamp brings to day 0.
            let reaches = (asked - 1e-9).ceil() >= f64::from(c);
            let asked = whole(asked);
            if asked > c || (asked == c && why == Why::Release && reaches) {
                c = asked;
                why = Why::Link(i);
            }
        }
        let busy = d > 0 && mode.demand.iter().any(|&q| q > 0);
        let (s, f) = loop {
            let (s, f) = span(clock, j, c, d);
            if !busy {
                break (s, f);
            }
            pass.ensure(problem, f as usize);
            let clash = (s..f)
                .rev()
                .filter(|&day| clock.works(j, day))
                .find_map(|day| {
                    mode.demand
                        .iter()
                        .enumerate()
                        .find(|&(k, &q)| q > 0 && pass.free(r, day, k) < i64::from(q))
                        .map(|(k, &q)| (day, k, q))
                });
            let Some((day, k, q)) = clash else {
                break (s, f);
            };
            why = Why::Waited {
                resource: k,
                day,
                free: pass.free(r, day, k),
                demand: q,
            };
            c = whole(clock.count(j, f64::from(day) + 1.0)).max(c + 1);
        };
        // A zero-length activity sits at the end of the working day before its count, which
        // for a release on a day off its calendar (a finished task at the status date) is
        // before the release: it waits there instead.
        let (s, f) = if d == 0 {
            (s.max(activity.release), f.max(activity.release))
        } else {
            (s, f)
        };
        (pass.starts[j], pass.finish[j]) = (s, f);
        if busy {
            for day in (s..f).filter(|&day| clock.works(j, day)) {
                let at = day as usize * r;
                for (k, &q) in mode.demand.iter().enumerate() {
                    pass.remaining[at + k] -= i64::from(q);
                }
            }
        }
        pass.why[j] = why;
    }
}

/// Places the activities in `order` (every predecessor first), each in its mode from `modes`,
/// at the earliest count its release day, links and the capacity left on its working days
/// allow ([`place_pass`]). Returns start and finish grid days and the drivers (a wait for a
/// resource lists its holders and the one that let it in only when `record` is set: finding
/// them costs a scan of the activities placed before).
pub fn place(
    problem: &Problem,
    clock: &GridClock,
    order: &[usize],
    modes: &[usize],
    record: bool,
) -> (Vec<u32>, Vec<u32>, Vec<Driver>) {
    let mut pass = Pass::default();
    let duration = |j: usize| problem.activities[j].modes[modes[j]].duration;
    place_pass(problem, clock, order, modes, duration, &mut pass);
    let mut position = vec![0usize; problem.activities.len()];
    for (at, &j) in order.iter().enumerate() {
        position[j] = at;
    }
    let Pass {
        starts,
        finish,
        why,
        ..
    } = pass;
    let drivers = why
        .iter()
        .enumerate()
        .map(|(j, why)| match *why {
            Why::Release => Driver::Release {
                day: problem.activities[j].release,
            },
            Why::Link(i) => {
                let p = &problem.activities[j].preds[i];
                Driver::Link {
                    pred: p.pred,
                    kind: p.kind,
                    lag: p.lag,
                }
            }
            Why::Waited {
                resource,
                day,
                free,
                demand,
            } => {
                // The holders are listed from what the pass left: the activities placed
                // before this one that work that day inside their span.
                let units = |h: usize| problem.activities[h].modes[modes[h]].demand[resource];
                let holders: Vec<usize> = if record {
                    order[..position[j]]
                        .iter()
                        .copied()
                        .filter(|&h| {
                            units(h) > 0
                                && starts[h] <= day
                                && day < finish[h]
                                && clock.works(h, day)
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let freed_by = let_in_by(&holders, &finish, starts[j], units);
                Driver::Capacity(CapacityWait {
                    resource,
                    day,
                    free,
                    demand,
                    holders,
                    freed_by,
                })
            }
        })
        .collect();
    (starts, finish, drivers)
}

/// Of `holders` (in placement order), the one that let a waiting activity in at `start`: it
/// finished by then (after the day the wait was last short on), holding most units (on a
/// tie the first placed), as [`CapacityWait::freed_by`] says; `None` when none finished, so
/// the capacity rose or the holders are off that activity's working days.
pub fn let_in_by(
    holders: &[usize],
    finish: &[u32],
    start: u32,
    units: impl Fn(usize) -> u32,
) -> Option<usize> {
    let mut best: Option<(u32, usize)> = None;
    for &h in holders.iter().filter(|&&h| finish[h] <= start) {
        if best.is_none_or(|(most, _)| units(h) > most) {
            best = Some((units(h), h));
        }
    }
    best.map(|(_, h)| h)
}

/// Total days late of `finish` on `due_dates` (activity, latest finish).
fn tardiness(finish: &[u32], due_dates: &[(usize, u32)]) -> u64 {
    due_dates
        .iter()
        .filter_map(|&(j, due)| finish.get(j).map(|&f| u64::from(f.saturating_sub(due))))
        .sum()
}

/// A precedence-feasible list: Kahn's algorithm over `succs` (the problem's successor lists),
/// taking a random ready activity.
fn random_order(
    problem: &Problem,
    succs: &[Vec<(usize, i32)>],
    rng: &mut Xoshiro256PlusPlus,
) -> Vec<usize> {
    let n = problem.activities.len();
    let mut missing: Vec<usize> = problem.activities.iter().map(|a| a.preds.len()).collect();
    let mut ready: Vec<usize> = (0..n).filter(|&j| missing[j] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while !ready.is_empty() {
        let j = ready.swap_remove(rng.random_range(0..ready.len()));
        order.push(j);
        for &(s, _) in &succs[j] {
            missing[s] -= 1;
            if missing[s] == 0 {
                ready.push(s);
            }
        }
    }
    order
}

/// Searches schedules of `problem` on `clock`'s calendars: `config.schedules` of them (at most
/// [`MAX_CALENDAR_SCHEDULES`]) from `config.seed`, the best by tardiness on
/// `config.due_dates`, then by latest finish; it stops early at `config.time_limit`, when
/// cancelled, or once a schedule is on time and as short as `bound` (no schedule is shorter).
/// Only modes that fit the eventual capacity are used, so every pass ends.
pub fn search_on_calendars(
    problem: &Problem,
    clock: &GridClock,
    config: &SearchConfig,
    bound: u32,
) -> Result<CalendarSchedule, ProblemError> {
    let began = std::time::Instant::now();
    problem.validate()?;
    let usable = problem.usable_modes();
    let fastest: Vec<usize> = problem
        .activities
        .iter()
        .zip(&usable)
        .map(|(a, ok)| {
            ok.iter()
                .copied()
                .min_by_key(|&m| a.modes[m].duration)
                .unwrap_or(0)
        })
        .collect();
    // Successor lists are built once: every sampled list walks them.
    let succs = problem.successors();
    let budget = config.schedules.clamp(1, MAX_CALENDAR_SCHEDULES);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(config.seed);
    let mut best: Option<((u64, u32), CalendarSchedule)> = None;
    let mut generated = 0;
    for k in 0..budget {
        let cancelled = config
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed));
        let out_of_time = config.time_limit.is_some_and(|t| began.elapsed() >= t);
        let best_possible = best
            .as_ref()
            .is_some_and(|((late, end), _)| *late == 0 && *end <= bound);
        if best.is_some() && (cancelled || out_of_time || best_possible) {
            break;
        }
        let (order, modes) = if k == 0 {
            (problem.topological_order()?, fastest.clone())
        } else {
            let modes = usable
                .iter()
                .map(|ok| ok[rng.random_range(0..ok.len().max(1))])
                .collect();
            (random_order(problem, &succs, &mut rng), modes)
        };
        let (starts, finish, _) = place(problem, clock, &order, &modes, false);
        generated += 1;
        let key = (
            tardiness(&finish, &config.due_dates),
            finish.iter().copied().max().unwrap_or(0),
        );
        if best.as_ref().is_none_or(|(b, _)| key < *b) {
            let found = CalendarSchedule {
                schedule: Schedule { starts, modes },
                finish,
                order,
                drivers: Vec::new(),
                schedules: 0,
            };
            best = Some((key, found));
        }
    }
    let (_, mut found) = best.expect("the budget is at least one schedule");
    found.schedules = generated;
    // The same pass again, recording why each activity waits: the same starts.
    let (_, _, drivers) = place(problem, clock, &found.order, &found.schedule.modes, true);
    found.drivers = drivers;
    Ok(found)
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
