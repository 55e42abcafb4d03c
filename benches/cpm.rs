//! Graph build + CPM on random DAGs of 10k, 100k and 1M tasks, about 3 predecessors each;
//! and a model's CPM pass on one calendar and on role and task calendars (10k and 100k tasks).
//! Run: `cargo bench --bench cpm`.

use plan::cpm::{analyze, analyze_program};
use plan::graph::TaskGraph;
use plan::model::{parse_model, EstimateChoice, Program};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::fmt::Write;
use std::path::Path;

fn main() {
    divan::main();
}

/// Each task i > 0 gets up to 3 predecessors among the 1,000 tasks before it.
fn random_dag(n: usize) -> (Vec<f64>, Vec<(usize, usize, f64)>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let durations = (0..n).map(|_| rng.random_range(1..20) as f64).collect();
    let mut edges = Vec::with_capacity(3 * n);
    for i in 1..n {
        for _ in 0..3 {
            let back = rng.random_range(1..=i.min(1000));
            edges.push((i - back, i, if rng.random_bool(0.1) { 2.0 } else { 0.0 }));
        }
    }
    (durations, edges)
}

#[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 5)]
fn build_and_cpm(bencher: divan::Bencher, n: usize) {
    let (durations, edges) = random_dag(n);
    bencher.bench(|| {
        let g = TaskGraph::new(n, &edges).expect("acyclic");
        analyze(&g, &durations).duration
    });
}

/// A model of `n` tasks, each after up to 3 of the 50 before it (FS, no lag), one in three on
/// the qa role; with `calendars`, qa works Sunday to Thursday with a holiday and one task in
/// ten runs on a 7-day calendar, so the pass counts each task's own working days.
fn model_text(n: usize, calendars: bool) -> String {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(13);
    let mut text = String::from(
        "[project]\nname = \"bench\"\nstart = 2025-09-15\n[calendar]\nholidays = [2025-12-25]\n",
    );
    if calendars {
        text.push_str(
            "[calendars.offshore]\nworkdays = [\"sun\", \"mon\", \"tue\", \"wed\", \"thu\"]\n\
             holidays = [2026-04-06]\n[calendars.7x24]\n\
             workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n",
        );
    }
    text.push_str("[roles.dev]\n[roles.qa]\n");
    if calendars {
        text.push_str("calendar = \"offshore\"\n");
    }
    for i in 0..n {
        let role = if i % 3 == 0 { "qa" } else { "dev" };
        let _ = write!(
            text,
            "[[task]]\nid = \"T{i}\"\nduration = {}\ndemand = {{ {role} = 1 }}\n",
            rng.random_range(1..10)
        );
        if calendars && i % 10 == 5 {
            text.push_str("calendar = \"7x24\"\n");
        }
        if i > 0 {
            let preds: std::collections::BTreeSet<String> = (0..rng.random_range(1..=3))
                .map(|_| format!("\"T{}\"", i - rng.random_range(1..=i.min(50))))
                .collect();
            let preds: Vec<String> = preds.into_iter().collect();
            let _ = writeln!(text, "after = [{}]", preds.join(", "));
        }
    }
    text
}

fn program(n: usize, calendars: bool) -> Program {
    let text = model_text(n, calendars);
    let model = parse_model(&text, Path::new("bench.toml")).expect("valid model");
    Program::new(model).expect("valid program")
}

/// The model's CPM pass (graph built already) on one calendar for all: the plain pass.
#[divan::bench(args = [10_000, 100_000], sample_count = 5)]
fn model_cpm_one_calendar(bencher: divan::Bencher, n: usize) {
    let program = program(n, false);
    bencher.bench(|| {
        analyze_program(&program, EstimateChoice::Likely)
            .cpm
            .duration
    });
}

/// The same network with a role calendar and task calendars: the calendar pass.
#[divan::bench(args = [10_000, 100_000], sample_count = 5)]
fn model_cpm_calendars(bencher: divan::Bencher, n: usize) {
    let program = program(n, true);
    assert!(program.model.uses_calendars());
    bencher.bench(|| {
        analyze_program(&program, EstimateChoice::Likely)
            .cpm
            .duration
    });
}
