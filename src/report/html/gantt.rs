//! The Gantt chart of a resource-constrained schedule: one row per task grouped by phase, the
//! critical path hatched, milestones as diamonds against their due dates, the status date as a
//! dashed line. Time runs in working days (the schedule's own unit); the axis labels months.

use super::page::{Page, ScenarioView};
use super::svg::{Scale, Svg};
use super::tracking::BaselineBar;
use super::tracking_charts::{date_at, earliest_day, latest_day};
use crate::report::fit;
use crate::report::schedule::driver_text;
use crate::report::schedule::{ScheduledMilestone, ScheduledTask};
use std::collections::{HashMap, HashSet};

const WIDTH: f64 = 1290.0;
const LABEL: f64 = 250.0;
const ROW: f64 = 12.0;
const TOP: f64 = 34.0;

/// The legend shown above every Gantt chart.
pub fn legend() -> String {
    "<p class=\"legend\">Bars: tasks (hatched red = on the critical path); ◆ filled = milestone \
     reached by its due date, ◇ hollow = late; ▼ = due date; dashed purple line = status date; \
     purple frame = on a milestone's driving chain (what its date waits for, back to the status \
     date). Hover a bar for its dates, crew and driver.</p>"
        .to_string()
}

/// Above this many tasks the chart shows one summary bar per phase instead of a row per task:
/// thousands of rows make a page a browser takes seconds to draw and nobody can read.
pub const COLLAPSE_ABOVE: usize = 400;

/// One row of the chart.
enum Row<'a> {
    Phase(String),
    Task(&'a ScheduledTask),
    Summary(Summary),
    Milestone(&'a ScheduledMilestone),
}

/// A collapsed phase: the span of its tasks.
struct Summary {
    title: String,
    tasks: usize,
    critical: usize,
    start: u32,
    finish: u32,
    /// The span of its tasks' baseline bars, with a baseline that has any of them.
    baseline: Option<BaselineBar>,
}

/// Whether the chart of this scenario shows phase summaries instead of tasks.
fn collapsed(sc: &ScenarioView) -> bool {
    sc.schedule.tasks.len() > COLLAPSE_ABOVE
}

/// What the reader must know when the chart is collapsed (empty otherwise).
pub fn collapse_note(sc: &ScenarioView) -> String {
    if !collapsed(sc) {
        return String::new();
    }
    format!(
        "<p class=\"legend\">{} tasks: each phase is drawn as one summary bar from its first \
         start to its last finish (red when it holds critical work), not one row per task. \
         Every task's dates are in <code>plan schedule</code> or <code>plan export</code>.</p>",
        sc.schedule.tasks.len()
    )
}

/// Tasks grouped by phase (model order, then tasks without a phase), each group by start.
fn groups<'a>(page: &Page, sc: &'a ScenarioView) -> Vec<(String, Vec<&'a ScheduledTask>)> {
    let mut groups: Vec<(String, Vec<&ScheduledTask>)> = page
        .phases
        .iter()
        .map(|(id, name)| (format!("{id} · {name}"), Vec::new()))
        .collect();
    let group_of: HashMap<&str, usize> = page
        .phases
        .iter()
        .enumerate()
        .map(|(g, (id, _))| (id.as_str(), g))
        .collect();
    let mut loose = Vec::new();
    for t in &sc.schedule.tasks {
        let phase = page.task_phase.get(&t.id);
        match phase.and_then(|p| group_of.get(p.as_str())) {
            Some(&g) => groups[g].1.push(t),
            None => loose.push(t),
        }
    }
    groups.push(("Other tasks".into(), loose));
    groups.retain(|g| !g.1.is_empty());
    for (_, tasks) in &mut groups {
        tasks.sort_by_key(|t| (t.start, t.finish));
    }
    groups
}

/// The rows: each phase's title and tasks (or its summary bar when collapsed), then milestones.
fn rows<'a>(page: &Page, sc: &'a ScenarioView) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    let collapse = collapsed(sc);
    if collapse {
        out.push(Row::Phase("Phases".into()));
    }
    for (title, tasks) in groups(page, sc) {
        if collapse {
            out.push(Row::Summary(Summary {
                tasks: tasks.len(),
                critical: tasks
                    .iter()
                    .filter(|t| page.critical.contains(&t.id))
                    .count(),
                start: tasks.iter().map(|t| t.start).min().unwrap_or(0),
                finish: tasks.iter().map(|t| t.finish).max().unwrap_or(0),
                baseline: baseline_span(page, &tasks),
                title,
            }));
        } else {
            out.push(Row::Phase(title));
            out.extend(tasks.into_iter().map(Row::Task));
        }
    }
    out.push(Row::Phase("Milestones".into()));
    out.extend(sc.schedule.milestones.iter().map(Row::Milestone));
    out
}

/// A milestone's due date in working days: finish plus slack.
fn deadline(m: &ScheduledMilestone) -> Option<f64> {
    m.slack.map(|s| m.finish as f64 + s as f64)
}

