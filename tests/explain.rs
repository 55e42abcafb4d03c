//! Drivers and `plan explain`: every start has a driver the independent check accepts, a
//! milestone's driving chain adds up to its date, and on random programs the drivers lead back
//! to the status date and every capacity driver names a role that really was short.

use crate::common::{json, plan};
use plan::model::{parse_model, parse_scenario, EstimateChoice};
use plan::schedule::{
    check, check_drivers, driving_chain, Driver, Problem, Schedule, SearchConfig,
};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use std::path::Path;

const FANZ: &str = "models/fanz.toml";
const SEED_LOW: &str = "scenarios/seed-low.toml";
const KINDS: [&str; 5] = ["link", "constraint", "status_date", "calendar", "capacity"];

#[test]
fn every_fanz_task_has_a_driver_that_the_check_accepts() {
    let model = plan::model::load_model(Path::new(FANZ)).unwrap();
    let scenario = plan::model::load_scenario(Path::new(SEED_LOW), &model).unwrap();
    let pp = plan::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
    let config = SearchConfig {
        schedules: 2000,
        ..SearchConfig::default()
    };
    let result = pp.search(&config, &[]).unwrap();
    assert!(check(&pp.problem, &result.schedule).is_empty());
    assert_eq!(result.drivers.len(), pp.problem.activities.len());
    let untrue = check_drivers(&pp.problem, &result.schedule, &result.drivers);
    assert!(untrue.is_empty(), "{untrue:?}");
    // Leveling shows: with the low-end team some starts wait for a role, not a link.
    let waits = result
        .drivers
        .iter()
        .filter(|d| matches!(d, Driver::Capacity(_)))
        .count();
    assert!(waits > 0, "no task of the FANZ model waits for people");
}

#[test]
fn the_schedule_json_gives_every_task_and_milestone_its_driver() {
    let v = json(&[
        "schedule",
        "--model",
        FANZ,
        "--scenario",
        SEED_LOW,
        "--schedules",
        "2000",
        "--format",
        "json",
    ]);
    let tasks = v["tasks"].as_array().unwrap();
    let milestones = v["milestones"].as_array().unwrap();
    let ids: Vec<&str> = tasks
        .iter()
        .chain(milestones)
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    for t in tasks.iter().chain(milestones) {
        let d = &t["driver"];
        let kind = d["kind"].as_str().unwrap();
        assert!(KINDS.contains(&kind), "{kind}");
        match kind {
            "link" => assert!(ids.contains(&d["predecessor"].as_str().unwrap())),
            "capacity" => {
                assert!(v["load"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|l| l["role"] == d["role"]));
                let holders = d["holders"].as_array().unwrap();
                assert!(!holders.is_empty(), "{t}");
                assert!(d["free"].as_f64().unwrap() < d["demand"].as_f64().unwrap());
            }
            _ => {}
        }
    }
    // A milestone's chain starts on the status date and ends with the milestone.
    for m in milestones {
        let chain = m["driving_chain"].as_array().unwrap();
        assert_eq!(chain.last().unwrap(), &m["id"]);
        let first = tasks.iter().find(|t| t["id"] == chain[0]).unwrap();
        assert_eq!(first["start"], 0, "{first}");
    }
    let (table, _, code) = plan(&[
        "schedule",
        "--model",
        FANZ,
        "--scenario",
        SEED_LOW,
        "--schedules",
        "2000",
    ]);
    assert_eq!(code, 0);
    assert!(table.contains("Driven by"), "{table}");
}

