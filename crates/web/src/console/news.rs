//! News and notices: staff write a draft (title, text, an image with its description),
//! preview it as the portal will show it, edit it, publish it after confirming, and may
//! withdraw it later. The portal shows published articles only.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use fucai_app::{Access, AppError, ArticleDraft, ArticleImage, ARTICLE_EDITORS};
use fucai_store::{ArticleKind, ArticleQuery, ArticleRow, ArticleStatus};
use minijinja::context;

use super::render::{page, Failure, PageResult};
use super::staff::{redirect_with, StaffUpload};
use super::views::{fact, link, page_of, refill, text, Field, Paging};
use super::welfare::Empty;
use super::{Staff, StaffForm};
use crate::extract::{ApiPath, ApiQuery};
use crate::news::{image_response, kind_name, ArticleView};
use crate::portal::{page as portal_page, Visitor};
use crate::AppState;

const HERE: &str = "/console/news";

fn status_name(s: ArticleStatus) -> &'static str {
    match s {
        ArticleStatus::Draft => "草稿",
        ArticleStatus::Published => "已发布",
        ArticleStatus::Withdrawn => "已撤回",
    }
}

pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiQuery(params): ApiQuery<BTreeMap<String, String>>,
) -> PageResult {
    staff.require(Access::Roles(ARTICLE_EDITORS))?;
    let q = ArticleQuery {
        limit: super::views::PAGE_ROWS,
        offset: (page_of(&params) - 1) * super::views::PAGE_ROWS,
        ..ArticleQuery::default()
    };
    let (total, rows) = state.app.articles(Some(&staff.who), q)?;
    let paging = Paging::new(HERE, &params, total);
    let mut table = super::views::Table::new("", &["标题", "类别", "状态", "撰写", "发布"]);
    for a in &rows {
        table.rows.push(vec![
            link(&a.title, format!("{HERE}/{}", a.id)),
            text(kind_name(a.kind)),
            text(status_name(a.status)),
            text(format!(
                "{} {}",
                a.written_by,
                fucai_app::beijing_date(a.written_at)
            )),
            text(
                a.published_at
                    .map(|t| {
                        format!(
                            "{} {}",
                            a.published_by.clone().unwrap_or_default(),
                            fucai_app::beijing_date(t)
                        )
                    })
                    .unwrap_or_default(),
            ),
        ]);
    }
    page(
        &staff,
        HERE,
        "console/list.html",
        context! {
            title => "新闻公告",
            intro => "草稿只有工作人员能看到；发布后出现在公众网站的首页和“新闻公告”栏目。",
            actions => vec![("写新文章", format!("{HERE}/new")), ("公众网站的新闻公告", "/news".to_string())],
            tables => vec![table],
            paging,
        },
    )
}

fn article_fields(current: Option<&ArticleRow>) -> Vec<Field> {
    let kinds = ArticleKind::ALL
        .iter()
        .map(|k| (k.to_string(), kind_name(*k).to_string()))
        .collect();
    let mut fields = vec![
        Field::new("kind", "类别", "select").options(kinds),
        Field::new("title", "标题", "text"),
        Field::new("body", "正文", "textarea")
            .rows(12)
            .hint("空一行另起一段"),
        Field::new("image", "图片（可选）", "file").hint("JPEG、PNG、GIF 或 WebP，不超过 10 MB"),
        Field::new("image_alt", "图片说明", "text")
            .hint("有图片时必填：写明图片的内容，供读屏软件朗读"),
    ];
    if let Some(a) = current {
        fields[0].value = a.kind.to_string();
        fields[1].value = a.title.clone();
        fields[2].value = a.body.clone();
        fields[4].value = a.image_alt.clone();
        if a.image_sha256.is_some() {
            fields.push(
                Field::new("remove_image", "去掉现有图片（填“是”）", "text")
                    .hint("不上传新图片时保留现有图片"),
            );
        }
    }
    fields
}

