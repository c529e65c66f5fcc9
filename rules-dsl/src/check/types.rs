//! Attributes in conditions and expressions: unknown attributes (E016), unknown values of an
//! enumerated attribute (E017), unknown evidence fields (E018), attributes used as the wrong
//! type (E021), and `credits by` tables that miss values (W004).

use super::suggest::{list, unknown_help};
use super::symbols::{KindInfo, Symbols};
use super::visit;
use crate::ast::{
    AttrValue, Attribute, AttributeType, CompareOp, Condition, CreditAmount, Expr, ExprKind, Ident,
    Item, Node, Operand, Requirement, RequirementBody, RulesetFile, Span, Text,
};
use crate::diagnostic::{Code, Diagnostic};
use rust_decimal::Decimal;

/// Checks every use of an attribute against its kind's declaration.
pub fn check(file: &RulesetFile, symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    for item in &file.items {
        match &item.value {
            Item::Convert(rule) => {
                let Some(kind) = symbols.kinds.get(&rule.kind.value.value) else {
                    continue;
                };
                let mut t = Typer { kind, out };
                if let Some(when) = &rule.when {
                    t.condition(&when.value);
                }
                match &rule.credits.value {
                    CreditAmount::Table { by, rows } => {
                        if let Some(attr) = t.attribute(by) {
                            t.table(attr, by, rows);
                        }
                    }
                    CreditAmount::Formula { expr, .. } => {
                        t.numeric(expr, "credits");
                    }
                }
                if let Some(split) = &rule.split {
                    let by = &split.value.by;
                    if let Some(attr) = t.attribute(by) {
                        if !matches!(attr.ty, AttributeType::Integer(_)) {
                            t.out.push(
                                Diagnostic::new(
                                    Code::TypeMismatch,
                                    by.span,
                                    format!(
                                        "`split by` needs an integer attribute, but `{}` is {}",
                                        by.value,
                                        type_name(&attr.ty)
                                    ),
                                )
                                .with_label("not an integer attribute")
                                .with_related(attr.id.span, "declared here")
                                .with_help(
                                    "split by an `integer` attribute such as an author rank",
                                ),
                            );
                        }
                    }
                }
                if let Some(per) = &rule.highest_only_per {
                    t.attribute(&per.value);
                }
            }
            Item::Review(review) => {
                let Some(kind) = symbols.kinds.get(&review.kind.value.value) else {
                    continue;
                };
                let mut t = Typer { kind, out };
                for require in &review.require {
                    for id in &require.value.evidence {
                        t.evidence(id);
                    }
                }
                for case in review.reject.iter().chain(&review.approve) {
                    t.condition(&case.value.when);
                }
            }
            Item::Graduation(g) => requirements(&g.requirements, symbols, out),
            Item::Program(p) => requirements(&p.requirements, symbols, out),
            Item::Certificate(c) => requirements(&c.requirements, symbols, out),
            _ => {}
        }
    }
}

fn requirements(list: &[Node<Requirement>], symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    for r in list {
        if let RequirementBody::Count {
            kind,
            filter: Some(filter),
            ..
        } = &r.value.body
        {
            if let Some(kind) = symbols.kinds.get(&kind.value) {
                Typer { kind, out }.condition(filter);
            }
        }
    }
}

/// `an enumerated attribute`, `a number`, ... for messages.
pub fn type_name(ty: &AttributeType) -> &'static str {
    match ty {
        AttributeType::Enum(_) => "an enumerated attribute",
        AttributeType::Number(_) => "a number",
        AttributeType::Integer(_) => "an integer",
        AttributeType::Text => "text",
        AttributeType::Date => "a date",
    }
}

struct Typer<'k, 'a, 'o> {
    kind: &'k KindInfo<'a>,
    out: &'o mut Vec<Diagnostic>,
}

