//! Fonts (`*.ttf`, `*.otf`, and the web's `*.woff`, `*.woff2`) are binaries, but say their
//! licence and copyright in their `name` table (OpenType specification 1.9, "name — Naming
//! Table"): name ID 0 is the copyright notice, 13 the licence description ("Licensed under the
//! Apache License, Version 2.0"), 14 the licence URL. Web projects ship fonts; these strings are
//! what a reviewer looks for.
//!
//! A web font wraps the same tables: WOFF 1.0 (W3C Recommendation, 2012) compresses each table
//! with zlib, WOFF 2.0 (W3C Recommendation, 2018) all of them in one Brotli stream. Only the
//! stream up to the end of the naming table is decompressed.

use std::io::Read as _;

/// A naming table larger than this is not read (real ones are a few KiB).
const MAX_NAME_TABLE: usize = 1024 * 1024;
/// WOFF 2.0: at most this much of the decompressed stream is read to reach the naming table.
const MAX_WOFF2_PREFIX: usize = 32 * 1024 * 1024;

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
    [".ttf", ".otf", ".woff", ".woff2"]
        .iter()
        .any(|s| lower.ends_with(s))
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
    match b.get(..4)? {
        b"wOFF" => naming_table(&woff_name_table(b)?),
        b"wOF2" => naming_table(&woff2_name_table(b)?),
        _ => {
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
            naming_table(b.get(name..)?)
        }
    }
}

/// WOFF 1.0: the table directory (20-byte entries after a 44-byte header) gives each table's
/// offset, compressed and original length; a table is zlib-compressed when shorter than its
/// original.
fn woff_name_table(b: &[u8]) -> Option<Vec<u8>> {
    let tables = u16_at(b, 12)?;
    let at = (0..tables)
        .map(|i| 44 + 20 * i)
        .find(|&at| b.get(at..at + 4) == Some(b"name"))?;
    let (offset, compressed, original) =
        (u32_at(b, at + 4)?, u32_at(b, at + 8)?, u32_at(b, at + 12)?);
    if original > MAX_NAME_TABLE {
        return None;
    }
    let data = b.get(offset..offset.checked_add(compressed)?)?;
    if compressed >= original {
        return Some(data.to_vec());
    }
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, original).ok()
}

/// WOFF 2.0's known table tags, by their index in a directory entry's flags (section 5.1).
const WOFF2_TAGS: [&[u8; 4]; 63] = [
    b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"OS/2", b"post", b"cvt ", b"fpgm",
    b"glyf", b"loca", b"prep", b"CFF ", b"VORG", b"EBDT", b"EBLC", b"gasp", b"hdmx", b"kern",
    b"LTSH", b"PCLT", b"VDMX", b"vhea", b"vmtx", b"BASE", b"GDEF", b"GPOS", b"GSUB", b"EBSC",
    b"JSTF", b"MATH", b"CBDT", b"CBLC", b"COLR", b"CPAL", b"SVG ", b"sbix", b"acnt", b"avar",
    b"bdat", b"bloc", b"bsln", b"cvar", b"fdsc", b"feat", b"fmtx", b"fvar", b"gvar", b"hsty",
    b"just", b"lcar", b"mort", b"morx", b"opbd", b"prop", b"trak", b"Zapf", b"Silf", b"Glat",
    b"Gloc", b"Feat", b"Sill",
];

/// WOFF 2.0's UIntBase128 (section 4.1): at most five bytes, seven bits each, no leading zero.
fn base128(b: &[u8], at: &mut usize) -> Option<usize> {
    let mut value: u32 = 0;
    for i in 0..5 {
        let byte = *b.get(*at)?;
        *at += 1;
        if i == 0 && byte == 0x80 {
            return None;
        }
        if value & 0xFE00_0000 != 0 {
            return None;
        }
        value = (value << 7) | u32::from(byte & 0x7F);
        if byte & 0x80 == 0 {
            return Some(value as usize);
        }
    }
    None
}

