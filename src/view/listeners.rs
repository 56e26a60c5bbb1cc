//! `Listeners`: the message callbacks added to a shared view (each component's own, with a
//! provider), each removed when its component goes.

use crate::view::options::Handler;

/// Names a callback added with [`SocketView::listen`](crate::view::SocketView::listen), to
/// remove it.
///
/// ```
/// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
/// let id = view.listen(|m| println!("{m:?}"));
/// view.unlisten(id);
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListenerId(u64);

impl ListenerId {
    /// Names no callback: what `listen` gives in the one case it cannot add (called from a
    /// listener while the list is being read, which never happens, as the list is copied out
    /// first).
    pub(crate) const UNKNOWN: ListenerId = ListenerId(u64::MAX);
}

pub(crate) struct Listeners<T> {
    next: u64,
    added: Vec<(ListenerId, Handler<T>)>,
}

impl<T> Default for Listeners<T> {
    fn default() -> Self {
        Listeners {
            next: 0,
            added: Vec::new(),
        }
    }
}

impl<T> Listeners<T> {
    pub(crate) fn add(&mut self, callback: Handler<T>) -> ListenerId {
        let id = ListenerId(self.next);
        self.next = self.next.wrapping_add(1);
        self.added.push((id, callback));
        id
    }

    pub(crate) fn remove(&mut self, id: ListenerId) {
        self.added.retain(|(added, _)| *added != id);
    }

    /// Every callback, in the order they were added: cloned out, as a callback may add or
    /// remove callbacks.
    pub(crate) fn all(&self) -> Vec<Handler<T>> {
        self.added
            .iter()
            .map(|(_, callback)| callback.clone())
            .collect()
    }
}
