//! `shutdown`: stop background work; later notifications are ignored until `exit`.

use std::sync::Arc;

use crate::session::Session;

/// Handles the request.
pub fn handle(session: &Arc<Session>) {
    session.state().initialized = false;
    session.shut_down();
}
