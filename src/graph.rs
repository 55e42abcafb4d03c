//! The dependency graph: tasks and milestones as nodes of a petgraph `DiGraph`, typed links
//! (finish-to-start, start-to-start, finish-to-finish, start-to-finish) with lags as edges, a
//! topological order, and compact adjacency lists for fast passes.
//!
//! The graph knows ids, kinds and edges only, not the model file: the model builds it
//! ([`Model::graph`](crate::model::Model::graph)) and words the cycles it finds.

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;

/// Which ends of two activities a link ties: the predecessor's start or finish to the
/// successor's start or finish (MS Project's and Primavera's four link types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum LinkType {
    /// Finish-to-start: the successor starts `lag` after the predecessor finishes.
    #[default]
    FS,
    /// Start-to-start: the successor starts `lag` after the predecessor starts.
    SS,
    /// Finish-to-finish: the successor finishes `lag` after the predecessor finishes.
    FF,
    /// Start-to-finish: the successor finishes `lag` after the predecessor starts.
    SF,
}

impl LinkType {
    /// The four types, in the order the model format lists them.
    pub const ALL: [LinkType; 4] = [LinkType::FS, LinkType::SS, LinkType::FF, LinkType::SF];

    /// The type's two-letter name, as written in a model (`"FS"`, `"SS"`, `"FF"`, `"SF"`).
    pub fn name(self) -> &'static str {
        match self {
            LinkType::FS => "FS",
            LinkType::SS => "SS",
            LinkType::FF => "FF",
            LinkType::SF => "SF",
        }
    }

    /// The type written `name` (exact, upper case), if any.
    pub fn from_name(name: &str) -> Option<LinkType> {
        LinkType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// True when the link starts from the predecessor's start (SS, SF).
    pub fn from_start(self) -> bool {
        matches!(self, LinkType::SS | LinkType::SF)
    }

    /// True when the link ends at the successor's finish (FF, SF).
    pub fn to_finish(self) -> bool {
        matches!(self, LinkType::FF | LinkType::SF)
    }

    /// The same constraint seen backwards in time, where starts become finishes: a pass
    /// that schedules from the end (latest dates, right-justification) reads a link
    /// `p -> s` of this type as a link `s -> p` of the mirrored type. SS and FF swap;
    /// FS and SF are their own mirror.
    pub fn mirrored(self) -> LinkType {
        match self {
            LinkType::SS => LinkType::FF,
            LinkType::FF => LinkType::SS,
            other => other,
        }
    }

    /// The earliest start a link allows its successor, from the predecessor's `start` and
    /// `finish` and the successor's own `duration` (no clamp at day 0).
    #[inline]
    pub fn earliest_start(self, start: f64, finish: f64, lag: f64, duration: f64) -> f64 {
        let anchor = if self.from_start() { start } else { finish };
        let end = if self.to_finish() { duration } else { 0.0 };
        anchor + lag - end
    }
}

/// A typed link with its lag in working days (negative for a lead).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Link {
    /// Which ends the link ties.
    pub kind: LinkType,
    /// Working days; negative is a lead.
    pub lag: f64,
}

impl Link {
    /// A finish-to-start link with `lag`.
    pub fn fs(lag: f64) -> Link {
        Link {
            kind: LinkType::FS,
            lag,
        }
    }
}

/// An acyclic graph of `n` activities with typed, lagged edges.
#[derive(Debug, Clone)]
pub struct TaskGraph {
    /// The petgraph graph; node `i` is activity `i`, edge weights are lags in working days.
    pub graph: DiGraph<(), f64>,
    /// Activities in a topological order.
    pub order: Vec<usize>,
    pred_start: Vec<usize>,
    pred_list: Vec<(usize, f64)>,
    pred_types: Vec<LinkType>,
    succ_start: Vec<usize>,
    succ_list: Vec<(usize, f64)>,
    succ_types: Vec<LinkType>,
    finish_to_start: bool,
}

impl TaskGraph {
    /// Builds the graph of `n` activities from finish-to-start `(from, to, lag)` edges.
    ///
    /// Returns the activities of one cycle, in order, when the edges are not acyclic.
    /// See [`TaskGraph::with_links`] for its complexity.
    pub fn new(n: usize, edges: &[(usize, usize, f64)]) -> Result<TaskGraph, Vec<usize>> {
        // Read in place, not copied into typed links: at a million tasks the copy alone was
        // about 100 MB and a tenth of the build.
        TaskGraph::build(
            n,
            edges.len(),
            edges.iter().map(|&(a, b, lag)| (a, b, Link::fs(lag))),
        )
    }

