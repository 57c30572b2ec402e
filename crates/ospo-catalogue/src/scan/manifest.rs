//! Licences declared in package manifests: `Cargo.toml` (`package.license`,
//! `workspace.package.license`), `package.json` (`license`, legacy `licenses`) and
//! `pyproject.toml` (PEP 639 `project.license`, the older `{ text = ... }` table,
//! `tool.poetry.license`, and `License ::` trove classifiers).
//!
//! Only the licence fields are read: a dependency's name or licence is never taken for the
//! package's own.

/// A licence field as written in a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Declared {
    /// The field, e.g. `package.license`.
    pub field: String,
    /// Its value as written.
    pub value: String,
    /// 1-based line of the value, when it can be found in the text.
    pub line: Option<usize>,
}

/// Whether a file name is a manifest this module reads.
pub(crate) fn is_manifest(name: &str) -> bool {
    matches!(name, "Cargo.toml" | "package.json" | "pyproject.toml")
}

/// The licence fields of a manifest, or why it could not be read.
pub(crate) fn read(name: &str, text: &str) -> Result<Vec<Declared>, String> {
    let mut out = Vec::new();
    match name {
        "Cargo.toml" => {
            let t: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
            for (table, field) in [("package", "package.license"), ("workspace", "")] {
                let Some(section) = t.get(table).and_then(toml::Value::as_table) else {
                    continue;
                };
                let (value, field) = if table == "workspace" {
                    (
                        section
                            .get("package")
                            .and_then(toml::Value::as_table)
                            .and_then(|p| p.get("license")),
                        "workspace.package.license",
                    )
                } else {
                    (section.get("license"), field)
                };
                if let Some(v) = value.and_then(toml::Value::as_str) {
                    out.push(found(text, field, v));
                }
            }
        }
        "package.json" => {
            let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            match v.get("license") {
                Some(serde_json::Value::String(s)) => out.push(found(text, "license", s)),
                Some(serde_json::Value::Object(o)) => {
                    if let Some(s) = o.get("type").and_then(serde_json::Value::as_str) {
                        out.push(found(text, "license.type", s));
                    }
                }
                _ => {}
            }
            if let Some(list) = v.get("licenses").and_then(serde_json::Value::as_array) {
                for l in list {
                    if let Some(s) = l.get("type").and_then(serde_json::Value::as_str) {
                        out.push(found(text, "licenses[].type", s));
                    }
                }
            }
        }
        "pyproject.toml" => {
            let t: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
            if let Some(project) = t.get("project").and_then(toml::Value::as_table) {
                match project.get("license") {
                    Some(toml::Value::String(s)) => out.push(found(text, "project.license", s)),
                    Some(toml::Value::Table(l)) => {
                        if let Some(s) = l.get("text").and_then(toml::Value::as_str)
                            && s.len() < 200
                        {
                            out.push(found(text, "project.license.text", s.trim()));
                        }
                    }
                    _ => {}
                }
                if out.is_empty()
                    && let Some(cs) = project.get("classifiers").and_then(toml::Value::as_array)
                {
                    for c in cs.iter().filter_map(toml::Value::as_str) {
                        if c.starts_with("License ::") && !c.ends_with(":: OSI Approved") {
                            out.push(found(text, "project.classifiers", c));
                        }
                    }
                }
            }
            if let Some(s) = t
                .get("tool")
                .and_then(|t| t.get("poetry"))
                .and_then(|p| p.get("license"))
                .and_then(toml::Value::as_str)
            {
                out.push(found(text, "tool.poetry.license", s));
            }
        }
        _ => {}
    }
    Ok(out)
}

/// A declared value with the line it is on.
fn found(text: &str, field: &str, value: &str) -> Declared {
    // The line with the value and the key (`license = "MIT"`), else the first with the value.
    let key = field
        .rsplit('.')
        .next()
        .unwrap_or(field)
        .trim_end_matches("[]");
    let key = if key == "type" { "license" } else { key };
    let line = text
        .lines()
        .position(|l| l.contains(value) && l.contains(key) && !l.trim_start().starts_with('#'))
        .or_else(|| text.lines().position(|l| l.contains(value)))
        .map(|i| i + 1);
    Declared {
        field: field.to_owned(),
        value: value.to_owned(),
        line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_package_and_workspace() {
        let d = read(
            "Cargo.toml",
            "[package]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n\n[dependencies]\ngpl = \"1\"\n",
        )
        .unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "package.license");
        assert_eq!(d[0].value, "MIT OR Apache-2.0");
        assert_eq!(d[0].line, Some(3));
        let d = read(
            "Cargo.toml",
            "[workspace.package]\nlicense = \"Apache-2.0\"\n",
        )
        .unwrap();
        assert_eq!(d[0].field, "workspace.package.license");
    }

    #[test]
    fn pyproject_forms_and_not_dependencies() {
        let d = read(
            "pyproject.toml",
            "[project]\nname = \"x\"\nlicense = { text = \"BSD-3-Clause\" }\ndependencies = [\"gpl-tool\"]\n",
        )
        .unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].value, "BSD-3-Clause");
        let d = read(
            "pyproject.toml",
            "[project]\nclassifiers = [\"License :: OSI Approved :: MIT License\", \"Programming Language :: Python\"]\n",
        )
        .unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "project.classifiers");
    }

    #[test]
    fn package_json_and_broken_input() {
        let d = read("package.json", "{\"name\": \"x\", \"license\": \"ISC\"}").unwrap();
        assert_eq!(d[0].value, "ISC");
        let err = read("package.json", "{\"license\": ").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
    }
}
