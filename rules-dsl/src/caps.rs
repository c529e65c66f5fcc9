//! How the caps of a ruleset nest: the two families that let the engine find the largest total
//! the caps allow (docs/LANGUAGE.md, section 11).
//!
//! A cap counts a set of conversion rules (`on rule`, `on kind`, `on category`,
//! `on conversions`) over a period (a term, a year, or all time; a term lies inside a year).
//! Two caps *nest* when, for every learner, any two of their counting windows are disjoint or
//! one holds the other: their rule sets are disjoint, or the smaller rule set also has the
//! shorter (or same) period. Caps that do not nest *cross*: a competition cap and a yearly
//! cap on the innovation category both count a competition won this year, and neither
//! contains the other.
//!
//! When every pair nests, serving outcomes one by one already gives the largest total. When
//! caps cross, the engine reaches it with a maximum flow, which needs the caps split into two
//! families, each nesting within itself (one family on the side credit flows out of, one on
//! the side it flows into). That is a two-colouring of the crossing graph; three caps that
//! cross one another in a cycle of odd length have none, and the checker reports them (E044).
//! Both the checker and the engine call [`families`], so they agree on what is allowed.

/// What a cap counts, reduced to what decides crossing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapShape {
    /// The conversion rules whose credit it counts, as indices, sorted and distinct.
    pub rules: Vec<usize>,
    /// How long its window is.
    pub period: Window,
}

/// A cap's counting window, shortest first: a term lies inside a year, a year inside all
/// time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Window {
    /// `per term`.
    Term,
    /// `per year`.
    Year,
    /// No period: all time.
    Total,
}

/// True when every element of `small` is in `large`; both sorted and distinct.
fn subset(small: &[usize], large: &[usize]) -> bool {
    let mut rest = large.iter();
    small.iter().all(|x| rest.any(|y| y == x))
}

/// True when sorted `a` and `b` share no element.
fn disjoint(a: &[usize], b: &[usize]) -> bool {
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Equal => return false,
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    true
}

/// True when two caps cross: some learner can have two of their windows that overlap without
/// one holding the other.
pub fn crosses(a: &CapShape, b: &CapShape) -> bool {
    if disjoint(&a.rules, &b.rules) {
        return false;
    }
    let a_in_b = subset(&a.rules, &b.rules) && a.period <= b.period;
    let b_in_a = subset(&b.rules, &a.rules) && b.period <= a.period;
    !(a_in_b || b_in_a)
}

/// Which family a cap belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// The side credit flows out of (every cap when none cross).
    Outer,
    /// The side credit flows into.
    Inner,
}

/// Caps that cross one another in a cycle of odd length: no split into two nesting families
/// exists. The indices are into the shapes given to [`families`], in cycle order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OddCrossing {
    /// The caps of the cycle; each crosses the next, and the last crosses the first.
    pub caps: Vec<usize>,
}

/// Splits caps into two families, each of which nests within itself, or finds the odd cycle
/// of crossing caps that prevents it. Deterministic: caps are coloured in the order given,
/// the first of each connected group [`Family::Outer`].
pub fn families(shapes: &[CapShape]) -> Result<Vec<Family>, OddCrossing> {
    let n = shapes.len();
    let crossing: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            (0..n)
                .filter(|&j| {
                    j != i
                        && shapes
                            .get(i)
                            .zip(shapes.get(j))
                            .is_some_and(|(a, b)| crosses(a, b))
                })
                .collect()
        })
        .collect();
    let mut colour: Vec<Option<Family>> = vec![None; n];
    let mut parent: Vec<Option<usize>> = vec![None; n];
    for start in 0..n {
        if colour[start].is_some() {
            continue;
        }
        colour[start] = Some(Family::Outer);
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(u) = queue.pop_front() {
            let here = colour[u];
            for &v in &crossing[u] {
                match colour[v] {
                    None => {
                        colour[v] = Some(match here {
                            Some(Family::Outer) => Family::Inner,
                            _ => Family::Outer,
                        });
                        parent[v] = Some(u);
                        queue.push_back(v);
                    }
                    Some(c) if Some(c) == here => return Err(odd_cycle(&parent, u, v)),
                    Some(_) => {}
                }
            }
        }
    }
    Ok(colour
        .into_iter()
        .map(|c| c.unwrap_or(Family::Outer))
        .collect())
}

