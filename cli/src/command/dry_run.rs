//! `creditbank dry-run --from OLD --to NEW --cohort FILE [--only WHAT] [--format table|json|csv]
//! [--out FILE] [--fail-on-change]`
//!
//! What a new version of a ruleset would do to every learner of a cohort: the structural diff
//! of the two versions, the learners whose results differ with what differs and which changed
//! rules made the difference, and the impact as transition counts and credit deltas. Exit 0
//! (1 with `--fail-on-change` when a learner changed, or when a learner could not be read).

use crate::cohort_io::{self, open_cohort, CohortArgs, ErrorSink, Output, Progress};
use crate::error::CliError;
use crate::inputs::{self, Origin};
use creditbank_cohort::dryrun::{
    compare, ChangeRate, Compared, DryRun, Impact, LearnerChange, Only,
};
use creditbank_cohort::pipeline::{self, PipelineError, DEFAULT_CHUNK};
use creditbank_dsl::diagnostic;
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::Plan;
use creditbank_engine::library::Library;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// `creditbank dry-run`
#[derive(Debug, clap::Args)]
pub struct DryRunArgs {
    /// The version in force: one ruleset file.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// The candidate version: one ruleset file.
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    /// The cohort read, and where bad learners are reported.
    #[command(flatten)]
    pub input: CohortArgs,
    /// The evaluation date for records without `as_of` (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Which changed learners to list (all are counted in the impact).
    #[arg(long, value_enum, default_value_t)]
    pub only: OnlyChanges,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t)]
    pub format: DryRunFormat,
    /// Where to write it; standard output by default.
    #[arg(long, value_name = "FILE", default_value = "-")]
    pub out: PathBuf,
    /// Exit 1 when any learner's result changes (for the CI of a rules repository).
    #[arg(long)]
    pub fail_on_change: bool,
    /// Learners per parallel chunk.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CHUNK, hide = true)]
    pub chunk: usize,
}

/// `--only` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OnlyChanges {
    /// Every learner whose result differs.
    #[default]
    All,
    /// Graduation, program or certificate eligibility changed.
    StatusChanges,
    /// The most severe warning level changed.
    WarningChanges,
    /// Credits changed.
    CreditChanges,
    /// The GPA changed.
    GpaChanges,
}

impl From<OnlyChanges> for Only {
    fn from(o: OnlyChanges) -> Self {
        match o {
            OnlyChanges::All => Only::All,
            OnlyChanges::StatusChanges => Only::StatusChanges,
            OnlyChanges::WarningChanges => Only::WarningChanges,
            OnlyChanges::CreditChanges => Only::CreditChanges,
            OnlyChanges::GpaChanges => Only::GpaChanges,
        }
    }
}

/// `--format` values of `dry-run`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DryRunFormat {
    /// The diff, the changed learners and the impact, as text.
    #[default]
    Table,
    /// One JSON document: `diff`, `changed` (a list), `impact`.
    Json,
    /// One row per changed learner; the impact goes to standard error.
    Csv,
}

/// One version read, checked and compiled.
fn load(path: &Path) -> Result<Option<(SourceFile, Plan)>, CliError> {
    let source = inputs::read(&Origin::File(path.to_path_buf()))?;
    let checked = creditbank_dsl::check(&source);
    if checked.has_errors() {
        eprint!("{}", diagnostic::render_all(&checked.diagnostics, &source));
        eprintln!(
            "error: `{}` has errors; fix them first (`creditbank check`)",
            path.display()
        );
        return Ok(None);
    }
    let sources = vec![source.clone()];
    let library =
        Library::build(&sources, vec![checked]).map_err(|e| CliError::Library(e.to_string()))?;
    let version = library
        .all()
        .next()
        .ok_or_else(|| CliError::Library(format!("`{}` holds no ruleset", path.display())))?;
    let plan = Plan::compile(version).map_err(|e| CliError::Library(e.to_string()))?;
    Ok(Some((source, plan)))
}

/// Writes changed learners as they come, and the rest around them.
struct Report {
    format: DryRunFormat,
    out: Output,
    listed: u64,
}

