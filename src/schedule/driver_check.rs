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
}
