//! CSV rows (RFC 4180): cells separated by commas, a cell in double quotes may hold commas,
//! line breaks and `""` for a quote.
//!
//! A quote that is never closed would swallow every row after it. So a row may span at most
//! [`MAX_ROW_BYTES`]; when its quote is still open at that point, or at the end of the input,
//! the row's first line is reported broken and the lines after it are read again as rows of
//! their own: one stray quote costs one row.

use std::collections::VecDeque;
use std::io::{self, BufRead};

use crate::input::lines::{LineInfo, LineReader};

/// The longest a row may be, line breaks in quoted cells included.
pub(crate) const MAX_ROW_BYTES: usize = 1 << 20;

/// One row: its cells, stored end to end.
#[derive(Clone, Debug, Default)]
pub(crate) struct Row {
    /// The line the row starts on, from 1.
    pub line: usize,
    data: Vec<u8>,
    ends: Vec<u32>,
}

impl Row {
    /// The number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The bytes the row holds.
    pub fn byte_len(&self) -> usize {
        self.data.len()
    }

    /// Cell `i`, unquoted.
    pub fn cell(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.data[start..end])
    }

    /// Every cell, in order.
    pub fn cells(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.cell(i))
    }

    fn end_cell(&mut self) {
        // INVARIANT: a row holds at most MAX_ROW_BYTES, far below u32::MAX.
        self.ends.push(self.data.len() as u32);
    }

    /// True for a row made of one empty line.
    fn is_blank(&self) -> bool {
        self.ends.len() == 1 && self.data.is_empty()
    }
}

/// A row as read: whole, or broken with the cells read before the problem.
pub(crate) enum Tokenized {
    Row(Row),
    Broken { row: Row, message: String },
}

/// Reads rows, line by line, with the lines after a broken row given back.
pub(crate) struct RowReader<R> {
    lines: LineReader<R>,
    /// Lines read ahead and given back, to be read again.
    pending: VecDeque<(LineInfo, Vec<u8>)>,
    /// The buffer of rows' first lines.
    first: Vec<u8>,
}

impl<R: BufRead> RowReader<R> {
    pub fn new(reader: R) -> Self {
        RowReader {
            lines: LineReader::new(reader, MAX_ROW_BYTES).keeping_cr(),
            pending: VecDeque::new(),
            first: Vec::new(),
        }
    }

    /// Reads the next line into `buf`: a line given back first, else one from the input.
    fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<LineInfo>> {
        if let Some((info, line)) = self.pending.pop_front() {
            *buf = line;
            return Ok(Some(info));
        }
        self.lines.read_line(buf)
    }

    /// The next row that is not blank, `None` at the end.
    pub fn next_row(&mut self) -> io::Result<Option<Tokenized>> {
        // The first line of a row is read into a buffer kept from row to row; only the lines
        // a quoted cell runs into are kept apart, to be given back.
        let mut first = std::mem::take(&mut self.first);
        let row = self.read_row(&mut first);
        self.first = first;
        row
    }

