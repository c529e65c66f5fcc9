//! Conversion rules, caps, review criteria and warnings.

use super::clauses::Owner;
use super::{keyword_of, next, parts, Bad, Lowered, Lowerer, P};
use crate::ast::*;
use crate::parse::Rule;

impl Lowerer<'_, '_> {
    pub(super) fn convert(&mut self, p: P<'_>) -> Lowered<ConversionRule> {
        let mut it = parts(p);
        let id = self.ident(&next(&mut it)?);
        let owner = Owner::named("conversion rule", &id.value, id.span);
        let mut name = None;
        let mut kind = None;
        let mut when = None;
        let mut from = None;
        let mut into = None;
        let mut credits = None;
        let mut split = None;
        let mut highest = None;
        let mut expires = None;
        let mut source = None;
        for c in it {
            if c.as_rule() == Rule::display_name {
                name = Some(self.text(c)?);
                continue;
            }
            let open = self.open(&c);
            match c.as_rule() {
                Rule::convert_kind => {
                    let value = self.ident(&next(&mut parts(c))?);
                    self.place(&mut kind, open, value, "kind", &owner);
                }
                Rule::convert_when => {
                    let value = self.condition(next(&mut parts(c))?)?;
                    self.place(&mut when, open, value, "when", &owner);
                }
                Rule::convert_from => {
                    let value = self.idents(next(&mut parts(c))?);
                    self.place(&mut from, open, value, "from", &owner);
                }
                Rule::convert_into => {
                    let value = self.ident(&next(&mut parts(c))?);
                    self.place(&mut into, open, value, "into", &owner);
                }
                Rule::convert_credits => {
                    let amount = next(&mut parts(c))?;
                    let node = if amount.as_rule() == Rule::credit_table {
                        let value = self.credit_table(amount)?;
                        self.close_block(open, value)
                    } else {
                        let mut it = parts(amount);
                        let expr = self.expr(next(&mut it)?)?;
                        let step = match it.next() {
                            Some(rounded) => Some(self.number(&next(&mut parts(rounded))?)),
                            None => None,
                        };
                        let value = CreditAmount::Formula {
                            expr,
                            rounded_down_to: step,
                        };
                        self.close(open, value)
                    };
                    self.once(&mut credits, node, "credits", &owner);
                }
                Rule::convert_split => {
                    let value = self.split(c)?;
                    let node = self.close_block(open, value);
                    self.once(&mut split, node, "split by", &owner);
                }
                Rule::convert_highest => {
                    let value = self.ident(&next(&mut parts(c))?);
                    self.place(&mut highest, open, value, "highest only per", &owner);
                }
                Rule::convert_expires => {
                    let value = self.integer(&next(&mut parts(c))?);
                    self.place(&mut expires, open, value, "expires after", &owner);
                }
                Rule::source_clause => self.source_clause(c, open, &mut source, &owner)?,
                _ => return Err(Bad),
            }
        }
        let kind = self.required(kind, "kind", "kind KIND", &owner);
        let into = self.required(into, "into", "into CATEGORY", &owner);
        let credits = self.required(credits, "credits", "credits 2", &owner);
        let (Some(kind), Some(into), Some(credits)) = (kind, into, credits) else {
            return Err(Bad);
        };
        Ok(ConversionRule {
            id,
            name,
            kind,
            when,
            from,
            into,
            credits,
            split,
            highest_only_per: highest,
            expires_after_years: expires,
            source,
        })
    }

    fn credit_table(&mut self, p: P<'_>) -> Lowered<CreditAmount> {
        let mut it = parts(p);
        let by = self.ident(&next(&mut it)?);
        let mut rows = Vec::new();
        for row in it {
            let open = self.open(&row);
            let mut parts = parts(row);
            let key = self.ident(&next(&mut parts)?);
            let credits = self.number(&next(&mut parts)?);
            rows.push(self.close(open, TableRow { key, credits }));
        }
        Ok(CreditAmount::Table { by, rows })
    }

