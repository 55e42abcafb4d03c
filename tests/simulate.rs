//! Monte Carlo against answers known in closed form, determinism across thread counts, the
//! seed's scenarios, and bad input. Tolerances are 4 standard errors for the iteration count
//! (fixed seeds, so a pass is reproducible; at 4 SE a correct implementation fails about 1 seed
//! in 16,000).

use crate::common::{json, plan};

use plan::model::scenario::Distribution;
use plan::model::{parse_model, parse_scenario, Model, Scenario};
use plan::simulate::distribution::Sampler;
use plan::simulate::{simulate, SimConfig, SimError, SimResult};
use serde_json::Value;
use std::path::Path;
use std::sync::atomic::AtomicBool;

const N: u64 = 20_000;

fn model(body: &str) -> Model {
    let text = format!(
        "[project]\nname = \"t\"\nstart = 2025-09-15\n[roles.backend]\n[[phase]]\nid = \"P\"\n{body}"
    );
    parse_model(&text, Path::new("t.toml")).unwrap()
}

fn config(distribution: Distribution, resources: bool) -> SimConfig {
    SimConfig {
        iterations: N,
        seed: 7,
        distribution,
        correlation: 0.0,
        resources,
    }
}

fn run(m: &Model, scenario: &Scenario, c: &SimConfig) -> SimResult {
    simulate(m, scenario, c, &AtomicBool::new(false), &mut |_| {}).unwrap()
}

fn precedence(m: &Model, distribution: Distribution) -> SimResult {
    run(m, &Scenario::empty(m), &config(distribution, false))
}

/// Four standard errors of a mean over N iterations of a variable with this variance.
fn tol_mean(variance: f64) -> f64 {
    4.0 * (variance / N as f64).sqrt()
}

/// Four standard errors of an empirical probability near p.
fn tol_prob(p: f64) -> f64 {
    4.0 * (p * (1.0 - p) / N as f64).sqrt()
}

/// Beta(2, 4) distribution function (PERT of [2, 5, 14] standardised).
fn beta24_cdf(x: f64) -> f64 {
    1.0 - (1.0 - x).powi(4) * (1.0 + 4.0 * x)
}

fn triangular_cdf(o: f64, m: f64, p: f64, x: f64) -> f64 {
    if x <= m {
        (x - o).powi(2) / ((p - o) * (m - o))
    } else {
        1.0 - (p - x).powi(2) / ((p - o) * (p - m))
    }
}

#[test]
fn one_pert_task_has_the_pert_mean_and_beta_percentiles() {
    let m = model("[[task]]\nid = \"A\"\nestimate = [2, 5, 14]\n");
    let r = precedence(&m, Distribution::Pert);
    // Beta(2, 4) on [2, 14]: mean 2 + 12/3 = 6 = (2 + 4*5 + 14)/6, variance 144 * 8/(36*7).
    assert!(
        (r.finish.mean - 6.0).abs() < tol_mean(144.0 * 8.0 / 252.0),
        "{}",
        r.finish.mean
    );
    for (p, x) in [
        (0.1, r.finish.p10),
        (0.5, r.finish.p50),
        (0.8, r.finish.p80),
        (0.95, r.finish.p95),
    ] {
        let f = beta24_cdf((x - 2.0) / 12.0);
        assert!((f - p).abs() < tol_prob(p) + 1e-3, "P{p}: F({x}) = {f}");
    }
}

#[test]
fn one_triangular_task_has_the_triangular_mean_and_percentiles() {
    let m = model("[[task]]\nid = \"A\"\nestimate = [0, 4, 10]\n");
    let r = precedence(&m, Distribution::Triangular);
    let variance = (0.0 + 16.0 + 100.0 - 0.0 - 0.0 - 40.0) / 18.0;
    assert!((r.finish.mean - 14.0 / 3.0).abs() < tol_mean(variance));
    for (p, x) in [
        (0.1, r.finish.p10),
        (0.5, r.finish.p50),
        (0.95, r.finish.p95),
    ] {
        let f = triangular_cdf(0.0, 4.0, 10.0, x);
        assert!((f - p).abs() < tol_prob(p) + 1e-3, "P{p}: F({x}) = {f}");
    }
}

#[test]
fn one_lognormal_task_has_the_fitted_mean() {
    let m = model("[[task]]\nid = \"A\"\nestimate = [2, 5, 14]\n");
    let r = precedence(&m, Distribution::Lognormal);
    let Sampler::Lognormal { low, mu, sigma } = Sampler::lognormal(2.0, 5.0, 14.0) else {
        unreachable!()
    };
    let s2 = sigma * sigma;
    let mean = low + (mu + s2 / 2.0).exp();
    let variance = (s2.exp() - 1.0) * (2.0 * mu + s2).exp();
    assert!((r.finish.mean - mean).abs() < tol_mean(variance));
    // The fit puts the pessimistic value at the 95th percentile.
    assert!((r.finish.p95 - 14.0).abs() < 0.5, "{}", r.finish.p95);
}

