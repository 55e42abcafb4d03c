//! End-to-end tests of the capacity bound's commands: `feasibility` verdicts with
//! certificates, `feasibility --marginal`, and `staff`, including bad input.

use crate::common::{json, plan};
use serde_json::Value;

#[test]
fn every_seed_milestone_gets_a_verdict_with_evidence() {
    let v = json(&[
        "feasibility",
        "--scenario",
        "scenarios/seed-low.toml",
        "--schedules",
        "1000",
        "--format",
        "json",
    ]);
    let ms = v["milestones"].as_array().unwrap();
    assert_eq!(ms.len(), 6);
    let mut infeasible = 0;
    for m in ms {
        assert!(m["bound_date"].is_string(), "{m}");
        let slack = m["bound_slack"].as_i64().unwrap();
        match m["verdict"].as_str().unwrap() {
            "met" => assert!(slack >= 0, "a met date cannot be provably late: {m}"),
            "unknown" => assert!(slack >= 0),
            "infeasible" => {
                infeasible += 1;
                assert!(slack < 0);
                let c = &m["certificate"];
                let required = c["required"].as_f64().unwrap();
                let available = c["available"].as_f64().unwrap();
                assert!(required > available, "{c}");
                if c["kind"] == "capacity" {
                    assert!(c["role"].is_string());
                    let sum: f64 = c["tasks"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t["person_days"].as_f64().unwrap())
                        .sum();
                    assert!(
                        (sum - required).abs() < 0.01 * c["tasks"].as_array().unwrap().len() as f64
                    );
                }
                assert!(c["window_start"].as_str().unwrap() <= c["window_end"].as_str().unwrap());
            }
            other => panic!("verdict {other}"),
        }
    }
    assert!(
        infeasible >= 1,
        "the seed's low team cannot meet some dates"
    );
}

