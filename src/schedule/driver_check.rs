//! The independent check of drivers ([`super::driver`]): a driver must be true of the
//! schedule. A link driver's link exists and its earliest start is the start; a release driver's
//! day is the release day and the start; a capacity driver's resource, on the day before the
//! start, has less free than the activity needs, both counting only the holders it names and
//! counting every activity of the schedule.
//!
//! Like [`super::checker`], it is written from the problem's definitions, not from the
//! generator's helpers, and it assumes a schedule that [`super::checker::check`] accepts.
//!
//! # Complexity
//!
//! `O(n + E + c · n)` for `n` activities, `E` links and `c` capacity drivers (each sums the
//! load of its day over every activity).

use super::driver::{CapacityWait, Driver};
use super::problem::{Problem, Schedule};
use crate::calendar::GridClock;
use crate::graph::LinkType;
use std::fmt;

/// One way a driver is not true of its schedule. Activities and resources are indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DriverViolation {
    /// Not one driver per activity.
    Count {
        /// Activities in the problem.
        activities: usize,
        /// Drivers given.
        drivers: usize,
    },
    /// The activity has no link of this predecessor, type and lag.
    NoSuchLink {
        /// The activity.
        activity: usize,
        /// The predecessor the driver names.
        pred: usize,
    },
    /// The link exists but allows an earlier start than the activity's.
    LinkNotBinding {
        /// The activity.
        activity: usize,
        /// The predecessor.
        pred: usize,
        /// The earliest start the link allows.
        earliest: i64,
        /// The activity's start.
        start: u32,
    },
    /// The release driver's day is not both the release day and the start.
    ReleaseNotBinding {
        /// The activity.
        activity: usize,
        /// The day the driver names.
        day: u32,
        /// The activity's release day.
        release: u32,
        /// The activity's start.
        start: u32,
    },
    /// A capacity driver names a day other than the day before the start, a resource the
    /// activity does not use, or a demand other than the activity's.
    CapacityShape {
        /// The activity.
        activity: usize,
    },
    /// A named holder does not hold the resource on the day (or is named twice, or is the
    /// activity itself).
    NotAHolder {
        /// The activity.
        activity: usize,
        /// The holder named.
        holder: usize,
    },
    /// The resource had at least the demand free on the day before the start (counting the
    /// named holders, or counting every activity), or the free units named are not the
    /// capacity minus the named holders.
    CapacityNotBinding {
        /// The activity.
        activity: usize,
        /// The resource.
        resource: usize,
        /// Units free on the day by the named holders.
        free: i64,
        /// Units the activity needs.
        demand: u64,
    },
    /// The holder said to free the resource does not finish at the start, or none is named
    /// though the capacity did not rise at the start.
    NotFreed {
        /// The activity.
        activity: usize,
    },
    /// A calendar driver where the activity works a day between the day its link or release
    /// allowed and its start (or the day lies after the start, before the release or before
    /// the link's anchor), or in a schedule without working calendars.
    CalendarNotBinding {
        /// The activity.
        activity: usize,
        /// The day the driver names.
        day: u32,
        /// The activity's start.
        start: u32,
    },
}

impl fmt::Display for DriverViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DriverViolation::Count { activities, drivers } => {
                write!(f, "{drivers} drivers for {activities} activities")
            }
            DriverViolation::NoSuchLink { activity, pred } => write!(
                f,
                "activity {activity} is said to be driven by a link from {pred} it does not have"
            ),
            DriverViolation::LinkNotBinding { activity, pred, earliest, start } => write!(
                f,
                "activity {activity} starts on day {start}, but its link from {pred} allows day {earliest}"
            ),
            DriverViolation::ReleaseNotBinding { activity, day, release, start } => write!(
                f,
                "activity {activity} is said to start on release day {day}; its release is {release}, its start {start}"
            ),
            DriverViolation::CapacityShape { activity } => write!(
                f,
                "activity {activity}'s capacity driver names the wrong day, resource or demand"
            ),
            DriverViolation::NotAHolder { activity, holder } => write!(
                f,
                "activity {holder} is named as holding a resource activity {activity} waited for, but does not"
            ),
            DriverViolation::CapacityNotBinding { activity, resource, free, demand } => write!(
                f,
                "activity {activity} is said to wait for resource {resource}, but {free} units were free for its {demand}"
            ),
            DriverViolation::NotFreed { activity } => write!(
                f,
                "what let activity {activity} start (a holder finishing, or a capacity step) did not happen"
            ),
            DriverViolation::CalendarNotBinding { activity, day, start } => write!(
                f,
                "activity {activity} is said to wait from day {day} to day {start} for its calendar, but it works one of those days (or may not start on day {day})"
            ),
        }
    }
}

