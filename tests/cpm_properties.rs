//! Properties of the critical-path pass on random DAGs.

use plan::cpm::{analyze, EPS};
use plan::graph::TaskGraph;
use proptest::prelude::*;

/// A random DAG: edges only go from a lower to a higher index, so it is acyclic by construction.
fn dag() -> impl Strategy<Value = (Vec<f64>, Vec<(usize, usize, f64)>)> {
    (2usize..40).prop_flat_map(|n| {
        let durations = prop::collection::vec(prop_oneof![Just(0.0), 0.5f64..20.0], n);
        let edges =
            prop::collection::vec((0..n, 0..n, prop_oneof![Just(0.0), 0.0f64..5.0]), 0..3 * n)
                .prop_map(|es| {
                    es.into_iter()
                        .filter(|(a, b, _)| a != b)
                        .map(|(a, b, lag)| (a.min(b), a.max(b), lag))
                        .collect::<Vec<_>>()
                });
        (durations, edges)
    })
}

proptest! {
    #[test]
    fn floats_are_never_negative((durations, edges) in dag()) {
        let g = TaskGraph::new(durations.len(), &edges).unwrap();
        let cpm = analyze(&g, &durations);
        for i in 0..durations.len() {
            prop_assert!(cpm.total_float[i] >= 0.0);
            prop_assert!(cpm.free_float[i] >= 0.0);
            prop_assert!(cpm.free_float[i] <= cpm.total_float[i] + EPS);
        }
    }

    #[test]
    fn successors_start_after_predecessors_finish_plus_lag((durations, edges) in dag()) {
        let g = TaskGraph::new(durations.len(), &edges).unwrap();
        let cpm = analyze(&g, &durations);
        for &(a, b, lag) in &edges {
            prop_assert!(cpm.early_start[b] + EPS >= cpm.early_finish[a] + lag);
            prop_assert!(cpm.late_start[b] + EPS >= cpm.late_finish[a] + lag);
        }
    }

    #[test]
    fn the_critical_path_runs_from_the_start_to_the_finish_through_zero_float((durations, edges) in dag()) {
        let g = TaskGraph::new(durations.len(), &edges).unwrap();
        let cpm = analyze(&g, &durations);
        let path = &cpm.critical_path;
        prop_assert!(!path.is_empty());
        prop_assert!(cpm.early_start[path[0]].abs() <= EPS);
        prop_assert!((cpm.early_finish[*path.last().unwrap()] - cpm.duration).abs() <= EPS);
        for &i in path {
            prop_assert!(cpm.total_float[i] <= EPS);
        }
        // Consecutive entries are linked by a driving link: the successor starts exactly at the
        // predecessor's finish plus that link's lag.
        let driving_lag = |a: usize, b: usize| {
            g.succs(a)
                .iter()
                .find(|&&(s, lag)| s == b && (cpm.early_finish[a] + lag - cpm.early_start[b]).abs() <= EPS)
                .map(|&(_, lag)| lag)
        };
        for w in path.windows(2) {
            prop_assert!(driving_lag(w[0], w[1]).is_some(), "each link drives the next");
        }
        // The path's length adds up to the project duration.
        let along: f64 = path.iter().map(|&i| durations[i]).sum::<f64>()
            + path.windows(2).map(|w| driving_lag(w[0], w[1]).unwrap()).sum::<f64>();
        prop_assert!((along - cpm.duration).abs() <= 1e-6);
    }

    #[test]
    fn removing_a_dependency_never_lengthens_the_project((durations, edges) in dag(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!edges.is_empty());
        let g = TaskGraph::new(durations.len(), &edges).unwrap();
        let before = analyze(&g, &durations).duration;
        let mut fewer = edges.clone();
        fewer.remove(pick.index(edges.len()));
        let g2 = TaskGraph::new(durations.len(), &fewer).unwrap();
        prop_assert!(analyze(&g2, &durations).duration <= before + EPS);
    }
}
