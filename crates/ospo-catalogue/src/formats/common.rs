//! What the readers of every format share: parsing the text into a tree, refusing a file
//! with the position of the bad value, collecting warnings, and turning the strings found in
//! real metadata (links, e-mail addresses, dates, licence names) into the model's types.

use std::collections::HashMap;
use std::fmt;

use ospo_core::{
    EmailAddress, FieldName, IsoDate, LicenceExpression, Person, Project, Provenance, Slug, Url,
};
use ospo_licence::Expression;
use serde_json::Value;

use super::error::{FormatError, Position};
use super::locate;
use super::tree::{Node, Path, Problem};

/// The syntax a format is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Yaml,
    Json,
}

/// A file being imported: its name (for messages), its text and its syntax.
pub(crate) struct Source<'t> {
    pub(crate) file: &'t str,
    pub(crate) text: &'t str,
    pub(crate) syntax: Syntax,
}

impl Source<'_> {
    /// The text as a tree, or a syntax error with its position.
    pub(crate) fn tree(&self) -> Result<Value, FormatError> {
        match self.syntax {
            Syntax::Yaml => {
                serde_norway::from_str::<Value>(self.text).map_err(|e| FormatError::Syntax {
                    file: self.file.to_owned(),
                    position: e.location().map(|l| Position {
                        line: l.line(),
                        column: l.column(),
                    }),
                    message: format!("not valid YAML: {}", locate::strip_position(&e.to_string())),
                })
            }
            Syntax::Json => {
                serde_json::from_str::<Value>(self.text).map_err(|e| self.json_syntax(&e))
            }
        }
    }

    pub(crate) fn json_syntax(&self, e: &serde_json::Error) -> FormatError {
        FormatError::Syntax {
            file: self.file.to_owned(),
            position: (e.line() > 0).then(|| {
                locate::position_at(
                    self.text,
                    locate::offset_of(self.text, e.line(), e.column()),
                )
            }),
            message: format!("not valid JSON: {}", locate::strip_position(&e.to_string())),
        }
    }

    /// The error for a value of the wrong shape, with the value's position.
    pub(crate) fn refuse(&self, problem: Problem) -> FormatError {
        let position = match self.syntax {
            Syntax::Yaml => locate::yaml_position(self.text, &problem.path),
            Syntax::Json => locate::json_position(self.text, &problem.path),
        };
        FormatError::Invalid {
            file: self.file.to_owned(),
            position,
            field: problem.path.to_string(),
            expected: problem.expected,
            found: problem.found,
        }
    }
}

/// Parses a file that describes one project: builds its tree, reads it with `read` and
/// collects the warnings; any problem refuses the file with its position.
pub(crate) fn parse_single<F>(
    file: &str,
    text: &str,
    syntax: Syntax,
    now: ospo_core::Timestamp,
    read: F,
) -> Result<super::Imported, FormatError>
where
    F: for<'c, 'n> FnOnce(
        &mut Ctx<'c>,
        &Node<'n>,
        ospo_core::Timestamp,
    ) -> Result<Project, Problem>,
{
    let source = Source { file, text, syntax };
    let tree = source.tree()?;
    let mut ctx = Ctx::new(file);
    ctx.strict_licences = true;
    let project = read(&mut ctx, &Node::root(&tree), now).map_err(|p| source.refuse(p))?;
    Ok(super::Imported {
        projects: vec![project],
        warnings: ctx.warnings,
    })
}

/// Collects the warnings of one import: values that were read in a lenient way, or left out
/// because they are not valid, each naming the file and the field.
pub(crate) struct Ctx<'f> {
    file: &'f str,
    pub(crate) warnings: Vec<String>,
    /// For formats that list many projects: the depth of the current entry's path and its
    /// label (`[17] "VisIt"`), so warnings say which entry they are about.
    entry: Option<(usize, String)>,
    /// Licence strings already read: bulk files repeat a few dozen strings thousands of times,
    /// and a string that cannot be read costs the licence reader a search for suggestions.
    licences: HashMap<String, Result<(Expression, Option<String>), String>>,
    /// Whether an unreadable licence refuses the file (a maintainer's own manifest) instead
    /// of being left out with a warning (a registry or an agency's inventory).
    pub(crate) strict_licences: bool,
}

