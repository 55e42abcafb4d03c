//! `plan feasibility` with capacity bounds, and `plan staff`.

use super::common::{
    check_calendars, emit, environment, estimate, format, load_any, search_scenario, solve,
};
use super::error::CliError;
use super::interrupt;
use crate::cli::{BucketArg, FeasibilityArgs, StaffArgs, StaffFormat};
use plan::bounds::staff::{self as staffing, StaffError};
use plan::bounds::verdict::{self, Feasibility};
use plan::bounds::Bucket;
use plan::model::{EstimateChoice, Model, Scenario};
use plan::program::ProgramProblem;
use plan::report::bounds as rb;
use plan::report::feasibility::FeasibilityReport;
use plan::report::{self, Format};
use plan::schedule::{SearchConfig, SearchResult};

fn bucket(b: BucketArg) -> Bucket {
    match b {
        BucketArg::Day => Bucket::Day,
        BucketArg::Week => Bucket::Week,
    }
}

/// A checked best schedule of one team.
struct Solved {
    pp: ProgramProblem,
    result: SearchResult,
}

fn solve_team(
    model: &plan::model::Program,
    scenario: &Scenario,
    config: &SearchConfig,
    choice: EstimateChoice,
    pool: &rayon::ThreadPool,
) -> Result<Solved, CliError> {
    let (pp, result) = solve(model, scenario, choice, config, pool)?;
    Ok(Solved { pp, result })
}

/// A team's verdicts, as the library decides them.
pub(super) struct Verdicts {
    /// One verdict per milestone, as reported.
    pub verdicts: FeasibilityReport,
    feasibility: Feasibility,
}

/// Searches the team's best schedule, checks it, and gives each milestone its verdict
/// (`plan feasibility` without `--marginal`).
pub(super) fn verdicts(
    model: &plan::model::Program,
    scenario: &Scenario,
    config: &SearchConfig,
    choice: EstimateChoice,
    pool: &rayon::ThreadPool,
    buckets: BucketArg,
) -> Result<Verdicts, CliError> {
    let solved = solve_team(model, scenario, config, choice, pool)?;
    let rep = report::schedule::build(model, &scenario.name, &solved.pp, &solved.result);
    let feasibility =
        verdict::verdicts(model, &solved.pp, &solved.result.schedule, bucket(buckets));
    interrupt::check()?;
    let verdicts = report::feasibility::build(model, &rep, &feasibility);
    Ok(Verdicts {
        verdicts,
        feasibility,
    })
}

/// `plan feasibility`.
pub fn feasibility(a: &FeasibilityArgs) -> Result<i32, CliError> {
    let args = &a.search;
    let env = environment(args)?;
    let model = load_any(&args.model)?;
    let scenario = search_scenario(args, &model)?;
    let (config, pool) = (SearchConfig::for_run(&env), env.pool());
    let choice = estimate(args.estimate);
    let v = verdicts(&model, &scenario, &config, choice, pool, a.bucket)?;
    let mut verdicts = v.verdicts;
    if a.marginal {
        let gains = verdict::marginal(&model, &scenario, &v.feasibility, |team| {
            solve_team(&model, team, &config, choice, pool).map(|s| (s.pp, s.result.schedule))
        })?;
        verdicts.marginal = Some(report::feasibility::marginal(&model, &gains));
    }
    emit(&report::feasibility::render_feasibility(
        &verdicts,
        format(a.format),
    ))?;
    Ok(0)
}

/// Parses `--max ROLE=N` caps against the model's roles and the scenario's team.
fn caps(model: &Model, scenario: &Scenario, max: &[String]) -> Result<Vec<Option<u32>>, CliError> {
    let mut caps = vec![None; model.roles.len()];
    for item in max {
        let Some((role, n)) = item.split_once('=') else {
            return Err(CliError::Invalid(format!(
                "--max {item}: write ROLE=N, e.g. --max backend=8"
            )));
        };
        let role = role.trim();
        let Some(r) = model.role_index(role) else {
            let closest = model
                .roles
                .iter()
                .map(|x| (strsim::levenshtein(&x.id, role), &x.id))
                .min();
            let hint = closest.map_or(String::new(), |(_, id)| format!("; did you mean \"{id}\"?"));
            let known: Vec<&str> = model.roles.iter().map(|x| x.id.as_str()).collect();
            return Err(CliError::Invalid(format!(
                "--max {item}: the model has no role \"{role}\" (roles: {}){hint}",
                known.join(", ")
            )));
        };
        let Ok(n) = n.trim().parse::<u32>() else {
            return Err(CliError::Invalid(format!(
                "--max {item}: give a whole number of people after '='"
            )));
        };
        if n < scenario.team[r] {
            return Err(CliError::Invalid(format!(
                "--max {item}: the cap is below the scenario's current team of {} {role}",
                scenario.team[r]
            )));
        }
        caps[r] = Some(n);
    }
    Ok(caps)
}

/// `plan staff`.
pub fn staff(a: &StaffArgs) -> Result<i32, CliError> {
    let args = &a.search;
    let env = environment(args)?;
    let model = load_any(&args.model)?;
    let scenario = search_scenario(args, &model)?;
    confidence(a)?;
    let caps = caps(&model, &scenario, &a.max)?;
    let config = SearchConfig::for_run(&env);
    let choice = estimate(args.estimate);
    let options = staffing::StaffOptions {
        caps,
        hires: a.hires,
        confidence: confidence(a)?,
    };
    let result = env
        .install(|| {
            staffing::staff_with(
                &model,
                &scenario,
                choice,
                bucket(a.bucket),
                &config,
                &options,
            )
        })
        .map_err(|e| match e {
            StaffError::Solver(why) => CliError::Invalid(format!(
                "the LP solver did not finish ({why}); try --bucket week or a smaller model"
            )),
            StaffError::Search(failure) => failure.into(),
            StaffError::Cancelled => CliError::Interrupted,
            e @ StaffError::NotOnCalendars(_) => CliError::Invalid(format!(
                "{e}\nhelp: run `plan staff` without --hires (a team from the start), or remove the calendar keys"
            )),
            other => CliError::Invalid(other.to_string()),
        })?;
    check_calendars(&model, &result.problem, &result.schedule)?;
    if let Some(late) = &result.late_team {
        check_calendars(&model, &late.problem, &late.schedule)?;
    }
    let rep = rb::staff(&model, &scenario, &result, a.confidence);
    let fmt = match a.format {
        StaffFormat::Table => Format::Table,
        StaffFormat::Json => Format::Json,
    };
    emit(&rb::render_staff(&rep, fmt))?;
    Ok(0)
}

/// `--confidence P` and `--iterations N`, checked.
fn confidence(a: &StaffArgs) -> Result<Option<staffing::Confidence>, CliError> {
    let Some(p) = a.confidence else {
        return Ok(None);
    };
    if !(p > 0.0 && p < 1.0) {
        return Err(CliError::Invalid(format!(
            "--confidence {p}: give a probability strictly between 0 and 1, e.g. 0.8"
        )));
    }
    if a.iterations == 0 || a.iterations > plan::simulate::MAX_ITERATIONS {
        return Err(CliError::Invalid(format!(
            "--iterations {}: give between 1 and {}",
            a.iterations,
            plan::simulate::MAX_ITERATIONS
        )));
    }
    Ok(Some(staffing::Confidence {
        probability: p,
        iterations: a.iterations,
    }))
}