/// Every driver of `drivers` that is not true of `schedule`; empty means all are.
/// `schedule` must pass [`super::checker::check`].
pub fn check_drivers(
    problem: &Problem,
    schedule: &Schedule,
    drivers: &[Driver],
) -> Vec<DriverViolation> {
    let n = problem.activities.len();
    if drivers.len() != n || schedule.starts.len() != n || schedule.modes.len() != n {
        return vec![DriverViolation::Count {
            activities: n,
            drivers: drivers.len(),
        }];
    }
    let facts = Facts {
        problem,
        schedule,
        usage: Usage::of(problem, schedule),
    };
    drivers
        .iter()
        .enumerate()
        .filter_map(|(j, driver)| match driver {
            Driver::Release { day } => facts.release(j, *day),
            Driver::Link { pred, kind, lag } => facts.link(j, *pred, *kind, *lag),
            Driver::Capacity(wait) => facts.capacity(j, wait),
            // Without working calendars every day is worked: no start waits for one.
            Driver::Calendar { day, .. } => Some(DriverViolation::CalendarNotBinding {
                activity: j,
                day: *day,
                start: schedule.starts[j],
            }),
        })
        .collect()
}

/// The schedule's days and demands, read straight from the problem.
struct Facts<'a> {
    problem: &'a Problem,
    schedule: &'a Schedule,
    usage: Usage,
}

/// Units of each resource in use from each day on, as change points (day, units) in day
/// order: built once with one sort, so checking a capacity driver is a binary search, not a
/// scan of every activity (which made the check quadratic: 100,000 tasks took minutes).
struct Usage {
    points: Vec<Vec<(i64, i64)>>,
}

impl Usage {
    fn of(problem: &Problem, schedule: &Schedule) -> Self {
        let points = (0..problem.resources.len())
            .map(|r| {
                let mut changes: Vec<(i64, i64)> = Vec::new();
                for (j, a) in problem.activities.iter().enumerate() {
                    let mode = &a.modes[schedule.modes[j]];
                    let units = i64::from(mode.demand.get(r).copied().unwrap_or(0));
                    if units > 0 && mode.duration > 0 {
                        let start = i64::from(schedule.starts[j]);
                        changes.push((start, units));
                        changes.push((start + i64::from(mode.duration), -units));
                    }
                }
                changes.sort_unstable();
                let mut points: Vec<(i64, i64)> = Vec::new();
                let mut load = 0;
                for (day, change) in changes {
                    load += change;
                    match points.last_mut() {
                        Some(last) if last.0 == day => last.1 = load,
                        _ => points.push((day, load)),
                    }
                }
                points
            })
            .collect();
        Usage { points }
    }

    /// Units of resource `r` in use on `day`.
    fn on(&self, r: usize, day: i64) -> i64 {
        let points = &self.points[r];
        match points.partition_point(|&(d, _)| d <= day) {
            0 => 0,
            k => points[k - 1].1,
        }
    }
}

