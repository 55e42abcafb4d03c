//! Independent feasibility oracle: verifies any schedule against a problem
//! straight from the problem's own data, sharing no code with schedule
//! generation so a bug there cannot hide itself.
//!
//! # Complexity
//!
//! [`check`] is `O(n + E + R · D · n)` for `n` activities, `E` precedences and `R`
//! resources, where `D ≤ 2n + S` is the number of days on which a resource's load or its
//! `S` capacity steps change: each such day sums the demand of every running activity.
//! Quadratic per resource on purpose: the simple sum is easy to trust.

use super::problem::{Problem, Schedule};
use crate::graph::LinkType;
use std::fmt;

/// One way a schedule breaks its problem. Activities, modes and resources are indices
/// into the [`Problem`]; days count from day 0 like the schedule's starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// The schedule does not have one start and one mode per activity.
    Shape {
        /// Activities in the problem.
        activities: usize,
        /// Start days in the schedule.
        starts: usize,
        /// Modes in the schedule.
        modes: usize,
    },
    /// An activity is given a mode it does not have (or one with the wrong number of
    /// demands).
    UnknownMode {
        /// The activity.
        activity: usize,
        /// The mode index the schedule gives it.
        mode: usize,
    },
    /// An activity starts before its release day.
    BeforeRelease {
        /// The activity.
        activity: usize,
        /// Its start day in the schedule.
        start: u32,
        /// Its release day in the problem.
        release: u32,
    },
    /// A successor starts (or, for FF and SF links, finishes) earlier than its link to a
    /// predecessor allows.
    Precedence {
        /// The predecessor.
        pred: usize,
        /// The successor that starts too early.
        succ: usize,
        /// The link's type.
        kind: LinkType,
        /// The link's lag in days.
        lag: i32,
        /// The earliest start day the link allows (may be negative with negative lags).
        earliest: i64,
        /// The successor's start day in the schedule.
        start: u32,
    },
    /// Running activities demand more of a resource than it has on some day; reported
    /// once per overloaded stretch, on its first day.
    Overload {
        /// The overloaded resource.
        resource: usize,
        /// First day of the overloaded stretch.
        day: u32,
        /// Units the running activities demand on that day.
        demand: u64,
        /// Units the resource has on that day.
        capacity: u32,
    },
    /// A recorded driver is not true of the schedule (found by
    /// [`super::driver_check::check_drivers`], not by [`check`]).
    Driver(super::driver_check::DriverViolation),
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::Shape { activities, starts, modes } => write!(
                f,
                "schedule has {starts} starts and {modes} modes for {activities} activities"
            ),
            Violation::UnknownMode { activity, mode } => {
                write!(f, "activity {activity} uses mode {mode}, which it does not have")
            }
            Violation::BeforeRelease { activity, start, release } => {
                write!(f, "activity {activity} starts on day {start}, before its release day {release}")
            }
            Violation::Precedence {
                pred,
                succ,
                kind,
                lag,
                earliest,
                start,
            } => write!(
                f,
                "activity {succ} starts on day {start}, but its {} link to predecessor {pred} (lag {lag}) allows day {earliest} at the earliest",
                kind.name()
            ),
            Violation::Overload {
                resource,
                day,
                demand,
                capacity,
            } => write!(
                f,
                "resource {resource} is loaded with {demand} units on day {day}, capacity {capacity}"
            ),
            Violation::Driver(untrue) => write!(f, "{untrue}"),
        }
    }
}

/// Every way `schedule` breaks `problem`; empty means feasible.
///
/// # Example
///
/// ```
/// use plan::graph::LinkType;
/// use plan::schedule::{check, Activity, Problem, Resource, Schedule, Violation};
///
/// // Two 3-day jobs that each need the one unit of `r`; the second must follow the first.
/// let problem = Problem {
///     activities: vec![Activity::single(3, vec![1]), Activity::single(3, vec![1]).after(0, 0)],
///     resources: vec![Resource::constant("r", 1)],
///     horizon_hint: 0,
/// };
/// let in_turn = Schedule { starts: vec![0, 3], modes: vec![0, 0] };
/// assert!(check(&problem, &in_turn).is_empty());
///
/// let together = Schedule { starts: vec![0, 0], modes: vec![0, 0] };
/// assert_eq!(
///     check(&problem, &together),
///     [
///         Violation::Precedence { pred: 0, succ: 1, kind: LinkType::FS, lag: 0, earliest: 3, start: 0 },
///         Violation::Overload { resource: 0, day: 0, demand: 2, capacity: 1 },
///     ]
/// );
/// ```
pub fn check(problem: &Problem, schedule: &Schedule) -> Vec<Violation> {
    let n = problem.activities.len();
    if schedule.starts.len() != n || schedule.modes.len() != n {
        return vec![Violation::Shape {
            activities: n,
            starts: schedule.starts.len(),
            modes: schedule.modes.len(),
        }];
    }
    let mut violations = unknown_modes(problem, schedule);
    if !violations.is_empty() {
        return violations;
    }
    violations.extend(release_violations(problem, schedule));
    violations.extend(precedence_violations(problem, schedule));
    for resource in 0..problem.resources.len() {
        violations.extend(overloads(problem, schedule, resource));
    }
    violations
}

