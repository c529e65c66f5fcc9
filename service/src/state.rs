//! The rulesets the service answers with: a snapshot of every version, compiled once, and the
//! registry that swaps in a new snapshot on reload.
//!
//! INVARIANT: a snapshot is only ever built whole. A reload reads, checks, builds and compiles
//! every file first and swaps the new snapshot in with one atomic store; on any error the last
//! good snapshot keeps serving. A request holds the `Arc<Snapshot>` it started with, so a
//! reload never changes the rulesets under a request in flight.

use arc_swap::ArcSwap;
use creditbank_dsl::diagnostic::{to_json, JsonDiagnostic};
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::Plan;
use creditbank_engine::library::{Library, LoadError, RulesetVersion, SelectError};
use creditbank_engine::record::LearnerRecord;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use utoipa::ToSchema;

/// Every version of every ruleset of a directory, each compiled once.
pub struct Snapshot {
    /// The library: every version, by id.
    pub library: Library,
    /// The compiled plans, by ruleset id, then version.
    plans: HashMap<String, HashMap<String, Plan>>,
    /// Which load this is (1 for the first).
    pub generation: u64,
    /// When it was loaded, seconds since the Unix epoch.
    pub loaded_at: f64,
}

/// Why a directory of rulesets could not become a snapshot.
#[derive(Debug, thiserror::Error)]
pub enum LoadFailure {
    /// A file or directory could not be read.
    #[error("cannot read `{path}`: {message}")]
    Read {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// The directory holds no ruleset file.
    #[error("no ruleset file (`*.cbr`) under `{0}`")]
    Empty(String),
    /// Some files have errors.
    #[error("{count} of the ruleset files have errors")]
    Diagnostics {
        /// How many files.
        count: usize,
        /// Their diagnostics, each naming its file.
        diagnostics: Vec<JsonDiagnostic>,
    },
    /// The files do not make a library, or a version did not compile.
    #[error("{0}")]
    Library(String),
}

impl LoadFailure {
    /// The diagnostics, if the failure has any.
    pub fn diagnostics(&self) -> Vec<JsonDiagnostic> {
        match self {
            LoadFailure::Diagnostics { diagnostics, .. } => diagnostics.clone(),
            _ => Vec::new(),
        }
    }
}

/// Seconds since the Unix epoch, now.
pub fn now_seconds() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Every ruleset file under `dir`, sorted by path.
pub fn ruleset_files(dir: &Path) -> Result<Vec<PathBuf>, LoadFailure> {
    creditbank_dsl::files::ruleset_files(dir).map_err(|e| LoadFailure::Read {
        path: e.path.display().to_string(),
        message: e.source.to_string(),
    })
}

/// Reads the ruleset sources of `dir`, each named by its path relative to `dir`.
pub fn read_sources(dir: &Path) -> Result<Vec<SourceFile>, LoadFailure> {
    let files = ruleset_files(dir)?;
    if files.is_empty() {
        return Err(LoadFailure::Empty(dir.display().to_string()));
    }
    files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| LoadFailure::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
            Ok(SourceFile::new(
                name,
                String::from_utf8_lossy(&bytes).into_owned(),
            ))
        })
        .collect()
}

impl Snapshot {
    /// Checks, builds and compiles a set of sources.
    pub fn build(sources: &[SourceFile], generation: u64) -> Result<Snapshot, LoadFailure> {
        let library = Library::load(sources).map_err(|e| match e {
            LoadError::Diagnostics(files) => LoadFailure::Diagnostics {
                count: files.len(),
                diagnostics: files
                    .iter()
                    .filter_map(|(index, diagnostics)| {
                        let source = sources.get(*index)?;
                        Some(diagnostics.iter().map(move |d| to_json(d, source)))
                    })
                    .flatten()
                    .collect(),
            },
            LoadError::Library(e) => LoadFailure::Library(e.to_string()),
        })?;
        let mut plans: HashMap<String, HashMap<String, Plan>> = HashMap::new();
        for version in library.all() {
            let plan = Plan::compile(version).map_err(|e| {
                LoadFailure::Library(format!(
                    "ruleset `{}` version `{}`: {e}",
                    version.id, version.version
                ))
            })?;
            plans
                .entry(version.id.clone())
                .or_default()
                .insert(version.version.clone(), plan);
        }
        Ok(Snapshot {
            library,
            plans,
            generation,
            loaded_at: now_seconds(),
        })
    }

    /// Reads, checks, builds and compiles every ruleset under `dir`.
    pub fn load(dir: &Path, generation: u64) -> Result<Snapshot, LoadFailure> {
        Snapshot::build(&read_sources(dir)?, generation)
    }

    /// The compiled plan of one version.
    pub fn plan(&self, id: &str, version: &str) -> Option<&Plan> {
        self.plans.get(id)?.get(version)
    }