/// The Gantt chart of scenario `k`.
pub fn chart(page: &Page, k: usize, sc: &ScenarioView) -> String {
    let rows = rows(page, sc);
    let driving = driving_chains(sc);
    let height = TOP + ROW * rows.len() as f64 + 8.0;
    let horizon = horizon(sc).max(latest_day(page) as f64 + 2.0);
    // A baseline taken before the status date reaches back before day 0.
    let from = earliest_day(page) as f64;
    let x = Scale::new((from, horizon), (LABEL, WIDTH - 10.0));
    let mut s = Svg::new(
        &format!("gantt-{k}"),
        WIDTH,
        height,
        &format!("Gantt chart of the schedule of {}", sc.name),
    );
    month_axis(&mut s, page, &x, (from as i64, horizon as i64), height);
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        match row {
            Row::Phase(title) => {
                s.rect(0.0, y, WIDTH, ROW, "phase-band");
                s.text(4.0, y + ROW - 2.5, "start", "title", title);
            }
            Row::Task(t) => {
                task_row(&mut s, page, &x, y, t);
                if driving.contains(t.id.as_str()) {
                    driving_outline(&mut s, &x, y, t);
                }
            }
            Row::Summary(summary) => summary_row(&mut s, page, &x, y, summary),
            Row::Milestone(m) => {
                milestone_row(&mut s, &x, y, m);
                if let Some(bar) = baseline_of(page, m.id.as_str(), true) {
                    baseline_milestone(&mut s, &x, y, &m.id, bar);
                }
            }
        }
    }
    s.line(x.at(0.0), TOP - 6.0, x.at(0.0), height, "status");
    s.text(
        x.at(0.0) + 3.0,
        TOP - 8.0,
        "start",
        "small",
        &format!("status date {}", page.status_date),
    );
    s.finish()
}

/// The last working day the chart must show: every finish and every due date.
fn horizon(sc: &ScenarioView) -> f64 {
    let finishes = sc.schedule.tasks.iter().map(|t| t.finish as f64);
    let dues = sc.schedule.milestones.iter().filter_map(deadline);
    finishes.chain(dues).fold(1.0, f64::max) + 2.0
}

/// Month boundaries as grid lines with the month's name, over the working days `days`.
fn month_axis(s: &mut Svg, page: &Page, x: &Scale, days: (i64, i64), height: f64) {
    let mut last_month = None;
    for day in days.0..=days.1 {
        let date = date_at(page, day);
        let month = (date.year(), date.month());
        if last_month != Some(month) {
            let px = x.at(day as f64);
            s.line(px, TOP - 4.0, px, height, "grid-line");
            s.text(
                px + 2.0,
                TOP - 20.0,
                "start",
                "small",
                &date.strftime("%b %Y").to_string(),
            );
            last_month = Some(month);
        }
    }
}

/// The baseline bar of a task (or a milestone), when the page has a baseline with its id.
fn baseline_of<'a>(page: &'a Page, id: &str, milestone: bool) -> Option<&'a BaselineBar> {
    let b = page.tracking.baseline.as_ref()?;
    if milestone {
        b.milestones.get(id)
    } else {
        b.tasks.get(id)
    }
}

/// The thin grey bar under a task's bar: its baseline dates.
fn baseline_bar(s: &mut Svg, x: &Scale, y: f64, id: &str, bar: &BaselineBar) {
    let (x0, x1) = (x.at(bar.start as f64), x.at(bar.finish as f64));
    s.rect_titled(
        x0,
        y + ROW - 3.5,
        (x1 - x0).max(1.5),
        3.0,
        "baseline",
        &format!("{id} baseline: {} → {}", bar.start_date, bar.finish_date),
    );
}

/// A grey outlined diamond where the baseline reached a milestone.
fn baseline_milestone(s: &mut Svg, x: &Scale, y: f64, id: &str, bar: &BaselineBar) {
    let tip = format!("{id} baseline: {}", bar.finish_date);
    s.diamond(x.at(bar.finish as f64), y + ROW / 2.0, 4.0, "ms-base", &tip);
}

