//! How learners are grouped: by program, by enrolment year, or by class.

use creditbank_engine::record::LearnerRecord;

/// What learners are grouped by (`--group-by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupBy {
    /// The record's `program`: the ruleset id it is evaluated under.
    Program,
    /// The calendar year of the record's `enrolled` date.
    EnrolmentYear,
    /// The cohort class. Learner records have no class field, so a class is the learners who
    /// enrolled in the same calendar year in the same program: `2026 demo-university/undergraduate`
    /// (a 年级 of a 专业, the unit a registrar reports on).
    Class,
}

impl GroupBy {
    /// The name used on the command line and in the JSON and CSV output.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Program => "program",
            GroupBy::EnrolmentYear => "enrolment-year",
            GroupBy::Class => "class",
        }
    }

    /// The group a learner belongs to.
    pub fn key(self, record: &LearnerRecord) -> String {
        match self {
            GroupBy::Program => record.program.clone(),
            GroupBy::EnrolmentYear => format!("{:04}", record.enrolled.year),
            GroupBy::Class => format!("{:04} {}", record.enrolled.year, record.program),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(program: &str, enrolled: &str) -> LearnerRecord {
        creditbank_engine::record::from_yaml(&format!(
            "learner: \"1\"\nprogram: \"{program}\"\nenrolled: {enrolled}\nterm: 1\n"
        ))
        .unwrap()
    }

    #[test]
    fn a_class_is_the_enrolment_year_and_the_program() {
        let r = record("demo-university/undergraduate", "2025-09-01");
        assert_eq!(GroupBy::Program.key(&r), "demo-university/undergraduate");
        assert_eq!(GroupBy::EnrolmentYear.key(&r), "2025");
        assert_eq!(GroupBy::Class.key(&r), "2025 demo-university/undergraduate");
    }

    #[test]
    fn learners_of_one_year_in_two_programs_are_two_classes() {
        let a = record("a/one", "2026-03-01");
        let b = record("b/two", "2026-09-01");
        assert_eq!(
            GroupBy::EnrolmentYear.key(&a),
            GroupBy::EnrolmentYear.key(&b)
        );
        assert_ne!(GroupBy::Class.key(&a), GroupBy::Class.key(&b));
    }
}
