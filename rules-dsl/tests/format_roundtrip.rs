//! The formatter against the parser: formatting any tree and parsing the text gives the tree
//! back, formatting is idempotent, and the valid fixtures keep every comment.

mod gen;

use creditbank_dsl::ast::RulesetFile;
use creditbank_dsl::{format, parse, SourceFile};
use pest::Parser as _;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// The grammar alone, to tell a layout the grammar rejects from a parser that builds a
/// different tree.
#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct Grammar;

fn reparse(text: &str) -> (RulesetFile, Vec<String>) {
    let parsed = parse(&SourceFile::new("formatted.cbr", text));
    let diagnostics = parsed
        .diagnostics
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    (parsed.file, diagnostics)
}

proptest! {
    #[test]
    fn the_grammar_accepts_formatted_trees(file in gen::file()) {
        let text = format(&file);
        if let Err(e) = Grammar::parse(Rule::file, &text) {
            prop_assert!(false, "{}\n{}", e, text);
        }
    }

    #[test]
    fn formatted_trees_parse_back(file in gen::file()) {
        let text = format(&file);
        let (back, diagnostics) = reparse(&text);
        prop_assert!(diagnostics.is_empty(), "diagnostics {:#?} for\n{}", diagnostics, text);
        prop_assert_eq!(&back, &file, "tree changed through\n{}", text);
        let again = format(&back);
        prop_assert_eq!(again, text);
    }

    #[test]
    fn reflowed_text_formats_to_a_fixpoint(
        file in gen::file(),
        joins in proptest::collection::vec(any::<bool>(), 0..200),
    ) {
        // Joining lines moves comments between nodes (a leading comment becomes the previous
        // clause's trailing one, say); whatever tree the parser makes, formatting it is stable.
        let text = reflow(&format(&file), &joins);
        let (tree, diagnostics) = reparse(&text);
        prop_assert!(diagnostics.is_empty(), "diagnostics {:#?} for\n{}", diagnostics, text);
        let once = format(&tree);
        let (back, diagnostics) = reparse(&once);
        prop_assert!(diagnostics.is_empty(), "diagnostics {:#?} for\n{}", diagnostics, once);
        prop_assert_eq!(&back, &tree, "tree changed through\n{}", once);
        prop_assert_eq!(format(&back), once.clone());
        let mut before = comments_in(&text);
        let mut after = comments_in(&once);
        before.sort();
        after.sort();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn clause_order_does_not_matter(
        file in gen::file(),
        picks in proptest::collection::vec(0usize..16, 1..32),
    ) {
        let canonical = format(&file);
        let text = shuffle_clauses(&canonical, &picks);
        let (tree, diagnostics) = reparse(&text);
        prop_assert!(diagnostics.is_empty(), "diagnostics {:#?} for\n{}", diagnostics, text);
        prop_assert_eq!(&tree, &file, "tree changed through\n{}", text);
        prop_assert_eq!(format(&tree), canonical);
    }

    #[test]
    fn formatted_expressions_parse_back(e in gen::expr(), c in gen::condition()) {
        // Small trees shrink to readable counterexamples when the big property fails on one.
        let text = format!(
            "ruleset \"r\" version \"1\" {{\n  title \"t\"\n  effective 2026-09-01\n}}\n\n\
             convert r {{\n  kind k\n  when {}\n  into c\n  credits {}\n}}\n",
            condition_text(&c),
            expr_text(&e),
        );
        let (back, diagnostics) = reparse(&text);
        prop_assert!(diagnostics.is_empty(), "diagnostics {:#?} for\n{}", diagnostics, text);
        prop_assert_eq!(format(&back), text);
    }
}

/// Joins line `i` to the next with a space where `joins[i]` says so, unless the line ends in
/// a comment (which would swallow the next line): the same file in a non-canonical layout.
fn reflow(text: &str, joins: &[bool]) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        let join = joins.get(i).copied().unwrap_or(false) && comments_in(line).is_empty();
        out.push(if join { ' ' } else { '\n' });
    }
    out
}

