//! Why each activity starts when it does: the **driver** the forward serial schedule
//! generator records as it places an activity ([`super::sgs`]), and the **driving chain** that
//! follows drivers back from an activity to day 0 (the resource-aware critical path, or
//! critical chain, of that schedule).
//!
//! A forward serial pass places each activity at the earliest day its links and release day
//! allow, or, when some resource is short in that window, one day after the last short day.
//! So the start is either exactly a link's earliest start, exactly the release day, or the day
//! after a day on which a resource had less free than the activity needs. That is the driver.
//! [`super::driver_check::check_drivers`] verifies each one against the schedule.
//!
//! # Complexity
//!
//! Recording costs, per activity, one pass over its links; the holders of all capacity
//! drivers are found after the pass by one sweep over the days per resource:
//! `O(E + (n + h) log n)` per schedule for `E` links, `n` activities and `h` holders named. The search records only once, on the winning list (see
//! [`super::search::SearchResult::drivers`]), never inside its loop.

use super::compiled::Compiled;
use super::problem::Problem;
use crate::calendar::GridClock;
use crate::graph::LinkType;
use std::collections::BTreeMap;

/// What fixed an activity's start in a forward serial schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Driver {
    /// No link and no resource kept it later than its release day (day 0 unless the problem
    /// gives a later one), and it starts on that day.
    Release {
        /// The release day, which is the start.
        day: u32,
    },
    /// A link to a predecessor gives exactly this start.
    Link {
        /// The predecessor.
        pred: usize,
        /// The link's type.
        kind: LinkType,
        /// The link's lag in days.
        lag: i32,
    },
    /// Links and release day allowed an earlier start, but on the day before the start a
    /// resource had less free than the activity needs.
    Capacity(CapacityWait),
    /// Its link or release day allowed an earlier start, on `day`, but its working calendar
    /// is off on every day from `day` to the start, so it starts on its next working day.
    /// Only schedules on working calendars have it ([`on_calendars`]).
    Calendar {
        /// The first day the link or release day allowed: a day off for the activity, like
        /// every day from it to the start.
        day: u32,
        /// What allowed `day`: a [`Driver::Link`] or a [`Driver::Release`].
        deferred: Box<Driver>,
    },
}

/// A resource that kept an activity waiting: on `day` (the day before its start) the
/// activities in `holders` left `free` units of it, fewer than the `demand`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapacityWait {
    /// The resource.
    pub resource: usize,
    /// The day before the start, the last day it could not fit.
    pub day: u32,
    /// Units of the resource left free on `day` by the activities placed before this one.
    pub free: i64,
    /// Units the activity needs on every day it runs.
    pub demand: u32,
    /// The activities placed before it that held the resource on `day`, in placement order.
    pub holders: Vec<usize>,
    /// The holder that finished exactly at the start and so let it in (the one holding most
    /// units; on a tie the first placed); `None` when no holder finished then and the
    /// resource's capacity rose that day instead (a hire joining).
    pub freed_by: Option<usize>,
}

impl Driver {
    /// The activity the driving chain continues with: the predecessor of a link, the holder
    /// that freed a resource; `None` where the chain ends (a release day, a capacity step).
    pub fn next(&self) -> Option<usize> {
        match self {
            Driver::Release { .. } => None,
            Driver::Link { pred, .. } => Some(*pred),
            Driver::Capacity(wait) => wait.freed_by,
            Driver::Calendar { deferred, .. } => deferred.next(),
        }
    }
}

/// The drivers of a schedule on working calendars (starts and finishes in grid days of
/// `clock`, activities in `modes`), with each link or release driver of an activity that
/// starts right after days off its calendar turned into a [`Driver::Calendar`]: the link or
/// release allowed the first of those days, the calendar kept it waiting for its next working
/// day. A link from the start or finish of a predecessor with no lead allows no day before
/// that start or finish; no driver allows a day before the release. Zero-length activities
/// (milestones) sit at the end of a working day and keep their driver. A capacity wait's
/// `freed_by` is the holder that finished by the start (most units; on a tie the first
/// placed), `None` when none did (the others' calendars or a capacity step freed it).
pub fn on_calendars(
    problem: &Problem,
    clock: &GridClock,
    (starts, finish, modes): (&[u32], &[u32], &[usize]),
    drivers: Vec<Driver>,
) -> Vec<Driver> {
    let units = |h: usize, k: usize| {
        let mode = &problem.activities[h].modes[modes[h]];
        mode.demand.get(k).copied().unwrap_or(0)
    };
    drivers
        .into_iter()
        .enumerate()
        .map(|(j, driver)| {
            let Some(activity) = problem.activities.get(j) else {
                return driver;
            };
            let start = starts[j];
            if finish[j] <= start {
                return driver;
            }
            if let Driver::Capacity(mut wait) = driver {
                let done = wait.holders.iter().copied().filter(|&h| finish[h] <= start);
                wait.freed_by = done.fold(None, |best: Option<usize>, h| match best {
                    Some(b) if units(b, wait.resource) >= units(h, wait.resource) => Some(b),
                    _ => Some(h),
                });
                return Driver::Capacity(wait);
            }
            let floor = match &driver {
                Driver::Release { day } => *day,
                Driver::Link { pred, kind, lag } if *lag >= 0 && !kind.to_finish() => {
                    let anchor = if kind.from_start() {
                        starts[*pred]
                    } else {
                        finish[*pred]
                    };
                    anchor.max(activity.release)
                }
                Driver::Link { .. } => activity.release,
                Driver::Capacity(_) | Driver::Calendar { .. } => return driver,
            };
            let mut day = start;
            while day > floor && !clock.works(j, day - 1) {
                day -= 1;
            }
            if day == start {
                return driver;
            }
            Driver::Calendar {
                day,
                deferred: Box::new(driver),
            }
        })
        .collect()
}

