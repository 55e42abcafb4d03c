//! Renders Monte Carlo results: `plan simulate` (one or several scenarios side by side) and
//! `plan forecast` (status per milestone with its rule, and the drivers of those at risk).

use super::{fit, round, Format};
use crate::simulate::stats::Percentiles;
use crate::simulate::{MilestoneResult, SimResult};
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt::Write;

/// Rows shown in table lists (criticality, sensitivity).
const TOP: usize = 10;
/// Drivers shown per milestone at risk.
const TOP_DRIVERS: usize = 3;
/// Below this chance of being on time a milestone is late.
pub const LATE_BELOW: f64 = 0.2;

/// `plan simulate` output for one or more scenarios.
pub fn render(results: &[SimResult], format: Format) -> String {
    match format {
        Format::Json if results.len() == 1 => pretty(&result_json(&results[0])),
        Format::Json => pretty(&Scenarios {
            scenarios: results.iter().map(result_json).collect(),
        }),
        Format::Csv => csv(results),
        Format::Table => table(results),
        // For a status page: the aligned table as a preformatted block.
        Format::Markdown => format!("```text\n{}```\n", table(results)),
    }
}

/// Several scenarios in JSON.
#[derive(Serialize)]
struct Scenarios<'a> {
    scenarios: Vec<ResultJson<'a>>,
}

fn pretty(v: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialise");
    s.push('\n');
    s
}

/// `finish` in JSON.
#[derive(Serialize)]
struct FinishJson {
    mean: f64,
    p10: f64,
    p50: f64,
    p80: f64,
    p95: f64,
}

/// One milestone in JSON.
#[derive(Serialize)]
struct MilestoneJson<'a> {
    id: &'a str,
    due: Option<String>,
    p10: f64,
    p50: f64,
    p80: f64,
    p95: f64,
    p50_date: String,
    p80_date: String,
    p95_date: String,
    probability_on_time: Option<f64>,
}

#[derive(Serialize)]
struct IndexJson<'a> {
    id: &'a str,
    index: f64,
}

#[derive(Serialize)]
struct SpearmanJson<'a> {
    id: &'a str,
    spearman: f64,
}

#[derive(Serialize)]
struct ShareJson<'a> {
    role: &'a str,
    share: f64,
}

/// One scenario's result in JSON: field names and order are the contract of issue 5.
#[derive(Serialize)]
struct ResultJson<'a> {
    scenario: &'a str,
    iterations: u64,
    seed: u64,
    finish: FinishJson,
    milestones: Vec<MilestoneJson<'a>>,
    criticality: Vec<IndexJson<'a>>,
    sensitivity: Vec<SpearmanJson<'a>>,
    bottlenecks: Vec<ShareJson<'a>>,
}

fn result_json(r: &SimResult) -> ResultJson<'_> {
    let f = &r.finish;
    ResultJson {
        scenario: &r.scenario,
        iterations: r.iterations,
        seed: r.seed,
        finish: FinishJson {
            mean: round(f.mean),
            p10: round(f.p10),
            p50: round(f.p50),
            p80: round(f.p80),
            p95: round(f.p95),
        },
        milestones: r
            .milestones
            .iter()
            .map(|m| MilestoneJson {
                id: &m.id,
                due: m.due.map(|d| d.to_string()),
                p10: round(m.summary.p10),
                p50: round(m.summary.p50),
                p80: round(m.summary.p80),
                p95: round(m.summary.p95),
                p50_date: m.dates[0].to_string(),
                p80_date: m.dates[1].to_string(),
                p95_date: m.dates[2].to_string(),
                probability_on_time: m.probability_on_time.map(round),
            })
            .collect(),
        criticality: r
            .criticality
            .iter()
            .map(|t| IndexJson {
                id: &t.id,
                index: round(t.value),
            })
            .collect(),
        sensitivity: r
            .sensitivity
            .iter()
            .map(|t| SpearmanJson {
                id: &t.id,
                spearman: round(t.value),
            })
            .collect(),
        bottlenecks: r
            .bottlenecks
            .iter()
            .map(|(role, share)| ShareJson {
                role,
                share: round(*share),
            })
            .collect(),
    }
}

fn csv(results: &[SimResult]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "scenario",
        "id",
        "due",
        "mean",
        "p10",
        "p50",
        "p80",
        "p95",
        "p50_date",
        "p80_date",
        "p95_date",
        "probability_on_time",
    ];
    w.write_record(header).expect("in-memory CSV");
    let num = |x: f64| round(x).to_string();
    for r in results {
        let f = &r.finish;
        let mut row = vec![r.scenario.clone(), "finish".into(), String::new()];
        row.extend([f.mean, f.p10, f.p50, f.p80, f.p95].map(num));
        row.extend([String::new(), String::new(), String::new(), String::new()]);
        w.write_record(&row).expect("in-memory CSV");
        for m in &r.milestones {
            let s = &m.summary;
            let mut row = vec![
                r.scenario.clone(),
                m.id.clone(),
                m.due.map_or(String::new(), |d| d.to_string()),
            ];
            row.extend([s.mean, s.p10, s.p50, s.p80, s.p95].map(num));
            row.extend(m.dates.iter().map(|d| d.to_string()));
            row.push(m.probability_on_time.map_or(String::new(), num));
            w.write_record(&row).expect("in-memory CSV");
        }
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("UTF-8")
}

