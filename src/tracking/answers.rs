//! What one version of a plan answers: the critical path, each milestone's CPM date,
//! scheduled date and verdict (with a team), and its P50/P80 and chance on time (with a
//! simulation). Diffs, trends and baselines compare these values between versions.

use crate::bounds::verdict;
use crate::bounds::Bucket;
use crate::calendar::Calendar;
use crate::cpm::{analyze_program, model_clock, ProgramCpm, SameDays, WorkTime};
use crate::drivers::TaskDriver;
use crate::error::Diagnostics;
use crate::graph::NodeKind;
use crate::model::{EstimateChoice, Model, Program, Scenario};
use crate::program::ProgramProblem;
use crate::report::feasibility::VerdictLabel;
use crate::schedule::{SearchConfig, SearchFailure};
use crate::simulate::{simulate, SimConfig, SimError, SimResult};
use crate::timeline::{self, serialize_date, serialize_opt_date, DatedSchedule};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicBool;
use thiserror::Error;

/// What to compute for a version of the plan.
#[derive(Debug, Clone)]
pub struct AnswerSettings {
    /// The estimate of the CPM pass and the schedule.
    pub estimate: EstimateChoice,
    /// The schedule search (used only with a team).
    pub search: SearchConfig,
    /// The simulation, if any: its iterations and seed; `resources` is set from whether a
    /// team is given, and a team's `[simulation]` table overrides distribution and correlation.
    pub simulation: Option<SimConfig>,
    /// Also give each milestone its verdict (capacity bound); only with a team.
    pub verdicts: bool,
}

/// Why a version of the plan could not be answered.
#[derive(Debug, Error)]
pub enum AnswerError {
    /// The model and team cannot be scheduled (a task nobody can staff).
    #[error("{0}")]
    Input(Diagnostics),
    /// The schedule search failed.
    #[error("{0}")]
    Search(SearchFailure),
    /// The simulation refused its settings or the model.
    #[error("{0}")]
    Simulation(String),
    /// Stopped by the cancel flag.
    #[error("interrupted")]
    Cancelled,
    /// The schedule fails the check against the model's role and task calendars: a bug in
    /// plan.
    #[error("the schedule fails the calendar check: {0}")]
    Unsound(String),
}

/// A task's or milestone's dates in one version of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDates {
    /// Task or milestone id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// First working day (a milestone's is its finish).
    #[serde(serialize_with = "serialize_date")]
    pub start: Date,
    /// Last working day (the day a milestone is reached).
    #[serde(serialize_with = "serialize_date")]
    pub finish: Date,
}

/// One milestone's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneAnswer {
    /// Milestone id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Due date, if promised.
    #[serde(serialize_with = "serialize_opt_date")]
    pub due: Option<Date>,
    /// Its date on the critical path with unlimited people.
    #[serde(serialize_with = "serialize_date")]
    pub cpm_finish: Date,
    /// Its date in the team's checked schedule (with a team).
    #[serde(serialize_with = "serialize_opt_date")]
    pub scheduled: Option<Date>,
    /// Its verdict for the team (with a team and verdicts asked for).
    pub verdict: Option<VerdictLabel>,
    /// Simulated 50th percentile date (with a simulation).
    #[serde(serialize_with = "serialize_opt_date")]
    pub p50: Option<Date>,
    /// Simulated 80th percentile date (with a simulation).
    #[serde(serialize_with = "serialize_opt_date")]
    pub p80: Option<Date>,
    /// Simulated chance of meeting the due date (with a simulation and a due date).
    pub on_time: Option<f64>,
}

/// Where a task or milestone sits in a version's checked schedule, and what fixed its start:
/// what [`super::trace`] follows back from a milestone that moved.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Task or milestone id.
    pub id: String,
    /// First working day (a milestone's, or a task's that takes no time, is its finish).
    pub start: Date,
    /// Last working day (the day a milestone is reached).
    pub finish: Date,
    /// True when it takes working days in the schedule (false for milestones and work done).
    pub works: bool,
    /// What fixed its start in the schedule.
    pub driver: TaskDriver,
    /// Its crew in the schedule: people per role id (empty in a CPM pass).
    pub crew: BTreeMap<String, u32>,
    /// A milestone's driving chain of ids, from the first task to it (empty for tasks).
    pub chain: Vec<String>,
    /// The working days the task would take with each crew the schedule could give it
    /// (people per role id, days; on a model with role and task calendars, days of its own
    /// `work_days`); empty in a CPM pass.
    pub crew_days: Vec<(BTreeMap<String, u32>, u32)>,
    /// The days the task works (its own calendar's and its roles'), on a model with role and
    /// task calendars, where `crew_days` count those days; `None` otherwise, for milestones
    /// and in a CPM pass.
    pub work_days: Option<Calendar>,
}

