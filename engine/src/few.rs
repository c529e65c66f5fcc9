//! [`Few`]: a list that is nearly always empty or of one item, kept without a heap
//! allocation until it holds two.

use std::ops::{Deref, DerefMut};

/// None, one, or more items; dereferences to a slice. Unlike a small-vector type with an
/// array parameter it is covariant, so it holds borrowed items as a `Vec` would.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Few<T> {
    /// No item.
    #[default]
    Zero,
    /// One item, inline.
    One(T),
    /// Two or more items.
    Many(Vec<T>),
}

impl<T> Few<T> {
    /// An empty list.
    pub const fn new() -> Self {
        Few::Zero
    }

    /// Appends `item`.
    pub fn push(&mut self, item: T) {
        match self {
            Few::Zero => *self = Few::One(item),
            Few::One(_) => {
                if let Few::One(first) = std::mem::take(self) {
                    *self = Few::Many(vec![first, item]);
                }
            }
            Few::Many(items) => items.push(item),
        }
    }
}

impl<T> Deref for Few<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Few::Zero => &[],
            Few::One(item) => std::slice::from_ref(item),
            Few::Many(items) => items,
        }
    }
}

impl<T> DerefMut for Few<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Few::Zero => &mut [],
            Few::One(item) => std::slice::from_mut(item),
            Few::Many(items) => items,
        }
    }
}

impl<'a, T> IntoIterator for &'a Few<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Few<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_read_back_in_order_whatever_the_size() {
        let mut few = Few::new();
        assert!(few.is_empty());
        few.push(1);
        assert!(matches!(few, Few::One(1)));
        few.push(2);
        few.push(3);
        assert!(matches!(few, Few::Many(_)));
        assert_eq!(&*few, &[1, 2, 3]);
        for x in &mut few {
            *x *= 10;
        }
        assert_eq!((&few).into_iter().sum::<i32>(), 60);
    }
}
