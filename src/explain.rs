//! `plan explain`: why a task or milestone finishes when it does in the schedule shown, as
//! data. Its driving chain ([`crate::drivers`]) step by step from the status date, with the
//! working days each step costs (they add up to the finish), what would move it (the role
//! whose extra person pulls it in most, as in [`crate::bounds::verdict::marginal`] but only for
//! the roles its chain needs, each search warm-started from the schedule explained; and the
//! link or constraint that binds it), and for a milestone proven impossible its certificate.
//! `report::explain` puts it into words.

use crate::bounds::staff::with_team;
use crate::bounds::verdict::{verdicts_of_schedule, BoundRun, Feasibility, Verdict};
use crate::bounds::{Bucket, CapacityBound, Certificate};
use crate::drivers::{chain_to, step_days, task_drivers, TaskDriver};
use crate::graph::NodeKind;
use crate::model::{Model, Scenario};
use crate::program::ProgramProblem;
use crate::schedule::{Schedule, SearchResult, Solution};
use jiff::civil::Date;
use serde::Serialize;

/// One step of a driving chain: a task (or milestone), what started it, and the working days
/// from the previous step's finish (the status date for the first) to its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What fixed its start.
    pub driver: TaskDriver,
    /// Start, working days from the status date.
    pub start: u32,
    /// Finish, working days from the status date.
    pub finish: u32,
    /// Date of its first working day.
    pub start_date: Date,
    /// Date of its last working day (the date reached, for a milestone).
    pub finish_date: Date,
    /// How far a task had got at the status date (`None` for a milestone).
    pub progress: Option<Progress>,
    /// The task's recorded finish (`actual_finish`), when it has one.
    pub actual_finish: Option<Date>,
    /// Working days this step adds: its finish minus the previous step's (negative when a
    /// lead lets it finish before its predecessor). With role or task calendars these are
    /// days of the schedule's grid (days any calendar works).
    pub days: i64,
    /// The days it works in the schedule: its duration in its own working days (the days
    /// off its calendar inside its span do not count).
    pub work_days: u32,
    /// With role or task calendars, the calendars whose working days it keeps: its own (or
    /// `project`, the `[calendar]`) and its roles' own; empty without them.
    pub calendars: Vec<String>,
}

/// How far a task had got at the status date, from its `done`, `remaining` and actual dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// No work done: its driver says why it starts when it does.
    NotStarted,
    /// Begun, not finished: it started on its actual start (or before the status date), and
    /// its driver says when the rest of its work goes on.
    UnderWay,
    /// All done: its dates are in the past and nothing before it moves it.
    Finished,
}

/// Working days one more person of a role from the start moves the explained finish.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleGain {
    /// The role's id.
    pub role: String,
    /// Working days earlier (negative: later, as a heuristic search can land).
    pub days: i64,
}

/// Why one task or milestone finishes when it does.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The explained id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it is a milestone (else a task).
    pub milestone: bool,
    /// Its finish, working days from the status date.
    pub finish: u32,
    /// The date it finishes (is reached).
    pub finish_date: Date,
    /// The status date: day 0.
    pub status_date: Date,
    /// The status date's working day, counted from the project start.
    pub status_day: u32,
    /// A milestone's due date.
    pub due: Option<Date>,
    /// Working days to spare before the due date (negative: late).
    pub slack: Option<i64>,
    /// The driving chain from the status date to it; the steps' days add up to `finish`.
    pub steps: Vec<Step>,
    /// One more person of each role tried, most days earlier first (empty when not computed).
    pub role_gains: Vec<RoleGain>,
    /// Which roles were tried for `role_gains`, and with what budget.
    pub role_search: RoleSearch,
    /// The certificate that no schedule meets the milestone's due date, when proven.
    pub certificate: Option<Certificate>,
}

impl Explanation {
    /// What binds the explained task directly: its own driver.
    pub fn binding(&self) -> Option<&TaskDriver> {
        self.steps.last().map(|s| &s.driver)
    }

