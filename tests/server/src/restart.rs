//! `GET /restart?service=graphql|jsonrpc&down_ms=N`: a protocol server crashes and comes back.
//!
//! Every live connection of the service is cut at once, the way a dying server process's are:
//! the kernel ends each TCP connection (FIN, no WebSocket Close frame, so a browser reports 1006),
//! and the tasks that ran it end with it, so the service has forgotten every subscription and
//! pending call. For `down_ms` after that, the service answers new upgrades with 503; then it
//! serves again.
//!
//! Cutting needs the socket itself, which hyper, axum's WebSocket or jsonrpsee's tasks own by
//! then: so the server accepts through [`Tracked`], which keeps a duplicate of every accepted
//! socket as its [`Conn`], for handlers to read as `ConnectInfo<Conn>`.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded code cannot panic; if it ever did, the state is still usable.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One accepted TCP connection: a duplicate of its socket, while the connection lasts (so each
/// connection holds two file descriptors, every connection since none can tell at accept time
/// which endpoint it will ask for).
#[derive(Debug, Clone, Default)]
pub(crate) struct Conn(Arc<Mutex<Option<std::net::TcpStream>>>);

impl Conn {
    /// Ends the connection at once, under whoever owns it: shutting the socket down (not just
    /// closing our duplicate) makes the kernel send the FIN, and every read of the owner's end.
    /// False if it had ended already.
    fn cut(&self) -> bool {
        lock(&self.0)
            .take()
            .is_some_and(|socket| socket.shutdown(std::net::Shutdown::Both).is_ok())
    }

    fn is_open(&self) -> bool {
        lock(&self.0).is_some()
    }
}

#[cfg(unix)]
fn duplicate(tcp: &TcpStream) -> io::Result<std::net::TcpStream> {
    use std::os::fd::AsFd;
    Ok(tcp.as_fd().try_clone_to_owned()?.into())
}

#[cfg(windows)]
fn duplicate(tcp: &TcpStream) -> io::Result<std::net::TcpStream> {
    use std::os::windows::io::AsSocket;
    Ok(tcp.as_socket().try_clone_to_owned()?.into())
}

/// The server's listener: each accepted connection comes with its [`Conn`].
pub(crate) struct Tracked(pub(crate) TcpListener);

impl Listener for Tracked {
    type Io = TrackedIo;
    type Addr = Conn;

    async fn accept(&mut self) -> (TrackedIo, Conn) {
        loop {
            match self.0.accept().await {
                Ok((tcp, _)) => {
                    let _ = tcp.set_nodelay(true);
                    // Without a duplicate (out of file descriptors) the connection is served
                    // all the same; only a restart cannot cut it.
                    let conn = Conn(Arc::new(Mutex::new(duplicate(&tcp).ok())));
                    return (
                        TrackedIo {
                            tcp,
                            conn: conn.clone(),
                        },
                        conn,
                    );
                }
                // As axum does for a plain TcpListener: a connection that failed before it
                // was accepted is no reason to wait; anything else (no file descriptors
                // left) is, or the loop would spin.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionRefused
                            | io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::ConnectionReset
                    ) => {}
                Err(e) => {
                    eprintln!("test-server: accept: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    /// Not an address: axum asks only to report it, and nothing here does.
    fn local_addr(&self) -> io::Result<Conn> {
        Ok(Conn::default())
    }
}

impl Connected<IncomingStream<'_, Tracked>> for Conn {
    fn connect_info(stream: IncomingStream<'_, Tracked>) -> Conn {
        stream.remote_addr().clone()
    }
}

/// An accepted connection's stream; its end closes the [`Conn`]'s duplicate, or the socket
/// would outlive its owner.
pub(crate) struct TrackedIo {
    tcp: TcpStream,
    conn: Conn,
}

impl Drop for TrackedIo {
    fn drop(&mut self) {
        lock(&self.conn.0).take();
    }
}

impl AsyncRead for TrackedIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for TrackedIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().tcp).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_shutdown(cx)
    }
}

/// A protocol server that `/restart` can crash: its connections, and until when it is down.
#[derive(Debug, Default)]
pub(crate) struct Restartable(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    conns: Vec<Conn>,
    down_until: Option<Instant>,
    restarts: u64,
}

impl Restartable {
    /// Takes `conn` on, for the next restart to cut; false while the service is down.
    pub(crate) fn admit(&self, conn: &Conn) -> bool {
        let mut state = lock(&self.0);
        if state.down_until.is_some_and(|t| Instant::now() < t) {
            return false;
        }
        state.conns.retain(Conn::is_open);
        state.conns.push(conn.clone());
        true
    }

    /// Cuts every connection and refuses new ones for `down`; returns how many were cut, and the
    /// number of restarts so far. None if `down` reaches past what an `Instant` can say.
    pub(crate) fn restart(&self, down: Duration) -> Option<(usize, u64)> {
        let until = Instant::now().checked_add(down)?;
        let mut state = lock(&self.0);
        state.down_until = Some(until);
        state.restarts += 1;
        // Under the lock, so no upgrade slips in between the cut and the outage.
        let cut = state.conns.drain(..).filter(Conn::cut).count();
        Some((cut, state.restarts))
    }

    pub(crate) fn restarts(&self) -> u64 {
        lock(&self.0).restarts
    }
}
