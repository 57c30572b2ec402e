//! Licences declared in package manifests: `Cargo.toml` (`package.license`,
//! `workspace.package.license`), `package.json` (`license`, legacy `licenses`) and
//! `pyproject.toml` (PEP 639 `project.license`, the older `{ text = ... }` table,
//! `tool.poetry.license`, and `License ::` trove classifiers), `setup.cfg` (`[metadata]`
//! `license` and classifiers), `setup.py` (a `license=` string literal, else classifiers), R's
//! `DESCRIPTION` (`License:`, with R's own spellings such as `GPL (>= 2)` and `+ file LICENSE`),
//! `*.gemspec` (`license` / `licenses`), Maven's `pom.xml` (`project/licenses/license/name`),
//! and Python's core metadata, as an sdist's `PKG-INFO` and a wheel's `*.dist-info/METADATA`
//! keep it (`License-Expression`, else a one-line `License` that reads as a licence, else the
//! `License ::` classifiers).
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
    matches!(
        name,
        "Cargo.toml"
            | "package.json"
            | "pyproject.toml"
            | "setup.cfg"
            | "setup.py"
            | "DESCRIPTION"
            | "pom.xml"
            | "PKG-INFO"
            | "METADATA"
    ) || name.ends_with(".gemspec")
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
        "setup.cfg" => out = setup_cfg(text),
        "setup.py" => out = setup_py(text),
        "DESCRIPTION" => out = description(text),
        "pom.xml" => out = pom(text)?,
        "PKG-INFO" | "METADATA" => out = core_metadata(text),
        n if n.ends_with(".gemspec") => out = gemspec(text),
        _ => {}
    }
    Ok(out)
}

/// Python's core metadata (an email-style header block, <https://packaging.python.org/en/latest/
/// specifications/core-metadata/>): `License-Expression` (metadata 2.4), else a `License` that
/// is one line and reads as a licence (it often holds a whole licence text, or "UNKNOWN"),
/// else the `License ::` classifiers. A file named so that does not open with
/// `Metadata-Version` is not core metadata and gives nothing.
fn core_metadata(text: &str) -> Vec<Declared> {
    if !text.starts_with("Metadata-Version:") {
        return Vec::new();
    }
    let mut fields: Vec<(&str, String, bool)> = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.2 = true;
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            fields.push((key.trim(), value.trim().to_owned(), false));
        }
    }
    let field = |name: &str| fields.iter().find(|(k, ..)| k.eq_ignore_ascii_case(name));
    if let Some((_, v, _)) = field("License-Expression")
        && !v.is_empty()
    {
        return vec![found(text, "License-Expression", v)];
    }
    if let Some((_, v, continued)) = field("License")
        && !continued
        && !v.is_empty()
        && v.len() < 100
        && ospo_licence::read(v).is_ok()
    {
        return vec![found(text, "License", v)];
    }
    fields
        .iter()
        .filter(|(k, v, _)| {
            k.eq_ignore_ascii_case("Classifier")
                && v.starts_with("License ::")
                && !v.ends_with(":: OSI Approved")
        })
        .map(|(_, v, _)| found(text, "Classifier", v))
        .collect()
}

/// `setup.cfg`: `[metadata]` `license`, else its `License ::` classifiers.
fn setup_cfg(text: &str) -> Vec<Declared> {
    let mut out = Vec::new();
    let mut classifiers = Vec::new();
    let mut section = String::new();
    let mut in_classifiers = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') {
            section = t[1..t.len() - 1].trim().to_owned();
            in_classifiers = false;
            continue;
        }
        if section != "metadata" || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        let continuation = line.starts_with([' ', '\t']);
        if in_classifiers && continuation {
            if t.starts_with("License ::") && !t.ends_with(":: OSI Approved") {
                classifiers.push(Declared {
                    field: "metadata.classifiers".to_owned(),
                    value: t.to_owned(),
                    line: Some(i + 1),
                });
            }
            continue;
        }
        in_classifiers = false;
        if let Some((k, v)) = t.split_once(['=', ':']) {
            match k.trim() {
                "license" if !v.trim().is_empty() => out.push(Declared {
                    field: "metadata.license".to_owned(),
                    value: v.trim().to_owned(),
                    line: Some(i + 1),
                }),
                "classifiers" => in_classifiers = true,
                _ => {}
            }
        }
    }
    if out.is_empty() { classifiers } else { out }
}

