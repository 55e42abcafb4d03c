//! Date constraints and deadlines through the commands: MS Project's meaning in the critical
//! path (a hard constraint wins over the link it breaks and the conflict shows as negative
//! float), constraints from below honoured by every resource-constrained schedule and by the
//! simulation, caps and deadlines reported as lateness, and the validate warning.

use crate::common::{json, plan};
use plan::model::{parse_model, parse_scenario, EstimateChoice};
use plan::schedule::{check, SearchConfig};
use serde_json::Value;
use std::path::Path;

const MODEL: &str = "tests/data/constraints.toml";
const TEAM: &str = "tests/data/constraints-team.toml";

fn row<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

/// Worked by hand (2025-09-15 is a Monday, five working days a week): A runs days 0-5; B must
/// start on Thursday (day 3), so it breaks A -> B and A must finish by day 3: float -2. C
/// follows B (days 6-8) but its deadline is the end of Friday (day 5): 3 days late, float -3,
/// and the must-start-on stops that float from flowing back to B. D may not start before
/// Monday 2025-09-29 (day 10) and sets the finish, so the critical path is D then M.
#[test]
fn critical_path_honours_constraints_and_shows_conflicts_as_negative_float() {
    let out = json(&["critical-path", "--model", MODEL, "--format", "json"]);
    let tasks = &out["tasks"];
    let b = row(tasks, "B");
    assert_eq!(b["early_start_date"], "2025-09-18");
    assert_eq!(b["constraint"]["type"], "must_start_on");
    assert_eq!(b["constraint"]["breaks"], serde_json::json!(["A"]));
    assert_eq!(b["total_float"], 0.0);
    assert_eq!(row(tasks, "A")["total_float"], -2.0);
    let c = row(tasks, "C");
    assert_eq!(c["deadline"]["late_days"], 3.0);
    assert_eq!(c["total_float"], -3.0);
    assert_eq!(c["early_finish_date"], "2025-09-24");
    assert_eq!(row(tasks, "D")["early_start_date"], "2025-09-29");
    assert_eq!(out["finish_date"], "2025-09-30");
    assert_eq!(out["critical_path"], serde_json::json!(["D", "M"]));
    // A task without constraint or deadline keeps the JSON it had.
    assert!(row(tasks, "A").get("constraint").is_none());
    let (table, _, code) = plan(&["critical-path", "--model", MODEL]);
    assert_eq!(code, 0);
    assert!(
        table.contains("must_start_on 2025-09-18 (breaks the link from A)"),
        "{table}"
    );
    assert!(
        table.contains("deadline 2025-09-19, 3 days LATE"),
        "{table}"
    );
}

#[test]
fn the_schedule_never_breaks_a_link_and_reports_missed_caps_as_lateness() {
    let out = json(&[
        "schedule",
        "--model",
        MODEL,
        "--scenario",
        TEAM,
        "--format",
        "json",
    ]);
    let tasks = &out["tasks"];
    let (a, b) = (row(tasks, "A"), row(tasks, "B"));
    assert!(b["start"].as_u64() >= a["finish"].as_u64(), "{out}");
    assert_eq!(
        b["constraint"]["late_days"],
        b["start"].as_u64().unwrap() - 3
    );
    assert!(row(tasks, "C")["deadline"]["late_days"].as_u64().unwrap() >= 3);
    assert!(row(tasks, "D")["start_date"].as_str().unwrap() >= "2025-09-29");
    assert_eq!(row(tasks, "D")["constraint"]["late_days"], 0);
}

#[test]
fn validate_warns_about_hard_constraints_and_broken_links() {
    let (out, _, code) = plan(&["validate", "--model", MODEL]);
    assert_eq!(code, 0);
    assert!(out.contains("warning: hard constraints (2)"), "{out}");
    assert!(out.contains("B (must_start_on 2025-09-18)"), "{out}");
    assert!(out.contains("warning: broken links (1)"), "{out}");
    assert!(out.contains("A -> B"), "{out}");
}

#[test]
fn the_simulation_starts_no_work_before_its_constraint() {
    for resources in [true, false] {
        let mut args = vec!["simulate", "--model", MODEL, "--format", "json"];
        args.extend(if resources {
            ["--scenario", TEAM]
        } else {
            ["--no-resources", "--iterations"]
        });
        if !resources {
            args.push("200");
        }
        let out = json(&args);
        let text = out.to_string();
        // D (2 days) may not start before 2025-09-29, so nothing finishes before 2025-09-30.
        assert!(text.contains("2025-09-30"), "{text}");
        assert!(!text.contains("2025-09-26"), "{text}");
    }
}

