//! Capacity-bound benchmarks on the built-in FANZ model with the seed's low team:
//! one capacity LP with every due date, every milestone's bound date, and `plan staff`.
//! Run: `cargo bench --bench bounds`.

use plan::bounds::{staff, Bucket, CapacityBound};
use plan::model::{builtin_model, parse_scenario, EstimateChoice, Model, Scenario};
use plan::program::{self, ProgramProblem};
use plan::schedule::SearchConfig;
use std::path::Path;

fn main() {
    divan::main();
}

fn fanz() -> (Model, Scenario, ProgramProblem) {
    let model = builtin_model();
    let scenario = parse_scenario(
        plan::model::BUILTIN_SCENARIO,
        Path::new("seed-low.toml"),
        &model,
    )
    .unwrap();
    let pp = program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
    (model, scenario, pp)
}

/// The capacity LP (all five roles) with every milestone at its due date.
#[divan::bench(args = [Bucket::Week, Bucket::Day], sample_count = 10)]
fn fanz_capacity_lp(bencher: divan::Bencher, bucket: Bucket) {
    let (model, _, pp) = fanz();
    let bound = CapacityBound::new(&model, &pp, &pp.capacity, bucket);
    let deadlines: Vec<(usize, u32)> = bound
        .milestone_nodes
        .iter()
        .zip(&bound.deadlines)
        .filter_map(|(&n, d)| d.map(|d| (n, d)))
        .collect();
    let w = bound.windows(&deadlines);
    bencher.bench(|| {
        (0..bound.roles.len())
            .map(|r| plan::bounds::solver::solve(&bound.role_lp(&w, r), 20.0))
            .collect::<Vec<_>>()
    });
}

/// Every milestone's bound date by bisection (what `plan feasibility` adds to the schedule).
#[divan::bench(sample_count = 5)]
fn fanz_bound_dates(bencher: divan::Bencher) {
    let (model, _, pp) = fanz();
    let bound = CapacityBound::new(&model, &pp, &pp.capacity, Bucket::Week);
    bencher.bench(|| {
        (0..bound.milestone_nodes.len())
            .map(|m| bound.earliest(m, None).unwrap())
            .collect::<Vec<_>>()
    });
}

/// `plan staff` with the default search budget.
#[divan::bench(sample_count = 3)]
fn fanz_staff(bencher: divan::Bencher) {
    let (model, scenario, _) = fanz();
    let caps = vec![None; model.roles.len()];
    let config = SearchConfig {
        schedules: 5000,
        seed: 1,
        ..SearchConfig::default()
    };
    bencher.bench(|| {
        staff::staff(
            &model,
            &scenario,
            EstimateChoice::Likely,
            Bucket::Week,
            &caps,
            &config,
        )
        .unwrap()
        .team
    });
}
