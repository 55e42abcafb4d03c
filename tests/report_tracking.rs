//! `plan report --baseline` and `--history` (docs/tracking.md#in-the-report): the baseline
//! bars carry the baseline file's dates, the S-curve ends on `plan status`'s PV, EV and AC,
//! and the milestone trend's points are `plan history`'s forecasts. Needs `git` on the PATH.

use crate::common::{git, json_in, plan_in};
use serde_json::Value;
use std::path::Path;

const FANZ_NOW: &str = "tests/data/fanz-history/fanz-2025-09-29.toml";
const FANZ_BASELINE: &str = "tests/data/fanz-history/baseline-2025-09-15.json";
const SMALL: &str = include_str!("data/small.toml");
const TEAM: &str = include_str!("data/team-2.toml");

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `plan report` in `dir` with a small budget and `args`; returns the page.
fn report_in(dir: &Path, args: &[&str]) -> String {
    let out = dir.join("report-tracking.html");
    let out_arg = out.display().to_string();
    let mut all = vec!["report", "--schedules", "300", "--iterations", "200"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", &out_arg]);
    let (_, err, code) = plan_in(dir, &all);
    assert_eq!(code, 0, "plan {all:?}: {err}");
    let html = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    html
}

/// The text of every tooltip of the page that starts with `prefix`.
fn tips<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    html.split("<title>")
        .skip(1)
        .filter_map(|t| t.split("</title>").next())
        .filter(|t| t.starts_with(prefix))
        .collect()
}

#[test]
fn baseline_bars_carry_the_baseline_files_dates_and_the_s_curve_ends_on_plan_status() {
    let html = report_in(
        here(),
        &[
            "--model",
            FANZ_NOW,
            "--scenario",
            "scenarios/seed-low.toml",
            "--baseline",
            FANZ_BASELINE,
        ],
    );
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(here().join(FANZ_BASELINE)).unwrap())
            .unwrap();
    for t in baseline["tasks"].as_array().unwrap() {
        let tip = format!(
            "{} baseline: {} → {}",
            t["id"].as_str().unwrap(),
            t["start"].as_str().unwrap(),
            t["finish"].as_str().unwrap()
        );
        assert!(html.contains(&format!("<title>{tip}</title>")), "no {tip}");
    }
    for m in baseline["milestones"].as_array().unwrap() {
        let tip = format!(
            "{} baseline: {}",
            m["id"].as_str().unwrap(),
            m["finish"].as_str().unwrap()
        );
        assert!(html.contains(&format!("<title>{tip}</title>")), "no {tip}");
    }

    let status = json_in(
        here(),
        &[
            "status",
            "--model",
            FANZ_NOW,
            "--scenario",
            "scenarios/seed-low.toml",
            "--baseline",
            FANZ_BASELINE,
            "--no-simulation",
            "--schedules",
            "300",
            "--format",
            "json",
        ],
    );
    let program = &status["earned_value"]["program"];
    let at = status["status_date"].as_str().unwrap();
    let figure = |key: &str| program[key].as_f64().unwrap();
    assert!(html.contains("<svg id=\"evm-scurve\""));
    let ev = tips(&html, "EV at ");
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(
        *ev.last().unwrap(),
        format!("EV at {at}: {:.1} person-days", figure("ev")),
        "the S-curve's last EV point is plan status's EV"
    );
    let done_then = baseline["planned_value"][0]["person_days"]
        .as_f64()
        .unwrap();
    assert_eq!(
        ev[0],
        format!("EV at 2025-09-15: {done_then:.1} person-days"),
        "the first EV point is what was done at the baseline"
    );
    assert_eq!(
        tips(&html, "PV at "),
        [format!("PV at {at}: {:.1} person-days", figure("pv"))]
    );
    assert_eq!(
        tips(&html, "AC at "),
        [format!("AC at {at}: {:.1} person-days", figure("ac"))]
    );
    // Without --history, no trend.
    assert!(!html.contains("milestone-trend"));
}

