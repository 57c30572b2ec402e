//! Go modules: `go.sum` (every module whose content the build checked, `module version h1:…`)
//! and `go.mod` (the `require`d modules, `// indirect` marking those needed only through
//! others; `replace` directives applied). Package URLs are `pkg:golang/<module path>@<version>`.

use std::collections::HashMap;

use ospo_core::{PackageUrl, Relation, Scope};

use super::{Entry, Format, IngestError, Ingested, component};

/// `pkg:golang/github.com/spf13/pflag@v1.0.5`.
fn golang_purl(module: &str, version: Option<&str>) -> Option<PackageUrl> {
    let mut text = String::from("pkg:golang/");
    for (i, segment) in module.split('/').enumerate() {
        if i > 0 {
            text.push('/');
        }
        text.push_str(&super::purl_segment(segment));
    }
    if let Some(v) = version {
        text.push('@');
        text.push_str(&super::purl_segment(v));
    }
    PackageUrl::parse(&text).ok()
}

fn module_component(module: &str, version: Option<&str>) -> ospo_core::Component {
    let mut c = component(module.to_owned(), version.map(str::to_owned), None);
    c.purl = golang_purl(module, version);
    c.ecosystem = Some("golang".into());
    c
}

fn syntax(name: &str, format: &str, line: usize, column: usize, message: String) -> IngestError {
    IngestError::Syntax {
        name: name.to_owned(),
        format: format.to_owned(),
        line,
        column,
        message,
    }
}

/// Whether the text looks like a `go.sum`: every line `module version[/go.mod] h1:hash`.
pub(super) fn looks_like_go_sum(head: &str) -> bool {
    let mut lines = head
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(5)
        .peekable();
    lines.peek().is_some()
        && lines.all(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            fields.len() == 3 && fields[2].starts_with("h1:")
        })
}

/// Reads a `go.sum`. Lines for a module's `go.mod` alone are modules the build only looked at
/// (to resolve versions), not ones it uses: they are not components.
pub(super) fn read_sum(name: &str, text: &str) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::GoSum);
    let mut seen = std::collections::HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [module, version, hash] = fields.as_slice() else {
            return Err(syntax(
                name,
                "go.sum",
                number,
                1,
                format!(
                    "expected `module version hash`, found {} field(s)",
                    fields.len()
                ),
            ));
        };
        if !hash.contains(':') {
            let column = line.find(hash).unwrap_or(0) + 1;
            return Err(syntax(
                name,
                "go.sum",
                number,
                column,
                format!("'{hash}' is not a hash like `h1:…`"),
            ));
        }
        if !version.starts_with('v') {
            let column = line.find(version).unwrap_or(0) + 1;
            return Err(syntax(
                name,
                "go.sum",
                number,
                column,
                format!("'{version}' is not a module version (they start with `v`)"),
            ));
        }
        if version.ends_with("/go.mod") || !seen.insert((*module, *version)) {
            continue;
        }
        ingested.entries.push(Entry {
            component: module_component(module, Some(version)),
            relation: None,
            scope: Scope::Unspecified,
        });
    }
    Ok(ingested)
}

/// Reads a `go.mod`.
pub(super) fn read_mod(name: &str, text: &str) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::new(Format::GoMod);
    let mut requires: Vec<(usize, String, String, bool)> = Vec::new();
    let mut replaces: HashMap<String, (String, Option<String>)> = HashMap::new();
    let mut block: Option<String> = None;
    let mut module = None;
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let (code, comment) = match raw.find("//") {
            Some(at) => (&raw[..at], &raw[at + 2..]),
            None => (raw, ""),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let indirect = comment.trim().starts_with("indirect");
        let (verb, rest) = match &block {
            Some(verb) if code == ")" => {
                let _ = verb;
                block = None;
                continue;
            }
            Some(verb) => (verb.clone(), code.to_owned()),
            None => {
                let (verb, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
                let rest = rest.trim();
                if rest == "(" {
                    block = Some(verb.to_owned());
                    continue;
                }
                (verb.to_owned(), rest.to_owned())
            }
        };
        let fields: Vec<&str> = rest
            .split_whitespace()
            .map(|f| f.trim_matches('"'))
            .collect();
        match verb.as_str() {
            "module" => module = fields.first().map(|m| (*m).to_owned()),
            "require" => {
                let [path, version] = fields.as_slice() else {
                    let column = raw.find(rest.as_str()).unwrap_or(0) + 1;
                    return Err(syntax(
                        name,
                        "go.mod",
                        number,
                        column,
                        format!("expected `module/path vX.Y.Z` in require, found '{rest}'"),
                    ));
                };
                requires.push((number, (*path).to_owned(), (*version).to_owned(), indirect));
            }
            "replace" => {
                let Some(arrow) = fields.iter().position(|f| *f == "=>") else {
                    return Err(syntax(
                        name,
                        "go.mod",
                        number,
                        1,
                        "a replace directive without `=>`".into(),
                    ));
                };
                if let (Some(from), Some(to)) = (fields.first(), fields.get(arrow + 1)) {
                    let version = fields.get(arrow + 2).map(|v| (*v).to_owned());
                    replaces.insert((*from).to_owned(), ((*to).to_owned(), version));
                }
            }
            "go" | "toolchain" | "exclude" | "retract" | "godebug" | "tool" | "ignore" => {}
            other => ingested.warn(
                format!("line {number}"),
                format!("unknown directive '{other}'; ignored"),
            ),
        }
    }
    if block.is_some() {
        let lines = text.lines().count();
        return Err(syntax(
            name,
            "go.mod",
            lines.max(1),
            1,
            "a `(` block is never closed with `)` (the file is truncated)".into(),
        ));
    }
    if let Some(m) = module {
        ingested.subject = Some(module_component(&m, None));
    }
    for (number, path, version, indirect) in requires {
        let mut c = module_component(&path, Some(&version));
        if let Some((to, to_version)) = replaces.get(&path) {
            if to.starts_with('.') || to.starts_with('/') {
                ingested.warn(
                    format!("line {number}"),
                    format!("'{path}' is replaced by the local folder '{to}'; no package URL"),
                );
                c.purl = None;
            } else {
                c = module_component(to, to_version.as_deref().or(Some(&version)));
            }
        }
        ingested.entries.push(Entry {
            component: c,
            relation: Some(if indirect {
                Relation::Transitive
            } else {
                Relation::Direct
            }),
            scope: Scope::Unspecified,
        });
    }
    Ok(ingested)
}
