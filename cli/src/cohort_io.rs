//! What the cohort verbs (`batch`, `dry-run`) share: opening the cohort with a byte count for
//! the progress bar, the output file, the sink for learners that could not be read, and the
//! summary line.

use crate::error::CliError;
use creditbank_cohort::input::{self, InputFormat, ItemError, Learners, Source};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The flags every cohort verb takes to read a cohort.
#[derive(Debug, clap::Args)]
pub struct CohortArgs {
    /// The cohort: NDJSON, a JSON array, multi-document YAML or CSV (docs/COHORTS.md); `-`
    /// reads standard input.
    #[arg(long, value_name = "FILE")]
    pub cohort: PathBuf,
    /// ndjson, json, yaml or csv; by default the file's extension, else told from its start.
    #[arg(long, value_name = "FORMAT", value_parser = parse_input_format)]
    pub input_format: Option<InputFormat>,
    /// Where to report learners that cannot be read or evaluated; standard error when absent.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
}

/// Counts the bytes read through it, for the progress bar.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened cohort: its learners, its size when known, and the bytes read so far.
pub struct Cohort {
    /// The learners, one at a time.
    pub learners: Learners<Source>,
    /// The file's size (none for standard input).
    pub size: Option<u64>,
    /// Bytes read so far.
    pub read: Arc<AtomicU64>,
}

/// Opens a cohort file (or `-`), in `format` or the one its extension or start says.
pub fn open_cohort(path: &Path, format: Option<InputFormat>) -> Result<Cohort, CliError> {
    let read = Arc::new(AtomicU64::new(0));
    if path.as_os_str() == "-" {
        let learners = input::open(path, format).map_err(|e| CliError::Evaluate(e.to_string()))?;
        return Ok(Cohort {
            learners,
            size: None,
            read,
        });
    }
    let file = File::open(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let size = file.metadata().ok().map(|m| m.len());
    let reader: Source = Box::new(BufReader::with_capacity(
        256 << 10,
        Counting {
            inner: file,
            read: Arc::clone(&read),
        },
    ));
    let format = match format.or_else(|| InputFormat::from_path(path)) {
        Some(format) => format,
        None => {
            let (sniffed, reader) = input::sniff(reader).map_err(|source| CliError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let format = sniffed.ok_or_else(|| {
                CliError::Evaluate(format!(
                    "cannot tell the format of `{}`: give --input-format",
                    path.display()
                ))
            })?;
            return Ok(Cohort {
                learners: input::learners(Box::new(reader) as Source, format),
                size,
                read,
            });
        }
    };
    Ok(Cohort {
        learners: input::learners(reader, format),
        size,
        read,
    })
}

/// Parses `--input-format`.
pub fn parse_input_format(text: &str) -> Result<InputFormat, String> {
    text.parse()
        .map_err(|e: input::UnknownFormat| e.to_string())
}

/// Where results go: a file, or standard output for `-`.
pub struct Output {
    path: PathBuf,
    out: BufWriter<Box<dyn Write + Send>>,
}

impl Output {
    /// Creates `path` (standard output for `-`).
    pub fn create(path: &Path) -> Result<Output, CliError> {
        let out: Box<dyn Write + Send> = if path.as_os_str() == "-" {
            Box::new(io::stdout())
        } else {
            Box::new(File::create(path).map_err(|source| CliError::Write {
                path: path.to_path_buf(),
                source,
            })?)
        };
        Ok(Output {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(256 << 10, out),
        })
    }

    /// Writes `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.out.write_all(bytes).map_err(|e| self.error(e))
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> Result<(), CliError> {
        self.out.flush().map_err(|e| self.error(e))
    }

    fn error(&self, e: io::Error) -> CliError {
        if self.path.as_os_str() == "-" {
            if e.kind() == io::ErrorKind::BrokenPipe {
                CliError::ClosedPipe
            } else {
                CliError::Stdout(e)
            }
        } else {
            CliError::Write {
                path: self.path.clone(),
                source: e,
            }
        }
    }
}

/// Where learners that could not be read or evaluated are reported: a file, or standard error.
pub struct ErrorSink {
    file: Option<(PathBuf, BufWriter<File>)>,
    count: u64,
}

impl ErrorSink {
    /// Opens the sink; `None` reports to standard error.
    pub fn open(path: Option<&Path>) -> Result<Self, CliError> {
        let file = match path {
            Some(path) => {
                let file = File::create(path).map_err(|source| CliError::Write {
                    path: path.to_path_buf(),
                    source,
                })?;
                Some((path.to_path_buf(), BufWriter::new(file)))
            }
            None => None,
        };
        Ok(ErrorSink { file, count: 0 })
    }

    /// Reports one learner.
    pub fn report(&mut self, error: &ItemError) -> Result<(), CliError> {
        self.count += 1;
        match &mut self.file {
            Some((path, out)) => writeln!(out, "{error}").map_err(|source| CliError::Write {
                path: path.clone(),
                source,
            }),
            None => {
                eprintln!("error: {error}");
                Ok(())
            }
        }
    }

    /// Flushes the file.
    pub fn finish(self) -> Result<u64, CliError> {
        if let Some((path, mut out)) = self.file {
            out.flush()
                .map_err(|source| CliError::Write { path, source })?;
        }
        Ok(self.count)
    }
}

/// The progress bar: bytes of the file with rate and ETA when its size is known, else a
/// spinner with the learner count and rate. Only on a terminal.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    read: Arc<AtomicU64>,
    by_bytes: bool,
    learners: u64,
}

impl Progress {
    /// A bar for `cohort` on standard error, if it is a terminal.
    pub fn new(cohort: &Cohort) -> Progress {
        let bar = io::stderr().is_terminal().then(|| match cohort.size {
            Some(size) => {
                let bar = indicatif::ProgressBar::new(size);
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{bar:32} {percent:>3}%  {msg}  {binary_bytes_per_sec}  ETA {eta}",
                ) {
                    bar.set_style(style);
                }
                bar
            }
            None => {
                let bar = indicatif::ProgressBar::new_spinner();
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{spinner} {human_pos} learners  {per_sec}  {elapsed}",
                ) {
                    bar.set_style(style);
                }
                bar
            }
        });
        if let Some(bar) = &bar {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        Progress {
            bar,
            read: Arc::clone(&cohort.read),
            by_bytes: cohort.size.is_some(),
            learners: 0,
        }
    }

    /// One more learner written.
    pub fn tick(&mut self) {
        self.learners += 1;
        let Some(bar) = &self.bar else { return };
        if self.learners % 1024 != 0 {
            return;
        }
        if self.by_bytes {
            bar.set_position(self.read.load(Ordering::Relaxed));
            bar.set_message(format!("{} learners", self.learners));
        } else {
            bar.set_position(self.learners);
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The summary written to standard error at the end of a cohort verb.
pub fn summary(verb: &str, learners: u64, errors: u64, started: Instant) -> String {
    let elapsed = started.elapsed().as_secs_f64();
    let rate = if elapsed > 0.0 {
        learners as f64 / elapsed
    } else {
        0.0
    };
    format!("{verb}: {learners} learners, {errors} errors, {elapsed:.2} s, {rate:.0} learners/s")
}