/// Reorders the clauses of every top-level block of canonically formatted `text`, each with
/// its leading comments (and its nested block, if any): the same file written in another
/// clause order. Clauses that start with the same word keep their relative order (repeated
/// clauses are kept in source order by the parser), `else` stays last (the grammar wants it
/// there), and in blocks of requirements `source` stays first (after a requirement it would be
/// read as that requirement's citation). `picks` drives the choices.
fn shuffle_clauses(text: &str, picks: &[usize]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut pick = picks.iter().copied().cycle();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push_str(line);
        out.push('\n');
        i += 1;
        if line.starts_with([' ', '/']) || !line.ends_with('{') {
            continue;
        }
        let pinned_source = ["graduation", "program", "certificate"]
            .iter()
            .any(|k| line.starts_with(k));
        // Units: leading comments + clause line (+ nested lines up to its `  }`).
        let mut units: Vec<(String, Vec<&str>)> = Vec::new();
        let mut pending: Vec<&str> = Vec::new();
        while i < lines.len() && lines[i].starts_with("  ") {
            let l = lines[i];
            i += 1;
            pending.push(l);
            if l.starts_with("  //") {
                continue;
            }
            if code_of(l).ends_with('{') {
                while i < lines.len() && !lines[i - 1].starts_with("  }") {
                    pending.push(lines[i]);
                    i += 1;
                }
            }
            let word = l.trim_start().split(' ').next().unwrap_or("");
            // Entries of a list block start with their id; they all keep their order.
            let list = line.starts_with("categories") || line.starts_with("institutions");
            let key = if !list && word.starts_with(|c: char| c.is_ascii_lowercase()) {
                word.to_string()
            } else {
                "entry".to_string()
            };
            units.push((key, std::mem::take(&mut pending)));
        }
        // What is left is the block's `inner_end`; `i` is at the closing brace.
        let mut first = Vec::new();
        let mut last = Vec::new();
        let mut queues: Vec<(String, std::collections::VecDeque<Vec<&str>>)> = Vec::new();
        for (key, unit) in units {
            if key == "else" {
                last.push(unit);
            } else if key == "source" && pinned_source {
                first.push(unit);
            } else if let Some((_, q)) = queues.iter_mut().find(|(k, _)| *k == key) {
                q.push_back(unit);
            } else {
                queues.push((key, std::collections::VecDeque::from([unit])));
            }
        }
        let mut ordered = first;
        loop {
            queues.retain(|(_, q)| !q.is_empty());
            if queues.is_empty() {
                break;
            }
            let at = pick.next().unwrap_or(0) % queues.len();
            if let Some(unit) = queues[at].1.pop_front() {
                ordered.push(unit);
            }
        }
        ordered.extend(last);
        for l in ordered.into_iter().flatten().chain(pending) {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// The formatter's text for a condition, cut out of a formatted conversion rule.
fn condition_text(c: &creditbank_dsl::ast::Condition) -> String {
    let rule = one_rule(Some(c.clone()), None);
    let text = format(&rule);
    clause_after(&text, "  when ")
}

/// The formatter's text for an expression, cut out of a formatted conversion rule.
fn expr_text(e: &creditbank_dsl::ast::Expr) -> String {
    let rule = one_rule(None, Some(e.clone()));
    let text = format(&rule);
    clause_after(&text, "  credits ")
}

fn clause_after(text: &str, prefix: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_default()
        .to_string()
}

fn one_rule(
    when: Option<creditbank_dsl::ast::Condition>,
    credits: Option<creditbank_dsl::ast::Expr>,
) -> RulesetFile {
    use creditbank_dsl::ast::*;
    let span = Span::default();
    let id = |s: &str| Spanned::new(s.to_string(), span);
    let credits = credits.unwrap_or(Expr {
        kind: ExprKind::Number(1.into()),
        span,
    });
    RulesetFile {
        items: vec![Node::new(
            Item::Convert(ConversionRule {
                id: id("r"),
                name: None,
                kind: Node::new(id("k"), span),
                when: when.map(|c| Node::new(c, span)),
                from: None,
                into: Node::new(id("c"), span),
                credits: Node::new(
                    CreditAmount::Formula {
                        expr: credits,
                        rounded_down_to: None,
                    },
                    span,
                ),
                split: None,
                highest_only_per: None,
                expires_after_years: None,
                source: None,
            }),
            span,
        )],
        end_comments: Vec::new(),
    }
}

/// Where the `//` of a line's comment starts, skipping `//` inside string literals.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if line[i..].starts_with("//") {
            return Some(i);
        }
    }
    None
}

/// The text of every `//` comment in a source.
fn comments_in(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|line| comment_start(line).map(|i| line[i + 2..].trim_end().to_string()))
        .collect()
}

/// A line without its comment.
fn code_of(line: &str) -> &str {
    comment_start(line).map_or(line, |i| line[..i].trim_end())
}

/// Every `.cbr` file under `dir`, recursively, sorted; none when `dir` does not exist.
fn cbr_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            found.extend(cbr_files(&path));
        } else if path.extension().is_some_and(|x| x == "cbr") {
            found.push(path);
        }
    }
    found.sort();
    found
}

#[test]
fn valid_files_format_idempotently_and_keep_comments() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = cbr_files(&crate_dir.join("tests/fixtures/valid"));
    paths.extend(cbr_files(&crate_dir.join("../rulesets")));
    for path in paths {
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let parsed = parse(&SourceFile::new(name.clone(), source.clone()));
        assert!(
            parsed.diagnostics.is_empty(),
            "{name}: {:#?}",
            parsed.diagnostics
        );
        let once = format(&parsed.file);
        let (back, diagnostics) = reparse(&once);
        assert!(diagnostics.is_empty(), "{name}: {diagnostics:#?}\n{once}");
        assert_eq!(back, parsed.file, "{name}: tree changed through\n{once}");
        assert_eq!(format(&back), once, "{name}: formatting is not idempotent");
        // Clauses move into canonical order, and their comments with them: compare as multisets.
        let mut before = comments_in(&source);
        let mut after = comments_in(&once);
        before.sort();
        after.sort();
        assert_eq!(before, after, "{name}: comments changed\n{once}");
    }
}

#[test]
fn comment_scanner_skips_strings() {
    let src = "a \"x // y\" // real\n// whole\n\"esc \\\" //\" b";
    assert_eq!(
        comments_in(src),
        vec![" real".to_string(), " whole".to_string()]
    );
}

/// Inside a conversion rule, a line that starts with the `kind` clause and holds a `{` further
/// on (in a comment, or in a `credits by` table on the same line) is still part of the rule,
/// not the start of a `kind` item.
#[test]
fn brace_after_kind_clause_on_its_line() {
    let header = "ruleset \"r\" version \"1\" {\n  title \"t\"\n  effective 2026-09-01\n}\n\n";
    for rule in [
        "convert r {\n  kind k // {\n  into c\n  credits 1\n}\n",
        "convert r {\n  kind k  into c  credits by a {\n  }\n}\n",
    ] {
        let text = format!("{header}{rule}");
        let (file, diagnostics) = reparse(&text);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert_eq!(file.items.len(), 2);
    }
}
