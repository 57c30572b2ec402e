//! Import and export of catalogue metadata on real files: every fixture imports (or each
//! refused entry is reported), known projects come out with the right values, malformed files
//! are refused with file, line, column and field, and import → export → import keeps every
//! field the CodeMeta crosswalk maps. Fixtures and their sources: `tests/formats/SOURCE.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ospo_catalogue::formats::{self, Format, FormatError, Imported, Position};
use ospo_core::{
    DevelopmentStatus, FieldName, Identifier, Project, ProjectKind, ProjectRole, Provenance,
    Timestamp,
};
use serde_json::{Value, json};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats")
}

fn read(path: &str) -> String {
    // The 6 MB code.json corpus is read from the shared data folder beside the repository
    // (CI has it; OSPO_SHARED_DATA overrides), not copied into the repository.
    let path = if path == "real/code-gov-doe.json" {
        std::env::var_os("OSPO_SHARED_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
            .join("catalogue/code-gov-doe.json")
    } else {
        fixtures().join(path)
    };
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn now() -> Timestamp {
    Timestamp::parse("2026-04-01T09:00:00Z").unwrap()
}

/// Imports a fixture under its own file name, in the format detected from it.
fn import(path: &str) -> Imported {
    let text = read(path);
    let name = path.rsplit('/').next().unwrap();
    let format = Format::detect(name, &text).unwrap_or_else(|| panic!("{path}: not detected"));
    formats::parse(format, name, &text, now()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn one(path: &str) -> Project {
    let imported = import(path);
    assert_eq!(imported.projects.len(), 1, "{path}");
    imported.projects.into_iter().next().unwrap()
}

fn find<'a>(projects: &'a [Project], slug: &str) -> &'a Project {
    projects
        .iter()
        .find(|p| p.slug == slug)
        .unwrap_or_else(|| panic!("no project {slug}"))
}

fn strings(items: &[impl ToString]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// The fields the CodeMeta crosswalk maps, as the catalogue holds them: name, description
/// and summary, codeRepository, url, issueTracker, softwareHelp, license,
/// programmingLanguage, keywords, author and maintainer (contacts are maintainers in
/// CodeMeta), softwareVersion with datePublished and releaseNotes, identifier, funding,
/// developmentStatus.
fn crosswalk(p: &Project) -> Value {
    let people: Vec<Value> = p
        .people
        .iter()
        .map(|person| {
            json!({
                "name": person.name,
                "email": person.email,
                "affiliation": person.affiliation,
                "expertise": person.expertise,
                "author": person.has_role(ProjectRole::Expert),
                "maintainer": person.has_role(ProjectRole::Maintainer)
                    || person.has_role(ProjectRole::Contact),
            })
        })
        .collect();
    json!({
        "name": p.name,
        "summary": p.summary,
        "description": p.description,
        "repository": p.repository,
        "homepage": p.homepage,
        "issue_tracker": p.issue_tracker,
        "documentation": p.documentation,
        "licence": p.licence,
        "languages": p.languages,
        "topics": p.topics,
        "people": people,
        "release": p.releases.first(),
        "identifiers": p.identifiers,
        "funding": p.funding,
        "status": p.status,
    })
}

/// Renders `projects` as `format`, imports the result and checks the crosswalk fields.
fn assert_round_trip(format: Format, projects: &[Project]) -> Imported {
    let text = formats::render(format, projects).unwrap_or_else(|e| panic!("{format}: {e}"));
    let again = formats::parse(format, format.file_name(), &text, now())
        .unwrap_or_else(|e| panic!("{format}: {e}\n{text}"));
    assert_eq!(again.projects.len(), projects.len(), "{format}");
    for (before, after) in projects.iter().zip(&again.projects) {
        assert_eq!(
            crosswalk(after),
            crosswalk(before),
            "{format}: {} changed in the round trip\n{text}",
            before.slug
        );
    }
    again
}

/// Renders each project as codemeta.json and imports it again: the crosswalk check for
/// formats the catalogue reads but does not write.
fn assert_round_trip_through_codemeta(projects: &[Project]) {
    for project in projects {
        assert_round_trip(Format::CodeMeta, std::slice::from_ref(project));
    }
}

fn assert_no_problems(projects: &[Project]) {
    for p in projects {
        assert_eq!(p.problems(), vec![], "{}", p.slug);
    }
}

// ---------------------------------------------------------------------------------------------
// OHWR

#[test]
fn ohwr_registry_imports_all_187_projects_with_links_and_tags() {
    let imported = import("real/ohwr-config.yaml");
    assert_eq!(imported.projects.len(), 187);
    assert_eq!(imported.warnings, Vec::<String>::new());
    assert_no_problems(&imported.projects);
    let projects = &imported.projects;

    let mdior = find(projects, "mdior");
    assert_eq!(
        strings(&mdior.compatible_with),
        ["diot-crate-hw", "diot-pfc-ku"]
    );
    assert_eq!(
        mdior.topics,
        ["DI/OT", "Digital I/O"],
        "TRL4 is a level, not a topic"
    );
    assert_eq!(mdior.readiness_level.map(|l| l.get()), Some(4));
    assert_eq!(
        mdior.repository.as_ref().unwrap(),
        "https://gitlab.com/ohwr/project/mdior.git"
    );
    assert_eq!(mdior.kind, ProjectKind::Hardware);
    assert_eq!(mdior.people.len(), 1);
    assert_eq!(mdior.people[0].name, "Maintainer 1");
    assert_eq!(
        mdior.people[0].email.as_ref().unwrap(),
        "maintainer-1@cern.ch"
    );
    assert_eq!(
        mdior.people[0].roles,
        [ProjectRole::Maintainer, ProjectRole::Contact]
    );
    assert_eq!(
        mdior.provenance[&FieldName::CompatibleWith],
        Provenance::Import {
            source: "ohwr-registry".into()
        }
    );
    assert_eq!(mdior.licence, None, "the registry has no licences");

    let babywr = find(projects, "babywr");
    assert_eq!(
        strings(&babywr.compatible_with),
        [
            "wr-switch-hw",
            "wrs-lj-hw",
            "wrs-fl-hw",
            "wrs-ljdprep-hw",
            "wr-switch-hw-v4"
        ]
    );
    // Mixed-case and underscored ids become slugs; the name keeps the id as written.
    let lnls = find(projects, "p4ch-lnls");
    assert_eq!(lnls.name, "P4CH-LNLS");
    assert_eq!(find(projects, "maroc-csa").name, "maroc_csa");
    // A "Software" tag makes the project hardware and software.
    assert_eq!(find(projects, "fmc-tdc").kind, ProjectKind::Both);
    // wrpc-sw lists a tag twice in the registry; the catalogue keeps it once.
    let wrpc = find(projects, "wrpc-sw");
    let unique: BTreeSet<&String> = wrpc.topics.iter().collect();
    assert_eq!(unique.len(), wrpc.topics.len(), "{:?}", wrpc.topics);

    let with_links = projects
        .iter()
        .filter(|p| !p.compatible_with.is_empty())
        .count();
    assert_eq!(with_links, 91);
    let with_level = projects
        .iter()
        .filter(|p| p.readiness_level.is_some())
        .count();
    assert_eq!(with_level, 87);
    let inactive = projects
        .iter()
        .filter(|p| p.status == Some(DevelopmentStatus::Obsolete))
        .count();
    assert!(
        inactive >= 6,
        "projects tagged Inactive are obsolete: {inactive}"
    );
    let slugs: BTreeSet<&str> = projects.iter().map(|p| p.slug.as_str()).collect();
    for p in projects {
        for other in &p.compatible_with {
            assert!(slugs.contains(other.as_str()), "{} → {other}", p.slug);
        }
    }
}

#[test]
fn ohwr_manifests_are_read_in_both_shapes() {
    // Nested under `project:`.
    let tdc = one("real/fmc-tdc.ohwr.yaml");
    assert_eq!(tdc.slug, "fmc-tdc", "the id comes from the file name");
    assert_eq!(tdc.name, "FMC Time to Digital Converter | FMC TDC 1ns 5cha");
    assert_eq!(tdc.kind, ProjectKind::Hardware);
    assert_eq!(
        tdc.licence.as_ref().unwrap(),
        "CC-BY-SA-4.0 AND CERN-OHL-W-2.0 AND GPL-2.0-or-later AND LGPL-2.1-or-later"
    );
    assert_eq!(
        tdc.homepage.as_ref().unwrap(),
        "https://ohwr.org/project/fmc-tdc"
    );
    assert_eq!(
        tdc.documentation.as_ref().unwrap(),
        "https://ohwr.org/project/fmc-tdc/wikis"
    );
    assert_eq!(
        tdc.issue_tracker.as_ref().unwrap(),
        "https://ohwr.org/project/fmc-tdc/issues"
    );
    assert_eq!(tdc.releases.len(), 1);
    assert_eq!(tdc.releases[0].version, "v8.0.1");
    assert_eq!(
        tdc.releases[0].url.as_ref().unwrap(),
        "https://ohwr.org/project/fmc-tdc/tags/v8.0.1"
    );
    assert_eq!(
        tdc.summary,
        "The **FMC TDC 1ns 5cha Time to Digital Converter** mezzanine board houses 5 input channels."
    );
    assert!(tdc.description.contains("precision of ±700 ps"));
    assert_eq!(tdc.provenance[&FieldName::Licence], Provenance::Manifest);
    assert_eq!(tdc.created_at, now());

    // Flat, with the description behind a link the catalogue does not fetch.
    let spec_text = read("real/spec.ohwr.yaml");
    let imported =
        formats::parse(Format::OhwrManifest, "spec.ohwr.yaml", &spec_text, now()).unwrap();
    let spec = &imported.projects[0];
    assert_eq!(spec.slug, "spec");
    assert_eq!(spec.name, "Simple PCIe FMC carrier (SPEC)");
    assert_eq!(spec.description, "");
    assert_eq!(spec.releases[0].version, "v3.0.0");
    assert_eq!(
        imported.warnings,
        [
            "spec.ohwr.yaml: description: the description is a link to a Markdown file \
          (https://raw.githubusercontent.com/wiki/vascoguita/spec/Home.md); the catalogue does \
          not fetch links, so the description is left empty"
        ]
    );
    // In a repository the file is just `.ohwr.yaml`: the id comes from the OHWR page.
    let bare = formats::parse(Format::OhwrManifest, ".ohwr.yaml", &spec_text, now()).unwrap();
    assert_eq!(bare.projects[0].slug, "spec");
}

#[test]
fn manifest_and_registry_entry_of_a_project_meet_on_one_slug() {
    let registry = import("real/ohwr-config.yaml").projects;
    let mut stored = find(&registry, "fmc-tdc").clone();
    let manifest = one("real/fmc-tdc.ohwr.yaml");
    let outcome = stored.sync_from(&manifest, &Provenance::Manifest);
    let changed: Vec<&str> = outcome.changes.iter().map(|c| c.field.as_str()).collect();
    assert!(
        changed.contains(&"licence") && changed.contains(&"name"),
        "{changed:?}"
    );
    assert_eq!(
        strings(&stored.compatible_with),
        strings(&find(&registry, "fmc-tdc").compatible_with)
    );
    assert!(stored.licence.is_some() && stored.repository.is_some());
}

// ---------------------------------------------------------------------------------------------
// publiccode.yml

#[test]
fn publiccode_examples_import_with_their_values() {
    let imported = import("real/publiccode.yml");
    let medusa = &imported.projects[0];
    assert_eq!(medusa.slug, "medusa");
    assert_eq!(medusa.kind, ProjectKind::Software);
    assert_eq!(medusa.licence.as_ref().unwrap(), "AGPL-3.0-or-later");
    assert_eq!(
        medusa.repository.as_ref().unwrap(),
        "https://example.com/italia/medusa.git"
    );
    assert_eq!(
        medusa.homepage.as_ref().unwrap(),
        "https://example.com/italia/medusa"
    );
    assert_eq!(
        medusa.documentation.as_ref().unwrap(),
        "https://read.the.documentation/medusa/v1.0"
    );
    assert_eq!(medusa.status, Some(DevelopmentStatus::Development));
    assert_eq!(medusa.releases[0].version, "1.0");
    assert_eq!(medusa.releases[0].date.as_ref().unwrap(), "2017-04-15");
    assert_eq!(
        medusa.topics,
        [
            "content-management",
            "office",
            "Very important feature",
            "Will run without a problem",
            "Has zero bugs",
            "Solves all the problems of the world"
        ]
    );
    assert!(
        medusa
            .summary
            .starts_with("This description can have a maximum 150")
    );
    assert_eq!(medusa.people.len(), 1);
    let rossi = &medusa.people[0];
    assert_eq!(rossi.name, "Francesco Rossi");
    assert_eq!(
        rossi.affiliation.as_deref(),
        Some("Comune di Reggio Emilia")
    );
    assert_eq!(
        imported.warnings,
        [
            "publiccode.yml: maintenance.contractors[0]: contractor \"Fornitore Privato SPA\" not \
          imported: the catalogue lists people to contact, not maintenance contracts"
        ]
    );

    let minimal = import("real/publiccode.minimal.yml");
    assert_eq!(minimal.warnings, Vec::<String>::new());
    let minimal = &minimal.projects[0];
    assert_eq!(minimal.people[0].email, None);
    assert_eq!(
        minimal.summary,
        "A rather short description which is probably useless"
    );
}

#[test]
fn publiccode_versions_from_0_2_to_0_7_are_read() {
    let old = import("publiccode/v0.2.yml");
    assert_eq!(old.warnings, Vec::<String>::new());
    let old = &old.projects[0];
    assert_eq!(
        old.summary, "Register of incoming and outgoing documents.",
        "en-GB is chosen"
    );
    assert_eq!(
        old.topics,
        [
            "document-management",
            "Document registration",
            "Full-text search",
            "archive"
        ]
    );
    assert_eq!(
        old.releases[0].version, "2.3.1",
        "an unquoted version is read as written"
    );
    assert_eq!(old.releases[0].date.as_ref().unwrap(), "2019-05-02");
    assert_eq!(old.licence.as_ref().unwrap(), "EUPL-1.2");
    assert_eq!(old.people.len(), 2);
    assert_eq!(old.status, Some(DevelopmentStatus::Beta));

    let new = import("publiccode/v0.7.yml");
    assert_eq!(new.warnings, Vec::<String>::new());
    let new = &new.projects[0];
    assert_eq!(new.licence.as_ref().unwrap(), "MIT OR Apache-2.0");
    assert_eq!(new.funding.len(), 1);
    assert_eq!(new.funding[0].funder, "European Commission");
    assert_eq!(new.status, Some(DevelopmentStatus::Stable));

    let future = "publiccodeYmlVersion: \"1.0\"\nname: Next\n";
    let imported = formats::parse(Format::Publiccode, "publiccode.yml", future, now()).unwrap();
    assert_eq!(
        imported.warnings,
        ["publiccode.yml: publiccodeYmlVersion: version \"1.0\" is outside 0.2–0.7; read as 0.7"]
    );
}

// ---------------------------------------------------------------------------------------------
// codemeta.json

#[test]
fn codemeta_2_is_read_with_funding_people_and_release() {
    let imported = import("codemeta/codemeta-v2.json");
    assert_eq!(
        imported.warnings,
        [
            "codemeta-v2.json: identifier: identifier \"CodeMeta\" is neither a DOI nor a SWHID; not kept"
        ]
    );
    let p = &imported.projects[0];
    assert_eq!(
        p.slug,
        "codemeta-minimal-metadata-schemas-for-science-software-and-code"
    );
    assert_eq!(p.licence.as_ref().unwrap(), "Apache-2.0");
    assert_eq!(
        p.repository.as_ref().unwrap(),
        "https://github.com/codemeta/codemeta"
    );
    assert_eq!(
        p.issue_tracker.as_ref().unwrap(),
        "https://github.com/codemeta/codemeta/issues"
    );
    assert_eq!(p.languages, ["JSON-LD"]);
    assert_eq!(p.topics, ["metadata", "software"]);
    assert_eq!(p.status, Some(DevelopmentStatus::Stable), "\"active\"");
    // Carl Boettiger is author and maintainer: one person with both roles.
    assert_eq!(p.people.len(), 2);
    assert_eq!(p.people[0].name, "Carl Boettiger");
    assert_eq!(
        p.people[0].roles,
        [ProjectRole::Expert, ProjectRole::Maintainer]
    );
    assert_eq!(p.people[1].name, "Matthew B. Jones");
    assert_eq!(p.funding.len(), 1);
    assert_eq!(p.funding[0].funder, "National Science Foundation");
    assert_eq!(
        p.funding[0].grant.as_deref(),
        Some("1549758; Codemeta: A Rosetta Stone for Metadata in Scientific Software")
    );
    let release = &p.releases[0];
    assert_eq!(release.version, "2.0");
    assert_eq!(release.date.as_ref().unwrap(), "2017-06-05");
    assert_eq!(
        release.url.as_ref().unwrap(),
        "https://github.com/codemeta/codemeta/archive/2.0.zip"
    );
}

#[test]
fn codemeta_3_is_read_with_roles_grants_and_identifiers() {
    let imported = import("codemeta/rucio-v3.json");
    assert_eq!(imported.warnings, Vec::<String>::new());
    let rucio = &imported.projects[0];
    assert_eq!(rucio.slug, "rucio");
    assert_eq!(rucio.homepage.as_ref().unwrap(), "https://rucio.cern.ch");
    assert_eq!(
        rucio.documentation.as_ref().unwrap(),
        "https://rucio.github.io/documentation/"
    );
    assert_eq!(rucio.languages, ["Python"]);
    assert_eq!(rucio.people.len(), 2, "the Role node adds no one");
    assert_eq!(rucio.people[0].name, "Jane Doe");
    assert_eq!(rucio.people[0].affiliation.as_deref(), Some("CERN"));
    assert_eq!(rucio.people[0].expertise, ["data placement", "transfers"]);
    assert_eq!(
        rucio.people[1].email.as_ref().unwrap(),
        "john.roe@example.org"
    );
    assert_eq!(
        rucio.identifiers,
        [Identifier::Doi(
            "10.1007/s41781-019-0026-3".parse().unwrap()
        )]
    );
    assert_eq!(rucio.funding[0].grant.as_deref(), Some("824064"));
    assert_eq!(rucio.funding[0].programme.as_deref(), Some("ESCAPE"));
    assert_eq!(rucio.releases[0].version, "35.0.0");
    assert_eq!(
        rucio.summary,
        "Rucio organises, moves and keeps track of large volumes of scientific data across \
         distributed storage, following policies set by each experiment."
    );
}

#[test]
fn codemeta_from_the_wild_is_read_leniently() {
    let imported = import("codemeta/codemetapy.json");
    let p = &imported.projects[0];
    assert_eq!(
        p.homepage.as_ref().unwrap(),
        "https://codemeta.github.io/",
        "first of the url list"
    );
    assert_eq!(p.status, Some(DevelopmentStatus::Stable));
    assert_eq!(p.people.len(), 1);
    assert_eq!(
        p.people[0].roles,
        [ProjectRole::Expert, ProjectRole::Maintainer]
    );
    assert_eq!(
        p.people[0].affiliation.as_deref(),
        Some("KNAW Humanities Cluster & CLST, Radboud University")
    );
    // One of the two licence strings is a local path: the licence is left empty rather than
    // reported with a part missing, and the warning names the field and the string.
    assert_eq!(p.licence, None);
    assert_eq!(
        imported.warnings[0],
        "codemetapy.json: license[1]: licence \"/home/proycon/work/codemetapy/GPL-3.0-only\" \
         could not be read as an SPDX expression: expected a licence identifier before this \
         operator; licence left empty"
    );
}

// ---------------------------------------------------------------------------------------------
// CITATION.cff

#[test]
fn citation_files_are_read() {
    let pyhf = one("citation/pyhf.cff");
    assert_eq!(pyhf.slug, "pyhf", "the version is not part of the slug");
    assert_eq!(pyhf.name, "pyhf: v0.7.1");
    assert_eq!(pyhf.licence.as_ref().unwrap(), "Apache-2.0");
    assert_eq!(
        pyhf.identifiers,
        [Identifier::Doi("10.5281/zenodo.1169739".parse().unwrap())]
    );
    assert_eq!(
        pyhf.homepage.as_ref().unwrap(),
        "https://pyhf.readthedocs.io/en/v0.7.1/"
    );
    assert_eq!(pyhf.topics.len(), 10);
    let names: Vec<&str> = pyhf.people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Lukas Heinrich", "Matthew Feickert", "Giordon Stark"],
        "references are not authors"
    );
    assert_eq!(pyhf.people[0].roles, [ProjectRole::Expert]);
    assert_eq!(pyhf.releases[0].version, "0.7.1");
    assert!(
        pyhf.summary
            .starts_with("The HistFactory p.d.f. template is per-se independent")
    );

    let awkward = one("citation/awkward.cff");
    assert_eq!(awkward.people.len(), 10);
    assert_eq!(
        awkward.people[8].email.as_ref().unwrap(),
        "nick.smith@cern.ch"
    );
    assert_eq!(awkward.people[8].affiliation.as_deref(), Some("Fermilab"));
    assert!(
        awkward.releases.is_empty(),
        "a release date without a version is no release"
    );

    let root = one("citation/root.cff");
    assert_eq!(root.people.len(), 26);
    assert_eq!(root.releases[0].version, "6.25/01");
    assert_eq!(root.releases[0].date.as_ref().unwrap(), "2021-07-08");
    assert_eq!(
        root.slug,
        "root-analyzing-storing-and-visualizing-big-data-scientifically"
    );
}

#[test]
fn citation_licence_lists_are_a_choice() {
    let text = "cff-version: 1.2.0\nmessage: cite\ntitle: Dual\nauthors:\n  - name: The Dual team\nlicense:\n  - MIT\n  - Apache-2.0\n";
    let p = &formats::parse(Format::Citation, "CITATION.cff", text, now())
        .unwrap()
        .projects[0];
    assert_eq!(p.licence.as_ref().unwrap(), "MIT OR Apache-2.0");
    assert_eq!(p.people[0].name, "The Dual team");
}

// ---------------------------------------------------------------------------------------------
// code.json

#[test]
fn code_json_imports_every_doe_entry_or_reports_it() {
    let imported = import("real/code-gov-doe.json");
    let entries: Vec<Value> = serde_json::from_str(&read("real/code-gov-doe.json")).unwrap();
    assert_eq!(entries.len(), 5832);
    let skipped: Vec<&String> = imported
        .warnings
        .iter()
        .filter(|w| w.ends_with("exactly; skipped"))
        .collect();
    assert_eq!(imported.projects.len(), 5824);
    assert_eq!(skipped.len(), 8, "{skipped:#?}");
    assert_eq!(imported.projects.len() + skipped.len(), entries.len());
    assert_eq!(
        skipped[0],
        "code-gov-doe.json: [622] \"CAP\": repeats entry [509] exactly; skipped"
    );
    let slugs: BTreeSet<&str> = imported.projects.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(
        slugs.len(),
        imported.projects.len(),
        "every project has its own slug"
    );
    assert_no_problems(&imported.projects);

    let count = |needle: &str| {
        imported
            .warnings
            .iter()
            .filter(|w| w.contains(needle))
            .count()
    };
    assert_eq!(count("could not be read as an SPDX expression"), 1425);
    assert_eq!(count("(deprecated SPDX id"), 646);
    assert_eq!(count("read from its URL as"), 12);
    assert_eq!(count("its slug is also that of"), 36);
    assert_eq!(count("user name or password in the link was removed"), 2);
    assert_eq!(imported.warnings.len(), 1425 + 646 + 12 + 36 + 2 + 8);

    // The first entry, its name trimmed of a tab.
    let crt = &imported.projects[0];
    assert_eq!(
        crt.name,
        "CRISPR Recognition Tool (CRT) - Command Line Interface (IMGAP Version) (CRT-CLI) v1.8.3"
    );
    assert_eq!(crt.licence.as_ref().unwrap(), "BSD-3-Clause");
    assert_eq!(
        crt.repository.as_ref().unwrap(),
        "https://code.jgi.doe.gov/img/img-pipelines/crt-cli-imgap-version"
    );
    assert_eq!(crt.status, Some(DevelopmentStatus::Development));
    assert_eq!(
        crt.topics,
        ["DOE CODE", "Lawrence Berkeley National Laboratory (LBNL)"]
    );
    let contact = &crt.people[0];
    assert_eq!(contact.email.as_ref().unwrap(), "jhaemmerle@lbl.gov");
    assert_eq!(
        contact.name, "jhaemmerle@lbl.gov",
        "no name given: the address names them"
    );
    assert_eq!(
        contact.affiliation.as_deref(),
        Some("Lawrence Berkeley National Laboratory (LBNL)")
    );
    assert_eq!(
        crt.provenance[&FieldName::Licence],
        Provenance::Import {
            source: "code.json".into()
        }
    );

    // VisIt: a licence page, not an SPDX licence.
    let visit = imported
        .projects
        .iter()
        .find(|p| p.name == "A Distributed, Parallel Visualization and Analysis Tool")
        .unwrap();
    assert_eq!(visit.homepage.as_ref().unwrap(), "https://visit.llnl.gov");
    assert_eq!(visit.status, Some(DevelopmentStatus::Stable));
    assert_eq!(visit.licence, None);
    assert!(imported.warnings.iter().any(|w| w.contains(
        "\"A Distributed, Parallel Visualization and Analysis Tool\": permissions.licenses[0]: \
         licence \"Other\" (https://wci.llnl.gov/simulation/computer-codes/visit/license) could \
         not be read as an SPDX expression"
    )));
    // GitHub's deprecated GNU ids are mapped, with the original in the warning.
    let gpl3 = imported
        .warnings
        .iter()
        .find(|w| w.contains("licence \"GPL-3.0\" read as"))
        .unwrap();
    assert!(gpl3.ends_with("read as \"GPL-3.0-only\" (deprecated SPDX id: GNU licences are written -only or -or-later)"), "{gpl3}");
    // A credential-bearing link is kept without the credentials.
    let imm = imported
        .projects
        .iter()
        .find(|p| p.name.starts_with("Independent Metadata Update VOL"))
        .unwrap();
    assert_eq!(
        imm.repository.as_ref().unwrap(),
        "https://bitbucket.hdfgroup.org/scm/hdf5vol/imm_vol.git"
    );
    // Names cut to the same slug are numbered.
    assert!(slugs.contains("greenhouse-gases-regulated-emissions-and-energy-use-in-25"));
}

#[test]
fn code_json_inventories_are_read_too() {
    let text = r#"{"version": "2.0.0", "agency": "DOE", "measurementType": {"method": "projects"},
        "releases": [{"name": "VisIt", "repositoryURL": "https://github.com/visit-dav/visit",
            "permissions": {"licenses": [{"name": "BSD-3-Clause"}, {"name": "Other", "URL": "https://api.github.com/licenses/mit"}]},
            "status": "Release Candidate", "version": "3.4.2"}]}"#;
    let imported = formats::parse(Format::CodeJson, "code.json", text, now()).unwrap();
    let visit = &imported.projects[0];
    assert_eq!(visit.licence.as_ref().unwrap(), "BSD-3-Clause AND MIT");
    assert_eq!(visit.status, Some(DevelopmentStatus::Beta));
    assert_eq!(visit.releases[0].version, "3.4.2");
    assert_eq!(
        imported.warnings,
        [
            "code.json: releases[0] \"VisIt\": permissions.licenses[1]: licence \"Other\" \
          (https://api.github.com/licenses/mit) read from its URL as \"MIT\""
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Round trips

#[test]
fn json_round_trip_is_exact_for_every_fixture() {
    for path in [
        "real/ohwr-config.yaml",
        "real/fmc-tdc.ohwr.yaml",
        "real/publiccode.yml",
        "codemeta/rucio-v3.json",
        "citation/root.cff",
        "real/code-gov-doe.json",
    ] {
        let projects = import(path).projects;
        let text = formats::render(Format::Json, &projects).unwrap();
        let again = formats::parse(Format::Json, "catalogue.json", &text, now()).unwrap();
        assert_eq!(again.projects, projects, "{path}");
        assert_eq!(again.warnings, Vec::<String>::new(), "{path}");
    }
    // A single project (an object, not a list) is read too.
    let one = serde_json::to_string(&import("real/spec.ohwr.yaml").projects[0]).unwrap();
    let parsed = formats::parse(Format::Json, "spec.json", &one, now()).unwrap();
    assert_eq!(parsed.projects[0].slug, "spec");
}

#[test]
fn codemeta_round_trip_keeps_crosswalk_fields() {
    for path in [
        "codemeta/codemeta-v2.json",
        "codemeta/rucio-v3.json",
        "codemeta/codemetapy.json",
    ] {
        let projects = import(path).projects;
        let again = assert_round_trip(Format::CodeMeta, &projects);
        let warnings: Vec<&String> = again
            .warnings
            .iter()
            .filter(|w| !w.contains("could not be read"))
            .collect();
        assert_eq!(
            warnings,
            Vec::<&String>::new(),
            "{path}: the export reads back cleanly"
        );
    }
    let text =
        formats::render(Format::CodeMeta, &import("codemeta/rucio-v3.json").projects).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["@context"], "https://w3id.org/codemeta/3.0");
    assert_eq!(value["license"], "https://spdx.org/licenses/Apache-2.0");
    assert_eq!(value["funding"][0]["funder"]["name"], "European Commission");
    assert_eq!(
        value["identifier"][0],
        "https://doi.org/10.1007/s41781-019-0026-3"
    );
    assert_eq!(
        value["developmentStatus"],
        "https://www.repostatus.org/#active"
    );
}

#[test]
fn publiccode_round_trip_keeps_crosswalk_fields() {
    for path in [
        "real/publiccode.yml",
        "real/publiccode.minimal.yml",
        "publiccode/v0.2.yml",
        "publiccode/v0.7.yml",
    ] {
        let mut projects = import(path).projects;
        // publiccode.yml 0.4, the version written, has no `fundedBy` (added in 0.5).
        projects[0].funding.clear();
        let again = assert_round_trip(Format::Publiccode, &projects);
        assert_eq!(again.warnings, Vec::<String>::new(), "{path}");
    }
    let text =
        formats::render(Format::Publiccode, &import("real/publiccode.yml").projects).unwrap();
    assert!(
        text.starts_with("publiccodeYmlVersion: '0.4'\nname: Medusa\n"),
        "{text}"
    );
    assert!(
        text.contains("categories:\n- content-management\n- office\n"),
        "{text}"
    );
}

#[test]
fn code_json_round_trip_keeps_crosswalk_fields_for_all_doe_entries() {
    let projects = import("real/code-gov-doe.json").projects;
    let again = assert_round_trip(Format::CodeJson, &projects);
    let slugs = |projects: &[Project]| {
        strings(&projects.iter().map(|p| p.slug.clone()).collect::<Vec<_>>())
    };
    assert_eq!(
        slugs(&again.projects),
        slugs(&projects),
        "the same names give the same slugs"
    );
    // The licences are written in canonical SPDX, so they read back without mappings; those
    // that could not be read were not written. Only the numbered slugs are reported again.
    let other: Vec<&String> = again
        .warnings
        .iter()
        .filter(|w| !w.contains("its slug is also that of"))
        .collect();
    assert_eq!(other, Vec::<&String>::new());
    assert_eq!(again.warnings.len(), 36);
    let text = formats::render(Format::CodeJson, &projects[..1]).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], "2.0.0");
    assert_eq!(
        value["releases"][0]["permissions"]["licenses"][0]["name"],
        "BSD-3-Clause"
    );
    assert_eq!(value["releases"][0]["status"], "Development");
}

#[test]
fn import_only_formats_round_trip_through_codemeta() {
    assert_round_trip_through_codemeta(&import("real/ohwr-config.yaml").projects);
    for path in [
        "real/fmc-tdc.ohwr.yaml",
        "real/spec.ohwr.yaml",
        "citation/pyhf.cff",
        "citation/awkward.cff",
        "citation/root.cff",
    ] {
        assert_round_trip_through_codemeta(&import(path).projects);
    }
    // And a sample of code.json entries with every kind of field set.
    let doe = import("real/code-gov-doe.json").projects;
    let sample: Vec<Project> = doe
        .into_iter()
        .filter(|p| p.licence.is_some() && !p.releases.is_empty() && !p.languages.is_empty())
        .take(50)
        .collect();
    assert_eq!(sample.len(), 50);
    assert_round_trip_through_codemeta(&sample);
}

#[test]
fn csv_has_one_row_per_project_with_lists_joined() {
    let projects = import("real/ohwr-config.yaml").projects;
    let text = formats::render(Format::Csv, &projects).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[..3], ["slug", "name", "kind"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 187);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mdior = &rows[0];
    assert_eq!(&mdior[column("slug")], "mdior");
    assert_eq!(
        &mdior[column("compatible_with")],
        "diot-crate-hw; diot-pfc-ku"
    );
    assert_eq!(&mdior[column("topics")], "DI/OT; Digital I/O");
    assert_eq!(&mdior[column("readiness_level")], "4");
    assert_eq!(
        &mdior[column("people")],
        "Maintainer 1 <maintainer-1@cern.ch> [maintainer, contact]"
    );
}

// ---------------------------------------------------------------------------------------------
// Bad files

/// Every file in `bad/<format>/` is refused with the message in `<file>.error` beside it.
#[test]
fn malformed_files_are_refused_with_file_line_column_and_field() {
    let mut cases = 0;
    let bad = fixtures().join("bad");
    for dir in std::fs::read_dir(&bad).unwrap() {
        let dir = dir.unwrap().path();
        let format: Format = dir.file_name().unwrap().to_str().unwrap().parse().unwrap();
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "error") {
                continue;
            }
            let name = file.file_name().unwrap().to_str().unwrap();
            let text = std::fs::read_to_string(&file).unwrap();
            let expected_path = format!("{}.error", file.display());
            let expected = std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|_| panic!("{expected_path} is missing"));
            let error = formats::parse(format, name, &text, now())
                .map(|imported| imported.projects.len())
                .expect_err(name);
            assert_eq!(error.to_string(), expected.trim_end(), "{}", file.display());
            assert_eq!(error.file(), Some(name));
            assert!(error.position().is_some(), "{name}: {error}");
            cases += 1;
        }
    }
    assert!(cases >= 19, "{cases}");
}

