//! Every kind of bad model or scenario input gives a located, actionable error and exit code 2,
//! never a panic and never output on stdout.

use assert_cmd::Command;
use std::io::Write;

const HEAD: &str = r#"
[project]
name = "T"
start = 2025-09-15

[roles.backend]
name = "Backend"
[roles.qa]
name = "QA"
"#;

fn model_file(body: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    write!(f, "{HEAD}{body}").unwrap();
    f
}

/// Runs `plan validate --model` on HEAD + body and returns stderr, asserting exit 2 and empty stdout.
fn errors_of(body: &str) -> String {
    let f = model_file(body);
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(["validate", "--model"])
        .arg(f.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2, stderr: {stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout on error");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let name = f.path().file_name().unwrap().to_string_lossy().to_string();
    assert!(stderr.contains(&name), "the error names the file: {stderr}");
    stderr
}

fn assert_has(stderr: &str, parts: &[&str]) {
    for p in parts {
        assert!(stderr.contains(p), "expected {p:?} in:\n{stderr}");
    }
}

const OK_TASK: &str = "[[task]]\nid = \"A\"\nduration = 2\n";

#[test]
fn toml_syntax_error_names_the_line() {
    let e = errors_of("[[task]]\nid = \"A\nduration = 2\n");
    assert_has(&e, &["TOML syntax error", ":11:"]);
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let e = errors_of("[[task]]\nid = \"A\"\nduraton = 2\n");
    assert_has(
        &e,
        &[
            "task \"A\".duraton",
            "unknown key",
            "did you mean `duration`",
            ":12:1",
        ],
    );
}

#[test]
fn duplicate_ids_are_reported_with_the_first_line() {
    let e = errors_of("[[task]]\nid = \"A\"\nduration = 2\n[[task]]\nid = \"A\"\nduration = 3\n");
    assert_has(&e, &["duplicate id \"A\"", "first on line 10"]);
}

#[test]
fn unknown_dependency_suggests_the_closest_id() {
    let e = errors_of("[[task]]\nid = \"S09\"\nduration = 2\n[[task]]\nid = \"B\"\nafter = [\"S9\"]\nduration = 1\n");
    assert_has(
        &e,
        &[
            "task \"B\".after",
            "unknown id \"S9\"",
            "did you mean \"S09\"",
            ":15:",
        ],
    );
}

#[test]
fn a_cycle_is_printed_as_the_cycle() {
    let body = "[[task]]\nid = \"S12\"\nafter = [\"S14\"]\nduration = 1\n\
                [[task]]\nid = \"S14\"\nafter = [\"S12\"]\nduration = 1\n";
    let e = errors_of(body);
    assert_has(&e, &["dependency cycle: S12 -> S14 -> S12"]);
}

#[test]
fn negative_nan_and_infinite_numbers_are_rejected() {
    let e = errors_of("[[task]]\nid = \"A\"\nduration = -3\n[[task]]\nid = \"B\"\nduration = nan\n[[task]]\nid = \"C\"\nduration = inf\n");
    assert_has(
        &e,
        &[
            "task \"A\".duration",
            "-3 is negative",
            "task \"B\".duration",
            "NaN is not a finite number",
            "task \"C\".duration",
            "inf is not a finite number",
            "3 errors",
        ],
    );
}

#[test]
fn unordered_estimate_is_rejected() {
    let e = errors_of("[[task]]\nid = \"A\"\nestimate = [5, 3, 8]\n");
    assert_has(
        &e,
        &[
            "task \"A\".estimate",
            "not ordered optimistic <= likely <= pessimistic",
        ],
    );
}

#[test]
fn done_outside_zero_one_is_rejected() {
    let e = errors_of("[[task]]\nid = \"A\"\nduration = 2\ndone = 1.5\n");
    assert_has(&e, &["task \"A\".done", "1.5 is outside [0, 1]"]);
}

#[test]
fn both_duration_and_effort_is_rejected() {
    let e = errors_of("[[task]]\nid = \"A\"\nduration = 2\neffort = { backend = 5 }\ncrew = { backend = [1, 2] }\n");
    assert_has(&e, &["task \"A\"", "both a duration", "effort"]);
}

#[test]
fn neither_duration_nor_effort_is_rejected() {
    let e = errors_of("[[task]]\nid = \"A\"\nname = \"nothing to do\"\n");
    assert_has(&e, &["task \"A\"", "has no duration, estimate or effort"]);
}

#[test]
fn demand_for_an_undeclared_role_is_rejected() {
    let e = errors_of("[[task]]\nid = \"A\"\nduration = 2\ndemand = { backnd = 1 }\n");
    assert_has(
        &e,
        &[
            "task \"A\".demand.backnd",
            "role `backnd` is not declared",
            "did you mean `backend`",
        ],
    );
}

#[test]
fn effort_for_an_undeclared_role_is_rejected() {
    let e =
        errors_of("[[task]]\nid = \"A\"\neffort = { devops = 3 }\ncrew = { devops = [1, 2] }\n");
    assert_has(
        &e,
        &["task \"A\".effort.devops", "role `devops` is not declared"],
    );
}

#[test]
fn crew_min_above_max_is_rejected() {
    let e =
        errors_of("[[task]]\nid = \"A\"\neffort = { backend = 10 }\ncrew = { backend = [3, 1] }\n");
    assert_has(
        &e,
        &[
            "task \"A\".crew.backend",
            "crew min 3 is greater than max 1",
        ],
    );
}

#[test]
fn a_milestone_after_nothing_is_rejected() {
    let e = errors_of(&format!(
        "{OK_TASK}[[milestone]]\nid = \"M\"\ndue = 2025-10-31\n"
    ));
    assert_has(&e, &["milestone \"M\".after", "comes after nothing"]);
}

#[test]
fn dates_that_are_not_dates_are_rejected() {
    let e = errors_of(&format!("{OK_TASK}[[milestone]]\nid = \"M\"\ndue = \"2025-10-31\"\nafter = [\"A\"]\n[[milestone]]\nid = \"N\"\ndue = 12\nafter = [\"A\"]\n"));
    assert_has(
        &e,
        &[
            "milestone \"M\".due",
            "is a string, not a date",
            "YYYY-MM-DD",
            "milestone \"N\".due",
            "expected a date, found integer",
        ],
    );
}

#[test]
fn an_impossible_calendar_date_is_a_located_syntax_error() {
    let e = errors_of(&format!(
        "{OK_TASK}[[milestone]]\nid = \"N\"\ndue = 2025-02-30\nafter = [\"A\"]\n"
    ));
    assert_has(&e, &["TOML syntax error: invalid date", ":15:7"]);
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let body =
        "[[task]]\nid = \"A\"\nduration = -1\n[[task]]\nid = \"B\"\ndone = 2\nduration = 1\n\
                [[task]]\nid = \"C\"\nestimate = [3, 2, 1]\n";
    let e = errors_of(body);
    assert_has(
        &e,
        &[
            "task \"A\".duration",
            "task \"B\".done",
            "task \"C\".estimate",
            "3 errors found",
        ],
    );
}

#[test]
fn a_missing_model_file_is_a_clear_error() {
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(["critical-path", "--model", "no/such/model.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert_has(&e, &["no/such/model.toml", "cannot read the model file"]);
}

fn scenario_errors(model: &str, scenario: &str) -> String {
    let m = model_file(model);
    let mut s = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    write!(s, "{scenario}").unwrap();
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(["validate", "--model"])
        .arg(m.path())
        .arg("--scenario")
        .arg(s.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_scenario_naming_an_unknown_role_suggests_the_closest() {
    let e = scenario_errors(OK_TASK, "[team]\nbackend = 2\nqa_engineers = 1\n");
    assert_has(
        &e,
        &[
            "team.qa_engineers",
            "the model has no role `qa_engineers`",
            "backend, qa",
        ],
    );
    let e = scenario_errors(OK_TASK, "[team]\nbakend = 2\n");
    assert_has(&e, &["did you mean `backend`"]);
}

#[test]
fn a_scenario_with_bad_hires_and_simulation_settings_is_rejected() {
    let scenario = "[team]\nbackend = 2\n[[hire]]\nrole = \"backend\"\ncount = 1.5\nstart = 2025-11-03\n\
                    [[hire]]\nrole = \"qa\"\nramp_up = 10\n[simulation]\niterations = 0\ndistribution = \"gaussian\"\n";
    let e = scenario_errors(OK_TASK, scenario);
    assert_has(
        &e,
        &[
            "hire[1].count",
            "not a whole number",
            "hire[2].start",
            "missing",
            "simulation.iterations",
            "simulation.distribution",
            "unknown distribution \"gaussian\"",
        ],
    );
}

/// The fuzz targets' entry points (`fuzz/src/lib.rs`), so the corpus is replayed here on
/// stable exactly as `cargo fuzz` runs it.
#[path = "../fuzz/src/lib.rs"]
mod fuzz_readers;

/// What a fuzz target does with one input.
type FuzzTarget = fn(&[u8]);

/// Each fuzz target's directory name and what it feeds its inputs to.
const FUZZ_TARGETS: [(&str, FuzzTarget); 5] = [
    ("model", fuzz_readers::model),
    ("scenario", fuzz_readers::scenario),
    ("psplib", fuzz_readers::psplib),
    ("mspdi", fuzz_readers::mspdi),
    ("pipeline", fuzz_readers::pipeline),
];

/// The files under `dir` (none when it does not exist), sorted for a stable order.
fn files_in(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// The malformed-input catalogue's directory for each fuzz target's kind of file.
const CATALOGUE: [(&str, &str); 4] = [
    ("model", "model"),
    ("scenario", "scenario"),
    ("psplib", "sm"),
    ("mspdi", "xml"),
];

#[test]
fn every_fuzz_corpus_and_regression_input_is_read_without_a_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut panicked = Vec::new();
    for (target, run) in FUZZ_TARGETS {
        let corpus = files_in(&root.join("fuzz/corpus").join(target));
        assert!(!corpus.is_empty(), "fuzz/corpus/{target} has seed inputs");
        let regressions = files_in(&root.join("tests/data/fuzz-regressions").join(target));
        let catalogue = CATALOGUE
            .iter()
            .filter(|(t, _)| *t == target)
            .flat_map(|(_, kind)| files_in(&root.join("tests/bad_inputs").join(kind)));
        for file in corpus.into_iter().chain(regressions).chain(catalogue) {
            let data = std::fs::read(&file).unwrap();
            if std::panic::catch_unwind(|| run(&data)).is_err() {
                panicked.push(file.display().to_string());
            }
        }
    }
    assert!(panicked.is_empty(), "panicked on: {panicked:#?}");
}