    fn split(&mut self, p: P<'_>) -> Lowered<Split> {
        let mut it = parts(p);
        let by = self.ident(&next(&mut it)?);
        let mut rows = Vec::new();
        for row in it {
            let open = self.open(&row);
            let mut parts = parts(row);
            let rank = self.integer(&next(&mut parts)?);
            let share = self.percent(&next(&mut parts)?);
            rows.push(self.close(open, SplitRow { rank, share }));
        }
        Ok(Split { by, rows })
    }

    pub(super) fn cap(&mut self, p: P<'_>) -> Lowered<CreditCap> {
        let mut it = parts(p);
        let id = self.ident(&next(&mut it)?);
        let owner = Owner::named("cap", &id.value, id.span);
        let mut name = None;
        let mut on = None;
        let mut limit = None;
        let mut source = None;
        for c in it {
            if c.as_rule() == Rule::display_name {
                name = Some(self.text(c)?);
                continue;
            }
            let open = self.open(&c);
            match c.as_rule() {
                Rule::cap_on => {
                    let scope = next(&mut parts(c))?;
                    let value = match scope.as_rule() {
                        Rule::scope_conversions => CapScope::Conversions,
                        rule => {
                            let id = self.ident(&next(&mut parts(scope))?);
                            match rule {
                                Rule::scope_category => CapScope::Category(id),
                                Rule::scope_kind => CapScope::Kind(id),
                                _ => CapScope::Rule(id),
                            }
                        }
                    };
                    self.place(&mut on, open, value, "on", &owner);
                }
                Rule::cap_limit => {
                    let value = self.cap_limit(c)?;
                    self.place(&mut limit, open, value, "at most", &owner);
                }
                Rule::source_clause => self.source_clause(c, open, &mut source, &owner)?,
                _ => return Err(Bad),
            }
        }
        let on = self.required(on, "on", "on category CATEGORY", &owner);
        let limit = self.required(limit, "at most", "at most 4 per year", &owner);
        let (Some(on), Some(limit)) = (on, limit) else {
            return Err(Bad);
        };
        Ok(CreditCap {
            id,
            name,
            on,
            limit,
            source,
        })
    }

    fn cap_limit(&mut self, p: P<'_>) -> Lowered<CapLimit> {
        let mut amount = None;
        let mut period = None;
        for c in parts(p) {
            match c.as_rule() {
                Rule::number => amount = Some(CapAmount::Credits(self.number(&c))),
                Rule::share_of_required => {
                    let mut it = parts(c);
                    let percent = self.percent(&next(&mut it)?);
                    let category = it.next().map(|i| self.ident(&i));
                    amount = Some(CapAmount::ShareOfRequired { percent, category });
                }
                Rule::cap_period => {
                    let value = match c.clone().into_inner().last().map(|k| k.as_rule()) {
                        Some(Rule::k_term) => CapPeriod::Term,
                        _ => CapPeriod::Year,
                    };
                    period = Some(Spanned::new(value, self.span(&c)));
                }
                _ => return Err(Bad),
            }
        }
        Ok(CapLimit {
            amount: amount.ok_or(Bad)?,
            period,
        })
    }

    pub(super) fn review(&mut self, p: P<'_>) -> Lowered<ReviewCriteria> {
        let mut it = parts(p);
        let id = self.ident(&next(&mut it)?);
        let owner = Owner::named("review", &id.value, id.span);
        let mut name = None;
        let mut kind = None;
        let mut require = Vec::new();
        let mut reject = Vec::new();
        let mut approve = Vec::new();
        let mut otherwise = None;
        let mut source = None;
        for c in it {
            if c.as_rule() == Rule::display_name {
                name = Some(self.text(c)?);
                continue;
            }
            let open = self.open(&c);
            match c.as_rule() {
                Rule::review_for => {
                    let value = self.ident(&next(&mut parts(c))?);
                    self.place(&mut kind, open, value, "for", &owner);
                }
                Rule::review_require => {
                    let mut it = parts(c);
                    let evidence = self.idents(next(&mut it)?);
                    let because = self.text(next(&mut it)?)?;
                    require.push(self.close(open, RequireEvidence { evidence, because }));
                }
                Rule::review_reject | Rule::review_approve => {
                    let rule = c.as_rule();
                    let mut it = parts(c);
                    let when = self.condition(next(&mut it)?)?;
                    let because = self.text(next(&mut it)?)?;
                    let node = self.close(open, ReviewCase { when, because });
                    if rule == Rule::review_reject {
                        reject.push(node);
                    } else {
                        approve.push(node);
                    }
                }
                Rule::review_otherwise => {
                    let value = self.text(next(&mut parts(c))?)?;
                    self.place(&mut otherwise, open, value, "otherwise manual", &owner);
                }
                Rule::source_clause => self.source_clause(c, open, &mut source, &owner)?,
                _ => return Err(Bad),
            }
        }
        let kind = self.required(kind, "for", "for KIND", &owner);
        let otherwise = self.required(
            otherwise,
            "otherwise manual",
            "otherwise manual because \"...\"",
            &owner,
        );
        let (Some(kind), Some(otherwise)) = (kind, otherwise) else {
            return Err(Bad);
        };
        Ok(ReviewCriteria {
            id,
            name,
            kind,
            require,
            reject,
            approve,
            otherwise,
            source,
        })
    }