#[test]
fn explain_m_2026_01_gives_a_chain_whose_steps_add_up_to_its_scheduled_date() {
    let common = [
        "--model",
        FANZ,
        "--scenario",
        SEED_LOW,
        "--schedules",
        "2000",
        "--format",
        "json",
    ];
    let explained = json(&[&["explain", "M-2026-01"], &common[..]].concat());
    let schedule = json(&[&["schedule"], &common[..]].concat());
    let milestone = schedule["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "M-2026-01")
        .unwrap();
    let steps = explained["steps"].as_array().unwrap();
    let sum: i64 = steps.iter().map(|s| s["days"].as_i64().unwrap()).sum();
    assert_eq!(sum, milestone["finish"].as_i64().unwrap());
    assert_eq!(explained["finish"], milestone["finish"]);
    assert_eq!(explained["finish_date"], milestone["finish_date"]);
    assert_eq!(steps.last().unwrap()["id"], "M-2026-01");
    let chain: Vec<&serde_json::Value> = steps.iter().map(|s| &s["id"]).collect();
    let expected: Vec<&serde_json::Value> = milestone["driving_chain"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(chain, expected);
    // Each step but the first waits on the step before it: a link from it, or its finish
    // freeing the role.
    for pair in steps.windows(2) {
        let d = &pair[1]["driver"];
        let named = if d["kind"] == "link" {
            &d["predecessor"]
        } else {
            &d["freed_by"]
        };
        assert_eq!(named, &pair[0]["id"], "{d}");
    }
    assert_eq!(steps[0]["driver"]["kind"], "status_date");
    // The low-end team cannot make January: the proof is beside the chain, and one more of
    // some role pulls the date in.
    assert_eq!(explained["certificate"]["kind"], "capacity");
    // One more person is tried for each role a step of the chain needs, and only those: the
    // five roles are either tried (with a gain) or named as off the chain.
    let gains = explained["role_gains"].as_array().unwrap();
    let search = &explained["role_search"];
    let names = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect()
    };
    let (tried, skipped) = (names(&search["tried"]), names(&search["skipped"]));
    let mut gained: Vec<String> = gains
        .iter()
        .map(|g| g["role"].as_str().unwrap().to_string())
        .collect();
    gained.sort();
    let mut sorted_tried = tried.clone();
    sorted_tried.sort();
    assert_eq!(gained, sorted_tried);
    assert_eq!(tried.len() + skipped.len(), 5);
    let waited_for: Vec<&str> = steps
        .iter()
        .filter(|s| s["driver"]["kind"] == "capacity")
        .map(|s| s["driver"]["role"].as_str().unwrap())
        .collect();
    assert!(!waited_for.is_empty());
    for role in waited_for {
        assert!(
            tried.iter().any(|t| t == role),
            "{role} is waited for but not tried"
        );
    }
    for role in &skipped {
        let needed = schedule["tasks"].as_array().unwrap().iter().any(|t| {
            chain.contains(&&t["id"]) && t["crew"].get(role).is_some_and(|n| n.as_f64() > Some(0.0))
        });
        assert!(!needed, "{role} is needed on the chain but not tried");
    }
}

#[test]
fn explain_in_words_ends_with_the_day_the_steps_add_up_to() {
    let (out, err, code) = plan(&[
        "explain",
        "M2",
        "--model",
        "tests/data/team.toml",
        "--scenario",
        "tests/data/team-2.toml",
        "--schedules",
        "500",
    ]);
    assert_eq!(code, 0, "{err}");
    // A, B, C need both backend developers: one after another, then QA, then M2 on day 19.
    assert!(out.contains("working day 19"), "{out}");
    assert!(out.contains("waits for backend"), "{out}");
    assert!(out.contains("What would move it:"), "{out}");
    // A third backend developer still runs one two-person task at a time; a second QA
    // engineer halves the 4 days of QA.
    assert!(
        out.contains("one more qa person from the start: 2 working days earlier"),
        "{out}"
    );
    assert!(out.contains("backend no change"), "{out}");
}

#[test]
fn an_unknown_id_exits_2_with_a_suggestion() {
    let (_, err, code) = plan(&[
        "explain",
        "M-2026-1",
        "--model",
        FANZ,
        "--scenario",
        SEED_LOW,
        "--schedules",
        "10",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no task or milestone has the id \"M-2026-1\""),
        "{err}"
    );
    assert!(err.contains("help: did you mean \"M-2026-01\"?"), "{err}");
}

/// A random program as model and scenario text: up to 14 tasks over two roles with links of
/// every type and leads, fixed and effort-driven work, date constraints from below, a status
/// date up to a week after the start with finished work and work under way before it, a
/// milestone after some tasks, and a team that may get a hire part-way.
fn random_program(seed: u64) -> (String, String) {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    // 2025-09-15 is a Monday; the status date is that day or up to a week later.
    let status = rng.random_range(15..23);
    let mut model = format!(
        "[project]\nname = \"Random\"\nstart = 2025-09-15\nstatus_date = 2025-09-{status}\n\
         [roles.dev]\n[roles.qa]\n"
    );
    let n = rng.random_range(1..15);
    // Tasks finished by the status date: only those whose predecessors all finished too.
    let mut finished = vec![false; n];
    for j in 0..n {
        model += &format!("[[task]]\nid = \"T{j}\"\n");
        let mut links = Vec::new();
        let mut preds_finished = true;
        for (p, &done) in finished.iter().enumerate().take(j) {
            if rng.random_bool(0.3) {
                preds_finished &= done;
                let kind = ["FS", "SS", "FF", "SF"][rng.random_range(0..4)];
                let lag = rng.random_range(-2..3);
                links.push(format!(
                    "{{ id = \"T{p}\", type = \"{kind}\", lag = {lag} }}"
                ));
            }
        }
        if !links.is_empty() {
            model += &format!("after = [{}]\n", links.join(", "));
        }
        let role = ["dev", "qa"][rng.random_range(0..2)];
        if rng.random_bool(0.5) {
            let duration = rng.random_range(0..6);
            let people = rng.random_range(1..3);
            model += &format!("duration = {duration}\ndemand = {{ {role} = {people} }}\n");
        } else {
            let effort = rng.random_range(1..10);
            model += &format!("effort = {{ {role} = {effort} }}\ncrew = {{ {role} = [1, 2] }}\n");
        }
        match rng.random_range(0..6) {
            0 if preds_finished => {
                finished[j] = true;
                model += "done = 1.0\n";
            }
            1 if preds_finished => model += "actual_start = 2025-09-15\ndone = 0.5\n",
            2 => {
                let key = ["start_no_earlier", "finish_no_earlier"][rng.random_range(0..2)];
                let day = rng.random_range(15..30);
                model += &format!("{key} = 2025-09-{day}\n");
            }
            _ => {}
        }
    }
    let after: Vec<String> = (0..n).map(|j| format!("\"T{j}\"")).collect();
    model += &format!(
        "[[milestone]]\nid = \"M\"\nafter = [{}]\n",
        after.join(", ")
    );
    let mut scenario = format!(
        "name = \"Team\"\n[team]\ndev = {}\nqa = {}\n",
        rng.random_range(2..4),
        rng.random_range(2..4)
    );
    if rng.random_bool(0.3) {
        scenario += "[[hire]]\nrole = \"dev\"\ncount = 1\nstart = 2025-09-22\n";
    }
    (model, scenario)
}

/// Units of `resource` free on `day` with every activity but `j` in place.
fn free_on(problem: &Problem, schedule: &Schedule, j: usize, resource: usize, day: u32) -> i64 {
    let held: i64 = (0..problem.activities.len())
        .filter(|&h| h != j)
        .filter(|&h| {
            let finish = schedule.finish(problem, h).unwrap();
            schedule.starts[h] <= day && day < finish
        })
        .map(|h| i64::from(problem.activities[h].modes[schedule.modes[h]].demand[resource]))
        .sum();
    i64::from(problem.resources[resource].capacity.units_at(day)) - held
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn drivers_lead_back_to_the_status_date_and_capacity_drivers_were_short(seed in any::<u64>()) {
        let (model_text, scenario_text) = random_program(seed);
        let model = parse_model(&model_text, Path::new("random.toml")).unwrap();
        let scenario = parse_scenario(&scenario_text, Path::new("team.toml"), &model).unwrap();
        let Ok(pp) = plan::program::build(&model, &scenario, EstimateChoice::Likely) else {
            return Ok(());
        };
        let config = SearchConfig { schedules: 60, seed, parallel: false, ..SearchConfig::default() };
        let result = pp.search(&config, &[]).unwrap();
        let (problem, schedule, drivers) = (&pp.problem, &result.schedule, &result.drivers);
        prop_assert!(check_drivers(problem, schedule, drivers).is_empty());
        let n = problem.activities.len();
        for j in 0..n {
            let chain = driving_chain(drivers, j);
            prop_assert!(!chain.is_empty() && chain.len() <= n);
            // The chain ends where nothing earlier binds: the status date (day 0) or a
            // release day, or the day people joined a role.
            let last = *chain.last().unwrap();
            match &drivers[last] {
                Driver::Release { day } => {
                    prop_assert_eq!(schedule.starts[last], *day);
                    prop_assert!(*day >= plan::drivers::status_day(&pp), "a chain reaches the status date");
                }
                Driver::Capacity(wait) => {
                    prop_assert!(wait.freed_by.is_none());
                    let capacity = &problem.resources[wait.resource].capacity;
                    prop_assert!(capacity.units_at(wait.day + 1) > capacity.units_at(wait.day));
                }
                Driver::Link { .. } => prop_assert!(false, "a chain ends on a link"),
                Driver::Calendar { .. } => prop_assert!(false, "no calendar driver without calendars"),
            }
            if let Driver::Capacity(wait) = &drivers[j] {
                let demand = problem.activities[j].modes[schedule.modes[j]].demand[wait.resource];
                prop_assert_eq!(wait.day + 1, schedule.starts[j]);
                prop_assert!(free_on(problem, schedule, j, wait.resource, wait.day) < i64::from(demand));
            }
        }
    }
}

#[test]
fn a_task_is_explained_too() {
    let v = json(&[
        "explain",
        "B",
        "--model",
        "tests/data/team.toml",
        "--scenario",
        "tests/data/team-2.toml",
        "--schedules",
        "500",
        "--format",
        "json",
    ]);
    assert_eq!(v["kind"], "task");
    let steps = v["steps"].as_array().unwrap();
    let sum: i64 = steps.iter().map(|s| s["days"].as_i64().unwrap()).sum();
    assert_eq!(sum, v["finish"].as_i64().unwrap());
    assert_eq!(steps.last().unwrap()["id"], "B");
    assert_eq!(v["certificate"], serde_json::Value::Null);
}

#[test]
fn the_reports_gantt_frames_the_driving_chain_and_tells_each_bars_driver() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let (_, err, code) = plan(&[
        "report",
        "--model",
        "tests/data/team.toml",
        "--scenario",
        "tests/data/team-2.toml",
        "--iterations",
        "50",
        "--schedules",
        "200",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    // A, B and C queue for the two backend developers, then QA: all on M2's chain.
    assert_eq!(
        html.matches(r#"class="drive""#).count(),
        4,
        "one frame per task on a chain"
    );
    assert!(
        html.contains("driven by status date"),
        "the first task's tooltip"
    );
    assert!(
        html.contains("driven by FS "),
        "QA's tooltip names its link"
    );
    assert!(
        html.contains("driven by backend: "),
        "a queued task's tooltip names the role"
    );
}

/// With a status date after the start (tests/data/progress.toml: A finished, B under way at
/// 24 September): the chain starts at the status date, its steps add up to the milestone's
/// day counted from there, and finished work shows its actual dates.
#[test]
fn a_chain_is_counted_from_the_status_date_and_shows_finished_work_where_it_happened() {
    let v = json(&[
        "explain",
        "M",
        "--model",
        "tests/data/progress.toml",
        "--scenario",
        "tests/data/constraints-team.toml",
        "--format",
        "json",
    ]);
    assert_eq!(v["status_date"], "2025-09-24");
    let steps = v["steps"].as_array().unwrap();
    let sum: i64 = steps.iter().map(|s| s["days"].as_i64().unwrap()).sum();
    // 2025-09-24 is working day 7 from the start, 2025-09-15.
    assert_eq!(sum, v["finish"].as_i64().unwrap() - 7);
    let a = steps.iter().find(|s| s["id"] == "A").unwrap();
    assert_eq!(
        (a["start_date"].as_str(), a["finish_date"].as_str()),
        (Some("2025-09-15"), Some("2025-09-22"))
    );
}

/// The row of `id` in the words of `plan explain`.
fn row<'a>(words: &'a str, id: &str) -> &'a str {
    words
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(id))
        .unwrap_or_else(|| panic!("no row for {id} in:\n{words}"))
}

