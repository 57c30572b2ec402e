//! Source maps (`*.js.map`, `*.css.map`): a bundler keeps the sources of a bundle as JSON
//! strings in `sourcesContent`, one string per source, its line breaks escaped. The licence
//! banners and header notices of the bundled sources (`/*! normalize.css v8.0.1 | MIT License
//! */`, an Apache header) sit inside those strings, out of reach of a reader of lines: each
//! source is read on its own, with the notices of [`super::notice`].

use super::notice::{self, Notice};
use serde::Deserialize;

/// A source map (Source Map Revision 3), with what is read of it. An index map holds its maps
/// in `sections`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct SourceMap {
    sources: Vec<Option<String>>,
    #[serde(rename = "sourcesContent")]
    sources_content: Vec<Option<String>>,
    sections: Vec<Section>,
}

#[derive(Deserialize)]
struct Section {
    map: Option<SourceMap>,
}

/// A notice found in one source of a source map.
#[derive(Debug, PartialEq)]
pub(crate) struct Found {
    pub notice: Notice,
    /// The source's name as the map gives it (`webpack:///./node_modules/x/index.js`), or its
    /// index in `sources` when it has none.
    pub source: String,
    /// 1-based line of the map file where `sourcesContent` opens.
    pub line: usize,
}

/// Whether a file is a source map: named `*.map` and holding a JSON object.
pub(crate) fn is_source_map(name: &str, text: &str) -> bool {
    name.ends_with(".map") && text.trim_start().starts_with('{') && text.contains("sourcesContent")
}

/// The licence notices of the sources a source map holds, each licence once (the first source
/// naming it), in the order of the sources. A map that is not valid JSON gives none.
pub(crate) fn notices(text: &str) -> Vec<Found> {
    let Ok(map) = serde_json::from_str::<SourceMap>(text) else {
        return Vec::new();
    };
    let line = text
        .find("\"sourcesContent\"")
        .map_or(1, |at| text[..at].matches('\n').count() + 1);
    let mut out: Vec<Found> = Vec::new();
    collect(&map, line, &mut out);
    out
}

fn collect(map: &SourceMap, line: usize, out: &mut Vec<Found>) {
    for (i, content) in map.sources_content.iter().enumerate() {
        let Some(content) = content else { continue };
        for n in notice::find(content) {
            if out.iter().any(|f| f.notice.expression == n.expression) {
                continue;
            }
            let source = map
                .sources
                .get(i)
                .and_then(Clone::clone)
                .unwrap_or_else(|| format!("sources[{i}]"));
            out.push(Found {
                notice: n,
                source,
                line,
            });
        }
    }
    for s in &map.sections {
        if let Some(m) = &s.map {
            collect(m, line, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map as webpack writes it: one line, the sources' line breaks escaped.
    fn webpack_map(sources: &[(&str, &str)]) -> String {
        serde_json::json!({
            "version": 3,
            "file": "css/furo.css",
            "mappings": "AAAA,2EAA2E,CAU3E,KACE,gBAAiB,CACjB,6BACF",
            "sources": sources.iter().map(|s| s.0).collect::<Vec<_>>(),
            "sourcesContent": sources.iter().map(|s| s.1).collect::<Vec<_>>(),
            "names": [],
            "sourceRoot": ""
        })
        .to_string()
    }

    const NORMALIZE: &str = "/*! normalize.css v8.0.1 | MIT License | github.com/necolas/normalize.css */\n\n/* Document\n   ========================================================================== */\n\n/**\n * 1. Correct the line height in all browsers.\n */\n\nhtml {\n  line-height: 1.15; /* 1 */\n}\n";

    #[test]
    fn a_banner_inside_sources_content_is_read() {
        let map = webpack_map(&[
            (
                "webpack:///./src/furo/assets/styles/furo.sass",
                "body\n  margin: 0\n",
            ),
            (
                "webpack:///./node_modules/normalize.css/normalize.css",
                NORMALIZE,
            ),
        ]);
        assert!(!map.contains('\n'), "one line, as bundlers write it");
        assert!(is_source_map("furo.css.map", &map));
        let found = notices(&map);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].notice.expression, "MIT");
        assert_eq!(found[0].notice.line, 1, "line of the banner in its source");
        assert_eq!(
            found[0].source,
            "webpack:///./node_modules/normalize.css/normalize.css"
        );
        assert_eq!(found[0].line, 1);
    }

    #[test]
    fn header_notices_of_several_sources_each_licence_once() {
        let gumshoe = "/*!\n * gumshoejs v5.1.2\n * A simple, framework-agnostic scrollspy script.\n * (c) 2019 Chris Ferdinandi\n * MIT License\n * http://github.com/cferdinandi/gumshoe\n */\n\n(function (root, factory) {\n";
        let apache = "/**\n * @license\n * Copyright 2019 Google LLC\n *\n * Licensed under the Apache License, Version 2.0 (the \"License\");\n * you may not use this file except in compliance with the License.\n */\nexport const x = 1;\n";
        let indico = "// This file is part of Indico.\n// Copyright (C) 2002 - 2023 CERN\n//\n// Indico is free software; you can redistribute it and/or\n// modify it under the terms of the MIT License; see the\n// LICENSE file for more details.\n\nimport React from 'react';\n";
        let map = webpack_map(&[
            (
                "webpack:///./node_modules/gumshoejs/dist/gumshoe.js",
                gumshoe,
            ),
            ("webpack:///./node_modules/lit/index.js", apache),
            ("webpack:///./indico/web/client/js/react/util.js", indico),
        ]);
        let found: Vec<_> = notices(&map)
            .into_iter()
            .map(|f| (f.notice.expression, f.source))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "MIT".to_owned(),
                    "webpack:///./node_modules/gumshoejs/dist/gumshoe.js".to_owned()
                ),
                (
                    "Apache-2.0".to_owned(),
                    "webpack:///./node_modules/lit/index.js".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn code_about_licences_in_sources_is_not_a_notice() {
        let code = "const licenses = ['gpl', 'mit'];\nfunction gpl(x) { return x.license === 'MIT'; }\nexport default { license: gpl };\n";
        let map = webpack_map(&[("webpack:///./src/licences.js", code)]);
        assert!(notices(&map).is_empty());
    }

    #[test]
    fn index_maps_nulls_and_broken_json() {
        let inner: serde_json::Value =
            serde_json::from_str(&webpack_map(&[("normalize.css", NORMALIZE)])).unwrap();
        let index = serde_json::json!({
            "version": 3,
            "sections": [{"offset": {"line": 0, "column": 0}, "map": inner}],
        })
        .to_string();
        assert_eq!(notices(&index)[0].notice.expression, "MIT");
        // A missing content and a missing name are allowed by the format.
        let sparse = r#"{"version":3,"sources":[null,"a.css"],"sourcesContent":[null,"/*! x | MIT License */"],"mappings":""}"#;
        let f = notices(sparse);
        assert_eq!(f[0].source, "a.css");
        let unnamed = r#"{"version":3,"sources":[],"sourcesContent":["/*! x | MIT License */"],"mappings":""}"#;
        assert_eq!(notices(unnamed)[0].source, "sources[0]");
        assert!(notices("{\"version\":3,\"sourcesContent\":[\"/*! x | MIT License").is_empty());
        assert!(!is_source_map("furo.css", NORMALIZE));
        assert!(!is_source_map("site.map", "lat,lon\n"));
    }
}
