//! The cheapest team that meets every due date.
//!
//! Step 1, a lower bound: on the capacity relaxation with every milestone's deadline, each
//! role's headcount becomes an integer variable and the capacity of a bucket becomes
//! `headcount × working days + hires`. Roles share nothing in the relaxation, so the
//! minimum-cost team is the minimum headcount of each role on its own, whatever the costs;
//! one small MILP per role (one integer variable) finds it. The energy-window check
//! ([`super::certificate`]) then raises a headcount while it still proves a date impossible
//! (weekly buckets are coarser than its working days). No smaller team can meet the dates.
//!
//! Step 2, a team that works: schedule with that team; while a milestone is missed, add one
//! person of the role the schedule is busiest in before that milestone's due date, until every
//! date is met or the role is at its `--max` cap. Dates no team meets are left out of the
//! search's objective, so they do not steer it.
//!
//! With hires ([`super::hires`]), the same is done from the cheapest plan of start team and
//! monthly hires; the cheaper of the two checked plans wins. With a confidence, the plan is
//! then simulated and people added until every reachable milestone is met with that
//! probability ([`crate::simulate`]).

use super::capacity::{Bucket, CapacityBound, SolverFailed, Windows};
use super::certificate::{self, Certificate};
use super::hires::{self, HireMonths, Plan};
use super::shave;
use super::solver::{self, LpOutcome};
use super::team::{self, Headcount, Refutation};
use crate::error::Diagnostics;
use crate::graph::NodeKind;
use crate::model::scenario::SimulationSettings;
use crate::model::{EstimateChoice, Model, Scenario};
use crate::program::{self, ProgramProblem};
use crate::resources::{capacity_steps, peak_units, UNITS_PER_PERSON};
use crate::schedule::{Schedule, SearchConfig, SearchFailure, SearchResult, Solution};
use crate::simulate::{self, SimConfig, SimError};
use jiff::civil::Date;
use std::sync::atomic::{AtomicBool, Ordering};

/// A headcount far above any real team, used to read every task's modes without filtering.
const UNLIMITED: u32 = 10_000;

/// Most people the greedy step adds before it gives up.
const MAX_ADDED: u32 = 60;

/// Most people the energy check adds to one role's LP headcount (it adds one at a time).
const MAX_ENERGY_STEPS: u32 = 200;

/// Most whole teams the headcount proof checks (each check: the team's relaxation with
/// tightened windows, a few milliseconds on FANZ).
const MAX_TEAMS_CHECKED: usize = 3_000;

/// Most people above the per-role minimums the headcount proof looks at.
const MAX_PROOF_EXTRA: u32 = 40;

/// A milestone (model index) that no team meets by its due date, and the earliest working
/// day any team could reach it.
pub type Unreachable = (usize, u32);

/// A milestone (model index, `None` when no single one is to blame) and why it is not met.
pub type BlockedMilestone = (Option<usize>, BlockReason);

/// Why the staffing plan does not meet a milestone. The report puts it in words.
#[derive(Debug, Clone)]
pub enum BlockReason {
    /// No team of any size meets it: its chain of dependent tasks is longer than the time to
    /// its due date.
    ChainTooLong,
    /// The capacity bound needs more people of a role for this date than its `--max` cap.
    AboveCap {
        /// Role index.
        role: usize,
        /// People the bound needs at least.
        needed: u32,
        /// The cap.
        cap: u32,
        /// The energy certificate that the role at its cap cannot meet the date, when one
        /// exists (re-checked by plain arithmetic).
        proof: Option<Box<CappedProof>>,
    },
    /// On a model with role or task calendars (where the capacity bound is not asked): the
    /// best schedule found with no limit on people misses it. Not a proof: no bound says so.
    MissedWithoutLimit,
    /// The best schedule found misses it and its busiest role before the date cannot grow
    /// (at its cap, or the greedy step's limit reached).
    BusiestRoleAtLimit {
        /// Role index.
        role: usize,
        /// People of the role in the plan.
        people: u32,
    },
    /// Even precedence-only simulation (no limit on people) meets it with a probability
    /// below the confidence asked for.
    UnlikelyWithAnyTeam {
        /// Chance in the simulation.
        probability: f64,
        /// Confidence asked for.
        target: f64,
    },
    /// Simulation meets it with a probability below the confidence asked for, and every role
    /// that is busy before it is at its cap.
    UnlikelyAtCaps {
        /// Chance in the simulation.
        probability: f64,
        /// Confidence asked for.
        target: f64,
    },
}

/// A certificate against the relaxation with one role held at its cap.
#[derive(Debug, Clone)]
pub struct CappedProof {
    /// The relaxation with the role's capacity at the cap.
    pub bound: CapacityBound,
    /// The proof.
    pub certificate: Certificate,
}

/// What went wrong while staffing.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// The LP solver did not finish; its own words.
    #[error("the LP solver did not finish ({0})")]
    Solver(String),
    /// The model and scenario cannot be scheduled (for example a task no team could staff).
    #[error("{0}")]
    Model(Diagnostics),
    /// The schedule search rejected the problem or returned a schedule the checker refuses.
    #[error("{0}")]
    Search(SearchFailure),
    /// The simulation behind a confidence failed.
    #[error("the simulation failed: {0}")]
    Simulation(SimError),
    /// An option the staffing of a model with role or task calendars does not take yet.
    #[error("{0} on a model whose roles or tasks name calendars: not supported yet (the hiring plan rests on the capacity bound, which does not count those calendars)")]
    NotOnCalendars(&'static str),
    /// The search settings' cancel flag was set (Ctrl-C): the staffing stopped.
    #[error("the staffing was cancelled")]
    Cancelled,
}

impl From<SearchFailure> for StaffError {
    fn from(e: SearchFailure) -> Self {
        StaffError::Search(e)
    }
}

impl From<SolverFailed> for StaffError {
    fn from(e: SolverFailed) -> Self {
        StaffError::Solver(e.0)
    }
}

impl From<SimError> for StaffError {
    fn from(e: SimError) -> Self {
        match e {
            SimError::Search(failure) => StaffError::Search(failure),
            SimError::Cancelled => StaffError::Cancelled,
            other => StaffError::Simulation(other),
        }
    }
}

/// What to look for besides the headcount.
#[derive(Debug, Clone, Default)]
pub struct StaffOptions {
    /// Most people of each role (`--max`), indexed like the model's roles.
    pub caps: Vec<Option<u32>>,
    /// Also consider people joining at the start of a later month (`--hires`).
    pub hires: bool,
    /// Ask each milestone to be met with a probability in simulation (`--confidence`).
    pub confidence: Option<Confidence>,
}

/// `--confidence P` with its simulation budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confidence {
    /// Chance each reachable milestone must be met with, in (0, 1).
    pub probability: f64,
    /// Simulation iterations per check.
    pub iterations: u64,
}

/// People of a role who join on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedHire {
    /// Role index.
    pub role: usize,
    /// How many.
    pub count: u32,
    /// First day of the month they join.
    pub start: Date,
    /// Its working-day index.
    pub day: u32,
}

/// The outcome of staffing.
#[derive(Debug, Clone)]
pub struct Staffing {
    /// Headcount per role from the start.
    pub team: Vec<u32>,
    /// People who join later (only with hires).
    pub hires: Vec<PlannedHire>,
    /// The relaxation's minimum headcount per role: no team with fewer of any role meets all
    /// the dates.
    pub lower_bound: Vec<u32>,
    /// Person-days of the plan to the last due date (each person from the day they join).
    pub person_days: f64,
    /// Without costs: the relaxation's least person-days for plans of the kind searched
    /// (headcounts from the start; with hires, monthly hires too).
    pub lower_bound_person_days: Option<f64>,
    /// The plan's cost to the last due date, when every role has a cost per person-day.
    pub cost: Option<f64>,
    /// The relaxation's least cost for plans of the kind searched, with costs.
    pub lower_bound_cost: Option<f64>,
    /// The checked schedule of the plan.
    pub schedule: Schedule,
    /// The scheduling problem of the plan (to read the schedule).
    pub problem: ProgramProblem,
    /// Milestones (model index) that no team within the caps meets, with the reason.
    pub blocked: Vec<BlockedMilestone>,
    /// Schedules generated over all rounds.
    pub schedules: u64,
    /// With a confidence: each milestone's chance of being on time in the last simulation.
    pub on_time: Option<Vec<Option<f64>>>,
    /// The least headcount from the start any team needs for the dates chased, with its proof
    /// (whole teams checked against the relaxation with tightened windows).
    pub headcount: Headcount,
    /// Milestones no team meets (model index) and the earliest working day any team could
    /// reach each (dependencies only, every task at its fastest crew): how close the plan's
    /// schedule gets is measured from it.
    pub dependency_only: Vec<Unreachable>,
    /// When milestones are out of reach: a larger team from the start that brings the latest
    /// of them closer to its target (within [`LATE_TOLERANCE`] working days if one of the
    /// sizes tried does), still meeting every reachable date.
    pub late_team: Option<LateTeam>,
    /// Per role, when one exists: an energy certificate that one person fewer than the
    /// role's minimum cannot meet one of the dates chased (checked by plain arithmetic).
    pub role_proofs: Vec<Option<CappedProof>>,
    /// Each role's removal from the team found (one person fewer), most expensive role
    /// first, and why it was not taken; empty when a reachable date is missed.
    pub removals: Vec<Removal>,
    /// Why the capacity bound and every proof from it were not asked (a model with role or
    /// task calendars): then `lower_bound` is empty, `headcount` proves nothing and no
    /// certificate is given; `None` when they were.
    pub bound_not_asked: Option<String>,
}

