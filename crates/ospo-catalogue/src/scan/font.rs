//! Fonts (`*.ttf`, `*.otf`) are binaries, but say their licence and copyright in their `name`
//! table (OpenType specification 1.9, "name — Naming Table"): name ID 0 is the copyright
//! notice, 13 the licence description ("Licensed under the Apache License, Version 2.0"), 14
//! the licence URL. Web projects ship fonts; these strings are what a reviewer looks for.

/// What a font's naming table says, each string once.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Names {
    /// Name ID 0.
    pub copyright: Option<String>,
    /// Name ID 13.
    pub licence: Option<String>,
    /// Name ID 14.
    pub licence_url: Option<String>,
}

/// Whether a file name is a font whose naming table can be read.
pub(crate) fn is_font(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".ttf") || lower.ends_with(".otf")
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// The naming table's copyright and licence strings, or `None` when the bytes are no
/// TrueType/OpenType font or have no naming table. Windows and Unicode strings (UTF-16BE) are
/// preferred, US English first; Macintosh strings are read as Latin-1.
pub(crate) fn names(b: &[u8]) -> Option<Names> {
    let version = u32_at(b, 0)?;
    // TrueType 1.0, "OTTO" (CFF outlines), "true" (Apple TrueType).
    if ![0x0001_0000, 0x4F54_544F, 0x7472_7565].contains(&version) {
        return None;
    }
    let tables = u16_at(b, 4)?;
    let name = (0..tables).find_map(|i| {
        let at = 12 + 16 * i;
        (b.get(at..at + 4)? == b"name").then(|| u32_at(b, at + 8))?
    })?;
    let count = u16_at(b, name + 2)?;
    let strings = name + u16_at(b, name + 4)?;
    // (name id) -> (rank, text): lower rank wins.
    let mut best: [Option<(u8, String)>; 3] = [None, None, None];
    for i in 0..count {
        let r = name + 6 + 12 * i;
        let (platform, language, id) = (u16_at(b, r)?, u16_at(b, r + 4)?, u16_at(b, r + 6)?);
        let slot = match id {
            0 => 0,
            13 => 1,
            14 => 2,
            _ => continue,
        };
        let (len, off) = (u16_at(b, r + 8)?, u16_at(b, r + 10)?);
        let Some(raw) = b.get(strings + off..strings + off + len) else {
            continue;
        };
        let (rank, text) = match platform {
            0 | 3 => {
                let units: Vec<u16> = raw
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                let english = platform == 0 || language == 0x0409;
                (
                    if english { 0 } else { 1 },
                    String::from_utf16_lossy(&units),
                )
            }
            1 => (2, raw.iter().map(|&c| char::from(c)).collect()),
            _ => continue,
        };
        let text = text.trim().to_owned();
        if text.is_empty() {
            continue;
        }
        if best[slot].as_ref().is_none_or(|(r, _)| rank < *r) {
            best[slot] = Some((rank, text));
        }
    }
    let [copyright, licence, licence_url] = best.map(|s| s.map(|(_, t)| t));
    Some(Names {
        copyright,
        licence,
        licence_url,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal font: the offset table, one `name` table record, the naming table with
    /// Windows (UTF-16BE, US English) strings.
    pub(crate) fn font(strings: &[(u16, &str)]) -> Vec<u8> {
        let mut data = Vec::new();
        let mut records = Vec::new();
        for (id, s) in strings {
            let utf16: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
            records.push((*id, data.len(), utf16.len()));
            data.extend(utf16);
        }
        let mut name = Vec::new();
        name.extend(0u16.to_be_bytes());
        name.extend((records.len() as u16).to_be_bytes());
        name.extend((6 + 12 * records.len() as u16).to_be_bytes());
        for (id, off, len) in records {
            for v in [3u16, 1, 0x0409, id, len as u16, off as u16] {
                name.extend(v.to_be_bytes());
            }
        }
        name.extend(data);
        let mut b = Vec::new();
        b.extend(0x0001_0000u32.to_be_bytes());
        b.extend(1u16.to_be_bytes());
        b.extend([0u8; 6]);
        b.extend(*b"name");
        b.extend(0u32.to_be_bytes());
        b.extend(28u32.to_be_bytes());
        b.extend((name.len() as u32).to_be_bytes());
        b.extend(name);
        b
    }

    #[test]
    fn reads_copyright_and_licence_of_a_font() {
        let f = font(&[
            (1, "Roboto"),
            (0, "Copyright 2011 Google Inc. All Rights Reserved."),
            (13, "Licensed under the Apache License, Version 2.0"),
            (14, "http://www.apache.org/licenses/LICENSE-2.0"),
        ]);
        let n = names(&f).unwrap();
        assert_eq!(
            n.copyright.as_deref(),
            Some("Copyright 2011 Google Inc. All Rights Reserved.")
        );
        assert_eq!(
            n.licence.as_deref(),
            Some("Licensed under the Apache License, Version 2.0")
        );
        assert_eq!(
            n.licence_url.as_deref(),
            Some("http://www.apache.org/licenses/LICENSE-2.0")
        );
    }

    #[test]
    fn no_font_and_cut_fonts_give_nothing_and_no_panic() {
        assert_eq!(names(b"GIF89a....."), None);
        let f = font(&[(13, "Licensed under the SIL Open Font License, Version 1.1")]);
        for cut in 0..f.len() {
            let _ = names(&f[..cut]);
        }
        assert_eq!(names(&f[..10]), None);
    }
}