/// The settings line shared by both commands.
fn settings(r: &SimResult) -> String {
    let mode = if r.config.resources {
        "resource-constrained (the scenario's team, list of the best deterministic schedule)"
    } else {
        "precedence-only (no people)"
    };
    let pct = match r.percentiles {
        Percentiles::Exact => "exact percentiles".to_string(),
        Percentiles::Histogram(w) if w >= 1.0 => {
            "percentiles from whole-day histograms (exact)".to_string()
        }
        Percentiles::Histogram(w) => {
            format!("percentiles from histograms (± {} days)", round(w / 2.0))
        }
    };
    format!(
        "{} iterations, seed {}, {:?} durations, phase correlation {}, {mode}, {pct}",
        r.iterations, r.seed, r.config.distribution, r.config.correlation
    )
}

fn pct(x: f64) -> String {
    // A chance that rounds to 0% but is not 0 should not read as impossible.
    if x > 0.0 && x < 0.005 {
        "<1%".into()
    } else {
        format!("{:.0}%", x * 100.0)
    }
}

fn table(results: &[SimResult]) -> String {
    let mut out = String::new();
    let first = &results[0];
    let _ = writeln!(out, "Monte Carlo: {}", settings(first));
    let col = 34;
    let _ = write!(out, "\n{:<14} {:<10}", "", "due");
    for r in results {
        let _ = write!(out, "  {:<col$}", fit(&r.scenario, col));
    }
    let _ = write!(out, "\n{:<14} {:<10}", "", "");
    for _ in results {
        let _ = write!(out, "  {:<col$}", "P50 date   P80 date   P(on time)");
    }
    out.push('\n');
    for (k, m) in first.milestones.iter().enumerate() {
        let due = m.due.map_or("-".to_string(), |d| d.to_string());
        let _ = write!(out, "{:<14} {:<10}", fit(&m.id, 14), due);
        for r in results {
            let m = &r.milestones[k];
            let chance = m.probability_on_time.map_or("-".into(), pct);
            let cell = format!("{} {} {:>6}", m.dates[0], m.dates[1], chance);
            let _ = write!(out, "  {cell:<col$}");
        }
        out.push('\n');
    }
    let _ = write!(out, "{:<14} {:<10}", "finish (days)", "");
    for r in results {
        let f = &r.finish;
        let cell = format!(
            "P50 {} P80 {} P95 {}",
            super::days(f.p50),
            super::days(f.p80),
            super::days(f.p95)
        );
        let _ = write!(out, "  {cell:<col$}");
    }
    out.push('\n');
    for r in results {
        let _ = writeln!(out, "\n{}", r.scenario);
        if let Some(d) = r.deterministic_finish {
            let _ = writeln!(
                out,
                "  deterministic schedule (likely estimates): {d} days; mean simulated finish {} days",
                super::days(r.finish.mean)
            );
        }
        let _ = writeln!(
            out,
            "  most critical tasks (share of runs on the critical chain):"
        );
        for t in r.criticality.iter().take(TOP) {
            let _ = writeln!(out, "    {:<16} {:>5}", fit(&t.id, 16), pct(t.value));
        }
        let _ = writeln!(
            out,
            "  most sensitive tasks (Spearman, duration vs finish):"
        );
        for t in r.sensitivity.iter().take(TOP) {
            let _ = writeln!(out, "    {:<16} {:>6.2}", fit(&t.id, 16), t.value);
        }
        if !r.bottlenecks.is_empty() {
            let _ = writeln!(
                out,
                "  bottleneck roles (share of runs their capacity delayed the finish):"
            );
            for (role, share) in &r.bottlenecks {
                let _ = writeln!(out, "    {:<16} {:>5}", fit(role, 16), pct(*share));
            }
        }
    }
    out
}

/// A milestone's status under the forecast rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// P(on time) >= confidence.
    OnTrack,
    /// Between the two.
    AtRisk,
    /// P(on time) < [`LATE_BELOW`].
    Late,
    /// No due date.
    NoDueDate,
}

impl Status {
    /// The status of a milestone with this chance of being on time.
    pub fn of(probability: Option<f64>, confidence: f64) -> Status {
        match probability {
            None => Status::NoDueDate,
            Some(p) if p >= confidence => Status::OnTrack,
            Some(p) if p < LATE_BELOW => Status::Late,
            Some(_) => Status::AtRisk,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::Late => "late",
            Status::NoDueDate => "no due date",
        }
    }
}

