//! The scan as an SPDX 2.3 JSON document and as a CycloneDX 1.6 JSON BOM: the scanned tree as
//! one package (declared licence from the manifest or licence file, concluded licence from what
//! the files hold), and each file with its checksum, licences and copyrights.
//!
//! Identifiers are deterministic: the SPDX document namespace and the CycloneDX serial number
//! are derived from the content (the SPDX package verification code, SPDX 2.3 section 7.9), so
//! scanning the same tree twice gives the same document but for the creation time, which the
//! caller gives (`SOURCE_DATE_EPOCH` makes it reproducible too).
//!
//! SPDX 2.3: <https://spdx.github.io/spdx-spec/v2.3/>; CycloneDX 1.6:
//! <https://cyclonedx.org/docs/1.6/json/>.

use super::{FileReport, Report};
use ospo_licence::{ExceptionId, LicenceId};
use serde_json::{Value, json};
use sha1::{Digest, Sha1};
use std::collections::BTreeSet;

/// An SPDX expression made valid for SPDX documents: ids not on the SPDX list become
/// `LicenseRef-` references (collected in `refs`).
fn spdx_expression(e: &str, refs: &mut BTreeSet<String>) -> String {
    let mut out = String::new();
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String, refs: &mut BTreeSet<String>| {
        if token.is_empty() {
            return;
        }
        let t = std::mem::take(token);
        let plus = t.ends_with('+');
        let base = t.trim_end_matches('+');
        let mapped = if ["AND", "OR", "WITH"].contains(&base) {
            base.to_owned()
        } else if let Some(id) = LicenceId::find(base) {
            format!("{}{}", id.name(), if plus { "+" } else { "" })
        } else if let Some(x) = ExceptionId::find(base) {
            x.name().to_owned()
        } else if base.starts_with("LicenseRef-") || base.starts_with("DocumentRef-") {
            refs.insert(base.to_owned());
            base.to_owned()
        } else {
            let r = licence_ref(base);
            refs.insert(r.clone());
            r
        };
        out.push_str(&mapped);
    };
    for c in e.chars() {
        if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut token, &mut out, refs);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out, refs);
    out
}

/// `LicenseRef-` and the id with characters SPDX does not allow replaced by `-`.
fn licence_ref(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("LicenseRef-{clean}")
}

/// The licence ids (no exceptions, no operators) of an SPDX expression.
fn licence_ids(e: &str) -> Vec<String> {
    e.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && !["AND", "OR", "WITH"].contains(t))
        .filter(|t| ExceptionId::find(t).is_none())
        .map(str::to_owned)
        .collect()
}

/// The files that go into the documents: those with a checksum (read, or hashed past the size
/// limit), so not links or unreadable files.
fn documented(r: &Report) -> Vec<&FileReport> {
    r.files.iter().filter(|f| f.sha1.is_some()).collect()
}

/// The SPDX package verification code (SPDX 2.3 section 7.9): the SHA-1 of the sorted SHA-1s
/// of the package's files.
fn verification_code(files: &[&FileReport]) -> String {
    let mut sums: Vec<&str> = files.iter().filter_map(|f| f.sha1.as_deref()).collect();
    sums.sort_unstable();
    super::hex(&Sha1::digest(sums.concat().as_bytes()))
}

/// The package's name: the last component of the scanned root.
fn package_name(r: &Report) -> String {
    let p = std::path::Path::new(&r.root);
    std::fs::canonicalize(p)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "source-tree".to_owned())
}

/// The copyright statements of a file, one per line, or `None`.
fn copyright_text(f: &FileReport) -> Option<String> {
    let mut seen = Vec::new();
    for c in &f.copyrights {
        if !seen.contains(&c.statement) {
            seen.push(c.statement.clone());
        }
    }
    (!seen.is_empty()).then(|| seen.join("\n"))
}