/// The driving chain of `activity`: it, the activity its driver names, that one's, and so on,
/// back to an activity driven by its release day or a capacity step. Listed from `activity`
/// back. Every step goes to an activity placed earlier in the list, so the chain has at most
/// `drivers.len()` entries; the walk stops there (or at an index out of range) whatever the
/// drivers say.
pub fn driving_chain(drivers: &[Driver], activity: usize) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut current = Some(activity);
    while let Some(j) = current {
        if j >= drivers.len() || chain.len() >= drivers.len() {
            break;
        }
        chain.push(j);
        current = drivers[j].next();
    }
    chain
}

/// What a forward pass tells whoever watches it place activities; the pass is generic over
/// it so the search's passes (with [`NoRecord`]) compile to exactly the code without drivers.
pub(crate) trait Recorder {
    /// Whether [`Recorder::placed`] does anything: passes skip gathering its arguments if not.
    const RECORDS: bool;

    /// `j` was placed at `start` (already written into `starts`, before its demand is taken
    /// from the profile); `free_before` is every resource's free units on day `start - 1` when
    /// the start is later than links and release allow.
    fn placed(
        &mut self,
        c: &Compiled,
        modes: &[usize],
        starts: &[u32],
        j: usize,
        free_before: Option<&[i32]>,
    );
}

/// The recorder of the search's hot path: records nothing.
pub(crate) struct NoRecord;

impl Recorder for NoRecord {
    const RECORDS: bool = false;

    #[inline(always)]
    fn placed(&mut self, _: &Compiled, _: &[usize], _: &[u32], _: usize, _: Option<&[i32]>) {}
}

/// Records each activity's driver as the pass places it.
///
/// A capacity driver's holders are found after the pass, not while it places: the pass notes
/// which resource was short on which day ([`Pending`]), and [`DriverRecorder::into_drivers`]
/// answers all those questions in one sweep over the days per resource ([`holders_by_sweep`]).
/// Scanning every placed activity per capacity-driven one instead was quadratic (100,000 tasks:
/// 27 s of a 5 s `plan schedule`).
pub(crate) struct DriverRecorder {
    drivers: Vec<Option<Driver>>,
    /// Placement order of each activity; `u32::MAX` until placed.
    position: Vec<u32>,
    placed: u32,
    pending: Vec<Pending>,
}

/// A capacity driver waiting for its holders: `activity` could not start on `day + 1` because
/// `resource` had `free` units of its `demand` left on `day`.
struct Pending {
    activity: usize,
    resource: u32,
    day: u32,
    free: i32,
    demand: i32,
}

impl DriverRecorder {
    pub(crate) fn new(n: usize) -> Self {
        DriverRecorder {
            drivers: vec![None; n],
            position: vec![u32::MAX; n],
            placed: 0,
            pending: Vec::new(),
        }
    }

    /// The drivers of the pass that placed activities at `starts` in `modes`, indexed by
    /// activity; an activity the pass never placed (it stopped early) gets a release driver,
    /// which the driver check then refuses.
    pub(crate) fn into_drivers(
        mut self,
        c: &Compiled,
        modes: &[usize],
        starts: &[u32],
    ) -> Vec<Driver> {
        let waits = holders_by_sweep(c, modes, starts, &self.position, &self.pending);
        for (p, (holders, freed_by)) in self.pending.iter().zip(waits) {
            self.drivers[p.activity] = Some(Driver::Capacity(CapacityWait {
                resource: p.resource as usize,
                day: p.day,
                free: i64::from(p.free),
                demand: p.demand as u32,
                holders,
                freed_by,
            }));
        }
        self.drivers
            .into_iter()
            .map(|d| d.unwrap_or(Driver::Release { day: 0 }))
            .collect()
    }
}

impl Recorder for DriverRecorder {
    const RECORDS: bool = true;