impl<'f> Ctx<'f> {
    pub(crate) fn new(file: &'f str) -> Self {
        Ctx {
            file,
            warnings: Vec::new(),
            entry: None,
            licences: HashMap::new(),
            strict_licences: false,
        }
    }

    /// Warnings from now on are about the entry at `node`, shown as `label`.
    pub(crate) fn enter(&mut self, node: &Node<'_>, label: String) {
        self.entry = Some((node.path.segs().len(), label));
    }

    pub(crate) fn leave(&mut self) {
        self.entry = None;
    }

    pub(crate) fn warn(&mut self, path: &Path, message: impl fmt::Display) {
        let file = self.file;
        let warning = match &self.entry {
            Some((depth, label)) => {
                let rest = path.tail(*depth);
                if rest.segs().is_empty() {
                    format!("{file}: {label}: {message}")
                } else {
                    format!("{file}: {label}: {rest}: {message}")
                }
            }
            None if path.segs().is_empty() => format!("{file}: {message}"),
            None => format!("{file}: {path}: {message}"),
        };
        self.warnings.push(warning);
    }

    /// A web address, or `None` with a warning when `text` is not one. A `git+` prefix (npm
    /// style) is dropped.
    ///
    /// A user name or password in the link is removed (links are shown on public pages), with
    /// a warning that does not repeat them.
    pub(crate) fn url(&mut self, node: &Node<'_>, text: &str) -> Option<Url> {
        let cleaned = text.strip_prefix("git+").unwrap_or(text);
        let (cleaned, had_credentials) = without_credentials(cleaned);
        match Url::parse(&cleaned) {
            Ok(url) => {
                if had_credentials {
                    self.warn(
                        &node.path,
                        format_args!(
                            "the user name or password in the link was removed; read as {url}"
                        ),
                    );
                }
                Some(url)
            }
            Err(e) => {
                self.warn(&node.path, format_args!("{e}; not kept"));
                None
            }
        }
    }

    /// The web address at `key` of `parent`.
    pub(crate) fn url_at(&mut self, parent: &Node<'_>, key: &str) -> Result<Option<Url>, Problem> {
        let Some(node) = parent.get(key) else {
            return Ok(None);
        };
        let text = node.as_text("a web address (https://...)")?;
        Ok(if text.is_empty() {
            None
        } else {
            self.url(&node, &text)
        })
    }

    /// The e-mail address at `key` of `parent` (a `mailto:` prefix is dropped).
    pub(crate) fn email_at(
        &mut self,
        parent: &Node<'_>,
        key: &str,
    ) -> Result<Option<EmailAddress>, Problem> {
        let Some(node) = parent.get(key) else {
            return Ok(None);
        };
        let text = node.as_text("an e-mail address")?;
        let text = text.strip_prefix("mailto:").unwrap_or(&text);
        if text.is_empty() {
            return Ok(None);
        }
        Ok(match EmailAddress::parse(text) {
            Ok(email) => Some(email),
            Err(e) => {
                self.warn(&node.path, format_args!("{e}; not kept"));
                None
            }
        })
    }

    /// The date at `key` of `parent`.
    pub(crate) fn date_at(
        &mut self,
        parent: &Node<'_>,
        key: &str,
    ) -> Result<Option<IsoDate>, Problem> {
        let Some(node) = parent.get(key) else {
            return Ok(None);
        };
        let text = node.as_text("a date written YYYY-MM-DD")?;
        Ok(self.date(&node, &text))
    }

