//! `plan report`: schedules, verdicts and forecasts of each scenario, drawn into one
//! self-contained HTML file by [`plan::report::html`].

use super::bounds::verdicts;
use super::{load, thread_pool, CliError};
use crate::cli::{BucketArg, ReportArgs};
use plan::model::{self, EstimateChoice, Model, Scenario};
use plan::report::html::{self, Forecast, Page, ScenarioView};
use plan::schedule::SearchConfig;
use plan::simulate::{simulate_with_distributions, SimConfig, SimError, MAX_ITERATIONS};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// `plan report`.
pub fn report(a: &ReportArgs) -> Result<i32, CliError> {
    let started = Instant::now();
    if a.schedules == 0 {
        return Err(CliError::Other(
            "--schedules 0: give a budget of at least 1 schedule".into(),
        ));
    }
    if a.iterations == Some(0) {
        return Err(CliError::Other(
            "--iterations 0: give at least 1 iteration".into(),
        ));
    }
    let model = load(&a.model)?;
    let scenarios = report_scenarios(a, &model)?;
    let pool = thread_pool(a.threads)?;
    let config = SearchConfig {
        schedules: a.schedules,
        ..SearchConfig::default()
    };
    let mut views = Vec::new();
    for scenario in &scenarios {
        let v = verdicts(
            &model,
            scenario,
            &config,
            EstimateChoice::Likely,
            &pool,
            BucketArg::Week,
        )?;
        let forecast = forecast(&model, scenario, a, &pool)?;
        views.push(ScenarioView {
            name: scenario.name.clone(),
            schedule: v.schedule,
            feasibility: v.verdicts,
            forecast,
        });
    }
    let cpm = plan::cpm::analyze_model(&model, EstimateChoice::Likely);
    let page = Page::new(&model, &cpm, views, a.schedules);
    let html = html::render(&page);
    plan::output::write_atomic(&a.out, html.as_bytes()).map_err(CliError::Other)?;
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

/// The given scenarios, else the built-in team for the built-in model.
fn report_scenarios(a: &ReportArgs, model: &Model) -> Result<Vec<Scenario>, CliError> {
    if !a.scenario.is_empty() {
        return a
            .scenario
            .iter()
            .map(|p| model::load_scenario(p, model).map_err(CliError::from))
            .collect();
    }
    if a.model.model.is_some() {
        return Err(CliError::Other(
            "no team: give --scenario FILE with a [team] table (headcount per role)".into(),
        ));
    }
    Ok(vec![model::parse_scenario(
        model::BUILTIN_SCENARIO,
        Path::new(model::BUILTIN_SCENARIO_NAME),
        model,
    )?])
}

/// Iterations when neither the flag nor the scenario's `[simulation]` gives them.
const DEFAULT_ITERATIONS: u64 = 10_000;
/// Seed when neither the flag nor the scenario gives one.
const DEFAULT_SEED: u64 = 1;

/// The simulation settings: flags over the scenario's `[simulation]` table over defaults, as
/// `plan forecast` reads them, always with the scenario's team.
fn sim_config(a: &ReportArgs, scenario: &Scenario) -> Result<SimConfig, CliError> {
    let s = &scenario.simulation;
    let iterations = a.iterations.or(s.iterations).unwrap_or(DEFAULT_ITERATIONS);
    if iterations == 0 || iterations > MAX_ITERATIONS {
        return Err(CliError::Other(format!(
            "--iterations {iterations}: give between 1 and {MAX_ITERATIONS}"
        )));
    }
    Ok(SimConfig {
        iterations,
        seed: a.seed.or(s.seed).unwrap_or(DEFAULT_SEED),
        distribution: s.distribution.unwrap_or_default(),
        correlation: s.correlation.unwrap_or(0.0),
        resources: true,
    })
}

/// The Monte Carlo forecast of one scenario, with each milestone's finish histogram.
fn forecast(
    model: &Model,
    scenario: &Scenario,
    a: &ReportArgs,
    pool: &rayon::ThreadPool,
) -> Result<Option<Forecast>, CliError> {
    let config = sim_config(a, scenario)?;
    // Ctrl-C ends the process; the report is written atomically, so nothing half-done remains.
    let never = AtomicBool::new(false);
    let result = pool
        .install(|| simulate_with_distributions(model, scenario, &config, &never, &mut |_| {}))
        .map_err(|e| match e {
            SimError::Input(d) => CliError::Input(d),
            other => CliError::Other(other.to_string()),
        })?;
    Ok(Some(Forecast::from_simulation(model, &result)))
}
