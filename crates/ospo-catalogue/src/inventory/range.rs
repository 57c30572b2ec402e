//! Version ranges in each ecosystem's own syntax, for where-used questions: Cargo's requirements
//! (`^1.2, <1.5`), npm's ranges (`>=1.2.0 <2 || 3.x`, `1.2 - 1.4`), PEP 440 specifiers
//! (`>=2.0,!=2.1.*`) and Maven's ranges (`[1.0,2.0)`, `(,1.2],[1.5,)`).
//!
//! Cargo and npm ranges are read with the `semver` crate (npm's hyphen ranges, `||` and
//! space-separated comparators are rewritten to its syntax first); PEP 440 with `pep440_rs`;
//! Maven ranges by the rules of Maven's `VersionRange` and `ComparableVersion`.

use std::cmp::Ordering;
use std::str::FromStr;

/// A parsed version range of one ecosystem.
#[derive(Debug, Clone)]
pub enum VersionRange {
    /// Any version (no range given).
    Any,
    /// Exactly this version string.
    Exact(String),
    /// Cargo or npm: alternatives (`||`), each a semver requirement.
    Semver(Vec<semver::VersionReq>),
    /// PEP 440 specifiers.
    Pep440(pep440_rs::VersionSpecifiers),
    /// Maven: alternatives, each an interval.
    Maven(Vec<MavenInterval>),
}

/// One interval of a Maven range: bounds and whether each is included.
#[derive(Debug, Clone)]
pub struct MavenInterval {
    lower: Option<(String, bool)>,
    upper: Option<(String, bool)>,
}

/// Why a range could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("version range '{range}' for {ecosystem}: {message}")]
pub struct RangeError {
    /// The range as given.
    pub range: String,
    /// The ecosystem whose syntax was expected.
    pub ecosystem: String,
    /// What is wrong and what was expected.
    pub message: String,
}

/// The syntax a range is read in for an ecosystem (a purl type), if the inventory knows one.
pub fn syntax(ecosystem: &str) -> Option<&'static str> {
    Some(match ecosystem {
        "cargo" => "Cargo requirements, e.g. \"^1.2, <1.5\"",
        "npm" => "npm ranges, e.g. \">=1.2.0 <2 || 3.x\"",
        "pypi" => "PEP 440 specifiers, e.g. \">=2.0,<3\"",
        "maven" => "Maven ranges, e.g. \"[1.0,2.0)\"",
        "golang" => "Go module versions as Cargo requirements, e.g. \">=1.2.0, <1.5\"",
        _ => return None,
    })
}

impl VersionRange {
    /// Reads `range` in the syntax of `ecosystem`; `=VERSION` means that exact version in any
    /// ecosystem.
    pub fn parse(ecosystem: &str, range: &str) -> Result<VersionRange, RangeError> {
        let range = range.trim();
        let error = |message: String| RangeError {
            range: range.to_owned(),
            ecosystem: ecosystem.to_owned(),
            message,
        };
        if range.is_empty() || range == "*" {
            return Ok(VersionRange::Any);
        }
        // `=VERSION` is that version in every ecosystem; `==VERSION` too, except in PEP 440
        // where `==` has its own meaning (`==2.1.*`).
        let exact = match range.strip_prefix("==") {
            Some(rest) if ecosystem != "pypi" => Some(rest),
            Some(_) => None,
            None => range.strip_prefix('='),
        };
        if let Some(exact) = exact
            && !exact.trim().is_empty()
            && !exact.contains([',', ' ', '|', '<', '>', '*'])
        {
            return Ok(VersionRange::Exact(exact.trim().to_owned()));
        }
        match ecosystem {
            "cargo" | "golang" => semver::VersionReq::parse(range)
                .map(|r| VersionRange::Semver(vec![r]))
                .map_err(|e| error(format!("{e}; expected {}", syntax(ecosystem).unwrap_or("")))),
            "npm" => npm(range)
                .map(VersionRange::Semver)
                .map_err(|e| error(format!("{e}; expected {}", syntax("npm").unwrap_or("")))),
            "pypi" => pep440_rs::VersionSpecifiers::from_str(range)
                .map(VersionRange::Pep440)
                .map_err(|e| error(format!("{e}; expected {}", syntax("pypi").unwrap_or("")))),
            "maven" => maven(range).map(VersionRange::Maven).map_err(error),
            _ => Err(error(
                "the inventory knows no range syntax for this ecosystem; give an exact version as \"=VERSION\", or use one of cargo, npm, pypi, maven, golang".to_owned(),
            )),
        }
    }

