//! SPDX licence expressions: a strict parser (SPDX 2.3 Annex D) and a lenient one for the
//! strings found in real metadata, with errors that point at the offending position.

use crate::aliases;
use crate::error::ParseError;
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::OnceLock;

/// A licence on the SPDX list (wraps the `spdx` crate's identifier).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LicenceId(pub(crate) spdx::LicenseId);

impl LicenceId {
    /// Looks up an SPDX licence id, exactly or ignoring ASCII case.
    pub fn find(name: &str) -> Option<LicenceId> {
        if let Some(id) = exact_licences().get(name) {
            return Some(LicenceId(*id));
        }
        let table = lowercase_licences();
        let lower = name.to_ascii_lowercase();
        table
            .binary_search_by(|(n, _)| n.as_str().cmp(lower.as_str()))
            .ok()
            .and_then(|i| spdx::license_id(table[i].1))
            .map(LicenceId)
    }

    /// The SPDX short identifier.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The full name on the SPDX list.
    pub fn full_name(self) -> &'static str {
        self.0.full_name
    }

    /// Position in the SPDX list (stable within one list version).
    pub fn index(self) -> usize {
        self.0.index
    }

    /// Whether the SPDX list marks the id deprecated.
    pub fn is_deprecated(self) -> bool {
        self.0.is_deprecated()
    }

    /// Every licence on the SPDX list.
    pub fn all() -> impl Iterator<Item = LicenceId> {
        spdx::identifiers::LICENSES
            .iter()
            .filter_map(|l| spdx::license_id(l.name).map(LicenceId))
    }
}

impl fmt::Debug for LicenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for LicenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An exception on the SPDX list.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExceptionId(pub(crate) spdx::ExceptionId);

impl ExceptionId {
    /// Looks up an SPDX exception id, exactly or ignoring ASCII case.
    pub fn find(name: &str) -> Option<ExceptionId> {
        if let Some(id) = spdx::exception_id(name) {
            return Some(ExceptionId(id));
        }
        let lower = name.to_ascii_lowercase();
        spdx::identifiers::EXCEPTIONS
            .iter()
            .find(|e| e.name.to_ascii_lowercase() == lower)
            .and_then(|e| spdx::exception_id(e.name))
            .map(ExceptionId)
    }

    /// The SPDX short identifier.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// Every exception on the SPDX list.
    pub fn all() -> impl Iterator<Item = ExceptionId> {
        spdx::identifiers::EXCEPTIONS
            .iter()
            .filter_map(|e| spdx::exception_id(e.name).map(ExceptionId))
    }
}

impl fmt::Debug for ExceptionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A hasher for short identifiers (FNV-1a): the keys are the SPDX list's own ids, so no
/// protection against chosen collisions is needed, and it is several times faster than SipHash.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type IdMap<V> = std::collections::HashMap<&'static str, V, std::hash::BuildHasherDefault<IdHasher>>;

/// Exact SPDX licence ids -> the `spdx` crate's identifiers.
fn exact_licences() -> &'static IdMap<spdx::LicenseId> {
    static TABLE: OnceLock<IdMap<spdx::LicenseId>> = OnceLock::new();
    TABLE.get_or_init(|| {
        spdx::identifiers::LICENSES
            .iter()
            .filter_map(|l| spdx::license_id(l.name).map(|id| (l.name, id)))
            .collect()
    })
}

fn lowercase_licences() -> &'static [(String, &'static str)] {
    static TABLE: OnceLock<Vec<(String, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v: Vec<(String, &'static str)> = spdx::identifiers::LICENSES
            .iter()
            .map(|l| (l.name.to_ascii_lowercase(), l.name))
            .collect();
        v.sort();
        v
    })
}

/// The licence named by a term: on the SPDX list, or a `LicenseRef-`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LicenceName {
    /// A licence on the SPDX list.
    Spdx(LicenceId),
    /// A `LicenseRef-…` (optionally `DocumentRef-…:LicenseRef-…`).
    Ref(String),
}

