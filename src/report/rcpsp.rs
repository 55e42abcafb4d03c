//! `plan rcpsp`'s output: one instance's schedule and bounds, or a benchmark's summary, as
//! a table or JSON. The per-instance CSV is the rows of [`BenchReport`] serialised as they are.

use crate::schedule::bench::BenchReport;
use crate::schedule::SearchResult;
use std::fmt::Write as _;

/// One instance's result as `plan rcpsp FILE --format json` prints it.
pub fn solution_json(result: &SearchResult) -> serde_json::Value {
    serde_json::json!({
        "makespan": result.makespan,
        "lower_bound": result.lower_bound,
        "schedules": result.schedules,
        "critical_path_bound": result.critical_path_bound,
        "lower_bound_kind": result.lower_bound_kind,
        "lower_bound_resource": result.lower_bound_resource.map(|k| format!("R{}", k + 1)),
        "optimal": result.optimal,
        "starts": result.schedule.starts,
    })
}

/// One instance's result as `plan rcpsp FILE` prints it: the makespan, the bounds and each
/// job's start.
pub fn solution_table(result: &SearchResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "makespan     {}", result.makespan);
    let basis = match result.lower_bound_resource {
        Some(k) => format!("work of resource R{}", k + 1),
        None => "critical path".to_string(),
    };
    let _ = writeln!(out, "lower bound  {} ({basis})", result.lower_bound);
    let _ = writeln!(out, "critical path {}", result.critical_path_bound);
    if result.optimal {
        let _ = writeln!(out, "optimal: equals the lower bound");
    }
    let _ = writeln!(out, "schedules    {}", result.schedules);
    let _ = writeln!(out);
    let _ = writeln!(out, "{:>5}  {:>5}", "job", "start");
    for (j, start) in result.schedule.starts.iter().enumerate() {
        let _ = writeln!(out, "{:>5}  {:>5}", j + 1, start);
    }
    out
}

/// A benchmark's summary as `plan rcpsp --bench DIR --format json` prints it, `budget` being
/// the schedules per instance.
pub fn summary_json(report: &BenchReport, budget: u64) -> serde_json::Value {
    serde_json::json!({
        "instances": report.instances.len(),
        "schedules_per_instance": budget,
        "deviation_basis": report.basis,
        "average_deviation_percent": report.average_deviation,
        "share_at_best": report.share_at_best,
        "average_seconds": report.average_seconds,
        "total_seconds": report.total_seconds,
    })
}

/// A benchmark's summary as `plan rcpsp --bench DIR` prints it, `budget` being the schedules
/// per instance.
pub fn summary_table(report: &BenchReport, budget: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "instances                {}", report.instances.len());
    let _ = writeln!(out, "schedules per instance   {budget}");
    let _ = writeln!(
        out,
        "average deviation        {:.2}% above the {}",
        report.average_deviation,
        report.basis.describe()
    );
    let _ = writeln!(
        out,
        "at optimum / best known  {:.1}%",
        100.0 * report.share_at_best
    );
    let _ = writeln!(
        out,
        "time per instance        {:.3} s",
        report.average_seconds
    );
    let _ = writeln!(
        out,
        "total time               {:.1} s",
        report.total_seconds
    );
    out
}
