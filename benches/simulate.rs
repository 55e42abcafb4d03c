//! Monte Carlo speed: precedence-only 10,000 iterations of a 1,000-task random network,
//! resource-constrained 10,000 iterations of the FANZ model with seed-low (including the one
//! deterministic schedule search that fixes the activity list), and 1,000,000 precedence-only
//! iterations of the FANZ model, and the sensitivity pass alone (Spearman of 10,000 uncertain
//! tasks' draws with the finish and 10 milestones over 1,000 kept iterations, as a 10k-task
//! model leaves them). Run: `cargo bench --bench simulate` (all cores).

use plan::model::scenario::Distribution;
use plan::model::{builtin_model, parse_model, parse_scenario, Model, Scenario};
use plan::simulate::stats::{Accumulator, ChunkOut};
use plan::simulate::{simulate, SimConfig};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::fmt::Write;
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn main() {
    divan::main();
}

/// 1,000 tasks with three-point estimates, each after up to 3 of the 50 tasks before it.
fn random_network(n: usize) -> Model {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    let mut text = String::from("[project]\nname = \"random\"\nstart = 2025-09-15\n");
    for i in 0..n {
        let o = rng.random_range(1..10);
        let m = o + rng.random_range(0..10);
        let p = m + rng.random_range(1..20);
        let _ = write!(
            text,
            "[[task]]\nid = \"T{i}\"\nestimate = [{o}, {m}, {p}]\n"
        );
        if i > 0 {
            let preds: Vec<String> = (0..rng.random_range(1..=3))
                .map(|_| format!("\"T{}\"", i - rng.random_range(1..=i.min(50))))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let _ = writeln!(text, "after = [{}]", preds.join(", "));
        }
    }
    parse_model(&text, Path::new("random.toml")).expect("valid model")
}

fn run(model: &Model, scenario: &Scenario, iterations: u64, resources: bool) -> f64 {
    let config = SimConfig {
        iterations,
        seed: 42,
        distribution: Distribution::Pert,
        correlation: 0.0,
        resources,
    };
    simulate(
        model,
        scenario,
        &config,
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .expect("simulates")
    .finish
    .p80
}

#[divan::bench(sample_count = 10)]
fn precedence_random_1000_tasks_10k(bencher: divan::Bencher) {
    let model = random_network(1000);
    let scenario = Scenario::empty(&model);
    bencher.bench(|| run(&model, &scenario, 10_000, false));
}

#[divan::bench(sample_count = 5)]
fn resources_fanz_seed_low_10k(bencher: divan::Bencher) {
    let model = builtin_model();
    let text = std::fs::read_to_string("scenarios/seed-low.toml").expect("scenario file");
    let scenario = parse_scenario(&text, Path::new("seed-low.toml"), &model).expect("valid");
    bencher.bench(|| run(&model, &scenario, 10_000, true));
}

#[divan::bench(sample_count = 3)]
fn precedence_fanz_1m(bencher: divan::Bencher) {
    let model = builtin_model();
    let scenario = Scenario::empty(&model);
    bencher.bench(|| run(&model, &scenario, 1_000_000, false));
}

/// Draws and finishes of `rows` iterations of `nodes` uncertain tasks and `series` series, the
/// finishes loosely following the draws, merged as the engine merges them.
fn sensitivity_input(nodes: usize, series: usize, rows: usize) -> Accumulator {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let mut acc = Accumulator::new(
        series,
        nodes,
        0,
        0,
        0,
        vec![None; series],
        false,
        rows as u64,
    );
    for _ in 0..rows / 250 {
        let draws: Vec<u16> = (0..250 * nodes).map(|_| rng.random()).collect();
        let values: Vec<f64> = draws
            .chunks(nodes)
            .flat_map(|d| (0..series).map(move |k| f64::from(d[k * 7 % nodes]) + k as f64))
            .collect();
        acc.merge(ChunkOut {
            sums: vec![0.0; series],
            rows: values,
            draws,
            ..ChunkOut::default()
        });
    }
    acc
}

#[divan::bench(sample_count = 5)]
fn sensitivities_10k_tasks_11_series_1k_rows(bencher: divan::Bencher) {
    let acc = sensitivity_input(10_000, 11, 1_000);
    bencher.bench(|| acc.sensitivities().len());
}
