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
fn a_huge_near_miss_dependency_id_is_reported_without_a_suggestion() {
    // Used to take 35 s in the "did you mean" search: the edit distance of two 100 KB ids.
    let id = "T".repeat(100_000);
    let e = errors_of(&format!(
        "[[task]]\nid = \"{id}\"\nduration = 2\n[[task]]\nid = \"B\"\nafter = [\"{id}x\"]\nduration = 1\n"
    ));
    assert_has(
        &e,
        &[
            "task \"B\".after",
            &format!("unknown id \"{id}x\""),
            ":15:",
            "help: refer to the id of a task or milestone defined in this model",
        ],
    );
    assert!(!e.contains("did you mean"), "no suggestion for a 100 KB id");
}

#[test]
fn errors_in_a_large_model_name_their_own_lines() {
    // Over 1 MB: read in batches of task tables, which must not shift any line.
    let mut body = String::new();
    for i in 0..15_000 {
        body.push_str(&format!(
            "[[task]]\nid = \"T{i}\"\nname = \"A task with a long enough name\"\nduration = 1\n\n"
        ));
    }
    body.push_str("[[task]]\nid = \"LAST\"\nafter = [\"T14998\", \"T1199\"]\nduration = -1\n");
    assert!(body.len() > 1 << 20);
    // HEAD is 9 lines (one blank first); 15,000 tables of 5 lines follow.
    let last = 9 + 15_000 * 5 + 1;
    let e = errors_of(&body);
    assert_has(
        &e,
        &[
            &format!(":{}:", last + 3),
            "task \"LAST\".duration",
            "is negative",
        ],
    );
    assert_eq!(e.matches("error:").count(), 1, "{e}");
}

#[test]
fn a_cycle_is_printed_as_the_cycle() {
    let body = "[[task]]\nid = \"S12\"\nafter = [\"S14\"]\nduration = 1\n\
                [[task]]\nid = \"S14\"\nafter = [\"S12\"]\nduration = 1\n";
    let e = errors_of(body);
    assert_has(&e, &["dependency cycle: S12 -> S14 -> S12"]);
}

#[test]
fn a_cycle_through_start_to_start_links_and_leads_is_printed_as_the_cycle() {
    let body = "[[task]]\nid = \"S12\"\nafter = [{ id = \"S14\", type = \"SS\", lag = -2 }]\nduration = 1\n\
                [[task]]\nid = \"S14\"\nafter = [{ id = \"S12\", type = \"FF\" }]\nduration = 1\n";
    let e = errors_of(body);
    assert_has(&e, &["dependency cycle: S12 -> S14 -> S12"]);
}

#[test]
fn a_bad_link_type_or_lag_is_located_with_help() {
    let body = "[[task]]\nid = \"A\"\nduration = 2\n\
                [[task]]\nid = \"B\"\nduration = 1\nafter = [{ id = \"A\", type = \"ss\" }]\n\
                [[task]]\nid = \"C\"\nduration = 1\nafter = [{ id = \"A\", type = \"SX\" }]\n\
                [[task]]\nid = \"D\"\nduration = 1\nafter = [{ id = \"A\", type = \"finish\" }]\n\
                [[task]]\nid = \"E\"\nduration = 1\nafter = [{ id = \"A\", lag = -10001 }]\n\
                [[task]]\nid = \"F\"\nduration = 1\nafter = [{ id = \"A\", lag = nan }]\n\
                [[task]]\nid = \"G\"\nduration = 1\nafter = [{ id = \"A\", type = 3 }]\n";
    let e = errors_of(body);
    assert_has(
        &e,
        &[
            "task \"B\".after.type",
            "unknown link type \"ss\"",
            "did you mean \"SS\"?",
            "task \"C\".after.type",
            "unknown link type \"SX\"",
            "task \"D\".after.type",
            "FS, SS, FF, SF",
            "task \"E\".after.lag",
            "-10001 working days is beyond the limit of 10000",
            "task \"F\".after.lag",
            "NaN is not a finite number",
            "task \"G\".after.type",
            ":36:29",
            "6 errors",
        ],
    );
}

