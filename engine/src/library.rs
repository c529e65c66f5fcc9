//! The versions of every ruleset, and which one applies to a learner.
//!
//! A learner is evaluated under the version of their program in force on their enrolment date
//! (grandfathering): the latest version whose `effective` date is on or before it. An
//! administrator's exception may name another version. Every answer names the ruleset id, the
//! version and a content hash of its source, so a decision can be traced to the exact text.

use creditbank_dsl::ast::{Date, Header, Item, RulesetFile};
use creditbank_dsl::{Checked, SourceFile};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One checked version of a ruleset.
#[derive(Clone, Debug)]
pub struct RulesetVersion {
    /// The ruleset id, e.g. `demo-university/undergraduate`.
    pub id: String,
    /// The version, e.g. `2026.1`.
    pub version: String,
    /// The title.
    pub title: String,
    /// The first enrolment date it applies to.
    pub effective: Date,
    /// The version it supersedes, if any.
    pub supersedes: Option<String>,
    /// `sha256:` and the hex SHA-256 of the source text.
    pub content_hash: String,
    /// The name of the source (its path).
    pub source_name: String,
    /// The source text, for the line and column of the spans explanations cite.
    pub source: Arc<SourceFile>,
    /// The checked syntax tree.
    pub file: Arc<RulesetFile>,
}

/// Why a set of files could not become a library.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum LibraryError {
    /// Some files have errors; the library is only built from files without any.
    #[error("{} of the ruleset files have errors: {}", .0.len(), .0.join(", "))]
    InvalidFiles(Vec<String>),
    /// A file has no header (which `check` reports as an error, so this is a safeguard).
    #[error("`{0}` has no ruleset header")]
    NoHeader(String),
    /// Two files declare the same version.
    #[error("version `{version}` of `{id}` is declared twice")]
    DuplicateVersion {
        /// The ruleset id.
        id: String,
        /// The version.
        version: String,
    },
}

/// Why a set of sources could not be loaded as a library ([`Library::load`]).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Some files have errors: each, by its index among the sources, with its diagnostics.
    #[error("{} of the ruleset files have errors", .0.len())]
    Diagnostics(Vec<(usize, Vec<creditbank_dsl::Diagnostic>)>),
    /// The files are valid one by one but do not make a library.
    #[error(transparent)]
    Library(#[from] LibraryError),
}

/// Why no version could be selected for a learner.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// No ruleset has the id.
    #[error("no ruleset `{id}`; known rulesets: {}", .known.join(", "))]
    UnknownRuleset {
        /// The id asked for.
        id: String,
        /// The ids there are.
        known: Vec<String>,
    },
    /// The ruleset has no such version.
    #[error("ruleset `{id}` has no version `{version}`; its versions: {}", .known.join(", "))]
    UnknownVersion {
        /// The ruleset id.
        id: String,
        /// The version asked for.
        version: String,
        /// The versions there are.
        known: Vec<String>,
    },
    /// Every version took effect after the learner enrolled.
    #[error(
        "no version of `{id}` was in force on {enrolled}; the earliest takes effect on {earliest}"
    )]
    NoVersionInForce {
        /// The ruleset id.
        id: String,
        /// The enrolment date, `YYYY-MM-DD`.
        enrolled: String,
        /// The earliest effective date, `YYYY-MM-DD`.
        earliest: String,
    },
}

/// Every version of every ruleset, by id, each list sorted by effective date.
#[derive(Clone, Debug, Default)]
pub struct Library {
    rulesets: BTreeMap<String, Vec<RulesetVersion>>,
}

/// `YYYY-MM-DD`.
pub fn date_text(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
}

/// `sha256:<hex>` of a source text.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

fn header(file: &RulesetFile) -> Option<&Header> {
    file.items.iter().find_map(|item| match &item.value {
        Item::Header(h) => Some(h),
        _ => None,
    })
}