impl Facts<'_> {
    fn start(&self, j: usize) -> i64 {
        i64::from(self.schedule.starts[j])
    }

    fn duration(&self, j: usize) -> i64 {
        i64::from(self.problem.activities[j].modes[self.schedule.modes[j]].duration)
    }

    fn demand(&self, j: usize, resource: usize) -> u64 {
        let mode = &self.problem.activities[j].modes[self.schedule.modes[j]];
        mode.demand.get(resource).map_or(0, |&q| u64::from(q))
    }

    fn runs_on(&self, j: usize, day: i64) -> bool {
        self.start(j) <= day && day < self.start(j) + self.duration(j)
    }

    fn release(&self, j: usize, day: u32) -> Option<DriverViolation> {
        let release = self.problem.activities[j].release;
        let start = self.schedule.starts[j];
        (day != release || start != release).then_some(DriverViolation::ReleaseNotBinding {
            activity: j,
            day,
            release,
            start,
        })
    }

    fn link(&self, j: usize, pred: usize, kind: LinkType, lag: i32) -> Option<DriverViolation> {
        let exists = self.problem.activities[j]
            .preds
            .iter()
            .any(|p| p.pred == pred && p.kind == kind && p.lag == lag);
        if !exists || pred >= self.problem.activities.len() {
            return Some(DriverViolation::NoSuchLink { activity: j, pred });
        }
        let (pred_start, pred_finish) = (self.start(pred), self.start(pred) + self.duration(pred));
        let own = self.duration(j);
        let lag = i64::from(lag);
        let earliest = match kind {
            LinkType::FS => pred_finish + lag,
            LinkType::SS => pred_start + lag,
            LinkType::FF => pred_finish + lag - own,
            LinkType::SF => pred_start + lag - own,
        };
        (earliest != self.start(j)).then_some(DriverViolation::LinkNotBinding {
            activity: j,
            pred,
            earliest,
            start: self.schedule.starts[j],
        })
    }

    fn capacity(&self, j: usize, wait: &CapacityWait) -> Option<DriverViolation> {
        let r = wait.resource;
        let day = i64::from(wait.day);
        let demand = self.demand(j, r);
        if r >= self.problem.resources.len()
            || day + 1 != self.start(j)
            || demand == 0
            || demand != u64::from(wait.demand)
        {
            return Some(DriverViolation::CapacityShape { activity: j });
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(&holder) = wait.holders.iter().find(|&&h| {
            h >= self.problem.activities.len()
                || h == j
                || !seen.insert(h)
                || !self.runs_on(h, day)
                || self.demand(h, r) == 0
        }) {
            return Some(DriverViolation::NotAHolder {
                activity: j,
                holder,
            });
        }
        let capacity = i64::from(self.problem.resources[r].capacity.units_at(wait.day));
        let held: i64 = wait.holders.iter().map(|&h| self.demand(h, r) as i64).sum();
        // `j` starts the day after `day`, so everything in use on `day` is someone else's.
        let all = self.usage.on(r, day);
        let demand_units = demand as i64;
        if capacity - held != wait.free
            || wait.free >= demand_units
            || capacity - all >= demand_units
        {
            return Some(DriverViolation::CapacityNotBinding {
                activity: j,
                resource: r,
                free: capacity - held,
                demand,
            });
        }
        let freed = match wait.freed_by {
            Some(h) => {
                wait.holders.contains(&h) && self.start(h) + self.duration(h) == self.start(j)
            }
            None => {
                let capacity = &self.problem.resources[r].capacity;
                capacity.units_at(wait.day + 1) > capacity.units_at(wait.day)
            }
        };
        (!freed).then_some(DriverViolation::NotFreed { activity: j })
    }
}

/// Every driver of `drivers` that is not true of `schedule` on `clock`'s working calendars
/// (starts in grid days, each activity working its mode's duration on its own working days
/// from its start), counted one working day at a time rather than through the clock's
/// lookups the pass uses. Links and the release day bind in the activity's working days: a
/// link driver's requirement, counted in the successor's days, is its start; a release
/// driver's day is its release and its start; a calendar driver's link or release would
/// allow its first day, and the activity works none of the days from there to its start; a
/// capacity driver's day is the activity's last working day before its start, links and
/// release allowed an earlier start, the holders work the resource that day and leave less
/// free than the demand (also counting every activity working that day), and the holder
/// named as freeing it finished by the start (none is named only when no holder did).
/// `schedule` must pass [`super::calendars::check_on_calendars`].
///
/// # Complexity
///
/// `O(n + E + Σ s_j · r + m · H)` for spans of `s_j` grid days, `r` resources, `m` masks and
/// `H` grid days.
pub fn check_drivers_on_calendars(
    problem: &Problem,
    clock: &GridClock,
    schedule: &Schedule,
    drivers: &[Driver],
) -> Vec<DriverViolation> {
    let n = problem.activities.len();
    if drivers.len() != n || schedule.starts.len() != n || schedule.modes.len() != n {
        return vec![DriverViolation::Count {
            activities: n,
            drivers: drivers.len(),
        }];
    }
    let facts = OnCalendars::of(problem, clock, schedule);
    drivers
        .iter()
        .enumerate()
        .filter_map(|(j, driver)| facts.driver(j, driver))
        .collect()
}