    /// The role whose extra person pulls it in most, if any pulls it in at all.
    pub fn best_role(&self) -> Option<&RoleGain> {
        self.role_gains.first().filter(|g| g.days > 0)
    }

    /// The working days of the steps, summed: the finish (see [`Step::days`]).
    pub fn total_days(&self) -> i64 {
        self.steps.iter().map(|s| s.days).sum()
    }
}

/// The graph node of `id`, a task or milestone of `pp`.
pub fn node_of(pp: &ProgramProblem, id: &str) -> Option<usize> {
    pp.graph.node(id)
}

/// Explains node `node` of `pp` in the checked schedule `result` (its drivers recorded by the
/// search): the driving chain with each step's days, the certificate if `feasibility` proves
/// its due date impossible, and `role_gains` as given (see [`role_gains`]).
pub fn explain(
    model: &Model,
    pp: &ProgramProblem,
    result: &SearchResult,
    node: usize,
    feasibility: Option<&Feasibility>,
    role_gains: RoleGains,
) -> Explanation {
    let RoleGains {
        gains: mut role_gains,
        search: role_search,
    } = role_gains;
    let schedule = &result.schedule;
    let mut cal = model.work_calendar();
    let drivers = task_drivers(pp, &result.drivers, &mut cal);
    let chain = chain_to(&result.drivers, node);
    let days = step_days(pp, schedule, &chain);
    let steps = chain
        .iter()
        .zip(days)
        .map(|(&j, days)| {
            let start = schedule.starts[j];
            let finish = pp.finish_of(schedule, j).unwrap_or(start);
            Step {
                id: pp.graph.ids[j].clone(),
                name: node_name(model, pp, j),
                driver: drivers.get(j).cloned().unwrap_or(TaskDriver::StatusDate),
                start,
                finish,
                // A milestone, or a task with no work left, takes no time: it is reached on
                // the date it finishes, not on the next working day with its finish before.
                start_date: actual_start(model, pp, j).unwrap_or_else(|| {
                    if finish == start {
                        cal.finish_date(f64::from(finish))
                    } else {
                        cal.start_date(f64::from(start))
                    }
                }),
                finish_date: actual_finish(model, pp, j)
                    .unwrap_or_else(|| cal.finish_date(f64::from(finish))),
                progress: progress(model, pp, j),
                actual_finish: actual_finish(model, pp, j),
                days,
                work_days: schedule
                    .finish(&pp.problem, j)
                    .map_or(0, |f| f.saturating_sub(start)),
                calendars: calendar_names(model, pp, j),
            }
        })
        .collect();
    let finish = pp.finish_of(schedule, node).unwrap_or(0);
    let milestone = match pp.graph.kinds.get(node) {
        Some(NodeKind::Milestone(m)) => Some(*m),
        _ => None,
    };
    let deadline = milestone.and_then(|m| pp.deadlines[m]);
    role_gains.sort_by_key(|g| std::cmp::Reverse(g.days));
    Explanation {
        id: pp.graph.ids[node].clone(),
        name: node_name(model, pp, node),
        milestone: milestone.is_some(),
        finish,
        finish_date: cal.finish_date(f64::from(finish)),
        status_date: model.project.status_date,
        status_day: crate::drivers::status_day(pp),
        due: milestone.and_then(|m| model.milestones[m].due),
        slack: deadline.map(|d| i64::from(d) - i64::from(finish)),
        steps,
        role_gains,
        role_search,
        certificate: milestone.and_then(|m| certificate(feasibility?, m)),
    }
}

fn certificate(feasibility: &Feasibility, milestone: usize) -> Option<Certificate> {
    match &feasibility.milestones.get(milestone)?.verdict {
        Verdict::Infeasible(certificate) => certificate.clone(),
        _ => None,
    }
}

