//! What the report reader is given for a PDF: `cargo run -p gongkai-sheets --example pdf_to_html -- FILE.pdf`.

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: pdf_to_html FILE.pdf");
    let bytes = std::fs::read(&path).expect("readable file");
    match gongkai_sheets::pdf_to_html(&bytes, &gongkai_sheets::PdfLimits::default()) {
        Ok(html) => print!("{html}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
