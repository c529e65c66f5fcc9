//! Academic years, terms and expiry dates, and the running totals of the caps.

use super::{CapId, CapScopePlan, Clip, OutcomesPlan, RuleId};
use crate::exact_sum::at_least_zero;
use crate::plan::{CategoryId, KindId};
use creditbank_dsl::ast::{CapPeriod, Date, MonthDay};
use rust_decimal::Decimal;

/// The academic year a date falls in, named by the calendar year it starts in: with years
/// starting 09-01, 2027-03-10 is in academic year 2026.
pub fn academic_year(date: Date, start: MonthDay) -> i32 {
    let year = i32::from(date.year);
    if (date.month, date.day) >= (start.month, start.day) {
        year
    } else {
        year - 1
    }
}

/// The term a date falls in, counted from the enrolment: `2 × (academic years since the
/// enrolment's) + 1` in the first half of an academic year, `+ 2` in the second half, which
/// starts six months after `start`. Dates before the enrolment's academic year give zero or
/// less.
pub fn term_of(date: Date, enrolled: Date, start: MonthDay) -> i32 {
    let years = academic_year(date, start) - academic_year(enrolled, start);
    // Whole months since the start of the academic year: a day before the start's day of the
    // month has not completed the month.
    let mut months = (i32::from(date.month) - i32::from(start.month)).rem_euclid(12);
    if date.day < start.day && months > 0 {
        months -= 1;
    } else if date.day < start.day && date.month == start.month {
        // Same month, before the start day: the last month of the previous academic year.
        months = 11;
    }
    2 * years + if months < 6 { 1 } else { 2 }
}

fn is_leap(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The first day an outcome of `date` is expired under `expires after years`: its
/// anniversary, 28 February for 29 February in a common year. Returned as `(year, month, day)`
/// so that anniversaries past 9999 still compare.
pub fn expiry_date(date: Date, years: u32) -> (u32, u8, u8) {
    let year = u32::from(date.year).saturating_add(years);
    if date.month == 2 && date.day == 29 && !is_leap(year) {
        (year, 2, 28)
    } else {
        (year, date.month, date.day)
    }
}

/// What converted credit is being added, for deciding which caps count it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Addition {
    pub rule: RuleId,
    pub kind: KindId,
    pub category: CategoryId,
    pub year: i32,
    pub term: i32,
}

/// The credit each cap has let through so far, per period.
#[derive(Debug, Default)]
pub(super) struct CapState {
    /// `(cap, period, used)`; a cap without a period uses period 0. A learner touches a
    /// handful of caps and periods, so one short list searched in order serves.
    used: Vec<(CapId, i32, Decimal)>,
}

pub(super) fn applies(scope: CapScopePlan, add: &Addition) -> bool {
    match scope {
        CapScopePlan::Rule(r) => r == add.rule,
        CapScopePlan::Kind(k) => k == add.kind,
        CapScopePlan::Category(c) => c == add.category,
        CapScopePlan::Conversions => true,
    }
}

impl CapState {
    pub(super) fn new() -> Self {
        CapState {
            used: Vec::with_capacity(16),
        }
    }

    /// What cap `cap` has counted in `period` so far (course credit and served conversions).
    pub(super) fn used_in(&self, cap: CapId, period: i32) -> Decimal {
        self.used
            .iter()
            .find(|(c, p, _)| *c == cap && *p == period)
            .map_or(Decimal::ZERO, |(_, _, used)| *used)
    }

    fn used(&mut self, cap: CapId, period: i32) -> Option<&mut Decimal> {
        let at = match self
            .used
            .iter()
            .position(|(c, p, _)| *c == cap && *p == period)
        {
            Some(at) => at,
            None => {
                self.used.push((cap, period, Decimal::ZERO));
                self.used.len() - 1
            }
        };
        self.used.get_mut(at).map(|(_, _, used)| used)
    }