/// The concluded licence of the package: every licence found in its files (licence texts
/// under `LICENSES/` aside), all applying, or `None`.
fn concluded(r: &Report, refs: &mut BTreeSet<String>) -> Option<String> {
    let mut exprs: Vec<String> = Vec::new();
    for e in r.summary.licences.keys() {
        let e = spdx_expression(e, refs);
        // A conjunction is read apart, so that each licence is named once.
        let parts: Vec<String> = if e.contains(" OR ") {
            vec![e]
        } else {
            e.replace(['(', ')'], "")
                .split(" AND ")
                .map(|p| p.trim().to_owned())
                .collect()
        };
        for p in parts {
            if !exprs.contains(&p) {
                exprs.push(p);
            }
        }
    }
    exprs.sort();
    match exprs.len() {
        0 => None,
        1 => Some(exprs[0].clone()),
        _ => Some(
            exprs
                .iter()
                .map(|e| {
                    if e.contains(' ') {
                        format!("({e})")
                    } else {
                        e.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

/// The scan as an SPDX 2.3 JSON document. `created` is an RFC 3339 UTC time
/// (`2026-01-31T12:00:00Z`). Files need checksums: scan with `Options::checksums`.
pub fn spdx(r: &Report, created: &str) -> Value {
    let files = documented(r);
    let code = verification_code(&files);
    let name = package_name(r);
    let mut refs = BTreeSet::new();
    let mut all_ids = BTreeSet::new();
    let file_values: Vec<Value> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut ids = BTreeSet::new();
            for l in &f.licence_findings {
                for id in licence_ids(&spdx_expression(&l.expression, &mut refs)) {
                    ids.insert(id);
                }
            }
            all_ids.extend(ids.iter().cloned());
            let info: Vec<String> = if ids.is_empty() {
                vec![if f.skipped.is_some() {
                    "NOASSERTION".to_owned()
                } else {
                    "NONE".to_owned()
                }]
            } else {
                ids.into_iter().collect()
            };
            let mut v = json!({
                "fileName": format!("./{}", f.path),
                "SPDXID": format!("SPDXRef-File-{}", i + 1),
                "checksums": [{"algorithm": "SHA1", "checksumValue": f.sha1}],
                "licenseConcluded": "NOASSERTION",
                "licenseInfoInFiles": info,
                "copyrightText": copyright_text(f).unwrap_or_else(|| {
                    if f.skipped.is_some() { "NOASSERTION" } else { "NONE" }.to_owned()
                }),
            });
            if let Some(e) = &f.licences {
                v["licenseComments"] = json!(format!(
                    "ospo scan found: {}",
                    spdx_expression(e, &mut refs)
                ));
            }
            v
        })
        .collect();
    let declared = r
        .summary
        .declared
        .as_ref()
        .map(|d| spdx_expression(&d.expression, &mut refs))
        .unwrap_or_else(|| "NOASSERTION".to_owned());
    let concluded = concluded(r, &mut refs).unwrap_or_else(|| "NOASSERTION".to_owned());
    let mut holders: Vec<&String> = r.summary.holders.keys().collect();
    holders.sort();
    let package_copyright = if holders.is_empty() {
        "NOASSERTION".to_owned()
    } else {
        holders
            .iter()
            .map(|h| format!("Copyright {h}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let info_from_files: Vec<String> = if all_ids.is_empty() {
        vec!["NONE".to_owned()]
    } else {
        all_ids.into_iter().collect()
    };
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": "SPDXRef-Package",
    })];
    relationships.extend((1..=files.len()).map(|i| {
        json!({
            "spdxElementId": "SPDXRef-Package",
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": format!("SPDXRef-File-{i}"),
        })
    }));
    let extracted: Vec<Value> = refs
        .iter()
        .filter(|r| r.starts_with("LicenseRef-"))
        .map(|id| {
            json!({
                "licenseId": id,
                "name": id.trim_start_matches("LicenseRef-"),
                "extractedText": format!(
                    "A licence not on the SPDX list, named {id} where ospo scan found it; \
                     see the files that name it."
                ),
            })
        })
        .collect();
    let uri_name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": format!("{name} (ospo scan)"),
        "documentNamespace": format!("https://spdx.org/spdxdocs/ospo-scan/{uri_name}-{code}"),
        "creationInfo": {
            "created": created,
            "creators": [format!("Tool: ospo-{}", env!("CARGO_PKG_VERSION"))],
            // SPDX 2.3 section 6.7 wants MAJOR.MINOR.
            "licenseListVersion": ospo_licence::spdx_list_version()
                .split('.')
                .take(2)
                .collect::<Vec<_>>()
                .join("."),
        },
        "documentDescribes": ["SPDXRef-Package"],
        "packages": [{
            "SPDXID": "SPDXRef-Package",
            "name": name,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": true,
            "packageVerificationCode": {"packageVerificationCodeValue": code},
            "licenseConcluded": concluded,
            "licenseDeclared": declared,
            "licenseInfoFromFiles": info_from_files,
            "copyrightText": package_copyright,
            "primaryPackagePurpose": "SOURCE",
        }],
        "files": file_values,
        "relationships": relationships,
    });
    if !extracted.is_empty() {
        doc["hasExtractedLicensingInfos"] = json!(extracted);
    }
    doc
}

/// A name-based UUID (RFC 9562 version 5, SHA-1) in the URL namespace.
fn uuid5(name: &str) -> String {
    // The URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
    const URL_NS: [u8; 16] = [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];
    let mut h = Sha1::new();
    h.update(URL_NS);
    h.update(name.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = super::hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

/// CycloneDX `licenses`: one SPDX expression.
fn cdx_licences(e: &str, refs: &mut BTreeSet<String>, ack: Option<&str>) -> Value {
    let mut l = json!({"expression": spdx_expression(e, refs)});
    if let Some(a) = ack {
        l["acknowledgement"] = json!(a);
    }
    json!([l])
}

/// The scan as a CycloneDX 1.6 JSON BOM: the tree as the BOM's component (declared licence),
/// each file a `file` component with its SHA-1, licences and copyrights (as evidence).
/// `created` is an RFC 3339 UTC time. Files need checksums: scan with `Options::checksums`.
pub fn cyclonedx(r: &Report, created: &str) -> Value {
    let files = documented(r);
    let code = verification_code(&files);
    let name = package_name(r);
    let mut refs = BTreeSet::new();
    let components: Vec<Value> = files
        .iter()
        .map(|f| {
            let mut c = json!({
                "type": "file",
                "bom-ref": format!("file:{}", f.path),
                "name": f.path,
                "hashes": [{"alg": "SHA-1", "content": f.sha1}],
            });
            if let Some(e) = &f.licences {
                c["licenses"] = cdx_licences(e, &mut refs, None);
            }
            if let Some(t) = copyright_text(f) {
                c["copyright"] = json!(t);
                let texts: Vec<Value> = f
                    .copyrights
                    .iter()
                    .map(|c| json!({"text": c.statement}))
                    .collect();
                c["evidence"] = json!({"copyright": texts});
            }
            c
        })
        .collect();
    let mut root = json!({
        "type": "application",
        "bom-ref": "root",
        "name": name,
    });
    if let Some(d) = &r.summary.declared {
        root["licenses"] = cdx_licences(&d.expression, &mut refs, Some("declared"));
    }
    let mut holders: Vec<&String> = r.summary.holders.keys().collect();
    holders.sort();
    if !holders.is_empty() {
        root["copyright"] = json!(
            holders
                .iter()
                .map(|h| format!("Copyright {h}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    let dependencies = vec![json!({
        "ref": "root",
        "dependsOn": [],
    })];
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", uuid5(&format!("ospo-scan:{name}:{code}"))),
        "version": 1,
        "metadata": {
            "timestamp": created,
            "tools": {"components": [{
                "type": "application",
                "name": "ospo",
                "version": env!("CARGO_PKG_VERSION"),
            }]},
            "component": root,
        },
        "components": components,
        "dependencies": dependencies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_keep_spdx_ids_and_name_others_as_licence_refs() {
        let mut refs = BTreeSet::new();
        assert_eq!(
            spdx_expression(
                "(MIT OR apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0",
                &mut refs
            ),
            "(MIT OR Apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0"
        );
        assert!(refs.is_empty());
        assert_eq!(
            spdx_expression("LicenseRef-scancode-geant4-sl-1.0 OR Foo_Bar", &mut refs),
            "LicenseRef-scancode-geant4-sl-1.0 OR LicenseRef-Foo-Bar"
        );
        assert_eq!(refs.len(), 2);
        assert_eq!(
            licence_ids("GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT"),
            vec!["GPL-2.0-or-later", "MIT"]
        );
    }

    #[test]
    fn uuid5_is_the_rfc_one() {
        // RFC 9562 appendix: no vector for the URL namespace; python's uuid.uuid5(NAMESPACE_URL,
        // "https://www.python.org/") is 5406f80d-92e9-51cd-a176-77445955e733.
        assert_eq!(
            uuid5("https://www.python.org/"),
            "5406f80d-92e9-51cd-a176-77445955e733"
        );
    }
}
