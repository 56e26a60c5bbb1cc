//! The ordered receive queue: one FIFO for everything the socket dispatched, so that no message
//! (text included) overtakes a Blob that is still being read, and the close comes last. It also
//! holds the receive limits: a message over them is refused before a byte of it is copied.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::close::CloseEvent;
use crate::error::{Call, Error};
use crate::message::{BinaryType, Message};
use crate::socket::events::MessageKind;
use crate::socket::fault::Fault;

enum Entry {
    Ready(Result<Message, Error>),
    /// A Blob being read into bytes; the read runs in the browser whether or not anyone polls,
    /// polling only collects it.
    Reading(Reading),
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Entry::Ready(item) => f.debug_tuple("Ready").field(item).finish(),
            Entry::Reading(_) => f.write_str("Reading"),
        }
    }
}

/// A Blob's read into a [`Message::Binary`].
pub(crate) type Reading = Pin<Box<dyn Future<Output = Result<Message, Error>>>>;

/// How a socket reads Blobs into bytes ([`BinaryType::Blob`]). A function the socket is given
/// when a binary type is chosen ([`Builder::binary_type`](crate::Builder::binary_type),
/// [`WebSocket::set_binary_type`](crate::WebSocket::set_binary_type)), so that an app that
/// never chooses one, and so never receives a Blob, links no Blob reading (a `JsFuture` and its
/// callbacks).
pub(crate) type ReadBlob = fn(web_sys::Blob) -> Reading;

/// The [`ReadBlob`] of every socket that chose a binary type.
pub(crate) fn read_blob(blob: web_sys::Blob) -> Reading {
    let read = JsFuture::from(blob.array_buffer());
    Box::pin(async move { bytes_of(read.await) })
}

/// The head of the queue, once it is ready.
#[derive(Debug)]
pub(crate) enum Item {
    Message(Result<Message, Error>),
    /// The connection closed and every message dispatched before it has been yielded.
    Closed(CloseEvent),
}

#[derive(Debug)]
pub(crate) struct ReceiveQueue {
    entries: VecDeque<Entry>,
    closed: Option<CloseEvent>,
    options: ReceiveOptions,
    /// What is left of the limit here when a reconnecting socket holds some of the unread
    /// messages itself, so that the two together never hold more than the limit.
    room: Option<usize>,
}

/// What the receive queue keeps of the [`Builder`](crate::Builder).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ReceiveOptions {
    /// At most this many received messages wait in Rust; one more is refused.
    pub(crate) limit: Option<usize>,
    pub(crate) max_message_size: Option<u64>,
    /// Set once a binary type was chosen; until then a Blob (which only a `binaryType` set on
    /// the raw socket brings) is yielded as it is.
    pub(crate) read_blob: Option<ReadBlob>,
}

impl ReceiveQueue {
    pub(crate) fn new(options: ReceiveOptions) -> ReceiveQueue {
        ReceiveQueue {
            options,
            entries: VecDeque::new(),
            closed: None,
            room: None,
        }
    }

    /// Takes a message event's data unless it is over a limit; returns its kind, or `None` for
    /// data of an unknown type (which becomes an error item in its place). Each message is
    /// looked at once: its type, its size, then its one copy.
    pub(crate) fn accept(
        &mut self,
        data: JsValue,
        mode: BinaryType,
    ) -> Result<Option<MessageKind>, Fault> {
        let full = |cap: usize| self.entries.len() >= cap;
        if let Some(limit) = self
            .options
            .limit
            .filter(|l| full(*l) || self.room.is_some_and(full))
        {
            return Err(Fault::ReceiveBufferFull { limit });
        }
        let max = self.options.max_message_size;
        let fits = |size: u64| match max {
            Some(limit) if size > limit => Err(Fault::MessageTooLarge { size, limit }),
            _ => Ok(()),
        };
        let (entry, kind) = if let Some(text) = data.dyn_ref::<js_sys::JsString>() {
            // A JS string of n UTF-16 code units is at least n bytes of UTF-8: over the limit
            // by its length, it is refused before it is copied (its size given in code units);
            // otherwise its one copy, at most three times the limit, says its UTF-8 size.
            fits(u64::from(text.length()))?;
            let text = String::from(text);
            fits(text.len() as u64)?;
            (
                Entry::Ready(Ok(Message::Text(text))),
                Some(MessageKind::Text),
            )
        } else if let Some(buffer) = data.dyn_ref::<ArrayBuffer>() {
            fits(u64::from(buffer.byte_length()))?;
            let bytes = Uint8Array::new(buffer).to_vec();
            (
                Entry::Ready(Ok(Message::Binary(bytes))),
                Some(MessageKind::Binary),
            )
        } else if let Ok(blob) = data.dyn_into::<web_sys::Blob>() {
            fits(blob.size() as u64)?;
            // The browser picked Blob from binaryType at dispatch; raw or read is the crate's
            // mode at the same moment.
            let entry = match (mode, self.options.read_blob) {
                (BinaryType::RawBlob, _) | (_, None) => Entry::Ready(Ok(Message::Blob(blob))),
                (_, Some(read)) => Entry::Reading(read(blob)),
            };
            (entry, Some(MessageKind::Binary))
        } else {
            (Entry::Ready(Err(Error::UnsupportedData)), None)
        };
        self.entries.push_back(entry);
        Ok(kind)
    }

    /// Blobs are read with `read` from now on (unless the mode is raw).
    pub(crate) fn set_read_blob(&mut self, read: ReadBlob) {
        self.options.read_blob = Some(read);
    }

    /// Leaves room for only `room` more unread messages here (at most the limit).
    pub(crate) fn set_room(&mut self, room: usize) {
        self.room = Some(room);
    }

    pub(crate) fn limit(&self) -> Option<usize> {
        self.options.limit
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn push_close(&mut self, ev: CloseEvent) {
        self.closed = Some(ev);
    }

    /// The next item in wire order. `Pending` when the queue is empty (the caller keeps the
    /// waker for the next event) or when its head is a Blob still being read (the read wakes).
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Item> {
        let Some(head) = self.entries.front_mut() else {
            return match &self.closed {
                Some(ev) => Poll::Ready(Item::Closed(ev.clone())),
                None => Poll::Pending,
            };
        };
        // A Blob being read stays at the head until its bytes are there.
        if let Entry::Reading(read) = head {
            *head = Entry::Ready(ready!(read.as_mut().poll(cx)));
        }
        match self.entries.pop_front() {
            Some(Entry::Ready(item)) => Poll::Ready(Item::Message(item)),
            // Not reached: the head is ready by now.
            _ => Poll::Pending,
        }
    }
}

fn bytes_of(read: Result<JsValue, JsValue>) -> Result<Message, Error> {
    match read {
        Ok(buffer) => match buffer.dyn_into::<ArrayBuffer>() {
            Ok(buffer) => Ok(Message::Binary(Uint8Array::new(&buffer).to_vec())),
            Err(_) => Err(Error::UnsupportedData),
        },
        Err(thrown) => Err(Error::from_js(&thrown, Call::Other)),
    }
}
