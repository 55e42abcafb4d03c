//! End-to-end tests of the capacity bound's commands: `feasibility` verdicts with
//! certificates, `feasibility --marginal`, and `staff`, including bad input.

mod common;
use common::{json, plan};

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
