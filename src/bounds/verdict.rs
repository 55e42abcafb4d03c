//! Each milestone's verdict for one team, and what one more person of each role buys.
//!
//! A verdict joins two independent pieces of evidence: a checked schedule (it meets the date,
//! or the best one found misses it) and the capacity bound (no schedule can meet the date,
//! with a certificate, or the bound allows it). The library decides; the report puts the
//! verdicts and certificates into words.

use super::capacity::{Bucket, CapacityBound, SolverFailed};
use super::certificate::Certificate;
use crate::model::{Model, Scenario};
use crate::program::ProgramProblem;
use crate::schedule::Schedule;
use std::time::Instant;

/// A milestone's verdict.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The checked schedule reaches the milestone by its due date.
    Met,
    /// The best schedule found reaches it after its due date, and no bound was computed.
    Missed,
    /// Nothing to judge: the milestone has no due date.
    NoDueDate,
    /// The capacity bound proves that no schedule meets the due date; the certificate is
    /// absent only when none survived the arithmetic re-check.
    Infeasible(Option<Certificate>),
    /// The bound allows the date (from `bound_day` on) but the best schedule found misses it.
    Unknown {
        /// The earliest working day the bound allows.
        bound_day: u32,
    },
}

/// One milestone's verdict with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneVerdict {
    /// Working day the checked schedule reaches it.
    pub finish: u32,
    /// Its deadline in working days, if it has a due date.
    pub deadline: Option<u32>,
    /// The earliest working day the capacity bound allows: `None` when not asked (no due
    /// date, or no bound); `Some(None)` beyond the bound's horizon.
    pub bound_day: Option<Option<u32>>,
    /// The verdict.
    pub verdict: Verdict,
}

impl MilestoneVerdict {
    /// Working days to spare in the schedule (negative: late), with a due date.
    pub fn slack(&self) -> Option<i64> {
        self.deadline.map(|d| i64::from(d) - i64::from(self.finish))
    }

    /// Working days from the bound's day to the due date (negative: provably late).
    pub fn bound_slack(&self) -> Option<i64> {
        match (self.deadline, self.bound_day) {
            (Some(d), Some(Some(b))) => Some(i64::from(d) - i64::from(b)),
            _ => None,
        }
    }
}

/// How the capacity bound behind the verdicts went.
#[derive(Debug, Clone)]
pub enum BoundRun {
    /// Solved for every dated milestone.
    Solved {
        /// The relaxation (certificates are read against it).
        bound: Box<CapacityBound>,
        /// Its bucket width.
        bucket: Bucket,
        /// Seconds spent on the milestones' earliest days.
        seconds: f64,
    },
    /// The LP solver did not finish; verdicts come from the schedule alone.
    Unavailable(SolverFailed),
    /// The bound was not asked for, for the reason given (a model too large for it, or one
    /// it cannot yet count right); verdicts come from the schedule alone.
    NotAsked(String),
}

/// Verdicts of every milestone (model order) for one team's checked schedule.
#[derive(Debug, Clone)]
pub struct Feasibility {
    /// One verdict per milestone, in model order.
    pub milestones: Vec<MilestoneVerdict>,
    /// The capacity bound's run.
    pub bound: BoundRun,
}

/// Each dated milestone's earliest working day under the bound (those `ask` picks by finish
/// and deadline), each search starting at the schedule's finish (a day known to pass).
fn bound_days(
    bound: &CapacityBound,
    finishes: &[u32],
    ask: &dyn Fn(usize, u32, u32) -> bool,
) -> Result<Vec<Option<Option<u32>>>, SolverFailed> {
    (0..bound.milestone_nodes.len())
        .map(|m| match bound.deadlines[m] {
            Some(d) if ask(m, finishes[m], d) => bound.earliest(m, Some(finishes[m])).map(Some),
            _ => Ok(None),
        })
        .collect()
}

/// The verdicts of a checked schedule of `pp`, backed by the capacity bound where it solves.
/// The schedule must have passed [`crate::schedule::check`]: `met` rests on it.
pub fn verdicts(
    model: &Model,
    pp: &ProgramProblem,
    schedule: &Schedule,
    bucket: Bucket,
) -> Feasibility {
    verdicts_asking(model, pp, schedule, bucket, &|_, _, _| true)
}

