//! A socket that reconnects: backoff with jitter, a close policy, a send queue and a heartbeat,
//! on top of [`WebSocket`](crate::WebSocket).

mod backoff;
mod builder;
mod connection;
mod control;
mod driver;
mod event;
mod event_log;
mod event_stream;
mod heartbeat;
mod inbox;
mod jitter;
mod online;
mod peer_watch;
mod retries;
mod running;
mod send_queue;
mod sender;
mod sending;
mod session;
mod socket;
mod state;
mod status;
mod try_send_error;
mod update;
mod updates;

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
pub use online::force_online;
#[cfg(feature = "test-util")]
pub use running::{drivers_down_to, running_drivers};
