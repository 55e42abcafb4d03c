//! The dependency graph as Graphviz DOT or a Mermaid flowchart, critical path marked.

use crate::cpm::ProgramCpm;
use crate::graph::NodeKind;
use crate::model::Model;
use std::fmt::Write as _;

fn label(model: &Model, kind: NodeKind) -> String {
    let (id, name) = match kind {
        NodeKind::Task(t) => (&model.tasks[t].id, &model.tasks[t].name),
        NodeKind::Milestone(m) => (&model.milestones[m].id, &model.milestones[m].name),
    };
    format!("{id}: {name}").replace('"', "'")
}

/// True when the link from `a` to `b` is on the critical path (consecutive on it).
fn on_path(path: &[usize], a: usize, b: usize) -> bool {
    path.windows(2).any(|w| w[0] == a && w[1] == b)
}

/// Graphviz DOT: critical nodes and links in red and bold, milestones as diamonds.
pub fn dot(model: &Model, result: &ProgramCpm) -> String {
    let g = &result.graph;
    let path = &result.cpm.critical_path;
    let mut out = String::from("digraph plan {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n");
    for (i, kind) in g.kinds.iter().enumerate() {
        let mut attrs = vec![format!("label=\"{}\"", label(model, *kind))];
        if matches!(kind, NodeKind::Milestone(_)) {
            attrs.push("shape=diamond".into());
        }
        if path.contains(&i) {
            attrs.push("color=red, penwidth=2, style=bold".into());
        }
        let _ = writeln!(out, "  \"{}\" [{}];", g.ids[i], attrs.join(", "));
    }
    for (a, _) in g.kinds.iter().enumerate() {
        for (&(b, lag), kind) in g.graph.succs(a).iter().zip(g.graph.succ_types(a)) {
            let mut attrs = Vec::new();
            let kind = match kind {
                crate::graph::LinkType::FS => String::new(),
                other => other.name().to_string(),
            };
            let lag = match lag {
                0.0 => String::new(),
                l if l < 0.0 => format!("{l}d"),
                l => format!("+{l}d"),
            };
            let text = [kind, lag].join(" ");
            if !text.trim().is_empty() {
                attrs.push(format!("label=\"{}\"", text.trim()));
            }
            if on_path(path, a, b) {
                attrs.push("color=red, penwidth=2".into());
            }
            let attrs = if attrs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attrs.join(", "))
            };
            let _ = writeln!(out, "  \"{}\" -> \"{}\"{attrs};", g.ids[a], g.ids[b]);
        }
    }
    out.push_str("}\n");
    out
}

/// Mermaid ids allow letters, digits and '_' only.
fn mermaid_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Mermaid flowchart: critical nodes in the `critical` class, critical links thick.
pub fn mermaid(model: &Model, result: &ProgramCpm) -> String {
    let g = &result.graph;
    let path = &result.cpm.critical_path;
    let mut out = String::from("flowchart LR\n");
    for (i, kind) in g.kinds.iter().enumerate() {
        let text = label(model, *kind);
        let shape = match kind {
            NodeKind::Milestone(_) => format!("{{\"{text}\"}}"),
            NodeKind::Task(_) => format!("[\"{text}\"]"),
        };
        let _ = writeln!(out, "  {}{shape}", mermaid_id(&g.ids[i]));
    }
    for (a, _) in g.kinds.iter().enumerate() {
        for (&(b, _), kind) in g.graph.succs(a).iter().zip(g.graph.succ_types(a)) {
            let arrow = if on_path(path, a, b) { "==>" } else { "-->" };
            // Finish-to-start is the plain arrow; other link types are named on it.
            let label = match kind {
                crate::graph::LinkType::FS => String::new(),
                other => format!("|{}|", other.name()),
            };
            let _ = writeln!(
                out,
                "  {} {arrow}{label} {}",
                mermaid_id(&g.ids[a]),
                mermaid_id(&g.ids[b])
            );
        }
    }
    out.push_str("  classDef critical fill:#fdd,stroke:#c00,stroke-width:3px\n");
    if !path.is_empty() {
        let ids: Vec<String> = path.iter().map(|&i| mermaid_id(&g.ids[i])).collect();
        let _ = writeln!(out, "  class {} critical", ids.join(","));
    }
    out
}