/// WOFF 2.0: the directory (after a 48-byte header) lists the tables in the order of the one
/// Brotli stream that holds them all, each `transformLength` long when transformed, its original
/// length when not, with no padding between them. The naming table is never transformed.
/// Collections (`ttcf`) are not read.
fn woff2_name_table(b: &[u8]) -> Option<Vec<u8>> {
    if b.get(4..8)? == b"ttcf" {
        return None;
    }
    let tables = u16_at(b, 12)?;
    let compressed = u32_at(b, 20)?;
    let mut at = 48;
    let mut offset = 0usize;
    let mut name = None;
    for _ in 0..tables {
        let flags = *b.get(at)?;
        at += 1;
        let tag: [u8; 4] = match flags & 0x3F {
            63 => {
                let t = b.get(at..at + 4)?.try_into().ok()?;
                at += 4;
                t
            }
            i => *WOFF2_TAGS[usize::from(i)],
        };
        let original = base128(b, &mut at)?;
        let version = flags >> 6;
        let transformed = if &tag == b"glyf" || &tag == b"loca" {
            version != 3
        } else {
            version != 0
        };
        let length = if transformed {
            base128(b, &mut at)?
        } else {
            original
        };
        if &tag == b"name" && !transformed {
            name = Some((offset, length));
        }
        offset = offset.checked_add(length)?;
    }
    let (start, length) = name?;
    let end = start.checked_add(length)?;
    if length > MAX_NAME_TABLE || end > MAX_WOFF2_PREFIX {
        return None;
    }
    let stream = b.get(at..at.checked_add(compressed)?)?;
    let mut prefix = vec![0u8; end];
    brotli_decompressor::Decompressor::new(stream, 4096)
        .read_exact(&mut prefix)
        .ok()?;
    Some(prefix.split_off(start))
}

/// The copyright and licence strings of a naming table, given from its start.
fn naming_table(b: &[u8]) -> Option<Names> {
    let name = 0;
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

    /// The naming table of a font made by [`font`].
    fn name_table(font: &[u8]) -> &[u8] {
        &font[28..]
    }

    /// A WOFF 1.0 font holding only the naming table, zlib-compressed.
    fn woff(font: &[u8]) -> Vec<u8> {
        let name = name_table(font);
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(name, 6);
        assert!(packed.len() < name.len());
        let mut b = Vec::new();
        b.extend(*b"wOFF");
        b.extend(0x0001_0000u32.to_be_bytes());
        b.extend(((64 + packed.len()) as u32).to_be_bytes());
        b.extend(1u16.to_be_bytes());
        b.extend([0u8; 2 + 4 + 4 + 12 + 8]);
        b.extend(*b"name");
        b.extend(64u32.to_be_bytes());
        b.extend((packed.len() as u32).to_be_bytes());
        b.extend((name.len() as u32).to_be_bytes());
        b.extend(0u32.to_be_bytes());
        b.extend(packed);
        b
    }

    /// A Brotli stream (RFC 7932) of one uncompressed meta-block: window bits 16 (one 0 bit),
    /// ISLAST 0, four nibbles of MLEN-1, ISUNCOMPRESSED 1, padding, the bytes; then an empty
    /// last meta-block.
    fn brotli_stored(data: &[u8]) -> Vec<u8> {
        assert!(!data.is_empty() && data.len() <= 1 << 16);
        let bits: u32 = (((data.len() - 1) as u32) << 4) | (1 << 20);
        let mut b = bits.to_le_bytes()[..3].to_vec();
        b.extend(data);
        b.push(0b11);
        b
    }

    /// A WOFF 2.0 font: a `head` table (transform version 0, none), the naming table.
    fn woff2(font: &[u8]) -> Vec<u8> {
        let name = name_table(font);
        let head = [7u8; 54];
        let mut stream = head.to_vec();
        stream.extend(name);
        let packed = brotli_stored(&stream);
        let mut dir = vec![1u8, 54];
        dir.push(5);
        assert!(name.len() < 128);
        dir.push(name.len() as u8);
        let mut b = Vec::new();
        b.extend(*b"wOF2");
        b.extend(0x0001_0000u32.to_be_bytes());
        b.extend(((48 + dir.len() + packed.len()) as u32).to_be_bytes());
        b.extend(2u16.to_be_bytes());
        b.extend([0u8; 2]);
        b.extend(((12 + 32 + 54 + name.len()) as u32).to_be_bytes());
        b.extend((packed.len() as u32).to_be_bytes());
        b.extend([0u8; 24]);
        b.extend(dir);
        b.extend(packed);
        b
    }

    #[test]
    fn web_fonts_are_read_through_their_compression() {
        let f = font(&[
            (0, "Copyright 2016 The Mulish Project Authors"),
            (13, "Licensed under the SIL Open Font License, Version 1.1"),
        ]);
        let licence = Some("Licensed under the SIL Open Font License, Version 1.1");
        let n = names(&woff(&f)).unwrap();
        assert_eq!(n.licence.as_deref(), licence);
        assert_eq!(
            n.copyright.as_deref(),
            Some("Copyright 2016 The Mulish Project Authors")
        );
        let short = font(&[(13, "OFL")]);
        assert_eq!(
            names(&woff2(&short)).unwrap().licence.as_deref(),
            Some("OFL")
        );
        for web in [woff(&f), woff2(&short)] {
            for cut in 0..web.len() {
                let _ = names(&web[..cut]);
            }
        }
        let mut broken = woff(&f);
        let last = broken.len() - 1;
        broken[last] ^= 0xFF;
        assert_eq!(names(&broken), None);
        assert!(is_font("Mulish-Regular.c6a14d8b.woff2") && is_font("icons.WOFF"));
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