    pub(super) fn warning(&mut self, p: P<'_>) -> Lowered<Warning> {
        let mut it = parts(p);
        let id = self.ident(&next(&mut it)?);
        let owner = Owner::named("warning", &id.value, id.span);
        let mut name = None;
        let mut on = None;
        let mut stages = Vec::new();
        let mut levels = Vec::new();
        let mut source = None;
        for c in it {
            if c.as_rule() == Rule::display_name {
                name = Some(self.text(c)?);
                continue;
            }
            let open = self.open(&c);
            match c.as_rule() {
                Rule::warning_on => {
                    let measure = next(&mut parts(c))?;
                    let value = match keyword_of(&measure)? {
                        Rule::k_credits => WarningMeasure::Credits,
                        Rule::k_failed_credits => WarningMeasure::FailedCredits,
                        _ => WarningMeasure::Gpa,
                    };
                    let value = Spanned::new(value, self.span(&measure));
                    self.place(&mut on, open, value, "on", &owner);
                }
                Rule::warning_stage => {
                    let mut it = parts(c);
                    let term = self.integer(&next(&mut it)?);
                    let expect = self.number(&next(&mut it)?);
                    stages.push(self.close(open, WarningStage { term, expect }));
                }
                Rule::warning_level => {
                    let level = self.warning_level(c)?;
                    levels.push(self.close(open, level));
                }
                Rule::source_clause => self.source_clause(c, open, &mut source, &owner)?,
                _ => return Err(Bad),
            }
        }
        let on = self.required(on, "on", "on credits", &owner);
        let Some(on) = on else {
            return Err(Bad);
        };
        Ok(Warning {
            id,
            name,
            on,
            stages,
            levels,
            source,
        })
    }

    fn warning_level(&mut self, p: P<'_>) -> Lowered<WarningLevel> {
        let mut id = None;
        let mut name = None;
        let mut colour = None;
        let mut threshold = None;
        let mut message = None;
        for c in parts(p) {
            match c.as_rule() {
                Rule::ident => id = Some(self.ident(&c)),
                Rule::display_name => name = Some(self.text(c)?),
                Rule::colour => colour = Some(self.ident(&c)),
                Rule::below_percent | Rule::below_number | Rule::at_least_number => {
                    let span = self.span(&c);
                    let rule = c.as_rule();
                    let value = next(&mut parts(c))?;
                    let value = if rule == Rule::below_percent {
                        Threshold::BelowPercent(self.percent(&value).value)
                    } else if rule == Rule::below_number {
                        Threshold::Below(self.number(&value).value)
                    } else {
                        Threshold::AtLeast(self.number(&value).value)
                    };
                    threshold = Some(Spanned::new(value, span));
                }
                Rule::string => message = Some(self.text(c)?),
                _ => return Err(Bad),
            }
        }
        Ok(WarningLevel {
            id: id.ok_or(Bad)?,
            name,
            colour: colour.ok_or(Bad)?,
            threshold: threshold.ok_or(Bad)?,
            message: message.ok_or(Bad)?,
        })
    }
}