    /// Builds the graph of `n` activities from `(from, to, link)` edges of any type.
    ///
    /// A cycle through links of any type is refused (as MS Project does): the activities of
    /// one cycle are returned, in order.
    ///
    /// Returns the activities of one cycle, in order, when the edges are not acyclic.
    ///
    /// # Complexity
    ///
    /// `O(n + e)` for `n` activities and `e` edges: the topological sort is petgraph's
    /// depth-first `toposort`, the adjacency lists are two counting passes. When the sort
    /// finds a cycle, naming one costs `O(n + e)` more: Tarjan's strongly connected
    /// components, then a breadth-first walk inside the component back to its first node.
    pub fn with_links(n: usize, edges: &[(usize, usize, Link)]) -> Result<TaskGraph, Vec<usize>> {
        TaskGraph::build(n, edges.len(), edges.iter().copied())
    }

    /// [`TaskGraph::with_links`] over `count` edges read from `edges` (read more than once).
    fn build(
        n: usize,
        count: usize,
        edges: impl Iterator<Item = (usize, usize, Link)> + Clone,
    ) -> Result<TaskGraph, Vec<usize>> {
        let mut graph = DiGraph::with_capacity(n, count);
        for _ in 0..n {
            graph.add_node(());
        }
        for (a, b, link) in edges.clone() {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), link.lag);
        }
        let order = match toposort(&graph, None) {
            Ok(order) => order.into_iter().map(|i| i.index()).collect(),
            Err(_) => return Err(find_cycle(&graph)),
        };
        let finish_to_start = edges.clone().all(|e| e.2.kind == LinkType::FS);
        let (pred_start, pred_list, pred_types) =
            adjacency(n, edges.clone().map(|(a, b, link)| (b, a, link)));
        let (succ_start, succ_list, succ_types) = adjacency(n, edges);
        Ok(TaskGraph {
            graph,
            order,
            pred_start,
            pred_list,
            pred_types,
            succ_start,
            succ_list,
            succ_types,
            finish_to_start,
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

    /// The link types of [`TaskGraph::preds`]`(i)`, in the same order.
    pub fn pred_types(&self, i: usize) -> &[LinkType] {
        &self.pred_types[self.pred_start[i]..self.pred_start[i + 1]]
    }

    /// The link types of [`TaskGraph::succs`]`(i)`, in the same order.
    pub fn succ_types(&self, i: usize) -> &[LinkType] {
        &self.succ_types[self.succ_start[i]..self.succ_start[i + 1]]
    }

    /// True when every link is finish-to-start, so passes may take their fast path.
    pub fn is_finish_to_start(&self) -> bool {
        self.finish_to_start
    }
}

/// Compressed adjacency lists keyed by the first element of each edge, with the link types
/// in a parallel list.
fn adjacency(
    n: usize,
    edges: impl Iterator<Item = (usize, usize, Link)> + Clone,
) -> (Vec<usize>, Vec<(usize, f64)>, Vec<LinkType>) {
    let mut start = vec![0usize; n + 1];
    for (a, _, _) in edges.clone() {
        start[a + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut list = vec![(0usize, 0.0f64); start[n]];
    let mut types = vec![LinkType::FS; start[n]];
    for (a, b, link) in edges {
        list[fill[a]] = (b, link.lag);
        types[fill[a]] = link.kind;
        fill[a] += 1;
    }
    (start, list, types)
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
    index: IdIndex,
}

/// The node of each id, holding node numbers only: the ids themselves stay in the one list
/// they are looked up in, not copied into the map (a million ids are a million strings).
#[derive(Debug, Clone)]
pub(crate) struct IdIndex {
    table: hashbrown::HashTable<usize>,
    // foldhash: a million ids are hashed more than once per run; SipHash showed in profiles.
    hasher: foldhash::fast::FixedState,
}

impl IdIndex {
    /// Indexes `ids` by position; of two equal ids the later one is found.
    pub(crate) fn new(ids: &[String]) -> IdIndex {
        let hasher = foldhash::fast::FixedState::default();
        let mut table = hashbrown::HashTable::with_capacity(ids.len());
        let hash = |id: &str| hasher.hash_one(id);
        for (i, id) in ids.iter().enumerate() {
            match table.find_mut(hash(id), |&j: &usize| ids[j] == *id) {
                Some(slot) => *slot = i,
                None => {
                    table.insert_unique(hash(id), i, |&j: &usize| hash(&ids[j]));
                }
            }
        }
        IdIndex { table, hasher }
    }

    /// How many distinct ids it holds.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// The position of `id` in `ids`, the list this index was built from.
    pub(crate) fn get(&self, ids: &[String], id: &str) -> Option<usize> {
        self.table
            .find(self.hasher.hash_one(id), |&j| ids[j] == id)
            .copied()
    }
}

impl ProgramGraph {
    /// Builds the graph of nodes `ids` (of kinds `kinds`, in node order) with
    /// `(from, to, link)` edges between node indices.
    ///
    /// Returns the nodes of one cycle, in order, when the edges are not acyclic: the graph owns
    /// cycle detection, and the model's validation words the cycle for the user.
    /// Complexity: O(n + e).
    pub fn new(
        ids: Vec<String>,
        kinds: Vec<NodeKind>,
        edges: &[(usize, usize, Link)],
    ) -> Result<ProgramGraph, Vec<usize>> {
        let index = IdIndex::new(&ids);
        ProgramGraph::indexed(ids, kinds, index, edges)
    }

    /// [`ProgramGraph::new`] with the index of `ids` already built (to find the edges).
    pub(crate) fn indexed(
        ids: Vec<String>,
        kinds: Vec<NodeKind>,
        index: IdIndex,
        edges: &[(usize, usize, Link)],
    ) -> Result<ProgramGraph, Vec<usize>> {
        let graph = TaskGraph::with_links(ids.len(), edges)?;
        Ok(ProgramGraph {
            ids,
            kinds,
            graph,
            index,
        })
    }

    /// The graph of nodes `ids` (of kinds `kinds`, indexed by `index`) with its links,
    /// built already.
    pub(crate) fn from_parts(
        ids: Vec<String>,
        kinds: Vec<NodeKind>,
        index: IdIndex,
        graph: TaskGraph,
    ) -> ProgramGraph {
        ProgramGraph {
            ids,
            kinds,
            graph,
            index,
        }
    }

    /// The node of an id.
    pub fn node(&self, id: &str) -> Option<usize> {
        self.index.get(&self.ids, id)
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
        assert!(g.is_finish_to_start());
    }

    #[test]
    fn link_types_follow_their_edges() {
        let ss = Link {
            kind: LinkType::SS,
            lag: -2.0,
        };
        let g = TaskGraph::with_links(3, &[(0, 2, Link::fs(1.0)), (1, 2, ss)]).unwrap();
        assert_eq!(g.pred_types(2), &[LinkType::FS, LinkType::SS]);
        assert_eq!(g.succ_types(1), &[LinkType::SS]);
        assert!(!g.is_finish_to_start());
    }

    #[test]
    fn a_cycle_through_start_to_start_links_is_refused() {
        let ss = Link {
            kind: LinkType::SS,
            lag: -5.0,
        };
        assert_eq!(
            TaskGraph::with_links(2, &[(0, 1, ss), (1, 0, ss)]).unwrap_err(),
            vec![0, 1]
        );
    }

    #[test]
    fn ids_are_found_by_node_and_a_repeated_id_by_its_last_node() {
        let ids: Vec<String> = ["A", "B", "A", "C"].map(String::from).to_vec();
        let kinds = (0..4).map(NodeKind::Task).collect();
        let g = ProgramGraph::new(ids, kinds, &[(0, 1, Link::fs(0.0))]).unwrap();
        assert_eq!(g.node("B"), Some(1));
        assert_eq!(g.node("A"), Some(2));
        assert_eq!(g.node("C"), Some(3));
        assert_eq!(g.node("D"), None);
    }

    #[test]
    fn mirroring_swaps_start_and_finish_ends() {
        for t in LinkType::ALL {
            assert_eq!(t.mirrored().mirrored(), t);
            assert_eq!(t.mirrored().from_start(), t.to_finish());
        }
    }
}
