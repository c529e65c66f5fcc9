//! Every version of every ruleset compiled once, and the choice of version for each learner.

use creditbank_engine::evaluate::{CompileError, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::LearnerRecord;
use std::collections::HashMap;

/// A ruleset version that did not compile.
#[derive(Debug, thiserror::Error)]
#[error("ruleset `{id}` version `{version}`: {source}")]
pub struct PlansError {
    /// The ruleset.
    pub id: String,
    /// The version.
    pub version: String,
    /// Why.
    pub source: CompileError,
}

/// The compiled plans of a library, by ruleset id and version.
pub struct Plans<'l> {
    library: &'l Library,
    /// By ruleset id: each version and its plan.
    by_id: HashMap<&'l str, Vec<(&'l str, Plan)>>,
}

impl<'l> Plans<'l> {
    /// Compiles every version of `library`.
    pub fn compile(library: &'l Library) -> Result<Self, PlansError> {
        let mut by_id: HashMap<&'l str, Vec<(&'l str, Plan)>> = HashMap::new();
        for version in library.all() {
            let plan = Plan::compile(version).map_err(|source| PlansError {
                id: version.id.clone(),
                version: version.version.clone(),
                source,
            })?;
            by_id
                .entry(version.id.as_str())
                .or_default()
                .push((version.version.as_str(), plan));
        }
        Ok(Plans { library, by_id })
    }

    /// Every plan, by ruleset id, versions in the library's order.
    pub fn all(&self) -> impl Iterator<Item = &Plan> {
        let mut ids: Vec<&&str> = self.by_id.keys().collect();
        ids.sort();
        ids.into_iter()
            .filter_map(|id| self.by_id.get(*id))
            .flat_map(|versions| versions.iter().map(|(_, plan)| plan))
    }

    /// The plan of one version.
    pub fn get(&self, id: &str, version: &str) -> Option<&Plan> {
        self.by_id
            .get(id)?
            .iter()
            .find(|(v, _)| *v == version)
            .map(|(_, plan)| plan)
    }

    /// The plan a learner is evaluated under, and why: the version in force at enrolment, or
    /// the one an exception of the record names. The error says which program or version is
    /// unknown.
    pub fn for_learner(&self, learner: &LearnerRecord) -> Result<(&Plan, &'static str), String> {
        let (version, selected) = self
            .library
            .select_for(learner)
            .map_err(|e| e.to_string())?;
        let plan = self
            .get(&version.id, &version.version)
            .ok_or_else(|| format!("ruleset `{}` is not compiled", version.id))?;
        Ok((plan, selected))
    }
}
