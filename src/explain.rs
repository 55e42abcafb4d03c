//! `plan explain`: why a task or milestone finishes when it does in the schedule shown, as
//! data. Its driving chain ([`crate::drivers`]) step by step from the status date, with the
//! working days each step costs (they add up to the finish), what would move it (the role
//! whose extra person pulls it in most, from [`crate::bounds::verdict::marginal`], and the link
//! or constraint that binds it), and for a milestone proven impossible its certificate.
//! `report::explain` puts it into words.

use crate::bounds::verdict::{self, Feasibility, Verdict};
use crate::bounds::Certificate;
use crate::calendar::WorkCalendar;
use crate::drivers::{chain_to, step_days, task_drivers, TaskDriver};
use crate::graph::NodeKind;
use crate::model::{Model, Scenario};
use crate::program::ProgramProblem;
use crate::schedule::{Schedule, SearchResult};
use jiff::civil::Date;

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
    /// Working days this step adds: its finish minus the previous step's (negative when a
    /// lead lets it finish before its predecessor).
    pub days: i64,
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
    /// A milestone's due date.
    pub due: Option<Date>,
    /// Working days to spare before the due date (negative: late).
    pub slack: Option<i64>,
    /// The driving chain from the status date to it; the steps' days add up to `finish`.
    pub steps: Vec<Step>,
    /// One more person of each role, most days earlier first (empty when not computed).
    pub role_gains: Vec<RoleGain>,
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
    mut role_gains: Vec<RoleGain>,
) -> Explanation {
    let schedule = &result.schedule;
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    let drivers = task_drivers(pp, &result.drivers, &mut cal);
    let chain = chain_to(&result.drivers, node);
    let days = step_days(pp, schedule, &chain);
    let steps = chain
        .iter()
        .zip(days)
        .map(|(&j, days)| {
            let start = schedule.starts[j];
            let finish = schedule.finish(&pp.problem, j).unwrap_or(start);
            Step {
                id: pp.graph.ids[j].clone(),
                name: node_name(model, pp, j),
                driver: drivers.get(j).cloned().unwrap_or(TaskDriver::StatusDate),
                start,
                finish,
                // A milestone takes no time: it is reached on the date it is due to finish.
                start_date: actual_start(model, pp, j).unwrap_or_else(|| {
                    match pp.graph.kinds.get(j) {
                        Some(NodeKind::Milestone(_)) => cal.finish_date(f64::from(finish)),
                        _ => cal.start_date(f64::from(start)),
                    }
                }),
                finish_date: actual_finish(model, pp, j)
                    .unwrap_or_else(|| cal.finish_date(f64::from(finish))),
                days,
            }
        })
        .collect();
    let finish = schedule.finish(&pp.problem, node).unwrap_or(0);
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
        due: milestone.and_then(|m| model.milestones[m].due),
        slack: deadline.map(|d| i64::from(d) - i64::from(finish)),
        steps,
        role_gains,
        certificate: milestone.and_then(|m| certificate(feasibility?, m)),
    }
}

fn certificate(feasibility: &Feasibility, milestone: usize) -> Option<Certificate> {
    match &feasibility.milestones.get(milestone)?.verdict {
        Verdict::Infeasible(certificate) => certificate.clone(),
        _ => None,
    }
}

/// The day work on task node `j` began, when the model records it: finished work and work
/// under way show their actual dates, not the status-date day the schedule holds them at.
fn actual_start(model: &Model, pp: &ProgramProblem, j: usize) -> Option<Date> {
    match pp.graph.kinds.get(j) {
        Some(NodeKind::Task(t)) => model.tasks[*t].actual_start.as_ref().map(|d| d.date),
        _ => None,
    }
}

/// The day task node `j` was finished, when the model records it.
fn actual_finish(model: &Model, pp: &ProgramProblem, j: usize) -> Option<Date> {
    match pp.graph.kinds.get(j) {
        Some(NodeKind::Task(t)) => model.tasks[*t].actual_finish.as_ref().map(|d| d.date),
        _ => None,
    }
}

fn node_name(model: &Model, pp: &ProgramProblem, node: usize) -> String {
    match pp.graph.kinds.get(node) {
        Some(NodeKind::Task(t)) => model.tasks[*t].name.clone(),
        Some(NodeKind::Milestone(m)) => model.milestones[*m].name.clone(),
        None => String::new(),
    }
}

/// One more person of each role from the start ([`verdict::marginal`]): how many working days
/// earlier node `node` finishes in the best schedule found for that team. `solve` gives a
/// team's checked schedule, as for `marginal`. One solve per role.
pub fn role_gains<E>(
    model: &Model,
    scenario: &Scenario,
    base: &Feasibility,
    base_finish: u32,
    node: usize,
    mut solve: impl FnMut(&Scenario) -> Result<(ProgramProblem, Schedule), E>,
) -> Result<Vec<RoleGain>, E> {
    let mut finishes = Vec::with_capacity(model.roles.len());
    let gains = verdict::marginal(model, scenario, base, |team| {
        let (pp, schedule) = solve(team)?;
        finishes.push(schedule.finish(&pp.problem, node).unwrap_or(base_finish));
        Ok((pp, schedule))
    })?;
    Ok(gains
        .iter()
        .zip(finishes)
        .map(|(gain, finish)| RoleGain {
            role: model.roles[gain.role].id.clone(),
            days: i64::from(base_finish) - i64::from(finish),
        })
        .collect())
}
