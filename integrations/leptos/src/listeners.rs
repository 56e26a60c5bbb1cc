//! `Listeners`: the message callbacks components added to a shared socket, each removed when its
//! component goes.

use std::rc::Rc;

/// A callback given each of a series of values (messages, closes, errors).
pub(crate) type Handler<T> = Rc<dyn Fn(&T)>;

pub(crate) struct Listeners<T> {
    next: u64,
    added: Vec<(u64, Handler<T>)>,
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
    /// Adds a callback; the number removes it.
    pub(crate) fn add(&mut self, callback: Handler<T>) -> u64 {
        let id = self.next;
        self.next = self.next.wrapping_add(1);
        self.added.push((id, callback));
        id
    }

    pub(crate) fn remove(&mut self, id: u64) {
        self.added.retain(|(added, _)| *added != id);
    }

    /// Every callback, in the order they were added.
    pub(crate) fn all(&self) -> Vec<Handler<T>> {
        self.added
            .iter()
            .map(|(_, callback)| callback.clone())
            .collect()
    }
}
