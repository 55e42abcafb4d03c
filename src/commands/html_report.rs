//! `plan report`: schedules, verdicts and forecasts of each scenario, drawn into one
//! self-contained HTML file by [`plan::report::html`].
//!
//! Each scenario is searched once: its verdicts and its resource-aware forecast both use that
//! schedule, and the capacity bound is asked only about the milestones it misses (the page
//! shows no bound for a met date).

use super::common::{build_environment, load_any, scenarios, solve, NoTeam, NEED_TEAM};
use super::error::CliError;
use super::interrupt;
use crate::cli::ReportArgs;
use plan::bounds::verdict::{self, Feasibility};
use plan::bounds::Bucket;
use plan::model::scenario::SimulationSettings;
use plan::model::{EstimateChoice, Model, Scenario};
use plan::program::ProgramProblem;
use plan::report::html::{self, Forecast, Page, ScenarioView};
use plan::run::Environment;
use plan::schedule::{Schedule, SearchConfig};
use plan::simulate::{
    simulate_with_distributions_along, FixedListPlan, SimConfig, SimError, MAX_ITERATIONS,
};
use std::time::Instant;

/// Generated schedules per scenario when `--schedules` is not given.
pub const DEFAULT_SCHEDULES: u64 = 20_000;
/// Generated schedules × tasks the default budget allows: all of [`DEFAULT_SCHEDULES`] up to
/// 1,000 tasks, fewer above (2,000 at 10,000 tasks), where each schedule costs more and the
/// report would otherwise take minutes.
const DEFAULT_SEARCH_WORK: u64 = DEFAULT_SCHEDULES * 1_000;
/// The smallest default budget, whatever the size.
const MIN_DEFAULT_SCHEDULES: u64 = 100;

/// The search budget of each scenario: the flag's, else one that shrinks with the model.
fn schedules(a: &ReportArgs, model: &Model) -> u64 {
    a.schedules
        .unwrap_or_else(|| default_schedules(model.tasks.len()))
}

fn default_schedules(tasks: usize) -> u64 {
    let tasks = (tasks as u64).max(1);
    (DEFAULT_SEARCH_WORK / tasks).clamp(MIN_DEFAULT_SCHEDULES, DEFAULT_SCHEDULES)
}