impl<'k, 'a> Typer<'k, 'a, '_> {
    fn kind_id(&self) -> &str {
        &self.kind.kind.id.value
    }

    /// Resolves an attribute named by an identifier, reporting it when unknown.
    fn attribute(&mut self, id: &Ident) -> Option<&'a Attribute> {
        self.attribute_named(&id.value, id.span)
    }

    fn attribute_named(&mut self, name: &str, span: Span) -> Option<&'a Attribute> {
        if let Some(attr) = self.kind.attributes.get(name) {
            return Some(*attr);
        }
        let names = self.kind.attributes.names();
        let mut d = Diagnostic::new(
            Code::UnknownAttribute,
            span,
            format!("unknown attribute `{name}` of kind `{}`", self.kind_id()),
        )
        .with_label(format!("not an attribute of `{}`", self.kind_id()));
        d = match subtraction(name, |part| self.kind.attributes.contains(part)) {
            Some(fixed) => d.with_help(format!("write `{fixed}` with spaces to subtract")),
            None => d.with_help(unknown_help(
                name,
                &names,
                &format!("attributes of `{}`", self.kind_id()),
                &format!("kind `{}`", self.kind_id()),
            )),
        };
        self.out
            .push(d.with_related(self.kind.kind.id.span, "kind declared here"));
        None
    }

    fn evidence(&mut self, id: &Ident) {
        if self.kind.evidence.contains(&id.value) {
            return;
        }
        if let Some(attr) = self.kind.attributes.get(&id.value) {
            self.out.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    id.span,
                    format!("`{}` is an attribute of `{}`, not an evidence field", id.value, self.kind_id()),
                )
                .with_label("not an evidence field")
                .with_related(attr.id.span, "attribute declared here")
                .with_help("test an attribute with a comparison; `has evidence` and `require evidence` name `evidence` fields"),
            );
            return;
        }
        let names = self.kind.evidence.names();
        self.out.push(
            Diagnostic::new(
                Code::UnknownEvidence,
                id.span,
                format!(
                    "unknown evidence field `{}` of kind `{}`",
                    id.value,
                    self.kind_id()
                ),
            )
            .with_label(format!("not an evidence field of `{}`", self.kind_id()))
            .with_related(self.kind.kind.id.span, "kind declared here")
            .with_help(unknown_help(
                &id.value,
                &names,
                &format!("evidence fields of `{}`", self.kind_id()),
                &format!("an `evidence` clause of kind `{}`", self.kind_id()),
            )),
        );
    }

    fn condition(&mut self, c: &Condition) {
        visit::atoms(c, &mut |atom| self.atom(atom));
    }

    fn atom(&mut self, atom: &Condition) {
        match atom {
            Condition::HasEvidence(id) => self.evidence(id),
            Condition::In { attr, values, .. } => {
                let Some(a) = self.attribute(attr) else {
                    return;
                };
                for v in values {
                    self.member(a, v);
                }
            }
            Condition::Compare { lhs, op, rhs, .. } => self.compare(lhs, op, rhs),
            Condition::Or(_) | Condition::And(_) | Condition::Not(_) => {}
        }
    }

    fn member(&mut self, a: &'a Attribute, v: &AttrValue) {
        match (&a.ty, v) {
            (AttributeType::Enum(_), AttrValue::Ident(id)) => {
                self.enum_value(a, &id.value, id.span)
            }
            (AttributeType::Enum(_), AttrValue::Text(t)) => self.enum_text(a, t),
            (AttributeType::Number(_) | AttributeType::Integer(_), AttrValue::Number(_)) => {}
            (AttributeType::Text | AttributeType::Date, AttrValue::Text(_)) => {}
            (_, v) => {
                let (span, what) = match v {
                    AttrValue::Ident(id) => (id.span, format!("the name `{}`", id.value)),
                    AttrValue::Text(t) => (t.span, format!("the text `\"{}\"`", t.value)),
                    AttrValue::Number(n) => (n.span, format!("the number `{}`", n.value)),
                };
                self.mismatch(a, span, &what);
            }
        }
    }

    /// E021: attribute `a` used with a value of the wrong type.
    fn mismatch(&mut self, a: &Attribute, span: Span, what: &str) {
        let help = match &a.ty {
            AttributeType::Enum(values) => format!(
                "compare `{}` with one of its values: {}",
                a.id.value,
                list(
                    &values
                        .iter()
                        .map(|v| v.id.value.as_str())
                        .collect::<Vec<_>>()
                )
            ),
            AttributeType::Number(_) | AttributeType::Integer(_) => {
                format!("compare `{}` with a number", a.id.value)
            }
            AttributeType::Text | AttributeType::Date => {
                format!("compare `{}` with a string in quotes", a.id.value)
            }
        };
        self.out.push(
            Diagnostic::new(
                Code::TypeMismatch,
                span,
                format!(
                    "`{}` is {}, but it is compared with {what}",
                    a.id.value,
                    type_name(&a.ty)
                ),
            )
            .with_label("wrong type for this attribute")
            .with_related(a.id.span, "attribute declared here")
            .with_help(help),
        );
    }

    fn enum_value(&mut self, a: &Attribute, value: &str, span: Span) {
        let AttributeType::Enum(values) = &a.ty else {
            return;
        };
        if values.iter().any(|v| v.id.value == value) {
            return;
        }
        let names: Vec<&str> = values.iter().map(|v| v.id.value.as_str()).collect();
        self.out.push(
            Diagnostic::new(
                Code::UnknownValue,
                span,
                format!("unknown value `{value}` of attribute `{}`", a.id.value),
            )
            .with_label(format!("not a value of `{}`", a.id.value))
            .with_related(a.id.span, "attribute declared here")
            .with_help(unknown_help(
                value,
                &names,
                &format!("values of `{}`", a.id.value),
                &format!("the `one of` list of `{}`", a.id.value),
            )),
        );
    }

    /// A string naming an enum value: accepted when it is a value's id or display name.
    fn enum_text(&mut self, a: &Attribute, t: &Text) {
        let AttributeType::Enum(values) = &a.ty else {
            return;
        };
        let known = values
            .iter()
            .any(|v| v.id.value == t.value || v.name.as_ref().is_some_and(|n| n.value == t.value));
        if !known {
            self.enum_value(a, &t.value, t.span);
        }
    }

    fn compare(&mut self, lhs: &Expr, op: &crate::ast::Spanned<CompareOp>, rhs: &Operand) {
        // `attr = value` or `value = attr` for an attribute that is not a number.
        let non_numeric = |e: &Expr| match &e.kind {
            ExprKind::Var(name) => self
                .kind
                .attributes
                .get(name)
                .filter(|a| !is_numeric(&a.ty))
                .copied(),
            _ => None,
        };
        let (attr, other) = match (non_numeric(lhs), rhs) {
            (Some(a), _) => (Some(a), rhs.clone()),
            (None, Operand::Expr(r)) => match non_numeric(r) {
                Some(a) if matches!(lhs.kind, ExprKind::Var(_) | ExprKind::Number(_)) => {
                    (Some(a), Operand::Expr(lhs.clone()))
                }
                _ => (None, rhs.clone()),
            },
            (None, Operand::Text(_)) => (None, rhs.clone()),
        };
        if let Some(a) = attr {
            if !matches!(op.value, CompareOp::Eq | CompareOp::Ne) {
                self.out.push(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        op.span,
                        format!(
                            "`{}` is {}, so it cannot be ordered with `{}`",
                            a.id.value,
                            type_name(&a.ty),
                            op_text(op.value)
                        ),
                    )
                    .with_label("needs a number on both sides")
                    .with_related(a.id.span, "attribute declared here")
                    .with_help(format!(
                        "compare `{}` with `=`, `!=` or `in (...)`",
                        a.id.value
                    )),
                );
                // One diagnostic per comparison: what it is compared with is moot once the
                // comparison itself cannot be made.
                return;
            }
            match (&a.ty, &other) {
                (AttributeType::Enum(_), Operand::Expr(e)) => match &e.kind {
                    ExprKind::Var(v) => {
                        if let Some(b) = self.kind.attributes.get(v) {
                            if b.id.value != a.id.value && b.ty != a.ty {
                                self.mismatch(a, e.span, &format!("the attribute `{v}`"));
                            }
                        } else {
                            self.enum_value(a, v, e.span);
                        }
                    }
                    _ => self.mismatch(a, e.span, "a number"),
                },
                (AttributeType::Enum(_), Operand::Text(t)) => self.enum_text(a, t),
                (_, Operand::Text(_)) => {}
                (_, Operand::Expr(e)) => {
                    let what = match &e.kind {
                        ExprKind::Var(v) if self.kind.attributes.contains(v) => {
                            format!("the attribute `{v}`")
                        }
                        ExprKind::Var(v) => format!("the name `{v}`"),
                        _ => "a number".to_string(),
                    };
                    self.mismatch(a, e.span, &what);
                }
            }
            return;
        }
        let lhs_known = self.numeric(lhs, "comparison");
        match rhs {
            Operand::Text(t) => {
                let what = format!("the text `\"{}\"`", t.value);
                match numeric_var(lhs).and_then(|v| self.kind.attributes.get(v).copied()) {
                    Some(a) => self.mismatch(a, t.span, &what),
                    None => self.out.push(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            t.span,
                            format!("a number is compared with {what}"),
                        )
                        .with_label("not a number")
                        .with_help("compare numbers with numbers"),
                    ),
                }
            }
            Operand::Expr(e) => {
                // `score = national`: a value of some enumerated attribute where a number belongs.
                if let ExprKind::Var(v) = &e.kind {
                    if !lhs_known {
                        return;
                    }
                    if !self.kind.attributes.contains(v) {
                        if let Some(owner) = self.enum_owner(v) {
                            let numeric =
                                numeric_var(lhs).and_then(|l| self.kind.attributes.get(l).copied());
                            match numeric {
                                Some(a) => self.mismatch(
                                    a,
                                    e.span,
                                    &format!("the value `{v}` of `{}`", owner.id.value),
                                ),
                                None => self.out.push(
                                    Diagnostic::new(
                                        Code::TypeMismatch,
                                        e.span,
                                        format!(
                                            "a number is compared with `{v}`, a value of `{}`",
                                            owner.id.value
                                        ),
                                    )
                                    .with_label("not a number")
                                    .with_help(format!(
                                        "compare `{}` with its values instead",
                                        owner.id.value
                                    )),
                                ),
                            }
                            return;
                        }
                    }
                }
                self.numeric(e, "comparison");
            }
        }
    }

    /// The enumerated attribute that has `value` among its values.
    fn enum_owner(&self, value: &str) -> Option<&'a Attribute> {
        self.kind.attributes.iter().map(|(_, a)| *a).find(|a| {
            matches!(&a.ty, AttributeType::Enum(values) if values.iter().any(|v| v.id.value == value))
        })
    }

    /// Every variable of `e` must be a numeric attribute; false when some are unknown.
    fn numeric(&mut self, e: &Expr, context: &str) -> bool {
        let mut known = true;
        let mut found: Vec<(String, Span)> = Vec::new();
        visit::vars(e, &mut |name, span| found.push((name.to_string(), span)));
        let bare = matches!(e.kind, ExprKind::Var(_));
        for (name, span) in found {
            let Some(a) = self.attribute_named(&name, span) else {
                known = false;
                continue;
            };
            if !is_numeric(&a.ty) {
                let what = if bare { context } else { "arithmetic" };
                self.out.push(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        span,
                        format!(
                            "`{name}` is {}, not a number, but it is used in {what}",
                            type_name(&a.ty)
                        ),
                    )
                    .with_label("not a number")
                    .with_related(a.id.span, "attribute declared here")
                    .with_help("only `number` and `integer` attributes can be used in arithmetic"),
                );
            }
        }
        known
    }

    fn table(&mut self, a: &'a Attribute, by: &Ident, rows: &[Node<crate::ast::TableRow>]) {
        let AttributeType::Enum(values) = &a.ty else {
            self.out.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    by.span,
                    format!(
                        "`credits by` needs an enumerated attribute, but `{}` is {}",
                        by.value,
                        type_name(&a.ty)
                    ),
                )
                .with_label("not an enumerated attribute")
                .with_related(a.id.span, "attribute declared here")
                .with_help(format!(
                    "key the table by a `one of` attribute, or write a formula such as `credits {} / 16`",
                    by.value
                )),
            );
            return;
        };
        for row in rows {
            let key = &row.value.key;
            self.enum_value(a, &key.value, key.span);
        }
        let missing: Vec<&str> = values
            .iter()
            .map(|v| v.id.value.as_str())
            .filter(|v| !rows.iter().any(|r| r.value.key.value == *v))
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() == 1 {
                "value"
            } else {
                "values"
            };
            self.out.push(
                Diagnostic::new(
                    Code::IncompleteTable,
                    by.span,
                    format!(
                        "the `credits by {}` table does not list every value of `{}`",
                        by.value, by.value
                    ),
                )
                .with_label(format!(
                    "missing {}",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .with_related(a.id.span, "attribute declared here")
                .with_help(format!(
                    "add rows for the missing {plural} ({}), with `=> 0` if they earn nothing",
                    list(&missing)
                )),
            );
        }
    }
}

