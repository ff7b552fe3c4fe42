//! A page's content stream played far enough to know where each character and each ruling
//! line lands: the graphics state (`q`/`Q`/`cm`), the text state and matrices (ISO 32000 9.4),
//! paths painted as straight lines or thin rectangles, and form XObjects (`Do`), within a
//! budget of operations, glyphs and bytes set before the page is read.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId, content::Content};

use super::fonts::Font;
use super::{Glyph, PdfLimits, Rule};
use crate::{SheetError, refuse};

/// Form XObjects inside form XObjects, at most.
const MAX_FORM_DEPTH: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `then` (PDF's row-vector order: self × then).
    fn then(self, then: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    fn from_operands(operands: &[Object]) -> Option<Matrix> {
        let mut m = [0.0; 6];
        if operands.len() < 6 {
            return None;
        }
        for (slot, operand) in m.iter_mut().zip(operands) {
            *slot = finite(operand)?;
        }
        Some(Matrix(m))
    }
}

fn finite(operand: &Object) -> Option<f32> {
    operand.as_float().ok().filter(|v| v.is_finite())
}

#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<ObjectId>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
    rise: f32,
}

impl Default for State {
    fn default() -> Self {
        State {
            ctm: Matrix::IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// What a page holds for the layout: characters, ruling lines, and its images (a page of
/// images and no characters is a scan; `None` for an image written inline).
#[derive(Default)]
pub(super) struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    pub images: Vec<Option<ObjectId>>,
}

pub(super) struct Player<'a> {
    doc: &'a Document,
    limits: &'a PdfLimits,
    fonts: HashMap<ObjectId, Font<'a>>,
    /// Fonts written into a resource dictionary rather than referenced get a made-up id.
    inline_fonts: Vec<&'a Dictionary>,
    operations: usize,
    bytes: usize,
    page: PageContent,
}

impl<'a> Player<'a> {
    pub(super) fn new(doc: &'a Document, limits: &'a PdfLimits) -> Self {
        Player {
            doc,
            limits,
            fonts: HashMap::new(),
            inline_fonts: Vec::new(),
            operations: 0,
            bytes: 0,
            page: PageContent::default(),
        }
    }

    /// Plays one page; the fonts read stay for the next pages.
    pub(super) fn page(&mut self, page: ObjectId, number: u32) -> Result<PageContent, SheetError> {
        self.operations = 0;
        self.bytes = 0;
        self.page = PageContent::default();
        let content = self
            .doc
            .get_page_content_with_limit(page, self.limits.max_page_bytes)
            .map_err(|e| refuse(format!("PDF 第{number}页的内容无法读取：{e}")))?;
        let (inline, referenced) = self
            .doc
            .get_page_resources(page)
            .map_err(|e| refuse(format!("PDF 第{number}页的资源无法读取：{e}")))?;
        let mut resources: Vec<&'a Dictionary> = inline.into_iter().collect();
        resources.extend(
            referenced
                .into_iter()
                .filter_map(|id| self.doc.get_dictionary(id).ok()),
        );
        self.play(&content, &resources, State::default(), 0, number)?;
        Ok(std::mem::take(&mut self.page))
    }