impl LicenceName {
    /// The identifier as written in canonical form.
    pub fn as_str(&self) -> &str {
        match self {
            LicenceName::Spdx(id) => id.name(),
            LicenceName::Ref(r) => r,
        }
    }
}

/// The exception named after `WITH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExceptionName {
    /// An exception on the SPDX list.
    Spdx(ExceptionId),
    /// An `AdditionRef-…`.
    Ref(String),
}

impl ExceptionName {
    /// The identifier as written in canonical form.
    pub fn as_str(&self) -> &str {
        match self {
            ExceptionName::Spdx(id) => id.name(),
            ExceptionName::Ref(r) => r,
        }
    }
}

/// One licence in an expression: `ID[+] [WITH EXCEPTION]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The licence.
    pub licence: LicenceName,
    /// A trailing `+`: this version or any later one (GNU ids carry it in `-or-later` instead).
    pub or_later: bool,
    /// The exception after `WITH`.
    pub exception: Option<ExceptionName>,
}

impl Term {
    /// A term of a plain SPDX licence.
    pub fn licence(id: LicenceId) -> Term {
        Term {
            licence: LicenceName::Spdx(id),
            or_later: false,
            exception: None,
        }
    }

    /// The SPDX licence, if the term names one.
    pub fn spdx(&self) -> Option<LicenceId> {
        match self.licence {
            LicenceName::Spdx(id) => Some(id),
            LicenceName::Ref(_) => None,
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.licence.as_str())?;
        if self.or_later {
            f.write_str("+")?;
        }
        if let Some(e) = &self.exception {
            write!(f, " WITH {}", e.as_str())?;
        }
        Ok(())
    }
}

impl Serialize for Term {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A parsed licence expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expression {
    /// A single licence.
    Term(Term),
    /// All of these apply (conjunctive licensing).
    And(Vec<Expression>),
    /// The recipient may choose any one of these (disjunctive licensing).
    Or(Vec<Expression>),
}

/// A note about how a lenient string was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Warning {
    /// Byte offset in the input where the reading applies.
    pub offset: usize,
    /// What was written.
    pub found: String,
    /// How it was read.
    pub read_as: String,
    /// Why, in plain words.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' read as '{}': {}",
            self.found, self.read_as, self.message
        )
    }
}

/// How strictly to read an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// SPDX 2.3 Annex D: case-insensitive ids, upper-case operators; deprecated ids are
    /// accepted and read as their current equivalent with a warning.
    Strict,
    /// Real-world strings: lower-case operators, `/` and `,` separators, licence names,
    /// URLs and common misspellings, each mapping reported as a warning.
    Lenient,
}

impl Expression {
    /// Parses a strict SPDX expression.
    pub fn parse(text: &str) -> Result<Expression, ParseError> {
        Self::parse_with(text, Mode::Strict).map(|(e, _)| e)
    }

    /// Parses in the given mode; returns the expression and how lenient input was read.
    pub fn parse_with(text: &str, mode: Mode) -> Result<(Expression, Vec<Warning>), ParseError> {
        let mut warnings = Vec::new();
        if mode == Mode::Lenient
            && let Some((expr, w)) = aliases::whole(text)
        {
            warnings.push(w);
            return Ok((expr, warnings));
        }
        let tokens = lex(text, mode)?;
        let mut p = Parser {
            depth: 0,
            text,
            tokens,
            pos: 0,
            mode,
            warnings,
        };
        let expr = p.or_expr()?;
        if let Some(tok) = p.tokens.get(p.pos) {
            return Err(p.error_at(
                tok.start,
                tok.end,
                "expected AND, OR or the end of the expression",
            ));
        }
        Ok((expr, p.warnings))
    }