    fn placed(
        &mut self,
        c: &Compiled,
        modes: &[usize],
        starts: &[u32],
        j: usize,
        free_before: Option<&[i32]>,
    ) {
        self.position[j] = self.placed;
        self.placed += 1;
        if let Some(pending) = free_before.and_then(|row| short_resource(c, modes, starts, j, row))
        {
            self.pending.push(pending);
            return;
        }
        let driver =
            binding_link(c, modes, starts, j).unwrap_or(Driver::Release { day: c.release[j] });
        self.drivers[j] = Some(driver);
    }
}

/// The first link of `j` whose earliest start is exactly `j`'s start.
fn binding_link(c: &Compiled, modes: &[usize], starts: &[u32], j: usize) -> Option<Driver> {
    let start = i64::from(starts[j]);
    let duration = i64::from(c.mode(j, modes[j]).duration);
    c.preds
        .row(j)
        .iter()
        .zip(c.pred_kinds.row(j))
        .find(|&(&(p, lag), &kind)| {
            let p = p as usize;
            let pred_start = i64::from(starts[p]);
            let anchor = if kind.from_start() {
                pred_start
            } else {
                pred_start + i64::from(c.mode(p, modes[p]).duration)
            };
            let end = if kind.to_finish() { duration } else { 0 };
            anchor + i64::from(lag) - end == start
        })
        .map(|(&(p, lag), &kind)| Driver::Link {
            pred: p as usize,
            kind,
            lag,
        })
}

/// The first resource `j` needs that is short on the day before its start.
fn short_resource(
    c: &Compiled,
    modes: &[usize],
    starts: &[u32],
    j: usize,
    free_before: &[i32],
) -> Option<Pending> {
    let day = starts[j].checked_sub(1)?;
    let &(k, q) = c
        .mode(j, modes[j])
        .demand
        .iter()
        .find(|&&(k, q)| free_before[k as usize] < q)?;
    Some(Pending {
        activity: j,
        resource: k,
        day,
        free: free_before[k as usize],
        demand: q,
    })
}

/// Units of resource `k` that activity `h` holds on each day it runs.
fn units_held(c: &Compiled, modes: &[usize], h: usize, k: u32) -> i32 {
    c.mode(h, modes[h])
        .demand
        .iter()
        .find(|&&(r, _)| r == k)
        .map_or(0, |&(_, units)| units)
}

/// For each pending wait, the activities placed before it that hold its resource on its day
/// (in placement order) and the one of them that frees it at the start (most units; on a tie
/// the first placed).
///
/// Per resource, one sweep over the days: its users' start and end days and the waits' days,
/// each sorted once; the users running on a day are kept in a set ordered by placement, so a
/// wait's holders are the part of that set placed before it. `O((n + h) log n)` for `n`
/// activities and `h` holders named in all.
fn holders_by_sweep(
    c: &Compiled,
    modes: &[usize],
    starts: &[u32],
    position: &[u32],
    pending: &[Pending],
) -> Vec<(Vec<usize>, Option<usize>)> {
    let mut answers = vec![(Vec::new(), None); pending.len()];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); c.resources];
    for h in (0..position.len()).filter(|&h| position[h] != u32::MAX) {
        let mode = c.mode(h, modes[h]);
        if mode.duration > 0 {
            for &(k, _) in &mode.demand {
                users[k as usize].push(h);
            }
        }
    }
    let mut waits: Vec<Vec<usize>> = vec![Vec::new(); c.resources];
    for (i, p) in pending.iter().enumerate() {
        waits[p.resource as usize].push(i);
    }
    let end = |h: usize| starts[h] + c.mode(h, modes[h]).duration;
    for (k, (mut by_start, mut queries)) in users.into_iter().zip(waits).enumerate() {
        if queries.is_empty() {
            continue;
        }
        let mut by_end = by_start.clone();
        by_start.sort_unstable_by_key(|&h| starts[h]);
        by_end.sort_unstable_by_key(|&h| end(h));
        queries.sort_unstable_by_key(|&i| pending[i].day);
        let (mut next_start, mut next_end) = (0, 0);
        // Placement position -> activity, for the users running on the current day.
        let mut running: BTreeMap<u32, usize> = BTreeMap::new();
        for i in queries {
            let (day, j) = (pending[i].day, pending[i].activity);
            while let Some(&h) = by_start.get(next_start).filter(|&&h| starts[h] <= day) {
                running.insert(position[h], h);
                next_start += 1;
            }
            while let Some(&h) = by_end.get(next_end).filter(|&&h| end(h) <= day) {
                running.remove(&position[h]);
                next_end += 1;
            }
            let holders: Vec<usize> = running.range(..position[j]).map(|(_, &h)| h).collect();
            let held = |h: usize| units_held(c, modes, h, k as u32);
            let freed_by = holders
                .iter()
                .copied()
                .filter(|&h| end(h) == starts[j])
                .fold(None, |best: Option<usize>, h| match best {
                    Some(b) if held(b) >= held(h) => Some(b),
                    _ => Some(h),
                });
            answers[i] = (holders, freed_by);
        }
    }
    answers
}