/// A schedule on working calendars read from its definitions: finishes and counts walked a
/// day at a time, and the units of each resource worked on each day.
struct OnCalendars<'a> {
    problem: &'a Problem,
    clock: &'a GridClock,
    schedule: &'a Schedule,
    finish: Vec<u32>,
    /// Per mask, the activity's working days before each grid day.
    before: std::collections::HashMap<usize, Vec<i64>>,
    /// Per resource, units worked on each grid day.
    used: Vec<Vec<u64>>,
}

impl<'a> OnCalendars<'a> {
    fn of(problem: &'a Problem, clock: &'a GridClock, schedule: &'a Schedule) -> Self {
        let duration = |j: usize| problem.activities[j].modes[schedule.modes[j]].duration;
        let finish: Vec<u32> = (0..problem.activities.len())
            .map(|j| {
                let (mut day, mut left) = (schedule.starts[j], duration(j));
                while left > 0 {
                    left -= u32::from(clock.works(j, day));
                    day += 1;
                }
                day
            })
            .collect();
        let last_release = problem.activities.iter().map(|a| a.release).max();
        let horizon = finish
            .iter()
            .copied()
            .chain(last_release)
            .max()
            .unwrap_or(0)
            + 1;
        let mut before = std::collections::HashMap::new();
        for j in 0..problem.activities.len() {
            before.entry(clock.mask_of(j)).or_insert_with(|| {
                let mut worked = 0;
                (0..=horizon)
                    .map(|day| {
                        let count = worked;
                        worked += i64::from(clock.works(j, day));
                        count
                    })
                    .collect()
            });
        }
        let mut used = vec![vec![0u64; horizon as usize]; problem.resources.len()];
        for (j, a) in problem.activities.iter().enumerate() {
            let mode = &a.modes[schedule.modes[j]];
            for day in (schedule.starts[j]..finish[j]).filter(|&day| clock.works(j, day)) {
                for (k, &q) in mode.demand.iter().enumerate() {
                    used[k][day as usize] += u64::from(q);
                }
            }
        }
        OnCalendars {
            problem,
            clock,
            schedule,
            finish,
            before,
            used,
        }
    }

    /// Activity `j`'s working days in grid days `[0, t)`.
    fn count(&self, j: usize, t: u32) -> i64 {
        self.before[&self.clock.mask_of(j)][t as usize]
    }

    fn duration(&self, j: usize) -> u32 {
        self.problem.activities[j].modes[self.schedule.modes[j]].duration
    }

    fn demand(&self, j: usize, k: usize) -> u32 {
        let mode = &self.problem.activities[j].modes[self.schedule.modes[j]];
        mode.demand.get(k).copied().unwrap_or(0)
    }

    /// The count of its own working days the link from `pred` asks `j` to start at, when
    /// `j` has that link.
    fn asked(&self, j: usize, pred: usize, kind: LinkType, lag: i32) -> Option<i64> {
        let a = &self.problem.activities[j];
        a.preds
            .iter()
            .any(|p| p.pred == pred && p.kind == kind && p.lag == lag)
            .then(|| {
                let anchor = if kind.from_start() {
                    self.schedule.starts[pred]
                } else {
                    self.finish[pred]
                };
                let end = if kind.to_finish() {
                    i64::from(self.duration(j))
                } else {
                    0
                };
                self.count(j, anchor) + i64::from(lag) - end
            })
    }

    /// The earliest count the release day and every link allow `j`.
    fn allowed(&self, j: usize) -> i64 {
        let a = &self.problem.activities[j];
        a.preds
            .iter()
            .filter_map(|p| self.asked(j, p.pred, p.kind, p.lag))
            .fold(self.count(j, a.release), i64::max)
    }

    fn driver(&self, j: usize, driver: &Driver) -> Option<DriverViolation> {
        let start = self.schedule.starts[j];
        let own = self.count(j, start);
        let release = self.problem.activities[j].release;
        match driver {
            Driver::Release { day } => {
                let binds = *day == release
                    && own == self.count(j, release)
                    && (self.duration(j) == 0 || start == release);
                (!binds).then_some(DriverViolation::ReleaseNotBinding {
                    activity: j,
                    day: *day,
                    release,
                    start,
                })
            }
            Driver::Link { pred, kind, lag } => self.link(j, *pred, *kind, *lag),
            Driver::Calendar { day, deferred } => self.calendar(j, *day, deferred),
            Driver::Capacity(wait) => self.capacity(j, wait),
        }
    }

