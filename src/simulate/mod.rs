//! Monte Carlo simulation of a program: how likely each milestone is to be met when durations
//! follow their three-point estimates and risks strike with their probabilities.
//!
//! Each iteration samples durations and risk events ([`sample`]), then dates the work
//! ([`engine`]): with the scenario's team (one serial schedule-generation pass over the activity
//! list and crews of the best deterministic schedule, so an iteration costs one pass) or
//! precedence-only. Iterations run on rayon in fixed chunks; iteration `i`'s random stream
//! depends on `(seed, i)` only and chunks are merged in order ([`stats`]), so results are
//! bit-identical on any number of threads. See `docs/simulation.md` for the methods.

pub mod distribution;
pub mod engine;
pub mod kernel;
pub mod sample;
mod settings;
pub mod stats;

pub use settings::{SimConfig, DEFAULT_CORRELATION, DEFAULT_ITERATIONS, DEFAULT_SEED};

use crate::calendar::WorkCalendar;
use crate::error::Diagnostics;
use crate::graph::{NodeKind, ProgramGraph};
use crate::model::{EstimateChoice, Model, Program, Scenario};
use crate::program::{CalendarGrid, ProgramProblem};
use crate::resources::UNITS_PER_PERSON;
use crate::schedule::calendars::Pass;
use crate::schedule::{Activity, Mode, Problem, SearchConfig, SearchFailure, SearchResult};
use distribution::SamplerFactory;
use engine::{CalendarNet, Link, Profile, ResourceNet};
use jiff::civil::Date;
use kernel::PrecedenceKernel;
use rayon::prelude::*;
use sample::{Draws, DurationModel, SamplePlan};
use stats::{sensitivity_rows, Accumulator, ChunkOut, Histogram, Percentiles, Summary};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Iterations per chunk: the unit of parallel work and of deterministic merging.
const CHUNK: u64 = 256;
/// Chunks run between two merges (and progress updates).
const CHUNKS_PER_BLOCK: u64 = 32;
/// Search budget (generated schedules) of the deterministic schedule, as `plan schedule`'s default.
const DETERMINISTIC_BUDGET: u64 = 20_000;
/// Task drivers kept per milestone: the strongest (the forecast shows three). Keeping every
/// task for every milestone would hold tasks × milestones figures (10 million at 100k tasks).
pub const TASK_DRIVERS: usize = 10;
/// Most iterations a run accepts (about a day of work for the FANZ model on 2 cores).
pub const MAX_ITERATIONS: u64 = 1_000_000_000;

/// Why a simulation did not produce a result.
#[derive(Debug)]
pub enum SimError {
    /// The model and scenario cannot be scheduled (for example a task no team could staff).
    Input(Diagnostics),
    /// A setting out of range, phrased for the user.
    Config(String),
    /// The deterministic schedule search failed.
    Search(SearchFailure),
    /// Stopped by the caller's cancel flag.
    Cancelled,
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::Input(d) => write!(f, "{d}"),
            SimError::Config(s) => write!(f, "{s}"),
            SimError::Search(SearchFailure::Rejected(e)) => {
                write!(f, "the scheduler rejected the model: {e}")
            }
            SimError::Search(unsound) => write!(f, "{unsound}"),
            SimError::Cancelled => write!(f, "interrupted"),
        }
    }
}

/// A task's figure (criticality index or rank correlation).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskFigure {
    /// Task id.
    pub id: String,
    /// The figure.
    pub value: f64,
}

/// What a risk does to a milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskEffect {
    /// Risk id.
    pub id: String,
    /// Share of iterations it happened in.
    pub frequency: f64,
    /// Mean working days the milestone moved when it happened (against when it did not).
    pub shift: f64,
}

/// One milestone's forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneResult {
    /// Milestone id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The promised date.
    pub due: Option<Date>,
    /// Finish in working days from the start.
    pub summary: Summary,
    /// Dates of the 50th, 80th and 95th percentiles.
    pub dates: [Date; 3],
    /// Share of iterations meeting the due date.
    pub probability_on_time: Option<f64>,
    /// Tasks whose draws move this milestone most (Spearman, descending): the strongest
    /// [`TASK_DRIVERS`].
    pub task_drivers: Vec<TaskFigure>,
    /// Risks by how much they move this milestone (descending).
    pub risk_drivers: Vec<RiskEffect>,
    /// The finish distribution (working days) the percentiles come from, for charts; only
    /// from [`simulate_with_distributions`].
    pub histogram: Option<Histogram>,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct SimResult {
    /// Scenario name.
    pub scenario: String,
    /// Iterations run.
    pub iterations: u64,
    /// Seed.
    pub seed: u64,
    /// Settings used.
    pub config: SimConfig,
    /// How percentiles were computed.
    pub percentiles: Percentiles,
    /// Program finish (last task or milestone) in working days.
    pub finish: Summary,
    /// The program finish's distribution (working days) the percentiles come from; only from
    /// [`simulate_with_distributions`].
    pub finish_histogram: Option<Histogram>,
    /// Milestones in model order.
    pub milestones: Vec<MilestoneResult>,
    /// Criticality index of tasks with work left, descending.
    pub criticality: Vec<TaskFigure>,
    /// Spearman correlation of uncertain tasks' durations with the finish, descending.
    pub sensitivity: Vec<TaskFigure>,
    /// Share of iterations in which each role delayed the finish (empty without resources).
    pub bottlenecks: Vec<(String, f64)>,
    /// Finish of the deterministic schedule whose list the iterations reuse.
    pub deterministic_finish: Option<u32>,
}

/// How an iteration dates the work.
enum Engine {
    Precedence(Box<PrecedenceKernel>),
    Resources(Box<ResourceNet>),
    /// With people on role and task calendars, and the grid a longer clock comes from.
    Calendars(Box<CalendarNet>, Arc<CalendarGrid>),
}

/// Everything fixed for a run, shared by the workers.
struct Context {
    engine: Engine,
    durations: DurationModel,
    plan: SamplePlan,
    /// Nodes whose finish forms each series after the program finish: the milestones.
    milestone_nodes: Vec<usize>,
    nodes: usize,
    roles: usize,
    seed: u64,
}