/// Working days after its dependency-only date that a milestone no team meets may come out
/// for the late-date search to call it close enough.
pub const LATE_TOLERANCE: u32 = 2;

/// A team that brings the milestones out of reach closer, with its checked schedule.
#[derive(Debug, Clone)]
pub struct LateTeam {
    /// Headcount per role from the start.
    pub team: Vec<u32>,
    /// Its checked schedule.
    pub schedule: Schedule,
    /// The scheduling problem of the team.
    pub problem: ProgramProblem,
    /// The most working days a milestone out of reach finishes after its target.
    pub late: u32,
    /// Schedules generated looking for it.
    pub schedules: u64,
}

/// The scenario with its base team replaced by `team`.
pub fn with_team(scenario: &Scenario, team: &[u32]) -> Scenario {
    let mut s = scenario.clone();
    s.team = team.to_vec();
    s
}

/// The relaxation with capacity from hires only (base team zero), for headcount LPs.
fn hires_only_bound(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
    bucket: Bucket,
) -> Result<(CapacityBound, Vec<u32>, ProgramProblem), StaffError> {
    let big = with_team(scenario, &vec![UNLIMITED; model.roles.len()]);
    let pp = program::build(model, &big, choice).map_err(StaffError::Model)?;
    let extra = capacity_steps(model, &with_team(scenario, &vec![0; model.roles.len()]));
    let peaks = extra.iter().map(peak_units).collect();
    Ok((CapacityBound::new(model, &pp, &extra, bucket), peaks, pp))
}

/// Fewest people of role `r` that any task needs at once, less what hires supply at their peak.
fn crew_floor(pp_min_crew: &[u32], peak_hired: u32) -> u32 {
    pp_min_crew
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .saturating_sub(peak_hired)
        .div_ceil(UNITS_PER_PERSON)
}

/// Role `r`'s capacity per working day with `n` people on top of the scenario's hires (on
/// calendars, only on the days the role can work).
fn capacity_with(bound: &CapacityBound, r: usize, n: u32) -> Vec<f64> {
    (0u32..)
        .zip(&bound.capacity[r])
        .map(|(d, &x)| x + f64::from(n) * f64::from(u8::from(bound.role_works(r, d))))
        .collect()
}

/// Raises `n` while an energy window still proves role `r` short under windows `w`: the
/// check works on single working days, the LP on (coarser) buckets.
fn energy_headcount(bound: &CapacityBound, w: &Windows, r: usize, mut n: u32) -> u32 {
    for _ in 0..MAX_ENERGY_STEPS {
        let cap = capacity_with(bound, r, n);
        if certificate::find_for_role(bound, w, r, &cap).is_none() {
            break;
        }
        n += 1;
    }
    n
}

/// Minimum headcount per role so that the relaxation meets `deadlines` (node, working day);
/// `Ok(None)` for a role when no headcount does (a chain of tasks is too long).
fn minimum_team(
    bound: &CapacityBound,
    deadlines: &[(usize, u32)],
    floors: &[u32],
) -> Result<Option<Vec<u32>>, StaffError> {
    let w = bound.windows(deadlines);
    if bound.precedence_conflict(&w).is_some() {
        return Ok(None);
    }
    let mut team = Vec::with_capacity(bound.roles.len());
    for (r, &floor) in floors.iter().enumerate() {
        let extra = bound.capacity[r].clone();
        let (mut lp, n) = bound.role_lp_with(&w, r, Some(&extra));
        let n = n.expect("a headcount variable was asked for");
        lp.vars[n].lower = f64::from(floor);
        match solver::solve(&lp, bound.time_limit) {
            LpOutcome::Optimal(x) => {
                let lp_n = x[n].round().max(0.0) as u32;
                team.push(energy_headcount(bound, &w, r, lp_n));
            }
            LpOutcome::Infeasible => return Ok(None),
            LpOutcome::Unknown(why) => return Err(StaffError::Solver(why)),
        }
    }
    Ok(Some(team))
}

/// Smallest demand per role of each task's least demanding mode, in units.
fn min_crews(pp: &ProgramProblem, roles: usize) -> Vec<Vec<u32>> {
    (0..roles)
        .map(|r| {
            pp.problem.activities[..pp.nodes]
                .iter()
                .map(|a| {
                    a.modes
                        .iter()
                        .filter(|m| m.duration > 0)
                        .map(|m| m.demand[r])
                        .min()
                        .unwrap_or(0)
                })
                .collect()
        })
        .collect()
}

/// What the relaxation says about team size.
#[derive(Debug, Clone)]
pub struct LowerBound {
    /// Minimum headcount per role for every reachable due date together.
    pub team: Vec<u32>,
    /// Milestones no team meets, with the earliest working day any team could reach them.
    pub unreachable: Vec<Unreachable>,
    /// For each reachable dated milestone on its own, the minimum headcount per role.
    pub per_milestone: Vec<(usize, Vec<u32>)>,
    /// The reachable due dates as (node, working day).
    pub reachable: Vec<(usize, u32)>,
    /// Fewest people per role that some task needs at once.
    pub floors: Vec<u32>,
    /// The relaxation with capacity from the scenario's own hires only.
    pub bound: CapacityBound,
}

/// The relaxation's lower-bound team for all due dates, and the milestones (model index) that
/// no team meets.
pub fn lower_bound_team(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
    bucket: Bucket,
) -> Result<LowerBound, StaffError> {
    let (bound, peaks, pp) = hires_only_bound(model, scenario, choice, bucket)?;
    let crews = min_crews(&pp, model.roles.len());
    let floors: Vec<u32> = (0..model.roles.len())
        .map(|r| crew_floor(&crews[r], peaks[r]))
        .collect();
    let dated: Vec<(usize, usize, u32)> = bound
        .deadlines
        .iter()
        .enumerate()
        .filter_map(|(m, d)| d.map(|d| (m, bound.milestone_nodes[m], d)))
        .collect();
    // Each date on its own first: which are out of reach of any team, and what each needs.
    let mut reachable = Vec::new();
    let mut unreachable = Vec::new();
    let mut per_milestone = Vec::new();
    for &(m, n, d) in &dated {
        match minimum_team(&bound, &[(n, d)], &floors)? {
            Some(team) => {
                reachable.push((n, d));
                per_milestone.push((m, team));
            }
            None => unreachable.push((m, bound.early_start[n])),
        }
    }
    let team = minimum_team(&bound, &reachable, &floors)?.unwrap_or_else(|| floors.clone());
    Ok(LowerBound {
        team,
        unreachable,
        per_milestone,
        reachable,
        floors,
        bound,
    })
}

/// Milestones out of reach (of any team, or within the caps), with the reason, and their
/// model indices.
fn out_of_reach(lb: &LowerBound, caps: &[Option<u32>]) -> (Vec<BlockedMilestone>, Vec<usize>) {
    let mut blocked: Vec<BlockedMilestone> = lb
        .unreachable
        .iter()
        .map(|&(m, _)| (Some(m), BlockReason::ChainTooLong))
        .collect();
    for (m, needs) in &lb.per_milestone {
        let over = (0..needs.len()).find(|&r| caps[r].is_some_and(|c| needs[r] > c));
        if let Some(r) = over {
            let cap = caps[r].unwrap_or(0);
            let why = BlockReason::AboveCap {
                role: r,
                needed: needs[r],
                cap,
                proof: capped_proof(&lb.bound, *m, r, cap).map(Box::new),
            };
            blocked.push((Some(*m), why));
        }
    }
    let skip = blocked.iter().filter_map(|(m, _)| *m).collect();
    (blocked, skip)
}

/// The lower bound for the dates still chased: without those the caps put out of reach (a
/// bound over dates nobody chases would claim more people than the plan needs).
fn chase_only(mut lb: LowerBound, skip: &[usize]) -> Result<LowerBound, StaffError> {
    let skipped: Vec<usize> = skip.iter().map(|&m| lb.bound.milestone_nodes[m]).collect();
    let before = lb.reachable.len();
    lb.reachable.retain(|(node, _)| !skipped.contains(node));
    if lb.reachable.len() < before {
        lb.team = minimum_team(&lb.bound, &lb.reachable, &lb.floors)?
            .unwrap_or_else(|| lb.floors.clone());
    }
    Ok(lb)
}

/// A certificate that `n − 1` people of role `r` (with the scenario's hires) cannot meet one
/// of the dates chased, when an energy window shows it for one date alone.
fn one_short_proof(lb: &LowerBound, r: usize, n: u32) -> Option<CappedProof> {
    let short = n.checked_sub(1)?;
    let chased: Vec<usize> = lb.reachable.iter().map(|&(node, _)| node).collect();
    (0..lb.bound.milestone_nodes.len())
        .filter(|&m| chased.contains(&lb.bound.milestone_nodes[m]))
        .find_map(|m| capped_proof(&lb.bound, m, r, short))
}

