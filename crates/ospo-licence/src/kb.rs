//! The licence knowledge base: a profile for every licence and exception on the SPDX list,
//! each property with its basis.
//!
//! Precedence of the bases: curated facts with licence clauses (`data/knowledge.json`),
//! then OSADL's matrix (copyleft or not), then ScanCode's LicenseDB category
//! (`data/scancode/`), then the SPDX list's own flags. What none of them settles is
//! `unknown`.

use crate::expr::{ExceptionId, LicenceId, Term};
use crate::model::{Category, Citation, Fact, OrLater, PatentGrant, Source, Use, Verdict};
use crate::osadl::{Matrix, OSADL_VERSION};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// Everything the engine knows about one licence.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LicenceProfile {
    /// SPDX id.
    pub id: String,
    /// Full name on the SPDX list.
    pub name: String,
    /// Whether this is an exception (used after `WITH`) rather than a licence.
    pub exception: bool,
    /// Whether the SPDX list marks it deprecated.
    pub deprecated: bool,
    /// Permissive, copyleft of which scope, non-free, ...
    pub category: Fact<Category>,
    /// Approved by the Open Source Initiative.
    pub osi_approved: Fact<bool>,
    /// Free (libre) according to the Free Software Foundation.
    pub fsf_libre: Fact<bool>,
    /// Whether it grants patent rights.
    pub patent_grant: Fact<PatentGrant>,
    /// Whether later versions may be used.
    pub or_later: Fact<OrLater>,
    /// For hardware licences, what they cover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hardware: Option<Fact<String>>,
    /// Obligations in plain words.
    pub obligations: Vec<String>,
    /// Whether OSADL's matrix has this licence.
    pub in_osadl_matrix: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Curated {
    version: String,
    sources: BTreeMap<String, CuratedSource>,
    licences: Vec<CuratedLicence>,
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuratedSource {
    title: String,
    #[serde(default)]
    publisher: String,
    #[serde(default)]
    url: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuratedLicence {
    id: String,
    category: Category,
    category_basis: Vec<Citation>,
    patent_grant: PatentGrant,
    #[serde(default)]
    patent_basis: Vec<Citation>,
    or_later: OrLater,
    #[serde(default)]
    or_later_basis: Vec<Citation>,
    #[serde(default)]
    hardware: Option<CuratedHardware>,
    #[serde(default)]
    obligations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuratedHardware {
    covers: String,
    basis: Vec<Citation>,
}

/// A published view that disagrees with a rule's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Disputed {
    /// The other view, in plain words.
    pub explanation: String,
    /// Where it is published.
    pub basis: Vec<Citation>,
}

/// A cited compatibility rule from the curated knowledge.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Inbound term, as an SPDX expression of one licence (optionally `WITH` an exception).
    pub inbound: String,
    /// Outbound licences the rule covers.
    pub outbound: Vec<String>,
    /// Uses the rule covers.
    pub uses: Vec<Use>,
    /// The verdict (`yes`, `no` or `depends`).
    pub verdict: Verdict,
    /// Conditions (for `depends`) or obligations (for `yes`).
    #[serde(default)]
    pub conditions: Vec<String>,
    /// Why, in plain words.
    pub explanation: String,
    /// The clauses and guidance it rests on.
    pub basis: Vec<Citation>,
    /// A published view that disagrees.
    #[serde(default)]
    pub disputed: Option<Disputed>,
}

/// The knowledge base.
pub struct KnowledgeBase {
    /// Version of the curated knowledge.
    pub curated_version: String,
    sources: BTreeMap<String, Source>,
    profiles: Vec<LicenceProfile>,
    exceptions: Vec<LicenceProfile>,
    rules: Vec<Rule>,
    /// (inbound term, outbound id) -> rule indices.
    rule_index: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>>,
    /// Category per SPDX index, for the engine's hot path.
    categories: Vec<Category>,
}

/// The SPDX licence list version the knowledge base covers.
pub fn spdx_list_version() -> &'static str {
    spdx::license_version()
}

/// The ScanCode LicenseDB version the categories come from.
pub const SCANCODE_VERSION: &str = include_str!("../data/scancode/VERSION");

