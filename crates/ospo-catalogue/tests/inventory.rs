//! The SBOM and lockfile readers on real files: every file in the shared SBOM folder
//! (`../shared/data/sboms`, or `$OSPO_SHARED_DATA/sboms`; see its SOURCE file) is read or
//! refused with a located message and never panics, and known files come out right.

#![allow(
    clippy::print_stdout,
    reason = "the survey prints its table for whoever runs it with --nocapture"
)]

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ospo_catalogue::inventory::{self, Format, IngestError, Ingested};
use ospo_core::{Normalisation, Relation, Scope};

fn shared() -> PathBuf {
    support::sboms()
}

fn all_files() -> Vec<PathBuf> {
    support::sbom_files()
}

fn bytes(relative: &str) -> Vec<u8> {
    let path = shared().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(relative: &str) -> Ingested {
    inventory::read(relative, &bytes(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn entry<'a>(ingested: &'a Ingested, name: &str) -> &'a inventory::Entry {
    ingested
        .entries
        .iter()
        .find(|e| e.component.name == name)
        .unwrap_or_else(|| panic!("no component {name}"))
}

/// Every file is read or refused, never a panic; the counts are the ones measured when the
/// readers were written, so a reader that starts refusing (or accepting junk) shows here.
#[test]
fn every_real_sbom_is_read_or_refused_with_a_reason() {
    let mut read_by_format: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut refused: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut components = 0;
    println!(
        "{:<70} {:<16} {:>6} {:>6}",
        "file", "format", "comps", "warns"
    );
    for path in all_files() {
        let relative = path.strip_prefix(shared()).unwrap().display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| inventory::read(&relative, &bytes))
            .unwrap_or_else(|_| panic!("{relative}: the reader panicked"));
        match outcome {
            Ok(ingested) => {
                let format = ingested.format.to_string();
                println!(
                    "{relative:<70} {format:<16} {:>6} {:>6}",
                    ingested.entries.len(),
                    ingested.warnings.len()
                );
                let counts = read_by_format.entry(format).or_default();
                counts.0 += 1;
                counts.1 += ingested.entries.len();
                components += ingested.entries.len();
                for w in &ingested.warnings {
                    assert!(!w.location.is_empty(), "{relative}: {w} has no location");
                }
            }
            Err(e) => {
                println!("{relative:<70} REFUSED: {e}");
                let reason = match &e {
                    IngestError::Unrecognised { hint, .. } if hint.contains("JSON without") => {
                        "JSON that is not an SBOM"
                    }
                    IngestError::Unrecognised { .. } => "not an SBOM",
                    IngestError::Syntax { .. } => "malformed",
                    IngestError::Content { .. } => "invalid content",
                };
                refused.entry(reason.into()).or_default().push(relative);
            }
        }
    }
    println!("{read_by_format:?}\n{components} components\n{refused:#?}");
    let files = |format: &str| read_by_format.get(format).map_or(0, |c| c.0);
    assert_eq!(files("CycloneDX JSON"), 83);
    assert_eq!(files("CycloneDX XML"), 7);
    assert_eq!(files("SPDX JSON"), 37);
    assert_eq!(files("SPDX YAML"), 1);
    assert_eq!(files("SPDX tag-value"), 35);
    assert_eq!(files("SPDX 3 JSON-LD"), 26);
    let refusals = |reason: &str| refused.get(reason).map_or(0, Vec::len);
    // scanoss and osskb scan results and a licence list, named like SBOMs.
    assert_eq!(refusals("JSON that is not an SBOM"), 3);
    // MANIFEST.tsv, SOURCE and checksum files.
    assert_eq!(refusals("not an SBOM"), 5);
    // One real file is cut off in the middle of a licence text.
    assert_eq!(refused["malformed"], ["bom-shelter/spdx_istio-source.spdx"]);
    assert_eq!(refusals("invalid content"), 0);
    assert_eq!(components, 23_729);
}

#[test]
fn cyclonedx_licences_are_normalised_and_the_raw_string_kept() {
    let keycloak = read("cdx-bom-examples/SBOM_keycloak-10.0.2_bom.json");
    assert_eq!(keycloak.format, Format::CycloneDxJson);
    assert_eq!(keycloak.spec_version.as_deref(), Some("1.2"));
    assert_eq!(keycloak.subject.as_ref().unwrap().name, "keycloak-parent");
    assert_eq!(keycloak.entries.len(), 903);
    let resolved = keycloak
        .entries
        .iter()
        .filter(|e| e.component.licence().is_some())
        .count();
    // 788: with "Indiana University Extreme! Lab Software License 1.1.1", which only ScanCode's
    // LicenseDB names (LicenseRef-scancode-indiana-extreme).
    assert_eq!(resolved, 788, "licences resolved to SPDX");

    let stax = &entry(&keycloak, "stax2-api").component;
    let licence = stax.declared_licence.as_ref().unwrap();
    assert_eq!(licence.raw, "The BSD License");
    assert_eq!(licence.expression.as_ref().unwrap(), "BSD-3-Clause");
    assert_eq!(licence.normalisation, Normalisation::Name);
    let cglib = keycloak
        .entries
        .iter()
        .filter_map(|e| e.component.declared_licence.clone())
        .find(|l| l.raw == "http://www.apache.org/licenses/LICENSE-2.0.txt")
        .unwrap();
    assert_eq!(cglib.expression.unwrap(), "Apache-2.0");
    assert_eq!(cglib.normalisation, Normalisation::Url);
    assert_eq!(
        stax.purl.as_ref().unwrap().as_str(),
        "pkg:maven/org.codehaus.woodstox/stax2-api@4.1?type=jar"
    );
    assert_eq!(stax.ecosystem.as_deref(), Some("maven"));

    // A licence the list does not know is kept for review, with where it was found.
    let bc = entry(&keycloak, "bcprov-jdk15on")
        .component
        .declared_licence
        .clone()
        .unwrap();
    assert_eq!(
        (bc.raw.as_str(), bc.expression),
        ("Bouncy Castle Licence", None)
    );
    assert_eq!(bc.normalisation, Normalisation::Unmatched);
    let warning = &keycloak.warnings[0];
    assert_eq!(warning.location, "/components/0/licenses/0/license");
    assert!(
        warning.message.contains("Bouncy Castle Licence"),
        "{warning}"
    );
}

#[test]
fn a_with_expression_stays_whole() {
    let bom = read("cdx-spec-tests/1.7/valid-license-expression-1.7.json");
    let licence = bom.entries[0].component.declared_licence.clone().unwrap();
    assert_eq!(
        licence.raw,
        "EPL-2.0 OR GPL-2.0 WITH Classpath-exception-2.0"
    );
    // The deprecated GPL-2.0 is read as its current id; the exception stays on it.
    assert_eq!(
        licence.expression.unwrap(),
        "EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0"
    );
    assert_eq!(licence.normalisation, Normalisation::Spdx);
    assert_eq!(bom.entries[0].scope, Scope::Runtime);
}

#[test]
fn noassertion_is_no_licence_and_web_page_text_after_the_json_is_tolerated() {
    let sbom = read("bom-shelter/spdx_powershell-2.2.6.spdx.json");
    assert_eq!(sbom.format, Format::SpdxJson);
    assert_eq!(sbom.entries.len(), 96);
    assert_eq!(sbom.warnings.len(), 1);
    assert_eq!(sbom.warnings[0].location, "line 2765, column 1");
    assert!(sbom.warnings[0].message.contains("text after the JSON"));
    let xunit = entry(&sbom, "xunit");
    let concluded = xunit.component.concluded_licence.as_ref().unwrap();
    assert_eq!(concluded.raw, "NOASSERTION");
    assert_eq!(concluded.expression, None);
    assert_eq!(concluded.normalisation, Normalisation::NoAssertion);
    assert_eq!(xunit.component.licence(), None);
    // The described package is the subject; what it depends on is direct.
    assert_eq!(xunit.relation, Some(Relation::Direct));
    assert_eq!(
        xunit.component.purl.as_ref().unwrap().ecosystem(),
        "nuget",
        "from the purl external reference"
    );
}

#[test]
fn spdx_tag_value_is_read_with_warnings_on_its_lines() {
    let julia = read("bom-shelter/spdx_julia.spdx");
    assert_eq!(julia.format, Format::SpdxTagValue);
    assert_eq!(julia.entries.len(), 33);
    let warning = &julia.warnings[0];
    assert_eq!(warning.location, "line 249 (package 17, licenseDeclared)");
    assert!(warning.message.contains("BSD-3"), "{warning}");
    // The same document as JSON gives the same components.
    let json = read("bom-shelter/spdx_julia.spdx.json");
    let names = |i: &Ingested| -> Vec<String> {
        let mut names: Vec<String> = i.entries.iter().map(|e| e.component.name.clone()).collect();
        names.sort();
        names
    };
    assert_eq!(names(&julia), names(&json));
    // Lines ended by a lone carriage return.
    let cbor = read("bom-shelter/spdx_cbor-sbom.spdx");
    assert_eq!(cbor.spec_version.as_deref(), Some("SPDX-2.2"));
}

#[test]
fn truncated_files_are_refused_with_their_position() {
    let e = inventory::read(
        "spdx_istio-source.spdx",
        &bytes("bom-shelter/spdx_istio-source.spdx"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "spdx_istio-source.spdx:59827:23: not valid SPDX tag-value: the <text> of PackageCopyrightText is never closed with </text>"
    );
    let whole = bytes("cdx-bom-examples/SBOM_keycloak-10.0.2_bom.json");
    let cut = &whole[..whole.len() / 2];
    let e = inventory::read("bom.json", cut).unwrap_err();
    let IngestError::Syntax {
        line,
        column,
        message,
        ..
    } = &e
    else {
        panic!("{e}");
    };
    let text = String::from_utf8_lossy(cut);
    assert_eq!(*line, text.lines().count(), "{e}");
    assert!(*column >= 1 && message.contains("truncated"), "{e}");
    assert!(
        e.to_string()
            .starts_with(&format!("bom.json:{line}:{column}: not valid JSON")),
        "{e}"
    );
}

#[test]
fn other_files_are_refused_with_what_they_look_like() {
    let e = inventory::read(
        "context.json",
        br#"{"@context": "https://schema.org", "name": "x"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("JSON-LD, but not SPDX 3"), "{e}");
    let e = read_err("MANIFEST.tsv");
    assert!(
        e.starts_with("MANIFEST.tsv: not a format the inventory reads"),
        "{e}"
    );
}

fn read_err(relative: &str) -> String {
    inventory::read(relative, &bytes(relative))
        .unwrap_err()
        .to_string()
}

#[test]
fn cargo_lock_gives_crates_with_direct_and_transitive_use() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let text = std::fs::read(&path).unwrap();
    let lock = inventory::read("Cargo.lock", &text).unwrap();
    assert_eq!(lock.format, Format::CargoLock);
    assert_eq!(lock.spec_version.as_deref(), Some("4"));
    assert!(lock.warnings.is_empty(), "{:?}", lock.warnings);
    let packages = String::from_utf8_lossy(&text)
        .matches("[[package]]")
        .count();
    let members = String::from_utf8_lossy(&text)
        .split("[[package]]")
        .filter(|p| p.contains("name = \"ospo-"))
        .count();
    assert_eq!(
        lock.entries.len(),
        packages - members,
        "workspace members are not components"
    );
    let sqlx = entry(&lock, "sqlx");
    assert_eq!(sqlx.relation, Some(Relation::Direct));
    let purl = sqlx.component.purl.as_ref().unwrap();
    assert_eq!(purl.package(), "pkg:cargo/sqlx");
    assert_eq!(purl.version(), sqlx.component.version.as_deref());
    assert_eq!(
        entry(&lock, "sqlx-core").relation,
        Some(Relation::Transitive)
    );

    let e = inventory::read("Cargo.lock", b"version = 4\n[[package]\nname = \"x\"\n").unwrap_err();
    assert!(e.to_string().starts_with("Cargo.lock:2:"), "{e}");
}

#[test]
fn package_lock_versions_1_to_3() {
    let v3 = br#"{
  "name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": { "name": "app", "dependencies": { "express": "^4.19.0" },
          "devDependencies": { "@types/node": "^20" } },
    "node_modules/express": { "version": "4.19.2", "license": "MIT" },
    "node_modules/@types/node": { "version": "20.11.0", "dev": true, "license": "MIT" },
    "node_modules/express/node_modules/debug": { "version": "2.6.9", "license": "MIT" },
    "node_modules/accepts": { "version": "1.3.8", "license": "Apache 2.0" },
    "node_modules/odd": { "version": "0.1.0", "license": "SEE LICENSE IN LICENSE.txt" }
  }
}"#;
    let lock = inventory::read("package-lock.json", v3).unwrap();
    assert_eq!(lock.format, Format::PackageLock);
    assert_eq!(lock.subject.as_ref().unwrap().name, "app");
    assert_eq!(lock.entries.len(), 5);
    let express = entry(&lock, "express");
    assert_eq!(express.relation, Some(Relation::Direct));
    assert_eq!(
        express.component.purl.as_ref().unwrap().as_str(),
        "pkg:npm/express@4.19.2"
    );
    let types = entry(&lock, "@types/node");
    assert_eq!(
        (types.relation, types.scope),
        (Some(Relation::Direct), Scope::Development)
    );
    assert_eq!(
        types.component.purl.as_ref().unwrap().as_str(),
        "pkg:npm/%40types/node@20.11.0"
    );
    assert_eq!(entry(&lock, "debug").relation, Some(Relation::Transitive));
    let accepts = entry(&lock, "accepts")
        .component
        .declared_licence
        .clone()
        .unwrap();
    assert_eq!(accepts.expression.unwrap(), "Apache-2.0");
    assert_eq!(lock.warnings.len(), 1);
    assert_eq!(
        lock.warnings[0].location,
        "/packages/node_modules~1odd/license"
    );

    let v1 = br#"{ "name": "old", "lockfileVersion": 1, "dependencies": {
        "a": { "version": "1.0.0", "dependencies": { "b": { "version": "2.0.0", "optional": true } } } } }"#;
    let lock = inventory::read("package-lock.json", v1).unwrap();
    let names: Vec<_> = lock
        .entries
        .iter()
        .map(|e| (e.component.name.as_str(), e.relation, e.scope))
        .collect();
    assert_eq!(
        names,
        [
            ("a", None, Scope::Runtime),
            ("b", Some(Relation::Transitive), Scope::Optional)
        ]
    );
}

