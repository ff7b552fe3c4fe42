//! The OCR engine: Debian's `tesseract` (with `tesseract-ocr-chi-sim`), started once per page
//! with the page on its standard input, its word boxes and confidences read from the TSV it
//! writes, and stopped if it runs past its time.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{SheetError, refuse};

/// A word (for Chinese, usually a character or a figure) as OCR read it, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub left: usize,
    pub width: usize,
    /// The line it stands on: its top and height (the word's own box is as tall as its ink:
    /// 一 is a sliver).
    pub line_top: usize,
    pub line_height: usize,
    /// 0–100.
    pub confidence: f32,
    pub text: String,
}

/// What a pass over a page looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Everything: Chinese text and figures.
    Text,
    /// Figures only (digits and the decimal point): a table's cells, read again by a model
    /// that cannot mistake a 0 for 〇 or a 1 for 丨.
    Figures,
}

/// Anything that reads words off a page image (PGM bytes).
pub trait Recognize: Sync {
    fn recognize(&self, pgm: &[u8], pass: Pass) -> Result<Vec<Word>, SheetError>;
}

/// `tesseract` as installed, with its language and time per page.
#[derive(Debug, Clone)]
pub struct Tesseract {
    pub program: String,
    pub language: String,
    pub timeout: Duration,
}

impl Default for Tesseract {
    fn default() -> Self {
        Tesseract {
            program: "tesseract".into(),
            language: "chi_sim".into(),
            timeout: Duration::from_secs(120),
        }
    }
}

impl Tesseract {
    /// Whether the program and its Chinese model are there to be used.
    pub fn available(&self) -> bool {
        Command::new(&self.program)
            .arg("--list-langs")
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|out| {
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .any(|l| l.trim() == self.language)
            })
    }
}

impl Recognize for Tesseract {
    fn recognize(&self, pgm: &[u8], pass: Pass) -> Result<Vec<Word>, SheetError> {
        let missing = |e: std::io::Error| {
            refuse(format!(
                "扫描件需要文字识别，但无法启动 tesseract（{e}）：请安装 tesseract-ocr 与 tesseract-ocr-chi-sim"
            ))
        };
        let mut command = Command::new(&self.program);
        // One thread: the same page reads the same every time (tesseract's threads make a
        // word or two differ between runs), and the server's other work keeps its cores.
        command.env("OMP_THREAD_LIMIT", "1");
        // Text: automatic page segmentation finds the most of a page's words (measured on
        // rendered reports).
        command.args(["stdin", "stdout"]);
        match pass {
            Pass::Text => command.args(["--psm", "3", "-l", &self.language]),
            // The cells come stacked one per line: a uniform block.
            Pass::Figures => command.args([
                "--psm",
                "6",
                "-l",
                "eng",
                "-c",
                "tessedit_char_whitelist=0123456789.",
            ]),
        };
        let mut child = command
            .arg("tsv")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(missing)?;
        let mut stdin = child.stdin.take().expect("piped");
        let page = pgm.to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&page));
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut out = String::new();
            stdout.read_to_string(&mut out).map(|_| out)
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(missing)? {
                break status;
            }
            if started.elapsed() > self.timeout {
                let _ = child.kill();
                let _ = child.wait();
                return Err(refuse(format!(
                    "文字识别超过{}秒仍未完成，已停止",
                    self.timeout.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let _ = writer.join();
        let tsv = reader
            .join()
            .map_err(|_| refuse("文字识别的输出无法读取"))?
            .map_err(|e| refuse(format!("文字识别的输出无法读取：{e}")))?;
        if !status.success() {
            return Err(refuse(format!(
                "文字识别失败（tesseract 退出状态 {status}）"
            )));
        }
        Ok(parse_tsv(&tsv))
    }
}

/// Tesseract's TSV: a line's box (level 4) then its words (level 5) with their confidence.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut line = (0usize, 0usize);
    for row in tsv.lines().skip(1) {
        let fields: Vec<&str> = row.split('\t').collect();
        if fields.len() < 12 {
            continue;
        }
        let number = |i: usize| fields[i].trim().parse::<usize>().unwrap_or(0);
        match fields[0] {
            "4" => line = (number(7), number(9)),
            "5" => {
                let text = fields[11].trim();
                if text.is_empty() {
                    continue;
                }
                words.push(Word {
                    left: number(6),
                    width: number(8),
                    line_top: line.0,
                    line_height: line.1.max(1),
                    confidence: fields[10]
                        .trim()
                        .parse::<f32>()
                        .unwrap_or(0.0)
                        .clamp(0.0, 100.0),
                    text: text.to_string(),
                });
            }
            _ => {}
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_come_with_their_line_and_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            4\t1\t2\t1\t1\t0\t750\t301\t199\t38\t-1\t\n\
            5\t1\t2\t1\t1\t1\t750\t320\t22\t3\t95.75\t一\n\
            5\t1\t2\t1\t1\t2\t781\t301\t22\t38\t41.5\t8\n\
            5\t1\t2\t1\t1\t3\t800\t301\t22\t38\t90\t \n";
        let words = parse_tsv(tsv);
        assert_eq!(words.len(), 2);
        assert_eq!((words[0].line_top, words[0].line_height), (301, 38));
        assert_eq!(words[1].text, "8");
        assert_eq!(words[1].confidence, 41.5);
    }
}