/// Finished work at the head of a chain is in the past: the words give its actual finish and
/// stop there, and work under way says since when, not that it starts on the status date.
#[test]
fn finished_and_under_way_steps_read_as_the_past_they_are() {
    let args = [
        "explain",
        "M",
        "--model",
        "tests/data/progress.toml",
        "--scenario",
        "tests/data/constraints-team.toml",
    ];
    let (words, err, code) = plan(&args);
    assert_eq!(code, 0, "{err}");
    let a = row(&words, "A");
    assert!(a.contains("finished on 2025-09-22"), "{a}");
    assert!(a.contains("the chain goes back no further"), "{a}");
    assert!(!a.contains("starts on the status date"), "{a}");
    let b = row(&words, "B");
    assert!(b.contains("under way since 2025-09-22"), "{b}");
    assert!(b.contains("the rest goes on from the status date"), "{b}");
    assert!(
        words.contains("due 2025-10-03: 1 working day late"),
        "{words}"
    );
    let v = json(&[&args[..], &["--format", "json"]].concat());
    let progress: Vec<(&str, &str)> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some((s["id"].as_str()?, s["progress"].as_str()?)))
        .collect();
    assert_eq!(
        progress[..2],
        [("A", "finished"), ("B", "under_way")],
        "{progress:?}"
    );
}