    /// A date from `text` found at `node`; the date part of a date and time is taken, and
    /// anything else is left out with a warning.
    pub(crate) fn date(&mut self, node: &Node<'_>, text: &str) -> Option<IsoDate> {
        if text.is_empty() {
            return None;
        }
        if let Ok(date) = IsoDate::parse(text) {
            return Some(date);
        }
        let day_part = text
            .get(..10)
            .filter(|_| matches!(text.as_bytes().get(10), Some(b'T' | b' ')))
            .and_then(|day| IsoDate::parse(day).ok());
        if day_part.is_none() {
            self.warn(
                &node.path,
                format_args!("{text:?} is not a date written YYYY-MM-DD; not kept"),
            );
        }
        day_part
    }

    /// One licence expression from the strings of a file, read leniently. Each string that
    /// had to be mapped (`GPL-3.0` → `GPL-3.0-only`) gives a warning with the raw string; if
    /// any string cannot be read, the licence is left empty with a warning, since a licence
    /// with a part missing would say less than the file does.
    pub(crate) fn licence(
        &mut self,
        parts: &[(Path, String)],
        join: Join,
    ) -> Result<Option<LicenceExpression>, Problem> {
        let mut expressions = Vec::new();
        let mut unreadable = false;
        for (path, raw) in parts {
            match self.read_licence(raw) {
                Ok((expression, note)) => {
                    if let Some(note) = note {
                        self.warn(path, note);
                    }
                    expressions.push(expression);
                }
                // In a maintainer's manifest a near miss of an SPDX id is a typo to fix, and
                // the file is refused; other unreadable values are left out with a warning.
                Err(why) if self.strict_licences && why.contains("did you mean") => {
                    return Err(Problem {
                        path: path.clone(),
                        expected: "an SPDX licence expression, e.g. MIT or GPL-3.0-or-later".into(),
                        found: format!("{raw:?} ({})", why.lines().next().unwrap_or_default()),
                    });
                }
                Err(why) => {
                    self.warn(
                        path,
                        format_args!(
                            "licence {raw:?} could not be read as an SPDX expression: {why}; \
                             licence left empty"
                        ),
                    );
                    unreadable = true;
                }
            }
        }
        if unreadable {
            return Ok(None);
        }
        Ok(combine_licences(expressions, join))
    }
}

impl Ctx<'_> {
    /// [`read_licence`], remembering each string's result for the rest of the file.
    pub(crate) fn read_licence(
        &mut self,
        raw: &str,
    ) -> Result<(Expression, Option<String>), String> {
        if let Some(known) = self.licences.get(raw) {
            return known.clone();
        }
        let result = read_licence(raw);
        self.licences.insert(raw.to_owned(), result.clone());
        result
    }
}

/// The link without the `user:password@` part of its authority, and whether it had one.
fn without_credentials(text: &str) -> (String, bool) {
    if let Some((scheme, rest)) = text.split_once("://") {
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if let Some(at) = rest[..end].rfind('@') {
            return (format!("{scheme}://{}", &rest[at + 1..]), true);
        }
    }
    (text.to_owned(), false)
}

/// How several licences of one project relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Join {
    /// All apply (the parts of an OHWR design, or code.json's list read conservatively).
    And,
    /// The user may choose (CITATION.cff's list, per its schema).
    Or,
}

/// Reads one licence string leniently. `Ok` carries a note when the string had to be mapped;
/// `Err` says why it could not be read. `https://spdx.org/licenses/ID` links, the CodeMeta
/// convention, are read as `ID` without a note.
pub(crate) fn read_licence(raw: &str) -> Result<(Expression, Option<String>), String> {
    let text = spdx_link_id(raw).unwrap_or(raw.trim());
    match ospo_licence::read(text) {
        Ok((expression, warnings)) => {
            let note = (!warnings.is_empty()).then(|| {
                let why: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
                format!(
                    "licence {raw:?} read as \"{expression}\" ({})",
                    why.join("; ")
                )
            });
            Ok((expression, note))
        }
        Err(e) => Err(match e.suggestion {
            Some(s) => format!("{}; did you mean '{s}'?", e.message),
            None => e.message,
        }),
    }
}