/// A git repository of three weekly versions of tests/data/small.toml: progress recorded
/// and the status date moved each week, and an estimate raised in the third.
fn weekly_repo() -> tempfile::TempDir {
    let week2 = SMALL
        .replace("start = 2025-09-15", "start = 2025-09-29")
        .replace(
            "estimate = [3, 4, 8]\ndemand = { backend = 1 }\n",
            "estimate = [3, 4, 8]\ndemand = { backend = 1 }\ndone = 1\n",
        );
    let week3 = week2
        .replace("start = 2025-09-29", "start = 2025-10-06")
        .replace(
            "[[task]]\nid = \"BUILD\"",
            "[[task]]\nid = \"BUILD\"\ndone = 0.2",
        );
    assert!(week2 != SMALL && week3 != week2);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q"]);
    git(p, &["config", "user.name", "Plan Tests"]);
    git(p, &["config", "user.email", "tests@example.invalid"]);
    git(p, &["config", "commit.gpgsign", "false"]);
    std::fs::write(p.join("team.toml"), TEAM).unwrap();
    for (subject, text) in [("week 1", SMALL), ("week 2", &week2), ("week 3", &week3)] {
        std::fs::write(p.join("plan.toml"), text).unwrap();
        git(p, &["add", "plan.toml", "team.toml"]);
        git(p, &["commit", "-q", "-m", subject]);
    }
    dir
}

#[test]
fn the_milestone_trend_is_plan_historys_scheduled_dates_at_each_status_date() {
    let repo = weekly_repo();
    let p = repo.path();
    let html = report_in(
        p,
        &[
            "--model",
            "plan.toml",
            "--scenario",
            "team.toml",
            "--history",
        ],
    );
    assert!(html.contains("<svg id=\"milestone-trend\""));
    let rows = json_in(
        p,
        &[
            "history",
            "--model",
            "plan.toml",
            "--scenario",
            "team.toml",
            "--no-simulation",
            "--schedules",
            "300",
            "--format",
            "json",
        ],
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let mut expected = Vec::new();
    for row in rows.iter().rev() {
        for m in row["milestones"].as_array().unwrap() {
            expected.push(format!(
                "{} at status {}: forecast {} (commit {})",
                m["id"].as_str().unwrap(),
                row["status_date"].as_str().unwrap(),
                m["scheduled"].as_str().unwrap(),
                &row["commit"].as_str().unwrap()[..10]
            ));
        }
    }
    let mut drawn: Vec<&str> = tips(&html, "M");
    drawn.retain(|t| t.contains(" at status "));
    let mut sorted_expected = expected.clone();
    sorted_expected.sort();
    drawn.sort();
    assert_eq!(drawn, sorted_expected, "one point per milestone and commit");
}

#[test]
fn a_report_with_history_on_a_model_outside_git_says_so_and_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("plan.toml"), SMALL).unwrap();
    std::fs::write(p.join("team.toml"), TEAM).unwrap();
    let html = report_in(
        p,
        &[
            "--model",
            "plan.toml",
            "--scenario",
            "team.toml",
            "--history",
        ],
    );
    assert!(
        html.contains("No milestone trend: plan.toml is not committed in a git repository"),
        "{}",
        &html[..2000.min(html.len())]
    );
    assert!(!html.contains("<svg id=\"milestone-trend\""));
    assert!(html.contains("<svg id=\"gantt-0\""));
}

