//! `plan explain ID`: the library explains ([`plan::explain`]), the report words it.

use super::common::{emit, environment, estimate, load, search_scenario};
use super::error::CliError;
use super::interrupt;
use crate::cli::{BucketArg, ExplainArgs, ExplainFormat};
use plan::bounds::verdict::{self, BoundRun, Feasibility};
use plan::bounds::Bucket;
use plan::bounds::SolverFailed;
use plan::model::{EstimateChoice, Model, Scenario};
use plan::program::{self, ProgramProblem};
use plan::schedule::{Schedule, SearchConfig, SearchResult};

/// A team's checked best schedule.
fn solve(
    model: &Model,
    scenario: &Scenario,
    config: &SearchConfig,
    choice: EstimateChoice,
    pool: &rayon::ThreadPool,
) -> Result<(ProgramProblem, SearchResult), CliError> {
    let pp = program::build(model, scenario, choice)?;
    let result = pool.install(|| pp.search(config, &[]))?;
    // A cancelled search returns its best so far; the run stops instead of explaining it.
    interrupt::check()?;
    Ok((pp, result))
}

/// An id that is no task or milestone: exit 2, with the closest id when one is near.
fn unknown_id(model: &Model, pp: &ProgramProblem, id: &str) -> CliError {
    let ids = pp.graph.ids.iter().map(String::as_str);
    let help = match plan::error::closest(id, ids) {
        Some(near) => format!("did you mean \"{near}\"?"),
        None => "give the id of a [[task]] or [[milestone]] of the model".to_string(),
    };
    CliError::Invalid(format!(
        "{}: no task or milestone has the id \"{id}\"\n  help: {help}",
        model.file.display()
    ))
}

/// The verdicts with the capacity bound asked only about missed milestones, and not at all
/// above the report's limit of tasks ([`super::html_report::BOUND_MAX_TASKS`]), where it takes
/// minutes: a certificate is only shown beside a date the schedule misses.
fn bound_where_missed(
    model: &Model,
    pp: &ProgramProblem,
    schedule: &Schedule,
    bucket: Bucket,
) -> Feasibility {
    if model.tasks.len() <= super::html_report::BOUND_MAX_TASKS {
        verdict::verdicts_of_missed(model, pp, schedule, bucket)
    } else {
        super::html_report::verdicts(model, pp, schedule)
    }
}

/// `plan explain`.
pub fn explain(a: &ExplainArgs) -> Result<i32, CliError> {
    let args = &a.search;
    let env = environment(args)?;
    let model = load(&args.model)?;
    let scenario = search_scenario(args, &model)?;
    let choice = estimate(args.estimate);
    let (config, pool) = (SearchConfig::for_run(&env), env.pool());
    let pp = program::build(&model, &scenario, choice)?;
    let node = plan::explain::node_of(&pp, &a.id).ok_or_else(|| unknown_id(&model, &pp, &a.id))?;
    let (pp, result) = solve(&model, &scenario, &config, choice, pool)?;
    let bucket = match a.bucket {
        BucketArg::Day => Bucket::Day,
        BucketArg::Week => Bucket::Week,
    };
    let feasibility = bound_where_missed(&model, &pp, &result.schedule, bucket);
    interrupt::check()?;
    let finish = result.schedule.finish(&pp.problem, node).unwrap_or(0);
    // What one more person buys is read from schedules: the bound of each larger team (dozens
    // of LPs per milestone) would not change the answer.
    let schedules_only = Feasibility {
        milestones: feasibility.milestones.clone(),
        bound: BoundRun::Unavailable(SolverFailed("not needed to compare schedules".into())),
    };
    let gains =
        plan::explain::role_gains(&model, &scenario, &schedules_only, finish, node, |team| {
            solve(&model, team, &config, choice, pool).map(|(pp, r)| (pp, r.schedule))
        })?;
    let explanation = plan::explain::explain(&model, &pp, &result, node, Some(&feasibility), gains);
    let report = plan::report::explain::build(&model, &explanation, Some(&feasibility));
    let json = matches!(a.format, ExplainFormat::Json);
    emit(&plan::report::explain::render(&report, json))?;
    Ok(0)
}
