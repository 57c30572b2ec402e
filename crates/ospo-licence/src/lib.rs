//! Licence knowledge and compatibility for ospo.
//!
//! - [`Expression`]: SPDX licence expressions, parsed strictly or leniently (real-world
//!   strings such as `Apache 2.0` or `GPL-2.0+`, each mapping reported as a [`Warning`]).
//! - [`KnowledgeBase`]: every licence and exception of the SPDX list with its category,
//!   OSI/FSF status, patent grant, "or later" behaviour and hardware scope, each with its basis.
//! - [`Engine`]: may these inbound licences be combined under that outbound licence, for this
//!   [`Use`], and why; reproduces OSADL's matrix for merged works and goes beyond it with
//!   cited rules for linking, aggregation, network use and licences OSADL lacks.
//! - [`recommend`]: which outbound licences work, best first.
//! - `identify` (feature `text`): which SPDX licences a licence text contains, with confidence.

mod aliases;
mod engine;
mod error;
mod expr;
#[cfg(feature = "text")]
mod identify;
mod kb;
mod model;
mod osadl;
mod recommend;
mod request;

pub use aliases::read;
pub use engine::{Check, Choice, Engine, Finding, Fix};
pub use error::{LicenceError, ParseError};
pub use expr::{
    ExceptionId, ExceptionName, Expression, LicenceId, LicenceName, Mode, Term, Warning,
};
#[cfg(feature = "text")]
pub use identify::{BundledComponent, Identification, Identifier, TextMatch, identify};
pub use kb::{Disputed, KnowledgeBase, LicenceProfile, Rule, SCANCODE_VERSION, spdx_list_version};
pub use model::{Category, Citation, Fact, OrLater, PatentGrant, Source, Use, Verdict};
pub use osadl::{Matrix, OSADL_VERSION, OsadlValue};
pub use recommend::{
    Domain, HARDWARE_CANDIDATES, Preference, Recommendation, SOFTWARE_CANDIDATES, recommend,
    recommend_parsed,
};
pub use request::{CheckRequest, Inbound};

/// Checks inbound expressions against an outbound licence for a use (lenient parsing).
pub fn check(inbound: &[&str], outbound: &str, use_: Use) -> Result<Check, LicenceError> {
    Engine::new().check(inbound, outbound, use_, Mode::Lenient)
}

/// The profile of a licence or exception by SPDX id, in any case, or the closest id as an error.
pub fn licence(id: &str) -> Result<&'static LicenceProfile, LicenceError> {
    let kb = KnowledgeBase::get();
    if let Some(p) = kb.find(id) {
        return Ok(p);
    }
    let suggestion = Expression::parse(id).err().and_then(|e| e.suggestion);
    Err(LicenceError::UnknownLicence {
        id: id.to_owned(),
        version: spdx_list_version(),
        suggestion,
    })
}
