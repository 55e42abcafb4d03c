//! End-to-end tests of `plan schedule` and `plan feasibility`, and of the library path they
//! use, with every schedule passed through the independent checker.

use crate::common::{json, plan};

use plan::model::{load_model, load_scenario, EstimateChoice};
use plan::schedule::{check, search, SearchConfig};
use std::path::Path;

const MODEL: &str = "tests/data/team.toml";

#[test]
fn two_backend_developers_serialise_the_work() {
    let v = json(&[
        "schedule",
        "--model",
        MODEL,
        "--scenario",
        "tests/data/team-2.toml",
        "--format",
        "json",
    ]);
    // A, B, C need 2 backend each: one at a time, 15 days; then QA with 1 person: 4 days.
    assert_eq!(v["finish"], 19);
    assert_eq!(v["finish_date"], "2025-10-09");
    let tasks = v["tasks"].as_array().unwrap();
    let qa = tasks.iter().find(|t| t["id"] == "QA").unwrap();
    assert_eq!(qa["start"], 15);
    assert_eq!(qa["crew"]["qa"], 1);
    for key in ["id", "start", "finish", "start_date", "finish_date", "crew"] {
        assert!(qa.get(key).is_some(), "task field {key}");
    }
    // The milestone search puts A and B first, so M1 (due day 12) is met at day 10.
    let ms = v["milestones"].as_array().unwrap();
    assert_eq!(ms[0]["id"], "M1");
    assert_eq!(ms[0]["finish_date"], "2025-09-26");
    assert_eq!(ms[0]["met"], true);
    assert_eq!(ms[1]["slack"], 1);
    // Load: 2 backend × 5 days in each of the first three weeks, against 10 available.
    let load = v["load"].as_array().unwrap();
    let first = load
        .iter()
        .find(|l| l["role"] == "backend" && l["week_start"] == "2025-09-15")
        .unwrap();
    assert_eq!(first["used"], 10.0);
    assert_eq!(first["capacity"], 10.0);
}

/// With two backend developers the backend work (30 person-days, then 4 days of QA after it)
/// binds, not the 9-day chain: the search reaches that bound, stops there on any thread count,
/// and says so.
#[test]
fn the_search_stops_at_the_work_bound_and_says_so() {
    let run = |threads: &str| {
        json(&[
            "schedule",
            "--model",
            MODEL,
            "--scenario",
            "tests/data/team-2.toml",
            "--format",
            "json",
            "--threads",
            threads,
        ])
    };
    let (one, two) = (run("1"), run("2"));
    assert_eq!(one["finish"], 19);
    assert_eq!(one["lower_bound"], 19);
    assert_eq!(one["critical_path"], 9);
    assert_eq!(one["lower_bound_kind"], "energy");
    assert_eq!(one["lower_bound_role"], "backend");
    assert_eq!(one["optimal"], true);
    assert!(
        one["schedules"].as_u64().unwrap() < 20_000,
        "{}",
        one["schedules"]
    );
    assert_eq!(one["schedules"], two["schedules"]);
    assert_eq!(one["tasks"], two["tasks"]);
    let (table, _, _) = plan(&[
        "schedule",
        "--model",
        MODEL,
        "--scenario",
        "tests/data/team-2.toml",
    ]);
    assert!(table.contains("optimal: equals the lower bound"), "{table}");
    assert!(table.contains("the critical path alone needs 9"), "{table}");
    // Four developers: the chain and the work no longer meet, so no optimality claim.
    let v = json(&[
        "schedule",
        "--model",
        MODEL,
        "--scenario",
        "tests/data/team-4.toml",
        "--format",
        "json",
    ]);
    let (finish, bound) = (
        v["finish"].as_u64().unwrap(),
        v["lower_bound"].as_u64().unwrap(),
    );
    assert!(finish >= bound);
    assert_eq!(v["optimal"], finish == bound);
}

#[test]
fn more_people_shorten_the_schedule_and_pick_bigger_crews() {
    let v = json(&[
        "schedule",
        "--model",
        MODEL,
        "--scenario",
        "tests/data/team-4.toml",
        "--format",
        "json",
    ]);
    // Two of A, B, C side by side, then the third: 10 days; QA with 2 people: 2 days.
    assert_eq!(v["finish"], 12);
    let qa = v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "QA")
        .unwrap();
    assert_eq!(qa["crew"]["qa"], 2);
}

