//! Comments attach where they were written, and none is lost.

use super::*;
use crate::ast::*;

#[test]
fn comments_attach_where_written() {
    let text = "// c1\nruleset \"a\" version \"1\" { // c2\n  // c3\n  title \"t\" // c4\n  effective 2026-09-01\n  // c5\n} // c6\n// c7\nconvert c {\n  kind k\n  when a = 1 // c8\n    and b = 2\n  into i\n  credits by x {\n    // c9\n    p => 1 // c10\n    // c11\n  } // c12\n}\n// c13\n";
    let parsed = parse_text(text);
    assert_eq!(parsed.diagnostics, vec![]);
    let header = &parsed.file.items[0];
    assert_eq!(header.comments.leading, [" c1"]);
    assert_eq!(header.comments.trailing.as_deref(), Some(" c6"));
    assert_eq!(header.comments.inner_end, [" c5"]);
    let Item::Header(h) = &header.value else {
        panic!()
    };
    assert_eq!(h.title.comments.leading, [" c2", " c3"]);
    assert_eq!(h.title.comments.trailing.as_deref(), Some(" c4"));
    let convert = &parsed.file.items[1];
    assert_eq!(convert.comments.leading, [" c7"]);
    let Item::Convert(r) = &convert.value else {
        panic!()
    };
    // Inside a multi-line condition: kept as a leading comment of the next clause.
    assert_eq!(r.when.as_ref().unwrap().comments.trailing, None);
    assert_eq!(r.into.comments.leading, [" c8"]);
    let CreditAmount::Table { rows, .. } = &r.credits.value else {
        panic!()
    };
    assert_eq!(rows[0].comments.leading, [" c9"]);
    assert_eq!(rows[0].comments.trailing.as_deref(), Some(" c10"));
    assert_eq!(r.credits.comments.inner_end, [" c11"]);
    assert_eq!(r.credits.comments.trailing.as_deref(), Some(" c12"));
    assert_eq!(parsed.file.end_comments, [" c13"]);
}

#[test]
fn every_comment_ends_up_in_the_tree() {
    // A comment after every token of the sample, each with its own text.
    let mut text = String::new();
    let mut n = 0;
    for line in SAMPLE.lines().filter(|l| !l.contains("//")) {
        text.push_str(line);
        text.push_str(&format!(" // k{n}\n// l{n}\n"));
        n += 1;
    }
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics, vec![]);
    let tree = format!("{:?}", parsed.file);
    for i in 0..n {
        assert!(tree.contains(&format!("\" k{i}\"")), "k{i} lost");
        assert!(tree.contains(&format!("\" l{i}\"")), "l{i} lost");
    }
}
