//! Extractors whose rejections are JSON errors.

use axum::extract::FromRequest;
use axum::extract::FromRequestParts;

use crate::error::ApiError;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A raw upload (CSV or XLSX).
pub struct Upload(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Upload, ApiError> {
        axum::body::Bytes::from_request(req, state)
            .await
            .map(Upload)
            .map_err(ApiError::from)
    }
}

/// A list's `limit` parameter: `default` when absent, refused (400 naming `limit`) outside
/// 1..=`max`, so no request can ask for an unbounded list.
pub fn page_limit(given: Option<usize>, default: usize, max: usize) -> Result<usize, ApiError> {
    match given {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::invalid("limit", format!("from 1 to {max}"))),
    }
}
