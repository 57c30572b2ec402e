//! conda environments: `environment.yml` (the `dependencies` asked for, conda packages and a
//! `pip:` list of PyPI packages; all direct) and explicit lists (`conda list --explicit`,
//! conda-lock's `*.lock`: `@EXPLICIT` then one package URL a line, every package of the
//! environment). Package URLs are `pkg:conda/name@version?build=…&channel=…&subdir=…`.

use ospo_core::{PackageUrl, Relation, Scope};
use serde_json::Value;

use super::requirements::pypi_purl;
use super::{Entry, Format, IngestError, Ingested, component, purl_segment};

/// Whether the text is an explicit list.
pub(super) fn looks_like_explicit(head: &str) -> bool {
    head.lines().any(|l| l.trim() == "@EXPLICIT")
}

/// Whether a YAML value is a conda environment file.
pub(super) fn is_environment(value: &Value) -> bool {
    value.get("dependencies").is_some_and(Value::is_array)
        && (value.get("channels").is_some() || value.get("name").is_some())
}

fn conda_purl(
    name: &str,
    version: Option<&str>,
    qualifiers: &[(&str, Option<&str>)],
) -> Option<PackageUrl> {
    let mut text = format!("pkg:conda/{}", purl_segment(&name.to_ascii_lowercase()));
    if let Some(v) = version {
        text.push('@');
        text.push_str(&purl_segment(v));
    }
    let mut qualifiers: Vec<String> = qualifiers
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", purl_segment(v))))
        .collect();
    // The purl specification wants qualifiers sorted by key.
    qualifiers.sort();
    if !qualifiers.is_empty() {
        text.push('?');
        text.push_str(&qualifiers.join("&"));
    }
    PackageUrl::parse(&text).ok()
}

/// Reads an explicit list.
pub(super) fn read_explicit(name: &str, text: &str) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::CondaExplicit);
    let mut started = false;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            if let Some(platform) = line.strip_prefix("# platform:") {
                ingested.spec_version = Some(platform.trim().to_owned());
            }
            continue;
        }
        if line == "@EXPLICIT" {
            started = true;
            continue;
        }
        if !started {
            return Err(IngestError::Syntax {
                name: name.to_owned(),
                format: "conda explicit list".into(),
                line: number,
                column: 1,
                message: "a package before the `@EXPLICIT` line".into(),
            });
        }
        let url = line.split('#').next().unwrap_or(line);
        let bad = |message: String| IngestError::Syntax {
            name: name.to_owned(),
            format: "conda explicit list".into(),
            line: number,
            column: 1,
            message,
        };
        let Some((_, rest)) = url.split_once("://") else {
            return Err(bad(format!("'{url}' is not a package URL")));
        };
        let segments: Vec<&str> = rest.split('/').collect();
        let file = segments.last().copied().unwrap_or_default();
        let Some((stem, kind)) = file
            .strip_suffix(".tar.bz2")
            .map(|s| (s, "tar.bz2"))
            .or_else(|| file.strip_suffix(".conda").map(|s| (s, "conda")))
        else {
            return Err(bad(format!(
                "'{file}' is not a conda package file (.tar.bz2 or .conda)"
            )));
        };
        let mut parts = stem.rsplitn(3, '-');
        let (Some(build), Some(version), Some(package)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad(format!("'{file}' is not `name-version-build`")));
        };
        // …/<channel>/<subdir>/<file>, the channel being `conda-forge` or `pkgs/main`'s `main`.
        let subdir = segments.len().checked_sub(2).map(|i| segments[i]);
        let channel = segments.len().checked_sub(3).map(|i| segments[i]);
        let mut c = component(package.to_owned(), Some(version.to_owned()), None);
        c.purl = conda_purl(
            package,
            Some(version),
            &[
                ("build", Some(build)),
                ("channel", channel),
                ("subdir", subdir),
                ("type", Some(kind)),
            ],
        );
        c.ecosystem = Some("conda".into());
        ingested.entries.push(Entry {
            component: c,
            relation: None,
            scope: Scope::Unspecified,
        });
    }
    if !started {
        return Err(IngestError::Content {
            name: name.to_owned(),
            location: "line 1".into(),
            message: "no `@EXPLICIT` line".into(),
        });
    }
    Ok(ingested)
}