/// The id in an `https://spdx.org/licenses/ID(.html)` link.
fn spdx_link_id(raw: &str) -> Option<&str> {
    let raw = raw.trim();
    let rest = [
        "https://spdx.org/licenses/",
        "http://spdx.org/licenses/",
        "https://www.spdx.org/licenses/",
    ]
    .iter()
    .find_map(|prefix| raw.strip_prefix(prefix))?;
    let id = rest
        .trim_end_matches('/')
        .trim_end_matches(".html")
        .trim_end_matches(".json");
    (!id.is_empty() && !id.contains(['/', ' '])).then_some(id)
}

/// Joins expressions (dropping repeats) into one, in the licence engine's canonical spelling.
pub(crate) fn combine_licences(
    expressions: Vec<Expression>,
    join: Join,
) -> Option<LicenceExpression> {
    let mut unique: Vec<Expression> = Vec::new();
    for expression in expressions {
        if !unique.contains(&expression) {
            unique.push(expression);
        }
    }
    let text = match (unique.len(), join) {
        (0, _) => return None,
        (1, _) => unique[0].to_string(),
        (_, Join::And) => Expression::join_and(&unique),
        (_, Join::Or) => unique
            .iter()
            .map(|e| match e {
                Expression::And(_) => format!("({e})"),
                _ => e.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" OR "),
    };
    let canonical = ospo_licence::read(&text).map_or(text, |(e, _)| e.to_string());
    LicenceExpression::parse(&canonical).ok()
}

/// The licence as a list of simple parts when it is one licence or several joined by AND
/// (how code.json and CodeMeta list licences); `None` when it has a choice or an exception,
/// which only an expression can say.
pub(crate) fn licence_parts(licence: &LicenceExpression) -> Option<Vec<String>> {
    let (expression, _) = ospo_licence::read(licence.as_str()).ok()?;
    let simple = |e: &Expression| match e {
        Expression::Term(t) => t.exception.is_none() && !t.or_later && t.spdx().is_some(),
        _ => false,
    };
    match &expression {
        e @ Expression::Term(_) if simple(e) => Some(vec![e.to_string()]),
        Expression::And(items) if items.iter().all(simple) => {
            Some(items.iter().map(ToString::to_string).collect())
        }
        _ => None,
    }
}

/// A one- or two-sentence summary for result lists: the first sentence of the first
/// paragraph, cut at a word before 500 characters.
pub(crate) fn summarise(description: &str) -> String {
    let paragraph = description
        .trim()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let chars: Vec<char> = paragraph.chars().collect();
    let mut end = chars.len();
    for i in 0..chars.len() {
        if matches!(chars[i], '.' | '!' | '?')
            && chars.get(i + 1) == Some(&' ')
            && chars.get(i + 2).is_some_and(|c| c.is_uppercase())
        {
            end = i + 1;
            break;
        }
    }
    let sentence: String = chars[..end].iter().collect();
    cut(&sentence, 500)
}

/// `text` if it has at most `max` characters, else cut at a word and ended with `…`.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max - 1).collect();
    let head = match head.rfind(' ') {
        Some(at) if at > max / 2 => &head[..at],
        _ => head.as_str(),
    };
    format!("{}…", head.trim_end_matches([' ', ',', ';', ':']))
}

/// Trimmed labels without blanks or repeats (ignoring case), in their first order.
pub(crate) fn labels(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty() && seen.insert(item.to_lowercase()))
        .collect()
}

