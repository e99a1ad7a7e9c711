//! Who is using the console: the signed-in person behind the session cookie (or a redirect
//! to the sign-in page), their CSRF token and the one-time message of the last action.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use fucai_app::{Access, AppError, Principal, Role};
use serde::de::DeserializeOwned;

use super::render::Failure;
use crate::auth::{cookie, session_token};
use crate::AppState;

/// The cookie that carries one message to the page after a redirect.
pub(crate) const FLASH_COOKIE: &str = "fucai_flash";

/// A signed-in member of staff (or of a station).
#[derive(Clone, Debug)]
pub(crate) struct Staff {
    pub who: Principal,
    pub username: String,
    pub role: Role,
    pub station: Option<String>,
    pub csrf: String,
    /// The message left by the previous request (post/redirect/get), shown once.
    pub flash: Option<String>,
}

impl Staff {
    /// Refuses with the Chinese 403 page unless the role may do this.
    pub fn require(&self, access: Access) -> Result<(), Failure> {
        if self.who.allows(access, None) {
            Ok(())
        } else {
            Err(
                Failure::from(AppError::forbidden("this account may not use this page"))
                    .for_staff(self),
            )
        }
    }

    pub fn may(&self, access: Access) -> bool {
        self.who.allows(access, None)
    }
}

fn flash_of(headers: &HeaderMap) -> Option<String> {
    let raw = cookie(headers, FLASH_COOKIE)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).ok()?;
    pairs.into_iter().find(|(k, _)| k == "m").map(|(_, v)| v)
}

/// A redirect that leaves `message` for the next page.
pub(crate) fn redirect_with(to: &str, message: &str) -> Response {
    let value = serde_urlencoded::to_string([("m", message)]).unwrap_or_default();
    let cookie = format!("{FLASH_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/console");
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

/// Where the sign-in page sends a person back to: a console path only.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/console") && !n.starts_with("/console/login") => n.into(),
        _ => "/console".into(),
    }
}

impl FromRequestParts<Arc<AppState>> for Staff {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Staff, Response> {
        let session = session_token(&parts.headers).map(|token| state.app.session(&token));
        match session {
            Some(Ok((who @ Principal::User { .. }, csrf))) => {
                let Principal::User { username, role, .. } = &who else {
                    unreachable!("matched a user above");
                };
                let station = state
                    .app
                    .station_of(&who)
                    .map_err(|e| Failure::from(e).into_response())?;
                Ok(Staff {
                    username: username.clone(),
                    role: *role,
                    station,
                    csrf,
                    flash: flash_of(&parts.headers),
                    who,
                })
            }
            Some(Err(e)) if !matches!(e, AppError::Unauthenticated) => {
                Err(Failure::from(e).into_response())
            }
            // No session, an expired one, or a terminal's: sign in first, then come back.
            _ => {
                let back = if parts.method == Method::GET {
                    parts
                        .uri
                        .path_and_query()
                        .map_or("/console", |p| p.as_str())
                } else {
                    "/console"
                };
                let to = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
                Err(Redirect::to(&format!("/console/login?{to}")).into_response())
            }
        }
    }
}

/// A posted console form: the signed-in person, and the fields once the form's CSRF token
/// matched the session's. A form without it (or with another session's) is refused with
/// the 403 page before any use case runs.
pub(crate) struct StaffForm<T> {
    pub staff: Staff,
    pub fields: T,
    /// The fields as posted, to show them again beside an error.
    pub raw: BTreeMap<String, String>,
}

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for StaffForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let Form(pairs): Form<Vec<(String, String)>> = Form::from_request(req, state)
            .await
            .map_err(|e| Failure::from(AppError::invalid("form", e.body_text())).into_response())?;
        let given = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str());
        if !fucai_app::same_digest(given, &staff.csrf) {
            return Err(Failure::csrf(&staff).into_response());
        }
        let raw: BTreeMap<String, String> =
            pairs.into_iter().filter(|(k, _)| k != "csrf").collect();
        let encoded = serde_urlencoded::to_string(&raw).unwrap_or_default();
        let fields = serde_urlencoded::from_str(&encoded)
            .map_err(|e| Failure::from(AppError::invalid("form", e)).into_response())?;
        Ok(StaffForm { staff, fields, raw })
    }
}

/// An uploaded file of a posted multipart form.
pub(crate) struct UploadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A posted multipart console form (files beside fields), once its CSRF token matched the
/// session's; a form without it is refused with the 403 page before any use case runs.
pub(crate) struct StaffUpload {
    pub staff: Staff,
    /// The text fields as posted.
    pub raw: BTreeMap<String, String>,
    /// The files chosen, by field name (an empty file input is left out).
    pub files: BTreeMap<String, UploadedFile>,
}

impl FromRequest<Arc<AppState>> for StaffUpload {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let bad = |e: String| {
            Failure::from(AppError::invalid("file", e))
                .for_staff(&staff)
                .into_response()
        };
        let mut multipart =
            axum::extract::Multipart::from_request(Request::from_parts(parts, body), state)
                .await
                .map_err(|e| bad(e.body_text()))?;
        let (mut raw, mut files) = (BTreeMap::new(), BTreeMap::new());
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| bad(e.body_text()))?
        {
            let Some(name) = field.name().map(str::to_string) else {
                continue;
            };
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
                    if !bytes.is_empty() {
                        files.insert(
                            name,
                            UploadedFile {
                                name: file_name,
                                bytes: bytes.to_vec(),
                            },
                        );
                    }
                }
                None => {
                    let value = field.text().await.map_err(|e| bad(e.body_text()))?;
                    raw.insert(name, value);
                }
            }
        }
        let given = raw.remove("csrf").unwrap_or_default();
        if !fucai_app::same_digest(&given, &staff.csrf) {
            return Err(Failure::csrf(&staff).into_response());
        }
        Ok(StaffUpload { staff, raw, files })
    }
}
