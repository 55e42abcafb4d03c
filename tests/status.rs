//! `plan status`: earned value and earned schedule against a baseline (docs/tracking.md),
//! checked on worked examples against an independent implementation (the Python package
//! `pmcontrols`, which `.ci/run` installs at target/pmcontrols-venv), `--baseline REV`, and
//! the bad inputs of a status.

use crate::common::{git, json_in, plan_in};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Four tasks on two roles with costs: A (5 days, 2 dev = 10 person-days), then B (4 days,
/// 1 dev + 1 qa = 8) and C (6 dev person-days, crew 1-2: 3 days) side by side, then D (5
/// days, 1 qa = 5). BAC 29 person-days over 14 working days from 2025-09-15.
const FOUR: &str = r#"[project]
name = "Four tasks"
start = 2025-09-15

[roles.dev]
name = "Developer"
cost = 800
[roles.qa]
name = "QA engineer"
cost = 600

[[phase]]
id = "BUILD"
name = "Build"
[[phase]]
id = "CHECK"
name = "Check"

[[task]]
id = "A"
phase = "BUILD"
duration = 5
demand = { dev = 2 }

[[task]]
id = "B"
phase = "BUILD"
after = ["A"]
duration = 4
demand = { dev = 1, qa = 1 }

[[task]]
id = "C"
phase = "BUILD"
after = ["A"]
effort = { dev = 6 }
crew = { dev = [1, 2] }

[[task]]
id = "D"
phase = "CHECK"
after = ["B", "C"]
duration = 5
demand = { qa = 1 }

[[milestone]]
id = "END"
name = "Checked"
due = 2025-10-03
after = ["D"]
"#;

/// `text` with `from` (which must occur once) replaced by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} is not unique");
    text.replacen(from, to, 1)
}

/// The model at `status` with each task's `done` and `actual_effort` (`None`: not reported).
fn progress(base: &str, status: &str, tasks: &[(&str, f64, Option<f64>)]) -> String {
    let mut text = edit(base, "start = 2025-09-15", &format!("start = {status}"));
    for (id, done, actual) in tasks {
        let head = format!("id = \"{id}\"\n");
        let mut keys = format!("done = {done}\n");
        if let Some(a) = actual {
            keys.push_str(&format!("actual_effort = {a}\n"));
        }
        text = edit(&text, &head, &format!("{head}{keys}"));
    }
    text
}

