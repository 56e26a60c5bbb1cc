//! `Json`: the serde_json codec (feature `json`).

use crate::{Codec, Error, Message};

/// JSON through serde: encodes to text, decodes text or binary (feature `json`).
///
/// ```
/// use wasm_websocket::{Codec, Json, Message};
/// let codec = Json::<Vec<u32>>::new();
/// assert_eq!(codec.encode(&vec![1, 2]).unwrap(), Message::Text("[1,2]".into()));
/// assert_eq!(codec.decode(Message::Binary(b"[3]".to_vec())).unwrap(), vec![3]);
/// assert!(codec.decode(Message::Text("{".into())).is_err());
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
#[derive(Debug)]
pub struct Json<T>(std::marker::PhantomData<fn(T) -> T>);

impl<T> Json<T> {
    /// The codec for `T`.
    pub fn new() -> Self {
        Json(std::marker::PhantomData)
    }
}

impl<T> Default for Json<T> {
    fn default() -> Self {
        Json::new()
    }
}

impl<T> Clone for Json<T> {
    fn clone(&self) -> Self {
        Json::new()
    }
}

impl<T: serde::Serialize + serde::de::DeserializeOwned> Codec for Json<T> {
    type Item = T;

    fn encode(&self, item: &T) -> Result<Message, Error> {
        serde_json::to_string(item)
            .map(Message::Text)
            .map_err(|e| Error::Encode {
                message: e.to_string(),
            })
    }

    fn decode(&self, message: Message) -> Result<T, Error> {
        let decoded = match &message {
            Message::Text(text) => serde_json::from_str(text),
            Message::Binary(bytes) => serde_json::from_slice(bytes),
            Message::Blob(_) => {
                return Err(Error::Decode {
                    message: "a raw Blob cannot be decoded synchronously: use BinaryType::Blob"
                        .into(),
                })
            }
        };
        decoded.map_err(|e| Error::Decode {
            message: e.to_string(),
        })
    }
}
