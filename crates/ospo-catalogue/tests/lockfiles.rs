//! The lockfile and manifest readers on real files (`tests/fixtures/lockfiles/`, see its
//! SOURCE.md): exact components, versions and package URLs; direct and transitive use where
//! the format says; malformed variants refused with their line and column.

use std::path::Path;

use ospo_catalogue::inventory::{self, Format, IngestError, Ingested};
use ospo_core::{Relation, Scope};

fn fixture(relative: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lockfiles")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(relative: &str) -> Ingested {
    let base = relative.rsplit('/').next().unwrap();
    inventory::read(base, &fixture(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

fn rows(ingested: &Ingested) -> Vec<Row<'_>> {
    ingested
        .entries
        .iter()
        .map(|e| {
            let c = &e.component;
            (
                c.name.as_str(),
                c.version.as_deref(),
                c.purl.as_ref().map(|p| p.as_str()),
            )
        })
        .collect()
}

fn entry<'a>(ingested: &'a Ingested, name: &str) -> &'a inventory::Entry {
    ingested
        .entries
        .iter()
        .find(|e| e.component.name == name)
        .unwrap_or_else(|| panic!("no component {name}"))
}

/// A malformed variant is refused with a syntax error at `line`.
fn refused_at(name: &str, text: &str, line: usize) -> (usize, String) {
    match inventory::read(name, text.as_bytes()) {
        Err(e @ IngestError::Syntax { .. }) => {
            let IngestError::Syntax {
                line: l, column, ..
            } = &e
            else {
                unreachable!()
            };
            assert_eq!(*l, line, "{e}");
            assert!(
                e.to_string()
                    .starts_with(&format!("{name}:{line}:{column}:")),
                "{e}"
            );
            (*column, e.to_string())
        }
        other => panic!("{name}: expected a syntax error, got {other:?}"),
    }
}

const PYTHON: [Row<'static>; 7] = [
    (
        "certifi",
        Some("2026.10.19.post1"),
        Some("pkg:pypi/certifi@2026.10.19.post1"),
    ),
    (
        "charset-normalizer",
        Some("3.5.3"),
        Some("pkg:pypi/charset-normalizer@3.5.3"),
    ),
    ("click", Some("8.5.1"), Some("pkg:pypi/click@8.5.1")),
    ("idna", Some("3.20"), Some("pkg:pypi/idna@3.20")),
    ("pyyaml", Some("6.0.4"), Some("pkg:pypi/pyyaml@6.0.4")),
    ("requests", Some("2.34.2"), Some("pkg:pypi/requests@2.34.2")),
    ("urllib3", Some("2.8.0"), Some("pkg:pypi/urllib3@2.8.0")),
];

#[test]
fn uv_lock_with_direct_transitive_and_development_use() {
    let lock = read("uv/uv.lock");
    assert_eq!(lock.format, Format::UvLock);
    assert_eq!(lock.spec_version.as_deref(), Some("1"));
    assert!(lock.warnings.is_empty(), "{:?}", lock.warnings);
    let subject = lock.subject.as_ref().unwrap();
    assert_eq!(
        (subject.name.as_str(), subject.version.as_deref()),
        ("beam-monitor", Some("0.3.0"))
    );
    assert_eq!(
        lock.entries.len(),
        13,
        "the project itself is not a component"
    );
    let runtime: Vec<Row<'_>> = rows(&lock)
        .into_iter()
        .zip(&lock.entries)
        .filter(|(_, e)| e.scope == Scope::Runtime)
        .map(|(r, _)| r)
        .collect();
    assert_eq!(runtime, PYTHON);
    let relation = |name| entry(&lock, name).relation;
    assert_eq!(relation("requests"), Some(Relation::Direct));
    assert_eq!(relation("urllib3"), Some(Relation::Transitive));
    let pytest = entry(&lock, "pytest");
    assert_eq!(
        (pytest.relation, pytest.scope),
        (Some(Relation::Direct), Scope::Development)
    );
    assert_eq!(entry(&lock, "pluggy").scope, Scope::Development);

    let (column, e) = refused_at(
        "uv.lock",
        "version = 1\n\n[[package]]\nname = \"idna\"\nversion = 3.20\"\n",
        5,
    );
    assert_eq!(column, 15, "{e}");
}