fn task_row(s: &mut Svg, page: &Page, x: &Scale, y: f64, t: &ScheduledTask) {
    let base = baseline_of(page, &t.id, false);
    if let Some(bar) = base {
        baseline_bar(s, x, y, &t.id, bar);
    }
    // With a baseline bar under it, the task's bar is thinner.
    let (top, thick) = if base.is_some() {
        (1.5, ROW - 6.0)
    } else {
        (2.0, ROW - 4.0)
    };
    let critical = page.critical.contains(&t.id);
    let label = format!("{}{} {}", if critical { "★ " } else { "" }, t.id, t.name);
    s.text(4.0, y + ROW - 2.5, "start", "", &fit(&label, 37));
    let crew: Vec<String> = t.crew.iter().map(|(r, n)| format!("{n} {r}")).collect();
    let tip = format!(
        "{} {}: {} → {}{}{}",
        t.id,
        t.name,
        t.start_date,
        t.finish_date,
        if crew.is_empty() {
            String::new()
        } else {
            format!(", crew {}", crew.join(", "))
        },
        if critical { ", critical" } else { "" }
    ) + &format!(", driven by {}", driver_text(&t.driver));
    if t.finish <= t.start {
        // Finished before the status date (or zero length): a thin grey mark, not a bar.
        s.rect_titled(x.at(0.0) - 1.0, y + top, 3.0, thick, "bar-done", &tip);
        return;
    }
    let class = if critical { "bar-crit" } else { "bar" };
    let (x0, x1) = (x.at(t.start as f64), x.at(t.finish as f64));
    s.rect_titled(x0, y + top, (x1 - x0).max(1.5), thick, class, &tip);
}

/// Every task on some milestone's driving chain in this schedule.
fn driving_chains(sc: &ScenarioView) -> HashSet<&str> {
    let chains = sc.schedule.milestones.iter().map(|m| &m.driving_chain);
    chains.flatten().map(String::as_str).collect()
}

/// The purple frame that draws a task of a driving chain.
fn driving_outline(s: &mut Svg, x: &Scale, y: f64, t: &ScheduledTask) {
    if t.finish > t.start {
        let (x0, x1) = (x.at(t.start as f64), x.at(t.finish as f64));
        s.rect(
            x0 - 1.0,
            y + 1.0,
            (x1 - x0).max(1.5) + 2.0,
            ROW - 2.0,
            "drive",
        );
    }
}

/// The span of the baseline bars of a phase's tasks: its first start to its last finish.
fn baseline_span(page: &Page, tasks: &[&ScheduledTask]) -> Option<BaselineBar> {
    let bars: Vec<&BaselineBar> = tasks
        .iter()
        .filter_map(|t| baseline_of(page, &t.id, false))
        .collect();
    let first = bars.iter().min_by_key(|b| b.start)?;
    let last = bars.iter().max_by_key(|b| b.finish)?;
    Some(BaselineBar {
        start: first.start,
        finish: last.finish,
        start_date: first.start_date,
        finish_date: last.finish_date,
    })
}

fn summary_row(s: &mut Svg, page: &Page, x: &Scale, y: f64, p: &Summary) {
    if let Some(bar) = &p.baseline {
        baseline_bar(s, x, y, &p.title, bar);
    }
    let (top, thick) = if p.baseline.is_some() {
        (1.5, ROW - 6.0)
    } else {
        (2.0, ROW - 4.0)
    };
    let label = format!("{} ({} tasks)", p.title, p.tasks);
    s.text(4.0, y + ROW - 2.5, "start", "", &fit(&label, 37));
    let tip = format!(
        "{}: {} tasks, {} critical, {} → {}",
        p.title,
        p.tasks,
        p.critical,
        page.day_date(p.start as usize),
        page.day_date(p.finish.saturating_sub(1) as usize)
    );
    let class = if p.critical > 0 { "bar-crit" } else { "bar" };
    let (x0, x1) = (x.at(p.start as f64), x.at(p.finish as f64));
    s.rect_titled(x0, y + top, (x1 - x0).max(1.5), thick, class, &tip);
}

fn milestone_row(s: &mut Svg, x: &Scale, y: f64, m: &ScheduledMilestone) {
    let cy = y + ROW / 2.0;
    let verdict = if m.met { "on time" } else { "LATE" };
    s.text(
        4.0,
        y + ROW - 2.5,
        "start",
        "",
        &fit(&format!("◆ {} ({verdict})", m.id), 40),
    );
    let tip = format!(
        "{} {}: reached {}{}",
        m.id,
        m.name,
        m.finish_date,
        m.due
            .as_ref()
            .map_or(String::new(), |d| format!(", due {d}"))
    );
    if let Some(d) = deadline(m) {
        let px = x.at(d);
        s.polygon(
            &[(px - 4.0, y), (px + 4.0, y), (px, y + ROW - 2.0)],
            "due",
            &format!("{} due {}", m.id, crate::report::date_or(m.due, "")),
        );
        // The label goes on the side away from the diamond: right when on time, left when late.
        let (lx, anchor) = if m.met {
            (px + 6.0, "start")
        } else {
            (px - 6.0, "end")
        };
        s.text(lx, y + ROW - 2.5, anchor, "small", &due_label(m));
    }
    let class = if m.met { "ms-met" } else { "ms-late" };
    s.diamond(x.at(m.finish as f64), cy, 5.0, class, &tip);
}

fn due_label(m: &ScheduledMilestone) -> String {
    let due = crate::report::date_or(m.due, "");
    match m.slack {
        Some(sl) if sl < 0 => format!("due {due}, {} working days late", -sl),
        _ => format!("due {due}"),
    }
}
