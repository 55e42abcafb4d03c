//! Graph build + CPM on random DAGs of 10k, 100k and 1M tasks, about 3 predecessors each.
//! Run: `cargo bench --bench cpm`.

use plan::cpm::analyze;
use plan::graph::TaskGraph;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

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
