//! `ospo scan -f spdx-json` and `-f cyclonedx-json`: what the documents carry, and that their
//! identifiers are derived from the content. (scripts/sbom-check.sh validates the same documents
//! with pyspdxtools and cyclonedx-python-lib.)

use ospo_e2e::{ospo, stdout};
use serde_json::Value;
use std::path::Path;

fn write(root: &Path, path: &str, content: impl AsRef<[u8]>) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// A tree with a declared licence, a LicenseRef tag with a non-ASCII holder, a dual licence
/// with an exception, and a binary.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "pyproject.toml",
        "[project]\nname = \"demo\"\nlicense = \"MIT\"\n",
    );
    write(
        r,
        "src/a.py",
        format!(
            "# SPDX-{}: 2024 Universität Hamburg\n# SPDX-{}: LicenseRef-Lab-1.0\nx = 1\n",
            "FileCopyrightText", "License-Identifier"
        ),
    );
    write(
        r,
        "src/b.java",
        format!(
            "// SPDX-{}: GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT\n// Copyright (c) 2020 CESNET z.s.p.o.\n",
            "License-Identifier"
        ),
    );
    write(r, "src/blob.bin", b"\x00\x01binary");
    dir
}

fn doc(root: &Path, format: &str) -> Value {
    let o = ospo(&["scan", root.to_str().unwrap(), "-f", format])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)))
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list:#}"))
}

#[test]
fn spdx_lists_each_file_with_checksum_licences_and_copyright() {
    let dir = tree();
    let d = doc(dir.path(), "spdx-json");
    assert_eq!(d["spdxVersion"], "SPDX-2.3");
    assert_eq!(d["creationInfo"]["created"], "2023-11-14T22:13:20Z");
    let p = &d["packages"][0];
    assert_eq!(p["licenseDeclared"], "MIT");
    assert_eq!(
        p["licenseConcluded"],
        "(GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT) AND LicenseRef-Lab-1.0 AND MIT"
    );
    let a = find(&d["files"], "fileName", "./src/a.py");
    assert_eq!(
        a["checksums"][0]["checksumValue"],
        "55a1d1482f24d1f272f1e1025ad7629bb8eedbda"
    );
    assert_eq!(
        a["licenseInfoInFiles"],
        serde_json::json!(["LicenseRef-Lab-1.0"])
    );
    assert_eq!(a["copyrightText"], "2024 Universität Hamburg");
    let b = find(&d["files"], "fileName", "./src/b.java");
    assert_eq!(
        b["licenseInfoInFiles"],
        serde_json::json!(["GPL-2.0-or-later", "MIT"]),
        "exceptions are not licences"
    );
    assert_eq!(b["copyrightText"], "Copyright (c) 2020 CESNET z.s.p.o.");
    let bin = find(&d["files"], "fileName", "./src/blob.bin");
    assert_eq!(
        bin["licenseInfoInFiles"],
        serde_json::json!(["NOASSERTION"])
    );
    let refs = &d["hasExtractedLicensingInfos"];
    assert_eq!(refs[0]["licenseId"], "LicenseRef-Lab-1.0");
    // One DESCRIBES and one CONTAINS per file.
    assert_eq!(d["relationships"].as_array().unwrap().len(), 1 + 4);
}

#[test]
fn document_identifiers_follow_the_content() {
    let dir = tree();
    let first = doc(dir.path(), "spdx-json");
    let again = doc(dir.path(), "spdx-json");
    assert_eq!(first, again, "same tree, same time: the same document");
    let cdx = doc(dir.path(), "cyclonedx-json");
    assert_eq!(cdx, doc(dir.path(), "cyclonedx-json"));
    write(dir.path(), "src/a.py", "changed\n");
    let changed = doc(dir.path(), "spdx-json");
    assert_ne!(first["documentNamespace"], changed["documentNamespace"]);
    assert_ne!(
        cdx["serialNumber"],
        doc(dir.path(), "cyclonedx-json")["serialNumber"]
    );
}

#[test]
fn cyclonedx_has_the_tree_as_component_and_files_with_evidence() {
    let dir = tree();
    let d = doc(dir.path(), "cyclonedx-json");
    assert_eq!(d["bomFormat"], "CycloneDX");
    assert_eq!(d["specVersion"], "1.6");
    let serial = d["serialNumber"].as_str().unwrap();
    assert!(
        serial.starts_with("urn:uuid:") && serial.as_bytes()[23] == b'5',
        "{serial}"
    );
    let root = &d["metadata"]["component"];
    assert_eq!(root["licenses"][0]["expression"], "MIT");
    assert_eq!(root["licenses"][0]["acknowledgement"], "declared");
    let b = find(&d["components"], "name", "src/b.java");
    assert_eq!(b["type"], "file");
    assert_eq!(
        b["licenses"][0]["expression"],
        "GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT"
    );
    assert_eq!(
        b["evidence"]["copyright"][0]["text"],
        "Copyright (c) 2020 CESNET z.s.p.o."
    );
    assert_eq!(b["hashes"][0]["alg"], "SHA-1");
}