#[test]
fn poetry_lock_with_groups_as_scopes() {
    let lock = read("poetry/poetry.lock");
    assert_eq!(lock.format, Format::PoetryLock);
    assert_eq!(lock.spec_version.as_deref(), Some("2.1"));
    assert!(lock.warnings.is_empty(), "{:?}", lock.warnings);
    assert_eq!(lock.entries.len(), 13);
    // Poetry resolved click below 8.4, as its pyproject.toml asks.
    let mut expected = PYTHON.to_vec();
    expected[2] = ("click", Some("8.3.3"), Some("pkg:pypi/click@8.3.3"));
    let runtime: Vec<Row<'_>> = rows(&lock)
        .into_iter()
        .zip(&lock.entries)
        .filter(|(r, e)| e.scope == Scope::Runtime && r.0 != "colorama")
        .map(|(r, _)| r)
        .collect();
    assert_eq!(runtime, expected);
    // In both groups (click needs it on Windows; pytest too): runtime.
    assert_eq!(entry(&lock, "colorama").scope, Scope::Runtime);
    assert_eq!(entry(&lock, "pytest").scope, Scope::Development);
    assert_eq!(
        entry(&lock, "pytest")
            .component
            .purl
            .as_ref()
            .unwrap()
            .as_str(),
        "pkg:pypi/pytest@8.4.2"
    );
    assert!(lock.entries.iter().all(|e| e.relation.is_none()));

    refused_at(
        "poetry.lock",
        "[[package]]\nname = \"idna\"\nversion = \"3.20\"\n[[package]\n",
        4,
    );
}

