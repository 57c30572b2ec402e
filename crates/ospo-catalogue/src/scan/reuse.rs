//! REUSE (<https://reuse.software/spec-3.3/>): `REUSE.toml` annotations, `.reuse/dep5`, and
//! the files the specification excludes from the "every file has copyright and licensing
//! information" rule.

use globset::{GlobBuilder, GlobMatcher};

/// How an annotation combines with what a file says itself (REUSE.toml `precedence`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Precedence {
    /// The file's own information, where it has some, else the annotation's (the default).
    Closest,
    /// Both.
    Aggregate,
    /// The annotation's only; the file is not read for tags.
    Override,
}

/// One `[[annotations]]` table of REUSE.toml, or one `Files:` paragraph of dep5.
#[derive(Clone, Debug)]
pub(crate) struct Annotation {
    /// The globs as written.
    pub paths: Vec<String>,
    matchers: Vec<GlobMatcher>,
    /// How it combines with the file's own information.
    pub precedence: Precedence,
    /// Copyright notices.
    pub copyrights: Vec<String>,
    /// Licence expressions.
    pub licences: Vec<String>,
    /// 1-based line of the annotation in its file.
    pub line: usize,
}

impl Annotation {
    /// Whether the annotation covers a path relative to the root.
    pub(crate) fn covers(&self, path: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(path))
    }
}

/// An annotation that applies to a file, and what of it: of several `closest` annotations
/// (nested REUSE.toml files), the deepest that gives a copyright gives the copyright, and the
/// deepest that gives a licence the licence.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Applied<'a> {
    /// The REUSE.toml or dep5 file.
    pub source: &'a str,
    pub annotation: &'a Annotation,
    pub copyrights: bool,
    pub licences: bool,
}

/// The REUSE.toml annotations that apply to `path` (relative to the root), as reuse-tool 6
/// applies nested files: each REUSE.toml in a folder above the file (its globs relative to that
/// folder) gives its last matching annotation, from the topmost file down; an `override` stops
/// the descent. `annotations` holds every annotation with the file it is from; dep5's are left
/// out.
pub(crate) fn applicable<'a>(
    annotations: &'a [(String, Annotation)],
    path: &str,
) -> Vec<Applied<'a>> {
    let mut files: Vec<(&str, &str)> = Vec::new();
    for (file, _) in annotations {
        let Some(dir) = file.strip_suffix("REUSE.toml") else {
            continue;
        };
        if (dir.is_empty() || dir.ends_with('/'))
            && path.starts_with(dir)
            && !files.iter().any(|(f, _)| *f == file.as_str())
        {
            files.push((file, dir));
        }
    }
    files.sort_by_key(|(_, dir)| dir.matches('/').count());
    let mut chain: Vec<Applied<'a>> = Vec::new();
    for (file, dir) in files {
        let relative = &path[dir.len()..];
        let last = annotations
            .iter()
            .rev()
            .find(|(f, a)| f == file && a.covers(relative));
        if let Some((source, annotation)) = last {
            chain.push(Applied {
                source,
                annotation,
                copyrights: true,
                licences: true,
            });
            if annotation.precedence == Precedence::Override {
                break;
            }
        }
    }
    let deepest = |has: fn(&Annotation) -> bool| {
        chain
            .iter()
            .rposition(|a| a.annotation.precedence == Precedence::Closest && has(a.annotation))
    };
    let copyright_from = deepest(|a| !a.copyrights.is_empty());
    let licence_from = deepest(|a| !a.licences.is_empty());
    for (i, a) in chain.iter_mut().enumerate() {
        if a.annotation.precedence == Precedence::Closest {
            a.copyrights = copyright_from == Some(i);
            a.licences = licence_from == Some(i);
        }
    }
    chain
}

/// Parses REUSE.toml; errors name the line.
pub(crate) fn parse_reuse_toml(text: &str) -> Result<Vec<Annotation>, String> {
    let t: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    match t.get("version").and_then(toml::Value::as_integer) {
        Some(1) => {}
        Some(v) => return Err(format!("version {v} is not supported (only 1)")),
        None => return Err("missing `version = 1`".to_owned()),
    }
    let Some(list) = t.get("annotations") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or("`annotations` must be an array of tables ([[annotations]])")?;
    let starts: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[annotations]]"))
        .map(|(i, _)| i + 1)
        .collect();
    let mut out = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let line = starts.get(i).copied().unwrap_or(1);
        let at = |m: &str| format!("annotation at line {line}: {m}");
        let a = a.as_table().ok_or_else(|| at("not a table"))?;
        let strings = |key: &str| -> Result<Vec<String>, String> {
            match a.get(key) {
                None => Ok(Vec::new()),
                Some(toml::Value::String(s)) => Ok(vec![s.clone()]),
                Some(toml::Value::Array(v)) => v
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| at(&format!("`{key}` holds a non-string")))
                    })
                    .collect(),
                Some(_) => Err(at(&format!(
                    "`{key}` must be a string or a list of strings"
                ))),
            }
        };
        let paths = strings("path")?;
        if paths.is_empty() {
            return Err(at("`path` is missing"));
        }
        let precedence = match a.get("precedence").and_then(toml::Value::as_str) {
            None | Some("closest") => Precedence::Closest,
            Some("aggregate") => Precedence::Aggregate,
            Some("override") => Precedence::Override,
            Some(p) => {
                return Err(at(&format!(
                    "precedence '{p}': use closest, aggregate or override"
                )));
            }
        };
        let matchers = paths
            .iter()
            .map(|p| glob(p, true).map_err(|e| at(&e)))
            .collect::<Result<_, _>>()?;
        out.push(Annotation {
            paths,
            matchers,
            precedence,
            copyrights: strings(concat!("SPDX-", "FileCopyrightText"))?,
            licences: strings(concat!("SPDX-", "License-Identifier"))?,
            line,
        });
    }
    Ok(out)
}

