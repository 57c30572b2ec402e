//! Where a value is in the text: the line and column of a path, for error messages, and the
//! path of the value at a line and column, for errors that serde reports by position only.
//!
//! Both are only computed when a file is refused, so they may read the whole text again.

use std::fmt;
use std::ops::ControlFlow;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::error::Position;
use super::tree::{Path, Seg};

/// The line and column (from 1, the column in characters) of byte `offset`.
pub(crate) fn position_at(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// The byte offset of a 1-based line and byte column, as serde_json reports them.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// Removes the " at line L column C" that serde's messages carry, since the error shows the
/// position in front.
pub(crate) fn strip_position(message: &str) -> String {
    let Some(at) = message.find(" at line ") else {
        return message.to_owned();
    };
    let rest = &message[at + " at line ".len()..];
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let line_len = digits(rest);
    let Some(after_line) = rest[line_len..].strip_prefix(" column ") else {
        return message.to_owned();
    };
    let column_len = digits(after_line);
    if line_len == 0 || column_len == 0 {
        return message.to_owned();
    }
    format!("{}{}", &message[..at], &after_line[column_len..])
}

// ---------------------------------------------------------------------------------------------
// JSON: a scanner that reports the span of every value with its path.

struct JsonScan<'t, F> {
    text: &'t str,
    bytes: &'t [u8],
    i: usize,
    path: Vec<Seg>,
    visit: F,
}

impl<F: FnMut(&[Seg], usize, usize) -> ControlFlow<()>> JsonScan<'_, F> {
    fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    fn string(&mut self) -> ControlFlow<()> {
        self.i += 1;
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return ControlFlow::Continue(());
                }
                _ => self.i += 1,
            }
        }
        ControlFlow::Break(())
    }

    fn value(&mut self) -> ControlFlow<()> {
        self.skip_ws();
        let start = self.i;
        match self.bytes.get(self.i) {
            None => return ControlFlow::Break(()),
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.i) {
                        Some(b'}') => {
                            self.i += 1;
                            break;
                        }
                        Some(b'"') => {
                            let key_start = self.i;
                            self.string()?;
                            let raw = &self.text[key_start..self.i];
                            let key = serde_json::from_str::<String>(raw)
                                .unwrap_or_else(|_| raw.trim_matches('"').to_owned());
                            self.skip_ws();
                            if self.bytes.get(self.i) != Some(&b':') {
                                return ControlFlow::Break(());
                            }
                            self.i += 1;
                            self.path.push(Seg::Key(key));
                            let flow = self.value();
                            self.path.pop();
                            flow?;
                            self.skip_ws();
                            match self.bytes.get(self.i) {
                                Some(b',') => self.i += 1,
                                Some(b'}') => {
                                    self.i += 1;
                                    break;
                                }
                                _ => return ControlFlow::Break(()),
                            }
                        }
                        _ => return ControlFlow::Break(()),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                self.skip_ws();
                if self.bytes.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    let mut index = 0;
                    loop {
                        self.path.push(Seg::Index(index));
                        let flow = self.value();
                        self.path.pop();
                        flow?;
                        index += 1;
                        self.skip_ws();
                        match self.bytes.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return ControlFlow::Break(()),
                        }
                    }
                }
            }
            Some(b'"') => self.string()?,
            Some(_) => {
                while let Some(b) = self.bytes.get(self.i) {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.i += 1;
                }
                if self.i == start {
                    return ControlFlow::Break(());
                }
            }
        }
        (self.visit)(&self.path, start, self.i)
    }
}

fn scan_json(text: &str, visit: impl FnMut(&[Seg], usize, usize) -> ControlFlow<()>) {
    let mut scan = JsonScan {
        text,
        bytes: text.as_bytes(),
        i: 0,
        path: Vec::new(),
        visit,
    };
    let _ = scan.value();
}