    /// Whether `version` (as the ecosystem writes it) is in the range. A version the syntax
    /// cannot read is outside every range but `Any` and an equal `Exact`.
    pub fn contains(&self, version: &str) -> bool {
        match self {
            VersionRange::Any => true,
            VersionRange::Exact(v) => v == version,
            VersionRange::Semver(alternatives) => {
                let version = version.trim().trim_start_matches(['v', '=']);
                let Ok(v) = semver::Version::parse(version) else {
                    return false;
                };
                alternatives.iter().any(|r| r.matches(&v))
            }
            VersionRange::Pep440(specifiers) => {
                pep440_rs::Version::from_str(version.trim()).is_ok_and(|v| specifiers.contains(&v))
            }
            VersionRange::Maven(intervals) => {
                intervals.iter().any(|i| {
                    let lower = i.lower.as_ref().is_none_or(|(b, inclusive)| {
                        match maven_compare(version, b) {
                            Ordering::Greater => true,
                            Ordering::Equal => *inclusive,
                            Ordering::Less => false,
                        }
                    });
                    let upper = i.upper.as_ref().is_none_or(|(b, inclusive)| {
                        match maven_compare(version, b) {
                            Ordering::Less => true,
                            Ordering::Equal => *inclusive,
                            Ordering::Greater => false,
                        }
                    });
                    lower && upper
                })
            }
        }
    }
}

/// npm's range grammar rewritten to `semver` requirements: `||` alternatives, hyphen ranges
/// (`1.2 - 1.4` is `>=1.2, <=1.4`), comparators separated by spaces.
fn npm(range: &str) -> Result<Vec<semver::VersionReq>, semver::Error> {
    range
        .split("||")
        .map(|alternative| {
            let alternative = alternative.trim();
            let text = if let Some((low, high)) = alternative.split_once(" - ") {
                format!(">={}, <={}", low.trim(), high.trim())
            } else if alternative.is_empty() {
                "*".to_owned()
            } else {
                // Glue operators to their versions (`>= 1.2` is one comparator), then join
                // comparators with commas.
                let mut parts: Vec<String> = Vec::new();
                for token in alternative.split_whitespace() {
                    match parts.last_mut() {
                        Some(last) if last.chars().all(|c| "<>=~^".contains(c)) => {
                            last.push_str(token)
                        }
                        _ => parts.push(token.to_owned()),
                    }
                }
                parts.join(", ")
            };
            semver::VersionReq::parse(&text)
        })
        .collect()
}

