//! The cheapest team that meets every due date.
//!
//! Step 1, a lower bound: on the capacity relaxation with every milestone's deadline, each
//! role's headcount becomes an integer variable and the capacity of a bucket becomes
//! `headcount × working days + hires`. Roles share nothing in the relaxation, so the
//! minimum-cost team is the minimum headcount of each role on its own, whatever the costs;
//! one small MILP per role (one integer variable) finds it. No smaller team can meet the dates.
//!
//! Step 2, a team that works: schedule with that team; while a milestone is missed, add one
//! person of the role the schedule is busiest in before that milestone's due date, until every
//! date is met or the role is at its `--max` cap.

use super::solver::{self, LpOutcome};
use super::{Bucket, CapacityBound, SolverFailed};
use crate::calendar::WorkCalendar;
use crate::model::{EstimateChoice, Model, Scenario};
use crate::program::{self, ProgramProblem};
use crate::resources::{capacity_steps, peak_units, UNITS_PER_PERSON};
use crate::schedule::{check, Schedule, SearchConfig};

/// A headcount far above any real team, used to read every task's modes without filtering.
const UNLIMITED: u32 = 10_000;

/// Most people the greedy step adds before it gives up.
const MAX_ADDED: u32 = 60;

/// A milestone (model index) that no team meets by its due date, and the earliest working
/// day any team could reach it.
pub type Unreachable = (usize, u32);

/// What went wrong while staffing.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffError {
    /// The LP solver did not finish.
    Solver(String),
    /// The model cannot be scheduled at all (for example a cycle); already phrased.
    Model(String),
}

impl From<SolverFailed> for StaffError {
    fn from(e: SolverFailed) -> Self {
        StaffError::Solver(e.0)
    }
}

/// The outcome of staffing.
#[derive(Debug, Clone)]
pub struct Staffing {
    /// Headcount per role of the team found.
    pub team: Vec<u32>,
    /// The relaxation's minimum headcount per role: no team with fewer of any role meets all
    /// the dates.
    pub lower_bound: Vec<u32>,
    /// The checked schedule of `team`.
    pub schedule: Schedule,
    /// The scheduling problem of `team` (to read the schedule).
    pub problem: ProgramProblem,
    /// Milestones (model index) that no team within the caps meets, with the reason.
    pub blocked: Vec<(Option<usize>, String)>,
    /// Schedules generated over all rounds.
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
) -> Result<(CapacityBound, Vec<u32>), StaffError> {
    let big = with_team(scenario, &vec![UNLIMITED; model.roles.len()]);
    let pp = program::build(model, &big, choice).map_err(|d| StaffError::Model(d.to_string()))?;
    let extra = capacity_steps(model, &with_team(scenario, &vec![0; model.roles.len()]));
    let peaks = extra.iter().map(peak_units).collect();
    Ok((CapacityBound::new(model, &pp, &extra, bucket), peaks))
}

/// Fewest people of role `r` that any task needs at once, less what hires supply at their peak.
fn crew_floor(bound: &CapacityBound, pp_min_crew: &[u32], peak_hired: u32) -> u32 {
    let _ = bound;
    pp_min_crew
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .saturating_sub(peak_hired)
        .div_ceil(UNITS_PER_PERSON)
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
            LpOutcome::Optimal(x) => team.push(x[n].round().max(0.0) as u32),
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
}