/// xorshift64*: deterministic, no dependency.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// A random program of 4-8 tasks on one role with a random constraint or deadline on about
/// half of them (dates in the first four weeks, weekends included).
fn random_constrained(seed: u64) -> String {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut below = |n: u64| next(&mut s) % n;
    let n = 4 + below(5) as usize;
    let status = if seed % 2 == 1 {
        "status_date = 2025-09-18\n"
    } else {
        ""
    };
    let mut text = format!("[project]\nname = \"r\"\nstart = 2025-09-15\n{status}[roles.a]\n");
    let keys = [
        "start_no_earlier",
        "start_no_later",
        "finish_no_earlier",
        "finish_no_later",
        "must_start_on",
        "must_finish_on",
        "deadline",
    ];
    for i in 0..n {
        text += &format!(
            "[[task]]\nid = \"T{i}\"\nduration = {}\ndemand = {{ a = {} }}\n",
            1 + below(4),
            1 + below(2)
        );
        let preds: Vec<String> = (0..i)
            .filter(|_| below(3) == 0)
            .map(|p| format!("\"T{p}\""))
            .collect();
        if !preds.is_empty() {
            text += &format!("after = [{}]\n", preds.join(", "));
        }
        if !status.is_empty() && i < 2 {
            // The first task finished, the second under way with 2 days left.
            text += if i == 0 {
                "actual_start = 2025-09-15\nactual_finish = 2025-09-16\n"
            } else {
                "actual_start = 2025-09-17\nremaining = 2\n"
            };
        }
        if below(2) == 0 {
            let day = 15 + below(28);
            let date = if day > 30 {
                format!("2025-10-{:02}", day - 30)
            } else {
                format!("2025-09-{day}")
            };
            text += &format!("{} = {date}\n", keys[below(keys.len() as u64) as usize]);
        }
    }
    text
}

/// Every resource-constrained schedule of a constrained program passes the independent checker
/// and the check of the model's own dates: no constrained start or finish before its date, no
/// unfinished work before the status date.
#[test]
fn every_schedule_with_constraints_passes_the_checker_and_the_model_dates() {
    let mut held_back = 0;
    for seed in 0..150 {
        let text = random_constrained(seed);
        let model = parse_model(&text, Path::new("r.toml")).expect("valid model");
        let team = format!("[team]\na = {}\n", 2 + seed % 2);
        let sc = parse_scenario(&team, Path::new("s.toml"), &model).unwrap();
        let pp = plan::program::build(&model, &sc, EstimateChoice::Likely).unwrap();
        held_back += pp
            .problem
            .activities
            .iter()
            .filter(|a| a.release > 0)
            .count();
        let config = SearchConfig {
            schedules: 200,
            seed,
            ..SearchConfig::default()
        };
        let result = pp.search(&config, &[]).unwrap();
        assert!(check(&pp.problem, &result.schedule).is_empty(), "{text}");
        let wrong = plan::timeline::check_model_dates(&model, &pp, &result.schedule);
        assert!(wrong.is_empty(), "{wrong:?}\n{text}");
    }
    assert!(held_back > 100, "constraints hold work back ({held_back})");
}

/// Worked by hand: the status date is Wednesday 2025-09-24 (day 7). A ran 15-22 September and is
/// done; B began on 22 September with 4 days left, so it resumes at the status date (days 7-11)
/// and C follows (11-13); D, not started, may not start before the status date either.
#[test]
fn the_status_date_keeps_the_past_and_starts_the_rest_from_it() {
    let model = "tests/data/progress.toml";
    let out = json(&["critical-path", "--model", model, "--format", "json"]);
    assert_eq!(out["status_date"], "2025-09-24");
    let tasks = &out["tasks"];
    let a = row(tasks, "A");
    assert_eq!(a["early_start_date"], "2025-09-15");
    assert_eq!(a["early_finish_date"], "2025-09-22");
    assert_eq!(a["critical"], false);
    let b = row(tasks, "B");
    assert_eq!(b["early_start_date"], "2025-09-24");
    assert_eq!(b["duration"], 4.0);
    assert_eq!(b["actual_start"], "2025-09-22");
    assert_eq!(row(tasks, "C")["early_finish_date"], "2025-10-01");
    assert_eq!(row(tasks, "D")["early_start_date"], "2025-09-24");
    assert_eq!(out["critical_path"], serde_json::json!(["B", "C", "M"]));
    let scheduled = json(&[
        "schedule",
        "--model",
        model,
        "--scenario",
        TEAM,
        "--format",
        "json",
    ]);
    for t in scheduled["tasks"].as_array().unwrap() {
        if t["actual_finish"].is_null() {
            assert!(t["start_date"].as_str().unwrap() >= "2025-09-24", "{t}");
        } else {
            assert_eq!(t["start_date"], "2025-09-15");
        }
    }
    let simulated = json(&[
        "simulate",
        "--model",
        model,
        "--no-resources",
        "--iterations",
        "100",
        "--format",
        "json",
    ]);
    assert!(
        !simulated.to_string().contains("2025-09-26\""),
        "{simulated}"
    );
}

