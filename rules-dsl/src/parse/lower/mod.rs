//! pest pairs to the typed tree of [`crate::ast`].
//!
//! One [`Lowerer`] lowers one top-level item. It shifts pest's chunk-relative offsets to
//! offsets in the whole file, claims comments from the shared cursor in source order, and
//! collects the item's diagnostics. A literal the tree cannot hold (an invalid date, a number
//! too large) is reported and replaced by a placeholder so that lowering goes on and reports
//! the item's other problems; the item is then left out of the tree.

mod clauses;
mod expr;
mod items;
mod literal;
mod requirements;
mod rules;
mod scales;

use super::comments::CommentCursor;
use super::Rule;
use crate::ast::{Comments, Date, Item, MonthDay, Node, Span, Spanned, Text};
use crate::diagnostic::{Code, Diagnostic};
use pest::iterators::{Pair, Pairs};
use rust_decimal::Decimal;
use std::sync::OnceLock;

type P<'i> = Pair<'i, Rule>;

/// The tree was not shaped as the grammar promises (a bug), or the item cannot be kept; the
/// reason has been reported.
#[derive(Debug)]
pub(crate) struct Bad;

type Lowered<T> = Result<T, Bad>;

/// Lowers the pairs of `item_only`, parsed from the chunk at `offset`. Returns the item (or
/// `None` when it must be left out) and its diagnostics.
pub(crate) fn lower_item(
    pairs: Pairs<'_, Rule>,
    offset: usize,
    comments: &mut CommentCursor<'_>,
) -> (Option<Node<Item>>, Vec<Diagnostic>) {
    let mut lowerer = Lowerer {
        offset,
        comments,
        diagnostics: Vec::new(),
        failed: false,
    };
    // `item_only` holds the item, then `EOI`.
    let item = pairs
        .into_iter()
        .next()
        .and_then(|only| only.into_inner().next())
        .ok_or(Bad)
        .and_then(|p| lowerer.item(p));
    let Lowerer {
        diagnostics,
        failed,
        ..
    } = lowerer;
    match item {
        Ok(item) if !failed => (Some(item), diagnostics),
        Ok(_) => (None, diagnostics),
        Err(Bad) => {
            let mut diagnostics = diagnostics;
            if !diagnostics.iter().any(Diagnostic::is_error) {
                // Never expected: the grammar accepted what lowering cannot read.
                diagnostics.push(
                    Diagnostic::new(
                        Code::Syntax,
                        Span::new(offset, offset),
                        "could not read this item",
                    )
                    .with_label("this item is left out"),
                );
            }
            (None, diagnostics)
        }
    }
}

/// Lowers one item; see the module documentation.
pub(crate) struct Lowerer<'c, 'a> {
    offset: usize,
    comments: &'c mut CommentCursor<'a>,
    diagnostics: Vec<Diagnostic>,
    /// Set when a literal was refused: the item is left out.
    failed: bool,
}

/// A node being lowered: its span and the comments before it, claimed when it was opened.
struct Open {
    span: Span,
    leading: Vec<String>,
}

impl Lowerer<'_, '_> {
    fn item(&mut self, p: P<'_>) -> Lowered<Node<Item>> {
        let open = self.open(&p);
        let item = match p.as_rule() {
            Rule::header => Item::Header(self.header(p)?),
            Rule::categories => Item::Categories(self.categories(p)?),
            Rule::scale => Item::Scale(self.scale(p)?),
            Rule::gpa => Item::Gpa(self.gpa(p)?),
            Rule::catalog => Item::Catalog(self.catalog(p)?),
            Rule::kind => Item::Kind(self.kind(p)?),
            Rule::institutions => Item::Institutions(self.institutions(p)?),
            Rule::convert => Item::Convert(self.convert(p)?),
            Rule::cap => Item::Cap(self.cap(p)?),
            Rule::review => Item::Review(self.review(p)?),
            Rule::warning => Item::Warning(self.warning(p)?),
            Rule::graduation => Item::Graduation(self.graduation(p)?),
            Rule::program => Item::Program(self.program(p)?),
            Rule::certificate => Item::Certificate(self.certificate(p)?),
            _ => return Err(Bad),
        };
        Ok(self.close_block(open, item))
    }

    // --- Spans and comments -------------------------------------------------------------

    /// The span of `p` in the whole file, without the blanks pest may include at its end.
    fn span(&self, p: &P<'_>) -> Span {
        let s = p.as_span();
        let start = s.start() + self.offset;
        let end = self.comments.trim_end(start, s.end() + self.offset);
        Span::new(start, end)
    }

    /// Starts a node at `p`, claiming the comments before it.
    fn open(&mut self, p: &P<'_>) -> Open {
        let span = self.span(p);
        let leading = self.comments.before(span.start as usize);
        Open { span, leading }
    }

    /// Finishes a node without a block, claiming the comment after it on its line.
    fn close<T>(&mut self, open: Open, value: T) -> Node<T> {
        let trailing = self.comments.trailing(open.span.end as usize);
        Node {
            value,
            span: open.span,
            comments: Comments {
                leading: open.leading,
                trailing,
                inner_end: Vec::new(),
            },
        }
    }

