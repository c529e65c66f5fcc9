//! Grade scales: bands, formulas, text grades, pass/fail.

use super::{keyword_of, next, parts, Bad, Lowered, Lowerer, P};
use crate::ast::*;
use crate::parse::Rule;

impl Lowerer<'_, '_> {
    pub(super) fn scale(&mut self, p: P<'_>) -> Lowered<Scale> {
        let mut id = None;
        let mut name = None;
        let mut body = None;
        for c in parts(p) {
            match c.as_rule() {
                Rule::ident => id = Some(self.ident(&c)),
                Rule::display_name => name = Some(self.text(c)?),
                Rule::band_scale => body = Some(ScaleBody::Bands(self.band_scale(c)?)),
                Rule::formula_scale => body = Some(ScaleBody::Formula(self.formula_scale(c)?)),
                Rule::text_scale => body = Some(ScaleBody::Text(self.text_scale(c)?)),
                Rule::pass_fail_scale => body = Some(ScaleBody::PassFail(self.pass_fail(c)?)),
                _ => return Err(Bad),
            }
        }
        Ok(Scale {
            id: id.ok_or(Bad)?,
            name,
            body: body.ok_or(Bad)?,
        })
    }

    fn band_scale(&mut self, p: P<'_>) -> Lowered<BandScale> {
        let mut it = parts(p);
        let range = self.range(next(&mut it)?)?;
        let pass = self.number(&next(&mut parts(next(&mut it)?))?);
        let mut bands = Vec::new();
        for band in it {
            let open = self.open(&band);
            let mut parts = parts(band);
            let lower = self.bound(next(&mut parts)?)?;
            let upper = self.bound(next(&mut parts)?)?;
            let points = self.number(&next(&mut parts)?);
            bands.push(self.close(
                open,
                Band {
                    lower,
                    upper,
                    points,
                },
            ));
        }
        Ok(BandScale { range, pass, bands })
    }

    /// `lower_bound` or `upper_bound`: one child saying open or closed, holding the number.
    fn bound(&mut self, p: P<'_>) -> Lowered<Bound> {
        let side = next(&mut p.into_inner())?;
        let closed = matches!(side.as_rule(), Rule::lower_closed | Rule::upper_closed);
        let value = self.number(&next(&mut side.into_inner())?);
        Ok(Bound { value, closed })
    }

    fn formula_scale(&mut self, p: P<'_>) -> Lowered<FormulaScale> {
        let mut it = parts(p);
        let range = self.range(next(&mut it)?)?;
        let pass = self.number(&next(&mut parts(next(&mut it)?))?);
        let mut cases = Vec::new();
        let mut otherwise = None;
        for c in it {
            let open = self.open(&c);
            let rule = c.as_rule();
            let mut parts = parts(c);
            if rule == Rule::formula_case {
                let when = self.condition(next(&mut parts)?)?;
                let points = self.expr(next(&mut parts)?)?;
                cases.push(self.close(open, FormulaCase { when, points }));
            } else {
                let points = self.expr(next(&mut parts)?)?;
                otherwise = Some(self.close(open, points));
            }
        }
        Ok(FormulaScale {
            range,
            pass,
            cases,
            otherwise,
        })
    }

    fn text_scale(&mut self, p: P<'_>) -> Lowered<Vec<Node<TextGrade>>> {
        let mut grades = Vec::new();
        for grade in parts(p) {
            let open = self.open(&grade);
            let mut it = parts(grade);
            let label = self.text(next(&mut it)?)?;
            let points = self.number(&next(&mut it)?);
            let fail = it.next().is_some();
            grades.push(self.close(
                open,
                TextGrade {
                    label,
                    points,
                    fail,
                },
            ));
        }
        Ok(grades)
    }

    fn pass_fail(&mut self, p: P<'_>) -> Lowered<PassFailScale> {
        let mut scale = PassFailScale {
            pass: Vec::new(),
            fail: Vec::new(),
        };
        for clause in parts(p) {
            let open = self.open(&clause);
            let pass = keyword_of(&clause)? == Rule::k_pass;
            let labels = self.texts(next(&mut parts(clause))?)?;
            let node = self.close(open, labels);
            if pass {
                scale.pass.push(node);
            } else {
                scale.fail.push(node);
            }
        }
        Ok(scale)
    }
}
