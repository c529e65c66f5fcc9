//! Requirements that refer to each other in a cycle (E039): `requires program` between
//! programs, and `requires graduation` inside graduation (directly or through programs).
//! Certificates cannot be required, so they cannot be on a cycle.

use super::symbols::Symbols;
use crate::ast::{Item, Node, Requirement, RequirementBody, RulesetFile, Span};
use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashMap;

/// A block that other blocks can require.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Block<'a> {
    Graduation,
    Program(&'a str),
}

impl Block<'_> {
    fn name(self) -> String {
        match self {
            Block::Graduation => "graduation".to_string(),
            Block::Program(p) => format!("program `{p}`"),
        }
    }
}

/// One `requires program X` or `requires graduation`: where it is and what it names.
struct Edge<'a> {
    to: Block<'a>,
    span: Span,
}

/// Reports each cycle once, at the requirement that closes it.
pub fn check(file: &RulesetFile, symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    // Nodes in source order, so the report does not depend on hashing.
    let mut order: Vec<Block> = Vec::new();
    let mut edges: HashMap<Block, Vec<Edge>> = HashMap::new();
    let mut graduation_seen = false;
    for item in &file.items {
        let (block, requirements) = match &item.value {
            Item::Graduation(g) if !graduation_seen => {
                graduation_seen = true;
                (Block::Graduation, &g.requirements)
            }
            // A program defined twice is reported as a duplicate; the first one counts.
            Item::Program(p) if !edges.contains_key(&Block::Program(&p.id.value)) => {
                (Block::Program(&p.id.value), &p.requirements)
            }
            _ => continue,
        };
        order.push(block);
        edges.insert(block, out_edges(requirements, symbols));
    }
    let mut state: HashMap<Block, State> = HashMap::new();
    for start in order {
        let mut path: Vec<(Block, Span)> = Vec::new();
        visit(start, &edges, &mut state, &mut path, out);
    }
}

fn out_edges<'a>(requirements: &'a [Node<Requirement>], symbols: &Symbols) -> Vec<Edge<'a>> {
    requirements
        .iter()
        .filter_map(|r| match &r.value.body {
            RequirementBody::Graduation => Some(Edge {
                to: Block::Graduation,
                span: r.span,
            }),
            RequirementBody::Program(p) if symbols.programs.contains(&p.value) => Some(Edge {
                to: Block::Program(&p.value),
                span: p.span,
            }),
            _ => None,
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    OnPath,
    Done,
}

/// Depth-first search; the recursion depth is bounded by the number of programs.
fn visit<'a>(
    block: Block<'a>,
    edges: &HashMap<Block<'a>, Vec<Edge<'a>>>,
    state: &mut HashMap<Block<'a>, State>,
    path: &mut Vec<(Block<'a>, Span)>,
    out: &mut Vec<Diagnostic>,
) {
    if state.contains_key(&block) {
        return;
    }
    state.insert(block, State::OnPath);
    for edge in edges.get(&block).map_or(&[][..], Vec::as_slice) {
        match state.get(&edge.to) {
            Some(State::OnPath) => out.push(cycle(block, edge, path)),
            Some(State::Done) => {}
            None => {
                path.push((block, edge.span));
                visit(edge.to, edges, state, path, out);
                path.pop();
            }
        }
    }
    state.insert(block, State::Done);
}

fn cycle(from: Block, edge: &Edge, path: &[(Block, Span)]) -> Diagnostic {
    // The cycle is the part of the path from the block the edge returns to.
    let start = path
        .iter()
        .position(|(b, _)| *b == edge.to)
        .unwrap_or(path.len());
    let steps = path.get(start..).unwrap_or_default();
    let mut names: Vec<String> = steps.iter().map(|(b, _)| b.name()).collect();
    names.push(from.name());
    names.push(edge.to.name());
    let message = if from == edge.to {
        format!("{} requires itself", from.name())
    } else {
        format!(
            "requirements refer to each other in a cycle: {}",
            names.join(" -> ")
        )
    };
    let mut d = Diagnostic::new(Code::RequirementCycle, edge.span, message)
        .with_label(format!("{} is required again here", edge.to.name()))
        .with_help("remove one of the requirements on the cycle; a block cannot depend on itself");
    for (_, span) in steps {
        d = d.with_related(*span, "required here");
    }
    d
}