fn is_numeric(ty: &AttributeType) -> bool {
    matches!(ty, AttributeType::Number(_) | AttributeType::Integer(_))
}

fn numeric_var(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Var(v) => Some(v),
        _ => None,
    }
}

/// `<`, `>=`, ... as written.
pub fn op_text(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "!=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
    }
}

/// `hours-16` read as `hours - 16`: when a name with dashes splits into known names and
/// numbers, the subtraction the author probably meant.
pub fn subtraction(name: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    if !name.contains('-') {
        return None;
    }
    let ok = |part: &str| !part.is_empty() && (known(part) || part.parse::<Decimal>().is_ok());
    // Each dash is either part of a name or a minus: try the split at every dash first, then
    // single splits, so that names such as `author-rank` survive.
    let parts: Vec<&str> = name.split('-').collect();
    if parts.iter().all(|p| ok(p)) {
        return Some(parts.join(" - "));
    }
    for (i, _) in name.match_indices('-') {
        let (left, right) = (&name[..i], &name[i + 1..]);
        if ok(left) && ok(right) {
            return Some(format!("{left} - {right}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_that_split_into_known_names_suggest_subtraction() {
        let known = |n: &str| n == "hours" || n == "author-rank";
        assert_eq!(subtraction("hours-16", known), Some("hours - 16".into()));
        assert_eq!(
            subtraction("author-rank-1", known),
            Some("author-rank - 1".into())
        );
        assert_eq!(subtraction("hour-16", known), None);
        assert_eq!(subtraction("hours", known), None);
    }
}
