//! Caps that cross one another in a cycle of odd length (E044): no split into the two nesting
//! families the engine needs to find the largest total the caps allow (see [`crate::caps`]).

use super::symbols::Symbols;
use crate::ast::{CapPeriod, CapScope};
use crate::caps::{families, CapShape, Window};
use crate::diagnostic::{Code, Diagnostic};

/// Reports an odd cycle of crossing caps, once.
pub fn check(symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    let shapes: Vec<CapShape> = symbols
        .caps
        .iter()
        .map(|cap| CapShape {
            rules: symbols
                .converts
                .iter()
                .enumerate()
                .filter(|(_, rule)| match &cap.on.value {
                    CapScope::Rule(r) => rule.id.value == r.value,
                    CapScope::Kind(k) => rule.kind.value.value == k.value,
                    CapScope::Category(c) => rule.into.value.value == c.value,
                    CapScope::Conversions => true,
                })
                .map(|(i, _)| i)
                .collect(),
            period: match cap.limit.value.period.as_ref().map(|p| p.value) {
                None => Window::Total,
                Some(CapPeriod::Year) => Window::Year,
                Some(CapPeriod::Term) => Window::Term,
            },
        })
        .collect();
    let Err(cycle) = families(&shapes) else {
        return;
    };
    let caps: Vec<_> = cycle
        .caps
        .iter()
        .filter_map(|&i| symbols.caps.get(i))
        .collect();
    let (Some(first), Some(second)) = (caps.first(), caps.get(1)) else {
        return;
    };
    let names: Vec<String> = caps.iter().map(|c| format!("`{}`", c.id.value)).collect();
    let listed = match names.split_last() {
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    let mut d = Diagnostic::new(
        Code::CapsCrossInOddCycle,
        first.on.span,
        format!("caps {listed} cross one another in a cycle"),
    )
    .with_label(format!(
        "counts some of the same credit as `{}` without either window holding the other",
        second.id.value
    ))
    .with_help(
        "give one of them a scope or period inside another's (e.g. `per year` instead of \
         `per term`, or `on kind` instead of `on conversions`), or remove one",
    );
    for (k, cap) in caps.iter().enumerate().skip(1) {
        let next = caps.get(k + 1).unwrap_or(first);
        d = d.with_related(cap.on.span, format!("crosses `{}`", next.id.value));
    }
    out.push(d);
}
