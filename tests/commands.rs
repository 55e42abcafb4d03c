//! End-to-end tests of every command on a small model whose answers are worked by hand,
//! and on the built-in model.

use crate::common::{json, plan};

use serde_json::Value;

const SMALL: &str = "tests/data/small.toml";

fn task<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
}

#[test]
fn critical_path_json_has_the_hand_worked_answer() {
    let v = json(&["critical-path", "--model", SMALL, "--format", "json"]);
    // DESIGN 4d, lag 2, BUILD 30 person-days / 3 people = 10d, TEST 5d × (1 - 0.2) = 4d.
    assert_eq!(v["duration"], 20.0);
    assert_eq!(
        v["critical_path"],
        serde_json::json!(["DESIGN", "BUILD", "TEST", "M2"])
    );
    let build = task(&v, "BUILD");
    assert_eq!(build["early_start"], 6.0);
    assert_eq!(build["early_finish"], 16.0);
    assert_eq!(build["critical"], true);
    // 2025-09-22 is a holiday, so working day 6 is Wednesday 24 September.
    assert_eq!(build["early_start_date"], "2025-09-24");
    let docs = task(&v, "DOCS");
    assert_eq!(docs["total_float"], 13.0);
    assert_eq!(docs["free_float"], 13.0);
    assert_eq!(docs["critical"], false);
    let ms: Vec<&Value> = v["milestones"].as_array().unwrap().iter().collect();
    assert_eq!(ms[0]["id"], "M1");
    assert_eq!(ms[0]["slack"], 7.0);
    assert_eq!(ms[1]["due"], "2025-10-10");
    assert_eq!(ms[1]["early_finish_date"], "2025-10-13");
    assert_eq!(ms[1]["slack"], -1.0);
    assert_eq!(v["finish_date"], "2025-10-13");
    for key in [
        "id",
        "name",
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "total_float",
        "free_float",
        "critical",
    ] {
        assert!(build.get(key).is_some(), "task field {key}");
    }
}

#[test]
fn estimate_choice_changes_durations() {
    let pess = json(&[
        "critical-path",
        "--model",
        SMALL,
        "--format",
        "json",
        "--estimate",
        "pessimistic",
    ]);
    // 8 + 2 + 50/3 + 4
    assert!((pess["duration"].as_f64().unwrap() - (8.0 + 2.0 + 50.0 / 3.0 + 4.0)).abs() < 0.01);
    let mean = json(&[
        "critical-path",
        "--model",
        SMALL,
        "--format",
        "json",
        "--estimate",
        "mean",
    ]);
    let design = (3.0 + 16.0 + 8.0) / 6.0;
    let build = (20.0 + 120.0 + 50.0) / 6.0 / 3.0;
    assert!((mean["duration"].as_f64().unwrap() - (design + 2.0 + build + 4.0)).abs() < 0.01);
}

#[test]
fn critical_path_table_lists_the_path_near_critical_work_and_milestones() {
    let (out, _, code) = plan(&["critical-path", "--model", SMALL, "--near", "15"]);
    assert_eq!(code, 0);
    let path = out.find("Critical path").unwrap();
    let near = out.find("Near-critical").unwrap();
    let ms = out.find("Milestones").unwrap();
    assert!(path < near && near < ms);
    assert!(
        out[near..ms].contains("DOCS"),
        "DOCS has 13 days of float: {out}"
    );
    assert!(out[ms..].contains("-1 LATE"));
    assert!(
        out.lines().all(|l| l.chars().count() <= 100),
        "fits 100 columns:\n{out}"
    );
    let (out, _, _) = plan(&["critical-path", "--model", SMALL, "--near", "5"]);
    assert!(!out.contains("DOCS"));
}

#[test]
fn critical_path_csv_has_a_row_per_task_and_milestone() {
    let (out, _, code) = plan(&["critical-path", "--model", SMALL, "--format", "csv"]);
    assert_eq!(code, 0);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[1], "id");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 6);
    let m2 = rows.iter().find(|r| &r[1] == "M2").unwrap();
    assert_eq!(&m2[0], "milestone");
    assert_eq!(&m2[14], "-1");
}

#[test]
fn validate_prints_a_summary_and_dcma_warnings() {
    let (out, _, code) = plan(&["validate", "--model", SMALL]);
    assert_eq!(code, 0);
    assert!(
        out.contains("tasks       4 (1 effort-driven, 0 complete)"),
        "{out}"
    );
    assert!(out.contains("milestones  2"));
    assert!(out.contains("roles       2 (backend, qa)"));
    assert!(out.contains("risks       1"));
    // DESIGN has no predecessor; nothing is left dangling (every task feeds a milestone).
    assert!(out.contains("warning: open start (1)"), "{out}");
    assert!(out.contains("DESIGN"));
    assert!(!out.contains("open end"));
}

