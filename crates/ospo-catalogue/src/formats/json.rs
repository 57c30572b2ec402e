//! The catalogue's own JSON: a list of [`Project`]s (or a single one) exactly as the model
//! serialises them, with versions, timestamps and provenance, so an export can be imported
//! into another catalogue without losing anything.

use ospo_core::Project;
use serde_json::error::Category;

use super::common::{Ctx, Slugs, Source, Syntax};
use super::locate;
use super::tree::{Path, Problem};
use super::{Format, FormatError, Imported};

pub(crate) fn parse(file: &str, text: &str) -> Result<Imported, FormatError> {
    let source = Source {
        file,
        text,
        syntax: Syntax::Json,
    };
    let parsed = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Project>(text).map(|project| vec![project])
    } else {
        serde_json::from_str::<Vec<Project>>(text)
    };
    let projects = parsed.map_err(|e| refuse(&source, &e))?;

    let mut slugs = Slugs::default();
    let mut ctx = Ctx::new(file);
    for (i, project) in projects.iter().enumerate() {
        let path = Path::default().index(i);
        if let Err(first) = slugs.claim(&project.slug, &path.to_string()) {
            return Err(source.refuse(Problem {
                path: path.key("slug"),
                expected: format!("a slug not used by an earlier project ({first} has it)"),
                found: format!("{:?}", project.slug.as_str()),
            }));
        }
        for problem in project.problems() {
            ctx.warn(&path, format_args!("{}: {problem}", project.slug));
        }
    }
    Ok(Imported {
        projects,
        warnings: ctx.warnings,
    })
}

/// serde's error, with the field found from its position and the message split into what was
/// expected and what was found.
fn refuse(source: &Source<'_>, e: &serde_json::Error) -> FormatError {
    if e.classify() != Category::Data {
        return source.json_syntax(e);
    }
    let path = locate::json_path_at(source.text, e.line(), e.column());
    let message = locate::strip_position(&e.to_string());
    let (path, expected, found) = explain(path, &message);
    source.refuse(Problem {
        path,
        expected,
        found,
    })
}

fn explain(path: Path, message: &str) -> (Path, String, String) {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return (
            path.key(field),
            format!("a value for {field}"),
            "nothing".to_owned(),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && let Some((found, allowed)) = rest.split_once("`, expected ")
    {
        let allowed = allowed.replace('`', "");
        return (path, allowed, format!("{found:?}"));
    }
    for prefix in ["invalid type: ", "invalid value: ", "invalid length "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.split_once(", expected ")
        {
            return (path, serde_expected(expected), serde_found(found));
        }
    }
    // The model's own checks say "<field> <what is wrong>; expected <what is right>".
    if let Some((found, expected)) = message.split_once("; expected ") {
        return (
            path,
            expected.to_owned(),
            without_field_name(found).to_owned(),
        );
    }
    (path, "a valid value".to_owned(), message.to_owned())
}

/// `10` from `readiness_level is 10`, `"ftp://x" is not valid: ...` from `url "ftp://x" is
/// not valid: ...`: the error already names the field.
fn without_field_name(found: &str) -> &str {
    let Some((word, rest)) = found.split_once(' ') else {
        return found;
    };
    if !word.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return found;
    }
    match rest.strip_prefix("is ") {
        Some(value) if !value.starts_with("not ") => value,
        _ if rest.starts_with('"') => rest,
        _ => found,
    }
}

fn serde_found(found: &str) -> String {
    let kind = found.split(' ').next().unwrap_or(found);
    match kind {
        "integer" | "floating" => "a number".to_owned(),
        "string" => format!("text {}", found.trim_start_matches("string ")),
        "sequence" => "a list".to_owned(),
        "map" => "a map".to_owned(),
        "boolean" => "true or false".to_owned(),
        "null" | "unit" => "nothing".to_owned(),
        _ => found.to_owned(),
    }
}

fn serde_expected(expected: &str) -> String {
    match expected {
        "a sequence" => "a list".to_owned(),
        "a string" => "text".to_owned(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number".to_owned(),
        "struct Project" => "a project (slug, name, kind, created_at, updated_at, ...)".to_owned(),
        "struct Person" => "a person (name, roles, ...)".to_owned(),
        other => other.strip_prefix("struct ").map_or_else(
            || other.to_owned(),
            |name| format!("a {}", name.to_lowercase()),
        ),
    }
}

/// Writes the projects as a pretty-printed JSON list.
pub(crate) fn render(projects: &[Project]) -> Result<String, FormatError> {
    serde_json::to_string_pretty(projects)
        .map(|json| json + "\n")
        .map_err(|e| FormatError::Write {
            format: Format::Json,
            message: e.to_string(),
        })
}
