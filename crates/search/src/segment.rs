use gongkai_domain::{publication::Publication, search::SearchDoc};
use jieba_rs::Jieba;

/// Words the general dictionary splits wrongly in government text.
const USER_WORDS: [&str; 16] = [
    "政府信息公开",
    "政府信息公开条例",
    "依申请公开",
    "主动公开",
    "行政规范性文件",
    "规范性文件",
    "行政复议",
    "行政诉讼",
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
    "老旧小区",
    "街道办事处",
    "政策解读",
    "为民办实事",
];

pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    /// The standard dictionary, the words above, and `extra` (agency names …).
    pub fn new<'a>(extra: impl IntoIterator<Item = &'a str>) -> Self {
        let mut jieba = Jieba::new();
        for word in USER_WORDS.into_iter().chain(extra) {
            let word = word.trim();
            if !word.is_empty() {
                jieba.add_word(word, None, None);
            }
        }
        Self { jieba }
    }

    /// Search-mode tokens (long words also as their parts), lowercased, punctuation dropped.
    pub fn tokens(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .jieba
            .cut_for_search(text, true)
            .into_iter()
            .map(|t| t.word.trim().to_lowercase())
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect();
        out.dedup();
        out
    }

    pub fn document(&self, p: &Publication) -> SearchDoc {
        let join = |tokens: Vec<String>| tokens.join(" ");
        SearchDoc {
            agency: p.agency.clone(),
            id: p.id,
            category: p.draft.category.clone(),
            published_on: p.published_on,
            title_tokens: join(self.tokens(&p.draft.title)),
            body_tokens: join(self.tokens(&format!(
                "{} {} {}",
                p.draft.body.join("\n"),
                p.draft.doc_number.clone().unwrap_or_default(),
                p.index_number.clone().unwrap_or_default()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_government_text_into_searchable_words() {
        let s = Segmenter::new(["太平街道"]);
        let tokens = s.tokens("太平街道老旧小区改造实施方案（示太政发〔2026〕3号）");
        for word in ["太平街道", "老旧小区", "改造", "实施", "方案", "2026"] {
            assert!(tokens.iter().any(|t| t == word), "{word} not in {tokens:?}");
        }
        assert!(!tokens.iter().any(|t| t == "（" || t == "〔"));
        let mixed = s.tokens("ABC 政府信息公开");
        assert!(mixed.contains(&"abc".to_string()), "{mixed:?}");
        assert!(mixed.contains(&"政府信息公开".to_string()), "{mixed:?}");
    }
}