fn form_page(staff: &Staff, id: Option<i64>, fields: Vec<Field>, status: StatusCode) -> PageResult {
    let (title, action, cancel) = match id {
        Some(id) => (
            "编辑草稿",
            format!("{HERE}/{id}/edit"),
            format!("{HERE}/{id}"),
        ),
        None => ("写新文章", HERE.to_string(), HERE.to_string()),
    };
    let mut response = page(
        staff,
        HERE,
        "console/form.html",
        context! {
            title,
            intro => "保存为草稿后可以预览，确认无误再发布。",
            action,
            submit => "保存草稿并预览",
            cancel,
            multipart => true,
            fields,
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub(crate) async fn new_form(staff: Staff) -> PageResult {
    staff.require(Access::Roles(ARTICLE_EDITORS))?;
    form_page(&staff, None, article_fields(None), StatusCode::OK)
}

/// The draft as posted.
fn draft_of(upload: &StaffUpload) -> Result<ArticleDraft, AppError> {
    let field = |name: &str| upload.raw.get(name).cloned().unwrap_or_default();
    let kind = field("kind")
        .parse::<ArticleKind>()
        .map_err(|_| AppError::invalid("kind", "请选择类别"))?;
    Ok(ArticleDraft {
        kind,
        title: field("title"),
        body: field("body"),
        image: upload.files.get("image").map(|f| ArticleImage {
            name: f.name.clone(),
            bytes: f.bytes.clone(),
            alt: field("image_alt"),
        }),
        remove_image: field("remove_image").trim() == "是",
    })
}

/// Saves a posted draft (new or edited) and goes to its preview; a refusal comes back beside
/// its field.
async fn save(state: &AppState, upload: StaffUpload, id: Option<i64>) -> PageResult {
    upload.staff.require(Access::Roles(ARTICLE_EDITORS))?;
    let saved = match draft_of(&upload) {
        Ok(draft) => match id {
            Some(id) => state.app.edit_article(&upload.staff.who, id, draft).await,
            None => state.app.write_article(&upload.staff.who, draft).await,
        },
        Err(e) => Err(e),
    };
    match saved {
        Ok(a) => Ok(redirect_with(
            &format!("{HERE}/{}", a.id),
            "草稿已保存。请核对下面的预览，再发布。",
        )),
        Err(AppError::Invalid { field, message }) => {
            let current = match id {
                Some(id) => Some(state.app.article_for_staff(&upload.staff.who, id)?),
                None => None,
            };
            let mut fields = article_fields(current.as_ref());
            // A file is never sent back: its field keeps the message.
            let field = if field == "file" {
                "image".into()
            } else {
                field
            };
            refill(&mut fields, &upload.raw, Some((&field, message)));
            form_page(&upload.staff, id, fields, StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(Failure::from(e).for_staff(&upload.staff)),
    }
}

pub(crate) async fn create(State(state): State<Arc<AppState>>, upload: StaffUpload) -> PageResult {
    save(&state, upload, None).await
}

pub(crate) async fn edit_form(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> PageResult {
    staff.require(Access::Roles(ARTICLE_EDITORS))?;
    let a = state.app.article_for_staff(&staff.who, id)?;
    if a.status != ArticleStatus::Draft {
        return Err(Failure::from(AppError::Refused(format!(
            "这篇文章{}，只有草稿可以编辑",
            status_name(a.status)
        )))
        .for_staff(&staff));
    }
    form_page(&staff, Some(id), article_fields(Some(&a)), StatusCode::OK)
}

pub(crate) async fn edit(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<i64>,
    upload: StaffUpload,
) -> PageResult {
    save(&state, upload, Some(id)).await
}

/// One article: its facts, what may be done with it, and its text as the portal shows it.
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> PageResult {
    staff.require(Access::Roles(ARTICLE_EDITORS))?;
    let a = state.app.article_for_staff(&staff.who, id)?;
    let mut actions = Vec::new();
    match a.status {
        ArticleStatus::Draft => {
            actions.push(("编辑", format!("{HERE}/{id}/edit")));
            actions.push(("以公众网站样式预览", format!("{HERE}/{id}/preview")));
            actions.push(("发布", format!("{HERE}/{id}/publish")));
        }
        ArticleStatus::Published => {
            actions.push(("查看公众页面", format!("/news/{id}")));
            actions.push(("撤回", format!("{HERE}/{id}/withdraw")));
        }
        ArticleStatus::Withdrawn => {}
    }
    let mut facts = vec![
        fact("类别", kind_name(a.kind)),
        fact("状态", status_name(a.status)),
        fact(
            "撰写",
            format!("{} {}", a.written_by, fucai_app::beijing_time(a.written_at)),
        ),
    ];
    if let (Some(by), Some(at)) = (&a.published_by, a.published_at) {
        facts.push(fact(
            "发布",
            format!("{by} {}", fucai_app::beijing_time(at)),
        ));
    }
    page(
        &staff,
        HERE,
        "console/article.html",
        context! {
            title => format!("{}：{}", kind_name(a.kind), a.title),
            facts,
            actions,
            a => ArticleView::new(&a, HERE),
        },
    )
}

/// The draft exactly as the portal will show it (its layout, both modes), marked a preview.
pub(crate) async fn preview(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    visitor: Visitor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, Failure> {
    staff.require(Access::Roles(ARTICLE_EDITORS))?;
    let a = state.app.article_for_staff(&staff.who, id)?;
    let html = portal_page(
        &state,
        &visitor,
        "portal/article.html",
        &a.title,
        context! {
            a => ArticleView::new(&a, HERE),
            preview => a.status != ArticleStatus::Published,
        },
    )?;
    Ok(axum::response::IntoResponse::into_response(html))
}

pub(crate) async fn image(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, Failure> {
    staff.require(Access::Roles(ARTICLE_EDITORS))?;
    let (mime, bytes) = state.app.article_image(Some(&staff.who), id)?;
    Ok(image_response(mime, bytes))
}

/// Publishing or withdrawing: what happens, confirmed first.
fn change(to: ArticleStatus) -> (&'static str, &'static str, &'static str) {
    match to {
        ArticleStatus::Published => (
            "publish",
            "确认发布",
            "发布后，这篇文章立即出现在公众网站的首页和“新闻公告”栏目，不能再编辑（可以撤回）。",
        ),
        _ => (
            "withdraw",
            "确认撤回",
            "撤回后，公众网站不再显示这篇文章；文章和它的发布记录保留在系统中。",
        ),
    }
}

async fn confirm(state: &AppState, staff: &Staff, id: i64, to: ArticleStatus) -> PageResult {
    staff.require(Access::Roles(ARTICLE_EDITORS))?;
    let a = state.app.article_for_staff(&staff.who, id)?;
    let (verb, submit, warning) = change(to);
    page(
        staff,
        HERE,
        "console/confirm.html",
        context! {
            title => format!("{submit}：{}", a.title),
            warning,
            facts => vec![
                fact("标题", &a.title),
                fact("类别", kind_name(a.kind)),
                fact("现在的状态", status_name(a.status)),
                fact("段落", fucai_app::paragraphs(&a.body).len()),
                fact("图片", if a.image_sha256.is_some() { a.image_alt.as_str() } else { "无" }),
            ],
            action => format!("{HERE}/{id}/{verb}"),
            hidden => Vec::<(String, String)>::new(),
            submit,
            cancel => format!("{HERE}/{id}"),
        },
    )
}

pub(crate) async fn publish_confirm(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> PageResult {
    confirm(&state, &staff, id, ArticleStatus::Published).await
}

pub(crate) async fn withdraw_confirm(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> PageResult {
    confirm(&state, &staff, id, ArticleStatus::Withdrawn).await
}

async fn set_status(state: &AppState, staff: &Staff, id: i64, to: ArticleStatus) -> PageResult {
    staff.require(Access::Roles(ARTICLE_EDITORS))?;
    let a = state
        .app
        .set_article_status(&staff.who, id, to)
        .await
        .map_err(|e| Failure::from(e).for_staff(staff))?;
    let message = match to {
        ArticleStatus::Published => format!("《{}》已发布。", a.title),
        _ => format!("《{}》已撤回。", a.title),
    };
    Ok(redirect_with(&format!("{HERE}/{id}"), &message))
}

pub(crate) async fn publish(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<i64>,
    form: StaffForm<Empty>,
) -> PageResult {
    set_status(&state, &form.staff, id, ArticleStatus::Published).await
}

pub(crate) async fn withdraw(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<i64>,
    form: StaffForm<Empty>,
) -> PageResult {
    set_status(&state, &form.staff, id, ArticleStatus::Withdrawn).await
}