/// The status rule in words.
pub fn rule(confidence: f64) -> String {
    format!(
        "on track if P(on time) >= {}; late if P(on time) < {}; at risk otherwise",
        pct(confidence),
        pct(LATE_BELOW)
    )
}

/// `plan forecast` output.
pub fn render_forecast(r: &SimResult, confidence: f64, format: Format) -> String {
    match format {
        Format::Json => pretty(&forecast_json(r, confidence)),
        Format::Csv => forecast_csv(r, confidence),
        Format::Table => forecast_table(r, confidence),
        Format::Markdown => format!("```text\n{}```\n", forecast_table(r, confidence)),
    }
}

fn needs_drivers(m: &MilestoneResult, confidence: f64) -> bool {
    matches!(
        Status::of(m.probability_on_time, confidence),
        Status::AtRisk | Status::Late
    )
}

fn forecast_json(r: &SimResult, confidence: f64) -> Value {
    json!({
        "scenario": r.scenario,
        "iterations": r.iterations,
        "seed": r.seed,
        "confidence": confidence,
        "rule": rule(confidence),
        "milestones": r.milestones.iter().map(|m| {
            let mut v = json!({
                "id": m.id,
                "name": m.name,
                "due": m.due.map(|d| d.to_string()),
                "p50_date": m.dates[0].to_string(),
                "p80_date": m.dates[1].to_string(),
                "probability_on_time": m.probability_on_time.map(round),
                "status": Status::of(m.probability_on_time, confidence).label(),
            });
            if needs_drivers(m, confidence) {
                v["drivers"] = json!({
                    "tasks": m.task_drivers.iter().take(TOP_DRIVERS)
                        .map(|t| json!({"id": t.id, "spearman": round(t.value)})).collect::<Vec<_>>(),
                    "risks": m.risk_drivers.iter().filter(|d| d.shift > 0.0).take(TOP_DRIVERS)
                        .map(|d| json!({"id": d.id, "shift": round(d.shift), "frequency": round(d.frequency)}))
                        .collect::<Vec<_>>(),
                });
            }
            v
        }).collect::<Vec<_>>(),
    })
}

fn forecast_csv(r: &SimResult, confidence: f64) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "due",
        "p50_date",
        "p80_date",
        "probability_on_time",
        "status",
    ])
    .expect("in-memory CSV");
    for m in &r.milestones {
        w.write_record([
            m.id.clone(),
            m.due.map_or(String::new(), |d| d.to_string()),
            m.dates[0].to_string(),
            m.dates[1].to_string(),
            m.probability_on_time
                .map_or(String::new(), |p| round(p).to_string()),
            Status::of(m.probability_on_time, confidence).label().into(),
        ])
        .expect("in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("UTF-8")
}

fn forecast_table(r: &SimResult, confidence: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Milestone risk forecast: {}", r.scenario);
    let _ = writeln!(out, "{}", settings(r));
    let _ = writeln!(out, "Status rule: {}.\n", rule(confidence));
    let _ = writeln!(
        out,
        "{:<14} {:<32} {:<10}  {:<10}  {:<10}  {:>10}  status",
        "milestone", "name", "due", "P50", "P80", "P(on time)"
    );
    for m in &r.milestones {
        let _ = writeln!(
            out,
            "{:<14} {:<32} {:<10}  {:<10}  {:<10}  {:>10}  {}",
            fit(&m.id, 14),
            fit(&m.name, 32),
            m.due.map_or("-".into(), |d| d.to_string()),
            m.dates[0],
            m.dates[1],
            m.probability_on_time.map_or("-".into(), pct),
            Status::of(m.probability_on_time, confidence).label()
        );
    }
    let at_risk: Vec<&MilestoneResult> = r
        .milestones
        .iter()
        .filter(|m| needs_drivers(m, confidence))
        .collect();
    if at_risk.is_empty() {
        let _ = writeln!(out, "\nNo milestone is at risk or late.");
        return out;
    }
    let _ = writeln!(out, "\nWhat drives the milestones at risk or late:");
    for m in at_risk {
        let _ = writeln!(
            out,
            "  {} ({}):",
            m.id,
            Status::of(m.probability_on_time, confidence).label()
        );
        let tasks: Vec<String> = m
            .task_drivers
            .iter()
            .take(TOP_DRIVERS)
            .map(|t| format!("{} (Spearman {:.2})", t.id, t.value))
            .collect();
        let _ = writeln!(out, "    tasks: {}", or_none(&tasks));
        let risks: Vec<String> = m
            .risk_drivers
            .iter()
            .filter(|d| d.shift > 0.0)
            .take(TOP_DRIVERS)
            .map(|d| {
                format!(
                    "{} (+{} days when it happens, in {} of runs)",
                    d.id,
                    super::days(d.shift),
                    pct(d.frequency)
                )
            })
            .collect();
        let _ = writeln!(out, "    risks: {}", or_none(&risks));
    }
    out
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
