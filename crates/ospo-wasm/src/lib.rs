//! The ospo licence engine compiled to WebAssembly for the in-browser checker
//! (wasm-bindgen): it converts types for the browser, nothing else.
//!
//! One entry type, [`Checker`], with serde in and out (through JSON): requests are plain
//! JavaScript objects of the shapes the JSON API and `ospo licence check --batch` read,
//! reports are the objects they write. The TypeScript declarations below are emitted into `ospo_wasm.d.ts`.
//! Errors are JavaScript `Error`s (see [`error`]); with the `panic-hook` feature a panic
//! throws an `Error` with its message instead of a bare trap.

mod error;

use error::{JsResult, licence_error, request_error};
use ospo_licence::{
    Check, CheckRequest, Citation, Disputed, Domain, Engine, Inbound, KnowledgeBase,
    LicenceProfile, Preference, Source, Use, Verdict,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** How the inbound component is combined with the outbound work. */
export type Use = "merged" | "static-link" | "dynamic-link" | "separate" | "network";
/** The answer: `unknown` means no licence text or published guidance settles it. */
export type Verdict = "yes" | "no" | "depends" | "unknown";
export type Category = "public-domain" | "permissive" | "weak-copyleft-file"
  | "weak-copyleft-library" | "strong-copyleft" | "network-copyleft" | "non-free" | "unknown";

/** A compatibility question, as `POST /api/licences/check` and `--batch` read it. */
export interface CheckRequest {
  /** One inbound SPDX expression, or several that all apply. */
  inbound: string | string[];
  /** The outbound licence. */
  outbound: string;
  /** Default: `merged`. Aliases such as `static` or `saas` are accepted. */
  use?: Use | string;
  /** Accept only exact SPDX expressions (default: real-world strings are read too). */
  strict?: boolean;
}

/** A reference to a source, down to the clause. */
export interface Citation { source: string; clause?: string; note?: string }
/** A published text a verdict rests on. */
export interface Source { key: string; title: string; publisher?: string; url?: string; version: string }
/** A published view that disagrees. */
export interface Disputed { explanation: string; basis: Citation[] }
/** How a lenient string was read. */
export interface Warning { offset: number; found: string; read_as: string; message: string }

/** One inbound licence judged against one outbound licence. */
export interface Finding {
  inbound: string; outbound: string; verdict: Verdict; explanation: string;
  basis: Citation[]; conditions?: string[]; disputed?: Disputed;
  /** OSADL's own cell value where the verdict is OSADL's. */
  osadl?: "Same" | "Yes" | "No" | "Unknown" | "CheckDependency";
}
/** The branch chosen in an OR. */
export interface Choice { expression: string; chosen: string; branches: [string, Verdict][]; reason: string }
/** A change that would make the combination work. */
export interface Fix { kind: "outbound" | "branch"; take: string; verdict: Verdict; reason: string }

/** A full report, the same object as the JSON API's and `ospo licence check -f json`. */
export interface Check {
  verdict: Verdict; inbound: string[]; outbound: string; use: Use; explanation: string;
  findings: Finding[]; choices?: Choice[]; failing?: string[]; conditions?: string[];
  fixes?: Fix[]; warnings?: Warning[]; sources: Source[];
}

/** A citation joined with its source. */
export interface Reference { source: Source; clause?: string; note?: string }
/** A finding with every citation joined with its source. */
export interface ExplainedFinding {
  inbound: string; outbound: string; verdict: Verdict; explanation: string;
  conditions: string[]; basis: Reference[];
  disputed?: { explanation: string; basis: Reference[] };
}
/** What `explain` returns: the report with its citations resolved, as `ospo licence explain` prints it. */
export interface Explanation {
  verdict: Verdict; inbound: string[]; outbound: string; use: Use; explanation: string;
  findings: ExplainedFinding[]; choices: Choice[]; conditions: string[]; fixes: Fix[];
  warnings: Warning[]; sources: Source[];
}

/** Which outbound licences work for these inbound licences. */
export interface RecommendRequest {
  inbound: string | string[];
  use?: Use | string;
  prefer?: "permissive" | "weak-copyleft" | "strong-copyleft";
  kind?: "software" | "hardware";
}
export interface Recommendation { licence: string; category: Category; verdict: Verdict; reason: string; conditions?: string[] }
export interface Recommendations { recommendations: Recommendation[]; warnings: Warning[] }

/** A value with what it rests on. */
export interface Fact<T> { value: T; basis: Citation[] }
/** Everything the engine knows about one licence or exception. */
export interface LicenceProfile {
  id: string; name: string; exception: boolean; deprecated: boolean;
  category: Fact<Category>; osi_approved: Fact<boolean>; fsf_libre: Fact<boolean>;
  patent_grant: Fact<"express" | "none" | "excluded" | "unclear" | "unknown">;
  or_later: Fact<"licensee-may-choose-later" | "only-if-stated" | "none" | "not-applicable" | "unknown">; hardware?: Fact<string>; obligations: string[]; in_osadl_matrix: boolean;
}
/** One entry of the SPDX list, for suggestions while typing. */
export interface LicenceEntry { id: string; name: string; exception: boolean; deprecated: boolean; category: Category }

/**
 * Thrown when the engine could not do the work: `name` is `"ParseError"` (with `column`,
 * `expression` and, when one is close, `suggestion`), `"UnknownLicence"` (with `suggestion`)
 * or `"RequestError"` (a malformed request object).
 */
export interface LicenceError extends Error {
  name: "ParseError" | "UnknownLicence" | "RequestError";
  column?: number; expression?: string; suggestion?: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// A `CheckRequest` object.
    #[wasm_bindgen(typescript_type = "CheckRequest")]
    pub type CheckRequestJs;
    /// A `Check` report.
    #[wasm_bindgen(typescript_type = "Check")]
    pub type CheckJs;
    /// An `Explanation`.
    #[wasm_bindgen(typescript_type = "Explanation")]
    pub type ExplanationJs;
    /// A `RecommendRequest` object.
    #[wasm_bindgen(typescript_type = "RecommendRequest")]
    pub type RecommendRequestJs;
    /// `Recommendations`.
    #[wasm_bindgen(typescript_type = "Recommendations")]
    pub type RecommendationsJs;
    /// A `LicenceProfile`.
    #[wasm_bindgen(typescript_type = "LicenceProfile")]
    pub type LicenceProfileJs;
    /// The SPDX list as `LicenceEntry[]`.
    #[wasm_bindgen(typescript_type = "LicenceEntry[]")]
    pub type LicenceEntriesJs;
}

/// The licence engine for JavaScript: check, explain, recommend, list and show licences.
#[wasm_bindgen]
pub struct Checker {
    engine: Engine,
}

#[wasm_bindgen]
impl Checker {
    /// Builds the engine's tables (a few milliseconds, once per page).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Checker {
        #[cfg(feature = "panic-hook")]
        error::install_panic_hook();
        Checker {
            engine: Engine::new(),
        }
    }

    /// The verdict for a request, with explanation, sources, chosen OR branches and fixes.
    pub fn check(&self, request: CheckRequestJs) -> JsResult<CheckJs> {
        let report = self.run(request.into())?;
        Ok(to_js(&report)?.unchecked_into())
    }

    /// The report with every citation joined with its source, as `ospo licence explain`.
    pub fn explain(&self, request: CheckRequestJs) -> JsResult<ExplanationJs> {
        let report = self.run(request.into())?;
        Ok(to_js(&Explanation::new(self.engine.knowledge(), &report))?.unchecked_into())
    }

    /// Outbound licences that accept these inbound licences, best first.
    pub fn recommend(&self, request: RecommendRequestJs) -> JsResult<RecommendationsJs> {
        let req: RecommendRequest = from_js(request.into())?;
        let use_ = parse_use(req.use_.as_deref())?;
        let inbound = req.inbound.as_strs();
        let (recommendations, warnings) =
            ospo_licence::recommend(&inbound, use_, req.prefer, req.kind)
                .map_err(|e| licence_error(&e))?;
        let out = Recommendations {
            recommendations,
            warnings,
        };
        Ok(to_js(&out)?.unchecked_into())
    }

    /// Every licence and exception of the SPDX list: id, name, category, deprecated.
    pub fn licences(&self) -> JsResult<LicenceEntriesJs> {
        let kb = self.engine.knowledge();
        let entries: Vec<LicenceEntry> = kb
            .licences()
            .iter()
            .chain(kb.exceptions())
            .map(LicenceEntry::from)
            .collect();
        Ok(to_js(&entries)?.unchecked_into())
    }

    /// The profile of one licence or exception by SPDX id, every fact with its basis.
    pub fn licence(&self, id: &str) -> JsResult<LicenceProfileJs> {
        let profile = ospo_licence::licence(id).map_err(|e| licence_error(&e))?;
        Ok(to_js(profile)?.unchecked_into())
    }

    /// The SPDX licence list version the engine knows.
    #[wasm_bindgen(js_name = spdxVersion)]
    pub fn spdx_version(&self) -> String {
        ospo_licence::spdx_list_version().to_owned()
    }
}