fn builtin_sources() -> Vec<Source> {
    let s = |key: &str, title: &str, publisher: &str, url: &str, version: &str| Source {
        key: key.into(),
        title: title.into(),
        publisher: publisher.into(),
        url: url.into(),
        version: version.into(),
    };
    vec![
        s(
            "spdx-list",
            "SPDX License List",
            "The Linux Foundation, SPDX project",
            "https://spdx.org/licenses/",
            spdx::license_version(),
        ),
        s(
            "osadl-matrix",
            "OSADL Open Source License Obligations Checklists: licence compatibility matrix (CC-BY-4.0)",
            "Open Source Automation Development Lab (OSADL) eG",
            "https://www.osadl.org/Access-to-raw-data.oss-compliance-raw-data-access.0.html",
            OSADL_VERSION,
        ),
        s(
            "scancode-licensedb",
            "ScanCode LicenseDB licence categories (CC-BY-4.0)",
            "nexB / AboutCode",
            "https://scancode-licensedb.aboutcode.org/",
            SCANCODE_VERSION.trim(),
        ),
        s(
            "gpl-2.0-text",
            "GNU General Public License, version 2",
            "Free Software Foundation",
            "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html",
            "version 2, June 1991",
        ),
        s(
            "gpl-3.0-text",
            "GNU General Public License, version 3",
            "Free Software Foundation",
            "https://www.gnu.org/licenses/gpl-3.0.html",
            "version 3, 29 June 2007",
        ),
        s(
            "lgpl-2.1-text",
            "GNU Lesser General Public License, version 2.1",
            "Free Software Foundation",
            "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html",
            "version 2.1, February 1999",
        ),
        s(
            "lgpl-3.0-text",
            "GNU Lesser General Public License, version 3",
            "Free Software Foundation",
            "https://www.gnu.org/licenses/lgpl-3.0.html",
            "version 3, 29 June 2007",
        ),
        s(
            "agpl-3.0-text",
            "GNU Affero General Public License, version 3",
            "Free Software Foundation",
            "https://www.gnu.org/licenses/agpl-3.0.html",
            "version 3, 19 November 2007",
        ),
        s(
            "mpl-2.0-text",
            "Mozilla Public License, version 2.0",
            "Mozilla Foundation",
            "https://www.mozilla.org/en-US/MPL/2.0/",
            "version 2.0",
        ),
        s(
            "gpl-faq",
            "Frequently Asked Questions about the GNU Licenses",
            "Free Software Foundation",
            "https://www.gnu.org/licenses/gpl-faq.html",
            "as published 2024",
        ),
        s(
            "rosen-infection",
            "The Unreasonable Fear of Infection",
            "Lawrence Rosen, Rosenlaw & Einschlag",
            "https://www.rosenlaw.com/html/GPL.PDF",
            "2001",
        ),
    ]
}

