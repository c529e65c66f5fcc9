//! The largest total the caps allow, when caps cross (docs/LANGUAGE.md, section 11).
//!
//! Outcomes are first served one by one in date order ([`super::caps::CapState`]). When no
//! two caps cross, that already gives the largest total. When caps cross, an outcome served
//! early can take room in two caps that later outcomes needed in only one of them, and the
//! total falls short. The served allocation is then improved to a maximum flow: credit flows
//! from a source through the caps of the outer family (each cap a node, nested caps below the
//! caps holding them), through each conversion, then through the caps of the inner family to a
//! sink. Each cap's edge carries at most its room; each conversion's at most its credit. The
//! flow starts from the served allocation, and shortest augmenting paths (searched in serving
//! order, so the result is deterministic) move credit from earlier outcomes to later ones only
//! as far as a larger total needs. A maximum flow never shrinks when a conversion is added,
//! which is what makes "an approved outcome never lowers the total" hold.

use super::caps::{period_of, Addition, CapState};
use super::{CapId, Clip, Family, OutcomesPlan};
use rust_decimal::Decimal;
use std::collections::VecDeque;

/// One conversion's claim on the caps, in serving order.
#[derive(Clone, Debug)]
pub(super) struct Claim {
    /// What is being counted.
    pub addition: Addition,
    /// Its credit before caps.
    pub credited: Decimal,
    /// What it keeps: on entry as served in date order, on return in the best allocation.
    pub recognised: Decimal,
    /// As served, the window (cap and period) that made the last cut, if any: the one that
    /// is full because of it.
    pub last_cut: Option<(CapId, i32)>,
    /// On return from an improvement, the cap that cut it (if any) and by how much.
    pub clip: Option<Clip>,
}

/// True when the allocation as served is already the largest total, shown cheaply: take the
/// window that made each conversion's last cut (full, since the conversion filled it); if no
/// conversion that kept credit lies in two of them, those windows and the uncut conversions
/// bound the total by exactly what was served (a dual solution of the same value). Serving in
/// order usually passes this, and then no flow is built.
pub(super) fn served_is_best(plan: &OutcomesPlan, claims: &[Claim]) -> bool {
    let mut full: Vec<(CapId, i32)> = Vec::new();
    for w in claims.iter().filter_map(|c| c.last_cut) {
        if !full.contains(&w) {
            full.push(w);
        }
    }
    claims
        .iter()
        .filter(|c| c.recognised > Decimal::ZERO)
        .all(|c| {
            full.iter()
                .filter(|(cap, period)| {
                    plan.cap_plan(*cap).is_some_and(|p| {
                        super::caps::applies(p.scope, &c.addition)
                            && period_of(p.period, &c.addition) == *period
                    })
                })
                .count()
                <= 1
        })
}

/// One cap in one period, with the claims it counts.
struct Window {
    cap: CapId,
    period: i32,
    family: Family,
    /// Claim indices, ascending.
    members: Vec<usize>,
    /// What it lets through in the served allocation.
    flow: Decimal,
    /// The most it can let through: its limit less the course credit counted first.
    capacity: Decimal,
}

/// A residual graph with paired edges: edge `e ^ 1` is the reverse of edge `e`.
struct Network {
    to: Vec<usize>,
    capacity: Vec<Decimal>,
    flow: Vec<Decimal>,
    out: Vec<Vec<usize>>,
}

impl Network {
    fn new(nodes: usize) -> Self {
        Network {
            to: Vec::new(),
            capacity: Vec::new(),
            flow: Vec::new(),
            out: vec![Vec::new(); nodes],
        }
    }

    /// Adds `from -> to` carrying `flow` of at most `capacity`; returns the edge.
    fn edge(&mut self, from: usize, to: usize, capacity: Decimal, flow: Decimal) -> usize {
        let e = self.to.len();
        self.to.extend([to, from]);
        self.capacity.extend([capacity, Decimal::ZERO]);
        self.flow.extend([flow, -flow]);
        if let Some(list) = self.out.get_mut(from) {
            list.push(e);
        }
        if let Some(list) = self.out.get_mut(to) {
            list.push(e + 1);
        }
        e
    }

    fn residual(&self, e: usize) -> Decimal {
        self.capacity[e] - self.flow[e]
    }

    /// One shortest augmenting path from `source` to `sink`, pushed; false when none is left.
    fn augment(&mut self, source: usize, sink: usize) -> bool {
        let mut via: Vec<Option<usize>> = vec![None; self.out.len()];
        let mut seen = vec![false; self.out.len()];
        seen[source] = true;
        let mut queue = VecDeque::from([source]);
        while let Some(u) = queue.pop_front() {
            if u == sink {
                break;
            }
            for &e in &self.out[u] {
                let v = self.to[e];
                if !seen[v] && self.residual(e) > Decimal::ZERO {
                    seen[v] = true;
                    via[v] = Some(e);
                    queue.push_back(v);
                }
            }
        }
        if !seen[sink] {
            return false;
        }
        let mut path = Vec::new();
        let mut at = sink;
        while let Some(e) = via[at] {
            path.push(e);
            at = self.to[e ^ 1];
        }
        let Some(push) = path.iter().map(|&e| self.residual(e)).min() else {
            return false;
        };
        for e in path {
            self.flow[e] += push;
            self.flow[e ^ 1] -= push;
        }
        true
    }
}

