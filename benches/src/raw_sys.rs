//! The thinnest Rust path: a `web_sys::WebSocket` with two closures and a channel, no checks.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::channel::{mpsc, oneshot};
use futures::{Sink, Stream};
use wasm_bindgen::prelude::*;

use crate::workload::{In, Out, Received};

pub struct RawSocket {
    socket: web_sys::WebSocket,
    incoming: mpsc::UnboundedReceiver<Received>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl RawSocket {
    pub async fn connect(url: &str) -> Result<RawSocket, String> {
        let socket = web_sys::WebSocket::new(url).map_err(|e| format!("{e:?}"))?;
        socket.set_binary_type(web_sys::BinaryType::Arraybuffer);
        let (tx, incoming) = mpsc::unbounded();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let data = e.data();
                let item = match data.as_string() {
                    Some(text) => In::Text(text),
                    None => In::Binary(js_sys::Uint8Array::new(&data).to_vec()),
                };
                let _ = tx.unbounded_send(Ok(item));
            });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let (open_tx, open_rx) = oneshot::channel::<()>();
        let mut open_tx = Some(open_tx);
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if let Some(tx) = open_tx.take() {
                let _ = tx.send(());
            }
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        open_rx.await.map_err(|_| "never opened".to_owned())?;
        socket.set_onopen(None);
        Ok(RawSocket {
            socket,
            incoming,
            _on_message: on_message,
        })
    }
}

impl Drop for RawSocket {
    fn drop(&mut self) {
        self.socket.set_onmessage(None);
        let _ = self.socket.close();
    }
}

impl Stream for RawSocket {
    type Item = Received;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Received>> {
        Pin::new(&mut self.incoming).poll_next(cx)
    }
}

impl Sink<Out> for RawSocket {
    type Error = String;
    fn poll_ready(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), String>> {
        Poll::Ready(Ok(()))
    }
    fn start_send(self: Pin<&mut Self>, item: Out) -> Result<(), String> {
        match item {
            Out::Text(t) => self.socket.send_with_str(&t),
            Out::Binary(b) => self.socket.send_with_u8_array(&b),
        }
        .map_err(|e| format!("{e:?}"))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), String>> {
        Poll::Ready(Ok(()))
    }
    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), String>> {
        Poll::Ready(Ok(()))
    }
}