/// The energy certificate that role `r` at its cap cannot meet milestone `m`.
fn capped_proof(bound: &CapacityBound, m: usize, r: usize, cap: u32) -> Option<CappedProof> {
    let deadline = bound.deadlines[m]?;
    let mut capped = bound.clone();
    capped.capacity[r] = capacity_with(bound, r, cap);
    let w = capped.windows(&[(capped.milestone_nodes[m], deadline)]);
    let cert = certificate::find_for_role(&capped, &w, r, &capped.capacity[r])?;
    let cert = Certificate {
        deadline: Some((capped.milestone_nodes[m], deadline)),
        ..cert
    };
    cert.recheck(&capped).then_some(CappedProof {
        bound: capped,
        certificate: cert,
    })
}

/// Why team `team` (from the start, with the scenario's own hires and leaves) cannot meet
/// `deadlines` by the relaxation with its own modes and tightened windows, then by the
/// time-indexed relaxation of each role in `roles` (none: the cheap checks only).
fn refute_team_deep(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
    bucket: Bucket,
    team: &[u32],
    deadlines: &[(usize, u32)],
    roles: &[usize],
) -> Result<Option<Refutation>, StaffError> {
    let Ok(pp) = program::build(model, &with_team(scenario, team), choice) else {
        return Ok(Some(Refutation::Unstaffable));
    };
    let bound = CapacityBound::new(model, &pp, &pp.capacity, bucket);
    // The time-indexed relaxation counts every grid day for every task: not on calendars.
    let roles = if bound.on_calendars() { &[][..] } else { roles };
    Ok(team::refute_deep(&bound, deadlines, roles)?)
}

/// [`refute_team_deep`] with every role's time-indexed relaxation, then shaving
/// ([`shave::shave`]) where the rest cannot tell: for the teams of the headcount
/// enumeration, the last word before a team counts as one that may meet the dates.
fn refute_team_shaved(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
    bucket: Bucket,
    team: &[u32],
    deadlines: &[(usize, u32)],
) -> Result<Option<Refutation>, StaffError> {
    let roles: Vec<usize> = (0..team.len()).collect();
    let deep = refute_team_deep(model, scenario, choice, bucket, team, deadlines, &roles)?;
    if deep.is_some() {
        return Ok(deep);
    }
    let Ok(pp) = program::build(model, &with_team(scenario, team), choice) else {
        return Ok(Some(Refutation::Unstaffable));
    };
    let bound = CapacityBound::new(model, &pp, &pp.capacity, bucket);
    let mut w = bound.windows(deadlines);
    Ok(shave::shave(&bound, &mut w).map(|why| Refutation::Shaved(Box::new(why))))
}

/// Each role's minimum raised while the team check refutes it with every other role
/// unlimited: the tightened windows see chains of the role's own work.
fn raise_per_role(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
    bucket: Bucket,
    lb: &LowerBound,
) -> Result<Vec<u32>, StaffError> {
    let roles = lb.team.len();
    let mut out = lb.team.clone();
    for r in 0..roles {
        let mut team = vec![UNLIMITED; roles];
        team[r] = lb.team[r];
        for _ in 0..MAX_ENERGY_STEPS {
            let why =
                refute_team_deep(model, scenario, choice, bucket, &team, &lb.reachable, &[r])?;
            if why.is_none() {
                break;
            }
            team[r] += 1;
        }
        out[r] = team[r];
    }
    Ok(out)
}

/// The least headcount from the start that the team check does not refute, within `caps`.
fn least_team(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
    bucket: Bucket,
    lb: &LowerBound,
    caps: &[Option<u32>],
) -> Result<Headcount, StaffError> {
    // A minimum above a cap leaves no team to check; at the cap the enumeration still only
    // claims what it checks.
    let floor = capped(&raise_per_role(model, scenario, choice, bucket, lb)?, caps);
    let upto = floor.iter().sum::<u32>() + MAX_PROOF_EXTRA;
    team::least_headcount(&floor, caps, upto, MAX_TEAMS_CHECKED, |t| {
        refute_team_shaved(model, scenario, choice, bucket, t, &lb.reachable)
    })
}

/// Finds the cheapest team: the lower bound, then one person at a time where the schedule's
/// bottleneck shows, within `caps`.
pub fn staff(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
    bucket: Bucket,
    caps: &[Option<u32>],
    config: &SearchConfig,
) -> Result<Staffing, StaffError> {
    let options = StaffOptions {
        caps: caps.to_vec(),
        ..StaffOptions::default()
    };
    staff_with(model, scenario, choice, bucket, config, &options)
}

/// Finds the cheapest plan with `options`: headcounts from the start (the lower bound, then
/// one person at a time where the schedule's bottleneck shows); with hires, also the cheapest
/// plan with monthly hires, keeping the cheaper; with a confidence, people are then added
/// until the simulation meets each reachable date with that probability.
pub fn staff_with(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
    bucket: Bucket,
    config: &SearchConfig,
    options: &StaffOptions,
) -> Result<Staffing, StaffError> {
    let caps = &options.caps;
    let lb = lower_bound_team(model, scenario, choice, bucket)?;
    let (blocked, skip) = out_of_reach(&lb, caps);
    let lb = chase_only(lb, &skip)?;
    let headcount = least_team(model, scenario, choice, bucket, &lb, caps)?;
    let horizon = last_deadline(model);
    let costs = unit_costs(model, scenario);
    let targets = pull_targets(&lb, &skip);
    let ctx = Attempt {
        model,
        scenario,
        choice,
        config,
        skip: &skip,
        months: HireMonths::default(),
        targets: &targets,
    };
    let start = capped(&headcount.per_role, caps);
    // Teams are compared on the reachable dates alone; the milestones out of reach are
    // pulled in afterwards, on the team chosen.
    let plain = Attempt {
        targets: &[],
        ..ctx.clone()
    };
    let impossible = |t: &[u32]| -> Result<Option<Refutation>, StaffError> {
        refute_team_deep(model, scenario, choice, bucket, t, &lb.reachable, &[])
    };
    let fixed = search_teams(&plain, start, &headcount.per_role, caps)?;
    let (found, from, removals) =
        remove_from_found(&plain, fixed, &headcount.per_role, &impossible)?;
    let fixed = (found, from);
    let (fixed, pulled) = pull_in(&ctx, fixed)?;
    // The late-date team is about the dates no team meets; those beyond a cap stay beyond it.
    let chain_targets: Vec<(usize, u32)> = lb
        .unreachable
        .iter()
        .map(|&(m, d)| (lb.bound.milestone_nodes[m], d))
        .collect();
    let chain_ctx = Attempt {
        targets: &chain_targets,
        ..ctx.clone()
    };
    let late_team = closer_team(&chain_ctx, &fixed, pulled.as_ref(), caps)?;
    let fixed_floor: f64 = (0..lb.team.len())
        .map(|r| costs.0[r] * f64::from(lb.team[r]) * f64::from(horizon))
        .sum();
    let mut best = (fixed, HireMonths::default(), fixed_floor);
    let mut schedules = best.0.schedules;
    if options.hires {
        let months = HireMonths::new(model, scenario, horizon);
        let (plan, floor) = hiring_plan(&lb, &months, horizon, &costs.0, caps)?;
        let hctx = Attempt {
            months: months.clone(),
            ..ctx.clone()
        };
        let lower_start = plan.team.clone();
        let hired = settle(&hctx, plan, &lower_start, caps)?;
        schedules += hired.schedules;
        let cost_of = |o: &Outcome, m: &HireMonths| o.plan.cost(&costs.0, m, horizon);
        let better = hired.blocked.len() <= best.0.blocked.len()
            && cost_of(&hired, &months) < cost_of(&best.0, &best.1);
        // The hires' lower bound also holds for plans without hires (a plan without hires is
        // a plan with zero hires), so it is the bound whichever plan wins.
        best = if better {
            (hired, months, floor)
        } else {
            (best.0, best.1, floor)
        };
    }
    let (mut outcome, months, floor) = best;
    outcome.schedules = schedules;
    let mut on_time = None;
    if let Some(conf) = options.confidence {
        let ctx = Attempt {
            months: months.clone(),
            ..ctx.clone()
        };
        let (raised, probabilities) = raise_confidence(&ctx, outcome, caps, conf)?;
        outcome = raised;
        on_time = Some(probabilities);
    }
    let mut staffing = finish(
        outcome,
        &months,
        headcount.per_role.clone(),
        blocked,
        horizon,
        &costs,
        floor,
        on_time,
    );
    staffing.headcount = headcount;
    staffing.removals = removals;
    staffing.dependency_only = lb.unreachable.clone();
    staffing.schedules += late_team.as_ref().map_or(0, |t| t.schedules);
    staffing.late_team = late_team;
    staffing.role_proofs = (0..lb.team.len())
        .map(|r| one_short_proof(&lb, r, staffing.headcount.per_role[r]))
        .collect();
    Ok(staffing)
}

