//! Compact JSON, written byte for byte as `serde_json::to_writer` writes it, with strings
//! escaped a word at a time.
//!
//! A report is mostly text: rule ids, names, messages and reasons, much of it Chinese.
//! `serde_json` looks each byte of a string up in its escape table; [`to_vec`] tests eight
//! bytes at once for the three things JSON escapes (a control character, `"` and `\`) and
//! copies runs without them whole. Everything else is written as `serde_json` writes it:
//! the same separators, `null` for `None` and units, an enum variant with data as a
//! one-entry object, integers in decimal, and `\u00XX` (lowercase hex) for control
//! characters without a short escape. The tests hold it to `serde_json`'s bytes.
//!
//! Floating-point numbers are handed to `serde_json`, so that they are written as it writes
//! them too. A map key must be a string, a character, an integer or a boolean (an integer
//! or boolean key is written quoted, as `serde_json` writes it). `serde_json::value::RawValue`
//! is not written raw but as the one-field struct it serialises as: reports hold none. A
//! value can instead offer its own JSON, written in advance, through [`PRERENDERED`] (a
//! report's rule citations do), and a report's figures their bits, through [`FIGURE`], to be
//! written from their digits.

pub mod report;

use rust_decimal::Decimal;
use serde::ser::{self, Serialize};

/// Why a value could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JsonError(String);

impl ser::Error for JsonError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        JsonError(msg.to_string())
    }
}

/// Appends `value` to `out` as compact JSON.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), JsonError> {
    value.serialize(&mut Writer {
        out,
        verbatim: false,
        figure: false,
    })
}

/// The name of the newtype struct through which a value offers this writer its own compact
/// JSON, written in advance (a report's rule citations, rendered once per plan).
///
/// The writer answers such a newtype by turning not human-readable while it serialises what
/// the newtype wraps; the wrapped value, seeing that, gives its JSON text through
/// `serialize_str`, which the writer then copies as it is, unescaped. Every other
/// serializer treats the newtype as the value it wraps, which serialises itself as usual when
/// the serializer is human-readable (and a value offers its JSON only to a human-readable
/// serializer: see `RuleRef`'s `Serialize`). The text must be exactly what this writer writes
/// for the value: the plan renders it with this writer.
pub const PRERENDERED: &str = "$creditbank::json::Prerendered";

/// The name of the newtype struct through which a report's figure (a `Decimal`) offers this
/// writer its bits, to be written from its digits: rust_decimal's own formatting, which every
/// other serializer gets, costs several times as much. As with [`PRERENDERED`], the writer
/// turns not human-readable inside the newtype, and the figure then gives its 128 bits through
/// `serialize_u128`. A report's fields name [`figure`] or [`optional_figure`] as their
/// `serialize_with`.
pub const FIGURE: &str = "$creditbank::json::Figure";

/// Serialises a figure as rust_decimal does (its text, as a string), and to this writer
/// through [`FIGURE`], written the same from its digits.
pub fn figure<S: ser::Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    if serializer.is_human_readable() {
        serializer.serialize_newtype_struct(FIGURE, &Figure(*value))
    } else {
        Serialize::serialize(value, serializer)
    }
}

/// [`figure`] for an optional figure (`null` when absent).
pub fn optional_figure<S: ser::Serializer>(
    value: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => figure(value, serializer),
        None => serializer.serialize_none(),
    }
}

/// A figure inside [`FIGURE`]: its text to a human-readable serializer (every one but this
/// writer, which turns not human-readable there), its bits to this writer.
struct Figure(Decimal);

impl Serialize for Figure {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            Serialize::serialize(&self.0, serializer)
        } else {
            serializer.serialize_u128(u128::from_le_bytes(Decimal::serialize(&self.0)))
        }
    }
}