#[test]
fn a_chain_of_tasks_adds_its_means() {
    let mut body = String::from("[[task]]\nid = \"T0\"\nestimate = [2, 5, 14]\n");
    for i in 1..5 {
        body += &format!(
            "[[task]]\nid = \"T{i}\"\nestimate = [2, 5, 14]\nafter = [\"T{}\"]\n",
            i - 1
        );
    }
    let r = precedence(&model(&body), Distribution::Pert);
    let variance = 5.0 * 144.0 * 8.0 / 252.0;
    assert!(
        (r.finish.mean - 30.0).abs() < tol_mean(variance),
        "{}",
        r.finish.mean
    );
}

#[test]
fn two_parallel_tasks_finish_at_the_max_of_the_two() {
    let m = model(
        "[[task]]\nid = \"A\"\nestimate = [0, 4, 10]\n[[task]]\nid = \"B\"\nestimate = [0, 4, 10]\n",
    );
    let r = precedence(&m, Distribution::Triangular);
    // P(max <= x) = F(x)^2.
    for (p, x) in [
        (0.1, r.finish.p10),
        (0.5, r.finish.p50),
        (0.8, r.finish.p80),
    ] {
        let f = triangular_cdf(0.0, 4.0, 10.0, x).powi(2);
        assert!((f - p).abs() < tol_prob(p) + 1e-3, "P{p}: F({x})^2 = {f}");
    }
}

#[test]
fn a_risk_makes_the_finish_a_mixture() {
    // 10 fixed days, due on day 10; a 30% risk adds 5 days.
    let m = model(
        "[[task]]\nid = \"A\"\nduration = 10\n\
         [[milestone]]\nid = \"M\"\ndue = 2025-09-26\nafter = [\"A\"]\n\
         [[risk]]\nid = \"R\"\nname = \"r\"\nprobability = 0.3\ndelay = 5\ntasks = [\"A\"]\n",
    );
    let r = precedence(&m, Distribution::Pert);
    assert!((r.finish.mean - 11.5).abs() < tol_mean(25.0 * 0.21));
    assert_eq!((r.finish.p50, r.finish.p80), (10.0, 15.0));
    let on_time = r.milestones[0].probability_on_time.unwrap();
    assert!((on_time - 0.7).abs() < tol_prob(0.7), "{on_time}");
    let effect = &r.milestones[0].risk_drivers[0];
    assert!((effect.shift - 5.0).abs() < 1e-9 && (effect.frequency - 0.3).abs() < tol_prob(0.3));
}

#[test]
fn one_person_serialises_two_tasks_and_two_people_run_them_side_by_side() {
    let m = model(
        "[[task]]\nid = \"A\"\nestimate = [2, 5, 14]\ndemand = { backend = 1 }\n\
         [[task]]\nid = \"B\"\nestimate = [2, 5, 14]\ndemand = { backend = 1 }\n",
    );
    let team = |n: u32| {
        parse_scenario(&format!("[team]\nbackend = {n}\n"), Path::new("s.toml"), &m).unwrap()
    };
    let c = config(Distribution::Pert, true);
    let one = run(&m, &team(1), &c);
    // Whole days: each duration is rounded up, so the mean of the sum is a little above 12.
    let variance = 2.0 * 144.0 * 8.0 / 252.0;
    assert!(one.finish.mean > 12.0 && one.finish.mean < 13.0 + tol_mean(variance));
    assert_eq!(one.bottlenecks, vec![("backend".to_string(), 1.0)]);
    let two = run(&m, &team(2), &c);
    assert!(two.finish.mean < one.finish.mean - 4.0);
    assert_eq!(two.bottlenecks, vec![("backend".to_string(), 0.0)]);
}

#[test]
fn correlation_within_a_phase_widens_the_spread() {
    let mut body = String::new();
    for i in 0..10 {
        let after = if i == 0 {
            String::new()
        } else {
            format!("after = [\"T{}\"]\n", i - 1)
        };
        body += &format!("[[task]]\nid = \"T{i}\"\nphase = \"P\"\nestimate = [2, 5, 14]\n{after}");
    }
    let m = model(&body);
    let mut c = config(Distribution::Pert, false);
    let independent = run(&m, &Scenario::empty(&m), &c);
    c.correlation = 0.8;
    let correlated = run(&m, &Scenario::empty(&m), &c);
    let spread = |r: &SimResult| r.finish.p95 - r.finish.p10;
    assert!(spread(&correlated) > 1.8 * spread(&independent));
    // The marginals do not change, so neither does the mean (60).
    assert!((correlated.finish.mean - 60.0).abs() < 0.5);
}

#[test]
fn a_cancelled_run_returns_no_result() {
    let m = model("[[task]]\nid = \"A\"\nestimate = [2, 5, 14]\n");
    let out = simulate(
        &m,
        &Scenario::empty(&m),
        &config(Distribution::Pert, false),
        &AtomicBool::new(true),
        &mut |_| {},
    );
    assert!(matches!(out, Err(SimError::Cancelled)));
}

