//! The dependency graph as Graphviz DOT or a Mermaid flowchart, critical path marked.

use crate::cpm::ProgramCpm;
use crate::graph::NodeKind;
use crate::model::Model;
use std::io::{self, Write};

fn label(model: &Model, kind: NodeKind) -> String {
    let (id, name) = match kind {
        NodeKind::Task(t) => (&model.tasks[t].id, &model.tasks[t].name),
        NodeKind::Milestone(m) => (&model.milestones[m].id, &model.milestones[m].name),
    };
    format!("{id}: {name}").replace('"', "'")
}

/// Where each node is on the critical path: `on[n]` for the nodes on it, `next[n]` the node
/// after `n` on it (`usize::MAX` for none). Found once, so that marking nodes and links costs
/// one look-up each instead of a scan of the path (quadratic on large programs).
struct PathMarks {
    on: Vec<bool>,
    next: Vec<usize>,
}

impl PathMarks {
    fn of(path: &[usize], nodes: usize) -> Self {
        let mut on = vec![false; nodes];
        let mut next = vec![usize::MAX; nodes];
        for &n in path {
            on[n] = true;
        }
        // A path through the acyclic graph visits each node once: one successor on it each.
        for w in path.windows(2) {
            next[w[0]] = w[1];
        }
        PathMarks { on, next }
    }

    /// True when the link from `a` to `b` is on the critical path (consecutive on it).
    fn link(&self, a: usize, b: usize) -> bool {
        self.next[a] == b
    }
}

/// Graphviz DOT: critical nodes and links in red and bold, milestones as diamonds.
pub fn dot(model: &Model, result: &ProgramCpm) -> String {
    let mut bytes = Vec::new();
    dot_to(model, result, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the graph is UTF-8")
}

/// Graphviz DOT, streamed into `out`.
pub fn dot_to(model: &Model, result: &ProgramCpm, out: &mut dyn Write) -> io::Result<()> {
    let g = &result.graph;
    let marks = PathMarks::of(&result.cpm.critical_path, g.kinds.len());
    out.write_all(b"digraph plan {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n")?;
    for (i, kind) in g.kinds.iter().enumerate() {
        let mut attrs = vec![format!("label=\"{}\"", label(model, *kind))];
        if matches!(kind, NodeKind::Milestone(_)) {
            attrs.push("shape=diamond".into());
        }
        if marks.on[i] {
            attrs.push("color=red, penwidth=2, style=bold".into());
        }
        writeln!(out, "  \"{}\" [{}];", g.ids[i], attrs.join(", "))?;
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
            if marks.link(a, b) {
                attrs.push("color=red, penwidth=2".into());
            }
            let attrs = if attrs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attrs.join(", "))
            };
            writeln!(out, "  \"{}\" -> \"{}\"{attrs};", g.ids[a], g.ids[b])?;
        }
    }
    out.write_all(b"}\n")
}

/// Mermaid ids allow letters, digits and '_' only.
fn mermaid_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Mermaid flowchart: critical nodes in the `critical` class, critical links thick.
pub fn mermaid(model: &Model, result: &ProgramCpm) -> String {
    let mut bytes = Vec::new();
    mermaid_to(model, result, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the graph is UTF-8")
}

/// The Mermaid flowchart, streamed into `out`.
pub fn mermaid_to(model: &Model, result: &ProgramCpm, out: &mut dyn Write) -> io::Result<()> {
    let g = &result.graph;
    let path = &result.cpm.critical_path;
    let marks = PathMarks::of(path, g.kinds.len());
    out.write_all(b"flowchart LR\n")?;
    for (i, kind) in g.kinds.iter().enumerate() {
        let text = label(model, *kind);
        let shape = match kind {
            NodeKind::Milestone(_) => format!("{{\"{text}\"}}"),
            NodeKind::Task(_) => format!("[\"{text}\"]"),
        };
        writeln!(out, "  {}{shape}", mermaid_id(&g.ids[i]))?;
    }
    for (a, _) in g.kinds.iter().enumerate() {
        for (&(b, _), kind) in g.graph.succs(a).iter().zip(g.graph.succ_types(a)) {
            let arrow = if marks.link(a, b) { "==>" } else { "-->" };
            // Finish-to-start is the plain arrow; other link types are named on it.
            let label = match kind {
                crate::graph::LinkType::FS => String::new(),
                other => format!("|{}|", other.name()),
            };
            writeln!(
                out,
                "  {} {arrow}{label} {}",
                mermaid_id(&g.ids[a]),
                mermaid_id(&g.ids[b])
            )?;
        }
    }
    out.write_all(b"  classDef critical fill:#fdd,stroke:#c00,stroke-width:3px\n")?;
    if !path.is_empty() {
        let ids: Vec<String> = path.iter().map(|&i| mermaid_id(&g.ids[i])).collect();
        writeln!(out, "  class {} critical", ids.join(","))?;
    }
    Ok(())
}