#[test]
fn links_of_every_type_with_leads_and_fractions_are_accepted() {
    let f = model_file(
        "[[task]]\nid = \"A\"\nduration = 4\n\
         [[task]]\nid = \"B\"\nduration = 6\nafter = [{ id = \"A\", type = \"SS\", lag = 2 }]\n\
         [[task]]\nid = \"C\"\nduration = 3\nafter = [{ id = \"B\", type = \"FF\", lag = 1 }, { id = \"A\", lag = -1.5 }]\n\
         [[task]]\nid = \"D\"\nduration = 2\nafter = [{ id = \"A\", type = \"SF\", lag = 3 }, \"C\"]\n",
    );
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(["validate", "--model"])
        .arg(f.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
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

/// Runs `plan args...` with a 20-second limit; returns stdout, stderr and the exit code,
/// asserting it neither hung nor panicked.
fn run_limited(args: &[&std::ffi::OsStr]) -> (String, String, Option<i32>) {
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(args)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{args:?}: {stderr}"
    );
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        stderr,
        out.status.code(),
    )
}

/// Runs one command on the model (and scenario) and asserts a located exit-2 error naming `parts`.
fn rejected_by(command: &[&str], model: &str, scenario: Option<&str>, parts: &[&str]) {
    let m = model_file(model);
    let s = scenario.map(|text| {
        let mut s = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        write!(s, "{text}").unwrap();
        s
    });
    let mut args: Vec<&std::ffi::OsStr> = command.iter().map(|a| a.as_ref()).collect();
    args.push("--model".as_ref());
    args.push(m.path().as_os_str());
    if let Some(s) = &s {
        args.push("--scenario".as_ref());
        args.push(s.path().as_os_str());
    }
    let (stdout, stderr, code) = run_limited(&args);
    assert_eq!(code, Some(2), "{command:?}: {stderr}");
    assert!(stdout.is_empty(), "{command:?}: {stdout}");
    assert_has(&stderr, parts);
    assert!(stderr.contains("help: "), "{stderr}");
}

const TEAM: &str = "[team]\nbackend = 1\nqa = 1\n";

#[test]
fn a_duration_or_lag_of_1e300_is_beyond_the_limit_not_a_panic() {
    let model = "[[task]]\nid = \"A\"\nduration = 1e300\n";
    rejected_by(
        &["critical-path"],
        model,
        None,
        &[
            "task \"A\".duration",
            "1e300 working days is more than the limit",
            ":12:12",
        ],
    );
    let model = "[[task]]\nid = \"A\"\nduration = 1\n[[task]]\nid = \"B\"\nduration = 1\nafter = [{ id = \"A\", lag = 1e300 }]\n";
    rejected_by(
        &["critical-path"],
        model,
        None,
        &["task \"B\".after.lag", "limit", ":16:"],
    );
    let model = "[[task]]\nid = \"A\"\neffort = { backend = 2e6 }\ncrew = { backend = [1, 2] }\n";
    rejected_by(
        &["validate"],
        model,
        None,
        &[
            "task \"A\".effort.backend",
            "person-days is more than the limit",
        ],
    );
    let model =
        "[[task]]\nid = \"A\"\neffort = { backend = 200000 }\ncrew = { backend = [2, 4] }\n";
    rejected_by(
        &["validate"],
        model,
        None,
        &["task \"A\".effort.backend", "crew of at least 2"],
    );
}

#[test]
fn a_milestone_due_at_the_end_of_the_calendar_is_rejected_where_it_is_written() {
    let model = format!("{OK_TASK}[[milestone]]\nid = \"M\"\ndue = 9999-12-31\nafter = [\"A\"]\n");
    rejected_by(
        &["validate"],
        &model,
        None,
        &["milestone \"M\".due", "9999-12-31 is outside", ":15:7"],
    );
    rejected_by(&["critical-path"], &model, None, &["milestone \"M\".due"]);
}