#[test]
fn the_same_json_on_one_two_and_sixteen_threads() {
    for extra in [
        &[][..],
        &["--no-resources"][..],
        &["--no-resources", "--correlation", "0.5"][..],
    ] {
        let run = |threads: &str| {
            let mut args = vec![
                "simulate",
                "--iterations",
                "3000",
                "--format",
                "json",
                "--threads",
                threads,
            ];
            args.extend_from_slice(extra);
            let (out, err, code) = plan(&args);
            assert_eq!(code, 0, "{err}");
            out
        };
        let one = run("1");
        assert_eq!(one, run("2"), "{extra:?}");
        assert_eq!(one, run("16"), "{extra:?}");
    }
}

#[test]
fn json_has_the_contract_fields() {
    let (out, err, code) = plan(&[
        "simulate",
        "--scenario",
        "scenarios/seed-low.toml",
        "--scenario",
        "scenarios/seed-high.toml",
        "--iterations",
        "500",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let scenarios = v["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 2);
    let s = &scenarios[0];
    for key in [
        "scenario",
        "iterations",
        "seed",
        "finish",
        "milestones",
        "criticality",
        "sensitivity",
        "bottlenecks",
    ] {
        assert!(s.get(key).is_some(), "{key}");
    }
    for key in ["mean", "p10", "p50", "p80", "p95"] {
        assert!(s["finish"][key].is_number(), "finish.{key}");
    }
    let m = &s["milestones"][0];
    for key in [
        "id",
        "due",
        "p10",
        "p50",
        "p80",
        "p95",
        "p50_date",
        "p80_date",
        "p95_date",
        "probability_on_time",
    ] {
        assert!(m.get(key).is_some(), "milestones.{key}");
    }
    assert!(s["criticality"][0].get("index").is_some());
    assert!(s["sensitivity"][0].get("spearman").is_some());
    assert!(s["bottlenecks"][0].get("share").is_some());
    assert_eq!(s["iterations"], 500);
    assert_eq!(s["seed"], 42);
}

fn chances(scenario: &str) -> Vec<(String, f64, f64)> {
    let (out, err, code) = plan(&[
        "simulate",
        "--scenario",
        scenario,
        "--iterations",
        "4000",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    v["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                m["probability_on_time"].as_f64().unwrap(),
                m["p50"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_high_end_team_gives_no_milestone_a_lower_chance() {
    let low = chances("scenarios/seed-low.toml");
    let high = chances("scenarios/seed-high.toml");
    for ((id, p_low, p50_low), (_, p_high, p50_high)) in low.iter().zip(&high) {
        assert!(p_high >= p_low, "{id}: high {p_high} < low {p_low}");
        assert!(
            p50_high <= p50_low,
            "{id}: P50 high {p50_high} > low {p50_low}"
        );
    }
}

#[test]
fn forecast_states_its_rule_and_a_status_per_milestone() {
    let (out, err, code) = plan(&["forecast", "--iterations", "1000"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Status rule: on track if P(on time) >= 80%"),
        "{out}"
    );
    assert!(out.contains("M-2026-03"));
    let (out, _, code) = plan(&["forecast", "--iterations", "1000", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    for m in v["milestones"].as_array().unwrap() {
        let status = m["status"].as_str().unwrap();
        assert!(
            ["on track", "at risk", "late"].contains(&status),
            "{status}"
        );
    }
}

#[test]
fn bad_settings_are_rejected_with_exit_2() {
    for args in [
        &["simulate", "--iterations", "0"][..],
        &["simulate", "--iterations", "-5"],
        &["simulate", "--iterations", "99999999999999"],
        &["simulate", "--correlation", "1.5"],
        &["simulate", "--correlation", "-0.1"],
        &["simulate", "--distribution", "gaussian"],
        &["simulate", "--threads", "0"],
        &["forecast", "--confidence", "0"],
        &["forecast", "--confidence", "1.2"],
        &["simulate", "--model", "tests/data/team.toml"],
    ] {
        let (out, err, code) = plan(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty() && !err.is_empty(), "{args:?}");
    }
}

/// The Monte Carlo works effort at the crew's availability as the schedule does: with one
/// half-time developer the 10 person-days take 20 working days and the fixed review 2 after
/// the full-time hire of 13 October, in every iteration (the estimates are single numbers).
#[test]
fn a_half_time_developer_takes_twice_as_long_in_every_iteration() {
    let v = json(&[
        "simulate",
        "--model",
        "tests/data/part-time.toml",
        "--scenario",
        "tests/data/part-time-half.toml",
        "--iterations",
        "200",
        "--format",
        "json",
    ]);
    assert_eq!(
        (v["finish"]["p10"].clone(), v["finish"]["p95"].clone()),
        (22.0.into(), 22.0.into())
    );
    assert_eq!(v["milestones"][0]["p50_date"], "2025-10-14");
}
