//! Reading a stream line by line without ever holding more than a bounded line.

use std::io::{self, BufRead};

use super::format::BOM;

/// One line as read: its number and whether it was cut short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LineInfo {
    /// The line's number, from 1.
    pub number: usize,
    /// True when the line was longer than the limit: only its first `limit` bytes were kept.
    pub too_long: bool,
}

/// Reads lines, each cut at `limit` bytes, so that one endless line (a file with no line
/// breaks, a binary file) cannot take all memory.
pub(crate) struct LineReader<R> {
    reader: R,
    lines: usize,
    limit: usize,
    started: bool,
    keep_cr: bool,
}

impl<R: BufRead> LineReader<R> {
    /// Reads `reader`, keeping at most `limit` bytes of each line.
    pub fn new(reader: R, limit: usize) -> Self {
        LineReader {
            reader,
            lines: 0,
            limit,
            started: false,
            keep_cr: false,
        }
    }

    /// Keeps a `\r` before the line break, for a reader that must tell a `\r\n` line end
    /// from one inside a quoted CSV cell.
    pub fn keeping_cr(mut self) -> Self {
        self.keep_cr = true;
        self
    }

    /// Reads the next line into `buf` (cleared first), without its `\n` or `\r\n` (its `\n`
    /// only, when keeping `\r`); `None` at the end of the stream. A byte order mark before the first line is dropped.
    pub fn read_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<LineInfo>> {
        buf.clear();
        if !self.started {
            self.started = true;
            self.skip_bom()?;
        }
        let mut any = false;
        let mut too_long = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let (end, found) = match memchr::memchr(b'\n', available) {
                Some(at) => (at, true),
                None => (available.len(), false),
            };
            let room = self.limit.saturating_sub(buf.len());
            if end > room {
                too_long = true;
            }
            buf.extend_from_slice(&available[..end.min(room)]);
            self.reader.consume(if found { end + 1 } else { end });
            if found {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        if !self.keep_cr && buf.last() == Some(&b'\r') {
            buf.pop();
        }
        self.lines += 1;
        Ok(Some(LineInfo {
            number: self.lines,
            too_long,
        }))
    }

    fn skip_bom(&mut self) -> io::Result<()> {
        loop {
            match self.reader.fill_buf() {
                Ok(available) => {
                    if available.starts_with(BOM) {
                        self.reader.consume(BOM.len());
                    }
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &[u8], limit: usize) -> Vec<(String, LineInfo)> {
        // A tiny buffer, so that lines straddle refills.
        let mut reader = LineReader::new(io::BufReader::with_capacity(3, text), limit);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while let Some(info) = reader.read_line(&mut buf).unwrap() {
            out.push((String::from_utf8_lossy(&buf).into_owned(), info));
        }
        out
    }

    #[test]
    fn lines_are_numbered_without_their_breaks() {
        let lines = all(b"\xEF\xBB\xBFab\r\n\ncdef\nlast", 100);
        let texts: Vec<&str> = lines.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["ab", "", "cdef", "last"]);
        let numbers: Vec<usize> = lines.iter().map(|(_, i)| i.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert!(lines.iter().all(|(_, i)| !i.too_long));
    }

    #[test]
    fn a_long_line_is_cut_and_flagged_and_the_next_is_whole() {
        let lines = all(b"0123456789\nok\n", 4);
        assert_eq!(lines[0].0, "0123");
        assert!(lines[0].1.too_long);
        assert_eq!(lines[1].0, "ok");
        assert!(!lines[1].1.too_long);
        assert_eq!(lines.len(), 2);
    }
}