    /// Joins several expressions with AND, bracketing those that contain a top-level OR.
    pub fn join_and(items: &[Expression]) -> String {
        if items.len() == 1 {
            return items[0].to_string();
        }
        items
            .iter()
            .map(|e| match e {
                Expression::Or(_) => format!("({e})"),
                _ => e.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// Every term, left to right.
    pub fn terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        self.collect_terms(&mut out);
        out
    }

    fn collect_terms<'a>(&'a self, out: &mut Vec<&'a Term>) {
        match self {
            Expression::Term(t) => out.push(t),
            Expression::And(v) | Expression::Or(v) => v.iter().for_each(|e| e.collect_terms(out)),
        }
    }

    /// Whether the expression contains an OR.
    pub fn has_choice(&self) -> bool {
        match self {
            Expression::Term(_) => false,
            Expression::Or(_) => true,
            Expression::And(v) => v.iter().any(Expression::has_choice),
        }
    }

    fn fmt_inner(&self, f: &mut fmt::Formatter<'_>, parent_and: bool) -> fmt::Result {
        match self {
            Expression::Term(t) => write!(f, "{t}"),
            Expression::And(v) => join(f, v, " AND ", true),
            Expression::Or(v) if parent_and => {
                f.write_str("(")?;
                join(f, v, " OR ", false)?;
                f.write_str(")")
            }
            Expression::Or(v) => join(f, v, " OR ", false),
        }
    }
}

fn join(f: &mut fmt::Formatter<'_>, v: &[Expression], sep: &str, and: bool) -> fmt::Result {
    for (i, e) in v.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        e.fmt_inner(f, and)?;
    }
    Ok(())
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_inner(f, false)
    }
}

impl Serialize for Expression {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Expression {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Expression".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An SPDX licence expression (SPDX specification 2.3, annex D), normalised",
            "examples": ["MIT OR Apache-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0"]
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    And,
    Or,
    With,
    Open,
    Close,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

fn is_word_byte(b: u8, mode: Mode) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(b, b'-' | b'.' | b'+' | b':')
        || (mode == Mode::Lenient
            && matches!(
                b,
                b'_' | b'/' | b'\'' | b'"' | b'~' | b'%' | b'#' | b'?' | b'=' | b'&'
            ))
        || (mode == Mode::Lenient && b >= 0x80)
}

fn lex(text: &str, mode: Mode) -> Result<Vec<Token>, ParseError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 6 + 4);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind = match b {
            b'(' => {
                i += 1;
                Kind::Open
            }
            b')' => {
                i += 1;
                Kind::Close
            }
            b',' | b';' | b'|' if mode == Mode::Lenient => {
                i += 1;
                if b == b'|' && bytes.get(i) == Some(&b'|') {
                    i += 1;
                }
                if b == b'|' { Kind::Or } else { Kind::And }
            }
            b'&' if mode == Mode::Lenient => {
                i += 1;
                if bytes.get(i) == Some(&b'&') {
                    i += 1;
                }
                Kind::And
            }
            _ if is_word_byte(b, mode) => {
                while i < bytes.len() && is_word_byte(bytes[i], mode) {
                    i += 1;
                }
                let word = &text[start..i];
                match word {
                    "AND" => Kind::And,
                    "OR" => Kind::Or,
                    "WITH" => Kind::With,
                    "/" if mode == Mode::Lenient => Kind::Or,
                    _ if mode == Mode::Lenient && word.eq_ignore_ascii_case("and") => Kind::And,
                    _ if mode == Mode::Lenient && word.eq_ignore_ascii_case("or") => Kind::Or,
                    _ if mode == Mode::Lenient && word.eq_ignore_ascii_case("with") => Kind::With,
                    _ if mode == Mode::Lenient && word.contains('/') && !word.contains("://") => {
                        // "MIT/Apache-2.0": split on the slash, an OR.
                        let mut s = start;
                        for (k, part) in word.split('/').enumerate() {
                            if k > 0 {
                                tokens.push(Token {
                                    kind: Kind::Or,
                                    start: s - 1,
                                    end: s,
                                });
                            }
                            if !part.is_empty() {
                                tokens.push(Token {
                                    kind: Kind::Word,
                                    start: s,
                                    end: s + part.len(),
                                });
                            }
                            s += part.len() + 1;
                        }
                        continue;
                    }
                    _ => Kind::Word,
                }
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                return Err(ParseError::new(
                    text,
                    i,
                    i + ch.len_utf8(),
                    format!("unexpected character '{ch}'"),
                    None,
                ));
            }
        };
        tokens.push(Token {
            kind,
            start,
            end: i,
        });
    }
    Ok(tokens)
}

