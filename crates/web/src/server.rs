//! The connection layer under the router: HTTP/1.1 over TCP with the limits a public server
//! needs. A request head must arrive within [`ServeOptions::head_timeout`] (the same timer
//! closes a keep-alive connection that stays idle between requests), and at most
//! [`ServeOptions::max_connections`] connections are open at once: past the cap the server
//! stops accepting until one closes, so the process never runs out of file descriptors.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_service::Service;

/// Limits of the connection layer.
#[derive(Clone, Copy, Debug)]
pub struct ServeOptions {
    /// Longest wait for a complete request head, and for the next request on an idle
    /// keep-alive connection.
    pub head_timeout: Duration,
    /// Most connections open at once.
    pub max_connections: usize,
}

/// Connections kept free for the database, sealed files and logs under the descriptor limit.
const RESERVED_DESCRIPTORS: u64 = 256;
/// The cap when the descriptor limit allows it.
const DEFAULT_MAX_CONNECTIONS: usize = 8192;

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            head_timeout: Duration::from_secs(15),
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

impl ServeOptions {
    /// The default limits, with the connection cap below the process's descriptor limit
    /// (raised to its hard limit first) so that accepting never fails for lack of one.
    pub fn fitted_to_descriptor_limit() -> ServeOptions {
        let limit = raise_descriptor_limit();
        let fitting = limit.saturating_sub(RESERVED_DESCRIPTORS).max(16);
        ServeOptions {
            max_connections: DEFAULT_MAX_CONNECTIONS.min(fitting as usize),
            ..ServeOptions::default()
        }
    }
}

/// Raises the soft limit on open files to the hard limit; returns the soft limit in force.
pub fn raise_descriptor_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!("cannot raise the open-file limit: {e}");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    }
}

/// Accepts connections and serves `router` on each until the listener fails for good.
pub async fn serve_router(
    router: Router,
    listener: TcpListener,
    options: ServeOptions,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(options.head_timeout)
        .keep_alive(true);
    let http = Arc::new(http);
    loop {
        // Wait for a free slot before accepting: excess clients wait in the kernel's backlog.
        let slot = slots
            .clone()
            .acquire_owned()
            .await
            .expect("the connection semaphore is never closed");
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) if is_per_connection(&e) => continue,
            Err(e) => {
                // Out of descriptors or memory: back off instead of spinning, keep serving.
                tracing::error!("accepting a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let http = http.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let mut router = router.clone();
                async move { Ok::<_, Infallible>(router.call(req).await.unwrap_or_else(|e| match e {})) }
            });
            if let Err(e) = http.serve_connection(TokioIo::new(stream), service).await {
                tracing::debug!(%peer, "connection closed: {e}");
            }
            drop(slot);
        });
    }
}

/// Errors that concern only the connection being accepted.
fn is_per_connection(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}
