//! References from a file to a licence kept in another file of the tree: "see license file for
//! original license", "See the file tools.license for terms", "can be found in the LICENSE
//! file", "a copy of which is in the file LICENSE". A file that names no licence of its own
//! gets the licence of the file it refers to, looked for beside it first and then in each
//! folder above it, as a reader would; a file name that is found nowhere on that path (and has
//! a suffix, like `tools.license`) is taken from anywhere in the tree when only one file has it.
//!
//! ScanCode follows such references to the licence files at the root of the tree, whatever the
//! reference names: a vendored library's "see license file" then gets the host project's
//! licence.

use super::{FileReport, FoundBy, LicenceFinding, Method, notice};
use std::collections::HashMap;

/// Lines of a file read for a reference: it sits in the header.
const HEADER_LINES: usize = 60;
/// Longer lines are not read (minified code, whose references belong to a bundled part).
const MAX_LINE: usize = 400;
/// Confidence of a licence taken from the file a reference names.
const CONFIDENCE: f64 = 0.8;
/// Confidence of an altered MIT grant when the nearest licence file is the MIT text.
const CORROBORATED: f64 = 0.9;

/// A reference to the file that holds a file's licence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileRef {
    /// 1-based line of the reference.
    pub line: usize,
    /// The file named, as written: `LICENSE`, `tools.license`, `../COPYING`, or `license` for
    /// "the license file".
    pub name: String,
}

/// Words that may stand between "see the" and the file's name.
const ADJECTIVES: &[&str] = &[
    "accompanying",
    "attached",
    "enclosed",
    "included",
    "bundled",
    "top-level",
    "toplevel",
    "root",
    "main",
];

/// Finds a reference to a licence file in the header of `source`.
pub(crate) fn find(source: &str) -> Option<FileRef> {
    let mut words: Vec<(&str, usize)> = Vec::new();
    for (i, line) in source.lines().take(HEADER_LINES).enumerate() {
        if line.len() <= MAX_LINE {
            words.extend(line.split_whitespace().map(|w| (bare(w), i + 1)));
        }
    }
    let is = |k: usize, word: &str| {
        words
            .get(k)
            .is_some_and(|(w, _)| w.eq_ignore_ascii_case(word))
    };
    let is_any = |k: usize, list: &[&str]| list.iter().any(|w| is(k, w));
    for i in 0..words.len() {
        if !is_any(i, &["see", "in", "to"]) {
            continue;
        }
        let mut j = i + 1;
        if is(j, "the") {
            j += 1;
        }
        if is_any(j, ADJECTIVES) {
            j += 1;
        }
        let file_before = is(j, "file");
        if file_before {
            j += 1;
        }
        let Some(&(name, _)) = words.get(j) else {
            continue;
        };
        if !is_licence_file_name(name) {
            continue;
        }
        // "see the LICENSE files" names several, which may be alternatives or not.
        if is(j + 1, "files") {
            continue;
        }
        let file_after = is(j + 1, "file");
        // "the License" (Apache's "See the License for the specific language") is the licence,
        // not a file: a file is called one, has a suffix or is written in capitals.
        let capitals = name.chars().any(|c| c.is_ascii_uppercase())
            && !name.chars().any(|c| c.is_ascii_lowercase());
        if file_before || file_after || name.contains('.') || capitals {
            return Some(FileRef {
                line: words[i].1,
                name: name.to_owned(),
            });
        }
    }
    None
}

/// A word without the punctuation around it (quotes, brackets, a full stop or comma after it).
fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !(c.is_alphanumeric() || "._-/".contains(c)))
        .trim_end_matches(['.', ','])
}

/// Whether a word names a licence file: LICENSE, COPYING, tools.license, ../LICENSE.txt; not
/// a web address.
fn is_licence_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let web = name.split('/').next().is_some_and(|first| {
        first.contains('.') && first != "." && first != ".." && name.contains('/')
    });
    (lower.contains("licen") || lower.contains("copying"))
        && name.len() <= 100
        && !web
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
}