#[test]
fn pipfile_lock_default_and_develop() {
    let lock = read("pipenv/Pipfile.lock");
    assert_eq!(lock.format, Format::PipfileLock);
    assert_eq!(lock.spec_version.as_deref(), Some("6"));
    assert!(lock.warnings.is_empty(), "{:?}", lock.warnings);
    let runtime: Vec<Row<'_>> = rows(&lock)
        .into_iter()
        .zip(&lock.entries)
        .filter(|(_, e)| e.scope == Scope::Runtime)
        .map(|(r, _)| r)
        .collect();
    assert_eq!(runtime, PYTHON);
    assert_eq!(lock.entries.len(), 12);
    assert_eq!(entry(&lock, "pytest").scope, Scope::Development);

    let text = String::from_utf8(fixture("pipenv/Pipfile.lock")).unwrap();
    let cut = &text[..text.find("\"develop\"").unwrap()];
    let lines = cut.lines().count();
    let (_, e) = refused_at("Pipfile.lock", cut, lines);
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn yarn_classic_lockfile() {
    let lock = read("yarn-classic/yarn.lock");
    assert_eq!(lock.format, Format::YarnLock);
    assert_eq!(lock.spec_version.as_deref(), Some("1"));
    assert!(lock.warnings.is_empty(), "{:?}", lock.warnings);
    assert_eq!(lock.entries.len(), 76);
    let r = rows(&lock);
    assert_eq!(
        r[..3],
        [
            (
                "@babel/runtime",
                Some("7.29.15"),
                Some("pkg:npm/%40babel/runtime@7.29.15")
            ),
            (
                "@types/node",
                Some("20.19.43"),
                Some("pkg:npm/%40types/node@20.19.43")
            ),
            ("accepts", Some("1.3.8"), Some("pkg:npm/accepts@1.3.8")),
        ]
    );
    assert!(r.contains(&("express", Some("4.22.3"), Some("pkg:npm/express@4.22.3"))));
    // Two versions of one package are two components.
    let ms: Vec<_> = r.iter().filter(|r| r.0 == "ms").map(|r| r.1).collect();
    assert_eq!(ms, [Some("2.0.0"), Some("2.1.3")]);

    let (column, _) = refused_at(
        "yarn.lock",
        "# yarn lockfile v1\n\n\nleft-pad@1.3.0:\n  version \"1.3.0\n",
        5,
    );
    assert_eq!(column, 11);
    refused_at(
        "yarn.lock",
        "# yarn lockfile v1\n\nleft-pad@1.3.0\n  version \"1.3.0\"\n",
        3,
    );
}

#[test]
fn yarn_berry_lockfile_with_workspace_dependencies() {
    let lock = read("yarn-berry/yarn.lock");
    assert_eq!(lock.format, Format::YarnLock);
    assert_eq!(lock.spec_version.as_deref(), Some("10"));
    assert!(lock.warnings.is_empty(), "{:?}", lock.warnings);
    assert_eq!(lock.subject.as_ref().unwrap().name, "beam-dashboard");
    // 97 entries: the workspace itself and fsevents patched are not components again.
    assert_eq!(lock.entries.len(), 96);
    let express = entry(&lock, "express");
    assert_eq!(express.relation, Some(Relation::Direct));
    assert_eq!(
        express.component.purl.as_ref().unwrap().as_str(),
        "pkg:npm/express@4.22.3"
    );
    assert_eq!(entry(&lock, "accepts").relation, Some(Relation::Transitive));
    let fsevents = entry(&lock, "fsevents");
    assert_eq!(
        (fsevents.relation, fsevents.scope),
        (Some(Relation::Direct), Scope::Optional)
    );
    let direct: Vec<&str> = lock
        .entries
        .iter()
        .filter(|e| e.relation == Some(Relation::Direct))
        .map(|e| e.component.name.as_str())
        .collect();
    assert_eq!(
        direct,
        [
            "@babel/runtime",
            "@types/node",
            "express",
            "fsevents",
            "left-pad"
        ]
    );
    // The same project locked by Yarn 1 and Yarn 4 gives the same packages, plus what Yarn 4
    // adds to build fsevents (node-gyp and its dependencies).
    let classic = read("yarn-classic/yarn.lock");
    for row in rows(&classic) {
        assert!(rows(&lock).contains(&row), "{row:?}");
    }

    refused_at(
        "yarn.lock",
        "__metadata:\n  version: 10\n\n\"left-pad@npm:1.3.0\":\n  version: 1.3.0\n   resolution: [\n",
        6,
    );
}

#[test]
fn go_sum_lists_the_modules_whose_code_was_used() {
    let sum = read("go/go.sum");
    assert_eq!(sum.format, Format::GoSum);
    assert!(sum.warnings.is_empty(), "{:?}", sum.warnings);
    assert_eq!(
        rows(&sum),
        [
            (
                "github.com/cpuguy83/go-md2man/v2",
                Some("v2.0.3"),
                Some("pkg:golang/github.com/cpuguy83/go-md2man/v2@v2.0.3")
            ),
            (
                "github.com/inconshreveable/mousetrap",
                Some("v1.1.0"),
                Some("pkg:golang/github.com/inconshreveable/mousetrap@v1.1.0")
            ),
            (
                "github.com/russross/blackfriday/v2",
                Some("v2.1.0"),
                Some("pkg:golang/github.com/russross/blackfriday/v2@v2.1.0")
            ),
            (
                "github.com/spf13/pflag",
                Some("v1.0.5"),
                Some("pkg:golang/github.com/spf13/pflag@v1.0.5")
            ),
            (
                "gopkg.in/check.v1",
                Some("v0.0.0-20161208181325-20d25e280405"),
                Some("pkg:golang/gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405")
            ),
            (
                "gopkg.in/yaml.v3",
                Some("v3.0.1"),
                Some("pkg:golang/gopkg.in/yaml.v3@v3.0.1")
            ),
        ]
    );
    let (column, e) = refused_at(
        "go.sum",
        "github.com/spf13/pflag v1.0.5 h1:iy+VFUOCP1a+8yFto/drg2CJ5u0yRoB7fZw3DKv/JXA=\ngithub.com/spf13/pflag 1.0.5 h1:x\n",
        2,
    );
    assert_eq!(column, 24, "{e}");
}

#[test]
fn go_mod_direct_and_indirect_requirements() {
    let module = read("go/go.mod");
    assert_eq!(module.format, Format::GoMod);
    assert!(module.warnings.is_empty(), "{:?}", module.warnings);
    assert_eq!(
        module
            .subject
            .as_ref()
            .unwrap()
            .purl
            .as_ref()
            .unwrap()
            .as_str(),
        "pkg:golang/github.com/prometheus/node_exporter"
    );
    assert_eq!(module.entries.len(), 51);
    let direct = module
        .entries
        .iter()
        .filter(|e| e.relation == Some(Relation::Direct))
        .count();
    assert_eq!(direct, 27);
    let procfs = entry(&module, "github.com/prometheus/procfs");
    assert_eq!(
        procfs.component.purl.as_ref().unwrap().as_str(),
        "pkg:golang/github.com/prometheus/procfs@v0.19.0"
    );
    assert_eq!(procfs.relation, Some(Relation::Direct));
    let xxhash = entry(&module, "github.com/cespare/xxhash/v2");
    assert_eq!(xxhash.relation, Some(Relation::Transitive));
    assert_eq!(xxhash.component.version.as_deref(), Some("v2.3.0"));

    let (_, e) = refused_at(
        "go.mod",
        "module example.com/x\n\nrequire (\n\tgolang.org/x/sys\n)\n",
        4,
    );
    assert!(e.contains("expected `module/path vX.Y.Z`"), "{e}");
    let (_, e) = refused_at(
        "go.mod",
        "module example.com/x\n\nrequire (\n\tgolang.org/x/sys v0.1.0\n",
        4,
    );
    assert!(e.contains("never closed"), "{e}");
}

#[test]
fn pom_xml_declared_dependencies_with_properties() {
    let pom = read("maven/pom.xml");
    assert_eq!(pom.format, Format::PomXml);
    assert_eq!(pom.spec_version.as_deref(), Some("4.0.0"));
    assert_eq!(
        pom.subject
            .as_ref()
            .unwrap()
            .purl
            .as_ref()
            .unwrap()
            .as_str(),
        "pkg:maven/org.springframework.samples/spring-petclinic@4.0.7-SNAPSHOT"
    );
    // Plugin dependencies and a profile's artifactItem are not the project's dependencies.
    assert_eq!(pom.entries.len(), 20);
    assert!(
        pom.entries
            .iter()
            .all(|e| e.relation == Some(Relation::Direct))
    );
    // `${webjars-bootstrap.version}` is defined in the file's <properties>.
    let bootstrap = entry(&pom, "bootstrap");
    assert_eq!(
        bootstrap.component.purl.as_ref().unwrap().as_str(),
        "pkg:maven/org.webjars.npm/bootstrap@5.3.2"
    );
    assert_eq!(bootstrap.scope, Scope::Runtime);
    let h2 = entry(&pom, "h2");
    assert_eq!(
        (
            h2.component.version.as_deref(),
            h2.component.purl.as_ref().unwrap().as_str()
        ),
        (None, "pkg:maven/com.h2database/h2")
    );
    assert_eq!(entry(&pom, "junit-jupiter").scope, Scope::Test);
    // Versions managed by the Spring Boot parent are not in the file: one warning each.
    assert_eq!(pom.warnings.len(), 18);
    assert_eq!(
        pom.warnings[7].to_string(),
        "/project/dependencies/dependency[8] (com.h2database:h2): no version: it is managed by a parent POM or BOM; read without one"
    );

    // A property defined nowhere in the file is kept as written, with a warning.
    let pom = inventory::read(
        "pom.xml",
        br#"<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>ch.cern</groupId><artifactId>app</artifactId><version>1.0</version>
<dependencies><dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>
<version>${slf4j.version}</version></dependency>
<dependency><groupId>${project.groupId}</groupId><artifactId>core</artifactId>
<version>${project.version}</version></dependency></dependencies></project>"#,
    )
    .unwrap();
    let r = rows(&pom);
    assert_eq!(
        r,
        [
            (
                "slf4j-api",
                Some("${slf4j.version}"),
                Some("pkg:maven/org.slf4j/slf4j-api")
            ),
            ("core", Some("1.0"), Some("pkg:maven/ch.cern/core@1.0")),
        ]
    );
    assert_eq!(
        pom.warnings[0].to_string(),
        "/project/dependencies/dependency[1]/version: property ${slf4j.version} is not defined in this file (a parent POM or BOM may define it); kept as written"
    );

    let text = String::from_utf8(fixture("maven/pom.xml")).unwrap();
    let broken = text.replacen(
        "</artifactId>\n      <scope>test",
        "</artifact>\n      <scope>test",
        1,
    );
    let line = text[..text.find("</artifactId>\n      <scope>test").unwrap()]
        .lines()
        .count();
    let (_, e) = refused_at("pom.xml", &broken, line);
    assert!(e.contains("not valid XML"), "{e}");
}

#[test]
fn conda_environment_and_explicit_list() {
    let env = read("conda/environment.yml");
    assert_eq!(env.format, Format::CondaEnvironment);
    assert_eq!(env.subject.as_ref().unwrap().name, "notebook");
    assert_eq!(
        rows(&env),
        [
            (
                "python",
                Some("3.7"),
                Some("pkg:conda/python@3.7?channel=conda-forge")
            ),
            (
                "pangeo-notebook",
                Some("2020.08.01"),
                Some("pkg:conda/pangeo-notebook@2020.08.01?channel=conda-forge")
            ),
            (
                "pip",
                Some("20"),
                Some("pkg:conda/pip@20?channel=conda-forge")
            ),
        ]
    );
    assert!(
        env.entries
            .iter()
            .all(|e| e.relation == Some(Relation::Direct))
    );
    assert_eq!(
        env.warnings[0].to_string(),
        "/dependencies/0: 'python=3.7' matches any 3.7.* release; read as version 3.7"
    );

    let explicit = read("conda/conda-linux-64.lock");
    assert_eq!(explicit.format, Format::CondaExplicit);
    assert_eq!(explicit.spec_version.as_deref(), Some("linux-64"));
    assert!(explicit.warnings.is_empty(), "{:?}", explicit.warnings);
    assert_eq!(explicit.entries.len(), 178);
    let r = rows(&explicit);
    assert_eq!(
        r[0],
        (
            "_libgcc_mutex",
            Some("0.1"),
            Some(
                "pkg:conda/_libgcc_mutex@0.1?build=conda_forge&channel=conda-forge&subdir=linux-64&type=tar.bz2"
            )
        )
    );
    assert_eq!(
        entry(&explicit, "python")
            .component
            .purl
            .as_ref()
            .unwrap()
            .as_str(),
        "pkg:conda/python@3.8.6?build=hffdb5ce_4_cpython&channel=conda-forge&subdir=linux-64&type=tar.bz2"
    );
    assert_eq!(
        entry(&explicit, "pangeo-notebook")
            .component
            .purl
            .as_ref()
            .unwrap()
            .as_str(),
        "pkg:conda/pangeo-notebook@2021.01.16?build=hd8ed1ab_0&channel=conda-forge&subdir=noarch&type=tar.bz2"
    );

    let (_, e) = refused_at(
        "env.lock",
        "@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/noarch/zipp-3.4.0-py_0.tar.bz2\nhttps://conda.anaconda.org/conda-forge/noarch/zipp.whl\n",
        3,
    );
    assert!(e.contains("not a conda package file"), "{e}");
    let (column, _) = refused_at(
        "environment.yml",
        "name: x\nchannels: [conda-forge]\ndependencies:\n  - numpy=1.26\n - scipy\n",
        5,
    );
    assert!(column >= 1);
}
