//! gazette-lsp: the language server, a thin adapter between tower-lsp-server and gazette-core.
//!
//! Protocol types stop here: handlers convert LSP positions to byte offsets, call the core and
//! convert the results back, in the position encoding negotiated at initialization.
#![deny(clippy::print_stdout, clippy::print_stderr)]
