//! One function per subcommand: turn arguments into library calls and choose the output.

mod bounds;
mod explain;
mod html_report;
mod interchange;
mod interrupt;
mod output;
mod rcpsp;
mod simulate;
mod track;

use crate::cli::{Cli, Command, EstimateArg, FormatArg, GraphFormat, ModelArg, SearchArgs};
use plan::model::{self, EstimateChoice, Model, Scenario};
use plan::report::{self, Format};
use plan::run::{Environment, EnvironmentBuilder, SettingsError};
use plan::schedule::{Schedule, SearchConfig, SearchFailure};
use plan::Diagnostics;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use thiserror::Error;

/// Exit code of bad input: files, flags, or a file that cannot be read or written.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code of an internal failure: a bug in plan.
pub const EXIT_INTERNAL: i32 = 1;
/// Exit code of a run interrupted by Ctrl-C (128 + SIGINT).
pub const EXIT_INTERRUPTED: i32 = 130;

/// A failed command, typed by whose problem it is (see [`CliError::exit_code`]).
#[derive(Debug, Error)]
pub enum CliError {
    /// Problems in the user's files, each with file, line, key and help.
    #[error("{0}")]
    Input(Diagnostics),
    /// A flag value, argument or input the command refuses, phrased for the user (a place in
    /// a file, when there is one, is in the message).
    #[error("error: {0}")]
    Invalid(String),
    /// A file that cannot be read or written, or standard output failing. Not a bug: the
    /// path, the disk or the permissions are the user's to fix.
    #[error("error: {0}")]
    Io(String),
    /// A bug in plan: the engine broke its own promise (for example a schedule that fails the
    /// independent check).
    #[error(
        "error: internal error: {0}\n  help: this is a bug in plan; please report it with the command and its input files"
    )]
    Internal(String),
    /// Stopped by Ctrl-C before it was done; nothing was written.
    #[error("{}", interrupt::INTERRUPTED)]
    Interrupted,
}

impl CliError {
    /// The process exit code: 1 for an internal failure, 2 for everything the user can fix,
    /// 130 when Ctrl-C stopped the run.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Internal(_) => EXIT_INTERNAL,
            CliError::Interrupted => EXIT_INTERRUPTED,
            CliError::Input(_) | CliError::Invalid(_) | CliError::Io(_) => EXIT_BAD_INPUT,
        }
    }
}

impl From<Diagnostics> for CliError {
    fn from(d: Diagnostics) -> Self {
        CliError::Input(d)
    }
}

impl From<output::WriteError> for CliError {
    fn from(e: output::WriteError) -> Self {
        match e {
            output::WriteError::Interrupted => CliError::Interrupted,
            other => CliError::Io(other.to_string()),
        }
    }
}

/// A search rejected by the scheduler is the model's fault; an unsound schedule is ours.
impl From<SearchFailure> for CliError {
    fn from(e: SearchFailure) -> Self {
        match e {
            SearchFailure::Rejected(e) => {
                CliError::Invalid(format!("the scheduler rejected the model: {e}"))
            }
            unsound @ SearchFailure::Unsound(_) => CliError::Internal(unsound.to_string()),
        }
    }
}

/// Runs the parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<i32, CliError> {
    interrupt::install();
    match cli.command {
        Command::CriticalPath(a) => match &a.baseline {
            Some(b) => track::critical_path(&a, b),
            None => critical_path(&a.model, a.format, a.near, a.estimate),
        },
        Command::Validate(a) => validate(&a.model, a.scenario.as_deref()),
        Command::Graph(a) => graph(&a.model, a.format),
        Command::Rcpsp(a) => rcpsp::rcpsp(&a),
        Command::Simulate(a) => simulate::run_simulate(&a),
        Command::Forecast(a) => simulate::run_forecast(&a),
        Command::Schedule(a) => match &a.baseline {
            Some(b) => track::schedule(&a, b),
            None => {
                let (_, report) = best_schedule(&a.search)?;
                emit(&report::schedule::render(&report, format(a.format)))?;
                Ok(0)
            }
        },
        Command::Export(a) => interchange::export(&a),
        Command::Import(a) => interchange::import(&a),
        Command::Completions(a) => interchange::completions(a.shell),
        Command::Man => interchange::man(),
        Command::Feasibility(a) => bounds::feasibility(&a),
        Command::Staff(a) => bounds::staff(&a),
        Command::Report(a) => html_report::report(&a),
        Command::Diff(a) => track::diff(&a),
        Command::History(a) => track::history(&a),
        Command::Baseline(a) => track::baseline(&a),
        Command::Status(a) => track::status(&a),
        Command::Explain(a) => explain::explain(&a),
    }
}

