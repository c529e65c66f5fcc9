//! The formats a cohort is written in, told apart by file extension or by the first line.

use std::fmt;
use std::io::{self, BufRead, Cursor, Read};
use std::path::Path;
use std::str::FromStr;

/// How a cohort is written: the formats it is read and written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// One JSON learner record per line (`.ndjson`, `.jsonl`); blank lines are skipped.
    Ndjson,
    /// A JSON array of learner records (`.json`); records written one after another without
    /// the array are read too.
    Json,
    /// YAML learner records, one document each, separated by `---` (`.yaml`, `.yml`).
    Yaml,
    /// The CSV long format of docs/COHORTS.md: one row per course attempt, outcome or
    /// exception, the learner's columns repeated on each (`.csv`).
    Csv,
}

impl InputFormat {
    /// Every format, in the order documentation lists them.
    pub const ALL: [InputFormat; 4] = [
        InputFormat::Ndjson,
        InputFormat::Json,
        InputFormat::Yaml,
        InputFormat::Csv,
    ];

    /// The format a file's extension names, if any (case does not matter).
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "ndjson" | "jsonl" => Some(InputFormat::Ndjson),
            "json" => Some(InputFormat::Json),
            "yaml" | "yml" => Some(InputFormat::Yaml),
            "csv" => Some(InputFormat::Csv),
            _ => None,
        }
    }

    /// The format's name as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Ndjson => "ndjson",
            InputFormat::Json => "json",
            InputFormat::Yaml => "yaml",
            InputFormat::Csv => "csv",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            InputFormat::Ndjson => "ndjson",
            InputFormat::Json => "json",
            InputFormat::Yaml => "yaml",
            InputFormat::Csv => "csv",
        }
    }

    /// Tells the format from the first line that is not blank: `[` starts a JSON array, `{`
    /// NDJSON, a CSV header starts with the `learner` column, and `---`, a comment or a
    /// `key:` line starts YAML. `None` when the text fits none of them.
    pub fn sniff(head: &[u8]) -> Option<InputFormat> {
        let head = head.strip_prefix(BOM).unwrap_or(head);
        let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
        let rest = &head[start..];
        let line = rest.split(|b| *b == b'\n').next().unwrap_or(rest);
        match rest[0] {
            b'[' => Some(InputFormat::Json),
            b'{' => Some(InputFormat::Ndjson),
            b'#' | b'%' => Some(InputFormat::Yaml),
            _ if line.starts_with(b"---") => Some(InputFormat::Yaml),
            _ if line.starts_with(b"learner,") || line.starts_with(b"\"learner\",") => {
                Some(InputFormat::Csv)
            }
            _ if line.contains(&b':') => Some(InputFormat::Yaml),
            _ => None,
        }
    }
}

/// The UTF-8 byte order mark some editors and spreadsheets put first; it is not content.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How much of a stream [`sniff`] reads at most before it gives up.
const SNIFF_LIMIT: usize = 64 * 1024;

/// A stream whose beginning was read to tell its format, with that beginning put back.
pub type Sniffed<R> = io::Chain<Cursor<Vec<u8>>, R>;

/// Reads the beginning of `reader` (up to the end of the first line that is not blank, at most
/// 64 KiB), tells its format, and gives back a reader that still yields every byte.
pub fn sniff<R: BufRead>(mut reader: R) -> io::Result<(Option<InputFormat>, Sniffed<R>)> {
    let mut head = Vec::new();
    loop {
        let seen_content = head.iter().any(|b: &u8| !b.is_ascii_whitespace());
        let done = seen_content && head.contains(&b'\n');
        if done || head.len() >= SNIFF_LIMIT {
            break;
        }
        let read = match reader.fill_buf() {
            Ok(buf) => {
                let take = buf.len().min(SNIFF_LIMIT - head.len());
                head.extend_from_slice(&buf[..take]);
                take
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if read == 0 {
            break;
        }
        reader.consume(read);
    }
    let format = InputFormat::sniff(&head);
    Ok((format, Cursor::new(head).chain(reader)))
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a format name was not understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a cohort format; the formats are ndjson, json, yaml and csv")]
pub struct UnknownFormat(pub String);

impl FromStr for InputFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "ndjson" | "jsonl" => Ok(InputFormat::Ndjson),
            "json" => Ok(InputFormat::Json),
            "yaml" | "yml" => Ok(InputFormat::Yaml),
            "csv" => Ok(InputFormat::Csv),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_name_formats() {
        for (name, format) in [
            ("a.ndjson", Some(InputFormat::Ndjson)),
            ("a.JSONL", Some(InputFormat::Ndjson)),
            ("dir/a.json", Some(InputFormat::Json)),
            ("a.yml", Some(InputFormat::Yaml)),
            ("a.yaml", Some(InputFormat::Yaml)),
            ("a.csv", Some(InputFormat::Csv)),
            ("a.txt", None),
            ("noextension", None),
        ] {
            assert_eq!(InputFormat::from_path(Path::new(name)), format, "{name}");
        }
    }

    #[test]
    fn the_first_line_tells_the_format() {
        for (head, format) in [
            ("\n  [{\"learner\": \"1\"}]", Some(InputFormat::Json)),
            ("{\"learner\": \"1\"}\n{", Some(InputFormat::Ndjson)),
            ("\u{feff}{\"learner\": \"1\"}", Some(InputFormat::Ndjson)),
            ("---\nlearner: \"1\"\n", Some(InputFormat::Yaml)),
            ("# cohort\nlearner: \"1\"\n", Some(InputFormat::Yaml)),
            ("learner: \"1\"\n", Some(InputFormat::Yaml)),
            ("learner,program,enrolled\n", Some(InputFormat::Csv)),
            ("\u{feff}learner,program\n", Some(InputFormat::Csv)),
            ("hello world\n", None),
            ("   \n\n", None),
            ("", None),
        ] {
            assert_eq!(InputFormat::sniff(head.as_bytes()), format, "{head:?}");
        }
    }

    #[test]
    fn sniffing_a_stream_keeps_every_byte() {
        let text = "\n\n{\"learner\": \"1\"}\n{\"learner\": \"2\"}\n";
        let (format, mut rest) = sniff(text.as_bytes()).unwrap();
        assert_eq!(format, Some(InputFormat::Ndjson));
        let mut back = String::new();
        rest.read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn names_parse_and_print() {
        for format in InputFormat::ALL {
            assert_eq!(format.name().parse::<InputFormat>(), Ok(format));
        }
        assert_eq!("JSONL".parse::<InputFormat>(), Ok(InputFormat::Ndjson));
        assert_eq!(
            "xml".parse::<InputFormat>().unwrap_err().to_string(),
            "`xml` is not a cohort format; the formats are ndjson, json, yaml and csv"
        );
    }
}
