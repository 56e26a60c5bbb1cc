//! Test frames both hook suites share: what the callbacks saw, two-way message types, and a
//! value that counts its clones. Included by `integrations/*/tests/web.rs`.

use std::cell::{Cell, RefCell};

use codee::binary::MsgpackSerdeCodec;
use wasm_websocket::{CodeeCodec, Message};

thread_local! {
    /// What the callbacks saw, in order.
    static SEEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// How many times a [`Counted`] was cloned.
    static CLONES: Cell<u64> = const { Cell::new(0) };
}

pub fn saw(what: String) {
    SEEN.with_borrow_mut(|seen| seen.push(what));
}

pub fn seen() -> Vec<String> {
    SEEN.with_borrow(Vec::clone)
}

pub fn forget_seen() {
    SEEN.with_borrow_mut(Vec::clear);
}

pub fn text_of(message: &Message) -> String {
    match message {
        Message::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

/// What a two-way client sends.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Ask {
    pub n: u32,
    pub text: String,
}

/// What it receives: the echo, read as another type.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Answer {
    pub n: u64,
    pub text: String,
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.n, self.text)
    }
}

/// `Ask` out and `Answer` in, as binary msgpack through codee.
pub fn msgpack() -> CodeeCodec<MsgpackSerdeCodec, Ask, Answer> {
    CodeeCodec::new()
}

/// A number that counts its clones: rendering a history must not clone it per message.
#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(transparent)]
pub struct Counted(pub u64);

impl Clone for Counted {
    fn clone(&self) -> Self {
        CLONES.set(CLONES.get().saturating_add(1));
        Counted(self.0)
    }
}

pub fn clones() -> u64 {
    CLONES.get()
}
