//! Scanning a source tree: which licences and copyright holders it holds, whether every file is
//! covered (REUSE), and whether the whole is compatible with the licence the project declares.
//!
//! The walk is parallel and respects `.gitignore` and `.ignore` files (ripgrep's walker);
//! binaries and files over a size limit are skipped with a note; symbolic links are not
//! followed, so loops cannot trap it. Every finding says how it was found ([`Method`]) and
//! where (file and line). Findings are data ([`Diagnostic`], with a stable code); an `Err`
//! ([`CatalogueError::ScanRoot`], [`CatalogueError::Outbound`]) is only for a scan that could
//! not be done.

mod extract;
mod font;
mod manifest;
mod notice;
mod ready;
mod reference;
mod reuse;
mod sarif;
mod sbom;
mod secrets;
mod sourcemap;

use crate::CatalogueError;
use ospo_licence::{Check, Engine, Expression, Mode, Use, Verdict};
use serde::Serialize;
use sha1::Digest as _;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::mpsc;

use reuse::{Annotation, Precedence};

pub use ready::{Coverage, Outcome, Readiness, ReadinessCheck, ThirdParty, rule_of};
pub use sarif::{rule_text, sarif};
pub use sbom::{cyclonedx, spdx};
pub use secrets::SecretHit;

/// Files larger than this are skipped unless told otherwise (10 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Bytes looked at to tell a binary from text (a NUL byte among them: binary, as git decides).
const BINARY_PROBE: usize = 8000;

/// What to scan for and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Files larger than this many bytes are skipped with a note.
    pub max_file_size: u64,
    /// The licence the whole is distributed under; `None`: the declared licence.
    pub outbound: Option<String>,
    /// How the parts are combined, for the compatibility verdict.
    pub use_: Use,
    /// Worker threads for the walk; 0: one per core.
    pub threads: usize,
    /// Whether `.gitignore`, `.ignore` and `.git/info/exclude` files are respected.
    pub ignore_files: bool,
    /// Whether to run the readiness checks for a first public release.
    pub readiness: bool,
    /// The copyright holder every file should name (readiness); `None`: the most frequent.
    pub holder: Option<String>,
    /// Whether to compute each file's SHA-1 (for SPDX and CycloneDX documents).
    pub checksums: bool,
    /// Counts the files walked as the scan goes, for a progress display.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
    /// How many of the files that took longest to read to report, with their times (0: none).
    /// The index of the SPDX licence texts, otherwise built while the first licence file is
    /// read, is then built before the walk.
    pub durations: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            outbound: None,
            use_: Use::Merged,
            threads: 0,
            ignore_files: true,
            readiness: false,
            holder: None,
            checksums: false,
            progress: None,
            durations: 0,
        }
    }
}

/// How a licence or copyright was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// An `SPDX-License-Identifier` or `SPDX-FileCopyrightText` tag in the file.
    SpdxTag,
    /// A tag in the file's `.license` companion file (REUSE).
    CompanionFile,
    /// An annotation in `REUSE.toml`.
    ReuseToml,
    /// A paragraph of `.reuse/dep5`.
    Dep5,
    /// A full licence text, identified against the SPDX texts.
    LicenceText,
    /// A standard licence notice in a file's header ("Licensed under the Apache License,
    /// Version 2.0", the GNU notices, MIT and BSD permission texts), for files without tags.
    LicenceNotice,
    /// A package manifest's licence field.
    Manifest,
    /// A free-form copyright statement (`Copyright (c) 2024 CERN`, `© ...`).
    CopyrightStatement,
}

/// Where a fact comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FoundBy {
    /// How.
    pub method: Method,
    /// The file it was read from (the file itself, its companion, REUSE.toml...).
    pub source: String,
    /// 1-based line in `source`, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// More about it: the manifest field, the identification method, the glob matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A licence found for a file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LicenceFinding {
    /// The licence as an SPDX expression.
    pub expression: String,
    /// For identified texts: the Dice coefficient of the match, 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// The licence of a bundled component named in the text, not of the work.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub bundled: bool,
    /// How it was found.
    pub found_by: FoundBy,
}

/// A copyright notice found for a file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CopyrightFinding {
    /// The notice as written (without comment markers).
    pub statement: String,
    /// The years, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years: Option<String>,
    /// The holder, verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    /// How it was found.
    pub found_by: FoundBy,
}

/// What was found for one file.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// Path relative to the scanned root, `/`-separated (names that are not UTF-8 are shown
    /// with U+FFFD in place of the bytes that are not).
    pub path: String,
    /// The file's licences as one SPDX expression (the work's own, bundled ones left out).
    pub licences: Option<String>,
    /// Each licence found, with how.
    pub licence_findings: Vec<LicenceFinding>,
    /// Each copyright notice found, with how.
    pub copyrights: Vec<CopyrightFinding>,
    /// Why the file's content was not read (binary, too large, unreadable), if it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// The SHA-1 of the content (hex), when checksums were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha1: Option<String>,
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something to fix: the scan ends with findings.
    Error,
    /// Something to look at: the scan ends with findings.
    Warning,
    /// For information (a skipped file); does not make the scan fail.
    Note,
}

/// A finding about the tree, with a stable code (documented in docs/scan.md).
#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `reuse/missing-licence`.
    pub code: &'static str,
    /// How serious.
    pub severity: Severity,
    /// The file concerned, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

/// The REUSE verdict, with the reasons `reuse lint` gives.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReuseVerdict {
    /// Whether the tree complies with the REUSE specification 3.3.
    pub compliant: bool,
    /// Files without licensing information.
    pub missing_licence: Vec<String>,
    /// Files without copyright information.
    pub missing_copyright: Vec<String>,
    /// Licences used without a `LICENSES/<id>.<ext>` file, with the files using them.
    pub missing_licence_files: BTreeMap<String, Vec<String>>,
    /// Files in `LICENSES/` that no file uses.
    pub unused_licence_files: Vec<String>,
    /// Files in `LICENSES/` that are not named `<SPDX id or LicenseRef>.<ext>`.
    pub bad_licence_files: Vec<String>,
    /// Licence expressions that are not valid SPDX or use unknown or deprecated ids
    /// (`path:line: expression: reason`).
    pub bad_expressions: Vec<String>,
    /// Whether a REUSE.toml or .reuse/dep5 was read.
    pub annotations: Vec<String>,
}