#[test]
fn errors_carry_their_parts() {
    let text = read("bad/ohwr-registry/compatibles-number.yaml");
    let error = formats::parse(Format::OhwrRegistry, "ohwr-config.yaml", &text, now()).unwrap_err();
    assert_eq!(
        error.position(),
        Some(Position {
            line: 13,
            column: 18
        })
    );
    assert_eq!(error.field(), Some("projects[3].compatibles"));
    assert!(matches!(
        &error,
        FormatError::Invalid { expected, found, .. }
            if expected == "a list of project ids" && found == "a number"
    ));
}

#[test]
fn a_bad_entry_refuses_the_whole_file() {
    // Entry 0 is fine, entry 1 is not: nothing is imported.
    let text = read("bad/code-json/licenses-text.json");
    assert!(formats::parse(Format::CodeJson, "code.json", &text, now()).is_err());
    let wrong_format = formats::parse(Format::CodeMeta, "x.json", "{}", now()).unwrap_err();
    assert_eq!(
        wrong_format.to_string(),
        "x.json:1:1: name: expected the software's name, found nothing"
    );
    let csv = formats::parse(Format::Csv, "x.csv", "", now()).unwrap_err();
    assert!(
        csv.to_string()
            .starts_with("csv can be exported but not imported"),
        "{csv}"
    );
    let unknown = formats::parse_detected("notes.txt", "hello", now()).unwrap_err();
    assert!(matches!(unknown, FormatError::Unrecognised { .. }));
}

#[test]
fn real_files_are_recognised_by_content_under_other_names() {
    let cases = [
        ("real/ohwr-config.yaml", "config.yaml", Format::OhwrRegistry),
        (
            "real/fmc-tdc.ohwr.yaml",
            "manifest.yaml",
            Format::OhwrManifest,
        ),
        ("real/spec.ohwr.yaml", "manifest.yaml", Format::OhwrManifest),
        (
            "real/publiccode.minimal.yml",
            "meta.yaml",
            Format::Publiccode,
        ),
        ("citation/pyhf.cff", "cite.yaml", Format::Citation),
        ("codemeta/codemetapy.json", "meta.json", Format::CodeMeta),
        ("real/code-gov-doe.json", "doe.json", Format::CodeJson),
    ];
    for (path, name, format) in cases {
        assert_eq!(Format::detect(name, &read(path)), Some(format), "{path}");
    }
}
