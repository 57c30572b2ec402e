//! Readiness for a first public release: the checks an OSPO runs before a repository goes
//! public, modelled on the repolinter default rule set (todogroup/repolinter
//! `rulesets/default.json`, schema version 2) and on the REUSE specification 3.3.
//!
//! Each check is data: a stable code, the severity it has when it fails, what was found, what to
//! do, and the rule it comes from. A failing check is also a [`Diagnostic`], so it shows in the
//! text, JSON and SARIF outputs and in the exit code.

use super::secrets::SecretHit;
use super::{Diagnostic, FileReport, Method, Raw, ReuseVerdict, Severity, Summary};
use serde::Serialize;
use std::collections::BTreeMap;

/// Whether a check passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Nothing to do.
    Pass,
    /// Something to do before publishing (see `fix`).
    Fail,
}

/// One readiness check and its outcome.
#[derive(Clone, Debug, Serialize)]
pub struct ReadinessCheck {
    /// Stable code, e.g. `ready/licence-file` (documented in docs/scan.md).
    pub code: &'static str,
    /// What is checked, in a few words.
    pub title: &'static str,
    /// Passed or failed.
    pub outcome: Outcome,
    /// How serious a failure is (errors block a release; warnings should be looked at).
    pub severity: Severity,
    /// The rule it comes from (repolinter default rule set, REUSE 3.3, ...).
    pub rule: &'static str,
    /// What was found.
    pub detail: String,
    /// What to do, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The files concerned (the offending ones when failing, the ones found when passing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
}

/// Share of files with licence and copyright information (REUSE sources: tags, `.license`
/// files, REUSE.toml, dep5), over the files REUSE wants covered.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Coverage {
    /// Files REUSE wants covered (licence texts, empty files, links left out).
    pub files: usize,
    /// Of those, with licensing information.
    pub with_licence: usize,
    /// Of those, with copyright information.
    pub with_copyright: usize,
    /// Of those, with both.
    pub with_both: usize,
}

/// Third-party code found in the tree: a vendored folder and the licences identified in it.
#[derive(Clone, Debug, Serialize)]
pub struct ThirdParty {
    /// The folder (`vendor/foo`, `third_party/bar`), or a bundled licence text's file.
    pub path: String,
    /// The licences identified for it (licence texts and manifests inside, or bundled texts).
    pub licences: Vec<String>,
}

/// The readiness report.
#[derive(Clone, Debug, Serialize)]
pub struct Readiness {
    /// Whether every check passed.
    pub ready: bool,
    /// Failing checks of severity error.
    pub errors: usize,
    /// Failing checks of severity warning.
    pub warnings: usize,
    /// Every check, in a fixed order.
    pub checks: Vec<ReadinessCheck>,
    /// Licence and copyright coverage.
    pub coverage: Coverage,
    /// Third-party code found.
    pub third_party: Vec<ThirdParty>,
    /// The copyright holder the files were checked against (given, or the most frequent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
}

/// Folders holding code of others, by name.
const VENDOR_DIRS: &[&str] = &[
    "vendor",
    "vendored",
    "_vendor",
    "third_party",
    "third-party",
    "thirdparty",
    "3rdparty",
    "external",
    "extern",
    "node_modules",
    "bower_components",
];

/// The rule behind a readiness code, for SARIF and the docs.
pub fn rule_of(code: &str) -> Option<&'static str> {
    CHECKS.iter().find(|c| c.0 == code).map(|c| c.2)
}

/// What a readiness code checks, for SARIF.
pub(crate) fn title_of(code: &str) -> Option<&'static str> {
    CHECKS.iter().find(|c| c.0 == code).map(|c| c.1)
}