impl Library {
    /// Builds a library from checked files (as `creditbank_dsl::check_set` returns them, in the
    /// same order as their sources). Refuses if any file has errors: a library is all good or
    /// not built, so that a service can keep serving the last good one.
    pub fn build(sources: &[SourceFile], checked: Vec<Checked>) -> Result<Library, LibraryError> {
        let invalid: Vec<String> = sources
            .iter()
            .zip(&checked)
            .filter(|(_, c)| c.has_errors())
            .map(|(s, _)| s.name().to_string())
            .collect();
        if !invalid.is_empty() {
            return Err(LibraryError::InvalidFiles(invalid));
        }
        let mut rulesets: BTreeMap<String, Vec<RulesetVersion>> = BTreeMap::new();
        for (source, c) in sources.iter().zip(checked) {
            let h = header(&c.file).ok_or_else(|| LibraryError::NoHeader(source.name().into()))?;
            let version = RulesetVersion {
                id: h.id.value.clone(),
                version: h.version.value.clone(),
                title: h.title.value.value.clone(),
                effective: h.effective.value.value,
                supersedes: h.supersedes.as_ref().map(|s| s.value.value.clone()),
                content_hash: content_hash(source.text()),
                source_name: source.name().to_string(),
                source: Arc::new(source.clone()),
                file: Arc::new(c.file),
            };
            let versions = rulesets.entry(version.id.clone()).or_default();
            if versions.iter().any(|v| v.version == version.version) {
                return Err(LibraryError::DuplicateVersion {
                    id: version.id,
                    version: version.version,
                });
            }
            versions.push(version);
        }
        for versions in rulesets.values_mut() {
            // INVARIANT: sorted by effective date (distinct dates: the checker's E043).
            versions.sort_by(|a, b| {
                a.effective
                    .cmp(&b.effective)
                    .then(a.version.cmp(&b.version))
            });
        }
        Ok(Library { rulesets })
    }

    /// Checks a set of sources (each version against the others too) and builds the library;
    /// if any file has errors, returns every diagnostic of each file with errors instead. What
    /// both front ends do with a directory of rulesets once they have read it.
    pub fn load(sources: &[SourceFile]) -> Result<Library, LoadError> {
        let checked = creditbank_dsl::check_set(sources);
        let invalid: Vec<(usize, Vec<creditbank_dsl::Diagnostic>)> = checked
            .iter()
            .enumerate()
            .filter(|(_, c)| c.has_errors())
            .map(|(i, c)| (i, c.diagnostics.clone()))
            .collect();
        if !invalid.is_empty() {
            return Err(LoadError::Diagnostics(invalid));
        }
        Ok(Library::build(sources, checked)?)
    }