/// Maven's range syntax: `[1.0]`, `[1.0,2.0)`, `(,1.0]`, `[1.5,)`, intervals joined by commas;
/// a bare version is taken as exactly that version (where-used asks what is there, not what
/// Maven would pick).
fn maven(range: &str) -> Result<Vec<MavenInterval>, String> {
    if !range.starts_with(['[', '(']) {
        if range.contains([',', ']', ')', '^', '~', '<', '>', '*', '|', ' ']) {
            return Err(
                "expected a Maven range such as \"[1.0,2.0)\", \"(,1.2]\" or \"[1.5,)\"".into(),
            );
        }
        let exact = Some((range.to_owned(), true));
        return Ok(vec![MavenInterval {
            lower: exact.clone(),
            upper: exact,
        }]);
    }
    let mut out = Vec::new();
    let mut rest = range;
    while !rest.is_empty() {
        let open = rest.chars().next().unwrap_or(' ');
        if !matches!(open, '[' | '(') {
            return Err(format!(
                "expected '[' or '(' at \"{rest}\": intervals are joined by commas, e.g. \"(,1.0],[1.2,)\""
            ));
        }
        let Some(close_at) = rest.find([']', ')']) else {
            return Err(format!("\"{rest}\" has no closing ']' or ')'"));
        };
        let close = rest[close_at..].chars().next().unwrap_or(')');
        let inner = &rest[1..close_at];
        let interval = match inner.split_once(',') {
            None => {
                if open != '[' || close != ']' || inner.trim().is_empty() {
                    return Err(format!(
                        "\"{}\": a single version must be written [VERSION]",
                        &rest[..=close_at]
                    ));
                }
                let exact = Some((inner.trim().to_owned(), true));
                MavenInterval {
                    lower: exact.clone(),
                    upper: exact,
                }
            }
            Some((low, high)) => {
                let (low, high) = (low.trim(), high.trim());
                if high.contains(',') {
                    return Err(format!("\"{inner}\": an interval has two bounds"));
                }
                MavenInterval {
                    lower: (!low.is_empty()).then(|| (low.to_owned(), open == '[')),
                    upper: (!high.is_empty()).then(|| (high.to_owned(), close == ']')),
                }
            }
        };
        if let (Some((l, _)), Some((h, _))) = (&interval.lower, &interval.upper)
            && maven_compare(l, h) == Ordering::Greater
        {
            return Err(format!("the lower bound {l} is above the upper bound {h}"));
        }
        out.push(interval);
        rest = rest[close_at + 1..].trim_start();
        if let Some(next) = rest.strip_prefix(',') {
            rest = next.trim_start();
            if rest.is_empty() {
                return Err("a trailing comma after the last interval".into());
            }
        } else if !rest.is_empty() {
            return Err(format!("unexpected \"{rest}\" after an interval"));
        }
    }
    Ok(out)
}

/// One item of a Maven version: a number or a qualifier.
#[derive(Debug, PartialEq, Eq)]
enum Item {
    Number(u64),
    Qualifier(String),
}

/// Maven's qualifier order (`ComparableVersion`): alpha < beta < milestone < rc < snapshot <
/// release < sp; unknown qualifiers come after all known ones, alphabetically.
fn qualifier_rank(q: &str) -> (u8, &str) {
    match q {
        "alpha" | "a" => (0, ""),
        "beta" | "b" => (1, ""),
        "milestone" | "m" => (2, ""),
        "rc" | "cr" => (3, ""),
        "snapshot" => (4, ""),
        "" | "ga" | "final" | "release" => (5, ""),
        "sp" => (6, ""),
        other => (7, other),
    }
}

fn maven_items(version: &str) -> Vec<Item> {
    let lower = version.trim().to_ascii_lowercase();
    let mut items = Vec::new();
    let mut current = String::new();
    let mut digits = false;
    let push = |current: &mut String, digits: bool, items: &mut Vec<Item>| {
        if current.is_empty() {
            return;
        }
        items.push(if digits {
            Item::Number(current.parse().unwrap_or(u64::MAX))
        } else {
            Item::Qualifier(std::mem::take(current))
        });
        current.clear();
    };
    for c in lower.chars() {
        if c == '.' || c == '-' || c == '_' {
            push(&mut current, digits, &mut items);
        } else {
            let is_digit = c.is_ascii_digit();
            if !current.is_empty() && is_digit != digits {
                push(&mut current, digits, &mut items);
            }
            digits = is_digit;
            current.push(c);
        }
    }
    push(&mut current, digits, &mut items);
    // Trailing zeros and release qualifiers do not count: 1.0 == 1 == 1.0.0-ga.
    while matches!(items.last(), Some(Item::Number(0)))
        || matches!(items.last(), Some(Item::Qualifier(q)) if qualifier_rank(q).0 == 5)
    {
        items.pop();
    }
    items
}