impl Report {
    fn start(&mut self, diff_text: &str, diff_json: &str) -> Result<(), CliError> {
        match self.format {
            DryRunFormat::Table => {
                self.out.write(b"rules changed:\n")?;
                self.out.write(diff_text.as_bytes())?;
                self.out.write(b"\nlearners changed:\n")
            }
            DryRunFormat::Json => {
                self.out.write(b"{\"diff\":")?;
                self.out.write(diff_json.as_bytes())?;
                self.out.write(b",\"changed\":[")
            }
            DryRunFormat::Csv => self.out.write(b"learner,line,differences,because\n"),
        }
    }

    fn learner(&mut self, change: &LearnerChange) -> Result<(), CliError> {
        let text = |list: Vec<String>| list.join("; ");
        let differences = text(change.differences.iter().map(|d| d.to_string()).collect());
        let because = text(change.because.iter().map(|a| a.to_string()).collect());
        let bytes = match self.format {
            DryRunFormat::Table => {
                let mut s = format!(
                    "  {} (line {}): {differences}\n",
                    change.learner, change.line
                );
                for a in &change.because {
                    s.push_str(&format!("    because {a}\n"));
                }
                s.into_bytes()
            }
            DryRunFormat::Json => {
                let mut v = if self.listed > 0 {
                    vec![b',']
                } else {
                    Vec::new()
                };
                serde_json::to_writer(&mut v, change)?;
                v
            }
            DryRunFormat::Csv => {
                let mut v = Vec::new();
                let mut w = csv::Writer::from_writer(&mut v);
                w.write_record([
                    change.learner.as_str(),
                    &change.line.to_string(),
                    &differences,
                    &because,
                ])
                .map_err(|e| CliError::Evaluate(e.to_string()))?;
                drop(w);
                v
            }
        };
        self.listed += 1;
        self.out.write(&bytes)
    }

    fn finish(mut self, impact: &Impact) -> Result<(), CliError> {
        match self.format {
            DryRunFormat::Table => {
                if self.listed == 0 {
                    self.out.write(b"  none\n")?;
                }
                self.out.write(b"\n")?;
                self.out.write(impact.to_string().as_bytes())?;
            }
            DryRunFormat::Json => {
                self.out.write(b"],\"impact\":")?;
                let doc = serde_json::to_vec(&impact.document())?;
                self.out.write(&doc)?;
                self.out.write(b"}\n")?;
            }
            DryRunFormat::Csv => eprint!("{impact}"),
        }
        self.out.finish()
    }
}

/// Runs the dry-run.
pub fn run(args: &DryRunArgs) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let today = crate::inputs::as_of(args.as_of.as_deref())?;
    let (Some((old_source, old)), Some((new_source, new))) = (load(&args.from)?, load(&args.to)?)
    else {
        return Ok(ExitCode::FAILURE);
    };
    let diff = creditbank_dsl::diff::diff(&old.version.file, &new.version.file)
        .located(&old_source, &new_source);
    let dry = DryRun::new(&old, &new, &diff, today, ChangeRate::default());
    let only: Only = args.only.into();
    let cohort = open_cohort(&args.input.cohort, args.input.input_format)?;
    let mut report = Report {
        format: args.format,
        out: Output::create(&args.out)?,
        listed: 0,
    };
    report.start(&diff.to_string(), &serde_json::to_string(&diff)?)?;
    let mut errors = ErrorSink::open(args.input.errors.as_deref())?;
    let mut impact = Impact::default();
    let mut progress = Progress::new(&cohort);
    let result = pipeline::run(
        cohort.learners,
        args.chunk,
        |raw| {
            let record = raw.parse()?;
            compare(raw.line, &record, &dry)
        },
        |result| {
            progress.tick();
            match result {
                Ok(compared) => {
                    impact.add(&compared);
                    match &compared {
                        Compared::Changed(change) if only.lists(change) => report.learner(change),
                        _ => Ok(()),
                    }
                }
                Err(e) => {
                    impact.add_error();
                    errors.report(&e)
                }
            }
        },
    );
    progress.finish();
    match result {
        Ok(_) => {}
        Err(PipelineError::Consumer(e)) => return Err(e),
        Err(PipelineError::Input(e)) => return Err(CliError::Evaluate(e.to_string())),
    }
    report.finish(&impact)?;
    let failed = errors.finish()?;
    eprintln!(
        "{}",
        cohort_io::summary("dry-run", impact.learners, failed, started)
    );
    let changed = args.fail_on_change && impact.changed > 0;
    Ok(if failed > 0 || changed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
