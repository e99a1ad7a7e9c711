//! The load generator's HTTP/1.1 client: one keep-alive connection per simulated terminal,
//! each request written in one piece and its answer parsed with `httparse`. It shares this
//! machine's cores with the server it measures, so it does no more than a terminal must:
//! no pool, no URL parsing, no header maps per request.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Most bytes an answer may take (a sale's answer is well under 1 KiB).
const MAX_ANSWER: usize = 64 * 1024;

pub struct LoadClient {
    stream: TcpStream,
    /// "host: …\r\nauthorization: …\r\n", the same for every request.
    fixed_headers: String,
    request: Vec<u8>,
    answer: Vec<u8>,
}

/// An answer: its status code and body.
pub struct Answer<'a> {
    pub status: u16,
    pub body: &'a [u8],
}

impl LoadClient {
    pub async fn connect(addr: &str, authorization: &str) -> std::io::Result<LoadClient> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(LoadClient {
            stream,
            fixed_headers: format!("host: {addr}\r\nauthorization: {authorization}\r\n"),
            request: Vec::with_capacity(512),
            answer: Vec::with_capacity(4096),
        })
    }

    /// POSTs a JSON body to `path` and reads the whole answer.
    pub async fn post_json(&mut self, path: &str, body: &str) -> Result<Answer<'_>, String> {
        self.request.clear();
        self.request.extend_from_slice(
            format!(
                "POST {path} HTTP/1.1\r\n{}content-type: application/json\r\ncontent-length: {}\r\n\r\n",
                self.fixed_headers,
                body.len()
            )
            .as_bytes(),
        );
        self.request.extend_from_slice(body.as_bytes());
        self.stream
            .write_all(&self.request)
            .await
            .map_err(|e| format!("sending: {e}"))?;
        self.answer.clear();
        let (status, head_len, body_len) = loop {
            self.read_more().await?;
            if let Some(parsed) = parse_head(&self.answer)? {
                break parsed;
            }
        };
        while self.answer.len() < head_len + body_len {
            self.read_more().await?;
        }
        Ok(Answer {
            status,
            body: &self.answer[head_len..head_len + body_len],
        })
    }

    /// Appends what the server has sent since the last read.
    async fn read_more(&mut self) -> Result<(), String> {
        if self.answer.len() >= MAX_ANSWER {
            return Err(format!("an answer over {MAX_ANSWER} bytes"));
        }
        let mut chunk = [0u8; 4096];
        let n = self
            .stream
            .read(&mut chunk)
            .await
            .map_err(|e| format!("receiving: {e}"))?;
        if n == 0 {
            return Err("the server closed the connection".into());
        }
        self.answer.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

/// (status, head length, body length) once the head is complete.
fn parse_head(bytes: &[u8]) -> Result<Option<(u16, usize, usize)>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(format!("a malformed answer: {e}")),
    };
    let status = response.code.unwrap_or(0);
    let body_len = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse().ok())
        .ok_or("an answer without content-length")?;
    Ok(Some((status, head_len, body_len)))
}
