//! End-to-end tests of the scheduling core: PSPLIB instances against known
//! optima, tiny instances against brute force, properties of random
//! instances (always checked by the independent checker), and the
//! `plan rcpsp` command.

use plan::graph::LinkType;
use plan::schedule::psplib::{parse_optimum_csv, parse_sm};
use plan::schedule::{
    check, lower_bound, search, Activity, BoundKind, Capacity, Mode, Precedence, Problem, Resource,
    Schedule, SearchConfig, SearchResult, Sgs,
};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::path::{Path, PathBuf};
use std::process::Command;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/psplib")
}

fn load(name: &str) -> Problem {
    let text = std::fs::read_to_string(data_dir().join(name)).expect("test instance is readable");
    parse_sm(&text).expect("test instance parses")
}

fn config(schedules: u64, seed: u64) -> SearchConfig {
    SearchConfig {
        schedules,
        seed,
        ..SearchConfig::default()
    }
}

/// Runs the search and insists the checker accepts the result.
fn checked_search(
    problem: &Problem,
    config: &SearchConfig,
    warm: &[plan::schedule::Solution],
) -> SearchResult {
    let result = search(problem, config, warm).expect("search runs");
    let violations = check(problem, &result.schedule);
    assert!(violations.is_empty(), "infeasible schedule: {violations:?}");
    let untrue = plan::schedule::check_drivers(problem, &result.schedule, &result.drivers);
    assert!(untrue.is_empty(), "untrue drivers: {untrue:?}");
    assert_eq!(result.makespan, result.schedule.makespan(problem));
    assert!(result.makespan >= result.lower_bound);
    assert!(result.schedules <= config.schedules.max(1));
    result
}

#[test]
fn psplib_instances_respect_known_optima() {
    let optima =
        parse_optimum_csv(&std::fs::read_to_string(data_dir().join("optimum.csv")).unwrap())
            .unwrap();
    let easy = ["j301_1.sm", "j301_2.sm", "j301_3.sm"];
    for (name, optimum) in &optima {
        let problem = load(name);
        let result = checked_search(&problem, &config(2000, 1), &[]);
        assert!(
            result.makespan >= optimum.lower.unwrap_or(0),
            "{name}: {} beats the optimum",
            result.makespan
        );
        if easy.contains(&name.as_str()) {
            assert_eq!(
                result.makespan, optimum.upper,
                "{name} should reach its optimum"
            );
        }
    }
}

#[test]
fn same_result_for_any_thread_count() {
    let problem = load("j601_1.sm");
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| checked_search(&problem, &config(1500, 7), &[]))
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one.schedule, two.schedule);
    assert_eq!(one.schedules, two.schedules);
    let sequential = checked_search(
        &problem,
        &SearchConfig {
            parallel: false,
            ..config(1500, 7)
        },
        &[],
    );
    assert_eq!(sequential.schedule, one.schedule);
}

/// Random instance: releases, lags (negative only if allowed), several
/// modes, and capacity that ramps up or drops; every activity has a mode
/// that fits the final capacity.
fn random_problem(
    seed: u64,
    max_activities: usize,
    max_modes: usize,
    negative_lags: bool,
) -> Problem {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let resource_count = rng.random_range(1..=2);
    let finals: Vec<u32> = (0..resource_count)
        .map(|_| rng.random_range(2..=5))
        .collect();
    let resources = finals
        .iter()
        .enumerate()
        .map(|(k, &units)| Resource {
            name: format!("r{k}"),
            capacity: random_capacity(&mut rng, units),
        })
        .collect();
    let n = rng.random_range(1..=max_activities);
    let activities = (0..n)
        .map(|j| {
            let mut preds = Vec::new();
            for pred in 0..j {
                if rng.random_bool(0.3) {
                    let lag = if negative_lags {
                        rng.random_range(-2..=2)
                    } else {
                        rng.random_range(0..=2)
                    };
                    preds.push(Precedence::finish_to_start(pred, lag));
                }
            }
            let modes = (0..rng.random_range(1..=max_modes))
                .map(|_| Mode {
                    duration: rng.random_range(0..=4),
                    demand: finals.iter().map(|&f| rng.random_range(0..=f)).collect(),
                })
                .collect();
            Activity {
                modes,
                preds,
                release: if rng.random_bool(0.2) {
                    rng.random_range(0..=3)
                } else {
                    0
                },
            }
        })
        .collect();
    Problem {
        activities,
        resources,
        horizon_hint: 0,
    }
}

