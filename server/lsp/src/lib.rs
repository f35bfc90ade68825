//! gazette-lsp: the language server, a thin adapter between tower-lsp-server and gazette-core.
//!
//! Protocol types stop here: handlers convert LSP positions to byte offsets, call the core and
//! convert the results back, in the position encoding negotiated at initialization.
//!
//! Code map:
//! - [`OrderedService`] wraps tower-lsp-server's service and applies document notifications to
//!   the [`state`] in wire order, before the framework runs handlers concurrently;
//! - [`analysis`] is the single worker that feeds the core and publishes diagnostics;
//! - [`indexer`] reads every workspace folder in the background at start-up;
//! - [`handlers`] has one file per LSP method, [`ext`] the custom `gazette/*` requests;
//! - [`convert`] is the only module that knows about position encodings.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
pub mod capabilities;
pub mod convert;
pub mod entities;
pub mod ext;
pub mod handlers;
pub mod indexer;
pub mod review;
pub mod session;
pub mod settings;
pub mod state;
pub mod transport;
pub mod user_gazetteer;

use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::jsonrpc::{Request, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::session::Session;

/// How many requests tower-lsp-server may run at once. Well above the default of 4, so that slow
/// requests (a workspace diagnostic report over a large corpus) never starve `$/cancelRequest`
/// or `shutdown`; ordering does not depend on it because document changes are applied in
/// [`OrderedService::call`].
pub const CONCURRENCY_LEVEL: usize = 64;

/// The `LanguageServer` implementation: every method delegates to its file in [`handlers`].
#[derive(Debug)]
pub struct Backend {
    session: Arc<Session>,
}

impl Backend {
    /// The shared session.
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    async fn document_text(
        &self,
        params: ext::DocumentTextParams,
    ) -> Result<ext::DocumentTextResult> {
        ext::document_text(&self.session, params)
    }

    async fn parse_error(&self, params: serde_json::Value) -> Result<()> {
        transport::parse_error(params)
    }

    async fn invalid_request(&self, params: serde_json::Value) -> Result<()> {
        transport::invalid_request(params)
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        handlers::initialize::handle(&self.session, params)
    }

    async fn initialized(&self, _: InitializedParams) {
        handlers::initialized::handle(&self.session).await;
    }

    async fn shutdown(&self) -> Result<()> {
        handlers::shutdown::handle(&self.session);
        Ok(())
    }

    // Document notifications were applied by `OrderedService::call`; nothing is left to do here
    // (but for saves, below).
    async fn did_open(&self, _: DidOpenTextDocumentParams) {}
    async fn did_change(&self, _: DidChangeTextDocumentParams) {}
    async fn did_close(&self, _: DidCloseTextDocumentParams) {}
    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // The state saw the save in wire order; what is left is writing refreshed annotations.
        handlers::did_save::handle(&self.session, params).await;
    }
    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {}

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        handlers::did_change_workspace_folders::handle(&self.session, params);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        handlers::did_change_configuration::handle(&self.session, params).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        handlers::diagnostic::handle(&self.session, params).await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        handlers::workspace_diagnostic::handle(&self.session, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::handle(&self.session, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        handlers::hover::handle(&self.session, params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        handlers::goto_definition::handle(&self.session, params).await
    }

    async fn goto_declaration(
        &self,
        params: request::GotoDeclarationParams,
    ) -> Result<Option<request::GotoDeclarationResponse>> {
        handlers::goto_declaration::handle(&self.session, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        handlers::references::handle(&self.session, params).await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        handlers::document_highlight::handle(&self.session, params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        handlers::document_symbol::handle(&self.session, params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        handlers::workspace_symbol::handle(&self.session, params).await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        handlers::semantic_tokens::full(&self.session, params).await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        handlers::semantic_tokens::full_delta(&self.session, params).await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        handlers::semantic_tokens::range(&self.session, params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        handlers::inlay_hint::handle(&self.session, params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        handlers::execute_command::handle(&self.session, params).await
    }
}

/// The service the transport drives: tower-lsp-server's service behind a layer that applies
/// document notifications synchronously, in the order the transport calls `call` (wire order).
pub struct OrderedService {
    inner: LspService<Backend>,
    session: Arc<Session>,
}

impl tower_service::Service<Request> for OrderedService {
    type Response = <LspService<Backend> as tower_service::Service<Request>>::Response;
    type Error = <LspService<Backend> as tower_service::Service<Request>>::Error;
    type Future = <LspService<Backend> as tower_service::Service<Request>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        handlers::apply_in_order(&self.session, request.method(), request.params());
        self.inner.call(request)
    }
}

/// Builds the service and the client socket, for a transport of the caller's choosing.
pub fn build_service() -> (OrderedService, tower_lsp_server::ClientSocket) {
    let (service, socket) = LspService::build(|client: Client| Backend {
        session: Arc::new(Session::new(client)),
    })
    .custom_method(ext::DOCUMENT_TEXT_METHOD, Backend::document_text)
    .custom_method(transport::PARSE_ERROR_METHOD, Backend::parse_error)
    .custom_method(transport::INVALID_REQUEST_METHOD, Backend::invalid_request)
    .finish();
    let session = Arc::clone(service.inner().session());
    (
        OrderedService {
            inner: service,
            session,
        },
        socket,
    )
}

/// Serves one client over the given streams until it exits or disappears. Needs a tokio runtime
/// with a blocking pool (analysis runs in `spawn_blocking`).
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite,
{
    let (guarded_input, guard_output) = tokio::io::duplex(1 << 16);
    let (input_ended, input_ended_rx) = tokio::sync::oneshot::channel::<()>();
    let guard = tokio::spawn(async move {
        transport::sanitize(input, guard_output).await;
        let _ = input_ended.send(());
    });
    let (service, socket) = build_service();
    let session = Arc::clone(&service.session);
    let worker = tokio::spawn(analysis::run_worker(Arc::clone(&session)));
    let tagger = tokio::spawn(entities::run_tagger(Arc::clone(&session)));
    let server = Server::new(guarded_input, output, socket)
        .concurrency_level(CONCURRENCY_LEVEL)
        .serve(service);
    // A client that disappears without `exit` may leave handlers waiting forever for answers to
    // the server's own requests (`workspace/configuration`, progress creation). Once the input
    // has ended, in-flight work gets a short grace period to send its last answers, then the
    // session ends instead of hanging.
    let client_gone = async {
        if input_ended_rx.await.is_ok() {
            tokio::time::sleep(INPUT_END_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = server => {}
        () = client_gone => tracing::warn!("the client went away without exiting; stopping"),
    }
    // The client exited or went away: stop the background work instead of analysing for nobody.
    session.shut_down();
    worker.abort();
    tagger.abort();
    guard.abort();
}

/// How long in-flight requests may still run after the client closed the connection.
const INPUT_END_GRACE: std::time::Duration = std::time::Duration::from_secs(1);