/// `(node, working day)` each milestone out of reach is pulled towards: the dependency-only
/// date when no team meets it, else (beyond a cap) its due date.
fn pull_targets(lb: &LowerBound, skip: &[usize]) -> Vec<(usize, u32)> {
    skip.iter()
        .filter_map(|&m| {
            let node = lb.bound.milestone_nodes[m];
            let chain = lb.unreachable.iter().find(|u| u.0 == m).map(|u| u.1);
            chain.or(lb.bound.deadlines[m]).map(|d| (node, d))
        })
        .collect()
}

/// A team's checked schedule and how it does: days late on the reachable dates, summed, and
/// the most working days a milestone out of reach finishes after its target.
#[derive(Clone)]
struct Evaluation {
    pp: ProgramProblem,
    schedule: Schedule,
    solution: Solution,
    shortfall: u64,
    late: u32,
}

/// Teams scheduled so far, so that the search over teams never schedules one twice.
struct Tried<'c, 'a> {
    ctx: &'c Attempt<'a>,
    seen: std::collections::BTreeMap<Vec<u32>, Evaluation>,
    schedules: u64,
}

impl Tried<'_, '_> {
    fn eval(&mut self, team: &[u32]) -> Result<Evaluation, StaffError> {
        self.eval_from(team, None)
    }

    /// [`Tried::eval`], a team not seen yet searched from `from`'s schedule carried over.
    fn eval_from(
        &mut self,
        team: &[u32],
        from: Option<&Evaluation>,
    ) -> Result<Evaluation, StaffError> {
        if let Some(e) = self.seen.get(team) {
            return Ok(e.clone());
        }
        let start = from.map(|e| (&e.solution, &e.pp));
        let (pp, result) = self
            .ctx
            .run_carried(&Plan::fixed(team.to_vec(), 0), start)?;
        let e = self.evaluation(pp, result);
        self.seen.insert(team.to_vec(), e.clone());
        Ok(e)
    }

    /// `team` searched again from `from`'s schedule even when it was seen (from a worse
    /// start, say), keeping the better of the two evaluations.
    fn eval_again_from(
        &mut self,
        team: &[u32],
        from: &Evaluation,
    ) -> Result<Evaluation, StaffError> {
        let Some(old) = self.seen.get(team).cloned() else {
            return self.eval_from(team, Some(from));
        };
        let plan = Plan::fixed(team.to_vec(), 0);
        let (pp, result) = self
            .ctx
            .run_carried(&plan, Some((&from.solution, &from.pp)))?;
        let new = self.evaluation(pp, result);
        let targets = self.ctx.targets;
        let rank = |e: &Evaluation| (e.shortfall, e.late, total_lateness(targets, &e.schedule));
        let kept = if rank(&new) < rank(&old) { new } else { old };
        self.seen.insert(team.to_vec(), kept.clone());
        Ok(kept)
    }

    /// How a search's best schedule does on the reachable dates and the targets.
    fn evaluation(&mut self, pp: ProgramProblem, result: SearchResult) -> Evaluation {
        self.schedules += result.schedules;
        let (schedule, solution) = (result.schedule, result.solution);
        let finishes = pp.milestone_finishes(&schedule);
        let shortfall = (0..finishes.len())
            .filter(|m| !self.ctx.skip.contains(m))
            .filter_map(|m| pp.deadlines[m].map(|d| u64::from(finishes[m].saturating_sub(d))))
            .sum();
        let late = lateness(self.ctx.targets, &schedule);
        Evaluation {
            pp,
            schedule,
            solution,
            shortfall,
            late,
        }
    }

    fn cost(&self, team: &[u32]) -> f64 {
        (0..team.len())
            .map(|r| self.ctx.scenario.cost(self.ctx.model, r).unwrap_or(1.0) * f64::from(team[r]))
            .sum()
    }
}

/// How a team one person larger ranks in the ascent: days late on the reachable dates, days
/// late on the targets, cost, the role added.
type StepKey = (u64, u32, f64, usize);

/// Whether a step's key (two ordered measures, the cost, the role) comes before another's, in
/// that order; the role last so that ties resolve the same way on every run.
fn key_before<A: Ord, B: Ord>(key: &(A, B, f64, usize), other: &(A, B, f64, usize)) -> bool {
    (&key.0, &key.1)
        .cmp(&(&other.0, &other.1))
        .then(key.2.total_cmp(&other.2))
        .then(key.3.cmp(&other.3))
        .is_lt()
}

/// `team` with `delta` people more of role `r`.
fn bumped(team: &[u32], r: usize, delta: i32) -> Vec<u32> {
    let mut t = team.to_vec();
    t[r] = t[r].saturating_add_signed(delta);
    t
}

/// The search over teams from the start: from `start` (the proven per-role minimums), add
/// the person whose role lowers the reachable dates' lateness most (each role tried), until
/// every reachable date is met; then take people away, each role tried, while the dates stay
/// met and the milestones out of reach no later.
fn search_teams(
    ctx: &Attempt<'_>,
    start: Vec<u32>,
    floor: &[u32],
    caps: &[Option<u32>],
) -> Result<(Outcome, Option<Solution>), StaffError> {
    let mut tried = Tried {
        ctx,
        seen: Default::default(),
        schedules: 0,
    };
    let roles = start.len();
    let mut team = start;
    let mut added = 0;
    loop {
        let here = tried.eval(&team)?;
        if here.shortfall == 0 {
            break;
        }
        let open: Vec<usize> = (0..roles)
            .filter(|&r| caps[r].is_none_or(|c| team[r] < c))
            .collect();
        if open.is_empty() || added >= MAX_ADDED {
            let deadline = first_missed_deadline(&here.pp, &here.schedule, ctx.skip);
            let r = busiest_roles(&here.pp, &here.schedule, deadline)[0];
            let m = first_missed(
                &here.pp,
                &here.pp.milestone_finishes(&here.schedule),
                ctx.skip,
            );
            let why = BlockReason::BusiestRoleAtLimit {
                role: r,
                people: team[r],
            };
            let out = Outcome {
                plan: Plan::fixed(team, 0),
                pp: here.pp,
                schedule: here.schedule,
                schedules: tried.schedules,
                blocked: vec![(m, why)],
            };
            return Ok((out, None));
        }
        let mut best: Option<(StepKey, Vec<u32>)> = None;
        for r in open {
            let next = bumped(&team, r, 1);
            let e = tried.eval(&next)?;
            let key = (e.shortfall, e.late, tried.cost(&next), r);
            let better = best.as_ref().is_none_or(|(k, _)| key_before(&key, k));
            if better {
                best = Some((key, next));
            }
        }
        team = best.map(|(_, t)| t).unwrap_or(team);
        added += 1;
    }
    let mut team = remove_while_met(&mut tried, team, floor)?;
    while let Some(smaller) = exchange(&mut tried, &team, floor, caps)? {
        team = remove_while_met(&mut tried, smaller, floor)?;
    }
    let e = tried.eval(&team)?;
    let out = Outcome {
        plan: Plan::fixed(team, 0),
        pp: e.pp,
        schedule: e.schedule,
        schedules: tried.schedules,
        blocked: Vec::new(),
    };
    Ok((out, Some(e.solution)))
}

/// How many times the usual budget a removal from the team found is searched with.
const CONFIRM_FACTOR: u64 = 3;

/// `config` with the longer budget ([`CONFIRM_FACTOR`] times its schedules) of a search
/// whose answer is kept.
fn confirming(config: &SearchConfig) -> SearchConfig {
    SearchConfig {
        schedules: config.schedules.saturating_mul(CONFIRM_FACTOR),
        ..config.clone()
    }
}

/// What became of one person fewer of a role in the team found.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The role (model index).
    pub role: usize,
    /// Why the team without that person was not taken.
    pub outcome: RemovalOutcome,
}

/// Why one person fewer of a role does not do.
#[derive(Debug, Clone, PartialEq)]
pub enum RemovalOutcome {
    /// The role is at its proven minimum already (see the headcount proof).
    AtMinimum,
    /// The whole-team check proves that no schedule of the smaller team meets the dates.
    Refuted(Refutation),
    /// Not proven impossible, but its best checked schedule, searched longer from the found
    /// team's schedule, misses a reachable date.
    Missed {
        /// The first milestone (model index) it misses.
        milestone: usize,
        /// Working days it comes out late.
        late: u32,
        /// Schedules searched for it.
        schedules: u64,
    },
}

/// Why a team cannot meet the dates, if the whole-team check can tell.
type TeamCheck<'a> = dyn Fn(&[u32]) -> Result<Option<Refutation>, StaffError> + 'a;

/// The removals from the team found, their outcomes and the schedules they cost.
type Removals = (Outcome, Option<Solution>, Vec<Removal>);

