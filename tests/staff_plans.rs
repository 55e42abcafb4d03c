//! Library tests of `plan::bounds::staff::staff_with`: hires, confidence, and that every plan
//! returned has a schedule that passes the independent checker and meets its dates.

use plan::bounds::staff::{staff_with, Confidence, StaffOptions, Staffing};
use plan::bounds::Bucket;
use plan::model::{parse_model, parse_scenario, EstimateChoice, Model, Scenario};
use plan::schedule::{check, SearchConfig};
use std::path::Path;

fn late_ramp() -> (Model, Scenario) {
    let text = std::fs::read_to_string("tests/data/late-ramp.toml").unwrap();
    let model = parse_model(&text, Path::new("late-ramp.toml")).expect("valid model");
    let team = std::fs::read_to_string("tests/data/late-ramp-team.toml").unwrap();
    let scenario = parse_scenario(&team, Path::new("team.toml"), &model).expect("valid scenario");
    (model, scenario)
}

fn run(model: &Model, scenario: &Scenario, options: &StaffOptions) -> Staffing {
    let config = SearchConfig {
        schedules: 1000,
        ..SearchConfig::default()
    };
    staff_with(
        model,
        scenario,
        EstimateChoice::Likely,
        Bucket::Week,
        &config,
        options,
    )
    .expect("staffed")
}

/// The plan's schedule passes the checker and meets every date not given up on.
fn assert_checked_and_on_time(s: &Staffing) {
    assert!(check(&s.problem.problem, &s.schedule).is_empty());
    let finishes = s.problem.milestone_finishes(&s.schedule);
    for (m, d) in s.problem.deadlines.iter().enumerate() {
        let given_up = s.blocked.iter().any(|(b, _)| *b == Some(m));
        if let (Some(d), false) = (d, given_up) {
            assert!(
                finishes[m] <= *d,
                "milestone {m} late: {} > {d}",
                finishes[m]
            );
        }
    }
}

#[test]
fn hiring_later_is_cheaper_than_a_full_team_from_day_one_and_stays_above_its_bound() {
    let (model, scenario) = late_ramp();
    let caps = vec![None; model.roles.len()];
    let fixed = run(
        &model,
        &scenario,
        &StaffOptions {
            caps: caps.clone(),
            ..StaffOptions::default()
        },
    );
    let hired = run(
        &model,
        &scenario,
        &StaffOptions {
            caps,
            hires: true,
            confidence: None,
        },
    );
    assert!(fixed.hires.is_empty());
    assert!(!hired.hires.is_empty());
    assert!(hired.person_days < fixed.person_days);
    let bound = hired
        .lower_bound_person_days
        .expect("no costs: person-days");
    assert!(bound <= hired.person_days + 1e-6);
    assert_checked_and_on_time(&fixed);
    assert_checked_and_on_time(&hired);
}

#[test]
fn confidence_only_adds_people_and_reports_every_dated_chance() {
    let (model, scenario) = late_ramp();
    let caps = vec![None; model.roles.len()];
    let base = run(
        &model,
        &scenario,
        &StaffOptions {
            caps: caps.clone(),
            ..StaffOptions::default()
        },
    );
    let confident = run(
        &model,
        &scenario,
        &StaffOptions {
            caps,
            hires: false,
            confidence: Some(Confidence {
                probability: 0.95,
                iterations: 300,
            }),
        },
    );
    for (a, b) in confident.team.iter().zip(&base.team) {
        assert!(a >= b);
    }
    let chances = confident.on_time.as_ref().expect("simulated");
    assert_eq!(chances.len(), model.milestones.len());
    for (m, c) in chances.iter().enumerate() {
        let given_up = confident.blocked.iter().any(|(b, _)| *b == Some(m));
        assert!(given_up || c.is_some_and(|c| c >= 0.95), "{m}: {c:?}");
    }
    assert_checked_and_on_time(&confident);
}