/// Two tasks under way at the status date and one developer: one of them is paused until the
/// other finishes, and the words say so rather than that it "waits" to start.
#[test]
fn work_under_way_paused_for_people_reads_as_paused() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.toml");
    std::fs::write(
        &model,
        "[project]\nname = \"Paused\"\nstart = 2025-09-15\nstatus_date = 2025-09-17\n\
         [roles.dev]\n\
         [[task]]\nid = \"P\"\nduration = 6\ndemand = { dev = 1 }\nactual_start = 2025-09-15\nremaining = 3\n\
         [[task]]\nid = \"Q\"\nduration = 6\ndemand = { dev = 1 }\nactual_start = 2025-09-15\nremaining = 3\n\
         [[milestone]]\nid = \"M\"\nafter = [\"P\", \"Q\"]\n",
    )
    .unwrap();
    let team = dir.path().join("team.toml");
    std::fs::write(&team, "name = \"One\"\n[team]\ndev = 1\n").unwrap();
    let (words, err, code) = plan(&[
        "explain",
        "M",
        "--model",
        model.to_str().unwrap(),
        "--scenario",
        team.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // Whichever goes first, the other's rest waits three working days for the developer.
    let (first, second) = if row(&words, "P").contains("paused") {
        ("Q", "P")
    } else {
        ("P", "Q")
    };
    let paused = row(&words, second);
    assert!(paused.contains("under way since 2025-09-15"), "{paused}");
    assert!(
        paused.contains(&format!(
            "the rest was paused for dev: 0 of 1 free on 2025-09-19 (held by {first}); it goes on when {first} finishes"
        )),
        "{paused}"
    );
    assert!(!paused.contains("waits for"), "{paused}");
    let head = row(&words, first);
    assert!(
        head.contains("under way since 2025-09-15; the rest goes on from the status date"),
        "{head}"
    );
}

/// On the FANZ model (status date with work done and under way), every finished step of the
/// January chain reads as finished and every step under way gives the day it began, as the
/// JSON of the same run has them.
#[test]
fn fanz_steps_read_as_finished_under_way_or_waiting() {
    let args = [
        "explain",
        "M-2026-01",
        "--model",
        FANZ,
        "--scenario",
        SEED_LOW,
        "--schedules",
        "2000",
    ];
    let (words, err, code) = plan(&args);
    assert_eq!(code, 0, "{err}");
    let v = json(&[&args[..], &["--format", "json"]].concat());
    let steps = v["steps"].as_array().unwrap();
    let mut seen = (0, 0);
    for s in steps {
        let id = s["id"].as_str().unwrap();
        // Long ids are cut in the table; the row starts with the cut form.
        let shown: String = if id.chars().count() > 14 {
            id.chars().take(13).collect::<String>() + "…"
        } else {
            id.to_string()
        };
        let text = row(&words, &shown);
        match s["progress"].as_str() {
            Some("finished") => {
                seen.0 += 1;
                assert!(
                    text.contains("already done at the status date")
                        || text.contains("its actual finish"),
                    "{text}"
                );
                assert!(!text.contains("starts on the status date"), "{text}");
            }
            Some("under_way") => {
                seen.1 += 1;
                let since = format!("under way since {}", s["start_date"].as_str().unwrap());
                assert!(text.contains(&since), "{text}");
                assert!(!text.contains("waits for"), "{text}");
            }
            _ => {}
        }
    }
    assert!(
        seen.0 > 0 && seen.1 > 0,
        "no finished or under-way step: {seen:?}"
    );
    assert_eq!(steps[0]["progress"], "finished", "the kickoff is done");
}

const OFFSHORE: &str = "tests/data/offshore-qa.toml";
const OFFSHORE_TEAM: &str = "tests/data/offshore-qa-team.toml";

/// Worked by hand (2025-09-15 is a Monday): BUILD (4 days, the onshore developer) takes
/// Monday 15 to Thursday 18. TEST needs the offshore QA engineer, so it works when the project
/// calendar (Monday to Friday) and the offshore one (Sunday to Thursday) both do: Monday to
/// Thursday, and not Tuesday 23, an offshore holiday. Its link from BUILD allows Friday 19, a
/// day off for it: its calendar drives its start, Monday 22; it works the 22nd, 24th and 25th.
/// The grid is the days any task works, Monday to Friday: BUILD adds 4 of them, TEST 5 (Friday
/// 19, waiting, then its 4 days Monday 22 to Thursday 25, of which it works 3), SHIP none: day
/// 9, one day before it is due on Friday 26.
#[test]
fn explain_on_an_offshore_calendar_says_the_calendar_drives_the_test() {
    let args = [
        "explain",
        "SHIP",
        "--model",
        OFFSHORE,
        "--scenario",
        OFFSHORE_TEAM,
        "--format",
        "json",
    ];
    let out = json(&args);
    assert_eq!(out["finish_date"], "2025-09-25");
    assert_eq!(
        (out["finish"].as_u64(), out["slack"].as_i64()),
        (Some(9), Some(1))
    );
    assert_eq!(out["uses_calendars"], true);
    let steps = out["steps"].as_array().unwrap();
    let ids: Vec<&str> = steps.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["BUILD", "TEST", "SHIP"]);
    let days: Vec<i64> = steps.iter().map(|s| s["days"].as_i64().unwrap()).collect();
    assert_eq!(days, [4, 5, 0]);
    let test = &steps[1];
    assert_eq!(test["start_date"], "2025-09-22");
    assert_eq!(test["finish_date"], "2025-09-25");
    assert_eq!(test["work_days"], 3);
    assert_eq!(
        test["calendars"],
        serde_json::json!(["project", "offshore"])
    );
    let driver = &test["driver"];
    assert_eq!(driver["kind"], "calendar");
    assert_eq!(driver["from"], "2025-09-19");
    assert_eq!(driver["deferred"]["kind"], "link");
    assert_eq!(driver["deferred"]["predecessor"], "BUILD");
    assert_eq!(steps[0]["driver"]["kind"], "status_date");
    assert_eq!(steps[2]["driver"]["predecessor"], "TEST");

    let (words, err, code) = plan(&args[..6]);
    assert_eq!(code, 0, "{err}");
    let test = row(&words, "TEST");
    assert!(
        test.contains("it could start on 2025-09-19")
            && test.contains("(project, offshore) are off until 2025-09-22")
            && test.contains("works 3 of its 4 days"),
        "{test}"
    );
    assert!(words.contains("day 9 of the schedule's grid"), "{words}");
    assert!(
        words.contains("9  days of the grid from the status date"),
        "{words}"
    );
    // A mistyped id on a calendar model is bad input, as on any other.
    let (out, err, code) = plan(&[
        "explain",
        "TSET",
        "--model",
        OFFSHORE,
        "--scenario",
        OFFSHORE_TEAM,
    ]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("did you mean \"TEST\"?"), "{err}");

    // The schedule says the same, and every driver of it passed the driver check.
    let schedule = json(&[
        "schedule",
        "--model",
        OFFSHORE,
        "--scenario",
        OFFSHORE_TEAM,
        "--format",
        "json",
    ]);
    let test = schedule["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "TEST")
        .unwrap();
    assert_eq!(test["driver"], *driver);
}

/// `plan explain ALL` on a program of `tasks` (TOML) plus milestone ALL after `after`, due on
/// `due`, with `team`; returns stdout, stderr and the exit code.
fn explain_large(
    tasks: &str,
    after: &[String],
    due: &str,
    team: &str,
    format: &str,
) -> (String, String, i32) {
    let roles = "[roles.dev]\n[roles.doc]\n";
    explain_large_with(roles, tasks, after, due, team, format)
}

/// [`explain_large`] with the roles (and calendars) given by `roles`.
fn explain_large_with(
    roles: &str,
    tasks: &str,
    after: &[String],
    due: &str,
    team: &str,
    format: &str,
) -> (String, String, i32) {
    let dir = tempfile::tempdir().unwrap();
    let model = format!(
        "[project]\nname = \"Large\"\nstart = 2025-09-15\n{roles}\
         [[milestone]]\nid = \"ALL\"\ndue = {due}\nafter = [{}]\n{tasks}",
        after.join(", ")
    );
    let (model_path, team_path) = (dir.path().join("large.toml"), dir.path().join("team.toml"));
    std::fs::write(&model_path, model).unwrap();
    std::fs::write(&team_path, team).unwrap();
    plan(&[
        "explain",
        "ALL",
        "--model",
        model_path.to_str().unwrap(),
        "--scenario",
        team_path.to_str().unwrap(),
        "--schedules",
        "20",
        "--format",
        format,
    ])
}

/// `[[task]]` tables of one day each needing one person of `role`, with their quoted ids.
fn one_day_tasks(prefix: &str, n: usize, role: &str) -> (String, Vec<String>) {
    let ids: Vec<String> = (0..n).map(|i| format!("\"{prefix}{i}\"")).collect();
    let tasks = ids
        .iter()
        .map(|id| format!("[[task]]\nid = {id}\nduration = 1\ndemand = {{ {role} = 1 }}\n"))
        .collect();
    (tasks, ids)
}

/// A program above the 2,000 tasks up to which `plan explain` asks the capacity bound's LPs:
/// 2,001 one-day tasks for the one developer, all due within a month. No schedule can do
/// 2,001 person-days of work in it, and plain arithmetic (the energy window) shows it, so the
/// certificate is still printed beside the chain.
#[test]
fn a_milestone_proven_impossible_on_a_large_program_still_gets_its_certificate() {
    let (tasks, ids) = one_day_tasks("T", 2001, "dev");
    let explain = |format| explain_large(&tasks, &ids, "2025-10-15", "[team]\ndev = 1\n", format);
    let (out, err, code) = explain("json");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["slack"].as_i64().unwrap() < 0, "{v}");
    assert_eq!(v["certificate"]["kind"], "capacity", "{}", v["certificate"]);
    assert_eq!(v["proof_not_asked"], serde_json::Value::Null);
    let (words, err, code) = explain("table");
    assert_eq!(code, 0, "{err}");
    assert!(
        words.contains("Proof that no schedule meets the due date 2025-10-15"),
        "{words}"
    );
}