/// Parses `.reuse/dep5` (Debian copyright format 1.0); its paragraphs aggregate with what
/// files say (REUSE specification 3.3).
pub(crate) fn parse_dep5(text: &str) -> Result<Vec<Annotation>, String> {
    let mut out = Vec::new();
    let mut fields: Vec<(String, String, usize)> = Vec::new();
    let mut flush = |fields: &mut Vec<(String, String, usize)>| -> Result<(), String> {
        let get = |k: &str| fields.iter().find(|(f, _, _)| f.eq_ignore_ascii_case(k));
        if let Some((_, files, line)) = get("Files") {
            let paths: Vec<String> = files.split_whitespace().map(str::to_owned).collect();
            let matchers = paths
                .iter()
                .map(|p| glob(p, false).map_err(|e| format!("line {line}: {e}")))
                .collect::<Result<_, _>>()?;
            let copyrights = get("Copyright")
                .map(|(_, v, _)| {
                    v.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let licences = get("License")
                .and_then(|(_, v, _)| v.lines().next())
                .map(|l| vec![l.trim().to_owned()])
                .unwrap_or_default();
            out.push(Annotation {
                paths,
                matchers,
                precedence: Precedence::Aggregate,
                copyrights,
                licences,
                line: *line,
            });
        }
        fields.clear();
        Ok(())
    };
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            flush(&mut fields)?;
        } else if l.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.1.push('\n');
                last.1.push_str(l.trim());
            }
        } else if let Some((k, v)) = l.split_once(':') {
            fields.push((k.trim().to_owned(), v.trim().to_owned(), i + 1));
        } else {
            return Err(format!("line {}: expected `Field: value`", i + 1));
        }
    }
    flush(&mut fields)?;
    Ok(out)
}

/// A glob: in REUSE.toml `*` stops at `/` and `**` crosses it; in dep5 `*` crosses it.
fn glob(pattern: &str, literal_separator: bool) -> Result<GlobMatcher, String> {
    GlobBuilder::new(pattern)
        .literal_separator(literal_separator)
        .backslash_escape(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("path '{pattern}': {e}"))
}

/// Whether REUSE leaves a file out of its coverage check (reuse-tool's ignore patterns): licence
/// texts, `.license` companions, REUSE's own files, SPDX documents, and what is under
/// `LICENSES/` and `.reuse/`.
pub(crate) fn is_excluded(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let licence_file = ["LICENSE", "LICENCE", "COPYING"].iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|r| r.is_empty() || r.starts_with(['.', '-']))
    });
    licence_file
        || name.ends_with(".license")
        || name == "REUSE.toml"
        || name.ends_with(".spdx")
        || name.contains(".spdx.")
        || path.starts_with("LICENSES/")
        || path.starts_with(".reuse/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuse_toml_globs_and_precedence() {
        let a = parse_reuse_toml(
            "version = 1\n\n[[annotations]]\npath = [\"docs/*.md\", \"assets/**\"]\nprecedence = \"override\"\nSPDX-FileCopyrightText = \"2024 CERN\"\nSPDX-License-Identifier = \"CC-BY-4.0\"\n",
        )
        .unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].line, 3);
        assert_eq!(a[0].precedence, Precedence::Override);
        assert!(a[0].covers("docs/intro.md"));
        assert!(!a[0].covers("docs/deep/intro.md"), "* stops at /");
        assert!(a[0].covers("assets/img/logo.png"));
        assert_eq!(a[0].licences, ["CC-BY-4.0"]);
    }

    #[test]
    fn reuse_toml_errors_name_the_line() {
        let e = parse_reuse_toml("version = 1\n[[annotations]]\nprecedence = \"closest\"\n")
            .unwrap_err();
        assert!(e.contains("line 2") && e.contains("path"), "{e}");
        let e = parse_reuse_toml("version = 1\n[[annotations]\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn dep5_paragraphs() {
        let a = parse_dep5(
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: data/* *.png\nCopyright: 2020 CERN\n 2021 Someone Else\nLicense: CC0-1.0\n",
        )
        .unwrap();
        assert_eq!(a.len(), 1);
        assert!(a[0].covers("data/a/b.csv"), "* crosses / in dep5");
        assert!(a[0].covers("img/x.png"));
        assert_eq!(a[0].copyrights, ["2020 CERN", "2021 Someone Else"]);
        assert_eq!(a[0].licences, ["CC0-1.0"]);
    }

    #[test]
    fn excluded_files() {
        for p in [
            "LICENSE",
            "COPYING.txt",
            "LICENSES/MIT.txt",
            "a/logo.png.license",
            "REUSE.toml",
        ] {
            assert!(is_excluded(p), "{p}");
        }
        for p in ["src/main.rs", "LICENSEE.md", "docs/licensing.md"] {
            assert!(!is_excluded(p), "{p}");
        }
    }
}