fn unknown_modes(problem: &Problem, schedule: &Schedule) -> Vec<Violation> {
    let has_mode = |j: usize, m: usize| {
        problem.activities[j]
            .modes
            .get(m)
            .is_some_and(|mode| mode.demand.len() == problem.resources.len())
    };
    (0..problem.activities.len())
        .filter(|&j| !has_mode(j, schedule.modes[j]))
        .map(|activity| Violation::UnknownMode {
            activity,
            mode: schedule.modes[activity],
        })
        .collect()
}

fn duration(problem: &Problem, schedule: &Schedule, j: usize) -> u32 {
    problem.activities[j].modes[schedule.modes[j]].duration
}

fn release_violations<'a>(
    problem: &'a Problem,
    schedule: &'a Schedule,
) -> impl Iterator<Item = Violation> + 'a {
    problem
        .activities
        .iter()
        .enumerate()
        .filter(|(j, a)| schedule.starts[*j] < a.release)
        .map(|(activity, a)| Violation::BeforeRelease {
            activity,
            start: schedule.starts[activity],
            release: a.release,
        })
}

fn precedence_violations(problem: &Problem, schedule: &Schedule) -> Vec<Violation> {
    let mut found = Vec::new();
    for (succ, activity) in problem.activities.iter().enumerate() {
        for p in &activity.preds {
            if p.pred >= problem.activities.len() {
                continue;
            }
            // Written out per type, not through the scheduler's helpers, so the check stays
            // independent of what it checks.
            let pred_start = i64::from(schedule.starts[p.pred]);
            let pred_finish = pred_start + i64::from(duration(problem, schedule, p.pred));
            let own = i64::from(duration(problem, schedule, succ));
            let lag = i64::from(p.lag);
            let earliest = match p.kind {
                LinkType::FS => pred_finish + lag,
                LinkType::SS => pred_start + lag,
                LinkType::FF => pred_finish + lag - own,
                LinkType::SF => pred_start + lag - own,
            };
            if i64::from(schedule.starts[succ]) < earliest {
                found.push(Violation::Precedence {
                    pred: p.pred,
                    succ,
                    kind: p.kind,
                    lag: p.lag,
                    earliest,
                    start: schedule.starts[succ],
                });
            }
        }
    }
    found
}

/// Each activity that uses `resource` as (start, finish, units), and the sorted days on which
/// its load or capacity can change.
fn running_and_change_days(
    problem: &Problem,
    schedule: &Schedule,
    resource: usize,
) -> (Vec<(u32, u32, u64)>, Vec<u32>) {
    let running: Vec<(u32, u32, u64)> = (0..problem.activities.len())
        .filter_map(|j| {
            let mode = &problem.activities[j].modes[schedule.modes[j]];
            let start = schedule.starts[j];
            let demand = u64::from(mode.demand[resource]);
            (mode.duration > 0 && demand > 0).then_some((start, start + mode.duration, demand))
        })
        .collect();
    let capacity = &problem.resources[resource].capacity;
    let mut days: Vec<u32> = running
        .iter()
        .flat_map(|&(s, f, _)| [s, f])
        .chain(capacity.steps().iter().map(|&(d, _)| d))
        .collect();
    days.sort_unstable();
    days.dedup();
    (running, days)
}

