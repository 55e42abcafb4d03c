//! `plan report`: schedules, verdicts and forecasts of each scenario, drawn into one
//! self-contained HTML file by [`plan::report::html`].

use super::bounds::verdicts;
use super::finishes;
use super::{build_environment, interrupt, load, scenarios, CliError, NoTeam, NEED_TEAM};
use crate::cli::{BucketArg, ReportArgs};
use plan::calendar::WorkCalendar;
use plan::model::scenario::SimulationSettings;
use plan::model::{EstimateChoice, Model, Scenario};
use plan::report::html::{self, Forecast, MilestoneForecast, Page, ScenarioView};
use plan::run::Environment;
use plan::schedule::SearchConfig;
use plan::simulate::{simulate, SimConfig, SimError, MAX_ITERATIONS};
use std::time::Instant;

/// Working days drawn beyond the last date any chart needs, so axes never run out of dates.
const SPARE_DAYS: usize = 60;

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
            schedule: v.schedule,
            feasibility: v.verdicts,
            forecast,
        });
    }
    interrupt::check()?;
    let page = page(&model, views, a);
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
        .install(|| simulate(model, scenario, &config, cancel, &mut |_| {}))
        .map_err(|e| match e {
            SimError::Input(d) => CliError::Input(d),
            SimError::Search(failure) => failure.into(),
            SimError::Cancelled => CliError::Interrupted,
            other => CliError::Invalid(other.to_string()),
        })?;
    let histograms =
        env.install(|| finishes::milestone_histograms(model, scenario, &config, cancel))?;
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    let milestones = result
        .milestones
        .iter()
        .zip(histograms)
        .zip(&model.milestones)
        .map(|((m, histogram), ms)| MilestoneForecast {
            id: m.id.clone(),
            name: m.name.clone(),
            due: ms.due,
            deadline: ms.due.map(|d| cal.deadline(d) as f64),
            p50: m.summary.p50,
            p80: m.summary.p80,
            probability_on_time: m.probability_on_time,
            histogram,
        })
        .collect();
    let figures = |v: &[plan::simulate::TaskFigure]| -> Vec<(String, f64)> {
        v.iter().map(|t| (t.id.clone(), t.value)).collect()
    };
    Ok(Some(Forecast {
        iterations: result.iterations,
        finish_p50: result.finish.p50,
        finish_p80: result.finish.p80,
        milestones,
        criticality: figures(&result.criticality),
        sensitivity: figures(&result.sensitivity),
    }))
}

/// Puts the page together: phases, the critical path, and dates for every working day shown.
fn page(model: &Model, scenarios: Vec<ScenarioView>, a: &ReportArgs) -> Page {
    let cpm = plan::cpm::analyze_model(model, EstimateChoice::Likely);
    let cp = plan::report::critical_path::build(model, &cpm, EstimateChoice::Likely);
    let critical = cp
        .tasks
        .iter()
        .filter(|t| t.critical)
        .map(|t| t.id.clone())
        .collect();
    let mut cal = WorkCalendar::new(model.calendar.clone(), model.project.start);
    let last = last_day(model, &scenarios, &mut cal) + SPARE_DAYS;
    let workdays = (0..=last).map(|d| cal.date_of(d)).collect();
    let iterations: Vec<String> = scenarios
        .iter()
        .filter_map(|s| s.forecast.as_ref().map(|f| f.iterations.to_string()))
        .collect();
    Page {
        project: model.project.name.clone(),
        status_date: model.project.start,
        workdays,
        phases: model
            .phases
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect(),
        task_phase: model
            .tasks
            .iter()
            .filter_map(|t| t.phase.clone().map(|p| (t.id.clone(), p)))
            .collect(),
        critical,
        scenarios,
        method: format!(
            "Made by plan {} from {}: best of {} generated schedules per scenario (checked independently); verdicts from the weekly capacity bound; {}. Critical path: precedence-only CPM with likely estimates.",
            env!("CARGO_PKG_VERSION"),
            model.file().display(),
            a.schedules,
            if iterations.is_empty() {
                "no Monte Carlo forecast".to_string()
            } else {
                format!("Monte Carlo with {} iterations", iterations.join(" / "))
            }
        ),
    }
}

/// The last working day any chart shows: finishes, due dates and simulated finishes.
fn last_day(model: &Model, scenarios: &[ScenarioView], cal: &mut WorkCalendar) -> usize {
    let dues = model
        .milestones
        .iter()
        .filter_map(|m| m.due)
        .map(|d| cal.deadline(d).max(0) as f64);
    let finishes = scenarios.iter().map(|s| s.schedule.finish as f64);
    let simulated = scenarios
        .iter()
        .filter_map(|s| s.forecast.as_ref())
        .flat_map(|f| f.milestones.iter())
        .filter_map(|m| m.histogram.last().map(|h| h.0));
    dues.chain(finishes)
        .chain(simulated)
        .fold(0.0, f64::max)
        .ceil() as usize
}
