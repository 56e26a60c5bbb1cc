//! A socket that reconnects: backoff with jitter, a close policy, a send queue and a heartbeat,
//! on top of [`WebSocket`](crate::WebSocket).

pub(crate) mod backoff;
pub(crate) mod builder;
pub(crate) mod connection;
pub(crate) mod control;
pub(crate) mod driver;
pub(crate) mod event;
pub(crate) mod event_log;
pub(crate) mod event_stream;
pub(crate) mod heartbeat;
pub(crate) mod inbox;
pub(crate) mod jitter;
pub(crate) mod peer_watch;
pub(crate) mod retries;
pub(crate) mod running;
pub(crate) mod send_queue;
pub(crate) mod sender;
pub(crate) mod sending;
pub(crate) mod session;
pub(crate) mod socket;
pub(crate) mod state;
pub(crate) mod status;
pub(crate) mod try_send_error;
pub(crate) mod update;
pub(crate) mod updates;

pub use backoff::Backoff;
pub use builder::ReconnectBuilder;
pub use event::ReconnectEvent;
pub use event_stream::ReconnectEvents;
pub use heartbeat::Heartbeat;
pub use jitter::Jitter;
pub use send_queue::QueuePolicy;
pub use sender::ReconnectSender;
pub use socket::ReconnectingSocket;
pub use status::ReconnectStatus;
pub use try_send_error::TrySendError;
pub use update::SocketUpdate;
pub use updates::SocketUpdates;

#[cfg(feature = "test-util")]
pub use running::{drivers_down_to, running_drivers};