#[test]
fn a_3_000_000_day_duration_is_rejected_at_load_time() {
    let model = "[[task]]\nid = \"A\"\nduration = 3000000\ndemand = { backend = 1 }\n";
    for command in [
        &["schedule", "--schedules", "50"][..],
        &["simulate", "--iterations", "50"],
    ] {
        rejected_by(
            command,
            model,
            Some(TEAM),
            &["task \"A\".duration", "limit of 10000"],
        );
    }
}

#[test]
fn huge_crews_and_teams_are_beyond_the_limit_not_an_abort() {
    let model =
        "[[task]]\nid = \"A\"\neffort = { backend = 10 }\ncrew = { backend = [1, 4294967295] }\n";
    rejected_by(
        &["schedule", "--schedules", "50"],
        model,
        Some(TEAM),
        &[
            "task \"A\".crew.backend",
            "4294967295 people is more than the limit of 10000",
        ],
    );
    let model = "[[task]]\nid = \"A\"\nduration = 2\ndemand = { backend = 1 }\n";
    rejected_by(
        &["simulate", "--iterations", "50"],
        model,
        Some("[team]\nbackend = 4294967295\n"),
        &["team.backend", ":2:11", "limit of 10000"],
    );
    // 2^31 used to wrap to a team of 0.
    rejected_by(
        &["validate"],
        model,
        Some("[team]\nbackend = 2147483648\n"),
        &["team.backend", "2147483648 people"],
    );
}

#[test]
fn unknown_keys_in_hires_and_leaves_are_reported() {
    let scenario =
        "[team]\nbackend = 1\n[[hire]]\nrole = \"backend\"\nstart = 2026-01-01\ncolour = \"red\"\n\
                    [[leave]]\nrole = \"backend\"\ndate = 2030-01-01\nreason = \"x\"\n";
    let e = scenario_errors(OK_TASK, scenario);
    assert_has(
        &e,
        &[
            "hire[1].colour",
            ":6:1",
            "leave[1].reason",
            ":10:1",
            "unknown key",
            "allowed keys: role, count, date",
        ],
    );
}

#[test]
fn everyone_leaving_is_reported_at_the_leave() {
    let model = "[[task]]\nid = \"A\"\nduration = 2\ndemand = { backend = 1 }\n";
    let scenario = "[team]\nbackend = 1\n[[leave]]\nrole = \"backend\"\ndate = 2030-01-01\n";
    for command in [
        &["validate"][..],
        &["schedule", "--schedules", "50"],
        &["simulate", "--iterations", "50"],
    ] {
        rejected_by(
            command,
            model,
            Some(scenario),
            &[
                "leave[1]",
                ":5:8",
                "0 backend people remain",
                "task \"A\" needs 1",
            ],
        );
    }
}

#[test]
fn duplicate_phase_and_risk_ids_name_their_lines() {
    let body = "[[phase]]\nid = \"P\"\n[[phase]]\nid = \"P\"\n[[task]]\nid = \"A\"\nduration = 2\nphase = \"P\"\n\
                [[risk]]\nid = \"R\"\nprobability = 0.5\ndelay = 1\ntasks = [\"A\"]\n\
                [[risk]]\nid = \"R\"\nprobability = 0.5\ndelay = 1\ntasks = [\"A\"]\n";
    let e = errors_of(body);
    assert_has(
        &e,
        &[
            ":13:6: `phase \"P\".id`: duplicate phase id \"P\" (first on line 11)",
            ":24:6: `risk \"R\".id`: duplicate risk id \"R\" (first on line 19)",
        ],
    );
}

#[test]
fn a_non_utf8_model_is_located_at_the_bad_byte_without_flag_advice() {
    let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    f.write_all(b"[project]\nname = \"caf\xe9\"\nstart = 2025-09-15\n")
        .unwrap();
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(["validate", "--model"])
        .arg(f.path())
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_has(
        &e,
        &[
            ":2:12: the file is not UTF-8 text: byte 0xE9",
            "help: save the file as UTF-8",
        ],
    );
    assert!(!e.contains("--model"), "{e}");
}

