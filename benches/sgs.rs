//! Schedules per second of the serial SGS (plain and with justification)
//! on a j30 and a j120 PSPLIB instance kept under tests/data.

use plan::schedule::psplib::parse_sm;
use plan::schedule::{Problem, Sgs};
use std::path::Path;

fn main() {
    divan::main();
}

const INSTANCES: &[&str] = &["j301_1.sm", "j1201_1.sm"];

/// The SGS, a feasible list (the topological order) and the single modes.
fn setup(name: &str) -> (Sgs, Vec<usize>, Vec<usize>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/psplib")
        .join(name);
    let text = std::fs::read_to_string(path).expect("bench instance is readable");
    let problem: Problem = parse_sm(&text).expect("bench instance parses");
    let order = problem.topological_order().expect("acyclic");
    let modes = vec![0; problem.activities.len()];
    (Sgs::new(&problem).expect("valid problem"), order, modes)
}

#[divan::bench(args = INSTANCES)]
fn serial_forward(bencher: divan::Bencher, name: &str) {
    let (mut sgs, order, modes) = setup(name);
    let list = sgs.check_list(order, modes).expect("feasible list");
    let mut starts = Vec::new();
    bencher
        .counter(divan::counter::ItemsCount::new(1usize))
        .bench_local(|| sgs.forward(divan::black_box(&list), &mut starts));
}

/// Forward pass plus backward and forward justification: three schedules.
#[divan::bench(args = INSTANCES)]
fn serial_justified(bencher: divan::Bencher, name: &str) {
    let (mut sgs, order, modes) = setup(name);
    bencher
        .counter(divan::counter::ItemsCount::new(3usize))
        .bench_local(|| sgs.schedule_justified(divan::black_box(&order), &modes));
}

/// The forward pass that also records every activity's driver: what the search pays once, on
/// its winning list.
#[divan::bench(args = INSTANCES)]
fn serial_forward_with_drivers(bencher: divan::Bencher, name: &str) {
    let (mut sgs, order, modes) = setup(name);
    bencher
        .counter(divan::counter::ItemsCount::new(1usize))
        .bench_local(|| sgs.schedule_with_drivers(divan::black_box(&order), &modes));
}