#[test]
fn validate_checks_a_scenario_against_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("team.toml");
    std::fs::write(&s, "name = \"Two and one\"\n[team]\nbackend = 2\nqa = 1\n").unwrap();
    let (out, err, code) = plan(&[
        "validate",
        "--model",
        SMALL,
        "--scenario",
        s.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("scenario    Two and one"));
    assert!(out.contains("team        backend 2, qa 1"));
}

#[test]
fn graph_marks_the_critical_path() {
    let (dot, _, code) = plan(&["graph", "--model", SMALL, "--format", "dot"]);
    assert_eq!(code, 0);
    assert!(dot.starts_with("digraph"));
    assert!(
        dot.contains("\"DESIGN\" -> \"BUILD\" [label=\"+2d\", color=red, penwidth=2];"),
        "{dot}"
    );
    assert!(dot.contains("\"DESIGN\" -> \"DOCS\";"));
    assert!(dot.contains("\"M2\" [label=\"M2: Release\", shape=diamond, color=red"));
    let (mm, _, _) = plan(&["graph", "--model", SMALL, "--format", "mermaid"]);
    assert!(mm.starts_with("flowchart LR"));
    assert!(mm.contains("BUILD ==> TEST"));
    assert!(mm.contains("DESIGN --> DOCS"));
    assert!(mm.contains("class DESIGN,BUILD,TEST,M2 critical"));
}

