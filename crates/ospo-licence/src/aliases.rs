//! Reading real-world licence strings: names, URLs, classifiers, deprecated ids, misspellings.
//!
//! Every mapping is reported back as a [`Warning`] that says what was read and why; nothing
//! is guessed silently. Where a name is ambiguous (e.g. "BSD License"), the warning says so.

use crate::expr::{
    ExceptionId, ExceptionName, Expression, LicenceId, LicenceName, Mode, Term, Warning,
};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Names and nicknames seen in package metadata, mapped to SPDX expressions, with the reason.
/// Keys are normalised by [`normalise`].
const NAMES: &[(&str, &str, &str)] = &[
    ("mit", "MIT", "a licence name, not an SPDX id"),
    ("mit x11", "MIT", "a licence name, not an SPDX id"),
    ("expat", "MIT", "the Expat licence is the SPDX 'MIT'"),
    (
        "apache",
        "Apache-2.0",
        "no version given: Apache-2.0 assumed, the only one in current use; check the licence text",
    ),
    (
        "apache software",
        "Apache-2.0",
        "the Python classifier gives no version: Apache-2.0 assumed; check the licence text",
    ),
    ("apache 2", "Apache-2.0", "a licence name, not an SPDX id"),
    ("apache 2 0", "Apache-2.0", "a licence name, not an SPDX id"),
    ("apache v2", "Apache-2.0", "a licence name, not an SPDX id"),
    ("apache2", "Apache-2.0", "a licence name, not an SPDX id"),
    (
        "apache 2 0 license",
        "Apache-2.0",
        "a licence name, not an SPDX id",
    ),
    (
        "apache license version 2 0",
        "Apache-2.0",
        "a licence name, not an SPDX id",
    ),
    (
        "apache license v2 0",
        "Apache-2.0",
        "a licence name, not an SPDX id",
    ),
    ("asl 2 0", "Apache-2.0", "a licence name, not an SPDX id"),
    ("asl2", "Apache-2.0", "a licence name, not an SPDX id"),
    (
        "bsd",
        "BSD-3-Clause",
        "'BSD' names no specific BSD variant: BSD-3-Clause assumed, the most common; check the licence text",
    ),
    (
        "bsd style",
        "BSD-3-Clause",
        "'BSD-style' names no specific BSD variant: BSD-3-Clause assumed; check the licence text",
    ),
    (
        "new bsd",
        "BSD-3-Clause",
        "the 'new' or 'revised' BSD licence is BSD-3-Clause",
    ),
    (
        "revised bsd",
        "BSD-3-Clause",
        "the 'new' or 'revised' BSD licence is BSD-3-Clause",
    ),
    (
        "modified bsd",
        "BSD-3-Clause",
        "the 'modified' BSD licence is BSD-3-Clause",
    ),
    (
        "bsd 3 clause",
        "BSD-3-Clause",
        "a licence name, not an SPDX id",
    ),
    (
        "3 clause bsd",
        "BSD-3-Clause",
        "a licence name, not an SPDX id",
    ),
    (
        "three clause bsd",
        "BSD-3-Clause",
        "a licence name, not an SPDX id",
    ),
    (
        "bsd three clause",
        "BSD-3-Clause",
        "a licence name, not an SPDX id",
    ),
    ("bsd3", "BSD-3-Clause", "a licence name, not an SPDX id"),
    (
        "simplified bsd",
        "BSD-2-Clause",
        "the 'simplified' BSD licence is BSD-2-Clause",
    ),
    (
        "freebsd",
        "BSD-2-Clause",
        "the FreeBSD licence is BSD-2-Clause",
    ),
    (
        "bsd 2 clause",
        "BSD-2-Clause",
        "a licence name, not an SPDX id",
    ),
    (
        "2 clause bsd",
        "BSD-2-Clause",
        "a licence name, not an SPDX id",
    ),
    (
        "original bsd",
        "BSD-4-Clause",
        "the 'original' BSD licence with the advertising clause is BSD-4-Clause",
    ),
    (
        "two clause bsd",
        "BSD-2-Clause",
        "a licence name, not an SPDX id",
    ),
    (
        "bsd two clause",
        "BSD-2-Clause",
        "a licence name, not an SPDX id",
    ),
    (
        "geant4 software",
        "LicenseRef-scancode-geant4-sl-1.0",
        "the Geant4 Software License has one version (1.0, 2006); ScanCode's id for it",
    ),
    ("isc", "ISC", "a licence name, not an SPDX id"),
    ("iscl", "ISC", "a licence name, not an SPDX id"),
    ("zlib", "Zlib", "a licence name, not an SPDX id"),
    (
        "zlib libpng",
        "Zlib",
        "the zlib/libpng licence is the SPDX 'Zlib'",
    ),
    ("boost", "BSL-1.0", "the Boost Software Licence is BSL-1.0"),
    (
        "boost software",
        "BSL-1.0",
        "a licence name, not an SPDX id",
    ),
    ("unlicense", "Unlicense", "a licence name, not an SPDX id"),
    (
        "the unlicense unlicense",
        "Unlicense",
        "a licence name, not an SPDX id",
    ),
    (
        "creative commons attribution 4 0",
        "CC-BY-4.0",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    (
        "creative commons attribution sharealike 4 0",
        "CC-BY-SA-4.0",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    (
        "creative commons attribution share alike 4 0",
        "CC-BY-SA-4.0",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    ("cc by 4 0", "CC-BY-4.0", "a licence name, not an SPDX id"),
    (
        "cc by sa 4 0",
        "CC-BY-SA-4.0",
        "a licence name, not an SPDX id",
    ),
    (
        "creative commons attribution 3 0",
        "CC-BY-3.0",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    (
        "creative commons attribution sharealike 3 0",
        "CC-BY-SA-3.0",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    (
        "creative commons attribution share alike 3 0",
        "CC-BY-SA-3.0",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    ("cc by 3 0", "CC-BY-3.0", "a licence name, not an SPDX id"),
    (
        "cc by sa 3 0",
        "CC-BY-SA-3.0",
        "a licence name, not an SPDX id",
    ),
    (
        "creative commons attribution 2 5",
        "CC-BY-2.5",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    (
        "creative commons attribution sharealike 2 5",
        "CC-BY-SA-2.5",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    (
        "creative commons attribution share alike 2 5",
        "CC-BY-SA-2.5",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    ("cc by 2 5", "CC-BY-2.5", "a licence name, not an SPDX id"),
    (
        "cc by sa 2 5",
        "CC-BY-SA-2.5",
        "a licence name, not an SPDX id",
    ),
    (
        "creative commons attribution 2 0",
        "CC-BY-2.0",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    (
        "creative commons attribution sharealike 2 0",
        "CC-BY-SA-2.0",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    (
        "creative commons attribution share alike 2 0",
        "CC-BY-SA-2.0",
        "a Creative Commons licence named without its port (International/Unported): the version's main text assumed",
    ),
    ("cc by 2 0", "CC-BY-2.0", "a licence name, not an SPDX id"),
    (
        "cc by sa 2 0",
        "CC-BY-SA-2.0",
        "a licence name, not an SPDX id",
    ),
    ("cc0", "CC0-1.0", "a licence name, not an SPDX id"),
    (
        "cc0 1 0 universal cc0 1 0 public domain dedication",
        "CC0-1.0",
        "a licence name, not an SPDX id",
    ),
    (
        "public domain cc0",
        "CC0-1.0",
        "a licence name, not an SPDX id",
    ),
    ("wtfpl", "WTFPL", "a licence name, not an SPDX id"),
    (
        "psf",
        "PSF-2.0",
        "the Python Software Foundation licence is PSF-2.0",
    ),
    (
        "psfl",
        "PSF-2.0",
        "the Python Software Foundation licence is PSF-2.0",
    ),
    (
        "python software foundation",
        "PSF-2.0",
        "the Python Software Foundation licence is PSF-2.0",
    ),
    (
        "mpl",
        "MPL-2.0",
        "no version given: MPL-2.0 assumed, the current version; check the licence text",
    ),
    ("mpl 2", "MPL-2.0", "a licence name, not an SPDX id"),
    ("mpl 2 0", "MPL-2.0", "a licence name, not an SPDX id"),
    ("mpl2", "MPL-2.0", "a licence name, not an SPDX id"),
    (
        "mozilla public 2 0 mpl 2 0",
        "MPL-2.0",
        "a licence name, not an SPDX id",
    ),
    (
        "mozilla public 1 1 mpl 1 1",
        "MPL-1.1",
        "a licence name, not an SPDX id",
    ),
    (
        "epl",
        "EPL-2.0",
        "no version given: EPL-2.0 assumed, the current version; check the licence text",
    ),
    (
        "eupl",
        "EUPL-1.2",
        "no version given: EUPL-1.2 assumed, the current version; check the licence text",
    ),
    (
        "gpl",
        "GPL-1.0-or-later",
        "no version given: GPL-2.0 §9 and GPL-3.0 §14 let the recipient choose any version ever published",
    ),
    (
        "gnu gpl",
        "GPL-1.0-or-later",
        "no version given: GPL-2.0 §9 and GPL-3.0 §14 let the recipient choose any version ever published",
    ),
    (
        "gnu general public",
        "GPL-1.0-or-later",
        "no version given: GPL-2.0 §9 and GPL-3.0 §14 let the recipient choose any version ever published",
    ),
    (
        "gnu general public gpl",
        "GPL-1.0-or-later",
        "no version given: GPL-2.0 §9 and GPL-3.0 §14 let the recipient choose any version ever published",
    ),
    (
        "lgpl",
        "LGPL-2.0-or-later",
        "no version given: LGPL-2.1 §13 lets the recipient choose any version ever published",
    ),
    (
        "gnu lgpl",
        "LGPL-2.0-or-later",
        "no version given: LGPL-2.1 §13 lets the recipient choose any version ever published",
    ),
    (
        "gnu lesser general public",
        "LGPL-2.0-or-later",
        "no version given: LGPL-2.1 §13 lets the recipient choose any version ever published",
    ),
    (
        "gnu library or lesser general public lgpl",
        "LGPL-2.0-or-later",
        "no version given: LGPL-2.1 §13 lets the recipient choose any version ever published",
    ),
    (
        "agpl",
        "AGPL-3.0-or-later",
        "no version given: AGPL-3.0 §14 lets the recipient choose any version published",
    ),
    (
        "gpl2",
        "GPL-2.0-only",
        "version 2 without 'or later': read as GPL-2.0-only",
    ),
    (
        "gplv2",
        "GPL-2.0-only",
        "version 2 without 'or later': read as GPL-2.0-only",
    ),
    (
        "gpl v2",
        "GPL-2.0-only",
        "version 2 without 'or later': read as GPL-2.0-only",
    ),
    (
        "gpl 2",
        "GPL-2.0-only",
        "version 2 without 'or later': read as GPL-2.0-only",
    ),
    (
        "gpl 2 0",
        "GPL-2.0-only",
        "version 2 without 'or later': read as GPL-2.0-only",
    ),
    (
        "gnu gpl v2",
        "GPL-2.0-only",
        "version 2 without 'or later': read as GPL-2.0-only",
    ),
    (
        "gnu gplv2",
        "GPL-2.0-only",
        "version 2 without 'or later': read as GPL-2.0-only",
    ),
    (
        "gnu general public v2 gplv2",
        "GPL-2.0-only",
        "version 2 without 'or later': read as GPL-2.0-only",
    ),
    (
        "gnu general public v2 or later gplv2",
        "GPL-2.0-or-later",
        "a licence name, not an SPDX id",
    ),
    (
        "gplv2 or later",
        "GPL-2.0-or-later",
        "a licence name, not an SPDX id",
    ),
    (
        "gpl 2 or later",
        "GPL-2.0-or-later",
        "a licence name, not an SPDX id",
    ),
    (
        "gpl3",
        "GPL-3.0-only",
        "version 3 without 'or later': read as GPL-3.0-only",
    ),
    (
        "gplv3",
        "GPL-3.0-only",
        "version 3 without 'or later': read as GPL-3.0-only",
    ),
    (
        "gpl v3",
        "GPL-3.0-only",
        "version 3 without 'or later': read as GPL-3.0-only",
    ),
    (
        "gpl 3",
        "GPL-3.0-only",
        "version 3 without 'or later': read as GPL-3.0-only",
    ),
    (
        "gpl 3 0",
        "GPL-3.0-only",
        "version 3 without 'or later': read as GPL-3.0-only",
    ),
    (
        "gnu gpl v3",
        "GPL-3.0-only",
        "version 3 without 'or later': read as GPL-3.0-only",
    ),
    (
        "gnu gplv3",
        "GPL-3.0-only",
        "version 3 without 'or later': read as GPL-3.0-only",
    ),
    (
        "gnu general public v3 gplv3",
        "GPL-3.0-only",
        "version 3 without 'or later': read as GPL-3.0-only",
    ),
    (
        "gnu general public v3 or later gplv3",
        "GPL-3.0-or-later",
        "a licence name, not an SPDX id",
    ),
    (
        "gplv3 or later",
        "GPL-3.0-or-later",
        "a licence name, not an SPDX id",
    ),
    (
        "gpl 3 or later",
        "GPL-3.0-or-later",
        "a licence name, not an SPDX id",
    ),
    (
        "lgplv2",
        "LGPL-2.0-only",
        "version 2 without 'or later': read as LGPL-2.0-only",
    ),
    (
        "lgpl 2 1",
        "LGPL-2.1-only",
        "version 2.1 without 'or later': read as LGPL-2.1-only",
    ),
    (
        "lgplv2 1",
        "LGPL-2.1-only",
        "version 2.1 without 'or later': read as LGPL-2.1-only",
    ),
    (
        "lgplv3",
        "LGPL-3.0-only",
        "version 3 without 'or later': read as LGPL-3.0-only",
    ),
    (
        "lgpl 3",
        "LGPL-3.0-only",
        "version 3 without 'or later': read as LGPL-3.0-only",
    ),
    (
        "lgpl 3 0",
        "LGPL-3.0-only",
        "version 3 without 'or later': read as LGPL-3.0-only",
    ),
    (
        "gnu lesser general public v2 lgplv2",
        "LGPL-2.0-only",
        "version 2 without 'or later': read as LGPL-2.0-only",
    ),
    (
        "gnu lesser general public v2 or later lgplv2",
        "LGPL-2.0-or-later",
        "a licence name, not an SPDX id",
    ),
    (
        "gnu lesser general public v3 lgplv3",
        "LGPL-3.0-only",
        "version 3 without 'or later': read as LGPL-3.0-only",
    ),
    (
        "gnu lesser general public v3 or later lgplv3",
        "LGPL-3.0-or-later",
        "a licence name, not an SPDX id",
    ),
    (
        "agplv3",
        "AGPL-3.0-only",
        "version 3 without 'or later': read as AGPL-3.0-only",
    ),
    (
        "agpl 3",
        "AGPL-3.0-only",
        "version 3 without 'or later': read as AGPL-3.0-only",
    ),
    (
        "agpl 3 0",
        "AGPL-3.0-only",
        "version 3 without 'or later': read as AGPL-3.0-only",
    ),
    (
        "gnu affero general public v3",
        "AGPL-3.0-only",
        "version 3 without 'or later': read as AGPL-3.0-only",
    ),
    (
        "gnu affero general public v3 or later agplv3",
        "AGPL-3.0-or-later",
        "a licence name, not an SPDX id",
    ),
    (
        "cern ohl s",
        "CERN-OHL-S-2.0",
        "no version given: CERN-OHL-S exists only as version 2.0",
    ),
    (
        "cern ohl w",
        "CERN-OHL-W-2.0",
        "no version given: CERN-OHL-W exists only as version 2.0",
    ),
    (
        "cern ohl p",
        "CERN-OHL-P-2.0",
        "no version given: CERN-OHL-P exists only as version 2.0",
    ),
    (
        "cern ohl v1 2",
        "CERN-OHL-1.2",
        "a licence name, not an SPDX id",
    ),
    (
        "cern ohl 1 2",
        "CERN-OHL-1.2",
        "a licence name, not an SPDX id",
    ),
    (
        "cern ohl v1 1",
        "CERN-OHL-1.1",
        "a licence name, not an SPDX id",
    ),
    (
        "cern ohl v2 s",
        "CERN-OHL-S-2.0",
        "a licence name, not an SPDX id",
    ),
    (
        "cern ohl v2 w",
        "CERN-OHL-W-2.0",
        "a licence name, not an SPDX id",
    ),
    (
        "cern ohl v2 p",
        "CERN-OHL-P-2.0",
        "a licence name, not an SPDX id",
    ),
    (
        "historical permission notice and disclaimer hpnd",
        "HPND",
        "a licence name, not an SPDX id",
    ),
    (
        "academic free afl",
        "AFL-3.0",
        "no version given: AFL-3.0 assumed, the current version; check the licence text",
    ),
    (
        "artistic",
        "Artistic-2.0",
        "no version given: Artistic-2.0 assumed, the current version; check the licence text",
    ),
    (
        "eclipse public 2 0",
        "EPL-2.0",
        "a licence name, not an SPDX id",
    ),
    (
        "eclipse public 1 0",
        "EPL-1.0",
        "a licence name, not an SPDX id",
    ),
    (
        "european union public 1 2",
        "EUPL-1.2",
        "a licence name, not an SPDX id",
    ),
    (
        "european union public 1 1",
        "EUPL-1.1",
        "a licence name, not an SPDX id",
    ),
];

/// URL forms of licences (after [`url_key`]), mapped to SPDX ids.
const URLS: &[(&str, &str)] = &[
    ("apache.org/licenses/license-2.0", "Apache-2.0"),
    ("apache.org/licenses/license-1.1", "Apache-1.1"),
    ("gnu.org/licenses/gpl-3.0", "GPL-3.0-only"),
    ("gnu.org/licenses/gpl", "GPL-3.0-only"),
    ("gnu.org/licenses/old-licenses/gpl-2.0", "GPL-2.0-only"),
    ("gnu.org/licenses/lgpl-3.0", "LGPL-3.0-only"),
    ("gnu.org/licenses/lgpl", "LGPL-3.0-only"),
    ("gnu.org/licenses/old-licenses/lgpl-2.1", "LGPL-2.1-only"),
    ("gnu.org/licenses/old-licenses/lgpl-2.0", "LGPL-2.0-only"),
    ("gnu.org/licenses/agpl-3.0", "AGPL-3.0-only"),
    ("gnu.org/licenses/agpl", "AGPL-3.0-only"),
    ("gnu.org/copyleft/gpl", "GPL-3.0-only"),
    ("gnu.org/copyleft/lesser", "LGPL-3.0-only"),
    ("mozilla.org/mpl/2.0", "MPL-2.0"),
    ("mozilla.org/mpl/1.1", "MPL-1.1"),
    ("eclipse.org/legal/epl-2.0", "EPL-2.0"),
    ("eclipse.org/legal/epl-v20", "EPL-2.0"),
    ("eclipse.org/legal/epl-v10", "EPL-1.0"),
    ("creativecommons.org/publicdomain/zero/1.0", "CC0-1.0"),
    ("creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
    ("creativecommons.org/licenses/by-sa/4.0", "CC-BY-SA-4.0"),
    ("creativecommons.org/licenses/by/3.0", "CC-BY-3.0"),
    ("creativecommons.org/licenses/by-sa/3.0", "CC-BY-SA-3.0"),
    ("creativecommons.org/licenses/by-nc/4.0", "CC-BY-NC-4.0"),
    ("ohwr.org/cern_ohl_s_v2", "CERN-OHL-S-2.0"),
    ("ohwr.org/cern_ohl_w_v2", "CERN-OHL-W-2.0"),
    ("ohwr.org/cern_ohl_p_v2", "CERN-OHL-P-2.0"),
    (
        "ohwr.org/project/cernohl/wikis/documents/cern-ohl-version-1.2",
        "CERN-OHL-1.2",
    ),
    ("unlicense.org", "Unlicense"),
    ("boost.org/license_1_0", "BSL-1.0"),
    ("boost.org/users/license", "BSL-1.0"),
    (
        "joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
        "EUPL-1.2",
    ),
    ("json.org/license", "JSON"),
];

/// Normalises a licence name for table look-up: lower case, punctuation to spaces, the words
/// "the", "license"/"licence" and the Python classifier prefixes dropped.
pub(crate) fn normalise(s: &str) -> String {
    let mut s = s.trim();
    for prefix in [
        "License ::",
        "OSI Approved ::",
        "DFSG approved ::",
        "FSF approved ::",
    ] {
        while let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start();
        }
    }
    let lowered: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    lowered
        .split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "the"
                    | "license"
                    | "licence"
                    | "licenses"
                    | "licences"
                    | "version"
                    | "osi"
                    | "approved"
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn url_key(s: &str) -> Option<String> {
    let s = s.trim();
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let mut key = rest.to_ascii_lowercase();
    for suffix in [
        "/",
        ".html",
        ".htm",
        ".txt",
        ".php",
        ".en",
        "/legalcode",
        "/",
    ] {
        if let Some(k) = key.strip_suffix(suffix) {
            key = k.to_owned();
        }
    }
    Some(key)
}

struct Tables {
    names: HashMap<String, (Expression, &'static str)>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut names = HashMap::new();
        // Full names from the SPDX list first; hand-written names override them.
        for id in LicenceId::all() {
            let key = normalise(id.full_name());
            let target = if id.is_deprecated() {
                match deprecated(id, false) {
                    Some((t, _)) => Expression::Term(t),
                    None => continue,
                }
            } else {
                Expression::Term(Term::licence(id))
            };
            names
                .entry(key)
                .or_insert((target, "the full name of an SPDX licence, not its id"));
        }
        for (key, target, why) in NAMES {
            let expr = Expression::parse(target).expect("alias targets are valid SPDX expressions");
            names.insert(normalise(key), (expr, *why));
        }
        #[cfg(feature = "scancode-names")]
        scancode_names(&mut names);
        Tables { names }
    })
}

/// The names of licences that only ScanCode's LicenseDB knows (the Geant4 Software License),
/// read as their `LicenseRef-scancode-*` ids, after every SPDX and hand-written name. Names of
/// one word once normalised ("Jetty", "Hugo") are left out: too easily a word of prose. Names
/// are read as written, version included: a name without its version could be any of them.
#[cfg(feature = "scancode-names")]
fn scancode_names(names: &mut HashMap<String, (Expression, &'static str)>) {
    const WHY: &str = "a licence name from ScanCode's LicenseDB (scancode-toolkit 32.5.0 data, \
        CC-BY-4.0), not on the SPDX list: read as its LicenseRef-scancode id";
    let add = |names: &mut HashMap<String, (Expression, &'static str)>, key: String, id: &str| {
        if key.split(' ').count() < 2 || names.contains_key(&key) {
            return;
        }
        if let Ok(expr) = Expression::parse(id) {
            names.insert(key, (expr, WHY));
        }
    };
    for line in include_str!("../data/scancode/names.tsv").lines().skip(1) {
        let mut cells = line.split('\t');
        let (Some(id), _, _, Some(name), Some(short)) = (
            cells.next(),
            cells.next(),
            cells.next(),
            cells.next(),
            cells.next(),
        ) else {
            continue;
        };
        for n in [name, short] {
            add(names, normalise(n), id);
        }
    }
}

/// Splits "or later" markers off a licence name: a trailing `+`, "or later", "or any later
/// version", "or newer", "and later".
fn split_or_later(text: &str) -> (&str, bool) {
    let t = text.trim();
    if let Some(base) = t.strip_suffix('+') {
        return (base.trim_end(), true);
    }
    let lower = t.to_ascii_lowercase();
    for suffix in [
        " or any later version",
        " or any later",
        " or later version",
        " or later",
        " or newer",
        " and later",
        "-or-later",
    ] {
        if lower.ends_with(suffix) && t.len() > suffix.len() {
            return (t[..t.len() - suffix.len()].trim_end(), true);
        }
    }
    (t, false)
}

/// Gives a term the "or later" reading: GNU ids become `-or-later`, others get `+`.
fn with_or_later(term: Term) -> Term {
    if let Some(id) = term.spdx() {
        if is_gnu_versioned(id)
            && let Some((t, _)) = deprecated(id, true)
        {
            return Term {
                exception: term.exception,
                ..t
            };
        }
        if !id.name().ends_with("-or-later") {
            return Term {
                or_later: true,
                ..term
            };
        }
    }
    term
}

/// Looks a name up in the table, with its "or later" marker honoured.
fn name_lookup(text: &str) -> Option<(Expression, &'static str)> {
    let (base, later) = split_or_later(text);
    if later {
        let (expr, _) = tables().names.get(&normalise(base))?;
        let Expression::Term(t) = expr else {
            return None;
        };
        return Some((
            Expression::Term(with_or_later(t.clone())),
            "a licence name with 'or later': the recipient may take later versions",
        ));
    }
    let (expr, why) = tables().names.get(&normalise(text))?;
    Some((expr.clone(), why))
}

/// Reads a whole string that is a licence name or URL rather than an expression.
pub(crate) fn whole(text: &str) -> Option<(Expression, Warning)> {
    if let Some(key) = url_key(text) {
        let found = URLS
            .iter()
            .find(|(u, _)| *u == key)
            .map(|(_, id)| (*id).to_owned())
            .or_else(|| {
                // spdx.org/licenses/ID, opensource.org/licenses/ID, choosealicense.com/licenses/ID
                [
                    "spdx.org/licenses/",
                    "opensource.org/licenses/",
                    "opensource.org/license/",
                    "choosealicense.com/licenses/",
                ]
                .iter()
                .find_map(|p| key.strip_prefix(p))
                .and_then(|id| LicenceId::find(id.trim_end_matches("-license")))
                .map(|id| id.name().to_owned())
            })?;
        let expr = Expression::parse(&found).ok()?;
        let read_as = expr.to_string();
        return Some((
            expr,
            Warning {
                offset: 0,
                found: text.to_owned(),
                read_as,
                message: "a licence URL, not an SPDX expression".to_owned(),
            },
        ));
    }
    // Only whole strings with spaces or classifier separators are names; single words go
    // through the expression parser, which knows ids.
    if !text.contains(' ') && !text.contains("::") {
        return None;
    }
    let (expr, why) = name_lookup(text)?;
    Some((
        expr.clone(),
        Warning {
            offset: 0,
            found: text.to_owned(),
            read_as: expr.to_string(),
            message: why.to_owned(),
        },
    ))
}

/// Reads one (possibly multi-word) licence name inside an expression.
pub(crate) fn lookup(word: &str) -> Option<(Term, &'static str)> {
    match name_lookup(word)? {
        (Expression::Term(t), why) => Some((t, why)),
        _ => None,
    }
}

/// Whether the id is one of the GNU licences whose versions are written `-only`/`-or-later`.
pub(crate) fn is_gnu_versioned(id: LicenceId) -> bool {
    let n = id.name();
    ["GPL-", "LGPL-", "AGPL-", "GFDL-"]
        .iter()
        .any(|p| n.starts_with(p))
}

/// Reads a deprecated SPDX id (or a GNU id with `+`) as its current equivalent.
pub(crate) fn deprecated(id: LicenceId, plus: bool) -> Option<(Term, &'static str)> {
    let name = id.name();
    let gnu_exception = [
        ("-with-classpath-exception", "Classpath-exception-2.0"),
        ("-with-GCC-exception", "GCC-exception-2.0"),
        ("-with-autoconf-exception", "Autoconf-exception-2.0"),
        ("-with-bison-exception", "Bison-exception-2.2"),
        ("-with-font-exception", "Font-exception-2.0"),
    ];
    for (suffix, exc) in gnu_exception {
        if let Some(base) = name.strip_suffix(suffix) {
            let exc = if base == "GPL-3.0" && exc == "GCC-exception-2.0" {
                "GCC-exception-3.1"
            } else if base == "GPL-3.0" && exc == "Autoconf-exception-2.0" {
                "Autoconf-exception-3.0"
            } else {
                exc
            };
            let licence = LicenceId::find(&format!(
                "{base}-{}",
                if plus { "or-later" } else { "only" }
            ))?;
            return Some((
                Term {
                    licence: LicenceName::Spdx(licence),
                    or_later: false,
                    exception: Some(ExceptionName::Spdx(ExceptionId::find(exc)?)),
                },
                "deprecated SPDX id: the exception is now written with WITH",
            ));
        }
    }
    if is_gnu_versioned(id) {
        let base = name
            .strip_suffix("-only")
            .or_else(|| name.strip_suffix("-or-later"))
            .unwrap_or(name);
        let or_later = plus || name.ends_with("-or-later");
        let licence = LicenceId::find(&format!(
            "{base}-{}",
            if or_later { "or-later" } else { "only" }
        ))?;
        let why = match (plus, name.ends_with("-only") || name.ends_with("-or-later")) {
            (true, _) => "GNU licences write 'or any later version' as -or-later, not '+'",
            (false, _) => "deprecated SPDX id: GNU licences are written -only or -or-later",
        };
        return Some((Term::licence(licence), why));
    }
    // Other deprecated ids stay as written (OSADL's matrix still uses some, e.g. bzip2-1.0.5).
    None
}

/// The closest SPDX licence id to a misspelt one, if close enough to be useful.
pub(crate) fn closest_licence(word: &str) -> Option<String> {
    closest_licence_search(word, true)
}

fn closest_licence_search(word: &str, prune: bool) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(f64, &'static str)> = None;
    for id in LicenceId::all() {
        // Deprecated GNU ids (GPL-2.0) are what people misspell; suggest their current form.
        let name = match (id.is_deprecated(), deprecated(id, false)) {
            (false, _) => id.name(),
            (true, Some((t, _))) if t.exception.is_none() => match t.spdx() {
                Some(current) => current.name(),
                None => continue,
            },
            _ => continue,
        };
        // The edit distance is at least the difference in length, which bounds the score: most
        // ids are skipped without computing it (the result is the same, at a fraction of the
        // cost for long names that match nothing).
        let bound = score_bound(&lower, id.name());
        if prune && (bound < SUGGEST_FROM || best.is_some_and(|(b, _)| bound <= b)) {
            continue;
        }
        let score = strsim::normalized_damerau_levenshtein(&lower, &id.name().to_ascii_lowercase());
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, name));
        }
    }
    let from_names = tables()
        .names
        .get(&normalise(word))
        .map(|(e, _)| e.to_string());
    from_names.or(best
        .filter(|(s, _)| *s >= SUGGEST_FROM)
        .map(|(_, n)| n.to_owned()))
}

/// How close (normalised Damerau-Levenshtein similarity) a misspelling must be to be suggested.
const SUGGEST_FROM: f64 = 0.6;

/// The highest similarity two strings can have: `1 - |len a - len b| / max len`, in characters,
/// as `strsim::normalized_damerau_levenshtein` counts them.
fn score_bound(a: &str, b: &str) -> f64 {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb);
    if longest == 0 {
        return 1.0;
    }
    1.0 - la.abs_diff(lb) as f64 / longest as f64
}

/// The closest SPDX exception id to a misspelt one.
pub(crate) fn closest_exception(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    ExceptionId::all()
        .filter(|e| score_bound(&lower, e.name()) >= SUGGEST_FROM)
        .map(|e| {
            (
                strsim::normalized_damerau_levenshtein(&lower, &e.name().to_ascii_lowercase()),
                e.name(),
            )
        })
        .filter(|(s, _)| *s >= SUGGEST_FROM)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n.to_owned())
}

/// Reads any licence string found in the wild, leniently; the warnings say how.
pub fn read(text: &str) -> Result<(Expression, Vec<Warning>), crate::ParseError> {
    Expression::parse_with(text, Mode::Lenient)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(s: &str) -> (String, Vec<Warning>) {
        let (e, w) = read(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        (e.to_string(), w)
    }

    #[test]
    fn names_urls_and_classifiers() {
        for (input, expected) in [
            ("Apache License, Version 2.0", "Apache-2.0"),
            ("The MIT License", "MIT"),
            ("License :: OSI Approved :: MIT License", "MIT"),
            ("License :: OSI Approved :: BSD License", "BSD-3-Clause"),
            ("GNU General Public License v3 (GPLv3)", "GPL-3.0-only"),
            (
                "GNU Lesser General Public License v2 or later (LGPLv2+)",
                "LGPL-2.0-or-later",
            ),
            (
                "https://www.apache.org/licenses/LICENSE-2.0.txt",
                "Apache-2.0",
            ),
            ("http://opensource.org/licenses/MIT", "MIT"),
            (
                "https://spdx.org/licenses/CERN-OHL-S-2.0.html",
                "CERN-OHL-S-2.0",
            ),
            (
                "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html",
                "GPL-2.0-only",
            ),
            ("GNU General Public License v2.0 only", "GPL-2.0-only"),
            ("Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
        ] {
            let (got, warnings) = read_str(input);
            assert_eq!(got, expected, "{input}");
            assert_eq!(warnings.len(), 1, "{input}: every mapping is reported");
        }
    }

    #[test]
    fn or_later_markers_are_kept() {
        for (input, expected) in [
            ("GPLv2+", "GPL-2.0-or-later"),
            ("LGPLv2.1+", "LGPL-2.1-or-later"),
            ("gnu gpl v3+", "GPL-3.0-or-later"),
            ("GPL v2 or later", "GPL-2.0-or-later"),
            (
                "GNU General Public License v2 or later (GPLv2+)",
                "GPL-2.0-or-later",
            ),
            ("Apache 2.0+", "Apache-2.0+"),
        ] {
            assert_eq!(read_str(input).0, expected, "{input}");
        }
    }

    #[test]
    #[cfg(feature = "scancode-names")]
    fn licences_only_scancode_knows_are_read_by_name() {
        let (e, w) = read("Geant4 Software License v1.0").unwrap();
        assert_eq!(e.to_string(), "LicenseRef-scancode-geant4-sl-1.0");
        assert!(w[0].message.contains("ScanCode's LicenseDB"), "{w:?}");
        let (e, _) = read("Indiana University Extreme! Lab Software License 1.1.1").unwrap();
        assert_eq!(e.to_string(), "LicenseRef-scancode-indiana-extreme");
        // Without its version a name could be any of them: "The W3C Software License" is not
        // read as ScanCode's 2023 one.
        let w3c = read("The W3C Software License").map(|(e, _)| e.to_string());
        assert!(!w3c.is_ok_and(|e| e.contains("scancode")));
        // Geant4's one version is written down by hand, feature or not.
        for name in ["Geant4 Software License", "The Geant4 Software License"] {
            assert_eq!(
                read(name).unwrap().0.to_string(),
                "LicenseRef-scancode-geant4-sl-1.0"
            );
        }
        // SPDX names keep their ids; one-word ScanCode names are not read as names.
        assert_eq!(
            read("Apache License 2.0").unwrap().0.to_string(),
            "Apache-2.0"
        );
        let jetty = read("Jetty License").map(|(e, _)| e.to_string());
        assert!(!jetty.is_ok_and(|e| e.contains("scancode")));
    }

    #[test]
    fn ambiguous_names_say_so() {
        let (got, w) = read_str("BSD License");
        assert_eq!(got, "BSD-3-Clause");
        assert!(w[0].message.contains("no specific BSD variant"), "{}", w[0]);
        let (got, w) = read_str("GPL");
        assert_eq!(got, "GPL-1.0-or-later");
        assert!(w[0].message.contains("any version"), "{}", w[0]);
    }

    #[test]
    fn the_spdx_crate_gaps_are_closed() {
        // spdx 0.13 reads "gnu gpl v2" as GPL-3.0-only in lax mode.
        assert_eq!(read_str("gnu gpl v2").0, "GPL-2.0-only");
        // ... and fails on lower-case operators.
        assert_eq!(read_str("mit or apache-2.0").0, "MIT OR Apache-2.0");
        assert_eq!(
            read_str("GPL-2.0+ AND (Apache 2.0 OR BSD-3-Clause)").0,
            "GPL-2.0-or-later AND (Apache-2.0 OR BSD-3-Clause)"
        );
    }

    #[test]
    fn pruned_suggestions_equal_the_full_search() {
        // The length bound only skips ids that cannot win: the answer is the one a comparison
        // with every id gives.
        for word in [
            "Apache-2.O",
            "MTI",
            "BSD-3-Claus",
            "CERN-OHL-S-2",
            "Mozila-2.0",
            "The Apache Software License, Version 2.0",
            "Proprietary licence, see LICENSE.txt in the distribution",
            "x",
            "Zlib-ish",
            "GPL-3.O",
            "LGPL2.1",
        ] {
            assert_eq!(
                closest_licence(word),
                closest_licence_search(word, false),
                "{word}"
            );
        }
    }

    #[test]
    fn plain_ids_pass_without_warnings() {
        let (got, w) = read_str("MIT AND Apache-2.0 WITH LLVM-exception");
        assert_eq!(got, "MIT AND Apache-2.0 WITH LLVM-exception");
        assert!(w.is_empty());
    }
}
