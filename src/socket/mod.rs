//! One browser `WebSocket`, whole: [`WebSocket`](websocket::WebSocket) and its
//! [`Builder`](builder::Builder), the state its handles share and the listeners that feed it
//! (`shared`), the ordered receive queue (`receive`), sending and waiting for the browser's
//! buffer to drain (`send`), lifecycle events (`events`), the close handle, the URL and
//! subprotocol checks, and the faults for which the crate closes a connection itself.

pub(crate) mod builder;
pub(crate) mod close_handle;
pub(crate) mod events;
pub(crate) mod fault;
pub(crate) mod receive;
pub(crate) mod send;
pub(crate) mod shared;
pub(crate) mod url;
pub(crate) mod websocket;
