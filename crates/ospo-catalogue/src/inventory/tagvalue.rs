//! SPDX 2.x tag-value (`.spdx`): read into the shape of SPDX JSON and then as SPDX JSON, with
//! warnings pointed back at the lines of the file.

use serde_json::{Map, Value, json};

use super::{Format, IngestError, Ingested, spdx};

/// Reads an SPDX tag-value document.
pub(super) fn read(name: &str, text: &str) -> Result<Ingested, IngestError> {
    let mut doc = Map::new();
    let mut packages: Vec<Value> = Vec::new();
    let mut package_lines: Vec<usize> = Vec::new();
    let mut relationships: Vec<Value> = Vec::new();
    let mut in_package = false;
    let mut early = Vec::new();
    // Some tools end lines with a lone carriage return.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let number = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = trimmed.split_once(':') else {
            early.push((
                number,
                format!("'{}' is not `Tag: value`; ignored", cut(trimmed)),
            ));
            continue;
        };
        let tag = tag.trim();
        let mut value = value.trim().to_owned();
        if let Some(rest) = value.strip_prefix("<text>") {
            let mut collected = String::from(rest);
            let mut closed = collected.contains("</text>");
            while !closed {
                let Some((_, next)) = lines.next() else {
                    return Err(IngestError::Syntax {
                        name: name.to_owned(),
                        format: "SPDX tag-value".into(),
                        line: number,
                        column: line.find("<text>").map_or(1, |c| c + 1),
                        message: format!("the <text> of {tag} is never closed with </text>"),
                    });
                };
                collected.push('\n');
                collected.push_str(next);
                closed = next.contains("</text>");
            }
            let end = collected.find("</text>").unwrap_or(collected.len());
            value = collected[..end].trim().to_owned();
        }
        match tag {
            "SPDXVersion" => {
                doc.insert("spdxVersion".into(), json!(value));
            }
            "PackageName" => {
                in_package = true;
                packages.push(json!({ "name": value }));
                package_lines.push(number);
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => in_package = false,
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                if let [from, kind, to] = parts.as_slice() {
                    relationships.push(json!({
                        "spdxElementId": from,
                        "relationshipType": kind,
                        "relatedSpdxElement": to,
                    }));
                } else {
                    early.push((number, "a Relationship is `A TYPE B`; ignored".to_owned()));
                }
            }
            _ if in_package => {
                let Some(package) = packages.last_mut().and_then(Value::as_object_mut) else {
                    continue;
                };
                let key = match tag {
                    "SPDXID" => "SPDXID",
                    "PackageVersion" => "versionInfo",
                    "PackageSupplier" => "supplier",
                    "PackageOriginator" => "originator",
                    "PackageLicenseDeclared" => "licenseDeclared",
                    "PackageLicenseConcluded" => "licenseConcluded",
                    "ExternalRef" => {
                        let parts: Vec<&str> = value.split_whitespace().collect();
                        if let [category, kind, locator, ..] = parts.as_slice() {
                            let refs = package.entry("externalRefs").or_insert_with(|| json!([]));
                            if let Some(refs) = refs.as_array_mut() {
                                refs.push(json!({
                                    "referenceCategory": category,
                                    "referenceType": kind,
                                    "referenceLocator": locator,
                                }));
                            }
                        }
                        continue;
                    }
                    _ => continue,
                };
                package.insert(key.into(), json!(value));
            }
            _ => {}
        }
    }
    if !doc.contains_key("spdxVersion") {
        return Err(IngestError::Content {
            name: name.to_owned(),
            location: "line 1".into(),
            message: "no SPDXVersion tag: not an SPDX tag-value document".into(),
        });
    }
    doc.insert("packages".into(), Value::Array(packages));
    doc.insert("relationships".into(), Value::Array(relationships));
    let mut ingested = spdx::read(name, &Value::Object(doc), Format::SpdxTagValue)?;
    for warning in &mut ingested.warnings {
        warning.location = located(&warning.location, &package_lines);
    }
    let early = early.into_iter().map(|(line, message)| super::Warning {
        location: format!("line {line}"),
        message,
    });
    ingested.warnings.splice(0..0, early);
    Ok(ingested)
}

/// `/packages/3/licenseDeclared` → `line 120 (package 4, licenseDeclared)`.
fn located(pointer: &str, package_lines: &[usize]) -> String {
    let mut parts = pointer.trim_start_matches('/').splitn(3, '/');
    if parts.next() == Some("packages")
        && let Some(index) = parts.next().and_then(|i| i.parse::<usize>().ok())
        && let Some(line) = package_lines.get(index)
    {
        return match parts.next() {
            Some(field) => format!("line {line} (package {}, {field})", index + 1),
            None => format!("line {line} (package {})", index + 1),
        };
    }
    pointer.to_owned()
}

fn cut(text: &str) -> String {
    let shown: String = text.chars().take(60).collect();
    if shown.len() < text.len() {
        format!("{shown}…")
    } else {
        shown
    }
}