/// The relaxation's lower-bound team for all due dates, and the milestones (model index) that
/// no team meets.
pub fn lower_bound_team(
    model: &Model,
    scenario: &Scenario,
    choice: EstimateChoice,
    bucket: Bucket,
) -> Result<LowerBound, StaffError> {
    let (bound, peaks) = hires_only_bound(model, scenario, choice, bucket)?;
    let big = with_team(scenario, &vec![UNLIMITED; model.roles.len()]);
    let pp = program::build(model, &big, choice).map_err(|d| StaffError::Model(d.to_string()))?;
    let crews = min_crews(&pp, model.roles.len());
    let floors: Vec<u32> = (0..model.roles.len())
        .map(|r| crew_floor(&bound, &crews[r], peaks[r]))
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
    let team = minimum_team(&bound, &reachable, &floors)?.unwrap_or(floors);
    Ok(LowerBound {
        team,
        unreachable,
        per_milestone,
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
    let lb = lower_bound_team(model, scenario, choice, bucket)?;
    let lower = lb.team.clone();
    let mut blocked: Vec<(Option<usize>, String)> = lb
        .unreachable
        .iter()
        .map(|&(m, _)| {
            (
                Some(m),
                "no team of any size meets it: its chain of dependent tasks is longer than the time to its due date".to_string(),
            )
        })
        .collect();
    // Dates out of reach: (milestone, earliest day) for any team, (milestone, None) within caps.
    let mut relax: Vec<(usize, Option<u32>)> =
        lb.unreachable.iter().map(|&(m, d)| (m, Some(d))).collect();
    for (m, needs) in &lb.per_milestone {
        let over = (0..needs.len()).find(|&r| caps[r].is_some_and(|c| needs[r] > c));
        if let Some(r) = over {
            blocked.push((
                Some(*m),
                format!(
                    "the capacity bound needs at least {} {} people for this date, above the cap of {}",
                    needs[r],
                    model.roles[r].id,
                    caps[r].unwrap_or(0)
                ),
            ));
            relax.push((*m, None));
        }
    }
    let impossible: Vec<usize> = relax.iter().map(|&(m, _)| m).collect();
    let mut team: Vec<u32> = lower
        .iter()
        .zip(caps)
        .map(|(&n, cap)| cap.map_or(n, |c| n.min(c)))
        .collect();
    // The search minimises the latest milestone's lateness; a date no team can meet would
    // dominate that and hide the others, so those milestones are scheduled as early as the
    // critical path allows instead of against their due dates.
    let relaxed = relax_dates(model, &relax);
    let ctx = Attempt {
        model: &relaxed,
        real: model,
        scenario,
        choice,
        config,
        skip: &impossible,
    };
    let mut schedules = 0;
    let mut added = 0;
    loop {
        let (pp, schedule, n, missed) = ctx.run(&team)?;
        schedules += n;
        let Some(m) = missed else {
            let (team, pp, schedule, n) = trim(&ctx, team, &lower, (pp, schedule))?;
            schedules += n;
            return Ok(done(team, lower, schedule, pp, blocked, schedules));
        };
        let deadline = pp.deadlines[m].unwrap_or(0);
        let busiest = busiest_roles(&pp, &schedule, deadline);
        let r = busiest[0];
        if caps[r].is_none_or(|c| team[r] < c) && added < MAX_ADDED {
            team[r] += 1;
            added += 1;
        } else {
            blocked.push((
                Some(m),
                format!(
                    "the best schedule found misses it with its busiest role, {}, at {} people",
                    ctx.real.roles[r].id, team[r]
                ),
            ));
            return Ok(done(team, lower, schedule, pp, blocked, schedules));
        }
    }
}

/// One scheduling attempt's inputs.
struct Attempt<'a> {
    /// The model with out-of-reach dates relaxed, which the search works on.
    model: &'a Model,
    /// The model as written, whose due dates the report uses.
    real: &'a Model,
    scenario: &'a Scenario,
    choice: EstimateChoice,
    config: &'a SearchConfig,
    /// Milestones no team meets, ignored when looking for misses.
    skip: &'a [usize],
}

impl Attempt<'_> {
    /// Schedules `team`; returns the problem (with the real due dates), the checked schedule,
    /// schedules generated, and the missed milestone with the earliest due date.
    fn run(
        &self,
        team: &[u32],
    ) -> Result<(ProgramProblem, Schedule, u64, Option<usize>), StaffError> {
        let sc = with_team(self.scenario, team);
        let mut pp = program::build(self.model, &sc, self.choice)
            .map_err(|d| StaffError::Model(d.to_string()))?;
        let result = pp
            .search(self.config, &[])
            .map_err(|e| StaffError::Model(format!("the scheduler rejected the model: {e}")))?;
        if !check(&pp.problem, &result.schedule).is_empty() {
            return Err(StaffError::Model(
                "internal error: a schedule failed the independent check".into(),
            ));
        }
        let finishes = pp.milestone_finishes(&result.schedule);
        let missed = first_missed(&pp, &finishes, self.skip);
        pp.deadlines = real_deadlines(self.real);
        Ok((pp, result.schedule, result.schedules, missed))
    }
}

/// Takes people away one at a time, most expensive role first, while the schedule still meets
/// every reachable date: the greedy step can overshoot when it adds to a role that was busy
/// but not the one holding the date back.
fn trim(
    ctx: &Attempt<'_>,
    mut team: Vec<u32>,
    lower: &[u32],
    best: (ProgramProblem, Schedule),
) -> Result<(Vec<u32>, ProgramProblem, Schedule, u64), StaffError> {
    let (mut pp, mut schedule) = best;
    let mut schedules = 0;
    let mut roles: Vec<usize> = (0..team.len()).collect();
    let cost = |r: usize| ctx.scenario.cost(ctx.real, r).unwrap_or(1.0);
    roles.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)).then(a.cmp(&b)));
    for r in roles {
        while team[r] > lower[r] {
            let mut fewer = team.clone();
            fewer[r] -= 1;
            let Ok((p, s, n, missed)) = ctx.run(&fewer) else {
                break;
            };
            schedules += n;
            if missed.is_some() {
                break;
            }
            (team, pp, schedule) = (fewer, p, s);
        }
    }
    Ok((team, pp, schedule, schedules))
}

/// The model with the due dates of `milestones` moved to their earliest possible day, or
/// removed (`None`) when no team within the caps reaches them.
fn relax_dates(model: &Model, milestones: &[(usize, Option<u32>)]) -> Model {
    let mut out = model.clone();
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    for &(m, day) in milestones {
        out.milestones[m].due = day.map(|d| cal.finish_date(f64::from(d)));
    }
    out
}

/// Every milestone's deadline in working days, from the model's own due dates.
fn real_deadlines(model: &Model) -> Vec<Option<u32>> {
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    model
        .milestones
        .iter()
        .map(|m| m.due.map(|d| cal.deadline(d).max(0) as u32))
        .collect()
}

fn done(
    team: Vec<u32>,
    lower_bound: Vec<u32>,
    schedule: Schedule,
    problem: ProgramProblem,
    blocked: Vec<(Option<usize>, String)>,
    schedules: u64,
) -> Staffing {
    Staffing {
        team,
        lower_bound,
        schedule,
        problem,
        blocked,
        schedules,
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
    let supply: Vec<u64> = (0..roles)
        .map(|r| {
            (0..deadline)
                .map(|d| u64::from(crate::resources::units_on(&pp.capacity[r], d)))
                .sum()
        })
        .collect();
    let mut order: Vec<usize> = (0..roles).collect();
    let load = |r: usize| used[r] as f64 / (supply[r].max(1)) as f64;
    order.sort_by(|&a, &b| load(b).total_cmp(&load(a)).then(a.cmp(&b)));
    order
}