    fn link(&self, j: usize, pred: usize, kind: LinkType, lag: i32) -> Option<DriverViolation> {
        if pred >= self.problem.activities.len() {
            return Some(DriverViolation::NoSuchLink { activity: j, pred });
        }
        let Some(earliest) = self.asked(j, pred, kind, lag) else {
            return Some(DriverViolation::NoSuchLink { activity: j, pred });
        };
        let start = self.schedule.starts[j];
        (earliest != self.count(j, start)).then_some(DriverViolation::LinkNotBinding {
            activity: j,
            pred,
            earliest,
            start,
        })
    }

    fn calendar(&self, j: usize, day: u32, deferred: &Driver) -> Option<DriverViolation> {
        let start = self.schedule.starts[j];
        let release = self.problem.activities[j].release;
        let untrue = Some(DriverViolation::CalendarNotBinding {
            activity: j,
            day,
            start,
        });
        let off = (day..start).all(|d| !self.clock.works(j, d));
        if self.duration(j) == 0 || day >= start || day < release || !off {
            return untrue;
        }
        match deferred {
            Driver::Release { day: r } => {
                let binds = *r == release && self.count(j, release) == self.count(j, start);
                (!binds).then_some(DriverViolation::ReleaseNotBinding {
                    activity: j,
                    day: *r,
                    release,
                    start,
                })
            }
            Driver::Link { pred, kind, lag } => {
                if let Some(v) = self.link(j, *pred, *kind, *lag) {
                    return Some(v);
                }
                // No lead: the link allows no day before its predecessor's start or finish.
                let anchor = if kind.from_start() {
                    self.schedule.starts[*pred]
                } else {
                    self.finish[*pred]
                };
                (*lag >= 0 && !kind.to_finish() && day < anchor)
                    .then_some(untrue)
                    .flatten()
            }
            Driver::Capacity(_) | Driver::Calendar { .. } => untrue,
        }
    }