#[test]
fn the_table_states_the_certificate_in_words() {
    let (out, err, code) = plan(&["feasibility", "--schedules", "500"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("INFEASIBLE"), "{out}");
    assert!(out.contains("person-days;"), "{out}");
    assert!(
        out.contains("supply at most") || out.contains("supplies at most"),
        "{out}"
    );
}

#[test]
fn marginal_reports_every_role_and_milestone() {
    let v = json(&[
        "feasibility",
        "--marginal",
        "--schedules",
        "300",
        "--format",
        "json",
    ]);
    let rows = v["marginal"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    for row in rows {
        assert!(row["role"].is_string());
        let ms = row["milestones"].as_array().unwrap();
        assert_eq!(ms.len(), 6);
        for m in ms {
            // One more person never makes the bound later.
            assert!(m["bound_days_gained"].as_i64().unwrap() >= 0, "{m}");
            assert!(m["schedule_days_gained"].is_i64());
        }
    }
}

#[test]
fn staff_finds_a_team_that_meets_every_date_and_is_at_least_the_bound() {
    let v = json(&[
        "staff",
        "--model",
        "tests/data/team.toml",
        "--scenario",
        "tests/data/team-2.toml",
        "--format",
        "json",
    ]);
    assert_eq!(v["all_met"], true);
    for (role, n) in v["team"].as_object().unwrap() {
        assert!(n.as_u64().unwrap() >= v["lower_bound_team"][role].as_u64().unwrap());
    }
    for m in v["milestones"].as_array().unwrap() {
        for key in ["id", "due", "finish_date", "slack"] {
            assert!(m.get(key).is_some());
        }
        assert!(m["slack"].as_i64().unwrap() >= 0);
    }
    assert!(v.get("cost").is_some());
}

#[test]
fn staff_with_costs_reports_the_cost() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("costed.toml");
    std::fs::write(
        &s,
        "[team]\nbackend = 2\nqa = 1\n[cost]\nbackend = 500\nqa = 400\n",
    )
    .unwrap();
    let v = json(&[
        "staff",
        "--model",
        "tests/data/team.toml",
        "--scenario",
        s.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(v["cost"].as_f64().unwrap() > 0.0, "{v}");
}

#[test]
fn staff_on_the_seed_names_the_dates_no_team_meets() {
    let v = json(&["staff", "--schedules", "500", "--format", "json"]);
    let blocked = v["blocked"].as_array().unwrap();
    assert!(!blocked.is_empty());
    // Every other date is met.
    let blocked_ids: Vec<&str> = blocked.iter().filter_map(|b| b["id"].as_str()).collect();
    for m in v["milestones"].as_array().unwrap() {
        if !blocked_ids.contains(&m["id"].as_str().unwrap()) {
            assert!(m["slack"].as_i64().unwrap() >= 0, "{m}");
        }
    }
}

#[test]
fn bad_caps_are_rejected_with_exit_2() {
    let (_, err, code) = plan(&["staff", "--max", "bakend=8"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"backend\""), "{err}");
    let (_, err, code) = plan(&["staff", "--max", "backend=2"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("below the scenario's current team of 5"),
        "{err}"
    );
    let (_, err, code) = plan(&["staff", "--max", "backend=many"]);
    assert_eq!(code, 2);
    assert!(err.contains("whole number"), "{err}");
    let (_, err, code) = plan(&["staff", "--max", "backend"]);
    assert_eq!(code, 2);
    assert!(err.contains("ROLE=N"), "{err}");
}

#[test]
fn negative_costs_are_rejected_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("neg.toml");
    std::fs::write(&s, "[team]\nbackend = 2\nqa = 1\n[cost]\nbackend = -5\n").unwrap();
    let (_, _, code) = plan(&[
        "staff",
        "--model",
        "tests/data/team.toml",
        "--scenario",
        s.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
}

/// `plan staff` on the late ramp-up model as JSON, with extra flags.
fn staff_late_ramp(model: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "staff",
        "--model",
        model,
        "--scenario",
        "tests/data/late-ramp-team.toml",
        "--schedules",
        "2000",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    json(&args)
}

fn headcounts(v: &Value) -> Vec<(String, u64)> {
    v["team"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(r, n)| (r.clone(), n.as_u64().unwrap()))
        .collect()
}

/// Writes the staffing answer `v` (team and hires) as a scenario and checks with
/// `plan feasibility` that its schedule meets every milestone `staff` did not give up on.
fn assert_schedule_meets_the_dates(model: &str, v: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answer.toml");
    let mut text = String::from("name = \"staff answer\"\n[team]\n");
    for (role, n) in headcounts(v) {
        text.push_str(&format!("{role} = {n}\n"));
    }
    for h in v["hires"].as_array().unwrap() {
        text.push_str(&format!(
            "[[hire]]\nrole = \"{}\"\ncount = {}\nstart = {}\n",
            h["role"].as_str().unwrap(),
            h["count"],
            h["start"].as_str().unwrap()
        ));
    }
    std::fs::write(&path, text).unwrap();
    let f = json(&[
        "feasibility",
        "--model",
        model,
        "--scenario",
        path.to_str().unwrap(),
        "--schedules",
        "2000",
        "--format",
        "json",
    ]);
    let blocked: Vec<&str> = v["blocked"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    for m in f["milestones"].as_array().unwrap() {
        if !blocked.contains(&m["id"].as_str().unwrap()) {
            assert_eq!(m["verdict"], "met", "{m}\nstaff said: {v}");
        }
    }
}

#[test]
fn hires_cost_no_more_than_a_team_from_day_one_when_work_ramps_up_late() {
    let model = "tests/data/late-ramp.toml";
    let fixed = staff_late_ramp(model, &[]);
    let hired = staff_late_ramp(model, &["--hires"]);
    assert!(fixed["hires"].as_array().unwrap().is_empty());
    let (a, b) = (
        fixed["person_days"].as_f64().unwrap(),
        hired["person_days"].as_f64().unwrap(),
    );
    assert!(b <= a, "with hires {b} person-days, without {a}");
    // Here the build phase starts two months in: hiring for it is strictly cheaper.
    assert!(b < a, "{hired}");
    for h in hired["hires"].as_array().unwrap() {
        assert_eq!(h["role"], "backend");
        assert!(h["count"].as_u64().unwrap() >= 1);
        assert!(h["start"].as_str().unwrap() > "2025-09-01");
    }
    // The bound is a bound: no plan found costs less than it.
    assert!(hired["lower_bound_person_days"].as_f64().unwrap() <= b + 1e-6);
    assert_eq!(hired["all_met"], true);
    assert_schedule_meets_the_dates(model, &fixed);
    assert_schedule_meets_the_dates(model, &hired);
}

#[test]
fn confidence_never_returns_a_team_smaller_than_the_deterministic_answer() {
    // A tighter due date than the model file's, so that the likely schedule has little slack.
    let dir = tempfile::tempdir().unwrap();
    let tight = dir.path().join("tight.toml");
    let text = std::fs::read_to_string("tests/data/late-ramp.toml")
        .unwrap()
        .replace("due = 2025-11-28", "due = 2025-11-21");
    std::fs::write(&tight, text).unwrap();
    let model = tight.to_str().unwrap();
    let base = staff_late_ramp(model, &[]);
    for p in ["0.5", "0.9"] {
        let v = staff_late_ramp(model, &["--confidence", p, "--iterations", "400"]);
        for ((role, n), (_, d)) in headcounts(&v).into_iter().zip(headcounts(&base)) {
            assert!(n >= d, "--confidence {p}: {role} {n} < deterministic {d}");
        }
        let p: f64 = p.parse().unwrap();
        let given_up: Vec<&str> = v["blocked"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|b| b["id"].as_str())
            .collect();
        for m in v["milestones"].as_array().unwrap() {
            let chance = m["probability_on_time"].as_f64().unwrap();
            assert!(
                chance >= p || given_up.contains(&m["id"].as_str().unwrap()),
                "{m}"
            );
        }
        assert_schedule_meets_the_dates(model, &v);
    }
}

#[test]
fn staff_answers_pass_the_scheduler_check() {
    for extra in [&[][..], &["--hires"][..]] {
        let mut args = vec![
            "staff",
            "--model",
            "tests/data/team.toml",
            "--scenario",
            "tests/data/team-2.toml",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let v = json(&args);
        assert_schedule_meets_the_dates("tests/data/team.toml", &v);
    }
}

#[test]
fn a_cap_the_energy_check_rules_out_is_reported_as_such() {
    // `plan feasibility` proves M-2026-01 impossible with 2 QA (an overloaded QA window);
    // `staff --max qa=2` must say so too rather than chase it.
    let v = json(&[
        "staff",
        "--max",
        "qa=2",
        "--schedules",
        "300",
        "--format",
        "json",
    ]);
    let reason = v["blocked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "M-2026-01")
        .map(|b| b["reason"].as_str().unwrap().to_string())
        .expect("M-2026-01 is blocked");
    assert!(reason.contains("above the cap of 2"), "{reason}");
    assert!(reason.contains("qa work"), "{reason}");
}

#[test]
fn a_confidence_outside_zero_to_one_is_rejected_with_exit_2() {
    for bad in ["1.5", "0", "1", "-0.2", "NaN"] {
        let flag = format!("--confidence={bad}");
        let (_, err, code) = plan(&["staff", &flag]);
        assert_eq!(code, 2, "--confidence {bad}: {err}");
        assert!(err.contains("strictly between 0 and 1"), "{err}");
    }
    let (_, err, code) = plan(&["staff", "--confidence", "0.8", "--iterations", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--iterations 0"), "{err}");
}

/// `plan staff` on the seed with a small budget on `threads` threads, as JSON.
fn staff_seed_on(threads: &str) -> Value {
    json(&[
        "staff",
        "--scenario",
        "scenarios/seed-low.toml",
        "--schedules",
        "500",
        "--seed",
        "7",
        "--threads",
        threads,
        "--format",
        "json",
    ])
}

#[test]
fn staff_gives_the_same_answer_on_1_and_16_threads_with_a_readable_gap() {
    let one = staff_seed_on("1");
    let many = staff_seed_on("16");
    assert_eq!(one, many, "same seed and budget, different thread counts");
    let people: u64 = one["team"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    let proven = one["proven_min_people"].as_u64().unwrap();
    let floor: u64 = one["lower_bound_team"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert!(floor <= proven && proven <= people, "{one}");
    assert_eq!(one["gap"].as_u64().unwrap(), people - proven);
    let proof = one["headcount_proof"].as_str().unwrap();
    assert!(
        proof.contains(&format!("no team under {proven} people")),
        "{proof}"
    );
}

#[test]
fn staff_says_how_close_each_unreachable_milestone_gets() {
    let v = staff_seed_on("2");
    let blocked: Vec<&str> = v["blocked"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert!(blocked.contains(&"M-2025-12"), "{v}");
    for m in v["milestones"].as_array().unwrap() {
        let unreachable = blocked.contains(&m["id"].as_str().unwrap());
        assert_eq!(m["dependency_only_date"].is_string(), unreachable, "{m}");
        if unreachable {
            // No schedule reaches a milestone before its dependency chain allows.
            assert!(m["after_dependency_only"].as_i64().unwrap() >= 0, "{m}");
            assert!(m["finish_date"].as_str() >= m["dependency_only_date"].as_str());
        }
    }
    if let Some(late) = v.get("late_team") {
        let people = |t: &Value| -> u64 {
            t.as_object()
                .unwrap()
                .values()
                .map(|n| n.as_u64().unwrap())
                .sum()
        };
        assert!(
            late["people"].as_u64().unwrap() > people(&v["team"]),
            "{late}"
        );
        assert_eq!(late["people"].as_u64().unwrap(), people(&late["team"]));
        for m in late["milestones"].as_array().unwrap() {
            assert!(blocked.contains(&m["id"].as_str().unwrap()), "{m}");
            assert!(m["after_dependency_only"].as_i64().unwrap() >= 0, "{m}");
        }
    }
    let (table, _, code) = plan(&[
        "staff",
        "--scenario",
        "scenarios/seed-low.toml",
        "--schedules",
        "500",
    ]);
    assert_eq!(code, 0);
    assert!(
        table.contains("M-2025-12 cannot be met; earliest with this team"),
        "{table}"
    );
    assert!(table.contains("proven minimum:"), "{table}");
    assert!(table.contains("One person fewer:"), "{table}");
}

/// Every role's removal from the team found is reported once, with a reason a user can
/// check: at the role's proven minimum exactly when the team has that many, else a proof or
/// the milestone the smaller team's best schedule misses and by how much.
#[test]
fn staff_says_why_each_removal_from_the_team_found_fails() {
    let v = staff_seed_on("2");
    let removals = v["removals"].as_array().unwrap();
    let team = v["team"].as_object().unwrap();
    assert_eq!(removals.len(), team.len(), "{v}");
    for r in removals {
        let role = r["role"].as_str().unwrap();
        let people = team[role].as_u64().unwrap();
        let minimum = v["lower_bound_team"][role].as_u64().unwrap();
        match r["outcome"].as_str().unwrap() {
            "at_minimum" => assert_eq!(people, minimum, "{r}"),
            "refuted" => assert!(r["reason"].as_str().unwrap().contains("proven impossible")),
            "missed" => {
                assert!(people > minimum, "{r}");
                assert!(r["late_days"].as_u64().unwrap() > 0, "{r}");
                let id = r["milestone"].as_str().unwrap();
                let due = v["milestones"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|m| m["id"] == id)
                    .unwrap();
                assert!(due["due"].is_string(), "a dated milestone: {due}");
            }
            other => panic!("unknown outcome {other}: {r}"),
        }
    }
}
