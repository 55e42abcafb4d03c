//! Search, then check: the one way the engine hands out a schedule; and the search settings
//! of a run's [`Environment`].
//!
//! The search is a heuristic and the checker ([`super::checker`]) is written independently of
//! it, so a schedule that fails the check is a bug in the search, not a property of the input.
//! It comes back as [`SearchFailure::Unsound`], never as a plan.

use super::checker::{check, Violation};
use super::driver_check::check_drivers;
use super::problem::Problem;
use super::search::{search, SearchConfig, SearchError, SearchResult, Solution};
use crate::run::Environment;
use thiserror::Error;

/// Most violations a [`SearchFailure::Unsound`] message names (the first are enough to debug).
const VIOLATIONS_SHOWN: usize = 5;

/// Why a checked search gave no schedule.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SearchFailure {
    /// The problem or a warm-start solution cannot be searched.
    #[error(transparent)]
    Rejected(#[from] SearchError),
    /// The best schedule found breaks a constraint: a bug in the search.
    #[error("the schedule found fails the independent check: {}", first_violations(.0))]
    Unsound(Vec<Violation>),
}

fn first_violations(violations: &[Violation]) -> String {
    let shown: Vec<String> = violations
        .iter()
        .take(VIOLATIONS_SHOWN)
        .map(ToString::to_string)
        .collect();
    shown.join("; ")
}

/// Searches the best schedule of `problem` ([`search`]) and checks it with the independent
/// checker ([`check`]) and its drivers with [`check_drivers`]; only a schedule that passes
/// both is returned.
///
/// Costs one search plus one check, which is linear in activities times horizon.
///
/// # Example
///
/// A 3-day job after a 2-day one and a 4-day job beside them, all on the one unit of `r`:
/// 9 days of work for one unit, so 9 days is the best any schedule can do, and the search
/// finds it and says it is optimal.
///
/// ```
/// use plan::schedule::{check, search_checked, Activity, Problem, Resource, SearchConfig};
///
/// let problem = Problem {
///     activities: vec![
///         Activity::single(2, vec![1]),
///         Activity::single(3, vec![1]).after(0, 0),
///         Activity::single(4, vec![1]),
///     ],
///     resources: vec![Resource::constant("r", 1)],
///     horizon_hint: 0,
/// };
/// let config = SearchConfig { schedules: 100, seed: 1, ..SearchConfig::default() };
/// let result = search_checked(&problem, &config, &[]).unwrap();
/// assert_eq!(result.makespan, 9);
/// assert!(result.optimal);
/// assert!(check(&problem, &result.schedule).is_empty());
/// ```
pub fn search_checked(
    problem: &Problem,
    config: &SearchConfig,
    initial: &[Solution],
) -> Result<SearchResult, SearchFailure> {
    let result = search(problem, config, initial)?;
    let mut violations = check(problem, &result.schedule);
    if violations.is_empty() {
        let untrue = check_drivers(problem, &result.schedule, &result.drivers);
        violations.extend(untrue.into_iter().map(Violation::Driver));
    }
    if violations.is_empty() {
        Ok(result)
    } else {
        Err(SearchFailure::Unsound(violations))
    }
}

impl SearchConfig {
    /// The search settings of a run: its seed, budget, time limit and cancel flag, other
    /// fields at their defaults.
    pub fn for_run(env: &Environment) -> SearchConfig {
        SearchConfig {
            schedules: env.schedules(),
            time_limit: env.time_limit(),
            seed: env.seed(),
            cancel: Some(env.cancel_handle()),
            ..SearchConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Activity, Capacity, Resource};

    fn two_tasks() -> Problem {
        Problem {
            activities: vec![
                Activity::single(3, vec![1]),
                Activity::single(2, vec![1]).after(0, 0),
            ],
            resources: vec![Resource {
                name: "r".into(),
                capacity: Capacity::from_steps(vec![(0, 1)]).unwrap(),
            }],
            horizon_hint: 0,
        }
    }

    #[test]
    fn a_run_gives_the_search_its_seed_budget_and_time_limit() {
        let env = Environment::builder()
            .seed(9)
            .schedules(123)
            .time_limit(Some(1.5))
            .build()
            .unwrap();
        let c = SearchConfig::for_run(&env);
        assert_eq!((c.seed, c.schedules), (9, 123));
        assert_eq!(c.time_limit, Some(std::time::Duration::from_millis(1500)));
    }

    #[test]
    fn a_cancelled_run_stops_the_search_early_with_a_checked_schedule() {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let env = Environment::builder()
            .schedules(u64::MAX)
            .time_limit(Some(5.0)) // only so that a search ignoring the flag still ends
            .cancel(flag)
            .build()
            .unwrap();
        let problem = wide_problem();
        let result = search_checked(&problem, &SearchConfig::for_run(&env), &[]).unwrap();
        assert!(
            result.schedules < 10_000,
            "ran {} schedules",
            result.schedules
        );
        assert!(check(&problem, &result.schedule).is_empty());
    }

    /// Ten independent tasks competing for one unit: far from its critical-path bound, so
    /// only the budget, a time limit or cancelling stops the search.
    fn wide_problem() -> Problem {
        Problem {
            activities: (1..=10).map(|d| Activity::single(d, vec![1])).collect(),
            resources: vec![Resource {
                name: "r".into(),
                capacity: Capacity::from_steps(vec![(0, 1)]).unwrap(),
            }],
            horizon_hint: 0,
        }
    }

    #[test]
    fn a_schedule_returned_passes_the_checker() {
        let problem = two_tasks();
        let result = search_checked(&problem, &SearchConfig::default(), &[]).unwrap();
        assert!(check(&problem, &result.schedule).is_empty());
        assert_eq!(result.makespan, 5);
    }

    #[test]
    fn a_bad_warm_start_is_rejected_not_unsound() {
        let bad = Solution {
            order: vec![1, 0],
            modes: vec![0, 0],
        };
        let err = search_checked(&two_tasks(), &SearchConfig::default(), &[bad]).unwrap_err();
        assert!(matches!(err, SearchFailure::Rejected(_)), "{err:?}");
    }

    #[test]
    fn an_unsound_failure_names_at_most_five_violations() {
        let problem = two_tasks();
        let broken = crate::schedule::Schedule {
            starts: vec![0, 0],
            modes: vec![0, 0],
        };
        let violations = check(&problem, &broken);
        assert!(!violations.is_empty());
        let many: Vec<Violation> = violations.iter().cycle().take(9).cloned().collect();
        let text = SearchFailure::Unsound(many).to_string();
        assert!(text.starts_with("the schedule found fails the independent check: "));
        assert_eq!(text.matches("; ").count(), VIOLATIONS_SHOWN - 1, "{text}");
    }
}
