//! A formal letter (告知书、答复书) as a document: title, number, recipient, paragraphs,
//! the issuing agency and date. The domain composes its content; this renders it.

use std::fmt::Write;

use docx_rs::{AlignmentType, Docx, PageMargin, Paragraph, Run, RunFonts};

/// A letter ready to print.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LetterDocument {
    /// e.g. 政府信息公开申请答复书
    pub title: String,
    /// 文书编号, e.g. 太政公复〔2026〕12号
    pub number: String,
    /// 称谓, e.g. 张三：
    pub recipient: String,
    pub paragraphs: Vec<String>,
    /// 落款机关
    pub agency: String,
    /// 成文日期, e.g. 2026年11月28日
    pub date: String,
}

pub fn html(letter: &LetterDocument) -> String {
    let e = super::html::escape;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>body{{font-family:'FangSong','Noto Serif CJK SC',serif;max-width:42rem;margin:3rem auto;line-height:2;font-size:1.1rem}}h1{{text-align:center;font-size:1.5rem}}.number{{text-align:right}}p{{text-indent:2em;margin:.3rem 0}}p.recipient{{text-indent:0}}.sign{{text-align:right;margin-top:2rem}}</style>\n</head>\n<body>\n<h1>{}</h1>\n<div class=\"number\">{}</div>\n<p class=\"recipient\">{}</p>\n",
        e(&letter.title),
        e(&letter.title),
        e(&letter.number),
        e(&letter.recipient)
    );
    for paragraph in &letter.paragraphs {
        let _ = writeln!(out, "<p>{}</p>", e(paragraph));
    }
    let _ = write!(
        out,
        "<div class=\"sign\">{}<br>{}</div>\n</body>\n</html>\n",
        e(&letter.agency),
        e(&letter.date)
    );
    out
}

pub fn docx(letter: &LetterDocument) -> Result<Vec<u8>, String> {
    let run = |text: &str, font: &str, size: usize| {
        Run::new()
            .add_text(text)
            .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
            .size(size)
    };
    let mut doc = Docx::new()
        .page_size(11_906, 16_838)
        .page_margin(
            PageMargin::new()
                .top(2_098)
                .bottom(1_984)
                .left(1_587)
                .right(1_474),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(&letter.title, "宋体", 44).bold()),
        )
        .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(run(
            &letter.number,
            "仿宋",
            32,
        )))
        .add_paragraph(Paragraph::new().add_run(run(&letter.recipient, "仿宋", 32)));
    for paragraph in &letter.paragraphs {
        doc = doc.add_paragraph(
            Paragraph::new()
                .first_line_chars(200)
                .add_run(run(paragraph, "仿宋", 32)),
        );
    }
    doc = doc
        .add_paragraph(Paragraph::new())
        .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(run(
            &letter.agency,
            "仿宋",
            32,
        )))
        .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(run(
            &letter.date,
            "仿宋",
            32,
        )));
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| format!("DOCX 打包失败：{e}"))?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> LetterDocument {
        LetterDocument {
            title: "政府信息公开申请答复书".into(),
            number: "太政公复〔2026〕12号".into(),
            recipient: "张三：".into(),
            paragraphs: vec![
                "本机关于2026年11月2日收到您的申请。".into(),
                "<script>x</script>".into(),
            ],
            agency: "河东区人民政府太平街道办事处".into(),
            date: "2026年11月28日".into(),
        }
    }

    #[test]
    fn html_escapes_and_keeps_every_part() {
        let page = html(&sample());
        assert!(
            page.contains("太政公复〔2026〕12号")
                && page.contains("张三：")
                && page.contains("2026年11月28日")
        );
        assert!(page.contains("&lt;script&gt;") && !page.contains("<script>"));
    }

    #[test]
    fn docx_is_a_package_with_the_text() {
        let bytes = docx(&sample()).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        assert!(
            xml.contains("太政公复〔2026〕12号")
                && xml.contains("本机关于2026年11月2日收到您的申请。")
        );
    }
}
