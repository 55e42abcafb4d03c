//! `plan diff`, `plan history`, `plan baseline` and `--baseline` (docs/tracking.md), on a
//! temporary git repository of successive versions of tests/data/small.toml: a task added,
//! an estimate raised, a due date moved, the team grown. Needs `git` on the PATH.

use crate::common::{git, json_in, plan_in};
use serde_json::Value;
use std::path::{Path, PathBuf};

const SMALL: &str = include_str!("data/small.toml");
const TEAM: &str = include_str!("data/team-2.toml");
/// Iterations of every simulation here: the same in `history`/`diff` and in `forecast`.
const ITERATIONS: &str = "400";

/// The versions committed, oldest first, as (subject, model text, team text).
fn versions() -> Vec<(&'static str, String, String)> {
    let added = SMALL.replace(
        "[[milestone]]\nid = \"M1\"",
        "[[task]]\nid = \"PERF\"\nname = \"Performance test\"\nafter = [\"BUILD\"]\nduration = 7\ndemand = { qa = 1 }\n\n[[milestone]]\nid = \"M1\"",
    );
    let added = added.replace(
        "after = [\"TEST\", \"DOCS\"]",
        "after = [\"TEST\", \"DOCS\", \"PERF\"]",
    );
    let raised = added.replace("estimate = [3, 4, 8]", "estimate = [5, 7, 10]");
    let moved = raised.replace("due = 2025-10-10", "due = 2025-10-24");
    let grown = TEAM.replace("backend = 2", "backend = 3");
    assert!(added != SMALL && raised != added && moved != raised && grown != TEAM);
    vec![
        ("first plan", SMALL.to_string(), TEAM.to_string()),
        ("add a performance test", added, TEAM.to_string()),
        ("raise the design estimate", raised, TEAM.to_string()),
        ("move the release", moved.clone(), TEAM.to_string()),
        ("grow the team", moved, grown),
    ]
}

/// A repository with one commit per version of `versions()`.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        git(p, &["init", "-q"]);
        git(p, &["config", "user.name", "Plan Tests"]);
        git(p, &["config", "user.email", "tests@example.invalid"]);
        git(p, &["config", "commit.gpgsign", "false"]);
        for (subject, model, team) in versions() {
            std::fs::write(p.join("plan.toml"), model).unwrap();
            std::fs::write(p.join("team.toml"), team).unwrap();
            git(p, &["add", "plan.toml", "team.toml"]);
            git(p, &["commit", "-q", "-m", subject]);
        }
        Repo { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, name: &str) -> String {
        self.path().join(name).display().to_string()
    }

    /// A file's text at a commit, written next to the repository for a run on its own.
    fn checkout(&self, commit: &str, name: &str, out: &Path) -> PathBuf {
        let text = git(self.path(), &["show", &format!("{commit}:{name}")]);
        let path = out.join(format!("{}-{name}", &commit[..12]));
        std::fs::write(&path, text).unwrap();
        path
    }
}

fn date(v: &Value) -> Option<&str> {
    v.as_str()
}

