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
//! Memory goes back to the allocator that gave it: before [`bulk`], every
//! block is the system's; after, a block outside the range of addresses
//! the system's allocator has ever given is mimalloc's, and one inside it
//! is asked after (`mi_is_in_heap_region`, a lookup in mimalloc's own map
//! of its memory, which was a third of what freeing a block cost).
//!
//! Blocks of an alignment up to 16 and at least as large come from
//! mimalloc's plain `mi_malloc`, which gives them that alignment (mimalloc's
//! own aligned calls, which its `GlobalAlloc` makes for every block, end on
//! the same path after some seventy instructions more).
//!
//! mimalloc is built without its transparent huge pages (feature `no_thp`):
//! each thread's heap would take whole 2 MiB pages, 24 MiB where 5 MiB is
//! used, and right after another program ran, fresh memory is what a report
//! pays most for.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use libmimalloc_sys::{mi_free, mi_malloc, mi_realloc, mi_zalloc};
use mimalloc::MiMalloc;

/// Whether new blocks come from mimalloc.
static BULK: AtomicBool = AtomicBool::new(false);

/// The lowest address, and the end of the highest block, that the system's
/// allocator has given (the range only grows): an address outside it is
/// none of the system's blocks, so after [`bulk`] one of mimalloc's.
static SYSTEM_LO: AtomicUsize = AtomicUsize::new(usize::MAX);
static SYSTEM_HI: AtomicUsize = AtomicUsize::new(0);

/// The largest alignment that mimalloc's plain `mi_malloc` gives every
/// block at least as large (`MI_MAX_ALIGN_SIZE`).
const PLAIN_ALIGN: usize = 16;

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
        if !BULK.load(Ordering::Relaxed) {
            return false;
        }
        let at = ptr as usize;
        // (the system's range as it was when the block was given, or later)
        at < SYSTEM_LO.load(Ordering::Relaxed)
            || at >= SYSTEM_HI.load(Ordering::Relaxed)
            // SAFETY: a lookup of an address, which it does not read through
            // unless mimalloc's map says the memory is its own.
            || unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
    }

    /// `ptr`, a block of `size` bytes the system's allocator gave, taken
    /// into its range.
    fn system_gave(ptr: *mut u8, size: usize) -> *mut u8 {
        if !ptr.is_null() {
            let (at, end) = (ptr as usize, (ptr as usize).saturating_add(size));
            // read first: most blocks fall inside the range already
            if at < SYSTEM_LO.load(Ordering::Relaxed) {
                SYSTEM_LO.fetch_min(at, Ordering::Relaxed);
            }
            if end > SYSTEM_HI.load(Ordering::Relaxed) {
                SYSTEM_HI.fetch_max(end, Ordering::Relaxed);
            }
        }
        ptr
    }

    /// Whether mimalloc's plain calls give a block of `size` the alignment
    /// `align` (mimalloc's own test, `mi_malloc_is_naturally_aligned`).
    fn plain(align: usize, size: usize) -> bool {
        align <= PLAIN_ALIGN && align <= size
    }
}

// SAFETY: each block is allocated by one of two allocators that keep the
// GlobalAlloc contract, and freed or grown by the same one: an address
// outside every block the system gave is mimalloc's, and inside, mimalloc's
// map of its own memory tells its blocks from the system's. mimalloc's
// plain calls are made only where they give the alignment asked for.
unsafe impl GlobalAlloc for Alloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !BULK.load(Ordering::Relaxed) {
            return Alloc::system_gave(unsafe { System.alloc(layout) }, layout.size());
        }
        if Alloc::plain(layout.align(), layout.size()) {
            unsafe { mi_malloc(layout.size()).cast() }
        } else {
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !BULK.load(Ordering::Relaxed) {
            return Alloc::system_gave(unsafe { System.alloc_zeroed(layout) }, layout.size());
        }
        if Alloc::plain(layout.align(), layout.size()) {
            unsafe { mi_zalloc(layout.size()).cast() }
        } else {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if Alloc::mimalloc_gave(ptr) {
            // (what MiMalloc.dealloc does)
            unsafe { mi_free(ptr.cast()) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // a block stays with the allocator that gave it
        if !Alloc::mimalloc_gave(ptr) {
            return Alloc::system_gave(unsafe { System.realloc(ptr, layout, new_size) }, new_size);
        }
        if Alloc::plain(layout.align(), new_size) {
            unsafe { mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
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
            // the system's blocks lie in its range, which mimalloc's plain
            // blocks of every alignment up to 16 fall outside of or not
            let lo = SYSTEM_LO.load(Ordering::Relaxed);
            let hi = SYSTEM_HI.load(Ordering::Relaxed);
            assert!(lo <= before as usize && (before as usize) + 24 <= hi);
            for (size, align) in [
                (1, 1),
                (8, 8),
                (12, 4),
                (16, 16),
                (24, 8),
                (40, 16),
                (4096, 16),
            ] {
                let l = Layout::from_size_align(size, align).unwrap();
                let p = a.alloc(l);
                assert!(Alloc::mimalloc_gave(p), "{size} {align}");
                assert_eq!(p as usize % align, 0, "{size} {align}");
                p.write_bytes(1, size);
                let q = a.realloc(p, l, size * 3);
                assert!(Alloc::mimalloc_gave(q) && (q as usize).is_multiple_of(align));
                assert_eq!(*q.add(size - 1), 1);
                a.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
            }
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
