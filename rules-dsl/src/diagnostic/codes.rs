//! The registry of diagnostic codes. A code never changes meaning once released; each has a
//! long explanation in `explanations/<CODE>.md`, shown by `creditbank explain-code`.

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $code:literal, $severity:ident, $title:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $title]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written in diagnostics, e.g. `E011`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// Whether diagnostics with this code are errors or warnings.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// A short title.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// The long explanation (Markdown).
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("explanations/", $code, ".md")),)*
                }
            }

            /// Looks a code up by its text, case-insensitively (`e011`, `E011`).
            pub fn parse(text: &str) -> Option<Code> {
                let text = text.trim();
                Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(text))
            }
        }
    };
}

codes! {
    // Syntax and literals: reported by the parser.
    Syntax = "E001", Error, "syntax error";
    UnterminatedString = "E002", Error, "unterminated string";
    InvalidDate = "E003", Error, "invalid date";
    InvalidNumber = "E004", Error, "number out of range";
    InvalidEscape = "E005", Error, "invalid escape in string";
    MissingHeader = "E006", Error, "missing ruleset header";
    DuplicateItem = "E007", Error, "item may appear only once";
    MissingClause = "E008", Error, "missing required clause";
    DuplicateClause = "E009", Error, "clause given more than once";
    // Names and references: reported by the checker.
    DuplicateId = "E010", Error, "duplicate id";
    UnknownCategory = "E011", Error, "unknown category";
    UnknownScale = "E012", Error, "unknown grade scale";
    UnknownCourse = "E013", Error, "unknown course";
    UnknownKind = "E014", Error, "unknown outcome kind";
    UnknownProgram = "E015", Error, "unknown program";
    UnknownAttribute = "E016", Error, "unknown attribute";
    UnknownValue = "E017", Error, "unknown attribute value";
    UnknownEvidence = "E018", Error, "unknown evidence field";
    UnknownInstitution = "E019", Error, "unknown institution";
    UnknownRule = "E020", Error, "unknown conversion rule";
    TypeMismatch = "E021", Error, "attribute used as the wrong type";
    // Grade scales and arithmetic.
    BandOverlap = "E022", Error, "grade bands overlap";
    BandGap = "E023", Error, "grade bands leave a gap";
    BandOutOfRange = "E024", Error, "grade band empty or outside the scale's range";
    DivisionByZero = "E025", Error, "division by zero";
    DuplicateGrade = "E026", Error, "grade label defined twice";
    WrongScaleShape = "E027", Error, "scale of the wrong shape for its use";
    // Warnings (学分预警).
    LevelsOutOfOrder = "E028", Error, "warning levels out of order";
    StagesOutOfOrder = "E029", Error, "warning stages out of order";
    ThresholdMismatch = "E030", Error, "threshold does not fit what the warning watches";
    // Reachability.
    UnreachableRequirement = "E031", Error, "requirement no learner can meet";
    CapBlocksRequirement = "E032", Error, "cap makes a requirement impossible";
    RuleNeverFires = "E033", Error, "conversion rule can never fire";
    // Values.
    PercentOutOfRange = "E034", Error, "percentage out of range";
    NOfImpossible = "E035", Error, "n-of group cannot be met";
    InvalidRange = "E036", Error, "invalid range or precision";
    SelfSupersede = "E037", Error, "version supersedes itself";
    DuplicateKey = "E038", Error, "table key given twice";
    RequirementCycle = "E039", Error, "requirements refer to each other in a cycle";
    PassMarkOutOfRange = "E040", Error, "pass mark outside the scale's range";
    // Versions: checked across the files of one ruleset.
    DuplicateVersion = "E041", Error, "ruleset version declared twice";
    UnknownSupersededVersion = "E042", Error, "superseded version not found";
    EffectiveDatesOutOfOrder = "E043", Error, "effective dates out of order";
    // Caps, across the whole file.
    CapsCrossInOddCycle = "E044", Error, "caps cross one another in a cycle";
    // Warnings: the ruleset can be used, but probably does not say what was meant.
    UnusedCategory = "W001", Warning, "category never credited";
    UnusedScale = "W002", Warning, "grade scale never used";
    MaybeDivisionByZero = "W003", Warning, "division may be by zero";
    IncompleteTable = "W004", Warning, "table does not cover every value";
    UnreachableCase = "W005", Warning, "review case can never apply";
    KindNeverConverted = "W006", Warning, "outcome kind never converted to credit";
    KindNotReviewed = "W007", Warning, "outcome kind without review criteria";
    RedundantRequirement = "W008", Warning, "requirement already implied by another";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_prefixed_by_severity() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let prefix = match code.severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(code.as_str().starts_with(prefix), "{code}");
        }
    }

    #[test]
    fn every_code_is_explained_with_an_example() {
        for code in Code::ALL {
            let text = code.explanation();
            assert!(
                text.starts_with(&format!("# {}:", code.as_str())),
                "{code}: explanation must start with `# {code}: title`"
            );
            assert!(text.contains("```"), "{code}: explanation needs an example");
        }
    }

    #[test]
    fn codes_parse_case_insensitively() {
        assert_eq!(Code::parse("e011"), Some(Code::UnknownCategory));
        assert_eq!(Code::parse("W003"), Some(Code::MaybeDivisionByZero));
        assert_eq!(Code::parse("E999"), None);
    }
}