#[test]
fn history_gives_each_commit_the_dates_its_files_give_on_their_own() {
    let repo = Repo::new();
    let here = tempfile::tempdir().unwrap();
    let (model, team) = (repo.file("plan.toml"), repo.file("team.toml"));
    let rows = json_in(
        here.path(),
        &[
            "history",
            "--model",
            &model,
            "--scenario",
            &team,
            "--format",
            "json",
            "--iterations",
            ITERATIONS,
        ],
    );
    let rows = rows.as_array().unwrap();
    let subjects: Vec<&str> = rows
        .iter()
        .map(|r| r["subject"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = versions().iter().map(|v| v.0).collect();
    expected.reverse();
    assert_eq!(subjects, expected, "one row per commit, newest first");
    for row in rows {
        assert!(row["error"].is_null(), "{row}");
        assert_eq!(row["status_date"], "2025-09-15");
        let commit = row["commit"].as_str().unwrap();
        let m = repo.checkout(commit, "plan.toml", here.path());
        let s = repo.checkout(commit, "team.toml", here.path());
        let (m, s) = (m.to_str().unwrap(), s.to_str().unwrap());
        let cpm = json_in(
            here.path(),
            &["critical-path", "--model", m, "--format", "json"],
        );
        let forecast = json_in(
            here.path(),
            &[
                "forecast",
                "--model",
                m,
                "--scenario",
                s,
                "--iterations",
                ITERATIONS,
                "--seed",
                "1",
                "--format",
                "json",
            ],
        );
        let schedule = json_in(
            here.path(),
            &[
                "schedule",
                "--model",
                m,
                "--scenario",
                s,
                "--format",
                "json",
            ],
        );
        let points = row["milestones"].as_array().unwrap();
        assert_eq!(points.len(), 2);
        for (i, point) in points.iter().enumerate() {
            let id = point["id"].as_str().unwrap();
            assert_eq!(cpm["milestones"][i]["id"], id);
            assert_eq!(
                date(&point["cpm_finish"]),
                date(&cpm["milestones"][i]["early_finish_date"]),
                "{commit} {id}"
            );
            assert_eq!(
                date(&point["scheduled"]),
                date(&schedule["milestones"][i]["finish_date"]),
                "{commit} {id}"
            );
            let f = &forecast["milestones"][i];
            assert_eq!(f["id"], id);
            assert_eq!(date(&point["p50"]), date(&f["p50_date"]), "{commit} {id}");
            assert_eq!(date(&point["p80"]), date(&f["p80_date"]), "{commit} {id}");
            assert_eq!(point["due"], f["due"]);
        }
    }
    let release: Vec<&str> = rows
        .iter()
        .map(|r| r["milestones"][1]["due"].as_str().unwrap())
        .collect();
    assert_eq!(
        release[0], "2025-10-24",
        "the newest commit moved the release"
    );
    assert_eq!(release[4], "2025-10-10");
}

#[test]
fn history_since_a_revision_starts_there_and_csv_has_a_row_per_milestone() {
    let repo = Repo::new();
    let model = repo.file("plan.toml");
    let (out, err, code) = plan_in(
        repo.path(),
        &[
            "history",
            "--model",
            &model,
            "--since",
            "HEAD~1",
            "--no-simulation",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("commit,date,status_date,milestone"),
        "{out}"
    );
    // Without --scenario only model commits count: HEAD (the team) is no model change, and
    // HEAD~1 (the release moved) is the one model commit from HEAD~1 on.
    assert_eq!(lines.len(), 1 + 2, "{out}");
    let head1 = git(repo.path(), &["rev-parse", "HEAD~1"]);
    assert!(lines[1].starts_with(head1.trim()), "{out}");
}

#[test]
fn history_refuses_a_model_outside_git_and_an_unknown_revision() {
    let outside = tempfile::tempdir().unwrap();
    let model = outside.path().join("plan.toml");
    std::fs::write(&model, SMALL).unwrap();
    let model = model.display().to_string();
    let (_, err, code) = plan_in(outside.path(), &["history", "--model", &model]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not in a git repository"), "{err}");
    assert!(err.contains("help:"), "{err}");

    let repo = Repo::new();
    let model = repo.file("plan.toml");
    let (_, err, code) = plan_in(
        repo.path(),
        &["history", "--model", &model, "--since", "no-such-rev"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("revision `no-such-rev` does not exist"),
        "{err}"
    );

    let (_, err, code) = plan_in(repo.path(), &["history"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--model"), "{err}");
}

/// `plan diff` of two commits, precedence only, as JSON.
fn diff_json(repo: &Repo, old: &str, new: &str, extra: &[&str]) -> Value {
    let (o, n) = (format!("{old}:plan.toml"), format!("{new}:plan.toml"));
    let mut args = vec!["diff", o.as_str(), n.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    json_in(repo.path(), &args)
}

fn kinds(diff: &Value) -> Vec<String> {
    diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["kind"].as_str().unwrap(),
                c["id"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn milestone<'a>(diff: &'a Value, id: &str) -> &'a Value {
    diff["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()
}

#[test]
fn diff_names_each_known_change_and_what_it_did() {
    let repo = Repo::new();
    let no_sim = ["--no-simulation"];
    // A task added, and the release now waits for it.
    let d = diff_json(&repo, "HEAD~4", "HEAD~3", &no_sim);
    assert_eq!(kinds(&d), ["task_added PERF", "links M2"], "{d}");
    assert_eq!(d["changes"][1]["added"], serde_json::json!(["PERF"]));
    let m2 = milestone(&d, "M2");
    assert_eq!(m2["slip_measure"], "cpm");
    // The CPM dates on each side are those `critical-path` gives each file.
    let here = tempfile::tempdir().unwrap();
    for (side, commit) in [("before", "HEAD~4"), ("after", "HEAD~3")] {
        let sha = git(repo.path(), &["rev-parse", commit]);
        let file = repo.checkout(sha.trim(), "plan.toml", here.path());
        let cpm = json_in(
            here.path(),
            &[
                "critical-path",
                "--model",
                file.to_str().unwrap(),
                "--format",
                "json",
            ],
        );
        assert_eq!(
            m2["cpm_finish"][side],
            cpm["milestones"][1]["early_finish_date"]
        );
    }
    assert!(m2["slip"].as_i64().unwrap() > 0, "{m2}");
    assert_eq!(d["critical_path"]["entered"], serde_json::json!(["PERF"]));

    // An estimate raised: DESIGN's three points, and everything after it later.
    let d = diff_json(&repo, "HEAD~3", "HEAD~2", &no_sim);
    assert_eq!(kinds(&d), ["work DESIGN"], "{d}");
    let change = &d["changes"][0];
    assert_eq!(change["part"], "duration");
    assert_eq!(change["before"]["likely"], 4.0);
    assert_eq!(change["after"]["likely"], 7.0);
    assert_eq!(milestone(&d, "M1")["slip"], 3, "{d}");

    // A due date moved: the answers' dates stay, only the due date changes.
    let d = diff_json(&repo, "HEAD~2", "HEAD~1", &no_sim);
    assert_eq!(kinds(&d), ["due M2"], "{d}");
    assert_eq!(d["changes"][0]["before"], "2025-10-10");
    assert_eq!(d["changes"][0]["after"], "2025-10-24");
    assert_eq!(milestone(&d, "M2")["slip"], 0);

    // The team grown: seen only with the team on each side.
    let (o, n) = ("HEAD~1:team.toml", "HEAD:team.toml");
    let d = json_in(
        repo.path(),
        &[
            "diff",
            "HEAD:plan.toml",
            "HEAD:plan.toml",
            "--old-scenario",
            o,
            "--scenario",
            n,
            "--format",
            "json",
            "--iterations",
            ITERATIONS,
        ],
    );
    assert_eq!(kinds(&d), ["team "], "{d}");
    assert_eq!(d["changes"][0]["role"], "backend");
    assert_eq!(
        (
            d["changes"][0]["before"].as_u64(),
            d["changes"][0]["after"].as_u64()
        ),
        (Some(2), Some(3))
    );
    assert_eq!(milestone(&d, "M2")["slip_measure"], "p80");
    assert!(milestone(&d, "M2")["verdict"]["after"].is_string(), "{d}");
}

#[test]
fn fail_on_slip_exits_1_only_when_a_milestone_slips_by_more_than_the_days_given() {
    let repo = Repo::new();
    let d = diff_json(&repo, "HEAD~3", "HEAD~2", &["--no-simulation"]);
    let worst = d["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["slip"].as_i64())
        .max()
        .unwrap();
    assert!(worst > 0);
    let run = |days: i64| {
        let days = days.to_string();
        plan_in(
            repo.path(),
            &[
                "diff",
                "HEAD~3:plan.toml",
                "HEAD~2:plan.toml",
                "--no-simulation",
                "--fail-on-slip",
                &days,
            ],
        )
    };
    let (out, err, code) = run(worst - 1);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("slipped: "), "{err}");
    assert!(!err.contains("internal error"), "{err}");
    assert!(out.contains("Plan diff"), "the diff is printed too: {out}");
    let (_, err, code) = run(worst);
    assert_eq!(code, 0, "a slip of exactly DAYS passes: {err}");
    // The due date moved, nothing slipped.
    let (_, err, code) = plan_in(
        repo.path(),
        &[
            "diff",
            "HEAD~2:plan.toml",
            "HEAD~1:plan.toml",
            "--no-simulation",
            "--fail-on-slip",
            "0",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // With a simulation, the P80 is what slips.
    let (out, err, code) = plan_in(
        repo.path(),
        &[
            "diff",
            "HEAD~4:plan.toml",
            "HEAD~3:plan.toml",
            "--iterations",
            ITERATIONS,
            "--fail-on-slip",
            "0",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("P80"), "{err}");
    assert!(
        out.contains("| ID |") && out.contains("task PERF added"),
        "{out}"
    );
}

#[test]
fn diff_names_a_revision_or_path_that_does_not_exist() {
    let repo = Repo::new();
    let (_, err, code) = plan_in(repo.path(), &["diff", "nope:plan.toml", "plan.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("revision `nope` does not exist"), "{err}");
    let (_, err, code) = plan_in(repo.path(), &["diff", "HEAD:missing.toml", "plan.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`missing.toml` is not in revision `HEAD`"),
        "{err}"
    );
    let (_, err, code) = plan_in(repo.path(), &["diff", "no-such-file.toml", "plan.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no such file"), "{err}");
}

#[test]
fn a_baseline_gives_variance_by_id_and_warns_when_taken_from_another_model() {
    let repo = Repo::new();
    let here = tempfile::tempdir().unwrap();
    let first = git(repo.path(), &["rev-list", "--max-parents=0", "HEAD"]);
    let old = repo.checkout(first.trim(), "plan.toml", here.path());
    let old = old.to_str().unwrap();
    let new = repo.file("plan.toml");
    let base = here.path().join("base.json");
    let base = base.to_str().unwrap();
    let (_, err, code) = plan_in(
        here.path(),
        &["baseline", "--model", old, "--out", base, "--no-simulation"],
    );
    assert_eq!(code, 0, "{err}");

    // Against its own model: no warning, no variance.
    let (out, err, code) = plan_in(
        here.path(),
        &[
            "critical-path",
            "--model",
            old,
            "--baseline",
            base,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let same: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(same["baseline"]["matches_model"], true);
    for row in same["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .chain(same["milestones"].as_array().unwrap())
    {
        assert_eq!(row["finish_variance"], 0, "{row}");
    }

    // Against the newest model: a warning, PERF is new, and each variance is the CPM move.
    let (out, err, code) = plan_in(
        here.path(),
        &[
            "critical-path",
            "--model",
            &new,
            "--baseline",
            base,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning:") && err.contains("matched by id"),
        "{err}"
    );
    let now: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        now["baseline"]["only_in_model"],
        serde_json::json!(["PERF"])
    );
    let plain = json_in(
        here.path(),
        &["critical-path", "--model", &new, "--format", "json"],
    );
    let old_cpm = json_in(
        here.path(),
        &["critical-path", "--model", old, "--format", "json"],
    );
    for (i, row) in now["milestones"].as_array().unwrap().iter().enumerate() {
        let moved = plain["milestones"][i]["early_finish"].as_f64().unwrap()
            - old_cpm["milestones"][i]["early_finish"].as_f64().unwrap();
        assert_eq!(
            row["finish_variance"].as_f64().unwrap(),
            moved.ceil(),
            "{row}"
        );
        // The existing fields are as without --baseline.
        for (key, value) in plain["milestones"][i].as_object().unwrap() {
            assert_eq!(&row[key], value, "{key}");
        }
    }
    let perf = now["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "PERF")
        .unwrap();
    assert!(perf["baseline_finish"].is_null());
    let (table, _, code) = plan_in(
        here.path(),
        &["critical-path", "--model", &new, "--baseline", base],
    );
    assert_eq!(code, 0);
    assert!(
        table.contains("Against the baseline of 2025-09-15"),
        "{table}"
    );
    assert!(table.contains("Not in the baseline: PERF"), "{table}");
}

#[test]
fn schedule_takes_a_baseline_and_keeps_its_json_fields() {
    let repo = Repo::new();
    let (model, team) = (repo.file("plan.toml"), repo.file("team.toml"));
    let base = repo.path().join("base.json").display().to_string();
    let (_, err, code) = plan_in(
        repo.path(),
        &[
            "baseline",
            "--model",
            &model,
            "--scenario",
            &team,
            "--out",
            &base,
            "--iterations",
            ITERATIONS,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let frozen: Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    assert_eq!(frozen["format"], "plan-baseline");
    assert_eq!(frozen["source"], "schedule");
    assert!(frozen["model_hash"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert!(frozen["milestones"][1]["p80"].is_string(), "{frozen}");
    let args = [
        "schedule",
        "--model",
        &model,
        "--scenario",
        &team,
        "--format",
        "json",
    ];
    let plain = json_in(repo.path(), &args);
    let mut with = args.to_vec();
    with.extend(["--baseline", &base]);
    let now = json_in(repo.path(), &with);
    for (key, value) in plain.as_object().unwrap() {
        if key == "tasks" || key == "milestones" {
            for (i, row) in value.as_array().unwrap().iter().enumerate() {
                for (k, v) in row.as_object().unwrap() {
                    assert_eq!(&now[key][i][k], v, "{key}[{i}].{k}");
                }
                assert_eq!(now[key][i]["finish_variance"], 0);
            }
        } else {
            assert_eq!(&now[key], value, "{key}");
        }
    }
}

#[test]
fn a_bad_baseline_file_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"format\": \"plan-baseline\",\n  \"version\": 1,\n  \"model_hash\": \"x\",\n  \"project\": \"p\",\n  \"status_date\": \"2025-13-01\"\n}\n",
    )
    .unwrap();
    let bad = bad.display().to_string();
    let (_, err, code) = plan_in(dir.path(), &["critical-path", "--baseline", &bad]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("{bad}:7:1: `status_date`")), "{err}");
    assert!(err.contains("not a date"), "{err}");
    assert!(err.contains("help:"), "{err}");
    std::fs::write(
        dir.path().join("typed.json"),
        "{\n  \"format\": \"plan-baseline\",\n  \"version\": \"one\"\n}\n",
    )
    .unwrap();
    let (_, err, code) = plan_in(dir.path(), &["critical-path", "--baseline", "typed.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("typed.json:3:"), "{err}");
    assert!(err.contains("`version`"), "{err}");
    let (_, err, code) = plan_in(dir.path(), &["critical-path", "--baseline", "no/such.json"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn history_holds_a_team_git_does_not_track_fixed_over_every_commit() {
    let repo = Repo::new();
    let model = repo.file("plan.toml");
    let outside = tempfile::tempdir().unwrap();
    let team = outside.path().join("team.toml");
    std::fs::write(&team, TEAM).unwrap();
    let team = team.display().to_string();
    let rows = json_in(
        repo.path(),
        &[
            "history",
            "--model",
            &model,
            "--scenario",
            &team,
            "--no-simulation",
            "--format",
            "json",
        ],
    );
    let rows = rows.as_array().unwrap();
    // The repository's own team commit is not followed: only the four model commits count.
    assert_eq!(rows.len(), 4, "{rows:?}");
    for row in rows {
        assert!(row["error"].is_null() && row["note"].is_null(), "{row}");
        assert!(row["milestones"][1]["scheduled"].is_string(), "{row}");
        assert!(row["milestones"][1]["p80"].is_null(), "{row}");
    }
}

/// Replaces the one occurrence of `from` in `text`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} is not unique");
    text.replacen(from, to, 1)
}

#[test]
fn the_fanz_model_tracked_from_its_baseline_at_2025_09_15_to_a_later_status() {
    let fanz = include_str!("../models/fanz.toml");
    // A later status moves the status date, not the start: the actual starts recorded at
    // 2025-09-15 stay inside the project.
    let week2 = edit(
        fanz,
        "\nstatus_date = 2025-09-15",
        "\nstatus_date = 2025-09-22",
    );
    let week2 = edit(
        &week2,
        "estimate = [8, 10, 15]\ndemand = { devops = 1, backend = 1, frontend = 1 }\n",
        "estimate = [8, 10, 15]\ndemand = { devops = 1, backend = 1, frontend = 1 }\ndone = 0.4\n",
    );
    let raised = edit(
        &week2,
        "estimate = [5, 8, 12]\n",
        "estimate = [8, 12, 18]\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q"]);
    git(p, &["config", "user.name", "Plan Tests"]);
    git(p, &["config", "user.email", "tests@example.invalid"]);
    git(p, &["config", "commit.gpgsign", "false"]);
    for (subject, text) in [("seed", fanz), ("week 2", &week2), ("S11 raised", &raised)] {
        std::fs::write(p.join("fanz.toml"), text).unwrap();
        git(p, &["add", "fanz.toml"]);
        git(p, &["commit", "-q", "-m", subject]);
    }
    let base = p.join("base.json").display().to_string();
    let (_, err, code) = plan_in(
        p,
        &[
            "baseline",
            "--model",
            "HEAD~2.toml",
            "--out",
            &base,
            "--no-simulation",
        ],
    );
    assert_eq!(code, 2, "a missing model file: {err}");
    std::fs::write(p.join("seed.toml"), fanz).unwrap();
    let (_, err, code) = plan_in(
        p,
        &[
            "baseline",
            "--model",
            "seed.toml",
            "--out",
            &base,
            "--iterations",
            "300",
        ],
    );
    assert_eq!(code, 0, "{err}");

    let rows = json_in(
        p,
        &[
            "history",
            "--model",
            "fanz.toml",
            "--no-simulation",
            "--format",
            "json",
        ],
    );
    let status: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status_date"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["2025-09-22", "2025-09-22", "2025-09-15"]);

    let d = diff_json_in(p, "HEAD~2:fanz.toml", "fanz.toml", &["--iterations", "300"]);
    assert_eq!(kinds(&d), ["status_date ", "done S04", "work S11"], "{d}");
    let now = json_in(
        p,
        &[
            "critical-path",
            "--model",
            "fanz.toml",
            "--baseline",
            &base,
            "--format",
            "json",
        ],
    );
    assert_eq!(now["baseline"]["status_date"], "2025-09-15");
    for m in d["milestones"].as_array().unwrap() {
        let id = m["id"].as_str().unwrap();
        let row = now["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap();
        // The diff's CPM move and the baseline variance count the same working days.
        assert_eq!(row["finish_variance"], m["cpm_finish"]["moved"], "{id}");
    }
}

fn diff_json_in(dir: &Path, old: &str, new: &str, extra: &[&str]) -> Value {
    let mut args = vec!["diff", old, new, "--format", "json"];
    args.extend_from_slice(extra);
    json_in(dir, &args)
}

#[test]
fn a_broken_commit_is_a_row_with_its_error_and_the_trend_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q"]);
    git(p, &["config", "user.name", "Plan Tests"]);
    git(p, &["config", "user.email", "tests@example.invalid"]);
    git(p, &["config", "commit.gpgsign", "false"]);
    let broken = SMALL.replace(
        "after = [\"DESIGN\"]\nduration = 3",
        "after = [\"NOPE\"]\nduration = 3",
    );
    assert_ne!(broken, SMALL);
    for (subject, text) in [
        ("good", SMALL),
        ("broken", broken.as_str()),
        ("fixed", SMALL),
    ] {
        std::fs::write(p.join("plan.toml"), text).unwrap();
        git(p, &["add", "plan.toml"]);
        git(p, &["commit", "-q", "--allow-empty", "-m", subject]);
    }
    let rows = json_in(
        p,
        &[
            "history",
            "--model",
            "plan.toml",
            "--no-simulation",
            "--format",
            "json",
        ],
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let error = rows[1]["error"].as_str().unwrap();
    assert!(
        error.contains("plan.toml") && error.contains("\"NOPE\""),
        "{error}"
    );
    assert!(rows[1]["milestones"].as_array().unwrap().is_empty());
    assert!(rows[0]["error"].is_null() && rows[2]["error"].is_null());
    let (table, _, code) = plan_in(p, &["history", "--model", "plan.toml", "--no-simulation"]);
    assert_eq!(code, 0);
    assert!(table.contains("error"), "{table}");
}

/// Ctrl-C stops the tracking commands like every long command: exit 130, nothing printed,
/// no baseline file.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_diff_and_baseline_with_130_and_writes_nothing() {
    use crate::common::{assert_interrupted, interrupt};
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("base.json");
    let out = out.to_str().unwrap();
    let many = "100000000";
    let fanz = "models/fanz.toml";
    let runs: [(&str, &[&str]); 2] = [
        ("diff", &["diff", fanz, fanz, "--iterations", many]),
        (
            "baseline",
            &["baseline", "--iterations", many, "--out", out],
        ),
    ];
    for (what, args) in runs {
        let run = interrupt(args, Duration::from_secs(1));
        assert_interrupted(what, &run, Duration::from_secs(3));
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "baseline left a file"
    );
}

/// Days from `a` to `b` (YYYY-MM-DD), as the test counts them: calendar days.
fn days_between(a: &str, b: &str) -> f64 {
    let day = |s: &str| {
        let d: Vec<i64> = s.split('-').map(|p| p.parse().unwrap()).collect();
        // Days since 0000-03-01 (a civil-from-days count; months from March).
        let (y, m) = if d[1] <= 2 {
            (d[0] - 1, d[1] + 9)
        } else {
            (d[0], d[1] - 3)
        };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d[2] - 1
    };
    (day(b) - day(a)) as f64
}

#[test]
fn history_calibrate_gives_each_commit_what_simulate_calibrate_gave_then_and_how_it_did() {
    // Week 1: nothing finished. Week 2: DESIGN finished at 6 person-days for 4 planned.
    // Week 3: DOCS finished at 2 for 3 planned, BUILD under way.
    let week2 = edit(SMALL, "start = 2025-09-15", "start = 2025-09-22");
    let week2 = edit(
        &week2,
        "estimate = [3, 4, 8]\ndemand = { backend = 1 }\n",
        "estimate = [3, 4, 8]\ndemand = { backend = 1 }\ndone = 1\nactual_effort = 6\n",
    );
    let week3 = edit(&week2, "start = 2025-09-22", "start = 2025-09-29");
    let week3 = edit(
        &week3,
        "duration = 3\ndemand = { backend = 1 }\n",
        "duration = 3\ndemand = { backend = 1 }\ndone = 1\nactual_effort = 2\n",
    );
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
    let args = [
        "history",
        "--model",
        "plan.toml",
        "--scenario",
        "team.toml",
        "--calibrate",
        "--iterations",
        ITERATIONS,
        "--schedules",
        "300",
    ];
    let json: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    let rows = json_in(p, &json);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let tasks: Vec<Value> = rows
        .iter()
        .map(|r| r["calibration"]["tasks"].clone())
        .collect();
    assert_eq!(tasks, [Value::from(2), Value::from(1), Value::Null]);
    assert!(
        rows[2]["note"]
            .as_str()
            .unwrap()
            .contains("no finished task"),
        "{}",
        rows[2]
    );
    assert!(rows[2]["milestones"][1]["calibrated_p50"].is_null());
    let here = tempfile::tempdir().unwrap();
    for row in &rows[..2] {
        let commit = row["commit"].as_str().unwrap();
        let model = here.path().join(format!("{commit}.toml"));
        std::fs::write(&model, git(p, &["show", &format!("{commit}:plan.toml")])).unwrap();
        let alone = json_in(
            p,
            &[
                "simulate",
                "--model",
                model.to_str().unwrap(),
                "--scenario",
                "team.toml",
                "--calibrate",
                "--iterations",
                ITERATIONS,
                "--seed",
                "1",
                "--format",
                "json",
            ],
        );
        for (i, point) in row["milestones"].as_array().unwrap().iter().enumerate() {
            let m = &alone["milestones"][i];
            assert_eq!(point["id"], m["id"]);
            assert_eq!(point["calibrated_p50"], m["p50_date"], "{commit}");
            assert_eq!(point["calibrated_p80"], m["p80_date"], "{commit}");
        }
    }
    // The hindsight line of the release: week 2's P50s against week 3's P50 (week 1 has no
    // calibrated forecast), worked out here from the JSON.
    let (table, err, code) = plan_in(p, &args);
    assert_eq!(code, 0, "{err}");
    assert!(
        table.contains("How calibrated forecasts would have done"),
        "{table}"
    );
    let release = |r: &Value, key: &str| r["milestones"][1][key].as_str().unwrap().to_string();
    let reference = release(&rows[0], "p50");
    let bias = days_between(&reference, &release(&rows[1], "p50"));
    let calibrated = days_between(&reference, &release(&rows[1], "calibrated_p50"));
    let line = table
        .lines()
        .find(|l| l.trim_start().starts_with("M2 "))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells[1..],
        [
            reference.as_str(),
            "1",
            &format!("{bias:+.1}"),
            &format!("{:.1}", bias.abs()),
            &format!("{calibrated:+.1}"),
            &format!("{:.1}", calibrated.abs()),
        ],
        "{table}"
    );

    let (_, err, code) = plan_in(
        p,
        &[
            "history",
            "--model",
            "plan.toml",
            "--calibrate",
            "--no-simulation",
        ],
    );
    assert_eq!(code, 2, "{err}");
}

/// A task's working days and a milestone's driving chain in `plan schedule` of one file.
fn scheduled(dir: &Path, model: &str) -> Value {
    json_in(
        dir,
        &[
            "schedule",
            "--model",
            model,
            "--scenario",
            "team.toml",
            "--format",
            "json",
        ],
    )
}

fn work_days(schedule: &Value, id: &str) -> i64 {
    let task = schedule["tasks"].as_array().unwrap().iter();
    let t = task
        .clone()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {schedule}"));
    t["finish"].as_i64().unwrap() - t["start"].as_i64().unwrap()
}

fn trace_ids(m: &Value) -> Vec<String> {
    m["trace"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap_or("status date").to_string())
        .collect()
}

/// The causes' days and what is unexplained add up to the scheduled move.
fn assert_adds_up(m: &Value) {
    let t = &m["trace"];
    let days: i64 = t["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["days"].as_i64().unwrap())
        .sum();
    assert_eq!(
        days + t["unexplained"].as_i64().unwrap(),
        t["moved"].as_i64().unwrap(),
        "{m}"
    );
    assert_eq!(t["moved"], m["scheduled"]["moved"], "{m}");
}

#[test]
fn diff_traces_a_moved_date_to_the_changes_on_its_driving_chain_only() {
    // DESIGN (on both milestones' chains) raised, and BUILD (after DESIGN, on M2's chain but
    // not on M1's) raised too; then the team shrunk, which BUILD's crew feels.
    let raised = edit(SMALL, "estimate = [3, 4, 8]", "estimate = [5, 7, 10]");
    let raised = edit(&raised, "[20, 30, 50]", "[30, 40, 60]");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("old.toml"), SMALL).unwrap();
    std::fs::write(p.join("new.toml"), &raised).unwrap();
    std::fs::write(p.join("team.toml"), TEAM).unwrap();
    std::fs::write(
        p.join("small.toml"),
        TEAM.replace("backend = 2", "backend = 1"),
    )
    .unwrap();
    let flags = ["--scenario", "team.toml", "--no-simulation"];
    let d = diff_json_in(p, "old.toml", "new.toml", &flags);
    assert_eq!(kinds(&d), ["work DESIGN", "work BUILD"], "{d}");
    let (before, after) = (scheduled(p, "old.toml"), scheduled(p, "new.toml"));
    let design_days = work_days(&after, "DESIGN") - work_days(&before, "DESIGN");
    assert!(design_days > 0);

    // M1 waits for DESIGN alone: BUILD's raise is not on its chain and is not named.
    let m1 = milestone(&d, "M1");
    assert_eq!(
        m1["trace"]["chain"],
        after["milestones"][0]["driving_chain"]
    );
    assert_eq!(trace_ids(m1), ["DESIGN"], "{m1}");
    let cause = &m1["trace"]["causes"][0];
    assert_eq!(cause["part"], "duration");
    assert_eq!(cause["changes"][0]["kind"], "work");
    assert_eq!(cause["days"], design_days, "{m1}");
    assert_eq!(m1["trace"]["unexplained"], 0, "{m1}");
    assert_adds_up(m1);

    // M2's chain runs through both: each is named with its own working days.
    let m2 = milestone(&d, "M2");
    let chain = &after["milestones"][1]["driving_chain"];
    assert_eq!(&m2["trace"]["chain"], chain);
    assert!(
        chain.as_array().unwrap().contains(&Value::from("BUILD")),
        "{chain}"
    );
    assert_eq!(trace_ids(m2), ["DESIGN", "BUILD"], "{m2}");
    let build_days = work_days(&after, "BUILD") - work_days(&before, "BUILD");
    assert_eq!(m2["trace"]["causes"][1]["days"], build_days, "{m2}");
    assert_adds_up(m2);

    // The table and the Markdown say it too.
    let (table, _, code) = plan_in(
        p,
        &["diff", "old.toml", "new.toml", flags[0], flags[1], flags[2]],
    );
    assert_eq!(code, 0);
    assert!(table.contains("Why the dates moved"), "{table}");
    let line = format!("+{design_days} DESIGN duration 3/4/8 -> 5/7/10 (its working days)");
    assert!(table.contains(&line), "{table}");
    let md = plan_in(
        p,
        &[
            "diff", "old.toml", "new.toml", "--format", "markdown", flags[0], flags[1], flags[2],
        ],
    )
    .0;
    assert!(md.contains(&line.replace("->", "→")), "{md}");

    // One backend developer fewer: the trace names the team change on BUILD's crew.
    let args = [
        "--old-scenario",
        "team.toml",
        "--scenario",
        "small.toml",
        "--no-simulation",
    ];
    let d = diff_json_in(p, "old.toml", "old.toml", &args);
    let m2 = milestone(&d, "M2");
    assert!(m2["scheduled"]["moved"].as_i64().unwrap() > 0, "{m2}");
    let team: Vec<&Value> = m2["trace"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["changes"][0]["kind"] == "team")
        .collect();
    assert!(!team.is_empty(), "{m2}");
    assert!(team.iter().all(|c| c["days"].as_i64().unwrap() > 0), "{m2}");
    assert_adds_up(m2);
    // A milestone whose date did not move has no trace.
    assert!(milestone(&d, "M1")["trace"].is_null(), "{d}");

    // Without a team the CPM dates are traced, along the critical chain: the same causes.
    let d = diff_json_in(p, "old.toml", "new.toml", &["--no-simulation"]);
    let m1 = milestone(&d, "M1");
    assert_eq!(m1["trace"]["date"], "cpm", "{m1}");
    assert_eq!(m1["trace"]["chain"], serde_json::json!(["DESIGN", "M1"]));
    assert_eq!(trace_ids(m1), ["DESIGN"], "{m1}");
    assert_eq!(m1["trace"]["moved"], m1["cpm_finish"]["moved"]);
    let m2 = milestone(&d, "M2");
    assert_eq!(trace_ids(m2), ["DESIGN", "BUILD"], "{m2}");
    let days: i64 = m2["trace"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["days"].as_i64().unwrap())
        .sum();
    assert_eq!(
        days + m2["trace"]["unexplained"].as_i64().unwrap(),
        m2["cpm_finish"]["moved"].as_i64().unwrap()
    );
}

/// A repository of `tests/data/calendars.toml` (role and task calendars) and a later version
/// with the 7-day burn-in (on a calendar that works every day) stretched to 12 days.
fn calendar_repo() -> tempfile::TempDir {
    let first = include_str!("data/calendars.toml");
    let later = edit(first, "duration = 7\n", "duration = 12\n");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q"]);
    git(p, &["config", "user.name", "Plan Tests"]);
    git(p, &["config", "user.email", "tests@example.invalid"]);
    git(p, &["config", "commit.gpgsign", "false"]);
    let team = include_str!("data/calendars-team.toml");
    std::fs::write(p.join("team.toml"), team).unwrap();
    for (subject, text) in [("first", first), ("longer burn-in", later.as_str())] {
        std::fs::write(p.join("plan.toml"), text).unwrap();
        git(p, &["add", "plan.toml", "team.toml"]);
        git(p, &["commit", "-q", "-m", subject]);
    }
    dir
}

/// Worked by hand: the burn-in starts on Saturday 20 September; its 7 days ended on Friday 26,
/// its 12 end on Wednesday 1 October: 5 and 8 working days of the project calendar (Monday to
/// Friday), so it costs 3 more.
#[test]
fn tracking_commands_run_on_models_with_role_and_task_calendars() {
    let dir = calendar_repo();
    let p = dir.path();
    let here = tempfile::tempdir().unwrap();
    let no_sim = ["--scenario", "team.toml", "--no-simulation"];
    let mut args = vec!["history", "--model", "plan.toml", "--format", "json"];
    args.extend(no_sim);
    let rows = json_in(p, &args);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let mut files = Vec::new();
    for row in rows {
        assert!(row["error"].is_null(), "{row}");
        let commit = row["commit"].as_str().unwrap();
        let text = git(p, &["show", &format!("{commit}:plan.toml")]);
        let file = here.path().join(format!("{commit}.toml"));
        std::fs::write(&file, text).unwrap();
        let f = file.to_str().unwrap().to_string();
        let cpm = json_in(p, &["critical-path", "--model", &f, "--format", "json"]);
        let schedule = scheduled(p, &f);
        let point = &row["milestones"][0];
        assert_eq!(
            point["cpm_finish"],
            cpm["milestones"][0]["early_finish_date"]
        );
        assert_eq!(point["scheduled"], schedule["milestones"][0]["finish_date"]);
        files.push(f);
    }
    let (new, old) = (&files[0], &files[1]);

    let d = diff_json_in(p, old, new, &no_sim);
    let done = milestone(&d, "DONE");
    assert!(done["scheduled"]["moved"].as_i64().unwrap() > 0, "{done}");
    let burn_in: Vec<&Value> = done["trace"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "BURN-IN")
        .collect();
    assert_eq!(burn_in.len(), 1, "{done}");
    assert_eq!(burn_in[0]["days"], 3, "{done}");
    assert_adds_up(done);

    // Without a team the CPM date is traced along the calendar pass's chain of driving links
    // (each lag and start counted on the task's own days): the burn-in's 3 more working days,
    // and QA's offshore days (its holiday on 6 October now falls in it) left unexplained.
    let cpm_diff = diff_json_in(p, old, new, &["--no-simulation"]);
    let cpm_done = milestone(&cpm_diff, "DONE");
    let trace = &cpm_done["trace"];
    assert_eq!(trace["date"], "cpm", "{cpm_done}");
    assert_eq!(
        trace["chain"],
        serde_json::json!(["BUILD", "BURN-IN", "QA", "DONE"]),
        "{cpm_done}"
    );
    assert_eq!(trace_ids(cpm_done), ["BURN-IN"], "{cpm_done}");
    assert_eq!(trace["causes"][0]["days"], 3, "{cpm_done}");
    assert_eq!(trace["causes"][0]["part"], "duration", "{cpm_done}");
    assert_eq!(
        trace["moved"], cpm_done["cpm_finish"]["moved"],
        "{cpm_done}"
    );
    assert_eq!(
        3 + trace["unexplained"].as_i64().unwrap(),
        trace["moved"].as_i64().unwrap(),
        "{cpm_done}"
    );

    // Against the first commit as a baseline: the variance is the diff's move.
    let cp = json_in(
        p,
        &[
            "critical-path",
            "--model",
            "plan.toml",
            "--baseline",
            "HEAD~1",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        cp["milestones"][0]["finish_variance"], done["cpm_finish"]["moved"],
        "{cp}"
    );
    let mut args = vec!["schedule", "--model", "plan.toml", "--baseline", "HEAD~1"];
    args.extend(["--scenario", "team.toml", "--format", "json"]);
    let sch = json_in(p, &args);
    assert_eq!(
        sch["milestones"][0]["finish_variance"], done["scheduled"]["moved"],
        "{sch}"
    );
    let mut args = vec!["status", "--model", "plan.toml", "--baseline", "HEAD~1"];
    args.extend(no_sim);
    args.extend(["--format", "json"]);
    let status = json_in(p, &args);
    assert_eq!(status["milestones_checked"], 1, "{status}");
    assert!(
        status["earned_value"]["program"]["bac"].as_f64().unwrap() > 0.0,
        "{status}"
    );
    let mut args = vec!["baseline", "--model", "plan.toml", "--out", "base.json"];
    args.extend(no_sim);
    let (_, err, code) = plan_in(p, &args);
    assert_eq!(code, 0, "{err}");
}

/// The small model without DESIGN: the finished task archived out of the plan.
fn without_design(text: &str) -> String {
    let design = "[[task]]\nid = \"DESIGN\"\nname = \"Design\"\nphase = \"P1\"\nestimate = [3, 4, 8]\ndemand = { backend = 1 }\ndone = 1\nactual_effort = 6\n\n";
    let text = edit(text, design, "");
    let text = edit(&text, "after = [{ id = \"DESIGN\", lag = 2 }]\n", "");
    // DOCS loses its predecessor; "Design done" now waits for the build.
    assert_eq!(text.matches("after = [\"DESIGN\"]\n").count(), 2);
    let text = text.replacen("after = [\"DESIGN\"]\n", "", 1);
    edit(&text, "after = [\"DESIGN\"]\n", "after = [\"BUILD\"]\n")
}

#[test]
fn calibration_pools_the_finished_tasks_of_the_models_git_history() {
    // Week 2: DESIGN finished at 6 person-days for 4 planned (1.5). Week 3: DESIGN archived
    // out of the file, DOCS finished at 2.4 for 3 (0.8). Pooled, week 3 rests on both:
    // factor sqrt(1.5 x 0.8); alone it would rest on DOCS only.
    let week2 = edit(SMALL, "start = 2025-09-15", "start = 2025-09-22");
    let week2 = edit(
        &week2,
        "estimate = [3, 4, 8]\ndemand = { backend = 1 }\n",
        "estimate = [3, 4, 8]\ndemand = { backend = 1 }\ndone = 1\nactual_effort = 6\n",
    );
    let week3 = edit(
        &without_design(&week2),
        "start = 2025-09-22",
        "start = 2025-09-29",
    );
    let week3 = edit(
        &week3,
        "duration = 3\ndemand = { backend = 1 }\n",
        "duration = 3\ndemand = { backend = 1 }\ndone = 1\nactual_effort = 2.4\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q"]);
    git(p, &["config", "user.name", "Plan Tests"]);
    git(p, &["config", "user.email", "tests@example.invalid"]);
    git(p, &["config", "commit.gpgsign", "false"]);
    for (subject, text) in [("week 1", SMALL), ("week 2", &week2), ("week 3", &week3)] {
        std::fs::write(p.join("plan.toml"), text).unwrap();
        git(p, &["add", "plan.toml"]);
        git(p, &["commit", "-q", "-m", subject]);
    }
    let rows = json_in(
        p,
        &[
            "history",
            "--model",
            "plan.toml",
            "--calibrate",
            "--iterations",
            ITERATIONS,
            "--format",
            "json",
        ],
    );
    let rows = rows.as_array().unwrap();
    let calibration = |r: usize| &rows[r]["calibration"];
    assert_eq!(calibration(0)["tasks"], 2, "{}", rows[0]);
    assert_eq!(calibration(0)["earlier"], 1);
    assert_eq!(calibration(0)["versions"], 3);
    let ids: Vec<&str> = calibration(0)["ratios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["DOCS", "DESIGN"]);
    let factor = calibration(0)["factor"].as_f64().unwrap();
    assert!((factor - (1.5f64 * 0.8).sqrt()).abs() < 1e-9, "{factor}");
    assert_eq!(calibration(1)["tasks"], 1);
    assert_eq!(calibration(1)["earlier"], 0);
    assert!(calibration(2).is_null());

    // `plan simulate --calibrate` on the model in git pools the same tasks and says so; the
    // same file outside git rests on its own finished task.
    let simulate = |dir: &Path, model: &str| {
        let args = [
            "simulate",
            "--model",
            model,
            "--no-resources",
            "--calibrate",
        ];
        let (_, err, code) = plan_in(dir, &[&args[..], &["--iterations", ITERATIONS]].concat());
        assert_eq!(code, 0, "{err}");
        err
    };
    let err = simulate(p, "plan.toml");
    assert!(
        err.contains("calibrated on 2 finished task(s) (1 of them finished only in earlier versions) from 3 commit(s) of plan.toml"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{factor:.2} x the estimates")),
        "{err}"
    );
    assert!(
        err.contains("warning: the calibration rests on 2 finished task(s), fewer than 5"),
        "{err}"
    );
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("plan.toml"), &week3).unwrap();
    let err = simulate(outside.path(), "plan.toml");
    assert!(
        err.contains("calibrated on 1 finished task(s): actual effort 0.80"),
        "{err}"
    );
}

/// The days each P80 cause names, by the kind and id of its first change.
fn p80_days(m: &Value) -> Vec<(String, i64)> {
    m["p80_trace"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let first = &c["changes"][0];
            let who = first["id"]
                .as_str()
                .or(first["role"].as_str())
                .unwrap_or("");
            (
                format!("{} {who}", first["kind"].as_str().unwrap()),
                c["days"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn p80_moved(d: &Value, id: &str) -> i64 {
    milestone(d, id)["p80"]["moved"].as_i64().unwrap()
}

#[test]
fn diff_traces_a_moved_p80_to_each_change_re_simulated_in_turn() {
    // Four changes, each version written by hand, in the diff's order: the design estimate
    // raised, a performance test added (last of the tasks), the release made to wait for it,
    // a backend developer fewer.
    let perf = "\n[[task]]\nid = \"PERF\"\nname = \"Performance test\"\nafter = [\"BUILD\"]\nduration = 7\ndemand = { qa = 1 }\n";
    let raised = edit(SMALL, "estimate = [3, 4, 8]", "estimate = [5, 7, 10]");
    let added = edit(
        &raised,
        "\n[[milestone]]\nid = \"M1\"",
        &format!("{perf}\n[[milestone]]\nid = \"M1\""),
    );
    let linked = edit(
        &added,
        "after = [\"TEST\", \"DOCS\"]",
        "after = [\"TEST\", \"DOCS\", \"PERF\"]",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for (name, text) in [
        ("v0.toml", SMALL.to_string()),
        ("v1.toml", raised),
        ("v2.toml", added),
        ("v3.toml", linked),
    ] {
        std::fs::write(p.join(name), text).unwrap();
    }
    std::fs::write(p.join("team.toml"), TEAM).unwrap();
    let fewer = TEAM.replace("backend = 2", "backend = 1");
    std::fs::write(p.join("fewer.toml"), fewer).unwrap();
    let sim = ["--iterations", ITERATIONS];
    let teams = ["--old-scenario", "team.toml", "--scenario", "fewer.toml"];
    let all: Vec<&str> = sim.iter().chain(&teams).copied().collect();
    let d = diff_json_in(p, "v0.toml", "v3.toml", &all);
    assert_eq!(
        kinds(&d),
        ["work DESIGN", "task_added PERF", "links M2", "team "],
        "{d}"
    );
    assert_eq!(d["p80_replay"]["simulations"], 4, "{d}");
    assert_eq!(d["p80_replay"]["capped_changes"], 0, "{d}");

    // Each change's days are the P80 move of the diff of the two versions around it alone.
    let team = ["--scenario", "team.toml"];
    let with_team: Vec<&str> = sim.iter().chain(&team).copied().collect();
    let one_at_a_time = [
        (
            "work DESIGN",
            diff_json_in(p, "v0.toml", "v1.toml", &with_team),
        ),
        (
            "task_added PERF",
            diff_json_in(p, "v1.toml", "v2.toml", &with_team),
        ),
        (
            "links M2",
            diff_json_in(p, "v2.toml", "v3.toml", &with_team),
        ),
        ("team backend", diff_json_in(p, "v3.toml", "v3.toml", &all)),
    ];
    for id in ["M1", "M2"] {
        let m = milestone(&d, id);
        let traced = p80_days(m);
        let expected: Vec<(String, i64)> = one_at_a_time
            .iter()
            .map(|(what, step)| (what.to_string(), p80_moved(step, id)))
            .filter(|(_, days)| *days != 0)
            .collect();
        assert_eq!(traced, expected, "{id}: {m}");
        assert!(!traced.is_empty(), "{m}");
        // The hand-written last version is the replay's: nothing unexplained, and the days add
        // up to the P80's move.
        assert_eq!(m["p80_trace"]["unexplained"], 0, "{m}");
        let sum: i64 = traced.iter().map(|(_, d)| d).sum();
        assert_eq!(sum, p80_moved(&d, id), "{m}");
        assert_eq!(m["p80_trace"]["moved"], m["p80"]["moved"], "{m}");
    }

    // The table says it.
    let mut args = vec!["diff", "v0.toml", "v3.toml"];
    args.extend(&all);
    let (table, _, code) = plan_in(p, &args);
    assert_eq!(code, 0);
    assert!(
        table.contains("M2 P80 ") && table.contains("moved because"),
        "{table}"
    );

    // Capped at two simulations: the last three changes are applied together, and their days
    // are what the three gave one at a time.
    let mut capped: Vec<&str> = all.clone();
    capped.extend(["--p80-replays", "2"]);
    let c = diff_json_in(p, "v0.toml", "v3.toml", &capped);
    assert_eq!(c["p80_replay"]["simulations"], 2, "{c}");
    assert_eq!(c["p80_replay"]["capped_changes"], 3, "{c}");
    let m2 = milestone(&c, "M2");
    let last = m2["p80_trace"]["causes"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    assert_eq!(last["together"], true, "{m2}");
    assert_eq!(last["changes"].as_array().unwrap().len(), 3, "{m2}");
    let rest: i64 = p80_days(milestone(&d, "M2"))
        .iter()
        .filter(|(what, _)| what != "work DESIGN")
        .map(|(_, d)| d)
        .sum();
    assert_eq!(last["days"], rest, "{m2}");
    let mut args = vec!["diff", "v0.toml", "v3.toml"];
    args.extend(&capped);
    let (table, _, _) = plan_in(p, &args);
    assert!(table.contains("P80 replay capped at 2"), "{table}");

    // 0 replays: no P80 trace, and why.
    let mut none = all.clone();
    none.extend(["--p80-replays", "0"]);
    let n = diff_json_in(p, "v0.toml", "v3.toml", &none);
    assert!(milestone(&n, "M2")["p80_trace"].is_null(), "{n}");
    assert!(n["p80_replay"]["skipped"].is_string(), "{n}");
    let mut too_many = all.clone();
    too_many.extend(["--p80-replays", "1001"]);
    let mut args = vec!["diff", "v0.toml", "v3.toml"];
    args.extend(&too_many);
    let (_, err, code) = plan_in(p, &args);
    assert_eq!(code, 2, "{err}");

    // --fail-on-slip still measures the P80, with its trace there.
    let worst = [milestone(&d, "M1"), milestone(&d, "M2")]
        .iter()
        .map(|m| m["slip"].as_i64().unwrap())
        .max()
        .unwrap();
    assert!(worst > 0, "{d}");
    let days = (worst - 1).to_string();
    let mut args = vec!["diff", "v0.toml", "v3.toml", "--fail-on-slip", &days];
    args.extend(&all);
    let (out, err, code) = plan_in(p, &args);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("P80 moved"), "{err}");
    assert!(out.contains("moved because"), "{out}");
}

#[test]
fn progress_on_a_task_the_search_gave_another_crew_gets_the_days_its_old_crew_saved() {
    // FANZ two weeks on: S08 (design system, 55 person-days likely) went from 25 % to 35 %
    // done, and the search now gives it one frontend developer instead of two.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let history = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fanz-history");
    let (old, new) = ("fanz-2025-09-15.toml", "fanz-2025-09-29.toml");
    for f in [old, new] {
        std::fs::copy(history.join(f), p.join(f)).unwrap();
    }
    let team = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/seed-low.toml");
    std::fs::copy(team, p.join("team.toml")).unwrap();
    let d = diff_json_in(p, old, new, &["--scenario", "team.toml", "--no-simulation"]);
    let causes: Vec<Value> = d["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["trace"]["causes"].as_array())
        .flatten()
        .filter(|c| c["id"] == "S08" && c["part"] == "duration")
        .cloned()
        .collect();
    assert!(!causes.is_empty(), "{d}");
    let crew = &causes[0]["crew"];
    assert_eq!(crew["before"]["frontend"], 2, "{crew}");
    assert_eq!(crew["after"]["frontend"], 1, "{crew}");

    // What a user checks: the new model with S08 held to its old crew of two, scheduled.
    let pinned = edit(
        &std::fs::read_to_string(p.join(new)).unwrap(),
        "effort = { frontend = [40, 55, 90] }\ncrew = { frontend = [1, 3] }\ndone = 0.35",
        "effort = { frontend = [40, 55, 90] }\ncrew = { frontend = [2, 2] }\ndone = 0.35",
    );
    std::fs::write(p.join("pinned.toml"), pinned).unwrap();
    let (before, now, held) = (
        scheduled(p, old),
        scheduled(p, new),
        scheduled(p, "pinned.toml"),
    );
    let saved = work_days(&held, "S08") - work_days(&before, "S08");
    assert!(saved < 0, "progress saves days: {saved}");
    let other_crew = work_days(&now, "S08") - work_days(&held, "S08");
    for c in &causes {
        assert_eq!(c["days"], saved, "{c}");
        assert_eq!(c["crew_days"], other_crew, "{c}");
    }
    for m in d["milestones"].as_array().unwrap() {
        if !m["trace"].is_null() {
            assert_adds_up(m);
        }
    }
}

/// The changes of a trace's causes of this kind, with their days.
fn cause_days(m: &Value, kind: &str) -> Vec<i64> {
    m["trace"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["kind"] == kind)
        })
        .map(|c| c["days"].as_i64().unwrap())
        .collect()
}

/// The share of the P80 move of the changes of this kind.
fn share_of(m: &Value, kind: &str) -> Option<i64> {
    m["p80_trace"]["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["changes"][0]["kind"] == kind)
        .map(|c| c["days"].as_i64().unwrap())
}

#[test]
fn diff_names_calendar_constraint_and_role_changes_with_their_days() {
    // tests/data/calendars.toml, three edits in the diff's order: the burn-in's 7x24 calendar
    // loses Monday to Wednesday 22-24 September, QA's role leaves the offshore calendar for
    // the project's, and QA may not start before Thursday 9 October.
    let v0 = include_str!("data/calendars.toml").to_string();
    let v1 = edit(
        &v0,
        "[calendars.7x24]\nworkdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n",
        "[calendars.7x24]\nworkdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\nholidays = [2025-09-22, 2025-09-23, 2025-09-24]\n",
    );
    let v2 = edit(&v1, "[roles.qa]\ncalendar = \"offshore\"\n", "[roles.qa]\n");
    let v3 = edit(
        &v2,
        "id = \"QA\"\nafter = [\"BURN-IN\"]\n",
        "id = \"QA\"\nafter = [\"BURN-IN\"]\nstart_no_earlier = 2025-10-09\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for (name, text) in [
        ("v0.toml", &v0),
        ("v1.toml", &v1),
        ("v2.toml", &v2),
        ("v3.toml", &v3),
    ] {
        std::fs::write(p.join(name), text).unwrap();
    }
    let no_sim = ["--no-simulation"];
    let d = diff_json_in(p, "v0.toml", "v3.toml", &no_sim);
    assert_eq!(
        kinds(&d),
        ["calendar 7x24", "role_calendar ", "constraint QA"],
        "{d}"
    );
    let c = &d["changes"];
    assert_eq!(c[0]["holidays_added"][0], "2025-09-22", "{c}");
    assert_eq!(c[1]["role"], "qa", "{c}");
    assert_eq!(c[1]["before"], "offshore", "{c}");
    assert!(c[1]["after"].is_null(), "{c}");
    assert_eq!(c[2]["after"]["type"], "start_no_earlier", "{c}");
    assert_eq!(c[2]["after"]["date"], "2025-10-09", "{c}");

    // One change at a time, each is named on the CPM chain with the days it moved DONE,
    // worked by hand (project calendar Monday to Friday). The burn-in (from Saturday 20)
    // now ends on Monday 29 September, not Friday 26, and QA's 5 days on Monday to Thursday
    // less the offshore holiday of 6 October run from Tuesday 30 to Wednesday 8 October: DONE
    // 7 -> 8 October, +1. QA on the project calendar works 5 weekdays from Tuesday 30, to
    // Monday 6 October: -2. Held to Thursday 9 October it ends on Wednesday 15: +7.
    let steps = [
        ("v0.toml", "v1.toml", "calendar"),
        ("v1.toml", "v2.toml", "role_calendar"),
        ("v2.toml", "v3.toml", "constraint"),
    ];
    let mut alone = Vec::new();
    for (old, new, kind) in steps {
        let one = diff_json_in(p, old, new, &no_sim);
        let m = milestone(&one, "DONE");
        let days = cause_days(m, kind);
        assert!(!days.is_empty(), "{kind} not named: {m}");
        let t = &m["trace"];
        let traced: i64 = days.iter().sum();
        assert_eq!(
            traced + t["unexplained"].as_i64().unwrap(),
            t["moved"].as_i64().unwrap(),
            "{m}"
        );
        alone.push((kind, traced, m["cpm_finish"]["moved"].as_i64().unwrap()));
    }
    let moved: Vec<i64> = alone.iter().map(|a| a.2).collect();
    let traced: Vec<i64> = alone.iter().map(|a| a.1).collect();
    assert_eq!(traced, [1, -2, 7], "{alone:?}");
    assert_eq!(traced, moved, "{alone:?}");

    // With a simulation, each change's share of the P80 move is named; the last version is
    // the old one with exactly these changes, so nothing is unexplained.
    let sim = ["--iterations", ITERATIONS];
    let s = diff_json_in(p, "v0.toml", "v3.toml", &sim);
    let m = milestone(&s, "DONE");
    let t = &m["p80_trace"];
    assert!(!t.is_null(), "{m}");
    for kind in ["calendar", "role_calendar", "constraint"] {
        assert!(share_of(m, kind).is_some(), "{kind}: {m}");
    }
    let shared: i64 = ["calendar", "role_calendar", "constraint"]
        .iter()
        .filter_map(|k| share_of(m, k))
        .sum();
    assert_eq!(shared, t["moved"].as_i64().unwrap(), "{m}");
    assert_eq!(t["shares_unexplained"], 0, "{m}");
    assert_eq!(s["p80_replay"]["exact"], true, "{s}");
    // The table names them.
    let (table, _, code) = plan_in(
        p,
        &["diff", "v0.toml", "v3.toml", "--iterations", ITERATIONS],
    );
    assert_eq!(code, 0);
    for words in [
        "calendar 7x24: holidays +",
        "role qa calendar offshore -> project",
        "QA constraint none -> start_no_earlier 2025-10-09",
    ] {
        assert!(table.contains(words), "{words}: {table}");
    }
    // --p80-orders takes 1 to 100.
    for bad in ["0", "101"] {
        let (_, err, code) = plan_in(p, &["diff", "v0.toml", "v3.toml", "--p80-orders", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
    }
}

/// Project working days (Monday to Friday, less `holidays`) from `start` to `finish`.
fn weekdays(start: &str, finish: &str, holidays: &[String]) -> i64 {
    let mut d: jiff::civil::Date = start.parse().unwrap();
    let end: jiff::civil::Date = finish.parse().unwrap();
    let mut n = 0;
    while d <= end {
        let weekend = matches!(
            d.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        );
        if !weekend && !holidays.contains(&d.to_string()) {
            n += 1;
        }
        d = d.tomorrow().unwrap();
    }
    n
}

/// A task's span in the schedule in project working days.
fn span_days(schedule: &Value, id: &str, holidays: &[String]) -> i64 {
    let t = schedule["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap();
    weekdays(
        t["start_date"].as_str().unwrap(),
        t["finish_date"].as_str().unwrap(),
        holidays,
    )
}

#[test]
fn on_a_calendar_model_progress_on_a_task_given_another_crew_gets_its_old_crews_days() {
    // The FANZ history with the backend developers off on Columbus Day (13 October), which
    // the project calendar works: S05 (backend and frontend) went from 0 % to 50 % done and
    // the search gives it another crew.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let history = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fanz-history");
    let (old, new) = ("fanz-2025-09-15.toml", "fanz-2025-09-29.toml");
    let four_days = |text: &str| {
        edit(
            text,
            "[roles.backend]\n",
            "[calendars.backend]\nholidays = [2025-10-13]\n\n[roles.backend]\ncalendar = \"backend\"\n",
        )
    };
    let mut holidays = Vec::new();
    for f in [old, new] {
        let text = std::fs::read_to_string(history.join(f)).unwrap();
        if holidays.is_empty() {
            let from = text.find("\nholidays = [").unwrap();
            let list = &text[from..from + text[from..].find(']').unwrap()];
            holidays = list
                .lines()
                .filter_map(|l| l.trim().get(..10))
                .filter(|d| d.starts_with("20"))
                .map(str::to_string)
                .collect();
        }
        std::fs::write(p.join(f), four_days(&text)).unwrap();
    }
    assert!(holidays.contains(&"2025-11-27".to_string()), "{holidays:?}");
    let team = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/seed-low.toml");
    std::fs::copy(team, p.join("team.toml")).unwrap();
    let d = diff_json_in(p, old, new, &["--scenario", "team.toml", "--no-simulation"]);
    let causes: Vec<Value> = d["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["trace"]["causes"].as_array())
        .flatten()
        .filter(|c| c["id"] == "S05" && c["part"] == "duration")
        .cloned()
        .collect();
    assert!(!causes.is_empty(), "{d}");
    let crew = causes[0]["crew"].clone();
    assert!(crew.is_object(), "the search gave S05 another crew: {d}");
    let old_crew = crew["before"]["backend"].as_u64().unwrap();

    // What a user checks: the new model with S05 held to its old crew, scheduled; each
    // span counted in project working days.
    let pinned = edit(
        &std::fs::read_to_string(p.join(new)).unwrap(),
        "crew = { backend = [1, 3], frontend = [1, 1] }\ndone = 0.5",
        &format!("crew = {{ backend = [{old_crew}, {old_crew}], frontend = [1, 1] }}\ndone = 0.5"),
    );
    std::fs::write(p.join("pinned.toml"), pinned).unwrap();
    let (before, now, held) = (
        scheduled(p, old),
        scheduled(p, new),
        scheduled(p, "pinned.toml"),
    );
    let saved = span_days(&held, "S05", &holidays) - span_days(&before, "S05", &holidays);
    assert!(saved < 0, "progress saves days: {saved}");
    let other_crew = span_days(&now, "S05", &holidays) - span_days(&held, "S05", &holidays);
    for c in &causes {
        assert_eq!(c["days"], saved, "{c}");
        assert_eq!(c["crew_days"], other_crew, "{c}");
    }
    for m in d["milestones"].as_array().unwrap() {
        if !m["trace"].is_null() {
            assert_adds_up(m);
        }
    }
}