/// True when every element of `small` is in `large`; both ascending.
fn subset(small: &[usize], large: &[usize]) -> bool {
    let mut rest = large.iter();
    small.iter().all(|x| rest.any(|y| y == x))
}

/// The innermost window of `family` holding every member of `members` (other than window
/// `except`): the smallest, and of equal ones the latest, so that equal windows form a chain.
fn holder(
    windows: &[Window],
    family: Family,
    members: &[usize],
    except: Option<usize>,
) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (j, w) in windows.iter().enumerate() {
        if w.family != family || Some(j) == except || !subset(members, &w.members) {
            continue;
        }
        if let Some(i) = except {
            // A window of the same size holds window `i` only if it comes earlier.
            if w.members.len() == members.len() && j > i {
                continue;
            }
        }
        best = match best {
            Some(b) if windows[b].members.len() < w.members.len() => Some(b),
            _ => Some(j),
        };
    }
    best
}

/// Improves `claims`, served in date order, to the largest total the caps allow. Returns true
/// when any claim changed; then every claim's `recognised` and `clip` are set anew.
pub(super) fn improve(plan: &OutcomesPlan, state: &CapState, claims: &mut [Claim]) -> bool {
    let mut windows: Vec<Window> = Vec::new();
    let mut of_claim: Vec<Vec<usize>> = Vec::with_capacity(claims.len());
    for (c, claim) in claims.iter().enumerate() {
        let mut mine = Vec::new();
        for &cap_id in plan.cap_order() {
            let Some(cap) = plan.cap_plan(cap_id) else {
                continue;
            };
            if !super::caps::applies(cap.scope, &claim.addition) {
                continue;
            }
            let period = period_of(cap.period, &claim.addition);
            let at = match windows
                .iter()
                .position(|w| w.cap == cap_id && w.period == period)
            {
                Some(at) => at,
                None => {
                    let used = state.used_in(cap_id, period);
                    windows.push(Window {
                        cap: cap_id,
                        period,
                        family: cap.family,
                        members: Vec::new(),
                        flow: Decimal::ZERO,
                        capacity: (cap.limit - used).max(Decimal::ZERO),
                    });
                    windows.len() - 1
                }
            };
            if let Some(w) = windows.get_mut(at) {
                w.members.push(c);
                w.flow += claim.recognised;
            }
            mine.push(at);
        }
        of_claim.push(mine);
    }
    // The room left after serving, plus what was served, is what each window can carry.
    for w in &mut windows {
        w.capacity += w.flow;
    }
    let (source, sink) = (0, 1);
    let claim_node = |c: usize| 2 + c;
    let window_node = |w: usize| 2 + claims.len() + w;
    let mut net = Network::new(2 + claims.len() + windows.len());
    for (i, w) in windows.iter().enumerate() {
        let up = holder(&windows, w.family, &w.members, Some(i));
        if !w
            .members
            .iter()
            .all(|m| up.is_none_or(|u| windows[u].members.binary_search(m).is_ok()))
        {
            // INVARIANT: the caps of one family nest (checked when the plan was compiled).
            return false;
        }
        match w.family {
            Family::Outer => net.edge(
                up.map_or(source, window_node),
                window_node(i),
                w.capacity,
                w.flow,
            ),
            Family::Inner => net.edge(
                window_node(i),
                up.map_or(sink, window_node),
                w.capacity,
                w.flow,
            ),
        };
    }
    let mut claim_edges = Vec::with_capacity(claims.len());
    for (c, claim) in claims.iter().enumerate() {
        let outer = holder(&windows, Family::Outer, &[c], None);
        let inner = holder(&windows, Family::Inner, &[c], None);
        let e = net.edge(
            outer.map_or(source, window_node),
            claim_node(c),
            claim.credited,
            claim.recognised,
        );
        net.edge(
            claim_node(c),
            inner.map_or(sink, window_node),
            claim.credited,
            claim.recognised,
        );
        claim_edges.push(e);
    }
    let mut improved = false;
    while net.augment(source, sink) {
        improved = true;
    }
    if !improved {
        return false;
    }
    // Each window's edge is the first edge added for it, in window order.
    let full: Vec<bool> = (0..windows.len())
        .map(|i| net.residual(2 * i) <= Decimal::ZERO)
        .collect();
    for (c, claim) in claims.iter_mut().enumerate() {
        claim.recognised = net.flow[claim_edges[c]];
        let cut = claim.credited - claim.recognised;
        claim.clip = None;
        if cut > Decimal::ZERO {
            // A conversion cut short lies in at least one full window, or a path through its
            // own windows would have carried more: name the first in the caps' order.
            let by = of_claim[c]
                .iter()
                .copied()
                .find(|&w| full[w])
                .or_else(|| of_claim[c].first().copied());
            if let Some(w) = by.and_then(|w| windows.get(w)) {
                let period = plan.cap_plan(w.cap).and_then(|cap| cap.period);
                claim.clip = Some(Clip {
                    cap: w.cap,
                    by: cut,
                    period: period.map(|p| (p, w.period)),
                });
            }
        }
    }
    true
}
