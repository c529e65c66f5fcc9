//! Matching an expected partial report against the actual one, as a subset.

use rust_decimal::Decimal;
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// The keys that identify a list element: an expected element carrying one of them matches
/// the actual element with the same value, wherever it is in the list.
pub const IDENTITY_KEYS: [&str; 4] = ["id", "course", "category", "warning"];

/// One path where the actual report differs from the expected one.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// Where, e.g. `graduation.requirements[3].status`.
    pub path: String,
    /// What the case expects, as JSON.
    pub expected: String,
    /// What the report gives, as JSON, or `nothing`.
    pub actual: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, got {}",
            self.path, self.expected, self.actual
        )
    }
}

/// Every path where `actual` does not contain `expected`.
pub fn differences(expected: &Value, actual: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    compare("", expected, Some(actual), &mut out);
    out
}

fn show(value: Option<&Value>) -> String {
    match value {
        None => "nothing".into(),
        Some(v) => serde_json::to_string(v).unwrap_or_default(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn compare(path: &str, expected: &Value, actual: Option<&Value>, out: &mut Vec<Difference>) {
    let mut differ = |path: &str, actual: Option<&Value>| {
        out.push(Difference {
            path: if path.is_empty() {
                "(report)".into()
            } else {
                path.into()
            },
            expected: show(Some(expected)),
            actual: show(actual),
        })
    };
    match (expected, actual) {
        // `null` expects the key to be absent (the report leaves out empty fields).
        (Value::Null, None | Some(Value::Null)) => {}
        (Value::Object(want), Some(Value::Object(have))) => {
            for (key, value) in want {
                compare(&join(path, key), value, have.get(key), out);
            }
        }
        (Value::Array(want), Some(Value::Array(have))) => {
            // An empty list expects an empty list; otherwise the list is matched as a subset.
            if want.is_empty() && !have.is_empty() {
                differ(path, actual);
                return;
            }
            for (i, item) in want.iter().enumerate() {
                match identity(item) {
                    Some((key, id)) => {
                        let found = have
                            .iter()
                            .position(|h| h.get(key).is_some_and(|v| same(id, v)));
                        match found {
                            Some(j) => compare(&format!("{path}[{j}]"), item, have.get(j), out),
                            None => out.push(Difference {
                                path: format!("{path}[{key}={}]", show(Some(id))),
                                expected: "an element".into(),
                                actual: "nothing".into(),
                            }),
                        }
                    }
                    None => compare(&format!("{path}[{i}]"), item, have.get(i), out),
                }
            }
        }
        (Value::Object(_) | Value::Array(_), _) => differ(path, actual),
        (scalar, Some(have)) if same(scalar, have) => {}
        _ => differ(path, actual),
    }
}

fn identity(item: &Value) -> Option<(&'static str, &Value)> {
    let map = item.as_object()?;
    IDENTITY_KEYS
        .iter()
        .find_map(|k| map.get(*k).map(|v| (*k, v)))
}

/// Scalars compare by their text as the report writes it: a figure is the string `"56.0"`,
/// and an unquoted `56.0` in the case is read as that same text. Two numbers compare as exact
/// decimals.
fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => {
            match (
                Decimal::from_str(&a.to_string()),
                Decimal::from_str(&b.to_string()),
            ) {
                (Ok(a), Ok(b)) => a == b,
                _ => a == b,
            }
        }
        (Value::Number(a), Value::String(b)) => a.to_string() == *b,
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_subset_matches() {
        let actual = json!({"total_credits": "56.0", "term": 4, "warnings": [], "x": 1});
        assert!(differences(&json!({"total_credits": "56.0", "term": 4}), &actual).is_empty());
    }

    #[test]
    fn a_mismatch_names_its_path() {
        let actual = json!({"graduation": {"requirements": [
            {"id": "graduation/1", "status": "met"},
            {"id": "graduation/2", "status": "unmet"}
        ]}});
        let expected = json!({"graduation": {"requirements": [
            {"id": "graduation/2", "status": "met"}
        ]}});
        let d = differences(&expected, &actual);
        assert_eq!(
            d.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec![r#"graduation.requirements[1].status: expected "met", got "unmet""#]
        );
    }

    #[test]
    fn figures_compare_as_the_report_writes_them() {
        let actual = json!({"total_credits": "56.0"});
        assert!(differences(&json!({"total_credits": 56.0}), &actual).is_empty());
        assert_eq!(differences(&json!({"total_credits": 56}), &actual).len(), 1);
        assert_eq!(
            differences(&json!({"total_credits": "56"}), &actual).len(),
            1
        );
    }

    #[test]
    fn lists_match_by_position_without_an_identity() {
        let actual = json!({"reasons": ["a", "b"]});
        assert!(differences(&json!({"reasons": ["a"]}), &actual).is_empty());
        assert_eq!(differences(&json!({"reasons": ["b"]}), &actual).len(), 1);
        assert_eq!(differences(&json!({"reasons": []}), &actual).len(), 1);
    }

    #[test]
    fn a_missing_element_is_reported() {
        let actual = json!({"warnings": []});
        let d = differences(&json!({"warnings": [{"warning": "low-gpa"}]}), &actual);
        assert_eq!(
            d[0].to_string(),
            r#"warnings[warning="low-gpa"]: expected an element, got nothing"#
        );
    }

    #[test]
    fn null_expects_absence() {
        assert!(differences(&json!({"gpa": null}), &json!({"term": 1})).is_empty());
        assert_eq!(
            differences(&json!({"gpa": null}), &json!({"gpa": {"value": "3.0"}})).len(),
            1
        );
    }
}
