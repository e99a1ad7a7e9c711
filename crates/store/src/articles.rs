//! The portal's news and notices: drafts, published articles and withdrawn ones, each with an
//! optional image (an evidence file).

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::{ArticleKind, ArticleStatus, Reader, StoreError, StoreResult, WriteTx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArticleRow {
    pub id: i64,
    pub kind: ArticleKind,
    pub title: String,
    /// Plain text; a blank line separates paragraphs.
    pub body: String,
    pub image_sha256: Option<String>,
    pub image_alt: String,
    pub status: ArticleStatus,
    pub written_by: String,
    pub written_at: i64,
    pub published_by: Option<String>,
    pub published_at: Option<i64>,
}

/// What a draft holds (its image: an evidence file already stored, or none).
#[derive(Clone, Debug)]
pub struct NewArticle<'a> {
    pub kind: ArticleKind,
    pub title: &'a str,
    pub body: &'a str,
    pub image_sha256: Option<&'a str>,
    pub image_alt: &'a str,
}

/// One page of articles, newest first (published ones by publication, the rest by writing).
#[derive(Clone, Debug, Default)]
pub struct ArticleQuery {
    pub status: Option<ArticleStatus>,
    pub kind: Option<ArticleKind>,
    pub limit: usize,
    pub offset: usize,
}

fn article_row(r: &Row<'_>) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
        image_sha256: r.get(4)?,
        image_alt: r.get(5)?,
        status: r.get(6)?,
        written_by: r.get(7)?,
        written_at: r.get(8)?,
        published_by: r.get(9)?,
        published_at: r.get(10)?,
    })
}

const ARTICLE_SELECT: &str = "SELECT id, kind, title, body, image_sha256, image_alt, status, written_by, written_at, published_by, published_at FROM articles";
const FILTER: &str = "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2)";

impl ArticlesReads for Reader<'_> {
    fn article(&self, id: i64) -> StoreResult<Option<ArticleRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!("{ARTICLE_SELECT} WHERE id = ?1"))?
            .query_row([id], article_row)
            .optional()?)
    }

    fn articles(&self, q: &ArticleQuery) -> StoreResult<(i64, Vec<ArticleRow>)> {
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM articles {FILTER}"))?
            .query_row(params![q.status, q.kind], |r| r.get(0))?;
        let sql = format!(
            "{ARTICLE_SELECT} {FILTER} ORDER BY COALESCE(published_at, written_at) DESC, id DESC LIMIT ?3 OFFSET ?4"
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(
                params![q.status, q.kind, q.limit as i64, q.offset as i64],
                article_row,
            )?
            .collect::<Result<_, _>>()?;
        Ok((total, rows))
    }
}

impl ArticlesWrites for WriteTx<'_> {
    fn insert_article(&mut self, a: &NewArticle<'_>, by: &str, at: i64) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO articles (kind, title, body, image_sha256, image_alt, status, written_by, written_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7)",
            )?
            .execute(params![a.kind, a.title, a.body, a.image_sha256, a.image_alt, by, at])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn update_draft(&mut self, id: i64, a: &NewArticle<'_>, by: &str, at: i64) -> StoreResult<()> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE articles SET kind = ?2, title = ?3, body = ?4, image_sha256 = ?5, image_alt = ?6,
                 written_by = ?7, written_at = ?8 WHERE id = ?1 AND status = 'draft'",
            )?
            .execute(params![id, a.kind, a.title, a.body, a.image_sha256, a.image_alt, by, at])?;
        if n == 0 {
            return Err(StoreError::not_found(format!("draft article #{id}")));
        }
        Ok(())
    }

    fn set_article_status(
        &mut self,
        id: i64,
        status: ArticleStatus,
        by: &str,
        at: i64,
    ) -> StoreResult<()> {
        // Publication records who and when; a withdrawal keeps them (the audit chain has
        // the withdrawal).
        let n = if status == ArticleStatus::Published {
            self.tx
                .prepare_cached(
                    "UPDATE articles SET status = ?2, published_by = ?3, published_at = ?4 WHERE id = ?1",
                )?
                .execute(params![id, status, by, at])?
        } else {
            self.tx
                .prepare_cached("UPDATE articles SET status = ?2 WHERE id = ?1")?
                .execute(params![id, status])?
        };
        if n == 0 {
            return Err(StoreError::not_found(format!("article #{id}")));
        }
        Ok(())
    }
}

/// The reads of articles. SQLite implements it on [`Reader`](crate::Reader).
pub trait ArticlesReads {
    fn article(&self, id: i64) -> StoreResult<Option<ArticleRow>>;
    /// One page and how many match in all.
    fn articles(&self, q: &ArticleQuery) -> StoreResult<(i64, Vec<ArticleRow>)>;
}

/// The writes of articles.
pub trait ArticlesWrites {
    fn insert_article(&mut self, a: &NewArticle<'_>, by: &str, at: i64) -> StoreResult<i64>;
    /// Rewrites a draft (a published article is not edited: withdraw it and write anew).
    fn update_draft(&mut self, id: i64, a: &NewArticle<'_>, by: &str, at: i64) -> StoreResult<()>;
    fn set_article_status(
        &mut self,
        id: i64,
        status: ArticleStatus,
        by: &str,
        at: i64,
    ) -> StoreResult<()>;
}
