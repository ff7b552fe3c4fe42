//! 救济途径: how an applicant may challenge a decision on an application, as the law read on
//! the day of the decision.
//!
//! Since 2024-01-01 the revised 《中华人民共和国行政复议法》 第二十三条 makes 行政复议 compulsory
//! before a lawsuit (复议前置) where disclosure is refused (第一款第（四）项 "申请政府信息公开，
//! 行政机关不予公开") and where an agency fails to perform its duty (第（三）项, e.g. no answer in
//! time), and its 第二款 obliges the agency to say so in its decision. Before that day the
//! applicant chose freely between 行政复议 (60 days, 行政复议法 第九条 then 第二十条 now) and
//! 行政诉讼 (6 months, 行政诉讼法 第四十六条).

use crate::{Date, Outcome, OutcomeGroup};

/// The way to challenge a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppealRoute {
    /// 复议前置: 行政复议 first; 行政诉讼 only against the 复议决定 (行政复议法 第二十三条).
    ReconsiderationFirst,
    /// 复议前置 for the withheld part of a 部分公开 answer, the ordinary choice for the rest.
    ReconsiderationFirstForWithheldPart,
    /// The applicant's choice: 行政复议 within 60 days or 行政诉讼 within 6 months.
    Either,
}

/// The route for a decision with the article it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteRule {
    pub route: AppealRoute,
    /// Where the route comes from, as a letter or page cites it.
    pub article: &'static str,
}

/// The day the revised 行政复议法 took effect (2023-09-01 修订, 2024-01-01 施行).
pub fn revised_law_in_force() -> Date {
    Date::new(2024, 1, 1).expect("a real date")
}

const COMPULSORY: &str = "《中华人民共和国行政复议法》第二十三条第一款第（四）项、第二款";
const CHOICE: &str = "《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条";
const CHOICE_BEFORE_2024: &str =
    "《中华人民共和国行政复议法》第九条、《中华人民共和国行政诉讼法》第四十六条";

/// The route for an answer with `outcome` decided on `decided_on` (a fee notice or another
/// decision with no outcome: `None`).
///
/// 不予公开 (every row of group 三) and the withheld part of 部分公开 go to 行政复议 first. The
/// rows of 无法提供, 不予处理 and 其他处理 do not decide that information be withheld, and keep the
/// ordinary choice; an agency whose legal adviser reads a row otherwise says so in its settings
/// (`AgencySettings::reconsideration_first`).
pub fn route_for(outcome: Option<Outcome>, decided_on: Date) -> RouteRule {
    if decided_on < revised_law_in_force() {
        return RouteRule {
            route: AppealRoute::Either,
            article: CHOICE_BEFORE_2024,
        };
    }
    let route = match outcome.map(Outcome::group) {
        Some(OutcomeGroup::Withheld) => AppealRoute::ReconsiderationFirst,
        Some(OutcomeGroup::PartlyDisclosed) => AppealRoute::ReconsiderationFirstForWithheldPart,
        _ => AppealRoute::Either,
    };
    RouteRule {
        route,
        article: if route == AppealRoute::Either {
            CHOICE
        } else {
            COMPULSORY
        },
    }
}

/// The route when the agency has decided a row differently: `reconsideration_first` rows go to
/// 行政复议 first, whatever [`route_for`] says (never the other way: a refusal stays compulsory).
pub fn route_with_settings(
    outcome: Option<Outcome>,
    decided_on: Date,
    reconsideration_first: &[Outcome],
) -> RouteRule {
    let rule = route_for(outcome, decided_on);
    match outcome {
        Some(o)
            if rule.route == AppealRoute::Either
                && decided_on >= revised_law_in_force()
                && reconsideration_first.contains(&o) =>
        {
            RouteRule {
                route: AppealRoute::ReconsiderationFirst,
                article: "《中华人民共和国行政复议法》第二十三条（本机关设置）",
            }
        }
        _ => rule,
    }
}

/// What the 政府信息公开指南 says of 救济途径 under the law in force since 2024: refusals and
/// failures to answer in time go to 行政复议 first; the rest may go either way. `body` is the
/// 行政复议机关, `court` the 人民法院.
pub fn guide_paragraphs(body: &str, court: &str) -> [String; 3] {
    [
        format!(
            "对本机关不予公开政府信息（包括部分不予公开）的决定不服的，应当先向{body}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼（{COMPULSORY}）。"
        ),
        format!(
            "本机关在法定期限内未作答复的，同样应当先向{body}申请行政复议（《中华人民共和国行政复议法》第二十三条第一款第（三）项）。"
        ),
        format!(
            "对本机关其他政府信息公开决定不服的，可以自知道该决定之日起60日内向{body}申请行政复议，或者自知道之日起6个月内向{court}提起行政诉讼（{CHOICE}）。"
        ),
    ]
}

