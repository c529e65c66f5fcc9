//! A short list of `Copy` values kept inline: an outcome's attribute values and evidence
//! flags, read once per outcome, without a heap allocation for the usual handful.

use std::ops::{Deref, DerefMut};

/// Up to `N` values inline, more on the heap. Dereferences to a slice.
#[derive(Clone, Debug)]
pub enum Slots<T, const N: usize> {
    /// At most `N` values: the first `len` of `items`.
    Inline {
        /// How many of `items` are used.
        len: usize,
        /// The values; those past `len` are filler.
        items: [T; N],
    },
    /// More than `N` values.
    Heap(Vec<T>),
}

impl<T: Copy, const N: usize> Slots<T, N> {
    /// `len` copies of `value`.
    pub fn filled(value: T, len: usize) -> Self {
        if len <= N {
            Slots::Inline {
                len,
                items: [value; N],
            }
        } else {
            Slots::Heap(vec![value; len])
        }
    }
}

impl<T: Copy + Default, const N: usize> Default for Slots<T, N> {
    fn default() -> Self {
        Slots::filled(T::default(), 0)
    }
}

impl<T, const N: usize> Deref for Slots<T, N> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            // `len <= N` by construction; `get` keeps that from being a panic path.
            Slots::Inline { len, items } => items.get(..*len).unwrap_or(&[]),
            Slots::Heap(items) => items,
        }
    }
}

impl<T, const N: usize> DerefMut for Slots<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Slots::Inline { len, items } => items.get_mut(..*len).unwrap_or(&mut []),
            Slots::Heap(items) => items,
        }
    }
}

impl<T, const N: usize> From<Vec<T>> for Slots<T, N> {
    fn from(items: Vec<T>) -> Self {
        Slots::Heap(items)
    }
}

impl<T: PartialEq, const N: usize> PartialEq for Slots<T, N> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq, const N: usize> Eq for Slots<T, N> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap_slots_read_as_the_same_slice() {
        let mut few: Slots<u8, 4> = Slots::filled(0, 3);
        few[1] = 7;
        assert!(matches!(few, Slots::Inline { .. }));
        assert_eq!(&*few, &[0, 7, 0]);
        let mut many: Slots<u8, 4> = Slots::filled(0, 6);
        many[5] = 9;
        assert!(matches!(many, Slots::Heap(_)));
        assert_eq!(&*many, &[0, 0, 0, 0, 0, 9]);
        assert_eq!(
            Slots::<u8, 4>::filled(1, 2),
            Slots::<u8, 4>::Heap(vec![1, 1])
        );
    }
}
