//! `ByteStream`: a socket as a byte stream (`AsyncRead`, `AsyncBufRead`, `AsyncWrite`) over
//! binary messages, for protocols written for byte streams (length-delimited codecs,
//! multiplexers, tunnels). Feature `io`.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures::io::{AsyncBufRead, AsyncRead, AsyncWrite};
use futures::{Sink, Stream};

use crate::error::Error;
use crate::message::{Message, ReadyState};
use crate::socket::websocket::WebSocket;

/// A [`WebSocket`] as a byte stream: each write is one binary message (with the socket's
/// backpressure), reads return the bytes of the binary messages received, in order, and end at
/// a clean close. Made by [`WebSocket::into_io`].
///
/// A text message cannot be part of a byte stream: reading one is an
/// [`io::ErrorKind::InvalidData`] error (the stream goes on). Every other failure is an
/// `io::Error` wrapping this crate's [`Error`](crate::Error) (`get_ref` and `downcast` give it
/// back).
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use futures::io::{AsyncReadExt, AsyncWriteExt};
/// let mut io = wasm_websocket::WebSocket::connect("/tunnel").await?.into_io();
/// io.write_all(b"length-prefixed frames, say").await?;
/// let mut reply = [0u8; 4];
/// io.read_exact(&mut reply).await?;
/// io.close().await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a socket is closed when dropped"]
#[cfg_attr(docsrs, doc(cfg(feature = "io")))]
pub struct ByteStream {
    socket: WebSocket,
    /// The binary message being read, and how much of it has been read.
    unread: Vec<u8>,
    read: usize,
}

impl WebSocket {
    /// This socket as a byte stream over binary messages; see [`ByteStream`].
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), wasm_websocket::Error> {
    /// let io = wasm_websocket::WebSocket::connect("/tunnel").await?.into_io();
    /// # Ok(()) }
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "io")))]
    pub fn into_io(self) -> ByteStream {
        ByteStream {
            socket: self,
            unread: Vec::new(),
            read: 0,
        }
    }
}

impl ByteStream {
    /// The socket underneath, for its state and for closing with a code.
    ///
    /// ```no_run
    /// # fn f(io: &wasm_websocket::ByteStream) {
    /// let state = io.socket().ready_state();
    /// # }
    /// ```
    pub fn socket(&self) -> &WebSocket {
        &self.socket
    }
}

/// This crate's error as an `io::Error`, with the kind a byte-stream user expects.
fn to_io(error: Error) -> io::Error {
    let kind = match &error {
        Error::NotOpen(ReadyState::Connecting) => io::ErrorKind::NotConnected,
        Error::NotOpen(_) => io::ErrorKind::BrokenPipe,
        Error::Closed(_) | Error::ConnectFailed(_) => io::ErrorKind::ConnectionAborted,
        Error::Timeout(_) => io::ErrorKind::TimedOut,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, error)
}

impl AsyncBufRead for ByteStream {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.get_mut();
        // Empty binary messages carry no bytes: skip them rather than signal the end.
        while this.read >= this.unread.len() {
            match ready!(Pin::new(&mut this.socket).poll_next(cx)) {
                Some(Ok(Message::Binary(bytes))) => {
                    this.unread = bytes;
                    this.read = 0;
                }
                Some(Ok(_)) => return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a text (or Blob) message on a byte stream, which carries binary messages only",
                ))),
                Some(Err(error)) => return Poll::Ready(Err(to_io(error))),
                None => return Poll::Ready(Ok(&[])),
            }
        }
        Poll::Ready(Ok(this.unread.get(this.read..).unwrap_or_default()))
    }

    fn consume(self: Pin<&mut Self>, amount: usize) {
        let this = self.get_mut();
        this.read = this.read.saturating_add(amount).min(this.unread.len());
    }
}

impl AsyncRead for ByteStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let available = ready!(self.as_mut().poll_fill_buf(cx))?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Poll::Ready(Ok(n))
    }
}

impl AsyncWrite for ByteStream {
    /// Waits for the socket's high-water mark, then sends all of `buf` as one binary message.
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let socket = &mut self.get_mut().socket;
        ready!(Pin::new(&mut *socket).poll_ready(cx)).map_err(to_io)?;
        Pin::new(socket)
            .start_send(Message::Binary(buf.to_vec()))
            .map_err(to_io)?;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().socket)
            .poll_flush(cx)
            .map_err(to_io)
    }

    /// Closes with 1000 and resolves once the close event has arrived.
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().socket)
            .poll_close(cx)
            .map_err(to_io)
    }
}
