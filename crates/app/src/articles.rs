//! News and notices for the portal: staff write a draft (with an optional image and its text
//! alternative), preview it as the public will see it, edit it, publish it, and may withdraw
//! it later. The public reads published articles only; every step is in the audit chain.

use fucai_store::{ArticleKind, ArticleQuery, ArticleRow, ArticleStatus, NewArticle};

use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::App;

/// May write, publish and withdraw articles: the center's administrators and operations
/// staff (who run the network's publicity).
pub const ARTICLE_EDITORS: &[Role] = &[Role::Admin, Role::Operations];

/// An image to put on an article, with its text alternative (read out in place of it).
#[derive(Clone, Debug)]
pub struct ArticleImage {
    pub name: String,
    pub bytes: Vec<u8>,
    pub alt: String,
}

/// What staff write: a draft, or a draft's new text.
#[derive(Clone, Debug)]
pub struct ArticleDraft {
    pub kind: ArticleKind,
    pub title: String,
    /// Plain text; a blank line starts a new paragraph.
    pub body: String,
    /// A new image; none keeps the draft's image (if any).
    pub image: Option<ArticleImage>,
    /// Takes the draft's image off.
    pub remove_image: bool,
}

const MAX_TITLE: usize = 100;
const MAX_BODY: usize = 20_000;

impl ArticleDraft {
    fn check(&self) -> AppResult<()> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(AppError::invalid(
                "title",
                format!("a title of 1 to {MAX_TITLE} characters"),
            ));
        }
        let body = self.body.trim();
        if body.is_empty() || body.chars().count() > MAX_BODY {
            return Err(AppError::invalid(
                "body",
                format!("a text of 1 to {MAX_BODY} characters"),
            ));
        }
        if let Some(image) = &self.image {
            let alt = image.alt.trim();
            if alt.is_empty() || alt.chars().count() > 200 {
                return Err(AppError::invalid(
                    "image_alt",
                    "what the image shows, in 1 to 200 characters (read out in its place)",
                ));
            }
        }
        Ok(())
    }
}

/// An article's paragraphs (its body split at blank lines).
pub fn paragraphs(body: &str) -> Vec<String> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The image an article will carry: its file's hash and text alternative, and the file's row
/// where it was just uploaded.
struct ChosenImage {
    sha256: String,
    alt: String,
    new_file: Option<fucai_store::EvidenceRow>,
}

impl App {
    /// Stores the draft's new image (if any), or keeps the current one unless removed.
    fn choose_image(
        &self,
        who: &Principal,
        draft: &ArticleDraft,
        current: Option<&ArticleRow>,
    ) -> AppResult<Option<ChosenImage>> {
        if let Some(image) = &draft.image {
            let row = self.store_file(who, &image.name, &image.bytes, true)?;
            return Ok(Some(ChosenImage {
                sha256: row.sha256.clone(),
                alt: image.alt.trim().to_string(),
                new_file: Some(row),
            }));
        }
        if draft.remove_image {
            return Ok(None);
        }
        Ok(current.and_then(|a| {
            a.image_sha256.clone().map(|sha256| ChosenImage {
                sha256,
                alt: a.image_alt.clone(),
                new_file: None,
            })
        }))
    }

    /// Writes a new draft; answers it.
    pub async fn write_article(
        &self,
        who: &Principal,
        draft: ArticleDraft,
    ) -> AppResult<ArticleRow> {
        who.require(Access::Roles(ARTICLE_EDITORS), None)?;
        draft.check()?;
        let image = self.choose_image(who, &draft, None)?;
        self.save_article(who, None, draft, image).await
    }

    /// Rewrites a draft (published articles are not edited).
    pub async fn edit_article(
        &self,
        who: &Principal,
        id: i64,
        draft: ArticleDraft,
    ) -> AppResult<ArticleRow> {
        who.require(Access::Roles(ARTICLE_EDITORS), None)?;
        draft.check()?;
        let current = self.article_for_staff(who, id)?;
        if current.status != ArticleStatus::Draft {
            return Err(AppError::Refused(format!(
                "article #{id} is {}: only a draft is edited",
                current.status
            )));
        }
        let image = self.choose_image(who, &draft, Some(&current))?;
        self.save_article(who, Some(id), draft, image).await
    }

