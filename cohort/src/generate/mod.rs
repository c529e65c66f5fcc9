//! A deterministic generator of realistic synthetic cohorts, for demos, tests and benchmarks.
//!
//! The generator reads a ruleset's checked syntax tree, every version: the catalog (which
//! courses graduation requires, which are `N of` choices, which belong to a minor or
//! micro-major, which term each is planned in), the GPA policy's scales, the outcome kinds with
//! the values their conversion rules and reviews test, and the institutions. A learner is then
//! drawn from that:
//!
//! - an enrolment date among the intakes the versions cover (the month and day of each
//!   version's `effective`, from the first version's year to a year past the last), so that
//!   learners fall under every version; a current term from 1 to 8;
//! - a profile: most learners score around 75 to 85, a tail fails often and drops courses,
//!   so that every warning level is reached; a quarter also follow a program;
//! - course attempts term by term as the catalog plans them: scores, text grades or pass/fail
//!   as each course grades (fixed per course), failures retaken a term or two later, the odd
//!   withdrawal, a few transfer courses and unknown codes;
//! - non-course outcomes, gathered term after term at the rate that brings learners to
//!   `outcomes_per_learner` items on average (course attempts included; the rate is measured
//!   once per ruleset on a fixed sample): kinds weighted by how common they are, attribute
//!   values near the thresholds the rules test, evidence mostly complete, some already
//!   reviewed;
//! - now and then an exception.
//!
//! Learner `i` depends only on the seed and `i` (its own random stream), so a cohort can be
//! generated in parallel, and the first N learners of a larger cohort are the cohort of N.
//! The random numbers come from the crate's own xoshiro256**, so the same seed gives the same
//! bytes whatever the dependencies' versions.

mod calendar;
mod draft;
mod learner;
mod model;
mod names;
mod outcomes;
mod rng;

#[cfg(test)]
mod tests;

use std::io::{self, Write};

use creditbank_dsl::ast::Date;
use creditbank_engine::library::Library;
use creditbank_engine::record::{format_date, LearnerRecord};
use rayon::prelude::*;

use crate::input::{write_end, write_piece, InputFormat};
use calendar::{add_months, term_of};
use draft::LearnerDraft;
use learner::{OutcomeRate, MAX_TERM};
use model::ProgramModel;
use rng::Rng;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateOptions {
    /// The seed: the same seed, rulesets and options give the same cohort.
    pub seed: u64,
    /// Course attempts and non-course outcomes per learner, on average: outcomes are added
    /// to the courses a ruleset's plan gives, in proportion to each learner's term. Below the
    /// courses alone, learners keep their courses and get an outcome every two terms.
    pub outcomes_per_learner: u32,
    /// One evaluation date for everyone, written as each record's `as_of`; enrolment dates are
    /// then those up to four years before it. Without it, each learner is evaluated at the
    /// end of their current term.
    pub as_of: Option<Date>,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            seed: 1,
            outcomes_per_learner: 60,
            as_of: None,
        }
    }
}

/// Why a generator could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// The rulesets hold no program by that id.
    #[error("no ruleset `{id}`; known rulesets: {}", .known.join(", "))]
    UnknownProgram {
        /// The id asked for.
        id: String,
        /// The ids there are.
        known: Vec<String>,
    },
    /// There is no ruleset at all.
    #[error("no ruleset to generate learners for")]
    NoRuleset,
    /// No version of any program is in force on the evaluation date.
    #[error("no version of {} is in force on {as_of}: the earliest takes effect on {earliest}", .ids.join(", "))]
    NothingInForce {
        /// The programs.
        ids: Vec<String>,
        /// The evaluation date, `YYYY-MM-DD`.
        as_of: String,
        /// The earliest effective date, `YYYY-MM-DD`.
        earliest: String,
    },
}

/// Generates learners of one or more programs.
#[derive(Debug)]
pub struct CohortGenerator {
    programs: Vec<(ProgramModel, Vec<Date>, OutcomeRate)>,
    options: GenerateOptions,
}

impl CohortGenerator {
    /// A generator of learners of `program` (every ruleset in `library` when `None`, each
    /// learner's program drawn among them).
    pub fn new(
        library: &Library,
        program: Option<&str>,
        options: GenerateOptions,
    ) -> Result<CohortGenerator, GenerateError> {
        let ids: Vec<&str> = match program {
            Some(id) if library.versions(id).is_empty() => {
                return Err(GenerateError::UnknownProgram {
                    id: id.to_owned(),
                    known: library.ids().map(str::to_owned).collect(),
                })
            }
            Some(id) => vec![id],
            None => library.ids().collect(),
        };
        if ids.is_empty() {
            return Err(GenerateError::NoRuleset);
        }
        let mut earliest: Option<Date> = None;
        let programs: Vec<(ProgramModel, Vec<Date>, OutcomeRate)> = ids
            .iter()
            .filter_map(|id| {
                let model = ProgramModel::new(id, library.versions(id));
                let first = model.versions.first()?.effective;
                earliest = Some(earliest.map_or(first, |e| e.min(first)));
                let intakes = intakes(&model, options.as_of);
                if intakes.is_empty() {
                    return None;
                }
                let rate = OutcomeRate::for_program(
                    &model,
                    &intakes,
                    options.as_of,
                    options.outcomes_per_learner,
                );
                Some((model, intakes, rate))
            })
            .collect();
        if programs.is_empty() {
            return Err(GenerateError::NothingInForce {
                ids: ids.iter().map(|id| format!("`{id}`")).collect(),
                as_of: options.as_of.map(format_date).unwrap_or_default(),
                earliest: earliest.map(format_date).unwrap_or_default(),
            });
        }
        Ok(CohortGenerator { programs, options })
    }