    /// The ruleset ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rulesets.keys().map(String::as_str)
    }

    /// The versions of a ruleset, oldest first.
    pub fn versions(&self, id: &str) -> &[RulesetVersion] {
        self.rulesets.get(id).map_or(&[], Vec::as_slice)
    }

    /// Every version of every ruleset.
    pub fn all(&self) -> impl Iterator<Item = &RulesetVersion> {
        self.rulesets.values().flatten()
    }

    /// The version that applies to `learner`, and why (for the report's `selected`): the one
    /// an exception of the record names, else the one in force at enrolment.
    pub fn select_for(
        &self,
        learner: &crate::record::LearnerRecord,
    ) -> Result<(&RulesetVersion, &'static str), SelectError> {
        let named = learner.named_version();
        let version = self.select(&learner.program, learner.enrolled, named)?;
        let why = if named.is_some() {
            "named by an exception"
        } else {
            "in force at enrolment"
        };
        Ok((version, why))
    }

    /// The version of ruleset `id` that applies to a learner who enrolled on `enrolled`: the
    /// named `version` if given (an administrator's exception), else the latest version in
    /// force on that date.
    pub fn select(
        &self,
        id: &str,
        enrolled: Date,
        version: Option<&str>,
    ) -> Result<&RulesetVersion, SelectError> {
        let (versions, named) = self.named(id, version)?;
        if let Some(named) = named {
            return Ok(named);
        }
        versions
            .iter()
            .rev()
            .find(|v| v.effective <= enrolled)
            .ok_or_else(|| SelectError::NoVersionInForce {
                id: id.to_string(),
                enrolled: date_text(enrolled),
                earliest: versions
                    .first()
                    .map(|v| date_text(v.effective))
                    .unwrap_or_default(),
            })
    }

    /// Version `version` of ruleset `id`, or its latest when none is named (what a batch of
    /// applications is reviewed under).
    pub fn version_or_latest(
        &self,
        id: &str,
        version: Option<&str>,
    ) -> Result<&RulesetVersion, SelectError> {
        let (versions, named) = self.named(id, version)?;
        named.or(versions.last()).ok_or_else(|| self.unknown(id))
    }

    /// The versions of ruleset `id`, and the one named `version` when a version is named.
    fn named(
        &self,
        id: &str,
        version: Option<&str>,
    ) -> Result<(&[RulesetVersion], Option<&RulesetVersion>), SelectError> {
        let versions = self.rulesets.get(id).ok_or_else(|| self.unknown(id))?;
        let Some(wanted) = version else {
            return Ok((versions, None));
        };
        let named = versions
            .iter()
            .find(|v| v.version == wanted)
            .ok_or_else(|| SelectError::UnknownVersion {
                id: id.to_string(),
                version: wanted.to_string(),
                known: versions.iter().map(|v| v.version.clone()).collect(),
            })?;
        Ok((versions, Some(named)))
    }

    fn unknown(&self, id: &str) -> SelectError {
        SelectError::UnknownRuleset {
            id: id.to_string(),
            known: self.rulesets.keys().cloned().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, version: &str, effective: &str) -> SourceFile {
        SourceFile::new(
            name,
            format!(
                "ruleset \"demo/ug\" version \"{version}\" {{\n  title \"t\"\n  effective {effective}\n}}\n"
            ),
        )
    }

    fn library(sources: &[SourceFile]) -> Result<Library, LibraryError> {
        Library::build(sources, creditbank_dsl::check_set(sources))
    }

    #[test]
    fn load_builds_a_good_set_and_returns_the_diagnostics_of_each_bad_file() {
        let good = [
            source("a.cbr", "2025.1", "2025-09-01"),
            source("b.cbr", "2026.1", "2026-09-01"),
        ];
        assert_eq!(Library::load(&good).unwrap().versions("demo/ug").len(), 2);
        let bad = [
            source("a.cbr", "2025.1", "2025-09-01"),
            SourceFile::new("b.cbr", "ruleset \"demo/ug\" {"),
        ];
        match Library::load(&bad) {
            Err(LoadError::Diagnostics(files)) => {
                assert_eq!(files.len(), 1);
                assert_eq!(files[0].0, 1);
                assert!(files[0].1.iter().any(creditbank_dsl::Diagnostic::is_error));
            }
            other => panic!("expected diagnostics, got {other:?}"),
        }
    }

    fn day(text: &str) -> Date {
        let mut parts = text.split('-').map(|p| p.parse::<u16>().unwrap());
        let (y, m, d) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        Date {
            year: y,
            month: m as u8,
            day: d as u8,
        }
    }

    #[test]
    fn the_version_in_force_at_enrolment_applies() {
        let lib = library(&[
            source("b.cbr", "2026.1", "2026-09-01"),
            source("a.cbr", "2025.1", "2025-09-01"),
        ])
        .unwrap();
        let pick = |d| {
            lib.select("demo/ug", day(d), None)
                .map(|v| v.version.as_str())
        };
        assert_eq!(pick("2025-09-01"), Ok("2025.1"));
        assert_eq!(pick("2026-08-31"), Ok("2025.1"));
        assert_eq!(pick("2026-09-01"), Ok("2026.1"));
        assert_eq!(pick("2030-01-01"), Ok("2026.1"));
        assert!(matches!(
            lib.select("demo/ug", day("2024-09-01"), None),
            Err(SelectError::NoVersionInForce { .. })
        ));
    }

    #[test]
    fn a_record_selects_its_version_and_says_why() {
        let lib = library(&[
            source("b.cbr", "2026.1", "2026-09-01"),
            source("a.cbr", "2025.1", "2025-09-01"),
        ])
        .unwrap();
        let mut record = crate::record::from_yaml(
            "learner: \"1\"\nprogram: demo/ug\nenrolled: 2026-09-01\nterm: 1\n",
        )
        .unwrap();
        let (v, why) = lib.select_for(&record).unwrap();
        assert_eq!(
            (v.version.as_str(), why),
            ("2026.1", "in force at enrolment")
        );
        record.exceptions.push(crate::record::Exception {
            action: crate::record::ExceptionAction::Version {
                version: "2025.1".into(),
            },
            by: "教务处".into(),
            reason: "转专业保留原培养方案".into(),
        });
        assert_eq!(record.named_version(), Some("2025.1"));
        let (v, why) = lib.select_for(&record).unwrap();
        assert_eq!(
            (v.version.as_str(), why),
            ("2025.1", "named by an exception")
        );
    }

    #[test]
    fn an_exception_may_name_a_version() {
        let lib = library(&[
            source("a.cbr", "2025.1", "2025-09-01"),
            source("b.cbr", "2026.1", "2026-09-01"),
        ])
        .unwrap();
        let v = lib
            .select("demo/ug", day("2026-09-01"), Some("2025.1"))
            .unwrap();
        assert_eq!(v.version, "2025.1");
        let err = lib
            .select("demo/ug", day("2026-09-01"), Some("2024.1"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ruleset `demo/ug` has no version `2024.1`; its versions: 2025.1, 2026.1"
        );
    }

    #[test]
    fn a_batch_is_reviewed_under_the_named_version_or_the_latest() {
        let lib = library(&[
            source("a.cbr", "2025.1", "2025-09-01"),
            source("b.cbr", "2026.1", "2026-09-01"),
        ])
        .unwrap();
        let latest = lib.version_or_latest("demo/ug", None).unwrap();
        assert_eq!(latest.version, "2026.1");
        let named = lib.version_or_latest("demo/ug", Some("2025.1")).unwrap();
        assert_eq!(named.version, "2025.1");
        assert!(matches!(
            lib.version_or_latest("demo/ug", Some("2027.1")),
            Err(SelectError::UnknownVersion { .. })
        ));
        assert!(matches!(
            lib.version_or_latest("demo/pg", None),
            Err(SelectError::UnknownRuleset { .. })
        ));
    }

    #[test]
    fn unknown_rulesets_name_the_known_ones() {
        let lib = library(&[source("a.cbr", "2025.1", "2025-09-01")]).unwrap();
        let err = lib.select("demo/pg", day("2026-09-01"), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no ruleset `demo/pg`; known rulesets: demo/ug"
        );
    }

    #[test]
    fn a_file_with_errors_stops_the_build() {
        let bad = SourceFile::new("bad.cbr", "ruleset \"demo/ug\" version \"1\" {\n}\n");
        let err = library(&[source("a.cbr", "2025.1", "2025-09-01"), bad]).unwrap_err();
        assert_eq!(err, LibraryError::InvalidFiles(vec!["bad.cbr".into()]));
    }

    #[test]
    fn the_hash_is_of_the_text() {
        assert_eq!(
            content_hash(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let lib = library(&[source("a.cbr", "2025.1", "2025-09-01")]).unwrap();
        let v = &lib.versions("demo/ug")[0];
        assert_eq!(
            v.content_hash,
            content_hash(source("a.cbr", "2025.1", "2025-09-01").text())
        );
    }

    #[test]
    fn the_bundled_rulesets_build() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
        let mut sources = Vec::new();
        for id in [
            "demo-university/undergraduate",
            "demo-open-university/lifelong-learning",
        ] {
            for version in ["2025.1", "2026.1"] {
                let path = root.join(id).join(format!("{version}.cbr"));
                sources.push(SourceFile::new(
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
        let lib = library(&sources).unwrap();
        assert_eq!(lib.ids().count(), 2);
        let v = lib
            .select("demo-university/undergraduate", day("2026-09-01"), None)
            .unwrap();
        assert_eq!(v.version, "2026.1");
        assert_eq!(v.supersedes.as_deref(), Some("2025.1"));
    }
}