/// The licence the project says it is under.
#[derive(Clone, Debug, Serialize)]
pub struct Declared {
    /// As an SPDX expression.
    pub expression: String,
    /// Where it was declared.
    pub found_by: FoundBy,
}

/// The whole tree at a glance.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Files walked (read or skipped).
    pub files: usize,
    /// Files whose content was read.
    pub files_read: usize,
    /// Each licence found (SPDX id or expression) and the files it was found in.
    pub licences: BTreeMap<String, Vec<String>>,
    /// Each copyright holder found and how many files name it.
    pub holders: BTreeMap<String, usize>,
    /// Files with no licence found by any method (REUSE-excluded files left out).
    pub without_licence: Vec<String>,
    /// Files with no copyright found by any method (REUSE-excluded files left out).
    pub without_copyright: Vec<String>,
    /// The declared licence: the root manifest's, else the root LICENSE file's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<Declared>,
    /// The outbound licence judged against (given, or the declared one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbound: Option<String>,
    /// The compatibility of every licence found with the outbound licence (the engine's
    /// report, with explanations and sources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compatibility: Option<Check>,
}

/// The result of a scan.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The root scanned, as given.
    pub root: String,
    /// One entry per file, sorted by path.
    pub files: Vec<FileReport>,
    /// The tree at a glance.
    pub summary: Summary,
    /// The REUSE verdict.
    pub reuse: ReuseVerdict,
    /// The readiness checks, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness: Option<Readiness>,
    /// Every finding, errors first.
    pub diagnostics: Vec<Diagnostic>,
    /// The files that took longest to read, slowest first, when asked for
    /// ([`Options::durations`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub durations: Vec<FileDuration>,
}

/// How long one file took to read: opening, reading and every reader of its content.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileDuration {
    /// The file, as in [`FileReport::path`].
    pub path: String,
    /// Wall time, in seconds.
    pub seconds: f64,
    /// The file's size in bytes, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
}

impl Report {
    /// Whether nothing needs attention: no error or warning diagnostics.
    pub fn is_clean(&self) -> bool {
        self.diagnostics
            .iter()
            .all(|d| d.severity == Severity::Note)
    }
}

/// What the walk read from one file, before REUSE.toml and companions are applied.
#[derive(Debug, Default)]
struct Raw {
    path: String,
    skipped: Option<String>,
    tags: extract::Extracted,
    /// Licence-text identification and manifest findings.
    licences: Vec<LicenceFinding>,
    diagnostics: Vec<Diagnostic>,
    /// The text, kept only for REUSE.toml and dep5.
    text: Option<String>,
    empty: bool,
    /// Credentials found (kind and line only).
    secrets: Vec<SecretHit>,
    /// What kind of executable or compiled artefact the file is, if one.
    executable: Option<&'static str>,
    /// Whether the text mentions a licence (for READMEs).
    mentions_licence: bool,
    /// SHA-1 of the content, hex, when asked for.
    sha1: Option<String>,
    /// "the same license as the X project", when the file names no licence of its own.
    same_as: Option<notice::SameAs>,
    /// A reference to the file holding the licence, when the file names no licence of its own.
    file_ref: Option<reference::FileRef>,
    /// How long reading the file took, and its size, when durations are asked for.
    took: Option<(std::time::Duration, Option<u64>)>,
}

/// Scans the tree at `root`.
pub fn scan(root: &Path, options: &Options) -> Result<Report, CatalogueError> {
    let meta = std::fs::metadata(root).map_err(|e| CatalogueError::ScanRoot {
        path: root.to_owned(),
        reason: e.to_string(),
    })?;
    if !meta.is_dir() {
        return Err(CatalogueError::ScanRoot {
            path: root.to_owned(),
            reason: "not a directory: give the root of a source tree".to_owned(),
        });
    }
    let outbound_given = match &options.outbound {
        Some(o) => Some(
            Expression::parse_with(o, Mode::Lenient)
                .map_err(CatalogueError::Outbound)?
                .0,
        ),
        None => None,
    };
    if options.durations > 0 {
        // Built on first use otherwise, inside the first licence file's time.
        ospo_licence::Identifier::get();
    }
    let mut raws = walk(root, options);
    raws.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(assemble(root, raws, outbound_given, options))
}