#[test]
fn the_built_in_model_runs_without_arguments() {
    let (out, err, code) = plan(&["critical-path"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Critical path"));
    let v = json(&["critical-path", "--format", "json"]);
    assert!(!v["critical_path"].as_array().unwrap().is_empty());
}

/// Exit codes (README "Exit codes", `plan --help`): 2 for what the user can fix, 1 for a bug.
mod exit_codes {
    use super::{plan, SMALL};

    const J30: &str = "tests/data/j301_1.sm";
    const TEAM_MODEL: &str = "tests/data/team.toml";
    const TEAM: &str = "tests/data/team-2.toml";

    #[test]
    fn a_bad_flag_value_exits_2_with_the_same_message_in_every_command() {
        let cases: [(&[&str], &str); 2] = [
            (
                &["--threads", "0"],
                "error: --threads 0: give at least 1 thread",
            ),
            (
                &["--schedules", "0"],
                "error: --schedules 0: give a budget of at least 1 schedule",
            ),
        ];
        for (flag, message) in cases {
            let schedule = ["schedule", "--model", TEAM_MODEL, "--scenario", TEAM];
            for command in [&["rcpsp", J30][..], &schedule[..]] {
                let args: Vec<&str> = command.iter().chain(flag).copied().collect();
                let (out, err, code) = plan(&args);
                assert_eq!(code, 2, "{args:?}: {err}");
                assert_eq!(err.trim_end(), message, "{args:?}");
                assert!(out.is_empty(), "{args:?} printed {out}");
            }
        }
    }

    #[test]
    fn a_flag_value_that_does_not_parse_exits_2() {
        let (_, err, code) = plan(&["critical-path", "--model", SMALL, "--near", "soon"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("--near"), "{err}");
    }

    #[test]
    fn an_output_file_that_cannot_be_written_exits_2_not_1() {
        let csv = "/nonexistent-dir/rows.csv";
        let args = [
            "rcpsp",
            "--schedules",
            "50",
            "--bench",
            "tests/data/psplib",
            "--csv",
            csv,
        ];
        let (out, err, code) = plan(&args);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(&format!("cannot write {csv}")), "{err}");
        assert!(!err.contains("bug"), "an I/O failure is not a bug: {err}");
        assert!(out.is_empty(), "{out}");
    }

    #[test]
    fn standard_output_that_cannot_be_written_exits_2() {
        let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            eprintln!("skipped: no /dev/full on this system");
            return;
        };
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_plan"))
            .args(["critical-path", "--model", SMALL])
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("cannot write the output"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn ctrl_c_stops_a_benchmark_with_130_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("rows.csv");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_plan"))
            .args([
                "rcpsp",
                "--schedules",
                "1000000000",
                "--bench",
                "tests/data/psplib",
            ])
            .arg("--csv")
            .arg(&csv)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Long enough for the handler to be installed, far shorter than the run.
        std::thread::sleep(std::time::Duration::from_secs(2));
        let sent = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{err}");
        assert!(err.contains("interrupted: no output written"), "{err}");
        assert!(out.stdout.is_empty());
        assert!(!csv.exists(), "a CSV was written");
    }

    /// Ctrl-C stops every long command within a second or so: exit 130, nothing on stdout,
    /// no output file. The runs are given budgets far beyond the time they get.
    #[cfg(unix)]
    #[test]
    fn ctrl_c_stops_every_long_command_with_130_and_writes_nothing() {
        use crate::common::{assert_interrupted, interrupt};
        use std::time::Duration;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("plan.json");
        let out = out.to_str().unwrap();
        let runs: [(&str, &[&str]); 7] = [
            ("schedule", &["schedule", "--schedules", "100000000"]),
            ("feasibility", &["feasibility", "--schedules", "100000000"]),
            ("staff", &["staff", "--schedules", "100000000"]),
            (
                "export",
                &[
                    "export",
                    "--format",
                    "json",
                    "--schedules",
                    "100000000",
                    "--out",
                    out,
                ],
            ),
            ("simulate", &["simulate", "--iterations", "1000000"]),
            ("forecast", &["forecast", "--iterations", "1000000"]),
            (
                "rcpsp",
                &["rcpsp", "tests/data/j301_1.sm", "--schedules", "1000000000"],
            ),
        ];
        // One at a time: the machine's cores are shared, and a stop is timed.
        for (what, args) in runs {
            let run = interrupt(args, Duration::from_secs(1));
            assert_interrupted(what, &run, Duration::from_secs(3));
        }
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "export left a file"
        );
    }

    /// What a user sees when plan has a bug: exit 1, nothing printed or written, and the
    /// line asking for a report. No input can honestly cause it: what input can break is bad
    /// input (exit 2), and anything else is a bug that is fixed once found. So the debug
    /// build's testing-only `PLAN_TEST_FAULT` (src/commands/common.rs) breaks the searched
    /// schedule, which the independent checker then rejects and the binary reports the way
    /// it would a real search bug; or it panics, as a bug elsewhere would.
    #[cfg(debug_assertions)]
    #[test]
    fn an_internal_failure_exits_1_writes_nothing_and_asks_for_a_report() {
        const REPORT: &str =
            "help: this is a bug in plan; please report it with the command and its input files";
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.json");
        let export = [
            "export",
            "--model",
            TEAM_MODEL,
            "--scenario",
            TEAM,
            "--format",
            "json",
        ];
        for (fault, cause) in [
            (
                "unsound-schedule",
                "the schedule found fails the independent check: ",
            ),
            ("panic", "plan stopped on a panic"),
        ] {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_plan"))
                .args(export)
                .arg("--out")
                .arg(&file)
                .env("PLAN_TEST_FAULT", fault)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{fault}: {err}");
            assert!(
                err.contains(&format!("error: internal error: {cause}")),
                "{err}"
            );
            assert_eq!(err.lines().last().map(str::trim), Some(REPORT), "{err}");
            assert!(out.stdout.is_empty(), "{fault}: printed something");
            assert!(!file.exists(), "{fault}: wrote {}", file.display());
        }
        // The same run without the fault succeeds: exit 1 came from the fault alone.
        let (_, err, code) = plan(&[&export[..], &["--out", file.to_str().unwrap()]].concat());
        assert_eq!(code, 0, "{err}");
        assert!(file.exists());
    }

    #[test]
    fn help_lists_the_exit_codes() {
        let (out, _, code) = plan(&["--help"]);
        assert_eq!(code, 0);
        let codes = &out[out.find("Exit codes:").expect("an exit-code section")..];
        for line in [
            "0    success",
            "1    internal failure",
            "2    bad input",
            "130  ",
        ] {
            assert!(codes.contains(line), "{line:?} missing from:\n{codes}");
        }
    }

    #[test]
    fn a_missing_model_names_the_flag_but_the_library_does_not() {
        let path = std::path::Path::new("no/such/model.toml");
        let (_, err, code) = plan(&["critical-path", "--model", "no/such/model.toml"]);
        assert_eq!(code, 2);
        assert!(
            err.contains("help: check the path given to --model"),
            "{err}"
        );
        let library = plan::model::load_model(path).unwrap_err().to_string();
        assert!(library.contains("cannot read the model file"), "{library}");
        assert!(
            !library.contains("--"),
            "the library mentions a flag: {library}"
        );
    }
}