/// How deeply brackets may nest: real expressions use two or three levels.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    depth: usize,
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    mode: Mode,
    warnings: Vec<Warning>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<Kind> {
        self.tokens.get(self.pos).map(|t| t.kind)
    }

    fn error_at(&self, start: usize, end: usize, msg: &str) -> ParseError {
        ParseError::new(self.text, start, end, msg.to_owned(), None)
    }

    fn error_end(&self, msg: &str) -> ParseError {
        let n = self.text.len();
        ParseError::new(self.text, n, n, msg.to_owned(), None)
    }

    fn or_expr(&mut self) -> Result<Expression, ParseError> {
        let first = self.and_expr()?;
        if self.peek() != Some(Kind::Or) {
            return Ok(first);
        }
        let mut items = Vec::with_capacity(4);
        items.push(first);
        while self.peek() == Some(Kind::Or) {
            self.pos += 1;
            let next = self.and_expr()?;
            match next {
                Expression::Or(v) => items.extend(v),
                e => items.push(e),
            }
        }
        Ok(Expression::Or(items))
    }

    fn and_expr(&mut self) -> Result<Expression, ParseError> {
        let first = self.primary()?;
        if self.peek() != Some(Kind::And) {
            return Ok(first);
        }
        let mut items = Vec::with_capacity(8);
        items.push(first);
        while self.peek() == Some(Kind::And) {
            self.pos += 1;
            match self.primary()? {
                Expression::And(v) => items.extend(v),
                e => items.push(e),
            }
        }
        Ok(Expression::And(items))
    }

    fn primary(&mut self) -> Result<Expression, ParseError> {
        let Some(tok) = self.tokens.get(self.pos).copied() else {
            return Err(
                self.error_end("expected a licence identifier or '(' but the expression ends here")
            );
        };
        match tok.kind {
            Kind::Open => {
                self.pos += 1;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error_at(
                        tok.start,
                        tok.end,
                        &format!("brackets nest deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let inner = self.or_expr()?;
                self.depth -= 1;
                match self.tokens.get(self.pos) {
                    Some(t) if t.kind == Kind::Close => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    Some(t) => Err(self.error_at(
                        t.start,
                        t.end,
                        "expected ')' to close the '(' opened earlier",
                    )),
                    None => Err(ParseError::new(
                        self.text,
                        tok.start,
                        tok.end,
                        "this '(' is never closed".to_owned(),
                        None,
                    )),
                }
            }
            Kind::Word => self.term(),
            Kind::Close => Err(self.error_at(
                tok.start,
                tok.end,
                "unexpected ')': expected a licence identifier",
            )),
            Kind::And | Kind::Or | Kind::With => Err(self.error_at(
                tok.start,
                tok.end,
                "expected a licence identifier before this operator",
            )),
        }
    }

    /// Reads consecutive words (lenient mode joins them: "Apache 2.0", "BSD License").
    fn words(&mut self) -> (usize, usize) {
        let tok = self.tokens[self.pos];
        let (start, mut end) = (tok.start, tok.end);
        self.pos += 1;
        if self.mode == Mode::Lenient {
            while let Some(t) = self.tokens.get(self.pos) {
                if t.kind != Kind::Word {
                    break;
                }
                end = t.end;
                self.pos += 1;
            }
        }
        (start, end)
    }

    fn term(&mut self) -> Result<Expression, ParseError> {
        let (start, end) = self.words();
        let word = &self.text[start..end];
        let mut term = self.licence(word, start, end)?;
        if self.peek() == Some(Kind::With) {
            let with = self.tokens[self.pos];
            self.pos += 1;
            let Some(tok) = self
                .tokens
                .get(self.pos)
                .copied()
                .filter(|t| t.kind == Kind::Word)
            else {
                return Err(self.error_at(
                    with.start,
                    with.end,
                    "expected an exception identifier after WITH",
                ));
            };
            let (s, e) = self.words();
            let name = &self.text[s..e];
            let exception = self.exception(name, s, e, tok.start)?;
            if let Some(existing) = &term.exception {
                return Err(ParseError::new(
                    self.text,
                    s,
                    e,
                    format!(
                        "'{}' already carries the exception {}",
                        word,
                        existing.as_str()
                    ),
                    None,
                ));
            }
            term.exception = Some(exception);
        }
        Ok(Expression::Term(term))
    }

    fn exception(
        &mut self,
        name: &str,
        s: usize,
        e: usize,
        _tok: usize,
    ) -> Result<ExceptionName, ParseError> {
        if let Some(id) = ExceptionId::find(name) {
            if id.name() != name {
                self.note(
                    s,
                    name,
                    id.name(),
                    "exception identifiers are matched without regard to case",
                );
            }
            return Ok(ExceptionName::Spdx(id));
        }
        if is_ref(name, "AdditionRef-") {
            return Ok(ExceptionName::Ref(name.to_owned()));
        }
        let suggestion = aliases::closest_exception(name);
        Err(ParseError::new(
            self.text,
            s,
            e,
            format!("unknown exception identifier '{name}'"),
            suggestion,
        ))
    }

    fn note(&mut self, offset: usize, found: &str, read_as: &str, message: &str) {
        self.warnings.push(Warning {
            offset,
            found: found.to_owned(),
            read_as: read_as.to_owned(),
            message: message.to_owned(),
        });
    }

    fn licence(&mut self, word: &str, start: usize, end: usize) -> Result<Term, ParseError> {
        // Exact SPDX id (the fast path), with an optional '+'.
        let (base, plus) = match word.strip_suffix('+') {
            Some(b) if !b.is_empty() => (b, true),
            _ => (word, false),
        };
        if let Some(id) = LicenceId::find(base) {
            let mut term = Term::licence(id);
            term.or_later = plus;
            if id.name() != base {
                self.note(
                    start,
                    base,
                    id.name(),
                    "licence identifiers are matched without regard to case",
                );
            }
            if id.is_deprecated() || (plus && aliases::is_gnu_versioned(id)) {
                if let Some((t, why)) = aliases::deprecated(id, plus) {
                    let read = t.to_string();
                    self.note(start, word, &read, why);
                    return Ok(t);
                }
                self.note(
                    start,
                    word,
                    word,
                    "deprecated on the SPDX list; kept as written",
                );
            }
            return Ok(term);
        }
        if is_ref(base, "LicenseRef-") {
            return Ok(Term {
                licence: LicenceName::Ref(base.to_owned()),
                or_later: plus,
                exception: None,
            });
        }
        if self.mode == Mode::Lenient
            && let Some((term, why)) = aliases::lookup(word)
        {
            let read = term.to_string();
            self.note(start, word, &read, why);
            return Ok(term);
        }
        let suggestion = aliases::closest_licence(word);
        let msg = if word.contains(' ') {
            format!("unknown licence name '{word}'")
        } else {
            format!("unknown licence identifier '{word}'")
        };
        Err(ParseError::new(self.text, start, end, msg, suggestion))
    }
}

fn is_ref(word: &str, prefix: &str) -> bool {
    let local = match word.split_once(':') {
        Some((doc, rest)) if doc.starts_with("DocumentRef-") && doc.len() > 12 => rest,
        Some(_) => return false,
        None => word,
    };
    let bytes = local.as_bytes();
    bytes.len() > prefix.len()
        && bytes[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        && bytes[prefix.len()..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> String {
        Expression::parse(s)
            .map(|e| e.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    fn lenient(s: &str) -> String {
        Expression::parse_with(s, Mode::Lenient)
            .map(|(e, _)| e.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn precedence_and_brackets() {
        assert_eq!(
            show("MIT OR Apache-2.0 AND BSD-3-Clause"),
            "MIT OR Apache-2.0 AND BSD-3-Clause"
        );
        assert_eq!(
            show("(MIT OR Apache-2.0) AND BSD-3-Clause"),
            "(MIT OR Apache-2.0) AND BSD-3-Clause"
        );
        let e = Expression::parse("MIT OR Apache-2.0 AND BSD-3-Clause").unwrap();
        assert!(matches!(e, Expression::Or(ref v) if v.len() == 2));
        assert_eq!(
            show("GPL-2.0-or-later WITH Classpath-exception-2.0"),
            "GPL-2.0-or-later WITH Classpath-exception-2.0"
        );
        assert_eq!(
            show("LicenseRef-geant4 AND MIT"),
            "LicenseRef-geant4 AND MIT"
        );
        assert_eq!(
            show("DocumentRef-x:LicenseRef-y"),
            "DocumentRef-x:LicenseRef-y"
        );
    }

    #[test]
    fn deprecated_gnu_ids_are_read_as_current_ones() {
        assert_eq!(show("GPL-2.0+"), "GPL-2.0-or-later");
        assert_eq!(show("GPL-2.0"), "GPL-2.0-only");
        assert_eq!(show("LGPL-2.1+"), "LGPL-2.1-or-later");
        assert_eq!(
            show("GPL-2.0-with-classpath-exception"),
            "GPL-2.0-only WITH Classpath-exception-2.0"
        );
        assert_eq!(show("GPL-3.0-only+"), "GPL-3.0-or-later");
    }

    #[test]
    fn strict_mode_refuses_lower_case_operators_and_points_at_them() {
        let err = Expression::parse("mit or apache-2.0").unwrap_err();
        assert_eq!(err.offset, 4);
        assert!(err.to_string().contains("mit or apache-2.0"), "{err}");
    }

    #[test]
    fn lenient_mode_reads_real_world_strings() {
        assert_eq!(lenient("mit or apache-2.0"), "MIT OR Apache-2.0");
        assert_eq!(lenient("Apache 2.0"), "Apache-2.0");
        assert_eq!(lenient("MIT/Apache-2.0"), "MIT OR Apache-2.0");
        assert_eq!(lenient("gnu gpl v2"), "GPL-2.0-only");
        assert_eq!(lenient("GPL-2.0+"), "GPL-2.0-or-later");
    }

    #[test]
    fn unknown_ids_get_the_closest_suggestion() {
        let err = Expression::parse("Apache-2 OR MIT").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("Apache-2.0"));
        assert_eq!((err.offset, err.end), (0, 8));
        let err = Expression::parse("MIT AND GPL-3.0-onyl").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("GPL-3.0-only"));
        assert_eq!(err.column, 9);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}MIT{}", "(".repeat(5000), ")".repeat(5000));
        let err = Expression::parse(&deep).unwrap_err();
        assert!(err.message.contains("nest deeper"), "{err}");
        let ok = format!("{}MIT{}", "(".repeat(10), ")".repeat(10));
        assert!(Expression::parse(&ok).is_ok());
    }

    #[test]
    fn structural_errors_say_what_was_expected() {
        for (input, needle) in [
            ("", "ends here"),
            ("MIT AND", "ends here"),
            ("(MIT", "never closed"),
            ("MIT)", "expected AND, OR"),
            ("MIT WITH", "exception identifier after WITH"),
            ("AND MIT", "before this operator"),
            ("MIT WITH Nope-exception", "unknown exception"),
            ("MIT $ BSD", "unexpected character"),
        ] {
            let err = Expression::parse(input).unwrap_err().to_string();
            assert!(err.contains(needle), "{input:?}: {err}");
        }
    }
}
