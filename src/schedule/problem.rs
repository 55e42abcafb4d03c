//! The resource-constrained scheduling problem: activities with modes and
//! lagged precedences, renewable resources with time-varying capacity, and
//! the schedule type every other module produces or checks.
//!
//! Time is counted in whole days from day 0 (for a plan model: working days from the
//! project start); resource amounts are integer units (for a plan model, 1/100 of a person,
//! see [`crate::resources::UNITS_PER_PERSON`]).

use crate::graph::LinkType;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One way of performing an activity: how long it takes and how many units
/// of each resource it occupies on every day it runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mode {
    /// Days; zero makes the activity a milestone.
    pub duration: u32,
    /// Units per resource, indexed like [`Problem::resources`].
    pub demand: Vec<u32>,
}

/// A link from a predecessor to the activity that holds it, in whole days. By its type:
/// FS `succ.start >= pred.finish + lag`, SS `succ.start >= pred.start + lag`,
/// FF `succ.finish >= pred.finish + lag`, SF `succ.finish >= pred.start + lag`, where a
/// finish is the start plus the duration of the mode the schedule picks. Every start is
/// also at day 0 or later, however long a lead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Precedence {
    /// Index of the predecessor in [`Problem::activities`].
    pub pred: usize,
    /// Days from the predecessor's end to the successor's end that the type names;
    /// negative lets the successor overlap the predecessor (a lead).
    pub lag: i32,
    /// Which ends the link ties; finish-to-start when absent from a serialized problem.
    #[serde(default)]
    pub kind: LinkType,
}

impl Precedence {
    /// A finish-to-start link with `lag`.
    pub fn finish_to_start(pred: usize, lag: i32) -> Self {
        Precedence {
            pred,
            lag,
            kind: LinkType::FS,
        }
    }

    /// The successor's earliest start by this link alone (before the clamp at day 0),
    /// from the predecessor's start and duration and the successor's own duration.
    #[inline]
    pub fn earliest_start(&self, pred_start: i64, pred_duration: u32, duration: u32) -> i64 {
        let anchor = if self.kind.from_start() {
            pred_start
        } else {
            pred_start + i64::from(pred_duration)
        };
        let end = if self.kind.to_finish() {
            i64::from(duration)
        } else {
            0
        };
        anchor + i64::from(self.lag) - end
    }

    /// A finish-to-start lag that every mode choice respects: the successor starts at least
    /// this long after the predecessor would finish in its `shortest` mode, whatever the
    /// successor's mode (at most `longest` days). The same lag for FS links; lower bounds
    /// that only know finish-to-start links use it.
    pub fn relaxed_lag(&self, shortest: u32, longest: u32) -> i64 {
        let from = if self.kind.from_start() {
            i64::from(shortest)
        } else {
            0
        };
        let to = if self.kind.to_finish() {
            i64::from(longest)
        } else {
            0
        };
        i64::from(self.lag) - from - to
    }
}

/// A piece of work to schedule: the modes it may run in (the schedule picks one), the
/// activities that must finish first, and the day before which it may not start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Alternative ways to run it; at least one (checked by [`Problem::validate`]).
    pub modes: Vec<Mode>,
    /// Links into this activity, one per predecessor link.
    pub preds: Vec<Precedence>,
    /// Earliest day the activity may start.
    #[serde(default)]
    pub release: u32,
}

impl Activity {
    /// A single-mode activity without predecessors.
    pub fn single(duration: u32, demand: Vec<u32>) -> Self {
        Activity {
            modes: vec![Mode { duration, demand }],
            preds: Vec::new(),
            release: 0,
        }
    }

    /// Adds a finish-to-start predecessor with the given lag (builder style).
    pub fn after(mut self, pred: usize, lag: i32) -> Self {
        self.preds.push(Precedence::finish_to_start(pred, lag));
        self
    }

    /// Adds a predecessor linked by `kind` with the given lag (builder style).
    pub fn linked(mut self, pred: usize, kind: LinkType, lag: i32) -> Self {
        self.preds.push(Precedence { pred, lag, kind });
        self
    }
}

/// Piecewise-constant units per day: `steps[k] = (day, units)` holds from
/// `day` until the next step's day; the last step holds forever.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<(u32, u32)>", into = "Vec<(u32, u32)>")]
pub struct Capacity {
    steps: Vec<(u32, u32)>,
}

impl TryFrom<Vec<(u32, u32)>> for Capacity {
    type Error = ProblemError;

    fn try_from(steps: Vec<(u32, u32)>) -> Result<Self, Self::Error> {
        Capacity::from_steps(steps)
    }
}

impl From<Capacity> for Vec<(u32, u32)> {
    fn from(capacity: Capacity) -> Self {
        capacity.steps
    }
}

