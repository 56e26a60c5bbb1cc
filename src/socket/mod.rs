//! One browser `WebSocket`: [`WebSocket`](crate::WebSocket) and its
//! [`Builder`](crate::Builder) are at the crate root; here are what they hand out besides: the
//! recorded lifecycle [`Events`] (with [`Builder::record_events`](crate::Builder::record_events))
//! and the [`CloseHandle`]; and, for every socket of a thread, where the worker that wakes
//! senders in a hidden page comes from ([`set_ticker_worker`], for pages under a CSP).

pub(crate) mod builder;
pub(crate) mod close_handle;
pub(crate) mod events;
pub(crate) mod fault;
pub(crate) mod receive;
pub(crate) mod send;
pub(crate) mod shared;
pub(crate) mod url;
pub(crate) mod websocket;

pub use crate::platform::ticker::{set_ticker_worker, TickerWorker};
pub use close_handle::CloseHandle;
pub use events::{Event, MessageKind};
pub use websocket::Events;