/// Runs the simulation. `cancel` stops it between chunks; `progress` is told the iterations
/// done after each block (from the calling thread). Runs on the current rayon pool.
///
/// Complexity: `O(I · (n + e + u + k))` for `I` iterations (see [`kernel`]) without a
/// team; with one, a best-schedule search first (its budget of serial SGS passes, see
/// [`crate::schedule::sgs`]) and then one serial pass per iteration over the `n` activities
/// along that schedule's list and crews.
///
/// # Example
///
/// `A` takes 2 to 4 days (3 most likely) and `B` 4 days after it, so the release lands
/// between day 6 and day 8, on day 7 or earlier about half the time.
///
/// ```
/// use plan::model::scenario::Distribution;
/// use plan::model::{parse_model, parse_scenario};
/// use plan::simulate::{simulate, SimConfig};
/// use std::path::Path;
/// use std::sync::atomic::AtomicBool;
///
/// let text = r#"
/// [project]
/// name = "Tiny"
/// start = 2025-09-15
/// [roles.dev]
/// [[task]]
/// id = "A"
/// estimate = [2, 3, 4]
/// demand = { dev = 1 }
/// [[task]]
/// id = "B"
/// after = ["A"]
/// duration = 4
/// demand = { dev = 1 }
/// [[milestone]]
/// id = "RELEASE"
/// after = ["B"]
/// due = 2025-09-23
/// "#;
/// let model = parse_model(text, Path::new("tiny.toml")).unwrap();
/// let team = "name = \"One dev\"\n[team]\ndev = 1\n";
/// let scenario = parse_scenario(team, Path::new("team.toml"), &model).unwrap();
/// let config = SimConfig {
///     iterations: 4000,
///     seed: 7,
///     distribution: Distribution::Pert,
///     correlation: 0.0,
///     resources: false,
/// };
/// let mut done = 0;
/// let result = simulate(&model, &scenario, &config, &AtomicBool::new(false), &mut |n| done = n)
///     .unwrap();
/// assert_eq!(done, 4000);
/// assert!(6.0 <= result.finish.p10 && result.finish.p95 <= 8.0);
/// assert!((result.finish.mean - 7.0).abs() < 0.05, "{:?}", result.finish);
/// let release = &result.milestones[0];
/// let on_time = release.probability_on_time.unwrap();
/// assert!((0.4..0.6).contains(&on_time), "{on_time}");
/// ```
pub fn simulate(
    model: &Model,
    scenario: &Scenario,
    config: &SimConfig,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<SimResult, SimError> {
    let graph = model_graph(model)?;
    run(
        model, &graph, scenario, config, cancel, progress, false, None,
    )
}

/// As [`simulate`], for a validated program ([`crate::model::load_program`]): its dependency
/// graph is used as it is, never built again (the search of the deterministic schedule shares
/// it too). [`simulate`] builds a bare model's graph once.
///
/// # Example
///
/// ```
/// use plan::model::{load_program, Scenario};
/// use plan::simulate::{simulate_program, SimConfig};
/// use std::path::Path;
/// use std::sync::atomic::AtomicBool;
///
/// let program = load_program(Path::new("tests/data/calendars.toml")).unwrap();
/// let config = SimConfig {
///     iterations: 200,
///     seed: 1,
///     distribution: Default::default(),
///     correlation: 0.0,
///     resources: false,
/// };
/// let never = AtomicBool::new(false);
/// let result =
///     simulate_program(&program, &Scenario::empty(&program), &config, &never, &mut |_| {})
///         .unwrap();
/// // Fixed durations on role and task calendars: every iteration ends on Tuesday 7 October.
/// assert_eq!(result.milestones[0].dates[0].to_string(), "2025-10-07");
/// ```
pub fn simulate_program(
    program: &Program,
    scenario: &Scenario,
    config: &SimConfig,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<SimResult, SimError> {
    let graph = &program.graph;
    run(
        program, graph, scenario, config, cancel, progress, false, None,
    )
}

/// The dependency graph of a model given without one.
fn model_graph(model: &Model) -> Result<Arc<ProgramGraph>, SimError> {
    let graph = model.graph().map_err(|d| SimError::Input(d.into()))?;
    Ok(Arc::new(graph))
}

/// As [`simulate`], and the result also carries the finish distribution of the program and of
/// each milestone (`histogram`, `finish_histogram`): what charts draw, from the very
/// iterations the percentiles come from. It costs one pass over the values kept for the
/// percentiles (a distinct value per iteration at most, for precedence-only runs).
pub fn simulate_with_distributions(
    model: &Model,
    scenario: &Scenario,
    config: &SimConfig,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<SimResult, SimError> {
    let graph = model_graph(model)?;
    run(
        model, &graph, scenario, config, cancel, progress, true, None,
    )
}

/// As [`simulate_with_distributions`], with the team's iterations reusing the list and crews
/// of `fixed` (a schedule the caller already searched, see [`FixedListPlan::from_search`])
/// instead of searching one, on the graph it was searched on (`model`'s). Precedence-only
/// runs (`config.resources` false) ignore the list.
pub fn simulate_with_distributions_along(
    model: &Model,
    scenario: &Scenario,
    config: &SimConfig,
    fixed: FixedListPlan,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<SimResult, SimError> {
    // The graph the list was searched on: the model's, not built again.
    let graph = fixed.graph.clone();
    run(
        model,
        &graph,
        scenario,
        config,
        cancel,
        progress,
        true,
        Some(fixed),
    )
}

#[allow(clippy::too_many_arguments)]
fn run(
    model: &Model,
    graph: &Arc<ProgramGraph>,
    scenario: &Scenario,
    config: &SimConfig,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
    distributions: bool,
    fixed: Option<FixedListPlan>,
) -> Result<SimResult, SimError> {
    check_config(config)?;
    let (mut ctx, deterministic_finish) = build_context(model, graph, scenario, config, fixed)?;
    let mut cal = model.work_calendar();
    let deadlines: Vec<Option<f64>> = std::iter::once(None)
        .chain(
            model
                .milestones
                .iter()
                .map(|m| m.due.map(|d| cal.deadline(d) as f64)),
        )
        .collect();
    let mut acc = iterate_on_a_clock_long_enough(&mut ctx, config, deadlines, cancel, progress)?;
    let mut result = finish_result(
        model,
        scenario,
        config,
        &ctx,
        &mut acc,
        &mut cal,
        deterministic_finish,
    );
    if distributions {
        result.finish_histogram = Some(acc.histogram(0));
        for (k, m) in result.milestones.iter_mut().enumerate() {
            m.histogram = Some(acc.histogram(k + 1));
        }
    }
    Ok(result)
}

/// [`iterate`], again on a clock twice as long while an iteration on calendars ran past the
/// clock's days, so that no figure depends on how long the clock was first built.
fn iterate_on_a_clock_long_enough(
    ctx: &mut Context,
    config: &SimConfig,
    deadlines: Vec<Option<f64>>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<Accumulator, SimError> {
    loop {
        let acc = iterate(ctx, config, deadlines.clone(), cancel, progress)?;
        match ctx.engine.lengthened() {
            Some(engine) => ctx.engine = engine,
            None => return Ok(acc),
        }
    }
}

/// Runs every iteration of `config` on `ctx` and accumulates what they give.
fn iterate(
    ctx: &Context,
    config: &SimConfig,
    deadlines: Vec<Option<f64>>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<Accumulator, SimError> {
    let series = deadlines.len();
    let mut acc = Accumulator::new(
        series,
        ctx.plan.random_nodes.len(),
        ctx.nodes,
        ctx.roles,
        ctx.plan.risk_count(),
        deadlines,
        config.resources,
        config.iterations,
    );
    let block = CHUNK * CHUNKS_PER_BLOCK;
    let mut done = 0;
    while done < config.iterations {
        let end = (done + block).min(config.iterations);
        let chunks: Vec<(u64, u64)> = (done..end)
            .step_by(CHUNK as usize)
            .map(|s| (s, (s + CHUNK).min(end)))
            .collect();
        let outs: Vec<ChunkOut> = chunks
            .par_iter()
            .map_init(
                || Worker::new(ctx),
                |w, &(s, e)| {
                    if cancel.load(Ordering::Relaxed) {
                        ChunkOut::default()
                    } else {
                        w.run(ctx, s, e)
                    }
                },
            )
            .collect();
        if cancel.load(Ordering::Relaxed) {
            return Err(SimError::Cancelled);
        }
        for out in outs {
            acc.merge(out);
        }
        done = end;
        progress(done);
    }
    Ok(acc)
}

fn check_config(config: &SimConfig) -> Result<(), SimError> {
    if config.iterations == 0 || config.iterations > MAX_ITERATIONS {
        return Err(SimError::Config(format!(
            "{} iterations: give between 1 and {MAX_ITERATIONS}",
            config.iterations
        )));
    }
    if !(0.0..=1.0).contains(&config.correlation) {
        return Err(SimError::Config(format!(
            "correlation {}: give a number between 0 and 1",
            config.correlation
        )));
    }
    Ok(())
}

/// Builds the engine, duration model and sampling plan; with resources, first searches the
/// best deterministic schedule (likely estimates) for its activity list and crews.
fn build_context(
    model: &Model,
    graph: &Arc<ProgramGraph>,
    scenario: &Scenario,
    config: &SimConfig,
    fixed: Option<FixedListPlan>,
) -> Result<(Context, Option<u32>), SimError> {
    let nodes = graph.ids.len();
    let mut factory = SamplerFactory;
    let (engine, durations, deterministic) = if config.resources {
        let fixed = match fixed {
            Some(f) => f,
            None => FixedListPlan::new(model, graph, scenario)?,
        };
        let crew = |node: usize, role: usize| {
            f64::from(fixed.units[node][role]) / f64::from(UNITS_PER_PERSON)
        };
        let durations = DurationModel::new(model, graph, config.distribution, &mut factory, crew);
        let engine = match fixed.net {
            FixedNet::Days(net) => Engine::Resources(Box::new(net)),
            FixedNet::Calendars(net, grid) => {
                let days = first_horizon(model, graph, fixed.deterministic_finish);
                let net = if days > net.clock().horizon_days() {
                    net.on_clock(Arc::new(grid.clock_of_length(days)))
                } else {
                    net
                };
                Engine::Calendars(Box::new(net), grid)
            }
        };
        (Some(engine), durations, Some(fixed.deterministic_finish))
    } else {
        let durations = DurationModel::new(
            model,
            graph,
            config.distribution,
            &mut factory,
            |node, role| f64::from(fastest_crew(model, graph, node, role)),
        );
        (None, durations, None)
    };
    let plan = SamplePlan::new(
        model,
        graph,
        &durations,
        config.distribution,
        config.correlation,
        &mut factory,
    );
    let engine = engine.unwrap_or_else(|| {
        Engine::Precedence(Box::new(
            PrecedenceKernel::new(
                &graph.graph.order,
                |n| {
                    let links = graph.graph.preds(n).iter().zip(graph.graph.pred_types(n));
                    links.map(|(&(p, lag), &kind)| (p, lag, kind)).collect()
                },
                nodes,
                &durations,
                &plan,
            )
            .with_release(&precedence_release(model, graph))
            .with_clock_of(model, graph),
        ))
    });
    let milestone_nodes = (0..nodes)
        .filter(|&n| matches!(graph.kinds[n], NodeKind::Milestone(_)))
        .collect();
    Ok((
        Context {
            engine,
            durations,
            plan,
            milestone_nodes,
            nodes,
            roles: model.roles.len(),
            seed: config.seed,
        },
        deterministic,
    ))
}

/// The network every resource-constrained iteration runs one serial pass on.
pub enum FixedNet {
    /// On the project calendar (every task works every day of the grid): the lean SGS.
    Days(ResourceNet),
    /// On role and task calendars: the scheduling core's calendar pass, with the grid a
    /// longer clock comes from.
    Calendars(CalendarNet, Arc<CalendarGrid>),
}

/// What every resource-constrained iteration reuses: the activity list and crews of the best
/// deterministic schedule (most likely estimates), as a network the lean SGS runs on.
pub struct FixedListPlan {
    /// The activity list and capacity, ready for one serial pass per iteration.
    pub net: FixedNet,
    /// People per role on each node in the deterministic schedule (`crews[node][role]`).
    pub crews: Vec<Vec<u32>>,
    /// Units per role each node takes in the deterministic schedule (its mode's demand; with
    /// part-timers less than its people times [`UNITS_PER_PERSON`]).
    pub units: Vec<Vec<u32>>,
    /// Finish of the deterministic schedule, in working days.
    pub deterministic_finish: u32,
    /// The model's dependency graph the schedule was searched on (shared).
    pub graph: Arc<ProgramGraph>,
}

impl FixedListPlan {
    /// Searches the deterministic schedule of `model` (its dependency graph `graph`) staffed
    /// by `scenario` and fixes its list.
    pub fn new(
        model: &Model,
        graph: &Arc<ProgramGraph>,
        scenario: &Scenario,
    ) -> Result<Self, SimError> {
        let pp = crate::program::build_on(model, graph.clone(), scenario, EstimateChoice::Likely)
            .map_err(SimError::Input)?;
        let result = pp
            .search(&deterministic_search(), &[])
            .map_err(SimError::Search)?;
        Ok(Self::from_search(&pp, &result, graph.ids.len()))
    }

    /// Fixes the list and crews of a schedule already searched for `pp` (the program of the
    /// model and team, most likely estimates), so that a caller who has one does not search
    /// again. `nodes` is the model graph's node count.
    pub fn from_search(pp: &ProgramProblem, result: &SearchResult, nodes: usize) -> Self {
        let modes = &result.solution.modes;
        let crews: Vec<Vec<u32>> = (0..pp.nodes)
            .map(|n| pp.crews[n][modes[n]].clone())
            .collect();
        let units: Vec<Vec<u32>> = (0..pp.nodes)
            .map(|n| crew_units_of(pp, n, modes[n]))
            .collect();
        let order: Vec<usize> = result
            .solution
            .order
            .iter()
            .copied()
            .filter(|&j| j < pp.nodes)
            .collect();
        let net = match &pp.calendars {
            Some(grid) => FixedNet::Calendars(
                CalendarNet::new(one_mode_each(pp, modes, &units), grid.clock(), order),
                grid.clone(),
            ),
            None => FixedNet::Days(days_net(pp, &order, &units, nodes)),
        };
        FixedListPlan {
            net,
            crews,
            units,
            deterministic_finish: pp.finish(&result.schedule),
            graph: pp.graph.clone(),
        }
    }
}

/// The activities of `pp`, each with one mode: the one `modes` chose, demanding the fixed
/// crew's `units` (its duration is not read: every iteration gives its own).
fn one_mode_each(pp: &ProgramProblem, modes: &[usize], units: &[Vec<u32>]) -> Problem {
    let activities = pp.problem.activities[..pp.nodes]
        .iter()
        .zip(modes)
        .zip(units)
        .map(|((a, &mode), units)| Activity {
            modes: vec![Mode {
                duration: a.modes[mode].duration,
                demand: units.clone(),
            }],
            preds: a.preds.clone(),
            release: a.release,
        })
        .collect();
    Problem {
        activities,
        resources: pp.problem.resources.clone(),
        horizon_hint: pp.problem.horizon_hint,
    }
}

/// The lean SGS's network of `pp` along `order` with the crews' `units`.
fn days_net(pp: &ProgramProblem, order: &[usize], units: &[Vec<u32>], nodes: usize) -> ResourceNet {
    ResourceNet::new(
        order,
        |n| {
            pp.problem.activities[n]
                .preds
                .iter()
                .map(|p| (p.pred, p.lag, p.kind))
                .collect()
        },
        |n| units[n].iter().copied().enumerate().collect(),
        pp.capacity.clone(),
        nodes,
    )
    .with_release(
        (0..nodes)
            .map(|n| pp.problem.activities[n].release)
            .collect(),
    )
}

/// Units per role that node `n` of `pp` takes in mode `mode`. A mode with nothing left to do
/// demands nothing; its crew still sets the pace of the work a simulation may add.
fn crew_units_of(pp: &crate::program::ProgramProblem, n: usize, mode: usize) -> Vec<u32> {
    let demand = &pp.problem.activities[n].modes[mode].demand;
    let crew = &pp.crews[n][mode];
    demand
        .iter()
        .zip(crew)
        .map(|(&u, &people)| if u > 0 { u } else { people * UNITS_PER_PERSON })
        .collect()
}

/// The search for the deterministic schedule whose list and crews every iteration reuses: the
/// budget `plan schedule` uses by default, with a fixed seed so the list does not depend on the
/// simulation's seed.
fn deterministic_search() -> SearchConfig {
    SearchConfig {
        schedules: DETERMINISTIC_BUDGET,
        seed: 1,
        ..SearchConfig::default()
    }
}

/// Each node's first possible start without people: its constraint from below and the status
/// date, a finish constraint counted back by the likely remaining duration (the one the
/// critical path uses; a sampled duration may then finish a little before the date).
fn precedence_release(model: &Model, graph: &ProgramGraph) -> Vec<f64> {
    let windows = crate::cpm::model_windows(model, graph);
    if windows.is_empty() {
        return Vec::new();
    }
    let durations: Vec<f64> = graph
        .kinds
        .iter()
        .map(|k| match *k {
            NodeKind::Task(t) => model.tasks[t].remaining_duration(EstimateChoice::Likely),
            NodeKind::Milestone(_) => 0.0,
        })
        .collect();
    windows.early_starts(&durations)
}

impl Engine {
    /// On calendars, when an iteration ran past the clock's days, the engine on a clock twice
    /// as long (up to [`crate::cpm::MAX_GRID_DAYS`], beyond which every day counts as worked).
    fn lengthened(&self) -> Option<Engine> {
        let Engine::Calendars(net, grid) = self else {
            return None;
        };
        let days = net.clock().horizon_days();
        if !net.clock().overran() || days >= crate::cpm::MAX_GRID_DAYS {
            return None;
        }
        let clock = Arc::new(grid.clock_of_length(days * 2));
        Some(Engine::Calendars(
            Box::new(net.on_clock(clock)),
            grid.clone(),
        ))
    }
}

/// Grid days a calendar simulation's clock is first built for: twice the deterministic
/// schedule's finish, stretched by how much longer than likely the work can take (each
/// task pessimistic with every risk on it), so that iterations seldom run past it.
fn first_horizon(model: &Model, graph: &ProgramGraph, deterministic_finish: u32) -> usize {
    let mut likely = 0.0;
    let mut longest = 0.0;
    for kind in &graph.kinds {
        if let NodeKind::Task(t) = *kind {
            likely += model.tasks[t].remaining_duration(EstimateChoice::Likely);
            longest += model.tasks[t].remaining_duration(EstimateChoice::Pessimistic);
        }
    }
    longest += model
        .risks
        .iter()
        .map(|r| r.delay.pessimistic * r.tasks.len() as f64)
        .sum::<f64>();
    let stretch = if likely > 0.0 {
        (longest / likely).max(1.0)
    } else {
        1.0
    };
    let days = 2.0 * f64::from(deterministic_finish.max(1)) * stretch;
    days.min(crate::cpm::MAX_GRID_DAYS as f64) as usize
}

impl PrecedenceKernel {
    /// The kernel on the model's calendars when its roles or tasks have their own (else as it
    /// is). The clock is long enough for the longest each task can take (pessimistic, every
    /// risk of it happening), so no iteration runs past it.
    fn with_clock_of(self, model: &Model, graph: &ProgramGraph) -> Self {
        if !model.uses_calendars() {
            return self;
        }
        let mut delay = vec![0.0; graph.ids.len()];
        for risk in &model.risks {
            for id in &risk.tasks {
                if let Some(n) = graph.node(id) {
                    delay[n] += risk.delay.pessimistic;
                }
            }
        }
        let longest: Vec<f64> = graph
            .kinds
            .iter()
            .zip(&delay)
            .map(|(k, &d)| match *k {
                NodeKind::Task(t) => {
                    model.tasks[t].remaining_duration(EstimateChoice::Pessimistic) + d
                }
                NodeKind::Milestone(_) => 0.0,
            })
            .collect();
        let windows = crate::cpm::model_windows(model, graph);
        let (clock, _) = crate::cpm::model_clock(model, graph, &longest, &windows);
        self.with_clock(clock.reordered(&graph.graph.order))
    }
}

/// Without people, effort-driven work goes at its largest crew (as the critical path does).
fn fastest_crew(model: &Model, graph: &ProgramGraph, node: usize, role: usize) -> u32 {
    let NodeKind::Task(t) = graph.kinds[node] else {
        return 1;
    };
    match &model.tasks[t].work {
        crate::model::Work::Effort(efforts) => efforts
            .iter()
            .find(|e| e.role == role)
            .map_or(1, |e| e.crew.1),
        crate::model::Work::Fixed { .. } => 1,
    }
}

/// Per-thread state, reused across the chunks a thread runs.
struct Worker {
    /// Precedence-only buffers.
    kernel: Option<kernel::Scratch>,
    /// Positions of the milestone nodes (precedence-only).
    milestone_pos: Vec<usize>,
    draws: Draws,
    factors: Vec<f64>,
    base: Vec<f64>,
    duration: Vec<f64>,
    whole: Vec<u32>,
    finish_f: Vec<f64>,
    start_u: Vec<u32>,
    profile: Profile,
    /// The calendar pass's buffers (people on calendars).
    pass: Pass,
    links: Vec<(usize, Option<Link>)>,
    roles_hit: Vec<bool>,
}

impl Worker {
    fn new(ctx: &Context) -> Self {
        // The precedence kernel keeps its own buffers: the per-node ones below are the passes
        // with people's (tens of megabytes per worker on a million tasks, unused without).
        let n = match ctx.engine {
            Engine::Precedence(_) => 0,
            Engine::Resources(_) | Engine::Calendars(..) => ctx.nodes,
        };
        let (kernel, milestone_pos, base) = match &ctx.engine {
            Engine::Precedence(k) => (
                Some(k.scratch(&ctx.plan)),
                ctx.milestone_nodes.iter().map(|&m| k.position(m)).collect(),
                Vec::new(),
            ),
            // Durations of nodes that never vary, computed once.
            Engine::Resources(_) | Engine::Calendars(..) => (
                None,
                Vec::new(),
                (0..n).map(|j| ctx.durations.duration(j, 0.5)).collect(),
            ),
        };
        Worker {
            kernel,
            milestone_pos,
            draws: ctx.plan.buffers(n),
            factors: Vec::new(),
            base,
            duration: vec![0.0; n],
            whole: vec![0; n],
            finish_f: vec![0.0; n],
            start_u: vec![0; n],
            profile: Profile::default(),
            pass: Pass::default(),
            links: Vec::new(),
            roles_hit: vec![false; ctx.roles],
        }
    }

    /// Runs iterations `from..to` and returns what they contribute.
    fn run(&mut self, ctx: &Context, from: u64, to: u64) -> ChunkOut {
        let series = 1 + ctx.milestone_nodes.len();
        let risks = ctx.plan.risk_count();
        let m = ctx.plan.random_nodes.len();
        let kept = sensitivity_rows(m);
        let mut out = ChunkOut {
            rows: Vec::with_capacity((to - from) as usize * series),
            draws: Vec::with_capacity(if from < kept {
                (to.min(kept) - from) as usize * m
            } else {
                0
            }),
            critical: vec![0; ctx.nodes],
            bottleneck: vec![0; ctx.roles],
            sums: vec![0.0; series],
            risk_hits: vec![0; risks],
            risk_sum_hit: vec![0.0; risks * series],
        };
        for i in from..to {
            let row_start = out.rows.len();
            let keep_draws = i < kept && m > 0;
            let happened: &[bool] = match &ctx.engine {
                Engine::Precedence(k) => {
                    let s = self.kernel.as_mut().expect("precedence buffers");
                    let last = k.iterate(&ctx.plan, ctx.seed, i, s);
                    out.rows.push(k.finish(s, last));
                    out.rows
                        .extend(self.milestone_pos.iter().map(|&p| k.finish(s, p)));
                    if keep_draws {
                        k.ranks(s, &mut out.draws);
                    }
                    let critical = &mut out.critical;
                    k.chain(last, s, |n| critical[n] += 1);
                    k.happened(s)
                }
                Engine::Resources(net) => {
                    let last = self.iterate_resources(ctx, net, i);
                    net.chain(
                        last,
                        &self.whole,
                        &self.start_u,
                        &self.profile,
                        &mut self.links,
                    );
                    self.record_with_people(ctx, last, keep_draws, &mut out);
                    &self.draws.happened
                }
                Engine::Calendars(net, _) => {
                    let last = self.iterate_on_calendars(ctx, net, i);
                    net.chain(last, &self.pass, &mut self.links);
                    self.record_with_people(ctx, last, keep_draws, &mut out);
                    &self.draws.happened
                }
            };
            let row = &out.rows[row_start..];
            for (s, v) in out.sums.iter_mut().zip(row) {
                *s += v;
            }
            for (r, &hit) in happened.iter().enumerate() {
                if hit {
                    out.risk_hits[r] += 1;
                    for (k, v) in row.iter().enumerate() {
                        out.risk_sum_hit[r * series + k] += v;
                    }
                }
            }
        }
        out
    }

    /// Samples iteration `i` and schedules it with the team; leaves finishes in `finish_f` and
    /// returns the node that finishes last.
    fn iterate_resources(&mut self, ctx: &Context, net: &ResourceNet, i: u64) -> usize {
        self.sample_whole_days(ctx, i);
        net.run(&self.whole, &mut self.profile, &mut self.start_u);
        for j in 0..ctx.nodes {
            self.finish_f[j] = f64::from(self.start_u[j] + self.whole[j]);
        }
        argmax(&self.finish_f)
    }

    /// As [`Worker::iterate_resources`], each task working only on its calendar's days.
    fn iterate_on_calendars(&mut self, ctx: &Context, net: &CalendarNet, i: u64) -> usize {
        self.sample_whole_days(ctx, i);
        net.run(&self.whole, &mut self.pass);
        for (f, &day) in self.finish_f.iter_mut().zip(&self.pass.finish) {
            *f = f64::from(day);
        }
        argmax(&self.finish_f)
    }

    /// Draws iteration `i` and leaves each node's whole working days in `whole`.
    #[inline]
    fn sample_whole_days(&mut self, ctx: &Context, i: u64) {
        ctx.plan
            .draw(ctx.seed, i, &mut self.draws, &mut self.factors);
        self.duration.copy_from_slice(&self.base);
        for (&node, &u) in ctx.plan.random_nodes.iter().zip(&self.draws.u) {
            self.duration[node] = ctx.durations.duration(node, u);
        }
        if self.draws.happened.iter().any(|&h| h) {
            for (d, &extra) in self.duration.iter_mut().zip(&self.draws.delay) {
                *d += extra;
            }
        }
        for (w, &d) in self.whole.iter_mut().zip(&self.duration) {
            *w = whole_days(d);
        }
    }

    /// Adds an iteration with people to `out`: its row (the finish, then each milestone's),
    /// its draws while they are kept, and the chain in `links` (nodes on it, roles that
    /// delayed it).
    fn record_with_people(&mut self, ctx: &Context, last: usize, keep: bool, out: &mut ChunkOut) {
        out.rows.push(self.finish_f[last]);
        for &node in &ctx.milestone_nodes {
            out.rows.push(self.finish_f[node]);
        }
        if keep {
            out.draws
                .extend(self.draws.u.iter().map(|&u| stats::quantise(u)));
        }
        self.roles_hit.fill(false);
        for &(n, link) in &self.links {
            out.critical[n] += 1;
            if let Some(Link::Resource(r)) = link {
                self.roles_hit[r] = true;
            }
        }
        for (b, &hit) in out.bottleneck.iter_mut().zip(&self.roles_hit) {
            *b += u32::from(hit);
        }
    }
}

/// Whole working days of a fractional duration, as the deterministic schedule rounds them.
fn whole_days(x: f64) -> u32 {
    (x - 1e-9).ceil().max(0.0) as u32
}

/// Index of the first largest value.
fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best
}

/// Turns the accumulated counts into the result.
/// Each id's place in sorted order (equal ids share one).
fn id_ranks(ids: &[&str]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..ids.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| ids[a as usize].cmp(ids[b as usize]));
    let mut rank = vec![0u32; ids.len()];
    let mut place = 0u32;
    for (i, &n) in order.iter().enumerate() {
        if i > 0 && ids[order[i - 1] as usize] != ids[n as usize] {
            place = i as u32;
        }
        rank[n as usize] = place;
    }
    rank
}

fn finish_result(
    model: &Model,
    scenario: &Scenario,
    config: &SimConfig,
    ctx: &Context,
    acc: &mut Accumulator,
    cal: &mut WorkCalendar,
    deterministic_finish: Option<u32>,
) -> SimResult {
    let ids: Vec<&str> = model
        .tasks
        .iter()
        .map(|t| t.id.as_str())
        .chain(model.milestones.iter().map(|m| m.id.as_str()))
        .collect();
    let task_count = model.tasks.len();
    let has_work = |n: usize| n < task_count && model.tasks[n].done < 1.0;
    let by_value = |mut v: Vec<TaskFigure>| {
        v.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.id.cmp(&b.id)));
        v
    };
    let criticality = by_value(
        acc.criticality()
            .iter()
            .enumerate()
            .filter(|&(n, _)| has_work(n))
            .map(|(n, &v)| TaskFigure {
                id: ids[n].to_string(),
                value: v,
            })
            .collect(),
    );
    let figures = |values: Vec<f64>| {
        by_value(
            ctx.plan
                .random_nodes
                .iter()
                .zip(values)
                .filter(|&(&n, _)| n < task_count)
                .map(|(&n, v)| TaskFigure {
                    id: ids[n].to_string(),
                    value: v,
                })
                .collect(),
        )
    };
    // Ties are broken by id; each node's place in id order, found once, compares as an integer
    // (a thousand milestones of a million tasks would otherwise compare ids a billion times).
    let id_rank = id_ranks(&ids);
    // The strongest few of one milestone, chosen before any id is copied: the same first
    // figures as sorting them all, in the same order.
    let top_figures = |values: Vec<f64>| {
        let mut candidates: Vec<(usize, f64)> = ctx
            .plan
            .random_nodes
            .iter()
            .zip(values)
            .filter(|&(&n, _)| n < task_count)
            .map(|(&n, v)| (n, v))
            .collect();
        let order = |a: &(usize, f64), b: &(usize, f64)| {
            b.1.total_cmp(&a.1)
                .then_with(|| id_rank[a.0].cmp(&id_rank[b.0]))
        };
        if candidates.len() > TASK_DRIVERS {
            candidates.select_nth_unstable_by(TASK_DRIVERS - 1, order);
            candidates.truncate(TASK_DRIVERS);
        }
        candidates.sort_by(order);
        candidates
            .into_iter()
            .map(|(n, value)| TaskFigure {
                id: ids[n].to_string(),
                value,
            })
            .collect::<Vec<_>>()
    };
    // One series at a time: the figures of every milestone for every task are never held at
    // once, only each milestone's strongest few.
    let mut sensitivity = Vec::new();
    let mut drivers: Vec<Vec<TaskFigure>> = Vec::with_capacity(model.milestones.len());
    acc.for_each_sensitivity(|series, values| {
        if series == 0 {
            sensitivity = figures(values);
        } else {
            drivers.push(top_figures(values));
        }
    });
    let mut drivers = drivers.into_iter();
    let milestones = model
        .milestones
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let summary = acc.summary(k + 1);
            let mut risks: Vec<RiskEffect> = acc
                .risk_effects(k + 1)
                .into_iter()
                .zip(&model.risks)
                .map(|((frequency, shift), r)| RiskEffect {
                    id: r.id.clone(),
                    frequency,
                    shift,
                })
                .collect();
            risks.sort_by(|a, b| b.shift.total_cmp(&a.shift).then_with(|| a.id.cmp(&b.id)));
            MilestoneResult {
                id: m.id.clone(),
                name: m.name.clone(),
                due: m.due,
                dates: [summary.p50, summary.p80, summary.p95].map(|t| cal.finish_date(t)),
                summary,
                probability_on_time: acc.on_time(k + 1),
                task_drivers: drivers.next().unwrap_or_default(),
                risk_drivers: risks,
                histogram: None,
            }
        })
        .collect();
    let bottlenecks = if config.resources {
        model
            .roles
            .iter()
            .zip(acc.bottlenecks())
            .map(|(r, share)| (r.id.clone(), share))
            .collect()
    } else {
        Vec::new()
    };
    SimResult {
        scenario: scenario.name.clone(),
        iterations: acc.count(),
        seed: config.seed,
        config: config.clone(),
        percentiles: acc.percentiles(),
        finish: acc.summary(0),
        finish_histogram: None,
        milestones,
        criticality,
        sensitivity,
        bottlenecks,
        deterministic_finish,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::Distribution;
    use crate::schedule::Sgs;
    use std::path::Path;

    fn no_resources(body: &str) -> (Model, SimConfig) {
        let text = format!("[project]\nname = \"t\"\nstart = 2025-09-15\n{body}");
        let model = crate::model::parse_model(&text, Path::new("t.toml")).unwrap();
        let config = SimConfig {
            iterations: 300,
            seed: 3,
            distribution: Distribution::Pert,
            correlation: 0.0,
            resources: false,
        };
        (model, config)
    }

    #[test]
    fn the_forward_pass_and_chain_follow_the_longest_lagged_path() {
        // A (3 days) -> C with lag 1, B (2 days) -> C: C starts on day 4 and ends on 5.5.
        let (model, config) = no_resources(
            "[[task]]\nid = \"B\"\nduration = 2\n\
             [[task]]\nid = \"A\"\nduration = 3\n\
             [[task]]\nid = \"C\"\nduration = 1.5\nafter = [{ id = \"A\", lag = 1 }, \"B\"]\n",
        );
        let scenario = Scenario::empty(&model);
        let r = simulate(
            &model,
            &scenario,
            &config,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!((r.finish.mean, r.finish.p95), (5.5, 5.5));
        let index = |id: &str| r.criticality.iter().find(|f| f.id == id).unwrap().value;
        assert_eq!((index("A"), index("B"), index("C")), (1.0, 0.0, 1.0));
    }

    #[test]
    fn the_flat_pert_samplers_match_the_samplers() {
        let mut body = String::new();
        for (i, (o, m, p)) in [
            (2, 5, 14),
            (0, 0, 10),
            (3, 9, 9),
            (1, 2, 3),
            (4, 4, 4),
            (1, 7, 30),
        ]
        .iter()
        .enumerate()
        {
            body += &format!("[[task]]\nid = \"T{i}\"\nestimate = [{o}, {m}, {p}]\n");
        }
        let (model, config) = no_resources(&body);
        let (ctx, _) = build_context(
            &model,
            &model_graph(&model).unwrap(),
            &Scenario::empty(&model),
            &config,
            None,
        )
        .unwrap();
        let Engine::Precedence(kernel) = &ctx.engine else {
            panic!("precedence");
        };
        for h in [0u32, 1, 4095, 1 << 22, 6_000_000, (1 << 23) - 1] {
            let u = kernel::uniform(h);
            let draws = vec![h; ctx.plan.random_nodes.len()];
            let both = [
                kernel.durations_for(&draws),
                kernel.grid_only().durations_for(&draws),
            ];
            for fast in both {
                for (n, &d) in fast.iter().enumerate() {
                    let want = ctx.durations.duration(n, u);
                    assert!(
                        (d - want).abs() < 1e-5 * want.max(1.0),
                        "{n} {h}: {d} {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn sampling_inside_the_forward_pass_changes_nothing() {
        // PERT tasks with lags, a fixed task, a milestone and a risk, with and without
        // correlation: the fused pass gives the same rows, draws and chains as sampling first.
        let body = "[[phase]]\nid = \"P\"\n\
            [[task]]\nid = \"A\"\nestimate = [2, 5, 14]\nphase = \"P\"\n\
            [[task]]\nid = \"B\"\nestimate = [3, 6, 12]\nphase = \"P\"\n\
            [[task]]\nid = \"F\"\nduration = 4\n\
            [[task]]\nid = \"C\"\nestimate = [3, 4, 9]\n\
            after = [{ id = \"A\", lag = 2 }, \"B\", \"F\"]\n\
            [[milestone]]\nid = \"M\"\nafter = [\"C\"]\n\
            [[risk]]\nid = \"R\"\nname = \"r\"\nprobability = 0.4\ndelay = [1, 2, 5]\n\
            tasks = [\"A\", \"C\"]\n";
        for correlation in [0.0, 0.6] {
            let (model, mut config) = no_resources(body);
            config.correlation = correlation;
            let (ctx, _) = build_context(
                &model,
                &model_graph(&model).unwrap(),
                &Scenario::empty(&model),
                &config,
                None,
            )
            .unwrap();
            let Engine::Precedence(kernel) = &ctx.engine else {
                panic!("precedence");
            };
            assert!(kernel.is_fused());
            let plain = Context {
                engine: Engine::Precedence(Box::new(kernel.unfused())),
                durations: ctx.durations.clone(),
                plan: ctx.plan.clone(),
                milestone_nodes: ctx.milestone_nodes.clone(),
                ..ctx
            };
            let a = Worker::new(&ctx).run(&ctx, 0, 300);
            let b = Worker::new(&plain).run(&plain, 0, 300);
            assert_eq!(a.rows, b.rows);
            assert_eq!(a.draws, b.draws);
            assert_eq!(a.critical, b.critical);
            assert_eq!(a.risk_hits, b.risk_hits);
            assert!(
                a.risk_hits[0] > 50 && a.critical.iter().any(|&c| c > 0 && c < 300),
                "{:?} {:?}",
                a.risk_hits,
                a.critical
            );
        }
    }

    #[test]
    fn the_precedence_kernel_follows_every_link_type_as_cpm_does() {
        // Fixed durations, so every iteration is the critical-path pass: A 4d, B SS A +2 (6d),
        // C FF B +1 (3d), D FS A -1.5 (a lead, 5d), E SF D +3 (2d), F after C and E.
        let (model, config) = no_resources(
            "[[task]]\nid = \"A\"\nduration = 4\n\
             [[task]]\nid = \"B\"\nduration = 6\nafter = [{ id = \"A\", type = \"SS\", lag = 2 }]\n\
             [[task]]\nid = \"C\"\nduration = 3\nafter = [{ id = \"B\", type = \"FF\", lag = 1 }]\n\
             [[task]]\nid = \"D\"\nduration = 5\nafter = [{ id = \"A\", lag = -1.5 }]\n\
             [[task]]\nid = \"E\"\nduration = 2\nafter = [{ id = \"D\", type = \"SF\", lag = 9 }]\n\
             [[task]]\nid = \"F\"\nduration = 1\nafter = [\"C\", \"E\"]\n",
        );
        let cpm = crate::cpm::analyze_model(&model, EstimateChoice::Likely);
        let scenario = Scenario::empty(&model);
        let r = simulate(
            &model,
            &scenario,
            &config,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        // D starts at 2.5, E must finish by 2.5 + 9 = 11.5, so F starts at 11.5: E drives.
        assert_eq!(cpm.cpm.duration, 12.5);
        assert_eq!((r.finish.mean, r.finish.p95), (12.5, 12.5));
        let index = |id: &str| r.criticality.iter().find(|f| f.id == id).unwrap().value;
        assert_eq!(
            (index("A"), index("D"), index("E"), index("F"), index("C")),
            (1.0, 1.0, 1.0, 1.0, 0.0)
        );
    }

    /// Runs the simulation's lean resource SGS on the search's best list and crews, checks it
    /// places every node where the core SGS does, and returns those starts.
    fn lean_starts_equal_to_the_core_schedule(
        pp: &crate::program::ProgramProblem,
        result: &crate::schedule::SearchResult,
    ) -> Vec<u32> {
        let (order, modes) = (&result.solution.order, &result.solution.modes);
        let core = Sgs::new(&pp.problem)
            .unwrap()
            .schedule(order, modes)
            .unwrap();
        let nodes: Vec<usize> = order.iter().copied().filter(|&j| j < pp.nodes).collect();
        let net = ResourceNet::new(
            &nodes,
            |n| {
                let preds = &pp.problem.activities[n].preds;
                preds.iter().map(|p| (p.pred, p.lag, p.kind)).collect()
            },
            |n| {
                let crew = &pp.crews[n][modes[n]];
                crew.iter()
                    .enumerate()
                    .map(|(r, &c)| (r, c * UNITS_PER_PERSON))
                    .collect()
            },
            pp.capacity.clone(),
            pp.nodes,
        );
        let durations: Vec<u32> = (0..pp.nodes)
            .map(|n| pp.problem.activities[n].modes[modes[n]].duration)
            .collect();
        let mut starts = vec![0; pp.nodes];
        net.run(&durations, &mut Profile::default(), &mut starts);
        assert_eq!(starts, core.starts[..pp.nodes]);
        starts
    }

    #[test]
    fn the_lean_sgs_regenerates_the_core_schedule_with_every_link_type() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/links.toml");
        let model = crate::model::load_model(&path).unwrap();
        let team = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/links-team.toml");
        let scenario = crate::model::load_scenario(&team, &model).unwrap();
        let pp = crate::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
        let result = pp.search(&SearchConfig::default(), &[]).unwrap();
        let starts = lean_starts_equal_to_the_core_schedule(&pp, &result);
        // B starts 2 days after A; the lead of 1.5 days is rounded to 1 (ceil of -1.5).
        let at = |id: &str| starts[model.graph().unwrap().node(id).unwrap()];
        assert_eq!(at("B"), at("A") + 2);
        assert_eq!(at("D"), at("A") + 4 - 1);
    }

    #[test]
    fn the_lean_sgs_regenerates_the_core_schedule_of_the_fanz_model() {
        let model = crate::model::builtin_model();
        let scenario = crate::model::parse_scenario(
            crate::model::BUILTIN_SCENARIO,
            Path::new("seed-low.toml"),
            &model,
        )
        .unwrap();
        let pp = crate::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
        let config = SearchConfig {
            schedules: 500,
            ..SearchConfig::default()
        };
        let result = pp.search(&config, &[]).unwrap();
        lean_starts_equal_to_the_core_schedule(&pp, &result);
    }

    /// On a clock on which every activity works every day, the calendar pass is the lean SGS:
    /// the same starts, finishes and driving chain, iteration after iteration of FANZ with
    /// random whole durations.
    #[test]
    fn on_a_clock_of_every_day_the_calendar_pass_is_the_lean_sgs() {
        use crate::calendar::GridClock;
        use rand::{Rng, SeedableRng};
        let model = crate::model::builtin_model();
        let scenario = crate::model::parse_scenario(
            crate::model::BUILTIN_SCENARIO,
            Path::new("seed-low.toml"),
            &model,
        )
        .unwrap();
        let pp = crate::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
        let config = SearchConfig {
            schedules: 300,
            ..SearchConfig::default()
        };
        let result = pp.search(&config, &[]).unwrap();
        let fixed = FixedListPlan::from_search(&pp, &result, pp.nodes);
        let FixedNet::Days(days) = &fixed.net else {
            panic!("FANZ has no calendars of its own");
        };
        let order: Vec<usize> = result
            .solution
            .order
            .iter()
            .copied()
            .filter(|&j| j < pp.nodes)
            .collect();
        let every_day = GridClock::from_masks(vec![vec![true; 8192]], vec![0; pp.nodes]);
        let problem = one_mode_each(&pp, &result.solution.modes, &fixed.units);
        let on_calendars = CalendarNet::new(problem, Arc::new(every_day), order);
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        let (mut profile, mut pass) = (Profile::default(), Pass::default());
        let mut starts = vec![0; pp.nodes];
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut waits = 0;
        for _ in 0..200 {
            let duration: Vec<u32> = (0..pp.nodes)
                .map(|n| {
                    if n < model.tasks.len() {
                        rng.random_range(0..15)
                    } else {
                        0
                    }
                })
                .collect();
            days.run(&duration, &mut profile, &mut starts);
            on_calendars.run(&duration, &mut pass);
            assert_eq!(starts, pass.starts);
            let finish: Vec<u32> = starts.iter().zip(&duration).map(|(s, d)| s + d).collect();
            assert_eq!(finish, pass.finish);
            let finish_f: Vec<f64> = finish.iter().map(|&f| f64::from(f)).collect();
            let last = argmax(&finish_f);
            days.chain(last, &duration, &starts, &profile, &mut a);
            on_calendars.chain(last, &pass, &mut b);
            assert_eq!(a, b);
            waits += a
                .iter()
                .filter(|(_, l)| matches!(l, Some(Link::Resource(_))))
                .count();
        }
        assert!(waits > 50, "{waits} waits: the chains hardly compare roles");
    }

    /// FANZ with its QA and DevOps engineers offshore (Sunday to Thursday, their own
    /// holidays): the grid is Sunday to Friday, and QA and DevOps work only Monday to
    /// Thursday (both calendars).
    fn offshore_fanz() -> Model {
        let text = crate::model::BUILTIN_MODEL
            .replace("[roles.qa]\n", "[roles.qa]\ncalendar = \"offshore\"\n")
            .replace(
                "[roles.devops]\n",
                "[roles.devops]\ncalendar = \"offshore\"\n",
            )
            + "\n[calendars.offshore]\nworkdays = [\"sun\", \"mon\", \"tue\", \"wed\", \"thu\"]\n\
               holidays = [2025-10-05, 2026-01-01]\n";
        let model = crate::model::parse_model(&text, Path::new("offshore.toml")).unwrap();
        assert!(model.uses_calendars());
        model
    }

    /// Every iteration's schedule on calendars is one the independent checkers accept: the
    /// problem-level one on the clock, and the model-level one that counts each task's days
    /// from the model's own calendars (with the iteration's durations as the modes').
    #[test]
    fn an_iteration_on_calendars_passes_the_calendar_checkers() {
        let model = offshore_fanz();
        let scenario = crate::model::parse_scenario(
            crate::model::BUILTIN_SCENARIO,
            Path::new("seed-low.toml"),
            &model,
        )
        .unwrap();
        let pp = crate::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
        let config = SearchConfig {
            schedules: 50,
            ..SearchConfig::default()
        };
        let result = pp.search(&config, &[]).unwrap();
        let fixed = FixedListPlan::from_search(&pp, &result, pp.nodes);
        let sim = SimConfig {
            iterations: 40,
            seed: 11,
            distribution: Distribution::Pert,
            correlation: 0.2,
            resources: true,
        };
        let graph = Arc::new(model.graph().unwrap());
        let (ctx, _) = build_context(&model, &graph, &scenario, &sim, Some(fixed)).unwrap();
        let Engine::Calendars(net, _) = &ctx.engine else {
            panic!("the offshore model runs on calendars");
        };
        let mut worker = Worker::new(&ctx);
        let mut waited = 0;
        for i in 0..sim.iterations {
            worker.iterate_on_calendars(&ctx, net, i);
            let schedule = crate::schedule::Schedule {
                starts: worker.pass.starts.clone(),
                modes: vec![0; pp.nodes],
            };
            let mut problem = net.problem().clone();
            for (a, &d) in problem.activities.iter_mut().zip(&worker.whole) {
                a.modes[0].duration = d;
            }
            let clock = net.clock();
            let found = crate::schedule::calendars::check_on_calendars(&problem, clock, &schedule);
            assert!(found.is_empty(), "iteration {i}: {found:?}");
            let mut on_model = pp.clone();
            on_model.problem = problem;
            let found = crate::timeline::check_calendars(&model, &on_model, &schedule);
            assert!(found.is_empty(), "iteration {i}: {found:?}");
            waited += worker
                .pass
                .why
                .iter()
                .filter(|w| matches!(w, crate::schedule::calendars::Why::Waited { .. }))
                .count();
        }
        assert!(
            waited > 0,
            "no task waited for people: capacity is not checked"
        );
    }

    /// A clock too short for the iterations (3 grid days) is lengthened until none runs past
    /// it, and the figures are those of a run on a clock long enough from the start.
    #[test]
    fn a_clock_too_short_is_lengthened_and_changes_no_figure() {
        let model = offshore_fanz();
        let scenario = crate::model::parse_scenario(
            crate::model::BUILTIN_SCENARIO,
            Path::new("seed-low.toml"),
            &model,
        )
        .unwrap();
        let pp = crate::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
        let search = SearchConfig {
            schedules: 20,
            ..SearchConfig::default()
        };
        let result = pp.search(&search, &[]).unwrap();
        let sim = SimConfig {
            iterations: 300,
            seed: 4,
            distribution: Distribution::Pert,
            correlation: 0.0,
            resources: true,
        };
        let graph = pp.graph.clone();
        let never = AtomicBool::new(false);
        let deadlines = vec![None; 1 + model.milestones.len()];
        let summaries = |short: bool| {
            let fixed = FixedListPlan::from_search(&pp, &result, pp.nodes);
            let (mut ctx, _) = build_context(&model, &graph, &scenario, &sim, Some(fixed)).unwrap();
            if short {
                let Engine::Calendars(net, grid) = &ctx.engine else {
                    panic!("calendars");
                };
                let clock = Arc::new(grid.clock_of_length(3));
                ctx.engine = Engine::Calendars(Box::new(net.on_clock(clock)), grid.clone());
            }
            let mut acc = iterate_on_a_clock_long_enough(
                &mut ctx,
                &sim,
                deadlines.clone(),
                &never,
                &mut |_| {},
            )
            .unwrap();
            let Engine::Calendars(net, _) = &ctx.engine else {
                panic!("calendars");
            };
            assert!(!net.clock().overran());
            let days = net.clock().horizon_days();
            let all: Vec<Summary> = (0..deadlines.len()).map(|k| acc.summary(k)).collect();
            (all, days)
        };
        let (long, _) = summaries(false);
        let (short, days) = summaries(true);
        assert!(days > 3, "the short clock was not lengthened: {days} days");
        assert_eq!(long, short);
        assert!(long[0].p50 > 100.0, "{:?}", long[0]);
    }

    /// The report draws `histogram`: its percentiles must be the forecast's own, for every
    /// milestone and the finish.
    #[test]
    fn the_histograms_are_those_of_the_forecast() {
        let model = crate::model::builtin_model();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/seed-high.toml");
        let scenario = crate::model::load_scenario(&path, &model).unwrap();
        let config = SimConfig {
            iterations: 300,
            seed: 7,
            distribution: Default::default(),
            correlation: 0.3,
            resources: true,
        };
        let never = AtomicBool::new(false);
        let result =
            simulate_with_distributions(&model, &scenario, &config, &never, &mut |_| {}).unwrap();
        let plain = simulate(&model, &scenario, &config, &never, &mut |_| {}).unwrap();
        assert!(plain.finish_histogram.is_none() && plain.milestones[0].histogram.is_none());
        assert_eq!(plain.milestones[0].summary, result.milestones[0].summary);
        let series = std::iter::once(("finish", &result.finish_histogram, &result.finish)).chain(
            result
                .milestones
                .iter()
                .map(|m| (m.id.as_str(), &m.histogram, &m.summary)),
        );
        for (id, h, summary) in series {
            let h = h.as_ref().expect("asked for");
            assert_eq!(h.iter().map(|b| b.1).sum::<u64>(), 300, "{id}");
            assert!(h.windows(2).all(|w| w[0].0 < w[1].0), "{id} ascending");
            let p = |q| stats::histogram_percentile(h, q);
            assert_eq!(p(0.1), summary.p10, "{id} P10");
            assert_eq!(p(0.5), summary.p50, "{id} P50");
            assert_eq!(p(0.8), summary.p80, "{id} P80");
            assert_eq!(p(0.95), summary.p95, "{id} P95");
        }
    }
}