    /// Finishes a node that ends with its block's `}`: comments still unclaimed before the
    /// brace are the block's `inner_end`.
    fn close_block<T>(&mut self, open: Open, value: T) -> Node<T> {
        let brace = (open.span.end as usize).saturating_sub(1);
        let inner_end = self.comments.before(brace);
        let mut node = self.close(open, value);
        node.comments.inner_end = inner_end;
        node
    }

    // --- Diagnostics --------------------------------------------------------------------

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports a literal the tree cannot hold; the item will be left out.
    fn refuse(&mut self, diagnostic: Diagnostic) {
        self.failed = true;
        self.report(diagnostic);
    }

    // --- Tokens -------------------------------------------------------------------------

    fn ident(&self, p: &P<'_>) -> Spanned<String> {
        Spanned::new(p.as_str().to_string(), self.span(p))
    }

    /// A string, or a rule wrapping one (`display_name`, `because`, `source_clause`).
    fn text(&self, p: P<'_>) -> Lowered<Text> {
        let span = self.span(&p);
        if p.as_rule() != Rule::string {
            let inner = p
                .into_inner()
                .find(|c| c.as_rule() == Rule::string)
                .ok_or(Bad)?;
            return self.text(inner);
        }
        let inner = p.into_inner().next().map_or("", |i| i.as_str());
        Ok(Spanned::new(literal::unescape(inner), span))
    }

    fn texts(&self, p: P<'_>) -> Lowered<Vec<Text>> {
        p.into_inner().map(|s| self.text(s)).collect()
    }

    fn idents(&self, p: P<'_>) -> Vec<Spanned<String>> {
        p.into_inner().map(|i| self.ident(&i)).collect()
    }

    fn number(&mut self, p: &P<'_>) -> Spanned<Decimal> {
        let span = self.span(p);
        match literal::decimal(p.as_str()) {
            Ok(value) => Spanned::new(value, span),
            Err(reason) => {
                self.refuse(too_large(p.as_str(), span, reason));
                Spanned::new(Decimal::ZERO, span)
            }
        }
    }

    fn percent(&mut self, p: &P<'_>) -> Spanned<Decimal> {
        let span = self.span(p);
        match literal::percent(p.as_str()) {
            Ok(value) => Spanned::new(value, span),
            Err(reason) => {
                self.refuse(too_large(p.as_str(), span, reason));
                Spanned::new(Decimal::ZERO, span)
            }
        }
    }

    fn integer(&mut self, p: &P<'_>) -> Spanned<u32> {
        let span = self.span(p);
        match literal::integer(p.as_str()) {
            Ok(value) => Spanned::new(value, span),
            Err(reason) => {
                self.refuse(too_large(p.as_str(), span, reason));
                Spanned::new(0, span)
            }
        }
    }

    fn date(&mut self, p: &P<'_>) -> Spanned<Date> {
        let span = self.span(p);
        match literal::date(p.as_str()) {
            Ok(value) => Spanned::new(value, span),
            Err(reason) => {
                self.refuse(invalid_date(p.as_str(), span, reason, "YYYY-MM-DD"));
                Spanned::new(
                    Date {
                        year: 1,
                        month: 1,
                        day: 1,
                    },
                    span,
                )
            }
        }
    }

    fn month_day(&mut self, p: &P<'_>) -> Spanned<MonthDay> {
        let span = self.span(p);
        match literal::month_day(p.as_str()) {
            Ok(value) => Spanned::new(value, span),
            Err(reason) => {
                self.refuse(invalid_date(p.as_str(), span, reason, "MM-DD"));
                Spanned::new(MonthDay { month: 1, day: 1 }, span)
            }
        }
    }
}

fn too_large(written: &str, span: Span, reason: String) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidNumber,
        span,
        format!("number `{}` is out of range", shorten(written)),
    )
    .with_label(reason)
    .with_help("numbers hold at most 28 significant digits; counts and ranks at most 4294967295")
}

fn invalid_date(written: &str, span: Span, reason: String, layout: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidDate, span, format!("invalid date `{written}`"))
        .with_label(reason)
        .with_help(format!("write a day that exists, as `{layout}`"))
}

/// At most 40 characters of user text, for messages.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

/// Whether `rule` is a keyword token (`k_*`).
pub(crate) fn is_keyword(rule: Rule) -> bool {
    static TABLE: OnceLock<Vec<bool>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let all = Rule::all_rules();
        let mut table = vec![false; all.iter().map(|r| *r as usize + 1).max().unwrap_or(0)];
        for rule in all {
            if let Some(slot) = table.get_mut(*rule as usize) {
                *slot = format!("{rule:?}").starts_with("k_");
            }
        }
        table
    });
    table.get(rule as usize).copied().unwrap_or(false)
}

/// The children of `p` that are not keywords.
fn parts<'i>(p: P<'i>) -> impl Iterator<Item = P<'i>> {
    p.into_inner().filter(|c| !is_keyword(c.as_rule()))
}

/// The next child, or [`Bad`] when the grammar promised one.
fn next<'i>(it: &mut impl Iterator<Item = P<'i>>) -> Lowered<P<'i>> {
    it.next().ok_or(Bad)
}

/// The first keyword among the children of `p`.
fn keyword_of(p: &P<'_>) -> Lowered<Rule> {
    p.clone()
        .into_inner()
        .map(|c| c.as_rule())
        .find(|r| is_keyword(*r))
        .ok_or(Bad)
}