/// Above 2,000 tasks a late milestone that neither the precedence pass nor an energy window
/// proves impossible says that the bound's LPs were not run: two 10-day tasks that each need 2
/// of the 3 developers cannot overlap (20 days), but their 40 person-days fit in the 45 that 15
/// days give, and 1,999 one-day tasks of 2,000 writers fill the program.
#[test]
fn a_late_milestone_without_an_arithmetic_proof_on_a_large_program_says_no_proof_was_asked() {
    let (mut tasks, _) = one_day_tasks("D", 1999, "doc");
    for id in ["A", "B"] {
        tasks.push_str(&format!(
            "[[task]]\nid = \"{id}\"\nduration = 10\ndemand = {{ dev = 2 }}\n"
        ));
    }
    let after = ["\"A\"".to_string(), "\"B\"".to_string()];
    let team = "[team]\ndev = 3\ndoc = 2000\n";
    let (out, err, code) = explain_large(&tasks, &after, "2025-10-06", team, "json");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["slack"].as_i64().unwrap() < 0, "{v}");
    assert_eq!(v["certificate"], serde_json::Value::Null);
    let why = v["proof_not_asked"].as_str().unwrap();
    assert!(why.contains("above 2000 tasks"), "{why}");
    assert!(why.contains("run `plan feasibility`"), "{why}");
}

