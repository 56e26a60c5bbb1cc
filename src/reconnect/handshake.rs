//! `Handshake`: what a reconnecting socket runs first on every connection, before anything the
//! app queued is sent: `connection_init` and its ack, a join, an auth message, "resume from
//! offset N". Until it ends the connection is not open to the app (the status says
//! connecting), so nothing sent meanwhile can overtake it.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use futures::{FutureExt, StreamExt};

use crate::close::{CloseCode, CloseEvent};
#[cfg(feature = "json")]
use crate::codec::json::GraphqlWs;
#[cfg(feature = "json")]
use crate::codec::Codec;
use crate::error::Error;
use crate::message::Message;
use crate::platform::timer::within;
use crate::socket::websocket::WebSocket;

type Exchange = Rc<dyn Fn(HandshakeIo) -> LocalBoxFuture<'static, Result<(), Error>>>;

/// What a [`ReconnectingSocket`](crate::ReconnectingSocket) runs first on every connection
/// (given to [`ReconnectBuilder::handshake`](crate::ReconnectBuilder::handshake)): messages to
/// send, or an exchange to await, before the messages queued while it was down. The queue is
/// sent only once it has succeeded; a handshake that fails, or does not end within its timeout
/// (10 s unless set), ends that connection with [`CloseCode::HANDSHAKE_FAILED`] (4904), unless
/// the peer closed it first, and the close policy decides what follows, as for any close.
/// Messages the handshake reads are its own: they never reach the message stream, unless it
/// [`keep`](HandshakeIo::keep)s them.
///
/// ```no_run
/// use wasm_websocket::{Error, Handshake, Message};
///
/// // graphql-transport-ws: `connection_init` first, then wait for `connection_ack`.
/// let init = Handshake::exchange(|mut io| async move {
///     io.send(Message::Text(r#"{"type":"connection_init"}"#.into()))?;
///     match io.next().await? {
///         Message::Text(t) if t.contains(r#""connection_ack""#) => Ok(()),
///         other => Err(Error::Handshake { reason: format!("expected an ack, got {other:?}") }),
///     }
/// });
/// // A chat server that wants `join` first, with nothing to wait for.
/// let join = Handshake::send(Message::Text("join #rust".into()));
/// ```
#[derive(Clone)]
#[must_use = "a handshake does nothing until given to a builder"]
pub struct Handshake {
    exchange: Exchange,
    timeout: Duration,
}