/// `setup.py`: a `license="..."` keyword given as a string literal (a variable or a call is not
/// read), else `License ::` classifier strings.
fn setup_py(text: &str) -> Vec<Declared> {
    let mut out = Vec::new();
    let mut classifiers = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('#') {
            continue;
        }
        let mut rest = t;
        while let Some(at) = rest.find("license") {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + "license".len()..];
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let Some(v) = after.trim_start().strip_prefix('=') else {
                continue;
            };
            let v = v.trim_start();
            let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = v[1..].find(q) {
                let value = v[1..1 + end].trim();
                if !value.is_empty() && value.len() < 200 {
                    out.push(Declared {
                        field: "setup(license=...)".to_owned(),
                        value: value.to_owned(),
                        line: Some(i + 1),
                    });
                }
            }
        }
        for q in ['"', '\''] {
            let mut parts = t.split(q);
            parts.next();
            while let Some(inside) = parts.next() {
                if inside.starts_with("License ::") && !inside.ends_with(":: OSI Approved") {
                    classifiers.push(Declared {
                        field: "setup(classifiers=...)".to_owned(),
                        value: inside.to_owned(),
                        line: Some(i + 1),
                    });
                }
                parts.next();
            }
        }
    }
    if out.is_empty() { classifiers } else { out }
}

/// R's `DESCRIPTION`: the `License:` field (Debian control format, continuation lines indented),
/// with R's spellings turned into SPDX ones (Writing R Extensions, section 1.1.2 "Licensing").
fn description(text: &str) -> Vec<Declared> {
    let mut value: Option<(String, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some((v, _)) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                v.push(' ');
                v.push_str(line.trim());
                continue;
            }
            break;
        }
        if let Some(v) = line.strip_prefix("License:") {
            value = Some((v.trim().to_owned(), i + 1));
        }
    }
    let Some((v, line)) = value else {
        return Vec::new();
    };
    let alternatives: Vec<String> = v
        .split('|')
        .map(|a| r_licence(a.trim()))
        .filter(|a| !a.is_empty())
        .collect();
    if alternatives.is_empty() {
        return Vec::new();
    }
    vec![Declared {
        field: "License".to_owned(),
        value: alternatives.join(" OR "),
        line: Some(line),
    }]
}

/// One R licence spelling as SPDX (`GPL (>= 2)`: GPL-2.0-or-later; `MIT + file LICENSE`: MIT).
fn r_licence(a: &str) -> String {
    let a = a
        .split(" + file ")
        .next()
        .unwrap_or(a)
        .trim()
        .trim_end_matches("+ file LICENSE")
        .trim();
    let squashed: String = a.chars().filter(|c| !c.is_whitespace()).collect();
    let known = [
        ("GPL-2", "GPL-2.0-only"),
        ("GPL-3", "GPL-3.0-only"),
        ("GPL(>=2)", "GPL-2.0-or-later"),
        ("GPL(>=2.0)", "GPL-2.0-or-later"),
        ("GPL(>=3)", "GPL-3.0-or-later"),
        ("GPL(>=3.0)", "GPL-3.0-or-later"),
        ("GPL", "GPL-2.0-or-later"),
        ("LGPL-2", "LGPL-2.0-only"),
        ("LGPL-2.1", "LGPL-2.1-only"),
        ("LGPL-3", "LGPL-3.0-only"),
        ("LGPL(>=2)", "LGPL-2.0-or-later"),
        ("LGPL(>=2.1)", "LGPL-2.1-or-later"),
        ("LGPL(>=3)", "LGPL-3.0-or-later"),
        ("AGPL-3", "AGPL-3.0-only"),
        ("AGPL(>=3)", "AGPL-3.0-or-later"),
        ("BSD_2_clause", "BSD-2-Clause"),
        ("BSD_3_clause", "BSD-3-Clause"),
        ("Apache License 2.0", "Apache-2.0"),
        ("ApacheLicense2.0", "Apache-2.0"),
        ("ApacheLicense(==2.0)", "Apache-2.0"),
        ("ApacheLicense(>=2)", "Apache-2.0"),
        ("Artistic-2.0", "Artistic-2.0"),
        ("CC0", "CC0-1.0"),
        ("MPL-2.0", "MPL-2.0"),
        ("EUPL", "EUPL-1.2"),
    ];
    known
        .iter()
        .find(|(r, _)| *r == squashed || *r == a)
        .map(|(_, s)| (*s).to_owned())
        .unwrap_or_else(|| a.to_owned())
}