/// From the team found, each role's removal (most expensive role first) searched again with
/// [`CONFIRM_FACTOR`] times the budget and starting from the found team's schedule, so that
/// the search for the smaller team starts from an order that nearly works; a smaller team is
/// kept when its checked schedule meets every reachable date, and the removals go on from it.
/// Teams the whole-team check refutes are not scheduled: no schedule of theirs can work.
fn remove_from_found(
    ctx: &Attempt<'_>,
    (mut out, mut from): (Outcome, Option<Solution>),
    floor: &[u32],
    impossible: &TeamCheck<'_>,
) -> Result<Removals, StaffError> {
    if !out.blocked.is_empty() {
        return Ok((out, from, Vec::new()));
    }
    let config = confirming(ctx.config);
    let longer = Attempt {
        config: &config,
        ..ctx.clone()
    };
    let mut roles: Vec<usize> = (0..out.plan.team.len()).collect();
    let cost = |r: usize| ctx.scenario.cost(ctx.model, r).unwrap_or(1.0);
    roles.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)).then(a.cmp(&b)));
    let mut refused: std::collections::BTreeMap<Vec<u32>, RemovalOutcome> = Default::default();
    'again: loop {
        let mut removals = Vec::new();
        for &r in &roles {
            if out.plan.team[r] <= floor[r] {
                removals.push(Removal {
                    role: r,
                    outcome: RemovalOutcome::AtMinimum,
                });
                continue;
            }
            let fewer = bumped(&out.plan.team, r, -1);
            if let Some(outcome) = refused.get(&fewer) {
                removals.push(Removal {
                    role: r,
                    outcome: outcome.clone(),
                });
                continue;
            }
            if let Some(why) = impossible(&fewer)? {
                let outcome = RemovalOutcome::Refuted(why);
                refused.insert(fewer, outcome.clone());
                removals.push(Removal { role: r, outcome });
                continue;
            }
            let plan = Plan::fixed(fewer.clone(), 0);
            let sc = plan.scenario(ctx.scenario, &ctx.months);
            let target = program::build(ctx.model, &sc, ctx.choice).map_err(StaffError::Model)?;
            let initial: Vec<Solution> =
                from.iter().map(|s| carried(s, &out.pp, &target)).collect();
            let (pp, result) = longer.run_from(&plan, &initial)?;
            out.schedules += result.schedules;
            let finishes = pp.milestone_finishes(&result.schedule);
            if let Some(m) = first_missed(&pp, &finishes, ctx.skip) {
                let late = finishes[m].saturating_sub(pp.deadlines[m].unwrap_or(finishes[m]));
                let outcome = RemovalOutcome::Missed {
                    milestone: m,
                    late,
                    schedules: result.schedules,
                };
                refused.insert(fewer, outcome.clone());
                removals.push(Removal { role: r, outcome });
                continue;
            }
            (out.plan, out.pp, out.schedule) = (plan, pp, result.schedule);
            from = Some(result.solution);
            continue 'again;
        }
        return Ok((out, from, removals));
    }
}

/// `solution` of problem `from` as a start for problem `to` (the same model, another team):
/// the same order, and for each activity the mode of `to` with the same crew, else the
/// largest crew of `to` within it, else its first mode (a smaller team has fewer modes).
fn carried(solution: &Solution, from: &ProgramProblem, to: &ProgramProblem) -> Solution {
    let modes = solution
        .modes
        .iter()
        .enumerate()
        .map(|(j, &m)| {
            let (Some(old), Some(new)) =
                (from.crews.get(j).and_then(|c| c.get(m)), to.crews.get(j))
            else {
                return 0;
            };
            let within = |c: &Vec<u32>| c.iter().zip(old).all(|(a, b)| a <= b);
            let size = |c: &Vec<u32>| c.iter().sum::<u32>();
            new.iter()
                .enumerate()
                .filter(|(_, c)| within(c))
                .max_by_key(|(k, c)| (*c == old, size(c), std::cmp::Reverse(*k)))
                .map_or(0, |(k, _)| k)
        })
        .collect();
    Solution {
        order: solution.order.clone(),
        modes,
    }
}

/// Growth factors of the team [`closer_team`] tries when adding one person at a time stalls,
/// smallest first.
const LATE_FACTORS: [f64; 4] = [1.25, 1.5, 2.0, 3.0];

/// Most single removals [`closer_team`] tries once a size brings the dates close enough.
const MAX_LATE_TRIMS: usize = 8;

/// The lexicographic next step after the reachable dates: from the team found (and its
/// schedule after the pull-in), add one person at a time, each role tried, keeping the
/// addition that brings the latest milestone out of reach earliest (then their sum, then
/// cost), until it is within [`LATE_TOLERANCE`] working days of its target or no addition
/// helps; every reachable date stays met. Should that stall above the tolerance, the team
/// grown by each of [`LATE_FACTORS`] is tried as well and the closer of the two kept. Then
/// people are taken away one at a time while it stays that close. Each team's search starts
/// from the schedule of the team it came from. `None` when nothing is out of reach or no team
/// tried brings it closer than the team found.
fn closer_team(
    ctx: &Attempt<'_>,
    found: &Outcome,
    from: Option<&Solution>,
    caps: &[Option<u32>],
) -> Result<Option<LateTeam>, StaffError> {
    if ctx.targets.is_empty() || !found.blocked.is_empty() {
        return Ok(None);
    }
    let late_now = lateness(ctx.targets, &found.schedule);
    if late_now <= LATE_TOLERANCE {
        return Ok(None);
    }
    let mut tried = Tried {
        ctx,
        seen: Default::default(),
        schedules: 0,
    };
    let base = found.plan.team.clone();
    if let Some(solution) = from {
        let known = Evaluation {
            pp: found.pp.clone(),
            schedule: found.schedule.clone(),
            solution: solution.clone(),
            shortfall: 0,
            late: late_now,
        };
        tried.seen.insert(base.clone(), known);
    }
    let mut grown = add_until_close(&mut tried, base.clone(), caps)?;
    if tried.eval(&grown)?.late > LATE_TOLERANCE {
        if let Some(by_factor) = grown_by_factors(&mut tried, &base, caps)? {
            let key = |t: &Evaluation, team: &[u32]| {
                (t.late.max(LATE_TOLERANCE), team.iter().sum::<u32>())
            };
            let (a, b) = (tried.eval(&by_factor)?, tried.eval(&grown)?);
            if key(&a, &by_factor) < key(&b, &grown) {
                grown = by_factor;
            }
        }
    }
    let late = tried.eval(&grown)?.late;
    if late >= late_now {
        return Ok(None);
    }
    let team = trim_while_close(&mut tried, grown, &base, late)?;
    let e = tried.eval(&team)?;
    Ok(Some(LateTeam {
        team,
        schedule: e.schedule,
        problem: e.pp,
        late: e.late,
        schedules: tried.schedules,
    }))
}

/// How an addition ranks in [`add_until_close`]: the latest target's lateness, the targets'
/// summed lateness, cost, the role added.
type CloserKey = (u32, u32, f64, usize);

/// Additions in a row [`add_until_close`] takes when none brings the targets earlier: one
/// schedule search per team is noisy, and two people can help where one does not.
const MAX_STALLS: usize = 2;

/// From `team`, one person more at a time (each role under its cap tried, its search started
/// from the current team's schedule), keeping the addition with the least [`CloserKey`] that
/// still meets every reachable date; stops within [`LATE_TOLERANCE`], or after
/// [`MAX_STALLS`] additions in a row that bring the targets no earlier. Returns the team with
/// the targets earliest (then the fewest people).
fn add_until_close(
    tried: &mut Tried<'_, '_>,
    mut team: Vec<u32>,
    caps: &[Option<u32>],
) -> Result<Vec<u32>, StaffError> {
    let targets = tried.ctx.targets;
    let mut here = tried.eval(&team)?;
    let mut kept = (
        here.late,
        total_lateness(targets, &here.schedule),
        team.clone(),
    );
    let mut stalls = 0;
    for _ in 0..MAX_ADDED {
        if kept.0 <= LATE_TOLERANCE || stalls > MAX_STALLS {
            break;
        }
        let mut best: Option<(CloserKey, Vec<u32>, Evaluation)> = None;
        for r in (0..team.len()).filter(|&r| caps[r].is_none_or(|c| team[r] < c)) {
            let next = bumped(&team, r, 1);
            let e = tried.eval_from(&next, Some(&here))?;
            if e.shortfall > 0 {
                continue;
            }
            let key = (
                e.late,
                total_lateness(targets, &e.schedule),
                tried.cost(&next),
                r,
            );
            let better = best.as_ref().is_none_or(|(k, _, _)| key_before(&key, k));
            if better {
                best = Some((key, next, e));
            }
        }
        let Some((key, next, e)) = best else { break };
        if (key.0, key.1) < (kept.0, kept.1) {
            kept = (key.0, key.1, next.clone());
            stalls = 0;
        } else {
            stalls += 1;
        }
        (team, here) = (next, e);
    }
    Ok(kept.2)
}

/// The team `base` grown role by role by each of [`LATE_FACTORS`] (within the caps) until
/// one meets every reachable date with the targets within [`LATE_TOLERANCE`]; the closest
/// such team, when one meets every reachable date.
fn grown_by_factors(
    tried: &mut Tried<'_, '_>,
    base: &[u32],
    caps: &[Option<u32>],
) -> Result<Option<Vec<u32>>, StaffError> {
    let mut best: Option<(u32, Vec<u32>)> = None;
    for f in LATE_FACTORS {
        let team: Vec<u32> = base
            .iter()
            .zip(caps)
            .map(|(&n, cap)| {
                let grown = (f64::from(n) * f).ceil() as u32;
                cap.map_or(grown, |c| grown.min(c))
            })
            .collect();
        let e = tried.eval(&team)?;
        if e.shortfall == 0 && best.as_ref().is_none_or(|b| e.late < b.0) {
            best = Some((e.late, team));
        }
        if best.as_ref().is_some_and(|b| b.0 <= LATE_TOLERANCE) {
            break;
        }
    }
    Ok(best.map(|b| b.1))
}