impl fmt::Debug for Handshake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handshake")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Handshake {
    /// The time a handshake has unless [`Handshake::timeout`] says otherwise.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

    /// Sends `message` first on every connection, and nothing to wait for.
    ///
    /// ```
    /// let join = wasm_websocket::Handshake::send(wasm_websocket::Message::Text("join".into()));
    /// ```
    pub fn send(message: Message) -> Handshake {
        Handshake::exchange(move |io| std::future::ready(io.send(message.clone())))
    }

    /// Runs `exchange` first on every connection, with the connection's [`HandshakeIo`]; the
    /// connection opens to the app when it returns `Ok`.
    ///
    /// # Errors
    ///
    /// What `exchange` returns ends the connection: [`Error::Handshake`] for the app's own
    /// reasons; [`Error::Closed`] from [`HandshakeIo::next`] when the peer closed it.
    ///
    /// ```
    /// use wasm_websocket::{Handshake, Message};
    /// let hello = Handshake::exchange(|mut io| async move {
    ///     io.send(Message::Text("hello".into()))?;
    ///     io.next().await.map(drop)
    /// });
    /// ```
    pub fn exchange<F>(exchange: impl Fn(HandshakeIo) -> F + 'static) -> Handshake
    where
        F: Future<Output = Result<(), Error>> + 'static,
    {
        Handshake {
            exchange: Rc::new(move |io| exchange(io).boxed_local()),
            timeout: Handshake::DEFAULT_TIMEOUT,
        }
    }

    /// The `graphql-transport-ws` handshake: `connection_init` with `payload` (`null` for
    /// none; often a token), then the server's `connection_ack`, answering its pings meanwhile.
    /// A server that refuses closes the connection, and that close is the error's cause and the
    /// close policy's to judge: the protocol says 4403 Forbidden; async-graphql 7 closes with
    /// 1002 and the reason `Forbidden: …`.
    ///
    /// ```
    /// let init = wasm_websocket::Handshake::graphql_ws(serde_json::json!({ "token": "t0k3n" }));
    /// ```
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn graphql_ws(payload: serde_json::Value) -> Handshake {
        // Not `json!`: serde_json 1.0.0, the oldest the manifest allows, cannot expand it here.
        let mut init = serde_json::Map::new();
        init.insert(
            "type".to_owned(),
            serde_json::Value::String("connection_init".to_owned()),
        );
        init.insert("payload".to_owned(), payload);
        let init = serde_json::Value::Object(init).to_string();
        Handshake::exchange(move |mut io| {
            let init = init.clone();
            async move {
                io.send(Message::Text(init))?;
                loop {
                    let frame: serde_json::Value = Codec::decode(&GraphqlWs, io.next().await?)?;
                    match frame.get("type").and_then(serde_json::Value::as_str) {
                        Some("connection_ack") => return Ok(()),
                        Some("ping") => io.send(Message::Text(r#"{"type":"pong"}"#.into()))?,
                        Some("pong") => {}
                        _ => {
                            return Err(Error::Handshake {
                                reason: format!("expected connection_ack, got {frame}"),
                            })
                        }
                    }
                }
            }
        })
    }

    /// How long the handshake may take on each connection.
    ///
    /// ```
    /// # let h = wasm_websocket::Handshake::send(wasm_websocket::Message::Text("hi".into()));
    /// let h = h.timeout(std::time::Duration::from_secs(3));
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Handshake {
        self.timeout = timeout;
        self
    }

    /// Runs the handshake on `ws` within its timeout; the messages it kept, in order.
    pub(super) async fn run(&self, ws: &WebSocket) -> Result<Vec<Message>, Error> {
        let kept = Rc::new(RefCell::new(Vec::new()));
        let io = HandshakeIo {
            ws: ws.link(),
            kept: kept.clone(),
        };
        within(self.timeout, (self.exchange)(io))
            .await
            .unwrap_or_else(|| {
                Err(Error::Handshake {
                    reason: format!("not done within {} ms", crate::text::millis(self.timeout)),
                })
            })?;
        Ok(kept.take())
    }
}

/// A connection during its [`Handshake`]: what the handshake sends goes out at once, before
/// anything queued; what it reads is its own.
#[derive(Debug)]
pub struct HandshakeIo {
    ws: WebSocket,
    kept: Rc<RefCell<Vec<Message>>>,
}

impl HandshakeIo {
    /// Sends `message` now.
    ///
    /// # Errors
    ///
    /// [`Error::NotOpen`] once the connection is closing; what the browser threw otherwise.
    ///
    /// ```no_run
    /// # fn f(io: wasm_websocket::HandshakeIo) -> Result<(), wasm_websocket::Error> {
    /// io.send(wasm_websocket::Message::Text(r#"{"type":"connection_init"}"#.into()))?;
    /// # Ok(()) }
    /// ```
    pub fn send(&self, message: Message) -> Result<(), Error> {
        self.ws.send_now(&message)
    }

    /// The next message the peer sends.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] once the connection has closed (with the peer's close), and what the
    /// connection reports otherwise (a message over the size limit, say).
    ///
    /// ```no_run
    /// # async fn f(mut io: wasm_websocket::HandshakeIo) -> Result<(), wasm_websocket::Error> {
    /// let ack = io.next().await?;
    /// # Ok(()) }
    /// ```
    pub async fn next(&mut self) -> Result<Message, Error> {
        match self.ws.next().await {
            Some(Ok(message)) => Ok(message),
            Some(Err(error)) => Err(error),
            None => {
                Err(Error::Closed(self.ws.close_event().unwrap_or_else(|| {
                    CloseEvent::sent(CloseCode::ABNORMAL, "")
                })))
            }
        }
    }

    /// Hands `message` (read during the handshake) to the message stream, after the open, as
    /// if it had come then: a welcome the app wants to see, say.
    ///
    /// ```no_run
    /// # async fn f(mut io: wasm_websocket::HandshakeIo) -> Result<(), wasm_websocket::Error> {
    /// let welcome = io.next().await?;
    /// io.keep(welcome);
    /// # Ok(()) }
    /// ```
    pub fn keep(&self, message: Message) {
        self.kept.borrow_mut().push(message);
    }
}