#[test]
fn feasibility_gives_a_verdict_per_milestone() {
    let v = json(&[
        "feasibility",
        "--model",
        MODEL,
        "--scenario",
        "tests/data/team-2.toml",
        "--format",
        "json",
    ]);
    let ms = v["milestones"].as_array().unwrap();
    assert_eq!(ms.len(), 2);
    for m in ms {
        for key in ["id", "due", "verdict", "finish_date", "slack"] {
            assert!(m.get(key).is_some(), "field {key}");
        }
        assert_eq!(m["verdict"], "met");
    }
    // A deadline the team cannot reach: only 1 QA and M2 due 2025-10-06 (day 15) would be missed.
    let dir = tempfile::tempdir().unwrap();
    let model = std::fs::read_to_string(MODEL)
        .unwrap()
        .replace("due = 2025-10-10", "due = 2025-10-06");
    let path = dir.path().join("late.toml");
    std::fs::write(&path, model).unwrap();
    let v = json(&[
        "feasibility",
        "--model",
        path.to_str().unwrap(),
        "--scenario",
        "tests/data/team-2.toml",
        "--format",
        "json",
    ]);
    let m2 = &v["milestones"][1];
    // 30 backend person-days must be done before QA can start; 2 people cannot do that in
    // time, so the capacity bound proves the date impossible.
    assert_eq!(m2["verdict"], "infeasible");
    assert_eq!(m2["slack"], -3);
    assert_eq!(m2["certificate"]["role"], "backend");
    let (table, _, _) = plan(&[
        "feasibility",
        "--model",
        path.to_str().unwrap(),
        "--scenario",
        "tests/data/team-2.toml",
    ]);
    assert!(table.contains("INFEASIBLE"), "{table}");
    assert!(
        table.contains("backend work that must be finished"),
        "{table}"
    );
}

#[test]
fn the_built_in_model_has_a_verdict_for_all_six_milestones() {
    let v = json(&[
        "feasibility",
        "--scenario",
        "scenarios/seed-low.toml",
        "--format",
        "json",
        "--schedules",
        "500",
    ]);
    let ms = v["milestones"].as_array().unwrap();
    assert_eq!(ms.len(), 6);
    for m in ms {
        match m["verdict"].as_str().unwrap() {
            "met" => {}
            "unknown" => assert!(m["bound_date"].is_string()),
            "infeasible" => assert!(m["certificate"].is_object(), "{m}"),
            other => panic!("verdict {other}"),
        }
    }
}