impl Capacity {
    /// The same `units` on every day from day 0.
    pub fn constant(units: u32) -> Self {
        Capacity {
            steps: vec![(0, units)],
        }
    }

    /// Steps must start at day 0 and have strictly increasing days.
    pub fn from_steps(steps: Vec<(u32, u32)>) -> Result<Self, ProblemError> {
        if steps.first().map(|s| s.0) != Some(0) {
            return Err(ProblemError::CapacityStart);
        }
        if steps.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(ProblemError::CapacityOrder);
        }
        Ok(Capacity { steps })
    }

    /// The `(day, units)` steps, first at day 0, days strictly increasing.
    pub fn steps(&self) -> &[(u32, u32)] {
        &self.steps
    }

    /// Units available on `day`: the value of the last step at or before it.
    /// `O(log steps)`.
    pub fn units_at(&self, day: u32) -> u32 {
        let after = self.steps.partition_point(|&(d, _)| d <= day);
        after
            .checked_sub(1)
            .and_then(|k| self.steps.get(k))
            .map_or(0, |s| s.1)
    }

    /// Units from the last step on, i.e. what is available eventually.
    pub fn final_units(&self) -> u32 {
        self.steps.last().map_or(0, |s| s.1)
    }

    /// Day from which capacity no longer changes.
    pub fn last_change(&self) -> u32 {
        self.steps.last().map_or(0, |s| s.0)
    }

    /// Whether the profile has a single step, so every day has the same units.
    pub fn is_constant(&self) -> bool {
        self.steps.len() == 1
    }
}

/// A renewable resource (for a plan model, one role): units freed when an activity ends
/// can be used again the next day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// Label for messages and reports; the scheduler uses indices.
    pub name: String,
    /// Units available on each day.
    pub capacity: Capacity,
}

impl Resource {
    /// A resource named `name` with the same `units` on every day.
    pub fn constant(name: impl Into<String>, units: u32) -> Self {
        Resource {
            name: name.into(),
            capacity: Capacity::constant(units),
        }
    }
}

/// A resource-constrained project scheduling problem (RCPSP, multi-mode, with lags,
/// release days and time-varying capacity): what [`crate::schedule::search()`] solves and
/// [`crate::schedule::check`] verifies against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The activities; their indices are the ids every other type uses.
    pub activities: Vec<Activity>,
    /// The renewable resources, indexed like every [`Mode::demand`].
    pub resources: Vec<Resource>,
    /// Expected schedule length in days; only sizes buffers, never binds.
    #[serde(default)]
    pub horizon_hint: u32,
}

/// Start day and chosen mode of every activity, indexed like the problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Start day of each activity.
    pub starts: Vec<u32>,
    /// Index into [`Activity::modes`] of the mode each activity runs in.
    pub modes: Vec<usize>,
}

impl Schedule {
    /// Day after the last day `activity` runs (its start plus its mode's duration), or
    /// `None` when the activity or its mode does not exist.
    pub fn finish(&self, problem: &Problem, activity: usize) -> Option<u32> {
        let mode = problem
            .activities
            .get(activity)?
            .modes
            .get(*self.modes.get(activity)?)?;
        Some(self.starts.get(activity)? + mode.duration)
    }

    /// Latest finish over all activities (0 for an empty problem); activities
    /// with an invalid mode are ignored, the checker reports them.
    pub fn makespan(&self, problem: &Problem) -> u32 {
        (0..self.starts.len())
            .filter_map(|j| self.finish(problem, j))
            .max()
            .unwrap_or(0)
    }
}

/// Why a [`Problem`] or [`Capacity`] cannot be scheduled; activities and modes are indices.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ProblemError {
    /// The first capacity step is not at day 0, so early days would have no capacity.
    #[error("capacity profile must start with a step at day 0")]
    CapacityStart,
    /// Two capacity steps share a day or go back in time.
    #[error("capacity steps must have strictly increasing days")]
    CapacityOrder,
    /// An activity offers no way to run it.
    #[error("activity {activity} has no modes")]
    NoModes {
        /// The activity without modes.
        activity: usize,
    },
    /// A mode's demand vector does not have one entry per resource.
    #[error("activity {activity} mode {mode} has {found} demands, expected one per resource ({expected})")]
    DemandLength {
        /// The activity whose mode is malformed.
        activity: usize,
        /// The malformed mode.
        mode: usize,
        /// Number of resources in the problem.
        expected: usize,
        /// Number of demands the mode lists.
        found: usize,
    },
    /// A precedence points past the end of the activity list.
    #[error("activity {activity} names predecessor {pred}, which does not exist")]
    UnknownPredecessor {
        /// The activity with the bad link.
        activity: usize,
        /// The index it names.
        pred: usize,
    },
    /// The precedences are not acyclic, so no activity list exists.
    #[error("precedences form a cycle through activity {activity}")]
    Cycle {
        /// An activity on (or waiting behind) the cycle.
        activity: usize,
    },
    /// Every mode of an activity needs more than some resource will ever have, so it
    /// could never be placed.
    #[error("activity {activity} has no mode whose demand fits the resources' eventual capacity")]
    NeverFits {
        /// The activity that never fits.
        activity: usize,
    },
    /// The problem could run past [`MAX_SPAN_DAYS`], where day arithmetic would overflow.
    #[error("durations, lags, releases and capacity steps span more than {limit} days")]
    TooLong {
        /// The limit in days ([`MAX_SPAN_DAYS`]).
        limit: u64,
    },
}