#[test]
fn cyclonedx_xml_reads_like_its_json_twin() {
    let xml = read("cdx-bom-examples/SBOM_cern-lhc-vdm-editor-e564943_bom.xml");
    let json = read("cdx-bom-examples/SBOM_cern-lhc-vdm-editor-e564943_bom.json");
    assert_eq!(xml.format, Format::CycloneDxXml);
    assert_eq!(xml.entries.len(), 43);
    let summary = |i: &Ingested| -> Vec<(String, Option<String>, Option<String>)> {
        let mut rows: Vec<_> = i
            .entries
            .iter()
            .map(|e| {
                let c = &e.component;
                (
                    c.name.clone(),
                    c.version.clone(),
                    c.licence().map(ToString::to_string),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(summary(&xml), summary(&json));
    assert!(
        summary(&xml).iter().any(|r| r.2.is_some()),
        "licences were read"
    );

    let text = bytes("cdx-bom-examples/SBOM_cern-lhc-vdm-editor-e564943_bom.xml");
    let cut = &text[..text.len() / 2];
    let e = inventory::read("bom.xml", cut).unwrap_err().to_string();
    assert!(e.starts_with("bom.xml:600:17: not valid XML"), "{e}");
    assert!(e.contains("end of input"), "{e}");
    // Cut between elements: the reader notices what is left open.
    let end = String::from_utf8_lossy(&text)
        .find("</components>")
        .unwrap();
    let e = inventory::read("bom.xml", &text[..end])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("the file ends inside <components> (the file is truncated)"),
        "{e}"
    );
    let laravel = read("cdx-bom-examples/SBOM_laravel-7.12.0_bom.1.1.xml");
    assert_eq!(
        laravel.warnings[0].message,
        "specVersion 1.1 is not 1.2–1.7; read as 1.7"
    );
}

#[test]
fn spdx3_packages_licences_and_dependencies_from_relationships() {
    let maven =
        read("spdx-examples/software_example14_spdx3.0_examplemaven-0.0.1-enriched.spdx3.json");
    assert_eq!(maven.format, Format::Spdx3JsonLd);
    assert_eq!(maven.spec_version.as_deref(), Some("3.0.1"));
    assert!(maven.warnings.is_empty(), "{:?}", maven.warnings);
    // The SpdxDocument's root element is the subject, with its licences from relationships.
    let subject = maven.subject.as_ref().unwrap();
    assert_eq!(
        (subject.name.as_str(), subject.version.as_deref()),
        ("examplemaven", Some("0.0.1"))
    );
    assert_eq!(subject.licence().unwrap(), "Apache-2.0");
    assert_eq!(subject.supplier.as_deref(), Some("SPDX"));
    let names: Vec<&str> = maven
        .entries
        .iter()
        .map(|e| e.component.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Apache Log4j Core",
            "Apache Log4j API",
            "SLF4J API Module",
            "Apache Log4j SLF4J Binding",
            "JUnit"
        ]
    );
    // A LifecycleScopedRelationship `dependsOn` with scope `test` from the root.
    let junit = entry(&maven, "JUnit");
    assert_eq!(junit.relation, Some(Relation::Direct));
    assert_eq!(junit.scope, Scope::Test);
    let declared = junit.component.declared_licence.as_ref().unwrap();
    assert_eq!(declared.expression.as_ref().unwrap(), "CPL-1.0");
    let concluded = junit.component.concluded_licence.as_ref().unwrap();
    assert_eq!(
        (concluded.raw.as_str(), concluded.normalisation),
        ("NOASSERTION", Normalisation::NoAssertion)
    );
    assert_eq!(junit.component.supplier.as_deref(), Some("JUnit"));
    // Packages the root reaches only through a jar (`contains` from a file) are not direct.
    assert_eq!(entry(&maven, "Apache Log4j Core").relation, None);

    // Package URLs from `software_packageUrl`; an AI package and a dataset are components too.
    let ai = read("spdx-examples/ai_example02_spdx3.0_sbom.spdx3.json");
    assert_eq!(ai.entries.len(), 1);
    let rust = read("spdx-examples/software_example11_spdx3.0_sbom.spdx3.json");
    type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let rows: Vec<Row<'_>> = rust
        .entries
        .iter()
        .map(|e| {
            let c = &e.component;
            (
                c.name.as_str(),
                c.version.as_deref(),
                c.purl.as_ref().map(|p| p.as_str()),
                c.ecosystem.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "hyper",
                Some("0.14"),
                Some("pkg:cargo/hyper@0.14"),
                Some("cargo")
            ),
            (
                "tokio",
                Some("1.19.2"),
                Some("pkg:cargo/tokio@1.19.2"),
                Some("cargo")
            ),
            (
                "pretty_env_logger",
                Some("0.4.0"),
                Some("pkg:cargo/pretty_env_logger@0.4.0"),
                Some("cargo")
            ),
        ]
    );
}

#[test]
fn spdx3_without_packages_is_read_with_a_warning() {
    let bin = read("spdx-examples/software_example7_spdx3.0_example7-bin.spdx3.json");
    assert!(bin.entries.is_empty() && bin.subject.is_none());
    assert_eq!(bin.warnings.len(), 1);
    assert_eq!(
        bin.warnings[0].to_string(),
        "/@graph: no packages in the document (1 files, which are not components)"
    );
    let e = inventory::read(
        "x.spdx3.json",
        br#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": {"type": "software_Package"}}"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.spdx3.json: /@graph: `@graph` must be an array of SPDX 3 elements"
    );
}

/// The expanded form JSON-LD processors write: every term a full IRI, `@type` and `@id`,
/// values wrapped in arrays of `{"@value": …}` and `{"@id": …}`.
fn expand(value: &serde_json::Value, key: Option<&str>) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    const TERMS: &str = "https://spdx.org/rdf/3.0.1/terms/";
    let iri = |term: &str| -> String {
        match term.split_once('_') {
            Some((profile, name)) => {
                let profile = match profile {
                    "software" => "Software",
                    "simplelicensing" => "SimpleLicensing",
                    "expandedlicensing" => "ExpandedLicensing",
                    "ai" => "AI",
                    "dataset" => "Dataset",
                    other => other,
                };
                format!("{TERMS}{profile}/{name}")
            }
            None => format!("{TERMS}Core/{term}"),
        }
    };
    match value {
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, v) in o {
                let (k2, v2) = match k.as_str() {
                    "type" => ("@type".to_owned(), json!([iri(v.as_str().unwrap())])),
                    "spdxId" | "@id" => ("@id".to_owned(), v.clone()),
                    "relationshipType" => (
                        iri(k),
                        json!([{"@id": format!("{TERMS}Core/RelationshipType/{}", v.as_str().unwrap())}]),
                    ),
                    "scope" => (
                        iri(k),
                        json!([{"@id": format!("{TERMS}Core/LifecycleScopeType/{}", v.as_str().unwrap())}]),
                    ),
                    _ => (iri(k), expand(v, Some(k))),
                };
                out.insert(k2, v2);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| expand(v, key)).collect()),
        Value::String(s)
            if matches!(
                key,
                Some("from" | "to" | "suppliedBy" | "originatedBy" | "rootElement")
            ) =>
        {
            json!([{"@id": s}])
        }
        other => json!([{"@value": other}]),
    }
}