/// The model given with `--model`, else the built-in one, for a command that does not honour
/// role and task calendars yet (it refuses a model that names them).
fn load(arg: &ModelArg) -> Result<Model, CliError> {
    let model = load_any(arg)?;
    model.refuse_own_calendars("this command")?;
    Ok(model)
}

/// The model given with `--model`, else the built-in one, for a command that honours every
/// calendar.
fn load_any(arg: &ModelArg) -> Result<Model, CliError> {
    Ok(match &arg.model {
        Some(path) => model::load_model(path).map_err(|d| flag_hint(d, "--model"))?,
        None => model::builtin_model(),
    })
}

/// A scenario file read and checked against the model.
fn read_scenario(path: &Path, model: &Model) -> Result<Scenario, CliError> {
    Ok(model::load_scenario(path, model).map_err(|d| flag_hint(d, "--scenario"))?)
}

/// The library's advice for a file it cannot read, sharpened to the flag that gave the path.
fn flag_hint(mut diagnostics: Diagnostics, flag: &str) -> Diagnostics {
    for d in &mut diagnostics.0 {
        if d.help.as_deref() == Some(model::UNREADABLE_HELP) {
            d.help = Some(format!("check the path given to {flag}"));
        }
    }
    diagnostics
}

fn load_scenario(path: Option<&Path>, model: &Model) -> Result<Option<Scenario>, CliError> {
    path.map(|p| read_scenario(p, model)).transpose()
}

/// What a command does when a model file is given without a scenario.
enum NoTeam {
    /// Refuse with this advice (after "no team: ").
    Refuse(&'static str),
    /// Run with an empty team (precedence-only commands).
    Empty,
}

/// The advice when a search command gets a model file and no scenario.
const NEED_TEAM: &str = "give --scenario FILE with a [team] table (headcount per role)";

/// The scenarios of a command: the given files, else [`default_scenario`].
fn scenarios(
    m: &ModelArg,
    given: &[PathBuf],
    model: &Model,
    no_team: NoTeam,
) -> Result<Vec<Scenario>, CliError> {
    if given.is_empty() {
        return Ok(vec![default_scenario(m, model, no_team)?]);
    }
    given.iter().map(|p| read_scenario(p, model)).collect()
}

/// The scenario when none is given: the built-in team for the built-in model, else what
/// `no_team` says.
fn default_scenario(m: &ModelArg, model: &Model, no_team: NoTeam) -> Result<Scenario, CliError> {
    match (&m.model, no_team) {
        (None, _) => Ok(model::builtin_scenario(model)?),
        (Some(_), NoTeam::Empty) => Ok(Scenario::empty(model)),
        (Some(_), NoTeam::Refuse(advice)) => Err(CliError::Invalid(format!("no team: {advice}"))),
    }
}

fn estimate(e: EstimateArg) -> EstimateChoice {
    match e {
        EstimateArg::Optimistic => EstimateChoice::Optimistic,
        EstimateArg::Likely => EstimateChoice::Likely,
        EstimateArg::Pessimistic => EstimateChoice::Pessimistic,
        EstimateArg::Mean => EstimateChoice::Mean,
    }
}

fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Markdown => Format::Markdown,
    }
}

/// Writes to stdout; a closed pipe (`plan … | head`) is not an error. Nothing is printed once
/// Ctrl-C was pressed: an interrupted run has no output.
fn emit(text: &str) -> Result<(), CliError> {
    interrupt::check()?;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Io(format!("cannot write the output: {e}"))),
    }
}

fn critical_path(m: &ModelArg, f: FormatArg, near: f64, e: EstimateArg) -> Result<i32, CliError> {
    if !near.is_finite() || near < 0.0 {
        return Err(CliError::Invalid(format!(
            "--near {near}: give a number of working days of zero or more"
        )));
    }
    let model = load_any(m)?;
    let choice = estimate(e);
    let result = plan::cpm::analyze_model(&model, choice);
    let rep = report::critical_path::build(&model, &result, choice);
    emit(&report::critical_path::render(&rep, format(f), near))?;
    Ok(0)
}

fn validate(m: &ModelArg, scenario: Option<&Path>) -> Result<i32, CliError> {
    let model = load_any(m)?;
    let scenario = load_scenario(scenario, &model)?;
    let result = plan::cpm::analyze_model(&model, EstimateChoice::Likely);
    let warnings = report::lint::warnings(&model, &result);
    emit(&report::lint::render(&model, scenario.as_ref(), &warnings))?;
    Ok(0)
}

fn graph(m: &ModelArg, f: GraphFormat) -> Result<i32, CliError> {
    let model = load_any(m)?;
    let result = plan::cpm::analyze_model(&model, EstimateChoice::Likely);
    let text = match f {
        GraphFormat::Dot => report::graph::dot(&model, &result),
        GraphFormat::Mermaid => report::graph::mermaid(&model, &result),
    };
    emit(&text)?;
    Ok(0)
}