/// As [`verdicts`], with the bound asked only about the milestones the schedule misses: a met
/// date needs no bound, and on a large program each milestone's bound is a few dozen LPs. The
/// met milestones' `bound_day` is then `None`.
pub fn verdicts_of_missed(
    model: &Model,
    pp: &ProgramProblem,
    schedule: &Schedule,
    bucket: Bucket,
) -> Feasibility {
    verdicts_asking(model, pp, schedule, bucket, &|_, finish, deadline| {
        finish > deadline
    })
}

/// As [`verdicts_of_missed`], with the bound asked about milestone `milestone` alone (when the
/// schedule misses it): what `plan explain` shows beside one milestone's chain. The other
/// milestones' verdicts then rest on the schedule only (`Missed` where it misses them).
pub fn verdicts_of_missed_milestone(
    model: &Model,
    pp: &ProgramProblem,
    schedule: &Schedule,
    bucket: Bucket,
    milestone: usize,
) -> Feasibility {
    verdicts_asking(model, pp, schedule, bucket, &|m, finish, deadline| {
        m == milestone && finish > deadline
    })
}

fn verdicts_asking(
    model: &Model,
    pp: &ProgramProblem,
    schedule: &Schedule,
    bucket: Bucket,
    ask: &dyn Fn(usize, u32, u32) -> bool,
) -> Feasibility {
    let finishes = pp.milestone_finishes(schedule);
    let bound = CapacityBound::new(model, pp, &pp.capacity, bucket);
    let started = Instant::now();
    let days = bound_days(&bound, &finishes, ask);
    let seconds = started.elapsed().as_secs_f64();
    let milestones = finishes
        .iter()
        .zip(&pp.deadlines)
        .enumerate()
        .map(|(m, (&finish, &deadline))| {
            let bound_day = days.as_ref().ok().and_then(|d| d[m]);
            MilestoneVerdict {
                finish,
                deadline,
                bound_day,
                verdict: judge(&bound, m, finish, deadline, bound_day),
            }
        })
        .collect();
    let bound = match days {
        Ok(_) => BoundRun::Solved {
            bound: Box::new(bound),
            bucket,
            seconds,
        },
        Err(why) => BoundRun::Unavailable(why),
    };
    Feasibility { milestones, bound }
}

/// One milestone's verdict: the schedule first (a checked schedule that meets the date settles
/// it), then the bound.
fn judge(
    bound: &CapacityBound,
    m: usize,
    finish: u32,
    deadline: Option<u32>,
    bound_day: Option<Option<u32>>,
) -> Verdict {
    let Some(deadline) = deadline else {
        return Verdict::NoDueDate;
    };
    if finish <= deadline {
        return Verdict::Met;
    }
    match bound_day {
        None => Verdict::Missed,
        Some(Some(day)) if day <= deadline => Verdict::Unknown { bound_day: day },
        Some(_) => Verdict::Infeasible(bound.certificate(m, deadline)),
    }
}