/// Bound on the days a problem can span, so day arithmetic never overflows.
pub const MAX_SPAN_DAYS: u64 = 100_000_000;

impl Problem {
    /// Checks everything the scheduler relies on; every search entry point
    /// calls this so bad models fail with a reason instead of looping.
    pub fn validate(&self) -> Result<(), ProblemError> {
        for (j, activity) in self.activities.iter().enumerate() {
            self.validate_modes(j, activity)?;
            if let Some(p) = activity
                .preds
                .iter()
                .find(|p| p.pred >= self.activities.len())
            {
                return Err(ProblemError::UnknownPredecessor {
                    activity: j,
                    pred: p.pred,
                });
            }
        }
        self.validate_span()?;
        self.topological_order().map(|_| ())
    }

    /// Any schedule generation finishes within the sum of the longest
    /// modes and positive lags after the last release and capacity change.
    fn validate_span(&self) -> Result<(), ProblemError> {
        let work: u64 = self
            .activities
            .iter()
            .map(|a| {
                let longest = a
                    .modes
                    .iter()
                    .map(|m| u64::from(m.duration))
                    .max()
                    .unwrap_or(0);
                let lag = a
                    .preds
                    .iter()
                    .map(|p| p.lag.max(0) as u64)
                    .max()
                    .unwrap_or(0);
                longest + lag
            })
            .sum();
        let release = self
            .activities
            .iter()
            .map(|a| u64::from(a.release))
            .max()
            .unwrap_or(0);
        let steps = self
            .resources
            .iter()
            .map(|r| u64::from(r.capacity.last_change()))
            .max()
            .unwrap_or(0);
        let worst_negative_lag = self
            .activities
            .iter()
            .flat_map(|a| a.preds.iter().map(|p| u64::from(p.lag.unsigned_abs())))
            .max()
            .unwrap_or(0);
        if work + release + steps > MAX_SPAN_DAYS || worst_negative_lag > MAX_SPAN_DAYS {
            return Err(ProblemError::TooLong {
                limit: MAX_SPAN_DAYS,
            });
        }
        Ok(())
    }

    fn validate_modes(&self, j: usize, activity: &Activity) -> Result<(), ProblemError> {
        if activity.modes.is_empty() {
            return Err(ProblemError::NoModes { activity: j });
        }
        for (m, mode) in activity.modes.iter().enumerate() {
            if mode.demand.len() != self.resources.len() {
                return Err(ProblemError::DemandLength {
                    activity: j,
                    mode: m,
                    expected: self.resources.len(),
                    found: mode.demand.len(),
                });
            }
        }
        if !activity.modes.iter().any(|m| self.mode_fits_eventually(m)) {
            return Err(ProblemError::NeverFits { activity: j });
        }
        Ok(())
    }

    /// Modes that fit the capacity left after the last step can always be
    /// placed; the search only uses those so schedule generation terminates.
    pub fn mode_fits_eventually(&self, mode: &Mode) -> bool {
        mode.duration == 0
            || mode
                .demand
                .iter()
                .zip(&self.resources)
                .all(|(&q, r)| q <= r.capacity.final_units())
    }

    /// Each activity's modes that [fit eventually](Self::mode_fits_eventually), by index: the
    /// modes a search may choose.
    pub fn usable_modes(&self) -> Vec<Vec<usize>> {
        self.activities
            .iter()
            .map(|a| {
                (0..a.modes.len())
                    .filter(|&m| self.mode_fits_eventually(&a.modes[m]))
                    .collect()
            })
            .collect()
    }

    /// Kahn's algorithm; lowest index first among ready activities.
    ///
    /// # Complexity
    ///
    /// `O((n + E) log n)` for `n` activities and `E` precedences (the ready set is a
    /// binary heap); a cycle is detected at the end as activities never released.
    pub fn topological_order(&self) -> Result<Vec<usize>, ProblemError> {
        let n = self.activities.len();
        let succs = self.successors();
        let mut missing: Vec<usize> = self.activities.iter().map(|a| a.preds.len()).collect();
        let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> = (0..n)
            .filter(|&j| missing[j] == 0)
            .map(std::cmp::Reverse)
            .collect();
        let mut order = Vec::with_capacity(n);
        while let Some(std::cmp::Reverse(j)) = ready.pop() {
            order.push(j);
            for &(s, _) in &succs[j] {
                missing[s] -= 1;
                if missing[s] == 0 {
                    ready.push(std::cmp::Reverse(s));
                }
            }
        }
        match (0..n).find(|&j| missing[j] > 0) {
            Some(activity) => Err(ProblemError::Cycle { activity }),
            None => Ok(order),
        }
    }

