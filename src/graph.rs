//! The dependency graph: tasks and milestones as nodes of a petgraph `DiGraph`, finish-to-start
//! links with lags as edges, a topological order, and compact adjacency lists for fast passes.
//!
//! The graph knows ids, kinds and edges only, not the model file: the model builds it
//! ([`Model::graph`](crate::model::Model::graph)) and words the cycles it finds.

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{HashMap, VecDeque};

/// An acyclic graph of `n` activities with lagged finish-to-start edges.
#[derive(Debug, Clone)]
pub struct TaskGraph {
    /// The petgraph graph; node `i` is activity `i`, edge weights are lags in working days.
    pub graph: DiGraph<(), f64>,
    /// Activities in a topological order.
    pub order: Vec<usize>,
    pred_start: Vec<usize>,
    pred_list: Vec<(usize, f64)>,
    succ_start: Vec<usize>,
    succ_list: Vec<(usize, f64)>,
}

impl TaskGraph {
    /// Builds the graph of `n` activities from `(from, to, lag)` edges.
    ///
    /// Returns the activities of one cycle, in order, when the edges are not acyclic.
    ///
    /// # Complexity
    ///
    /// `O(n + e)` for `n` activities and `e` edges: the topological sort is petgraph's
    /// depth-first `toposort`, the adjacency lists are two counting passes. When the sort
    /// finds a cycle, naming one costs `O(n + e)` more: Tarjan's strongly connected
    /// components, then a breadth-first walk inside the component back to its first node.
    pub fn new(n: usize, edges: &[(usize, usize, f64)]) -> Result<TaskGraph, Vec<usize>> {
        let mut graph = DiGraph::with_capacity(n, edges.len());
        for _ in 0..n {
            graph.add_node(());
        }
        for &(a, b, lag) in edges {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), lag);
        }
        let order = match toposort(&graph, None) {
            Ok(order) => order.into_iter().map(|i| i.index()).collect(),
            Err(_) => return Err(find_cycle(&graph)),
        };
        let (pred_start, pred_list) = adjacency(n, edges.iter().map(|&(a, b, lag)| (b, a, lag)));
        let (succ_start, succ_list) = adjacency(n, edges.iter().copied());
        Ok(TaskGraph {
            graph,
            order,
            pred_start,
            pred_list,
            succ_start,
            succ_list,
        })
    }

    /// Number of activities.
    pub fn len(&self) -> usize {
        self.pred_start.len() - 1
    }

    /// True when there are no activities.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Predecessors of `i` with their lags.
    pub fn preds(&self, i: usize) -> &[(usize, f64)] {
        &self.pred_list[self.pred_start[i]..self.pred_start[i + 1]]
    }

    /// Successors of `i` with their lags.
    pub fn succs(&self, i: usize) -> &[(usize, f64)] {
        &self.succ_list[self.succ_start[i]..self.succ_start[i + 1]]
    }
}

/// Compressed adjacency lists keyed by the first element of each edge.
fn adjacency(
    n: usize,
    edges: impl Iterator<Item = (usize, usize, f64)> + Clone,
) -> (Vec<usize>, Vec<(usize, f64)>) {
    let mut start = vec![0usize; n + 1];
    for (a, _, _) in edges.clone() {
        start[a + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut list = vec![(0usize, 0.0f64); start[n]];
    for (a, b, lag) in edges {
        list[fill[a]] = (b, lag);
        fill[a] += 1;
    }
    (start, list)
}

/// One cycle of a graph that has at least one: a strongly connected component walked back to
/// its first node by breadth-first search.
fn find_cycle(graph: &DiGraph<(), f64>) -> Vec<usize> {
    let sccs = tarjan_scc(graph);
    let Some(scc) = sccs
        .iter()
        .filter(|c| c.len() > 1 || graph.contains_edge(c[0], c[0]))
        .min_by_key(|c| c.iter().map(|n| n.index()).min())
    else {
        return Vec::new();
    };
    let start = *scc.iter().min_by_key(|n| n.index()).expect("non-empty");
    let in_scc: std::collections::HashSet<NodeIndex> = scc.iter().copied().collect();
    let mut parent: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for w in graph.neighbors(v) {
            if w == start {
                let mut path = vec![v.index()];
                let mut cur = v;
                while cur != start {
                    cur = parent[&cur];
                    path.push(cur.index());
                }
                path.reverse();
                return path;
            }
            if in_scc.contains(&w) && !parent.contains_key(&w) {
                parent.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start.index()]
}

/// What a node of the program graph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// `model.tasks[i]`.
    Task(usize),
    /// `model.milestones[i]`.
    Milestone(usize),
}

/// A program's tasks (nodes `0..tasks`) and milestones (the nodes after them) as one graph.
#[derive(Debug, Clone)]
pub struct ProgramGraph {
    /// Node ids in node order.
    pub ids: Vec<String>,
    /// What each node is.
    pub kinds: Vec<NodeKind>,
    /// The dependency graph.
    pub graph: TaskGraph,
    // foldhash: a million ids are hashed more than once per run; SipHash showed in profiles.
    index: foldhash::HashMap<String, usize>,
}

impl ProgramGraph {
    /// Builds the graph of nodes `ids` (of kinds `kinds`, in node order) with `(from, to, lag)`
    /// edges between node indices.
    ///
    /// Returns the nodes of one cycle, in order, when the edges are not acyclic: the graph owns
    /// cycle detection, and the model's validation words the cycle for the user.
    /// Complexity: O(n + e).
    pub fn new(
        ids: Vec<String>,
        kinds: Vec<NodeKind>,
        edges: &[(usize, usize, f64)],
    ) -> Result<ProgramGraph, Vec<usize>> {
        let graph = TaskGraph::new(ids.len(), edges)?;
        let index = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        Ok(ProgramGraph {
            ids,
            kinds,
            graph,
            index,
        })
    }

    /// The node of an id.
    pub fn node(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Number of tasks (they come first in node order).
    pub fn task_count(&self) -> usize {
        self.kinds
            .iter()
            .filter(|k| matches!(k, NodeKind::Task(_)))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_is_returned_in_order() {
        let err =
            TaskGraph::new(4, &[(0, 1, 0.0), (1, 2, 0.0), (2, 1, 0.0), (2, 3, 0.0)]).unwrap_err();
        assert_eq!(err, vec![1, 2]);
    }

    #[test]
    fn adjacency_lists_match_the_edges() {
        let g = TaskGraph::new(3, &[(0, 2, 1.0), (1, 2, 0.0)]).unwrap();
        assert_eq!(g.preds(2), &[(0, 1.0), (1, 0.0)]);
        assert_eq!(g.succs(0), &[(2, 1.0)]);
        assert!(g.preds(0).is_empty());
        assert_eq!(g.order.last(), Some(&2));
    }
}
