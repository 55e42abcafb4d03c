//! `plan explain ID`: the library explains ([`plan::explain`]), the report words it.

use super::common::{emit, environment, estimate, load_any, search_scenario, solve_from};
use super::error::CliError;
use super::interrupt;
use crate::cli::{BucketArg, ExplainArgs, ExplainFormat};
use plan::bounds::verdict::{self, Feasibility};
use plan::bounds::Bucket;
use plan::explain::RoleSearch;
use plan::graph::NodeKind;
use plan::model::{EstimateChoice, Model, Program, Scenario};
use plan::program::ProgramProblem;
use plan::schedule::{Schedule, SearchConfig, SearchResult};
use std::time::{Duration, Instant};

/// A team's checked best schedule, the search starting from `warm`'s list too when given
/// (the schedule explained, with its crews carried over to this team).
fn solve(
    model: &Program,
    scenario: &Scenario,
    config: &SearchConfig,
    choice: EstimateChoice,
    pool: &rayon::ThreadPool,
    warm: Option<(&ProgramProblem, &SearchResult)>,
) -> Result<(ProgramProblem, SearchResult), CliError> {
    solve_from(model, scenario, choice, config, pool, |pp| {
        warm.and_then(|(base, result)| plan::explain::warm_start(base, result, pp))
            .into_iter()
            .collect()
    })
}

/// Share of the searches' time the search of the schedule explained gets; the role searches
/// share the rest.
const BASE_SHARE: f64 = 0.5;
/// Share of `--time-limit` by which every search has ended; the rest is for building each
/// team's problem, checking and writing, so the whole run keeps to the limit.
const SEARCHES_SHARE: f64 = 0.9;
/// Fewest schedules a role's search gets, whatever the budget (its warm start is evaluated
/// even past it).
const MIN_ROLE_SCHEDULES: u64 = 100;

/// When the run's searches have to end: [`SEARCHES_SHARE`] of the time limit after the start.
struct Deadline(Option<Instant>);

impl Deadline {
    fn of(started: Instant, limit: Option<Duration>) -> Self {
        Deadline(limit.map(|t| started + t.mul_f64(SEARCHES_SHARE)))
    }

    fn left(&self) -> Option<Duration> {
        self.0.map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// `config` with `share` of the time left as its limit (none without a deadline).
    fn share(&self, config: &SearchConfig, share: f64) -> SearchConfig {
        SearchConfig {
            time_limit: self.left().map(|t| t.mul_f64(share)),
            ..config.clone()
        }
    }
}

/// The budget of each of `roles` role searches: the run's budget shared between them (a role's
/// search starts from the schedule explained, so it needs less than a search from scratch).
fn role_schedules(config: &SearchConfig, roles: usize) -> u64 {
    (config.schedules / roles.max(1) as u64).max(MIN_ROLE_SCHEDULES)
}

/// An id that is no task or milestone: exit 2, with the closest id when one is near.
fn unknown_id(model: &Program, id: &str) -> CliError {
    let ids = model.graph.ids.iter().map(String::as_str);
    let help = match plan::error::closest(id, ids) {
        Some(near) => format!("did you mean \"{near}\"?"),
        None => "give the id of a [[task]] or [[milestone]] of the model".to_string(),
    };
    CliError::Invalid(format!(
        "{}: no task or milestone has the id \"{id}\"\n  help: {help}",
        model.file.display()
    ))
}

/// Why a late milestone of a model above [`super::html_report::BOUND_MAX_TASKS`] tasks may
/// have no proof beside its chain.
fn large_model_note() -> String {
    format!(
        "above {} tasks only the precedence and energy-window proofs are tried (the bound's LPs \
         take minutes there), and neither holds; run `plan feasibility` for the LPs",
        super::html_report::BOUND_MAX_TASKS
    )
}

/// The verdicts behind a milestone's certificate: the capacity bound asked about that
/// milestone alone, and only when the schedule misses it; none for a task (it has no due
/// date). Above the report's limit of tasks ([`super::html_report::BOUND_MAX_TASKS`]), where
/// the bound's LPs take minutes, only its arithmetic proofs are tried.
fn bound_where_missed(
    model: &Model,
    pp: &ProgramProblem,
    schedule: &Schedule,
    bucket: Bucket,
    node: usize,
) -> Option<Feasibility> {
    match pp.graph.kinds.get(node) {
        Some(NodeKind::Milestone(m))
            if model.tasks.len() <= super::html_report::BOUND_MAX_TASKS =>
        {
            Some(verdict::verdicts_of_missed_milestone(
                model, pp, schedule, bucket, *m,
            ))
        }
        Some(NodeKind::Milestone(m)) => Some(plan::explain::verdicts_by_certificate(
            model,
            pp,
            schedule,
            bucket,
            *m,
            &large_model_note(),
        )),
        _ => None,
    }
}

/// `plan explain`. With `--time-limit`, the limit holds for the whole run: the schedule
/// explained is searched for about half of it, the role searches share most of the rest.
pub fn explain(a: &ExplainArgs) -> Result<i32, CliError> {
    let started = Instant::now();
    let args = &a.search;
    let env = environment(args)?;
    let model = load_any(&args.model)?;
    let scenario = search_scenario(args, &model)?;
    let choice = estimate(args.estimate);
    let (config, pool) = (SearchConfig::for_run(&env), env.pool());
    // The program's graph numbers the nodes as every problem built on it does.
    let node = model
        .graph
        .node(&a.id)
        .ok_or_else(|| unknown_id(&model, &a.id))?;
    let deadline = Deadline::of(started, config.time_limit);
    let base = deadline.share(&config, BASE_SHARE);
    let (pp, result) = solve(&model, &scenario, &base, choice, pool, None)?;
    let bucket = match a.bucket {
        BucketArg::Day => Bucket::Day,
        BucketArg::Week => Bucket::Week,
    };
    let feasibility = bound_where_missed(&model, &pp, &result.schedule, bucket, node);
    interrupt::check()?;
    let finish = pp.finish_of(&result.schedule, node).unwrap_or(0);
    // What one more person buys is read from schedules: the bound of each larger team (dozens
    // of LPs per milestone) would not change the answer.
    let roles = plan::explain::chain_roles(&pp, &result, node);
    let per_role = SearchConfig {
        schedules: role_schedules(&config, roles.len()),
        ..config.clone()
    };
    let tried = RoleSearch {
        schedules: per_role.schedules,
        seconds: deadline.left().map(|t| t.as_secs_f64()),
        ..RoleSearch::default()
    };
    let (warm, mut left) = (Some((&pp, &result)), roles.len());
    let gains =
        plan::explain::role_gains(&model, &scenario, &roles, finish, node, tried, |team| {
            // Each role gets an equal part of the time still left, whatever the ones before used.
            let config = deadline.share(&per_role, 1.0 / left.max(1) as f64);
            left = left.saturating_sub(1);
            solve(&model, team, &config, choice, pool, warm).map(|(pp, r)| (pp, r.schedule))
        })?;
    let explanation =
        plan::explain::explain(&model, &pp, &result, node, feasibility.as_ref(), gains);
    let report = plan::report::explain::build(&model, &explanation, feasibility.as_ref());
    let json = matches!(a.format, ExplainFormat::Json);
    emit(&plan::report::explain::render(&report, json))?;
    Ok(0)
}