    fn capacity(&self, j: usize, wait: &CapacityWait) -> Option<DriverViolation> {
        let (k, day) = (wait.resource, wait.day);
        let start = self.schedule.starts[j];
        let demand = if k < self.problem.resources.len() {
            self.demand(j, k)
        } else {
            0
        };
        let last_working_day = day < start
            && self.clock.works(j, day)
            && self.count(j, day) + 1 == self.count(j, start);
        if demand == 0
            || demand != wait.demand
            || self.duration(j) == 0
            || !last_working_day
            || self.allowed(j) >= self.count(j, start)
        {
            return Some(DriverViolation::CapacityShape { activity: j });
        }
        let mut seen = std::collections::HashSet::new();
        let n = self.problem.activities.len();
        if let Some(&holder) = wait.holders.iter().find(|&&h| {
            h >= n
                || h == j
                || !seen.insert(h)
                || self.demand(h, k) == 0
                || !(self.schedule.starts[h] <= day && day < self.finish[h])
                || !self.clock.works(h, day)
        }) {
            return Some(DriverViolation::NotAHolder {
                activity: j,
                holder,
            });
        }
        let capacity = i64::from(self.problem.resources[k].capacity.units_at(day));
        let held: i64 = wait
            .holders
            .iter()
            .map(|&h| i64::from(self.demand(h, k)))
            .sum();
        let all = self.used[k][day as usize] as i64;
        let need = i64::from(demand);
        if capacity - held != wait.free || wait.free >= need || capacity - all >= need {
            return Some(DriverViolation::CapacityNotBinding {
                activity: j,
                resource: k,
                free: capacity - held,
                demand: u64::from(demand),
            });
        }
        let finished = |h: usize| self.finish[h] <= start;
        let freed = match wait.freed_by {
            Some(h) => wait.holders.contains(&h) && finished(h),
            None => !wait.holders.iter().any(|&h| finished(h)),
        };
        (!freed).then_some(DriverViolation::NotFreed { activity: j })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::problem::{Activity, Capacity, Resource};
    use crate::schedule::sgs::Sgs;

    /// A (3 days) and B (2 days) both need the one unit of `r`; C follows A by an SS link
    /// with lag 1; a second unit joins on day 6.
    fn problem() -> Problem {
        Problem {
            activities: vec![
                Activity::single(3, vec![1]),
                Activity::single(2, vec![1]),
                Activity::single(1, vec![0]).linked(0, LinkType::SS, 1),
                Activity::single(1, vec![2]),
            ],
            resources: vec![Resource {
                name: "r".into(),
                capacity: Capacity::from_steps(vec![(0, 1), (6, 2)]).unwrap(),
            }],
            horizon_hint: 0,
        }
    }

    fn recorded() -> (Problem, Schedule, Vec<Driver>) {
        let problem = problem();
        let (schedule, drivers) = Sgs::new(&problem)
            .unwrap()
            .schedule_with_drivers(&[0, 1, 2, 3], &[0; 4])
            .unwrap();
        (problem, schedule, drivers)
    }

    #[test]
    fn the_generators_drivers_are_true() {
        let (problem, schedule, drivers) = recorded();
        assert_eq!(schedule.starts, vec![0, 3, 1, 6]);
        assert_eq!(drivers[0], Driver::Release { day: 0 });
        assert!(matches!(
            drivers[2],
            Driver::Link {
                pred: 0,
                kind: LinkType::SS,
                lag: 1
            }
        ));
        let Driver::Capacity(b) = &drivers[1] else {
            panic!("B waits for r: {:?}", drivers[1]);
        };
        assert_eq!((b.day, b.free, b.demand), (2, 0, 1));
        assert_eq!((b.holders.as_slice(), b.freed_by), (&[0][..], Some(0)));
        // D needs both units: it waits for the second one to join on day 6, freed by nobody.
        let Driver::Capacity(d) = &drivers[3] else {
            panic!("D waits for r: {:?}", drivers[3]);
        };
        assert_eq!((d.day, d.freed_by), (5, None));
        assert!(check_drivers(&problem, &schedule, &drivers).is_empty());
    }

    #[test]
    fn an_untrue_driver_is_refused() {
        let (problem, schedule, drivers) = recorded();
        let refused = |j: usize, driver: Driver| {
            let mut changed = drivers.clone();
            changed[j] = driver;
            check_drivers(&problem, &schedule, &changed)
        };
        // B does not start on its release day, nor is it linked to A.
        assert!(matches!(
            refused(1, Driver::Release { day: 0 })[..],
            [DriverViolation::ReleaseNotBinding { activity: 1, .. }]
        ));
        let link = Driver::Link {
            pred: 0,
            kind: LinkType::FS,
            lag: 0,
        };
        assert!(matches!(
            refused(1, link)[..],
            [DriverViolation::NoSuchLink { .. }]
        ));
        // C's link with another lag does not exist; with its own lag it binds only at day 1.
        let other_lag = Driver::Link {
            pred: 0,
            kind: LinkType::SS,
            lag: 0,
        };
        assert!(matches!(
            refused(2, other_lag)[..],
            [DriverViolation::NoSuchLink { .. }]
        ));
        let Driver::Capacity(wait) = drivers[1].clone() else {
            unreachable!()
        };
        // Without its holder the resource was free: not a reason to wait.
        let no_holder = CapacityWait {
            holders: vec![],
            freed_by: None,
            ..wait.clone()
        };
        assert!(matches!(
            refused(1, Driver::Capacity(no_holder))[..],
            [DriverViolation::CapacityNotBinding { .. }]
        ));
        let wrong_day = CapacityWait {
            day: 1,
            ..wait.clone()
        };
        assert!(matches!(
            refused(1, Driver::Capacity(wrong_day))[..],
            [DriverViolation::CapacityShape { activity: 1 }]
        ));
        let not_holding = CapacityWait {
            holders: vec![0, 2],
            ..wait.clone()
        };
        assert!(matches!(
            refused(1, Driver::Capacity(not_holding))[..],
            [DriverViolation::NotAHolder { holder: 2, .. }]
        ));
        // Nobody freed it and the capacity did not rise on day 3.
        let unfreed = CapacityWait {
            freed_by: None,
            ..wait
        };
        assert!(matches!(
            refused(1, Driver::Capacity(unfreed))[..],
            [DriverViolation::NotFreed { activity: 1 }]
        ));
        assert!(matches!(
            check_drivers(&problem, &schedule, &drivers[..3])[..],
            [DriverViolation::Count { .. }]
        ));
    }

    mod on_calendars {
        use super::super::*;
        use crate::calendar::GridClock;
        use crate::schedule::calendars::place;
        use crate::schedule::driver::on_calendars;
        use crate::schedule::problem::{Activity, Resource};

        /// Grid days 0..12. A (2 days) works every day; B (2 days, after A) is off on days 2
        /// and 3; C (2 days) works every day but needs the one unit A holds.
        fn placed() -> (Problem, GridClock, Schedule, Vec<Driver>) {
            let off = |d: usize| d != 2 && d != 3;
            let masks = vec![vec![true; 12], (0..12).map(off).collect()];
            let clock = GridClock::from_masks(masks, vec![0, 1, 0]);
            let problem = Problem {
                activities: vec![
                    Activity::single(2, vec![1]),
                    Activity::single(2, vec![0]).after(0, 0),
                    Activity::single(2, vec![1]),
                ],
                resources: vec![Resource::constant("r", 1)],
                horizon_hint: 0,
            };
            let modes = [0; 3];
            let (starts, finish, drivers) = place(&problem, &clock, &[0, 1, 2], &modes, true);
            let drivers = on_calendars(&problem, &clock, (&starts, &finish, &modes), drivers);
            let schedule = Schedule {
                starts,
                modes: vec![0; 3],
            };
            (problem, clock, schedule, drivers)
        }

        #[test]
        fn a_start_after_days_off_is_driven_by_the_calendar_and_the_check_agrees() {
            let (problem, clock, schedule, drivers) = placed();
            assert_eq!(schedule.starts, vec![0, 4, 2]);
            assert_eq!(
                drivers[1],
                Driver::Calendar {
                    day: 2,
                    deferred: Box::new(Driver::Link {
                        pred: 0,
                        kind: LinkType::FS,
                        lag: 0
                    })
                }
            );
            assert!(
                matches!(&drivers[2], Driver::Capacity(w) if w.day == 1 && w.freed_by == Some(0))
            );
            assert!(check_drivers_on_calendars(&problem, &clock, &schedule, &drivers).is_empty());
            // Without calendars no start waits for one.
            assert!(matches!(
                check_drivers(&problem, &schedule, &drivers)[..],
                [DriverViolation::CalendarNotBinding { activity: 1, .. }, ..]
            ));
        }

        #[test]
        fn an_untrue_calendar_or_link_driver_is_refused() {
            let (problem, clock, schedule, drivers) = placed();
            let refused = |j: usize, driver: Driver| {
                let mut changed = drivers.clone();
                changed[j] = driver;
                check_drivers_on_calendars(&problem, &clock, &schedule, &changed)
            };
            let link = Driver::Link {
                pred: 0,
                kind: LinkType::FS,
                lag: 0,
            };
            // Day 1 is before A's finish; A itself works the day before its start (none).
            let early = Driver::Calendar {
                day: 1,
                deferred: Box::new(link.clone()),
            };
            assert!(matches!(
                refused(1, early)[..],
                [DriverViolation::CalendarNotBinding { activity: 1, .. }]
            ));
            let first = Driver::Calendar {
                day: 0,
                deferred: Box::new(Driver::Release { day: 0 }),
            };
            assert!(matches!(
                refused(0, first)[..],
                [DriverViolation::CalendarNotBinding { activity: 0, .. }]
            ));
            // C works day 2 after A: a calendar wait from day 1 is not true of it.
            let c_waits = Driver::Calendar {
                day: 1,
                deferred: Box::new(Driver::Release { day: 0 }),
            };
            assert!(!refused(2, c_waits).is_empty());
            // B's link in its own days asks for its start: true; a release driver is not.
            assert!(refused(1, link).is_empty());
            assert!(matches!(
                refused(1, Driver::Release { day: 0 })[..],
                [DriverViolation::ReleaseNotBinding { activity: 1, .. }]
            ));
            let Driver::Capacity(wait) = drivers[2].clone() else {
                unreachable!()
            };
            let wrong_day = CapacityWait {
                day: 0,
                ..wait.clone()
            };
            assert!(matches!(
                refused(2, Driver::Capacity(wrong_day))[..],
                [DriverViolation::CapacityShape { activity: 2 }]
            ));
            // A finished by C's start: it freed the unit, and saying nobody did is untrue.
            let unfreed = CapacityWait {
                freed_by: None,
                ..wait.clone()
            };
            assert!(matches!(
                refused(2, Driver::Capacity(unfreed))[..],
                [DriverViolation::NotFreed { activity: 2 }]
            ));
            let no_holder = CapacityWait {
                holders: vec![],
                freed_by: None,
                ..wait
            };
            assert!(matches!(
                refused(2, Driver::Capacity(no_holder))[..],
                [DriverViolation::CapacityNotBinding { activity: 2, .. }]
            ));
        }
    }
}