#[test]
fn spdx3_expanded_term_names_read_like_the_compact_ones() {
    let relative =
        "spdx-examples/software_example14_spdx3.0_examplemaven-0.0.1-enriched.spdx3.json";
    let compact: serde_json::Value = serde_json::from_slice(&bytes(relative)).unwrap();
    let graph: Vec<serde_json::Value> = compact["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| expand(node, None))
        .collect();
    let expanded = serde_json::json!({"@context": compact["@context"], "@graph": graph});
    let text = serde_json::to_vec_pretty(&expanded).unwrap();
    assert!(
        String::from_utf8_lossy(&text)
            .contains("\"https://spdx.org/rdf/3.0.1/terms/Software/packageVersion\"")
    );
    let read_expanded = inventory::read("expanded.json", &text).unwrap();
    let read_compact = read(relative);
    assert_eq!(read_expanded.subject, read_compact.subject);
    assert_eq!(read_expanded.entries, read_compact.entries);
    assert_eq!(entry(&read_expanded, "JUnit").scope, Scope::Test);
}

/// Each reader alone (`read_as`, what the fuzz targets drive) reads every file of the corpus,
/// every lockfile fixture and this workspace's own lockfiles exactly as detection does; a file
/// handed to the reader of another format is refused, not misread.
#[test]
fn each_reader_alone_reads_what_detection_reads() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lockfiles");
    let mut files: Vec<(String, Vec<u8>)> = all_files()
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    for dir in std::fs::read_dir(&fixtures).unwrap() {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for f in std::fs::read_dir(&dir).unwrap() {
                let f = f.unwrap().path();
                files.push((f.display().to_string(), std::fs::read(&f).unwrap()));
            }
        }
    }
    // This workspace's own lockfiles: Cargo's, and npm's of the browser tests.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    files.push((
        "Cargo.lock".into(),
        std::fs::read(root.join("Cargo.lock")).unwrap(),
    ));
    files.push((
        "package-lock.json".into(),
        std::fs::read(root.join("tests/browser/package-lock.json")).unwrap(),
    ));
    files.push((
        "requirements.txt".into(),
        b"Flask==3.1.0 \\\n    --hash=sha256:abc\nrequests[socks]==2.32.3 ; python_version >= \"3.8\"\n"
            .to_vec(),
    ));
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (name, bytes) in &files {
        let Ok(detected) = inventory::read(name, bytes) else {
            continue;
        };
        let alone = inventory::read_as(detected.format, name, bytes)
            .unwrap_or_else(|e| panic!("{name} as {}: {e}", detected.format));
        assert_eq!(alone, detected, "{name}");
        *seen.entry(detected.format.to_string()).or_default() += 1;
    }
    assert_eq!(seen.len(), 18, "every reader met a real file: {seen:?}");
    // The wrong reader: a CycloneDX file is no Cargo.lock, a Cargo.lock no CycloneDX JSON.
    let (name, cdx) = files
        .iter()
        .find(|(n, b)| inventory::read(n, b).is_ok_and(|i| i.format == Format::CycloneDxJson))
        .unwrap();
    assert!(inventory::read_as(Format::CargoLock, name, cdx).is_err());
    let lock = &files.iter().find(|(n, _)| n == "Cargo.lock").unwrap().1;
    let e = inventory::read_as(Format::CycloneDxJson, "Cargo.lock", lock).unwrap_err();
    assert!(
        matches!(e, IngestError::Syntax { line: 1, .. }),
        "a Cargo.lock read as JSON stops at line 1: {e}"
    );
}
