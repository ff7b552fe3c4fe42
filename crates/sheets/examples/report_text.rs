//! What the report reader is given for a file (PDF, scan, Word, Excel, text):
//! `cargo run -p gongkai-sheets --example report_text -- FILE`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: report_text FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let ocr = gongkai_sheets::ocr::Tesseract::default();
    match gongkai_sheets::report_text(&bytes, Some(&ocr)) {
        Ok(html) => print!("{html}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