/// The one scenario of a search command: the given file, else the built-in default for the
/// built-in model.
fn search_scenario(args: &SearchArgs, model: &Model) -> Result<Scenario, CliError> {
    match &args.scenario {
        Some(path) => read_scenario(path, model),
        None => default_scenario(&args.model, model, NoTeam::Refuse(NEED_TEAM)),
    }
}

/// The run settings of a search command, built once from its flags.
fn environment(args: &SearchArgs) -> Result<Environment, CliError> {
    build_environment(
        Environment::builder()
            .seed(args.seed)
            .schedules(args.schedules)
            .time_limit(args.time_limit)
            .threads(args.threads),
    )
}

/// The cancel flag Ctrl-C sets (see [`interrupt`]), for every run's environment.
fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    interrupt::flag()
}

/// Builds the environment, stopped by Ctrl-C; each bad setting gets its one message, naming
/// its flag.
fn build_environment(builder: EnvironmentBuilder) -> Result<Environment, CliError> {
    builder
        .cancel(cancel_on_ctrl_c())
        .build()
        .map_err(|e| match e {
            SettingsError::ZeroBudget => {
                CliError::Invalid("--schedules 0: give a budget of at least 1 schedule".into())
            }
            SettingsError::TimeLimit(s) => CliError::Invalid(format!(
                "--time-limit {s}: give a positive number of seconds"
            )),
            SettingsError::ZeroThreads => {
                CliError::Invalid("--threads 0: give at least 1 thread".into())
            }
            SettingsError::ThreadPool(e) => {
                CliError::Io(format!("cannot start worker threads: {e}"))
            }
        })
}

/// The schedule against the model's own constraint dates (the independent check of what the
/// problem's release days should have kept): a failure is a bug in plan.
pub(crate) fn check_model_dates(
    model: &plan::model::Model,
    pp: &plan::program::ProgramProblem,
    schedule: &Schedule,
) -> Result<(), CliError> {
    match plan::timeline::check_model_dates(model, pp, schedule).first() {
        None => Ok(()),
        Some(v) => Err(CliError::Internal(format!(
            "the schedule shows {} on {}, before its {} date {}",
            v.id, v.shown, v.key, v.date
        ))),
    }
}

/// The checked best schedule of the model with the scenario's team, and its report.
fn best_schedule(
    args: &SearchArgs,
) -> Result<(Schedule, report::schedule::ScheduleReport), CliError> {
    let env = environment(args)?;
    let model = load(&args.model)?;
    let scenario = search_scenario(args, &model)?;
    let pp = plan::program::build(&model, &scenario, estimate(args.estimate))?;
    let result = env.install(|| pp.search(&SearchConfig::for_run(&env), &[]))?;
    // A cancelled search still returns its best schedule so far: not an answer to print.
    interrupt::check()?;
    check_model_dates(&model, &pp, &result.schedule)?;
    let rep = report::schedule::build(&model, &scenario.name, &pp, &result);
    Ok((result.schedule, rep))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plan::schedule::Violation;

    #[test]
    fn an_unsound_schedule_is_an_internal_failure_that_exits_1_and_asks_for_a_report() {
        let err = CliError::from(SearchFailure::Unsound(vec![Violation::Shape {
            activities: 2,
            starts: 1,
            modes: 1,
        }]));
        assert_eq!(err.exit_code(), EXIT_INTERNAL);
        let text = err.to_string();
        assert!(
            text.starts_with("error: internal error: the schedule found fails"),
            "{text}"
        );
        assert!(
            text.contains("this is a bug in plan; please report it"),
            "{text}"
        );
    }

    #[test]
    fn everything_the_user_can_fix_exits_2() {
        let rejected = CliError::from(SearchFailure::Rejected(
            plan::schedule::SearchError::DueDate { activity: 3 },
        ));
        assert!(matches!(rejected, CliError::Invalid(_)));
        let diagnostics = Diagnostics::from(plan::Diagnostic::new(Path::new("m.toml"), "", "x"));
        for err in [
            rejected,
            CliError::Input(diagnostics),
            CliError::Invalid("--threads 0".into()),
            CliError::Io("cannot write out.html".into()),
        ] {
            assert_eq!(err.exit_code(), EXIT_BAD_INPUT, "{err}");
        }
    }

    #[test]
    fn each_bad_setting_names_its_flag() {
        let message = |b: EnvironmentBuilder| build_environment(b).unwrap_err().to_string();
        let b = Environment::builder;
        assert!(message(b().schedules(0)).contains("--schedules 0"));
        assert!(message(b().time_limit(Some(-1.0))).contains("--time-limit -1"));
        assert!(message(b().threads(Some(0))).contains("--threads 0"));
    }
}
