//! Strongly connected components, by Tarjan's algorithm with an explicit
//! stack, so that a cycle of any length fits the stack.

use super::{Adjacency, NONE};

/// The strongly connected components of the graph restricted to the kept
/// nodes (an edge counts when both its ends are kept), by Tarjan's
/// algorithm with an explicit stack.
pub(super) struct Sccs {
    /// Each kept node's component, `NONE` for the others. Components are
    /// numbered as Tarjan closes them, which is after every component they
    /// reach: a component's dependencies have smaller numbers.
    pub component: Vec<usize>,
    /// The nodes by component: component `c`'s are
    /// `order[bounds[c]..bounds[c + 1]]`.
    pub order: Vec<usize>,
    bounds: Vec<usize>,
    /// Whether each component holds a cycle: two or more members, or one
    /// depending on itself.
    pub cyclic: Vec<bool>,
}

impl Sccs {
    pub fn within(edges: &Adjacency, kept: &[bool]) -> Self {
        let mut search = Tarjan::new(kept.len());
        for root in 0..kept.len() {
            if kept[root] && search.number[root] == NONE {
                search.run(edges, kept, root);
            }
        }
        search.finish(edges)
    }

    pub fn count(&self) -> usize {
        self.bounds.len() - 1
    }

    pub fn members(&self, c: usize) -> &[usize] {
        &self.order[self.bounds[c]..self.bounds[c + 1]]
    }
}

/// Tarjan's search in progress. The recursion of the textbook version is
/// `calls`: each frame is a node and the position of its next edge.
struct Tarjan {
    /// Visit order, `NONE` until visited.
    number: Vec<usize>,
    low: Vec<usize>,
    component: Vec<usize>,
    /// Visited nodes not yet in a component. They are exactly the visited
    /// nodes without one, so no separate on-stack flag is needed.
    stack: Vec<usize>,
    calls: Vec<(usize, usize)>,
    visited: usize,
    order: Vec<usize>,
    bounds: Vec<usize>,
}

impl Tarjan {
    fn new(n: usize) -> Self {
        Tarjan {
            number: vec![NONE; n],
            low: vec![0; n],
            component: vec![NONE; n],
            stack: Vec::new(),
            calls: Vec::new(),
            visited: 0,
            order: Vec::with_capacity(n),
            bounds: vec![0],
        }
    }

    fn enter(&mut self, v: usize, edges: &Adjacency) {
        self.number[v] = self.visited;
        self.low[v] = self.visited;
        self.visited += 1;
        self.stack.push(v);
        self.calls.push((v, edges.start[v]));
    }

    fn run(&mut self, edges: &Adjacency, kept: &[bool], root: usize) {
        self.enter(root, edges);
        while let Some(&(v, next)) = self.calls.last() {
            if next < edges.start[v + 1] {
                self.calls.last_mut().expect("a frame was just read").1 += 1;
                let w = edges.targets[next];
                if !kept[w] {
                    continue;
                }
                if self.number[w] == NONE {
                    self.enter(w, edges);
                } else if self.component[w] == NONE {
                    self.low[v] = self.low[v].min(self.number[w]);
                }
            } else {
                self.calls.pop();
                if let Some(&(parent, _)) = self.calls.last() {
                    self.low[parent] = self.low[parent].min(self.low[v]);
                }
                if self.low[v] == self.number[v] {
                    self.close(v);
                }
            }
        }
    }

    /// Pops `v`'s component off the stack: `v` and everything above it.
    fn close(&mut self, v: usize) {
        let c = self.bounds.len() - 1;
        loop {
            let w = self.stack.pop().expect("a component's root is on the stack");
            self.component[w] = c;
            self.order.push(w);
            if w == v {
                break;
            }
        }
        self.bounds.push(self.order.len());
    }

    fn finish(self, edges: &Adjacency) -> Sccs {
        let cyclic = (0..self.bounds.len() - 1)
            .map(|c| {
                let members = &self.order[self.bounds[c]..self.bounds[c + 1]];
                members.len() > 1 || edges.of(members[0]).contains(&members[0])
            })
            .collect();
        Sccs { component: self.component, order: self.order, bounds: self.bounds, cyclic }
    }
}