impl Placed {
    /// The working days it would take with `crew`, when the schedule could give it that crew.
    pub fn days_with(&self, crew: &BTreeMap<String, u32>) -> Option<u32> {
        self.crew_days
            .iter()
            .find(|(c, _)| c == crew)
            .map(|&(_, d)| d)
    }
}

/// Every task and milestone of a checked schedule, placed; `crew_days` gives each task's
/// days per crew, in task order.
fn placed(
    model: &Model,
    schedule: &DatedSchedule,
    crew_days: Vec<Vec<(BTreeMap<String, u32>, u32)>>,
) -> Vec<Placed> {
    let mut crew_days = crew_days.into_iter();
    let own: HashMap<&str, &crate::model::Task> = model
        .tasks
        .iter()
        .filter(|_| model.uses_calendars())
        .map(|t| (t.id.as_str(), t))
        .collect();
    let tasks = schedule.tasks.iter().map(|t| Placed {
        work_days: own
            .get(t.id.as_str())
            .map(|task| model.task_work_days(task)),
        id: t.id.clone(),
        start: t.start_date,
        finish: t.finish_date,
        works: t.finish > t.start,
        driver: t.driver.clone(),
        crew: t.crew.clone(),
        chain: Vec::new(),
        crew_days: crew_days.next().unwrap_or_default(),
    });
    let milestones = schedule.milestones.iter().map(|m| Placed {
        id: m.id.clone(),
        start: m.finish_date,
        finish: m.finish_date,
        works: false,
        driver: m.driver.clone(),
        crew: BTreeMap::new(),
        chain: m.driving_chain.clone(),
        crew_days: Vec::new(),
        work_days: None,
    });
    tasks.chain(milestones).collect()
}

/// The predecessor whose link gives exactly each node's early start in a CPM pass, with the
/// link; `None` where no link does (the status date or a date constraint holds it). `clock`
/// counts each node's working time: a link's lag and the start it asks count on the
/// successor's own days, as the pass counted them.
fn cpm_drivers<K: WorkTime>(
    result: &ProgramCpm,
    clock: &K,
) -> Vec<Option<(usize, crate::graph::LinkType, f64)>> {
    let g = &result.graph.graph;
    let cpm = &result.cpm;
    (0..g.len())
        .map(|j| {
            let start = clock.count(j, cpm.early_start[j]);
            g.preds(j)
                .iter()
                .zip(g.pred_types(j))
                .find(|((p, lag), kind)| {
                    let allowed = kind.earliest_start(
                        clock.count(j, cpm.early_start[*p]),
                        clock.count(j, cpm.early_finish[*p]),
                        *lag,
                        result.durations[j],
                    );
                    (allowed - start).abs() < 1e-6
                })
                .map(|(&(p, lag), &kind)| (p, kind, lag))
        })
        .collect()
}

/// Each node's driving link in `model`'s CPM pass: on the project calendar's working days, or
/// with role and task calendars on each task's own days (the clock the calendar pass ran on).
fn model_cpm_drivers(
    model: &Model,
    result: &ProgramCpm,
) -> Vec<Option<(usize, crate::graph::LinkType, f64)>> {
    if model.uses_calendars() {
        let (clock, _) = model_clock(model, &result.graph, &result.durations, &result.windows);
        cpm_drivers(result, &clock)
    } else {
        cpm_drivers(result, &SameDays)
    }
}

/// Every task and milestone of a CPM pass, placed, with each milestone's driving chain of
/// links back to the first task the status date (or a constraint) holds.
fn cpm_placed(model: &Model, result: &ProgramCpm) -> Vec<Placed> {
    let (tasks, milestones) = cpm_dates(model, result);
    let drivers = model_cpm_drivers(model, result);
    let ids = &result.graph.ids;
    let chain = |node: usize| {
        let mut chain = vec![ids[node].clone()];
        let mut current = node;
        // Every link goes to an earlier node of the acyclic graph; the bound is for safety.
        while let Some((p, _, _)) = drivers[current] {
            if chain.len() > drivers.len() {
                break;
            }
            chain.push(ids[p].clone());
            current = p;
        }
        chain.reverse();
        chain
    };
    let driver = |node: usize| match drivers[node] {
        Some((p, link_type, lag)) => TaskDriver::Link {
            predecessor: ids[p].clone(),
            link_type,
            lag: lag.ceil() as i32,
        },
        None => TaskDriver::StatusDate,
    };
    result
        .graph
        .kinds
        .iter()
        .enumerate()
        .map(|(node, kind)| {
            let (dates, chain) = match *kind {
                NodeKind::Task(t) => (&tasks[t], Vec::new()),
                NodeKind::Milestone(m) => (&milestones[m], chain(node)),
            };
            Placed {
                id: dates.id.clone(),
                start: dates.start,
                finish: dates.finish,
                works: matches!(kind, NodeKind::Task(_)) && result.durations[node] > 0.0,
                driver: driver(node),
                crew: BTreeMap::new(),
                chain,
                crew_days: Vec::new(),
                work_days: None,
            }
        })
        .collect()
}