/// Appends `value` as a JSON string holding the text rust_decimal writes for it (its
/// `Display`).
fn write_figure(out: &mut Vec<u8>, value: Decimal) {
    let mut buffer = itoa::Buffer::new();
    let text = crate::text::DecimalText::of(value, &mut buffer);
    out.reserve(text.whole.len() + text.zeros + text.fraction.len() + 4);
    out.push(b'"');
    if text.negative {
        out.push(b'-');
    }
    out.extend_from_slice(text.whole.as_bytes());
    if text.point {
        out.push(b'.');
        if text.zeros > 0 {
            out.resize(out.len() + text.zeros, b'0');
        }
        out.extend_from_slice(text.fraction.as_bytes());
    }
    out.push(b'"');
}

/// The eight-byte words whose every byte is `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The high bit of each byte of `word` (read little-endian) that is below 0x20, a `"` or a
/// `\`, and possibly of bytes after such a byte: so the lowest bit set marks the first byte
/// that needs an escape exactly, and the mask is zero exactly when none does.
#[inline]
fn escape_mask(word: u64) -> u64 {
    const HIGH: u64 = splat(0x80);
    let control = word.wrapping_sub(splat(0x20)) & !word;
    let q = word ^ splat(b'"');
    let quote = q.wrapping_sub(splat(1)) & !q;
    let b = word ^ splat(b'\\');
    let backslash = b.wrapping_sub(splat(1)) & !b;
    (control | quote | backslash) & HIGH
}

/// True for the bytes JSON escapes: control characters, `"` and `\\`.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Where the first byte of `bytes` at or after `from` that needs an escape is.
#[inline]
fn first_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(word) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let mask = escape_mask(u64::from_le_bytes(*word));
        if mask != 0 {
            return Some(i + (mask.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    if i >= bytes.len() {
        return None;
    }
    match bytes.last_chunk::<8>() {
        // The last eight bytes, those before `i` (already looked at, or before `from`)
        // replaced by a byte that needs no escape: so the first byte the mask marks is at
        // or after `i`.
        Some(word) => {
            let start = bytes.len() - 8;
            let before = 8 * (i - start) as u32;
            let seen = u64::MAX.checked_shl(before).map_or(u64::MAX, |kept| !kept);
            let word = (u64::from_le_bytes(*word) & !seen) | (splat(b'a') & seen);
            let mask = escape_mask(word);
            (mask != 0).then(|| start + (mask.trailing_zeros() / 8) as usize)
        }
        // Fewer than eight bytes in all.
        None => bytes
            .iter()
            .skip(i)
            .position(|&b| NEEDS_ESCAPE[usize::from(b)])
            .map(|at| i + at),
    }
}

/// Appends `text` as a JSON string, escaped as `serde_json` escapes it: `"`, `\\` and the
/// control characters below U+0020, nothing else.
#[inline]
pub fn string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if needs_escape(bytes) {
        return escaped_string(out, bytes);
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(bytes);
    out.push(b'"');
}

/// [`string`] for text with a byte to escape (rare: kept out of line, so that the common
/// case stays small enough to inline where strings are written).
#[cold]
#[inline(never)]
fn escaped_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    match first_escape(bytes, 0) {
        Some(at) => write_escaped(out, bytes, at),
        None => out.extend_from_slice(bytes),
    }
    out.push(b'"');
}

/// Whether any byte of `bytes` needs an escape: the masks of all its words ORed, with no
/// branch per word and no position kept (most strings need none; [`first_escape`] finds
/// where, for those that do). A string of four to eight bytes is read as its first and
/// last four, overlapping; of eight or more, the last word overlaps the one before.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    let len = bytes.len();
    if len >= 8 {
        let mut marks = 0;
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            marks |= escape_mask(<[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes));
        }
        if !words.remainder().is_empty() {
            marks |= escape_mask(
                bytes
                    .last_chunk::<8>()
                    .map_or(0, |w| u64::from_le_bytes(*w)),
            );
        }
        marks != 0
    } else if len >= 4 {
        let first = bytes
            .first_chunk::<4>()
            .map_or(0, |w| u32::from_le_bytes(*w));
        let last = bytes
            .last_chunk::<4>()
            .map_or(0, |w| u32::from_le_bytes(*w));
        escape_mask(u64::from(first) | (u64::from(last) << 32)) != 0
    } else {
        bytes.iter().any(|&b| NEEDS_ESCAPE[usize::from(b)])
    }
}

