//! A guard in front of tower-lsp-server's reader that keeps one bad message from ending the
//! session.
//!
//! tower-lsp-server decodes the input with a `tokio_util` codec, and a decoding error (a body
//! that is not JSON, not UTF-8, or not a JSON-RPC message) terminates the input stream: the
//! server would stop reading and the editor would lose the session. This guard reads the framing
//! itself and forwards well-formed messages untouched. A malformed body is replaced by a request
//! to [`PARSE_ERROR_METHOD`] or [`INVALID_REQUEST_METHOD`] whose handler answers with the
//! JSON-RPC error the specification asks for (`-32700` with a null id, `-32600` with the
//! message's id when it has a usable one). Bytes that do not even look like a header are skipped
//! up to the next `Content-Length`, even in the middle of a line (after a lying length).

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Error, Request, Response, Result};

/// The internal method that answers a body that is not JSON.
pub const PARSE_ERROR_METHOD: &str = "gazette/internal/parseError";
/// The internal method that answers JSON that is not a JSON-RPC message.
pub const INVALID_REQUEST_METHOD: &str = "gazette/internal/invalidRequest";

/// Largest body accepted; anything bigger is answered as a parse error and skipped.
const MAX_BODY: usize = 256 * 1024 * 1024;

/// The handler behind [`PARSE_ERROR_METHOD`].
pub fn parse_error(params: Value) -> Result<()> {
    let mut error = Error::parse_error();
    error.data = Some(params);
    Err(error)
}

/// The handler behind [`INVALID_REQUEST_METHOD`].
pub fn invalid_request(params: Value) -> Result<()> {
    let mut error = Error::invalid_request();
    error.data = Some(params);
    Err(error)
}

/// Copies framed messages from `input` to `output`, replacing malformed ones, until `input`
/// ends or `output` is closed.
pub async fn sanitize<I, O>(input: I, mut output: O)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(input);
    loop {
        let content_length = match read_headers(&mut reader).await {
            Headers::Length(length) => length,
            Headers::Garbage => continue,
            Headers::End => break,
        };
        let body = if content_length > MAX_BODY {
            // Drain the body without keeping it.
            let mut limited = (&mut reader).take(content_length as u64);
            if tokio::io::copy(&mut limited, &mut tokio::io::sink())
                .await
                .is_err()
            {
                break;
            }
            replacement(PARSE_ERROR_METHOD, Value::Null, "message too large")
        } else {
            let mut body = vec![0; content_length];
            if reader.read_exact(&mut body).await.is_err() {
                break;
            }
            check(body)
        };
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
            || output.flush().await.is_err()
        {
            break;
        }
    }
    let _ = output.shutdown().await;
}

enum Headers {
    Length(usize),
    Garbage,
    End,
}

/// Reads header lines up to the blank line. Header names are matched case-insensitively; a
/// header block without a usable `Content-Length` is garbage.
async fn read_headers<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Headers {
    let mut content_length = None;
    let mut saw_line = false;
    loop {
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return Headers::End,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !saw_line {
                // Stray blank lines between messages are tolerated.
                continue;
            }
            return content_length.map_or(Headers::Garbage, Headers::Length);
        }
        saw_line = true;
        // After a body whose Content-Length lied, the next header is glued to the rest of that
        // body (`…"}Content-Length: 52`): look for the header anywhere in the line, so that one
        // lying message costs one message, not every message after it.
        if let Some(at) = line.to_ascii_lowercase().find("content-length:") {
            content_length = line[at + "content-length:".len()..].trim().parse().ok();
        }
    }
}

/// Returns the body unchanged when tower-lsp-server can decode it, or a replacement request.
fn check(body: Vec<u8>) -> Vec<u8> {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => {
            return replacement(PARSE_ERROR_METHOD, Value::Null, &error.to_string());
        }
    };
    let decodable = serde_json::from_value::<Request>(value.clone()).is_ok()
        || serde_json::from_value::<Response>(value.clone()).is_ok();
    if decodable {
        return body;
    }
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    replacement(INVALID_REQUEST_METHOD, id, "not a JSON-RPC 2.0 message")
}

fn replacement(method: &str, id: Value, reason: &str) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": {"reason": reason}})
        .to_string()
        .into_bytes()
}