/// Writes `base` and `now`, baselines `base` (critical path) and runs `plan status` on
/// `now` against it: the baseline's JSON and the status's.
fn status_of(dir: &Path, base: &str, now: &str) -> (Value, Value) {
    std::fs::write(dir.join("base.toml"), base).unwrap();
    std::fs::write(dir.join("now.toml"), now).unwrap();
    let (_, err, code) = plan_in(
        dir,
        &[
            "baseline",
            "--model",
            "base.toml",
            "--no-simulation",
            "--out",
            "base.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let baseline =
        serde_json::from_str(&std::fs::read_to_string(dir.join("base.json")).unwrap()).unwrap();
    let status = json_in(
        dir,
        &[
            "status",
            "--model",
            "now.toml",
            "--baseline",
            "base.json",
            "--no-simulation",
            "--format",
            "json",
        ],
    );
    (baseline, status)
}

fn close(a: &Value, b: f64, what: &str) {
    let a = a
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {a} is not a number"));
    assert!((a - b).abs() < 1e-9, "{what}: plan says {a}, expected {b}");
}

/// The Python that imports pmcontrols, or `None` (loudly) when this machine has none; under
/// CI (`CI` set) a missing one fails.
fn pmcontrols_python() -> Option<PathBuf> {
    let python = std::env::var_os("PLAN_PMCONTROLS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pmcontrols-venv/bin/python")
        });
    if python.exists() {
        return Some(python);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    assert!(
        !ci,
        "CI: pmcontrols is missing at {}; .ci/run must create it",
        python.display()
    );
    eprintln!(
        "\n*** SKIPPED: the pmcontrols comparison: no {} ***\n*** set it up with: python3 -m venv target/pmcontrols-venv && target/pmcontrols-venv/bin/pip install pmcontrols==0.2.1 ***\n",
        python.display()
    );
    None
}

/// pmcontrols' `evm` on the baseline's PV curve (one period per working day), EV, AC and AT.
const PMCONTROLS: &str = r#"
import json, math, sys
import pmcontrols
q = json.load(sys.stdin)
pmb = pmcontrols.plan(list(range(len(q["pv"]))), q["pv"])
stats = pmcontrols.evm(pmb, ev=q["ev"], ac=q["ac"], at=q["at"]).stats
print(json.dumps({k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                  for k, v in stats.items()}))
"#;

fn pmcontrols(python: &Path, query: &Value) -> Value {
    use std::io::Write as _;
    let mut child = std::process::Command::new(python)
        .args(["-c", PMCONTROLS])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(query.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "pmcontrols: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The program's figures equal pmcontrols' on the same PV curve, EV, AC and AT: the
/// schedule figures with the whole EV, the cost figures with the EV of the tasks that report
/// an actual effort (plan compares AC with those only).
fn assert_same_as_pmcontrols(python: &Path, baseline: &Value, status: &Value) {
    let program = &status["earned_value"]["program"];
    let pv: Vec<f64> = baseline["planned_value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["person_days"].as_f64().unwrap())
        .collect();
    let query = |ev: &Value| json!({"pv": pv, "ev": ev, "ac": program["ac"], "at": program["at"]});
    let schedule = pmcontrols(python, &query(&program["ev"]));
    let cost = pmcontrols(python, &query(&program["ev_reported"]));
    let pairs = [
        (&schedule, "bac", "bac"),
        (&schedule, "pv", "pv"),
        (&schedule, "sv", "sv"),
        (&schedule, "spi", "spi"),
        (&schedule, "planned_duration", "planned_duration"),
        (&schedule, "es", "es"),
        (&schedule, "sv_t", "sv_t"),
        (&schedule, "spi_t", "spi_t"),
        (&schedule, "ieac_t", "ieac_t"),
        (&cost, "cv", "cv"),
        (&cost, "cpi", "cpi"),
        (&cost, "eac", "eac_cpi"),
        (&cost, "vac", "vac"),
    ];
    for (theirs, ours, their) in pairs {
        let t = theirs[their]
            .as_f64()
            .unwrap_or_else(|| panic!("{their}: {theirs}"));
        close(&program[ours], t, ours);
    }
}

/// Three statuses of FOUR, each worked by hand here (PV_k: person-days planned before working
/// day k; A plans 2 a day on days 0-4, B 2 and C 2 a day on days 5-7, B 2 on day 8, D 1 a day
/// on days 9-13: PV = 0, 2, 4, 6, 8, 10, 14, 18, 22, 24, 25, 26, 27, 28, 29) and, where
/// pmcontrols is installed, the same as its `evm`.
#[test]
fn status_figures_equal_worked_examples_and_pmcontrols_on_three_statuses() {
    let python = pmcontrols_python();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();

    // 1. Behind and over: a week in (AT 5), A 75% done for 9 person-days. EV = 0.75 x 10 =
    //    7.5 < PV_5 = 10; ES = 3 + (7.5 - 6) / (8 - 6) = 3.75; CPI = 7.5 / 9.
    let now = progress(FOUR, "2025-09-22", &[("A", 0.75, Some(9.0))]);
    let (baseline, status) = status_of(p, FOUR, &now);
    let pv: Vec<f64> = baseline["planned_value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["person_days"].as_f64().unwrap())
        .collect();
    let by_hand = [
        0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 14.0, 18.0, 22.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0,
    ];
    assert_eq!(pv, by_hand);
    let program = &status["earned_value"]["program"];
    for (key, value) in [
        ("bac", 29.0),
        ("at", 5.0),
        ("pv", 10.0),
        ("ev", 7.5),
        ("sv", -2.5),
        ("spi", 0.75),
        ("es", 3.75),
        ("sv_t", -1.25),
        ("spi_t", 0.75),
        ("ieac_t", 14.0 / 0.75),
        ("ac", 9.0),
        ("cpi", 7.5 / 9.0),
        ("eac", 29.0 * 9.0 / 7.5),
    ] {
        close(&program[key], value, key);
    }
    // In money: A is the developers' (800 a person-day).
    close(&program["money"]["ev"], 6000.0, "money.ev");
    close(&program["money"]["ac"], 7200.0, "money.ac");
    if let Some(py) = &python {
        assert_same_as_pmcontrols(py, &baseline, &status);
    }

    // 2. Ahead and on cost: AT 7, A and C done, B 75%, D 20%: EV = 10 + 6 + 6 + 1 = 23 >
    //    PV_7 = 18; ES = 8 + (23 - 22) / (24 - 22) = 8.5; AC 23.
    let now = progress(
        FOUR,
        "2025-09-24",
        &[
            ("A", 1.0, Some(10.0)),
            ("B", 0.75, Some(5.0)),
            ("C", 1.0, Some(7.0)),
            ("D", 0.2, Some(1.0)),
        ],
    );
    let (baseline, status) = status_of(p, FOUR, &now);
    let program = &status["earned_value"]["program"];
    for (key, value) in [
        ("ev", 23.0),
        ("pv", 18.0),
        ("es", 8.5),
        ("spi_t", 8.5 / 7.0),
        ("cpi", 1.0),
    ] {
        close(&program[key], value, key);
    }
    let build = &status["earned_value"]["phases"][0];
    assert_eq!(build["id"], "BUILD");
    close(&build["ev"], 22.0, "BUILD ev");
    if let Some(py) = &python {
        assert_same_as_pmcontrols(py, &baseline, &status);
    }

    // 3. A baseline taken with A 40% done (4 person-days earned before it: PV_0 = 4, A's other
    //    6 planned over its 3 remaining days), a status at AT 10 with C unreported.
    let base = progress(FOUR, "2025-09-15", &[("A", 0.4, None)]);
    let now = progress(
        FOUR,
        "2025-09-29",
        &[
            ("A", 1.0, Some(11.0)),
            ("B", 1.0, Some(9.0)),
            ("C", 0.5, None),
        ],
    );
    let (baseline, status) = status_of(p, &base, &now);
    let program = &status["earned_value"]["program"];
    close(&baseline["planned_value"][0]["person_days"], 4.0, "PV_0");
    close(&program["ev"], 21.0, "ev");
    close(&program["ac"], 20.0, "ac");
    // CPI compares AC with what A and B earned (18), not with C's unreported half.
    close(&program["cpi"], 18.0 / 20.0, "cpi");
    assert_eq!(status["earned_value"]["without_actuals"], json!(["C"]));
    if let Some(py) = &python {
        assert_same_as_pmcontrols(py, &baseline, &status);
    }
}

#[test]
fn a_status_names_the_milestones_forecast_later_than_due() {
    let dir = tempfile::tempdir().unwrap();
    let now = progress(FOUR, "2025-09-22", &[("A", 0.75, Some(9.0))]);
    let (_, status) = status_of(dir.path(), FOUR, &now);
    let risk = &status["milestones_at_risk"];
    // A's last 1.25 days push D's end from 2025-10-02 to 2025-10-06, past 2025-10-03.
    assert_eq!(risk[0]["id"], "END", "{risk}");
    assert_eq!(risk[0]["forecast"], "2025-10-06");
    assert_eq!(risk[0]["late_by"], 1);
    assert_eq!(risk[0]["finish_variance"], 2);
    let (table, _, code) = plan_in(
        dir.path(),
        &[
            "status",
            "--model",
            "now.toml",
            "--baseline",
            "base.json",
            "--no-simulation",
        ],
    );
    assert_eq!(code, 0);
    assert!(table.contains("Milestones at risk: 1 of 1"), "{table}");
    assert!(
        table.contains("SPI(t)") && table.contains("phase BUILD"),
        "{table}"
    );
}

/// A repository with FOUR at 2025-09-15 and then at 2025-09-22 with progress.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q"]);
    git(p, &["config", "user.name", "Plan Tests"]);
    git(p, &["config", "user.email", "tests@example.invalid"]);
    git(p, &["config", "commit.gpgsign", "false"]);
    let week2 = progress(FOUR, "2025-09-22", &[("A", 0.75, Some(9.0))]);
    for (subject, text) in [("plan", FOUR), ("week 2", week2.as_str())] {
        std::fs::write(p.join("four.toml"), text).unwrap();
        git(p, &["add", "four.toml"]);
        git(p, &["commit", "-q", "-m", subject]);
    }
    dir
}

#[test]
fn a_baseline_revision_is_the_baseline_of_the_model_at_that_revision() {
    let repo = repository();
    let p = repo.path();
    std::fs::write(p.join("then.toml"), FOUR).unwrap();
    let (_, err, code) = plan_in(
        p,
        &[
            "baseline",
            "--model",
            "then.toml",
            "--no-simulation",
            "--out",
            "then.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let run = |baseline: &str, command: &str| {
        let mut args = vec![command, "--model", "four.toml", "--baseline", baseline];
        args.extend(["--format", "json"]);
        if command == "status" {
            args.push("--no-simulation");
        }
        json_in(p, &args)
    };
    let from_rev = run("HEAD~1", "status");
    let from_file = run("then.json", "status");
    assert_eq!(from_rev["earned_value"], from_file["earned_value"]);
    assert_eq!(from_rev["baseline"]["from"], "HEAD~1:four.toml");
    assert_eq!(
        from_rev["baseline"]["model_hash"],
        from_file["baseline"]["model_hash"]
    );
    let (rev_cp, file_cp) = (
        run("HEAD~1", "critical-path"),
        run("then.json", "critical-path"),
    );
    assert_eq!(rev_cp["tasks"], file_cp["tasks"]);
    assert_eq!(rev_cp["milestones"][0]["finish_variance"], 2);
    // The diff of the same two versions names the progress and the actual effort recorded.
    let d = json_in(
        p,
        &[
            "diff",
            "HEAD~1:four.toml",
            "four.toml",
            "--no-simulation",
            "--format",
            "json",
        ],
    );
    let spent: Vec<&Value> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "actual_effort")
        .collect();
    assert_eq!(
        spent,
        [&json!({"kind": "actual_effort", "id": "A", "before": null, "after": 9.0})]
    );
}

#[test]
fn bad_baselines_of_a_status_are_clear_errors() {
    let repo = repository();
    let p = repo.path();
    // A revision that does not exist.
    let (_, err, code) = plan_in(p, &["status", "--model", "four.toml", "--baseline", "v9"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("v9") && err.contains("no such revision"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");
    // A baseline from a later status date than the model's.
    let (_, err, code) = plan_in(
        p,
        &[
            "baseline",
            "--model",
            "four.toml",
            "--no-simulation",
            "--out",
            "later.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    std::fs::write(p.join("early.toml"), FOUR).unwrap();
    let (_, err, code) = plan_in(
        p,
        &[
            "status",
            "--model",
            "early.toml",
            "--baseline",
            "later.json",
            "--no-simulation",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("early.toml")
            && err.contains("project.start")
            && err.contains("earlier than the baseline's (2025-09-22)"),
        "{err}"
    );
    // A model file that revision does not have.
    let (_, err, code) = plan_in(
        p,
        &["status", "--model", "early.toml", "--baseline", "HEAD"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not in revision `HEAD`"), "{err}");
    // A baseline written before budgets were recorded: no planned value.
    let mut old: Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("later.json")).unwrap()).unwrap();
    for t in old["tasks"].as_array_mut().unwrap() {
        t.as_object_mut().unwrap().remove("budget");
    }
    std::fs::write(p.join("old.json"), old.to_string()).unwrap();
    let (_, err, code) = plan_in(
        p,
        &[
            "status",
            "--model",
            "four.toml",
            "--baseline",
            "old.json",
            "--no-simulation",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("old.json") && err.contains("no planned value") && err.contains("help:"),
        "{err}"
    );
    // A baseline of another project: a warning, tasks matched by id.
    let other = edit(FOUR, "name = \"Four tasks\"", "name = \"Another program\"");
    std::fs::write(p.join("other.toml"), other).unwrap();
    let (_, err, code) = plan_in(
        p,
        &[
            "baseline",
            "--model",
            "other.toml",
            "--no-simulation",
            "--out",
            "other.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (out, err, code) = plan_in(
        p,
        &[
            "status",
            "--model",
            "four.toml",
            "--baseline",
            "other.json",
            "--no-simulation",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning:")
            && err.contains("another project")
            && err.contains("matched by id"),
        "{err}"
    );
    assert!(out.contains("matched by id"), "{out}");
    // The model's own progress since its baseline is no warning.
    let (_, err, _) = plan_in(
        p,
        &[
            "status",
            "--model",
            "four.toml",
            "--baseline",
            "HEAD~1",
            "--no-simulation",
        ],
    );
    assert!(!err.contains("warning"), "{err}");
    // A revision for a model outside git.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("four.toml"), FOUR).unwrap();
    let (_, err, code) = plan_in(
        outside.path(),
        &["status", "--model", "four.toml", "--baseline", "HEAD~1"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not in a git repository"), "{err}");
}

/// tests/data/fanz-history: the FANZ model at its seed's status date (2025-09-15), its
/// baseline with the seed-low team, and the model two weeks later with progress and actual
/// effort on the five tasks worked on (README shows `plan diff` and `plan status` on them).
const HISTORY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fanz-history");

#[test]
fn the_shipped_fanz_baseline_is_what_plan_baseline_writes_for_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.json").display().to_string();
    let snapshot = format!("{HISTORY}/fanz-2025-09-15.toml");
    let team = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/seed-low.toml");
    let (_, err, code) = plan_in(
        dir.path(),
        &[
            "baseline",
            "--model",
            &snapshot,
            "--scenario",
            team,
            "--out",
            &out,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let read =
        |p: &str| -> Value { serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap() };
    let shipped = read(&format!("{HISTORY}/baseline-2025-09-15.json"));
    let written = read(&out);
    assert!(
        shipped == written,
        "tests/data/fanz-history/baseline-2025-09-15.json is out of date: write it again with \
         `plan baseline --model tests/data/fanz-history/fanz-2025-09-15.toml --scenario \
         scenarios/seed-low.toml --out tests/data/fanz-history/baseline-2025-09-15.json`"
    );
}

#[test]
fn the_fanz_status_two_weeks_after_its_baseline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = json_in(
        root,
        &[
            "status",
            "--model",
            "tests/data/fanz-history/fanz-2025-09-29.toml",
            "--scenario",
            "scenarios/seed-low.toml",
            "--baseline",
            "tests/data/fanz-history/baseline-2025-09-15.json",
            "--no-simulation",
            "--format",
            "json",
        ],
    );
    let baseline: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/data/fanz-history/baseline-2025-09-15.json"))
            .unwrap(),
    )
    .unwrap();
    let program = &status["earned_value"]["program"];
    close(&program["at"], 10.0, "at");
    let pv = baseline["planned_value"].as_array().unwrap();
    let at_status = pv.iter().find(|p| p["date"] == "2025-09-29").unwrap();
    close(
        &program["pv"],
        at_status["person_days"].as_f64().unwrap(),
        "pv",
    );
    // Earned since the baseline (progress x most likely person-days): S04 0.8 x 30, S05
    // 0.5 x 29, S08 0.1 x 55, S15 0.4 x 26, S18 0.5 x 12 = 60.4.
    let before = pv[0]["person_days"].as_f64().unwrap();
    close(&program["ev"], before + 60.4, "ev");
    // Spent: 27 + 19 + 24 + 12 + 14 person-days; those five tasks have earned 24 + 14.5 +
    // 0.35 x 55 + 10.4 + 12 = 80.15 in all.
    close(&program["ac"], 96.0, "ac");
    close(&program["cpi"], 80.15 / 96.0, "cpi");
    assert!(program["spi_t"].as_f64().unwrap() < 1.0, "{program}");
    let late: Vec<&str> = status["milestones_at_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(late.contains(&"M-2026-03"), "{late:?}");
}

/// Five finished two-day tasks that took `spent` person-days each (`None`: not reported),
/// then R, ten days of one developer.
fn finished_then_r(spent: &[Option<f64>]) -> String {
    let mut text = String::from(
        "[project]\nname = \"Calibrated\"\nstart = 2025-09-15\n\n[roles.dev]\nname = \"Developer\"\n",
    );
    for (i, s) in spent.iter().enumerate() {
        text.push_str(&format!(
            "\n[[task]]\nid = \"F{i}\"\nduration = 2\ndemand = {{ dev = 1 }}\ndone = 1\n"
        ));
        if let Some(s) = s {
            text.push_str(&format!("actual_effort = {s}\n"));
        }
    }
    text.push_str("\n[[task]]\nid = \"R\"\nduration = 10\ndemand = { dev = 1 }\n");
    text
}

fn simulated_finish(dir: &Path, model: &str, calibrate: bool) -> (Value, String) {
    std::fs::write(dir.join("cal.toml"), model).unwrap();
    let mut args = vec!["simulate", "--model", "cal.toml", "--no-resources"];
    args.extend(["--iterations", "300", "--format", "json"]);
    if calibrate {
        args.push("--calibrate");
    }
    let (out, err, code) = plan_in(dir, &args);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    (v["finish"].clone(), err)
}

#[test]
fn calibrate_scales_the_remaining_estimates_by_the_finished_tasks_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // Every finished task took 2.4 person-days for 2 planned: factor 1.2, no spread, so R's
    // fixed 10 days become 12.
    let model = finished_then_r(&[Some(2.4); 5]);
    let (plain, _) = simulated_finish(p, &model, false);
    let (calibrated, err) = simulated_finish(p, &model, true);
    close(&plain["p50"], 10.0, "p50");
    close(&calibrated["p50"], 12.0, "calibrated p50");
    assert!(
        err.contains("calibrated on 5 finished task(s)") && err.contains("1.20"),
        "{err}"
    );
    assert!(!err.contains("warning"), "{err}");
    // Two tasks that took 3 and 2 person-days: factor sqrt(1.5 x 1), a spread, and a warning.
    let model = finished_then_r(&[Some(3.0), Some(2.0), None, None, None]);
    let (calibrated, err) = simulated_finish(p, &model, true);
    assert!(
        err.contains("warning:") && err.contains("2 finished task(s), fewer than 5"),
        "{err}"
    );
    let (p10, p95) = (
        calibrated["p10"].as_f64().unwrap(),
        calibrated["p95"].as_f64().unwrap(),
    );
    let factor = 1.5f64.sqrt();
    assert!(p10 < 10.0 * factor && 10.0 * factor < p95, "{calibrated}");
    // No finished task with actual effort: nothing to calibrate on.
    std::fs::write(p.join("four.toml"), FOUR).unwrap();
    let (_, err, code) = plan_in(
        p,
        &[
            "simulate",
            "--model",
            "four.toml",
            "--no-resources",
            "--calibrate",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no finished task") && err.contains("help:"),
        "{err}"
    );
}

/// Ctrl-C stops `plan status` like every long command: exit 130, nothing printed.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_status_with_130() {
    use crate::common::{assert_interrupted, interrupt};
    use std::time::Duration;
    let run = interrupt(
        &["status", "--iterations", "100000000"],
        Duration::from_secs(1),
    );
    assert_interrupted("status", &run, Duration::from_secs(3));
}
