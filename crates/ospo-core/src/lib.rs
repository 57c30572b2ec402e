//! The domain model of an Open Source Programme Office (OSPO) at a research lab.
//!
//! Every other `ospo` crate speaks in these types: the catalogue of the lab's open-source
//! software and hardware ([`project`]), the inventory of open source used by the lab's services
//! ([`inventory`]), the disclosure workflow for opening up lab work ([`disclosure`]), requests to
//! contribute to external projects ([`contribution`]), who may do what ([`access`]) and the
//! record of every change ([`audit`]).
//!
//! The crate does no I/O and reads no clock: times are passed in as validated strings
//! ([`Timestamp`], [`IsoDate`]), so the same rules run in the server, the CLI, Python and the
//! browser. Values that have a syntax (slugs, dates, URLs, DOIs, SWHIDs, package URLs) are
//! newtypes that can only hold valid text; they are checked again when deserialised.
//!
//! JSON produced by these types uses `snake_case` field names and `kebab-case` enum values,
//! e.g. `{"kind": "hardware", "criticality": "critical"}`.

#[macro_use]
mod newtype;

pub mod access;
pub mod address;
pub mod audit;
pub mod contribution;
pub mod date;
pub mod disclosure;
pub mod error;
pub mod identifier;
pub mod inventory;
pub mod project;
pub mod slug;

pub use access::{Action, Actor, Denied, Office, Role, Target, may};
pub use address::{EmailAddress, Url};
pub use audit::{AuditAction, AuditEntry, EntityKind, FieldChange, ToValue, Value};
pub use contribution::{Advice, AdviceVerdict, Agreement, ContributionRequest, ExternalProject};
pub use date::{IsoDate, Timestamp};
pub use disclosure::{
    Disclosure, DisclosureAction, DisclosureState, LicencePreference, ProjectLink, Recommendation,
    Review, ReviewingUnit, Step, Transition, TransitionError,
};
pub use error::ValidationError;
pub use identifier::{Doi, Identifier, Swhid};
pub use inventory::{
    Component, ComponentLicence, Criticality, Exposure, Normalisation, PackageUrl, Relation, Scope,
    Service, Snapshot, Usage,
};
pub use project::{
    DevelopmentStatus, FieldName, Funding, LicenceExpression, Person, Project, ProjectKind,
    ProjectRole, Provenance, ReadinessLevel, Release, SyncOutcome, Unit, UseCase,
};
pub use slug::Slug;

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Every parser of outside text answers Ok or Err, never panics, on any input.
        #[test]
        fn parsers_never_panic(text in "\\PC{0,80}") {
            let _ = Slug::parse(&text);
            let _ = Slug::from_name(&text);
            let _ = IsoDate::parse(&text);
            let _ = Timestamp::parse(&text).map(|t| t.unix_seconds());
            let _ = Url::parse(&text);
            let _ = EmailAddress::parse(&text);
            let _ = Doi::parse(&text);
            let _ = Swhid::parse(&text).map(|s| s.object_type().to_owned());
            let _ = PackageUrl::parse(&text).map(|p| (p.ecosystem(), p.version().map(str::to_owned)));
            let _ = LicenceExpression::parse(&text);
            let _ = Unit::parse(&text);
        }

        /// Parsers must also survive near-misses of the valid shapes.
        #[test]
        fn near_valid_timestamps_and_purls_never_panic(
            stamp in "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:]{8}(\\.[0-9]{0,3})?(Z|[+-][0-9:]{5}|é)?",
            purl in "pkg:/{0,2}[a-z0-9.+-]{0,6}/[a-z@/%?#.-]{0,12}",
        ) {
            let _ = Timestamp::parse(&stamp).map(|t| (t.unix_seconds(), t.date().year()));
            let _ = PackageUrl::parse(&purl).map(|p| (p.ecosystem(), p.package().to_owned()));
        }

        /// A slug made from any name is valid and stays the same when slugified again.
        #[test]
        fn slugs_from_names_are_valid_and_stable(name in "\\PC{0,100}") {
            if let Ok(slug) = Slug::from_name(&name) {
                prop_assert!(Slug::parse(slug.as_str()).is_ok());
                prop_assert_eq!(Slug::from_name(slug.as_str()).unwrap(), slug);
            }
        }

        /// Consecutive calendar days are one day apart, across month and year ends too, and
        /// dates order like their day counts.
        #[test]
        fn day_counts_agree_with_the_calendar(year in 1u16..=9998, month in 1u8..=12, day in 1u8..=31) {
            let Ok(date) = IsoDate::from_ymd(year, month, day) else {
                return Ok(()); // 31 April and the like
            };
            let next = IsoDate::from_ymd(year, month, day + 1)
                .or_else(|_| IsoDate::from_ymd(year, month + 1, 1))
                .or_else(|_| IsoDate::from_ymd(year + 1, 1, 1))
                .unwrap();
            prop_assert_eq!(next.days_since_epoch() - date.days_since_epoch(), 1);
            prop_assert!(date < next);
            prop_assert_eq!((date.year(), date.month(), date.day()), (year, month, day));
        }
    }
}