/// Compares two Maven versions as Maven's `ComparableVersion` does (simplified: items are
/// compared in order; a number beats a qualifier; a missing item counts as zero / release).
pub fn maven_compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (maven_items(a), maven_items(b));
    for i in 0..a.len().max(b.len()) {
        let ord = match (a.get(i), b.get(i)) {
            (Some(Item::Number(x)), Some(Item::Number(y))) => x.cmp(y),
            (Some(Item::Number(x)), None) => x.cmp(&0),
            (None, Some(Item::Number(y))) => 0.cmp(y),
            (Some(Item::Number(_)), Some(Item::Qualifier(_))) => Ordering::Greater,
            (Some(Item::Qualifier(_)), Some(Item::Number(_))) => Ordering::Less,
            (Some(Item::Qualifier(x)), Some(Item::Qualifier(y))) => {
                qualifier_rank(x).cmp(&qualifier_rank(y))
            }
            (Some(Item::Qualifier(x)), None) => qualifier_rank(x).cmp(&(5, "")),
            (None, Some(Item::Qualifier(y))) => (5, "").cmp(&qualifier_rank(y)),
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(eco: &str, range: &str, version: &str) -> bool {
        VersionRange::parse(eco, range).unwrap().contains(version)
    }

    #[test]
    fn each_ecosystem_reads_its_own_syntax() {
        assert!(within("cargo", "^1.0.100", "1.0.210"));
        assert!(!within("cargo", "^1.0.100", "2.0.0"));
        assert!(within("cargo", ">=0.7, <0.9", "0.8.1"));
        assert!(within("npm", ">=1.2.0 <2 || 3.x", "3.4.0"));
        assert!(within("npm", ">= 1.2.0 < 2", "1.9.9"));
        assert!(!within("npm", ">=1.2.0 <2 || 3.x", "2.1.0"));
        assert!(within("npm", "1.2 - 1.4", "1.3.5"));
        assert!(within("pypi", ">=2.0,!=2.1.*", "2.2.0"));
        assert!(!within("pypi", ">=2.0,!=2.1.*", "2.1.3"));
        assert!(within("pypi", "~=2.31", "2.32.3"));
        assert!(within("maven", "[1.0,2.0)", "1.9.9"));
        assert!(!within("maven", "[1.0,2.0)", "2.0"));
        assert!(within("maven", "(,1.0],[1.2,)", "1.2.0"));
        assert!(!within("maven", "(,1.0],[1.2,)", "1.1"));
        assert!(within("maven", "[2.14.0,2.17.1)", "2.16.0"));
        assert!(!within("maven", "[2.14.0,2.17.1)", "2.17.1"));
        assert!(within("maven", "[1.0]", "1.0.0"));
        assert!(within("maven", "2.0.0-rc1", "2.0.0-rc1"));
        assert!(within("golang", ">=1.2.0, <1.5", "v1.3.0"));
        assert!(within("gem", "=7.0.1", "7.0.1"));
        assert!(within("pypi", "=2.32.3", "2.32.3"), "a purl's version");
        assert!(within("pypi", "==2.32.*", "2.32.3"));
        assert!(within("anything", "", "whatever"));
    }

    #[test]
    fn maven_orders_qualifiers_as_maven_does() {
        assert_eq!(maven_compare("1.0-alpha-1", "1.0-beta"), Ordering::Less);
        assert_eq!(maven_compare("1.0-rc1", "1.0"), Ordering::Less);
        assert_eq!(maven_compare("1.0-SNAPSHOT", "1.0"), Ordering::Less);
        assert_eq!(maven_compare("1.0", "1.0.0.Final"), Ordering::Equal);
        assert_eq!(maven_compare("1.0-sp1", "1.0"), Ordering::Greater);
        assert_eq!(maven_compare("1.10", "1.9"), Ordering::Greater);
    }

    #[test]
    fn a_range_in_the_wrong_syntax_says_which_syntax_was_expected() {
        let e = VersionRange::parse("maven", "[1.0,2.0")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no closing"), "{e}");
        let e = VersionRange::parse("maven", "[2.0,1.0]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("above the upper bound"), "{e}");
        let e = VersionRange::parse("maven", "^2.10")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected a Maven range"), "{e}");
        let e = VersionRange::parse("pypi", "^1.2").unwrap_err().to_string();
        assert!(e.contains("PEP 440"), "{e}");
        let e = VersionRange::parse("cargo", "[1.0,2.0)")
            .unwrap_err()
            .to_string();
        assert!(e.contains("Cargo requirements"), "{e}");
        let e = VersionRange::parse("gem", "~> 7.0")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no range syntax") && e.contains("gem"), "{e}");
    }
}