/// [`random_problem`] with every link given a random type (FS, SS, FF or SF) and leads
/// allowed: the generalized precedences of MS Project and Primavera.
fn random_linked_problem(seed: u64, max_activities: usize, max_modes: usize) -> Problem {
    let mut problem = random_problem(seed, max_activities, max_modes, true);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x11);
    for activity in &mut problem.activities {
        for p in &mut activity.preds {
            p.kind = LinkType::ALL[rng.random_range(0..4)];
        }
    }
    problem
}

fn random_capacity(rng: &mut impl Rng, final_units: u32) -> Capacity {
    if rng.random_bool(0.5) {
        return Capacity::constant(final_units);
    }
    let mut steps = vec![(0, rng.random_range(0..=final_units + 2))];
    let mut day = 0;
    for _ in 0..rng.random_range(0..=2) {
        day += rng.random_range(1..=4);
        steps.push((day, rng.random_range(0..=final_units + 2)));
    }
    day += rng.random_range(1..=4);
    steps.push((day, final_units));
    Capacity::from_steps(steps).expect("increasing steps")
}

/// Best makespan over every precedence-feasible list and mode choice: the
/// serial SGS reaches an optimal schedule for some list.
fn brute_force(problem: &Problem) -> u32 {
    let mut sgs = Sgs::new(problem).unwrap();
    let n = problem.activities.len();
    let mut best = u32::MAX;
    for modes in all_mode_choices(problem) {
        let mut order = Vec::with_capacity(n);
        let mut placed = vec![false; n];
        enumerate_lists(problem, &mut order, &mut placed, &mut |list| {
            if let Ok(schedule) = sgs.schedule(list, &modes) {
                best = best.min(schedule.makespan(problem));
            }
        });
    }
    best
}

fn all_mode_choices(problem: &Problem) -> Vec<Vec<usize>> {
    problem
        .activities
        .iter()
        .fold(vec![vec![]], |acc, activity| {
            acc.into_iter()
                .flat_map(|prefix| {
                    (0..activity.modes.len()).map(move |m| {
                        let mut next = prefix.clone();
                        next.push(m);
                        next
                    })
                })
                .collect()
        })
}

fn enumerate_lists(
    problem: &Problem,
    order: &mut Vec<usize>,
    placed: &mut [bool],
    visit: &mut impl FnMut(&[usize]),
) {
    if order.len() == placed.len() {
        visit(order);
        return;
    }
    for j in 0..placed.len() {
        if !placed[j] && problem.activities[j].preds.iter().all(|p| placed[p.pred]) {
            placed[j] = true;
            order.push(j);
            enumerate_lists(problem, order, placed, visit);
            order.pop();
            placed[j] = false;
        }
    }
}

#[test]
fn tiny_instances_match_brute_force() {
    for seed in 0..40 {
        let problem = random_problem(seed, 6, if seed % 2 == 0 { 2 } else { 1 }, false);
        if problem.validate().is_err() {
            continue;
        }
        let optimum = brute_force(&problem);
        let result = checked_search(&problem, &config(3000, seed), &[]);
        assert_eq!(result.makespan, optimum, "seed {seed}: {problem:?}");
    }
}

/// With every link type the search still finds the best schedule the serial scheme can
/// build from any precedence-feasible list and mode choice (the space it searches; with
/// leads and FF/SF links, sorting an optimal schedule by start need not give such a list, so
/// this is the list optimum rather than the true one), and every list gives a schedule the
/// independent checker accepts.
#[test]
fn tiny_instances_with_every_link_type_match_brute_force() {
    let mut compared = 0;
    for seed in 0..60 {
        let problem = random_linked_problem(seed, 6, if seed % 2 == 0 { 2 } else { 1 });
        if problem.validate().is_err() {
            continue;
        }
        let mut sgs = Sgs::new(&problem).unwrap();
        let mut placed = vec![false; problem.activities.len()];
        for modes in all_mode_choices(&problem) {
            enumerate_lists(&problem, &mut Vec::new(), &mut placed, &mut |list| {
                if let Ok(schedule) = sgs.schedule(list, &modes) {
                    let violations = check(&problem, &schedule);
                    assert!(violations.is_empty(), "seed {seed}: {violations:?}");
                }
            });
        }
        let optimum = brute_force(&problem);
        let result = checked_search(&problem, &config(3000, seed), &[]);
        assert_eq!(result.makespan, optimum, "seed {seed}: {problem:?}");
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} instances were valid");
}

