//! The real `gazette serve` binary indexing more documents than its reader may keep waiting for
//! the analysis worker (2,048), on a rayon pool as small as CI's: a regression test for the
//! session 3 deadlock, where readers paused inside rayon's pool kept the worker, which
//! summarises on the same pool, from ever catching up.

use gazette_tests::TempDir;
use gazette_tests::lsp_client::{LspClient, editor_capabilities, initialize_params};
use serde_json::json;

const PARAGRAPH: &str = "Representatives of Da Nang and Daegu signed an agreement on tourism, \
                         trade and education at the city hall.";

#[tokio::test]
async fn indexing_more_documents_than_may_wait_finishes_on_a_small_pool() {
    let dir = TempDir::new();
    let documents = 6_000;
    for n in 0..documents {
        dir.write(
            &format!("d{}/{n:05}.txt", n % 16),
            format!("Opening line number {n}.\n\n{PARAGRAPH}\n"),
        );
    }
    for threads in ["1", "2"] {
        let mut command = tokio::process::Command::new(gazette_tests::gazette_binary());
        command
            .args(["serve", "--stdio"])
            .env("RAYON_NUM_THREADS", threads);
        let client = LspClient::spawn(command);
        client
            .initialize(initialize_params(
                editor_capabilities(),
                &[dir.path()],
                json!({"debounceMs": 0}),
            ))
            .await;
        // Hangs (and fails after the client's timeout) if the reader starves the worker.
        client.wait_for_indexing().await;
        // Every document but the first copy in corpus order got its GZ002 finding.
        let flagged: std::collections::BTreeSet<String> = client
            .notifications()
            .iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics")
            .filter(|m| {
                m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["code"] == "GZ002"))
            })
            .map(|m| m["params"]["uri"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(flagged.len(), documents - 1, "RAYON_NUM_THREADS={threads}");
        client.shutdown().await;
    }
}