/// Takes people above `base` away one at a time (least busy role first, at most
/// [`MAX_LATE_TRIMS`] tries, each search started from the current team's schedule, also for a
/// team the ascent already searched from a worse start) while
/// every reachable date stays met and the targets no later than `late` (or the tolerance).
fn trim_while_close(
    tried: &mut Tried<'_, '_>,
    mut team: Vec<u32>,
    base: &[u32],
    late: u32,
) -> Result<Vec<u32>, StaffError> {
    let mut trims = 0;
    'again: while trims < MAX_LATE_TRIMS {
        let here = tried.eval(&team)?;
        let target = tried.ctx.targets.iter().map(|t| t.1).max().unwrap_or(0);
        let loads = role_loads(&here.pp, &here.schedule, target);
        // Least busy roles first: their people are the likeliest to be spare.
        let mut roles: Vec<usize> = (0..team.len()).filter(|&r| team[r] > base[r]).collect();
        roles.sort_by(|&a, &b| loads[a].total_cmp(&loads[b]).then(a.cmp(&b)));
        for r in roles {
            if trims >= MAX_LATE_TRIMS {
                break;
            }
            trims += 1;
            let fewer = bumped(&team, r, -1);
            let e = tried.eval_again_from(&fewer, &here)?;
            if e.shortfall == 0 && e.late <= late.max(LATE_TOLERANCE) {
                team = fewer;
                continue 'again;
            }
        }
        break;
    }
    Ok(team)
}

/// The most working days a target milestone finishes after its target.
fn lateness(targets: &[(usize, u32)], schedule: &Schedule) -> u32 {
    targets
        .iter()
        .map(|&(node, d)| schedule.starts[node].saturating_sub(d))
        .max()
        .unwrap_or(0)
}

/// Takes one person away at a time, every role tried (most expensive first), while the
/// reachable dates stay met and the latest milestone out of reach finishes no later.
fn remove_while_met(
    tried: &mut Tried<'_, '_>,
    mut team: Vec<u32>,
    floor: &[u32],
) -> Result<Vec<u32>, StaffError> {
    let mut roles: Vec<usize> = (0..team.len()).collect();
    let cost = |r: usize| tried.ctx.scenario.cost(tried.ctx.model, r).unwrap_or(1.0);
    roles.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)).then(a.cmp(&b)));
    'again: loop {
        let late = tried.eval(&team)?.late;
        for &r in &roles {
            if team[r] <= floor[r] {
                continue;
            }
            let fewer = bumped(&team, r, -1);
            let e = tried.eval(&fewer)?;
            if e.shortfall == 0 && e.late <= late {
                team = fewer;
                continue 'again;
            }
        }
        return Ok(team);
    }
}

/// Most teams one person smaller than the current one that [`exchange`] schedules.
const MAX_EXCHANGES: usize = 12;

/// A team of one person fewer than `team` (at least `floor` of each role, within the caps)
/// that meets every reachable date: the teams nearest to `team` first (fewest people moved),
/// at most [`MAX_EXCHANGES`] of them scheduled.
fn exchange(
    tried: &mut Tried<'_, '_>,
    team: &[u32],
    floor: &[u32],
    caps: &[Option<u32>],
) -> Result<Option<Vec<u32>>, StaffError> {
    let size: u32 = team.iter().sum();
    let Some(smaller) = size.checked_sub(1) else {
        return Ok(None);
    };
    let mut near = team::teams_of_size(floor, caps, smaller);
    let moved = |t: &Vec<u32>| -> u32 { t.iter().zip(team).map(|(&a, &b)| a.abs_diff(b)).sum() };
    near.sort_by_key(|t| (moved(t), std::cmp::Reverse(t.clone())));
    for t in near.into_iter().take(MAX_EXCHANGES) {
        if tried.eval(&t)?.shortfall == 0 {
            return Ok(Some(t));
        }
    }
    Ok(None)
}

/// Schedules the chosen team again with the milestones out of reach pulled towards their
/// targets, starting from its schedule `from` (so the search's objective is never worse than
/// it), and keeps the new schedule when it still meets every reachable date; returns it with
/// the activity list that gives it.
fn pull_in(
    ctx: &Attempt<'_>,
    (out, from): (Outcome, Option<Solution>),
) -> Result<(Outcome, Option<Solution>), StaffError> {
    let Some(from) = from else {
        return Ok((out, None));
    };
    if ctx.targets.is_empty() || !out.blocked.is_empty() {
        return Ok((out, Some(from)));
    }
    // The lexicographic second goal gets the removals' longer budget: it is searched once,
    // on the team chosen.
    let config = confirming(ctx.config);
    let longer = Attempt {
        config: &config,
        ..ctx.clone()
    };
    let mut best = out;
    let mut start = from;
    // The search minimises the targets' summed tardiness; the goal is the latest of them, so
    // a second round weighs the latest one more.
    for round in 0..2 {
        let weighted = latest_weighted(ctx.targets, &best.schedule, round);
        let attempt = Attempt {
            targets: &weighted,
            ..longer.clone()
        };
        let (pp, result) = attempt.run_from(&best.plan, &[start.clone()])?;
        best.schedules += result.schedules;
        let finishes = pp.milestone_finishes(&result.schedule);
        let key = |s: &Schedule| (lateness(ctx.targets, s), total_lateness(ctx.targets, s));
        if first_missed(&pp, &finishes, ctx.skip).is_none()
            && key(&result.schedule) < key(&best.schedule)
        {
            (best.pp, best.schedule) = (pp, result.schedule);
            start = result.solution;
        }
    }
    Ok((best, Some(start)))
}

/// How many times the latest target counts in the second pull-in round.
const LATEST_WEIGHT: usize = 10;

/// The targets, the one latest in `schedule` repeated [`LATEST_WEIGHT`] times after round 0.
fn latest_weighted(
    targets: &[(usize, u32)],
    schedule: &Schedule,
    round: usize,
) -> Vec<(usize, u32)> {
    let mut out = targets.to_vec();
    let latest = targets
        .iter()
        .max_by_key(|&&(node, d)| schedule.starts[node].saturating_sub(d));
    if let (true, Some(&t)) = (round > 0, latest) {
        out.extend(std::iter::repeat_n(t, LATEST_WEIGHT - 1));
    }
    out
}

/// Working days the targets' milestones finish after their targets, summed.
fn total_lateness(targets: &[(usize, u32)], schedule: &Schedule) -> u32 {
    targets
        .iter()
        .map(|&(node, d)| schedule.starts[node].saturating_sub(d))
        .sum()
}

/// The due date of the first missed reachable milestone (0 when none is missed).
fn first_missed_deadline(pp: &ProgramProblem, schedule: &Schedule, skip: &[usize]) -> u32 {
    let finishes = pp.milestone_finishes(schedule);
    first_missed(pp, &finishes, skip)
        .and_then(|m| pp.deadlines[m])
        .unwrap_or(0)
}

/// Cost per person-day of each role (1 when the model and scenario give none), and whether
/// every role had one.
fn unit_costs(model: &Model, scenario: &Scenario) -> (Vec<f64>, bool) {
    let given: Vec<Option<f64>> = (0..model.roles.len())
        .map(|r| scenario.cost(model, r))
        .collect();
    let all = given.iter().all(Option::is_some);
    let costs = given
        .iter()
        .map(|c| if all { c.unwrap_or(1.0) } else { 1.0 })
        .collect();
    (costs, all)
}

/// The last due date in working days: plans are costed up to it.
fn last_deadline(model: &Model) -> u32 {
    let mut cal = model.work_calendar();
    model
        .milestones
        .iter()
        .filter_map(|m| m.due.map(|d| cal.deadline(d).max(0) as u32))
        .max()
        .unwrap_or(0)
}

/// `team` held to the caps.
fn capped(team: &[u32], caps: &[Option<u32>]) -> Vec<u32> {
    team.iter()
        .zip(caps)
        .map(|(&n, cap)| cap.map_or(n, |c| n.min(c)))
        .collect()
}

/// The cheapest plan of start team and monthly hires that the relaxation allows for the
/// reachable dates (rounded, held to the caps), and its LP cost: a lower bound on the cost of
/// any plan that hires at month starts.
fn hiring_plan(
    lb: &LowerBound,
    months: &HireMonths,
    horizon: u32,
    costs: &[f64],
    caps: &[Option<u32>],
) -> Result<(Plan, f64), StaffError> {
    let roles = lb.team.len();
    let w = lb.bound.windows(&lb.reachable);
    let mut plan = Plan::fixed(lb.team.clone(), months.days.len());
    let mut floor = 0.0;
    for r in 0..roles {
        let solved = hires::cheapest_role_plan(
            &lb.bound,
            &w,
            r,
            &lb.bound.capacity[r],
            lb.floors[r],
            months,
            horizon,
        )
        .map_err(StaffError::Solver)?;
        let Some((n, hired, person_days)) = solved else {
            // No plan meets the dates (a chain too long): fall back to the start team.
            floor += costs[r] * f64::from(lb.team[r]) * f64::from(horizon);
            continue;
        };
        plan.team[r] = n;
        plan.hires[r] = hired;
        floor += costs[r] * person_days;
        hold_to_cap(&mut plan, r, caps[r]);
    }
    Ok((plan, floor))
}