/// Roles of the large calendar programs: the developers keep the project's Monday to Friday,
/// the offshore QA engineers work Sunday to Thursday, so a QA task works Monday to Thursday.
const OFFSHORE_ROLES: &str =
    "[calendars.offshore]\nworkdays = [\"sun\", \"mon\", \"tue\", \"wed\", \"thu\"]\n\
                              [roles.dev]\n[roles.qa]\ncalendar = \"offshore\"\n";

/// `plan explain ALL` on a calendar program of 2,000 one-day developer tasks (2,000
/// developers do them all on the first day) plus `qa_tasks`, due on Friday 2025-10-10.
fn explain_large_offshore(
    qa_tasks: &str,
    after: &[String],
    team: &str,
    format: &str,
) -> (String, String, i32) {
    let (mut tasks, _) = one_day_tasks("D", 2000, "dev");
    tasks.push_str(qa_tasks);
    explain_large_with(OFFSHORE_ROLES, &tasks, after, "2025-10-10", team, format)
}

fn civil(text: &str) -> jiff::civil::Date {
    text.parse().unwrap()
}

fn mon_to_thu(d: jiff::civil::Date) -> bool {
    use jiff::civil::Weekday::*;
    matches!(d.weekday(), Monday | Tuesday | Wednesday | Thursday)
}