    /// One version, or why there is none.
    pub fn version(&self, id: &str, version: &str) -> Option<&RulesetVersion> {
        self.library
            .versions(id)
            .iter()
            .find(|v| v.version == version)
    }

    /// The plan a learner is evaluated under and why: the version an exception of the record
    /// names, else the one in force at enrolment.
    pub fn for_learner(
        &self,
        learner: &LearnerRecord,
    ) -> Result<(&Plan, &'static str), SelectError> {
        let (version, why) = self.library.select_for(learner)?;
        self.plan(&version.id, &version.version)
            .map(|plan| (plan, why))
            // INVARIANT: every version of the library was compiled in `build`.
            .ok_or_else(|| SelectError::UnknownRuleset {
                id: version.id.clone(),
                known: Vec::new(),
            })
    }
}

/// How the last reload went, for `/readyz`, `/metrics` and the reload answer.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct ReloadStatus {
    /// True when the last reload succeeded (or there has been none since start).
    pub ok: bool,
    /// When the last reload was attempted, seconds since the Unix epoch.
    pub at: f64,
    /// The generation serving now.
    pub generation: u64,
    /// Why the last reload failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Its diagnostics.
    #[schema(value_type = Vec<Object>)]
    pub diagnostics: Vec<JsonDiagnostic>,
    /// Successful reloads since start.
    pub succeeded: u64,
    /// Failed reloads since start.
    pub failed: u64,
}

/// The snapshot serving now, and how to replace it.
pub struct Registry {
    dir: PathBuf,
    current: ArcSwap<Snapshot>,
    status: Mutex<ReloadStatus>,
    generation: AtomicU64,
    // One reload at a time: two concurrent reloads would race to store.
    reloading: tokio::sync::Mutex<()>,
}

impl Registry {
    /// A registry serving `snapshot`, reloading from `dir`.
    pub fn new(dir: PathBuf, snapshot: Snapshot) -> Registry {
        let generation = snapshot.generation;
        let status = ReloadStatus {
            ok: true,
            at: snapshot.loaded_at,
            generation,
            ..ReloadStatus::default()
        };
        Registry {
            dir,
            current: ArcSwap::from_pointee(snapshot),
            status: Mutex::new(status),
            generation: AtomicU64::new(generation),
            reloading: tokio::sync::Mutex::new(()),
        }
    }

    /// Loads `dir` for the first time.
    pub fn open(dir: PathBuf) -> Result<Registry, LoadFailure> {
        let snapshot = Snapshot::load(&dir, 1)?;
        Ok(Registry::new(dir, snapshot))
    }

    /// The directory reloads read.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The snapshot serving now; the caller keeps it for the whole request.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// How the last reload went.
    pub fn status(&self) -> ReloadStatus {
        self.status
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Reads and checks the directory again; swaps the new snapshot in only if all of it is
    /// good. The answer is the new status (with the diagnostics of a failure).
    pub async fn reload(self: &Arc<Self>) -> ReloadStatus {
        let _one_at_a_time = self.reloading.lock().await;
        let generation = self.generation.load(Ordering::SeqCst) + 1;
        let dir = self.dir.clone();
        let loaded = tokio::task::spawn_blocking(move || Snapshot::load(&dir, generation))
            .await
            .unwrap_or_else(|e| Err(LoadFailure::Library(format!("the reload failed: {e}"))));
        let mut status = self
            .status
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        status.at = now_seconds();
        match loaded {
            Ok(snapshot) => {
                self.generation.store(generation, Ordering::SeqCst);
                self.current.store(Arc::new(snapshot));
                status.ok = true;
                status.generation = generation;
                status.error = None;
                status.diagnostics = Vec::new();
                status.succeeded += 1;
                tracing::info!(generation, "rulesets reloaded");
            }
            Err(failure) => {
                status.ok = false;
                status.error = Some(failure.to_string());
                status.diagnostics = failure.diagnostics();
                status.failed += 1;
                tracing::warn!(error = %failure, "reload failed; the last good rulesets keep serving");
            }
        }
        status.clone()
    }

    /// A fingerprint of the ruleset files under the directory (paths, sizes, modification
    /// times), for `--watch` to notice a change without reading every file.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        match ruleset_files(&self.dir) {
            Ok(files) => {
                for path in files {
                    path.hash(&mut hasher);
                    if let Ok(meta) = std::fs::metadata(&path) {
                        meta.len().hash(&mut hasher);
                        if let Ok(modified) = meta.modified() {
                            modified.hash(&mut hasher);
                        }
                    }
                }
            }
            Err(e) => e.to_string().hash(&mut hasher),
        }
        hasher.finish()
    }
}
