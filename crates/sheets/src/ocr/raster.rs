//! A scanned page as grey pixels: decoded from an image file or a PDF's page image within a
//! pixel budget, straightened (a scan is rarely square to the page), and written as PGM for
//! the OCR engine.

use image::ImageReader;
use lopdf::{Object, Stream};

use crate::{SheetError, refuse};

/// A page of 8-bit grey pixels, row after row, 0 black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Gray {
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }

    /// An image file (PNG or JPEG), refused past `max_pixels` before it is decoded.
    pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<Gray, SheetError> {
        let reader = ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| refuse(format!("图像无法读取：{e}")))?;
        let (width, height) = reader
            .into_dimensions()
            .map_err(|e| refuse(format!("图像无法读取（仅支持 PNG、JPEG）：{e}")))?;
        if u64::from(width) * u64::from(height) > max_pixels || width == 0 || height == 0 {
            return Err(refuse(format!(
                "图像为{width}×{height}像素，超过可识别的{}万像素",
                max_pixels / 10_000
            )));
        }
        let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| refuse(format!("图像无法读取：{e}")))?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(width);
        limits.max_image_height = Some(height);
        limits.max_alloc = Some(max_pixels * 4 + (1 << 20));
        reader.limits(limits);
        let image = reader
            .decode()
            .map_err(|e| refuse(format!("图像无法解码：{e}")))?
            .into_luma8();
        Ok(Gray {
            width: image.width() as usize,
            height: image.height() as usize,
            pixels: image.into_raw(),
        })
    }

    /// A PDF image XObject: JPEG (DCTDecode) or samples (8-bit grey or RGB, 1-bit grey).
    pub fn from_pdf_image(stream: &Stream, max_pixels: u64) -> Result<Gray, SheetError> {
        let number = |key: &[u8]| stream.dict.get(key).and_then(Object::as_i64).unwrap_or(0);
        let (width, height) = (number(b"Width"), number(b"Height"));
        if width <= 0 || height <= 0 || (width as u64) * (height as u64) > max_pixels {
            return Err(refuse(format!(
                "扫描图像为{width}×{height}像素，超出可识别的范围"
            )));
        }
        let filters = stream.filters().unwrap_or_default();
        if filters.last() == Some(&&b"DCTDecode"[..]) {
            let jpeg = if filters.len() > 1 {
                stream.decompressed_content_with_limit(max_pixels as usize * 3)
            } else {
                Ok(stream.content.clone())
            };
            let jpeg = jpeg.map_err(|e| refuse(format!("扫描图像无法读取：{e}")))?;
            return Gray::decode(&jpeg, max_pixels);
        }
        if let Some(other) = filters.iter().find(|f| {
            !matches!(
                **f,
                b"FlateDecode"
                    | b"LZWDecode"
                    | b"ASCII85Decode"
                    | b"ASCIIHexDecode"
                    | b"RunLengthDecode"
            )
        }) {
            return Err(refuse(format!(
                "扫描图像的编码（{}）暂不支持：请将页面导出为 PNG 或 JPEG 图片后再识别",
                String::from_utf8_lossy(other)
            )));
        }
        let (width, height) = (width as usize, height as usize);
        let samples = if filters.is_empty() {
            stream.content.clone()
        } else {
            stream
                .decompressed_content_with_limit(width * height * 3 + 1024)
                .map_err(|e| refuse(format!("扫描图像无法读取：{e}")))?
        };
        let bits = number(b"BitsPerComponent");
        let colours = match stream.dict.get(b"ColorSpace").and_then(Object::as_name) {
            Ok(b"DeviceRGB") => 3,
            _ => 1,
        };
        let pixels: Vec<u8> = match (bits, colours) {
            (8, 1) => samples.get(..width * height).map(<[u8]>::to_vec),
            (8, 3) => samples.get(..width * height * 3).map(|rgb| {
                rgb.chunks_exact(3)
                    .map(|p| {
                        ((u16::from(p[0]) * 3 + u16::from(p[1]) * 6 + u16::from(p[2])) / 10) as u8
                    })
                    .collect()
            }),
            (1, 1) => {
                let row = width.div_ceil(8);
                samples.get(..row * height).map(|bits| {
                    (0..height)
                        .flat_map(|y| {
                            (0..width).map(move |x| {
                                if bits[y * row + x / 8] & (0x80 >> (x % 8)) == 0 {
                                    0
                                } else {
                                    255
                                }
                            })
                        })
                        .collect()
                })
            }
            _ => None,
        }
        .ok_or_else(|| refuse("扫描图像的像素格式暂不支持（仅支持灰度、RGB 与黑白图像）"))?;
        Ok(Gray {
            width,
            height,
            pixels,
        })
    }

    /// The grey level that best splits ink from paper (Otsu's method).
    pub fn threshold(&self) -> u8 {
        let mut histogram = [0u64; 256];
        for &p in &self.pixels {
            histogram[p as usize] += 1;
        }
        let total = self.pixels.len() as f64;
        let sum: f64 = histogram
            .iter()
            .enumerate()
            .map(|(i, &n)| i as f64 * n as f64)
            .sum();
        let (mut background, mut sum_background, mut best, mut at) = (0f64, 0f64, 0f64, 128u8);
        for (level, &count) in histogram.iter().enumerate() {
            background += count as f64;
            if background == 0.0 || background == total {
                continue;
            }
            sum_background += level as f64 * count as f64;
            let foreground = total - background;
            let mean_b = sum_background / background;
            let mean_f = (sum - sum_background) / foreground;
            let between = background * foreground * (mean_b - mean_f).powi(2);
            if between > best {
                best = between;
                at = level as u8;
            }
        }
        at
    }

    /// The tilt of the page's lines of ink, in radians (within ±3°): the angle at which the
    /// ink, projected on rows, stacks most sharply.
    pub fn skew(&self) -> f64 {
        let dark = self.threshold();
        // A sample of the ink, at most about 200 000 points.
        let step = ((self.width * self.height) / 2_000_000).max(1);
        let ink: Vec<(f64, f64)> = (0..self.height)
            .step_by(step)
            .flat_map(|y| {
                (0..self.width)
                    .step_by(step)
                    .filter(move |&x| self.at(x, y) <= dark)
                    .map(move |x| (x as f64, y as f64))
            })
            .take(200_000)
            .collect();
        if ink.is_empty() {
            return 0.0;
        }
        let score = |angle: f64| {
            let (sin, cos) = angle.sin_cos();
            let mut rows = vec![0u32; self.height * 2 + self.width];
            let offset = self.width as f64;
            for &(x, y) in &ink {
                let row = (y * cos - x * sin + offset) as usize;
                if let Some(r) = rows.get_mut(row) {
                    *r += 1;
                }
            }
            rows.iter()
                .map(|&n| f64::from(n) * f64::from(n))
                .sum::<f64>()
        };
        let mut best = (score(0.0), 0.0);
        for tenth in -30..=30 {
            let angle = f64::from(tenth) / 10.0 * std::f64::consts::PI / 180.0;
            let s = score(angle);
            if s > best.0 {
                best = (s, angle);
            }
        }
        best.1
    }

    /// The page turned by `-angle` about its centre (nearest pixel; paper where nothing was).
    pub fn straightened(&self, angle: f64) -> Gray {
        if angle.abs() < 1e-4 {
            return self.clone();
        }
        let (sin, cos) = angle.sin_cos();
        let (cx, cy) = (self.width as f64 / 2.0, self.height as f64 / 2.0);
        let mut pixels = vec![255u8; self.pixels.len()];
        for y in 0..self.height {
            for x in 0..self.width {
                let (dx, dy) = (x as f64 - cx, y as f64 - cy);
                // Where this pixel of the straight page was on the tilted one.
                let sx = (dx * cos - dy * sin + cx).round();
                let sy = (dx * sin + dy * cos + cy).round();
                if sx >= 0.0
                    && sy >= 0.0
                    && (sx as usize) < self.width
                    && (sy as usize) < self.height
                {
                    pixels[y * self.width + x] = self.at(sx as usize, sy as usize);
                }
            }
        }
        Gray {
            width: self.width,
            height: self.height,
            pixels,
        }
    }

    /// The page enlarged `factor` times (bilinear): OCR reads best at about 300 dpi.
    pub fn enlarged(&self, factor: f64) -> Gray {
        if factor <= 1.0 {
            return self.clone();
        }
        let width = (self.width as f64 * factor) as usize;
        let height = (self.height as f64 * factor) as usize;
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            let sy = (y as f64 / factor).min((self.height - 1) as f64);
            let (y0, fy) = (sy.floor() as usize, sy.fract());
            let y1 = (y0 + 1).min(self.height - 1);
            for x in 0..width {
                let sx = (x as f64 / factor).min((self.width - 1) as f64);
                let (x0, fx) = (sx.floor() as usize, sx.fract());
                let x1 = (x0 + 1).min(self.width - 1);
                let top = f64::from(self.at(x0, y0)) * (1.0 - fx) + f64::from(self.at(x1, y0)) * fx;
                let bottom =
                    f64::from(self.at(x0, y1)) * (1.0 - fx) + f64::from(self.at(x1, y1)) * fx;
                pixels.push((top * (1.0 - fy) + bottom * fy).round() as u8);
            }
        }
        Gray {
            width,
            height,
            pixels,
        }
    }

    /// The page as a binary PGM (what tesseract reads from standard input).
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with black horizontal lines, tilted by `angle`.
    fn lines(angle: f64) -> Gray {
        let (width, height) = (400, 300);
        let mut pixels = vec![255u8; width * height];
        for y0 in [50.0, 120.0, 200.0] {
            for x in 20..380 {
                let y = y0 + (x as f64 - 200.0) * angle.tan();
                pixels[y.round() as usize * width + x] = 0;
            }
        }
        Gray {
            width,
            height,
            pixels,
        }
    }

    #[test]
    fn a_tilted_page_is_found_tilted_and_straightened() {
        let tilt = 1.0f64.to_radians();
        let page = lines(tilt);
        let found = page.skew();
        assert!(
            (found - tilt).abs() < 0.2f64.to_radians(),
            "{}",
            found.to_degrees()
        );
        let straight = page.straightened(found);
        // The middle line is one row again.
        let rows: Vec<usize> = (0..straight.height)
            .filter(|&y| (100..300).filter(|&x| straight.at(x, y) == 0).count() > 150)
            .collect();
        assert!(rows.len() >= 2, "{rows:?}");
        assert!(lines(0.0).skew().abs() < 1e-9);
    }

    #[test]
    fn otsu_splits_ink_from_paper() {
        let mut pixels = vec![230u8; 1000];
        pixels[..100].fill(20);
        let page = Gray {
            width: 100,
            height: 10,
            pixels,
        };
        let t = page.threshold();
        assert!((20..230).contains(&t), "{t}");
    }

    #[test]
    fn images_past_the_budget_are_refused_before_decoding() {
        let mut png = Vec::new();
        image::GrayImage::new(200, 100)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(
            Gray::decode(&png, 10_000)
                .unwrap_err()
                .0
                .contains("200×100")
        );
        assert_eq!(Gray::decode(&png, 1_000_000).unwrap().width, 200);
        assert!(Gray::decode(b"not an image", 1_000_000).is_err());
    }
}