/// Sweeps the days where load or capacity can change; between two such
/// days both are constant, so checking the first day of each stretch
/// covers every day. Reports the first day of each overloaded stretch.
fn overloads(problem: &Problem, schedule: &Schedule, resource: usize) -> Vec<Violation> {
    let capacity = &problem.resources[resource].capacity;
    let (running, days) = running_and_change_days(problem, schedule, resource);
    // The load on a day is what started by then minus what finished by then: one sweep over
    // the starts and finishes in day order, not a pass over every activity per day.
    let mut starts: Vec<(u32, u64)> = running.iter().map(|&(s, _, q)| (s, q)).collect();
    let mut finishes: Vec<(u32, u64)> = running.iter().map(|&(_, f, q)| (f, q)).collect();
    starts.sort_unstable();
    finishes.sort_unstable();
    let (mut started, mut finished) = (starts.iter().peekable(), finishes.iter().peekable());
    let (mut demand_started, mut demand_finished) = (0u64, 0u64);
    days.into_iter()
        .filter_map(|day| {
            while let Some(&(_, q)) = started.next_if(|&&(s, _)| s <= day) {
                demand_started += q;
            }
            while let Some(&(_, q)) = finished.next_if(|&&(f, _)| f <= day) {
                demand_finished += q;
            }
            // Every activity finished by `day` started before it, so this never goes below 0.
            let demand = demand_started - demand_finished;
            let units = capacity.units_at(day);
            (demand > u64::from(units)).then_some(Violation::Overload {
                resource,
                day,
                demand,
                capacity: units,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::problem::{Activity, Capacity, Resource};
    use rand::{Rng, SeedableRng};

    /// The overloads by summing every running activity on each day that can change the load.
    fn overloads_by_scan(
        problem: &Problem,
        schedule: &Schedule,
        resource: usize,
    ) -> Vec<Violation> {
        let capacity = &problem.resources[resource].capacity;
        let (running, days) = running_and_change_days(problem, schedule, resource);
        days.into_iter()
            .filter_map(|day| {
                let demand: u64 = running
                    .iter()
                    .filter(|&&(s, f, _)| s <= day && day < f)
                    .map(|&(_, _, q)| q)
                    .sum();
                let units = capacity.units_at(day);
                (demand > u64::from(units)).then_some(Violation::Overload {
                    resource,
                    day,
                    demand,
                    capacity: units,
                })
            })
            .collect()
    }

    #[test]
    fn the_load_sweep_finds_the_overloads_of_a_day_by_day_sum() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        for _ in 0..200 {
            let n = rng.random_range(1..40);
            let problem = Problem {
                activities: (0..n)
                    .map(|_| Activity::single(rng.random_range(0..6), vec![rng.random_range(0..4)]))
                    .collect(),
                resources: vec![Resource {
                    name: "r".into(),
                    capacity: Capacity::from_steps(vec![(0, 4), (rng.random_range(1..20), 2)])
                        .unwrap(),
                }],
                horizon_hint: 0,
            };
            let schedule = Schedule {
                starts: (0..n).map(|_| rng.random_range(0..25)).collect(),
                modes: vec![0; n],
            };
            assert_eq!(
                overloads(&problem, &schedule, 0),
                overloads_by_scan(&problem, &schedule, 0)
            );
        }
    }

    fn problem() -> Problem {
        let mut b = Activity::single(2, vec![2]).after(0, 1);
        b.release = 1;
        Problem {
            activities: vec![Activity::single(3, vec![2]), b],
            resources: vec![Resource {
                name: "r".into(),
                capacity: Capacity::from_steps(vec![(0, 3), (10, 1)]).unwrap(),
            }],
            horizon_hint: 0,
        }
    }

    #[test]
    fn feasible_schedule_has_no_violations() {
        let s = Schedule {
            starts: vec![0, 4],
            modes: vec![0, 0],
        };
        assert_eq!(check(&problem(), &s), vec![]);
    }

    #[test]
    fn each_kind_of_violation_is_reported() {
        let p = problem();
        let lag_broken = Schedule {
            starts: vec![0, 3],
            modes: vec![0, 0],
        };
        assert!(matches!(
            check(&p, &lag_broken)[..],
            [Violation::Precedence { earliest: 4, .. }]
        ));
        let over_capacity_after_drop = Schedule {
            starts: vec![9, 13],
            modes: vec![0, 0],
        };
        let v = check(&p, &over_capacity_after_drop);
        assert!(v.iter().any(|v| matches!(
            v,
            Violation::Overload {
                day: 10,
                demand: 2,
                capacity: 1,
                ..
            }
        )));
        let bad_mode = Schedule {
            starts: vec![0, 4],
            modes: vec![0, 3],
        };
        assert!(matches!(
            check(&p, &bad_mode)[..],
            [Violation::UnknownMode {
                activity: 1,
                mode: 3
            }]
        ));
        let early = Schedule {
            starts: vec![0, 0],
            modes: vec![0, 0],
        };
        let v = check(&p, &early);
        assert!(v
            .iter()
            .any(|v| matches!(v, Violation::BeforeRelease { .. })));
        assert!(v.iter().any(|v| matches!(
            v,
            Violation::Overload {
                day: 0,
                demand: 4,
                ..
            }
        )));
        assert!(v[0].to_string().contains("activity"));
    }
}