/// The folder of a path (`""` at the root).
fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The file a reference from `from` names: beside `from`, then in each folder above it; a name
/// with a suffix found nowhere on that path is taken from anywhere when only one file has it.
/// A generic name (`LICENSE`, `license`, `COPYING`) also matches that name with a suffix
/// (`LICENSE.md`).
fn target<'a>(
    from: &str,
    name: &str,
    by_folder: &HashMap<&str, Vec<&'a str>>,
    all: &[&'a str],
) -> Option<&'a str> {
    let (sub, base) = match name.rsplit_once('/') {
        Some((sub, base)) => (Some(sub), base),
        None => (None, name),
    };
    let base = base.to_ascii_lowercase();
    let generic = !base.contains('.');
    let matches = |path: &str| {
        let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        file == base || (generic && file.strip_prefix(&base).is_some_and(|r| r.starts_with('.')))
    };
    let pick = |dir: &str| {
        let files = by_folder.get(dir)?;
        // The exact name first, then with a suffix.
        files
            .iter()
            .find(|p| {
                p.rsplit('/')
                    .next()
                    .is_some_and(|f| f.eq_ignore_ascii_case(&base))
            })
            .or_else(|| files.iter().find(|p| matches(p)))
            .copied()
    };
    let mut dir = folder(from).to_owned();
    if let Some(sub) = sub {
        // A relative path: from the file's folder.
        for part in sub.split('/') {
            match part {
                "" | "." => {}
                ".." => dir = folder(&dir).to_owned(),
                p if dir.is_empty() => dir = p.to_owned(),
                p => dir = format!("{dir}/{p}"),
            }
        }
        return pick(&dir).filter(|p| *p != from);
    }
    loop {
        if let Some(p) = pick(&dir).filter(|p| *p != from) {
            return Some(p);
        }
        if dir.is_empty() {
            break;
        }
        dir = folder(&dir).to_owned();
    }
    if generic {
        return None;
    }
    let mut anywhere = all.iter().filter(|p| matches(p) && **p != from);
    match (anywhere.next(), anywhere.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// Gives each file without a licence of its own the licence of the file its header refers to;
/// and backs an altered MIT grant with the nearest licence file, when that is the MIT text.
pub(crate) fn resolve(files: &mut [FileReport], refs: &HashMap<&str, &FileRef>) {
    let all: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let mut by_folder: HashMap<&str, Vec<&str>> = HashMap::new();
    for p in &all {
        by_folder.entry(folder(p)).or_default().push(p);
    }
    let licence_of: HashMap<String, String> = files
        .iter()
        .filter_map(|f| f.licences.clone().map(|l| (f.path.clone(), l)))
        .collect();
    for f in files.iter_mut() {
        if f.licences.is_none()
            && let Some(r) = refs.get(f.path.as_str())
            && let Some(to) = target(&f.path, &r.name, &by_folder, &all)
            && let Some(expression) = licence_of.get(to)
        {
            f.licences = Some(expression.clone());
            f.licence_findings.push(LicenceFinding {
                expression: expression.clone(),
                confidence: Some(CONFIDENCE),
                bundled: false,
                found_by: FoundBy {
                    method: Method::LicenceNotice,
                    source: f.path.clone(),
                    line: Some(r.line),
                    detail: Some(format!(
                        "refers to the file {} (\"{}\"): its licence",
                        to, r.name
                    )),
                },
            });
        }
        for finding in &mut f.licence_findings {
            if finding.found_by.detail.as_deref() == Some(notice::MIT_ALTERED)
                && let Some(to) = target(&f.path, "LICENSE", &by_folder, &all)
                    .or_else(|| target(&f.path, "LICENCE", &by_folder, &all))
                && licence_of.get(to).is_some_and(|l| l == "MIT")
            {
                finding.confidence = Some(CORROBORATED);
                finding.found_by.detail = Some(format!(
                    "{}; the nearest licence file, {to}, is the MIT text",
                    notice::MIT_ALTERED
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Option<String> {
        find(text).map(|r| r.name)
    }

    #[test]
    fn references_to_licence_files_are_read() {
        assert_eq!(
            name("// see license file for original license.\n"),
            Some("license".into())
        );
        assert_eq!(
            name(
                "// Copyright (C) 2010, Guy Barrand. All rights reserved.\n// See the file tools.license for terms.\n"
            ),
            Some("tools.license".into())
        );
        let geant4 = "// * use.  Please see the license in the file  LICENSE  and URL above *\n";
        assert_eq!(name(geant4), Some("LICENSE".into()));
        let go = "// Use of this source code is governed by a BSD-style\n// license that can be found in the LICENSE file.\n";
        assert_eq!(
            find(go),
            Some(FileRef {
                line: 2,
                name: "LICENSE".into()
            })
        );
        assert_eq!(
            name("# See the accompanying COPYING file.\n"),
            Some("COPYING".into())
        );
        assert_eq!(
            name("/* see ../LICENSE.txt */\n"),
            Some("../LICENSE.txt".into())
        );
    }

    #[test]
    fn the_licence_itself_and_web_addresses_are_no_files() {
        let apache = "# distributed under the License is distributed on an \"AS IS\" BASIS,\n# See the License for the specific language governing permissions and\n# limitations under the License.\n";
        assert_eq!(find(apache), None);
        assert_eq!(
            name("// see https://example.org/LICENSE for details\n"),
            None
        );
        assert_eq!(name("// see opensource.org/licenses/MIT\n"), None);
        assert_eq!(name("// see the license terms below\n"), None);
        assert_eq!(
            name("This project is dual-licensed; see the LICENSE files.\n"),
            None
        );
        // Past the header, or in a minified line, a reference belongs to something else.
        let late = format!("{}// see LICENSE file\n", "x = 1\n".repeat(HEADER_LINES));
        assert_eq!(find(&late), None);
        let minified = format!("{}/* see LICENSE.md */", "a".repeat(MAX_LINE));
        assert_eq!(find(&minified), None);
    }

    fn report(path: &str, licences: Option<&str>) -> FileReport {
        FileReport {
            path: path.to_owned(),
            licences: licences.map(str::to_owned),
            licence_findings: Vec::new(),
            copyrights: Vec::new(),
            skipped: None,
            sha1: None,
        }
    }

    #[test]
    fn a_reference_takes_the_nearest_file_it_names() {
        let mut files = vec![
            report("LICENSE", Some("LicenseRef-scancode-geant4-sl-1.0")),
            report("src/glutess/license", Some("SGI-B-2.0")),
            report("src/glutess/memalloc", None),
            report("src/other/cid", None),
            report("src/other/curve", None),
            report("vendor/tools.license", Some("LicenseRef-tools")),
            report("vendor/x/COPYING.md", Some("GPL-2.0-only")),
            report("vendor/x/y/z.c", None),
        ];
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let refs = [
            (
                "src/glutess/memalloc",
                FileRef {
                    line: 1,
                    name: "license".into(),
                },
            ),
            (
                "src/other/cid",
                FileRef {
                    line: 2,
                    name: "tools.license".into(),
                },
            ),
            (
                "src/other/curve",
                FileRef {
                    line: 2,
                    name: "missing.license".into(),
                },
            ),
            (
                "vendor/x/y/z.c",
                FileRef {
                    line: 3,
                    name: "COPYING".into(),
                },
            ),
        ];
        let refs: HashMap<&str, &FileRef> = refs.iter().map(|(p, r)| (*p, r)).collect();
        resolve(&mut files, &refs);
        let licence = |p: &str| {
            files
                .iter()
                .find(|f| f.path == p)
                .and_then(|f| f.licences.clone())
        };
        // Beside it, not the root's.
        assert_eq!(
            licence("src/glutess/memalloc").as_deref(),
            Some("SGI-B-2.0")
        );
        // Named with a suffix, in another folder: the only file of that name.
        assert_eq!(
            licence("src/other/cid").as_deref(),
            Some("LicenseRef-tools")
        );
        assert_eq!(licence("src/other/curve"), None);
        // A generic name with a suffix, two folders up.
        assert_eq!(licence("vendor/x/y/z.c").as_deref(), Some("GPL-2.0-only"));
        let f = files
            .iter()
            .find(|f| f.path == "src/glutess/memalloc")
            .unwrap();
        let detail = f.licence_findings[0].found_by.detail.as_deref().unwrap();
        assert!(detail.contains("src/glutess/license"), "{detail}");
        assert_eq!(f.licence_findings[0].found_by.line, Some(1));
    }

    #[test]
    fn an_altered_mit_grant_is_backed_by_an_mit_licence_file() {
        let altered = |path: &str| {
            let mut f = report(path, Some("MIT"));
            f.licence_findings.push(LicenceFinding {
                expression: "MIT".into(),
                confidence: Some(0.7),
                bundled: false,
                found_by: FoundBy {
                    method: Method::LicenceNotice,
                    source: path.into(),
                    line: Some(2),
                    detail: Some(notice::MIT_ALTERED.into()),
                },
            });
            f
        };
        let mut files = vec![
            report("ptl/LICENSE", Some("MIT")),
            altered("ptl/include/PTL/Globals.hh"),
            report("zz/LICENSE", Some("BSD-3-Clause")),
            altered("zz/a.h"),
        ];
        resolve(&mut files, &HashMap::new());
        let backed = &files[1].licence_findings[0];
        assert_eq!(backed.confidence, Some(CORROBORATED));
        assert!(
            backed
                .found_by
                .detail
                .as_deref()
                .unwrap()
                .contains("ptl/LICENSE"),
            "{backed:?}"
        );
        let alone = &files[3].licence_findings[0];
        assert_eq!(alone.confidence, Some(0.7));
        assert_eq!(alone.found_by.detail.as_deref(), Some(notice::MIT_ALTERED));
    }
}