/// `*.gemspec`: `spec.license = "MIT"` or `spec.licenses = ["MIT", "Apache-2.0"]` / `%w[...]`.
fn gemspec(text: &str) -> Vec<Declared> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        for field in [".licenses", ".license"] {
            let Some(at) = t.find(field) else { continue };
            let Some(v) = t[at + field.len()..].trim_start().strip_prefix('=') else {
                continue;
            };
            let v = v.trim();
            let values: Vec<String> =
                if let Some(w) = v.strip_prefix("%w[").or_else(|| v.strip_prefix("%w(")) {
                    w.trim_end_matches([']', ')'])
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect()
                } else {
                    v.split(['"', '\''])
                        .skip(1)
                        .step_by(2)
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                };
            for value in values {
                out.push(Declared {
                    field: format!("spec{field}"),
                    value,
                    line: Some(i + 1),
                });
            }
            break;
        }
    }
    out
}

/// Maven's `pom.xml`: each `project/licenses/license/name` (else its `url`); dependencies and
/// plugins are never read.
fn pom(text: &str) -> Result<Vec<Declared>, String> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut current: Option<(Option<String>, Option<String>, usize)> = None;
    loop {
        let pos = reader.buffer_position() as usize;
        match reader.read_event().map_err(|e| {
            let line = text[..pos.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {e}")
        })? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                stack.push(name);
                if stack == ["project", "licenses", "license"] {
                    let line = text[..pos.min(text.len())].matches('\n').count() + 1;
                    current = Some((None, None, line));
                }
            }
            Event::End(_) => {
                if stack == ["project", "licenses", "license"]
                    && let Some((name, url, line)) = current.take()
                    && let Some((field, value)) = name
                        .map(|n| ("licenses.license.name", n))
                        .or(url.map(|u| ("licenses.license.url", u)))
                {
                    out.push(Declared {
                        field: field.to_owned(),
                        value,
                        line: Some(line),
                    });
                }
                stack.pop();
            }
            Event::Text(t) => {
                if let (Some(c), Ok(t)) = (current.as_mut(), t.decode()) {
                    let t = t.trim().to_owned();
                    if t.is_empty() {
                        continue;
                    }
                    match stack.as_slice() {
                        [_, _, _, last] if last == "name" => c.0 = Some(t),
                        [_, _, _, last] if last == "url" => c.1 = Some(t),
                        _ => {}
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
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
    fn python_core_metadata() {
        let wheel = "Metadata-Version: 2.1\nName: indico\nVersion: 3.2.9\nLicense: MIT\nClassifier: License :: OSI Approved :: MIT License\nRequires-Dist: flask-sqlalchemy (==3.0.3)\n\nIndico is licensed under the GPL-3.0 ... (the description)\n";
        let d = read("METADATA", wheel).unwrap();
        assert_eq!(
            d,
            [Declared {
                field: "License".into(),
                value: "MIT".into(),
                line: Some(4),
            }]
        );
        let pep639 = "Metadata-Version: 2.4\nName: x\nLicense-Expression: Apache-2.0 OR MIT\nLicense-File: LICENSE\n";
        assert_eq!(
            read("PKG-INFO", pep639).unwrap()[0].value,
            "Apache-2.0 OR MIT"
        );
        // A whole licence text in `License`, or UNKNOWN: the classifiers speak.
        let text = "Metadata-Version: 2.1\nName: y\nLicense: Copyright (c) 2010, the authors\n        All rights reserved.\nClassifier: License :: OSI Approved :: BSD License\n";
        let d = read("PKG-INFO", text).unwrap();
        assert_eq!(
            (d.len(), d[0].field.as_str(), d[0].line),
            (1, "Classifier", Some(5))
        );
        let unknown = "Metadata-Version: 1.0\nName: z\nLicense: UNKNOWN\n";
        assert_eq!(read("PKG-INFO", unknown).unwrap(), []);
        // Another file of that name.
        assert_eq!(
            read("METADATA", "name = \"x\"\nlicense = \"MIT\"\n").unwrap(),
            []
        );
    }

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
    fn setup_cfg_and_setup_py_literals_only() {
        let d = read(
            "setup.cfg",
            "[metadata]\nname = x\nlicense = MIT\nlicense_files = LICENSE\n[options]\ninstall_requires =\n    gpl-lib\n",
        )
        .unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].value.as_str(), d[0].line), ("MIT", Some(3)));
        let d = read(
            "setup.cfg",
            "[metadata]\nclassifiers =\n    Programming Language :: Python\n    License :: OSI Approved :: BSD License\n",
        )
        .unwrap();
        assert_eq!(d[0].value, "License :: OSI Approved :: BSD License");
        let d = read(
            "setup.py",
            "from setuptools import setup\nlicense = open('LICENSE').read()\nsetup(\n    name='x',\n    license=\"Apache-2.0\",\n    install_requires=['gpl'],\n)\n",
        )
        .unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].value.as_str(), d[0].line), ("Apache-2.0", Some(5)));
        let d = read("setup.py", "setup(license=LICENSE_TEXT)\n").unwrap();
        assert!(d.is_empty(), "a variable is not a licence: {d:?}");
    }

    #[test]
    fn r_description_gemspec_and_pom() {
        let d = read(
            "DESCRIPTION",
            "Package: x\nLicense: GPL (>= 2) | MIT + file LICENSE\nImports: gpl\n",
        )
        .unwrap();
        assert_eq!(d[0].value, "GPL-2.0-or-later OR MIT");
        let d = read(
            "x.gemspec",
            "Gem::Specification.new do |spec|\n  spec.licenses = [\"MIT\", \"Apache-2.0\"]\n  spec.add_dependency \"gpl\"\nend\n",
        )
        .unwrap();
        let v: Vec<&str> = d.iter().map(|d| d.value.as_str()).collect();
        assert_eq!(v, ["MIT", "Apache-2.0"]);
        let d = read("x.gemspec", "  s.license = 'BSD-2-Clause'\n").unwrap();
        assert_eq!(d[0].value, "BSD-2-Clause");
        let d = read(
            "pom.xml",
            "<project>\n  <licenses>\n    <license>\n      <name>The Apache Software License, Version 2.0</name>\n      <url>https://www.apache.org/licenses/LICENSE-2.0.txt</url>\n    </license>\n  </licenses>\n  <dependencies><dependency><licenses><license><name>GPL</name></license></licenses></dependency></dependencies>\n</project>\n",
        )
        .unwrap();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].value, "The Apache Software License, Version 2.0");
        assert_eq!(d[0].line, Some(3));
        assert!(read("pom.xml", "<project><licenses></project>").is_err());
    }

    #[test]
    fn package_json_and_broken_input() {
        let d = read("package.json", "{\"name\": \"x\", \"license\": \"ISC\"}").unwrap();
        assert_eq!(d[0].value, "ISC");
        let err = read("package.json", "{\"license\": ").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
    }
}
