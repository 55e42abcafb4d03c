//! Named calendars, role calendars and task calendars (`[calendars.<id>]`, `calendar = "…"`)
//! through the commands: the critical path and the precedence-only simulation count each task
//! in its own calendar, and the commands that do not honour them yet refuse the model instead
//! of ignoring the key.

use crate::common::{json, plan};
use serde_json::Value;

const MODEL: &str = "tests/data/calendars.toml";
const TEAM: &str = "tests/data/calendars-team.toml";

fn row<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn commands_that_do_not_honour_calendars_refuse_the_model_naming_the_key() {
    let out_file = std::env::temp_dir().join("plan-calendars-refused.xml");
    let out_path = out_file.to_str().unwrap();
    for command in ["schedule", "simulate", "export"] {
        let mut args = vec![command, "--model", MODEL, "--scenario", TEAM];
        if command == "export" {
            args.extend(["--format", "mspdi", "--out", out_path]);
        }
        let (out, err, code) = plan(&args);
        assert_eq!(code, 2, "{command}: {err}");
        assert!(out.is_empty(), "{command} printed {out}");
        assert!(
            err.contains("calendars.toml:19:") && err.contains("`roles.qa.calendar`"),
            "{command}: {err}"
        );
        assert!(err.contains("help:"), "{command}: {err}");
    }
    assert!(!out_file.exists(), "a refused export wrote {out_path}");
}

#[test]
fn validate_accepts_named_calendars_and_lists_them() {
    let (out, err, code) = plan(&["validate", "--model", MODEL]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("calendars   2 (offshore, 7x24)"), "{out}");
}

/// Worked by hand (2025-09-15 is a Monday): BUILD takes Monday to Friday 15-19 September. The
/// burn-in's calendar works every day, so it starts on Saturday 20 and its 7 days end on
/// Friday 26. QA works only when the project calendar (Monday to Friday) and the offshore
/// one (Sunday to Thursday) both do, Monday to Thursday, and Monday 6 October is an offshore
/// holiday: Monday 29 September, 30, 1, 2 October, then Tuesday 7. The burn-in may end as late
/// as Sunday 28 without moving QA: 2 days of float in its own calendar. DOCS (3 days after
/// BUILD) runs Monday 22 to Wednesday 24 September and has until Tuesday 7 October: the days between
/// count in the project calendar, 9 of them. DONE is due on Friday 10 October.
#[test]
fn the_critical_path_counts_each_task_in_its_own_calendar() {
    let out = json(&["critical-path", "--model", MODEL, "--format", "json"]);
    let tasks = &out["tasks"];
    let dates = |id: &str| {
        let r = row(tasks, id);
        (
            r["early_start_date"].as_str().unwrap().to_string(),
            r["early_finish_date"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(dates("BUILD"), ("2025-09-15".into(), "2025-09-19".into()));
    assert_eq!(dates("BURN-IN"), ("2025-09-20".into(), "2025-09-26".into()));
    assert_eq!(dates("QA"), ("2025-09-29".into(), "2025-10-07".into()));
    assert_eq!(dates("DOCS"), ("2025-09-22".into(), "2025-09-24".into()));
    assert_eq!(row(tasks, "DOCS")["total_float"], 9.0);
    assert_eq!(row(tasks, "BURN-IN")["total_float"], 2.0);
    assert_eq!(row(tasks, "QA")["total_float"], 0.0);
    assert_eq!(row(tasks, "BUILD")["total_float"], 0.0);
    assert_eq!(out["finish_date"], "2025-10-07");
    assert_eq!(out["milestones"][0]["slack"], 3.0);
}

/// Without the calendar keys the same network runs on the project calendar alone: the
/// burn-in waits for Monday and takes 7 weekdays (22 to 30 September), so the keys are what
/// moved the dates.
#[test]
fn removing_the_calendar_keys_gives_the_project_calendar_dates() {
    let text = std::fs::read_to_string(MODEL).unwrap();
    let plain: String = text
        .lines()
        .filter(|l| !l.starts_with("calendar = "))
        .collect::<Vec<_>>()
        .join("\n");
    let dir = std::env::temp_dir().join(format!("plan-calendars-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plain.toml");
    std::fs::write(&file, plain).unwrap();
    let out = json(&[
        "critical-path",
        "--model",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let burn_in = row(&out["tasks"], "BURN-IN");
    assert_eq!(burn_in["early_start_date"], "2025-09-22");
    assert_eq!(burn_in["early_finish_date"], "2025-09-30");
    assert_eq!(row(&out["tasks"], "QA")["early_start_date"], "2025-10-01");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A temporary copy of the model with `from` replaced by `to`, and its directory.
fn variant(name: &str, from: &str, to: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let text = std::fs::read_to_string(MODEL).unwrap();
    assert!(text.contains(from), "{from}");
    let dir = std::env::temp_dir().join(format!("plan-calendars-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("model.toml");
    std::fs::write(&file, text.replace(from, to)).unwrap();
    (dir, file)
}

#[test]
fn a_precedence_only_simulation_of_fixed_durations_gives_the_critical_path_dates() {
    let out = json(&[
        "simulate",
        "--model",
        MODEL,
        "--no-resources",
        "--iterations",
        "200",
        "--format",
        "json",
    ]);
    let done = &out["milestones"][0];
    assert_eq!(done["p50_date"], "2025-10-07");
    assert_eq!(done["p95_date"], "2025-10-07");
    assert_eq!(done["probability_on_time"], 1.0);
}

/// With an uncertain burn-in (5 to 12 days around the clock), every percentile of the
/// simulation lies between the optimistic and the pessimistic critical path, both on the
/// calendars. The pessimistic burn-in runs 12 days from Saturday 20 September to Wednesday 1
/// October, so QA (Monday to Thursday, not the offshore holiday on Monday 6) works Thursday 2,
/// Tuesday 7 to Thursday 9 and ends on Monday 13 October at the latest.
#[test]
fn simulated_dates_lie_between_the_optimistic_and_pessimistic_critical_paths() {
    let (dir, file) = variant("uncertain", "duration = 7", "estimate = [5, 7, 12]");
    let model = file.to_str().unwrap();
    let finish = |estimate: &str| {
        let out = json(&[
            "critical-path",
            "--model",
            model,
            "--estimate",
            estimate,
            "--format",
            "json",
        ]);
        out["finish_date"].as_str().unwrap().to_string()
    };
    let (early, late) = (finish("optimistic"), finish("pessimistic"));
    assert_eq!(late, "2025-10-13");
    let out = json(&[
        "simulate",
        "--model",
        model,
        "--no-resources",
        "--iterations",
        "2000",
        "--format",
        "json",
    ]);
    let done = &out["milestones"][0];
    for key in ["p50_date", "p80_date", "p95_date"] {
        let date = done[key].as_str().unwrap();
        assert!(
            early.as_str() <= date && date <= late.as_str(),
            "{key} {date} not in {early}..{late}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_simulation_with_people_refuses_role_calendars_at_the_key() {
    let (out, err, code) = plan(&["simulate", "--model", MODEL, "--scenario", TEAM]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("`roles.qa.calendar`") && err.contains("--no-resources"),
        "{err}"
    );
}
