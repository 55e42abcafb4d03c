//! End-to-end tests of `plan report`: one self-contained HTML file with every chart, written
//! atomically, and clear errors on bad input.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn plan() -> Command {
    Command::cargo_bin("plan").unwrap()
}

/// Writes the FANZ report with both seed scenarios and a small budget, returns its text.
fn fanz_report(out: &Path) -> String {
    plan()
        .args([
            "report",
            "--scenario",
            "scenarios/seed-low.toml",
            "--scenario",
            "scenarios/seed-high.toml",
            "--schedules",
            "500",
            "--iterations",
            "500",
            "--threads",
            "2",
            "--out",
        ])
        .arg(out)
        .assert()
        .success();
    std::fs::read_to_string(out).unwrap()
}

/// Ids of the charts every two-scenario FANZ report must contain.
pub const CHART_IDS: &[&str] = &[
    "gantt-0",
    "gantt-1",
    "load-0-backend",
    "load-1-qa",
    "scurve-0-0",
    "hist-0-0",
    "scurve-1-5",
    "hist-1-5",
    "tornado-0",
    "criticality-0",
    "tornado-1",
    "criticality-1",
    "compare-0",
    "compare-5",
];

#[test]
fn the_report_is_one_self_contained_file_with_every_chart() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let html = fanz_report(&out);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    // Nothing is fetched: no scripts, style sheets, fonts or images from elsewhere. The SVG
    // namespace is an identifier, not a download, so it is the one URL allowed.
    let without_namespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for banned in [
        "http://",
        "https://",
        "<script",
        "<link",
        "@import",
        "@font-face",
        "<img",
        "<iframe",
    ] {
        assert!(
            !without_namespace.contains(banned),
            "the report refers to {banned}"
        );
    }
    for id in CHART_IDS {
        assert!(html.contains(&format!("<svg id=\"{id}\"")), "no chart {id}");
    }
    // Both scenarios, the comparison and the proofs in words.
    assert!(html.contains("Seed team, low end"));
    assert!(html.contains("Seed team, high end"));
    assert!(html.contains("id=\"comparison\""));
    assert!(html.contains("Dates proven impossible"));
    assert!(html.contains("person-days"));
    // 143 tasks: one Gantt row per task, not collapsed into phases.
    assert!(html.contains("S04 Build system integration"));
    assert!(!html.contains("summary bar"));
    // Only the report itself in the directory: no temporary file left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// A model of `n` tasks in three phases, each task after the one before it in its phase.
pub(crate) fn phased_model(n: usize) -> String {
    let mut m = String::from(
        "[project]\nname = \"Big\"\nstart = 2026-01-05\n[roles.dev]\nname = \"Dev\"\n",
    );
    for p in 1..=3 {
        m.push_str(&format!("[[phase]]\nid = \"P{p}\"\nname = \"Phase {p}\"\n"));
    }
    for i in 0..n {
        let after = if i % (n / 3) == 0 {
            String::new()
        } else {
            format!("after = [\"T{}\"]\n", i - 1)
        };
        m.push_str(&format!(
            "[[task]]\nid = \"T{i}\"\nname = \"Task {i}\"\nphase = \"P{}\"\n{after}duration = 1\ndemand = {{ dev = 1 }}\n",
            i / (n / 3) + 1
        ));
    }
    m.push_str(&format!(
        "[[milestone]]\nid = \"END\"\nafter = [\"T{}\"]\n",
        n - 1
    ));
    m
}

#[test]
fn a_large_model_gantt_shows_phase_summaries_not_a_row_per_task() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("big.toml");
    let team = dir.path().join("team.toml");
    let out = dir.path().join("report.html");
    std::fs::write(&model, phased_model(600)).unwrap();
    std::fs::write(&team, "[team]\ndev = 3\n").unwrap();
    plan()
        .args([
            "report",
            "--schedules",
            "20",
            "--iterations",
            "20",
            "--threads",
            "2",
        ])
        .arg("--model")
        .arg(&model)
        .arg("--scenario")
        .arg(&team)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<svg id=\"gantt-0\""));
    assert!(html.contains("600 tasks: each phase is drawn as one summary bar"));
    for p in 1..=3 {
        assert!(
            html.contains(&format!("P{p} · Phase {p} (200 tasks)")),
            "phase {p}"
        );
    }
    assert!(!html.contains("T599 Task 599"), "no row per task");
}

