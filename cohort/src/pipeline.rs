//! The three-stage pipeline every cohort verb runs: a reader thread cuts the input into
//! learners, the learners of a chunk are processed in parallel on every core, and a writer
//! thread consumes the results in input order.
//!
//! Memory is bounded by a few chunks in flight (reading ahead one chunk, writing behind one),
//! whatever the size of the cohort. A learner that cannot be read or processed does not stop
//! the run: its [`ItemError`] is handed to the consumer in its place.

use crate::input::{InputError, ItemError, RawLearner};
use rayon::prelude::*;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread;

/// Learners per chunk: enough to keep every core busy between hand-overs, few enough that
/// the chunks in flight stay small.
pub const DEFAULT_CHUNK: usize = 2048;

/// What went through the pipeline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Learners read (good and bad).
    pub learners: u64,
    /// Learners that could not be read or processed.
    pub errors: u64,
}

/// Why a pipeline stopped before the end of its input.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError<E> {
    /// The input could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The consumer failed (e.g. its output could not be written).
    #[error("{0}")]
    Consumer(E),
}

/// Runs `process` over every learner of `learners` in parallel, `chunk` learners at a time,
/// and hands each result, in input order, to `consume` (on its own thread, so that writing
/// overlaps with processing). Returns how many learners went through.
pub fn run<I, T, E, P, C>(
    learners: I,
    chunk: usize,
    process: P,
    mut consume: C,
) -> Result<Counts, PipelineError<E>>
where
    I: Iterator<Item = Result<RawLearner, InputError>> + Send,
    T: Send,
    E: Send,
    P: Fn(&RawLearner) -> Result<T, ItemError> + Sync,
    C: FnMut(Result<T, ItemError>) -> Result<(), E> + Send,
{
    let chunk = chunk.max(1);
    thread::scope(|scope| {
        // Reading ahead: at most two chunks wait while one is processed.
        let (raw_tx, raw_rx) = sync_channel::<Result<Vec<RawLearner>, InputError>>(2);
        scope.spawn(move || read_chunks(learners, chunk, &raw_tx));
        let (done_tx, done_rx) = sync_channel::<Vec<Result<T, ItemError>>>(2);
        let writer = scope.spawn(move || write_chunks(&done_rx, &mut consume));
        let mut input_error = None;
        for batch in raw_rx {
            let learners = match batch {
                Ok(learners) => learners,
                Err(e) => {
                    input_error = Some(e);
                    break;
                }
            };
            let results: Vec<Result<T, ItemError>> = learners.par_iter().map(&process).collect();
            if done_tx.send(results).is_err() {
                // The writer stopped: its error is the one to report.
                break;
            }
        }
        drop(done_tx);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let counts = written.map_err(PipelineError::Consumer)?;
        match input_error {
            Some(e) => Err(PipelineError::Input(e)),
            None => Ok(counts),
        }
    })
}

fn read_chunks<I>(learners: I, chunk: usize, tx: &SyncSender<Result<Vec<RawLearner>, InputError>>)
where
    I: Iterator<Item = Result<RawLearner, InputError>>,
{
    let mut batch = Vec::with_capacity(chunk);
    for learner in learners {
        match learner {
            Ok(raw) => {
                batch.push(raw);
                if batch.len() == chunk {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(chunk));
                    if tx.send(Ok(full)).is_err() {
                        return;
                    }
                }
            }
            Err(e) => {
                // What was read before the failure is still processed.
                if !batch.is_empty() && tx.send(Ok(std::mem::take(&mut batch))).is_err() {
                    return;
                }
                let _ = tx.send(Err(e));
                return;
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(Ok(batch));
    }
}

fn write_chunks<T, E, C>(
    rx: &Receiver<Vec<Result<T, ItemError>>>,
    consume: &mut C,
) -> Result<Counts, E>
where
    C: FnMut(Result<T, ItemError>) -> Result<(), E>,
{
    let mut counts = Counts::default();
    for results in rx {
        for result in results {
            counts.learners += 1;
            if result.is_err() {
                counts.errors += 1;
            }
            consume(result)?;
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{learners, InputFormat};

    fn cohort(n: usize) -> String {
        (1..=n)
            .map(|i| {
                if i % 7 == 0 {
                    "{ not json\n".to_string()
                } else {
                    format!(
                        "{{\"learner\": \"{i}\", \"program\": \"p\", \"enrolled\": \"2026-09-01\", \"term\": 1}}\n"
                    )
                }
            })
            .collect()
    }

    #[test]
    fn results_come_back_in_input_order_with_errors_in_place() {
        let text = cohort(1000);
        let mut seen = Vec::new();
        let counts = run(
            learners(text.as_bytes(), InputFormat::Ndjson),
            16,
            |raw| raw.parse().map(|r| r.learner),
            |result| {
                seen.push(result.map_err(|e| e.line));
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(counts.learners, 1000);
        assert_eq!(counts.errors, 1000 / 7);
        for (i, result) in seen.iter().enumerate() {
            let n = i + 1;
            if n % 7 == 0 {
                assert_eq!(
                    result,
                    &Err(n),
                    "a bad line is reported with its line number"
                );
            } else {
                assert_eq!(result, &Ok(n.to_string()));
            }
        }
    }

    #[test]
    fn a_failing_consumer_stops_the_run_with_its_error() {
        let text = cohort(500);
        let mut taken = 0;
        let result = run(
            learners(text.as_bytes(), InputFormat::Ndjson),
            8,
            |raw| Ok(raw.line),
            |_| {
                taken += 1;
                if taken == 20 {
                    Err("disk full")
                } else {
                    Ok(())
                }
            },
        );
        assert!(matches!(result, Err(PipelineError::Consumer("disk full"))));
    }
}