/// The least total float of the JSON's tasks with work left, and the float range along its
/// critical path: what the table's header and note must say.
fn floats_of(out: &Value) -> (f64, f64, f64) {
    let tasks = out["tasks"].as_array().unwrap();
    let float = |t: &Value| t["total_float"].as_f64().unwrap();
    let left: Vec<&Value> = tasks
        .iter()
        .filter(|t| t["duration"].as_f64().unwrap() > 0.0)
        .collect();
    let least = left.iter().map(|t| float(t)).fold(f64::INFINITY, f64::min);
    let path: Vec<f64> = out["critical_path"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|id| left.iter().find(|t| t["id"] == *id).map(|t| float(t)))
        .collect();
    let lo = path.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = path.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (least, lo, hi)
}

/// The critical path's header says the float it has: "zero float" only when every step has
/// zero float; a negative least float (the most critical work, which may lie off the chain
/// that sets the finish) gets its own line naming it.
#[test]
fn the_critical_path_header_tells_the_float_it_has_even_below_zero() {
    // Constraints model: the chain D -> M sets the finish at float 0; C misses its deadline.
    let out = json(&["critical-path", "--model", MODEL, "--format", "json"]);
    let (least, lo, hi) = floats_of(&out);
    assert_eq!((lo, hi), (0.0, 0.0));
    assert!(least < 0.0, "the model has a conflict: {least}");
    let (table, _, code) = plan(&["critical-path", "--model", MODEL]);
    assert_eq!(code, 0);
    assert!(
        table.contains("Critical path (2 steps, zero float; each drives the next)"),
        "{table}"
    );
    assert!(
        table.contains(&format!("Least float {least} working days (C)")),
        "{table}"
    );
    // The built-in model: its deadlines pull the chain itself below zero.
    let out = json(&["critical-path", "--format", "json"]);
    let (least, lo, hi) = floats_of(&out);
    assert!(lo < 0.0, "the seed's chain starts late: {lo}");
    let (table, _, code) = plan(&["critical-path"]);
    assert_eq!(code, 0);
    let header = table
        .lines()
        .find(|l| l.starts_with("Critical path ("))
        .unwrap();
    assert!(!header.contains("zero float"), "{header}");
    assert!(header.contains(&format!("float {lo} to {hi};")), "{header}");
    assert!(
        table.contains(&format!("Least float {least} working days (")),
        "{table}"
    );
    // A plan whose dates all fit keeps the words it had, and no note.
    let (table, _, _) = plan(&["critical-path", "--model", "tests/data/small.toml"]);
    assert!(
        table.contains("steps, zero float; each drives the next)"),
        "{table}"
    );
    assert!(!table.contains("Least float"), "{table}");
}

/// `plan schedule`'s table lists what its JSON says of each constraint and deadline: met, or
/// the working days late (the schedule keeps every link, so a cap it cannot keep is late).
#[test]
fn the_schedule_table_lists_each_constraint_and_deadline_with_its_lateness() {
    let args = [
        "schedule",
        "--model",
        MODEL,
        "--scenario",
        TEAM,
        "--seed",
        "3",
    ];
    let out = json(&[&args[..], &["--format", "json"]].concat());
    let (table, _, code) = plan(&args);
    assert_eq!(code, 0);
    let section = &table[table
        .find("Date constraints and deadlines")
        .unwrap_or_else(|| panic!("no constraint section in:\n{table}"))..];
    let section = &section[..section.find("\n\n").unwrap_or(section.len())];
    let line = |id: &str| {
        section
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("no line for {id} in:\n{section}"))
    };
    let words = |v: &Value| match v["late_days"].as_u64().unwrap() {
        0 => "met".to_string(),
        1 => "1 day LATE".to_string(),
        n => format!("{n} days LATE"),
    };
    let b = &row(&out["tasks"], "B")["constraint"];
    assert!(
        b["late_days"].as_u64().unwrap() > 0,
        "B cannot start on its date: {b}"
    );
    assert!(
        line("B").contains(&format!("must_start_on 2025-09-18: {}", words(b))),
        "{section}"
    );
    let c = &row(&out["tasks"], "C")["deadline"];
    assert!(
        line("C").contains(&format!("deadline 2025-09-19: {}", words(c))),
        "{section}"
    );
    assert!(
        line("D").contains("start_no_earlier 2025-09-29: met"),
        "{section}"
    );
    let m = &row(&out["milestones"], "M")["constraint"];
    assert!(line("M").contains(&words(m)), "{section}");
    assert!(
        section.lines().all(|l| !l.trim_start().starts_with("A ")),
        "{section}"
    );
    // A model without constraints or deadlines has no such section.
    let (table, _, _) = plan(&[
        "schedule",
        "--model",
        "tests/data/team.toml",
        "--scenario",
        "tests/data/team-2.toml",
    ]);
    assert!(!table.contains("Date constraints and deadlines"), "{table}");
}
