//! The one error type of reading and validating a learner record.

use std::fmt;

use thiserror::Error;

/// Why a learner record was not accepted. Every variant names the learner when the id could
/// be read, so that one bad record in a batch can be found.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RecordError {
    /// The text is not well-formed JSON or YAML.
    #[error("{}syntax error at line {line}, column {column}: {message}", Learner(.learner.as_deref()))]
    Syntax {
        /// The learner's id, if it could be read before the error.
        learner: Option<String>,
        /// The line of the error, from 1.
        line: usize,
        /// The column of the error, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A field is missing, unknown, of the wrong type, or has a value that is not allowed.
    #[error("{}{}{message}", Learner(.learner.as_deref()), Path(.path))]
    Invalid {
        /// The learner's id, if it could be read.
        learner: Option<String>,
        /// Where the problem is, e.g. `courses[3].score`; empty for the record as a whole.
        path: String,
        /// The line of the problem in the text, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

impl RecordError {
    /// The learner's id, when it could be read.
    pub fn learner(&self) -> Option<&str> {
        match self {
            RecordError::Syntax { learner, .. } | RecordError::Invalid { learner, .. } => {
                learner.as_deref()
            }
        }
    }

    /// Where the problem is (`courses[3].score`), empty for a syntax error or one about the
    /// record as a whole.
    pub fn path(&self) -> &str {
        match self {
            RecordError::Syntax { .. } => "",
            RecordError::Invalid { path, .. } => path,
        }
    }

    /// What is wrong, without the learner and the path.
    pub fn message(&self) -> &str {
        match self {
            RecordError::Syntax { message, .. } | RecordError::Invalid { message, .. } => message,
        }
    }

    /// A validation problem at `path`.
    pub(super) fn invalid(learner: &str, path: String, message: String) -> Self {
        RecordError::Invalid {
            learner: Some(learner.to_owned()),
            path,
            line: None,
            message,
        }
    }
}

/// Formats `learner `ID`: ` when the id is known.
struct Learner<'a>(Option<&'a str>);

impl fmt::Display for Learner<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, "learner `{}`: ", super::serde_impl::quote(id)),
            None => Ok(()),
        }
    }
}

/// Formats `PATH: ` when there is a path.
struct Path<'a>(&'a str);

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, "{}: ", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_learner_path_and_problem() {
        let e = RecordError::Invalid {
            learner: Some("2026010001".into()),
            path: "outcomes[2].date".into(),
            line: Some(30),
            message: "`2027-02-30` is not a date".into(),
        };
        assert_eq!(
            e.to_string(),
            "learner `2026010001`: outcomes[2].date: `2027-02-30` is not a date"
        );
        let e = RecordError::Syntax {
            learner: None,
            line: 3,
            column: 7,
            message: "expected `,` or `}`".into(),
        };
        assert_eq!(
            e.to_string(),
            "syntax error at line 3, column 7: expected `,` or `}`"
        );
    }
}