    /// Counts credit from courses against the caps on its category, without clipping it:
    /// courses are never cut, and converted credit is clipped to what they leave.
    pub(super) fn seed(
        &mut self,
        plan: &OutcomesPlan,
        category: CategoryId,
        year: i32,
        term: i32,
        credits: Decimal,
    ) {
        for &cap_id in plan.caps_on_category(category) {
            let Some(cap) = plan.cap_plan(cap_id) else {
                continue;
            };
            let period = match cap.period {
                None => 0,
                Some(CapPeriod::Year) => year,
                Some(CapPeriod::Term) => term,
            };
            if let Some(used) = self.used(cap_id, period) {
                *used = used.checked_add(credits).unwrap_or(Decimal::MAX);
            }
        }
    }

    /// Clips `amount` by every cap that counts it, in the plan's cap order, records the clips,
    /// then counts what is left against every one of those caps. Returns what is left.
    pub(super) fn add(
        &mut self,
        plan: &OutcomesPlan,
        add: &Addition,
        mut amount: Decimal,
        clips: &mut Vec<Clip>,
    ) -> Decimal {
        // The caps that count a conversion depend on its rule alone (a rule converts one kind
        // into one category), so the plan lists them per rule.
        let caps = plan.caps_of_rule(add.rule);
        for &cap_id in caps {
            let Some(cap) = plan.cap_plan(cap_id) else {
                continue;
            };
            debug_assert!(applies(cap.scope, add));
            let period = period_of(cap.period, add);
            let Some(used) = self.used(cap_id, period) else {
                continue;
            };
            let room = at_least_zero(cap.limit - *used);
            if amount > room {
                clips.push(Clip {
                    cap: cap_id,
                    by: amount - room,
                    period: cap.period.map(|p| (p, period)),
                });
                amount = room;
            }
        }
        for &cap_id in caps {
            let Some(cap) = plan.cap_plan(cap_id) else {
                continue;
            };
            let period = period_of(cap.period, add);
            if let Some(used) = self.used(cap_id, period) {
                *used = used.checked_add(amount).unwrap_or(Decimal::MAX);
            }
        }
        amount
    }
}

pub(super) fn period_of(period: Option<CapPeriod>, add: &Addition) -> i32 {
    match period {
        None => 0,
        Some(CapPeriod::Year) => add.year,
        Some(CapPeriod::Term) => add.term,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    const SEPT: MonthDay = MonthDay { month: 9, day: 1 };

    #[test]
    fn the_academic_year_starts_at_year_starts() {
        assert_eq!(academic_year(date(2026, 9, 1), SEPT), 2026);
        assert_eq!(academic_year(date(2026, 8, 31), SEPT), 2025);
        assert_eq!(academic_year(date(2027, 3, 10), SEPT), 2026);
    }

    #[test]
    fn terms_are_half_years_from_the_enrolment() {
        let enrolled = date(2026, 9, 1);
        assert_eq!(term_of(date(2026, 9, 1), enrolled, SEPT), 1);
        assert_eq!(term_of(date(2027, 2, 28), enrolled, SEPT), 1);
        assert_eq!(term_of(date(2027, 3, 1), enrolled, SEPT), 2);
        assert_eq!(term_of(date(2027, 8, 31), enrolled, SEPT), 2);
        assert_eq!(term_of(date(2027, 9, 1), enrolled, SEPT), 3);
        assert_eq!(term_of(date(2026, 8, 31), enrolled, SEPT), 0);
        let mid = MonthDay { month: 9, day: 15 };
        let enrolled = date(2026, 9, 15);
        assert_eq!(term_of(date(2027, 3, 14), enrolled, mid), 1);
        assert_eq!(term_of(date(2027, 3, 15), enrolled, mid), 2);
        assert_eq!(term_of(date(2027, 9, 14), enrolled, mid), 2);
    }

    #[test]
    fn an_anniversary_of_29_february_is_28_february_in_a_common_year() {
        assert_eq!(expiry_date(date(2024, 2, 29), 2), (2026, 2, 28));
        assert_eq!(expiry_date(date(2024, 2, 29), 4), (2028, 2, 29));
        assert_eq!(expiry_date(date(2024, 6, 15), 2), (2026, 6, 15));
    }
}