/// Everything one version of the plan answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answers {
    /// The status date (`project.start`).
    #[serde(serialize_with = "serialize_date")]
    pub status_date: Date,
    /// Scenario name, with a team.
    pub scenario: Option<String>,
    /// Ids along the critical path, first to last.
    pub critical_path: Vec<String>,
    /// Milestones in model order.
    pub milestones: Vec<MilestoneAnswer>,
    /// Every task's dates: the team's schedule with a team, else the CPM early dates.
    pub tasks: Vec<ItemDates>,
    /// Every task and milestone of the team's checked schedule with its driver (empty without
    /// a team); not serialized.
    #[serde(skip)]
    pub placed: Vec<Placed>,
    /// Every task and milestone of the CPM pass with its driving link; not serialized.
    #[serde(skip)]
    pub cpm_placed: Vec<Placed>,
}

impl Answers {
    /// The milestone with this id.
    pub fn milestone(&self, id: &str) -> Option<&MilestoneAnswer> {
        self.milestones.iter().find(|m| m.id == id)
    }

    /// Every milestone's date as a baseline freezes it: scheduled with a team, else CPM.
    pub fn milestone_dates(&self) -> Vec<ItemDates> {
        self.milestones
            .iter()
            .map(|m| {
                let day = m.scheduled.unwrap_or(m.cpm_finish);
                ItemDates {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    start: day,
                    finish: day,
                }
            })
            .collect()
    }
}

/// Every task's and milestone's early dates of a CPM pass, as dates (its times count the days
/// of the schedule's grid: the project calendar's working days, or with role and task
/// calendars the days anyone works).
pub fn cpm_dates(model: &Model, result: &ProgramCpm) -> (Vec<ItemDates>, Vec<ItemDates>) {
    let mut cal = model.work_calendar();
    let (mut tasks, mut milestones) = (Vec::new(), Vec::new());
    for (node, kind) in result.graph.kinds.iter().enumerate() {
        let (start, finish) = (result.cpm.early_start[node], result.cpm.early_finish[node]);
        let (id, name, list) = match *kind {
            NodeKind::Task(t) => (&model.tasks[t].id, &model.tasks[t].name, &mut tasks),
            NodeKind::Milestone(m) => (
                &model.milestones[m].id,
                &model.milestones[m].name,
                &mut milestones,
            ),
        };
        let finish_date = cal.finish_date(finish);
        let start_date = match kind {
            NodeKind::Task(_) if finish > start => cal.start_date(start),
            _ => finish_date,
        };
        list.push(ItemDates {
            id: id.clone(),
            name: name.clone(),
            start: start_date,
            finish: finish_date,
        });
    }
    (tasks, milestones)
}

/// Every task's and milestone's dates in a checked schedule.
pub fn schedule_dates(schedule: &DatedSchedule) -> (Vec<ItemDates>, Vec<ItemDates>) {
    let tasks = schedule
        .tasks
        .iter()
        .map(|t| ItemDates {
            id: t.id.clone(),
            name: t.name.clone(),
            start: if t.finish > t.start {
                t.start_date
            } else {
                t.finish_date
            },
            finish: t.finish_date,
        })
        .collect();
    let milestones = schedule
        .milestones
        .iter()
        .map(|m| ItemDates {
            id: m.id.clone(),
            name: m.name.clone(),
            start: m.finish_date,
            finish: m.finish_date,
        })
        .collect();
    (tasks, milestones)
}

/// A team's checked schedule as dates, its verdicts when asked for, and each task's days per
/// crew.
struct Scheduled {
    dated: DatedSchedule,
    verdicts: Option<Vec<VerdictLabel>>,
    crew_days: Vec<Vec<(BTreeMap<String, u32>, u32)>>,
}

/// Each task's working days per crew it may run with (its modes), in task order; on a model
/// with role and task calendars, days the task itself works ([`Placed::work_days`]).
fn crew_days(model: &Model, pp: &ProgramProblem) -> Vec<Vec<(BTreeMap<String, u32>, u32)>> {
    pp.graph
        .kinds
        .iter()
        .enumerate()
        .filter(|(_, kind)| matches!(kind, NodeKind::Task(_)))
        .map(|(node, _)| {
            let modes = &pp.problem.activities[node].modes;
            pp.crews[node]
                .iter()
                .zip(modes)
                .map(|(crew, mode)| {
                    let people = crew
                        .iter()
                        .enumerate()
                        .filter(|(_, &n)| n > 0)
                        .map(|(r, &n)| (model.roles[r].id.clone(), n))
                        .collect();
                    (people, mode.duration)
                })
                .collect()
        })
        .collect()
}