#[test]
fn a_recursion_limit_error_has_a_line_and_advice() {
    let deep = format!("[{}]\n", vec!["a"; 5000].join("."));
    let e = errors_of(&deep);
    assert_has(&e, &["recursion limit", ":10:", "help: nest arrays"]);
    let deep = format!(
        "{OK_TASK}notes = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = errors_of(&deep);
    assert_has(&e, &["recurse", ":13:", "help: nest arrays"]);
}

#[test]
fn errors_about_a_key_name_the_key_line_not_the_table_header() {
    let e = errors_of("[[task]]\nid = \"A\"\nduration = 2\neffort = { backend = 5 }\ncrew = { backend = [1, 2] }\n");
    assert_has(&e, &[":13:10: `task \"A\".effort`"]);
    let e = errors_of(&format!("{OK_TASK}[[milestone]]\nid = \"M\"\nafter = []\n"));
    assert_has(&e, &[":15:9: `milestone \"M\".after`"]);
}

#[test]
fn control_characters_in_ids_cannot_forge_error_lines() {
    let e = errors_of("[[task]]\nid = \"A\\nerror: forged \\u001b[31m\"\nduration = 2\n");
    assert_eq!(
        e.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{e}"
    );
    assert!(!e.contains('\u{1b}'), "{e}");
    assert_has(&e, &[r"A\nerror: forged \u{1b}[31m"]);
}

/// One entry of `tests/bad_inputs/cases.toml`.
#[derive(serde::Deserialize, Debug, Clone)]
struct Case {
    file: String,
    kind: String,
    exit: i32,
    line: usize,
    key: String,
}

#[derive(serde::Deserialize)]
struct Catalogue {
    case: Vec<Case>,
}

fn catalogue_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

/// Every command that reads a file of `kind`, as arguments; `{case}` is the case's file,
/// `{out}` a file in an empty directory the command must leave empty.
fn commands_for(kind: &str) -> Vec<Vec<&'static str>> {
    const TEAM: &str = "{dir}/base-team.toml";
    const MODEL: &str = "{dir}/base-model.toml";
    match kind {
        "model" => vec![
            vec!["validate", "--model", "{case}"],
            vec![
                "explain",
                "A",
                "--schedules",
                "50",
                "--model",
                "{case}",
                "--scenario",
                TEAM,
            ],
            vec!["critical-path", "--model", "{case}"],
            vec!["graph", "--format", "dot", "--model", "{case}"],
            vec![
                "schedule",
                "--schedules",
                "50",
                "--model",
                "{case}",
                "--scenario",
                TEAM,
            ],
            vec![
                "simulate",
                "--iterations",
                "50",
                "--model",
                "{case}",
                "--scenario",
                TEAM,
            ],
            vec![
                "export",
                "--format",
                "json",
                "--out",
                "{out}",
                "--model",
                "{case}",
                "--scenario",
                TEAM,
            ],
            vec![
                "report",
                "--iterations",
                "50",
                "--schedules",
                "50",
                "--out",
                "{out}",
                "--model",
                "{case}",
                "--scenario",
                TEAM,
            ],
        ],
        "scenario" => vec![
            vec!["validate", "--model", MODEL, "--scenario", "{case}"],
            vec![
                "explain",
                "A",
                "--schedules",
                "50",
                "--model",
                MODEL,
                "--scenario",
                "{case}",
            ],
            vec![
                "schedule",
                "--schedules",
                "50",
                "--model",
                MODEL,
                "--scenario",
                "{case}",
            ],
            vec![
                "simulate",
                "--iterations",
                "50",
                "--model",
                MODEL,
                "--scenario",
                "{case}",
            ],
        ],
        "sm" => vec![
            vec!["rcpsp", "--schedules", "50", "{case}"],
            vec!["import", "{case}", "--out", "{out}"],
        ],
        "xml" | "csv" | "xer" => vec![vec!["import", "{case}", "--out", "{out}"]],
        other => panic!("unknown kind {other:?} in cases.toml"),
    }
}

