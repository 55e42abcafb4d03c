//! What several commands share: loading the model and scenarios, the flags' enums as the
//! library's, the run's environment, printing, and the checked best schedule.
//!
//! It imports no command module, only the leaves below them ([`super::error`],
//! [`super::interrupt`]), so every command may use it and nothing here depends back on them.

use super::error::CliError;
use super::interrupt;
use crate::cli::{EstimateArg, FormatArg, ModelArg, SearchArgs};
use plan::model::{self, EstimateChoice, Model, Program, Scenario};
use plan::program::ProgramProblem;
use plan::report::{self, Format};
use plan::run::{Environment, EnvironmentBuilder, SettingsError};
use plan::schedule::{Schedule, SearchConfig, SearchResult, Solution};
use plan::Diagnostics;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The model given with `--model`, else the built-in one, validated with its graph: read and
/// built once per run, then handed to every stage. For a command that honours every calendar.
pub fn load_any(arg: &ModelArg) -> Result<Program, CliError> {
    Ok(match &arg.model {
        Some(path) => model::load_program(path).map_err(|d| flag_hint(d, "--model"))?,
        None => model::builtin_program(),
    })
}

/// Values a command is done with just before the process exits: the operating system takes
/// their memory back at once, where freeing a large model (a million tasks, their graph and
/// report rows) one allocation at a time would take a tenth of the run.
pub fn left_to_exit<T>(values: T) {
    std::mem::forget(values);
}

/// A scenario file read and checked against the model.
pub fn read_scenario(path: &Path, model: &Model) -> Result<Scenario, CliError> {
    Ok(model::load_scenario(path, model).map_err(|d| flag_hint(d, "--scenario"))?)
}

/// The library's advice for a file it cannot read, sharpened to the flag that gave the path.
pub fn flag_hint(mut diagnostics: Diagnostics, flag: &str) -> Diagnostics {
    for d in &mut diagnostics.0 {
        if d.help.as_deref() == Some(model::UNREADABLE_HELP) {
            d.help = Some(format!("check the path given to {flag}"));
        }
    }
    diagnostics
}

/// The scenario file, if one is given, read against the model.
pub fn load_scenario(path: Option<&Path>, model: &Model) -> Result<Option<Scenario>, CliError> {
    path.map(|p| read_scenario(p, model)).transpose()
}

/// What a command does when a model file is given without a scenario.
pub enum NoTeam {
    /// Refuse with this advice (after "no team: ").
    Refuse(&'static str),
    /// Run with an empty team (precedence-only commands).
    Empty,
}

/// The advice when a search command gets a model file and no scenario.
pub const NEED_TEAM: &str = "give --scenario FILE with a [team] table (headcount per role)";

/// The scenarios of a command: the given files, else [`default_scenario`].
pub fn scenarios(
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

/// `--estimate` as the library's choice.
pub fn estimate(e: EstimateArg) -> EstimateChoice {
    match e {
        EstimateArg::Optimistic => EstimateChoice::Optimistic,
        EstimateArg::Likely => EstimateChoice::Likely,
        EstimateArg::Pessimistic => EstimateChoice::Pessimistic,
        EstimateArg::Mean => EstimateChoice::Mean,
    }
}

/// `--format` as the report's format.
pub fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Markdown => Format::Markdown,
    }
}

/// Writes to stdout; a closed pipe (`plan … | head`) is not an error. Nothing is printed once
/// Ctrl-C was pressed: an interrupted run has no output.
pub fn emit(text: &str) -> Result<(), CliError> {
    emit_with(|out| out.write_all(text.as_bytes()))
}

/// Like [`emit`], for output written piece by piece (a large graph or export is streamed
/// through a buffer, never held whole).
pub fn emit_with(fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), CliError> {
    interrupt::check()?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match fill(&mut out).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Io(format!("cannot write the output: {e}"))),
    }
}

/// The one scenario of a search command: the given file, else the built-in default for the
/// built-in model.
pub fn search_scenario(args: &SearchArgs, model: &Model) -> Result<Scenario, CliError> {
    match &args.scenario {
        Some(path) => read_scenario(path, model),
        None => default_scenario(&args.model, model, NoTeam::Refuse(NEED_TEAM)),
    }
}

/// The run settings of a search command, built once from its flags.
pub fn environment(args: &SearchArgs) -> Result<Environment, CliError> {
    build_environment(
        Environment::builder()
            .seed(args.seed)
            .schedules(args.schedules)
            .time_limit(args.time_limit)
            .threads(args.threads),
    )
}

