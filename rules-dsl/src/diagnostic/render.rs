//! Rendering diagnostics as text (for terminals and golden files) and as JSON (for editors).
//!
//! The text form follows rustc's layout. Carets are placed by display width, so a span after
//! Chinese text (two columns a character) still lines up under what it points at. The output
//! is plain text, with no colour and no terminal-width dependence, so it is stable enough for
//! golden files.

use super::{Diagnostic, Severity};
use crate::ast::Span;
use crate::source::SourceFile;
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// Renders one diagnostic:
///
/// ```text
/// error[E011]: unknown category `inovation`
///   --> demo.cbr:12:8
///    |
/// 12 |   into inovation
///    |        ^^^^^^^^^ not a declared category
///    |
///    = help: did you mean `innovation`?
/// ```
pub fn render(diagnostic: &Diagnostic, source: &SourceFile) -> String {
    let mut out = String::new();
    let severity = match diagnostic.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(
        out,
        "{severity}[{}]: {}",
        diagnostic.code.as_str(),
        diagnostic.message
    );
    let mut lines = vec![source.line_index(diagnostic.span.start as usize)];
    for related in &diagnostic.related {
        lines.push(source.line_index(related.span.start as usize));
    }
    let gutter = lines
        .iter()
        .map(|l| (l + 1).to_string().len())
        .max()
        .unwrap_or(1);
    let at = source.line_col(diagnostic.span.start as usize);
    let _ = writeln!(
        out,
        "{:gutter$}--> {}:{}:{}",
        "",
        source.name(),
        at.line,
        at.column
    );
    let _ = writeln!(out, "{:gutter$} |", "");
    snippet(
        &mut out,
        source,
        diagnostic.span,
        &diagnostic.label,
        '^',
        gutter,
    );
    for related in &diagnostic.related {
        let at = source.line_col(related.span.start as usize);
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(
            out,
            "{:gutter$} = note: {}:{}:{}",
            "",
            source.name(),
            at.line,
            at.column
        );
        snippet(&mut out, source, related.span, &related.label, '-', gutter);
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{:gutter$} = help: {help}", "");
    }
    out
}

/// Renders many diagnostics, separated by blank lines, followed by a summary line
/// (`error: 2 errors, 1 warning in demo.cbr`) when there is anything to report.
pub fn render_all(diagnostics: &[Diagnostic], source: &SourceFile) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&render(diagnostic, source));
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "{}: {}, {} in {}",
            if errors > 0 { "error" } else { "warning" },
            plural(errors, "error"),
            plural(warnings, "warning"),
            source.name()
        );
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Writes the source line holding `span` and a marker line under the span.
fn snippet(
    out: &mut String,
    source: &SourceFile,
    span: Span,
    label: &str,
    marker: char,
    gutter: usize,
) {
    let line = source.line_index(span.start as usize);
    let line_start = source.line_start(line);
    let text = source.line_text(line);
    let start = (span.start as usize)
        .saturating_sub(line_start)
        .min(text.len());
    let end = (span.end as usize)
        .saturating_sub(line_start)
        .clamp(start, text.len());
    let start = floor_boundary(text, start);
    let end = floor_boundary(text, end);
    // Tabs are shown as four spaces so that the caret line lines up.
    let shown = text.replace('\t', "    ");
    let pad = display_width(&text[..start]);
    let width = display_width(&text[start..end]).max(1);
    let _ = writeln!(out, "{:>gutter$} | {}", line + 1, shown.trim_end());
    let marks: String = std::iter::repeat_n(marker, width).collect();
    let label = if label.is_empty() {
        String::new()
    } else {
        format!(" {label}")
    };
    let _ = writeln!(out, "{:gutter$} | {:pad$}{marks}{label}", "", "");
}

fn display_width(text: &str) -> usize {
    text.split('\t').map(UnicodeWidthStr::width).sum::<usize>() + 4 * text.matches('\t').count()
}

fn floor_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// A diagnostic as editors and web frontends receive it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JsonDiagnostic {
    /// `E011`.
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The one-line message.
    pub message: String,
    /// The file's name.
    pub file: String,
    /// Start line, from 1.
    pub line: usize,
    /// Start column in characters, from 1.
    pub column: usize,
    /// End line, from 1.
    pub end_line: usize,
    /// End column in characters, from 1 (exclusive).
    pub end_column: usize,
    /// Byte offsets of the span.
    pub span: Span,
    /// The text under the caret.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places that explain this one.
    pub related: Vec<JsonRelated>,
}

/// A secondary location in JSON form.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JsonRelated {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// What it shows.
    pub label: String,
}

/// The JSON form of a diagnostic.
pub fn to_json(diagnostic: &Diagnostic, source: &SourceFile) -> JsonDiagnostic {
    let start = source.line_col(diagnostic.span.start as usize);
    let end = source.line_col(diagnostic.span.end as usize);
    JsonDiagnostic {
        code: diagnostic.code.as_str(),
        severity: diagnostic.severity(),
        message: diagnostic.message.clone(),
        file: source.name().to_string(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        span: diagnostic.span,
        label: diagnostic.label.clone(),
        help: diagnostic.help.clone(),
        related: diagnostic
            .related
            .iter()
            .map(|r| {
                let at = source.line_col(r.span.start as usize);
                JsonRelated {
                    line: at.line,
                    column: at.column,
                    label: r.label.clone(),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn caret_lines_up_under_wide_characters() {
        let text = "categories {\n  创新 \"创新创业\" inovation\n}\n";
        let src = SourceFile::new("demo.cbr", text);
        let start = text.find("inovation").unwrap();
        let d = Diagnostic::new(
            Code::Syntax,
            Span::new(start, start + 9),
            "expected `}`, found `inovation`",
        )
        .with_label("unexpected")
        .with_help("each category is `id \"display name\"`");
        let expected = "\
error[E001]: expected `}`, found `inovation`
 --> demo.cbr:2:13
  |
2 |   创新 \"创新创业\" inovation
  |                   ^^^^^^^^^ unexpected
  |
  = help: each category is `id \"display name\"`
";
        assert_eq!(render(&d, &src), expected);
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let src = SourceFile::new("a.cbr", "x\n");
        let d = vec![
            Diagnostic::new(Code::Syntax, Span::new(0, 1), "a"),
            Diagnostic::new(Code::UnusedScale, Span::new(0, 1), "b"),
        ];
        assert!(render_all(&d, &src).ends_with("error: 1 error, 1 warning in a.cbr\n"));
    }

    #[test]
    fn json_has_line_and_column() {
        let src = SourceFile::new("a.cbr", "ab\ncd\n");
        let d = Diagnostic::new(Code::Syntax, Span::new(4, 5), "m");
        let j = to_json(&d, &src);
        assert_eq!((j.line, j.column, j.end_line, j.end_column), (2, 2, 2, 3));
    }
}