impl KnowledgeBase {
    /// The embedded knowledge base, built on first use.
    pub fn get() -> &'static KnowledgeBase {
        static KB: OnceLock<KnowledgeBase> = OnceLock::new();
        KB.get_or_init(|| {
            KnowledgeBase::build(
                include_str!("../data/knowledge.json"),
                include_str!("../data/scancode/categories.tsv"),
            )
            .unwrap_or_else(|e| panic!("embedded licence knowledge is invalid: {e}"))
        })
    }

    fn build(curated: &str, scancode: &str) -> Result<KnowledgeBase, String> {
        let curated: Curated =
            serde_json::from_str(curated).map_err(|e| format!("knowledge.json: {e}"))?;
        let mut sources: BTreeMap<String, Source> = builtin_sources()
            .into_iter()
            .map(|s| (s.key.clone(), s))
            .collect();
        for (key, s) in curated.sources {
            sources.insert(
                key.clone(),
                Source {
                    key,
                    title: s.title,
                    publisher: s.publisher,
                    url: s.url,
                    version: s.version,
                },
            );
        }
        let check_cites = |what: &str, cites: &[Citation]| -> Result<(), String> {
            for c in cites {
                if !sources.contains_key(&c.source) {
                    return Err(format!("{what} cites unknown source '{}'", c.source));
                }
            }
            Ok(())
        };

        let mut scancode_cat: HashMap<&str, (&str, &str)> = HashMap::new();
        for line in scancode.lines().skip(1) {
            let mut f = line.split('\t');
            if let (Some(id), Some(key), Some(cat)) = (f.next(), f.next(), f.next()) {
                scancode_cat.insert(id, (key, cat));
            }
        }
        let osadl = Matrix::get();
        let osadl_copyleft = osadl_copyleft(osadl);

        let mut curated_by_id: HashMap<String, CuratedLicence> = HashMap::new();
        let mut curated_exceptions: HashMap<String, (String, CuratedLicence)> = HashMap::new();
        for l in curated.licences {
            if let Some((base, exception)) = l.id.split_once(" WITH ") {
                // Hardware terms written as exceptions, e.g. "Apache-2.0 WITH SHL-2.1".
                let exc = ExceptionId::find(exception)
                    .filter(|e| e.name() == exception && LicenceId::find(base).is_some())
                    .ok_or_else(|| {
                        format!("knowledge.json: '{}' is not LICENCE WITH EXCEPTION", l.id)
                    })?;
                check_cites(&l.id, &l.category_basis)?;
                curated_exceptions.insert(exc.name().to_owned(), (l.id.clone(), l));
                continue;
            }
            if LicenceId::find(&l.id).is_none_or(|id| id.name() != l.id) {
                return Err(format!(
                    "knowledge.json: '{}' is not an SPDX licence id",
                    l.id
                ));
            }
            check_cites(&l.id, &l.category_basis)?;
            check_cites(&l.id, &l.patent_basis)?;
            check_cites(&l.id, &l.or_later_basis)?;
            if let Some(h) = &l.hardware {
                check_cites(&l.id, &h.basis)?;
            }
            curated_by_id.insert(l.id.clone(), l);
        }

        let mut profiles = Vec::new();
        let mut categories = Vec::new();
        for id in LicenceId::all() {
            let name = id.name();
            let spdx_cite = || vec![Citation::new("spdx-list", Some(name))];
            let curated = curated_by_id.remove(name);
            let scan = scancode_cat.get(name);
            let category = if let Some(c) = &curated {
                Fact::new(c.category, c.category_basis.clone())
            } else if let Some(&copyleft) = osadl_copyleft.get(name) {
                let scan_cat = scan.and_then(|(_, c)| scancode_category(name, c));
                let cat = match (copyleft, scan_cat) {
                    (true, Some(c)) if c.is_copyleft() => c,
                    (true, _) => Category::StrongCopyleft,
                    (false, Some(c)) if c.is_permissive() => c,
                    (false, _) => Category::Permissive,
                };
                let mut basis = vec![Citation {
                    source: "osadl-matrix".into(),
                    clause: Some(format!("explanations for {name}")),
                    note: Some(if copyleft {
                        format!("OSADL calls {name} a copyleft licence")
                    } else {
                        format!("OSADL calls {name} a non-copyleft licence")
                    }),
                }];
                if let Some((key, c)) = scan {
                    basis.push(Citation {
                        source: "scancode-licensedb".into(),
                        clause: Some((*key).to_owned()),
                        note: Some(format!("category: {c}")),
                    });
                }
                Fact::new(cat, basis)
            } else if let Some((key, c)) = scan {
                match scancode_category(name, c) {
                    Some(cat) => Fact::new(
                        cat,
                        vec![Citation {
                            source: "scancode-licensedb".into(),
                            clause: Some((*key).to_owned()),
                            note: Some(format!("category: {c}")),
                        }],
                    ),
                    None => Fact::new(Category::Unknown, vec![]),
                }
            } else {
                Fact::new(Category::Unknown, vec![])
            };
            categories.push(category.value);
            let (patent_grant, or_later, hardware, obligations) = match curated {
                Some(c) => (
                    Fact::new(c.patent_grant, c.patent_basis),
                    Fact::new(c.or_later, c.or_later_basis),
                    c.hardware.map(|h| Fact::new(h.covers, h.basis)),
                    c.obligations,
                ),
                None => (
                    Fact::new(PatentGrant::Unknown, vec![]),
                    Fact::new(OrLater::Unknown, vec![]),
                    None,
                    default_obligations(category.value),
                ),
            };
            profiles.push(LicenceProfile {
                id: name.to_owned(),
                name: id.full_name().to_owned(),
                exception: false,
                deprecated: id.is_deprecated(),
                category,
                osi_approved: Fact::new(id.0.is_osi_approved(), spdx_cite()),
                fsf_libre: Fact::new(id.0.is_fsf_free_libre(), spdx_cite()),
                patent_grant,
                or_later,
                hardware,
                obligations,
                in_osadl_matrix: osadl.position_of_index(id.index()).is_some(),
            });
        }
        if let Some(left) = curated_by_id.keys().next() {
            return Err(format!("knowledge.json: licence '{left}' was not placed"));
        }

        let exceptions = ExceptionId::all()
            .map(|e| {
                let name = e.name();
                if let Some((full, c)) = curated_exceptions.remove(name) {
                    return LicenceProfile {
                        id: name.to_owned(),
                        name: full,
                        exception: true,
                        deprecated: e.0.is_deprecated(),
                        category: Fact::new(c.category, c.category_basis),
                        osi_approved: Fact::new(
                            false,
                            vec![Citation::new("spdx-list", Some(name))],
                        ),
                        fsf_libre: Fact::new(false, vec![Citation::new("spdx-list", Some(name))]),
                        patent_grant: Fact::new(c.patent_grant, c.patent_basis),
                        or_later: Fact::new(c.or_later, c.or_later_basis),
                        hardware: c.hardware.map(|h| Fact::new(h.covers, h.basis)),
                        obligations: c.obligations,
                        in_osadl_matrix: false,
                    };
                }
                let category = match scancode_cat
                    .get(name)
                    .and_then(|(k, c)| scancode_category(name, c).map(|cat| (k, c, cat)))
                {
                    Some((k, c, cat)) => Fact::new(
                        cat,
                        vec![Citation {
                            source: "scancode-licensedb".into(),
                            clause: Some((*k).to_owned()),
                            note: Some(format!("category: {c}")),
                        }],
                    ),
                    None => Fact::new(Category::Unknown, vec![]),
                };
                LicenceProfile {
                    id: name.to_owned(),
                    name: name.to_owned(),
                    exception: true,
                    deprecated: e.0.is_deprecated(),
                    category,
                    osi_approved: Fact::new(false, vec![Citation::new("spdx-list", Some(name))]),
                    fsf_libre: Fact::new(false, vec![Citation::new("spdx-list", Some(name))]),
                    patent_grant: Fact::new(PatentGrant::Unknown, vec![]),
                    or_later: Fact::new(OrLater::NotApplicable, vec![]),
                    hardware: None,
                    obligations: vec![],
                    in_osadl_matrix: false,
                }
            })
            .collect();

        let mut rule_index: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>> =
            HashMap::default();
        for (i, r) in curated.rules.iter().enumerate() {
            let inbound = crate::Expression::parse(&r.inbound)
                .map_err(|e| format!("knowledge.json rule {i}: inbound: {e}"))?;
            let crate::Expression::Term(term) = inbound else {
                return Err(format!(
                    "knowledge.json rule {i}: inbound must be one licence"
                ));
            };
            check_cites(&format!("rule {i} ({})", r.inbound), &r.basis)?;
            if let Some(d) = &r.disputed {
                check_cites(&format!("rule {i} ({}) disputed", r.inbound), &d.basis)?;
            }
            if r.basis.is_empty() {
                return Err(format!(
                    "knowledge.json rule {i} ({}) has no basis",
                    r.inbound
                ));
            }
            for o in &r.outbound {
                let out = LicenceId::find(o)
                    .filter(|id| id.name() == o)
                    .ok_or_else(|| {
                        format!("knowledge.json rule {i}: outbound '{o}' is not an SPDX id")
                    })?;
                let Some(key) = rule_key(&term, out) else {
                    return Err(format!(
                        "knowledge.json rule {i}: inbound must be an SPDX licence"
                    ));
                };
                rule_index.entry(key).or_default().push(i as u32);
            }
        }

        Ok(KnowledgeBase {
            curated_version: curated.version,
            sources,
            profiles,
            exceptions,
            rules: curated.rules,
            rule_index,
            categories,
        })
    }

    /// The profile of an SPDX licence.
    pub fn profile(&self, id: LicenceId) -> &LicenceProfile {
        &self.profiles[id.index()]
    }

    /// The profile of a licence or exception by id (any case).
    pub fn find(&self, id: &str) -> Option<&LicenceProfile> {
        if let Some(l) = LicenceId::find(id) {
            return Some(self.profile(l));
        }
        ExceptionId::find(id).and_then(|e| self.exceptions.iter().find(|p| p.id == e.name()))
    }

    /// Every licence profile, in SPDX list order.
    pub fn licences(&self) -> &[LicenceProfile] {
        &self.profiles
    }

    /// Every exception profile.
    pub fn exceptions(&self) -> &[LicenceProfile] {
        &self.exceptions
    }

    /// The category of an SPDX licence (hot path).
    #[inline]
    pub fn category(&self, id: LicenceId) -> Category {
        self.categories[id.index()]
    }

    /// A source by key.
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.sources.get(key)
    }

    /// All sources.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        self.sources.values()
    }

    /// The curated rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The curated rule for an inbound term, an outbound licence and a use.
    pub fn rule(&self, inbound: &Term, outbound: LicenceId, use_: Use) -> Option<(u32, &Rule)> {
        let key = rule_key(inbound, outbound)?;
        self.rule_index.get(&key)?.iter().find_map(|&i| {
            let r = &self.rules[i as usize];
            r.uses.contains(&use_).then_some((i, r))
        })
    }

    /// A rule by index.
    pub fn rule_at(&self, i: u32) -> &Rule {
        &self.rules[i as usize]
    }
}

