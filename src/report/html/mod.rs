//! `plan report`: one self-contained HTML page that a program lead reads at a glance.
//!
//! The page is plain HTML with an inline style sheet and inline SVG charts: no scripts, no
//! fonts, no network, so it opens from disk, in a mail attachment or an air-gapped browser.
//! Every chart is hand-written SVG ([`svg`]): a Gantt chart and a tornado fit no chart crate,
//! and writing the curves and bars the same way keeps one look, stable element ids for tests,
//! and no dependency on fonts installed on the machine that writes the report.
//!
//! Charts never rely on colour alone: critical work is hatched as well as red, markers differ in
//! shape (diamond, circle, square), lines in dash pattern, and every mark has a text label or
//! a tooltip.
//!
//! This module only draws: the caller computes schedules, verdicts and forecasts and hands
//! them over in a [`Page`].

mod bars;
mod curves;
mod gantt;
mod load;
mod page;
pub mod svg;
pub mod tracking;
mod tracking_charts;

use super::feasibility::{verdict_text, FeasibilityRow, VerdictLabel};
use page::pct;
pub use page::{team_words, Forecast, MilestoneForecast, Page, ScenarioView};
use std::fmt::Write as _;
use svg::esc;

/// Renders the whole page.
pub fn render(page: &Page) -> String {
    let mut out = String::with_capacity(256 * 1024);
    head(&mut out, page);
    summary(&mut out, page);
    tracking_charts::sections(&mut out, page);
    if page.scenarios.len() > 1 {
        comparison(&mut out, page);
    }
    for (k, sc) in page.scenarios.iter().enumerate() {
        scenario_section(&mut out, page, k, sc);
    }
    let _ = writeln!(
        out,
        "<footer><p>{}</p></footer></body></html>",
        esc(&page.method)
    );
    out
}