/// Builds the environment, stopped by Ctrl-C (see [`interrupt`]); each bad setting gets its
/// one message, naming its flag.
pub fn build_environment(builder: EnvironmentBuilder) -> Result<Environment, CliError> {
    builder
        .cancel(interrupt::flag())
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
pub fn check_model_dates(
    model: &Model,
    pp: &ProgramProblem,
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

/// The schedule against the model's role and task calendars (nothing to check without
/// them): a failure is a bug in plan.
pub fn check_calendars(
    model: &Model,
    pp: &ProgramProblem,
    schedule: &Schedule,
) -> Result<(), CliError> {
    if !model.uses_calendars() {
        return Ok(());
    }
    match plan::timeline::check_calendars(model, pp, schedule).first() {
        None => Ok(()),
        Some(v) => Err(CliError::Internal(format!(
            "the schedule fails the calendar check: {v}"
        ))),
    }
}

/// Testing only: the environment variable that makes a debug build of `plan` fail on purpose,
/// so that the tests can see what a user sees when plan has a bug (exit 1, the line asking
/// for a report). No input can do it honestly: a failure that input can cause is bad input
/// (exit 2), and one that it cannot is a bug, which is fixed once found, not kept as a test
/// case. Release builds ignore the variable ([`test_fault`]).
pub const FAULT_VARIABLE: &str = "PLAN_TEST_FAULT";
/// [`FAULT_VARIABLE`]'s value that breaks the searched schedule before it is used.
pub const UNSOUND_SCHEDULE: &str = "unsound-schedule";
/// [`FAULT_VARIABLE`]'s value that panics at the start of the command.
pub const PANIC: &str = "panic";

/// Whether [`FAULT_VARIABLE`] asks for `fault` (never in a release build).
pub fn test_fault(fault: &str) -> bool {
    cfg!(debug_assertions) && std::env::var_os(FAULT_VARIABLE).is_some_and(|v| v == fault)
}

/// What the independent checker says of `schedule` with every activity moved to day 0 (which
/// breaks each link and each role's capacity): the failure a search bug would give, worded
/// and mapped to its exit code by the same code as a real one.
fn broken_schedule(pp: &ProgramProblem, schedule: &Schedule) -> plan::schedule::SearchFailure {
    let mut broken = schedule.clone();
    broken.starts.fill(0);
    plan::schedule::SearchFailure::Unsound(plan::schedule::check(&pp.problem, &broken))
}

/// The best schedule of one team, checked by the search and against the model's dates.
pub fn solve(
    model: &Program,
    scenario: &Scenario,
    choice: EstimateChoice,
    config: &SearchConfig,
    pool: &rayon::ThreadPool,
) -> Result<(ProgramProblem, SearchResult), CliError> {
    solve_from(model, scenario, choice, config, pool, |_| Vec::new())
}

/// [`solve`] with the search also starting from the solutions `initial` gives for the team's
/// problem (a schedule of another team carried over to this one).
pub fn solve_from(
    model: &Program,
    scenario: &Scenario,
    choice: EstimateChoice,
    config: &SearchConfig,
    pool: &rayon::ThreadPool,
    initial: impl FnOnce(&ProgramProblem) -> Vec<Solution>,
) -> Result<(ProgramProblem, SearchResult), CliError> {
    let pp = plan::program::build_for(model, scenario, choice)?;
    let initial = initial(&pp);
    let result = pool.install(|| pp.search(config, &initial))?;
    // A cancelled search still returns its best schedule so far: not an answer to use.
    interrupt::check()?;
    if test_fault(UNSOUND_SCHEDULE) {
        return Err(broken_schedule(&pp, &result.schedule).into());
    }
    check_model_dates(model, &pp, &result.schedule)?;
    check_calendars(model, &pp, &result.schedule)?;
    Ok((pp, result))
}

/// The checked best schedule of the model with the scenario's team, and its report.
pub fn best_schedule(
    args: &SearchArgs,
) -> Result<(Schedule, report::schedule::ScheduleReport), CliError> {
    let env = environment(args)?;
    let model = load_any(&args.model)?;
    let scenario = search_scenario(args, &model)?;
    searched_schedule(&env, &model, &scenario, args)
}

/// [`best_schedule`] of a program and scenario already loaded.
pub fn searched_schedule(
    env: &Environment,
    model: &Program,
    scenario: &Scenario,
    args: &SearchArgs,
) -> Result<(Schedule, report::schedule::ScheduleReport), CliError> {
    let config = SearchConfig::for_run(env);
    let (pp, result) = solve(
        model,
        scenario,
        estimate(args.estimate),
        &config,
        env.pool(),
    )?;
    let rep = report::schedule::build(model, &scenario.name, &pp, &result);
    Ok((result.schedule, rep))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bad_setting_names_its_flag() {
        let message = |b: EnvironmentBuilder| build_environment(b).unwrap_err().to_string();
        let b = Environment::builder;
        assert!(message(b().schedules(0)).contains("--schedules 0"));
        assert!(message(b().time_limit(Some(-1.0))).contains("--time-limit -1"));
        assert!(message(b().threads(Some(0))).contains("--threads 0"));
    }
}