#[test]
fn a_report_baseline_from_a_revision_or_a_bad_one() {
    let repo = weekly_repo();
    let p = repo.path();
    // HEAD~2 is week 1: its dates as `plan baseline` freezes them with the same team.
    let html = report_in(
        p,
        &[
            "--model",
            "plan.toml",
            "--scenario",
            "team.toml",
            "--baseline",
            "HEAD~2",
        ],
    );
    std::fs::write(p.join("week1.toml"), SMALL).unwrap();
    let base = p.join("base.json").display().to_string();
    let (_, err, code) = plan_in(
        p,
        &[
            "baseline",
            "--model",
            "week1.toml",
            "--scenario",
            "team.toml",
            "--no-simulation",
            "--schedules",
            "300",
            "--out",
            &base,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let baseline: Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    for t in baseline["tasks"].as_array().unwrap() {
        let tip = format!(
            "{} baseline: {} → {}",
            t["id"].as_str().unwrap(),
            t["start"].as_str().unwrap(),
            t["finish"].as_str().unwrap()
        );
        assert!(html.contains(&format!("<title>{tip}</title>")), "no {tip}");
    }
    assert!(html.contains("against the baseline of 2025-09-15"));

    let late = p.join("late.json").display().to_string();
    let (_, err, code) = plan_in(
        p,
        &[
            "baseline",
            "--model",
            "plan.toml",
            "--no-simulation",
            "--out",
            &late,
        ],
    );
    assert_eq!(code, 0, "{err}");
    for (model, spec, words) in [
        (
            "plan.toml",
            "no-such-rev",
            "no such file, and no such revision",
        ),
        // Week 1 measured against week 3's baseline: a baseline from the future.
        ("week1.toml", late.as_str(), "earlier than the baseline's"),
    ] {
        let (_, err, code) = plan_in(
            p,
            &[
                "report",
                "--model",
                model,
                "--scenario",
                "team.toml",
                "--baseline",
                spec,
                "--out",
                "r.html",
            ],
        );
        assert_eq!(code, 2, "{spec}: {err}");
        assert!(err.contains(words), "{spec}: {err}");
        assert!(!p.join("r.html").exists());
    }
}

#[test]
fn with_history_the_s_curve_has_the_earned_value_of_every_commit() {
    let repo = weekly_repo();
    let p = repo.path();
    let base = p.join("base.json").display().to_string();
    std::fs::write(p.join("week1.toml"), SMALL).unwrap();
    let (_, err, code) = plan_in(
        p,
        &[
            "baseline",
            "--model",
            "week1.toml",
            "--no-simulation",
            "--out",
            &base,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let html = report_in(
        p,
        &[
            "--model",
            "plan.toml",
            "--scenario",
            "team.toml",
            "--baseline",
            &base,
            "--history",
        ],
    );
    let mut expected = Vec::new();
    for rev in ["HEAD~2", "HEAD~1", "HEAD"] {
        let file = p.join(format!("{}.toml", rev.replace('~', "-")));
        std::fs::write(&file, git(p, &["show", &format!("{rev}:plan.toml")])).unwrap();
        let status = json_in(
            p,
            &[
                "status",
                "--model",
                file.to_str().unwrap(),
                "--baseline",
                &base,
                "--no-simulation",
                "--format",
                "json",
            ],
        );
        expected.push(format!(
            "EV at {}: {:.1} person-days",
            status["status_date"].as_str().unwrap(),
            status["earned_value"]["program"]["ev"].as_f64().unwrap()
        ));
    }
    assert_eq!(
        tips(&html, "EV at "),
        expected,
        "one EV point per status date of the history, oldest first"
    );
}

/// Above 400 tasks the Gantt chart draws one bar per phase: each gets the span of its tasks'
/// baseline bars under it.
#[test]
fn a_collapsed_gantt_draws_each_phases_baseline_span() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("big.toml"), crate::report::phased_model(600)).unwrap();
    std::fs::write(p.join("team.toml"), "[team]\ndev = 3\n").unwrap();
    let (_, err, code) = plan_in(
        p,
        &[
            "baseline",
            "--model",
            "big.toml",
            "--scenario",
            "team.toml",
            "--no-simulation",
            "--schedules",
            "20",
            "--out",
            "base.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let out = p.join("r.html").display().to_string();
    let (_, err, code) = plan_in(
        p,
        &[
            "report",
            "--model",
            "big.toml",
            "--scenario",
            "team.toml",
            "--schedules",
            "20",
            "--iterations",
            "20",
            "--baseline",
            "base.json",
            "--out",
            &out,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("600 tasks: each phase is drawn as one summary bar"));
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("base.json")).unwrap()).unwrap();
    for phase in 1..=3 {
        let tasks: Vec<&Value> = baseline["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["phase"] == format!("P{phase}").as_str())
            .collect();
        assert_eq!(tasks.len(), 200);
        let first = tasks.iter().map(|t| t["start"].as_str().unwrap()).min();
        let last = tasks.iter().map(|t| t["finish"].as_str().unwrap()).max();
        let tip = format!(
            "<title>P{phase} · Phase {phase} baseline: {} → {}</title>",
            first.unwrap(),
            last.unwrap()
        );
        assert!(html.contains(&tip), "no {tip}");
    }
}