    async fn save_article(
        &self,
        who: &Principal,
        id: Option<i64>,
        draft: ArticleDraft,
        image: Option<ChosenImage>,
    ) -> AppResult<ArticleRow> {
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                if let Some(row) = image.as_ref().and_then(|i| i.new_file.as_ref()) {
                    tx.insert_evidence(row)?;
                }
                let (sha256, alt) = match &image {
                    Some(i) => (Some(i.sha256.as_str()), i.alt.as_str()),
                    None => (None, ""),
                };
                let new = NewArticle {
                    kind: draft.kind,
                    title: draft.title.trim(),
                    body: draft.body.trim(),
                    image_sha256: sha256,
                    image_alt: alt,
                };
                let id = match id {
                    Some(id) => {
                        tx.update_draft(id, &new, &actor, now)?;
                        id
                    }
                    None => tx.insert_article(&new, &actor, now)?,
                };
                if let Some(sha256) = sha256 {
                    tx.link_evidence(sha256, &format!("article:{id}"), &actor, now)?;
                }
                tx.audit(
                    now,
                    &actor,
                    "article.write",
                    &format!("article:{id}"),
                    fucai_store::sha256_hex(format!("{}\n{}", new.title, new.body).as_bytes())
                        .as_bytes(),
                )?;
                tx.reader()
                    .article(id)?
                    .ok_or_else(|| AppError::internal("the article just written"))
            })
            .await
    }

    /// Publishes a draft, or withdraws a published article.
    pub async fn set_article_status(
        &self,
        who: &Principal,
        id: i64,
        to: ArticleStatus,
    ) -> AppResult<ArticleRow> {
        who.require(Access::Roles(ARTICLE_EDITORS), None)?;
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let current = tx
                    .reader()
                    .article(id)?
                    .ok_or_else(|| AppError::NotFound(format!("article #{id}")))?;
                if !current.status.can_become(to) {
                    return Err(AppError::Refused(format!(
                        "article #{id} is {}: it cannot become {to}",
                        current.status
                    )));
                }
                let now = now_ms();
                tx.set_article_status(id, to, &actor, now)?;
                tx.audit(
                    now,
                    &actor,
                    &format!("article.{to}"),
                    &format!("article:{id}"),
                    current.title.as_bytes(),
                )?;
                tx.reader()
                    .article(id)?
                    .ok_or_else(|| AppError::internal("the article just changed"))
            })
            .await
    }

    /// Any article, for staff who may edit them (drafts and withdrawn ones included).
    pub fn article_for_staff(&self, who: &Principal, id: i64) -> AppResult<ArticleRow> {
        who.require(Access::Roles(ARTICLE_EDITORS), None)?;
        self.store
            .read(|r| r.article(id))?
            .ok_or_else(|| AppError::NotFound(format!("article #{id}")))
    }

    /// A published article, as the public reads it.
    pub fn published_article(&self, id: i64) -> AppResult<ArticleRow> {
        self.store
            .read(|r| r.article(id))?
            .filter(|a| a.status == ArticleStatus::Published)
            .ok_or_else(|| AppError::NotFound(format!("article #{id}")))
    }

    /// One page of articles: the public sees published ones only; staff who edit them see
    /// every status (filtered by `q.status`).
    pub fn articles(
        &self,
        who: Option<&Principal>,
        mut q: ArticleQuery,
    ) -> AppResult<(i64, Vec<ArticleRow>)> {
        match who {
            Some(who) => who.require(Access::Roles(ARTICLE_EDITORS), None)?,
            None => q.status = Some(ArticleStatus::Published),
        }
        q.limit = q.limit.clamp(1, 100);
        Ok(self.store.read(|r| r.articles(&q))?)
    }

    /// An article's image (type and bytes): the public's for a published article, staff's
    /// for any.
    pub fn article_image(&self, who: Option<&Principal>, id: i64) -> AppResult<(String, Vec<u8>)> {
        let article = match who {
            Some(who) => self.article_for_staff(who, id)?,
            None => self.published_article(id)?,
        };
        let sha256 = article
            .image_sha256
            .ok_or_else(|| AppError::NotFound(format!("article #{id}'s image")))?;
        let (row, bytes) = self.read_stored_file(&sha256)?;
        Ok((row.mime, bytes))
    }
}
