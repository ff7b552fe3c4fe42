//! 政策解读 in the back office: every public policy document with its 解读, those whose 解读
//! is missing or came late first, and the year's figures the annual report states.

use std::sync::Arc;

use axum::extract::State;
use gongkai_domain::{
    publication::interpretation::{self, Standing},
    store::Store,
};
use gongkai_law::date::chinese;
use maud::{Markup, html};

use crate::{
    app::App,
    error::WebError,
    security::{CsrfToken, Staff},
    views::{chrome, page},
};

type Shared<S> = State<Arc<App<S>>>;

pub async fn interpretations_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
) -> Result<Markup, WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    let publications = app.store.publications(&agency.code).await?;
    let calendar = app.calendar();
    let today = app.today();
    let days = agency.settings.interpretation_days;
    let mut documents = interpretation::coverage(&publications, &calendar, days, today);
    // What needs doing first: overdue, then not yet due, then late, then done.
    documents.sort_by_key(|c| match c.standing {
        Standing::Missing { overdue: true } => 0,
        Standing::Missing { overdue: false } => 1,
        Standing::Late(_) => 2,
        Standing::OnTime => 3,
    });
    let year = interpretation::year(&publications, &calendar, days, today.year());
    Ok(page(
        "政策解读",
        chrome(&staff, &csrf),
        html! {
            h1 { (agency.name) " · 政策解读" }
            p.muted {
                "政策文件公开后" (days) "个工作日内应发布解读（本机关设置；国务院办公厅要求解读与文件同步组织、同步审签、同步部署，国办发〔2016〕80号）。"
                "起草公开信息时在“政策解读”中选择所解读的文件，二者在网站上互相链接。"
            }
            dl.meta #interpretation-year {
                dt { (today.year()) "年发布解读" } dd { (year.published) "篇"
                    @if !year.by_form.is_empty() {
                        "（" @for (i, (form, n)) in year.by_form.iter().enumerate() { @if i > 0 { "、" } (form.short()) (n) "篇" } "）"
                    }
                }
                dt { "本年公开政策文件" } dd { (year.documents) "件：按时解读" (year.on_time) "件，解读超期" (year.late) "件，尚未解读" (year.missing) "件" }
            }
            @if documents.is_empty() {
                p.muted { "本机关尚未公开政策文件（公开目录“政策文件”栏目）。" }
            } @else {
                div.scroll tabindex="0" {
                    table.cards #interpretation-list {
                        thead { tr { th { "政策文件" } th { "发布日期" } th { "解读应发布日期" } th { "状态" } th { "解读" } } }
                        tbody {
                            @for c in &documents {
                                tr {
                                    td data-label="政策文件" { a href={ "/staff/publications/" (c.document.id) } { (c.document.draft.title) } }
                                    td data-label="发布日期" { @if let Some(d) = c.document.published_on { (chinese(d)) } }
                                    td data-label="解读应发布日期" { @if let Some(d) = c.due { (chinese(d)) } }
                                    td data-label="状态" {
                                        @match c.standing {
                                            Standing::OnTime => { span.tag.ok { "按时解读" } },
                                            Standing::Late(day) => { span.tag.soon { "解读超期" } " " (chinese(day)) "发布" },
                                            Standing::Missing { overdue: true } => { span.tag.overdue { "缺解读，已超期" } },
                                            Standing::Missing { overdue: false } => { span.tag { "待解读" } },
                                        }
                                    }
                                    td data-label="解读" {
                                        @for i in &c.interpretations {
                                            a href={ "/staff/publications/" (i.id) } { (i.draft.title) } " "
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}
