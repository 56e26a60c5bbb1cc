//! The `Codec` trait: how typed values become messages and back.

use crate::{Error, Message};

/// Turns typed values into [`Message`]s and back, for [`Typed`](crate::Typed) sockets.
///
/// ```
/// use wasm_websocket::{Codec, Error, Message};
///
/// /// Numbers as decimal text.
/// struct Decimal;
///
/// impl Codec for Decimal {
///     type Item = i64;
///     fn encode(&self, item: &i64) -> Result<Message, Error> {
///         Ok(Message::Text(item.to_string()))
///     }
///     fn decode(&self, message: Message) -> Result<i64, Error> {
///         match message {
///             Message::Text(t) => t.parse().map_err(|e| Error::Decode { message: format!("{e}") }),
///             _ => Err(Error::Decode { message: "expected text".into() }),
///         }
///     }
/// }
/// assert_eq!(Decimal.decode(Message::Text("42".into())), Ok(42));
/// ```
pub trait Codec {
    /// The typed value.
    type Item;

    /// Encodes a value.
    ///
    /// # Errors
    /// [`Error::Encode`] when the value cannot be represented.
    fn encode(&self, item: &Self::Item) -> Result<Message, Error>;

    /// Decodes a message. A failure is one error item in the stream, which goes on.
    ///
    /// # Errors
    /// [`Error::Decode`] when the message is not a valid value.
    fn decode(&self, message: Message) -> Result<Self::Item, Error>;
}

/// The codec whose items are the messages themselves: for APIs generic over a [`Codec`] (the
/// Yew and Leptos hooks) when no typing is wanted.
///
/// ```
/// use wasm_websocket::{Codec, Message, Untyped};
/// let m = Message::Text("as is".into());
/// assert_eq!(Untyped.decode(m.clone()), Ok(m.clone()));
/// assert_eq!(Untyped.encode(&m), Ok(m));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Untyped;

impl Codec for Untyped {
    type Item = Message;

    fn encode(&self, item: &Message) -> Result<Message, Error> {
        Ok(item.clone())
    }

    fn decode(&self, message: Message) -> Result<Message, Error> {
        Ok(message)
    }
}