/// The verdicts behind milestone `milestone`'s certificate on a program too large for the
/// capacity bound's LPs (dozens per milestone, minutes with thousands of tasks): the bound is
/// built and asked only whether the precedence pass or an energy window proves the due date
/// impossible, which is plain arithmetic ([`CapacityBound::certificate`], re-checked). A date
/// so proven is `infeasible` with its certificate; otherwise every verdict is the schedule's,
/// with the bound not asked for the reason `why` (the earliest day the LPs allow is
/// `plan feasibility`'s to find). Other milestones are judged by the schedule alone.
///
/// Costs building the bound and one pass of its windows: linear in tasks times buckets.
pub fn verdicts_by_certificate(
    model: &Model,
    pp: &ProgramProblem,
    schedule: &Schedule,
    bucket: Bucket,
    milestone: usize,
    why: &str,
) -> Feasibility {
    let mut feasibility = verdicts_of_schedule(pp, schedule, why);
    let Some(verdict) = feasibility.milestones.get_mut(milestone) else {
        return feasibility;
    };
    let (Some(deadline), Verdict::Missed) = (verdict.deadline, &verdict.verdict) else {
        return feasibility;
    };
    let started = std::time::Instant::now();
    let bound = CapacityBound::new(model, pp, &pp.capacity, bucket);
    if let Some(certificate) = bound.certificate(milestone, deadline) {
        verdict.verdict = Verdict::Infeasible(Some(certificate));
        // The report words a certificate against the bound it was found in.
        feasibility.bound = BoundRun::Solved {
            bound: Box::new(bound),
            bucket,
            seconds: started.elapsed().as_secs_f64(),
        };
    }
    feasibility
}

/// The day work on task node `j` began, when the model records it: finished work and work
/// under way show their actual dates, not the status-date day the schedule holds them at.
fn actual_start(model: &Model, pp: &ProgramProblem, j: usize) -> Option<Date> {
    match pp.graph.kinds.get(j) {
        Some(NodeKind::Task(t)) => model.tasks[*t].actual_start.as_ref().map(|d| d.date),
        _ => None,
    }
}

/// How far task node `j` had got at the status date; `None` for a milestone.
fn progress(model: &Model, pp: &ProgramProblem, j: usize) -> Option<Progress> {
    let Some(NodeKind::Task(t)) = pp.graph.kinds.get(j) else {
        return None;
    };
    let task = &model.tasks[*t];
    Some(
        if task.actual_finish.is_some() || task.done >= 1.0 || task.remaining == Some(0.0) {
            Progress::Finished
        } else if task.actual_start.is_some() || task.done > 0.0 {
            Progress::UnderWay
        } else {
            Progress::NotStarted
        },
    )
}

/// The day task node `j` was finished, when the model records it.
fn actual_finish(model: &Model, pp: &ProgramProblem, j: usize) -> Option<Date> {
    match pp.graph.kinds.get(j) {
        Some(NodeKind::Task(t)) => model.tasks[*t].actual_finish.as_ref().map(|d| d.date),
        _ => None,
    }
}