#[test]
fn each_link_type_places_its_successor_by_its_own_rule() {
    // Predecessor 0 runs days 2..7 (released on day 2); successor 1 takes 3 days.
    let cases = [
        (LinkType::FS, 1, 8),  // start >= finish 7 + 1
        (LinkType::SS, 1, 3),  // start >= start 2 + 1
        (LinkType::FF, 1, 5),  // finish >= 7 + 1, so start >= 5
        (LinkType::SF, 1, 0),  // finish >= 2 + 1, so start >= 0
        (LinkType::FS, -3, 4), // a lead of 3 days
        (LinkType::SS, -5, 0), // clamped at day 0
    ];
    for (kind, lag, start) in cases {
        let mut first = Activity::single(5, vec![]);
        first.release = 2;
        let problem = Problem {
            activities: vec![first, Activity::single(3, vec![]).linked(0, kind, lag)],
            resources: vec![],
            horizon_hint: 0,
        };
        let schedule = Sgs::new(&problem)
            .unwrap()
            .schedule(&[0, 1], &[0, 0])
            .unwrap();
        assert_eq!(schedule.starts, [2, start], "{kind:?} {lag}");
        assert!(check(&problem, &schedule).is_empty());
        let early = Schedule {
            starts: vec![2, start.saturating_sub(1)],
            modes: vec![0, 0],
        };
        assert_eq!(
            check(&problem, &early).is_empty(),
            start == 0,
            "{kind:?} {lag}"
        );
    }
}

#[test]
fn crews_trade_duration_for_people() {
    // Two effort-driven tasks of 6 person-days, 3 people (100 units each)
    // of whom one joins on day 2; crew sizes 1..=3 as modes.
    let crew_modes = |effort: u32| {
        (1..=3)
            .map(|crew| Mode {
                duration: effort.div_ceil(crew),
                demand: vec![100 * crew],
            })
            .collect::<Vec<_>>()
    };
    let task = |effort| Activity {
        modes: crew_modes(effort),
        preds: vec![],
        release: 0,
    };
    let problem = Problem {
        activities: vec![task(6), task(6)],
        resources: vec![Resource {
            name: "dev".into(),
            capacity: Capacity::from_steps(vec![(0, 200), (2, 300)]).unwrap(),
        }],
        horizon_hint: 0,
    };
    let result = checked_search(&problem, &config(2000, 3), &[]);
    // 12 person-days but only 2+2+3+3 = 10 available before day 4, so 5
    // days is optimal (e.g. crew 2 for days 0-2, then crew 3 for days 3-4).
    assert_eq!(result.makespan, 5);
}

/// Every job needs the one machine, so the machine's work, not the chain, bounds the makespan;
/// the search reaches that bound and stops there, at the same point on any thread count.
#[test]
fn search_stops_at_the_energy_bound_whatever_the_threads() {
    let mut activities: Vec<Activity> = (0..8)
        .map(|j| Activity::single(1 + j % 3, vec![1]))
        .collect();
    activities.push(Activity::single(2, vec![1]).after(0, 0).after(1, 0));
    let problem = Problem {
        activities,
        resources: vec![Resource {
            name: "machine".into(),
            capacity: Capacity::from_steps(vec![(0, 1), (4, 2)]).unwrap(),
        }],
        horizon_hint: 0,
    };
    let bound = lower_bound(&problem).unwrap();
    assert_eq!(bound.kind, BoundKind::Energy);
    assert!(bound.value > bound.critical_path);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| checked_search(&problem, &config(20_000, 3), &[]))
    };
    let (one, many) = (run(1), run(16));
    assert!(one.optimal, "{one:?}");
    assert_eq!(one.makespan, bound.value);
    assert_eq!(one.lower_bound, bound.value);
    assert_eq!(one.critical_path_bound, bound.critical_path);
    assert!(
        one.schedules < 20_000,
        "ran the whole budget: {}",
        one.schedules
    );
    assert_eq!(
        (&one.schedule, one.schedules, one.optimal),
        (&many.schedule, many.schedules, many.optimal)
    );
}