impl Default for Checker {
    fn default() -> Self {
        Checker::new()
    }
}

impl Checker {
    fn run(&self, request: JsValue) -> JsResult<Check> {
        let req: CheckRequest = from_js(request)?;
        if matches!(&req.inbound, Inbound::Many(v) if v.is_empty()) {
            return Err(licence_error(&ospo_licence::LicenceError::NoInbound));
        }
        req.run(&self.engine, Use::Merged, false)
            .map_err(|e| licence_error(&e))
    }
}

/// Objects go through JSON both ways, so a request is read exactly as the JSON API and
/// `--batch` read it (unknown keys refused) and a report is the object they write.
fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let text = serde_json::to_string(value).map_err(|e| request_error(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}

fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue) -> JsResult<T> {
    if !value.is_object() {
        return Err(request_error(
            "give the request as an object, e.g. {inbound: \"MIT\", outbound: \"Apache-2.0\"}",
        ));
    }
    let text: String = js_sys::JSON::stringify(&value)
        .map_err(|_| request_error("the request cannot be written as JSON"))?
        .into();
    serde_json::from_str(&text).map_err(|e| request_error(&format!("request: {e}")))
}

fn parse_use(use_: Option<&str>) -> JsResult<Use> {
    use_.map_or(Ok(Use::Merged), |u| {
        u.parse::<Use>().map_err(|e| request_error(&e))
    })
}