#[test]
fn a_demand_no_team_can_supply_is_reported_before_searching() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("small-qa.toml");
    std::fs::write(&s, "[team]\nbackend = 1\nqa = 2\n").unwrap();
    let (out, err, code) = plan(&[
        "schedule",
        "--model",
        MODEL,
        "--scenario",
        s.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("task \"A\" needs 2 backend at once"), "{err}");
    assert!(err.contains("never has more than 1"), "{err}");
    assert!(err.contains("small-qa.toml"), "{err}");
    // All three tasks are reported in one run.
    assert!(err.contains("task \"C\""), "{err}");
    // A role with nobody at all.
    std::fs::write(&s, "[team]\nbackend = 2\n").unwrap();
    let (_, err, code) = plan(&[
        "schedule",
        "--model",
        MODEL,
        "--scenario",
        s.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("task \"QA\" needs 1 qa at once (crew), but the team never has more than 0"),
        "{err}"
    );
}

#[test]
fn a_custom_model_without_a_scenario_is_told_to_give_one() {
    let (_, err, code) = plan(&["schedule", "--model", MODEL]);
    assert_eq!(code, 2);
    assert!(err.contains("--scenario"), "{err}");
}

#[test]
fn schedules_of_the_seed_program_pass_the_independent_checker() {
    let model = plan::model::builtin_model();
    for file in [
        "scenarios/seed-low.toml",
        "scenarios/seed-high.toml",
        "scenarios/hire-backend.toml",
        "scenarios/part-time.toml",
    ] {
        let scenario = load_scenario(Path::new(file), &model).unwrap();
        let pp = plan::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
        let config = SearchConfig {
            schedules: 300,
            ..SearchConfig::default()
        };
        let result = pp.search(&config, &[]).unwrap();
        assert!(check(&pp.problem, &result.schedule).is_empty(), "{file}");
        assert!(pp.finish(&result.schedule) >= pp.lower_bound());
    }
    let m = load_model(Path::new(MODEL)).unwrap();
    assert_eq!(m.tasks.len(), 4);
}

#[test]
fn the_same_seed_gives_the_same_schedule_on_1_and_2_threads() {
    let one = plan(&[
        "schedule",
        "--format",
        "json",
        "--schedules",
        "800",
        "--threads",
        "1",
    ])
    .0;
    let two = plan(&[
        "schedule",
        "--format",
        "json",
        "--schedules",
        "800",
        "--threads",
        "2",
    ])
    .0;
    assert_eq!(one, two);
}

#[test]
fn the_search_meets_a_due_date_that_a_makespan_search_ignores() {
    use plan::schedule::{Activity, Problem, Resource};
    // Three jobs that each need the whole team for 5 days; only the last one has a due date
    // (day 5). Every order has makespan 15; only the one that starts job 2 first is on time.
    let problem = Problem {
        activities: vec![
            Activity::single(5, vec![1]),
            Activity::single(5, vec![1]),
            Activity::single(5, vec![1]),
        ],
        resources: vec![Resource::constant("team", 1)],
        horizon_hint: 15,
    };
    let config = SearchConfig {
        schedules: 200,
        due_dates: vec![(2, 5)],
        ..SearchConfig::default()
    };
    let result = search(&problem, &config, &[]).unwrap();
    assert!(check(&problem, &result.schedule).is_empty());
    assert_eq!(result.schedule.starts[2], 0);
    assert_eq!(result.makespan, 15);
}

/// Part-timers: an effort-driven task's person-days are worked at the crew's availability.
/// 10 person-days by one developer at half availability take 20 working days; the review
/// (fixed, one full person) waits for the full-time hire of 13 October.
#[test]
fn ten_person_days_by_one_half_time_developer_take_twenty_working_days() {
    let v = json(&[
        "schedule",
        "--model",
        "tests/data/part-time.toml",
        "--scenario",
        "tests/data/part-time-half.toml",
        "--format",
        "json",
    ]);
    let task = |id: &str| {
        let tasks = v["tasks"].as_array().unwrap();
        tasks.iter().find(|t| t["id"] == id).unwrap().clone()
    };
    let build = task("BUILD");
    assert_eq!(
        (build["start"].clone(), build["finish"].clone()),
        (0.into(), 20.into())
    );
    assert_eq!(build["crew"]["dev"], 1);
    assert_eq!(build["finish_date"], "2025-10-10");
    assert_eq!(task("REVIEW")["start_date"], "2025-10-13");
    // Half a person-day per day: 2.5 of 2.5 in each of the first four weeks.
    let first = &v["load"][0];
    assert_eq!(
        (first["used"].clone(), first["capacity"].clone()),
        (2.5.into(), 2.5.into())
    );
}

/// An absence takes its people away for its days only: with the full-timer away in the first
/// week, the two developers (1.5 persons) do the 10 person-days in ceil(10 / 1.5) = 7 days
/// after it, sooner than the half-timer alone from day 0 (20 days).
#[test]
fn an_absence_delays_work_only_for_its_days() {
    let v = json(&[
        "schedule",
        "--model",
        "tests/data/part-time.toml",
        "--scenario",
        "tests/data/part-time-away.toml",
        "--format",
        "json",
    ]);
    let build = &v["tasks"][0];
    assert_eq!(build["id"], "BUILD");
    assert_eq!(build["start_date"], "2025-09-22");
    assert_eq!(
        build["finish"].as_u64().unwrap() - build["start"].as_u64().unwrap(),
        7
    );
    assert_eq!(build["crew"]["dev"], 2);
    let weeks: Vec<f64> = v["load"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["capacity"].as_f64().unwrap())
        .collect();
    assert_eq!(weeks, [2.5, 7.5, 6.0]);
}

/// The seed's program with a backend developer at three days a week who is away over the
/// holidays, and a QA engineer away too: in the weeks of 22 and 29 December (three working
/// days each on the model's calendar) the backend can supply 3 × 4 person-days instead of
/// 3 × 4.6, QA 3 × 1 instead of 3 × 2, and the schedule stays within that.
#[test]
fn the_seeds_part_time_scenario_loses_the_holidays_of_the_people_away() {
    let v = json(&[
        "schedule",
        "--scenario",
        "scenarios/part-time.toml",
        "--schedules",
        "300",
        "--format",
        "json",
    ]);
    let week = |role: &str, monday: &str| {
        let load = v["load"].as_array().unwrap();
        let w = load
            .iter()
            .find(|w| w["role"] == role && w["week_start"] == monday)
            .unwrap();
        (w["used"].as_f64().unwrap(), w["capacity"].as_f64().unwrap())
    };
    for monday in ["2025-12-22", "2025-12-29"] {
        let (used, capacity) = week("backend", monday);
        assert!(
            (capacity - 12.0).abs() < 1e-9 && used <= capacity,
            "{monday}: {used}/{capacity}"
        );
        let (used, capacity) = week("qa", monday);
        assert!(
            (capacity - 3.0).abs() < 1e-9 && used <= capacity,
            "{monday}: {used}/{capacity}"
        );
    }
    let (_, before) = week("backend", "2025-12-15");
    assert!(
        (before - 23.0).abs() < 1e-9,
        "4.6 people × 5 days: {before}"
    );
}
