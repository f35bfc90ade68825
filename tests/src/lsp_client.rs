//! A small LSP client for tests: drives `gazette serve` in-process over `tokio::io::duplex` or as
//! a child process over stdio, answers the server's own requests, and records notifications.
//!
//! The client speaks raw JSON (`serde_json::Value`) rather than typed messages, so that tests
//! read like the wire protocol and can also send malformed input.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot, watch};

/// How long a test waits for any single message before failing.
pub const TIMEOUT: Duration = Duration::from_secs(90);

type Pending = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;

/// A connected client.
pub struct LspClient {
    outgoing: mpsc::UnboundedSender<Vec<u8>>,
    pending: Pending,
    notifications: Arc<Mutex<Vec<Value>>>,
    server_requests: Arc<Mutex<Vec<Value>>>,
    received: watch::Receiver<usize>,
    next_id: Mutex<i64>,
    /// Answers to `workspace/configuration` requests (one value per requested item).
    pub configuration: Arc<Mutex<Value>>,
    server_task: Option<tokio::task::JoinHandle<()>>,
    child: Option<tokio::process::Child>,
}

/// Frames a JSON-RPC message with its `Content-Length` header.
pub fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{}", body.len(), body).into_bytes()
}

/// A `file://` URI for a path, spelled the way the server normalises it.
pub fn file_uri(path: &Path) -> String {
    tower_lsp_server::ls_types::Uri::from_file_path(path)
        .expect("absolute path")
        .as_str()
        .to_owned()
}

impl LspClient {
    /// Starts the server in this process, connected through in-memory pipes.
    pub fn in_process() -> LspClient {
        // One pipe per direction, so that dropping the client's writer is an end of input for
        // the server even while the client still reads.
        let (client_write, server_read) = tokio::io::duplex(1 << 20);
        let (server_write, client_read) = tokio::io::duplex(1 << 20);
        let server_task = tokio::spawn(gazette_lsp::serve(server_read, server_write));
        let mut client = LspClient::connect(client_read, client_write);
        client.server_task = Some(server_task);
        client
    }

    /// Starts a server process (for example `gazette serve --stdio`) and talks over its stdio.
    pub fn spawn(mut command: tokio::process::Command) -> LspClient {
        command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("server process starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut client = LspClient::connect(stdout, stdin);
        client.child = Some(child);
        client
    }

    /// The child process, when the server runs as one.
    pub fn child(&mut self) -> Option<&mut tokio::process::Child> {
        self.child.as_mut()
    }

    fn connect<R, W>(read: R, mut write: W) -> LspClient
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (outgoing, mut outgoing_rx) = mpsc::unbounded_channel::<Vec<u8>>();
        tokio::spawn(async move {
            while let Some(bytes) = outgoing_rx.recv().await {
                if write.write_all(&bytes).await.is_err() || write.flush().await.is_err() {
                    break;
                }
            }
        });
        let pending: Pending = Arc::default();
        let notifications: Arc<Mutex<Vec<Value>>> = Arc::default();
        let server_requests: Arc<Mutex<Vec<Value>>> = Arc::default();
        let configuration = Arc::new(Mutex::new(Value::Null));
        let (received_tx, received) = watch::channel(0usize);
        {
            let pending = Arc::clone(&pending);
            let notifications = Arc::clone(&notifications);
            let server_requests = Arc::clone(&server_requests);
            let configuration = Arc::clone(&configuration);
            // A weak handle: the connection must close when the test drops the client, even
            // while this task is still reading.
            let outgoing = outgoing.downgrade();
            tokio::spawn(async move {
                let mut reader = BufReader::new(read);
                while let Some(message) = read_message(&mut reader).await {
                    let id = message.get("id").cloned();
                    let method = message
                        .get("method")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    match (id, method) {
                        (Some(id), Some(method)) => {
                            let result = match method.as_str() {
                                "workspace/configuration" => {
                                    let items =
                                        message["params"]["items"].as_array().map_or(0, Vec::len);
                                    let value = configuration.lock().unwrap().clone();
                                    Value::Array(vec![value; items])
                                }
                                _ => Value::Null,
                            };
                            server_requests.lock().unwrap().push(message.clone());
                            let response = json!({"jsonrpc": "2.0", "id": id, "result": result});
                            if let Some(outgoing) = outgoing.upgrade() {
                                let _ = outgoing.send(frame(&response.to_string()));
                            }
                        }
                        (None, Some(_)) => notifications.lock().unwrap().push(message),
                        (Some(id), None) => {
                            let sender = id
                                .as_i64()
                                .and_then(|id| pending.lock().unwrap().remove(&id));
                            match sender {
                                Some(sender) => {
                                    let _ = sender.send(message);
                                }
                                None => notifications.lock().unwrap().push(message),
                            }
                        }
                        (None, None) => notifications.lock().unwrap().push(message),
                    }
                    received_tx.send_modify(|count| *count += 1);
                }
            });
        }
        LspClient {
            outgoing,
            pending,
            notifications,
            server_requests,
            received,
            next_id: Mutex::new(0),
            configuration,
            server_task: None,
            child: None,
        }
    }