fn mon_to_fri(d: jiff::civil::Date) -> bool {
    mon_to_thu(d) || d.weekday() == jiff::civil::Weekday::Friday
}

/// How many of the days `from` to `to` (both counted) `works` says are working days.
fn days_worked(from: &str, to: &str, works: fn(jiff::civil::Date) -> bool) -> f64 {
    let (mut d, to) = (civil(from), civil(to));
    let mut n = 0.0;
    while d <= to {
        n += f64::from(u8::from(works(d)));
        d = d.tomorrow().unwrap();
    }
    n
}

/// The day a chain of `n` one-day tasks working `works` days, started on 2025-09-15, ends.
fn chain_end(n: usize, works: fn(jiff::civil::Date) -> bool) -> String {
    let mut d = civil("2025-09-15");
    for i in 0..n {
        while !works(d) {
            d = d.tomorrow().unwrap();
        }
        if i + 1 < n {
            d = d.tomorrow().unwrap();
        }
    }
    d.to_string()
}

/// Above 2,000 tasks on a calendar model: 18 one-day QA tasks for the one QA engineer by Friday
/// 2025-10-10. Monday to Friday the 20 days would hold them; the QA calendar leaves 16, so the
/// energy window proves the date impossible, and the certificate's figures check by hand
/// against the calendar: the engineer's Monday-to-Thursday days in its window, the tasks' work.
#[test]
fn a_large_calendar_program_gets_an_energy_certificate_counted_on_the_role_calendar() {
    let (tasks, ids) = one_day_tasks("Q", 18, "qa");
    let team = "[team]\ndev = 2000\nqa = 1\n";
    let (out, err, code) = explain_large_offshore(&tasks, &ids, team, "json");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["uses_calendars"], true);
    // 18 days of Monday to Thursday from Monday 15 September end on Tuesday 14 October.
    assert_eq!(v["finish_date"], chain_end(18, mon_to_thu));
    assert!(v["slack"].as_i64().unwrap() < 0, "{v}");
    assert_eq!(v["proof_not_asked"], serde_json::Value::Null);
    let c = &v["certificate"];
    assert_eq!(
        (c["kind"].as_str(), c["role"].as_str()),
        (Some("capacity"), Some("qa")),
        "{c}"
    );
    let (from, to) = (
        c["window_start"].as_str().unwrap(),
        c["window_end"].as_str().unwrap(),
    );
    assert!(
        civil(from) >= civil("2025-09-15") && civil(to) <= civil("2025-10-10"),
        "{c}"
    );
    // The recheck: one engineer supplies one person-day on each of her working days.
    let available = c["available"].as_f64().unwrap();
    assert_eq!(available, days_worked(from, to, mon_to_thu), "{c}");
    let parts = c["tasks"].as_array().unwrap();
    let mut required = 0.0;
    for t in parts {
        let part = t["person_days"].as_f64().unwrap();
        assert!(t["id"].as_str().unwrap().starts_with('Q'), "{t}");
        assert!(
            part > 0.0 && part <= 1.0,
            "{t}: more than the task's one person-day"
        );
        required += part;
    }
    assert_eq!(required, c["required"].as_f64().unwrap(), "{c}");
    assert!(required > available, "{c}");
    // Without the QA calendar the same work would fit the window: the proof is the calendar's.
    assert!(required <= days_worked(from, to, mon_to_fri), "{c}");

    let (words, err, code) = explain_large_offshore(&tasks, &ids, team, "table");
    assert_eq!(code, 0, "{err}");
    assert!(
        words.contains("Proof that no schedule meets the due date 2025-10-10"),
        "{words}"
    );
}