/// Adds `person` to `people`, or merges them into the entry with the same e-mail address or,
/// without one, the same name: roles are joined and missing details filled in.
pub(crate) fn add_person(people: &mut Vec<Person>, person: Person) {
    let same = |p: &Person| match (&p.email, &person.email) {
        (Some(a), Some(b)) => a.as_str().eq_ignore_ascii_case(b.as_str()),
        _ => p.name.eq_ignore_ascii_case(&person.name),
    };
    if let Some(existing) = people.iter_mut().find(|p| same(p)) {
        for role in &person.roles {
            if !existing.roles.contains(role) {
                existing.roles.push(*role);
            }
        }
        if existing.email.is_none() {
            existing.email.clone_from(&person.email);
        }
        if existing.affiliation.is_none() {
            existing.affiliation.clone_from(&person.affiliation);
        }
        for subject in person.expertise {
            if !existing
                .expertise
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&subject))
            {
                existing.expertise.push(subject);
            }
        }
    } else {
        people.push(person);
    }
}

/// A slug from the name at `node`, or a problem when the name has nothing to make one from.
pub(crate) fn slug_from_name(name: &str, node: &Node<'_>) -> Result<Slug, Problem> {
    Slug::from_name(name).map_err(|_| Problem {
        path: node.path.clone(),
        expected: "a name with at least one Latin letter or digit".to_owned(),
        found: format!("{name:?}"),
    })
}

/// The name without a trailing version (`pyhf: v0.7.1` → `pyhf`), so that the slug of a
/// single-project manifest stays the same from release to release.
pub(crate) fn without_version<'n>(name: &'n str, version: Option<&str>) -> &'n str {
    let Some(version) = version.map(str::trim).filter(|v| !v.is_empty()) else {
        return name;
    };
    let lower = name.to_lowercase();
    let version = version.trim_start_matches(['v', 'V']).to_lowercase();
    let Some(head) = lower.strip_suffix(version.as_str()) else {
        return name;
    };
    const SEPARATORS: [char; 5] = [' ', ':', '-', ',', '('];
    let head = head
        .strip_suffix(['v', 'V'])
        .filter(|h| h.ends_with(SEPARATORS))
        .unwrap_or(head);
    if !head.ends_with(SEPARATORS) {
        return name;
    }
    let head = head.trim_end_matches(SEPARATORS);
    match name.get(..head.len()) {
        Some(cut) if cut.chars().any(char::is_alphanumeric) => cut,
        _ => name,
    }
}

/// The slugs handed out in one file, so each project gets its own.
#[derive(Default)]
pub(crate) struct Slugs {
    taken: HashMap<Slug, String>,
}

impl Slugs {
    /// Takes `slug` for the entry `label`; if an earlier entry has it, returns that entry.
    pub(crate) fn claim(&mut self, slug: &Slug, label: &str) -> Result<(), String> {
        if let Some(other) = self.taken.get(slug) {
            return Err(other.clone());
        }
        self.taken.insert(slug.clone(), label.to_owned());
        Ok(())
    }

    /// Takes `slug`, or the first free `slug-2`, `slug-3`, ... when it is taken; the second
    /// value names the entry that had `slug` first.
    pub(crate) fn claim_free(&mut self, slug: Slug, label: &str) -> (Slug, Option<String>) {
        let Err(first) = self.claim(&slug, label) else {
            return (slug, None);
        };
        for n in 2.. {
            let suffix = format!("-{n}");
            let base = &slug.as_str()[..slug.as_str().len().min(Slug::MAX_LEN - suffix.len())];
            let Ok(candidate) = Slug::parse(&format!("{}{suffix}", base.trim_end_matches('-')))
            else {
                continue;
            };
            if self.claim(&candidate, label).is_ok() {
                return (candidate, Some(first));
            }
        }
        unreachable!("some numbered slug is free")
    }
}