/// Runs one case through one command; returns what is wrong, if anything.
fn run_case(case: &Case, command: &[&str]) -> Result<(), String> {
    let dir = catalogue_dir();
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("out.toml");
    let args: Vec<String> = command
        .iter()
        .map(|a| {
            a.replace("{case}", &dir.join(&case.file).to_string_lossy())
                .replace("{dir}", &dir.to_string_lossy())
                .replace("{out}", &out.to_string_lossy())
        })
        .collect();
    let what = format!("{} via `plan {}`", case.file, command.join(" "));
    let output = Command::cargo_bin("plan")
        .unwrap()
        .args(&args)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let fail = |problem: &str| Err(format!("{what}: {problem}\n{stderr}"));
    if output.status.code() != Some(case.exit) {
        return fail(&format!(
            "exit {:?}, expected {} (a timeout has none)",
            output.status.code(),
            case.exit
        ));
    }
    if !output.stdout.is_empty() {
        return fail("printed on stdout");
    }
    if std::fs::read_dir(scratch.path()).unwrap().count() != 0 {
        return fail("left an output file");
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") || stderr.contains('\u{1b}')
    {
        return fail("panicked or printed a terminal escape");
    }
    let lines: Vec<&str> = stderr.lines().collect();
    if !lines.iter().any(|l| l.starts_with("error:")) {
        return fail("no error: line");
    }
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("error:") && !lines.get(i + 1).is_some_and(|h| h.starts_with("  help: ")) {
            return fail(&format!("`{l}` has no help: line after it"));
        }
    }
    let line = case.line;
    if line > 0
        && !stderr.contains(&format!(":{line}:"))
        && !stderr.contains(&format!("line {line}:"))
    {
        return fail(&format!("does not name line {line}"));
    }
    if !stderr.contains(&case.key) {
        return fail(&format!("does not name `{}`", case.key));
    }
    Ok(())
}

#[test]
fn catalogue_of_malformed_inputs() {
    let manifest = std::fs::read_to_string(catalogue_dir().join("cases.toml")).unwrap();
    let catalogue: Catalogue = toml::from_str(&manifest).unwrap();
    assert!(
        catalogue.case.len() >= 60,
        "the catalogue has {} cases",
        catalogue.case.len()
    );
    for kind in ["model", "scenario", "sm", "xml", "csv", "xer"] {
        assert!(
            catalogue.case.iter().any(|c| c.kind == kind),
            "no {kind} case"
        );
    }
    let runs: Vec<(Case, Vec<&str>)> = catalogue
        .case
        .iter()
        .flat_map(|c| {
            commands_for(&c.kind)
                .into_iter()
                .map(move |cmd| (c.clone(), cmd))
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8);
    let chunk = runs.len().div_ceil(threads);
    let failures: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = runs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .filter_map(|(c, cmd)| run_case(c, cmd).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n\n{}",
        failures.len(),
        runs.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_team_grown_past_the_limit_by_hires_is_reported_at_the_hire() {
    let scenario =
        "[team]\nbackend = 10000\n[[hire]]\nrole = \"backend\"\ncount = 1\nstart = 2026-01-05\n";
    let e = scenario_errors(OK_TASK, scenario);
    assert_has(
        &e,
        &[
            ":3:1: `hire[1]`",
            "reaches 10001 people, more than the limit of 10000",
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
const FUZZ_TARGETS: [(&str, FuzzTarget); 7] = [
    ("model", fuzz_readers::model),
    ("scenario", fuzz_readers::scenario),
    ("psplib", fuzz_readers::psplib),
    ("mspdi", fuzz_readers::mspdi),
    ("csv", fuzz_readers::csv),
    ("xer", fuzz_readers::xer),
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
const CATALOGUE: [(&str, &str); 6] = [
    ("model", "model"),
    ("scenario", "scenario"),
    ("psplib", "sm"),
    ("mspdi", "xml"),
    ("csv", "csv"),
    ("xer", "xer"),
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
