//! Maven's `pom.xml`: the project's declared `<dependencies>` (direct by definition; what they
//! pull in is only known after Maven resolves them). `${…}` properties are resolved from the
//! same file's `<properties>` and the project's own coordinates; what is defined elsewhere (a
//! parent POM, a BOM) is kept as written, with a warning.

use std::collections::HashMap;

use ospo_core::{PackageUrl, Relation, Scope};

use super::cyclonedx_xml::{Node, parse};
use super::{Entry, Format, IngestError, Ingested, component, purl_segment};

/// Whether an XML text is a Maven POM.
pub(super) fn looks_like_pom(head: &str) -> bool {
    head.contains("http://maven.apache.org/POM/") || head.contains("<project>")
}

fn text_of(node: &Node, name: &str) -> Option<String> {
    node.child(name)
        .map(|c| c.text.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// Replaces `${name}` with the property's value, up to a few levels deep; returns the text and
/// the names it could not resolve.
fn resolve(text: &str, properties: &HashMap<String, String>) -> (String, Vec<String>) {
    let mut out = text.to_owned();
    let mut missing = Vec::new();
    for _ in 0..8 {
        let Some(start) = out.find("${") else {
            break;
        };
        let Some(len) = out[start..].find('}') else {
            break;
        };
        let key = out[start + 2..start + len].to_owned();
        match properties.get(&key) {
            Some(value) if !value.contains(&format!("${{{key}}}")) => {
                out.replace_range(start..=start + len, value);
            }
            _ => {
                missing.push(key);
                break;
            }
        }
    }
    (out, missing)
}

/// `pkg:maven/group/artifact@version?type=…&classifier=…`.
fn maven_purl(
    group: &str,
    artifact: &str,
    version: Option<&str>,
    kind: Option<&str>,
    classifier: Option<&str>,
) -> Option<PackageUrl> {
    let mut text = format!(
        "pkg:maven/{}/{}",
        purl_segment(group),
        purl_segment(artifact)
    );
    if let Some(v) = version {
        text.push('@');
        text.push_str(&purl_segment(v));
    }
    let mut qualifiers = Vec::new();
    if let Some(c) = classifier {
        qualifiers.push(format!("classifier={}", purl_segment(c)));
    }
    if let Some(t) = kind.filter(|t| *t != "jar") {
        qualifiers.push(format!("type={}", purl_segment(t)));
    }
    if !qualifiers.is_empty() {
        text.push('?');
        text.push_str(&qualifiers.join("&"));
    }
    PackageUrl::parse(&text).ok()
}

/// Reads a `pom.xml`.
pub(super) fn read(name: &str, text: &str) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::PomXml);
    let project = parse(name, text)?;
    if project.name != "project" {
        return Err(IngestError::Content {
            name: name.to_owned(),
            location: format!("<{}>", project.name),
            message: "a Maven POM's root element is <project>".into(),
        });
    }
    ingested.spec_version = text_of(&project, "modelVersion");
    let parent = project.child("parent");
    let group = text_of(&project, "groupId").or_else(|| parent.and_then(|p| text_of(p, "groupId")));
    let version =
        text_of(&project, "version").or_else(|| parent.and_then(|p| text_of(p, "version")));
    let mut properties: HashMap<String, String> = HashMap::new();
    if let Some(props) = project.child("properties") {
        for p in &props.children {
            properties.insert(p.name.clone(), p.text.trim().to_owned());
        }
    }
    let artifact = text_of(&project, "artifactId");
    for (key, value) in [
        ("groupId", &group),
        ("artifactId", &artifact),
        ("version", &version),
    ] {
        if let Some(v) = value {
            properties.insert(format!("project.{key}"), v.clone());
            properties.insert(format!("pom.{key}"), v.clone());
        }
    }
    if let Some(p) = parent {
        for key in ["groupId", "artifactId", "version"] {
            if let Some(v) = text_of(p, key) {
                properties.insert(format!("project.parent.{key}"), v);
            }
        }
    }
    if let Some(a) = &artifact {
        let (v, _) = version.as_deref().map_or((None, Vec::new()), |v| {
            let (r, m) = resolve(v, &properties);
            (Some(r), m)
        });
        let mut subject = component(a.clone(), v.clone(), None);
        subject.purl = group
            .as_deref()
            .and_then(|g| maven_purl(g, a, v.as_deref(), None, None));
        subject.ecosystem = Some("maven".into());
        ingested.subject = Some(subject);
    }
    let Some(dependencies) = project.child("dependencies") else {
        return Ok(ingested);
    };
    for (i, dep) in dependencies.children("dependency").enumerate() {
        let at = format!("/project/dependencies/dependency[{}]", i + 1);
        let field = |key: &str, ingested: &mut Ingested| -> Option<String> {
            let raw = text_of(dep, key)?;
            let (value, missing) = resolve(&raw, &properties);
            for m in missing {
                ingested.warn(
                    format!("{at}/{key}"),
                    format!("property ${{{m}}} is not defined in this file (a parent POM or BOM may define it); kept as written"),
                );
            }
            Some(value)
        };
        let (Some(g), Some(a)) = (
            field("groupId", &mut ingested),
            field("artifactId", &mut ingested),
        ) else {
            ingested.warn(&at, "a dependency without groupId and artifactId; skipped");
            continue;
        };
        let v = field("version", &mut ingested);
        if v.is_none() {
            ingested.warn(
                format!("{at} ({g}:{a})"),
                "no version: it is managed by a parent POM or BOM; read without one",
            );
        }
        let kind = field("type", &mut ingested);
        let classifier = field("classifier", &mut ingested);
        let scope_text = field("scope", &mut ingested);
        let optional = field("optional", &mut ingested).as_deref() == Some("true");
        let resolved_version = v.as_deref().filter(|v| !v.contains("${"));
        let mut c = component(a.clone(), v.clone(), None);
        if !g.contains("${") && !a.contains("${") {
            c.purl = maven_purl(
                &g,
                &a,
                resolved_version,
                kind.as_deref(),
                classifier.as_deref(),
            );
        }
        c.ecosystem = Some("maven".into());
        let scope = if optional {
            Scope::Optional
        } else {
            match scope_text.as_deref() {
                None | Some("compile" | "runtime" | "provided" | "system") => Scope::Runtime,
                Some("test") => Scope::Test,
                Some("import") => {
                    ingested.warn(&at, "a BOM import, not a dependency; skipped");
                    continue;
                }
                Some(_) => Scope::Unspecified,
            }
        };
        ingested.entries.push(Entry {
            component: c,
            relation: Some(Relation::Direct),
            scope,
        });
    }
    Ok(ingested)
}