/// The style sheet: colours and patterns of every chart class live here, so charts carry
/// only class names and the whole look changes in one place.
const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0 auto;max-width:1340px;padding:16px 24px;color:#1d2330;background:#fff;font-size:14px}
h1{font-size:24px;margin:4px 0}h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #d5dbe5;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.meta{color:#4a5366;margin:2px 0 12px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #d5dbe5;padding:3px 8px;text-align:left;vertical-align:top}th{background:#eef2f8}
td.d{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}
.v-met{background:#e3f4e6}.v-infeasible{background:#fbe3e1;font-weight:600}.v-unknown{background:#fff4d6}.v-missed{background:#fff4d6}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}.card{border:1px solid #d5dbe5;border-radius:6px;padding:8px 12px;min-width:150px}.card b{display:block;font-size:20px}
.grid{display:flex;flex-wrap:wrap;gap:12px}.panel{border:1px solid #e1e6ee;border-radius:6px;padding:6px}
.cert{border-left:4px solid #b3261e;background:#fdf3f2;padding:6px 10px;margin:6px 0}
details>summary{cursor:pointer;font-weight:600;margin:6px 0}
.legend{font-size:12px;color:#4a5366;margin:2px 0 6px}
svg.chart{display:block;background:#fff}
svg text{font-size:11px;fill:#1d2330}svg text.small{font-size:9px}svg text.title{font-size:12px;font-weight:600}svg text.muted{fill:#5b6478}
.axis{stroke:#5b6478;stroke-width:1}.grid-line{stroke:#e4e8ef;stroke-width:1}
.phase-band{fill:#f3f5f9}.bar{fill:#7d9cc9;stroke:#3d5f91;stroke-width:.5}.bar-crit{fill:url(#hatch);stroke:#b3261e;stroke-width:1}.bar-done{fill:#c9ced8}
.drive{fill:none;stroke:#6a3fb5;stroke-width:1.5}
.ms-met{fill:#1e7b34;stroke:#0f3d1a}.ms-late{fill:#fff;stroke:#b3261e;stroke-width:2}.due{fill:#1d2330}
.status{stroke:#6a3fb5;stroke-width:2;stroke-dasharray:6 3}.due-line{stroke:#b3261e;stroke-width:1.5;stroke-dasharray:4 3}
.cdf{fill:none;stroke:#2b5797;stroke-width:2}.p50{fill:#2b5797}.p80{fill:#fff;stroke:#2b5797;stroke-width:2}.pline{stroke:#2b5797;stroke-width:1;stroke-dasharray:2 2}
.hist{fill:#9db5d9;stroke:#3d5f91;stroke-width:.5}.hist-late{fill:url(#hatch-late);stroke:#b3261e;stroke-width:.5}
.s0{fill:none;stroke:#2b5797;stroke-width:2}.s1{fill:none;stroke:#c05f00;stroke-width:2;stroke-dasharray:7 3}.s2{fill:none;stroke:#1e7b34;stroke-width:2;stroke-dasharray:2 2}.s3{fill:none;stroke:#6a3fb5;stroke-width:2;stroke-dasharray:9 3 2 3}
.pos{fill:#c0504d;stroke:#7a1f1c;stroke-width:.5}.neg{fill:url(#dots);stroke:#2b5797;stroke-width:.5}.crit-idx{fill:#7d9cc9;stroke:#3d5f91;stroke-width:.5}
.baseline{fill:#b9bfca;stroke:#5b6478;stroke-width:.5}.ms-base{fill:none;stroke:#5b6478;stroke-width:1.5}
.pv{fill:none;stroke:#2b5797;stroke-width:2}.ev{fill:none;stroke:#1e7b34;stroke-width:2;stroke-dasharray:7 3}.ac{fill:none;stroke:#c05f00;stroke-width:2;stroke-dasharray:2 2}.pv-mark{fill:#2b5797}.ev-mark{fill:#1e7b34}.ac-mark{fill:#fff;stroke:#c05f00;stroke-width:2}
.diag{stroke:#5b6478;stroke-width:1;stroke-dasharray:2 3}.m0{fill:#2b5797}.m1{fill:#c05f00}.m2{fill:#1e7b34}.m3{fill:#6a3fb5}
.used{fill:#7d9cc9}.over{fill:url(#hatch);stroke:#b3261e}.cap{fill:none;stroke:#1d2330;stroke-width:2}
"#;

/// Patterns referenced by the style sheet; defined once in a hidden SVG so that every chart
/// on the page can use them.
const PATTERNS: &str = r##"<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e8827c"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8c1d18" stroke-width="2"/></pattern>
<pattern id="hatch-late" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="5" height="5" fill="#f2b8b5"/><line x1="0" y1="0" x2="0" y2="5" stroke="#b3261e" stroke-width="1.5"/></pattern>
<pattern id="dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#c9d7ee"/><circle cx="2.5" cy="2.5" r="1.2" fill="#2b5797"/></pattern>
</defs></svg>"##;

fn head(out: &mut String, page: &Page) {
    let names: Vec<&str> = page.scenarios.iter().map(|s| s.name.as_str()).collect();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} · plan report</title><style>{STYLE}</style></head><body>{PATTERNS}<h1>{}</h1><p class=\"meta\">Status date {} · scenario{} {}</p>",
        esc(&page.project),
        esc(&page.project),
        page.status_date,
        if names.len() == 1 { "" } else { "s" },
        esc(&names.join(" · "))
    );
}

/// The CSS class and the word of a verdict, so a cell reads the same in colour and grey.
fn verdict_cell(row: &FeasibilityRow) -> (&'static str, String) {
    let class = match row.verdict {
        VerdictLabel::Met => "v-met",
        VerdictLabel::Infeasible => "v-infeasible",
        VerdictLabel::Unknown | VerdictLabel::Missed => "v-unknown",
        VerdictLabel::NoDueDate => "",
    };
    let mark = match row.verdict {
        VerdictLabel::Met => "✓ ",
        VerdictLabel::Infeasible => "✗ ",
        VerdictLabel::Unknown | VerdictLabel::Missed => "? ",
        VerdictLabel::NoDueDate => "",
    };
    (class, format!("{mark}{}", verdict_text(row)))
}

fn summary(out: &mut String, page: &Page) {
    out.push_str("<h2 id=\"summary\">Summary</h2>");
    for sc in &page.scenarios {
        let _ = write!(out, "<h3>{}</h3><div class=\"cards\">", esc(&sc.name));
        card(
            out,
            "Scheduled finish",
            &sc.schedule.finish_date.to_string(),
        );
        if let Some(f) = &sc.forecast {
            card(
                out,
                "Finish P50",
                &page.finish_date(f.finish_p50).to_string(),
            );
            card(
                out,
                "Finish P80",
                &page.finish_date(f.finish_p80).to_string(),
            );
        }
        let met = sc
            .feasibility
            .milestones
            .iter()
            .filter(|m| m.verdict == VerdictLabel::Met)
            .count();
        let impossible = sc
            .feasibility
            .milestones
            .iter()
            .filter(|m| m.verdict == VerdictLabel::Infeasible)
            .count();
        card(
            out,
            "Milestones met / proven impossible",
            &format!(
                "{met} / {impossible} of {}",
                sc.feasibility.milestones.len()
            ),
        );
        out.push_str("</div>");
        milestone_table(out, page, sc);
        if let Some(note) = &sc.feasibility.bound {
            let _ = write!(out, "<p class=\"legend\">{}</p>", esc(note));
        }
    }
}

fn card(out: &mut String, label: &str, value: &str) {
    let _ = write!(
        out,
        "<div class=\"card\">{}<b>{}</b></div>",
        esc(label),
        esc(value)
    );
}

fn milestone_table(out: &mut String, page: &Page, sc: &ScenarioView) {
    out.push_str("<table><tr><th>Milestone</th><th>Due</th><th>Scheduled</th><th>Verdict</th><th>P50</th><th>P80</th><th>Chance on time</th></tr>");
    for (i, row) in sc.feasibility.milestones.iter().enumerate() {
        let (class, words) = verdict_cell(row);
        let fc = sc.forecast.as_ref().and_then(|f| f.milestones.get(i));
        let p50 = fc.map_or("–".into(), |m| page.finish_date(m.p50).to_string());
        let p80 = fc.map_or("–".into(), |m| page.finish_date(m.p80).to_string());
        let chance = fc
            .and_then(|m| m.probability_on_time)
            .map_or("–".into(), pct);
        let _ = write!(
            out,
            "<tr><td><b>{}</b> {}</td><td class=\"d\">{}</td><td class=\"d\">{}</td><td class=\"{class}\">{}</td><td class=\"d\">{}</td><td class=\"d\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&row.id),
            esc(&row.name),
            esc(&crate::report::date_or(row.due, "–")),
            esc(&row.finish_date.to_string()),
            esc(&words),
            p50,
            p80,
            chance
        );
    }
    out.push_str("</table>");
}

fn comparison(out: &mut String, page: &Page) {
    out.push_str(
        "<h2 id=\"comparison\">Scenario comparison</h2><table><tr><th>Milestone</th><th>Due</th>",
    );
    for sc in &page.scenarios {
        let _ = write!(out, "<th>{}</th>", esc(&sc.name));
    }
    out.push_str("</tr><tr><td><b>Program finish</b></td><td>–</td>");
    for sc in &page.scenarios {
        let text = match &sc.forecast {
            Some(f) => format!(
                "scheduled {} · P50 {} · P80 {}",
                sc.schedule.finish_date,
                page.finish_date(f.finish_p50),
                page.finish_date(f.finish_p80)
            ),
            None => format!("scheduled {}", sc.schedule.finish_date),
        };
        let _ = write!(out, "<td>{}</td>", esc(&text));
    }
    out.push_str("</tr>");
    let first = &page.scenarios[0];
    for (i, row) in first.feasibility.milestones.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td><b>{}</b></td><td class=\"d\">{}</td>",
            esc(&row.id),
            esc(&crate::report::date_or(row.due, "–"))
        );
        for sc in &page.scenarios {
            let Some(r) = sc.feasibility.milestones.get(i) else {
                out.push_str("<td>–</td>");
                continue;
            };
            let (class, words) = verdict_cell(r);
            let chance = sc
                .forecast
                .as_ref()
                .and_then(|f| f.milestones.get(i))
                .and_then(|m| m.probability_on_time.map(|p| (m.p80, p)));
            let extra = chance.map_or(String::new(), |(p80, p)| {
                format!(" · P80 {} · {} on time", page.finish_date(p80), pct(p))
            });
            let _ = write!(
                out,
                "<td class=\"{class}\">{}{}</td>",
                esc(&words),
                esc(&extra)
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    if page.scenarios.iter().all(|s| s.forecast.is_some()) {
        out.push_str("<h3>Chance of finishing by each date, all scenarios</h3>");
        out.push_str(&curves::legend(page));
        out.push_str("<div class=\"grid\">");
        for i in 0..first.feasibility.milestones.len() {
            let _ = write!(
                out,
                "<div class=\"panel\">{}</div>",
                curves::overlay(page, i)
            );
        }
        out.push_str("</div>");
    }
}

fn scenario_section(out: &mut String, page: &Page, k: usize, sc: &ScenarioView) {
    let _ = write!(
        out,
        "<h2 id=\"scenario-{k}\">Scenario: {}</h2><p class=\"legend\">Team: {}</p>",
        esc(&sc.name),
        esc(&sc.team)
    );
    certificates(out, sc);
    // The first scenario's long charts are open; the others fold away to keep the page short.
    let open = if k == 0 { " open" } else { "" };
    let _ = write!(
        out,
        "<details{open}><summary>Schedule (Gantt), {} tasks</summary>{}{}{}</details>",
        sc.schedule.tasks.len(),
        gantt::legend() + &tracking_charts::baseline_legend(page),
        gantt::collapse_note(sc),
        gantt::chart(page, k, sc)
    );
    if let Some(f) = &sc.forecast {
        let _ = write!(
            out,
            "<h3 id=\"forecast-{k}\">Milestone forecasts ({} iterations)</h3>{}<div class=\"grid\">",
            f.iterations,
            curves::scurve_legend()
        );
        for (i, m) in f.milestones.iter().enumerate() {
            let _ = write!(
                out,
                "<div class=\"panel\">{}{}</div>",
                curves::scurve(page, k, i, m),
                curves::histogram(page, k, i, m)
            );
        }
        let _ = write!(
            out,
            "</div><h3 id=\"drivers-{k}\">Risk drivers</h3><div class=\"grid\">"
        );
        let _ = write!(
            out,
            "<div class=\"panel\">{}</div><div class=\"panel\">{}</div></div>",
            bars::tornado(k, &f.sensitivity),
            bars::criticality(k, &f.criticality)
        );
    }
    let _ = write!(
        out,
        "<h3 id=\"load-{k}\">Load per role per week against capacity</h3>{}{}",
        load::legend(),
        load::charts(k, &sc.schedule)
    );
}

fn certificates(out: &mut String, sc: &ScenarioView) {
    let proven: Vec<&FeasibilityRow> = sc
        .feasibility
        .milestones
        .iter()
        .filter(|m| m.verdict == VerdictLabel::Infeasible)
        .collect();
    if proven.is_empty() {
        return;
    }
    out.push_str("<h3>Dates proven impossible with this team</h3>");
    for m in proven {
        let text = m
            .certificate
            .as_ref()
            .map_or("the capacity bound admits no schedule by this date", |c| {
                c.text.as_str()
            });
        let _ = write!(
            out,
            "<div class=\"cert\"><b>{} (due {})</b>: {}.</div>",
            esc(&m.id),
            esc(&crate::report::date_or(m.due, "–")),
            esc(text)
        );
    }
    // The bound's note is in the summary, under the milestone table.
}
