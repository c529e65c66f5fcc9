//! What the parser expected, in words: `k_into` is `` `into` ``, `ident` is "an identifier".

use super::Rule;

/// The words for a rule pest tried, or `None` for an internal rule not worth naming.
pub(crate) fn describe(rule: Rule) -> Option<String> {
    let name = format!("{rule:?}");
    if let Some(keyword) = name.strip_prefix("k_") {
        let written = match keyword {
            "at_least" => "at least".to_string(),
            "at_most" => "at most".to_string(),
            "one_of" => "one of".to_string(),
            other => other.replace('_', "-"),
        };
        return Some(format!("`{written}`"));
    }
    let words = match rule {
        Rule::ident | Rule::ident_list | Rule::requirement_id | Rule::variable => "an identifier",
        Rule::code | Rule::code_list => "a course code",
        Rule::string | Rule::display_name | Rule::string_list => "a string",
        Rule::number | Rule::integer | Rule::signed_number => "a number",
        Rule::percent => "a percentage like `35%`",
        Rule::date => "a date like `2026-09-01`",
        Rule::month_day => "a day like `09-01`",
        Rule::colour => "a colour like `#d0021b`",
        Rule::compare_op => "a comparison",
        Rule::add_op | Rule::mul_op => "an operator",
        Rule::condition | Rule::cond_or | Rule::cond_and | Rule::cond_not => "a condition",
        Rule::expr | Rule::sum | Rule::product | Rule::power | Rule::unary | Rule::call => {
            "an expression"
        }
        Rule::neg => "`-`",
        Rule::attr_value => "a value",
        _ => return None,
    };
    Some(words.to_string())
}

/// `a`, `a or b`, `a, b or c`.
pub(crate) fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_quoted_as_written() {
        assert_eq!(describe(Rule::k_into).as_deref(), Some("`into`"));
        assert_eq!(describe(Rule::k_at_least).as_deref(), Some("`at least`"));
        assert_eq!(
            describe(Rule::k_failed_credits).as_deref(),
            Some("`failed-credits`")
        );
        assert_eq!(describe(Rule::ident).as_deref(), Some("an identifier"));
        assert_eq!(describe(Rule::EOI), None);
    }

    #[test]
    fn joins_with_or_before_the_last() {
        let items: Vec<String> = ["`a`", "`b`", "`c`"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(join_or(&items[..1]), "`a`");
        assert_eq!(join_or(&items[..2]), "`a` or `b`");
        assert_eq!(join_or(&items), "`a`, `b` or `c`");
    }
}