    /// Sends raw bytes (for malformed-input tests).
    pub fn send_raw(&self, bytes: Vec<u8>) {
        let _ = self.outgoing.send(bytes);
    }

    /// Sends a notification.
    pub fn notify(&self, method: &str, params: Value) {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(frame(&message.to_string()));
    }

    /// Sends a request and returns the whole response message (`result` or `error`).
    pub async fn request_raw(&self, method: &str, params: Value) -> Value {
        let id = {
            let mut next = self.next_id.lock().unwrap();
            *next += 1;
            *next
        };
        let (sender, receiver) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, sender);
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(frame(&message.to_string()));
        tokio::time::timeout(TIMEOUT, receiver)
            .await
            .unwrap_or_else(|_| panic!("no response to {method} within {TIMEOUT:?}"))
            .expect("server still connected")
    }

    /// Sends a request and returns its `result`, panicking on an error response.
    pub async fn request(&self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params).await;
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// `initialize` then `initialized`, returning the `initialize` result.
    pub async fn initialize(&self, params: Value) -> Value {
        let result = self.request("initialize", params).await;
        self.notify("initialized", json!({}));
        result
    }

    /// Opens a document.
    pub fn open(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": version, "text": text}}),
        );
    }

    /// Sends one incremental change.
    pub fn change(&self, uri: &str, version: i32, range: Value, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": range, "text": text}]
            }),
        );
    }

    /// Every notification received so far.
    pub fn notifications(&self) -> Vec<Value> {
        self.notifications.lock().unwrap().clone()
    }

    /// Every request the server sent to the client so far.
    pub fn server_requests(&self) -> Vec<Value> {
        self.server_requests.lock().unwrap().clone()
    }

    /// Waits until `find` returns something over the notifications received so far.
    pub async fn wait_for<T>(&self, what: &str, find: impl Fn(&[Value]) -> Option<T>) -> T {
        self.wait_for_within(what, TIMEOUT, find).await
    }

    /// Like [`Self::wait_for`], with another timeout (the benchmark's workspaces take longer on
    /// a loaded machine).
    pub async fn wait_for_within<T>(
        &self,
        what: &str,
        timeout: std::time::Duration,
        find: impl Fn(&[Value]) -> Option<T>,
    ) -> T {
        let mut received = self.received.clone();
        let deadline = tokio::time::Instant::now() + timeout;
        // `find` looks at the list under the lock: copying every notification on each wake-up
        // made waiting quadratic on a large workspace (and slowed the benchmark it measures).
        let find_now = || find(&self.notifications.lock().unwrap());
        loop {
            if let Some(found) = find_now() {
                return found;
            }
            match tokio::time::timeout_at(deadline, received.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) => {
                    if let Some(found) = find_now() {
                        return found;
                    }
                    panic!("server disconnected while waiting for {what}");
                }
                Err(_) => panic!(
                    "timed out waiting for {what}; notifications: {:#?}",
                    self.notifications()
                ),
            }
        }
    }

    /// Waits for a `publishDiagnostics` for `uri` that satisfies `accept`, and returns its
    /// diagnostics. Only notifications after the first `skip` ones are considered, so that a
    /// test can wait for a publication that follows an edit.
    pub async fn diagnostics_after(
        &self,
        skip: usize,
        uri: &str,
        accept: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        self.wait_for(&format!("diagnostics for {uri}"), |notifications| {
            notifications
                .iter()
                .skip(skip)
                .filter(|n| n["method"] == "textDocument/publishDiagnostics")
                .filter(|n| n["params"]["uri"] == uri)
                .map(|n| {
                    n["params"]["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .filter(|diagnostics| accept(diagnostics))
                .last()
        })
        .await
    }

    /// Waits until the server reports the end of its start-up indexing, and returns that
    /// `$/progress` notification.
    pub async fn wait_for_indexing(&self) -> Value {
        self.wait_for_indexing_within(TIMEOUT).await
    }

    /// Like [`Self::wait_for_indexing`], with another timeout.
    pub async fn wait_for_indexing_within(&self, timeout: std::time::Duration) -> Value {
        self.wait_for_within("indexing to finish", timeout, |messages| {
            messages
                .iter()
                .find(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end")
                .cloned()
        })
        .await
    }

    /// The number of notifications received so far (a marker for [`Self::diagnostics_after`]).
    pub fn notification_count(&self) -> usize {
        self.notifications.lock().unwrap().len()
    }

    /// The server's view of a document (`gazette/documentText`).
    pub async fn document_text(&self, uri: &str) -> Value {
        self.request("gazette/documentText", json!({"uri": uri}))
            .await
    }

    /// Closes the connection without `shutdown` or `exit`, as a crashed editor would, and
    /// waits for the in-process server to stop on its own.
    pub async fn disconnect(mut self) {
        let task = self.server_task.take().expect("an in-process server");
        drop(self);
        tokio::time::timeout(TIMEOUT, task)
            .await
            .expect("server stops when the client disappears")
            .expect("server task did not panic");
    }

    /// `shutdown` then `exit`.
    pub async fn shutdown(mut self) {
        self.request("shutdown", Value::Null).await;
        self.notify("exit", Value::Null);
        if let Some(task) = self.server_task.take() {
            tokio::time::timeout(TIMEOUT, task)
                .await
                .expect("server stops after exit")
                .expect("server task did not panic");
        }
        if let Some(mut child) = self.child.take() {
            let status = tokio::time::timeout(TIMEOUT, child.wait())
                .await
                .expect("server process exits after exit")
                .expect("wait for server process");
            assert!(status.success(), "server exited with {status}");
        }
    }
}

/// Reads one framed message, or `None` at the end of the stream.
async fn read_message<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

/// Client capabilities of a modern editor: UTF-16 and UTF-8 positions, push diagnostics with
/// related information, progress, dynamic file watchers and pulled configuration.
pub fn editor_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16", "utf-8"]},
        "window": {"workDoneProgress": true},
        "workspace": {
            "configuration": true,
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "workspaceFolders": true
        },
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": true},
            "synchronization": {"didSave": true}
        }
    })
}

/// `initialize` parameters for a set of workspace folders.
pub fn initialize_params(capabilities: Value, folders: &[&Path], options: Value) -> Value {
    let folders: Vec<Value> = folders
        .iter()
        .map(|path| json!({"uri": file_uri(path), "name": path.file_name().map(|n| n.to_string_lossy().into_owned())}))
        .collect();
    json!({
        "processId": null,
        "capabilities": capabilities,
        "workspaceFolders": folders,
        "initializationOptions": options,
    })
}
