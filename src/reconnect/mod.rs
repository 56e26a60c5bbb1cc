//! A socket that reconnects: backoff with jitter, a close policy, a send queue and a heartbeat,
//! on top of [`WebSocket`](crate::WebSocket).

mod backoff;
mod builder;
mod driver;
mod event;
mod event_stream;
mod heartbeat;
mod online;
mod send_queue;
mod session;
mod socket;

pub use backoff::Backoff;
pub use builder::ReconnectBuilder;
pub use event::ReconnectEvent;
pub use event_stream::ReconnectEvents;
pub use heartbeat::Heartbeat;
pub use send_queue::QueuePolicy;
pub use socket::ReconnectingSocket;

#[cfg(feature = "test-util")]
pub use online::force_online;