fn schedule_team(
    program: &Program,
    scenario: &Scenario,
    settings: &AnswerSettings,
) -> Result<Scheduled, AnswerError> {
    let model = &program.model;
    let pp = crate::program::build_for(program, scenario, settings.estimate)
        .map_err(AnswerError::Input)?;
    let result = pp
        .search(&settings.search, &[])
        .map_err(AnswerError::Search)?;
    if model.uses_calendars() {
        if let Some(v) = timeline::check_calendars(model, &pp, &result.schedule).first() {
            return Err(AnswerError::Unsound(v.to_string()));
        }
    }
    let dated = timeline::build(model, &scenario.name, &pp, &result);
    let verdicts = settings.verdicts.then(|| {
        verdict::verdicts(model, &pp, &result.schedule, Bucket::Week)
            .milestones
            .iter()
            .map(|v| VerdictLabel::of(&v.verdict))
            .collect()
    });
    let crew_days = crew_days(model, &pp);
    Ok(Scheduled {
        dated,
        verdicts,
        crew_days,
    })
}

fn simulation_error(e: SimError) -> AnswerError {
    match e {
        SimError::Cancelled => AnswerError::Cancelled,
        SimError::Input(d) => AnswerError::Input(d),
        SimError::Search(s) => AnswerError::Search(s),
        other @ SimError::Config(_) => AnswerError::Simulation(other.to_string()),
    }
}

/// Simulates one version of the plan with `config`'s iterations and seed: with the team's
/// resources when a team is given (else precedence-only), with the distribution and
/// correlation of that team's `[simulation]` table where it has them.
pub fn simulate_version(
    model: &Model,
    scenario: Option<&Scenario>,
    config: &SimConfig,
    cancel: &AtomicBool,
) -> Result<SimResult, AnswerError> {
    let empty = Scenario::empty(model);
    let team = scenario.unwrap_or(&empty);
    // The distribution and correlation belong to the version (its team's `[simulation]`
    // table); iterations and seed to the comparison.
    let config = SimConfig {
        resources: scenario.is_some(),
        distribution: team.simulation.distribution.unwrap_or(config.distribution),
        correlation: team.simulation.correlation.unwrap_or(config.correlation),
        ..config.clone()
    };
    simulate(model, team, &config, cancel, &mut |_| {}).map_err(simulation_error)
}

/// Answers one version of the plan: the CPM pass always, the team's schedule (and verdicts)
/// with a scenario, the simulation when `settings` ask for one (precedence-only without a
/// team). The CPM pass and the schedule share the program's validated graph. Runs on the
/// current rayon pool; `cancel` stops the simulation.
pub fn answers(
    program: &Program,
    scenario: Option<&Scenario>,
    settings: &AnswerSettings,
    cancel: &AtomicBool,
) -> Result<Answers, AnswerError> {
    let model = &program.model;
    let cpm = analyze_program(program, settings.estimate);
    let (cpm_tasks, cpm_milestones) = cpm_dates(model, &cpm);
    let scheduled = scenario
        .map(|s| schedule_team(program, s, settings))
        .transpose()?;
    let simulated = settings
        .simulation
        .as_ref()
        .map(|config| simulate_version(model, scenario, config, cancel))
        .transpose()?;
    let milestones = model
        .milestones
        .iter()
        .enumerate()
        .map(|(m, ms)| MilestoneAnswer {
            id: ms.id.clone(),
            name: ms.name.clone(),
            due: ms.due,
            cpm_finish: cpm_milestones[m].finish,
            scheduled: scheduled
                .as_ref()
                .map(|s| s.dated.milestones[m].finish_date),
            verdict: scheduled
                .as_ref()
                .and_then(|s| s.verdicts.as_ref().map(|v| v[m])),
            p50: simulated.as_ref().map(|r| r.milestones[m].dates[0]),
            p80: simulated.as_ref().map(|r| r.milestones[m].dates[1]),
            on_time: simulated
                .as_ref()
                .and_then(|r| r.milestones[m].probability_on_time),
        })
        .collect();
    let tasks = match &scheduled {
        Some(s) => schedule_dates(&s.dated).0,
        None => cpm_tasks,
    };
    let placed = scheduled.map_or_else(Vec::new, |s| placed(model, &s.dated, s.crew_days));
    let cpm_placed = cpm_placed(model, &cpm);
    Ok(Answers {
        status_date: super::status_date(model),
        scenario: scenario.map(|s| s.name.clone()),
        critical_path: cpm
            .cpm
            .critical_path
            .iter()
            .map(|&i| cpm.graph.ids[i].clone())
            .collect(),
        milestones,
        tasks,
        placed,
        cpm_placed,
    })
}