/// Drops the latest hires (then start people) of role `r` until its peak is within `cap`.
fn hold_to_cap(plan: &mut Plan, r: usize, cap: Option<u32>) {
    let Some(cap) = cap else { return };
    for k in (0..plan.hires[r].len()).rev() {
        while plan.peak(r) > cap && plan.hires[r][k] > 0 {
            plan.hires[r][k] -= 1;
        }
    }
    plan.team[r] = plan.team[r].min(cap);
}

/// A checked plan and what the scheduler made of it.
#[derive(Debug, Clone)]
struct Outcome {
    plan: Plan,
    pp: ProgramProblem,
    schedule: Schedule,
    schedules: u64,
    /// Milestones the greedy step gave up on.
    blocked: Vec<BlockedMilestone>,
}

/// Schedules `plan`; while a reachable date is missed adds one person from the start of the
/// role busiest before it (within its cap), then trims.
fn settle(
    ctx: &Attempt<'_>,
    mut plan: Plan,
    lower_start: &[u32],
    caps: &[Option<u32>],
) -> Result<Outcome, StaffError> {
    let mut schedules = 0;
    let mut added = 0;
    loop {
        let (pp, schedule, n, missed) = ctx.run(&plan)?;
        schedules += n;
        let Some(m) = missed else {
            let mut out = trim(ctx, plan, lower_start, (pp, schedule))?;
            out.schedules += schedules;
            return Ok(out);
        };
        let deadline = pp.deadlines[m].unwrap_or(0);
        let r = busiest_roles(&pp, &schedule, deadline)[0];
        if caps[r].is_none_or(|c| plan.peak(r) < c) && added < MAX_ADDED {
            plan.team[r] += 1;
            added += 1;
        } else {
            let why = BlockReason::BusiestRoleAtLimit {
                role: r,
                people: plan.peak(r),
            };
            return Ok(Outcome {
                plan,
                pp,
                schedule,
                schedules,
                blocked: vec![(Some(m), why)],
            });
        }
    }
}

/// One scheduling attempt's inputs.
#[derive(Clone)]
struct Attempt<'a> {
    model: &'a Model,
    scenario: &'a Scenario,
    choice: EstimateChoice,
    config: &'a SearchConfig,
    /// Milestones no team meets: ignored when looking for misses, and left out of the
    /// search's objective so that they do not steer it.
    skip: &'a [usize],
    /// When hires may join.
    months: HireMonths,
    /// `(node, working day)` the milestones in `skip` are pulled towards: the dependency-only
    /// date of one no team meets, the due date of one beyond the caps. They weigh
    /// [`REACHABLE_WEIGHT`] times less than the reachable dates in the search's objective.
    targets: &'a [(usize, u32)],
}

/// How many times a reachable due date counts in the search's tardiness, against once for a
/// target of a milestone out of reach: meeting the reachable dates comes first.
const REACHABLE_WEIGHT: usize = 50;

impl Attempt<'_> {
    /// Schedules `plan`; returns the problem, the checked schedule, schedules generated, and
    /// the missed reachable milestone with the earliest due date.
    fn run(
        &self,
        plan: &Plan,
    ) -> Result<(ProgramProblem, Schedule, u64, Option<usize>), StaffError> {
        let (pp, result) = self.run_from(plan, &[])?;
        let finishes = pp.milestone_finishes(&result.schedule);
        let missed = first_missed(&pp, &finishes, self.skip);
        Ok((pp, result.schedule, result.schedules, missed))
    }

    /// Schedules `plan`, the search starting from `from` (a solution of another team's
    /// problem) carried over to this team's modes.
    fn run_carried(
        &self,
        plan: &Plan,
        from: Option<(&Solution, &ProgramProblem)>,
    ) -> Result<(ProgramProblem, SearchResult), StaffError> {
        let Some((solution, problem)) = from else {
            return self.run_from(plan, &[]);
        };
        let sc = plan.scenario(self.scenario, &self.months);
        let target = program::build(self.model, &sc, self.choice).map_err(StaffError::Model)?;
        self.run_from(plan, &[carried(solution, problem, &target)])
    }

    /// Schedules `plan`, the search starting from the lists `initial` too.
    fn run_from(
        &self,
        plan: &Plan,
        initial: &[Solution],
    ) -> Result<(ProgramProblem, SearchResult), StaffError> {
        if self
            .config
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            return Err(StaffError::Cancelled);
        }
        let sc = plan.scenario(self.scenario, &self.months);
        let pp = program::build(self.model, &sc, self.choice).map_err(StaffError::Model)?;
        let reachable = reachable_due_dates(&pp, self.skip);
        let mut due: Vec<(usize, u32)> = Vec::new();
        for _ in 0..REACHABLE_WEIGHT {
            due.extend_from_slice(&reachable);
        }
        due.extend_from_slice(self.targets);
        let result = pp.search_with_due_dates(self.config, initial, due)?;
        Ok((pp, result))
    }
}

/// `(node, deadline)` of each dated milestone not in `skip` (model indices).
fn reachable_due_dates(pp: &ProgramProblem, skip: &[usize]) -> Vec<(usize, u32)> {
    pp.graph
        .kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| matches!(k, NodeKind::Milestone(_)))
        .map(|(node, _)| node)
        .zip(&pp.deadlines)
        .enumerate()
        .filter(|(m, _)| !skip.contains(m))
        .filter_map(|(_, (node, d))| d.map(|d| (node, d)))
        .collect()
}

/// Takes people away one at a time, most expensive role first (start people, then hires from
/// the latest month), while the schedule still meets every reachable date: the greedy step
/// can overshoot when it adds to a role that was busy but not the one holding the date back.
fn trim(
    ctx: &Attempt<'_>,
    mut plan: Plan,
    lower_start: &[u32],
    best: (ProgramProblem, Schedule),
) -> Result<Outcome, StaffError> {
    let (mut pp, mut schedule) = best;
    let mut schedules = 0;
    let mut roles: Vec<usize> = (0..plan.team.len()).collect();
    let cost = |r: usize| ctx.scenario.cost(ctx.model, r).unwrap_or(1.0);
    roles.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)).then(a.cmp(&b)));
    let mut attempt = |fewer: Plan, plan: &mut Plan, schedules: &mut u64| -> bool {
        let Ok((p, s, n, missed)) = ctx.run(&fewer) else {
            return false;
        };
        *schedules += n;
        if missed.is_some() {
            return false;
        }
        (*plan, pp, schedule) = (fewer, p, s);
        true
    };
    for r in roles {
        while plan.team[r] > lower_start[r] {
            let mut fewer = plan.clone();
            fewer.team[r] -= 1;
            if !attempt(fewer, &mut plan, &mut schedules) {
                break;
            }
        }
        for k in (0..plan.hires[r].len()).rev() {
            while plan.hires[r][k] > 0 {
                let mut fewer = plan.clone();
                fewer.hires[r][k] -= 1;
                if !attempt(fewer, &mut plan, &mut schedules) {
                    break;
                }
            }
        }
    }
    Ok(Outcome {
        plan,
        pp,
        schedule,
        schedules,
        blocked: Vec::new(),
    })
}

/// Simulates the plan and, while a reachable milestone's chance of being on time is below
/// the confidence, adds one person from the start of the role that holds it back most and
/// schedules again. Gives a milestone up when every role that could help is at its cap.
fn raise_confidence(
    ctx: &Attempt<'_>,
    mut out: Outcome,
    caps: &[Option<u32>],
    conf: Confidence,
) -> Result<(Outcome, Vec<Option<f64>>), StaffError> {
    let sim_model = without_due_dates(ctx.model, ctx.skip);
    let given = SimulationSettings {
        iterations: Some(conf.iterations),
        ..SimulationSettings::default()
    };
    let config = SimConfig::layered(&given, &ctx.scenario.simulation, true);
    let never = AtomicBool::new(false);
    let cancel = ctx.config.cancel.as_deref().unwrap_or(&never);
    let mut given_up: Vec<usize> = ctx.skip.to_vec();
    let scenario = out.plan.scenario(ctx.scenario, &ctx.months);
    let beyond = beyond_any_team(
        &sim_model,
        &scenario,
        &config,
        conf.probability,
        &given_up,
        cancel,
    )?;
    for (m, p) in beyond {
        out.blocked.push((
            Some(m),
            BlockReason::UnlikelyWithAnyTeam {
                probability: p,
                target: conf.probability,
            },
        ));
        given_up.push(m);
    }
    let simulate_plan =
        |plan: &Plan| -> Result<(Vec<Option<f64>>, simulate::SimResult), StaffError> {
            let scenario = plan.scenario(ctx.scenario, &ctx.months);
            let sim = simulate::simulate(&sim_model, &scenario, &config, cancel, &mut |_| {})?;
            let chances = sim
                .milestones
                .iter()
                .map(|m| m.probability_on_time)
                .collect();
            Ok((chances, sim))
        };
    // Never below the deterministic answer: --confidence only adds to it.
    let floor = out.plan.team.clone();
    let mut added = 0;
    loop {
        let (chances, sim) = simulate_plan(&out.plan)?;
        let Some((m, p)) = least_likely(&chances, &given_up, conf.probability) else {
            let chances = trim_confident(
                ctx,
                &mut out,
                chances,
                &given_up,
                conf,
                &simulate_plan,
                &floor,
            )?;
            return Ok((out, chances));
        };
        let deadline = out.pp.deadlines[m].unwrap_or(0);
        let helper = role_to_add(&out, &sim.bottlenecks, ctx.model, deadline, caps);
        match helper {
            Some(r) if added < MAX_ADDED => {
                out.plan.team[r] += 1;
                added += 1;
                let (pp, schedule, n, _) = ctx.run(&out.plan)?;
                (out.pp, out.schedule) = (pp, schedule);
                out.schedules += n;
            }
            _ => {
                out.blocked.push((
                    Some(m),
                    BlockReason::UnlikelyAtCaps {
                        probability: p,
                        target: conf.probability,
                    },
                ));
                given_up.push(m);
                if chances_settled(&chances, &given_up, conf.probability) {
                    return Ok((out, chances));
                }
            }
        }
    }
}