    /// Learner `index` (from 0): always the same for the same rulesets, seed and options.
    pub fn learner(&self, index: u64) -> LearnerRecord {
        let mut draft = LearnerDraft::default();
        self.draft(index, &mut draft);
        draft.to_record()
    }

    /// Drafts learner `index` into `draft`.
    fn draft<'g>(&'g self, index: u64, draft: &mut LearnerDraft<'g>) {
        let mut rng = Rng::for_learner(self.options.seed, index);
        let pick = rng.below(self.programs.len() as u64) as usize;
        let (program, intakes, rate) = &self.programs[pick.min(self.programs.len() - 1)];
        let drafted = learner::learner(
            program,
            intakes,
            self.options.as_of,
            *rate,
            &mut rng,
            index,
            draft,
        );
        if !drafted {
            // INVARIANT: `new` keeps only programs with intakes, each on or after the
            // program's first version, so this learner without a record of study is never
            // drafted; it stands in rather than a panic.
            draft.clear();
            draft.index = index;
            draft.program = &program.id;
            draft.enrolled = intakes.first().copied();
            draft.as_of = draft.enrolled;
            draft.term = 1;
        }
    }

    /// Writes learners `0..learners` as a cohort in `format`: batches of chunks generated in
    /// parallel, each batch written in order while the next is generated. Memory holds two
    /// batches, whatever the cohort's size.
    pub fn write<W: Write + Send>(
        &self,
        learners: u64,
        format: InputFormat,
        mut out: W,
    ) -> io::Result<W> {
        const CHUNK: u64 = 256;
        let threads = rayon::current_num_threads().max(1) as u64;
        let batch = CHUNK * threads * 4;
        // Two sets of chunk buffers, kept from batch to batch (fresh ones would cost the kernel
        // a page fault per 4 KiB): one being written while the other is filled.
        let mut filling: Vec<Vec<u8>> = Vec::new();
        let mut written: Vec<Vec<u8>> = Vec::new();
        let mut ready = 0;
        let mut start = 0;
        loop {
            let end = learners.min(start + batch);
            let ranges: Vec<std::ops::Range<u64>> = (start..end)
                .step_by(CHUNK as usize)
                .map(|a| a..end.min(a + CHUNK))
                .collect();
            let filled = ranges.len();
            filling.resize_with(filling.len().max(filled), Vec::new);
            let (generated, wrote) = rayon::join(
                || {
                    filling
                        .par_iter_mut()
                        .zip(ranges.into_par_iter())
                        .map(|(buffer, range)| {
                            buffer.clear();
                            self.piece(range, format, buffer)
                        })
                        .collect::<io::Result<()>>()
                },
                || written[..ready].iter().try_for_each(|b| out.write_all(b)),
            );
            generated?;
            wrote?;
            if filled == 0 {
                break;
            }
            std::mem::swap(&mut filling, &mut written);
            ready = filled;
            start = end;
        }
        write_end(&mut out, format, learners == 0)?;
        out.flush()?;
        Ok(out)
    }

    /// Learners `range`, written as their part of a cohort.
    fn piece(
        &self,
        range: std::ops::Range<u64>,
        format: InputFormat,
        piece: &mut Vec<u8>,
    ) -> io::Result<()> {
        let mut draft = LearnerDraft::default();
        for i in range {
            self.draft(i, &mut draft);
            match format {
                // JSON straight from the draft: no record built.
                InputFormat::Ndjson => {
                    draft.write_json(piece);
                    piece.push(b'\n');
                }
                InputFormat::Json => {
                    piece.extend_from_slice(if i == 0 { b"[\n" } else { b",\n" });
                    draft.write_json(piece);
                }
                InputFormat::Yaml | InputFormat::Csv => {
                    write_piece(piece, format, &draft.to_record(), i == 0)?;
                }
            }
        }
        Ok(())
    }
}

/// The enrolment dates learners of a program are drawn from.
fn intakes(program: &ProgramModel, as_of: Option<Date>) -> Vec<Date> {
    let Some(first) = program.versions.first().map(|v| v.effective) else {
        return Vec::new();
    };
    let last = program.versions.last().map_or(first, |v| v.effective);
    let mut days: Vec<(u8, u8)> = program
        .versions
        .iter()
        .map(|v| (v.effective.month, v.effective.day))
        .collect();
    days.sort_unstable();
    days.dedup();
    let years = match as_of {
        None => first.year..=last.year.saturating_add(1),
        Some(d) => d.year.saturating_sub(4)..=d.year,
    };
    let mut out = Vec::new();
    for year in years {
        for &(month, day) in &days {
            let date = add_months(
                Date {
                    year,
                    month: 1,
                    day,
                },
                u32::from(month) - 1,
            );
            let in_range = match as_of {
                None => true,
                Some(d) => date <= d && term_of(date, d) <= MAX_TERM,
            };
            if date >= first && in_range {
                out.push(date);
            }
        }
    }
    out
}