    fn read_row(&mut self, first: &mut Vec<u8>) -> io::Result<Option<Tokenized>> {
        loop {
            let Some(info) = self.next_line(first)? else {
                return Ok(None);
            };
            let mut row = Row {
                line: info.number,
                data: Vec::with_capacity(first.len()),
                ends: Vec::with_capacity(32),
            };
            if info.too_long {
                return Ok(Some(Tokenized::Broken {
                    row,
                    message: format!(
                        "line {} is longer than {} MiB",
                        info.number,
                        MAX_ROW_BYTES >> 20
                    ),
                }));
            }
            let mut state = State::CellStart;
            // The lines after the first that a quoted cell ran into, to give back if the
            // quote is never closed.
            let mut taken: Vec<(LineInfo, Vec<u8>)> = Vec::new();
            if !first.contains(&b'"') {
                // No quotes: the cells are what the commas separate.
                let line = first.strip_suffix(b"\r").unwrap_or(first);
                for cell in line.split(|b| *b == b',') {
                    row.data.extend_from_slice(cell);
                    row.end_cell();
                }
                state = State::Plain;
            } else if let Err(message) = tokenize(first, &mut state, &mut row) {
                return Ok(Some(Tokenized::Broken { row, message }));
            }
            while state == State::Quoted {
                let mut line = Vec::new();
                let next = if row.data.len() > MAX_ROW_BYTES {
                    None
                } else {
                    self.next_line(&mut line)?
                };
                let Some(next) = next.map(|info| (info, line)) else {
                    while let Some(line) = taken.pop() {
                        self.pending.push_front(line);
                    }
                    return Ok(Some(Tokenized::Broken {
                        row,
                        message: format!("a quote opened on line {} is not closed", info.number),
                    }));
                };
                row.data.push(b'\n');
                taken.push(next);
                if let Some((_, line)) = taken.last() {
                    if let Err(message) = tokenize(line, &mut state, &mut row) {
                        return Ok(Some(Tokenized::Broken { row, message }));
                    }
                }
            }
            if row.is_blank() {
                continue;
            }
            return Ok(Some(Tokenized::Row(row)));
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a cell.
    CellStart,
    /// In a cell without quotes.
    Plain,
    /// In a quoted cell.
    Quoted,
    /// Just after a quote in a quoted cell: the cell's end, or the first of `""`.
    QuoteInQuoted,
}

/// Reads one physical line's bytes into `row`; at the end `state` is `Quoted` when a quoted
/// cell goes on to the next line. A `\r` before the line break ends the line, unless a quoted
/// cell goes on: then it is the cell's.
fn tokenize(line: &[u8], state: &mut State, row: &mut Row) -> Result<(), String> {
    let (line, cr) = match line.strip_suffix(b"\r") {
        Some(line) => (line, true),
        None => (line, false),
    };
    for &byte in line {
        match (*state, byte) {
            (State::CellStart, b'"') => *state = State::Quoted,
            (State::CellStart | State::Plain, b',') => {
                row.end_cell();
                *state = State::CellStart;
            }
            (State::CellStart | State::Plain, _) => {
                row.data.push(byte);
                *state = State::Plain;
            }
            (State::Quoted, b'"') => *state = State::QuoteInQuoted,
            (State::Quoted, _) => row.data.push(byte),
            (State::QuoteInQuoted, b'"') => {
                row.data.push(b'"');
                *state = State::Quoted;
            }
            (State::QuoteInQuoted, b',') => {
                row.end_cell();
                *state = State::CellStart;
            }
            (State::QuoteInQuoted, _) => {
                return Err(format!(
                    "line {}, cell {}: text after the closing quote (write a quote inside a \
                     quoted cell as `\"\"`)",
                    row.line,
                    row.len() + 1
                ));
            }
        }
    }
    if *state == State::Quoted {
        if cr {
            row.data.push(b'\r');
        }
    } else {
        row.end_cell();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row's line and cells, or its line and problem.
    type Read = Result<(usize, Vec<String>), (usize, String)>;

    fn rows(text: &str) -> Vec<Read> {
        let mut reader = RowReader::new(text.as_bytes());
        let mut out = Vec::new();
        while let Some(t) = reader.next_row().unwrap() {
            out.push(match t {
                Tokenized::Row(row) => Ok((
                    row.line,
                    row.cells()
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect(),
                )),
                Tokenized::Broken { row, message } => Err((row.line, message)),
            });
        }
        out
    }

    #[test]
    fn cells_quotes_and_line_breaks() {
        let got = rows("a,b,c\n\n\"x,1\",\"say \"\"hi\"\"\",\r\n\"two\nlines\",z,\n");
        assert_eq!(
            got,
            vec![
                Ok((1, vec!["a".into(), "b".into(), "c".into()])),
                Ok((3, vec!["x,1".into(), "say \"hi\"".into(), String::new()])),
                Ok((4, vec!["two\nlines".into(), "z".into(), String::new()])),
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_costs_one_row() {
        let got = rows("a,\"b\nc,d\ne,f\n");
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(
            got[0],
            Err((1, "a quote opened on line 1 is not closed".into()))
        );
        assert_eq!(got[1], Ok((2, vec!["c".into(), "d".into()])));
        assert_eq!(got[2], Ok((3, vec!["e".into(), "f".into()])));
    }

    #[test]
    fn text_after_a_closing_quote_breaks_the_row_only() {
        let got = rows("\"a\"b,c\nd,e\n");
        assert!(matches!(&got[0], Err((1, m)) if m.contains("after the closing quote")));
        assert_eq!(got[1], Ok((2, vec!["d".into(), "e".into()])));
    }
}
