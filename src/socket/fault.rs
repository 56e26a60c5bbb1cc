//! `Fault`: why the crate closed a connection itself, kept as the few numbers that say it.
//!
//! The stream, the sink and `connect` all report the same fault, each as its own [`Error`]:
//! made from these on demand rather than cloned from a stored `Error`, whose `Clone` (every
//! variant's strings, a nested `GiveUpReason`) an app would otherwise link.

use crate::close::CloseCode;
use crate::error::Error;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Fault {
    /// The server selected none of the requested subprotocols.
    NotNegotiated,
    /// More messages arrived unread than the receive limit.
    ReceiveBufferFull { limit: usize },
    /// A message was over the size limit.
    MessageTooLarge { size: u64, limit: u64 },
}

impl Fault {
    /// The code and reason the crate closes the connection with.
    pub(crate) fn close(self) -> (CloseCode, &'static str) {
        match self {
            Fault::NotNegotiated => (CloseCode::NORMAL, "subprotocol not negotiated"),
            Fault::ReceiveBufferFull { .. } => {
                (CloseCode::RECEIVE_BUFFER_FULL, "receive buffer full")
            }
            Fault::MessageTooLarge { .. } => (CloseCode::MESSAGE_TOO_LARGE, "message too large"),
        }
    }

    /// The error it is reported as; `refusal` is the subprotocols' (made again rather than kept).
    pub(crate) fn error(self, refusal: impl FnOnce() -> Option<Error>) -> Error {
        match self {
            // Never `None`: the fault is set where the refusal is `Some`.
            Fault::NotNegotiated => refusal().unwrap_or(Error::ProtocolNotNegotiated {
                requested: Vec::new(),
                selected: String::new(),
            }),
            Fault::ReceiveBufferFull { limit } => Error::ReceiveBufferFull { limit },
            Fault::MessageTooLarge { size, limit } => Error::MessageTooLarge { size, limit },
        }
    }
}