/// Reads an `environment.yml` already parsed from YAML.
pub(super) fn read_environment(env: &Value) -> Ingested {
    let mut ingested = Ingested::new(Format::CondaEnvironment);
    if let Some(n) = env.get("name").and_then(Value::as_str) {
        ingested.subject = Some(component(n.to_owned(), None, None));
    }
    let channel = env
        .get("channels")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(Value::as_str)
        .map(str::to_owned);
    let deps = env
        .get("dependencies")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, dep) in deps.iter().enumerate() {
        let at = format!("/dependencies/{i}");
        match dep {
            Value::String(spec) => conda_spec(spec, channel.as_deref(), &at, &mut ingested),
            Value::Object(o) if o.contains_key("pip") => {
                let pips = o.get("pip").and_then(Value::as_array);
                for (j, pip) in pips.into_iter().flatten().enumerate() {
                    let at = format!("{at}/pip/{j}");
                    match pip.as_str() {
                        Some(spec) => pip_spec(spec, &at, &mut ingested),
                        None => ingested.warn(at, "a pip requirement must be text; skipped"),
                    }
                }
            }
            _ => ingested.warn(at, "a dependency must be text or a `pip:` list; skipped"),
        }
    }
    ingested
}

/// `name`, `name=1.2`, `name==1.2.3`, `name=1.2.3=build`, `channel::name>=1`.
fn conda_spec(spec: &str, default_channel: Option<&str>, at: &str, ingested: &mut Ingested) {
    let spec = spec.split('#').next().unwrap_or(spec).trim();
    let (channel, spec) = match spec.split_once("::") {
        Some((channel, rest)) => (Some(channel), rest),
        None => (default_channel, spec),
    };
    let end = spec
        .find(['=', '<', '>', '!', '~', ' '])
        .unwrap_or(spec.len());
    let package = &spec[..end];
    let rest = spec[end..].trim();
    if package.is_empty() {
        ingested.warn(at, format!("'{spec}' is not a package spec; skipped"));
        return;
    }
    let (version, build) = if let Some(pinned) = rest.strip_prefix("==") {
        (Some(pinned.trim()), None)
    } else if let Some(pinned) = rest.strip_prefix('=') {
        match pinned.split_once('=') {
            Some((v, b)) => (Some(v.trim()), Some(b.trim())),
            None => (Some(pinned.trim()), None),
        }
    } else {
        (None, None)
    };
    let version = version.filter(|v| !v.is_empty() && !v.contains(['*', ',', '<', '>', '|']));
    if let Some(v) = version
        && build.is_none()
        && !rest.starts_with("==")
    {
        ingested.warn(
            at,
            format!("'{package}={v}' matches any {v}.* release; read as version {v}"),
        );
    }
    if version.is_none() && !rest.is_empty() {
        ingested.warn(
            at,
            format!("'{package}' is not pinned ('{rest}'); read without a version"),
        );
    }
    let mut c = component(package.to_owned(), version.map(str::to_owned), None);
    c.purl = conda_purl(package, version, &[("build", build), ("channel", channel)]);
    c.ecosystem = Some("conda".into());
    ingested.entries.push(Entry {
        component: c,
        relation: Some(Relation::Direct),
        scope: Scope::Unspecified,
    });
}

fn pip_spec(spec: &str, at: &str, ingested: &mut Ingested) {
    let spec = spec.split(';').next().unwrap_or(spec).trim();
    if spec.starts_with('-') || spec.contains("://") {
        ingested.warn(at, format!("'{spec}' is not a PyPI requirement; skipped"));
        return;
    }
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let package = &spec[..end];
    let mut rest = spec[end..].trim();
    if rest.starts_with('[')
        && let Some(close) = rest.find(']')
    {
        rest = rest[close + 1..].trim();
    }
    let version = rest
        .strip_prefix("==")
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains(['*', ',']));
    if version.is_none() && !rest.is_empty() {
        ingested.warn(
            at,
            format!("'{package}' is not pinned ('{rest}'); read without a version"),
        );
    }
    if package.is_empty() {
        ingested.warn(at, format!("'{spec}' is not a requirement; skipped"));
        return;
    }
    let mut c = component(package.to_owned(), version.map(str::to_owned), None);
    c.purl = pypi_purl(package, version);
    c.ecosystem = Some("pypi".into());
    ingested.entries.push(Entry {
        component: c,
        relation: Some(Relation::Direct),
        scope: Scope::Unspecified,
    });
}
