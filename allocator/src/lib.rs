//! The global allocator of the `creditbank` binary, and of the benches and profiling examples
//! that must time what it does: mimalloc.
//!
//! Cohort verbs and the service allocate a few hundred small strings and lists per learner on
//! every core; mimalloc's per-thread heaps serve them faster than the system allocator. The
//! `mimalloc` crate sends every request through `mi_malloc_aligned`, whose alignment checks
//! cost a fifth of a small allocation. Most layouts need no more alignment than plain
//! `mi_malloc` always gives, and [`Allocator`] sends those the short way, as Rust's own
//! system allocator does with `malloc`:
//!
//! INVARIANT: mimalloc's blocks of 16 bytes or more are 16-aligned, and smaller ones 8-aligned
//! (`MI_MAX_ALIGN_SIZE` is 16; the smallest block is a pointer). So a layout whose alignment is
//! at most 16 and at most its size is served aligned by `mi_malloc`. Others go to the aligned
//! calls. A test checks the alignment of every layout up to 4 KiB.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// The largest alignment `mi_malloc` guarantees (`MI_MAX_ALIGN_SIZE`).
const PLAIN_ALIGN: usize = 16;

/// mimalloc, through its plain calls where they suffice.
#[derive(Clone, Copy, Debug, Default)]
pub struct Allocator;

/// True when `mi_malloc(size)` is aligned enough for `align` (see the invariant above).
#[inline]
fn plain(align: usize, size: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: every pointer comes from mimalloc and goes back to it; a layout gets the plain calls
// only when their alignment covers it (the invariant above), the aligned calls otherwise, and
// `mi_free` frees both.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation calls take any size and a power-of-two alignment,
        // which a `Layout` always has.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: the caller passes a pointer this allocator gave, which came from mimalloc.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller passes a pointer this allocator gave for `layout`; the new block
        // keeps `layout`'s alignment by the same rule as `alloc`.
        unsafe {
            if plain(layout.align(), new_size) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_comes_back_aligned_and_usable() {
        let a = Allocator;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=4096).filter(|s| s % align == 0 || *s < 64) {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; every pointer is freed with its layout.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size}, align {align}");
                    p.write_bytes(0xA5, size);
                    let q = a.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "realloc {size}, align {align}");
                    assert_eq!(*q.add(size - 1), 0xA5);
                    a.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
