//! Attaching comments to the tree.
//!
//! The lowering walks the tree in source order and asks this cursor, at each node, for the
//! comments before it (`leading`), the one right after it on its line (`trailing`), and, at a
//! block's closing brace, the ones still unclaimed inside it (`inner_end`). Every comment is
//! handed out exactly once; whatever is left at the end belongs to the file's end.

use super::scan::Comment;

/// Hands out the comments of one file in source order.
pub(crate) struct CommentCursor<'a> {
    text: &'a str,
    comments: Vec<Comment>,
    taken: Vec<bool>,
    /// Every comment before this index is taken.
    next: usize,
}

impl<'a> CommentCursor<'a> {
    /// A cursor over `comments` (sorted by offset) of `text`.
    pub(crate) fn new(text: &'a str, comments: Vec<Comment>) -> Self {
        let taken = vec![false; comments.len()];
        CommentCursor {
            text,
            comments,
            taken,
            next: 0,
        }
    }

    /// Takes every comment not yet taken that starts before `pos`.
    pub(crate) fn before(&mut self, pos: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut i = self.next;
        while let Some(comment) = self.comments.get(i) {
            if comment.offset >= pos {
                break;
            }
            if let Some(taken) = self.taken.get_mut(i) {
                if !*taken {
                    *taken = true;
                    out.push(comment.text.clone());
                }
            }
            i += 1;
        }
        self.next = i;
        out
    }

    /// Takes the comment written on the same line right after `end`, with nothing but spaces
    /// between. Comments inside the node (before `end`) stay for the next node.
    pub(crate) fn trailing(&mut self, end: usize) -> Option<String> {
        let mut i = self.next;
        while let Some(comment) = self.comments.get(i) {
            let taken = self.taken.get(i).copied().unwrap_or(true);
            if !taken && comment.offset >= end {
                let between = self.text.get(end..comment.offset)?;
                if between
                    .chars()
                    .all(|c| c == ' ' || c == '\t' || c == '\u{3000}')
                {
                    if let Some(flag) = self.taken.get_mut(i) {
                        *flag = true;
                    }
                    return Some(comment.text.clone());
                }
                return None;
            }
            i += 1;
        }
        None
    }

    /// Moves `end` back over whitespace and comments, but not before `start`: pest's spans
    /// of rules ending in `?` or `*` take in the blanks after them.
    pub(crate) fn trim_end(&self, start: usize, mut end: usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            let before = end;
            while end > start && matches!(bytes.get(end - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                end -= 1;
            }
            // U+3000 and U+FEFF are blanks too (three bytes each).
            if end >= start + 3
                && matches!(
                    bytes.get(end - 3..end),
                    Some([0xE3, 0x80, 0x80]) | Some([0xEF, 0xBB, 0xBF])
                )
            {
                end -= 3;
                continue;
            }
            // A comment runs to a line break or the end of the text: with neither just
            // trimmed, `end` cannot be inside one (the common case, kept cheap).
            if end == before && end != self.text.len() {
                return end;
            }
            let i = self.comments.partition_point(|c| c.offset < end);
            match i.checked_sub(1).and_then(|i| self.comments.get(i)) {
                // `end` within a comment's line: the span ends before the comment.
                Some(comment) if end <= comment.end && comment.offset >= start => {
                    end = comment.offset;
                }
                _ => return end,
            }
        }
    }

    /// Takes every comment left.
    pub(crate) fn rest(&mut self) -> Vec<String> {
        self.before(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::scan::scan;

    #[test]
    fn hands_out_each_comment_once() {
        let text = "// a\nx // b\ny (// c\n) z // d\n// e\n";
        let mut cursor = CommentCursor::new(text, scan(text).comments);
        let x = text.find('x').unwrap();
        assert_eq!(cursor.before(x), [" a"]);
        assert_eq!(cursor.trailing(x + 1).as_deref(), Some(" b"));
        let y = text.find('y').unwrap();
        assert!(cursor.before(y).is_empty());
        // `y ( ... ) z` is one node: the comment inside stays for the next node.
        let z_end = text.find('z').unwrap() + 1;
        assert_eq!(cursor.trailing(z_end).as_deref(), Some(" d"));
        assert_eq!(cursor.rest(), [" c", " e"]);
        assert!(cursor.rest().is_empty());
    }

    #[test]
    fn trims_blanks_and_comments_off_the_end() {
        let text = "a b // c  \n  // d \t\n\u{3000}\n  e";
        let cursor = CommentCursor::new(text, scan(text).comments);
        let e = text.find('e').unwrap();
        assert_eq!(cursor.trim_end(0, e), 3);
        assert_eq!(cursor.trim_end(2, 3), 3);
        assert_eq!(cursor.trim_end(1, 2), 1);
    }

    #[test]
    fn a_comment_after_another_token_is_not_trailing() {
        let text = "x y // b\n";
        let mut cursor = CommentCursor::new(text, scan(text).comments);
        assert_eq!(cursor.trailing(1), None);
        assert_eq!(cursor.trailing(3).as_deref(), Some(" b"));
    }
}
