//! A socket that reconnects: backoff with jitter, a close policy, a send queue and a heartbeat,
//! on top of [`WebSocket`](crate::WebSocket).

pub(crate) mod backoff;
pub(crate) mod builder;
pub(crate) mod connection;
pub(crate) mod driver;
pub(crate) mod events;
pub(crate) mod handle;
pub(crate) mod handshake;
pub(crate) mod heartbeat;
pub(crate) mod requester;
pub(crate) mod session;
pub(crate) mod socket;
pub(crate) mod subscription;

pub use backoff::{Backoff, Jitter};
pub use builder::ReconnectBuilder;
pub use events::{ReconnectEvent, ReconnectStatus};
pub use handle::ReconnectHandle;
pub use handshake::{Handshake, HandshakeIo};
pub use heartbeat::Heartbeat;
pub use requester::Requester;
pub use session::QueuePolicy;
pub use socket::{ReconnectEvents, ReconnectingSocket};
pub use subscription::Subscription;
