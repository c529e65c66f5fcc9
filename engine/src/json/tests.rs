use super::*;
use proptest::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

fn ours<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    to_vec(value, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn same_as_serde_json<T: Serialize + ?Sized + std::fmt::Debug>(value: &T) {
    assert_eq!(
        ours(value),
        serde_json::to_string(value).unwrap(),
        "{value:?}"
    );
}

#[test]
fn every_ascii_byte_is_escaped_as_serde_json_escapes_it() {
    for byte in 0u8..0x80 {
        let c = char::from(byte);
        same_as_serde_json(&c.to_string());
        // At every position of a word and across the boundary between two.
        for at in 0..17 {
            let text: String = "a".repeat(at) + &c.to_string() + "bcdefghijklmnopq";
            same_as_serde_json(&text);
        }
    }
}

#[test]
fn escapes_anywhere_in_text_of_any_length_are_found_once() {
    for len in 0..24 {
        for first in 0..len {
            for second in first..len {
                let mut text = vec![b'x'; len];
                text[first] = b'"';
                text[second] = b'\n';
                same_as_serde_json(std::str::from_utf8(&text).unwrap());
            }
        }
    }
}

#[test]
fn control_characters_without_a_short_escape_are_written_in_lowercase_hex() {
    assert_eq!(ours("\u{1}\u{1f}\u{b}"), r#""\u0001\u001f\u000b""#);
    assert_eq!(ours("\u{7f}"), "\"\u{7f}\"", "DEL is not escaped");
}

#[test]
fn text_without_escapes_is_copied_whole() {
    for text in [
        "",
        "平均学分绩点低于2.0，未达到学位授予要求",
        "demo-university/undergraduate",
        "needs 6.0 more innovation credits",
        "引号\"在中间\"和\\反斜杠\n换行",
    ] {
        same_as_serde_json(text);
    }
}

#[derive(Serialize, Debug)]
enum Shape {
    Unit,
    Newtype(u32),
    Tuple(i8, String),
    Struct {
        a: Option<bool>,
        b: Vec<u8>,
    },
    #[serde(rename = "odd \"variant\"")]
    Odd {
        #[serde(rename = "a\"quoted\\name\n")]
        quoted: u8,
        #[serde(rename = "学分")]
        credits: u8,
    },
}

#[derive(Serialize, Debug)]
struct Everything {
    small: i8,
    big: u64,
    negative: i128,
    huge: u128,
    ratio: f64,
    nan: f64,
    single: f32,
    letter: char,
    none: Option<String>,
    unit: (),
    shapes: Vec<Shape>,
    empty: Vec<u32>,
    tuple: (u8, &'static str),
    bytes: &'static [u8],
    names: BTreeMap<String, Vec<i32>>,
    numbered: BTreeMap<u16, bool>,
    flags: BTreeMap<bool, char>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<u8>,
    decimal: rust_decimal::Decimal,
}

#[test]
fn every_shape_serde_has_is_written_as_serde_json_writes_it() {
    let value = Everything {
        small: -8,
        big: u64::MAX,
        negative: i128::MIN,
        huge: u128::MAX,
        ratio: 3.953125,
        nan: f64::NAN,
        single: 0.1,
        letter: '学',
        none: None,
        unit: (),
        shapes: vec![
            Shape::Unit,
            Shape::Newtype(7),
            Shape::Tuple(-1, "x\"y".into()),
            Shape::Struct {
                a: Some(true),
                b: vec![0, 255],
            },
            Shape::Struct { a: None, b: vec![] },
            Shape::Odd {
                quoted: 1,
                credits: 2,
            },
        ],
        empty: vec![],
        tuple: (1, "二"),
        bytes: b"\x00\xff",
        names: [("一".to_string(), vec![1, -2]), ("b\n".to_string(), vec![])]
            .into_iter()
            .collect(),
        numbered: [(3, true), (65535, false)].into_iter().collect(),
        flags: [(false, 'n'), (true, 'y')].into_iter().collect(),
        skipped: None,
        decimal: "3.4846".parse().unwrap(),
    };
    same_as_serde_json(&value);
}

#[test]
fn a_key_that_is_not_a_string_is_an_error_not_a_panic() {
    let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
    let mut out = Vec::new();
    let error = to_vec(&map, &mut out).unwrap_err();
    assert_eq!(error.to_string(), "key must be a string");
}

#[test]
fn values_are_appended_to_what_the_buffer_holds() {
    let mut out = b"[".to_vec();
    to_vec(&1u8, &mut out).unwrap();
    assert_eq!(out, b"[1");
}

/// Figures as a report holds them.
#[derive(Debug, Serialize)]
struct Figures {
    #[serde(serialize_with = "figure")]
    credits: rust_decimal::Decimal,
    #[serde(serialize_with = "optional_figure")]
    points: Option<rust_decimal::Decimal>,
    #[serde(serialize_with = "optional_figure")]
    none: Option<rust_decimal::Decimal>,
    plain: u128,
}

fn figures(mantissa: i128, scale: u32) -> Figures {
    let d = rust_decimal::Decimal::from_i128_with_scale(mantissa % (1i128 << 96), scale);
    Figures {
        credits: d,
        points: Some(-d),
        none: None,
        plain: mantissa.unsigned_abs(),
    }
}

#[test]
fn figures_are_written_from_their_digits_as_rust_decimal_writes_them() {
    for (mantissa, scale) in [
        (0, 0),
        (0, 1),
        (0, 28),
        (30, 1),
        (5, 2),
        (-5, 2),
        (1, 28),
        (i128::from(u64::MAX), 3),
        (i128::from(u64::MAX) + 1, 0),
        ((1i128 << 96) - 1, 28),
        (-((1i128 << 96) - 1), 0),
    ] {
        same_as_serde_json(&figures(mantissa, scale));
    }
    assert_eq!(
        ours(&figures(30, 1)),
        r#"{"credits":"3.0","points":"-3.0","none":null,"plain":30}"#
    );
    // Every other serializer gets rust_decimal's own text.
    let yaml = serde_yaml::to_string(&figures(-5, 2)).unwrap();
    assert_eq!(
        yaml,
        "credits: '-0.05'\npoints: '0.05'\nnone: null\nplain: 5\n"
    );
}

proptest! {
    #[test]
    fn any_figure_is_written_as_serde_json_writes_it(mantissa in any::<i128>(), scale in 0u32..=28) {
        let value = figures(mantissa, scale);
        prop_assert_eq!(ours(&value), serde_json::to_string(&value).unwrap());
    }

    #[test]
    fn any_text_is_escaped_as_serde_json_escapes_it(text in any::<String>()) {
        prop_assert_eq!(ours(&text), serde_json::to_string(&text).unwrap());
    }

    #[test]
    fn text_of_json_specials_is_escaped_as_serde_json_escapes_it(
        text in "[\\x00-\\x21\"\\\\a-z学]{0,40}"
    ) {
        prop_assert_eq!(ours(&text), serde_json::to_string(&text).unwrap());
    }
}