/// Code, title, rule, severity when failing.
const CHECKS: &[(&str, &str, &str, Severity)] = &[
    (
        "ready/licence-file",
        "Licence file present",
        "repolinter default rule set: license-file-exists; REUSE 3.3: licence texts in LICENSES/",
        Severity::Error,
    ),
    (
        "ready/licence-matches",
        "Licence file matches the declared licence",
        "repolinter default rule set: license-detectable-by-licensee; REUSE 3.3",
        Severity::Error,
    ),
    (
        "ready/readme",
        "README present and naming the licence",
        "repolinter default rule set: readme-file-exists, readme-references-license",
        Severity::Error,
    ),
    (
        "ready/contributing",
        "Contribution guide present",
        "repolinter default rule set: contributing-file-exists",
        Severity::Warning,
    ),
    (
        "ready/code-of-conduct",
        "Code of conduct present",
        "repolinter default rule set: code-of-conduct-file-exists",
        Severity::Warning,
    ),
    (
        "ready/security",
        "Security policy present",
        "repolinter default rule set: security-file-exists",
        Severity::Warning,
    ),
    (
        "ready/changelog",
        "Changelog present",
        "repolinter default rule set: changelog-file-exists",
        Severity::Warning,
    ),
    (
        "ready/notice",
        "NOTICE file for Apache-2.0",
        "repolinter default rule set: notice-file-exists (Apache License 2.0, section 4(d))",
        Severity::Warning,
    ),
    (
        "ready/header-coverage",
        "Every file carries licence and copyright",
        "REUSE 3.3: every file has licensing and copyright information; repolinter default rule set: source-license-headers-exist",
        Severity::Warning,
    ),
    (
        "ready/third-party",
        "Third-party code identified with its licence",
        "REUSE 3.3: every file has licensing information (vendored code included)",
        Severity::Warning,
    ),
    (
        "ready/binaries",
        "No executables or compiled artefacts",
        "repolinter default rule set: binaries-not-present",
        Severity::Error,
    ),
    (
        "ready/secrets",
        "No private keys or credentials",
        "OSPO release checklist: no credentials in a public repository (formats as gitleaks and GitHub secret scanning define them)",
        Severity::Error,
    ),
    (
        "ready/copyright-holder",
        "One copyright holder",
        "OSPO release checklist: the lab holds the copyright of what it publishes",
        Severity::Warning,
    ),
];