/// The look-up key of a rule: inbound licence, its exception and `+`, and the outbound licence.
fn rule_key(inbound: &Term, outbound: LicenceId) -> Option<u64> {
    let licence = inbound.spdx()?.index() as u64;
    let exception = match &inbound.exception {
        None => 0xFFFF,
        Some(crate::ExceptionName::Spdx(e)) => e.0.index as u64,
        Some(crate::ExceptionName::Ref(_)) => return None,
    };
    Some(
        licence << 40
            | exception << 24
            | u64::from(inbound.or_later) << 20
            | outbound.index() as u64,
    )
}

/// A hasher for the small integer keys of the rule index (no need for SipHash's DoS resistance:
/// the keys come from the embedded data).
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Whether OSADL calls each licence of its matrix copyleft, read from its explanations.
fn osadl_copyleft(m: &Matrix) -> HashMap<String, bool> {
    let mut out = HashMap::new();
    let names = m.names();
    for (i, inbound) in names.iter().enumerate() {
        for o in 0..names.len() {
            let t = m.template(o, i);
            if t.starts_with("Software under a copyleft license such as the {in} ") {
                out.insert(inbound.clone(), true);
                break;
            }
            if t.starts_with("Non-copyleft licenses such as the {in} ") {
                out.entry(inbound.clone()).or_insert(false);
            }
        }
    }
    out
}