/// The calendars task node `j` works on, when the model has role or task calendars: its own
/// (`project` for the `[calendar]`), then each of its roles' own, each once.
fn calendar_names(model: &Model, pp: &ProgramProblem, j: usize) -> Vec<String> {
    let Some(NodeKind::Task(t)) = pp.graph.kinds.get(j) else {
        return Vec::new();
    };
    if !model.uses_calendars() {
        return Vec::new();
    }
    let task = &model.tasks[*t];
    let own = task
        .calendar
        .as_ref()
        .map_or_else(|| "project".to_string(), |c| c.id.clone());
    let roles = Model::task_roles(task)
        .into_iter()
        .filter_map(|r| model.roles[r].calendar.as_ref().map(|c| c.id.clone()));
    let mut names = vec![own];
    for name in roles {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn node_name(model: &Model, pp: &ProgramProblem, node: usize) -> String {
    match pp.graph.kinds.get(node) {
        Some(NodeKind::Task(t)) => model.tasks[*t].name.clone(),
        Some(NodeKind::Milestone(m)) => model.milestones[*m].name.clone(),
        None => String::new(),
    }
}

/// The roles the driving chain of `node` works with or waits for, in role order: those its
/// steps need in their scheduled crews (a capacity driver's role is one of them). One more
/// person of another role changes no step of the chain directly, so [`role_gains`] only
/// tries these.
pub fn chain_roles(pp: &ProgramProblem, result: &SearchResult, node: usize) -> Vec<usize> {
    let chain = chain_to(&result.drivers, node);
    let roles = pp.problem.resources.len();
    (0..roles)
        .filter(|&r| {
            chain.iter().any(|&j| {
                let mode = &pp.problem.activities[j].modes[result.schedule.modes[j]];
                mode.demand.get(r).is_some_and(|&q| q > 0)
            })
        })
        .collect()
}

/// The list and crews of `base`'s best schedule as a warm start for `other`, the same model
/// with another team: each activity keeps its place in the list and the mode of the same crew
/// (people per role) in `other`, or `other`'s first mode when that crew is not one of its
/// modes. `None` when the two do not have the same activities.
pub fn warm_start(
    base: &ProgramProblem,
    result: &SearchResult,
    other: &ProgramProblem,
) -> Option<Solution> {
    let n = base.problem.activities.len();
    if other.problem.activities.len() != n || result.solution.modes.len() != n {
        return None;
    }
    let modes = (0..n)
        .map(|j| {
            let m = result.solution.modes[j];
            let crew = base.crews.get(j).and_then(|c| c.get(m));
            let same = other
                .crews
                .get(j)
                .and_then(|crews| crews.iter().position(|c| Some(c) == crew));
            match same {
                Some(k) => k,
                None if crew.is_none() && m < other.problem.activities[j].modes.len() => m,
                None => 0,
            }
        })
        .collect();
    Some(Solution {
        order: result.solution.order.clone(),
        modes,
    })
}

/// What [`role_gains`] tried: which roles got one more person, which were left out as off
/// the chain, and the budget of each of their searches.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoleSearch {
    /// Role ids tried, in role order.
    pub tried: Vec<String>,
    /// Role ids not tried: no step of the chain needs them.
    pub skipped: Vec<String>,
    /// Budget of each role's search in generated schedules.
    pub schedules: u64,
    /// Wall-clock seconds the role searches shared, when the run has a time limit.
    pub seconds: Option<f64>,
}

/// The role gains of one explanation and what was tried to find them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoleGains {
    /// One more person of each role tried: working days earlier.
    pub gains: Vec<RoleGain>,
    /// What was tried.
    pub search: RoleSearch,
}

/// One more person of each role in `roles` from the start (the schedule half of
/// [`crate::bounds::verdict::marginal`], restricted to the roles [`chain_roles`] names): how many working
/// days earlier node `node` finishes in the best schedule `solve` finds for that team.
/// `search` says what the caller gave each solve; one solve per role tried.
pub fn role_gains<E>(
    model: &Model,
    scenario: &Scenario,
    roles: &[usize],
    base_finish: u32,
    node: usize,
    search: RoleSearch,
    mut solve: impl FnMut(&Scenario) -> Result<(ProgramProblem, Schedule), E>,
) -> Result<RoleGains, E> {
    let mut gains = Vec::with_capacity(roles.len());
    for &role in roles.iter().filter(|&&r| r < model.roles.len()) {
        let mut team = scenario.team.clone();
        team[role] += 1;
        let (pp, schedule) = solve(&with_team(scenario, &team))?;
        let finish = pp.finish_of(&schedule, node).unwrap_or(base_finish);
        gains.push(RoleGain {
            role: model.roles[role].id.clone(),
            days: i64::from(base_finish) - i64::from(finish),
        });
    }
    let id = |r: usize| model.roles[r].id.clone();
    let search = RoleSearch {
        tried: roles
            .iter()
            .copied()
            .filter(|&r| r < model.roles.len())
            .map(id)
            .collect(),
        skipped: (0..model.roles.len())
            .filter(|r| !roles.contains(r))
            .map(id)
            .collect(),
        ..search
    };
    Ok(RoleGains { gains, search })
}