/// The sentence a letter closes with: where and within what time to challenge it.
/// `what` names the letter ("答复", "通知"); `body` is the 行政复议机关, `court` the 人民法院.
pub fn rights_sentence(rule: RouteRule, what: &str, body: &str, court: &str) -> String {
    let choice = format!(
        "可以自收到之日起60日内向{body}申请行政复议，或者自收到之日起6个月内向{court}提起行政诉讼"
    );
    let first = format!(
        "应当先自收到之日起60日内向{body}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼"
    );
    match rule.route {
        AppealRoute::Either => format!("如对本{what}不服，{choice}。"),
        AppealRoute::ReconsiderationFirst => {
            format!("如对本{what}不服，{first}（{}）。", rule.article)
        }
        AppealRoute::ReconsiderationFirstForWithheldPart => format!(
            "如对本{what}中不予公开的部分不服，{first}（{}）；对本{what}的其他内容不服的，{choice}。",
            rule.article
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        crate::parse_date("test", text).unwrap()
    }

    #[test]
    fn every_outcome_has_its_route_with_the_article() {
        let decided = d("2025-06-10");
        for outcome in Outcome::ALL {
            let rule = route_for(Some(outcome), decided);
            let expected = match outcome.group() {
                OutcomeGroup::Withheld => AppealRoute::ReconsiderationFirst,
                OutcomeGroup::PartlyDisclosed => AppealRoute::ReconsiderationFirstForWithheldPart,
                _ => AppealRoute::Either,
            };
            assert_eq!(rule.route, expected, "{outcome:?}");
            if expected == AppealRoute::Either {
                assert!(rule.article.contains("第二十条"), "{outcome:?}");
                assert!(rule.article.contains("行政诉讼法》第四十六条"));
            } else {
                assert!(
                    rule.article.contains("第二十三条第一款第（四）项"),
                    "{outcome:?}"
                );
            }
        }
        assert_eq!(route_for(None, decided).route, AppealRoute::Either);
    }

    #[test]
    fn decisions_before_2024_keep_the_choice_of_their_time() {
        for outcome in Outcome::ALL {
            let rule = route_for(Some(outcome), d("2023-12-29"));
            assert_eq!(rule.route, AppealRoute::Either);
            assert!(rule.article.contains("第九条"));
        }
        assert_eq!(
            route_for(Some(Outcome::StateSecret), d("2024-01-01")).route,
            AppealRoute::ReconsiderationFirst
        );
    }

    #[test]
    fn an_agency_may_send_more_rows_to_reconsideration_first_but_never_fewer() {
        let decided = d("2025-06-10");
        let extra = [Outcome::NotHeld, Outcome::StateSecret];
        let rule = route_with_settings(Some(Outcome::NotHeld), decided, &extra);
        assert_eq!(rule.route, AppealRoute::ReconsiderationFirst);
        assert!(rule.article.contains("本机关设置"));
        let withheld = route_with_settings(Some(Outcome::StateSecret), decided, &[]);
        assert_eq!(withheld.route, AppealRoute::ReconsiderationFirst);
        let before = route_with_settings(Some(Outcome::NotHeld), d("2023-05-05"), &extra);
        assert_eq!(before.route, AppealRoute::Either);
    }

    #[test]
    fn the_sentences_name_body_court_and_time_limits() {
        let first = rights_sentence(
            route_for(Some(Outcome::StateSecret), d("2025-06-10")),
            "答复",
            "示例区人民政府",
            "示例区人民法院",
        );
        assert!(first.contains("应当先自收到之日起60日内向示例区人民政府申请行政复议"));
        assert!(first.contains("15日内依法向人民法院提起行政诉讼"));
        assert!(!first.contains("6个月"));
        let part = rights_sentence(
            route_for(Some(Outcome::PartlyDisclosed), d("2025-06-10")),
            "答复",
            "示例区人民政府",
            "示例区人民法院",
        );
        assert!(part.contains("不予公开的部分") && part.contains("6个月内向示例区人民法院"));
        let choice = rights_sentence(
            route_for(Some(Outcome::Disclosed), d("2025-06-10")),
            "答复",
            "示例区人民政府",
            "示例区人民法院",
        );
        assert_eq!(
            choice,
            "如对本答复不服，可以自收到之日起60日内向示例区人民政府申请行政复议，或者自收到之日起6个月内向示例区人民法院提起行政诉讼。"
        );
    }
}
