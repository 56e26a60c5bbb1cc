//! `Subprotocols`: what asking for subprotocols adds to a socket, as functions a builder is given
//! by [`Builder::protocols`](crate::Builder::protocols). An app that never asks for one links
//! neither the check, nor the constructor's array, nor the negotiation check at open.

use crate::url::validate_protocols;
use crate::Error;

pub(crate) struct Subprotocols {
    /// The requested protocols, checked, as the JS array the constructor takes.
    pub(crate) array: fn(&[String]) -> Result<js_sys::Array, Error>,
    /// At open: the error to fail with if the server selected none of the requested protocols.
    pub(crate) refusal: fn(&web_sys::WebSocket, &[String]) -> Option<Error>,
}

impl std::fmt::Debug for Subprotocols {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Subprotocols")
    }
}

pub(crate) static SUBPROTOCOLS: Subprotocols = Subprotocols {
    array: |protocols| {
        validate_protocols(protocols)?;
        Ok(protocols
            .iter()
            .map(|p| wasm_bindgen::JsValue::from_str(p))
            .collect())
    },
    // Firefox opens even when the server picked none of the requested protocols, where
    // Chromium fails the connection: refused here so both end the same way.
    refusal: |socket, requested| {
        if requested.is_empty() {
            return None;
        }
        let selected = socket.protocol();
        (!requested.contains(&selected)).then(|| Error::ProtocolNotNegotiated {
            requested: requested.to_vec(),
            selected,
        })
    },
};