/// Writes `bytes`, whose first byte to escape is at `at`, escaped.
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8], mut at: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // `bytes[run..at]` needs no escape.
    let mut run = 0;
    loop {
        out.extend_from_slice(bytes.get(run..at).unwrap_or_default());
        let byte = bytes.get(at).copied().unwrap_or(b'"');
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x0A => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            0x0D => out.extend_from_slice(b"\\r"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xF)],
            ]),
        }
        run = at + 1;
        match first_escape(bytes, run) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.extend_from_slice(bytes.get(run..).unwrap_or_default());
}

/// Appends an integer as JSON writes it.
pub fn write_integer(out: &mut Vec<u8>, value: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

fn write_float<T: Serialize>(out: &mut Vec<u8>, value: T) -> Result<(), JsonError> {
    serde_json::to_writer(out, &value).map_err(|e| JsonError(e.to_string()))
}

/// The ten integer methods of a serializer, each writing its integer with `$write`.
macro_rules! integers {
    (|$target:ident, $value:ident| $write:expr) => {
        integers!(@each $target $value $write;
            serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
            serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
            serialize_u64: u64, serialize_u128: u128);
    };
    (@each $target:ident $value:ident $write:expr; $($method:ident: $ty:ty),*) => {$(
        fn $method(self, $value: $ty) -> Result<(), JsonError> {
            let $target = self;
            $write
        }
    )*};
}

struct Writer<'o> {
    out: &'o mut Vec<u8>,
    /// Inside a [`PRERENDERED`] newtype: the next string is JSON, copied as it is.
    verbatim: bool,
    /// Inside a [`FIGURE`] newtype: the next `u128` is a `Decimal`'s bits.
    figure: bool,
}

/// An array or object being written; `first` until its first element is.
struct Compound<'w, 'o> {
    writer: &'w mut Writer<'o>,
    first: bool,
    /// What closes it: `]` or `}`, and one more `}` for an enum variant's wrapping object.
    close: &'static [u8],
}