/// Runs every check on a scanned tree.
pub(crate) fn assess(
    raws: &[Raw],
    files: &[FileReport],
    summary: &Summary,
    reuse: &ReuseVerdict,
    diagnostics: &[Diagnostic],
    holder: Option<&str>,
) -> (Readiness, Vec<Diagnostic>) {
    let paths: Vec<&str> = raws
        .iter()
        .map(|r| r.path.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    let mut checks = Vec::new();
    let mut out = Vec::new();
    let mut add = |code: &'static str,
                   pass: bool,
                   detail: String,
                   fix: String,
                   paths: Vec<String>,
                   per_file: Vec<Diagnostic>| {
        let (_, title, rule, severity) = *CHECKS.iter().find(|c| c.0 == code).expect("known");
        if !pass {
            if per_file.is_empty() {
                out.push(Diagnostic {
                    code,
                    severity,
                    path: paths.first().cloned(),
                    line: None,
                    message: format!("{detail}: {fix}"),
                });
            } else {
                out.extend(per_file);
            }
        }
        checks.push(ReadinessCheck {
            code,
            title,
            outcome: if pass { Outcome::Pass } else { Outcome::Fail },
            severity,
            rule,
            detail,
            fix: (!pass).then_some(fix),
            paths,
        });
    };

    // Licence file (repolinter: LICENSE*, COPYING*, case-insensitive; REUSE: LICENSES/).
    let licence_files: Vec<String> = paths
        .iter()
        .filter(|p| {
            let up = p.to_ascii_uppercase();
            !p.contains('/')
                && ["LICENSE", "LICENCE", "COPYING"]
                    .iter()
                    .any(|s| up.starts_with(s))
        })
        .map(|p| (*p).to_owned())
        .collect();
    let reuse_texts: Vec<String> = paths
        .iter()
        .filter(|p| p.starts_with("LICENSES/"))
        .map(|p| (*p).to_owned())
        .collect();
    let has_licence_file = !licence_files.is_empty() || !reuse_texts.is_empty();
    add(
        "ready/licence-file",
        has_licence_file,
        if has_licence_file {
            [licence_files.clone(), reuse_texts.clone()]
                .concat()
                .join(", ")
        } else {
            "no LICENSE, LICENCE or COPYING file at the root and no LICENSES/ folder".to_owned()
        },
        "add LICENSE with the full text of the project's licence (or LICENSES/<SPDX id>.txt \
         with `reuse download`)"
            .to_owned(),
        if has_licence_file {
            [licence_files.clone(), reuse_texts.clone()].concat()
        } else {
            Vec::new()
        },
        Vec::new(),
    );

    // The licence file holds the declared licence.
    let mismatches: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.code == "declared/mismatch")
        .collect();
    let unidentified: Vec<String> = licence_files
        .iter()
        .filter(|p| {
            files.iter().any(|f| {
                &f.path == *p
                    && !f
                        .licence_findings
                        .iter()
                        .any(|l| l.found_by.method == Method::LicenceText && !l.bundled)
            })
        })
        .cloned()
        .collect();
    let (pass, detail, fix, ps) = match &summary.declared {
        None => (
            false,
            "no declared licence: no licence field in a root manifest and no identifiable root \
             licence file"
                .to_owned(),
            "declare the licence in the manifest (Cargo.toml, package.json, pyproject.toml...) \
             and add its text as LICENSE"
                .to_owned(),
            Vec::new(),
        ),
        Some(_) if !mismatches.is_empty() => (
            false,
            mismatches
                .iter()
                .map(|d| format!("{} {}", d.path.as_deref().unwrap_or(""), d.message))
                .collect::<Vec<_>>()
                .join("; "),
            "make the manifest's licence field and the LICENSE text say the same".to_owned(),
            mismatches.iter().filter_map(|d| d.path.clone()).collect(),
        ),
        Some(_) if !unidentified.is_empty() => (
            false,
            format!("{} matches no SPDX licence text", unidentified.join(", ")),
            "use the unmodified SPDX text of the declared licence, or name a custom licence \
             LicenseRef-<name> and tell the OSPO"
                .to_owned(),
            unidentified,
        ),
        Some(d)
            if licence_files.is_empty()
                && !super::id_set(&d.expression).iter().all(|id| {
                    reuse_texts.iter().any(|p| {
                        p.rsplit_once('.')
                            .is_some_and(|(s, _)| s.ends_with(id.as_str()))
                    })
                }) =>
        {
            (
                false,
                format!(
                    "{} declares {}, but no licence file holds its text",
                    d.found_by.source, d.expression
                ),
                format!(
                    "add the text of {} as LICENSE (or under LICENSES/)",
                    d.expression
                ),
                vec![d.found_by.source.clone()],
            )
        }
        Some(d) => (
            true,
            format!(
                "declared {} ({}), and the licence file(s) agree",
                d.expression, d.found_by.source
            ),
            String::new(),
            vec![d.found_by.source.clone()],
        ),
    };
    add("ready/licence-matches", pass, detail, fix, ps, Vec::new());

    // README, and it names the licence.
    let readmes: Vec<&Raw> = raws
        .iter()
        .filter(|r| !r.path.contains('/') && r.path.to_ascii_uppercase().starts_with("README"))
        .collect();
    let (pass, detail, fix) = match readmes.as_slice() {
        [] => (
            false,
            "no README at the root".to_owned(),
            "add a README saying what the project is, how to use it, and its licence".to_owned(),
        ),
        rs if !rs.iter().any(|r| r.mentions_licence) => (
            false,
            format!("{} does not mention the licence", rs[0].path),
            "add a Licence section naming the licence and pointing at LICENSE".to_owned(),
        ),
        rs => (
            true,
            format!("{} names the licence", rs[0].path),
            String::new(),
        ),
    };
    let readme_paths = readmes.iter().map(|r| r.path.clone()).collect();
    add("ready/readme", pass, detail, fix, readme_paths, Vec::new());

    // Community files, where repolinter looks for them: the root, docs/, .github/.
    for (code, stems, what, fix) in [
        (
            "ready/contributing",
            &["CONTRIB"][..],
            "contribution guide (CONTRIBUTING)",
            "add CONTRIBUTING.md: how to propose changes, the licence of contributions (inbound = \
             outbound, or DCO sign-off)",
        ),
        (
            "ready/code-of-conduct",
            &["CODEOFCONDUCT", "CODE-OF-CONDUCT", "CODE_OF_CONDUCT"][..],
            "code of conduct (CODE_OF_CONDUCT)",
            "add CODE_OF_CONDUCT.md (the Contributor Covenant, with a contact address)",
        ),
        (
            "ready/security",
            &["SECURITY"][..],
            "security policy (SECURITY)",
            "add SECURITY.md: how to report a vulnerability privately",
        ),
        (
            "ready/changelog",
            &["CHANGELOG", "CHANGES", "HISTORY", "NEWS"][..],
            "changelog (CHANGELOG)",
            "add CHANGELOG.md (one section per release)",
        ),
    ] {
        let found: Vec<String> = paths
            .iter()
            .filter(|p| {
                let (dir, name) = p.rsplit_once('/').unwrap_or(("", p));
                let up = name.to_ascii_uppercase();
                ["", "docs", ".github"].contains(&dir) && stems.iter().any(|s| up.starts_with(s))
            })
            .map(|p| (*p).to_owned())
            .collect();
        let pass = !found.is_empty();
        let detail = if pass {
            found.join(", ")
        } else {
            format!("no {what} at the root, in docs/ or in .github/")
        };
        add(code, pass, detail, fix.to_owned(), found, Vec::new());
    }

    // NOTICE, when the declared licence is Apache-2.0.
    let apache = summary
        .declared
        .as_ref()
        .is_some_and(|d| d.expression.contains("Apache-2.0"));
    let notices: Vec<String> = paths
        .iter()
        .filter(|p| !p.contains('/') && p.to_ascii_uppercase().starts_with("NOTICE"))
        .map(|p| (*p).to_owned())
        .collect();
    let pass = !apache || !notices.is_empty();
    add(
        "ready/notice",
        pass,
        if !apache {
            "the declared licence is not Apache-2.0: no NOTICE needed".to_owned()
        } else if pass {
            notices.join(", ")
        } else {
            "Apache-2.0 declared and no NOTICE file".to_owned()
        },
        "add NOTICE with the copyright notice and attributions the Apache License 2.0 \
         section 4(d) carries along"
            .to_owned(),
        notices,
        Vec::new(),
    );

    // Header coverage, as REUSE counts it.
    let eligible: Vec<&FileReport> = files
        .iter()
        .filter(|f| {
            let raw = raws.iter().find(|r| r.path == f.path);
            !super::reuse::is_excluded(&f.path)
                && !raw.is_some_and(|r| r.empty)
                && f.skipped.as_deref() != Some("symbolic link, not followed")
        })
        .collect();
    let n = eligible.len();
    let coverage = Coverage {
        files: n,
        with_licence: n.saturating_sub(reuse.missing_licence.len()),
        with_copyright: n.saturating_sub(reuse.missing_copyright.len()),
        with_both: eligible
            .iter()
            .filter(|f| {
                !reuse.missing_licence.contains(&f.path)
                    && !reuse.missing_copyright.contains(&f.path)
            })
            .count(),
    };
    let pct = |k: usize| {
        if n == 0 {
            100.0
        } else {
            k as f64 * 100.0 / n as f64
        }
    };
    let uncovered: Vec<String> = eligible
        .iter()
        .filter(|f| {
            reuse.missing_licence.contains(&f.path) || reuse.missing_copyright.contains(&f.path)
        })
        .map(|f| f.path.clone())
        .collect();
    add(
        "ready/header-coverage",
        uncovered.is_empty(),
        format!(
            "{} of {n} files ({:.1}%) carry both; licence {:.1}%, copyright {:.1}%",
            coverage.with_both,
            pct(coverage.with_both),
            pct(coverage.with_licence),
            pct(coverage.with_copyright)
        ),
        format!(
            "add SPDX-License-Identifier and SPDX-FileCopyrightText headers (`reuse annotate`), \
             or a REUSE.toml annotation for files that cannot hold one; first: {}",
            uncovered
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
        uncovered.clone(),
        Vec::new(),
    );

    // Third-party code: vendored folders and bundled licence texts.
    let mut vendored: BTreeMap<String, Vec<&FileReport>> = BTreeMap::new();
    for f in files {
        if let Some(dir) = vendor_dir(&f.path) {
            vendored.entry(dir).or_default().push(f);
        }
    }
    let mut third_party = Vec::new();
    let mut unidentified_vendor = Vec::new();
    for (dir, members) in &vendored {
        let mut licences: Vec<String> = members
            .iter()
            .flat_map(|f| &f.licence_findings)
            .filter(|l| !l.bundled)
            .map(|l| l.expression.clone())
            .collect();
        licences.sort();
        licences.dedup();
        let all_covered = members.iter().all(|f| f.licences.is_some());
        let has_text = members.iter().any(|f| {
            f.licence_findings
                .iter()
                .any(|l| matches!(l.found_by.method, Method::LicenceText | Method::Manifest))
        });
        if !(has_text || all_covered) {
            unidentified_vendor.push(dir.clone());
        }
        third_party.push(ThirdParty {
            path: dir.clone(),
            licences,
        });
    }
    for f in files {
        let mut licences: Vec<String> = f
            .licence_findings
            .iter()
            .filter(|l| l.bundled)
            .map(|l| l.expression.clone())
            .collect();
        licences.sort();
        licences.dedup();
        if !licences.is_empty() {
            third_party.push(ThirdParty {
                path: f.path.clone(),
                licences,
            });
        }
    }
    let detail = if third_party.is_empty() {
        "no vendored folders or bundled licence texts".to_owned()
    } else {
        third_party
            .iter()
            .map(|t| {
                format!(
                    "{} ({})",
                    t.path,
                    if t.licences.is_empty() {
                        "licence not identified".to_owned()
                    } else {
                        t.licences.join(", ")
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let per_file = unidentified_vendor
        .iter()
        .map(|d| Diagnostic {
            code: "ready/third-party",
            severity: Severity::Warning,
            path: Some(d.clone()),
            line: None,
            message: "third-party code without an identified licence: keep its LICENSE file \
                      beside it, or annotate it in REUSE.toml"
                .to_owned(),
        })
        .collect();
    add(
        "ready/third-party",
        unidentified_vendor.is_empty(),
        detail,
        "keep each component's licence text in its folder (or annotate it in REUSE.toml) and \
         list it in a NOTICE or third-party file"
            .to_owned(),
        if unidentified_vendor.is_empty() {
            third_party.iter().map(|t| t.path.clone()).collect()
        } else {
            unidentified_vendor
        },
        per_file,
    );

    // Binaries.
    let binaries: Vec<(&str, &str)> = raws
        .iter()
        .filter(|r| vendor_dir(&r.path).is_none_or(|d| !d.contains("node_modules")))
        .filter_map(|r| r.executable.map(|k| (r.path.as_str(), k)))
        .collect();
    let per_file = binaries
        .iter()
        .map(|(p, k)| Diagnostic {
            code: "ready/binaries",
            severity: Severity::Error,
            path: Some((*p).to_owned()),
            line: None,
            message: format!(
                "{k}: publish the source and build it in CI; attach binaries to releases, \
                 not to the tree"
            ),
        })
        .collect();
    add(
        "ready/binaries",
        binaries.is_empty(),
        if binaries.is_empty() {
            "no executables, libraries or compiled artefacts".to_owned()
        } else {
            format!("{} executable or compiled file(s)", binaries.len())
        },
        "remove them from the tree and build them from source".to_owned(),
        binaries.iter().map(|(p, _)| (*p).to_owned()).collect(),
        per_file,
    );

    // Secrets: the kind and the line, never the value.
    let secrets: Vec<(&str, &SecretHit)> = raws
        .iter()
        .flat_map(|r| r.secrets.iter().map(move |s| (r.path.as_str(), s)))
        .collect();
    let per_file = secrets
        .iter()
        .map(|(p, s)| Diagnostic {
            code: "ready/secrets",
            severity: Severity::Error,
            path: Some((*p).to_owned()),
            line: s.line,
            message: format!(
                "looks like a {}: remove it from the tree and from the git history, and revoke \
                 or rotate it",
                s.kind
            ),
        })
        .collect();
    let mut secret_paths: Vec<String> = secrets.iter().map(|(p, _)| (*p).to_owned()).collect();
    secret_paths.dedup();
    add(
        "ready/secrets",
        secrets.is_empty(),
        if secrets.is_empty() {
            "no private keys, tokens or credential files".to_owned()
        } else {
            format!(
                "{} credential(s) in {} file(s)",
                secrets.len(),
                secret_paths.len()
            )
        },
        "remove them (and from the history: git filter-repo), then revoke or rotate them"
            .to_owned(),
        secret_paths,
        per_file,
    );

    // Copyright holder: the one given, else the most frequent; third-party code left out.
    let own: Vec<&FileReport> = files
        .iter()
        .filter(|f| vendor_dir(&f.path).is_none() && !f.copyrights.is_empty())
        .collect();
    let mut counts: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for f in &own {
        let mut seen = Vec::new();
        for h in f.copyrights.iter().filter_map(|c| c.holder.as_deref()) {
            let k = normalise(h);
            if !seen.contains(&k) {
                seen.push(k.clone());
                counts.entry(k).or_insert((0, h.to_owned())).0 += 1;
            }
        }
    }
    let expected = match holder {
        Some(h) => Some(h.to_owned()),
        None => counts
            .values()
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, h)| h.clone()),
    };
    let (pass, detail, others) = match &expected {
        None => (true, "no copyright holder found".to_owned(), Vec::new()),
        Some(h) => {
            let want = normalise(h);
            let others: Vec<String> = own
                .iter()
                .filter(|f| {
                    !f.copyrights
                        .iter()
                        .filter_map(|c| c.holder.as_deref())
                        .any(|x| normalise(x).contains(&want))
                })
                .map(|f| f.path.clone())
                .collect();
            let naming = own.len() - others.len();
            let detail = if others.is_empty() {
                format!("every file with a copyright names {h} ({naming} files)")
            } else {
                let names: Vec<&str> = others
                    .iter()
                    .filter_map(|p| files.iter().find(|f| &f.path == p))
                    .flat_map(|f| f.copyrights.iter().filter_map(|c| c.holder.as_deref()))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .take(5)
                    .collect();
                format!(
                    "{naming} files name {h}, {} name others ({})",
                    others.len(),
                    names.join("; ")
                )
            };
            (others.is_empty(), detail, others)
        }
    };
    add(
        "ready/copyright-holder",
        pass,
        detail,
        format!(
            "check that each other holder agreed to publication (or that the work belongs to {}); \
             name the holder with --holder",
            expected.as_deref().unwrap_or("the lab")
        ),
        others,
        Vec::new(),
    );

    let errors = checks
        .iter()
        .filter(|c| c.outcome == Outcome::Fail && c.severity == Severity::Error)
        .count();
    let warnings = checks
        .iter()
        .filter(|c| c.outcome == Outcome::Fail && c.severity == Severity::Warning)
        .count();
    (
        Readiness {
            ready: errors + warnings == 0,
            errors,
            warnings,
            checks,
            coverage,
            third_party,
            holder: expected,
        },
        out,
    )
}

/// The vendored folder a path lies in (`src/vendor/foo` for `src/vendor/foo/x.c`, or the
/// vendor folder itself for a file directly in it).
fn vendor_dir(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let at = parts[..parts.len().saturating_sub(1)]
        .iter()
        .position(|p| VENDOR_DIRS.contains(&p.to_ascii_lowercase().as_str()))?;
    let end = if at + 2 < parts.len() { at + 2 } else { at + 1 };
    Some(parts[..end].join("/"))
}

/// A holder compared without case and trailing punctuation (`CERN.` is `cern`).
fn normalise(h: &str) -> String {
    h.trim()
        .trim_end_matches(['.', ',', ';'])
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_folders_are_named_by_their_component() {
        assert_eq!(
            vendor_dir("src/vendor/foo/x.c").as_deref(),
            Some("src/vendor/foo")
        );
        assert_eq!(
            vendor_dir("third_party/a.h").as_deref(),
            Some("third_party")
        );
        assert_eq!(vendor_dir("src/main.rs"), None);
        assert_eq!(vendor_dir("vendor"), None, "a file named vendor");
    }

    #[test]
    fn holders_compare_without_case_or_trailing_dots() {
        assert_eq!(normalise("CERN."), "cern");
        assert!(normalise("CERN for the benefit of the  ATLAS collaboration").contains("cern"));
    }
}
