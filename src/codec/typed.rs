//! `Typed`: a socket that sends and receives the values of a [`Codec`].

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::FusedStream;
use futures::{Sink, Stream};

use crate::codec::Codec;
use crate::error::Error;
use crate::message::Message;
use crate::socket::websocket::WebSocket;

/// A socket that sends and receives typed values through a [`Codec`] (its `Outgoing` and
/// `Incoming` types); made by
/// [`WebSocket::typed`] or [`ReconnectingSocket::typed`](crate::ReconnectingSocket::typed). A message that fails to decode is an [`Error::Decode`] item and the
/// stream goes on; connection errors end it as they end the socket's.
///
/// ```no_run
/// # #[cfg(feature = "json")]
/// # async fn run() -> Result<(), wasm_websocket::Error> {
/// use futures::{SinkExt, StreamExt};
/// use wasm_websocket::{Json, WebSocket};
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Chat { from: String, text: String }
///
/// let mut chat = WebSocket::connect("/chat").await?.typed(Json::<Chat>::new());
/// chat.send(Chat { from: "me".into(), text: "hi".into() }).await?;
/// while let Some(item) = chat.next().await {
///     match item {
///         Ok(msg) => println!("{}: {}", msg.from, msg.text),
///         Err(e) => eprintln!("skipped: {e}"),
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a socket is closed when dropped"]
pub struct Typed<C, S = WebSocket> {
    socket: S,
    codec: C,
}

impl WebSocket {
    /// Wraps the socket so that it sends `C::Outgoing` and receives `C::Incoming`.
    ///
    /// ```no_run
    /// # #[cfg(feature = "json")]
    /// # fn f(ws: wasm_websocket::WebSocket) {
    /// let typed = ws.typed(wasm_websocket::Json::<serde_json::Value>::new());
    /// # }
    /// ```
    pub fn typed<C: Codec>(self, codec: C) -> Typed<C> {
        Typed::new(self, codec)
    }
}

impl<C, S> Typed<C, S> {
    pub(crate) fn new(socket: S, codec: C) -> Typed<C, S> {
        Typed { socket, codec }
    }

    /// The socket underneath, for closing, state and raw sends.
    ///
    /// ```no_run
    /// # #[cfg(feature = "json")]
    /// # fn f(typed: wasm_websocket::Typed<wasm_websocket::Json<u8>>) -> Result<(), wasm_websocket::Error> {
    /// typed.socket().close()?;
    /// # Ok(()) }
    /// ```
    pub fn socket(&self) -> &S {
        &self.socket
    }

    /// Unwraps the socket.
    ///
    /// ```no_run
    /// # #[cfg(feature = "json")]
    /// # fn f(typed: wasm_websocket::Typed<wasm_websocket::Json<u8>>) {
    /// let ws: wasm_websocket::WebSocket = typed.into_inner();
    /// # }
    /// ```
    pub fn into_inner(self) -> S {
        self.socket
    }
}

impl<C, S> Stream for Typed<C, S>
where
    C: Codec + Unpin,
    S: Stream<Item = Result<Message, Error>> + Unpin,
{
    type Item = Result<C::Incoming, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        Pin::new(&mut this.socket)
            .poll_next(cx)
            .map(|item| item.map(|message| this.codec.decode(message?)))
    }
}

impl<C, S> FusedStream for Typed<C, S>
where
    C: Codec + Unpin,
    S: FusedStream<Item = Result<Message, Error>> + Unpin,
{
    fn is_terminated(&self) -> bool {
        self.socket.is_terminated()
    }
}

impl<C, S> Sink<C::Outgoing> for Typed<C, S>
where
    C: Codec + Unpin,
    S: Sink<Message, Error = Error> + Unpin,
{
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Pin::new(&mut self.get_mut().socket).poll_ready(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: C::Outgoing) -> Result<(), Error> {
        let this = self.get_mut();
        let message = this.codec.encode(&item)?;
        Pin::new(&mut this.socket).start_send(message)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Pin::new(&mut self.get_mut().socket).poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Pin::new(&mut self.get_mut().socket).poll_close(cx)
    }
}