/// Walks the tree in parallel and reads every file.
fn walk(root: &Path, options: &Options) -> Vec<Raw> {
    let (tx, rx) = mpsc::channel::<Raw>();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .git_ignore(options.ignore_files)
        .git_exclude(options.ignore_files)
        .git_global(options.ignore_files)
        .ignore(options.ignore_files)
        .parents(options.ignore_files)
        .threads(options.threads)
        .filter_entry(|e| {
            let name = e.file_name();
            // `.git` may be a file (a worktree's or submodule's pointer): left out either way.
            !(e.depth() > 0
                && (name == ".git"
                    || (e.file_type().is_some_and(|t| t.is_dir())
                        && (name == ".hg" || name == ".sl" || name == ".svn"))))
        })
        .build_parallel();
    let max = options.max_file_size;
    let checksums = options.checksums;
    let timed = options.durations > 0;
    let progress = options.progress.clone();
    walker.run(|| {
        let tx = tx.clone();
        let progress = progress.clone();
        Box::new(move |entry| {
            let raw = match entry {
                Ok(e) => {
                    let Some(ft) = e.file_type() else {
                        return ignore::WalkState::Continue;
                    };
                    if ft.is_dir() {
                        return ignore::WalkState::Continue;
                    }
                    let path = relative(root, e.path());
                    if ft.is_symlink() {
                        Raw {
                            path,
                            skipped: Some("symbolic link, not followed".to_owned()),
                            ..Raw::default()
                        }
                    } else if !ft.is_file() {
                        return ignore::WalkState::Continue;
                    } else if timed {
                        let start = std::time::Instant::now();
                        let mut raw = read(e.path(), path, max, checksums);
                        let size = e.metadata().ok().map(|m| m.len());
                        raw.took = Some((start.elapsed(), size));
                        raw
                    } else {
                        read(e.path(), path, max, checksums)
                    }
                }
                Err(err) => {
                    let path = match &err {
                        ignore::Error::WithPath { path, .. } => relative(root, path),
                        _ => String::new(),
                    };
                    Raw {
                        diagnostics: vec![Diagnostic {
                            code: "scan/unreadable",
                            severity: Severity::Warning,
                            path: (!path.is_empty()).then(|| path.clone()),
                            line: None,
                            message: format!("could not be walked: {err}"),
                        }],
                        path,
                        skipped: Some("could not be walked".to_owned()),
                        ..Raw::default()
                    }
                }
            };
            let _ = tx.send(raw);
            if let Some(p) = &progress {
                p.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            ignore::WalkState::Continue
        })
    });
    drop(tx);
    rx.into_iter().collect()
}

/// A path relative to the root, `/`-separated, lossy for names that are not UTF-8.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Reads one file: tags, statements, licence texts, manifests.
fn read(full: &Path, path: String, max: u64, checksums: bool) -> Raw {
    let mut raw = Raw {
        path,
        ..Raw::default()
    };
    let size = match std::fs::symlink_metadata(full) {
        Ok(m) => m.len(),
        Err(e) => {
            raw.skipped = Some(format!("unreadable: {e}"));
            return raw;
        }
    };
    if size > max {
        let name = raw.path.rsplit('/').next().unwrap_or(&raw.path).to_owned();
        raw.executable = secrets::executable(&name, b"");
        raw.secrets = secrets::find(&name, "");
        if checksums {
            raw.sha1 = sha1_of_file(full);
        }
        raw.skipped = Some(format!(
            "larger than the limit ({size} bytes > {max}); raise it with --max-file-size"
        ));
        return raw;
    }
    match std::fs::read(full) {
        Ok(bytes) => read_bytes(raw, &bytes, checksums),
        Err(e) => {
            raw.skipped = Some(format!("unreadable: {e}"));
            raw
        }
    }
}

/// What one file's content says: every reader of the scan but the walk. For fuzzing: the
/// number of licence and copyright findings of a file named `name` holding `bytes`.
#[doc(hidden)]
pub fn fuzz_file(name: &str, bytes: &[u8]) -> usize {
    let raw = read_bytes(
        Raw {
            path: name.to_owned(),
            ..Raw::default()
        },
        bytes,
        true,
    );
    raw.licences.len() + raw.tags.statements.len() + raw.tags.copyright_tags.len()
}

fn read_bytes(mut raw: Raw, bytes: &[u8], checksums: bool) -> Raw {
    raw.empty = bytes.is_empty();
    if checksums {
        raw.sha1 = Some(hex(&sha1::Sha1::digest(bytes)));
    }
    let name = raw.path.rsplit('/').next().unwrap_or(&raw.path).to_owned();
    raw.executable = secrets::executable(&name, &bytes[..bytes.len().min(64)]);
    if bytes[..bytes.len().min(BINARY_PROBE)].contains(&0) {
        raw.secrets = secrets::find(&name, "");
        if font::is_font(&name)
            && let Some(names) = font::names(bytes)
        {
            font_findings(&mut raw, names);
            return raw;
        }
        binary_findings(&mut raw, bytes);
        return raw;
    }
    let text = String::from_utf8_lossy(bytes);
    raw.tags = extract::extract(&text);
    markup_tag_findings(&mut raw);
    snippet_findings(&mut raw);
    // Notices are read unless a valid tag says what the file's licence is.
    let valid_tag = raw
        .tags
        .licence_tags
        .iter()
        .any(|t| matches!(check_expression(&t.text), Checked::Valid(..)));
    raw.secrets = secrets::find(&name, &text);
    if name.to_ascii_uppercase().starts_with("README") {
        let lower = text.to_lowercase();
        raw.mentions_licence = lower.contains("licen");
    }
    let licence_text = is_licence_text(&raw.path, &name);
    let identified = licence_text && {
        identify(&mut raw, &text);
        !raw.licences.is_empty()
    };
    // A file named like a licence text that holds none (a bundle's `*.LICENSE.txt` of banners)
    // is read for notices like any other file.
    // A source map's bundled sources are JSON strings: read one by one (below), not as the
    // map's own text, so that each finding names its source.
    let source_map = sourcemap::is_source_map(&name, &text);
    if !identified && !valid_tag && !source_map {
        for n in notice::find(&text) {
            raw.licences.push(LicenceFinding {
                expression: n.expression,
                confidence: Some(n.confidence),
                bundled: false,
                found_by: FoundBy {
                    method: Method::LicenceNotice,
                    source: raw.path.clone(),
                    line: Some(n.line),
                    detail: Some(n.detail.to_owned()),
                },
            });
        }
    }
    if !identified && !valid_tag && source_map {
        for f in sourcemap::notices(&text) {
            raw.licences.push(LicenceFinding {
                expression: f.notice.expression,
                confidence: Some(f.notice.confidence),
                bundled: false,
                found_by: FoundBy {
                    method: Method::LicenceNotice,
                    source: raw.path.clone(),
                    line: Some(f.line),
                    detail: Some(format!(
                        "{} in the source map's sourcesContent: {}, line {}",
                        f.notice.detail, f.source, f.notice.line
                    )),
                },
            });
        }
    }
    // A licence file whose text is not on the list, and that names no licence in a notice
    // either (the root LICENSE of Geant4 cites its licence's address, which is read).
    if licence_text && raw.licences.is_empty() && raw.tags.licence_tags.is_empty() {
        raw.diagnostics.push(Diagnostic {
            code: "licence/unidentified-text",
            severity: Severity::Note,
            path: Some(raw.path.clone()),
            line: None,
            message: "looks like a licence file, but no SPDX licence text matches it: \
                      a custom licence? Name it with a LicenseRef- tag"
                .to_owned(),
        });
    }
    if raw.licences.is_empty() && raw.tags.licence_tags.is_empty() {
        raw.same_as = notice::same_licence_as(&text);
        raw.file_ref = reference::find(&text);
    }
    if manifest::is_manifest(&name) {
        match manifest::read(&name, &text) {
            Ok(found) => {
                for d in found {
                    match ospo_licence::read(&d.value) {
                        Ok((e, warnings)) => raw.licences.push(LicenceFinding {
                            expression: e.to_string(),
                            confidence: None,
                            bundled: false,
                            found_by: FoundBy {
                                method: Method::Manifest,
                                source: raw.path.clone(),
                                line: d.line,
                                detail: Some(if warnings.is_empty() {
                                    d.field
                                } else {
                                    let w: Vec<String> =
                                        warnings.iter().map(ToString::to_string).collect();
                                    format!("{}; {}", d.field, w.join("; "))
                                }),
                            },
                        }),
                        Err(e) => raw.diagnostics.push(Diagnostic {
                            code: "manifest/invalid-licence",
                            severity: Severity::Error,
                            path: Some(raw.path.clone()),
                            line: d.line,
                            message: format!(
                                "{} = '{}' is not a licence expression: {}",
                                d.field, d.value, e
                            ),
                        }),
                    }
                }
            }
            Err(e) => raw.diagnostics.push(Diagnostic {
                code: "manifest/unreadable",
                severity: Severity::Warning,
                path: Some(raw.path.clone()),
                line: None,
                message: format!("could not be parsed: {e}"),
            }),
        }
    }
    if name == "REUSE.toml" || raw.path == ".reuse/dep5" {
        raw.text = Some(text.into_owned());
    }
    raw
}

/// A licence read from a tag that is not the file's REUSE information (a binary's strings, a
/// snippet, a tag with markup after it); `detail` says which.
fn tag_finding(
    path: &str,
    expression: String,
    line: Option<usize>,
    detail: String,
) -> LicenceFinding {
    LicenceFinding {
        expression,
        confidence: None,
        bundled: false,
        found_by: FoundBy {
            method: Method::SpdxTag,
            source: path.to_owned(),
            line,
            detail: Some(detail),
        },
    }
}

/// A binary's SPDX tags, read among its strings (a Sphinx doctree keeps its page's tags so):
/// licence findings and copyright statements, outside the REUSE verdict, as `reuse lint` reads
/// no binary.
fn binary_findings(raw: &mut Raw, bytes: &[u8]) {
    let found = extract::binary_tags(bytes);
    for t in &found.licence_tags {
        if let Checked::Valid(expression, _) = check_expression(&t.text) {
            let detail = "a string in a binary file (not REUSE information)".to_owned();
            raw.licences
                .push(tag_finding(&raw.path, expression, None, detail));
        }
    }
    raw.tags.statements.extend(found.copyright_tags);
    raw.skipped = Some(
        if found.licence_tags.is_empty() && raw.tags.statements.is_empty() {
            "binary file, not read".to_owned()
        } else {
            "binary file, only the SPDX tags among its strings read".to_owned()
        },
    );
}

/// The licences of a file's snippets (`SPDX-SnippetBegin` … `SPDX-SnippetEnd`): licences the
/// file holds, reported beside its own, though not REUSE information for the whole file.
fn snippet_findings(raw: &mut Raw) {
    for t in &raw.tags.snippet_licence_tags {
        match check_expression(&t.text) {
            Checked::Valid(expression, _) => {
                let detail = "a snippet's licence (SPDX-Snippet-License-Identifier)".to_owned();
                raw.licences
                    .push(tag_finding(&raw.path, expression, Some(t.line), detail));
            }
            Checked::Invalid(why) => raw.diagnostics.push(Diagnostic {
                code: "licence/invalid-snippet-expression",
                severity: Severity::Warning,
                path: Some(raw.path.clone()),
                line: Some(t.line),
                message: format!(
                    "snippet licence '{}' is not a licence expression: {why}",
                    t.text
                ),
            }),
        }
    }
}

/// A tag whose value is followed by markup on its line (`GPL-3.0-or-later</span>` in a
/// highlighted source page) is invalid for REUSE, as for `reuse lint`; the value before the
/// markup is still the file's licence, reported as a finding of its own.
fn markup_tag_findings(raw: &mut Raw) {
    for t in &raw.tags.licence_tags {
        let Some(cut) = t.text.find('<') else {
            continue;
        };
        if matches!(check_expression(&t.text), Checked::Valid(..)) {
            continue;
        }
        let before = t.text[..cut].trim();
        if before.is_empty() {
            continue;
        }
        if let Checked::Valid(expression, _) = check_expression(before) {
            let detail = format!(
                "the tag's value before the markup after it ('{}'); not valid REUSE information",
                t.text
            );
            raw.licences
                .push(tag_finding(&raw.path, expression, Some(t.line), detail));
        }
    }
}

/// A font's naming table: its licence description read like a notice (or, when it names no
/// licence, its licence URL), its copyright notice as a statement.
fn font_findings(raw: &mut Raw, names: font::Names) {
    let mut found: Vec<(String, f64, &'static str)> = names
        .licence
        .as_deref()
        .map(notice::find)
        .unwrap_or_default()
        .into_iter()
        .map(|n| {
            (
                n.expression,
                n.confidence,
                "licence description (name ID 13)",
            )
        })
        .collect();
    if found.is_empty()
        && let Some(url) = &names.licence_url
        && let Ok((e, _)) = ospo_licence::read(url)
        && !e.to_string().starts_with("LicenseRef-")
    {
        found.push((e.to_string(), 0.9, "licence URL (name ID 14)"));
    }
    for (expression, confidence, what) in found {
        raw.licences.push(LicenceFinding {
            expression,
            confidence: Some(confidence),
            bundled: false,
            found_by: FoundBy {
                method: Method::LicenceNotice,
                source: raw.path.clone(),
                line: None,
                detail: Some(format!("the font's naming table: {what}")),
            },
        });
    }
    if let Some(c) = &names.copyright {
        // Statements only: `reuse lint` reads no binary for its notices.
        let statements = extract::extract(c).statements;
        raw.tags.statements.extend(statements);
    }
}

/// Lower-case hex of bytes.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// SHA-1 of a file read in chunks (for files over the size limit, which are not read whole).
fn sha1_of_file(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).ok()?;
    let mut h = sha1::Sha1::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Some(hex(&h.finalize()))
}

/// Whether a file holds a full licence text: LICENSE, LICENCE, COPYING (any suffix) or a file
/// under a `LICENSES/` folder.
fn is_licence_text(path: &str, name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    // Code and data named after licences (licenses.csv, license.py) are not licence texts.
    let data = upper.rsplit_once('.').is_some_and(|(_, ext)| {
        [
            "CSV", "JSON", "YAML", "YML", "XML", "HTML", "PY", "RS", "JS", "TS", "GO", "C", "H",
            "JAVA", "RB", "PHP", "SQL", "TOML", "JINJA", "J2",
        ]
        .contains(&ext)
    });
    !data
        && (["LICENSE", "LICENCE", "COPYING", "UNLICENSE"]
            .iter()
            .any(|p| upper.starts_with(p))
            || upper.ends_with(".LICENSE")
            || upper.contains(".LICENSE.")
            || path.starts_with("LICENSES/")
            || path.contains("/LICENSES/"))
}

/// Identifies the licence texts of a file against the SPDX texts.
fn identify(raw: &mut Raw, text: &str) {
    let id = ospo_licence::identify(text);
    let own: Vec<_> = id.matches.iter().filter(|m| !m.bundled).collect();
    if let Some(expression) = &id.expression {
        let lines = own.first().map(|f| f.lines.0).unwrap_or(1);
        raw.licences.push(LicenceFinding {
            expression: expression.clone(),
            confidence: Some(round(id.confidence)),
            bundled: false,
            found_by: FoundBy {
                method: Method::LicenceText,
                source: raw.path.clone(),
                line: Some(lines),
                detail: Some(id.method.clone()),
            },
        });
    }
    for m in id.matches.iter().filter(|m| m.bundled) {
        raw.licences.push(LicenceFinding {
            expression: m.id.clone(),
            confidence: Some(round(m.score)),
            bundled: true,
            found_by: FoundBy {
                method: Method::LicenceText,
                source: raw.path.clone(),
                line: Some(m.lines.0),
                detail: Some(match &m.component {
                    Some(c) => format!("bundled component {c}; {}", id.method),
                    None => format!("bundled or third-party; {}", id.method),
                }),
            },
        });
    }
}

/// A score with three decimals.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A licence expression checked strictly, as REUSE requires.
enum Checked {
    Valid(String, Vec<String>),
    Invalid(String),
}

/// Parses a tag or annotation value strictly; deprecated ids are reported.
fn check_expression(value: &str) -> Checked {
    match Expression::parse_with(value, Mode::Strict) {
        Ok((_, warnings)) if !warnings.is_empty() => Checked::Invalid(
            warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Ok((e, _)) => Checked::Valid(e.to_string(), ids(value)),
        Err(e) => Checked::Invalid(match e.suggestion {
            Some(s) => format!("{} at column {} (did you mean {s}?)", e.message, e.column),
            None => format!("{} at column {}", e.message, e.column),
        }),
    }
}

/// The licence and exception ids of an expression as written.
fn ids(value: &str) -> Vec<String> {
    value
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && !["AND", "OR", "WITH", "and", "or", "with"].contains(t))
        .map(|t| t.trim_end_matches('+').to_owned())
        .collect()
}

/// Per-file results after REUSE precedence.
struct Covered {
    report: FileReport,
    /// REUSE licensing information present (valid or not).
    reuse_licence: bool,
    /// REUSE copyright information present.
    reuse_copyright: bool,
    /// Ids used by valid REUSE expressions.
    used: Vec<String>,
}

/// Files that say they are under "the same license as the X project", and have no licence
/// otherwise, get the project's declared licence, with the reference and the declaration it
/// was resolved by. (ScanCode reports them as an unknown free licence.)
fn same_as_project(files: &mut [FileReport], raws: &[Raw]) {
    let Some(declared) = declared(files) else {
        return;
    };
    let refs: HashMap<&str, &notice::SameAs> = raws
        .iter()
        .filter_map(|r| r.same_as.as_ref().map(|s| (r.path.as_str(), s)))
        .collect();
    if refs.is_empty() {
        return;
    }
    for f in files.iter_mut().filter(|f| f.licences.is_none()) {
        let Some(same) = refs.get(f.path.as_str()) else {
            continue;
        };
        f.licences = Some(declared.expression.clone());
        f.licence_findings.push(LicenceFinding {
            expression: declared.expression.clone(),
            confidence: Some(0.9),
            bundled: false,
            found_by: FoundBy {
                method: Method::LicenceNotice,
                source: f.path.clone(),
                line: Some(same.line),
                detail: Some(format!(
                    "\"the same license as the {}\": the declared licence, from {}",
                    same.name, declared.found_by.source
                )),
            },
        });
    }
}

/// Applies companions, REUSE.toml and dep5, lints, and sums up.
fn assemble(
    root: &Path,
    raws: Vec<Raw>,
    outbound_given: Option<Expression>,
    options: &Options,
) -> Report {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut reuse_v = ReuseVerdict::default();
    // Every REUSE.toml (REUSE 3.3: one in any folder speaks for the files below it, its paths
    // relative to that folder), and .reuse/dep5 at the root.
    let mut annotations: Vec<(String, Annotation)> = Vec::new();
    let sources = raws
        .iter()
        .filter(|r| r.path == "REUSE.toml" || r.path.ends_with("/REUSE.toml"))
        .map(|r| {
            (
                r,
                reuse::parse_reuse_toml as fn(&str) -> Result<Vec<Annotation>, String>,
            )
        })
        .chain(raws.iter().filter(|r| r.path == ".reuse/dep5").map(|r| {
            (
                r,
                reuse::parse_dep5 as fn(&str) -> Result<Vec<Annotation>, String>,
            )
        }));
    for (raw, parse) in sources {
        let Some(text) = raw.text.as_deref() else {
            continue;
        };
        let file = &raw.path;
        reuse_v.annotations.push(file.clone());
        match parse(text) {
            Ok(list) => annotations.extend(list.into_iter().map(|a| (file.clone(), a))),
            Err(e) => diagnostics.push(Diagnostic {
                code: "reuse/invalid-annotations",
                severity: Severity::Error,
                path: Some(file.clone()),
                line: None,
                message: format!("could not be read: {e}"),
            }),
        }
    }
    let companions: BTreeMap<&str, &Raw> = raws
        .iter()
        .filter_map(|r| r.path.strip_suffix(".license").map(|p| (p, r)))
        .collect();
    let paths: BTreeSet<&str> = raws.iter().map(|r| r.path.as_str()).collect();

    let mut covered = Vec::with_capacity(raws.len());
    for raw in &raws {
        diagnostics.extend(raw.diagnostics.iter().cloned());
        if raw.path.is_empty() {
            continue;
        }
        if let Some(why) = &raw.skipped {
            diagnostics.push(Diagnostic {
                code: "scan/skipped",
                severity: Severity::Note,
                path: Some(raw.path.clone()),
                line: None,
                message: format!("skipped: {why}"),
            });
        }
        // A companion `X.license` speaks for X, when X exists.
        let companion = companions.get(raw.path.as_str()).copied();
        let (own, own_source, own_method) = match companion {
            Some(c) => (&c.tags, c.path.clone(), Method::CompanionFile),
            None => (&raw.tags, raw.path.clone(), Method::SpdxTag),
        };
        let is_companion =
            raw.path.ends_with(".license") && paths.contains(&raw.path[..raw.path.len() - 8]);
        covered.push(cover(
            raw,
            own,
            &own_source,
            own_method,
            is_companion,
            &annotations,
            &mut reuse_v,
        ));
    }

    lint(&raws, &covered, &mut reuse_v, &mut diagnostics);
    let mut files: Vec<FileReport> = covered.into_iter().map(|c| c.report).collect();
    same_as_project(&mut files, &raws);
    let refs: HashMap<&str, &reference::FileRef> = raws
        .iter()
        .filter_map(|r| r.file_ref.as_ref().map(|f| (r.path.as_str(), f)))
        .collect();
    reference::resolve(&mut files, &refs);
    let summary = summarise(
        &files,
        &raws,
        outbound_given,
        options.use_,
        &mut diagnostics,
    );
    let readiness = options.readiness.then(|| {
        let (r, found) = ready::assess(
            &raws,
            &files,
            &summary,
            &reuse_v,
            &diagnostics,
            options.holder.as_deref(),
        );
        diagnostics.extend(found);
        r
    });
    diagnostics.sort_by(|a, b| {
        (a.severity, a.code, &a.path, a.line).cmp(&(b.severity, b.code, &b.path, b.line))
    });
    let mut durations: Vec<FileDuration> = raws
        .iter()
        .filter_map(|r| {
            r.took.map(|(t, bytes)| FileDuration {
                path: r.path.clone(),
                seconds: t.as_secs_f64(),
                bytes,
            })
        })
        .collect();
    durations.sort_by(|a, b| b.seconds.total_cmp(&a.seconds).then(a.path.cmp(&b.path)));
    durations.truncate(options.durations);
    Report {
        root: root.display().to_string(),
        files,
        summary,
        reuse: reuse_v,
        readiness,
        diagnostics,
        durations,
    }
}

/// One file's findings after REUSE precedence.
fn cover(
    raw: &Raw,
    own: &extract::Extracted,
    own_source: &str,
    own_method: Method,
    is_companion: bool,
    annotations: &[(String, Annotation)],
    reuse_v: &mut ReuseVerdict,
) -> Covered {
    let mut licences: Vec<LicenceFinding> = Vec::new();
    let mut copyrights: Vec<CopyrightFinding> = Vec::new();
    let mut used = Vec::new();

    // In each REUSE.toml above the file, the last annotation that matches it; dep5's last
    // matching paragraph likewise.
    let tomls = reuse::applicable(annotations, &raw.path);
    let dep5 = annotations
        .iter()
        .rev()
        .find(|(f, a)| f == ".reuse/dep5" && a.covers(&raw.path))
        .map(|(f, a)| reuse::Applied {
            source: f,
            annotation: a,
            copyrights: true,
            licences: true,
        });
    let overridden = tomls
        .iter()
        .any(|t| t.annotation.precedence == Precedence::Override);

    let mut tag_licence = |value: &str, found_by: FoundBy, licences: &mut Vec<LicenceFinding>| {
        match check_expression(value) {
            Checked::Valid(e, ids) => {
                used.extend(ids);
                licences.push(LicenceFinding {
                    expression: e,
                    confidence: None,
                    bundled: false,
                    found_by,
                });
            }
            Checked::Invalid(why) => reuse_v.bad_expressions.push(format!(
                "{}:{}: '{value}': {why}",
                found_by.source,
                found_by.line.unwrap_or(0)
            )),
        }
    };
    if !overridden && !is_companion {
        for t in &own.licence_tags {
            let by = FoundBy {
                method: own_method,
                source: own_source.to_owned(),
                line: Some(t.line),
                detail: None,
            };
            tag_licence(&t.text, by, &mut licences);
        }
        for t in &own.copyright_tags {
            copyrights.push(copyright(&t.text, own_method, own_source, t.line));
        }
        for t in &own.statements {
            copyrights.push(copyright(
                &t.text,
                Method::CopyrightStatement,
                own_source,
                t.line,
            ));
        }
    }
    let own_licence = !licences.is_empty() || any_licence_tag(own);
    let own_copyright = !copyrights.is_empty();
    for applied in tomls.into_iter().chain(dep5) {
        let (file, a) = (applied.source, applied.annotation);
        let method = if file == ".reuse/dep5" {
            Method::Dep5
        } else {
            Method::ReuseToml
        };
        let aggregate = a.precedence != Precedence::Closest;
        let detail = Some(format!("path {}", a.paths.join(", ")));
        if applied.licences && (aggregate || !own_licence) {
            for l in &a.licences {
                let by = FoundBy {
                    method,
                    source: file.to_owned(),
                    line: Some(a.line),
                    detail: detail.clone(),
                };
                tag_licence(l, by, &mut licences);
            }
        }
        if applied.copyrights && (aggregate || !own_copyright) {
            for c in &a.copyrights {
                let mut f = copyright(c, method, file, a.line);
                f.found_by.detail = detail.clone();
                copyrights.push(f);
            }
        }
    }
    // As `reuse lint` counts: a valid expression, and a tag, annotation or notice line.
    let reuse_licence = !licences.is_empty();
    let reuse_copyright = copyrights
        .iter()
        .any(|c| c.found_by.method != Method::CopyrightStatement)
        || (!overridden && !is_companion && own.reuse_notice);
    // Identified texts and manifests come after REUSE information.
    licences.extend(raw.licences.iter().cloned());
    let mut own_exprs: Vec<&str> = Vec::new();
    for l in licences.iter().filter(|l| !l.bundled) {
        if !own_exprs.contains(&l.expression.as_str()) {
            own_exprs.push(&l.expression);
        }
    }
    let expression = match own_exprs.len() {
        0 => None,
        1 => Some(own_exprs[0].to_owned()),
        _ => Some(
            own_exprs
                .iter()
                .map(|e| {
                    if e.contains(' ') {
                        format!("({e})")
                    } else {
                        (*e).to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    };
    Covered {
        report: FileReport {
            path: raw.path.clone(),
            licences: expression,
            licence_findings: licences,
            copyrights,
            skipped: raw.skipped.clone(),
            sha1: raw.sha1.clone(),
        },
        reuse_licence,
        reuse_copyright,
        used,
    }
}

/// Whether a file has a licence tag, valid or not.
fn any_licence_tag(e: &extract::Extracted) -> bool {
    !e.licence_tags.is_empty()
}

/// A copyright finding.
fn copyright(text: &str, method: Method, source: &str, line: usize) -> CopyrightFinding {
    let s = extract::parse_statement(text);
    CopyrightFinding {
        statement: text.to_owned(),
        years: s.years,
        holder: s.holder,
        found_by: FoundBy {
            method,
            source: source.to_owned(),
            // 0: read where lines mean nothing (a binary's strings).
            line: (line > 0).then_some(line),
            detail: None,
        },
    }
}

/// The REUSE lint: coverage, licence files, expressions.
fn lint(
    raws: &[Raw],
    covered: &[Covered],
    v: &mut ReuseVerdict,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let excluded = |c: &Covered, raw: &Raw| {
        reuse::is_excluded(&c.report.path)
            || raw.empty
            || raw.skipped.as_deref() == Some("symbolic link, not followed")
    };
    let by_path: BTreeMap<&str, &Raw> = raws.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in covered {
        let Some(raw) = by_path.get(c.report.path.as_str()) else {
            continue;
        };
        for id in &c.used {
            used.entry(id.clone())
                .or_default()
                .push(c.report.path.clone());
        }
        if excluded(c, raw) {
            continue;
        }
        if !c.reuse_licence {
            v.missing_licence.push(c.report.path.clone());
        }
        if !c.reuse_copyright {
            v.missing_copyright.push(c.report.path.clone());
        }
    }
    // LICENSES/<id>.<ext>
    let mut present: BTreeMap<String, String> = BTreeMap::new();
    for r in raws.iter().filter(|r| r.path.starts_with("LICENSES/")) {
        let name = &r.path["LICENSES/".len()..];
        match name.rsplit_once('.') {
            Some((stem, _))
                if !stem.contains('/')
                    && (stem.starts_with("LicenseRef-")
                        || ospo_licence::LicenceId::find(stem).is_some()
                        || ospo_licence::ExceptionId::find(stem).is_some()) =>
            {
                present.insert(stem.to_owned(), r.path.clone());
            }
            _ => v.bad_licence_files.push(r.path.clone()),
        }
    }
    for (id, files) in &used {
        if !present.contains_key(id) {
            v.missing_licence_files.insert(id.clone(), files.clone());
        }
    }
    for (id, path) in &present {
        if !used.contains_key(id) {
            v.unused_licence_files.push(path.clone());
        }
    }
    v.compliant = v.missing_licence.is_empty()
        && v.missing_copyright.is_empty()
        && v.missing_licence_files.is_empty()
        && v.unused_licence_files.is_empty()
        && v.bad_licence_files.is_empty()
        && v.bad_expressions.is_empty();

    let d = |code, severity, path: &str, line, message: String| Diagnostic {
        code,
        severity,
        path: Some(path.to_owned()),
        line,
        message,
    };
    for p in &v.missing_licence {
        diagnostics.push(d(
            "reuse/missing-licence",
            Severity::Error,
            p,
            None,
            "no licensing information: add an SPDX-License-Identifier tag, a .license file \
             or a REUSE.toml annotation"
                .to_owned(),
        ));
    }
    for p in &v.missing_copyright {
        diagnostics.push(d(
            "reuse/missing-copyright",
            Severity::Error,
            p,
            None,
            "no copyright information: add an SPDX-FileCopyrightText tag, a .license file \
             or a REUSE.toml annotation"
                .to_owned(),
        ));
    }
    for (id, files) in &v.missing_licence_files {
        diagnostics.push(d(
            "reuse/missing-licence-file",
            Severity::Error,
            &files[0],
            None,
            format!(
                "{id} is used ({} file(s)) but LICENSES/{id}.txt is missing: `reuse download {id}`",
                files.len()
            ),
        ));
    }
    for p in &v.unused_licence_files {
        diagnostics.push(d(
            "reuse/unused-licence-file",
            Severity::Error,
            p,
            None,
            "no file uses this licence: remove it, or tag the files it covers".to_owned(),
        ));
    }
    for p in &v.bad_licence_files {
        diagnostics.push(d(
            "reuse/bad-licence-file",
            Severity::Error,
            p,
            None,
            "name it LICENSES/<SPDX id or LicenseRef-...>.txt".to_owned(),
        ));
    }
    for b in &v.bad_expressions {
        let mut parts = b.splitn(3, ':');
        let path = parts.next().unwrap_or("");
        let line = parts.next().and_then(|l| l.parse().ok());
        let rest = parts.next().unwrap_or("").trim();
        diagnostics.push(d(
            "licence/invalid-expression",
            Severity::Error,
            path,
            line,
            format!("not a valid SPDX expression: {rest}"),
        ));
    }
}

/// Licences and holders found, declared licence, compatibility.
fn summarise(
    files: &[FileReport],
    raws: &[Raw],
    outbound_given: Option<Expression>,
    use_: Use,
    diagnostics: &mut Vec<Diagnostic>,
) -> Summary {
    let mut licences: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut holders: BTreeMap<String, usize> = BTreeMap::new();
    let mut without_licence = Vec::new();
    let mut without_copyright = Vec::new();
    let empty: BTreeSet<&str> = raws
        .iter()
        .filter(|r| r.empty)
        .map(|r| r.path.as_str())
        .collect();
    for f in files {
        let in_licences_dir = f.path.starts_with("LICENSES/");
        if let Some(e) = &f.licences
            && !in_licences_dir
        {
            licences.entry(e.clone()).or_default().push(f.path.clone());
        }
        let mut seen = BTreeSet::new();
        for c in &f.copyrights {
            if let Some(h) = &c.holder
                && seen.insert(h.clone())
            {
                *holders.entry(h.clone()).or_default() += 1;
            }
        }
        let skip = reuse::is_excluded(&f.path)
            || empty.contains(f.path.as_str())
            || f.skipped.as_deref() == Some("symbolic link, not followed");
        if !skip {
            if f.licences.is_none() {
                without_licence.push(f.path.clone());
            }
            if f.copyrights.is_empty() {
                without_copyright.push(f.path.clone());
            }
        }
    }

    let declared = declared(files);
    // The declared licence versus the root licence file.
    if let Some(d) = &declared
        && d.found_by.method == Method::Manifest
    {
        for f in files.iter().filter(|f| is_root_licence_file(&f.path)) {
            for l in f
                .licence_findings
                .iter()
                .filter(|l| l.found_by.method == Method::LicenceText && !l.bundled)
            {
                if !within(&l.expression, &d.expression) {
                    diagnostics.push(Diagnostic {
                        code: "declared/mismatch",
                        severity: Severity::Warning,
                        path: Some(f.path.clone()),
                        line: None,
                        message: format!(
                            "holds {} but {} declares {}",
                            l.expression, d.found_by.source, d.expression
                        ),
                    });
                }
            }
        }
    }
    let outbound = outbound_given.or_else(|| {
        declared
            .as_ref()
            .and_then(|d| ospo_licence::read(&d.expression).ok().map(|(e, _)| e))
    });
    let compatibility = match &outbound {
        None => {
            diagnostics.push(Diagnostic {
                code: "declared/missing",
                severity: Severity::Warning,
                path: None,
                line: None,
                message: "no declared licence (no licence field in a root manifest, no root \
                          LICENSE file): add one, or give --outbound"
                    .to_owned(),
            });
            None
        }
        Some(out) => {
            let inbound: Vec<Expression> = licences
                .keys()
                .filter_map(|e| ospo_licence::read(e).ok().map(|(e, _)| e))
                .collect();
            (!inbound.is_empty()).then(|| {
                let check = Engine::new().report(inbound, out.clone(), use_, Vec::new());
                if check.verdict != Verdict::Yes {
                    let code = match check.verdict {
                        Verdict::No => "compat/incompatible",
                        Verdict::Unknown => "compat/unknown",
                        _ => "compat/conditional",
                    };
                    for failing in &check.failing {
                        let where_ = licences
                            .iter()
                            .find(|(e, _)| {
                                e.split(' ').any(|t| t.trim_matches(['(', ')']) == failing)
                            })
                            .map(|(_, f)| f.clone())
                            .unwrap_or_default();
                        let why = check
                            .findings
                            .iter()
                            .find(|f| &f.inbound == failing)
                            .map(|f| f.explanation.clone())
                            .unwrap_or_else(|| check.explanation.clone());
                        diagnostics.push(Diagnostic {
                            code,
                            severity: if check.verdict == Verdict::No {
                                Severity::Error
                            } else {
                                Severity::Warning
                            },
                            path: where_.first().cloned(),
                            line: None,
                            message: format!(
                                "{failing} (in {} file(s)) with outbound {out}: {}: {why}",
                                where_.len(),
                                check.verdict.as_str()
                            ),
                        });
                    }
                    if check.failing.is_empty() {
                        diagnostics.push(Diagnostic {
                            code,
                            severity: Severity::Warning,
                            path: None,
                            line: None,
                            message: check.explanation.clone(),
                        });
                    }
                }
                check
            })
        }
    };
    Summary {
        files: files.len(),
        files_read: files.iter().filter(|f| f.skipped.is_none()).count(),
        licences,
        holders,
        without_licence,
        without_copyright,
        declared,
        outbound: outbound.map(|o| o.to_string()),
        compatibility,
    }
}

/// The licence ids of an expression, as a set.
fn id_set(e: &str) -> BTreeSet<String> {
    ids(e).into_iter().collect()
}

/// Whether two expressions name the same licences (order and parentheses aside).
#[cfg(test)]
fn same_licences(a: &str, b: &str) -> bool {
    id_set(a) == id_set(b)
}

/// Whether every licence of `part` is named in `whole` (a licence file holding one branch of
/// a declared `Unlicense OR MIT` is no mismatch).
fn within(part: &str, whole: &str) -> bool {
    id_set(part).is_subset(&id_set(whole))
}

/// Whether a path is a licence file at the root.
fn is_root_licence_file(path: &str) -> bool {
    !path.contains('/') && is_licence_text(path, path)
}

/// The declared licence: a root manifest's licence field, else the root licence file's text.
fn declared(files: &[FileReport]) -> Option<Declared> {
    for name in [
        "Cargo.toml",
        "package.json",
        "pyproject.toml",
        "setup.cfg",
        "setup.py",
        "DESCRIPTION",
        "pom.xml",
        ".gemspec",
        "PKG-INFO",
        ".dist-info/METADATA",
    ] {
        // A gemspec is named after its gem; an unpacked wheel keeps its core metadata in
        // `NAME-VERSION.dist-info/METADATA`.
        if let Some(l) = files
            .iter()
            .filter(|f| {
                f.path == name
                    || (name == ".gemspec" && !f.path.contains('/') && f.path.ends_with(name))
                    || (name == ".dist-info/METADATA"
                        && f.path.matches('/').count() == 1
                        && f.path.ends_with(name))
            })
            .flat_map(|f| &f.licence_findings)
            .find(|l| l.found_by.method == Method::Manifest)
        {
            return Some(Declared {
                expression: l.expression.clone(),
                found_by: l.found_by.clone(),
            });
        }
    }
    let mut texts: Vec<&LicenceFinding> = files
        .iter()
        .filter(|f| is_root_licence_file(&f.path))
        .flat_map(|f| &f.licence_findings)
        .filter(|l| l.found_by.method == Method::LicenceText && !l.bundled)
        .collect();
    texts.dedup_by(|a, b| a.expression == b.expression);
    match texts.as_slice() {
        [] => None,
        [one] => Some(Declared {
            expression: one.expression.clone(),
            found_by: one.found_by.clone(),
        }),
        // Several root licence files: the project is under all of them, or offers a choice
        // that only a notice can say; AND is the safe reading.
        many => Some(Declared {
            expression: many
                .iter()
                .map(|l| l.expression.as_str())
                .collect::<Vec<_>>()
                .join(" AND "),
            found_by: FoundBy {
                detail: Some(format!("{} root licence files, read together", many.len())),
                ..many[0].found_by.clone()
            },
        }),
    }
}

#[cfg(test)]
mod tests;