/// Above 2,000 tasks on a calendar model, a chain: 18 one-day QA tasks one after another, with
/// 18 engineers, cannot end before the 18th Monday-to-Thursday day, Tuesday 14 October, after
/// the due Friday 10. The certificate names the chain, which the model links in that order,
/// and counts it on the grid of the days any task works (Monday to Friday, the developers').
#[test]
fn a_large_calendar_program_gets_a_chain_certificate_walked_on_the_role_calendar() {
    let ids: Vec<String> = (0..18).map(|i| format!("Q{i}")).collect();
    let tasks: String = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let after = i
                .checked_sub(1)
                .map_or(String::new(), |p| format!("after = [\"Q{p}\"]\n"));
            format!("[[task]]\nid = \"{id}\"\nduration = 1\ndemand = {{ qa = 1 }}\n{after}")
        })
        .collect();
    let last = ["\"Q17\"".to_string()];
    let (out, err, code) =
        explain_large_offshore(&tasks, &last, "[team]\ndev = 2000\nqa = 18\n", "json");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let end = chain_end(18, mon_to_thu);
    assert_eq!(v["finish_date"], end);
    let c = &v["certificate"];
    assert_eq!(c["kind"], "critical_path", "{c}");
    let chain: Vec<&str> = c["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(chain, ids, "{c}");
    // The recheck: the chain walked on the QA days ends on `end`, which is grid day `required`;
    // the due date is grid day `available`.
    let grid_days = |to: &str| days_worked("2025-09-15", to, mon_to_fri);
    assert_eq!(c["required"].as_f64().unwrap(), grid_days(&end), "{c}");
    assert_eq!(
        c["available"].as_f64().unwrap(),
        grid_days("2025-10-10"),
        "{c}"
    );
    assert!(c["required"].as_f64() > c["available"].as_f64(), "{c}");
    let text = c["text"].as_str().unwrap();
    assert!(
        text.contains("ends on 14 Oct 2025 at the earliest, after the due date 10 Oct 2025"),
        "{text}"
    );
}

/// Above 2,000 tasks on a calendar model, a date that no arithmetic proof reaches says the
/// LPs were not asked: two 10-day QA tasks that each need 2 of the 3 engineers cannot overlap
/// (20 Monday-to-Thursday days, to Thursday 16 October), but their 40 person-days fit in the 48
/// that the 16 QA days to Friday 10 October give, and each alone fits in them.
#[test]
fn a_large_calendar_program_without_an_arithmetic_proof_says_no_proof_was_asked() {
    let tasks: String = ["A", "B"]
        .iter()
        .map(|id| format!("[[task]]\nid = \"{id}\"\nduration = 10\ndemand = {{ qa = 2 }}\n"))
        .collect();
    assert!(40.0 <= 3.0 * days_worked("2025-09-15", "2025-10-10", mon_to_thu));
    let after = ["\"A\"".to_string(), "\"B\"".to_string()];
    let (out, err, code) =
        explain_large_offshore(&tasks, &after, "[team]\ndev = 2000\nqa = 3\n", "json");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["finish_date"], chain_end(20, mon_to_thu));
    assert!(v["slack"].as_i64().unwrap() < 0, "{v}");
    assert_eq!(v["certificate"], serde_json::Value::Null);
    let why = v["proof_not_asked"].as_str().unwrap();
    assert!(why.contains("above 2000 tasks"), "{why}");
    assert!(why.contains("run `plan feasibility`"), "{why}");
}
