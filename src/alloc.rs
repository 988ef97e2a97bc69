//! The allocator: the system's until a command says it reads or writes a
//! whole portfolio ([`bulk`]), mimalloc from then on.
//!
//! A report allocates and frees small values on every core, and mimalloc
//! does that for a fraction of what glibc's allocator costs it (malloc,
//! free and their fresh pages were a fifth of a 10k JSON report's samples).
//! But mimalloc's first allocations touch a page per size of value, and it
//! tidies its heaps at exit: a command of a few milliseconds (`obs add`,
//! `show`) started and ended about 0.25 ms later with it, a tenth of its
//! own time. So the short commands keep the system's allocator.
//!
//! Memory goes back to the allocator that gave it: once mimalloc has been
//! used, each block freed or grown is asked after (`mi_is_in_heap_region`,
//! a lookup in mimalloc's own map of its memory); before, every block is
//! the system's.
//!
//! mimalloc is built without its transparent huge pages (feature `no_thp`):
//! each thread's heap would take whole 2 MiB pages, 24 MiB where 5 MiB is
//! used, and right after another program ran, fresh memory is what a report
//! pays most for.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

/// Whether new blocks come from mimalloc.
static BULK: AtomicBool = AtomicBool::new(false);

/// From now on, allocate with mimalloc: for a command that reads or writes
/// a whole portfolio, called before it does.
pub fn bulk() {
    BULK.store(true, Ordering::SeqCst);
}

/// The global allocator (main.rs): see the module's documentation.
pub struct Alloc;

impl Alloc {
    /// Whether `ptr` was given by mimalloc.
    fn mimalloc_gave(ptr: *mut u8) -> bool {
        // mimalloc gives nothing before [`bulk`]; a block given before is
        // the system's even if it is freed after
        BULK.load(Ordering::Relaxed)
            // SAFETY: a lookup of an address, which it does not read through
            // unless mimalloc's map says the memory is its own.
            && unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
    }
}

// SAFETY: each block is allocated by one of two allocators that keep the
// GlobalAlloc contract, and freed or grown by the same one: mimalloc's map
// of its own memory tells its blocks from the system's.
unsafe impl GlobalAlloc for Alloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if BULK.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc(layout) }
        } else {
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if BULK.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if Alloc::mimalloc_gave(ptr) {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // a block stays with the allocator that gave it
        if Alloc::mimalloc_gave(ptr) {
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_either_allocator_are_freed_and_grown_by_the_one_that_gave_them() {
        let a = Alloc;
        let small = Layout::from_size_align(24, 8).unwrap();
        let aligned = Layout::from_size_align(100, 64).unwrap();
        // SAFETY: each block is written within its size, grown, and freed
        // once, with the layout it has.
        unsafe {
            let before = a.alloc(small);
            let before_aligned = a.alloc(aligned);
            assert!(!before.is_null() && !before_aligned.is_null());
            assert!(!libmimalloc_sys::mi_is_in_heap_region(before.cast()));
            before.write_bytes(7, 24);
            bulk();
            let after = a.alloc(small);
            let after_aligned = a.alloc_zeroed(aligned);
            assert!(Alloc::mimalloc_gave(after) && Alloc::mimalloc_gave(after_aligned));
            assert_eq!(after_aligned as usize % 64, 0);
            assert_eq!(*after_aligned.add(99), 0);
            assert!(!Alloc::mimalloc_gave(before));
            // grown by the system, kept by it, its bytes kept
            let grown = a.realloc(before, small, 4096);
            assert!(!Alloc::mimalloc_gave(grown));
            assert_eq!(*grown.add(23), 7);
            let after_grown = a.realloc(after, small, 4096);
            assert!(Alloc::mimalloc_gave(after_grown));
            a.dealloc(grown, Layout::from_size_align(4096, 8).unwrap());
            a.dealloc(after_grown, Layout::from_size_align(4096, 8).unwrap());
            a.dealloc(before_aligned, aligned);
            a.dealloc(after_aligned, aligned);
        }
    }
}