/// Above 2,000 tasks the report gives verdicts from the schedule alone (the bound would take
/// minutes) and says so under the milestone table, with the budget it used in the footer.
#[test]
fn a_very_large_model_report_says_the_bound_was_not_computed() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("big.toml");
    let team = dir.path().join("team.toml");
    let out = dir.path().join("report.html");
    let text = phased_model(2_100).replace(
        "[[milestone]]\nid = \"END\"\n",
        "[[milestone]]\nid = \"END\"\ndue = 2026-01-06\n",
    );
    std::fs::write(&model, text).unwrap();
    std::fs::write(&team, "[team]\ndev = 3\n").unwrap();
    plan()
        .args(["report", "--schedules", "7", "--iterations", "20"])
        .arg("--model")
        .arg(&model)
        .arg("--scenario")
        .arg(&team)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("missed by"), "END is late and has no bound");
    assert!(!html.contains("INFEASIBLE") && !html.contains("Dates proven impossible"));
    assert!(html.contains(
        "Capacity bound not computed: above 2000 tasks it takes minutes, so verdicts come from \
         the schedule alone"
    ));
    assert!(html.contains("best of 7 generated schedules"));
    assert!(html.contains("Monte Carlo with 20 iterations"));
}

#[test]
fn a_failed_report_keeps_the_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    std::fs::write(&out, "old report").unwrap();
    plan()
        .args(["report", "--scenario", "no-such-scenario.toml", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-scenario.toml"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old report");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_successful_report_replaces_the_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    std::fs::write(&out, "old report").unwrap();
    plan()
        .args([
            "report",
            "--schedules",
            "200",
            "--iterations",
            "200",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<svg id=\"gantt-0\""));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn bad_arguments_are_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    for args in [
        vec!["--iterations", "0"],
        vec!["--schedules", "0"],
        vec!["--model", "models/fanz.toml"],
    ] {
        plan()
            .arg("report")
            .args(&args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        assert!(!out.exists(), "{args:?} wrote a file");
    }
}

/// Ctrl-C during the report's search, and during its simulation, stops it within a second or
/// so with exit 130 and no report file (and no temporary file).
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_report_with_130_and_writes_nothing() {
    use crate::common::{assert_interrupted, interrupt};
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let out = out.to_str().unwrap();
    let in_search = ["report", "--schedules", "100000000", "--out", out];
    // A small search budget: the simulation's million iterations are what is running.
    let in_simulation = [
        "report",
        "--schedules",
        "50",
        "--iterations",
        "1000000",
        "--out",
        out,
    ];
    for (what, args, after) in [
        ("report (search)", &in_search[..], Duration::from_secs(1)),
        (
            "report (simulation)",
            &in_simulation,
            Duration::from_secs(3),
        ),
    ] {
        let run = interrupt(args, after);
        assert_interrupted(what, &run, Duration::from_secs(3));
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{what} left {left:?}");
    }
}

#[test]
fn a_directory_as_out_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    plan()
        .args(["report", "--schedules", "100000000", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is a directory"))
        .stderr(predicate::str::contains(dir.path().to_str().unwrap()));
    assert!(started.elapsed().as_secs() < 10, "the search ran first");
}

/// Each scenario's section says who is on the team: part-timers at their availability and
/// the absences, as the scenario file gives them.
#[test]
fn the_report_names_part_timers_and_absences() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("part-time.html");
    plan()
        .args([
            "report",
            "--model",
            "tests/data/part-time.toml",
            "--scenario",
            "tests/data/part-time-away.toml",
            "--iterations",
            "200",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("Team: dev 1 + 1 at 0.5; away: 1 dev 2025-09-15 to 2025-09-19"),
        "{}",
        &html[html.find("Scenario:").unwrap()..][..300]
    );
}

/// The `x` and `width` of the Gantt bar whose tooltip starts with `id`.
fn bar(html: &str, id: &str) -> (f64, f64) {
    let title = format!("<title>{id} ");
    let at = html
        .find(&format!("class=\"bar-crit\">{title}"))
        .or_else(|| html.find(&format!("class=\"bar\">{title}")))
        .unwrap_or_else(|| panic!("no bar for {id}"));
    let rect = &html[html[..at].rfind("<rect").unwrap()..at];
    let attr = |name: &str| -> f64 {
        let from = rect.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        rect[from..][..rect[from..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    (attr("x"), attr("width"))
}

/// On role and task calendars the report draws the calendar schedule on its dates (the
/// burn-in works every day, so the grid is every day: QA's bar starts 14 days after the
/// build's, the burn-in's 5 days after, and QA's runs 9 days, to Tuesday 7 October), names
/// the calendar drivers, gives DONE (due Friday 10) as met with no certificate, and draws the
/// forecast of the simulation with people on those calendars.
#[test]
fn the_report_on_role_and_task_calendars_draws_the_calendar_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("calendars.html");
    plan()
        .args([
            "report",
            "--model",
            "tests/data/calendars.toml",
            "--scenario",
            "tests/data/calendars-team.toml",
            "--iterations",
            "200",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    let (build, _) = bar(&html, "BUILD");
    let (burn_in, _) = bar(&html, "BURN-IN");
    let (qa, qa_width) = bar(&html, "QA");
    let day = (burn_in - build) / 5.0;
    assert!(
        (qa - build - 14.0 * day).abs() < 0.5,
        "{build} {burn_in} {qa}"
    );
    assert!((qa_width - 9.0 * day).abs() < 0.5, "{qa_width} vs {day}");
    assert!(html.contains(
        "QA QA: 2025-09-29 → 2025-10-07, crew 1 qa, critical, driven by FS BURN-IN, calendar"
    ));
    // DONE is met (as `plan feasibility` says, tests/calendars.rs): no bound is asked, no
    // certificate shown, and nothing says the bound was skipped.
    assert!(!html.contains("Capacity bound not computed"));
    assert!(!html.contains("proven impossible with this team"));
    // The simulation with people honours the calendars: the page has its forecast.
    assert!(html.contains("id=\"scurve-0-0\""), "no forecast");
    assert!(html.contains(
        "DONE</b> DONE</td><td class=\"d\">2025-10-10</td><td class=\"d\">2025-10-07</td>"
    ));
}

/// `text` as the page escapes it in HTML.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A copy of tests/data/calendars.toml with `from` replaced by `to`, in `dir`.
fn calendars_variant(dir: &Path, from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string("tests/data/calendars.toml").unwrap();
    assert!(text.contains(from), "{from}");
    let file = dir.join("model.toml");
    std::fs::write(&file, text.replace(from, to)).unwrap();
    file
}

/// On role and task calendars the report asks the same capacity bound as `plan feasibility`:
/// with DONE due Friday 3 October (the chain BUILD → BURN-IN → QA, each task on its own
/// working days, ends on Tuesday 7 at the earliest), and with a second QA task for one qa
/// (10 qa-days where qa works 7, see tests/calendars.rs), the page's verdict, bound date and
/// certificate are feasibility's, word for word.
#[test]
fn the_report_on_calendars_proves_the_dates_feasibility_proves_impossible() {
    let variants = [
        ("due = 2025-10-10", "due = 2025-10-03"),
        (
            "[[milestone]]\nid = \"DONE\"\nafter = [\"QA\", \"DOCS\"]",
            "[[task]]\nid = \"QA2\"\nafter = [\"BURN-IN\"]\nduration = 5\ndemand = { qa = 1 }\n\n\
             [[milestone]]\nid = \"DONE\"\nafter = [\"QA\", \"QA2\", \"DOCS\"]",
        ),
    ];
    for (from, to) in variants {
        let dir = tempfile::tempdir().unwrap();
        let model = calendars_variant(dir.path(), from, to);
        let model = model.to_str().unwrap();
        let team = "tests/data/calendars-team.toml";
        let feasibility = crate::common::json(&[
            "feasibility",
            "--model",
            model,
            "--scenario",
            team,
            "--format",
            "json",
        ]);
        let done = feasibility["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == "DONE")
            .unwrap();
        assert_eq!(done["verdict"], "infeasible", "{done}");
        let out = dir.path().join("report.html");
        plan()
            .args(["report", "--model", model, "--scenario", team])
            .args(["--iterations", "200", "--out"])
            .arg(&out)
            .assert()
            .success();
        let html = std::fs::read_to_string(&out).unwrap();
        let row = format!(
            "<b>DONE</b> DONE</td><td class=\"d\">{}</td><td class=\"d\">{}</td><td class=\"v-infeasible\">✗ INFEASIBLE: not before {}</td>",
            done["due"].as_str().unwrap(),
            done["finish_date"].as_str().unwrap(),
            done["bound_date"].as_str().unwrap(),
        );
        assert!(html.contains(&row), "no row {row} in the report");
        let certificate = format!(
            "<div class=\"cert\"><b>DONE (due {})</b>: {}.</div>",
            done["due"].as_str().unwrap(),
            html_escaped(done["certificate"]["text"].as_str().unwrap()),
        );
        assert!(
            html.contains(&certificate),
            "no certificate {certificate} in the report"
        );
        assert!(html.contains("Milestones met / proven impossible<b>0 / 1 of 1</b>"));
        assert!(!html.contains("Capacity bound not computed"));
    }
}
