//! News and notices on the portal: the list (by kind, paged), one article, and its image.
//! Only published articles are shown; anything else is a 404.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use fucai_app::{paragraphs, AppError};
use fucai_store::{ArticleKind, ArticleQuery, ArticleRow};
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::portal::{list_href, page, Tab, Visitor};
use crate::AppState;

/// An article as the portal and the console's preview show it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ArticleView {
    pub id: i64,
    pub title: String,
    pub kind_name: &'static str,
    /// The publication date (the writing date of a draft), Beijing time.
    pub date: String,
    pub paragraphs: Vec<String>,
    pub image: Option<String>,
    pub image_alt: String,
}

pub(crate) fn kind_name(kind: ArticleKind) -> &'static str {
    match kind {
        ArticleKind::News => "新闻",
        ArticleKind::Notice => "公告",
    }
}

impl ArticleView {
    /// The view of `a`, its image served from `image_base` (`/news` or `/console/news`).
    pub fn new(a: &ArticleRow, image_base: &str) -> ArticleView {
        ArticleView {
            id: a.id,
            title: a.title.clone(),
            kind_name: kind_name(a.kind),
            date: fucai_app::beijing_date(a.published_at.unwrap_or(a.written_at)).to_string(),
            paragraphs: paragraphs(&a.body),
            image: a
                .image_sha256
                .as_ref()
                .map(|_| format!("{image_base}/{}/image", a.id)),
            image_alt: a.image_alt.clone(),
        }
    }
}

/// The latest published articles (the home page's list).
pub(crate) fn latest(state: &AppState, n: usize) -> Result<Vec<ArticleView>, AppError> {
    let q = ArticleQuery {
        limit: n,
        ..ArticleQuery::default()
    };
    let (_, rows) = state.app.articles(None, q)?;
    Ok(rows.iter().map(|a| ArticleView::new(a, "/news")).collect())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewsQuery {
    kind: Option<String>,
    page: Option<usize>,
    /// The text-only version (read by the layout).
    #[allow(dead_code)]
    text: Option<String>,
}

const PER_PAGE: usize = 20;

/// `/news`: published news and notices, newest first, by kind, paged.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    visitor: Visitor,
    ApiQuery(q): ApiQuery<NewsQuery>,
) -> ApiResult<Html<String>> {
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(
            k.parse::<ArticleKind>()
                .map_err(|_| AppError::invalid("kind", "news or notice"))?,
        ),
        None => None,
    };
    let page_no = q.page.unwrap_or(1);
    if !(1..=1000).contains(&page_no) {
        return Err(AppError::invalid("page", "from 1 to 1000").into());
    }
    let query = ArticleQuery {
        status: None,
        kind,
        limit: PER_PAGE,
        offset: (page_no - 1) * PER_PAGE,
    };
    let (total, rows) = state.app.articles(None, query)?;
    let href = |k: Option<ArticleKind>, p: usize| {
        list_href("/news", k.map_or("", |k| k.as_str()), "kind", p)
    };
    let mut tabs = vec![Tab {
        name: "全部",
        href: href(None, 1),
        current: kind.is_none(),
    }];
    for k in ArticleKind::ALL {
        tabs.push(Tab {
            name: kind_name(*k),
            href: href(Some(*k), 1),
            current: kind == Some(*k),
        });
    }
    let articles: Vec<ArticleView> = rows.iter().map(|a| ArticleView::new(a, "/news")).collect();
    Ok(page(
        &state,
        &visitor,
        "portal/news.html",
        "新闻公告",
        context! {
            tabs,
            articles,
            kind_name => kind.map_or("新闻公告", kind_name),
            prev => (page_no > 1).then(|| href(kind, page_no - 1)),
            next => ((page_no * PER_PAGE) < total as usize).then(|| href(kind, page_no + 1)),
        },
    )?)
}

/// `/news/{id}`: one published article.
pub(crate) async fn article(
    State(state): State<Arc<AppState>>,
    visitor: Visitor,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Html<String>> {
    let a = state.app.published_article(id)?;
    Ok(page(
        &state,
        &visitor,
        "portal/article.html",
        &a.title,
        context! { a => ArticleView::new(&a, "/news"), preview => false },
    )?)
}

/// An image as a response (the public's and the console's).
pub(crate) fn image_response(mime: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// `/news/{id}/image`: a published article's image.
pub(crate) async fn image(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let (mime, bytes) = state.app.article_image(None, id)?;
    Ok(image_response(mime, bytes))
}

/// The public news routes (HTML pages beside the portal's, outside the API's policy table).
pub(crate) fn routes() -> axum::Router<Arc<AppState>> {
    use axum::routing::get;
    axum::Router::new()
        .route("/news", get(list))
        .route("/news/{id}", get(article))
        .route("/news/{id}/image", get(image))
}