    /// Successor lists `(succ, lag)`; preds naming unknown activities are skipped.
    pub fn successors(&self) -> Vec<Vec<(usize, i32)>> {
        let mut succs = vec![Vec::new(); self.activities.len()];
        for (j, activity) in self.activities.iter().enumerate() {
            for p in &activity.preds {
                if let Some(list) = succs.get_mut(p.pred) {
                    list.push((j, p.lag));
                }
            }
        }
        succs
    }

    /// Critical-path lower bound on the makespan: shortest mode of every
    /// activity, precedences, lags and releases, no resources.
    pub fn cpm_lower_bound(&self) -> Result<u32, ProblemError> {
        let starts = self.earliest_starts()?;
        Ok(self
            .activities
            .iter()
            .zip(&starts)
            .map(|(a, &s)| s + shortest_duration(a))
            .max()
            .unwrap_or(0))
    }

    /// Earliest start of every activity ignoring resources (shortest modes; a link that
    /// ends at the successor's finish counts its longest mode, so the start is a lower
    /// bound whatever modes a schedule picks).
    pub fn earliest_starts(&self) -> Result<Vec<u32>, ProblemError> {
        let order = self.topological_order()?;
        let mut es = vec![0u32; self.activities.len()];
        for &j in &order {
            let activity = &self.activities[j];
            let longest = longest_duration(activity);
            let from_preds = activity.preds.iter().map(|p| {
                let shortest = shortest_duration(&self.activities[p.pred]);
                let pred_finish = es[p.pred] as i64 + shortest as i64;
                (pred_finish + p.relaxed_lag(shortest, longest)).max(0) as u32
            });
            es[j] = from_preds.fold(activity.release, u32::max);
        }
        Ok(es)
    }
}

pub(crate) fn shortest_duration(activity: &Activity) -> u32 {
    activity.modes.iter().map(|m| m.duration).min().unwrap_or(0)
}

pub(crate) fn longest_duration(activity: &Activity) -> u32 {
    activity.modes.iter().map(|m| m.duration).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_steps_hold_until_next_step() {
        let cap = Capacity::from_steps(vec![(0, 100), (10, 150), (20, 50)]).unwrap();
        assert_eq!(cap.units_at(0), 100);
        assert_eq!(cap.units_at(9), 100);
        assert_eq!(cap.units_at(10), 150);
        assert_eq!(cap.units_at(25), 50);
        assert_eq!(cap.final_units(), 50);
    }

    #[test]
    fn capacity_rejects_bad_steps() {
        assert_eq!(
            Capacity::from_steps(vec![(1, 3)]),
            Err(ProblemError::CapacityStart)
        );
        assert_eq!(
            Capacity::from_steps(vec![(0, 3), (5, 1), (5, 2)]),
            Err(ProblemError::CapacityOrder)
        );
    }

    #[test]
    fn capacity_deserialisation_validates_steps() {
        let ok: Capacity = serde_json::from_str("[[0, 3], [5, 1]]").unwrap();
        assert_eq!(ok.units_at(7), 1);
        assert!(serde_json::from_str::<Capacity>("[]").is_err());
        assert!(serde_json::from_str::<Capacity>("[[2, 3]]").is_err());
    }

    #[test]
    fn absurd_durations_are_rejected() {
        let problem = Problem {
            activities: vec![
                Activity::single(u32::MAX, vec![]),
                Activity::single(u32::MAX, vec![]),
            ],
            resources: vec![],
            horizon_hint: 0,
        };
        assert!(matches!(
            problem.validate(),
            Err(ProblemError::TooLong { .. })
        ));
    }

    #[test]
    fn cycle_is_reported() {
        let problem = Problem {
            activities: vec![
                Activity::single(1, vec![]).after(1, 0),
                Activity::single(1, vec![]).after(0, 0),
            ],
            resources: vec![],
            horizon_hint: 0,
        };
        assert!(matches!(
            problem.validate(),
            Err(ProblemError::Cycle { .. })
        ));
    }

    #[test]
    fn cpm_bound_uses_lags_and_releases() {
        let mut b = Activity::single(3, vec![]).after(0, 2);
        b.release = 1;
        let problem = Problem {
            activities: vec![Activity::single(4, vec![]), b],
            resources: vec![],
            horizon_hint: 0,
        };
        assert_eq!(problem.cpm_lower_bound(), Ok(9));
    }
}