/// Milestones (not in `skip`) that the precedence-only simulation, which gives every task its
/// fastest crew and never waits for people, meets with probability below `p`: no team does
/// better, so adding people for them would only add cost.
fn beyond_any_team(
    model: &Model,
    scenario: &Scenario,
    config: &SimConfig,
    p: f64,
    skip: &[usize],
    cancel: &AtomicBool,
) -> Result<Vec<(usize, f64)>, StaffError> {
    let unlimited = SimConfig {
        resources: false,
        ..config.clone()
    };
    let sim = simulate::simulate(model, scenario, &unlimited, cancel, &mut |_| {})?;
    Ok(sim
        .milestones
        .iter()
        .enumerate()
        .filter(|(m, _)| !skip.contains(m))
        .filter_map(|(m, r)| r.probability_on_time.filter(|&c| c < p).map(|c| (m, c)))
        .collect())
}

/// Each milestone's chance of being on time (`None` without a due date).
type Chances = Vec<Option<f64>>;

/// Simulates a plan: the chances and the whole result.
type SimulatePlan<'a> = dyn Fn(&Plan) -> Result<(Chances, simulate::SimResult), StaffError> + 'a;

/// Most simulations the trim after `--confidence` runs: the greedy step can overshoot, but
/// each try costs a simulation.
const CONFIDENT_TRIM_TRIES: usize = 8;

/// Takes one person away at a time from the roles added to (most expensive first) while every
/// milestone not given up stays at or above the confidence in simulation and on time in the
/// schedule; returns the chances of the plan kept.
fn trim_confident(
    ctx: &Attempt<'_>,
    out: &mut Outcome,
    mut chances: Vec<Option<f64>>,
    given_up: &[usize],
    conf: Confidence,
    simulate_plan: &SimulatePlan<'_>,
    floor: &[u32],
) -> Result<Vec<Option<f64>>, StaffError> {
    let mut roles: Vec<usize> = (0..out.plan.team.len()).collect();
    let cost = |r: usize| ctx.scenario.cost(ctx.model, r).unwrap_or(1.0);
    roles.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)).then(a.cmp(&b)));
    let mut tries = 0;
    for r in roles {
        while out.plan.team[r] > floor[r] && tries < CONFIDENT_TRIM_TRIES {
            tries += 1;
            let mut fewer = out.plan.clone();
            fewer.team[r] -= 1;
            let (fewer_chances, _) = simulate_plan(&fewer)?;
            if least_likely(&fewer_chances, given_up, conf.probability).is_some() {
                break;
            }
            let (pp, schedule, n, missed) = ctx.run(&fewer)?;
            out.schedules += n;
            if missed.is_some() {
                break;
            }
            (out.plan, out.pp, out.schedule, chances) = (fewer, pp, schedule, fewer_chances);
        }
    }
    Ok(chances)
}

/// The reachable milestone least likely to be on time, when below `p`.
fn least_likely(chances: &[Option<f64>], skip: &[usize], p: f64) -> Option<(usize, f64)> {
    chances
        .iter()
        .enumerate()
        .filter(|(m, _)| !skip.contains(m))
        .filter_map(|(m, c)| c.filter(|&c| c < p).map(|c| (m, c)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
}

/// Whether every milestone not given up is at or above `p`.
fn chances_settled(chances: &[Option<f64>], given_up: &[usize], p: f64) -> bool {
    least_likely(chances, given_up, p).is_none()
}

/// The role under its cap whose work fills most of its capacity before `deadline`, weighted
/// up by how often the simulation found it delaying the finish.
fn role_to_add(
    out: &Outcome,
    bottlenecks: &[(String, f64)],
    model: &Model,
    deadline: u32,
    caps: &[Option<u32>],
) -> Option<usize> {
    let loads = role_loads(&out.pp, &out.schedule, deadline);
    let share = |r: usize| {
        bottlenecks
            .iter()
            .find(|(id, _)| *id == model.roles[r].id)
            .map_or(0.0, |&(_, s)| s)
    };
    (0..loads.len())
        .filter(|&r| loads[r] > 0.0)
        .filter(|&r| caps[r].is_none_or(|c| out.plan.peak(r) < c))
        .max_by(|&a, &b| {
            let score = |r: usize| loads[r] * (1.0 + share(r));
            score(a).total_cmp(&score(b)).then(b.cmp(&a))
        })
}

/// The model with the due dates of `milestones` removed, so the simulation's own search is
/// not steered by dates no team meets.
fn without_due_dates(model: &Model, milestones: &[usize]) -> Model {
    let mut out = model.clone();
    for &m in milestones {
        out.milestones[m].due = None;
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn finish(
    out: Outcome,
    months: &HireMonths,
    lower_bound: Vec<u32>,
    mut blocked: Vec<BlockedMilestone>,
    horizon: u32,
    costs: &(Vec<f64>, bool),
    floor: f64,
    on_time: Option<Vec<Option<f64>>>,
) -> Staffing {
    let roles = out.plan.team.len();
    let person_days = (0..roles)
        .map(|r| out.plan.person_days(r, months, horizon))
        .sum();
    let cost = out.plan.cost(&costs.0, months, horizon);
    let hires: Vec<PlannedHire> = out
        .plan
        .hires
        .iter()
        .enumerate()
        .flat_map(|(r, counts)| {
            counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(move |(k, &count)| PlannedHire {
                    role: r,
                    count,
                    start: months.dates[k],
                    day: months.days[k],
                })
        })
        .collect();
    let mut hires: Vec<PlannedHire> = hires;
    hires.sort_by_key(|h| (h.day, h.role));
    blocked.extend(out.blocked);
    Staffing {
        team: out.plan.team,
        hires,
        lower_bound,
        person_days,
        lower_bound_person_days: (!costs.1).then_some(floor),
        cost: costs.1.then_some(cost),
        lower_bound_cost: costs.1.then_some(floor),
        schedule: out.schedule,
        problem: out.pp,
        blocked,
        schedules: out.schedules,
        on_time,
        headcount: Headcount::default(),
        dependency_only: Vec::new(),
        late_team: None,
        role_proofs: Vec::new(),
        removals: Vec::new(),
        bound_not_asked: None,
    }
}

/// The missed milestone with the earliest deadline, skipping those no team can meet.
fn first_missed(pp: &ProgramProblem, finishes: &[u32], skip: &[usize]) -> Option<usize> {
    (0..finishes.len())
        .filter(|m| !skip.contains(m))
        .filter_map(|m| pp.deadlines[m].filter(|&d| finishes[m] > d).map(|d| (d, m)))
        .min()
        .map(|(_, m)| m)
}

/// Roles ordered by how busy the schedule keeps them before `deadline` (used / available),
/// busiest first; roles the schedule does not use at all come last.
pub fn busiest_roles(pp: &ProgramProblem, schedule: &Schedule, deadline: u32) -> Vec<usize> {
    let load = role_loads(pp, schedule, deadline);
    let mut order: Vec<usize> = (0..load.len()).collect();
    order.sort_by(|&a, &b| load[b].total_cmp(&load[a]).then(a.cmp(&b)));
    order
}

/// Per role, the share of its capacity before `deadline` that the schedule uses.
fn role_loads(pp: &ProgramProblem, schedule: &Schedule, deadline: u32) -> Vec<f64> {
    let roles = pp.capacity.len();
    let mut used = vec![0u64; roles];
    for (j, a) in pp.problem.activities.iter().enumerate().take(pp.nodes) {
        let mode = &a.modes[schedule.modes[j]];
        let s = schedule.starts[j];
        let days = u64::from((s + mode.duration).min(deadline).saturating_sub(s));
        for (r, &q) in mode.demand.iter().enumerate() {
            used[r] += days * u64::from(q);
        }
    }
    (0..roles)
        .map(|r| {
            let supply: u64 = (0..deadline)
                .map(|d| u64::from(crate::resources::units_on(&pp.capacity[r], d)))
                .sum();
            used[r] as f64 / supply.max(1) as f64
        })
        .collect()
}