/// Due dates that cannot all be met give no early stop, even when the makespan hits its bound.
#[test]
fn missed_due_dates_are_never_called_optimal() {
    let problem = Problem {
        activities: vec![Activity::single(3, vec![1]), Activity::single(3, vec![1])],
        resources: vec![Resource::constant("machine", 1)],
        horizon_hint: 0,
    };
    let config = SearchConfig {
        due_dates: vec![(0, 2), (1, 2)],
        ..config(600, 1)
    };
    let result = checked_search(&problem, &config, &[]);
    assert_eq!(result.makespan, result.lower_bound);
    assert!(!result.optimal);
    assert!(
        result.schedules > 500,
        "stopped early: {}",
        result.schedules
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lower_bound_is_at_most_the_optimum_and_at_least_the_critical_path(
        seed in any::<u64>(),
    ) {
        let problem = random_problem(seed, 6, 2, false);
        prop_assume!(problem.validate().is_ok());
        let bound = lower_bound(&problem).unwrap();
        let optimum = brute_force(&problem);
        prop_assert!(bound.value <= optimum, "bound {bound:?} above optimum {optimum}: {problem:?}");
        prop_assert!(bound.value >= bound.critical_path);
        prop_assert!(bound.critical_path >= problem.cpm_lower_bound().unwrap());
    }

    #[test]
    fn lower_bound_is_at_most_every_schedule_found_with_negative_lags(seed in any::<u64>()) {
        let problem = random_problem(seed, 12, 3, true);
        prop_assume!(problem.validate().is_ok());
        let bound = lower_bound(&problem).unwrap();
        let result = checked_search(&problem, &config(300, seed), &[]);
        prop_assert_eq!(result.lower_bound, bound.value);
        prop_assert!(result.makespan >= bound.value);
        prop_assert_eq!(result.optimal, result.makespan == bound.value);
    }

    #[test]
    fn lower_bound_is_at_most_every_schedule_with_every_link_type(seed in any::<u64>()) {
        // A bound that read an SS, FF or SF link as finish-to-start would rise above real
        // schedules here; each link must be relaxed, never tightened.
        let problem = random_linked_problem(seed, 12, 3);
        prop_assume!(problem.validate().is_ok());
        let bound = lower_bound(&problem).unwrap();
        let result = checked_search(&problem, &config(300, seed), &[]);
        prop_assert!(result.makespan >= bound.value, "bound {bound:?} above {}", result.makespan);
        let tiny = random_linked_problem(seed, 6, 2);
        prop_assume!(tiny.validate().is_ok());
        let tiny_bound = lower_bound(&tiny).unwrap();
        prop_assert!(tiny_bound.value <= brute_force(&tiny), "{tiny_bound:?}: {tiny:?}");
    }

    #[test]
    fn every_schedule_is_feasible_and_above_the_bound(seed in any::<u64>(), negative in any::<bool>()) {
        let problem = random_problem(seed, 12, 3, negative);
        prop_assume!(problem.validate().is_ok());
        let result = checked_search(&problem, &config(300, seed), &[]);
        prop_assert!(result.makespan >= problem.cpm_lower_bound().unwrap());
    }

    #[test]
    fn every_schedule_with_every_link_type_is_feasible_and_above_the_bound(seed in any::<u64>()) {
        let problem = random_linked_problem(seed, 12, 3);
        prop_assume!(problem.validate().is_ok());
        let result = checked_search(&problem, &config(300, seed), &[]);
        prop_assert!(result.makespan >= problem.cpm_lower_bound().unwrap());
    }

    #[test]
    fn justification_with_every_link_type_stays_feasible_and_no_longer(seed in any::<u64>()) {
        let problem = random_linked_problem(seed, 12, 2);
        prop_assume!(problem.validate().is_ok());
        let mut sgs = Sgs::new(&problem).unwrap();
        let order = problem.topological_order().unwrap();
        let modes: Vec<usize> = problem
            .activities
            .iter()
            .map(|a| a.modes.iter().position(|m| problem.mode_fits_eventually(m)).unwrap())
            .collect();
        let plain = sgs.schedule(&order, &modes).unwrap();
        let (justified, list) = sgs.schedule_justified(&order, &modes).unwrap();
        prop_assert!(check(&problem, &plain).is_empty());
        let violations = check(&problem, &justified);
        prop_assert!(violations.is_empty(), "{:?}", violations);
        prop_assert!(justified.makespan(&problem) <= plain.makespan(&problem));
        prop_assert_eq!(sgs.schedule(&list, &modes).unwrap(), justified);
    }

    #[test]
    fn justification_never_lengthens_a_schedule(seed in any::<u64>()) {
        let problem = random_problem(seed, 12, 2, false);
        prop_assume!(problem.validate().is_ok());
        let mut sgs = Sgs::new(&problem).unwrap();
        let order = problem.topological_order().unwrap();
        let modes: Vec<usize> = problem
            .activities
            .iter()
            .map(|a| a.modes.iter().position(|m| problem.mode_fits_eventually(m)).unwrap())
            .collect();
        let plain = sgs.schedule(&order, &modes).unwrap();
        let (justified, list) = sgs.schedule_justified(&order, &modes).unwrap();
        prop_assert!(check(&problem, &plain).is_empty());
        prop_assert!(check(&problem, &justified).is_empty());
        prop_assert!(justified.makespan(&problem) <= plain.makespan(&problem));
        prop_assert_eq!(sgs.schedule(&list, &modes).unwrap(), justified);
    }

    #[test]
    fn more_capacity_never_hurts_a_warm_start(seed in any::<u64>(), extra in 1u32..4) {
        let problem = random_problem(seed, 12, 3, false);
        prop_assume!(problem.validate().is_ok());
        let before = checked_search(&problem, &config(300, seed), &[]);
        let mut richer = problem.clone();
        for resource in &mut richer.resources {
            let steps = resource.capacity.steps().iter().map(|&(d, u)| (d, u + extra)).collect();
            resource.capacity = Capacity::from_steps(steps).unwrap();
        }
        let after = checked_search(&richer, &config(300, seed ^ 1), std::slice::from_ref(&before.solution));
        prop_assert!(after.makespan <= before.makespan);
    }
}

#[test]
fn time_limit_ends_an_unbounded_search() {
    let problem = load("j1201_1.sm");
    let config = SearchConfig {
        schedules: u64::MAX,
        time_limit: Some(std::time::Duration::from_millis(200)),
        ..SearchConfig::default()
    };
    let started = std::time::Instant::now();
    let result = checked_search(&problem, &config, &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(result.schedules > 0);
}

#[test]
fn tiny_budgets_are_respected() {
    let problem = load("j301_1.sm");
    for budget in [1, 2, 3, 4, 7] {
        let result = checked_search(&problem, &config(budget, 1), &[]);
        assert!(
            result.schedules >= 1 && result.schedules <= budget,
            "budget {budget}: {}",
            result.schedules
        );
    }
}

#[test]
fn due_dates_for_unknown_activities_are_rejected() {
    let problem = load("j301_1.sm");
    let config = SearchConfig {
        due_dates: vec![(99, 10)],
        ..config(100, 1)
    };
    assert!(matches!(
        search(&problem, &config, &[]),
        Err(plan::schedule::SearchError::DueDate { activity: 99 })
    ));
}

#[test]
fn empty_and_milestone_only_problems() {
    let empty = Problem {
        activities: vec![],
        resources: vec![Resource::constant("r", 1)],
        horizon_hint: 0,
    };
    assert_eq!(checked_search(&empty, &config(100, 1), &[]).makespan, 0);
    let milestones = Problem {
        activities: vec![
            Activity::single(0, vec![5]),
            Activity::single(0, vec![5]).after(0, 2),
        ],
        resources: vec![Resource::constant("r", 1)],
        horizon_hint: 0,
    };
    let result = checked_search(&milestones, &config(100, 1), &[]);
    assert_eq!(result.schedule.starts, vec![0, 2]);
}

fn plan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_plan"))
}

#[test]
fn cli_prints_json_schedule() {
    let output = plan()
        .args(["rcpsp", "--format", "json", "--schedules", "500"])
        .arg(data_dir().join("j301_1.sm"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["starts"].as_array().map(Vec::len), Some(32));
    assert_eq!(json["lower_bound"], 38);
    assert!(json["makespan"].as_u64().unwrap() >= 43);
    assert!(json["schedules"].as_u64().unwrap() <= 500);
    assert_eq!(json["starts"][0], 0);
}

#[test]
fn cli_json_says_what_the_bound_rests_on() {
    let output = plan()
        .args(["rcpsp", "--format", "json", "--schedules", "300"])
        .arg(data_dir().join("j301_1.sm"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // j301_1: chain 38, optimum 43; no resource's work beats the chain.
    assert_eq!(json["critical_path_bound"], 38);
    assert_eq!(json["lower_bound_kind"], "critical_path");
    assert_eq!(json["lower_bound_resource"], serde_json::Value::Null);
    assert_eq!(json["optimal"], false);
}

#[test]
fn cli_bench_writes_summary_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("rows.csv");
    let output = plan()
        .args(["rcpsp", "--schedules", "300", "--threads", "2", "--bench"])
        .arg(data_dir())
        .arg("--csv")
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("instances                6"), "{stdout}");
    assert!(stdout.contains("critical-path lower bound"), "{stdout}");
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(rows.lines().count(), 7);
    assert!(rows.starts_with("instance,makespan,critical_path"));
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "temporary file left behind");
}

#[test]
fn cli_reports_malformed_file_with_line_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data_dir().join("j301_1.sm")).unwrap();
    let broken = text.replacen(
        "   2        1          3           6  11  15",
        "   2        1          3           6  11",
        1,
    );
    assert_ne!(broken, text);
    let path = dir.path().join("broken.sm");
    std::fs::write(&path, broken).unwrap();
    let output = plan().arg("rcpsp").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 20: expected 3 successors, found 2"),
        "{stderr}"
    );
}

