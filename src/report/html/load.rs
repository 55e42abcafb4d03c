//! Load per role per week against capacity: one small chart per role, bars for the
//! person-days scheduled, a step line for the person-days the role can supply. Hires and
//! ramp-up show as steps in the line; weeks over capacity (never, in a checked schedule) would
//! be hatched.

use super::svg::{ticks, Scale, Svg};
use crate::report::schedule::{ScheduleReport, WeekLoad};

const W: f64 = 1290.0;
const H: f64 = 120.0;
const LEFT: f64 = 46.0;
const TOP: f64 = 20.0;
const BASE: f64 = 96.0;

/// The legend above the load charts.
pub fn legend() -> String {
    "<p class=\"legend\">Bars: person-days scheduled per week; black step line: person-days \
     the role can supply (hires, ramp-up and part-timers raise it; leaves and absences lower it); hatched red: over capacity.</p>"
        .to_string()
}

/// One chart per role of scenario `k`, in the order roles first appear.
pub fn charts(k: usize, report: &ScheduleReport) -> String {
    let mut roles: Vec<&str> = Vec::new();
    for w in &report.load {
        if !roles.contains(&w.role.as_str()) {
            roles.push(&w.role);
        }
    }
    roles
        .iter()
        .map(|role| {
            let weeks: Vec<&WeekLoad> = report.load.iter().filter(|w| w.role == *role).collect();
            role_chart(k, role, &weeks)
        })
        .collect()
}

fn role_chart(k: usize, role: &str, weeks: &[&WeekLoad]) -> String {
    let peak = weeks
        .iter()
        .map(|w| w.used.max(w.capacity))
        .fold(1.0, f64::max);
    let x = Scale::new((0.0, weeks.len().max(1) as f64), (LEFT, W - 10.0));
    let y = Scale::new((0.0, peak * 1.1), (BASE, TOP));
    let mut s = Svg::new(
        &format!("load-{k}-{role}"),
        W,
        H,
        &format!("Weekly load of {role} against capacity"),
    );
    s.text(
        LEFT,
        13.0,
        "start",
        "title",
        &format!("{role}: person-days per week"),
    );
    for t in ticks(0.0, peak * 1.1, 3) {
        s.line(LEFT, y.at(t), W - 10.0, y.at(t), "grid-line");
        s.text(
            LEFT - 4.0,
            y.at(t) + 3.0,
            "end",
            "small",
            &format!("{t:.0}"),
        );
    }
    let mut cap = Vec::with_capacity(weeks.len() * 2);
    let mut last_month = None;
    for (i, w) in weeks.iter().enumerate() {
        let (x0, x1) = (x.at(i as f64), x.at(i as f64 + 1.0));
        let tip = format!(
            "{role}, week of {}: {:.1} of {:.1} person-days",
            w.week_start, w.used, w.capacity
        );
        let within = w.used.min(w.capacity);
        s.rect_titled(
            x0,
            y.at(within),
            (x1 - x0 - 1.0).max(0.5),
            BASE - y.at(within),
            "used",
            &tip,
        );
        if w.used > w.capacity + 1e-9 {
            s.rect_titled(
                x0,
                y.at(w.used),
                (x1 - x0 - 1.0).max(0.5),
                y.at(within) - y.at(w.used),
                "over",
                &tip,
            );
        }
        cap.push((x0, y.at(w.capacity)));
        cap.push((x1, y.at(w.capacity)));
        let month = Some((w.week_start.year(), w.week_start.month()));
        if month != last_month {
            if i > 0 || weeks.len() < 2 {
                s.line(x0, BASE, x0, BASE + 4.0, "axis");
            }
            let label = w.week_start.strftime("%b %y").to_string();
            s.text(x0 + 1.0, BASE + 14.0, "start", "small", &label);
            last_month = month;
        }
    }
    s.polyline(&cap, "cap");
    s.line(LEFT, BASE, W - 10.0, BASE, "axis");
    s.finish()
}