impl<'w, 'o> Compound<'w, 'o> {
    fn open(writer: &'w mut Writer<'o>, open: &[u8], close: &'static [u8]) -> Self {
        writer.out.extend_from_slice(open);
        Compound {
            writer,
            first: true,
            close,
        }
    }

    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.writer.out.push(b',');
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        self.comma();
        value.serialize(&mut *self.writer)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), JsonError> {
        let bytes = key.as_bytes();
        if needs_escape(bytes) {
            self.comma();
            escaped_string(self.writer.out, bytes);
            self.writer.out.push(b':');
        } else {
            // A field's name needs no escape (they never do): the comma, the quoted name and
            // the colon in one reservation.
            let out = &mut *self.writer.out;
            out.reserve(bytes.len() + 4);
            if !std::mem::take(&mut self.first) {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\":");
        }
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), JsonError> {
        self.writer.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl<'w, 'o> ser::Serializer for &'w mut Writer<'o> {
    type Ok = ();
    type Error = JsonError;
    type SerializeSeq = Compound<'w, 'o>;
    type SerializeTuple = Compound<'w, 'o>;
    type SerializeTupleStruct = Compound<'w, 'o>;
    type SerializeTupleVariant = Compound<'w, 'o>;
    type SerializeMap = Compound<'w, 'o>;
    type SerializeStruct = Compound<'w, 'o>;
    type SerializeStructVariant = Compound<'w, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), JsonError> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    // Every integer method but `serialize_u128`, which also takes a figure's bits.
    integers!(@each w v {
        write_integer(w.out, v);
        Ok(())
    };
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64);

    fn serialize_u128(self, v: u128) -> Result<(), JsonError> {
        if self.figure {
            self.figure = false;
            write_figure(self.out, Decimal::deserialize(v.to_le_bytes()));
        } else {
            write_integer(self.out, v);
        }
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), JsonError> {
        write_float(self.out, v)
    }

    fn serialize_f64(self, v: f64) -> Result<(), JsonError> {
        write_float(self.out, v)
    }

    fn serialize_char(self, v: char) -> Result<(), JsonError> {
        string(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), JsonError> {
        if self.verbatim {
            self.verbatim = false;
            self.out.extend_from_slice(v.as_bytes());
        } else {
            string(self.out, v);
        }
        Ok(())
    }

    fn is_human_readable(&self) -> bool {
        !self.verbatim && !self.figure
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), JsonError> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for byte in v {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }

    fn serialize_none(self) -> Result<(), JsonError> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), JsonError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), JsonError> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), JsonError> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), JsonError> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        if name == PRERENDERED {
            self.verbatim = true;
            let written = value.serialize(&mut *self);
            self.verbatim = false;
            return written;
        }
        if name == FIGURE {
            self.figure = true;
            let written = value.serialize(&mut *self);
            self.figure = false;
            return written;
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        let mut object = Compound::open(self, b"{", b"}");
        object.field(variant, value)?;
        object.end()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w, 'o>, JsonError> {
        Ok(Compound::open(self, b"[", b"]"))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 'o>, JsonError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'w, 'o>, JsonError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'o>, JsonError> {
        self.out.push(b'{');
        string(self.out, variant);
        Ok(Compound::open(self, b":[", b"]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w, 'o>, JsonError> {
        Ok(Compound::open(self, b"{", b"}"))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'o>, JsonError> {
        Ok(Compound::open(self, b"{", b"}"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'o>, JsonError> {
        self.out.push(b'{');
        string(self.out, variant);
        Ok(Compound::open(self, b":{", b"}}"))
    }
}

/// The sequence-like and struct-like compounds: serde names their methods apart, the writer
/// writes them alike.
macro_rules! compound {
    ($($trait:ident :: $method:ident),*; element) => {$(
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = JsonError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
                self.element(value)
            }

            fn end(self) -> Result<(), JsonError> {
                Compound::end(self)
            }
        }
    )*};
    ($($trait:ident),*; field) => {$(
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = JsonError;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), JsonError> {
                self.field(key, value)
            }

            fn end(self) -> Result<(), JsonError> {
                Compound::end(self)
            }
        }
    )*};
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field;
    element
);
compound!(SerializeStruct, SerializeStructVariant; field);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = JsonError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), JsonError> {
        self.comma();
        key.serialize(MapKey {
            out: self.writer.out,
        })?;
        self.writer.out.push(b':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), JsonError> {
        Compound::end(self)
    }
}

/// Writes a map key: always a JSON string.
struct MapKey<'o> {
    out: &'o mut Vec<u8>,
}

impl MapKey<'_> {
    fn quoted(self, value: impl itoa::Integer) -> Result<(), JsonError> {
        self.out.push(b'"');
        write_integer(self.out, value);
        self.out.push(b'"');
        Ok(())
    }
}

fn key_must_be_a_string() -> JsonError {
    JsonError("key must be a string".to_string())
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = JsonError;
    type SerializeSeq = ser::Impossible<(), JsonError>;
    type SerializeTuple = ser::Impossible<(), JsonError>;
    type SerializeTupleStruct = ser::Impossible<(), JsonError>;
    type SerializeTupleVariant = ser::Impossible<(), JsonError>;
    type SerializeMap = ser::Impossible<(), JsonError>;
    type SerializeStruct = ser::Impossible<(), JsonError>;
    type SerializeStructVariant = ser::Impossible<(), JsonError>;

    fn serialize_bool(self, v: bool) -> Result<(), JsonError> {
        self.out
            .extend_from_slice(if v { b"\"true\"" } else { b"\"false\"" });
        Ok(())
    }

    integers!(|key, v| key.quoted(v));

    fn serialize_f32(self, _v: f32) -> Result<(), JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_f64(self, _v: f64) -> Result<(), JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_char(self, v: char) -> Result<(), JsonError> {
        string(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), JsonError> {
        string(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Result<(), JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit(self) -> Result<(), JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), JsonError> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, JsonError> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, JsonError> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests;
