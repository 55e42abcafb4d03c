//! `plan report`: schedules, verdicts and forecasts of each scenario, drawn into one
//! self-contained HTML file by [`plan::report::html`].

use super::bounds::verdicts;
use super::{build_environment, interrupt, load, scenarios, CliError, NoTeam, NEED_TEAM};
use crate::cli::{BucketArg, ReportArgs};
use plan::model::scenario::SimulationSettings;
use plan::model::{EstimateChoice, Model, Scenario};
use plan::report::html::{self, Forecast, Page, ScenarioView};
use plan::run::Environment;
use plan::schedule::SearchConfig;
use plan::simulate::{simulate_with_distributions, SimConfig, SimError, MAX_ITERATIONS};
use std::time::Instant;

/// `plan report`.
pub fn report(a: &ReportArgs) -> Result<i32, CliError> {
    let started = Instant::now();
    let env = build_environment(
        Environment::builder()
            .schedules(a.schedules)
            .threads(a.threads),
    )?;
    if a.iterations == Some(0) {
        return Err(CliError::Invalid(
            "--iterations 0: give at least 1 iteration".into(),
        ));
    }
    // A directory is refused before the work, not after.
    super::output::Target::of(&a.out)?;
    let model = load(&a.model)?;
    let scenarios = scenarios(&a.model, &a.scenario, &model, NoTeam::Refuse(NEED_TEAM))?;
    let (config, pool) = (SearchConfig::for_run(&env), env.pool());
    let mut views = Vec::new();
    for scenario in &scenarios {
        let v = verdicts(
            &model,
            scenario,
            &config,
            EstimateChoice::Likely,
            pool,
            BucketArg::Week,
        )?;
        interrupt::check()?;
        let forecast = forecast(&model, scenario, a, &env)?;
        views.push(ScenarioView {
            name: scenario.name.clone(),
            team: html::team_words(&model, scenario),
            schedule: v.schedule,
            feasibility: v.verdicts,
            forecast,
        });
    }
    interrupt::check()?;
    let cpm = plan::cpm::analyze_model(&model, EstimateChoice::Likely);
    let page = Page::new(&model, &cpm, views, a.schedules);
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

/// The simulation settings: flags over the scenario's `[simulation]` table over defaults, as
/// `plan forecast` reads them, always with the scenario's team.
fn sim_config(a: &ReportArgs, scenario: &Scenario) -> Result<SimConfig, CliError> {
    let given = SimulationSettings {
        iterations: a.iterations,
        seed: a.seed,
        ..SimulationSettings::default()
    };
    let config = SimConfig::layered(&given, &scenario.simulation, true);
    if config.iterations == 0 || config.iterations > MAX_ITERATIONS {
        return Err(CliError::Invalid(format!(
            "--iterations {}: give between 1 and {MAX_ITERATIONS}",
            config.iterations
        )));
    }
    Ok(config)
}

/// The Monte Carlo forecast of one scenario, with each milestone's finish histogram.
fn forecast(
    model: &Model,
    scenario: &Scenario,
    a: &ReportArgs,
    env: &Environment,
) -> Result<Option<Forecast>, CliError> {
    let config = sim_config(a, scenario)?;
    let cancel = env.cancel_flag();
    let result = env
        .install(|| simulate_with_distributions(model, scenario, &config, cancel, &mut |_| {}))
        .map_err(|e| match e {
            SimError::Input(d) => CliError::Input(d),
            SimError::Search(failure) => failure.into(),
            SimError::Cancelled => CliError::Interrupted,
            other => CliError::Invalid(other.to_string()),
        })?;
    Ok(Some(Forecast::from_simulation(model, &result)))
}