/// `{"inbound": ..., "use": ..., "prefer": ..., "kind": ...}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecommendRequest {
    inbound: Inbound,
    #[serde(rename = "use", default)]
    use_: Option<String>,
    #[serde(default)]
    prefer: Option<Preference>,
    #[serde(default)]
    kind: Option<Domain>,
}

trait InboundStrs {
    fn as_strs(&self) -> Vec<&str>;
}

impl InboundStrs for Inbound {
    fn as_strs(&self) -> Vec<&str> {
        match self {
            Inbound::One(s) => vec![s.as_str()],
            Inbound::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Serialize)]
struct Recommendations {
    recommendations: Vec<ospo_licence::Recommendation>,
    warnings: Vec<ospo_licence::Warning>,
}

#[derive(Serialize)]
struct LicenceEntry<'a> {
    id: &'a str,
    name: &'a str,
    exception: bool,
    deprecated: bool,
    category: ospo_licence::Category,
}

impl<'a> From<&'a LicenceProfile> for LicenceEntry<'a> {
    fn from(p: &'a LicenceProfile) -> Self {
        LicenceEntry {
            id: &p.id,
            name: &p.name,
            exception: p.exception,
            deprecated: p.deprecated,
            category: p.category.value,
        }
    }
}

/// A citation joined with its source.
#[derive(Serialize)]
struct Reference<'a> {
    source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    clause: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

fn references<'a>(kb: &KnowledgeBase, basis: &'a [Citation]) -> Vec<Reference<'a>> {
    basis
        .iter()
        .map(|c| Reference {
            source: kb.source(&c.source).cloned().unwrap_or_else(|| Source {
                key: c.source.clone(),
                title: c.source.clone(),
                publisher: String::new(),
                url: String::new(),
                version: String::new(),
            }),
            clause: c.clause.as_deref(),
            note: c.note.as_deref(),
        })
        .collect()
}

#[derive(Serialize)]
struct ExplainedDisputed<'a> {
    explanation: &'a str,
    basis: Vec<Reference<'a>>,
}

#[derive(Serialize)]
struct ExplainedFinding<'a> {
    inbound: &'a str,
    outbound: &'a str,
    verdict: Verdict,
    explanation: &'a str,
    conditions: &'a [String],
    basis: Vec<Reference<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disputed: Option<ExplainedDisputed<'a>>,
}

#[derive(Serialize)]
struct Explanation<'a> {
    verdict: Verdict,
    inbound: Vec<String>,
    outbound: String,
    #[serde(rename = "use")]
    use_: Use,
    explanation: &'a str,
    findings: Vec<ExplainedFinding<'a>>,
    choices: &'a [ospo_licence::Choice],
    conditions: &'a [String],
    fixes: &'a [ospo_licence::Fix],
    warnings: &'a [ospo_licence::Warning],
    sources: &'a [Source],
}

impl<'a> Explanation<'a> {
    fn new(kb: &KnowledgeBase, r: &'a Check) -> Explanation<'a> {
        let disputed = |d: &'a Disputed| ExplainedDisputed {
            explanation: &d.explanation,
            basis: references(kb, &d.basis),
        };
        Explanation {
            verdict: r.verdict,
            inbound: r.inbound.iter().map(ToString::to_string).collect(),
            outbound: r.outbound.to_string(),
            use_: r.use_,
            explanation: &r.explanation,
            findings: r
                .findings
                .iter()
                .map(|f| ExplainedFinding {
                    inbound: &f.inbound,
                    outbound: &f.outbound,
                    verdict: f.verdict,
                    explanation: &f.explanation,
                    conditions: &f.conditions,
                    basis: references(kb, &f.basis),
                    disputed: f.disputed.as_ref().map(disputed),
                })
                .collect(),
            choices: &r.choices,
            conditions: &r.conditions,
            fixes: &r.fixes,
            warnings: &r.warnings,
            sources: &r.sources,
        }
    }
}