/// Records `origin` as the provenance of every field the import set, and reports the
/// project's remaining problems (too long, repeated entries, ...) as warnings about `path`.
pub(crate) fn finish(ctx: &mut Ctx<'_>, project: &mut Project, origin: &Provenance, path: &Path) {
    for &field in FieldName::ALL {
        if !project.field_value(field).is_empty() {
            project.provenance.insert(field, origin.clone());
        }
    }
    for problem in project.problems() {
        ctx.warn(path, problem);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_the_first_sentence() {
        let text =
            "The **FMC TDC** board houses 5 input channels. It can\ncalculate e.g. time.\n\nMore.";
        assert_eq!(
            summarise(text),
            "The **FMC TDC** board houses 5 input channels."
        );
        assert_eq!(
            summarise("One line, e.g. this one. and more"),
            "One line, e.g. this one. and more"
        );
        let long = "word ".repeat(200);
        let summary = summarise(&long);
        assert!(
            summary.chars().count() <= 500 && summary.ends_with('…'),
            "{summary}"
        );
    }

    #[test]
    fn versions_are_dropped_from_names_for_slugs() {
        assert_eq!(without_version("pyhf: v0.7.1", Some("0.7.1")), "pyhf");
        assert_eq!(without_version("ROOT 6.32", Some("v6.32")), "ROOT");
        assert_eq!(without_version("CodeMetaPy", Some("2.2.0")), "CodeMetaPy");
        assert_eq!(without_version("2.0", Some("2.0")), "2.0");
        assert_eq!(without_version("Nav 1.0", Some("1.0")), "Nav");
        assert_eq!(without_version("Nav1.0", Some("1.0")), "Nav1.0");
    }

    #[test]
    fn licences_are_read_joined_and_split() {
        let mut ctx = Ctx::new("f");
        let parts = |items: &[&str]| -> Vec<(Path, String)> {
            items
                .iter()
                .map(|s| (Path::default(), (*s).to_owned()))
                .collect()
        };
        let and = ctx.licence(
            &parts(&["https://spdx.org/licenses/MIT", "GPL-3.0"]),
            Join::And,
        );
        assert_eq!(and.unwrap().unwrap(), "MIT AND GPL-3.0-only");
        assert_eq!(ctx.warnings.len(), 1, "{:?}", ctx.warnings);
        assert!(ctx.warnings[0].contains("\"GPL-3.0\" read as \"GPL-3.0-only\""));
        let or = ctx
            .licence(&parts(&["MIT", "Apache-2.0 AND BSD-3-Clause"]), Join::Or)
            .unwrap();
        // AND binds tighter than OR (SPDX 2.3 Annex D), so no brackets are needed.
        assert_eq!(or.unwrap(), "MIT OR Apache-2.0 AND BSD-3-Clause");
        assert_eq!(
            ctx.licence(&parts(&["MIT", "Other"]), Join::And).unwrap(),
            None
        );
        assert!(
            ctx.warnings
                .last()
                .unwrap()
                .contains("\"Other\" could not be read")
        );

        let split = |s: &str| licence_parts(&LicenceExpression::parse(s).unwrap());
        assert_eq!(split("MIT AND Apache-2.0").unwrap(), ["MIT", "Apache-2.0"]);
        assert_eq!(split("MIT OR Apache-2.0"), None);
        assert_eq!(split("GPL-2.0-only WITH Classpath-exception-2.0"), None);
    }

    #[test]
    fn credentials_are_removed_from_links() {
        let mut ctx = Ctx::new("code.json");
        let value = serde_json::json!("x");
        let node = Node::root(&value);
        let url = ctx
            .url(&node, "https://jdoe:secret@bitbucket.org/scm/x.git?a=b@c")
            .unwrap();
        assert_eq!(url, "https://bitbucket.org/scm/x.git?a=b@c");
        assert!(!ctx.warnings[0].contains("secret") && !ctx.warnings[0].contains("jdoe"));
        assert_eq!(
            without_credentials("https://example.org/a@b"),
            ("https://example.org/a@b".to_owned(), false)
        );
    }

    #[test]
    fn clashing_slugs_get_numbers() {
        let mut slugs = Slugs::default();
        let cap = Slug::parse("cap").unwrap();
        assert_eq!(slugs.claim_free(cap.clone(), "[1]"), (cap.clone(), None));
        let (second, first) = slugs.claim_free(cap, "[2]");
        assert_eq!(second, "cap-2");
        assert_eq!(first.as_deref(), Some("[1]"));
    }
}