#[test]
fn cli_bench_json_summary() {
    let output = plan()
        .args(["rcpsp", "--schedules", "200", "--format", "json", "--bench"])
        .arg(data_dir())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["instances"], 6);
    assert_eq!(json["deviation_basis"], "critical_path");
    assert!(json["average_deviation_percent"].as_f64().unwrap() >= 0.0);
}

#[test]
fn cli_rejects_zero_budget() {
    let output = plan()
        .args(["rcpsp", "--schedules", "0"])
        .arg(data_dir().join("j301_1.sm"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn cli_missing_file_exits_2() {
    let output = plan()
        .args(["rcpsp", "/nonexistent/x.sm"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// A 4-job instance with one renewable resource of 2 units.
const SMALL_SM: &str = include_str!("data/small-4-jobs.sm");

/// Runs `plan rcpsp` on `text` with a 20-second limit: (stdout, stderr, exit code).
fn rcpsp_on(text: &str) -> (String, String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.sm");
    std::fs::write(&path, text).unwrap();
    let output = assert_cmd::Command::cargo_bin("plan")
        .unwrap()
        .args(["rcpsp", "--schedules", "50"])
        .arg(&path)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "{stderr}"
    );
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        stderr,
        output.status.code(),
    )
}

fn assert_rejected(text: &str, parts: &[&str]) {
    assert_ne!(text, SMALL_SM, "the case must change the instance");
    let (stdout, stderr, code) = rcpsp_on(text);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("case.sm"), "{stderr}");
    assert!(stderr.contains("\n  help: "), "{stderr}");
    for p in parts {
        assert!(stderr.contains(p), "expected {p:?} in {stderr}");
    }
}

#[test]
fn cli_rejects_huge_job_and_mode_counts_without_allocating() {
    let jobs = SMALL_SM.replace("):  4", "):  2147483648");
    assert_rejected(
        &jobs,
        &["line 1: the number of jobs 2147483648 is more than the limit of 100000"],
    );
    let modes = SMALL_SM.replace(
        "   1        1          2",
        "   1        2147483648          2",
    );
    assert_rejected(
        &modes,
        &["line 10: the number of modes 2147483648 is more than the limit of 100"],
    );
}

#[test]
fn cli_rejects_a_3_000_000_day_duration_at_its_line() {
    let long = SMALL_SM.replace("  2      1     3       2", "  2      1     3000000       2");
    assert_rejected(
        &long,
        &["line 19: a duration 3000000 is more than the limit of 10000"],
    );
}

#[test]
fn cli_names_cycles_and_oversized_requests_by_job_number_and_line() {
    let cycle = SMALL_SM.replace(
        "   4        1          0",
        "   4        1          1           2",
    );
    assert_rejected(
        &cycle,
        &["line 11: the precedences form a cycle: job 2 -> job 4 -> job 2"],
    );
    let big = SMALL_SM.replace("  2      1     3       2", "  2      1     3       5");
    assert_rejected(
        &big,
        &["line 19: job 2 requests 5 of R1", "only 2 are available"],
    );
}

#[test]
fn cli_solves_an_instance_without_renewable_resources() {
    let text = SMALL_SM
        .replace(
            "renewable                 :  1   R",
            "renewable                 :  0   R",
        )
        .replace("duration  R 1", "duration")
        .replace("     0       0\n", "     0\n")
        .replace("     3       2\n", "     3\n")
        .replace("     2       1\n", "     2\n")
        .replace("  R 1\n   2\n", "\n");
    let (stdout, stderr, code) = rcpsp_on(&text);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("makespan     3"), "{stdout}");
}

/// A random model with every link type, leads and fractional lags, effort-driven tasks with
/// crews and a small team.
fn random_linked_model(seed: u64) -> (String, String) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let n = rng.random_range(2..10);
    let mut text = String::from("[project]\nname = \"r\"\nstart = 2025-09-15\n[roles.a]\n");
    for i in 0..n {
        text += &format!("[[task]]\nid = \"T{i}\"\n");
        let mut links = Vec::new();
        for p in 0..i {
            if rng.random_bool(0.4) {
                let kind = ["FS", "SS", "FF", "SF"][rng.random_range(0..4)];
                let lag = f64::from(rng.random_range(-6i32..7)) / 2.0;
                links.push(format!(
                    "{{ id = \"T{p}\", type = \"{kind}\", lag = {lag} }}"
                ));
            }
        }
        if !links.is_empty() {
            text += &format!("after = [{}]\n", links.join(", "));
        }
        if rng.random_bool(0.5) {
            text += &format!(
                "duration = {}\ndemand = {{ a = 1 }}\n",
                rng.random_range(0..5)
            );
        } else {
            text += &format!(
                "effort = {{ a = {} }}\ncrew = {{ a = [1, 2] }}\n",
                rng.random_range(1..8)
            );
        }
    }
    (text, format!("[team]\na = {}\n", rng.random_range(1..4)))
}

/// Every schedule of a model with all link types keeps every link of the model file, read
/// from the model (type, and the lag rounded up to whole days as documented), not from the
/// problem the model was translated into.
#[test]
fn schedules_keep_every_link_of_the_model_file() {
    use plan::model::{parse_model, parse_scenario, EstimateChoice};
    for seed in 0..150 {
        let (text, team) = random_linked_model(seed);
        let model = parse_model(&text, Path::new("r.toml")).expect("valid model");
        let scenario = parse_scenario(&team, Path::new("s.toml"), &model).expect("valid team");
        let pp = plan::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
        let result = pp.search(&config(200, seed), &[]).unwrap();
        let s = &result.schedule;
        for (j, task) in model.tasks.iter().enumerate() {
            let start = i64::from(s.starts[j]);
            let finish = i64::from(s.finish(&pp.problem, j).unwrap());
            for d in &task.after {
                let p = pp.graph.node(&d.id).unwrap();
                let (ps, pf) = (
                    i64::from(s.starts[p]),
                    i64::from(s.finish(&pp.problem, p).unwrap()),
                );
                let lag = d.lag.ceil() as i64;
                let kept = match d.kind {
                    LinkType::FS => start >= pf + lag,
                    LinkType::SS => start >= ps + lag,
                    LinkType::FF => finish >= pf + lag,
                    LinkType::SF => finish >= ps + lag,
                };
                assert!(
                    kept,
                    "seed {seed}: {} -> {} {:?} {lag}\n{text}",
                    d.id, task.id, d.kind
                );
            }
        }
    }
}
