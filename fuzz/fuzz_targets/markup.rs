//! Any text as a publication's 正文 (one paragraph a line) through the markup renderer and the
//! plain-text form used by feeds and search: no panic, only the subset's own tags in the HTML,
//! and no link the renderer's `safe_href` would refuse.

#![no_main]

use libfuzzer_sys::fuzz_target;

const TAGS: [&str; 7] = ["h3", "ul", "ol", "li", "p", "strong", "a"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let paragraphs: Vec<String> = text.lines().map(str::to_string).collect();
    let html = gongkai_web::richtext::render(&paragraphs).into_string();
    for tag in html.split('<').skip(1) {
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(TAGS.contains(&name.as_str()), "tag <{name}> in {html}");
    }
    for link in html.split("href=\"").skip(1) {
        let target = link
            .split('"')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let target: String = target.chars().filter(|c| !c.is_whitespace()).collect();
        for scheme in ["javascript:", "data:", "vbscript:"] {
            assert!(!target.starts_with(scheme), "link {target} in {html}");
        }
    }
    for paragraph in &paragraphs {
        let _ = gongkai_web::richtext::plain(paragraph);
    }
});