/// Where the value at `path` starts in JSON `text`; for a missing value, where its closest
/// present parent starts.
pub(crate) fn json_position(text: &str, path: &Path) -> Option<Position> {
    let target = path.segs();
    let mut best: Option<(usize, usize)> = None;
    scan_json(text, |segs, start, _| {
        if target.starts_with(segs) && best.is_none_or(|(len, _)| segs.len() > len) {
            best = Some((segs.len(), start));
            if segs.len() == target.len() {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    });
    best.map(|(_, start)| position_at(text, start))
}

/// The path of the innermost value at (or just after) a line and byte column of JSON `text`.
pub(crate) fn json_path_at(text: &str, line: usize, column: usize) -> Path {
    let offset = offset_of(text, line, column.max(1));
    let gap_ok = |from: usize, to: usize| {
        text.get(from..to)
            .is_some_and(|gap| gap.bytes().all(|b| b" \t\r\n:".contains(&b)))
    };
    let mut best: Vec<Seg> = Vec::new();
    scan_json(text, |segs, start, end| {
        let here = (start <= offset && offset < end) || (start > offset && gap_ok(offset, start));
        if here && segs.len() >= best.len() {
            best = segs.to_vec();
        }
        // Spans come children first, so a container that starts before the offset is only
        // seen after all its children: read to the end.
        ControlFlow::Continue(())
    });
    Path::from_segs(best)
}

// ---------------------------------------------------------------------------------------------
// YAML: walk to the path with serde_norway and stop there with an error, which the parser
// marks with the position of the value it was reading.

const HERE: &str = "ospo-locate-here";

struct Seek<'p>(&'p [Seg]);

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if let Some((Seg::Key(wanted), rest)) = self.0.split_first() {
            while let Some(key) = map.next_key::<Key>()? {
                if key.0 == *wanted {
                    map.next_value_seed(Seek(rest))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Err(de::Error::custom(HERE))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if let Some((Seg::Index(wanted), rest)) = self.0.split_first() {
            let mut index = 0;
            loop {
                let more = if index == *wanted {
                    seq.next_element_seed(Seek(rest))?.is_some()
                } else {
                    seq.next_element::<IgnoredAny>()?.is_some()
                };
                if !more {
                    break;
                }
                index += 1;
            }
        }
        Err(de::Error::custom(HERE))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(HERE))
    }
}

/// A map key of any scalar type, as text.
struct Key(String);

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key("null".to_owned()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// Where the value at `path` starts in YAML `text`; for a missing value, where its closest
/// present parent starts.
pub(crate) fn yaml_position(text: &str, path: &Path) -> Option<Position> {
    let deserializer = serde_norway::Deserializer::from_str(text);
    match Seek(path.segs()).deserialize(deserializer) {
        Err(e) => e.location().map(|l| Position {
            line: l.line(),
            column: l.column(),
        }),
        Ok(()) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Path {
        // `a.b[2].c` → segments, for the tests only.
        let mut segs = Vec::new();
        for part in text.split('.') {
            let (key, indices) = part.split_once('[').map_or((part, ""), |(k, i)| (k, i));
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_owned()));
            }
            for index in indices.split('[').filter(|i| !i.is_empty()) {
                segs.push(Seg::Index(index.trim_end_matches(']').parse().unwrap()));
            }
        }
        Path::from_segs(segs)
    }

    #[test]
    fn yaml_values_are_found_by_path() {
        let text = "tags:\n  - a\nprojects:\n  - id: x\n  - id: y\n    compatibles: 5\n";
        let at = |p: &str| yaml_position(text, &path(p)).map(|p| (p.line, p.column));
        assert_eq!(at("projects[1].compatibles"), Some((6, 18)));
        assert_eq!(at("projects[1].id"), Some((5, 9)));
        assert_eq!(at("projects[1]"), Some((5, 5)));
        // Missing: the closest parent.
        assert_eq!(at("projects[1].name"), Some((5, 5)));
    }

    #[test]
    fn json_values_are_found_by_path_and_paths_by_position() {
        let text = "[\n  {\"name\": \"a\", \"topics\": [\"x\", 7]},\n  {\"name\": \"b\"}\n]";
        let at = |p: &str| json_position(text, &path(p)).map(|p| (p.line, p.column));
        assert_eq!(at("[0].topics[1]"), Some((2, 33)));
        assert_eq!(at("[1]"), Some((3, 3)));
        assert_eq!(at("[1].missing"), Some((3, 3)));
        assert_eq!(json_path_at(text, 2, 33).to_string(), "[0].topics[1]");
        assert_eq!(
            json_path_at(text, 2, 35).to_string(),
            "[0]",
            "the closing brace"
        );
        assert_eq!(json_path_at(text, 2, 13).to_string(), "[0].name");
        // A position on the blank just before a list means the list, however long it is.
        assert_eq!(json_path_at(text, 2, 26).to_string(), "[0].topics");
        let long = format!("{{\"a\": 1, \"b\": [{}1]}}", "12345678, ".repeat(50));
        assert_eq!(json_path_at(&long, 1, 14).to_string(), "b");
    }

    #[test]
    fn positions_count_characters_and_messages_lose_their_position() {
        assert_eq!(position_at("é\nab", 4), Position { line: 2, column: 2 });
        assert_eq!(
            strip_position("did not find expected ',' at line 2 column 2, while parsing"),
            "did not find expected ',', while parsing"
        );
        assert_eq!(strip_position("EOF while parsing"), "EOF while parsing");
    }
}