/// The cycle closed by the edge `u`–`v` between two caps of one colour: both paths up the
/// breadth-first tree to their common ancestor, joined.
fn odd_cycle(parent: &[Option<usize>], u: usize, v: usize) -> OddCrossing {
    let path = |mut x: usize| {
        let mut p = vec![x];
        while let Some(up) = parent.get(x).copied().flatten() {
            p.push(up);
            x = up;
        }
        p
    };
    let (pu, pv) = (path(u), path(v));
    let common = pu.iter().find(|x| pv.contains(x)).copied();
    let mut caps: Vec<usize> = pu
        .iter()
        .copied()
        .take_while(|&x| Some(x) != common)
        .collect();
    caps.extend(common);
    let back: Vec<usize> = pv
        .iter()
        .copied()
        .take_while(|&x| Some(x) != common)
        .collect();
    caps.extend(back.into_iter().rev());
    OddCrossing { caps }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(rules: &[usize], period: Window) -> CapShape {
        CapShape {
            rules: rules.to_vec(),
            period,
        }
    }

    #[test]
    fn a_smaller_scope_with_a_shorter_period_nests() {
        let kind_per_term = shape(&[1, 2], Window::Term);
        let all_in_total = shape(&[0, 1, 2, 3], Window::Total);
        assert!(!crosses(&kind_per_term, &all_in_total));
        assert!(!crosses(&all_in_total, &kind_per_term));
    }

    #[test]
    fn a_smaller_scope_with_a_longer_period_crosses() {
        let rule_in_total = shape(&[1], Window::Total);
        let kind_per_year = shape(&[1, 2], Window::Year);
        assert!(crosses(&rule_in_total, &kind_per_year));
    }

    #[test]
    fn overlapping_scopes_cross_and_disjoint_ones_do_not() {
        let competitions = shape(&[0, 1], Window::Total);
        let innovation_per_year = shape(&[1, 2], Window::Year);
        let moocs = shape(&[3], Window::Term);
        assert!(crosses(&competitions, &innovation_per_year));
        assert!(!crosses(&competitions, &moocs));
    }

    #[test]
    fn two_crossing_caps_go_to_two_families() {
        let got = families(&[
            shape(&[0, 1, 2, 3], Window::Total),
            shape(&[0, 1], Window::Total),
            shape(&[1, 2], Window::Year),
        ]);
        assert_eq!(got, Ok(vec![Family::Outer, Family::Outer, Family::Inner]));
    }

    #[test]
    fn three_caps_crossing_in_a_triangle_have_no_families() {
        // A kind in all time, a category per year, all conversions per term.
        let got = families(&[
            shape(&[0, 1], Window::Total),
            shape(&[1, 2], Window::Year),
            shape(&[0, 1, 2, 3], Window::Term),
        ]);
        let cycle = got.unwrap_err().caps;
        let mut sorted = cycle.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 1, 2]);
    }

    #[test]
    fn an_odd_cycle_lists_each_cap_once_in_crossing_order() {
        // A pentagon: cap i crosses caps i - 1 and i + 1 (rules overlap in one shared index).
        let shapes: Vec<CapShape> = (0..5)
            .map(|i| {
                let mut rules = vec![i, (i + 1) % 5];
                rules.sort_unstable();
                shape(&rules, Window::Total)
            })
            .collect();
        let cycle = families(&shapes).unwrap_err().caps;
        assert_eq!(cycle.len(), 5);
        for (k, &a) in cycle.iter().enumerate() {
            let b = cycle[(k + 1) % cycle.len()];
            assert!(crosses(&shapes[a], &shapes[b]), "{a} and {b} should cross");
        }
    }
}