    fn play(
        &mut self,
        content: &[u8],
        resources: &[&'a Dictionary],
        start: State,
        depth: usize,
        number: u32,
    ) -> Result<(), SheetError> {
        self.bytes += content.len();
        if self.bytes > self.limits.max_page_bytes {
            return Err(self.too_much(number));
        }
        let mut state = start;
        let mut saved: Vec<State> = Vec::new();
        let mut text = Matrix::IDENTITY;
        let mut line = Matrix::IDENTITY;
        let mut path = Path::default();
        for operation in Content::decode_iter(content) {
            // A damaged stream ends the page where it breaks, as viewers do.
            let Ok(operation) = operation else { break };
            self.operations += 1;
            if self.operations > self.limits.max_operations_per_page {
                return Err(self.too_much(number));
            }
            let ops = &operation.operands;
            let number_at = |i: usize| ops.get(i).and_then(finite);
            match operation.operator.as_str() {
                "q" if saved.len() < 256 => saved.push(state.clone()),
                "Q" => {
                    if let Some(previous) = saved.pop() {
                        state = previous;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_operands(ops) {
                        state.ctm = m.then(state.ctm);
                    }
                }
                "BT" => {
                    text = Matrix::IDENTITY;
                    line = Matrix::IDENTITY;
                }
                "Tf" => {
                    state.font = ops
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| self.font_id(resources, name));
                    state.font_size = number_at(1).unwrap_or(0.0);
                }
                "Tc" => state.char_spacing = number_at(0).unwrap_or(0.0),
                "Tw" => state.word_spacing = number_at(0).unwrap_or(0.0),
                "Tz" => state.horizontal_scale = number_at(0).unwrap_or(100.0) / 100.0,
                "TL" => state.leading = number_at(0).unwrap_or(0.0),
                "Ts" => state.rise = number_at(0).unwrap_or(0.0),
                "Td" | "TD" => {
                    if let (Some(x), Some(y)) = (number_at(0), number_at(1)) {
                        if operation.operator == "TD" {
                            state.leading = -y;
                        }
                        line = Matrix::translate(x, y).then(line);
                        text = line;
                    }
                }
                "Tm" => {
                    if let Some(m) = Matrix::from_operands(ops) {
                        line = m;
                        text = m;
                    }
                }
                "T*" => {
                    line = Matrix::translate(0.0, -state.leading).then(line);
                    text = line;
                }
                "Tj" | "'" | "\"" => {
                    if operation.operator != "Tj" {
                        if operation.operator == "\"" {
                            state.word_spacing = number_at(0).unwrap_or(state.word_spacing);
                            state.char_spacing = number_at(1).unwrap_or(state.char_spacing);
                        }
                        line = Matrix::translate(0.0, -state.leading).then(line);
                        text = line;
                    }
                    if let Some(Ok(bytes)) = ops.last().map(Object::as_str) {
                        self.show(bytes, &state, &mut text, number)?;
                    }
                }
                "TJ" => {
                    if let Some(Ok(items)) = ops.first().map(Object::as_array) {
                        for item in items {
                            if let Ok(bytes) = item.as_str() {
                                self.show(bytes, &state, &mut text, number)?;
                            } else if let Some(adjust) = finite(item) {
                                let tx =
                                    -adjust / 1000.0 * state.font_size * state.horizontal_scale;
                                text = Matrix::translate(tx, 0.0).then(text);
                            }
                        }
                    }
                }
                "m" => {
                    if let (Some(x), Some(y)) = (number_at(0), number_at(1)) {
                        path.move_to(state.ctm.apply(x, y));
                    }
                }
                "l" => {
                    if let (Some(x), Some(y)) = (number_at(0), number_at(1)) {
                        path.line_to(state.ctm.apply(x, y));
                    }
                }
                "c" | "v" | "y" => {
                    // A curve is no ruling line; the pen moves to its end.
                    let n = ops.len();
                    if n >= 2
                        && let (Some(x), Some(y)) = (number_at(n - 2), number_at(n - 1))
                    {
                        path.current = Some(state.ctm.apply(x, y));
                    }
                }
                "h" => path.close(),
                "re" => {
                    if let (Some(x), Some(y), Some(w), Some(h)) =
                        (number_at(0), number_at(1), number_at(2), number_at(3))
                    {
                        path.rectangle(state.ctm, x, y, w, h);
                    }
                }
                "S" | "s" | "B" | "B*" | "b" | "b*" => {
                    if operation.operator.starts_with(['s', 'b']) {
                        path.close();
                    }
                    path.stroke_into(&mut self.page.rules, self.limits.max_rules_per_page);
                    path = Path::default();
                }
                "f" | "F" | "f*" => {
                    path.fill_into(&mut self.page.rules, self.limits.max_rules_per_page);
                    path = Path::default();
                }
                "n" => path = Path::default(),
                "BI" => self.page.images.push(None),
                "Do" => {
                    if let Some(Ok(name)) = ops.first().map(Object::as_name) {
                        self.draw_object(resources, name, &state, depth, number)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn too_much(&self, number: u32) -> SheetError {
        refuse(format!(
            "PDF 第{number}页的内容过于庞大（超过{}项绘制指令或{}MB），无法读取",
            self.limits.max_operations_per_page,
            self.limits.max_page_bytes / 1024 / 1024
        ))
    }

    /// Each character of a shown string, at the place the text matrix puts it.
    fn show(
        &mut self,
        bytes: &[u8],
        state: &State,
        text: &mut Matrix,
        number: u32,
    ) -> Result<(), SheetError> {
        let Some(font) = state.font.and_then(|id| self.fonts.get(&id)) else {
            return Ok(());
        };
        let size = state.font_size;
        let scale = Matrix([
            size * state.horizontal_scale,
            0.0,
            0.0,
            size,
            0.0,
            state.rise,
        ]);
        for (code, code_bytes) in font.codes(bytes) {
            let at = scale.then(*text).then(state.ctm);
            let mut tx = font.advance(code) * size + state.char_spacing;
            if font.is_word_space(code_bytes) {
                tx += state.word_spacing;
            }
            tx *= state.horizontal_scale;
            let next = Matrix::translate(tx, 0.0).then(*text);
            if let Some(chars) = font.text(code_bytes) {
                let (x, y) = at.apply(0.0, 0.0);
                let (end, _) = next.then(state.ctm).apply(0.0, 0.0);
                let [_, b, _, d, _, _] = at.0;
                let height = (b * b + d * d).sqrt();
                if self.page.glyphs.len() >= self.limits.max_glyphs_per_page {
                    return Err(refuse(format!(
                        "PDF 第{number}页的文字超过{}个字符，无法读取",
                        self.limits.max_glyphs_per_page
                    )));
                }
                if x.is_finite() && y.is_finite() && end.is_finite() && height.is_finite() {
                    self.page.glyphs.push(Glyph {
                        x,
                        end: end.max(x),
                        y,
                        size: height.max(0.1),
                        text: chars,
                        confidence: 100,
                    });
                }
            }
            *text = next;
        }
        Ok(())
    }

    fn draw_object(
        &mut self,
        resources: &[&'a Dictionary],
        name: &[u8],
        state: &State,
        depth: usize,
        number: u32,
    ) -> Result<(), SheetError> {
        let doc = self.doc;
        let Some((id, stream)) = resources.iter().find_map(|r| {
            let entry = r
                .get_deref(b"XObject", doc)
                .and_then(Object::as_dict)
                .and_then(|x| x.get(name))
                .ok()?;
            let id = entry.as_reference().ok();
            let stream = doc.dereference(entry).ok()?.1.as_stream().ok()?;
            Some((id, stream))
        }) else {
            return Ok(());
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => self.page.images.push(id),
            Ok(b"Form") if depth < MAX_FORM_DEPTH => {
                let budget = self.limits.max_page_bytes.saturating_sub(self.bytes);
                let content = stream
                    .get_plain_content_with_limit(budget)
                    .map_err(|_| self.too_much(number))?;
                let mut inner = state.clone();
                if let Some(m) = stream
                    .dict
                    .get(b"Matrix")
                    .and_then(Object::as_array)
                    .ok()
                    .and_then(|m| Matrix::from_operands(m))
                {
                    inner.ctm = m.then(inner.ctm);
                }
                let own = stream
                    .dict
                    .get_deref(b"Resources", doc)
                    .and_then(Object::as_dict)
                    .ok();
                let mut chain: Vec<&'a Dictionary> = own.into_iter().collect();
                chain.extend_from_slice(resources);
                self.play(&content, &chain, inner, depth + 1, number)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The font a resource name stands for, read once per document.
    fn font_id(&mut self, resources: &[&'a Dictionary], name: &[u8]) -> Option<ObjectId> {
        let doc = self.doc;
        let entry = resources.iter().find_map(|r| {
            r.get_deref(b"Font", doc)
                .and_then(Object::as_dict)
                .and_then(|fonts| fonts.get(name))
                .ok()
        })?;
        let (id, dict) = match entry {
            Object::Reference(id) => (*id, doc.get_dictionary(*id).ok()?),
            Object::Dictionary(dict) => {
                let index = self
                    .inline_fonts
                    .iter()
                    .position(|d| std::ptr::eq(*d, dict))
                    .unwrap_or_else(|| {
                        self.inline_fonts.push(dict);
                        self.inline_fonts.len() - 1
                    });
                ((u32::MAX - index as u32, u16::MAX), dict)
            }
            _ => return None,
        };
        if !self.fonts.contains_key(&id) {
            if self.fonts.len() >= self.limits.max_fonts {
                return None;
            }
            self.fonts
                .insert(id, Font::load(doc, dict, self.limits.max_page_bytes));
        }
        Some(id)
    }
}

/// The path being built: straight segments and rectangles, in device space.
#[derive(Default)]
struct Path {
    segments: Vec<((f32, f32), (f32, f32))>,
    rectangles: Vec<[(f32, f32); 4]>,
    start: Option<(f32, f32)>,
    current: Option<(f32, f32)>,
}

/// Paths past this many pieces are not ruling lines (a drawing, a chart): left out.
const MAX_PATH_PIECES: usize = 10_000;

impl Path {
    fn move_to(&mut self, point: (f32, f32)) {
        self.start = Some(point);
        self.current = Some(point);
    }

    fn line_to(&mut self, point: (f32, f32)) {
        if let Some(from) = self.current
            && self.segments.len() < MAX_PATH_PIECES
        {
            self.segments.push((from, point));
        }
        self.current = Some(point);
    }

    fn close(&mut self) {
        if let (Some(start), Some(current)) = (self.start, self.current)
            && start != current
        {
            self.line_to(start);
        }
    }

    fn rectangle(&mut self, ctm: Matrix, x: f32, y: f32, w: f32, h: f32) {
        if self.rectangles.len() < MAX_PATH_PIECES {
            self.rectangles.push([
                ctm.apply(x, y),
                ctm.apply(x + w, y),
                ctm.apply(x + w, y + h),
                ctm.apply(x, y + h),
            ]);
        }
        self.move_to(ctm.apply(x, y));
    }

    /// Stroked: every straight horizontal or vertical piece is a ruling line.
    fn stroke_into(&self, rules: &mut Vec<Rule>, max: usize) {
        let edges = self
            .rectangles
            .iter()
            .flat_map(|r| [(r[0], r[1]), (r[1], r[2]), (r[2], r[3]), (r[3], r[0])]);
        for (a, b) in self.segments.iter().copied().chain(edges) {
            if rules.len() >= max {
                return;
            }
            if let Some(rule) = Rule::between(a, b) {
                rules.push(rule);
            }
        }
    }

    /// Filled: a thin rectangle is a ruling line (how Word and LibreOffice draw borders);
    /// a wide one is a shading, not a line.
    fn fill_into(&self, rules: &mut Vec<Rule>, max: usize) {
        for r in &self.rectangles {
            if rules.len() >= max {
                return;
            }
            let (x0, x1) = (r[0].0.min(r[2].0), r[0].0.max(r[2].0));
            let (y0, y1) = (r[0].1.min(r[2].1), r[0].1.max(r[2].1));
            let (w, h) = (x1 - x0, y1 - y0);
            const THIN: f32 = 2.5;
            if w <= THIN && h > THIN {
                rules.push(Rule::vertical((x0 + x1) / 2.0, y0, y1));
            } else if h <= THIN && w > THIN {
                rules.push(Rule::horizontal((y0 + y1) / 2.0, x0, x1));
            }
        }
    }
}