fn scancode_category(id: &str, c: &str) -> Option<Category> {
    Some(match c {
        "Public Domain" => Category::PublicDomain,
        "Permissive" => Category::Permissive,
        "Copyleft Limited" => {
            if id.contains("LGPL") || id.contains("Library") {
                Category::WeakCopyleftLibrary
            } else {
                Category::WeakCopyleftFile
            }
        }
        "Copyleft" => {
            if id.starts_with("AGPL") {
                Category::NetworkCopyleft
            } else {
                Category::StrongCopyleft
            }
        }
        "Proprietary Free" | "Commercial" | "Source-available" | "Free Restricted"
        | "Patent License" => Category::NonFree,
        _ => return None,
    })
}

fn default_obligations(c: Category) -> Vec<String> {
    let v: &[&str] = match c {
        Category::PublicDomain => &["None: the work is dedicated to the public domain or waived"],
        Category::Permissive => {
            &["Keep the copyright and licence notices in copies and substantial portions"]
        }
        Category::WeakCopyleftFile => &[
            "Keep the copyright and licence notices",
            "Make the source of the licensed files, with your changes to them, available under the same licence",
        ],
        Category::WeakCopyleftLibrary => &[
            "Keep the copyright and licence notices",
            "Make the source of the library, with your changes to it, available under the same licence",
            "Let users replace or relink the library",
        ],
        Category::StrongCopyleft => &[
            "Keep the copyright and licence notices",
            "Distribute the whole work's source under the same licence",
        ],
        Category::NetworkCopyleft => &[
            "Keep the copyright and licence notices",
            "Distribute the whole work's source under the same licence",
            "Offer the source to users who interact with the work over a network",
        ],
        Category::NonFree | Category::Unknown => {
            &["Read the licence text: its terms are not summarised here"]
        }
    };
    v.iter().map(|s| (*s).to_owned()).collect()
}