/// The verdicts of a checked schedule alone, the capacity bound not asked (`why` says why):
/// each dated milestone is met or missed, as the schedule shows. For programs where the bound
/// would take too long; no verdict is `infeasible` or `unknown`. Complexity: O(milestones).
///
/// # Example
///
/// One developer does A (3 days, from Monday 15 September): a milestone due that Monday is
/// missed, one due Friday is met, one without a date has nothing to judge.
///
/// ```
/// use plan::bounds::verdict::{verdicts_of_schedule, Verdict};
/// use plan::model::{parse_model, parse_scenario, EstimateChoice};
/// use plan::schedule::SearchConfig;
/// use std::path::Path;
///
/// let text = r#"
/// [project]
/// name = "Tiny"
/// start = 2025-09-15
/// [roles.dev]
/// [[task]]
/// id = "A"
/// duration = 3
/// demand = { dev = 1 }
/// [[milestone]]
/// id = "MONDAY"
/// after = ["A"]
/// due = 2025-09-15
/// [[milestone]]
/// id = "FRIDAY"
/// after = ["A"]
/// due = 2025-09-19
/// [[milestone]]
/// id = "SOMEDAY"
/// after = ["A"]
/// "#;
/// let model = parse_model(text, Path::new("tiny.toml")).unwrap();
/// let team = parse_scenario("[team]\ndev = 1\n", Path::new("team.toml"), &model).unwrap();
/// let pp = plan::program::build(&model, &team, EstimateChoice::Likely).unwrap();
/// let result = pp.search(&SearchConfig { schedules: 10, ..SearchConfig::default() }, &[]).unwrap();
///
/// let feasibility = verdicts_of_schedule(&pp, &result.schedule, "not asked");
/// let verdicts: Vec<&Verdict> = feasibility.milestones.iter().map(|m| &m.verdict).collect();
/// assert_eq!(verdicts, [&Verdict::Missed, &Verdict::Met, &Verdict::NoDueDate]);
/// ```
pub fn verdicts_of_schedule(pp: &ProgramProblem, schedule: &Schedule, why: &str) -> Feasibility {
    let milestones = pp
        .milestone_finishes(schedule)
        .into_iter()
        .zip(&pp.deadlines)
        .map(|(finish, &deadline)| MilestoneVerdict {
            finish,
            deadline,
            bound_day: None,
            verdict: match deadline {
                None => Verdict::NoDueDate,
                Some(d) if finish <= d => Verdict::Met,
                Some(_) => Verdict::Missed,
            },
        })
        .collect();
    Feasibility {
        milestones,
        bound: BoundRun::NotAsked(why.to_string()),
    }
}

/// Working days one milestone moves with one more person of a role.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneGain {
    /// Working days earlier the bound's day becomes (`None` when either bound is unavailable,
    /// the milestone has no due date, or a day is beyond the horizon).
    pub bound_days: Option<i64>,
    /// Working days earlier the best schedule found reaches it.
    pub schedule_days: i64,
}

/// What one more person of a role from the start buys.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginalGain {
    /// Role index.
    pub role: usize,
    /// One entry per milestone, in model order.
    pub milestones: Vec<MilestoneGain>,
}

/// For each role, one more person from the start: how far each milestone moves in the best
/// schedule found and under the bound. `solve` gives the checked schedule of a team (the
/// caller owns the search budget and threads); the bound is only recomputed when `base` has
/// one. Complexity: one solve and one bound per role.
pub fn marginal<E>(
    model: &Model,
    scenario: &Scenario,
    base: &Feasibility,
    mut solve: impl FnMut(&Scenario) -> Result<(ProgramProblem, Schedule), E>,
) -> Result<Vec<MarginalGain>, E> {
    let base_bucket = match &base.bound {
        BoundRun::Solved { bucket, .. } => Some(*bucket),
        BoundRun::Unavailable(_) | BoundRun::NotAsked(_) => None,
    };
    let mut out = Vec::with_capacity(model.roles.len());
    for role in 0..model.roles.len() {
        let mut team = scenario.team.clone();
        team[role] += 1;
        let sc = super::staff::with_team(scenario, &team);
        let (pp, schedule) = solve(&sc)?;
        let finishes = pp.milestone_finishes(&schedule);
        let new_days = base_bucket.and_then(|bucket| {
            let b = CapacityBound::new(model, &pp, &pp.capacity, bucket);
            bound_days(&b, &finishes, &|_, _, _| true).ok()
        });
        let milestones = base
            .milestones
            .iter()
            .zip(&finishes)
            .enumerate()
            .map(|(m, (old, &new_finish))| MilestoneGain {
                bound_days: match (old.bound_day, new_days.as_ref().map(|d| d[m])) {
                    (Some(Some(o)), Some(Some(Some(n)))) => Some(i64::from(o) - i64::from(n)),
                    _ => None,
                },
                schedule_days: i64::from(old.finish) - i64::from(new_finish),
            })
            .collect();
        out.push(MarginalGain { role, milestones });
    }
    Ok(out)
}