/// `plan report`.
pub fn report(a: &ReportArgs) -> Result<i32, CliError> {
    let started = Instant::now();
    let env = build_environment(
        Environment::builder()
            .schedules(a.schedules.unwrap_or(DEFAULT_SCHEDULES))
            .threads(a.threads),
    )?;
    if a.iterations == Some(0) {
        return Err(CliError::Invalid(
            "--iterations 0: give at least 1 iteration".into(),
        ));
    }
    // A directory is refused before the work, not after.
    super::output::Target::of(&a.out)?;
    let model = load_any(&a.model)?;
    let scenarios = scenarios(&a.model, &a.scenario, &model, NoTeam::Refuse(NEED_TEAM))?;
    let budget = schedules(a, &model);
    let baseline = super::track::report_baseline(a, &model, &env, budget)?;
    let config = SearchConfig {
        schedules: budget,
        ..SearchConfig::for_run(&env)
    };
    let views = scenarios
        .iter()
        .map(|scenario| scenario_view(&model, scenario, a, &config, &env))
        .collect::<Result<Vec<_>, _>>()?;
    interrupt::check()?;
    let cpm = plan::cpm::analyze_program(&model, EstimateChoice::Likely);
    let mut page = Page::new(&model, &cpm, views, budget);
    super::track::report_tracking(a, &model, baseline.as_ref(), &env, budget, &mut page)?;
    let html = html::render(&page);
    super::output::write_atomic(&a.out, html.as_bytes())?;
    eprintln!(
        "wrote {} ({} KB, {} scenario{}) in {:.1} s",
        a.out.display(),
        html.len().div_ceil(1024),
        scenarios.len(),
        if scenarios.len() == 1 { "" } else { "s" },
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}

/// One scenario of the page: its checked schedule, its verdicts and its forecast along that
/// schedule.
fn scenario_view(
    model: &plan::model::Program,
    scenario: &Scenario,
    a: &ReportArgs,
    config: &SearchConfig,
    env: &Environment,
) -> Result<ScenarioView, CliError> {
    let (pp, result) = solve(model, scenario, EstimateChoice::Likely, config, env.pool())?;
    let schedule = plan::report::schedule::build(model, &scenario.name, &pp, &result);
    let bound = verdicts(model, &pp, &result.schedule);
    interrupt::check()?;
    let mut feasibility = plan::report::feasibility::build(model, &schedule, &bound);
    if model.tasks.len() > BOUND_MAX_TASKS {
        feasibility.bound = Some(format!(
            "Capacity bound not computed: above {BOUND_MAX_TASKS} tasks it takes minutes, so \
             verdicts come from the schedule alone; `plan feasibility` computes it."
        ));
    }
    let fixed = FixedListPlan::from_search(&pp, &result, pp.graph.ids.len());
    drop(pp);
    let forecast = forecast(model, scenario, a, env, fixed)?;
    Ok(ScenarioView {
        name: scenario.name.clone(),
        team: html::team_words(model, scenario),
        schedule,
        feasibility,
        forecast,
    })
}

/// Most tasks the report asks the capacity bound about: above it each missed milestone's bound
/// is dozens of LPs that take minutes (and often hit the solver's time limit), so the page
/// gives verdicts from the schedule alone and says so; `plan feasibility` still computes it.
pub const BOUND_MAX_TASKS: usize = 2_000;

/// The verdicts of a checked schedule: backed by the capacity bound where the schedule misses
/// a date, up to [`BOUND_MAX_TASKS`], as `plan feasibility` decides them (on role and task
/// calendars too: the bound counts each task on its own working days).
pub(super) fn verdicts(model: &Model, pp: &ProgramProblem, schedule: &Schedule) -> Feasibility {
    if model.tasks.len() <= BOUND_MAX_TASKS {
        verdict::verdicts_of_missed(model, pp, schedule, Bucket::Week)
    } else {
        verdict::verdicts_of_schedule(pp, schedule, "not computed by the report")
    }
}

/// Iterations when neither `--iterations` nor the scenario gives them.
pub const DEFAULT_ITERATIONS: u64 = 10_000;
/// Iterations × tasks the default allows: all of [`DEFAULT_ITERATIONS`] up to 1,000 tasks,
/// fewer above (1,000 at 10,000 tasks, 200 from 50,000): each resource-aware iteration is one
/// pass over every task.
const DEFAULT_SIMULATION_WORK: u64 = DEFAULT_ITERATIONS * 1_000;
/// The smallest default number of iterations, whatever the size.
const MIN_DEFAULT_ITERATIONS: u64 = 200;

fn default_iterations(tasks: usize) -> u64 {
    let tasks = (tasks as u64).max(1);
    (DEFAULT_SIMULATION_WORK / tasks).clamp(MIN_DEFAULT_ITERATIONS, DEFAULT_ITERATIONS)
}

/// The simulation settings: flags over the scenario's `[simulation]` table over defaults, as
/// `plan forecast` reads them (with fewer iterations by default on large models), always with
/// the scenario's team.
fn sim_config(a: &ReportArgs, model: &Model, scenario: &Scenario) -> Result<SimConfig, CliError> {
    let given = SimulationSettings {
        iterations: a.iterations,
        seed: a.seed,
        ..SimulationSettings::default()
    };
    let mut config = SimConfig::layered(&given, &scenario.simulation, true);
    if a.iterations.is_none() && scenario.simulation.iterations.is_none() {
        config.iterations = default_iterations(model.tasks.len());
    }
    if config.iterations == 0 || config.iterations > MAX_ITERATIONS {
        return Err(CliError::Invalid(format!(
            "--iterations {}: give between 1 and {MAX_ITERATIONS}",
            config.iterations
        )));
    }
    Ok(config)
}

/// The Monte Carlo forecast of one scenario along the list and crews of its searched schedule,
/// with each milestone's finish histogram.
fn forecast(
    model: &Model,
    scenario: &Scenario,
    a: &ReportArgs,
    env: &Environment,
    fixed: FixedListPlan,
) -> Result<Option<Forecast>, CliError> {
    let config = sim_config(a, model, scenario)?;
    let cancel = env.cancel_flag();
    let result = env
        .install(|| {
            simulate_with_distributions_along(model, scenario, &config, fixed, cancel, &mut |_| {})
        })
        .map_err(|e| match e {
            SimError::Input(d) => CliError::Input(d),
            SimError::Search(failure) => failure.into(),
            SimError::Cancelled => CliError::Interrupted,
            other => CliError::Invalid(other.to_string()),
        })?;
    Ok(Some(Forecast::from_simulation(model, &result)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Defaults are those of small models up to 1,000 tasks, then shrink with the size.
    #[test]
    fn default_budgets_shrink_with_the_model() {
        for tasks in [0, 143, 1_000] {
            assert_eq!(default_schedules(tasks), 20_000);
            assert_eq!(default_iterations(tasks), 10_000);
        }
        assert_eq!(default_schedules(10_000), 2_000);
        assert_eq!(default_iterations(10_000), 1_000);
        assert_eq!(default_schedules(1_000_000), 100);
        assert_eq!(default_iterations(1_000_000), 200);
    }
}
