//! A PDF font as the text reader needs it: how its string bytes split into character codes,
//! what each code says (its `/ToUnicode` map, else its encoding), and how far each one moves
//! the pen (`/W` of a CID font, `/Widths` of a simple one).

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Encoding, Object};

/// Entries read from one font's width table at most (a CJK font has about 30 000 glyphs).
const MAX_WIDTH_ENTRIES: usize = 100_000;

pub(super) struct Font<'a> {
    /// Composite (Type0) fonts use two-byte codes (Identity-H, UniGB-UCS2-H: the ones
    /// Word, WPS, LibreOffice and typst write for Chinese); simple fonts one byte.
    two_byte: bool,
    /// Code → width in thousandths of the font size (glyph space).
    widths: HashMap<u32, f32>,
    default_width: f32,
    /// Glyph space → text space: 1/1000, or a Type3 font's own matrix.
    scale: f32,
    unicode: Option<Encoding<'a>>,
    encoding: Option<Encoding<'a>>,
}

impl<'a> Font<'a> {
    pub(super) fn load(doc: &'a Document, dict: &'a Dictionary, max_stream: usize) -> Font<'a> {
        let two_byte = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
        let unicode = to_unicode(doc, dict, max_stream);
        let encoding = if unicode.is_some() {
            None
        } else {
            dict.get_font_encoding_with_limit(doc, max_stream).ok()
        };
        let mut font = Font {
            two_byte,
            widths: HashMap::new(),
            default_width: if two_byte { 1000.0 } else { 500.0 },
            scale: 0.001,
            unicode,
            encoding,
        };
        if two_byte {
            font.read_cid_widths(doc, dict);
        } else {
            font.read_simple_widths(doc, dict);
        }
        font
    }

    /// The character codes a shown string holds.
    pub(super) fn codes<'s>(&self, bytes: &'s [u8]) -> impl Iterator<Item = (u32, &'s [u8])> {
        let step = if self.two_byte { 2 } else { 1 };
        bytes.chunks(step).map(|chunk| {
            let code = chunk.iter().fold(0u32, |code, &b| code << 8 | u32::from(b));
            (code, chunk)
        })
    }

    /// What a code says; `None` for a code the font does not map (it still takes its space).
    pub(super) fn text(&self, bytes: &[u8]) -> Option<String> {
        let encoding = self.unicode.as_ref().or(self.encoding.as_ref())?;
        let text = encoding.bytes_to_string(bytes).ok()?;
        (!text.is_empty() && text != "\u{fffd}").then_some(text)
    }

    /// How far the code moves the pen, in text space units (before the font size).
    pub(super) fn advance(&self, code: u32) -> f32 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
            * self.scale
    }

    /// Whether word spacing applies: the single-byte code 32 only (ISO 32000 9.3.3).
    pub(super) fn is_word_space(&self, bytes: &[u8]) -> bool {
        bytes == [32]
    }

    fn read_cid_widths(&mut self, doc: &Document, dict: &Dictionary) {
        let Some(descendant) = dict
            .get_deref(b"DescendantFonts", doc)
            .and_then(Object::as_array)
            .ok()
            .and_then(|fonts| fonts.first())
            .and_then(|first| doc.dereference(first).ok())
            .and_then(|(_, font)| font.as_dict().ok())
        else {
            return;
        };
        if let Ok(dw) = descendant.get_deref(b"DW", doc).and_then(Object::as_float) {
            self.default_width = dw;
        }
        let Ok(w) = descendant.get_deref(b"W", doc).and_then(Object::as_array) else {
            return;
        };
        // `c [w1 w2 …]` or `c_first c_last w`.
        let mut items = w.iter().map(|o| doc.dereference(o).map(|(_, o)| o).ok());
        while let Some(Some(first)) = items.next() {
            let Ok(first) = first.as_i64() else { return };
            match items.next().flatten() {
                Some(Object::Array(list)) => {
                    for (i, width) in list.iter().enumerate() {
                        if self.widths.len() >= MAX_WIDTH_ENTRIES {
                            return;
                        }
                        if let Ok(width) = width.as_float() {
                            self.widths
                                .insert((first as u32).wrapping_add(i as u32), width);
                        }
                    }
                }
                Some(last) => {
                    let (Ok(last), Some(Ok(width))) =
                        (last.as_i64(), items.next().flatten().map(Object::as_float))
                    else {
                        return;
                    };
                    if last < first
                        || (last - first) as usize + self.widths.len() > MAX_WIDTH_ENTRIES
                    {
                        return;
                    }
                    for code in first..=last {
                        self.widths.insert(code as u32, width);
                    }
                }
                None => return,
            }
        }
    }

    fn read_simple_widths(&mut self, doc: &Document, dict: &Dictionary) {
        if let Ok(matrix) = dict
            .get_deref(b"FontMatrix", doc)
            .and_then(Object::as_array)
            && let Some(Ok(a)) = matrix.first().map(Object::as_float)
            && a.is_finite()
            && a != 0.0
        {
            self.scale = a.abs();
        }
        if let Ok(missing) = dict
            .get_deref(b"FontDescriptor", doc)
            .and_then(Object::as_dict)
            .and_then(|d| d.get_deref(b"MissingWidth", doc))
            .and_then(Object::as_float)
        {
            self.default_width = missing;
        }
        let first = dict
            .get_deref(b"FirstChar", doc)
            .and_then(Object::as_i64)
            .unwrap_or(0);
        if let Ok(widths) = dict.get_deref(b"Widths", doc).and_then(Object::as_array) {
            for (i, width) in widths.iter().take(256).enumerate() {
                let width = doc.dereference(width).map(|(_, w)| w.as_float());
                if let Ok(Ok(width)) = width {
                    self.widths
                        .insert((first as u32).wrapping_add(i as u32), width);
                }
            }
        }
    }
}

/// The font's `/ToUnicode` map as an encoding of its own (read whatever `/Encoding` says:
/// the map is what the producer wrote for text extraction).
fn to_unicode<'a>(doc: &'a Document, dict: &Dictionary, max_stream: usize) -> Option<Encoding<'a>> {
    dict.get(b"ToUnicode").ok()?;
    let mut bare = Dictionary::new();
    bare.set("Type", Object::Name(b"Font".to_vec()));
    bare.set("ToUnicode", dict.get(b"ToUnicode").ok()?.clone());
    match bare.get_font_encoding_with_limit(doc, max_stream).ok()? {
        // The map owns what it holds: it outlives the bare dictionary it was read through.
        Encoding::UnicodeMapEncoding(map) => Some(Encoding::UnicodeMapEncoding(map)),
        _ => None,
    }
}
