//! `ospo inventory read`: real SBOMs and lockfiles, read or refused with where and why.

use ospo_e2e::{repo_root, run, stderr, stdout};

fn sboms() -> std::path::PathBuf {
    std::env::var_os("OSPO_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"))
        .join("sboms")
}

#[test]
fn a_real_sbom_is_read_with_its_licences_normalised() {
    let file = sboms().join("cdx-bom-examples/SBOM_keycloak-10.0.2_bom.json");
    let o = run(&["inventory", "read", file.to_str().unwrap(), "-f", "json"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    let text = v.to_string();
    assert!(text.contains("BSD-3-Clause"), "a licence name normalised");
    assert!(text.contains("Apache-2.0"));
    let o = run(&["inventory", "read", file.to_str().unwrap()]);
    assert!(stdout(&o).contains("903"), "{}", stdout(&o));
}

#[test]
fn a_truncated_file_is_refused_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.cdx.json");
    std::fs::write(
        &path,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "a", "#,
    )
    .unwrap();
    let o = run(&["inventory", "read", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bom.cdx.json:1:"), "{err}");
    let o = run(&["inventory", "read", "Cargo.lock"]);
    assert_eq!(o.status.code(), Some(2), "a missing file is a failure");
    let lock = repo_root().join("Cargo.lock");
    let o = run(&["inventory", "read", lock.to_str().unwrap(), "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"sqlx\""));
}
